//! Reading a compiled form definition (`qc-form/1` JSON) back into the model, so that a
//! frontend's CI can validate replies with the JSON artefact alone.
//!
//! The form is deserialised into the types the compiler writes ([`format`]); what serde finds
//! wrong is refused with the JSON pointer of the place. The reader then builds the model in
//! two passes: the first reads every item, scale, document and text (items are numbered
//! first, so a text may pipe an item that comes after it), the second reads the rules, now
//! that every item is known, through `emit::jsonlogic::Decoder`. A form may come from anyone,
//! so it is held to what the compiler holds a source to: ids, duplicates, bounds, empty
//! scales, what a text may pipe, cycles.

use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::Value;
use typed_index_collections::TiVec;

use crate::arena::Arena;
use crate::emit::json::format::{self, Form, FORMAT};
use crate::emit::jsonlogic::{is_guard, Decoder, Literal, Unreadable};
use crate::model::{
    AnswerType, Block, Choice, Citation, Column, Constraint, Count, Document, DocumentId, End,
    Grid, Heading, Instrument, Item, ItemId, ItemKind, List, Paragraph, RecordField, ReportHeading,
    Row, Scale, ScaleId, Section, Severity, Subparagraph, Table, Text, Translation,
};
use crate::span::Span;

/// Why a JSON document is not a form definition qc can read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{pointer}: {message}")]
pub struct FormError {
    /// A JSON pointer into the form.
    pub pointer: String,
    pub message: String,
}

type Result<T> = std::result::Result<T, FormError>;

impl From<Unreadable> for FormError {
    fn from(error: Unreadable) -> FormError {
        FormError {
            pointer: error.pointer,
            message: error.message,
        }
    }
}

fn fail<T>(pointer: &str, message: impl Into<String>) -> Result<T> {
    Err(FormError {
        pointer: pointer.to_owned(),
        message: message.into(),
    })
}

/// Reads a form definition.
pub fn read(value: &Value) -> Result<Instrument> {
    match value.get("format") {
        Some(Value::String(format)) if format == FORMAT => {}
        Some(Value::String(other)) => {
            return fail("/format", format!("format `{other}` is not `{FORMAT}`"))
        }
        _ => return fail("/format", "not a qc form definition: no `format`"),
    }
    let form = deserialize(value)?;
    let mut reader = Reader {
        numbered: numbered(&form),
        ..Reader::default()
    };
    reader.scales(&form.scales)?;
    let specials = match form.specials.is_empty() {
        true => Vec::new(),
        false => reader.choices(&form.specials, "/specials")?,
    };
    reader.documents(&form.documents)?;
    // The report's headings, before the items that feed them.
    let mut heading_ids = FxHashSet::default();
    for (index, heading) in form.report.iter().enumerate() {
        let at = format!("/report/{index}");
        unique(
            &mut heading_ids,
            &heading.id,
            Place::new(&at, "id"),
            "heading",
        )?;
        reader.report.push(ReportHeading {
            id: heading.id.to_string(),
            title: heading.title.to_string(),
        });
    }
    let introduction = reader.blocks(&form.introduction, "/introduction", usize::MAX)?;
    let mut sections = Vec::new();
    let mut section_ids = FxHashSet::default();
    for (index, section) in form.sections.iter().enumerate() {
        let at = format!("/sections/{index}");
        let content = reader.blocks(&section.content, &format!("{at}/content"), index)?;
        unique(
            &mut section_ids,
            &section.id,
            Place::new(&at, "id"),
            "section",
        )?;
        // The respondent block, if any, is one and not numbered; the other sections are.
        if section.respondent && sections.iter().any(|s: &Section| s.respondent) {
            return fail(&at, "the form has two respondent blocks".to_owned());
        }
        if section.respondent != section.number.is_empty() {
            return fail(
                &format!("{at}/number"),
                match section.respondent {
                    true => "the respondent block has no number".to_owned(),
                    false => "a section has a number".to_owned(),
                },
            );
        }
        sections.push(Section {
            id: section.id.to_string(),
            number: section.number.to_string(),
            respondent: section.respondent,
            title: section.title.to_string(),
            content,
            constraints: Vec::new(),
        });
    }
    // Every item is known: the rules.
    reader.rules()?;
    for ((index, section), read) in form.sections.iter().enumerate().zip(&mut sections) {
        let at = format!("/sections/{index}/constraints");
        read.constraints = reader.constraints(&section.constraints, None, &at)?;
    }
    let header = &form.instrument;
    let mut instrument = Instrument {
        id: header.id.to_string(),
        title: header.title.to_string(),
        resolution: header.resolution.as_deref().map(str::to_owned),
        version: header.version.as_deref().map(str::to_owned),
        language: header.language.as_deref().map(str::to_owned),
        date: header.date.as_deref().map(str::to_owned),
        status: header.status.as_deref().map(str::to_owned),
        introduction,
        scales: std::mem::take(&mut reader.scales),
        specials,
        documents: std::mem::take(&mut reader.documents),
        sections,
        items: std::mem::take(&mut reader.items),
        translations: translations(&form),
        report: std::mem::take(&mut reader.report),
        tests: Vec::new(),
        localized: localized(&form),
    };
    instrument.print_citations();
    reader.semantics(&instrument)?;
    calculation_order(&form.calculation_order, &instrument)?;
    Ok(instrument)
}

/// The form as its types, or the first place that does not fit them. Deep forms are read with
/// room on the stack (see [`crate::stack`]).
fn deserialize(value: &Value) -> Result<Form<'_>> {
    let deserializer = serde_stacker::Deserializer {
        de: value,
        red_zone: crate::stack::RED_ZONE,
        stack_size: 4 * 1024 * 1024,
    };
    serde_path_to_error::deserialize(deserializer).or_else(|error| {
        let mut pointer = String::new();
        for segment in error.path().iter() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => {
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                }
                serde_path_to_error::Segment::Map { key } => {
                    pointer.push('/');
                    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                }
                serde_path_to_error::Segment::Enum { .. }
                | serde_path_to_error::Segment::Unknown => {}
            }
        }
        fail(&pointer, in_words(&error.into_inner().to_string()))
    })
}

/// serde's message in the words of JSON: a number, an array, an object.
fn in_words(message: &str) -> String {
    let message = message
        .replace("expected f64", "expected a number")
        .replace("expected u64", "expected a whole number")
        .replace("expected a sequence", "expected an array")
        .replace("expected a map", "expected an object")
        .replace("map,", "an object,")
        .replace("sequence,", "an array,");
    match message.split_once("expected struct ") {
        Some((before, _)) => format!("{before}expected an object"),
        None => message,
    }
}

/// The translations of a form, in the order of `languages` (which the compiler writes in
/// declaration order), then any it does not describe.
fn translations(form: &Form) -> Vec<Translation> {
    let mut order: Vec<&str> = Vec::new();
    for language in &form.languages {
        if form.translations.contains_key(&language.code) && !order.contains(&&*language.code) {
            order.push(&language.code);
        }
    }
    let described: Vec<&str> = order.clone();
    order.extend(
        form.translations
            .keys()
            .map(|code| &**code)
            .filter(|code| !described.contains(code)),
    );
    order
        .into_iter()
        .filter_map(|code| {
            let strings = form.translations.get(code)?;
            let language = form.languages.iter().find(|language| language.code == code);
            Some(Translation {
                language: code.to_owned(),
                rtl: language.is_some_and(|l| l.direction == format::Direction::Rtl),
                status: language.and_then(|l| l.status.as_deref().map(str::to_owned)),
                strings: strings.clone().into_owned(),
            })
        })
        .collect()
}

/// The id of each item of a form, by name: items are numbered in document order, each before
/// its sub-items, as [`Reader::item`] reads them. (A form that names an item twice is refused
/// when the second is read.)
fn numbered(form: &Form) -> FxHashMap<String, ItemId> {
    fn items<'b, 'a>(
        blocks: &'b [format::Block<'a>],
    ) -> impl Iterator<Item = &'b format::Item<'a>> {
        blocks.iter().filter_map(|block| match block {
            format::Block::Item(item) => Some(&**item),
            _ => None,
        })
    }
    let mut stack: Vec<&format::Item<'_>> = items(&form.introduction)
        .chain(form.sections.iter().flat_map(|s| items(&s.content)))
        .collect();
    stack.reverse();
    let mut out = FxHashMap::default();
    let mut next = 0;
    // Depth first, without recursion: each item, then its sub-items in order.
    while let Some(item) = stack.pop() {
        out.entry(item.id.to_string()).or_insert(ItemId::from(next));
        next += 1;
        stack.extend(item.items.iter().rev());
    }
    out
}

/// Where something is in the form, as a JSON pointer written out only when it is needed (a
/// refusal, a piped text): `at`, then `key`, then an index.
#[derive(Clone, Copy)]
struct Place<'p> {
    at: &'p str,
    key: &'p str,
    index: Option<usize>,
}

impl<'p> Place<'p> {
    fn new(at: &'p str, key: &'p str) -> Place<'p> {
        Place {
            at,
            key,
            index: None,
        }
    }

    /// The `index`th element of the array here.
    fn nth(self, index: usize) -> Place<'p> {
        Place {
            index: Some(index),
            ..self
        }
    }

    fn pointer(self) -> String {
        let mut pointer = self.at.to_owned();
        if !self.key.is_empty() {
            pointer.push('/');
            pointer.push_str(self.key);
        }
        if let Some(index) = self.index {
            pointer.push('/');
            pointer.push_str(&index.to_string());
        }
        pointer
    }
}

#[derive(Default)]
struct Reader<'f> {
    scales: TiVec<ScaleId, Scale>,
    scale_ids: FxHashMap<String, ScaleId>,
    documents: TiVec<DocumentId, Document>,
    /// Each document by id, and each of its paragraphs by number.
    document_ids: FxHashMap<String, (DocumentId, FxHashMap<String, usize>)>,
    /// The subparagraphs of each paragraph, by letter.
    letters: FxHashMap<(DocumentId, usize), FxHashMap<String, usize>>,
    items: TiVec<ItemId, Item>,
    item_ids: FxHashMap<String, ItemId>,
    /// Each item as the form writes it, and where, by `ItemId`: its rules are read from it in
    /// the second pass.
    written: TiVec<ItemId, (&'f format::Item<'f>, String)>,
    /// The id each item will have, by name, so that a text can pipe an item read later.
    numbered: FxHashMap<String, ItemId>,
    /// Each item a text pipes, with where the text is.
    piped: Vec<(ItemId, String)>,
    /// The report's headings, read before the items.
    report: Vec<ReportHeading>,
}

impl<'f> Reader<'f> {
    /// The headings an item feeds, by their ids; an id the form does not declare is refused.
    fn feeds(&self, ids: &[format::Str<'_>], at: &str) -> Result<Vec<usize>> {
        ids.iter()
            .enumerate()
            .map(|(index, id)| {
                self.report
                    .iter()
                    .position(|heading| heading.id == id.as_ref())
                    .map_or_else(
                        || {
                            fail(
                                &format!("{at}/{index}"),
                                format!("the report has no heading `{id}`"),
                            )
                        },
                        Ok,
                    )
            })
            .collect()
    }

    /// A text the form writes with `{id}` for a piped item and `{{`, `}}` for braces.
    fn text(&mut self, text: &str, place: Place<'_>) -> Result<Text> {
        let text =
            Text::read(text, |name| self.numbered.get(name).copied()).or_else(|unknown| {
                fail(
                    &place.pointer(),
                    format!("`{{{}}}` names no item of the form", unknown.name),
                )
            })?;
        self.piped
            .extend(text.piped().map(|item| (item, place.pointer())));
        Ok(text)
    }

    fn texts(&mut self, texts: &[format::Str<'_>], place: Place<'_>) -> Result<Vec<Text>> {
        texts
            .iter()
            .enumerate()
            .map(|(index, text)| self.text(text, place.nth(index)))
            .collect()
    }

    /// The options of a scale: at least one (E0110), each code an id, none twice (E0111).
    fn choices(&mut self, options: &[format::Choice], at: &str) -> Result<Vec<Choice>> {
        if options.is_empty() {
            return fail(at, "a scale has at least one option");
        }
        let mut seen = FxHashSet::default();
        options
            .iter()
            .enumerate()
            .map(|(index, option)| {
                let at = format!("{at}/{index}");
                unique(&mut seen, &option.code, Place::new(&at, "code"), "code")?;
                Ok(Choice {
                    code: option.code.to_string(),
                    label: self.text(&option.label, Place::new(&at, "label"))?,
                    score: option.score,
                })
            })
            .collect()
    }

    fn scales(&mut self, scales: &[format::Scale]) -> Result<()> {
        for (index, scale) in scales.iter().enumerate() {
            let at = format!("/scales/{index}");
            ident(&scale.id, &format!("{at}/id"))?;
            let options = self.choices(&scale.options, &format!("{at}/options"))?;
            let id = ScaleId::from(self.scales.len());
            if self.scale_ids.insert(scale.id.to_string(), id).is_some() {
                return fail(&at, format!("scale `{}` appears twice", scale.id));
            }
            self.scales.push(Scale {
                name: Some(scale.id.to_string()),
                label: scale.label.as_deref().map(str::to_owned),
                options,
            });
        }
        Ok(())
    }

    fn documents(&mut self, documents: &[format::Document]) -> Result<()> {
        for (index, document) in documents.iter().enumerate() {
            let at = format!("/documents/{index}");
            ident(&document.id, &format!("{at}/id"))?;
            let id = DocumentId::from(self.documents.len());
            let mut numbers = FxHashMap::default();
            let mut paragraphs = TiVec::new();
            for (p, paragraph) in document.paragraphs.iter().enumerate() {
                let at = format!("{at}/paragraphs/{p}");
                if numbers.insert(paragraph.number.to_string(), p).is_some() {
                    return fail(&at, format!("paragraph {} appears twice", paragraph.number));
                }
                let mut letters = FxHashMap::default();
                let mut subparagraphs = TiVec::new();
                for (s, sub) in paragraph.subparagraphs.iter().enumerate() {
                    let at = format!("{at}/subparagraphs/{s}");
                    if letters.insert(sub.letter.to_string(), s).is_some() {
                        return fail(&at, format!("subparagraph ({}) appears twice", sub.letter));
                    }
                    subparagraphs.push(Subparagraph {
                        letter: sub.letter.to_string(),
                        text: official(sub.text.as_deref(), sub.pending, &at)?,
                    });
                }
                self.letters.insert((id, p), letters);
                paragraphs.push(Paragraph {
                    number: paragraph.number.to_string(),
                    heading: paragraph.heading.as_deref().map(str::to_owned),
                    text: official(paragraph.text.as_deref(), paragraph.pending, &at)?,
                    subparagraphs,
                });
            }
            if self
                .document_ids
                .insert(document.id.to_string(), (id, numbers))
                .is_some()
            {
                return fail(&at, format!("document `{}` appears twice", document.id));
            }
            self.documents.push(Document {
                id: document.id.to_string(),
                title: document.title.to_string(),
                sources: document.sources.iter().map(|s| s.to_string()).collect(),
                paragraphs,
            });
        }
        Ok(())
    }

    /// A citation, or why it names nothing.
    fn citation(
        &self,
        document: &str,
        paragraph: &str,
        letter: Option<&str>,
    ) -> std::result::Result<Citation, String> {
        let Some((d, numbers)) = self.document_ids.get(document) else {
            return Err(format!("no document `{document}`"));
        };
        let (d, Some(&p)) = (*d, numbers.get(paragraph)) else {
            return Err(format!("no paragraph {paragraph} in `{document}`"));
        };
        let subparagraph = match letter {
            Some(letter) => match self.letters.get(&(d, p)).and_then(|l| l.get(letter)) {
                Some(&s) => Some(s),
                None => return Err(format!("no subparagraph {paragraph} ({letter})")),
            },
            None => None,
        };
        Ok(Citation {
            document: d,
            paragraph: p.into(),
            subparagraph: subparagraph.map(Into::into),
        })
    }

    fn citations(&self, citations: &[format::Citation], place: Place<'_>) -> Result<Vec<Citation>> {
        citations
            .iter()
            .enumerate()
            .map(|(index, citation)| {
                self.citation(
                    &citation.document,
                    &citation.paragraph,
                    citation.subparagraph.as_deref(),
                )
                .or_else(|message| fail(&place.nth(index).pointer(), message))
            })
            .collect()
    }

    fn blocks(
        &mut self,
        blocks: &'f [format::Block],
        at: &str,
        section: usize,
    ) -> Result<Vec<Block>> {
        let mut out = Vec::with_capacity(blocks.len());
        for (index, block) in blocks.iter().enumerate() {
            let at = format!("{at}/{index}");
            out.push(match block {
                format::Block::Text(format::Prose { text }) => {
                    Block::Text(self.text(text, Place::new(&at, "text"))?)
                }
                format::Block::Heading(format::Prose { text }) => {
                    Block::Heading(self.text(text, Place::new(&at, "text"))?)
                }
                format::Block::Excerpt(format::Excerpt {
                    document,
                    paragraphs,
                }) => {
                    let mut citations = Vec::new();
                    for paragraph in paragraphs {
                        let letters: Vec<Option<&str>> = match &paragraph.subparagraphs {
                            Some(letters) => letters.iter().map(|l| Some(&**l)).collect(),
                            None => vec![None],
                        };
                        for letter in letters {
                            let citation = self.citation(document, &paragraph.number, letter);
                            citations.push(citation.or_else(|message| fail(&at, message))?);
                        }
                    }
                    Block::Excerpt(citations)
                }
                format::Block::Item(item) => Block::Item(self.item(item, &at, None, section)?),
            });
        }
        Ok(out)
    }

    fn item(
        &mut self,
        item: &'f format::Item,
        at: &str,
        parent: Option<ItemId>,
        section: usize,
    ) -> Result<ItemId> {
        crate::stack::guard(|| self.item_at(item, at, parent, section))
    }

    fn item_at(
        &mut self,
        item: &'f format::Item,
        at: &str,
        parent: Option<ItemId>,
        section: usize,
    ) -> Result<ItemId> {
        let id = ItemId::from(self.items.len());
        ident(&item.id, &format!("{at}/id"))?;
        if self.item_ids.insert(item.id.to_string(), id).is_some() {
            return fail(at, format!("item id `{}` appears twice", item.id));
        }
        self.written.push((item, at.to_owned()));
        let answer = match &item.answer {
            Some(answer) => Some(self.answer(answer, &format!("{at}/answer"))?),
            None => None,
        };
        if item.shown && item.kind != format::Kind::Calc {
            return fail(
                &Place::new(at, "shown").pointer(),
                "only a calculated value is shown or kept from view".to_owned(),
            );
        }
        let label = self.text(&item.label, Place::new(at, "label"))?;
        let help = self.texts(&item.help, Place::new(at, "help"))?;
        let notes = self.texts(&item.notes, Place::new(at, "notes"))?;
        self.items.push(Item {
            id: item.id.to_string(),
            kind: match item.kind {
                format::Kind::Question => ItemKind::Question,
                format::Kind::Item => ItemKind::SubItem,
                format::Kind::Ask => ItemKind::Ask,
                format::Kind::Followup => ItemKind::Followup,
                format::Kind::Field => ItemKind::Field,
                format::Kind::Grid => ItemKind::Grid,
                format::Kind::Table => ItemKind::Table,
                format::Kind::Calc => ItemKind::Calculated,
            },
            number: item.number.as_deref().map(str::to_owned),
            marker: item.marker.as_deref().map(str::to_owned),
            label,
            answer,
            condition: None,
            required: item.required,
            help,
            notes,
            citations: self.citations(&item.citations, Place::new(at, "citations"))?,
            cited: cited(&item.citations, &item.citation_text),
            shown: item.shown,
            parent,
            children: Vec::new(),
            specials: item.specials.iter().map(|s| s.to_string()).collect(),
            constraints: Vec::new(),
            calculation: None,
            section,
            feeds: self.feeds(&item.feeds, &format!("{at}/feeds"))?,
            span: Span::default(),
        });
        for (index, child) in item.items.iter().enumerate() {
            let at = format!("{at}/items/{index}");
            let child = self.item(child, &at, Some(id), section)?;
            self.items.at_mut(id).children.push(child);
        }
        Ok(id)
    }

    /// An answer, without its rules (read by [`Reader::rules`]).
    fn answer(&mut self, answer: &format::Answer, at: &str) -> Result<AnswerType> {
        crate::stack::guard(|| self.answer_at(answer, at))
    }

    fn answer_at(&mut self, answer: &format::Answer, at: &str) -> Result<AnswerType> {
        Ok(match answer {
            format::Answer::Choice(choice) => self.choice(choice, at)?,
            format::Answer::Text(format::TextAnswer { long }) => AnswerType::Text { long: *long },
            format::Answer::Date => AnswerType::Date,
            format::Answer::Country => AnswerType::Country,
            format::Answer::Number(number) => number_answer(number, at)?,
            format::Answer::Amount(format::AmountAnswer { currencies }) => AnswerType::Amount {
                currencies: currencies.iter().map(|s| s.to_string()).collect(),
            },
            format::Answer::List(list) => self.list(list, at)?,
            format::Answer::Table(table) => self.table(table, at)?,
            format::Answer::Grid(grid) => self.grid(grid, at)?,
        })
    }

    /// A choice from a named scale, or from the item's own options (a scale of its own).
    fn choice(&mut self, choice: &format::ChoiceAnswer, at: &str) -> Result<AnswerType> {
        let scale = match (&choice.scale, &choice.options) {
            (Some(scale), _) => match self.scale_ids.get(&**scale) {
                Some(id) => *id,
                None => return fail(at, format!("no scale `{scale}`")),
            },
            (None, Some(options)) => {
                let options = self.choices(options, &format!("{at}/options"))?;
                self.scales.push(Scale {
                    name: None,
                    label: None,
                    options,
                });
                ScaleId::from(self.scales.len() - 1)
            }
            (None, None) => return fail(at, "a choice needs a `scale` or `options`"),
        };
        Ok(AnswerType::Choice {
            scale,
            multiple: choice.multiple,
        })
    }

    /// A list's fields (their conditions, its counts and rules are read with the rules).
    fn list(&mut self, list: &format::ListAnswer, at: &str) -> Result<AnswerType> {
        let mut seen = FxHashSet::default();
        let mut fields = Vec::with_capacity(list.fields.len());
        for (index, field) in list.fields.iter().enumerate() {
            let at = format!("{at}/fields/{index}");
            unique(&mut seen, &field.id, Place::new(&at, "id"), "field")?;
            fields.push(RecordField {
                id: field.id.to_string(),
                label: self.text(&field.label, Place::new(&at, "label"))?,
                help: self.texts(&field.help, Place::new(&at, "help"))?,
                notes: self.texts(&field.notes, Place::new(&at, "notes"))?,
                answer: self.answer(&field.answer, &format!("{at}/answer"))?,
                required: field.required,
                condition: None,
                calculation: None,
                shown: field.shown,
                span: Span::default(),
            });
        }
        Ok(AnswerType::List(List {
            fields,
            min: None,
            max: None,
            constraints: Vec::new(),
        }))
    }

    /// A table of numbers or amounts.
    fn table(&mut self, table: &format::TableAnswer, at: &str) -> Result<AnswerType> {
        let cell = self.answer(&table.cell, &format!("{at}/cell"))?;
        if !matches!(cell, AnswerType::Number { .. } | AnswerType::Amount { .. }) {
            return fail(
                &format!("{at}/cell"),
                "a table's cells are numbers or amounts",
            );
        }
        Ok(AnswerType::Table(Table {
            cell: Box::new(cell),
            rows: self.lines(&table.rows, &format!("{at}/rows"))?,
            columns: self.lines(&table.columns, &format!("{at}/columns"))?,
        }))
    }

    /// A grid's columns (their conditions are read with the rules) and rows.
    fn grid(&mut self, grid: &format::GridAnswer, at: &str) -> Result<AnswerType> {
        let mut seen = FxHashSet::default();
        let mut columns = Vec::with_capacity(grid.columns.len());
        for (index, column) in grid.columns.iter().enumerate() {
            let at = format!("{at}/columns/{index}");
            unique(&mut seen, &column.id, Place::new(&at, "id"), "column")?;
            columns.push(Column {
                id: column.id.to_string(),
                label: self.text(&column.label, Place::new(&at, "label"))?,
                condition: None,
            });
        }
        let mut seen = FxHashSet::default();
        let mut rows = Vec::with_capacity(grid.rows.len());
        for (index, row) in grid.rows.iter().enumerate() {
            let at = format!("{at}/rows/{index}");
            unique(&mut seen, &row.id, Place::new(&at, "id"), "row")?;
            let answer = match &row.answer {
                Some(answer) => Some(self.answer(answer, &format!("{at}/answer"))?),
                None => None,
            };
            rows.push(Row {
                id: row.id.to_string(),
                marker: row.marker.to_string(),
                label: self.text(&row.label, Place::new(&at, "label"))?,
                citations: self.citations(&row.citations, Place::new(&at, "citations"))?,
                cited: cited(&row.citations, &row.citation_text),
                answer,
            });
        }
        let mut seen = FxHashSet::default();
        let mut row_sets = Vec::with_capacity(grid.row_sets.len());
        for (index, name) in grid.row_sets.iter().enumerate() {
            unique(
                &mut seen,
                name,
                Place::new(at, "row_sets").nth(index),
                "named rows",
            )?;
            row_sets.push(name.to_string());
        }
        Ok(AnswerType::Grid(Grid {
            columns,
            rows,
            row_sets,
        }))
    }

    /// The rows or the columns of a table.
    fn lines(&mut self, lines: &[format::Line], at: &str) -> Result<Vec<Heading>> {
        let mut seen = FxHashSet::default();
        lines
            .iter()
            .enumerate()
            .map(|(index, line)| {
                let at = format!("{at}/{index}");
                unique(&mut seen, &line.id, Place::new(&at, "id"), "line")?;
                Ok(Heading {
                    id: line.id.to_string(),
                    label: self.text(&line.label, Place::new(&at, "label"))?,
                    total: line.total,
                    citations: self.citations(&line.citations, Place::new(&at, "citations"))?,
                    cited: cited(&line.citations, &line.citation_text),
                })
            })
            .collect()
    }

    /// Reads the rules of the form over its items, all of them read.
    fn decoder(&self) -> Decoder<'_> {
        Decoder {
            items: &self.items,
            ids: &self.item_ids,
            scales: &self.scales,
        }
    }

    /// The second pass: each item's condition, calculation and constraints, and the logic of
    /// its answer (a list's field conditions, counts and record rules; a grid's columns).
    fn rules(&mut self) -> Result<()> {
        let written = std::mem::take(&mut self.written);
        for (id, (item, at)) in written.iter_enumerated() {
            let condition = match &item.condition {
                Some(rule) => Some(self.decoder().condition(rule, &format!("{at}/condition"))?),
                None => None,
            };
            // A calculated choice (a band) computes codes.
            let literal = match self.items.at(id).answer {
                Some(AnswerType::Choice { .. }) => Literal::Code,
                _ => Literal::Text,
            };
            let calculation = match &item.calculation {
                Some(rule) => {
                    Some(
                        self.decoder()
                            .value(rule, literal, None, &format!("{at}/calculation"))?,
                    )
                }
                None => None,
            };
            let constraints = match item.constraints.is_empty() {
                true => Vec::new(),
                false => self.constraints(&item.constraints, None, &format!("{at}/constraints"))?,
            };
            let logic = match &item.answer {
                Some(answer @ (format::Answer::List(_) | format::Answer::Grid(_))) => {
                    self.answer_rules(id, answer, &format!("{at}/answer"))?
                }
                _ => AnswerRules::None,
            };
            let read = self.items.at_mut(id);
            read.condition = condition;
            read.calculation = calculation;
            read.constraints = constraints;
            match (&mut read.answer, logic) {
                (
                    Some(AnswerType::List(list)),
                    AnswerRules::List(fields, min, max, constraints),
                ) => {
                    for (field, (condition, calculation)) in list.fields.iter_mut().zip(fields) {
                        field.condition = condition;
                        field.calculation = calculation;
                    }
                    list.min = min;
                    list.max = max;
                    list.constraints = constraints;
                }
                (Some(AnswerType::Grid(grid)), AnswerRules::Grid(columns)) => {
                    for (column, condition) in grid.columns.iter_mut().zip(columns) {
                        column.condition = condition;
                    }
                }
                _ => {}
            }
        }
        self.written = written;
        Ok(())
    }

    /// A value computed in each record of `list`, the field at `index`: it reads the fields
    /// before it, fixed values and today's date, as the compiler allows.
    fn record_calculation(
        &self,
        rule: &Value,
        list: ItemId,
        index: usize,
        at: &str,
    ) -> Result<crate::model::Operand> {
        let value = self.decoder().value(rule, Literal::Text, Some(list), at)?;
        let mut outside = false;
        value.for_each_item(&mut |_| outside = true);
        let mut later = false;
        value.for_each_field(&mut |field| later |= field >= index);
        if outside || later {
            return fail(
                at,
                "a record's computed field reads only the fields before it, fixed values and today's date",
            );
        }
        Ok(value)
    }

    /// The logic of an item's answer, read over every item.
    fn answer_rules(
        &mut self,
        list: ItemId,
        answer: &format::Answer,
        at: &str,
    ) -> Result<AnswerRules> {
        Ok(match answer {
            format::Answer::List(format::ListAnswer {
                fields,
                min,
                max,
                constraints,
            }) => {
                let conditions = fields
                    .iter()
                    .enumerate()
                    .map(|(index, field)| {
                        let condition = match &field.condition {
                            Some(rule) => Some(self.decoder().record_condition(
                                rule,
                                Some(list),
                                &format!("{at}/fields/{index}/condition"),
                            )?),
                            None => None,
                        };
                        let calculation = match &field.calculation {
                            Some(rule) => {
                                let at = format!("{at}/fields/{index}/calculation");
                                Some(self.record_calculation(rule, list, index, &at)?)
                            }
                            None => None,
                        };
                        Ok((condition, calculation))
                    })
                    .collect::<Result<_>>()?;
                let count = |end: End, count: &Option<Value>| -> Result<Option<Count>> {
                    let at = format!("{at}/{}", end.keyword());
                    match count {
                        None => Ok(None),
                        Some(Value::Number(n)) => match n.as_u64() {
                            Some(n) => Ok(Some(Count::Number(n))),
                            None => fail(&at, "a number of records is a whole number"),
                        },
                        Some(other) => Ok(Some(Count::Item(self.decoder().var(other, &at)?))),
                    }
                };
                AnswerRules::List(
                    conditions,
                    count(End::Min, min)?,
                    count(End::Max, max)?,
                    self.constraints(constraints, Some(list), &format!("{at}/constraints"))?,
                )
            }
            format::Answer::Grid(format::GridAnswer { columns, .. }) => AnswerRules::Grid(
                columns
                    .iter()
                    .enumerate()
                    .map(|(index, column)| match &column.condition {
                        Some(rule) => self
                            .decoder()
                            .condition(rule, &format!("{at}/columns/{index}/condition"))
                            .map(Some)
                            .map_err(FormError::from),
                        None => Ok(None),
                    })
                    .collect::<Result<_>>()?,
            ),
            _ => AnswerRules::None,
        })
    }

    fn constraints(
        &mut self,
        constraints: &[format::Constraint],
        list: Option<ItemId>,
        at: &str,
    ) -> Result<Vec<Constraint>> {
        constraints
            .iter()
            .enumerate()
            .map(|(index, constraint)| self.constraint(constraint, list, &format!("{at}/{index}")))
            .collect()
    }

    /// Reads a constraint: its rule, less the tests that it has something to test (which the
    /// model derives from the rule), its severity and its message.
    fn constraint(
        &mut self,
        constraint: &format::Constraint,
        list: Option<ItemId>,
        at: &str,
    ) -> Result<Constraint> {
        let rule = &constraint.rule;
        // `{"or": [{"!": [present]}, …, rule]}`: the tests come first, the rule last.
        let tested = match rule.get("or").and_then(Value::as_array) {
            Some(parts) => match parts.split_last() {
                Some((last, tests))
                    if !tests.is_empty()
                        && tests.iter().all(|test| {
                            test.get("!")
                                .and_then(Value::as_array)
                                .and_then(|inner| inner.first())
                                .is_some_and(|inner| is_guard(inner, last))
                        }) =>
                {
                    last
                }
                _ => rule,
            },
            None => rule,
        };
        let condition = self
            .decoder()
            .record_condition(tested, list, &format!("{at}/rule"))?;
        Ok(Constraint {
            condition,
            severity: match constraint.severity {
                format::Severity::Error => Severity::Error,
                format::Severity::Warning => Severity::Warning,
            },
            message: self.text(&constraint.message, Place::new(at, "message"))?,
            span: Span::default(),
        })
    }

    /// What the compiler refuses of a whole instrument, refused in a form too: texts that
    /// pipe what has no one value to show (E0108's "not shown"), and conditions and calculated
    /// values that read themselves (E0109).
    fn semantics(&self, instrument: &Instrument) -> Result<()> {
        let pointer = |id: ItemId| {
            self.written
                .get(id)
                .map_or_else(String::new, |(_, at)| at.clone())
        };
        // Texts were read with the ids `numbered` foresaw.
        for (name, id) in &self.numbered {
            if instrument
                .items
                .get(*id)
                .is_none_or(|item| &item.id != name)
            {
                return fail(
                    "",
                    format!("item `{name}` is not where the form's order puts it"),
                );
            }
        }
        for (id, at) in &self.piped {
            let item = instrument.item(*id);
            if !item.answer.as_ref().is_some_and(AnswerType::can_be_piped) {
                return fail(
                    at,
                    format!(
                        "the text shows `{{{}}}`, but a list, grid or table, or an item without an answer, has no value to show",
                        item.id
                    ),
                );
            }
        }
        // A calculated amount's currency is that of the amounts it computes with.
        for (id, (written, at)) in self.written.iter_enumerated() {
            let item = instrument.item(id);
            let expected = match (&item.answer, &item.calculation) {
                (Some(AnswerType::Amount { .. }), Some(calculation)) => {
                    Some(crate::emit::jsonlogic::currency(instrument, calculation))
                }
                _ => None,
            };
            currency_of(written.currency.as_ref(), expected, at)?;
            // A record's computed amounts likewise.
            if let (Some(AnswerType::List(list)), Some(format::Answer::List(fields))) =
                (&item.answer, &written.answer)
            {
                for (index, (field, written)) in list.fields.iter().zip(&fields.fields).enumerate()
                {
                    let expected = match (&field.answer, &field.calculation) {
                        (AnswerType::Amount { .. }, Some(calculation)) => Some(
                            crate::emit::jsonlogic::record_currency(instrument, id, calculation),
                        ),
                        _ => None,
                    };
                    let at = format!("{at}/answer/fields/{index}");
                    currency_of(written.currency.as_ref(), expected, &at)?;
                }
            }
        }
        if let Some(cycle) = instrument.dependency_cycle() {
            let names: Vec<String> = cycle
                .iter()
                .map(|id| format!("`{}`", instrument.item(*id).id))
                .collect();
            return fail(
                &cycle.first().map(|id| pointer(*id)).unwrap_or_default(),
                format!(
                    "conditions and calculated values form a cycle: {}",
                    names.join(" → ")
                ),
            );
        }
        Ok(())
    }
}

/// A computed amount's `currency` (at `at`) is the one written again from its calculation
/// (`expected`); what is not a computed amount has none.
fn currency_of(written: Option<&Value>, expected: Option<Value>, at: &str) -> Result<()> {
    if written == expected.as_ref() {
        return Ok(());
    }
    let message = match expected {
        Some(_) => "the currency of a computed amount is not that of the amounts it computes with",
        None => "only a computed amount has a `currency`",
    };
    fail(&format!("{at}/currency"), message)
}

/// The order the form gives its calculated values in lists each once, after those it reads.
fn calculation_order(order: &[format::Str<'_>], instrument: &Instrument) -> Result<()> {
    let calculated: FxHashMap<&str, ItemId> = instrument
        .items
        .iter_enumerated()
        .filter(|(_, item)| item.kind == crate::model::ItemKind::Calculated)
        .map(|(id, item)| (item.id.as_str(), id))
        .collect();
    if order.is_empty() {
        return Ok(());
    }
    let mut placed: FxHashMap<ItemId, usize> = FxHashMap::default();
    for (index, name) in order.iter().enumerate() {
        let at = format!("/calculation_order/{index}");
        let Some(&id) = calculated.get(name.as_ref()) else {
            return fail(
                &at,
                format!("`{name}` is not a calculated value of the form"),
            );
        };
        if placed.insert(id, index).is_some() {
            return fail(&at, format!("`{name}` is listed twice"));
        }
    }
    // In the order of the items, so that the same form is always refused for the same reason.
    let items = instrument.items.iter_enumerated();
    for (id, item) in items.filter(|(_, item)| item.kind == crate::model::ItemKind::Calculated) {
        let name = &item.id;
        let Some(&index) = placed.get(&id) else {
            return fail(
                "/calculation_order",
                format!("the calculated value `{name}` is not listed"),
            );
        };
        let mut early = None;
        if let Some(calculation) = &item.calculation {
            calculation.for_each_item(&mut |read| {
                if placed.get(&read).is_some_and(|&before| before > index) {
                    early = Some(read);
                }
            });
        }
        if let Some(read) = early {
            return fail(
                &format!("/calculation_order/{index}"),
                format!(
                    "`{name}` reads `{}`, which comes after it",
                    instrument.item(read).id
                ),
            );
        }
    }
    Ok(())
}

/// A number's bounds, the least no more than the most.
fn number_answer(number: &format::NumberAnswer, at: &str) -> Result<AnswerType> {
    if let (Some(min), Some(max)) = (number.min, number.max) {
        if min > max {
            return fail(at, format!("`min` {min} is more than `max` {max}"));
        }
    }
    Ok(AnswerType::Number {
        integer: number.integer,
        min: number.min,
        max: number.max,
    })
}

/// The logic of an answer, read in the second pass.
enum AnswerRules {
    None,
    /// Each field's condition and calculation, the bounds of the number of records, the
    /// records' rules.
    List(
        Vec<(
            Option<crate::model::Condition>,
            Option<crate::model::Operand>,
        )>,
        Option<Count>,
        Option<Count>,
        Vec<Constraint>,
    ),
    /// Each column's condition.
    Grid(Vec<Option<crate::model::Condition>>),
}

/// A paragraph's official text, or `None` when it is marked pending.
fn official(text: Option<&str>, pending: bool, at: &str) -> Result<Option<String>> {
    match (pending, text) {
        (true, _) => Ok(None),
        (false, Some(text)) => Ok(Some(text.to_owned())),
        (false, None) => fail(at, "missing `text`"),
    }
}

/// An id, as the compiler writes them: a letter or `_`, then letters, digits and `_`. Replies
/// key answers by these ids and the exports name fields after them, so a form with any other
/// (empty, with a dot, an `@` or a NUL) is refused as the compiler would refuse its source.
fn ident(id: &str, at: &str) -> Result<()> {
    let mut chars = id.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        let shown: String = id.chars().take(60).collect();
        return fail(
            at,
            format!(
                "`{}` is not an id: a letter or `_`, then letters, digits and `_`",
                shown.escape_debug()
            ),
        );
    }
    Ok(())
}

/// An id met nowhere before in the same list (`seen`): the compiler's E0101 and E0111.
fn unique<'v>(
    seen: &mut FxHashSet<&'v str>,
    id: &'v str,
    place: Place<'_>,
    what: &str,
) -> Result<()> {
    ident(id, &place.pointer())?;
    if !seen.insert(id) {
        return fail(place.at, format!("{what} `{id}` appears twice"));
    }
    Ok(())
}

/// The citations as the form prints them (in the form's language), when it cites something;
/// `None` leaves them to be printed from the citations.
fn cited(citations: &[format::Citation], text: &Option<format::Str<'_>>) -> Option<String> {
    match citations.is_empty() {
        true => None,
        false => text.as_deref().map(str::to_owned),
    }
}

/// What a form written in one of its translations (`--lang`) keeps of its source: the source's
/// language and the keys of the texts still in it. `None` for a form in its own language.
fn localized(form: &Form<'_>) -> Option<crate::model::Localized> {
    if !form.translations.is_empty() {
        return None;
    }
    let source = form.languages.iter().find(|language| language.source)?;
    let own = form.instrument.language.as_deref()?;
    if source.code == own {
        return None;
    }
    let language = form
        .languages
        .iter()
        .find(|language| language.code == own)?;
    Some(crate::model::Localized {
        source: source.code.to_string(),
        rtl: language.direction == format::Direction::Rtl,
        status: language.status.as_deref().map(str::to_owned),
        fallbacks: form.fallback.iter().map(|key| key.to_string()).collect(),
    })
}

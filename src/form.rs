//! Reading a compiled form definition (`qc-form/1` JSON) back into the model, so that a
//! frontend's CI can validate replies with the JSON artefact alone. Conditions are read back
//! from the JsonLogic that `emit::jsonlogic` writes.

use rustc_hash::FxHashMap;
use serde_json::{Map, Value};
use typed_index_collections::TiVec;

use crate::arena::Arena;
use crate::emit::json::FORMAT;
use crate::emit::jsonlogic::{is_guard, Decoder, Literal, Unreadable};
use crate::model::Severity;
use crate::model::{
    AnswerType, Block, Choice, Citation, Column, Constraint, Count, Document, End, Grid, Heading,
    Instrument, Item, ItemId, ItemKind, List, Paragraph, RecordField, Row, Scale, ScaleId, Section,
    Subparagraph, Table, Text, Translation,
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
pub fn read(form: &Value) -> Result<Instrument> {
    let root = object(form, "")?;
    match root.get("format").and_then(Value::as_str) {
        Some(FORMAT) => {}
        Some(other) => return fail("/format", format!("format `{other}` is not `{FORMAT}`")),
        None => return fail("/format", "not a qc form definition: no `format`"),
    }
    let header = object(get(root, "instrument", "")?, "/instrument")?;
    let text = |key: &str| header.get(key).and_then(Value::as_str).map(str::to_owned);
    let mut reader = Reader {
        numbered: numbered(root),
        ..Reader::default()
    };
    reader.scales(root)?;
    let specials = match root.get("specials") {
        Some(specials) if array(specials, "/specials")?.is_empty() => Vec::new(),
        Some(specials) => reader.choices(specials, "/specials")?,
        None => Vec::new(),
    };
    reader.documents(root)?;
    let introduction = match root.get("introduction") {
        Some(blocks) => reader.blocks(blocks, "/introduction", usize::MAX)?,
        None => Vec::new(),
    };
    let mut sections = Vec::new();
    let mut section_ids = rustc_hash::FxHashSet::default();
    for (index, section) in array(get(root, "sections", "")?, "/sections")?
        .iter()
        .enumerate()
    {
        let at = format!("/sections/{index}");
        let object = object(section, &at)?;
        let content = reader.blocks(
            get(object, "content", &at)?,
            &format!("{at}/content"),
            index,
        )?;
        if let Some(constraints) = object.get("constraints") {
            reader.pending.push(Pending::Constraints(
                Owner::Section(index),
                format!("{at}/constraints"),
                constraints.clone(),
            ));
        }
        let id = unique(&mut section_ids, object, "id", &at, "section")?;
        sections.push(Section {
            id: id.to_owned(),
            number: string(get(object, "number", &at)?, &at)?.to_owned(),
            title: string(get(object, "title", &at)?, &at)?.to_owned(),
            content,
            constraints: Vec::new(),
        });
    }
    reader.conditions(&mut sections)?;
    let instrument = Instrument {
        id: text("id").ok_or_else(|| missing("/instrument", "id"))?,
        title: text("title").ok_or_else(|| missing("/instrument", "title"))?,
        resolution: text("resolution"),
        version: text("version"),
        language: text("language"),
        date: text("date"),
        status: text("status"),
        introduction,
        scales: std::mem::take(&mut reader.scales),
        specials,
        documents: std::mem::take(&mut reader.documents),
        sections,
        items: std::mem::take(&mut reader.items),
        translations: translations(root)?,
        tests: Vec::new(),
    };
    // Texts were read with the ids `numbered` foresaw, and pipe what a text can show.
    for (name, id) in &reader.numbered {
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
    let mut piped = Vec::new();
    crate::translate::visit_texts(&mut instrument.clone(), &mut |_, slot| {
        if let crate::translate::Slot::Piped(text) = slot {
            piped.extend(text.piped());
        }
    });
    if let Some(id) = piped.into_iter().find(|id| {
        let answer = instrument.item(*id).answer.as_ref();
        !answer.is_some_and(AnswerType::can_be_piped)
    }) {
        return fail(
            reader
                .pointers
                .get(usize::from(id))
                .map_or("", String::as_str),
            format!(
                "a text shows `{{{}}}`, but a list, grid or table, or an item without an answer, has no value to show",
                instrument.item(id).id
            ),
        );
    }
    // A cycle would have a reply's calculated values read themselves (the compiler's E0109).
    if let Some(cycle) = instrument.dependency_cycle() {
        let names: Vec<String> = cycle
            .iter()
            .map(|id| format!("`{}`", instrument.item(*id).id))
            .collect();
        return fail(
            cycle
                .first()
                .and_then(|id| reader.pointers.get(usize::from(*id)))
                .map_or("", String::as_str),
            format!(
                "conditions and calculated values form a cycle: {}",
                names.join(" → ")
            ),
        );
    }
    Ok(instrument)
}

/// The translations of a form: `languages` gives each one's direction and status,
/// `translations` its texts by key.
fn translations(form: &Map<String, Value>) -> Result<Vec<Translation>> {
    let Some(translations) = form.get("translations") else {
        return Ok(Vec::new());
    };
    let translations = object(translations, "/translations")?;
    let languages = match form.get("languages") {
        Some(languages) => array(languages, "/languages")?.as_slice(),
        None => &[],
    };
    // In the order of `languages`, which the compiler writes in declaration order.
    let described: FxHashMap<&str, &Map<String, Value>> = languages
        .iter()
        .filter_map(Value::as_object)
        .filter_map(|entry| Some((entry.get("code")?.as_str()?, entry)))
        .collect();
    let mut listed = rustc_hash::FxHashSet::default();
    let mut order: Vec<&String> = languages
        .iter()
        .filter_map(|entry| entry.get("code").and_then(Value::as_str))
        .filter_map(|code| translations.get_key_value(code).map(|(key, _)| key))
        .filter(|key| listed.insert(key.as_str()))
        .collect();
    let undescribed: Vec<&String> = translations
        .keys()
        .filter(|key| !listed.contains(key.as_str()))
        .collect();
    order.extend(undescribed);
    let mut out = Vec::new();
    for language in order {
        let strings = &translations[language];
        let at = format!("/translations/{language}");
        let described = described.get(language.as_str()).copied();
        let strings = object(strings, &at)?
            .iter()
            .map(|(key, text)| {
                Ok((
                    key.clone(),
                    string(text, &format!("{at}/{key}"))?.to_owned(),
                ))
            })
            .collect::<Result<_>>()?;
        out.push(Translation {
            language: language.clone(),
            rtl: described
                .and_then(|d| d.get("direction"))
                .and_then(Value::as_str)
                == Some("rtl"),
            status: described
                .and_then(|d| d.get("status"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            strings,
        });
    }
    Ok(out)
}

/// A rule to read once every item is known, with where it is in the form.
enum Pending {
    Item(ItemId, String, Value),
    Column(ItemId, usize, String, Value),
    Calculation(ItemId, String, Value),
    Constraints(Owner, String, Value),
    /// A field of a list: the list, the field's index.
    Field(ItemId, usize, String, Value),
    /// A bound of a list's number of records.
    Count(ItemId, End, String, Value),
}

/// What constraints belong to.
enum Owner {
    Item(ItemId),
    Section(usize),
    Records(ItemId),
}

#[derive(Default)]
struct Reader {
    scales: TiVec<ScaleId, Scale>,
    scale_ids: FxHashMap<String, ScaleId>,
    documents: TiVec<crate::model::DocumentId, Document>,
    items: TiVec<ItemId, Item>,
    item_ids: FxHashMap<String, ItemId>,
    /// Where each item is in the form, by `ItemId`.
    pointers: Vec<String>,
    /// Each document by id, and each of its paragraphs by number.
    document_ids: FxHashMap<String, (usize, FxHashMap<String, usize>)>,
    /// The subparagraphs of each paragraph, by letter.
    letters: FxHashMap<(usize, usize), FxHashMap<String, usize>>,
    pending: Vec<Pending>,
    /// The id each item will have, by name, so that a text can pipe an item read later.
    numbered: FxHashMap<String, ItemId>,
}

/// The id of each item of a form, by name: items are numbered in document order, each before
/// its sub-items, as [`Reader::item`] reads them. (A form that names an item twice is refused
/// when the second is read.)
fn numbered(root: &Map<String, Value>) -> FxHashMap<String, ItemId> {
    let mut out = FxHashMap::default();
    fn items(blocks: Option<&Value>) -> impl Iterator<Item = &Value> {
        blocks
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|block| block.get("type").and_then(Value::as_str) == Some("item"))
    }
    let sections = root
        .get("sections")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    let mut stack: Vec<&Value> = items(root.get("introduction"))
        .chain(sections.flat_map(|section| items(section.get("content"))))
        .collect();
    stack.reverse();
    // Depth first, without recursion: each item, then its sub-items in order.
    while let Some(item) = stack.pop() {
        if let Some(name) = item.get("id").and_then(Value::as_str) {
            let id = ItemId::from(out.len());
            out.entry(name.to_owned()).or_insert(id);
        }
        if let Some(children) = item.get("items").and_then(Value::as_array) {
            stack.extend(children.iter().rev());
        }
    }
    out
}

impl Reader {
    /// A text the form writes with `{id}` for a piped item and `{{`, `}}` for braces.
    fn text(&self, value: &Value, at: &str) -> Result<Text> {
        Text::read(string(value, at)?, |name| self.numbered.get(name).copied()).or_else(|unknown| {
            fail(
                at,
                format!("`{{{}}}` names no item of the form", unknown.name),
            )
        })
    }

    /// The options of a scale: at least one (E0110), each code an id, none twice (E0111).
    fn choices(&self, value: &Value, at: &str) -> Result<Vec<Choice>> {
        let options = array(value, at)?;
        if options.is_empty() {
            return fail(at, "a scale has at least one option");
        }
        let mut seen = rustc_hash::FxHashSet::default();
        options
            .iter()
            .enumerate()
            .map(|(index, option)| {
                let at = format!("{at}/{index}");
                let option = object(option, &at)?;
                let code = unique(&mut seen, option, "code", &at, "code")?;
                Ok(Choice {
                    code: code.to_owned(),
                    label: self.text(get(option, "label", &at)?, &format!("{at}/label"))?,
                })
            })
            .collect()
    }

    /// Reads the rules of the form over the items read so far.
    fn decoder(&self) -> Decoder<'_> {
        Decoder {
            items: &self.items,
            ids: &self.item_ids,
        }
    }

    fn scales(&mut self, root: &Map<String, Value>) -> Result<()> {
        for (index, scale) in array(get(root, "scales", "")?, "/scales")?
            .iter()
            .enumerate()
        {
            let at = format!("/scales/{index}");
            let object = object(scale, &at)?;
            let id = ident(get(object, "id", &at)?, &format!("{at}/id"))?.to_owned();
            let options = self.choices(get(object, "options", &at)?, &format!("{at}/options"))?;
            if self
                .scale_ids
                .insert(id.clone(), ScaleId::from(self.scales.len()))
                .is_some()
            {
                return fail(&at, format!("scale `{id}` appears twice"));
            }
            self.scales.push(Scale {
                name: Some(id),
                label: object
                    .get("label")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                options,
            });
        }
        Ok(())
    }

    fn documents(&mut self, root: &Map<String, Value>) -> Result<()> {
        for (index, document) in array(get(root, "documents", "")?, "/documents")?
            .iter()
            .enumerate()
        {
            let at = format!("/documents/{index}");
            let object = object(document, &at)?;
            let mut paragraphs = Vec::new();
            for (p, paragraph) in array(get(object, "paragraphs", &at)?, &at)?
                .iter()
                .enumerate()
            {
                let at = format!("{at}/paragraphs/{p}");
                let paragraph = self::object(paragraph, &at)?;
                let mut subparagraphs = Vec::new();
                if let Some(subs) = paragraph.get("subparagraphs") {
                    for (s, sub) in array(subs, &at)?.iter().enumerate() {
                        let at = format!("{at}/subparagraphs/{s}");
                        let sub = self::object(sub, &at)?;
                        subparagraphs.push(Subparagraph {
                            letter: string(get(sub, "letter", &at)?, &at)?.to_owned(),
                            text: pending_text(sub, &at)?,
                        });
                    }
                }
                paragraphs.push(Paragraph {
                    number: string(get(paragraph, "number", &at)?, &at)?.to_owned(),
                    heading: paragraph
                        .get("heading")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    text: pending_text(paragraph, &at)?,
                    subparagraphs: subparagraphs.into(),
                });
            }
            let id = ident(get(object, "id", &at)?, &format!("{at}/id"))?.to_owned();
            let mut numbers = FxHashMap::default();
            let d = self.documents.len();
            for (p, paragraph) in paragraphs.iter().enumerate() {
                let at = format!("{at}/paragraphs/{p}");
                if numbers.insert(paragraph.number.clone(), p).is_some() {
                    return fail(&at, format!("paragraph {} appears twice", paragraph.number));
                }
                let mut letters = FxHashMap::default();
                for (s, sub) in paragraph.subparagraphs.iter().enumerate() {
                    if letters.insert(sub.letter.clone(), s).is_some() {
                        return fail(&at, format!("subparagraph ({}) appears twice", sub.letter));
                    }
                }
                self.letters.insert((d, p), letters);
            }
            if self.document_ids.insert(id.clone(), (d, numbers)).is_some() {
                return fail(&at, format!("document `{id}` appears twice"));
            }
            self.documents.push(Document {
                id,
                title: string(get(object, "title", &at)?, &at)?.to_owned(),
                sources: object
                    .get("sources")
                    .and_then(Value::as_array)
                    .map(|sources| {
                        sources
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
                paragraphs: paragraphs.into(),
            });
        }
        Ok(())
    }

    fn citation(
        &self,
        document: &str,
        paragraph: &str,
        letter: Option<&str>,
        at: &str,
    ) -> Result<Citation> {
        let Some((d, numbers)) = self.document_ids.get(document) else {
            return fail(at, format!("no document `{document}`"));
        };
        let (d, Some(&p)) = (*d, numbers.get(paragraph)) else {
            return fail(at, format!("no paragraph {paragraph} in `{document}`"));
        };
        let subparagraph = match letter {
            Some(letter) => match self.letters.get(&(d, p)).and_then(|l| l.get(letter)) {
                Some(&s) => Some(s),
                None => return fail(at, format!("no subparagraph {paragraph} ({letter})")),
            },
            None => None,
        };
        Ok(Citation {
            document: d.into(),
            paragraph: p.into(),
            subparagraph: subparagraph.map(Into::into),
        })
    }

    fn citations(&self, value: Option<&Value>, at: &str) -> Result<Vec<Citation>> {
        let Some(value) = value else {
            return Ok(Vec::new());
        };
        array(value, at)?
            .iter()
            .enumerate()
            .map(|(index, citation)| {
                let at = format!("{at}/{index}");
                let object = object(citation, &at)?;
                self.citation(
                    string(get(object, "document", &at)?, &at)?,
                    string(get(object, "paragraph", &at)?, &at)?,
                    object.get("subparagraph").and_then(Value::as_str),
                    &at,
                )
            })
            .collect()
    }

    fn blocks(&mut self, value: &Value, at: &str, section: usize) -> Result<Vec<Block>> {
        let mut blocks = Vec::new();
        for (index, block) in array(value, at)?.iter().enumerate() {
            let at = format!("{at}/{index}");
            let object = object(block, &at)?;
            let block = match string(get(object, "type", &at)?, &at)? {
                "text" => Block::Text(self.text(get(object, "text", &at)?, &format!("{at}/text"))?),
                "heading" => {
                    Block::Heading(self.text(get(object, "text", &at)?, &format!("{at}/text"))?)
                }
                "excerpt" => {
                    let document = string(get(object, "document", &at)?, &at)?;
                    let mut citations = Vec::new();
                    for paragraph in array(get(object, "paragraphs", &at)?, &at)? {
                        let paragraph = self::object(paragraph, &at)?;
                        let number = string(get(paragraph, "number", &at)?, &at)?;
                        match paragraph.get("subparagraphs").and_then(Value::as_array) {
                            Some(letters) => {
                                for letter in letters.iter().filter_map(Value::as_str) {
                                    citations.push(self.citation(
                                        document,
                                        number,
                                        Some(letter),
                                        &at,
                                    )?);
                                }
                            }
                            None => citations.push(self.citation(document, number, None, &at)?),
                        }
                    }
                    Block::Excerpt(citations)
                }
                "item" => Block::Item(self.item(object, &at, None, section)?),
                other => return fail(&at, format!("unknown block type `{other}`")),
            };
            blocks.push(block);
        }
        Ok(blocks)
    }

    fn item(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
        parent: Option<ItemId>,
        section: usize,
    ) -> Result<ItemId> {
        crate::stack::guard(|| self.item_at(object, at, parent, section))
    }

    fn item_at(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
        parent: Option<ItemId>,
        section: usize,
    ) -> Result<ItemId> {
        let id = ItemId::from(self.items.len());
        let name = ident(get(object, "id", at)?, &format!("{at}/id"))?.to_owned();
        self.pointers.push(at.to_owned());
        if self.item_ids.insert(name.clone(), id).is_some() {
            return fail(at, format!("item id `{name}` appears twice"));
        }
        let kind = match string(get(object, "kind", at)?, at)? {
            "question" => ItemKind::Question,
            "item" => ItemKind::SubItem,
            "ask" => ItemKind::Ask,
            "followup" => ItemKind::Followup,
            "field" => ItemKind::Field,
            "grid" => ItemKind::Grid,
            "table" => ItemKind::Table,
            "calc" => ItemKind::Calculated,
            other => return fail(at, format!("unknown item kind `{other}`")),
        };
        let strings = |key: &str| -> Vec<String> {
            object
                .get(key)
                .and_then(Value::as_array)
                .map(|texts| {
                    texts
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        let texts = |key: &str| -> Result<Vec<Text>> {
            match object.get(key) {
                Some(texts) => array(texts, &format!("{at}/{key}"))?
                    .iter()
                    .enumerate()
                    .map(|(index, text)| self.text(text, &format!("{at}/{key}/{index}")))
                    .collect(),
                None => Ok(Vec::new()),
            }
        };
        let help = texts("help")?;
        let notes = texts("notes")?;
        let label = self.text(get(object, "label", at)?, &format!("{at}/label"))?;
        let answer = match object.get("answer") {
            Some(answer) => Some(self.answer(answer, &format!("{at}/answer"), id, &name)?),
            None => None,
        };
        if let Some(condition) = object.get("condition") {
            self.pending.push(Pending::Item(
                id,
                format!("{at}/condition"),
                condition.clone(),
            ));
        }
        if let Some(calculation) = object.get("calculation") {
            self.pending.push(Pending::Calculation(
                id,
                format!("{at}/calculation"),
                calculation.clone(),
            ));
        }
        if let Some(constraints) = object.get("constraints") {
            self.pending.push(Pending::Constraints(
                Owner::Item(id),
                format!("{at}/constraints"),
                constraints.clone(),
            ));
        }
        self.items.push(Item {
            id: name,
            kind,
            number: object
                .get("number")
                .and_then(Value::as_str)
                .map(str::to_owned),
            marker: object
                .get("marker")
                .and_then(Value::as_str)
                .map(str::to_owned),
            label,
            answer,
            condition: None,
            required: object
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            help,
            notes,
            citations: self.citations(object.get("citations"), &format!("{at}/citations"))?,
            parent,
            children: Vec::new(),
            specials: strings("specials"),
            constraints: Vec::new(),
            calculation: None,
            section,
            span: Span::default(),
        });
        if let Some(children) = object.get("items") {
            for (index, child) in array(children, at)?.iter().enumerate() {
                let at = format!("{at}/items/{index}");
                let child = self.item(self::object(child, &at)?, &at, Some(id), section)?;
                self.items.at_mut(id).children.push(child);
            }
        }
        Ok(id)
    }

    fn answer(&mut self, value: &Value, at: &str, item: ItemId, name: &str) -> Result<AnswerType> {
        let object = object(value, at)?;
        let flag = |key: &str| object.get(key).and_then(Value::as_bool).unwrap_or(false);
        Ok(match string(get(object, "type", at)?, at)? {
            "choice" => {
                let scale = match (object.get("scale"), object.get("options")) {
                    (Some(scale), _) => {
                        let scale = string(scale, at)?;
                        match self.scale_ids.get(scale) {
                            Some(id) => *id,
                            None => return fail(at, format!("no scale `{scale}`")),
                        }
                    }
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
                AnswerType::Choice {
                    scale,
                    multiple: flag("multiple"),
                }
            }
            "text" => AnswerType::Text { long: flag("long") },
            "date" => AnswerType::Date,
            "number" => {
                let (min, max) = (bound(object, "min", at)?, bound(object, "max", at)?);
                if let (Some(min), Some(max)) = (min, max) {
                    if min > max {
                        return fail(at, format!("`min` {min} is more than `max` {max}"));
                    }
                }
                AnswerType::Number {
                    integer: flag("integer"),
                    min,
                    max,
                }
            }
            "amount" => AnswerType::Amount {
                currencies: object
                    .get("currencies")
                    .and_then(Value::as_array)
                    .map(|c| {
                        c.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
            },
            "list" => {
                let mut fields = Vec::new();
                let mut seen = rustc_hash::FxHashSet::default();
                for (index, field) in array(get(object, "fields", at)?, at)?.iter().enumerate() {
                    let at = format!("{at}/fields/{index}");
                    let field = self::object(field, &at)?;
                    let id = unique(&mut seen, field, "id", &at, "field")?;
                    if let Some(condition) = field.get("condition") {
                        self.pending.push(Pending::Field(
                            item,
                            index,
                            format!("{at}/condition"),
                            condition.clone(),
                        ));
                    }
                    fields.push(RecordField {
                        id: id.to_owned(),
                        label: self.text(get(field, "label", &at)?, &format!("{at}/label"))?,
                        answer: self.answer(
                            get(field, "answer", &at)?,
                            &format!("{at}/answer"),
                            item,
                            name,
                        )?,
                        required: field
                            .get("required")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                        condition: None,
                    });
                }
                for end in [End::Min, End::Max] {
                    if let Some(count) = object.get(end.keyword()) {
                        let at = format!("{at}/{}", end.keyword());
                        self.pending
                            .push(Pending::Count(item, end, at, count.clone()));
                    }
                }
                if let Some(constraints) = object.get("constraints") {
                    self.pending.push(Pending::Constraints(
                        Owner::Records(item),
                        format!("{at}/constraints"),
                        constraints.clone(),
                    ));
                }
                AnswerType::List(List {
                    fields,
                    min: None,
                    max: None,
                    constraints: Vec::new(),
                })
            }
            "table" => {
                let cell =
                    self.answer(get(object, "cell", at)?, &format!("{at}/cell"), item, name)?;
                if !matches!(cell, AnswerType::Number { .. } | AnswerType::Amount { .. }) {
                    return fail(
                        &format!("{at}/cell"),
                        "a table's cells are numbers or amounts",
                    );
                }
                let lines = |key: &str| -> Result<Vec<Heading>> {
                    let mut out = Vec::new();
                    let mut seen = rustc_hash::FxHashSet::default();
                    for (index, line) in array(get(object, key, at)?, at)?.iter().enumerate() {
                        let at = format!("{at}/{key}/{index}");
                        let line = self::object(line, &at)?;
                        let id = unique(&mut seen, line, "id", &at, "line")?;
                        out.push(Heading {
                            id: id.to_owned(),
                            label: self.text(get(line, "label", &at)?, &format!("{at}/label"))?,
                            total: line.get("total").and_then(Value::as_bool).unwrap_or(false),
                            citations: self
                                .citations(line.get("citations"), &format!("{at}/citations"))?,
                        });
                    }
                    Ok(out)
                };
                let rows = lines("rows")?;
                let columns = lines("columns")?;
                AnswerType::Table(Table {
                    cell: Box::new(cell),
                    rows,
                    columns,
                })
            }
            "grid" => {
                let mut columns = Vec::new();
                let mut seen = rustc_hash::FxHashSet::default();
                for (index, column) in array(get(object, "columns", at)?, at)?.iter().enumerate() {
                    let at = format!("{at}/columns/{index}");
                    let column = self::object(column, &at)?;
                    let id = unique(&mut seen, column, "id", &at, "column")?;
                    if let Some(condition) = column.get("condition") {
                        self.pending.push(Pending::Column(
                            item,
                            index,
                            format!("{at}/condition"),
                            condition.clone(),
                        ));
                    }
                    columns.push(Column {
                        id: id.to_owned(),
                        label: self.text(get(column, "label", &at)?, &format!("{at}/label"))?,
                        condition: None,
                    });
                }
                let mut rows = Vec::new();
                let mut seen = rustc_hash::FxHashSet::default();
                for (index, row) in array(get(object, "rows", at)?, at)?.iter().enumerate() {
                    let at = format!("{at}/rows/{index}");
                    let row = self::object(row, &at)?;
                    let id = unique(&mut seen, row, "id", &at, "row")?;
                    let answer = match row.get("answer") {
                        Some(answer) => {
                            Some(self.answer(answer, &format!("{at}/answer"), item, name)?)
                        }
                        None => None,
                    };
                    rows.push(Row {
                        id: id.to_owned(),
                        marker: string(get(row, "marker", &at)?, &at)?.to_owned(),
                        label: self.text(get(row, "label", &at)?, &format!("{at}/label"))?,
                        citations: self
                            .citations(row.get("citations"), &format!("{at}/citations"))?,
                        answer,
                    });
                }
                AnswerType::Grid(Grid { columns, rows })
            }
            other => return fail(at, format!("unknown answer type `{other}` for `{name}`")),
        })
    }

    /// Reads every rule, now that every item is known.
    fn conditions(&mut self, sections: &mut [Section]) -> Result<()> {
        for pending in std::mem::take(&mut self.pending) {
            match pending {
                Pending::Item(item, at, rule) => {
                    self.items.at_mut(item).condition = Some(self.decoder().condition(&rule, &at)?);
                }
                Pending::Calculation(item, at, rule) => {
                    let value = self.decoder().value(&rule, Literal::Text, None, &at)?;
                    self.items.at_mut(item).calculation = Some(value);
                }
                Pending::Constraints(owner, at, rules) => {
                    let list = match owner {
                        Owner::Records(list) => Some(list),
                        _ => None,
                    };
                    let mut constraints = Vec::new();
                    for (index, constraint) in array(&rules, &at)?.iter().enumerate() {
                        let at = format!("{at}/{index}");
                        constraints.push(self.constraint(constraint, list, &at)?);
                    }
                    match owner {
                        Owner::Item(item) => self.items.at_mut(item).constraints = constraints,
                        Owner::Section(section) => {
                            sections.at_mut(section).constraints = constraints
                        }
                        Owner::Records(item) => {
                            if let Some(AnswerType::List(list)) =
                                &mut self.items.at_mut(item).answer
                            {
                                list.constraints = constraints;
                            }
                        }
                    }
                }
                Pending::Field(item, field, at, rule) => {
                    let condition = self.decoder().record_condition(&rule, Some(item), &at)?;
                    if let Some(AnswerType::List(list)) = &mut self.items.at_mut(item).answer {
                        list.fields.at_mut(field).condition = Some(condition);
                    }
                }
                Pending::Count(item, end, at, count) => {
                    let count = match &count {
                        Value::Number(n) => match n.as_u64() {
                            Some(n) => Count::Number(n),
                            None => return fail(&at, "a number of records is a whole number"),
                        },
                        other => Count::Item(self.decoder().var(other, &at)?),
                    };
                    if let Some(AnswerType::List(list)) = &mut self.items.at_mut(item).answer {
                        *list.count_mut(end) = Some(count);
                    }
                }
                Pending::Column(item, column, at, rule) => {
                    let condition = self.decoder().condition(&rule, &at)?;
                    if let Some(AnswerType::Grid(grid)) = &mut self.items.at_mut(item).answer {
                        grid.columns.at_mut(column).condition = Some(condition);
                    }
                }
            }
        }
        Ok(())
    }

    /// Reads a constraint: its rule, less the tests that it has something to test (which the
    /// model derives from the rule), its severity and its message.
    fn constraint(&self, value: &Value, list: Option<ItemId>, at: &str) -> Result<Constraint> {
        let object = object(value, at)?;
        let severity = match string(get(object, "severity", at)?, at)? {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            other => return fail(at, format!("unknown severity `{other}`")),
        };
        let rule = get(object, "rule", at)?;
        let at_rule = format!("{at}/rule");
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
        Ok(Constraint {
            condition: self.decoder().record_condition(tested, list, &at_rule)?,
            severity,
            message: self.text(get(object, "message", at)?, &format!("{at}/message"))?,
            span: Span::default(),
        })
    }
}

/// A number's bound: absent, or a number (never a text read as none).
fn bound(object: &Map<String, Value>, key: &str, at: &str) -> Result<Option<f64>> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(value) if value.is_finite() => Ok(Some(value)),
            _ => fail(&format!("{at}/{key}"), "a bound is a finite number"),
        },
        Some(_) => fail(&format!("{at}/{key}"), format!("`{key}` is a number")),
    }
}

/// An id, as the compiler writes them: a letter or `_`, then letters, digits and `_`. Replies
/// key answers by these ids and the exports name fields after them, so a form with any other
/// (empty, with a dot, an `@` or a NUL) is refused as the compiler would refuse its source.
fn ident<'v>(value: &'v Value, at: &str) -> Result<&'v str> {
    let id = string(value, at)?;
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
    Ok(id)
}

/// The id of `object` under `key`, an id met nowhere before in the same list (`seen`): the
/// compiler's E0101 and E0111.
fn unique<'v>(
    seen: &mut rustc_hash::FxHashSet<&'v str>,
    object: &'v Map<String, Value>,
    key: &str,
    at: &str,
    what: &str,
) -> Result<&'v str> {
    let id = ident(get(object, key, at)?, &format!("{at}/{key}"))?;
    if !seen.insert(id) {
        return fail(at, format!("{what} `{id}` appears twice"));
    }
    Ok(id)
}

fn missing(at: &str, key: &str) -> FormError {
    FormError {
        pointer: at.to_owned(),
        message: format!("missing `{key}`"),
    }
}

/// A paragraph's text, or `None` when it is marked pending.
fn pending_text(object: &Map<String, Value>, at: &str) -> Result<Option<String>> {
    if object.get("pending").and_then(Value::as_bool) == Some(true) {
        return Ok(None);
    }
    Ok(Some(string(get(object, "text", at)?, at)?.to_owned()))
}

fn get<'v>(object: &'v Map<String, Value>, key: &str, at: &str) -> Result<&'v Value> {
    object.get(key).ok_or_else(|| missing(at, key))
}

fn object<'v>(value: &'v Value, at: &str) -> Result<&'v Map<String, Value>> {
    value.as_object().ok_or_else(|| FormError {
        pointer: at.to_owned(),
        message: "expected an object".to_owned(),
    })
}

fn array<'v>(value: &'v Value, at: &str) -> Result<&'v Vec<Value>> {
    value.as_array().ok_or_else(|| FormError {
        pointer: at.to_owned(),
        message: "expected an array".to_owned(),
    })
}

fn string<'v>(value: &'v Value, at: &str) -> Result<&'v str> {
    value.as_str().ok_or_else(|| FormError {
        pointer: at.to_owned(),
        message: "expected a string".to_owned(),
    })
}

//! Check: from the AST to the checked [`model`](crate::model).
//!
//! Resolves every name (items, scales, codes, documents, paragraphs), types the conditions,
//! numbers the items, and runs the graph checks (cycles, later references). It collects every
//! problem it finds and returns them sorted by position; the model is returned only when none
//! of them is an error. It reads no pest types and does no I/O.

mod condition;
pub mod error;
mod graph;

use rustc_hash::FxHashMap as HashMap;

pub use error::CheckError;
use error::{did_you_mean, Note};

use crate::model::{self, Answer, Block, ItemId, ScaleId};
use crate::span::Span;
use crate::syntax::ast;

/// Checks a parsed file. Returns the model when there are no errors (warnings allowed), and all
/// problems sorted by position.
pub fn check(file: &ast::File) -> (Option<model::Instrument>, Vec<CheckError>) {
    let mut checker = Checker::default();
    checker.declarations(file);
    checker.conditions();
    let mut errors = std::mem::take(&mut checker.errors);
    errors.extend(graph::check(&checker.items, &checker.references));
    errors.extend(labels(&checker));
    errors.sort_by_key(|error| (error.span().start, error.span().end));
    let instrument = if errors.iter().any(|error| !error.is_warning()) {
        None
    } else {
        checker.finish()
    };
    (instrument, errors)
}

/// An item's guard, resolved once every item is known.
struct PendingGuard<'a> {
    item: ItemId,
    /// `Some(column)` for a grid column's guard.
    column: Option<usize>,
    guard: &'a ast::Guard,
}

/// One item read by a condition: `from`'s condition names `to` at `span`.
pub(crate) struct Reference {
    pub from: ItemId,
    pub to: ItemId,
    pub span: Span,
}

#[derive(Default)]
struct Checker<'a> {
    errors: Vec<CheckError>,
    header: Option<&'a ast::Header>,
    introduction: Vec<Block>,
    scales: Vec<model::Scale>,
    scale_names: HashMap<&'a str, (ScaleId, Span)>,
    documents: Vec<model::Document>,
    document_names: HashMap<&'a str, (usize, Span)>,
    /// Each paragraph by document and number.
    paragraph_index: HashMap<(usize, &'a str), usize>,
    sections: Vec<model::Section>,
    section_names: HashMap<&'a str, Span>,
    items: Vec<model::Item>,
    item_names: HashMap<&'a str, ItemId>,
    /// The span of each item's label, by item index, to report duplicate labels.
    label_spans: Vec<Span>,
    pending: Vec<PendingGuard<'a>>,
    references: Vec<Reference>,
    questions: usize,
}

impl<'a> Checker<'a> {
    fn declarations(&mut self, file: &'a ast::File) {
        // Scales and documents first: items refer to them wherever they are declared.
        for declaration in &file.declarations {
            match declaration {
                ast::Declaration::Instrument(header) => self.header(header),
                ast::Declaration::Scale(scale) => self.scale(scale),
                ast::Declaration::Document(document) => self.document(document),
                ast::Declaration::Introduction(_) | ast::Declaration::Section(_) => {}
            }
        }
        if self.header.is_none() {
            let span = file
                .declarations
                .first()
                .map_or(Span::at(0), declaration_span);
            self.errors.push(CheckError::Header {
                message: "the file has no instrument header".to_owned(),
                span: Span::new(span.start, span.start),
                label: "expected `instrument` before this".to_owned(),
            });
        }
        for declaration in &file.declarations {
            match declaration {
                ast::Declaration::Introduction(introduction) => {
                    let blocks = self.prose(&introduction.prose);
                    self.introduction.extend(blocks);
                }
                ast::Declaration::Section(section) => self.section(section),
                _ => {}
            }
        }
    }

    fn header(&mut self, header: &'a ast::Header) {
        if let Some(first) = self.header {
            self.errors.push(CheckError::Header {
                message: "the file has a second instrument header".to_owned(),
                span: header.id.span,
                label: format!("the header of `{}` came before", first.id.name),
            });
            return;
        }
        self.header = Some(header);
        let mut seen: Vec<&ast::HeaderField> = Vec::new();
        for field in &header.fields {
            if let Some(first) = seen.iter().find(|seen| seen.key == field.key) {
                self.errors.push(CheckError::Duplicate {
                    kind: "header field",
                    name: field.key.as_str().to_owned(),
                    span: field.key_span,
                    first: Note::new(first.key_span, "first defined here"),
                });
            } else {
                seen.push(field);
            }
        }
        if !seen.iter().any(|field| field.key == ast::HeaderKey::Title) {
            self.errors.push(CheckError::Header {
                message: format!("instrument `{}` has no title", header.id.name),
                span: header.id.span,
                label: "add `title \"…\"` to this header".to_owned(),
            });
        }
    }

    fn scale(&mut self, scale: &'a ast::ScaleDecl) {
        if let Some((_, first)) = self.scale_names.get(scale.id.name.as_str()) {
            self.errors.push(CheckError::Duplicate {
                kind: "scale",
                name: scale.id.name.clone(),
                span: scale.id.span,
                first: Note::new(*first, "first defined here"),
            });
            return;
        }
        let id = self.options(
            Some(&scale.id),
            scale.label.as_ref().map(|label| label.value.clone()),
            &scale.options,
        );
        self.scale_names
            .insert(scale.id.name.as_str(), (id, scale.id.span));
    }

    /// Adds a list of options as a scale, checking it is not empty and has no duplicate code.
    fn options(
        &mut self,
        name: Option<&ast::Ident>,
        label: Option<String>,
        options: &ast::Options,
    ) -> ScaleId {
        let what = match name {
            Some(name) => format!("scale `{}`", name.name),
            None => "these options".to_owned(),
        };
        if options.options.is_empty() {
            self.errors.push(CheckError::EmptyScale {
                name: name.map_or_else(|| "(inline)".to_owned(), |name| name.name.clone()),
                span: options.span,
            });
        }
        let mut choices: Vec<model::Choice> = Vec::new();
        let mut seen: HashMap<&str, Span> = HashMap::default();
        let mut labels: HashMap<&str, Span> = HashMap::default();
        for option in &options.options {
            if let Some(first) = seen.get(option.code.name.as_str()) {
                self.errors.push(CheckError::DuplicateCode {
                    code: option.code.name.clone(),
                    scale: what.clone(),
                    span: option.code.span,
                    first: Note::new(*first, "first used here"),
                });
                continue;
            }
            seen.insert(&option.code.name, option.code.span);
            if let Some(first) = labels.get(option.label.value.as_str()) {
                self.errors.push(CheckError::DuplicateLabel {
                    label: option.label.value.clone(),
                    span: option.label.span,
                    first: Note::new(*first, "first used here"),
                });
            } else {
                labels.insert(&option.label.value, option.label.span);
            }
            choices.push(model::Choice {
                code: option.code.name.clone(),
                label: option.label.value.clone(),
            });
        }
        self.scales.push(model::Scale {
            name: name.map(|name| name.name.clone()),
            label,
            options: choices,
        });
        ScaleId(self.scales.len() - 1)
    }

    fn document(&mut self, document: &'a ast::DocumentDecl) {
        if let Some((_, first)) = self.document_names.get(document.id.name.as_str()) {
            self.errors.push(CheckError::Duplicate {
                kind: "document",
                name: document.id.name.clone(),
                span: document.id.span,
                first: Note::new(*first, "first defined here"),
            });
            return;
        }
        let mut paragraphs: Vec<model::Paragraph> = Vec::new();
        let mut spans: HashMap<&str, Span> = HashMap::default();
        for paragraph in &document.paragraphs {
            if let Some(first) = spans.get(paragraph.number.name.as_str()) {
                self.errors.push(CheckError::Duplicate {
                    kind: "paragraph",
                    name: paragraph.number.name.clone(),
                    span: paragraph.number.span,
                    first: Note::new(*first, "first defined here"),
                });
                continue;
            }
            spans.insert(&paragraph.number.name, paragraph.number.span);
            self.paragraph_index.insert(
                (self.documents.len(), paragraph.number.name.as_str()),
                paragraphs.len(),
            );
            let mut letters: HashMap<&str, Span> = HashMap::default();
            let mut subparagraphs = Vec::new();
            for sub in &paragraph.subparagraphs {
                if let Some(first) = letters.get(sub.letter.name.as_str()) {
                    self.errors.push(CheckError::Duplicate {
                        kind: "subparagraph",
                        name: format!("{} ({})", paragraph.number.name, sub.letter.name),
                        span: sub.letter.span,
                        first: Note::new(*first, "first defined here"),
                    });
                    continue;
                }
                letters.insert(&sub.letter.name, sub.letter.span);
                subparagraphs.push(model::Subparagraph {
                    letter: sub.letter.name.clone(),
                    text: sub.text.value.clone(),
                });
            }
            paragraphs.push(model::Paragraph {
                number: paragraph.number.name.clone(),
                heading: paragraph.heading.as_ref().map(|text| text.value.clone()),
                text: paragraph.text.value.clone(),
                subparagraphs,
            });
        }
        self.document_names.insert(
            document.id.name.as_str(),
            (self.documents.len(), document.id.span),
        );
        self.documents.push(model::Document {
            id: document.id.name.clone(),
            title: document.title.value.clone(),
            sources: document.sources.iter().map(|s| s.value.clone()).collect(),
            paragraphs,
        });
    }

    /// Resolves `guidelines 6 (a), 8`; unknown references are reported and left out.
    fn citations(&mut self, refs: &ast::ParaRefs) -> Vec<model::Citation> {
        let Some(&(document, _)) = self.document_names.get(refs.document.name.as_str()) else {
            self.errors.push(CheckError::UnknownDocument {
                name: refs.document.name.clone(),
                span: refs.document.span,
                help: did_you_mean(&refs.document.name, self.document_names.keys().copied()),
            });
            return Vec::new();
        };
        let mut citations = Vec::new();
        for reference in &refs.refs {
            let paragraphs = &self.documents[document].paragraphs;
            let found = self
                .paragraph_index
                .get(&(document, reference.number.as_str()));
            let Some(&paragraph) = found else {
                self.errors.push(CheckError::UnknownParagraph {
                    reference: display_ref(reference),
                    document: refs.document.name.clone(),
                    span: reference.span,
                    help: did_you_mean(
                        &reference.number,
                        paragraphs.iter().map(|p| p.number.as_str()),
                    ),
                });
                continue;
            };
            let subparagraph = match &reference.letter {
                None => None,
                Some(letter) => {
                    let subs = &paragraphs[paragraph].subparagraphs;
                    match subs.iter().position(|s| &s.letter == letter) {
                        Some(index) => Some(index),
                        None => {
                            let help = if subs.is_empty() {
                                format!("paragraph {} has no subparagraphs", reference.number)
                            } else {
                                let letters: Vec<String> =
                                    subs.iter().map(|s| format!("({})", s.letter)).collect();
                                format!(
                                    "paragraph {} has subparagraphs {}",
                                    reference.number,
                                    letters.join(", ")
                                )
                            };
                            self.errors.push(CheckError::UnknownParagraph {
                                reference: display_ref(reference),
                                document: refs.document.name.clone(),
                                span: reference.span,
                                help: Some(help),
                            });
                            continue;
                        }
                    }
                }
            };
            citations.push(model::Citation {
                document,
                paragraph,
                subparagraph,
            });
        }
        citations
    }

    fn prose(&mut self, prose: &[ast::Prose]) -> Vec<Block> {
        prose
            .iter()
            .map(|prose| match prose {
                ast::Prose::Text(text) => Block::Text(text.value.clone()),
                ast::Prose::Heading(text) => Block::Heading(text.value.clone()),
                ast::Prose::Quote(refs) => Block::Excerpt(self.citations(refs)),
            })
            .collect()
    }

    fn section(&mut self, section: &'a ast::SectionDecl) {
        if let Some(first) = self.section_names.get(section.id.name.as_str()) {
            self.errors.push(CheckError::Duplicate {
                kind: "section",
                name: section.id.name.clone(),
                span: section.id.span,
                first: Note::new(*first, "first defined here"),
            });
        } else {
            self.section_names
                .insert(section.id.name.as_str(), section.id.span);
        }
        let index = self.sections.len();
        self.sections.push(model::Section {
            id: section.id.name.clone(),
            number: roman(index + 1),
            title: section.title.value.clone(),
            content: Vec::new(),
        });
        for member in &section.members {
            let block = match member {
                ast::SectionMember::Prose(prose) => {
                    self.prose(std::slice::from_ref(prose)).remove(0)
                }
                ast::SectionMember::Item(item) => Block::Item(self.item(item, None, index)),
                ast::SectionMember::Grid(grid) => Block::Item(self.grid(grid, None, index)),
            };
            self.sections[index].content.push(block);
        }
    }

    /// Registers an item id, reporting a duplicate.
    fn register(&mut self, ident: &'a ast::Ident, id: ItemId) {
        if let Some(first) = self.item_names.get(ident.name.as_str()) {
            self.errors.push(CheckError::Duplicate {
                kind: "item id",
                name: ident.name.clone(),
                span: ident.span,
                first: Note::new(self.items[first.0].span, "first defined here"),
            });
        } else {
            self.item_names.insert(ident.name.as_str(), id);
        }
    }

    /// Adds an item with its place in the tree and its number; returns its id.
    fn push_item(
        &mut self,
        ident: &'a ast::Ident,
        label: &ast::Text,
        kind: model::ItemKind,
        parent: Option<ItemId>,
        section: usize,
    ) -> ItemId {
        let id = ItemId(self.items.len());
        let (number, marker) = self.number(kind, parent);
        self.items.push(model::Item {
            id: ident.name.clone(),
            kind,
            number,
            marker,
            label: label.value.clone(),
            answer: None,
            condition: None,
            required: false,
            help: Vec::new(),
            notes: Vec::new(),
            citations: Vec::new(),
            parent,
            children: Vec::new(),
            section,
            span: ident.span,
        });
        self.label_spans.push(label.span);
        if let Some(parent) = parent {
            self.items[parent.0].children.push(id);
        }
        self.register(ident, id);
        id
    }

    /// The printed number of a new item: questions count on across sections, sub-items are
    /// lettered under a question and numbered (i), (ii)… under a sub-item.
    fn number(
        &mut self,
        kind: model::ItemKind,
        parent: Option<ItemId>,
    ) -> (Option<String>, Option<String>) {
        match kind {
            model::ItemKind::Question => {
                self.questions += 1;
                let number = self.questions.to_string();
                (Some(number.clone()), Some(number))
            }
            model::ItemKind::SubItem => {
                // The nearest numbered ancestor gives the prefix and the depth.
                let mut depth = 0;
                let mut prefix = None;
                let mut cursor = parent;
                while let Some(id) = cursor {
                    let item = &self.items[id.0];
                    if let Some(number) = &item.number {
                        prefix.get_or_insert_with(|| number.clone());
                        depth += 1;
                    }
                    cursor = item.parent;
                }
                let siblings = parent.map_or(0, |parent| {
                    self.items[parent.0]
                        .children
                        .iter()
                        .filter(|child| self.items[child.0].kind == model::ItemKind::SubItem)
                        .count()
                });
                let marker = format!("({})", marker(depth, siblings + 1));
                let number = match prefix {
                    Some(prefix) => format!("{prefix} {marker}"),
                    None => marker.clone(),
                };
                (Some(number), Some(marker))
            }
            _ => (None, None),
        }
    }

    fn item(&mut self, item: &'a ast::ItemDecl, parent: Option<ItemId>, section: usize) -> ItemId {
        let kind = match item.kind {
            ast::ItemKind::Question => model::ItemKind::Question,
            ast::ItemKind::SubItem => model::ItemKind::SubItem,
            ast::ItemKind::Ask => model::ItemKind::Ask,
            ast::ItemKind::Followup => model::ItemKind::Followup,
            ast::ItemKind::Field => model::ItemKind::Field,
        };
        let id = self.push_item(&item.id, &item.label, kind, parent, section);
        if kind == model::ItemKind::Field {
            let parent_kind = parent.map(|parent| self.items[parent.0].kind);
            if parent_kind != Some(model::ItemKind::Followup) {
                self.errors.push(CheckError::FieldOutsideFollowup {
                    name: item.id.name.clone(),
                    span: item.id.span,
                    parent: match parent {
                        Some(parent) => format!("`{}`", self.items[parent.0].id),
                        None => "a section".to_owned(),
                    },
                });
            }
        }
        let answer = item.answer.as_ref().and_then(|answer| self.answer(answer));
        self.items[id.0].answer = answer;
        match &item.guard {
            Some(guard) => self.pending.push(PendingGuard {
                item: id,
                column: None,
                guard,
            }),
            None if kind == model::ItemKind::Followup => {
                self.errors.push(CheckError::UnboundFollowup {
                    name: item.id.name.clone(),
                    span: item.id.span,
                    reason: "asked whatever the answer".to_owned(),
                    help: Some(format!(
                        "say which answers it follows: `followup {} \"…\" on yes`",
                        item.id.name
                    )),
                });
            }
            None => {}
        }
        self.attributes(id, &item.id, &item.members);
        for member in &item.members {
            match member {
                ast::ItemMember::Item(child) => {
                    self.item(child, Some(id), section);
                }
                ast::ItemMember::Grid(grid) => {
                    self.grid(grid, Some(id), section);
                }
                _ => {}
            }
        }
        let item_ = &self.items[id.0];
        if item_.answer.is_none() && item_.children.is_empty() && item.answer.is_none() {
            self.errors.push(CheckError::NothingToAnswer {
                name: item.id.name.clone(),
                span: item.id.span,
            });
        }
        id
    }

    /// Applies `cites`, `help`, `note`, `required` and `optional` to an item.
    fn attributes(&mut self, id: ItemId, ident: &ast::Ident, members: &[ast::ItemMember]) {
        let mut required = None;
        let mut optional = None;
        for member in members {
            match member {
                ast::ItemMember::Cites(refs) => {
                    let citations = self.citations(refs);
                    self.items[id.0].citations.extend(citations);
                }
                ast::ItemMember::Help(text) => self.items[id.0].help.push(text.value.clone()),
                ast::ItemMember::Note(text) => self.items[id.0].notes.push(text.value.clone()),
                ast::ItemMember::Required(span) => required = Some(*span),
                ast::ItemMember::Optional(span) => optional = Some(*span),
                ast::ItemMember::Item(_) | ast::ItemMember::Grid(_) => {}
            }
        }
        if let (Some(required), Some(optional)) = (required, optional) {
            self.errors.push(CheckError::RequiredAndOptional {
                name: ident.name.clone(),
                span: optional,
                required: Note::new(required, "required here"),
            });
        }
        let item = &mut self.items[id.0];
        item.required = item.answer.is_some() && optional.is_none();
    }

    fn grid(&mut self, grid: &'a ast::GridDecl, parent: Option<ItemId>, section: usize) -> ItemId {
        let id = self.push_item(
            &grid.id,
            &grid.label,
            model::ItemKind::Grid,
            parent,
            section,
        );
        if let Some(guard) = &grid.guard {
            self.pending.push(PendingGuard {
                item: id,
                column: None,
                guard,
            });
        }
        let mut columns = Vec::new();
        let mut column_names: HashMap<&str, Span> = HashMap::default();
        for (index, column) in grid.columns.iter().enumerate() {
            if let Some(first) = column_names.get(column.id.name.as_str()) {
                self.errors.push(CheckError::Duplicate {
                    kind: "column",
                    name: column.id.name.clone(),
                    span: column.id.span,
                    first: Note::new(*first, "first defined here"),
                });
            }
            column_names.insert(&column.id.name, column.id.span);
            if let Some(guard) = &column.guard {
                self.pending.push(PendingGuard {
                    item: id,
                    column: Some(index),
                    guard,
                });
            }
            columns.push(model::Column {
                id: column.id.name.clone(),
                label: column.label.value.clone(),
                condition: None,
            });
        }
        let mut rows = Vec::new();
        let mut row_names: HashMap<&str, Span> = HashMap::default();
        for (index, row) in grid.rows.iter().enumerate() {
            if let Some(first) = row_names.get(row.id.name.as_str()) {
                self.errors.push(CheckError::Duplicate {
                    kind: "row",
                    name: row.id.name.clone(),
                    span: row.id.span,
                    first: Note::new(*first, "first defined here"),
                });
            }
            row_names.insert(&row.id.name, row.id.span);
            let citations = match &row.cites {
                Some(refs) => self.citations(refs),
                None => Vec::new(),
            };
            let answer = row.answer.as_ref().and_then(|answer| self.answer(answer));
            rows.push(model::Row {
                id: row.id.name.clone(),
                marker: format!("({})", marker(1, index + 1)),
                label: row.label.value.clone(),
                citations,
                answer,
            });
        }
        self.items[id.0].answer = Some(Answer::Grid(model::Grid { columns, rows }));
        self.attributes(id, &grid.id, &grid.attributes);
        id
    }

    /// Resolves an answer type; `None` when it names an unknown scale (reported).
    fn answer(&mut self, answer: &ast::AnswerType) -> Option<Answer> {
        Some(match &answer.kind {
            ast::AnswerKind::One(choices) => Answer::Choice {
                scale: self.choices(choices)?,
                multiple: false,
            },
            ast::AnswerKind::Many(choices) => Answer::Choice {
                scale: self.choices(choices)?,
                multiple: true,
            },
            ast::AnswerKind::Text => Answer::Text { long: false },
            ast::AnswerKind::LongText => Answer::Text { long: true },
            ast::AnswerKind::Date => Answer::Date,
            ast::AnswerKind::Number { integer, min, max } => {
                if let (Some(min), Some(max)) = (min, max) {
                    if min.value > max.value {
                        self.errors.push(CheckError::InvertedBounds {
                            min: min.value,
                            max: max.value,
                            span: min.span.cover(max.span),
                        });
                    }
                }
                Answer::Number {
                    integer: *integer,
                    min: min.map(|bound| bound.value),
                    max: max.map(|bound| bound.value),
                }
            }
            ast::AnswerKind::Amount { currencies } => Answer::Amount {
                currencies: currencies.iter().map(|c| c.name.clone()).collect(),
            },
            ast::AnswerKind::List(fields) => {
                let mut seen: HashMap<&str, Span> = HashMap::default();
                let mut record = Vec::new();
                for field in fields {
                    if let Some(first) = seen.get(field.id.name.as_str()) {
                        self.errors.push(CheckError::Duplicate {
                            kind: "field",
                            name: field.id.name.clone(),
                            span: field.id.span,
                            first: Note::new(*first, "first defined here"),
                        });
                        continue;
                    }
                    seen.insert(&field.id.name, field.id.span);
                    if let Some(answer) = self.answer(&field.answer) {
                        record.push(model::RecordField {
                            id: field.id.name.clone(),
                            label: field.label.value.clone(),
                            answer,
                            required: !field.optional,
                        });
                    }
                }
                Answer::List { fields: record }
            }
        })
    }

    fn choices(&mut self, choices: &ast::Choices) -> Option<ScaleId> {
        match choices {
            ast::Choices::Scale(name) => match self.scale_names.get(name.name.as_str()) {
                Some((id, _)) => Some(*id),
                None => {
                    self.errors.push(CheckError::UnknownScale {
                        name: name.name.clone(),
                        span: name.span,
                        help: did_you_mean(&name.name, self.scale_names.keys().copied()),
                    });
                    None
                }
            },
            ast::Choices::Inline(options) => Some(self.options(None, None, options)),
        }
    }

    /// Resolves every guard now that every item is known.
    fn conditions(&mut self) {
        for pending in std::mem::take(&mut self.pending) {
            let resolved = condition::resolve(self, pending.item, pending.guard);
            let Some(condition) = resolved else { continue };
            match pending.column {
                None => self.items[pending.item.0].condition = Some(condition),
                Some(column) => {
                    if let Some(Answer::Grid(grid)) = &mut self.items[pending.item.0].answer {
                        grid.columns[column].condition = Some(condition);
                    }
                }
            }
        }
    }

    fn finish(self) -> Option<model::Instrument> {
        let header = self.header?;
        let field = |key: ast::HeaderKey| {
            header
                .fields
                .iter()
                .find(|field| field.key == key)
                .map(|field| field.value.value.clone())
        };
        Some(model::Instrument {
            id: header.id.name.clone(),
            title: field(ast::HeaderKey::Title)?,
            resolution: field(ast::HeaderKey::Resolution),
            version: field(ast::HeaderKey::Version),
            language: field(ast::HeaderKey::Language),
            date: field(ast::HeaderKey::Date),
            status: field(ast::HeaderKey::Status),
            introduction: self.introduction,
            scales: self.scales,
            documents: self.documents,
            sections: self.sections,
            items: self.items,
        })
    }
}

/// Warns of items with an answer that have the same label as a sibling (for questions: as
/// another question of their section). Items without an answer only introduce their
/// sub-items, and may share a wording, as questions 18 and 21 of the 2006/20 annex do.
fn labels(checker: &Checker<'_>) -> Vec<CheckError> {
    let mut warnings = Vec::new();
    let mut seen: HashMap<(Option<ItemId>, usize, &str), Span> = HashMap::default();
    for (index, item) in checker.items.iter().enumerate() {
        if item.answer.is_none() {
            continue;
        }
        let span = checker.label_spans[index];
        let key = (item.parent, item.section, item.label.as_str());
        match seen.get(&key) {
            Some(first) => warnings.push(CheckError::DuplicateLabel {
                label: item.label.clone(),
                span,
                first: Note::new(*first, "first used here"),
            }),
            None => {
                seen.insert(key, span);
            }
        }
    }
    warnings
}

fn declaration_span(declaration: &ast::Declaration) -> Span {
    match declaration {
        ast::Declaration::Instrument(header) => header.span,
        ast::Declaration::Scale(scale) => scale.span,
        ast::Declaration::Document(document) => document.span,
        ast::Declaration::Introduction(introduction) => introduction.span,
        ast::Declaration::Section(section) => section.span,
    }
}

fn display_ref(reference: &ast::ParaRef) -> String {
    match &reference.letter {
        Some(letter) => format!("{} ({letter})", reference.number),
        None => reference.number.clone(),
    }
}

/// The marker of the `n`th sub-item (from 1) at `depth`: a, b… then i, ii… then A, B…
fn marker(depth: usize, n: usize) -> String {
    match depth {
        2 => roman(n).to_lowercase(),
        d if d >= 3 => letters(n).to_uppercase(),
        _ => letters(n),
    }
}

/// a, b, …, z, aa, bb, …: how printed instruments go on past z.
fn letters(n: usize) -> String {
    let index = (n - 1) % 26;
    let repeat = (n - 1) / 26 + 1;
    let letter = (b'a' + index as u8) as char;
    std::iter::repeat_n(letter, repeat).collect()
}

/// The roman numeral of `n` (from 1).
pub(crate) fn roman(mut n: usize) -> String {
    const NUMERALS: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, numeral) in NUMERALS {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{letters, marker, roman};

    #[test]
    fn markers_go_a_i_capital_a() {
        assert_eq!(marker(1, 1), "a");
        assert_eq!(marker(1, 13), "m");
        assert_eq!(marker(2, 4), "iv");
        assert_eq!(marker(3, 2), "B");
    }

    #[test]
    fn letters_go_on_past_z_by_doubling() {
        assert_eq!(letters(26), "z");
        assert_eq!(letters(27), "aa");
        assert_eq!(letters(53), "aaa");
    }

    #[test]
    fn roman_numerals() {
        let numerals: Vec<String> = [1, 4, 5, 9, 14, 40, 1994].map(roman).to_vec();
        assert_eq!(numerals, ["I", "IV", "V", "IX", "XIV", "XL", "MCMXCIV"]);
    }
}

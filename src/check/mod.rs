//! Check: from the loaded program to the checked [`model`](crate::model).
//!
//! Four passes, in order: *declare* builds each module's declarations and scope (`scope.rs`,
//! `documents.rs`); *walk* goes through the entry file's sections and items, numbering them
//! and expanding used blocks (`block.rs`), and leaves what needs every item for later;
//! *resolve* types the conditions and values (`condition.rs`, `logic.rs`), gives piped texts
//! their items and reads the tests (`testcases.rs`); *analyse* runs the checks over the whole
//! (`analyse.rs`: the graph, labels, prose, what the form keeps) and builds the model. It
//! collects every problem it finds and returns them sorted by position; the model is returned
//! only when none of them is an error. It reads no pest types and does no I/O.

mod analyse;
mod block;
mod condition;
mod documents;
pub mod error;
mod graph;
mod logic;
mod prose;
mod satisfy;
mod scope;
mod testcases;

use rustc_hash::FxHashMap as HashMap;
use typed_index_collections::TiVec;

use crate::arena::Arena;
use crate::span::Note;
pub use error::CheckError;
use error::HeaderProblem;

use crate::load::Program;
use crate::model::{self, AnswerType, Block, ItemId, ScaleId};
use crate::span::Span;
use crate::syntax::ast;
use block::{Binding, Env, EnvId};
use scope::{Kind, Symbol};

/// Checks a loaded program: every module, then the instrument of the entry file. Returns the
/// model when there are no errors (warnings allowed), and all problems sorted by position.
/// An entry file that declares no instrument and no section is a module: it is checked, and
/// gives no model.
pub fn check_program(program: &Program) -> (Option<model::Instrument>, Vec<CheckError>) {
    // A program whose entry file did not load has nothing to check: loading said why.
    let Some(entry) = program.entry() else {
        return (None, Vec::new());
    };
    let mut checker = Checker::new(program, entry);
    checker.declare_modules();
    checker.instrument(&entry.ast);
    checker.resolve(&entry.ast);
    let (mut resolved, mut errors) = checker.into_resolved();
    errors.extend(analyse::analyse(&mut resolved));
    errors.sort_by_cached_key(|error| error.span());
    let instrument = if errors.iter().any(CheckError::is_error) {
        None
    } else {
        resolved.into_instrument()
    };
    (instrument, errors)
}

impl<'a> Checker<'a> {
    /// The third pass, once every item is known: calculated values, guards and the rest of the
    /// deferred logic (typing each condition, and recording what it reads), piped texts, and
    /// the tests written in the instrument.
    fn resolve(&mut self, file: &'a ast::File) {
        self.conditions();
        self.pipes();
        self.tests(file);
    }

    /// What the analyses read, once every name is resolved; and the errors found so far.
    fn into_resolved(self) -> (analyse::Resolved<'a>, Vec<CheckError>) {
        let (declared, walk) = (self.declared, self.walk);
        let resolved = analyse::Resolved {
            header: walk.header,
            introduction: walk.introduction,
            scales: declared.scales,
            scale_kept: declared.scale_kept,
            scale_spans: declared.scale_spans,
            documents: declared.documents,
            document_kept: declared.document_kept,
            document_spans: declared.document_spans,
            specials: declared.specials,
            special_kept: declared.special_kept,
            special_spans: declared.special_spans,
            sections: walk.sections,
            items: walk.items,
            report: walk.report,
            label_spans: walk.label_spans,
            allow_uncited: walk.allow_uncited,
            references: self.references,
            tests: self.tests,
        };
        (resolved, self.errors)
    }
}

/// An item's guard, resolved once every item is known.
struct PendingGuard<'a> {
    item: ItemId,
    /// `Some(column)` for a grid column's guard.
    column: Option<usize>,
    guard: &'a ast::Guard,
    /// Where its names are looked up.
    env: EnvId,
}

/// One item read by a condition: `from`'s condition names `to` at `span`.
pub(crate) struct Reference {
    pub from: ItemId,
    pub to: ItemId,
    pub span: Span,
}

/// The checker's state: the program and what every pass shares (environments, errors), and
/// what each pass makes, in the order they run:
/// - `declared` (scope.rs): each module's scales, documents, special answers and blocks, and
///   its scope; the walk adds the inline option lists of items;
/// - `walk` (this file, block.rs, logic.rs): the entry file's sections and items, numbered,
///   blocks expanded, answers and citations resolved;
/// - `deferred`: what the walk leaves for when every item is known (guards, calculations,
///   constraints, record logic, counts, piped texts), consumed by the resolve pass
///   (condition.rs, logic.rs, block.rs), which records the `references` between items; then
///   the tests written in the instrument (testcases.rs).
///
/// [`Checker::into_resolved`] hands the result to the last pass (analyse.rs) as the typed
/// `analyse::Resolved`.
struct Checker<'a> {
    program: &'a Program,
    /// The entry file's module, the last of the program's.
    entry_module: &'a crate::load::Module,
    errors: Vec<CheckError>,
    envs: Vec<Env<'a>>,
    env: EnvId,
    /// What is left of [`error::SUGGESTION_BUDGET`] for "did you mean" help.
    suggestions: std::cell::Cell<u64>,
    declared: Declared<'a>,
    walk: Walk<'a>,
    deferred: Deferred<'a>,
    references: Vec<Reference>,
    tests: Vec<model::Test>,
}

/// What the modules declare (the first pass).
#[derive(Default)]
struct Declared<'a> {
    /// Each module's own declarations, by name.
    exports: Vec<HashMap<&'a str, (Symbol<'a>, Span)>>,
    /// The names each module can use: its own and those it imports.
    scopes: Vec<HashMap<&'a str, (Symbol<'a>, Span)>>,
    /// Named scales first, in declaration order, then inline option lists as items declare
    /// them.
    scales: TiVec<ScaleId, model::Scale>,
    /// For each scale: whether the compiled form keeps it (see `analyse`).
    scale_kept: TiVec<ScaleId, bool>,
    scale_spans: TiVec<ScaleId, Span>,
    documents: TiVec<model::DocumentId, model::Document>,
    document_kept: TiVec<model::DocumentId, bool>,
    /// The span of each document's id, for name clashes in the compiled form.
    document_spans: TiVec<model::DocumentId, Span>,
    /// Each paragraph by document and number.
    paragraph_index: HashMap<(model::DocumentId, &'a str), model::ParagraphId>,
    specials: Vec<model::Choice>,
    special_kept: Vec<bool>,
    special_spans: Vec<Span>,
}

/// The walk of the entry file (the second pass): its header, prose, sections and items.
#[derive(Default)]
struct Walk<'a> {
    header: Option<&'a ast::Header>,
    introduction: Vec<Block>,
    sections: Vec<model::Section>,
    section_names: HashMap<&'a str, Span>,
    items: TiVec<ItemId, model::Item>,
    item_names: HashMap<&'a str, ItemId>,
    /// The span of each item's label, by item index, to report duplicate labels.
    label_spans: TiVec<ItemId, Span>,
    /// Items that write `cites` or `allow uncited`, by item index.
    allow_uncited: TiVec<ItemId, bool>,
    /// Questions numbered so far.
    questions: usize,
    /// The report's headings, and where each is declared, by id.
    report: Vec<model::ReportHeading>,
    report_names: HashMap<&'a str, (usize, Span)>,
    /// The blocks being expanded, with the use of each, outermost first.
    expanding: Vec<(&'a ast::BlockDecl, Span)>,
    /// Bytes that expanding blocks has cost so far: each use costs the size of the block
    /// used, and each text argument the bytes it fills in (see [`block::EXPANSION_BUDGET`]).
    expanded: usize,
    /// Whether the budget ran out (reported once; no block is expanded after it).
    over_budget: bool,
}

/// What the walk leaves for the resolve pass, once every item is known.
#[derive(Default)]
struct Deferred<'a> {
    guards: Vec<PendingGuard<'a>>,
    /// Calculations, constraints, record conditions and record counts, resolved with guards.
    logic: Vec<logic::Pending<'a>>,
    /// Where each calculated value stands in its resolution, by item index.
    calc_state: HashMap<ItemId, logic::CalcState<'a>>,
    /// Piped `{name}`s in texts.
    pipes: Vec<block::Pipe>,
}

impl<'a> Checker<'a> {
    /// "did you mean `…`?" for a misspelt `name`, within what the compilation may spend on
    /// suggestions (see [`error::SUGGESTION_BUDGET`]).
    pub(super) fn did_you_mean<'n>(
        &self,
        name: &str,
        candidates: impl IntoIterator<Item = &'n str>,
    ) -> Option<String> {
        error::did_you_mean_within(name, candidates, &self.suggestions)
    }

    fn new(program: &'a Program, entry_module: &'a crate::load::Module) -> Checker<'a> {
        let count = program.modules.len();
        Checker {
            program,
            entry_module,
            errors: Vec::new(),
            envs: (0..count)
                .map(|module| Env {
                    module,
                    arguments: HashMap::default(),
                })
                .collect(),
            env: count - 1,
            suggestions: std::cell::Cell::new(error::SUGGESTION_BUDGET),
            declared: Declared {
                exports: vec![HashMap::default(); count],
                scopes: vec![HashMap::default(); count],
                ..Declared::default()
            },
            walk: Walk::default(),
            deferred: Deferred::default(),
            references: Vec::new(),
            tests: Vec::new(),
        }
    }

    fn entry(&self) -> usize {
        self.program.modules.len() - 1
    }

    /// The module whose scope the code being checked sees.
    fn module(&self) -> usize {
        self.envs.at(self.env).module
    }

    /// The second pass: the entry file's header, introduction and sections, items numbered as
    /// they are met, blocks expanded where they are used; what needs every item is deferred.
    fn instrument(&mut self, file: &'a ast::File) {
        for declaration in &file.declarations {
            match declaration {
                ast::Declaration::Instrument(header) => self.header(header),
                // Before the items, which name the headings they feed.
                ast::Declaration::Report(report) => self.report(report),
                _ => {}
            }
        }
        let is_module = self.walk.header.is_none()
            && !file.declarations.is_empty()
            && file.declarations.iter().all(|declaration| {
                !matches!(
                    declaration,
                    ast::Declaration::Introduction(_) | ast::Declaration::Section(_)
                )
            });
        if self.walk.header.is_none() && !is_module {
            let span = file
                .declarations
                .first()
                .map_or(Span::at(self.file_start()), declaration_span);
            self.errors.push(CheckError::Header(HeaderProblem::Missing {
                span: Span::new(span.start, span.start),
            }));
        }
        let mut languages: HashMap<&str, Span> = HashMap::default();
        for declaration in &file.declarations {
            match declaration {
                ast::Declaration::Introduction(introduction) => {
                    let blocks = self.prose(&introduction.prose);
                    self.walk.introduction.extend(blocks);
                }
                ast::Declaration::Section(section) => self.section(section),
                ast::Declaration::Translation(translation) => {
                    let language = &translation.language.name;
                    if let Some(first) = languages.insert(language, translation.span) {
                        self.errors.push(CheckError::Duplicate {
                            kind: "translation",
                            name: language.clone(),
                            span: translation.span,
                            first: Note::new(first, "first declared here"),
                        });
                    }
                }
                _ => {}
            }
        }
    }

    /// The report's headings: each id once.
    fn report(&mut self, report: &'a ast::ReportDecl) {
        for (id, title) in &report.headings {
            if let Some((_, first)) = self.walk.report_names.get(id.name.as_str()) {
                self.errors.push(CheckError::Duplicate {
                    kind: "heading of the report",
                    name: id.name.clone(),
                    span: id.span,
                    first: Note::new(*first, "first declared here"),
                });
                continue;
            }
            let index = self.walk.report.len();
            self.walk
                .report_names
                .insert(id.name.as_str(), (index, id.span));
            self.walk.report.push(model::ReportHeading {
                id: id.name.clone(),
                title: title.value.clone(),
            });
        }
    }

    /// `feeds a, b`: the report's headings an item's answers go under.
    fn feeds(&mut self, id: ItemId, names: &'a [ast::Ident]) {
        for name in names {
            match self.walk.report_names.get(name.name.as_str()) {
                Some((index, _)) => {
                    let index = *index;
                    let feeds = &mut self.walk.items.at_mut(id).feeds;
                    if !feeds.contains(&index) {
                        feeds.push(index);
                    }
                }
                None => {
                    let help = self
                        .did_you_mean(&name.name, self.walk.report.iter().map(|h| h.id.as_str()))
                        .or_else(|| match self.walk.report.is_empty() {
                            true => Some(format!(
                                "declare the report's headings: `report {{ heading {} \"Title\" }}`",
                                name.name
                            )),
                            false => None,
                        });
                    self.errors.push(CheckError::UnknownHeading {
                        name: name.name.clone(),
                        span: name.span,
                        help,
                    });
                }
            }
        }
    }

    /// Where the entry file starts in the source map.
    fn file_start(&self) -> usize {
        self.program.sources.file(self.entry_module.file).base
    }

    fn header(&mut self, header: &'a ast::Header) {
        if let Some(first) = self.walk.header {
            self.errors.push(CheckError::Header(HeaderProblem::Second {
                first: first.id.name.clone(),
                span: header.id.span,
            }));
            return;
        }
        self.walk.header = Some(header);
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
            self.errors.push(CheckError::Header(HeaderProblem::NoTitle {
                id: header.id.name.clone(),
                span: header.id.span,
            }));
        }
    }

    fn scale(&mut self, scale: &'a ast::ScaleDecl) -> Option<ScaleId> {
        let label = scale.label.as_ref().map(|label| label.value.clone());
        Some(self.options(Some(&scale.id), label, &scale.options))
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
            let label = self.text(&option.label);
            choices.push(model::Choice {
                code: option.code.name.clone(),
                label,
                score: option.score,
            });
        }
        self.declared.scales.push(model::Scale {
            name: name.map(|name| name.name.clone()),
            label,
            options: choices,
        });
        // Inline options belong to the item that has them; a named scale is kept when used.
        self.declared.scale_kept.push(name.is_none());
        self.declared
            .scale_spans
            .push(name.map_or(options.span, |name| name.span));
        ScaleId::from(self.declared.scales.len() - 1)
    }

    fn prose(&mut self, prose: &[ast::Prose]) -> Vec<Block> {
        prose
            .iter()
            .map(|prose| match prose {
                ast::Prose::Text(text) => Block::Text(self.text(text)),
                ast::Prose::Heading(text) => Block::Heading(self.text(text)),
                ast::Prose::Quote(refs) => Block::Excerpt(self.quote(refs)),
            })
            .collect()
    }

    fn section(&mut self, section: &'a ast::SectionDecl) {
        if let (true, Some(first)) = (section.respondent, self.walk.sections.first()) {
            if !first.respondent {
                let span = self.walk.section_names.get(first.id.as_str()).copied();
                self.errors.push(CheckError::RespondentAfterSection {
                    section: first.id.clone(),
                    span: section.id.span,
                    first: span.map_or_else(Vec::new, |span| Note::new(span, "the first section")),
                });
            }
        }
        if let Some(first) = self.walk.section_names.get(section.id.name.as_str()) {
            self.errors.push(CheckError::Duplicate {
                kind: if section.respondent {
                    "respondent block"
                } else {
                    "section"
                },
                name: section.id.name.clone(),
                span: section.id.span,
                first: Note::new(*first, "first defined here"),
            });
        } else {
            self.walk
                .section_names
                .insert(section.id.name.as_str(), section.id.span);
        }
        let index = self.walk.sections.len();
        let numbered = self.walk.sections.iter().filter(|s| !s.respondent).count();
        self.walk.sections.push(model::Section {
            id: section.id.name.clone(),
            number: if section.respondent {
                String::new()
            } else {
                roman(numbered + 1)
            },
            respondent: section.respondent,
            title: section.title.value.clone(),
            content: Vec::new(),
            constraints: Vec::new(),
        });
        self.section_members(&section.members, index);
    }

    fn section_members(&mut self, members: &'a [ast::SectionMember], section: usize) {
        for member in members {
            let block = match member {
                ast::SectionMember::Prose(prose) => {
                    self.prose(std::slice::from_ref(prose)).remove(0)
                }
                ast::SectionMember::Item(item) => Block::Item(self.item(item, None, section)),
                ast::SectionMember::Grid(grid) => Block::Item(self.grid(grid, None, section)),
                ast::SectionMember::Table(table) => Block::Item(self.table(table, None, section)),
                ast::SectionMember::Calc(calc) => Block::Item(self.calc(calc, None, section)),
                ast::SectionMember::Constraint(constraint) => {
                    self.constraint(logic::Owner::Section(section), constraint);
                    continue;
                }
                ast::SectionMember::Use(use_) => {
                    self.use_block(use_, section);
                    continue;
                }
            };
            self.walk.sections.at_mut(section).content.push(block);
        }
    }

    /// Registers an item id, reporting a duplicate.
    fn register(&mut self, ident: &'a ast::Ident, id: ItemId) {
        if let Some(first) = self.walk.item_names.get(ident.name.as_str()) {
            self.errors.push(CheckError::Duplicate {
                kind: "item id",
                name: ident.name.clone(),
                span: ident.span,
                first: Note::new(self.walk.items.at(*first).span, "first defined here"),
            });
        } else {
            self.walk.item_names.insert(ident.name.as_str(), id);
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
        let ident = self.item_ident(ident);
        let id = ItemId::from(self.walk.items.len());
        // The respondent block's questions are not numbered: numbers are the instrument's.
        let kind_numbered = match kind {
            model::ItemKind::Question if self.walk.sections.at(section).respondent => None,
            kind => Some(kind),
        };
        let (number, marker) = match kind_numbered {
            Some(kind) => self.number(kind, parent),
            None => (None, None),
        };
        let label_text = self.text(label);
        self.walk.items.push(model::Item {
            id: ident.name.clone(),
            kind,
            number,
            marker,
            label: label_text,
            answer: None,
            condition: None,
            required: false,
            help: Vec::new(),
            notes: Vec::new(),
            citations: Vec::new(),
            cited: None,
            shown: false,
            parent,
            children: Vec::new(),
            specials: Vec::new(),
            constraints: Vec::new(),
            calculation: None,
            section,
            feeds: Vec::new(),
            span: ident.span,
        });
        self.walk.label_spans.push(label.span);
        self.walk.allow_uncited.push(false);
        if let Some(parent) = parent {
            self.walk.items.at_mut(parent).children.push(id);
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
                self.walk.questions += 1;
                let number = self.walk.questions.to_string();
                (Some(number.clone()), Some(number))
            }
            model::ItemKind::SubItem => {
                // The nearest numbered ancestor gives the prefix and the depth.
                let mut depth = 0;
                let mut prefix = None;
                let mut cursor = parent;
                while let Some(id) = cursor {
                    let item = self.walk.items.at(id);
                    if let Some(number) = &item.number {
                        prefix.get_or_insert_with(|| number.clone());
                        depth += 1;
                    }
                    cursor = item.parent;
                }
                let siblings = parent.map_or(0, |parent| {
                    self.walk
                        .items
                        .at(parent)
                        .children
                        .iter()
                        .filter(|child| {
                            self.walk.items.at(**child).kind == model::ItemKind::SubItem
                        })
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
            let parent_kind = parent.map(|parent| self.walk.items.at(parent).kind);
            if parent_kind != Some(model::ItemKind::Followup) {
                self.errors.push(CheckError::FieldOutsideFollowup {
                    name: item.id.name.clone(),
                    span: item.id.span,
                    parent: match parent {
                        Some(parent) => format!("`{}`", self.walk.items.at(parent).id),
                        None => "a section".to_owned(),
                    },
                });
            }
        }
        let answer = item
            .answer
            .as_ref()
            .and_then(|answer| self.answer(answer, Some(id)));
        self.walk.items.at_mut(id).answer = answer;
        match &item.guard {
            Some(guard) => self.deferred.guards.push(PendingGuard {
                item: id,
                column: None,
                guard,
                env: self.env,
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
                ast::ItemMember::Table(table) => {
                    self.table(table, Some(id), section);
                }
                ast::ItemMember::Calc(calc) => {
                    self.calc(calc, Some(id), section);
                }
                _ => {}
            }
        }
        let item_ = self.walk.items.at(id);
        if item_.answer.is_none() && item_.children.is_empty() && item.answer.is_none() {
            self.errors.push(CheckError::NothingToAnswer {
                name: item.id.name.clone(),
                span: item.id.span,
            });
        }
        id
    }

    /// Applies `cites`, `help`, `note`, `required` and `optional` to an item.
    fn attributes(&mut self, id: ItemId, ident: &ast::Ident, members: &'a [ast::ItemMember]) {
        let mut required = None;
        let mut optional = None;
        for member in members {
            match member {
                ast::ItemMember::Cites(refs) => {
                    // Written citations count even when they have errors (reported).
                    *self.walk.allow_uncited.at_mut(id) = true;
                    let citations = self.citations(refs);
                    self.walk.items.at_mut(id).citations.extend(citations);
                }
                ast::ItemMember::Help(text) => {
                    let text = self.text(text);
                    self.walk.items.at_mut(id).help.push(text);
                }
                ast::ItemMember::Note(text) => {
                    let text = self.text(text);
                    self.walk.items.at_mut(id).notes.push(text);
                }
                ast::ItemMember::AllowUncited(_) => *self.walk.allow_uncited.at_mut(id) = true,
                ast::ItemMember::Feeds(names) => self.feeds(id, names),
                ast::ItemMember::AllowSpecial(names) => self.allow_specials(id, names),
                ast::ItemMember::Constraint(constraint) => {
                    self.constraint(logic::Owner::Item(id), constraint);
                }
                ast::ItemMember::Required(span) => required = Some(*span),
                ast::ItemMember::Optional(span) => optional = Some(*span),
                ast::ItemMember::Item(_)
                | ast::ItemMember::Grid(_)
                | ast::ItemMember::Table(_)
                | ast::ItemMember::Calc(_) => {}
            }
        }
        if let (Some(required), Some(optional)) = (required, optional) {
            self.errors.push(CheckError::RequiredAndOptional {
                name: ident.name.clone(),
                span: optional,
                required: Note::new(required, "required here"),
            });
        }
        let item = self.walk.items.at_mut(id);
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
            self.deferred.guards.push(PendingGuard {
                item: id,
                column: None,
                guard,
                env: self.env,
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
                self.deferred.guards.push(PendingGuard {
                    item: id,
                    column: Some(index),
                    guard,
                    env: self.env,
                });
            }
            columns.push(model::Column {
                id: column.id.name.clone(),
                label: self.text(&column.label),
                condition: None,
            });
        }
        let mut rows = Vec::new();
        let mut row_sets = Vec::new();
        let mut row_names: HashMap<&str, Span> = HashMap::default();
        for row in &grid.rows {
            match row {
                ast::GridRow::Row(row) => self.row(row, &mut rows, &mut row_names),
                ast::GridRow::Splice(name) => {
                    if let Some(Binding::Rows(given, env, named)) = self.spliced_rows(name) {
                        let here = std::mem::replace(&mut self.env, env);
                        for row in given {
                            self.row(row, &mut rows, &mut row_names);
                        }
                        self.env = here;
                        row_sets.extend(named.map(str::to_owned));
                    }
                }
            }
        }
        self.walk.items.at_mut(id).answer = Some(AnswerType::Grid(model::Grid {
            columns,
            rows,
            row_sets,
        }));
        self.attributes(id, &grid.id, &grid.attributes);
        id
    }

    /// Adds a row to a grid's rows.
    fn row(
        &mut self,
        row: &'a ast::RowDecl,
        rows: &mut Vec<model::Row>,
        names: &mut HashMap<&'a str, Span>,
    ) {
        if let Some(first) = names.get(row.id.name.as_str()) {
            self.errors.push(CheckError::Duplicate {
                kind: "row",
                name: row.id.name.clone(),
                span: row.id.span,
                first: Note::new(*first, "first defined here"),
            });
        }
        names.insert(&row.id.name, row.id.span);
        let citations = match &row.cites {
            Some(refs) => self.citations(refs),
            None => Vec::new(),
        };
        let answer = row
            .answer
            .as_ref()
            .and_then(|answer| self.answer(answer, None));
        rows.push(model::Row {
            id: row.id.name.clone(),
            marker: format!("({})", marker(1, rows.len() + 1)),
            label: self.text(&row.label),
            citations,
            cited: None,
            answer,
        });
    }

    /// Resolves an answer type; `None` when it names an unknown scale (reported). A list's own
    /// logic is resolved later for `owner`, the item whose answer it is (`None` for a field of
    /// a record or a row of a grid, which cannot have such logic).
    fn answer(&mut self, answer: &'a ast::AnswerType, owner: Option<ItemId>) -> Option<AnswerType> {
        Some(match &answer.kind {
            ast::AnswerKind::One(choices) => AnswerType::Choice {
                scale: self.choices(choices)?,
                multiple: false,
            },
            ast::AnswerKind::Many(choices) => AnswerType::Choice {
                scale: self.choices(choices)?,
                multiple: true,
            },
            ast::AnswerKind::Text => AnswerType::Text { long: false },
            ast::AnswerKind::Country => AnswerType::Country,
            ast::AnswerKind::LongText => AnswerType::Text { long: true },
            ast::AnswerKind::Date => AnswerType::Date,
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
                AnswerType::Number {
                    integer: *integer,
                    min: min.map(|bound| bound.value),
                    max: max.map(|bound| bound.value),
                }
            }
            ast::AnswerKind::Amount { currencies } => AnswerType::Amount {
                currencies: currencies.iter().map(|c| c.name.clone()).collect(),
            },
            ast::AnswerKind::List(list) => {
                let mut seen: HashMap<&str, Span> = HashMap::default();
                let mut record = Vec::new();
                let mut calcs = list.calcs.iter().peekable();
                for (position, field) in list.fields.iter().enumerate() {
                    while let Some((_, calc)) = calcs.next_if(|(at, _)| *at <= position) {
                        self.record_calc(owner, calc, &mut record, &mut seen);
                    }
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
                    if let Some(answer) = self.answer(&field.answer, None) {
                        let label = self.text(&field.label);
                        let help = field.help.iter().map(|t| self.text(t)).collect();
                        let notes = field.notes.iter().map(|t| self.text(t)).collect();
                        record.push(model::RecordField {
                            id: field.id.name.clone(),
                            label,
                            answer,
                            required: !field.optional,
                            condition: None,
                            help,
                            notes,
                            calculation: None,
                            shown: false,
                            span: field.id.span,
                        });
                    }
                }
                for (_, calc) in calcs {
                    self.record_calc(owner, calc, &mut record, &mut seen);
                }
                self.list_logic(list, owner, &record);
                AnswerType::List(model::List {
                    fields: record,
                    min: None,
                    max: None,
                    constraints: Vec::new(),
                })
            }
        })
    }

    /// `calc bmi "…" = …` in a list: a value computed from each record, which reads the fields
    /// declared before it (`this.field`), fixed values and today's date, as every target
    /// computes it inside the record.
    fn record_calc(
        &mut self,
        owner: Option<ItemId>,
        calc: &'a ast::CalcDecl,
        record: &mut Vec<model::RecordField>,
        seen: &mut HashMap<&'a str, Span>,
    ) {
        if let Some(first) = seen.get(calc.id.name.as_str()) {
            self.errors.push(CheckError::Duplicate {
                kind: "field",
                name: calc.id.name.clone(),
                span: calc.id.span,
                first: Note::new(*first, "first defined here"),
            });
            return;
        }
        seen.insert(&calc.id.name, calc.id.span);
        let Some(owner) = owner else {
            self.errors
                .push(CheckError::UnknownField(error::FieldProblem::InnerLogic {
                    span: calc.span,
                }));
            return;
        };
        // The record so far is the list's answer while the value is resolved, so that
        // `this.field` reads the fields before it and no other.
        let before = self
            .walk
            .items
            .at_mut(owner)
            .answer
            .replace(AnswerType::List(model::List {
                fields: std::mem::take(record),
                min: None,
                max: None,
                constraints: Vec::new(),
            }));
        let resolved = condition::Resolver {
            checker: self,
            item: owner,
            track: false,
            record: Some(owner),
        }
        .value(&calc.value);
        if let Some(AnswerType::List(list)) =
            std::mem::replace(&mut self.walk.items.at_mut(owner).answer, before)
        {
            *record = list.fields;
        }
        let Some((value, ty)) = resolved else { return };
        let mut outside = None;
        value.for_each_item(&mut |item| {
            outside.get_or_insert(item);
        });
        if let Some(item) = outside {
            let list = self.walk.items.at(owner).id.clone();
            self.errors.push(CheckError::BadValue(
                error::ValueProblem::RecordCalcReadsOutside {
                    read: self.walk.items.at(item).id.clone(),
                    list,
                    span: calc.value.span,
                },
            ));
            return;
        }
        let Some(answer) = ty.answer() else {
            self.errors
                .push(CheckError::BadValue(error::ValueProblem::NotCalculable {
                    item: calc.id.name.clone(),
                    found: ty.describe(),
                    span: calc.value.span,
                }));
            return;
        };
        record.push(model::RecordField {
            id: calc.id.name.clone(),
            label: self.text(&calc.label),
            answer,
            required: false,
            condition: None,
            help: Vec::new(),
            notes: Vec::new(),
            calculation: Some(value),
            shown: calc.shown,
            span: calc.id.span,
        });
    }

    fn choices(&mut self, choices: &ast::Choices) -> Option<ScaleId> {
        match choices {
            ast::Choices::Scale(name) => match self.lookup(name, Kind::Scale)? {
                Symbol::Scale(id) => Some(id),
                _ => None,
            },
            ast::Choices::Inline(options) => Some(self.options(None, None, options)),
        }
    }

    /// Resolves every calculated value, guard and constraint now that every item is known.
    /// Calculated values come first: what reads them needs their type.
    fn conditions(&mut self) {
        let mut calcs: Vec<ItemId> = self.deferred.calc_state.keys().copied().collect();
        calcs.sort_unstable();
        for calc in calcs {
            self.resolve_calc(calc);
        }
        for pending in std::mem::take(&mut self.deferred.guards) {
            self.env = pending.env;
            let resolved = condition::resolve(self, pending.item, pending.guard);
            let Some(condition) = resolved else { continue };
            match pending.column {
                None => self.walk.items.at_mut(pending.item).condition = Some(condition),
                Some(column) => {
                    if let Some(AnswerType::Grid(grid)) =
                        &mut self.walk.items.at_mut(pending.item).answer
                    {
                        grid.columns.at_mut(column).condition = Some(condition);
                    }
                }
            }
        }
        self.resolve_logic();
    }
}

fn declaration_span(declaration: &ast::Declaration) -> Span {
    match declaration {
        ast::Declaration::Import(import) => import.span,
        ast::Declaration::Block(block) => block.span,
        ast::Declaration::Rows(rows) => rows.span,
        ast::Declaration::Translation(translation) => translation.span,
        ast::Declaration::Instrument(header) => header.span,
        ast::Declaration::Scale(scale) => scale.span,
        ast::Declaration::Special(special) => special.span,
        ast::Declaration::Document(document) => document.span,
        ast::Declaration::Introduction(introduction) => introduction.span,
        ast::Declaration::Report(report) => report.span,
        ast::Declaration::Section(section) => section.span,
        ast::Declaration::Test(test) => test.span,
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

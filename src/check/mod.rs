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

use crate::load::{Module, Program};
use crate::model::{self, Answer, Block, ItemId, ScaleId};
use crate::span::Span;
use crate::syntax::ast;

/// Checks a parsed file that imports nothing. Returns the model when there are no errors
/// (warnings allowed), and all problems sorted by position.
pub fn check(file: &ast::File) -> (Option<model::Instrument>, Vec<CheckError>) {
    let program = Program {
        sources: crate::source::SourceMap::default(),
        modules: vec![Module {
            file: crate::source::FileId(0),
            ast: file.clone(),
            imports: Vec::new(),
        }],
        translations: Vec::new(),
    };
    check_program(&program)
}

/// Checks a loaded program: every module, then the instrument of the entry file. Returns the
/// model when there are no errors (warnings allowed), and all problems sorted by position.
/// An entry file that declares no instrument and no section is a module: it is checked, and
/// gives no model.
pub fn check_program(program: &Program) -> (Option<model::Instrument>, Vec<CheckError>) {
    let mut checker = Checker::new(program);
    checker.modules();
    checker.conditions();
    checker.uncited();
    checker.prune();
    let mut errors = std::mem::take(&mut checker.errors);
    errors.extend(graph::check(&checker.items, &checker.references));
    errors.extend(labels(&checker));
    errors.sort_by_key(|error| (error.span().start, error.span().end));
    let failed = |errors: &[CheckError]| errors.iter().any(|e| !e.is_warning() && !e.is_note());
    let mut instrument = if failed(&errors) {
        None
    } else {
        checker.finish()
    };
    if let Some(checked) = &mut instrument {
        // Translations are checked against the texts of the finished instrument.
        errors.extend(crate::translate::check(checked, program));
        if failed(&errors) {
            instrument = None;
        }
    }
    (instrument, errors)
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

/// What a name of a module's scope stands for.
#[derive(Clone, Copy, Debug)]
enum Symbol<'a> {
    Scale(ScaleId),
    Document(usize),
    /// A block and the module that declares it.
    Block(&'a ast::BlockDecl, usize),
    /// An import alias.
    Module(usize),
}

impl Symbol<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Symbol::Scale(_) => "scale",
            Symbol::Document(_) => "document",
            Symbol::Block(..) => "block",
            Symbol::Module(_) => "import alias",
        }
    }
}

/// The kinds of declaration a name can be looked up as.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Scale,
    Document,
    Block,
}

impl Kind {
    fn of(symbol: &Symbol<'_>) -> Option<Kind> {
        match symbol {
            Symbol::Scale(_) => Some(Kind::Scale),
            Symbol::Document(_) => Some(Kind::Document),
            Symbol::Block(..) => Some(Kind::Block),
            Symbol::Module(_) => None,
        }
    }
}

/// An index into [`Checker::envs`].
type EnvId = usize;

/// Where names are looked up while a part of the program is checked: the module whose scope
/// holds its scales, documents and blocks, and inside a used block, what each parameter
/// stands for.
struct Env<'a> {
    module: usize,
    arguments: HashMap<&'a str, Bound<'a>>,
}

/// What a block parameter stands for in one use.
#[derive(Clone)]
enum Bound<'a> {
    Item(&'a ast::Ident),
    Text(String),
    /// Rows, and the environment they were written in.
    Rows(&'a [ast::RowDecl], EnvId),
}

struct Checker<'a> {
    program: &'a Program,
    errors: Vec<CheckError>,
    header: Option<&'a ast::Header>,
    introduction: Vec<Block>,
    scales: Vec<model::Scale>,
    /// For each scale: whether the compiled form keeps it (see [`Checker::prune`]).
    scale_kept: Vec<bool>,
    documents: Vec<model::Document>,
    document_kept: Vec<bool>,
    /// The span of each document's id, for name clashes in the compiled form.
    document_spans: Vec<Span>,
    scale_spans: Vec<Span>,
    /// Each module's own declarations, by name.
    exports: Vec<HashMap<&'a str, (Symbol<'a>, Span)>>,
    /// The names each module can use: its own and those it imports.
    scopes: Vec<HashMap<&'a str, (Symbol<'a>, Span)>>,
    envs: Vec<Env<'a>>,
    env: EnvId,
    /// The blocks being expanded, with the use of each, outermost first.
    expanding: Vec<(&'a ast::BlockDecl, Span)>,
    /// Each paragraph by document and number.
    paragraph_index: HashMap<(usize, &'a str), usize>,
    sections: Vec<model::Section>,
    section_names: HashMap<&'a str, Span>,
    items: Vec<model::Item>,
    item_names: HashMap<&'a str, ItemId>,
    /// The span of each item's label, by item index, to report duplicate labels.
    label_spans: Vec<Span>,
    /// Items that write `cites` or `allow uncited`, by item index.
    allow_uncited: Vec<bool>,
    pending: Vec<PendingGuard<'a>>,
    references: Vec<Reference>,
    questions: usize,
}

impl<'a> Checker<'a> {
    fn new(program: &'a Program) -> Checker<'a> {
        let count = program.modules.len();
        Checker {
            program,
            errors: Vec::new(),
            header: None,
            introduction: Vec::new(),
            scales: Vec::new(),
            scale_kept: Vec::new(),
            documents: Vec::new(),
            document_kept: Vec::new(),
            document_spans: Vec::new(),
            scale_spans: Vec::new(),
            exports: vec![HashMap::default(); count],
            scopes: vec![HashMap::default(); count],
            envs: (0..count)
                .map(|module| Env {
                    module,
                    arguments: HashMap::default(),
                })
                .collect(),
            env: count - 1,
            expanding: Vec::new(),
            paragraph_index: HashMap::default(),
            sections: Vec::new(),
            section_names: HashMap::default(),
            items: Vec::new(),
            item_names: HashMap::default(),
            label_spans: Vec::new(),
            allow_uncited: Vec::new(),
            pending: Vec::new(),
            references: Vec::new(),
            questions: 0,
        }
    }

    fn entry(&self) -> usize {
        self.program.modules.len() - 1
    }

    /// The module whose scope the code being checked sees.
    fn module(&self) -> usize {
        self.envs[self.env].module
    }

    /// Checks every module in order: each comes after those it imports.
    fn modules(&mut self) {
        let program = self.program;
        for (index, module) in program.modules.iter().enumerate() {
            self.env = index;
            self.declare(index, &module.ast);
            self.import(index, module);
            if index != self.entry() {
                self.not_a_module(index, &module.ast);
            }
        }
        self.env = self.entry();
        self.instrument(&program.entry().ast);
    }

    /// Declares a module's scales, documents and blocks.
    fn declare(&mut self, index: usize, file: &'a ast::File) {
        let (scales, documents) = (self.scales.len(), self.documents.len());
        for declaration in &file.declarations {
            let (name, symbol) = match declaration {
                ast::Declaration::Scale(scale) => match self.scale(scale) {
                    Some(id) => (&scale.id, Symbol::Scale(id)),
                    None => continue,
                },
                ast::Declaration::Document(document) => match self.document(document) {
                    Some(id) => (&document.id, Symbol::Document(id)),
                    None => continue,
                },
                ast::Declaration::Block(block) => (&block.id, Symbol::Block(block, index)),
                _ => continue,
            };
            if let Some((first, first_span)) = self.exports[index].get(name.name.as_str()) {
                self.errors.push(CheckError::Duplicate {
                    kind: first.kind(),
                    name: name.name.clone(),
                    span: name.span,
                    first: Note::new(*first_span, "first defined here"),
                });
                continue;
            }
            self.exports[index].insert(name.name.as_str(), (symbol, name.span));
        }
        // The instrument's own scales and documents are part of its form, used or not.
        if index == self.entry() {
            self.scale_kept[scales..]
                .iter_mut()
                .for_each(|kept| *kept = true);
            self.document_kept[documents..]
                .iter_mut()
                .for_each(|kept| *kept = true);
        }
        self.scopes[index] = self.exports[index].clone();
    }

    /// Adds what a module imports to its scope.
    fn import(&mut self, index: usize, module: &'a Module) {
        let imports = module.ast.declarations.iter().filter_map(|d| match d {
            ast::Declaration::Import(import) => Some(import),
            _ => None,
        });
        for (import, &imported) in imports.zip(&module.imports) {
            match &import.names {
                ast::ImportNames::Alias(alias) => {
                    self.bind(index, alias, Symbol::Module(imported));
                }
                ast::ImportNames::Selected(names) => {
                    for name in names {
                        match self.exports[imported].get(name.name.as_str()) {
                            Some(&(symbol, _)) => {
                                if self.bind(index, name, symbol) && index == self.entry() {
                                    self.keep(symbol);
                                }
                            }
                            None => {
                                let file = self.file_name(imported);
                                self.errors.push(CheckError::UnknownImport {
                                    message: format!("`{file}` declares no `{}`", name.name),
                                    span: name.span,
                                    label: "not declared there".to_owned(),
                                    help: did_you_mean(
                                        &name.name,
                                        self.exports[imported].keys().copied(),
                                    ),
                                });
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adds a name to a module's scope, reporting a clash with a name already there. Returns
    /// whether it was added.
    fn bind(&mut self, module: usize, name: &'a ast::Ident, symbol: Symbol<'a>) -> bool {
        if let Some((first, first_span)) = self.scopes[module].get(name.name.as_str()) {
            self.errors.push(CheckError::NameClash {
                name: name.name.clone(),
                span: name.span,
                label: format!("this {} takes the name again", symbol.kind()),
                first: Note::new(
                    *first_span,
                    &format!("the {} `{}` is here", first.kind(), name.name),
                ),
                help: Some("import under an alias instead: `import \"…\" as common`".to_owned()),
            });
            return false;
        }
        self.scopes[module].insert(name.name.as_str(), (symbol, name.span));
        true
    }

    /// The display name of a module's file.
    fn file_name(&self, module: usize) -> String {
        let file = self.program.modules[module].file;
        self.program.sources.file(file).name.clone()
    }

    /// Reports what only an instrument may declare, in an imported module.
    fn not_a_module(&mut self, index: usize, file: &'a ast::File) {
        // Where the module is imported, for a note.
        let import = self.program.modules.iter().find_map(|module| {
            let imports = module.ast.declarations.iter().filter_map(|d| match d {
                ast::Declaration::Import(import) => Some(import),
                _ => None,
            });
            imports
                .zip(&module.imports)
                .find(|(_, &imported)| imported == index)
                .map(|(import, _)| import.path.span)
        });
        for declaration in &file.declarations {
            let (what, span) = match declaration {
                ast::Declaration::Instrument(header) => ("an instrument header", header.id.span),
                ast::Declaration::Introduction(intro) => ("an introduction", intro.span),
                ast::Declaration::Section(section) => ("a section", section.id.span),
                ast::Declaration::Translation(t) => ("a translation", t.language.span),
                _ => continue,
            };
            self.errors.push(CheckError::NotAModule {
                what: what.to_owned(),
                span,
                import: import.map_or_else(Vec::new, |span| Note::new(span, "imported here")),
            });
        }
    }

    /// Checks the entry file's header, introduction and sections.
    fn instrument(&mut self, file: &'a ast::File) {
        for declaration in &file.declarations {
            if let ast::Declaration::Instrument(header) = declaration {
                self.header(header);
            }
        }
        let is_module = self.header.is_none()
            && !file.declarations.is_empty()
            && file.declarations.iter().all(|declaration| {
                !matches!(
                    declaration,
                    ast::Declaration::Introduction(_) | ast::Declaration::Section(_)
                )
            });
        if self.header.is_none() && !is_module {
            let span = file
                .declarations
                .first()
                .map_or(Span::at(self.file_start()), declaration_span);
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

    /// Where the entry file starts in the source map.
    fn file_start(&self) -> usize {
        let file = self.program.entry().file;
        if self.program.sources.is_empty() {
            0
        } else {
            self.program.sources.file(file).base
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
        // Inline options belong to the item that has them; a named scale is kept when used.
        self.scale_kept.push(name.is_none());
        self.scale_spans
            .push(name.map_or(options.span, |name| name.span));
        ScaleId(self.scales.len() - 1)
    }

    fn document(&mut self, document: &'a ast::DocumentDecl) -> Option<usize> {
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
                    text: sub.text.as_ref().map(|text| text.value.clone()),
                });
            }
            paragraphs.push(model::Paragraph {
                number: paragraph.number.name.clone(),
                heading: paragraph.heading.as_ref().map(|text| text.value.clone()),
                text: paragraph.text.as_ref().map(|text| text.value.clone()),
                subparagraphs,
            });
        }
        self.documents.push(model::Document {
            id: document.id.name.clone(),
            title: document.title.value.clone(),
            sources: document.sources.iter().map(|s| s.value.clone()).collect(),
            paragraphs,
        });
        self.document_kept.push(false);
        self.document_spans.push(document.id.span);
        Some(self.documents.len() - 1)
    }

    /// Resolves `guidelines 6 (a), 8`; unknown references are reported and left out.
    fn citations(&mut self, refs: &ast::ParaRefs) -> Vec<model::Citation> {
        let Some(Symbol::Document(document)) = self.lookup(&refs.document, Kind::Document) else {
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
                ast::Prose::Text(text) => Block::Text(self.text(text)),
                ast::Prose::Heading(text) => Block::Heading(self.text(text)),
                ast::Prose::Quote(refs) => Block::Excerpt(self.quote(refs)),
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
                ast::SectionMember::Use(use_) => {
                    self.use_block(use_, section);
                    continue;
                }
            };
            self.sections[section].content.push(block);
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
        let ident = self.item_ident(ident);
        let id = ItemId(self.items.len());
        let (number, marker) = self.number(kind, parent);
        let label_text = self.text(label);
        self.items.push(model::Item {
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
            parent,
            children: Vec::new(),
            section,
            span: ident.span,
        });
        self.label_spans.push(label.span);
        self.allow_uncited.push(false);
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
                    // Written citations count even when they have errors (reported).
                    self.allow_uncited[id.0] = true;
                    let citations = self.citations(refs);
                    self.items[id.0].citations.extend(citations);
                }
                ast::ItemMember::Help(text) => {
                    let text = self.text(text);
                    self.items[id.0].help.push(text);
                }
                ast::ItemMember::Note(text) => {
                    let text = self.text(text);
                    self.items[id.0].notes.push(text);
                }
                ast::ItemMember::AllowUncited(_) => self.allow_uncited[id.0] = true,
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
                self.pending.push(PendingGuard {
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
        let mut row_names: HashMap<&str, Span> = HashMap::default();
        for row in &grid.rows {
            match row {
                ast::GridRow::Row(row) => self.row(row, &mut rows, &mut row_names),
                ast::GridRow::Splice(name) => {
                    let argument = self.argument(name, ast::ParameterKind::Rows);
                    if let Some(Bound::Rows(given, env)) = argument {
                        let here = std::mem::replace(&mut self.env, env);
                        for row in given {
                            self.row(row, &mut rows, &mut row_names);
                        }
                        self.env = here;
                    }
                }
            }
        }
        self.items[id.0].answer = Some(Answer::Grid(model::Grid { columns, rows }));
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
        let answer = row.answer.as_ref().and_then(|answer| self.answer(answer));
        rows.push(model::Row {
            id: row.id.name.clone(),
            marker: format!("({})", marker(1, rows.len() + 1)),
            label: self.text(&row.label),
            citations,
            answer,
        });
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
            ast::Choices::Scale(name) => match self.lookup(name, Kind::Scale)? {
                Symbol::Scale(id) => Some(id),
                _ => None,
            },
            ast::Choices::Inline(options) => Some(self.options(None, None, options)),
        }
    }

    /// Resolves every guard now that every item is known.
    fn conditions(&mut self) {
        for pending in std::mem::take(&mut self.pending) {
            self.env = pending.env;
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

    /// Looks up a scale, document or block by its name as written (`yes_no` or
    /// `common.yes_no`) in the scope of the code being checked; reports an unknown name.
    fn lookup(&mut self, name: &ast::Ident, kind: Kind) -> Option<Symbol<'a>> {
        let module = self.module();
        let (names, member) = match name.name.split_once('.') {
            None => (&self.scopes[module], name.name.as_str()),
            Some((alias, member)) => match self.scopes[module].get(alias) {
                Some((Symbol::Module(imported), _)) => (&self.exports[*imported], member),
                _ => {
                    let aliases = self.scopes[module]
                        .iter()
                        .filter(|(_, (symbol, _))| matches!(symbol, Symbol::Module(_)))
                        .map(|(name, _)| *name);
                    let help = did_you_mean(alias, aliases).or_else(|| {
                        Some(format!(
                            "import a file under this name: `import \"…\" as {alias}`"
                        ))
                    });
                    self.errors.push(CheckError::UnknownImport {
                        message: format!("unknown import alias `{alias}`"),
                        span: Span::new(name.span.start, name.span.start + alias.len()),
                        label: "no import has this alias".to_owned(),
                        help,
                    });
                    return None;
                }
            },
        };
        let found = names
            .get(member)
            .filter(|(symbol, _)| Kind::of(symbol) == Some(kind))
            .map(|(symbol, _)| *symbol);
        if let Some(symbol) = found {
            self.keep(symbol);
            return Some(symbol);
        }
        let candidates: Vec<&str> = names
            .iter()
            .filter(|(_, (symbol, _))| Kind::of(symbol) == Some(kind))
            .map(|(name, _)| *name)
            .collect();
        let help = did_you_mean(member, candidates.iter().copied());
        let (name, span) = (name.name.clone(), name.span);
        self.errors.push(match kind {
            Kind::Scale => CheckError::UnknownScale { name, span, help },
            Kind::Document => CheckError::UnknownDocument { name, span, help },
            Kind::Block => CheckError::UnknownBlock { name, span, help },
        });
        None
    }

    /// Marks a scale or document as part of the compiled form.
    fn keep(&mut self, symbol: Symbol<'a>) {
        match symbol {
            Symbol::Scale(id) => self.scale_kept[id.0] = true,
            Symbol::Document(id) => self.document_kept[id] = true,
            Symbol::Block(..) | Symbol::Module(_) => {}
        }
    }

    /// The id an item is declared or read under: inside a block, an `item` parameter stands
    /// for the id its use gives.
    fn item_ident(&self, ident: &'a ast::Ident) -> &'a ast::Ident {
        match self.envs[self.env].arguments.get(ident.name.as_str()) {
            Some(Bound::Item(given)) => given,
            _ => ident,
        }
    }

    /// The item a condition names, if it is declared.
    pub(crate) fn item_id(&self, ident: &'a ast::Ident) -> Option<ItemId> {
        let ident = self.item_ident(ident);
        self.item_names.get(ident.name.as_str()).copied()
    }

    /// What a parameter stands for in the block being expanded; reports a name that is not a
    /// parameter of that kind.
    fn argument(&mut self, name: &ast::Ident, kind: ast::ParameterKind) -> Option<Bound<'a>> {
        match self.envs[self.env].arguments.get(name.name.as_str()) {
            Some(bound) if bound_kind(bound) == kind => Some(bound.clone()),
            found => {
                let label = match found {
                    Some(bound) => format!("a parameter of kind `{}`", bound_kind(bound).as_str()),
                    None if self.expanding.is_empty() => "only a block has parameters".to_owned(),
                    None => "not a parameter of this block".to_owned(),
                };
                let names = self.envs[self.env].arguments.keys().copied();
                let help = did_you_mean(&name.name, names).or_else(|| {
                    Some(format!(
                        "declare it: `block name({}: {})`",
                        name.name,
                        kind.as_str()
                    ))
                });
                self.errors.push(CheckError::UnknownParameter {
                    name: name.name.clone(),
                    span: name.span,
                    label,
                    help,
                });
                None
            }
        }
    }

    /// A text as the respondent sees it. Inside a block, `{name}` stands for a `text`
    /// argument, or for the printed number of the item an `item` argument names, and `{{` and
    /// `}}` for braces; elsewhere a text is as written.
    fn text(&mut self, text: &ast::Text) -> String {
        if self.envs[self.env].arguments.is_empty() && self.expanding.is_empty() {
            return text.value.clone();
        }
        let mut out = String::with_capacity(text.value.len());
        let mut rest = text.value.as_str();
        while let Some(index) = rest.find(['{', '}']) {
            out.push_str(&rest[..index]);
            let tail = &rest[index..];
            if tail.starts_with("{{") || tail.starts_with("}}") {
                out.push_str(&tail[..1]);
                rest = &tail[2..];
                continue;
            }
            let close = if tail.starts_with('{') {
                tail.find('}')
            } else {
                None
            };
            let Some(close) = close else {
                out.push_str(&tail[..1]);
                rest = &tail[1..];
                continue;
            };
            let name = &tail[1..close];
            out.push_str(&self.placeholder(name, text.span));
            rest = &tail[close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The value of `{name}` in a text of a block.
    fn placeholder(&mut self, name: &str, span: Span) -> String {
        match self.envs[self.env].arguments.get(name) {
            Some(Bound::Text(value)) => value.clone(),
            Some(Bound::Item(ident)) => {
                let number = self
                    .item_names
                    .get(ident.name.as_str())
                    .and_then(|id| self.items[id.0].number.clone());
                match number {
                    Some(number) => number,
                    None => {
                        self.errors.push(CheckError::UnknownParameter {
                            name: name.to_owned(),
                            span,
                            label: format!("`{}` has no printed number before this text", ident.name),
                            help: Some("`{name}` of an item gives its number: the item must be a numbered one that comes first".to_owned()),
                        });
                        String::new()
                    }
                }
            }
            _ => {
                let names = self.envs[self.env].arguments.keys().copied();
                let help = did_you_mean(name, names).or_else(|| {
                    Some("write `{{` and `}}` for braces in a block's texts".to_owned())
                });
                self.errors.push(CheckError::UnknownParameter {
                    name: name.to_owned(),
                    span,
                    label: format!("`{{{name}}}` names no text or item parameter"),
                    help,
                });
                String::new()
            }
        }
    }

    /// Expands `use block(…)` into the section: the block's content, with its parameters
    /// standing for the arguments, and its names looked up where the block is declared.
    fn use_block(&mut self, use_: &'a ast::UseBlock, section: usize) {
        let Some(Symbol::Block(block, module)) = self.lookup(&use_.block, Kind::Block) else {
            return;
        };
        if let Some(start) = self
            .expanding
            .iter()
            .position(|(open, _)| std::ptr::eq(*open, block))
        {
            let chain = self.expanding[start..]
                .iter()
                .map(|(open, span)| Note::single(*span, format!("`{}` is used here", open.id.name)))
                .collect();
            self.errors.push(CheckError::BlockRecursion {
                name: block.id.name.clone(),
                span: use_.block.span,
                chain,
            });
            return;
        }
        let Some(arguments) = self.arguments(use_, block) else {
            return;
        };
        self.envs.push(Env { module, arguments });
        let here = std::mem::replace(&mut self.env, self.envs.len() - 1);
        self.expanding.push((block, use_.block.span));
        self.section_members(&block.members, section);
        self.expanding.pop();
        self.env = here;
    }

    /// Matches a use's arguments with the block's parameters; `None` when they do not match
    /// (reported).
    fn arguments(
        &mut self,
        use_: &'a ast::UseBlock,
        block: &'a ast::BlockDecl,
    ) -> Option<HashMap<&'a str, Bound<'a>>> {
        let mut bound: HashMap<&'a str, Bound<'a>> = HashMap::default();
        let mut ok = true;
        for argument in &use_.arguments {
            let name = argument.name.name.as_str();
            let Some(parameter) = block.parameters.iter().find(|p| p.id.name == name) else {
                let names = block.parameters.iter().map(|p| p.id.name.as_str());
                self.errors.push(CheckError::BlockArguments {
                    message: format!("block `{}` has no parameter `{name}`", block.id.name),
                    span: argument.name.span,
                    label: "unknown parameter".to_owned(),
                    help: did_you_mean(name, names).or_else(|| Some(signature(block))),
                });
                ok = false;
                continue;
            };
            if bound.contains_key(name) {
                self.errors.push(CheckError::BlockArguments {
                    message: format!("parameter `{name}` is given twice"),
                    span: argument.name.span,
                    label: "given again here".to_owned(),
                    help: None,
                });
                ok = false;
                continue;
            }
            let given = argument.value.kind();
            if given != parameter.kind {
                self.errors.push(CheckError::BlockArguments {
                    message: format!(
                        "parameter `{name}` takes {}, not {}",
                        kind_phrase(parameter.kind),
                        kind_phrase(given)
                    ),
                    span: argument.value.span(),
                    label: format!("this is {}", kind_phrase(given)),
                    help: Some(signature(block)),
                });
                ok = false;
                continue;
            }
            let value = match &argument.value {
                ast::ArgumentValue::Item(ident) => Bound::Item(self.item_ident(ident)),
                ast::ArgumentValue::Text(text) => Bound::Text(self.text(text)),
                ast::ArgumentValue::Rows(rows, _) => Bound::Rows(rows, self.env),
            };
            bound.insert(name, value);
        }
        let missing: Vec<&str> = block
            .parameters
            .iter()
            .map(|p| p.id.name.as_str())
            .filter(|name| !bound.contains_key(name))
            .collect();
        if !missing.is_empty() && ok {
            let list = missing
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ");
            self.errors.push(CheckError::BlockArguments {
                message: format!("block `{}` needs {list}", block.id.name),
                span: use_.block.span,
                label: "missing argument(s)".to_owned(),
                help: Some(signature(block)),
            });
            ok = false;
        }
        ok.then_some(bound)
    }

    /// `quote`: citations shown to the respondent, whose text must be at hand.
    fn quote(&mut self, refs: &ast::ParaRefs) -> Vec<model::Citation> {
        let citations = self.citations(refs);
        for (citation, reference) in citations.iter().zip(&refs.refs) {
            let paragraph = &self.documents[citation.document].paragraphs[citation.paragraph];
            let pending = match citation.subparagraph {
                Some(sub) => paragraph.subparagraphs[sub].text.is_none(),
                None => {
                    paragraph.text.is_none()
                        || paragraph.subparagraphs.iter().any(|sub| sub.text.is_none())
                }
            };
            if pending {
                self.errors.push(CheckError::PendingQuote {
                    reference: display_ref(reference),
                    document: refs.document.name.clone(),
                    span: reference.span,
                });
            }
        }
        citations
    }

    /// Warns of questions that cite no paragraph, when the instrument has documents to cite.
    fn uncited(&mut self) {
        if !self.document_kept.iter().any(|kept| *kept) {
            return;
        }
        let mut cites = vec![false; self.items.len()];
        // Children come after their parents: one backward pass carries citations upwards.
        for index in (0..self.items.len()).rev() {
            let item = &self.items[index];
            let rows = match &item.answer {
                Some(Answer::Grid(grid)) => grid.rows.iter().any(|row| !row.citations.is_empty()),
                _ => false,
            };
            if !item.citations.is_empty() || rows || self.allow_uncited[index] {
                cites[index] = true;
            }
            if cites[index] {
                if let Some(parent) = item.parent {
                    cites[parent.0] = true;
                }
            }
        }
        for (index, item) in self.items.iter().enumerate() {
            if item.kind == model::ItemKind::Question && !cites[index] {
                self.errors.push(CheckError::Uncited {
                    name: item.id.clone(),
                    span: item.span,
                });
            }
        }
    }

    /// Leaves out of the compiled form the imported scales and documents that the instrument
    /// neither uses nor imports by name, and reports two kept ones with the same id.
    fn prune(&mut self) {
        let scale_map = renumber(&self.scale_kept);
        let document_map = renumber(&self.document_kept);
        let mut seen: HashMap<&str, Span> = HashMap::default();
        for (index, scale) in self.scales.iter().enumerate() {
            let Some(name) = scale.name.as_deref().filter(|_| self.scale_kept[index]) else {
                continue;
            };
            if let Some(first) = seen.insert(name, self.scale_spans[index]) {
                self.errors
                    .push(clash("scale", name, self.scale_spans[index], first));
            }
        }
        seen.clear();
        for (index, document) in self.documents.iter().enumerate() {
            if !self.document_kept[index] {
                continue;
            }
            if let Some(first) = seen.insert(&document.id, self.document_spans[index]) {
                let span = self.document_spans[index];
                self.errors
                    .push(clash("document", &document.id, span, first));
            }
        }
        retain_kept(&self.scale_kept, &mut self.scales);
        retain_kept(&self.document_kept, &mut self.documents);
        let remap = |citations: &mut Vec<model::Citation>| {
            for citation in citations {
                citation.document = document_map[citation.document];
            }
        };
        for item in &mut self.items {
            remap(&mut item.citations);
            if let Some(answer) = &mut item.answer {
                remap_answer(answer, &scale_map, &document_map);
            }
        }
        let blocks = self
            .sections
            .iter_mut()
            .flat_map(|section| section.content.iter_mut())
            .chain(self.introduction.iter_mut());
        for block in blocks {
            if let Block::Excerpt(citations) = block {
                remap(citations);
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
            translations: Vec::new(),
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

/// The new index of each kept element of a list, when the others are left out.
fn renumber(kept: &[bool]) -> Vec<usize> {
    let mut next = 0;
    kept.iter()
        .map(|&kept| {
            let index = next;
            next += usize::from(kept);
            index
        })
        .collect()
}

fn retain_kept<T>(kept: &[bool], list: &mut Vec<T>) {
    let mut index = 0;
    list.retain(|_| {
        index += 1;
        kept[index - 1]
    });
}

fn remap_answer(answer: &mut Answer, scales: &[usize], documents: &[usize]) {
    match answer {
        Answer::Choice { scale, .. } => *scale = ScaleId(scales[scale.0]),
        Answer::List { fields } => {
            for field in fields {
                remap_answer(&mut field.answer, scales, documents);
            }
        }
        Answer::Grid(grid) => {
            for row in &mut grid.rows {
                for citation in &mut row.citations {
                    citation.document = documents[citation.document];
                }
                if let Some(answer) = &mut row.answer {
                    remap_answer(answer, scales, documents);
                }
            }
        }
        Answer::Text { .. } | Answer::Date | Answer::Number { .. } | Answer::Amount { .. } => {}
    }
}

fn clash(kind: &str, name: &str, span: Span, first: Span) -> CheckError {
    CheckError::NameClash {
        name: name.to_owned(),
        span,
        label: format!("a second {kind} `{name}` in the compiled form"),
        first: Note::new(first, &format!("the {kind} `{name}` used first")),
        help: Some(format!(
            "the compiled form names each {kind} once; rename one of them"
        )),
    }
}

fn bound_kind(bound: &Bound<'_>) -> ast::ParameterKind {
    match bound {
        Bound::Item(_) => ast::ParameterKind::Item,
        Bound::Text(_) => ast::ParameterKind::Text,
        Bound::Rows(..) => ast::ParameterKind::Rows,
    }
}

fn kind_phrase(kind: ast::ParameterKind) -> &'static str {
    match kind {
        ast::ParameterKind::Item => "an item id",
        ast::ParameterKind::Text => "a text",
        ast::ParameterKind::Rows => "rows in braces",
    }
}

/// `block concluding(lessons: item, topic: text)`, for help lines.
fn signature(block: &ast::BlockDecl) -> String {
    let parameters: Vec<String> = block
        .parameters
        .iter()
        .map(|p| format!("{}: {}", p.id.name, p.kind.as_str()))
        .collect();
    format!(
        "the block is `{}({})`",
        block.id.name,
        parameters.join(", ")
    )
}

fn declaration_span(declaration: &ast::Declaration) -> Span {
    match declaration {
        ast::Declaration::Import(import) => import.span,
        ast::Declaration::Block(block) => block.span,
        ast::Declaration::Translation(translation) => translation.span,
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

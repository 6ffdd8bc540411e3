//! Names across files: each module's own declarations (its exports) and its scope (those plus
//! what it imports), lookups of plain and qualified names, and which imported scales and
//! documents are used or named (kept; `analyse` leaves the others out of the form).

use super::error::{CheckError, ImportProblem, SpecialProblem};
use super::Checker;
use crate::arena::Arena;
use crate::load::Module;
use crate::model::{DocumentId, ScaleId};
use crate::span::Note;
use crate::span::Span;
use crate::syntax::ast;

/// What a name of a module's scope stands for.
#[derive(Clone, Copy, Debug)]
pub(super) enum Symbol<'a> {
    Scale(ScaleId),
    Document(DocumentId),
    Special(usize),
    /// A block and the module that declares it.
    Block(&'a ast::BlockDecl, usize),
    /// Named rows and the module that declares them.
    Rows(&'a ast::RowsDecl, usize),
    /// An import alias.
    Module(usize),
}

impl Symbol<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Symbol::Scale(_) => "scale",
            Symbol::Document(_) => "document",
            Symbol::Special(_) => "special answer",
            Symbol::Block(..) => "block",
            Symbol::Rows(..) => "rows",
            Symbol::Module(_) => "import alias",
        }
    }
}

/// The kinds of declaration a name can be looked up as.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Scale,
    Document,
    Block,
    Special,
    Rows,
}

impl Kind {
    fn of(symbol: &Symbol<'_>) -> Option<Kind> {
        match symbol {
            Symbol::Scale(_) => Some(Kind::Scale),
            Symbol::Document(_) => Some(Kind::Document),
            Symbol::Block(..) => Some(Kind::Block),
            Symbol::Special(_) => Some(Kind::Special),
            Symbol::Rows(..) => Some(Kind::Rows),
            Symbol::Module(_) => None,
        }
    }
}

pub(super) fn clash(kind: &str, name: &str, span: Span, first: Span) -> CheckError {
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

impl<'a> Checker<'a> {
    /// The first pass: every module in order (each comes after those it imports) declares its
    /// scales, documents, special answers and blocks, then builds its scope.
    pub(super) fn declare_modules(&mut self) {
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
    }

    /// Declares a module's scales, documents and blocks.
    pub(super) fn declare(&mut self, index: usize, file: &'a ast::File) {
        let (scales, documents) = (self.declared.scales.len(), self.declared.documents.len());
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
                ast::Declaration::Rows(rows) => (&rows.id, Symbol::Rows(rows, index)),
                ast::Declaration::Special(special) => {
                    (&special.id, Symbol::Special(self.special(special)))
                }
                _ => continue,
            };
            if let Some((first, first_span)) =
                self.declared.exports.at(index).get(name.name.as_str())
            {
                self.errors.push(CheckError::Duplicate {
                    kind: first.kind(),
                    name: name.name.clone(),
                    span: name.span,
                    first: Note::new(*first_span, "first defined here"),
                });
                continue;
            }
            self.declared
                .exports
                .at_mut(index)
                .insert(name.name.as_str(), (symbol, name.span));
        }
        // The instrument's own scales and documents are part of its form, used or not.
        if index == self.entry() {
            self.declared
                .scale_kept
                .iter_mut()
                .skip(scales)
                .for_each(|kept| *kept = true);
            self.declared
                .document_kept
                .iter_mut()
                .skip(documents)
                .for_each(|kept| *kept = true);
        }
        *self.declared.scopes.at_mut(index) = self.declared.exports.at(index).clone();
    }

    /// Adds what a module imports to its scope.
    pub(super) fn import(&mut self, index: usize, module: &'a Module) {
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
                        match self.declared.exports.at(imported).get(name.name.as_str()) {
                            Some(&(symbol, _)) => {
                                if self.bind(index, name, symbol) && index == self.entry() {
                                    self.keep(symbol);
                                }
                            }
                            None => {
                                let file = self.file_name(imported);
                                let suggestion = self.did_you_mean(
                                    &name.name,
                                    self.declared.exports.at(imported).keys().copied(),
                                );
                                self.errors.push(CheckError::UnknownImport(
                                    ImportProblem::NotDeclared {
                                        file: file.to_string(),
                                        name: name.name.clone(),
                                        span: name.span,
                                        suggestion,
                                    },
                                ));
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adds a name to a module's scope, reporting a clash with a name already there. Returns
    /// whether it was added.
    pub(super) fn bind(&mut self, module: usize, name: &'a ast::Ident, symbol: Symbol<'a>) -> bool {
        if let Some((first, first_span)) = self.declared.scopes.at(module).get(name.name.as_str()) {
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
        self.declared
            .scopes
            .at_mut(module)
            .insert(name.name.as_str(), (symbol, name.span));
        true
    }

    /// The display name of a module's file.
    pub(super) fn file_name(&self, module: usize) -> String {
        let file = self.program.modules.at(module).file;
        self.program.sources.file(file).name.clone()
    }

    /// Reports what only an instrument may declare, in an imported module.
    pub(super) fn not_a_module(&mut self, index: usize, file: &'a ast::File) {
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

    /// Looks up a scale, document or block by its name as written (`yes_no` or
    /// `common.yes_no`) in the scope of the code being checked; reports an unknown name.
    pub(super) fn lookup(&mut self, name: &ast::Ident, kind: Kind) -> Option<Symbol<'a>> {
        let module = self.module();
        let (names, member) = match name.name.split_once('.') {
            None => (&self.declared.scopes.at(module), name.name.as_str()),
            Some((alias, member)) => match self.declared.scopes.at(module).get(alias) {
                Some((Symbol::Module(imported), _)) => {
                    (&self.declared.exports.at(*imported), member)
                }
                _ => {
                    let aliases = self
                        .declared
                        .scopes
                        .at(module)
                        .iter()
                        .filter(|(_, (symbol, _))| matches!(symbol, Symbol::Module(_)))
                        .map(|(name, _)| *name);
                    let suggestion = self.did_you_mean(alias, aliases);
                    let span = Span::new(name.span.start, name.span.start + alias.len());
                    self.errors
                        .push(CheckError::UnknownImport(ImportProblem::unknown_alias(
                            alias, span, suggestion,
                        )));
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
        let help = self.did_you_mean(member, candidates.iter().copied());
        let (name, span) = (name.name.clone(), name.span);
        self.errors.push(match kind {
            Kind::Scale => CheckError::UnknownScale { name, span, help },
            Kind::Document => CheckError::UnknownDocument { name, span, help },
            Kind::Block => CheckError::UnknownBlock { name, span, help },
            Kind::Special => CheckError::BadSpecial(SpecialProblem::unknown(&name, span, help)),
            Kind::Rows => CheckError::UnknownRows { name, span, help },
        });
        None
    }

    /// Named rows in the scope of the code being checked, by their name as written; `None`
    /// (reporting nothing) when there are none of that name.
    pub(super) fn find_rows(&self, name: &ast::Ident) -> Option<&'a ast::RowsDecl> {
        let scope = self.declared.scopes.at(self.module());
        let found = match name.name.split_once('.') {
            None => scope.get(name.name.as_str()),
            Some((alias, member)) => match scope.get(alias) {
                Some((Symbol::Module(imported), _)) => {
                    self.declared.exports.at(*imported).get(member)
                }
                _ => None,
            },
        };
        match found {
            Some((Symbol::Rows(rows, _), _)) => Some(rows),
            _ => None,
        }
    }

    /// Marks a scale or document as part of the compiled form.
    pub(super) fn keep(&mut self, symbol: Symbol<'a>) {
        match symbol {
            Symbol::Scale(id) => *self.declared.scale_kept.at_mut(id) = true,
            Symbol::Document(id) => *self.declared.document_kept.at_mut(id) = true,
            Symbol::Special(id) => *self.declared.special_kept.at_mut(id) = true,
            Symbol::Block(..) | Symbol::Rows(..) | Symbol::Module(_) => {}
        }
    }
}

//! Blocks: expanding `use block(…)` where it is written, with the block's names looked up in
//! the module that declares it and its parameters standing for the use's arguments, and the
//! texts of a block with their `{name}` placeholders filled in.

use rustc_hash::FxHashMap as HashMap;

use super::error::{ArgumentProblem, CheckError, ParameterProblem, ValueProblem};
use super::scope::{Kind, Symbol};
use super::Checker;
use crate::arena::Arena;
use crate::model::{self, ItemId};
use crate::span::Note;
use crate::span::Span;
use crate::syntax::ast;

/// How many bytes expanding blocks may cost in one compilation: the size of the block at
/// each use (at least [`USE_COST`]), and the bytes that text arguments fill in. A block used
/// twice by a block used twice, 30 levels deep, would otherwise make a 1 KB file expand to a
/// billion items; the budget stops it in time and memory linear in the budget (some 65,000
/// uses), far above any real instrument.
pub const EXPANSION_BUDGET: usize = 4 * 1024 * 1024;

/// The least a use of a block costs, however small the block.
pub const USE_COST: usize = 64;

/// How deep uses of blocks may nest inside blocks, as brackets may.
pub const MAX_USE_DEPTH: usize = crate::syntax::MAX_DEPTH;

/// An index into [`Checker::envs`].
pub(super) type EnvId = usize;

/// A piped `{name}` in a text, checked once every item is known.
pub(super) struct Pipe {
    name: String,
    span: Span,
    env: EnvId,
    /// The parameters of the block the text is in, for a misspelt one.
    parameters: Vec<String>,
}

/// Where names are looked up while a part of the program is checked: the module whose scope
/// holds its scales, documents and blocks, and inside a used block, what each parameter
/// stands for.
pub(super) struct Env<'a> {
    pub(super) module: usize,
    pub(super) arguments: HashMap<&'a str, Binding<'a>>,
}

/// What a block parameter stands for in one use.
#[derive(Clone)]
pub(super) enum Binding<'a> {
    Item(&'a ast::Ident),
    Text(model::Text),
    /// Rows, the environment they were written in, and their name if they are named rows.
    Rows(&'a [ast::RowDecl], EnvId, Option<&'a str>),
}

fn bound_kind(bound: &Binding<'_>) -> ast::ParameterKind {
    match bound {
        Binding::Item(_) => ast::ParameterKind::Item,
        Binding::Text(_) => ast::ParameterKind::Text,
        Binding::Rows(..) => ast::ParameterKind::Rows,
    }
}

fn kind_phrase(kind: ast::ParameterKind) -> &'static str {
    match kind {
        ast::ParameterKind::Item => "an item id",
        ast::ParameterKind::Text => "a text",
        ast::ParameterKind::Rows => "rows in braces or the name of named rows",
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

impl<'a> Checker<'a> {
    /// The id an item is declared or read under: inside a block, an `item` parameter stands
    /// for the id its use gives.
    pub(super) fn item_ident(&self, ident: &'a ast::Ident) -> &'a ast::Ident {
        match self.envs.at(self.env).arguments.get(ident.name.as_str()) {
            Some(Binding::Item(given)) => given,
            _ => ident,
        }
    }

    /// The item a condition names, if it is declared.
    pub(crate) fn item_id(&self, ident: &'a ast::Ident) -> Option<ItemId> {
        let ident = self.item_ident(ident);
        self.walk.item_names.get(ident.name.as_str()).copied()
    }

    /// The rows `rows name` stands for in a grid: those of a `rows` parameter of the block
    /// being expanded, or else named rows (`rows areas { … }`) in scope; reports a name that
    /// is neither.
    pub(super) fn spliced_rows(&mut self, name: &'a ast::Ident) -> Option<Binding<'a>> {
        let parameter = self
            .envs
            .at(self.env)
            .arguments
            .contains_key(name.name.as_str());
        if parameter || (!self.walk.expanding.is_empty() && self.find_rows(name).is_none()) {
            return self.argument(name, ast::ParameterKind::Rows);
        }
        self.named_rows(name)
    }

    /// Named rows in scope (`rows areas { … }`, or `common.areas` from an import), with the
    /// environment of the module that declares them; reports an unknown name.
    pub(super) fn named_rows(&mut self, name: &ast::Ident) -> Option<Binding<'a>> {
        match self.lookup(name, Kind::Rows)? {
            Symbol::Rows(rows, module) => {
                Some(Binding::Rows(&rows.rows, module, Some(&rows.id.name)))
            }
            _ => None,
        }
    }

    /// What a parameter stands for in the block being expanded; reports a name that is not a
    /// parameter of that kind.
    pub(super) fn argument(
        &mut self,
        name: &ast::Ident,
        kind: ast::ParameterKind,
    ) -> Option<Binding<'a>> {
        match self.envs.at(self.env).arguments.get(name.name.as_str()) {
            Some(bound) if bound_kind(bound) == kind => Some(bound.clone()),
            found => {
                let names = self.envs.at(self.env).arguments.keys().copied();
                let suggestion = self.did_you_mean(&name.name, names);
                let help = ParameterProblem::declare(&name.name, kind.as_str(), suggestion);
                let (span, name) = (name.span, name.name.clone());
                let problem = match found {
                    Some(bound) => ParameterProblem::OtherKind {
                        name,
                        kind: bound_kind(bound).as_str(),
                        span,
                        help,
                    },
                    None if self.walk.expanding.is_empty() => {
                        ParameterProblem::OutsideBlock { name, span, help }
                    }
                    None => ParameterProblem::NotOfBlock { name, span, help },
                };
                self.errors.push(CheckError::UnknownParameter(problem));
                None
            }
        }
    }

    /// A text as the respondent sees it. `{name}` pipes in the value of an item or calculated
    /// value (resolved by [`Checker::pipes`] once every item is known); inside a block, it
    /// stands for a `text` argument, or for the printed number of the item an `item` argument
    /// names.
    pub(super) fn text(&mut self, text: &ast::Text) -> model::Text {
        let mut out = model::Text::default();
        for part in &text.parts {
            match part {
                ast::TextPart::Literal(literal) => {
                    out.push(model::Part::Literal(literal.clone()));
                }
                ast::TextPart::Ref { name, span } => self.placeholder(name, *span, &mut out),
            }
        }
        out
    }

    /// What `{name}` becomes: in a block, the value of a parameter; otherwise a piped value,
    /// checked later. Until then its part holds the index of its [`Pipe`].
    fn placeholder(&mut self, name: &str, span: Span, out: &mut model::Text) {
        match self.envs.at(self.env).arguments.get(name) {
            Some(Binding::Text(value)) => {
                let value = value.clone();
                if self.spend(value.len(), span) {
                    out.extend(&value);
                }
            }
            Some(Binding::Item(ident)) => {
                let number = self
                    .walk
                    .item_names
                    .get(ident.name.as_str())
                    .and_then(|id| self.walk.items.at(*id).number.clone());
                match number {
                    Some(number) => out.push(model::Part::Literal(number)),
                    None => {
                        self.errors.push(CheckError::UnknownParameter(
                            ParameterProblem::NoNumber {
                                name: name.to_owned(),
                                item: ident.name.clone(),
                                span,
                            },
                        ));
                    }
                }
            }
            _ => {
                let parameters: Vec<String> = self
                    .envs
                    .at(self.env)
                    .arguments
                    .keys()
                    .map(|name| (*name).to_owned())
                    .collect();
                out.push(model::Part::Piped(ItemId::from(self.deferred.pipes.len())));
                self.deferred.pipes.push(Pipe {
                    name: name.to_owned(),
                    span,
                    env: self.env,
                    parameters,
                });
            }
        }
    }

    /// Checks that each piped `{name}` names an item with an answer, or a calculated value;
    /// in a block, an unknown name is most likely a misspelt parameter.
    pub(super) fn pipes(&mut self) {
        let pipes = std::mem::take(&mut self.deferred.pipes);
        let mut resolved = Vec::with_capacity(pipes.len());
        for pipe in &pipes {
            self.env = pipe.env;
            let ident = ast::Ident {
                name: pipe.name.clone(),
                span: pipe.span,
            };
            let found = self
                .walk
                .item_names
                .get(pipe.name.as_str())
                .copied()
                .or_else(|| {
                    let given = self.item_ident(&ident);
                    self.walk.item_names.get(given.name.as_str()).copied()
                });
            resolved.push(found);
            match found {
                Some(id) if self.walk.items.at(id).answer.as_ref().is_some_and(model::AnswerType::can_be_piped) => {}
                Some(id) => self.errors.push(CheckError::BadValue(ValueProblem::NotShown {
                    item: self.walk.items.at(id).id.clone(),
                    span: pipe.span,
                })),
                None if !pipe.parameters.is_empty() => {
                    let suggestion = self
                        .did_you_mean(&pipe.name, pipe.parameters.iter().map(String::as_str));
                    self.errors.push(CheckError::UnknownParameter(
                        ParameterProblem::unknown_pipe(&pipe.name, pipe.span, suggestion),
                    ));
                }
                None => self.errors.push(CheckError::UnknownItem {
                    name: pipe.name.clone(),
                    span: pipe.span,
                    help: self.did_you_mean(&pipe.name, self.walk.item_names.keys().copied()).or_else(|| {
                        Some("`{name}` shows the answer of an item; write `{{` and `}}` for braces".to_owned())
                    }),
                }),
            }
        }
        self.env = self.entry();
        // Each piped part holds the index of its pipe until here; one that names no item
        // (an error, reported above) is left as it was written.
        let mut resolve = |text: &mut model::Text| {
            text.replace_piped(|pending| {
                let index = usize::from(pending);
                match resolved.get(index).copied().flatten() {
                    Some(id) => model::Part::Piped(id),
                    None => model::Part::Literal(
                        pipes
                            .get(index)
                            .map(|pipe| format!("{{{}}}", pipe.name))
                            .unwrap_or_default(),
                    ),
                }
            })
        };
        for block in self.walk.introduction.iter_mut().chain(
            self.walk
                .sections
                .iter_mut()
                .flat_map(|section| &mut section.content),
        ) {
            block.text_mut().map(&mut resolve);
        }
        for section in &mut self.walk.sections {
            for constraint in &mut section.constraints {
                resolve(&mut constraint.message);
            }
        }
        for choice in self.declared.specials.iter_mut().chain(
            self.declared
                .scales
                .iter_mut()
                .flat_map(|scale| &mut scale.options),
        ) {
            resolve(&mut choice.label);
        }
        for item in &mut self.walk.items {
            item.texts_mut(&mut resolve);
        }
    }

    /// Expands `use block(…)` into the section: the block's content, with its parameters
    /// standing for the arguments, and its names looked up where the block is declared.
    pub(super) fn use_block(&mut self, use_: &'a ast::UseBlock, section: usize) {
        let Some(Symbol::Block(block, module)) = self.lookup(&use_.block, Kind::Block) else {
            return;
        };
        if let Some(start) = self
            .walk
            .expanding
            .iter()
            .position(|(open, _)| std::ptr::eq(*open, block))
        {
            let mut chain = self.uses();
            chain.drain(..start);
            self.errors.push(CheckError::BlockRecursion {
                name: block.id.name.clone(),
                span: use_.block.span,
                chain,
            });
            return;
        }
        if self.walk.expanding.len() >= MAX_USE_DEPTH {
            let what = format!("blocks used inside blocks more than {MAX_USE_DEPTH} deep");
            self.past_limit(what, use_.block.span);
            return;
        }
        if !self.spend(block.span.len().max(USE_COST), use_.block.span) {
            return;
        }
        let Some(arguments) = self.arguments(use_, block) else {
            return;
        };
        self.envs.push(Env { module, arguments });
        let here = std::mem::replace(&mut self.env, self.envs.len() - 1);
        self.walk.expanding.push((block, use_.block.span));
        crate::stack::guard(|| self.section_members(&block.members, section));
        self.walk.expanding.pop();
        self.env = here;
    }

    /// The uses of blocks being expanded, outermost first, as notes.
    fn uses(&self) -> Vec<Note> {
        self.walk
            .expanding
            .iter()
            .map(|(open, span)| Note::single(*span, format!("`{}` is used here", open.id.name)))
            .collect()
    }

    /// Spends `cost` bytes of the expansion budget on what is written at `span`; false, and
    /// reported once with the chain of uses that led there, when the budget is spent.
    fn spend(&mut self, cost: usize, span: Span) -> bool {
        if self.walk.over_budget {
            return false;
        }
        self.walk.expanded = self.walk.expanded.saturating_add(cost);
        if self.walk.expanded <= EXPANSION_BUDGET {
            return true;
        }
        self.past_limit(format!("more than {EXPANSION_BUDGET} bytes"), span);
        false
    }

    /// Stops expanding blocks, reporting `what` limit was reached at `span` once, with the
    /// chain of uses that led there.
    fn past_limit(&mut self, what: String, span: Span) {
        if std::mem::replace(&mut self.walk.over_budget, true) {
            return;
        }
        self.errors.push(CheckError::ExpansionBudget {
            what,
            span,
            chain: self.uses(),
        });
    }

    /// Matches a use's arguments with the block's parameters; `None` when they do not match
    /// (reported).
    pub(super) fn arguments(
        &mut self,
        use_: &'a ast::UseBlock,
        block: &'a ast::BlockDecl,
    ) -> Option<HashMap<&'a str, Binding<'a>>> {
        let mut bound: HashMap<&'a str, Binding<'a>> = HashMap::default();
        let mut ok = true;
        for argument in &use_.arguments {
            let name = argument.name.name.as_str();
            let Some(parameter) = block.parameters.iter().find(|p| p.id.name == name) else {
                let names = block.parameters.iter().map(|p| p.id.name.as_str());
                let help = self
                    .did_you_mean(name, names)
                    .or_else(|| Some(signature(block)));
                self.errors
                    .push(CheckError::BlockArguments(ArgumentProblem::Unknown {
                        block: block.id.name.clone(),
                        name: name.to_owned(),
                        span: argument.name.span,
                        help,
                    }));
                ok = false;
                continue;
            };
            if bound.contains_key(name) {
                self.errors
                    .push(CheckError::BlockArguments(ArgumentProblem::Twice {
                        name: name.to_owned(),
                        span: argument.name.span,
                    }));
                ok = false;
                continue;
            }
            if !argument.value.fits(parameter.kind) {
                self.errors
                    .push(CheckError::BlockArguments(ArgumentProblem::WrongKind {
                        name: name.to_owned(),
                        wanted: kind_phrase(parameter.kind),
                        given: argument.value.phrase(),
                        span: argument.value.span(),
                        signature: signature(block),
                    }));
                ok = false;
                continue;
            }
            let value = match &argument.value {
                ast::ArgumentValue::Name(ident) if parameter.kind == ast::ParameterKind::Rows => {
                    match self.named_rows(ident) {
                        Some(binding) => binding,
                        None => {
                            ok = false;
                            continue;
                        }
                    }
                }
                ast::ArgumentValue::Name(ident) => Binding::Item(self.item_ident(ident)),
                ast::ArgumentValue::Text(text) => Binding::Text(self.text(text)),
                ast::ArgumentValue::Rows(rows, _) => Binding::Rows(rows, self.env, None),
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
            self.errors
                .push(CheckError::BlockArguments(ArgumentProblem::Missing {
                    block: block.id.name.clone(),
                    missing: list,
                    span: use_.block.span,
                    signature: signature(block),
                }));
            ok = false;
        }
        ok.then_some(bound)
    }
}

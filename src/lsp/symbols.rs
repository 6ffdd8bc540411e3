//! What each name written in a `.q` file stands for, read from the file's AST: the language
//! server's references, rename and definition use it, so that a name is found where the
//! compiler reads it and only there (not in texts or comments, nor where the same word is
//! something else, such as an option's code).
//!
//! A bare name in a condition is an item when an item of that name is declared, and a code
//! otherwise, as the checker reads it; inside a block, a name of one of the block's parameters
//! is that parameter. A code is one of the options of the item it is compared with (`q1 =
//! yes`, `q1 in [yes]`, `q1 has yes`), of the parent's for `on yes`, of the item a test answers:
//! which options each item takes comes from the checked instrument. Scales, documents, blocks, named rows and special answers are known by
//! their names across the instrument's files (an alias's `common.yes_no` is `yes_no`).

use std::collections::{HashMap, HashSet};

use crate::span::Span;
use crate::syntax::ast::*;

/// What a name stands for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Symbol {
    Item(String),
    /// An option's code, of the options it is one of (when the walk can tell which).
    Code(Option<OptionsOf>, String),
    Scale(String),
    Document(String),
    /// A paragraph of a document, by its number.
    Paragraph(String, String),
    Special(String),
    Block(String),
    Rows(String),
    /// A heading of the report.
    Heading(String),
    /// A parameter of a block, by the block's name.
    Parameter(String, String),
}

impl Symbol {
    /// The name as written (a paragraph's number).
    pub fn name(&self) -> &str {
        match self {
            Symbol::Item(name)
            | Symbol::Code(_, name)
            | Symbol::Scale(name)
            | Symbol::Document(name)
            | Symbol::Special(name)
            | Symbol::Block(name)
            | Symbol::Rows(name)
            | Symbol::Heading(name)
            | Symbol::Parameter(_, name)
            | Symbol::Paragraph(_, name) => name,
        }
    }
}

/// Whose options a code is one of: a named scale's, or the inline options of an item.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OptionsOf {
    Scale(String),
    Item(String),
}

/// One place a name is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub symbol: Symbol,
    /// Byte offsets in the file's text.
    pub start: usize,
    pub end: usize,
    /// Where it is declared, not used.
    pub declaration: bool,
}

/// The names declared across the files of an instrument: what the names used in each file
/// resolve against.
#[derive(Default)]
pub struct Declared {
    items: HashSet<String>,
    /// The options each item that takes a choice chooses from, by its id.
    choices: HashMap<String, OptionsOf>,
    /// Scales, documents, blocks, named rows and special answers, by name.
    others: HashMap<String, Symbol>,
}

impl Declared {
    /// The declarations of these files.
    pub fn of<'f>(files: impl IntoIterator<Item = &'f File>) -> Declared {
        let mut declared = Declared::default();
        for file in files {
            for occurrence in Walk::new(&Declared::default()).file(file) {
                match (&occurrence.symbol, occurrence.declaration) {
                    (Symbol::Item(name), true) => {
                        declared.items.insert(name.clone());
                    }
                    (
                        Symbol::Scale(name)
                        | Symbol::Document(name)
                        | Symbol::Block(name)
                        | Symbol::Rows(name)
                        | Symbol::Special(name),
                        true,
                    ) => {
                        declared
                            .others
                            .insert(name.clone(), occurrence.symbol.clone());
                    }
                    _ => {}
                }
            }
        }
        declared
    }

    /// Each choice's options, from the checked instrument (which knows the items that blocks
    /// make and the scale each item takes).
    pub fn with_choices(mut self, instrument: &crate::model::Instrument) -> Declared {
        for item in &instrument.items {
            if let Some(crate::model::AnswerType::Choice { scale, .. }) = &item.answer {
                let choices = match &instrument.scale(*scale).name {
                    Some(name) => OptionsOf::Scale(name.clone()),
                    None => OptionsOf::Item(item.id.clone()),
                };
                self.choices.insert(item.id.clone(), choices);
            }
        }
        self
    }

    /// Whether a name is taken by a declaration an item or a top-level name would clash with.
    pub fn taken(&self, name: &str) -> bool {
        self.items.contains(name) || self.others.contains_key(name)
    }
}

/// Every name written in a file, with what it stands for, in the order of the walk.
pub fn occurrences(file: &File, declared: &Declared) -> Vec<Occurrence> {
    Walk::new(declared).file(file)
}

/// The occurrence at a byte offset of the file, if a name is written there.
pub fn at(occurrences: &[Occurrence], offset: usize) -> Option<&Occurrence> {
    occurrences
        .iter()
        .find(|o| o.start <= offset && offset <= o.end)
}

struct Walk<'d> {
    declared: &'d Declared,
    /// The block being walked, and its parameters.
    block: Option<(String, Vec<String>)>,
    /// The items being walked, the innermost last.
    items: Vec<String>,
    /// Whose options a bare name that is no item is a code of, in the comparison being walked.
    codes_of: Option<OptionsOf>,
    out: Vec<Occurrence>,
}

impl<'d> Walk<'d> {
    fn new(declared: &'d Declared) -> Self {
        Walk {
            declared,
            block: None,
            items: Vec::new(),
            codes_of: None,
            out: Vec::new(),
        }
    }

    fn file(mut self, file: &File) -> Vec<Occurrence> {
        for declaration in &file.declarations {
            self.declaration(declaration);
        }
        self.out
    }

    fn push(&mut self, symbol: Symbol, span: Span, declaration: bool) {
        self.out.push(Occurrence {
            symbol,
            start: span.start,
            end: span.end,
            declaration,
        });
    }

    /// The last part of a qualified name (`common.yes_no`): its symbol's name and span.
    fn last_part(ident: &Ident) -> (String, Span) {
        match ident.name.rsplit_once('.') {
            Some((_, last)) => (
                last.to_owned(),
                Span::new(ident.span.end.saturating_sub(last.len()), ident.span.end),
            ),
            None => (ident.name.clone(), ident.span),
        }
    }

    /// The first part of a dotted name (`grid.row`, `this.field`): its name and span.
    fn first_part(ident: &Ident) -> (String, Span) {
        match ident.name.split_once('.') {
            Some((first, _)) => (
                first.to_owned(),
                Span::new(ident.span.start, ident.span.start + first.len()),
            ),
            None => (ident.name.clone(), ident.span),
        }
    }

    /// A parameter of the block being walked, if `name` is one.
    fn parameter(&self, name: &str) -> Option<Symbol> {
        let (block, parameters) = self.block.as_ref()?;
        parameters
            .iter()
            .any(|p| p == name)
            .then(|| Symbol::Parameter(block.clone(), name.to_owned()))
    }

    /// A name declared at the top level of some file (a scale, document, block, named rows or
    /// special answer), or an item, written where `fallback` is expected.
    fn named(&mut self, ident: &Ident, fallback: fn(String) -> Symbol) {
        let (name, span) = Self::last_part(ident);
        let symbol = self
            .parameter(&name)
            .unwrap_or_else(|| fallback(name.clone()));
        self.push(symbol, span, false);
    }

    /// An item's id where it is used (`answered(q1)`, `min q_persons`, a test's target).
    fn item_use(&mut self, ident: &Ident) {
        let (name, span) = Self::first_part(ident);
        let symbol = self.parameter(&name).unwrap_or(Symbol::Item(name));
        self.push(symbol, span, false);
    }

    /// An item's id where it is declared.
    fn item_declared(&mut self, ident: &Ident) {
        match self.parameter(&ident.name) {
            Some(symbol) => self.push(symbol, ident.span, false),
            None => self.push(Symbol::Item(ident.name.clone()), ident.span, true),
        }
    }

    fn declaration(&mut self, declaration: &Declaration) {
        match declaration {
            Declaration::Import(import) => {
                if let ImportNames::Selected(names) = &import.names {
                    for name in names {
                        if let Some(symbol) = self.declared.others.get(&name.name) {
                            self.push(symbol.clone(), name.span, false);
                        }
                    }
                }
            }
            Declaration::Instrument(_) | Declaration::Translation(_) => {}
            Declaration::Scale(scale) => {
                self.push(Symbol::Scale(scale.id.name.clone()), scale.id.span, true);
                self.options(Some(&scale.id.name), &scale.options);
            }
            Declaration::Special(special) => {
                let symbol = Symbol::Special(special.id.name.clone());
                self.push(symbol, special.id.span, true);
            }
            Declaration::Document(document) => {
                let name = document.id.name.clone();
                self.push(Symbol::Document(name.clone()), document.id.span, true);
                for paragraph in &document.paragraphs {
                    let number = paragraph.number.name.clone();
                    let symbol = Symbol::Paragraph(name.clone(), number);
                    self.push(symbol, paragraph.number.span, true);
                }
            }
            Declaration::Block(block) => {
                let name = block.id.name.clone();
                self.push(Symbol::Block(name.clone()), block.id.span, true);
                let parameters = block.parameters.iter().map(|p| p.id.name.clone());
                self.block = Some((name.clone(), parameters.collect()));
                for parameter in &block.parameters {
                    let symbol = Symbol::Parameter(name.clone(), parameter.id.name.clone());
                    self.push(symbol, parameter.id.span, true);
                }
                for member in &block.members {
                    self.section_member(member);
                }
                self.block = None;
            }
            Declaration::Rows(rows) => {
                self.push(Symbol::Rows(rows.id.name.clone()), rows.id.span, true);
                for row in &rows.rows {
                    self.row(row);
                }
            }
            Declaration::Introduction(introduction) => {
                for prose in &introduction.prose {
                    self.prose(prose);
                }
            }
            Declaration::Report(report) => {
                for (id, title) in &report.headings {
                    self.push(Symbol::Heading(id.name.clone()), id.span, true);
                    self.text(title);
                }
            }
            Declaration::Section(section) => {
                self.text(&section.title);
                for member in &section.members {
                    self.section_member(member);
                }
            }
            Declaration::Test(test) => self.test(test),
        }
    }

    fn test(&mut self, test: &TestDecl) {
        for answer in &test.given {
            self.item_use(&answer.target);
            // A grid's row (`grid.row`) or a table's cell answers with columns or numbers.
            if !answer.target.name.contains('.') {
                let choices = self.choices_of(&answer.target.name);
                self.test_value(&answer.value, choices);
            }
        }
        for expectation in &test.expectations {
            match &expectation.kind {
                ExpectationKind::Valid { .. } => {}
                ExpectationKind::Problem { at, .. } => {
                    if let Some(at) = at {
                        self.item_use(at);
                    }
                }
                ExpectationKind::Value { target, value } => {
                    self.item_use(target);
                    if let Some(value) = value {
                        let choices = self.choices_of(&target.name);
                        self.test_value(value, choices);
                    }
                }
                ExpectationKind::Item { target, .. } => self.item_use(target),
            }
        }
    }

    /// The options of an item that takes a choice.
    fn choices_of(&self, item: &str) -> Option<OptionsOf> {
        self.declared.choices.get(item).cloned()
    }

    /// A code of these options, or a special answer.
    fn code(&mut self, code: &Ident, choices: Option<OptionsOf>) {
        let symbol = match self.declared.others.get(&code.name) {
            Some(Symbol::Special(name)) => Symbol::Special(name.clone()),
            _ => Symbol::Code(choices, code.name.clone()),
        };
        self.push(symbol, code.span, false);
    }

    fn test_value(&mut self, value: &TestValue, choices: Option<OptionsOf>) {
        match value {
            TestValue::Code(code) => self.code(code, choices),
            TestValue::Codes(codes) => {
                for code in codes {
                    self.code(code, choices.clone());
                }
            }
            TestValue::Records(records) => {
                for (_, value) in records.iter().flatten() {
                    self.test_value(value, None);
                }
            }
            TestValue::Text(_)
            | TestValue::Number(_)
            | TestValue::Date(_)
            | TestValue::Amount { .. } => {}
        }
    }

    /// Options declared: a scale's (`Some(name)`) or the current item's.
    fn options(&mut self, scale: Option<&str>, options: &Options) {
        let choices = match scale {
            Some(name) => Some(OptionsOf::Scale(name.to_owned())),
            None => self.items.last().map(|item| OptionsOf::Item(item.clone())),
        };
        for option in &options.options {
            let symbol = Symbol::Code(choices.clone(), option.code.name.clone());
            self.push(symbol, option.code.span, true);
            self.text(&option.label);
        }
    }

    fn prose(&mut self, prose: &Prose) {
        match prose {
            Prose::Text(text) | Prose::Heading(text) => self.text(text),
            Prose::Quote(refs) => self.para_refs(refs),
        }
    }

    /// A document and its paragraphs, after `cites` or `quote`.
    fn para_refs(&mut self, refs: &ParaRefs) {
        let (document, span) = Self::last_part(&refs.document);
        self.push(Symbol::Document(document.clone()), span, false);
        for reference in &refs.refs {
            let start = reference.span.start;
            let number = Span::new(start, start + reference.number.len());
            let symbol = Symbol::Paragraph(document.clone(), reference.number.clone());
            self.push(symbol, number, false);
        }
    }

    /// The `{name}`s piped into a text.
    fn text(&mut self, text: &Text) {
        for part in &text.parts {
            if let TextPart::Ref { name, span } = part {
                // The name between the braces.
                let inner = Span::new(span.start + 1, span.end.saturating_sub(1));
                if inner.len() != name.len() {
                    continue;
                }
                let symbol = self
                    .parameter(name)
                    .unwrap_or_else(|| Symbol::Item(name.clone()));
                self.push(symbol, inner, false);
            }
        }
    }

    fn section_member(&mut self, member: &SectionMember) {
        match member {
            SectionMember::Prose(prose) => self.prose(prose),
            SectionMember::Item(item) => self.item(item),
            SectionMember::Grid(grid) => self.grid(grid),
            SectionMember::Table(table) => self.table(table),
            SectionMember::Calc(calc) => self.calc(calc),
            SectionMember::Constraint(constraint) => self.constraint(constraint),
            SectionMember::Use(used) => {
                self.named(&used.block, Symbol::Block);
                for argument in &used.arguments {
                    let block = Self::last_part(&used.block).0;
                    let symbol = Symbol::Parameter(block, argument.name.name.clone());
                    self.push(symbol, argument.name.span, false);
                    match &argument.value {
                        ArgumentValue::Name(name) => {
                            let (last, _) = Self::last_part(name);
                            match self.declared.others.get(&last) {
                                Some(Symbol::Rows(_)) => self.named(name, Symbol::Rows),
                                _ => self.item_use(name),
                            }
                        }
                        ArgumentValue::Text(text) => self.text(text),
                        ArgumentValue::Rows(rows, _) => {
                            for row in rows {
                                self.row(row);
                            }
                        }
                    }
                }
            }
        }
    }

    fn item(&mut self, item: &ItemDecl) {
        self.item_declared(&item.id);
        self.text(&item.label);
        if let Some(guard) = &item.guard {
            self.guard(guard);
        }
        self.items.push(item.id.name.clone());
        if let Some(answer) = &item.answer {
            self.answer(answer);
        }
        self.members(&item.members);
        self.items.pop();
    }

    fn members(&mut self, members: &[ItemMember]) {
        for member in members {
            match member {
                ItemMember::Cites(refs) => self.para_refs(refs),
                ItemMember::Help(text) | ItemMember::Note(text) => self.text(text),
                ItemMember::Optional(_) | ItemMember::Required(_) | ItemMember::AllowUncited(_) => {
                }
                ItemMember::AllowSpecial(specials) => {
                    for special in specials {
                        self.named(special, Symbol::Special);
                    }
                }
                ItemMember::Feeds(headings) => {
                    for heading in headings {
                        self.push(Symbol::Heading(heading.name.clone()), heading.span, false);
                    }
                }
                ItemMember::Item(item) => self.item(item),
                ItemMember::Grid(grid) => self.grid(grid),
                ItemMember::Table(table) => self.table(table),
                ItemMember::Calc(calc) => self.calc(calc),
                ItemMember::Constraint(constraint) => self.constraint(constraint),
            }
        }
    }

    fn answer(&mut self, answer: &AnswerType) {
        match &answer.kind {
            AnswerKind::One(choices) | AnswerKind::Many(choices) => match choices {
                Choices::Scale(scale) => self.named(scale, Symbol::Scale),
                Choices::Inline(options) => self.options(None, options),
            },
            AnswerKind::List(list) => {
                for field in &list.fields {
                    self.text(&field.label);
                    self.answer(&field.answer);
                    if let Some(when) = &field.when {
                        self.expr(when);
                    }
                    for text in field.help.iter().chain(&field.notes) {
                        self.text(text);
                    }
                }
                for (_, calc) in &list.calcs {
                    self.text(&calc.label);
                    self.expr(&calc.value);
                }
                for constraint in &list.constraints {
                    self.constraint(constraint);
                }
                for count in list.min.iter().chain(&list.max) {
                    if let RecordCount::Item(item) = count {
                        self.item_use(item);
                    }
                }
            }
            AnswerKind::Text
            | AnswerKind::LongText
            | AnswerKind::Date
            | AnswerKind::Country
            | AnswerKind::Number { .. }
            | AnswerKind::Amount { .. } => {}
        }
    }

    /// An item's condition: `on` codes of its parent's options, or `when`.
    fn guard(&mut self, guard: &Guard) {
        match guard {
            Guard::On { codes, .. } => {
                let choices = self.items.last().and_then(|parent| self.choices_of(parent));
                for code in codes {
                    self.code(code, choices.clone());
                }
            }
            Guard::When(expr) => self.expr(expr),
        }
    }

    fn grid(&mut self, grid: &GridDecl) {
        self.item_declared(&grid.id);
        self.text(&grid.label);
        if let Some(guard) = &grid.guard {
            self.guard(guard);
        }
        for column in &grid.columns {
            self.text(&column.label);
            if let Some(guard) = &column.guard {
                self.guard(guard);
            }
        }
        for row in &grid.rows {
            match row {
                GridRow::Row(row) => self.row(row),
                GridRow::Splice(name) => self.named(name, Symbol::Rows),
            }
        }
        self.items.push(grid.id.name.clone());
        self.members(&grid.attributes);
        self.items.pop();
    }

    fn row(&mut self, row: &RowDecl) {
        self.text(&row.label);
        if let Some(answer) = &row.answer {
            self.answer(answer);
        }
        if let Some(refs) = &row.cites {
            self.para_refs(refs);
        }
    }

    fn table(&mut self, table: &TableDecl) {
        self.item_declared(&table.id);
        self.text(&table.label);
        if let Some(guard) = &table.guard {
            self.guard(guard);
        }
        for line in table.rows.iter().chain(&table.columns) {
            self.text(&line.label);
            if let Some(refs) = &line.cites {
                self.para_refs(refs);
            }
        }
        self.items.push(table.id.name.clone());
        self.members(&table.attributes);
        self.items.pop();
    }

    fn calc(&mut self, calc: &CalcDecl) {
        self.item_declared(&calc.id);
        self.text(&calc.label);
        self.expr(&calc.value);
    }

    fn constraint(&mut self, constraint: &ConstraintDecl) {
        self.expr(&constraint.condition);
        self.text(&constraint.message);
    }

    fn expr(&mut self, expr: &Expr) {
        crate::stack::guard(|| match &expr.kind {
            ExprKind::Or(parts) | ExprKind::And(parts) => {
                for part in parts {
                    self.expr(part);
                }
            }
            ExprKind::Not(inner) => self.expr(inner),
            ExprKind::Compare { lhs, rhs, .. } => {
                let choices = self.choices_in(lhs).or_else(|| self.choices_in(rhs));
                let outer = std::mem::replace(&mut self.codes_of, choices);
                self.expr(lhs);
                self.expr(rhs);
                self.codes_of = outer;
            }
            ExprKind::In { operand, codes } => {
                self.expr(operand);
                let choices = self.choices_in(operand);
                for code in codes {
                    self.code(code, choices.clone());
                }
            }
            ExprKind::Has { operand, code } => {
                let choices = self.choices_in(operand);
                let outer = std::mem::replace(&mut self.codes_of, choices);
                self.expr(operand);
                self.expr(code);
                self.codes_of = outer;
            }
            ExprKind::Answered(item) => self.item_use(item),
            ExprKind::Chain { first, rest } => {
                self.expr(first);
                for (_, part) in rest {
                    self.expr(part);
                }
            }
            ExprKind::Call { args, filter, .. } => {
                let outer = self.codes_of.take();
                for arg in args {
                    self.expr(arg);
                }
                if let Some(filter) = filter {
                    self.expr(filter);
                }
                self.codes_of = outer;
            }
            ExprKind::Name(name) => self.name(name),
            ExprKind::Number(_) | ExprKind::Date(_) | ExprKind::Text(_) | ExprKind::Bool(_) => {}
        });
    }

    /// A name in a condition or a value: a parameter, an item (its first part, as in
    /// `list.field` or `table.row.column`), a record's field after `this.`, or a code.
    fn name(&mut self, ident: &Ident) {
        let (first, span) = Self::first_part(ident);
        if first == "this" {
            return;
        }
        if let Some(symbol) = self.parameter(&first) {
            self.push(symbol, span, false);
        } else if self.declared.items.contains(&first) {
            self.push(Symbol::Item(first), span, false);
        } else if !ident.name.contains('.') {
            let choices = self.codes_of.clone();
            self.code(ident, choices);
        }
    }

    /// The options of the item an operand names, when it is one that takes a choice.
    fn choices_in(&self, operand: &Expr) -> Option<OptionsOf> {
        match &operand.kind {
            ExprKind::Name(name) if !name.name.contains('.') => self.choices_of(&name.name),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn symbols(source: &str) -> Vec<(Symbol, String, bool)> {
        let file = crate::syntax::parse(source).unwrap_or_default();
        let mut declared = Declared::of([&file]);
        if source.starts_with("instrument") {
            let compiled = crate::compile(source);
            assert!(compiled.instrument.is_some(), "{:?}", compiled.diagnostics);
            if let Some(instrument) = &compiled.instrument {
                declared = declared.with_choices(instrument);
            }
        }
        occurrences(&file, &declared)
            .into_iter()
            .map(|o| {
                let text = source.get(o.start..o.end).unwrap_or_default().to_owned();
                (o.symbol, text, o.declaration)
            })
            .collect()
    }

    #[test]
    fn a_name_is_an_item_where_one_is_declared_and_a_code_elsewhere() {
        let source = "instrument t { title \"T\" }\nscale yes_no { yes \"Yes\" no \"No\" }\nsection s \"S\" {\n  question yes \"Q {yes}\" : yes_no\n  question q2 \"Q\" : yes_no when yes = no and answered(yes)\n}\n";
        let found = symbols(source);
        let item = Symbol::Item("yes".into());
        let uses: Vec<&(Symbol, String, bool)> =
            found.iter().filter(|(s, _, _)| *s == item).collect();
        // Declared, piped into its label, compared, and tested as answered.
        assert_eq!(uses.len(), 4, "{found:?}");
        let yes_no = || Some(OptionsOf::Scale("yes_no".into()));
        assert!(found.contains(&(Symbol::Code(yes_no(), "no".into()), "no".into(), false)));
        assert!(found.contains(&(Symbol::Code(yes_no(), "yes".into()), "yes".into(), true)));
    }

    #[test]
    fn a_code_is_of_the_options_it_is_compared_with() {
        let source = "instrument t { title \"T\" }\nscale a { yes \"Yes\" no \"No\" }\nscale b { yes \"Yes\" maybe \"Maybe\" }\nspecial dont_know \"Don't know\"\nsection s \"S\" {\n  question q1 \"Q\" : a { allow uncited allow dont_know\n    followup q1f \"F\" : text on yes\n  }\n  question q2 \"Q\" : b when q1 = yes or q1 = dont_know { allow uncited }\n  question q3 \"Q\" : one of { yes \"Yes\" } when q2 in [yes, maybe] { allow uncited }\n}\ntest \"T\" { given { q1 = yes, q2 = maybe } expect q3 asked }\n";
        let found = symbols(source);
        let count = |symbol: Symbol| found.iter().filter(|(s, _, _)| *s == symbol).count();
        let code = |choices: OptionsOf, code: &str| Symbol::Code(Some(choices), code.into());
        // Declared, `on yes`, `q1 = yes`, the test's `q1 = yes`.
        assert_eq!(
            count(code(OptionsOf::Scale("a".into()), "yes")),
            4,
            "{found:#?}"
        );
        // Declared, `q2 in [yes, …]`.
        assert_eq!(
            count(code(OptionsOf::Scale("b".into()), "yes")),
            2,
            "{found:#?}"
        );
        assert_eq!(
            count(code(OptionsOf::Scale("b".into()), "maybe")),
            3,
            "{found:#?}"
        );
        assert_eq!(
            count(code(OptionsOf::Item("q3".into()), "yes")),
            1,
            "{found:#?}"
        );
        // A special answer is one, in a condition too.
        assert_eq!(count(Symbol::Special("dont_know".into())), 3, "{found:#?}");
    }

    #[test]
    fn parameters_aliases_paragraphs_and_rows() {
        let source = "import \"m.q\" as common\ndocument g \"G\" { para 7 \"Seven\" }\nrows areas { row a \"A\" cites g 7 }\nblock b(needs: item, areas: rows) {\n  grid t \"T {needs}\" when needs = yes { column c \"C\" rows areas }\n}\nsection s \"S\" {\n  question q1 \"Q\" : common.yes_no { cites g 7 }\n  use b(needs = q1, areas = areas)\n}\n";
        let found = symbols(source);
        let has = |symbol: Symbol, text: &str, declaration: bool| {
            found.contains(&(symbol, text.to_owned(), declaration))
        };
        assert!(has(Symbol::Paragraph("g".into(), "7".into()), "7", true));
        assert_eq!(
            found
                .iter()
                .filter(|(s, _, d)| *s == Symbol::Paragraph("g".into(), "7".into()) && !d)
                .count(),
            2
        );
        assert!(has(Symbol::Scale("yes_no".into()), "yes_no", false));
        let needs = Symbol::Parameter("b".into(), "needs".into());
        // Declared, piped, in the condition, and named by the argument.
        assert_eq!(found.iter().filter(|(s, _, _)| *s == needs).count(), 4);
        assert!(has(Symbol::Item("q1".into()), "q1", false));
        assert!(has(Symbol::Rows("areas".into()), "areas", true));
        // `rows areas` in the block is its parameter; `areas = areas` names the rows.
        let rows = Symbol::Rows("areas".into());
        assert_eq!(found.iter().filter(|(s, _, _)| *s == rows).count(), 2);
    }
}

//! The model: a checked instrument, the single truth every output reads.
//!
//! Every name here is resolved: items refer to each other by [`ItemId`], choices to their
//! [`Scale`], citations to a paragraph that exists, conditions are well typed. Items live in one
//! arena in document order; sections and parents hold ids into it. Nothing here knows about
//! syntax or spans beyond each item's place in the source, kept for later diagnostics.

use typed_index_collections::TiVec;

use crate::arena::Arena;

use crate::span::Span;

pub mod graph;
mod text;
pub use text::{Part, Text, UnknownPipe};

/// A checked instrument.
#[derive(Clone, Debug, PartialEq)]
pub struct Instrument {
    pub id: String,
    pub title: String,
    pub resolution: Option<String>,
    pub version: Option<String>,
    pub language: Option<String>,
    pub date: Option<String>,
    pub status: Option<String>,
    pub introduction: Vec<Block>,
    /// Named scales first, in declaration order, then the inline option lists of items.
    pub scales: TiVec<ScaleId, Scale>,
    /// The special answers items may allow, such as "Don't know".
    pub specials: Vec<Choice>,
    pub documents: TiVec<DocumentId, Document>,
    pub sections: Vec<Section>,
    /// Every item, in document order. Children come after their parent.
    pub items: TiVec<ItemId, Item>,
    /// The current translations of the instrument's texts, by language.
    pub translations: Vec<Translation>,
    /// The headings of the report on the replies that items feed (`report { heading … }`).
    pub report: Vec<ReportHeading>,
    /// The tests written in the instrument, run by `qc test`.
    pub tests: Vec<Test>,
    /// Set when the instrument is a translation of one written in another language.
    pub localized: Option<Localized>,
}

/// What an instrument in a language it was translated into keeps of its source: the texts it
/// had no current translation of are in the source's language.
#[derive(Clone, Debug, PartialEq)]
pub struct Localized {
    /// The language the instrument is written in (an ISO 639 code).
    pub source: String,
    /// The translation's language is written from right to left.
    pub rtl: bool,
    /// The translation's status, such as "unofficial draft".
    pub status: Option<String>,
    /// The translation keys of the texts still in the source's language, in the order of the
    /// instrument.
    pub fallbacks: Vec<String>,
}

/// A heading of the report on the replies (`qc report`), under which the answers of the items
/// that feed it are gathered: for resolution 2006/20, the four of its para. 10.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportHeading {
    pub id: String,
    pub title: String,
}

/// A test written in the instrument: answers, and what must follow from them.
#[derive(Clone, Debug, PartialEq)]
pub struct Test {
    pub name: String,
    /// The test's name as written.
    pub span: Span,
    /// The answers, as a reply's `answers` holds them.
    pub answers: serde_json::Map<String, serde_json::Value>,
    /// Where each answer is written, by the top-level key it sets.
    pub given: Vec<(String, Span)>,
    pub expectations: Vec<Expectation>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expectation {
    pub expect: Expect,
    pub span: Span,
}

/// What a test expects.
#[derive(Clone, Debug, PartialEq)]
pub enum Expect {
    /// The item (or a column of the grid) is asked, or not.
    Asked {
        item: ItemId,
        column: Option<usize>,
        asked: bool,
    },
    /// The item is asked and required, or not.
    Required { item: ItemId, required: bool },
    /// No error (with `complete`, not even an unanswered item).
    Valid { complete: bool },
    /// Validation finds this problem, at this item when one is named.
    Problem {
        code: String,
        item: Option<ItemId>,
        /// The severity it must have: `None` for either.
        severity: Option<Severity>,
    },
    /// The item's value (a calculated value's, as computed) is this one.
    Value {
        item: ItemId,
        value: serde_json::Value,
    },
}

/// The texts of an instrument in another language, by the keys of
/// [`translate::texts`](crate::translate::texts). Texts not translated, or translated from a
/// source that has since changed, are not here.
#[derive(Clone, Debug, PartialEq)]
pub struct Translation {
    /// An ISO 639 code, such as `fr` or `ar`.
    pub language: String,
    /// Written from right to left.
    pub rtl: bool,
    /// Such as "unofficial draft".
    pub status: Option<String>,
    pub strings: std::collections::BTreeMap<String, String>,
}

impl Instrument {
    pub fn item(&self, id: ItemId) -> &Item {
        self.items.at(id)
    }

    /// What whether an item is asked, or its value, depends on: its parent, and the items that
    /// its condition, its calculation, its grid columns' conditions, its fields' conditions and
    /// its numbers of records read.
    pub fn dependencies(&self, id: ItemId) -> Vec<ItemId> {
        let item = self.item(id);
        let mut out: Vec<ItemId> = item.parent.into_iter().collect();
        let mut visit = |read: ItemId| out.push(read);
        if let Some(condition) = &item.condition {
            condition.for_each_item(&mut visit);
        }
        if let Some(calculation) = &item.calculation {
            calculation.for_each_item(&mut visit);
        }
        match &item.answer {
            Some(AnswerType::Grid(grid)) => {
                for condition in grid.columns.iter().filter_map(|c| c.condition.as_ref()) {
                    condition.for_each_item(&mut visit);
                }
            }
            Some(AnswerType::List(list)) => {
                for condition in list.fields.iter().filter_map(|f| f.condition.as_ref()) {
                    condition.for_each_item(&mut visit);
                }
                for count in [&list.min, &list.max].into_iter().flatten() {
                    if let Count::Item(read) = count {
                        visit(*read);
                    }
                }
            }
            _ => {}
        }
        out
    }

    /// A cycle of [`dependencies`](Instrument::dependencies), first item repeated last, if
    /// there is one: found by the walk of [`graph::cycles`], in time linear in the edges.
    pub fn dependency_cycle(&self) -> Option<Vec<ItemId>> {
        let edges: TiVec<ItemId, Vec<ItemId>> =
            self.items.keys().map(|id| self.dependencies(id)).collect();
        let mut first = None;
        graph::cycles(
            &edges,
            |to| *to,
            |cycle| {
                first = Some(cycle);
                false
            },
        );
        let cycle = first?;
        let mut items: Vec<ItemId> = cycle.iter().map(|(item, _)| *item).collect();
        items.extend(items.first().copied());
        Some(items)
    }

    pub fn scale(&self, id: ScaleId) -> &Scale {
        self.scales.at(id)
    }

    /// Whether evaluating the instrument's rules needs more than a reply's answers: calculated
    /// values, or today's date.
    pub fn computes(&self) -> bool {
        let today =
            |constraints: &[Constraint]| constraints.iter().any(|c| c.condition.reads_today());
        self.sections
            .iter()
            .any(|section| today(&section.constraints))
            || self.items.iter().any(|item| {
                item.kind == ItemKind::Calculated
                    || item.condition.as_ref().is_some_and(Condition::reads_today)
                    || today(&item.constraints)
                    || match &item.answer {
                        Some(AnswerType::List(list)) => {
                            today(&list.constraints)
                                || list.fields.iter().any(|field| {
                                    field.calculation.is_some()
                                        || field
                                            .condition
                                            .as_ref()
                                            .is_some_and(Condition::reads_today)
                                })
                        }
                        Some(AnswerType::Grid(grid)) => grid.columns.iter().any(|column| {
                            column
                                .condition
                                .as_ref()
                                .is_some_and(Condition::reads_today)
                        }),
                        _ => false,
                    }
            })
    }

    /// The items at the top of sections, in document order.
    pub fn questions(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|item| item.parent.is_none())
    }
}

/// A typed index: a position in one arena of the model, which indexes only that arena.
macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(usize);

        impl From<usize> for $name {
            fn from(index: usize) -> $name {
                $name(index)
            }
        }

        impl From<$name> for usize {
            fn from(id: $name) -> usize {
                id.0
            }
        }
    };
}

id!(
    /// An index into [`Instrument::items`].
    ItemId
);
id!(
    /// An index into [`Instrument::scales`].
    ScaleId
);
id!(
    /// An index into [`Instrument::documents`].
    DocumentId
);
id!(
    /// An index into a document's [`paragraphs`](Document::paragraphs).
    ParagraphId
);
id!(
    /// An index into a paragraph's [`subparagraphs`](Paragraph::subparagraphs).
    SubparagraphId
);

/// A list of answer options; named when declared with `scale`.
#[derive(Clone, Debug, PartialEq)]
pub struct Scale {
    pub name: Option<String>,
    pub label: Option<String>,
    pub options: Vec<Choice>,
}

impl Scale {
    pub fn has_code(&self, code: &str) -> bool {
        self.options.iter().any(|option| option.code == code)
    }
}

/// One answer option.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub code: String,
    pub label: Text,
    /// What the option scores (`never "Never" = 0`), read by `score(item)`.
    pub score: Option<f64>,
}

/// A reference document that items cite.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub id: String,
    pub title: String,
    pub sources: Vec<String>,
    pub paragraphs: TiVec<ParagraphId, Paragraph>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Paragraph {
    pub number: String,
    pub heading: Option<String>,
    /// `None` while the official text is not at hand (`pending` in the source).
    pub text: Option<String>,
    pub subparagraphs: TiVec<SubparagraphId, Subparagraph>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Subparagraph {
    pub letter: String,
    /// `None` while the official text is not at hand.
    pub text: Option<String>,
}

/// What exports show for a paragraph whose text is pending.
pub const PENDING_TEXT: &str = "[text pending]";

impl Paragraph {
    /// The text, or [`PENDING_TEXT`].
    pub fn shown_text(&self) -> &str {
        self.text.as_deref().unwrap_or(PENDING_TEXT)
    }
}

impl Subparagraph {
    /// The text, or [`PENDING_TEXT`].
    pub fn shown_text(&self) -> &str {
        self.text.as_deref().unwrap_or(PENDING_TEXT)
    }
}

/// A resolved citation: a paragraph, or one subparagraph of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citation {
    pub document: DocumentId,
    pub paragraph: ParagraphId,
    pub subparagraph: Option<SubparagraphId>,
}

/// A section, numbered I, II, III… in order; or the respondent block, which is not numbered.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub id: String,
    /// Empty for the respondent block.
    pub number: String,
    /// The respondent block: questions about who replies (`respondent "Title" { … }`), whose
    /// questions are not numbered.
    pub respondent: bool,
    pub title: String,
    pub content: Vec<Block>,
    /// Rules over the section's answers.
    pub constraints: Vec<Constraint>,
}

impl Section {
    /// A title as the section prints it: after its number (`I. Title`), or alone for the
    /// respondent block.
    pub fn heading(&self, title: &str) -> String {
        match self.number.is_empty() {
            true => title.to_owned(),
            false => format!("{}. {title}", self.number),
        }
    }
}

/// How much a broken rule counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The reply is refused.
    Error,
    /// The reply goes through, with the message.
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A rule the answers must keep, and what a respondent who breaks it is told.
#[derive(Clone, Debug, PartialEq)]
pub struct Constraint {
    pub condition: Condition,
    pub severity: Severity,
    pub message: Text,
    pub span: Span,
}

impl Constraint {
    /// The items the constraint compares directly: it is tested only when all of them are
    /// answered (with a value, not a special answer). Items read by `answered(…)`, by `in` and
    /// `has`, or through an aggregate, do not count: those read an unanswered item on their own.
    pub fn operands(&self) -> Vec<Reading> {
        self.condition.compared()
    }
}

/// One block of a section or of the introduction, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Text(Text),
    Heading(Text),
    /// Paragraphs of a reference document, shown to the respondent.
    Excerpt(Vec<Citation>),
    Item(ItemId),
}

/// What kind of item it is, which decides how it is numbered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Question,
    SubItem,
    Ask,
    Followup,
    Field,
    Grid,
    Table,
    /// A value computed from answers, never asked.
    Calculated,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Question => "question",
            ItemKind::SubItem => "item",
            ItemKind::Ask => "ask",
            ItemKind::Followup => "followup",
            ItemKind::Field => "field",
            ItemKind::Grid => "grid",
            ItemKind::Table => "table",
            ItemKind::Calculated => "calc",
        }
    }
}

/// A question, sub-item, follow-up, field or grid.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub id: String,
    pub kind: ItemKind,
    /// The full printed number, such as `4 (c) (ii)`; `None` for unnumbered items.
    pub number: Option<String>,
    /// The item's own marker, such as `(ii)`.
    pub marker: Option<String>,
    pub label: Text,
    pub answer: Option<AnswerType>,
    /// When the item is asked, besides its parent being asked.
    pub condition: Option<Condition>,
    pub required: bool,
    pub help: Vec<Text>,
    pub notes: Vec<Text>,
    pub citations: Vec<Citation>,
    /// The citations as a respondent reads them, in the instrument's language: see
    /// [`Instrument::cite`].
    pub cited: Option<String>,
    /// A calculated value the respondent sees (`{ shown }`); the others are kept from view.
    pub shown: bool,
    pub parent: Option<ItemId>,
    pub children: Vec<ItemId>,
    /// The special answers it allows besides a value, by code.
    pub specials: Vec<String>,
    /// Rules over its answer (and others), tested when it is asked.
    pub constraints: Vec<Constraint>,
    /// For a calculated value, how it is computed; its `answer` is the type it computes.
    pub calculation: Option<Operand>,
    /// The section the item is in.
    pub section: usize,
    /// The headings of the report its answers go under, by index in `Instrument::report`.
    pub feeds: Vec<usize>,
    pub span: Span,
}

/// The answer an item takes.
#[derive(Clone, Debug, PartialEq)]
pub enum AnswerType {
    Choice {
        scale: ScaleId,
        multiple: bool,
    },
    Text {
        long: bool,
    },
    Date,
    /// A country or area, as its ISO 3166-1 alpha-3 code (`crate::countries`).
    Country,
    Number {
        integer: bool,
        min: Option<f64>,
        max: Option<f64>,
    },
    Amount {
        currencies: Vec<String>,
    },
    List(List),
    Grid(Grid),
    Table(Table),
}

/// A repeatable list of records.
#[derive(Clone, Debug, PartialEq)]
pub struct List {
    pub fields: Vec<RecordField>,
    pub min: Option<Count>,
    pub max: Option<Count>,
    /// Rules over each record; `this.field` reads the record's fields.
    pub constraints: Vec<Constraint>,
}

impl List {
    /// The bound of its number of records at `end`.
    pub fn count_mut(&mut self, end: End) -> &mut Option<Count> {
        match end {
            End::Min => &mut self.min,
            End::Max => &mut self.max,
        }
    }
}

/// Which end of a list's number of records a count bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Min,
    Max,
}

impl End {
    /// As the language and the form write it.
    pub fn keyword(self) -> &'static str {
        match self {
            End::Min => "min",
            End::Max => "max",
        }
    }
}

/// A number of records: fixed, or the answer to an item.
#[derive(Clone, Debug, PartialEq)]
pub enum Count {
    Number(u64),
    Item(ItemId),
}

/// Numeric cells over rows and columns, with optional total rows and columns.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The type of every cell: a number or an amount.
    pub cell: Box<AnswerType>,
    pub rows: Vec<Heading>,
    pub columns: Vec<Heading>,
}

/// The heading of a row or a column of a table, and whether its cells are totals.
#[derive(Clone, Debug, PartialEq)]
pub struct Heading {
    pub id: String,
    pub label: Text,
    /// Its cells are the sums of the other rows' (or columns') cells.
    pub total: bool,
    pub citations: Vec<Citation>,
    /// The citations as the annex prints them after the label: see
    /// [`Instrument::cite_briefly`].
    pub cited: Option<String>,
}

/// A field of each record of a list.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordField {
    pub id: String,
    pub label: Text,
    pub answer: AnswerType,
    pub required: bool,
    /// Asked of the records where this holds; `this.field` reads the record.
    pub condition: Option<Condition>,
    /// Shown with the field.
    pub help: Vec<Text>,
    pub notes: Vec<Text>,
    /// For a value computed from the record (`calc` in the list), how: it reads the fields
    /// before it, fixed values and today's date. Its `answer` is the type it computes; it is
    /// never asked.
    pub calculation: Option<Operand>,
    /// A computed value the respondent sees (`{ shown }`).
    pub shown: bool,
    /// Where it is declared (its id); empty in a form read back.
    pub span: Span,
}

/// Rows of areas against checkbox columns, and perhaps free-text rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// The names of the named rows (`rows areas { … }`) among its rows: grids of other
    /// instruments that use the same ones ask about the same things.
    pub row_sets: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub id: String,
    pub label: Text,
    pub condition: Option<Condition>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub id: String,
    pub marker: String,
    pub label: Text,
    pub citations: Vec<Citation>,
    /// The citations as the annex prints them after the label: see
    /// [`Instrument::cite_briefly`].
    pub cited: Option<String>,
    /// `Some` for a free-text row; checkbox rows have no answer of their own.
    pub answer: Option<AnswerType>,
}

/// A well-typed boolean condition over answers.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    Const(bool),
    Or(Vec<Condition>),
    And(Vec<Condition>),
    Not(Box<Condition>),
    /// The item has an answer.
    Answered(ItemId),
    /// A single choice is one of these codes.
    OneOf {
        item: ItemId,
        codes: Vec<String>,
    },
    /// A multiple choice includes this code.
    Has {
        item: ItemId,
        code: String,
    },
    /// The item's answer is this special answer, such as `dont_know`.
    Special {
        item: ItemId,
        code: String,
    },
    /// A comparison of two values of the same type.
    Compare {
        op: CompareOp,
        lhs: Operand,
        rhs: Operand,
    },
    /// `unique(q24.title)`: no two records of a list have the same value in a field (records
    /// without a value are left out).
    Unique {
        list: ItemId,
        field: usize,
    },
}

pub use crate::syntax::ast::{ArithOp, CompareOp};

/// A value: one side of a comparison, or what a calculated value computes.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Item(ItemId),
    /// A field of the record at hand, in a list's own logic (`this.field`).
    Field(usize),
    /// A cell of a table: `convicted.homicide.men`, by the indexes of its row and column.
    Cell {
        table: ItemId,
        row: usize,
        column: usize,
    },
    Code(String),
    Number(f64),
    Date(String),
    Text(String),
    /// The date the reply is checked.
    Today,
    /// `a + b - c`: the sum of `add` less the sum of `subtract` (`add` is never empty).
    Sum {
        add: Vec<Operand>,
        subtract: Vec<Operand>,
    },
    /// `a * b / c`: the product of `multiply` divided by the product of `divide` (`multiply`
    /// is never empty); no value when a divisor is zero.
    Product {
        multiply: Vec<Operand>,
        divide: Vec<Operand>,
    },
    /// An aggregate of values: those without one (unanswered items, special answers) are
    /// skipped, or make the aggregate have none, as `missing` says.
    Aggregate {
        function: Aggregate,
        over: Vec<Operand>,
        missing: Missing,
    },
    /// An aggregate over the records of a list: `count(q24)`, or of one field of them:
    /// `sum(q24.copies)`; with a filter, over the records that meet it:
    /// `count(q24 where this.copies > 0)`.
    Records {
        function: Aggregate,
        list: ItemId,
        field: Option<usize>,
        /// A condition on each record of `list` (its fields are `Operand::Field`s of that
        /// list), which reads nothing else: no item, no calculated value, not today's date.
        filter: Option<Box<Condition>>,
        /// What a record without a value in `field` does: skipped, or the aggregate has none.
        missing: Missing,
    },
    /// `if(condition, then, otherwise)`
    If {
        condition: Box<Condition>,
        then: Box<Operand>,
        otherwise: Box<Operand>,
    },
    /// The year of a date, as a number.
    Year(Box<Operand>),
    /// `score(q)`: the score of the option a single choice has, or the sum of the scores of
    /// those a multiple choice has (every option of its scale has one).
    Score(ItemId),
    /// Whole days, or whole years (as an age is counted), from one date to another. Each is
    /// a date item, a field, `today()` or a date literal.
    Between {
        unit: DateUnit,
        from: Box<Operand>,
        to: Box<Operand>,
    },
}

/// What a difference of dates counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateUnit {
    Days,
    Years,
}

impl DateUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            DateUnit::Days => "days",
            DateUnit::Years => "years",
        }
    }
}

/// What an aggregate does with a value that has none: `sum(a, b)` skips it;
/// `sum(a, b; missing none)` has no value itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Missing {
    #[default]
    Skip,
    None,
}

impl Missing {
    pub fn as_str(self) -> &'static str {
        match self {
            Missing::Skip => "skip",
            Missing::None => "none",
        }
    }
}

/// What an aggregate computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregate {
    Sum,
    Count,
    Min,
    Max,
}

impl Aggregate {
    pub fn as_str(self) -> &'static str {
        match self {
            Aggregate::Sum => "sum",
            Aggregate::Count => "count",
            Aggregate::Min => "min",
            Aggregate::Max => "max",
        }
    }

    pub fn parse(name: &str) -> Option<Aggregate> {
        [
            Aggregate::Sum,
            Aggregate::Count,
            Aggregate::Min,
            Aggregate::Max,
        ]
        .into_iter()
        .find(|aggregate| aggregate.as_str() == name)
    }
}

/// A piece of a value: a value inside it, or the condition of an `if`.
#[derive(Clone, Copy, Debug)]
pub enum Piece<'o> {
    Value(&'o Operand),
    Condition(&'o Condition),
}

/// What a value reads directly: an item's answer, a field of the record at hand, or a cell of
/// a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reading {
    Item(ItemId),
    Field(usize),
    Cell {
        table: ItemId,
        row: usize,
        column: usize,
    },
}

/// What a value computes with whose currency counts (see
/// [`Operand::for_each_currency_source`]): an amount read, or an aggregate, whose values
/// have their currencies.
#[derive(Clone, Copy, Debug)]
pub enum Source<'o> {
    Reading(Reading),
    Aggregate(&'o Operand),
}

/// The amounts that values compute with, whose currencies must agree: those read (each once)
/// and the aggregates of amounts.
#[derive(Debug, Default)]
pub struct AmountSources<'o> {
    pub readings: Vec<Reading>,
    pub aggregates: Vec<&'o Operand>,
}

impl Operand {
    /// What a value that is a reading reads: an item, a field, a cell.
    pub fn reading(&self) -> Option<Reading> {
        match self {
            Operand::Item(id) => Some(Reading::Item(*id)),
            Operand::Field(field) => Some(Reading::Field(*field)),
            Operand::Cell { table, row, column } => Some(Reading::Cell {
                table: *table,
                row: *row,
                column: *column,
            }),
            _ => None,
        }
    }

    /// Calls `visit` on what a value computes with whose currencies must agree, when they are
    /// amounts: the readings it adds, multiplies, divides or chooses with `if` (not those in
    /// the conditions of `if`, which compare on their own), and its aggregates.
    pub fn for_each_currency_source<'o>(&'o self, visit: &mut impl FnMut(Source<'o>)) {
        let value = self;
        crate::stack::guard(|| match value {
            Operand::Item(_) | Operand::Field(_) | Operand::Cell { .. } => {
                if let Some(reading) = value.reading() {
                    visit(Source::Reading(reading));
                }
            }
            Operand::Sum { .. } | Operand::Product { .. } => {
                for term in value.terms() {
                    term.for_each_currency_source(visit);
                }
            }
            Operand::If {
                then, otherwise, ..
            } => {
                then.for_each_currency_source(visit);
                otherwise.for_each_currency_source(visit);
            }
            Operand::Aggregate { .. } | Operand::Records { .. } => visit(Source::Aggregate(value)),
            Operand::Score(_)
            | Operand::Code(_)
            | Operand::Number(_)
            | Operand::Date(_)
            | Operand::Text(_)
            | Operand::Today
            | Operand::Year(_)
            | Operand::Between { .. } => {}
        })
    }

    /// Whether the value has an aggregate that meets `test` anywhere in it, the conditions of
    /// `if` included.
    pub fn has_aggregate(&self, test: &mut impl FnMut(&Operand) -> bool) -> bool {
        crate::stack::guard(|| {
            if matches!(self, Operand::Aggregate { .. } | Operand::Records { .. }) && test(self) {
                return true;
            }
            let mut found = false;
            self.for_each_piece(&mut |piece| match piece {
                Piece::Value(inner) => found = found || inner.has_aggregate(test),
                Piece::Condition(condition) => found = found || condition.has_aggregate(test),
            });
            found
        })
    }

    /// The operands of a sum or a product, both sides; none for any other value.
    pub fn terms(&self) -> impl Iterator<Item = &Operand> {
        let (left, right): (&[Operand], &[Operand]) = match self {
            Operand::Sum { add, subtract } => (add, subtract),
            Operand::Product { multiply, divide } => (multiply, divide),
            _ => (&[], &[]),
        };
        left.iter().chain(right)
    }

    /// Calls `visit` on each value directly inside this one, and on the condition of an `if`.
    /// An aggregate over records has none: its filter is its list's own logic.
    pub fn for_each_piece<'o>(&'o self, visit: &mut impl FnMut(Piece<'o>)) {
        match self {
            Operand::Sum { .. } | Operand::Product { .. } => {
                self.terms()
                    .for_each(|operand| visit(Piece::Value(operand)));
            }
            Operand::Aggregate { over, .. } => over.iter().for_each(|o| visit(Piece::Value(o))),
            Operand::If {
                condition,
                then,
                otherwise,
            } => {
                visit(Piece::Condition(condition));
                visit(Piece::Value(then));
                visit(Piece::Value(otherwise));
            }
            Operand::Year(inner) => visit(Piece::Value(inner)),
            Operand::Between { from, to, .. } => {
                visit(Piece::Value(from));
                visit(Piece::Value(to));
            }
            Operand::Item(_)
            | Operand::Field(_)
            | Operand::Cell { .. }
            | Operand::Score(_)
            | Operand::Records { .. }
            | Operand::Code(_)
            | Operand::Number(_)
            | Operand::Date(_)
            | Operand::Text(_)
            | Operand::Today => {}
        }
    }

    /// Calls `visit` on every item the value reads, however deep.
    pub fn for_each_item(&self, visit: &mut impl FnMut(ItemId)) {
        match self {
            Operand::Item(item) | Operand::Cell { table: item, .. } | Operand::Score(item) => {
                visit(*item)
            }
            Operand::Records { list, .. } => visit(*list),
            _ => self.for_each_piece(&mut |piece| match piece {
                Piece::Value(value) => value.for_each_item(visit),
                Piece::Condition(condition) => condition.for_each_item(visit),
            }),
        }
    }

    /// Calls `visit` on every field of the record at hand the value reads, however deep (in
    /// the conditions of `if` too), but not in the filter of an aggregate, whose fields are
    /// another list's.
    pub fn for_each_field(&self, visit: &mut impl FnMut(usize)) {
        match self {
            Operand::Field(field) => visit(*field),
            _ => self.for_each_piece(&mut |piece| match piece {
                Piece::Value(value) => value.for_each_field(visit),
                Piece::Condition(condition) => condition.for_each_field(visit),
            }),
        }
    }

    /// What the value needs to have a value (see [`Operand::for_each_needed`]), each once, in
    /// the order first read.
    pub fn needed(&self) -> Vec<Reading> {
        let mut seen = rustc_hash::FxHashSet::default();
        let mut out = Vec::new();
        self.for_each_needed(&mut |reading| {
            if seen.insert(reading) {
                out.push(reading);
            }
        });
        out
    }

    /// Whether the value reads today's date anywhere.
    pub fn reads_today(&self) -> bool {
        match self {
            Operand::Today => true,
            Operand::Sum { .. } | Operand::Product { .. } => self.terms().any(Operand::reads_today),
            Operand::Aggregate { over, .. } => over.iter().any(Operand::reads_today),
            Operand::If {
                condition,
                then,
                otherwise,
            } => condition.reads_today() || then.reads_today() || otherwise.reads_today(),
            Operand::Year(inner) => inner.reads_today(),
            Operand::Between { from, to, .. } => from.reads_today() || to.reads_today(),
            Operand::Item(_)
            | Operand::Field(_)
            | Operand::Cell { .. }
            | Operand::Score(_)
            | Operand::Code(_)
            | Operand::Number(_)
            | Operand::Date(_)
            | Operand::Text(_)
            | Operand::Records { .. } => false,
        }
    }

    /// Whether the value divides anywhere, inside aggregates and `if` too.
    pub fn divides(&self) -> bool {
        match self {
            Operand::Sum { .. } => self.terms().any(Operand::divides),
            Operand::Product { multiply, divide } => {
                !divide.is_empty() || multiply.iter().any(Operand::divides)
            }
            Operand::Aggregate { over, .. } => over.iter().any(Operand::divides),
            Operand::If {
                then, otherwise, ..
            } => then.divides() || otherwise.divides(),
            Operand::Year(inner) => inner.divides(),
            Operand::Between { .. } => false,
            Operand::Item(_)
            | Operand::Field(_)
            | Operand::Cell { .. }
            | Operand::Score(_)
            | Operand::Code(_)
            | Operand::Number(_)
            | Operand::Date(_)
            | Operand::Text(_)
            | Operand::Today
            | Operand::Records { .. } => false,
        }
    }

    /// Calls `visit` on each divisor the value divides by, outside aggregates and outside
    /// the conditions of `if`: the value has none when one of them is zero.
    pub fn for_each_divisor(&self, visit: &mut impl FnMut(&Operand)) {
        match self {
            Operand::Sum { .. } => {
                for operand in self.terms() {
                    operand.for_each_divisor(visit);
                }
            }
            Operand::Product { multiply, divide } => {
                for operand in multiply {
                    operand.for_each_divisor(visit);
                }
                // A divisor does not divide (E0130): it is tested, and has no divisors.
                for operand in divide {
                    visit(operand);
                }
            }
            Operand::If {
                then, otherwise, ..
            } => {
                then.for_each_divisor(visit);
                otherwise.for_each_divisor(visit);
            }
            Operand::Year(inner) => inner.for_each_divisor(visit),
            _ => {}
        }
    }

    /// Calls `visit` on what the value needs answered to have a value at all: the items and
    /// fields it reads outside aggregates, the conditions of `if` included (but not what
    /// `answered(…)` or a test of a special answer reads): `if(q1 = yes, 1, 0)` has no value
    /// while `q1` has none.
    pub fn for_each_needed(&self, visit: &mut impl FnMut(Reading)) {
        match self {
            Operand::Item(item) | Operand::Score(item) => visit(Reading::Item(*item)),
            Operand::Field(field) => visit(Reading::Field(*field)),
            Operand::Cell { table, row, column } => visit(Reading::Cell {
                table: *table,
                row: *row,
                column: *column,
            }),
            Operand::Sum { .. } | Operand::Product { .. } => {
                for operand in self.terms() {
                    operand.for_each_needed(visit);
                }
            }
            Operand::If {
                condition,
                then,
                otherwise,
            } => {
                condition.for_each_value_read(visit);
                then.for_each_needed(visit);
                otherwise.for_each_needed(visit);
            }
            Operand::Year(inner) => inner.for_each_needed(visit),
            Operand::Between { from, to, .. } => {
                from.for_each_needed(visit);
                to.for_each_needed(visit);
            }
            Operand::Aggregate { .. }
            | Operand::Records { .. }
            | Operand::Code(_)
            | Operand::Number(_)
            | Operand::Date(_)
            | Operand::Text(_)
            | Operand::Today => {}
        }
    }
}

impl Condition {
    /// Calls `visit` on every item the condition reads.
    pub fn for_each_item(&self, visit: &mut impl FnMut(ItemId)) {
        match self {
            Condition::Const(_) => {}
            Condition::Or(parts) | Condition::And(parts) => {
                for part in parts {
                    part.for_each_item(visit);
                }
            }
            Condition::Not(inner) => inner.for_each_item(visit),
            Condition::Answered(item)
            | Condition::OneOf { item, .. }
            | Condition::Has { item, .. }
            | Condition::Special { item, .. }
            | Condition::Unique { list: item, .. } => visit(*item),
            Condition::Compare { lhs, rhs, .. } => {
                lhs.for_each_item(visit);
                rhs.for_each_item(visit);
            }
        }
    }

    /// Calls `visit` on the values the condition reads: the items its codes test and what its
    /// comparisons need (see [`Operand::for_each_needed`]), but not what `answered(…)` or a
    /// test of a special answer reads, which read an item without a value on their own.
    pub fn for_each_value_read(&self, visit: &mut impl FnMut(Reading)) {
        match self {
            Condition::Or(parts) | Condition::And(parts) => {
                for part in parts {
                    part.for_each_value_read(visit);
                }
            }
            Condition::Not(inner) => inner.for_each_value_read(visit),
            Condition::OneOf { item, .. } | Condition::Has { item, .. } => {
                visit(Reading::Item(*item))
            }
            Condition::Compare { lhs, rhs, .. } => {
                lhs.for_each_needed(visit);
                rhs.for_each_needed(visit);
            }
            Condition::Const(_)
            | Condition::Answered(_)
            | Condition::Special { .. }
            | Condition::Unique { .. } => {}
        }
    }

    /// Calls `visit` on both sides of each comparison of the condition, through `and`, `or`
    /// and `not`.
    pub fn for_each_compared_value<'o>(&'o self, visit: &mut impl FnMut(&'o Operand)) {
        match self {
            Condition::Or(parts) | Condition::And(parts) => {
                for part in parts {
                    part.for_each_compared_value(visit);
                }
            }
            Condition::Not(inner) => inner.for_each_compared_value(visit),
            Condition::Compare { lhs, rhs, .. } => {
                visit(lhs);
                visit(rhs);
            }
            Condition::Const(_)
            | Condition::Answered(_)
            | Condition::OneOf { .. }
            | Condition::Has { .. }
            | Condition::Special { .. }
            | Condition::Unique { .. } => {}
        }
    }

    /// Whether what the condition compares has an aggregate that meets `test` (see
    /// [`Operand::has_aggregate`]).
    pub fn has_aggregate(&self, test: &mut impl FnMut(&Operand) -> bool) -> bool {
        let mut found = false;
        self.for_each_compared_value(&mut |value| found = found || value.has_aggregate(test));
        found
    }

    /// Calls `visit` on every field of the record at hand the condition reads (see
    /// [`Operand::for_each_field`]).
    pub fn for_each_field(&self, visit: &mut impl FnMut(usize)) {
        self.for_each_compared_value(&mut |value| value.for_each_field(visit));
    }

    /// Whether the condition reads today's date anywhere.
    pub fn reads_today(&self) -> bool {
        let mut today = false;
        self.for_each_compared_value(&mut |value| today |= value.reads_today());
        today
    }

    /// What the condition's comparisons need answered, each once, in the order first read.
    pub fn compared(&self) -> Vec<Reading> {
        let mut seen = rustc_hash::FxHashSet::default();
        let mut reads = Vec::new();
        self.for_each_compared(&mut |read| {
            if seen.insert(read) {
                reads.push(read);
            }
        });
        reads
    }

    /// Calls `visit` on what the condition's comparisons need answered (see
    /// [`Operand::for_each_needed`]).
    pub fn for_each_compared(&self, visit: &mut impl FnMut(Reading)) {
        self.for_each_compared_value(&mut |value| value.for_each_needed(visit));
    }
}

impl AnswerType {
    /// Whether a text can show the answer: one value, not a list, a grid or a table.
    pub fn can_be_piped(&self) -> bool {
        !matches!(
            self,
            AnswerType::List(_) | AnswerType::Grid(_) | AnswerType::Table(_)
        )
    }
}

impl Instrument {
    /// A cell of a table: the table, its row and column headings and the type of its cells.
    pub fn cell(
        &self,
        table: ItemId,
        row: usize,
        column: usize,
    ) -> Option<(&Item, &Heading, &Heading, &AnswerType)> {
        let item = self.items.get(table)?;
        let Some(AnswerType::Table(shape)) = &item.answer else {
            return None;
        };
        Some((
            item,
            shape.rows.get(row)?,
            shape.columns.get(column)?,
            &shape.cell,
        ))
    }

    /// What each option of a choice item scores, with whether it is a multiple choice;
    /// `None` unless every option has a score.
    pub fn scores(&self, item: ItemId) -> Option<(Vec<(&str, f64)>, bool)> {
        let Some(AnswerType::Choice { scale, multiple }) = &self.items.get(item)?.answer else {
            return None;
        };
        let scores = self
            .scales
            .get(*scale)?
            .options
            .iter()
            .map(|option| Some((option.code.as_str(), option.score?)))
            .collect::<Option<Vec<_>>>()?;
        Some((scores, *multiple))
    }

    /// The answer type of what a reading reads: an item's, a field's of a record of `list` (in
    /// that list's own logic), a cell's.
    pub fn answer_read<'a>(
        &'a self,
        list: Option<&'a Item>,
        reading: Reading,
    ) -> Option<&'a AnswerType> {
        match reading {
            Reading::Item(id) => self.items.get(id)?.answer.as_ref(),
            Reading::Field(field) => match &list?.answer {
                Some(AnswerType::List(records)) => records.fields.get(field).map(|f| &f.answer),
                _ => None,
            },
            Reading::Cell { table, row, column } => {
                self.cell(table, row, column).map(|(_, _, _, cell)| cell)
            }
        }
    }

    /// Whether a value is an amount of money: an amount read, a sum or an `if` of amounts, an
    /// amount times or over numbers, or an aggregate of amounts (as the compiler types it).
    pub fn is_amount(&self, list: Option<&Item>, value: &Operand) -> bool {
        crate::stack::guard(|| match value {
            Operand::Item(_) | Operand::Field(_) | Operand::Cell { .. } => value
                .reading()
                .is_some_and(|reading| self.reads_amount(list, reading)),
            Operand::Sum { add, subtract } => {
                add.iter().chain(subtract).any(|o| self.is_amount(list, o))
            }
            Operand::Product { multiply, divide } => {
                multiply.iter().any(|o| self.is_amount(list, o))
                    && !divide.iter().any(|o| self.is_amount(list, o))
            }
            Operand::Aggregate { function, over, .. } => {
                *function != Aggregate::Count && over.iter().any(|o| self.is_amount(list, o))
            }
            Operand::Records {
                function,
                list: records,
                field: Some(field),
                ..
            } => {
                *function != Aggregate::Count
                    && self.reads_amount(Some(self.item(*records)), Reading::Field(*field))
            }
            Operand::If { then, .. } => self.is_amount(list, then),
            Operand::Records { field: None, .. }
            | Operand::Score(_)
            | Operand::Code(_)
            | Operand::Number(_)
            | Operand::Date(_)
            | Operand::Text(_)
            | Operand::Today
            | Operand::Year(_)
            | Operand::Between { .. } => false,
        })
    }

    /// The amount whose currency a sum or a product of amounts is in: its first amount (of a
    /// product, the first it multiplies by).
    pub fn currency_term<'o>(
        &self,
        list: Option<&Item>,
        value: &'o Operand,
    ) -> Option<&'o Operand> {
        let terms: &[Operand] = match value {
            Operand::Sum { add, .. } => add,
            Operand::Product { multiply, .. } => multiply,
            _ => return None,
        };
        match value {
            Operand::Sum { subtract, .. } => terms
                .iter()
                .chain(subtract)
                .find(|term| self.is_amount(list, term)),
            _ => terms.iter().find(|term| self.is_amount(list, term)),
        }
    }

    /// The amounts that `values` compute with (see [`Operand::for_each_currency_source`]):
    /// the amounts read, each once, and the aggregates of amounts.
    pub fn amount_sources<'o>(
        &self,
        list: Option<&Item>,
        values: impl IntoIterator<Item = &'o Operand>,
    ) -> AmountSources<'o> {
        let mut sources = AmountSources::default();
        let mut seen = rustc_hash::FxHashSet::default();
        for value in values {
            value.for_each_currency_source(&mut |source| match source {
                Source::Reading(reading) => {
                    if self.reads_amount(list, reading) && seen.insert(reading) {
                        sources.readings.push(reading);
                    }
                }
                Source::Aggregate(aggregate) => {
                    if self.is_amount(list, aggregate) {
                        sources.aggregates.push(aggregate);
                    }
                }
            });
        }
        sources
    }

    /// Whether a reading reads an amount (see [`Instrument::answer_read`]).
    pub fn reads_amount(&self, list: Option<&Item>, reading: Reading) -> bool {
        matches!(
            self.answer_read(list, reading),
            Some(AnswerType::Amount { .. })
        )
    }

    /// The id a cell goes by in logic and in the compiled form: `convicted.homicide.men`.
    pub fn cell_path(&self, table: ItemId, row: usize, column: usize) -> String {
        match self.cell(table, row, column) {
            Some((item, row, column, _)) => format!("{}.{}.{}", item.id, row.id, column.id),
            None => String::new(),
        }
    }

    /// The items a text can pipe in, by id: those with an answer that
    /// [can be piped](AnswerType::can_be_piped), calculated values included.
    pub fn pipe_targets(&self) -> rustc_hash::FxHashMap<&str, ItemId> {
        self.items
            .iter_enumerated()
            .filter(|(_, item)| item.answer.as_ref().is_some_and(AnswerType::can_be_piped))
            .map(|(id, item)| (item.id.as_str(), id))
            .collect()
    }

    /// A text as the compiled form writes it: `{id}` for a piped item, `{{` and `}}` for
    /// braces.
    pub fn written(&self, text: &Text) -> String {
        text.written(|item| self.items.at(item).id.as_str())
    }
}

impl Block {
    /// The text of a text or a heading.
    pub fn text_mut(&mut self) -> Option<&mut Text> {
        match self {
            Block::Text(text) | Block::Heading(text) => Some(text),
            Block::Excerpt(_) | Block::Item(_) => None,
        }
    }
}

impl Item {
    /// Calls `f` with each text of the item that may pipe a value: its label, help, notes,
    /// the messages of its rules, the labels (and a field's help and notes) of its fields, rows
    /// and columns.
    pub fn texts_mut(&mut self, f: &mut dyn FnMut(&mut Text)) {
        f(&mut self.label);
        self.help.iter_mut().for_each(&mut *f);
        self.notes.iter_mut().for_each(&mut *f);
        for constraint in &mut self.constraints {
            f(&mut constraint.message);
        }
        match &mut self.answer {
            Some(AnswerType::List(list)) => {
                for field in &mut list.fields {
                    f(&mut field.label);
                    field.help.iter_mut().for_each(&mut *f);
                    field.notes.iter_mut().for_each(&mut *f);
                }
                for constraint in &mut list.constraints {
                    f(&mut constraint.message);
                }
            }
            Some(AnswerType::Table(table)) => {
                for heading in table.rows.iter_mut().chain(&mut table.columns) {
                    f(&mut heading.label);
                }
            }
            Some(AnswerType::Grid(grid)) => {
                for column in &mut grid.columns {
                    f(&mut column.label);
                }
                for row in &mut grid.rows {
                    f(&mut row.label);
                }
            }
            _ => {}
        }
    }
}

impl Instrument {
    /// A list of citations as a respondent reads it, each document named before the
    /// paragraphs it cites: "Guidelines for the Prevention of Crime, paras. 6 (a), 8 and 25";
    /// "Guidelines …, para. 7; Basic Principles …, para. 3". `None` when it cites nothing.
    pub fn cite(&self, citations: &[Citation]) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        let mut documents: Vec<DocumentId> = Vec::new();
        for citation in citations {
            if !documents.contains(&citation.document) {
                documents.push(citation.document);
            }
        }
        for document in documents {
            let own: Vec<Citation> = citations
                .iter()
                .filter(|c| c.document == document)
                .cloned()
                .collect();
            if let Some(text) = self.paragraphs_cited(&own) {
                parts.push(format!("{}, {text}", self.documents.at(document).title));
            }
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    /// A row's citations as the annex prints them after the row's label: the paragraphs alone
    /// (`para. 17`) when they are of one document, as [`Instrument::cite`] otherwise.
    pub fn cite_briefly(&self, citations: &[Citation]) -> Option<String> {
        match citations.split_first() {
            Some((first, rest)) if rest.iter().all(|c| c.document == first.document) => {
                self.paragraphs_cited(citations)
            }
            _ => self.cite(citations),
        }
    }

    /// Each item's citations as a respondent reads them ([`Instrument::cite`]), and each table
    /// row's, table column's and grid row's as the annex prints them after their label
    /// ([`Instrument::cite_briefly`]), where a form has not given them already.
    pub fn print_citations(&mut self) {
        let mut items = std::mem::take(&mut self.items);
        for item in items.iter_mut() {
            if item.cited.is_none() {
                item.cited = self.cite(&item.citations);
            }
            match &mut item.answer {
                Some(AnswerType::Table(table)) => {
                    for line in table.rows.iter_mut().chain(table.columns.iter_mut()) {
                        if line.cited.is_none() {
                            line.cited = self.cite_briefly(&line.citations);
                        }
                    }
                }
                Some(AnswerType::Grid(grid)) => {
                    for row in &mut grid.rows {
                        if row.cited.is_none() {
                            row.cited = self.cite_briefly(&row.citations);
                        }
                    }
                }
                _ => {}
            }
        }
        self.items = items;
    }

    /// How the paragraphs of one document are printed: `para. 17`, `paras. 6 (a), 8 and 25`.
    fn paragraphs_cited(&self, citations: &[Citation]) -> Option<String> {
        let refs: Vec<String> = citations
            .iter()
            .map(|citation| {
                let paragraph = &self
                    .documents
                    .at(citation.document)
                    .paragraphs
                    .at(citation.paragraph);
                match citation.subparagraph {
                    Some(sub) => format!(
                        "{} ({})",
                        paragraph.number,
                        paragraph.subparagraphs.at(sub).letter
                    ),
                    None => paragraph.number.clone(),
                }
            })
            .collect();
        match refs.as_slice() {
            [] => None,
            [one] => Some(format!("para. {one}")),
            [init @ .., last] => Some(format!("paras. {} and {last}", init.join(", "))),
        }
    }
}

impl Instrument {
    /// What an excerpt shows, in order: each paragraph once, with the subparagraphs shown (all
    /// of them when the whole paragraph is cited).
    pub fn excerpt(&self, citations: &[Citation]) -> Vec<(&Paragraph, Vec<&Subparagraph>)> {
        let mut shown: Vec<((DocumentId, ParagraphId), &Paragraph, Vec<&Subparagraph>)> =
            Vec::new();
        for citation in citations {
            let key = (citation.document, citation.paragraph);
            let paragraph = &self
                .documents
                .at(citation.document)
                .paragraphs
                .at(citation.paragraph);
            let subparagraphs: Vec<&Subparagraph> = match citation.subparagraph {
                Some(sub) => vec![&paragraph.subparagraphs.at(sub)],
                None => paragraph.subparagraphs.iter().collect(),
            };
            match shown.last_mut() {
                Some((last, _, subs)) if *last == key => subs.extend(subparagraphs),
                _ => shown.push((key, paragraph, subparagraphs)),
            }
        }
        shown
            .into_iter()
            .map(|(_, paragraph, subs)| (paragraph, subs))
            .collect()
    }
}

//! The abstract syntax tree of a `.q` file: what was written, with a byte span on every node.
//!
//! Nothing here is resolved or checked: names are plain identifiers and a condition is a tree of
//! operators over them. The `check` stage turns this into the `model`.

use crate::span::Span;

/// A name as written, with its place in the source.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A text as written (escapes decoded, adjacent pieces joined), with its place in the source.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    pub value: String,
    pub span: Span,
    /// The text split once, when lowered: literal characters, and each `{name}` with its place.
    pub parts: Vec<TextPart>,
}

/// A piece of a [`Text`].
#[derive(Clone, Debug, PartialEq)]
pub enum TextPart {
    /// Characters as the respondent sees them: `{{` and `}}` are braces here, and so is a
    /// brace that opens or closes nothing.
    Literal(String),
    /// `{name}`: a piped value, or in a block a parameter; `span` covers the braces.
    Ref { name: String, span: Span },
}

/// A whole file: its declarations in source order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct File {
    pub declarations: Vec<Declaration>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Declaration {
    Import(Import),
    Instrument(Header),
    Scale(ScaleDecl),
    Special(SpecialDecl),
    Document(DocumentDecl),
    Block(BlockDecl),
    Rows(RowsDecl),
    Translation(TranslationDecl),
    Introduction(Introduction),
    Report(ReportDecl),
    Section(SectionDecl),
    Test(TestDecl),
}

/// `report { heading difficulties "Difficulties encountered" … }`
#[derive(Clone, Debug, PartialEq)]
pub struct ReportDecl {
    pub headings: Vec<(Ident, Text)>,
    pub span: Span,
}

/// `test "name" { given { … } expect … }`
#[derive(Clone, Debug, PartialEq)]
pub struct TestDecl {
    pub name: Text,
    pub given: Vec<GivenAnswer>,
    pub expectations: Vec<Expectation>,
    pub span: Span,
}

/// `q1 = yes` or `grid.row = [column]` in `given`.
#[derive(Clone, Debug, PartialEq)]
pub struct GivenAnswer {
    /// An item id, or `grid.row`.
    pub target: Ident,
    pub value: TestValue,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TestValue {
    Code(Ident),
    Codes(Vec<Ident>),
    Text(String),
    Number(f64),
    Date(String),
    Amount {
        value: f64,
        currency: String,
    },
    /// The records of a list, each its fields' values by id.
    Records(Vec<Vec<(Ident, TestValue)>>),
}

/// One `expect` of a test.
#[derive(Clone, Debug, PartialEq)]
pub struct Expectation {
    pub kind: ExpectationKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExpectationKind {
    /// `expect valid` (`complete: false`) or `expect complete`.
    Valid { complete: bool },
    /// `expect problem V0107 at q1_steps`; `expect warning …` (`warning: Some(true)`) and
    /// `expect error …` (`Some(false)`) name its severity.
    Problem {
        code: Ident,
        at: Option<Ident>,
        warning: Option<bool>,
    },
    /// `expect women_share = 20`
    /// `expect x = 3`; `expect x has no value` (`None`).
    Value {
        target: Ident,
        value: Option<TestValue>,
    },
    /// `expect q2 asked`, `expect q2 not required`; the target may be `grid.column`.
    Item {
        target: Ident,
        negated: bool,
        required: bool,
    },
}

/// `import "path" as alias` or `from "path" import a, b`.
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    /// The imported file, relative to the importing one.
    pub path: Text,
    pub names: ImportNames,
    pub span: Span,
}

/// How an import names what it brings in.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportNames {
    /// `as common`: every declaration of the file, as `common.name`.
    Alias(Ident),
    /// `import a, b`: these declarations, by their own names.
    Selected(Vec<Ident>),
}

/// `block id(param: kind, …) { … }`: section content to reuse with arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockDecl {
    pub id: Ident,
    pub parameters: Vec<Parameter>,
    pub members: Vec<SectionMember>,
    pub span: Span,
}

/// `rows areas { row … }`: rows that grids, of this instrument or of others, share by name.
#[derive(Clone, Debug, PartialEq)]
pub struct RowsDecl {
    pub id: Ident,
    pub rows: Vec<RowDecl>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    pub id: Ident,
    pub kind: ParameterKind,
}

/// What a block parameter stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParameterKind {
    /// An item id: the id of an item the block declares, or of one its conditions read.
    Item,
    /// A text, put into the block's texts where they say `{name}`.
    Text,
    /// Rows of a grid, put where the block's grid says `rows name`.
    Rows,
}

impl ParameterKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ParameterKind::Item => "item",
            ParameterKind::Text => "text",
            ParameterKind::Rows => "rows",
        }
    }
}

/// `use block(name = value, …)` in a section.
#[derive(Clone, Debug, PartialEq)]
pub struct UseBlock {
    pub block: Ident,
    pub arguments: Vec<Argument>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Argument {
    pub name: Ident,
    pub value: ArgumentValue,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ArgumentValue {
    /// A name: an item id for an `item` parameter, named rows for a `rows` one.
    Name(Ident),
    Text(Text),
    Rows(Vec<RowDecl>, Span),
}

impl ArgumentValue {
    /// Whether the value can stand for a parameter of this kind.
    pub fn fits(&self, kind: ParameterKind) -> bool {
        match self {
            ArgumentValue::Name(_) => kind != ParameterKind::Text,
            ArgumentValue::Text(_) => kind == ParameterKind::Text,
            ArgumentValue::Rows(..) => kind == ParameterKind::Rows,
        }
    }

    /// What the value is, for a message: `an item id`, `a text`, `rows in braces`.
    pub fn phrase(&self) -> &'static str {
        match self {
            ArgumentValue::Name(_) => "a name",
            ArgumentValue::Text(_) => "a text",
            ArgumentValue::Rows(..) => "rows in braces",
        }
    }

    pub fn span(&self) -> Span {
        match self {
            ArgumentValue::Name(ident) => ident.span,
            ArgumentValue::Text(text) => text.span,
            ArgumentValue::Rows(_, span) => *span,
        }
    }
}

/// `translation fr "translations/fr.json"`.
#[derive(Clone, Debug, PartialEq)]
pub struct TranslationDecl {
    pub language: Ident,
    pub path: Text,
    pub span: Span,
}

/// `instrument id { title "…" … }`
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    pub id: Ident,
    pub fields: Vec<HeaderField>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderKey {
    Title,
    Resolution,
    Version,
    Language,
    Date,
    Status,
}

impl HeaderKey {
    pub fn as_str(self) -> &'static str {
        match self {
            HeaderKey::Title => "title",
            HeaderKey::Resolution => "resolution",
            HeaderKey::Version => "version",
            HeaderKey::Language => "language",
            HeaderKey::Date => "date",
            HeaderKey::Status => "status",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct HeaderField {
    pub key: HeaderKey,
    pub key_span: Span,
    pub value: Text,
}

/// `scale id "label" { code "Label" … }`
#[derive(Clone, Debug, PartialEq)]
pub struct ScaleDecl {
    pub id: Ident,
    pub label: Option<Text>,
    pub options: Options,
    pub span: Span,
}

/// A braced list of answer options.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub options: Vec<OptionDecl>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OptionDecl {
    pub code: Ident,
    pub label: Text,
    /// `= 2`: what the option scores, for `score(item)`.
    pub score: Option<f64>,
}

/// `special dont_know "Don't know"`: an answer any item may allow that is not a value.
#[derive(Clone, Debug, PartialEq)]
pub struct SpecialDecl {
    pub id: Ident,
    pub label: Text,
    pub span: Span,
}

/// `calc id "label" = expr`: a value computed from answers.
#[derive(Clone, Debug, PartialEq)]
pub struct CalcDecl {
    pub id: Ident,
    pub label: Text,
    pub value: Expr,
    /// Marked `{ shown }`: the respondent sees it.
    pub shown: bool,
    pub span: Span,
}

/// `check expr else error "message"`: a rule the answers must keep.
#[derive(Clone, Debug, PartialEq)]
pub struct ConstraintDecl {
    pub condition: Expr,
    /// `warning` rather than `error`.
    pub warning: bool,
    pub message: Text,
    pub span: Span,
}

/// `document id "title" { source "…" para 1 "…" … }`
#[derive(Clone, Debug, PartialEq)]
pub struct DocumentDecl {
    pub id: Ident,
    pub title: Text,
    pub sources: Vec<Text>,
    pub paragraphs: Vec<ParagraphDecl>,
    pub span: Span,
}

/// `heading "…" para 7 "…" { (a) "…" }`
#[derive(Clone, Debug, PartialEq)]
pub struct ParagraphDecl {
    pub heading: Option<Text>,
    pub number: Ident,
    /// `None` when the text is marked `pending`.
    pub text: Option<Text>,
    pub subparagraphs: Vec<SubparagraphDecl>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SubparagraphDecl {
    pub letter: Ident,
    /// `None` when the text is marked `pending`.
    pub text: Option<Text>,
}

/// `introduction { text "…" … }`
#[derive(Clone, Debug, PartialEq)]
pub struct Introduction {
    pub prose: Vec<Prose>,
    pub span: Span,
}

/// Prose shown to the respondent: text, a sub-heading or an excerpt of a reference document.
#[derive(Clone, Debug, PartialEq)]
pub enum Prose {
    Text(Text),
    Heading(Text),
    Quote(ParaRefs),
}

/// A document and paragraphs of it, as in `quote guidelines 6 (a), 8` or `cites guidelines 17`.
#[derive(Clone, Debug, PartialEq)]
pub struct ParaRefs {
    pub document: Ident,
    pub refs: Vec<ParaRef>,
    pub span: Span,
}

/// `6 (a)`: a paragraph number and perhaps a subparagraph letter.
#[derive(Clone, Debug, PartialEq)]
pub struct ParaRef {
    pub number: String,
    pub letter: Option<String>,
    pub span: Span,
}

/// `section id "title" { … }`
#[derive(Clone, Debug, PartialEq)]
pub struct SectionDecl {
    /// `respondent` for the respondent block.
    pub id: Ident,
    pub title: Text,
    /// The respondent block (`respondent "Title" { … }`): not numbered, nor its questions.
    pub respondent: bool,
    pub members: Vec<SectionMember>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SectionMember {
    Prose(Prose),
    Item(ItemDecl),
    Grid(GridDecl),
    Table(TableDecl),
    Calc(CalcDecl),
    Constraint(ConstraintDecl),
    Use(UseBlock),
}

/// Which keyword introduced an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// `question`: numbered 1, 2, 3… across the instrument.
    Question,
    /// `item`: lettered (a), (b)… under a question, (i), (ii)… under an item.
    SubItem,
    /// `ask`: an unnumbered sub-question.
    Ask,
    /// `followup`: asked for given answers of its parent.
    Followup,
    /// `field`: one typed part of a follow-up.
    Field,
}

/// An item: a question, sub-item, follow-up or field.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemDecl {
    pub kind: ItemKind,
    pub id: Ident,
    pub label: Text,
    pub answer: Option<AnswerType>,
    pub guard: Option<Guard>,
    pub members: Vec<ItemMember>,
    pub span: Span,
}

/// When an item is asked.
#[derive(Clone, Debug, PartialEq)]
pub enum Guard {
    /// `on yes, yes_in_part`: for these answers of the parent.
    On { codes: Vec<Ident>, span: Span },
    /// `when <condition>`.
    When(Expr),
}

impl Guard {
    pub fn span(&self) -> Span {
        match self {
            Guard::On { span, .. } => *span,
            Guard::When(expr) => expr.span,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ItemMember {
    Cites(ParaRefs),
    Help(Text),
    Note(Text),
    Optional(Span),
    Required(Span),
    /// `allow uncited`
    AllowUncited(Span),
    /// `allow dont_know, refused`
    AllowSpecial(Vec<Ident>),
    /// `feeds difficulties, practices`: the report's headings its answers go under.
    Feeds(Vec<Ident>),
    Item(ItemDecl),
    Grid(GridDecl),
    Table(TableDecl),
    Calc(CalcDecl),
    Constraint(ConstraintDecl),
}

/// `table id "label" : integer when … { row … column … total row … }`
#[derive(Clone, Debug, PartialEq)]
pub struct TableDecl {
    pub id: Ident,
    pub label: Text,
    /// The type of every cell: a number, an integer or an amount.
    pub cell: AnswerType,
    pub guard: Option<Guard>,
    pub rows: Vec<TableLine>,
    pub columns: Vec<TableLine>,
    pub attributes: Vec<ItemMember>,
    pub span: Span,
}

/// A row or column of a table; `total` when its cells sum the others.
#[derive(Clone, Debug, PartialEq)]
pub struct TableLine {
    pub id: Ident,
    pub label: Text,
    pub total: bool,
    pub cites: Option<ParaRefs>,
}

/// `grid id "label" when … { column … row … }`
#[derive(Clone, Debug, PartialEq)]
pub struct GridDecl {
    pub id: Ident,
    pub label: Text,
    pub guard: Option<Guard>,
    pub columns: Vec<ColumnDecl>,
    pub rows: Vec<GridRow>,
    pub attributes: Vec<ItemMember>,
    pub span: Span,
}

/// `column id "label" when …`
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnDecl {
    pub id: Ident,
    pub label: Text,
    pub guard: Option<Guard>,
}

/// A row of a grid as written: a row, or in a block, the rows of a parameter.
#[derive(Clone, Debug, PartialEq)]
pub enum GridRow {
    Row(Box<RowDecl>),
    /// `rows areas`: a `rows` parameter of the block, or named rows.
    Splice(Ident),
}

/// `row id "label" cites …`, or `row id "label" : long_text` for a free-text row.
#[derive(Clone, Debug, PartialEq)]
pub struct RowDecl {
    pub id: Ident,
    pub label: Text,
    pub answer: Option<AnswerType>,
    pub cites: Option<ParaRefs>,
}

/// The answer type written after `:`.
#[derive(Clone, Debug, PartialEq)]
pub struct AnswerType {
    pub kind: AnswerKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AnswerKind {
    /// A single choice: `yes_no`, `one of yes_no` or `one of { … }`.
    One(Choices),
    /// A multiple choice: `many of …`.
    Many(Choices),
    Text,
    LongText,
    Date,
    /// A country or area: its ISO 3166-1 alpha-3 code.
    Country,
    Number {
        integer: bool,
        min: Option<Bound>,
        max: Option<Bound>,
    },
    Amount {
        currencies: Vec<Ident>,
    },
    List(ListDecl),
}

/// `list min 1 max q_persons { field … check … }`
#[derive(Clone, Debug, PartialEq)]
pub struct ListDecl {
    pub fields: Vec<RecordFieldDecl>,
    /// `calc bmi "…" = this.weight / …`: values computed from each record's fields, each with
    /// the number of fields declared before it.
    pub calcs: Vec<(usize, CalcDecl)>,
    pub min: Option<RecordCount>,
    pub max: Option<RecordCount>,
    pub constraints: Vec<ConstraintDecl>,
}

/// How many records a list may have: a number, or the answer to an item.
#[derive(Clone, Debug, PartialEq)]
pub enum RecordCount {
    Number(f64, Span),
    Item(Ident),
}

/// A numeric bound as written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound {
    pub value: f64,
    pub span: Span,
}

/// Where a choice takes its options from.
#[derive(Clone, Debug, PartialEq)]
pub enum Choices {
    Scale(Ident),
    Inline(Options),
}

/// `field id "label" : type optional` inside `list { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordFieldDecl {
    pub id: Ident,
    pub label: Text,
    pub answer: AnswerType,
    pub optional: bool,
    /// `when this.language = other`: asked of the records where this holds.
    pub when: Option<Expr>,
    /// `{ help "…" }`, `{ note "…" }`: shown with the field.
    pub help: Vec<Text>,
    pub notes: Vec<Text>,
}

/// A condition, or part of one.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
    Compare {
        op: CompareOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `q4 in [yes, yes_in_part]`
    In {
        operand: Box<Expr>,
        codes: Vec<Ident>,
    },
    /// `q9 has media`
    Has {
        operand: Box<Expr>,
        code: Box<Expr>,
    },
    /// `answered(q3)`
    Answered(Ident),
    /// Operands joined by operators of one precedence: `a + b - c` (`+` and `-`) or
    /// `a * b / c` (`*` and `/`). A chain of any length is one node, so that no pass over a
    /// value recurses once per operator.
    Chain {
        first: Box<Expr>,
        rest: Vec<(ArithOp, Expr)>,
    },
    /// `sum(a, b)`, `count(q24)`, `if(c, a, b)`, `today()`; `count(q24 where this.copies > 0)`
    /// takes the records that meet `filter`.
    Call {
        function: Ident,
        args: Vec<Expr>,
        filter: Option<Box<Expr>>,
        /// `; missing none`: the aggregate has no value when one of its values has none
        /// (`Some(true)`), or skips it (`Some(false)`, as without it); where it is written.
        missing: Option<(bool, Span)>,
    },
    /// A bare name: an item, a calculated value, or a code when compared with a choice;
    /// `this.field` or `list.field` for a field of a list.
    Name(Ident),
    Number(f64),
    Date(String),
    Text(String),
    Bool(bool),
}

/// An arithmetic operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl ArithOp {
    pub fn as_str(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CompareOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }

    /// Whether the operator orders its operands rather than testing equality.
    pub fn is_ordering(self) -> bool {
        !matches!(self, CompareOp::Eq | CompareOp::Ne)
    }

    /// The symbol of the comparison in targets that write `a != b` as `not (a = b)`: `=` for
    /// both equality tests, the operator itself otherwise.
    pub fn equality_or_order(self) -> &'static str {
        match self {
            CompareOp::Ne => "=",
            other => other.as_str(),
        }
    }

    /// The operator that keeps the meaning when the operands swap sides: `a < b` is `b > a`.
    pub fn flip(self) -> CompareOp {
        match self {
            CompareOp::Lt => CompareOp::Gt,
            CompareOp::Le => CompareOp::Ge,
            CompareOp::Gt => CompareOp::Lt,
            CompareOp::Ge => CompareOp::Le,
            other => other,
        }
    }
}

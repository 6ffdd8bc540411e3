//! The diagnostics of the `check` stage: every semantic error and warning, each with a stable
//! code, labels on the offending text and, where one helps, a help line.

use std::cell::Cell;

use miette::Diagnostic;
use thiserror::Error;

use crate::span::{Note, Span};

/// One semantic problem in an instrument.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq)]
pub enum CheckError {
    #[error("duplicate {kind} `{name}`")]
    #[diagnostic(code(E0101), help("every {kind} needs a name of its own"))]
    Duplicate {
        kind: &'static str,
        name: String,
        #[label("defined again here")]
        span: Span,
        #[related]
        first: Vec<Note>,
    },

    #[error("unknown item `{name}`")]
    #[diagnostic(code(E0102))]
    UnknownItem {
        name: String,
        #[label("no item has this id")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("unknown option `{code}` for `{item}`")]
    #[diagnostic(code(E0103))]
    UnknownCode {
        code: String,
        item: String,
        #[label("not an option of this scale")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("unknown scale `{name}`")]
    #[diagnostic(code(E0104))]
    UnknownScale {
        name: String,
        #[label("no scale has this name")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("unknown document `{name}`")]
    #[diagnostic(code(E0105))]
    UnknownDocument {
        name: String,
        #[label("no document has this id")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("unknown paragraph `{reference}` of `{document}`")]
    #[diagnostic(code(E0106))]
    UnknownParagraph {
        reference: String,
        document: String,
        #[label("not declared in the document")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("condition is not a yes-or-no test")]
    #[diagnostic(code(E0107))]
    NotBoolean {
        #[label("this is {what}, not true or false")]
        span: Span,
        what: String,
        #[help]
        help: Option<String>,
    },

    #[error("cannot compare {lhs} with {rhs} using `{op}`")]
    #[diagnostic(code(E0108))]
    TypeMismatch {
        op: String,
        lhs: String,
        rhs: String,
        #[label("these operands do not go together")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("{what} form a cycle: {cycle}")]
    #[diagnostic(
        code(E0109),
        help("an item cannot depend, directly or through others, on its own answer")
    )]
    Cycle {
        /// "conditions", or "conditions and calculated values".
        what: &'static str,
        cycle: String,
        #[label("{label}")]
        span: Span,
        label: String,
        #[related]
        rest: Vec<Note>,
    },

    #[error("scale `{name}` has no options")]
    #[diagnostic(
        code(E0110),
        help("add options such as `yes \"Yes\"` between the braces")
    )]
    EmptyScale {
        name: String,
        #[label("nothing to choose from")]
        span: Span,
    },

    #[error("duplicate code `{code}` in {scale}")]
    #[diagnostic(code(E0111), help("each option of a scale needs a code of its own"))]
    DuplicateCode {
        code: String,
        scale: String,
        #[label("used again here")]
        span: Span,
        #[related]
        first: Vec<Note>,
    },

    #[error("follow-up `{name}` is not bound to an answer of its parent")]
    #[diagnostic(code(E0112))]
    UnboundFollowup {
        name: String,
        #[label("{reason}")]
        span: Span,
        reason: String,
        #[help]
        help: Option<String>,
    },

    #[error("the least value {min} is above the greatest {max}")]
    #[diagnostic(code(E0113), help("swap the bounds, or correct one of them"))]
    InvertedBounds {
        min: f64,
        max: f64,
        #[label("no number fits these bounds")]
        span: Span,
    },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Header(HeaderProblem),

    #[error("item `{name}` is both required and optional")]
    #[diagnostic(code(E0115), help("keep one of the two"))]
    RequiredAndOptional {
        name: String,
        #[label("optional here")]
        span: Span,
        #[related]
        required: Vec<Note>,
    },

    #[error("item `{name}` has nothing to answer")]
    #[diagnostic(
        code(E0116),
        help("give it an answer type such as `: yes_no`, or sub-items in braces")
    )]
    NothingToAnswer {
        name: String,
        #[label("no answer type and no sub-items")]
        span: Span,
    },

    #[error("field `{name}` is outside a follow-up")]
    #[diagnostic(
        code(E0117),
        help("fields belong in a `followup`; elsewhere, use `item` or `ask`")
    )]
    FieldOutsideFollowup {
        name: String,
        #[label("inside {parent}")]
        span: Span,
        parent: String,
    },

    #[error("the name `{name}` is taken twice")]
    #[diagnostic(code(E0120))]
    NameClash {
        name: String,
        #[label("{label}")]
        span: Span,
        label: String,
        #[related]
        first: Vec<Note>,
        #[help]
        help: Option<String>,
    },

    #[error("an imported file declares {what}")]
    #[diagnostic(
        code(E0121),
        help("an imported file may declare scales, documents and blocks; the instrument itself belongs in the file that imports them")
    )]
    NotAModule {
        what: String,
        #[label("not allowed in an imported file")]
        span: Span,
        #[related]
        import: Vec<Note>,
    },

    #[error(transparent)]
    #[diagnostic(transparent)]
    UnknownImport(ImportProblem),

    #[error("unknown block `{name}`")]
    #[diagnostic(code(E0123))]
    UnknownBlock {
        name: String,
        #[label("no block has this name")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error(transparent)]
    #[diagnostic(transparent)]
    BlockArguments(ArgumentProblem),

    #[error("block `{name}` uses itself")]
    #[diagnostic(
        code(E0125),
        help("a block cannot use itself, directly or through other blocks: it would never end")
    )]
    BlockRecursion {
        name: String,
        #[label("used again here")]
        span: Span,
        #[related]
        chain: Vec<Note>,
    },

    #[error("unknown rows `{name}`")]
    #[diagnostic(code(E0138))]
    UnknownRows {
        name: String,
        #[label("no named rows have this name")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("unknown heading `{name}` of the report")]
    #[diagnostic(code(E0137))]
    UnknownHeading {
        name: String,
        #[label("the report has no such heading")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("the respondent block comes after section `{section}`")]
    #[diagnostic(
        code(E0136),
        help("move it before the first section: it is answered first, before any question")
    )]
    RespondentAfterSection {
        /// The first section, which it follows.
        section: String,
        #[label("after the sections")]
        span: Span,
        #[related]
        first: Vec<Note>,
    },

    #[error("blocks expand past their limit: {what}")]
    #[diagnostic(
        code(E0135),
        help("blocks that use other blocks several times multiply at each level; write the repeated part once, or use the blocks fewer times")
    )]
    ExpansionBudget {
        /// Which limit: the bytes expanded, or how deep uses nest.
        what: String,
        #[label("the limit is reached here")]
        span: Span,
        #[related]
        chain: Vec<Note>,
    },

    #[error(transparent)]
    #[diagnostic(transparent)]
    UnknownParameter(ParameterProblem),

    #[error(transparent)]
    #[diagnostic(transparent)]
    TestExpectation(ExpectationProblem),

    #[error(transparent)]
    #[diagnostic(transparent)]
    BadValue(ValueProblem),

    #[error(transparent)]
    #[diagnostic(transparent)]
    UnknownField(FieldProblem),

    #[error(transparent)]
    #[diagnostic(transparent)]
    BadSpecial(SpecialProblem),

    #[error(transparent)]
    #[diagnostic(transparent)]
    BadTable(TableProblem),

    #[error("condition refers to `{name}`, which comes later")]
    #[diagnostic(
        code(W0201),
        severity(Warning),
        help("a respondent answers in order: move the condition, or the item it reads, so the item it reads comes first")
    )]
    LaterReference {
        name: String,
        #[label("asked after this item")]
        span: Span,
    },

    #[error("condition can never be true")]
    #[diagnostic(code(W0202), severity(Warning))]
    NeverTrue {
        #[label("{reason}")]
        span: Span,
        reason: String,
        #[help]
        help: Option<String>,
    },

    #[error("duplicate label `{label}`")]
    #[diagnostic(
        code(W0203),
        severity(Warning),
        help("a respondent cannot tell these apart; reword one of them")
    )]
    DuplicateLabel {
        label: String,
        #[label("used again here")]
        span: Span,
        #[related]
        first: Vec<Note>,
    },

    #[error("the label of `{name}` disagrees with its condition")]
    #[diagnostic(
        code(W0208),
        severity(Warning),
        help("{says}, but {reads}: correct the text, or the condition; in a block, `{{name}}` of an item parameter writes its current number")
    )]
    ProseDisagrees {
        name: String,
        #[label("{says}")]
        span: Span,
        says: String,
        reads: String,
    },

    #[error("question `{name}` cites no paragraph")]
    #[diagnostic(
        code(W0204),
        severity(Warning),
        help("add `cites document 12` to the question or its sub-items, or `allow uncited` if it asks about no paragraph")
    )]
    Uncited {
        name: String,
        #[label("no citation here or in its sub-items")]
        span: Span,
    },

    #[error("quoted paragraph `{reference}` of `{document}` has no text yet")]
    #[diagnostic(
        code(W0205),
        severity(Warning),
        help("the paragraph is declared `pending`: the respondent would see its number and no text; add the official text or quote another paragraph")
    )]
    PendingQuote {
        reference: String,
        document: String,
        #[label("its text is pending")]
        span: Span,
    },
}

/// E0114: the header of the entry file.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq)]
#[diagnostic(
    code(E0114),
    help("a file starts with `instrument id {{ title \"…\" }}`, once")
)]
pub enum HeaderProblem {
    #[error("the file has no instrument header")]
    Missing {
        #[label("expected `instrument` before this")]
        span: Span,
    },
    #[error("the file has a second instrument header")]
    Second {
        /// The id of the first header.
        first: String,
        #[label("the header of `{first}` came before")]
        span: Span,
    },
    #[error("instrument `{id}` has no title")]
    NoTitle {
        id: String,
        #[label("add `title \"…\"` to this header")]
        span: Span,
    },
}

/// E0122: a name looked up through an import that does not have it.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq)]
#[diagnostic(code(E0122))]
pub enum ImportProblem {
    #[error("`{file}` declares no `{name}`")]
    NotDeclared {
        file: String,
        name: String,
        #[label("not declared there")]
        span: Span,
        #[help]
        suggestion: Option<String>,
    },
    #[error("unknown import alias `{alias}`")]
    UnknownAlias {
        alias: String,
        #[label("no import has this alias")]
        span: Span,
        #[help]
        help: Option<String>,
    },
}

impl ImportProblem {
    pub fn unknown_alias(alias: &str, span: Span, suggestion: Option<String>) -> ImportProblem {
        let help = suggestion.or_else(|| {
            Some(format!(
                "import a file under this name: `import \"…\" as {alias}`"
            ))
        });
        ImportProblem::UnknownAlias {
            alias: alias.to_owned(),
            span,
            help,
        }
    }
}

/// E0124: the arguments of a `use`.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq)]
#[diagnostic(code(E0124))]
pub enum ArgumentProblem {
    #[error("block `{block}` has no parameter `{name}`")]
    Unknown {
        block: String,
        name: String,
        #[label("unknown parameter")]
        span: Span,
        /// A parameter of a close name, or the block's signature.
        #[help]
        help: Option<String>,
    },
    #[error("parameter `{name}` is given twice")]
    Twice {
        name: String,
        #[label("given again here")]
        span: Span,
    },
    #[error("parameter `{name}` takes {wanted}, not {given}")]
    WrongKind {
        name: String,
        wanted: &'static str,
        given: &'static str,
        #[label("this is {given}")]
        span: Span,
        #[help]
        signature: String,
    },
    #[error("block `{block}` needs {missing}")]
    Missing {
        block: String,
        /// The parameters not given, listed.
        missing: String,
        #[label("missing argument(s)")]
        span: Span,
        #[help]
        signature: String,
    },
}

/// E0126: a name used as a block parameter that is not one.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq)]
#[diagnostic(code(E0126))]
pub enum ParameterProblem {
    #[error("unknown parameter `{name}`")]
    OtherKind {
        name: String,
        /// The kind of the parameter of that name.
        kind: &'static str,
        #[label("a parameter of kind `{kind}`")]
        span: Span,
        #[help]
        help: Option<String>,
    },
    #[error("unknown parameter `{name}`")]
    OutsideBlock {
        name: String,
        #[label("only a block has parameters")]
        span: Span,
        #[help]
        help: Option<String>,
    },
    #[error("unknown parameter `{name}`")]
    NotOfBlock {
        name: String,
        #[label("not a parameter of this block")]
        span: Span,
        #[help]
        help: Option<String>,
    },
    #[error("unknown parameter `{name}`")]
    #[diagnostic(help(
        "`{{name}}` of an item gives its number: the item must be a numbered one that comes first"
    ))]
    NoNumber {
        name: String,
        /// The item the parameter names.
        item: String,
        #[label("`{item}` has no printed number before this text")]
        span: Span,
    },
    #[error("unknown parameter `{name}`")]
    UnknownPipe {
        name: String,
        #[label("`{{{name}}}` names no parameter, item or calculated value")]
        span: Span,
        #[help]
        help: Option<String>,
    },
}

impl ParameterProblem {
    /// The help for a name that is not a parameter of `kind`: a parameter of a close name,
    /// or how to declare it.
    pub fn declare(name: &str, kind: &str, suggestion: Option<String>) -> Option<String> {
        suggestion.or_else(|| Some(format!("declare it: `block name({name}: {kind})`")))
    }

    /// `{name}` in a text that names no parameter, item or calculated value.
    pub fn unknown_pipe(name: &str, span: Span, suggestion: Option<String>) -> ParameterProblem {
        ParameterProblem::UnknownPipe {
            name: name.to_owned(),
            span,
            help: suggestion
                .or_else(|| Some("write `{{` and `}}` for braces in a text".to_owned())),
        }
    }
}

/// E0129: an expectation of a test that cannot be checked.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq)]
#[diagnostic(code(E0129))]
pub enum ExpectationProblem {
    #[error("`{code}` is not a problem code of replies")]
    #[diagnostic(help("problem codes run from V0001 to V0204; `qc explain V0107` explains one"))]
    NotAProblemCode {
        code: String,
        #[label("no such problem")]
        span: Span,
    },
    #[error("`{grid}` has no column `{column}`")]
    NoColumn {
        grid: String,
        column: String,
        #[label("not a column of a grid")]
        span: Span,
        #[help]
        suggestion: Option<String>,
    },
    #[error("a grid column is asked or not; it is not required")]
    ColumnRequired {
        #[label("write `asked` here")]
        span: Span,
    },
}

/// E0130: a value that cannot be computed as written.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq)]
#[diagnostic(code(E0130))]
pub enum ValueProblem {
    #[error("`{item}` has no single value to show")]
    #[diagnostic(help(
        "`{{name}}` shows an item's answer or a calculated value, such as `count(list)`"
    ))]
    NotShown {
        item: String,
        #[label("a list, a grid, a table or a group")]
        span: Span,
    },
    #[error("`{list}.{field}` names a field of every record of a list")]
    #[diagnostic(help(
        "aggregate them: `sum({list}.{field})`, `min(…)` or `max(…)`; inside the list's own logic, `this.{field}` reads the record at hand"
    ))]
    EveryRecord {
        list: String,
        field: String,
        #[label("many values, not one")]
        span: Span,
    },
    #[error("`{function}` takes values, not a condition on records")]
    ConditionOnRecords {
        function: &'static str,
        #[label("true or false for each record")]
        span: Span,
        /// The aggregate over the records that meet the condition.
        #[help]
        help: String,
    },
    #[error("`unique` takes one field of a list's records")]
    #[diagnostic(help(
        "`unique(members.name)` holds when no two records of `members` have the same `name`"
    ))]
    UniqueArgument {
        #[label("not a field of a list's records")]
        span: Span,
    },
    #[error("`unique({list}.{field})` compares the records of `{list}` with each other")]
    #[diagnostic(help(
        "check it once for the list, among the question's own rules: `question {list} … : list {{ … }} {{ check unique({list}.{field}) else error \"…\" }}`"
    ))]
    UniqueInRecord {
        list: String,
        field: String,
        #[label("tested for each record here")]
        span: Span,
    },
    #[error("a value computed in a record of `{list}` reads `{read}`")]
    #[diagnostic(help(
        "it reads the record's fields (`this.field`), fixed values and `today()`; compute what needs other answers outside the list: `calc … = sum({list}.field) / {read}`"
    ))]
    RecordCalcReadsOutside {
        read: String,
        list: String,
        #[label("this reads `{read}`, outside the record")]
        span: Span,
    },
    #[error("`{function}` may have no value, so it takes no aggregate among its values")]
    #[diagnostic(help(
        "compute the inner aggregate as a value of its own, `calc both \"…\" = sum(men, women)`, and take that: `{function}(both, total)`"
    ))]
    NestedAggregate {
        function: String,
        #[label("an aggregate inside `{function}`")]
        span: Span,
    },
    #[error("`{function}` takes no `missing`")]
    #[diagnostic(help(
        "`; missing none` says what an aggregate does with values that have none: `sum(men, women; missing none)`"
    ))]
    MissingOutsideAggregate {
        function: String,
        #[label("not an aggregate of values")]
        span: Span,
    },
    #[error("`{name}` is not a table")]
    #[diagnostic(help("`table.row.column` reads a cell of a table: `convicted.homicide.men`"))]
    NotATable {
        name: String,
        #[label("it has no rows and columns")]
        span: Span,
    },
    #[error("`{table}` has no {what} `{name}`")]
    NoCell {
        table: String,
        what: &'static str,
        name: String,
        #[label("`table.row.column` names a row, then a column")]
        span: Span,
        #[help]
        suggestion: Option<String>,
    },
    #[error("`score({item})` needs a score for every option")]
    #[diagnostic(help("give each option of its scale a score: `{option} \"…\" = 1`"))]
    Unscored {
        item: String,
        option: String,
        #[label("option `{option}` has no score")]
        span: Span,
    },
    #[error("`band` takes a number, a scale and the limits between its options")]
    #[diagnostic(help(
        "`band(total, risk, 10, 20)` is the first option of `risk` below 10, the second below 20, the third otherwise"
    ))]
    Band {
        problem: String,
        #[label("{problem}")]
        span: Span,
    },
    #[error("amounts multiplied or divided by amounts")]
    #[diagnostic(help(
        "multiply an amount by numbers (`price * 1.2`), divide it by a number (`price / 12`) or by an amount of its currency (`debt / price`, a number)"
    ))]
    AmountProduct {
        #[label("at most one amount is multiplied, and one divides it")]
        span: Span,
    },
    #[error("`where` takes the records of a list")]
    #[diagnostic(help(
        "name the list, or one field of its records, before `where`: `count(services where this.kind = shelter)`, `sum(services.staff where this.kind = shelter)`"
    ))]
    FilterWithoutList {
        function: String,
        #[label("`{function}` is not given a list to filter")]
        span: Span,
    },
    #[error("a filter reads only the fields of the records of `{list}`")]
    #[diagnostic(help(
        "each record is tested alone: compare its fields (`this.field`) with fixed values, and compare the aggregate with {what} outside: `count({list} where …) <= …`"
    ))]
    FilterReadsOutside {
        what: String,
        list: String,
        #[label("this reads {what}")]
        span: Span,
    },
    #[error("expected a value, found a condition")]
    #[diagnostic(help("turn it into a number: `{example}`"))]
    Condition {
        #[label("this is true or false")]
        span: Span,
        /// The condition as a number: `if(men > women, 1, 0)`.
        example: String,
    },
    #[error("a divisor that divides again")]
    #[diagnostic(help("calculate it first: `calc rate \"…\" = a / b`, then divide by `rate`"))]
    DivisorDivides {
        #[label("this divides")]
        span: Span,
    },
    #[error("`{function}` takes {wanted}")]
    Arity {
        function: String,
        wanted: &'static str,
        given: usize,
        #[label("given {given} argument{}", if *given == 1 { "" } else { "s" })]
        span: Span,
    },
    #[error("the two values of `if` differ in type")]
    #[diagnostic(help("both must be numbers, dates, texts or codes of one scale"))]
    IfTypes {
        then: String,
        otherwise: String,
        #[label("{then} and {otherwise}")]
        span: Span,
    },
    #[error("unknown function `{name}`")]
    UnknownFunction {
        name: String,
        #[label("not a function of the language")]
        span: Span,
        /// A function of a close name, or the list of them.
        #[help]
        help: Option<String>,
    },
    #[error("`{function}` takes a date item, `today()` or a date")]
    #[diagnostic(help(
        "calculate the date first: `calc since \"…\" = if(…)`, then count from `since`"
    ))]
    NotADate {
        function: String,
        /// What was given, in words.
        found: String,
        #[label("this is {found}")]
        span: Span,
    },
    #[error("`{function}` takes {wanted}")]
    WrongArgument {
        function: String,
        wanted: String,
        found: String,
        #[label("this is {found}")]
        span: Span,
    },
    #[error("`{item}` cannot be calculated")]
    #[diagnostic(help("a calculated value is a number, an amount, a date, a text or a choice"))]
    NotCalculable {
        item: String,
        found: String,
        #[label("this is {found}")]
        span: Span,
    },
    #[error("{value} records cannot be counted exactly")]
    CountTooLarge {
        value: f64,
        #[label("more than 2^53 records")]
        span: Span,
    },
    #[error("{value} records cannot be counted")]
    CountNotWhole {
        value: f64,
        #[label("not a whole number of records")]
        span: Span,
    },
}

/// E0131: a field of a list's records that cannot be read there.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq)]
#[diagnostic(code(E0131))]
pub enum FieldProblem {
    #[error("`{name}` is not a list")]
    NotAList {
        name: String,
        #[label("it has no records")]
        span: Span,
    },
    #[error("`this` outside a list")]
    #[diagnostic(help(
        "`this.field` reads a field of the record at hand, in a list's `field … when` and `check`"
    ))]
    ThisOutside {
        #[label("no record here")]
        span: Span,
    },
    #[error("`{list}` has no field `{field}`")]
    NoField {
        list: String,
        field: String,
        #[label("not a field of its records")]
        span: Span,
        #[help]
        suggestion: Option<String>,
    },
    #[error("a list inside a record or a grid row cannot have logic of its own")]
    #[diagnostic(help("make the inner list an item of its own"))]
    InnerLogic {
        #[label("not checked here")]
        span: Span,
    },
}

/// E0132: a special answer that cannot be allowed.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq)]
#[diagnostic(code(E0132))]
pub enum SpecialProblem {
    #[error("unknown special answer `{name}`")]
    Unknown {
        name: String,
        #[label("no special answer has this name")]
        span: Span,
        #[help]
        help: Option<String>,
    },
    #[error("`{item}` takes no answer to stand in for")]
    #[diagnostic(help("allow it on the items that take an answer"))]
    NothingToReplace {
        item: String,
        #[label("a special answer replaces an answer")]
        span: Span,
    },
    #[error("`{code}` is allowed twice")]
    Twice {
        code: String,
        #[label("allowed again here")]
        span: Span,
    },
    #[error("`{code}` is both a special answer and an option of `{item}`")]
    #[diagnostic(help("keep one of the two"))]
    AlsoAnOption {
        code: String,
        item: String,
        #[label("the reply could not tell them apart")]
        span: Span,
    },
}

impl SpecialProblem {
    pub fn unknown(name: &str, span: Span, suggestion: Option<String>) -> SpecialProblem {
        SpecialProblem::Unknown {
            name: name.to_owned(),
            span,
            help: suggestion.or_else(|| Some(format!("declare it: `special {name} \"…\"`"))),
        }
    }
}

/// E0133: the rows and columns of a table.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq)]
#[diagnostic(code(E0133))]
pub enum TableProblem {
    #[error("`{table}` has two total {what}s")]
    #[diagnostic(help("the first total {what} is at {first}"))]
    TwoTotals {
        table: String,
        /// `row` or `column`.
        what: &'static str,
        /// Where the first total is, as `file:line:column`.
        first: String,
        #[label("a second total {what}")]
        span: Span,
    },
    #[error("`{table}` has no {what}s to fill in")]
    #[diagnostic(help("declare its {what}s: `{what} id \"Label\"`"))]
    NothingToFill {
        table: String,
        what: &'static str,
        #[label("no {what} but totals")]
        span: Span,
    },
}

impl CheckError {
    /// The offending text: the span the diagnostic is sorted by.
    pub fn span(&self) -> Span {
        crate::span::primary(self)
    }

    /// An error, rather than a warning: the instrument is refused.
    pub fn is_error(&self) -> bool {
        matches!(
            Diagnostic::severity(self),
            None | Some(miette::Severity::Error)
        )
    }
}

/// "did you mean `q25`?" for the candidate closest to `name` by edit distance (a swap of two
/// neighbours counts once), if any is close enough: within a third of the name's length.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    did_you_mean_within(name, candidates, &Cell::new(u64::MAX))
}

/// How many character comparisons suggestions may cost in one compilation: a file with 20,000
/// unknown names among 20,000 items would otherwise compare every pair. Past it, diagnostics
/// carry no suggestion.
pub const SUGGESTION_BUDGET: u64 = 50_000_000;

/// The longest name a suggestion is looked for.
const SUGGESTED_LENGTH: usize = 64;

/// [`did_you_mean`], spending the comparisons of characters it makes from `budget`; none once
/// the budget is spent. Only candidates whose length is within reach are compared.
pub fn did_you_mean_within<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    budget: &Cell<u64>,
) -> Option<String> {
    let length = name.chars().count();
    if length > SUGGESTED_LENGTH || budget.get() == 0 {
        return None;
    }
    let limit = (length / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        // A name longer or shorter by more than the limit is farther than it.
        let other = candidate.len();
        if other > length * 4 + limit || candidate.chars().count().abs_diff(length) > limit {
            continue;
        }
        let cost = (length.max(1) * other.max(1)) as u64;
        let Some(left) = budget.get().checked_sub(cost) else {
            budget.set(0);
            return None;
        };
        budget.set(left);
        let distance = strsim::damerau_levenshtein(name, candidate);
        let closer = best
            .is_none_or(|(top, chosen)| distance < top || (distance == top && candidate < chosen));
        if distance <= limit && closer {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| format!("did you mean `{candidate}`?"))
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_the_closest_name_within_reach() {
        let ids = ["q25", "q26", "q2a"];
        assert_eq!(
            did_you_mean("q52", ids).as_deref(),
            Some("did you mean `q25`?")
        );
        assert_eq!(
            did_you_mean("guideline", ["guidelines"]).as_deref(),
            Some("did you mean `guidelines`?")
        );
        assert_eq!(did_you_mean("completely_else", ids), None);
    }
}

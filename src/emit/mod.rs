//! Emitters: each output format is one module that reads the checked model. What an export
//! cannot hold as qc does is a [`Loss`]: a coded warning, never dropped silently.

pub mod fhir;
pub mod html;
pub mod json;
pub mod jsonlogic;
pub mod response_schema;
pub mod surveyjs;
pub mod xlsform;

use std::fmt;

use miette::Diagnostic;
use serde_json::Value;
use thiserror::Error;

use crate::model::{Condition, Instrument, Item, Operand, Text};
use crate::span::Span;

/// An export that can lose what qc says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Xlsform,
    Surveyjs,
    Fhir,
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Target::Xlsform => "xlsform",
            Target::Surveyjs => "surveyjs",
            Target::Fhir => "fhir",
        })
    }
}

/// A construct an export cannot hold as qc does (W0301), and what becomes of it, on the item
/// (or section) it belongs to.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq)]
#[error("{target}: `{item}`{}: {}", others(also.len()), what.message(*target))]
#[diagnostic(
    code(W0301),
    severity(Warning),
    help("the form qc compiles and `qc validate` keep it; see docs/exports.md for what each export carries")
)]
pub struct Loss {
    pub target: Target,
    /// The id of the item or section.
    pub item: String,
    #[label("lost in the {target} export")]
    pub span: Span,
    pub what: Lost,
    /// Other items that lose the same in the same export, reported with this one
    /// ([`grouped`]).
    #[label(collection)]
    pub also: Vec<miette::LabeledSpan>,
}

/// " and 2 others", after the first item a loss names.
fn others(count: usize) -> String {
    match count {
        0 => String::new(),
        1 => " and 1 other".to_owned(),
        n => format!(" and {n} others"),
    }
}

/// Losses with one diagnostic for each thing an export loses, naming every item that loses it,
/// rather than one identical line per item.
pub fn grouped(losses: Vec<Loss>) -> Vec<Loss> {
    let mut out: Vec<Loss> = Vec::new();
    for loss in losses {
        match out
            .iter_mut()
            .find(|first| first.target == loss.target && first.what == loss.what)
        {
            Some(first) => first.also.push(miette::LabeledSpan::new_with_span(
                Some(format!("`{}` too", loss.item)),
                loss.span,
            )),
            None => out.push(loss),
        }
    }
    out
}

/// What is lost.
#[derive(Clone, Debug, PartialEq)]
pub enum Lost {
    /// Special answers are not offered.
    Specials,
    /// A constraint of a section (or of a record) cannot refuse the reply.
    SectionConstraint,
    /// A constraint of a group cannot refuse the reply.
    GroupConstraint,
    /// A list's number of records is not bounded.
    RecordBounds,
    /// A number of records read from an answer is not carried.
    RecordCountFromAnswer,
    /// An amount becomes a group of a number and a currency.
    Amount,
    /// An answer inside a record that the export has no field for becomes a text.
    NestedAnswer,
    /// A compared text with a line break or a tab.
    Whitespace,
    /// A compared text with a backslash the export's expressions cannot write.
    Backslash,
    /// A test of a special answer (of the item named, where the export says which).
    SpecialTest { of: Option<String> },
    /// `answered(group)`.
    GroupAnswered { group: String },
    /// Texts that show this value.
    Piping,
    /// Totals of a table are entered, not checked.
    Totals,
    /// The condition of a grid column.
    ColumnCondition { column: String },
    /// `unique(list.field)`: distinct values across records.
    Unique,
    /// A text with a quote compared in the filter of an aggregate over records.
    FilterQuote,
    /// `missing none` on an aggregate over the records that meet a condition.
    FilteredMissing,
    /// `sum`, `min` or `max` of amounts: computed from their values alone.
    AmountAggregate,
    /// A value computed as an amount: a number, without its currency.
    ComputedAmount,
}

impl Lost {
    /// What becomes of it in `target`.
    pub fn message(&self, target: Target) -> String {
        let name = match target {
            Target::Xlsform => "XLSForm",
            Target::Surveyjs => "SurveyJS",
            Target::Fhir => "FHIR",
        };
        match self {
            Lost::Specials => match target {
                Target::Xlsform => {
                    "special answers are not offered: XLSForm has no answer besides a value".into()
                }
                Target::Surveyjs => {
                    "special answers are not offered: SurveyJS stores none besides a value".into()
                }
                Target::Fhir => "special answers are not offered: FHIR would need a data-absent reason on the answer".into(),
            },
            Lost::SectionConstraint => match target {
                Target::Surveyjs => "a constraint of a section is shown when it is broken; SurveyJS cannot refuse the page for it".into(),
                _ => format!("a constraint of a section or a record is shown as a note when it is broken; {name} cannot refuse the reply"),
            },
            Lost::GroupConstraint => format!(
                "a constraint of a group is shown as a note when it is broken; {name} cannot refuse the reply"
            ),
            Lost::RecordBounds => format!(
                "the number of records is not bounded as qc bounds it: {name} repeats have no minimum or maximum"
            ),
            Lost::RecordCountFromAnswer => match target {
                Target::Surveyjs => "a number of records read from an answer is not enforced by the form; `qc validate` checks it".into(),
                _ => "a number of records read from an answer is not carried; `qc validate` checks it".into(),
            },
            Lost::Amount => "amount: a group of a decimal value and a currency code".into(),
            Lost::NestedAnswer => "a nested list, amount, grid or table becomes a text field".into(),
            Lost::Whitespace => "a compared text holds a line break or a tab, which an XForm's XPath reads as a space".into(),
            Lost::Backslash => format!("a compared text has a backslash before a quote or at its end, which {name} expressions cannot write: it is compared without that backslash"),
            Lost::SpecialTest { of: Some(item) } => {
                format!("a test of a special answer of `{item}` is read as false")
            }
            Lost::SpecialTest { of: None } => "a test of a special answer is read as false".into(),
            Lost::GroupAnswered { group } => format!("`answered({group})` of a group is read as true"),
            Lost::Piping => format!("a text that shows this value shows `{{name}}`: {name} R4 has no piping"),
            Lost::Totals => "totals are entered, not checked, by the form; `qc validate` checks them".into(),
            Lost::ColumnCondition { column } => format!("the condition of column `{column}` applies to every row: FHIR cannot enable one answer option"),
            Lost::FilterQuote => format!("a text with a quote compared in `where` breaks the filter: {name} writes a filter back without escaping its quotes, so the aggregate takes no record"),
            Lost::FilteredMissing => format!("`missing none` over the records that meet a condition is read as `missing skip`: {name} cannot count those records; `qc validate` computes it"),
            Lost::Unique => format!("`unique(…)` is read as true: {name} expressions cannot compare the records of a list with each other; `qc validate` checks it"),
            Lost::AmountAggregate => format!("a sum, minimum or maximum of amounts is computed from their values alone, in the currency of the first: {name} expressions cannot test that they are of one currency; `qc validate` checks it"),
            Lost::ComputedAmount => format!("a computed amount is a number, its value, without its currency: {name} cannot make a `Quantity` in a currency; `qc validate` computes it"),
        }
    }
}

/// The countries and areas a `country` answer offers, each with its code and its name in the
/// instrument's language (English where the table has no name in it).
pub(crate) fn country_choices(instrument: &Instrument) -> Vec<(&'static str, &'static str)> {
    let language = country_language(instrument);
    crate::countries::all()
        .iter()
        .map(|country| (country.code, country.name(language)))
        .collect()
}

/// The name of a country or area in the instrument's language, if the table has its code.
pub(crate) fn country_name(instrument: &Instrument, code: &str) -> Option<&'static str> {
    crate::countries::find(code).map(|country| country.name(country_language(instrument)))
}

/// The language of the instrument, as the table of countries names its languages (`fr`, not
/// `fr-CA`).
fn country_language(instrument: &Instrument) -> &str {
    let language = instrument.language.as_deref().unwrap_or("en");
    language.split(['-', '_']).next().unwrap_or(language)
}

/// The currencies an amount allows, as choices: its own, or every ISO 4217 code when it names
/// none; each with its label, `EUR (Euro)`.
pub(crate) fn currency_choices(currencies: &[String]) -> Vec<(String, String)> {
    use iso_currency::{Currency, IntoEnumIterator};
    let label = |code: &str| match Currency::from_code(code) {
        Some(currency) => format!("{code} ({})", currency.name()),
        None => code.to_owned(),
    };
    if currencies.is_empty() {
        let mut codes: Vec<String> = Currency::iter().map(|c| c.code().to_owned()).collect();
        codes.sort();
        codes
            .into_iter()
            .map(|code| {
                let shown = label(&code);
                (code, shown)
            })
            .collect()
    } else {
        currencies
            .iter()
            .map(|code| (code.clone(), label(code)))
            .collect()
    }
}

/// The tests that `values` (an amount's currency each, as a target reads it) are all the first
/// one: `test(first, other)` for each other.
pub(crate) fn same_as_first<T>(values: &[String], test: impl Fn(&str, &str) -> T) -> Vec<T> {
    let Some((first, others)) = values.split_first() else {
        return Vec::new();
    };
    others.iter().map(|other| test(first, other)).collect()
}

/// How a target writes the currency of an amount it computes (see [`currency_of`]).
pub(crate) trait CurrencyWriter {
    type Out;
    /// The currency of nothing: the target's empty value.
    fn none(&mut self) -> Self::Out;
    /// The currency of an amount read; `None` for what is not one.
    fn read(&mut self, reading: crate::model::Reading) -> Option<Self::Out>;
    /// `if(condition, then, otherwise)` in the target's expressions.
    fn choose(
        &mut self,
        condition: &crate::model::Condition,
        then: Self::Out,
        otherwise: Self::Out,
    ) -> Self::Out;
    /// The currency (or currencies) of an aggregate of amounts.
    fn aggregate(&mut self, aggregate: &crate::model::Operand) -> Self::Out;
}

/// The currency of an amount a target computes (in the list's own logic when `list` is given),
/// written by `writer`: an amount read's, that of the first amount of a sum or a product (of a
/// product, the first it multiplies), one of its two values' for an `if`, an aggregate's.
/// The value itself has none unless the amounts it computes with agree, which each target
/// tests beside.
pub(crate) fn currency_of<W: CurrencyWriter>(
    instrument: &crate::model::Instrument,
    list: Option<&crate::model::Item>,
    value: &crate::model::Operand,
    writer: &mut W,
) -> W::Out {
    use crate::model::Operand;
    crate::stack::guard(|| match value {
        Operand::Item(_) | Operand::Field(_) | Operand::Cell { .. } => {
            match value
                .reading()
                .filter(|reading| instrument.reads_amount(list, *reading))
            {
                Some(reading) => writer.read(reading).unwrap_or_else(|| writer.none()),
                None => writer.none(),
            }
        }
        Operand::Sum { .. } | Operand::Product { .. } => {
            match instrument.currency_term(list, value) {
                Some(term) => currency_of(instrument, list, term, writer),
                None => writer.none(),
            }
        }
        Operand::If {
            condition,
            then,
            otherwise,
        } if instrument.is_amount(list, value) => {
            let then = currency_of(instrument, list, then, writer);
            let otherwise = currency_of(instrument, list, otherwise, writer);
            writer.choose(condition, then, otherwise)
        }
        Operand::Aggregate { .. } | Operand::Records { .. }
            if instrument.is_amount(list, value) =>
        {
            writer.aggregate(value)
        }
        _ => writer.none(),
    })
}

/// Whether a value computes an aggregate of amounts anywhere (in the list's own logic when
/// `list` is given), the conditions of `if` included.
pub(crate) fn aggregates_amounts(
    instrument: &crate::model::Instrument,
    list: Option<&crate::model::Item>,
    value: &crate::model::Operand,
) -> bool {
    value.has_aggregate(&mut |aggregate| instrument.is_amount(list, aggregate))
}

/// [`aggregates_amounts`] of what a condition compares.
pub(crate) fn condition_aggregates_amounts(
    instrument: &crate::model::Instrument,
    list: Option<&crate::model::Item>,
    condition: &crate::model::Condition,
) -> bool {
    condition.has_aggregate(&mut |aggregate| instrument.is_amount(list, aggregate))
}

/// `score(q)` in an export's expressions, from what each code scores: of a multiple choice, the
/// sum of `ticked(code, score)` (a score when the code is ticked, 0 otherwise); of a single
/// choice, `chosen(code, score, otherwise)` nested from the last code, `none` past it.
pub(crate) fn score_expression(
    scores: &[(&str, f64)],
    multiple: bool,
    none: &str,
    ticked: impl Fn(&str, f64) -> String,
    chosen: impl Fn(&str, f64, &str) -> String,
) -> String {
    match multiple {
        true => {
            let parts: Vec<String> = scores
                .iter()
                .map(|(code, score)| ticked(code, *score))
                .collect();
            format!("({})", parts.join(" + "))
        }
        false => scores
            .iter()
            .rev()
            .fold(none.to_owned(), |otherwise, (code, score)| {
                chosen(code, *score, &otherwise)
            }),
    }
}

/// A text as HTML (or XHTML) character data: nothing in it is read as markup.
pub(crate) fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Sets `key` of a JSON object an export builds (a `json!({…})`, always an object); unlike
/// `value[key] = …`, it cannot panic.
pub(crate) fn set(object: &mut Value, key: &str, value: Value) {
    if let Some(map) = object.as_object_mut() {
        map.insert(key.to_owned(), value);
    }
}

/// `(a) or (b)` / `(a) and (b)`: how every expression language of the exports joins the parts
/// of an `or` or an `and`, each rendered by `render`; `None` for other conditions.
pub(crate) fn join_parts(
    condition: &Condition,
    mut render: impl FnMut(&Condition) -> String,
) -> Option<String> {
    let (parts, joiner) = match condition {
        Condition::Or(parts) => (parts, " or "),
        Condition::And(parts) => (parts, " and "),
        _ => return None,
    };
    let rendered: Vec<String> = parts
        .iter()
        .map(|part| format!("({})", render(part)))
        .collect();
    Some(rendered.join(joiner))
}

/// A sum or a product in infix notation, each operand rendered by `render`: `(a + b)`,
/// `((a + b) - (c))`, with `over` the target's word for `/` (XPath's is ` div `); any other
/// value as `render` writes it. Both sides are flat, however long the chain.
pub(crate) fn infix(
    operand: &Operand,
    over: &str,
    mut render: impl FnMut(&Operand) -> String,
) -> String {
    let (positive, negative, join, split) = match operand {
        Operand::Sum { add, subtract } => (add, subtract, " + ", " - "),
        Operand::Product { multiply, divide } => (multiply, divide, " * ", over),
        _ => return render(operand),
    };
    let mut side = |operands: &[Operand]| {
        let parts: Vec<String> = operands.iter().map(&mut render).collect();
        format!("({})", parts.join(join))
    };
    let positive = side(positive);
    if negative.is_empty() {
        return positive;
    }
    format!("({positive}{split}{})", side(negative))
}

/// How a target writes a brace that is only a brace, so that it is never read as a piped
/// value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Braces {
    /// As it is: the target pipes nothing (FHIR R4).
    Plain,
    /// As it is, but never right after a `$`: XLSForm reads `${name}` as a reference.
    NotAfterDollar,
    /// Followed by a word joiner (U+2060, invisible): SurveyJS reads `{name}` as a reference
    /// wherever it stands, and finds no name that starts with one.
    Joined,
}

/// The word joiner that keeps a brace from opening a reference.
const WORD_JOINER: char = '\u{2060}';

/// How a target writes the texts of an instrument: each piped item as the target refers to
/// its value, and literal braces as [`Braces`] says.
pub(crate) struct Piping<'i> {
    pub instrument: &'i Instrument,
    pub braces: Braces,
    /// How the target refers to the value of an item.
    pub reference: fn(&Item) -> String,
}

impl Piping<'_> {
    pub fn text(&self, text: &Text) -> String {
        text.render(
            |literal, out| {
                for c in literal.chars() {
                    if c == '{' {
                        if self.braces == Braces::NotAfterDollar && out.ends_with('$') {
                            out.push(WORD_JOINER);
                        }
                        out.push('{');
                        if self.braces == Braces::Joined {
                            out.push(WORD_JOINER);
                        }
                    } else {
                        out.push(c);
                    }
                }
            },
            |item, out| out.push_str(&(self.reference)(self.instrument.item(item))),
        )
    }

    /// Each of `texts`, rendered.
    pub fn texts(&self, texts: &[Text]) -> Vec<String> {
        texts.iter().map(|text| self.text(text)).collect()
    }
}

/// Whether an item is answered with an amount, whose piped value is the amount's number.
pub(crate) fn is_amount(item: &Item) -> bool {
    matches!(item.answer, Some(crate::model::AnswerType::Amount { .. }))
}

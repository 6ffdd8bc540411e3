//! Emitters: each output format is one module that reads the checked model. What an export
//! cannot hold as qc does is a [`Loss`]: a coded warning, never dropped silently.

pub mod fhir;
pub mod json;
pub mod jsonlogic;
pub mod response_schema;
pub mod surveyjs;
pub mod xlsform;

use std::fmt;

use miette::Diagnostic;
use serde_json::Value;
use thiserror::Error;

use crate::model::{Condition, Operand};
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
#[error("{target}: `{item}`: {}", what.message(*target))]
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
    /// The conditions on fields of a record are not carried.
    FieldConditions,
    /// An amount becomes a group of a number and a currency.
    Amount,
    /// The allowed currencies of an amount are not enforced.
    Currencies,
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
                "the number of records is not bounded: {name} repeats have no minimum or maximum"
            ),
            Lost::RecordCountFromAnswer => match target {
                Target::Surveyjs => "a number of records read from an answer is not enforced by the form; `qc validate` checks it".into(),
                _ => "a number of records read from an answer is not carried; `qc validate` checks it".into(),
            },
            Lost::FieldConditions => {
                "the conditions on fields of a record are not carried; `qc validate` checks them"
                    .into()
            }
            Lost::Amount => "amount: a group of a decimal value and a currency code".into(),
            Lost::Currencies => {
                "the allowed currencies are not enforced by the form; `qc validate` checks them"
                    .into()
            }
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
        }
    }
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

/// The ids of the items answered with an amount, whose piped value is the amount's number.
pub(crate) fn amounts(instrument: &crate::model::Instrument) -> rustc_hash::FxHashSet<&str> {
    instrument
        .items
        .iter()
        .filter(|item| matches!(item.answer, Some(crate::model::AnswerType::Amount { .. })))
        .map(|item| item.id.as_str())
        .collect()
}

/// How a target writes a brace that is only a brace (`{{` and `}}` in the model), so that it
/// is never read as a piped value.
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

/// A text of the model with its piped values rewritten for a target: `{id}` becomes
/// `reference(id)`, and `{{` and `}}` become braces as the target writes them.
pub(crate) fn pipe(
    text: &str,
    braces: Braces,
    mut reference: impl FnMut(&str) -> String,
) -> String {
    if !text.contains(['{', '}']) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let open = |out: &mut String| {
        match braces {
            Braces::NotAfterDollar if out.ends_with('$') => out.push(WORD_JOINER),
            _ => {}
        }
        out.push('{');
        if braces == Braces::Joined {
            out.push(WORD_JOINER);
        }
    };
    while let Some(index) = rest.find(['{', '}']) {
        out.push_str(&rest[..index]);
        let tail = &rest[index..];
        if let Some(after) = tail.strip_prefix("{{") {
            open(&mut out);
            rest = after;
            continue;
        }
        if let Some(after) = tail.strip_prefix("}}") {
            out.push('}');
            rest = after;
            continue;
        }
        match tail.starts_with('{').then(|| tail.find('}')).flatten() {
            Some(close) => {
                out.push_str(&reference(&tail[1..close]));
                rest = &tail[close + 1..];
            }
            None => {
                if tail.starts_with('{') {
                    open(&mut out);
                } else {
                    out.push('}');
                }
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Rewrites the piped values of every text under `keys` in a JSON document (see [`pipe`]).
/// Returns whether any text had one.
pub(crate) fn pipe_json(
    value: &mut serde_json::Value,
    keys: &[&str],
    braces: Braces,
    reference: &mut dyn FnMut(&str) -> String,
) -> bool {
    let mut piped = false;
    match value {
        serde_json::Value::Object(object) => {
            for (key, value) in object.iter_mut() {
                match value {
                    serde_json::Value::String(text) if keys.contains(&key.as_str()) => {
                        let mut any = false;
                        let rewritten = pipe(text, braces, |id| {
                            any = true;
                            reference(id)
                        });
                        piped |= any;
                        *text = rewritten;
                    }
                    other => piped |= pipe_json(other, keys, braces, reference),
                }
            }
        }
        serde_json::Value::Array(values) => {
            for value in values {
                piped |= pipe_json(value, keys, braces, reference);
            }
        }
        _ => {}
    }
    piped
}

#[cfg(test)]
mod tests {
    use super::{pipe, Braces};

    #[test]
    fn piped_values_are_rewritten_and_braces_unescaped() {
        let xlsform = |id: &str| format!("${{{id}}}");
        assert_eq!(
            pipe(
                "You listed {n_guides} guides {{sic}}",
                Braces::Plain,
                xlsform
            ),
            "You listed ${n_guides} guides {sic}"
        );
        assert_eq!(pipe("no braces", Braces::Plain, xlsform), "no braces");
    }

    #[test]
    fn literal_braces_never_open_a_reference() {
        let reference = |id: &str| format!("${{{id}}}");
        assert_eq!(
            pipe("costs ${{q1}} or {n}", Braces::NotAfterDollar, reference),
            "costs $\u{2060}{q1} or ${n}"
        );
        let surveyjs = |id: &str| format!("{{{id}}}");
        assert_eq!(
            pipe("{{q1}} is {q1}", Braces::Joined, surveyjs),
            "{\u{2060}q1} is {q1}"
        );
    }
}

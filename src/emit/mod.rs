//! Emitters: each output format is one module that reads the checked model.

pub mod fhir;
pub mod json;
pub mod jsonlogic;
pub mod response_schema;
pub mod surveyjs;
pub mod xlsform;

use crate::model::{Condition, Operand};

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
        .filter(|item| matches!(item.answer, Some(crate::model::Answer::Amount { .. })))
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

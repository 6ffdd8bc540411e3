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
/// `((a + b) - (c))`, with `times` and `over` the target's words for `*` and `/` (XPath's is
/// `div`). `None` for other values. Both sides are flat, however long the chain.
pub(crate) fn infix(
    operand: &Operand,
    over: &str,
    mut render: impl FnMut(&Operand) -> String,
) -> Option<String> {
    let (positive, negative, join, split) = match operand {
        Operand::Sum { add, subtract } => (add, subtract, " + ", " - "),
        Operand::Product { multiply, divide } => (multiply, divide, " * ", over),
        _ => return None,
    };
    let mut side = |operands: &[Operand]| {
        let parts: Vec<String> = operands.iter().map(&mut render).collect();
        format!("({})", parts.join(join))
    };
    let positive = side(positive);
    if negative.is_empty() {
        return Some(positive);
    }
    Some(format!("({positive}{split}{})", side(negative)))
}

/// A text of the model with its piped values rewritten for a target: `{id}` becomes
/// `reference(id)`, and `{{` and `}}` become braces.
pub(crate) fn pipe(text: &str, mut reference: impl FnMut(&str) -> String) -> String {
    if !text.contains(['{', '}']) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(index) = rest.find(['{', '}']) {
        out.push_str(&rest[..index]);
        let tail = &rest[index..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        match tail.starts_with('{').then(|| tail.find('}')).flatten() {
            Some(close) => {
                out.push_str(&reference(&tail[1..close]));
                rest = &tail[close + 1..];
            }
            None => {
                out.push_str(&tail[..1]);
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
    reference: &mut dyn FnMut(&str) -> String,
) -> bool {
    let mut piped = false;
    match value {
        serde_json::Value::Object(object) => {
            for (key, value) in object.iter_mut() {
                match value {
                    serde_json::Value::String(text) if keys.contains(&key.as_str()) => {
                        let mut any = false;
                        let rewritten = pipe(text, |id| {
                            any = true;
                            reference(id)
                        });
                        piped |= any;
                        *text = rewritten;
                    }
                    other => piped |= pipe_json(other, keys, reference),
                }
            }
        }
        serde_json::Value::Array(values) => {
            for value in values {
                piped |= pipe_json(value, keys, reference);
            }
        }
        _ => {}
    }
    piped
}

#[cfg(test)]
mod tests {
    use super::pipe;

    #[test]
    fn piped_values_are_rewritten_and_braces_unescaped() {
        let xlsform = |id: &str| format!("${{{id}}}");
        assert_eq!(
            pipe("You listed {n_guides} guides {{sic}}", xlsform),
            "You listed ${n_guides} guides {sic}"
        );
        assert_eq!(pipe("no braces", xlsform), "no braces");
    }
}

//! Emitters: each output format is one module that reads the checked model.

pub mod fhir;
pub mod json;
pub mod jsonlogic;
pub mod response_schema;
pub mod surveyjs;
pub mod xlsform;

use crate::model::Condition;

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

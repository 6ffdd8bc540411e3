//! Conditions as JsonLogic (jsonlogic.com), evaluated against the `answers` object of a reply.
//!
//! Each item is read with `{"var": "<item id>"}`. Item ids never contain a dot, so JsonLogic's
//! reading of dots as nesting never applies. An unanswered item reads as `null`; comparisons
//! of numbers, dates and texts first test that the item is answered, since JsonLogic engines
//! disagree on how `null` compares (some take it for zero).

use serde_json::{json, Value};

use crate::model::{CompareOp, Condition, Instrument, Operand};

/// The JsonLogic rule for a condition.
pub fn rule(instrument: &Instrument, condition: &Condition) -> Value {
    let var = |id: crate::model::ItemId| json!({ "var": instrument.item(id).id });
    match condition {
        Condition::Const(value) => Value::Bool(*value),
        Condition::Or(parts) => {
            json!({ "or": parts.iter().map(|p| rule(instrument, p)).collect::<Vec<_>>() })
        }
        Condition::And(parts) => {
            json!({ "and": parts.iter().map(|p| rule(instrument, p)).collect::<Vec<_>>() })
        }
        Condition::Not(inner) => json!({ "!": [rule(instrument, inner)] }),
        Condition::Answered(item) => json!({ "!==": [var(*item), null] }),
        Condition::OneOf { item, codes } => match codes.as_slice() {
            [code] => json!({ "==": [var(*item), code] }),
            codes => json!({ "in": [var(*item), codes] }),
        },
        Condition::Has { item, code } => json!({ "in": [code, var(*item)] }),
        Condition::Compare { op, lhs, rhs } => {
            let operand = |operand: &Operand| match operand {
                Operand::Item(item) => var(*item),
                Operand::Code(code) => json!(code),
                Operand::Number(value) => json!(value),
                Operand::Date(value) | Operand::Text(value) => json!(value),
            };
            let operator = match op {
                CompareOp::Eq => "==",
                CompareOp::Ne => "!=",
                CompareOp::Lt => "<",
                CompareOp::Le => "<=",
                CompareOp::Gt => ">",
                CompareOp::Ge => ">=",
            };
            if *op == CompareOp::Ne {
                // Unanswered, or answered with another value: the negation of `=`.
                let equal = Condition::Compare {
                    op: CompareOp::Eq,
                    lhs: lhs.clone(),
                    rhs: rhs.clone(),
                };
                return json!({ "!": [rule(instrument, &equal)] });
            }
            let comparison = json!({ operator: [operand(lhs), operand(rhs)] });
            let mut tests: Vec<Value> = [lhs, rhs]
                .into_iter()
                .filter_map(|side| match side {
                    Operand::Item(item) => Some(json!({ "!==": [var(*item), null] })),
                    _ => None,
                })
                .collect();
            tests.push(comparison);
            json!({ "and": tests })
        }
    }
}

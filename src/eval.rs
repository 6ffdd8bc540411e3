//! Evaluating conditions against the answers of a reply: the one evaluator every part of qc
//! uses (the validator, and anything that decides which items are asked).
//!
//! The answers are the `answers` object of a reply, keyed by item id. An item is answered when
//! its key is present and not `null`. A comparison with an unanswered item, or with a value of
//! the wrong type, is false (so `!=` is true), as in the JsonLogic the form carries.

use serde_json::{Map, Value};

use crate::model::{CompareOp, Condition, Instrument, ItemId, Operand};

/// The answers of a reply, keyed by item id.
pub type Answers = Map<String, Value>;

/// Whether a condition holds for these answers.
pub fn holds<'a>(instrument: &Instrument, condition: &'a Condition, answers: &'a Answers) -> bool {
    let answer = |item: ItemId| {
        answers
            .get(&instrument.item(item).id)
            .filter(|value| !value.is_null())
    };
    match condition {
        Condition::Const(value) => *value,
        Condition::Or(parts) => parts.iter().any(|p| holds(instrument, p, answers)),
        Condition::And(parts) => parts.iter().all(|p| holds(instrument, p, answers)),
        Condition::Not(inner) => !holds(instrument, inner, answers),
        Condition::Answered(item) => answer(*item).is_some(),
        Condition::OneOf { item, codes } => answer(*item)
            .and_then(Value::as_str)
            .is_some_and(|code| codes.iter().any(|c| c == code)),
        Condition::Has { item, code } => answer(*item)
            .and_then(Value::as_array)
            .is_some_and(|codes| codes.iter().any(|c| c.as_str() == Some(code))),
        Condition::Compare { op, lhs, rhs } => {
            let value = |operand: &'a Operand| -> Option<Scalar<'a>> {
                match operand {
                    Operand::Item(item) => Scalar::of(answer(*item)?),
                    Operand::Number(n) => Some(Scalar::Number(*n)),
                    Operand::Code(s) | Operand::Date(s) | Operand::Text(s) => Some(Scalar::Text(s)),
                }
            };
            match (value(lhs), value(rhs)) {
                (Some(a), Some(b)) => compare(*op, &a, &b),
                // Nothing to compare: only "is not equal" holds.
                _ => *op == CompareOp::Ne,
            }
        }
    }
}

/// Whether each item is asked: its condition holds and its parent is asked. Indexed by item.
pub fn enabled(instrument: &Instrument, answers: &Answers) -> Vec<bool> {
    let mut enabled = Vec::with_capacity(instrument.items.len());
    // Parents come before their children in the arena.
    for item in &instrument.items {
        let parent = item.parent.is_none_or(|parent| enabled[parent.0]);
        let own = item
            .condition
            .as_ref()
            .is_none_or(|condition| holds(instrument, condition, answers));
        enabled.push(parent && own);
    }
    enabled
}

/// A value a comparison can read.
enum Scalar<'a> {
    Number(f64),
    Text(&'a str),
}

impl<'a> Scalar<'a> {
    fn of(value: &'a Value) -> Option<Scalar<'a>> {
        match value {
            Value::Number(n) => n.as_f64().map(Scalar::Number),
            Value::String(s) => Some(Scalar::Text(s)),
            _ => None,
        }
    }
}

fn compare(op: CompareOp, a: &Scalar<'_>, b: &Scalar<'_>) -> bool {
    let ordering = match (a, b) {
        (Scalar::Number(a), Scalar::Number(b)) => a.partial_cmp(b),
        (Scalar::Text(a), Scalar::Text(b)) => Some(a.cmp(b)),
        _ => None,
    };
    let Some(ordering) = ordering else {
        return op == CompareOp::Ne;
    };
    match op {
        CompareOp::Eq => ordering.is_eq(),
        CompareOp::Ne => ordering.is_ne(),
        CompareOp::Lt => ordering.is_lt(),
        CompareOp::Le => ordering.is_le(),
        CompareOp::Gt => ordering.is_gt(),
        CompareOp::Ge => ordering.is_ge(),
    }
}

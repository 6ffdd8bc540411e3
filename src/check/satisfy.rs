//! Satisfiability, for simple cases: whether a condition can never be true (W0202), because it
//! is `false`, asks one choice for two codes at once, or bounds a number outside its range or
//! between bounds that cross. Typing conditions is `condition`'s; this only reads their model.

use rustc_hash::FxHashMap as HashMap;

use super::Checker;
use crate::arena::Arena;
use crate::model::{AnswerType, CompareOp, Condition, ItemId, Operand};

/// Why a condition can never be true, for simple cases: `false`; a choice that would need two
/// different codes at once; a number outside its bounds or between bounds that cross.
pub(super) fn never(checker: &Checker<'_>, condition: &Condition) -> Option<String> {
    match condition {
        Condition::Const(false) => Some("it is `false`".to_owned()),
        Condition::Or(parts) => {
            let all = parts.iter().all(|part| never(checker, part).is_some());
            all.then(|| "none of its alternatives can be true".to_owned())
        }
        Condition::And(parts) => parts
            .iter()
            .find_map(|part| never(checker, part))
            .or_else(|| conflicts(checker, parts)),
        other => conflicts(checker, std::slice::from_ref(other)),
    }
}

/// Whether tests joined by `and` contradict each other.
fn conflicts(checker: &Checker<'_>, tests: &[Condition]) -> Option<String> {
    let mut codes: HashMap<ItemId, Vec<&str>> = HashMap::default();
    let mut ranges: HashMap<ItemId, Range> = HashMap::default();
    for test in tests {
        let (negated, test) = match test {
            Condition::Not(inner) => (true, inner.as_ref()),
            test => (false, test),
        };
        match test {
            Condition::OneOf {
                item,
                codes: wanted,
            } => {
                let allowed = codes.entry(*item).or_insert_with(|| {
                    match &checker.walk.items.at(*item).answer {
                        Some(AnswerType::Choice { scale, .. }) => checker
                            .declared
                            .scales
                            .at(*scale)
                            .options
                            .iter()
                            .map(|option| option.code.as_str())
                            .collect(),
                        _ => Vec::new(),
                    }
                });
                allowed.retain(|code| wanted.iter().any(|w| w == code) != negated);
                if allowed.is_empty() {
                    let name = &checker.walk.items.at(*item).id;
                    return Some(format!("no answer to `{name}` passes these tests"));
                }
            }
            Condition::Compare { op, lhs, rhs } if !negated => {
                let (item, value, op) = match (lhs, rhs) {
                    (Operand::Item(item), Operand::Number(value)) => (*item, *value, *op),
                    (Operand::Number(value), Operand::Item(item)) => (*item, *value, op.flip()),
                    _ => continue,
                };
                let range = ranges.entry(item).or_insert_with(|| {
                    match &checker.walk.items.at(item).answer {
                        Some(AnswerType::Number { min, max, .. }) => Range {
                            low: min.map(|min| (min, true)),
                            high: max.map(|max| (max, true)),
                        },
                        _ => Range::default(),
                    }
                });
                range.narrow(op, value);
                if range.is_empty() {
                    let name = &checker.walk.items.at(item).id;
                    return Some(format!("no number for `{name}` passes these tests"));
                }
            }
            _ => {}
        }
    }
    None
}

/// The numbers a value may still take: each bound and whether it is included.
#[derive(Default)]
struct Range {
    low: Option<(f64, bool)>,
    high: Option<(f64, bool)>,
}

impl Range {
    fn narrow(&mut self, op: CompareOp, value: f64) {
        let raise = |low: &mut Option<(f64, bool)>, bound: (f64, bool)| {
            if low
                .is_none_or(|(v, inclusive)| bound.0 > v || (bound.0 == v && inclusive && !bound.1))
            {
                *low = Some(bound);
            }
        };
        let lower = |high: &mut Option<(f64, bool)>, bound: (f64, bool)| {
            if high
                .is_none_or(|(v, inclusive)| bound.0 < v || (bound.0 == v && inclusive && !bound.1))
            {
                *high = Some(bound);
            }
        };
        match op {
            CompareOp::Eq => {
                raise(&mut self.low, (value, true));
                lower(&mut self.high, (value, true));
            }
            CompareOp::Gt => raise(&mut self.low, (value, false)),
            CompareOp::Ge => raise(&mut self.low, (value, true)),
            CompareOp::Lt => lower(&mut self.high, (value, false)),
            CompareOp::Le => lower(&mut self.high, (value, true)),
            CompareOp::Ne => {}
        }
    }

    fn is_empty(&self) -> bool {
        match (self.low, self.high) {
            (Some((low, low_in)), Some((high, high_in))) => {
                low > high || (low == high && !(low_in && high_in))
            }
            _ => false,
        }
    }
}

//! Conditions and values as JsonLogic (jsonlogic.com).
//!
//! Rules are evaluated against the `answers` object of a reply, to which a frontend adds each
//! calculated value under its id and today's date under `@today`; a list's own logic also
//! finds the record at hand under `this`. Each item is read with `{"var": "<item id>"}`. Item
//! ids never contain a dot, so JsonLogic's reading of dots as nesting applies only where it is
//! meant: `q4.special`, `this.language`.
//!
//! An unanswered item reads as `null`, and JsonLogic engines disagree on how `null` compares
//! or adds (some take it for zero). So a comparison first tests that what it compares has a
//! value, and a value that reads items is `null` unless they all have one: the rules mean what
//! [`crate::eval`] computes.

use serde_json::{json, Value};

use crate::eval::TODAY;
use crate::model::{
    Aggregate, AnswerType, CompareOp, Condition, DateUnit, Instrument, ItemId, Operand, Reading,
};

/// The JsonLogic rule for a condition.
pub fn rule(instrument: &Instrument, condition: &Condition) -> Value {
    Rules {
        instrument,
        list: None,
    }
    .rule(condition)
}

/// The JsonLogic rule for a condition of a list's own logic, which reads the record at hand
/// under `this`.
pub fn record_rule(instrument: &Instrument, list: ItemId, condition: &Condition) -> Value {
    Rules {
        instrument,
        list: Some(list),
    }
    .rule(condition)
}

/// The JsonLogic rule that computes a value: `null` when it has none.
pub fn value(instrument: &Instrument, operand: &Operand) -> Value {
    Rules {
        instrument,
        list: None,
    }
    .guarded(operand)
}

/// The JsonLogic rule of a constraint: true when it is kept, or not tested because something
/// it compares has no value.
pub fn constraint(
    instrument: &Instrument,
    list: Option<ItemId>,
    constraint: &crate::model::Constraint,
) -> Value {
    let rules = Rules { instrument, list };
    let mut parts: Vec<Value> = constraint
        .operands()
        .into_iter()
        .map(|reading| json!({ "!": [rules.present(reading)] }))
        .collect();
    parts.push(rules.rule(&constraint.condition));
    match parts.len() {
        1 => parts.remove(0),
        _ => json!({ "or": parts }),
    }
}

struct Rules<'a> {
    instrument: &'a Instrument,
    /// The list whose record `this` is, in a list's own logic.
    list: Option<ItemId>,
}

impl Rules<'_> {
    fn var(&self, id: ItemId) -> Value {
        json!({ "var": self.instrument.item(id).id })
    }

    fn field(&self, field: usize) -> Value {
        let id = self
            .list
            .and_then(|list| match &self.instrument.item(list).answer {
                Some(AnswerType::List(list)) => list.fields.get(field).map(|f| f.id.as_str()),
                _ => None,
            });
        json!({ "var": format!("this.{}", id.unwrap_or_default()) })
    }

    /// The test that a reading has a value: answered, and not with a special answer.
    fn present(&self, reading: Reading) -> Value {
        match reading {
            Reading::Field(field) => json!({ "!==": [self.field(field), null] }),
            Reading::Item(id) => {
                let item = self.instrument.item(id);
                let answered = json!({ "!==": [self.var(id), null] });
                if item.specials.is_empty() {
                    answered
                } else {
                    let special = json!({ "var": format!("{}.special", item.id) });
                    json!({ "and": [answered, { "==": [special, null] }] })
                }
            }
        }
    }

    /// The tests that a value has one: what it needs has values, and no divisor is zero.
    fn tests(&self, operand: &Operand) -> Vec<Value> {
        let readings = operand.needed();
        let mut tests: Vec<Value> = readings.into_iter().map(|r| self.present(r)).collect();
        operand.for_each_divisor(&mut |divisor| {
            tests.push(json!({ "!=": [self.raw(divisor), 0] }));
        });
        tests
    }

    /// A value, `null` unless everything it needs has a value.
    fn guarded(&self, operand: &Operand) -> Value {
        let tests = self.tests(operand);
        let raw = self.raw(operand);
        match tests.as_slice() {
            [] => raw,
            [test] => json!({ "if": [test, raw, null] }),
            _ => json!({ "if": [{ "and": tests }, raw, null] }),
        }
    }

    /// A value, assuming everything it needs has one.
    fn raw(&self, operand: &Operand) -> Value {
        crate::stack::guard(|| {
            match operand {
                Operand::Item(id) => self.var(*id),
                Operand::Field(field) => self.field(*field),
                Operand::Code(code) => json!(code),
                Operand::Number(value) => json!(value),
                Operand::Date(value) | Operand::Text(value) => json!(value),
                Operand::Today => json!({ "var": TODAY }),
                // Flat n-ary rules, however long the chain: `{"+": [a, b, c]}`, and one `-` or
                // `/` between the two sides.
                Operand::Sum { add, subtract } => self.chain("+", add, "-", subtract),
                Operand::Product { multiply, divide } => self.chain("*", multiply, "/", divide),
                Operand::Aggregate { function, over } => {
                    let values: Vec<Value> = over.iter().map(|o| self.guarded(o)).collect();
                    let present = json!({ "filter": [values, { "!==": [{ "var": "" }, null] }] });
                    reduce(*function, present)
                }
                Operand::Records {
                    function,
                    list,
                    field,
                } => {
                    let records = self.var(*list);
                    let Some(field) = field else {
                        return reduce(Aggregate::Count, records);
                    };
                    let id = match &self.instrument.item(*list).answer {
                        Some(AnswerType::List(list)) => {
                            list.fields.get(*field).map(|f| f.id.as_str())
                        }
                        _ => None,
                    };
                    let values = json!({ "map": [records, { "var": id.unwrap_or_default() }] });
                    let present = json!({ "filter": [values, { "!==": [{ "var": "" }, null] }] });
                    reduce(*function, present)
                }
                Operand::If {
                    condition,
                    then,
                    otherwise,
                } => json!({ "if": [self.rule(condition), self.raw(then), self.raw(otherwise)] }),
                Operand::Year(date) => json!({ "+": [{ "substr": [self.raw(date), 0, 4] }] }),
                Operand::Between { unit, from, to } => {
                    between(*unit, &self.raw(from), &self.raw(to))
                }
            }
        })
    }

    /// `positive` joined by `join`, less (or over) `negative` joined the same way.
    fn chain(&self, join: &str, positive: &[Operand], split: &str, negative: &[Operand]) -> Value {
        let side = |operands: &[Operand]| match operands {
            [one] => self.raw(one),
            many => json!({ join: many.iter().map(|o| self.raw(o)).collect::<Vec<_>>() }),
        };
        if negative.is_empty() {
            return side(positive);
        }
        json!({ split: [side(positive), side(negative)] })
    }

    fn rule(&self, condition: &Condition) -> Value {
        crate::stack::guard(|| {
            match condition {
                Condition::Const(value) => Value::Bool(*value),
                Condition::Or(parts) => {
                    json!({ "or": parts.iter().map(|p| self.rule(p)).collect::<Vec<_>>() })
                }
                Condition::And(parts) => {
                    json!({ "and": parts.iter().map(|p| self.rule(p)).collect::<Vec<_>>() })
                }
                Condition::Not(inner) => json!({ "!": [self.rule(inner)] }),
                Condition::Answered(item) => json!({ "!==": [self.var(*item), null] }),
                Condition::OneOf { item, codes } => match codes.as_slice() {
                    [code] => json!({ "==": [self.var(*item), code] }),
                    codes => json!({ "in": [self.var(*item), codes] }),
                },
                Condition::Has { item, code } => json!({ "in": [code, self.var(*item)] }),
                Condition::Special { item, code } => {
                    let special = format!("{}.special", self.instrument.item(*item).id);
                    json!({ "==": [{ "var": special }, code] })
                }
                Condition::Compare { op, lhs, rhs } => {
                    if *op == CompareOp::Ne {
                        // No value, or another value: the negation of `=`.
                        let equal = Condition::Compare {
                            op: CompareOp::Eq,
                            lhs: lhs.clone(),
                            rhs: rhs.clone(),
                        };
                        return json!({ "!": [self.rule(&equal)] });
                    }
                    let operator = match op {
                        CompareOp::Eq | CompareOp::Ne => "==",
                        CompareOp::Lt => "<",
                        CompareOp::Le => "<=",
                        CompareOp::Gt => ">",
                        CompareOp::Ge => ">=",
                    };
                    let mut tests = self.tests(lhs);
                    tests.extend(self.tests(rhs));
                    tests.push(json!({ operator: [self.raw(lhs), self.raw(rhs)] }));
                    json!({ "and": tests })
                }
            }
        })
    }
}

/// An aggregate over an array of values that all have one.
fn reduce(function: Aggregate, values: Value) -> Value {
    let current = json!({ "var": "current" });
    let accumulator = json!({ "var": "accumulator" });
    match function {
        Aggregate::Sum => json!({ "reduce": [values, { "+": [accumulator, current] }, 0] }),
        Aggregate::Count => json!({ "reduce": [values, { "+": [accumulator, 1] }, 0] }),
        Aggregate::Min | Aggregate::Max => {
            let better = if function == Aggregate::Min { "<" } else { ">" };
            let step = json!({ "if": [
                { "or": [{ "==": [accumulator, null] }, { better: [current, accumulator] }] },
                current,
                accumulator
            ] });
            json!({ "reduce": [values, step, null] })
        }
    }
}

/// Whole days, or whole years, from one date to another, in JsonLogic, which has no dates: each
/// is taken apart with `substr`. Days count from a fixed origin, the year starting in March:
/// `365 y + y/4 - y/100 + y/400 + (153 m + 2)/5 + d` (as [`crate::eval`] counts them).
pub(crate) fn between(unit: DateUnit, from: &Value, to: &Value) -> Value {
    match unit {
        DateUnit::Days => json!({ "-": [civil_days(to), civil_days(from)] }),
        DateUnit::Years => {
            let month_day =
                |date: &Value| json!({ "+": [{ "*": [part(date, 5, 2), 100] }, part(date, 8, 2)] });
            json!({ "-": [
                { "-": [part(to, 0, 4), part(from, 0, 4)] },
                { "if": [{ "<": [month_day(to), month_day(from)] }, 1, 0] }
            ] })
        }
    }
}

/// A number written in a date: `{"+": [{"substr": [date, start, length]}]}`.
fn part(date: &Value, start: usize, length: usize) -> Value {
    json!({ "+": [{ "substr": [date, start, length] }] })
}

fn civil_days(date: &Value) -> Value {
    let month = part(date, 5, 2);
    let year = json!({ "-": [part(date, 0, 4), { "if": [{ "<=": [month, 2] }, 1, 0] }] });
    // Whole division of a number that is not negative.
    let over = |value: &Value, divisor: u32| json!({ "/": [{ "-": [value, { "%": [value, divisor] }] }, divisor] });
    let march_based = json!({ "%": [{ "+": [month, 9] }, 12] });
    json!({ "+": [
        { "*": [365, year] },
        over(&year, 4),
        { "-": [0, over(&year, 100)] },
        over(&year, 400),
        over(&json!({ "+": [{ "*": [153, march_based] }, 2] }), 5),
        part(date, 8, 2)
    ] })
}

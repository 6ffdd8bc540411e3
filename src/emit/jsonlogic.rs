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

use rustc_hash::FxHashMap;
use serde_json::{json, Map, Value};
use typed_index_collections::TiSlice;

use crate::arena::Arena;
use crate::eval::TODAY;
use crate::model::{
    Aggregate, AnswerType, CompareOp, Condition, DateUnit, Instrument, Item, ItemId, Missing,
    Operand, Reading,
};

/// The JsonLogic rule for a condition.
pub fn rule(instrument: &Instrument, condition: &Condition) -> Value {
    Rules::new(instrument, None).rule(condition)
}

/// The JsonLogic rule for a condition of a list's own logic, which reads the record at hand
/// under `this`.
pub fn record_rule(instrument: &Instrument, list: ItemId, condition: &Condition) -> Value {
    Rules::new(instrument, Some(list)).rule(condition)
}

/// The JsonLogic rule that computes a value: `null` when it has none.
pub fn value(instrument: &Instrument, operand: &Operand) -> Value {
    Rules::new(instrument, None).guarded(operand)
}

/// The JsonLogic rule that computes the currency of a calculated amount (whose value [`value`]
/// computes): the currency of the amounts it computes with.
pub fn currency(instrument: &Instrument, operand: &Operand) -> Value {
    Rules::new(instrument, None).currency(operand)
}

/// The JsonLogic rule that computes the currency of an amount computed in a record of `list`
/// (whose value [`record_value`] computes).
pub fn record_currency(instrument: &Instrument, list: ItemId, operand: &Operand) -> Value {
    Rules::new(instrument, Some(list)).currency(operand)
}

/// The JsonLogic rule that computes a value of a record of `list` from its fields (`this`):
/// `null` when it has none.
pub fn record_value(instrument: &Instrument, list: ItemId, operand: &Operand) -> Value {
    Rules::new(instrument, Some(list)).guarded(operand)
}

/// The JsonLogic rule of a constraint: true when it is kept, or not tested because something
/// it compares has no value.
pub fn constraint(
    instrument: &Instrument,
    list: Option<ItemId>,
    constraint: &crate::model::Constraint,
) -> Value {
    let rules = Rules::new(instrument, list);
    let operands = constraint.operands();
    let mut parts: Vec<Value> = operands
        .iter()
        .map(|reading| json!({ "!": [rules.present(*reading)] }))
        .collect();
    // Amounts of two currencies are not compared: the constraint is not tested.
    let mut compared = Vec::new();
    constraint
        .condition
        .for_each_compared_value(&mut |value| compared.push(value));
    parts.extend(
        rules
            .agreement_of(&compared, true)
            .into_iter()
            .map(|test| json!({ "!": [test] })),
    );
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
    /// What a field of the record is read under: `this.` in a list's own logic, nothing in
    /// the filter of an aggregate, which JsonLogic's `filter` applies to each record alone.
    record: &'static str,
}

impl<'a> Rules<'a> {
    fn new(instrument: &'a Instrument, list: Option<ItemId>) -> Rules<'a> {
        Rules {
            instrument,
            list,
            record: "this.",
        }
    }

    /// The rules of a filter over the records of `list`.
    fn filter(&self, list: ItemId) -> Rules<'a> {
        Rules {
            instrument: self.instrument,
            list: Some(list),
            record: "",
        }
    }

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
        json!({ "var": format!("{}{}", self.record, id.unwrap_or_default()) })
    }

    /// Where an amount is read, without `.value`: `price`, `this.price`, `table.row.column`;
    /// `None` for what is not an amount.
    fn amount(&self, reading: Reading) -> Option<String> {
        let list = self.list.map(|list| self.instrument.item(list));
        if !self.instrument.reads_amount(list, reading) {
            return None;
        }
        Some(match reading {
            Reading::Item(id) => self.instrument.item(id).id.clone(),
            Reading::Field(field) => match &list?.answer {
                Some(AnswerType::List(records)) => {
                    format!("{}{}", self.record, records.fields.get(field)?.id)
                }
                _ => return None,
            },
            Reading::Cell { table, row, column } => self.instrument.cell_path(table, row, column),
        })
    }

    /// The tests that the amounts `values` compute with are of one currency (see
    /// [`crate::model::Operand::for_each_currency_source`]): the first amount read with each
    /// other, `{"==": [{"var": "a.currency"}, {"var": "b.currency"}]}`; with aggregates of
    /// amounts, that the currencies of all of them are one (see [`one_currency`]). The amounts
    /// read are tested for a value before.
    fn agreement(&self, values: &[&Operand]) -> Vec<Value> {
        self.agreement_of(values, false)
    }

    /// [`Rules::agreement`]; with `alone`, also that the values of one aggregate of amounts,
    /// alone, are of one currency (which its own value already tests otherwise).
    fn agreement_of(&self, values: &[&Operand], alone: bool) -> Vec<Value> {
        let list = self.list.map(|list| self.instrument.item(list));
        let sources = self.instrument.amount_sources(list, values.iter().copied());
        let read: Vec<String> = sources
            .readings
            .iter()
            .filter_map(|reading| self.amount(*reading))
            .collect();
        if !alone && read.len() + sources.aggregates.len() < 2 {
            return Vec::new();
        }
        if sources.aggregates.is_empty() {
            return super::same_as_first(&read, |first, other| {
                json!({ "==": [
                    { "var": format!("{first}.currency") },
                    { "var": format!("{other}.currency") }
                ] })
            });
        }
        let mut lists: Vec<Value> = read
            .iter()
            .map(|path| json!([{ "var": format!("{path}.currency") }]))
            .collect();
        lists.extend(sources.aggregates.iter().map(|a| self.currencies(a)));
        vec![json!({ "!=": [one_currency(json!({ "merge": lists })), ""] })]
    }

    /// The currency of an amount, `null` for what is not one (see [`super::currency_of`]):
    /// of an aggregate, the one of its values (see [`one_currency`]).
    fn currency(&self, value: &Operand) -> Value {
        let list = self.list.map(|list| self.instrument.item(list));
        super::currency_of(self.instrument, list, value, &mut &*self)
    }

    /// The currencies of the values an aggregate of amounts takes, those that have one: of
    /// each value it is given, or of a field of each record.
    fn currencies(&self, aggregate: &Operand) -> Value {
        let present = json!({ "!==": [{ "var": "" }, null] });
        match aggregate {
            Operand::Aggregate { over, .. } => {
                let each: Vec<Value> = over
                    .iter()
                    .map(|value| {
                        let has = match value.reading() {
                            Some(reading) => self.present(reading),
                            None => json!({ "!==": [self.guarded(value), null] }),
                        };
                        json!({ "if": [has, self.currency(value), null] })
                    })
                    .collect();
                json!({ "filter": [each, present] })
            }
            Operand::Records {
                list,
                field: Some(field),
                filter,
                ..
            } => {
                let id = self.field_id(*list, *field);
                let each = json!({ "if": [
                    { "!==": [{ "var": format!("{id}.value") }, null] },
                    { "var": format!("{id}.currency") },
                    null
                ] });
                let records = self.records(*list, filter.as_deref());
                json!({ "filter": [{ "map": [records, each] }, present] })
            }
            _ => json!([]),
        }
    }

    /// The records of `list`, or those that meet `filter`.
    fn records(&self, list: ItemId, filter: Option<&Condition>) -> Value {
        let records = self.var(list);
        match filter {
            Some(filter) => json!({ "filter": [records, self.filter(list).rule(filter)] }),
            None => records,
        }
    }

    /// The id of a field of the records of `list`.
    fn field_id(&self, list: ItemId, field: usize) -> &'a str {
        match &self.instrument.item(list).answer {
            Some(AnswerType::List(list)) => list.fields.get(field).map_or("", |f| f.id.as_str()),
            _ => "",
        }
    }

    /// The test that a reading has a value: answered, and not with a special answer.
    fn present(&self, reading: Reading) -> Value {
        match reading {
            Reading::Field(field) => json!({ "!==": [self.field(field), null] }),
            Reading::Cell { table, row, column } => {
                let path = self.instrument.cell_path(table, row, column);
                let answered = json!({ "!==": [{ "var": path }, null] });
                match self.instrument.item(table).specials.is_empty() {
                    true => answered,
                    false => {
                        let special = json!({ "var": format!("{path}.special") });
                        json!({ "and": [answered, { "==": [special, null] }] })
                    }
                }
            }
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

    /// The tests that a value has one, but for its currencies (see [`Rules::agreement`]):
    /// what it needs has values, no divisor is zero, and the aggregates it computes with that
    /// may have none have one. Of a value that is given `whole` (`guarded`), an aggregate that
    /// is the whole value needs no test: it is `null` itself when it has none.
    fn tests(&self, operand: &Operand, whole: bool) -> Vec<Value> {
        let readings = operand.needed();
        let mut tests: Vec<Value> = readings.into_iter().map(|r| self.present(r)).collect();
        operand.for_each_divisor(&mut |divisor| {
            tests.push(json!({ "!=": [self.raw(divisor), 0] }));
        });
        let list = self.list.map(|list| self.instrument.item(list));
        operand.for_each_currency_source(&mut |source| {
            if let crate::model::Source::Aggregate(aggregate) = source {
                let itself = whole && std::ptr::eq(aggregate, operand);
                if !itself && may_have_none(self.instrument, list, aggregate) {
                    tests.push(json!({ "!==": [self.raw(aggregate), null] }));
                }
            }
        });
        tests
    }

    /// A value, `null` unless everything it needs has a value.
    fn guarded(&self, operand: &Operand) -> Value {
        let mut tests = self.tests(operand, true);
        tests.extend(self.agreement(&[operand]));
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
            // An amount is computed with by its value.
            if let Some(path) = operand.reading().and_then(|reading| self.amount(reading)) {
                return json!({ "var": format!("{path}.value") });
            }
            match operand {
                Operand::Item(id) => self.var(*id),
                Operand::Field(field) => self.field(*field),
                Operand::Cell { table, row, column } => {
                    json!({ "var": self.instrument.cell_path(*table, *row, *column) })
                }
                Operand::Score(item) => {
                    let (scores, multiple) = self.instrument.scores(*item).unwrap_or_default();
                    score(&self.instrument.item(*item).id, &scores, multiple)
                }
                Operand::Code(code) => json!(code),
                Operand::Number(value) => json!(value),
                Operand::Date(value) | Operand::Text(value) => json!(value),
                Operand::Today => json!({ "var": TODAY }),
                // Flat n-ary rules, however long the chain: `{"+": [a, b, c]}`, and one `-` or
                // `/` between the two sides.
                Operand::Sum { add, subtract } => self.chain("+", add, "-", subtract),
                Operand::Product { multiply, divide } => self.chain("*", multiply, "/", divide),
                Operand::Aggregate {
                    function,
                    over,
                    missing,
                } => {
                    let values: Vec<Value> = over.iter().map(|o| self.guarded(o)).collect();
                    let present = json!({ "filter": [values, { "!==": [{ "var": "" }, null] }] });
                    let value = unless_missing(*function, present, *missing, json!(over.len()));
                    self.in_one_currency(operand, value)
                }
                Operand::Records {
                    function,
                    list,
                    field,
                    filter,
                    missing,
                } => {
                    let records = self.records(*list, filter.as_deref());
                    let Some(field) = field else {
                        return reduce(Aggregate::Count, records);
                    };
                    let id = self.field_id(*list, *field);
                    let list_item = self.instrument.item(*list);
                    // An amount by its value.
                    let id = match self
                        .instrument
                        .reads_amount(Some(list_item), Reading::Field(*field))
                    {
                        true => format!("{id}.value"),
                        false => id.to_owned(),
                    };
                    let counted = reduce(Aggregate::Count, records.clone());
                    let values = json!({ "map": [records, { "var": id }] });
                    let present = json!({ "filter": [values, { "!==": [{ "var": "" }, null] }] });
                    let value = unless_missing(*function, present, *missing, counted);
                    self.in_one_currency(operand, value)
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

    /// An aggregate's value; of amounts, `null` unless they have one currency (none when they
    /// are none): `{"if": [<their one currency>, value, null]}`.
    fn in_one_currency(&self, aggregate: &Operand, value: Value) -> Value {
        let list = self.list.map(|list| self.instrument.item(list));
        match self.instrument.is_amount(list, aggregate) {
            true => json!({ "if": [one_currency(self.currencies(aggregate)), value, null] }),
            false => value,
        }
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
                Condition::Unique { list, field } => {
                    let list_item = self.instrument.item(*list);
                    let field = match &list_item.answer {
                        Some(AnswerType::List(records)) => {
                            records.fields.get(*field).map_or("", |f| f.id.as_str())
                        }
                        _ => "",
                    };
                    unique(&list_item.id, field)
                }
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
                    let mut tests = self.tests(lhs, false);
                    tests.extend(self.tests(rhs, false));
                    tests.extend(self.agreement(&[lhs, rhs]));
                    tests.push(json!({ operator: [self.raw(lhs), self.raw(rhs)] }));
                    json!({ "and": tests })
                }
            }
        })
    }
}

impl super::CurrencyWriter for &Rules<'_> {
    type Out = Value;

    fn none(&mut self) -> Value {
        Value::Null
    }

    fn read(&mut self, reading: Reading) -> Option<Value> {
        let path = self.amount(reading)?;
        Some(json!({ "var": format!("{path}.currency") }))
    }

    fn choose(&mut self, condition: &Condition, then: Value, otherwise: Value) -> Value {
        json!({ "if": [self.rule(condition), then, otherwise] })
    }

    fn aggregate(&mut self, aggregate: &Operand) -> Value {
        one_currency(self.currencies(aggregate))
    }
}

/// Whether an aggregate may have no value: one of amounts (with none, or two currencies), one
/// with `missing none`, a minimum or a maximum (of nothing).
fn may_have_none(instrument: &Instrument, list: Option<&Item>, aggregate: &Operand) -> bool {
    match aggregate {
        Operand::Aggregate {
            function, missing, ..
        }
        | Operand::Records {
            function,
            missing,
            field: Some(_),
            ..
        } => {
            matches!(function, Aggregate::Min | Aggregate::Max)
                || *missing == Missing::None
                || instrument.is_amount(list, aggregate)
        }
        _ => false,
    }
}

/// The one currency of a list of currencies: `null` when it is empty, `""` when it has two.
/// A `reduce` that keeps the first and turns to `""` at another.
fn one_currency(currencies: Value) -> Value {
    let current = json!({ "var": "current" });
    let accumulator = json!({ "var": "accumulator" });
    json!({ "reduce": [
        currencies,
        { "if": [
            { "==": [accumulator, null] }, current,
            { "==": [accumulator, current] }, accumulator,
            ""
        ] },
        null
    ] })
}

/// `unique(list.field)`: the field's values across the records (those with one) are as many as
/// their distinct values, which a `reduce` gathers.
fn unique(list: &str, field: &str) -> Value {
    let values = json!({ "filter": [
        { "map": [{ "var": list }, { "var": field }] },
        { "!==": [{ "var": "" }, null] }
    ] });
    let current = json!({ "var": "current" });
    let accumulator = json!({ "var": "accumulator" });
    let distinct = json!({ "reduce": [
        values,
        { "if": [
            { "in": [current, accumulator] },
            accumulator,
            { "merge": [accumulator, [current]] }
        ] },
        []
    ] });
    json!({ "==": [reduce(Aggregate::Count, distinct), reduce(Aggregate::Count, values)] })
}

/// An aggregate over `present`, the values that have one; with `missing none`, `null` unless
/// they are as many as `expected`, the values (or records) it is given.
fn unless_missing(function: Aggregate, present: Value, missing: Missing, expected: Value) -> Value {
    match missing {
        Missing::Skip => reduce(function, present),
        Missing::None => json!({ "if": [
            { "==": [reduce(Aggregate::Count, present.clone()), expected] },
            reduce(function, present),
            null
        ] }),
    }
}

/// The values an aggregate `unless_missing` writes must all have, as it writes them: `Some`
/// of what they must be as many as, when `test` and `value` are its test and its aggregate.
fn unless_missing_read<'v>(test: &'v Value, value: &Value) -> Option<&'v Value> {
    let [counted, expected] = test.get("==")?.as_array()?.as_slice() else {
        return None;
    };
    let present = value.get("reduce")?.get(0)?;
    (*counted == reduce(Aggregate::Count, present.clone())).then_some(expected)
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

// Reading rules back: the inverse of the writers above, for the rules they write. A form may
// come from anyone, so a rule of another shape is refused with the JSON pointer of its place.

/// Why a rule is not one qc writes: where it is (a JSON pointer into the form), and what.
#[derive(Clone, Debug, PartialEq)]
pub struct Unreadable {
    pub pointer: String,
    pub message: String,
}

type Result<T> = std::result::Result<T, Unreadable>;

fn fail<T>(pointer: &str, message: impl Into<String>) -> Result<T> {
    Err(Unreadable {
        pointer: pointer.to_owned(),
        message: message.into(),
    })
}

fn missing(at: &str, key: &str) -> Unreadable {
    Unreadable {
        pointer: at.to_owned(),
        message: format!("missing `{key}`"),
    }
}

fn object<'v>(value: &'v Value, at: &str) -> Result<&'v Map<String, Value>> {
    match value {
        Value::Object(object) => Ok(object),
        _ => fail(at, "expected an object"),
    }
}

/// Reads rules over the items of a form being read: `ids` names each item.
pub struct Decoder<'a> {
    pub items: &'a TiSlice<ItemId, Item>,
    pub ids: &'a FxHashMap<String, ItemId>,
    /// The scales of the form, whose options' scores `score(q)` reads.
    pub scales: &'a TiSlice<crate::model::ScaleId, crate::model::Scale>,
}

impl Decoder<'_> {
    /// Reads a JsonLogic rule of the forms `emit::jsonlogic` writes.
    pub fn condition(&self, rule: &Value, at: &str) -> Result<Condition> {
        crate::stack::guard(|| self.record_condition(rule, None, at))
    }

    /// Reads a condition; in a list's own logic, `this.field` reads a field of `list`.
    pub fn record_condition(
        &self,
        rule: &Value,
        list: Option<ItemId>,
        at: &str,
    ) -> Result<Condition> {
        crate::stack::guard(|| {
            if let Value::Bool(value) = rule {
                return Ok(Condition::Const(*value));
            }
            let object = object(rule, at)?;
            let [(operator, arguments)] = object.iter().collect::<Vec<_>>()[..] else {
                return fail(at, "a JsonLogic rule has exactly one operator");
            };
            let arguments: Vec<&Value> = match arguments {
                Value::Array(values) => values.iter().collect(),
                value => vec![value],
            };
            let parts = |reader: &Decoder<'_>| -> Result<Vec<Condition>> {
                arguments
                    .iter()
                    .enumerate()
                    .map(|(i, a)| reader.record_condition(a, list, &format!("{at}/{operator}/{i}")))
                    .collect()
            };
            Ok(match (operator.as_str(), arguments.as_slice()) {
                ("or", _) => Condition::Or(parts(self)?),
                ("and", [guards @ .., last])
                    if is_comparison(last) && guards.iter().all(|guard| is_guard(guard, last)) =>
                {
                    self.record_condition(last, list, at)?
                }
                ("and", _) => Condition::And(parts(self)?),
                ("!", [inner]) => Condition::Not(Box::new(self.record_condition(inner, list, at)?)),
                ("!==", [var, Value::Null]) => Condition::Answered(self.var(var, at)?),
                ("==", _) if unique_read(rule).is_some() => {
                    let (list, field) = unique_read(rule).unwrap_or_default();
                    let records = self.var(&serde_json::json!({ "var": list }), at)?;
                    Condition::Unique {
                        list: records,
                        field: self.field_index(Some(records), field, at)?,
                    }
                }
                ("in", [var @ Value::Object(_), Value::Array(codes)]) => Condition::OneOf {
                    item: self.var(var, at)?,
                    codes: codes
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect(),
                },
                ("in", [Value::String(code), var]) => Condition::Has {
                    item: self.var(var, at)?,
                    code: code.clone(),
                },
                ("==", [var @ Value::Object(_), Value::String(code)])
                    if special_of(var).is_some() =>
                {
                    let name = special_of(var).unwrap_or_default();
                    Condition::Special {
                        item: self.var(&serde_json::json!({ "var": name }), at)?,
                        code: code.clone(),
                    }
                }
                ("==", [var @ Value::Object(_), Value::String(code)]) if self.is_choice(var) => {
                    Condition::OneOf {
                        item: self.var(var, at)?,
                        codes: vec![code.clone()],
                    }
                }
                (op, [lhs, rhs]) => {
                    let op = match op {
                        "==" => CompareOp::Eq,
                        "!=" => CompareOp::Ne,
                        "<" => CompareOp::Lt,
                        "<=" => CompareOp::Le,
                        ">" => CompareOp::Gt,
                        ">=" => CompareOp::Ge,
                        other => {
                            return fail(at, format!("unsupported JsonLogic operator `{other}`"))
                        }
                    };
                    let literal = if self.is_date(lhs) || self.is_date(rhs) {
                        Literal::Date
                    } else if self.is_choice_in(lhs, list) || self.is_choice_in(rhs, list) {
                        Literal::Code
                    } else {
                        Literal::Text
                    };
                    Condition::Compare {
                        op,
                        lhs: self.value(lhs, literal, list, at)?,
                        rhs: self.value(rhs, literal, list, at)?,
                    }
                }
                (other, _) => return fail(at, format!("unsupported JsonLogic rule `{other}`")),
            })
        })
    }

    pub fn var(&self, value: &Value, at: &str) -> Result<ItemId> {
        let Some(name) = value.get("var").and_then(Value::as_str) else {
            return fail(at, "expected `{\"var\": \"<item id>\"}`");
        };
        self.ids.get(name).copied().ok_or_else(|| Unreadable {
            pointer: at.to_owned(),
            message: format!("a rule reads unknown item `{name}`"),
        })
    }

    fn item_of(&self, value: &Value) -> Option<&Item> {
        let name = value.get("var")?.as_str()?;
        Some(self.items.at(*self.ids.get(name)?))
    }

    /// Whether a value is a choice: an item answered with one, or, in a list's own logic, a
    /// field of the record at hand (`this.field`) that is.
    fn is_choice_in(&self, value: &Value, list: Option<ItemId>) -> bool {
        let field = value
            .get("var")
            .and_then(Value::as_str)
            .and_then(|name| name.strip_prefix("this."));
        match (field, list.map(|list| &self.items.at(list).answer)) {
            (Some(field), Some(Some(AnswerType::List(records)))) => records
                .fields
                .iter()
                .find(|f| f.id == field)
                .is_some_and(|f| matches!(f.answer, AnswerType::Choice { .. })),
            (Some(_), _) => false,
            (None, _) => self.is_choice(value),
        }
    }

    fn is_choice(&self, value: &Value) -> bool {
        self.item_of(value)
            .is_some_and(|item| matches!(item.answer, Some(AnswerType::Choice { .. })))
    }

    fn is_date(&self, value: &Value) -> bool {
        value.get("var").and_then(Value::as_str) == Some(TODAY)
            || self
                .item_of(value)
                .is_some_and(|item| matches!(item.answer, Some(AnswerType::Date)))
    }

    /// The operands of a sum or a product.
    fn numbers<'v>(
        &self,
        values: impl IntoIterator<Item = &'v Value>,
        list: Option<ItemId>,
        at: &str,
    ) -> Result<Vec<Operand>> {
        values
            .into_iter()
            .map(|value| self.value(value, Literal::Text, list, at))
            .collect()
    }

    /// One side of a `-` or a `/`: the operands of a `join` rule of two or more (`{"+": [a,
    /// b]}` for `-`), or one value.
    fn side(
        &self,
        join: &str,
        value: &Value,
        list: Option<ItemId>,
        at: &str,
    ) -> Result<Vec<Operand>> {
        if let Some(object) = value.as_object().filter(|object| object.len() == 1) {
            if let Some(Value::Array(values)) = object.get(join) {
                if values.len() >= 2 {
                    return self.numbers(values, list, at);
                }
            }
        }
        self.numbers([value], list, at)
    }

    /// Reads a value; a text in it is read as `literal` says.
    pub fn value(
        &self,
        value: &Value,
        literal: Literal,
        list: Option<ItemId>,
        at: &str,
    ) -> Result<Operand> {
        crate::stack::guard(|| {
            let object = match value {
                Value::Object(object) => object,
                Value::Number(n) => return Ok(Operand::Number(n.as_f64().unwrap_or(f64::NAN))),
                Value::String(s) => {
                    return Ok(match literal {
                        Literal::Text => Operand::Text(s.clone()),
                        Literal::Date => Operand::Date(s.clone()),
                        Literal::Code => Operand::Code(s.clone()),
                    })
                }
                _ => return fail(at, "unsupported value"),
            };
            let [(operator, arguments)] = object.iter().collect::<Vec<_>>()[..] else {
                return fail(at, "a JsonLogic rule has exactly one operator");
            };
            let arguments: Vec<&Value> = match arguments {
                Value::Array(values) => values.iter().collect(),
                value => vec![value],
            };
            if let Some((item, scores, multiple)) = score_read(value) {
                let id = self.var(&serde_json::json!({ "var": item }), at)?;
                // The scores the rule writes are those of the item's scale, and a multiple
                // choice is summed.
                let declared = match &self.items.at(id).answer {
                    Some(AnswerType::Choice {
                        scale,
                        multiple: many,
                    }) if *many == multiple => self.scales.get(*scale).map(|scale| {
                        scale
                            .options
                            .iter()
                            .map(|o| o.score.map(|s| (o.code.as_str(), s)))
                            .collect::<Option<Vec<_>>>()
                    }),
                    _ => None,
                };
                if declared.flatten().as_deref() != Some(scores.as_slice()) {
                    return fail(
                        at,
                        format!("`score({item})` does not read the scores of its scale"),
                    );
                }
                return Ok(Operand::Score(id));
            }
            if let Some((unit, from, to)) = between_read(value) {
                return Ok(Operand::Between {
                    unit,
                    from: Box::new(self.value(from, Literal::Date, list, at)?),
                    to: Box::new(self.value(to, Literal::Date, list, at)?),
                });
            }
            let operand = |value: &Value| self.value(value, literal, list, at).map(Box::new);
            Ok(match (operator.as_str(), arguments.as_slice()) {
                ("var", [Value::String(name)]) if name == TODAY => Operand::Today,
                // An amount, read by its value.
                ("var", [Value::String(name)]) if name.ends_with(".value") => {
                    let base = name.strip_suffix(".value").unwrap_or_default();
                    let operand =
                        self.value(&serde_json::json!({ "var": base }), literal, list, at)?;
                    let amount = match &operand {
                        Operand::Item(id) => self.items.at(*id).answer.as_ref(),
                        Operand::Field(field) => {
                            list.and_then(|list| match &self.items.at(list).answer {
                                Some(AnswerType::List(records)) => {
                                    records.fields.get(*field).map(|f| &f.answer)
                                }
                                _ => None,
                            })
                        }
                        Operand::Cell { table, .. } => match &self.items.at(*table).answer {
                            Some(AnswerType::Table(shape)) => Some(&*shape.cell),
                            _ => None,
                        },
                        _ => None,
                    };
                    if !matches!(amount, Some(AnswerType::Amount { .. })) {
                        return fail(at, format!("`{base}` is not an amount"));
                    }
                    operand
                }
                ("var", [Value::String(name)]) => match name.strip_prefix("this.") {
                    Some(field) => Operand::Field(self.field_index(list, field, at)?),
                    None if name.matches('.').count() == 2 => self.cell(name, at)?,
                    None => Operand::Item(self.var(value, at)?),
                },
                // An aggregate that has no value when one of its values has none.
                ("if", [test, value, Value::Null])
                    if unless_missing_read(test, value).is_some() =>
                {
                    let expected = unless_missing_read(test, value).unwrap_or(&Value::Null);
                    let mut operand = self.value(value, literal, list, at)?;
                    let counts = match &mut operand {
                        Operand::Aggregate { over, missing, .. } => {
                            *missing = Missing::None;
                            *expected == json!(over.len())
                        }
                        Operand::Records {
                            field: Some(_),
                            missing,
                            ..
                        } => {
                            *missing = Missing::None;
                            let records = value
                                .get("reduce")
                                .and_then(|r| r.get(0)?.get("filter")?.get(0)?.get("map")?.get(0));
                            records
                                .is_some_and(|r| *expected == reduce(Aggregate::Count, r.clone()))
                        }
                        _ => false,
                    };
                    if !counts {
                        return fail(at, "an aggregate with `missing none` counts its own values");
                    }
                    operand
                }
                // A guarded value: its tests come from the value itself.
                ("if", [_, value, Value::Null]) => self.value(value, literal, list, at)?,
                ("if", [condition, then, otherwise]) => Operand::If {
                    condition: Box::new(self.record_condition(condition, list, at)?),
                    then: operand(then)?,
                    otherwise: operand(otherwise)?,
                },
                ("+", [inner]) => match inner
                    .get("substr")
                    .and_then(Value::as_array)
                    .map(Vec::as_slice)
                {
                    Some([date, ..]) => {
                        Operand::Year(Box::new(self.value(date, Literal::Date, list, at)?))
                    }
                    _ => return fail(at, "unsupported value `+` of one operand"),
                },
                // `{"+": [a, b, c]}`; `{"-": [a, b]}` with each side a sum or one value.
                ("+", [_, _, ..]) => Operand::Sum {
                    add: self.numbers(arguments.iter().copied(), list, at)?,
                    subtract: Vec::new(),
                },
                ("*", [_, _, ..]) => Operand::Product {
                    multiply: self.numbers(arguments.iter().copied(), list, at)?,
                    divide: Vec::new(),
                },
                ("-", [lhs, rhs]) => Operand::Sum {
                    add: self.side("+", lhs, list, at)?,
                    subtract: self.side("+", rhs, list, at)?,
                },
                ("/", [lhs, rhs]) => Operand::Product {
                    multiply: self.side("*", lhs, list, at)?,
                    divide: self.side("*", rhs, list, at)?,
                },
                ("reduce", [values, step, initial]) => {
                    let function = aggregate_of(step, initial)
                        .ok_or_else(|| missing(at, "a `reduce` step qc writes"))?;
                    self.aggregate(function, values, list, at)?
                }
                (other, _) => return fail(at, format!("unsupported value `{other}`")),
            })
        })
    }

    /// What an aggregate reduces: the values of items, the records of a list, or one field of
    /// them.
    fn aggregate(
        &self,
        function: Aggregate,
        values: &Value,
        list: Option<ItemId>,
        at: &str,
    ) -> Result<Operand> {
        if let Some((records, filter)) = self.records(values, at)? {
            return Ok(Operand::Records {
                function,
                list: records,
                field: None,
                filter,
                missing: Missing::Skip,
            });
        }
        let filtered = values
            .get("filter")
            .and_then(Value::as_array)
            .and_then(|filter| filter.first())
            .ok_or_else(|| missing(at, "filter"))?;
        match filtered {
            Value::Array(over) => Ok(Operand::Aggregate {
                function,
                over: over
                    .iter()
                    .map(|value| self.value(value, Literal::Text, list, at))
                    .collect::<Result<_>>()?,
                missing: Missing::Skip,
            }),
            mapped => {
                let map = mapped
                    .get("map")
                    .and_then(Value::as_array)
                    .ok_or_else(|| missing(at, "map"))?;
                let [records, field] = map.as_slice() else {
                    return fail(at, "a `map` has a list and a field");
                };
                let (records, filter) = self
                    .records(records, at)?
                    .ok_or_else(|| missing(at, "the records of a list"))?;
                let name = field.get("var").and_then(Value::as_str).unwrap_or_default();
                // An amount is read by its value: `{"var": "cost.value"}`.
                let (name, value) = match name.strip_suffix(".value") {
                    Some(name) => (name, true),
                    None => (name, false),
                };
                let field = self.field_index(Some(records), name, at)?;
                let amount = match &self.items.at(records).answer {
                    Some(AnswerType::List(list)) => list
                        .fields
                        .get(field)
                        .is_some_and(|f| matches!(f.answer, AnswerType::Amount { .. })),
                    _ => false,
                };
                if amount != value {
                    return fail(
                        at,
                        format!("an amount is read by its value, `{name}.value`"),
                    );
                }
                Ok(Operand::Records {
                    function,
                    list: records,
                    field: Some(field),
                    filter,
                    missing: Missing::Skip,
                })
            }
        }
    }

    /// The records of a list, `{"var": "q24"}`, or those that meet a condition,
    /// `{"filter": [{"var": "q24"}, rule]}`, whose fields it reads by their ids; `None` for
    /// anything else.
    fn records(&self, value: &Value, at: &str) -> Result<Option<(ItemId, Option<Box<Condition>>)>> {
        if value.get("var").is_some() {
            return Ok(Some((self.var(value, at)?, None)));
        }
        let Some([records, rule]) = value
            .get("filter")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        else {
            return Ok(None);
        };
        if records.get("var").is_none() {
            return Ok(None);
        }
        let list = self.var(records, at)?;
        // Read the rule as a list's own logic, which reads a field `f` as `this.f`.
        let rule = as_record_logic(rule);
        let filter = self.record_condition(&rule, Some(list), &format!("{at}/filter/1"))?;
        Ok(Some((list, Some(Box::new(filter)))))
    }

    /// `{"var": "table.row.column"}`: a cell of a table.
    fn cell(&self, name: &str, at: &str) -> Result<Operand> {
        let mut parts = name.splitn(3, '.');
        let (table, row, column) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        let id = self.var(&serde_json::json!({ "var": table }), at)?;
        let Some(AnswerType::Table(shape)) = &self.items.at(id).answer else {
            return fail(at, format!("`{table}` is not a table"));
        };
        let position = |lines: &[crate::model::Heading], line: &str| {
            lines.iter().position(|heading| heading.id == line)
        };
        match (position(&shape.rows, row), position(&shape.columns, column)) {
            (Some(row), Some(column)) => Ok(Operand::Cell {
                table: id,
                row,
                column,
            }),
            _ => fail(at, format!("`{table}` has no cell `{row}.{column}`")),
        }
    }

    fn field_index(&self, list: Option<ItemId>, field: &str, at: &str) -> Result<usize> {
        let fields = match list.map(|list| &self.items.at(list).answer) {
            Some(Some(AnswerType::List(list))) => &list.fields,
            _ => return fail(at, format!("`{field}` is read outside a list")),
        };
        fields
            .iter()
            .position(|f| f.id == field)
            .ok_or_else(|| Unreadable {
                pointer: at.to_owned(),
                message: format!("no field `{field}`"),
            })
    }
}

/// How a text literal compared with a value is read: a text, a date, or a code of a choice.
#[derive(Clone, Copy)]
pub enum Literal {
    Text,
    Date,
    Code,
}

/// `days(from, to)` or `years(from, to)`, as `emit::jsonlogic::between` writes them: the dates
/// are found where that writes them, and the rule written again from them must be this one.
fn between_read(rule: &Value) -> Option<(DateUnit, &Value, &Value)> {
    let [lhs, rhs] = rule.get("-")?.as_array()?.as_slice() else {
        return None;
    };
    // The date inside `{"+": [{"substr": [date, …]}]}`.
    fn date(part: &Value) -> Option<&Value> {
        part.get("+")?.get(0)?.get("substr")?.get(0)
    }
    let (unit, from, to) = match (lhs.get("+"), lhs.get("-")) {
        (Some(terms), _) => (
            DateUnit::Days,
            date(rhs.get("+")?.get(5)?)?,
            date(terms.get(5)?)?,
        ),
        (None, Some(years)) => (DateUnit::Years, date(years.get(1)?)?, date(years.get(0)?)?),
        _ => return None,
    };
    (between(unit, from, to) == *rule).then_some((unit, from, to))
}

/// A filter's rule with each field it reads, `{"var": "f"}`, read as `{"var": "this.f"}`.
fn as_record_logic(rule: &Value) -> Value {
    crate::stack::guard(|| match rule {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .map(|(key, value)| match (key.as_str(), value) {
                    ("var", Value::String(name)) => {
                        (key.clone(), Value::String(format!("this.{name}")))
                    }
                    _ => (key.clone(), as_record_logic(value)),
                })
                .collect(),
        ),
        Value::Array(values) => Value::Array(values.iter().map(as_record_logic).collect()),
        other => other.clone(),
    })
}

/// `score(q)`: the score of the code a single choice has, `{"if": [{"==": [q, c1]}, s1, …,
/// null]}`; of a multiple choice, the sum of those of its codes, a `reduce`.
fn score(item: &str, scores: &[(&str, f64)], multiple: bool) -> Value {
    let chain = |of: Value, otherwise: Value| {
        let mut arguments = Vec::with_capacity(2 * scores.len() + 1);
        for (code, score) in scores {
            arguments.push(json!({ "==": [of.clone(), code] }));
            arguments.push(json!(score));
        }
        arguments.push(otherwise);
        json!({ "if": arguments })
    };
    match multiple {
        false => chain(json!({ "var": item }), Value::Null),
        true => json!({ "reduce": [
            { "var": item },
            { "+": [{ "var": "accumulator" }, chain(json!({ "var": "current" }), json!(0))] },
            0
        ] }),
    }
}

/// What a choice's codes score, in order: `(code, score)`.
type Scores<'v> = Vec<(&'v str, f64)>;

/// The item and what each of its codes scores, of `score(q)` as [`score`] writes it.
fn score_read(rule: &Value) -> Option<(&str, Scores<'_>, bool)> {
    let (chain, multiple) = match rule.get("reduce") {
        Some(reduce) => (reduce.get(1)?.get("+")?.get(1)?, true),
        None => (rule, false),
    };
    let arguments = chain.get("if")?.as_array()?;
    let item = match multiple {
        true => rule.get("reduce")?.get(0)?,
        false => arguments.first()?.get("==")?.get(0)?,
    }
    .get("var")?
    .as_str()?;
    let scores = arguments
        .chunks(2)
        .filter(|pair| pair.len() == 2)
        .map(|pair| {
            let code = pair.first()?.get("==")?.get(1)?.as_str()?;
            Some((code, pair.get(1)?.as_f64()?))
        })
        .collect::<Option<Vec<_>>>()?;
    (score(item, &scores, multiple) == *rule).then_some((item, scores, multiple))
}

/// The list and field of `unique(list.field)`, as [`unique`] writes it: the rule written
/// again from them must be this one.
fn unique_read(rule: &Value) -> Option<(&str, &str)> {
    let map = rule
        .get("==")?
        .get(1)?
        .get("reduce")?
        .get(0)?
        .get("filter")?
        .get(0)?
        .get("map")?;
    let list = map.get(0)?.get("var")?.as_str()?;
    let field = map.get(1)?.get("var")?.as_str()?;
    (unique(list, field) == *rule).then_some((list, field))
}

/// The item whose special answer `{"var": "q4.special"}` reads.
fn special_of(value: &Value) -> Option<&str> {
    value.get("var")?.as_str()?.strip_suffix(".special")
}

/// The aggregate a `reduce` computes, from its step and first value.
fn aggregate_of(step: &Value, initial: &Value) -> Option<Aggregate> {
    if let Some(sum) = step.get("+").and_then(Value::as_array) {
        return Some(match sum.get(1)? {
            Value::Number(_) => Aggregate::Count,
            _ => Aggregate::Sum,
        });
    }
    let test = step.get("if")?.get(0)?.get("or")?.get(1)?;
    match (test.get("<"), initial) {
        (Some(_), Value::Null) => Some(Aggregate::Min),
        (None, Value::Null) if test.get(">").is_some() => Some(Aggregate::Max),
        _ => None,
    }
}

/// Whether a rule is a comparison (or a single choice tested with `==`).
fn is_comparison(rule: &Value) -> bool {
    rule.as_object()
        .and_then(|o| o.keys().next())
        .is_some_and(|op| matches!(op.as_str(), "<" | "<=" | ">" | ">=" | "=="))
}

/// Whether `guard` is a test that `rule` has something to compare, which `rule` implies: that
/// an item it reads is answered (and not specially), or that a divisor it reads is not zero.
pub fn is_guard(guard: &Value, rule: &Value) -> bool {
    let mut read = Vec::new();
    vars(rule, &mut read);
    let mut tested = Vec::new();
    vars(guard, &mut tested);
    let shaped = guard.get("!==").is_some()
        || guard.get("!=").is_some()
        || is_same_currency(guard)
        || guard
            .get("and")
            .and_then(Value::as_array)
            .is_some_and(|parts| {
                parts.len() == 2 && parts.first().is_some_and(|part| part.get("!==").is_some())
            });
    shaped
        && !tested.is_empty()
        && tested.iter().all(|var| {
            // What an amount's value, currency and special answer are read under.
            let base = |var: &str| {
                [".special", ".currency", ".value"]
                    .iter()
                    .find_map(|suffix| var.strip_suffix(suffix))
                    .unwrap_or(var)
                    .to_owned()
            };
            read.contains(var) || read.iter().any(|read| base(read) == base(var))
        })
}

/// Whether a rule is the test that two amounts are of one currency, as `Rules::agreement` writes
/// it.
fn is_same_currency(rule: &Value) -> bool {
    let currency = |side: &Value| {
        side.get("var")
            .and_then(Value::as_str)
            .is_some_and(|name| name.ends_with(".currency"))
    };
    matches!(
        rule.get("==").and_then(Value::as_array).map(Vec::as_slice),
        Some([a, b]) if currency(a) && currency(b)
    )
}

/// The names every `var` of a rule reads.
fn vars<'v>(rule: &'v Value, out: &mut Vec<&'v str>) {
    match rule {
        Value::Object(object) => {
            for (key, value) in object {
                match (key.as_str(), value) {
                    ("var", Value::String(name)) => out.push(name),
                    _ => vars(value, out),
                }
            }
        }
        Value::Array(values) => values.iter().for_each(|value| vars(value, out)),
        _ => {}
    }
}

//! Evaluating conditions and values against the answers of a reply: the one evaluator every
//! part of qc uses (the validator, the tests, anything that decides which items are asked).
//!
//! The answers are the `answers` object of a reply, keyed by item id, to which
//! [`with_calculations`] adds each calculated value and today's date. An item is answered when
//! its key is present and not `null`; a special answer (`{"special": "dont_know"}`) is an
//! answer, but not a value.
//!
//! A value that reads an item with no value (unanswered, or answered with a special answer)
//! has none itself, except through an aggregate, which skips such items. A comparison of a
//! value that has none is false (so `!=` is true), as in the JsonLogic the form carries.

use serde_json::{Map, Value};
use typed_index_collections::TiVec;

use crate::arena::Arena;
use crate::model::{
    Aggregate, AnswerType, CompareOp, Condition, Constraint, DateUnit, Instrument, ItemId,
    ItemKind, Missing, Operand, Reading, Source,
};

/// The answers of a reply, keyed by item id.
pub type Answers = Map<String, Value>;

/// The key under which the answers hold today's date, as `YYYY-MM-DD`.
pub const TODAY: &str = "@today";

/// [`with_calculations`] for a validator that knows beforehand whether anything is computed
/// (`computes`, [`Instrument::computes`]) and in which order (`order`,
/// [`calculation_order`]): the answers themselves when nothing is.
///
/// What it computes holds only the answers that logic reads (`reads`, [`logic_reads`]), the
/// calculated values and today's date: an answer that no condition, value or constraint reads
/// (a long list, say) is not copied.
pub fn scope<'a>(
    instrument: &Instrument,
    answers: &'a Answers,
    today: &str,
    computes: bool,
    order: &[ItemId],
    reads: &[ItemId],
) -> std::borrow::Cow<'a, Answers> {
    if !computes {
        return std::borrow::Cow::Borrowed(answers);
    }
    let mut read = Answers::with_capacity(reads.len() + order.len() + 1);
    for id in reads {
        let name = &instrument.item(*id).id;
        if let Some(value) = answers.get(name) {
            read.insert(name.clone(), value.clone());
        }
    }
    std::borrow::Cow::Owned(calculate(instrument, read, today, order))
}

/// Every item whose answer a condition, a value, a constraint or a number of records reads,
/// each once.
pub fn logic_reads(instrument: &Instrument) -> Vec<ItemId> {
    let mut seen: TiVec<ItemId, bool> = instrument.items.iter().map(|_| false).collect();
    let mut mark = |id: ItemId| *seen.at_mut(id) = true;
    for (index, item) in instrument.items.iter_enumerated() {
        for read in instrument.dependencies(index) {
            mark(read);
        }
        let lists = match &item.answer {
            Some(AnswerType::List(list)) => list.constraints.as_slice(),
            _ => &[],
        };
        for constraint in item.constraints.iter().chain(lists) {
            constraint.condition.for_each_item(&mut mark);
        }
    }
    for section in &instrument.sections {
        for constraint in &section.constraints {
            constraint.condition.for_each_item(&mut mark);
        }
    }
    seen.iter_enumerated()
        .filter(|(_, seen)| **seen)
        .map(|(id, _)| id)
        .collect()
}

/// The code of a special answer, `{"special": "dont_know"}`; `None` for any other value.
pub fn special_code(value: &Value) -> Option<&str> {
    value.as_object()?.get("special")?.as_str()
}

/// The answers as conditions read them: with today's date, and each calculated value
/// computed (replacing whatever the reply stored), in an order where each comes after the
/// values it reads.
pub fn with_calculations(instrument: &Instrument, answers: &Answers, today: &str) -> Answers {
    computed(instrument, answers, today, &calculation_order(instrument))
}

fn computed(instrument: &Instrument, answers: &Answers, today: &str, order: &[ItemId]) -> Answers {
    calculate(instrument, answers.clone(), today, order)
}

/// `answers` with today's date, each record's computed fields and each calculated value, in
/// `order`.
fn calculate(instrument: &Instrument, mut out: Answers, today: &str, order: &[ItemId]) -> Answers {
    out.insert(TODAY.to_owned(), Value::String(today.to_owned()));
    let mut dated = Answers::new();
    dated.insert(TODAY.to_owned(), Value::String(today.to_owned()));
    for (id, item) in instrument.items.iter_enumerated() {
        let Some(AnswerType::List(list)) = &item.answer else {
            continue;
        };
        if list.fields.iter().all(|field| field.calculation.is_none()) {
            continue;
        }
        if let Some(Value::Array(records)) = out.get_mut(&item.id) {
            for record in records.iter_mut() {
                if let Value::Object(record) = record {
                    *record = with_record_values(instrument, id, record, &dated);
                }
            }
        }
    }
    for &id in order {
        let item = instrument.item(id);
        let Some(calculation) = &item.calculation else {
            continue;
        };
        let value = value(instrument, calculation, &out);
        out.insert(item.id.clone(), value);
    }
    out
}

/// A record of `list` with each computed field (`calc` in the list) computed in order,
/// replacing what the reply stored; `answers` gives today's date.
pub fn with_record_values(
    instrument: &Instrument,
    list: ItemId,
    record: &Map<String, Value>,
    answers: &Answers,
) -> Map<String, Value> {
    let mut out = record.clone();
    let Some(AnswerType::List(declared)) = &instrument.item(list).answer else {
        return out;
    };
    for field in &declared.fields {
        let Some(calculation) = &field.calculation else {
            continue;
        };
        let value = Scope {
            record: Some((list, &out)),
            ..Scope::new(instrument, answers)
        }
        .guarded(calculation)
        .map_or(Value::Null, Scalar::into_json);
        out.insert(field.id.clone(), value);
    }
    out
}

/// The value of an operand for these answers, as JSON: `null` when it has none.
pub fn value(instrument: &Instrument, operand: &Operand, answers: &Answers) -> Value {
    Scope::new(instrument, answers)
        .guarded(operand)
        .map_or(Value::Null, Scalar::into_json)
}

/// Calculated values, each after those it reads. A cycle (which the checker refuses, but a
/// form read from JSON may have) is broken where the walk meets it.
pub fn calculation_order(instrument: &Instrument) -> Vec<ItemId> {
    let calculated = |id: ItemId| instrument.item(id).kind == ItemKind::Calculated;
    // 0 new, 1 on the path, 2 done
    let mut state: TiVec<ItemId, u8> = instrument.items.iter().map(|_| 0).collect();
    let mut order = Vec::new();
    for (index, item) in instrument.items.iter_enumerated() {
        if item.kind != ItemKind::Calculated || *state.at(index) != 0 {
            continue;
        }
        let mut path: Vec<(ItemId, Vec<ItemId>)> = vec![(index, reads(instrument, index))];
        *state.at_mut(index) = 1;
        while let Some((node, next)) = path.last_mut() {
            match next.pop() {
                Some(read) if calculated(read) && *state.at(read) == 0 => {
                    *state.at_mut(read) = 1;
                    let reads = reads(instrument, read);
                    path.push((read, reads));
                }
                Some(_) => {}
                None => {
                    *state.at_mut(*node) = 2;
                    order.push(*node);
                    path.pop();
                }
            }
        }
    }
    order
}

/// The items a calculated value reads.
fn reads(instrument: &Instrument, id: ItemId) -> Vec<ItemId> {
    let mut out = Vec::new();
    if let Some(calculation) = &instrument.item(id).calculation {
        calculation.for_each_item(&mut |item| out.push(item));
    }
    out
}

/// Whether a condition holds for these answers.
pub fn holds(instrument: &Instrument, condition: &Condition, answers: &Answers) -> bool {
    Scope::new(instrument, answers).holds(condition)
}

/// Whether a condition of a list's own logic holds for one of its records.
pub fn holds_in_record(
    instrument: &Instrument,
    condition: &Condition,
    answers: &Answers,
    record: (ItemId, &Map<String, Value>),
) -> bool {
    Scope {
        record: Some(record),
        ..Scope::new(instrument, answers)
    }
    .holds(condition)
}

/// Whether a constraint is kept. It is not tested, and so kept, while something it compares
/// has no value, or a value of the wrong type.
pub fn keeps(
    instrument: &Instrument,
    constraint: &Constraint,
    answers: &Answers,
    record: Option<(ItemId, &Map<String, Value>)>,
) -> bool {
    let scope = Scope {
        record,
        ..Scope::new(instrument, answers)
    };
    // Amounts of two currencies are not compared (V0118): the constraint is not tested.
    if scope.currencies(&constraint.condition).len() > 1 {
        return true;
    }
    // An answer of the wrong type (V0102) is no value either: the constraint waits for it.
    let mut untested = false;
    constraint.condition.for_each_compared(&mut |reading| {
        untested = untested || !scope.has_value(reading);
    });
    untested || scope.holds(&constraint.condition)
}

/// The first record of a list whose `field` repeats an earlier record's value, as `(earlier,
/// later)` 0-based indexes; records without a value in the field are left out. Linear in the
/// records.
pub fn repeated(
    instrument: &Instrument,
    answers: &Answers,
    list: ItemId,
    field: usize,
) -> Option<(usize, usize)> {
    let Some(AnswerType::List(declared)) = &instrument.item(list).answer else {
        return None;
    };
    let id = &declared.fields.get(field)?.id;
    let records = answers.get(&instrument.item(list).id)?.as_array()?;
    let mut seen: rustc_hash::FxHashMap<(bool, String), usize> = Default::default();
    for (index, record) in records.iter().enumerate() {
        // Numbers by value (`2` is `2.0`), texts and codes as written.
        let key = match record.get(id).and_then(Scalar::of) {
            Some(Scalar::Number(n)) => (true, (n + 0.0).to_bits().to_string()),
            Some(Scalar::Text(text)) => (false, text),
            // An amount by value and currency: `100 EUR`.
            Some(Scalar::Amount(n, currency)) => {
                (true, format!("{} {currency}", (n + 0.0).to_bits()))
            }
            None => continue,
        };
        if let Some(earlier) = seen.insert(key, index) {
            return Some((earlier, index));
        }
    }
    None
}

/// The currencies of the amounts a constraint compares, each once, up to two: two, and qc,
/// which does not convert, does not test it (V0118).
pub fn currencies(
    instrument: &Instrument,
    constraint: &Constraint,
    answers: &Answers,
    record: Option<(ItemId, &Map<String, Value>)>,
) -> Vec<String> {
    Scope {
        record,
        ..Scope::new(instrument, answers)
    }
    .currencies(&constraint.condition)
}

/// The currencies of the amounts a value computes with (see
/// [`Operand::for_each_currency_source`]), each once, up to two: two, and the value has none.
pub fn value_currencies(
    instrument: &Instrument,
    value: &Operand,
    answers: &Answers,
    record: Option<(ItemId, &Map<String, Value>)>,
) -> Vec<String> {
    let mut currencies = Vec::new();
    Scope {
        record,
        ..Scope::new(instrument, answers)
    }
    .collect_currencies(value, &mut currencies);
    currencies
}

/// Whether each item is asked: its condition holds and its parent is asked. Indexed by item.
pub fn enabled(instrument: &Instrument, answers: &Answers) -> TiVec<ItemId, bool> {
    let mut enabled = TiVec::with_capacity(instrument.items.len());
    // Parents come before their children in the arena.
    for item in &instrument.items {
        let parent = item.parent.is_none_or(|parent| *enabled.at(parent));
        let own = item
            .condition
            .as_ref()
            .is_none_or(|condition| holds(instrument, condition, answers));
        enabled.push(parent && own);
    }
    enabled
}

/// Whether a value is one of the type an answer takes: a number for a number, a calendar date
/// for a date, a text for a text, one of the scale's codes for a single choice. Any other (an
/// answer V0102 or V0103 refuses) is no value.
fn fits(instrument: &Instrument, answer: Option<&AnswerType>, value: &Scalar) -> bool {
    match (answer, value) {
        (Some(AnswerType::Number { .. }), Scalar::Number(_)) => true,
        (Some(AnswerType::Date), Scalar::Text(text)) => is_date(text),
        (Some(AnswerType::Text { .. }), Scalar::Text(_)) => true,
        (Some(AnswerType::Amount { .. }), Scalar::Amount(..)) => true,
        (
            Some(AnswerType::Choice {
                scale,
                multiple: false,
            }),
            Scalar::Text(code),
        ) => instrument
            .scales
            .get(*scale)
            .is_some_and(|scale| scale.options.iter().any(|option| option.code == *code)),
        (
            Some(
                AnswerType::Number { .. }
                | AnswerType::Date
                | AnswerType::Text { .. }
                | AnswerType::Choice { .. }
                | AnswerType::Amount { .. },
            ),
            _,
        ) => false,
        _ => true,
    }
}

/// A value: a number, a text (dates and codes are texts), or an amount and its currency.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    Number(f64),
    Text(String),
    Amount(f64, String),
}

impl Scalar {
    /// The value of a JSON answer, if it is one: a special answer is not.
    pub fn of(value: &Value) -> Option<Scalar> {
        match value {
            Value::Number(n) => n.as_f64().map(Scalar::Number),
            Value::String(s) => Some(Scalar::Text(s.clone())),
            Value::Object(amount) => match (
                amount.get("value").and_then(Value::as_f64),
                amount.get("currency").and_then(Value::as_str),
            ) {
                (Some(value), Some(currency)) => Some(Scalar::Amount(value, currency.to_owned())),
                _ => None,
            },
            _ => None,
        }
    }

    /// As JSON: a whole number without a fraction.
    pub fn into_json(self) -> Value {
        match self {
            // Whole numbers within 2^53 are exact as integers.
            Scalar::Number(n) if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 => {
                Value::from(n as i64)
            }
            Scalar::Number(n) => serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
            Scalar::Text(s) => Value::String(s),
            Scalar::Amount(value, currency) => serde_json::json!({
                "value": Scalar::Number(value).into_json(),
                "currency": currency,
            }),
        }
    }
}

/// What conditions and values read: the answers, and the record at hand in a list's logic.
struct Scope<'a> {
    instrument: &'a Instrument,
    answers: &'a Answers,
    /// In a list's own logic: the list, and the record at hand.
    record: Option<(ItemId, &'a Map<String, Value>)>,
}

impl<'a> Scope<'a> {
    fn new(instrument: &'a Instrument, answers: &'a Answers) -> Scope<'a> {
        Scope {
            instrument,
            answers,
            record: None,
        }
    }

    fn answer(&self, item: ItemId) -> Option<&'a Value> {
        self.answers
            .get(&self.instrument.item(item).id)
            .filter(|value| !value.is_null())
    }

    fn reading(&self, reading: Reading) -> Option<Scalar> {
        match reading {
            Reading::Item(item) => Scalar::of(self.answer(item)?),
            Reading::Field(field) => self.field(field),
            Reading::Cell { table, row, column } => {
                let (_, row, column, _) = self.instrument.cell(table, row, column)?;
                Scalar::of(self.answer(table)?.get(&row.id)?.get(&column.id)?)
            }
        }
    }

    /// The currencies of the amounts that a condition's comparisons compute with (see
    /// [`Operand::for_each_currency_source`]), each once, up to two: two are enough to know
    /// they differ.
    fn currencies(&self, condition: &Condition) -> Vec<String> {
        let mut currencies: Vec<String> = Vec::new();
        condition
            .for_each_compared_value(&mut |value| self.collect_currencies(value, &mut currencies));
        currencies
    }

    /// Adds to `currencies` (up to two) those of the amounts `value` computes with: of each
    /// amount it reads that has a value, and of each value an aggregate of amounts in it takes.
    fn collect_currencies(&self, value: &Operand, currencies: &mut Vec<String>) {
        let mut add = |scalar: Option<Scalar>| {
            if let Some(Scalar::Amount(_, currency)) = scalar {
                if currencies.len() < 2 && !currencies.contains(&currency) {
                    currencies.push(currency);
                }
            }
        };
        value.for_each_currency_source(&mut |source| match source {
            Source::Reading(reading) => add(self.typed_reading(reading)),
            // Only an aggregate of amounts has currencies; it takes no aggregate (E0130), so
            // looking into it costs what it is long.
            Source::Aggregate(aggregate) if !self.is_amount(aggregate) => {}
            Source::Aggregate(Operand::Aggregate { over, .. }) => {
                for operand in over {
                    add(self.guarded(operand));
                }
            }
            Source::Aggregate(Operand::Records {
                list,
                field: Some(field),
                filter,
                ..
            }) => {
                let (_, values) = self.record_values(*list, *field, filter.as_deref());
                values.into_iter().for_each(|value| add(Some(value)));
            }
            Source::Aggregate(_) => {}
        });
    }

    /// The currency of the amounts `value` computes with: `Ok(None)` when it computes with
    /// none, `Err(())` when with two (which qc does not convert).
    fn currency(&self, value: &Operand) -> Result<Option<String>, ()> {
        let mut currencies = Vec::new();
        self.collect_currencies(value, &mut currencies);
        match currencies.len() {
            0 | 1 => Ok(currencies.pop()),
            _ => Err(()),
        }
    }

    /// The records of `list` that meet `filter` (all of them without one), each tested alone.
    fn kept_records(
        &self,
        list: ItemId,
        filter: Option<&'a Condition>,
    ) -> impl Iterator<Item = &'a Value> + '_ {
        let records = self.answer(list).and_then(Value::as_array);
        let records = records.map_or(&[][..], Vec::as_slice);
        records.iter().filter(move |record| match (filter, record) {
            (None, _) => true,
            (Some(filter), Value::Object(record)) => Scope {
                record: Some((list, record)),
                ..Scope::new(self.instrument, self.answers)
            }
            .holds(filter),
            (Some(_), _) => false,
        })
    }

    /// The values of `field` in the records of `list` that meet `filter`, those of its type,
    /// with how many records it took.
    fn record_values(
        &self,
        list: ItemId,
        field: usize,
        filter: Option<&'a Condition>,
    ) -> (usize, Vec<Scalar>) {
        let Some(AnswerType::List(declared)) = &self.instrument.item(list).answer else {
            return (0, Vec::new());
        };
        let Some(declared) = declared.fields.get(field) else {
            return (0, Vec::new());
        };
        let mut taken = 0;
        let values = self
            .kept_records(list, filter)
            .inspect(|_| taken += 1)
            .filter_map(|record| Scalar::of(record.get(&declared.id)?))
            .filter(|value| fits(self.instrument, Some(&declared.answer), value))
            .collect();
        (taken, values)
    }

    /// Whether a reading has a value of its type: a multiple choice a list of codes, anything
    /// else a value that [`fits`].
    fn has_value(&self, reading: Reading) -> bool {
        if let Reading::Item(item) = reading {
            if let Some(AnswerType::Choice { multiple: true, .. }) =
                self.instrument.item(item).answer
            {
                return self.answer(item).is_some_and(Value::is_array);
            }
        }
        self.typed_reading(reading).is_some()
    }

    /// A reading whose value is of the type its item (or field) takes (see [`fits`]).
    fn typed_reading(&self, reading: Reading) -> Option<Scalar> {
        let value = self.reading(reading)?;
        let list = self.record.map(|(list, _)| self.instrument.item(list));
        let answer = self.instrument.answer_read(list, reading);
        fits(self.instrument, answer, &value).then_some(value)
    }

    /// Whether a value is an amount, in the list's own logic when there is a record at hand.
    fn is_amount(&self, value: &Operand) -> bool {
        let list = self.record.map(|(list, _)| self.instrument.item(list));
        self.instrument.is_amount(list, value)
    }

    /// A field of the record at hand.
    fn field(&self, field: usize) -> Option<Scalar> {
        let (list, record) = self.record?;
        let Some(AnswerType::List(list)) = &self.instrument.item(list).answer else {
            return None;
        };
        Scalar::of(record.get(&list.fields.get(field)?.id)?)
    }

    fn holds(&self, condition: &Condition) -> bool {
        match condition {
            Condition::Const(value) => *value,
            Condition::Or(parts) => parts.iter().any(|p| self.holds(p)),
            Condition::And(parts) => parts.iter().all(|p| self.holds(p)),
            Condition::Not(inner) => !self.holds(inner),
            Condition::Answered(item) => self.answer(*item).is_some(),
            Condition::OneOf { item, codes } => self
                .answer(*item)
                .and_then(Value::as_str)
                .is_some_and(|code| codes.iter().any(|c| c == code)),
            Condition::Has { item, code } => self
                .answer(*item)
                .and_then(Value::as_array)
                .is_some_and(|codes| codes.iter().any(|c| c.as_str() == Some(code))),
            Condition::Special { item, code } => self
                .answer(*item)
                .and_then(|value| value.get("special"))
                .and_then(Value::as_str)
                .is_some_and(|special| special == code),
            Condition::Unique { list, field } => {
                repeated(self.instrument, self.answers, *list, *field).is_none()
            }
            Condition::Compare { op, lhs, rhs } => {
                match (self.guarded(lhs), self.guarded(rhs)) {
                    (Some(a), Some(b)) => compare(*op, &a, &b),
                    // Nothing to compare: only "is not equal" holds.
                    _ => *op == CompareOp::Ne,
                }
            }
        }
    }

    /// The value of an operand, which has none when anything it needs has none.
    fn guarded(&self, operand: &Operand) -> Option<Scalar> {
        let mut missing = false;
        operand.for_each_needed(&mut |reading| {
            missing = missing || !self.has_value(reading);
        });
        operand.for_each_divisor(&mut |divisor| {
            missing = missing || self.value(divisor) == Some(Scalar::Number(0.0));
        });
        if missing {
            return None;
        }
        // The amounts a value computes with are of one currency: qc does not convert.
        self.currency(operand).ok()?;
        self.value(operand)
    }

    /// The values of `operands` folded by `step` from `start`, left to right, with the currency
    /// of the amounts among them; none when one of them has none, is not a number or an
    /// amount, or is an amount of another currency than one before (qc does not convert).
    fn total(
        &self,
        operands: &[Operand],
        start: f64,
        step: fn(f64, f64) -> f64,
    ) -> Option<(f64, Option<String>)> {
        operands
            .iter()
            .try_fold((start, None), |(total, currency), operand| {
                match (self.value(operand)?, currency) {
                    (Scalar::Number(n), currency) => Some((step(total, n), currency)),
                    (Scalar::Amount(n, theirs), None) => Some((step(total, n), Some(theirs))),
                    (Scalar::Amount(n, theirs), Some(ours)) if theirs == ours => {
                        Some((step(total, n), Some(ours)))
                    }
                    _ => None,
                }
            })
    }

    fn value(&self, operand: &Operand) -> Option<Scalar> {
        crate::stack::guard(|| match operand {
            Operand::Item(item) => self.typed_reading(Reading::Item(*item)),
            Operand::Field(field) => self.typed_reading(Reading::Field(*field)),
            Operand::Score(item) => {
                let (scores, multiple) = self.instrument.scores(*item)?;
                let score = |code: &str| scores.iter().find(|(c, _)| *c == code).map(|(_, s)| *s);
                let answer = self.answer(*item)?;
                let total = match multiple {
                    // A code the scale lacks is no score: the answer is missing.
                    true => answer
                        .as_array()?
                        .iter()
                        .try_fold(0.0, |total, code| Some(total + score(code.as_str()?)?))?,
                    false => score(answer.as_str()?)?,
                };
                Some(Scalar::Number(total))
            }
            Operand::Cell { table, row, column } => self.typed_reading(Reading::Cell {
                table: *table,
                row: *row,
                column: *column,
            }),
            Operand::Number(n) => Some(Scalar::Number(*n)),
            Operand::Code(s) | Operand::Date(s) | Operand::Text(s) => Some(Scalar::Text(s.clone())),
            Operand::Today => self.answers.get(TODAY).and_then(Scalar::of),
            // Amounts add to amounts of their currency; numbers to numbers (the checker keeps
            // them apart).
            Operand::Sum { add, subtract } => {
                let (added, ours) = self.total(add, 0.0, |a, b| a + b)?;
                let (taken, theirs) = self.total(subtract, 0.0, |a, b| a + b)?;
                let currency = match (ours, theirs) {
                    (ours, None) => ours,
                    (Some(ours), Some(theirs)) if ours == theirs => Some(ours),
                    _ => return None,
                };
                let result = added - taken;
                result.is_finite().then(|| scaled(result, currency))
            }
            // An amount times numbers is an amount; an amount over an amount of its currency is
            // a number.
            Operand::Product { multiply, divide } => {
                let (divisor, under) = self.total(divide, 1.0, |a, b| a * b)?;
                if divisor == 0.0 {
                    return None;
                }
                let (product, over) = self.total(multiply, 1.0, |a, b| a * b)?;
                let currency = match (over, under) {
                    (over, None) => over,
                    (Some(over), Some(under)) if over == under => None,
                    _ => return None,
                };
                let result = product / divisor;
                result.is_finite().then(|| scaled(result, currency))
            }
            Operand::Aggregate {
                function,
                over,
                missing,
            } => {
                let values: Vec<Scalar> = over.iter().filter_map(|o| self.guarded(o)).collect();
                if *missing == Missing::None && values.len() < over.len() {
                    return None;
                }
                aggregate(*function, values, self.is_amount(operand))
            }
            Operand::Records {
                function,
                list,
                field,
                filter,
                missing,
            } => {
                let Some(field) = field else {
                    let count = self.kept_records(*list, filter.as_deref()).count();
                    return Some(Scalar::Number(count as f64));
                };
                let (taken, values) = self.record_values(*list, *field, filter.as_deref());
                if *missing == Missing::None && values.len() < taken {
                    return None;
                }
                aggregate(*function, values, self.is_amount(operand))
            }
            Operand::If {
                condition,
                then,
                otherwise,
            } => {
                if self.holds(condition) {
                    self.value(then)
                } else {
                    self.value(otherwise)
                }
            }
            Operand::Between { unit, from, to } => {
                let (Scalar::Text(from), Scalar::Text(to)) = (self.value(from)?, self.value(to)?)
                else {
                    return None;
                };
                let (from, to) = (civil(&from)?, civil(&to)?);
                let count = match unit {
                    DateUnit::Days => days_from_civil(to) - days_from_civil(from),
                    DateUnit::Years => {
                        let before = (to.1, to.2) < (from.1, from.2);
                        to.0 - from.0 - i64::from(before)
                    }
                };
                Some(Scalar::Number(count as f64))
            }
            Operand::Year(date) => match self.value(date)? {
                Scalar::Text(date) => date.get(..4)?.parse().ok().map(Scalar::Number),
                Scalar::Number(_) | Scalar::Amount(..) => None,
            },
        })
    }
}

/// A number, or an amount of `currency`.
fn scaled(value: f64, currency: Option<String>) -> Scalar {
    match currency {
        Some(currency) => Scalar::Amount(value, currency),
        None => Scalar::Number(value),
    }
}

/// An aggregate of `values`; of amounts (`amounts`), an amount in their one currency, and
/// none when they are of two currencies or there are none to give a currency.
fn aggregate(function: Aggregate, values: Vec<Scalar>, amounts: bool) -> Option<Scalar> {
    let mut currency: Option<&str> = None;
    let mut numbers = Vec::with_capacity(values.len());
    for value in &values {
        match value {
            Scalar::Number(n) if !amounts => numbers.push(*n),
            Scalar::Amount(n, theirs) if amounts => {
                if currency.is_some_and(|ours| ours != theirs) {
                    return None;
                }
                currency = Some(theirs);
                numbers.push(*n);
            }
            _ => {}
        }
    }
    let result = match function {
        Aggregate::Count => return Some(Scalar::Number(values.len() as f64)),
        Aggregate::Sum => numbers.iter().sum(),
        Aggregate::Min => numbers.iter().copied().reduce(f64::min)?,
        Aggregate::Max => numbers.iter().copied().reduce(f64::max)?,
    };
    match (amounts, currency) {
        (false, _) => Some(Scalar::Number(result)),
        (true, Some(currency)) => Some(Scalar::Amount(result, currency.to_owned())),
        (true, None) => None,
    }
}

fn compare(op: CompareOp, a: &Scalar, b: &Scalar) -> bool {
    let ordering = match (a, b) {
        (Scalar::Number(a), Scalar::Number(b)) => a.partial_cmp(b),
        (Scalar::Text(a), Scalar::Text(b)) => Some(a.cmp(b)),
        // An amount with an amount of its currency, or with a number in its currency; amounts
        // of two currencies are not compared (qc does not convert).
        (Scalar::Amount(a, ours), Scalar::Amount(b, theirs)) if ours == theirs => a.partial_cmp(b),
        (Scalar::Amount(a, _), Scalar::Number(b)) | (Scalar::Number(a), Scalar::Amount(b, _)) => {
            a.partial_cmp(b)
        }
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

/// The year, month and day of a date written `YYYY-MM-DD`.
fn civil(date: &str) -> Option<(i64, i64, i64)> {
    let year = date.get(0..4)?.parse().ok()?;
    let month = date.get(5..7)?.parse().ok()?;
    let day = date.get(8..10)?.parse().ok()?;
    Some((year, month, day))
}

/// Days from a fixed origin to a date: `365 y + y/4 - y/100 + y/400 + (153 m + 2)/5 + d`, with
/// the year starting in March, as the JsonLogic of `days()` computes it.
fn days_from_civil((year, month, day): (i64, i64, i64)) -> i64 {
    let year = year - i64::from(month <= 2);
    let march_based = (month + 9) % 12;
    365 * year + year / 4 - year / 100 + year / 400 + (153 * march_based + 2) / 5 + day
}

/// Today's date in UTC, as `YYYY-MM-DD`.
pub fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    civil_date(seconds / 86_400)
}

/// The calendar date of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_date(days: u64) -> String {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Whether a text is a calendar date `YYYY-MM-DD` (proleptic Gregorian).
pub fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return false;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = &text[range];
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// A number as a respondent writes it: a whole number without a fraction.
pub fn number_text(number: &serde_json::Number) -> String {
    number.as_f64().map_or_else(
        || number.to_string(),
        |n| Scalar::Number(n).into_json().to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::civil_date;

    #[test]
    fn days_between_dates_count_leap_days() {
        let days = |from: &str, to: &str| {
            super::days_from_civil(super::civil(to).unwrap())
                - super::days_from_civil(super::civil(from).unwrap())
        };
        assert_eq!(days("2024-02-28", "2024-03-01"), 2);
        assert_eq!(days("2023-02-28", "2023-03-01"), 1);
        assert_eq!(days("1970-01-01", "2026-11-29"), 20_786);
        assert_eq!(days("2000-01-01", "1999-12-31"), -1);
    }

    #[test]
    fn days_count_into_calendar_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(59), "1970-03-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_786), "2026-11-29");
    }
}

//! Conditions as a designer writes them in `.q` (`q25 = yes or q26 = yes`), for the codebook:
//! what an analyst reads to know why a column is empty.

use crate::model::{AnswerType, Condition, Instrument, Item, ItemId, Missing, Operand};

/// A condition in `.q` syntax; `list` is the list whose record `this` is, in a list's logic.
pub fn condition(instrument: &Instrument, list: Option<&Item>, condition: &Condition) -> String {
    Writer { instrument, list }.condition(condition)
}

/// A value (a calculation, an operand of a comparison) in `.q` syntax.
pub fn operand(instrument: &Instrument, list: Option<&Item>, operand: &Operand) -> String {
    Writer { instrument, list }.value(operand)
}

/// A condition written to be joined with others by `and`: in brackets if it is an `or`.
pub fn conjunct(instrument: &Instrument, list: Option<&Item>, condition: &Condition) -> String {
    let text = self::condition(instrument, list, condition);
    match condition {
        Condition::Or(_) => format!("({text})"),
        _ => text,
    }
}

struct Writer<'i> {
    instrument: &'i Instrument,
    list: Option<&'i Item>,
}

impl Writer<'_> {
    fn item(&self, id: ItemId) -> &str {
        &self.instrument.item(id).id
    }

    fn condition(&self, condition: &Condition) -> String {
        match condition {
            Condition::Const(value) => value.to_string(),
            Condition::Or(parts) => self.join(parts, " or ", |c| matches!(c, Condition::Or(_))),
            Condition::And(parts) => self.join(parts, " and ", |c| {
                matches!(c, Condition::Or(_) | Condition::And(_))
            }),
            Condition::Not(inner) => format!("not ({})", self.condition(inner)),
            Condition::Answered(item) => format!("answered({})", self.item(*item)),
            Condition::OneOf { item, codes } => match codes.as_slice() {
                [code] => format!("{} = {code}", self.item(*item)),
                _ => format!("{} in [{}]", self.item(*item), codes.join(", ")),
            },
            Condition::Has { item, code } => format!("{} has {code}", self.item(*item)),
            Condition::Special { item, code } => format!("{} = {code}", self.item(*item)),
            Condition::Compare { op, lhs, rhs } => {
                format!("{} {} {}", self.value(lhs), op.as_str(), self.value(rhs))
            }
            Condition::Unique { list, field } => {
                format!(
                    "unique({}.{})",
                    self.item(*list),
                    field_id(self.instrument.item(*list), *field)
                )
            }
        }
    }

    /// Parts joined, each that binds less tightly than the join in brackets.
    fn join(
        &self,
        parts: &[Condition],
        with: &str,
        bracket: impl Fn(&Condition) -> bool,
    ) -> String {
        parts
            .iter()
            .map(|part| match bracket(part) {
                true => format!("({})", self.condition(part)),
                false => self.condition(part),
            })
            .collect::<Vec<_>>()
            .join(with)
    }

    fn value(&self, value: &Operand) -> String {
        match value {
            Operand::Item(item) => self.item(*item).to_owned(),
            Operand::Field(index) => match self.list {
                Some(list) => format!("this.{}", field_id(list, *index)),
                None => "this".to_owned(),
            },
            Operand::Cell { table, row, column } => {
                self.instrument.cell_path(*table, *row, *column)
            }
            Operand::Code(code) => code.clone(),
            Operand::Number(number) => crate::eval::number_text(
                &serde_json::Number::from_f64(*number)
                    .unwrap_or_else(|| serde_json::Number::from(0)),
            ),
            Operand::Date(date) => date.clone(),
            Operand::Text(text) => serde_json::Value::String(text.clone()).to_string(),
            Operand::Today => "today()".to_owned(),
            Operand::Sum { add, subtract } => self.terms(add, subtract, "+", "-"),
            Operand::Product { multiply, divide } => self.terms(multiply, divide, "*", "/"),
            Operand::Aggregate {
                function,
                over,
                missing,
            } => {
                let values: Vec<String> = over.iter().map(|v| self.value(v)).collect();
                format!(
                    "{}({}{})",
                    function.as_str(),
                    values.join(", "),
                    missing_text(*missing)
                )
            }
            Operand::Records {
                function,
                list,
                field,
                filter,
                missing,
            } => {
                let item = self.instrument.item(*list);
                let over = match field {
                    Some(field) => format!("{}.{}", item.id, field_id(item, *field)),
                    None => item.id.clone(),
                };
                let filter = filter.as_ref().map_or(String::new(), |filter| {
                    let inner = Writer {
                        instrument: self.instrument,
                        list: Some(item),
                    };
                    format!(" where {}", inner.condition(filter))
                });
                format!(
                    "{}({over}{filter}{})",
                    function.as_str(),
                    missing_text(*missing)
                )
            }
            Operand::If {
                condition,
                then,
                otherwise,
            } => format!(
                "if({}, {}, {})",
                self.condition(condition),
                self.value(then),
                self.value(otherwise)
            ),
            Operand::Year(date) => format!("year({})", self.value(date)),
            Operand::Score(item) => format!("score({})", self.item(*item)),
            Operand::Between { unit, from, to } => {
                format!(
                    "{}({}, {})",
                    unit.as_str(),
                    self.value(from),
                    self.value(to)
                )
            }
        }
    }

    fn terms(&self, first: &[Operand], then: &[Operand], join: &str, inverse: &str) -> String {
        let mut out = String::new();
        let terms = first
            .iter()
            .map(|t| (join, t))
            .chain(then.iter().map(|t| (inverse, t)));
        for (index, (op, term)) in terms.enumerate() {
            if index > 0 {
                out.push_str(&format!(" {op} "));
            }
            match term {
                Operand::Sum { .. } | Operand::Product { .. } => {
                    out.push_str(&format!("({})", self.value(term)));
                }
                _ => out.push_str(&self.value(term)),
            }
        }
        out
    }
}

fn missing_text(missing: Missing) -> &'static str {
    match missing {
        Missing::Skip => "",
        Missing::None => "; missing none",
    }
}

fn field_id(list: &Item, index: usize) -> &str {
    match &list.answer {
        Some(AnswerType::List(shape)) => shape.fields.get(index).map_or("?", |f| f.id.as_str()),
        _ => "?",
    }
}

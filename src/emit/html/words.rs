//! The conditions of an instrument as the page states them in words on paper ("Answer only if
//! the answer to question 1 is “Yes”"), in any of its languages.
//!
//! The page words them itself, in the language it shows, with the option labels of that
//! language: this module gives it each condition as a tree of what it tests. A test of answers
//! is a node (`is`, `has`, `special`, `answered`); a comparison keeps its two values as the
//! formula they are, a list of written pieces (`"+"`, `"3"`) and of things the page names in
//! its language (`{"item": "q12"}`, `{"code": "yes", "item": "q1"}`, `{"today": true}`).

use serde_json::{json, Map, Value};

use crate::model::{AnswerType, Condition, Instrument, Item, ItemId, Operand};

/// The conditions of the items, of the fields of lists and of the columns of grids, by id:
/// `{"items": {id: node}, "fields": {list: {field: node}}, "columns": {grid: {column: node}}}`.
pub fn conditions(instrument: &Instrument) -> Value {
    let mut items = Map::new();
    let mut fields = Map::new();
    let mut columns = Map::new();
    for item in &instrument.items {
        let words = Words {
            instrument,
            list: None,
        };
        if let Some(condition) = &item.condition {
            items.insert(item.id.clone(), words.condition(condition));
        }
        match &item.answer {
            Some(AnswerType::List(list)) => {
                let words = Words {
                    instrument,
                    list: Some(item),
                };
                let of_list: Map<String, Value> = list
                    .fields
                    .iter()
                    .filter_map(|field| {
                        Some((field.id.clone(), words.condition(field.condition.as_ref()?)))
                    })
                    .collect();
                if !of_list.is_empty() {
                    fields.insert(item.id.clone(), Value::Object(of_list));
                }
            }
            Some(AnswerType::Grid(grid)) => {
                let of_grid: Map<String, Value> = grid
                    .columns
                    .iter()
                    .filter_map(|column| {
                        Some((
                            column.id.clone(),
                            words.condition(column.condition.as_ref()?),
                        ))
                    })
                    .collect();
                if !of_grid.is_empty() {
                    columns.insert(item.id.clone(), Value::Object(of_grid));
                }
            }
            _ => {}
        }
    }
    json!({ "items": items, "fields": fields, "columns": columns })
}

/// Words a condition read where `list`'s fields are those of the record at hand, if anywhere.
struct Words<'i> {
    instrument: &'i Instrument,
    list: Option<&'i Item>,
}

impl Words<'_> {
    fn item(&self, id: ItemId) -> Value {
        json!({ "item": self.instrument.item(id).id })
    }

    fn condition(&self, condition: &Condition) -> Value {
        match condition {
            Condition::Const(value) => json!({ "const": value }),
            Condition::Or(parts) => {
                json!({ "any": parts.iter().map(|c| self.condition(c)).collect::<Vec<_>>() })
            }
            Condition::And(parts) => {
                json!({ "all": parts.iter().map(|c| self.condition(c)).collect::<Vec<_>>() })
            }
            Condition::Not(inner) => json!({ "not": self.condition(inner) }),
            Condition::Answered(item) => json!({ "answered": self.item(*item) }),
            Condition::OneOf { item, codes } => json!({ "is": self.item(*item), "codes": codes }),
            Condition::Has { item, code } => json!({ "has": self.item(*item), "code": code }),
            Condition::Special { item, code } => {
                json!({ "special": self.item(*item), "code": code })
            }
            Condition::Compare { op, lhs, rhs } => {
                // A code compared is an option of the item or the field on the other side.
                let lhs_owner = self.owner(lhs);
                let rhs_owner = self.owner(rhs);
                let mut left = Vec::new();
                self.value(lhs, rhs_owner.as_ref(), &mut left);
                let mut right = Vec::new();
                self.value(rhs, lhs_owner.as_ref(), &mut right);
                json!({ "compare": op.as_str(), "lhs": left, "rhs": right })
            }
            Condition::Unique { list, field } => json!({
                "unique": self.item(*list),
                "field": self.field(*list, *field),
            }),
        }
    }

    /// The item or field whose options a code compared with `value` is one of.
    fn owner(&self, value: &Operand) -> Option<Value> {
        match value {
            Operand::Item(item) => Some(self.item(*item)),
            Operand::Field(index) => self.this(*index),
            _ => None,
        }
    }

    fn field(&self, list: ItemId, index: usize) -> Value {
        match &self.instrument.item(list).answer {
            Some(AnswerType::List(fields)) => fields
                .fields
                .get(index)
                .map_or(Value::Null, |field| Value::String(field.id.clone())),
            _ => Value::Null,
        }
    }

    /// A field of the record at hand, named with its list: `{"field": id, "list": id}`.
    fn this(&self, index: usize) -> Option<Value> {
        let list = self.list?;
        let Some(AnswerType::List(fields)) = &list.answer else {
            return None;
        };
        let field = fields.fields.get(index)?;
        Some(json!({ "field": field.id, "list": list.id }))
    }

    /// A value as its formula: written pieces, and what the page names.
    fn value(&self, value: &Operand, codes_of: Option<&Value>, out: &mut Vec<Value>) {
        let text = |out: &mut Vec<Value>, piece: &str| out.push(Value::String(piece.to_owned()));
        match value {
            Operand::Item(item) => out.push(self.item(*item)),
            Operand::Field(index) => out.push(self.this(*index).unwrap_or(Value::Null)),
            Operand::Cell { table, row, column } => {
                match self.instrument.cell(*table, *row, *column) {
                    Some((item, row, column, _)) => {
                        out.push(json!({ "cell": [item.id, row.id, column.id] }))
                    }
                    None => out.push(Value::Null),
                }
            }
            Operand::Code(code) => {
                let mut node = json!({ "code": code });
                if let (Some(Value::Object(owner)), Value::Object(map)) = (codes_of, &mut node) {
                    map.extend(owner.clone());
                }
                out.push(node);
            }
            Operand::Number(number) => out.push(json!(number)),
            Operand::Date(date) => text(out, date),
            Operand::Text(words) => text(out, &format!("“{words}”")),
            Operand::Today => out.push(json!({ "today": true })),
            Operand::Sum { add, subtract } => {
                self.terms(add, subtract, "+", "−", codes_of, out);
            }
            Operand::Product { multiply, divide } => {
                self.terms(multiply, divide, "×", "÷", codes_of, out);
            }
            Operand::Aggregate { function, over, .. } => {
                text(out, &format!("{}(", function.as_str()));
                for (index, part) in over.iter().enumerate() {
                    if index > 0 {
                        text(out, ", ");
                    }
                    self.value(part, codes_of, out);
                }
                text(out, ")");
            }
            Operand::Records {
                function,
                list,
                field,
                filter,
                ..
            } => {
                text(out, &format!("{}(", function.as_str()));
                out.push(self.item(*list));
                if let Some(field) = field {
                    text(out, ".");
                    out.push(json!({ "field": self.field(*list, *field), "list": self.instrument.item(*list).id }));
                }
                if let Some(filter) = filter {
                    let inner = Words {
                        instrument: self.instrument,
                        list: Some(self.instrument.item(*list)),
                    };
                    text(out, " | ");
                    out.push(json!({ "where": inner.condition(filter) }));
                }
                text(out, ")");
            }
            Operand::If {
                condition,
                then,
                otherwise,
            } => {
                text(out, "(");
                out.push(json!({ "if": self.condition(condition) }));
                text(out, " ? ");
                self.value(then, codes_of, out);
                text(out, " : ");
                self.value(otherwise, codes_of, out);
                text(out, ")");
            }
            Operand::Year(date) => {
                text(out, "year(");
                self.value(date, codes_of, out);
                text(out, ")");
            }
            Operand::Score(item) => {
                text(out, "score(");
                out.push(self.item(*item));
                text(out, ")");
            }
            Operand::Between { unit, from, to } => {
                text(out, &format!("{}(", unit.as_str()));
                self.value(from, codes_of, out);
                text(out, ", ");
                self.value(to, codes_of, out);
                text(out, ")");
            }
        }
    }

    /// `a + b − c`, `a × b ÷ c`: each term that is itself such a formula in brackets.
    fn terms(
        &self,
        first: &[Operand],
        then: &[Operand],
        join: &str,
        inverse: &str,
        codes_of: Option<&Value>,
        out: &mut Vec<Value>,
    ) {
        let terms = first
            .iter()
            .map(|t| (join, t))
            .chain(then.iter().map(|t| (inverse, t)));
        for (index, (op, term)) in terms.enumerate() {
            if index > 0 {
                out.push(Value::String(format!(" {op} ")));
            }
            let bracket = matches!(term, Operand::Sum { .. } | Operand::Product { .. });
            if bracket {
                out.push(Value::String("(".to_owned()));
            }
            self.value(term, codes_of, out);
            if bracket {
                out.push(Value::String(")".to_owned()));
            }
        }
    }
}

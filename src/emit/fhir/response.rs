//! A qc reply as a FHIR R4 QuestionnaireResponse, for the Questionnaire of [`super`]: each
//! answered item with its answers, records as repeating groups, table cells and grid rows as
//! nested items, special answers as `data-absent-reason`.

use serde_json::{json, Map, Value};

use super::{url, CURRENCIES};
use crate::model::{AnswerType, Block, Grid, Instrument, Item, ItemId, List, Table};
use crate::validate::{Options, Validator};

/// A qc reply as a FHIR R4 QuestionnaireResponse: `completed` when the reply is valid and
/// complete, `in-progress` otherwise. `today` (`YYYY-MM-DD`) is the date the reply's logic
/// reads as `today()`.
pub fn questionnaire_response(instrument: &Instrument, reply: &Value, today: &str) -> Value {
    let empty = Map::new();
    let answers = reply
        .get("answers")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let complete = Validator::new(instrument)
        .with_today(today)
        .is_valid(reply, Options { complete: true });
    // Calculated values as the answers give them, stored in the reply or not.
    let answers = &crate::eval::with_calculations(instrument, answers, today);
    let converter = Response {
        instrument,
        answers,
    };
    let items: Vec<Value> = instrument
        .sections
        .iter()
        .filter_map(|section| {
            let items: Vec<Value> = section
                .content
                .iter()
                .filter_map(|block| match block {
                    Block::Item(id) => converter.item(*id),
                    _ => None,
                })
                .flatten()
                .collect();
            (!items.is_empty())
                .then(|| json!({ "linkId": super::section_link(instrument, section), "text": section.title, "item": items }))
        })
        .collect();
    json!({
        "resourceType": "QuestionnaireResponse",
        "questionnaire": url(instrument),
        "status": if complete { "completed" } else { "in-progress" },
        "item": items,
    })
}

struct Response<'a> {
    instrument: &'a Instrument,
    answers: &'a Map<String, Value>,
}

impl Response<'_> {
    fn text(&self, text: &crate::model::Text) -> String {
        super::piping(self.instrument).text(text)
    }

    /// The response items of an item: none when nothing under it is answered; several for the
    /// records of a list (a repeating group).
    fn item(&self, id: ItemId) -> Option<Vec<Value>> {
        let item = self.instrument.item(id);
        let children: Vec<Value> = item
            .children
            .iter()
            .filter_map(|c| self.item(*c))
            .flatten()
            .collect();
        let value = self.answers.get(&item.id).filter(|v| !v.is_null());
        let mut out = json!({ "linkId": item.id, "text": self.text(&item.label) });
        if let Some(special) = value.and_then(|v| v.get("special")).and_then(Value::as_str) {
            crate::emit::set(&mut out, "extension", json!([absent(special)]));
            if !children.is_empty() {
                crate::emit::set(&mut out, "item", Value::Array(children));
            }
            return Some(vec![out]);
        }
        match (&item.answer, value) {
            (None, _) => {
                if children.is_empty() {
                    return None;
                }
                crate::emit::set(&mut out, "item", Value::Array(children));
            }
            (Some(_), None) => {
                return (!children.is_empty()).then(|| {
                    crate::emit::set(&mut out, "item", Value::Array(children));
                    vec![out]
                })
            }
            (Some(AnswerType::List(list)), Some(Value::Array(records))) => {
                return Some(self.records(item, list, records));
            }
            // A table's or grid's rows, then the items asked with it (a comment on the table).
            (Some(AnswerType::Table(table)), Some(Value::Object(rows))) => {
                let mut items = self.table(item, table, rows);
                items.extend(children);
                crate::emit::set(&mut out, "item", Value::Array(items));
            }
            (Some(AnswerType::Grid(grid)), Some(Value::Object(rows))) => {
                let mut items = self.grid(item, grid, rows);
                items.extend(children);
                crate::emit::set(&mut out, "item", Value::Array(items));
            }
            (Some(answer), Some(value)) => {
                let mut answers = values(self.instrument, answer, value);
                // The sub-items of a question go inside its answer.
                match answers.first_mut() {
                    None => return None,
                    Some(first) if !children.is_empty() => {
                        crate::emit::set(first, "item", Value::Array(children));
                    }
                    Some(_) => {}
                }
                crate::emit::set(&mut out, "answer", Value::Array(answers));
            }
        }
        Some(vec![out])
    }

    /// The records of a list: one repeating group each, with its fields.
    fn records(&self, item: &Item, list: &List, records: &[Value]) -> Vec<Value> {
        records
            .iter()
            .filter_map(Value::as_object)
            .map(|record| {
                let fields: Vec<Value> = list
                    .fields
                    .iter()
                    .filter_map(|field| {
                        let answers =
                            values(self.instrument, &field.answer, record.get(&field.id)?);
                        (!answers.is_empty()).then(|| {
                            json!({ "linkId": format!("{}_{}", item.id, field.id), "answer": answers })
                        })
                    })
                    .collect();
                json!({ "linkId": item.id, "text": self.text(&item.label), "item": fields })
            })
            .collect()
    }

    /// The rows of a table, each with its answered cells.
    fn table(&self, item: &Item, table: &Table, rows: &Map<String, Value>) -> Vec<Value> {
        table
            .rows
            .iter()
            .filter_map(|row| {
                let cells = rows.get(&row.id)?.as_object()?;
                let cells: Vec<Value> = table
                    .columns
                    .iter()
                    .filter_map(|column| {
                        let cell = cells.get(&column.id).filter(|v| !v.is_null())?;
                        let link = format!("{}_{}_{}", item.id, row.id, column.id);
                        if let Some(special) = cell.get("special").and_then(Value::as_str) {
                            return Some(json!({ "linkId": link, "extension": [absent(special)] }));
                        }
                        let answers = values(self.instrument, &table.cell, cell);
                        (!answers.is_empty()).then(|| json!({ "linkId": link, "answer": answers }))
                    })
                    .collect();
                (!cells.is_empty())
                    .then(|| json!({ "linkId": format!("{}_{}", item.id, row.id), "item": cells }))
            })
            .collect()
    }

    /// The rows of a grid, each with its ticks or its answer.
    fn grid(&self, item: &Item, grid: &Grid, rows: &Map<String, Value>) -> Vec<Value> {
        grid.rows
            .iter()
            .filter_map(|row| {
                let cell = rows.get(&row.id)?;
                let answers: Vec<Value> = match (&row.answer, cell) {
                    (Some(answer), cell) => values(self.instrument, answer, cell),
                    (None, Value::Array(ticks)) => ticks
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|c| json!({ "valueCoding": { "code": c } }))
                        .collect(),
                    _ => Vec::new(),
                };
                (!answers.is_empty()).then(
                    || json!({ "linkId": format!("{}_{}", item.id, row.id), "answer": answers }),
                )
            })
            .collect()
    }
}

/// Why an answer is missing, for a special answer: FHIR's `data-absent-reason`, from the words
/// of its code ("don't know", "refused", "not applicable"), `unknown` otherwise; the code itself
/// is kept in the extension's id.
fn absent(special: &str) -> Value {
    let code = special.to_lowercase();
    let reason = if code.contains("refus") || code.contains("declin") {
        "asked-declined"
    } else if code.contains("know") {
        "asked-unknown"
    } else if code.contains("applicable") {
        "not-applicable"
    } else {
        "unknown"
    };
    json!({
        "id": special.replace('_', "-"),
        "url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
        "valueCode": reason,
    })
}

/// The FHIR answers of one qc answer; values of the wrong type are left out.
fn values(instrument: &Instrument, answer: &AnswerType, value: &Value) -> Vec<Value> {
    let coding = |code: &str, scale: crate::model::ScaleId| {
        let display = instrument
            .scale(scale)
            .options
            .iter()
            .find(|o| o.code == code)
            .map(|o| super::piping(instrument).text(&o.label));
        json!({ "valueCoding": { "code": code, "display": display.unwrap_or_default() } })
    };
    match (answer, value) {
        (
            AnswerType::Choice {
                scale,
                multiple: false,
            },
            Value::String(code),
        ) => vec![coding(code, *scale)],
        (
            AnswerType::Choice {
                scale,
                multiple: true,
            },
            Value::Array(codes),
        ) => codes
            .iter()
            .filter_map(Value::as_str)
            .map(|c| coding(c, *scale))
            .collect(),
        (AnswerType::Text { .. }, Value::String(text)) => vec![json!({ "valueString": text })],
        (AnswerType::Date, Value::String(date)) => vec![json!({ "valueDate": date })],
        (AnswerType::Country, Value::String(code)) if crate::countries::user_assigned(code) => {
            vec![json!({ "valueString": code })]
        }
        (AnswerType::Country, Value::String(code)) => {
            let mut coding = json!({ "system": super::COUNTRIES, "code": code });
            if let Some(name) = crate::emit::country_name(instrument, code) {
                crate::emit::set(&mut coding, "display", json!(name));
            }
            vec![json!({ "valueCoding": coding })]
        }
        (AnswerType::Number { integer: true, .. }, Value::Number(n)) => n
            .as_i64()
            .map(|n| json!({ "valueInteger": n }))
            .into_iter()
            .collect(),
        (AnswerType::Number { .. }, Value::Number(n)) => vec![json!({ "valueDecimal": n })],
        (AnswerType::Amount { .. }, Value::Object(amount)) => match (
            amount.get("value").filter(|value| value.is_number()),
            amount.get("currency").and_then(Value::as_str),
        ) {
            (Some(value), Some(currency)) => vec![
                json!({ "valueQuantity": { "value": value, "unit": currency, "system": CURRENCIES, "code": currency } }),
            ],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

//! Replies and SurveyJS's `survey.data`, for the survey of `qc compile --emit surveyjs`.
//!
//! The two hold the same answers under the same ids, but for grids, amounts and numbers:
//! - a grid's rows of check boxes are a matrix that holds `{row: [column, …]}` as a reply does,
//!   but its free-text rows are questions of their own, named `<grid>_<row>`;
//! - an amount is two questions, `<name>_value` and `<name>_currency` (an item's, a record's
//!   field's, or a table's column's), where a reply holds `{value, currency}`;
//! - a number (or an amount's value) typed in a text box may arrive as a string of digits.
//!
//! SurveyJS computes the calculated values itself, and qc computes them from the answers:
//! neither direction carries them. SurveyJS has no special answers: a reply that holds one
//! cannot be written for it (a [`Problem`]).

use rustc_hash::FxHashMap;
use serde_json::{Map, Value};

use super::{holds_special, number, pointer, reply, shown, Converted, Problem};
use crate::emit::surveyjs::{amount_currency, amount_value, grid_text_row};
use crate::model::{AnswerType, Grid, Instrument, Item, ItemKind, List, Table};

/// What SurveyJS holds, as `survey.data`, for the answers of a reply.
pub fn to_data(instrument: &Instrument, reply: &Value) -> Converted {
    let mut problems = Vec::new();
    let mut data = Map::new();
    let Some(answers) = reply.get("answers").and_then(Value::as_object) else {
        problems.push(Problem {
            pointer: "/answers".to_owned(),
            message: "a reply has an object of `answers`".to_owned(),
        });
        return Converted {
            value: Value::Object(data),
            problems,
        };
    };
    let items = answered(instrument);
    for (id, value) in answers {
        let at = pointer("/answers", &[id]);
        if value.is_null() {
            continue;
        }
        let Some(item) = items.get(id.as_str()) else {
            problems.push(no_item(&at, id));
            continue;
        };
        if item.kind == ItemKind::Calculated {
            // SurveyJS computes it from the answers.
            continue;
        }
        if let Some(path) = holds_special(value) {
            let tokens: Vec<&str> = path.iter().map(String::as_str).collect();
            problems.push(Problem {
                pointer: pointer(&at, &tokens),
                message: "SurveyJS has no special answers: the export cannot hold this one"
                    .to_owned(),
            });
            continue;
        }
        match &item.answer {
            Some(AnswerType::Grid(grid)) => {
                grid_to_data(item, grid, value, &at, &mut data, &mut problems)
            }
            Some(AnswerType::Amount { .. }) => {
                split_amount(id, value, &at, &mut data, &mut problems);
            }
            Some(AnswerType::List(list)) => {
                data.insert(id.clone(), list_to_data(list, value, &at, &mut problems));
            }
            Some(AnswerType::Table(table)) if matches!(*table.cell, AnswerType::Amount { .. }) => {
                data.insert(id.clone(), table_to_data(value, &at, &mut problems));
            }
            _ => {
                data.insert(id.clone(), value.clone());
            }
        }
    }
    Converted {
        value: Value::Object(data),
        problems,
    }
}

/// An amount as SurveyJS holds it: its value and its currency, each under its own name in
/// `data`.
fn split_amount(
    name: &str,
    value: &Value,
    at: &str,
    data: &mut Map<String, Value>,
    problems: &mut Vec<Problem>,
) {
    let Some(amount) = value.as_object() else {
        problems.push(Problem {
            pointer: at.to_owned(),
            message: "an amount is an object of `value` and `currency`".to_owned(),
        });
        return;
    };
    for (key, part) in amount {
        let place = match key.as_str() {
            "value" => amount_value(name),
            "currency" => amount_currency(name),
            _ => {
                problems.push(Problem {
                    pointer: pointer(at, &[key]),
                    message: format!("an amount has no `{}`", shown(key)),
                });
                continue;
            }
        };
        data.insert(place, part.clone());
    }
}

/// A list's records as SurveyJS holds them: an amount field as two.
fn list_to_data(list: &List, value: &Value, at: &str, problems: &mut Vec<Problem>) -> Value {
    let Some(records) = value.as_array() else {
        return value.clone();
    };
    let amounts = amount_fields(list);
    let computed: Vec<&str> = list
        .fields
        .iter()
        .filter(|field| field.calculation.is_some())
        .map(|field| field.id.as_str())
        .collect();
    if amounts.is_empty() && computed.is_empty() {
        return value.clone();
    }
    let records = records.iter().enumerate().map(|(index, record)| {
        let Some(fields) = record.as_object() else {
            return record.clone();
        };
        let mut out = Map::new();
        // A computed field is left out: SurveyJS computes it in the panel.
        for (key, field) in fields
            .iter()
            .filter(|(key, _)| !computed.contains(&key.as_str()))
        {
            match amounts.contains(&key.as_str()) && !field.is_null() {
                true => {
                    let at = pointer(at, &[&index.to_string(), key]);
                    split_amount(key, field, &at, &mut out, problems);
                }
                false => {
                    out.insert(key.clone(), field.clone());
                }
            }
        }
        Value::Object(out)
    });
    Value::Array(records.collect())
}

/// A table of amounts as SurveyJS holds it: each cell as two, in the row.
fn table_to_data(value: &Value, at: &str, problems: &mut Vec<Problem>) -> Value {
    let Some(rows) = value.as_object() else {
        return value.clone();
    };
    let mut out = Map::new();
    for (row, cells) in rows {
        let Some(cells) = cells.as_object() else {
            out.insert(row.clone(), cells.clone());
            continue;
        };
        let mut split = Map::new();
        for (column, cell) in cells.iter().filter(|(_, cell)| !cell.is_null()) {
            split_amount(
                column,
                cell,
                &pointer(at, &[row, column]),
                &mut split,
                problems,
            );
        }
        out.insert(row.clone(), Value::Object(split));
    }
    Value::Object(out)
}

/// The amounts that `data` holds as two parts, joined: `<name>_value` and `<name>_currency`
/// become `name: {value, currency}` for each name of `names`; other keys stay.
fn join_amounts(data: &Map<String, Value>, names: &[&str]) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in data {
        let part = names.iter().find_map(|name| {
            if *key == amount_value(name) {
                Some((*name, "value"))
            } else if *key == amount_currency(name) {
                Some((*name, "currency"))
            } else {
                None
            }
        });
        match part {
            Some(_) if value.is_null() => {}
            Some((name, part)) => {
                let value = match (part, value) {
                    ("value", Value::String(text)) => number(text).unwrap_or(value.clone()),
                    _ => value.clone(),
                };
                let amount = out
                    .entry(name.to_owned())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(amount) = amount {
                    amount.insert(part.to_owned(), value);
                }
            }
            None => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    out
}

/// A grid's answer as SurveyJS holds it: ticks in the matrix, text rows beside it.
fn grid_to_data(
    item: &Item,
    grid: &Grid,
    value: &Value,
    at: &str,
    data: &mut Map<String, Value>,
    problems: &mut Vec<Problem>,
) {
    let Some(rows) = value.as_object() else {
        problems.push(Problem {
            pointer: at.to_owned(),
            message: "a grid's answer is an object of rows".to_owned(),
        });
        return;
    };
    let mut matrix = Map::new();
    for (row_id, cell) in rows {
        let row_at = pointer(at, &[row_id]);
        let Some(row) = grid.rows.iter().find(|row| &row.id == row_id) else {
            problems.push(Problem {
                pointer: row_at,
                message: format!("the grid has no row `{}`", shown(row_id)),
            });
            continue;
        };
        if row.answer.is_some() {
            data.insert(grid_text_row(&item.id, row_id), cell.clone());
            continue;
        }
        let Some(ticked) = cell.as_array() else {
            problems.push(Problem {
                pointer: row_at,
                message: "a row of check boxes holds the columns ticked".to_owned(),
            });
            continue;
        };
        for (index, column) in ticked.iter().enumerate() {
            if !column.is_string() {
                problems.push(Problem {
                    pointer: pointer(&row_at, &[&index.to_string()]),
                    message: "a tick is the id of a column".to_owned(),
                });
            }
        }
        matrix.insert(row_id.clone(), cell.clone());
    }
    data.insert(item.id.clone(), Value::Object(matrix));
}

/// The reply that SurveyJS's `survey.data` holds.
pub fn from_data(instrument: &Instrument, data: &Value) -> Converted {
    let mut problems = Vec::new();
    let mut answers = Map::new();
    let Some(data) = data.as_object() else {
        problems.push(Problem {
            pointer: String::new(),
            message: "SurveyJS's data is an object of answers".to_owned(),
        });
        return Converted {
            value: reply(instrument, answers),
            problems,
        };
    };
    // An amount's parts are questions of their own.
    let amounts: Vec<&str> = instrument
        .items
        .iter()
        .filter(|item| matches!(item.answer, Some(AnswerType::Amount { .. })))
        .map(|item| item.id.as_str())
        .collect();
    let joined = join_amounts(data, &amounts);
    let data = &joined;
    // A grid's text rows are questions of their own.
    let items = answered(instrument);
    let mut text_rows = FxHashMap::default();
    for item in &instrument.items {
        if let Some(AnswerType::Grid(grid)) = &item.answer {
            for row in grid.rows.iter().filter(|row| row.answer.is_some()) {
                text_rows.insert(grid_text_row(&item.id, &row.id), (item, row.id.as_str()));
            }
        }
    }
    for (key, value) in data {
        let at = pointer("", &[key]);
        if value.is_null() {
            continue;
        }
        if let Some((grid, row)) = text_rows.get(key.as_str()) {
            let rows = answers
                .entry(grid.id.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(rows) = rows {
                rows.insert((*row).to_owned(), value.clone());
            }
            continue;
        }
        let Some(item) = items.get(key.as_str()) else {
            problems.push(no_item(&at, key));
            continue;
        };
        if item.kind == ItemKind::Calculated {
            // qc computes it from the answers.
            continue;
        }
        let read = match &item.answer {
            Some(AnswerType::Grid(grid)) => grid_from_data(grid, value, &at, &mut problems),
            Some(answer) => Some(read_value(answer, value)),
            None => None,
        };
        if let Some(read) = read {
            match (answers.get_mut(key), read) {
                // The text rows read first, the ticks join them.
                (Some(Value::Object(rows)), Value::Object(ticks)) => rows.extend(ticks),
                (_, read) => {
                    answers.insert(key.clone(), read);
                }
            }
        }
    }
    Converted {
        value: reply(instrument, answers),
        problems,
    }
}

/// A grid's ticks as a reply holds them: the columns ticked, in the grid's order. A row with
/// no tick is left out, and so is a grid with none.
fn grid_from_data(
    grid: &Grid,
    value: &Value,
    at: &str,
    problems: &mut Vec<Problem>,
) -> Option<Value> {
    let Some(matrix) = value.as_object() else {
        problems.push(Problem {
            pointer: at.to_owned(),
            message: "a grid's data is an object of rows".to_owned(),
        });
        return None;
    };
    let mut rows = Map::new();
    for (row_id, ticked) in matrix {
        let row_at = pointer(at, &[row_id]);
        if !grid
            .rows
            .iter()
            .any(|row| &row.id == row_id && row.answer.is_none())
        {
            problems.push(Problem {
                pointer: row_at,
                message: format!("the grid has no row of check boxes `{}`", shown(row_id)),
            });
            continue;
        }
        let Some(ticked) = ticked.as_array() else {
            problems.push(Problem {
                pointer: row_at,
                message: "a row of the grid holds the columns ticked".to_owned(),
            });
            continue;
        };
        for (index, column) in ticked.iter().enumerate() {
            let known = column
                .as_str()
                .is_some_and(|column| grid.columns.iter().any(|c| c.id == column));
            if !known {
                problems.push(Problem {
                    pointer: pointer(&row_at, &[&index.to_string()]),
                    message: match column.as_str() {
                        Some(column) => format!("the grid has no column `{}`", shown(column)),
                        None => "a tick is the id of a column".to_owned(),
                    },
                });
            }
        }
        let ticks: Vec<Value> = grid
            .columns
            .iter()
            .filter(|column| ticked.iter().any(|tick| tick.as_str() == Some(&column.id)))
            .map(|column| Value::from(column.id.clone()))
            .collect();
        if !ticks.is_empty() {
            rows.insert(row_id.clone(), Value::Array(ticks));
        }
    }
    (!rows.is_empty()).then_some(Value::Object(rows))
}

/// A value SurveyJS holds for an answer of this type: numbers typed as text become numbers.
fn read_value(answer: &AnswerType, value: &Value) -> Value {
    crate::stack::guard(|| match (answer, value) {
        (AnswerType::Number { .. }, Value::String(text)) => number(text).unwrap_or(value.clone()),
        (AnswerType::Amount { .. }, Value::Object(amount)) => {
            let mut amount = amount.clone();
            if let Some(Value::String(text)) = amount.get("value") {
                if let Some(number) = number(text) {
                    amount.insert("value".to_owned(), number);
                }
            }
            Value::Object(amount)
        }
        (AnswerType::List(list), Value::Array(records)) => Value::Array(
            records
                .iter()
                .map(|record| match record {
                    Value::Object(fields) => Value::Object(
                        join_amounts(fields, &amount_fields(list))
                            .iter()
                            .filter(|(_, value)| !value.is_null())
                            // qc computes a computed field from the record.
                            .filter(|(id, _)| {
                                list.fields
                                    .iter()
                                    .all(|f| &f.id != *id || f.calculation.is_none())
                            })
                            .map(|(id, value)| {
                                let read = match list.fields.iter().find(|f| &f.id == id) {
                                    Some(field) => read_value(&field.answer, value),
                                    None => value.clone(),
                                };
                                (id.clone(), read)
                            })
                            .collect(),
                    ),
                    other => other.clone(),
                })
                .collect(),
        ),
        (AnswerType::Table(table), Value::Object(rows)) => Value::Object(
            rows.iter()
                .map(|(row, cells)| {
                    let cells = match cells {
                        Value::Object(cells) => Value::Object(
                            table_cells(table, cells)
                                .iter()
                                .filter(|(_, value)| !value.is_null())
                                .map(|(column, value)| {
                                    (column.clone(), read_value(&table.cell, value))
                                })
                                .collect(),
                        ),
                        other => other.clone(),
                    };
                    (row.clone(), cells)
                })
                .collect(),
        ),
        _ => value.clone(),
    })
}

/// The ids of a list's amount fields.
fn amount_fields(list: &List) -> Vec<&str> {
    list.fields
        .iter()
        .filter(|field| matches!(field.answer, AnswerType::Amount { .. }))
        .map(|field| field.id.as_str())
        .collect()
}

/// A table's row as a reply holds it: a table of amounts' cells joined.
fn table_cells(table: &Table, cells: &Map<String, Value>) -> Map<String, Value> {
    match *table.cell {
        AnswerType::Amount { .. } => {
            let columns: Vec<&str> = table.columns.iter().map(|c| c.id.as_str()).collect();
            join_amounts(cells, &columns)
        }
        _ => cells.clone(),
    }
}

/// The items that take an answer, by id.
fn answered(instrument: &Instrument) -> FxHashMap<&str, &Item> {
    instrument
        .items
        .iter()
        .filter(|item| item.answer.is_some())
        .map(|item| (item.id.as_str(), item))
        .collect()
}

fn no_item(at: &str, id: &str) -> Problem {
    Problem {
        pointer: at.to_owned(),
        message: format!("no item of the form takes an answer named `{}`", shown(id)),
    }
}

//! A JSON Schema (draft 2020-12) for complete replies to an instrument: what
//! `qc validate --complete` checks, wherever JSON Schema can say it.
//!
//! Conditions become `if`/`then`/`else` over the `answers` object: an item that is not asked
//! must be absent (or `null`); an item that is asked and required must be present. A condition
//! JSON Schema cannot express (comparing two answers, ordering dates) leaves the items under it
//! to `qc validate` alone; the schema's `$comment` lists them. Constraints, calculated values,
//! record counts read from answers and the totals of tables are `qc validate`'s alone too.
//! See `docs/response-format.md`.

use serde_json::{json, Map, Value};

use crate::model::{AnswerType, CompareOp, Condition, Instrument, ItemId, Operand};

/// The JSON Schema of complete replies, pretty-printed with a final newline.
pub fn to_string(instrument: &Instrument) -> String {
    let mut text = serde_json::to_string_pretty(&schema(instrument)).unwrap_or_default();
    text.push('\n');
    text
}

/// The JSON Schema of complete replies.
pub fn schema(instrument: &Instrument) -> Value {
    build(instrument).0
}

/// The items (and grid columns, as `grid/column`) whose conditions the schema cannot express,
/// so that only `qc validate` checks whether they are asked.
pub fn unexpressed(instrument: &Instrument) -> Vec<String> {
    build(instrument).1
}

fn build(instrument: &Instrument) -> (Value, Vec<String>) {
    let mut properties = Map::new();
    let mut rules = Vec::new();
    let mut unexpressed = Vec::new();
    for (index, item) in instrument.items.iter().enumerate() {
        let Some(answer) = &item.answer else { continue };
        if item.kind == crate::model::ItemKind::Calculated {
            // A reply may store a calculated value; `qc validate` recomputes it and compares
            // (V0115), whatever it stores.
            properties.insert(
                item.id.clone(),
                json!({ "$comment": "computed by qc; a stored value must be the one computed" }),
            );
            continue;
        }
        let schema = match answer {
            AnswerType::Table(table) => {
                table_schema(instrument, table, &item.specials, item.required)
            }
            answer => value_schema(instrument, answer),
        };
        let schema = with_specials(schema, &item.specials);
        properties.insert(item.id.clone(), nullable(schema));
        let Some(enabled) = enabled(instrument, ItemId::from(index)) else {
            unexpressed.push(item.id.clone());
            continue;
        };
        let mut answered = json!({ "not": { "type": "null" } });
        if let AnswerType::Grid(grid) = answer {
            // "Mark the box(es)": a tick in some row (ticks in closed columns are refused
            // below), or a special answer.
            let ticked: Vec<Value> = grid
                .rows
                .iter()
                .filter(|row| row.answer.is_none())
                .map(|row| json!({ "required": [row.id], "properties": { (row.id.clone()): { "type": "array", "minItems": 1 } } }))
                .collect();
            if !ticked.is_empty() && !grid.columns.is_empty() {
                crate::emit::set(
                    &mut answered,
                    "anyOf",
                    json!([{ "type": "object", "required": ["special"] }, { "anyOf": ticked }]),
                );
            }
        }
        let present =
            json!({ "required": [item.id], "properties": { (item.id.clone()): answered } });
        let absent = json!({ "properties": { (item.id.clone()): { "type": "null" } } });
        match (enabled, item.required) {
            (Value::Bool(true), true) => rules.push(present),
            (Value::Bool(true), false) => {}
            (enabled, true) => {
                rules.push(json!({ "if": enabled, "then": present, "else": absent }))
            }
            (enabled, false) => rules.push(json!({ "if": enabled, "else": absent })),
        }
        if let AnswerType::Grid(grid) = answer {
            for column in &grid.columns {
                let Some(condition) = &column.condition else {
                    continue;
                };
                let Some(open) = predicate(instrument, condition) else {
                    unexpressed.push(format!("{}/{}", item.id, column.id));
                    continue;
                };
                let no_ticks =
                    json!({ "not": { "type": "array", "contains": { "const": column.id } } });
                rules.push(json!({
                    "if": { "not": open },
                    "then": { "properties": { (item.id.clone()): { "additionalProperties": no_ticks } } }
                }));
            }
        }
    }
    let mut answers = json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    if !rules.is_empty() {
        crate::emit::set(&mut answers, "allOf", Value::Array(rules));
    }
    let mut schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("urn:qc:reply:{}:{}", instrument.id, instrument.version.as_deref().unwrap_or("0")),
        "title": format!("Complete replies to {}", instrument.title),
        "description": "Generated by qc from the form definition. Dates use the `date` format: enable format assertion.",
        "type": "object",
        "required": ["form", "answers"],
        "properties": {
            "form": { "const": instrument.id },
            "version": { "type": ["string", "null"] },
            "answers": answers,
        },
    });
    let mut comments = Vec::new();
    if !unexpressed.is_empty() {
        comments.push(format!(
            "Conditions of these items are checked by `qc validate` alone: {}.",
            unexpressed.join(", ")
        ));
    }
    let logic = instrument.sections.iter().any(|s| !s.constraints.is_empty())
        || instrument.items.iter().any(|item| {
            !item.constraints.is_empty()
                || item.calculation.is_some()
                || matches!(&item.answer, Some(AnswerType::Table(_)))
                || matches!(&item.answer, Some(AnswerType::List(list)) if list.fields.iter().any(|f| f.condition.is_some()) || !list.constraints.is_empty())
        });
    if logic {
        comments.push(
            "Constraints, calculated values, conditions on the fields of records and the totals of tables are checked by `qc validate` alone.".to_owned(),
        );
    }
    if !comments.is_empty() {
        crate::emit::set(&mut schema, "$comment", json!(comments.join(" ")));
    }
    (schema, unexpressed)
}

/// The predicate "the item is asked": its condition and those of its ancestors, or `None`
/// when one of them cannot be expressed.
fn enabled(instrument: &Instrument, item: ItemId) -> Option<Value> {
    let mut conditions = Vec::new();
    let mut cursor = Some(item);
    while let Some(id) = cursor {
        let item = instrument.item(id);
        if let Some(condition) = &item.condition {
            conditions.push(predicate(instrument, condition)?);
        }
        cursor = item.parent;
    }
    Some(match conditions.len() {
        0 => Value::Bool(true),
        1 => conditions.remove(0),
        _ => {
            conditions.reverse();
            json!({ "allOf": conditions })
        }
    })
}

/// A schema that holds of the answers object exactly when the condition holds, if JSON Schema
/// can say it.
fn predicate(instrument: &Instrument, condition: &Condition) -> Option<Value> {
    // A calculated value need not be in the reply: only qc, which computes it, can say.
    let mut calculated = false;
    condition.for_each_item(&mut |item| {
        calculated |= instrument.item(item).kind == crate::model::ItemKind::Calculated;
    });
    if calculated {
        return None;
    }
    predicate_of(instrument, condition)
}

fn predicate_of(instrument: &Instrument, condition: &Condition) -> Option<Value> {
    let id = |item: ItemId| instrument.item(item).id.clone();
    let on = |item: ItemId, schema: Value| json!({ "required": [id(item)], "properties": { (id(item)): schema } });
    Some(match condition {
        Condition::Const(value) => Value::Bool(*value),
        Condition::Or(parts) => {
            json!({ "anyOf": parts.iter().map(|p| predicate_of(instrument, p)).collect::<Option<Vec<_>>>()? })
        }
        Condition::And(parts) => {
            json!({ "allOf": parts.iter().map(|p| predicate_of(instrument, p)).collect::<Option<Vec<_>>>()? })
        }
        Condition::Not(inner) => json!({ "not": predicate_of(instrument, inner)? }),
        Condition::Answered(item) => on(*item, json!({ "not": { "type": "null" } })),
        // Distinct values of a field across records: JSON Schema's `uniqueItems` compares
        // whole records.
        Condition::Unique { .. } => return None,
        Condition::Special { item, code } => on(
            *item,
            json!({ "type": "object", "required": ["special"], "properties": { "special": { "const": code } } }),
        ),
        Condition::OneOf { item, codes } => on(*item, json!({ "enum": codes })),
        Condition::Has { item, code } => on(
            *item,
            json!({ "type": "array", "contains": { "const": code } }),
        ),
        Condition::Compare { op, lhs, rhs } => {
            let (item, literal, op) = match (lhs, rhs) {
                (Operand::Item(item), literal) if !matches!(literal, Operand::Item(_)) => {
                    (*item, literal, *op)
                }
                (literal, Operand::Item(item)) if !matches!(literal, Operand::Item(_)) => {
                    (*item, literal, op.flip())
                }
                _ => return None,
            };
            let value = match literal {
                Operand::Number(n) => json!(n),
                Operand::Code(s) | Operand::Text(s) => json!(s),
                // JSON Schema orders numbers only; dates compare by equality alone.
                Operand::Date(s) if !op.is_ordering() => json!(s),
                _ => return None,
            };
            let equal = on(item, json!({ "const": value }));
            match op {
                CompareOp::Eq => equal,
                CompareOp::Ne => json!({ "not": equal }),
                CompareOp::Lt => on(item, json!({ "type": "number", "exclusiveMaximum": value })),
                CompareOp::Le => on(item, json!({ "type": "number", "maximum": value })),
                CompareOp::Gt => on(item, json!({ "type": "number", "exclusiveMinimum": value })),
                CompareOp::Ge => on(item, json!({ "type": "number", "minimum": value })),
            }
        }
    })
}

/// Allows the special answers an item allows, `{"special": "dont_know"}`, besides a value.
fn with_specials(schema: Value, specials: &[String]) -> Value {
    if specials.is_empty() {
        return schema;
    }
    let special = json!({
        "type": "object",
        "required": ["special"],
        "additionalProperties": false,
        "properties": { "special": { "enum": specials } },
    });
    json!({ "anyOf": [schema, special] })
}

/// The schema of a table's answer: an object of rows, each an object of cells, each a value or
/// one of the item's special answers.
fn table_schema(
    instrument: &Instrument,
    table: &crate::model::Table,
    specials: &[String],
    required: bool,
) -> Value {
    // A complete reply fills in every cell of a required table.
    let cell = with_specials(value_schema(instrument, &table.cell), specials);
    let cell = if required { cell } else { nullable(cell) };
    let columns: Map<String, Value> = table
        .columns
        .iter()
        .map(|column| (column.id.clone(), cell.clone()))
        .collect();
    let column_ids: Vec<&str> = table.columns.iter().map(|c| c.id.as_str()).collect();
    let rows: Map<String, Value> = table
        .rows
        .iter()
        .map(|row| {
            let mut cells =
                json!({ "type": "object", "additionalProperties": false, "properties": columns });
            if required {
                crate::emit::set(&mut cells, "required", json!(column_ids));
            }
            (row.id.clone(), cells)
        })
        .collect();
    let mut schema = json!({ "type": "object", "additionalProperties": false, "properties": rows });
    if required {
        let row_ids: Vec<&str> = table.rows.iter().map(|r| r.id.as_str()).collect();
        crate::emit::set(&mut schema, "required", json!(row_ids));
    }
    schema
}

/// Allows `null`, which stands for "not answered".
fn nullable(schema: Value) -> Value {
    json!({ "anyOf": [{ "type": "null" }, schema] })
}

/// The schema of one answer.
fn value_schema(instrument: &Instrument, answer: &AnswerType) -> Value {
    match answer {
        AnswerType::Choice { scale, multiple } => {
            let codes: Vec<&str> = instrument
                .scale(*scale)
                .options
                .iter()
                .map(|o| o.code.as_str())
                .collect();
            if *multiple {
                json!({ "type": "array", "items": { "enum": codes }, "uniqueItems": true })
            } else {
                json!({ "enum": codes })
            }
        }
        AnswerType::Text { .. } => json!({ "type": "string" }),
        // A code of the table, or one ISO 3166-1 leaves to its users.
        AnswerType::Country => {
            let codes: Vec<&str> = crate::countries::all().iter().map(|c| c.code).collect();
            json!({ "anyOf": [
                { "enum": codes },
                { "type": "string", "pattern": crate::countries::USER_ASSIGNED_PATTERN }
            ] })
        }
        AnswerType::Date => {
            json!({ "type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" })
        }
        AnswerType::Number { integer, min, max } => {
            let mut schema = json!({ "type": if *integer { "integer" } else { "number" } });
            if let Some(min) = min {
                crate::emit::set(&mut schema, "minimum", json!(min));
            }
            if let Some(max) = max {
                crate::emit::set(&mut schema, "maximum", json!(max));
            }
            schema
        }
        AnswerType::Amount { currencies } => {
            let currency = if currencies.is_empty() {
                json!({ "type": "string", "pattern": "^[A-Z]{3}$" })
            } else {
                json!({ "enum": currencies })
            };
            json!({
                "type": "object",
                "required": ["value", "currency"],
                "additionalProperties": false,
                "properties": { "value": { "type": "number" }, "currency": currency },
            })
        }
        AnswerType::List(list) => {
            let fields = &list.fields;
            let mut properties = Map::new();
            for field in fields {
                let schema = value_schema(instrument, &field.answer);
                let schema = if field.required {
                    schema
                } else {
                    nullable(schema)
                };
                properties.insert(field.id.clone(), schema);
            }
            // A field asked of some records only is required where it is asked: qc's to say.
            let required: Vec<&str> = fields
                .iter()
                .filter(|f| f.required && f.condition.is_none())
                .map(|f| f.id.as_str())
                .collect();
            let mut schema = json!({
                "type": "array",
                "items": {
                    "type": "object",
                    "required": required,
                    "additionalProperties": false,
                    "properties": properties,
                },
            });
            if let Some(crate::model::Count::Number(min)) = list.min {
                crate::emit::set(&mut schema, "minItems", json!(min));
            }
            if let Some(crate::model::Count::Number(max)) = list.max {
                crate::emit::set(&mut schema, "maxItems", json!(max));
            }
            schema
        }
        AnswerType::Table(table) => table_schema(instrument, table, &[], false),
        AnswerType::Grid(grid) => {
            let columns: Vec<&str> = grid.columns.iter().map(|c| c.id.as_str()).collect();
            let mut rows = Map::new();
            for row in &grid.rows {
                let schema = match &row.answer {
                    Some(answer) => value_schema(instrument, answer),
                    None => {
                        json!({ "type": "array", "items": { "enum": columns }, "uniqueItems": true })
                    }
                };
                rows.insert(row.id.clone(), schema);
            }
            json!({ "type": "object", "additionalProperties": false, "properties": rows })
        }
    }
}

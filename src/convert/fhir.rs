//! Replies from a FHIR R4 QuestionnaireResponse, for the Questionnaire of `qc compile --emit
//! fhir`: the inverse of [`questionnaire_response`](crate::emit::fhir::questionnaire_response).
//!
//! Items are found by `linkId`: a section's group holds its items; an item holds its `answer`
//! (its sub-items inside the answer, or beside it in a group); a list's records are repeated
//! groups of `<list>_<field>` items; a table's rows are `<table>_<row>` groups of
//! `<table>_<row>_<column>` cells; a grid's rows are `<grid>_<row>` items whose answers are the
//! columns ticked (or the text of a free-text row). A `data-absent-reason` extension is a special
//! answer, its code in the extension's `id`. Calculated values are left out: qc computes them.

use rustc_hash::FxHashMap;
use serde_json::{json, Map, Value};

use super::{pointer, shown, Converted, Problem};
use crate::model::{AnswerType, Instrument, Item, ItemKind};

const ABSENT: &str = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

/// The reply a QuestionnaireResponse holds.
pub fn from_response(instrument: &Instrument, response: &Value) -> Converted {
    let mut reader = Reader {
        items: instrument
            .items
            .iter()
            .map(|item| (item.id.as_str(), item))
            .collect(),
        sections: instrument
            .sections
            .iter()
            .map(|section| crate::emit::fhir::section_link(instrument, section))
            .collect(),
        answers: Map::new(),
        problems: Vec::new(),
    };
    if response.get("resourceType").and_then(Value::as_str) != Some("QuestionnaireResponse") {
        reader.problem(
            "/resourceType",
            "not a FHIR QuestionnaireResponse".to_owned(),
        );
    } else {
        reader.sections_at(response.get("item"));
    }
    Converted {
        value: super::reply(instrument, std::mem::take(&mut reader.answers)),
        problems: reader.problems,
    }
}

struct Reader<'i> {
    items: FxHashMap<&'i str, &'i Item>,
    /// The `linkId` of each section's group.
    sections: Vec<String>,
    answers: Map<String, Value>,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn problem(&mut self, at: &str, message: String) {
        self.problems.push(Problem {
            pointer: at.to_owned(),
            message,
        });
    }

    /// The top-level items of a response: the groups of sections.
    fn sections_at(&mut self, items: Option<&Value>) {
        let Some(items) = items.and_then(Value::as_array) else {
            if items.is_some() {
                self.problem("/item", "`item` is an array".to_owned());
            }
            return;
        };
        for (index, item) in items.iter().enumerate() {
            let at = pointer("/item", &[&index.to_string()]);
            let link = item.get("linkId").and_then(Value::as_str).unwrap_or("");
            match self.sections.iter().any(|section| section == link) {
                true => self.items_at(item.get("item"), &pointer(&at, &["item"])),
                false => self.response_item(item, &at),
            }
        }
    }

    /// The response items under `item` (an array, or nothing).
    fn items_at(&mut self, items: Option<&Value>, at: &str) {
        let Some(items) = items else {
            return;
        };
        let Some(items) = items.as_array() else {
            self.problem(at, "`item` is an array".to_owned());
            return;
        };
        for (index, item) in items.iter().enumerate() {
            let at = pointer(at, &[&index.to_string()]);
            crate::stack::guard(|| self.response_item(item, &at));
        }
    }

    /// Whether a response item in a table's or a grid's group is an item of the form (asked
    /// with the table or grid, such as a comment on it) rather than one of its rows.
    fn asked_with(&self, value: &Value) -> bool {
        value
            .get("linkId")
            .and_then(Value::as_str)
            .is_some_and(|link| self.items.contains_key(link))
    }

    fn response_item(&mut self, value: &Value, at: &str) {
        let Some(link) = value.get("linkId").and_then(Value::as_str) else {
            self.problem(at, "a response item has a `linkId`".to_owned());
            return;
        };
        let Some(item) = self.items.get(link).copied() else {
            self.problem(
                &pointer(at, &["linkId"]),
                format!("the form has no item `{}`", shown(link)),
            );
            return;
        };
        if let Some(special) = special(value) {
            self.answers.insert(item.id.clone(), special);
            self.items_at(value.get("item"), &pointer(at, &["item"]));
            return;
        }
        match &item.answer {
            None => self.items_at(value.get("item"), &pointer(at, &["item"])),
            Some(AnswerType::List(list)) => {
                let record = self.record(item, list, value, at);
                let records = self
                    .answers
                    .entry(item.id.clone())
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(records) = records {
                    records.push(record);
                }
            }
            Some(AnswerType::Table(table)) => {
                let rows = self.table(item, table, value, at);
                self.answers.insert(item.id.clone(), rows);
            }
            Some(AnswerType::Grid(grid)) => {
                let rows = self.grid(item, grid, value, at);
                if let Some(rows) = rows {
                    self.answers.insert(item.id.clone(), rows);
                }
            }
            Some(answer) => {
                let answers = value.get("answer").and_then(Value::as_array);
                if let Some(read) = self.value(answer, answers, &pointer(at, &["answer"])) {
                    if item.kind != ItemKind::Calculated {
                        self.answers.insert(item.id.clone(), read);
                    }
                }
                // Sub-items inside the first answer, or beside it.
                let inside = answers.and_then(|a| a.first()).and_then(|a| a.get("item"));
                self.items_at(inside, &pointer(at, &["answer", "0", "item"]));
                self.items_at(value.get("item"), &pointer(at, &["item"]));
            }
        }
    }

    /// The value of FHIR answers for an answer type: one, or several for a multiple choice.
    fn value(
        &mut self,
        answer: &AnswerType,
        answers: Option<&Vec<Value>>,
        at: &str,
    ) -> Option<Value> {
        let answers = answers?;
        let read: Vec<Value> = answers
            .iter()
            .enumerate()
            .filter_map(|(index, one)| {
                let read = one_value(answer, one);
                if read.is_none() {
                    self.problem(
                        &pointer(at, &[&index.to_string()]),
                        format!("not an answer the form's {} takes", kind(answer)),
                    );
                }
                read
            })
            .collect();
        match answer {
            AnswerType::Choice { multiple: true, .. } => Some(Value::Array(read)),
            _ => {
                if read.len() > 1 {
                    self.problem(at, "the item takes one answer".to_owned());
                }
                read.into_iter().next()
            }
        }
    }

    /// The part (field, row, column) a nested response item is: its `linkId` is `prefix`
    /// followed by the part's id. One the form does not have is a problem at the `linkId`.
    fn part<'p, T>(
        &mut self,
        value: &Value,
        prefix: &str,
        parts: &'p [T],
        id: impl Fn(&T) -> &String,
        missing: &str,
        at: &str,
    ) -> Option<&'p T> {
        let link = value.get("linkId").and_then(Value::as_str).unwrap_or("");
        let found = link
            .strip_prefix(prefix)
            .and_then(|wanted| parts.iter().find(|part| id(part) == wanted));
        if found.is_none() {
            self.problem(
                &pointer(at, &["linkId"]),
                format!("{missing} `{}`", shown(link)),
            );
        }
        found
    }

    /// A record of a list: a repeated group of `<list>_<field>` items.
    fn record(&mut self, item: &Item, list: &crate::model::List, value: &Value, at: &str) -> Value {
        let mut record = Map::new();
        let fields = value.get("item").and_then(Value::as_array);
        for (index, field_item) in fields.into_iter().flatten().enumerate() {
            let at = pointer(at, &["item", &index.to_string()]);
            let prefix = format!("{}_", item.id);
            let Some(field) = self.part(
                field_item,
                &prefix,
                &list.fields,
                |f| &f.id,
                "the list has no field",
                &at,
            ) else {
                continue;
            };
            let answers = field_item.get("answer").and_then(Value::as_array);
            if let Some(read) = self.value(&field.answer, answers, &pointer(&at, &["answer"])) {
                // A computed field is left out, as a calculated value is: qc computes it.
                if field.calculation.is_none() {
                    record.insert(field.id.clone(), read);
                }
            }
        }
        Value::Object(record)
    }

    /// A table: `<table>_<row>` groups of `<table>_<row>_<column>` cells.
    fn table(
        &mut self,
        item: &Item,
        table: &crate::model::Table,
        value: &Value,
        at: &str,
    ) -> Value {
        let mut rows = Map::new();
        let groups = value.get("item").and_then(Value::as_array);
        for (index, group) in groups.into_iter().flatten().enumerate() {
            let at = pointer(at, &["item", &index.to_string()]);
            if self.asked_with(group) {
                self.response_item(group, &at);
                continue;
            }
            let prefix = format!("{}_", item.id);
            let Some(row) = self.part(
                group,
                &prefix,
                &table.rows,
                |r| &r.id,
                "the table has no row",
                &at,
            ) else {
                continue;
            };
            let mut cells = Map::new();
            let prefix = format!("{}_{}_", item.id, row.id);
            for (c, cell) in group
                .get("item")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let at = pointer(&at, &["item", &c.to_string()]);
                let Some(column) = self.part(
                    cell,
                    &prefix,
                    &table.columns,
                    |c| &c.id,
                    "the table has no cell",
                    &at,
                ) else {
                    continue;
                };
                let read = match special(cell) {
                    Some(special) => Some(special),
                    None => {
                        let answers = cell.get("answer").and_then(Value::as_array);
                        self.value(&table.cell, answers, &pointer(&at, &["answer"]))
                    }
                };
                if let Some(read) = read {
                    cells.insert(column.id.clone(), read);
                }
            }
            rows.insert(row.id.clone(), Value::Object(cells));
        }
        Value::Object(rows)
    }

    /// A grid: `<grid>_<row>` items, answered with the columns ticked or the row's text.
    fn grid(
        &mut self,
        item: &Item,
        grid: &crate::model::Grid,
        value: &Value,
        at: &str,
    ) -> Option<Value> {
        let mut rows = Map::new();
        let items = value.get("item").and_then(Value::as_array);
        for (index, row_item) in items.into_iter().flatten().enumerate() {
            let at = pointer(at, &["item", &index.to_string()]);
            if self.asked_with(row_item) {
                self.response_item(row_item, &at);
                continue;
            }
            let prefix = format!("{}_", item.id);
            let Some(row) = self.part(
                row_item,
                &prefix,
                &grid.rows,
                |r| &r.id,
                "the grid has no row",
                &at,
            ) else {
                continue;
            };
            let answers = row_item.get("answer").and_then(Value::as_array);
            let read = match &row.answer {
                Some(answer) => self.value(answer, answers, &pointer(&at, &["answer"])),
                None => {
                    let mut ticks = Vec::new();
                    for (a, answer) in answers.into_iter().flatten().enumerate() {
                        let code = answer.pointer("/valueCoding/code").and_then(Value::as_str);
                        match code.filter(|code| grid.columns.iter().any(|c| c.id == *code)) {
                            Some(code) => ticks.push(json!(code)),
                            None => self.problem(
                                &pointer(&at, &["answer", &a.to_string()]),
                                "a tick is the coding of a column of the grid".to_owned(),
                            ),
                        }
                    }
                    Some(Value::Array(ticks))
                }
            };
            if let Some(read) = read {
                rows.insert(row.id.clone(), read);
            }
        }
        (!rows.is_empty()).then_some(Value::Object(rows))
    }
}

/// The special answer a `data-absent-reason` extension gives, its code in the extension's id.
fn special(value: &Value) -> Option<Value> {
    let extension = value
        .get("extension")?
        .as_array()?
        .iter()
        .find(|e| e.get("url").and_then(Value::as_str) == Some(ABSENT))?;
    let code = extension
        .get("id")
        .and_then(Value::as_str)?
        .replace('-', "_");
    Some(json!({ "special": code }))
}

/// One FHIR answer as qc holds it, when it is of the kind the answer type takes.
fn one_value(answer: &AnswerType, one: &Value) -> Option<Value> {
    match answer {
        AnswerType::Choice { .. } => one
            .pointer("/valueCoding/code")
            .filter(|code| code.is_string())
            .cloned(),
        // A code of the list, or the open choice's text: one ISO 3166-1 leaves to users.
        AnswerType::Country => one
            .pointer("/valueCoding/code")
            .or_else(|| one.get("valueString"))
            .filter(|code| code.is_string())
            .cloned(),
        AnswerType::Text { .. } => one.get("valueString").filter(|v| v.is_string()).cloned(),
        AnswerType::Date => one.get("valueDate").filter(|v| v.is_string()).cloned(),
        AnswerType::Number { integer: true, .. } => one
            .get("valueInteger")
            .or_else(|| one.get("valueDecimal"))
            .filter(|v| v.is_number())
            .cloned(),
        AnswerType::Number { .. } => one
            .get("valueDecimal")
            .or_else(|| one.get("valueInteger"))
            .filter(|v| v.is_number())
            .cloned(),
        AnswerType::Amount { .. } => {
            let quantity = one.get("valueQuantity")?;
            let value = quantity.get("value").filter(|v| v.is_number())?;
            let currency = quantity
                .get("code")
                .or_else(|| quantity.get("unit"))
                .filter(|v| v.is_string())?;
            Some(json!({ "value": value, "currency": currency }))
        }
        AnswerType::List(_) | AnswerType::Grid(_) | AnswerType::Table(_) => None,
    }
}

/// The kind of answer, as a message names it.
fn kind(answer: &AnswerType) -> &'static str {
    match answer {
        AnswerType::Choice { .. } => "choice (a `valueCoding`)",
        AnswerType::Text { .. } => "text (a `valueString`)",
        AnswerType::Date => "date (a `valueDate`)",
        AnswerType::Country => "country (a `valueCoding`, or a `valueString`)",
        AnswerType::Number { .. } => "number (a `valueInteger` or `valueDecimal`)",
        AnswerType::Amount { .. } => "amount (a `valueQuantity`)",
        AnswerType::List(_) => "list",
        AnswerType::Grid(_) => "grid",
        AnswerType::Table(_) => "table",
    }
}

//! A seeded generator of replies to any instrument, valid and invalid by construction: each
//! answer is valid, absent, `null` or broken in one way, and items that are not asked are
//! sometimes answered anyway.

use proptest::prelude::Rng;
use proptest::test_runner::{RngAlgorithm, TestRng};
use serde_json::{json, Map, Value};

use qc::model::{AnswerType, Instrument, ItemKind};

pub struct Generator<'i> {
    instrument: &'i Instrument,
    rng: TestRng,
}

impl<'i> Generator<'i> {
    pub fn new(instrument: &'i Instrument, seed: u8) -> Generator<'i> {
        let mut bytes = [0u8; 32];
        bytes[0] = seed;
        Generator {
            instrument,
            rng: TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
        }
    }

    fn below(&mut self, n: u32) -> u32 {
        self.rng.next_u32() % n
    }

    /// One reply. `breakage` is the chance in 1,000 that any one answer is broken; with 0, the
    /// reply is complete and valid.
    pub fn reply(&mut self, breakage: u32) -> Value {
        let mut answers = Map::new();
        let mut enabled: Vec<bool> = Vec::new();
        // What conditions read: the answers so far, today's date, and each calculated value
        // computed when the walk reaches it (items come in order).
        let mut seen = Map::new();
        seen.insert(qc::eval::TODAY.to_owned(), json!(qc::eval::today()));
        for item in &self.instrument.items {
            let parent = item.parent.is_none_or(|p| enabled[usize::from(p)]);
            let own = item
                .condition
                .as_ref()
                .is_none_or(|c| qc::eval::holds(self.instrument, c, &seen));
            let asked = parent && own;
            enabled.push(asked);
            let Some(answer) = &item.answer else { continue };
            if let (ItemKind::Calculated, Some(calculation)) = (item.kind, &item.calculation) {
                let value = qc::eval::value(self.instrument, calculation, &seen);
                seen.insert(item.id.clone(), value.clone());
                // Stored as the answers give it, or left out: a frontend may do either.
                if self.below(2) == 0 || value.is_null() {
                    continue;
                }
                let value = if self.below(1000) < breakage {
                    json!(-7777)
                } else {
                    value
                };
                answers.insert(item.id.clone(), value);
                continue;
            }
            let value = if asked && !item.specials.is_empty() && self.below(8) == 0 {
                let special = &item.specials[self.below(item.specials.len() as u32) as usize];
                Some(json!({ "special": special }))
            } else if self.below(1000) < breakage {
                Some(self.broken(answer))
            } else if asked {
                // Unanswered items only in replies that break things at all.
                match (breakage > 0, self.below(20)) {
                    (true, 0) => None,
                    (true, 1) => Some(Value::Null),
                    _ => Some(self.valid(answer, &seen)),
                }
            } else {
                match (breakage > 0, self.below(40)) {
                    (true, 0) => Some(self.valid(answer, &seen)),
                    (_, 1) => Some(Value::Null),
                    _ => None,
                }
            };
            if let Some(value) = value {
                seen.insert(item.id.clone(), value.clone());
                answers.insert(item.id.clone(), value);
            }
        }
        if self.below(1000) < breakage / 4 {
            answers.insert("q_unknown".to_owned(), json!("yes"));
        }
        json!({ "form": self.instrument.id, "version": self.instrument.version, "answers": answers })
    }

    fn valid(&mut self, answer: &AnswerType, answers: &Map<String, Value>) -> Value {
        match answer {
            AnswerType::Choice { scale, multiple } => {
                let codes: Vec<&str> = self
                    .instrument
                    .scale(*scale)
                    .options
                    .iter()
                    .map(|o| o.code.as_str())
                    .collect();
                if *multiple {
                    let chosen: Vec<&str> = codes
                        .iter()
                        .copied()
                        .filter(|_| self.below(2) == 0)
                        .collect();
                    json!(chosen)
                } else {
                    json!(codes[self.below(codes.len() as u32) as usize])
                }
            }
            AnswerType::Text { .. } => json!(
                [
                    "",
                    "Ministry of the Interior",
                    "Programmes in 41 municipalities"
                ][self.below(3) as usize]
            ),
            AnswerType::Country => {
                let all = qc::countries::all();
                match self.below(5) {
                    0 => json!("XKX"),
                    _ => json!(all[self.below(all.len() as u32) as usize].code),
                }
            }
            AnswerType::Date => json!(format!(
                "{}-{:02}-{:02}",
                1995 + self.below(30),
                1 + self.below(12),
                1 + self.below(28)
            )),
            AnswerType::Number { integer, min, max } => {
                let low = min.unwrap_or(-50.0);
                let high = max.unwrap_or(low + 200.0);
                let value = low + f64::from(self.below(((high - low) as u32).max(1) + 1));
                if *integer {
                    json!(value as i64)
                } else {
                    json!(value + if value < high { 0.5 } else { 0.0 })
                }
            }
            AnswerType::Amount { currencies } => {
                let currency = currencies.first().map_or(
                    ["EUR", "USD", "XOF", "JPY"][self.below(4) as usize],
                    String::as_str,
                );
                json!({ "value": self.below(1_000_000), "currency": currency })
            }
            AnswerType::List(list) => {
                let low = match list.min {
                    Some(qc::model::Count::Number(n)) => n as u32,
                    _ => 0,
                };
                let high = match list.max {
                    Some(qc::model::Count::Number(n)) => (n as u32).min(low + 2),
                    _ => low + 2,
                };
                // The list's own logic reads the record: find the list's item.
                let owner = self.instrument.items.iter().position(
                    |item| matches!(&item.answer, Some(own) if std::ptr::eq(own, answer)),
                );
                let records: Vec<Value> = (0..low + self.below(high - low + 1))
                    .map(|_| {
                        let mut record = Map::new();
                        // A computed field is left out: qc computes it.
                        let asked = |f: &&qc::model::RecordField| f.calculation.is_none();
                        for field in list
                            .fields
                            .iter()
                            .filter(asked)
                            .filter(|f| f.condition.is_none())
                        {
                            if field.required || self.below(2) == 0 {
                                record.insert(field.id.clone(), self.valid(&field.answer, answers));
                            }
                        }
                        for field in &list.fields {
                            let (Some(condition), Some(owner)) = (&field.condition, owner) else {
                                continue;
                            };
                            let list_id = qc::model::ItemId::from(owner);
                            // The condition reads the record's computed fields too.
                            let computed = qc::eval::with_record_values(
                                self.instrument,
                                list_id,
                                &record,
                                answers,
                            );
                            let asked = qc::eval::holds_in_record(
                                self.instrument,
                                condition,
                                answers,
                                (list_id, &computed),
                            );
                            if asked && (field.required || self.below(2) == 0) {
                                let value = self.valid(&field.answer, answers);
                                record.insert(field.id.clone(), value);
                            }
                        }
                        Value::Object(record)
                    })
                    .collect();
                json!(records)
            }
            AnswerType::Table(table) => {
                // A required table has every cell filled in; another, some.
                let required = self.instrument.items.iter().any(|item| {
                    item.required && matches!(&item.answer, Some(own) if std::ptr::eq(own, answer))
                });
                let mut rows = Map::new();
                for row in &table.rows {
                    let mut cells = Map::new();
                    for column in &table.columns {
                        if required || self.below(6) != 0 {
                            cells.insert(column.id.clone(), self.valid(&table.cell, answers));
                        }
                    }
                    rows.insert(row.id.clone(), Value::Object(cells));
                }
                Value::Object(rows)
            }
            AnswerType::Grid(grid) => {
                let mut rows = Map::new();
                for row in &grid.rows {
                    if self.below(3) == 0 {
                        continue;
                    }
                    let value = match &row.answer {
                        Some(answer) => self.valid(answer, answers),
                        None => {
                            let open: Vec<&str> = grid
                                .columns
                                .iter()
                                .filter(|c| {
                                    c.condition.as_ref().is_none_or(|c| {
                                        qc::eval::holds(self.instrument, c, answers)
                                    })
                                })
                                .map(|c| c.id.as_str())
                                .filter(|_| self.below(2) == 0)
                                .collect();
                            json!(open)
                        }
                    };
                    rows.insert(row.id.clone(), value);
                }
                Value::Object(rows)
            }
        }
    }

    /// A value broken in one of the ways its type can be.
    fn broken(&mut self, answer: &AnswerType) -> Value {
        if self.below(4) == 0 {
            return [json!(true), json!(17), json!("text"), json!([]), json!({})]
                [self.below(5) as usize]
                .clone();
        }
        match answer {
            AnswerType::Choice {
                multiple: false, ..
            } => json!("maybe"),
            AnswerType::Choice {
                scale,
                multiple: true,
            } => {
                let code = &self.instrument.scale(*scale).options[0].code;
                json!([code, code])
            }
            AnswerType::Text { .. } => json!(42),
            AnswerType::Country => {
                json!(["ABC", "fra", "FR", "Kenya", "QLA"][self.below(5) as usize])
            }
            AnswerType::Date => json!(
                ["2005-02-30", "14/03/2005", "2005-13-01", "2005-1-1"][self.below(4) as usize]
            ),
            AnswerType::Number { integer, min, max } => match (integer, min, max) {
                (true, _, _) if self.below(2) == 0 => json!(2.5),
                (_, Some(min), _) => json!(min - 1.0),
                (_, _, Some(max)) => json!(max + 1.0),
                _ => json!("12"),
            },
            AnswerType::Amount { .. } => [
                json!({ "value": 10, "currency": "EURO" }),
                json!({ "value": 10, "currency": "eur" }),
                json!({ "value": "10", "currency": "EUR" }),
                json!({ "value": 10 }),
                json!({ "value": 10, "currency": "EUR", "note": "x" }),
            ][self.below(5) as usize]
                .clone(),
            AnswerType::Table(table) => {
                let row = &table.rows[0].id;
                match self.below(3) {
                    0 => json!({ "no_such_row": {} }),
                    1 => json!({ row: { "no_such_column": 1 } }),
                    _ => json!({ row: "cells" }),
                }
            }
            AnswerType::List(list) => {
                let mut record = Map::new();
                record.insert("unknown_field".to_owned(), json!("x"));
                if let Some(field) = list.fields.first() {
                    record.insert(field.id.clone(), json!(null));
                }
                json!([record])
            }
            AnswerType::Grid(grid) => {
                let row = &grid.rows[0].id;
                match self.below(3) {
                    0 => json!({ "no_such_row": [] }),
                    1 => json!({ row: ["no_such_column"] }),
                    _ => json!({ row: "ticked" }),
                }
            }
        }
    }
}

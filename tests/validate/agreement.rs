//! Agreement with independent implementations, on replies generated from the forms:
//! `qc validate --complete` and the `jsonschema` crate on the emitted response schema agree on
//! every reply, for every rule the schema claims to express; `qc::eval` and the `datalogic-rs`
//! JsonLogic engine agree on every condition.

use serde_json::Value;

use super::generate::Generator;
use super::{crime_prevention, root};
use qc::codes::Code;
use qc::model::Instrument;
use qc::validate::{Options, Validator};

/// The instruments whose replies are generated: the bundled one and the pass fixtures.
pub(super) fn instruments() -> Vec<(String, Instrument)> {
    let mut out = vec![("crime-prevention.q".to_owned(), crime_prevention())];
    for entry in std::fs::read_dir(root().join("tests/fixtures/pass")).expect("pass fixtures") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|ext| ext != "q") {
            continue;
        }
        let instrument = super::loader::compile_path(&path)
            .instrument
            .expect("compiles");
        if instrument.items.iter().all(|item| item.answer.is_none()) {
            continue; // nothing to answer, nothing to generate
        }
        out.push((
            path.file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned(),
            instrument,
        ));
    }
    out
}

fn schema_validator(instrument: &Instrument) -> jsonschema::Validator {
    let schema = qc::emit::response_schema::schema(instrument);
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the response schema is a valid draft 2020-12 schema")
}

#[test]
fn qc_and_the_response_schema_agree_on_generated_replies() {
    for (name, instrument) in instruments() {
        let qc = Validator::new(&instrument);
        let schema = schema_validator(&instrument);
        // Whether these items are asked is for qc alone to say; the schema claims nothing.
        let unexpressed = qc::emit::response_schema::unexpressed(&instrument);
        // Lists whose records have logic of their own, which the schema leaves to qc.
        let list_logic: Vec<&str> = instrument
            .items
            .iter()
            .filter(|item| match &item.answer {
                Some(qc::model::AnswerType::List(list)) => {
                    list.fields.iter().any(|f| f.condition.is_some())
                        || matches!(list.min, Some(qc::model::Count::Item(_)))
                        || matches!(list.max, Some(qc::model::Count::Item(_)))
                }
                _ => false,
            })
            .map(|item| item.id.as_str())
            .collect();
        let claimed = |problem: &qc::validate::Problem| {
            // Constraints, calculated values and totals are qc's alone.
            if matches!(
                problem.code,
                Code::Constraint | Code::Calculation | Code::Total
            ) {
                return false;
            }
            let in_records = problem.item.as_deref().is_some_and(|item| {
                list_logic.contains(&item)
                    && problem.pointer.starts_with(&format!("/answers/{item}"))
                    && problem.pointer != format!("/answers/{item}")
                    || list_logic.contains(&item) && problem.code == Code::RecordCount
            });
            // A field asked of some records only: whether it is there is for qc to say.
            let from_answer = |max: bool| {
                instrument.items.iter().any(|item| {
                    Some(item.id.as_str()) == problem.item.as_deref()
                        && matches!(&item.answer, Some(qc::model::AnswerType::List(list))
                            if matches!(if max { &list.max } else { &list.min }, Some(qc::model::Count::Item(_))))
                })
            };
            let conditional = match problem.code {
                Code::Disabled => true,
                Code::RecordCount => from_answer(problem.message.contains("too many")),
                Code::BadRecord => problem.message.contains(" in record "),
                _ => false,
            };
            if in_records && conditional {
                return false;
            }
            let enabledness = matches!(
                problem.code,
                Code::Disabled | Code::Unanswered | Code::DisabledColumn
            );
            !(enabledness
                && problem.item.as_ref().is_some_and(|item| {
                    unexpressed
                        .iter()
                        .any(|u| u == item || u.starts_with(&format!("{item}/")))
                }))
        };
        let mut generator = Generator::new(&instrument, 7);
        let (mut valid, mut invalid) = (0, 0);
        for round in 0..600 {
            // Some replies with few broken answers, some with many.
            let reply = generator.reply([0, 2, 20, 100][round % 4]);
            let problems = qc.validate(&reply, Options { complete: true });
            let by_qc = problems
                .iter()
                .filter(|p| claimed(p))
                .all(|p| p.severity == qc::model::Severity::Warning);
            let by_schema = schema.is_valid(&reply);
            if by_qc != by_schema {
                let errors: Vec<String> = schema
                    .iter_errors(&reply)
                    .map(|e| format!("{e} at {}", e.instance_path()))
                    .collect();
                panic!("{name}: qc says {by_qc}, the schema {by_schema}\n{reply:#}\nqc: {problems:#?}\nschema: {errors:#?}");
            }
            let all_warnings = problems
                .iter()
                .all(|p| p.severity == qc::model::Severity::Warning);
            assert_eq!(
                qc.is_valid(&reply, Options { complete: true }),
                all_warnings
            );
            if by_qc {
                valid += 1
            } else {
                invalid += 1
            }
        }
        assert!(
            valid >= 20 && invalid >= 20,
            "{name}: {valid} valid, {invalid} invalid"
        );
    }
}

/// JsonLogic truthiness, as jsonlogic.com defines it.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(_) => true,
    }
}

#[test]
fn qc_and_datalogic_agree_on_every_condition() {
    for (name, instrument) in instruments() {
        let conditions: Vec<&qc::model::Condition> = instrument
            .items
            .iter()
            .filter_map(|item| item.condition.as_ref())
            .chain(
                instrument
                    .items
                    .iter()
                    .filter_map(|item| match &item.answer {
                        Some(qc::model::AnswerType::Grid(grid)) => {
                            Some(grid.columns.iter().filter_map(|c| c.condition.as_ref()))
                        }
                        _ => None,
                    })
                    .flatten(),
            )
            .collect();
        let rules: Vec<String> = conditions
            .iter()
            .map(|c| qc::emit::jsonlogic::rule(&instrument, c).to_string())
            .collect();
        let constraints: Vec<&qc::model::Constraint> = instrument
            .items
            .iter()
            .flat_map(|item| &item.constraints)
            .chain(instrument.sections.iter().flat_map(|s| &s.constraints))
            .collect();
        let constraint_rules: Vec<String> = constraints
            .iter()
            .map(|c| qc::emit::jsonlogic::constraint(&instrument, None, c).to_string())
            .collect();
        let today = qc::eval::today();
        let mut generator = Generator::new(&instrument, 11);
        let mut checked = 0;
        for _ in 0..300 {
            let reply = generator.reply(0);
            let answers = reply["answers"].as_object().expect("answers");
            // What a frontend evaluates rules against: the answers, today's date and each
            // calculated value, computed in order.
            let seen = qc::eval::with_calculations(&instrument, answers, &today);
            let data = Value::Object(seen.clone()).to_string();
            let theirs = |rule: &str, data: &str| -> Value {
                let result = datalogic_rs::eval_str(rule, data)
                    .unwrap_or_else(|e| panic!("{name}: {rule}: {e:?}"));
                serde_json::from_str(&result).expect("a JSON result")
            };
            for (condition, rule) in conditions.iter().zip(&rules) {
                let ours = qc::eval::holds(&instrument, condition, &seen);
                assert_eq!(
                    ours,
                    truthy(&theirs(rule, &data)),
                    "{name}: {rule} on {data}"
                );
                checked += 1;
            }
            for (constraint, rule) in constraints.iter().zip(&constraint_rules) {
                let ours = qc::eval::keeps(&instrument, constraint, &seen, None);
                assert_eq!(
                    ours,
                    truthy(&theirs(rule, &data)),
                    "{name}: {rule} on {data}"
                );
                checked += 1;
            }
            for id in qc::eval::calculation_order(&instrument) {
                let item = instrument.item(id);
                let Some(calculation) = &item.calculation else {
                    continue;
                };
                let rule = qc::emit::jsonlogic::value(&instrument, calculation).to_string();
                // Without the value itself: the rule computes it from what it reads.
                let mut without = seen.clone();
                without.remove(&item.id);
                let without = Value::Object(without).to_string();
                let mut result = theirs(&rule, &without);
                // A calculated amount: its value, and the currency its own rule computes.
                if let (Some(qc::model::AnswerType::Amount { .. }), false) =
                    (&item.answer, result.is_null())
                {
                    let currency = qc::emit::jsonlogic::currency(&instrument, calculation);
                    let currency = theirs(&currency.to_string(), &without);
                    result = serde_json::json!({ "value": result, "currency": currency });
                }
                let ours = &seen[&item.id];
                let agree = match (ours.as_f64(), result.as_f64()) {
                    (Some(a), Some(b)) => (a - b).abs() < 1e-9 * a.abs().max(1.0),
                    _ => qc::validate::same_value(ours, &result),
                };
                assert!(
                    agree,
                    "{name}: `{}` is {ours} for qc, {result} for datalogic: {rule} on {data}",
                    item.id
                );
                checked += 1;
            }
            // A list's own logic, on each record, which rules read as `this`.
            for (index, item) in instrument.items.iter().enumerate() {
                let Some(qc::model::AnswerType::List(list)) = &item.answer else {
                    continue;
                };
                let records = seen
                    .get(&item.id)
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for record in records.iter().filter_map(Value::as_object) {
                    let mut scope = seen.clone();
                    scope.insert("this".to_owned(), Value::Object(record.clone()));
                    let data = Value::Object(scope).to_string();
                    let list_id = qc::model::ItemId::from(index);
                    // Each computed field, from the record without it.
                    for field in &list.fields {
                        let Some(calculation) = &field.calculation else {
                            continue;
                        };
                        let rule =
                            qc::emit::jsonlogic::record_value(&instrument, list_id, calculation)
                                .to_string();
                        let mut without = seen.clone();
                        let mut own = record.clone();
                        own.remove(&field.id);
                        without.insert("this".to_owned(), Value::Object(own));
                        let data = Value::Object(without).to_string();
                        let ours = record.get(&field.id).cloned().unwrap_or(Value::Null);
                        let mut result = theirs(&rule, &data);
                        // A computed amount: its value, and the currency its own rule computes.
                        if matches!(field.answer, qc::model::AnswerType::Amount { .. })
                            && !result.is_null()
                        {
                            let currency = qc::emit::jsonlogic::record_currency(
                                &instrument,
                                list_id,
                                calculation,
                            );
                            let currency = theirs(&currency.to_string(), &data);
                            result = serde_json::json!({ "value": result, "currency": currency });
                        }
                        let agree = match (ours.as_f64(), result.as_f64()) {
                            (Some(a), Some(b)) => (a - b).abs() < 1e-9 * a.abs().max(1.0),
                            _ => qc::validate::same_value(&ours, &result),
                        };
                        assert!(agree, "{name}: `{}` is {ours} for qc, {result} for datalogic: {rule} on {data}", field.id);
                        checked += 1;
                    }
                    for field in &list.fields {
                        let Some(condition) = &field.condition else {
                            continue;
                        };
                        let rule =
                            qc::emit::jsonlogic::record_rule(&instrument, list_id, condition)
                                .to_string();
                        let ours = qc::eval::holds_in_record(
                            &instrument,
                            condition,
                            &seen,
                            (list_id, record),
                        );
                        assert_eq!(
                            ours,
                            truthy(&theirs(&rule, &data)),
                            "{name}: {rule} on {data}"
                        );
                        checked += 1;
                    }
                    for constraint in &list.constraints {
                        let rule =
                            qc::emit::jsonlogic::constraint(&instrument, Some(list_id), constraint)
                                .to_string();
                        let ours = qc::eval::keeps(
                            &instrument,
                            constraint,
                            &seen,
                            Some((list_id, record)),
                        );
                        assert_eq!(
                            ours,
                            truthy(&theirs(&rule, &data)),
                            "{name}: {rule} on {data}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(conditions.is_empty() || checked > 0);
    }
}

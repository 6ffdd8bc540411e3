//! Replies to and from what frontends hold (`qc::convert`): a reply written for a frontend
//! reads back as the same reply, and what a frontend cannot hold is a problem with its place.

use serde_json::{json, Map, Value};

use super::agreement::instruments;
use super::generate::Generator;
use qc::convert::{fhir, surveyjs};
use qc::model::{AnswerType, Instrument, ItemKind};

/// A reply's answers as they come back from any frontend: no `null`s, no calculated values
/// (qc computes them), a grid's ticks in the grid's column order, rows and grids without a
/// tick left out.
fn canonical(instrument: &Instrument, answers: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for item in &instrument.items {
        let Some(value) = answers.get(&item.id).filter(|value| !value.is_null()) else {
            continue;
        };
        if item.kind == ItemKind::Calculated {
            continue;
        }
        let value = match (&item.answer, value) {
            (Some(AnswerType::Grid(grid)), Value::Object(rows)) => {
                let mut kept = Map::new();
                for row in &grid.rows {
                    match (rows.get(&row.id), &row.answer) {
                        (None | Some(Value::Null), _) => {}
                        (Some(text), Some(_)) => {
                            kept.insert(row.id.clone(), text.clone());
                        }
                        (Some(Value::Array(ticked)), None) => {
                            let ticks: Vec<Value> = grid
                                .columns
                                .iter()
                                .filter(|c| ticked.contains(&json!(c.id)))
                                .map(|c| json!(c.id))
                                .collect();
                            if !ticks.is_empty() {
                                kept.insert(row.id.clone(), Value::Array(ticks));
                            }
                        }
                        (Some(other), None) => {
                            kept.insert(row.id.clone(), other.clone());
                        }
                    }
                }
                if kept.is_empty() {
                    continue;
                }
                Value::Object(kept)
            }
            (Some(AnswerType::List(_)), Value::Array(records)) => Value::Array(
                records
                    .iter()
                    .map(|record| match record {
                        Value::Object(fields) => Value::Object(
                            fields
                                .iter()
                                .filter(|(_, v)| !v.is_null())
                                .map(|(k, v)| (k.clone(), v.clone()))
                                .collect(),
                        ),
                        other => other.clone(),
                    })
                    .collect(),
            ),
            _ => value.clone(),
        };
        out.insert(item.id.clone(), value);
    }
    out
}

fn answers(reply: &Value) -> &Map<String, Value> {
    reply["answers"].as_object().expect("a reply has answers")
}

fn holds_special(value: &Value) -> bool {
    match value {
        Value::Object(object) => {
            object.contains_key("special") || object.values().any(holds_special)
        }
        Value::Array(values) => values.iter().any(holds_special),
        _ => false,
    }
}

/// Every valid reply generated for the bundled instrument and each pass fixture, written as
/// SurveyJS's data and read back, is the same reply; one with a special answer, which SurveyJS
/// cannot hold, is refused with the place of each.
#[test]
fn surveyjs_data_reads_back_as_the_reply_it_was_written_from() {
    let mut converted = 0;
    let mut refused = 0;
    for (name, instrument) in instruments() {
        let mut generator = Generator::new(&instrument, 7);
        for _ in 0..40 {
            let reply = generator.reply(0);
            let data = surveyjs::to_data(&instrument, &reply);
            if holds_special(&reply["answers"]) {
                assert!(
                    !data.problems.is_empty()
                        && data
                            .problems
                            .iter()
                            .all(|p| p.pointer.starts_with("/answers/")
                                && p.message.contains("special")),
                    "{name}: {:?}",
                    data.problems
                );
                refused += 1;
                continue;
            }
            assert_eq!(data.problems, [], "{name}: {reply}");
            let back = surveyjs::from_data(&instrument, &data.value);
            assert_eq!(back.problems, [], "{name}: {}", data.value);
            assert_eq!(back.value["form"], json!(instrument.id));
            assert_eq!(
                canonical(&instrument, answers(&back.value)),
                canonical(&instrument, answers(&reply)),
                "{name}: {reply}"
            );
            // What comes back is already in the form a frontend gives.
            assert_eq!(
                answers(&back.value),
                &canonical(&instrument, answers(&back.value))
            );
            converted += 1;
        }
    }
    assert!(
        converted > 200 && refused > 0,
        "{converted} converted, {refused} refused"
    );
}

/// SurveyJS's own shapes: a grid's text rows beside its matrix of ticks, ticks in any order,
/// numbers typed as text; and what does not fit is a problem at its place, never dropped.
#[test]
fn surveyjs_shapes_are_read_and_what_does_not_fit_is_a_problem() {
    let instrument = super::crime_prevention();
    let data = json!({
        "q1": "yes",
        "q15_total_costs": { "value": "2300000", "currency": "EUR" },
        "ta_areas": { "knowledge": ["need"], "social": ["provide", "need"] },
        "ta_areas_priority": "Monitoring",
    });
    let back = surveyjs::from_data(&instrument, &data);
    assert_eq!(back.problems, []);
    assert_eq!(
        back.value["answers"]["ta_areas"],
        json!({ "priority": "Monitoring", "knowledge": ["need"], "social": ["need", "provide"] })
    );
    assert_eq!(
        back.value["answers"]["q15_total_costs"],
        json!({ "value": 2300000, "currency": "EUR" })
    );
    let broken = json!({
        "q1": "yes",
        "nobody": 3,
        "ta_areas": { "knowledge": ["frob"], "nowhere": ["need"], "social": "need" },
    });
    let back = surveyjs::from_data(&instrument, &broken);
    let pointers: Vec<&str> = back.problems.iter().map(|p| p.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/nobody",
            "/ta_areas/knowledge/0",
            "/ta_areas/nowhere",
            "/ta_areas/social"
        ]
    );
    let special =
        json!({ "form": "crime_prevention", "answers": { "q1": { "special": "dont_know" } } });
    let data = surveyjs::to_data(&instrument, &special);
    assert_eq!(data.problems.len(), 1);
    assert_eq!(data.problems[0].pointer, "/answers/q1");
}

/// Every valid reply generated for the bundled instrument and each pass fixture, written as a
/// FHIR QuestionnaireResponse and read back, is the same reply, special answers included (a
/// `data-absent-reason`); a list with no records, which has no repeat to hold it, comes back
/// unanswered.
#[test]
fn fhir_responses_read_back_as_the_reply_they_were_written_from() {
    let mut converted = 0;
    let mut specials = 0;
    for (name, instrument) in instruments() {
        let mut generator = Generator::new(&instrument, 11);
        for _ in 0..40 {
            let reply = generator.reply(0);
            let response =
                qc::emit::fhir::questionnaire_response(&instrument, &reply, &qc::eval::today());
            let back = fhir::from_response(&instrument, &response);
            assert_eq!(back.problems, [], "{name}: {response}");
            let without_empty_lists = |answers: &Map<String, Value>| {
                let mut out = canonical(&instrument, answers);
                out.retain(|_, value| value != &json!([]));
                out
            };
            assert_eq!(
                without_empty_lists(answers(&back.value)),
                without_empty_lists(answers(&reply)),
                "{name}: {response}"
            );
            specials += usize::from(holds_special(&reply["answers"]));
            converted += 1;
        }
    }
    assert!(
        converted > 400 && specials > 0,
        "{converted} converted, {specials} with specials"
    );
}

/// What a QuestionnaireResponse holds that the form has no place for is a problem with its
/// JSON pointer.
#[test]
fn fhir_items_the_form_does_not_have_are_problems() {
    let instrument = super::crime_prevention();
    let response = json!({
        "resourceType": "QuestionnaireResponse",
        "item": [
            { "linkId": "nowhere", "answer": [{ "valueString": "x" }] },
            { "linkId": "q1", "answer": [{ "valueString": "yes" }] },
            { "linkId": "ta_areas", "item": [{ "linkId": "ta_areas_frob", "answer": [] }] },
        ],
    });
    let back = fhir::from_response(&instrument, &response);
    let pointers: Vec<&str> = back.problems.iter().map(|p| p.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/item/0/linkId",
            "/item/1/answer/0",
            "/item/2/item/0/linkId"
        ]
    );
    let other = fhir::from_response(&instrument, &json!({ "resourceType": "Patient" }));
    assert_eq!(other.problems.len(), 1);
}

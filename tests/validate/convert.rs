//! Replies to and from what frontends hold (`qc::convert`): a reply written for a frontend
//! reads back as the same reply, and what a frontend cannot hold is a problem with its place.

use serde_json::{json, Map, Value};

use super::agreement::instruments;
use super::generate::Generator;
use qc::convert::{fhir, odk, surveyjs};
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

/// A value without its empty texts and the objects left empty (a table's row with no cell),
/// which XML cannot tell from no answer.
fn without_empty_texts(value: &mut Value) {
    match value {
        Value::Object(object) => {
            object.values_mut().for_each(without_empty_texts);
            object.retain(|_, value| value != &json!("") && value != &json!({}));
        }
        Value::Array(values) => values.iter_mut().for_each(without_empty_texts),
        _ => {}
    }
}

/// A pass fixture, compiled.
fn fixture(name: &str) -> Instrument {
    super::loader::compile_path(&super::root().join(format!("tests/fixtures/pass/{name}.q")))
        .instrument
        .expect("the fixture compiles")
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
        "q15_total_costs_value": "2300000",
        "q15_total_costs_currency": "EUR",
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
            // A list with no records and a table's row with no cell have nothing to repeat.
            let without_empty_lists = |answers: &Map<String, Value>| {
                let mut out = canonical(&instrument, answers);
                out.values_mut().for_each(without_empty_texts);
                out.retain(|_, value| value != &json!([]) && value != &json!({}));
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

/// Every valid reply generated for the bundled instrument and each pass fixture, written as an
/// ODK submission and read back, is the same reply; one with a special answer, which XLSForm
/// cannot hold, is refused with the place of each. An empty text is no answer in XML.
#[test]
fn odk_submissions_read_back_as_the_reply_they_were_written_from() {
    let mut converted = 0;
    let mut refused = 0;
    for (name, instrument) in instruments() {
        let layout = odk::Layout::of(&instrument);
        let mut generator = Generator::new(&instrument, 13);
        for _ in 0..40 {
            let reply = generator.reply(0);
            let submission = layout.to_submission(&reply);
            if holds_special(&reply["answers"]) {
                assert!(
                    !submission.problems.is_empty()
                        && submission
                            .problems
                            .iter()
                            .all(|p| p.pointer.starts_with("/answers/")
                                && p.message.contains("special")),
                    "{name}: {:?}",
                    submission.problems
                );
                refused += 1;
                continue;
            }
            assert_eq!(submission.problems, [], "{name}: {reply}");
            let back = layout.from_submission(&submission.value);
            assert_eq!(back.problems, [], "{name}: {}", submission.value);
            assert_eq!(back.value["form"], json!(instrument.id));
            let without_empty = |answers: &Map<String, Value>| {
                let mut out = canonical(&instrument, answers);
                out.values_mut().for_each(without_empty_texts);
                out.retain(|_, value| ![json!([]), json!(""), json!({})].contains(value));
                out
            };
            assert_eq!(
                without_empty(answers(&back.value)),
                without_empty(answers(&reply)),
                "{name}: {}",
                submission.value
            );
            converted += 1;
        }
    }
    assert!(
        converted > 200 && refused > 0,
        "{converted} converted, {refused} refused"
    );
}

/// What ODK Collect, Enketo and KoboToolbox send besides the answers is read past (a repeat's
/// template, the servers' elements, elements left out); what has no place in the form is a
/// problem at the element's path; and XML that could expand entities is refused.
#[test]
fn odk_submissions_are_read_as_the_servers_send_them_and_refused_at_their_place() {
    let instrument = fixture("records");
    let layout = odk::Layout::of(&instrument);
    let submission = r#"<?xml version="1.0"?>
<data xmlns:jr="http://openrosa.org/javarosa" id="records" version="1">
  <formhub><uuid>1f2e</uuid></formhub>
  <household>
    <persons>2</persons>
    <members jr:template=""><members_name/></members>
    <members><members_name>Ana &amp; Co</members_name><members_age> 41 </members_age></members>
    <members><members_name><![CDATA[<Ben>]]></members_name><members_age>7</members_age></members>
  </household>
  <__version__>vX</__version__>
  <orx:meta xmlns:orx="http://openrosa.org/xforms"><orx:instanceID>uuid:1</orx:instanceID></orx:meta>
</data>"#;
    let back = layout.from_submission(submission);
    assert_eq!(back.problems, []);
    assert_eq!(
        back.value["answers"],
        json!({
            "persons": 2,
            "members": [{ "name": "Ana & Co", "age": 41 }, { "name": "<Ben>", "age": 7 }],
        })
    );

    let misplaced = r#"<data id="records"><household>
      <persons>2</persons><persons>3</persons>
      <members><nowhere>1</nowhere><members_age><x/></members_age></members>
      <members_name>out of its record</members_name>
    </household><stray/></data>"#;
    let back = layout.from_submission(misplaced);
    let places: Vec<&str> = back.problems.iter().map(|p| p.pointer.as_str()).collect();
    assert_eq!(
        places,
        [
            "/data/household/persons",
            "/data/household/members[1]/nowhere",
            "/data/household/members[1]/members_age",
            "/data/household/members_name",
            "/data/stray",
        ]
    );

    let refused = [
        (
            r#"<data id="other"><household/></data>"#,
            "the submission is to the form `other`",
        ),
        (
            r#"<!DOCTYPE data [<!ENTITY a "aaaa">]><data id="records">&a;</data>"#,
            "no document type declaration",
        ),
        (
            r#"<data id="records"><household>&ent;</household></data>"#,
            "not one of XML's own",
        ),
        (
            r#"<data id="records"><household>"#,
            "ends before its root element",
        ),
        (
            r#"<data id="records"></household></data>"#,
            "not well-formed XML",
        ),
        (r#"<data id="records"/><data/>"#, "outside the root element"),
    ];
    for (xml, message) in refused {
        let back = layout.from_submission(xml);
        assert!(
            back.problems.len() == 1 && back.problems[0].message.contains(message),
            "{xml}: {:?}",
            back.problems
        );
    }
}

/// A reply that XML cannot hold is refused at its pointer: a special answer, a character XML
/// 1.0 has no place for, a code with a space, an answer the form has no element for.
#[test]
fn odk_submissions_refuse_what_xml_and_xlsform_cannot_hold() {
    let instrument = fixture("records");
    let layout = odk::Layout::of(&instrument);
    let reply = json!({
        "form": "records",
        "answers": {
            "persons": { "special": "dont_know" },
            "members": [{ "name": "bell \u{7}", "language": "fr", "extra": 1 }],
            "nowhere": 1,
        },
    });
    let submission = layout.to_submission(&reply);
    let pointers: Vec<&str> = submission
        .problems
        .iter()
        .map(|p| p.pointer.as_str())
        .collect();
    assert_eq!(
        pointers,
        [
            "/answers/persons",
            "/answers/members/0/extra",
            "/answers/nowhere",
            "/answers/members/0/name",
        ],
        "{:?}",
        submission.problems
    );
}

//! The example replies of `questionnaires/examples/crime-prevention/`: each shows one class of
//! problem, and the validator finds exactly that.

use qc::codes::Code;
use qc::model::Severity;
use qc::validate::{Options, Validator};

use super::{crime_prevention, example, root};

fn codes(problems: &[qc::validate::Problem]) -> Vec<&'static str> {
    let mut codes: Vec<&str> = problems.iter().map(|p| p.code.as_str()).collect();
    codes.dedup();
    codes
}

#[test]
fn the_complete_reply_is_valid_even_when_complete_is_required() {
    let instrument = crime_prevention();
    let validator = Validator::new(&instrument);
    let reply = example("arcadia-complete.json");
    let strict = Options { complete: true };
    assert_eq!(validator.validate(&reply, strict), vec![]);
    assert!(validator.is_valid(&reply, strict));
}

#[test]
fn a_reply_in_progress_warns_unless_complete_is_required() {
    let instrument = crime_prevention();
    let validator = Validator::new(&instrument);
    let reply = example("borduria-in-progress.json");
    let problems = validator.validate(&reply, Options::default());
    assert!(!problems.is_empty());
    assert!(problems
        .iter()
        .all(|p| p.code == Code::Unanswered && p.severity == Severity::Warning));
    assert!(validator.is_valid(&reply, Options::default()));
    assert!(!validator.is_valid(&reply, Options { complete: true }));
    let first = &problems[0];
    assert_eq!(first.pointer, "/answers/q5c");
    assert_eq!(first.number.as_deref(), Some("5 (c)"));
}

#[test]
fn each_invalid_example_shows_its_problem() {
    let instrument = crime_prevention();
    let validator = Validator::new(&instrument);
    let cases = [
        ("invalid-unknown-item.json", "V0101", "/answers/q29"),
        ("invalid-wrong-type.json", "V0102", "/answers/q5a"),
        ("invalid-unknown-code.json", "V0103", "/answers/q25"),
        ("invalid-date.json", "V0104", "/answers/q2a_date"),
        ("invalid-out-of-bounds.json", "V0105", "/answers/q24/0/year"),
        ("invalid-amount.json", "V0106", "/answers/q15_total_costs"),
        ("invalid-disabled-answer.json", "V0107", "/answers/q1_steps"),
        (
            "invalid-disabled-column.json",
            "V0109",
            "/answers/ta_areas/social/0",
        ),
        ("invalid-list-record.json", "V0111", "/answers/q24/2/title"),
    ];
    for (file, code, pointer) in cases {
        let reply = example(file);
        let problems = validator.validate(&reply, Options::default());
        assert!(!validator.is_valid(&reply, Options::default()), "{file}");
        let found = problems.iter().find(|p| p.code.as_str() == code);
        let found = found.unwrap_or_else(|| panic!("{file}: {:?}", codes(&problems)));
        assert_eq!(found.pointer, pointer, "{file}");
        assert_eq!(found.severity, Severity::Error);
    }
}

#[test]
fn every_example_file_is_covered() {
    let files = std::fs::read_dir(root().join("questionnaires/examples/crime-prevention"))
        .expect("examples")
        .count();
    assert_eq!(files, 11);
}

#[test]
fn stripping_removes_exactly_the_answers_that_are_not_asked() {
    let instrument = crime_prevention();
    let validator = Validator::new(&instrument);
    let reply = example("invalid-disabled-answer.json");
    let cleaned = validator.strip_disabled(&reply);
    assert!(cleaned["answers"].get("q1_steps").is_none());
    assert_eq!(cleaned["answers"]["q1"], "no");
    assert!(validator.is_valid(&cleaned, Options { complete: true }));

    let reply = example("invalid-disabled-column.json");
    let cleaned = validator.strip_disabled(&reply);
    assert_eq!(
        cleaned["answers"]["ta_areas"]["organized_crime"],
        serde_json::json!(["need"])
    );
    assert_eq!(
        cleaned["answers"]["ta_areas"]["local"],
        serde_json::json!([])
    );
    assert!(validator.is_valid(&cleaned, Options::default()));
}

#[test]
fn replies_to_another_form_or_without_answers_are_refused() {
    let instrument = crime_prevention();
    let validator = Validator::new(&instrument);
    let other = serde_json::json!({ "form": "victim_issues", "answers": {} });
    assert_eq!(
        codes(&validator.validate(&other, Options::default())),
        ["V0002"]
    );
    let empty = serde_json::json!({ "form": "crime_prevention" });
    assert_eq!(
        codes(&validator.validate(&empty, Options::default())),
        ["V0001"]
    );
    let array = serde_json::json!([]);
    assert_eq!(
        codes(&validator.validate(&array, Options::default())),
        ["V0001"]
    );
    let old = serde_json::json!({ "form": "crime_prevention", "version": "0.9", "answers": {} });
    let problems = validator.validate(&old, Options::default());
    assert!(problems
        .iter()
        .any(|p| p.code == Code::WrongVersion && p.severity == Severity::Warning));
}

/// "Please mark the appropriate box(es)": a required grid that is asked needs a tick in a
/// column that is asked; its text row alone, or ticks only in a closed column, do not answer it.
#[test]
fn a_required_grid_needs_a_box_ticked_in_a_column_asked() {
    let instrument = crime_prevention();
    let validator = Validator::new(&instrument);
    let mut reply = example("arcadia-complete.json");
    let strict = Options { complete: true };
    let at_grid = |problems: &[qc::validate::Problem]| {
        problems
            .iter()
            .filter(|p| p.code == Code::Unanswered && p.pointer == "/answers/ta_areas")
            .count()
    };
    assert_eq!(at_grid(&validator.validate(&reply, strict)), 0);
    reply["answers"]["ta_areas"] = serde_json::json!({ "priority": "Monitoring" });
    let problems = validator.validate(&reply, strict);
    assert_eq!(at_grid(&problems), 1, "{problems:?}");
    assert!(problems
        .iter()
        .any(|p| p.message.contains("no box is ticked")));
    // In progress, a warning.
    let problems = validator.validate(&reply, Options::default());
    assert!(problems
        .iter()
        .any(|p| p.pointer == "/answers/ta_areas" && p.severity == Severity::Warning));
}

/// A household form: a number of members read from an answer, fields with bounds, and a
/// constraint on a number.
const HOUSEHOLD: &str = r#"instrument hh { title "Household" }
section main "Main" {
  question hh_size "How many people live here?" : integer min 1 max 30 { allow uncited }
  question members "Members" : list min 1 max hh_size {
    field name "Name" : text
    field age "Age" : integer min 0 max 120
  }
  question budget "Budget" : integer {
    allow uncited
    check budget >= 100 else error "At least 100"
  }
}
"#;

/// A problem in a record names the field and the record (from 1, where the pointer counts
/// from 0), points at the field's declaration, and shows the field's label; an answer of the
/// wrong type is reported once, and breaks no constraint that reads it.
#[test]
fn problems_in_records_name_their_field_and_record() {
    let instrument = qc::compile(HOUSEHOLD).instrument.expect("compiles");
    let validator = Validator::new(&instrument);
    let reply = serde_json::json!({
        "form": "hh",
        "answers": {
            "hh_size": 2,
            "members": [{ "name": "A", "age": "forty" }, { "age": 5 }],
            "budget": "500",
        },
    });
    let problems = validator.validate(&reply, Options { complete: false });
    let shown: Vec<(&str, &str, &str)> = problems
        .iter()
        .map(|p| (p.code.as_str(), p.pointer.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(
        shown,
        [
            (
                "V0102",
                "/answers/members/0/age",
                "field `age` of record 1 of question 2 `members` takes a number, not a string"
            ),
            (
                "V0111",
                "/answers/members/1/name",
                "field `name` of record 2 of question 2 `members` is required, but not answered"
            ),
            (
                "V0102",
                "/answers/budget",
                "question 3 `budget` takes a number, not a string"
            ),
        ]
    );
    assert_eq!(problems[0].label.as_deref(), Some("Age"));
    let span = problems[0].span.expect("located");
    assert_eq!(&HOUSEHOLD[span.start..span.end], "age");
}

/// More records than an answer allows is a warning while the reply is in progress, and an
/// error when it must be complete; the message names the answer the number comes from.
#[test]
fn a_number_of_records_read_from_an_answer_is_checked_when_complete() {
    let instrument = qc::compile(HOUSEHOLD).instrument.expect("compiles");
    let validator = Validator::new(&instrument);
    let reply = serde_json::json!({
        "form": "hh",
        "answers": {
            "hh_size": 1,
            "members": [{ "name": "A", "age": 40 }, { "name": "B", "age": 4 }],
            "budget": 200,
        },
    });
    let in_progress = validator.validate(&reply, Options { complete: false });
    assert_eq!(codes(&in_progress), ["V0116"]);
    assert_eq!(in_progress[0].severity, Severity::Warning);
    assert_eq!(
        in_progress[0].message,
        "question 2 `members` has 2 records: too many, it takes at most 1 (the answer to question 1 `hh_size`)"
    );
    let complete = validator.validate(&reply, Options { complete: true });
    assert_eq!(codes(&complete), ["V0116"]);
    assert_eq!(complete[0].severity, Severity::Error);
}

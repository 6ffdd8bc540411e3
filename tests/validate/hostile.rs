//! Hostile replies: each gets a clear error, and none a panic.

use qc::codes::Code;
use qc::validate::{parse_reply, Options, Validator};

use super::crime_prevention;

#[test]
fn json_nested_100000_deep_is_refused_without_overflow() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let error = parse_reply(deep.as_bytes()).expect_err("too deep");
    assert_eq!(error.code, Code::TooDeep);
    let nested = format!(
        "{{\"form\": \"crime_prevention\", \"answers\": {{\"q1\": {}{}}}}}",
        "{\"a\":".repeat(100_000),
        "}".repeat(100_000)
    );
    assert_eq!(
        parse_reply(nested.as_bytes()).expect_err("too deep").code,
        Code::TooDeep
    );
}

#[test]
fn duplicate_keys_are_refused_with_their_place() {
    let text = "{\"form\": \"crime_prevention\",\n \"answers\": {\"q1\": \"yes\", \"q1\": \"no\"}}";
    let error = parse_reply(text.as_bytes()).expect_err("duplicate key");
    assert_eq!(error.code, Code::DuplicateKey);
    assert!(error.message.contains("`q1`"), "{}", error.message);
    assert_eq!(error.line, 2);
}

#[test]
fn invalid_utf8_and_truncated_files_are_refused() {
    let error = parse_reply(b"{\"form\": \"\xff\"}").expect_err("not UTF-8");
    assert_eq!(error.code, Code::NotUtf8);
    let error =
        parse_reply(b"{\"form\": \"crime_prevention\", \"answers\": {\"q1\": ").expect_err("cut");
    assert_eq!(error.code, Code::NotJson);
    assert!(error.message.contains("cut short"), "{}", error.message);
    let error = parse_reply(b"").expect_err("empty");
    assert_eq!(error.code, Code::NotJson);
}

#[test]
fn a_huge_string_is_checked_like_any_other() {
    let huge = "x".repeat(100 * 1024 * 1024);
    let text = format!("{{\"form\": \"crime_prevention\", \"answers\": {{\"q1\": \"{huge}\"}}}}");
    let reply = parse_reply(text.as_bytes()).expect("valid JSON");
    let instrument = crime_prevention();
    let problems = Validator::new(&instrument).validate(&reply, Options::default());
    let unknown = problems
        .iter()
        .find(|p| p.code == Code::UnknownCode)
        .expect("unknown code");
    // The message shows the start of the answer, not 100 MB of it.
    assert!(
        unknown.message.len() < 300,
        "{} bytes",
        unknown.message.len()
    );
}

#[test]
fn values_of_every_wrong_type_are_problems_not_panics() {
    let instrument = crime_prevention();
    let validator = Validator::new(&instrument);
    let odd = [
        serde_json::json!(null),
        serde_json::json!(true),
        serde_json::json!(1.5),
        serde_json::json!("text"),
        serde_json::json!([1, "a", null, [], {}]),
        serde_json::json!({ "value": "x", "currency": 7, "extra": [] }),
    ];
    for item in &instrument.items {
        for value in &odd {
            let reply = serde_json::json!({ "form": "crime_prevention", "answers": { item.id.clone(): value } });
            let problems = validator.validate(&reply, Options::default());
            assert_eq!(
                validator.is_valid(&reply, Options::default()),
                problems
                    .iter()
                    .all(|p| p.severity == qc::model::Severity::Warning)
            );
        }
    }
}

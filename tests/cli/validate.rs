//! `qc validate` and `qc convert-response`: replies, folders, compiled forms, the reply fixtures.

use super::*;

const EXAMPLES: &str = "questionnaires/examples/crime-prevention";

#[test]
fn validate_exits_0_for_a_valid_reply_and_1_for_an_invalid_one() {
    let form = path(BUNDLED);
    let valid = qc(&[
        "validate",
        "--complete",
        &form,
        &path(&format!("{EXAMPLES}/arcadia-complete.json")),
    ]);
    assert_eq!(
        valid.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&valid.stdout)
    );
    let invalid = qc(&[
        "validate",
        &form,
        &path(&format!("{EXAMPLES}/invalid-unknown-code.json")),
    ]);
    assert_eq!(invalid.status.code(), Some(1));
    let text = String::from_utf8_lossy(&invalid.stdout);
    assert!(text.contains("V0103 at /answers/q25"), "{text}");
    assert!(
        text.contains("crime-prevention.q:"),
        "a .q form gives source locations: {text}"
    );
}

#[test]
fn validate_takes_a_compiled_form_too() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let form = dir.path().join("form.json");
    assert_eq!(
        qc(&["compile", &path(BUNDLED), "-o", &form.display().to_string()])
            .status
            .code(),
        Some(0)
    );
    let output = qc(&[
        "validate",
        &form.display().to_string(),
        &path(&format!("{EXAMPLES}/invalid-date.json")),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("V0104 at /answers/q2a_date"), "{text}");
}

#[test]
fn validate_checks_a_folder_and_keeps_going_past_broken_files() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for name in ["arcadia-complete.json", "invalid-wrong-type.json"] {
        std::fs::copy(path(&format!("{EXAMPLES}/{name}")), dir.path().join(name)).expect("copy");
    }
    std::fs::write(dir.path().join("broken.json"), "{\"form\": ").expect("write");
    std::fs::write(dir.path().join("latin1.json"), b"{\"form\": \"\xe9\"}").expect("write");
    std::fs::write(dir.path().join("notes.txt"), "not a reply").expect("write");
    let output = qc(&[
        "validate",
        "--format",
        "json",
        &path(BUNDLED),
        &dir.path().display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON lines"))
        .collect();
    assert_eq!(lines.len(), 5, "four replies and a summary: {lines:?}");
    assert_eq!(
        lines[4]["summary"],
        serde_json::json!({ "valid": 1, "invalid": 1, "unparsable": 2, "unreadable": 0 })
    );
    let broken = lines
        .iter()
        .find(|l| {
            l["file"]
                .as_str()
                .is_some_and(|f| f.ends_with("broken.json"))
        })
        .expect("broken");
    assert!(
        broken["error"]
            .as_str()
            .expect("error")
            .starts_with("V0202"),
        "{broken}"
    );
}

#[test]
fn strip_disabled_writes_a_cleaned_copy() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("cleaned.json");
    let reply = path(&format!("{EXAMPLES}/invalid-disabled-answer.json"));
    let output = qc(&[
        "validate",
        "--strip-disabled",
        "-o",
        &out.display().to_string(),
        &path(BUNDLED),
        &reply,
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let cleaned: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).expect("cleaned")).expect("JSON");
    assert!(cleaned["answers"].get("q1_steps").is_none());
    let again = qc(&[
        "validate",
        "--complete",
        &path(BUNDLED),
        &out.display().to_string(),
    ]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(
        qc(&["validate", "--strip-disabled", &path(BUNDLED), &reply])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn validate_with_a_broken_form_or_missing_reply_exits_2() {
    let broken = qc(&[
        "validate",
        &fixture("fail/E0109-cycle.q"),
        &path(&format!("{EXAMPLES}/arcadia-complete.json")),
    ]);
    assert_eq!(broken.status.code(), Some(2));
    let missing = qc(&["validate", &path(BUNDLED), "/no/such/reply.json"]);
    assert_eq!(missing.status.code(), Some(2));
}

/// Each reply fixture of `tests/fixtures/replies/`, named after a problem code, is validated
/// against the bundled instrument by the real binary; the output shows that code and is
/// snapshotted.
#[test]
fn reply_fixtures_show_their_problems() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(root.join("tests/fixtures/replies"))
        .expect("reply fixtures")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    assert!(names.len() >= 19);
    for name in names {
        let code = name.split('-').next().expect("a code");
        // A reply to the bundled instrument, or to the pass fixture its `form` names.
        let bytes =
            std::fs::read(root.join("tests/fixtures/replies").join(&name)).expect("a fixture");
        let form = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|reply| reply.get("form")?.as_str().map(str::to_owned));
        let instrument = match form.as_deref() {
            Some(form) if root.join(format!("tests/fixtures/pass/{form}.q")).exists() => {
                format!("tests/fixtures/pass/{form}.q")
            }
            _ => BUNDLED.to_owned(),
        };
        let output = Command::new(env!("CARGO_BIN_EXE_qc"))
            .current_dir(&root)
            .args([
                "validate",
                &instrument,
                &format!("tests/fixtures/replies/{name}"),
            ])
            .env("NO_COLOR", "1")
            .output()
            .expect("qc runs");
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(text.contains(code), "{name}: {text}");
        let expected = if code == "V0003" || code == "V0108" || name.contains("warning") {
            0
        } else {
            1
        };
        assert_eq!(output.status.code(), Some(expected), "{name}: {text}");
        insta::with_settings!({ snapshot_suffix => name.trim_end_matches(".json").to_owned(), omit_expression => true }, {
            insta::assert_snapshot!(text);
        });
    }
}

#[test]
fn convert_response_writes_a_questionnaire_response() {
    let output = qc(&[
        "convert-response",
        "--to",
        "fhir",
        &path(BUNDLED),
        &path(&format!("{EXAMPLES}/borduria-in-progress.json")),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let response: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(response["resourceType"], "QuestionnaireResponse");
    assert_eq!(response["status"], "in-progress");
    let broken = qc(&[
        "convert-response",
        "--to",
        "fhir",
        &path(BUNDLED),
        &fixture("replies/V0202-not-json.json"),
    ]);
    assert_eq!(broken.status.code(), Some(1));
}

/// The draft victim-issues instrument is built from the shared modules, compiles clean and
/// validates its example replies.
#[test]
fn victim_issues_instrument_validates_its_examples() {
    let form = path("questionnaires/victim-issues.q");
    let check = qc(&["check", "--deny-warnings", &form]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let examples = "questionnaires/examples/victim-issues";
    let complete = qc(&[
        "validate",
        "--complete",
        &form,
        &path(&format!("{examples}/arcadia-complete.json")),
    ]);
    assert_eq!(
        complete.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&complete.stdout)
    );
    let progress = qc(&[
        "validate",
        &form,
        &path(&format!("{examples}/borduria-in-progress.json")),
    ]);
    assert_eq!(progress.status.code(), Some(0));
    let invalid = qc(&[
        "validate",
        &form,
        &path(&format!("{examples}/invalid-disabled-answer.json")),
    ]);
    assert_eq!(invalid.status.code(), Some(1));
    let text = String::from_utf8_lossy(&invalid.stdout);
    assert!(text.contains("V0107 at /answers/v1_name"), "{text}");
    assert!(text.contains("V0107 at /answers/v14_describe"), "{text}");
    // The grid and the concluding questions come from `common/blocks.q`, with this
    // instrument's ids, areas and numbers.
    let compiled = qc(&["compile", &form]);
    let value: serde_json::Value = serde_json::from_slice(&compiled.stdout).expect("JSON");
    let text = value.to_string();
    assert!(
        text.contains("If the answer to questions 17 and/or 18 is “Yes”"),
        "{text}"
    );
    assert!(text.contains("delivering effective victim support?"));
}

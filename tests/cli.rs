//! The `qc` binary: exit codes, streams, files written or left alone.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn qc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qc"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("qc runs")
}

fn qc_with_stdin(args: &[&str], input: &[u8]) -> Output {
    qc_with_stdin_in(".", args, input)
}

/// Runs qc in the folder `dir` (relative to the crate), with `input` on standard input.
fn qc_with_stdin_in(dir: &str, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qc"))
        .current_dir(path(dir))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("qc runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("qc ends")
}

fn path(relative: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(relative)
        .display()
        .to_string()
}

fn fixture(name: &str) -> String {
    path(&format!("tests/fixtures/{name}"))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const BUNDLED: &str = "questionnaires/crime-prevention.q";

/// Clean: no error, no warning. What remains are notes on how far its French and Spanish
/// translations have come (they translate the structure only).
#[test]
fn check_of_the_bundled_instrument_is_clean() {
    let output = qc(&[
        "check",
        "--deny-warnings",
        "--diagnostic-format",
        "json",
        &path(BUNDLED),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    let notes: Vec<serde_json::Value> = stderr(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    let languages: Vec<&str> = notes
        .iter()
        .map(|note| {
            assert_eq!(note["severity"], "note", "{note}");
            assert_eq!(note["code"], "N0001", "{note}");
            note["message"]
                .as_str()
                .expect("a message")
                .split(':')
                .next()
                .unwrap_or("")
        })
        .collect();
    assert_eq!(languages, ["fr", "es"]);
}

#[test]
fn check_exits_1_on_errors_and_reports_them_on_stderr() {
    let output = qc(&["check", &fixture("fail/E0103-unknown-code.q")]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.contains("E0103"), "{text}");
    assert!(text.contains("unknown option `maybe` for `q25`"), "{text}");
    assert!(text.contains("1 error, 0 warnings"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour off a terminal: {text}");
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let file = fixture("fail/W0201-later-reference.q");
    assert_eq!(qc(&["check", &file]).status.code(), Some(0));
    assert_eq!(
        qc(&["check", "--deny-warnings", &file]).status.code(),
        Some(1)
    );
}

#[test]
fn several_files_are_checked_and_the_worst_status_wins() {
    let output = qc(&[
        "check",
        &path(BUNDLED),
        &fixture("fail/E0101-duplicate-id.q"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let missing = qc(&["check", &path(BUNDLED), "/no/such/file.q"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read `/no/such/file.q`"));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(qc(&["check"]).status.code(), Some(2));
    assert_eq!(qc(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        qc(&["check", "--diagnostic-format", "xml", "x.q"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn json_diagnostics_are_one_object_per_line_with_locations() {
    let output = qc(&[
        "check",
        "--diagnostic-format",
        "json",
        &fixture("fail/many-errors-sorted.q"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    let objects: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON object per line"))
        .collect();
    assert!(objects.len() >= 4, "{text}");
    for object in &objects {
        for key in [
            "code", "severity", "message", "file", "line", "column", "span",
        ] {
            assert!(object.get(key).is_some(), "{key} missing in {object}");
        }
    }
    let first = &objects[0];
    assert_eq!(first["code"], "E0102");
    assert_eq!(first["line"], 4);
    assert_eq!(
        first["span"]["end"].as_u64().unwrap() - first["span"]["start"].as_u64().unwrap(),
        2
    );
}

#[test]
fn compile_writes_the_form_to_stdout_or_to_a_file() {
    let output = qc(&["compile", &path(BUNDLED)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let form: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(form["format"], "qc-form/1");

    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("form.json");
    let written = qc(&["compile", &path(BUNDLED), "-o", &out.display().to_string()]);
    assert_eq!(written.status.code(), Some(0));
    assert!(written.stdout.is_empty());
    assert_eq!(std::fs::read(&out).expect("the output file"), output.stdout);
}

#[test]
fn a_failed_compile_leaves_a_previous_output_untouched() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("form.json");
    std::fs::write(&out, "previous good output").expect("write");
    let output = qc(&[
        "compile",
        &fixture("fail/E0109-cycle.q"),
        "-o",
        &out.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&out).expect("read"),
        "previous good output"
    );
    assert_eq!(entries(dir.path()), 1, "no temporary file is left behind");

    let fresh = dir.path().join("never.json");
    qc(&[
        "compile",
        &fixture("fail/E0109-cycle.q"),
        "-o",
        &fresh.display().to_string(),
    ]);
    assert!(!fresh.exists());
}

fn entries(dir: &Path) -> usize {
    std::fs::read_dir(dir).expect("read dir").count()
}

#[test]
fn dash_reads_standard_input() {
    // Imports of standard input are read relative to the working folder.
    let source = std::fs::read(path(BUNDLED)).expect("read");
    let output = qc_with_stdin_in("questionnaires", &["compile", "-"], &source);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let elsewhere = qc_with_stdin(&["compile", "-"], &source);
    assert_eq!(elsewhere.status.code(), Some(1));
    assert!(
        stderr(&elsewhere).contains("E0118"),
        "{}",
        stderr(&elsewhere)
    );
    let bad = qc_with_stdin(&["check", "-"], b"instrument x {");
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("<stdin>"), "{}", stderr(&bad));
}

#[test]
fn invalid_utf8_is_a_diagnostic_not_a_crash() {
    let output = qc(&["check", &fixture("fail/E0003-invalid-utf8.q")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("E0003"));
}

#[test]
fn deep_nesting_is_a_diagnostic_not_a_stack_overflow() {
    for name in [
        "fail/E0002-nesting-too-deep.q",
        "fail/E0002-groups-too-deep.q",
    ] {
        let output = qc(&["check", &fixture(name)]);
        assert_eq!(output.status.code(), Some(1), "{name}");
        assert!(stderr(&output).contains("E0002"));
    }
}

#[test]
fn explain_prints_an_explanation_or_exits_2() {
    let output = qc(&["explain", "E0103"]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("E0103: unknown option"), "{text}");
    assert!(text.contains("q25 = maybe"), "{text}");
    assert_eq!(qc(&["explain", "E9999"]).status.code(), Some(2));
}

#[test]
fn help_describes_every_command() {
    let output = qc(&["--help"]);
    let text = String::from_utf8_lossy(&output.stdout);
    for command in ["check", "compile", "explain"] {
        assert!(text.contains(command), "{text}");
    }
    let compile = qc(&["compile", "--help"]);
    let text = String::from_utf8_lossy(&compile.stdout);
    assert!(
        text.contains("--output") && text.contains("--diagnostic-format"),
        "{text}"
    );
}

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

/// What an export loses is a warning like any other: a JSON line with its code and place, and
/// with `--deny-warnings` the export is refused and nothing is written.
#[test]
fn export_losses_are_coded_warnings() {
    let fixture = path("tests/fixtures/exports/W0301-export-loss.q");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("questionnaire.json");
    let out = out.display().to_string();
    let args = [
        "compile",
        "--emit",
        "fhir",
        "--diagnostic-format",
        "json",
        &fixture,
        "-o",
        &out,
    ];
    let output = qc(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines: Vec<serde_json::Value> = stderr(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["code"], "W0301");
    assert_eq!(lines[0]["severity"], "warning");
    assert_eq!(lines[0]["line"], 7);
    assert!(lines[0]["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("fhir: `spent`: special answers")));
    std::fs::remove_file(&out).expect("the questionnaire was written");
    let denied = qc(&[&args[..], &["--deny-warnings"]].concat());
    assert_eq!(denied.status.code(), Some(1));
    assert!(!Path::new(&out).exists(), "a refused export writes nothing");
}

#[test]
fn xlsform_needs_an_output_file_and_reports_what_it_cannot_hold() {
    assert_eq!(
        qc(&["compile", "--emit", "xlsform", &path(BUNDLED)])
            .status
            .code(),
        Some(2)
    );
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("form.xlsx");
    let output = qc(&[
        "compile",
        "--emit",
        "xlsform",
        &path(BUNDLED),
        "-o",
        &out.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stderr(&output).contains("W0301")
            && stderr(&output).contains("xlsform: `q15_total_costs`: amount"),
        "{}",
        stderr(&output)
    );
    assert_eq!(&std::fs::read(&out).expect("the workbook")[..2], b"PK");
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

#[test]
fn coverage_lists_citers_and_uncited_paragraphs() {
    let output = qc(&["coverage", &path(BUNDLED)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    // Paragraph 19 is cited by a row of the technical-assistance grid only.
    assert!(text.contains("para 19  ta_areas (partnerships)"), "{text}");
    assert!(text.contains("    (a)  4 (a), 4 (b)"), "{text}");

    let json = qc(&[
        "coverage",
        "--format",
        "json",
        &path("tests/fixtures/pass/modules.q"),
    ]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let guidelines = &value["documents"][0];
    assert_eq!(guidelines["id"], "guidelines");
    assert_eq!(guidelines["uncited"], serde_json::json!([]));
    assert_eq!(
        guidelines["paragraphs"][1]["subparagraphs"][0]["cited_by"][0]["item"],
        "q1"
    );

    let uncited = qc(&[
        "coverage",
        "--format",
        "json",
        &path("tests/fixtures/fail/W0204-uncited.q"),
    ]);
    let value: serde_json::Value = serde_json::from_slice(&uncited.stdout).expect("JSON");
    assert_eq!(
        value["documents"][0]["paragraphs"][0]["cited_by"][0]["item"],
        "q1"
    );

    let broken = qc(&[
        "coverage",
        &path("tests/fixtures/fail/E0102-unknown-item.q"),
    ]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(broken.stdout.is_empty());
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

#[test]
fn exports_take_a_language() {
    let surveyjs = qc(&[
        "compile",
        "--emit",
        "surveyjs",
        "--lang",
        "fr",
        &path(BUNDLED),
    ]);
    assert_eq!(surveyjs.status.code(), Some(0), "{}", stderr(&surveyjs));
    let text = String::from_utf8_lossy(&surveyjs.stdout);
    assert!(text.contains("\"Oui, en partie\""), "{text}");
    assert!(text.contains("Questions finales"));
    // What the draft does not translate stays in English, and qc says so.
    assert!(text.contains("Please describe."));
    assert!(stderr(&surveyjs).contains("have no current `fr` translation"));

    let form = qc(&["compile", "--lang", "es", &path(BUNDLED)]);
    let value: serde_json::Value = serde_json::from_slice(&form.stdout).expect("JSON");
    assert_eq!(value["instrument"]["language"], "es");
    assert_eq!(value["scales"][0]["options"][0]["label"], "Sí");

    let english = qc(&["compile", "--lang", "en", &path(BUNDLED)]);
    assert_eq!(english.status.code(), Some(0));
    let unknown = qc(&["compile", "--lang", "ru", &path(BUNDLED)]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("no translation into `ru`"),
        "{}",
        stderr(&unknown)
    );
    assert!(unknown.stdout.is_empty());
}

#[test]
fn translations_status_new_and_update() {
    let status = qc(&["translations", "status", &path(BUNDLED)]);
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(
        text.contains("fr (ltr, unofficial draft): 38 of 294"),
        "{text}"
    );
    assert!(text.contains("ar (rtl): no translation declared"), "{text}");

    let new = qc(&["translations", "new", "--lang", "ar", &path(BUNDLED)]);
    assert_eq!(new.status.code(), Some(0), "{}", stderr(&new));
    let file: serde_json::Value = serde_json::from_slice(&new.stdout).expect("JSON");
    assert_eq!(file["language"], "ar");
    assert_eq!(file["strings"].as_object().expect("strings").len(), 294);
    assert_eq!(file["strings"]["q25.label"]["text"], "");

    // An instrument and its translation in a scratch folder: the source changes, then
    // `update` rewrites the file in place.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let source = "instrument demo { title \"Demo\" language \"en\" }\n\
                  translation fr \"demo.fr.json\"\n\
                  scale yes_no { yes \"Yes\" no \"No\" }\n\
                  section main \"Main\" { question q1 \"Steps?\" : yes_no }\n";
    let form = dir.path().join("demo.q");
    std::fs::write(&form, source).expect("write");
    let translation = dir.path().join("demo.fr.json");
    std::fs::write(
        &translation,
        r#"{"format": "qc-translation/1", "language": "fr", "strings": {}}"#,
    )
    .expect("write");
    let form = form.display().to_string();
    let update = qc(&["translations", "update", &form]);
    assert_eq!(update.status.code(), Some(0), "{}", stderr(&update));
    assert!(
        stderr(&update).contains("demo.fr.json: updated"),
        "{}",
        stderr(&update)
    );
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&translation).expect("read")).expect("JSON");
    assert_eq!(written["strings"]["q1.label"]["source"], "Steps?");
    let again = qc(&["translations", "update", &form]);
    assert!(stderr(&again).contains("up to date"), "{}", stderr(&again));
}

/// A file without a header is a module: it checks clean, and is not compiled.
#[test]
fn modules_check_but_do_not_compile() {
    let module = path("questionnaires/common/blocks.q");
    let check = qc(&["check", "--deny-warnings", &module]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let compile = qc(&["compile", &module]);
    assert_eq!(compile.status.code(), Some(1));
    assert!(
        stderr(&compile).contains("is a module"),
        "{}",
        stderr(&compile)
    );
    assert!(compile.stdout.is_empty());
}

/// A diagnostic in an imported file names that file, in both formats.
#[test]
fn diagnostics_point_into_the_imported_file() {
    let fixture = fixture("fail/E0121-not-a-module.q");
    let human = qc(&["check", &fixture]);
    assert!(
        stderr(&human).contains("modules/instrument.q:1:12"),
        "{}",
        stderr(&human)
    );
    let json = qc(&["check", "--diagnostic-format", "json", &fixture]);
    let first: serde_json::Value =
        serde_json::from_str(stderr(&json).lines().next().expect("a line")).expect("JSON");
    assert!(
        first["file"]
            .as_str()
            .expect("a file")
            .ends_with("modules/instrument.q"),
        "{first}"
    );
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(1), Some(12))
    );
    let note = &first["labels"][1];
    assert!(
        note["file"]
            .as_str()
            .expect("a file")
            .ends_with("E0121-not-a-module.q"),
        "{note}"
    );
    assert_eq!(note["line"], 2);
}

/// The tests written in the bundled instruments pass and see every condition both ways.
#[test]
fn bundled_instruments_pass_their_tests_and_cover_every_condition() {
    for instrument in [BUNDLED, "questionnaires/victim-issues.q"] {
        let output = qc(&["test", "--require-coverage", &path(instrument)]);
        let text = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{instrument}: {text}");
        assert!(!text.contains("FAILED"), "{text}");
    }
    let json = qc(&["test", "--format", "json", &path(BUNDLED)]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let conditions = report["conditions"].as_array().expect("conditions");
    assert_eq!(conditions.len(), 46, "the conditions of the 2006/20 annex");
    assert!(conditions
        .iter()
        .all(|c| c["seen_true"] == true && c["seen_false"] == true));
}

#[test]
fn failing_tests_say_what_and_where() {
    let file = fixture("tests/failing.q");
    let output = qc(&["test", &file]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("expected `q1_steps` to be asked, but it is not (")
            && text.contains("failing.q:14:3)"),
        "{text}"
    );
    assert!(
        text.contains("expected `q2` to be required, but it is optional"),
        "{text}"
    );
    assert!(
        text.contains("expected problem V0104 at `q3`, but validation found V0108 at /answers/q1_steps, V0107 at /answers/q3"),
        "{text}"
    );
    assert!(
        text.contains("the condition of `q3` is never true"),
        "{text}"
    );
    assert!(text.contains("2 tests: 0 passed, 2 failed"), "{text}");
    // A test fixture with every test passing but a condition never true fails only when
    // coverage is required.
    let covered = qc(&["test", &fixture("pass/tests.q")]);
    assert_eq!(covered.status.code(), Some(0));
}

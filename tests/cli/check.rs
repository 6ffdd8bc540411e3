//! `qc check`: exit codes, streams, both diagnostic formats, modules.

use super::*;

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

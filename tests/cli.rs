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
    let mut child = Command::new(env!("CARGO_BIN_EXE_qc"))
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

#[test]
fn check_of_the_bundled_instrument_is_clean() {
    let output = qc(&["check", "--deny-warnings", &path(BUNDLED)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
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
    let source = std::fs::read(path(BUNDLED)).expect("read");
    let output = qc_with_stdin(&["compile", "-"], &source);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
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

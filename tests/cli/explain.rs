//! `qc explain` and `--help`.

use super::*;

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

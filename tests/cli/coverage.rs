//! `qc coverage`.

use super::*;

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

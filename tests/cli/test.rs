//! `qc test`: the tests written in instruments.

use super::*;

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

/// A test may expect a calculated value and a problem's severity; a wrong value or severity
/// fails with what was found.
#[test]
fn tests_expect_values_and_severities() {
    let dir = tempfile::tempdir().expect("a folder");
    let form = dir.path().join("b.q");
    std::fs::write(
        &form,
        "instrument b { title \"B\" }\nsection main \"Main\" {\n  question n \"N\" : integer { allow uncited check n <= 10 else warning \"Big\" }\n  calc twice \"Twice\" = n * 2\n}\ntest \"right\" {\n  given { n = 12 }\n  expect twice = 24\n  expect warning V0114 at n\n}\ntest \"wrong\" {\n  given { n = 12 }\n  expect twice = 25\n  expect error V0114 at n\n}\n",
    )
    .expect("written");
    let run = qc(&["test", &form.display().to_string()]);
    let out = String::from_utf8_lossy(&run.stdout).into_owned();
    assert_eq!(run.status.code(), Some(1), "{out}");
    assert!(out.contains("test right … ok"), "{out}");
    assert!(
        out.contains("expected `twice` to be 25, but it is 24"),
        "{out}"
    );
    assert!(
        out.contains(
            "expected error V0114 at `n`, but validation found warning V0114 at /answers/n"
        ),
        "{out}"
    );
}

/// Condition coverage counts the conditions of `if` in calculated values and of a list's
/// fields, and `--require-coverage` fails on one not seen both ways.
#[test]
fn coverage_counts_ifs_in_calculations_and_fields_of_records() {
    let dir = tempfile::tempdir().expect("a folder");
    let form = dir.path().join("c.q");
    std::fs::write(
        &form,
        "instrument c { title \"C\" }\nsection main \"Main\" {\n  question n \"N\" : integer { allow uncited }\n  calc big \"Big\" = if(n > 5, 1, 0)\n  question people \"People\" : list {\n    field age \"Age\" : integer\n    field school \"School\" : text when this.age < 18\n  } { allow uncited }\n}\ntest \"small\" {\n  given { n = 3, people = [{ age = 40 }] }\n  expect big = 0\n}\n",
    )
    .expect("written");
    let run = qc(&["test", "--require-coverage", &form.display().to_string()]);
    let out = String::from_utf8_lossy(&run.stdout).into_owned();
    assert_ne!(run.status.code(), Some(0), "{out}");
    assert!(
        out.contains("conditions: 0 of 2 seen both true and false"),
        "{out}"
    );
    assert!(
        out.contains("the condition of `if` 1 in `big` is never true"),
        "{out}"
    );
    assert!(
        out.contains("the condition of field `school` of `people` is never true"),
        "{out}"
    );
}

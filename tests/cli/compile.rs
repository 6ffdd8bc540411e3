//! `qc compile`: outputs written atomically, standard input, the exports and what they lose, languages.

use super::*;

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

/// What an export loses is reported once for each thing lost, naming every item that loses it,
/// not once per item.
#[test]
fn an_exports_losses_are_reported_once_per_kind() {
    let source = "special dont_know \"Don't know\"\ninstrument m { title \"M\" }\nsection main \"Main\" {\n  question a \"A\" : integer { allow uncited allow dont_know }\n  question b \"B\" : integer { allow uncited allow dont_know }\n  question c \"C\" : integer { allow uncited allow dont_know }\n}\n";
    let dir = tempfile::tempdir().expect("a folder");
    let form = dir.path().join("many.q");
    std::fs::write(&form, source).expect("written");
    let out = dir.path().join("many.xlsx");
    let run = qc(&[
        "compile",
        "--emit",
        "xlsform",
        "--diagnostic-format",
        "json",
        &form.display().to_string(),
        "-o",
        &out.display().to_string(),
    ]);
    let text = stderr(&run);
    let losses: Vec<serde_json::Value> = text
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|diagnostic| diagnostic["code"] == "W0301")
        .collect();
    assert_eq!(losses.len(), 1, "{text}");
    assert!(losses[0]["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("xlsform: `a` and 2 others: special answers")));
    let labels: Vec<&str> = losses[0]["labels"]
        .as_array()
        .expect("labels")
        .iter()
        .filter_map(|label| label["message"].as_str())
        .collect();
    assert_eq!(labels, ["lost in the xlsform export", "`b` too", "`c` too"]);
}

/// The offline form is one page within its budget (docs/html-form.md): the bundled instrument
/// in every language under 300 KB, with nothing to fetch from anywhere, and every text of the
/// instrument held as JSON, never as markup.
#[test]
fn the_offline_form_is_one_small_page_that_fetches_nothing() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("form.html").display().to_string();
    let output = qc(&["compile", "--emit", "html", &path(BUNDLED), "-o", &out]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let page = std::fs::read_to_string(&out).expect("the page was written");
    assert!(page.len() < 300_000, "{} bytes", page.len());
    assert!(page.starts_with("<!doctype html>"));
    assert!(page.contains("Content-Security-Policy\" content=\"default-src 'none';"));
    for fetching in [" src=", " href=", "@import", "url("] {
        assert!(!page.contains(fetching), "the page holds `{fetching}`");
    }
    // The form's texts are in the JSON block: a `<` in them is escaped, so none opens a tag.
    let start = page.find("id=\"qc-form\">").expect("the form's block") + 13;
    let end = start + page[start..].find("</script>").expect("its end");
    let form: serde_json::Value =
        serde_json::from_str(&page[start..end]).expect("the form as JSON");
    assert_eq!(form["instrument"]["id"], "crime_prevention");
    assert!(
        form["translations"]["fr"].is_object(),
        "every language is in the page"
    );
}

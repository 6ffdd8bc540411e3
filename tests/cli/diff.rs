//! `qc diff`: each kind of change, classed by what it does to replies collected before, in
//! both formats; `--deny` for CI; a version at a git revision, with its imports.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::*;

const OLD: &str = r#"instrument survey { title "A survey" version "1" }
scale yes_no { yes "Yes" no "No" not_applicable "Not applicable" unsure "Not sure" }
special dont_know "Don't know"
document guidelines "Guidelines" { para 1 "One." para 2 "Two." }

section main "Main" {
  question plan "Is there a plan?" : yes_no { cites guidelines 1 allow dont_know }
  question staff "How many staff?" : integer min 0 max 1000 { cites guidelines 1 }
  question budget "What budget?" : number min 0 { cites guidelines 1 optional }
  question title "Its title?" : text when plan = yes { allow uncited }
  question gone "A question dropped" : text { allow uncited }
  grid help "Mark the box(es):" {
    column need "Need"
    row police "Police"
    row courts "Courts"
    row prisons "Prisons"
  }
  question people "Who?" : list {
    field name "Name" : text
    field age "Age" : integer optional
  } { allow uncited optional }
}
"#;

/// The same, changed: every kind of change, each commented with its class.
const NEW: &str = r#"instrument survey { title "A survey" version "2" }
scale yes_no { yes "Yes" no "No, none" dont_apply "Does not apply" not_sure "Not sure" }
document guidelines "Guidelines" { para 1 "One." para 2 "Two." }

section main "Main" {
  question added "A new question" : text { allow uncited optional }
  question plan "Is there a plan in force?" : yes_no { cites guidelines 2 }
  question staff "How many staff?" : integer min 10 max 5000 { cites guidelines 1 }
  question budget "What budget?" : integer min 0 { cites guidelines 1 optional }
  question title "Its title?" : long_text when plan = no { allow uncited }
  grid help "Mark the box(es):" {
    column need "Need"
    column give "Give"
    row police "Police"
    row corrections "Prisons"
  }
  question people "Who?" : list {
    field name "Name" : text
    field role "Role" : text
  } { allow uncited optional }
}
"#;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let file = dir.join(name);
    std::fs::write(&file, text).expect("written");
    file.display().to_string()
}

/// (class, item, change) of each change of the JSON document.
fn changes(document: &Value) -> Vec<(String, String, String)> {
    document["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            let text = |key: &str| c[key].as_str().unwrap_or("").to_owned();
            (text("class"), text("item"), text("change"))
        })
        .collect()
}

#[test]
fn each_change_is_classed_by_what_it_does_to_replies() {
    let dir = tempfile::tempdir().expect("a folder");
    let (old, new) = (
        write(dir.path(), "old.q", OLD),
        write(dir.path(), "new.q", NEW),
    );
    let output = qc(&["diff", &old, &new, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(document["format"], "qc-diff/1");
    assert_eq!(document["old"]["version"], "1");
    let found = changes(&document);
    let expected = [
        ("compatible", "added", "item added"),
        ("needs_review", "plan", "label changed"),
        ("compatible", "plan", "renumbered"),
        ("breaking", "plan", "special answer removed"),
        ("compatible", "plan", "citations changed"),
        ("breaking", "plan", "option removed"),
        ("breaking", "plan", "option recoded"),
        ("needs_review", "plan", "option relabelled"),
        ("compatible", "plan", "option added"),
        ("breaking", "staff", "bounds narrowed"),
        ("breaking", "budget", "type changed"),
        ("needs_review", "title", "condition changed"),
        ("compatible", "title", "type changed"),
        ("breaking", "help", "row removed"),
        ("breaking", "help", "row recoded"),
        ("compatible", "help", "column added"),
        ("breaking", "people", "field removed"),
        ("breaking", "people", "field added"),
        ("breaking", "gone", "item removed"),
    ];
    for (class, item, change) in expected {
        assert!(
            found
                .iter()
                .any(|f| f.0 == class && f.1 == item && f.2 == change),
            "no {class} `{change}` of `{item}` in {found:#?}"
        );
    }
    // Each change of the scale once: one removed, one added, one relabelled, one recoded (not
    // also removed and added).
    let options = found.iter().filter(|f| f.2.starts_with("option")).count();
    assert_eq!(options, 4, "{found:#?}");
    // A row recoded is not also a row added.
    assert!(!found.iter().any(|f| f.2 == "row added"), "{found:#?}");
    let summary = &document["summary"];
    let count = |class: &str| found.iter().filter(|f| f.0 == class).count();
    assert_eq!(summary["breaking"], count("breaking"));
    assert_eq!(summary["needs_review"], count("needs_review"));
    assert!(count("breaking") >= 7 && count("compatible") >= 5);

    // For people: the worst first, each class counted.
    let human = qc(&["diff", &old, &new]);
    let text = String::from_utf8_lossy(&human.stdout).to_string();
    let (breaking, review, compatible) = (
        text.find("breaking (").expect("breaking"),
        text.find("needs review (").expect("review"),
        text.find("compatible (").expect("compatible"),
    );
    assert!(breaking < review && review < compatible, "{text}");
    assert!(
        text.contains(
            "no longer has the option `not_applicable`: a reply that chose it is refused (V0103)"
        ),
        "{text}"
    );
    assert!(text.contains("survey 1 → survey 2"), "{text}");
}

/// `--deny breaking` fails CI on a breaking change, and `--deny review` on one that needs
/// review too; a change with nothing of either passes both; the same version twice has no
/// change.
#[test]
fn deny_fails_on_the_class_asked_or_worse() {
    let dir = tempfile::tempdir().expect("a folder");
    let (old, new) = (
        write(dir.path(), "old.q", OLD),
        write(dir.path(), "new.q", NEW),
    );
    let status = |args: &[&str]| qc(args).status.code();
    assert_eq!(status(&["diff", &old, &new, "--deny", "breaking"]), Some(1));
    assert_eq!(status(&["diff", &old, &new, "--deny", "review"]), Some(1));
    // Relabelling only needs review.
    let relabelled = write(
        dir.path(),
        "relabelled.q",
        &OLD.replace("Is there a plan?", "Is there a national plan?"),
    );
    assert_eq!(
        status(&["diff", &old, &relabelled, "--deny", "breaking"]),
        Some(0)
    );
    assert_eq!(
        status(&["diff", &old, &relabelled, "--deny", "review"]),
        Some(1)
    );
    let same = qc(&["diff", &old, &old, "--deny", "review"]);
    assert_eq!(same.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&same.stdout).contains("no change"));
    // A breaking change under the same version is said to need a version of its own.
    let narrowed = write(
        dir.path(),
        "narrowed.q",
        &OLD.replace("max 1000", "max 100"),
    );
    let output = qc(&["diff", &old, &narrowed]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("version unchanged"), "{text}");
    // A version that does not compile, or does not exist, is a usage error.
    let broken = write(dir.path(), "broken.q", "instrument broken {");
    assert_eq!(status(&["diff", &old, &broken]), Some(2));
    assert_eq!(status(&["diff", &old, "no-such-file.q"]), Some(2));
}

/// A compiled form is a version too: the bundled instrument against its own form.
#[test]
fn a_compiled_form_compares_with_its_source() {
    let dir = tempfile::tempdir().expect("a folder");
    let form = dir.path().join("form.json");
    let compiled = qc(&[
        "compile",
        &path("questionnaires/crime-prevention.q"),
        "-o",
        &form.display().to_string(),
    ]);
    assert_eq!(compiled.status.code(), Some(0), "{}", stderr(&compiled));
    let output = qc(&[
        "diff",
        &form.display().to_string(),
        &path("questionnaires/crime-prevention.q"),
        "--deny",
        "review",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// `REV:PATH` reads the file and what it imports at a git revision.
#[test]
fn a_version_at_a_git_revision_is_read_with_its_imports() {
    let dir = tempfile::tempdir().expect("a folder");
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .current_dir(dir.path())
            .args(["-c", "user.name=qc", "-c", "user.email=qc@example.org"])
            .args(args)
            .output()
            .expect("git runs");
        assert!(
            status.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    git(&["init", "-q"]);
    std::fs::create_dir(dir.path().join("common")).expect("a folder");
    write(
        &dir.path().join("common"),
        "scales.q",
        r#"scale yes_no { yes "Yes" no "No" maybe "Maybe" }"#,
    );
    let instrument = "instrument survey { title \"A survey\" }\nfrom \"common/scales.q\" import yes_no\nsection main \"Main\" {\n  question plan \"Is there a plan?\" : yes_no { allow uncited }\n}\n";
    write(dir.path(), "survey.q", instrument);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "first"]);
    // The working copy drops an option of the imported scale.
    write(
        &dir.path().join("common"),
        "scales.q",
        r#"scale yes_no { yes "Yes" no "No" }"#,
    );
    let output = Command::new(env!("CARGO_BIN_EXE_qc"))
        .current_dir(dir.path())
        .args(["diff", "HEAD:survey.q", "survey.q", "--format", "json"])
        .output()
        .expect("qc runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let found = changes(&document);
    // The option removed, and the version left as it was (none) though replies are refused.
    let expected = [
        ("breaking", "plan", "option removed"),
        ("needs_review", "", "version unchanged"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
        .collect();
    assert_eq!(found, expected);
    // A revision or a path git does not have is a usage error, and names it.
    let missing = Command::new(env!("CARGO_BIN_EXE_qc"))
        .current_dir(dir.path())
        .args(["diff", "HEAD:nothing.q", "survey.q"])
        .output()
        .expect("qc runs");
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("HEAD:nothing.q"),
        "{}",
        stderr(&missing)
    );
    let option = Command::new(env!("CARGO_BIN_EXE_qc"))
        .current_dir(dir.path())
        .args(["diff", "--", "-x:survey.q", "survey.q"])
        .output()
        .expect("qc runs");
    assert_eq!(option.status.code(), Some(2), "{}", stderr(&option));
}

/// A source text reworded makes its translations stale: the diff says which, by language.
#[test]
fn reworded_texts_make_their_translations_stale() {
    let dir = tempfile::tempdir().expect("a folder");
    let translations = dir.path().join("translations");
    std::fs::create_dir(&translations).expect("a folder");
    for language in ["fr", "ar"] {
        let name = format!("translations.{language}.json");
        std::fs::copy(
            fixture(&format!("pass/translations/{name}")),
            translations.join(&name),
        )
        .expect("copied");
    }
    let source = std::fs::read_to_string(fixture("pass/translations.q")).expect("fixture");
    let old = write(dir.path(), "old.q", &source);
    let new = write(
        dir.path(),
        "new.q",
        &source.replace(
            "Have Government bodies taken steps?",
            "Has the Government taken steps?",
        ),
    );
    let output = qc(&["diff", &old, &new, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let stale: Vec<&Value> = document["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["change"] == "translations stale")
        .collect();
    assert_eq!(stale.len(), 2, "{document:#}");
    for change in stale {
        let detail = change["detail"].as_str().unwrap_or("");
        assert!(
            detail.contains("1 translated text") && detail.contains("`q1.label`"),
            "{detail}"
        );
    }
}

/// `qc validate --form-version 1=OLD.q`: a reply to the old version is brought to the new one
/// as far as the changes allow, each step said; what cannot be migrated is left for validation
/// to report.
#[test]
fn replies_to_an_older_version_are_migrated_through_the_diff() {
    let dir = tempfile::tempdir().expect("a folder");
    let old = write(
        dir.path(),
        "old.q",
        r#"instrument survey { title "A survey" version "1" }
scale yes_no { yes "Yes" no "No" maybe "Maybe" unsure "Not sure" }
section main "Main" {
  question areas "Which areas?" : yes_no { allow uncited }
  question gone "A question dropped" : text { allow uncited optional }
  grid help "Mark the box(es):" {
    column need "Need"
    column give "Give"
    row police "Police"
    row courts "Courts"
    row prisons "Prisons"
  }
  question people "Who?" : list {
    field name "Name" : text
    field age "Age" : integer optional
  } { allow uncited optional }
  table staff "Staff" : integer {
    optional
    row judges "Judges"
    row clerks "Clerks"
    column men "Men"
    column women "Women"
  }
}
"#,
    );
    let new = write(
        dir.path(),
        "new.q",
        r#"instrument survey { title "A survey" version "2" }
scale yes_no { yes "Yes" no "No" not_sure "Not sure" }
section main "Main" {
  question areas "Which areas?" : many of yes_no { allow uncited }
  grid help "Mark the box(es):" {
    column need "Need"
    row police "Police"
    row corrections "Prisons"
  }
  question people "Who?" : list {
    field name "Name" : text
  } { allow uncited optional }
  table staff "Staff" : integer {
    optional
    row judges "Judges"
    column male "Men"
    column female "Women"
  }
}
"#,
    );
    let reply = |name: &str, areas: &str| {
        write(
            dir.path(),
            name,
            &format!(
                r#"{{"form": "survey", "version": "1", "answers": {{"areas": {areas}, "gone": "x", "help": {{"police": ["need", "give"], "courts": ["need"], "prisons": ["need"]}}, "people": [{{"name": "Ana", "age": 41}}], "staff": {{"judges": {{"men": 3, "women": 4}}, "clerks": {{"men": 1, "women": 2}}}}}}}}"#
            ),
        )
    };
    let good = reply("good.json", r#""yes""#);
    let stuck = reply("stuck.json", r#""maybe""#);
    let recoded = reply("recoded.json", r#""unsure""#);
    // Without the old version, the reply is refused.
    let plain = qc(&["validate", &new, &good]);
    assert_eq!(plain.status.code(), Some(1));
    // With it, migrated: valid, each step said.
    let migrated = qc(&[
        "validate",
        &new,
        &good,
        "--form-version",
        &format!("1={old}"),
    ]);
    let text = String::from_utf8_lossy(&migrated.stdout).to_string();
    assert_eq!(migrated.status.code(), Some(0), "{text}");
    for said in [
        "migrated from version 1: `areas`: its code put in a list",
        "`gone`: dropped: the new version has no such item",
        "`help`: row `courts` dropped",
        "`help`: row `police`: column `give` dropped",
        "`people`: field `age` dropped from its records",
        "`help`: row `prisons` recoded as `corrections` (the same label)",
        "`staff`: row `clerks` dropped: the new version has no such row",
        "`staff`: row `judges`: column `men` recoded as `male` (the same label)",
        "`staff`: row `judges`: column `women` recoded as `female` (the same label)",
        "good.json: valid",
    ] {
        assert!(text.contains(said), "no {said:?} in {text}");
    }
    // An option recoded with the same label: its new code, in a list.
    let recoded = qc(&[
        "validate",
        &new,
        &recoded,
        "--form-version",
        &format!("1={old}"),
    ]);
    let text = String::from_utf8_lossy(&recoded.stdout).to_string();
    assert_eq!(recoded.status.code(), Some(0), "{text}");
    assert!(
        text.contains("`areas`: option `unsure` recoded as `not_sure` (the same label)")
            && text.contains("`areas`: its code put in a list"),
        "{text}"
    );
    // An answer that cannot be migrated is said so, and validation reports it.
    let refused = qc(&[
        "validate",
        &new,
        &stuck,
        "--form-version",
        &format!("1={old}"),
        "--format",
        "json",
    ]);
    assert_eq!(refused.status.code(), Some(1));
    let line: serde_json::Value = serde_json::from_str(
        String::from_utf8_lossy(&refused.stdout)
            .lines()
            .next()
            .expect("a line"),
    )
    .expect("JSON");
    let notes = line["migrated"].as_array().expect("notes");
    assert!(
        notes.iter().any(|n| n
            .as_str()
            .is_some_and(|n| n.contains("option `maybe` was removed"))),
        "{line}"
    );
    assert!(
        line["problems"]
            .as_array()
            .expect("problems")
            .iter()
            .any(|p| p["code"] == "V0103"),
        "{line}"
    );
    // A malformed `--form-version` is a usage error.
    assert_eq!(
        qc(&["validate", &new, &good, "--form-version", "1"])
            .status
            .code(),
        Some(2)
    );
}

//! `qc translations`.

use super::*;

#[test]
fn translations_status_new_and_update() {
    let status = qc(&["translations", "status", &path(BUNDLED)]);
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(
        text.contains("fr (ltr, unofficial draft): 59 of 376"),
        "{text}"
    );
    assert!(text.contains("ar (rtl): no translation declared"), "{text}");

    let new = qc(&["translations", "new", "--lang", "ar", &path(BUNDLED)]);
    assert_eq!(new.status.code(), Some(0), "{}", stderr(&new));
    let file: serde_json::Value = serde_json::from_slice(&new.stdout).expect("JSON");
    assert_eq!(file["language"], "ar");
    assert_eq!(file["strings"].as_object().expect("strings").len(), 376);
    assert_eq!(
        file["strings"]["q1.citations"]["source"],
        "Guidelines for the Prevention of Crime, paras. 2 and 7"
    );
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

/// `translations new --lang L` starts the file the instrument already declares for `L`, which
/// does not exist yet; another declared file that is missing is still an error.
#[test]
fn a_declared_translation_file_can_be_started() {
    let dir = tempfile::tempdir().expect("a folder");
    let source = dir.path().join("i.q");
    std::fs::write(
        &source,
        "instrument i { title \"I\" language \"en\" }\ntranslation fr \"i.fr.json\"\ntranslation es \"i.es.json\"\nsection s \"S\" {\n  question q \"Q?\" : text\n}\n",
    )
    .expect("written");
    let source = source.display().to_string();
    let started = qc(&["translations", "new", "--lang", "fr", &source]);
    assert_eq!(started.status.code(), Some(1), "{}", stderr(&started));
    assert!(
        stderr(&started).contains("i.es.json"),
        "{}",
        stderr(&started)
    );
    std::fs::write(
        dir.path().join("i.es.json"),
        r#"{"format": "qc-translation/1", "language": "es", "strings": {}}"#,
    )
    .expect("written");
    let started = qc(&["translations", "new", "--lang", "fr", &source]);
    assert_eq!(started.status.code(), Some(0), "{}", stderr(&started));
    let file: serde_json::Value = serde_json::from_slice(&started.stdout).expect("JSON");
    assert_eq!(file["language"], "fr");
    assert!(file["strings"]["q.label"]["source"] == "Q?");
}

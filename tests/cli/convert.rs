//! `qc convert-response` to and from SurveyJS: files, folders, and what cannot be converted.

use super::*;

const EXAMPLES: &str = "questionnaires/examples/crime-prevention";

/// The example replies, written as SurveyJS's data into a folder and read back into another,
/// are the replies they were written from.
#[test]
fn replies_go_to_surveyjs_and_come_back_through_folders() {
    let dir = tempfile::tempdir().expect("a folder");
    let (data, back) = (dir.path().join("data"), dir.path().join("back"));
    std::fs::create_dir_all(&data).expect("data");
    std::fs::create_dir_all(&back).expect("back");
    let replies = [
        path(&format!("{EXAMPLES}/arcadia-complete.json")),
        path(&format!("{EXAMPLES}/borduria-in-progress.json")),
    ];
    let mut to = vec!["convert-response", "--to", "surveyjs", BUNDLED];
    to.extend(replies.iter().map(String::as_str));
    let data_dir = data.display().to_string();
    to.extend(["--out-dir", &data_dir]);
    let written = qc(&to);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    let arcadia: serde_json::Value = serde_json::from_slice(
        &std::fs::read(data.join("arcadia-complete.json")).expect("written"),
    )
    .expect("JSON");
    // The grid's rows of ticks in its matrix, and its text row as a question of its own.
    assert!(arcadia["ta_areas"]
        .as_object()
        .is_some_and(|rows| !rows.is_empty() && rows.values().all(serde_json::Value::is_array)));
    assert!(arcadia["ta_areas"].get("priority").is_none());
    assert!(arcadia.get("ta_areas_priority").is_some());
    let from: Vec<String> = ["arcadia-complete.json", "borduria-in-progress.json"]
        .iter()
        .map(|name| data.join(name).display().to_string())
        .collect();
    let back_dir = back.display().to_string();
    let mut args = vec!["convert-response", "--from", "surveyjs", BUNDLED];
    args.extend(from.iter().map(String::as_str));
    args.extend(["--out-dir", &back_dir]);
    let read = qc(&args);
    assert_eq!(read.status.code(), Some(0), "{}", stderr(&read));
    for name in ["arcadia-complete.json", "borduria-in-progress.json"] {
        let original: serde_json::Value = serde_json::from_slice(
            &std::fs::read(path(&format!("{EXAMPLES}/{name}"))).expect("example"),
        )
        .expect("JSON");
        let again: serde_json::Value =
            serde_json::from_slice(&std::fs::read(back.join(name)).expect("read back"))
                .expect("JSON");
        assert_eq!(again["answers"], original["answers"], "{name}");
        let valid = qc(&["validate", BUNDLED, &back.join(name).display().to_string()]);
        assert_eq!(valid.status.code(), Some(0), "{name}: {}", stderr(&valid));
    }
}

/// Data that does not fit the form is refused with the place of each problem, and nothing is
/// written; several files need a folder.
#[test]
fn what_does_not_convert_is_reported_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("a folder");
    let data = dir.path().join("data.json");
    std::fs::write(
        &data,
        r#"{"q1": "yes", "nobody": 3, "ta_areas": {"social": "need"}}"#,
    )
    .expect("written");
    let out = dir.path().join("out.json");
    let (data, out_path) = (data.display().to_string(), out.display().to_string());
    let refused = qc(&[
        "convert-response",
        "--from",
        "surveyjs",
        BUNDLED,
        &data,
        "-o",
        &out_path,
    ]);
    assert_eq!(refused.status.code(), Some(1));
    let errors = stderr(&refused);
    assert!(errors.contains("/nobody: no item of the form"), "{errors}");
    assert!(errors.contains("/ta_areas/social:"), "{errors}");
    assert!(!out.exists(), "nothing is written");
    let two = qc(&[
        "convert-response",
        "--from",
        "surveyjs",
        BUNDLED,
        &data,
        &data,
    ]);
    assert_eq!(two.status.code(), Some(2));
    assert!(stderr(&two).contains("--out-dir"));
    let neither = qc(&["convert-response", BUNDLED, &data]);
    assert_eq!(neither.status.code(), Some(2));
}

/// Problems are shown up to `--max-problems`, and the rest counted.
#[test]
fn problems_shown_are_bounded() {
    let dir = tempfile::tempdir().expect("a folder");
    let data = dir.path().join("data.json");
    std::fs::write(&data, r#"{"a1": 1, "a2": 2, "a3": 3, "a4": 4, "a5": 5}"#).expect("written");
    let data = data.display().to_string();
    let refused = qc(&[
        "convert-response",
        "--max-problems",
        "2",
        "--from",
        "surveyjs",
        BUNDLED,
        &data,
    ]);
    assert_eq!(refused.status.code(), Some(1));
    let errors = stderr(&refused);
    assert_eq!(errors.matches("no item of the form").count(), 2, "{errors}");
    assert!(errors.contains("3 more problem(s) not shown"), "{errors}");
}

/// A QuestionnaireResponse written by `--to fhir` reads back with `--from fhir` as the reply.
#[test]
fn replies_go_to_fhir_and_come_back() {
    let dir = tempfile::tempdir().expect("a folder");
    let response = dir.path().join("response.json").display().to_string();
    let back = dir.path().join("back.json").display().to_string();
    let reply = path(&format!("{EXAMPLES}/arcadia-complete.json"));
    let to = qc(&[
        "convert-response",
        "--to",
        "fhir",
        BUNDLED,
        &reply,
        "-o",
        &response,
    ]);
    assert_eq!(to.status.code(), Some(0), "{}", stderr(&to));
    let from = qc(&[
        "convert-response",
        "--from",
        "fhir",
        BUNDLED,
        &response,
        "-o",
        &back,
    ]);
    assert_eq!(from.status.code(), Some(0), "{}", stderr(&from));
    let read = |file: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(file).expect("file")).expect("JSON")
    };
    assert_eq!(read(&back)["answers"], read(&reply)["answers"]);
}

/// The example replies, written as ODK submissions into a folder (as `.xml`) and read back
/// into another (as `.json`), are the replies they were written from, and validate; a file
/// that is not UTF-8 is named, never shown.
#[test]
fn replies_go_to_odk_and_come_back_through_folders() {
    let dir = tempfile::tempdir().expect("a folder");
    let (submissions, back) = (dir.path().join("submissions"), dir.path().join("back"));
    std::fs::create_dir_all(&submissions).expect("submissions");
    std::fs::create_dir_all(&back).expect("back");
    let names = ["arcadia-complete", "borduria-in-progress"];
    let replies: Vec<String> = names
        .iter()
        .map(|name| path(&format!("{EXAMPLES}/{name}.json")))
        .collect();
    let out = submissions.display().to_string();
    let mut to = vec!["convert-response", "--to", "odk", BUNDLED];
    to.extend(replies.iter().map(String::as_str));
    to.extend(["--out-dir", &out]);
    let written = qc(&to);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    let xml = std::fs::read_to_string(submissions.join("arcadia-complete.xml")).expect("written");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<data "));
    assert!(xml.contains("id=\"crime_prevention\"") && xml.contains("<instanceID>uuid:"));
    // A grid's row holds the columns ticked, separated by spaces.
    assert!(
        xml.contains("<ta_areas_knowledge>need</ta_areas_knowledge>"),
        "{xml}"
    );
    // A country's code that ISO 3166-1 leaves to users: "another code", then the code.
    assert!(
        xml.contains("<country>user_assigned</country>")
            && xml.contains("<country_code>XAR</country_code>"),
        "{xml}"
    );
    let files: Vec<String> = names
        .iter()
        .map(|name| {
            submissions
                .join(format!("{name}.xml"))
                .display()
                .to_string()
        })
        .collect();
    let back_dir = back.display().to_string();
    let mut from = vec!["convert-response", "--from", "odk", BUNDLED];
    from.extend(files.iter().map(String::as_str));
    from.extend(["--out-dir", &back_dir]);
    let read = qc(&from);
    assert_eq!(read.status.code(), Some(0), "{}", stderr(&read));
    for name in names {
        let original: serde_json::Value = serde_json::from_slice(
            &std::fs::read(path(&format!("{EXAMPLES}/{name}.json"))).expect("example"),
        )
        .expect("JSON");
        let file = back.join(format!("{name}.json"));
        let again: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&file).expect("read back")).expect("JSON");
        assert_eq!(again["answers"], original["answers"], "{name}");
        let valid = qc(&["validate", BUNDLED, &file.display().to_string()]);
        assert_eq!(valid.status.code(), Some(0), "{name}: {}", stderr(&valid));
    }
    let binary = dir.path().join("binary.xml");
    std::fs::write(&binary, b"<data>\xff secret</data>").expect("written");
    let refused = qc(&[
        "convert-response",
        "--from",
        "odk",
        BUNDLED,
        &binary.display().to_string(),
    ]);
    let message = stderr(&refused);
    assert_eq!(refused.status.code(), Some(1), "{message}");
    assert!(
        message.contains("not UTF-8") && !message.contains("secret"),
        "{message}"
    );
}

/// A country of the list is its code in every frontend's reply, and one ISO 3166-1 leaves to
/// users goes where each frontend holds it (ODK's row after "another code", FHIR's open
/// choice's text); both come back as they were. An ODK code without its choice is refused.
#[test]
fn country_codes_go_to_each_frontend_and_come_back() {
    let dir = tempfile::tempdir().expect("a folder");
    let form = dir.path().join("form.q");
    std::fs::write(
        &form,
        "instrument survey { title \"A survey\" }\nsection main \"Main\" {\n  question seat \"Where?\" : country { allow uncited }\n}\n",
    )
    .expect("form");
    let form = form.display().to_string();
    for (code, odk, fhir) in [
        (
            "KEN",
            "<seat>KEN</seat>",
            r#""valueCoding":{"system":"urn:iso:std:iso:3166","code":"KEN","display":"Kenya"}"#,
        ),
        (
            "XKX",
            "<seat>user_assigned</seat>",
            r#""valueString":"XKX""#,
        ),
    ] {
        let reply = dir.path().join(format!("{code}.json"));
        std::fs::write(
            &reply,
            format!(r#"{{"form": "survey", "answers": {{"seat": "{code}"}}}}"#),
        )
        .expect("reply");
        let reply = reply.display().to_string();
        for (to, expected) in [("odk", odk), ("fhir", fhir), ("surveyjs", code)] {
            let out = dir.path().join(format!("{code}.{to}"));
            let out = out.display().to_string();
            let written = qc(&["convert-response", "--to", to, &form, &reply, "-o", &out]);
            assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
            let text = std::fs::read_to_string(&out).expect("written");
            let compact: String = text.split_whitespace().collect();
            assert!(compact.contains(&expected.replace(' ', "")), "{to}: {text}");
            let back = format!("{out}.json");
            let read = qc(&["convert-response", "--from", to, &form, &out, "-o", &back]);
            assert_eq!(read.status.code(), Some(0), "{to}: {}", stderr(&read));
            let again: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&back).expect("read back")).expect("JSON");
            assert_eq!(again["answers"]["seat"], code, "{to}");
        }
    }
    // A code typed without choosing "another code" first is refused, not taken.
    let hostile = dir.path().join("hostile.xml");
    let xml = std::fs::read_to_string(dir.path().join("KEN.odk")).expect("submission");
    std::fs::write(
        &hostile,
        xml.replace("<seat_code/>", "<seat_code>XKX</seat_code>")
            .replace("<seat_code></seat_code>", "<seat_code>XKX</seat_code>"),
    )
    .expect("written");
    let refused = qc(&[
        "convert-response",
        "--from",
        "odk",
        &form,
        &hostile.display().to_string(),
    ]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("another code"),
        "{}",
        stderr(&refused)
    );
}

//! Translations: the bundled French and Spanish drafts, a full translation into Arabic, stale
//! entries after a change of the source, and the files `qc translations update` writes.

use qc::load::MemoryLoader;
use qc::translate;

use super::{compile_clean, root};

const INSTRUMENT: &str = r#"instrument demo { title "Demo" language "en" }
translation ar "ar.json"
scale yes_no "Yes / No" { yes "Yes" no "No" }
section main "Main" {
  text "Please answer for the whole country."
  question q1 "Have Government bodies taken steps?" : yes_no {
    help "Please describe."
    followup q1_steps "If the answer is “Yes”, please describe them." : long_text on yes
  }
  question q2 "Which sectors take part?" : many of { health "Health" justice "Justice" }
  grid areas "Please mark the areas:" {
    column need "Need"
    row social "Social crime prevention"
  }
}
"#;

fn compile(source: &str, translation: &str) -> qc::Compilation {
    let mut loader = MemoryLoader::new().with("ar.json", translation);
    qc::compile_with("demo.q", source.as_bytes(), &mut loader)
}

/// A translation of every text: the source text, marked.
fn full_arabic(source: &str) -> String {
    let instrument = compile(source, &empty("ar")).instrument.expect("compiles");
    let template = translate::update(&instrument, "ar", None);
    let mut file: serde_json::Value = serde_json::from_str(&template).expect("JSON");
    for entry in file["strings"]
        .as_object_mut()
        .expect("strings")
        .values_mut()
    {
        let source = entry["source"].as_str().expect("a source").to_owned();
        entry["text"] = format!("ع {source}").into();
    }
    file.to_string()
}

fn empty(language: &str) -> String {
    format!(r#"{{"format": "qc-translation/1", "language": "{language}", "strings": {{}}}}"#)
}

#[test]
fn a_full_translation_reaches_every_text_and_is_right_to_left() {
    let compilation = compile(INSTRUMENT, &full_arabic(INSTRUMENT));
    assert!(
        compilation.diagnostics.is_empty(),
        "{:#?}",
        compilation.diagnostics
    );
    let instrument = compilation.instrument.expect("compiles");
    let texts = translate::texts(&instrument);
    // Labels, help, the follow-up, inline options, grid columns and rows, prose, the scale.
    for key in [
        "q1.help.1",
        "q1_steps.label",
        "q2.option.health",
        "areas.column.need",
        "areas.row.social",
        "section.main.1",
        "scale.yes_no.label",
    ] {
        assert!(texts.iter().any(|(k, _)| k == key), "no text `{key}`");
    }
    let arabic = &instrument.translations[0];
    assert!(arabic.rtl);
    assert_eq!(arabic.strings.len(), texts.len());
    let localized = translate::localize(&instrument, "ar").expect("translated");
    for (key, text) in translate::texts(&localized) {
        assert!(text.starts_with("ع "), "`{key}` is not translated: {text}");
    }
    let form = qc::emit::json::to_value(&instrument);
    assert_eq!(form["languages"][1]["code"], "ar");
    assert_eq!(form["languages"][1]["direction"], "rtl");
    assert_eq!(
        form["translations"]["ar"]["q1.label"],
        "ع Have Government bodies taken steps?"
    );
    // Read back, the form keeps its translations.
    let read = qc::form::read(&form).expect("a form");
    assert_eq!(read.translations, instrument.translations);
}

#[test]
fn a_changed_source_makes_its_translation_stale_until_reviewed() {
    let translation = full_arabic(INSTRUMENT);
    let changed = INSTRUMENT.replace("taken steps?", "taken any steps?");
    let compilation = compile(&changed, &translation);
    let codes: Vec<String> = compilation
        .diagnostics
        .iter()
        .map(|d| d.code_str())
        .collect();
    assert_eq!(codes, ["W0206"]);
    let instrument = compilation.instrument.expect("warnings only");
    // The stale text is left out: the form shows the new source text.
    assert!(!instrument.translations[0].strings.contains_key("q1.label"));

    // `update` keeps the old translation, takes the new source and hash, marks it for review.
    let file = qc::load::translation::read(&translation, 0).expect("a translation file");
    let updated = translate::update(&instrument, "ar", Some(&file));
    let value: serde_json::Value = serde_json::from_str(&updated).expect("JSON");
    let entry = &value["strings"]["q1.label"];
    assert_eq!(entry["source"], "Have Government bodies taken any steps?");
    assert_eq!(entry["text"], "ع Have Government bodies taken steps?");
    assert_eq!(entry["review"], true);
    let still = compile(&changed, &updated);
    assert_eq!(still.diagnostics.len(), 1, "{:#?}", still.diagnostics);

    // Reviewed: the mark is removed, and the translation is current again.
    let mut reviewed = value.clone();
    let entry = reviewed["strings"]["q1.label"]
        .as_object_mut()
        .expect("entry");
    entry.remove("review");
    entry.insert("text".to_owned(), "ع reviewed".into());
    let clean = compile(&changed, &reviewed.to_string());
    assert!(clean.diagnostics.is_empty(), "{:#?}", clean.diagnostics);
    let strings = &clean.instrument.expect("compiles").translations[0].strings;
    assert_eq!(strings["q1.label"], "ع reviewed");
}

#[test]
fn the_bundled_drafts_translate_the_structure() {
    let instrument = compile_clean(&root().join("questionnaires/crime-prevention.q"));
    let languages: Vec<&str> = instrument
        .translations
        .iter()
        .map(|translation| translation.language.as_str())
        .collect();
    assert_eq!(languages, ["fr", "es"]);
    let keys: Vec<String> = translate::texts(&instrument)
        .into_iter()
        .map(|(key, _)| key)
        .collect();
    let structure = |key: &str| {
        key.starts_with("section.") && key.ends_with(".title")
            || key.starts_with("scale.")
            || key.starts_with("ta_areas.")
            || key == "title"
    };
    for translation in &instrument.translations {
        assert_eq!(translation.status.as_deref(), Some("unofficial draft"));
        for key in keys.iter().filter(|key| structure(key)) {
            assert!(
                translation.strings.contains_key(key),
                "{}: `{key}` is not translated",
                translation.language
            );
        }
    }
    let french = translate::localize(&instrument, "fr").expect("French");
    assert_eq!(french.sections[0].title, "Renseignements sur la réponse");
    assert_eq!(french.sections[5].title, "Questions finales");
    assert_eq!(
        french.scales[qc::model::ScaleId::from(0)].options[0].label,
        qc::model::Text::plain("Oui")
    );
}

/// A translated text pipes the items its source pipes, wherever the translation puts them;
/// one that names no item is reported (W0209) and the source text stands in for it.
#[test]
fn translations_pipe_items_and_unknown_names_are_reported() {
    let source = r#"instrument demo { title "Demo" language "en" }
translation ar "ar.json"
section main "Main" {
  question n "How many cases?" : integer
  question m "Of the {n} cases, how many {{sic}} were solved?" : integer
  question k "Of the {n} solved, how many were tried?" : integer
}
"#;
    let instrument = compile(source, &empty("ar")).instrument.expect("compiles");
    let template = translate::update(&instrument, "ar", None);
    let mut file: serde_json::Value = serde_json::from_str(&template).expect("JSON");
    file["strings"]["m.label"]["text"] = "كم {{حالة}} من {n} حلت؟".into();
    file["strings"]["k.label"]["text"] = "من {ن} المحلولة".into();
    let compilation = compile(source, &file.to_string());
    let codes: Vec<String> = compilation
        .diagnostics
        .iter()
        .map(|diagnostic| diagnostic.code_str())
        .collect();
    assert_eq!(codes, ["W0209", "N0001"]);
    let instrument = compilation.instrument.expect("compiles");
    let arabic = translate::localize(&instrument, "ar").expect("translated");
    let n = qc::model::ItemId::from(0);
    let m = &arabic.items[qc::model::ItemId::from(1)].label;
    assert_eq!(
        m.parts(),
        [
            qc::model::Part::Literal("كم {حالة} من ".to_owned()),
            qc::model::Part::Piped(n),
            qc::model::Part::Literal(" حلت؟".to_owned()),
        ]
    );
    let k = &arabic.items[qc::model::ItemId::from(2)].label;
    assert_eq!(arabic.written(k), "Of the {n} solved, how many were tried?");
    let survey = qc::emit::surveyjs::survey(&instrument);
    assert_eq!(
        survey["pages"][0]["elements"][1]["title"]["ar"],
        "2. كم {\u{2060}حالة} من {n} حلت؟"
    );
}

/// Citations are printed naming each document they cite, have translation keys, and are
/// translated with the rest: in the form, and in each export.
#[test]
fn citations_name_their_documents_and_are_translated() {
    let source = r#"instrument demo { title "Demo" language "en" }
translation fr "fr.json"
document guidelines "Guidelines for the Prevention of Crime" {
  para 7 "Seven." para 8 "Eight:" { (a) "Eight (a)." (b) "Eight (b)." }
}
document principles "Basic Principles" { para 3 "Three." }
scale yes_no { yes "Yes" no "No" }
section main "Main" {
  question q1 "Both?" : yes_no { cites guidelines 7 and 8 (b) cites principles 3 }
  grid areas "Areas" {
    column need "Need"
    row one "One" cites guidelines 7 and 8 (a)
    row two "Two" cites guidelines 8 (b)
  }
}
"#;
    let compile = |translation: &str| {
        let mut loader = MemoryLoader::new().with("fr.json", translation);
        qc::compile_with("demo.q", source.as_bytes(), &mut loader)
    };
    let instrument = compile(&empty("fr")).instrument.expect("compiles");
    let q1 = &instrument.items[qc::model::ItemId::from(0)];
    assert_eq!(
        q1.cited.as_deref(),
        Some(
            "Guidelines for the Prevention of Crime, paras. 7 and 8 (b); Basic Principles, para. 3"
        )
    );
    let Some(qc::model::AnswerType::Grid(grid)) =
        &instrument.items[qc::model::ItemId::from(1)].answer
    else {
        panic!("a grid");
    };
    // A row prints its paragraphs alone after its label, as the annex does.
    assert_eq!(grid.rows[0].cited.as_deref(), Some("paras. 7 and 8 (a)"));
    assert_eq!(grid.rows[1].cited.as_deref(), Some("para. 8 (b)"));
    let template = translate::update(&instrument, "fr", None);
    let mut file: serde_json::Value = serde_json::from_str(&template).expect("JSON");
    for key in [
        "q1.citations",
        "areas.row.one.citations",
        "areas.row.two.citations",
    ] {
        assert!(file["strings"].get(key).is_some(), "{key}: {template}");
    }
    file["strings"]["q1.citations"]["text"] =
        "Principes directeurs, par. 7 et 8 b); Principes fondamentaux, par. 3".into();
    file["strings"]["areas.row.one.citations"]["text"] = "par. 7 et 8 a)".into();
    let instrument = compile(&file.to_string()).instrument.expect("compiles");
    let french = translate::localize(&instrument, "fr").expect("French");
    let form = qc::emit::json::to_value(&french);
    let q1 = &form["sections"][0]["content"][0];
    assert_eq!(
        q1["citation_text"],
        "Principes directeurs, par. 7 et 8 b); Principes fondamentaux, par. 3"
    );
    assert_eq!(
        form["sections"][0]["content"][1]["answer"]["rows"][0]["citation_text"],
        "par. 7 et 8 a)"
    );
    // The form written in French reads back with its French citations.
    let read = qc::form::read(&form).expect("the form reads back");
    let cited = |instrument: &qc::Instrument| -> Vec<Option<String>> {
        instrument
            .items
            .iter()
            .map(|item| item.cited.clone())
            .collect()
    };
    assert_eq!(cited(&read), cited(&french));
    assert_eq!(
        qc::emit::json::to_value(&read)["sections"][0]["content"][1],
        form["sections"][0]["content"][1]
    );
    // Each export shows them.
    let (questionnaire, _) = qc::emit::fhir::questionnaire(&french);
    assert!(questionnaire.to_string().contains("(par. 7 et 8 a))"));
    let survey = qc::emit::surveyjs::survey(&french);
    assert!(survey
        .to_string()
        .contains("Principes fondamentaux, par. 3"));
    let xlsform = qc::emit::xlsform::build(&instrument);
    let french_column = &xlsform.translations[0];
    let row = xlsform
        .survey
        .iter()
        .position(|row| row.name == "q1")
        .expect("q1");
    assert!(french_column.survey[row][2].contains("Principes fondamentaux, par. 3"));
}

/// A form written in a translation (`--lang`) keeps its languages, the translation's direction
/// first, and names the texts that fell back to the source's language; it reads back as it
/// was written.
#[test]
fn a_form_in_a_translation_keeps_its_languages_and_marks_its_fallbacks() {
    let full = compile(INSTRUMENT, &full_arabic(INSTRUMENT))
        .instrument
        .expect("compiles");
    let arabic = translate::localize(&full, "ar").expect("Arabic");
    let form = qc::emit::json::to_value(&arabic);
    assert_eq!(
        form["languages"],
        serde_json::json!([
            { "code": "ar", "direction": "rtl" },
            { "code": "en", "direction": "ltr", "source": true },
        ])
    );
    assert!(form.get("fallback").is_none(), "{}", form["fallback"]);

    let mut partial: serde_json::Value =
        serde_json::from_str(&full_arabic(INSTRUMENT)).expect("JSON");
    let strings = partial["strings"].as_object_mut().expect("strings");
    strings.remove("q1.help.1");
    strings.remove("areas.row.social");
    let instrument = compile(INSTRUMENT, &partial.to_string())
        .instrument
        .expect("compiles");
    let arabic = translate::localize(&instrument, "ar").expect("Arabic");
    let form = qc::emit::json::to_value(&arabic);
    assert_eq!(
        form["fallback"],
        serde_json::json!(["q1.help.1", "areas.row.social"])
    );
    let read = qc::form::read(&form).expect("reads back");
    assert_eq!(qc::emit::json::to_value(&read), form);
    // The form in its own language marks nothing.
    let own = translate::localize(&instrument, "en").expect("English");
    let form = qc::emit::json::to_value(&own);
    assert!(form.get("fallback").is_none() && form.get("languages").is_none());
}

/// FHIR carries the translations of texts held in extensions too: a constraint's message and
/// the XHTML of quoted paragraphs.
#[test]
fn fhir_translates_the_texts_of_its_extensions() {
    let source = r#"instrument demo { title "Demo" language "en" }
translation ar "ar.json"
document guidelines "Guidelines" { para 7 "Seven." }
section main "Main" {
  quote guidelines 7
  question n "How many?" : integer {
    allow uncited
    check n <= 10 else error "At most ten"
  }
}
"#;
    let instrument = compile(source, &full_arabic(source))
        .instrument
        .expect("compiles");
    let (questionnaire, _) = qc::emit::fhir::questionnaire(&instrument);
    let text = questionnaire.to_string();
    assert!(text.contains(r#""valueString":"ع At most ten""#), "{text}");
    assert!(text.contains("<i>ع Seven.</i>"), "{text}");
}

//! Every compiled instrument, bundled or fixture, satisfies `docs/form.schema.json`; and the
//! schema is strict enough to reject a broken form.

use serde_json::{json, Value};

use super::{bundled_instruments, compile_clean, read, root};

fn validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(&read(&root().join("docs/form.schema.json"))).expect("schema JSON");
    jsonschema::draft202012::new(&schema).expect("a valid draft 2020-12 schema")
}

fn assert_valid(validator: &jsonschema::Validator, form: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(form)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}:\n{}", errors.join("\n"));
}

#[test]
fn bundled_and_fixture_forms_satisfy_the_schema() {
    let validator = validator();
    let mut paths = bundled_instruments();
    paths.extend(
        std::fs::read_dir(root().join("tests/fixtures/pass"))
            .expect("pass fixtures")
            .map(|entry| entry.expect("entry").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "q")),
    );
    for path in paths {
        let instrument = compile_clean(&path);
        let form = qc::emit::json::to_value(&instrument);
        assert_valid(&validator, &form, &path.display().to_string());
        // Written in each of its translations too.
        for translation in &instrument.translations {
            let localized =
                qc::translate::localize(&instrument, &translation.language).expect("declared");
            let form = qc::emit::json::to_value(&localized);
            let what = format!("{} in {}", path.display(), translation.language);
            assert_valid(&validator, &form, &what);
        }
    }
}

#[test]
fn the_schema_rejects_broken_forms() {
    let validator = validator();
    let mut form = qc::emit::json::to_value(&compile_clean(
        &root().join("questionnaires/crime-prevention.q"),
    ));
    assert!(validator.is_valid(&form));
    form["format"] = json!("qc-form/2");
    assert!(!validator.is_valid(&form));
    form["format"] = json!("qc-form/1");
    form["sections"][0]["content"][2]["id"] = json!("q1.dotted");
    assert!(
        !validator.is_valid(&form),
        "a dotted id would break JsonLogic var paths"
    );
    form["sections"][0]["content"][2]["id"] = json!("q1");
    form["sections"][0]["content"][2]["answer"] = json!({ "type": "choice", "multiple": false });
    assert!(
        !validator.is_valid(&form),
        "a choice needs a scale or options"
    );
}

//! Property: a compiled form changed anywhere, in any of the ways a hostile form could be, is
//! read back or refused with a pointer, never a panic; what is read back validates replies and
//! computes their values without panicking or running away.

use proptest::prelude::*;
use serde_json::{json, Value};

/// What a node of the form may become.
fn replacements() -> Vec<Value> {
    vec![
        json!(null),
        json!(""),
        json!("a.b"),
        json!("q1"),
        json!("yes"),
        json!(-1),
        json!(1e308),
        json!(0.1),
        json!(true),
        json!([]),
        json!({}),
        json!({ "var": "q1" }),
        json!({ "var": "c" }),
        json!({ "==": [{ "var": "q1" }, "yes"] }),
        json!({ "+": [{ "var": "q2" }, { "var": "q2" }] }),
        json!({ "/": [1, 0] }),
        json!({ "unknown": [1] }),
        json!([{ "code": "yes", "label": "Yes" }, { "code": "yes", "label": "Again" }]),
    ]
}

/// The source the forms are compiled from: choices, numbers, a calculated value, a list, a
/// grid of conditions.
const SOURCE: &str = "instrument mutants { title \"Mutants\" version \"1\" }
scale yes_no { yes \"Yes\" no \"No\" }
section main \"Main\" {
  question q1 \"A\" : yes_no
  question q2 \"N\" : integer min 0 max 10 when q1 = yes
  calc c \"C\" = q2 * 2 + 1
  question q3 \"B\" : yes_no when c > 3 and q1 != no
  question people \"People\" : list min 1 max q2 {
    field name \"Name\" : text
    field age \"Age\" : integer
    check this.age >= 0 else error \"An age is not negative\"
  }
}
";

/// Every node of a JSON value, in document order, as a JSON pointer.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                let at = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                out.push(at.clone());
                pointers(child, at, out);
            }
        }
        Value::Array(values) => {
            for (index, child) in values.iter().enumerate() {
                let at = format!("{at}/{index}");
                out.push(at.clone());
                pointers(child, at, out);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn mutated_forms_are_read_or_refused(changes in proptest::collection::vec((any::<usize>(), any::<usize>()), 1..4)) {
        let instrument = qc::compile(SOURCE).instrument.expect("compiles");
        let mut form = qc::emit::json::to_value(&instrument);
        let values = replacements();
        for (node, replacement) in changes {
            let mut all = Vec::new();
            pointers(&form, String::new(), &mut all);
            let at = &all[node % all.len()];
            if let Some(slot) = form.pointer_mut(at) {
                *slot = values[replacement % values.len()].clone();
            }
        }
        match qc::form::read(&form) {
            Err(error) => prop_assert!(error.pointer.is_empty() || error.pointer.starts_with('/'), "{error}"),
            Ok(read) => {
                let validator = qc::validate::Validator::new(&read);
                for answers in [json!({}), json!({ "q1": "yes", "q2": 4, "people": [{ "name": "A", "age": -1 }] })] {
                    let reply = json!({ "form": read.id, "answers": answers });
                    let _ = validator.validate(&reply, qc::validate::Options { complete: true });
                    let _ = qc::emit::surveyjs::to_string(&read);
                    let _ = qc::emit::xlsform::build(&read);
                    let _ = qc::emit::fhir::questionnaire(&read);
                }
            }
        }
    }
}

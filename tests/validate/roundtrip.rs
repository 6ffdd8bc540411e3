//! A compiled form read back gives the same form, and validates replies the same way.

use qc::model::{AnswerType, CompareOp, Condition, Operand};
use qc::validate::{Options, Validator};

use super::{example, root};

fn forms() -> Vec<(String, qc::Instrument)> {
    let mut paths = vec![
        root().join("questionnaires/crime-prevention.q"),
        root().join("questionnaires/victim-issues.q"),
    ];
    paths.extend(
        std::fs::read_dir(root().join("tests/fixtures/pass"))
            .expect("pass fixtures")
            .map(|entry| entry.expect("entry").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "q")),
    );
    paths
        .into_iter()
        .map(|path| {
            let compilation = super::loader::compile_path(&path);
            let instrument = compilation.instrument.expect("compiles");
            (path.display().to_string(), instrument)
        })
        .collect()
}

/// What the compiler writes, the reader reads: the text of the form, through the same limits
/// as `qc validate FORM.json`.
fn read_back(name: &str, instrument: &qc::Instrument) -> qc::Instrument {
    let text = qc::emit::json::to_string(instrument);
    let value = qc::validate::parse_json(text.as_bytes(), qc::validate::FORM_MAX_DEPTH)
        .unwrap_or_else(|error| panic!("{name}: {error}"));
    let read = qc::form::read(&value).unwrap_or_else(|error| panic!("{name}: {error}"));
    assert_eq!(qc::emit::json::to_value(&read), value, "{name}");
    read
}

/// `a != b` as the form writes it, the negation of `a = b`: the one spelling of the model that
/// the form does not keep (both mean the same, for every evaluator and every export).
fn unspelled(condition: &mut Condition) {
    match condition {
        Condition::Compare { op, lhs, rhs } => {
            operand(lhs);
            operand(rhs);
            if *op == CompareOp::Ne {
                *op = CompareOp::Eq;
                *condition = Condition::Not(Box::new(condition.clone()));
            }
        }
        Condition::Or(parts) | Condition::And(parts) => parts.iter_mut().for_each(unspelled),
        Condition::Not(inner) => unspelled(inner),
        _ => {}
    }
}

fn operand(operand_: &mut Operand) {
    match operand_ {
        Operand::Sum { add, subtract } => add.iter_mut().chain(subtract).for_each(operand),
        Operand::Product { multiply, divide } => {
            multiply.iter_mut().chain(divide).for_each(operand)
        }
        Operand::If {
            condition,
            then,
            otherwise,
        } => {
            unspelled(condition);
            operand(then);
            operand(otherwise);
        }
        Operand::Year(inner) => operand(inner),
        Operand::Between { from, to, .. } => {
            operand(from);
            operand(to);
        }
        _ => {}
    }
}

/// What the form carries of an instrument: its model without source spans, without the tests
/// written in it (a form has none), and `!=` spelled as the form spells it.
fn carried(mut instrument: qc::Instrument) -> qc::Instrument {
    fn clear(constraints: &mut [qc::model::Constraint]) {
        for constraint in constraints {
            constraint.span = qc::span::Span::default();
            unspelled(&mut constraint.condition);
        }
    }
    instrument.tests.clear();
    for item in instrument.items.iter_mut() {
        item.span = qc::span::Span::default();
        clear(&mut item.constraints);
        item.condition.iter_mut().for_each(unspelled);
        item.calculation.iter_mut().for_each(operand);
        match &mut item.answer {
            Some(AnswerType::List(list)) => {
                clear(&mut list.constraints);
                for field in &mut list.fields {
                    field.span = qc::span::Span::default();
                    field.condition.iter_mut().for_each(unspelled);
                }
            }
            Some(AnswerType::Grid(grid)) => {
                for column in &mut grid.columns {
                    column.condition.iter_mut().for_each(unspelled);
                }
            }
            _ => {}
        }
    }
    for section in &mut instrument.sections {
        clear(&mut section.constraints);
    }
    instrument
}

/// The model read back is the model compiled: a loss the writer and the reader made the same
/// way would not show in the JSON written again, but shows here.
#[test]
fn reading_a_compiled_form_gives_back_the_same_model() {
    for (name, instrument) in forms() {
        let read = read_back(&name, &instrument);
        let (compiled, read) = (carried(instrument), carried(read));
        if compiled != read {
            let (a, b) = (format!("{compiled:#?}"), format!("{read:#?}"));
            let first = a
                .lines()
                .zip(b.lines())
                .position(|(x, y)| x != y)
                .unwrap_or(0);
            let context = |text: &str| {
                text.lines()
                    .skip(first.saturating_sub(8))
                    .take(16)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            panic!(
                "{name}: the model read back differs\ncompiled:\n{}\nread:\n{}",
                context(&a),
                context(&b)
            );
        }
    }
}

/// Moves the `type` of every tagged object (blocks, answers) after its other keys.
fn type_last(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(object) => {
            if let Some(tag) = object.shift_remove("type") {
                object.insert("type".to_owned(), tag);
            }
            object.values_mut().for_each(type_last);
        }
        serde_json::Value::Array(values) => values.iter_mut().for_each(type_last),
        _ => {}
    }
}

/// The compiler writes each `type` first, which lets the reader point at the very key at
/// fault; a form written by other hands may put it anywhere, and reads the same.
#[test]
fn the_type_of_a_block_or_an_answer_may_come_anywhere_in_its_object() {
    for (name, instrument) in forms() {
        let mut form = qc::emit::json::to_value(&instrument);
        let read = qc::form::read(&form).unwrap_or_else(|error| panic!("{name}: {error}"));
        type_last(&mut form);
        let moved = qc::form::read(&form).unwrap_or_else(|error| panic!("{name}: {error}"));
        assert!(moved == read, "{name}: read differently with `type` last");
    }
    // Either way, a key that does not fit is refused where it is.
    let source =
        "instrument t { title \"T\" }\nsection s \"S\" {\n  question n \"N\" : integer\n}\n";
    let mut form = qc::emit::json::to_value(&qc::compile(source).instrument.expect("compiles"));
    form["sections"][0]["content"][0]["answer"]["min"] = "ten".into();
    let first = qc::form::read(&form).expect_err("a bound that is a text");
    assert_eq!(first.pointer, "/sections/0/content/0/answer/min");
    assert!(first.message.contains("expected a number"), "{first}");
    type_last(&mut form);
    let last = qc::form::read(&form).expect_err("a bound that is a text");
    assert!(last.pointer.starts_with("/sections/0/content/0"), "{last}");
    assert!(last.message.contains("expected a number"), "{last}");
}

/// Instruments at the limit of nesting, in each construct that nests: items, conditions, and
/// the values whose JsonLogic nests deepest.
fn at_the_limits() -> Vec<(String, String)> {
    // The section's braces are the first level.
    let n = qc::syntax::MAX_DEPTH - 1;
    let head = "instrument limits { title \"Limits\" }\nscale yes_no { yes \"Yes\" no \"No\" }\n";
    let section = |body: String| {
        format!("{head}section main \"Main\" {{\n  question a \"A\" : integer\n  question b \"B\" : date\n  {body}\n}}\n")
    };
    let nested = |open: &str, inner: &str, close: &str, times: usize| {
        format!("{}{inner}{}", open.repeat(times), close.repeat(times))
    };
    let mut items = String::from("question q0 \"Q\" : yes_no ");
    for i in 1..n {
        let previous = if i == 1 {
            "q0".to_owned()
        } else {
            format!("a{}", i - 1)
        };
        items.push_str(&format!(
            "{{ ask a{i} \"A{i}\" : yes_no when {previous} = yes "
        ));
    }
    items.push_str(&"}".repeat(n - 1));
    vec![
        ("items".to_owned(), section(items)),
        (
            "sums".to_owned(),
            section(format!(
                "calc c \"C\" = {}",
                nested("sum(a + ", "a", ")", n)
            )),
        ),
        (
            "divisions".to_owned(),
            section(format!(
                "calc c \"C\" = {}",
                nested("sum(a / a + ", "a", ")", n)
            )),
        ),
        (
            "conditions".to_owned(),
            section(format!(
                "question d \"D\" : yes_no when {}",
                nested("(a > 1 and not ", "a > 2", ")", n)
            )),
        ),
        (
            "choices".to_owned(),
            section(format!(
                "calc c \"C\" = {}",
                nested("sum(if(a > 1, a, ", "a", "))", n / 2)
            )),
        ),
        (
            "chains".to_owned(),
            section(format!(
                "calc c \"C\" = {}",
                vec!["a * b / a"; 5_000].join(" + ").replace(" b ", " a ")
            )),
        ),
    ]
}

#[test]
fn forms_at_the_limits_of_nesting_are_read_back() {
    for (name, source) in at_the_limits() {
        let compilation = qc::compile(&source);
        let instrument = compilation
            .instrument
            .unwrap_or_else(|| panic!("{name}: {:?}", compilation.diagnostics));
        let read = read_back(&name, &instrument);
        let reply = serde_json::json!({ "form": "limits", "version": null, "answers": { "a": 2 } });
        let places = |form: &qc::Instrument| {
            let problems = Validator::new(form).validate(&reply, Options { complete: false });
            let places: Vec<(String, String)> = problems
                .into_iter()
                .map(|problem| (problem.code.as_str().to_owned(), problem.pointer))
                .collect();
            places
        };
        assert_eq!(places(&read), places(&instrument), "{name}");
    }
}

#[test]
fn a_compiled_form_validates_like_its_source() {
    let (_, instrument) = forms().remove(0);
    let read = qc::form::read(&qc::emit::json::to_value(&instrument)).expect("reads");
    let from_source = Validator::new(&instrument);
    let from_json = Validator::new(&read);
    let files = std::fs::read_dir(root().join("questionnaires/examples/crime-prevention"))
        .expect("examples");
    for file in files {
        let name = file
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        let reply = example(&name);
        // Only a `.q` source knows where its items are declared.
        let without_spans = |mut problems: Vec<qc::validate::Problem>| {
            problems.iter_mut().for_each(|problem| problem.span = None);
            problems
        };
        let a = without_spans(from_source.validate(&reply, Options { complete: true }));
        let b = without_spans(from_json.validate(&reply, Options { complete: true }));
        assert!(!a.is_empty() || name.starts_with("arcadia"), "{name}");
        assert_eq!(a, b, "{name}");
    }
}

#[test]
fn malformed_forms_are_refused_with_a_pointer() {
    let (_, instrument) = forms().remove(0);
    let mut form = qc::emit::json::to_value(&instrument);
    form["format"] = serde_json::json!("qc-form/9");
    assert_eq!(
        qc::form::read(&form).expect_err("format").pointer,
        "/format"
    );
    let mut form = qc::emit::json::to_value(&instrument);
    let grid = form["sections"][4]["content"]
        .as_array_mut()
        .and_then(|blocks| blocks.iter_mut().find(|block| block["kind"] == "grid"))
        .expect("the grid");
    grid["condition"] = serde_json::json!({ "==": [{ "var": "q99" }, "yes"] });
    let error = qc::form::read(&form).expect_err("unknown item");
    assert!(error.message.contains("q99"), "{error}");
    // The respondent block is one, and has no number; the other sections have one.
    let form = qc::emit::json::to_value(&instrument);
    assert_eq!(form["sections"][0]["respondent"], true);
    let mut numbered = form.clone();
    numbered["sections"][0]["number"] = serde_json::json!("I");
    let error = qc::form::read(&numbered).expect_err("a numbered respondent block");
    assert_eq!(error.pointer, "/sections/0/number", "{error}");
    let mut two = form.clone();
    two["sections"][1]["respondent"] = serde_json::json!(true);
    two["sections"][1]["number"] = serde_json::json!("");
    let error = qc::form::read(&two).expect_err("two respondent blocks");
    assert_eq!(error.pointer, "/sections/1", "{error}");
    // An item feeds only a heading the form's report declares.
    let mut feeds = form.clone();
    let q23 = feeds["sections"]
        .as_array_mut()
        .and_then(|sections| {
            sections
                .iter_mut()
                .flat_map(|s| s["content"].as_array_mut().into_iter().flatten())
                .find(|block| block["id"] == "q23")
        })
        .expect("q23");
    assert_eq!(q23["feeds"], serde_json::json!(["difficulties"]));
    q23["feeds"] = serde_json::json!(["nowhere"]);
    let error = qc::form::read(&feeds).expect_err("an unknown heading");
    assert!(
        error.pointer.ends_with("/feeds/0") && error.message.contains("nowhere"),
        "{error}"
    );
    let mut unnumbered = form;
    unnumbered["sections"][1]["number"] = serde_json::json!("");
    let error = qc::form::read(&unnumbered).expect_err("a section without a number");
    assert_eq!(error.pointer, "/sections/1/number", "{error}");
}

/// The order a form gives its calculated values in lists each once, after those it reads;
/// another is refused at its place.
#[test]
fn the_order_of_calculated_values_is_checked() {
    let source = "instrument order { title \"Order\" }
section main \"Main\" {
  question n \"N\" : integer
  calc double \"Double\" = n * 2
  calc more \"More\" = double + 1
}
";
    let instrument = qc::compile(source).instrument.expect("compiles");
    let form = qc::emit::json::to_value(&instrument);
    assert_eq!(
        form["calculation_order"],
        serde_json::json!(["double", "more"])
    );
    let refused = [
        (
            serde_json::json!(["more", "double"]),
            "/calculation_order/0",
            "reads `double`",
        ),
        (
            serde_json::json!(["double", "n"]),
            "/calculation_order/1",
            "not a calculated value",
        ),
        (
            serde_json::json!(["double", "double"]),
            "/calculation_order/1",
            "twice",
        ),
        (
            serde_json::json!(["double"]),
            "/calculation_order",
            "`more` is not listed",
        ),
    ];
    for (order, pointer, message) in refused {
        let mut changed = form.clone();
        changed["calculation_order"] = order.clone();
        let error = qc::form::read(&changed).expect_err("refused");
        assert!(
            error.pointer == pointer && error.message.contains(message),
            "{order}: {error}"
        );
    }
}

/// The replies to the pass fixtures (examples of calculated values, constraints, records,
/// special answers and tables, and the fixtures of their problems) find the same problems with
/// the form read back as with its source.
#[test]
fn replies_to_fixtures_find_the_same_problems_with_the_form_read_back() {
    let forms = forms();
    let mut compared = 0;
    for folder in ["tests/interop/replies", "tests/fixtures/replies"] {
        for file in std::fs::read_dir(root().join(folder)).expect("replies") {
            let path = file.expect("entry").path();
            let Ok(reply) = serde_json::from_slice::<serde_json::Value>(
                &std::fs::read(&path).expect("a reply"),
            ) else {
                continue;
            };
            let Some(form) = reply.get("form").and_then(|f| f.as_str()) else {
                continue;
            };
            let Some((_, instrument)) = forms
                .iter()
                .find(|(name, _)| name.ends_with(&format!("tests/fixtures/pass/{form}.q")))
            else {
                continue;
            };
            let read = qc::form::read(&qc::emit::json::to_value(instrument)).expect("reads");
            let without_spans = |mut problems: Vec<qc::validate::Problem>| {
                problems.iter_mut().for_each(|problem| problem.span = None);
                problems
            };
            let options = Options { complete: true };
            let a = without_spans(Validator::new(instrument).validate(&reply, options));
            let b = without_spans(Validator::new(&read).validate(&reply, options));
            assert_eq!(a, b, "{}", path.display());
            compared += 1;
        }
    }
    assert!(compared >= 10, "{compared} replies compared");
}

/// A form read back is checked as its source would be: every change below is one the compiler
/// refuses in a `.q` file, and the reader refuses it too, at the place it names.
#[test]
fn forms_are_checked_like_sources_when_read_back() {
    let source = "instrument mutants { title \"Mutants\" }
scale yes_no { yes \"Yes\" no \"No\" }
section main \"Main\" {
  question a \"A\" : yes_no
  question n \"N\" : integer min 0 max 10 when a = yes
  question b \"B\" : yes_no when a = yes
  calc c \"C\" = n + 1
  calc d \"D\" = c * 2
  question people \"People\" : list {
    field name \"Name\" : text
    field age \"Age\" : integer
  }
}
";
    let form = qc::emit::json::to_value(&qc::compile(source).instrument.expect("compiles"));
    qc::form::read(&form).expect("the form as compiled reads back");
    let mut forward = form.clone();
    forward["sections"][0]["content"][0]["label"] = serde_json::json!("A ({{sic}}), after {d}");
    let read = qc::form::read(&forward).expect("a text may pipe an item read after it");
    let first = read.items.first().expect("an item");
    assert_eq!(read.written(&first.label), "A ({{sic}}), after {d}");
    assert_eq!(
        first
            .label
            .piped()
            .map(|id| read.item(id).id.as_str())
            .collect::<Vec<_>>(),
        ["d"]
    );
    let cases: Vec<(&str, serde_json::Value, &str, &str)> = vec![
        // (where, what it becomes, the pointer of the refusal, words of its message)
        (
            "/sections/0/content/3/calculation",
            serde_json::json!({ "var": "d" }),
            "/sections/0/content/3",
            "cycle",
        ),
        (
            "/sections/0/content/0/condition",
            serde_json::json!({ "==": [{ "var": "b" }, "yes"] }),
            "/sections/0/content/0",
            "cycle",
        ),
        (
            "/scales/0/options/1/code",
            serde_json::json!("yes"),
            "/scales/0/options/1",
            "twice",
        ),
        (
            "/scales/0/options",
            serde_json::json!([]),
            "/scales/0/options",
            "at least one option",
        ),
        (
            "/sections/0/content/5/answer/fields/1/id",
            serde_json::json!("name"),
            "/sections/0/content/5/answer/fields/1",
            "twice",
        ),
        (
            "/sections/0/content/1/answer/min",
            serde_json::json!("abc"),
            "/sections/0/content/1/answer/min",
            "number",
        ),
        (
            "/sections/0/content/1/answer/min",
            serde_json::json!(11),
            "/sections/0/content/1/answer",
            "more than",
        ),
        (
            "/sections/0/content/1/id",
            serde_json::json!("a.b"),
            "/sections/0/content/1/id",
            "not an id",
        ),
        (
            "/sections/0/content/1/id",
            serde_json::json!("a@b"),
            "/sections/0/content/1/id",
            "not an id",
        ),
        (
            "/sections/0/content/1/id",
            serde_json::json!("a\u{0}"),
            "/sections/0/content/1/id",
            "not an id",
        ),
        (
            "/sections/0/content/1/id",
            serde_json::json!(""),
            "/sections/0/content/1/id",
            "not an id",
        ),
        (
            "/sections/0/content/1/id",
            serde_json::json!("a"),
            "/sections/0/content/1",
            "twice",
        ),
        (
            "/sections/0/content/1/condition",
            serde_json::json!({ "regex": [{ "var": "a" }, "y"] }),
            "/sections/0/content/1/condition",
            "",
        ),
        (
            "/scales/0/id",
            serde_json::json!("yes no"),
            "/scales/0/id",
            "not an id",
        ),
        // A text pipes items by id, read before or after it; not one that is missing, nor a
        // list, which has no one value to show.
        (
            "/sections/0/content/0/label",
            serde_json::json!("Of the {nobody}"),
            "/sections/0/content/0/label",
            "`{nobody}` names no item",
        ),
        (
            "/sections/0/content/0/label",
            serde_json::json!("Of the {people}"),
            "/sections/0/content/0/label",
            "has no value to show",
        ),
    ];
    for (place, value, pointer, words) in cases {
        let mut mutant = form.clone();
        let (parent, key) = place.rsplit_once('/').expect("a pointer");
        match mutant
            .pointer_mut(parent)
            .unwrap_or_else(|| panic!("{parent} in the form"))
        {
            serde_json::Value::Object(object) => {
                object.insert(key.to_owned(), value.clone());
            }
            serde_json::Value::Array(array) => {
                array[key.parse::<usize>().expect("an index")] = value.clone()
            }
            other => panic!("{parent} is {other}"),
        }
        let error = qc::form::read(&mutant)
            .err()
            .unwrap_or_else(|| panic!("{place} = {value} is read back"));
        assert!(
            error.pointer.starts_with(pointer) && error.message.contains(words),
            "{place} = {value}: {error}"
        );
    }
}

//! Fidelity of `crime-prevention.q` to the annex of resolution 2006/20.
//!
//! Every line of the annex's text appears in the compiled form, normalising only quotation
//! marks, white space and the print artefacts the source file carries (list dashes, italics
//! asterisks, `<i>` tags, item letters and paragraph numbers at the start of a line, which the
//! form holds as structure). Each question number 1-28 is printed exactly once, on the label the
//! annex prints after it, and the scales are those the annex prints.

use serde_json::Value;

use super::{compile_clean, read, root};

fn normalise(text: &str) -> String {
    let text = text
        .replace(['“', '”', '″'], "\"")
        .replace(['‘', '’'], "'")
        .replace("<i>", "")
        .replace("</i>", "")
        .replace('*', "");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Drops the markers the form holds as structure: `- `, `(a) `, `12. `, `IV. `.
fn strip_marker(line: &str) -> &str {
    let mut line = line.trim_start_matches("- ").trim();
    loop {
        let before = line;
        if let Some(rest) = line.strip_prefix('(') {
            if let Some((marker, rest)) = rest.split_once(") ") {
                if marker.len() <= 4 && marker.chars().all(|c| c.is_ascii_lowercase()) {
                    line = rest.trim_start_matches("- ").trim();
                }
            }
        }
        if let Some((number, rest)) = line.split_once(". ") {
            let numeric = !number.is_empty() && number.chars().all(|c| c.is_ascii_digit());
            let roman = !number.is_empty() && number.chars().all(|c| "IVX".contains(c));
            if numeric || roman {
                line = rest.trim();
            }
        }
        if line == before {
            return line;
        }
    }
}

/// Whether a line only shows answer boxes: "Yes No", "() Yes () No", "Not applicable"…
fn is_answer_boxes(line: &str) -> bool {
    let rest = line
        .replace("()", "")
        .replace("Yes, in part", "")
        .replace("Not applicable", "")
        .replace("Yes", "")
        .replace("No", "");
    rest.trim().is_empty()
}

/// The annex: the lines after the line `Annex`.
fn annex_lines() -> Vec<String> {
    let source = read(&root().join("tests/data/ecosoc-resolution-2006-20.txt"));
    let annex = source
        .split_once("\nAnnex\n")
        .map(|(_, annex)| annex.to_owned())
        .expect("the resolution has an annex");
    annex
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// All the texts of a compiled form, one per line, normalised.
fn texts(value: &Value, out: &mut String) {
    match value {
        Value::String(text) => {
            out.push_str(&normalise(text));
            out.push('\n');
        }
        Value::Array(values) => values.iter().for_each(|v| texts(v, out)),
        Value::Object(map) => {
            // A grid row prints its citations after its label: "Planning interventions (para. 22)".
            if let (Some(Value::String(label)), Some(Value::String(citation))) =
                (map.get("label"), map.get("citation_text"))
            {
                if map.contains_key("marker") && !map.contains_key("kind") {
                    out.push_str(&normalise(&format!("{label} ({citation})")));
                    out.push('\n');
                }
            }
            map.values().for_each(|v| texts(v, out));
        }
        _ => {}
    }
}

fn form() -> Value {
    let instrument = compile_clean(&root().join("questionnaires/crime-prevention.q"));
    qc::emit::json::to_value(&instrument)
}

#[test]
fn every_line_of_the_annex_is_in_the_form() {
    let form = form();
    let mut corpus = String::new();
    texts(&form, &mut corpus);
    let mut missing = Vec::new();
    let lines = annex_lines();
    for line in &lines {
        // The grid's header row holds the grid's label and its columns, separated by tabs.
        for cell in line.split('\t').filter(|cell| !cell.trim().is_empty()) {
            let text = normalise(strip_marker(cell));
            if text.is_empty() || is_answer_boxes(&text) {
                continue;
            }
            if !corpus.contains(&text) {
                missing.push(text);
            }
        }
    }
    assert!(lines.len() > 300, "the annex has {} lines", lines.len());
    assert!(
        missing.is_empty(),
        "not in the compiled form:\n{}",
        missing.join("\n")
    );
}

/// The sections of the annex: all but the respondent block, which the annex leaves to the
/// covering note.
fn annex_sections(form: &Value) -> Vec<&Value> {
    let sections = form["sections"].as_array().expect("sections");
    assert_eq!(
        sections[0]["respondent"], true,
        "the respondent block comes first"
    );
    sections
        .iter()
        .filter(|s| s["respondent"] != true)
        .collect()
}

fn questions(form: &Value) -> Vec<&Value> {
    annex_sections(form)
        .into_iter()
        .flat_map(|section| section["content"].as_array().expect("content"))
        .filter(|block| block["kind"] == "question")
        .collect()
}

#[test]
fn questions_1_to_28_are_numbered_once_each_with_the_annex_wording() {
    let form = form();
    let questions = questions(&form);
    let numbers: Vec<&str> = questions
        .iter()
        .map(|q| q["number"].as_str().expect("number"))
        .collect();
    let expected: Vec<String> = (1..=28).map(|n| n.to_string()).collect();
    assert_eq!(numbers, expected);
    let annex: Vec<String> = annex_lines().iter().map(|line| normalise(line)).collect();
    for question in questions {
        let printed = format!(
            "{}. {}",
            question["number"].as_str().expect("number"),
            normalise(question["label"].as_str().expect("label"))
        );
        assert!(
            annex.contains(&printed),
            "the annex does not print `{printed}`"
        );
    }
}

/// The item with this printed number, searched through the whole tree.
fn numbered<'a>(form: &'a Value, number: &str) -> &'a Value {
    fn find<'a>(value: &'a Value, number: &str) -> Option<&'a Value> {
        match value {
            Value::Object(map) if map.get("number").and_then(Value::as_str) == Some(number) => {
                Some(value)
            }
            Value::Object(map) => map.values().find_map(|v| find(v, number)),
            Value::Array(values) => values.iter().find_map(|v| find(v, number)),
            _ => None,
        }
    }
    find(&form["sections"], number).unwrap_or_else(|| panic!("no item numbered {number}"))
}

#[test]
fn scales_are_the_printed_ones() {
    let form = form();
    let scale_of = |number: &str| numbered(&form, number)["answer"]["scale"].clone();
    assert_eq!(scale_of("1"), "yes_no");
    assert_eq!(scale_of("4 (a)"), "yes_no");
    assert_eq!(scale_of("4 (b)"), "yes_no_na");
    for letter in ["c", "d", "e", "f"] {
        assert_eq!(scale_of(&format!("4 ({letter}) (i)")), "yes_partly_no");
        assert_eq!(scale_of(&format!("4 ({letter}) (ii)")), "yes_partly_no_na");
    }
    for number in ["4 (c) (iii)", "4 (e) (iii)", "4 (f) (iii)"] {
        assert_eq!(scale_of(number), "yes_partly_no");
    }
    // 4 (d) has only (i) and (ii).
    assert!(
        numbered(&form, "4 (d)")["items"]
            .as_array()
            .expect("items")
            .len()
            == 2
    );
    let labels = |scale: &str| -> Vec<String> {
        let scale = form["scales"]
            .as_array()
            .expect("scales")
            .iter()
            .find(|s| s["id"] == scale)
            .expect("scale");
        scale["options"]
            .as_array()
            .expect("options")
            .iter()
            .map(|o| o["label"].as_str().expect("label").to_owned())
            .collect()
    };
    assert_eq!(
        labels("yes_partly_no_na"),
        ["Yes", "Yes, in part", "No", "Not applicable"]
    );
}

#[test]
fn the_grid_has_twelve_cited_areas_a_priority_row_and_two_conditional_columns() {
    let form = form();
    let grid = annex_sections(&form)[3]["content"]
        .as_array()
        .expect("content")
        .iter()
        .find(|block| block["kind"] == "grid")
        .expect("the technical assistance grid");
    let rows = grid["answer"]["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 13);
    assert!(rows[..12].iter().all(|row| row["citations"].is_array()));
    assert_eq!(rows[3]["citation_text"], "paras. 6 (a), 8 and 25");
    assert_eq!(rows[12]["marker"], "(m)");
    assert_eq!(rows[12]["answer"]["type"], "text");
    let columns = grid["answer"]["columns"].as_array().expect("columns");
    assert_eq!(
        columns[0]["condition"],
        serde_json::json!({"==": [{"var": "q25"}, "yes"]})
    );
    assert_eq!(
        columns[1]["condition"],
        serde_json::json!({"==": [{"var": "q26"}, "yes"]})
    );
}

//! `qc table`: replies as a data set. The expected cells are written out here, from the replies
//! and the rules of `docs/table.md`, not taken from qc's output.

use std::path::Path;

use super::*;

const FORM: &str = r#"instrument survey { title "A survey" }
scale yes_no { yes "Yes" no "No" }
special dont_know "Don't know"
special not_available "Not available"

section main "Main" {
  question plan "Is there a plan?" : yes_no {
    followup plan_title "Its title?" : text on yes
  }
  question sectors "Which sectors?" : many of { health "Health" schools "Schools" }
  question staff "How many staff?" : integer min 0 { allow dont_know }
  question budget "Budget?" : amount
  grid help "Mark the box(es) below:" {
    column need "Need" when plan = yes
    column give "Give"
    row police "Police"
    row other "Other" : text
  }
  table convicted "Convicted" : integer min 0 {
    row men "Men"
    row women "Women"
    column y1 "2024"
    allow not_available
    optional
  }
  question guides "Guides?" : list {
    field title "Title" : text
    field pages "Pages" : integer when this.title != "x"
  } { optional }
  calc double "Twice the staff" = staff * 2
}
"#;

const ANA: &str = r#"{"form": "survey", "answers": {
  "plan": "yes", "plan_title": "=HYPERLINK(\"http://x\")",
  "sectors": ["schools"], "staff": 12, "budget": {"value": 1500.5, "currency": "EUR"},
  "help": {"police": ["need", "give"], "other": "Courts"},
  "convicted": {"men": {"y1": 3}, "women": {"y1": {"special": "not_available"}}},
  "guides": [{"title": "Safe streets", "pages": 40}, {"title": "x"}]
}}"#;

const BEN: &str = r#"{"form": "survey", "answers": {
  "plan": "no", "sectors": [], "staff": {"special": "dont_know"},
  "help": {"police": ["give"]}
}}"#;

const BROKEN: &str = r#"{"form": "survey", "answers": {"plan": "maybe"}}"#;

fn setup(dir: &Path) -> (String, String) {
    std::fs::write(dir.join("survey.q"), FORM).expect("form");
    let replies = dir.join("replies");
    std::fs::create_dir(&replies).expect("folder");
    for (name, text) in [("ana", ANA), ("ben", BEN), ("broken", BROKEN)] {
        std::fs::write(replies.join(format!("{name}.json")), text).expect("reply");
    }
    (
        dir.join("survey.q").display().to_string(),
        replies.display().to_string(),
    )
}

/// A CSV file read with the `csv` crate: its header and rows, by column name.
fn read_csv(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("a CSV file");
    let header = reader.headers().expect("a header").clone();
    reader
        .records()
        .map(|record| {
            let record = record.expect("a record");
            header
                .iter()
                .map(str::to_owned)
                .zip(record.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

#[test]
fn the_valid_replies_are_one_row_each_with_a_column_per_variable() {
    let dir = tempfile::tempdir().expect("a folder");
    let (form, replies) = setup(dir.path());
    let out = dir.path().join("data.csv");
    let output = qc(&["table", &form, &replies, "-o", &out.display().to_string()]);
    // One reply is left out: exit 1, and it is listed.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("2 replies tabulated") && err.contains("1 left out"),
        "{err}"
    );
    assert!(err.contains("broken.json: invalid: 1 error"), "{err}");

    let rows = read_csv(&out);
    assert_eq!(rows.len(), 2);
    let ana = &rows[0];
    let ben = &rows[1];
    let expected_ana = [
        ("reply", "ana"),
        ("plan", "yes"),
        // A text a spreadsheet would run as a formula is written after a quote.
        ("plan_title", "'=HYPERLINK(\"http://x\")"),
        ("sectors__health", "0"),
        ("sectors__schools", "1"),
        ("staff", "12"),
        ("staff__special", ""),
        ("budget__value", "1500.5"),
        ("budget__currency", "EUR"),
        ("help__police__need", "1"),
        ("help__police__give", "1"),
        ("help__other", "Courts"),
        ("convicted__men__y1", "3"),
        ("convicted__men__y1__special", ""),
        ("convicted__women__y1", ""),
        ("convicted__women__y1__special", "not_available"),
        ("double", "24"),
    ];
    for (column, value) in expected_ana {
        assert_eq!(
            ana.get(column).map(String::as_str),
            Some(value),
            "ana's `{column}`"
        );
    }
    let expected_ben = [
        ("reply", "ben"),
        ("plan", "no"),
        // Not asked: empty.
        ("plan_title", ""),
        ("sectors__health", "0"),
        ("sectors__schools", "0"),
        // A special answer is its code in its own column, never a number.
        ("staff", ""),
        ("staff__special", "dont_know"),
        // Not answered: empty.
        ("budget__value", ""),
        // A box of a column that is not open is not asked.
        ("help__police__need", ""),
        ("help__police__give", "1"),
        ("help__other", ""),
        ("convicted__men__y1", ""),
        ("double", ""),
    ];
    for (column, value) in expected_ben {
        assert_eq!(
            ben.get(column).map(String::as_str),
            Some(value),
            "ben's `{column}`"
        );
    }

    // The list: a row per record, linked by `reply`; a field not asked is empty.
    let guides = read_csv(&dir.path().join("data.guides.csv"));
    let cells: Vec<(&str, &str, &str, &str)> = guides
        .iter()
        .map(|r| {
            (
                r["reply"].as_str(),
                r["record"].as_str(),
                r["title"].as_str(),
                r["pages"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        cells,
        [("ana", "1", "Safe streets", "40"), ("ana", "2", "x", "")]
    );

    // The codebook: every column of every table, with its codes and condition.
    let codebook = read_csv(&dir.path().join("data.codebook.csv"));
    let data_columns: Vec<&String> = ana.keys().filter(|k| *k != "reply").collect();
    for column in &data_columns {
        assert!(
            codebook
                .iter()
                .any(|r| &&r["variable"] == column && r["table"] == "data"),
            "`{column}` has no codebook entry"
        );
    }
    assert_eq!(
        codebook.len(),
        data_columns.len() + 2,
        "the data's columns and the list's two fields"
    );
    let entry = |name: &str| {
        codebook
            .iter()
            .find(|r| r["variable"] == name)
            .expect(name)
            .clone()
    };
    assert_eq!(entry("plan")["codes"], "yes = Yes; no = No");
    assert_eq!(entry("plan")["number"], "1");
    assert_eq!(entry("plan_title")["asked when"], "plan = yes");
    assert_eq!(entry("help__police__need")["asked when"], "plan = yes");
    assert_eq!(entry("help__police__need")["type"], "flag");
    assert_eq!(entry("staff__special")["codes"], "dont_know = Don't know");
    assert_eq!(entry("pages")["asked when"], "this.title != \"x\"");
    assert_eq!(entry("pages")["table"], "guides");
}

#[test]
fn labels_and_invalid_replies_on_demand() {
    let dir = tempfile::tempdir().expect("a folder");
    let (form, replies) = setup(dir.path());
    let out = dir.path().join("all.csv");
    let output = qc(&[
        "table",
        &form,
        &replies,
        "-o",
        &out.display().to_string(),
        "--labels",
        "--include-invalid",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let rows = read_csv(&out);
    let valid: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r["reply"].as_str(), r["valid"].as_str(), r["plan"].as_str()))
        .collect();
    // An unknown code stays as written: no label is made up for it.
    assert_eq!(
        valid,
        [
            ("ana", "1", "Yes"),
            ("ben", "1", "No"),
            ("broken", "0", "maybe")
        ]
    );
    assert_eq!(rows[1]["staff__special"], "Don't know");
}

#[test]
fn a_workbook_and_a_json_document_hold_the_same_tables() {
    let dir = tempfile::tempdir().expect("a folder");
    let (form, replies) = setup(dir.path());
    let xlsx = dir.path().join("data.xlsx");
    let output = qc(&["table", &form, &replies, "-o", &xlsx.display().to_string()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).expect("an XLSX workbook");
    assert_eq!(
        calamine::Reader::sheet_names(&workbook),
        ["data", "codebook", "guides"]
    );
    let data = calamine::Reader::worksheet_range(&mut workbook, "data").expect("the data sheet");
    let header: Vec<String> = data
        .rows()
        .next()
        .expect("a header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let ana: Vec<&calamine::Data> = data.rows().nth(1).expect("ana").iter().collect();
    assert_eq!(ana[column("reply")], &calamine::Data::String("ana".into()));
    assert_eq!(ana[column("staff")], &calamine::Data::Float(12.0));
    // In a workbook a text is a text: the formula a reply wrote is not one.
    assert_eq!(
        ana[column("plan_title")],
        &calamine::Data::String("=HYPERLINK(\"http://x\")".into())
    );
    assert_eq!(data.rows().count(), 3);

    let json = dir.path().join("data.json");
    let output = qc(&["table", &form, &replies, "-o", &json.display().to_string()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let document: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json).expect("written")).expect("JSON");
    assert_eq!(document["format"], "qc-data/1");
    assert_eq!(document["tables"]["data"][0]["staff"], 12);
    assert_eq!(document["tables"]["data"][1]["staff__special"], "dont_know");
    assert_eq!(
        document["tables"]["data"][1]["plan_title"],
        serde_json::Value::Null
    );
    assert_eq!(
        document["tables"]["guides"].as_array().map(Vec::len),
        Some(2)
    );
    assert!(document["left_out"][0]["reply"]
        .as_str()
        .is_some_and(|r| r.ends_with("broken.json")));
}

/// Every reply of the validation corpus that `qc validate` refuses is left out of the table.
#[test]
fn replies_that_fail_validation_never_reach_the_table() {
    let dir = tempfile::tempdir().expect("a folder");
    let out = dir.path().join("data.json");
    let corpus = fixture("replies");
    let output = qc(&[
        "table",
        &path(BUNDLED),
        &corpus,
        "-o",
        &out.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let document: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).expect("written")).expect("JSON");
    let tabulated: Vec<&str> = document["tables"]["data"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|row| row["reply"].as_str())
        .collect();
    let (valid, total) = valid_replies(&path(BUNDLED), &corpus);
    assert!(!valid.is_empty() && valid.len() < 20, "{valid:?}");
    assert_eq!(tabulated, valid);
    let left_out = document["left_out"].as_array().expect("left out").len();
    assert_eq!(left_out + valid.len(), total);
    assert_eq!(total, std::fs::read_dir(&corpus).expect("corpus").count());
}

#[test]
fn the_output_must_name_its_format() {
    let dir = tempfile::tempdir().expect("a folder");
    let (form, replies) = setup(dir.path());
    let out = dir.path().join("data.txt");
    let output = qc(&["table", &form, &replies, "-o", &out.display().to_string()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(".csv, .xlsx or .json"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists());
}

//! `qc report`: the counts, shares and bases are checked against the replies written here,
//! counted by hand, not against qc's own tabulation.

use std::path::Path;

use serde_json::Value;

use super::*;

static BUNDLED_PATH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| path(BUNDLED));

const FORM: &str = r#"instrument survey { title "A survey" }
scale yes_no_na { yes "Yes" no "No" not_applicable "Not applicable" }
special dont_know "Don't know"

report {
  heading titles "Titles of the plans"
  heading suggestions "Suggestions"
}

respondent "About the reply" {
  question country "Member State" : text
}

section main "Main" {
  question plan "Is there a plan?" : yes_no_na {
    allow dont_know
    followup plan_title "Its title?" : text on yes { feeds titles }
  }
  question sectors "Which sectors?" : many of { health "Health" schools "Schools" }
  question staff "How many staff?" : integer min 0 { allow dont_know optional }
  grid help "Mark the box(es):" {
    column need "Need"
    column give "Give"
    row police "Police"
    row courts "Courts"
  }
}
"#;

/// Five replies: plan is yes, yes, no, not applicable, don't know.
const REPLIES: [(&str, &str); 5] = [
    (
        "a",
        r#"{"country": "Arcadia", "plan": "yes", "plan_title": "Safe <b>streets</b>", "sectors": ["health", "schools"], "staff": 10, "help": {"police": ["need"]}}"#,
    ),
    (
        "b",
        r#"{"country": "Borduria", "plan": "yes", "plan_title": "Plan B", "sectors": ["health"], "staff": 30, "help": {"police": ["need", "give"], "courts": ["give"]}}"#,
    ),
    (
        "c",
        r#"{"country": "Carpania", "plan": "no", "sectors": [], "staff": 20, "help": {"courts": ["need"]}}"#,
    ),
    (
        "d",
        r#"{"country": "Dalmuria", "plan": "not_applicable", "sectors": ["schools"], "staff": {"special": "dont_know"}, "help": {"police": ["give"]}}"#,
    ),
    (
        "e",
        r#"{"country": "Elbonia", "plan": {"special": "dont_know"}, "sectors": ["health"], "help": {"police": ["give"]}}"#,
    ),
];

fn run(dir: &Path, output: &str) -> (Output, std::path::PathBuf) {
    std::fs::write(dir.join("survey.q"), FORM).expect("form");
    let replies = dir.join("replies");
    std::fs::create_dir(&replies).expect("folder");
    for (name, answers) in REPLIES {
        let reply = format!(r#"{{"form": "survey", "answers": {answers}}}"#);
        std::fs::write(replies.join(format!("{name}.json")), reply).expect("reply");
    }
    std::fs::write(
        replies.join("z-broken.json"),
        r#"{"form": "survey", "answers": {"plan": 3}}"#,
    )
    .expect("reply");
    let out = dir.join(output);
    let result = qc(&[
        "report",
        &dir.join("survey.q").display().to_string(),
        &replies.display().to_string(),
        "-o",
        &out.display().to_string(),
    ]);
    (result, out)
}

fn item<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .flat_map(|s| s["items"].as_array().expect("items"))
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item `{id}`"))
}

fn count<'a>(item: &'a Value, list: &str, code: &str) -> &'a Value {
    item[list]
        .as_array()
        .expect("counts")
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("no `{code}`"))
}

#[test]
fn counts_and_shares_leave_not_applicable_and_special_answers_out_of_the_base() {
    let dir = tempfile::tempdir().expect("a folder");
    let (output, out) = run(dir.path(), "report.json");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("z-broken.json: invalid"),
        "{}",
        stderr(&output)
    );
    let report: Value =
        serde_json::from_slice(&std::fs::read(&out).expect("written")).expect("JSON");
    assert_eq!(report["replies"], 5);
    assert!(report["statement"]
        .as_str()
        .is_some_and(|s| s.contains("not a ranking")));
    let names: Vec<&str> = report["respondents"]
        .as_array()
        .expect("respondents")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["Arcadia", "Borduria", "Carpania", "Dalmuria", "Elbonia"]
    );

    // plan: asked of 5, answered by 5; "Not applicable" and "Don't know" are left out of the
    // base, which is the 3 others: yes 2 of 3, no 1 of 3.
    let plan = item(&report, "plan");
    assert_eq!(
        (
            plan["asked"].as_u64(),
            plan["answered"].as_u64(),
            plan["base"].as_u64()
        ),
        (Some(5), Some(5), Some(3))
    );
    assert_eq!(count(plan, "options", "yes")["count"], 2);
    assert!(
        (count(plan, "options", "yes")["share"]
            .as_f64()
            .expect("share")
            - 2.0 / 3.0)
            .abs()
            < 1e-9
    );
    assert!(
        (count(plan, "options", "no")["share"]
            .as_f64()
            .expect("share")
            - 1.0 / 3.0)
            .abs()
            < 1e-9
    );
    assert_eq!(count(plan, "options", "not_applicable")["count"], 1);
    assert_eq!(
        count(plan, "options", "not_applicable")["share"],
        Value::Null
    );
    assert_eq!(count(plan, "specials", "dont_know")["count"], 1);
    assert_eq!(count(plan, "specials", "dont_know")["share"], Value::Null);

    // plan_title: asked only where plan is yes (2), its texts with who wrote them.
    let title = item(&report, "plan_title");
    assert_eq!(title["asked"], 2);
    assert_eq!(title["texts"][0]["respondent"], "Arcadia");
    assert_eq!(title["texts"][1]["text"], "Plan B");

    // sectors: every reply ticks none, one or both; the base is the 5 who answered.
    let sectors = item(&report, "sectors");
    assert_eq!(sectors["base"], 5);
    assert_eq!(count(sectors, "options", "health")["count"], 3);
    assert!(
        (count(sectors, "options", "health")["share"]
            .as_f64()
            .expect("share")
            - 0.6)
            .abs()
            < 1e-9
    );
    assert_eq!(count(sectors, "options", "schools")["count"], 2);

    // staff: 10, 30, 20 (one "Don't know", one unanswered): n 3, min 10, median 20, max 30.
    let staff = item(&report, "staff");
    assert_eq!(
        (
            staff["asked"].as_u64(),
            staff["answered"].as_u64(),
            staff["base"].as_u64()
        ),
        (Some(5), Some(4), Some(3))
    );
    let numbers = &staff["numbers"];
    assert_eq!(
        (
            numbers["n"].as_u64(),
            numbers["min"].as_f64(),
            numbers["median"].as_f64(),
            numbers["max"].as_f64(),
            numbers["sum"].as_f64()
        ),
        (Some(3), Some(10.0), Some(20.0), Some(30.0), Some(60.0))
    );

    // The grid: who ticked each box, side by side.
    let help = &item(&report, "help")["grid"];
    assert_eq!(
        help["rows"][0]["ticked"][0],
        serde_json::json!(["Arcadia", "Borduria"])
    );
    assert_eq!(
        help["rows"][0]["ticked"][1],
        serde_json::json!(["Borduria", "Dalmuria", "Elbonia"])
    );
    assert_eq!(
        help["rows"][1]["ticked"][0],
        serde_json::json!(["Carpania"])
    );

    // The headings: what feeds each, by respondent; a heading nothing feeds has no item.
    let headings = report["headings"].as_array().expect("headings");
    assert_eq!(headings[0]["title"], "Titles of the plans");
    assert_eq!(
        headings[0]["items"][0]["said"][1],
        serde_json::json!({"respondent": "Borduria", "text": "Plan B"})
    );
    assert_eq!(headings[1]["items"], serde_json::json!([]));
}

#[test]
fn the_markdown_report_shows_the_base_and_escapes_what_replies_wrote() {
    let dir = tempfile::tempdir().expect("a folder");
    let (output, out) = run(dir.path(), "report.md");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(text.contains("not a ranking"), "{text}");
    assert!(
        text.contains("Asked of 5 replies, answered by 5; base: 3."),
        "{text}"
    );
    assert!(text.contains("| Yes | 2 | 67% |"), "{text}");
    assert!(text.contains("| Not applicable | 1 | — |"), "{text}");
    assert!(text.contains("| Don't know | 1 | — |"), "{text}");
    assert!(
        text.contains("| (a) Police | 2: Arcadia, Borduria | 3: Borduria, Dalmuria, Elbonia |"),
        "{text}"
    );
    // Markup a reply wrote is shown, not read.
    assert!(
        text.contains("Safe &lt;b&gt;streets&lt;/b&gt;") && !text.contains("<b>"),
        "{text}"
    );
}

/// The report on the bundled instrument's two valid example replies, as Markdown and as JSON.
#[test]
fn the_bundled_instruments_report_in_markdown_and_json() {
    let dir = tempfile::tempdir().expect("a folder");
    let examples = ["arcadia-complete", "borduria-in-progress"].map(|name| {
        path(&format!(
            "questionnaires/examples/crime-prevention/{name}.json"
        ))
    });
    for extension in ["md", "json"] {
        let out = dir.path().join(format!("report.{extension}"));
        let mut args = vec!["report", BUNDLED_PATH.as_str()];
        args.extend(examples.iter().map(String::as_str));
        let out_text = out.display().to_string();
        args.extend(["-o", out_text.as_str()]);
        let output = qc(&args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let text = std::fs::read_to_string(&out).expect("written");
        insta::assert_snapshot!(format!("bundled-report-{extension}"), text);
    }
}

/// The twelve fictional States' replies are complete and valid, and the report on them has
/// something in every section and under every heading the annex feeds.
#[test]
fn the_fictional_states_replies_fill_every_section_of_the_report() {
    let states = path("questionnaires/examples/crime-prevention-states");
    let validated = qc(&["validate", "--complete", BUNDLED_PATH.as_str(), &states]);
    assert_eq!(
        validated.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&validated.stdout)
    );
    let dir = tempfile::tempdir().expect("a folder");
    let out = dir.path().join("report.json");
    let output = qc(&[
        "report",
        BUNDLED_PATH.as_str(),
        &states,
        "-o",
        &out.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: Value =
        serde_json::from_slice(&std::fs::read(&out).expect("written")).expect("JSON");
    assert_eq!(report["replies"], 12);
    for section in report["sections"].as_array().expect("sections") {
        let answered = section["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|i| i["answered"].as_u64() > Some(0))
            .count();
        assert!(
            answered > 0,
            "nothing answered in section {}",
            section["id"]
        );
    }
    for heading in report["headings"].as_array().expect("headings") {
        let said: usize = heading["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["said"].as_array().map_or(0, Vec::len))
            .sum();
        assert_eq!(
            said > 0,
            heading["id"] != "suggestions",
            "heading {}",
            heading["id"]
        );
    }
}

/// Every reply of the validation corpus that `qc validate` refuses is left out of the report,
/// and listed.
#[test]
fn replies_that_fail_validation_never_reach_the_report() {
    let dir = tempfile::tempdir().expect("a folder");
    let out = dir.path().join("report.json");
    let corpus = fixture("replies");
    let output = qc(&[
        "report",
        BUNDLED_PATH.as_str(),
        &corpus,
        "-o",
        &out.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: Value =
        serde_json::from_slice(&std::fs::read(&out).expect("written")).expect("JSON");
    let (valid, total) = valid_replies(BUNDLED_PATH.as_str(), &corpus);
    let reported: Vec<&str> = report["respondents"]
        .as_array()
        .expect("respondents")
        .iter()
        .filter_map(|r| r["reply"].as_str())
        .collect();
    assert_eq!(reported, valid);
    let invalid = total - valid.len();
    assert!(invalid > 10, "{invalid}");
    assert_eq!(
        stderr(&output).matches("  left out ").count(),
        invalid,
        "{}",
        stderr(&output)
    );
}

/// With the list of those the instrument was sent to, the report counts who replied and names
/// who did not, matching names whatever their case and spacing.
#[test]
fn replies_are_counted_against_the_recipients() {
    let dir = tempfile::tempdir().expect("a folder");
    let list = dir.path().join("recipients.txt");
    std::fs::write(
        &list,
        "# Member States the instrument was sent to, by code or by name\n\nxal\nXBE\nXCO\nXDA\nXES\nXFE\n\
         XGA\nXHA\nXIS\n xjo \nXKE\nKenya\nFrance\nXBE\n",
    )
    .expect("a list");
    let states = path("questionnaires/examples/crime-prevention-states");
    let run = |name: &str| {
        let out = dir.path().join(name);
        let output = qc(&[
            "report",
            BUNDLED_PATH.as_str(),
            &states,
            "-o",
            &out.display().to_string(),
            "--recipients",
            &list.display().to_string(),
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        out
    };
    let out = run("report.json");
    let report: Value =
        serde_json::from_slice(&std::fs::read(&out).expect("written")).expect("JSON");
    let recipients = &report["recipients"];
    assert_eq!(recipients["sent"], 13, "{recipients}");
    assert_eq!(recipients["replied"], 11, "{recipients}");
    assert_eq!(
        recipients["not_replied"],
        serde_json::json!(["Kenya", "France"])
    );
    assert_eq!(recipients["not_listed"], serde_json::json!(["XLO"]));
    let md = run("report.md");
    let text = std::fs::read_to_string(&md).expect("written");
    assert!(
        text.contains("The instrument was sent to 13; 11 replied.")
            && text.contains("No reply from: Kenya, France."),
        "{text}"
    );
}

/// The answers of the JSON replies in a folder, with their respondent's name (the first answer
/// of the respondent block: `country` or `organization`).
fn replies_in(folder: &str) -> Vec<(String, Value)> {
    let mut files: Vec<_> = std::fs::read_dir(path(folder))
        .expect("a folder")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|file| {
            let reply: Value =
                serde_json::from_slice(&std::fs::read(file).expect("a reply")).expect("JSON");
            let answers = reply["answers"].clone();
            let name = answers["country"]
                .as_str()
                .or(answers["organization"].as_str())
                .expect("a respondent")
                .to_owned();
            (name, answers)
        })
        .collect()
}

/// Who ticked `column` in `row` of `grid`, in the order of the replies.
fn ticked(replies: &[(String, Value)], grid: &str, row: &str, column: &str) -> Vec<String> {
    replies
        .iter()
        .filter(|(_, answers)| {
            answers[grid][row]
                .as_array()
                .is_some_and(|ticks| ticks.iter().any(|t| t == column))
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// With the providers' instrument and its replies, each area of the technical-assistance grid
/// shows who needs assistance and who can provide it, among the States and among the
/// organizations, as counted here from the reply files themselves.
#[test]
fn needs_are_set_beside_offers_area_by_area() {
    let dir = tempfile::tempdir().expect("a folder");
    let out = dir.path().join("report.json");
    let states = "questionnaires/examples/crime-prevention-states";
    let providers = "questionnaires/examples/technical-assistance-providers";
    let output = qc(&[
        "report",
        BUNDLED_PATH.as_str(),
        &path(states),
        "--providers",
        &path("questionnaires/technical-assistance-providers.q"),
        "--provider-replies",
        &path(providers),
        "-o",
        &out.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: Value =
        serde_json::from_slice(&std::fs::read(&out).expect("written")).expect("JSON");
    let offers = &report["providers"];
    assert_eq!(offers["replies"], 5);
    let matched = offers["matched"].as_array().expect("matched");
    assert_eq!(matched.len(), 1, "{offers}");
    let matched = &matched[0];
    assert_eq!(matched["row_set"], "crime_prevention_areas");
    assert_eq!(matched["item"], "ta_areas");
    assert_eq!(matched["provider_items"], serde_json::json!(["p1_areas"]));
    let columns: Vec<(String, String)> = matched["grid"]["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or("").to_owned(),
                c["source"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let expected_columns = [
        ("need", "respondents"),
        ("provide", "respondents"),
        ("provide", "providers"),
        ("provided", "providers"),
    ]
    .map(|(a, b)| (a.to_owned(), b.to_owned()));
    assert_eq!(columns, expected_columns);
    let states = replies_in(states);
    let organizations = replies_in(providers);
    let rows = matched["grid"]["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 12);
    let mut offered = 0;
    for row in rows {
        let id = row["id"].as_str().expect("an id");
        let expected = vec![
            ticked(&states, "ta_areas", id, "need"),
            ticked(&states, "ta_areas", id, "provide"),
            ticked(&organizations, "p1_areas", id, "provide"),
            ticked(&organizations, "p1_areas", id, "provided"),
        ];
        offered += expected[2].len();
        assert_eq!(row["ticked"], serde_json::json!(expected), "row {id}");
    }
    assert!(offered > 5, "{offered}");

    // The Markdown and the HTML show the same, with whose column is whose.
    for extension in ["md", "html"] {
        let out = dir.path().join(format!("report.{extension}"));
        let output = qc(&[
            "report",
            BUNDLED_PATH.as_str(),
            &path("questionnaires/examples/crime-prevention-states"),
            "--providers",
            &path("questionnaires/technical-assistance-providers.q"),
            "--provider-replies",
            &path(providers),
            "-o",
            &out.display().to_string(),
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let text = std::fs::read_to_string(&out).expect("written");
        assert!(text.contains("Needs and offers"), "{extension}");
        assert!(
            text.contains("Centre for Evidence in Crime Prevention") && text.contains("providers"),
            "{extension}"
        );
    }
}

/// A providers' instrument with nothing in common (no grid with the same named rows) is said
/// to be so, and its invalid replies are left out and listed like the others.
#[test]
fn providers_without_shared_rows_are_said_to_have_none() {
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::write(dir.path().join("form.q"), FORM).expect("a form");
    let out = dir.path().join("report.md");
    let output = qc(&[
        "report",
        BUNDLED_PATH.as_str(),
        &path("questionnaires/examples/crime-prevention-states"),
        "--providers",
        &dir.path().join("form.q").display().to_string(),
        "--provider-replies",
        &path("questionnaires/examples/technical-assistance-providers/01-northern-institute.json"),
        "-o",
        &out.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("left out"), "{}", stderr(&output));
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(
        text.contains("No grid of the two instruments uses the same named rows."),
        "{text}"
    );
}

/// A form whose respondent block asks the country as its ISO 3166-1 code.
const COUNTRY_FORM: &str = r#"instrument survey { title "A survey" }
scale yes_no { yes "Yes" no "No" }
respondent "About the reply" {
  question country "Member State" : country
}
section main "Main" {
  question plan "Is there a plan?" : yes_no { allow uncited }
  question staff "How many staff?" : integer min 0 { allow uncited }
  question host "Which country hosts its secretariat?" : country { allow uncited }
}
"#;

/// Replies from six countries (one a code ISO 3166-1 leaves to users), with the M49 region
/// each is in, written out here from the M49 table.
const COUNTRY_REPLIES: [(&str, &str, &str, u32, &str); 6] = [
    ("a", "KEN", "yes", 10, "Africa"),
    ("b", "NGA", "no", 20, "Africa"),
    ("c", "FRA", "yes", 30, "Europe"),
    ("d", "DEU", "yes", 40, "Europe"),
    ("e", "BRA", "no", 50, "Americas"),
    ("f", "XKX", "yes", 60, "No M49 region"),
];

/// `--group-by region` counts each question in each M49 region of the respondents' countries,
/// as counted here from the replies; a country answer is counted by name, and a code ISO
/// 3166-1 leaves to users falls in no region.
#[test]
fn answers_are_counted_by_region_of_the_respondents_country() {
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::write(dir.path().join("survey.q"), COUNTRY_FORM).expect("form");
    let replies = dir.path().join("replies");
    std::fs::create_dir(&replies).expect("folder");
    for (name, country, plan, staff, _) in COUNTRY_REPLIES {
        let reply = format!(
            r#"{{"form": "survey", "answers": {{"country": "{country}", "plan": "{plan}", "staff": {staff}, "host": "{country}"}}}}"#
        );
        std::fs::write(replies.join(format!("{name}.json")), reply).expect("reply");
    }
    let report_to = |output: &str, group_by: &str| {
        let out = dir.path().join(output);
        let output = qc(&[
            "report",
            &dir.path().join("survey.q").display().to_string(),
            &replies.display().to_string(),
            "--group-by",
            group_by,
            "-o",
            &out.display().to_string(),
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        out
    };
    let out = report_to("report.json", "region");
    let report: Value =
        serde_json::from_slice(&std::fs::read(&out).expect("written")).expect("JSON");
    let names: Vec<&str> = report["respondents"]
        .as_array()
        .expect("respondents")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["Kenya", "Nigeria", "France", "Germany", "Brazil", "XKX"]
    );
    let grouping = &report["grouping"];
    assert_eq!(grouping["by"], "region");
    assert_eq!(grouping["item"], "country");
    assert!(grouping["source"]
        .as_str()
        .is_some_and(|s| s.contains("M49")));
    let groups: Vec<(String, u64)> = grouping["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            (
                g["name"].as_str().unwrap_or("").to_owned(),
                g["replies"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let mut expected: Vec<(String, u64)> = Vec::new();
    for (_, _, _, _, region) in COUNTRY_REPLIES {
        match expected.iter_mut().find(|(name, _)| name == region) {
            Some((_, n)) => *n += 1,
            None => expected.push((region.to_owned(), 1)),
        }
    }
    expected.sort_by_key(|(name, _)| (name == "No M49 region", name.clone()));
    assert_eq!(groups, expected);

    // Each region's count of "yes", its base and its staff numbers, counted here.
    let plan = item(&report, "plan");
    let staff = item(&report, "staff");
    for (region, replies) in &expected {
        let theirs: Vec<_> = COUNTRY_REPLIES.iter().filter(|r| r.4 == region).collect();
        let yes = theirs.iter().filter(|r| r.2 == "yes").count();
        let row = plan["by_group"]
            .as_array()
            .expect("by group")
            .iter()
            .find(|row| row["group"] == region.as_str())
            .unwrap_or_else(|| panic!("no row for {region}"));
        assert_eq!(row["base"], *replies, "{region}");
        assert_eq!(count(row, "options", "yes")["count"], yes, "{region}");
        let share = count(row, "options", "yes")["share"]
            .as_f64()
            .expect("a share");
        assert!(
            (share - yes as f64 / *replies as f64).abs() < 1e-9,
            "{region}"
        );
        let numbers = &staff["by_group"]
            .as_array()
            .expect("by group")
            .iter()
            .find(|row| row["group"] == region.as_str())
            .expect("a row")["numbers"];
        let sum: u32 = theirs.iter().map(|r| r.3).sum();
        assert_eq!(numbers["sum"].as_f64(), Some(f64::from(sum)), "{region}");
        assert_eq!(numbers["n"], theirs.len(), "{region}");
    }
    // A country question: each country by name, with its count.
    let country = item(&report, "host");
    assert_eq!(country["kind"], "country");
    assert_eq!(count(country, "options", "KEN")["label"], "Kenya");
    assert_eq!(count(country, "options", "XKX")["label"], "XKX");
    assert_eq!(count(country, "options", "FRA")["count"], 1);

    // The Markdown says how respondents are grouped and where the regions come from.
    let md = report_to("report.md", "subregion");
    let text = std::fs::read_to_string(&md).expect("written");
    assert!(
        text.contains("grouped by the UN M49 subregion")
            && text.contains("| Sub-Saharan Africa | 2 | Kenya, Nigeria |")
            && text.contains("| Latin America and the Caribbean | 1 | Brazil |"),
        "{text}"
    );
    let html = report_to("report.html", "intermediate");
    let text = std::fs::read_to_string(&html).expect("written");
    assert!(
        text.contains("Eastern Africa") && text.contains("Western Africa"),
        "{text}"
    );
}

/// `--group-by` needs a country question to read regions from.
#[test]
fn grouping_by_region_needs_a_country_question() {
    let dir = tempfile::tempdir().expect("a folder");
    let (_, _) = run(dir.path(), "ignored.md");
    let out = dir.path().join("grouped.md");
    let output = qc(&[
        "report",
        &dir.path().join("survey.q").display().to_string(),
        &dir.path().join("replies").display().to_string(),
        "--group-by",
        "region",
        "-o",
        &out.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("no question of type `country`"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists());
}

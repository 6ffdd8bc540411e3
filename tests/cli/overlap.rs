//! `qc overlap`: questions of different instruments that cite the same paragraphs or are worded
//! alike, checked on the bundled instruments and on instruments written here.

use serde_json::Value;

use super::*;

fn pairs(document: &Value) -> Vec<(String, String, f64)> {
    document["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .map(|p| {
            (
                format!(
                    "{}.{}",
                    p["a"]["instrument"].as_str().unwrap_or(""),
                    p["a"]["item"].as_str().unwrap_or("")
                ),
                format!(
                    "{}.{}",
                    p["b"]["instrument"].as_str().unwrap_or(""),
                    p["b"]["item"].as_str().unwrap_or("")
                ),
                p["similarity"].as_f64().unwrap_or(-1.0),
            )
        })
        .collect()
}

/// The bundled instruments ask some things twice: the concluding questions, whether a country
/// needs or can give technical assistance, and the assistance grids, which share their areas
/// and citations with the providers' instrument.
#[test]
fn the_bundled_instruments_share_their_concluding_and_assistance_questions() {
    let output = qc(&[
        "overlap",
        &path("questionnaires/crime-prevention.q"),
        &path("questionnaires/victim-issues.q"),
        &path("questionnaires/technical-assistance-providers.q"),
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(document["format"], "qc-overlap/1");
    assert!(document["measure"]
        .as_str()
        .is_some_and(|m| m.contains("Jaccard")));
    let found = pairs(&document);
    for (a, b) in [
        ("crime_prevention.q27", "victim_issues.v19"),
        ("crime_prevention.q28", "victim_issues.v20"),
        ("crime_prevention.q25", "victim_issues.v17"),
        (
            "crime_prevention.ta_areas",
            "technical_assistance_providers.p1_areas",
        ),
        (
            "victim_issues.ta_areas",
            "technical_assistance_providers.p2_areas",
        ),
    ] {
        assert!(
            found.iter().any(|p| p.0 == a && p.1 == b),
            "no {a} ~ {b} in {found:#?}"
        );
    }
    // The most alike first; the respondent blocks (who replies) are not compared.
    assert!(found.windows(2).all(|w| w[0].2 >= w[1].2), "{found:#?}");
    assert!(!found
        .iter()
        .any(|p| p.0.ends_with(".office") || p.0.ends_with(".country")));
    let grid = document["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .find(|p| p["a"]["item"] == "ta_areas" && p["b"]["item"] == "p1_areas")
        .expect("the grids");
    let cited = grid["shared_citations"][0].as_str().unwrap_or("");
    assert!(
        cited.starts_with("Guidelines for the Prevention of Crime, paras. 1, 6 (a)"),
        "{cited}"
    );
    // The same for people.
    let human = qc(&[
        "overlap",
        &path("questionnaires/crime-prevention.q"),
        &path("questionnaires/victim-issues.q"),
    ]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("crime_prevention 27 `q27` ~ victim_issues 19 `v19`: similarity"),
        "{text}"
    );
}

/// The similarity is the Jaccard index of content words, computed here by hand; a shared
/// citation halves the threshold; questions of one instrument are never paired; short labels
/// are not compared by wording alone.
#[test]
fn similarity_is_the_jaccard_index_of_content_words() {
    let dir = tempfile::tempdir().expect("a folder");
    let write = |name: &str, text: &str| {
        let file = dir.path().join(name);
        std::fs::write(&file, text).expect("written");
        file.display().to_string()
    };
    let a = write(
        "a.q",
        r#"instrument a { title "A" }
document g "Guidelines" { para 1 "One." para 2 "Two." }
section main "Main" {
  question plan "Does your country have a national crime prevention plan?" : text { cites g 1 }
  question twin "Does your country have a national crime prevention plan?" : text { cites g 2 }
  question police "How many police officers serve in rural districts?" : integer { cites g 2 }
  question short "Please describe briefly." : text { allow uncited }
}
"#,
    );
    let b = write(
        "b.q",
        r#"instrument b { title "B" }
document g "Guidelines" { para 1 "One." para 2 "Two." }
section main "Main" {
  question strategy "Does your country have a national strategy for victims?" : text { cites g 1 }
  question officers "How many officers work in the capital?" : integer { cites g 1 }
  question brief "Please describe briefly." : text { allow uncited }
}
"#,
    );
    let output = qc(&["overlap", &a, &b, "--format", "json", "--threshold", "0.5"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let found = pairs(&document);
    // plan: countr, nation, crime, preven, plan; strategy: countr, nation, strate, victim.
    // Both: countr, nation (2) of 7: 0.29, listed as they both cite para. 1 (0.29 ≥ 0.25).
    let plan = found
        .iter()
        .find(|p| p.0 == "a.plan" && p.1 == "b.strategy")
        .expect("plan ~ strategy");
    assert!((plan.2 - 0.29).abs() < 0.005, "{plan:?}");
    // twin: the same words, but it cites para. 2: 0.29 < 0.5, not listed.
    assert!(!found.iter().any(|p| p.0 == "a.twin"), "{found:#?}");
    // police: many, police, office, serve, rural, distri; officers: many, office, work, capita.
    // Both: many, office (2) of 8: 0.25, and no paragraph in common: not listed.
    assert!(!found.iter().any(|p| p.0 == "a.police"), "{found:#?}");
    // "Please describe briefly." twice: alike, but two content words say nothing.
    assert!(!found.iter().any(|p| p.0 == "a.short"), "{found:#?}");
    assert!(!found
        .iter()
        .any(|p| p.0.starts_with("a.") && p.1.starts_with("a.")));
    // A lower threshold lists the police pair by wording (0.25) … once each label has three
    // content words or more.
    let low = qc(&["overlap", &a, &b, "--format", "json", "--threshold", "0.2"]);
    let found = pairs(&serde_json::from_slice(&low.stdout).expect("JSON"));
    assert!(
        found
            .iter()
            .any(|p| p.0 == "a.police" && p.1 == "b.officers"),
        "{found:#?}"
    );
    assert!(!found.iter().any(|p| p.0 == "a.short"), "{found:#?}");
    // A threshold out of 0 to 1, or a single instrument, is a usage error.
    assert_eq!(
        qc(&["overlap", &a, &b, "--threshold", "2"]).status.code(),
        Some(2)
    );
    assert_eq!(qc(&["overlap", &a]).status.code(), Some(2));
}

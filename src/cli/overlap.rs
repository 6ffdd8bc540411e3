//! `qc overlap A B…`: the questions of different instruments that may ask the same thing
//! (`crate::overlap`), for people or as JSON.

use std::path::PathBuf;

use serde::Serialize;

use super::validate::load_form;
use super::{DiagnosticFormat, Limits, OK};
use crate::overlap::{self, Pair};

pub(super) fn run(
    limits: &Limits,
    files: &[PathBuf],
    threshold: f64,
    format: DiagnosticFormat,
) -> u8 {
    if !(0.0..=1.0).contains(&threshold) {
        return super::io_error("--threshold is a number from 0 to 1");
    }
    let mut instruments = Vec::with_capacity(files.len());
    for file in files {
        match load_form(limits, file) {
            Ok(form) => instruments.push(form.instrument),
            Err(message) => return super::io_error(&message),
        }
    }
    let borrowed: Vec<&crate::Instrument> = instruments.iter().collect();
    let pairs = overlap::overlaps(&borrowed, threshold);
    match format {
        DiagnosticFormat::Json => {
            let document = Document {
                format: "qc-overlap/1",
                instruments: instruments.iter().map(|i| i.id.as_str()).collect(),
                measure: MEASURE,
                threshold,
                pairs: &pairs,
            };
            println!(
                "{}",
                serde_json::to_string_pretty(&document).unwrap_or_default()
            );
        }
        DiagnosticFormat::Human => {
            for pair in &pairs {
                print!("{}", human(pair));
            }
            println!(
                "{} pair{} of questions may ask the same thing (similarity ≥ {threshold}, or ≥ {} with a paragraph both cite)",
                pairs.len(),
                if pairs.len() == 1 { "" } else { "s" },
                threshold / 2.0
            );
        }
    }
    OK
}

/// How wording is compared, as the JSON document states it.
const MEASURE: &str = "Jaccard index of the content words of the labels (and grid rows): \
    lower-cased words of three letters or more, common words left out, each cut to its first \
    six letters";

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    instruments: Vec<&'a str>,
    measure: &'static str,
    threshold: f64,
    pairs: &'a [Pair],
}

fn human(pair: &Pair) -> String {
    let name = |q: &overlap::Question| match &q.number {
        Some(number) => format!("{} {number} `{}`", q.instrument, q.item),
        None => format!("{} `{}`", q.instrument, q.item),
    };
    let mut out = format!(
        "{} ~ {}: similarity {:.2}",
        name(&pair.a),
        name(&pair.b),
        pair.similarity
    );
    if !pair.shared_citations.is_empty() {
        out.push_str(&format!("; both cite {}", pair.shared_citations.join("; ")));
    }
    out.push('\n');
    for q in [&pair.a, &pair.b] {
        out.push_str(&format!("  “{}”\n", q.label));
    }
    out
}

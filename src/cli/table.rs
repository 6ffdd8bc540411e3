//! `qc table FORM REPLY… -o FILE`: the valid replies as a data set (`dataset`), written as
//! CSV files, an XLSX workbook or a JSON document, by the output's extension.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::validate::{load_form, reply_files, Entry};
use super::{read_regular, write_atomically, Limits, INVALID, OK};
use crate::dataset::write::{self, DataSet};
use crate::dataset::Layout;
use crate::validate::{parse_reply, Options, Validator};

pub(super) struct Request<'a> {
    pub limits: &'a Limits,
    pub form: &'a Path,
    pub replies: &'a [PathBuf],
    pub output: &'a Path,
    pub labels: bool,
    pub include_invalid: bool,
}

pub(super) fn run(request: Request<'_>) -> u8 {
    let format = match request.output.extension().and_then(|e| e.to_str()) {
        Some("csv") => Format::Csv,
        Some("xlsx") => Format::Xlsx,
        Some("json") => Format::Json,
        _ => {
            return super::io_error(&format!(
                "`{}`: the output is a .csv, .xlsx or .json file",
                request.output.display()
            ))
        }
    };
    let form = match load_form(request.limits, request.form) {
        Ok(form) => form,
        Err(message) => return super::io_error(&message),
    };
    let instrument = &form.instrument;
    let layout = Layout::of(instrument);
    let validator = Validator::new(instrument);
    let today = crate::eval::today();
    let entries = reply_files(request.replies);
    let outcomes = each_reply(
        request.limits,
        &validator,
        &entries,
        request.include_invalid,
        |answers| layout.rows(instrument, answers, &today),
    );

    let names = reply_names(&entries);
    let mut replies = Vec::new();
    let mut left_out = Vec::new();
    for ((outcome, name), entry) in outcomes.into_iter().zip(names).zip(&entries) {
        match outcome {
            Ok((valid, rows)) => replies.push((name, valid, rows)),
            Err(why) => left_out.push((entry.path().display().to_string(), why)),
        }
    }
    let data = DataSet {
        instrument,
        layout: &layout,
        replies: &replies,
        labels: request.labels,
        validity: request.include_invalid,
    };
    let tables = data.tables();
    let outputs: Result<Vec<(PathBuf, Vec<u8>)>, String> = match format {
        Format::Csv => tables
            .iter()
            .map(|table| Ok((csv_path(request.output, &table.name), write::csv(table)?)))
            .collect(),
        Format::Xlsx => {
            write::xlsx(&tables).map(|bytes| vec![(request.output.to_path_buf(), bytes)])
        }
        Format::Json => Ok(vec![(
            request.output.to_path_buf(),
            write::json(&tables, &left_out).into_bytes(),
        )]),
    };
    let outputs = match outputs {
        Ok(outputs) => outputs,
        Err(message) => return super::io_error(&message),
    };
    let mut inputs: Vec<&Path> = vec![request.form];
    inputs.extend(entries.iter().map(Entry::path));
    for (path, bytes) in &outputs {
        if let Err(message) = write_atomically(path, bytes, &inputs) {
            return super::io_error(&message);
        }
    }
    eprintln!(
        "{} repl{} tabulated in {}, {} left out",
        replies.len(),
        if replies.len() == 1 { "y" } else { "ies" },
        outputs
            .iter()
            .map(|(path, _)| format!("`{}`", path.display()))
            .collect::<Vec<_>>()
            .join(", "),
        left_out.len()
    );
    for (path, why) in &left_out {
        eprintln!("  left out {path}: {why}");
    }
    if left_out.is_empty() {
        OK
    } else {
        INVALID
    }
}

/// Reads each reply file, in parallel, validates it and gives what `keep` makes of its answers,
/// with whether it is valid; or why it is left out: it cannot be read, it is not a reply, or it
/// is invalid (unless `invalid` keeps it).
pub(super) fn each_reply<T: Send>(
    limits: &Limits,
    validator: &Validator<'_>,
    entries: &[Entry],
    invalid: bool,
    keep: impl Fn(&serde_json::Map<String, serde_json::Value>) -> T + Sync,
) -> Vec<Result<(bool, T), String>> {
    let limit = super::SizeLimit::replies(limits.max_reply_size);
    let one = |entry: &Entry| -> Result<(bool, T), String> {
        let path = match entry {
            Entry::Refused(_, why) => return Err(why.clone()),
            Entry::File(path) => path,
        };
        let bytes = read_regular(path, limit).map_err(|e| e.to_string())?;
        let reply = parse_reply(&bytes).map_err(|e| format!("not a reply: {e}"))?;
        let errors = validator
            .validate(&reply, Options::default())
            .iter()
            .filter(|p| p.severity == crate::model::Severity::Error)
            .count();
        if errors > 0 && !invalid {
            return Err(format!(
                "invalid: {errors} error{} (`qc validate` lists them)",
                if errors == 1 { "" } else { "s" }
            ));
        }
        let empty = serde_json::Map::new();
        let answers = reply
            .get("answers")
            .and_then(serde_json::Value::as_object)
            .unwrap_or(&empty);
        Ok((errors == 0, keep(answers)))
    };
    entries.par_iter().map(one).collect()
}

#[derive(Clone, Copy)]
enum Format {
    Csv,
    Xlsx,
    Json,
}

/// `data.csv` holds the replies; the codebook and each list go beside it: `data.codebook.csv`,
/// `data.<list>.csv`.
fn csv_path(output: &Path, table: &str) -> PathBuf {
    if table == "data" {
        return output.to_path_buf();
    }
    let stem = output
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    output.with_file_name(format!("{stem}.{table}.csv"))
}

/// Each reply's id: its file's name without `.json`, or its path where two share a name.
pub(super) fn reply_names(entries: &[Entry]) -> Vec<String> {
    let stem = |entry: &Entry| {
        entry
            .path()
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let mut seen = rustc_hash::FxHashMap::default();
    for entry in entries {
        *seen.entry(stem(entry)).or_insert(0usize) += 1;
    }
    entries
        .iter()
        .map(|entry| match seen.get(&stem(entry)) {
            Some(1) => stem(entry),
            _ => entry.path().display().to_string(),
        })
        .collect()
}

//! `qc table FORM REPLY… -o FILE`: the valid replies as a data set (`dataset`), written as
//! CSV files, an XLSX workbook or a JSON document, by the output's extension.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::validate::{load_form, reply_files, Entry};
use super::{read_regular, write_atomically, Limits, INVALID, OK};
use crate::dataset::write::{DataSet, Format, Output};
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
    let names = reply_names(&entries);
    let progress = progress(entries.len());
    // The replies are read in parallel a chunk at a time, and each chunk's rows written out
    // before the next is read: what is kept is what is written.
    let mut output = Output::new(format);
    let mut left_out = Vec::new();
    let mut tabulated = 0;
    for (entries, names) in entries.chunks(CHUNK).zip(names.chunks(CHUNK)) {
        let outcomes = each_reply(
            request.limits,
            &validator,
            entries,
            request.include_invalid,
            &progress,
            |answers| layout.rows(instrument, answers, &today),
        );
        let mut replies = Vec::new();
        for ((outcome, name), entry) in outcomes.into_iter().zip(names).zip(entries) {
            match outcome {
                Ok((valid, rows)) => replies.push((name.clone(), valid, rows)),
                Err(why) => left_out.push((entry.path().display().to_string(), why)),
            }
        }
        tabulated += replies.len();
        let data = DataSet {
            instrument,
            layout: &layout,
            replies: &replies,
            labels: request.labels,
            validity: request.include_invalid,
        };
        if let Err(message) = output.add(data.tables()) {
            return super::io_error(&message);
        }
    }
    progress.finish_and_clear();
    let codebook = DataSet {
        instrument,
        layout: &layout,
        replies: &[],
        labels: request.labels,
        validity: request.include_invalid,
    }
    .codebook();
    let outputs: Vec<(PathBuf, Vec<u8>)> = match output.finish(codebook, &left_out) {
        Ok(files) => files
            .into_iter()
            .map(|(table, bytes)| match format {
                Format::Csv => (csv_path(request.output, &table), bytes),
                Format::Xlsx | Format::Json => (request.output.to_path_buf(), bytes),
            })
            .collect(),
        Err(message) => return super::io_error(&message),
    };
    let mut inputs: Vec<&Path> = vec![request.form];
    inputs.extend(entries.iter().map(Entry::path));
    for (path, bytes) in &outputs {
        if let Err(message) = write_atomically(path, bytes, &inputs) {
            return super::io_error(&message);
        }
    }
    let written: Vec<&Path> = outputs.iter().map(|(path, _)| path.as_path()).collect();
    summary(tabulated, "tabulated in", &written, &left_out)
}

/// Tells what was made of how many replies and where, lists those left out with why, and gives
/// the exit status: 1 when one was left out.
pub(super) fn summary(
    replies: usize,
    what: &str,
    written: &[&Path],
    left_out: &[(String, String)],
) -> u8 {
    let files: Vec<String> = written
        .iter()
        .map(|path| format!("`{}`", path.display()))
        .collect();
    eprintln!(
        "{replies} repl{} {what} {}, {} left out",
        if replies == 1 { "y" } else { "ies" },
        files.join(", "),
        left_out.len()
    );
    for (path, why) in left_out {
        eprintln!("  left out {path}: {why}");
    }
    if left_out.is_empty() {
        OK
    } else {
        INVALID
    }
}

/// Reads each reply file, in parallel, validates it and gives what `keep` makes of its answers,
/// with whether it is valid; or why it is left out (see [`read_reply`]).
pub(super) fn each_reply<T: Send>(
    limits: &Limits,
    validator: &Validator<'_>,
    entries: &[Entry],
    invalid: bool,
    progress: &indicatif::ProgressBar,
    keep: impl Fn(&serde_json::Map<String, serde_json::Value>) -> T + Sync,
) -> Vec<Result<(bool, T), String>> {
    entries
        .par_iter()
        .map(|entry| {
            let read = read_reply(limits, validator, entry, invalid);
            progress.inc(1);
            let (valid, reply) = read?;
            Ok((valid, keep(answers(&reply))))
        })
        .collect()
}

/// A progress bar on standard error for a long run (a thousand replies or more), drawn only
/// when standard error is a terminal.
pub(super) fn progress(replies: usize) -> indicatif::ProgressBar {
    if replies < 1000 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(replies as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} replies read, {eta} left")
    {
        bar.set_style(style);
    }
    bar
}

/// Reads a reply file and validates it: the reply, with whether it is valid; or why it is left
/// out: it cannot be read, it is not a reply, or it is invalid (unless `invalid` keeps it).
pub(super) fn read_reply(
    limits: &Limits,
    validator: &Validator<'_>,
    entry: &Entry,
    invalid: bool,
) -> Result<(bool, serde_json::Value), String> {
    let limit = super::SizeLimit::replies(limits.max_reply_size);
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
    Ok((errors == 0, reply))
}

/// A reply's answers (none, for a reply without an object of them).
pub(super) fn answers(reply: &serde_json::Value) -> &serde_json::Map<String, serde_json::Value> {
    static EMPTY: std::sync::LazyLock<serde_json::Map<String, serde_json::Value>> =
        std::sync::LazyLock::new(serde_json::Map::new);
    reply
        .get("answers")
        .and_then(serde_json::Value::as_object)
        .unwrap_or(&EMPTY)
}

/// How many replies are read before their rows are written out.
const CHUNK: usize = 4096;

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

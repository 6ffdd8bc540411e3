//! `qc table FORM REPLY… -o FILE`: the valid replies as a data set (`dataset`), written as
//! CSV files, an XLSX workbook or a JSON document, by the output's extension.

use std::path::{Path, PathBuf};

use super::replies::{each_reply, progress, reply_names, summary};
use super::validate::{load_form, reply_files, Entry};
use super::{write_atomically, Limits};
use crate::dataset::write::{DataSet, Format, Output};
use crate::dataset::Layout;
use crate::validate::Validator;

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

//! Replies read for `qc table` and `qc report`: each file read and validated, in parallel, with
//! a progress bar on a terminal; each named; and what came of them told.

use std::path::Path;

use rayon::prelude::*;

use super::validate::Entry;
use super::{read_regular, Limits, INVALID, OK};
use crate::validate::{parse_reply, Options, Validator};

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

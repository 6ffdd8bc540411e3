//! `qc report FORM REPLY… -o FILE`: the report on the valid replies (`report`), as HTML,
//! Markdown or JSON, by the output's extension.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::replies::{answers, progress, read_reply, reply_names, summary};
use super::validate::{load_form, reply_files, Entry};
use super::{write_atomically, Limits};
use crate::report::{self, Level, Reply, Tally};
use crate::validate::Validator;

pub(super) struct Request<'a> {
    pub limits: &'a Limits,
    pub form: &'a Path,
    pub replies: &'a [PathBuf],
    pub output: &'a Path,
    /// A file listing those the instrument was sent to, one per line.
    pub recipients: Option<&'a Path>,
    /// A providers' instrument and the replies to it.
    pub providers: Option<(&'a Path, &'a [PathBuf])>,
    /// The level of the M49 regions to group respondents by.
    pub group_by: Option<Level>,
}

pub(super) fn run(request: Request<'_>) -> u8 {
    let extension = request.output.extension().and_then(|e| e.to_str());
    if !matches!(extension, Some("md" | "json" | "html")) {
        return super::io_error(&format!(
            "`{}`: the output is a .html, .md or .json file",
            request.output.display()
        ));
    }
    let today = crate::eval::today();
    let (mut report, entries, mut left_out) = match compile(
        request.limits,
        request.form,
        request.replies,
        &today,
        request.group_by,
    ) {
        Ok(compiled) => compiled,
        Err(message) => return super::io_error(&message),
    };
    let mut inputs: Vec<&Path> = vec![request.form];
    inputs.extend(request.recipients);
    inputs.extend(entries.iter().map(Entry::path));
    let provider_entries;
    if let Some((form, replies)) = request.providers {
        let (theirs, entries, also) = match compile(request.limits, form, replies, &today, None) {
            Ok(compiled) => compiled,
            Err(message) => return super::io_error(&message),
        };
        report = report.with_providers(&theirs, "respondents", "providers");
        left_out.extend(also);
        provider_entries = entries;
        inputs.push(form);
        inputs.extend(provider_entries.iter().map(Entry::path));
    }
    if let Some(path) = request.recipients {
        match recipients(request.limits, path) {
            Ok(list) => report = report.with_recipients(&list),
            Err(message) => return super::io_error(&message),
        }
    }
    let replies = report.replies;
    let text = match extension {
        Some("json") => {
            let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
            text.push('\n');
            text
        }
        Some("html") => report::html::to_string(&report),
        _ => report::markdown::to_string(&report),
    };
    if let Err(message) = write_atomically(request.output, text.as_bytes(), &inputs) {
        return super::io_error(&message);
    }
    summary(replies, "in", &[request.output], &left_out)
}

/// The report on the valid replies to a form, the reply files read, and those left out with
/// why.
type Compiled = (report::Report, Vec<Entry>, Vec<(String, String)>);

/// Reads the form and its replies and tallies the valid ones into its report; with `group_by`,
/// the report has each item's counts in each M49 region of the respondents' countries.
fn compile(
    limits: &Limits,
    form: &Path,
    replies: &[PathBuf],
    today: &str,
    group_by: Option<Level>,
) -> Result<Compiled, String> {
    let form = load_form(limits, form)?;
    let instrument = &form.instrument;
    let grouped = match group_by {
        None => None,
        Some(level) => match report::country_item(instrument) {
            Some(item) => Some((level, item)),
            None => {
                return Err(format!(
                    "`--group-by {}` groups respondents by the region of their country, and `{}` \
                     has no question of type `country`",
                    level.as_str(),
                    instrument.id
                ))
            }
        },
    };
    let validator = Validator::new(instrument);
    let entries = reply_files(replies);
    let names = reply_names(&entries);
    let tally = || match grouped {
        Some((level, item)) => Tally::new(instrument).grouped(level, item),
        None => Tally::new(instrument),
    };
    // Each reply is read, validated and added to a tally on some core; the tallies merge in
    // the order of the files. What is kept grows with the report, not with the replies.
    let progress = progress(entries.len());
    let (tally, left_out) = entries
        .par_iter()
        .zip(names.into_par_iter())
        .fold(
            || (tally(), Vec::new()),
            |(mut tally, mut left_out), (entry, name)| {
                let read = read_reply(limits, &validator, entry, false);
                progress.inc(1);
                match read {
                    Ok((_, reply)) => tally.add(
                        &Reply {
                            id: name,
                            answers: answers(&reply),
                        },
                        today,
                    ),
                    Err(why) => left_out.push((entry.path().display().to_string(), why)),
                }
                (tally, left_out)
            },
        )
        .reduce(
            || (tally(), Vec::new()),
            |(tally, mut left_out), (more, also)| {
                left_out.extend(also);
                (tally.merge(more), left_out)
            },
        );
    progress.finish_and_clear();
    Ok((tally.report(), entries, left_out))
}

/// The recipients' names: one per line of a UTF-8 text file; blank lines and lines that start
/// with `#` are left out.
fn recipients(limits: &Limits, path: &Path) -> Result<Vec<String>, String> {
    let input = limits.read(path)?;
    let text = String::from_utf8(input.bytes).map_err(|_| {
        format!(
            "`{}` is not UTF-8 text: a list of recipients, one per line",
            input.name
        )
    })?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect())
}

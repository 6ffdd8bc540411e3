//! `qc fmt [--check] FILE…`: the canonical layout of `.q` sources (`crate::format`), written in
//! place, or with `--check`, a diff of what it would change and exit 1.

use std::path::{Path, PathBuf};

use super::{write_atomically, Limits, INVALID, OK};

pub(super) fn run(limits: &Limits, files: &[PathBuf], check: bool) -> u8 {
    let mut status = OK;
    let mut changed = 0;
    for path in files {
        let (name, source) = match read(limits, path) {
            Ok(read) => read,
            Err(message) => {
                status = status.max(super::io_error(&message));
                continue;
            }
        };
        let formatted = match crate::format::format(&source) {
            Ok(formatted) => formatted,
            Err(error) => {
                status = status.max(super::io_error(&refusal(&name, &source, &error)));
                continue;
            }
        };
        if path == Path::new("-") {
            print!("{formatted}");
            continue;
        }
        if formatted == source {
            continue;
        }
        changed += 1;
        if check {
            print!("{}", diff(&name, &source, &formatted));
            status = status.max(INVALID);
        } else if let Err(message) = write_atomically(path, formatted.as_bytes(), &[]) {
            status = status.max(super::io_error(&message));
        }
    }
    if files.iter().any(|f| f != Path::new("-")) {
        let verb = if check {
            "would be reformatted"
        } else {
            "reformatted"
        };
        eprintln!(
            "{changed} of {} file{} {verb}",
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        );
    }
    status
}

/// A file's text, when it is a `.q` source: UTF-8 that starts with a declaration. Another file
/// is named, never shown.
fn read(limits: &Limits, path: &Path) -> Result<(String, String), String> {
    let input = limits.read(path)?;
    let text = crate::syntax::decode(&input.name, &input.bytes).map_err(|_| {
        format!(
            "`{}` is not a `.q` source: it is not UTF-8 text",
            input.name
        )
    })?;
    if !crate::syntax::looks_like_source(text) {
        return Err(format!(
            "`{}` is not a `.q` source: it does not start with a declaration",
            input.name
        ));
    }
    Ok((input.name.clone(), text.to_owned()))
}

/// Why a source that does not parse is not formatted.
fn refusal(name: &str, text: &str, error: &crate::syntax::SyntaxError) -> String {
    let (line, column) = position(text, crate::span::primary(error).start);
    format!(
        "`{name}` does not parse ({line}:{column}: {error}); `qc check` shows why, and `qc fmt` formats only what parses"
    )
}

/// The 1-based line and column of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// How long the search for the smallest diff may take; past it, the diff shown is a larger one,
/// still right (`similar`'s deadline), so that a hostile file costs bounded time.
const DIFF_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(500);

/// A unified diff of the change, as `diff -u` writes it.
fn diff(name: &str, before: &str, after: &str) -> String {
    similar::TextDiff::configure()
        .timeout(DIFF_TIMEOUT)
        .diff_lines(before, after)
        .unified_diff()
        .context_radius(2)
        .header(name, &format!("{name} (formatted)"))
        .to_string()
}

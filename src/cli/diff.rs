//! `qc diff OLD NEW`: what changed between two versions of an instrument (`crate::diff`), each
//! version a `.q` file, a compiled form, or a file at a git revision (`REV:PATH`).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use super::validate::load_form;
use super::{DiagnosticFormat, Limits, INVALID, OK};
use crate::diff::{self, Change, Class};
use crate::load::{Loaded, Loader, Refused};
use crate::model::Instrument;

pub(super) struct Request<'a> {
    pub limits: &'a Limits,
    pub old: &'a str,
    pub new: &'a str,
    pub format: DiagnosticFormat,
    /// Exit 1 when a change is of this class or worse.
    pub deny: Option<Class>,
}

pub(super) fn run(request: Request<'_>) -> u8 {
    let load = |version: &str| instrument(request.limits, version);
    let (old, new) = match (load(request.old), load(request.new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(message), _) | (_, Err(message)) => return super::io_error(&message),
    };
    let changes = diff::diff(&old, &new);
    match request.format {
        DiagnosticFormat::Json => {
            let document = Document {
                format: "qc-diff/1",
                old: Side::of(request.old, &old),
                new: Side::of(request.new, &new),
                summary: Summary::of(&changes),
                changes: &changes,
            };
            println!(
                "{}",
                serde_json::to_string_pretty(&document).unwrap_or_default()
            );
        }
        DiagnosticFormat::Human => print!("{}", human(&old, &new, &changes)),
    }
    match (request.deny, diff::worst(&changes)) {
        (Some(deny), Some(worst)) if worst >= deny => INVALID,
        _ => OK,
    }
}

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    old: Side<'a>,
    new: Side<'a>,
    summary: Summary,
    changes: &'a [Change],
}

#[derive(Serialize)]
struct Side<'a> {
    source: &'a str,
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
}

impl<'a> Side<'a> {
    fn of(source: &'a str, instrument: &'a Instrument) -> Side<'a> {
        Side {
            source,
            id: &instrument.id,
            version: instrument.version.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct Summary {
    breaking: usize,
    needs_review: usize,
    compatible: usize,
}

impl Summary {
    fn of(changes: &[Change]) -> Summary {
        let count = |class| changes.iter().filter(|c| c.class == class).count();
        Summary {
            breaking: count(Class::Breaking),
            needs_review: count(Class::NeedsReview),
            compatible: count(Class::Compatible),
        }
    }
}

/// The changes for a person: the worst first, each a line.
fn human(old: &Instrument, new: &Instrument, changes: &[Change]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let version = |i: &Instrument| {
        i.version
            .as_deref()
            .map_or(String::new(), |v| format!(" {v}"))
    };
    let _ = writeln!(
        out,
        "{}{} → {}{}",
        old.id,
        version(old),
        new.id,
        version(new)
    );
    if changes.is_empty() {
        out.push_str("no change to what the instrument asks\n");
        return out;
    }
    for class in [Class::Breaking, Class::NeedsReview, Class::Compatible] {
        let these: Vec<&Change> = changes.iter().filter(|c| c.class == class).collect();
        if these.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{} ({}):", class.as_str(), these.len());
        for change in these {
            let _ = writeln!(out, "  {}: {}", change.change, change.detail);
        }
    }
    let summary = Summary::of(changes);
    let _ = writeln!(
        out,
        "\n{} breaking, {} to review, {} compatible",
        summary.breaking, summary.needs_review, summary.compatible
    );
    out
}

/// The instrument of a version: a file (a `.q` source or a compiled form), or `REV:PATH`, a
/// `.q` file at a git revision with the files it imports at that revision.
fn instrument(limits: &Limits, version: &str) -> Result<Instrument, String> {
    let path = Path::new(version);
    if path.exists() || version == "-" {
        return load_form(limits, path).map(|form| form.instrument);
    }
    let Some((rev, file)) = version.split_once(':').filter(|(rev, _)| !rev.is_empty()) else {
        return Err(format!(
            "`{version}` is neither a file nor a file at a git revision (`REV:PATH`)"
        ));
    };
    if rev.starts_with('-') {
        return Err(format!("`{rev}` is not a git revision"));
    }
    let loader = GitLoader::new(rev, Path::new(file), limits.max_file_size)?;
    let entry = loader.entry.clone();
    let bytes = loader.blob(&entry)?;
    let compilation = crate::compile_with(version, &bytes, &mut loader.named(version));
    match compilation.instrument {
        Some(instrument) => Ok(instrument),
        None => {
            super::report(limits, &compilation, DiagnosticFormat::Human);
            Err(format!("`{version}` does not compile"))
        }
    }
}

/// Reads the files of an instrument at a git revision: its entry file and what it imports,
/// each inside the entry's folder, each a blob within the size limit.
struct GitLoader {
    rev: String,
    /// The repository's top folder.
    top: PathBuf,
    /// The entry file, and the folder no import may leave: relative to `top`.
    entry: PathBuf,
    root: PathBuf,
    /// The folder of each file read, relative to `top`, by its display name.
    folders: HashMap<String, PathBuf>,
    limit: u64,
}

impl GitLoader {
    fn new(rev: &str, file: &Path, limit: u64) -> Result<GitLoader, String> {
        let here = std::env::current_dir().map_err(|e| format!("no current folder: {e}"))?;
        let top = git(&here, &["rev-parse", "--show-toplevel"])?;
        let top = PathBuf::from(String::from_utf8_lossy(&top).trim());
        let top = std::fs::canonicalize(&top).unwrap_or(top);
        let here = std::fs::canonicalize(&here).unwrap_or(here);
        // The file's path from the top, folded as written (it need not exist here).
        let mut entry = here
            .strip_prefix(&top)
            .map_err(|_| "the current folder is not inside the repository".to_owned())?
            .to_path_buf();
        for component in file.components() {
            match component {
                Component::Normal(part) => entry.push(part),
                Component::ParentDir if entry.pop() => {}
                Component::CurDir => {}
                _ => {
                    return Err(format!(
                        "`{}` is not a path inside the repository",
                        file.display()
                    ))
                }
            }
        }
        let root = entry.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(GitLoader {
            rev: rev.to_owned(),
            top,
            entry,
            root,
            folders: HashMap::new(),
            limit,
        })
    }

    /// The loader, with the entry file known by `name`.
    fn named(mut self, name: &str) -> GitLoader {
        self.folders.insert(name.to_owned(), self.root.clone());
        self
    }

    /// The bytes of a file at the revision: a blob, within the size limit.
    fn blob(&self, path: &Path) -> Result<Vec<u8>, String> {
        let object = format!("{}:{}", self.rev, path.display());
        let kind = git(&self.top, &["cat-file", "-t", &object])?;
        if String::from_utf8_lossy(&kind).trim() != "blob" {
            return Err(format!("`{object}` is not a file"));
        }
        let size = git(&self.top, &["cat-file", "-s", &object])?;
        let size: u64 = String::from_utf8_lossy(&size)
            .trim()
            .parse()
            .unwrap_or(u64::MAX);
        if size > self.limit {
            return Err(format!(
                "`{object}` is {size} bytes, more than --max-file-size ({})",
                self.limit
            ));
        }
        git(&self.top, &["cat-file", "blob", &object])
    }
}

impl Loader for GitLoader {
    fn load(&mut self, importer: &str, path: &str) -> Result<Loaded, Refused> {
        let Some(folder) = self.folders.get(importer) else {
            return Err(Refused::Unreadable(format!(
                "`{importer}` was not read by this loader"
            )));
        };
        let candidate = crate::load::fold(folder, path, &self.root)?;
        let bytes = self.blob(&candidate).map_err(Refused::Unreadable)?;
        let name = crate::load::join(importer, path);
        if let Some(parent) = candidate.parent() {
            self.folders.insert(name.clone(), parent.to_path_buf());
        }
        Ok(Loaded {
            name,
            key: candidate.display().to_string(),
            bytes,
        })
    }
}

/// Runs git in `folder` and gives what it wrote, or why it failed (its first line of error).
fn git(folder: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(folder)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        return Ok(output.stdout);
    }
    let message = String::from_utf8_lossy(&output.stderr);
    let first = message.lines().next().unwrap_or("git failed").trim();
    Err(format!("git {}: {first}", args.join(" ")))
}

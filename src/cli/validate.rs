//! `qc validate FORM RESPONSE…`: loads the form (a `.q` file or a compiled form), then checks
//! each reply, files and folders alike, in parallel.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::{files, read_regular, write_atomically, DiagnosticFormat, Limits, INVALID, OK, USAGE};
use crate::codes::Code;
use crate::model::Severity;
use crate::source::SourceMap;
use crate::validate::{
    parse_json, parse_reply, Checked, Options, Problem, ReplyError, Validator, FORM_MAX_DEPTH,
};
use crate::{form, Instrument};

/// A loaded form: the instrument, and its `.q` sources when it came from one.
pub(super) struct Form {
    pub instrument: Instrument,
    pub sources: Option<SourceMap>,
}

/// Loads a form from a `.q` file or a compiled form definition; reports why it cannot.
pub(super) fn load_form(limits: &Limits, path: &Path) -> Result<Form, String> {
    let input = limits.read(path)?;
    let is_json = path.extension().is_some_and(|ext| ext == "json")
        || input.bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if is_json {
        let value = parse_json(&input.bytes, FORM_MAX_DEPTH)
            .map_err(|error| format!("`{}` is not a form definition: {error}", input.name))?;
        let instrument = form::read(&value)
            .map_err(|error| format!("`{}` is not a form definition: {error}", input.name))?;
        return Ok(Form {
            instrument,
            sources: None,
        });
    }
    let (compilation, _) = limits.compile_input(&input, path)?;
    match compilation.instrument {
        Some(instrument) => Ok(Form {
            instrument,
            sources: Some(compilation.sources),
        }),
        None => {
            super::report(limits, &compilation, DiagnosticFormat::Human);
            Err(if compilation.has_errors() {
                format!(
                    "`{}` has errors; fix them before validating replies",
                    input.name
                )
            } else {
                format!("`{}` is a module, not an instrument", input.name)
            })
        }
    }
}

/// The outcome of one reply file.
enum Outcome {
    Checked(Checked),
    /// Not UTF-8, not JSON, nested too deep, duplicate keys.
    Unparsable(ReplyError),
    /// The file could not be read at all.
    Unreadable(String),
}

impl Outcome {
    fn is_valid(&self) -> bool {
        matches!(self, Outcome::Checked(checked) if checked.valid)
    }
}

pub(super) struct Request<'a> {
    pub limits: &'a Limits,
    pub form: &'a Path,
    pub replies: &'a [PathBuf],
    pub complete: bool,
    pub strip: bool,
    pub output: Option<&'a Path>,
    pub format: DiagnosticFormat,
    /// Older versions of the form, `VERSION=FORM`, whose replies are migrated first.
    pub versions: &'a [String],
}

pub(super) fn run(request: Request<'_>) -> u8 {
    let form = match load_form(request.limits, request.form) {
        Ok(form) => form,
        Err(message) => return super::io_error(&message),
    };
    let mut versions: Vec<(String, Instrument)> = Vec::new();
    for given in request.versions {
        let Some((version, path)) = given
            .split_once('=')
            .filter(|(v, p)| !v.is_empty() && !p.is_empty())
        else {
            return super::io_error(&format!("`{given}` is not VERSION=FORM"));
        };
        match load_form(request.limits, Path::new(path)) {
            Ok(old) => versions.push((version.to_owned(), old.instrument)),
            Err(message) => return super::io_error(&message),
        }
    }
    let entries = reply_files(request.replies);
    if request.strip && (entries.len() != 1 || request.output.is_none()) {
        return super::io_error(
            "--strip-disabled takes one reply and -o FILE for the cleaned copy",
        );
    }
    let limit = super::SizeLimit::replies(request.limits.max_reply_size);
    let validator = Validator::new(&form.instrument);
    let options = Options {
        complete: request.complete,
    };
    let max_problems = request.limits.max_problems;
    // Each reply's outcome, and with --strip-disabled the reply without the answers to items
    // that are not asked: those are stripped, not errors.
    // A reply to an older version given: migrated first, with notes of what was done.
    let migrated = |reply: serde_json::Value| -> (serde_json::Value, Vec<String>) {
        let version = reply.get("version").and_then(serde_json::Value::as_str);
        let older = versions.iter().find(|(v, _)| Some(v.as_str()) == version);
        match older {
            Some((version, old)) if form.instrument.version.as_deref() != Some(version) => {
                let (reply, notes) = crate::diff::migrate(old, &form.instrument, &reply);
                let notes = notes
                    .into_iter()
                    .map(|note| format!("migrated from version {version}: {note}"))
                    .collect();
                (reply, notes)
            }
            _ => (reply, Vec::new()),
        }
    };
    let check = |entry: &Entry| -> (Outcome, Option<serde_json::Value>, Vec<String>) {
        let path = match entry {
            Entry::Refused(_, why) => return (Outcome::Unreadable(why.clone()), None, Vec::new()),
            Entry::File(path) => path,
        };
        let bytes = match read_regular(path, limit) {
            Ok(bytes) => bytes,
            Err(error) => return (Outcome::Unreadable(error.to_string()), None, Vec::new()),
        };
        let (reply, notes) = match parse_reply(&bytes) {
            Ok(reply) => migrated(reply),
            Err(error) => return (Outcome::Unparsable(error), None, Vec::new()),
        };
        let reply = match request.strip {
            true => validator.strip_disabled(&reply),
            false => reply,
        };
        let checked = validator.validate_at_most(&reply, options, max_problems);
        (
            Outcome::Checked(checked),
            request.strip.then_some(reply),
            notes,
        )
    };
    let mut outcomes = Vec::with_capacity(entries.len());
    let mut cleaned = Vec::with_capacity(entries.len());
    let mut notes = Vec::with_capacity(entries.len());
    for (outcome, clean, note) in entries.par_iter().map(check).collect::<Vec<_>>() {
        outcomes.push(outcome);
        cleaned.push(clean);
        notes.push(note);
    }

    if let (Some(output), Some(Some(cleaned)), Some(Entry::File(path))) =
        (request.output, cleaned.first(), entries.first())
    {
        let mut text = serde_json::to_string_pretty(cleaned).unwrap_or_default();
        text.push('\n');
        let inputs = [request.form, path.as_path()];
        if let Err(message) = write_atomically(output, text.as_bytes(), &inputs) {
            return super::io_error(&message);
        }
    }

    let files: Vec<&Path> = entries.iter().map(Entry::path).collect();
    let summary = Summary::of(&outcomes);
    match request.format {
        DiagnosticFormat::Human => print_human(&form, &files, &outcomes, &notes, &summary),
        DiagnosticFormat::Json => print_json(&form, &files, &outcomes, &notes, &summary),
    }
    if summary.unreadable > 0 {
        USAGE
    } else if summary.invalid > 0 || summary.unparsable > 0 {
        INVALID
    } else {
        OK
    }
}

/// A reply to check, or a path found where a reply was looked for that is not one.
pub(super) enum Entry {
    File(PathBuf),
    /// A FIFO, socket or device named `*.json`, or a folder that cannot be listed: never
    /// opened, reported by its own path.
    Refused(PathBuf, String),
}

impl Entry {
    pub(super) fn path(&self) -> &Path {
        match self {
            Entry::File(path) | Entry::Refused(path, _) => path,
        }
    }
}

/// The replies to check: each path given (a file, or a folder), and every regular `*.json`
/// file under each folder given, sorted. A folder is walked without following links to
/// folders, so that a link to `.` or to `/usr` costs nothing; a link to a regular file is
/// followed. Each folder is listed once, so a walk is linear in what it lists.
pub(super) fn reply_files(paths: &[PathBuf]) -> Vec<Entry> {
    let mut entries = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => {
                let mut found = Vec::new();
                walk(path, &mut found);
                found.sort_by(|a, b| a.path().cmp(b.path()));
                entries.extend(found);
            }
            Ok(metadata) if !metadata.is_file() => entries.push(Entry::Refused(
                path.clone(),
                format!(
                    "not a regular file but {}",
                    files::kind_of(metadata.file_type())
                ),
            )),
            // A file, or what cannot be read: reading says why.
            _ => entries.push(Entry::File(path.clone())),
        }
    }
    entries
}

/// Every `*.json` entry under `folder`, depth first with a stack of its own.
fn walk(folder: &Path, out: &mut Vec<Entry>) {
    let mut folders = vec![folder.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let listing = match std::fs::read_dir(&folder) {
            Ok(listing) => listing,
            Err(error) => {
                let why = format!("cannot list the folder: {}", files::describe(&error));
                out.push(Entry::Refused(folder, why));
                continue;
            }
        };
        for entry in listing {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    let why = format!("cannot list the folder: {}", files::describe(&error));
                    out.push(Entry::Refused(folder.clone(), why));
                    break;
                }
            };
            let path = entry.path();
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            if file_type.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().is_none_or(|ext| ext != "json") {
                continue;
            }
            // A link is asked where it leads; only a regular file there is read.
            let target = if file_type.is_symlink() {
                match std::fs::metadata(&path) {
                    Ok(metadata) if metadata.is_dir() => continue,
                    Ok(metadata) => metadata.file_type(),
                    Err(_) => file_type,
                }
            } else {
                file_type
            };
            if target.is_file() || target.is_symlink() {
                out.push(Entry::File(path));
            } else {
                let why = format!("not a regular file but {}", files::kind_of(target));
                out.push(Entry::Refused(path, why));
            }
        }
    }
}

#[derive(Serialize)]
struct Summary {
    valid: usize,
    invalid: usize,
    /// Not UTF-8 or not JSON: reported, counted apart.
    unparsable: usize,
    unreadable: usize,
}

impl Summary {
    fn of(outcomes: &[Outcome]) -> Summary {
        let mut summary = Summary {
            valid: 0,
            invalid: 0,
            unparsable: 0,
            unreadable: 0,
        };
        for outcome in outcomes {
            match outcome {
                Outcome::Checked(_) if outcome.is_valid() => summary.valid += 1,
                Outcome::Checked(_) => summary.invalid += 1,
                Outcome::Unparsable(_) => summary.unparsable += 1,
                Outcome::Unreadable(_) => summary.unreadable += 1,
            }
        }
        summary
    }
}

/// Where an item is declared, as `file:line:column`, when the form came from a `.q` file.
fn location(form: &Form, problem: &Problem) -> Option<String> {
    Some(form.sources.as_ref()?.location(problem.span?))
}

fn print_human(
    form: &Form,
    files: &[&Path],
    outcomes: &[Outcome],
    notes: &[Vec<String>],
    summary: &Summary,
) {
    let mut out = String::new();
    for ((path, outcome), notes) in files.iter().zip(outcomes).zip(notes) {
        let name = path.display();
        for note in notes {
            out.push_str(&format!("{name}: {note}\n"));
        }
        match outcome {
            Outcome::Checked(checked) if checked.problems.is_empty() && checked.omitted == 0 => {
                out.push_str(&format!("{name}: valid\n"))
            }
            Outcome::Checked(checked) => {
                let problems = &checked.problems;
                let verdict = if outcome.is_valid() {
                    "valid, with warnings"
                } else {
                    "invalid"
                };
                out.push_str(&format!("{name}: {verdict}\n"));
                // A reply in progress leaves many items unanswered: one line says which.
                let (unanswered, problems): (Vec<&Problem>, Vec<&Problem>) = problems
                    .iter()
                    .partition(|p| p.code == Code::Unanswered && p.severity == Severity::Warning);
                if !unanswered.is_empty() {
                    let ids: Vec<&str> = unanswered
                        .iter()
                        .filter_map(|p| p.item.as_deref())
                        .collect();
                    let shown = ids
                        .iter()
                        .take(8)
                        .map(|id| format!("`{id}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let more = if ids.len() > 8 {
                        format!(" and {} more", ids.len() - 8)
                    } else {
                        String::new()
                    };
                    out.push_str(&format!(
                        "  warning V0108: {} asked and required but not answered: {shown}{more} (errors with --complete)\n",
                        if ids.len() == 1 { "1 item is".to_owned() } else { format!("{} items are", ids.len()) }
                    ));
                }
                for problem in problems {
                    out.push_str(&format!(
                        "  {} {} at {}: {}\n",
                        problem.severity.as_str(),
                        problem.code.as_str(),
                        super::render::cut(&problem.pointer),
                        problem.message
                    ));
                    let place = location(form, problem);
                    match (&problem.label, place) {
                        (Some(label), Some(place)) => {
                            out.push_str(&format!("      “{label}” ({place})\n"));
                        }
                        (Some(label), None) => out.push_str(&format!("      “{label}”\n")),
                        // A section's constraint: where it is written.
                        (None, Some(place)) => out.push_str(&format!("      ({place})\n")),
                        (None, None) => {}
                    }
                }
                if checked.omitted > 0 {
                    out.push_str(&format!(
                        "  … and {} more problems not shown; --max-problems shows more\n",
                        checked.omitted
                    ));
                }
            }
            Outcome::Unparsable(error) => out.push_str(&format!(
                "{name}:{}:{}: error {}: {}\n",
                error.line,
                error.column,
                error.code.as_str(),
                error.message
            )),
            Outcome::Unreadable(message) => {
                out.push_str(&format!("{name}: cannot read: {message}\n"))
            }
        }
    }
    out.push_str(&format!(
        "{} valid, {} invalid, {} unreadable\n",
        summary.valid,
        summary.invalid,
        summary.unparsable + summary.unreadable
    ));
    print!("{out}");
}

#[derive(Serialize)]
struct JsonFile<'a> {
    file: String,
    valid: bool,
    /// What migrating a reply to an older version did (`--form-version`).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    migrated: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    problems: Vec<JsonProblem<'a>>,
    /// How many problems came after those listed (`--max-problems`).
    #[serde(skip_serializing_if = "is_zero")]
    omitted: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Serialize)]
struct JsonProblem<'a> {
    #[serde(flatten)]
    problem: &'a Problem,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn print_json(
    form: &Form,
    files: &[&Path],
    outcomes: &[Outcome],
    notes: &[Vec<String>],
    summary: &Summary,
) {
    let mut out = String::new();
    for ((path, outcome), notes) in files.iter().zip(outcomes).zip(notes) {
        let omitted = match outcome {
            Outcome::Checked(checked) => checked.omitted,
            _ => 0,
        };
        let (problems, error) = match outcome {
            Outcome::Checked(checked) => (
                checked
                    .problems
                    .iter()
                    .map(|problem| JsonProblem {
                        problem,
                        location: location(form, problem),
                    })
                    .collect(),
                None,
            ),
            Outcome::Unparsable(error) => (
                Vec::new(),
                Some(format!(
                    "{} at line {} column {}: {}",
                    error.code.as_str(),
                    error.line,
                    error.column,
                    error.message
                )),
            ),
            Outcome::Unreadable(message) => (Vec::new(), Some(message.clone())),
        };
        let file = JsonFile {
            file: path.display().to_string(),
            valid: outcome.is_valid(),
            migrated: notes,
            problems,
            omitted,
            error,
        };
        if let Ok(line) = serde_json::to_string(&file) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    if let Ok(line) = serde_json::to_string(&serde_json::json!({ "summary": summary })) {
        out.push_str(&line);
        out.push('\n');
    }
    print!("{out}");
}

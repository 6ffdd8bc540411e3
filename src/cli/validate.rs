//! `qc validate FORM RESPONSE…`: loads the form (a `.q` file or a compiled form), then checks
//! each reply, files and folders alike, in parallel.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::{read, render_human, write_atomically, DiagnosticFormat, Theme, INVALID, OK, USAGE};
use crate::source::SourceMap;
use crate::validate::{parse_reply, Code, Options, Problem, ReplyError, Severity, Validator};
use crate::{form, Instrument};

/// A loaded form: the instrument, and its `.q` sources when it came from one.
pub(super) struct Form {
    pub instrument: Instrument,
    pub sources: Option<SourceMap>,
}

/// Loads a form from a `.q` file or a compiled form definition; reports why it cannot.
pub(super) fn load_form(path: &Path) -> Result<Form, String> {
    let input = read(path)?;
    let is_json = path.extension().is_some_and(|ext| ext == "json")
        || input.bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if is_json {
        let value = parse_reply(&input.bytes)
            .map_err(|error| format!("`{}` is not a form definition: {error}", input.name))?;
        let instrument = form::read(&value)
            .map_err(|error| format!("`{}` is not a form definition: {error}", input.name))?;
        return Ok(Form {
            instrument,
            sources: None,
        });
    }
    let compilation = super::compile_input(&input);
    match compilation.instrument {
        Some(instrument) => Ok(Form {
            instrument,
            sources: Some(compilation.sources),
        }),
        None => {
            let diagnostics = &compilation.diagnostics;
            eprint!(
                "{}",
                render_human(&compilation.sources, diagnostics, Theme::detect())
            );
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
    Checked(Vec<Problem>),
    /// Not UTF-8, not JSON, nested too deep, duplicate keys.
    Unparsable(ReplyError),
    /// The file could not be read at all.
    Unreadable(String),
}

impl Outcome {
    fn is_valid(&self) -> bool {
        matches!(self, Outcome::Checked(problems) if problems.iter().all(|p| p.severity == Severity::Warning))
    }
}

pub(super) struct Request<'a> {
    pub form: &'a Path,
    pub replies: &'a [PathBuf],
    pub complete: bool,
    pub strip: bool,
    pub output: Option<&'a Path>,
    pub format: DiagnosticFormat,
}

pub(super) fn run(request: Request<'_>) -> u8 {
    let form = match load_form(request.form) {
        Ok(form) => form,
        Err(message) => return super::io_error(&message),
    };
    let files = match reply_files(request.replies) {
        Ok(files) => files,
        Err(message) => return super::io_error(&message),
    };
    if request.strip && (files.len() != 1 || request.output.is_none()) {
        return super::io_error(
            "--strip-disabled takes one reply and -o FILE for the cleaned copy",
        );
    }
    let validator = Validator::new(&form.instrument);
    let options = Options {
        complete: request.complete,
    };
    let outcomes: Vec<Outcome> = files
        .par_iter()
        .map(|path| match std::fs::read(path) {
            Err(error) => Outcome::Unreadable(error.to_string()),
            Ok(bytes) => match parse_reply(&bytes) {
                Err(error) => Outcome::Unparsable(error),
                Ok(reply) => {
                    let mut problems = validator.validate(&reply, options);
                    if request.strip {
                        problems.retain(|p| {
                            !matches!(
                                p.code,
                                crate::validate::Code::Disabled
                                    | crate::validate::Code::DisabledColumn
                            )
                        });
                    }
                    Outcome::Checked(problems)
                }
            },
        })
        .collect();

    if request.strip {
        if let (Some(output), Ok(bytes)) = (request.output, std::fs::read(&files[0])) {
            if let Ok(reply) = parse_reply(&bytes) {
                let cleaned = validator.strip_disabled(&reply);
                let mut text = serde_json::to_string_pretty(&cleaned).unwrap_or_default();
                text.push('\n');
                if let Err(message) = write_atomically(output, text.as_bytes()) {
                    return super::io_error(&message);
                }
            }
        }
    }

    let summary = Summary::of(&outcomes);
    match request.format {
        DiagnosticFormat::Human => print_human(&form, &files, &outcomes, &summary),
        DiagnosticFormat::Json => print_json(&form, &files, &outcomes, &summary),
    }
    if summary.unreadable > 0 {
        USAGE
    } else if summary.invalid > 0 || summary.unparsable > 0 {
        INVALID
    } else {
        OK
    }
}

/// The files to check: each file given, and every `*.json` under each folder given, sorted.
fn reply_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            collect_json(path, &mut found)
                .map_err(|e| format!("cannot list `{}`: {e}", path.display()))?;
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn collect_json(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_json(&path, out)?;
        } else if path.extension().is_some_and(|ext| ext == "json") {
            out.push(path);
        }
    }
    Ok(())
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

fn print_human(form: &Form, files: &[PathBuf], outcomes: &[Outcome], summary: &Summary) {
    let mut out = String::new();
    for (path, outcome) in files.iter().zip(outcomes) {
        let name = path.display();
        match outcome {
            Outcome::Checked(problems) if problems.is_empty() => {
                out.push_str(&format!("{name}: valid\n"))
            }
            Outcome::Checked(problems) => {
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
                        problem.pointer,
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    problems: Vec<JsonProblem<'a>>,
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

fn print_json(form: &Form, files: &[PathBuf], outcomes: &[Outcome], summary: &Summary) {
    let mut out = String::new();
    for (path, outcome) in files.iter().zip(outcomes) {
        let (problems, error) = match outcome {
            Outcome::Checked(problems) => (
                problems
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
            problems,
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

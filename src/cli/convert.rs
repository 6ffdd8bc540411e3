//! `qc convert-response`: replies to and from what frontends hold, a file at a time. A file
//! that does not convert whole is reported, problem by problem, and nothing is written for it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use serde_json::Value;

use super::files::{read_input, SizeLimit};
use super::{io_error, pretty, write_atomically, Limits, INVALID, OK};
use crate::convert::{self, Converted};
use crate::model::Instrument;

/// A frontend whose replies qc converts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Frontend {
    /// SurveyJS's `survey.data`, for the survey of `--emit surveyjs`.
    Surveyjs,
    /// A FHIR R4 QuestionnaireResponse, for the Questionnaire of `--emit fhir`.
    Fhir,
}

/// Which way a conversion goes.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Direction {
    To(Frontend),
    From(Frontend),
}

impl Direction {
    /// The direction `--to` or `--from` gives (clap requires exactly one).
    pub(crate) fn of(to: Option<Frontend>, from: Option<Frontend>) -> Direction {
        match from {
            Some(from) => Direction::From(from),
            None => Direction::To(to.unwrap_or(Frontend::Fhir)),
        }
    }
}

/// Where the output goes.
pub(crate) enum Output {
    Stdout,
    File(PathBuf),
    Folder(PathBuf),
}

impl Output {
    pub(crate) fn of(output: Option<PathBuf>, out_dir: Option<PathBuf>) -> Output {
        match (output, out_dir) {
            (Some(file), _) => Output::File(file),
            (None, Some(folder)) => Output::Folder(folder),
            (None, None) => Output::Stdout,
        }
    }
}

pub(crate) fn run(
    limits: &Limits,
    form_path: &Path,
    files: &[PathBuf],
    direction: Direction,
    output: Output,
) -> ExitCode {
    if files.len() > 1 && !matches!(output, Output::Folder(_)) {
        return ExitCode::from(io_error(
            "several files convert into a folder: give `--out-dir DIR`",
        ));
    }
    let form = match super::validate::load_form(limits, form_path) {
        Ok(form) => form,
        Err(message) => return ExitCode::from(io_error(&message)),
    };
    let mut status = OK;
    for file in files {
        let input = match read_input(file, SizeLimit::replies(limits.max_reply_size)) {
            Ok(input) => input,
            Err(message) => return ExitCode::from(io_error(&message)),
        };
        let value = match crate::validate::parse_reply(&input.bytes) {
            Ok(value) => value,
            Err(error) => {
                eprintln!(
                    "error: {}:{}:{}: {} {}",
                    input.name,
                    error.line,
                    error.column,
                    error.code.as_str(),
                    error.message
                );
                status = INVALID;
                continue;
            }
        };
        let converted = convert_one(&form.instrument, &value, direction);
        if !converted.problems.is_empty() {
            // Shown up to `--max-problems`, the rest counted.
            let shown = converted.problems.len().min(limits.max_problems);
            for problem in converted.problems.iter().take(shown) {
                eprintln!(
                    "error: {}: {}: {}",
                    input.name, problem.pointer, problem.message
                );
            }
            if converted.problems.len() > shown {
                eprintln!(
                    "error: {}: {} more problem(s) not shown",
                    input.name,
                    converted.problems.len() - shown
                );
            }
            status = INVALID;
            continue;
        }
        let bytes = pretty(&converted.value);
        let inputs = [form_path, file.as_path()];
        let written = match &output {
            Output::Stdout => {
                use std::io::Write;
                std::io::stdout()
                    .write_all(&bytes)
                    .map_err(|error| format!("cannot write standard output: {error}"))
            }
            Output::File(path) => write_atomically(path, &bytes, &inputs),
            Output::Folder(folder) => match file.file_name() {
                Some(name) => write_atomically(&folder.join(name), &bytes, &inputs),
                None => Err(format!("`{}` names no file", file.display())),
            },
        };
        if let Err(message) = written {
            return ExitCode::from(io_error(&message));
        }
    }
    ExitCode::from(status)
}

fn convert_one(instrument: &Instrument, value: &Value, direction: Direction) -> Converted {
    match direction {
        Direction::To(Frontend::Surveyjs) => convert::surveyjs::to_data(instrument, value),
        Direction::From(Frontend::Surveyjs) => convert::surveyjs::from_data(instrument, value),
        Direction::From(Frontend::Fhir) => convert::fhir::from_response(instrument, value),
        Direction::To(Frontend::Fhir) => Converted {
            value: crate::emit::fhir::questionnaire_response(
                instrument,
                value,
                &crate::eval::today(),
            ),
            problems: Vec::new(),
        },
    }
}

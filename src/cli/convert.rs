//! `qc convert-response`: replies to and from what frontends hold, a file at a time. A file
//! that does not convert whole is reported, problem by problem, and nothing is written for it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;

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
    /// The XML submission of ODK Collect, Enketo and KoboToolbox, for the XForm pyxform
    /// builds from `--emit xlsform`.
    Odk,
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
    let layout = matches!(
        direction,
        Direction::To(Frontend::Odk) | Direction::From(Frontend::Odk)
    )
    .then(|| convert::odk::Layout::of(&form.instrument));
    let converter = Converter {
        instrument: &form.instrument,
        layout: layout.as_ref(),
        direction,
    };
    let mut status = OK;
    for file in files {
        let input = match read_input(file, SizeLimit::replies(limits.max_reply_size)) {
            Ok(input) => input,
            Err(message) => return ExitCode::from(io_error(&message)),
        };
        let converted = match converter.convert(&input.bytes) {
            Ok(converted) => converted,
            Err(message) => {
                eprintln!("error: {}:{message}", input.name);
                status = INVALID;
                continue;
            }
        };
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
        let bytes = converted.value;
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
                Some(name) => {
                    let mut path = folder.join(name);
                    if let Some(extension) = direction.extension() {
                        path.set_extension(extension);
                    }
                    write_atomically(&path, &bytes, &inputs)
                }
                None => Err(format!("`{}` names no file", file.display())),
            },
        };
        if let Err(message) = written {
            return ExitCode::from(io_error(&message));
        }
    }
    ExitCode::from(status)
}

impl Direction {
    /// The extension of the files written into a folder, when it is not the input's.
    fn extension(self) -> Option<&'static str> {
        match self {
            Direction::To(Frontend::Odk) => Some("xml"),
            Direction::From(Frontend::Odk) => Some("json"),
            _ => None,
        }
    }
}

/// One form's conversion, file by file.
struct Converter<'f> {
    instrument: &'f Instrument,
    /// The submission's layout, for ODK.
    layout: Option<&'f convert::odk::Layout<'f>>,
    direction: Direction,
}

impl Converter<'_> {
    /// A file converted into the bytes to write, and what did not fit; `Err` with a message
    /// (after the file's name) when the file is not the format read at all.
    fn convert(&self, bytes: &[u8]) -> Result<Converted<Vec<u8>>, String> {
        let instrument = self.instrument;
        if let (Direction::From(Frontend::Odk), Some(layout)) = (self.direction, self.layout) {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            let Ok(xml) = std::str::from_utf8(bytes) else {
                return Err(" not UTF-8: a submission is UTF-8 XML".to_owned());
            };
            let converted = layout.from_submission(xml);
            return Ok(Converted {
                value: pretty(&converted.value),
                problems: converted.problems,
            });
        }
        let value = crate::validate::parse_reply(bytes).map_err(|error| {
            format!(
                "{}:{}: {} {}",
                error.line,
                error.column,
                error.code.as_str(),
                error.message
            )
        })?;
        let converted = match self.direction {
            Direction::To(Frontend::Odk) => {
                let Some(layout) = self.layout else {
                    return Err(" no layout of the submission".to_owned());
                };
                let converted = layout.to_submission(&value);
                return Ok(Converted {
                    value: converted.value.into_bytes(),
                    problems: converted.problems,
                });
            }
            Direction::To(Frontend::Surveyjs) => convert::surveyjs::to_data(instrument, &value),
            Direction::From(Frontend::Surveyjs) => convert::surveyjs::from_data(instrument, &value),
            Direction::From(Frontend::Fhir) => convert::fhir::from_response(instrument, &value),
            Direction::From(Frontend::Odk) => return Err(" no layout of the submission".to_owned()),
            Direction::To(Frontend::Fhir) => Converted {
                value: crate::emit::fhir::questionnaire_response(
                    instrument,
                    &value,
                    &crate::eval::today(),
                ),
                problems: Vec::new(),
            },
        };
        Ok(Converted {
            value: pretty(&converted.value),
            problems: converted.problems,
        })
    }
}

//! The `qc` command line: argument parsing, reading files, rendering diagnostics, writing
//! outputs and choosing the exit code. Everything else is the library's.

mod convert;
mod diff;
mod files;
mod fmt;
mod overlap;
mod render;
mod replies;
mod report;
mod table;
mod translations;
mod validate;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

pub use files::{read_regular, write_atomically, FileLoader, SizeLimit, DEFAULT_MAX_FILE_SIZE};
pub use render::{json_line, render_human, render_json, Human, Theme};

use crate::{emit, explain, Compilation};
use files::{read_input, Input};

/// Check questionnaire definitions written in the `.q` language and compile them to a JSON
/// form definition that any frontend can render.
#[derive(Debug, Parser)]
#[command(name = "qc", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    limits: Limits,
}

/// What qc may read and how much it prints: the limits of a run (`docs/limits.md`).
#[derive(Clone, Debug, clap::Args)]
pub(crate) struct Limits {
    /// Read imports and translation files only inside DIR and its folders (by default the
    /// folder of the instrument's file); nothing outside it is opened.
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    /// The largest file qc reads, in bytes: sources, translations, forms and replies.
    #[arg(long, global = true, value_name = "BYTES", default_value_t = DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
    /// How many diagnostics are shown in full; the rest are counted.
    #[arg(long, global = true, value_name = "N", default_value_t = DEFAULT_MAX_DIAGNOSTICS)]
    max_diagnostics: usize,
    /// The largest reply `qc validate` and `qc convert-response` read, in bytes.
    #[arg(long, global = true, value_name = "BYTES", default_value_t = DEFAULT_MAX_REPLY_SIZE)]
    max_reply_size: u64,
    /// How many problems of each reply `qc validate` and `qc convert-response` show; the rest
    /// are counted.
    #[arg(long, global = true, value_name = "N", default_value_t = DEFAULT_MAX_PROBLEMS)]
    max_problems: usize,
}

/// The largest reply read unless told otherwise: 8 MiB, thousands of times a real reply.
/// Checking a reply takes up to some 100 bytes of memory for each byte of it.
pub const DEFAULT_MAX_REPLY_SIZE: u64 = 8 << 20;

/// How many problems of a reply are shown unless told otherwise.
pub const DEFAULT_MAX_PROBLEMS: usize = 1000;

/// How many diagnostics a run shows in full unless told otherwise.
pub const DEFAULT_MAX_DIAGNOSTICS: usize = 200;

#[derive(Debug, Subcommand)]
enum Command {
    /// Check `.q` files and report every problem; write nothing.
    ///
    /// Exit status: 0 when every file is clean (warnings allowed), 1 when any has errors (or
    /// warnings, with --deny-warnings), 2 on a usage or I/O error.
    Check {
        /// The files to check; `-` reads standard input.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Fail on warnings as well as errors.
        #[arg(long)]
        deny_warnings: bool,
        #[command(flatten)]
        output: DiagnosticArgs,
    },
    /// Compile a `.q` file to its JSON form definition (format `qc-form/1`).
    ///
    /// The output goes to standard output, or to the file given with -o, which is written
    /// whole or not at all: a failed compile leaves a previous good file untouched.
    Compile {
        /// The file to compile; `-` reads standard input.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Write the output to this file instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// What to produce.
        #[arg(long, value_enum, default_value_t = Emit::Form)]
        emit: Emit,
        /// Fail on warnings as well as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// Write every text in this language: the instrument's own, or one it declares a
        /// translation into. Texts not translated stay in the instrument's language. Without
        /// it, the form carries every language and the exports the instrument's own.
        #[arg(long, value_name = "LANGUAGE")]
        lang: Option<String>,
        #[command(flatten)]
        diagnostics: DiagnosticArgs,
    },
    /// Validate filled-in replies against a form: types, codes, dates, bounds, conditions.
    ///
    /// FORM is a `.q` file or a compiled form definition (JSON). Each RESPONSE is a reply file,
    /// or a folder whose `*.json` files are all checked, in parallel. Exit status: 0 when every
    /// reply is valid, 1 when any is invalid or not JSON, 2 on a usage or I/O error.
    Validate {
        /// The form: a `.q` file or its compiled JSON form definition.
        #[arg(value_name = "FORM")]
        form: PathBuf,
        /// Reply files, or folders of them.
        #[arg(required = true, value_name = "RESPONSE")]
        replies: Vec<PathBuf>,
        /// Require every asked, required item to be answered (otherwise a warning: replies
        /// may be in progress).
        #[arg(long)]
        complete: bool,
        /// Write a copy of the reply without answers to items that are not asked (needs -o);
        /// such answers are then not errors.
        #[arg(long, requires = "output")]
        strip_disabled: bool,
        /// Where --strip-disabled writes the cleaned reply.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// How to print the problems: for people, or one JSON object per reply and line.
        #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
        format: DiagnosticFormat,
        /// A reply to an older version of the form, `VERSION=FORM` (its `.q` file or compiled
        /// form), is brought to this one through what changed (`qc diff`): answers to items
        /// gone dropped, a single choice made multiple put in a list, and so on; what cannot
        /// be migrated is said, and validation reports it. Repeatable.
        #[arg(long, value_name = "VERSION=FORM")]
        form_version: Vec<String>,
    },
    /// What changed between two versions of an instrument, by the ids of its items, options,
    /// fields, rows and columns: each change classed by what it does to the replies already
    /// collected (compatible, needs review, breaking).
    ///
    /// Each version is a `.q` file, a compiled form, or a `.q` file at a git revision
    /// (`HEAD~1:questionnaires/crime-prevention.q`, read with what it imports at that
    /// revision). Exit status: 0, or 1 with `--deny` when a change is of that class or worse; 2
    /// when a version cannot be read or compiled.
    Diff {
        /// The old version.
        #[arg(value_name = "OLD")]
        old: String,
        /// The new version.
        #[arg(value_name = "NEW")]
        new: String,
        /// For people, or one JSON document (`qc-diff/1`).
        #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
        format: DiagnosticFormat,
        /// Exit 1 when a change is `breaking`, or with `review`, when one needs review or is
        /// breaking: for CI.
        #[arg(long, value_enum, value_name = "CLASS")]
        deny: Option<Deny>,
    },
    /// Lay out `.q` sources one way: a member per line, lines within 100 characters (long
    /// labels cut into pieces), clauses in one order, texts and comments kept
    /// (`docs/editors.md`). Files are rewritten in place; `-` reads standard input and writes
    /// standard output.
    ///
    /// With --check nothing is written: a diff of what would change is printed, and the exit
    /// status is 1 when a file is not formatted. A file that does not parse is refused (exit 2).
    Fmt {
        /// The `.q` files.
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        /// Write nothing; show what would change and exit 1 if anything would.
        #[arg(long)]
        check: bool,
    },
    /// A Language Server Protocol server on standard input and output, for editors: the
    /// diagnostics of `qc check` as the file is typed, hover, go to definition, completion,
    /// document symbols and quick fixes (`docs/editors.md`).
    Lsp,
    /// Questions of different instruments that may ask the same thing: they cite the same
    /// paragraph, or are worded alike (the Jaccard index of their content words), so that an
    /// instrument submitted for approval can say what could be obtained from an existing one
    /// (operative para. 9 of resolution 2006/20).
    ///
    /// Each instrument is a `.q` file or a compiled form. Exit status: 0, or 2 when one cannot
    /// be read or compiled.
    Overlap {
        /// The instruments, two or more.
        #[arg(value_name = "FORM", num_args = 2.., required = true)]
        files: Vec<PathBuf>,
        /// The least similarity of wording listed, from 0 to 1; a pair that shares a citation
        /// is listed from half of it.
        #[arg(long, default_value_t = 0.5)]
        threshold: f64,
        /// For people, or one JSON document (`qc-overlap/1`).
        #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
        format: DiagnosticFormat,
    },
    /// Tabulate the valid replies to a form: one row per reply and one column per variable,
    /// a table per list (a row per record, linked by `reply`), and the codebook.
    ///
    /// The output's extension chooses the format: `.csv` writes the replies there and the
    /// codebook and each list beside it (`data.codebook.csv`, `data.<list>.csv`); `.xlsx` a
    /// workbook with a sheet each; `.json` one document. A reply that is not valid is left out
    /// and listed, unless --include-invalid. Exit status: 0 when every reply is tabulated, 1
    /// when one is left out (the output is written all the same), 2 on a usage or I/O error.
    Table {
        /// The form: a `.q` file or its compiled JSON form definition.
        #[arg(value_name = "FORM")]
        form: PathBuf,
        /// Reply files, or folders of them.
        #[arg(required = true, value_name = "RESPONSE")]
        replies: Vec<PathBuf>,
        /// The output: a `.csv`, `.xlsx` or `.json` file.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Write the labels of options and special answers in place of their codes.
        #[arg(long)]
        labels: bool,
        /// Tabulate invalid replies too, with a `valid` column (1 or 0) after `reply`.
        #[arg(long)]
        include_invalid: bool,
    },
    /// Report on the valid replies to a form: who replied, and for each question what they
    /// answered, counted among those it was asked of ("Not applicable" and special answers
    /// shown, but left out of the base), numbers summarised, free text gathered with who wrote
    /// it, each grid's boxes with who ticked them, and the paragraphs cited.
    ///
    /// The output's extension chooses the format: `.html` (one page, with charts), `.md` or
    /// `.json`. A reply that is not valid
    /// is left out and listed. Exit status: 0 when every reply is in the report, 1 when one is
    /// left out (the report is written all the same), 2 on a usage or I/O error.
    Report {
        /// The form: a `.q` file or its compiled JSON form definition.
        #[arg(value_name = "FORM")]
        form: PathBuf,
        /// Reply files, or folders of them.
        #[arg(required = true, value_name = "RESPONSE")]
        replies: Vec<PathBuf>,
        /// The output: a `.html`, `.md` or `.json` file.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Those the instrument was sent to, one per line (blank lines and `#` comments left
        /// out): the report counts the replies against them, by the respondent's name.
        #[arg(long, value_name = "FILE")]
        recipients: Option<PathBuf>,
        /// A providers' instrument (a `.q` file or its compiled form), such as
        /// technical-assistance-providers.q: the report sets each of the instrument's grids
        /// beside the providers' grids that use the same named rows, needs beside offers.
        #[arg(long, value_name = "FORM", requires = "provider_replies")]
        providers: Option<PathBuf>,
        /// The replies to the providers' instrument: files, or folders of them.
        #[arg(long, value_name = "RESPONSE", requires = "providers", num_args = 1..)]
        provider_replies: Vec<PathBuf>,
        /// Counts each question's answers in each UN M49 region of the respondents' countries
        /// (read from the instrument's `country` question), as well as in all.
        #[arg(long, value_name = "LEVEL")]
        group_by: Option<GroupBy>,
    },
    /// Convert replies to and from what frontends hold: `--to fhir` gives a FHIR R4
    /// QuestionnaireResponse, `--to surveyjs` SurveyJS's `survey.data`, `--to odk` the XML
    /// submission of ODK Collect, Enketo and KoboToolbox; `--from` reads each back into a qc
    /// reply.
    ///
    /// What a conversion cannot place is reported with its place (a JSON pointer, or an XML
    /// element's path), and nothing is written for that file. Exit status: 0 when every file converts, 1 when one cannot, 2
    /// on a usage or I/O error.
    #[command(group(clap::ArgGroup::new("direction").required(true).args(["to", "from"])))]
    ConvertResponse {
        /// The form: a `.q` file or its compiled JSON form definition.
        #[arg(value_name = "FORM")]
        form: PathBuf,
        /// The files to convert: qc replies with `--to`, the frontend's with `--from`.
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        /// Write a qc reply as this frontend holds it.
        #[arg(long, value_enum)]
        to: Option<convert::Frontend>,
        /// Read what this frontend holds into a qc reply.
        #[arg(long, value_enum)]
        from: Option<convert::Frontend>,
        /// Write the output to this file instead of standard output (one FILE only).
        #[arg(short, long, value_name = "OUT", conflicts_with = "out_dir")]
        output: Option<PathBuf>,
        /// Write each file's output into DIR, under the file's own name (with `.xml` for
        /// `--to odk`, `.json` for `--from odk`).
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
    /// List each paragraph of the reference documents with the items that cite it, and the
    /// paragraphs that no item cites.
    ///
    /// Exit status: 0 when the file compiles (whatever the coverage), 1 when it has errors, 2
    /// on a usage or I/O error.
    Coverage {
        /// The instrument; `-` reads standard input.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// How to print the coverage: for people, or as one JSON document.
        #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
        format: DiagnosticFormat,
    },
    /// Run the tests written in an instrument (`test "…" { given { … } expect … }`) and show
    /// which conditions they see both true and false.
    ///
    /// Exit status: 0 when every test passes (and, with --require-coverage, every condition is
    /// seen both ways), 1 otherwise or when the file has errors, 2 on a usage or I/O error.
    Test {
        /// The instrument.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Fail when a condition is not seen both true and false by some test.
        #[arg(long)]
        require_coverage: bool,
        /// How to print the results: for people, or as one JSON document.
        #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
        format: DiagnosticFormat,
    },
    /// Work with the translations of an instrument: how far each has come, and keeping their
    /// files in step with the instrument's texts.
    Translations {
        #[command(subcommand)]
        command: TranslationsCommand,
    },
    /// Explain a diagnostic code, with an example, as `qc explain E0103`.
    Explain {
        /// A code such as `E0103` or `W0201`.
        code: String,
    },
}

#[derive(Debug, Subcommand)]
enum TranslationsCommand {
    /// For each declared translation, and each official language of the United Nations, how
    /// many texts are translated and current.
    Status {
        /// The instrument.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// How to print the status: for people, or as one JSON document.
        #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
        format: DiagnosticFormat,
    },
    /// Rewrite each declared translation file with every key of the instrument: new texts get
    /// empty entries, changed ones are marked for review, removed ones are dropped.
    Update {
        /// The instrument.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Print a new translation file for a language, with every text of the instrument to
    /// translate (declare it in the instrument with `translation LANGUAGE "PATH"`).
    New {
        /// The instrument.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The language, such as `ar` or `zh`.
        #[arg(long, value_name = "LANGUAGE")]
        lang: String,
        /// Write the file here instead of standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
struct DiagnosticArgs {
    /// How to print diagnostics: for people, or one JSON object per line for machines.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    diagnostic_format: DiagnosticFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiagnosticFormat {
    /// Source excerpts with labels, coloured on a terminal unless NO_COLOR is set.
    Human,
    /// One JSON object per diagnostic and line: code, severity, message, file, line, column, span.
    Json,
}

/// The class of change `qc diff --deny` fails on, or worse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Deny {
    /// A change that makes an answer valid before invalid.
    Breaking,
    /// A change that needs review (a label, a condition, a rule changed), or a breaking one.
    Review,
}

/// The level of the UN M49 regions `qc report --group-by` groups respondents by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum GroupBy {
    /// Africa, Americas, Asia, Europe, Oceania.
    Region,
    /// Such as Sub-Saharan Africa, or Latin America and the Caribbean.
    Subregion,
    /// Such as Eastern Africa, or the Caribbean (the sub-region where M49 has none).
    Intermediate,
}

impl GroupBy {
    fn level(self) -> crate::report::Level {
        match self {
            GroupBy::Region => crate::report::Level::Region,
            GroupBy::Subregion => crate::report::Level::Subregion,
            GroupBy::Intermediate => crate::report::Level::Intermediate,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Emit {
    /// The JSON form definition (`docs/form-format.md`).
    Form,
    /// A JSON Schema (draft 2020-12) for complete replies (`docs/response-format.md`).
    ResponseSchema,
    /// An XLSForm workbook for ODK and KoboToolbox (`docs/exports.md`); needs -o.
    Xlsform,
    /// A SurveyJS survey JSON (`docs/exports.md`).
    Surveyjs,
    /// A FHIR R4 Questionnaire (`docs/exports.md`).
    Fhir,
    /// The offline form: one HTML page that works from disk (`docs/html-form.md`).
    Html,
}

/// Runs the command line and returns the process exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let limits = &cli.limits;
    match cli.command {
        Command::Check {
            files,
            deny_warnings,
            output,
        } => check(limits, &files, deny_warnings, output.diagnostic_format),
        Command::Compile {
            file,
            output,
            emit,
            deny_warnings,
            lang,
            diagnostics,
        } => compile(
            limits,
            &file,
            output.as_deref(),
            emit,
            deny_warnings,
            lang.as_deref(),
            diagnostics.diagnostic_format,
        ),
        Command::Translations { command } => translations::run(limits, command),
        Command::Test {
            file,
            require_coverage,
            format,
        } => test(limits, &file, require_coverage, format),
        Command::Validate {
            form,
            replies,
            complete,
            strip_disabled,
            output,
            format,
            form_version,
        } => ExitCode::from(validate::run(validate::Request {
            limits,
            form: &form,
            replies: &replies,
            complete,
            strip: strip_disabled,
            output: output.as_deref(),
            format,
            versions: &form_version,
        })),
        Command::Report {
            form,
            replies,
            output,
            recipients,
            providers,
            provider_replies,
            group_by,
        } => ExitCode::from(report::run(report::Request {
            limits,
            form: &form,
            replies: &replies,
            output: &output,
            recipients: recipients.as_deref(),
            providers: providers
                .as_deref()
                .map(|form| (form, provider_replies.as_slice())),
            group_by: group_by.map(GroupBy::level),
        })),
        Command::Fmt { files, check } => ExitCode::from(fmt::run(limits, &files, check)),
        Command::Lsp => match crate::lsp::run(limits.max_file_size) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => ExitCode::from(io_error(&message)),
        },
        Command::Overlap {
            files,
            threshold,
            format,
        } => ExitCode::from(overlap::run(limits, &files, threshold, format)),
        Command::Diff {
            old,
            new,
            format,
            deny,
        } => ExitCode::from(diff::run(diff::Request {
            limits,
            old: &old,
            new: &new,
            format,
            deny: deny.map(|deny| match deny {
                Deny::Breaking => crate::diff::Class::Breaking,
                Deny::Review => crate::diff::Class::NeedsReview,
            }),
        })),
        Command::Table {
            form,
            replies,
            output,
            labels,
            include_invalid,
        } => ExitCode::from(table::run(table::Request {
            limits,
            form: &form,
            replies: &replies,
            output: &output,
            labels,
            include_invalid,
        })),
        Command::ConvertResponse {
            form,
            files,
            to,
            from,
            output,
            out_dir,
        } => convert::run(
            limits,
            &form,
            &files,
            convert::Direction::of(to, from),
            convert::Output::of(output, out_dir),
        ),
        Command::Coverage { file, format } => coverage(limits, &file, format),
        Command::Explain { code } => explain(&code),
    }
}

pub(crate) const OK: u8 = 0;
pub(crate) const INVALID: u8 = 1;
pub(crate) const USAGE: u8 = 2;

impl Limits {
    /// Reads a file named on the command line (`-` for standard input), within the size limit.
    pub(crate) fn read(&self, path: &Path) -> Result<Input, String> {
        read_input(path, SizeLimit::files(self.max_file_size))
    }

    /// Reads and compiles a `.q` file, reading what it names inside the root.
    pub(crate) fn compile(&self, path: &Path) -> Result<(Compilation, FileLoader), String> {
        self.compile_input(&self.read(path)?, path)
    }

    /// Compiles a `.q` file already read from `path`, reading what it names inside the root.
    pub(crate) fn compile_input(
        &self,
        input: &Input,
        path: &Path,
    ) -> Result<(Compilation, FileLoader), String> {
        let mut loader = self.loader(input, path)?;
        let compilation = crate::compile_with(&input.name, &input.bytes, &mut loader);
        Ok((compilation, loader))
    }

    /// The loader of what the `.q` file read from `path` names, inside the root.
    pub(crate) fn loader(&self, input: &Input, path: &Path) -> Result<FileLoader, String> {
        let folder = match input.name.as_str() {
            "<stdin>" => Path::new(""),
            _ => path.parent().unwrap_or(Path::new("")),
        };
        FileLoader::new(
            &input.name,
            folder,
            self.root.as_deref(),
            SizeLimit::files(self.max_file_size),
        )
    }
}

pub(crate) fn io_error(message: &str) -> u8 {
    eprintln!("error: {message}");
    USAGE
}

fn check(
    limits: &Limits,
    files: &[PathBuf],
    deny_warnings: bool,
    format: DiagnosticFormat,
) -> ExitCode {
    let mut status = OK;
    let mut totals = (0, 0);
    for path in files {
        let compilation = match limits.compile(path) {
            Ok((compilation, _)) => compilation,
            Err(message) => {
                status = status.max(io_error(&message));
                continue;
            }
        };
        report(limits, &compilation, format);
        let (errors, warnings) = count(&compilation);
        totals = (totals.0 + errors, totals.1 + warnings);
        if errors > 0 || (deny_warnings && warnings > 0) {
            status = status.max(INVALID);
        }
    }
    if format == DiagnosticFormat::Human && (totals.0 > 0 || totals.1 > 0) {
        eprintln!("{}", summary(totals.0, totals.1));
    }
    ExitCode::from(status)
}

fn compile(
    limits: &Limits,
    path: &Path,
    output: Option<&Path>,
    emit: Emit,
    deny_warnings: bool,
    lang: Option<&str>,
    format: DiagnosticFormat,
) -> ExitCode {
    if emit == Emit::Xlsform && output.is_none() {
        return ExitCode::from(io_error(
            "--emit xlsform writes a workbook: give -o FILE.xlsx",
        ));
    }
    let (mut compilation, loader) = match limits.compile(path) {
        Ok(compiled) => compiled,
        Err(message) => return ExitCode::from(io_error(&message)),
    };
    // The export is built before anything is reported: what it loses is reported, and denied,
    // with the other warnings.
    let exported = match &compilation.instrument {
        Some(instrument) => match export(instrument, emit, lang) {
            Ok(exported) => Some(exported),
            Err(message) => return ExitCode::from(io_error(&message)),
        },
        None => None,
    };
    let bytes = exported.map(|(bytes, losses)| {
        let losses = crate::emit::grouped(losses)
            .into_iter()
            .map(crate::Diagnostic::Export);
        compilation.diagnostics.extend(losses);
        bytes
    });
    report(limits, &compilation, format);
    let (errors, warnings) = count(&compilation);
    if format == DiagnosticFormat::Human && (errors > 0 || warnings > 0) {
        eprintln!("{}", summary(errors, warnings));
    }
    let Some(bytes) = bytes else {
        if errors == 0 {
            not_an_instrument(path);
        }
        return ExitCode::from(INVALID);
    };
    if deny_warnings && warnings > 0 {
        return ExitCode::from(INVALID);
    }
    // Neither the instrument nor any file it imports is written over.
    let inputs: Vec<&Path> = std::iter::once(path).chain(loader.files()).collect();
    write_output(output, &bytes, &inputs)
}

/// The artefact `emit` asks for, in `lang` if given, and what the export loses.
fn export(
    instrument: &crate::model::Instrument,
    emit: Emit,
    lang: Option<&str>,
) -> Result<(Vec<u8>, Vec<emit::Loss>), String> {
    let localized;
    let instrument = match lang {
        None => instrument,
        Some(lang) => {
            localized = translations::localize(instrument, lang)?;
            &localized
        }
    };
    Ok(match emit {
        Emit::Form => (emit::json::to_string(instrument).into_bytes(), Vec::new()),
        Emit::ResponseSchema => (
            emit::response_schema::to_string(instrument).into_bytes(),
            Vec::new(),
        ),
        Emit::Surveyjs => (
            emit::surveyjs::to_string(instrument).into_bytes(),
            emit::surveyjs::losses(instrument),
        ),
        Emit::Html => (emit::html::to_string(instrument).into_bytes(), Vec::new()),
        Emit::Fhir => {
            let (questionnaire, losses) = emit::fhir::questionnaire(instrument);
            (pretty(&questionnaire), losses)
        }
        Emit::Xlsform => {
            let form = emit::xlsform::build(instrument);
            let bytes = emit::xlsform::to_xlsx(&form)
                .map_err(|error| format!("cannot write the workbook: {error}"))?;
            (bytes, form.losses)
        }
    })
}

/// Writes an artefact to `output`, atomically, or to standard output. `inputs` are the files
/// the command read, which it never overwrites.
fn write_output(output: Option<&Path>, bytes: &[u8], inputs: &[&Path]) -> ExitCode {
    let written = match output {
        Some(output) => write_atomically(output, bytes, inputs),
        None => std::io::stdout()
            .write_all(bytes)
            .map_err(|error| format!("cannot write standard output: {error}")),
    };
    match written {
        Ok(()) => ExitCode::from(OK),
        Err(message) => ExitCode::from(io_error(&message)),
    }
}

/// Pretty JSON with a final newline.
fn pretty(value: &serde_json::Value) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}

fn explain(code: &str) -> ExitCode {
    match explain::explanation(code) {
        Some(text) => {
            print!("{text}");
            ExitCode::from(OK)
        }
        None => {
            eprintln!(
                "error: `{code}` is not a diagnostic code of qc; codes look like `E0103` or `W0201`"
            );
            ExitCode::from(USAGE)
        }
    }
}

/// Reads and compiles FILE for a command that needs its instrument. When it has errors, they
/// are reported and the exit status is the error.
pub(crate) fn instrument_of(
    limits: &Limits,
    path: &Path,
    format: DiagnosticFormat,
) -> Result<(crate::Instrument, Compilation, FileLoader), u8> {
    let (mut compilation, loader) = limits.compile(path).map_err(|message| io_error(&message))?;
    match compilation.instrument.take() {
        Some(instrument) => Ok((instrument, compilation, loader)),
        None => {
            report(limits, &compilation, format);
            if !compilation.has_errors() {
                not_an_instrument(path);
            }
            Err(INVALID)
        }
    }
}

/// A module checks clean but has no instrument to compile.
fn not_an_instrument(path: &Path) {
    eprintln!(
        "error: `{}` is a module (it has no `instrument` header): check it, or import it from an instrument",
        path.display()
    );
}

fn test(
    limits: &Limits,
    path: &Path,
    require_coverage: bool,
    format: DiagnosticFormat,
) -> ExitCode {
    let (instrument, compilation, _) = match instrument_of(limits, path, format) {
        Ok(found) => found,
        Err(status) => return ExitCode::from(status),
    };
    let report = crate::testing::run(&instrument);
    let uncovered = report.uncovered().count();
    let text = match format {
        DiagnosticFormat::Json => pretty_text(&report),
        DiagnosticFormat::Human => test_text(&report, &compilation.sources),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    let failed = report.failed() > 0 || (require_coverage && uncovered > 0);
    ExitCode::from(if failed { INVALID } else { OK })
}

/// The results of `qc test` for people: a line a test, the failures with their places, then
/// the conditions that no test saw both ways.
fn test_text(report: &crate::testing::Report, sources: &crate::source::SourceMap) -> String {
    let place = |span| sources.location(span);
    let mut out = String::new();
    for test in &report.tests {
        let verdict = if test.failures.is_empty() {
            "ok"
        } else {
            "FAILED"
        };
        out.push_str(&format!("test {} … {verdict}\n", test.name));
        for failure in &test.failures {
            out.push_str(&format!(
                "  {} ({})\n",
                failure.message,
                place(failure.span)
            ));
        }
    }
    let total = report.conditions.len();
    let uncovered: Vec<_> = report.uncovered().collect();
    out.push_str(&format!(
        "conditions: {} of {total} seen both true and false\n",
        total - uncovered.len()
    ));
    for condition in uncovered {
        let what = match (&condition.column, &condition.field, condition.branch) {
            (Some(column), _, _) => format!("column `{column}` of `{}`", condition.item),
            (_, Some(field), _) => format!("field `{field}` of `{}`", condition.item),
            (_, _, Some(branch)) => format!("`if` {branch} in `{}`", condition.item),
            (None, None, None) => format!("`{}`", condition.item),
        };
        let never = match (condition.seen_true, condition.seen_false) {
            (false, false) => "never evaluated",
            (true, _) => "never false",
            (_, true) => "never true",
        };
        out.push_str(&format!(
            "  the condition of {what} is {never} ({})\n",
            place(condition.span)
        ));
    }
    let failed = report.failed();
    let count = report.tests.len();
    out.push_str(&format!(
        "{count} test{}: {} passed, {failed} failed\n",
        if count == 1 { "" } else { "s" },
        count - failed
    ));
    out
}

fn coverage(limits: &Limits, path: &Path, format: DiagnosticFormat) -> ExitCode {
    let (instrument, ..) = match instrument_of(limits, path, format) {
        Ok(found) => found,
        Err(status) => return ExitCode::from(status),
    };
    let coverage = crate::coverage::coverage(&instrument);
    let text = match format {
        DiagnosticFormat::Human => crate::coverage::to_text(&coverage),
        DiagnosticFormat::Json => pretty_text(&coverage),
    };
    // A closed stdout leaves nothing to tell.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::from(OK)
}

fn pretty_text(value: &impl serde::Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// The errors and warnings of a compilation; notes are neither.
fn count(compilation: &Compilation) -> (usize, usize) {
    let of = |severity| {
        compilation
            .diagnostics
            .iter()
            .filter(|d| d.severity() == severity)
            .count()
    };
    (of(crate::Severity::Error), of(crate::Severity::Warning))
}

fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// Writes a compilation's diagnostics to standard error as each is rendered: the first
/// `--max-diagnostics` in full, then how many more there are of each severity.
pub(crate) fn report(limits: &Limits, compilation: &Compilation, format: DiagnosticFormat) {
    let diagnostics = &compilation.diagnostics;
    if diagnostics.is_empty() {
        return;
    }
    let mut stderr = std::io::stderr().lock();
    let sources = &compilation.sources;
    let shown = limits.max_diagnostics.min(diagnostics.len());
    let human = render::Human::new(Theme::detect());
    for diagnostic in diagnostics.iter().take(shown) {
        let text = match format {
            DiagnosticFormat::Human => human.render(sources, diagnostic),
            DiagnosticFormat::Json => render::json_line(sources, diagnostic).unwrap_or_default(),
        };
        // A closed stderr leaves nothing to tell.
        if stderr.write_all(text.as_bytes()).is_err() {
            return;
        }
    }
    let rest = diagnostics.get(shown..).unwrap_or_default();
    if rest.is_empty() {
        return;
    }
    let of = |severity| rest.iter().filter(|d| d.severity() == severity).count();
    let (errors, warnings, notes) = (
        of(crate::Severity::Error),
        of(crate::Severity::Warning),
        of(crate::Severity::Note),
    );
    let text = match format {
        DiagnosticFormat::Human => format!(
            "… and {} more not shown ({errors} errors, {warnings} warnings, {notes} notes); --max-diagnostics shows more\n",
            rest.len()
        ),
        DiagnosticFormat::Json => format!(
            "{{\"omitted\":{{\"errors\":{errors},\"warnings\":{warnings},\"notes\":{notes}}}}}\n"
        ),
    };
    let _ = stderr.write_all(text.as_bytes());
}

impl Theme {
    /// Colour on a terminal, unless `NO_COLOR` is set to anything but the empty string.
    pub fn detect() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        if std::io::stderr().is_terminal() && !no_color {
            Theme::Colour
        } else {
            Theme::Plain
        }
    }
}

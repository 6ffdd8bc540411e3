//! qc: the compiler of the `.q` questionnaire language.
//!
//! ```text
//! .q files ─▶ load (syntax per file) ─▶ check ─▶ model ─▶ emit, validate, translate, testing
//! ```
//! The library takes source text and returns values and diagnostics; it does no I/O and prints
//! nothing. The `qc` binary (the `cli` feature) reads files, renders diagnostics and sets exit
//! codes. See `ARCHITECTURE.md` for the stages and the modules that own them.

// User input never makes qc panic: no unwrap, expect, panic or unchecked indexing outside
// tests; an arena is indexed only through `arena::Arena`, by the ids it issued.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod arena;
pub mod check;
#[cfg(feature = "cli")]
pub mod cli;
pub mod codes;
pub mod convert;
pub mod countries;
pub mod coverage;
pub mod dataset;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod eval;
pub mod explain;
pub mod form;
pub mod format;
pub mod load;
pub mod lsp;
pub mod model;
pub mod overlap;
pub mod report;
pub mod source;
pub mod span;
pub mod stack;
pub mod syntax;
pub mod testing;
pub mod translate;
pub mod validate;

pub use diagnostic::{Diagnostic, Severity};
pub use model::Instrument;

/// What compiling a program gives: the checked instrument when it has no errors, every
/// diagnostic sorted by position, and the source texts the diagnostics point into.
#[derive(Debug)]
pub struct Compilation {
    pub instrument: Option<Instrument>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: source::SourceMap,
    /// The translation files the instrument declares: each language and its file.
    pub translation_files: Vec<(String, source::FileId)>,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|diagnostic| diagnostic.severity() == Severity::Error)
    }

    pub fn has_warnings(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|diagnostic| diagnostic.severity() == Severity::Warning)
    }
}

/// Parses and checks a source text that imports nothing (an import is reported as a file
/// that cannot be read). Its diagnostics name it `<input>`.
pub fn compile(source: &str) -> Compilation {
    compile_with("<input>", source.as_bytes(), &mut load::MemoryLoader::new())
}

/// Decodes a file's bytes, then compiles it: invalid UTF-8 is a diagnostic like any other.
pub fn compile_bytes(bytes: &[u8]) -> Compilation {
    compile_with("<input>", bytes, &mut load::MemoryLoader::new())
}

/// Compiles the file `name` with text `bytes`, reading what it imports through `loader`: the
/// stages in order, each only when those before it found no error. Load reads and parses every
/// file; check builds the model; the translation files and the instrument's tests are then
/// checked against the model.
pub fn compile_with(name: &str, bytes: &[u8], loader: &mut dyn load::Loader) -> Compilation {
    let (program, problems) = load::load(name, bytes, loader);
    let mut diagnostics: Vec<Diagnostic> = problems.into_iter().map(Diagnostic::Load).collect();
    let mut instrument = None;
    if diagnostics.is_empty() {
        let (checked, problems) = check::check_program(&program);
        diagnostics.extend(problems.into_iter().map(Diagnostic::Check));
        instrument = checked;
    }
    if let Some(instrument) = &mut instrument {
        let problems = translate::check(instrument, &program.translations);
        diagnostics.extend(problems.into_iter().map(Diagnostic::Translation));
        let problems = testing::check(instrument);
        diagnostics.extend(problems.into_iter().map(Diagnostic::Test));
    }
    let mut compilation = Compilation {
        instrument,
        diagnostics,
        sources: program.sources,
        translation_files: program
            .translations
            .iter()
            .map(|translation| (translation.language.clone(), translation.file))
            .collect(),
    };
    if compilation.has_errors() {
        compilation.instrument = None;
    }
    compilation
}

//! qc: the compiler of the `.q` questionnaire language.
//!
//! ```text
//! .q text ─▶ syntax ─▶ AST ─▶ check ─▶ model ─▶ emit::json
//! ```
//! The library takes source text and returns values and diagnostics; it does no I/O and prints
//! nothing. The `qc` binary (the `cli` feature) reads files, renders diagnostics and sets exit
//! codes. See `ARCHITECTURE.md` for the stages and the modules that own them.

pub mod check;
#[cfg(feature = "cli")]
pub mod cli;
pub mod diagnostic;
pub mod emit;
pub mod eval;
pub mod explain;
pub mod form;
pub mod model;
pub mod span;
pub mod syntax;
pub mod validate;

pub use diagnostic::{Diagnostic, Severity};
pub use model::Instrument;

/// What compiling one source text gives: the checked instrument when it has no errors, and
/// every diagnostic, sorted by position.
#[derive(Debug)]
pub struct Compilation {
    pub instrument: Option<Instrument>,
    pub diagnostics: Vec<Diagnostic>,
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

/// Parses and checks a source text.
pub fn compile(source: &str) -> Compilation {
    let file = match syntax::parse(source) {
        Ok(file) => file,
        Err(error) => {
            return Compilation {
                instrument: None,
                diagnostics: vec![Diagnostic::Syntax(error)],
            }
        }
    };
    let (instrument, problems) = check::check(&file);
    Compilation {
        instrument,
        diagnostics: problems.into_iter().map(Diagnostic::Check).collect(),
    }
}

/// Decodes a file's bytes, then compiles it: invalid UTF-8 is a diagnostic like any other.
pub fn compile_bytes(bytes: &[u8]) -> Compilation {
    match syntax::decode(bytes) {
        Ok(source) => compile(source),
        Err(error) => Compilation {
            instrument: None,
            diagnostics: vec![Diagnostic::Syntax(error)],
        },
    }
}

//! Every diagnostic qc reports, from any stage, behind one type.

use miette::Diagnostic as _;
use thiserror::Error;

use crate::check::CheckError;
use crate::span::Span;
use crate::syntax::SyntaxError;

/// A diagnostic from any stage.
#[derive(Clone, Debug, Error, miette::Diagnostic, PartialEq)]
pub enum Diagnostic {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(SyntaxError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Check(CheckError),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Information, such as how much of a translation is done: never a failure.
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl Diagnostic {
    /// The stable code, such as `E0103`.
    pub fn code_str(&self) -> String {
        self.code().map(|code| code.to_string()).unwrap_or_default()
    }

    pub fn severity(&self) -> Severity {
        match self {
            Diagnostic::Check(error) if error.is_warning() => Severity::Warning,
            Diagnostic::Check(error) if error.is_note() => Severity::Note,
            _ => Severity::Error,
        }
    }

    /// The offending text.
    pub fn span(&self) -> Span {
        match self {
            Diagnostic::Syntax(error) => error.span(),
            Diagnostic::Check(error) => error.span(),
        }
    }
}

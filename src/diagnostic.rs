//! Every diagnostic qc reports, from any stage, behind one type: each stage has its own error
//! type, and this one gathers them for rendering.

use miette::Diagnostic as _;
use thiserror::Error;

use crate::check::CheckError;
use crate::emit::Loss;
use crate::load::LoadError;
use crate::span::Span;
use crate::testing::TestError;
use crate::translate::TranslationError;

/// A diagnostic from any stage.
#[derive(Clone, Debug, Error, miette::Diagnostic, PartialEq)]
pub enum Diagnostic {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Load(LoadError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Check(CheckError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Translation(TranslationError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Test(TestError),
    /// What an export cannot hold (a warning).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Export(Loss),
}

/// How much a diagnostic counts.
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

    /// The severity each variant declares (`#[diagnostic(severity(…))]`, error when it declares
    /// none): the one place it is written.
    pub fn severity(&self) -> Severity {
        match miette::Diagnostic::severity(self) {
            None | Some(miette::Severity::Error) => Severity::Error,
            Some(miette::Severity::Warning) => Severity::Warning,
            Some(miette::Severity::Advice) => Severity::Note,
        }
    }

    /// The offending text.
    pub fn span(&self) -> Span {
        crate::span::primary(self)
    }
}

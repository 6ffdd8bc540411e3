//! Syntax: from source text to the AST.
//!
//! Owns the pest grammar (`grammar/q.pest`), the human names of its rules, and the single
//! syntax error a file can have: pest stops at the first one. It does not resolve names or
//! check types; that is the `check` stage.

pub mod ast;
mod lower;
mod names;

use miette::Diagnostic;
use thiserror::Error;

use crate::span::Span;

/// How deeply brackets may nest. Deeper input is refused before pest sees it: pest recurses on
/// the native stack, and its call limit bounds calls, not depth.
pub const MAX_DEPTH: usize = 64;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/q.pest"]
struct QParser;

/// Why a file could not be read as `.q` syntax.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq)]
pub enum SyntaxError {
    #[error("{message}")]
    #[diagnostic(code(E0001), help("{help}"))]
    Unexpected {
        message: String,
        #[label("{found}")]
        span: Span,
        found: String,
        help: String,
    },

    #[error("brackets nest more than {MAX_DEPTH} deep")]
    #[diagnostic(
        code(E0002),
        help("split the condition or the item into smaller parts; deeper nesting is refused")
    )]
    TooDeep {
        #[label("this is level {}", MAX_DEPTH + 1)]
        span: Span,
    },

    #[error("the file is not valid UTF-8")]
    #[diagnostic(code(E0003), help("save the file as UTF-8"))]
    InvalidUtf8 {
        #[label("this byte is not valid UTF-8")]
        span: Span,
    },

    #[error("unknown escape in a text")]
    #[diagnostic(
        code(E0004),
        help("a text may contain `\\\"`, `\\\\`, `\\n` and `\\t`; write other characters as they are")
    )]
    BadEscape {
        #[label("not an escape")]
        span: Span,
    },

    #[error("text is never closed")]
    #[diagnostic(code(E0005), help("add the closing `\"` where the text ends"))]
    Unterminated {
        #[label("this text runs to the end of the file")]
        span: Span,
    },

    #[error("internal error, please report: {detail}")]
    #[diagnostic(code(E0000))]
    Internal {
        detail: String,
        #[label("while reading this")]
        span: Span,
    },
}

impl SyntaxError {
    /// The error with its span moved `base` bytes on: from an offset of one file to an offset
    /// of the source map.
    pub fn shifted(mut self, base: usize) -> SyntaxError {
        let span = match &mut self {
            SyntaxError::Unexpected { span, .. }
            | SyntaxError::TooDeep { span }
            | SyntaxError::InvalidUtf8 { span }
            | SyntaxError::BadEscape { span }
            | SyntaxError::Unterminated { span }
            | SyntaxError::Internal { span, .. } => span,
        };
        *span = Span::new(span.start + base, span.end + base);
        self
    }

    pub fn span(&self) -> Span {
        match self {
            SyntaxError::Unexpected { span, .. }
            | SyntaxError::TooDeep { span }
            | SyntaxError::InvalidUtf8 { span }
            | SyntaxError::BadEscape { span }
            | SyntaxError::Unterminated { span }
            | SyntaxError::Internal { span, .. } => *span,
        }
    }
}

/// Decodes the bytes of a file, or points at the first byte that is not UTF-8.
pub fn decode(bytes: &[u8]) -> Result<&str, SyntaxError> {
    std::str::from_utf8(bytes).map_err(|error| {
        let start = error.valid_up_to();
        let len = error.error_len().unwrap_or(bytes.len() - start).max(1);
        SyntaxError::InvalidUtf8 {
            span: Span::new(start, start + len),
        }
    })
}

/// Parses a whole file into its AST, or reports the first syntax error.
pub fn parse(source: &str) -> Result<ast::File, SyntaxError> {
    parse_at(source, 0)
}

/// Parses a file whose text starts at offset `base` of a [`SourceMap`](crate::source::SourceMap):
/// every span of the AST, and of the error, is an offset of the map.
pub fn parse_at(source: &str, base: usize) -> Result<ast::File, SyntaxError> {
    check_depth(source).map_err(|error| error.shifted(base))?;
    match lower::parse_pairs(source) {
        Ok(pairs) => lower::Lowering { base }.file(pairs),
        Err(error) => Err(names::describe(source, error).shifted(base)),
    }
}

/// Refuses brackets nested deeper than [`MAX_DEPTH`], outside texts and comments.
fn check_depth(source: &str) -> Result<(), SyntaxError> {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(SyntaxError::TooDeep {
                        span: Span::new(i, i + 1),
                    });
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

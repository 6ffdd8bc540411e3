//! Syntax: from source text to the AST.
//!
//! Owns the pest grammar (`grammar/q.pest`), the human names of its rules, and the single
//! syntax error a file can have: pest stops at the first one. It does not resolve names or
//! check types; that is the `check` stage.

pub mod ast;
mod lower;
mod names;
pub mod tree;

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

    #[error("`{file}` is not valid UTF-8 at line {line}, column {column}")]
    #[diagnostic(
        code(E0003),
        help("save the file as UTF-8; a file that is not text is named, never shown")
    )]
    InvalidUtf8 {
        #[label("not UTF-8")]
        span: Span,
        file: String,
        /// Where the first byte that is not UTF-8 is, counted in the valid text before it.
        line: usize,
        column: usize,
    },

    #[error("`{file}` is not a `.q` source")]
    #[diagnostic(
        code(E0006),
        help("a `.q` file starts with a declaration such as `instrument`, `import` or `scale`; a file that is not one is named, never shown")
    )]
    NotSource {
        file: String,
        #[label("does not start with a declaration")]
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

    #[error("number out of range")]
    #[diagnostic(
        code(E0007),
        help("numbers are IEEE doubles, as in JSON and JavaScript: write one between about 1e-308 and 1.8e308")
    )]
    BadNumber {
        #[label("{why}")]
        span: Span,
        why: String,
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
            | SyntaxError::InvalidUtf8 { span, .. }
            | SyntaxError::NotSource { span, .. }
            | SyntaxError::BadNumber { span, .. }
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
            | SyntaxError::InvalidUtf8 { span, .. }
            | SyntaxError::NotSource { span, .. }
            | SyntaxError::BadNumber { span, .. }
            | SyntaxError::BadEscape { span }
            | SyntaxError::Unterminated { span }
            | SyntaxError::Internal { span, .. } => *span,
        }
    }
}

/// Decodes the bytes of the file named `file`, or points at the first byte that is not UTF-8.
pub fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, SyntaxError> {
    std::str::from_utf8(bytes).map_err(|error| {
        let start = error.valid_up_to();
        let len = error.error_len().unwrap_or(bytes.len() - start).max(1);
        // The bytes before the error are valid UTF-8.
        let before = bytes
            .get(..start)
            .and_then(|before| std::str::from_utf8(before).ok())
            .unwrap_or_default();
        let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
        SyntaxError::InvalidUtf8 {
            file: file.to_owned(),
            span: Span::new(start, start + len),
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    })
}

/// The words a declaration starts with (`grammar/q.pest`, rule `declaration`).
const DECLARATIONS: [&str; 11] = [
    "import",
    "from",
    "instrument",
    "scale",
    "special",
    "document",
    "block",
    "translation",
    "introduction",
    "section",
    "test",
];

/// Whether a text is, at first sight, a `.q` source: empty, or starting (after blanks and
/// comments) with the word of a declaration. A text that is not is named in its diagnostic
/// and never quoted, so that a file reached by mistake or by malice (a key, an environment)
/// is not shown in a build log.
pub fn looks_like_source(text: &str) -> bool {
    let mut rest = text.strip_prefix('\u{feff}').unwrap_or(text);
    loop {
        rest = rest.trim_start();
        match rest.strip_prefix('#') {
            Some(comment) => rest = comment.split_once('\n').map_or("", |(_, after)| after),
            None => break,
        }
    }
    if rest.is_empty() {
        return true;
    }
    let word_end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    DECLARATIONS.contains(&&rest[..word_end])
}

/// Parses a whole file into its AST, or reports the first syntax error.
pub fn parse(source: &str) -> Result<ast::File, SyntaxError> {
    parse_at(source, 0)
}

/// Parses a file whose text starts at offset `base` of a [`SourceMap`](crate::source::SourceMap):
/// every span of the AST, and of the error, is an offset of the map.
pub fn parse_at(source: &str, base: usize) -> Result<ast::File, SyntaxError> {
    // Lowering places its own errors at `base`.
    let pairs = pairs(source).map_err(|error| error.shifted(base))?;
    lower::Lowering { base }.file(pairs)
}

/// Parses a whole file into its AST and its concrete tree (every token and comment, for the
/// formatter), or reports the first syntax error.
pub fn parse_with_tree(source: &str) -> Result<(ast::File, tree::Node<'_>), SyntaxError> {
    let pairs = pairs(source)?;
    let file = lower::Lowering { base: 0 }.file(pairs.clone())?;
    let root = pairs
        .peek()
        .map(|pair| tree::build(source, pair))
        .ok_or_else(|| SyntaxError::Internal {
            detail: "no file in the parse".to_owned(),
            span: Span::at(0),
        })?;
    Ok((file, root))
}

/// Pest's pairs of a whole file, its depth checked first; offsets are the file's own.
fn pairs(source: &str) -> Result<pest::iterators::Pairs<'_, Rule>, SyntaxError> {
    check_depth(source)?;
    crate::stack::guard_parser(|| lower::parse_pairs(source))
        .map_err(|error| names::describe(source, error))
}

/// Refuses brackets nested deeper than [`MAX_DEPTH`], outside texts and comments.
fn check_depth(source: &str) -> Result<(), SyntaxError> {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'"' => {
                i += 1;
                while let Some(&byte) = bytes.get(i).filter(|byte| **byte != b'"') {
                    i += if byte == b'\\' { 2 } else { 1 };
                }
            }
            b'#' => {
                while bytes.get(i).is_some_and(|byte| *byte != b'\n') {
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

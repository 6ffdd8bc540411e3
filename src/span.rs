//! Byte spans into a source text, and the notes that point at a second place.

use miette::Diagnostic;
use serde::Serialize;
use thiserror::Error;

/// A half-open byte range `start..end` into one source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The empty span at `offset`.
    pub fn at(offset: usize) -> Span {
        Span::new(offset, offset)
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The span made safe to label in a source of `source_len` bytes: miette hides a label that
    /// starts at the very end of the input and panics on one past it, so an end-of-input span
    /// is moved back onto the last character. This is the one place spans are clamped.
    pub fn clamp_to(self, source: &str) -> Span {
        let len = source.len();
        if len == 0 {
            return Span::at(0);
        }
        let mut start = self.start.min(len);
        let mut end = self.end.min(len).max(start);
        if start == len {
            start = floor_char_boundary(source, len - 1);
            end = len;
        }
        start = floor_char_boundary(source, start);
        end = ceil_char_boundary(source, end);
        Span::new(start, end)
    }
}

/// The nearest character boundary at or before `index`.
pub(crate) fn floor_char_boundary(source: &str, mut index: usize) -> usize {
    while index > 0 && !source.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// The nearest character boundary at or after `index`.
pub(crate) fn ceil_char_boundary(source: &str, mut index: usize) -> usize {
    while index < source.len() && !source.is_char_boundary(index) {
        index += 1;
    }
    index
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        (span.start, span.len()).into()
    }
}

impl From<pest::Span<'_>> for Span {
    fn from(span: pest::Span<'_>) -> Self {
        Span::new(span.start(), span.end())
    }
}

#[cfg(test)]
mod tests {
    use super::Span;

    #[test]
    fn end_of_input_moves_onto_the_last_character() {
        assert_eq!(Span::at(5).clamp_to("hello"), Span::new(4, 5));
        assert_eq!(Span::new(3, 99).clamp_to("hello"), Span::new(3, 5));
        assert_eq!(Span::new(7, 9).clamp_to(""), Span::at(0));
    }

    #[test]
    fn clamped_spans_fall_on_character_boundaries() {
        let source = "a“b";
        let span = Span::new(2, 3).clamp_to(source);
        assert!(source.is_char_boundary(span.start) && source.is_char_boundary(span.end));
        assert_eq!(Span::at(source.len()).clamp_to(source), Span::new(4, 5));
    }
}

/// A secondary place a diagnostic points at, shown as its own excerpt: "first defined here".
#[derive(Clone, Debug, Error, Diagnostic, PartialEq)]
#[error("{message}")]
#[diagnostic(severity(Advice))]
pub struct Note {
    pub message: String,
    #[label("{label}")]
    pub span: Span,
    pub label: String,
}

impl Note {
    /// A note with the same text as its heading and its label, for a list of notes.
    pub fn single(span: Span, text: String) -> Note {
        Note {
            message: text.clone(),
            span,
            label: text,
        }
    }

    /// The one note of a diagnostic: `text` both heads it and labels the span.
    pub fn new(span: Span, text: &str) -> Vec<Note> {
        vec![Note {
            message: text.to_owned(),
            span,
            label: text.to_owned(),
        }]
    }
}

/// The place a diagnostic is about: its first label, which every diagnostic of qc puts on the
/// offending text; the start of the map for one without a label.
pub fn primary(diagnostic: &dyn Diagnostic) -> Span {
    diagnostic
        .labels()
        .and_then(|mut labels| labels.next())
        .map_or_else(Span::default, |label| {
            Span::new(label.offset(), label.offset() + label.len())
        })
}

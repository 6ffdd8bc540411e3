//! Rendering diagnostics: for people (miette's graphical report) and for machines (JSON lines).

use std::fmt;

use miette::{Diagnostic as _, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use serde::Serialize;

use crate::span::Span;
use crate::Diagnostic;

/// How human output looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// No colour, no hyperlinks: for files, pipes, tests and `NO_COLOR`.
    Plain,
    /// Colour, for a terminal.
    Colour,
}

/// The width human output is wrapped to.
const WIDTH: usize = 100;

/// Renders diagnostics of one file for people, each with its source excerpt.
pub fn render_human(name: &str, source: &str, diagnostics: &[Diagnostic], theme: Theme) -> String {
    let graphical = match theme {
        Theme::Plain => GraphicalTheme::unicode_nocolor(),
        Theme::Colour => GraphicalTheme::unicode(),
    };
    let handler = GraphicalReportHandler::new_themed(graphical)
        .with_width(WIDTH)
        .with_links(false)
        .with_urls(false);
    let source = NamedSource::new(name, source.to_owned());
    let mut out = String::new();
    for diagnostic in diagnostics {
        let located = Located {
            diagnostic,
            source: &source,
        };
        if handler.render_report(&mut out, &located).is_err() {
            out.push_str(&format!("{}: {diagnostic}\n", diagnostic.code_str()));
        }
    }
    out
}

/// A diagnostic with the source text it points into, and its labels clamped to that text.
struct Located<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a NamedSource<String>,
}

impl fmt::Debug for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.diagnostic.fmt(f)
    }
}

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.diagnostic.fmt(f)
    }
}

impl std::error::Error for Located<'_> {}

impl miette::Diagnostic for Located<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic.code()
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.diagnostic.severity_level()
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic.help()
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        self.diagnostic.related()
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let text = self.source.inner().as_str();
        let labels = self.diagnostic.labels()?;
        Some(Box::new(labels.map(move |label| {
            let span = Span::new(label.offset(), label.offset() + label.len()).clamp_to(text);
            LabeledSpan::new_with_span(label.label().map(str::to_owned), span)
        })))
    }
}

impl Diagnostic {
    /// miette's severity of the diagnostic.
    fn severity_level(&self) -> Option<miette::Severity> {
        Some(match self.severity() {
            crate::Severity::Error => miette::Severity::Error,
            crate::Severity::Warning => miette::Severity::Warning,
        })
    }
}

/// One diagnostic as a JSON object.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: String,
    severity: &'static str,
    message: String,
    file: &'a str,
    /// 1-based line of the start of the span.
    line: usize,
    /// 1-based column, in characters, of the start of the span.
    column: usize,
    /// Byte offsets, `start..end`.
    span: Span,
    labels: Vec<JsonLabel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<String>,
}

#[derive(Serialize)]
struct JsonLabel {
    message: Option<String>,
    line: usize,
    column: usize,
    span: Span,
}

/// Renders diagnostics of one file for machines: one JSON object per line.
pub fn render_json(name: &str, source: &str, diagnostics: &[Diagnostic]) -> String {
    let lines = LineIndex::new(source);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let span = diagnostic.span().clamp_to(source);
        let (line, column) = lines.position(source, span.start);
        // A diagnostic's own labels, then those of its notes ("first defined here").
        let related = diagnostic.related().into_iter().flatten();
        let labels = diagnostic
            .labels()
            .into_iter()
            .flatten()
            .chain(related.flat_map(|note| note.labels().into_iter().flatten()))
            .map(|label| {
                let span = Span::new(label.offset(), label.offset() + label.len()).clamp_to(source);
                let (line, column) = lines.position(source, span.start);
                JsonLabel {
                    message: label.label().map(str::to_owned),
                    line,
                    column,
                    span,
                }
            })
            .collect();
        let object = JsonDiagnostic {
            code: diagnostic.code_str(),
            severity: diagnostic.severity().as_str(),
            message: diagnostic.to_string(),
            file: name,
            line,
            column,
            span,
            labels,
            help: diagnostic.help().map(|help| help.to_string()),
        };
        if let Ok(text) = serde_json::to_string(&object) {
            out.push_str(&text);
            out.push('\n');
        }
    }
    out
}

/// The byte offset where each line starts, to turn offsets into lines and columns.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(source: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line and character column of a byte offset.
    fn position(&self, source: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let start = self.starts[line - 1];
        let column = source
            .get(start..offset)
            .map_or(0, |text| text.chars().count());
        (line, column + 1)
    }
}

//! Rendering diagnostics: for people (miette's graphical report) and for machines (JSON lines).

use std::fmt;

use miette::{Diagnostic as _, GraphicalReportHandler, GraphicalTheme, LabeledSpan};
use serde::Serialize;

use crate::source::SourceMap;
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

/// Renders diagnostics for people, each with the excerpt of the file it points into.
pub fn render_human(sources: &SourceMap, diagnostics: &[Diagnostic], theme: Theme) -> String {
    let graphical = match theme {
        Theme::Plain => GraphicalTheme::unicode_nocolor(),
        Theme::Colour => GraphicalTheme::unicode(),
    };
    let handler = GraphicalReportHandler::new_themed(graphical)
        .with_width(WIDTH)
        .with_links(false)
        .with_urls(false);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let located = Located {
            diagnostic,
            sources,
        };
        if handler.render_report(&mut out, &located).is_err() {
            out.push_str(&format!("{}: {diagnostic}\n", diagnostic.code_str()));
        }
    }
    out
}

/// A diagnostic with the sources it points into, and its labels clamped to their file.
struct Located<'a> {
    diagnostic: &'a Diagnostic,
    sources: &'a SourceMap,
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
        (!self.sources.is_empty()).then_some(self.sources as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let labels = self.diagnostic.labels()?;
        Some(Box::new(labels.map(move |label| {
            let span = Span::new(label.offset(), label.offset() + label.len());
            LabeledSpan::new_with_span(label.label().map(str::to_owned), self.clamp(span))
        })))
    }
}

impl Located<'_> {
    /// The span made safe to show, in map offsets.
    fn clamp(&self, span: Span) -> Span {
        if self.sources.is_empty() {
            return span;
        }
        let (file, local) = self.sources.locate(span);
        Span::new(local.start + file.base, local.end + file.base)
    }
}

impl Diagnostic {
    /// miette's severity of the diagnostic.
    fn severity_level(&self) -> Option<miette::Severity> {
        Some(match self.severity() {
            crate::Severity::Error => miette::Severity::Error,
            crate::Severity::Warning => miette::Severity::Warning,
            crate::Severity::Note => miette::Severity::Advice,
        })
    }
}

/// One diagnostic as a JSON object.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: String,
    severity: &'static str,
    message: String,
    /// The file the span is in.
    file: &'a str,
    /// 1-based line of the start of the span.
    line: usize,
    /// 1-based column, in characters, of the start of the span.
    column: usize,
    /// Byte offsets, `start..end`.
    span: Span,
    labels: Vec<JsonLabel<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<String>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: Option<String>,
    file: &'a str,
    line: usize,
    column: usize,
    span: Span,
}

/// Renders diagnostics for machines: one JSON object per line. Spans and positions are those
/// of the file each one is in.
pub fn render_json(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let indexes: Vec<LineIndex> = sources
        .files()
        .map(|(_, file)| LineIndex::new(&file.text))
        .collect();
    let place = |span: Span| {
        let id = sources.lookup(span.start);
        let (file, local) = sources.locate(span);
        let (line, column) = indexes[id.0].position(&file.text, local.start);
        (file.name.as_str(), line, column, local)
    };
    let mut out = String::new();
    for diagnostic in diagnostics {
        if sources.is_empty() {
            continue;
        }
        let (file, line, column, span) = place(diagnostic.span());
        // A diagnostic's own labels, then those of its notes ("first defined here").
        let related = diagnostic.related().into_iter().flatten();
        let labels = diagnostic
            .labels()
            .into_iter()
            .flatten()
            .chain(related.flat_map(|note| note.labels().into_iter().flatten()))
            .map(|label| {
                let (file, line, column, span) =
                    place(Span::new(label.offset(), label.offset() + label.len()));
                JsonLabel {
                    message: label.label().map(str::to_owned),
                    file,
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
            file,
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

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

/// The most characters of a message, label or help shown: the rest is cut, with `…`. A
/// message that quotes a 1 MB label is shown by its start.
pub const TEXT_WIDTH: usize = 400;

/// The most notes ("first defined here") shown under one diagnostic.
pub const MAX_NOTES: usize = 16;

/// Renders diagnostics for people, each with the excerpt of the file it points into.
pub fn render_human(sources: &SourceMap, diagnostics: &[Diagnostic], theme: Theme) -> String {
    let renderer = Human::new(theme);
    diagnostics
        .iter()
        .map(|diagnostic| renderer.render(sources, diagnostic))
        .collect()
}

/// miette's graphical handler, set up once for many diagnostics.
pub struct Human {
    handler: GraphicalReportHandler,
}

impl Human {
    pub fn new(theme: Theme) -> Human {
        let graphical = match theme {
            Theme::Plain => GraphicalTheme::unicode_nocolor(),
            Theme::Colour => GraphicalTheme::unicode(),
        };
        let handler = GraphicalReportHandler::new_themed(graphical)
            .with_width(WIDTH)
            .with_links(false)
            .with_urls(false);
        Human { handler }
    }

    /// One diagnostic with its excerpts. Its size is bounded whatever the input: texts are
    /// cut at [`TEXT_WIDTH`], labels and excerpts by the source map, notes at [`MAX_NOTES`].
    pub fn render(&self, sources: &SourceMap, diagnostic: &Diagnostic) -> String {
        let located = Located::new(diagnostic, diagnostic.severity_level(), sources);
        let mut out = String::new();
        if self.handler.render_report(&mut out, &located).is_err() {
            out = format!(
                "{}: {}\n",
                diagnostic.code_str(),
                cut(&diagnostic.to_string())
            );
        }
        out
    }
}

/// A text cut to [`TEXT_WIDTH`] characters.
pub(crate) fn cut(text: &str) -> String {
    match text.char_indices().nth(TEXT_WIDTH) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// A diagnostic (or one of its notes) with the sources it points into, its labels clamped to
/// their file and its texts cut.
struct Located<'a> {
    diagnostic: &'a dyn miette::Diagnostic,
    severity: Option<miette::Severity>,
    sources: &'a SourceMap,
    message: String,
    notes: Vec<Located<'a>>,
}

impl<'a> Located<'a> {
    fn new(
        diagnostic: &'a dyn miette::Diagnostic,
        severity: Option<miette::Severity>,
        sources: &'a SourceMap,
    ) -> Located<'a> {
        let notes = diagnostic
            .related()
            .into_iter()
            .flatten()
            .take(MAX_NOTES)
            .map(|note| Located::new(note, note.severity(), sources))
            .collect();
        Located {
            diagnostic,
            severity,
            sources,
            message: cut(&diagnostic.to_string()),
            notes,
        }
    }
}

impl fmt::Debug for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Located<'_> {}

impl miette::Diagnostic for Located<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic.code()
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.severity
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let help = self.diagnostic.help()?;
        Some(Box::new(cut(&help.to_string())))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.notes.is_empty() {
            return None;
        }
        Some(Box::new(
            self.notes
                .iter()
                .map(|note| note as &dyn miette::Diagnostic),
        ))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        (!self.sources.is_empty()).then_some(self.sources as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let labels = self.diagnostic.labels()?;
        Some(Box::new(labels.filter_map(move |label| {
            let span = Span::new(label.offset(), label.offset() + label.len());
            let text = label.label().map(cut);
            let span = self.sources.label_span(span)?;
            Some(LabeledSpan::new_with_span(text, span))
        })))
    }
}

impl Diagnostic {
    /// miette's severity of the diagnostic.
    pub fn severity_level(&self) -> Option<miette::Severity> {
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
    diagnostics
        .iter()
        .filter_map(|diagnostic| json_line(sources, diagnostic))
        .collect()
}

/// One diagnostic as a line of JSON, its texts cut as for people.
pub fn json_line(sources: &SourceMap, diagnostic: &Diagnostic) -> Option<String> {
    if sources.is_empty() {
        return None;
    }
    let place = |span: Span| {
        let (file, local) = sources.locate(span);
        let (line, column) = file.position(local.start);
        (file.name.as_str(), line, column, local)
    };
    let (file, line, column, span) = place(diagnostic.span());
    // A diagnostic's own labels, then those of its notes ("first defined here").
    let related = diagnostic.related().into_iter().flatten().take(MAX_NOTES);
    let labels = diagnostic
        .labels()
        .into_iter()
        .flatten()
        .chain(related.flat_map(|note| note.labels().into_iter().flatten()))
        .map(|label| {
            let (file, line, column, span) =
                place(Span::new(label.offset(), label.offset() + label.len()));
            JsonLabel {
                message: label.label().map(cut),
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
        message: cut(&diagnostic.to_string()),
        file,
        line,
        column,
        span,
        labels,
        help: diagnostic.help().map(|help| cut(&help.to_string())),
    };
    let mut line = serde_json::to_string(&object).ok()?;
    line.push('\n');
    Some(line)
}

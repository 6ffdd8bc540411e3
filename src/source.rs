//! The source texts of one compilation: the entry file and every file it imports.
//!
//! Each file occupies its own range of one address space, so a [`Span`] names a file as well
//! as a place in it: spans stay two plain offsets everywhere in the compiler, and only the
//! code that shows a span to a person asks the map which file it falls in. The map is also
//! miette's source for every diagnostic: it returns the excerpt and the name of whichever file
//! a label points into.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::arena::Arena;
use crate::span::{ceil_char_boundary, floor_char_boundary, Span};

/// Which file of a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub usize);

/// The longest excerpt shown of one line, in bytes: a label on a longer line (a minified file,
/// a 100 MB line) is shown with this much of the line around it, and no lines beside it.
pub const EXCERPT_WIDTH: usize = 240;

/// The longest label shown, in bytes: a label over more is shown over its start.
pub const LABEL_WIDTH: usize = 120;

/// One source file: its display name, its text and where it starts in the map.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    pub base: usize,
    /// The offset where each line starts, in the file: lines and columns in `O(log lines)`.
    line_starts: Vec<usize>,
    /// A file named in diagnostics but never shown (see [`SourceMap::add_withheld`]).
    pub withheld: bool,
}

impl SourceFile {
    fn new(name: &str, text: String, base: usize) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            name: name.to_owned(),
            text,
            base,
            line_starts,
            withheld: false,
        }
    }

    /// The span of the whole file, in map offsets.
    pub fn span(&self) -> Span {
        Span::new(self.base, self.base + self.text.len())
    }

    /// A span of the map as an offset range into this file's text.
    pub fn local(&self, span: Span) -> Span {
        Span::new(
            span.start.saturating_sub(self.base),
            span.end.saturating_sub(self.base),
        )
    }

    /// The 0-based line of an offset of the file.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// Where line `line` (0-based) starts and ends, without its line break.
    fn line_range(&self, line: usize) -> (usize, usize) {
        let start = *self.line_starts.at(line);
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next - 1);
        let end = if self.text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        (start, end.max(start))
    }

    /// The 1-based line and character column of an offset of the file.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        let start = *self.line_starts.at(line);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |t| t.chars().count());
        (line + 1, column + 1)
    }

    /// The excerpt to show around a span of the file (clamped to it): the lines of the span
    /// with up to `before` and `after` lines around it, or, when one of them is longer than
    /// [`EXCERPT_WIDTH`], a window of the span's line alone. Its cost is that of what it shows.
    fn excerpt(&self, span: Span, before: usize, after: usize) -> Excerpt {
        let first = self.line_of(span.start);
        let last = self.line_of(span.end.saturating_sub(1).max(span.start));
        let from = first.saturating_sub(before);
        let to = (last + after).min(self.line_starts.len() - 1);
        let long = (from..=to).any(|line| {
            let (start, end) = self.line_range(line);
            end - start > EXCERPT_WIDTH
        });
        if !long {
            let start = if before == 0 {
                span.start
            } else {
                *self.line_starts.at(from)
            };
            let (_, end) = self.line_range(to);
            let column = if before == 0 {
                span.start - *self.line_starts.at(first)
            } else {
                0
            };
            return Excerpt {
                start,
                end: end.max(span.end),
                line: if before == 0 { first } else { from },
                column,
                lines: to - from + 1,
            };
        }
        // A window of the span's first line around its start.
        let (line_start, line_end) = self.line_range(first);
        let half = EXCERPT_WIDTH / 2;
        // Without lines before it, an excerpt starts at the span, as miette reads it for the
        // place it names.
        let start = if before == 0 {
            span.start
        } else {
            floor_char_boundary(&self.text, span.start.saturating_sub(half).max(line_start))
        };
        let end = ceil_char_boundary(
            &self.text,
            (span.end.max(span.start) + half).min(line_end).max(start),
        );
        Excerpt {
            start,
            end: end.max(span.end.min(line_end)),
            line: first,
            column: start - line_start,
            lines: 1,
        }
    }
}

/// What [`SourceFile::excerpt`] shows: a range of the file's text and where it starts.
struct Excerpt {
    start: usize,
    end: usize,
    /// 0-based line and byte column of `start`.
    line: usize,
    column: usize,
    lines: usize,
}

/// Every source text of a compilation, each in its own range of offsets.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// Adds a file after the others; one offset is left between files, so that a span at the
    /// end of one file never reads as the start of the next.
    pub fn add(&mut self, name: &str, text: String) -> FileId {
        let base = self.files.last().map_or(0, |last| last.span().end + 1);
        self.files.push(SourceFile::new(name, text, base));
        FileId(self.files.len() - 1)
    }

    /// Adds a file that is named in diagnostics but never shown: one that is not text, or not
    /// in a format of qc's. Its text is empty, so every span in it is at its start.
    pub fn add_withheld(&mut self, name: &str) -> FileId {
        let id = self.add(name, String::new());
        self.files.at_mut(id.0).withheld = true;
        id
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        self.files.at(id.0)
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, file)| (FileId(i), file))
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The file an offset falls in.
    pub fn lookup(&self, offset: usize) -> FileId {
        let after = self.files.partition_point(|file| file.base <= offset);
        FileId(after.saturating_sub(1))
    }

    /// Where a span starts, as `file:line:column` (1-based; the column in characters).
    pub fn location(&self, span: Span) -> String {
        let (file, local) = self.locate(span);
        let (line, column) = file.position(local.start);
        format!("{}:{line}:{column}", file.name)
    }

    /// The file a span falls in, and the span made safe to show in it.
    pub fn locate(&self, span: Span) -> (&SourceFile, Span) {
        let file = self.files.at(self.lookup(span.start).0);
        let local = file.local(span).clamp_to(&file.text);
        (file, local)
    }
}

impl SourceMap {
    /// A label's span made safe to show: in its file, at most [`LABEL_WIDTH`] bytes long, and
    /// on one line when that line is too long to show whole. None in a withheld file.
    pub fn label_span(&self, span: Span) -> Option<Span> {
        if self.files.is_empty() {
            return Some(span);
        }
        let (file, local) = self.locate(span);
        if file.withheld {
            return None;
        }
        let mut end = local.end.min(local.start + LABEL_WIDTH);
        let (line_start, line_end) = file.line_range(file.line_of(local.start));
        if end > line_end && line_end - line_start > EXCERPT_WIDTH {
            end = line_end.max(local.start);
        }
        let end = ceil_char_boundary(&file.text, end);
        Some(Span::new(local.start + file.base, end + file.base))
    }
}

impl SourceCode for SourceMap {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        if self.files.is_empty() {
            return Err(MietteError::OutOfBounds);
        }
        let span = Span::new(span.offset(), span.offset() + span.len());
        let (file, local) = self.locate(span);
        let excerpt = file.excerpt(local, context_lines_before, context_lines_after);
        let data = file.text.as_bytes().get(excerpt.start..excerpt.end);
        Ok(Box::new(MietteSpanContents::new_named(
            file.name.clone(),
            data.unwrap_or_default(),
            SourceSpan::new(
                (excerpt.start + file.base).into(),
                excerpt.end - excerpt.start,
            ),
            excerpt.line,
            excerpt.column,
            excerpt.lines,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::{FileId, SourceMap};
    use crate::span::Span;

    #[test]
    fn offsets_fall_in_the_file_that_holds_them() {
        let mut map = SourceMap::default();
        map.add("a.q", "abc".to_owned());
        map.add("b.q", "defg".to_owned());
        assert_eq!(map.lookup(0), FileId(0));
        assert_eq!(map.lookup(3), FileId(0));
        assert_eq!(map.lookup(4), FileId(1));
        let (file, local) = map.locate(Span::new(5, 7));
        assert_eq!((file.name.as_str(), local), ("b.q", Span::new(1, 3)));
    }

    #[test]
    fn locations_are_lines_and_columns_of_their_file() {
        let mut map = SourceMap::default();
        map.add("a.q", "one\ntwo\n".to_owned());
        map.add("b.q", "th“ree\nfour\n".to_owned());
        let second = map.file(FileId(1)).base;
        assert_eq!(map.location(Span::new(4, 5)), "a.q:2:1");
        assert_eq!(map.location(Span::at(second + 5)), "b.q:1:4");
    }

    #[test]
    fn excerpts_carry_the_name_of_their_file() {
        use miette::SourceCode;
        let mut map = SourceMap::default();
        map.add("a.q", "one\ntwo\n".to_owned());
        map.add("b.q", "three\nfour\n".to_owned());
        let contents = map.read_span(&(15, 4).into(), 0, 0).expect("read");
        assert_eq!(contents.name(), Some("b.q"));
        assert_eq!(contents.line(), 1);
        assert_eq!(std::str::from_utf8(contents.data()).expect("utf-8"), "four");
    }
}

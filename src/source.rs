//! The source texts of one compilation: the entry file and every file it imports.
//!
//! Each file occupies its own range of one address space, so a [`Span`] names a file as well
//! as a place in it: spans stay two plain offsets everywhere in the compiler, and only the
//! code that shows a span to a person asks the map which file it falls in. The map is also
//! miette's source for every diagnostic: it returns the excerpt and the name of whichever file
//! a label points into.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::span::Span;

/// Which file of a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub usize);

/// One source file: its display name, its text and where it starts in the map.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    pub base: usize,
}

impl SourceFile {
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
        self.files.push(SourceFile {
            name: name.to_owned(),
            text,
            base,
        });
        FileId(self.files.len() - 1)
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
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
        let before = &file.text[..local.start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("{}:{line}:{column}", file.name)
    }

    /// The file a span falls in, and the span made safe to show in it.
    pub fn locate(&self, span: Span) -> (&SourceFile, Span) {
        let file = &self.files[self.lookup(span.start).0];
        let local = file.local(span).clamp_to(&file.text);
        (file, local)
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
        let local: SourceSpan = local.into();
        let contents = file
            .text
            .read_span(&local, context_lines_before, context_lines_after)?;
        let inner = contents.span();
        Ok(Box::new(MietteSpanContents::new_named(
            file.name.clone(),
            contents.data(),
            SourceSpan::new((inner.offset() + file.base).into(), inner.len()),
            contents.line(),
            contents.column(),
            contents.line_count(),
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

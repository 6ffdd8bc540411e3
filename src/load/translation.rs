//! Translation files, as the load stage reads them: JSON, one per language
//! (`docs/language.md#translations`):
//!
//! ```json
//! { "format": "qc-translation/1", "language": "fr", "status": "unofficial draft",
//!   "strings": { "q1.label": { "source": "…", "source_hash": "…", "text": "…" } } }
//! ```
//!
//! A file that does not say it is one is named, never quoted. What its entries mean for the
//! instrument (missing, stale, unknown keys) is `translate`'s.

use std::fmt;

use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::span::Span;

/// The `format` of a translation file.
pub const FORMAT: &str = "qc-translation/1";

/// What is wrong with a translation file (E0127).
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// The file is not one at all: named, never quoted.
    NotOurs {
        name: String,
        why: NotOurs,
    },
    /// The text is not JSON (serde_json's message names a place, not what is there).
    NotJson {
        detail: String,
    },
    /// The JSON has the wrong shape.
    WrongShape {
        detail: String,
    },
    NoFormat,
    NoLanguage,
    EntryTwice {
        key: String,
    },
    IncompleteEntry {
        key: String,
    },
    /// The file declared for one language is in another.
    OtherLanguage {
        declared: String,
        found: String,
    },
}

/// Why a file is not a translation file.
#[derive(Clone, Debug, PartialEq)]
pub enum NotOurs {
    NotUtf8,
    ByteOrderMark,
    NotJson {
        detail: String,
    },
    /// JSON, but not an object that says `"format": "qc-translation/1"`.
    OtherFormat,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::NotOurs { name, .. } => write!(f, "`{name}` is not a translation file"),
            Problem::NotJson { detail } => write!(f, "a translation file is not JSON: {detail}"),
            Problem::WrongShape { detail } => {
                write!(f, "a translation file has the wrong shape: {detail}")
            }
            Problem::NoFormat => write!(f, "a translation file says `\"format\": \"{FORMAT}\"`"),
            Problem::NoLanguage => write!(f, "a translation file names its `language`"),
            Problem::EntryTwice { key } => write!(f, "entry `{key}` is written twice"),
            Problem::IncompleteEntry { key } => {
                write!(f, "entry `{key}` needs `source_hash` and `text` strings")
            }
            Problem::OtherLanguage { declared, found } => {
                write!(
                    f,
                    "the file of the `{declared}` translation is in `{found}`"
                )
            }
        }
    }
}

impl Problem {
    /// What the label on the place says.
    pub fn label(&self) -> String {
        match self {
            Problem::NotOurs { why, .. } => match why {
                NotOurs::NotUtf8 => "not UTF-8 text".to_owned(),
                NotOurs::ByteOrderMark => "it starts with a byte-order mark (U+FEFF), which JSON does not allow: save it as UTF-8 without one".to_owned(),
                NotOurs::NotJson { detail } => format!("not JSON: {detail}"),
                NotOurs::OtherFormat => {
                    format!("not a JSON object with `\"format\": \"{FORMAT}\"`")
                }
            },
            Problem::NotJson { .. } | Problem::WrongShape { .. } => "here".to_owned(),
            Problem::NoFormat => "missing or another format".to_owned(),
            Problem::NoLanguage => "no `language` string".to_owned(),
            Problem::EntryTwice { .. } => "first written here".to_owned(),
            Problem::IncompleteEntry { .. } => "incomplete entry".to_owned(),
            Problem::OtherLanguage { declared, .. } => format!("expected `{declared}`"),
        }
    }
}

/// Why `bytes` are not a translation file, if they are not one: it must be UTF-8, and a JSON
/// object that says it is (`"format": "qc-translation/1"`). Only a translation file is shown in
/// excerpts; the reason never quotes the text.
pub fn not_ours(bytes: Vec<u8>) -> Result<String, NotOurs> {
    /// The one key looked at; the rest is skipped without being kept.
    #[derive(serde::Deserialize)]
    struct Head<'a> {
        #[serde(borrow)]
        format: Option<std::borrow::Cow<'a, str>>,
    }
    let text = String::from_utf8(bytes).map_err(|_| NotOurs::NotUtf8)?;
    if text.starts_with('\u{feff}') {
        return Err(NotOurs::ByteOrderMark);
    }
    match serde_json::from_str::<Head<'_>>(&text) {
        Err(error) if error.is_syntax() || error.is_eof() => Err(NotOurs::NotJson {
            detail: error.to_string(),
        }),
        Err(_) => Err(NotOurs::OtherFormat),
        Ok(head) if head.format.as_deref() != Some(FORMAT) => Err(NotOurs::OtherFormat),
        Ok(_) => Ok(text),
    }
}

/// One entry of a translation file.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    /// The source text the translator translated, shown for context.
    pub source: String,
    pub source_hash: String,
    pub text: String,
    /// Set when the source changed after translation: the text awaits review.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub review: bool,
}

/// A translation file as read.
#[derive(Debug)]
pub struct File {
    pub language: String,
    pub status: Option<String>,
    pub entries: Vec<(String, Entry)>,
    /// Where each key is written, in map offsets.
    key_spans: HashMap<String, Span>,
    /// The whole file.
    span: Span,
}

impl File {
    pub fn key_span(&self, key: &str) -> Span {
        self.key_spans.get(key).copied().unwrap_or(self.span)
    }
}

/// Reads a translation file whose text starts at `base` in the source map: the place of an
/// error is in the file.
pub fn read(text: &str, base: usize) -> Result<File, (Problem, Span)> {
    let whole = Span::new(base, base + text.len());
    let file: FileText = serde_json::from_str(text).map_err(|e| {
        let offset = offset_of(text, e.line(), e.column());
        let at = Span::new(base + offset, base + offset + 1);
        let detail = e.to_string();
        match e.classify() {
            serde_json::error::Category::Data => (Problem::WrongShape { detail }, at),
            _ => (Problem::NotJson { detail }, at),
        }
    })?;
    let key_spans = key_offsets(text, base);
    let at = |key: &str| key_spans.get(key).copied().unwrap_or(whole);
    if file.format.as_deref() != Some(FORMAT) {
        return Err((Problem::NoFormat, at("format")));
    }
    let Some(language) = file.language else {
        return Err((Problem::NoLanguage, whole));
    };
    let status = file.status;
    let mut entries = Vec::with_capacity(file.strings.0.len());
    let mut seen: HashMap<String, ()> = HashMap::default();
    for (key, entry) in file.strings.0 {
        if seen.insert(key.clone(), ()).is_some() {
            let span = at(&key);
            return Err((Problem::EntryTwice { key }, span));
        }
        let (Some(source_hash), Some(text)) = (entry.source_hash, entry.text) else {
            let span = at(&key);
            return Err((Problem::IncompleteEntry { key }, span));
        };
        let entry = Entry {
            source: entry.source.unwrap_or_default(),
            source_hash,
            text,
            review: entry.review == Some(true),
        };
        entries.push((key, entry));
    }
    Ok(File {
        language,
        status,
        entries,
        key_spans,
        span: whole,
    })
}

/// A translation file as JSON gives it; [`read`] checks what is required.
#[derive(Deserialize)]
struct FileText {
    format: Option<String>,
    language: Option<String>,
    status: Option<String>,
    #[serde(default)]
    strings: Entries,
}

#[derive(Deserialize)]
struct EntryText {
    source: Option<String>,
    source_hash: Option<String>,
    text: Option<String>,
    review: Option<bool>,
}

/// The entries of a file in the order written.
#[derive(Default)]
struct Entries(Vec<(String, EntryText)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Entries;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of entries by key")
            }

            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<Entries, M::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

/// The byte offset of a 1-based line and column (as serde_json counts them).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len().saturating_sub(1))
}

/// Where each object key of a JSON text is written (its first occurrence), in one pass.
fn key_offsets(text: &str, base: usize) -> HashMap<String, Span> {
    let bytes = text.as_bytes();
    let mut keys = HashMap::default();
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte != b'"' {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while let Some(&byte) = bytes.get(i).filter(|byte| **byte != b'"') {
            i += if byte == b'\\' { 2 } else { 1 };
        }
        let end = (i + 1).min(bytes.len());
        i = end;
        let mut after = i;
        while bytes.get(after).is_some_and(u8::is_ascii_whitespace) {
            after += 1;
        }
        if bytes.get(after) == Some(&b':') && end > start + 1 {
            let raw = &text[start + 1..end - 1];
            if keys.contains_key(raw) {
                continue;
            }
            // Only a key with escapes needs decoding.
            let key = if raw.contains('\\') {
                match serde_json::from_str(&text[start..end]) {
                    Ok(Value::String(key)) => key,
                    _ => continue,
                }
            } else {
                raw.to_owned()
            };
            keys.entry(key)
                .or_insert(Span::new(base + start, base + end));
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::key_offsets;

    #[test]
    fn files_of_the_wrong_shape_are_refused_where_they_go_wrong() {
        let text = r#"{"format": "qc-translation/1", "language": "fr",
  "strings": {"q1.label": {"source_hash": "0", "text": 5}}}"#;
        let (problem, span) = super::read(text, 10).expect_err("a number is not a text");
        let message = problem.to_string();
        assert!(message.contains("wrong shape"), "{message}");
        assert_eq!(Some(span.start), text.find('5').map(|at| 10 + at));
        let missing = super::read(r#"{"format": "qc-translation/1", "strings": {}}"#, 0);
        assert!(missing.is_err());
        let twice = r#"{"format": "qc-translation/1", "language": "fr", "strings": {
  "title": {"source_hash": "0", "text": "a"}, "title": {"source_hash": "0", "text": "b"}}}"#;
        let (problem, _) = super::read(twice, 0).expect_err("a key written twice");
        assert!(problem.to_string().contains("written twice"), "{problem}");
    }

    #[test]
    fn keys_are_found_where_they_are_written() {
        let text = r#"{"strings": {"q1.label": {"text": "a \"q\": b"}}}"#;
        let keys = key_offsets(text, 100);
        let span = keys["q1.label"];
        assert_eq!(&text[span.start - 100..span.end - 100], "\"q1.label\"");
        assert!(!keys.contains_key("a \"q\": b"));
    }
}

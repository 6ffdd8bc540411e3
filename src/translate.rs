//! Translations: every text of an instrument under a stable key, the translation files that
//! give those texts in other languages, and what is missing or stale in them.
//!
//! A translation file is JSON, one per language (`docs/language.md#translations`):
//!
//! ```json
//! { "format": "qc-translation/1", "language": "fr", "status": "unofficial draft",
//!   "strings": { "q1.label": { "source": "…", "source_hash": "…", "text": "…" } } }
//! ```
//!
//! Each entry keeps a hash of the source text it translates. When the source text changes,
//! the hash no longer matches and the entry is stale: it is reported, and left out of the
//! compiled form until a translator has reviewed it. This module reads the model and the
//! files' texts; reading and writing files is the binary's.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::check::error::CheckError;
use crate::load::Program;
use crate::model::{Answer, Block, Instrument, Translation};
use crate::span::Span;

/// The format name written in, and required of, translation files.
pub const FORMAT: &str = crate::load::TRANSLATION_FORMAT;

/// The six official languages of the United Nations.
pub const UN_LANGUAGES: [&str; 6] = ["ar", "zh", "en", "fr", "ru", "es"];

/// Languages written from right to left, by ISO 639-1 code.
const RIGHT_TO_LEFT: [&str; 10] = ["ar", "ckb", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"];

/// Whether a language is written from right to left (`ar`, `ar-EG`, `fa`…).
pub fn is_rtl(language: &str) -> bool {
    let primary = language.split(['-', '_']).next().unwrap_or(language);
    RIGHT_TO_LEFT.contains(&primary.to_ascii_lowercase().as_str())
}

/// The hash kept with a translation of `source`: the first 16 hex digits of its SHA-256.
pub fn source_hash(source: &str) -> String {
    let digest = Sha256::digest(source.as_bytes());
    digest
        .iter()
        .take(8)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Calls `f` with the key and a mutable reference of every text of the instrument that a
/// respondent reads, in document order. The one list of what is translatable: reading the
/// texts, applying a translation and writing a template all go through it.
pub fn visit_texts(instrument: &mut Instrument, f: &mut dyn FnMut(&str, &mut String)) {
    f("title", &mut instrument.title);
    if let Some(resolution) = &mut instrument.resolution {
        f("resolution", resolution);
    }
    prose(&mut instrument.introduction, "introduction", f);
    // Inline options belong to the item, or the record field, that declares them.
    let mut owners: HashMap<usize, String> = HashMap::default();
    for item in &instrument.items {
        match &item.answer {
            Some(Answer::Choice { scale, .. }) => {
                owners.insert(scale.0, item.id.clone());
            }
            Some(Answer::List(list)) => {
                for field in &list.fields {
                    if let Answer::Choice { scale, .. } = &field.answer {
                        owners.insert(scale.0, format!("{}.{}", item.id, field.id));
                    }
                }
            }
            _ => {}
        }
    }
    for (index, scale) in instrument.scales.iter_mut().enumerate() {
        let prefix = match &scale.name {
            Some(name) => format!("scale.{name}"),
            None => match owners.get(&index) {
                Some(owner) => format!("{owner}.option"),
                None => continue,
            },
        };
        if let Some(label) = &mut scale.label {
            f(&format!("{prefix}.label"), label);
        }
        for choice in &mut scale.options {
            f(&format!("{prefix}.{}", choice.code), &mut choice.label);
        }
    }
    for special in &mut instrument.specials {
        f(&format!("special.{}", special.code), &mut special.label);
    }
    for document in &mut instrument.documents {
        let prefix = format!("document.{}", document.id);
        f(&format!("{prefix}.title"), &mut document.title);
        for paragraph in &mut document.paragraphs {
            let prefix = format!("{prefix}.{}", paragraph.number);
            if let Some(heading) = &mut paragraph.heading {
                f(&format!("{prefix}.heading"), heading);
            }
            if let Some(text) = &mut paragraph.text {
                f(&prefix, text);
            }
            for sub in &mut paragraph.subparagraphs {
                if let Some(text) = &mut sub.text {
                    f(&format!("{prefix}.{}", sub.letter), text);
                }
            }
        }
    }
    for section in &mut instrument.sections {
        let prefix = format!("section.{}", section.id);
        f(&format!("{prefix}.title"), &mut section.title);
        prose(&mut section.content, &prefix, f);
        constraints(&mut section.constraints, &prefix, f);
    }
    for item in &mut instrument.items {
        let id = item.id.clone();
        f(&format!("{id}.label"), &mut item.label);
        for (index, help) in item.help.iter_mut().enumerate() {
            f(&format!("{id}.help.{}", index + 1), help);
        }
        for (index, note) in item.notes.iter_mut().enumerate() {
            f(&format!("{id}.note.{}", index + 1), note);
        }
        constraints(&mut item.constraints, &id, f);
        match &mut item.answer {
            Some(Answer::List(list)) => {
                for field in &mut list.fields {
                    f(&format!("{id}.{}.label", field.id), &mut field.label);
                }
                constraints(&mut list.constraints, &format!("{id}.record"), f);
            }
            Some(Answer::Table(table)) => {
                for row in &mut table.rows {
                    f(&format!("{id}.row.{}", row.id), &mut row.label);
                }
                for column in &mut table.columns {
                    f(&format!("{id}.column.{}", column.id), &mut column.label);
                }
            }
            Some(Answer::Grid(grid)) => {
                for column in &mut grid.columns {
                    f(&format!("{id}.column.{}", column.id), &mut column.label);
                }
                for row in &mut grid.rows {
                    f(&format!("{id}.row.{}", row.id), &mut row.label);
                }
            }
            _ => {}
        }
    }
}

/// The messages of constraints, numbered from 1 for their owner.
fn constraints(
    constraints: &mut [crate::model::Constraint],
    prefix: &str,
    f: &mut dyn FnMut(&str, &mut String),
) {
    for (index, constraint) in constraints.iter_mut().enumerate() {
        f(
            &format!("{prefix}.check.{}", index + 1),
            &mut constraint.message,
        );
    }
}

/// The texts and headings of a run of prose, numbered from 1 in their section.
fn prose(blocks: &mut [Block], prefix: &str, f: &mut dyn FnMut(&str, &mut String)) {
    let mut number = 0;
    for block in blocks {
        if let Block::Text(text) | Block::Heading(text) = block {
            number += 1;
            f(&format!("{prefix}.{number}"), text);
        }
    }
}

/// Every translatable text of an instrument, by key, in document order.
pub fn texts(instrument: &Instrument) -> Vec<(String, String)> {
    let mut copy = instrument.clone();
    let mut out = Vec::new();
    visit_texts(&mut copy, &mut |key, text| {
        out.push((key.to_owned(), text.clone()))
    });
    out
}

/// The instrument in one of its languages, and in that one only: every text that the
/// translation into `language` gives replaces the source text, the others stay as they are,
/// and the translations are left out. `None` when the instrument has no translation into that
/// language and it is not its own.
pub fn localize(instrument: &Instrument, language: &str) -> Option<Instrument> {
    let mut out = instrument.clone();
    out.translations = Vec::new();
    if instrument.language.as_deref() == Some(language) {
        return Some(out);
    }
    let translation = instrument
        .translations
        .iter()
        .find(|translation| translation.language == language)?;
    visit_texts(&mut out, &mut |key, text| {
        if let Some(translated) = translation.strings.get(key) {
            text.clone_from(translated);
        }
    });
    out.language = Some(language.to_owned());
    Some(out)
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
    fn key_span(&self, key: &str) -> Span {
        self.key_spans.get(key).copied().unwrap_or(self.span)
    }
}

/// Reads a translation file whose text starts at `base` in the source map. An error is a
/// diagnostic located in the file.
pub fn read(text: &str, base: usize) -> Result<File, CheckError> {
    let whole = Span::new(base, base + text.len());
    let error = |message: String, span: Span, label: &str| CheckError::TranslationFile {
        message,
        span,
        label: label.to_owned(),
    };
    let file: FileText = serde_json::from_str(text).map_err(|e| {
        let offset = offset_of(text, e.line(), e.column());
        let at = Span::new(base + offset, base + offset + 1);
        let what = match e.classify() {
            serde_json::error::Category::Data => "has the wrong shape",
            _ => "is not JSON",
        };
        error(format!("a translation file {what}: {e}"), at, "here")
    })?;
    let key_spans = key_offsets(text, base);
    let at = |key: &str| key_spans.get(key).copied().unwrap_or(whole);
    if file.format.as_deref() != Some(FORMAT) {
        return Err(error(
            format!("a translation file says `\"format\": \"{FORMAT}\"`"),
            at("format"),
            "missing or another format",
        ));
    }
    let Some(language) = file.language else {
        return Err(error(
            "a translation file names its `language`".to_owned(),
            whole,
            "no `language` string",
        ));
    };
    let status = file.status;
    let mut entries = Vec::with_capacity(file.strings.0.len());
    let mut seen: HashMap<String, ()> = HashMap::default();
    for (key, entry) in file.strings.0 {
        if seen.insert(key.clone(), ()).is_some() {
            return Err(error(
                format!("entry `{key}` is written twice"),
                at(&key),
                "first written here",
            ));
        }
        let (Some(source_hash), Some(text)) = (entry.source_hash, entry.text) else {
            return Err(error(
                format!("entry `{key}` needs `source_hash` and `text` strings"),
                at(&key),
                "incomplete entry",
            ));
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
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < bytes.len() && bytes[i] != b'"' {
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        let end = (i + 1).min(bytes.len());
        i = end;
        let mut after = i;
        while after < bytes.len() && bytes[after].is_ascii_whitespace() {
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

/// Reads the translation files of a program, reports what is wrong, missing or stale in them,
/// and gives the instrument the translations that are current.
pub(crate) fn check(instrument: &mut Instrument, program: &Program) -> Vec<CheckError> {
    let mut problems = Vec::new();
    if program.translations.is_empty() {
        return problems;
    }
    let texts = texts(instrument);
    let sources: HashMap<&str, &str> = texts
        .iter()
        .map(|(key, text)| (key.as_str(), text.as_str()))
        .collect();
    let mut seen: HashMap<&str, Span> = HashMap::default();
    for declared in &program.translations {
        let source = program.sources.file(declared.file);
        if let Some(first) = seen.insert(&declared.language, declared.span) {
            problems.push(CheckError::Duplicate {
                kind: "translation",
                name: declared.language.clone(),
                span: declared.span,
                first: crate::check::error::Note::new(first, "first declared here"),
            });
            continue;
        }
        let file = match read(&source.text, source.base) {
            Ok(file) => file,
            Err(error) => {
                problems.push(error);
                continue;
            }
        };
        if file.language != declared.language {
            problems.push(CheckError::TranslationFile {
                message: format!(
                    "the file of the `{}` translation is in `{}`",
                    declared.language, file.language
                ),
                span: file.key_span("language"),
                label: format!("expected `{}`", declared.language),
            });
            continue;
        }
        let mut strings = BTreeMap::new();
        for (key, entry) in &file.entries {
            let Some(current) = sources.get(key.as_str()) else {
                problems.push(CheckError::UnknownTranslationKey {
                    language: file.language.clone(),
                    key: key.clone(),
                    span: file.key_span(key),
                });
                continue;
            };
            if entry.text.is_empty() {
                continue;
            }
            if entry.review || entry.source_hash != source_hash(current) {
                problems.push(CheckError::StaleTranslation {
                    language: file.language.clone(),
                    key: key.clone(),
                    span: file.key_span(key),
                    reason: if entry.review {
                        "marked for review".to_owned()
                    } else {
                        "the source text changed".to_owned()
                    },
                });
                continue;
            }
            strings.insert(key.clone(), entry.text.clone());
        }
        let given: HashMap<&str, &Entry> = file
            .entries
            .iter()
            .map(|(key, entry)| (key.as_str(), entry))
            .collect();
        let missing: Vec<&str> = texts
            .iter()
            .map(|(key, _)| key.as_str())
            .filter(|key| given.get(key).is_none_or(|entry| entry.text.is_empty()))
            .collect();
        if !missing.is_empty() {
            problems.push(missing_note(
                &file.language,
                &missing,
                texts.len(),
                declared.span,
            ));
        }
        instrument.translations.push(Translation {
            language: file.language.clone(),
            rtl: is_rtl(&file.language),
            status: file.status.clone(),
            strings,
        });
    }
    problems
}

fn missing_note(language: &str, missing: &[&str], total: usize, span: Span) -> CheckError {
    let shown: Vec<String> = missing
        .iter()
        .take(5)
        .map(|key| format!("`{key}`"))
        .collect();
    let more = if missing.len() > 5 {
        format!(" and {} more", missing.len() - 5)
    } else {
        String::new()
    };
    CheckError::MissingTranslations {
        language: language.to_owned(),
        missing: missing.len(),
        total,
        span,
        detail: format!("untranslated: {}{more}", shown.join(", ")),
        help: Some(format!(
            "fill in the empty `text` of these entries in the `{language}` file; `qc translations update` adds the keys it lacks"
        )),
    }
}

/// A translation file for `language` with every key of the instrument: the entries of
/// `existing` that are current are kept as they are; those whose source changed keep their
/// text, take the new source and hash, and are marked for review; new keys get empty texts.
/// Keys that no longer exist are dropped.
pub fn update(instrument: &Instrument, language: &str, existing: Option<&File>) -> String {
    let old: HashMap<&str, &Entry> = existing
        .map(|file| {
            file.entries
                .iter()
                .map(|(key, entry)| (key.as_str(), entry))
                .collect()
        })
        .unwrap_or_default();
    let mut strings = Map::new();
    for (key, source) in texts(instrument) {
        let hash = source_hash(&source);
        let entry = match old.get(key.as_str()) {
            Some(entry) if entry.source_hash == hash => (*entry).clone(),
            Some(entry) => Entry {
                source,
                source_hash: hash,
                text: entry.text.clone(),
                review: !entry.text.is_empty(),
            },
            None => Entry {
                source,
                source_hash: hash,
                text: String::new(),
                review: false,
            },
        };
        strings.insert(key, serde_json::to_value(entry).unwrap_or_default());
    }
    let mut file = Map::new();
    file.insert("format".to_owned(), FORMAT.into());
    file.insert("language".to_owned(), language.into());
    if let Some(status) = existing.and_then(|file| file.status.clone()) {
        file.insert("status".to_owned(), status.into());
    }
    file.insert("strings".to_owned(), Value::Object(strings));
    let mut text = serde_json::to_string_pretty(&Value::Object(file)).unwrap_or_default();
    text.push('\n');
    text
}

/// How far the translation into one language has come.
#[derive(Debug, Serialize)]
pub struct Progress {
    pub language: String,
    pub direction: &'static str,
    /// Whether the instrument declares a translation into this language.
    pub declared: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    pub total: usize,
    pub translated: usize,
}

/// The progress of every declared translation, then of each official language of the United
/// Nations that has none (the instrument's own language aside).
pub fn progress(instrument: &Instrument) -> Vec<Progress> {
    let total = texts(instrument).len();
    let direction = |language: &str| if is_rtl(language) { "rtl" } else { "ltr" };
    let mut out: Vec<Progress> = instrument
        .translations
        .iter()
        .map(|translation| Progress {
            language: translation.language.clone(),
            direction: direction(&translation.language),
            declared: true,
            status: translation.status.clone(),
            total,
            translated: translation.strings.len(),
        })
        .collect();
    for language in UN_LANGUAGES {
        let own = instrument.language.as_deref() == Some(language);
        if own || out.iter().any(|p| p.language == language) {
            continue;
        }
        out.push(Progress {
            language: language.to_owned(),
            direction: direction(language),
            declared: false,
            status: None,
            total,
            translated: 0,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{is_rtl, key_offsets, source_hash};

    #[test]
    fn arabic_and_hebrew_are_right_to_left() {
        assert!(is_rtl("ar") && is_rtl("ar-EG") && is_rtl("he"));
        assert!(!is_rtl("fr") && !is_rtl("zh") && !is_rtl("ru"));
    }

    #[test]
    fn hashes_are_short_and_stable() {
        assert_eq!(source_hash("Yes"), source_hash("Yes"));
        assert_ne!(source_hash("Yes"), source_hash("Yes "));
        assert_eq!(source_hash("Yes").len(), 16);
    }

    #[test]
    fn files_of_the_wrong_shape_are_refused_where_they_go_wrong() {
        let text = r#"{"format": "qc-translation/1", "language": "fr",
  "strings": {"q1.label": {"source_hash": "0", "text": 5}}}"#;
        let error = super::read(text, 10).expect_err("a number is not a text");
        let message = error.to_string();
        assert!(message.contains("wrong shape"), "{message}");
        assert_eq!(error.span().start, 10 + text.find('5').expect("the 5"));
        let missing = super::read(r#"{"format": "qc-translation/1", "strings": {}}"#, 0);
        assert!(missing.is_err());
        let twice = r#"{"format": "qc-translation/1", "language": "fr", "strings": {
  "title": {"source_hash": "0", "text": "a"}, "title": {"source_hash": "0", "text": "b"}}}"#;
        let error = super::read(twice, 0).expect_err("a key written twice");
        assert!(error.to_string().contains("written twice"), "{error}");
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

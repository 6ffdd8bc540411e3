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

use miette::Diagnostic;
use rustc_hash::FxHashMap as HashMap;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::load::translation::{Entry, File, FORMAT};
use crate::load::TranslationSource;
use crate::model::{AnswerType, Block, Instrument, ScaleId, Text, Translation};
use crate::span::Span;

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

/// A translatable text of the instrument, as [`visit_texts`] gives it.
pub enum Slot<'t> {
    /// A title, a document's text: shown as it is.
    Plain(&'t mut String),
    /// A label, help, note or message, which may pipe values: translation files write it
    /// as the compiled form does (`{id}`, and `{{` and `}}` for braces).
    Piped(&'t mut Text),
}

/// Calls `f` with the key and a mutable reference of every text of the instrument that a
/// respondent reads, in document order. The one list of what is translatable: reading the
/// texts, applying a translation and writing a template all go through it.
pub fn visit_texts(instrument: &mut Instrument, f: &mut dyn FnMut(&str, Slot<'_>)) {
    f("title", Slot::Plain(&mut instrument.title));
    if let Some(resolution) = &mut instrument.resolution {
        f("resolution", Slot::Plain(resolution));
    }
    prose(&mut instrument.introduction, "introduction", f);
    // Inline options belong to the item, or the record field, that declares them.
    let mut owners: HashMap<ScaleId, String> = HashMap::default();
    for item in &instrument.items {
        match &item.answer {
            Some(AnswerType::Choice { scale, .. }) => {
                owners.insert(*scale, item.id.clone());
            }
            Some(AnswerType::List(list)) => {
                for field in &list.fields {
                    if let AnswerType::Choice { scale, .. } = &field.answer {
                        owners.insert(*scale, format!("{}.{}", item.id, field.id));
                    }
                }
            }
            _ => {}
        }
    }
    for (index, scale) in instrument.scales.iter_mut_enumerated() {
        let prefix = match &scale.name {
            Some(name) => format!("scale.{name}"),
            None => match owners.get(&index) {
                Some(owner) => format!("{owner}.option"),
                None => continue,
            },
        };
        if let Some(label) = &mut scale.label {
            f(&format!("{prefix}.label"), Slot::Plain(label));
        }
        for choice in &mut scale.options {
            f(
                &format!("{prefix}.{}", choice.code),
                Slot::Piped(&mut choice.label),
            );
        }
    }
    for special in &mut instrument.specials {
        f(
            &format!("special.{}", special.code),
            Slot::Piped(&mut special.label),
        );
    }
    for document in &mut instrument.documents {
        let prefix = format!("document.{}", document.id);
        f(&format!("{prefix}.title"), Slot::Plain(&mut document.title));
        for paragraph in &mut document.paragraphs {
            let prefix = format!("{prefix}.{}", paragraph.number);
            if let Some(heading) = &mut paragraph.heading {
                f(&format!("{prefix}.heading"), Slot::Plain(heading));
            }
            if let Some(text) = &mut paragraph.text {
                f(&prefix, Slot::Plain(text));
            }
            for sub in &mut paragraph.subparagraphs {
                if let Some(text) = &mut sub.text {
                    f(&format!("{prefix}.{}", sub.letter), Slot::Plain(text));
                }
            }
        }
    }
    for heading in &mut instrument.report {
        f(
            &format!("report.{}", heading.id),
            Slot::Plain(&mut heading.title),
        );
    }
    for section in &mut instrument.sections {
        let prefix = format!("section.{}", section.id);
        f(&format!("{prefix}.title"), Slot::Plain(&mut section.title));
        prose(&mut section.content, &prefix, f);
        constraints(&mut section.constraints, &prefix, f);
    }
    for item in &mut instrument.items {
        let id = item.id.clone();
        f(&format!("{id}.label"), Slot::Piped(&mut item.label));
        for (index, help) in item.help.iter_mut().enumerate() {
            f(&format!("{id}.help.{}", index + 1), Slot::Piped(help));
        }
        for (index, note) in item.notes.iter_mut().enumerate() {
            f(&format!("{id}.note.{}", index + 1), Slot::Piped(note));
        }
        if let Some(cited) = &mut item.cited {
            f(&format!("{id}.citations"), Slot::Plain(cited));
        }
        constraints(&mut item.constraints, &id, f);
        match &mut item.answer {
            Some(AnswerType::List(list)) => {
                for field in &mut list.fields {
                    let key = format!("{id}.{}.label", field.id);
                    f(&key, Slot::Piped(&mut field.label));
                    for (index, help) in field.help.iter_mut().enumerate() {
                        let key = format!("{id}.{}.help.{}", field.id, index + 1);
                        f(&key, Slot::Piped(help));
                    }
                    for (index, note) in field.notes.iter_mut().enumerate() {
                        let key = format!("{id}.{}.note.{}", field.id, index + 1);
                        f(&key, Slot::Piped(note));
                    }
                }
                constraints(&mut list.constraints, &format!("{id}.record"), f);
            }
            Some(AnswerType::Table(table)) => {
                let lines = [("row", &mut table.rows), ("column", &mut table.columns)];
                for (kind, lines) in lines {
                    for line in lines.iter_mut() {
                        let key = format!("{id}.{kind}.{}", line.id);
                        f(&key, Slot::Piped(&mut line.label));
                        if let Some(cited) = &mut line.cited {
                            f(&format!("{key}.citations"), Slot::Plain(cited));
                        }
                    }
                }
            }
            Some(AnswerType::Grid(grid)) => {
                for column in &mut grid.columns {
                    let key = format!("{id}.column.{}", column.id);
                    f(&key, Slot::Piped(&mut column.label));
                }
                for row in &mut grid.rows {
                    let key = format!("{id}.row.{}", row.id);
                    f(&key, Slot::Piped(&mut row.label));
                    if let Some(cited) = &mut row.cited {
                        f(&format!("{key}.citations"), Slot::Plain(cited));
                    }
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
    f: &mut dyn FnMut(&str, Slot<'_>),
) {
    for (index, constraint) in constraints.iter_mut().enumerate() {
        f(
            &format!("{prefix}.check.{}", index + 1),
            Slot::Piped(&mut constraint.message),
        );
    }
}

/// The texts and headings of a run of prose, numbered from 1 in their section.
fn prose(blocks: &mut [Block], prefix: &str, f: &mut dyn FnMut(&str, Slot<'_>)) {
    let mut number = 0;
    for text in blocks.iter_mut().filter_map(Block::text_mut) {
        number += 1;
        f(&format!("{prefix}.{number}"), Slot::Piped(text));
    }
}

/// A text of the instrument under its key, as translation files write it.
pub struct Source {
    pub key: String,
    pub text: String,
    /// Whether it may pipe values.
    pub piped: bool,
}

/// Every translatable text of an instrument, by key, in document order.
pub fn sources(instrument: &Instrument) -> Vec<Source> {
    let mut copy = instrument.clone();
    let mut out = Vec::new();
    visit_texts(&mut copy, &mut |key, slot| {
        let (text, piped) = match slot {
            Slot::Plain(text) => (text.clone(), false),
            Slot::Piped(text) => (instrument.written(text), true),
        };
        out.push(Source {
            key: key.to_owned(),
            text,
            piped,
        });
    });
    out
}

/// Every translatable text of an instrument, by key, in document order, as translation files
/// write it.
pub fn texts(instrument: &Instrument) -> Vec<(String, String)> {
    sources(instrument)
        .into_iter()
        .map(|source| (source.key, source.text))
        .collect()
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
    let piped = instrument.pipe_targets();
    let mut fallbacks = Vec::new();
    visit_texts(&mut out, &mut |key, slot| {
        let Some(translated) = translation.strings.get(key) else {
            let empty = match &slot {
                Slot::Plain(text) => text.is_empty(),
                Slot::Piped(text) => text.parts().is_empty(),
            };
            if !empty {
                fallbacks.push(key.to_owned());
            }
            return;
        };
        match slot {
            Slot::Plain(text) => text.clone_from(translated),
            // `check` kept only translations whose pipes name items.
            Slot::Piped(text) => match Text::read(translated, |name| piped.get(name).copied()) {
                Ok(read) => *text = read,
                Err(_) => fallbacks.push(key.to_owned()),
            },
        }
    });
    out.localized = Some(crate::model::Localized {
        source: instrument
            .language
            .clone()
            .unwrap_or_else(|| "und".to_owned()),
        rtl: translation.rtl,
        status: translation.status.clone(),
        fallbacks,
    });
    out.language = Some(language.to_owned());
    Some(out)
}

/// A diagnostic of the translation stage: what is stale, unknown or missing in a translation
/// file, against the texts of the checked instrument.
#[derive(Clone, Debug, Error, Diagnostic, PartialEq)]
pub enum TranslationError {
    #[error("the `{language}` translation of `{key}` is stale")]
    #[diagnostic(
        code(W0206),
        severity(Warning),
        help("the compiled form shows the source text instead; `qc translations update` marks changed entries for review: check the text, then delete `\"review\": true`")
    )]
    Stale {
        language: String,
        key: String,
        #[label("{}", if *review { "marked for review" } else { "the source text changed" })]
        span: Span,
        /// Marked for review, rather than translated from another source text.
        review: bool,
    },

    #[error("the `{language}` translation has `{key}`, which names no text of the instrument")]
    #[diagnostic(
        code(W0207),
        severity(Warning),
        help(
            "the text was removed or its item renamed; `qc translations update` drops such entries"
        )
    )]
    UnknownKey {
        language: String,
        key: String,
        #[label("no text has this key")]
        span: Span,
    },

    #[error(
        "the `{language}` translation of `{key}` shows `{{{name}}}`, which is no item's answer"
    )]
    #[diagnostic(
        code(W0209),
        severity(Warning),
        help("`{{id}}` shows the answer of an item, as in the source text; write `{{{{` and `}}}}` for braces")
    )]
    UnknownPipe {
        language: String,
        key: String,
        /// What the braces name.
        name: String,
        #[label("the compiled form shows the source text instead")]
        span: Span,
    },

    #[error("{language}: {} of {total} text(s) are not translated", missing.len())]
    #[diagnostic(
        code(N0001),
        severity(Advice),
        help("fill in the empty `text` of these entries in the `{language}` file; `qc translations update` adds the keys it lacks")
    )]
    Missing {
        language: String,
        /// The keys without a text.
        missing: Vec<String>,
        total: usize,
        #[label("untranslated: {}", listed(missing))]
        span: Span,
    },
}

/// The first five keys, and how many more.
fn listed(keys: &[String]) -> String {
    let shown: Vec<String> = keys.iter().take(5).map(|key| format!("`{key}`")).collect();
    let more = if keys.len() > 5 {
        format!(" and {} more", keys.len() - 5)
    } else {
        String::new()
    };
    format!("{}{more}", shown.join(", "))
}

/// Reports what is missing or stale in the translation files of a program, against the texts
/// of the checked instrument, and gives the instrument the translations that are current.
pub fn check(instrument: &mut Instrument, files: &[TranslationSource]) -> Vec<TranslationError> {
    let mut problems = Vec::new();
    if files.is_empty() {
        return problems;
    }
    let texts = sources(instrument);
    let by_key: HashMap<&str, &Source> = texts
        .iter()
        .map(|source| (source.key.as_str(), source))
        .collect();
    let piped = instrument.pipe_targets();
    let mut translations = Vec::new();
    for declared in files {
        let file = &declared.contents;
        let mut strings = BTreeMap::new();
        for (key, entry) in &file.entries {
            let Some(current) = by_key.get(key.as_str()) else {
                problems.push(TranslationError::UnknownKey {
                    language: file.language.clone(),
                    key: key.clone(),
                    span: file.key_span(key),
                });
                continue;
            };
            if entry.text.is_empty() {
                continue;
            }
            if entry.review || entry.source_hash != source_hash(&current.text) {
                problems.push(TranslationError::Stale {
                    language: file.language.clone(),
                    key: key.clone(),
                    span: file.key_span(key),
                    review: entry.review,
                });
                continue;
            }
            if current.piped {
                if let Err(unknown) = Text::read(&entry.text, |name| piped.get(name).copied()) {
                    problems.push(TranslationError::UnknownPipe {
                        language: file.language.clone(),
                        key: key.clone(),
                        name: unknown.name,
                        span: file.key_span(key),
                    });
                    continue;
                }
            }
            strings.insert(key.clone(), entry.text.clone());
        }
        let given: HashMap<&str, &Entry> = file
            .entries
            .iter()
            .map(|(key, entry)| (key.as_str(), entry))
            .collect();
        let missing: Vec<String> = texts
            .iter()
            .map(|source| &source.key)
            .filter(|key| {
                given
                    .get(key.as_str())
                    .is_none_or(|entry| entry.text.is_empty())
            })
            .cloned()
            .collect();
        if !missing.is_empty() {
            problems.push(TranslationError::Missing {
                language: file.language.clone(),
                missing,
                total: texts.len(),
                span: declared.span,
            });
        }
        translations.push(Translation {
            language: file.language.clone(),
            rtl: is_rtl(&file.language),
            status: file.status.clone(),
            strings,
        });
    }
    instrument.translations.extend(translations);
    problems
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
#[derive(Debug, serde::Serialize)]
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
    use super::{is_rtl, source_hash};

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
}

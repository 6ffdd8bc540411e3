//! Questions that different instruments ask twice (`qc overlap`), as operative para. 9 of
//! resolution 2006/20 asks of a questionnaire submitted for approval: whether what it seeks
//! could be obtained from an existing one.
//!
//! Two questions overlap when they cite the same paragraph of the same document, or when their
//! wording is alike. **The measure of wording** is the Jaccard index of their content words:
//! the words of the label (and of a grid's rows), lower-cased, of three letters or more, less
//! the common words of [`STOP_WORDS`], each cut to its first six letters so that "prevent",
//! "prevention" and "preventive" count as one; the index is the number of words both have
//! divided by the number either has. A pair is listed when its index is at least the
//! threshold (0.5 by default) and each label has at least [`MIN_WORDS`] content words, or when
//! it shares a citation and its index is at least half the threshold. The questions of a
//! respondent block (who replies) are left out.
//!
//! Cost: questions are compared only with those that share a citation or a word, and a word
//! or a paragraph that more than [`COMMON`] questions of an instrument use is not a reason to
//! compare, so the work grows with the questions, not with their pairs.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::model::{AnswerType, Citation, Instrument, Item};

/// Words too common to tell questions apart.
pub const STOP_WORDS: &[&str] = &[
    "the",
    "and",
    "for",
    "are",
    "any",
    "has",
    "have",
    "its",
    "this",
    "that",
    "with",
    "what",
    "which",
    "who",
    "whom",
    "whose",
    "how",
    "does",
    "did",
    "your",
    "you",
    "there",
    "their",
    "they",
    "from",
    "into",
    "been",
    "being",
    "was",
    "were",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "please",
    "other",
    "such",
    "not",
    "yes",
    "all",
    "also",
    "each",
    "more",
    "most",
    "some",
    "than",
    "then",
    "these",
    "those",
    "when",
    "where",
    "why",
    "answer",
    "question",
    "questions",
    "following",
    "above",
    "below",
    "box",
    "boxes",
    "mark",
    "if",
];

/// Two labels are compared by wording alone when each has at least this many content words:
/// "Please describe briefly." says nothing of what is asked.
pub const MIN_WORDS: usize = 3;

/// A word (or a paragraph) used (or cited) by more questions than this in one instrument is not
/// a reason to compare two.
pub const COMMON: usize = 50;

/// A question of one instrument, as the report of overlaps shows it.
#[derive(Clone, Debug, Serialize)]
pub struct Question {
    pub instrument: String,
    pub item: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    pub label: String,
}

/// Two questions of different instruments that may ask the same thing.
#[derive(Clone, Debug, Serialize)]
pub struct Pair {
    pub a: Question,
    pub b: Question,
    /// The Jaccard index of their content words, from 0 to 1.
    pub similarity: f64,
    /// The paragraphs both cite, a document each: `Guidelines for the Prevention of Crime,
    /// paras. 6 (a), 17 and 18`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shared_citations: Vec<String>,
}

/// What one question brings to the comparison.
struct Entry<'i> {
    instrument: usize,
    item: &'i Item,
    words: FxHashSet<String>,
    /// Each citation as (document title, paragraph number, subparagraph).
    cites: FxHashSet<(String, String, Option<String>)>,
}

/// The pairs of questions of different instruments that overlap, the most alike first.
pub fn overlaps(instruments: &[&Instrument], threshold: f64) -> Vec<Pair> {
    let mut entries: Vec<Entry<'_>> = Vec::new();
    for (index, instrument) in instruments.iter().enumerate() {
        // The questions that ask something: not those of the respondent block, which say who
        // replies.
        let asks = |item: &&Item| {
            item.answer.is_some()
                && !instrument
                    .sections
                    .get(item.section)
                    .is_some_and(|section| section.respondent)
        };
        for item in instrument.items.iter().filter(asks) {
            entries.push(Entry {
                instrument: index,
                item,
                words: words(&label_text(instrument, item)),
                cites: citations(instrument, item),
            });
        }
    }
    // The candidates: questions that share a word (not too common) or a citation.
    let mut by_key: FxHashMap<(usize, String), Vec<usize>> = FxHashMap::default();
    for (index, entry) in entries.iter().enumerate() {
        for word in &entry.words {
            by_key
                .entry((entry.instrument, format!("w:{word}")))
                .or_default()
                .push(index);
        }
        for (document, paragraph, sub) in &entry.cites {
            let key = format!(
                "c:{document}\u{1f}{paragraph}\u{1f}{}",
                sub.as_deref().unwrap_or("")
            );
            by_key
                .entry((entry.instrument, key))
                .or_default()
                .push(index);
        }
    }
    let mut keys: FxHashMap<&str, Vec<&Vec<usize>>> = FxHashMap::default();
    for ((_, key), list) in &by_key {
        if list.len() <= COMMON {
            keys.entry(key.as_str()).or_default().push(list);
        }
    }
    let mut candidates: FxHashSet<(usize, usize)> = FxHashSet::default();
    for lists in keys.values() {
        for (i, first) in lists.iter().enumerate() {
            for second in lists.iter().skip(i + 1) {
                for &a in first.iter() {
                    for &b in second.iter() {
                        candidates.insert((a.min(b), a.max(b)));
                    }
                }
            }
        }
    }
    let mut pairs: Vec<Pair> = Vec::new();
    let mut candidates: Vec<(usize, usize)> = candidates.into_iter().collect();
    candidates.sort_unstable();
    for (a, b) in candidates {
        let (Some(first), Some(second)) = (entries.get(a), entries.get(b)) else {
            continue;
        };
        let similarity = jaccard(&first.words, &second.words);
        let mut shared: Vec<&(String, String, Option<String>)> =
            first.cites.intersection(&second.cites).collect();
        shared.sort();
        let worded = first.words.len().min(second.words.len()) >= MIN_WORDS;
        let listed = (worded && similarity >= threshold)
            || (!shared.is_empty() && similarity >= threshold / 2.0);
        if !listed {
            continue;
        }
        let question = |entry: &Entry<'_>| {
            let instrument = instruments.get(entry.instrument).copied();
            Question {
                instrument: instrument.map_or(String::new(), |i| i.id.clone()),
                item: entry.item.id.clone(),
                number: entry.item.number.clone(),
                label: instrument.map_or(String::new(), |i| i.written(&entry.item.label)),
            }
        };
        pairs.push(Pair {
            a: question(first),
            b: question(second),
            similarity: (similarity * 100.0).round() / 100.0,
            shared_citations: by_document(&shared),
        });
    }
    pairs.sort_by(|x, y| {
        y.similarity
            .total_cmp(&x.similarity)
            .then_with(|| x.a.item.cmp(&y.a.item))
            .then_with(|| x.b.item.cmp(&y.b.item))
    });
    pairs
}

/// Citations as a person reads them, a document each, its paragraphs in their order.
fn by_document(cites: &[&(String, String, Option<String>)]) -> Vec<String> {
    let mut documents: Vec<(&str, Vec<(u64, String)>)> = Vec::new();
    for (document, paragraph, sub) in cites {
        let shown = match sub {
            Some(sub) => format!("{paragraph} ({sub})"),
            None => paragraph.clone(),
        };
        let order = paragraph.parse::<u64>().unwrap_or(u64::MAX);
        match documents.iter_mut().find(|(title, _)| title == document) {
            Some((_, paragraphs)) => paragraphs.push((order, shown)),
            None => documents.push((document, vec![(order, shown)])),
        }
    }
    documents
        .into_iter()
        .map(|(title, mut paragraphs)| {
            paragraphs.sort();
            let shown: Vec<String> = paragraphs.into_iter().map(|(_, p)| p).collect();
            match shown.split_last() {
                Some((last, [])) => format!("{title}, para. {last}"),
                Some((last, rest)) => format!("{title}, paras. {} and {last}", rest.join(", ")),
                None => title.to_owned(),
            }
        })
        .collect()
}

/// The label of a question, with a grid's rows, which say what it asks about.
fn label_text(instrument: &Instrument, item: &Item) -> String {
    let mut text = instrument.written(&item.label);
    if let Some(AnswerType::Grid(grid)) = &item.answer {
        for row in &grid.rows {
            text.push(' ');
            text.push_str(&instrument.written(&row.label));
        }
    }
    text
}

/// The paragraphs a question cites, with those its grid's rows cite, by document title.
fn citations(instrument: &Instrument, item: &Item) -> FxHashSet<(String, String, Option<String>)> {
    let mut all: Vec<&Citation> = item.citations.iter().collect();
    if let Some(AnswerType::Grid(grid)) = &item.answer {
        all.extend(grid.rows.iter().flat_map(|row| &row.citations));
    }
    all.into_iter()
        .filter_map(|citation| {
            let document = instrument
                .documents
                .iter()
                .nth(usize::from(citation.document))?;
            let paragraph = document
                .paragraphs
                .iter()
                .nth(usize::from(citation.paragraph))?;
            let sub = citation.subparagraph.and_then(|sub| {
                paragraph
                    .subparagraphs
                    .iter()
                    .nth(usize::from(sub))
                    .map(|s| s.letter.clone())
            });
            Some((document.title.clone(), paragraph.number.clone(), sub))
        })
        .collect()
}

/// The content words of a text, as the measure counts them.
pub fn words(text: &str) -> FxHashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|word| word.chars().count() >= 3 && !STOP_WORDS.contains(&word.as_str()))
        .map(|word| word.chars().take(6).collect())
        .collect()
}

/// The Jaccard index of two sets: what both have over what either has; 0 for two empty sets.
pub fn jaccard(a: &FxHashSet<String>, b: &FxHashSet<String>) -> f64 {
    let both = a.intersection(b).count();
    let either = a.len() + b.len() - both;
    if either == 0 {
        0.0
    } else {
        both as f64 / either as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_content_words_cut_to_six_letters() {
        let found = words("Does your country have a crime prevention policy? Preventive work!");
        let mut found: Vec<String> = found.into_iter().collect();
        found.sort();
        assert_eq!(found, ["countr", "crime", "policy", "preven", "work"]);
    }

    #[test]
    fn jaccard_counts_what_both_have_over_what_either_has() {
        let a = words("crime prevention strategy");
        let b = words("prevention strategy for victims");
        assert!((jaccard(&a, &b) - 0.5).abs() < 1e-9);
        assert_eq!(jaccard(&FxHashSet::default(), &FxHashSet::default()), 0.0);
    }
}

//! Prose that agrees with the logic: a label that restates its item's condition ("If the
//! answer to questions 25 and/or 26 is “Yes”", "If the answer to (b) and/or (c) above is
//! “Yes”") must name the questions, sub-items and answers that the condition reads, by their
//! current numbers. Otherwise a renumbered instrument would ship with stale instructions.

use rustc_hash::FxHashSet as HashSet;
use typed_index_collections::TiSlice;

use super::error::CheckError;
use crate::model::{
    AnswerType, CompareOp, Condition, Item, ItemId, ItemKind, Operand, Scale, ScaleId,
};
use crate::span::Span;

/// Warns of labels whose references disagree with their item's condition.
pub(super) fn check(
    items: &TiSlice<ItemId, Item>,
    scales: &TiSlice<ScaleId, Scale>,
    label_spans: &TiSlice<ItemId, Span>,
) -> Vec<CheckError> {
    let mut warnings = Vec::new();
    for (index, item) in items.iter_enumerated() {
        let span = label_spans[index];
        let mut read = Vec::new();
        if let Some(condition) = &item.condition {
            items_read(condition, &mut read);
        }
        let mut warn = |says: String, reads: String| {
            warnings.push(CheckError::ProseDisagrees {
                name: item.id.clone(),
                span,
                says,
                reads,
            })
        };
        let label = item.label.written(|id| items[id].id.as_str());
        if let Some(numbers) = question_numbers(&label) {
            let actual: Vec<String> = sorted(read.iter().filter_map(|&id| question_of(items, id)));
            if sorted(numbers.iter().cloned()) != actual {
                warn(
                    format!("the label names {}", phrase("question", &numbers)),
                    reads(item, &actual, "question"),
                );
            }
        }
        if let Some(letters) = letters_above(&label) {
            let actual: Vec<String> = sorted(read.iter().filter_map(|&id| {
                let marker = items[id].marker.as_deref()?;
                Some(marker.trim_matches(['(', ')']).to_owned())
            }));
            if sorted(letters.iter().cloned()) != actual {
                let shown: Vec<String> = letters.iter().map(|l| format!("({l})")).collect();
                let actual_shown: Vec<String> = actual.iter().map(|l| format!("({l})")).collect();
                warn(
                    format!("the label names {} above", join(&shown)),
                    if item.condition.is_none() {
                        "the item has no condition".to_owned()
                    } else if actual.is_empty() {
                        "its condition reads no lettered item".to_owned()
                    } else {
                        format!("its condition reads {}", join(&actual_shown))
                    },
                );
            }
        }
        if let (Some(quoted), Some(condition)) = (answers_named(&label), &item.condition) {
            if let Some(labels) = accepted_labels(condition, items, scales) {
                let labels = sorted(labels.into_iter());
                if sorted(quoted.iter().cloned()) != labels {
                    let quote = |list: &[String]| -> Vec<String> {
                        list.iter().map(|l| format!("“{l}”")).collect()
                    };
                    warn(
                        format!("the label names the answer {}", join(&quote(&quoted))),
                        format!("its condition accepts {}", join(&quote(&labels))),
                    );
                }
            }
        }
    }
    warnings
}

fn reads(item: &Item, actual: &[String], what: &str) -> String {
    if item.condition.is_none() {
        "the item has no condition".to_owned()
    } else if actual.is_empty() {
        format!("its condition reads no {what}")
    } else {
        format!("its condition reads {}", phrase(what, actual))
    }
}

/// `question 25` or `questions 25 and 26`.
fn phrase(what: &str, numbers: &[String]) -> String {
    let plural = if numbers.len() == 1 { "" } else { "s" };
    format!("{what}{plural} {}", join(numbers))
}

fn join(list: &[String]) -> String {
    match list {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn sorted(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = values.collect::<HashSet<_>>().into_iter().collect();
    out.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
    out
}

/// The items a condition reads.
fn items_read(condition: &Condition, out: &mut Vec<ItemId>) {
    condition.for_each_item(&mut |item| out.push(item));
}

/// The printed number of the question an item belongs to.
fn question_of(items: &TiSlice<ItemId, Item>, mut id: ItemId) -> Option<String> {
    loop {
        let item = &items[id];
        if item.kind == ItemKind::Question {
            return item.number.clone();
        }
        id = item.parent?;
    }
}

/// The labels of the answers a condition accepts, when it only accepts answers: `q1 = yes`,
/// `on yes, yes_in_part`, and `or`s and `and`s of them. `None` for other conditions.
fn accepted_labels(
    condition: &Condition,
    items: &TiSlice<ItemId, Item>,
    scales: &TiSlice<ScaleId, Scale>,
) -> Option<Vec<String>> {
    let label = |item: ItemId, code: &str| -> Option<String> {
        let Some(AnswerType::Choice { scale, .. }) = &items[item].answer else {
            return None;
        };
        let choice = scales[*scale].options.iter().find(|c| c.code == code)?;
        Some(choice.label.written(|id| items[id].id.as_str()))
    };
    match condition {
        Condition::OneOf { item, codes } => codes.iter().map(|code| label(*item, code)).collect(),
        Condition::Has { item, code } => Some(vec![label(*item, code)?]),
        Condition::Compare {
            op: CompareOp::Eq,
            lhs: Operand::Item(item),
            rhs: Operand::Code(code),
        } => Some(vec![label(*item, code)?]),
        Condition::Or(parts) | Condition::And(parts) => {
            let mut out = Vec::new();
            for part in parts {
                out.extend(accepted_labels(part, items, scales)?);
            }
            Some(out)
        }
        _ => None,
    }
}

/// The words that join the references of a list: `25 and/or 26`, `(b), (c) or (d)`.
const JOINS: [&str; 5] = [" and/or ", ", and ", " and ", " or ", ", "];

/// Splits a leading joining word off `text`.
fn join_word(text: &str) -> Option<&str> {
    JOINS.iter().find_map(|join| text.strip_prefix(join))
}

/// The question numbers a text names: `question 25`, `questions 25 and/or 26`.
fn question_numbers(text: &str) -> Option<Vec<String>> {
    let lower = text.to_ascii_lowercase();
    let mut numbers = Vec::new();
    let mut from = 0;
    while let Some(found) = lower[from..].find("question") {
        let mut rest = &text[from + found + "question".len()..];
        from += found + "question".len();
        rest = rest.strip_prefix('s').unwrap_or(rest);
        let Some(after) = rest.strip_prefix(' ') else {
            continue;
        };
        let mut rest = after;
        loop {
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits == 0 {
                break;
            }
            numbers.push(rest[..digits].to_owned());
            rest = &rest[digits..];
            match join_word(rest) {
                Some(next) => rest = next,
                None => break,
            }
        }
    }
    (!numbers.is_empty()).then_some(numbers)
}

/// The sub-item letters a text names as `(b) and/or (c) above`.
fn letters_above(text: &str) -> Option<Vec<String>> {
    let mut from = 0;
    while let Some(start) = text[from..].find('(') {
        let mut rest = &text[from + start..];
        let mut letters = Vec::new();
        while let Some(letter) = marker(rest) {
            letters.push(letter.to_owned());
            rest = &rest[letter.len() + 2..];
            match join_word(rest) {
                Some(next) if next.starts_with('(') => rest = next,
                _ => break,
            }
        }
        if !letters.is_empty() && rest.starts_with(" above") {
            return Some(letters);
        }
        from += start + 1;
    }
    None
}

/// `(b)` at the start of a text: its letters.
fn marker(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('(')?;
    let end = inner.find(')')?;
    let letters = &inner[..end];
    (!letters.is_empty() && letters.chars().all(|c| c.is_ascii_lowercase())).then_some(letters)
}

/// The answers a text quotes after `answer … is`: `If the answer is “Yes” or “Yes, in part”`.
fn answers_named(text: &str) -> Option<Vec<String>> {
    let lower = text.to_ascii_lowercase();
    let answer = lower.find("if the answer")?;
    let is = lower[answer..].find(" is ")? + answer + " is ".len();
    let mut rest = &text[is..];
    let mut answers = Vec::new();
    loop {
        let (open, close) = if rest.starts_with('“') {
            ('“', '”')
        } else if rest.starts_with('"') {
            ('"', '"')
        } else {
            break;
        };
        let inner = &rest[open.len_utf8()..];
        let end = inner.find(close)?;
        answers.push(inner[..end].to_owned());
        rest = &inner[end + close.len_utf8()..];
        match join_word(rest) {
            Some(next) => rest = next,
            None => break,
        }
    }
    (!answers.is_empty()).then_some(answers)
}

#[cfg(test)]
mod tests {
    use super::{answers_named, letters_above, question_numbers};

    #[test]
    fn question_numbers_are_read_as_printed() {
        let text = "If the answer to questions 25 and/or 26 is “Yes”, please mark the boxes:";
        assert_eq!(
            question_numbers(text),
            Some(vec!["25".to_owned(), "26".to_owned()])
        );
        assert_eq!(
            question_numbers("See question 4."),
            Some(vec!["4".to_owned()])
        );
        assert_eq!(question_numbers("Other questions of the survey"), None);
    }

    #[test]
    fn letters_are_read_before_above() {
        let text = "If the answer to (b) and/or (c) above is “Yes”, please specify.";
        assert_eq!(
            letters_above(text),
            Some(vec!["b".to_owned(), "c".to_owned()])
        );
        assert_eq!(letters_above("(a) The difficulties encountered"), None);
    }

    #[test]
    fn quoted_answers_are_read_after_is() {
        let text = "If the answer is “Yes” or “Yes, in part”, please indicate its title.";
        assert_eq!(
            answers_named(text),
            Some(vec!["Yes".to_owned(), "Yes, in part".to_owned()])
        );
        assert_eq!(answers_named("Please describe."), None);
    }
}

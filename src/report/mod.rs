//! The report on the replies to an instrument (`qc report`): who replied, and for each question
//! what they answered, counted among those it was asked of, with "Not applicable" and special
//! answers shown but left out of the base; free text gathered with its respondent; each grid's
//! boxes with the respondents who ticked them, side by side; and for each paragraph cited, how
//! many respondents answered the questions that cite it.
//!
//! A compilation of replies, not a ranking: nothing here orders or scores respondents.

pub mod html;
pub mod markdown;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::eval::{self, Answers};
use crate::model::{AnswerType, Instrument, Item, ItemId, ItemKind};

/// What the report says of itself, at its head.
pub const STATEMENT: &str = "This report is a compilation of the replies received. It is not \
    a ranking of States or of other respondents, and it does not score them.";

/// An option with this code ("Not applicable") is shown but left out of the base.
pub const NOT_APPLICABLE: &str = "not_applicable";

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub format: &'static str,
    pub instrument: Heading,
    pub statement: &'static str,
    /// The replies the report compiles.
    pub replies: usize,
    pub respondents: Vec<Respondent>,
    pub sections: Vec<SectionReport>,
    /// The headings the instrument gives its report, each with what the items that feed it
    /// were answered, by respondent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headings: Vec<HeadingReport>,
    pub coverage: Vec<Coverage>,
}

/// A heading of the report, and the answers gathered under it.
#[derive(Clone, Debug, Serialize)]
pub struct HeadingReport {
    pub id: String,
    pub title: String,
    pub items: Vec<Gathered>,
}

/// An item that feeds a heading, and what each respondent answered it.
#[derive(Clone, Debug, Serialize)]
pub struct Gathered {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    pub label: String,
    pub said: Vec<Said>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Heading {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// A reply and who sent it: the answers of the instrument's respondent block, if any.
#[derive(Clone, Debug, Serialize)]
pub struct Respondent {
    pub reply: String,
    /// The first answer of the respondent block (such as the Member State), or the reply's id.
    pub name: String,
    pub answers: Vec<Labelled>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Labelled {
    pub item: String,
    pub label: String,
    pub value: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct SectionReport {
    pub id: String,
    pub number: String,
    pub title: String,
    pub items: Vec<ItemReport>,
}

/// What the replies answered to one item.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ItemReport {
    pub id: String,
    /// Its printed number, or that of the item it is under and its id: `1 · q1_steps`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    pub label: String,
    pub kind: &'static str,
    /// The replies it was asked of.
    pub asked: usize,
    /// Of those, the replies that answered it (with a value or a special answer).
    pub answered: usize,
    /// What shares are counted among: the replies that answered with a value other than "Not
    /// applicable".
    pub base: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Count>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub specials: Vec<Count>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numbers: Option<Summary>,
    /// Amounts, summarised in each currency.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub amounts: Vec<(String, Summary)>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub texts: Vec<Said>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grid: Option<GridReport>,
    /// For a list: the records given, in all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<usize>,
}

/// How many chose an option (or gave a special answer), and their share of the base.
#[derive(Clone, Debug, Serialize)]
pub struct Count {
    pub code: String,
    pub label: String,
    pub count: usize,
    /// `None` for what is left out of the base ("Not applicable", special answers).
    pub share: Option<f64>,
}

/// n, min, median, max and sum of numbers.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Summary {
    pub n: usize,
    pub min: f64,
    pub median: f64,
    pub max: f64,
    pub sum: f64,
}

impl Summary {
    pub fn of(values: &mut [f64]) -> Option<Summary> {
        values.sort_by(f64::total_cmp);
        let n = values.len();
        let (first, last) = (values.first()?, values.last()?);
        let middle = values.get(n / 2).copied().unwrap_or(*first);
        let median = if n % 2 == 0 {
            (values.get(n / 2 - 1).copied().unwrap_or(middle) + middle) / 2.0
        } else {
            middle
        };
        Some(Summary {
            n,
            min: *first,
            median,
            max: *last,
            sum: values.iter().sum(),
        })
    }
}

/// A text answer, with who gave it.
#[derive(Clone, Debug, Serialize)]
pub struct Said {
    pub respondent: String,
    pub text: String,
}

/// A grid's boxes: for each row, each column's ticks, and who ticked.
#[derive(Clone, Debug, Serialize)]
pub struct GridReport {
    pub columns: Vec<Labelled>,
    pub rows: Vec<GridRow>,
}

#[derive(Clone, Debug, Serialize)]
pub struct GridRow {
    pub id: String,
    pub marker: String,
    pub label: String,
    /// By column, in the order of `columns`: the respondents who ticked the box.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ticked: Vec<Vec<String>>,
    /// A row with an answer of its own: what each respondent wrote.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub texts: Vec<Said>,
}

/// A paragraph cited, and how many respondents answered a question that cites it.
#[derive(Clone, Debug, Serialize)]
pub struct Coverage {
    pub document: String,
    pub title: String,
    pub paragraph: String,
    /// The items that cite it, by id.
    pub items: Vec<String>,
    /// The same, as printed: their numbers (or, for an unnumbered item, its id).
    pub printed: Vec<String>,
    pub respondents: usize,
}

/// A share as a person reads it (`67%`), or a dash for what is left out of the base.
fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_owned(), |s| format!("{:.0}%", s * 100.0))
}

/// A number with at most two decimals, without trailing zeros.
fn figure(n: f64) -> String {
    let text = format!("{n:.2}");
    match text.contains('.') {
        true => text.trim_end_matches('0').trim_end_matches('.').to_owned(),
        false => text,
    }
}

/// One reply, as the report reads it.
pub struct Reply<'a> {
    pub id: String,
    pub answers: &'a Answers,
}

/// The report on `replies` (valid replies: the caller leaves out the others).
pub fn report(instrument: &Instrument, replies: &[Reply<'_>], today: &str) -> Report {
    let states: Vec<(Answers, Vec<bool>)> = replies
        .iter()
        .map(|reply| {
            let computed = eval::with_calculations(instrument, reply.answers, today);
            let asked = eval::enabled(instrument, &computed).into_iter().collect();
            (computed, asked)
        })
        .collect();
    let respondents: Vec<Respondent> = replies
        .iter()
        .zip(&states)
        .map(|(reply, (computed, _))| respondent(instrument, reply, computed))
        .collect();
    let names: Vec<String> = respondents.iter().map(|r| r.name.clone()).collect();
    let reading = Reading {
        instrument,
        states: &states,
        names: &names,
    };
    let sections = instrument
        .sections
        .iter()
        .enumerate()
        .filter(|(_, section)| !section.respondent)
        .map(|(index, section)| SectionReport {
            id: section.id.clone(),
            number: section.number.clone(),
            title: section.title.clone(),
            items: instrument
                .items
                .iter_enumerated()
                .filter(|(_, item)| item.section == index && item.answer.is_some())
                .filter(|(_, item)| item.kind != ItemKind::Calculated || item.shown)
                .map(|(id, item)| reading.item(id, item))
                .collect(),
        })
        .collect();
    Report {
        format: "qc-report/1",
        instrument: Heading {
            id: instrument.id.clone(),
            title: instrument.title.clone(),
            version: instrument.version.clone(),
        },
        statement: STATEMENT,
        replies: replies.len(),
        respondents,
        sections,
        headings: reading.headings(),
        coverage: reading.coverage(),
    }
}

/// Who sent a reply: the answers of the respondent block, as text.
fn respondent(instrument: &Instrument, reply: &Reply<'_>, answers: &Answers) -> Respondent {
    let block: Vec<Labelled> = instrument
        .items
        .iter()
        .filter(|item| {
            instrument
                .sections
                .get(item.section)
                .is_some_and(|s| s.respondent)
        })
        .filter_map(|item| {
            let value = answers.get(&item.id)?;
            Some(Labelled {
                item: item.id.clone(),
                label: instrument.written(&item.label),
                value: shown(instrument, item, value),
            })
        })
        .collect();
    let name = block
        .first()
        .map_or_else(|| reply.id.clone(), |first| first.value.clone());
    Respondent {
        reply: reply.id.clone(),
        name,
        answers: block,
    }
}

/// An answer as a heading of the report gathers it; `None` for one with nothing to say (a
/// grid without a row answered in words, an empty list).
fn gathered(instrument: &Instrument, item: &Item, value: &Value) -> Option<String> {
    match (&item.answer, value) {
        (Some(AnswerType::Grid(grid)), Value::Object(rows)) => {
            let said: Vec<String> = grid
                .rows
                .iter()
                .filter(|row| row.answer.is_some())
                .filter_map(|row| Some(format!("{} {}", row.marker, rows.get(&row.id)?.as_str()?)))
                .collect();
            (!said.is_empty()).then(|| said.join("; "))
        }
        (Some(AnswerType::List(list)), Value::Array(records)) => {
            let said: Vec<String> = records
                .iter()
                .filter_map(Value::as_object)
                .map(|record| {
                    list.fields
                        .iter()
                        .filter_map(|field| {
                            let value = record.get(&field.id)?;
                            let text = match value {
                                Value::String(text) => text.clone(),
                                other => other.to_string(),
                            };
                            Some(format!("{}: {text}", instrument.written(&field.label)))
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .collect();
            (!said.is_empty()).then(|| said.join("; "))
        }
        _ => Some(shown(instrument, item, value)),
    }
}

/// An answer as a person reads it: an option's label, a number, a date, a text.
fn shown(instrument: &Instrument, item: &Item, value: &Value) -> String {
    if let Some(code) = special(value) {
        return label_of(instrument, &instrument.specials, code);
    }
    match (&item.answer, value) {
        (Some(AnswerType::Choice { scale, .. }), Value::String(code)) => {
            label_of(instrument, &instrument.scale(*scale).options, code)
        }
        (_, Value::String(text)) => text.clone(),
        (_, Value::Number(number)) => eval::number_text(number),
        (_, Value::Object(amount)) => match (amount.get("value"), amount.get("currency")) {
            (Some(Value::Number(n)), Some(Value::String(c))) => {
                format!("{} {c}", eval::number_text(n))
            }
            _ => value.to_string(),
        },
        _ => value.to_string(),
    }
}

fn label_of(instrument: &Instrument, choices: &[crate::model::Choice], code: &str) -> String {
    choices
        .iter()
        .find(|choice| choice.code == code)
        .map_or_else(
            || code.to_owned(),
            |choice| instrument.written(&choice.label),
        )
}

fn special(value: &Value) -> Option<&str> {
    value.as_object()?.get("special")?.as_str()
}

struct Reading<'a> {
    instrument: &'a Instrument,
    states: &'a [(Answers, Vec<bool>)],
    names: &'a [String],
}

impl Reading<'_> {
    /// Each reply that was asked the item, with its name and its answer (if any).
    fn asked(&self, id: ItemId) -> impl Iterator<Item = (&str, Option<&Value>)> {
        let key = &self.instrument.item(id).id;
        self.states
            .iter()
            .zip(self.names)
            .filter(move |((_, asked), _)| asked.get(usize::from(id)).copied().unwrap_or(false))
            .map(move |((answers, _), name)| {
                (name.as_str(), answers.get(key).filter(|v| !v.is_null()))
            })
    }

    fn item(&self, id: ItemId, item: &Item) -> ItemReport {
        let mut out = ItemReport {
            id: item.id.clone(),
            number: numbered(self.instrument, id),
            label: self.instrument.written(&item.label),
            ..ItemReport::default()
        };
        let mut specials: Vec<(String, usize)> = Vec::new();
        let mut values: Vec<(&str, &Value)> = Vec::new();
        for (name, value) in self.asked(id) {
            out.asked += 1;
            let Some(value) = value else { continue };
            out.answered += 1;
            match special(value) {
                Some(code) => match specials.iter_mut().find(|(known, _)| known == code) {
                    Some((_, count)) => *count += 1,
                    None => specials.push((code.to_owned(), 1)),
                },
                None => values.push((name, value)),
            }
        }
        out.specials = specials
            .into_iter()
            .map(|(code, count)| Count {
                label: label_of(self.instrument, &self.instrument.specials, &code),
                code,
                count,
                share: None,
            })
            .collect();
        let Some(answer) = &item.answer else {
            return out;
        };
        match answer {
            AnswerType::Choice { scale, multiple } => {
                out.kind = if *multiple { "multiple" } else { "choice" };
                let options = &self.instrument.scale(*scale).options;
                let chose = |value: &Value, code: &str| match value {
                    Value::String(chosen) => chosen == code,
                    Value::Array(ticked) => ticked.iter().any(|t| t.as_str() == Some(code)),
                    _ => false,
                };
                let not_applicable = values
                    .iter()
                    .filter(|(_, v)| chose(v, NOT_APPLICABLE) && !multiple)
                    .count();
                out.base = values.len() - not_applicable;
                let base = out.base;
                out.options = options
                    .iter()
                    .map(|option| {
                        let count = values
                            .iter()
                            .filter(|(_, v)| chose(v, &option.code))
                            .count();
                        let counted = option.code != NOT_APPLICABLE;
                        Count {
                            code: option.code.clone(),
                            label: self.instrument.written(&option.label),
                            count,
                            share: (counted && base > 0).then(|| count as f64 / base as f64),
                        }
                    })
                    .collect();
            }
            AnswerType::Number { .. } => {
                out.kind = "number";
                out.base = values.len();
                let mut numbers: Vec<f64> = values.iter().filter_map(|(_, v)| v.as_f64()).collect();
                out.numbers = Summary::of(&mut numbers);
            }
            AnswerType::Amount { .. } => {
                out.kind = "amount";
                out.base = values.len();
                let mut by_currency: Vec<(String, Vec<f64>)> = Vec::new();
                for (_, value) in &values {
                    let (Some(n), Some(c)) = (
                        value.get("value").and_then(Value::as_f64),
                        value.get("currency").and_then(Value::as_str),
                    ) else {
                        continue;
                    };
                    match by_currency.iter_mut().find(|(known, _)| known == c) {
                        Some((_, numbers)) => numbers.push(n),
                        None => by_currency.push((c.to_owned(), vec![n])),
                    }
                }
                by_currency.sort_by(|a, b| a.0.cmp(&b.0));
                out.amounts = by_currency
                    .into_iter()
                    .filter_map(|(c, mut numbers)| Some((c, Summary::of(&mut numbers)?)))
                    .collect();
            }
            AnswerType::Text { .. } | AnswerType::Date => {
                out.kind = if matches!(answer, AnswerType::Date) {
                    "date"
                } else {
                    "text"
                };
                out.base = values.len();
                out.texts = values
                    .iter()
                    .filter_map(|(name, v)| {
                        Some(Said {
                            respondent: (*name).to_owned(),
                            text: v.as_str()?.to_owned(),
                        })
                    })
                    .collect();
            }
            AnswerType::Grid(grid) => {
                out.kind = "grid";
                out.base = values.len();
                let rows = grid
                    .rows
                    .iter()
                    .map(|row| GridRow {
                        id: row.id.clone(),
                        marker: row.marker.clone(),
                        label: self.instrument.written(&row.label),
                        ticked: match row.answer {
                            Some(_) => Vec::new(),
                            None => grid
                                .columns
                                .iter()
                                .map(|column| {
                                    values
                                        .iter()
                                        .filter(|(_, v)| {
                                            v.get(&row.id).and_then(Value::as_array).is_some_and(
                                                |t| {
                                                    t.iter().any(|c| {
                                                        c.as_str() == Some(column.id.as_str())
                                                    })
                                                },
                                            )
                                        })
                                        .map(|(name, _)| (*name).to_owned())
                                        .collect()
                                })
                                .collect(),
                        },
                        texts: match row.answer {
                            Some(_) => values
                                .iter()
                                .filter_map(|(name, v)| {
                                    Some(Said {
                                        respondent: (*name).to_owned(),
                                        text: v.get(&row.id)?.as_str()?.to_owned(),
                                    })
                                })
                                .collect(),
                            None => Vec::new(),
                        },
                    })
                    .collect();
                out.grid = Some(GridReport {
                    columns: grid
                        .columns
                        .iter()
                        .map(|c| Labelled {
                            item: c.id.clone(),
                            label: self.instrument.written(&c.label),
                            value: String::new(),
                        })
                        .collect(),
                    rows,
                });
            }
            AnswerType::List(_) => {
                out.kind = "list";
                out.base = values.len();
                out.records = Some(
                    values
                        .iter()
                        .filter_map(|(_, v)| v.as_array())
                        .map(Vec::len)
                        .sum(),
                );
            }
            AnswerType::Table(_) => {
                out.kind = "table";
                out.base = values.len();
            }
        }
        out
    }

    /// Each heading of the report, with the answers of the items that feed it: a text as
    /// written, an option by its label, a grid's rows with an answer of their own, a list's
    /// records field by field.
    fn headings(&self) -> Vec<HeadingReport> {
        let instrument = self.instrument;
        instrument
            .report
            .iter()
            .enumerate()
            .map(|(index, heading)| HeadingReport {
                id: heading.id.clone(),
                title: heading.title.clone(),
                items: instrument
                    .items
                    .iter_enumerated()
                    .filter(|(_, item)| item.feeds.contains(&index))
                    .map(|(id, item)| Gathered {
                        id: item.id.clone(),
                        number: numbered(instrument, id),
                        label: instrument.written(&item.label),
                        said: self
                            .asked(id)
                            .filter_map(|(name, value)| {
                                let text = gathered(instrument, item, value?)?;
                                Some(Said {
                                    respondent: name.to_owned(),
                                    text,
                                })
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect()
    }

    /// For each paragraph cited (by an item, or a grid's row), the items citing it and how
    /// many respondents answered one of them.
    fn coverage(&self) -> Vec<Coverage> {
        let mut cited: Vec<((usize, usize), Vec<ItemId>)> = Vec::new();
        for (id, item) in self.instrument.items.iter_enumerated() {
            let mut citations: Vec<&crate::model::Citation> = item.citations.iter().collect();
            if let Some(AnswerType::Grid(grid)) = &item.answer {
                citations.extend(grid.rows.iter().flat_map(|row| &row.citations));
            }
            for citation in citations {
                let key = (
                    usize::from(citation.document),
                    usize::from(citation.paragraph),
                );
                match cited.iter_mut().find(|(known, _)| *known == key) {
                    Some((_, items)) if !items.contains(&id) => items.push(id),
                    Some(_) => {}
                    None => cited.push((key, vec![id])),
                }
            }
        }
        cited.sort_by_key(|(key, _)| *key);
        cited
            .into_iter()
            .filter_map(|((document, paragraph), items)| {
                let document = self.instrument.documents.iter().nth(document)?;
                let paragraph = document.paragraphs.iter().nth(paragraph)?;
                let respondents = self
                    .states
                    .iter()
                    .filter(|(answers, asked)| {
                        items.iter().any(|id| {
                            asked.get(usize::from(*id)).copied().unwrap_or(false)
                                && answered(self.instrument, answers, *id)
                        })
                    })
                    .count();
                Some(Coverage {
                    document: document.id.clone(),
                    title: document.title.clone(),
                    paragraph: paragraph.number.clone(),
                    items: items
                        .iter()
                        .map(|id| self.instrument.item(*id).id.clone())
                        .collect(),
                    printed: items
                        .iter()
                        .map(|id| printed(self.instrument, *id))
                        .collect(),
                    respondents,
                })
            })
            .collect()
    }
}

/// How a person finds an item: its printed number, or that of the nearest numbered item it is
/// under and its id (`1 · q1_steps`); `None` for an item under no number.
fn numbered(instrument: &Instrument, id: ItemId) -> Option<String> {
    let item = instrument.item(id);
    if let Some(number) = &item.number {
        return Some(number.clone());
    }
    let mut cursor = item.parent;
    while let Some(parent) = cursor {
        let ancestor = instrument.item(parent);
        if let Some(number) = &ancestor.number {
            return Some(format!("{number} · {}", item.id));
        }
        cursor = ancestor.parent;
    }
    None
}

/// An item as a list of them names it: as [`numbered`], or by its id.
fn printed(instrument: &Instrument, id: ItemId) -> String {
    numbered(instrument, id).unwrap_or_else(|| instrument.item(id).id.clone())
}

/// Whether the item, or one of its sub-items, has an answer in the reply.
fn answered(instrument: &Instrument, answers: &Map<String, Value>, id: ItemId) -> bool {
    let item = instrument.item(id);
    answers.get(&item.id).is_some_and(|v| !v.is_null())
        || item
            .children
            .iter()
            .any(|child| answered(instrument, answers, *child))
}

//! What changed between two versions of an instrument (`qc diff`), by the stable ids of its
//! items, options, fields, rows and columns rather than by lines of text: each change classed
//! by what it does to the replies already collected.
//!
//! - **Compatible**: every reply valid before is valid after, and means the same (an item or an
//!   option added, a number renumbered, a bound widened, citations changed).
//! - **Needs review**: replies stay valid, but what an answer means, or when it is asked or
//!   required, may have changed (a label reworded, a condition or a rule changed).
//! - **Breaking**: an answer that was valid becomes invalid (an item, option, field, row or
//!   column removed, an option, row or column recoded, a type changed, a bound narrowed).

use serde::Serialize;
use serde_json::Value;

use crate::dataset::written;
use crate::model::{AnswerType, Instrument, Item, List};

/// What a change does to the replies already collected, from the least to the most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Compatible,
    NeedsReview,
    Breaking,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Compatible => "compatible",
            Class::NeedsReview => "needs review",
            Class::Breaking => "breaking",
        }
    }
}

/// One change, with the item it is of (none for the instrument's header or translations).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub class: Class,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The item's printed number in the new version (in the old one, if it was removed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// What changed, in a few words: `option removed`, `label changed`.
    pub change: &'static str,
    /// The change itself, as a person reads it.
    pub detail: String,
}

/// The changes from `old` to `new`: those of each item of the new version in its order, then
/// the items removed, then the translations made stale and the header.
pub fn diff(old: &Instrument, new: &Instrument) -> Vec<Change> {
    let mut out = Changes {
        old,
        new,
        changes: Vec::new(),
    };
    let olds: rustc_hash::FxHashMap<&str, &Item> = old
        .items
        .iter()
        .map(|item| (item.id.as_str(), item))
        .collect();
    let news: rustc_hash::FxHashSet<&str> = new.items.iter().map(|item| item.id.as_str()).collect();
    for item in &new.items {
        match olds.get(item.id.as_str()) {
            Some(before) => out.item(before, item),
            None => out.added(item),
        }
    }
    for item in old
        .items
        .iter()
        .filter(|item| !news.contains(item.id.as_str()))
    {
        let class = match item.answer {
            Some(_) => Class::Breaking,
            None => Class::Compatible,
        };
        out.push(
            class,
            item,
            "item removed",
            match class {
                Class::Breaking => format!(
                    "{} is removed: a reply that answered it is refused (V0101)",
                    describe(item)
                ),
                _ => format!("{} is removed", describe(item)),
            },
        );
    }
    out.translations();
    out.header();
    out.changes
}

/// The worst class among the changes, if any.
pub fn worst(changes: &[Change]) -> Option<Class> {
    changes.iter().map(|change| change.class).max()
}

struct Changes<'i> {
    old: &'i Instrument,
    new: &'i Instrument,
    changes: Vec<Change>,
}

/// An item as a change names it: ``25 `q25` ``, or `` `q1_steps` `` when unnumbered.
fn describe(item: &Item) -> String {
    match &item.number {
        Some(number) => format!("{number} `{}`", item.id),
        None => format!("`{}`", item.id),
    }
}

/// A text cut to a length a line can show.
fn quoted(text: &str) -> String {
    const MOST: usize = 80;
    match text.char_indices().nth(MOST) {
        Some((cut, _)) => format!("“{}…”", text.get(..cut).unwrap_or(text)),
        None => format!("“{text}”"),
    }
}

impl<'i> Changes<'i> {
    fn push(&mut self, class: Class, item: &Item, change: &'static str, detail: String) {
        self.changes.push(Change {
            class,
            item: Some(item.id.clone()),
            number: item.number.clone(),
            change,
            detail,
        });
    }

    fn added(&mut self, item: &Item) {
        let what = describe(item);
        if item.required && item.answer.is_some() && item.condition.is_none() {
            self.push(
                Class::NeedsReview,
                item,
                "item added",
                format!("{what} is added, and required: replies collected before lack it"),
            );
        } else {
            self.push(
                Class::Compatible,
                item,
                "item added",
                format!("{what} is added"),
            );
        }
    }

    fn item(&mut self, old: &Item, new: &Item) {
        let what = describe(new);
        if old.number != new.number {
            let before = old.number.as_deref().unwrap_or("unnumbered");
            let after = new.number.as_deref().unwrap_or("unnumbered");
            self.push(
                Class::Compatible,
                new,
                "renumbered",
                format!("`{}` is renumbered: {before} → {after}", new.id),
            );
        }
        let (old_section, new_section) = (
            self.old.sections.get(old.section).map(|s| s.id.as_str()),
            self.new.sections.get(new.section).map(|s| s.id.as_str()),
        );
        if old_section != new_section {
            self.push(
                Class::Compatible,
                new,
                "moved",
                format!(
                    "{what} moves from section `{}` to `{}`",
                    old_section.unwrap_or("?"),
                    new_section.unwrap_or("?")
                ),
            );
        }
        let (before, after) = (self.old.written(&old.label), self.new.written(&new.label));
        if before != after {
            self.push(
                Class::NeedsReview,
                new,
                "label changed",
                format!(
                    "{what}: its label changes from {} to {}: check that answers mean the same",
                    quoted(&before),
                    quoted(&after)
                ),
            );
        }
        let (before, after) = (asked(self.old, old), asked(self.new, new));
        if before != after {
            self.push(
                Class::NeedsReview,
                new,
                "condition changed",
                format!(
                    "{what} is asked {after} (was {before}): a reply may now answer it where it is not asked, or lack it where it is"
                ),
            );
        }
        if old.required != new.required {
            let (class, detail) = match new.required {
                true => (
                    Class::NeedsReview,
                    format!("{what} becomes required: replies that left it out are incomplete"),
                ),
                false => (Class::Compatible, format!("{what} becomes optional")),
            };
            self.push(class, new, "required changed", detail);
        }
        for special in old.specials.iter().filter(|s| !new.specials.contains(s)) {
            self.push(
                Class::Breaking,
                new,
                "special answer removed",
                format!("{what} no longer allows the special answer `{special}`: a reply that gave it is refused"),
            );
        }
        for special in new.specials.iter().filter(|s| !old.specials.contains(s)) {
            self.push(
                Class::Compatible,
                new,
                "special answer added",
                format!("{what} allows the special answer `{special}`"),
            );
        }
        let rules = |instrument: &Instrument, item: &Item| -> Vec<String> {
            item.constraints
                .iter()
                .map(|c| written::condition(instrument, None, &c.condition))
                .collect()
        };
        if rules(self.old, old) != rules(self.new, new) {
            self.push(
                Class::NeedsReview,
                new,
                "rules changed",
                format!("{what}: its checks change: a reply may now break one"),
            );
        }
        let computed = |instrument: &Instrument, item: &Item| {
            item.calculation
                .as_ref()
                .map(|c| written::operand(instrument, None, c))
        };
        if computed(self.old, old) != computed(self.new, new) {
            self.push(
                Class::NeedsReview,
                new,
                "calculation changed",
                format!("{what} is computed otherwise"),
            );
        }
        let cites = |instrument: &Instrument, item: &Item| -> Vec<String> {
            item.citations
                .iter()
                .map(|c| {
                    instrument
                        .cite_briefly(std::slice::from_ref(c))
                        .unwrap_or_default()
                })
                .collect()
        };
        if cites(self.old, old) != cites(self.new, new) {
            self.push(
                Class::Compatible,
                new,
                "citations changed",
                format!("{what} cites other paragraphs"),
            );
        }
        match (&old.answer, &new.answer) {
            (Some(before), Some(after)) => self.answer(new, &what, before, after),
            (None, Some(_)) => self.push(
                Class::Compatible,
                new,
                "answer added",
                format!("{what} now takes an answer"),
            ),
            (Some(_), None) => self.push(
                Class::Breaking,
                new,
                "answer removed",
                format!("{what} no longer takes an answer: a reply that answered it is refused"),
            ),
            (None, None) => {}
        }
    }

    /// The changes of an answer type, `what` naming where it is (an item, a field of a list).
    fn answer(&mut self, item: &Item, what: &str, old: &AnswerType, new: &AnswerType) {
        match (old, new) {
            (
                AnswerType::Choice {
                    scale: a,
                    multiple: m,
                },
                AnswerType::Choice {
                    scale: b,
                    multiple: n,
                },
            ) => {
                if m != n {
                    self.push(
                        Class::Breaking,
                        item,
                        "type changed",
                        format!(
                            "{what} becomes a {} choice: replies hold {}",
                            if *n { "multiple" } else { "single" },
                            if *m { "lists of codes" } else { "one code" }
                        ),
                    );
                }
                let (before, after) = (&self.old.scale(*a).options, &self.new.scale(*b).options);
                let recoded = recoded(&options(self.old, *a), &options(self.new, *b));
                for option in before {
                    let code = recoded.iter().find(|(was, _)| *was == option.code);
                    match after.iter().find(|o| o.code == option.code) {
                        None => match code {
                            Some((was, is)) => self.push(
                                Class::Breaking,
                                item,
                                "option recoded",
                                format!("{what}: option `{was}` is now `{is}`, with the same label: a reply that chose `{was}` is refused (V0103), and `qc validate --form-version` migrates it"),
                            ),
                            None => self.push(
                                Class::Breaking,
                                item,
                                "option removed",
                                format!("{what} no longer has the option `{}`: a reply that chose it is refused (V0103)", option.code),
                            ),
                        },
                        Some(now) => {
                            let (was, is) = (self.old.written(&option.label), self.new.written(&now.label));
                            if was != is {
                                self.push(
                                    Class::NeedsReview,
                                    item,
                                    "option relabelled",
                                    format!(
                                        "{what}: option `{}` is relabelled from {} to {}",
                                        option.code,
                                        quoted(&was),
                                        quoted(&is)
                                    ),
                                );
                            }
                        }
                    }
                }
                for option in after.iter().filter(|o| {
                    !before.iter().any(|b| b.code == o.code)
                        && !recoded.iter().any(|(_, is)| *is == o.code)
                }) {
                    self.push(
                        Class::Compatible,
                        item,
                        "option added",
                        format!("{what} has a new option `{}`", option.code),
                    );
                }
            }
            (AnswerType::Text { long: a }, AnswerType::Text { long: b }) => {
                if a != b {
                    self.push(
                        Class::Compatible,
                        item,
                        "type changed",
                        format!(
                            "{what} becomes a {} text",
                            if *b { "long" } else { "short" }
                        ),
                    );
                }
            }
            (
                AnswerType::Number {
                    integer: a,
                    min: min_a,
                    max: max_a,
                },
                AnswerType::Number {
                    integer: b,
                    min: min_b,
                    max: max_b,
                },
            ) => {
                if !a && *b {
                    self.push(
                        Class::Breaking,
                        item,
                        "type changed",
                        format!(
                            "{what} takes whole numbers only: a reply with a fraction is refused"
                        ),
                    );
                } else if *a && !b {
                    self.push(
                        Class::Compatible,
                        item,
                        "type changed",
                        format!("{what} takes any number, not only whole ones"),
                    );
                }
                let narrower_min = match (min_a, min_b) {
                    (_, None) => false,
                    (None, Some(_)) => true,
                    (Some(x), Some(y)) => y > x,
                };
                let narrower_max = match (max_a, max_b) {
                    (_, None) => false,
                    (None, Some(_)) => true,
                    (Some(x), Some(y)) => y < x,
                };
                if narrower_min || narrower_max {
                    self.push(
                        Class::Breaking,
                        item,
                        "bounds narrowed",
                        format!(
                            "{what} takes {} now (was {}): a reply out of them is refused (V0105)",
                            bounds(*min_b, *max_b),
                            bounds(*min_a, *max_a)
                        ),
                    );
                } else if min_a != min_b || max_a != max_b {
                    self.push(
                        Class::Compatible,
                        item,
                        "bounds widened",
                        format!(
                            "{what} takes {} now (was {})",
                            bounds(*min_b, *max_b),
                            bounds(*min_a, *max_a)
                        ),
                    );
                }
            }
            (AnswerType::Amount { currencies: a }, AnswerType::Amount { currencies: b }) => {
                // No currency named means any: a list after none, or one without a currency
                // named before, narrows.
                let narrowed = !b.is_empty() && (a.is_empty() || a.iter().any(|c| !b.contains(c)));
                if narrowed {
                    self.push(
                        Class::Breaking,
                        item,
                        "currencies narrowed",
                        format!(
                            "{what} takes {} only: a reply in another currency is refused (V0106)",
                            b.join(", ")
                        ),
                    );
                } else if a != b {
                    self.push(
                        Class::Compatible,
                        item,
                        "currencies widened",
                        format!("{what} takes more currencies"),
                    );
                }
            }
            (AnswerType::List(a), AnswerType::List(b)) => self.list(item, what, a, b),
            (AnswerType::Grid(a), AnswerType::Grid(b)) => {
                let (old, new) = (self.old, self.new);
                self.lines(
                    item,
                    what,
                    "row",
                    labels(old, a.rows.iter().map(|r| (r.id.as_str(), &r.label))),
                    labels(new, b.rows.iter().map(|r| (r.id.as_str(), &r.label))),
                );
                self.lines(
                    item,
                    what,
                    "column",
                    labels(old, a.columns.iter().map(|c| (c.id.as_str(), &c.label))),
                    labels(new, b.columns.iter().map(|c| (c.id.as_str(), &c.label))),
                );
                for row in &b.rows {
                    if let (Some(before), Some(after)) = (
                        a.rows
                            .iter()
                            .find(|r| r.id == row.id)
                            .and_then(|r| r.answer.as_ref()),
                        row.answer.as_ref(),
                    ) {
                        self.answer(item, &format!("{what}, row `{}`,", row.id), before, after);
                    }
                }
            }
            (AnswerType::Table(a), AnswerType::Table(b)) => {
                let (old, new) = (self.old, self.new);
                self.lines(
                    item,
                    what,
                    "row",
                    headings(old, &a.rows),
                    headings(new, &b.rows),
                );
                self.lines(
                    item,
                    what,
                    "column",
                    headings(old, &a.columns),
                    headings(new, &b.columns),
                );
                self.answer(item, &format!("{what}, each cell,"), &a.cell, &b.cell);
            }
            (AnswerType::Date, AnswerType::Date) | (AnswerType::Country, AnswerType::Country) => {}
            (before, after) => self.push(
                Class::Breaking,
                item,
                "type changed",
                format!(
                    "{what} takes {} now (was {}): replies hold the old type",
                    kind(after),
                    kind(before)
                ),
            ),
        }
    }

    /// The rows or columns of a grid or a table, by id, with their labels.
    fn lines(
        &mut self,
        item: &Item,
        what: &str,
        line: &'static str,
        old: Vec<(&str, String)>,
        new: Vec<(&str, String)>,
    ) {
        let (removed, added, relabelled, recoded_change) = match line {
            "row" => ("row removed", "row added", "row relabelled", "row recoded"),
            _ => (
                "column removed",
                "column added",
                "column relabelled",
                "column recoded",
            ),
        };
        let recoded = recoded(&old, &new);
        for (id, label) in &old {
            let recode = recoded.iter().find(|(was, _)| was == id);
            match new.iter().find(|(other, _)| other == id) {
                None => match recode {
                    Some((was, is)) => self.push(
                        Class::Breaking,
                        item,
                        recoded_change,
                        format!("{what}: {line} `{was}` is now `{is}`, with the same label: a reply that answered `{was}` is refused, and `qc validate --form-version` migrates it"),
                    ),
                    None => self.push(
                        Class::Breaking,
                        item,
                        removed,
                        format!("{what} no longer has the {line} `{id}`: a reply that answered it is refused"),
                    ),
                },
                Some((_, now)) if now != label => self.push(
                    Class::NeedsReview,
                    item,
                    relabelled,
                    format!(
                        "{what}: {line} `{id}` is relabelled from {} to {}",
                        quoted(label),
                        quoted(now)
                    ),
                ),
                Some(_) => {}
            }
        }
        for (id, _) in new.iter().filter(|(id, _)| {
            !old.iter().any(|(o, _)| o == id) && !recoded.iter().any(|(_, is)| is == id)
        }) {
            self.push(
                Class::Compatible,
                item,
                added,
                format!("{what} has a new {line} `{id}`"),
            );
        }
    }

    /// A list's fields, by id, and the bounds on its records.
    fn list(&mut self, item: &Item, what: &str, old: &List, new: &List) {
        for before in &old.fields {
            match new.fields.iter().find(|f| f.id == before.id) {
                None => self.push(
                    Class::Breaking,
                    item,
                    "field removed",
                    format!(
                        "{what} no longer has the field `{}`: a record that gave it is refused",
                        before.id
                    ),
                ),
                Some(after) => {
                    let here = format!("{what}, field `{}`,", after.id);
                    self.answer(item, &here, &before.answer, &after.answer);
                    if !before.required && after.required && after.calculation.is_none() {
                        self.push(
                            Class::Breaking,
                            item,
                            "field required",
                            format!("{here} becomes required: a record without it is refused"),
                        );
                    }
                }
            }
        }
        for after in new
            .fields
            .iter()
            .filter(|f| !old.fields.iter().any(|b| b.id == f.id))
        {
            let required =
                after.required && after.calculation.is_none() && after.condition.is_none();
            self.push(
                if required { Class::Breaking } else { Class::Compatible },
                item,
                "field added",
                match required {
                    true => format!("{what} has a new required field `{}`: records collected before lack it and are refused", after.id),
                    false => format!("{what} has a new field `{}`", after.id),
                },
            );
        }
        if old.min != new.min || old.max != new.max {
            self.push(
                Class::NeedsReview,
                item,
                "records bounded otherwise",
                format!("{what}: how many records it takes changes"),
            );
        }
    }

    /// The translations of the old version whose source text the new one changes or drops:
    /// they are stale until translated again.
    fn translations(&mut self) {
        let before: rustc_hash::FxHashMap<String, String> =
            crate::translate::texts(self.old).into_iter().collect();
        let after: rustc_hash::FxHashMap<String, String> =
            crate::translate::texts(self.new).into_iter().collect();
        for translation in &self.old.translations {
            let stale: Vec<&String> = translation
                .strings
                .keys()
                .filter(|key| match (before.get(*key), after.get(*key)) {
                    (Some(was), Some(is)) => was != is,
                    _ => false,
                })
                .collect();
            if stale.is_empty() {
                continue;
            }
            let shown: Vec<String> = stale.iter().take(5).map(|k| format!("`{k}`")).collect();
            let more = stale.len().saturating_sub(shown.len());
            self.changes.push(Change {
                class: Class::NeedsReview,
                item: None,
                number: None,
                change: "translations stale",
                detail: format!(
                    "{} translated text{} in `{}` {} source changes: {}{}",
                    stale.len(),
                    if stale.len() == 1 { "" } else { "s" },
                    translation.language,
                    "whose",
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                ),
            });
        }
    }

    /// A version left as it was though replies are affected.
    fn header(&mut self) {
        let affected = self.changes.iter().any(|c| c.class == Class::Breaking);
        if affected && self.old.version == self.new.version {
            self.changes.push(Change {
                class: Class::NeedsReview,
                item: None,
                number: None,
                change: "version unchanged",
                detail: format!(
                    "the version stays {} though replies collected before are refused: give the new one a version of its own, so replies say which they answer",
                    self.new.version.as_deref().map_or("unset".to_owned(), |v| format!("`{v}`"))
                ),
            });
        }
    }
}

/// Rows or columns by id, each with its label as written.
fn labels<'a>(
    instrument: &Instrument,
    lines: impl Iterator<Item = (&'a str, &'a crate::model::Text)>,
) -> Vec<(&'a str, String)> {
    lines
        .map(|(id, label)| (id, instrument.written(label)))
        .collect()
}

/// A table's rows or columns by id, each with its label as written.
fn headings<'a>(
    instrument: &Instrument,
    lines: &'a [crate::model::Heading],
) -> Vec<(&'a str, String)> {
    labels(instrument, lines.iter().map(|l| (l.id.as_str(), &l.label)))
}

/// When an item is asked, as a change says it: `when q25 = yes`, or `always`.
fn asked(instrument: &Instrument, item: &Item) -> String {
    match &item.condition {
        Some(condition) => format!("when {}", written::condition(instrument, None, condition)),
        None => "always".to_owned(),
    }
}

/// Bounds as a person reads them: `0 to 100`, `at least 0`, any number.
fn bounds(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "any number".to_owned(),
    }
}

/// A type as a change names it.
fn kind(answer: &AnswerType) -> &'static str {
    match answer {
        AnswerType::Choice {
            multiple: false, ..
        } => "a choice",
        AnswerType::Choice { multiple: true, .. } => "a multiple choice",
        AnswerType::Text { .. } => "a text",
        AnswerType::Date => "a date",
        AnswerType::Country => "a country",
        AnswerType::Number { .. } => "a number",
        AnswerType::Amount { .. } => "an amount",
        AnswerType::List(_) => "a list",
        AnswerType::Grid(_) => "a grid",
        AnswerType::Table(_) => "a table",
    }
}

/// A reply to the `old` version, brought to the `new` one as far as the changes allow: the
/// answers to items the new version no longer has dropped; options, and a grid's or a
/// table's rows and columns, recoded (`recoded`) given their new codes; a single choice made
/// multiple put in a list, and a list of one code made single; a grid's or a table's rows and
/// columns, and a list's fields, that are gone dropped; the version set to the new one. What cannot be migrated
/// (an option removed, a type changed) is kept as it was, for validation to report; each
/// step is said in the notes, by item.
pub fn migrate(old: &Instrument, new: &Instrument, reply: &Value) -> (Value, Vec<String>) {
    let mut reply = reply.clone();
    let mut notes = Vec::new();
    if let (Some(object), Some(version)) = (reply.as_object_mut(), &new.version) {
        object.insert("version".to_owned(), Value::String(version.clone()));
    }
    let Some(answers) = reply.get_mut("answers").and_then(Value::as_object_mut) else {
        return (reply, notes);
    };
    let keys: Vec<String> = answers.keys().cloned().collect();
    for key in keys {
        let Some(before) = old.items.iter().find(|item| item.id == key) else {
            continue;
        };
        let Some(after) = new.items.iter().find(|item| item.id == key) else {
            answers.remove(&key);
            notes.push(format!(
                "`{key}`: dropped: the new version has no such item"
            ));
            continue;
        };
        let (Some(was), Some(is), Some(value)) =
            (&before.answer, &after.answer, answers.get_mut(&key))
        else {
            continue;
        };
        migrate_value((old, new), &key, was, is, value, &mut notes);
    }
    (reply, notes)
}

fn migrate_value(
    (old, new): (&Instrument, &Instrument),
    at: &str,
    was: &AnswerType,
    is: &AnswerType,
    value: &mut Value,
    notes: &mut Vec<String>,
) {
    if crate::eval::special_code(value).is_some() {
        return;
    }
    if let (AnswerType::Choice { scale: a, .. }, AnswerType::Choice { scale: b, .. }) = (was, is) {
        recode((old, *a), (new, *b), at, value, notes);
    }
    match (was, is) {
        (
            AnswerType::Choice {
                multiple: false, ..
            },
            AnswerType::Choice {
                multiple: true,
                scale,
            },
        ) => {
            if let Value::String(code) = value {
                *value = Value::Array(vec![Value::String(std::mem::take(code))]);
                notes.push(format!(
                    "`{at}`: its code put in a list (a multiple choice now)"
                ));
            }
            removed_codes(new, *scale, at, value, notes);
        }
        (
            AnswerType::Choice { multiple: true, .. },
            AnswerType::Choice {
                multiple: false,
                scale,
            },
        ) => {
            if let Some([one]) = value.as_array().map(Vec::as_slice) {
                *value = one.clone();
                notes.push(format!(
                    "`{at}`: its one code taken out of the list (a single choice now)"
                ));
            } else {
                notes.push(format!("`{at}`: not migrated: a single choice now, and the reply ticks more or fewer than one"));
            }
            removed_codes(new, *scale, at, value, notes);
        }
        (AnswerType::Choice { .. }, AnswerType::Choice { scale, .. }) => {
            removed_codes(new, *scale, at, value, notes);
        }
        (AnswerType::Grid(a), AnswerType::Grid(b)) => {
            let Some(rows) = value.as_object_mut() else {
                return;
            };
            let rows_before = labels(old, a.rows.iter().map(|r| (r.id.as_str(), &r.label)));
            let rows_after = labels(new, b.rows.iter().map(|r| (r.id.as_str(), &r.label)));
            let columns_before = labels(old, a.columns.iter().map(|c| (c.id.as_str(), &c.label)));
            let columns_after = labels(new, b.columns.iter().map(|c| (c.id.as_str(), &c.label)));
            let columns = Lines::new(&columns_before, &columns_after);
            Lines::new(&rows_before, &rows_after).migrate(rows, at, "row", notes);
            for (row, ticks) in rows.iter_mut() {
                let Some(ticks) = ticks.as_array_mut() else {
                    continue;
                };
                let within = format!("{at}`: row `{row}");
                ticks.retain_mut(|tick| {
                    let Some(column) = tick.as_str() else {
                        return true;
                    };
                    match columns.fate(column) {
                        Fate::Kept => true,
                        Fate::Recoded(is) => {
                            notes.push(format!("`{within}`: column `{column}` recoded as `{is}` (the same label)"));
                            *tick = Value::String(is.to_owned());
                            true
                        }
                        Fate::Gone => {
                            notes.push(format!("`{within}`: column `{column}` dropped: the new version has no such column"));
                            false
                        }
                    }
                });
            }
        }
        (AnswerType::Table(a), AnswerType::Table(b)) => {
            let Some(rows) = value.as_object_mut() else {
                return;
            };
            let (rows_before, rows_after) = (headings(old, &a.rows), headings(new, &b.rows));
            let (columns_before, columns_after) =
                (headings(old, &a.columns), headings(new, &b.columns));
            Lines::new(&rows_before, &rows_after).migrate(rows, at, "row", notes);
            let columns = Lines::new(&columns_before, &columns_after);
            for (row, cells) in rows.iter_mut() {
                if let Some(cells) = cells.as_object_mut() {
                    columns.migrate(cells, &format!("{at}`: row `{row}"), "column", notes);
                }
            }
        }
        (AnswerType::List(a), AnswerType::List(b)) => {
            let Some(records) = value.as_array_mut() else {
                return;
            };
            let gone: Vec<&str> = a
                .fields
                .iter()
                .filter(|f| !b.fields.iter().any(|g| g.id == f.id))
                .map(|f| f.id.as_str())
                .collect();
            let mut dropped = false;
            for record in records.iter_mut().filter_map(Value::as_object_mut) {
                for field in &gone {
                    dropped |= record.remove(*field).is_some();
                }
            }
            if dropped {
                notes.push(format!(
                    "`{at}`: field{} {} dropped from its records: the new version has no such field",
                    if gone.len() == 1 { "" } else { "s" },
                    gone.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        (before, after) if kind(before) != kind(after) => notes.push(format!(
            "`{at}`: not migrated: it takes {} now (was {})",
            kind(after),
            kind(before)
        )),
        _ => {}
    }
}

/// What changed its code (or id) between two versions and kept its label: an option, a row or
/// a column of the old version gone from the new, paired with one new in it that has the same
/// label (as written in the instrument's language), when nothing else gone or new has that
/// label. Pairs of old and new codes.
fn recoded(before: &[(&str, String)], after: &[(&str, String)]) -> Vec<(String, String)> {
    let gone: Vec<&(&str, String)> = before
        .iter()
        .filter(|(code, _)| !after.iter().any(|(other, _)| other == code))
        .collect();
    let added: Vec<&(&str, String)> = after
        .iter()
        .filter(|(code, _)| !before.iter().any(|(other, _)| other == code))
        .collect();
    let unique = |list: &[&(&str, String)], label: &str| {
        list.iter().filter(|(_, other)| other == label).count() == 1
    };
    gone.iter()
        .filter(|(_, label)| unique(&gone, label))
        .filter_map(|(was, label)| {
            let (is, _) = added.iter().find(|(_, other)| other == label)?;
            unique(&added, label).then(|| ((*was).to_owned(), (*is).to_owned()))
        })
        .collect()
}

/// A choice's options as (code, label) pairs.
fn options(instrument: &Instrument, scale: crate::model::ScaleId) -> Vec<(&str, String)> {
    labels(
        instrument,
        instrument
            .scale(scale)
            .options
            .iter()
            .map(|o| (o.code.as_str(), &o.label)),
    )
}

/// Gives a choice's codes that were recoded (`recoded`) their new codes.
fn recode(
    (old, a): (&Instrument, crate::model::ScaleId),
    (new, b): (&Instrument, crate::model::ScaleId),
    at: &str,
    value: &mut Value,
    notes: &mut Vec<String>,
) {
    let pairs = recoded(&options(old, a), &options(new, b));
    let codes: Vec<&mut Value> = match value {
        Value::Array(codes) => codes.iter_mut().collect(),
        code => vec![code],
    };
    for code in codes {
        let Some((was, is)) = pairs.iter().find(|(was, _)| code.as_str() == Some(was)) else {
            continue;
        };
        notes.push(format!(
            "`{at}`: option `{was}` recoded as `{is}` (the same label)"
        ));
        *code = Value::String(is.clone());
    }
}

/// The rows or the columns of a grid or a table in two versions: what became of each.
struct Lines<'l> {
    before: &'l [(&'l str, String)],
    after: &'l [(&'l str, String)],
    recoded: Vec<(String, String)>,
}

/// What became of a row or a column.
enum Fate<'l> {
    Kept,
    Recoded(&'l str),
    Gone,
}

impl<'l> Lines<'l> {
    fn new(before: &'l [(&'l str, String)], after: &'l [(&'l str, String)]) -> Self {
        Lines {
            before,
            after,
            recoded: recoded(before, after),
        }
    }

    /// A row or column not of the old version (a reply's mistake) is kept, for validation.
    fn fate(&self, id: &str) -> Fate<'_> {
        if self.after.iter().any(|(other, _)| *other == id)
            || !self.before.iter().any(|(other, _)| *other == id)
        {
            return Fate::Kept;
        }
        match self.recoded.iter().find(|(was, _)| was == id) {
            Some((_, is)) => Fate::Recoded(is),
            None => Fate::Gone,
        }
    }

    /// An answer's object keyed by these rows or columns, brought to the new version.
    fn migrate(
        &self,
        object: &mut serde_json::Map<String, Value>,
        at: &str,
        line: &str,
        notes: &mut Vec<String>,
    ) {
        let keys: Vec<String> = object.keys().cloned().collect();
        for key in keys {
            match self.fate(&key) {
                Fate::Kept => {}
                Fate::Recoded(is) => {
                    if let Some(value) = object.remove(&key) {
                        notes.push(format!(
                            "`{at}`: {line} `{key}` recoded as `{is}` (the same label)"
                        ));
                        object.insert(is.to_owned(), value);
                    }
                }
                Fate::Gone => {
                    object.remove(&key);
                    notes.push(format!(
                        "`{at}`: {line} `{key}` dropped: the new version has no such {line}"
                    ));
                }
            }
        }
    }
}

/// Notes the codes of a choice that the new scale does not have: they cannot be migrated.
fn removed_codes(
    new: &Instrument,
    scale: crate::model::ScaleId,
    at: &str,
    value: &Value,
    notes: &mut Vec<String>,
) {
    let options = &new.scale(scale).options;
    let codes: Vec<&str> = match value {
        Value::String(code) => vec![code.as_str()],
        Value::Array(codes) => codes.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    for code in codes {
        if !options.iter().any(|o| o.code == code) {
            notes.push(format!("`{at}`: not migrated: option `{code}` was removed"));
        }
    }
}

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
use typed_index_collections::TiSlice;

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
    /// With a list of those the instrument was sent to: who replied and who did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipients: Option<Recipients>,
    pub sections: Vec<SectionReport>,
    /// The headings the instrument gives its report, each with what the items that feed it
    /// were answered, by respondent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headings: Vec<HeadingReport>,
    pub coverage: Vec<Coverage>,
    /// With the replies to a providers' instrument: needs beside offers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub providers: Option<Providers>,
    /// With `--group-by`: the groups of respondents; each item's counts in each are in its
    /// `by_group`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grouping: Option<Grouping>,
}

/// The replies counted against the list of those the instrument was sent to, matched by name
/// (the first answer of the respondent block), whatever the case and spacing, or by the code of
/// that answer when it is a country.
#[derive(Clone, Debug, Serialize)]
pub struct Recipients {
    /// How many it was sent to.
    pub sent: usize,
    /// Of those, how many replied.
    pub replied: usize,
    /// Those that did not reply, in the list's order.
    pub not_replied: Vec<String>,
    /// Respondents that are not on the list.
    pub not_listed: Vec<String>,
}

impl Report {
    /// The report, with its replies counted against `recipients` (each named once; blank names
    /// are left out): a recipient replied when a respondent has its name, or its country code.
    pub fn with_recipients(mut self, recipients: &[String]) -> Report {
        let key = |name: &str| {
            name.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        let mut listed: Vec<(String, String)> = Vec::new();
        for name in recipients {
            let k = key(name);
            if !k.is_empty() && !listed.iter().any(|(known, _)| *known == k) {
                listed.push((k, name.trim().to_owned()));
            }
        }
        let names: rustc_hash::FxHashSet<String> = self
            .respondents
            .iter()
            .flat_map(|r| std::iter::once(key(&r.name)).chain(r.code.as_deref().map(key)))
            .collect();
        let listed_keys: rustc_hash::FxHashSet<&str> =
            listed.iter().map(|(k, _)| k.as_str()).collect();
        let is_listed = |respondent: &Respondent| {
            listed_keys.contains(key(&respondent.name).as_str())
                || respondent
                    .code
                    .as_deref()
                    .is_some_and(|code| listed_keys.contains(key(code).as_str()))
        };
        let not_replied: Vec<String> = listed
            .iter()
            .filter(|(k, _)| !names.contains(k))
            .map(|(_, n)| n.clone())
            .collect();
        let mut not_listed: Vec<String> = Vec::new();
        for respondent in &self.respondents {
            if !is_listed(respondent) && !not_listed.contains(&respondent.name) {
                not_listed.push(respondent.name.clone());
            }
        }
        self.recipients = Some(Recipients {
            sent: listed.len(),
            replied: listed.len() - not_replied.len(),
            not_replied,
            not_listed,
        });
        self
    }
}

impl Report {
    /// The report, with the replies to a providers' instrument (`providers`, the report on
    /// them) set beside its own: each of its grids that uses named rows, with the columns of
    /// each providers' grid that uses the same ones after its own, row by row.
    pub fn with_providers(mut self, providers: &Report, ours: &str, theirs: &str) -> Report {
        let their_grids: Vec<&ItemReport> = grids(providers).collect();
        let matched = grids(&self)
            .filter_map(|item| {
                let grid = item.grid.as_ref()?;
                let row_set = grid.row_sets.first()?;
                let offers: Vec<&ItemReport> = their_grids
                    .iter()
                    .copied()
                    .filter(|their| {
                        their.grid.as_ref().is_some_and(|g| {
                            g.row_sets.iter().any(|set| grid.row_sets.contains(set))
                        })
                    })
                    .collect();
                (!offers.is_empty()).then(|| matched(item, grid, row_set, &offers, ours, theirs))
            })
            .collect();
        self.providers = Some(Providers {
            instrument: providers.instrument.clone(),
            replies: providers.replies,
            respondents: providers
                .respondents
                .iter()
                .map(|r| r.name.clone())
                .collect(),
            matched,
        });
        self
    }
}

impl Report {
    /// The report, with each item's counts in each group of respondents: `groups` are the
    /// reports on each group's replies, in the order they are shown, `item` the country item
    /// they were grouped by, at `level`.
    pub fn with_groups(
        mut self,
        level: Level,
        item: &str,
        groups: Vec<(String, Report)>,
    ) -> Report {
        for (s, section) in self.sections.iter_mut().enumerate() {
            for (i, report) in section.items.iter_mut().enumerate() {
                let counted = !report.options.is_empty() || report.numbers.is_some();
                if !counted {
                    continue;
                }
                report.by_group = groups
                    .iter()
                    .filter_map(|(name, group)| {
                        let theirs = group.sections.get(s)?.items.get(i)?;
                        Some(GroupRow {
                            group: name.clone(),
                            asked: theirs.asked,
                            answered: theirs.answered,
                            base: theirs.base,
                            options: theirs.options.clone(),
                            specials: theirs.specials.clone(),
                            numbers: theirs.numbers.clone(),
                        })
                    })
                    .collect();
            }
        }
        self.grouping = Some(Grouping {
            by: level.as_str(),
            item: item.to_owned(),
            source: crate::countries::SOURCE,
            groups: groups
                .iter()
                .map(|(name, group)| Group {
                    name: name.clone(),
                    replies: group.replies,
                    respondents: group.respondents.iter().map(|r| r.name.clone()).collect(),
                })
                .collect(),
        });
        self
    }
}

/// The items of a report that are grids.
fn grids(report: &Report) -> impl Iterator<Item = &ItemReport> {
    report
        .sections
        .iter()
        .flat_map(|section| &section.items)
        .filter(|item| item.grid.is_some())
}

/// A grid with the columns of the providers' grids that use the same named rows after its own.
fn matched(
    item: &ItemReport,
    grid: &GridReport,
    row_set: &str,
    offers: &[&ItemReport],
    ours: &str,
    theirs: &str,
) -> Matched {
    let mut columns: Vec<GridColumn> = grid
        .columns
        .iter()
        .map(|c| GridColumn {
            source: Some(ours.to_owned()),
            ..c.clone()
        })
        .collect();
    let mut rows: Vec<GridRow> = grid
        .rows
        .iter()
        .filter(|row| !row.ticked.is_empty())
        .map(|row| GridRow {
            texts: Vec::new(),
            ..row.clone()
        })
        .collect();
    for offer in offers {
        let Some(their) = &offer.grid else { continue };
        columns.extend(their.columns.iter().map(|c| GridColumn {
            source: Some(theirs.to_owned()),
            ..c.clone()
        }));
        for row in &mut rows {
            let ticked = their.rows.iter().find(|r| r.id == row.id);
            match ticked.filter(|r| !r.ticked.is_empty()) {
                Some(their_row) => row.ticked.extend(their_row.ticked.iter().cloned()),
                None => row
                    .ticked
                    .extend(std::iter::repeat_n(Vec::new(), their.columns.len())),
            }
        }
    }
    Matched {
        row_set: row_set.to_owned(),
        item: item.id.clone(),
        number: item.number.clone(),
        label: item.label.clone(),
        provider_items: offers.iter().map(|o| o.id.clone()).collect(),
        grid: GridReport {
            columns,
            rows,
            row_sets: vec![row_set.to_owned()],
        },
    }
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
    /// The first answer of the respondent block as shown (such as the Member State's name), or
    /// the reply's id.
    pub name: String,
    /// That answer's code, where it is a country's (`KEN`): recipients may be listed by it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
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
    /// With `--group-by`: the same counts in each group of respondents.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_group: Vec<GroupRow>,
}

/// An item's counts among the respondents of one group.
#[derive(Clone, Debug, Serialize)]
pub struct GroupRow {
    pub group: String,
    pub asked: usize,
    pub answered: usize,
    pub base: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Count>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub specials: Vec<Count>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numbers: Option<Summary>,
}

/// The levels of the UN M49 regions that respondents can be grouped by, through the country
/// they answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Africa, Americas, Asia, Europe, Oceania.
    Region,
    /// Such as Sub-Saharan Africa, or Latin America and the Caribbean.
    Subregion,
    /// Such as Eastern Africa, or the Caribbean; where M49 has none, the sub-region.
    Intermediate,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Region => "region",
            Level::Subregion => "subregion",
            Level::Intermediate => "intermediate region",
        }
    }

    /// The group of a country answer: its M49 region at this level, or [`NO_REGION`] for a
    /// code M49 does not place (one ISO 3166-1 leaves to users, Antarctica) or no answer.
    pub fn group(self, code: Option<&str>) -> &'static str {
        let Some(country) = code.and_then(crate::countries::find) else {
            return NO_REGION;
        };
        let name = match self {
            Level::Region => country.region,
            Level::Subregion => country.subregion,
            Level::Intermediate if country.intermediate.is_empty() => country.subregion,
            Level::Intermediate => country.intermediate,
        };
        if name.is_empty() {
            NO_REGION
        } else {
            name
        }
    }
}

/// The group of respondents whose country M49 does not place, or who gave none.
pub const NO_REGION: &str = "No M49 region";

/// How the respondents are grouped, and the groups: each with its replies and respondents.
#[derive(Clone, Debug, Serialize)]
pub struct Grouping {
    /// The level of the regions: `region`, `subregion` or `intermediate region`.
    pub by: &'static str,
    /// The country item the regions are read from.
    pub item: String,
    /// Where the regions come from.
    pub source: &'static str,
    pub groups: Vec<Group>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Group {
    pub name: String,
    pub replies: usize,
    pub respondents: Vec<String>,
}

/// The item whose answer places a respondent in a region: the first country item of the
/// respondent block, or else of the instrument.
pub fn country_item(instrument: &Instrument) -> Option<&Item> {
    let countries = || {
        instrument
            .items
            .iter()
            .filter(|item| matches!(item.answer, Some(AnswerType::Country)))
    };
    countries()
        .find(|item| {
            instrument
                .sections
                .get(item.section)
                .is_some_and(|s| s.respondent)
        })
        .or_else(|| countries().next())
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
    pub columns: Vec<GridColumn>,
    pub rows: Vec<GridRow>,
    /// The names of the named rows among its rows (`row_sets` of the form).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub row_sets: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct GridColumn {
    pub id: String,
    pub label: String,
    /// Whose replies its ticks are, where a grid sets columns of two instruments side by side.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Needs beside offers: a grid of the instrument and the grids of the providers' instrument
/// that use the same named rows, their columns side by side, area by area.
#[derive(Clone, Debug, Serialize)]
pub struct Matched {
    /// The named rows the grids share.
    pub row_set: String,
    /// The instrument's grid, by id, and as printed.
    pub item: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    pub label: String,
    /// The providers' grids, by id.
    pub provider_items: Vec<String>,
    /// The instrument's columns, then the providers' (`source` says whose), over the rows of
    /// the instrument's grid that have boxes.
    pub grid: GridReport,
}

/// What `--providers` adds: the replies to the providers' instrument, and needs beside offers.
#[derive(Clone, Debug, Serialize)]
pub struct Providers {
    pub instrument: Heading,
    pub replies: usize,
    pub respondents: Vec<String>,
    pub matched: Vec<Matched>,
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

/// An item's counts by group as a table both writers show: its header (the level, the base,
/// then each option as the item shows it, or the summary of numbers) and a row per group;
/// `None` for an item without counts by group.
pub(crate) fn group_table(
    item: &ItemReport,
    level: &str,
) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    if item.by_group.is_empty() {
        return None;
    }
    let mut header = vec![level.to_owned(), "base".to_owned()];
    let rows = if item.numbers.is_some() {
        header.extend(["n", "min", "median", "max", "sum"].map(str::to_owned));
        item.by_group
            .iter()
            .map(|row| {
                let mut cells = vec![row.group.clone(), row.base.to_string()];
                match &row.numbers {
                    Some(s) => cells.extend([
                        s.n.to_string(),
                        figure(s.min),
                        figure(s.median),
                        figure(s.max),
                        figure(s.sum),
                    ]),
                    None => cells.extend(std::iter::repeat_n("—".to_owned(), 5)),
                }
                cells
            })
            .collect()
    } else {
        let counts: Vec<&Count> = item.options.iter().chain(&item.specials).collect();
        header.extend(counts.iter().map(|c| c.label.clone()));
        item.by_group
            .iter()
            .map(|row| {
                let mut cells = vec![row.group.clone(), row.base.to_string()];
                for count in &counts {
                    let theirs = row
                        .options
                        .iter()
                        .chain(&row.specials)
                        .find(|c| c.code == count.code);
                    cells.push(match theirs {
                        Some(c) if c.share.is_some() => {
                            format!("{} ({})", c.count, percent(c.share))
                        }
                        Some(c) => c.count.to_string(),
                        None => "0".to_owned(),
                    });
                }
                cells
            })
            .collect()
    };
    Some((header, rows))
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

/// The report on `replies` (valid replies: the caller leaves out the others), in their order.
pub fn report(instrument: &Instrument, replies: &[Reply<'_>], today: &str) -> Report {
    let mut tally = Tally::new(instrument);
    for reply in replies {
        tally.add(reply, today);
    }
    tally.report()
}

/// The report, built a reply at a time: what it keeps grows with what the report shows (counts,
/// and the texts and names it lists), not with the replies read. Tallies of parts of the
/// replies merge, in order, into the tally of all of them, so that replies can be read in
/// parallel.
pub struct Tally<'i> {
    instrument: &'i Instrument,
    replies: usize,
    respondents: Vec<Respondent>,
    /// By item: what it was answered.
    items: Vec<ItemTally>,
    /// By item that feeds a heading: what each respondent answered.
    gathered: Vec<Vec<Said>>,
    /// The paragraphs cited, with the items that cite them and the respondents that answered
    /// one of them.
    cited: Vec<((usize, usize), Vec<ItemId>, usize)>,
    /// A group's tally keeps counts and numbers, not what respondents wrote or who ticked:
    /// the report shows those once, for all.
    counts_only: bool,
    /// With `--group-by`: the level of the regions and the country item they are read from,
    /// and a tally for each group.
    grouping: Option<(Level, &'i str)>,
    groups: std::collections::BTreeMap<&'static str, Tally<'i>>,
}

/// What one item was answered, so far.
#[derive(Clone, Debug, Default)]
struct ItemTally {
    asked: usize,
    answered: usize,
    specials: Vec<(String, usize)>,
    /// By option of a choice.
    options: Vec<usize>,
    /// By code of a country.
    countries: std::collections::BTreeMap<String, usize>,
    /// Single choices answered with a value other than "Not applicable", and multiple ones.
    base: usize,
    numbers: Vec<f64>,
    amounts: Vec<(String, Vec<f64>)>,
    texts: Vec<Said>,
    /// A grid's rows: by column, who ticked; or, for a row with an answer, who wrote what.
    ticked: Vec<Vec<Vec<String>>>,
    row_texts: Vec<Vec<Said>>,
    records: usize,
}

impl ItemTally {
    fn merge(&mut self, other: ItemTally) {
        self.asked += other.asked;
        self.answered += other.answered;
        for (code, count) in other.specials {
            match self.specials.iter_mut().find(|(known, _)| *known == code) {
                Some((_, total)) => *total += count,
                None => self.specials.push((code, count)),
            }
        }
        add_counts(&mut self.options, &other.options);
        for (code, count) in other.countries {
            *self.countries.entry(code).or_default() += count;
        }
        self.base += other.base;
        self.numbers.extend(other.numbers);
        for (currency, values) in other.amounts {
            match self
                .amounts
                .iter_mut()
                .find(|(known, _)| *known == currency)
            {
                Some((_, total)) => total.extend(values),
                None => self.amounts.push((currency, values)),
            }
        }
        self.texts.extend(other.texts);
        for (mine, theirs) in self.ticked.iter_mut().zip(other.ticked) {
            for (names, more) in mine.iter_mut().zip(theirs) {
                names.extend(more);
            }
        }
        for (mine, theirs) in self.row_texts.iter_mut().zip(other.row_texts) {
            mine.extend(theirs);
        }
        self.records += other.records;
    }
}

fn add_counts(to: &mut [usize], from: &[usize]) {
    for (total, count) in to.iter_mut().zip(from) {
        *total += count;
    }
}

impl<'i> Tally<'i> {
    pub fn new(instrument: &'i Instrument) -> Tally<'i> {
        let items = instrument
            .items
            .iter()
            .map(|item| match &item.answer {
                Some(AnswerType::Choice { scale, .. }) => ItemTally {
                    options: vec![0; instrument.scale(*scale).options.len()],
                    ..ItemTally::default()
                },
                Some(AnswerType::Grid(grid)) => ItemTally {
                    ticked: grid
                        .rows
                        .iter()
                        .map(|row| match row.answer {
                            Some(_) => Vec::new(),
                            None => vec![Vec::new(); grid.columns.len()],
                        })
                        .collect(),
                    row_texts: vec![Vec::new(); grid.rows.len()],
                    ..ItemTally::default()
                },
                _ => ItemTally::default(),
            })
            .collect();
        let mut cited: Vec<((usize, usize), Vec<ItemId>, usize)> = Vec::new();
        for (id, item) in instrument.items.iter_enumerated() {
            let mut citations: Vec<&crate::model::Citation> = item.citations.iter().collect();
            if let Some(AnswerType::Grid(grid)) = &item.answer {
                citations.extend(grid.rows.iter().flat_map(|row| &row.citations));
            }
            for citation in citations {
                let key = (
                    usize::from(citation.document),
                    usize::from(citation.paragraph),
                );
                match cited.iter_mut().find(|(known, _, _)| *known == key) {
                    Some((_, items, _)) if !items.contains(&id) => items.push(id),
                    Some(_) => {}
                    None => cited.push((key, vec![id], 0)),
                }
            }
        }
        cited.sort_by_key(|(key, _, _)| *key);
        Tally {
            instrument,
            replies: 0,
            respondents: Vec::new(),
            items,
            gathered: vec![Vec::new(); instrument.items.len()],
            cited,
            counts_only: false,
            grouping: None,
            groups: std::collections::BTreeMap::new(),
        }
    }

    /// The tally, with each group of respondents counted apart too: by the M49 region at
    /// `level` of their answer to the country item `item`.
    pub fn grouped(mut self, level: Level, item: &'i Item) -> Tally<'i> {
        self.grouping = Some((level, item.id.as_str()));
        self
    }

    /// Adds a reply: its respondent, and what it answered each item it was asked.
    pub fn add(&mut self, reply: &Reply<'_>, today: &str) {
        let instrument = self.instrument;
        let answers = eval::with_calculations(instrument, reply.answers, today);
        let asked = eval::enabled(instrument, &answers);
        let respondent = respondent(instrument, reply, &answers);
        if let Some((level, item)) = self.grouping {
            let code = answers.get(item).and_then(Value::as_str);
            let group = self
                .groups
                .entry(level.group(code))
                .or_insert_with(|| Tally {
                    counts_only: true,
                    ..Tally::new(instrument)
                });
            group.absorb(&answers, &asked, respondent.clone());
        }
        self.absorb(&answers, &asked, respondent);
    }

    /// Adds a reply's answers (with its calculated values), what it was asked, and who sent it.
    fn absorb(
        &mut self,
        answers: &Answers,
        asked: &TiSlice<ItemId, bool>,
        mut respondent: Respondent,
    ) {
        let instrument = self.instrument;
        let name = respondent.name.clone();
        if self.counts_only {
            respondent.answers = Vec::new();
        }
        self.respondents.push(respondent);
        self.replies += 1;
        let keeps_texts = !self.counts_only;
        for (id, item) in instrument.items.iter_enumerated() {
            if !asked.get(id).copied().unwrap_or(false) {
                continue;
            }
            let value = answers.get(&item.id).filter(|v| !v.is_null());
            if let (true, false, Some(value)) = (keeps_texts, item.feeds.is_empty(), value) {
                if let (Some(said), Some(gathered)) = (
                    gathered(instrument, item, value),
                    self.gathered.get_mut(usize::from(id)),
                ) {
                    gathered.push(Said {
                        respondent: name.clone(),
                        text: said,
                    });
                }
            }
            if let Some(tally) = self.items.get_mut(usize::from(id)) {
                tally.asked += 1;
                if let Some(value) = value {
                    tally.answered += 1;
                    count(instrument, item, tally, keeps_texts.then_some(&name), value);
                }
            }
        }
        for (_, items, respondents) in &mut self.cited {
            let answered_one = items.iter().any(|id| {
                asked.get(*id).copied().unwrap_or(false) && answered(instrument, answers, *id)
            });
            if answered_one {
                *respondents += 1;
            }
        }
    }

    /// The tally of these replies and then those of `other`.
    pub fn merge(mut self, other: Tally<'i>) -> Tally<'i> {
        self.replies += other.replies;
        self.respondents.extend(other.respondents);
        for (mine, theirs) in self.items.iter_mut().zip(other.items) {
            mine.merge(theirs);
        }
        for (mine, theirs) in self.gathered.iter_mut().zip(other.gathered) {
            mine.extend(theirs);
        }
        for (mine, theirs) in self.cited.iter_mut().zip(other.cited) {
            mine.2 += theirs.2;
        }
        for (name, group) in other.groups {
            let merged = match self.groups.remove(name) {
                Some(mine) => mine.merge(group),
                None => group,
            };
            self.groups.insert(name, merged);
        }
        self
    }

    pub fn report(mut self) -> Report {
        let grouping = self.grouping;
        let groups = std::mem::take(&mut self.groups);
        let report = self.report_all();
        let Some((level, item)) = grouping else {
            return report;
        };
        // The regions by name, and last those respondents M49 does not place.
        let mut groups: Vec<(String, Report)> = groups
            .into_iter()
            .map(|(name, tally)| (name.to_owned(), tally.report_all()))
            .collect();
        groups.sort_by_key(|(name, _)| (name == NO_REGION, name.clone()));
        report.with_groups(level, item, groups)
    }

    /// The report on every reply tallied, without groups.
    fn report_all(self) -> Report {
        let instrument = self.instrument;
        let mut items: Vec<Option<ItemTally>> = self.items.into_iter().map(Some).collect();
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
                    .map(|(id, item)| {
                        let tally = items
                            .get_mut(usize::from(id))
                            .and_then(Option::take)
                            .unwrap_or_default();
                        item_report(instrument, id, item, tally)
                    })
                    .collect(),
            })
            .collect();
        let mut gathered = self.gathered;
        let headings = instrument
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
                        // An item that feeds two headings shows its answers under each.
                        said: match item.feeds.last() == Some(&index) {
                            true => gathered
                                .get_mut(usize::from(id))
                                .map(std::mem::take)
                                .unwrap_or_default(),
                            false => gathered.get(usize::from(id)).cloned().unwrap_or_default(),
                        },
                    })
                    .collect(),
            })
            .collect();
        let coverage = self
            .cited
            .into_iter()
            .filter_map(|((document, paragraph), items, respondents)| {
                let document = instrument.documents.iter().nth(document)?;
                let paragraph = document.paragraphs.iter().nth(paragraph)?;
                Some(Coverage {
                    document: document.id.clone(),
                    title: document.title.clone(),
                    paragraph: paragraph.number.clone(),
                    items: items
                        .iter()
                        .map(|id| instrument.item(*id).id.clone())
                        .collect(),
                    printed: items.iter().map(|id| printed(instrument, *id)).collect(),
                    respondents,
                })
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
            replies: self.replies,
            respondents: self.respondents,
            recipients: None,
            sections,
            headings,
            coverage,
            providers: None,
            grouping: None,
        }
    }
}

/// Counts one answer (a value or a special answer) of a reply that was asked the item; with
/// the respondent's `name`, keeps what it wrote and which boxes it ticked too.
fn count(
    instrument: &Instrument,
    item: &Item,
    tally: &mut ItemTally,
    name: Option<&str>,
    value: &Value,
) {
    if let Some(code) = eval::special_code(value) {
        match tally.specials.iter_mut().find(|(known, _)| known == code) {
            Some((_, count)) => *count += 1,
            None => tally.specials.push((code.to_owned(), 1)),
        }
        return;
    }
    let Some(answer) = &item.answer else { return };
    match answer {
        AnswerType::Choice { scale, multiple } => {
            let options = &instrument.scale(*scale).options;
            let chose = |code: &str| match value {
                Value::String(chosen) => chosen == code,
                Value::Array(ticked) => ticked.iter().any(|t| t.as_str() == Some(code)),
                _ => false,
            };
            for (count, option) in tally.options.iter_mut().zip(options) {
                if chose(&option.code) {
                    *count += 1;
                }
            }
            if *multiple || !chose(NOT_APPLICABLE) {
                tally.base += 1;
            }
        }
        AnswerType::Number { .. } => {
            tally.base += 1;
            tally.numbers.extend(value.as_f64());
        }
        AnswerType::Amount { .. } => {
            tally.base += 1;
            let (Some(n), Some(c)) = (
                value.get("value").and_then(Value::as_f64),
                value.get("currency").and_then(Value::as_str),
            ) else {
                return;
            };
            match tally.amounts.iter_mut().find(|(known, _)| known == c) {
                Some((_, numbers)) => numbers.push(n),
                None => tally.amounts.push((c.to_owned(), vec![n])),
            }
        }
        AnswerType::Country => {
            tally.base += 1;
            if let Some(code) = value.as_str() {
                *tally.countries.entry(code.to_owned()).or_default() += 1;
            }
        }
        AnswerType::Text { .. } | AnswerType::Date => {
            tally.base += 1;
            if let (Some(name), Some(text)) = (name, value.as_str()) {
                tally.texts.push(Said {
                    respondent: name.to_owned(),
                    text: text.to_owned(),
                });
            }
        }
        AnswerType::Grid(grid) => {
            tally.base += 1;
            let Some(name) = name else { return };
            for ((row, ticked), texts) in grid
                .rows
                .iter()
                .zip(&mut tally.ticked)
                .zip(&mut tally.row_texts)
            {
                let answer = value.get(&row.id);
                if row.answer.is_some() {
                    if let Some(text) = answer.and_then(Value::as_str) {
                        texts.push(Said {
                            respondent: name.to_owned(),
                            text: text.to_owned(),
                        });
                    }
                    continue;
                }
                let Some(boxes) = answer.and_then(Value::as_array) else {
                    continue;
                };
                for (column, names) in grid.columns.iter().zip(ticked.iter_mut()) {
                    if boxes.iter().any(|b| b.as_str() == Some(column.id.as_str())) {
                        names.push(name.to_owned());
                    }
                }
            }
        }
        AnswerType::List(_) => {
            tally.base += 1;
            tally.records += value.as_array().map_or(0, Vec::len);
        }
        AnswerType::Table(_) => tally.base += 1,
    }
}

/// What the replies answered an item, from its tally.
fn item_report(instrument: &Instrument, id: ItemId, item: &Item, tally: ItemTally) -> ItemReport {
    let mut out = ItemReport {
        id: item.id.clone(),
        number: numbered(instrument, id),
        label: instrument.written(&item.label),
        asked: tally.asked,
        answered: tally.answered,
        base: tally.base,
        specials: tally
            .specials
            .into_iter()
            .map(|(code, count)| Count {
                label: label_of(instrument, &instrument.specials, &code),
                code,
                count,
                share: None,
            })
            .collect(),
        ..ItemReport::default()
    };
    let Some(answer) = &item.answer else {
        return out;
    };
    let base = tally.base;
    match answer {
        AnswerType::Choice { scale, multiple } => {
            out.kind = if *multiple { "multiple" } else { "choice" };
            out.options = instrument
                .scale(*scale)
                .options
                .iter()
                .zip(&tally.options)
                .map(|(option, count)| Count {
                    code: option.code.clone(),
                    label: instrument.written(&option.label),
                    count: *count,
                    share: (option.code != NOT_APPLICABLE && base > 0)
                        .then(|| *count as f64 / base as f64),
                })
                .collect();
        }
        AnswerType::Number { .. } => {
            out.kind = "number";
            let mut numbers = tally.numbers;
            out.numbers = Summary::of(&mut numbers);
        }
        AnswerType::Amount { .. } => {
            out.kind = "amount";
            let mut amounts = tally.amounts;
            amounts.sort_by(|a, b| a.0.cmp(&b.0));
            out.amounts = amounts
                .into_iter()
                .filter_map(|(c, mut numbers)| Some((c, Summary::of(&mut numbers)?)))
                .collect();
        }
        // Each country answered, by name (not by count: a compilation, not a ranking).
        AnswerType::Country => {
            out.kind = "country";
            let mut counts: Vec<Count> = tally
                .countries
                .into_iter()
                .map(|(code, count)| Count {
                    label: country(&code),
                    code,
                    count,
                    share: (base > 0).then(|| count as f64 / base as f64),
                })
                .collect();
            counts.sort_by(|a, b| a.label.cmp(&b.label));
            out.options = counts;
        }
        AnswerType::Text { .. } | AnswerType::Date => {
            out.kind = if matches!(answer, AnswerType::Date) {
                "date"
            } else {
                "text"
            };
            out.texts = tally.texts;
        }
        AnswerType::Grid(grid) => {
            out.kind = "grid";
            let rows = grid
                .rows
                .iter()
                .zip(tally.ticked)
                .zip(tally.row_texts)
                .map(|((row, ticked), texts)| GridRow {
                    id: row.id.clone(),
                    marker: row.marker.clone(),
                    label: instrument.written(&row.label),
                    ticked,
                    texts,
                })
                .collect();
            out.grid = Some(GridReport {
                columns: grid
                    .columns
                    .iter()
                    .map(|c| GridColumn {
                        id: c.id.clone(),
                        label: instrument.written(&c.label),
                        source: None,
                    })
                    .collect(),
                rows,
                row_sets: grid.row_sets.clone(),
            });
        }
        AnswerType::List(_) => {
            out.kind = "list";
            out.records = Some(tally.records);
        }
        AnswerType::Table(_) => out.kind = "table",
    }
    out
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
    let code = block.first().and_then(|first| {
        let item = instrument.items.iter().find(|item| item.id == first.item)?;
        match (&item.answer, answers.get(&item.id)) {
            (Some(AnswerType::Country), Some(Value::String(code))) => Some(code.clone()),
            _ => None,
        }
    });
    Respondent {
        reply: reply.id.clone(),
        name,
        code,
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
    if let Some(code) = eval::special_code(value) {
        return label_of(instrument, &instrument.specials, code);
    }
    match (&item.answer, value) {
        (Some(AnswerType::Choice { scale, .. }), Value::String(code)) => {
            label_of(instrument, &instrument.scale(*scale).options, code)
        }
        (Some(AnswerType::Country), Value::String(code)) => country(code),
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

/// A country by its English name, or by its code where the table has none (a code ISO 3166-1
/// leaves to users).
fn country(code: &str) -> String {
    crate::countries::find(code).map_or_else(|| code.to_owned(), |c| c.name("en").to_owned())
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

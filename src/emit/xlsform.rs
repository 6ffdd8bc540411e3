//! XLSForm, for ODK and KoboToolbox: a `survey`, a `choices` and a `settings` sheet.
//!
//! Sections, questions with sub-items and follow-ups made of fields become groups; scales
//! become shared `select_one` lists; conditions become `relevant` XPath over `${name}`
//! references; lists become repeats; the grid becomes a group with one `select_multiple` per
//! area, whose columns are filtered by their conditions (`choice_filter`). Citations go to
//! `guidance_hint`. Calculated values become `calculate` rows; constraints that are errors go
//! to an item's `constraint`, warnings (and the constraints of sections and records, which
//! XLSForm cannot enforce) become notes shown when they are broken; tables become groups of
//! cells whose totals are constrained to their sums. What XLSForm cannot hold is reported as a
//! [`Loss`], never dropped silently.
//! The mapping is documented in `docs/exports.md`.

use super::{Braces, Loss, Lost, Piping, Target};
use crate::arena::Arena;
use crate::model::Missing;
use crate::model::Severity;
use crate::model::{
    Aggregate, AnswerType, Block, CompareOp, Condition, Constraint, Count, Grid, Instrument, Item,
    ItemId, ItemKind, List, Operand, Reading, Table, Text,
};

/// One row of the `survey` sheet; empty strings are empty cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SurveyRow {
    pub kind: String,
    pub name: String,
    pub label: String,
    pub hint: String,
    pub guidance_hint: String,
    pub required: String,
    pub relevant: String,
    pub constraint: String,
    pub constraint_message: String,
    pub appearance: String,
    pub choice_filter: String,
    pub calculation: String,
    /// How many records a repeat has: a number, or `${item}`.
    pub repeat_count: String,
    /// What of a reply the row's element of an XForm instance holds.
    pub holds: Holds,
    /// With an amount or a country, which part of it.
    pub part: Option<ValuePart>,
}

/// What of a reply the element a row makes in an XForm instance (the submission of ODK,
/// Enketo and KoboToolbox) holds. Groups and repeats are made of their rows; notes hold
/// nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Holds {
    /// A group, a repeat, a note or a row that ends one.
    #[default]
    Nothing,
    /// An item's answer, or a calculated value.
    Answer(ItemId),
    /// A field of a list's record (the repeat's element).
    Field { list: ItemId, field: usize },
    /// A table's cell.
    Cell {
        table: ItemId,
        row: usize,
        column: usize,
    },
    /// A grid's row: its ticks, or its text.
    GridRow { grid: ItemId, row: usize },
}

/// Which part of an answer a row holds: of an amount (`{value, currency}`), its value or its
/// currency; of a country, the choice in the list (a country's code, or [`USER_ASSIGNED`]) or
/// the code ISO 3166-1 leaves to users that the respondent types after that choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValuePart {
    Value,
    Currency,
    Country,
    UserCode,
}

/// The choice of a country's list that stands for a code ISO 3166-1 leaves to its users, typed
/// in the row after it. (Not a code: codes are upper case.)
pub const USER_ASSIGNED: &str = "user_assigned";

/// The three sheets of an XLSForm.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct XlsForm {
    pub survey: Vec<SurveyRow>,
    /// `list_name`, `name`, `label`.
    pub choices: Vec<[String; 3]>,
    /// `form_title`, `form_id`, `version`.
    pub settings: [String; 3],
    pub losses: Vec<Loss>,
    /// With translations: the instrument's language, as XLSForm names it (`English (en)`),
    /// which the plain `label`, `hint` and `guidance_hint` columns are in.
    pub default_language: Option<String>,
    /// The texts in each translation's language, row for row.
    pub translations: Vec<LanguageColumns>,
}

/// The `label::French (fr)`, `hint::…`, `guidance_hint::…` and `constraint_message::…`
/// columns of one language.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LanguageColumns {
    /// As XLSForm names it: `French (fr)`.
    pub language: String,
    /// `label`, `hint`, `guidance_hint` and `constraint_message` of each row of the `survey`
    /// sheet.
    pub survey: Vec<[String; 4]>,
    /// The `label` of each row of the `choices` sheet.
    pub choices: Vec<String>,
}

/// The columns of the `survey` sheet, in order.
const SURVEY_COLUMNS: [&str; 13] = [
    "type",
    "name",
    "label",
    "hint",
    "guidance_hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "appearance",
    "choice_filter",
    "calculation",
    "repeat_count",
];

/// The columns of the `survey` sheet that are in a language.
const TEXT_COLUMNS: [&str; 4] = ["label", "hint", "guidance_hint", "constraint_message"];

/// Builds the XLSForm of an instrument, with a column of each text in each of its languages.
pub fn build(instrument: &Instrument) -> XlsForm {
    let mut form = build_one(instrument);
    if instrument.translations.is_empty() {
        return form;
    }
    let own = instrument.language.as_deref().unwrap_or("und");
    form.default_language = Some(language_name(own));
    for translation in &instrument.translations {
        let Some(localized) = crate::translate::localize(instrument, &translation.language) else {
            continue;
        };
        // The same instrument in other words: the same rows, in the same order.
        let other = build_one(&localized);
        form.translations.push(LanguageColumns {
            language: language_name(&translation.language),
            survey: other
                .survey
                .into_iter()
                .map(|row| {
                    [
                        row.label,
                        row.hint,
                        row.guidance_hint,
                        row.constraint_message,
                    ]
                })
                .collect(),
            choices: other
                .choices
                .into_iter()
                .map(|[_, _, label]| label)
                .collect(),
        });
    }
    form
}

/// A language as XLSForm names it: `French (fr)`.
fn language_name(code: &str) -> String {
    let name = match code.split(['-', '_']).next().unwrap_or(code) {
        "ar" => "Arabic",
        "zh" => "Chinese",
        "en" => "English",
        "fr" => "French",
        "ru" => "Russian",
        "es" => "Spanish",
        "pt" => "Portuguese",
        "de" => "German",
        _ => code,
    };
    format!("{name} ({code})")
}

/// The rows of the `survey` sheet, in the instrument's own language: the elements of the
/// XForm instance that pyxform builds from it.
pub fn survey(instrument: &Instrument) -> Vec<SurveyRow> {
    build_one(instrument).survey
}

/// Builds the XLSForm of an instrument in its own language.
fn build_one(instrument: &Instrument) -> XlsForm {
    let mut form = XlsForm {
        settings: [
            instrument.title.clone(),
            instrument.id.clone(),
            instrument.version.clone().unwrap_or_else(|| "1".to_owned()),
        ],
        ..XlsForm::default()
    };
    // Piped values: `${name}`, the value of the field of that name.
    let piping = Piping {
        instrument,
        braces: Braces::NotAfterDollar,
        reference: |item| match super::is_amount(item) {
            true => format!("${{{}_value}}", item.id),
            false => format!("${{{}}}", item.id),
        },
    };
    for scale in &instrument.scales {
        if let Some(name) = &scale.name {
            for option in &scale.options {
                let label = piping.text(&option.label);
                form.choices
                    .push([name.clone(), option.code.clone(), label]);
            }
        }
    }
    let mut writer = Writer {
        instrument,
        piping,
        form,
        notes: 0,
        every_currency: false,
        countries: false,
        relative: false,
    };
    writer.blocks(&instrument.introduction, "introduction");
    for section in &instrument.sections {
        writer.row(SurveyRow {
            kind: "begin_group".to_owned(),
            // XLSForm names groups and questions in one namespace; qc does not.
            name: if instrument.items.iter().any(|item| item.id == section.id) {
                format!("{}_section", section.id)
            } else {
                section.id.clone()
            },
            label: section.heading(&writer.plain(&section.title)),
            ..SurveyRow::default()
        });
        writer.blocks(&section.content, &section.id);
        writer.warnings(None, None, &section.constraints, &section.id);
        writer.end("end_group");
    }
    writer.form
}

/// The XLSForm as the bytes of an `.xlsx` workbook.
pub fn to_xlsx(form: &XlsForm) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let survey = workbook.add_worksheet().set_name("survey")?;
    for (column, title) in SURVEY_COLUMNS.iter().enumerate() {
        survey.write_string(0, column as u16, titled(title, form))?;
    }
    // Each translation's columns after the others.
    let translated = SURVEY_COLUMNS.len() as u16;
    for (index, language) in form.translations.iter().enumerate() {
        let first = translated + TEXT_COLUMNS.len() as u16 * index as u16;
        for (offset, title) in TEXT_COLUMNS.iter().enumerate() {
            let header = format!("{title}::{}", language.language);
            survey.write_string(0, first + offset as u16, header)?;
        }
        for (row, cells) in language.survey.iter().enumerate() {
            for (offset, cell) in cells.iter().enumerate() {
                if !cell.is_empty() {
                    survey.write_string(row as u32 + 1, first + offset as u16, cell.as_str())?;
                }
            }
        }
    }
    for (index, row) in form.survey.iter().enumerate() {
        let cells = [
            &row.kind,
            &row.name,
            &row.label,
            &row.hint,
            &row.guidance_hint,
            &row.required,
            &row.relevant,
            &row.constraint,
            &row.constraint_message,
            &row.appearance,
            &row.choice_filter,
            &row.calculation,
            &row.repeat_count,
        ];
        for (column, cell) in cells.iter().enumerate() {
            if !cell.is_empty() {
                survey.write_string(index as u32 + 1, column as u16, cell.as_str())?;
            }
        }
    }
    let choices = workbook.add_worksheet().set_name("choices")?;
    for (column, title) in ["list_name", "name", "label"].iter().enumerate() {
        choices.write_string(0, column as u16, titled(title, form))?;
    }
    for (index, row) in form.choices.iter().enumerate() {
        for (column, cell) in row.iter().enumerate() {
            choices.write_string(index as u32 + 1, column as u16, cell.as_str())?;
        }
    }
    for (index, language) in form.translations.iter().enumerate() {
        let column = 3 + index as u16;
        choices.write_string(0, column, format!("label::{}", language.language))?;
        for (row, label) in language.choices.iter().enumerate() {
            choices.write_string(row as u32 + 1, column, label.as_str())?;
        }
    }
    let settings = workbook.add_worksheet().set_name("settings")?;
    for (column, (title, value)) in ["form_title", "form_id", "version"]
        .iter()
        .zip(&form.settings)
        .enumerate()
    {
        settings.write_string(0, column as u16, *title)?;
        settings.write_string(1, column as u16, value.as_str())?;
    }
    if let Some(language) = &form.default_language {
        settings.write_string(0, 3, "default_language")?;
        settings.write_string(1, 3, language.as_str())?;
    }
    workbook.save_to_buffer()
}

/// A column title, with the default language when the form has translations: `label` becomes
/// `label::English (en)`, so that no column is in an unnamed language.
fn titled(title: &str, form: &XlsForm) -> String {
    match (&form.default_language, title) {
        (Some(language), title) if TEXT_COLUMNS.contains(&title) => {
            format!("{title}::{language}")
        }
        _ => title.to_owned(),
    }
}

/// A value the form computes, as [`Writer::computed`] writes it.
struct Computed<'o> {
    /// Its row, with its name and label.
    row: SurveyRow,
    holds: Holds,
    calculation: &'o Operand,
    /// Whether it is an amount (a value and a currency).
    amount: bool,
    shown: bool,
}

struct Writer<'i> {
    instrument: &'i Instrument,
    piping: Piping<'i>,
    form: XlsForm,
    notes: usize,
    /// Whether the `currencies` list of every ISO 4217 code is in the `choices` sheet.
    every_currency: bool,
    /// Whether the `iso-3166-countries` list (ISO 3166-1 alpha-3 codes) is in the `choices` sheet.
    countries: bool,
    /// Whether fields are read from the record at hand by their paths relative to it, as in
    /// the predicate of an aggregate's filter (`${list}[list_kind = 'shelter']`), rather than
    /// as `${list_kind}`.
    relative: bool,
}

impl Writer<'_> {
    fn text(&self, text: &Text) -> String {
        self.piping.text(text)
    }

    /// A text that pipes nothing, with its braces kept from reading as a reference.
    fn plain(&self, text: &str) -> String {
        self.piping.text(&Text::plain(text))
    }

    /// Texts joined by spaces.
    fn joined(&self, texts: &[Text]) -> String {
        self.piping.texts(texts).join(" ")
    }

    fn row(&mut self, row: SurveyRow) {
        self.form.survey.push(row);
    }

    fn end(&mut self, kind: &str) {
        self.row(SurveyRow {
            kind: kind.to_owned(),
            ..SurveyRow::default()
        });
    }

    /// Reports a loss, once for an item.
    fn lose(&mut self, item: &Item, what: Lost) {
        let loss = Loss {
            target: Target::Xlsform,
            item: item.id.clone(),
            span: item.span,
            what,
            also: Vec::new(),
        };
        if !self
            .form
            .losses
            .iter()
            .rev()
            .take(8)
            .any(|known| known == &loss)
        {
            self.form.losses.push(loss);
        }
    }

    /// Prose becomes notes; items become rows.
    fn blocks(&mut self, blocks: &[Block], scope: &str) {
        for block in blocks {
            let text = match block {
                Block::Text(text) => self.text(text),
                Block::Heading(text) => format!("**{}**", self.text(text)),
                Block::Excerpt(citations) => self.excerpt(citations),
                Block::Item(id) => {
                    self.item(*id);
                    continue;
                }
            };
            self.notes += 1;
            let name = format!("{scope}_note_{}", self.notes);
            self.row(SurveyRow {
                kind: "note".to_owned(),
                name,
                label: text,
                ..SurveyRow::default()
            });
        }
    }

    /// The paragraphs of an excerpt as the text of a note.
    fn excerpt(&self, citations: &[crate::model::Citation]) -> String {
        let mut out = Vec::new();
        for (paragraph, subparagraphs) in self.instrument.excerpt(citations) {
            if let Some(heading) = &paragraph.heading {
                out.push(format!("**{}**", self.plain(heading)));
            }
            out.push(format!(
                "{}. *{}*",
                paragraph.number,
                self.plain(paragraph.shown_text())
            ));
            out.extend(
                subparagraphs
                    .iter()
                    .map(|sub| format!("({}) *{}*", sub.letter, self.plain(sub.shown_text()))),
            );
        }
        out.join("\n\n")
    }

    fn label(&self, item: &Item) -> String {
        let label = self.text(&item.label);
        match &item.marker {
            Some(marker) if item.kind == crate::model::ItemKind::Question => {
                format!("{marker}. {label}")
            }
            Some(marker) => format!("{marker} {label}"),
            None => label,
        }
    }

    fn common(&mut self, item: &Item) -> SurveyRow {
        let relevant = match &item.condition {
            Some(condition) => self.xpath(item, condition),
            None => String::new(),
        };
        let guidance_hint = item.cited.clone().unwrap_or_default();
        SurveyRow {
            name: item.id.clone(),
            label: self.label(item),
            hint: self.joined(&item.help),
            guidance_hint: [guidance_hint, self.joined(&item.notes)]
                .iter()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
            relevant,
            ..SurveyRow::default()
        }
    }

    /// Constraints XLSForm cannot enforce on a row, as notes shown while they are broken:
    /// warnings, and the constraints of sections (`item` is `None`) and of records (`list`).
    fn warnings(
        &mut self,
        item: Option<&Item>,
        list: Option<&Item>,
        constraints: &[Constraint],
        scope: &str,
    ) {
        for (index, constraint) in constraints.iter().enumerate() {
            let enforced = item.is_some() && list.is_none();
            if enforced && constraint.severity == Severity::Error {
                continue;
            }
            let owner = list.or(item);
            let kept = self.constraint_xpath(owner, list, constraint);
            if constraint.severity == Severity::Error {
                self.form.losses.push(Loss {
                    target: Target::Xlsform,
                    item: owner.map_or_else(|| scope.to_owned(), |item| item.id.clone()),
                    span: owner.map_or(constraint.span, |item| item.span),
                    what: Lost::SectionConstraint,
                    also: Vec::new(),
                });
            }
            self.row(SurveyRow {
                kind: "note".to_owned(),
                name: format!("{scope}_check_{}", index + 1),
                label: self.text(&constraint.message),
                relevant: format!("not({kept})"),
                ..SurveyRow::default()
            });
        }
    }

    /// A constraint as XPath: kept, or not tested because something it compares is empty.
    fn constraint_xpath(
        &mut self,
        owner: Option<&Item>,
        list: Option<&Item>,
        constraint: &Constraint,
    ) -> String {
        // A constraint reads items, so an instrument with one has items to report losses on.
        let Some(reporter) = owner.or(self.instrument.items.first()) else {
            return "true()".to_owned();
        };
        let operands = constraint.operands();
        let mut tests: Vec<String> = operands
            .iter()
            .map(|reading| format!("{} = ''", self.reading(list, *reading)))
            .collect();
        // Amounts of two currencies are not compared: the constraint is not tested.
        let mut compared = Vec::new();
        constraint
            .condition
            .for_each_compared_value(&mut |value| compared.push(value));
        tests.extend(
            self.agreement(list, &compared)
                .into_iter()
                .map(|test| format!("not({test})")),
        );
        tests.push(format!(
            "({})",
            self.xpath_in(reporter, list, &constraint.condition)
        ));
        tests.join(" or ")
    }

    fn item(&mut self, id: ItemId) {
        let item = self.instrument.items.at(id);
        let mut row = self.common(item);
        let required = if item.required { "yes" } else { "" }.to_owned();
        if !item.specials.is_empty() {
            self.lose(item, Lost::Specials);
        }
        if item.kind == ItemKind::Calculated {
            if let Some(calculation) = &item.calculation {
                self.computed(
                    item,
                    None,
                    Computed {
                        row,
                        holds: Holds::Answer(id),
                        calculation,
                        amount: matches!(item.answer, Some(AnswerType::Amount { .. })),
                        shown: item.shown,
                    },
                );
            }
            return;
        }
        // Errors of an item with a row of its own are its `constraint`; the rest are notes.
        let errors: Vec<&Constraint> = item
            .constraints
            .iter()
            .filter(|c| c.severity == Severity::Error)
            .collect();
        let own_row = !matches!(
            item.answer,
            None | Some(
                AnswerType::List(_)
                    | AnswerType::Grid(_)
                    | AnswerType::Table(_)
                    | AnswerType::Amount { .. }
            )
        );
        if own_row && !errors.is_empty() {
            let kept: Vec<String> = errors
                .iter()
                .map(|c| format!("({})", self.constraint_xpath(Some(item), None, c)))
                .collect();
            row.constraint = kept.join(" and ");
            row.constraint_message = errors
                .iter()
                .map(|c| self.text(&c.message))
                .collect::<Vec<_>>()
                .join(" ");
        }
        let notes: Vec<Constraint> = if own_row {
            item.constraints
                .iter()
                .filter(|c| c.severity != Severity::Error)
                .cloned()
                .collect()
        } else {
            item.constraints.clone()
        };
        self.item_answer(id, row, required);
        if !own_row && notes.iter().any(|c| c.severity == Severity::Error) {
            self.lose(item, Lost::GroupConstraint);
        }
        // Shown as warnings; the loss above says when they were errors.
        let shown: Vec<Constraint> = notes
            .into_iter()
            .map(|mut c| {
                c.severity = Severity::Warning;
                c
            })
            .collect();
        self.warnings(Some(item), None, &shown, &item.id);
        // A group's children are inside it; an answered item's follow it.
        if item.answer.is_some() {
            self.children(item);
        }
    }

    /// The rows of an item by what it answers: a group of its children, a repeat, a table's
    /// or a grid's group of cells, an amount's value and currency, or one row.
    fn item_answer(&mut self, id: ItemId, mut row: SurveyRow, required: String) {
        let item = self.instrument.items.at(id);
        match &item.answer {
            None => {
                row.kind = "begin_group".to_owned();
                self.row(row);
                self.children(item);
                self.end("end_group");
            }
            Some(AnswerType::List(list)) => self.list(id, list, row),
            Some(AnswerType::Table(table)) => self.table(id, table, row),
            Some(AnswerType::Grid(grid)) => self.grid(id, grid, row),
            Some(AnswerType::Amount { currencies }) => {
                row.holds = Holds::Answer(id);
                row.required = required;
                self.lose(item, Lost::Amount);
                self.amount(row, currencies);
            }
            Some(AnswerType::Country) => {
                row.holds = Holds::Answer(id);
                row.required = required;
                self.country(row);
            }
            Some(answer) => {
                row.required = required;
                row.holds = Holds::Answer(id);
                self.answer_type(item, answer, &mut row);
                self.row(row);
            }
        }
    }

    /// A list: a repeat of its fields, with the record constraints as notes.
    fn list(&mut self, id: ItemId, list: &List, mut row: SurveyRow) {
        let item = self.instrument.items.at(id);
        row.kind = "begin_repeat".to_owned();
        row.holds = Holds::Answer(id);
        // "As many records as the answer says": XLSForm's `repeat_count`, which makes exactly
        // that many. A least number that is not the same is lost, and so is any other bound.
        match (&list.min, &list.max) {
            (min, Some(Count::Item(count))) => {
                row.repeat_count = self.name(*count);
                if min.as_ref().is_some_and(|min| min != &Count::Item(*count)) {
                    self.lose(item, Lost::RecordBounds);
                }
            }
            (Some(Count::Number(min)), Some(Count::Number(max))) if min == max => {
                row.repeat_count = max.to_string();
            }
            (None, None) => {}
            _ => self.lose(item, Lost::RecordBounds),
        }
        self.row(row);
        for (index, field) in list.fields.iter().enumerate() {
            let relevant = match &field.condition {
                Some(condition) => self.xpath_in(item, Some(item), condition),
                None => String::new(),
            };
            if let Some(calculation) = &field.calculation {
                // A `calculate` in the repeat, which pyxform makes read the record's own
                // fields.
                let row = SurveyRow {
                    name: format!("{}_{}", item.id, field.id),
                    label: self.text(&field.label),
                    ..SurveyRow::default()
                };
                self.computed(
                    item,
                    Some(item),
                    Computed {
                        row,
                        holds: Holds::Field {
                            list: id,
                            field: index,
                        },
                        calculation,
                        amount: matches!(field.answer, AnswerType::Amount { .. }),
                        shown: field.shown,
                    },
                );
                continue;
            }
            let field_row = SurveyRow {
                name: format!("{}_{}", item.id, field.id),
                label: self.text(&field.label),
                hint: self.joined(&field.help),
                guidance_hint: self.joined(&field.notes),
                required: if field.required {
                    "yes".to_owned()
                } else {
                    String::new()
                },
                relevant,
                holds: Holds::Field {
                    list: id,
                    field: index,
                },
                ..SurveyRow::default()
            };
            self.answer_rows(item, &field.answer, field_row);
        }
        self.warnings(
            Some(item),
            Some(item),
            &list.constraints,
            &format!("{}_record", item.id),
        );
        self.end("end_repeat");
    }

    /// A table: a field-list group of its cells; a total cell is constrained to the sum of the
    /// cells it totals.
    fn table(&mut self, id: ItemId, table: &Table, mut row: SurveyRow) {
        let item = self.instrument.items.at(id);
        row.kind = "begin_group".to_owned();
        row.appearance = "field-list".to_owned();
        self.row(row);
        let cell = |row: &str, column: &str| format!("{}_{row}_{column}", item.id);
        for (row_index, line) in table.rows.iter().enumerate() {
            for (column_index, column) in table.columns.iter().enumerate() {
                let mut cells = SurveyRow {
                    name: cell(&line.id, &column.id),
                    label: format!("{}: {}", self.text(&line.label), self.text(&column.label)),
                    guidance_hint: line.cited.clone().unwrap_or_default(),
                    holds: Holds::Cell {
                        table: id,
                        row: row_index,
                        column: column_index,
                    },
                    // A required table is filled in cell by cell.
                    required: if item.required { "yes" } else { "" }.to_owned(),
                    ..SurveyRow::default()
                };
                // A total cell is the sum of the cells it totals, when they are filled.
                let value = |name: String| match *table.cell {
                    AnswerType::Amount { .. } => format!("${{{name}_value}}"),
                    _ => format!("${{{name}}}"),
                };
                let parts: Vec<String> = if line.total {
                    let rows = table.rows.iter().filter(|r| !r.total);
                    rows.map(|r| value(cell(&r.id, &column.id))).collect()
                } else if column.total {
                    let columns = table.columns.iter().filter(|c| !c.total);
                    columns.map(|c| value(cell(&line.id, &c.id))).collect()
                } else {
                    Vec::new()
                };
                if !parts.is_empty() {
                    let empty: Vec<String> = parts.iter().map(|p| format!("{p} = ''")).collect();
                    cells.constraint =
                        format!("({} or . = {})", empty.join(" or "), parts.join(" + "));
                    cells.constraint_message = "The total must be the sum of its cells".to_owned();
                }
                self.answer_rows(item, &table.cell, cells);
            }
        }
        self.end("end_group");
    }

    /// A grid: a field-list group with a `select_multiple` over the columns per row.
    fn grid(&mut self, id: ItemId, grid: &Grid, mut row: SurveyRow) {
        let item = self.instrument.items.at(id);
        row.kind = "begin_group".to_owned();
        row.appearance = "field-list".to_owned();
        self.row(row);
        let list = format!("{}_columns", item.id);
        for column in &grid.columns {
            self.form
                .choices
                .push([list.clone(), column.id.clone(), self.text(&column.label)]);
        }
        let filters: Vec<String> = grid
            .columns
            .iter()
            .map(|column| match &column.condition {
                Some(condition) => format!(
                    "(name = '{}' and ({}))",
                    column.id,
                    self.xpath(item, condition)
                ),
                None => format!("name = '{}'", column.id),
            })
            .collect();
        let filter = if grid.columns.iter().any(|c| c.condition.is_some()) {
            filters.join(" or ")
        } else {
            String::new()
        };
        for (index, row) in grid.rows.iter().enumerate() {
            let mut cells = SurveyRow {
                name: format!("{}_{}", item.id, row.id),
                label: format!("{} {}", row.marker, self.text(&row.label)),
                guidance_hint: row.cited.clone().unwrap_or_default(),
                holds: Holds::GridRow {
                    grid: id,
                    row: index,
                },
                ..SurveyRow::default()
            };
            match &row.answer {
                Some(answer) => self.answer_rows(item, answer, cells),
                None => {
                    cells.kind = format!("select_multiple {list}");
                    cells.choice_filter = filter.clone();
                    self.row(cells);
                }
            }
        }
        self.end("end_group");
    }

    /// The rows of an answer in a record, a table's cell or a grid's row: one row, or an
    /// amount's group.
    fn answer_rows(&mut self, item: &Item, answer: &AnswerType, mut row: SurveyRow) {
        match answer {
            AnswerType::Amount { currencies } => {
                self.lose(item, Lost::Amount);
                self.amount(row, currencies);
            }
            AnswerType::Country => self.country(row),
            _ => {
                self.answer_type(item, answer, &mut row);
                self.row(row);
            }
        }
    }

    /// An amount: a group of a decimal value and a currency, chosen among the ISO 4217 codes
    /// it allows (all of them when it names none). The row's constraint (a total's sum) goes
    /// to the value, and so does what the row holds.
    fn amount(&mut self, mut row: SurveyRow, currencies: &[String]) {
        let name = row.name.clone();
        let required = std::mem::take(&mut row.required);
        let constraint = std::mem::take(&mut row.constraint);
        let constraint_message = std::mem::take(&mut row.constraint_message);
        let holds = std::mem::take(&mut row.holds);
        row.kind = "begin_group".to_owned();
        self.row(row);
        self.row(SurveyRow {
            kind: "decimal".to_owned(),
            name: format!("{name}_value"),
            label: "Value".to_owned(),
            required: required.clone(),
            constraint,
            constraint_message,
            holds,
            part: Some(ValuePart::Value),
            ..SurveyRow::default()
        });
        let list = if currencies.is_empty() {
            let list = "currencies";
            if !std::mem::replace(&mut self.every_currency, true) {
                for (code, label) in super::currency_choices(&[]) {
                    self.form.choices.push([list.to_owned(), code, label]);
                }
            }
            list.to_owned()
        } else {
            let list = format!("{name}_currencies");
            for (code, label) in super::currency_choices(currencies) {
                self.form.choices.push([list.clone(), code, label]);
            }
            list
        };
        self.row(SurveyRow {
            kind: format!("select_one {list}"),
            name: format!("{name}_currency"),
            label: "Currency".to_owned(),
            required,
            holds,
            part: Some(ValuePart::Currency),
            ..SurveyRow::default()
        });
        self.end("end_group");
    }

    /// A country: chosen from the countries and areas of the table, searched as the respondent
    /// types, or as a code ISO 3166-1 leaves to users, chosen as [`USER_ASSIGNED`] and typed in
    /// the row after it (`<name>_code`), which checks its form.
    fn country(&mut self, mut row: SurveyRow) {
        // Not a name a scale can have, so no list of the instrument's clashes with it.
        let list = "iso-3166-countries";
        if !std::mem::replace(&mut self.countries, true) {
            for (code, name) in super::country_choices(self.instrument) {
                self.form
                    .choices
                    .push([list.to_owned(), code.to_owned(), name.to_owned()]);
            }
            self.form.choices.push([
                list.to_owned(),
                USER_ASSIGNED.to_owned(),
                self.plain("Another code (one that ISO 3166-1 leaves to its users)"),
            ]);
        }
        let name = row.name.clone();
        row.kind = format!("select_one {list}");
        row.appearance = "autocomplete".to_owned();
        row.part = Some(ValuePart::Country);
        let (required, holds) = (row.required.clone(), row.holds);
        self.row(row);
        self.row(SurveyRow {
            kind: "text".to_owned(),
            name: format!("{name}_code"),
            label: self.plain("The code (ISO 3166-1 alpha-3, such as XKX)"),
            required,
            relevant: format!("selected(${{{name}}}, '{USER_ASSIGNED}')"),
            constraint: "regex(., '^(AA[A-Z]|Q[M-Z][A-Z]|X[A-Z][A-Z]|ZZ[A-Z])$')".to_owned(),
            constraint_message: self.plain("A code that ISO 3166-1 leaves to its users: AAA to AAZ, QMA to QZZ, XAA to XZZ or ZZA to ZZZ"),
            holds,
            part: Some(ValuePart::UserCode),
            ..SurveyRow::default()
        });
    }

    fn children(&mut self, item: &Item) {
        for child in &item.children {
            self.item(*child);
        }
    }

    /// The type (and constraint, appearance) of a simple answer.
    fn answer_type(&mut self, item: &Item, answer: &AnswerType, row: &mut SurveyRow) {
        match answer {
            AnswerType::Choice { scale, multiple } => {
                let scale_ = self.instrument.scale(*scale);
                let list = match &scale_.name {
                    Some(name) => name.clone(),
                    None => {
                        let list = format!("{}_options", row.name);
                        for option in &scale_.options {
                            self.form.choices.push([
                                list.clone(),
                                option.code.clone(),
                                self.text(&option.label),
                            ]);
                        }
                        list
                    }
                };
                row.kind = format!(
                    "{} {list}",
                    if *multiple {
                        "select_multiple"
                    } else {
                        "select_one"
                    }
                );
            }
            AnswerType::Text { long } => {
                row.kind = "text".to_owned();
                if *long {
                    row.appearance = "multiline".to_owned();
                }
            }
            AnswerType::Date => row.kind = "date".to_owned(),
            AnswerType::Number { integer, min, max } => {
                row.kind = if *integer { "integer" } else { "decimal" }.to_owned();
                let mut tests = Vec::new();
                if let Some(min) = min {
                    tests.push(format!(". >= {min}"));
                }
                if let Some(max) = max {
                    tests.push(format!(". <= {max}"));
                }
                if !tests.is_empty() {
                    // The bounds first, then the item's own constraints, in one `constraint`.
                    let bounds = tests.join(" and ");
                    let message = format!("A number {}", bounds.replace(". ", ""));
                    if row.constraint.is_empty() {
                        row.constraint = bounds;
                        row.constraint_message = message;
                    } else {
                        row.constraint = format!("{bounds} and {}", row.constraint);
                        row.constraint_message = format!("{message}. {}", row.constraint_message);
                    }
                }
            }
            AnswerType::Amount { .. }
            | AnswerType::Country
            | AnswerType::List(_)
            | AnswerType::Grid(_)
            | AnswerType::Table(_) => {
                row.kind = "text".to_owned();
                self.lose(item, Lost::NestedAnswer);
            }
        }
    }

    /// A reference to what a reading reads: an item, or a field of the record at hand.
    fn reading(&self, list: Option<&Item>, reading: Reading) -> String {
        match reading {
            Reading::Item(id) => self.name(id),
            Reading::Field(field) => self.field_name(list, field),
            Reading::Cell { table, row, column } => self.cell_name(table, row, column),
        }
    }

    /// Where an amount's currency is: `${price_currency}` (a field's or a cell's likewise);
    /// `None` for what is not an amount.
    fn currency(&self, list: Option<&Item>, reading: Reading) -> Option<String> {
        if !self.instrument.reads_amount(list, reading) {
            return None;
        }
        // `${price_value}` or `list_price/list_price_value`: its currency beside it.
        let value = self.reading(list, reading);
        Some(match value.strip_suffix("_value}") {
            Some(base) => format!("{base}_currency}}"),
            None => format!("{}_currency", value.strip_suffix("_value")?),
        })
    }

    /// The tests that the amounts `values` compute with are of one currency (see
    /// [`crate::model::Operand::for_each_currency_source`]): those read, as XPath cannot test
    /// an aggregate's (a reported loss where it is computed).
    fn agreement(&self, list: Option<&Item>, values: &[&Operand]) -> Vec<String> {
        let sources = self.instrument.amount_sources(list, values.iter().copied());
        self.same_currency(list, &sources.readings)
    }

    /// The tests that the amounts among `readings` are of one currency.
    fn same_currency(&self, list: Option<&Item>, readings: &[Reading]) -> Vec<String> {
        let currencies: Vec<String> = readings
            .iter()
            .filter_map(|reading| self.currency(list, *reading))
            .collect();
        super::same_as_first(&currencies, |first, other| format!("{first} = {other}"))
    }

    /// A cell of a table: `${table_row_column}` (an amount's, its `_value`).
    fn cell_name(&self, table: ItemId, row: usize, column: usize) -> String {
        match self.instrument.cell(table, row, column) {
            Some((item, row, column, AnswerType::Amount { .. })) => {
                format!("${{{}_{}_{}_value}}", item.id, row.id, column.id)
            }
            Some((item, row, column, _)) => format!("${{{}_{}_{}}}", item.id, row.id, column.id),
            None => "''".to_owned(),
        }
    }

    fn name(&self, id: ItemId) -> String {
        let target = self.instrument.items.at(id);
        match target.answer {
            Some(AnswerType::Amount { .. }) => format!("${{{}_value}}", target.id),
            _ => format!("${{{}}}", target.id),
        }
    }

    fn field_name(&self, list: Option<&Item>, field: usize) -> String {
        match list.map(|list| (&list.id, &list.answer)) {
            Some((id, Some(AnswerType::List(records)))) if self.relative => {
                match records.fields.get(field) {
                    Some(field) if matches!(field.answer, AnswerType::Amount { .. }) => {
                        format!("{id}_{0}/{id}_{0}_value", field.id)
                    }
                    Some(field) => format!("{id}_{}", field.id),
                    None => "''".to_owned(),
                }
            }
            Some((id, Some(AnswerType::List(records)))) => match records.fields.get(field) {
                Some(field) if matches!(field.answer, AnswerType::Amount { .. }) => {
                    format!("${{{id}_{}_value}}", field.id)
                }
                Some(field) => format!("${{{id}_{}}}", field.id),
                None => "''".to_owned(),
            },
            _ => "''".to_owned(),
        }
    }

    /// A value computed by the form: a `calculate`, or for an amount a `calculate` of its
    /// value (`_value`) and one of its currency (`_currency`), as an amount's fields are named.
    /// XLSForm never shows a `calculate`: a value marked shown is a note too.
    fn computed(&mut self, item: &Item, list: Option<&Item>, computed: Computed<'_>) {
        let Computed {
            mut row,
            holds,
            calculation,
            amount,
            shown,
        } = computed;
        let name = row.name.clone();
        row.kind = "calculate".to_owned();
        row.holds = holds;
        row.calculation = self.value_xpath(item, list, calculation);
        let mut shows = format!("${{{name}}}");
        let currency = amount.then(|| {
            row.name = format!("{name}_value");
            row.part = Some(ValuePart::Value);
            shows = format!("${{{name}_value}} ${{{name}_currency}}");
            let currency = self.currency_xpath(item, list, calculation);
            SurveyRow {
                kind: "calculate".to_owned(),
                name: format!("{name}_currency"),
                label: row.label.clone(),
                calculation: format!("if(${{{name}_value}} != '', {currency}, '')"),
                holds,
                part: Some(ValuePart::Currency),
                ..SurveyRow::default()
            }
        });
        let note = shown.then(|| SurveyRow {
            kind: "note".to_owned(),
            name: format!("{name}_shown"),
            label: format!("{}: {shows}", row.label),
            ..SurveyRow::default()
        });
        self.row(row);
        for row in currency.into_iter().chain(note) {
            self.row(row);
        }
    }

    /// The currency of an amount the form computes (see [`super::currency_of`]), as its value
    /// is empty unless the amounts it computes with agree. An aggregate of amounts is computed
    /// from their values alone, and takes the currency of the first (a reported loss).
    fn currency_xpath(&mut self, item: &Item, list: Option<&Item>, operand: &Operand) -> String {
        let instrument = self.instrument;
        super::currency_of(
            instrument,
            list,
            operand,
            &mut Currencies {
                writer: self,
                item,
                list,
            },
        )
    }

    /// The test that a value has one: what it needs is filled in; `None` when it needs
    /// nothing.
    fn has_value(&self, list: Option<&Item>, operand: &Operand) -> Option<String> {
        let tests: Vec<String> = operand
            .needed()
            .into_iter()
            .map(|reading| format!("{} != ''", self.reading(list, reading)))
            .collect();
        (!tests.is_empty()).then(|| tests.join(" and "))
    }

    /// A value as an XPath expression, empty when what it needs is empty or when it divides by
    /// zero (where XPath would give `Infinity` or `NaN`, qc gives no value).
    fn value_xpath(&mut self, item: &Item, list: Option<&Item>, operand: &Operand) -> String {
        let raw = self.raw_xpath(item, list, operand);
        let mut divisors = Vec::new();
        operand.for_each_divisor(&mut |divisor| divisors.push(divisor.clone()));
        let mut tests: Vec<String> = self.has_value(list, operand).into_iter().collect();
        tests.extend(self.agreement(list, &[operand]));
        for divisor in &divisors {
            tests.push(format!("{} != 0", self.raw_xpath(item, list, divisor)));
        }
        match tests.is_empty() {
            true => raw,
            false => format!("if({}, {raw}, '')", tests.join(" and ")),
        }
    }

    fn raw_xpath(&mut self, item: &Item, list: Option<&Item>, operand: &Operand) -> String {
        crate::stack::guard(|| {
            if matches!(operand, Operand::Aggregate { .. } | Operand::Records { .. })
                && self.instrument.is_amount(list, operand)
            {
                self.lose(item, Lost::AmountAggregate);
            }
            match operand {
                Operand::Item(id) => self.name(*id),
                Operand::Field(field) => self.field_name(list, *field),
                Operand::Cell { table, row, column } => self.cell_name(*table, *row, *column),
                Operand::Score(scored) => {
                    let (scores, multiple) = self.instrument.scores(*scored).unwrap_or_default();
                    let name = self.name(*scored);
                    super::score_expression(
                        &scores,
                        multiple,
                        "''",
                        |code, score| {
                            let code = xpath_literal(code);
                            format!("if(selected({name}, {code}), {score}, 0)")
                        },
                        |code, score, otherwise| {
                            let code = xpath_literal(code);
                            format!("if({name} = {code}, {score}, {otherwise})")
                        },
                    )
                }
                Operand::Number(n) => n.to_string(),
                Operand::Date(d) => format!("date('{d}')"),
                Operand::Code(s) | Operand::Text(s) => {
                    if s.contains(['\n', '\r', '\t']) {
                        // An XForm carries XPath in attributes, where a parser reads a line
                        // break or a tab as a space (XML's attribute-value normalisation),
                        // and XPath 1.0 has no other way to write one.
                        self.lose(item, Lost::Whitespace);
                    }
                    xpath_literal(s)
                }
                Operand::Today => "today()".to_owned(),
                // XPath divides with `div`.
                Operand::Sum { .. } | Operand::Product { .. } => {
                    super::infix(operand, " div ", |o| self.raw_xpath(item, list, o))
                }
                Operand::Aggregate {
                    function,
                    over,
                    missing: Missing::None,
                } => {
                    // No value unless every value has one.
                    let tests: Vec<String> = over
                        .iter()
                        .filter_map(|o| self.has_value(list, o))
                        .collect();
                    let skipping = Operand::Aggregate {
                        function: *function,
                        over: over.clone(),
                        missing: Missing::Skip,
                    };
                    let value = self.raw_xpath(item, list, &skipping);
                    match tests.is_empty() {
                        true => value,
                        false => format!("if({}, {value}, '')", tests.join(" and ")),
                    }
                }
                Operand::Aggregate { function, over, .. } => match function {
                    // Each value with the test that it has one, as XPath reads an empty field as
                    // no number.
                    Aggregate::Sum | Aggregate::Count => {
                        let parts: Vec<String> = over
                            .iter()
                            .map(|o| {
                                let test = self.has_value(list, o);
                                let value = match function {
                                    Aggregate::Count => "1".to_owned(),
                                    _ => self.raw_xpath(item, list, o),
                                };
                                match test {
                                    Some(test) => format!("if({test}, {value}, 0)"),
                                    None => value,
                                }
                            })
                            .collect();
                        format!("({})", parts.join(" + "))
                    }
                    Aggregate::Min | Aggregate::Max => {
                        let values: Vec<String> = over
                            .iter()
                            .map(|o| self.value_xpath(item, list, o))
                            .collect();
                        format!("{}({})", function.as_str(), values.join(", "))
                    }
                },
                Operand::Records {
                    function,
                    list: records,
                    field,
                    filter,
                    missing,
                } => {
                    let records_item = self.instrument.items.at(*records);
                    let mut groups = format!("${{{}}}", records_item.id);
                    if let Some(filter) = filter {
                        // The predicate reads each repeat's fields by their relative paths.
                        let outer = std::mem::replace(&mut self.relative, true);
                        let test = self.xpath_in(item, Some(records_item), filter);
                        self.relative = outer;
                        groups = format!("{groups}[{test}]");
                    }
                    let Some(field) = field else {
                        return format!("count({groups})");
                    };
                    let nodes = match filter {
                        Some(_) => {
                            let outer = std::mem::replace(&mut self.relative, true);
                            let path = self.field_name(Some(records_item), *field);
                            self.relative = outer;
                            format!("{groups}/{path}")
                        }
                        None => self.field_name(Some(records_item), *field),
                    };
                    // An empty field is no number to XPath: only those with a value count.
                    let value = match function {
                        Aggregate::Count => format!("count({nodes}[. != ''])"),
                        other => format!("{}({nodes}[. != ''])", other.as_str()),
                    };
                    match missing {
                        Missing::Skip => value,
                        Missing::None => {
                            format!("if(count({groups}) = count({nodes}[. != '']), {value}, '')")
                        }
                    }
                }
                Operand::If {
                    condition,
                    then,
                    otherwise,
                } => format!(
                    "if({}, {}, {})",
                    self.xpath_in(item, list, condition),
                    self.raw_xpath(item, list, then),
                    self.raw_xpath(item, list, otherwise)
                ),
                Operand::Year(date) => {
                    format!(
                        "int(format-date({}, '%Y'))",
                        self.raw_xpath(item, list, date)
                    )
                }
                Operand::Between { unit, from, to } => {
                    let (from, to) = (
                        self.raw_xpath(item, list, from),
                        self.raw_xpath(item, list, to),
                    );
                    match unit {
                        crate::model::DateUnit::Days => {
                            format!("(decimal-date-time({to}) - decimal-date-time({from}))")
                        }
                        crate::model::DateUnit::Years => format!(
                            "(int(format-date({to}, '%Y')) - int(format-date({from}, '%Y')) - if(int(format-date({to}, '%m%d')) < int(format-date({from}, '%m%d')), 1, 0))"
                        ),
                    }
                }
            }
        })
    }

    /// A condition as XPath over `${name}` references.
    fn xpath(&mut self, item: &Item, condition: &Condition) -> String {
        self.xpath_in(item, None, condition)
    }

    /// A condition as XPath, in a list's own logic when `list` is given.
    fn xpath_in(&mut self, item: &Item, list: Option<&Item>, condition: &Condition) -> String {
        crate::stack::guard(|| {
            let name = |id: ItemId| -> String {
                let target = self.instrument.items.at(id);
                match target.answer {
                    Some(AnswerType::Amount { .. }) => format!("${{{}_value}}", target.id),
                    _ => format!("${{{}}}", target.id),
                }
            };
            match condition {
                Condition::Const(true) => "true()".to_owned(),
                Condition::Const(false) => "false()".to_owned(),
                Condition::Or(_) | Condition::And(_) => {
                    super::join_parts(condition, |part| self.xpath_in(item, list, part))
                        .unwrap_or_default()
                }
                Condition::Not(inner) => format!("not({})", self.xpath_in(item, list, inner)),
                // ODK's XPath has no `distinct-values`, nor the axes to compare siblings.
                Condition::Unique { .. } => {
                    self.lose(item, Lost::Unique);
                    "true()".to_owned()
                }
                Condition::Special { item: id, .. } => {
                    let of = Some(self.instrument.items.at(*id).id.clone());
                    self.lose(item, Lost::SpecialTest { of });
                    "false()".to_owned()
                }
                Condition::Answered(id) => {
                    if matches!(
                        self.instrument.items.at(*id).answer,
                        Some(AnswerType::Grid(_) | AnswerType::List { .. }) | None
                    ) {
                        let group = self.instrument.items.at(*id).id.clone();
                        self.lose(item, Lost::GroupAnswered { group });
                        return "true()".to_owned();
                    }
                    format!("{} != ''", name(*id))
                }
                Condition::OneOf { item: id, codes } => {
                    let tests: Vec<String> = codes
                        .iter()
                        .map(|c| format!("{} = {}", name(*id), xpath_literal(c)))
                        .collect();
                    match tests.as_slice() {
                        [test] => test.clone(),
                        _ => format!("({})", tests.join(" or ")),
                    }
                }
                Condition::Has { item: id, code } => {
                    format!("selected({}, {})", name(*id), xpath_literal(code))
                }
                Condition::Compare { op, lhs, rhs } => {
                    let needed = condition.compared();
                    let mut tests: Vec<String> = needed
                        .iter()
                        .map(|reading| format!("{} != ''", self.reading(list, *reading)))
                        .collect();
                    tests.extend(self.agreement(list, &[lhs, rhs]));
                    // A side that divides by zero has no value: the comparison does not hold.
                    let mut divisors = Vec::new();
                    for side in [lhs, rhs] {
                        side.for_each_divisor(&mut |divisor| divisors.push(divisor.clone()));
                    }
                    for divisor in &divisors {
                        tests.push(format!("{} != 0", self.raw_xpath(item, list, divisor)));
                    }
                    let symbol = op.equality_or_order();
                    let (left, right) = (
                        self.raw_xpath(item, list, lhs),
                        self.raw_xpath(item, list, rhs),
                    );
                    tests.push(format!("{left} {symbol} {right}"));
                    let test = tests.join(" and ");
                    if *op == CompareOp::Ne {
                        format!("not({test})")
                    } else {
                        test
                    }
                }
            }
        })
    }
}

/// A text as an XPath 1.0 string literal, whatever it holds. XPath has no escapes: a text with
/// one kind of quote is written in the other, and one with both is a `concat` of pieces. No
/// piece holds `${`, which pyxform would read as a reference to a field.
pub fn xpath_literal(text: &str) -> String {
    let plain = |piece: &str| {
        if !piece.contains('\'') {
            format!("'{piece}'")
        } else {
            format!("\"{piece}\"")
        }
    };
    let both = text.contains('\'') && text.contains('"');
    if !both && !text.contains("${") {
        return plain(text);
    }
    // Pieces that hold no `'`, cut after each `$` that comes before a `{` as well.
    let mut pieces: Vec<String> = Vec::new();
    for (index, part) in text.split('\'').enumerate() {
        if index > 0 {
            pieces.push("\"'\"".to_owned());
        }
        let mut rest = part;
        while let Some(at) = rest.find("${") {
            pieces.push(format!("'{}'", &rest[..=at]));
            rest = &rest[at + 1..];
        }
        if !rest.is_empty() {
            pieces.push(format!("'{rest}'"));
        }
    }
    match pieces.as_slice() {
        [] => "''".to_owned(),
        // `concat` takes two arguments or more.
        [piece] => format!("concat({piece}, '')"),
        _ => format!("concat({})", pieces.join(", ")),
    }
}

/// The currencies of the amounts the form computes, for `item` (where losses are reported), in
/// a list's own logic when `list` is given.
struct Currencies<'w, 'i> {
    writer: &'w mut Writer<'i>,
    item: &'w Item,
    list: Option<&'w Item>,
}

impl super::CurrencyWriter for Currencies<'_, '_> {
    type Out = String;

    fn none(&mut self) -> String {
        "''".to_owned()
    }

    fn read(&mut self, reading: Reading) -> Option<String> {
        self.writer.currency(self.list, reading)
    }

    fn choose(&mut self, condition: &Condition, then: String, otherwise: String) -> String {
        let condition = self.writer.xpath_in(self.item, self.list, condition);
        format!("if({condition}, {then}, {otherwise})")
    }

    /// The first value's; over records, the first record's (`indexed-repeat`).
    fn aggregate(&mut self, aggregate: &Operand) -> String {
        self.writer.lose(self.item, Lost::AmountAggregate);
        match aggregate {
            Operand::Aggregate { over, .. } => match over.first() {
                Some(first) => {
                    let instrument = self.writer.instrument;
                    super::currency_of(instrument, self.list, first, self)
                }
                None => self.none(),
            },
            Operand::Records {
                list: records,
                field: Some(field),
                ..
            } => {
                let records = self.writer.instrument.items.at(*records);
                let value = self.writer.field_name(Some(records), *field);
                let currency = value.replace("_value}", "_currency}");
                format!("indexed-repeat({currency}, ${{{}}}, 1)", records.id)
            }
            _ => self.none(),
        }
    }
}

//! Replies as a data set (`qc table`): one row per reply and one column per variable, a table
//! per list with a row per record, and the codebook that says what each column holds.
//!
//! The columns come from the model alone ([`Layout::of`]), so that every reply fills the same
//! ones, in the order of the instrument:
//!
//! | answer | columns |
//! |---|---|
//! | a single choice, a text, a number, a date | `id`: the code, the text, the number, the date |
//! | a multiple choice | `id__code` for each option: 1 when ticked, 0 when not |
//! | a grid | `id__row__column` for each box (1 or 0); `id__row` for a row with an answer |
//! | a table | `id__row__column` for each cell |
//! | an amount | `id__value` and `id__currency` (an amount cell: `id__row__column__value`, …) |
//! | special answers an item allows | `id__special`: the special answer's code, never a number |
//! | a calculated value | `id`, as qc computes it |
//!
//! A column is empty when its item is not asked or not answered, or when the answer is a special
//! answer (whose code is then in `id__special`). The codebook says under which condition each
//! item is asked.

pub mod write;
pub mod written;

use serde_json::{Map, Value};

use crate::eval::{self, Answers};
use crate::model::{AnswerType, Instrument, Item, ItemId, ItemKind};

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An option's code.
    Code,
    /// 1 when a box is ticked or an option chosen, 0 when not.
    Flag,
    Number,
    Text,
    /// `YYYY-MM-DD`.
    Date,
    /// A country or area's ISO 3166-1 alpha-3 code.
    Country,
    /// An ISO 4217 currency code.
    Currency,
    /// A special answer's code, such as `dont_know`.
    Special,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Code => "code",
            Kind::Flag => "flag",
            Kind::Number => "number",
            Kind::Text => "text",
            Kind::Date => "date",
            Kind::Country => "country",
            Kind::Currency => "currency",
            Kind::Special => "special",
        }
    }
}

/// Where in an answer a column reads.
#[derive(Clone, Debug, PartialEq)]
enum Part {
    /// The answer itself (a code, a text, a number, a date).
    Whole,
    /// Whether a multiple choice has this option.
    Option(String),
    /// Whether a grid's row has this column ticked.
    Box { row: String, column: String },
    /// The answer of a grid's free-text row.
    RowAnswer(String),
    /// A table's cell.
    Cell { row: String, column: String },
    /// The value, or the currency, of an amount found at `inner`.
    Amount { inner: Box<Part>, currency: bool },
    /// The special answer of the item (or of a table's cell at `inner`).
    Special(Option<Box<Part>>),
}

/// One column: its name, the item it reads and where, and what the codebook says of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Variable {
    pub name: String,
    pub item: ItemId,
    part: Part,
    pub kind: Kind,
    /// The item's label, and after it what the column reads of it (an option, a row, a cell).
    pub label: String,
    /// The codes a `Code` or `Special` column takes, with their labels.
    pub codes: Vec<(String, String)>,
}

/// The columns of a list's table, after `reply` and `record`.
#[derive(Clone, Debug, PartialEq)]
pub struct ListLayout {
    pub list: ItemId,
    /// The variables of the list's fields; `item` is the list, and each part reads a field of
    /// a record.
    pub fields: Vec<(usize, Variable)>,
}

/// The columns of every table of the data set.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub variables: Vec<Variable>,
    pub lists: Vec<ListLayout>,
}

/// One cell of the data set.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(serde_json::Number),
    Flag(bool),
}

impl Cell {
    /// The cell as a CSV field or a JSON value would hold it.
    pub fn to_json(&self) -> Value {
        match self {
            Cell::Empty => Value::Null,
            Cell::Text(text) => Value::String(text.clone()),
            Cell::Number(number) => Value::Number(number.clone()),
            Cell::Flag(flag) => Value::from(u8::from(*flag)),
        }
    }

    pub fn to_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Number(number) => eval::number_text(number),
            Cell::Flag(flag) => u8::from(*flag).to_string(),
        }
    }
}

/// A reply's row, and the rows of its lists' records (by list, in the layout's order).
#[derive(Clone, Debug, PartialEq)]
pub struct Rows {
    pub row: Vec<Cell>,
    pub records: Vec<Vec<Vec<Cell>>>,
}

impl Layout {
    /// The columns of an instrument's replies, in the order of its items.
    pub fn of(instrument: &Instrument) -> Layout {
        let mut variables = Vec::new();
        let mut lists = Vec::new();
        for (id, item) in instrument.items.iter_enumerated() {
            let Some(answer) = &item.answer else { continue };
            if let AnswerType::List(list) = answer {
                let mut fields = Vec::new();
                for (index, field) in list.fields.iter().enumerate() {
                    let mut columns = Vec::new();
                    let label = instrument.written(&field.label);
                    let specials = Vec::new();
                    columns_of(
                        instrument,
                        id,
                        &field.id,
                        &label,
                        &field.answer,
                        &specials,
                        &mut columns,
                    );
                    fields.extend(columns.into_iter().map(|column| (index, column)));
                }
                lists.push(ListLayout { list: id, fields });
                continue;
            }
            // "… mark the box(es) below:" leads into what each column reads.
            let label = instrument
                .written(&item.label)
                .trim_end_matches(':')
                .to_owned();
            columns_of(
                instrument,
                id,
                &item.id,
                &label,
                answer,
                &item.specials,
                &mut variables,
            );
        }
        Layout { variables, lists }
    }

    /// The row of a reply's answers: every item as the reply answers it, where it is asked;
    /// calculated values as qc computes them on `today`.
    pub fn rows(&self, instrument: &Instrument, answers: &Answers, today: &str) -> Rows {
        let computed = eval::with_calculations(instrument, answers, today);
        let asked = eval::enabled(instrument, &computed);
        let at = |variable: &Variable| -> Cell {
            let item = instrument.item(variable.item);
            if !asked.get(variable.item).copied().unwrap_or(false) {
                return Cell::Empty;
            }
            let value = match item.kind {
                ItemKind::Calculated => computed.get(&item.id),
                _ => answers.get(&item.id),
            };
            // A box of a grid's column that is not open is not asked either.
            if let (Part::Box { column, .. }, Some(AnswerType::Grid(grid))) =
                (&variable.part, &item.answer)
            {
                let open = grid
                    .columns
                    .iter()
                    .find(|c| &c.id == column)
                    .and_then(|c| c.condition.as_ref());
                if open.is_some_and(|condition| !eval::holds(instrument, condition, &computed)) {
                    return Cell::Empty;
                }
            }
            value.map_or(Cell::Empty, |value| {
                read(&variable.part, variable.kind, value)
            })
        };
        let row = self.variables.iter().map(at).collect();
        let records = self
            .lists
            .iter()
            .map(|list| {
                let item = instrument.item(list.list);
                if !asked.get(list.list).copied().unwrap_or(false) {
                    return Vec::new();
                }
                let Some(Value::Array(records)) = computed.get(&item.id) else {
                    return Vec::new();
                };
                records
                    .iter()
                    .map(|record| fields_row(instrument, item, list, record, &computed))
                    .collect()
            })
            .collect();
        Rows { row, records }
    }
}

/// A record's cells: each field as the record holds it, where the field is asked.
fn fields_row(
    instrument: &Instrument,
    list: &Item,
    layout: &ListLayout,
    record: &Value,
    answers: &Answers,
) -> Vec<Cell> {
    let (Some(object), Some(AnswerType::List(shape))) = (record.as_object(), &list.answer) else {
        return layout.fields.iter().map(|_| Cell::Empty).collect();
    };
    layout
        .fields
        .iter()
        .map(|(index, variable)| {
            let Some(field) = shape.fields.get(*index) else {
                return Cell::Empty;
            };
            let asked = field.condition.as_ref().is_none_or(|condition| {
                eval::holds_in_record(instrument, condition, answers, (layout.list, object))
            });
            match (asked, object.get(&field.id)) {
                (true, Some(value)) => read(&variable.part, variable.kind, value),
                _ => Cell::Empty,
            }
        })
        .collect()
}

/// The columns of one answer, named after `name`.
fn columns_of(
    instrument: &Instrument,
    item: ItemId,
    name: &str,
    label: &str,
    answer: &AnswerType,
    specials: &[String],
    out: &mut Vec<Variable>,
) {
    let column = |name: String, part: Part, kind: Kind, label: String| Variable {
        name,
        item,
        part,
        kind,
        label,
        codes: Vec::new(),
    };
    match answer {
        AnswerType::Choice { scale, multiple } => {
            let options: Vec<(String, String)> = instrument
                .scale(*scale)
                .options
                .iter()
                .map(|option| (option.code.clone(), instrument.written(&option.label)))
                .collect();
            if *multiple {
                for (code, option) in &options {
                    out.push(column(
                        format!("{name}__{code}"),
                        Part::Option(code.clone()),
                        Kind::Flag,
                        format!("{label}: {option}"),
                    ));
                }
            } else {
                out.push(Variable {
                    codes: options,
                    ..column(name.to_owned(), Part::Whole, Kind::Code, label.to_owned())
                });
            }
        }
        AnswerType::Text { .. } => out.push(column(
            name.to_owned(),
            Part::Whole,
            Kind::Text,
            label.to_owned(),
        )),
        AnswerType::Date => out.push(column(
            name.to_owned(),
            Part::Whole,
            Kind::Date,
            label.to_owned(),
        )),
        // Its codes are those of the table, each with its English name; a code ISO 3166-1
        // leaves to users has none.
        AnswerType::Country => out.push(Variable {
            codes: crate::countries::all()
                .iter()
                .map(|country| (country.code.to_owned(), country.name("en").to_owned()))
                .collect(),
            ..column(
                name.to_owned(),
                Part::Whole,
                Kind::Country,
                label.to_owned(),
            )
        }),
        AnswerType::Number { .. } => {
            out.push(column(
                name.to_owned(),
                Part::Whole,
                Kind::Number,
                label.to_owned(),
            ));
        }
        AnswerType::Amount { .. } => amount(item, name, label, Part::Whole, out),
        AnswerType::Grid(grid) => {
            for row in &grid.rows {
                let row_label = instrument.written(&row.label);
                match &row.answer {
                    Some(_) => out.push(column(
                        format!("{name}__{}", row.id),
                        Part::RowAnswer(row.id.clone()),
                        Kind::Text,
                        format!("{label}: {row_label}"),
                    )),
                    None => {
                        for grid_column in &grid.columns {
                            out.push(column(
                                format!("{name}__{}__{}", row.id, grid_column.id),
                                Part::Box {
                                    row: row.id.clone(),
                                    column: grid_column.id.clone(),
                                },
                                Kind::Flag,
                                format!(
                                    "{label}: {row_label}: {}",
                                    instrument.written(&grid_column.label)
                                ),
                            ));
                        }
                    }
                }
            }
        }
        AnswerType::Table(table) => {
            for row in &table.rows {
                for table_column in &table.columns {
                    let cell = Part::Cell {
                        row: row.id.clone(),
                        column: table_column.id.clone(),
                    };
                    let cell_name = format!("{name}__{}__{}", row.id, table_column.id);
                    let cell_label = format!(
                        "{label}: {}: {}",
                        instrument.written(&row.label),
                        instrument.written(&table_column.label)
                    );
                    match table.cell.as_ref() {
                        AnswerType::Amount { .. } => {
                            amount(item, &cell_name, &cell_label, cell.clone(), out)
                        }
                        _ => out.push(column(
                            cell_name.clone(),
                            cell.clone(),
                            Kind::Number,
                            cell_label.clone(),
                        )),
                    }
                    if !specials.is_empty() {
                        out.push(Variable {
                            codes: special_codes(instrument, specials),
                            ..column(
                                format!("{cell_name}__special"),
                                Part::Special(Some(Box::new(cell))),
                                Kind::Special,
                                cell_label,
                            )
                        });
                    }
                }
            }
        }
        AnswerType::List(_) => {}
    }
    if !specials.is_empty() {
        out.push(Variable {
            codes: special_codes(instrument, specials),
            ..column(
                format!("{name}__special"),
                Part::Special(None),
                Kind::Special,
                label.to_owned(),
            )
        });
    }
}

fn amount(item: ItemId, name: &str, label: &str, at: Part, out: &mut Vec<Variable>) {
    for (suffix, currency, kind) in [
        ("value", false, Kind::Number),
        ("currency", true, Kind::Currency),
    ] {
        out.push(Variable {
            name: format!("{name}__{suffix}"),
            item,
            part: Part::Amount {
                inner: Box::new(at.clone()),
                currency,
            },
            kind,
            label: format!("{label} ({suffix})"),
            codes: Vec::new(),
        });
    }
}

fn special_codes(instrument: &Instrument, allowed: &[String]) -> Vec<(String, String)> {
    instrument
        .specials
        .iter()
        .filter(|special| allowed.contains(&special.code))
        .map(|special| (special.code.clone(), instrument.written(&special.label)))
        .collect()
}

/// What a column reads of an answer (already validated).
fn read(part: &Part, kind: Kind, value: &Value) -> Cell {
    match part {
        Part::Special(inner) => {
            let at = match inner {
                Some(inner) => locate(inner, value),
                None => Some(value),
            };
            match at.and_then(eval::special_code) {
                Some(code) => Cell::Text(code.to_owned()),
                None => Cell::Empty,
            }
        }
        _ if eval::special_code(value).is_some() => Cell::Empty,
        Part::Option(code) => Cell::Flag(
            value
                .as_array()
                .is_some_and(|ticked| ticked.iter().any(|t| t.as_str() == Some(code))),
        ),
        Part::Box { row, column } => Cell::Flag(
            value
                .get(row)
                .and_then(Value::as_array)
                .is_some_and(|ticked| ticked.iter().any(|t| t.as_str() == Some(column))),
        ),
        Part::Amount { inner, currency } => match locate(inner, value) {
            Some(amount) if eval::special_code(amount).is_none() => {
                let key = if *currency { "currency" } else { "value" };
                amount.get(key).map_or(Cell::Empty, |v| scalar(kind, v))
            }
            _ => Cell::Empty,
        },
        Part::Whole | Part::RowAnswer(_) | Part::Cell { .. } => match locate(part, value) {
            Some(found) if eval::special_code(found).is_none() => scalar(kind, found),
            _ => Cell::Empty,
        },
    }
}

/// The part of an answer a part names: a row's answer, a table's cell.
fn locate<'v>(part: &Part, value: &'v Value) -> Option<&'v Value> {
    match part {
        Part::RowAnswer(row) => value.get(row),
        Part::Cell { row, column } => value.get(row)?.get(column),
        _ => Some(value),
    }
}

fn scalar(kind: Kind, value: &Value) -> Cell {
    match value {
        Value::Number(number) => Cell::Number(number.clone()),
        Value::String(text) => Cell::Text(text.clone()),
        Value::Bool(flag) if kind == Kind::Flag => Cell::Flag(*flag),
        Value::Null => Cell::Empty,
        // Not a value a valid reply holds here: left empty rather than guessed.
        _ => Cell::Empty,
    }
}

/// The codebook's row of a variable: name, item id, printed number, label, kind, codes, the
/// condition under which the item is asked (as written in `.q`: its own and its ancestors'),
/// the citations. A list's field's variable (`field`: its index) adds the field's condition,
/// read in a record; a grid's box, its column's.
pub fn codebook_row(
    instrument: &Instrument,
    variable: &Variable,
    field: Option<usize>,
) -> Map<String, Value> {
    let item = instrument.item(variable.item);
    let mut conditions: Vec<(Option<&Item>, &crate::model::Condition)> = Vec::new();
    if let (Some(index), Some(AnswerType::List(list))) = (field, &item.answer) {
        if let Some(condition) = list.fields.get(index).and_then(|f| f.condition.as_ref()) {
            conditions.push((Some(item), condition));
        }
    }
    let mut cursor = Some(variable.item);
    while let Some(id) = cursor {
        let ancestor = instrument.item(id);
        if let Some(condition) = &ancestor.condition {
            conditions.push((None, condition));
        }
        cursor = ancestor.parent;
    }
    conditions.reverse();
    // A box is asked where its column is open too.
    if let (Part::Box { column, .. }, Some(AnswerType::Grid(grid))) = (&variable.part, &item.answer)
    {
        let open = grid
            .columns
            .iter()
            .find(|c| &c.id == column)
            .and_then(|c| c.condition.as_ref());
        if let Some(condition) = open {
            conditions.push((None, condition));
        }
    }
    let asked_when: Vec<String> = conditions
        .iter()
        .map(|(list, condition)| match conditions.len() {
            1 => written::condition(instrument, *list, condition),
            _ => written::conjunct(instrument, *list, condition),
        })
        .collect();
    let codes: Vec<String> = variable
        .codes
        .iter()
        .map(|(code, label)| format!("{code} = {label}"))
        .collect();
    let mut row = Map::new();
    row.insert("variable".into(), Value::from(variable.name.clone()));
    row.insert("item".into(), Value::from(item.id.clone()));
    row.insert(
        "number".into(),
        item.number.clone().map_or(Value::Null, Value::from),
    );
    row.insert("label".into(), Value::from(variable.label.clone()));
    row.insert("type".into(), Value::from(variable.kind.as_str()));
    row.insert("codes".into(), Value::from(codes.join("; ")));
    row.insert("asked when".into(), Value::from(asked_when.join(" and ")));
    row.insert(
        "citations".into(),
        item.cited.clone().map_or(Value::Null, Value::from),
    );
    row
}

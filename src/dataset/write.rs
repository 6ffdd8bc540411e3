//! The data set written as CSV files, an XLSX workbook or one JSON document.

use serde_json::{json, Map, Value};

use super::{codebook_row, Cell, Kind, Layout, Rows, Variable};
use crate::model::Instrument;

/// What XLSX holds at most: columns and rows of a sheet.
const XLSX_COLUMNS: usize = 16_384;
const XLSX_ROWS: usize = 1_048_576;

/// The replies tabulated, and how codes are written.
pub struct DataSet<'a> {
    pub instrument: &'a Instrument,
    pub layout: &'a Layout,
    /// Each reply's id (its file's name), whether it is valid, and its rows.
    pub replies: &'a [(String, bool, Rows)],
    /// Options' and special answers' labels in place of their codes.
    pub labels: bool,
    /// A `valid` column after `reply` (with `--include-invalid`).
    pub validity: bool,
}

/// One table of the data set: its name (`data`, `codebook`, or a list's id), its header and
/// its rows.
pub struct Table {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl DataSet<'_> {
    fn cell(&self, variable: &Variable, cell: &Cell) -> Cell {
        match (cell, self.labels, variable.kind) {
            (Cell::Text(code), true, Kind::Code | Kind::Special) => variable
                .codes
                .iter()
                .find(|(known, _)| known == code)
                .map_or_else(|| cell.clone(), |(_, label)| Cell::Text(label.clone())),
            (Cell::Text(code), true, Kind::Country) => crate::countries::find(code).map_or_else(
                || cell.clone(),
                |country| Cell::Text(country.name("en").to_owned()),
            ),
            _ => cell.clone(),
        }
    }

    /// The tables of these replies: theirs, then a table per list (the codebook is apart).
    pub fn tables(&self) -> Vec<Table> {
        let mut lead = vec!["reply".to_owned()];
        if self.validity {
            lead.push("valid".to_owned());
        }
        let lead_cells = |(id, valid, _): &(String, bool, Rows)| -> Vec<Cell> {
            let mut cells = vec![Cell::Text(id.clone())];
            if self.validity {
                cells.push(Cell::Flag(*valid));
            }
            cells
        };
        let mut header = lead.clone();
        header.extend(self.layout.variables.iter().map(|v| v.name.clone()));
        let rows = self
            .replies
            .iter()
            .map(|reply| {
                let mut cells = lead_cells(reply);
                cells.extend(
                    self.layout
                        .variables
                        .iter()
                        .zip(&reply.2.row)
                        .map(|(v, c)| self.cell(v, c)),
                );
                cells
            })
            .collect();
        let mut tables = vec![Table {
            name: "data".to_owned(),
            header,
            rows,
        }];
        for (index, list) in self.layout.lists.iter().enumerate() {
            let mut header = lead.clone();
            header.push("record".to_owned());
            header.extend(list.fields.iter().map(|(_, v)| v.name.clone()));
            let mut rows = Vec::new();
            for reply in self.replies {
                for (number, record) in reply.2.records.get(index).into_iter().flatten().enumerate()
                {
                    let mut cells = lead_cells(reply);
                    cells.push(Cell::Number((number + 1).into()));
                    cells.extend(
                        list.fields
                            .iter()
                            .zip(record)
                            .map(|((_, v), c)| self.cell(v, c)),
                    );
                    rows.push(cells);
                }
            }
            // A list's table is named by its id, unless the id is the name of another table.
            let name = match self.instrument.item(list.list).id.as_str() {
                id @ ("data" | "codebook") => format!("list_{id}"),
                id => id.to_owned(),
            };
            tables.push(Table { name, header, rows });
        }
        tables
    }

    /// What each column of each table holds.
    pub fn codebook(&self) -> Table {
        let mut entries: Vec<(Option<&str>, Map<String, Value>)> = self
            .layout
            .variables
            .iter()
            .map(|v| (None, codebook_row(self.instrument, v, None)))
            .collect();
        for list in &self.layout.lists {
            let name = self.instrument.item(list.list).id.as_str();
            for (field, variable) in &list.fields {
                entries.push((
                    Some(name),
                    codebook_row(self.instrument, variable, Some(*field)),
                ));
            }
        }
        let keys = [
            "variable",
            "table",
            "item",
            "number",
            "label",
            "type",
            "codes",
            "asked when",
            "citations",
        ];
        let rows = entries
            .into_iter()
            .map(|(table, mut row)| {
                row.insert("table".to_owned(), Value::from(table.unwrap_or("data")));
                keys.iter()
                    .map(|key| match row.get(*key) {
                        Some(Value::String(text)) if !text.is_empty() => Cell::Text(text.clone()),
                        _ => Cell::Empty,
                    })
                    .collect()
            })
            .collect();
        Table {
            name: "codebook".to_owned(),
            header: keys.iter().map(|k| (*k).to_owned()).collect(),
            rows,
        }
    }
}

/// A table as CSV (RFC 4180, UTF-8). A text that a spreadsheet would read as a formula (it
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return) is written after a `'`, so that
/// opening the file runs nothing a reply wrote.
pub fn csv(table: &Table) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    csv_into(table, true, &mut out)?;
    Ok(out)
}

/// A table's rows as CSV after `out` (and its header first, with `header`).
fn csv_into(table: &Table, header: bool, out: &mut Vec<u8>) -> Result<(), String> {
    let mut writer = csv::Writer::from_writer(out);
    if header {
        writer
            .write_record(&table.header)
            .map_err(|e| e.to_string())?;
    }
    for row in &table.rows {
        writer
            .write_record(row.iter().map(|cell| match cell {
                Cell::Text(text) if text.starts_with(['=', '+', '-', '@', '\t', '\r']) => {
                    format!("'{text}")
                }
                _ => cell.to_text(),
            }))
            .map_err(|e| e.to_string())?;
    }
    writer.flush().map_err(|e| e.to_string())
}

/// The output's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Json,
}

/// The tables of a data set, written as the replies come, some of them at a time: what it keeps
/// is what it writes (CSV text, JSON text; for XLSX, whose sheets are bounded, the cells), not
/// the replies nor all their rows.
pub struct Output {
    format: Format,
    /// Each table's name, header, and what is written of it so far.
    parts: Vec<(String, Vec<String>, Written)>,
}

enum Written {
    Text(Vec<u8>),
    Rows(Vec<Vec<Cell>>),
}

impl Output {
    pub fn new(format: Format) -> Output {
        Output {
            format,
            parts: Vec::new(),
        }
    }

    /// Adds the tables of some replies (from [`DataSet::tables`]: the same tables each time).
    pub fn add(&mut self, tables: Vec<Table>) -> Result<(), String> {
        for (index, table) in tables.into_iter().enumerate() {
            if self.parts.len() <= index {
                let written = match self.format {
                    Format::Xlsx => Written::Rows(Vec::new()),
                    Format::Csv | Format::Json => Written::Text(Vec::new()),
                };
                self.parts
                    .push((table.name.clone(), table.header.clone(), written));
            }
            let Some((_, _, written)) = self.parts.get_mut(index) else {
                continue;
            };
            match (self.format, written) {
                (_, Written::Rows(rows)) => rows.extend(table.rows),
                (Format::Csv, Written::Text(out)) => {
                    let first = out.is_empty();
                    csv_into(&table, first, out)?;
                }
                (_, Written::Text(out)) => json_rows(&table, out)?,
            }
        }
        Ok(())
    }

    /// The files to write, by table for CSV (`data`, `codebook`, each list's), or one for XLSX
    /// or JSON (named `data`); the codebook comes second.
    pub fn finish(
        mut self,
        codebook: Table,
        left_out: &[(String, String)],
    ) -> Result<Vec<(String, Vec<u8>)>, String> {
        let written = match self.format {
            Format::Csv => Written::Text(csv(&codebook)?),
            Format::Xlsx => Written::Rows(codebook.rows.clone()),
            Format::Json => {
                let mut out = Vec::new();
                json_rows(&codebook, &mut out)?;
                Written::Text(out)
            }
        };
        let at = self.parts.len().min(1);
        self.parts.insert(
            at,
            (codebook.name.clone(), codebook.header.clone(), written),
        );
        match self.format {
            Format::Csv => self
                .parts
                .into_iter()
                .map(|(name, header, written)| match written {
                    // A table without a row has its header all the same.
                    Written::Text(out) if out.is_empty() => Ok((
                        name.clone(),
                        csv(&Table {
                            name,
                            header,
                            rows: Vec::new(),
                        })?,
                    )),
                    Written::Text(out) => Ok((name, out)),
                    Written::Rows(_) => Ok((name, Vec::new())),
                })
                .collect(),
            Format::Xlsx => {
                let tables: Vec<Table> = self
                    .parts
                    .into_iter()
                    .map(|(name, header, written)| Table {
                        name,
                        header,
                        rows: match written {
                            Written::Rows(rows) => rows,
                            Written::Text(_) => Vec::new(),
                        },
                    })
                    .collect();
                Ok(vec![("data".to_owned(), xlsx(&tables)?)])
            }
            Format::Json => {
                let mut out = b"{\n  \"format\": \"qc-data/1\",\n  \"tables\": {".to_vec();
                for (index, (name, _, written)) in self.parts.into_iter().enumerate() {
                    if index > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(b"\n    ");
                    serde_json::to_writer(&mut out, &name).map_err(|e| e.to_string())?;
                    out.extend_from_slice(b": [");
                    if let Written::Text(rows) = written {
                        out.extend_from_slice(&rows);
                    }
                    out.extend_from_slice(b"\n    ]");
                }
                let left_out: Vec<Value> = left_out
                    .iter()
                    .map(|(reply, why)| json!({ "reply": reply, "why": why }))
                    .collect();
                out.extend_from_slice(b"\n  },\n  \"left_out\": ");
                serde_json::to_writer(&mut out, &left_out).map_err(|e| e.to_string())?;
                out.extend_from_slice(b"\n}\n");
                Ok(vec![("data".to_owned(), out)])
            }
        }
    }
}

/// A table's rows as JSON objects (by column name) after `out`, each on its line.
fn json_rows(table: &Table, out: &mut Vec<u8>) -> Result<(), String> {
    for row in &table.rows {
        if !out.is_empty() {
            out.push(b',');
        }
        out.extend_from_slice(b"\n      ");
        let object: Map<String, Value> = table
            .header
            .iter()
            .zip(row)
            .map(|(name, cell)| (name.clone(), cell.to_json()))
            .collect();
        serde_json::to_writer(&mut *out, &object).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The tables as one XLSX workbook, a sheet each; texts are written as texts, never formulas.
pub fn xlsx(tables: &[Table]) -> Result<Vec<u8>, String> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let mut names: Vec<String> = Vec::new();
    for table in tables {
        if table.header.len() > XLSX_COLUMNS || table.rows.len() >= XLSX_ROWS {
            return Err(format!(
                "the table `{}` has {} columns and {} rows, more than a sheet holds ({XLSX_COLUMNS} columns, {} rows): write CSV or JSON",
                table.name,
                table.header.len(),
                table.rows.len(),
                XLSX_ROWS - 1
            ));
        }
        // Sheet names are unique, at most 31 characters.
        let mut name: String = table.name.chars().take(31).collect();
        let mut n = 2;
        while names.iter().any(|known| known.eq_ignore_ascii_case(&name)) {
            let suffix = format!("~{n}");
            name = table
                .name
                .chars()
                .take(31 - suffix.len())
                .collect::<String>()
                + &suffix;
            n += 1;
        }
        names.push(name.clone());
        let sheet = workbook
            .add_worksheet()
            .set_name(&name)
            .map_err(|e| e.to_string())?;
        for (column, title) in table.header.iter().enumerate() {
            sheet
                .write_string(0, column as u16, title)
                .map_err(|e| e.to_string())?;
        }
        for (index, row) in table.rows.iter().enumerate() {
            let at = index as u32 + 1;
            for (column, cell) in row.iter().enumerate() {
                let column = column as u16;
                match cell {
                    Cell::Empty => continue,
                    Cell::Text(text) => sheet.write_string(at, column, text),
                    Cell::Flag(flag) => sheet.write_number(at, column, f64::from(u8::from(*flag))),
                    Cell::Number(number) => match number.as_f64() {
                        Some(value) => sheet.write_number(at, column, value),
                        None => sheet.write_string(at, column, number.to_string()),
                    },
                }
                .map_err(|e| e.to_string())?;
            }
        }
    }
    workbook.save_to_buffer().map_err(|e| e.to_string())
}

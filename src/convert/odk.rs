//! Replies and the submissions of ODK Collect, Enketo and KoboToolbox: the XML instance of the
//! XForm that pyxform builds from `qc compile --emit xlsform`.
//!
//! The instance is made of the rows of the XLSForm's `survey` sheet ([`xlsform::survey`]), each
//! [`Holds`] what of a reply its element holds: a group is an element of its rows, a list's
//! repeat an element per record, and every other row an element of its own, which holds an
//! answer as text (the codes of a multiple choice or of a grid's row separated by spaces), or
//! nothing (a note). A `meta` element (with the `instanceID`) ends the instance; KoboToolbox
//! adds `formhub` and `__version__`, which are read past.
//!
//! An empty element is an unanswered item (XML cannot tell an empty text from none), and an
//! element left out is one too, as ODK Collect leaves out the items it does not ask. A repeat's
//! template (`jr:template`) is not a record. Calculated values are written as qc computes them
//! and read past: qc computes them from the answers. XLSForm has no special answers: a reply
//! that holds one cannot be written as a submission (a [`Problem`]).
//!
//! The reader reads UTF-8 XML without a document type declaration, so no entity is ever
//! expanded; its cost is linear in the submission, and it never recurses deeper than the form.

use std::fmt::Write as _;

use quick_xml::events::{BytesStart, Event};
use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::{holds_special, number, pointer, reply, shown, Converted, Problem};
use crate::arena::Arena;
use crate::emit::xlsform::{self, Holds, ValuePart};
use crate::model::{AnswerType, Instrument, ItemId, ItemKind};

/// The name pyxform gives the instance's root element.
const ROOT: &str = "data";

/// Elements at the root that the servers add, read past.
const SERVER_ELEMENTS: [&str; 3] = ["meta", "formhub", "__version__"];

/// The elements of a form's submission, as pyxform lays them out.
pub struct Layout<'i> {
    instrument: &'i Instrument,
    /// The root is node 0.
    nodes: Vec<Node>,
    /// Each node by its name: XLSForm names are unique in a form.
    by_name: FxHashMap<String, usize>,
    /// Each item by its id.
    items: FxHashMap<&'i str, ItemId>,
}

struct Node {
    name: String,
    kind: Kind,
    parent: usize,
    children: Vec<usize>,
}

#[derive(Clone, Copy)]
enum Kind {
    Group,
    /// A list's repeat: an element per record.
    Repeat(ItemId),
    /// An element that holds a value: with an amount, one part of it.
    Leaf(Holds, Option<ValuePart>),
}

impl<'i> Layout<'i> {
    /// The layout of the submissions to an instrument's XLSForm.
    pub fn of(instrument: &'i Instrument) -> Layout<'i> {
        let mut nodes = vec![Node {
            name: ROOT.to_owned(),
            kind: Kind::Group,
            parent: 0,
            children: Vec::new(),
        }];
        let mut open = vec![0];
        for row in xlsform::survey(instrument) {
            let kind = match (row.kind.as_str(), row.holds) {
                ("end_group" | "end_repeat", _) => {
                    if open.len() > 1 {
                        open.pop();
                    }
                    continue;
                }
                ("begin_group", _) => Kind::Group,
                ("begin_repeat", Holds::Answer(list)) => Kind::Repeat(list),
                (_, holds) => Kind::Leaf(holds, row.part),
            };
            let parent = *open.last().unwrap_or(&0);
            let index = nodes.len();
            nodes.push(Node {
                name: row.name,
                kind,
                parent,
                children: Vec::new(),
            });
            nodes.at_mut(parent).children.push(index);
            if !matches!(kind, Kind::Leaf(..)) {
                open.push(index);
            }
        }
        let by_name = nodes
            .iter()
            .enumerate()
            .skip(1)
            .map(|(index, node)| (node.name.clone(), index))
            .collect();
        let items = instrument
            .items
            .iter_enumerated()
            .map(|(id, item)| (item.id.as_str(), id))
            .collect();
        Layout {
            instrument,
            nodes,
            by_name,
            items,
        }
    }

    /// The submission that holds a reply's answers, as ODK Collect would send it.
    pub fn to_submission(&self, reply: &Value) -> Converted<String> {
        let mut writer = Writer {
            layout: self,
            answers: &Map::new(),
            calculated: Map::new(),
            out: String::new(),
            problems: Vec::new(),
        };
        let Some(answers) = reply.get("answers").and_then(Value::as_object) else {
            writer.problems.push(Problem {
                pointer: "/answers".to_owned(),
                message: "a reply has an object of `answers`".to_owned(),
            });
            return Converted {
                value: String::new(),
                problems: writer.problems,
            };
        };
        writer.answers = answers;
        writer.check_answers();
        let instrument = self.instrument;
        let scope = crate::eval::with_calculations(instrument, answers, &crate::eval::today());
        let enabled = crate::eval::enabled(instrument, &scope);
        for (id, item) in instrument.items.iter_enumerated() {
            if item.kind == ItemKind::Calculated && *enabled.at(id) {
                if let Some(value) = scope.get(&item.id) {
                    writer.calculated.insert(item.id.clone(), value.clone());
                }
            }
        }
        writer
            .out
            .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = write!(
            writer.out,
            "<{ROOT} xmlns:jr=\"http://openrosa.org/javarosa\" xmlns:orx=\"http://openrosa.org/xforms\" id=\"{}\"",
            quick_xml::escape::escape(&instrument.id)
        );
        let version = instrument.version.as_deref().unwrap_or("1");
        let _ = writeln!(
            writer.out,
            " version=\"{}\">",
            quick_xml::escape::escape(version)
        );
        for &child in &self.nodes.at(0).children {
            writer.node(child, None, 1);
        }
        let _ = writeln!(
            writer.out,
            "  <meta>\n    <instanceID>{}</instanceID>\n  </meta>\n</{ROOT}>",
            instance_id(reply)
        );
        Converted {
            value: writer.out,
            problems: writer.problems,
        }
    }

    /// The reply a submission holds.
    pub fn from_submission(&self, xml: &str) -> Converted {
        let document = match Document::parse(xml) {
            Ok(document) => document,
            Err(problem) => {
                return Converted {
                    value: reply(self.instrument, Map::new()),
                    problems: vec![problem],
                }
            }
        };
        let mut reader = Reader {
            layout: self,
            document: &document,
            path: vec![(0, 0)],
            answers: Map::new(),
            problems: Vec::new(),
        };
        reader.root();
        Converted {
            value: reply(self.instrument, reader.answers),
            problems: reader.problems,
        }
    }
}

/// A name-based instance id (`uuid:` and an RFC 9562 version 8 UUID from the reply's SHA-256):
/// the same reply is the same submission.
fn instance_id(reply: &Value) -> String {
    let digest = Sha256::digest(reply.to_string().as_bytes());
    let mut out = "uuid:".to_owned();
    for (index, &byte) in digest.iter().take(16).enumerate() {
        // The version (8) and the variant (RFC 9562).
        let byte = match index {
            6 => (byte & 0x0f) | 0x80,
            8 => (byte & 0x3f) | 0x80,
            _ => byte,
        };
        if matches!(index, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        let _ = write!(out, "{byte:02x}");
    }
    out
}

struct Writer<'l, 'i, 'r> {
    layout: &'l Layout<'i>,
    answers: &'r Map<String, Value>,
    /// The calculated values of the items that are asked, as qc computes them.
    calculated: Map<String, Value>,
    out: String,
    problems: Vec<Problem>,
}

impl Writer<'_, '_, '_> {
    fn problem(&mut self, tokens: &[&str], message: impl Into<String>) {
        self.problems.push(Problem {
            pointer: pointer("/answers", tokens),
            message: message.into(),
        });
    }

    /// Every answer has an element to hold it, and holds what the element can.
    fn check_answers(&mut self) {
        let instrument = self.layout.instrument;
        let answers = self.answers;
        for (id, value) in answers {
            if value.is_null() {
                continue;
            }
            let Some(item) = self
                .layout
                .items
                .get(id.as_str())
                .map(|&id| instrument.item(id))
            else {
                self.problem(
                    &[id],
                    format!("no item of the form takes an answer named `{}`", shown(id)),
                );
                continue;
            };
            if item.kind == ItemKind::Calculated {
                continue;
            }
            if let Some(path) = holds_special(value) {
                let mut tokens = vec![id.as_str()];
                tokens.extend(path.iter().map(String::as_str));
                self.problem(
                    &tokens,
                    "XLSForm has no special answers: a submission cannot hold this one",
                );
                continue;
            }
            let known = |keys: &Map<String, Value>, known: &dyn Fn(&str) -> bool| {
                keys.keys()
                    .filter(|key| !known(key))
                    .cloned()
                    .collect::<Vec<_>>()
            };
            match (&item.answer, value) {
                (Some(AnswerType::List(list)), Value::Array(records)) => {
                    for (index, record) in records.iter().enumerate() {
                        let Some(fields) = record.as_object() else {
                            self.problem(&[id, &index.to_string()], "a record is an object");
                            continue;
                        };
                        let fields_known = |key: &str| list.fields.iter().any(|f| f.id == key);
                        for key in known(fields, &fields_known) {
                            self.problem(
                                &[id, &index.to_string(), &key],
                                format!("the list has no field `{}`", shown(&key)),
                            );
                        }
                    }
                }
                (Some(AnswerType::Table(table)), Value::Object(rows)) => {
                    for (row, cells) in rows {
                        if !table.rows.iter().any(|r| &r.id == row) {
                            self.problem(
                                &[id, row],
                                format!("the table has no row `{}`", shown(row)),
                            );
                            continue;
                        }
                        let Some(cells) = cells.as_object() else {
                            self.problem(&[id, row], "a table's row is an object of cells");
                            continue;
                        };
                        let columns_known = |key: &str| table.columns.iter().any(|c| c.id == key);
                        for key in known(cells, &columns_known) {
                            self.problem(
                                &[id, row, &key],
                                format!("the table has no column `{}`", shown(&key)),
                            );
                        }
                    }
                }
                (Some(AnswerType::Grid(grid)), Value::Object(rows)) => {
                    let rows_known = |key: &str| grid.rows.iter().any(|r| r.id == key);
                    for key in known(rows, &rows_known) {
                        self.problem(
                            &[id, &key],
                            format!("the grid has no row `{}`", shown(&key)),
                        );
                    }
                }
                (Some(AnswerType::Amount { .. }), Value::Object(amount)) => {
                    for key in known(amount, &|key| matches!(key, "value" | "currency")) {
                        self.problem(&[id, &key], format!("an amount has no `{}`", shown(&key)));
                    }
                }
                (
                    Some(
                        AnswerType::List(_)
                        | AnswerType::Table(_)
                        | AnswerType::Grid(_)
                        | AnswerType::Amount { .. },
                    ),
                    _,
                ) => self.problem(&[id], "this answer's shape is not the item's"),
                (None, _) => self.problem(
                    &[id],
                    format!("`{}` is a group: it takes no answer", shown(id)),
                ),
                _ => {}
            }
        }
    }

    /// A node's element: a group of its children, a repeat's element per record, or an
    /// element that holds a value.
    fn node(&mut self, index: usize, record: Option<(&Map<String, Value>, &[&str])>, depth: usize) {
        crate::stack::guard(|| {
            let layout = self.layout;
            let node = &layout.nodes.at(index);
            match node.kind {
                Kind::Group => {
                    self.open(&node.name, depth);
                    for &child in &node.children {
                        self.node(child, record, depth + 1);
                    }
                    self.close(&node.name, depth);
                }
                Kind::Repeat(list) => {
                    let id = &layout.instrument.item(list).id;
                    let records = self.answers.get(id).and_then(Value::as_array);
                    for (at, record) in records.into_iter().flatten().enumerate() {
                        let Some(fields) = record.as_object() else {
                            continue;
                        };
                        let at = at.to_string();
                        self.open(&node.name, depth);
                        for &child in &node.children {
                            self.node(child, Some((fields, &[id, &at])), depth + 1);
                        }
                        self.close(&node.name, depth);
                    }
                }
                Kind::Leaf(holds, part) => {
                    let text = self.text(holds, part, record);
                    self.indent(depth);
                    match text {
                        Some(text) if !text.is_empty() => {
                            let _ = writeln!(
                                self.out,
                                "<{0}>{1}</{0}>",
                                node.name,
                                quick_xml::escape::partial_escape(&text)
                            );
                        }
                        _ => {
                            let _ = writeln!(self.out, "<{}/>", node.name);
                        }
                    }
                }
            }
        });
    }

    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
    }

    fn open(&mut self, name: &str, depth: usize) {
        self.indent(depth);
        let _ = writeln!(self.out, "<{name}>");
    }

    fn close(&mut self, name: &str, depth: usize) {
        self.indent(depth);
        let _ = writeln!(self.out, "</{name}>");
    }

    /// The text of an element that holds a value, `None` when there is none.
    fn text(
        &mut self,
        holds: Holds,
        part: Option<ValuePart>,
        record: Option<(&Map<String, Value>, &[&str])>,
    ) -> Option<String> {
        let instrument = self.layout.instrument;
        let answers = self.answers;
        let (mut value, mut tokens): (&Value, Vec<&str>) = match holds {
            Holds::Nothing => return None,
            Holds::Answer(id) => {
                let item = instrument.item(id);
                if item.kind == ItemKind::Calculated {
                    let value = self.calculated.get(&item.id)?;
                    return scalar(amount_part(value, part)?);
                }
                (answers.get(&item.id)?, vec![item.id.as_str()])
            }
            Holds::Field { list, field } => {
                let (fields, at) = record?;
                let Some(AnswerType::List(records)) = &instrument.item(list).answer else {
                    return None;
                };
                let declared = records.fields.at(field);
                if declared.calculation.is_some() {
                    // Written as qc computes it from the record, as a calculated value is.
                    let mut dated = crate::eval::Answers::new();
                    dated.insert(
                        crate::eval::TODAY.to_owned(),
                        Value::String(crate::eval::today()),
                    );
                    let computed =
                        crate::eval::with_record_values(instrument, list, fields, &dated);
                    return scalar(amount_part(computed.get(&declared.id)?, part)?);
                }
                let field = &declared.id;
                let mut tokens = at.to_vec();
                tokens.push(field);
                (fields.get(field)?, tokens)
            }
            Holds::Cell { table, row, column } => {
                let item = instrument.item(table);
                let Some(AnswerType::Table(shape)) = &item.answer else {
                    return None;
                };
                let (row, column) = (&shape.rows.at(row).id, &shape.columns.at(column).id);
                let value = answers.get(&item.id)?.get(row)?.get(column)?;
                (value, vec![item.id.as_str(), row, column])
            }
            Holds::GridRow { grid, row } => {
                let item = instrument.item(grid);
                let Some(AnswerType::Grid(shape)) = &item.answer else {
                    return None;
                };
                let row = &shape.rows.at(row).id;
                let value = answers.get(&item.id)?.get(row)?;
                (value, vec![item.id.as_str(), row])
            }
        };
        match part.map(|part| (part, part_key(part))) {
            Some((_, Some(key))) => {
                value = value.get(key)?;
                tokens.push(key);
            }
            // A country's choice: its code, or that it is a code ISO 3166-1 leaves to users,
            // which the row after it holds.
            Some((ValuePart::Country, None))
                if value.as_str().is_some_and(crate::countries::user_assigned) =>
            {
                return Some(xlsform::USER_ASSIGNED.to_owned());
            }
            Some((ValuePart::UserCode, None))
                if !value.as_str().is_some_and(crate::countries::user_assigned) =>
            {
                return None;
            }
            Some((_, None)) | None => {}
        }
        let text = match value {
            Value::Null => return None,
            // Reported with the answers.
            Value::Object(object) if object.contains_key("special") => return None,
            // Codes: of a multiple choice, or ticked in a grid's row.
            Value::Array(codes) => {
                let mut texts = Vec::new();
                for (index, code) in codes.iter().enumerate() {
                    match code.as_str() {
                        Some(code) if !code.is_empty() && !code.contains(char::is_whitespace) => {
                            texts.push(code)
                        }
                        _ => {
                            let mut at = tokens.clone();
                            let index = index.to_string();
                            at.push(&index);
                            self.problem(&at, "a code in a submission is a text without spaces");
                        }
                    }
                }
                texts.join(" ")
            }
            other => match scalar(other) {
                Some(text) => text,
                None => {
                    self.problem(
                        &tokens,
                        "an element of a submission holds a text or a number",
                    );
                    return None;
                }
            },
        };
        if let Some(bad) = text.chars().find(|&c| !is_xml_char(c)) {
            self.problem(
                &tokens,
                format!("XML cannot hold the character U+{:04X}", u32::from(bad)),
            );
            return None;
        }
        Some(text)
    }
}

/// A text or a number as an element's text.
/// The part of a value an element holds: an amount's value or currency, or the value.
fn amount_part(value: &Value, part: Option<ValuePart>) -> Option<&Value> {
    match part {
        None | Some(ValuePart::Country) => Some(value),
        Some(ValuePart::Value) => value.get("value"),
        Some(ValuePart::Currency) => value.get("currency"),
        Some(ValuePart::UserCode) => None,
    }
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// Whether XML 1.0 can hold a character (its `Char` production).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// An XML document read into elements, the root first.
struct Document {
    elements: Vec<Element>,
}

struct Element {
    name: String,
    /// The root's `id` and `version` attributes; whether another is a repeat's template.
    id: Option<String>,
    version: Option<String>,
    template: bool,
    text: String,
    children: Vec<usize>,
}

impl Document {
    /// Reads a submission; a document that is not well-formed XML is one problem, at the
    /// element being read.
    fn parse(xml: &str) -> Result<Document, Problem> {
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut elements: Vec<Element> = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        let mut root_closed = false;
        let fail = |elements: &[Element], open: &[usize], message: String| Problem {
            pointer: path_of(elements, open),
            message,
        };
        loop {
            let position = reader.buffer_position();
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(error) => {
                    let (line, column) = line_column(xml, reader.error_position());
                    return Err(fail(
                        &elements,
                        &open,
                        format!("not well-formed XML at line {line}, column {column}: {error}"),
                    ));
                }
            };
            let outside = |what: &str| {
                let (line, column) = line_column(xml, position);
                format!("{what} outside the root element, at line {line}, column {column}")
            };
            match event {
                Event::Start(_) | Event::Empty(_) if root_closed => {
                    return Err(fail(&elements, &open, outside("an element")));
                }
                Event::Start(start) => {
                    let index = push_element(&mut elements, &open, &start)?;
                    open.push(index);
                }
                Event::Empty(start) => {
                    push_element(&mut elements, &open, &start)?;
                    if open.is_empty() {
                        root_closed = true;
                    }
                }
                Event::End(_) => {
                    open.pop();
                    if open.is_empty() {
                        root_closed = true;
                    }
                }
                Event::Text(text) => {
                    let text = text.xml10_content();
                    match open.last() {
                        Some(&at) => elements.at_mut(at).text.push_str(&text),
                        None if text.trim().is_empty() => {}
                        None => return Err(fail(&elements, &open, outside("text"))),
                    }
                }
                Event::CData(data) => match open.last() {
                    Some(&at) => elements.at_mut(at).text.push_str(&data.xml10_content()),
                    None => return Err(fail(&elements, &open, outside("a CDATA section"))),
                },
                Event::GeneralRef(reference) => {
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(c)) if is_xml_char(c) => c.to_string(),
                        Ok(None) => {
                            match quick_xml::escape::resolve_predefined_entity(&reference) {
                                Some(text) => text.to_owned(),
                                None => {
                                    return Err(fail(
                                        &elements,
                                        &open,
                                        format!(
                                            "the entity `&{};` is not one of XML's own",
                                            shown(&reference)
                                        ),
                                    ))
                                }
                            }
                        }
                        _ => {
                            return Err(fail(
                                &elements,
                                &open,
                                format!(
                                    "`&{};` is not a character XML can hold",
                                    shown(&reference)
                                ),
                            ))
                        }
                    };
                    match open.last() {
                        Some(&at) => elements.at_mut(at).text.push_str(&resolved),
                        None => return Err(fail(&elements, &open, outside("a reference"))),
                    }
                }
                Event::DocType(_) => {
                    return Err(fail(
                        &elements,
                        &open,
                        "a submission has no document type declaration".to_owned(),
                    ))
                }
                Event::Decl(declaration) => {
                    let encoding = declaration.encoding().and_then(Result::ok);
                    if let Some(encoding) = encoding {
                        if !encoding.eq_ignore_ascii_case("utf-8") {
                            return Err(fail(
                                &elements,
                                &open,
                                "a submission is in UTF-8".to_owned(),
                            ));
                        }
                    }
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => break,
            }
        }
        if !open.is_empty() || elements.is_empty() {
            return Err(fail(
                &elements,
                &open,
                "the document ends before its root element does".to_owned(),
            ));
        }
        Ok(Document { elements })
    }
}

/// Adds an element under the one open last.
fn push_element(
    elements: &mut Vec<Element>,
    open: &[usize],
    start: &BytesStart<'_>,
) -> Result<usize, Problem> {
    let name = start.local_name().as_ref().to_owned();
    let mut element = Element {
        name,
        id: None,
        version: None,
        template: false,
        text: String::new(),
        children: Vec::new(),
    };
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|error| Problem {
            pointer: path_of(elements, open),
            message: format!("not well-formed XML: {error}"),
        })?;
        let key = attribute.key.local_name();
        let slot = match key.as_ref() {
            "id" if open.is_empty() => &mut element.id,
            "version" if open.is_empty() => &mut element.version,
            "template" => {
                element.template = true;
                continue;
            }
            _ => continue,
        };
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|error| Problem {
                pointer: path_of(elements, open),
                message: format!("not well-formed XML: {error}"),
            })?;
        *slot = Some(value.into_owned());
    }
    let index = elements.len();
    if let Some(&parent) = open.last() {
        elements.at_mut(parent).children.push(index);
    }
    elements.push(element);
    Ok(index)
}

/// The path of the open elements, as a problem shows it.
fn path_of(elements: &[Element], open: &[usize]) -> String {
    let mut out = String::new();
    for &index in open {
        out.push('/');
        out.push_str(&shown(&elements.at(index).name));
    }
    out
}

/// The line and column (from 1, in characters) of a byte offset.
fn line_column(text: &str, offset: u64) -> (usize, usize) {
    let offset = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(text.len());
    let mut end = offset;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |at| at + 1);
    (line, before[start..].chars().count() + 1)
}

struct Reader<'l, 'i, 'd> {
    layout: &'l Layout<'i>,
    document: &'d Document,
    /// The elements read into, each with its record's number (from 1) when it is a repeat's.
    path: Vec<(usize, usize)>,
    answers: Map<String, Value>,
    problems: Vec<Problem>,
}

impl Reader<'_, '_, '_> {
    /// A problem at the element read last.
    fn problem(&mut self, message: impl Into<String>) {
        let mut pointer = String::new();
        for &(element, record) in &self.path {
            pointer.push('/');
            pointer.push_str(&shown(&self.document.elements.at(element).name));
            if record > 0 {
                let _ = write!(pointer, "[{record}]");
            }
        }
        self.problems.push(Problem {
            pointer,
            message: message.into(),
        });
    }

    fn root(&mut self) {
        let root = self.document.elements.at(0);
        let instrument = self.layout.instrument;
        if let Some(id) = &root.id {
            if id != &instrument.id {
                self.problem(format!(
                    "the submission is to the form `{}`, not `{}`",
                    shown(id),
                    instrument.id
                ));
                return;
            }
        }
        if let (Some(version), Some(own)) = (&root.version, &instrument.version) {
            if version != own {
                self.problem(format!(
                    "the submission is to version `{}` of the form, not `{own}`",
                    shown(version)
                ));
                return;
            }
        }
        self.group(0, 0, &mut None);
    }

    /// The children of a group's (or a record's) element.
    fn group(&mut self, node: usize, element: usize, record: &mut Option<Map<String, Value>>) {
        crate::stack::guard(|| {
            let layout = self.layout;
            let document = self.document;
            let parent = &document.elements.at(element);
            if !parent.text.trim().is_empty() {
                self.problem("a group holds elements, not text");
            }
            let mut seen = FxHashSet::default();
            let mut records: FxHashMap<usize, usize> = FxHashMap::default();
            for &child in &parent.children {
                let element = &document.elements.at(child);
                self.path.push((child, 0));
                let found = layout
                    .by_name
                    .get(&element.name)
                    .copied()
                    .filter(|&found| layout.nodes.at(found).parent == node);
                match found.map(|found| (found, layout.nodes.at(found).kind)) {
                    None if node == 0 && SERVER_ELEMENTS.contains(&element.name.as_str()) => {}
                    None => self.problem("the form has no such element here"),
                    Some((_, Kind::Repeat(_))) if element.template => {}
                    Some((found, Kind::Repeat(list))) => {
                        let count = records.entry(found).or_insert(0);
                        *count += 1;
                        if let Some(last) = self.path.last_mut() {
                            last.1 = *count;
                        }
                        let mut fields = Some(Map::new());
                        self.group(found, child, &mut fields);
                        let id = &layout.instrument.item(list).id;
                        let list = self
                            .answers
                            .entry(id.clone())
                            .or_insert_with(|| Value::Array(Vec::new()));
                        if let Value::Array(list) = list {
                            list.push(Value::Object(fields.unwrap_or_default()));
                        }
                    }
                    Some((found, _)) if !seen.insert(found) => {
                        self.problem("the element appears twice");
                    }
                    Some((found, Kind::Group)) => self.group(found, child, record),
                    Some((_, Kind::Leaf(..))) if !element.children.is_empty() => {
                        self.problem("this element holds a value, not elements");
                    }
                    Some((_, Kind::Leaf(holds, part))) => {
                        self.leaf((holds, part), &element.text, record);
                    }
                }
                self.path.pop();
            }
        });
    }

    /// The value an element holds, placed where it goes in the reply.
    fn leaf(
        &mut self,
        (holds, part): (Holds, Option<ValuePart>),
        text: &str,
        record: &mut Option<Map<String, Value>>,
    ) {
        let instrument = self.layout.instrument;
        // The answer the element holds (`None` for a grid's ticks), and where it goes: the
        // object and the key in it.
        let answer = match holds {
            Holds::Nothing => {
                if !text.trim().is_empty() {
                    self.problem("a note holds no answer");
                }
                return;
            }
            Holds::Answer(id) => {
                let item = instrument.item(id);
                // qc computes it from the answers.
                if item.kind == ItemKind::Calculated {
                    return;
                }
                item.answer.as_ref()
            }
            Holds::Field { list, field } => match &instrument.item(list).answer {
                // qc computes a record's computed field from the record.
                Some(AnswerType::List(shape)) if shape.fields.at(field).calculation.is_some() => {
                    return
                }
                Some(AnswerType::List(shape)) => Some(&shape.fields.at(field).answer),
                _ => return,
            },
            Holds::Cell { table, .. } => match &instrument.item(table).answer {
                Some(AnswerType::Table(shape)) => Some(&*shape.cell),
                _ => return,
            },
            Holds::GridRow { grid, row } => match &instrument.item(grid).answer {
                Some(AnswerType::Grid(shape)) => shape.rows.at(row).answer.as_ref(),
                _ => return,
            },
        };
        let trimmed = text.trim();
        let value = match (part, answer) {
            (Some(_), _) if trimmed.is_empty() => None,
            (Some(ValuePart::Value), _) => {
                Some(number(trimmed).unwrap_or_else(|| Value::from(trimmed)))
            }
            (Some(ValuePart::Currency | ValuePart::Country | ValuePart::UserCode), _) => {
                Some(Value::from(trimmed))
            }
            (None, Some(answer)) => read_text(answer, text),
            (None, None) => codes(text),
        };
        let Some(value) = value else {
            return;
        };
        let place = match holds {
            Holds::Answer(id) => Some((&mut self.answers, instrument.item(id).id.clone())),
            Holds::Field { list, field } => {
                let Some(AnswerType::List(shape)) = &instrument.item(list).answer else {
                    return;
                };
                match record {
                    Some(record) => Some((record, shape.fields.at(field).id.clone())),
                    None => {
                        self.problem("a record's field is inside its record");
                        return;
                    }
                }
            }
            Holds::Cell { table, row, column } => {
                let item = instrument.item(table);
                let Some(AnswerType::Table(shape)) = &item.answer else {
                    return;
                };
                object_at(&mut self.answers, &item.id)
                    .and_then(|rows| object_at(rows, &shape.rows.at(row).id))
                    .map(|cells| (cells, shape.columns.at(column).id.clone()))
            }
            Holds::GridRow { grid, row } => {
                let item = instrument.item(grid);
                let Some(AnswerType::Grid(shape)) = &item.answer else {
                    return;
                };
                object_at(&mut self.answers, &item.id)
                    .map(|rows| (rows, shape.rows.at(row).id.clone()))
            }
            Holds::Nothing => None,
        };
        let Some((object, key)) = place else {
            return;
        };
        match part.map(|part| (part, part_key(part))) {
            None | Some((ValuePart::Country, _)) => {
                object.insert(key, value);
            }
            // The code typed after choosing "another code" takes that choice's place.
            Some((ValuePart::UserCode, _)) => match object.get(&key).and_then(Value::as_str) {
                Some(xlsform::USER_ASSIGNED) => {
                    object.insert(key, value);
                }
                _ => self.problem("a country's code follows the choice of another code"),
            },
            Some((_, Some(part))) => {
                if let Some(amount) = object_at(object, &key) {
                    amount.insert(part.to_owned(), value);
                }
            }
            Some((_, None)) => {}
        }
    }
}

/// The key of an amount's part; `None` for a country's, which are the answer itself.
fn part_key(part: ValuePart) -> Option<&'static str> {
    match part {
        ValuePart::Value => Some("value"),
        ValuePart::Currency => Some("currency"),
        ValuePart::Country | ValuePart::UserCode => None,
    }
}

/// The object under `key`, made when there is none (the reader puts only objects there).
fn object_at<'m>(map: &'m mut Map<String, Value>, key: &str) -> Option<&'m mut Map<String, Value>> {
    map.entry(key.to_owned())
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
}

/// Codes separated by spaces, `None` when there are none.
fn codes(text: &str) -> Option<Value> {
    let codes: Vec<Value> = text.split_whitespace().map(Value::from).collect();
    (!codes.is_empty()).then_some(Value::Array(codes))
}

/// An answer of this type, from an element's text: `None` when it is empty.
fn read_text(answer: &AnswerType, text: &str) -> Option<Value> {
    let trimmed = text.trim();
    match answer {
        AnswerType::Choice { multiple: true, .. } => codes(text),
        AnswerType::Text { .. } => (!text.is_empty()).then(|| Value::from(text)),
        _ if trimmed.is_empty() => None,
        AnswerType::Number { .. } => Some(number(trimmed).unwrap_or_else(|| Value::from(trimmed))),
        // A single code, a date, or the text of what XLSForm cannot hold (reported by the
        // export as a loss).
        _ => Some(Value::from(trimmed)),
    }
}

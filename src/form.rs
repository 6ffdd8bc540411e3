//! Reading a compiled form definition (`qc-form/1` JSON) back into the model, so that a
//! frontend's CI can validate replies with the JSON artefact alone. Conditions are read back
//! from the JsonLogic that `emit::jsonlogic` writes.

use rustc_hash::FxHashMap;
use serde_json::{Map, Value};

use crate::emit::json::FORMAT;
use crate::model::{
    Answer, Block, Choice, Citation, Column, CompareOp, Condition, Document, Grid, Instrument,
    Item, ItemId, ItemKind, Operand, Paragraph, RecordField, Row, Scale, ScaleId, Section,
    Subparagraph, Translation,
};
use crate::span::Span;

/// Why a JSON document is not a form definition qc can read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{pointer}: {message}")]
pub struct FormError {
    /// A JSON pointer into the form.
    pub pointer: String,
    pub message: String,
}

type Result<T> = std::result::Result<T, FormError>;

fn fail<T>(pointer: &str, message: impl Into<String>) -> Result<T> {
    Err(FormError {
        pointer: pointer.to_owned(),
        message: message.into(),
    })
}

/// Reads a form definition.
pub fn read(form: &Value) -> Result<Instrument> {
    let root = object(form, "")?;
    match root.get("format").and_then(Value::as_str) {
        Some(FORMAT) => {}
        Some(other) => return fail("/format", format!("format `{other}` is not `{FORMAT}`")),
        None => return fail("/format", "not a qc form definition: no `format`"),
    }
    let header = object(get(root, "instrument", "")?, "/instrument")?;
    let text = |key: &str| header.get(key).and_then(Value::as_str).map(str::to_owned);
    let mut reader = Reader::default();
    reader.scales(root)?;
    reader.documents(root)?;
    let introduction = match root.get("introduction") {
        Some(blocks) => reader.blocks(blocks, "/introduction", usize::MAX)?,
        None => Vec::new(),
    };
    let mut sections = Vec::new();
    for (index, section) in array(get(root, "sections", "")?, "/sections")?
        .iter()
        .enumerate()
    {
        let at = format!("/sections/{index}");
        let object = object(section, &at)?;
        let content = reader.blocks(
            get(object, "content", &at)?,
            &format!("{at}/content"),
            index,
        )?;
        sections.push(Section {
            id: string(get(object, "id", &at)?, &at)?.to_owned(),
            number: string(get(object, "number", &at)?, &at)?.to_owned(),
            title: string(get(object, "title", &at)?, &at)?.to_owned(),
            content,
        });
    }
    reader.conditions()?;
    Ok(Instrument {
        id: text("id").ok_or_else(|| missing("/instrument", "id"))?,
        title: text("title").ok_or_else(|| missing("/instrument", "title"))?,
        resolution: text("resolution"),
        version: text("version"),
        language: text("language"),
        date: text("date"),
        status: text("status"),
        introduction,
        scales: reader.scales,
        documents: reader.documents,
        sections,
        items: reader.items,
        translations: translations(root)?,
        tests: Vec::new(),
    })
}

/// The translations of a form: `languages` gives each one's direction and status,
/// `translations` its texts by key.
fn translations(form: &Map<String, Value>) -> Result<Vec<Translation>> {
    let Some(translations) = form.get("translations") else {
        return Ok(Vec::new());
    };
    let translations = object(translations, "/translations")?;
    let languages = match form.get("languages") {
        Some(languages) => array(languages, "/languages")?.as_slice(),
        None => &[],
    };
    // In the order of `languages`, which the compiler writes in declaration order.
    let mut order: Vec<&String> = languages
        .iter()
        .filter_map(|entry| entry.get("code").and_then(Value::as_str))
        .filter_map(|code| translations.keys().find(|key| key.as_str() == code))
        .collect();
    let undescribed: Vec<&String> = translations
        .keys()
        .filter(|key| !order.contains(key))
        .collect();
    order.extend(undescribed);
    let mut out = Vec::new();
    for language in order {
        let strings = &translations[language];
        let at = format!("/translations/{language}");
        let described = languages
            .iter()
            .filter_map(Value::as_object)
            .find(|entry| entry.get("code").and_then(Value::as_str) == Some(language));
        let strings = object(strings, &at)?
            .iter()
            .map(|(key, text)| {
                Ok((
                    key.clone(),
                    string(text, &format!("{at}/{key}"))?.to_owned(),
                ))
            })
            .collect::<Result<_>>()?;
        out.push(Translation {
            language: language.clone(),
            rtl: described
                .and_then(|d| d.get("direction"))
                .and_then(Value::as_str)
                == Some("rtl"),
            status: described
                .and_then(|d| d.get("status"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            strings,
        });
    }
    Ok(out)
}

/// A condition to read once every item is known.
enum Pending {
    Item(ItemId, String, Value),
    Column(ItemId, usize, String, Value),
}

#[derive(Default)]
struct Reader {
    scales: Vec<Scale>,
    scale_ids: FxHashMap<String, ScaleId>,
    documents: Vec<Document>,
    items: Vec<Item>,
    item_ids: FxHashMap<String, ItemId>,
    pending: Vec<Pending>,
}

impl Reader {
    fn scales(&mut self, root: &Map<String, Value>) -> Result<()> {
        for (index, scale) in array(get(root, "scales", "")?, "/scales")?
            .iter()
            .enumerate()
        {
            let at = format!("/scales/{index}");
            let object = object(scale, &at)?;
            let id = string(get(object, "id", &at)?, &at)?.to_owned();
            let options = choices(get(object, "options", &at)?, &format!("{at}/options"))?;
            self.scale_ids
                .insert(id.clone(), ScaleId(self.scales.len()));
            self.scales.push(Scale {
                name: Some(id),
                label: object
                    .get("label")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                options,
            });
        }
        Ok(())
    }

    fn documents(&mut self, root: &Map<String, Value>) -> Result<()> {
        for (index, document) in array(get(root, "documents", "")?, "/documents")?
            .iter()
            .enumerate()
        {
            let at = format!("/documents/{index}");
            let object = object(document, &at)?;
            let mut paragraphs = Vec::new();
            for (p, paragraph) in array(get(object, "paragraphs", &at)?, &at)?
                .iter()
                .enumerate()
            {
                let at = format!("{at}/paragraphs/{p}");
                let paragraph = self::object(paragraph, &at)?;
                let mut subparagraphs = Vec::new();
                if let Some(subs) = paragraph.get("subparagraphs") {
                    for (s, sub) in array(subs, &at)?.iter().enumerate() {
                        let at = format!("{at}/subparagraphs/{s}");
                        let sub = self::object(sub, &at)?;
                        subparagraphs.push(Subparagraph {
                            letter: string(get(sub, "letter", &at)?, &at)?.to_owned(),
                            text: pending_text(sub, &at)?,
                        });
                    }
                }
                paragraphs.push(Paragraph {
                    number: string(get(paragraph, "number", &at)?, &at)?.to_owned(),
                    heading: paragraph
                        .get("heading")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    text: pending_text(paragraph, &at)?,
                    subparagraphs,
                });
            }
            self.documents.push(Document {
                id: string(get(object, "id", &at)?, &at)?.to_owned(),
                title: string(get(object, "title", &at)?, &at)?.to_owned(),
                sources: object
                    .get("sources")
                    .and_then(Value::as_array)
                    .map(|sources| {
                        sources
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
                paragraphs,
            });
        }
        Ok(())
    }

    fn citation(
        &self,
        document: &str,
        paragraph: &str,
        letter: Option<&str>,
        at: &str,
    ) -> Result<Citation> {
        let Some(d) = self.documents.iter().position(|d| d.id == document) else {
            return fail(at, format!("no document `{document}`"));
        };
        let Some(p) = self.documents[d]
            .paragraphs
            .iter()
            .position(|p| p.number == paragraph)
        else {
            return fail(at, format!("no paragraph {paragraph} in `{document}`"));
        };
        let subparagraph = match letter {
            Some(letter) => {
                let subs = &self.documents[d].paragraphs[p].subparagraphs;
                match subs.iter().position(|s| s.letter == letter) {
                    Some(s) => Some(s),
                    None => return fail(at, format!("no subparagraph {paragraph} ({letter})")),
                }
            }
            None => None,
        };
        Ok(Citation {
            document: d,
            paragraph: p,
            subparagraph,
        })
    }

    fn citations(&self, value: Option<&Value>, at: &str) -> Result<Vec<Citation>> {
        let Some(value) = value else {
            return Ok(Vec::new());
        };
        array(value, at)?
            .iter()
            .enumerate()
            .map(|(index, citation)| {
                let at = format!("{at}/{index}");
                let object = object(citation, &at)?;
                self.citation(
                    string(get(object, "document", &at)?, &at)?,
                    string(get(object, "paragraph", &at)?, &at)?,
                    object.get("subparagraph").and_then(Value::as_str),
                    &at,
                )
            })
            .collect()
    }

    fn blocks(&mut self, value: &Value, at: &str, section: usize) -> Result<Vec<Block>> {
        let mut blocks = Vec::new();
        for (index, block) in array(value, at)?.iter().enumerate() {
            let at = format!("{at}/{index}");
            let object = object(block, &at)?;
            let block = match string(get(object, "type", &at)?, &at)? {
                "text" => Block::Text(string(get(object, "text", &at)?, &at)?.to_owned()),
                "heading" => Block::Heading(string(get(object, "text", &at)?, &at)?.to_owned()),
                "excerpt" => {
                    let document = string(get(object, "document", &at)?, &at)?;
                    let mut citations = Vec::new();
                    for paragraph in array(get(object, "paragraphs", &at)?, &at)? {
                        let paragraph = self::object(paragraph, &at)?;
                        let number = string(get(paragraph, "number", &at)?, &at)?;
                        match paragraph.get("subparagraphs").and_then(Value::as_array) {
                            Some(letters) => {
                                for letter in letters.iter().filter_map(Value::as_str) {
                                    citations.push(self.citation(
                                        document,
                                        number,
                                        Some(letter),
                                        &at,
                                    )?);
                                }
                            }
                            None => citations.push(self.citation(document, number, None, &at)?),
                        }
                    }
                    Block::Excerpt(citations)
                }
                "item" => Block::Item(self.item(object, &at, None, section)?),
                other => return fail(&at, format!("unknown block type `{other}`")),
            };
            blocks.push(block);
        }
        Ok(blocks)
    }

    fn item(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
        parent: Option<ItemId>,
        section: usize,
    ) -> Result<ItemId> {
        let id = ItemId(self.items.len());
        let name = string(get(object, "id", at)?, at)?.to_owned();
        if self.item_ids.insert(name.clone(), id).is_some() {
            return fail(at, format!("item id `{name}` appears twice"));
        }
        let kind = match string(get(object, "kind", at)?, at)? {
            "question" => ItemKind::Question,
            "item" => ItemKind::SubItem,
            "ask" => ItemKind::Ask,
            "followup" => ItemKind::Followup,
            "field" => ItemKind::Field,
            "grid" => ItemKind::Grid,
            other => return fail(at, format!("unknown item kind `{other}`")),
        };
        let texts = |key: &str| -> Vec<String> {
            object
                .get(key)
                .and_then(Value::as_array)
                .map(|texts| {
                    texts
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        let answer = match object.get("answer") {
            Some(answer) => Some(self.answer(answer, &format!("{at}/answer"), id, &name)?),
            None => None,
        };
        if let Some(condition) = object.get("condition") {
            self.pending.push(Pending::Item(
                id,
                format!("{at}/condition"),
                condition.clone(),
            ));
        }
        self.items.push(Item {
            id: name,
            kind,
            number: object
                .get("number")
                .and_then(Value::as_str)
                .map(str::to_owned),
            marker: object
                .get("marker")
                .and_then(Value::as_str)
                .map(str::to_owned),
            label: string(get(object, "label", at)?, at)?.to_owned(),
            answer,
            condition: None,
            required: object
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            help: texts("help"),
            notes: texts("notes"),
            citations: self.citations(object.get("citations"), &format!("{at}/citations"))?,
            parent,
            children: Vec::new(),
            section,
            span: Span::default(),
        });
        if let Some(children) = object.get("items") {
            for (index, child) in array(children, at)?.iter().enumerate() {
                let at = format!("{at}/items/{index}");
                let child = self.item(self::object(child, &at)?, &at, Some(id), section)?;
                self.items[id.0].children.push(child);
            }
        }
        Ok(id)
    }

    fn answer(&mut self, value: &Value, at: &str, item: ItemId, name: &str) -> Result<Answer> {
        let object = object(value, at)?;
        let flag = |key: &str| object.get(key).and_then(Value::as_bool).unwrap_or(false);
        Ok(match string(get(object, "type", at)?, at)? {
            "choice" => {
                let scale = match (object.get("scale"), object.get("options")) {
                    (Some(scale), _) => {
                        let scale = string(scale, at)?;
                        match self.scale_ids.get(scale) {
                            Some(id) => *id,
                            None => return fail(at, format!("no scale `{scale}`")),
                        }
                    }
                    (None, Some(options)) => {
                        let options = choices(options, &format!("{at}/options"))?;
                        self.scales.push(Scale {
                            name: None,
                            label: None,
                            options,
                        });
                        ScaleId(self.scales.len() - 1)
                    }
                    (None, None) => return fail(at, "a choice needs a `scale` or `options`"),
                };
                Answer::Choice {
                    scale,
                    multiple: flag("multiple"),
                }
            }
            "text" => Answer::Text { long: flag("long") },
            "date" => Answer::Date,
            "number" => Answer::Number {
                integer: flag("integer"),
                min: object.get("min").and_then(Value::as_f64),
                max: object.get("max").and_then(Value::as_f64),
            },
            "amount" => Answer::Amount {
                currencies: object
                    .get("currencies")
                    .and_then(Value::as_array)
                    .map(|c| {
                        c.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
            },
            "list" => {
                let mut fields = Vec::new();
                for (index, field) in array(get(object, "fields", at)?, at)?.iter().enumerate() {
                    let at = format!("{at}/fields/{index}");
                    let field = self::object(field, &at)?;
                    fields.push(RecordField {
                        id: string(get(field, "id", &at)?, &at)?.to_owned(),
                        label: string(get(field, "label", &at)?, &at)?.to_owned(),
                        answer: self.answer(
                            get(field, "answer", &at)?,
                            &format!("{at}/answer"),
                            item,
                            name,
                        )?,
                        required: field
                            .get("required")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                    });
                }
                Answer::List { fields }
            }
            "grid" => {
                let mut columns = Vec::new();
                for (index, column) in array(get(object, "columns", at)?, at)?.iter().enumerate() {
                    let at = format!("{at}/columns/{index}");
                    let column = self::object(column, &at)?;
                    if let Some(condition) = column.get("condition") {
                        self.pending.push(Pending::Column(
                            item,
                            index,
                            format!("{at}/condition"),
                            condition.clone(),
                        ));
                    }
                    columns.push(Column {
                        id: string(get(column, "id", &at)?, &at)?.to_owned(),
                        label: string(get(column, "label", &at)?, &at)?.to_owned(),
                        condition: None,
                    });
                }
                let mut rows = Vec::new();
                for (index, row) in array(get(object, "rows", at)?, at)?.iter().enumerate() {
                    let at = format!("{at}/rows/{index}");
                    let row = self::object(row, &at)?;
                    let answer = match row.get("answer") {
                        Some(answer) => {
                            Some(self.answer(answer, &format!("{at}/answer"), item, name)?)
                        }
                        None => None,
                    };
                    rows.push(Row {
                        id: string(get(row, "id", &at)?, &at)?.to_owned(),
                        marker: string(get(row, "marker", &at)?, &at)?.to_owned(),
                        label: string(get(row, "label", &at)?, &at)?.to_owned(),
                        citations: self
                            .citations(row.get("citations"), &format!("{at}/citations"))?,
                        answer,
                    });
                }
                Answer::Grid(Grid { columns, rows })
            }
            other => return fail(at, format!("unknown answer type `{other}` for `{name}`")),
        })
    }

    /// Reads every condition, now that every item is known.
    fn conditions(&mut self) -> Result<()> {
        for pending in std::mem::take(&mut self.pending) {
            match pending {
                Pending::Item(item, at, rule) => {
                    self.items[item.0].condition = Some(self.condition(&rule, &at)?);
                }
                Pending::Column(item, column, at, rule) => {
                    let condition = self.condition(&rule, &at)?;
                    if let Some(Answer::Grid(grid)) = &mut self.items[item.0].answer {
                        grid.columns[column].condition = Some(condition);
                    }
                }
            }
        }
        Ok(())
    }

    /// Reads a JsonLogic rule of the forms `emit::jsonlogic` writes.
    fn condition(&self, rule: &Value, at: &str) -> Result<Condition> {
        if let Value::Bool(value) = rule {
            return Ok(Condition::Const(*value));
        }
        let object = object(rule, at)?;
        let [(operator, arguments)] = object.iter().collect::<Vec<_>>()[..] else {
            return fail(at, "a JsonLogic rule has exactly one operator");
        };
        let arguments: Vec<&Value> = match arguments {
            Value::Array(values) => values.iter().collect(),
            value => vec![value],
        };
        let parts = |reader: &Reader| -> Result<Vec<Condition>> {
            arguments
                .iter()
                .enumerate()
                .map(|(i, a)| reader.condition(a, &format!("{at}/{operator}/{i}")))
                .collect()
        };
        Ok(match (operator.as_str(), arguments.as_slice()) {
            ("or", _) => Condition::Or(parts(self)?),
            ("and", [guards @ .., last]) if self.guarded(guards, last) => {
                self.condition(last, at)?
            }
            ("and", _) => Condition::And(parts(self)?),
            ("!", [inner]) => Condition::Not(Box::new(self.condition(inner, at)?)),
            ("!==", [var, Value::Null]) => Condition::Answered(self.var(var, at)?),
            ("in", [var @ Value::Object(_), Value::Array(codes)]) => Condition::OneOf {
                item: self.var(var, at)?,
                codes: codes
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
            },
            ("in", [Value::String(code), var]) => Condition::Has {
                item: self.var(var, at)?,
                code: code.clone(),
            },
            ("==", [var @ Value::Object(_), Value::String(code)]) if self.is_choice(var) => {
                Condition::OneOf {
                    item: self.var(var, at)?,
                    codes: vec![code.clone()],
                }
            }
            (op, [lhs, rhs]) => {
                let op = match op {
                    "==" => CompareOp::Eq,
                    "!=" => CompareOp::Ne,
                    "<" => CompareOp::Lt,
                    "<=" => CompareOp::Le,
                    ">" => CompareOp::Gt,
                    ">=" => CompareOp::Ge,
                    other => return fail(at, format!("unsupported JsonLogic operator `{other}`")),
                };
                let date = self.is_date(lhs) || self.is_date(rhs);
                Condition::Compare {
                    op,
                    lhs: self.operand(lhs, date, at)?,
                    rhs: self.operand(rhs, date, at)?,
                }
            }
            (other, _) => return fail(at, format!("unsupported JsonLogic rule `{other}`")),
        })
    }

    /// Whether `guards` are the "is answered" tests that precede a comparison.
    fn guarded(&self, guards: &[&Value], last: &Value) -> bool {
        let ordering = last
            .as_object()
            .and_then(|o| o.keys().next())
            .is_some_and(|op| matches!(op.as_str(), "<" | "<=" | ">" | ">=" | "=="));
        !guards.is_empty()
            && ordering
            && guards.iter().all(|guard| {
                guard
                    .get("!==")
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.len() == 2 && a[1].is_null())
            })
    }

    fn var(&self, value: &Value, at: &str) -> Result<ItemId> {
        let Some(name) = value.get("var").and_then(Value::as_str) else {
            return fail(at, "expected `{\"var\": \"<item id>\"}`");
        };
        self.item_ids.get(name).copied().ok_or_else(|| FormError {
            pointer: at.to_owned(),
            message: format!("condition reads unknown item `{name}`"),
        })
    }

    fn item_of(&self, value: &Value) -> Option<&Item> {
        let name = value.get("var")?.as_str()?;
        Some(&self.items[self.item_ids.get(name)?.0])
    }

    fn is_choice(&self, value: &Value) -> bool {
        self.item_of(value)
            .is_some_and(|item| matches!(item.answer, Some(Answer::Choice { .. })))
    }

    fn is_date(&self, value: &Value) -> bool {
        self.item_of(value)
            .is_some_and(|item| matches!(item.answer, Some(Answer::Date)))
    }

    fn operand(&self, value: &Value, date: bool, at: &str) -> Result<Operand> {
        Ok(match value {
            Value::Object(_) => Operand::Item(self.var(value, at)?),
            Value::Number(n) => Operand::Number(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) if date => Operand::Date(s.clone()),
            Value::String(s) => Operand::Text(s.clone()),
            _ => return fail(at, "unsupported operand"),
        })
    }
}

fn choices(value: &Value, at: &str) -> Result<Vec<Choice>> {
    array(value, at)?
        .iter()
        .enumerate()
        .map(|(index, option)| {
            let at = format!("{at}/{index}");
            let option = object(option, &at)?;
            Ok(Choice {
                code: string(get(option, "code", &at)?, &at)?.to_owned(),
                label: string(get(option, "label", &at)?, &at)?.to_owned(),
            })
        })
        .collect()
}

fn missing(at: &str, key: &str) -> FormError {
    FormError {
        pointer: at.to_owned(),
        message: format!("missing `{key}`"),
    }
}

/// A paragraph's text, or `None` when it is marked pending.
fn pending_text(object: &Map<String, Value>, at: &str) -> Result<Option<String>> {
    if object.get("pending").and_then(Value::as_bool) == Some(true) {
        return Ok(None);
    }
    Ok(Some(string(get(object, "text", at)?, at)?.to_owned()))
}

fn get<'v>(object: &'v Map<String, Value>, key: &str, at: &str) -> Result<&'v Value> {
    object.get(key).ok_or_else(|| missing(at, key))
}

fn object<'v>(value: &'v Value, at: &str) -> Result<&'v Map<String, Value>> {
    value.as_object().ok_or_else(|| FormError {
        pointer: at.to_owned(),
        message: "expected an object".to_owned(),
    })
}

fn array<'v>(value: &'v Value, at: &str) -> Result<&'v Vec<Value>> {
    value.as_array().ok_or_else(|| FormError {
        pointer: at.to_owned(),
        message: "expected an array".to_owned(),
    })
}

fn string<'v>(value: &'v Value, at: &str) -> Result<&'v str> {
    value.as_str().ok_or_else(|| FormError {
        pointer: at.to_owned(),
        message: "expected a string".to_owned(),
    })
}

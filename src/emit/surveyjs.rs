//! SurveyJS: a page per section; a panel for each item that only groups sub-items; a question
//! of the right type for each item with an answer; `visibleIf` from conditions; a
//! `matrixdropdown` of checkboxes for the grid, whose columns keep their conditions; a
//! `paneldynamic` for lists; a `multipletext` for amounts, which stores `{value, currency}` as
//! qc replies do. The mapping is documented in `docs/exports.md`.

use serde_json::{json, Map, Value};

use crate::model::{
    Answer, Block, CompareOp, Condition, Instrument, Item, ItemId, ItemKind, Operand,
};

/// The SurveyJS survey JSON of an instrument, pretty-printed with a final newline.
pub fn to_string(instrument: &Instrument) -> String {
    let mut text = serde_json::to_string_pretty(&survey(instrument)).unwrap_or_default();
    text.push('\n');
    text
}

pub use super::xlsform::Loss;

/// What the SurveyJS export cannot hold: restrictions on an amount's currencies.
pub fn losses(instrument: &Instrument) -> Vec<Loss> {
    instrument
        .items
        .iter()
        .filter(|item| matches!(&item.answer, Some(Answer::Amount { currencies }) if !currencies.is_empty()))
        .map(|item| Loss {
            item: item.id.clone(),
            message: "the allowed currencies are not enforced by the form; `qc validate` checks them".to_owned(),
        })
        .collect()
}

/// The SurveyJS survey JSON of an instrument. With translations, each text that a translation
/// changes is a localizable string, `{"default": "…", "fr": "…"}`, as SurveyJS reads them.
pub fn survey(instrument: &Instrument) -> Value {
    let mut survey = survey_in_one_language(instrument);
    for translation in &instrument.translations {
        if let Some(localized) = crate::translate::localize(instrument, &translation.language) {
            let other = survey_in_one_language(&localized);
            localizable(&mut survey, &other, &translation.language);
        }
    }
    survey
}

/// The properties of a SurveyJS element that hold text for the respondent.
const TEXT_PROPERTIES: [&str; 5] = ["title", "description", "html", "text", "placeholder"];

/// Makes each text of `survey` that differs in `other` (the same survey in `language`) a
/// localizable string: both are built from one instrument, so they match node for node.
fn localizable(survey: &mut Value, other: &Value, language: &str) {
    match (survey, other) {
        (Value::Object(object), Value::Object(other)) => {
            for (key, value) in object.iter_mut() {
                let Some(theirs) = other.get(key) else {
                    continue;
                };
                if !TEXT_PROPERTIES.contains(&key.as_str()) {
                    localizable(value, theirs, language);
                    continue;
                }
                let Some(text) = theirs.as_str() else {
                    continue;
                };
                match value {
                    Value::String(own) if own != text => {
                        *value = json!({ "default": own.clone(), language: text });
                    }
                    Value::Object(strings) => {
                        let default = strings.get("default").and_then(Value::as_str);
                        if default != Some(text) {
                            strings.insert(language.to_owned(), text.into());
                        }
                    }
                    _ => {}
                }
            }
        }
        (Value::Array(items), Value::Array(other)) => {
            for (item, theirs) in items.iter_mut().zip(other) {
                localizable(item, theirs, language);
            }
        }
        _ => {}
    }
}

fn survey_in_one_language(instrument: &Instrument) -> Value {
    let writer = Writer { instrument };
    let mut pages = Vec::new();
    if !instrument.introduction.is_empty() {
        pages.push(json!({
            "name": "introduction",
            "elements": writer.blocks(&instrument.introduction, "introduction"),
        }));
    }
    for section in &instrument.sections {
        pages.push(json!({
            "name": section.id,
            "title": format!("{}. {}", section.number, section.title),
            "elements": writer.blocks(&section.content, &section.id),
        }));
    }
    json!({
        "title": instrument.title,
        "showQuestionNumbers": "off",
        "pages": pages,
    })
}

/// The name SurveyJS gives a free-text row of a grid, which is a question of its own.
pub fn grid_text_row(grid: &str, row: &str) -> String {
    format!("{grid}_{row}")
}

struct Writer<'i> {
    instrument: &'i Instrument,
}

impl Writer<'_> {
    fn blocks(&self, blocks: &[Block], scope: &str) -> Vec<Value> {
        let mut elements = Vec::new();
        for (index, block) in blocks.iter().enumerate() {
            let html = match block {
                Block::Text(text) => format!("<p>{}</p>", escape(text)),
                Block::Heading(text) => format!("<h4>{}</h4>", escape(text)),
                Block::Excerpt(citations) => self.excerpt(citations),
                Block::Item(id) => {
                    self.item(*id, None, &mut elements);
                    continue;
                }
            };
            elements.push(json!({ "type": "html", "name": format!("{scope}_text_{}", index + 1), "html": html }));
        }
        elements
    }

    fn excerpt(&self, citations: &[crate::model::Citation]) -> String {
        let mut html = String::from("<blockquote>");
        for (paragraph, subparagraphs) in self.instrument.excerpt(citations) {
            if let Some(heading) = &paragraph.heading {
                html.push_str(&format!("<h5>{}</h5>", escape(heading)));
            }
            html.push_str(&format!(
                "<p>{}. <em>{}</em></p>",
                paragraph.number,
                escape(paragraph.shown_text())
            ));
            for sub in subparagraphs {
                html.push_str(&format!(
                    "<p>({}) <em>{}</em></p>",
                    sub.letter,
                    escape(sub.shown_text())
                ));
            }
        }
        html.push_str("</blockquote>");
        html
    }

    /// Adds the elements of an item to `out`. `inherited` is the visibility of the nearest
    /// question above it: sub-items of a question are its siblings in SurveyJS, so they carry
    /// its condition; items inside a panel inherit the panel's visibility from SurveyJS.
    fn item(&self, id: ItemId, inherited: Option<String>, out: &mut Vec<Value>) {
        let item = &self.instrument.items[id.0];
        let own = item.condition.as_ref().map(|c| self.expression(c));
        let visible = match (inherited, own) {
            (Some(a), Some(b)) => Some(format!("({a}) and ({b})")),
            (a, b) => a.or(b),
        };
        let mut element = Map::new();
        element.insert("name".to_owned(), json!(item.id));
        element.insert("title".to_owned(), json!(title(item)));
        let description = self.description(item);
        if !description.is_empty() {
            element.insert("description".to_owned(), json!(description));
        }
        if let Some(visible) = &visible {
            element.insert("visibleIf".to_owned(), json!(visible));
        }
        let Some(answer) = &item.answer else {
            element.insert("type".to_owned(), json!("panel"));
            let mut children = Vec::new();
            for child in &item.children {
                self.item(*child, None, &mut children);
            }
            element.insert("elements".to_owned(), Value::Array(children));
            out.push(Value::Object(element));
            return;
        };
        if item.required {
            element.insert("isRequired".to_owned(), json!(true));
        }
        let mut extra = Vec::new();
        self.answer(item, answer, &mut element, &mut extra, visible.as_deref());
        out.push(Value::Object(element));
        out.extend(extra);
        for child in &item.children {
            self.item(*child, visible.clone(), out);
        }
    }

    fn description(&self, item: &Item) -> String {
        let mut parts: Vec<String> = item.help.clone();
        parts.extend(item.notes.iter().cloned());
        if let Some(citations) = self.instrument.citation_text(&item.citations) {
            let document = item
                .citations
                .first()
                .map(|c| self.instrument.documents[c.document].title.as_str());
            parts.push(format!("{}, {citations}", document.unwrap_or_default()));
        }
        parts.join(" ")
    }

    /// The type and its settings; a grid's free-text rows become questions of their own,
    /// returned in `extra`.
    fn answer(
        &self,
        item: &Item,
        answer: &Answer,
        element: &mut Map<String, Value>,
        extra: &mut Vec<Value>,
        visible: Option<&str>,
    ) {
        let mut set = |key: &str, value: Value| {
            element.insert(key.to_owned(), value);
        };
        match answer {
            Answer::Choice { scale, multiple } => {
                set(
                    "type",
                    json!(if *multiple { "checkbox" } else { "radiogroup" }),
                );
                set(
                    "choices",
                    json!(self
                        .instrument
                        .scale(*scale)
                        .options
                        .iter()
                        .map(|o| json!({ "value": o.code, "text": o.label }))
                        .collect::<Vec<_>>()),
                );
            }
            Answer::Text { long: true } => set("type", json!("comment")),
            Answer::Text { long: false } => set("type", json!("text")),
            Answer::Date => {
                set("type", json!("text"));
                set("inputType", json!("date"));
            }
            Answer::Number { integer, min, max } => {
                set("type", json!("text"));
                set("inputType", json!("number"));
                if let Some(min) = min {
                    set("min", json!(min));
                }
                if let Some(max) = max {
                    set("max", json!(max));
                }
                if *integer {
                    set("step", json!(1));
                }
            }
            Answer::Amount { .. } => {
                set("type", json!("multipletext"));
                set(
                    "items",
                    json!([
                        { "name": "value", "title": "Value", "inputType": "number" },
                        { "name": "currency", "title": "Currency (ISO 4217 code)" }
                    ]),
                );
            }
            Answer::List { fields } => {
                set("type", json!("paneldynamic"));
                let template: Vec<Value> = fields
                    .iter()
                    .map(|field| {
                        let mut element = Map::new();
                        element.insert("name".to_owned(), json!(field.id));
                        element.insert("title".to_owned(), json!(field.label));
                        if field.required {
                            element.insert("isRequired".to_owned(), json!(true));
                        }
                        let mut ignored = Vec::new();
                        self.answer(item, &field.answer, &mut element, &mut ignored, None);
                        Value::Object(element)
                    })
                    .collect();
                set("templateElements", Value::Array(template));
                set("panelCount", json!(0));
            }
            Answer::Grid(grid) => {
                set("type", json!("matrixdropdown"));
                let columns: Vec<Value> = grid
                    .columns
                    .iter()
                    .map(|column| {
                        let mut value = json!({ "name": column.id, "title": column.label, "cellType": "boolean" });
                        if let Some(condition) = &column.condition {
                            value["visibleIf"] = json!(self.expression(condition));
                        }
                        value
                    })
                    .collect();
                set("columns", Value::Array(columns));
                let rows: Vec<Value> = grid
                    .rows
                    .iter()
                    .filter(|row| row.answer.is_none())
                    .map(|row| {
                        let mut text = format!("{} {}", row.marker, row.label);
                        if let Some(citations) = self.instrument.citation_text(&row.citations) {
                            text.push_str(&format!(" ({citations})"));
                        }
                        json!({ "value": row.id, "text": text })
                    })
                    .collect();
                set("rows", Value::Array(rows));
                for row in grid.rows.iter().filter(|row| row.answer.is_some()) {
                    let mut question = json!({
                        "type": "comment",
                        "name": grid_text_row(&item.id, &row.id),
                        "title": format!("{} {}", row.marker, row.label),
                    });
                    if let Some(visible) = visible {
                        question["visibleIf"] = json!(visible);
                    }
                    extra.push(question);
                }
            }
        }
    }

    /// A condition in SurveyJS's expression language.
    fn expression(&self, condition: &Condition) -> String {
        let name = |id: ItemId| format!("{{{}}}", self.instrument.items[id.0].id);
        let quoted = |text: &str| format!("'{}'", text.replace('\'', "\\'"));
        match condition {
            Condition::Const(value) => value.to_string(),
            Condition::Or(_) | Condition::And(_) => {
                super::join_parts(condition, |part| self.expression(part)).unwrap_or_default()
            }
            Condition::Not(inner) => format!("!({})", self.expression(inner)),
            Condition::Answered(id) => format!("{} notempty", name(*id)),
            Condition::OneOf { item, codes } => {
                let tests: Vec<String> = codes
                    .iter()
                    .map(|c| format!("{} = {}", name(*item), quoted(c)))
                    .collect();
                if tests.len() == 1 {
                    tests[0].clone()
                } else {
                    format!("({})", tests.join(" or "))
                }
            }
            Condition::Has { item, code } => format!("{} contains {}", name(*item), quoted(code)),
            Condition::Compare { op, lhs, rhs } => {
                let operand = |operand: &Operand| match operand {
                    Operand::Item(id) => name(*id),
                    Operand::Number(n) => n.to_string(),
                    Operand::Code(s) | Operand::Date(s) | Operand::Text(s) => quoted(s),
                };
                let symbol = op.equality_or_order();
                let mut tests: Vec<String> = [lhs, rhs]
                    .iter()
                    .filter_map(|side| match side {
                        Operand::Item(id) => Some(format!("{} notempty", name(*id))),
                        _ => None,
                    })
                    .collect();
                tests.push(format!("{} {symbol} {}", operand(lhs), operand(rhs)));
                let test = tests.join(" and ");
                if *op == CompareOp::Ne {
                    format!("!({test})")
                } else {
                    test
                }
            }
        }
    }
}

/// A question's title with its printed number, as on paper.
fn title(item: &Item) -> String {
    match &item.marker {
        Some(marker) if item.kind == ItemKind::Question => format!("{marker}. {}", item.label),
        Some(marker) => format!("{marker} {}", item.label),
        None => item.label.clone(),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

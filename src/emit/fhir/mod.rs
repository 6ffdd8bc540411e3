//! FHIR R4: the instrument as a `Questionnaire`, and a qc reply as a `QuestionnaireResponse`.
//!
//! linkId is the stable id, prefix the printed number; sections and items with sub-items are
//! groups, and sub-items nest under the item they belong to. Conditions become `enableWhen`
//! with `enableBehavior` where FHIR can say them (tests of single answers joined by one `and`
//! or one `or`), and the SDC `enableWhenExpression` extension (FHIRPath) where it cannot.
//! Citations are item codes. Lists are repeating groups; amounts are quantities in an ISO 4217
//! currency; number bounds are the core `minValue` and `maxValue` extensions. Calculated values
//! are read-only items with the SDC `calculatedExpression`; constraints are the core
//! `questionnaire-constraint` extension, with their severity; fixed numbers of records are
//! `minOccurs` and `maxOccurs`; a table is a group of rows, each a group of its cells. What
//! FHIR cannot hold is reported as a [`Loss`]. See `docs/exports.md`.

use serde_json::{json, Map, Value};

use crate::arena::Arena;
use crate::model::Severity;
use crate::model::{
    Aggregate, AnswerType, Block, CompareOp, Condition, Constraint, Count, Grid, Instrument, Item,
    ItemId, ItemKind, List, Operand, Table, Text,
};

mod response;

pub use response::questionnaire_response;

use super::{Braces, Loss, Lost, Piping, Target};

/// The SDC `variable` extension: a named value for the item's expressions and its items'.
const VARIABLE: &str = "http://hl7.org/fhir/StructureDefinition/variable";
const ENABLE_WHEN_EXPRESSION: &str =
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression";
const CURRENCIES: &str = "urn:iso:std:iso:4217";
/// The code system of ISO 3166 country codes, as FHIR names it.
pub(crate) const COUNTRIES: &str = "urn:iso:std:iso:3166";
/// The core extensions that give a quantity's units: one option each, or a value set.
const UNIT_OPTION: &str = "http://hl7.org/fhir/StructureDefinition/questionnaire-unitOption";
const UNIT_VALUE_SET: &str = "http://hl7.org/fhir/StructureDefinition/questionnaire-unitValueSet";
const ORDINAL_VALUE: &str = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
const HIDDEN: &str = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden";
const CALCULATED_EXPRESSION: &str =
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression";
const CONSTRAINT: &str = "http://hl7.org/fhir/StructureDefinition/questionnaire-constraint";
const MIN_OCCURS: &str = "http://hl7.org/fhir/StructureDefinition/questionnaire-minOccurs";
const MAX_OCCURS: &str = "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs";

/// The canonical URL of an instrument's Questionnaire.
pub fn url(instrument: &Instrument) -> String {
    format!("urn:qc:questionnaire:{}", instrument.id)
}

/// The Questionnaire of an instrument, and what it could not hold.
pub fn questionnaire(instrument: &Instrument) -> (Value, Vec<Loss>) {
    let mut writer = Writer {
        instrument,
        losses: Vec::new(),
        record: std::cell::Cell::new("%context"),
    };
    let mut items = writer.blocks(&instrument.introduction, "introduction");
    for section in &instrument.sections {
        let mut group = serde_json::Map::new();
        group.insert(
            "linkId".to_owned(),
            json!(section_link(instrument, section)),
        );
        // The respondent block has no number.
        if !section.number.is_empty() {
            group.insert("prefix".to_owned(), json!(format!("{}.", section.number)));
        }
        group.insert("text".to_owned(), json!(section.title));
        group.insert("type".to_owned(), json!("group"));
        group.insert(
            "item".to_owned(),
            json!(writer.blocks(&section.content, &section.id)),
        );
        writer.constraints(&section.id, None, &section.constraints, &mut group);
        items.push(Value::Object(group));
    }
    // FHIR R4 has no piping: a piped value is shown as `{id}`.
    let mut piped = Vec::new();
    crate::translate::visit_texts(&mut instrument.clone(), &mut |_, slot| {
        if let crate::translate::Slot::Piped(text) = slot {
            piped.extend(text.piped());
        }
    });
    piped.sort();
    piped.dedup();
    for id in piped {
        let item = instrument.item(id);
        writer.losses.push(Loss {
            target: Target::Fhir,
            item: item.id.clone(),
            span: item.span,
            what: Lost::Piping,
            also: Vec::new(),
        });
    }
    let draft = instrument
        .status
        .as_deref()
        .is_some_and(|s| s.to_lowercase().contains("draft"));
    let mut questionnaire = json!({
        "resourceType": "Questionnaire",
        "id": instrument.id.replace('_', "-"),
        "url": url(instrument),
        "title": instrument.title,
        "status": if draft { "draft" } else { "active" },
        "item": items,
    });
    if let Some(version) = &instrument.version {
        crate::emit::set(&mut questionnaire, "version", json!(version));
    }
    if let Some(date) = &instrument.date {
        crate::emit::set(&mut questionnaire, "date", json!(date));
    }
    if let Some(language) = &instrument.language {
        crate::emit::set(&mut questionnaire, "language", json!(language));
    }
    for translation in &instrument.translations {
        if let Some(localized) = crate::translate::localize(instrument, &translation.language) {
            let (other, _) = self::questionnaire(&localized);
            translated(&mut questionnaire, &other, &translation.language);
        }
    }
    (questionnaire, writer.losses)
}

/// The core extension that gives an element's text in another language.
const TRANSLATION: &str = "http://hl7.org/fhir/StructureDefinition/translation";

/// The elements of a Questionnaire that hold text for the respondent.
/// The core extension that gives a text as XHTML, for fillers that render it.
const RENDERING_XHTML: &str = "http://hl7.org/fhir/StructureDefinition/rendering-xhtml";

const TEXT_ELEMENTS: [&str; 4] = ["title", "text", "display", "valueString"];

/// Adds to each text of `questionnaire` that differs in `other` (the same Questionnaire in
/// `language`) a `translation` extension on its primitive element (`_text`), as FHIR carries
/// translations. Both are built from one instrument, so they match element for element.
fn translated(questionnaire: &mut Value, other: &Value, language: &str) {
    match (questionnaire, other) {
        (Value::Object(object), Value::Object(other)) => {
            let mut extensions = Vec::new();
            for (key, value) in object.iter_mut() {
                let Some(theirs) = other.get(key) else {
                    continue;
                };
                match (value.as_str(), theirs.as_str()) {
                    (Some(own), Some(text)) if TEXT_ELEMENTS.contains(&key.as_str()) => {
                        if own != text {
                            extensions.push((format!("_{key}"), text.to_owned()));
                        }
                    }
                    _ => translated(value, theirs, language),
                }
            }
            for (key, text) in extensions {
                let element = object
                    .entry(key)
                    .or_insert_with(|| json!({ "extension": [] }));
                if let Some(list) = element["extension"].as_array_mut() {
                    list.push(json!({
                        "url": TRANSLATION,
                        "extension": [
                            { "url": "lang", "valueCode": language },
                            { "url": "content", "valueString": text },
                        ],
                    }));
                }
            }
        }
        (Value::Array(items), Value::Array(other)) => {
            for (item, theirs) in items.iter_mut().zip(other) {
                translated(item, theirs, language);
            }
        }
        _ => {}
    }
}

/// A section's `linkId`: its id, or `<id>_section` when an item has the same id (FHIR wants
/// every `linkId` of a Questionnaire once).
pub fn section_link(instrument: &Instrument, section: &crate::model::Section) -> String {
    match instrument.items.iter().any(|item| item.id == section.id) {
        true => format!("{}_section", section.id),
        false => section.id.clone(),
    }
}

/// Adds an extension to an element, after those it has.
fn push_extension(out: &mut Map<String, Value>, extension: Value) {
    match out.get_mut("extension").and_then(Value::as_array_mut) {
        Some(extensions) => extensions.push(extension),
        None => {
            out.insert("extension".to_owned(), json!([extension]));
        }
    }
}

/// The SDC `questionnaire-itemControl` extension: how a filler shows the item.
fn item_control(code: &str) -> Value {
    json!({
        "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl",
        "valueCodeableConcept": {
            "coding": [{ "system": "http://hl7.org/fhir/questionnaire-item-control", "code": code }]
        }
    })
}

/// FHIR R4 pipes nothing: a text shows `{id}` where the source pipes a value.
fn piping(instrument: &Instrument) -> Piping<'_> {
    Piping {
        instrument,
        braces: Braces::Plain,
        reference: |item| format!("{{{}}}", item.id),
    }
}

/// The FHIR item type of a computed value of this type.
fn calculated_type(answer: &AnswerType) -> &'static str {
    match answer {
        AnswerType::Date => "date",
        AnswerType::Text { .. } | AnswerType::Choice { .. } => "string",
        _ => "decimal",
    }
}

struct Writer<'i> {
    instrument: &'i Instrument,
    losses: Vec<Loss>,
    /// What the fields of the record at hand are read from: `%context` in the record
    /// constraints on a repeating group, `%record` (the group's variable) in a field's
    /// `enableWhenExpression`, `$this` in the filter of an aggregate over records.
    record: std::cell::Cell<&'static str>,
}

impl Writer<'_> {
    fn text(&self, text: &Text) -> String {
        piping(self.instrument).text(text)
    }

    fn blocks(&mut self, blocks: &[Block], scope: &str) -> Vec<Value> {
        let mut items = Vec::new();
        for (index, block) in blocks.iter().enumerate() {
            let link = format!("{scope}_text_{}", index + 1);
            let text = match block {
                Block::Text(text) | Block::Heading(text) => self.text(text),
                Block::Excerpt(citations) => {
                    // Paragraph by paragraph, as quoted: a filler that reads `rendering-xhtml`
                    // keeps the breaks, and the plain text keeps them as blank lines.
                    let (text, xhtml) = self.excerpt(citations);
                    items.push(json!({
                        "linkId": link,
                        "type": "display",
                        "text": text,
                        "_text": { "extension": [{ "url": RENDERING_XHTML, "valueString": xhtml }] },
                    }));
                    continue;
                }
                Block::Item(id) => {
                    items.push(self.item(*id));
                    continue;
                }
            };
            items.push(json!({ "linkId": link, "type": "display", "text": text }));
        }
        items
    }

    /// The quoted paragraphs, as plain text (a blank line between paragraphs) and as XHTML
    /// (a `p` for each, the heading in bold, the text in italics).
    fn excerpt(&self, citations: &[crate::model::Citation]) -> (String, String) {
        let mut text = Vec::new();
        let mut xhtml = String::from("<div xmlns=\"http://www.w3.org/1999/xhtml\">");
        let mut paragraph = |line: String, shown: String| {
            text.push(line);
            xhtml.push_str(&format!("<p>{shown}</p>"));
        };
        for (quoted, subparagraphs) in self.instrument.excerpt(citations) {
            if let Some(heading) = &quoted.heading {
                paragraph(
                    heading.clone(),
                    format!("<b>{}</b>", super::html_escape(heading)),
                );
            }
            paragraph(
                format!("{}. {}", quoted.number, quoted.shown_text()),
                format!(
                    "{}. <i>{}</i>",
                    super::html_escape(&quoted.number),
                    super::html_escape(quoted.shown_text())
                ),
            );
            for sub in subparagraphs {
                paragraph(
                    format!("({}) {}", sub.letter, sub.shown_text()),
                    format!(
                        "({}) <i>{}</i>",
                        super::html_escape(&sub.letter),
                        super::html_escape(sub.shown_text())
                    ),
                );
            }
        }
        xhtml.push_str("</div>");
        (text.join("\n\n"), xhtml)
    }

    fn item(&mut self, id: ItemId) -> Value {
        let item = self.instrument.items.at(id);
        let mut out = Map::new();
        out.insert("linkId".to_owned(), json!(item.id));
        if let Some(marker) = &item.marker {
            let prefix = if item.kind == ItemKind::Question {
                format!("{marker}.")
            } else {
                marker.clone()
            };
            out.insert("prefix".to_owned(), json!(prefix));
        }
        out.insert("text".to_owned(), json!(self.text(&item.label)));
        let codes = self.codes(&item.citations);
        if !codes.is_empty() {
            out.insert("code".to_owned(), Value::Array(codes));
        }
        let mut children = Vec::new();
        if !item.specials.is_empty() {
            self.lose(item, Lost::Specials);
        }
        if let (ItemKind::Calculated, Some(calculation)) = (item.kind, &item.calculation) {
            let kind = item.answer.as_ref().map_or("decimal", calculated_type);
            if matches!(item.answer, Some(AnswerType::Amount { .. })) {
                self.lose(item, Lost::ComputedAmount);
            }
            out.insert("type".to_owned(), json!(kind));
            out.insert("readOnly".to_owned(), json!(true));
            let expression = json!({
                "url": CALCULATED_EXPRESSION,
                "valueExpression": { "language": "text/fhirpath", "expression": self.computed(None, calculation) },
            });
            out.insert("extension".to_owned(), json!([expression]));
            // Kept from view unless marked shown.
            if !item.shown {
                push_extension(&mut out, json!({ "url": HIDDEN, "valueBoolean": true }));
            }
            return Value::Object(out);
        }
        match &item.answer {
            None => {
                out.insert("type".to_owned(), json!("group"));
            }
            Some(answer) => {
                self.answer(item, answer, &mut out, &mut children);
                out.insert("required".to_owned(), json!(item.required));
            }
        }
        if let Some(condition) = &item.condition {
            self.enable_when(condition, &mut out);
        }
        self.constraints(&item.id, None, &item.constraints, &mut out);
        for (index, text) in item.help.iter().chain(&item.notes).enumerate() {
            children.push(json!({ "linkId": format!("{}_help_{}", item.id, index + 1), "type": "display", "text": self.text(text) }));
        }
        // The paragraphs it asks about, named as on paper: fillers do not show item codes.
        if let Some(line) = &item.cited {
            children.push(json!({
                "linkId": format!("{}_citation", item.id),
                "type": "display",
                "text": line,
            }));
        }
        for child in &item.children {
            children.push(self.item(*child));
        }
        if !children.is_empty() {
            out.insert("item".to_owned(), Value::Array(children));
        }
        Value::Object(out)
    }

    fn lose(&mut self, item: &Item, what: Lost) {
        self.losses.push(Loss {
            target: Target::Fhir,
            item: item.id.clone(),
            span: item.span,
            what,
            also: Vec::new(),
        });
    }

    /// Constraints as the core `questionnaire-constraint` extension, keyed `<owner>-<n>`; in a
    /// list, evaluated on each record (`%context`).
    fn constraints(
        &self,
        owner: &str,
        list: Option<&Item>,
        constraints: &[Constraint],
        out: &mut Map<String, Value>,
    ) {
        for (index, constraint) in constraints.iter().enumerate() {
            let severity = if constraint.severity == Severity::Error {
                "error"
            } else {
                "warning"
            };
            let operands = constraint.operands();
            let mut kept: Vec<String> = operands
                .iter()
                .map(|reading| format!("{}.exists().not()", self.reading(list, *reading)))
                .collect();
            // Amounts of two currencies are not compared: the constraint is not tested.
            let mut compared = Vec::new();
            constraint
                .condition
                .for_each_compared_value(&mut |value| compared.push(value));
            kept.extend(
                self.agreement(list, &compared)
                    .into_iter()
                    .map(|same| format!("(({same}).not())")),
            );
            kept.push(format!(
                "({})",
                self.fhirpath_in(list, &constraint.condition)
            ));
            let extension = json!({
                "url": CONSTRAINT,
                "extension": [
                    { "url": "key", "valueId": format!("{}-{}", owner.replace('_', "-"), index + 1) },
                    { "url": "severity", "valueCode": severity },
                    { "url": "expression", "valueString": kept.join(" or ") },
                    { "url": "human", "valueString": self.text(&constraint.message) },
                ],
            });
            push_extension(out, extension);
        }
    }

    fn reading(&self, list: Option<&Item>, reading: crate::model::Reading) -> String {
        match reading {
            crate::model::Reading::Item(id) => self.answer_path(id),
            crate::model::Reading::Field(field) => self.field_path(list, field),
            crate::model::Reading::Cell { table, row, column } => {
                self.cell_path(table, row, column)
            }
        }
    }

    /// A cell of a table: the answer of its `<table>_<row>_<column>` item.
    fn cell_path(&self, table: ItemId, row: usize, column: usize) -> String {
        match self.instrument.cell(table, row, column) {
            Some((item, row, column, _)) => format!(
                "%resource.repeat(item).where(linkId='{}_{}_{}').answer.value",
                item.id, row.id, column.id
            ),
            None => "{}".to_owned(),
        }
    }

    fn answer_path(&self, item: ItemId) -> String {
        format!(
            "%resource.repeat(item).where(linkId='{}').answer.value",
            self.instrument.items.at(item).id
        )
    }

    /// The tests that the amounts among `readings` (each a `Quantity`, whose `code` is its
    /// currency) are of one currency.
    fn same_currency(
        &self,
        list: Option<&Item>,
        readings: &[crate::model::Reading],
    ) -> Vec<String> {
        let currencies: Vec<String> = readings
            .iter()
            .filter(|reading| self.instrument.reads_amount(list, **reading))
            .map(|reading| format!("{}.code", self.reading(list, *reading)))
            .collect();
        super::same_as_first(&currencies, |first, other| format!("{first} = {other}"))
    }

    /// The tests that the amounts `values` compute with are of one currency (see
    /// [`crate::model::Operand::for_each_currency_source`]): of those read, the first's with
    /// each other's; with aggregates of amounts, that the codes of all of them are one.
    fn agreement(&self, list: Option<&Item>, values: &[&Operand]) -> Vec<String> {
        let sources = self.instrument.amount_sources(list, values.iter().copied());
        if sources.aggregates.is_empty() {
            return self.same_currency(list, &sources.readings);
        }
        let codes: Vec<String> = sources
            .readings
            .iter()
            .map(|reading| format!("{}.code", self.reading(list, *reading)))
            .chain(sources.aggregates.iter().map(|a| self.currency(list, a)))
            .collect();
        vec![format!("({}).distinct().count() <= 1", codes.join(" | "))]
    }

    /// The currency code (or codes) of an amount (see [`super::currency_of`]): of an
    /// aggregate, those of its values.
    fn currency(&self, list: Option<&Item>, operand: &Operand) -> String {
        super::currency_of(
            self.instrument,
            list,
            operand,
            &mut Currencies { writer: self, list },
        )
    }

    /// The values of a field of the records an aggregate takes: `…answer.value`, and of an
    /// amount its `value` or its `code` (`part`).
    fn records_values(&self, operand: &Operand, part: &str) -> String {
        let Operand::Records {
            list: records,
            field: Some(field),
            filter,
            ..
        } = operand
        else {
            return "{}".to_owned();
        };
        let groups = self.records_groups(*records, filter.as_deref());
        let records_item = self.instrument.items.at(*records);
        let (field_id, amount) = match &records_item.answer {
            Some(AnswerType::List(list)) => list.fields.get(*field).map_or(("", false), |f| {
                (f.id.as_str(), matches!(f.answer, AnswerType::Amount { .. }))
            }),
            _ => ("", false),
        };
        let id = &records_item.id;
        let values = format!("{groups}.item.where(linkId='{id}_{field_id}').answer.value");
        match amount {
            true => format!("{values}.{part}"),
            false => values,
        }
    }

    /// The groups of the records of a list, or of those that meet `filter`.
    fn records_groups(&self, records: ItemId, filter: Option<&Condition>) -> String {
        let id = &self.instrument.items.at(records).id;
        let mut groups = format!("%resource.repeat(item).where(linkId='{id}')");
        if let Some(filter) = filter {
            // Each record's group is `$this` inside `where`.
            let outer = self.record.replace("$this");
            let test = self.fhirpath_in(Some(self.instrument.items.at(records)), filter);
            self.record.set(outer);
            groups = format!("{groups}.where({test})");
        }
        groups
    }

    /// A computed value in FHIRPath: empty when it reads amounts of two currencies, as [`value`]
    /// is when what it reads is empty.
    fn computed(&self, list: Option<&Item>, operand: &Operand) -> String {
        let value = self.value(list, operand);
        match self.agreement(list, &[operand]).as_slice() {
            [] => value,
            tests => format!("iif({}, {value}, {{}})", tests.join(" and ")),
        }
    }

    /// An aggregate's value; of amounts, empty unless they have one currency.
    fn in_one_currency(&self, list: Option<&Item>, aggregate: &Operand, value: String) -> String {
        match self.instrument.is_amount(list, aggregate) {
            true => format!(
                "iif(({}).distinct().count() = 1, {value}, {{}})",
                self.currency(list, aggregate)
            ),
            false => value,
        }
    }

    /// A value in FHIRPath: empty when what it reads is empty, as qc's values have none.
    fn value(&self, list: Option<&Item>, operand: &Operand) -> String {
        crate::stack::guard(|| {
            // An amount is computed with by its value.
            let reading = operand.reading();
            if let Some(reading) = reading.filter(|r| self.instrument.reads_amount(list, *r)) {
                return format!("{}.value", self.reading(list, reading));
            }
            match operand {
                Operand::Item(id) => self.answer_path(*id),
                Operand::Field(field) => self.field_path(list, *field),
                Operand::Cell { table, row, column } => self.cell_path(*table, *row, *column),
                // The scores of the options, as each option's `ordinalValue` also says.
                Operand::Score(scored) => {
                    let (scores, multiple) = self.instrument.scores(*scored).unwrap_or_default();
                    let codes = format!("{}.code", self.answer_path(*scored));
                    super::score_expression(
                        &scores,
                        multiple,
                        "{}",
                        |code, score| {
                            let code = fhirpath_literal(code);
                            format!("iif(({codes} contains {code}), {score}, 0)")
                        },
                        |code, score, otherwise| {
                            let code = fhirpath_literal(code);
                            format!("iif({codes} = {code}, {score}, {otherwise})")
                        },
                    )
                }
                Operand::Number(n) => n.to_string(),
                Operand::Date(d) => format!("@{d}"),
                Operand::Code(s) | Operand::Text(s) => fhirpath_literal(s),
                Operand::Today => "today()".to_owned(),
                Operand::Sum { .. } | Operand::Product { .. } => {
                    super::infix(operand, " / ", |o| self.value(list, o))
                }
                Operand::Aggregate {
                    function,
                    over,
                    missing: crate::model::Missing::None,
                } => {
                    // No value unless every value has one.
                    let tests: Vec<String> = over
                        .iter()
                        .map(|o| format!("({}).exists()", self.value(list, o)))
                        .collect();
                    let skipping = Operand::Aggregate {
                        function: *function,
                        over: over.clone(),
                        missing: crate::model::Missing::Skip,
                    };
                    format!(
                        "iif({}, {}, {{}})",
                        tests.join(" and "),
                        self.value(list, &skipping)
                    )
                }
                Operand::Aggregate { function, over, .. } => {
                    let values: Vec<String> = over.iter().map(|o| self.value(list, o)).collect();
                    let value = match function {
                        Aggregate::Sum => {
                            let parts: Vec<String> = values
                                .iter()
                                .map(|v| format!("iif(({v}).exists(), {v}, 0)"))
                                .collect();
                            format!("({})", parts.join(" + "))
                        }
                        Aggregate::Count => {
                            let parts: Vec<String> = values
                                .iter()
                                .map(|v| format!("iif(({v}).exists(), 1, 0)"))
                                .collect();
                            format!("({})", parts.join(" + "))
                        }
                        Aggregate::Min | Aggregate::Max => {
                            extreme(*function, &format!("({})", values.join(" | ")))
                        }
                    };
                    self.in_one_currency(list, operand, value)
                }
                Operand::Records {
                    function,
                    list: records,
                    field,
                    filter,
                    missing,
                } => {
                    let id = &self.instrument.items.at(*records).id;
                    let groups = self.records_groups(*records, filter.as_deref());
                    let Some(field) = field else {
                        return format!("{groups}.count()");
                    };
                    let field_id = match &self.instrument.items.at(*records).answer {
                        Some(AnswerType::List(list)) => {
                            list.fields.get(*field).map_or("", |f| f.id.as_str())
                        }
                        _ => "",
                    };
                    let values = self.records_values(operand, "value");
                    let value = match function {
                        Aggregate::Sum => format!("{values}.aggregate($this + $total, 0)"),
                        Aggregate::Count => format!("{values}.count()"),
                        Aggregate::Min | Aggregate::Max => extreme(*function, &values),
                    };
                    let value = match missing {
                        crate::model::Missing::Skip => value,
                        // No value unless every record has one.
                        crate::model::Missing::None => format!(
                            "iif({groups}.count() = {groups}.where(item.where(linkId='{id}_{field_id}').answer.value.exists()).count(), {value}, {{}})"
                        ),
                    };
                    self.in_one_currency(list, operand, value)
                }
                Operand::If {
                    condition,
                    then,
                    otherwise,
                } => {
                    let chosen = format!(
                        "iif({}, {}, {})",
                        self.fhirpath_in(list, condition),
                        self.value(list, then),
                        self.value(list, otherwise)
                    );
                    // No value while what the condition reads has none, which `iif` would
                    // read as false.
                    let mut tests = Vec::new();
                    condition.for_each_value_read(&mut |reading| {
                        tests.push(format!("{}.exists()", self.reading(list, reading)));
                    });
                    match tests.is_empty() {
                        true => chosen,
                        false => format!("iif({}, {chosen}, {{}})", tests.join(" and ")),
                    }
                }
                Operand::Year(date) => {
                    format!(
                        "({}).toString().substring(0, 4).toInteger()",
                        self.value(list, date)
                    )
                }
                Operand::Between { unit, from, to } => {
                    let (from, to) = (self.value(list, from), self.value(list, to));
                    let part = |date: &str, start: usize, length: usize| {
                        format!("({date}).toString().substring({start}, {length}).toInteger()")
                    };
                    match unit {
                        crate::model::DateUnit::Days => {
                            // Days from a fixed origin, the year starting in March, as qc counts.
                            let days = |date: &str| {
                                let month = part(date, 5, 2);
                                let year =
                                    format!("({} - iif({month} <= 2, 1, 0))", part(date, 0, 4));
                                format!(
                                    "(365 * {year} + {year} div 4 - {year} div 100 + {year} div 400 + (153 * (({month} + 9) mod 12) + 2) div 5 + {})",
                                    part(date, 8, 2)
                                )
                            };
                            format!("({} - {})", days(&to), days(&from))
                        }
                        crate::model::DateUnit::Years => {
                            let month_day = |date: &str| {
                                format!("({} * 100 + {})", part(date, 5, 2), part(date, 8, 2))
                            };
                            format!(
                                "({} - {} - iif({} < {}, 1, 0))",
                                part(&to, 0, 4),
                                part(&from, 0, 4),
                                month_day(&to),
                                month_day(&from)
                            )
                        }
                    }
                }
            }
        })
    }

    fn codes(&self, citations: &[crate::model::Citation]) -> Vec<Value> {
        citations
            .iter()
            .map(|citation| {
                let document = &self.instrument.documents.at(citation.document);
                let paragraph = &document.paragraphs.at(citation.paragraph);
                let (code, text) = match citation.subparagraph {
                    Some(sub) => {
                        let letter = &paragraph.subparagraphs.at(sub).letter;
                        (
                            format!("{}({letter})", paragraph.number),
                            format!("{} ({letter})", paragraph.number),
                        )
                    }
                    None => (paragraph.number.clone(), paragraph.number.clone()),
                };
                json!({
                    "system": format!("urn:qc:document:{}", document.id),
                    "code": code,
                    "display": format!("{}, para. {text}", document.title),
                })
            })
            .collect()
    }

    /// The type of an answer and what goes with it on the item; the items a compound answer
    /// (a list's fields, a table's rows, a grid's rows) adds under it go to `children`.
    fn answer(
        &mut self,
        item: &Item,
        answer: &AnswerType,
        out: &mut Map<String, Value>,
        children: &mut Vec<Value>,
    ) {
        let mut set = |key: &str, value: Value| {
            out.insert(key.to_owned(), value);
        };
        match answer {
            AnswerType::Choice { scale, multiple } => {
                set("type", json!("choice"));
                if *multiple {
                    set("repeats", json!(true));
                }
                let options: Vec<Value> = self
                    .instrument
                    .scale(*scale)
                    .options
                    .iter()
                    .map(|o| {
                        let mut coding = json!({ "code": o.code, "display": self.text(&o.label) });
                        // A scored option carries its score, as SDC scores options.
                        if let Some(score) = o.score {
                            crate::emit::set(
                                &mut coding,
                                "extension",
                                json!([{ "url": ORDINAL_VALUE, "valueDecimal": score }]),
                            );
                        }
                        json!({ "valueCoding": coding })
                    })
                    .collect();
                set("answerOption", Value::Array(options));
                // Radio buttons or check boxes, as on paper, rather than a drop-down.
                push_extension(
                    out,
                    item_control(if *multiple {
                        "check-box"
                    } else {
                        "radio-button"
                    }),
                );
            }
            AnswerType::Text { long } => set("type", json!(if *long { "text" } else { "string" })),
            AnswerType::Date => set("type", json!("date")),
            // The countries and areas of the table, in a drop-down; a code ISO 3166-1 leaves
            // to users is the open choice's text (`valueString`).
            AnswerType::Country => {
                set("type", json!("open-choice"));
                let options: Vec<Value> = crate::emit::country_choices(self.instrument)
                    .into_iter()
                    .map(|(code, name)| {
                        json!({ "valueCoding": { "system": COUNTRIES, "code": code, "display": name } })
                    })
                    .collect();
                set("answerOption", Value::Array(options));
                push_extension(out, item_control("drop-down"));
            }
            AnswerType::Number { integer, min, max } => number(*integer, *min, *max, out),
            AnswerType::Amount { currencies } => {
                out.insert("type".to_owned(), json!("quantity"));
                // The currencies to choose from: those it allows, or every ISO 4217 code.
                if currencies.is_empty() {
                    push_extension(
                        out,
                        json!({ "url": UNIT_VALUE_SET, "valueCanonical": "http://hl7.org/fhir/ValueSet/currencies" }),
                    );
                }
                for currency in currencies {
                    push_extension(
                        out,
                        json!({ "url": UNIT_OPTION, "valueCoding": { "system": CURRENCIES, "code": currency } }),
                    );
                }
            }
            AnswerType::List(list) => self.list(item, list, out, children),
            AnswerType::Table(table) => self.table(item, table, out, children),
            AnswerType::Grid(grid) => self.grid(item, grid, out, children),
        }
    }

    /// A list: a repeating group of its fields, its record counts and record constraints.
    fn list(
        &mut self,
        item: &Item,
        list: &List,
        out: &mut Map<String, Value>,
        children: &mut Vec<Value>,
    ) {
        out.insert("type".to_owned(), json!("group"));
        out.insert("repeats".to_owned(), json!(true));
        let mut occurs = Vec::new();
        for (url, count) in [(MIN_OCCURS, &list.min), (MAX_OCCURS, &list.max)] {
            match count {
                Some(Count::Number(n)) => {
                    occurs.push(json!({ "url": url, "valueInteger": n }));
                }
                Some(Count::Item(_)) => self.lose(item, Lost::RecordCountFromAnswer),
                None => {}
            }
        }
        if !occurs.is_empty() {
            out.insert("extension".to_owned(), Value::Array(occurs));
        }
        self.constraints(
            &format!("{}-record", item.id),
            Some(item),
            &list.constraints,
            out,
        );
        // Each record (an instance of the repeating group) is `%record` to the conditions of
        // its fields, an SDC variable seen by the group's items.
        if list
            .fields
            .iter()
            .any(|f| f.condition.is_some() || f.calculation.is_some())
        {
            push_extension(
                out,
                json!({
                    "url": VARIABLE,
                    "valueExpression": { "name": "record", "language": "text/fhirpath", "expression": "%context" },
                }),
            );
        }
        for field in &list.fields {
            let mut element = Map::new();
            element.insert(
                "linkId".to_owned(),
                json!(format!("{}_{}", item.id, field.id)),
            );
            element.insert("text".to_owned(), json!(self.text(&field.label)));
            if let Some(calculation) = &field.calculation {
                // Read-only, computed from the record (`%record`), as a calculated value is
                // from the response.
                element.insert("type".to_owned(), json!(calculated_type(&field.answer)));
                element.insert("readOnly".to_owned(), json!(true));
                if matches!(field.answer, AnswerType::Amount { .. }) {
                    self.lose(item, Lost::ComputedAmount);
                }
                let outer = self.record.replace("%record");
                let expression = self.computed(Some(item), calculation);
                self.record.set(outer);
                push_extension(
                    &mut element,
                    json!({
                        "url": CALCULATED_EXPRESSION,
                        "valueExpression": { "language": "text/fhirpath", "expression": expression },
                    }),
                );
                if !field.shown {
                    push_extension(&mut element, json!({ "url": HIDDEN, "valueBoolean": true }));
                }
                children.push(Value::Object(element));
                continue;
            }
            let mut nested = Vec::new();
            self.answer(item, &field.answer, &mut element, &mut nested);
            let link = format!("{}_{}", item.id, field.id);
            for (index, text) in field.help.iter().chain(&field.notes).enumerate() {
                nested.push(json!({ "linkId": format!("{link}_help_{}", index + 1), "type": "display", "text": self.text(text) }));
            }
            if !nested.is_empty() {
                element.insert("item".to_owned(), Value::Array(nested));
            }
            // Required where it is asked: a filler requires only the items it enables.
            element.insert("required".to_owned(), json!(field.required));
            if let Some(condition) = &field.condition {
                self.record.set("%record");
                let expression = self.fhirpath_in(Some(item), condition);
                self.record.set("%context");
                push_extension(
                    &mut element,
                    json!({
                        "url": ENABLE_WHEN_EXPRESSION,
                        "valueExpression": { "language": "text/fhirpath", "expression": expression },
                    }),
                );
            }
            children.push(Value::Object(element));
        }
    }

    /// A table: a group per row, of one cell item per column.
    fn table(
        &mut self,
        item: &Item,
        table: &Table,
        out: &mut Map<String, Value>,
        children: &mut Vec<Value>,
    ) {
        out.insert("type".to_owned(), json!("group"));
        if table
            .rows
            .iter()
            .chain(&table.columns)
            .any(|line| line.total)
        {
            self.lose(item, Lost::Totals);
        }
        for row in &table.rows {
            let cells: Vec<Value> = table
                .columns
                .iter()
                .map(|column| {
                    let mut cell = Map::new();
                    cell.insert(
                        "linkId".to_owned(),
                        json!(format!("{}_{}_{}", item.id, row.id, column.id)),
                    );
                    cell.insert("text".to_owned(), json!(self.text(&column.label)));
                    let mut nested = Vec::new();
                    self.answer(item, &table.cell, &mut cell, &mut nested);
                    // A required table is filled in cell by cell.
                    cell.insert("required".to_owned(), json!(item.required));
                    Value::Object(cell)
                })
                .collect();
            let mut group = json!({
                "linkId": format!("{}_{}", item.id, row.id),
                "text": self.text(&row.label),
                "type": "group",
                "item": cells,
            });
            let codes = self.codes(&row.citations);
            if !codes.is_empty() {
                crate::emit::set(&mut group, "code", Value::Array(codes));
            }
            children.push(group);
        }
    }

    /// A grid: a choice over the columns per row (a text for a free-text row).
    fn grid(
        &mut self,
        item: &Item,
        grid: &Grid,
        out: &mut Map<String, Value>,
        children: &mut Vec<Value>,
    ) {
        out.insert("type".to_owned(), json!("group"));
        let options: Vec<Value> = grid
            .columns
            .iter()
            .map(|c| json!({ "valueCoding": { "code": c.id, "display": self.text(&c.label) } }))
            .collect();
        for column in grid.columns.iter().filter(|c| c.condition.is_some()) {
            let column = column.id.clone();
            self.lose(item, Lost::ColumnCondition { column });
        }
        for row in &grid.rows {
            // The paragraphs of the area, as the annex prints them after it.
            let mut text = self.text(&row.label);
            if let Some(citations) = &row.cited {
                text.push_str(&format!(" ({citations})"));
            }
            let mut element = json!({
                "linkId": format!("{}_{}", item.id, row.id),
                "prefix": row.marker,
                "text": text,
            });
            match &row.answer {
                Some(AnswerType::Text { long }) => crate::emit::set(
                    &mut element,
                    "type",
                    json!(if *long { "text" } else { "string" }),
                ),
                _ => {
                    crate::emit::set(&mut element, "type", json!("choice"));
                    crate::emit::set(&mut element, "repeats", json!(true));
                    crate::emit::set(&mut element, "answerOption", Value::Array(options.clone()));
                    // "Mark the box(es)".
                    crate::emit::set(
                        &mut element,
                        "extension",
                        json!([item_control("check-box")]),
                    );
                }
            }
            let codes = self.codes(&row.citations);
            if !codes.is_empty() {
                crate::emit::set(&mut element, "code", Value::Array(codes));
            }
            children.push(element);
        }
    }

    /// `enableWhen` where FHIR can say the condition, the SDC expression where it cannot.
    fn enable_when(&self, condition: &Condition, out: &mut Map<String, Value>) {
        let (atoms, behavior) = match condition {
            Condition::Or(parts) => (
                parts
                    .iter()
                    .map(|p| self.atom(p))
                    .collect::<Option<Vec<_>>>(),
                "any",
            ),
            Condition::And(parts) => (
                parts
                    .iter()
                    .map(|p| self.atom(p))
                    .collect::<Option<Vec<_>>>(),
                "all",
            ),
            Condition::OneOf { codes, .. } if codes.len() > 1 => {
                (self.atom(condition).map(|a| vec![a]), "any")
            }
            other => (self.atom(other).map(|a| vec![a]), "all"),
        };
        match atoms {
            Some(atoms) => {
                let atoms: Vec<Value> = atoms.into_iter().flatten().collect();
                if atoms.len() > 1 {
                    out.insert("enableBehavior".to_owned(), json!(behavior));
                }
                out.insert("enableWhen".to_owned(), Value::Array(atoms));
            }
            None => {
                let expression = json!({
                    "url": ENABLE_WHEN_EXPRESSION,
                    "valueExpression": { "language": "text/fhirpath", "expression": self.fhirpath(condition) },
                });
                push_extension(out, expression);
            }
        }
    }

    /// The `enableWhen` entries of one test, if FHIR can say it.
    fn atom(&self, condition: &Condition) -> Option<Vec<Value>> {
        let id = |item: &ItemId| self.instrument.items.at(*item).id.clone();
        Some(match condition {
            Condition::OneOf { item, codes } => codes
                .iter()
                .map(|code| json!({ "question": id(item), "operator": "=", "answerCoding": { "code": code } }))
                .collect(),
            Condition::Not(inner) => match inner.as_ref() {
                Condition::OneOf { item, codes } if codes.len() == 1 => codes
                    .iter()
                    .map(|code| json!({ "question": id(item), "operator": "!=", "answerCoding": { "code": code } }))
                    .collect(),
                Condition::Answered(item) => vec![json!({ "question": id(item), "operator": "exists", "answerBoolean": false })],
                _ => return None,
            },
            Condition::Has { item, code } => {
                vec![json!({ "question": id(item), "operator": "=", "answerCoding": { "code": code } })]
            }
            Condition::Answered(item) => vec![json!({ "question": id(item), "operator": "exists", "answerBoolean": true })],
            // An amount's answer is a `Quantity`, with a currency: its expression says it.
            Condition::Compare {
                op,
                lhs: Operand::Item(item),
                rhs,
            } if *op != CompareOp::Ne && !super::is_amount(self.instrument.items.at(*item)) => {
                let (key, value) = match rhs {
                    Operand::Number(n) => match self.instrument.items.at(*item).answer {
                        Some(AnswerType::Number { integer: true, .. }) if n.fract() == 0.0 => ("answerInteger", json!(*n as i64)),
                        _ => ("answerDecimal", json!(n)),
                    },
                    Operand::Date(d) => ("answerDate", json!(d)),
                    Operand::Text(s) | Operand::Code(s) => ("answerString", json!(s)),
                    _ => return None,
                };
                let operator = match op {
                    CompareOp::Eq => "=",
                    CompareOp::Lt => "<",
                    CompareOp::Le => "<=",
                    CompareOp::Gt => ">",
                    CompareOp::Ge => ">=",
                    CompareOp::Ne => return None,
                };
                vec![json!({ "question": id(item), "operator": operator, key: value })]
            }
            _ => return None,
        })
    }

    /// A field of the record at hand, read from the repeating group's instance.
    fn field_path(&self, list: Option<&Item>, field: usize) -> String {
        match list.map(|list| (&list.id, &list.answer)) {
            Some((id, Some(AnswerType::List(records)))) => {
                let Some(field) = records.fields.get(field) else {
                    return "{}".to_owned();
                };
                let record = self.record.get();
                // A choice's answer is a `Coding`: its code is what conditions compare.
                let code = match field.answer {
                    AnswerType::Choice { .. } => ".code",
                    _ => "",
                };
                format!(
                    "{record}.item.where(linkId='{id}_{}').answer.value{code}",
                    field.id
                )
            }
            _ => "{}".to_owned(),
        }
    }

    /// A condition in FHIRPath over the QuestionnaireResponse.
    fn fhirpath(&self, condition: &Condition) -> String {
        self.fhirpath_in(None, condition)
    }

    /// A condition in FHIRPath; in a list's own logic, fields are read from `%context`.
    fn fhirpath_in(&self, list: Option<&Item>, condition: &Condition) -> String {
        crate::stack::guard(|| {
            let answer = |item: &ItemId| self.answer_path(*item);
            match condition {
                Condition::Const(value) => value.to_string(),
                Condition::Or(_) | Condition::And(_) => {
                    super::join_parts(condition, |part| self.fhirpath_in(list, part))
                        .unwrap_or_default()
                }
                Condition::Not(inner) => format!("({}).not()", self.fhirpath_in(list, inner)),
                Condition::Special { .. } => "false".to_owned(),
                Condition::Answered(item) => format!("{}.exists()", answer(item)),
                Condition::Unique { list, field } => {
                    let list = self.instrument.items.at(*list);
                    let groups = format!("%resource.repeat(item).where(linkId='{}')", list.id);
                    let outer = self.record.replace("$this");
                    let values = self.field_path(Some(list), *field);
                    self.record.set(outer);
                    let values = values.strip_prefix("$this").unwrap_or(&values).to_owned();
                    format!("{groups}{values}.isDistinct()")
                }
                Condition::OneOf { item, codes } => {
                    let codes: Vec<String> = codes.iter().map(|c| fhirpath_literal(c)).collect();
                    format!(
                        "{}.code.intersect({}).exists()",
                        answer(item),
                        codes.join(" | ")
                    )
                }
                Condition::Has { item, code } => {
                    format!("{}.code contains {}", answer(item), fhirpath_literal(code))
                }
                Condition::Compare { op, lhs, rhs } => {
                    let symbol = op.equality_or_order();
                    let mut test = format!(
                        "({} {symbol} {}) = true",
                        self.value(list, lhs),
                        self.value(list, rhs)
                    );
                    // Amounts are compared in one currency.
                    for same in self.agreement(list, &[lhs, rhs]) {
                        test = format!("({same}) and {test}");
                    }
                    if *op == CompareOp::Ne {
                        format!("({test}).not()")
                    } else {
                        test
                    }
                }
            }
        })
    }
}

/// A number: integer or decimal, with its bounds in the core R4 `minValue` and `maxValue`
/// extensions.
fn number(integer: bool, min: Option<f64>, max: Option<f64>, out: &mut Map<String, Value>) {
    out.insert(
        "type".to_owned(),
        json!(if integer { "integer" } else { "decimal" }),
    );
    let bound = |url: &str, value: f64| {
        let key = if integer {
            "valueInteger"
        } else {
            "valueDecimal"
        };
        let value = if integer {
            json!(value as i64)
        } else {
            json!(value)
        };
        json!({ "url": url, key: value })
    };
    let extensions: Vec<Value> = [
        ("http://hl7.org/fhir/StructureDefinition/minValue", min),
        ("http://hl7.org/fhir/StructureDefinition/maxValue", max),
    ]
    .into_iter()
    .filter_map(|(url, value)| value.map(|value| bound(url, value)))
    .collect();
    if !extensions.is_empty() {
        out.insert("extension".to_owned(), Value::Array(extensions));
    }
}

/// The least (`min`) or greatest (`max`) of a collection, in FHIRPath.
fn extreme(function: Aggregate, values: &str) -> String {
    let better = if function == Aggregate::Min { "<" } else { ">" };
    format!("{values}.aggregate(iif($total.empty() or $this {better} $total, $this, $total))")
}

/// A text as a FHIRPath string literal: in single quotes, with the escapes of the FHIRPath
/// grammar (`\\'`, `\\\\`, `\\n`, `\\r`, `\\t`, `\\f`, and `\\uXXXX` for other control
/// characters), so that no text ends the literal early.
pub fn fhirpath_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// The currency codes of the amounts FHIRPath computes, in a list's own logic when `list` is
/// given.
struct Currencies<'w, 'i> {
    writer: &'w Writer<'i>,
    list: Option<&'w Item>,
}

impl super::CurrencyWriter for Currencies<'_, '_> {
    type Out = String;

    fn none(&mut self) -> String {
        "{}".to_owned()
    }

    /// The `Quantity`'s `code`.
    fn read(&mut self, reading: crate::model::Reading) -> Option<String> {
        Some(format!("{}.code", self.writer.reading(self.list, reading)))
    }

    fn choose(&mut self, condition: &Condition, then: String, otherwise: String) -> String {
        let condition = self.writer.fhirpath_in(self.list, condition);
        format!("iif({condition}, {then}, {otherwise})")
    }

    /// The codes of its values: of each value, or of the field in each record.
    fn aggregate(&mut self, aggregate: &Operand) -> String {
        match aggregate {
            Operand::Aggregate { over, .. } => {
                let instrument = self.writer.instrument;
                let codes: Vec<String> = over
                    .iter()
                    .map(|value| super::currency_of(instrument, self.list, value, self))
                    .collect();
                format!("({})", codes.join(" | "))
            }
            Operand::Records { .. } => self.writer.records_values(aggregate, "code"),
            _ => self.none(),
        }
    }
}

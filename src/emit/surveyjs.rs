//! SurveyJS: a page per section; a panel for each item that only groups sub-items; a question
//! of the right type for each item with an answer; `visibleIf` from conditions; a
//! `matrix` of check boxes for the grid, whose columns keep their conditions; a
//! `paneldynamic` for lists; a `multipletext` for amounts, which stores `{value, currency}` as
//! qc replies do; an `expression` question for each calculated value; expression validators
//! for constraints (with `notificationType: "warning"` for warnings); a `matrixdropdown` of
//! number cells for a table. The mapping is documented in `docs/exports.md`.

use serde_json::{json, Map, Value};

use crate::arena::Arena;
use crate::model::Severity;
use crate::model::{
    Aggregate, AnswerType, Block, CompareOp, Condition, Constraint, Count, Grid, Instrument, Item,
    ItemId, ItemKind, List, Operand, Reading, Table, Text,
};

/// The SurveyJS survey JSON of an instrument, pretty-printed with a final newline.
pub fn to_string(instrument: &Instrument) -> String {
    let mut text = serde_json::to_string_pretty(&survey(instrument)).unwrap_or_default();
    text.push('\n');
    text
}

use super::{Braces, Loss, Lost, Piping, Target};

/// What the SurveyJS export cannot hold: restrictions on an amount's currencies, special
/// answers, the constraints of sections (shown, not enforced), record counts read from answers
/// and the totals of tables.
pub fn losses(instrument: &Instrument) -> Vec<Loss> {
    let mut losses = Vec::new();
    let mut lose = |item: &str, span, what| {
        losses.push(Loss {
            target: Target::Surveyjs,
            item: item.to_owned(),
            span,
            what,
            also: Vec::new(),
        });
    };
    for item in &instrument.items {
        let mut lose = |what| lose(&item.id, item.span, what);
        match &item.answer {
            Some(AnswerType::List(list))
                if matches!(list.min, Some(Count::Item(_)))
                    || matches!(list.max, Some(Count::Item(_))) =>
            {
                lose(Lost::RecordCountFromAnswer);
            }
            Some(AnswerType::Table(table))
                if table
                    .rows
                    .iter()
                    .chain(&table.columns)
                    .any(|line| line.total) =>
            {
                lose(Lost::Totals);
            }
            _ => {}
        }
        if !item.specials.is_empty() {
            lose(Lost::Specials);
        }
        let mut special = false;
        let mut visit = |condition: &Condition| special |= reads_special(condition);
        if let Some(condition) = &item.condition {
            visit(condition);
        }
        for constraint in &item.constraints {
            visit(&constraint.condition);
        }
        if special {
            lose(Lost::SpecialTest { of: None });
        }
        let mut unique = false;
        let mut visit = |condition: &Condition| unique |= tests_unique(condition);
        if let Some(condition) = &item.condition {
            visit(condition);
        }
        let keyed = keyed_unique(instrument, item).map(|(_, constraint)| constraint);
        for constraint in &item.constraints {
            if keyed.is_none_or(|keyed| !std::ptr::eq(constraint, keyed)) {
                visit(&constraint.condition);
            }
        }
        if unique {
            lose(Lost::Unique);
        }
        let strict = item
            .calculation
            .as_ref()
            .is_some_and(filtered_without_missing);
        if strict {
            lose(Lost::FilteredMissing);
        }
        let mut quoted = item
            .calculation
            .as_ref()
            .is_some_and(|value| quotes_in_filter(value, false));
        let mut visit = |condition: &Condition| quoted |= condition_quotes(condition, false);
        if let Some(condition) = &item.condition {
            visit(condition);
        }
        for constraint in &item.constraints {
            visit(&constraint.condition);
        }
        if quoted {
            lose(Lost::FilterQuote);
        }
        let mut unwritable = false;
        let mut visit = |condition: &Condition| unwritable |= compares_unwritable(condition);
        if let Some(condition) = &item.condition {
            visit(condition);
        }
        for constraint in &item.constraints {
            visit(&constraint.condition);
        }
        if unwritable {
            lose(Lost::Backslash);
        }
        // What an aggregate of amounts is computed in: the item's value, condition and rules,
        // and its records' computed fields, conditions and rules.
        let records = match &item.answer {
            Some(AnswerType::List(list)) => Some(list),
            _ => None,
        };
        let own = records.map(|_| item);
        let amounts = item
            .calculation
            .iter()
            .any(|value| super::aggregates_amounts(instrument, None, value))
            || item
                .condition
                .iter()
                .chain(item.constraints.iter().map(|c| &c.condition))
                .any(|c| super::condition_aggregates_amounts(instrument, None, c))
            || records.is_some_and(|list| {
                list.fields.iter().any(|field| {
                    field
                        .calculation
                        .iter()
                        .any(|value| super::aggregates_amounts(instrument, own, value))
                        || field
                            .condition
                            .iter()
                            .any(|c| super::condition_aggregates_amounts(instrument, own, c))
                }) || list
                    .constraints
                    .iter()
                    .any(|c| super::condition_aggregates_amounts(instrument, own, &c.condition))
            });
        if amounts {
            lose(Lost::AmountAggregate);
        }
    }
    for section in &instrument.sections {
        let refused = section
            .constraints
            .iter()
            .find(|c| c.severity == Severity::Error);
        if let Some(constraint) = refused {
            lose(&section.id, constraint.span, Lost::SectionConstraint);
        }
        if let Some(constraint) = section
            .constraints
            .iter()
            .find(|c| tests_unique(&c.condition))
        {
            lose(&section.id, constraint.span, Lost::Unique);
        }
    }
    losses
}

/// Whether a condition tests a special answer.
fn reads_special(condition: &Condition) -> bool {
    match condition {
        Condition::Special { .. } => true,
        Condition::Or(parts) | Condition::And(parts) => parts.iter().any(reads_special),
        Condition::Not(inner) => reads_special(inner),
        _ => false,
    }
}

/// Whether a value compares a text with a quote in the filter of an aggregate over records
/// (`in_filter`: inside one already): survey-core writes a filter back as text before it runs
/// it, without escaping its quotes.
fn quotes_in_filter(operand: &Operand, in_filter: bool) -> bool {
    crate::stack::guard(|| match operand {
        Operand::Text(text) | Operand::Code(text) => in_filter && text.contains(['\'', '"']),
        Operand::Records { filter, .. } => filter
            .as_deref()
            .is_some_and(|filter| condition_quotes(filter, true)),
        Operand::Sum { .. } | Operand::Product { .. } => operand
            .terms()
            .any(|term| quotes_in_filter(term, in_filter)),
        Operand::Aggregate { over, .. } => over.iter().any(|o| quotes_in_filter(o, in_filter)),
        Operand::If {
            condition,
            then,
            otherwise,
        } => {
            condition_quotes(condition, in_filter)
                || quotes_in_filter(then, in_filter)
                || quotes_in_filter(otherwise, in_filter)
        }
        Operand::Year(inner) => quotes_in_filter(inner, in_filter),
        Operand::Between { from, to, .. } => {
            quotes_in_filter(from, in_filter) || quotes_in_filter(to, in_filter)
        }
        Operand::Item(_)
        | Operand::Field(_)
        | Operand::Cell { .. }
        | Operand::Score(_)
        | Operand::Number(_)
        | Operand::Date(_)
        | Operand::Today => false,
    })
}

/// [`quotes_in_filter`] for the values a condition compares.
fn condition_quotes(condition: &Condition, in_filter: bool) -> bool {
    crate::stack::guard(|| match condition {
        Condition::Or(parts) | Condition::And(parts) => {
            parts.iter().any(|part| condition_quotes(part, in_filter))
        }
        Condition::Not(inner) => condition_quotes(inner, in_filter),
        Condition::Compare { lhs, rhs, .. } => {
            quotes_in_filter(lhs, in_filter) || quotes_in_filter(rhs, in_filter)
        }
        _ => false,
    })
}

/// Whether a value aggregates the records that meet a condition with `missing none`, which
/// SurveyJS cannot count (its `…InArray` functions count the records with a value).
fn filtered_without_missing(operand: &Operand) -> bool {
    crate::stack::guard(|| match operand {
        Operand::Records {
            filter: Some(_),
            missing: crate::model::Missing::None,
            field: Some(_),
            ..
        } => true,
        Operand::Sum { .. } | Operand::Product { .. } => {
            operand.terms().any(filtered_without_missing)
        }
        Operand::Aggregate { over, .. } => over.iter().any(filtered_without_missing),
        Operand::If {
            then, otherwise, ..
        } => filtered_without_missing(then) || filtered_without_missing(otherwise),
        Operand::Year(inner) => filtered_without_missing(inner),
        _ => false,
    })
}

/// The first rule of a list question that is `unique(list.field)` over its own records at error
/// severity, with the field's id: what a dynamic panel's `keyName` checks.
fn keyed_unique<'i>(
    instrument: &'i Instrument,
    item: &'i Item,
) -> Option<(&'i str, &'i Constraint)> {
    let Some(AnswerType::List(list)) = &item.answer else {
        return None;
    };
    item.constraints
        .iter()
        .find_map(|constraint| match constraint.condition {
            Condition::Unique { list: of, field }
                if constraint.severity == Severity::Error && instrument.item(of).id == item.id =>
            {
                // An amount is two questions in a panel: no one key.
                let field = list.fields.get(field)?;
                let one = !matches!(field.answer, AnswerType::Amount { .. });
                one.then_some((field.id.as_str(), constraint))
            }
            _ => None,
        })
}

/// Whether a condition tests `unique(…)`.
fn tests_unique(condition: &Condition) -> bool {
    match condition {
        Condition::Unique { .. } => true,
        Condition::Or(parts) | Condition::And(parts) => parts.iter().any(tests_unique),
        Condition::Not(inner) => tests_unique(inner),
        _ => false,
    }
}

/// Whether a condition compares a text that [`expression_literal`] cannot write as it is.
fn compares_unwritable(condition: &Condition) -> bool {
    match condition {
        Condition::Or(parts) | Condition::And(parts) => parts.iter().any(compares_unwritable),
        Condition::Not(inner) => compares_unwritable(inner),
        Condition::Compare { lhs, rhs, .. } => [lhs, rhs]
            .iter()
            .any(|operand| matches!(operand, Operand::Text(text) if !writable(text))),
        _ => false,
    }
}

/// Whether SurveyJS can write a text as a literal: its grammar reads `\'` and `\"` as quotes
/// and has no escape for a backslash, so none may come before a quote or at the end.
fn writable(text: &str) -> bool {
    !(text.ends_with('\\') || text.contains("\\'") || text.contains("\\\""))
}

/// The SurveyJS survey JSON of an instrument. With translations, each text that a translation
/// changes is a localizable string, `{"default": "…", "fr": "…"}`, as SurveyJS reads them.
pub fn survey(instrument: &Instrument) -> Value {
    let mut survey = survey_in_one_language(instrument);
    // The survey's own strings (buttons, messages) in the instrument's language, where
    // survey-core has them; English is its default.
    if let Some(language) = instrument.language.as_deref().filter(|l| *l != "en") {
        crate::emit::set(&mut survey, "locale", json!(language));
    }
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
    // Piped values are SurveyJS's own `{name}`; an amount's is its value.
    let piping = Piping {
        instrument,
        braces: Braces::Joined,
        reference: |item| match super::is_amount(item) {
            true => format!("{{{}}}", amount_value(&item.id)),
            false => format!("{{{}}}", item.id),
        },
    };
    let writer = Writer {
        instrument,
        piping,
        bare: std::cell::Cell::new(false),
    };
    let mut pages = Vec::new();
    if !instrument.introduction.is_empty() {
        pages.push(json!({
            "name": "introduction",
            "elements": writer.blocks(&instrument.introduction, "introduction"),
        }));
    }
    for section in &instrument.sections {
        let mut elements = writer.blocks(&section.content, &section.id);
        elements.extend(writer.notes(None, &section.constraints, &section.id));
        pages.push(json!({
            "name": section.id,
            "title": section.heading(&writer.plain(&section.title)),
            "elements": elements,
        }));
    }
    json!({
        "title": writer.plain(&instrument.title),
        "showQuestionNumbers": "off",
        // An answer to an item that a later answer hides is not part of the reply.
        "clearInvisibleValues": "onHidden",
        "pages": pages,
    })
}

/// The name SurveyJS gives a free-text row of a grid, which is a question of its own.
pub fn grid_text_row(grid: &str, row: &str) -> String {
    format!("{grid}_{row}")
}

/// The names SurveyJS gives an amount's value and currency, two questions of their own (a
/// number, and a choice of ISO 4217 codes), for an item, a record's field or a table's column.
pub fn amount_value(name: &str) -> String {
    format!("{name}_value")
}

/// See [`amount_value`].
pub fn amount_currency(name: &str) -> String {
    format!("{name}_currency")
}

struct Writer<'i> {
    instrument: &'i Instrument,
    piping: Piping<'i>,
    /// Whether fields are read as `{field}`, as in the filter of an `…InArray` function,
    /// which survey-core runs on each record alone, rather than as `{panel.field}`.
    bare: std::cell::Cell<bool>,
}

impl Writer<'_> {
    fn text(&self, text: &Text) -> String {
        self.piping.text(text)
    }

    /// An item's value in an expression: an amount's is its value question's.
    fn var(&self, id: ItemId) -> String {
        let item = self.instrument.items.at(id);
        match super::is_amount(item) {
            true => format!("{{{}}}", amount_value(&item.id)),
            false => format!("{{{}}}", item.id),
        }
    }

    /// A cell of a table in an expression: `{table.row.column}`, a `matrixdropdown`'s cell (an
    /// amount's, its value column).
    fn cell(&self, table: ItemId, row: usize, column: usize) -> String {
        let Some((item, row, column, cell)) = self.instrument.cell(table, row, column) else {
            return "''".to_owned();
        };
        match cell {
            AnswerType::Amount { .. } => {
                format!("{{{}.{}.{}}}", item.id, row.id, amount_value(&column.id))
            }
            _ => format!("{{{}.{}.{}}}", item.id, row.id, column.id),
        }
    }

    /// An amount's two questions: its value, and its currency among the ISO 4217 codes it
    /// allows (all of them when it names none).
    fn amount(&self, name: &str, currencies: &[String], required: bool) -> Vec<Value> {
        let choices: Vec<Value> = super::currency_choices(currencies)
            .into_iter()
            .map(|(code, label)| json!({ "value": code, "text": label }))
            .collect();
        let mut value = json!({
            "type": "text",
            "name": amount_value(name),
            "title": "Value",
            "inputType": "number",
        });
        let mut currency = json!({
            "type": "dropdown",
            "name": amount_currency(name),
            "title": "Currency",
            "choices": choices,
            "startWithNewLine": false,
        });
        if required {
            crate::emit::set(&mut value, "isRequired", json!(true));
            crate::emit::set(&mut currency, "isRequired", json!(true));
        }
        vec![value, currency]
    }

    /// An amount as a panel of its two questions, with `element`'s name, title and
    /// visibility; the validators go to the value.
    fn amount_panel(
        &self,
        element: &mut Map<String, Value>,
        currencies: &[String],
        validators: Vec<Value>,
    ) {
        let name = element
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let required = element.remove("isRequired").is_some();
        let mut parts = self.amount(&name, currencies, required);
        if let (Some(Value::Object(value)), false) = (parts.first_mut(), validators.is_empty()) {
            value.insert("validators".to_owned(), Value::Array(validators));
        }
        element.insert("type".to_owned(), json!("panel"));
        element.insert("elements".to_owned(), Value::Array(parts));
    }

    /// A computed value: an `expression` question, kept from view unless `shown`; an amount is
    /// two, its value (`_value`) and its currency (`_currency`), as an amount's questions are
    /// named.
    fn computed(
        &self,
        list: Option<&Item>,
        mut element: Map<String, Value>,
        calculation: &Operand,
        amount: bool,
        shown: bool,
    ) -> Vec<Value> {
        element.insert("type".to_owned(), json!("expression"));
        if !shown {
            element.insert("visible".to_owned(), json!(false));
        }
        let value = self.value(list, calculation);
        element.insert("expression".to_owned(), json!(value));
        if !amount {
            return vec![Value::Object(element)];
        }
        let name = element
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        element.insert("name".to_owned(), json!(amount_value(&name)));
        let mut currency = element.clone();
        let currency_of = self.currency(list, calculation);
        currency.insert("name".to_owned(), json!(format!("{name}_currency")));
        currency.insert("title".to_owned(), json!("Currency"));
        // In a record, the value beside it in the panel.
        let panel = if list.is_some() { "panel." } else { "" };
        currency.insert(
            "expression".to_owned(),
            json!(format!(
                "iif({{{panel}{}}} notempty, {currency_of}, '')",
                amount_value(&name)
            )),
        );
        vec![Value::Object(element), Value::Object(currency)]
    }

    /// The currency of an amount the form computes (see [`super::currency_of`]), as its value
    /// is empty unless the amounts it computes with agree. An aggregate of amounts is computed
    /// from their values alone, and takes the currency of the first (a reported loss).
    fn currency(&self, list: Option<&Item>, operand: &Operand) -> String {
        super::currency_of(
            self.instrument,
            list,
            operand,
            &mut Currencies { writer: self, list },
        )
    }

    /// A question's title with its printed number, as on paper.
    fn title(&self, item: &Item) -> String {
        let label = self.text(&item.label);
        match &item.marker {
            Some(marker) if item.kind == ItemKind::Question => format!("{marker}. {label}"),
            Some(marker) => format!("{marker} {label}"),
            None => label,
        }
    }

    /// A text that pipes nothing, with its braces kept from opening a reference.
    fn plain(&self, text: &str) -> String {
        self.piping.text(&Text::plain(text))
    }

    fn blocks(&self, blocks: &[Block], scope: &str) -> Vec<Value> {
        let mut elements = Vec::new();
        for (index, block) in blocks.iter().enumerate() {
            let html = match block {
                Block::Text(text) => format!("<p>{}</p>", super::html_escape(&self.text(text))),
                Block::Heading(text) => {
                    format!("<h4>{}</h4>", super::html_escape(&self.text(text)))
                }
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
                html.push_str(&format!(
                    "<h5>{}</h5>",
                    super::html_escape(&self.plain(heading))
                ));
            }
            html.push_str(&format!(
                "<p>{}. <em>{}</em></p>",
                paragraph.number,
                super::html_escape(&self.plain(paragraph.shown_text()))
            ));
            for sub in subparagraphs {
                html.push_str(&format!(
                    "<p>({}) <em>{}</em></p>",
                    sub.letter,
                    super::html_escape(&self.plain(sub.shown_text()))
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
        let item = self.instrument.items.at(id);
        let own = item.condition.as_ref().map(|c| self.expression(c));
        let visible = match (inherited, own) {
            (Some(a), Some(b)) => Some(format!("({a}) and ({b})")),
            (a, b) => a.or(b),
        };
        let mut element = Map::new();
        element.insert("name".to_owned(), json!(item.id));
        element.insert("title".to_owned(), json!(self.title(item)));
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
        if item.kind == ItemKind::Calculated {
            if let Some(calculation) = &item.calculation {
                let amount = matches!(item.answer, Some(AnswerType::Amount { .. }));
                out.extend(self.computed(None, element, calculation, amount, item.shown));
            }
            return;
        }
        // A rule that the list's records differ in a field, refusing the reply: the dynamic
        // panel's own `keyName`, which SurveyJS checks with the rule's message.
        let keyed = keyed_unique(self.instrument, item);
        if let Some((field, constraint)) = keyed {
            element.insert("keyName".to_owned(), json!(field));
            element.insert(
                "keyDuplicationError".to_owned(),
                json!(self.text(&constraint.message)),
            );
        }
        let others: Vec<Constraint> = item
            .constraints
            .iter()
            .filter(|c| keyed.is_none_or(|(_, keyed)| !std::ptr::eq(*c, keyed)))
            .cloned()
            .collect();
        let validators = self.validators(None, &others);
        let mut extra = Vec::new();
        match answer {
            AnswerType::Amount { currencies } => {
                self.amount_panel(&mut element, currencies, validators);
            }
            _ => {
                if !validators.is_empty() {
                    element.insert("validators".to_owned(), Value::Array(validators));
                }
                self.answer(item, answer, &mut element, &mut extra, visible.as_deref());
            }
        }
        out.push(Value::Object(element));
        out.extend(extra);
        for child in &item.children {
            self.item(*child, visible.clone(), out);
        }
    }

    /// Constraints as expression validators: warnings notify without refusing.
    fn validators(&self, list: Option<&Item>, constraints: &[Constraint]) -> Vec<Value> {
        constraints
            .iter()
            .map(|constraint| {
                let mut validator = json!({
                    "type": "expression",
                    "expression": self.kept(list, constraint),
                    "text": self.text(&constraint.message),
                });
                if constraint.severity != Severity::Error {
                    crate::emit::set(&mut validator, "notificationType", json!("warning"));
                }
                validator
            })
            .collect()
    }

    /// Constraints that SurveyJS cannot attach to a question, as texts shown while broken.
    fn notes(&self, list: Option<&Item>, constraints: &[Constraint], scope: &str) -> Vec<Value> {
        constraints
            .iter()
            .enumerate()
            .map(|(index, constraint)| {
                json!({
                    "type": "html",
                    "name": format!("{scope}_check_{}", index + 1),
                    "html": format!("<p><strong>{}</strong></p>", super::html_escape(&self.text(&constraint.message))),
                    "visibleIf": format!("!({})", self.kept(list, constraint)),
                })
            })
            .collect()
    }

    /// A constraint as an expression: kept, or not tested because what it compares is empty.
    fn kept(&self, list: Option<&Item>, constraint: &Constraint) -> String {
        let operands = constraint.operands();
        let mut tests: Vec<String> = operands
            .iter()
            .map(|reading| format!("{} empty", self.reading(list, *reading)))
            .collect();
        // Amounts of two currencies are not compared: the constraint is not tested.
        let mut compared = Vec::new();
        constraint
            .condition
            .for_each_compared_value(&mut |value| compared.push(value));
        tests.extend(
            self.agreement(list, &compared)
                .into_iter()
                .map(|test| format!("!({test})")),
        );
        tests.push(format!(
            "({})",
            self.expression_in(list, &constraint.condition)
        ));
        tests.join(" or ")
    }

    /// The tests that the amounts `values` compute with are of one currency (see
    /// [`crate::model::Operand::for_each_currency_source`]): those read, as SurveyJS cannot
    /// test an aggregate's (a reported loss).
    fn agreement(&self, list: Option<&Item>, values: &[&Operand]) -> Vec<String> {
        let sources = self.instrument.amount_sources(list, values.iter().copied());
        self.same_currency(list, &sources.readings)
    }

    /// The tests that the amounts among `readings` are of one currency: `{a_currency} =
    /// {b_currency}`, each amount's value question beside its currency question.
    fn same_currency(&self, list: Option<&Item>, readings: &[Reading]) -> Vec<String> {
        let currencies: Vec<String> = readings
            .iter()
            .filter(|reading| self.instrument.reads_amount(list, **reading))
            .filter_map(|reading| {
                let value = self.reading(list, *reading);
                Some(format!("{}_currency}}", value.strip_suffix("_value}")?))
            })
            .collect();
        super::same_as_first(&currencies, |first, other| format!("{first} = {other}"))
    }

    fn reading(&self, list: Option<&Item>, reading: Reading) -> String {
        match reading {
            Reading::Item(id) => self.var(id),
            Reading::Field(field) => field_name(list, field, self.bare.get()),
            Reading::Cell { table, row, column } => self.cell(table, row, column),
        }
    }

    /// The test that a value has one: what it needs is not empty (`true` when it needs
    /// nothing).
    fn has_value(&self, list: Option<&Item>, operand: &Operand) -> String {
        let needed = operand.needed();
        let tests: Vec<String> = needed
            .into_iter()
            .map(|reading| format!("{} notempty", self.reading(list, reading)))
            .collect();
        if tests.is_empty() {
            "true".to_owned()
        } else {
            tests.join(" and ")
        }
    }

    /// A value as an expression, empty when what it needs is empty or its amounts are of two
    /// currencies.
    fn value(&self, list: Option<&Item>, operand: &Operand) -> String {
        let raw = self.raw(list, operand);
        let mut tests: Vec<String> = Some(self.has_value(list, operand))
            .filter(|test| test != "true")
            .into_iter()
            .collect();
        tests.extend(self.agreement(list, &[operand]));
        match tests.is_empty() {
            true => raw,
            false => format!("iif({}, {raw}, '')", tests.join(" and ")),
        }
    }

    fn raw(&self, list: Option<&Item>, operand: &Operand) -> String {
        crate::stack::guard(|| {
            match operand {
                Operand::Item(id) => self.var(*id),
                Operand::Field(field) => field_name(list, *field, self.bare.get()),
                Operand::Cell { table, row, column } => self.cell(*table, *row, *column),
                Operand::Score(scored) => {
                    let (scores, multiple) = self.instrument.scores(*scored).unwrap_or_default();
                    let name = self.var(*scored);
                    super::score_expression(
                        &scores,
                        multiple,
                        "''",
                        |code, score| {
                            let code = expression_literal(code);
                            format!("iif({name} contains {code}, {score}, 0)")
                        },
                        |code, score, otherwise| {
                            let code = expression_literal(code);
                            format!("iif({name} = {code}, {score}, {otherwise})")
                        },
                    )
                }
                Operand::Number(n) => n.to_string(),
                Operand::Code(s) | Operand::Date(s) | Operand::Text(s) => expression_literal(s),
                Operand::Today => "today()".to_owned(),
                Operand::Sum { .. } | Operand::Product { .. } => {
                    super::infix(operand, " / ", |o| self.raw(list, o))
                }
                Operand::Aggregate {
                    function,
                    over,
                    missing,
                } => {
                    // Each value with the test that it has one: SurveyJS tests emptiness of
                    // names, not of expressions.
                    let tested: Vec<(String, String)> = over
                        .iter()
                        .map(|o| (self.has_value(list, o), self.raw(list, o)))
                        .collect();
                    if *missing == crate::model::Missing::None {
                        // No value unless every value has one.
                        let tests: Vec<&str> = tested
                            .iter()
                            .map(|(test, _)| test.as_str())
                            .filter(|test| *test != "true")
                            .collect();
                        let skipping = Operand::Aggregate {
                            function: *function,
                            over: over.clone(),
                            missing: crate::model::Missing::Skip,
                        };
                        let value = self.raw(list, &skipping);
                        return match tests.is_empty() {
                            true => value,
                            false => format!("iif({}, {value}, '')", tests.join(" and ")),
                        };
                    }
                    let parts: Vec<String> = tested
                        .iter()
                        .map(|(test, raw)| match function {
                            Aggregate::Count => format!("iif({test}, 1, 0)"),
                            _ => format!("iif({test}, {raw}, 0)"),
                        })
                        .collect();
                    match function {
                        Aggregate::Sum | Aggregate::Count => format!("({})", parts.join(" + ")),
                        Aggregate::Min | Aggregate::Max => {
                            let values: Vec<String> =
                                over.iter().map(|o| self.value(list, o)).collect();
                            format!("{}({})", function.as_str(), values.join(", "))
                        }
                    }
                }
                Operand::Records {
                    function,
                    list: records,
                    field: field_index,
                    filter,
                    missing,
                } => {
                    let records = self.instrument.items.at(*records);
                    let fields = match &records.answer {
                        Some(AnswerType::List(list)) => list.fields.as_slice(),
                        _ => &[],
                    };
                    // The records that meet a filter are counted by a field every record has
                    // (a required one), as survey-core counts only the records with a value.
                    // An amount by its value question.
                    let field = field_index
                        .or_else(|| fields.iter().position(|f| f.required))
                        .and_then(|index| fields.get(index))
                        .map_or(String::new(), |f| match f.answer {
                            AnswerType::Amount { .. } => amount_value(&f.id),
                            _ => f.id.clone(),
                        });
                    let function = match function {
                        Aggregate::Sum => "sumInArray",
                        Aggregate::Count => "countInArray",
                        Aggregate::Min => "minInArray",
                        Aggregate::Max => "maxInArray",
                    };
                    match filter {
                        // The filter as an expression, which survey-core runs on each record.
                        Some(filter) => {
                            let outer = self.bare.replace(true);
                            let test = self.expression_in(Some(records), filter);
                            self.bare.set(outer);
                            format!("{function}({{{}}}, '{field}', {test})", records.id)
                        }
                        // The number of records: as many as the panels, filled in or not.
                        None if field_index.is_none() => {
                            format!("iif({{{0}}} empty, 0, {{{0}.length}})", records.id)
                        }
                        None => {
                            let value = format!("{function}({{{}}}, '{field}')", records.id);
                            match (missing, field_index) {
                                // No value unless every record has one: as many as the panels.
                                (crate::model::Missing::None, Some(_)) => format!(
                                    "iif({{{0}}} empty or countInArray({{{0}}}, '{field}') = {{{0}.length}}, {value}, '')",
                                    records.id
                                ),
                                _ => value,
                            }
                        }
                    }
                }
                Operand::If {
                    condition,
                    then,
                    otherwise,
                } => format!(
                    "iif({}, {}, {})",
                    self.expression_in(list, condition),
                    self.raw(list, then),
                    self.raw(list, otherwise)
                ),
                Operand::Year(date) => format!("getYear({})", self.raw(list, date)),
                Operand::Between { unit, from, to } => format!(
                    "dateDiff({}, {}, '{}')",
                    self.raw(list, from),
                    self.raw(list, to),
                    unit.as_str()
                ),
            }
        })
    }

    fn description(&self, item: &Item) -> String {
        let mut parts = self.piping.texts(&item.help);
        parts.extend(self.piping.texts(&item.notes));
        parts.extend(item.cited.clone());
        parts.join(" ")
    }

    /// The type and its settings; a grid's free-text rows become questions of their own,
    /// returned in `extra`.
    fn answer(
        &self,
        item: &Item,
        answer: &AnswerType,
        element: &mut Map<String, Value>,
        extra: &mut Vec<Value>,
        visible: Option<&str>,
    ) {
        let mut set = |key: &str, value: Value| {
            element.insert(key.to_owned(), value);
        };
        match answer {
            AnswerType::Choice { scale, multiple } => {
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
                        .map(|o| json!({ "value": o.code, "text": self.text(&o.label) }))
                        .collect::<Vec<_>>()),
                );
            }
            // The countries and areas of the table, in a drop-down; a code ISO 3166-1 leaves to
            // users is typed in as a choice of its own, which a pattern checks.
            AnswerType::Country => {
                let choices = crate::emit::country_choices(self.instrument);
                let codes: Vec<&str> = choices.iter().map(|(code, _)| *code).collect();
                set("type", json!("dropdown"));
                set(
                    "choices",
                    json!(choices
                        .iter()
                        .map(|(code, name)| json!({ "value": code, "text": name }))
                        .collect::<Vec<_>>()),
                );
                set("allowCustomChoices", json!(true));
                let user = crate::countries::USER_ASSIGNED_PATTERN
                    .trim_start_matches('^')
                    .trim_end_matches('$');
                let pattern = json!({
                    "type": "regex",
                    "regex": format!("^(?:{}|{user})$", codes.join("|")),
                    "text": "A country of the list, or a code that ISO 3166-1 leaves to its users (AAA to AAZ, QMA to QZZ, XAA to XZZ, ZZA to ZZZ)"
                });
                // After the item's own checks, if it has any.
                match element.get_mut("validators").and_then(Value::as_array_mut) {
                    Some(validators) => validators.push(pattern),
                    None => {
                        element.insert("validators".to_owned(), json!([pattern]));
                    }
                }
            }
            AnswerType::Text { long: true } => set("type", json!("comment")),
            AnswerType::Text { long: false } => set("type", json!("text")),
            AnswerType::Date => {
                set("type", json!("text"));
                set("inputType", json!("date"));
            }
            AnswerType::Number { integer, min, max } => {
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
            AnswerType::Amount { .. } => {
                set("type", json!("multipletext"));
                set(
                    "items",
                    json!([
                        { "name": "value", "title": "Value", "inputType": "number" },
                        { "name": "currency", "title": "Currency (ISO 4217 code)" }
                    ]),
                );
            }
            AnswerType::List(list) => self.list(item, list, element),
            AnswerType::Table(table) => self.table(item, table, element),
            AnswerType::Grid(grid) => self.grid(item, grid, element, extra, visible),
        }
    }

    /// A list: a dynamic panel of its fields, with the record constraints on the last field.
    fn list(&self, item: &Item, list: &List, element: &mut Map<String, Value>) {
        let mut set = |key: &str, value: Value| {
            element.insert(key.to_owned(), value);
        };
        set("type", json!("paneldynamic"));
        let mut template: Vec<Value> = list
            .fields
            .iter()
            .map(|field| {
                let mut element = Map::new();
                element.insert("name".to_owned(), json!(field.id));
                element.insert("title".to_owned(), json!(self.text(&field.label)));
                let shown = self.piping.texts(&field.help).into_iter();
                let description: Vec<String> =
                    shown.chain(self.piping.texts(&field.notes)).collect();
                if !description.is_empty() {
                    element.insert("description".to_owned(), json!(description.join(" ")));
                }
                if let Some(calculation) = &field.calculation {
                    // Computed in each panel from its own questions.
                    let amount = matches!(field.answer, AnswerType::Amount { .. });
                    let mut parts =
                        self.computed(Some(item), element, calculation, amount, field.shown);
                    return match parts.len() {
                        1 => parts.remove(0),
                        _ => json!({ "type": "panel", "name": field.id, "elements": parts }),
                    };
                }
                if field.required {
                    element.insert("isRequired".to_owned(), json!(true));
                }
                if let Some(condition) = &field.condition {
                    element.insert(
                        "visibleIf".to_owned(),
                        json!(self.expression_in(Some(item), condition)),
                    );
                }
                match &field.answer {
                    AnswerType::Amount { currencies } => {
                        self.amount_panel(&mut element, currencies, Vec::new());
                    }
                    answer => {
                        let mut ignored = Vec::new();
                        self.answer(item, answer, &mut element, &mut ignored, None);
                    }
                }
                Value::Object(element)
            })
            .collect();
        // Each record's constraints, on its last question (inside an amount's panel, its
        // currency), where the record is complete.
        let validators = self.validators(Some(item), &list.constraints);
        let mut last = template.last_mut();
        while let Some(Value::Object(panel)) = last.take() {
            match panel.get("type").and_then(Value::as_str) {
                Some("panel") => {
                    last = panel
                        .get_mut("elements")
                        .and_then(|e| e.as_array_mut()?.last_mut())
                }
                _ => {
                    if !validators.is_empty() {
                        panel.insert("validators".to_owned(), Value::Array(validators.clone()));
                    }
                }
            }
        }
        set("templateElements", Value::Array(template));
        set("panelCount", json!(0));
        if let Some(Count::Number(min)) = list.min {
            set("minPanelCount", json!(min));
        }
        if let Some(Count::Number(max)) = list.max {
            set("maxPanelCount", json!(max));
        }
    }

    /// A table: a `matrixdropdown` of cells of the table's cell type.
    fn table(&self, item: &Item, table: &Table, element: &mut Map<String, Value>) {
        let mut set = |key: &str, value: Value| {
            element.insert(key.to_owned(), value);
        };
        set("type", json!("matrixdropdown"));
        let mut cell = Map::new();
        let mut ignored = Vec::new();
        let columns: Vec<Value> = match &*table.cell {
            // Each column's cells are an amount: its value's column and its currency's.
            AnswerType::Amount { currencies } => table
                .columns
                .iter()
                .flat_map(|column| {
                    let title = self.text(&column.label);
                    let mut parts = self.amount(&column.id, currencies, item.required);
                    for (part, shown) in parts.iter_mut().zip(["Value", "Currency"]) {
                        crate::emit::set(part, "title", json!(format!("{title}: {shown}")));
                        let kind = part["type"].clone();
                        if let Some(part) = part.as_object_mut() {
                            part.remove("type");
                            part.remove("startWithNewLine");
                        }
                        crate::emit::set(part, "cellType", kind);
                    }
                    parts
                })
                .collect(),
            cell_type => {
                self.answer(item, cell_type, &mut cell, &mut ignored, None);
                table
                    .columns
                    .iter()
                    .map(|column| {
                        let mut value = json!({ "name": column.id, "title": self.text(&column.label), "cellType": "text" });
                        // A required table is filled in cell by cell.
                        if item.required {
                            crate::emit::set(&mut value, "isRequired", json!(true));
                        }
                        for (key, setting) in &cell {
                            if key != "type" {
                                crate::emit::set(&mut value, key, setting.clone());
                            }
                        }
                        value
                    })
                    .collect()
            }
        };
        set("columns", Value::Array(columns));
        let rows: Vec<Value> = table
            .rows
            .iter()
            .map(|row| json!({ "value": row.id, "text": self.text(&row.label) }))
            .collect();
        set("rows", Value::Array(rows));
    }

    /// A grid: a `matrix` of check boxes; its free-text rows become questions of their own,
    /// in `extra`.
    fn grid(
        &self,
        item: &Item,
        grid: &Grid,
        element: &mut Map<String, Value>,
        extra: &mut Vec<Value>,
        visible: Option<&str>,
    ) {
        let mut set = |key: &str, value: Value| {
            element.insert(key.to_owned(), value);
        };
        // Check boxes, as the annex asks ("mark the box(es)"): each row stores the columns
        // ticked, as a reply does, and SurveyJS drops the ticks of a column it hides.
        set("type", json!("matrix"));
        set("cellType", json!("checkbox"));
        let columns: Vec<Value> = grid
            .columns
            .iter()
            .map(|column| {
                let mut value = json!({ "value": column.id, "text": self.text(&column.label) });
                if let Some(condition) = &column.condition {
                    crate::emit::set(&mut value, "visibleIf", json!(self.expression(condition)));
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
                let mut text = format!("{} {}", row.marker, self.text(&row.label));
                if let Some(citations) = &row.cited {
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
                "title": format!("{} {}", row.marker, self.text(&row.label)),
            });
            if let Some(visible) = visible {
                crate::emit::set(&mut question, "visibleIf", json!(visible));
            }
            extra.push(question);
        }
    }

    /// A condition in SurveyJS's expression language.
    fn expression(&self, condition: &Condition) -> String {
        self.expression_in(None, condition)
    }

    /// A condition, in a list's own logic when `list` is given.
    fn expression_in(&self, list: Option<&Item>, condition: &Condition) -> String {
        crate::stack::guard(|| {
            let name = |id: ItemId| self.var(id);
            match condition {
                Condition::Const(value) => value.to_string(),
                Condition::Or(_) | Condition::And(_) => {
                    super::join_parts(condition, |part| self.expression_in(list, part))
                        .unwrap_or_default()
                }
                Condition::Not(inner) => format!("!({})", self.expression_in(list, inner)),
                Condition::Special { .. } => "false".to_owned(),
                // Reported by `losses`.
                Condition::Unique { .. } => "true".to_owned(),
                Condition::Answered(id) => format!("{} notempty", name(*id)),
                Condition::OneOf { item, codes } => {
                    let tests: Vec<String> = codes
                        .iter()
                        .map(|c| format!("{} = {}", name(*item), expression_literal(c)))
                        .collect();
                    match tests.as_slice() {
                        [test] => test.clone(),
                        _ => format!("({})", tests.join(" or ")),
                    }
                }
                Condition::Has { item, code } => {
                    format!("{} contains {}", name(*item), expression_literal(code))
                }
                Condition::Compare { op, lhs, rhs } => {
                    let symbol = op.equality_or_order();
                    let needed = condition.compared();
                    let mut tests: Vec<String> = needed
                        .iter()
                        .map(|reading| format!("{} notempty", self.reading(list, *reading)))
                        .collect();
                    tests.extend(self.agreement(list, &[lhs, rhs]));
                    tests.push(format!(
                        "{} {symbol} {}",
                        self.raw(list, lhs),
                        self.raw(list, rhs)
                    ));
                    let test = tests.join(" and ");
                    if *op == CompareOp::Ne {
                        format!("!({test})")
                    } else {
                        test
                    }
                }
            }
        })
    }
}

/// A field of the record at hand, as SurveyJS reads it inside a dynamic panel: `{panel.field}`,
/// or `{field}` when `bare`.
fn field_name(list: Option<&Item>, field: usize, bare: bool) -> String {
    let panel = if bare { "" } else { "panel." };
    match list.map(|list| &list.answer) {
        Some(Some(AnswerType::List(records))) => match records.fields.get(field) {
            Some(field) if matches!(field.answer, AnswerType::Amount { .. }) => {
                format!("{{{panel}{}}}", amount_value(&field.id))
            }
            Some(field) => format!("{{{panel}{}}}", field.id),
            None => "''".to_owned(),
        },
        _ => "''".to_owned(),
    }
}

/// A text as a string literal of a SurveyJS expression: in single quotes, each quote of either
/// kind escaped (`\'`, `\"`), as survey-core's grammar reads them. That grammar has no escape
/// for a backslash: one before a quote or at the end would escape the quote, so it is left out
/// (and the export reports the loss), and no text can end the literal early.
pub fn expression_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push('\\');
                out.push(c);
            }
            '\\' if matches!(chars.peek(), None | Some('\'' | '"')) => {}
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// The currencies of the amounts SurveyJS computes, in a list's own logic when `list` is given.
struct Currencies<'w, 'i> {
    writer: &'w Writer<'i>,
    list: Option<&'w Item>,
}

impl super::CurrencyWriter for Currencies<'_, '_> {
    type Out = String;

    fn none(&mut self) -> String {
        "''".to_owned()
    }

    /// Beside its value question: `{price_currency}`.
    fn read(&mut self, reading: Reading) -> Option<String> {
        let value = self.writer.reading(self.list, reading);
        Some(format!("{}_currency}}", value.strip_suffix("_value}")?))
    }

    fn choose(&mut self, condition: &Condition, then: String, otherwise: String) -> String {
        let condition = self.writer.expression_in(self.list, condition);
        format!("iif({condition}, {then}, {otherwise})")
    }

    /// The first value's; over records, the first record's: `{list[0].field_currency}`.
    fn aggregate(&mut self, aggregate: &Operand) -> String {
        match aggregate {
            Operand::Aggregate { over, .. } => match over.first() {
                Some(first) => super::currency_of(self.writer.instrument, self.list, first, self),
                None => self.none(),
            },
            Operand::Records {
                list: records,
                field: Some(field),
                ..
            } => {
                let records = self.writer.instrument.items.at(*records);
                match &records.answer {
                    Some(AnswerType::List(shape)) => match shape.fields.get(*field) {
                        Some(field) => format!("{{{}[0].{}_currency}}", records.id, field.id),
                        None => self.none(),
                    },
                    _ => self.none(),
                }
            }
            _ => self.none(),
        }
    }
}

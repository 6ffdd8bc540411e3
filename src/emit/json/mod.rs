//! The JSON form definition, format `qc-form/1`: everything a frontend needs to render the
//! instrument and evaluate its conditions, without knowing the `.q` language.
//!
//! The format is the types of [`format`], which the reader (`form`) reads too; it is
//! documented in `docs/form-format.md` and described by `docs/form.schema.json`. Writing it is
//! deterministic.

pub mod format;

use std::borrow::Cow;

use serde_json::Value;

use super::jsonlogic;
use crate::arena::Arena;
use crate::model::{self, AnswerType, Block, Instrument, ItemId, ItemKind};
pub use format::FORMAT;
use format::{Form, Str};

/// The form definition of an instrument, as pretty-printed JSON with a final newline.
pub fn to_string(instrument: &Instrument) -> String {
    // Serialising plain structs of strings, numbers and `Value`s cannot fail.
    let mut text = serde_json::to_string_pretty(&form(instrument)).unwrap_or_default();
    text.push('\n');
    text
}

/// The form definition of an instrument as a JSON value.
pub fn to_value(instrument: &Instrument) -> Value {
    serde_json::to_value(form(instrument)).unwrap_or(Value::Null)
}

/// The form definition of an instrument.
pub fn form(instrument: &Instrument) -> Form<'_> {
    let writer = Writer { instrument };
    Form {
        format: Cow::Borrowed(FORMAT),
        instrument: format::Header {
            id: Cow::from(instrument.id.as_str()),
            title: Cow::from(instrument.title.as_str()),
            resolution: instrument.resolution.as_deref().map(Cow::from),
            version: instrument.version.as_deref().map(Cow::from),
            language: instrument.language.as_deref().map(Cow::from),
            date: instrument.date.as_deref().map(Cow::from),
            status: instrument.status.as_deref().map(Cow::from),
        },
        introduction: writer.blocks(&instrument.introduction),
        scales: instrument
            .scales
            .iter()
            .filter_map(|scale| {
                Some(format::Scale {
                    id: Cow::from(scale.name.as_deref()?),
                    label: scale.label.as_deref().map(Cow::from),
                    options: writer.choices(&scale.options),
                })
            })
            .collect(),
        specials: writer.choices(&instrument.specials),
        documents: instrument.documents.iter().map(document).collect(),
        sections: instrument
            .sections
            .iter()
            .map(|section| format::Section {
                id: Cow::from(section.id.as_str()),
                number: Cow::from(section.number.as_str()),
                respondent: section.respondent,
                title: Cow::from(section.title.as_str()),
                content: writer.blocks(&section.content),
                constraints: writer.constraints(None, &section.constraints),
            })
            .collect(),
        report: instrument
            .report
            .iter()
            .map(|heading| format::ReportHeading {
                id: Cow::from(heading.id.as_str()),
                title: Cow::from(heading.title.as_str()),
            })
            .collect(),
        calculation_order: crate::eval::calculation_order(instrument)
            .into_iter()
            .map(|id| Cow::from(instrument.item(id).id.as_str()))
            .collect(),
        languages: languages(instrument),
        fallback: instrument
            .localized
            .iter()
            .flat_map(|localized| &localized.fallbacks)
            .map(|key| Cow::from(key.as_str()))
            .collect(),
        translations: instrument
            .translations
            .iter()
            .map(|translation| {
                (
                    Cow::from(translation.language.as_str()),
                    Cow::Borrowed(&translation.strings),
                )
            })
            .collect(),
    }
}

/// The languages of a translated instrument: its own, then those of its translations; of one
/// written in a translation, that language, then the source's.
fn languages(instrument: &Instrument) -> Vec<format::Language<'_>> {
    let direction = |rtl: bool| match rtl {
        true => format::Direction::Rtl,
        false => format::Direction::Ltr,
    };
    if let Some(localized) = &instrument.localized {
        let code = instrument.language.as_deref().unwrap_or("und");
        return vec![
            format::Language {
                code: Cow::Borrowed(code),
                direction: direction(localized.rtl),
                source: false,
                status: localized.status.as_deref().map(Cow::from),
            },
            format::Language {
                code: Cow::from(localized.source.as_str()),
                direction: direction(crate::translate::is_rtl(&localized.source)),
                source: true,
                status: None,
            },
        ];
    }
    if instrument.translations.is_empty() {
        return Vec::new();
    }
    let own = instrument.language.as_deref().unwrap_or("und");
    let mut out = vec![format::Language {
        code: Cow::Borrowed(own),
        direction: direction(crate::translate::is_rtl(own)),
        source: true,
        status: None,
    }];
    out.extend(
        instrument
            .translations
            .iter()
            .map(|translation| format::Language {
                code: Cow::from(translation.language.as_str()),
                direction: direction(translation.rtl),
                source: false,
                status: translation.status.as_deref().map(Cow::from),
            }),
    );
    out
}

fn document(document: &model::Document) -> format::Document<'_> {
    format::Document {
        id: Cow::from(document.id.as_str()),
        title: Cow::from(document.title.as_str()),
        sources: document
            .sources
            .iter()
            .map(|s| Cow::from(s.as_str()))
            .collect(),
        paragraphs: document
            .paragraphs
            .iter()
            .map(|paragraph| format::Paragraph {
                number: Cow::from(paragraph.number.as_str()),
                heading: paragraph.heading.as_deref().map(Cow::from),
                text: paragraph.text.as_deref().map(Cow::from),
                pending: paragraph.text.is_none(),
                subparagraphs: paragraph
                    .subparagraphs
                    .iter()
                    .map(|sub| format::Subparagraph {
                        letter: Cow::from(sub.letter.as_str()),
                        text: sub.text.as_deref().map(Cow::from),
                        pending: sub.text.is_none(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// How the format names a kind of item.
pub fn kind(kind: ItemKind) -> format::Kind {
    match kind {
        ItemKind::Question => format::Kind::Question,
        ItemKind::SubItem => format::Kind::Item,
        ItemKind::Ask => format::Kind::Ask,
        ItemKind::Followup => format::Kind::Followup,
        ItemKind::Field => format::Kind::Field,
        ItemKind::Grid => format::Kind::Grid,
        ItemKind::Table => format::Kind::Table,
        ItemKind::Calculated => format::Kind::Calc,
    }
}

struct Writer<'a> {
    instrument: &'a Instrument,
}

impl<'a> Writer<'a> {
    fn text(&self, text: &'a model::Text) -> Str<'a> {
        let items = &self.instrument.items;
        text.as_written(|item| items.at(item).id.as_str())
    }

    fn texts(&self, texts: &'a [model::Text]) -> Vec<Str<'a>> {
        texts.iter().map(|text| self.text(text)).collect()
    }

    fn choices(&self, choices: &'a [model::Choice]) -> Vec<format::Choice<'a>> {
        choices
            .iter()
            .map(|choice| format::Choice {
                code: Cow::from(choice.code.as_str()),
                label: self.text(&choice.label),
                score: choice.score,
            })
            .collect()
    }

    fn blocks(&self, blocks: &'a [Block]) -> Vec<format::Block<'a>> {
        blocks.iter().map(|block| self.block(block)).collect()
    }

    fn block(&self, block: &'a Block) -> format::Block<'a> {
        match block {
            Block::Text(text) => format::Block::Text(format::Prose {
                text: self.text(text),
            }),
            Block::Heading(text) => format::Block::Heading(format::Prose {
                text: self.text(text),
            }),
            Block::Excerpt(citations) => self.excerpt(citations),
            Block::Item(id) => format::Block::Item(Box::new(self.item(*id))),
        }
    }

    /// Groups the cited paragraphs of one excerpt, keeping their order.
    fn excerpt(&self, citations: &'a [model::Citation]) -> format::Block<'a> {
        let document = citations
            .first()
            .map_or("", |c| self.instrument.documents.at(c.document).id.as_str());
        let mut paragraphs: Vec<format::ExcerptParagraph> = Vec::new();
        for citation in citations {
            let paragraph = &self
                .instrument
                .documents
                .at(citation.document)
                .paragraphs
                .at(citation.paragraph);
            let letter = citation
                .subparagraph
                .map(|sub| Cow::from(paragraph.subparagraphs.at(sub).letter.as_str()));
            match (paragraphs.last_mut(), letter) {
                (Some(last), Some(letter)) if last.number == paragraph.number => {
                    if let Some(letters) = &mut last.subparagraphs {
                        letters.push(letter);
                    }
                }
                (_, letter) => paragraphs.push(format::ExcerptParagraph {
                    number: Cow::from(paragraph.number.as_str()),
                    subparagraphs: letter.map(|letter| vec![letter]),
                }),
            }
        }
        format::Block::Excerpt(format::Excerpt {
            document: Cow::Borrowed(document),
            paragraphs,
        })
    }

    fn citations(&self, citations: &'a [model::Citation]) -> Vec<format::Citation<'a>> {
        citations
            .iter()
            .map(|citation| {
                let document = &self.instrument.documents.at(citation.document);
                let paragraph = &document.paragraphs.at(citation.paragraph);
                format::Citation {
                    document: Cow::from(document.id.as_str()),
                    paragraph: Cow::from(paragraph.number.as_str()),
                    subparagraph: citation
                        .subparagraph
                        .map(|sub| Cow::from(paragraph.subparagraphs.at(sub).letter.as_str())),
                }
            })
            .collect()
    }

    fn item(&self, id: ItemId) -> format::Item<'a> {
        let item = self.instrument.item(id);
        format::Item {
            id: Cow::from(item.id.as_str()),
            kind: kind(item.kind),
            number: item.number.as_deref().map(Cow::from),
            marker: item.marker.as_deref().map(Cow::from),
            label: self.text(&item.label),
            answer: item.answer.as_ref().map(|answer| self.answer(id, answer)),
            required: item.required,
            condition: item
                .condition
                .as_ref()
                .map(|condition| jsonlogic::rule(self.instrument, condition)),
            shown: item.shown,
            calculation: item
                .calculation
                .as_ref()
                .map(|calculation| jsonlogic::value(self.instrument, calculation)),
            currency: item
                .calculation
                .as_ref()
                .filter(|_| matches!(item.answer, Some(AnswerType::Amount { .. })))
                .map(|calculation| jsonlogic::currency(self.instrument, calculation)),
            specials: item
                .specials
                .iter()
                .map(|s| Cow::from(s.as_str()))
                .collect(),
            constraints: self.constraints(None, &item.constraints),
            help: self.texts(&item.help),
            notes: self.texts(&item.notes),
            citations: self.citations(&item.citations),
            citation_text: item.cited.as_deref().map(Cow::Borrowed),
            feeds: item
                .feeds
                .iter()
                .filter_map(|index| self.instrument.report.get(*index))
                .map(|heading| Cow::from(heading.id.as_str()))
                .collect(),
            items: item
                .children
                .iter()
                .map(|child| crate::stack::guard(|| self.item(*child)))
                .collect(),
        }
    }

    fn constraints(
        &self,
        list: Option<ItemId>,
        constraints: &'a [model::Constraint],
    ) -> Vec<format::Constraint<'a>> {
        constraints
            .iter()
            .map(|constraint| format::Constraint {
                rule: jsonlogic::constraint(self.instrument, list, constraint),
                severity: match constraint.severity {
                    model::Severity::Error => format::Severity::Error,
                    model::Severity::Warning => format::Severity::Warning,
                },
                message: self.text(&constraint.message),
            })
            .collect()
    }

    fn lines(&self, lines: &'a [model::Heading]) -> Vec<format::Line<'a>> {
        lines
            .iter()
            .map(|line| format::Line {
                id: Cow::from(line.id.as_str()),
                label: self.text(&line.label),
                total: line.total,
                citations: self.citations(&line.citations),
                citation_text: line.cited.as_deref().map(Cow::Borrowed),
            })
            .collect()
    }

    /// The answer of item `owner` (or of a part of it).
    fn answer(&self, owner: ItemId, answer: &'a AnswerType) -> format::Answer<'a> {
        match answer {
            AnswerType::Choice { scale, multiple } => {
                let scale = self.instrument.scale(*scale);
                format::Answer::Choice(format::ChoiceAnswer {
                    multiple: *multiple,
                    scale: scale.name.as_deref().map(Cow::from),
                    options: scale.name.is_none().then(|| self.choices(&scale.options)),
                })
            }
            AnswerType::Text { long } => format::Answer::Text(format::TextAnswer { long: *long }),
            AnswerType::Date => format::Answer::Date,
            AnswerType::Country => format::Answer::Country,
            AnswerType::Number { integer, min, max } => {
                format::Answer::Number(format::NumberAnswer {
                    integer: *integer,
                    min: *min,
                    max: *max,
                })
            }
            AnswerType::Amount { currencies } => format::Answer::Amount(format::AmountAnswer {
                currencies: currencies.iter().map(|s| Cow::from(s.as_str())).collect(),
            }),
            AnswerType::List(list) => format::Answer::List(format::ListAnswer {
                fields: list
                    .fields
                    .iter()
                    .map(|field| format::Field {
                        id: Cow::from(field.id.as_str()),
                        label: self.text(&field.label),
                        required: field.required,
                        answer: self.answer(owner, &field.answer),
                        condition: field.condition.as_ref().map(|condition| {
                            jsonlogic::record_rule(self.instrument, owner, condition)
                        }),
                        calculation: field.calculation.as_ref().map(|calculation| {
                            jsonlogic::record_value(self.instrument, owner, calculation)
                        }),
                        currency: field
                            .calculation
                            .as_ref()
                            .filter(|_| matches!(field.answer, AnswerType::Amount { .. }))
                            .map(|calculation| {
                                jsonlogic::record_currency(self.instrument, owner, calculation)
                            }),
                        shown: field.shown,
                        help: self.texts(&field.help),
                        notes: self.texts(&field.notes),
                    })
                    .collect(),
                min: list.min.as_ref().map(|count| self.count(count)),
                max: list.max.as_ref().map(|count| self.count(count)),
                constraints: self.constraints(Some(owner), &list.constraints),
            }),
            AnswerType::Table(table) => format::Answer::Table(format::TableAnswer {
                cell: Box::new(self.answer(owner, &table.cell)),
                rows: self.lines(&table.rows),
                columns: self.lines(&table.columns),
            }),
            AnswerType::Grid(grid) => format::Answer::Grid(format::GridAnswer {
                columns: grid
                    .columns
                    .iter()
                    .map(|column| format::Column {
                        id: Cow::from(column.id.as_str()),
                        label: self.text(&column.label),
                        condition: column
                            .condition
                            .as_ref()
                            .map(|condition| jsonlogic::rule(self.instrument, condition)),
                    })
                    .collect(),
                rows: grid
                    .rows
                    .iter()
                    .map(|row| format::Row {
                        id: Cow::from(row.id.as_str()),
                        marker: Cow::from(row.marker.as_str()),
                        label: self.text(&row.label),
                        citations: self.citations(&row.citations),
                        citation_text: row.cited.as_deref().map(Cow::Borrowed),
                        answer: row.answer.as_ref().map(|answer| self.answer(owner, answer)),
                    })
                    .collect(),
                row_sets: grid
                    .row_sets
                    .iter()
                    .map(|name| Cow::from(name.as_str()))
                    .collect(),
            }),
        }
    }

    fn count(&self, count: &model::Count) -> Value {
        match count {
            model::Count::Number(n) => Value::from(*n),
            model::Count::Item(id) => serde_json::json!({ "var": self.instrument.item(*id).id }),
        }
    }
}

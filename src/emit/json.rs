//! The JSON form definition, format `qc-form/1`: everything a frontend needs to render the
//! instrument and evaluate its conditions, without knowing the `.q` language.
//!
//! The format is documented in `docs/form-format.md` and described by `docs/form.schema.json`.
//! Its shape is the structs below; serialising them is deterministic.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::jsonlogic;
use crate::arena::Arena;
use crate::model::{self, AnswerType, Block, Instrument, ItemId};

/// The format identifier; it changes when a change could break a reader.
pub const FORMAT: &str = "qc-form/1";

/// The form definition of an instrument, as pretty-printed JSON with a final newline.
pub fn to_string(instrument: &Instrument) -> String {
    let form = Form::new(instrument);
    // Serialising plain structs of strings, numbers and `Value`s cannot fail.
    let mut text = serde_json::to_string_pretty(&form).unwrap_or_default();
    text.push('\n');
    text
}

/// The form definition of an instrument as a JSON value.
pub fn to_value(instrument: &Instrument) -> Value {
    serde_json::to_value(Form::new(instrument)).unwrap_or(Value::Null)
}

#[derive(Serialize)]
struct Form<'a> {
    format: &'static str,
    instrument: Header<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    introduction: Vec<BlockOut<'a>>,
    scales: Vec<ScaleOut<'a>>,
    /// Answers any item may allow that are not values, such as "Don't know".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    specials: Vec<ChoiceOut<'a>>,
    documents: Vec<DocumentOut<'a>>,
    sections: Vec<SectionOut<'a>>,
    /// The instrument's language first, then each translation's; only with translations.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    languages: Vec<LanguageOut<'a>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    translations: BTreeMap<&'a str, &'a BTreeMap<String, String>>,
}

#[derive(Serialize)]
struct LanguageOut<'a> {
    code: &'a str,
    /// `ltr` or `rtl`: how a frontend lays out the texts.
    direction: &'static str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    source: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'a str>,
}

#[derive(Serialize)]
struct Header<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    resolution: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'a str>,
}

#[derive(Serialize)]
struct ScaleOut<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    options: Vec<ChoiceOut<'a>>,
}

#[derive(Serialize)]
struct ChoiceOut<'a> {
    code: &'a str,
    label: String,
}

#[derive(Serialize)]
struct DocumentOut<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    sources: &'a [String],
    paragraphs: Vec<ParagraphOut<'a>>,
}

#[derive(Serialize)]
struct ParagraphOut<'a> {
    number: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    heading: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    /// The official text is not at hand yet.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pending: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    subparagraphs: Vec<SubparagraphOut<'a>>,
}

#[derive(Serialize)]
struct SubparagraphOut<'a> {
    letter: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pending: bool,
}

#[derive(Serialize)]
struct SectionOut<'a> {
    id: &'a str,
    number: &'a str,
    title: &'a str,
    content: Vec<BlockOut<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    constraints: Vec<ConstraintOut>,
}

#[derive(Serialize)]
struct ConstraintOut {
    /// JsonLogic: true when the constraint is kept (or cannot be tested yet).
    rule: Value,
    severity: &'static str,
    message: String,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum BlockOut<'a> {
    Text {
        text: String,
    },
    Heading {
        text: String,
    },
    Excerpt {
        document: &'a str,
        paragraphs: Vec<ExcerptParagraph<'a>>,
    },
    Item(Box<ItemOut<'a>>),
}

/// A paragraph shown in an excerpt: all of it, or only some subparagraphs.
#[derive(Serialize)]
struct ExcerptParagraph<'a> {
    number: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    subparagraphs: Option<Vec<&'a str>>,
}

#[derive(Serialize)]
struct CitationOut<'a> {
    document: &'a str,
    paragraph: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    subparagraph: Option<&'a str>,
}

#[derive(Serialize)]
struct ItemOut<'a> {
    id: &'a str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    marker: Option<&'a str>,
    label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    answer: Option<AnswerOut<'a>>,
    required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    condition: Option<Value>,
    /// JsonLogic computing a calculated value.
    #[serde(skip_serializing_if = "Option::is_none")]
    calculation: Option<Value>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    specials: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    constraints: Vec<ConstraintOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    help: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    citations: Vec<CitationOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    citation_text: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    items: Vec<ItemOut<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum AnswerOut<'a> {
    Choice {
        multiple: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        scale: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        options: Option<Vec<ChoiceOut<'a>>>,
    },
    Text {
        long: bool,
    },
    Date,
    Number {
        integer: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
    Amount {
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        currencies: &'a [String],
    },
    List {
        fields: Vec<FieldOut<'a>>,
        /// The least number of records: a number, or `{"var": item}`.
        #[serde(skip_serializing_if = "Option::is_none")]
        min: Option<Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max: Option<Value>,
        /// Rules over each record, which they read as `this`.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        constraints: Vec<ConstraintOut>,
    },
    Grid {
        columns: Vec<ColumnOut<'a>>,
        rows: Vec<RowOut<'a>>,
    },
    Table {
        cell: Box<AnswerOut<'a>>,
        rows: Vec<LineOut<'a>>,
        columns: Vec<LineOut<'a>>,
    },
}

#[derive(Serialize)]
struct FieldOut<'a> {
    id: &'a str,
    label: String,
    required: bool,
    answer: AnswerOut<'a>,
    /// JsonLogic over the record (`this`) and the answers: the field is asked when it holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    condition: Option<Value>,
}

#[derive(Serialize)]
struct LineOut<'a> {
    id: &'a str,
    label: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    total: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    citations: Vec<CitationOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    citation_text: Option<String>,
}

#[derive(Serialize)]
struct ColumnOut<'a> {
    id: &'a str,
    label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    condition: Option<Value>,
}

#[derive(Serialize)]
struct RowOut<'a> {
    id: &'a str,
    marker: &'a str,
    label: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    citations: Vec<CitationOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    citation_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    answer: Option<AnswerOut<'a>>,
}

impl<'a> Form<'a> {
    fn new(instrument: &'a Instrument) -> Form<'a> {
        let emitter = Emitter { instrument };
        Form {
            format: FORMAT,
            instrument: Header {
                id: &instrument.id,
                title: &instrument.title,
                resolution: instrument.resolution.as_deref(),
                version: instrument.version.as_deref(),
                language: instrument.language.as_deref(),
                date: instrument.date.as_deref(),
                status: instrument.status.as_deref(),
            },
            introduction: emitter.blocks(&instrument.introduction),
            scales: instrument
                .scales
                .iter()
                .filter_map(|scale| {
                    Some(ScaleOut {
                        id: scale.name.as_deref()?,
                        label: scale.label.as_deref(),
                        options: choices(instrument, scale),
                    })
                })
                .collect(),
            specials: instrument
                .specials
                .iter()
                .map(|special| ChoiceOut {
                    code: &special.code,
                    label: instrument.written(&special.label),
                })
                .collect(),
            documents: instrument.documents.iter().map(document).collect(),
            sections: instrument
                .sections
                .iter()
                .map(|section| SectionOut {
                    id: &section.id,
                    number: &section.number,
                    title: &section.title,
                    content: emitter.blocks(&section.content),
                    constraints: emitter.constraints(None, &section.constraints),
                })
                .collect(),
            languages: languages(instrument),
            translations: instrument
                .translations
                .iter()
                .map(|translation| (translation.language.as_str(), &translation.strings))
                .collect(),
        }
    }
}

/// The languages of a translated instrument: its own, then those of its translations.
fn languages(instrument: &Instrument) -> Vec<LanguageOut<'_>> {
    if instrument.translations.is_empty() {
        return Vec::new();
    }
    let direction = |rtl: bool| if rtl { "rtl" } else { "ltr" };
    let own = instrument.language.as_deref().unwrap_or("und");
    let mut out = vec![LanguageOut {
        code: own,
        direction: direction(crate::translate::is_rtl(own)),
        source: true,
        status: None,
    }];
    out.extend(
        instrument
            .translations
            .iter()
            .map(|translation| LanguageOut {
                code: &translation.language,
                direction: direction(translation.rtl),
                source: false,
                status: translation.status.as_deref(),
            }),
    );
    out
}

fn choices<'a>(instrument: &Instrument, scale: &'a model::Scale) -> Vec<ChoiceOut<'a>> {
    scale
        .options
        .iter()
        .map(|option| ChoiceOut {
            code: &option.code,
            label: instrument.written(&option.label),
        })
        .collect()
}

fn document(document: &model::Document) -> DocumentOut<'_> {
    DocumentOut {
        id: &document.id,
        title: &document.title,
        sources: &document.sources,
        paragraphs: document
            .paragraphs
            .iter()
            .map(|paragraph| ParagraphOut {
                number: &paragraph.number,
                heading: paragraph.heading.as_deref(),
                text: paragraph.text.as_deref(),
                pending: paragraph.text.is_none(),
                subparagraphs: paragraph
                    .subparagraphs
                    .iter()
                    .map(|sub| SubparagraphOut {
                        letter: &sub.letter,
                        text: sub.text.as_deref(),
                        pending: sub.text.is_none(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

struct Emitter<'a> {
    instrument: &'a Instrument,
}

impl<'a> Emitter<'a> {
    fn written(&self, texts: &[model::Text]) -> Vec<String> {
        texts
            .iter()
            .map(|text| self.instrument.written(text))
            .collect()
    }

    fn blocks(&self, blocks: &'a [Block]) -> Vec<BlockOut<'a>> {
        blocks.iter().map(|block| self.block(block)).collect()
    }

    fn block(&self, block: &'a Block) -> BlockOut<'a> {
        match block {
            Block::Text(text) => BlockOut::Text {
                text: self.instrument.written(text),
            },
            Block::Heading(text) => BlockOut::Heading {
                text: self.instrument.written(text),
            },
            Block::Excerpt(citations) => self.excerpt(citations),
            Block::Item(id) => BlockOut::Item(Box::new(self.item(*id))),
        }
    }

    /// Groups the cited paragraphs of one excerpt, keeping their order.
    fn excerpt(&self, citations: &'a [model::Citation]) -> BlockOut<'a> {
        let document = citations
            .first()
            .map_or("", |c| self.instrument.documents.at(c.document).id.as_str());
        let mut paragraphs: Vec<ExcerptParagraph<'a>> = Vec::new();
        for citation in citations {
            let paragraph = &self
                .instrument
                .documents
                .at(citation.document)
                .paragraphs
                .at(citation.paragraph);
            let letter = citation
                .subparagraph
                .map(|sub| paragraph.subparagraphs.at(sub).letter.as_str());
            match (paragraphs.last_mut(), letter) {
                (Some(last), Some(letter)) if last.number == paragraph.number => {
                    if let Some(letters) = &mut last.subparagraphs {
                        letters.push(letter);
                    }
                }
                _ => paragraphs.push(ExcerptParagraph {
                    number: &paragraph.number,
                    subparagraphs: letter.map(|letter| vec![letter]),
                }),
            }
        }
        BlockOut::Excerpt {
            document,
            paragraphs,
        }
    }

    fn citations(&self, citations: &'a [model::Citation]) -> Vec<CitationOut<'a>> {
        citations
            .iter()
            .map(|citation| {
                let document = &self.instrument.documents.at(citation.document);
                let paragraph = &document.paragraphs.at(citation.paragraph);
                CitationOut {
                    document: &document.id,
                    paragraph: &paragraph.number,
                    subparagraph: citation
                        .subparagraph
                        .map(|sub| paragraph.subparagraphs.at(sub).letter.as_str()),
                }
            })
            .collect()
    }

    fn item(&self, id: ItemId) -> ItemOut<'a> {
        let item = self.instrument.item(id);
        ItemOut {
            id: &item.id,
            kind: item.kind.as_str(),
            number: item.number.as_deref(),
            marker: item.marker.as_deref(),
            label: self.instrument.written(&item.label),
            answer: item.answer.as_ref().map(|answer| self.answer(id, answer)),
            required: item.required,
            condition: item
                .condition
                .as_ref()
                .map(|condition| jsonlogic::rule(self.instrument, condition)),
            calculation: item
                .calculation
                .as_ref()
                .map(|calculation| jsonlogic::value(self.instrument, calculation)),
            specials: &item.specials,
            constraints: self.constraints(None, &item.constraints),
            help: self.written(&item.help),
            notes: self.written(&item.notes),
            citations: self.citations(&item.citations),
            citation_text: self.instrument.citation_text(&item.citations),
            items: item
                .children
                .iter()
                .map(|child| self.item(*child))
                .collect(),
        }
    }

    fn constraints(
        &self,
        list: Option<ItemId>,
        constraints: &'a [model::Constraint],
    ) -> Vec<ConstraintOut> {
        constraints
            .iter()
            .map(|constraint| ConstraintOut {
                rule: jsonlogic::constraint(self.instrument, list, constraint),
                severity: constraint.severity.as_str(),
                message: self.instrument.written(&constraint.message),
            })
            .collect()
    }

    fn lines(&self, lines: &'a [model::Heading]) -> Vec<LineOut<'a>> {
        lines
            .iter()
            .map(|line| LineOut {
                id: &line.id,
                label: self.instrument.written(&line.label),
                total: line.total,
                citations: self.citations(&line.citations),
                citation_text: self.instrument.citation_text(&line.citations),
            })
            .collect()
    }

    /// The answer of item `owner` (or of a part of it).
    fn answer(&self, owner: ItemId, answer: &'a AnswerType) -> AnswerOut<'a> {
        match answer {
            AnswerType::Choice { scale, multiple } => {
                let scale = self.instrument.scale(*scale);
                AnswerOut::Choice {
                    multiple: *multiple,
                    scale: scale.name.as_deref(),
                    options: scale
                        .name
                        .is_none()
                        .then(|| choices(self.instrument, scale)),
                }
            }
            AnswerType::Text { long } => AnswerOut::Text { long: *long },
            AnswerType::Date => AnswerOut::Date,
            AnswerType::Number { integer, min, max } => AnswerOut::Number {
                integer: *integer,
                min: *min,
                max: *max,
            },
            AnswerType::Amount { currencies } => AnswerOut::Amount { currencies },
            AnswerType::List(list) => AnswerOut::List {
                fields: list
                    .fields
                    .iter()
                    .map(|field| FieldOut {
                        id: &field.id,
                        label: self.instrument.written(&field.label),
                        required: field.required,
                        answer: self.answer(owner, &field.answer),
                        condition: field.condition.as_ref().map(|condition| {
                            jsonlogic::record_rule(self.instrument, owner, condition)
                        }),
                    })
                    .collect(),
                min: list.min.as_ref().map(|count| self.count(count)),
                max: list.max.as_ref().map(|count| self.count(count)),
                constraints: self.constraints(Some(owner), &list.constraints),
            },
            AnswerType::Table(table) => AnswerOut::Table {
                cell: Box::new(self.answer(owner, &table.cell)),
                rows: self.lines(&table.rows),
                columns: self.lines(&table.columns),
            },
            AnswerType::Grid(grid) => AnswerOut::Grid {
                columns: grid
                    .columns
                    .iter()
                    .map(|column| ColumnOut {
                        id: &column.id,
                        label: self.instrument.written(&column.label),
                        condition: column
                            .condition
                            .as_ref()
                            .map(|condition| jsonlogic::rule(self.instrument, condition)),
                    })
                    .collect(),
                rows: grid
                    .rows
                    .iter()
                    .map(|row| RowOut {
                        id: &row.id,
                        marker: &row.marker,
                        label: self.instrument.written(&row.label),
                        citations: self.citations(&row.citations),
                        citation_text: self.instrument.citation_text(&row.citations),
                        answer: row.answer.as_ref().map(|answer| self.answer(owner, answer)),
                    })
                    .collect(),
            },
        }
    }

    fn count(&self, count: &model::Count) -> Value {
        match count {
            model::Count::Number(n) => Value::from(*n),
            model::Count::Item(id) => serde_json::json!({ "var": self.instrument.item(*id).id }),
        }
    }
}

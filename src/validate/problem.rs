//! The problems a reply can have, each with a stable code.

use serde::Serialize;

use crate::codes::Code;
use crate::model::{Instrument, ItemId, Severity};
use crate::span::Span;

/// One problem of a reply: where it is (a JSON pointer), which item, and what is wrong.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    pub code: Code,
    pub severity: Severity,
    /// A JSON pointer into the reply, such as `/answers/q25`.
    pub pointer: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The item's printed number, such as `4 (c) (ii)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Where the item is declared in its `.q` file.
    #[serde(skip)]
    pub span: Option<Span>,
}

impl Problem {
    /// A problem, naming the item it is about (its label written as the form writes it).
    pub(super) fn new(
        code: Code,
        pointer: &str,
        message: String,
        item: Option<(&Instrument, ItemId)>,
    ) -> Problem {
        let item = item.map(|(instrument, id)| (instrument, instrument.item(id)));
        Problem {
            code,
            severity: Severity::Error,
            pointer: pointer.to_owned(),
            message,
            item: item.map(|(_, item)| item.id.clone()),
            number: item.and_then(|(_, item)| item.number.clone()),
            label: item.map(|(instrument, item)| instrument.written(&item.label)),
            span: item.map(|(_, item)| item.span),
        }
    }

    /// A problem with the reply as a whole.
    pub(super) fn reply(code: Code, pointer: &str, message: impl Into<String>) -> Problem {
        Problem::new(code, pointer, message.into(), None)
    }
}

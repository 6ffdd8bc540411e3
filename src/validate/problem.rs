//! The problems a reply can have, each with a stable code.

use serde::Serialize;

use crate::codes::Code;
use crate::model::{Item, Severity};
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
    pub(super) fn new(code: Code, pointer: &str, message: String, item: Option<&Item>) -> Problem {
        Problem {
            code,
            severity: Severity::Error,
            pointer: pointer.to_owned(),
            message,
            item: item.map(|item| item.id.clone()),
            number: item.and_then(|item| item.number.clone()),
            label: item.map(|item| item.label.clone()),
            span: item.map(|item| item.span),
        }
    }

    /// A problem with the reply as a whole.
    pub(super) fn reply(code: Code, pointer: &str, message: impl Into<String>) -> Problem {
        Problem::new(code, pointer, message.into(), None)
    }
}

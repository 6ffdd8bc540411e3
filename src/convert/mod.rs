//! Replies to and from the frontends qc exports to. What a frontend collects is read back into
//! a qc reply (`docs/response-format.md`), and a qc reply is written as the frontend holds it,
//! so that each conversion is proven both ways. Nothing is dropped silently: what a conversion
//! cannot place is a [`Problem`] with its JSON pointer. A conversion reads the model and a JSON
//! value, and does no I/O.

pub mod fhir;
pub mod odk;
pub mod surveyjs;

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::model::Instrument;

/// Something a conversion could not carry, and where it is in the document converted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Where: a JSON pointer into a JSON document; in an XML document, the path of the element
    /// (`/data/household/members[2]/members_age`, records counted from 1).
    pub pointer: String,
    pub message: String,
}

/// A converted document (a JSON value, or the text of an XML one), and what it could not carry.
#[derive(Clone, Debug, PartialEq)]
pub struct Converted<T = Value> {
    pub value: T,
    pub problems: Vec<Problem>,
}

/// A reply to the instrument with these answers, listed in the order of its items.
fn reply(instrument: &Instrument, mut answers: Map<String, Value>) -> Value {
    let mut ordered = Map::new();
    for item in &instrument.items {
        if let Some((key, value)) = answers.remove_entry(&item.id) {
            ordered.insert(key, value);
        }
    }
    let mut reply = json!({ "form": instrument.id });
    if let Some(version) = &instrument.version {
        crate::emit::set(&mut reply, "version", json!(version));
    }
    crate::emit::set(&mut reply, "answers", Value::Object(ordered));
    reply
}

/// A number written as text, as a text box of numbers or an XML element holds it.
fn number(text: &str) -> Option<Value> {
    let parsed: f64 = text.trim().parse().ok()?;
    if !parsed.is_finite() {
        return None;
    }
    serde_json::from_str::<Value>(text.trim())
        .ok()
        .filter(Value::is_number)
        .or_else(|| serde_json::Number::from_f64(parsed).map(Value::Number))
}

/// The JSON pointer of `tokens` under `root` (RFC 6901).
fn pointer(root: &str, tokens: &[&str]) -> String {
    let mut out = root.to_owned();
    for token in tokens {
        out.push('/');
        out.push_str(&token.replace('~', "~0").replace('/', "~1"));
    }
    out
}

/// A key of a document, as a message shows it: at most 60 characters, so that a hostile key
/// makes a short message.
fn shown(key: &str) -> String {
    let cut: String = key.chars().take(60).collect();
    match cut.len() < key.len() {
        true => format!("{}…", cut.escape_debug()),
        false => cut.escape_debug().to_string(),
    }
}

/// Whether a value holds a special answer (`{"special": code}`) anywhere in it.
fn holds_special(value: &Value) -> Option<Vec<String>> {
    let mut path = Vec::new();
    crate::stack::guard(|| special_at(value, &mut path)).then_some(path)
}

fn special_at(value: &Value, path: &mut Vec<String>) -> bool {
    match value {
        Value::Object(object) if object.contains_key("special") => true,
        Value::Object(object) => object.iter().any(|(key, value)| {
            path.push(key.clone());
            let found = crate::stack::guard(|| special_at(value, path));
            if !found {
                path.pop();
            }
            found
        }),
        Value::Array(values) => values.iter().enumerate().any(|(index, value)| {
            path.push(index.to_string());
            let found = crate::stack::guard(|| special_at(value, path));
            if !found {
                path.pop();
            }
            found
        }),
        _ => false,
    }
}

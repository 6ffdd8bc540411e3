//! Reading a reply file strictly: UTF-8, JSON, bounded nesting, no duplicate keys. serde_json
//! alone would keep the last of two equal keys without a word.

use std::fmt;

use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::codes::Code;

/// How deep a reply's arrays and objects may nest.
pub const MAX_DEPTH: usize = 128;

/// How deep a compiled form's arrays and objects may nest: every form the compiler writes is
/// within it. Brackets nest at most [`syntax::MAX_DEPTH`](crate::syntax::MAX_DEPTH) deep in a
/// `.q` file, and each level of them is at most 10 levels of the form's JSON (a `sum(a + …)`
/// inside another, with its guard, is the deepest).
pub const FORM_MAX_DEPTH: usize = 16 * crate::syntax::MAX_DEPTH;

/// Why a file could not be read as a reply.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ReplyError {
    pub code: Code,
    pub message: String,
    /// 1-based line and column of the problem, when known.
    pub line: usize,
    pub column: usize,
}

/// Parses the bytes of a reply into JSON.
pub fn parse_reply(bytes: &[u8]) -> Result<Value, ReplyError> {
    parse_json(bytes, MAX_DEPTH)
}

/// Parses the bytes of a JSON document strictly: UTF-8 without a byte-order mark, no key
/// twice in an object, and arrays and objects nested at most `max_depth` deep. The depth is
/// measured before parsing, so parsing recurses at most that deep.
pub fn parse_json(bytes: &[u8], max_depth: usize) -> Result<Value, ReplyError> {
    let position = |offset: usize| {
        let before = bytes.get(..offset).unwrap_or(bytes);
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let column = offset
            - before
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |p| p + 1)
            + 1;
        (line, column)
    };
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Err(ReplyError {
            code: Code::NotJson,
            message: "the file starts with a byte-order mark (U+FEFF), which JSON does not allow: save it as UTF-8 without one".to_owned(),
            line: 1,
            column: 1,
        });
    }
    if let Err(error) = std::str::from_utf8(bytes) {
        let offset = error.valid_up_to();
        let (line, column) = position(offset);
        return Err(ReplyError {
            code: Code::NotUtf8,
            message: format!("the file is not valid UTF-8 (byte {offset})"),
            line,
            column,
        });
    }
    if let Some(offset) = too_deep(bytes, max_depth) {
        let (line, column) = position(offset);
        return Err(ReplyError {
            code: Code::TooDeep,
            message: format!("the JSON nests more than {max_depth} levels deep"),
            line,
            column,
        });
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    // The depth is bounded above; the stack grows as parsing needs it.
    deserializer.disable_recursion_limit();
    let stacked = serde_stacker::Deserializer::new(&mut deserializer);
    let value = Strict.deserialize(stacked);
    let value = value.and_then(|value| {
        deserializer.end()?;
        Ok(value)
    });
    value.map_err(|error| {
        let text = error.to_string();
        // Nesting was measured before parsing: what fails here is a key twice, or not JSON.
        let code = if text.contains("duplicate key") {
            Code::DuplicateKey
        } else {
            Code::NotJson
        };
        let message = match code {
            Code::DuplicateKey => {
                let message = text.split(" at line ").next().unwrap_or(&text);
                format!("{message} in an object: each key may appear once")
            }
            Code::NotJson if error.is_eof() => {
                "the JSON ends too early: the file is cut short".to_owned()
            }
            _ => {
                // serde_json appends " at line L column C"; the location is reported apart.
                let message = text.split(" at line ").next().unwrap_or(&text);
                format!("not valid JSON: {message}")
            }
        };
        ReplyError {
            code,
            message,
            line: error.line(),
            column: error.column(),
        }
    })
}

/// The offset of the first bracket that opens level `max_depth + 1`, outside strings.
fn too_deep(bytes: &[u8], max_depth: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, byte) in bytes.iter().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max_depth {
                    return Some(offset);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Deserialises any JSON value, refusing an object with the same key twice.
struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(Strict)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut values = Vec::new();
        while let Some(value) = seq.next_element_seed(Strict)? {
            values.push(value);
        }
        Ok(Value::Array(values))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(A::Error::custom(format_args!("duplicate key `{key}`")));
            }
            let value = map.next_value_seed(Strict)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

//! The server's reading of a document's text where it is a text, not yet a file that parses:
//! positions in the protocol's terms (lines, and characters in UTF-16 code units), file URIs,
//! the name under the cursor, and what a completion at the end of a half-typed line is asked
//! for. What a name stands for and the outline are read from the AST (`symbols.rs`,
//! `outline.rs`).

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// The byte offset of a position (0-based line, UTF-16 character), clamped to the text.
pub fn offset_of(text: &str, line: usize, character: usize) -> usize {
    let mut start = 0;
    for _ in 0..line {
        match text.get(start..).and_then(|rest| rest.find('\n')) {
            Some(end) => start += end + 1,
            None => return text.len(),
        }
    }
    let rest = text.get(start..).unwrap_or_default();
    let line_text = rest.split('\n').next().unwrap_or_default();
    let mut units = 0;
    for (index, c) in line_text.char_indices() {
        if units >= character {
            return start + index;
        }
        units += c.len_utf16();
    }
    start + line_text.len()
}

/// The position of a byte offset, as the protocol counts: `{line, character}`.
pub fn position_of(text: &str, offset: usize) -> Value {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before
        .get(start..)
        .unwrap_or_default()
        .chars()
        .map(char::len_utf16)
        .sum();
    json!({ "line": line, "character": character })
}

/// The `file:` URI of a path, its bytes outside the unreserved set escaped.
pub fn uri_of(path: &Path) -> String {
    let mut out = String::from("file://");
    for byte in path.display().to_string().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(byte))
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The path of a `file:` URI; `None` for another scheme or a malformed escape.
pub fn path_of(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file://host/path`: only the local host.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let mut bytes = Vec::with_capacity(rest.len());
    let mut input = rest.bytes();
    while let Some(byte) = input.next() {
        if byte == b'%' {
            let high = char::from(input.next()?).to_digit(16)?;
            let low = char::from(input.next()?).to_digit(16)?;
            bytes.push(u8::try_from(high * 16 + low).ok()?);
        } else {
            bytes.push(byte);
        }
    }
    let path = String::from_utf8(bytes).ok()?;
    path.starts_with('/').then(|| PathBuf::from(path))
}

fn is_name(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

/// The name under (or just before) an offset, such as `q25` or `common.yes_no`, and where it
/// is.
pub fn word_at(text: &str, offset: usize) -> Option<(&str, (usize, usize))> {
    let offset = offset.min(text.len());
    let before = text.get(..offset)?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_name(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let after = text.get(offset..)?;
    let end = offset
        + after
            .char_indices()
            .find(|(_, c)| !is_name(*c))
            .map_or(after.len(), |(i, _)| i);
    let word = text.get(start..end)?.trim_matches('.');
    (!word.is_empty() && !word.starts_with(|c: char| c.is_ascii_digit()))
        .then_some((word, (start, end)))
}

/// What a completion at the end of a line is asked for.
#[derive(Debug, PartialEq)]
pub enum Context {
    /// After `q25 =`, `q25 !=` or `q25 in [`: the codes `q25` takes.
    Codes(String),
    /// After `cites guidelines`: its paragraphs.
    Paragraphs(String),
    /// After `:` in a declaration: a scale or an answer type.
    Type,
    /// After `on` (`followup x "…" on yes, n`): the codes of the parent item.
    ParentCodes,
    /// After `use`: a block.
    Block,
    /// Anywhere else: an item.
    Item,
}

/// What the text of a line before the cursor asks a completion for.
pub fn context(line: &str) -> Context {
    let tokens: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '[' | ']'))
        .filter(|t| !t.is_empty())
        .collect();
    let last = |n: usize| {
        tokens
            .len()
            .checked_sub(n)
            .and_then(|i| tokens.get(i))
            .copied()
    };
    let ends_word = line.ends_with(|c: char| is_name(c));
    // The token being typed is not part of the context.
    let shift = usize::from(ends_word);
    match (last(2 + shift), last(1 + shift)) {
        (Some(item), Some("=" | "!=" | "in")) => return Context::Codes(item.to_owned()),
        (Some("cites"), Some(document)) => return Context::Paragraphs(document.to_owned()),
        _ => {}
    }
    // Inside a list of codes, `q1 in [yes, n`: the item before `in`.
    if line.rfind('[') > line.rfind(']') {
        let item = tokens
            .iter()
            .rposition(|t| *t == "in")
            .and_then(|at| at.checked_sub(1))
            .and_then(|at| tokens.get(at));
        if let Some(item) = item {
            return Context::Codes((*item).to_owned());
        }
    }
    // After `on`, and the codes written since: `on yes, n`.
    if let Some((before, after)) = line.rsplit_once(" on ") {
        // Not inside a text: the quotes before are paired.
        let quotes = before.matches('"').count() - before.matches("\\\"").count();
        let codes = after
            .chars()
            .all(|c| is_name(c) && c != '.' || c == ',' || c == ' ');
        if codes && quotes % 2 == 0 {
            return Context::ParentCodes;
        }
    }
    if last(1 + shift) == Some("use") {
        return Context::Block;
    }
    if last(1 + shift) == Some(":") || (ends_word && last(1).is_some_and(|t| t.starts_with(':'))) {
        return Context::Type;
    }
    Context::Item
}

/// Whether a text is a name the language takes: a letter or `_`, then letters, digits, `_`.
pub fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The one fix a diagnostic's message names: "did you mean `x`?".
pub fn suggestion(message: &str) -> Option<String> {
    let rest = message.split("did you mean `").nth(1)?;
    let fix = rest.split('`').next()?;
    (!fix.is_empty() && !rest.contains(" or `")).then(|| fix.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "a\n“é” q1\n";
        let offset = text.find("q1").unwrap_or(0);
        assert_eq!(
            position_of(text, offset),
            json!({ "line": 1, "character": 4 })
        );
        assert_eq!(offset_of(text, 1, 4), offset);
        assert_eq!(offset_of(text, 9, 0), text.len());
    }

    #[test]
    fn uris_and_paths_go_both_ways() {
        let path = Path::new("/tmp/a folder/é.q");
        let uri = uri_of(path);
        assert_eq!(uri, "file:///tmp/a%20folder/%C3%A9.q");
        assert_eq!(path_of(&uri).as_deref(), Some(path));
        assert_eq!(path_of("https://example.org/a.q"), None);
        assert_eq!(path_of("file:///a%zz"), None);
    }

    #[test]
    fn completion_contexts() {
        assert_eq!(
            context("  question q2 \"?\" : yes_no when q1 = "),
            Context::Codes("q1".into())
        );
        assert_eq!(context("when q1 = ye"), Context::Codes("q1".into()));
        assert_eq!(context("when q1 in ["), Context::Codes("q1".into()));
        assert_eq!(context("when q1 in [yes, n"), Context::Codes("q1".into()));
        assert_eq!(
            context("    cites guidelines "),
            Context::Paragraphs("guidelines".into())
        );
        assert_eq!(context("  question q1 \"Label\" : "), Context::Type);
        assert_eq!(context("  when "), Context::Item);
        assert_eq!(context("  use follow"), Context::Block);
        assert_eq!(
            context("  followup f \"If so?\" : text on "),
            Context::ParentCodes
        );
        assert_eq!(
            context("  followup f \"If so?\" on yes, par"),
            Context::ParentCodes
        );
        assert_eq!(context("  followup f \"Based on wha"), Context::Item);
    }

    #[test]
    fn the_name_under_the_cursor() {
        let text = "when q25 = yes or common.yes_no";
        assert_eq!(word_at(text, 6).map(|w| w.0), Some("q25"));
        assert_eq!(
            word_at(text, text.len()).map(|w| w.0),
            Some("common.yes_no")
        );
        assert_eq!(word_at("a = 17", 5), None);
    }

    #[test]
    fn fixes() {
        assert_eq!(
            suggestion("unknown item `q2`\nhelp: did you mean `q1`?"),
            Some("q1".into())
        );
        assert_eq!(suggestion("unknown item"), None);
    }
}

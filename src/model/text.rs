//! Texts a respondent reads, which may show the answers of items: literal runs and piped
//! items, split once when the source is lowered. Each output renders the parts its own way;
//! the compiled form writes them as `{id}`, with `{{` and `}}` for braces ([`Text::written`]).

use super::ItemId;

/// A text that may pipe in the value of items: "Of the {q4} cases, how many…".
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Text {
    parts: Vec<Part>,
}

/// A run of a [`Text`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// Shown as it is; braces here are only braces.
    Literal(String),
    /// The value of an item with an answer, or of a calculated value.
    Piped(ItemId),
}

/// A written `{name}` that names no item that can be piped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownPipe {
    pub name: String,
}

impl Text {
    /// A text of parts; adjacent literal runs are joined and empty ones dropped, so two texts
    /// that read the same are equal.
    pub fn new(parts: impl IntoIterator<Item = Part>) -> Text {
        let mut text = Text::default();
        for part in parts {
            text.push(part);
        }
        text
    }

    /// A text with nothing piped.
    pub fn plain(literal: impl Into<String>) -> Text {
        Text::new([Part::Literal(literal.into())])
    }

    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// Appends a part, joining it to a literal run it follows.
    pub fn push(&mut self, part: Part) {
        match (self.parts.last_mut(), part) {
            (_, Part::Literal(literal)) if literal.is_empty() => {}
            (Some(Part::Literal(last)), Part::Literal(literal)) => last.push_str(&literal),
            (_, part) => self.parts.push(part),
        }
    }

    /// Appends every part of another text.
    pub fn extend(&mut self, other: &Text) {
        for part in &other.parts {
            self.push(part.clone());
        }
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The bytes of its literal runs, and one for each piped item.
    pub fn len(&self) -> usize {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Literal(literal) => literal.len(),
                Part::Piped(_) => 1,
            })
            .sum()
    }

    /// The items it pipes in, in order.
    pub fn piped(&self) -> impl Iterator<Item = ItemId> + '_ {
        self.parts.iter().filter_map(|part| match part {
            Part::Piped(item) => Some(*item),
            Part::Literal(_) => None,
        })
    }

    /// Replaces each piped item by the part `f` gives for it.
    pub fn replace_piped(&mut self, mut f: impl FnMut(ItemId) -> Part) {
        let parts = std::mem::take(&mut self.parts);
        *self = Text::new(parts.into_iter().map(|part| match part {
            Part::Piped(item) => f(item),
            literal => literal,
        }));
    }

    /// The text as a target writes it: each literal run through `literal`, each piped item
    /// through `piped`, both appending to the output.
    pub fn render(
        &self,
        mut literal: impl FnMut(&str, &mut String),
        mut piped: impl FnMut(ItemId, &mut String),
    ) -> String {
        let mut out = String::with_capacity(self.len());
        for part in &self.parts {
            match part {
                Part::Literal(text) => literal(text, &mut out),
                Part::Piped(item) => piped(*item, &mut out),
            }
        }
        out
    }

    /// The text as the compiled form and translation files write it: `{id}` for a piped item
    /// (its id given by `id`), `{{` and `}}` for braces.
    pub fn written<'i>(&self, mut id: impl FnMut(ItemId) -> &'i str) -> String {
        self.render(
            |text, out| {
                let mut rest = text;
                while let Some(at) = memchr::memchr2(b'{', b'}', rest.as_bytes()) {
                    // Up to the brace and the brace, then the brace again.
                    let (head, tail) = rest.split_at(at + 1);
                    out.push_str(head);
                    out.push_str(head.get(at..).unwrap_or_default());
                    rest = tail;
                }
                out.push_str(rest);
            },
            |item, out| {
                out.push('{');
                out.push_str(id(item));
                out.push('}');
            },
        )
    }

    /// [`Text::written`], borrowing the text when it is one literal run without braces (most
    /// texts are).
    pub fn as_written<'t>(
        &'t self,
        id: impl FnMut(ItemId) -> &'t str,
    ) -> std::borrow::Cow<'t, str> {
        match self.parts.as_slice() {
            [] => std::borrow::Cow::Borrowed(""),
            [Part::Literal(text)] if memchr::memchr2(b'{', b'}', text.as_bytes()).is_none() => {
                std::borrow::Cow::Borrowed(text)
            }
            _ => std::borrow::Cow::Owned(self.written(id)),
        }
    }

    /// Reads a text written as [`Text::written`] writes it, with `item` finding the item each
    /// `{name}` names. A brace with no partner is only a brace.
    pub fn read(
        written: &str,
        mut item: impl FnMut(&str) -> Option<ItemId>,
    ) -> Result<Text, UnknownPipe> {
        let mut text = Text::default();
        let mut literal = String::new();
        let mut rest = written;
        while let Some(index) = memchr::memchr2(b'{', b'}', rest.as_bytes()) {
            let (before, tail) = rest.split_at(index);
            literal.push_str(before);
            if let Some(after) = tail.strip_prefix("{{") {
                literal.push('{');
                rest = after;
            } else if let Some(after) = tail.strip_prefix("}}") {
                literal.push('}');
                rest = after;
            } else if let Some((name, after)) = tail
                .strip_prefix('{')
                .and_then(|inner| inner.split_once('}'))
            {
                let Some(id) = item(name) else {
                    return Err(UnknownPipe {
                        name: name.to_owned(),
                    });
                };
                text.push(Part::Literal(std::mem::take(&mut literal)));
                text.push(Part::Piped(id));
                rest = after;
            } else {
                let (brace, after) = tail.split_at(1);
                literal.push_str(brace);
                rest = after;
            }
        }
        literal.push_str(rest);
        text.push(Part::Literal(literal));
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::{Part, Text, UnknownPipe};
    use crate::model::ItemId;

    fn lookup(name: &str) -> Option<ItemId> {
        name.strip_prefix('q')?
            .parse::<usize>()
            .ok()
            .map(ItemId::from)
    }

    fn id(item: ItemId) -> &'static str {
        ["q0", "q1", "q2"][usize::from(item)]
    }

    #[test]
    fn written_texts_read_back_to_the_same_parts() {
        let text = Text::new([
            Part::Literal("Of the {".to_owned()),
            Part::Literal("} ".to_owned()),
            Part::Piped(ItemId::from(1)),
            Part::Literal(" cases".to_owned()),
        ]);
        let written = text.written(id);
        assert_eq!(written, "Of the {{}} {q1} cases");
        assert_eq!(Text::read(&written, lookup), Ok(text));
    }

    #[test]
    fn unpaired_braces_are_braces_and_unknown_names_are_refused() {
        assert_eq!(
            Text::read("a } b { c", lookup),
            Ok(Text::plain("a } b { c"))
        );
        assert_eq!(
            Text::read("{x}", lookup),
            Err(UnknownPipe {
                name: "x".to_owned()
            })
        );
        assert!(Text::read("", lookup).is_ok_and(|text| text.is_empty()));
    }
}

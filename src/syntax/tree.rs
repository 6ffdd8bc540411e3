//! The concrete syntax tree: every token of a file, comments included, in the shape of the
//! grammar's rules. The formatter reads it; the compiler reads the AST (`lower.rs`).
//!
//! Pest makes a pair for each rule that is not silent, and nothing for the literal words and
//! signs of a rule (`question`, `{`, `,`). Those, and the comments, are in the text between the
//! pairs: the grammar has parsed it, so it holds only blanks, comments (`#` to the end of the
//! line: no literal holds a `#`), words and one-character signs, and reading it back is a split,
//! not a second parse.

use pest::iterators::Pair;

use super::Rule;

/// A rule of the grammar with what it matched, in order.
#[derive(Clone, Debug)]
pub struct Node<'a> {
    pub rule: Rule,
    pub children: Vec<Child<'a>>,
}

/// A rule's own node, or a token.
#[derive(Clone, Debug)]
pub enum Child<'a> {
    Node(Node<'a>),
    Token(Token<'a>),
}

/// One token of the source.
#[derive(Clone, Copy, Debug)]
pub struct Token<'a> {
    pub kind: Kind,
    /// Its text as written; a comment's without the blanks at its end.
    pub text: &'a str,
    /// How many line breaks come between it and the token or comment before it.
    pub breaks: usize,
}

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A rule matched as a whole (a name, a number, a piece of text, an operator).
    Leaf(Rule),
    /// A literal word of a rule: `question`, `cites`, `when`.
    Word,
    /// A literal sign of a rule: `{`, `(`, `,`, `:`, `=`.
    Sign,
    /// A comment, from `#` on.
    Comment,
}

impl<'a> Node<'a> {
    /// The node's first token, if it has one.
    pub fn first_token(&self) -> Option<&Token<'a>> {
        self.children.iter().find_map(Child::first_token)
    }
}

impl<'a> Child<'a> {
    pub fn first_token(&self) -> Option<&Token<'a>> {
        match self {
            Child::Token(token) => Some(token),
            Child::Node(node) => node.first_token(),
        }
    }
}

/// The rules whose pairs are tokens: atomic rules, whose text has no blanks or comments inside.
fn is_leaf(rule: Rule) -> bool {
    use Rule::*;
    matches!(
        rule,
        reserved
            | ident
            | path
            | string_part
            | number
            | date
            | currency
            | para_number
            | sub_letter
            | parameter_kind
            | header_key
            | pending
            | respondent_word
            | optional
            | required
            | shown
            | severity
            | given_target
            | no_value
            | expect_valid
            | expect_complete
            | problem_kind
            | problem_code
            | item_state
            | type_keyword
            | text_type
            | long_text_type
            | date_type
            | country_type
            | missing_kind
            | boolean
            | name
            | or_op
            | and_op
            | not_op
            | in_op
            | where_op
            | has_op
            | add_op
            | mul_op
            | compare_op
    )
}

/// Builds the tree of the `file` pair of a successful parse of `source`.
pub(super) fn build<'a>(source: &'a str, file: Pair<'a, Rule>) -> Node<'a> {
    let mut builder = Builder {
        source,
        cursor: 0,
        breaks: 0,
    };
    let mut node = builder.node(file);
    builder.gap(source.len(), &mut node.children);
    node
}

struct Builder<'a> {
    source: &'a str,
    /// Where the text not yet read starts.
    cursor: usize,
    /// The line breaks read since the last token.
    breaks: usize,
}

impl<'a> Builder<'a> {
    fn node(&mut self, pair: Pair<'a, Rule>) -> Node<'a> {
        crate::stack::guard(|| {
            let rule = pair.as_rule();
            let end = pair.as_span().end();
            let mut children = Vec::new();
            for inner in pair.into_inner() {
                let span = inner.as_span();
                self.gap(span.start(), &mut children);
                match inner.as_rule() {
                    Rule::EOI => {}
                    inner_rule if is_leaf(inner_rule) => {
                        children.push(Child::Token(self.token(
                            Kind::Leaf(inner_rule),
                            span.start(),
                            span.end(),
                        )));
                    }
                    _ => children.push(Child::Node(self.node(inner))),
                }
            }
            // Blanks and comments at the end of the pair (pest's after an optional part that is
            // not there) are left to the parent: they come after the node.
            let end = self.last_literal(end);
            self.gap(end, &mut children);
            Node { rule, children }
        })
    }

    /// A token from `start` to `end`, which the cursor reaches.
    fn token(&mut self, kind: Kind, start: usize, end: usize) -> Token<'a> {
        let token = Token {
            kind,
            text: self.source.get(start..end).unwrap_or_default(),
            breaks: self.breaks,
        };
        self.cursor = end;
        self.breaks = 0;
        token
    }

    /// Where the last literal word or sign between the cursor and `end` ends (the cursor if
    /// there is none).
    fn last_literal(&self, end: usize) -> usize {
        let rest = self.source.get(self.cursor..end).unwrap_or_default();
        let mut last = self.cursor;
        let mut comment = false;
        for (offset, c) in rest.char_indices() {
            match c {
                '\n' => comment = false,
                _ if comment => {}
                '#' => comment = true,
                _ if c.is_whitespace() || c == '\u{feff}' => {}
                _ => last = self.cursor + offset + c.len_utf8(),
            }
        }
        last
    }

    /// Reads the text between the cursor and `end`: blanks, comments, literal words and signs.
    fn gap(&mut self, end: usize, out: &mut Vec<Child<'a>>) {
        while self.cursor < end {
            let rest = self.source.get(self.cursor..end).unwrap_or_default();
            let Some(c) = rest.chars().next() else {
                break;
            };
            let start = self.cursor;
            if c == '\n' {
                self.breaks += 1;
                self.cursor += 1;
            } else if c.is_whitespace() || c == '\u{feff}' {
                self.cursor += c.len_utf8();
            } else if c == '#' {
                let length = rest.find('\n').unwrap_or(rest.len());
                let text = rest.get(..length).unwrap_or_default().trim_end();
                out.push(Child::Token(self.token(
                    Kind::Comment,
                    start,
                    start + text.len(),
                )));
                self.cursor = start + length;
            } else if c.is_ascii_alphanumeric() || c == '_' {
                let length = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                out.push(Child::Token(self.token(Kind::Word, start, start + length)));
            } else {
                out.push(Child::Token(self.token(
                    Kind::Sign,
                    start,
                    start + c.len_utf8(),
                )));
            }
        }
    }
}

//! `qc fmt`: one layout for `.q` sources, printed from the concrete tree of the parse
//! (`syntax::tree`), so that a formatted file compiles to the same form.
//!
//! - **Declarations and members.** Each declaration of the file, and each member of a body in
//!   braces (a section's items, an item's clauses, a scale's options), starts a line, indented
//!   two spaces for each body it is in. The answers of a test's `given` fill their lines: each
//!   goes on the line before when it fits there.
//! - **Bodies on one line.** A body stays on the line of its `{`, as `{ cites guidelines 18 (a) }`,
//!   when it was written with its first member on that line, holds no comment and no body that
//!   is not on one line itself, and fits within [`WIDTH`]. Otherwise each member has its line
//!   and `}` has its own. (The rule is Prettier's for objects: the author says which by the first
//!   line break.)
//! - **Spaces.** One between tokens, none inside `(…)` and `[…]`, before `,`, `;` and `)`,
//!   before the `(` of a call or of a block's parameters, nor before the `:` of a parameter.
//! - **Long lines.** A declaration longer than [`WIDTH`] is continued on lines indented
//!   [`CONTINUED`] levels more (apart from the members of a body it opens): before an item's `:` and type, `when`, `on`, `else`, `and`, `or`, a row's `cites`
//!   or a calculation's formula, or after a comma of an import, a call or a list of codes, at
//!   each such place where what follows up to the next would not fit on the line, or where it
//!   ends with a body that could be on one line and would fit only on the next. A paragraph's
//!   heading has a line of its own. A text
//!   longer than its line is cut after a space into pieces written one under the other (which
//!   the grammar joins back into the same text), each as long as the width allows; the last
//!   leaves room for what follows it on its line. Each piece of a text has its own line.
//! - **Order of clauses.** An item's clauses come before its sub-items, in this order: `cites`,
//!   `help`, `note`, `optional` or `required`, `allow uncited`, `allow` special answers,
//!   `feeds`; a grid's and a table's alike; a field's `help` before its `note`; the header's
//!   fields as `title`, `resolution`, `date`, `version`, `language`, `status`. Clauses of one
//!   kind, sub-items, rows and columns keep their order, which is meaningful.
//! - **Comments** stay with what they were written with: a comment on its own line above the
//!   token after it (and moves with its clause), a comment at the end of a line after the token
//!   before it. A comment ends its line.
//! - **Blank lines.** One blank line where the source had one or more between two members, none
//!   after `{` or before `}`, none at the start or the end; one `\n` ends the file.
//!
//! Texts and comments are kept byte for byte (a text cut in pieces keeps its characters). The
//! layout depends on the tokens, the comments, where blank lines were and whether each body's
//! first member was on the line of its `{`, and the layout keeps all four, so formatting a
//! formatted file changes nothing. Every step is linear in the size of the file.

use std::borrow::Cow;

use crate::syntax::tree::{Child, Kind, Node, Token};
use crate::syntax::{Rule, SyntaxError};

/// Spaces of indentation for each level.
pub const INDENT: usize = 2;

/// Levels of indentation of a continued line, beyond its declaration's: two, so that it
/// stands apart from the members of a body the declaration opens.
pub const CONTINUED: usize = 2;

/// The columns a line may take, counted in characters.
pub const WIDTH: usize = 100;

/// The canonical layout of a source text, or why it does not parse.
pub fn format(source: &str) -> Result<String, SyntaxError> {
    let (_, root) = crate::syntax::parse_with_tree(source)?;
    let mut atoms = Atoms::default();
    atoms.node(&root);
    Ok(Printer::new(&atoms.list).print())
}

/// What the printer lays out: tokens and the places where lines may or must break.
#[derive(Debug)]
enum Atom<'a> {
    /// A token, with a space before it unless it starts its line.
    Token {
        text: Cow<'a, str>,
        space: bool,
        piece: Piece,
    },
    /// A place where a long declaration may be continued on the next line.
    Soft,
    /// The next piece of a text: always on a line of its own.
    Continued,
    /// A declaration, or a member of a body, starts: on a line of its own, or, for the answers
    /// of a test (`fill`), on the line before when it fits there.
    Member { blank: bool, fill: bool },
    /// `{` (or the `[` of a test's records), and whether the body's first member was on a
    /// later line.
    Open {
        bracket: &'static str,
        space: bool,
        broken: bool,
    },
    /// `}` or `]`.
    Close { bracket: &'static str },
    /// A comment: on its own line, or after the token before it.
    Comment {
        text: &'a str,
        own_line: bool,
        blank: bool,
    },
}

/// Whether a token is a piece of a text, and whether its text's last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece {
    No,
    Inner,
    Last,
}

/// The tree read into atoms, clauses in order.
#[derive(Default)]
struct Atoms<'a> {
    list: Vec<Atom<'a>>,
    /// The text of the last token.
    previous: &'a str,
    /// The `{` whose body has no token yet.
    open: Option<usize>,
}

impl<'a> Atoms<'a> {
    fn node(&mut self, node: &Node<'a>) {
        crate::stack::guard(|| {
            let children = ordered(node);
            let mut in_body = node.rule == Rule::file;
            let mut after_comma = false;
            for child in children {
                match child {
                    Child::Token(token) if token.kind == Kind::Comment => self.comment(token),
                    Child::Token(token) if opens(node.rule, token) => {
                        self.open_body(token);
                        in_body = true;
                    }
                    Child::Token(token) if closes(node.rule, token) => {
                        self.close_body(token);
                        in_body = false;
                    }
                    _ => {
                        let sign = matches!(child, Child::Token(t) if t.kind == Kind::Sign);
                        if in_body && !sign {
                            let blank = child.first_token().is_some_and(|t| t.breaks >= 2);
                            let fill = matches!(node.rule, Rule::given | Rule::test_record);
                            self.list.push(Atom::Member { blank, fill });
                        } else if node.rule == Rule::paragraph
                            && matches!(child, Child::Token(t) if t.text == "para")
                            && !self.list.is_empty()
                        {
                            // A paragraph's heading has its own line.
                            if let Some(Child::Node(first)) = node.children.first() {
                                if first.rule == Rule::heading {
                                    self.list.push(Atom::Member {
                                        blank: false,
                                        fill: false,
                                    });
                                }
                            }
                        } else if soft_before(node.rule, child, after_comma) {
                            self.list.push(Atom::Soft);
                        }
                        after_comma = matches!(child, Child::Token(t) if t.kind == Kind::Sign && t.text == ",");
                        match child {
                            Child::Token(token) => self.token(token, node.rule, Piece::No),
                            Child::Node(inner) if inner.rule == Rule::string => self.text(inner),
                            Child::Node(inner) => self.node(inner),
                        }
                    }
                }
            }
        });
    }

    /// The pieces of a text, each after the first on its own line.
    fn text(&mut self, node: &Node<'a>) {
        let pieces = node
            .children
            .iter()
            .filter(|child| matches!(child, Child::Token(t) if t.kind != Kind::Comment))
            .count();
        let mut seen = 0;
        for child in &node.children {
            match child {
                Child::Token(token) if token.kind == Kind::Comment => self.comment(token),
                Child::Token(token) => {
                    seen += 1;
                    if seen > 1 {
                        self.list.push(Atom::Continued);
                    }
                    let piece = if seen == pieces {
                        Piece::Last
                    } else {
                        Piece::Inner
                    };
                    self.token(token, node.rule, piece);
                }
                Child::Node(inner) => self.node(inner),
            }
        }
    }

    fn token(&mut self, token: &Token<'a>, parent: Rule, piece: Piece) {
        self.seen(token);
        let text = match token.kind {
            // `no value` with any blanks between its words.
            Kind::Leaf(Rule::no_value) => Cow::Borrowed("no value"),
            _ => Cow::Borrowed(token.text),
        };
        let space = !(matches!(self.previous, "(" | "[" | "")
            || matches!(token.text, ")" | "]" | "," | ";") && token.kind == Kind::Sign
            || token.text == "("
                && matches!(
                    parent,
                    Rule::arguments | Rule::answered | Rule::block | Rule::use_block
                )
            || token.text == ":" && parent == Rule::parameter);
        self.list.push(Atom::Token { text, space, piece });
        self.previous = token.text;
    }

    fn comment(&mut self, token: &Token<'a>) {
        self.seen(token);
        self.list.push(Atom::Comment {
            text: token.text,
            own_line: token.breaks > 0 || self.list.is_empty(),
            blank: token.breaks >= 2,
        });
    }

    fn open_body(&mut self, token: &Token<'a>) {
        self.seen(token);
        self.open = Some(self.list.len());
        let bracket = if token.text == "[" { "[" } else { "{" };
        self.list.push(Atom::Open {
            bracket,
            space: !matches!(self.previous, "(" | "[" | ""),
            broken: false,
        });
        self.previous = bracket;
    }

    fn close_body(&mut self, token: &Token<'a>) {
        self.open = None;
        self.seen(token);
        let bracket = if token.text == "]" { "]" } else { "}" };
        self.list.push(Atom::Close { bracket });
        self.previous = bracket;
    }

    /// Notes, for the `{` before, whether its first token was on a later line.
    fn seen(&mut self, token: &Token<'a>) {
        if let Some(open) = self.open.take() {
            if let Some(Atom::Open { broken, .. }) = self.list.get_mut(open) {
                *broken = token.breaks > 0;
            }
        }
    }
}

/// Whether a token opens a body: every `{`, and the `[` of a test's records.
fn opens(parent: Rule, token: &Token<'_>) -> bool {
    token.kind == Kind::Sign
        && (token.text == "{" || token.text == "[" && parent == Rule::test_records)
}

/// Whether a token closes a body.
fn closes(parent: Rule, token: &Token<'_>) -> bool {
    token.kind == Kind::Sign
        && (token.text == "}" || token.text == "]" && parent == Rule::test_records)
}

/// Whether a long declaration may be continued on a new line before this child.
fn soft_before(parent: Rule, child: &Child<'_>, after_comma: bool) -> bool {
    match child {
        Child::Node(node) => match node.rule {
            Rule::when | Rule::on_answers => true,
            Rule::expr => parent == Rule::calc,
            Rule::cites => matches!(parent, Rule::row | Rule::table_row),
            _ => false,
        },
        Child::Token(token) => match token.kind {
            Kind::Word => token.text == "else" && parent == Rule::constraint,
            Kind::Sign if token.text == ":" => {
                matches!(parent, Rule::item_head | Rule::record_field)
            }
            Kind::Leaf(Rule::and_op | Rule::or_op) => {
                matches!(parent, Rule::conjunction | Rule::disjunction)
            }
            _ => {
                after_comma
                    && matches!(
                        parent,
                        Rule::from_import | Rule::arguments | Rule::code_list
                    )
            }
        },
    }
}

/// A node's children, with the clauses of a body in their order (see the module's notes).
fn ordered<'n, 'a>(node: &'n Node<'a>) -> Vec<&'n Child<'a>> {
    let rank: fn(&Child<'_>) -> usize = match node.rule {
        Rule::item_body | Rule::grid | Rule::table | Rule::field_body => item_rank,
        Rule::instrument => header_rank,
        _ => return node.children.iter().collect(),
    };
    let open = node
        .children
        .iter()
        .position(|c| matches!(c, Child::Token(t) if t.kind == Kind::Sign && t.text == "{"));
    let close = node
        .children
        .iter()
        .rposition(|c| matches!(c, Child::Token(t) if t.kind == Kind::Sign && t.text == "}"));
    let (Some(open), Some(close)) = (open, close) else {
        return node.children.iter().collect();
    };
    let (Some(head), Some(body), Some(tail)) = (
        node.children.get(..=open),
        node.children.get(open + 1..close),
        node.children.get(close..),
    ) else {
        return node.children.iter().collect();
    };
    // Each member with the comments on the lines above it and the one at the end of its line.
    let mut units: Vec<(usize, Vec<&Child<'a>>)> = Vec::new();
    let mut unit: Vec<&Child<'a>> = Vec::new();
    let mut main = None;
    for child in body {
        let comment = matches!(child, Child::Token(t) if t.kind == Kind::Comment);
        let trailing = comment && child.first_token().is_some_and(|t| t.breaks == 0);
        if main.is_some() && !trailing {
            units.push((
                main.map(rank).unwrap_or(usize::MAX),
                std::mem::take(&mut unit),
            ));
            main = None;
        }
        unit.push(child);
        if !comment {
            main = Some(child);
        }
    }
    if !unit.is_empty() {
        // Comments after the last member stay last.
        units.push((main.map_or(usize::MAX, rank), unit));
    }
    // A stable sort over the few ranks the rank functions give (a dozen at most): linear in
    // the members.
    let mut ranks: Vec<usize> = Vec::new();
    for (rank, _) in &units {
        if !ranks.contains(rank) {
            ranks.push(*rank);
        }
    }
    ranks.sort_unstable();
    let mut out: Vec<&Child<'a>> = head.iter().collect();
    for rank in ranks {
        for (_, unit) in units.iter().filter(|(r, _)| *r == rank) {
            out.extend(unit.iter().copied());
        }
    }
    out.extend(tail.iter());
    out
}

/// The order of an item's, a grid's, a table's or a field's clauses: those that describe it
/// first, then what it holds (sub-items, rows, columns, values, checks) as written.
fn item_rank(child: &Child<'_>) -> usize {
    let rule = match child {
        Child::Node(node) => node.rule,
        Child::Token(Token {
            kind: Kind::Leaf(rule),
            ..
        }) => *rule,
        Child::Token(_) => return usize::MAX - 1,
    };
    match rule {
        Rule::cites => 0,
        Rule::help => 1,
        Rule::note => 2,
        Rule::optional | Rule::required => 3,
        Rule::allow_uncited => 4,
        Rule::allow_special => 5,
        Rule::feeds => 6,
        _ => 10,
    }
}

/// The order of the header's fields.
fn header_rank(child: &Child<'_>) -> usize {
    const ORDER: [&str; 6] = [
        "title",
        "resolution",
        "date",
        "version",
        "language",
        "status",
    ];
    child
        .first_token()
        .and_then(|token| ORDER.iter().position(|key| *key == token.text))
        .unwrap_or(ORDER.len())
}

/// Characters, the measure of width.
fn width(text: &str) -> usize {
    text.chars().count()
}

/// Lays atoms out in lines.
struct Printer<'p, 'a> {
    atoms: &'p [Atom<'a>],
    /// For each `{`, the width of its body on one line (from `{` to `}`), if it can be.
    flat: Vec<Option<usize>>,
    out: String,
    /// The characters of the current line.
    column: usize,
    /// Whether the current line has a token or a comment.
    content: bool,
    /// The bodies open in lines (how deep members are).
    indent: usize,
    /// For each body open, whether it is on one line.
    inline: Vec<bool>,
    /// A comment ended the line: what comes next starts a new one.
    owed: bool,
    /// For each atom, whether the next that is not a comment starts a member or closes a
    /// body: a comment there is at the members' level, not continued.
    members_next: Vec<bool>,
    /// Nothing printed since a `{` that opened lines.
    after_open: bool,
}

impl<'p, 'a> Printer<'p, 'a> {
    fn new(atoms: &'p [Atom<'a>]) -> Self {
        Printer {
            atoms,
            flat: flat_widths(atoms),
            out: String::new(),
            column: 0,
            content: false,
            indent: 0,
            inline: Vec::new(),
            owed: false,
            members_next: members_next(atoms),
            after_open: false,
        }
    }

    fn print(mut self) -> String {
        for (index, atom) in self.atoms.iter().enumerate() {
            let inline = self.inline.last() == Some(&true);
            match atom {
                Atom::Member { blank, fill } => {
                    let blank = *blank && !self.after_open;
                    let fits = *fill
                        && !blank
                        && self.content
                        && !self.owed
                        && !self.after_open
                        && self.stays(index + 1, self.indent * INDENT);
                    if !inline && !fits {
                        self.newline(self.indent, blank);
                    }
                }
                Atom::Comment {
                    text,
                    own_line,
                    blank,
                } => {
                    if *own_line || self.owed {
                        let continued = !self.members_next.get(index).copied().unwrap_or(true);
                        let level = self.indent + if continued { CONTINUED } else { 0 };
                        self.newline(level, *blank && !self.after_open);
                    }
                    self.put(text, self.content);
                    self.owed = true;
                    self.after_open = false;
                }
                Atom::Open {
                    bracket,
                    space,
                    broken,
                } => {
                    self.settle();
                    let flat = self.flat.get(index).copied().flatten();
                    let fits =
                        flat.is_some_and(|flat| self.column + usize::from(*space) + flat <= WIDTH);
                    let one_line = inline || (!broken && fits);
                    self.put(bracket, *space && self.content);
                    self.inline.push(one_line);
                    if !one_line {
                        self.indent += 1;
                        self.after_open = true;
                    }
                }
                Atom::Close { bracket } => {
                    let one_line = self.inline.pop().unwrap_or(false);
                    if one_line {
                        let empty = matches!(
                            index.checked_sub(1).and_then(|i| self.atoms.get(i)),
                            Some(Atom::Open { .. })
                        );
                        self.put(bracket, !empty && *bracket == "}");
                    } else {
                        self.indent = self.indent.saturating_sub(1);
                        self.newline(self.indent, false);
                        self.put(bracket, false);
                    }
                    self.owed = false;
                    self.after_open = false;
                }
                Atom::Soft => {
                    if !inline && self.content && !self.owed {
                        let continued = (self.indent + CONTINUED) * INDENT;
                        if !self.stays(index + 1, continued) && self.column > continued {
                            self.newline(self.indent + CONTINUED, false);
                        }
                    }
                }
                Atom::Continued => {
                    self.owed = false;
                    self.newline(self.indent + CONTINUED, false);
                }
                Atom::Token { text, space, piece } => {
                    self.settle();
                    let space = *space && self.content;
                    if *piece == Piece::No {
                        self.put(text, space);
                    } else {
                        let trailing = match piece {
                            Piece::Last => self.chunk(index + 1).0,
                            _ => 0,
                        };
                        self.text(text, space, trailing);
                    }
                    self.after_open = false;
                }
            }
        }
        while self.out.ends_with(['\n', ' ']) {
            self.out.pop();
        }
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out
    }

    /// Starts a continued line if a comment ended the last one.
    fn settle(&mut self) {
        if self.owed {
            self.owed = false;
            self.newline(self.indent + CONTINUED, false);
        }
    }

    fn put(&mut self, text: &str, space: bool) {
        if space {
            self.out.push(' ');
            self.column += 1;
        }
        self.out.push_str(text);
        match text.rfind('\n') {
            Some(newline) => self.column = width(text.get(newline + 1..).unwrap_or_default()),
            None => self.column += width(text),
        }
        self.content = true;
    }

    /// Ends the line (once, with a blank line after it if asked) and indents the next.
    fn newline(&mut self, level: usize, blank: bool) {
        if self.content {
            self.out.push('\n');
        } else {
            while self.out.ends_with(' ') {
                self.out.pop();
            }
        }
        if self.out.is_empty() {
            return;
        }
        if blank && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
        for _ in 0..level * INDENT {
            self.out.push(' ');
        }
        self.column = level * INDENT;
        self.content = false;
        self.owed = false;
    }

    /// Whether what follows `from`, up to the next place a line may break, stays on this line
    /// rather than starting one at column `there`: it fits here; and when it ends with a body
    /// that could be on one line, the body fits here too, or would not fit there either.
    fn stays(&self, from: usize, there: usize) -> bool {
        let (next, body) = self.chunk(from);
        let here = self.column + 1;
        if here + next > WIDTH {
            return false;
        }
        body.is_none_or(|body| here + next + body <= WIDTH || there + next + body > WIDTH)
    }

    /// The width of what follows `from` up to the next place a line may break (up to a `{`
    /// included), and when that ends with a body that may be on one line, the width of the
    /// body after its `{`. Whether the body is on the line is decided at its `{`, by the
    /// column it is at.
    fn chunk(&self, from: usize) -> (usize, Option<usize>) {
        let mut total = 0;
        for (index, atom) in self.atoms.iter().enumerate().skip(from) {
            match atom {
                Atom::Token { text, space, .. } => {
                    total += usize::from(*space) + width(text.split('\n').next().unwrap_or(""));
                    if text.contains('\n') {
                        break;
                    }
                }
                Atom::Open { space, broken, .. } => {
                    let flat = self.flat.get(index).copied().flatten();
                    let body = flat.filter(|_| !broken).map(|flat| flat.saturating_sub(1));
                    return (total + usize::from(*space) + 1, body);
                }
                _ => break,
            }
        }
        (total, None)
    }

    /// A piece of a text, cut into pieces on lines of their own if it is longer than its line.
    fn text(&mut self, piece: &str, space: bool, trailing: usize) {
        let continued = (self.indent + CONTINUED) * INDENT;
        let available = WIDTH.saturating_sub(self.column + usize::from(space));
        let content = piece
            .strip_prefix('"')
            .and_then(|p| p.strip_suffix('"'))
            .filter(|content| !content.contains('\n'));
        let Some(content) = content.filter(|_| width(piece) + trailing > available) else {
            self.put(piece, space);
            return;
        };
        let lines = cut(
            content,
            available,
            WIDTH.saturating_sub(continued),
            trailing,
        );
        for (index, line) in lines.iter().enumerate() {
            if index > 0 {
                self.newline(self.indent + CONTINUED, false);
            }
            self.put(&format!("\"{line}\""), space && index == 0);
        }
    }
}

/// A text's content cut into lines: the first within `first` columns, the others within
/// `rest`, each with its quotes, and the last with room for `trailing` after it. Cuts are made
/// after spaces that are not part of an escape; a word longer than its line stays whole.
fn cut(content: &str, first: usize, rest: usize, trailing: usize) -> Vec<&str> {
    // Each place a cut may be made: its byte offset, and the characters before it.
    let mut cuts = Vec::new();
    let mut escaped = false;
    let mut total = 0;
    for (index, c) in content.char_indices() {
        total += 1;
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, ' ') if index + 1 < content.len() => cuts.push((index + 1, total)),
            _ => {}
        }
    }
    let mut lines = Vec::new();
    let (mut start, mut before) = (0, 0);
    let mut available = first;
    let mut next = 0;
    while total - before + 2 > available {
        // The last cut that keeps the line within its width, or else the first.
        let mut chosen = None;
        while let Some(&(offset, chars)) = cuts.get(next) {
            let fits = chars - before + 2 <= available;
            if !fits && chosen.is_some() {
                break;
            }
            chosen = Some((offset, chars));
            next += 1;
            if !fits {
                break;
            }
        }
        let Some((offset, chars)) = chosen else {
            break;
        };
        lines.push(content.get(start..offset).unwrap_or_default());
        (start, before) = (offset, chars);
        available = rest;
    }
    // The last line leaves room for what follows it, if its last word can have a line.
    if total - before + 2 + trailing > available {
        if let Some(&(offset, _)) = cuts.last().filter(|(offset, _)| *offset > start) {
            lines.push(content.get(start..offset).unwrap_or_default());
            lines.push(content.get(offset..).unwrap_or_default());
            return lines;
        }
    }
    lines.push(content.get(start..).unwrap_or_default());
    lines
}

/// For each atom, whether the next atom that is not a comment starts a member or closes a body
/// (or there is none).
fn members_next(atoms: &[Atom<'_>]) -> Vec<bool> {
    let mut next = vec![true; atoms.len()];
    let mut member = true;
    for (index, atom) in atoms.iter().enumerate().rev() {
        if let Some(slot) = next.get_mut(index) {
            *slot = member;
        }
        if !matches!(atom, Atom::Comment { .. }) {
            member = matches!(atom, Atom::Member { .. } | Atom::Close { .. });
        }
    }
    next
}

/// The width of each `{`'s body laid on one line, `{ … }`, or `None` where it cannot be: it
/// holds a comment, a text in pieces or a body that is not on one line.
fn flat_widths(atoms: &[Atom<'_>]) -> Vec<Option<usize>> {
    let mut flat = vec![None; atoms.len()];
    // For each body open: its `{`, its width so far, and whether it can be on one line.
    let mut stack: Vec<(usize, usize, bool)> = Vec::new();
    for (index, atom) in atoms.iter().enumerate() {
        let Some(top) = stack.last_mut() else {
            if let Atom::Open { .. } = atom {
                stack.push((index, 1, true));
            }
            continue;
        };
        match atom {
            Atom::Token { text, space, .. } => {
                top.1 += usize::from(*space) + width(text);
                top.2 &= !text.contains('\n');
            }
            Atom::Continued | Atom::Comment { .. } => top.2 = false,
            Atom::Open { broken, .. } => {
                top.2 &= !broken;
                stack.push((index, 1, true));
            }
            Atom::Close { bracket } => {
                let Some((open, inner, ok)) = stack.pop() else {
                    continue;
                };
                let empty = matches!(
                    index.checked_sub(1).and_then(|i| atoms.get(i)),
                    Some(Atom::Open { .. })
                );
                let body = inner + if empty || *bracket == "]" { 1 } else { 2 };
                if let Some(slot) = flat.get_mut(open) {
                    *slot = ok.then_some(body);
                }
                if let Some(parent) = stack.last_mut() {
                    let space = matches!(atoms.get(open), Some(Atom::Open { space: true, .. }));
                    parent.1 += usize::from(space) + body;
                    parent.2 &= ok;
                }
            }
            Atom::Soft | Atom::Member { .. } => {}
        }
    }
    flat
}

#[cfg(test)]
mod tests {
    use super::format;

    fn formatted(source: &str) -> String {
        let once = format(source);
        assert!(once.is_ok(), "{once:?}");
        let once = once.unwrap_or_default();
        assert_eq!(
            format(&once).ok().as_deref(),
            Some(once.as_str()),
            "formatting the formatted text changes it"
        );
        once
    }

    #[test]
    fn members_start_lines_indented_by_their_bodies() {
        let source = "section main \"Main\" {\nquestion q1 \"A { brace\" :text {   \n      help \"Help\"   # why\n}\n\n\n\n  }\n";
        let expected = "section main \"Main\" {\n  question q1 \"A { brace\" : text {\n    help \"Help\" # why\n  }\n}\n";
        assert_eq!(formatted(source), expected);
    }

    #[test]
    fn a_body_written_on_one_line_stays_on_it_when_it_fits() {
        let source = "section s \"S\" {\n  question q1 \"Q\" : one of { yes \"Yes\"  no \"No\" } { cites g 1 (a)  }\n  question q2 \"Q\" : one of {\n yes \"Yes\" no \"No\" }\n}\n";
        let expected = "section s \"S\" {\n  question q1 \"Q\" : one of { yes \"Yes\" no \"No\" } { cites g 1 (a) }\n  question q2 \"Q\" : one of {\n    yes \"Yes\"\n    no \"No\"\n  }\n}\n";
        assert_eq!(formatted(source), expected);
    }

    #[test]
    fn clauses_come_in_their_order_with_their_comments() {
        let source = "section s \"S\" {\n  question q1 \"Q\" : text {\n    item q1a \"A\" : text\n    # Why it is optional.\n    optional\n    help \"H\" # help\n    cites g 1\n  }\n}\n";
        let expected = "section s \"S\" {\n  question q1 \"Q\" : text {\n    cites g 1\n    help \"H\" # help\n    # Why it is optional.\n    optional\n    item q1a \"A\" : text\n  }\n}\n";
        assert_eq!(formatted(source), expected);
    }

    #[test]
    fn a_long_text_is_cut_after_spaces_into_pieces() {
        let words = "word ".repeat(40);
        let source = format!("section s \"S\" {{\n  text \"{}end\"\n}}\n", words);
        let out = formatted(&source);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 4, "{out}");
        assert!(
            lines
                .iter()
                .all(|line| line.chars().count() <= super::WIDTH),
            "{out}"
        );
        assert!(
            lines
                .get(1)
                .is_some_and(|l| l.starts_with("  text \"word ")),
            "{out}"
        );
        assert!(
            lines.get(2).is_some_and(|l| l.starts_with("      \"word ")),
            "{out}"
        );
        let joined: String = out.split('"').skip(3).step_by(2).collect();
        assert_eq!(joined, format!("{words}end"));
    }

    #[test]
    fn a_long_declaration_is_continued_before_its_condition() {
        let label = "A question whose label is long enough to leave no room for its condition";
        let source = format!(
            "section s \"S\" {{\n  question q2 \"{label}\" : text when q1 = yes and q0 = no\n}}\n"
        );
        let expected = format!(
            "section s \"S\" {{\n  question q2 \"{label}\" : text\n      when q1 = yes and q0 = no\n}}\n"
        );
        assert_eq!(formatted(&source), expected);
    }

    #[test]
    fn a_declaration_is_continued_where_its_short_body_then_fits() {
        // The label and the type fit on the line, the body after them does not: the type goes
        // to the next line, where the body fits beside it.
        let label = "Working to develop certification and professional qualifications?";
        let source = format!(
            "section s \"S\" {{\n  question q5 \"Q\" {{\n    item q5c \"{label}\" : yes_no {{ cites guidelines 18 (c) }}\n  }}\n}}\n"
        );
        let expected = format!(
            "section s \"S\" {{\n  question q5 \"Q\" {{\n    item q5c \"{label}\"\n        : yes_no {{ cites guidelines 18 (c) }}\n  }}\n}}\n"
        );
        assert_eq!(formatted(&source), expected);
        // Where the body would not fit on the next line either, it opens its lines here.
        let long = format!("{{ cites guidelines 18 (c) help \"{}\" }}", "h".repeat(60));
        let source = source.replace("{ cites guidelines 18 (c) }", &long);
        let out = formatted(&source);
        assert!(out.contains(&format!("\"{label}\" : yes_no {{\n")), "{out}");
    }

    #[test]
    fn spaces_follow_the_signs() {
        let source = "block b( x : item ,t:text ) {\n  calc c \"C\" = max( x ,1 ) + count( l where this.k = a ; missing none )\n  check x in [ a,b ] else error \"E\"\n}\ntest \"T\" { given { x = a , l = [ { k = a } ] } expect valid }\n";
        let expected = "block b(x: item, t: text) {\n  calc c \"C\" = max(x, 1) + count(l where this.k = a; missing none)\n  check x in [a, b] else error \"E\"\n}\ntest \"T\" { given { x = a, l = [{ k = a }] } expect valid }\n";
        assert_eq!(formatted(source), expected);
    }

    #[test]
    fn texts_across_lines_comments_and_blank_lines() {
        let source = "\n\n# head\ninstrument i { title \"one\n   two  \"\n}\r\n\r\n\r\n# end  \n\n";
        let expected = "# head\ninstrument i {\n  title \"one\n   two  \"\n}\n\n# end\n";
        assert_eq!(formatted(source), expected);
    }

    #[test]
    fn what_does_not_parse_is_refused() {
        assert!(format("section {").is_err());
    }
}

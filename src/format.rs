//! `qc fmt`: one layout for `.q` sources. What it changes is whitespace outside texts and
//! comments, so a formatted file compiles to the same form:
//!
//! - each line is indented two spaces for each brace, bracket or parenthesis open at its start
//!   (a line that starts by closing some is indented as the line that opened them), and two
//!   more when it continues the line before, which opened nothing: it starts with `when`, `on`,
//!   `and`, `or` or `else`, or it was indented more than its brackets ask (the second piece of
//!   a text, the rest of a long formula);
//! - no space at the end of a line; tabs in the indentation become spaces;
//! - at most one blank line in a row, none at the start or the end of the file, none just
//!   after a line that opens a brace or just before one that closes it;
//! - one line break at the end of the file, `\n` (a `\r\n` file becomes `\n`).
//!
//! Texts are kept byte for byte, even across lines, and comments are kept where they are,
//! indented with the code around them. The layout depends on the tokens alone, so formatting a
//! formatted file changes nothing.

/// Spaces of indentation for each level.
pub const INDENT: usize = 2;

/// Words that, at the start of a line, continue the declaration of the line before.
const CONTINUATIONS: [&str; 5] = ["when", "on", "and", "or", "else"];

/// The canonical layout of a source text.
pub fn format(source: &str) -> String {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut out = String::with_capacity(source.len() + source.len() / 8);
    let mut scan = Scan::default();
    let mut blank = false;
    // What the line before did.
    let mut previous: Option<Line> = None;
    for raw in source.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        // A line that starts inside a text is part of it: kept as it is.
        if scan.in_string {
            out.push_str(raw);
            out.push('\n');
            scan.line(raw);
            previous = None;
            blank = false;
            continue;
        }
        let text = raw.trim();
        if text.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        let closers = text
            .chars()
            .take_while(|c| matches!(c, '}' | ']' | ')'))
            .count();
        let opens_after = previous.is_some_and(|line| line.opened);
        if blank && !opens_after && closers == 0 {
            out.push('\n');
        }
        blank = false;
        let mut depth = scan.depth.saturating_sub(closers);
        let first_word = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()
            .unwrap_or_default();
        // A line that continues the one before (which opened nothing): one level more.
        let indented = raw.len() - raw.trim_start().len();
        let continues = CONTINUATIONS.contains(&first_word) || indented > depth * INDENT;
        if continues && closers == 0 && previous.is_some_and(|line| !line.opened) {
            depth += 1;
        }
        for _ in 0..depth * INDENT {
            out.push(' ');
        }
        let before = scan.depth;
        let ends_in_string = scan.line(text);
        // A line that ends inside a text keeps its end as written (it is part of the text).
        if ends_in_string {
            out.push_str(raw.trim_start());
        } else {
            out.push_str(text);
        }
        out.push('\n');
        previous = Some(Line {
            opened: scan.depth > before,
        });
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// What the layout of the next line needs to know of a line.
#[derive(Clone, Copy)]
struct Line {
    /// It leaves more brackets open than it found.
    opened: bool,
}

/// The tokens read so far: how many brackets are open, and whether a text is.
#[derive(Default)]
struct Scan {
    depth: usize,
    in_string: bool,
    escaped: bool,
}

impl Scan {
    /// Reads a line (without its line break); gives whether it ends inside a text.
    fn line(&mut self, line: &str) -> bool {
        for c in line.chars() {
            if self.in_string {
                match (self.escaped, c) {
                    (true, _) => self.escaped = false,
                    (false, '\\') => self.escaped = true,
                    (false, '"') => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => self.in_string = true,
                '#' => break,
                '{' | '[' | '(' => self.depth += 1,
                '}' | ']' | ')' => self.depth = self.depth.saturating_sub(1),
                _ => {}
            }
        }
        self.in_string
    }
}

#[cfg(test)]
mod tests {
    use super::format;

    #[test]
    fn indentation_follows_the_brackets() {
        let source = "section main \"Main\" {\nquestion q1 \"A { brace\" : text {   \n      help \"Help\"   # why\n}\n\n\n\n  }\n";
        let expected = "section main \"Main\" {\n  question q1 \"A { brace\" : text {\n    help \"Help\"   # why\n  }\n}\n";
        assert_eq!(format(source), expected);
        assert_eq!(format(expected), expected);
    }

    #[test]
    fn a_declaration_continued_on_the_next_line_is_indented_once_more() {
        let source =
            "block b() {\n  grid g \"G\"\n  when x = yes\n  {\n    column c \"C\"\n  }\n}\n";
        let expected =
            "block b() {\n  grid g \"G\"\n    when x = yes\n  {\n    column c \"C\"\n  }\n}\n";
        assert_eq!(format(source), expected);
        assert_eq!(format(expected), expected);
    }

    #[test]
    fn texts_across_lines_and_blank_lines() {
        let source = "\n\ninstrument i { title \"one\n   two  \" }\r\n\r\n\r\n# end  \n\n";
        let expected = "instrument i { title \"one\n   two  \" }\n\n# end\n";
        assert_eq!(format(source), expected);
        assert_eq!(format(expected), expected);
    }

    #[test]
    fn a_line_indented_more_continues_the_one_before() {
        let source = "section s \"S\" {\n  text \"one \"\n         \"two\"\n  calc c \"C\" =\n            max(a, b)\n      { shown }\n    text \"three\"\n}\n";
        let expected = "section s \"S\" {\n  text \"one \"\n    \"two\"\n  calc c \"C\" =\n    max(a, b)\n    { shown }\n    text \"three\"\n}\n";
        assert_eq!(format(source), expected);
        assert_eq!(format(expected), expected);
    }

    #[test]
    fn arguments_in_parentheses_are_indented() {
        let source = "use b(\nneeds = q25,\nareas = {\nrow a \"A\"\n}\n)\n";
        let expected = "use b(\n  needs = q25,\n  areas = {\n    row a \"A\"\n  }\n)\n";
        assert_eq!(format(source), expected);
    }
}

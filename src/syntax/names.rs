//! Human names for grammar rules, and the one message a syntax error gets.
//!
//! pest reports what it expected as rule names (`item_head`) and literal tokens (`"{"`). A
//! designer should read "expected a label (a quoted text)", so every rule that can be expected
//! has a name in words here, and tokens are shown as written.

use pest::error::{ErrorVariant, InputLocation};

use super::{lower, Rule, SyntaxError};
use crate::span::Span;

/// The most alternatives one message lists.
const MAX_EXPECTED: usize = 12;

/// What a rule is called in an error message, or `None` for rules whose own name would not help
/// (their first token is reported instead).
fn rule_name(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "the end of the file",
        Rule::instrument => "`instrument`",
        Rule::scale => "`scale`",
        Rule::document => "`document`",
        Rule::introduction => "`introduction`",
        Rule::section => "`section`",
        Rule::respondent | Rule::respondent_word => "`respondent`",
        Rule::report => "`report`",
        Rule::report_heading => "a heading of the report (`heading id \"Title\"`)",
        Rule::feeds => "`feeds`",
        Rule::ident | Rule::scale_name => "a name",
        Rule::string | Rule::string_part => "a quoted text",
        Rule::number => "a number",
        Rule::date => "a date (YYYY-MM-DD)",
        Rule::currency => "a currency code such as `USD`",
        Rule::para_number | Rule::para_ref | Rule::para_refs => "a paragraph number",
        Rule::sub_letter => "a subparagraph letter",
        Rule::header_field | Rule::header_key => {
            "a header field (`title`, `resolution`, `version`, `language`, `date` or `status`)"
        }
        Rule::options => "`{` and the options",
        Rule::option => "an option (a code and its label)",
        Rule::source => "`source`",
        Rule::paragraph => "`para`",
        Rule::subparagraphs => "`{` and the subparagraphs",
        Rule::subparagraph => "a subparagraph such as `(a) \"…\"`",
        Rule::text => "`text`",
        Rule::heading => "`heading`",
        Rule::quote => "`quote`",
        Rule::question => "`question`",
        Rule::sub_item => "`item`",
        Rule::ask => "`ask`",
        Rule::followup => "`followup`",
        Rule::field | Rule::record_field => "`field`",
        Rule::item_head => "an item id",
        Rule::on_answers => "`on`",
        Rule::when => "`when`",
        Rule::item_body => "`{`",
        Rule::cites => "`cites`",
        Rule::help => "`help`",
        Rule::note => "`note`",
        Rule::optional => "`optional`",
        Rule::required => "`required`",
        Rule::grid => "`grid`",
        Rule::column => "`column`",
        Rule::row => "`row`",
        Rule::text_type
        | Rule::long_text_type
        | Rule::date_type
        | Rule::country_type
        | Rule::number_type
        | Rule::integer_type
        | Rule::amount_type
        | Rule::one_of
        | Rule::many_of
        | Rule::list_type
        | Rule::type_keyword => "an answer type",
        Rule::min_bound => "`min`",
        Rule::max_bound => "`max`",
        Rule::expr | Rule::disjunction | Rule::conjunction | Rule::negation | Rule::comparison => {
            "a condition"
        }
        Rule::name => "a name",
        Rule::arguments => "`(` and the values of a function",
        Rule::add_op => "`+` or `-`",
        Rule::mul_op => "`*` or `/`",
        Rule::calc => "`calc`",
        Rule::constraint => "`check`",
        Rule::special => "`special`",
        Rule::allow_special => "`allow`",
        Rule::table => "`table`",
        Rule::cell_type => "a cell type (`integer`, `number` or `amount`)",
        Rule::table_row | Rule::total_row => "`row`",
        Rule::table_column | Rule::total_column => "`column`",
        Rule::min_records => "`min`",
        Rule::max_records => "`max`",
        Rule::answered => "`answered(…)`",
        Rule::boolean => "`true` or `false`",
        Rule::code_list => "a list of codes in brackets",
        Rule::or_op => "`or`",
        Rule::and_op => "`and`",
        Rule::not_op => "`not`",
        Rule::in_op => "`in`",
        Rule::has_op => "`has`",
        Rule::compare_op => "a comparison (`=`, `!=`, `<`, `<=`, `>`, `>=`)",
        Rule::import => "`import`",
        Rule::from_import => "`from`",
        Rule::path => "a name",
        Rule::block => "`block`",
        Rule::parameter => "a parameter such as `topic: text`",
        Rule::parameter_kind => "`item`, `text` or `rows`",
        Rule::use_block => "`use`",
        Rule::argument => "an argument such as `topic = \"…\"`",
        Rule::row_list => "`{` and rows",
        Rule::row_splice => "`rows`",
        Rule::rows_decl => "`rows`",
        Rule::translation => "`translation`",
        Rule::test => "`test`",
        Rule::given => "`given`",
        Rule::given_answer => "an answer such as `q1 = yes`",
        Rule::given_target => "an item id",
        Rule::test_amount => "an amount such as `1500 EUR`",
        Rule::test_records => "records such as `[{ name = \"Ana\", age = 41 }]`",
        Rule::test_record => "a record such as `{ name = \"Ana\", age = 41 }`",
        Rule::record_answer => "a field such as `age = 41`",
        Rule::expectation => "`expect`",
        Rule::expect_problem => "`problem`, `error` or `warning`",
        Rule::problem_kind => "`problem`, `error` or `warning`",
        Rule::expect_value => "a value such as `women_share = 20`",
        Rule::problem_code => "a problem code such as `V0107`",
        Rule::expect_item => "an item id",
        _ => return None,
    })
}

/// Where an expected alternative goes in the message: what continues the construct at hand
/// first, then values, then what would start the next construct, then closing braces.
fn rank(name: &str) -> u8 {
    match name {
        "`:`" | "`(`" | "`[`" | "`=`" | "`,`" | "`)`" | "`]`" => 0,
        "`on`" | "`when`" | "`{`" | "`and`" | "`or`" => 1,
        _ if !name.starts_with('`') && name != "the end of the file" => 2,
        "`}`" => 4,
        "the end of the file" => 5,
        _ => 3,
    }
}

/// The construct being written at `offset`: the keyword that starts its statement, read from
/// the text of the line (or of the previous non-blank line when the error is at a line start).
fn construct(source: &str, offset: usize) -> Option<Rule> {
    let before = &source[..offset.min(source.len())];
    let line = before.rsplit('\n').find(|line| !line.trim().is_empty())?;
    // The last condition or citation keyword wins; else the statement's first word.
    for (keyword, rule) in [
        (" when ", Rule::when),
        (" on ", Rule::when),
        ("cites ", Rule::cites),
        ("quote ", Rule::quote),
    ] {
        if line.contains(keyword) {
            return Some(rule);
        }
    }
    // Inside a list's braces, opened on that line, or at one of its fields.
    if line.contains(": list") && line.trim_end().ends_with('{') {
        return Some(Rule::list_type);
    }
    let word = line.split_whitespace().next()?;
    Some(match word {
        "instrument" | "title" | "resolution" | "version" | "language" | "date" | "status" => {
            Rule::instrument
        }
        "scale" => Rule::scale,
        "document" | "para" | "source" => Rule::document,
        "section" => Rule::section,
        "respondent" => Rule::respondent,
        "report" => Rule::report,
        "question" | "item" | "ask" | "followup" | "field" => Rule::question,
        "grid" | "column" | "row" => Rule::grid,
        "list" => Rule::list_type,
        "calc" => Rule::calc,
        "check" => Rule::constraint,
        "special" => Rule::special,
        "table" | "total" => Rule::table,
        _ => return None,
    })
}

/// What to tell a designer about the construct being written when the error came.
fn construct_help(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::instrument | Rule::header_field => {
            "the header reads `instrument id { title \"…\" version \"…\" language \"en\" }`"
        }
        Rule::scale | Rule::options | Rule::option => {
            "a scale reads `scale yes_no { yes \"Yes\" no \"No\" }`"
        }
        Rule::document | Rule::paragraph | Rule::subparagraphs | Rule::subparagraph => {
            "a document reads `document id \"Title\" { para 1 \"…\" { (a) \"…\" } }`"
        }
        Rule::question | Rule::sub_item | Rule::ask | Rule::followup | Rule::field => {
            "an item reads `question id \"Label\" : type when condition { … }`"
        }
        Rule::item_head | Rule::item_body => {
            "an item reads `question id \"Label\" : type when condition { … }`"
        }
        Rule::grid | Rule::column | Rule::row => {
            "a grid reads `grid id \"Label\" { column id \"Label\" row id \"Label\" }`"
        }
        Rule::expr
        | Rule::disjunction
        | Rule::conjunction
        | Rule::negation
        | Rule::comparison
        | Rule::code_list
        | Rule::when => "a condition reads `q25 = yes or q26 in [yes, no]`",
        Rule::cites | Rule::quote | Rule::para_refs | Rule::para_ref => {
            "paragraphs are cited as `cites guidelines 6 (a), 8 and 25`"
        }
        Rule::list_type | Rule::record_field => {
            "a list reads `list { field title \"Title\" : text }`; the item's own members (`optional`, `help`, `allow uncited`) go in braces after it: `list { field … } { optional }`"
        }
        Rule::calc => "a calculated value reads `calc n_guides \"Guides listed\" = count(q24)`",
        Rule::constraint | Rule::severity => {
            "a constraint reads `check male + female <= total else error \"…\"`"
        }
        Rule::special => "a special answer reads `special dont_know \"Don't know\"`",
        Rule::table | Rule::table_row | Rule::table_column | Rule::total_row | Rule::total_column => {
            "a table reads `table id \"Label\" : integer { row id \"…\" column id \"…\" total row total \"Total\" }`"
        }
        Rule::section => "a section reads `section id \"Title\" { … }`",
        Rule::report | Rule::report_heading => {
            "the report's headings read `report { heading difficulties \"Difficulties encountered\" }`"
        }
        Rule::respondent | Rule::respondent_word => {
            "the respondent block reads `respondent \"About the reply\" { question country \"Country\" : text … }`"
        }
        Rule::import | Rule::from_import => {
            "an import reads `import \"common/scales.q\" as common` or `from \"common/scales.q\" import yes_no`"
        }
        Rule::block | Rule::parameter | Rule::parameter_kind => {
            "a block reads `block name(id: item, topic: text, areas: rows) { … }`"
        }
        Rule::use_block | Rule::argument | Rule::row_list => {
            "a block is used as `use name(id = q27, topic = \"…\", areas = { row … })`"
        }
        Rule::rows_decl => "named rows read `rows areas { row social \"Social crime prevention\" … }`",
        Rule::translation => "a translation reads `translation fr \"translations/fr.json\"`",
        Rule::test | Rule::given | Rule::given_answer | Rule::expectation | Rule::expect_item => {
            "a test reads `test \"name\" { given { q1 = yes } expect q1_steps asked }`"
        }
        _ => return None,
    })
}

/// Turns pest's error into the syntax error a designer reads.
pub(super) fn describe(source: &str, error: pest::error::Error<Rule>) -> SyntaxError {
    // Parse once more with pest's attempt tracking on: it names the literal tokens that could
    // have come next, which the rule list alone omits. Only failed parses pay for it.
    pest::set_error_detail(true);
    let error = match lower::parse_pairs(source) {
        Err(detailed) => detailed,
        Ok(_) => error,
    };
    let offset = match error.location {
        InputLocation::Pos(offset) => offset,
        InputLocation::Span((start, _)) => start,
    };
    let mut expected: Vec<String> = Vec::new();
    fn push(expected: &mut Vec<String>, name: String) {
        if !expected.contains(&name) {
            expected.push(name);
        }
    }
    if let ErrorVariant::ParsingError { positives, .. } = &error.variant {
        for rule in positives {
            if let Some(name) = rule_name(*rule) {
                push(&mut expected, name.to_owned());
            }
        }
    }
    if let Some(attempts) = error.parse_attempts() {
        for token in attempts.expected_tokens() {
            let token = token.to_string();
            let quoted = format!("`{token}`");
            // A token that a rule's name already shows, as in "a cell type (`integer`, …)".
            let named = expected.iter().any(|name| name.contains(&quoted));
            if is_literal(&token) && !named {
                push(&mut expected, quoted);
            }
        }
    }
    expected.sort_by_key(|name| rank(name));
    if unterminated(source, offset) {
        return SyntaxError::Unterminated {
            span: Span::new(offset, offset + 1),
        };
    }
    let span = found_span(source, offset);
    if let Some(rewrite) = chained_comparison(source, offset) {
        return SyntaxError::Unexpected {
            message: "comparisons do not chain".to_owned(),
            span,
            found: "a second comparison".to_owned(),
            help: format!("compare twice, joined by `and`: `{rewrite}`"),
        };
    }
    let found = if span.start >= source.len() {
        "the file ends here".to_owned()
    } else {
        format!("unexpected `{}`", &source[span.start..span.end])
    };
    let message = if expected.is_empty() {
        "unexpected input".to_owned()
    } else {
        format!("expected {}", list(&expected))
    };
    SyntaxError::Unexpected {
        message,
        span,
        found,
        help: construct(source, offset)
            .and_then(construct_help)
            .unwrap_or("see `docs/language.md` for the constructs of the language")
            .to_owned(),
    }
}

/// The comparisons to write for a chain such as `5 <= age <= 17`, when the parse stops at its
/// second operator: `5 <= age and age <= 17`.
fn chained_comparison(source: &str, offset: usize) -> Option<String> {
    const OPERATORS: [&str; 6] = ["<=", ">=", "!=", "<", ">", "="];
    let rest = source.get(offset..)?;
    let second = OPERATORS.iter().find(|op| rest.starts_with(**op))?;
    // The comparison before it, back to what starts a condition or a part of one.
    let line = source.get(..offset)?.rsplit('\n').next()?;
    let start = ["when ", "check ", " and ", " or ", "(", "not ", "if("]
        .iter()
        .filter_map(|boundary| line.rfind(boundary).map(|at| at + boundary.len()))
        .max()
        .unwrap_or(0);
    let before = line.get(start..)?;
    let (at, first) = OPERATORS
        .iter()
        .filter_map(|op| before.find(op).map(|at| (at, *op)))
        .min_by_key(|(at, op)| (*at, std::cmp::Reverse(op.len())))?;
    let left = before.get(..at)?.trim();
    let middle = before.get(at + first.len()..)?.trim();
    let right: String = rest
        .get(second.len()..)?
        .trim_start()
        .chars()
        .take_while(|c| !c.is_whitespace() && !"{}()[],".contains(*c))
        .collect();
    if left.is_empty() || middle.is_empty() || right.is_empty() || middle.contains(' ') {
        return None;
    }
    Some(format!(
        "{left} {first} {middle} and {middle} {second} {right}"
    ))
}

/// Whether an expected token, as pest displays it, is a literal worth naming: not blank space,
/// not a comment's `#`, not a character range (`a..z`) nor a built-in rule, and not the first
/// character or word of a value that a rule name already announces.
fn is_literal(token: &str) -> bool {
    let is_range = token.chars().count() == 4 && token.chars().skip(1).take(2).eq("..".chars());
    let starts_value = matches!(token, "\"" | "-" | "_" | "answered" | "true" | "false");
    !(token.trim().is_empty()
        || token.trim_start_matches('\u{feff}').is_empty()
        || token == "#"
        || token == "BUILTIN_RULE"
        || is_range
        || starts_value)
}

/// Whether a quoted text opens at `offset` and never closes.
fn unterminated(source: &str, offset: usize) -> bool {
    let Some(rest) = source.get(offset..).and_then(|rest| rest.strip_prefix('"')) else {
        return false;
    };
    let mut escaped = false;
    for c in rest.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return false,
            _ => {}
        }
    }
    true
}

/// The word, number or character at `offset`.
fn found_span(source: &str, offset: usize) -> Span {
    let rest = &source[offset.min(source.len())..];
    let word = rest
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(rest.len(), |(i, _)| i);
    let len = if word > 0 {
        word
    } else {
        rest.chars().next().map_or(0, char::len_utf8)
    };
    Span::new(offset, offset + len)
}

/// `a`, `a or b`, `a, b or c`; at most [`MAX_EXPECTED`] of them.
fn list(items: &[String]) -> String {
    let shown = items.get(..MAX_EXPECTED).unwrap_or(items);
    match shown {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => {
            let more = if items.len() > shown.len() {
                ", …"
            } else {
                ""
            };
            format!("{}{more} or {last}", init.join(", "))
        }
    }
}

//! Properties: compiling is deterministic, and no mutation of the bundled instrument makes qc
//! panic or fail without a located diagnostic.

use proptest::prelude::*;

use qc::cli::FileLoader;
use qc::syntax::ast::Declaration;

use super::loader::folder_loader;
use super::{read, root};

fn instrument() -> String {
    read(&root().join("questionnaires/crime-prevention.q"))
}

/// Compiles a text as `questionnaires/crime-prevention.q`, with the bundled modules.
fn compile(source: &str) -> qc::Compilation {
    let root = root().join("questionnaires");
    qc::compile_with(
        "crime-prevention.q",
        source.as_bytes(),
        &mut folder_loader(&root, "crime-prevention.q"),
    )
}

#[test]
fn compiling_is_deterministic() {
    let source = instrument();
    let first = qc::emit::json::to_string(&compile(&source).instrument.expect("compiles"));
    for _ in 0..3 {
        let again = qc::emit::json::to_string(&compile(&source).instrument.expect("compiles"));
        assert_eq!(first, again);
    }
}

/// A mutation of a source text.
#[derive(Clone, Debug)]
enum Mutation {
    DeleteLine(usize),
    Truncate(usize),
    SwapTokens(usize, usize),
    DuplicateLine(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapTokens(a, b)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
    ]
}

fn apply(source: &str, mutation: &Mutation) -> String {
    // Earlier mutations may have cut the text to nothing; nothing is left to mutate.
    if source.is_empty() {
        return String::new();
    }
    let lines: Vec<&str> = source.lines().collect();
    match *mutation {
        Mutation::DeleteLine(n) => {
            let n = n % lines.len();
            lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != n)
                .map(|(_, l)| *l)
                .collect::<Vec<_>>()
                .join("\n")
        }
        Mutation::DuplicateLine(n) => {
            let n = n % lines.len();
            let mut out = lines.clone();
            out.insert(n, lines[n]);
            out.join("\n")
        }
        Mutation::Truncate(n) => {
            let mut cut = n % source.len();
            while !source.is_char_boundary(cut) {
                cut -= 1;
            }
            source[..cut].to_owned()
        }
        Mutation::SwapTokens(a, b) => {
            let mut tokens: Vec<&str> = source.split(' ').collect();
            let (a, b) = (a % tokens.len(), b % tokens.len());
            tokens.swap(a, b);
            tokens.join(" ")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn mutations_never_panic_and_errors_have_locations(mutations in prop::collection::vec(mutation(), 1..4)) {
        let mut source = instrument();
        for mutation in &mutations {
            source = apply(&source, mutation);
        }
        let compilation = compile(&source);
        if compilation.instrument.is_none() {
            prop_assert!(compilation.has_errors());
        }
        for diagnostic in &compilation.diagnostics {
            let span = diagnostic.span();
            let (file, local) = compilation.sources.locate(span);
            prop_assert!(local.end <= file.text.len(), "{diagnostic:?}");
            let whole = file.span();
            prop_assert!(span.start >= whole.start && span.end <= whole.end, "{diagnostic:?}");
            prop_assert!(!diagnostic.code_str().is_empty());
            // Rendering must not panic either, whatever the span.
            let rendered = qc::cli::render_human(&compilation.sources, std::slice::from_ref(diagnostic), qc::cli::Theme::Plain);
            prop_assert!(rendered.contains(&diagnostic.code_str()));
        }
    }
}

/// Serves the bundled files, with the file named `name` replaced by `text`.
struct Replacing {
    name: &'static str,
    text: String,
    files: FileLoader,
}

impl qc::load::Loader for Replacing {
    fn load(&mut self, importer: &str, path: &str) -> Result<qc::load::Loaded, qc::load::Refused> {
        let mut loaded = self.files.load(importer, path)?;
        if loaded.name == self.name {
            loaded.bytes = self.text.clone().into_bytes();
        }
        Ok(loaded)
    }
}

/// Compiles the bundled instrument with the bundled file `name` mutated.
fn compile_mutated(name: &'static str, mutations: &[Mutation]) -> qc::Compilation {
    let questionnaires = root().join("questionnaires");
    let mut text = read(&questionnaires.join(name));
    for mutation in mutations {
        text = apply(&text, mutation);
    }
    let mut loader = Replacing {
        name,
        text,
        files: folder_loader(&questionnaires, "crime-prevention.q"),
    };
    qc::compile_with("crime-prevention.q", instrument().as_bytes(), &mut loader)
}

/// Every diagnostic lies inside a file of the compilation and renders with its code.
fn located(compilation: &qc::Compilation) -> Result<(), TestCaseError> {
    for diagnostic in &compilation.diagnostics {
        let span = diagnostic.span();
        let (file, _) = compilation.sources.locate(span);
        let whole = file.span();
        prop_assert!(
            span.start >= whole.start && span.end <= whole.end,
            "{diagnostic:?}"
        );
        let rendered = qc::cli::render_human(
            &compilation.sources,
            std::slice::from_ref(diagnostic),
            qc::cli::Theme::Plain,
        );
        prop_assert!(rendered.contains(&diagnostic.code_str()));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Mutations of an imported module (the shared blocks, expanded into the instrument) never
    /// panic, and every diagnostic points into a file of the compilation.
    #[test]
    fn mutated_blocks_never_panic_and_errors_point_into_a_file(mutations in prop::collection::vec(mutation(), 1..4)) {
        let compilation = compile_mutated("common/blocks.q", &mutations);
        if compilation.instrument.is_none() {
            prop_assert!(compilation.has_errors());
        }
        located(&compilation)?;
    }

    /// A damaged translation file never makes qc panic: it is an error or a warning located in
    /// the file, and the rest of the instrument still checks.
    #[test]
    fn mutated_translations_never_panic(mutations in prop::collection::vec(mutation(), 1..4)) {
        let compilation = compile_mutated("translations/crime-prevention.fr.json", &mutations);
        located(&compilation)?;
        for diagnostic in &compilation.diagnostics {
            let code = diagnostic.code_str();
            prop_assert!(["E0127", "W0206", "W0207", "W0209", "N0001"].contains(&code.as_str()), "{diagnostic:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Mutations of the fixtures of calculated values, constraints, records, special answers
    /// and tables never panic: not in checking, and, for what still compiles, not in any
    /// output, in reading the form back, nor in validating a reply.
    #[test]
    fn mutated_logic_never_panics(fixture in 0usize..4, mutations in prop::collection::vec(mutation(), 1..4)) {
        let name = ["calculations", "records", "specials", "tables"][fixture];
        let mut source = read(&root().join(format!("tests/fixtures/pass/{name}.q")));
        for mutation in &mutations {
            source = apply(&source, mutation);
        }
        let compilation = qc::compile(&source);
        if compilation.instrument.is_none() {
            // What is left may be a module: no instrument and no section, nothing to build.
            let module = qc::syntax::parse(&source).is_ok_and(|file| {
                !file.declarations.iter().any(|declaration| {
                    matches!(declaration, Declaration::Instrument(_) | Declaration::Section(_))
                })
            });
            prop_assert!(compilation.has_errors() || module);
        }
        located(&compilation)?;
        if let Some(instrument) = &compilation.instrument {
            let form = qc::emit::json::to_value(instrument);
            let back = qc::form::read(&form);
            prop_assert!(back.is_ok(), "{back:?}");
            qc::emit::response_schema::schema(instrument);
            qc::emit::xlsform::build(instrument);
            qc::emit::surveyjs::survey(instrument);
            qc::emit::fhir::questionnaire(instrument);
            // A reply to the fixture as it was, checked against what it has become.
            let reply = read(&root().join(format!("tests/interop/replies/{name}-complete.json")));
            let reply: serde_json::Value = serde_json::from_str(&reply).expect("a reply");
            let options = qc::validate::Options { complete: true };
            qc::validate::Validator::new(instrument).validate(&reply, options);
            if let Ok(back) = &back {
                qc::validate::Validator::new(back).validate(&reply, options);
            }
        }
    }
}

/// A layout that `qc fmt` must undo: indentation taken away or doubled, blank lines and spaces
/// added, line ends made `\r\n` (never inside a text, where they would be part of it).
fn disarranged(source: &str, seed: usize) -> String {
    let mut out = String::new();
    let mut in_string = false;
    for (index, line) in source.lines().enumerate() {
        if in_string {
            out.push_str(line);
        } else {
            let text = line.trim_start();
            match (index + seed) % 4 {
                0 => out.push_str(text),
                1 => {
                    out.push_str(line);
                    out.push_str(line.get(..line.len() - text.len()).unwrap_or_default());
                }
                2 => {
                    out.push('\t');
                    out.push_str(line);
                    out.push_str("   ");
                }
                _ => {
                    out.push_str("\n\n");
                    out.push_str(line);
                }
            }
        }
        // Whether the line ends inside a text (after `"`s not escaped, outside comments).
        let mut escaped = false;
        for c in line.chars() {
            match (in_string, escaped, c) {
                (true, true, _) => escaped = false,
                (true, false, '\\') => escaped = true,
                (true, false, '"') => in_string = false,
                (false, _, '"') => in_string = true,
                (false, _, '#') => break,
                _ => {}
            }
        }
        out.push_str(if in_string { "\n" } else { "\r\n" });
    }
    out
}

/// The same tokens with every run of blanks between them (outside texts and comments) made a
/// space, a line break, or blank lines and a tab, in turn from `seed`: one long line, a token
/// a line, and all between.
fn rewrapped(source: &str, seed: usize) -> String {
    let runs = [" ", "\n", "\n\n\t", " ", "  \r\n"];
    let mut out = String::new();
    let mut chars = source.chars().peekable();
    let mut count = seed;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push(c);
                let mut escaped = false;
                for c in chars.by_ref() {
                    out.push(c);
                    match (escaped, c) {
                        (true, _) => escaped = false,
                        (false, '\\') => escaped = true,
                        (false, '"') => break,
                        _ => {}
                    }
                }
            }
            '#' => {
                out.push(c);
                for c in chars.by_ref() {
                    out.push(c);
                    if c == '\n' {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => {
                while chars.next_if(|c| c.is_whitespace()).is_some() {}
                // `no value` is one token, its words apart on one line.
                let run = if out.ends_with("no") {
                    " "
                } else {
                    runs[count % runs.len()]
                };
                if out.ends_with('\n') || out.is_empty() {
                    continue;
                }
                out.push_str(run);
                count += 1;
            }
            c => out.push(c),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Formatting a source laid out badly (`disarranged`, `rewrapped`) never changes what it
    /// compiles to, nor the diagnostics of one that does
    /// not compile (their codes); a formatted source formats to itself; and every comment is
    /// still there.
    #[test]
    fn formatting_never_changes_the_compiled_form(mutations in prop::collection::vec(mutation(), 0..3), seed in 0usize..9) {
        let mut source = instrument();
        for mutation in &mutations {
            source = apply(&source, mutation);
        }
        let messy = match seed {
            0..4 => disarranged(&source, seed),
            _ => rewrapped(&source, seed),
        };
        // Blanks between tokens are blanks: what parsed still parses.
        let parses = qc::syntax::parse(&source).is_ok();
        prop_assert_eq!(qc::syntax::parse(&messy).is_ok(), parses, "{}", messy);
        if !parses {
            return Ok(());
        }
        let formatted = qc::format::format(&messy).map_err(|error| TestCaseError::fail(error.to_string()))?;
        prop_assert_eq!(qc::format::format(&formatted).ok(), Some(formatted.clone()));
        let (before, after) = (compile(&messy), compile(&formatted));
        match (&before.instrument, &after.instrument) {
            (Some(a), Some(b)) => prop_assert_eq!(qc::emit::json::to_string(a), qc::emit::json::to_string(b)),
            (None, None) => {}
            _ => prop_assert!(false, "one compiles and the other does not"),
        }
        // The same diagnostics (in another order where clauses were put in theirs).
        let codes = |c: &qc::Compilation| {
            let mut codes = c.diagnostics.iter().map(|d| d.code_str()).collect::<Vec<_>>();
            codes.sort();
            codes
        };
        prop_assert_eq!(codes(&before), codes(&after));
        // Every comment, whole (a comment that moved with its clause is elsewhere).
        let comments = |text: &str| {
            let mut comments = text
                .lines()
                .filter_map(|l| l.split_once('#').map(|(_, c)| c.trim_end().to_owned()))
                .collect::<Vec<_>>();
            comments.sort();
            comments
        };
        prop_assert_eq!(comments(&messy), comments(&formatted));
    }
}

//! Snapshot tests over fixture files: `tests/fixtures/pass/*.q` compile cleanly to the JSON
//! form in their snapshot; `tests/fixtures/fail/*.q` render the diagnostics in theirs. A fail
//! fixture named after a code (`E0103-….q`) must report that code.

use std::collections::BTreeSet;
use std::path::Path;

use qc::cli::{render_human, Theme};

fn name(path: &Path) -> String {
    path.file_name()
        .expect("a file name")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn pass_fixtures_compile_to_their_forms() {
    insta::glob!("../fixtures", "pass/*.q", |path| {
        let source = super::read(path);
        let instrument = super::compile_clean(path);
        insta::with_settings!({ description => source, omit_expression => true }, {
            insta::assert_snapshot!(qc::emit::json::to_string(&instrument));
        });
    });
}

#[test]
fn fail_fixtures_render_their_diagnostics() {
    insta::glob!("../fixtures", "fail/*.q", |path| {
        let bytes = std::fs::read(path).expect("a fixture");
        let compilation = super::loader::compile_path(path);
        assert!(
            !compilation.diagnostics.is_empty(),
            "{} reports nothing",
            path.display()
        );
        let name = name(path);
        if let Some(code) = code_of(&name) {
            let codes: Vec<String> = compilation
                .diagnostics
                .iter()
                .map(|d| d.code_str())
                .collect();
            assert!(codes.iter().any(|c| c == code), "{name} reports {codes:?}");
        }
        let source = String::from_utf8_lossy(&bytes);
        let rendered = render_human(&compilation.sources, &compilation.diagnostics, Theme::Plain);
        // Inputs of 10,000 brackets are shown by their size, not in full.
        let description = if source.len() > 4000 {
            format!("({} bytes)", source.len())
        } else {
            source.into_owned()
        };
        insta::with_settings!({ description => description, omit_expression => true }, {
            insta::assert_snapshot!(rendered);
        });
    });
}

/// The code a fixture is named after (`E0103-unknown-code.q`), if it is named after one.
fn code_of(name: &str) -> Option<&str> {
    let (code, _) = name.split_once('-')?;
    let letter = code.chars().next()?;
    let numbered = code.len() == 5 && code[1..].chars().all(|c| c.is_ascii_digit());
    (numbered && "EWNV".contains(letter)).then_some(code)
}

/// The codes the source declares: each `#[diagnostic(code(…))]` of `src/`, and the problems
/// of replies.
fn declared_codes() -> BTreeSet<String> {
    let mut codes: BTreeSet<String> = qc::codes::Code::ALL
        .iter()
        .map(|code| code.as_str().to_owned())
        .collect();
    let mut files = vec![super::root().join("src")];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(
                std::fs::read_dir(&path)
                    .expect("src/")
                    .map(|e| e.expect("entry").path()),
            );
            continue;
        }
        let text = super::read(&path);
        for (at, _) in text.match_indices("code(") {
            let code = text[at + "code(".len()..].split(')').next().unwrap_or("");
            if code_of(&format!("{code}-")).is_some() {
                codes.insert(code.to_owned());
            }
        }
    }
    codes
}

/// Codes, `qc explain` and fixtures, both ways: every code the source declares is explained
/// and has a fixture named after it (a fail fixture for the diagnostics of `.q` files, a reply
/// fixture for the problems of replies, an export fixture for what an export loses); every explanation is of a declared code; every
/// fixture named after a code names a declared one.
#[test]
fn codes_explanations_and_fixtures_match() {
    let declared = declared_codes();
    let explained: BTreeSet<String> = qc::explain::codes().iter().map(|c| c.to_string()).collect();
    assert!(declared.len() >= 76, "{declared:?}");
    let unexplained: Vec<&String> = declared.difference(&explained).collect();
    assert!(
        unexplained.is_empty(),
        "codes without an explanation: {unexplained:?}"
    );
    let orphans: Vec<&String> = explained.difference(&declared).collect();
    assert!(orphans.is_empty(), "explanations of no code: {orphans:?}");
    let fixtures: Vec<String> = [
        "tests/fixtures/fail",
        "tests/fixtures/replies",
        "tests/fixtures/exports",
    ]
    .iter()
    .flat_map(|folder| std::fs::read_dir(super::root().join(folder)).expect("fixtures"))
    .map(|entry| name(&entry.expect("entry").path()))
    .collect();
    for fixture in &fixtures {
        if let Some(code) = code_of(fixture) {
            assert!(declared.contains(code), "{fixture} is named after no code");
        }
    }
    for code in &declared {
        if code == "E0000" {
            continue; // internal errors have no input that causes them
        }
        assert!(
            fixtures.iter().any(|name| code_of(name) == Some(code)),
            "no fixture for {code}"
        );
    }
}

/// Errors come sorted by position, all at once.
#[test]
fn every_semantic_error_is_reported_in_order() {
    let source = super::read(&super::root().join("tests/fixtures/fail/many-errors-sorted.q"));
    let compilation = qc::compile(&source);
    let starts: Vec<usize> = compilation
        .diagnostics
        .iter()
        .map(|d| d.span().start)
        .collect();
    assert!(starts.len() >= 4, "{starts:?}");
    assert!(
        starts.windows(2).all(|pair| pair[0] <= pair[1]),
        "{starts:?}"
    );
}

/// Each ```q example of docs/language.md is a pass fixture, byte for byte.
#[test]
fn language_guide_examples_are_fixtures() {
    let guide = super::read(&super::root().join("docs/language.md"));
    // The pass fixtures and the modules they import.
    let pass = super::root().join("tests/fixtures/pass");
    let fixtures: Vec<String> = [pass.clone(), pass.join("modules")]
        .iter()
        .flat_map(|folder| std::fs::read_dir(folder).expect("pass fixtures"))
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "q"))
        .map(|path| super::read(&path))
        .collect();
    let mut examples = 0;
    let mut rest = guide.as_str();
    while let Some(start) = rest.find("```q\n") {
        let body = &rest[start + 5..];
        let end = body.find("```").expect("a closed code block");
        let example = &body[..end];
        assert!(
            fixtures.iter().any(|fixture| fixture == example),
            "this example of docs/language.md is not a pass fixture:\n{example}"
        );
        examples += 1;
        rest = &body[end..];
    }
    assert!(
        examples >= fixtures.len(),
        "{examples} examples for {} fixtures",
        fixtures.len()
    );
}

/// Every rule of the grammar has a `///` doc comment right above it.
#[test]
fn every_grammar_rule_is_documented() {
    let grammar = super::read(&super::root().join("grammar/q.pest"));
    let lines: Vec<&str> = grammar.lines().collect();
    let mut rules = 0;
    for (index, line) in lines.iter().enumerate() {
        let Some((name, _)) = line.split_once(" = ") else {
            continue;
        };
        if name.starts_with(char::is_whitespace) || name.starts_with("//") {
            continue;
        }
        rules += 1;
        let documented = index > 0 && lines[index - 1].starts_with("///");
        assert!(documented, "rule `{name}` has no `///` doc");
    }
    assert!(rules > 60, "{rules} rules found");
}

/// The compiled form of each bundled instrument, its translations aside (they are checked in
/// `translations.rs`). `crime-prevention.q` takes its scales, documents and blocks from
/// `questionnaires/common/` and `questionnaires/references/`; its snapshot was taken when
/// everything was written in the one file, and must not change.
#[test]
fn bundled_instruments_compile_to_their_forms() {
    for path in super::bundled_instruments() {
        let instrument = super::compile_clean(&path);
        let mut form = qc::emit::json::to_value(&instrument);
        let object = form.as_object_mut().expect("an object");
        object.remove("languages");
        object.remove("translations");
        let mut text = serde_json::to_string_pretty(&form).expect("JSON");
        text.push('\n');
        let name = name(&path);
        insta::with_settings!({ omit_expression => true, snapshot_suffix => name }, {
            insta::assert_snapshot!(text);
        });
    }
}

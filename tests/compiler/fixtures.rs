//! Snapshot tests over fixture files: `tests/fixtures/pass/*.q` compile cleanly to the JSON
//! form in their snapshot; `tests/fixtures/fail/*.q` render the diagnostics in theirs. A fail
//! fixture named after a code (`E0103-….q`) must report that code.

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
        if let Some((code, _)) = name.split_once('-') {
            if code.len() == 5 && code[1..].chars().all(|c| c.is_ascii_digit()) {
                let codes: Vec<String> = compilation
                    .diagnostics
                    .iter()
                    .map(|d| d.code_str())
                    .collect();
                assert!(codes.iter().any(|c| c == code), "{name} reports {codes:?}");
            }
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

/// Every code that `qc explain` knows has a fixture named after it: a fail fixture for the
/// diagnostics of `.q` files, a reply fixture for the problems of replies.
#[test]
fn every_code_has_a_fixture() {
    let fixtures: Vec<String> = ["tests/fixtures/fail", "tests/fixtures/replies"]
        .iter()
        .flat_map(|folder| std::fs::read_dir(super::root().join(folder)).expect("fixtures"))
        .map(|entry| name(&entry.expect("entry").path()))
        .collect();
    let codes = qc::explain::codes();
    assert!(codes.len() >= 44);
    for code in codes {
        if code == "E0000" {
            continue; // internal errors have no input that causes them
        }
        assert!(
            fixtures
                .iter()
                .any(|name| name.starts_with(&format!("{code}-"))),
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

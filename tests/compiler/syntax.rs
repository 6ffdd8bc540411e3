//! The syntax stage as the library gives it: what lowering makes of the source.

use qc::span::Span;
use qc::syntax::ast::{Declaration, SectionMember, TextPart};

/// A text is split once: `{{` and `}}` and lone braces are literal, `{name}` is a reference
/// whose span covers its braces where they are written, escapes before it included.
#[test]
fn texts_are_split_into_literals_and_references_with_their_places() {
    let label = r#""say \"{{hi}}\" to {name}, not {" "more}""#;
    let source = format!(
        "instrument t {{ title \"T\" }}\nsection s \"S\" {{\n  question q {label} : text\n}}\n"
    );
    let file = qc::syntax::parse(&source).expect("parses");
    let Some(Declaration::Section(section)) = file.declarations.get(1) else {
        panic!("a section");
    };
    let Some(SectionMember::Item(item)) = section.members.first() else {
        panic!("an item");
    };
    let text = &item.label;
    let name_at = source.find("{name}").expect("{name}");
    let more_at = source.find("{\" \"more}").expect("the split reference");
    assert_eq!(
        text.parts,
        vec![
            TextPart::Literal("say \"{hi}\" to ".to_owned()),
            TextPart::Ref {
                name: "name".to_owned(),
                span: Span::new(name_at, name_at + "{name}".len()),
            },
            TextPart::Literal(", not ".to_owned()),
            TextPart::Ref {
                name: "more".to_owned(),
                span: Span::new(more_at, more_at + "{\" \"more}".len()),
            },
        ]
    );
}

/// Every kind of text that may pipe a value keeps the item it names, through blocks and
/// whether the item comes before or after it: the compiled texts, written back with `{id}`,
/// read as the source does.
#[test]
fn every_text_pipes_the_item_it_names() {
    let source = r#"instrument pipes { title "Pipes" }
special dont_know "Don't know ({n})"
scale sizes { small "Small ({n})" large "Large" }
block asked(topic: text) {
  text "About {topic}."
}
introduction {
  text "Intro ({n})"
}
section main "Main" {
  heading "Heading ({n})"
  use asked(topic = "the {n} cases")
  question size "Size ({later})" : sizes {
    help "Help ({n})"
    note "Note ({n})"
    allow dont_know
    check size = small else warning "Small? ({n})"
  }
  question n "N" : integer
  question people "People ({n})" : list {
    field name "Name ({n})" : text
    check this.name != "x" else warning "Record ({n})"
  }
  grid areas "Areas ({n})" {
    column need "Need ({n})"
    row skills "Skills ({n})"
  }
  table counts "Counts ({n})" : integer {
    row men "Men ({n})"
    column y2024 "2024 ({n})"
  }
  calc later "Later" = n + 1
  check n >= 0 else warning "Section ({n})"
}
"#;
    let compilation = qc::compile(source);
    let instrument = compilation
        .instrument
        .unwrap_or_else(|| panic!("{:?}", compilation.diagnostics));
    let texts = qc::translate::sources(&instrument);
    let piped: Vec<(&str, &str)> = texts
        .iter()
        .filter(|source| source.piped && source.text.contains('{'))
        .map(|source| (source.key.as_str(), source.text.as_str()))
        .collect();
    assert_eq!(
        piped,
        [
            ("introduction.1", "Intro ({n})"),
            ("scale.sizes.small", "Small ({n})"),
            ("special.dont_know", "Don't know ({n})"),
            ("section.main.1", "Heading ({n})"),
            ("section.main.2", "About the {n} cases."),
            ("section.main.check.1", "Section ({n})"),
            ("size.label", "Size ({later})"),
            ("size.help.1", "Help ({n})"),
            ("size.note.1", "Note ({n})"),
            ("size.check.1", "Small? ({n})"),
            ("people.label", "People ({n})"),
            ("people.name.label", "Name ({n})"),
            ("people.record.check.1", "Record ({n})"),
            ("areas.label", "Areas ({n})"),
            ("areas.column.need", "Need ({n})"),
            ("areas.row.skills", "Skills ({n})"),
            ("counts.label", "Counts ({n})"),
            ("counts.row.men", "Men ({n})"),
            ("counts.column.y2024", "2024 ({n})"),
        ]
    );
}

/// A chain of comparisons is refused with the two comparisons it means, and those compile.
#[test]
fn chained_comparisons_are_refused_with_what_compiles() {
    for (chain, written) in [
        ("5 <= age <= 17", "5 <= age and age <= 17"),
        ("0 < age < 120", "0 < age and age < 120"),
        ("age >= 5 and 5 <= age <= 17", "5 <= age and age <= 17"),
    ] {
        let source = format!(
            "instrument c {{ title \"C\" }}\nsection main \"Main\" {{\n  question age \"Age\" : integer {{ allow uncited }}\n  question school \"School\" : text when {chain} {{ allow uncited }}\n}}\n"
        );
        let compilation = qc::compile(&source);
        let help = compilation
            .diagnostics
            .iter()
            .find(|d| d.to_string() == "comparisons do not chain")
            .and_then(|d| miette::Diagnostic::help(d).map(|help| help.to_string()))
            .unwrap_or_else(|| panic!("{chain}: {:?}", compilation.diagnostics));
        assert!(help.ends_with(&format!("`{written}`")), "{chain}: {help}");
        let fixed = source.replace(chain.rsplit(" and ").next().expect("the chain"), written);
        let fixed = qc::compile(&fixed);
        assert!(
            fixed.diagnostics.is_empty(),
            "{fixed:?}",
            fixed = fixed.diagnostics
        );
    }
}

/// A test whose answers break a rule is told the expectation that says so, with the problem's
/// code and item, and that expectation makes the instrument compile; the rule's message shows
/// the answer it pipes.
#[test]
fn a_test_whose_answers_do_not_fit_is_told_the_expectation_that_compiles() {
    let source = r#"instrument hh { title "Household" }
section main "Main" {
  question hh_size "How many people live here?" : integer min 1 max 30 {
    allow uncited
    check hh_size <= 20 else error "More than 20 people ({hh_size}) is unusual"
  }
}
test "big" {
  given { hh_size = 25 }
  expect valid
}
"#;
    let compilation = qc::compile(source);
    let error = compilation
        .diagnostics
        .iter()
        .find(|d| d.code_str() == "E0128")
        .expect("E0128");
    let label = miette::Diagnostic::labels(error)
        .and_then(|mut labels| labels.next())
        .and_then(|label| label.label().map(str::to_owned))
        .expect("a label");
    assert_eq!(label, "V0114 More than 20 people (25) is unusual");
    let help = miette::Diagnostic::help(error).expect("help").to_string();
    let expectation = help
        .rsplit('`')
        .nth(1)
        .expect("the expectation in backquotes");
    assert_eq!(expectation, "expect problem V0114 at hh_size");
    let fixed = qc::compile(&source.replace("expect valid", expectation));
    assert!(fixed.diagnostics.is_empty(), "{:?}", fixed.diagnostics);
    assert!(qc::testing::run(&fixed.instrument.expect("compiles"))
        .tests
        .iter()
        .all(|test| test.failures.is_empty()));
}

/// A condition on a list's fields given to an aggregate is refused with the aggregate over the
/// records that meet it, and that compiles.
#[test]
fn a_condition_on_records_is_refused_with_the_filter_that_compiles() {
    for (written, function) in [
        ("count(services.kind = shelter)", "count"),
        (
            "count(services.staff > 2 and services.kind != other)",
            "count",
        ),
        ("sum(services.staff > 2)", "sum"),
    ] {
        let source = format!(
            "instrument c {{ title \"C\" }}\nscale kinds {{ shelter \"Shelter\" other \"Other\" }}\nsection main \"Main\" {{\n  question services \"Services\" : list {{\n    field kind \"Kind\" : kinds\n    field staff \"Staff\" : integer\n  }} {{ allow uncited }}\n  calc n \"N\" = {written}\n}}\n"
        );
        let compilation = qc::compile(&source);
        let help = compilation
            .diagnostics
            .iter()
            .find(|d| {
                d.to_string() == format!("`{function}` takes values, not a condition on records")
            })
            .and_then(|d| miette::Diagnostic::help(d).map(|help| help.to_string()))
            .unwrap_or_else(|| panic!("{written}: {:?}", compilation.diagnostics));
        let rewrite = help.rsplit('`').nth(1).expect("the rewrite in backquotes");
        assert!(rewrite.contains(" where this."), "{written}: {help}");
        let fixed = qc::compile(&source.replace(written, rewrite));
        assert!(
            fixed.diagnostics.is_empty(),
            "{rewrite}: {:?}",
            fixed.diagnostics
        );
    }
}

/// The helps of the diagnostics of aggregates, records, cells, scores and bands show examples
/// that compile: each example in backquotes that is a value or a condition is compiled in an
/// instrument that has the names it uses.
#[test]
fn helps_of_values_show_examples_that_compile() {
    let scaffold = |body: &str| {
        format!(
            r#"instrument help {{ title "Help" }}
scale kinds {{ shelter "Shelter" other "Other" }}
scale risk {{ low "Low" moderate "Moderate" high "High" }}
scale often {{ never "Never" = 0 often "Often" = 1 }}
section main "Main" {{
  question men "Men" : integer
  question women "Women" : integer
  question total "Total" : integer
  question q1 "Q1" : often
  question price "Price" : amount
  question debt "Debt" : amount
  question services "Services" : list {{
    field kind "Kind" : kinds
    field staff "Staff" : integer
    field name "Name" : text
  }}
  question members "Members" : list {{ field name "Name" : text }}
  table convicted "Convicted" : integer {{
    row homicide "Homicide"
    column men "Men"
  }}
  calc both "Both" = sum(men, women)
{body}
}}
"#
        )
    };
    let broken = [
        "  calc x \"X\" = sum(men, women where this.kind = shelter)",
        "  calc x \"X\" = count(services where this.staff > total)",
        "  calc x \"X\" = if(men > 1, 1, 0; missing none)",
        "  calc x \"X\" = score(total)",
        "  calc x \"X\" = band(total, risk, 10)",
        "  calc x \"X\" = convicted.homicide.woman",
        "  calc x \"X\" = total.homicide.men",
        "  calc x \"X\" = unique(services)",
        "  calc x \"X\" = unique(services.name)",
        "  calc x \"X\" = men > women",
        "  question x \"X\" : text when price * debt > 0",
        "  calc x \"X\" = max(sum(men, women), total)",
        "  calc x \"X\" = sum(price, men)",
    ];
    let mut compiled = 0;
    for body in broken {
        let compilation = qc::compile(&scaffold(body));
        assert!(!compilation.diagnostics.is_empty(), "{body} compiles");
        for diagnostic in &compilation.diagnostics {
            let Some(help) = miette::Diagnostic::help(diagnostic).map(|h| h.to_string()) else {
                continue;
            };
            // Every other piece between backquotes is an example.
            for example in help.split('`').skip(1).step_by(2) {
                let written = [
                    format!("  calc example \"Example\" = {example}"),
                    format!("  question example \"Example\" : text when {example}"),
                    format!("  question example \"Example\" : text when {example} > 0"),
                ];
                let pattern = ["table.row.column", "this.field", "; missing none"];
                if example.contains('…') || pattern.contains(&example) {
                    continue; // a pattern, not a construct
                }
                let fits = written
                    .iter()
                    .any(|line| qc::compile(&scaffold(line)).instrument.is_some());
                let parses_as_value = example.contains('(') || example.matches('.').count() == 2;
                if parses_as_value {
                    assert!(
                        fits,
                        "the help of `{body}` shows `{example}`, which does not compile"
                    );
                    compiled += 1;
                }
            }
        }
    }
    assert!(compiled >= 8, "{compiled} examples compiled");
}

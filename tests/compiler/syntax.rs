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

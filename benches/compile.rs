//! Parse + check + compile to JSON, for the bundled instrument and for generated instruments of
//! 1,000 and 10,000 questions with conditions and citations; and `qc fmt` on the same. Run with
//! `cargo bench`.

#[path = "bundled.rs"]
mod bundled;
#[path = "generated.rs"]
mod generated;

use generated::{generate, generate_logic};

fn main() {
    divan::main();
}

const BUNDLED: &str = bundled::ENTRY;

/// Load, parse, check and emit the form, as `qc compile` does.
fn compile(source: &str) -> String {
    let compilation = bundled::compile(source, &mut bundled::loader());
    let instrument = compilation
        .instrument
        .expect("the benchmark input compiles");
    qc::emit::json::to_string(&instrument)
}

#[divan::bench]
fn crime_prevention(bencher: divan::Bencher) {
    bencher
        .counter(divan::counter::BytesCount::new(BUNDLED.len()))
        .bench(|| compile(divan::black_box(BUNDLED)));
}

/// The stages of `compile`, on the bundled instrument, to show where the time goes.
mod stages {
    use super::BUNDLED;

    /// Reading (from memory) and parsing the entry file and every file it imports.
    #[divan::bench]
    fn load(bencher: divan::Bencher) {
        bencher.bench(|| {
            let mut loader = super::bundled::loader();
            qc::load::load("crime-prevention.q", BUNDLED.as_bytes(), &mut loader)
        });
    }

    fn program() -> qc::load::Program {
        let mut loader = super::bundled::loader();
        let (program, diagnostics) =
            qc::load::load("crime-prevention.q", BUNDLED.as_bytes(), &mut loader);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        program
    }

    #[divan::bench]
    fn check(bencher: divan::Bencher) {
        let program = program();
        bencher.bench(|| qc::check::check_program(divan::black_box(&program)));
    }

    #[divan::bench]
    fn emit(bencher: divan::Bencher) {
        let instrument = qc::check::check_program(&program()).0.expect("checks");
        bencher.bench(|| qc::emit::json::to_string(divan::black_box(&instrument)));
    }
}

#[divan::bench(args = [1_000, 10_000])]
fn generated(bencher: divan::Bencher, questions: usize) {
    let source = generate(questions);
    bencher
        .counter(divan::counter::BytesCount::new(source.len()))
        .bench(|| compile(divan::black_box(&source)));
}

/// Generated instruments with calculated values, constraints, special answers, tables and
/// lists with their own logic.
#[divan::bench(args = [1_000, 10_000])]
fn generated_logic(bencher: divan::Bencher, questions: usize) {
    let source = generate_logic(questions);
    bencher
        .counter(divan::counter::BytesCount::new(source.len()))
        .bench(|| compile(divan::black_box(&source)));
}

/// Generated instruments with a full French translation of every text: the translation file
/// is read, each entry's hash compared, and the form written with both languages.
#[divan::bench(args = [1_000, 10_000])]
fn generated_translated(bencher: divan::Bencher, questions: usize) {
    let source = generate(questions).replacen(
        "instrument generated { title \"Generated\" }",
        "instrument generated { title \"Generated\" language \"en\" }\ntranslation fr \"fr.json\"",
        1,
    );
    let untranslated = qc::compile(&generate(questions))
        .instrument
        .expect("the benchmark input compiles");
    let template = qc::translate::update(&untranslated, "fr", None);
    let mut file: serde_json::Value = serde_json::from_str(&template).expect("JSON");
    for entry in file["strings"]
        .as_object_mut()
        .expect("strings")
        .values_mut()
    {
        let text = format!("fr: {}", entry["source"].as_str().unwrap_or(""));
        entry["text"] = text.into();
    }
    let translation = file.to_string();
    let mut loader = qc::load::MemoryLoader::new().with("fr.json", &translation);
    bencher
        .counter(divan::counter::BytesCount::new(
            source.len() + translation.len(),
        ))
        .bench_local(|| {
            let compilation = qc::compile_with("generated.q", source.as_bytes(), &mut loader);
            let instrument = compilation.instrument.expect("compiles");
            assert_eq!(instrument.translations.len(), 1);
            qc::emit::json::to_string(&instrument)
        });
}

/// `qc fmt`: the bundled instrument, and generated instruments of 1,000 and 10,000 questions,
/// laid out from the concrete tree of their parse.
mod format {
    use super::{generate, BUNDLED};

    #[divan::bench]
    fn crime_prevention(bencher: divan::Bencher) {
        bencher
            .counter(divan::counter::BytesCount::new(BUNDLED.len()))
            .bench(|| qc::format::format(divan::black_box(BUNDLED)).expect("it parses"));
    }

    #[divan::bench(args = [1_000, 10_000])]
    fn generated(bencher: divan::Bencher, questions: usize) {
        let source = generate(questions);
        bencher
            .counter(divan::counter::BytesCount::new(source.len()))
            .bench(|| qc::format::format(divan::black_box(&source)).expect("it parses"));
    }
}

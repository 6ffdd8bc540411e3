//! Parse + check + compile to JSON, for the bundled instrument and for generated instruments of
//! 1,000 and 10,000 questions with conditions and citations. Run with `cargo bench`.

#[path = "bundled.rs"]
mod bundled;
#[path = "generated.rs"]
mod generated;

use generated::generate;

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

//! Parse + check + compile to JSON, for the bundled instrument and for generated instruments of
//! 1,000 and 10,000 questions with conditions and citations. Run with `cargo bench`.

#[path = "generated.rs"]
mod generated;

use generated::generate;

fn main() {
    divan::main();
}

const BUNDLED: &str = include_str!("../questionnaires/crime-prevention.q");

/// parse, check and emit the form, as `qc compile` does.
fn compile(source: &str) -> String {
    let compilation = qc::compile(source);
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

    #[divan::bench]
    fn parse() -> qc::syntax::ast::File {
        qc::syntax::parse(divan::black_box(BUNDLED)).expect("parses")
    }

    #[divan::bench]
    fn check(bencher: divan::Bencher) {
        let file = qc::syntax::parse(BUNDLED).expect("parses");
        bencher.bench(|| qc::check::check(divan::black_box(&file)));
    }

    #[divan::bench]
    fn emit(bencher: divan::Bencher) {
        let file = qc::syntax::parse(BUNDLED).expect("parses");
        let instrument = qc::check::check(&file).0.expect("checks");
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

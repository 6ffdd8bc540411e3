//! Parse + check + compile to JSON, for the bundled instrument and for generated instruments of
//! 1,000 and 10,000 questions with conditions and citations. Run with `cargo bench`.

use std::fmt::Write;

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

/// An instrument of `questions` questions in sections of 100: each a yes/no question citing a
/// paragraph, with a follow-up on "yes"; every third has two lettered sub-items; every fifth is
/// asked only on the answers to the two before it.
fn generate(questions: usize) -> String {
    let mut out = String::from(
        "instrument generated { title \"Generated\" }\nscale yes_no { yes \"Yes\" no \"No\" }\n",
    );
    out.push_str("document guidelines \"Guidelines\" {\n");
    for paragraph in 1..=50 {
        let _ = writeln!(
            out,
            "  para {paragraph} \"Paragraph {paragraph}.\" {{ (a) \"First.\" (b) \"Second.\" }}"
        );
    }
    out.push_str("}\n");
    for q in 1..=questions {
        if q % 100 == 1 {
            if q > 1 {
                out.push_str("}\n");
            }
            let _ = writeln!(out, "section s{q} \"Section from {q}\" {{");
        }
        let condition = if q % 5 == 0 {
            format!(" when q{} = yes or q{} = no", q - 1, q - 2)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  question q{q} \"Question number {q}?\" : yes_no{condition} {{\n    cites guidelines {} (a) and {}",
            q % 50 + 1,
            (q + 7) % 50 + 1
        );
        if q % 3 == 0 {
            let _ = writeln!(out, "    item q{q}a \"First part of {q}?\" : yes_no");
            let _ = writeln!(
                out,
                "    item q{q}b \"Second part of {q}?\" : yes_no when q{q}a = yes"
            );
        }
        let _ = writeln!(
            out,
            "    followup q{q}_details \"If the answer is “Yes”, please specify.\" : long_text on yes\n  }}"
        );
    }
    out.push_str("}\n");
    out
}

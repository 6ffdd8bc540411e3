//! Validating replies to the bundled instrument: 100,000 validations of generated replies
//! (10,000 distinct ones, each validated ten times), on one core and on all cores, and the same
//! replies against the emitted response schema with the `jsonschema` crate. Run with
//! `cargo bench --bench validate`; `benches/ajv/run.sh` measures ajv on the same replies.

#[path = "bundled.rs"]
mod bundled;
#[path = "../tests/validate/generate.rs"]
#[allow(dead_code)]
mod generate;

use std::sync::LazyLock;

use rayon::prelude::*;
use serde_json::Value;

use qc::validate::{Options, Validator};

fn main() {
    divan::main();
}

const DISTINCT: usize = 10_000;
const ROUNDS: usize = 10;
const VALIDATIONS: usize = DISTINCT * ROUNDS;

static INSTRUMENT: LazyLock<qc::Instrument> = LazyLock::new(|| {
    bundled::compile(bundled::ENTRY, &mut bundled::loader())
        .instrument
        .expect("the bundled instrument compiles")
});

/// Replies as a reply batch would bring them: mostly complete and valid, some broken.
static REPLIES: LazyLock<Vec<Value>> = LazyLock::new(|| {
    let mut generator = generate::Generator::new(&INSTRUMENT, 1);
    (0..DISTINCT)
        .map(|n| generator.reply(if n % 4 == 0 { 5 } else { 0 }))
        .collect()
});

fn replies() -> impl ParallelIterator<Item = &'static Value> {
    (0..VALIDATIONS)
        .into_par_iter()
        .map(|n| &REPLIES[n % DISTINCT])
}

/// Full validation, every problem collected, one core.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn qc_validate_one_core(bencher: divan::Bencher) {
    let validator = Validator::new(&INSTRUMENT);
    LazyLock::force(&REPLIES);
    bencher
        .counter(divan::counter::ItemsCount::new(VALIDATIONS))
        .bench(|| {
            (0..VALIDATIONS)
                .map(|n| {
                    validator
                        .validate(&REPLIES[n % DISTINCT], Options { complete: true })
                        .len()
                })
                .sum::<usize>()
        });
}

/// The valid-or-not fast path, one core.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn qc_is_valid_one_core(bencher: divan::Bencher) {
    let validator = Validator::new(&INSTRUMENT);
    LazyLock::force(&REPLIES);
    bencher
        .counter(divan::counter::ItemsCount::new(VALIDATIONS))
        .bench(|| {
            (0..VALIDATIONS)
                .filter(|n| validator.is_valid(&REPLIES[n % DISTINCT], Options { complete: true }))
                .count()
        });
}

/// Full validation on all cores.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn qc_validate_all_cores(bencher: divan::Bencher) {
    let validator = Validator::new(&INSTRUMENT);
    LazyLock::force(&REPLIES);
    bencher
        .counter(divan::counter::ItemsCount::new(VALIDATIONS))
        .bench(|| {
            replies()
                .map(|reply| validator.validate(reply, Options { complete: true }).len())
                .sum::<usize>()
        });
}

/// The `jsonschema` crate on the emitted response schema, formats asserted.
fn schema_validator() -> jsonschema::Validator {
    let schema = qc::emit::response_schema::schema(&INSTRUMENT);
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("a valid schema");
    LazyLock::force(&REPLIES);
    validator
}

/// The `jsonschema` crate on the emitted response schema, one core.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn jsonschema_one_core(bencher: divan::Bencher) {
    let validator = schema_validator();
    bencher
        .counter(divan::counter::ItemsCount::new(VALIDATIONS))
        .bench(|| {
            (0..VALIDATIONS)
                .filter(|n| validator.is_valid(&REPLIES[n % DISTINCT]))
                .count()
        });
}

/// The `jsonschema` crate on all cores.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn jsonschema_all_cores(bencher: divan::Bencher) {
    let validator = schema_validator();
    bencher
        .counter(divan::counter::ItemsCount::new(VALIDATIONS))
        .bench(|| replies().filter(|reply| validator.is_valid(reply)).count());
}

#[path = "generated.rs"]
#[allow(dead_code)]
mod generated;

/// Validating replies to generated instruments with calculated values, constraints, special
/// answers, tables and records with their own logic, of 100 to 10,000 questions: the time per
/// reply grows with the size of the instrument, linearly.
#[divan::bench(args = [100, 1_000, 10_000], sample_count = 5)]
fn qc_validate_logic(bencher: divan::Bencher, questions: usize) {
    let instrument = qc::compile(&generated::generate_logic(questions))
        .instrument
        .expect("the generated instrument compiles");
    let mut generator = generate::Generator::new(&instrument, 3);
    let replies: Vec<Value> = (0..20)
        .map(|n| generator.reply(if n % 4 == 0 { 5 } else { 0 }))
        .collect();
    let validator = Validator::new(&instrument);
    bencher
        .counter(divan::counter::ItemsCount::new(replies.len()))
        .bench(|| {
            replies
                .iter()
                .map(|reply| validator.validate(reply, Options { complete: true }).len())
                .sum::<usize>()
        });
}

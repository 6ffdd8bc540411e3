//! Replies to the bundled instrument made into a data set (`qc table`) and into the report
//! (`qc report`): 100,000 generated valid replies (10,000 distinct ones, each ten times), read
//! on all cores as the commands read them. Run with `cargo bench --bench tabulate`.

#[path = "bundled.rs"]
mod bundled;
#[path = "../tests/validate/generate.rs"]
#[allow(dead_code)]
mod generate;

use std::sync::LazyLock;

use rayon::prelude::*;
use serde_json::{Map, Value};

use qc::dataset::write::{self, DataSet};
use qc::dataset::Layout;
use qc::report::{Reply, Tally};

fn main() {
    divan::main();
}

const DISTINCT: usize = 10_000;
const ROUNDS: usize = 10;
const REPLIES_READ: usize = DISTINCT * ROUNDS;
const TODAY: &str = "2007-06-30";

static INSTRUMENT: LazyLock<qc::Instrument> = LazyLock::new(|| {
    bundled::compile(bundled::ENTRY, &mut bundled::loader())
        .instrument
        .expect("the bundled instrument compiles")
});

static ANSWERS: LazyLock<Vec<Map<String, Value>>> = LazyLock::new(|| {
    let mut generator = generate::Generator::new(&INSTRUMENT, 7);
    (0..DISTINCT)
        .map(|_| match generator.reply(0) {
            Value::Object(mut reply) => match reply.remove("answers") {
                Some(Value::Object(answers)) => answers,
                _ => Map::new(),
            },
            _ => Map::new(),
        })
        .collect()
});

/// Every reply's row and its records' rows, then the tables as CSV.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn table_as_csv(bencher: divan::Bencher) {
    LazyLock::force(&ANSWERS);
    let layout = Layout::of(&INSTRUMENT);
    bencher
        .counter(divan::counter::ItemsCount::new(REPLIES_READ))
        .bench(|| {
            let replies: Vec<(String, bool, qc::dataset::Rows)> = (0..REPLIES_READ)
                .into_par_iter()
                .map(|n| {
                    let rows = layout.rows(&INSTRUMENT, &ANSWERS[n % DISTINCT], TODAY);
                    (format!("reply-{n}"), true, rows)
                })
                .collect();
            let data = DataSet {
                instrument: &INSTRUMENT,
                layout: &layout,
                replies: &replies,
                labels: false,
                validity: false,
            };
            let tables = data.tables();
            tables
                .iter()
                .map(|table| write::csv(table).map_or(0, |bytes| bytes.len()))
                .sum::<usize>()
        });
}

/// Every reply added to a tally on some core, the tallies merged in order, then the report as
/// Markdown.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn report_as_markdown(bencher: divan::Bencher) {
    LazyLock::force(&ANSWERS);
    bencher
        .counter(divan::counter::ItemsCount::new(REPLIES_READ))
        .bench(|| {
            let tally = (0..REPLIES_READ)
                .into_par_iter()
                .fold(
                    || Tally::new(&INSTRUMENT),
                    |mut tally, n| {
                        let reply = Reply {
                            id: format!("reply-{n}"),
                            answers: &ANSWERS[n % DISTINCT],
                        };
                        tally.add(&reply, TODAY);
                        tally
                    },
                )
                .reduce(|| Tally::new(&INSTRUMENT), Tally::merge);
            qc::report::markdown::to_string(&tally.report()).len()
        });
}

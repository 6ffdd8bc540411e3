//! Tests of reply validation: the example replies, stripping, hostile input, reading compiled
//! forms back, and agreement with independent implementations.

#[path = "../common/loader.rs"]
pub mod loader;

mod agreement;
mod convert;
mod examples;
mod generate;
mod hostile;
mod mutants;
mod roundtrip;

use std::path::PathBuf;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled crime-prevention instrument.
pub fn crime_prevention() -> qc::Instrument {
    loader::compile_path(&root().join("questionnaires/crime-prevention.q"))
        .instrument
        .expect("the bundled instrument compiles")
}

pub fn example(name: &str) -> serde_json::Value {
    let path = root()
        .join("questionnaires/examples/crime-prevention")
        .join(name);
    let bytes = std::fs::read(&path).expect("an example reply");
    qc::validate::parse_reply(&bytes).expect("example replies are JSON")
}

//! Tests of the compiler as a library: fixtures, the bundled instruments, the form schema and
//! properties. One binary with modules, for build speed.

#[path = "../common/loader.rs"]
pub mod loader;

mod exports;
mod fidelity;
mod fixtures;
mod house;
mod properties;
mod schema;
mod syntax;
mod translations;

use std::path::{Path, PathBuf};

/// The crate's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Compiles a bundled instrument, failing the test on any error or warning (notes, such as
/// how much of a translation is left, are allowed).
pub fn compile_clean(path: &Path) -> qc::Instrument {
    let compilation = loader::compile_path(path);
    let problems: Vec<&qc::Diagnostic> = compilation
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity() != qc::Severity::Note)
        .collect();
    assert!(problems.is_empty(), "{}: {problems:#?}", path.display());
    compilation
        .instrument
        .expect("an instrument without diagnostics")
}

/// Every `.q` file directly in `questionnaires/`.
pub fn bundled_instruments() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("questionnaires"))
        .expect("questionnaires/")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "q"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    paths
}

//! The bundled crime-prevention instrument with the modules it imports, served from memory so
//! that the benchmarks time compiling, not reading files.

use qc::load::MemoryLoader;

pub const ENTRY: &str = include_str!("../questionnaires/crime-prevention.q");

/// The entry file and every file it imports, by path.
pub fn loader() -> MemoryLoader {
    MemoryLoader::new()
        .with(
            "common/scales.q",
            include_str!("../questionnaires/common/scales.q"),
        )
        .with(
            "common/blocks.q",
            include_str!("../questionnaires/common/blocks.q"),
        )
        .with(
            "common/areas.q",
            include_str!("../questionnaires/common/areas.q"),
        )
        .with(
            "references/victims-declaration.q",
            include_str!("../questionnaires/references/victims-declaration.q"),
        )
        .with(
            "references/crime-prevention-guidelines.q",
            include_str!("../questionnaires/references/crime-prevention-guidelines.q"),
        )
        .with(
            "references/urban-crime-prevention-guidelines.q",
            include_str!("../questionnaires/references/urban-crime-prevention-guidelines.q"),
        )
        .with(
            "references/crime-public-security-declaration.q",
            include_str!("../questionnaires/references/crime-public-security-declaration.q"),
        )
        .with(
            "translations/crime-prevention.fr.json",
            include_str!("../questionnaires/translations/crime-prevention.fr.json"),
        )
        .with(
            "translations/crime-prevention.es.json",
            include_str!("../questionnaires/translations/crime-prevention.es.json"),
        )
}

/// Compiles a text as `crime-prevention.q`, with the bundled modules.
pub fn compile(source: &str, loader: &mut MemoryLoader) -> qc::Compilation {
    qc::compile_with("crime-prevention.q", source.as_bytes(), loader)
}

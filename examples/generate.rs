//! Writes a generated instrument of N questions (the benchmarks' generator) to a `.q` file: the
//! one shaped like the bundled instrument, or with `logic`, the one with the logic of
//! statistical questionnaires.
//!
//! `cargo run --example generate -- OUT.q 3000 [logic]`

#[path = "../benches/generated.rs"]
mod generated;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "generated.q".to_owned());
    let questions = args.next().and_then(|n| n.parse().ok()).unwrap_or(3_000);
    let source = match args.next().as_deref() {
        Some("logic") => generated::generate_logic(questions),
        _ => generated::generate(questions),
    };
    std::fs::write(out, source)
}

//! Writes a generated instrument of N questions (the benchmarks' generator) to a `.q` file.
//!
//! `cargo run --example generate -- OUT.q 3000`

#[path = "../benches/generated.rs"]
mod generated;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "generated.q".to_owned());
    let questions = args.next().and_then(|n| n.parse().ok()).unwrap_or(3_000);
    std::fs::write(out, generated::generate(questions))
}

//! Writes generated replies, one JSON object per line: by default the replies of the validation
//! benchmark to the bundled instrument (one in four with a broken answer), so that other
//! validators (see `benches/ajv/`) measure themselves on the same replies; given an instrument
//! and `valid`, only valid, complete replies to it (for the interop tests).
//!
//! `cargo run --release --example replies -- OUT.jsonl [COUNT] [INSTRUMENT.q] [valid]`

#[path = "../tests/validate/generate.rs"]
#[allow(dead_code)]
mod generate;

#[path = "../tests/common/loader.rs"]
mod loader;

use std::io::Write;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "replies.jsonl".to_owned());
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let path = match args.next() {
        Some(path) => std::path::PathBuf::from(path),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("questionnaires/crime-prevention.q"),
    };
    let valid = args.next().as_deref() == Some("valid");
    let Some(instrument) = loader::compile_path(&path).instrument else {
        return Err(std::io::Error::other(format!(
            "{} does not compile",
            path.display()
        )));
    };
    let mut generator = generate::Generator::new(&instrument, 1);
    let mut file = std::io::BufWriter::new(std::fs::File::create(out)?);
    for n in 0..count {
        let broken = !valid && n % 4 == 0;
        let reply = generator.reply(if broken { 5 } else { 0 });
        writeln!(file, "{reply}")?;
    }
    file.flush()
}

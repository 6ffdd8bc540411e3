//! Writes the replies of the validation benchmark, one JSON object per line, so that other
//! validators (see `benches/ajv/`) measure themselves on the same replies.
//!
//! `cargo run --release --example replies -- OUT.jsonl [COUNT]`

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
    let bundled =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("questionnaires/crime-prevention.q");
    let Some(instrument) = loader::compile_path(&bundled).instrument else {
        return Err(std::io::Error::other(
            "the bundled instrument does not compile",
        ));
    };
    let mut generator = generate::Generator::new(&instrument, 1);
    let mut file = std::io::BufWriter::new(std::fs::File::create(out)?);
    for n in 0..count {
        let reply = generator.reply(if n % 4 == 0 { 5 } else { 0 });
        writeln!(file, "{reply}")?;
    }
    file.flush()
}

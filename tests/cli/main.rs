//! The `qc` binary: exit codes, streams, files written or left alone.

mod check;
mod compile;
mod convert;
mod coverage;
mod diff;
mod explain;
mod fmt;
mod lsp;
mod overlap;
mod report;
mod table;
mod test;
mod translations;
mod validate;

use std::io::Write;

use std::path::{Path, PathBuf};

use std::process::{Command, Output, Stdio};

pub fn qc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qc"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("qc runs")
}

pub fn qc_with_stdin(args: &[&str], input: &[u8]) -> Output {
    qc_with_stdin_in(".", args, input)
}

/// Runs qc in the folder `dir` (relative to the crate), with `input` on standard input.
pub fn qc_with_stdin_in(dir: &str, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qc"))
        .current_dir(path(dir))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("qc runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("qc ends")
}

pub fn path(relative: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(relative)
        .display()
        .to_string()
}

pub fn fixture(name: &str) -> String {
    path(&format!("tests/fixtures/{name}"))
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub const BUNDLED: &str = "questionnaires/crime-prevention.q";

/// The replies of a folder that `qc validate` accepts, by file name without `.json`, and how
/// many replies it read in all.
pub fn valid_replies(form: &str, folder: &str) -> (Vec<String>, usize) {
    let validated = qc(&["validate", "--format", "json", form, folder]);
    let results: Vec<serde_json::Value> = String::from_utf8_lossy(&validated.stdout)
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).expect("a JSON line"))
        .filter(|result| result.get("file").is_some())
        .collect();
    let valid = results
        .iter()
        .filter(|result| result["valid"] == true)
        .filter_map(|result| {
            let stem = Path::new(result["file"].as_str()?).file_stem()?;
            Some(stem.to_string_lossy().into_owned())
        })
        .collect();
    (valid, results.len())
}

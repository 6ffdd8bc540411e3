//! The `qc` binary: exit codes, streams, files written or left alone.

mod check;
mod compile;
mod convert;
mod coverage;
mod explain;
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

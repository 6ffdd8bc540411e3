//! The hostile corpus: one case for each class of untrusted input that `docs/limits.md`
//! names, run through the real binary under a time limit and a memory limit. Every run ends
//! with exit 0, 1 or 2 (never 101, never a signal) within the time limit; what is secret is
//! never printed; and where a case is about cost, its growth from n to 10·n is measured, not
//! its time.

mod cases;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The longest any run may take: every case finishes in well under a second.
const TIME_LIMIT: Duration = Duration::from_secs(30);

/// The address space a run may use.
const MEMORY_LIMIT: u64 = 4 << 30;

/// A value that must never appear in what qc prints, set in the environment of every run.
const SECRET: &str = "s3cr3t-t0ken-4f9a";

/// What a run of qc did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    /// Both streams.
    pub fn output(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// Runs `qc args` in `dir` under the limits, and checks what every run must do.
pub fn qc(dir: &Path, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_qc"));
    command
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env("QC_TEST_SECRET", SECRET)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    limit_memory(&mut command);
    let start = Instant::now();
    let mut child = command.spawn().expect("qc runs");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stdout.read_to_end(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stderr.read_to_end(&mut text);
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            panic!("qc {args:?} ran past {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.join().expect("stdout")).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().expect("stderr")).into_owned(),
        elapsed,
    };
    assert!(
        matches!(run.code, 0..=2),
        "qc {args:?} ended with {status}: {}",
        tail(&run.stderr)
    );
    assert!(
        !run.output().contains(SECRET),
        "qc {args:?} printed the environment"
    );
    run
}

/// The end of a long text, for a failure message.
pub fn tail(text: &str) -> &str {
    let start = text.len().saturating_sub(2000);
    let start = (start..text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    &text[start..]
}

#[cfg(unix)]
fn limit_memory(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: between fork and exec, only setrlimit, which is async-signal-safe, is called.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: MEMORY_LIMIT,
                rlim_max: MEMORY_LIMIT,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn limit_memory(_: &mut Command) {}

/// A fresh folder for a case.
pub fn folder() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

/// Writes `text` to `name` in `dir`.
pub fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("a folder");
    }
    std::fs::write(&path, text).expect("a file");
    path
}

/// The time of the fastest of three runs: the noise of a busy machine only ever adds.
pub fn fastest(dir: &Path, args: &[&str]) -> Duration {
    (0..3)
        .map(|_| qc(dir, args).elapsed)
        .min()
        .expect("three runs")
}

/// Growth from n to 10·n that is linear, with room for noise and fixed costs; a quadratic
/// cost grows a hundredfold.
pub fn assert_linear(what: &str, small: f64, large: f64) {
    assert!(
        large <= 25.0 * small.max(0.005),
        "{what}: {small} at n, {large} at 10·n"
    );
}

/// The first lines of a `.q` instrument.
pub const HEAD: &str =
    "instrument demo { title \"Demo\" }\nscale yes_no { yes \"Yes\" no \"No\" }\n";

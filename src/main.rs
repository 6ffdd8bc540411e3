//! The `qc` binary: everything is in `qc::cli`.

fn main() -> std::process::ExitCode {
    qc::cli::main()
}

//! The `bullpen` binary: parses the command line, runs the command, and
//! prints what it returns. The exit code is 0 on success, 1 otherwise.

use bullpen::cli::{Cli, failure};
use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

/// A large build makes and frees millions of small strings and values
/// across threads; mimalloc does that markedly faster than the system
/// allocator (see bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.command.root();
    let (stdout, stderr, success) = match cli.command.run(&|line| eprintln!("{line}")) {
        Ok(outcome) => (outcome.stdout, outcome.stderr, outcome.success),
        Err(error) => (String::new(), failure(&error, &root), false),
    };
    // A closed pipe (`bullpen check | head`) is not worth a panic.
    let _ = std::io::stderr().write_all(stderr.as_bytes());
    let _ = std::io::stdout().write_all(stdout.as_bytes());
    if success {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

//! The `bullpen` binary: parses the command line, runs the command, and
//! prints what it returns. The exit code is 0 on success, 1 otherwise.

use bullpen::cli::{Cli, failure_with};
use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

/// A large build makes and frees millions of small strings and values
/// across threads; mimalloc does that markedly faster than the system
/// allocator (see bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`, which libmimalloc-sys 0.1.49 has no
/// constant for. An option is its position in the C enum `mi_option_e`;
/// in the mimalloc v3 the crate builds (`c_src/mimalloc/v3/include/mimalloc.h`)
/// the purge delay is entry 15, just before `use_numa_nodes`, which the
/// crate does name (16). The test below checks it is the purge delay by its
/// default there (1,000 ms), so an update that renumbers the options fails.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A build is short and reuses what it frees at once: returning freed
/// pages to the system only to fault them in again cost about a sixth of
/// a large build's time (bench/RESULTS.md).
fn keep_freed_memory() {
    // SAFETY: sets a plain integer option, before any thread is started.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// Transparent huge pages make the kernel zero memory two megabytes at a
/// time: a build that touches 580 MB of heap had 1.8 GB zeroed, a third of
/// its wall time (bench/RESULTS.md). mimalloc reads its own switch for this
/// before `main` runs, so the process asks the kernel directly; it applies
/// to memory mapped already as well.
fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory
    // of ours; a kernel without it returns an error, which changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    keep_freed_memory();
    without_huge_pages();
    let cli = Cli::parse();
    let root = cli.command.root();
    let verbose = cli.command.verbose();
    let (stdout, stderr, success) = match cli.command.run(&|line| eprintln!("{line}")) {
        Ok(outcome) => (outcome.stdout, outcome.stderr, outcome.success),
        Err(error) => (String::new(), failure_with(&error, &root, verbose), false),
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // The default in mimalloc v3's options.c; 0 = purge at once, -1 = never.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}

//! Build script: records the git revision the binary is built from, for
//! `bullpen --version`, as the `BULLPEN_REVISION` compile-time variable.
//!
//! In order: the `BULLPEN_REVISION` environment variable (the container
//! build, which has no `.git`, passes it in); `git rev-parse` when this
//! crate's folder is the top of a git checkout; the commit `cargo package`
//! recorded in `.cargo_vcs_info.json` (a crate downloaded from the
//! registry); otherwise `unknown`. Nothing here can fail the build.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=BULLPEN_REVISION");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let revision = std::env::var("BULLPEN_REVISION")
        .ok()
        .filter(|r| !r.trim().is_empty())
        .or_else(|| from_git(&manifest_dir))
        .or_else(|| from_vcs_info(&manifest_dir))
        .unwrap_or_else(|| "unknown".to_string());
    println!(
        "cargo:rustc-env=BULLPEN_REVISION={}",
        short(revision.trim())
    );
}

/// A full commit id (CI passes `github.sha`) shortened as `git rev-parse
/// --short=9` would; anything else as given.
fn short(revision: &str) -> &str {
    if revision.len() == 40 && revision.chars().all(|c| c.is_ascii_hexdigit()) {
        &revision[..9]
    } else {
        revision
    }
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

/// The short commit of HEAD, only when this crate is the top of its own
/// checkout: a crate unpacked inside some other repository (a vendored
/// dependency) must not report that repository's commit.
fn from_git(dir: &Path) -> Option<String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if !same(Path::new(&top), dir) {
        return None;
    }
    // Rebuild when HEAD moves: a commit, a checkout, a fetch into the
    // branch. Only this branch's ref is watched, so commits on other
    // branches (or in other worktrees) do not rebuild this one.
    let git_dir = git(dir, &["rev-parse", "--git-dir"]).map(|d| dir.join(d));
    let common_dir = git(dir, &["rev-parse", "--git-common-dir"]).map(|d| dir.join(d));
    let branch = git(dir, &["rev-parse", "--symbolic-full-name", "HEAD"]);
    let watched = [
        git_dir.as_ref().map(|d| d.join("HEAD")),
        common_dir.as_ref().map(|d| d.join("packed-refs")),
        common_dir
            .as_ref()
            .zip(branch.filter(|b| b.starts_with("refs/")))
            .map(|(d, b)| d.join(b)),
    ];
    for path in watched.into_iter().flatten() {
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    git(dir, &["rev-parse", "--short=9", "HEAD"])
}

/// `.cargo_vcs_info.json`, written by `cargo package`:
/// `{"git": {"sha1": "<40 hex digits>", ...}, "path_in_vcs": ""}`.
fn from_vcs_info(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(".cargo_vcs_info.json")).ok()?;
    let after = &text[text.find("\"sha1\"")? + "\"sha1\"".len()..];
    let start = after.find('"')? + 1;
    let sha: String = after[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (sha.len() >= 9).then(|| sha[..9].to_string())
}

//! The pre-commit hook stops a commit whose staged content has errors.

use crate::audience::copy_dir;
use crate::support::{fixture, git_command, repo_root, require_program};
use std::path::Path;

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    let bin = crate::support::bin().parent().unwrap().to_path_buf();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    git_command(dir)
        .args(args)
        .env("PATH", path)
        .output()
        .expect("git runs")
}

#[test]
fn the_hook_refuses_broken_content_and_lets_good_content_through() {
    require_program("git", "--version", "apt-get install git");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    std::fs::create_dir_all(dir.path().join("hooks")).unwrap();
    std::fs::copy(
        repo_root().join("hooks/pre-commit"),
        dir.path().join("hooks/pre-commit"),
    )
    .unwrap();
    assert!(git(dir.path(), &["init", "-q"]).status.success());
    assert!(
        git(dir.path(), &["config", "core.hooksPath", "hooks"])
            .status
            .success()
    );
    git(dir.path(), &["add", "."]);
    let good = git(dir.path(), &["commit", "-q", "-m", "Good content"]);
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );

    std::fs::write(
        dir.path().join("content/people/ben-cole.yaml"),
        "name: Ben Cole\nrole: rep\nmanager: mia-frod\n",
    )
    .unwrap();
    git(dir.path(), &["add", "."]);
    let bad = git(dir.path(), &["commit", "-q", "-m", "A typo"]);
    assert!(!bad.status.success(), "the hook should stop the commit");
    let output =
        String::from_utf8_lossy(&bad.stdout).into_owned() + &String::from_utf8_lossy(&bad.stderr);
    assert!(
        output.contains("content/people/ben-cole.yaml:3"),
        "{output}"
    );

    // Fixing the file in the working tree without staging it does not help:
    // the hook checks what is staged.
    std::fs::write(
        dir.path().join("content/people/ben-cole.yaml"),
        "name: Ben Cole\nrole: rep\nmanager: mia-ford\n",
    )
    .unwrap();
    assert!(
        !git(dir.path(), &["commit", "-q", "-m", "Unstaged fix"])
            .status
            .success()
    );
    git(dir.path(), &["add", "."]);
    assert!(
        git(dir.path(), &["commit", "-q", "-m", "Staged fix"])
            .status
            .success()
    );
}

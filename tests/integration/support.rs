//! Helpers shared by the integration tests: building sites into temporary
//! folders and reading what came out.

use bullpen::vocab::Audience;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Fails the test, naming the missing tools and how to install them: a test
/// that needs a tool never passes without running (`.ci/run` installs them).
pub fn require(missing: &[&str], install: &str) {
    assert!(
        missing.is_empty(),
        "this test needs {missing:?}, which are not installed: {install}"
    );
}

/// Fails the test unless `program arg` runs (`git --version`), saying how
/// to install it.
pub fn require_program(program: &str, arg: &str, install: &str) {
    let missing: &[&str] = if runs(program, arg) { &[] } else { &[program] };
    require(missing, install);
}

/// Whether `program --version` (or the given argument) runs.
pub fn runs(program: &str, arg: &str) -> bool {
    std::process::Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A `git` command isolated from the developer's own configuration, with a
/// fixed author; callers add dates where they matter.
pub fn git_command(dir: &Path) -> std::process::Command {
    let mut command = std::process::Command::new("git");
    command
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com");
    command
}

/// Snapshot settings that keep drawn coordinates to one decimal: plotters'
/// full float output (`14.516129032258064`) would pin the platform's float
/// formatting rather than the chart.
pub fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"(\d+\.\d)\d+", "$1");
    settings
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// A built site: output file path → bytes.
pub struct Site {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Site {
    pub fn page(&self, path: &str) -> String {
        let bytes = self.files.get(path).unwrap_or_else(|| {
            panic!(
                "no {path} in the output; have: {:?}",
                self.files.keys().collect::<Vec<_>>()
            )
        });
        String::from_utf8(bytes.clone()).unwrap()
    }

    /// The `<main>` element of a page, where its content is.
    pub fn main(&self, path: &str) -> String {
        let page = self.page(path);
        let start = page.find("<main").expect("a <main> element");
        let end = page.find("</main>").expect("a </main>") + "</main>".len();
        page[start..end].to_string()
    }
}

/// A copy of a site's `content/`, `themes/` and `private/` (the demo's
/// private folder) outside any git repository,
/// so that what is built does not depend on this repository's history.
pub fn detached(root: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "themes", "private"] {
        if root.join(part).is_dir() {
            crate::audience::copy_dir(&root.join(part), &dir.path().join(part));
        }
    }
    dir
}

/// Builds the site at `root` (a detached copy of it) into a temporary
/// folder through the real output stage, and reads every file back.
pub fn build(root: &Path, audience: Audience) -> Site {
    let copy = detached(root);
    build_in_place(copy.path(), audience)
}

/// Builds the site at `root` as it is (its CODEOWNERS and git history
/// read) into a temporary folder, and reads every file back.
pub fn build_in_place(root: &Path, audience: Audience) -> Site {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    bullpen::pipeline::build(root, &target, audience, None)
        .unwrap_or_else(|err| panic!("build of {} failed: {err:?}", root.display()));
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&target).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry
                .path()
                .strip_prefix(&target)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(relative, std::fs::read(entry.path()).unwrap());
        }
    }
    Site { files }
}

/// The `bullpen` binary under test: the one named by `BULLPEN_BIN` (CI
/// sets it to the release build), or else the one cargo built for this test run.
pub fn bin() -> PathBuf {
    std::env::var_os("BULLPEN_BIN")
        .filter(|path| !path.is_empty())
        .map_or_else(
            || PathBuf::from(env!("CARGO_BIN_EXE_bullpen")),
            PathBuf::from,
        )
}

/// Runs the `bullpen` binary with `args` and `--root root`.
pub fn bullpen(args: &[&str], root: &Path) -> std::process::Output {
    std::process::Command::new(bin())
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

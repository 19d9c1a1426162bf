//! Helpers shared by the integration tests: building sites into temporary
//! folders and reading what came out.

use bullpen::model::Audience;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

/// A copy of a site's `content/` and `themes/` outside any git repository,
/// so that what is built does not depend on this repository's history.
pub fn detached(root: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "themes"] {
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
    let root = copy.path();
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

/// Runs the `bullpen` binary with `args` and `--root root`.
pub fn bullpen(args: &[&str], root: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_bullpen"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

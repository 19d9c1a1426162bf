//! Output stage: the only code that writes to disk. Entry: [`write_site`].
//!
//! A build is written into a temporary sibling of the output folder and
//! swapped in only when complete, so a failed build leaves the previous
//! output whole.

use crate::error::{Error, Result};
use crate::render::{OutputFile, Sink};
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Replaces `out` with exactly `files`. Refuses an output folder that is
/// the site root, its content, a parent of either, or a home folder.
pub fn write_site(root: &Path, out: &Path, files: &[OutputFile]) -> Result<()> {
    replace_site(root, out, |sink| {
        files
            .iter()
            .try_for_each(|file| sink.write(&file.path, &file.bytes))
    })
}

/// Writes files into a folder as they come, from any thread: what a build
/// renders into, so no page is held longer than it takes to write it.
pub struct DirSink {
    dir: PathBuf,
    made: Mutex<HashSet<PathBuf>>,
}

impl DirSink {
    pub fn new(dir: &Path) -> DirSink {
        DirSink {
            dir: dir.to_path_buf(),
            made: Mutex::new(HashSet::new()),
        }
    }

    /// Writes one file under the folder, making its parent folders once.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join(safe_relative(path)?);
        if let Some(parent) = path.parent() {
            let known = self
                .made
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(parent);
            if !known {
                std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                    path: parent.to_path_buf(),
                    source,
                })?;
                self.made
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(parent.to_path_buf());
            }
        }
        std::fs::write(&path, bytes).map_err(|source| Error::Write { path, source })
    }
}

impl Sink for DirSink {
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        self.write(&path, &bytes)
    }
}

/// Replaces `out` with what `fill` writes into the sink it is given. The
/// files go to a sibling folder first, swapped in only when `fill`
/// succeeds; on any error the previous output stays whole. Refuses an
/// output folder that is the site root, its content, a parent of either,
/// or a home folder.
pub fn replace_site<T>(
    root: &Path,
    out: &Path,
    fill: impl FnOnce(&DirSink) -> Result<T>,
) -> Result<T> {
    check_output_folder(root, out)?;
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|source| Error::Write {
        path: parent.to_path_buf(),
        source,
    })?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.building-"))
        .tempdir_in(parent)
        .map_err(|source| Error::Write {
            path: parent.to_path_buf(),
            source,
        })?;
    let made = fill(&DirSink::new(staging.path()))?;

    // Swap: move the old output aside, move the new one in, then delete the old.
    let old = parent.join(format!(".{name}.previous"));
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|source| Error::Write {
            path: old.clone(),
            source,
        })?;
    }
    let had_previous = out.exists();
    if had_previous {
        std::fs::rename(out, &old).map_err(|source| Error::Write {
            path: out.to_path_buf(),
            source,
        })?;
    }
    let staged = staging.keep();
    if let Err(source) = std::fs::rename(&staged, out) {
        if had_previous {
            let _ = std::fs::rename(&old, out);
        }
        let _ = std::fs::remove_dir_all(&staged);
        return Err(Error::Write {
            path: out.to_path_buf(),
            source,
        });
    }
    if had_previous {
        std::fs::remove_dir_all(&old).map_err(|source| Error::Write { path: old, source })?;
    }
    Ok(made)
}

/// Writes `files` into a new folder `dir`, which must not exist or be empty.
pub fn write_new(dir: &Path, files: &[OutputFile]) -> Result<()> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        if entries.next().is_some() {
            return Err(Error::Refused(format!(
                "{} is not empty; choose a new or empty folder",
                dir.display()
            )));
        }
    }
    write_files(dir, files)
}

/// Writes `files` into `dir` (created if missing), replacing files of the
/// same names and leaving the rest of the folder alone.
pub fn write_into(dir: &Path, files: &[OutputFile]) -> Result<()> {
    write_files(dir, files)
}

fn write_files(dir: &Path, files: &[OutputFile]) -> Result<()> {
    let sink = DirSink::new(dir);
    files
        .iter()
        .try_for_each(|file| sink.write(&file.path, &file.bytes))
}

/// A path that stays inside the output folder, or an error.
fn safe_relative(path: &str) -> Result<PathBuf> {
    let candidate = Path::new(path);
    if path.is_empty()
        || candidate
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(Error::Refused(format!(
            "refusing to write `{path}` outside the output folder"
        )));
    }
    Ok(candidate.to_path_buf())
}

fn check_output_folder(root: &Path, out: &Path) -> Result<()> {
    let absolute = |p: &Path| -> PathBuf {
        let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        // Resolve what exists so `.`/`..` and symlinks compare equal.
        p.canonicalize().unwrap_or(p)
    };
    let out_abs = absolute(out);
    let root_abs = absolute(root);
    let content = root_abs.join("content");
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .map(|h| absolute(&h));
    let refuse = |why: &str| {
        Err(Error::Refused(format!(
            "refusing to build into {}: {why}",
            out.display()
        )))
    };
    if out_abs == root_abs || root_abs.starts_with(&out_abs) {
        return refuse(
            "it is the site root or a folder above it, and the build replaces the whole output folder",
        );
    }
    if out_abs == content || out_abs.starts_with(&content) {
        return refuse("it is inside content/");
    }
    if home.is_some_and(|h| h == out_abs) || out_abs.parent().is_none() {
        return refuse("it is a home folder or the file-system root");
    }
    if root_abs.join("themes").starts_with(&out_abs) || out_abs.starts_with(root_abs.join("themes"))
    {
        return refuse("it is inside themes/");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_output() {
        assert!(safe_relative("../../etc/passwd").is_err());
        assert!(safe_relative("/etc/passwd").is_err());
        assert!(safe_relative("people/a/index.html").is_ok());
    }

    #[test]
    fn refuses_dangerous_output_folders() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_folder(root, root).is_err());
        assert!(check_output_folder(root, &root.join("content")).is_err());
        assert!(check_output_folder(root, root.parent().unwrap()).is_err());
        assert!(check_output_folder(root, &root.join("public")).is_ok());
    }

    #[test]
    fn replaces_the_previous_output_whole() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let file = |path: &str, text: &str| OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        };
        write_site(
            site.path(),
            &out,
            &[file("a.html", "one"), file("old.html", "x")],
        )
        .unwrap();
        write_site(site.path(), &out, &[file("a.html", "two")]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "two");
        assert!(!out.join("old.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(site.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }
}

//! Output stage: the only code that writes to disk. Entry: [`write_site`].
//!
//! A build is written into a temporary sibling of the output folder and
//! swapped in only when complete, so a failed build leaves the previous
//! output whole. Paths are resolved (`..` and links worked out) before any
//! check, and only a folder that is missing, empty, a GitHub Pages
//! checkout or marked as Bullpen's is replaced.

use crate::error::{Error, Refusal, Result};
use crate::render::{OutputFile, Sink};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Replaces `out` with exactly `files` (and the [`MARKER`]), as
/// [`replace_site`] does.
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

    fn put_copy(&self, path: String, bytes: &[u8]) -> Result<()> {
        self.write(&path, bytes)
    }
}

/// The file every `build` and `diff` output holds, so that a later run
/// knows the folder is Bullpen's to replace. Not a page: no sitemap, index
/// or link lists it.
pub const MARKER: &str = ".bullpen-output";

const MARKER_TEXT: &str = "This folder was written by Bullpen. The next `bullpen build` (or \
`bullpen diff`) into it replaces it whole, keeping only .git, CNAME and .nojekyll.\n";

/// What a GitHub Pages checkout holds besides the site: a folder holding
/// only these may be built into, and each build carries them over.
const CARRIED: [&str; 3] = [".git", "CNAME", ".nojekyll"];

/// The random part of a staging folder's name: `.public.building-a1B2c3`.
const STAGING_RANDOM: usize = 6;

/// Replaces `out` with what `fill` writes into the sink it is given. The
/// files go to a sibling folder first, swapped in only when `fill`
/// succeeds; on any error the previous output stays whole. Refuses an
/// output folder that is the site root, its content or themes, a parent of
/// either, a home folder, a file, or a folder holding files Bullpen did not
/// write. Two runs into one output take turns.
pub fn replace_site<T>(
    root: &Path,
    out: &Path,
    fill: impl FnOnce(&DirSink) -> Result<T>,
) -> Result<T> {
    let target = check_output_folder(root, out)?;
    check_replaceable(out, &target)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .expect("a checked output folder is below the root of the file system");
    let parent = target
        .parent()
        .expect("a checked output folder has a parent")
        .to_path_buf();
    std::fs::create_dir_all(&parent).map_err(|source| Error::Write {
        path: parent.clone(),
        source,
    })?;
    // A link made while the parents were created could move the output
    // somewhere the first check never saw.
    let again = check_output_folder(root, out)?;
    if again != target {
        return Err(refusal(out, &target, Refusal::Moved(again)));
    }

    let _lock = lock(&parent, &name)?;
    recover(&parent, &name, &target)?;
    check_replaceable(out, &target)?;
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.building-"))
        .rand_bytes(STAGING_RANDOM)
        .tempdir_in(&parent)
        .map_err(|source| Error::Write {
            path: parent.clone(),
            source,
        })?;
    let sink = DirSink::new(staging.path());
    let made = fill(&sink)?;
    sink.write(MARKER, MARKER_TEXT.as_bytes())?;
    swap(&target, staging, &parent, &name)?;
    Ok(made)
}

/// Moves the new output in and the old one out, carrying a Pages
/// checkout's entries over. In this order, a build killed at any point
/// leaves nothing [`recover`] cannot put right: the carried entries are
/// in the staging folder or the output, the old output in the output or
/// `.NAME.previous`.
fn swap(target: &Path, staging: tempfile::TempDir, parent: &Path, name: &str) -> Result<()> {
    let staged = staging.keep();
    let undo = |carried: &[&str]| {
        for entry in carried {
            let _ = std::fs::rename(staged.join(entry), target.join(entry));
        }
        let _ = std::fs::remove_dir_all(&staged);
    };
    let write_error = |path: &Path, source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut carried = Vec::new();
    if target.is_dir() {
        for entry in CARRIED {
            // What the build wrote itself wins over the old copy.
            if exists(&target.join(entry)) && !exists(&staged.join(entry)) {
                if let Err(source) = std::fs::rename(target.join(entry), staged.join(entry)) {
                    undo(&carried);
                    return Err(write_error(&target.join(entry), source));
                }
                carried.push(entry);
            }
        }
    }
    let old = parent.join(format!(".{name}.previous"));
    let had_previous = exists(target);
    if had_previous && let Err(source) = std::fs::rename(target, &old) {
        undo(&carried);
        return Err(write_error(target, source));
    }
    if let Err(source) = std::fs::rename(&staged, target) {
        if had_previous {
            let _ = std::fs::rename(&old, target);
        }
        undo(&carried);
        return Err(write_error(target, source));
    }
    if had_previous {
        remove_output(&old).map_err(|source| write_error(&old, source))?;
    }
    Ok(())
}

/// Removes a previous output, which this build has just moved aside: its
/// folders and theirs on every core (a site's people are one folder of
/// thousands), each of theirs with [`std::fs::remove_dir_all`], which
/// never follows a link out of the tree.
fn remove_output(old: &Path) -> std::io::Result<()> {
    fn remove(folder: &Path, levels: usize) -> std::io::Result<()> {
        if levels == 0 {
            return std::fs::remove_dir_all(folder);
        }
        let entries = std::fs::read_dir(folder)?.collect::<std::io::Result<Vec<_>>>()?;
        entries.par_iter().try_for_each(|entry| {
            if entry.file_type()?.is_dir() {
                remove(&entry.path(), levels - 1)
            } else {
                std::fs::remove_file(entry.path())
            }
        })?;
        std::fs::remove_dir(folder)
    }
    remove(old, 2)
}

/// Takes the lock of the output `name` in `parent`, waiting for another
/// run into the same output to finish. The lock file is left in place:
/// deleting it could let a third run lock a new file while a second still
/// waits on the old one. It is empty, beside the output, never inside it.
fn lock(parent: &Path, name: &str) -> Result<std::fs::File> {
    let path = parent.join(format!(".{name}.lock"));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(false)
        .open(&path)
        .map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
    file.lock()
        .map_err(|source| Error::Write { path, source })?;
    Ok(file)
}

/// Clears what runs into this output left when they were killed (they
/// hold no lock now that we hold it): puts a Pages checkout's entries
/// moved into a staging folder back into the output, and deletes the
/// staging folders and the old output moved aside. Only folders with the
/// names Bullpen gives them are touched. An old output moved aside but
/// never replaced is not put back: this build replaces it anyway.
fn recover(parent: &Path, name: &str, target: &Path) -> Result<()> {
    let previous = parent.join(format!(".{name}.previous"));
    let write_error = |path: &Path, source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let prefix = format!(".{name}.building-");
    let entries = std::fs::read_dir(parent).map_err(|source| Error::Read {
        path: parent.to_path_buf(),
        source,
    })?;
    let mut stale: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok())
        .filter(|entry| {
            entry.file_name().to_str().is_some_and(|n| {
                n.strip_prefix(&prefix).is_some_and(|random| {
                    random.len() == STAGING_RANDOM
                        && random.chars().all(|c| c.is_ascii_alphanumeric())
                })
            })
        })
        .map(|entry| entry.path())
        .filter(|path| is_real_dir(path))
        .collect();
    if is_real_dir(&previous) {
        stale.push(previous);
    }
    for folder in stale {
        for entry in CARRIED {
            let from = folder.join(entry);
            if exists(&from) && !exists(&target.join(entry)) {
                if !exists(target) {
                    std::fs::create_dir(target).map_err(|source| write_error(target, source))?;
                }
                std::fs::rename(&from, target.join(entry))
                    .map_err(|source| write_error(&from, source))?;
            }
        }
        remove_output(&folder).map_err(|source| write_error(&folder, source))?;
    }
    Ok(())
}

/// Whether anything, even a dangling link, is at `path`.
fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// A folder, not a link to one.
fn is_real_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// Refuses an output that is a file, or a folder holding anything but a
/// previous output (it has the marker) or a Pages checkout's entries.
fn check_replaceable(out: &Path, target: &Path) -> Result<()> {
    let metadata = match std::fs::symlink_metadata(target) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(Error::Read {
                path: target.to_path_buf(),
                source,
            });
        }
    };
    if !metadata.is_dir() {
        return Err(refusal(out, target, Refusal::File));
    }
    let read_error = |source| Error::Read {
        path: target.to_path_buf(),
        source,
    };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(target).map_err(read_error)? {
        names.push(entry.map_err(read_error)?.file_name());
    }
    if names.iter().any(|n| n == MARKER) {
        return Ok(());
    }
    let mut foreign: Vec<String> = names
        .iter()
        .filter(|n| !CARRIED.iter().any(|c| *n == *c))
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    let more = foreign.len().saturating_sub(3);
    foreign.truncate(3);
    if more > 0 {
        foreign.push(format!("{more} more"));
    }
    Err(refusal(out, target, Refusal::Foreign(foreign)))
}

fn refusal(out: &Path, target: &Path, why: Refusal) -> Error {
    Error::OutputFolder {
        path: out.to_path_buf(),
        resolved: target.to_path_buf(),
        why,
    }
}

/// Writes `files` into a new folder `dir`, which must not exist or be empty.
pub fn write_new(dir: &Path, files: &[OutputFile]) -> Result<()> {
    write_new_folders(&[(dir, files)])
}

/// Writes each folder's files into it, as [`write_new`] does, once every
/// folder is known to be new or empty: none is written when one is not.
pub fn write_new_folders(folders: &[(&Path, &[OutputFile])]) -> Result<()> {
    let mut targets = Vec::new();
    for (dir, _) in folders {
        targets.push(new_folder(dir)?);
    }
    for (target, (_, files)) in targets.iter().zip(folders) {
        write_files(target, files)?;
    }
    Ok(())
}

/// Where `dir` really is, when it does not exist or is an empty folder.
fn new_folder(dir: &Path) -> Result<PathBuf> {
    // Resolved first: `missing/../full` must be seen as the full folder
    // it is, not as a folder that does not exist.
    let target = resolve(dir)?;
    if let Ok(metadata) = std::fs::metadata(&target) {
        if !metadata.is_dir() {
            return Err(Error::Refused(format!(
                "{} is a file; choose a new or empty folder",
                dir.display()
            )));
        }
        let mut entries = std::fs::read_dir(&target).map_err(|source| Error::Read {
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
    Ok(target)
}

/// Adds `files` to the folder `dir` (made if missing) without touching
/// anything already there: when any of them exists (a file, a folder or a
/// link, even a dangling one) nothing is written and the error names
/// them. Each file is created new, so one that appears meanwhile is not
/// overwritten either. What `import` copies a handbook with.
pub fn add_new_files(dir: &Path, files: &[OutputFile]) -> Result<()> {
    let target = resolve(dir)?;
    if std::fs::metadata(&target).is_ok_and(|m| !m.is_dir()) {
        return Err(Error::Refused(format!(
            "{} is a file; choose a folder",
            dir.display()
        )));
    }
    let mut taken = Vec::new();
    let mut seen = HashSet::new();
    for file in files {
        let relative = safe_relative(&file.path)?;
        if !seen.insert(relative.clone()) {
            return Err(Error::Refused(format!(
                "`{}` would be written twice; nothing was written",
                file.path
            )));
        }
        if exists(&target.join(&relative)) {
            taken.push(dir.join(&relative).display().to_string());
        }
    }
    if !taken.is_empty() {
        let shown = taken.len().min(5);
        let more = taken.len() - shown;
        let mut names = taken[..shown].join(", ");
        if more > 0 {
            names.push_str(&format!(" and {more} more"));
        }
        return Err(Error::Refused(format!(
            "{} already there, and nothing is overwritten: {names}; \
             move or delete {}, or import into another folder (`--into`)",
            if taken.len() == 1 {
                "1 file is".to_string()
            } else {
                format!("{} files are", taken.len())
            },
            if taken.len() == 1 { "it" } else { "them" }
        )));
    }
    for file in files {
        let path = target.join(safe_relative(&file.path)?);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
        std::io::Write::write_all(&mut out, &file.bytes)
            .map_err(|source| Error::Write { path, source })?;
    }
    Ok(())
}

/// Writes `files` into `dir` (created if missing), replacing files of the
/// same names and leaving the rest of the folder alone.
pub fn write_into(dir: &Path, files: &[OutputFile]) -> Result<()> {
    let target = resolve(dir)?;
    if std::fs::metadata(&target).is_ok_and(|m| !m.is_dir()) {
        return Err(Error::Refused(format!(
            "{} is a file; choose a folder",
            dir.display()
        )));
    }
    write_files(&target, files)
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

/// `path` as the file system will take it: absolute, `.` and `..` worked
/// out, and links followed in the part that exists. A `..` after a folder
/// that does not exist yet cancels it, as it will once `create_dir_all`
/// has made that folder; a `..` after one that exists goes to its real
/// parent, which is where the system goes through a link.
pub fn resolve(path: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut resolved = PathBuf::new();
    // How many of the last components of `resolved` do not exist; the
    // rest is canonical, so popping it is going to the real parent.
    let mut missing = 0usize;
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
                missing = missing.saturating_sub(1);
            }
            Component::Normal(part) => {
                resolved.push(part);
                if missing > 0 {
                    missing += 1;
                } else {
                    match resolved.canonicalize() {
                        Ok(real) => resolved = real,
                        Err(_) => missing = 1,
                    }
                }
            }
        }
    }
    Ok(resolved)
}

/// Where `out` really is, when the build may replace it: not the site
/// root or above it, not in content/ or themes/, not a home folder.
fn check_output_folder(root: &Path, out: &Path) -> Result<PathBuf> {
    let target = resolve(out)?;
    let root = resolve(root)?;
    let refuse = |why| Err(refusal(out, &target, why));
    if root.starts_with(&target) {
        return refuse(Refusal::AboveRoot);
    }
    if target.starts_with(root.join("content")) {
        return refuse(Refusal::InContent);
    }
    let themes = root.join("themes");
    if target.starts_with(&themes) || themes.starts_with(&target) {
        return refuse(Refusal::InThemes);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .map(|h| resolve(&h))
        .transpose()?;
    if target.parent().is_none() || home.is_some_and(|home| home.starts_with(&target)) {
        return refuse(Refusal::Home);
    }
    Ok(target)
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

    /// The previous output goes whole, on every core, and a link in it at
    /// any depth goes as a link: what it points at stays.
    #[test]
    #[cfg(unix)]
    fn removing_a_previous_output_never_follows_a_link_out() {
        let base = tempfile::tempdir().unwrap();
        let outside = base.path().join("outside");
        std::fs::create_dir_all(outside.join("inner")).unwrap();
        std::fs::write(outside.join("inner/keep.txt"), "keep").unwrap();
        let old = base.path().join(".public.previous");
        for folder in ["people/a", "people/b/deep/er", "tags"] {
            std::fs::create_dir_all(old.join(folder)).unwrap();
            std::fs::write(old.join(folder).join("index.html"), "x").unwrap();
        }
        std::fs::write(old.join("index.html"), "x").unwrap();
        for link in ["top", "people/mid", "people/b/low", "people/b/deep/lowest"] {
            std::os::unix::fs::symlink(&outside, old.join(link)).unwrap();
        }
        remove_output(&old).unwrap();
        assert!(!exists(&old));
        assert_eq!(
            std::fs::read_to_string(outside.join("inner/keep.txt")).unwrap(),
            "keep"
        );
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
    fn a_path_through_a_missing_folder_is_checked_where_it_lands() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("themes/plain")).unwrap();
        for out in [
            "public/../content",
            "a/b/../../content/people",
            "x/../themes",
            "x/../themes/plain/../..",
            "x/./..",
        ] {
            let result = check_output_folder(root, &root.join(out));
            assert!(
                matches!(result, Err(Error::OutputFolder { .. })),
                "{out}: {result:?}"
            );
        }
        let real = resolve(root).unwrap();
        assert_eq!(
            check_output_folder(root, &root.join("x/../public")).unwrap(),
            real.join("public")
        );
    }

    #[test]
    fn resolving_cancels_missing_folders_and_follows_links() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(base.join("deep/er")).unwrap();
        assert_eq!(
            resolve(&base.join("no/such/../../deep/./er")).unwrap(),
            base.join("deep/er")
        );
        assert_eq!(
            resolve(&base.join("deep/new/more")).unwrap(),
            base.join("deep/new/more")
        );
        #[cfg(unix)]
        {
            // `link/..` is where the system goes: the parent of the link's
            // target, not the folder holding the link.
            std::os::unix::fs::symlink(base.join("deep/er"), base.join("link")).unwrap();
            assert_eq!(resolve(&base.join("link/..")).unwrap(), base.join("deep"));
            assert_eq!(
                resolve(&base.join("link/new/../x")).unwrap(),
                base.join("deep/er/x")
            );
        }
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
        assert!(out.join(MARKER).is_file());
        let mut leftovers: Vec<_> = std::fs::read_dir(site.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        leftovers.sort();
        // The lock stays: see `lock`.
        assert_eq!(leftovers, vec![".public.lock", "public"]);
    }

    #[test]
    fn a_folder_of_someone_elses_files_is_refused_before_anything_is_made() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("theirs");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let result = write_site(site.path(), &out, &[]);
        assert!(
            matches!(
                &result,
                Err(Error::OutputFolder { why: Refusal::Foreign(names), .. }) if names == &["notes.txt"]
            ),
            "{result:?}"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("notes.txt")).unwrap(),
            "mine"
        );
        assert_eq!(std::fs::read_dir(site.path()).unwrap().count(), 1);
    }

    #[test]
    fn init_and_schema_refuse_a_file_and_leave_it_alone() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("taken");
        std::fs::write(&file, "mine").unwrap();
        let schema = OutputFile {
            path: "a.schema.json".into(),
            bytes: b"{}".to_vec(),
        };
        assert!(write_new(&file, std::slice::from_ref(&schema)).is_err());
        assert!(write_into(&file, std::slice::from_ref(&schema)).is_err());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_pages_checkout_may_be_built_into_and_keeps_its_entries() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("pages");
        std::fs::create_dir_all(out.join(".git")).unwrap();
        std::fs::write(out.join(".git/HEAD"), "ref").unwrap();
        std::fs::write(out.join("CNAME"), "x.example").unwrap();
        let page = OutputFile {
            path: "index.html".into(),
            bytes: b"hi".to_vec(),
        };
        for _ in 0..2 {
            write_site(site.path(), &out, std::slice::from_ref(&page)).unwrap();
            assert_eq!(
                std::fs::read_to_string(out.join(".git/HEAD")).unwrap(),
                "ref"
            );
            assert_eq!(
                std::fs::read_to_string(out.join("CNAME")).unwrap(),
                "x.example"
            );
            assert!(out.join("index.html").is_file());
        }
    }
}

//! Load stage: the private folder (`private:` in site.yaml, or `--private`),
//! read and laid over `content/` for the managers' build. Entry: [`overlay`].
//!
//! The folder is usually a second git repository that only managers can
//! read. It may hold `coaching/`, `playbooks/`, `reports/` and
//! `people/<id>.md` bios; everything in it is managers-only, whatever its
//! front matter says. Its files are classified and parsed as if they sat
//! in `content/` (so links between the two folders resolve), and every
//! diagnostic about one is renamed back to the private file's own path.

use super::raw::{RawSite, RawVisibility};
use super::{Content, Located, limits::Limits};
use crate::error::{Diagnostic, Error, Position, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The folders a private folder may hold, and bios under `people/`.
pub const FOLDERS: &[&str] = &["coaching", "playbooks", "reports"];

/// The private folder of a managers' build, once read: which content
/// paths came from it.
#[derive(Debug, Clone, Default)]
pub struct Private {
    /// The folder, relative to the site root (or absolute).
    pub dir: PathBuf,
    /// Each file's path as if it sat in content/ (`content/coaching/a/log.yaml`)
    /// → its real path, relative to the site root (`../sales-private/coaching/a/log.yaml`).
    pub files: BTreeMap<PathBuf, PathBuf>,
}

impl Private {
    /// Names each diagnostic's private file by its own path.
    pub fn rename(&self, diagnostics: &mut [Diagnostic]) {
        for diagnostic in diagnostics {
            if let Some(real) = self.files.get(&diagnostic.file) {
                diagnostic.file = real.clone();
            }
        }
    }

    /// The real path of a file given by its path under content/, when it
    /// came from the private folder.
    pub fn real(&self, file: &Path) -> Option<&Path> {
        self.files.get(file).map(PathBuf::as_path)
    }
}

/// Where the private folder is: `flag` (from `--private`) wins over
/// site.yaml's `private:`. A relative path is taken from the site root.
pub fn folder(flag: Option<&Path>, site: Option<&Located<RawSite>>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf).or_else(|| {
        site.and_then(|site| site.value.private.as_deref())
            .filter(|dir| !dir.trim().is_empty())
            .map(PathBuf::from)
    })
}

/// Whether the private folder at `dir` (relative to `root`) can be read.
pub fn readable(root: &Path, dir: &Path) -> bool {
    std::fs::read_dir(root.join(dir)).is_ok()
}

/// Reads the private folder `dir` (relative to `root`) and lays it over
/// `content`: every page in it becomes managers-only. A file at the same
/// path in both folders is an error naming both. Returns which files
/// came from it, for renaming diagnostics.
pub fn overlay(
    root: &Path,
    dir: &Path,
    limits: &Limits,
    content: &mut Content,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Private> {
    let base = root.join(dir);
    std::fs::read_dir(&base).map_err(|source| Error::Private {
        dir: dir.to_path_buf(),
        source,
    })?;
    let mut private = Private {
        dir: dir.to_path_buf(),
        files: BTreeMap::new(),
    };
    let mut sources = Vec::new();
    let mut bios = Vec::new();
    // Dotfiles, `.git/` and editors' scratch files are not content.
    let walker = super::walk(&base);
    for entry in walker {
        let entry = entry.map_err(|err| Error::Read {
            path: err.path().unwrap_or(&base).to_path_buf(),
            source: err.into(),
        })?;
        if entry.file_type().is_dir() {
            continue;
        }
        let inner = entry.path().strip_prefix(&base).unwrap_or(entry.path());
        let real = dir.join(inner);
        let key = inner.to_string_lossy().replace('\\', "/");
        let shown = PathBuf::from("content").join(inner);
        if entry.file_type().is_symlink() {
            diagnostics.push(Diagnostic::error(
                &real,
                "symbolic links are not followed in the private folder",
            ));
            continue;
        }
        let parts: Vec<&str> = key.split('/').collect();
        let allowed = match parts.as_slice() {
            // The repository's own readme, licence and the like.
            [_] => continue,
            ["people", name] => name.ends_with(".md"),
            [folder, ..] => FOLDERS.contains(folder),
            [] => false,
        };
        if !allowed {
            diagnostics.push(
                Diagnostic::error(
                    &real,
                    "the private folder holds coaching/, playbooks/, reports/ and people/<id>.md bios only",
                )
                .with_help("figures, people and site settings belong in content/"),
            );
            continue;
        }
        if root.join(&shown).exists() {
            diagnostics.push(
                Diagnostic::error(
                    &real,
                    format!(
                        "{} is in both content/ and the private folder: {} and {}",
                        key,
                        shown.display(),
                        real.display()
                    ),
                )
                .with_help(format!(
                    "keep one: managers-only material belongs in {}",
                    real.display()
                )),
            );
            continue;
        }
        let bytes = match limits.read(root, &real) {
            Ok(bytes) => bytes,
            Err(diagnostic) => {
                content.unloaded.insert(key);
                diagnostics.push(diagnostic);
                continue;
            }
        };
        private.files.insert(shown.clone(), real);
        if parts[0] == "people" {
            bios.push((shown, bytes));
        } else {
            sources.push((shown, bytes));
        }
    }
    let (mut more, mut found) = super::parse_files(sources);
    for doc in &mut more.playbooks {
        doc.doc.meta.value.visibility = Some(RawVisibility::Managers);
    }
    for doc in &mut more.sections {
        doc.doc.meta.value.visibility = Some(RawVisibility::Managers);
    }
    for doc in &mut more.reports {
        doc.doc.meta.value.visibility = Some(RawVisibility::Managers);
    }
    for (file, bytes) in bios {
        match bio(&file, bytes) {
            Ok(bio) => more.bios.push(bio),
            Err(diagnostic) => found.push(diagnostic),
        }
    }
    private.rename(&mut found);
    diagnostics.extend(found);
    content.absorb(more);
    content.private_files.extend(private.files.keys().cloned());
    Ok(private)
}

/// A managers-only bio, `people/<id>.md` in the private folder: Markdown,
/// with any front matter left out (the person is defined in content/).
fn bio(file: &Path, bytes: Vec<u8>) -> std::result::Result<super::Bio, Diagnostic> {
    let id = file
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let text = super::decode(file, bytes)?;
    let split = super::frontmatter::split(&text).map_err(|_| {
        Diagnostic::error(file, "the front matter is never closed")
            .at(Some(Position::line(1)))
            .with_help("end the front matter with a line holding only `---`")
    })?;
    Ok(super::Bio {
        id,
        file: file.to_path_buf(),
        body: split.body.to_string(),
        body_line: split.body_line,
    })
}

/// Warnings for managers-only material in the shared repository: a
/// `content/coaching/` folder, and pages marked `visibility: managers`,
/// each saying where in the private folder (`dir`, or `private/` when none
/// is configured) it belongs. Files that came from the private folder are
/// not in the shared repository.
pub fn shared(
    root: &Path,
    content: &Content,
    private: &Private,
    dir: Option<&Path>,
) -> Vec<Diagnostic> {
    let dir = dir.unwrap_or(Path::new("../sales-private"));
    let configured = if private.dir.as_os_str().is_empty() {
        format!(
            " (set `private: {}` in content/site.yaml, or pass --private)",
            dir.display()
        )
    } else {
        String::new()
    };
    let mut warnings = Vec::new();
    if root.join("content/coaching").is_dir() {
        warnings.push(
            Diagnostic::warning(
                "content/coaching",
                "coaching plans and logs in content/coaching/ are readable by everyone who can read this repository",
            )
            .with_help(format!(
                "move the folder to {}{configured}, a repository only managers can read",
                dir.join("coaching").display()
            )),
        );
    }
    let in_shared = |file: &Path| !private.files.contains_key(file);
    let managers = Some(RawVisibility::Managers);
    let pages = content
        .playbooks
        .iter()
        .filter(|doc| doc.doc.meta.value.visibility == managers)
        .map(|doc| &doc.doc.meta.file)
        .chain(
            content
                .sections
                .iter()
                .filter(|doc| doc.doc.meta.value.visibility == managers)
                .map(|doc| &doc.doc.meta.file),
        )
        .chain(
            content
                .reports
                .iter()
                .filter(|doc| doc.doc.meta.value.visibility == managers)
                .map(|doc| &doc.doc.meta.file),
        );
    for file in pages.filter(|file| in_shared(file)) {
        let inner = file.strip_prefix("content").unwrap_or(file);
        warnings.push(
            Diagnostic::warning(
                file,
                "this page is `visibility: managers`, but it is readable by everyone who can read this repository",
            )
            .with_help(format!(
                "move it to {}{configured}, a repository only managers can read",
                dir.join(inner).display()
            )),
        );
    }
    warnings
}

/// `private:` in `root`'s content/site.yaml, read before anything else:
/// `None` when it gives none or does not parse (its errors are reported
/// when the site loads).
pub fn configured(root: &Path) -> Option<PathBuf> {
    #[derive(serde::Deserialize)]
    struct OnlyPrivate {
        private: Option<String>,
    }
    let text = std::fs::read_to_string(root.join("content/site.yaml")).ok()?;
    serde_norway::from_str::<OnlyPrivate>(&text)
        .ok()?
        .private
        .filter(|dir| !dir.trim().is_empty())
        .map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(private: Option<&str>) -> Located<RawSite> {
        let yaml = match private {
            Some(dir) => format!("title: T\nprivate: {dir}\n"),
            None => "title: T\n".to_string(),
        };
        Located {
            file: "content/site.yaml".into(),
            value: serde_norway::from_str(&yaml).unwrap(),
            yaml,
            yaml_line: 1,
        }
    }

    #[test]
    fn the_flag_wins_over_site_yaml() {
        let configured = site(Some("../sales-private"));
        assert_eq!(
            folder(None, Some(&configured)),
            Some(PathBuf::from("../sales-private"))
        );
        assert_eq!(
            folder(Some(Path::new("/srv/private")), Some(&configured)),
            Some(PathBuf::from("/srv/private"))
        );
        assert_eq!(folder(None, Some(&site(None))), None);
        assert_eq!(folder(None, None), None);
    }

    #[test]
    fn diagnostics_are_renamed_to_the_private_file() {
        let mut private = Private::default();
        private.files.insert(
            "content/reports/comp.md".into(),
            "../sales-private/reports/comp.md".into(),
        );
        let mut diagnostics = vec![
            Diagnostic::error("content/reports/comp.md", "bad"),
            Diagnostic::error("content/reports/qbr.md", "bad"),
        ];
        private.rename(&mut diagnostics);
        assert_eq!(
            diagnostics[0].file,
            Path::new("../sales-private/reports/comp.md")
        );
        assert_eq!(diagnostics[1].file, Path::new("content/reports/qbr.md"));
    }

    #[test]
    fn a_site_yaml_that_does_not_parse_names_no_private_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        assert_eq!(configured(dir.path()), None);
        std::fs::write(dir.path().join("content/site.yaml"), "title: [").unwrap();
        assert_eq!(configured(dir.path()), None);
        std::fs::write(
            dir.path().join("content/site.yaml"),
            "title: T\nprivate: ../p\n",
        )
        .unwrap();
        assert_eq!(configured(dir.path()), Some(PathBuf::from("../p")));
    }
}

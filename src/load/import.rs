//! Load stage: the folder of an existing handbook that `bullpen import`
//! copies, read as it is — Markdown, images and PDFs kept, everything else
//! named as skipped, never dropped silently. Entry: [`read_handbook`].

use crate::error::{Error, Result};
use std::path::Path;

/// The largest file `import` copies, as `limits.file_mb`'s default.
const MAX_BYTES: u64 = super::limits::DEFAULT_FILE_MB as u64 * 1024 * 1024;

/// One file of the handbook, by its path inside the folder (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub what: Found,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A Markdown page, as UTF-8 text (a BOM and CRLF line ends are kept:
    /// the copy is the file as it was).
    Page(Vec<u8>),
    /// An image or a PDF, copied as it is.
    Asset(Vec<u8>),
    /// Not copied, and why.
    Skipped(String),
}

/// Every file under `src`, sorted by path. Links are not followed (a link
/// could reach files outside the handbook): they are skipped, by name.
/// Hidden files and folders (`.git`, `.github`) are skipped whole.
pub fn read_handbook(src: &Path) -> Result<Vec<SourceFile>> {
    let metadata = std::fs::metadata(src).map_err(|source| Error::Read {
        path: src.to_path_buf(),
        source,
    })?;
    if !metadata.is_dir() {
        return Err(Error::Refused(format!(
            "{} is not a folder; give the folder that holds the handbook's Markdown",
            src.display()
        )));
    }
    let mut found = Vec::new();
    walk(src, "", &mut found)?;
    found.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}

fn walk(dir: &Path, prefix: &str, found: &mut Vec<SourceFile>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| Error::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let name = entry.file_name().to_string_lossy().to_string();
        let path = format!("{prefix}{name}");
        let kind = entry.file_type().map_err(|source| Error::Read {
            path: entry.path(),
            source,
        })?;
        let skip = |why: &str| SourceFile {
            path: path.clone(),
            what: Found::Skipped(why.to_string()),
        };
        if name.starts_with('.') {
            let what = if kind.is_dir() {
                "hidden folder"
            } else {
                "hidden file"
            };
            found.push(skip(what));
        } else if kind.is_symlink() {
            found.push(skip("a symbolic link; copy what it points to by hand"));
        } else if kind.is_dir() {
            walk(&entry.path(), &format!("{path}/"), found)?;
        } else {
            found.push(read_one(&entry.path(), path));
        }
    }
    Ok(())
}

fn read_one(file: &Path, path: String) -> SourceFile {
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let page = matches!(extension.as_str(), "md" | "markdown");
    let asset = super::ASSET_EXTENSIONS.contains(&extension.as_str());
    let what = if !page && !asset {
        Found::Skipped("neither Markdown nor an image or PDF".into())
    } else {
        match std::fs::metadata(file) {
            Ok(m) if m.len() > MAX_BYTES => Found::Skipped(format!(
                "larger than {} MiB",
                super::limits::DEFAULT_FILE_MB
            )),
            Err(err) => Found::Skipped(format!("cannot be read: {err}")),
            Ok(_) => match std::fs::read(file) {
                Err(err) => Found::Skipped(format!("cannot be read: {err}")),
                Ok(bytes) if page => Found::Page(bytes),
                Ok(bytes) => Found::Asset(bytes),
            },
        }
    };
    SourceFile { path, what }
}

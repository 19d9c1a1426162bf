//! Load stage: the largest file Bullpen reads, set by site.yaml's
//! `limits:`. Entry: [`Limits::of_site`], then [`Limits::read`].
//!
//! A file is measured before it is read: a 200 MB playbook is refused
//! with its size and the setting to raise, not parsed into gigabytes.

use super::raw::RawLimits;
use crate::error::Diagnostic;
use std::io::Read;
use std::path::Path;

const MIB: u64 = 1024 * 1024;

/// The default and largest `max_file_mb`: Markdown and YAML become several
/// times their size in memory as they are parsed and rendered, and no
/// hand-written page or figures file comes near 10 MiB.
pub const DEFAULT_FILE_MB: u32 = 10;
pub const MAX_FILE_MB: u32 = 1024;

/// The default and largest `max_deals_file_mb`. A CRM export is streamed
/// row by row, so it may be larger: a million-row export is about 91 MB
/// and peaks near 400 MB in memory; 256 MiB allows some 2.8 million rows.
pub const DEFAULT_DEALS_FILE_MB: u32 = 256;
pub const MAX_DEALS_FILE_MB: u32 = 4096;

/// File types read as bytes and copied as they are: not limited.
const COPIED: &[&str] = &["png", "jpg", "jpeg", "gif", "svg", "webp", "pdf"];

/// The largest file of each kind Bullpen reads, in MiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Markdown and YAML (and any other text file under `content/`).
    pub file_mb: u32,
    /// Deal exports (`.csv`).
    pub deals_file_mb: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_mb: DEFAULT_FILE_MB,
            deals_file_mb: DEFAULT_DEALS_FILE_MB,
        }
    }
}

impl Limits {
    /// The limits `limits:` sets, each kept within its accepted range (a
    /// value outside it is reported by the model stage).
    pub fn from_raw(raw: Option<&RawLimits>) -> Limits {
        let default = Limits::default();
        let Some(raw) = raw else { return default };
        Limits {
            file_mb: raw
                .max_file_mb
                .unwrap_or(default.file_mb)
                .clamp(1, MAX_FILE_MB),
            deals_file_mb: raw
                .max_deals_file_mb
                .unwrap_or(default.deals_file_mb)
                .clamp(1, MAX_DEALS_FILE_MB),
        }
    }

    /// The limits in site.yaml's text, read before anything else (and
    /// before site.yaml is validated): the defaults when it gives none or
    /// does not parse, as its own errors are reported later.
    pub fn of_site(text: &str) -> Limits {
        #[derive(serde::Deserialize)]
        struct OnlyLimits {
            limits: Option<RawLimits>,
        }
        let limits = serde_norway::from_str::<OnlyLimits>(text)
            .ok()
            .and_then(|site| site.limits);
        Limits::from_raw(limits.as_ref())
    }

    /// The limit for `file`, in MiB, and the setting that raises it; `None`
    /// for files copied as they are.
    fn for_file(&self, file: &Path) -> Option<(u32, &'static str, u32, &'static str)> {
        let extension = file
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if COPIED.contains(&extension.as_str()) {
            None
        } else if extension == "csv" {
            Some((
                self.deals_file_mb,
                "max_deals_file_mb",
                MAX_DEALS_FILE_MB,
                "deal export",
            ))
        } else {
            Some((
                self.file_mb,
                "max_file_mb",
                MAX_FILE_MB,
                "Markdown or YAML file",
            ))
        }
    }

    /// Reads `root`/`file` (`file` relative to the root), measuring it
    /// first: a file over its limit is an error naming its size, the
    /// limit and the setting, and is never read.
    pub fn read(&self, root: &Path, file: &Path) -> Result<Vec<u8>, Diagnostic> {
        let cannot =
            |err: std::io::Error| Diagnostic::error(file, format!("cannot read the file: {err}"));
        let mut handle = std::fs::File::open(root.join(file)).map_err(cannot)?;
        let size = handle.metadata().map_err(cannot)?.len();
        if let Some((limit_mb, setting, most, what)) = self.for_file(file) {
            let limit = u64::from(limit_mb) * MIB;
            if size > limit {
                return Err(Diagnostic::error(
                    file,
                    format!(
                        "the file is {}; the largest {what} Bullpen reads is {limit_mb} MiB",
                        mebibytes(size)
                    ),
                )
                .with_help(format!(
                    "split the file, or raise the limit in content/site.yaml: `limits: {{{setting}: {}}}` (at most {most})",
                    size.div_ceil(MIB).min(u64::from(most))
                )));
            }
            // Read no more than the limit, even if the file grows meanwhile.
            let mut bytes = Vec::with_capacity(size as usize);
            handle
                .take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(cannot)?;
            if bytes.len() as u64 > limit {
                return Err(Diagnostic::error(
                    file,
                    format!("the file grew past {limit_mb} MiB while it was read"),
                ));
            }
            return Ok(bytes);
        }
        let mut bytes = Vec::with_capacity(size as usize);
        handle.read_to_end(&mut bytes).map_err(cannot)?;
        Ok(bytes)
    }
}

/// `200.0 MiB`, `512 bytes`.
fn mebibytes(size: u64) -> String {
    if size < MIB {
        format!("{size} bytes")
    } else {
        format!("{:.1} MiB", size as f64 / MIB as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_its_limit_is_measured_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/deals")).unwrap();
        // Sparse: 11 MiB on paper, nothing on disk.
        let big = std::fs::File::create(root.join("content/big.md")).unwrap();
        big.set_len(11 * MIB).unwrap();
        let csv = std::fs::File::create(root.join("content/deals/q3.csv")).unwrap();
        csv.set_len(11 * MIB).unwrap();
        let limits = Limits::default();
        let err = limits.read(root, Path::new("content/big.md")).unwrap_err();
        assert_eq!(
            err.message,
            "the file is 11.0 MiB; the largest Markdown or YAML file Bullpen reads is 10 MiB"
        );
        assert_eq!(
            err.help.as_deref(),
            Some(
                "split the file, or raise the limit in content/site.yaml: `limits: {max_file_mb: 11}` (at most 1024)"
            )
        );
        // A deal export of that size is within its own limit.
        assert_eq!(
            limits
                .read(root, Path::new("content/deals/q3.csv"))
                .unwrap()
                .len() as u64,
            11 * MIB
        );
        let raised = Limits::of_site("title: x\nlimits: {max_file_mb: 12}\n");
        assert_eq!(raised.file_mb, 12);
        assert!(raised.read(root, Path::new("content/big.md")).is_ok());
        let strict = Limits::of_site("limits:\n  max_deals_file_mb: 1\n");
        assert!(
            strict
                .read(root, Path::new("content/deals/q3.csv"))
                .is_err()
        );
        assert_eq!(Limits::of_site("limits: [oops"), Limits::default());
    }
}

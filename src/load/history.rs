//! Load stage: each content file's history from git, in one pass over the
//! log. Entry: [`read`].
//!
//! One `git log` gives every commit that touched `content/` with the files
//! it changed; one `git status` gives uncommitted edits. Without git, or
//! outside a repository, there is no history and no error. Dates come from
//! the commits, never the clock.

use crate::error::Diagnostic;
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// One commit's change to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub hash: String,
    pub short: String,
    pub author: String,
    pub date: Date,
    pub subject: String,
}

/// What git knows of the site's content.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// File (relative to the site root, `content/…`) → its changes, newest first.
    pub changes: BTreeMap<String, Vec<Change>>,
    /// Files with uncommitted edits.
    pub uncommitted: std::collections::BTreeSet<String>,
    /// The date of the newest commit touching content/: "today" for review
    /// dates, so that builds stay reproducible.
    pub as_of: Option<Date>,
    /// Whether the history was read at all.
    pub available: bool,
    /// The site root's folder inside the repository (`handbook/`), empty at its top.
    pub prefix: String,
}

impl History {
    /// The newest change of a file.
    pub fn last(&self, file: &Path) -> Option<&Change> {
        self.changes.get(&key(file))?.first()
    }

    pub fn of(&self, file: &Path) -> &[Change] {
        self.changes.get(&key(file)).map_or(&[], Vec::as_slice)
    }

    pub fn is_uncommitted(&self, file: &Path) -> bool {
        self.uncommitted.contains(&key(file))
    }
}

fn key(file: &Path) -> String {
    file.to_string_lossy().replace('\\', "/")
}

/// Fields of `git log`'s output are each preceded by NUL, the one
/// character no commit subject or author name can hold (git refuses it).
const FIELDS: usize = 5;

fn git(root: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Adds the commits of `log` (`git log` in the format [`read`] asks for:
/// five NUL-led fields, the last followed by the changed files, one a line)
/// to `history`, keeping the files under `prefix`.
fn add_log(history: &mut History, log: &str, prefix: &str) {
    let fields: Vec<&str> = log.split('\0').skip(1).collect();
    for record in fields.chunks_exact(FIELDS) {
        let [hash, short, date, author, rest] = record else {
            continue;
        };
        let mut lines = rest.split('\n');
        let subject = lines.next().unwrap_or_default();
        let Ok(date) = date.parse::<Date>() else {
            continue;
        };
        history.as_of = history.as_of.max(Some(date));
        // Names and subjects are free text: a terminal colour code or
        // other control character in one must not break a page or the feed.
        let change = Change {
            hash: hash.to_string(),
            short: short.to_string(),
            author: crate::text::without_controls(author).into_owned(),
            date,
            subject: crate::text::without_controls(subject).into_owned(),
        };
        for file in lines.map(str::trim).filter(|l| !l.is_empty()) {
            let Some(file) = file.strip_prefix(prefix) else {
                continue;
            };
            history
                .changes
                .entry(file.to_string())
                .or_default()
                .push(change.clone());
        }
    }
}

/// Reads the history of `root/content`, with a notice when it is shallow.
pub fn read(root: &Path) -> (History, Vec<Diagnostic>) {
    let mut notices = Vec::new();
    let Some(top) = git(root, &["rev-parse", "--show-toplevel"]) else {
        return (History::default(), notices);
    };
    let top = Path::new(top.trim());
    // Paths in git's output are relative to the repository's top; the site
    // may be a folder inside it.
    let root_abs = std::path::absolute(root)
        .ok()
        .and_then(|p| p.canonicalize().ok())
        .unwrap_or_else(|| root.to_path_buf());
    let top_abs = top.canonicalize().unwrap_or_else(|_| top.to_path_buf());
    let prefix = root_abs.strip_prefix(&top_abs).map(key).unwrap_or_default();
    let prefix = if prefix.is_empty() {
        String::new()
    } else {
        format!("{prefix}/")
    };

    let format = "--format=%x00%H%x00%h%x00%ad%x00%an%x00%s";
    let Some(log) = git(
        root,
        &[
            "log",
            format,
            "--date=short",
            "--name-only",
            "--no-renames",
            "--",
            "content",
        ],
    ) else {
        return (History::default(), notices);
    };
    let mut history = History {
        available: true,
        prefix: prefix.clone(),
        ..History::default()
    };
    add_log(&mut history, &log, &prefix);
    if let Some(status) = git(
        root,
        &[
            "status",
            "--porcelain",
            "--untracked-files=all",
            "--",
            "content",
        ],
    ) {
        for line in status.lines().filter(|l| l.len() > 3) {
            let path = line[3..].trim().trim_matches('"');
            let path = path.rsplit(" -> ").next().unwrap_or(path);
            if let Some(file) = path.strip_prefix(&prefix) {
                history.uncommitted.insert(file.to_string());
            }
        }
    }
    if git(root, &["rev-parse", "--is-shallow-repository"]).is_some_and(|s| s.trim() == "true") {
        notices.push(
            Diagnostic::warning(
                "content",
                "the git history is shallow, so last-change dates and histories may be incomplete",
            )
            .with_help(
                "fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` in CI)",
            ),
        );
    }
    (history, notices)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_subjects_and_names_are_replaced_not_misread() {
        let log = "\0aaa\0a\x002026-06-01\0Sam\x02 Fox\0Fix\x1e the\x1f \x1b[31mopening\n\nsite/content/playbooks/a.md\n\
                   \0bbb\0b\x002026-01-10\0Dana Lee\0Start\n\nsite/content/playbooks/a.md\nother/x.md\n";
        let mut history = History::default();
        add_log(&mut history, log, "site/");
        let changes = history.of(Path::new("content/playbooks/a.md"));
        assert_eq!(changes.len(), 2, "{changes:#?}");
        assert_eq!(
            changes[0].subject,
            "Fix\u{fffd} the\u{fffd} \u{fffd}[31mopening"
        );
        assert_eq!(changes[0].author, "Sam\u{fffd} Fox");
        assert_eq!(changes[1].subject, "Start");
        assert_eq!(history.as_of, Some(jiff::civil::date(2026, 6, 1)));
        assert_eq!(history.changes.len(), 1);
    }
}

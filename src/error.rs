//! Errors of every stage: located diagnostics for content, typed errors for the rest.
//!
//! Content problems are collected as [`Diagnostic`]s (all of a run, not only the
//! first) and returned together in [`Error::Content`]; `main` renders them once.

use std::fmt;
use std::path::PathBuf;

/// How serious a diagnostic is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one content file, with its location when the input has one.
///
/// `file` is relative to the site root (`content/people/ben-cole.yaml`), and
/// `line`/`column` are 1-based and counted from the top of the file, front
/// matter included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Sets the line (and column, when known) the problem is at.
    pub fn at(mut self, position: Option<Position>) -> Self {
        if let Some(position) = position {
            self.line = Some(position.line);
            self.column = Some(position.column);
        }
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this stops a build (an error, not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The order diagnostics are reported in: by file, then line, then column.
    pub fn sort_key(&self) -> (&PathBuf, usize, usize, Severity) {
        (
            &self.file,
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            self.severity,
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// A 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub fn line(line: usize) -> Self {
        Position { line, column: 1 }
    }
}

/// How many of `diagnostics` are errors; the rest are warnings.
pub fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.is_error()).count()
}

/// Sorts diagnostics into report order and drops exact repeats.
pub fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    diagnostics
}

/// Everything that can stop a Bullpen command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The content has errors; all of them, sorted by file and line.
    #[error("{} in the content", plural(count_errors(.0), "error"))]
    Content(Vec<Diagnostic>),
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A theme template failed to parse or render.
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    /// An output folder that `build` or `diff` will not replace: `path` as
    /// given, `resolved` where it really is.
    #[error("refusing to build into {}{}: {why}", path.display(), resolved_note(path, resolved))]
    OutputFolder {
        path: PathBuf,
        resolved: PathBuf,
        why: Refusal,
    },
    /// The command was asked to do something it refuses to do.
    #[error("{0}")]
    Refused(String),
    /// Git could not give `bullpen diff` a revision.
    #[error(transparent)]
    Git(#[from] GitError),
}

/// Why git could not give a revision of the site, each with what to do.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("git could not be run: {0}")]
    NotRun(std::io::Error),
    #[error("{}", not_a_repository(.root, .git_says))]
    NotARepository {
        root: PathBuf,
        /// What git said, for a refusal other than "not a git repository"
        /// (a folder owned by someone else, say).
        git_says: String,
    },
    #[error("{}", missing_revision(.rev, .root, *.shallow))]
    MissingRevision {
        rev: String,
        root: PathBuf,
        /// The clone has only part of the history.
        shallow: bool,
    },
    #[error("git could not read `{rev}`: {message}")]
    Unreadable { rev: String, message: String },
}

fn not_a_repository(root: &std::path::Path, git_says: &str) -> String {
    let plain = git_says.is_empty() || git_says.contains("not a git repository");
    format!(
        "{} is not in a git repository{}; `bullpen diff` compares revisions of the repository that holds the site",
        root.display(),
        if plain {
            String::new()
        } else {
            format!(" git will read (git says: {git_says})")
        }
    )
}

fn missing_revision(rev: &str, root: &std::path::Path, shallow: bool) -> String {
    if shallow {
        format!(
            "the revision `{rev}` is not in the repository at {}, which is a shallow clone with only its latest history; fetch the rest with `git fetch --unshallow` (in CI, check out with `fetch-depth: 0`)",
            root.display()
        )
    } else {
        format!(
            "the revision `{rev}` does not exist in the repository at {}",
            root.display()
        )
    }
}

/// Why an output folder is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(
        "it is the site root or a folder above it, and the build replaces the whole output folder"
    )]
    AboveRoot,
    #[error("it is inside content/")]
    InContent,
    #[error("it is inside themes/, or holds it")]
    InThemes,
    #[error("it is a home folder, a folder above one, or the file-system root")]
    Home,
    #[error("it is a file, not a folder; choose a new or empty folder")]
    File,
    /// Some of the entries Bullpen did not write, by name.
    #[error(
        "it holds files Bullpen did not write ({}); choose an empty or new folder, or delete it first",
        .0.join(", ")
    )]
    Foreign(Vec<String>),
    /// Where the folder was before its parents were made, and after.
    #[error(
        "it moved to {} while its parent folders were made; try again",
        .0.display()
    )]
    Moved(PathBuf),
}

/// ` (that is, /abs/path)` when a path given with `..` or a link lands
/// somewhere its text does not say.
fn resolved_note(path: &std::path::Path, resolved: &std::path::Path) -> String {
    if std::path::absolute(path).is_ok_and(|p| p == resolved) {
        String::new()
    } else {
        format!(" (that is, {})", resolved.display())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `1 error`, `2 errors`.
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_errors_say_what_to_do() {
        let plain = GitError::NotARepository {
            root: "site".into(),
            git_says: "fatal: not a git repository (or any of the parent directories): .git".into(),
        };
        assert_eq!(
            plain.to_string(),
            "site is not in a git repository; `bullpen diff` compares revisions of the repository that holds the site"
        );
        let refused = GitError::NotARepository {
            root: "site".into(),
            git_says: "fatal: detected dubious ownership in repository at '/x'".into(),
        };
        assert!(
            refused
                .to_string()
                .contains("(git says: fatal: detected dubious ownership")
        );
        let shallow = GitError::MissingRevision {
            rev: "origin/main".into(),
            root: "site".into(),
            shallow: true,
        };
        assert!(shallow.to_string().contains("git fetch --unshallow"));
        assert!(shallow.to_string().contains("fetch-depth: 0"));
    }
}

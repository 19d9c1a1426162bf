//! Errors of every stage: located diagnostics for content, typed errors for the rest.
//!
//! Content problems are collected as [`Diagnostic`]s (all of a run, not only the
//! first) and returned together in [`Error::Content`]; `main` renders them once.

use std::fmt;
use std::path::{Path, PathBuf};

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
    /// What a grouped warning stands for: see [`Diagnostic::items`].
    items: Option<Box<Items>>,
}

/// The list behind a grouped warning, behind one pointer: a diagnostic is
/// the error of every loading step, and is kept small.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Items(Vec<String>);

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
            items: None,
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

    /// Sets what a grouped warning stands for, one entry each.
    pub fn with_items(mut self, items: Vec<String>) -> Self {
        self.items = (!items.is_empty()).then(|| Box::new(Items(items)));
        self
    }

    /// What a grouped warning (forty playbooks without an owner) stands
    /// for: its message is the one-line summary, and these are shown with
    /// `--verbose` and always in JSON. Empty for any other diagnostic.
    pub fn items(&self) -> &[String] {
        self.items.as_deref().map_or(&[], |items| &items.0)
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
///
/// Paths inside the site (a theme's folder or template) are relative to
/// the site root, as a [`Diagnostic`]'s file is; [`Error::place`] says
/// which file or folder of the site an error concerns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The content has errors; all of them, sorted by file and line.
    #[error("{} in the content", plural(count_errors(.0), "error"))]
    Content(Vec<Diagnostic>),
    /// A revision `diff` compares has content errors.
    #[error(
        "the content at {revision} has {}; run `bullpen check` there first",
        plural(count_errors(diagnostics), "error")
    )]
    RevisionContent {
        revision: String,
        diagnostics: Vec<Diagnostic>,
    },
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
    /// The folder given as the site root has no `content/`.
    #[error(
        "no content/ folder in {}; run `bullpen init DIR` to start a new site, or pass --root",
        root.display()
    )]
    NoContent { root: PathBuf },
    /// `content/site.yaml` names a theme the site has no folder for:
    /// `dir` is the folder it would be (`themes/acme`).
    #[error(
        "content/site.yaml names the theme `{name}`, but there is no {}/ folder in the site",
        dir.display()
    )]
    Theme { name: String, dir: PathBuf },
    /// A theme template failed to compile or render.
    #[error(
        "{}",
        template_message(template.as_deref(), file.as_deref(), *position, rendering.as_deref(), message)
    )]
    Template {
        /// The template that failed (`partials/goals.html`), when Tera says
        /// which: it may be one that the page's template includes or extends.
        template: Option<String>,
        /// The site's file of that template (`themes/acme/templates/partials/goals.html`);
        /// `None` for a built-in template.
        file: Option<PathBuf>,
        /// Where in the template, when Tera says.
        position: Option<Position>,
        /// The page template being rendered (`rep.html`), when it is not
        /// the one that failed.
        rendering: Option<String>,
        message: String,
    },
    /// An output folder that `build` or `diff` will not replace: `path` as
    /// given, `resolved` where it really is.
    #[error("refusing to build into {}{}: {why}", path.display(), resolved_note(path, resolved))]
    OutputFolder {
        path: PathBuf,
        resolved: PathBuf,
        why: Refusal,
    },
    /// `serve`'s file watcher could not be started, or could not watch
    /// `path` (the site root when the watcher itself failed).
    #[error("cannot watch {}: {source}", path.display())]
    Watch {
        path: PathBuf,
        source: notify::Error,
    },
    /// `serve` cannot listen on 127.0.0.1:`port`.
    #[error("{}", listen_message(*port, source))]
    Listen { port: u16, source: std::io::Error },
    /// A git command failed, or could not give `bullpen diff` a revision:
    /// the command (`git archive --format=tar main:`), the folder it ran
    /// in, and why.
    #[error("{}", git_message(command, dir, why))]
    Git {
        command: String,
        dir: PathBuf,
        why: GitError,
    },
    /// The private folder (`private:` in site.yaml, or `--private`) of a
    /// managers' build cannot be read: `dir` as given, from the site root.
    #[error(
        "cannot read the private folder {}: {source}; the managers' build needs it (the team build never reads it)",
        dir.display()
    )]
    Private {
        dir: PathBuf,
        source: std::io::Error,
    },
    /// The command was asked for something it will not do: an argument it
    /// cannot use, or a folder `init` or `schema` will not write into.
    #[error("{0}")]
    Refused(String),
}

impl Error {
    /// The file or folder of the site this error concerns, relative to
    /// `root`, and where in the file when known: what `serve`'s overlay
    /// shows an error against. A built-in template's error is placed at
    /// `themes/`, where a site would override it.
    pub fn place(&self, root: &Path) -> Option<(PathBuf, Option<Position>)> {
        let in_site = |path: &Path| path.strip_prefix(root).unwrap_or(path).to_path_buf();
        match self {
            Error::Read { path, .. } | Error::Write { path, .. } | Error::Watch { path, .. } => {
                Some((in_site(path), None))
            }
            Error::NoContent { .. } => Some(("content".into(), None)),
            Error::Private { dir, .. } => Some((dir.clone(), None)),
            Error::Theme { dir, .. } => Some((dir.clone(), None)),
            Error::Template { file, position, .. } => {
                Some((file.clone().unwrap_or_else(|| "themes".into()), *position))
            }
            Error::Content(_)
            | Error::RevisionContent { .. }
            | Error::OutputFolder { .. }
            | Error::Listen { .. }
            | Error::Git { .. }
            | Error::Refused(_) => None,
        }
    }
}

/// `template partials/goals.html (themes/acme/templates/partials/goals.html:1:4), rendering rep.html: …`
fn template_message(
    template: Option<&str>,
    file: Option<&Path>,
    position: Option<Position>,
    rendering: Option<&str>,
    message: &str,
) -> String {
    let mut text = match template {
        Some(template) => format!("template {template}"),
        None => "the theme's templates".to_string(),
    };
    match (file, template) {
        (Some(file), _) => {
            text.push_str(&format!(" ({}", file.display()));
            if let Some(position) = position {
                text.push_str(&format!(":{}:{}", position.line, position.column));
            }
            text.push(')');
        }
        (None, Some(_)) => {
            text.push_str(" (built in");
            if let Some(position) = position {
                text.push_str(&format!(", line {}", position.line));
            }
            text.push(')');
        }
        (None, None) => {}
    }
    if let Some(rendering) = rendering {
        text.push_str(&format!(", rendering {rendering}"));
    }
    format!("{text}: {message}")
}

fn listen_message(port: u16, source: &std::io::Error) -> String {
    if source.kind() == std::io::ErrorKind::AddrInUse {
        format!(
            "port {port} on 127.0.0.1 is in use (is another `bullpen serve` running?); \
             pick another with --port N, or --port 0 for any free port"
        )
    } else {
        format!("cannot listen on 127.0.0.1:{port}: {source}")
    }
}

/// Why git could not give a revision of the site; [`Error::Git`] says
/// which command, run where, and what to do.
#[derive(Debug)]
pub enum GitError {
    /// git itself could not be started (not installed, say).
    NotRun(std::io::Error),
    NotARepository {
        /// What git said, for a refusal other than "not a git repository"
        /// (a folder owned by someone else, say).
        git_says: String,
    },
    MissingRevision {
        rev: String,
        /// The clone has only part of the history.
        shallow: bool,
    },
    /// git ran and failed: what it said.
    Failed { rev: String, git_says: String },
}

fn git_message(command: &str, dir: &Path, why: &GitError) -> String {
    match why {
        GitError::NotRun(err) => format!("git could not be run (`{command}`): {err}"),
        GitError::NotARepository { git_says } => not_a_repository(dir, git_says),
        GitError::MissingRevision { rev, shallow } => missing_revision(rev, dir, *shallow),
        GitError::Failed { rev, git_says } => {
            format!(
                "git could not read `{rev}` (`{command}` in {}): {git_says}",
                dir.display()
            )
        }
    }
}

fn not_a_repository(root: &Path, git_says: &str) -> String {
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

fn missing_revision(rev: &str, root: &Path, shallow: bool) -> String {
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
fn resolved_note(path: &Path, resolved: &Path) -> String {
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

    fn git(why: GitError) -> String {
        Error::Git {
            command: "git rev-parse --is-inside-work-tree".into(),
            dir: "site".into(),
            why,
        }
        .to_string()
    }

    #[test]
    fn git_errors_say_what_to_do() {
        let plain = git(GitError::NotARepository {
            git_says: "fatal: not a git repository (or any of the parent directories): .git".into(),
        });
        assert_eq!(
            plain,
            "site is not in a git repository; `bullpen diff` compares revisions of the repository that holds the site"
        );
        let refused = git(GitError::NotARepository {
            git_says: "fatal: detected dubious ownership in repository at '/x'".into(),
        });
        assert!(refused.contains("(git says: fatal: detected dubious ownership"));
        let shallow = git(GitError::MissingRevision {
            rev: "origin/main".into(),
            shallow: true,
        });
        assert!(shallow.contains("git fetch --unshallow"));
        assert!(shallow.contains("fetch-depth: 0"));
        let failed = git(GitError::Failed {
            rev: "main".into(),
            git_says: "fatal: not a valid object name".into(),
        });
        assert!(
            failed.contains("`git rev-parse --is-inside-work-tree` in site"),
            "{failed}"
        );
    }

    #[test]
    fn template_errors_name_the_template_its_file_and_the_page_template() {
        let error = Error::Template {
            template: Some("partials/goals.html".into()),
            file: Some("themes/acme/templates/partials/goals.html".into()),
            position: Some(Position { line: 1, column: 4 }),
            rendering: Some("rep.html".into()),
            message: "Variable `nope` is not defined".into(),
        };
        assert_eq!(
            error.to_string(),
            "template partials/goals.html (themes/acme/templates/partials/goals.html:1:4), \
             rendering rep.html: Variable `nope` is not defined"
        );
        assert_eq!(
            error.place(Path::new("/site")),
            Some((
                "themes/acme/templates/partials/goals.html".into(),
                Some(Position { line: 1, column: 4 })
            ))
        );
    }

    #[test]
    fn errors_about_a_file_of_the_site_are_placed_at_it() {
        let read = Error::Read {
            path: "/site/content/people/ann-lee.yaml".into(),
            source: std::io::Error::other("gone"),
        };
        assert_eq!(
            read.place(Path::new("/site")),
            Some(("content/people/ann-lee.yaml".into(), None))
        );
        let theme = Error::Theme {
            name: "acme".into(),
            dir: "themes/acme".into(),
        };
        assert_eq!(
            theme.place(Path::new("/site")),
            Some(("themes/acme".into(), None))
        );
        assert_eq!(
            theme.to_string(),
            "content/site.yaml names the theme `acme`, but there is no themes/acme/ folder in the site"
        );
    }
}

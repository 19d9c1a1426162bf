//! Reporting: diagnostics as people and tools read them — rustc-style
//! text, GitHub annotations, or JSON. Entry: [`format()`].
//!
//! This module only builds strings; `main` prints them.

use crate::error::{Diagnostic, Severity, count_errors, plural};
use serde::Serialize;
use std::path::Path;

/// How `check` (and a failed build) reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `error: …`, `--> file:line:col`, the source line and a caret.
    Human,
    /// `::error file=…,line=…,col=…::message` workflow annotations.
    Github,
    /// A JSON document with every diagnostic.
    Json,
}

/// Errors first, then warnings; each group keeps its file-and-line order.
fn ordered(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error);
    let warnings = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning);
    errors.chain(warnings).collect()
}

/// Every diagnostic in the human format, errors before warnings.
pub fn human_all(diagnostics: &[Diagnostic], root: &Path) -> String {
    human_all_with(diagnostics, root, false)
}

/// Every diagnostic in the human format, errors before warnings; with
/// `verbose`, each grouped warning with its whole list.
pub fn human_all_with(diagnostics: &[Diagnostic], root: &Path, verbose: bool) -> String {
    ordered(diagnostics)
        .into_iter()
        .map(|d| human_with(d, root, verbose))
        .collect()
}

/// Every diagnostic of a run in `format`, errors before warnings, each
/// group sorted by file and line, with a closing summary.
pub fn format(format: Format, diagnostics: &[Diagnostic], files: usize, root: &Path) -> String {
    format_with(format, diagnostics, files, root, false)
}

/// As [`format()`]; with `verbose`, the human format lists what each
/// grouped warning stands for. GitHub annotations and JSON always do.
pub fn format_with(
    format: Format,
    diagnostics: &[Diagnostic],
    files: usize,
    root: &Path,
    verbose: bool,
) -> String {
    let ordered = ordered(diagnostics);
    let errors = count_errors(diagnostics);
    let warnings = ordered.len() - errors;
    match format {
        Format::Human => {
            let mut out = human_all_with(diagnostics, root, verbose);
            out.push_str(&summary(errors, warnings, files));
            out.push('\n');
            out
        }
        Format::Github => ordered.iter().map(|d| github(d)).collect(),
        Format::Json => json(&ordered, errors, warnings, files),
    }
}

/// `2 errors, 1 warning in 143 files`.
pub fn summary(errors: usize, warnings: usize, files: usize) -> String {
    format!(
        "{}, {} in {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(files, "file")
    )
}

fn label(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The widest excerpt of a source line shown under a diagnostic, in characters.
const EXCERPT_WIDTH: usize = 100;

/// The longest message shown: values quoted from content (a 20 KB cell)
/// are cut, not echoed whole.
const MESSAGE_WIDTH: usize = 400;

/// A message or help as the terminal shows it: printable and of a readable length.
fn shown(text: &str) -> String {
    crate::text::excerpt(text, MESSAGE_WIDTH)
}

/// rustc-style: `error: what`, `--> file:line:col`, the source line, a
/// caret under the column, `help:`; a grouped warning's list is left to
/// `--verbose` ([`human_with`]).
pub fn human(diagnostic: &Diagnostic, root: &Path) -> String {
    human_with(diagnostic, root, false)
}

/// As [`human`]; with `verbose`, a grouped warning lists what it stands
/// for, one line each, and without it says how to see them.
pub fn human_with(diagnostic: &Diagnostic, root: &Path, verbose: bool) -> String {
    let mut out = format!(
        "{}: {}\n",
        label(diagnostic.severity),
        shown(&diagnostic.message)
    );
    let mut location =
        crate::text::printable(&diagnostic.file.display().to_string()).replace('\\', "/");
    if let Some(line) = diagnostic.line {
        location.push_str(&format!(":{line}"));
        if let Some(column) = diagnostic.column {
            location.push_str(&format!(":{column}"));
        }
    }
    out.push_str(&format!("  --> {location}\n"));
    let source_line = diagnostic.line.and_then(|line| {
        let bytes = std::fs::read(root.join(&diagnostic.file)).ok()?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
        text.lines()
            .nth(line.checked_sub(1)?)
            .map(|l| l.trim_end_matches('\r').to_string())
    });
    if let (Some(line), Some(text)) = (diagnostic.line, source_line) {
        let gutter = " ".repeat(line.to_string().len());
        // A long line is cut to a window around the column, and control
        // characters (a binary file's bytes) are replaced: the terminal
        // gets a readable line, never raw bytes.
        let (text, column) =
            crate::text::window(&text, diagnostic.column.unwrap_or(1), EXCERPT_WIDTH);
        // Tabs are shown as they are, so the caret keeps its column under them.
        out.push_str(&format!("{gutter} |\n{line} | {text}\n"));
        if diagnostic.column.is_some() {
            let pad: String = text
                .chars()
                .take(column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!("{gutter} | {pad}^\n"));
        }
    }
    if let Some(help) = &diagnostic.help {
        out.push_str(&format!("  = help: {}\n", shown(help)));
    }
    match (diagnostic.items().len(), verbose) {
        (0, _) => {}
        (_, true) => {
            for item in diagnostic.items() {
                out.push_str(&format!("  - {}\n", shown(item)));
            }
        }
        (n, false) => out.push_str(&format!(
            "  = note: {} listed with `--verbose`\n",
            if n == 1 {
                "it is".to_string()
            } else {
                format!("all {n} are")
            }
        )),
    }
    out.push('\n');
    out
}

/// A GitHub workflow command; `%`, CR and LF are escaped as GitHub asks.
pub fn github(diagnostic: &Diagnostic) -> String {
    let escape_data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let escape_property = |s: &str| escape_data(s).replace(':', "%3A").replace(',', "%2C");
    let mut properties = vec![format!(
        "file={}",
        escape_property(&diagnostic.file.display().to_string().replace('\\', "/"))
    )];
    if let Some(line) = diagnostic.line {
        properties.push(format!("line={line}"));
    }
    if let Some(column) = diagnostic.column {
        properties.push(format!("col={column}"));
    }
    let mut message = shown(&diagnostic.message);
    // An annotation has no `--verbose`: it carries the whole list.
    if !diagnostic.items().is_empty() {
        message.push_str(&format!(": {}", diagnostic.items().join(", ")));
    }
    if let Some(help) = &diagnostic.help {
        message.push_str(&format!("\nhelp: {}", shown(help)));
    }
    format!(
        "::{} {}::{}\n",
        label(diagnostic.severity),
        properties.join(","),
        escape_data(&message)
    )
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    help: Option<&'a str>,
    /// What a grouped warning stands for, always in full.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    items: &'a [String],
}

#[derive(Serialize)]
struct JsonReport<'a> {
    errors: usize,
    warnings: usize,
    files: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

fn json(diagnostics: &[&Diagnostic], errors: usize, warnings: usize, files: usize) -> String {
    let report = JsonReport {
        errors,
        warnings,
        files,
        diagnostics: diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                severity: label(d.severity),
                file: d.file.display().to_string().replace('\\', "/"),
                line: d.line,
                column: d.column,
                message: &d.message,
                help: d.help.as_deref(),
                items: d.items(),
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&report)
        .unwrap_or_else(|err| format!("{{\"error\": \"{err}\"}}"));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Position;

    fn sample() -> Vec<Diagnostic> {
        vec![
            Diagnostic::warning("content/playbooks/a.md", "this playbook has no owner")
                .at(Some(Position::line(1))),
            Diagnostic::error("content/people/b.yaml", "the manager `x` is not a person")
                .at(Some(Position {
                    line: 3,
                    column: 10,
                }))
                .with_help("did you mean `y`?"),
        ]
    }

    #[test]
    fn github_annotations_escape_and_carry_the_location() {
        let out = format(Format::Github, &sample(), 2, Path::new("."));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "::error file=content/people/b.yaml,line=3,col=10::the manager `x` is not a person%0Ahelp: did you mean `y`?"
        );
        assert!(lines[1].starts_with("::warning file=content/playbooks/a.md,line=1,col=1::"));
    }

    #[test]
    fn json_lists_every_diagnostic_with_counts() {
        let out = format(Format::Json, &sample(), 2, Path::new("."));
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["errors"], 1);
        assert_eq!(value["warnings"], 1);
        assert_eq!(value["diagnostics"][0]["line"], 3);
        assert_eq!(value["diagnostics"][0]["help"], "did you mean `y`?");
    }

    /// A binary file's line is kilobytes of control bytes: the excerpt is
    /// cut to a window around the column and nothing raw reaches the terminal.
    #[test]
    fn excerpts_are_cut_and_never_carry_control_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let mut line = vec![b'a'; 20_000];
        line.extend_from_slice(b"\x1b[2J\x07\x00\xff");
        line.extend(vec![b'b'; 20_000]);
        std::fs::write(dir.path().join("binary.md"), &line).unwrap();
        let diagnostic =
            Diagnostic::error("binary.md", "the file is not valid UTF-8 text").at(Some(Position {
                line: 1,
                column: 20_001,
            }));
        let out = human(&diagnostic, dir.path());
        assert!(
            !out.chars().any(|c| c.is_control() && c != '\n'),
            "raw control characters in {out:?}"
        );
        let excerpt = out.lines().nth(3).unwrap();
        assert!(excerpt.starts_with("1 | …"), "{excerpt}");
        assert!(excerpt.chars().count() < 120, "{excerpt}");
        let caret = out.lines().nth(4).unwrap();
        let under = excerpt.chars().nth(caret.find('^').unwrap()).unwrap();
        assert_eq!(under, '\u{fffd}', "the caret points at the bad byte: {out}");
        // A message quoting a huge value is cut too.
        let long = Diagnostic::error(
            "x.csv",
            format!("`{}` is not an amount", "9".repeat(20_000)),
        );
        assert!(human(&long, dir.path()).len() < 1_000);
    }

    #[test]
    fn human_puts_errors_first_and_ends_with_a_summary() {
        let out = format(Format::Human, &sample(), 143, Path::new("."));
        assert!(out.find("error:").unwrap() < out.find("warning:").unwrap());
        assert!(out.ends_with("1 error, 1 warning in 143 files\n"), "{out}");
    }
}

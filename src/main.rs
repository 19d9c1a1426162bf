//! The `bullpen` binary: parses the command line, runs the command, and
//! prints the outcome or the errors (with source lines and carets).

use bullpen::cli::Cli;
use bullpen::error::{Diagnostic, Error, Severity, plural};
use clap::Parser;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.command.root();
    match cli.command.run() {
        Ok(outcome) => {
            for warning in &outcome.warnings {
                eprint!("{}", render(warning, &outcome.root));
            }
            if !outcome.warnings.is_empty() {
                eprintln!("{}", plural(outcome.warnings.len(), "warning"));
            }
            println!("{}", outcome.message);
            ExitCode::SUCCESS
        }
        Err(Error::Content(diagnostics)) => {
            for diagnostic in &diagnostics {
                eprint!("{}", render(diagnostic, &root));
            }
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            let warnings = diagnostics.len() - errors;
            eprintln!(
                "{}, {}; nothing was written",
                plural(errors, "error"),
                plural(warnings, "warning")
            );
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// rustc-style: `error: what`, `--> file:line:col`, the source line, a caret, `help:`.
fn render(diagnostic: &Diagnostic, root: &Path) -> String {
    let label = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = format!("{label}: {}\n", diagnostic.message);
    let mut location = diagnostic.file.display().to_string();
    if let Some(line) = diagnostic.line {
        location.push_str(&format!(":{line}"));
        if let Some(column) = diagnostic.column {
            location.push_str(&format!(":{column}"));
        }
    }
    out.push_str(&format!("  --> {location}\n"));
    let source_line = diagnostic.line.and_then(|line| {
        let text = std::fs::read(root.join(&diagnostic.file)).ok()?;
        let text = String::from_utf8_lossy(&text).into_owned();
        text.lines()
            .nth(line - 1)
            .map(|l| l.trim_end_matches('\r').to_string())
    });
    if let (Some(line), Some(text)) = (diagnostic.line, source_line) {
        let gutter = " ".repeat(line.to_string().len());
        out.push_str(&format!("{gutter} |\n{line} | {text}\n"));
        if let Some(column) = diagnostic.column {
            let pad: String = text
                .chars()
                .take(column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!("{gutter} | {pad}^\n"));
        }
    }
    if let Some(help) = &diagnostic.help {
        out.push_str(&format!("  = help: {help}\n"));
    }
    out.push('\n');
    out
}

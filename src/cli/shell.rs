//! Command line, for shells and manuals: `bullpen completions SHELL` and
//! `bullpen man`, both generated from the clap definitions in `cli`, so
//! they list every command and option the binary has.

use super::{Cli, Outcome};
use crate::error::Result;
use crate::render::OutputFile;
use clap::{Args, CommandFactory};
use clap_complete::Shell;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for: bash, zsh, fish, powershell or elvish.
    #[arg(value_enum)]
    pub shell: Shell,
}

impl CompletionsArgs {
    pub fn run(self) -> Result<Outcome> {
        Ok(Outcome {
            stdout: completions(self.shell),
            stderr: String::new(),
            success: true,
        })
    }
}

/// The completion script for `shell`, to be sourced or saved where the
/// shell looks for completions.
pub fn completions(shell: Shell) -> String {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "bullpen", &mut script);
    String::from_utf8_lossy(&script).into_owned()
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `bullpen.1` and a page per command (`bullpen-build.1`, …) into
    /// this folder instead of printing `bullpen.1`.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

impl ManArgs {
    pub fn run(self) -> Result<Outcome> {
        let pages = man_pages();
        let Some(out) = self.out else {
            return Ok(Outcome {
                stdout: String::from_utf8_lossy(&pages[0].bytes).into_owned(),
                stderr: String::new(),
                success: true,
            });
        };
        crate::output::write_into(&out, &pages)?;
        Ok(Outcome {
            stdout: format!("wrote {} man pages into {}\n", pages.len(), out.display()),
            stderr: String::new(),
            success: true,
        })
    }
}

/// `bullpen.1`, then one page per command (`bullpen-build.1`, …), in roff.
pub fn man_pages() -> Vec<OutputFile> {
    let command = Cli::command();
    let mut pages = vec![man_page(command.clone(), "bullpen.1".into())];
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("bullpen-{}", sub.get_name());
        // The page is named `bullpen-build` as git's are; its synopsis shows
        // the command as typed (`bullpen build`).
        let sub = sub
            .clone()
            .display_name(name.clone())
            .bin_name(format!("bullpen {}", sub.get_name()));
        pages.push(man_page(sub, format!("{name}.1")));
    }
    pages
}

fn man_page(command: clap::Command, path: String) -> OutputFile {
    let mut bytes = Vec::new();
    // Rendering into memory cannot fail; a failure would leave the page empty.
    let _ = clap_mangen::Man::new(command)
        .source(format!("bullpen {}", super::VERSION))
        .render(&mut bytes);
    OutputFile { path, bytes }
}

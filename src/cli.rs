//! Command line: the `bullpen` commands as clap types, each with a `run`
//! that returns what to tell the user. Only `main` prints.

use crate::error::{Diagnostic, Result};
use crate::model::Audience;
use crate::render::OutputFile;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Bullpen turns a sales team's repository of YAML and Markdown into a
/// static site: team dashboards, playbooks and coaching plans.
#[derive(Debug, Parser)]
#[command(name = "bullpen", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site from content/ into a folder of static HTML.
    Build(BuildArgs),
    /// Start a new site in DIR from the built-in demo content.
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site's root folder, which holds content/ (and optionally themes/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site; replaced whole, and only when the build succeeds.
    /// Relative paths are taken from the site root.
    #[arg(long, default_value = "public")]
    pub out: PathBuf,
    /// Who the build is for: `team` leaves out coaching plans and anything
    /// marked `visibility: managers`; `managers` includes everything.
    #[arg(long, value_enum, default_value_t = Audience::Team)]
    pub audience: Audience,
    /// The URL the site is published at (overrides base_url in site.yaml).
    #[arg(long)]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// A new or empty folder to write the demo site into.
    pub dir: PathBuf,
}

/// What a command has to say when it succeeds.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub message: String,
    pub warnings: Vec<Diagnostic>,
    /// The root that file paths in warnings are relative to.
    pub root: PathBuf,
}

impl BuildArgs {
    pub fn run(self) -> Result<Outcome> {
        let out = if self.out.is_absolute() {
            self.out.clone()
        } else {
            self.root.join(&self.out)
        };
        let summary =
            crate::pipeline::build(&self.root, &out, self.audience, self.base_url.as_deref())?;
        let audience = match self.audience {
            Audience::Team => "team",
            Audience::Managers => "managers",
        };
        Ok(Outcome {
            message: format!(
                "built {} pages ({} files) for the {audience} audience into {}",
                summary.pages,
                summary.files,
                summary.out.display()
            ),
            warnings: summary.warnings,
            root: self.root,
        })
    }
}

impl InitArgs {
    pub fn run(self) -> Result<Outcome> {
        let files: Vec<OutputFile> = crate::embedded::demo_files()
            .into_iter()
            .map(|(path, bytes)| OutputFile {
                path: format!("content/{path}"),
                bytes: bytes.to_vec(),
            })
            .chain(std::iter::once(OutputFile {
                path: ".gitignore".into(),
                bytes: b"/public/\n".to_vec(),
            }))
            .collect();
        crate::output::write_new(&self.dir, &files)?;
        Ok(Outcome {
            message: format!(
                "wrote a new site with the demo content into {}; build it with `bullpen build --root {}`",
                self.dir.display(),
                self.dir.display()
            ),
            warnings: Vec::new(),
            root: self.dir,
        })
    }
}

impl Command {
    pub fn run(self) -> Result<Outcome> {
        match self {
            Command::Build(args) => args.run(),
            Command::Init(args) => args.run(),
        }
    }

    /// The folder that relative file paths in this command's errors start from.
    pub fn root(&self) -> PathBuf {
        match self {
            Command::Build(args) => args.root.clone(),
            Command::Init(args) => args.dir.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}

//! Command line: the `bullpen` commands as clap types, each with a `run`
//! that returns what to tell the user. Only `main` prints.

use crate::error::{Error, Result};
use crate::report::{self, Format};
use crate::vocab::Audience;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

mod import;
mod init;
mod shell;

pub use import::ImportArgs;
pub use init::InitArgs;
pub use shell::{CompletionsArgs, ManArgs, completions, man_pages};

/// `bullpen --version`: the crate's version and the git revision it was
/// built from (`unknown` when the build script could not tell; see build.rs).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (revision ",
    env!("BULLPEN_REVISION"),
    ")"
);

/// Bullpen turns a sales team's repository of YAML and Markdown into a
/// static site: team dashboards, playbooks and coaching plans.
#[derive(Debug, Parser)]
#[command(name = "bullpen", version = VERSION, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site from content/ into a folder of static HTML.
    Build(BuildArgs),
    /// Check every content file and report all problems; writes nothing.
    Check(CheckArgs),
    /// Start a new site in DIR: the demo content, or a minimal site with --empty.
    Init(InitArgs),
    /// Copy a folder of Markdown (an existing handbook) into content/playbooks/.
    Import(ImportArgs),
    /// Write JSON Schemas for every content file kind, for editors.
    Schema(SchemaArgs),
    /// Print every person × period figure as CSV or JSON, for spreadsheets.
    Metrics(MetricsArgs),
    /// Print what changed between the two newest deal snapshots, deal by deal, as CSV or JSON.
    Deals(DealsArgs),
    /// Review the content changes between two revisions, for a pull request.
    Diff(DiffArgs),
    /// Preview the site on 127.0.0.1, rebuilt and reloaded as you edit.
    Serve(ServeArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// Print the man page, or write one per command into a folder.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site's root folder, which holds content/ (and optionally themes/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The port to listen on (127.0.0.1 only); 0 picks any free port.
    #[arg(long, default_value_t = crate::serve::DEFAULT_PORT)]
    pub port: u16,
    /// Who the preview is for, as in `build`.
    #[arg(long, value_enum, default_value_t = Audience::Team)]
    pub audience: Audience,
    /// Open the site in the default browser once it is up.
    #[arg(long)]
    pub open: bool,
    /// The private folder laid over content/ for the managers (coaching,
    /// playbooks, reports, bios); overrides `private:` in site.yaml.
    /// Relative paths are taken from the site root.
    #[arg(long, value_name = "DIR")]
    pub private: Option<PathBuf>,
}

impl ServeArgs {
    /// Serves until Ctrl-C; progress goes to `log` as it happens.
    pub fn run(self, log: &(dyn Fn(&str) + Sync)) -> Result<Outcome> {
        let options = crate::serve::Options {
            root: self.root,
            port: self.port,
            audience: self.audience,
            open: self.open,
            private: self.private,
        };
        crate::serve::run(&options, log)?;
        Ok(Outcome {
            stdout: String::new(),
            stderr: String::new(),
            success: true,
        })
    }
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The site's root folder, inside a git repository.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The revision to compare from (a branch, tag or commit, like `origin/main`).
    #[arg(long)]
    pub base: String,
    /// The revision to compare to; the working tree when left out.
    #[arg(long)]
    pub head: Option<String>,
    /// Where to write the HTML review page (replaced whole). Relative paths
    /// are taken from the site root.
    #[arg(long, default_value = "review")]
    pub out: PathBuf,
    /// `team` leaves coaching plans and managers-only pages out of the review;
    /// `managers` reviews the private folder's changes too.
    #[arg(long, value_enum, default_value_t = Audience::Team)]
    pub audience: Audience,
    /// The private folder laid over content/ for the managers (coaching,
    /// playbooks, reports, bios); overrides `private:` in site.yaml.
    /// Relative paths are taken from the site root.
    #[arg(long, value_name = "DIR")]
    pub private: Option<PathBuf>,
    /// The private folder's revision to compare from (its own repository's);
    /// its `HEAD` when left out.
    #[arg(long, value_name = "REV")]
    pub private_base: Option<String>,
    /// The private folder's revision to compare to; its working tree when left out.
    #[arg(long, value_name = "REV")]
    pub private_head: Option<String>,
}

impl DiffArgs {
    pub fn run(self) -> Result<Outcome> {
        let reviewed = crate::pipeline::review_with(
            &self.root,
            &self.base,
            self.head.as_deref(),
            &self.out,
            self.audience,
            crate::pipeline::PrivateRevisions {
                dir: self.private.as_deref(),
                base: self.private_base.as_deref(),
                head: self.private_head.as_deref(),
            },
        )?;
        Ok(Outcome {
            stdout: reviewed.summary,
            stderr: format!("wrote the review page to {}\n", reviewed.page.display()),
            success: true,
        })
    }
}

#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// The site's root folder, which holds content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Only this period (`2026-Q3`, `2026-07`).
    #[arg(long)]
    pub period: Option<String>,
    /// `csv` (with a header row) or `json`.
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// The private folder laid over content/ for the managers (coaching,
    /// playbooks, reports, bios); overrides `private:` in site.yaml.
    /// Read when it can be; relative paths are taken from the site root.
    #[arg(long, value_name = "DIR")]
    pub private: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DealsArgs {
    /// The site's root folder, which holds content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// `csv` (with a header row) or `json`.
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
}

impl DealsArgs {
    pub fn run(self) -> Result<Outcome> {
        let (model, warnings) = crate::pipeline::load_model(&self.root)?;
        let rows = crate::export::deal_changes(&model);
        let mut stderr = report::human_all(&warnings, &self.root);
        if model.pipeline_changes.is_none() {
            stderr.push_str("no changes to show: this needs two deal snapshots (deals/snapshots/YYYY-MM-DD.csv)\n");
        }
        Ok(Outcome {
            stdout: match self.format {
                ExportFormat::Csv => crate::export::deal_changes_csv(&rows),
                ExportFormat::Json => crate::export::deal_changes_json(&rows),
            },
            stderr,
            success: true,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

impl MetricsArgs {
    pub fn run(self) -> Result<Outcome> {
        let (model, warnings) = crate::pipeline::load_model_with(
            &self.root,
            crate::pipeline::PrivateFolder::IfReadable(self.private.as_deref()),
        )?;
        let only = match &self.period {
            None => None,
            Some(text) => {
                let period = crate::vocab::period::Period::parse(text)
                    .filter(|p| p.kind() == model.site.period_kind)
                    .ok_or_else(|| {
                        Error::Refused(format!(
                            "`{text}` is not a period of this site; expected {}",
                            model.site.period_kind.example()
                        ))
                    })?;
                if !model.periods.contains(&period) {
                    return Err(Error::Refused(format!("there are no figures for {text}")));
                }
                Some(period)
            }
        };
        let rows = crate::export::rows(&model, only);
        Ok(Outcome {
            stdout: match self.format {
                ExportFormat::Csv => crate::export::csv(&rows),
                ExportFormat::Json => crate::export::json(&rows),
            },
            stderr: report::human_all(&warnings, &self.root),
            success: true,
        })
    }
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
    /// Print how long each phase of the build took.
    #[arg(long)]
    pub timings: bool,
    /// The private folder laid over content/ in the managers' build (coaching,
    /// playbooks, reports, bios); overrides `private:` in site.yaml.
    /// The team build never reads it. Relative paths are taken from the site root.
    #[arg(long, value_name = "DIR")]
    pub private: Option<PathBuf>,
    /// List what each grouped warning stands for (every playbook without
    /// an owner, every draft, every front-matter key left out), not only
    /// how many.
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site's root folder, which holds content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// How to report: `human` for people, `github` for workflow annotations,
    /// `json` for tools.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Also check a built site in this folder: every internal link and
    /// image resolves, anchors included.
    #[arg(long)]
    pub site: Option<PathBuf>,
    /// The private folder laid over content/ for the managers (coaching,
    /// playbooks, reports, bios); overrides `private:` in site.yaml.
    /// Checked when it can be read. Relative paths are taken from the site root.
    #[arg(long, value_name = "DIR")]
    pub private: Option<PathBuf>,
    /// List what each grouped warning stands for (every playbook without
    /// an owner, every draft, every front-matter key left out), not only
    /// how many.
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The folder to write the schemas into.
    #[arg(long, default_value = "schemas")]
    pub out: PathBuf,
}

/// What a command has to say: text for standard output and standard error,
/// and whether it succeeded (the exit code).
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub success: bool,
}

impl BuildArgs {
    pub fn run(self) -> Result<Outcome> {
        if self.timings {
            crate::timings::enable();
        }
        let summary = crate::pipeline::build_with(
            &self.root,
            &self.out,
            self.audience,
            self.base_url.as_deref(),
            self.private.as_deref(),
        )?;
        let mut stderr: String = summary
            .warnings
            .iter()
            .map(|w| report::human_with(w, &self.root, self.verbose))
            .collect();
        if self.timings {
            stderr.push_str("timings:\n");
            stderr.push_str(&crate::timings::take_report());
        }
        Ok(Outcome {
            stdout: format!(
                "built {} pages ({} files) for the {} audience into {}\n",
                summary.pages,
                summary.files,
                self.audience.name(),
                summary.out.display()
            ),
            stderr,
            success: true,
        })
    }
}

impl CheckArgs {
    pub fn run(self) -> Result<Outcome> {
        let mut checked = crate::pipeline::check_with(&self.root, self.private.as_deref())?;
        if let Some(site) = &self.site {
            let files = crate::sitecheck::read_site(site)?;
            // The content was loaded once already, by the check above.
            let base = crate::text::base_path(checked.base_url.as_deref().unwrap_or("/"));
            for broken in crate::sitecheck::broken_links(&files, &base) {
                let (page, what) = broken.split_once(": ").unwrap_or(("", &broken));
                checked.diagnostics.push(crate::error::Diagnostic::error(
                    site.join(page),
                    format!("a broken link: {what}"),
                ));
            }
            checked.files += files.len();
        }
        Ok(Outcome {
            stdout: report::format_with(
                self.format,
                &checked.diagnostics,
                checked.files,
                &self.root,
                self.verbose,
            ),
            stderr: String::new(),
            success: checked.errors() == 0,
        })
    }
}

impl SchemaArgs {
    pub fn run(self) -> Result<Outcome> {
        let files = crate::schema::files();
        crate::output::write_into(&self.out, &files)?;
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        Ok(Outcome {
            stdout: format!(
                "wrote {} schemas into {}: {}\n",
                files.len(),
                self.out.display(),
                names.join(", ")
            ),
            stderr: String::new(),
            success: true,
        })
    }
}

impl Command {
    /// Runs the command. Only `serve`, which runs until stopped, reports
    /// progress as it goes, through `log`; the rest return what to print.
    pub fn run(self, log: &(dyn Fn(&str) + Sync)) -> Result<Outcome> {
        match self {
            Command::Serve(args) => args.run(log),
            Command::Build(args) => args.run(),
            Command::Check(args) => args.run(),
            Command::Init(args) => args.run(),
            Command::Import(args) => args.run(),
            Command::Schema(args) => args.run(),
            Command::Metrics(args) => args.run(),
            Command::Deals(args) => args.run(),
            Command::Diff(args) => args.run(),
            Command::Completions(args) => args.run(),
            Command::Man(args) => args.run(),
        }
    }

    /// The folder that relative file paths in this command's errors start from.
    pub fn root(&self) -> PathBuf {
        match self {
            Command::Build(args) => args.root.clone(),
            Command::Check(args) => args.root.clone(),
            Command::Init(args) => args.dir.clone(),
            Command::Import(args) => args.root.clone(),
            Command::Schema(args) => args.out.clone(),
            Command::Metrics(args) => args.root.clone(),
            Command::Deals(args) => args.root.clone(),
            Command::Diff(args) => args.root.clone(),
            Command::Serve(args) => args.root.clone(),
            Command::Man(args) => args.out.clone().unwrap_or_else(|| ".".into()),
            Command::Completions(_) => ".".into(),
        }
    }

    /// Whether grouped warnings are listed whole (`--verbose`).
    pub fn verbose(&self) -> bool {
        match self {
            Command::Build(args) => args.verbose,
            Command::Check(args) => args.verbose,
            _ => false,
        }
    }
}

/// What to tell the user when a command fails.
pub fn failure(error: &Error, root: &std::path::Path) -> String {
    failure_with(error, root, false)
}

/// As [`failure`]; with `verbose`, grouped warnings listed whole.
pub fn failure_with(error: &Error, root: &std::path::Path, verbose: bool) -> String {
    match error {
        Error::Content(diagnostics) => {
            let errors = crate::error::count_errors(diagnostics);
            format!(
                "{}{}, {}; nothing was written\n",
                report::human_all_with(diagnostics, root, verbose),
                crate::error::plural(errors, "error"),
                crate::error::plural(diagnostics.len() - errors, "warning")
            )
        }
        other => format!("error: {other}\n"),
    }
}

/// `--audience team|managers`, with each value's meaning in `--help`. The
/// audience itself is vocabulary every stage shares; only the command line
/// knows it as a flag.
impl clap::ValueEnum for Audience {
    fn value_variants<'a>() -> &'a [Self] {
        &[Audience::Team, Audience::Managers]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let help = match self {
            Audience::Team => {
                "The whole sales floor: no coaching material, nothing marked `visibility: managers`"
            }
            Audience::Managers => "Everything, coaching plans included",
        };
        Some(clap::builder::PossibleValue::new(self.name()).help(help))
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

    #[test]
    fn audience_names_are_the_ones_the_option_takes() {
        use clap::ValueEnum;
        for audience in Audience::value_variants() {
            let value = audience.to_possible_value().unwrap();
            assert_eq!(value.get_name(), audience.name());
        }
    }
}

//! Command line: `bullpen import`, which copies an existing handbook's
//! folder into `content/playbooks/` and says what it changed and what
//! needs a person's decision.

use super::Outcome;
use crate::error::Result;
use crate::report;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The folder of Markdown to bring in (a handbook's section, a docs
    /// folder); its images and PDFs come along, its folders are kept.
    pub src: PathBuf,
    /// The site's root folder, which holds content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// A folder under content/playbooks/ to put it in (`sales`, `sales/sdr`);
    /// content/playbooks/ itself when left out.
    #[arg(long, value_name = "SECTION", default_value = "")]
    pub into: String,
}

impl ImportArgs {
    pub fn run(self) -> Result<Outcome> {
        let imported = crate::pipeline::import(&self.root, &self.src, &self.into)?;
        let plan = &imported.plan;
        let assets = imported
            .written
            .iter()
            .filter(|path| !path.ends_with(".md"))
            .count();
        let mut out = format!(
            "copied {} into {}/ ({}, {} or PDFs); nothing was overwritten or deleted:\n",
            crate::error::plural(imported.written.len(), "file"),
            imported.folder,
            crate::error::plural(imported.written.len() - assets, "page"),
            crate::error::plural(assets, "image"),
        );
        for path in &imported.written {
            out.push_str(&format!("  {path}\n"));
        }
        if !plan.renamed.is_empty() {
            out.push_str(
                "\nrenamed, as Bullpen reads only `.md` (links to them still name the old file):\n",
            );
            for (from, to) in &plan.renamed {
                out.push_str(&format!("  {from} → {}/{to}\n", imported.folder));
            }
        }
        if !plan.skipped.is_empty() {
            out.push_str("\nleft behind, not copied:\n");
            for (path, why) in &plan.skipped {
                out.push_str(&format!("  {path}: {why}\n"));
            }
        }
        let from_check: Vec<crate::error::Diagnostic> = imported
            .checked
            .iter()
            .flat_map(|checked| &checked.diagnostics)
            .filter(|d| {
                d.file.starts_with(&imported.folder)
                    || d.file.as_path() == std::path::Path::new("content/playbooks")
            })
            .cloned()
            .collect();
        let decisions = plan.decisions.len() + from_check.len();
        if decisions > 0 {
            out.push_str("\nneeds a decision:\n\n");
            out.push_str(&report::human_all_with(&plan.decisions, &self.root, true));
            out.push_str(&report::human_all_with(&from_check, &self.root, true));
        }
        match &imported.checked {
            Some(checked) => {
                let errors = checked.errors();
                out.push_str(&format!(
                    "`bullpen check` now finds {} in the site; those on the imported pages are above\n",
                    report::summary(errors, checked.diagnostics.len() - errors, checked.files)
                ));
            }
            None => out.push_str(&format!(
                "{}/content/site.yaml is missing: write one with at least `title:` (see \"Bringing an existing handbook\" in the README), then run `bullpen check`\n",
                self.root.display()
            )),
        }
        Ok(Outcome {
            stdout: out,
            stderr: String::new(),
            success: true,
        })
    }
}

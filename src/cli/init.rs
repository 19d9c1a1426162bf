//! Command line: `bullpen init`, which starts a site in a new folder — the
//! demo, or a minimal site with `--empty` — with the schemas and editor
//! settings that make an editor check the YAML as it is typed.

use super::Outcome;
use crate::error::Result;
use crate::render::OutputFile;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// A new or empty folder to write the site into.
    pub dir: PathBuf,
    /// Write a minimal site (one leader, one rep, one period, one playbook)
    /// instead of the demo company.
    #[arg(long)]
    pub empty: bool,
}

/// What `init` tells git to leave out: everything Bullpen writes. The
/// outputs by their default names (the managers' edition by the name the
/// README gives it), and the staging folders, old outputs and lock files
/// that `build` and `diff` keep beside an output of any name.
const GITIGNORE: &str = "\
# Written by Bullpen: built sites, review pages and schemas.
/public/
/public-managers/
/review/
# Remove this line to commit the schemas for editors.
/schemas/
# Kept beside an output while it is built or replaced.
.*.building-*
.*.previous
.*.lock
";

/// The schema `bullpen schema` writes for each kind of YAML file, and the
/// files it describes, for yaml-language-server (VS Code's YAML extension
/// and other editors). Front matter in Markdown is left to `bullpen check`.
pub const EDITOR_SCHEMAS: &[(&str, &str)] = &[
    ("site.schema.json", "content/site.yaml"),
    ("person.schema.json", "content/people/*.yaml"),
    ("period.schema.json", "content/performance/*.yaml"),
    ("record.schema.json", "content/performance/*/*.yaml"),
    ("coaching-log.schema.json", "content/coaching/*/log.yaml"),
    ("calls.schema.json", "content/performance/*/calls/*.yaml"),
];

/// The folder `init` writes the schemas into, as `bullpen schema` does by default.
const SCHEMA_DIR: &str = "schemas";

/// `.vscode/settings.json`: the schemas mapped onto the content files.
fn editor_settings() -> String {
    let mut schemas = serde_json::Map::new();
    for (schema, files) in EDITOR_SCHEMAS {
        schemas.insert(format!("{SCHEMA_DIR}/{schema}"), (*files).into());
    }
    let settings = serde_json::json!({ "yaml.schemas": schemas });
    let mut text = serde_json::to_string_pretty(&settings).unwrap_or_default();
    text.push('\n');
    text
}

impl InitArgs {
    pub fn run(self) -> Result<Outcome> {
        let (content, what) = if self.empty {
            (crate::embedded::starter_files(), "a minimal site")
        } else {
            (crate::embedded::demo_files(), "the demo content")
        };
        let content = content.into_iter().map(|(path, bytes)| OutputFile {
            path: format!("content/{path}"),
            bytes: bytes.to_vec(),
        });
        let schemas = crate::schema::files().into_iter().map(|file| OutputFile {
            path: format!("{SCHEMA_DIR}/{}", file.path),
            bytes: file.bytes,
        });
        let fixed = [
            (".gitignore", GITIGNORE.to_string()),
            (".vscode/settings.json", editor_settings()),
        ]
        .map(|(path, text)| OutputFile {
            path: path.into(),
            bytes: text.into_bytes(),
        });
        let files: Vec<OutputFile> = content.chain(schemas).chain(fixed).collect();
        crate::output::write_new(&self.dir, &files)?;
        let dir = self.dir.display();
        Ok(Outcome {
            stdout: format!(
                "wrote {what} into {dir}, with schemas for your editor \
                 (.vscode/settings.json maps them; `bullpen schema` rewrites them after an upgrade).\n\
                 Next:\n  \
                 bullpen build --root {dir}    # the site, into {dir}/public/\n  \
                 bullpen serve --root {dir}    # a live preview while you edit\n  \
                 bullpen check --root {dir}    # every problem in the content, before a commit\n"
            ),
            stderr: String::new(),
            success: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_settings_name_schemas_that_bullpen_writes() {
        let written: Vec<String> = crate::schema::files().into_iter().map(|f| f.path).collect();
        for (schema, _) in EDITOR_SCHEMAS {
            assert!(
                written.iter().any(|w| w == schema),
                "{schema} is not written"
            );
        }
        let settings: serde_json::Value = serde_json::from_str(&editor_settings()).unwrap();
        assert_eq!(
            settings["yaml.schemas"]["schemas/person.schema.json"],
            "content/people/*.yaml"
        );
    }
}

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
        // The demo's private material goes into a folder beside the site,
        // `DIR-private/`, to become a repository only managers can read.
        let private_dir = (!self.empty).then(|| private_folder(&self.dir));
        let private_name = private_dir
            .as_ref()
            .and_then(|dir| dir.file_name())
            .map(|name| name.to_string_lossy().to_string())
            .unwrap_or_default();
        let (content, what) = if self.empty {
            (crate::embedded::starter_files(), "a minimal site")
        } else {
            (crate::embedded::demo_files(), "the demo content")
        };
        let content = content.into_iter().map(|(path, bytes)| OutputFile {
            bytes: if path == "site.yaml" && !self.empty {
                String::from_utf8_lossy(bytes)
                    .replace(
                        "\nprivate: private\n",
                        &format!("\nprivate: ../{private_name}\n"),
                    )
                    .into_bytes()
            } else {
                bytes.to_vec()
            },
            path: format!("content/{path}"),
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
        let private_files: Vec<OutputFile> = match private_dir {
            Some(_) => crate::embedded::demo_private_files()
                .into_iter()
                .map(|(path, bytes)| OutputFile {
                    path,
                    bytes: bytes.to_vec(),
                })
                .collect(),
            None => Vec::new(),
        };
        let mut folders = vec![(self.dir.as_path(), files.as_slice())];
        if let Some(private_dir) = &private_dir {
            folders.push((private_dir.as_path(), private_files.as_slice()));
        }
        crate::output::write_new_folders(&folders)?;
        let private_note = match &private_dir {
            Some(private_dir) => format!(
                "The demo's coaching plans, compensation review and managers' notes are in {}, \
                 read only by the managers' build (`private:` in content/site.yaml); \
                 make it its own git repository that only managers can read (see the README).\n",
                private_dir.display()
            ),
            None => String::new(),
        };
        let dir = self.dir.display();
        Ok(Outcome {
            stdout: format!(
                "wrote {what} into {dir}, with schemas for your editor \
                 (.vscode/settings.json maps them; `bullpen schema` rewrites them after an upgrade).\n\
                 Next:\n  \
                 bullpen build --root {dir}    # the site, into {dir}/public/\n  \
                 bullpen serve --root {dir}    # a live preview while you edit\n  \
                 bullpen check --root {dir}    # every problem in the content, before a commit\n\
                 {private_note}"
            ),
            stderr: String::new(),
            success: true,
        })
    }
}

/// `DIR-private`, beside `dir`: `sites/acme` → `sites/acme-private`.
fn private_folder(dir: &std::path::Path) -> PathBuf {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let name = absolute
        .file_name()
        .map_or_else(|| "site".into(), |name| name.to_string_lossy().to_string());
    let beside = match dir.file_name() {
        // `.` and `..` have no name of their own: beside the real folder.
        Some(_) => dir.parent().map(PathBuf::from).unwrap_or_default(),
        None => absolute.parent().map(PathBuf::from).unwrap_or_default(),
    };
    beside.join(format!("{name}-private"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_private_folder_sits_beside_the_site() {
        use std::path::Path;
        assert_eq!(
            private_folder(Path::new("sites/acme")),
            Path::new("sites/acme-private")
        );
        assert_eq!(private_folder(Path::new("acme")), Path::new("acme-private"));
    }

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

//! Load stage: the theme — built-in templates and static files, overridden
//! by the site's `themes/<name>/`.

use crate::embedded;
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Templates by name (`base.html`) and static files by output path
/// (`style.css`, copied under `static/`).
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: BTreeMap<String, String>,
    pub statics: BTreeMap<String, Vec<u8>>,
    /// The file of each template the site's theme provides, relative to
    /// the site root (`themes/acme/templates/404.html`), for naming it in
    /// an error; built-in templates have none.
    pub template_files: BTreeMap<String, PathBuf>,
}

/// The built-in theme with the site's `themes/<name>/templates/*.html` and
/// `themes/<name>/static/**` laid over it.
pub fn load_theme(root: &Path, name: &str) -> Result<Theme> {
    let mut theme = Theme::default();
    for (path, bytes) in embedded::theme_files() {
        add(&mut theme, &path, bytes.to_vec(), None)?;
    }
    let in_site = Path::new("themes").join(name);
    let dir = root.join(&in_site);
    if !dir.is_dir() {
        if name == "default" {
            return Ok(theme);
        }
        return Err(Error::Theme {
            name: name.to_string(),
            dir: in_site,
        });
    }
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.map_err(|err| Error::Read {
            path: err.path().unwrap_or(&dir).to_path_buf(),
            source: err.into(),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let name = relative.to_string_lossy().replace('\\', "/");
        if name.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|source| Error::Read {
            path: entry.path().to_path_buf(),
            source,
        })?;
        add(&mut theme, &name, bytes, Some(in_site.join(relative)))?;
    }
    Ok(theme)
}

/// Adds a theme file; `file` is where it is in the site, for a site's own.
fn add(theme: &mut Theme, name: &str, bytes: Vec<u8>, file: Option<PathBuf>) -> Result<()> {
    if let Some(template) = name.strip_prefix("templates/") {
        let Ok(text) = String::from_utf8(bytes) else {
            return Err(Error::Template {
                template: Some(template.to_string()),
                file,
                position: None,
                rendering: None,
                message: "the file is not UTF-8 text".into(),
            });
        };
        theme.templates.insert(template.to_string(), text);
        if let Some(file) = file {
            theme.template_files.insert(template.to_string(), file);
        }
    } else if let Some(file) = name.strip_prefix("static/") {
        theme.statics.insert(file.to_string(), bytes);
    }
    Ok(())
}

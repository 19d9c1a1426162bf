//! The pipeline end to end: load → model → render → output. Entry points
//! for the commands: [`load_model`], [`render()`], [`build`], [`review`].

use crate::error::{self, Diagnostic, Error, Result};
use crate::load::{self, theme};
use crate::model::{Model, build as model_build};
use crate::render;
use crate::timings;
use crate::vocab::Audience;
use std::path::{Path, PathBuf};

/// Loads and validates the site at `root`. Errors stop here with every
/// problem found; warnings are returned beside the model.
pub fn load_model(root: &Path) -> Result<(Model, Vec<Diagnostic>)> {
    let phase = timings::phase("read and parse content");
    let (content, mut diagnostics) = load::load(root)?;
    drop(phase);
    let phase = timings::phase("read git history");
    let (history, notices) = load::history::read(root);
    drop(phase);
    diagnostics.extend(notices);
    let _phase = timings::phase("validate");
    validate(content, history, diagnostics)
}

/// Like [`load_model`], for files already in memory (path under the site
/// root, bytes): what the fuzz targets and in-memory tools use.
pub fn model_from_files(files: Vec<(PathBuf, Vec<u8>)>) -> Result<(Model, Vec<Diagnostic>)> {
    let (content, diagnostics) = load::parse_files(files);
    validate(content, load::history::History::default(), diagnostics)
}

fn validate(
    content: load::Content,
    history: load::history::History,
    mut diagnostics: Vec<Diagnostic>,
) -> Result<(Model, Vec<Diagnostic>)> {
    let (model, more) = model_build::build(content, history);
    diagnostics.extend(more);
    if let Some(model) = &model {
        let _phase = timings::phase("  links and chart blocks");
        diagnostics.extend(render::check(model));
    }
    let diagnostics = error::sorted(diagnostics);
    match model {
        Some(model) if !diagnostics.iter().any(Diagnostic::is_error) => Ok((model, diagnostics)),
        _ => Err(Error::Content(diagnostics)),
    }
}

/// What `check` found: every diagnostic, sorted, and how many files it read.
#[derive(Debug, Clone)]
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    pub files: usize,
    /// `base_url` from site.yaml, for checking a built site's absolute links.
    pub base_url: Option<String>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        error::count_errors(&self.diagnostics)
    }
}

/// Loads and validates everything (links and chart blocks included),
/// writing nothing. Content errors are returned, not raised.
pub fn check(root: &Path) -> Result<Checked> {
    let (content, mut diagnostics) = load::load(root)?;
    let files = content.files;
    let base_url = content
        .site
        .as_ref()
        .and_then(|site| site.value.base_url.clone());
    let (history, notices) = load::history::read(root);
    diagnostics.extend(notices);
    let diagnostics = match validate(content, history, diagnostics) {
        Ok((_, warnings)) => warnings,
        Err(Error::Content(all)) => all,
        Err(other) => return Err(other),
    };
    Ok(Checked {
        diagnostics,
        files,
        base_url,
    })
}

/// Loads, validates and renders the site into `sink` (a folder for
/// [`build`], memory for tests and tools).
pub fn render(
    root: &Path,
    audience: Audience,
    base_url: Option<&str>,
    sink: &dyn render::Sink,
) -> Result<render::RenderSummary> {
    if let Some(base_url) = base_url {
        crate::text::check_web_address(base_url).map_err(|reason| {
            Error::Refused(format!(
                "`--base-url {base_url}` must be an absolute http:// or https:// address, like https://sales.example.com/: {reason}"
            ))
        })?;
    }
    let (mut model, warnings) = load_model(root)?;
    if let Some(base_url) = base_url {
        model.site.base_url = if base_url.ends_with('/') {
            base_url.to_string()
        } else {
            format!("{base_url}/")
        };
    }
    let theme = theme::load_theme(root, &model.site.theme)?;
    let input = render::Input {
        model: &model,
        theme: &theme,
        audience,
        product: render::Product::Site,
        sink,
    };
    let mut summary = render::render(&input).map_err(|err| match err {
        // Render-stage content errors come with the load warnings.
        Error::Content(more) => Error::Content(error::sorted(
            warnings.iter().cloned().chain(more).collect(),
        )),
        other => other,
    })?;
    summary.warnings = error::sorted(warnings.into_iter().chain(summary.warnings).collect());
    Ok(summary)
}

/// What a build produced.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    pub out: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Where an output folder given as `out` is: a relative path is taken from
/// the site root, not the working directory.
pub fn output_folder(root: &Path, out: &Path) -> PathBuf {
    if out.is_absolute() {
        out.to_path_buf()
    } else {
        root.join(out)
    }
}

/// Builds the site at `root` into `out` (see [`output_folder`]), replacing
/// it whole, or leaves it untouched on any error. Pages are written as
/// they are rendered.
pub fn build(
    root: &Path,
    out: &Path,
    audience: Audience,
    base_url: Option<&str>,
) -> Result<BuildSummary> {
    let out = output_folder(root, out);
    let summary =
        crate::output::replace_site(root, &out, |sink| render(root, audience, base_url, sink))?;
    Ok(BuildSummary {
        out,
        pages: summary.pages,
        files: summary.files,
        warnings: summary.warnings,
    })
}

/// What `diff` produced: the review page it wrote, and the summary for a
/// pull request comment (Markdown).
#[derive(Debug, Clone)]
pub struct Reviewed {
    pub page: PathBuf,
    pub summary: String,
}

/// Compares the content at revision `base` with `head` (the working tree
/// when `None`) of the site at `root`, writes the review page into `out`
/// (see [`output_folder`]), replacing it whole, and returns its summary.
pub fn review(
    root: &Path,
    base: &str,
    head: Option<&str>,
    out: &Path,
    audience: Audience,
) -> Result<Reviewed> {
    let base_dir = crate::diff::checkout(root, base)?;
    let head_dir = match head {
        Some(rev) => Some(crate::diff::checkout(root, rev)?),
        None => None,
    };
    let head_root = head_dir.as_ref().map_or(root, |d| d.path());
    let (base_model, _) = load_model(base_dir.path()).map_err(|err| in_revision(err, base))?;
    let (head_model, _) = load_model(head_root)
        .map_err(|err| in_revision(err, head.unwrap_or("the working tree")))?;
    let review = crate::diff::compare(&base_model, &head_model, audience);
    let head_name = head.unwrap_or("working tree");
    let theme = theme::load_theme(head_root, &head_model.site.theme)?;
    let sink = render::MemorySink::default();
    render::render(&render::Input {
        model: &head_model,
        theme: &theme,
        audience,
        product: render::Product::Review(render::ReviewPage {
            review: &review,
            base,
            head: head_name,
        }),
        sink: &sink,
    })?;
    let files = sink.into_files();
    let out = output_folder(root, out);
    crate::output::write_site(root, &out, &files)?;
    let page = out.join("index.html");
    Ok(Reviewed {
        summary: crate::diff::markdown(&review, base, head_name, &page.display().to_string()),
        page,
    })
}

/// Says which revision a content error belongs to.
fn in_revision(error: Error, revision: &str) -> Error {
    match error {
        Error::Content(diagnostics) => Error::RevisionContent {
            revision: revision.to_string(),
            diagnostics,
        },
        other => other,
    }
}

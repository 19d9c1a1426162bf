//! The pipeline end to end: load → model → render → output. Entry points
//! for the commands: [`load_model`], [`render()`], [`build`], [`review`].

use crate::error::{self, Diagnostic, Error, Result};
use crate::load::{self, private::Private, theme};
use crate::model::{Model, build as model_build};
use crate::render;
use crate::timings;
use crate::vocab::Audience;
use crate::vocab::period::Period;
use std::path::{Path, PathBuf};

/// Whether a command reads the private folder (`private:` in site.yaml,
/// or `--private DIR`, which wins), laid over content/.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrivateFolder<'a> {
    /// Never opened: the team build, which succeeds without it.
    Closed,
    /// Read when one is configured; an unreadable folder is an error (the
    /// managers' build).
    Required(Option<&'a Path>),
    /// Read when one is configured and can be read, skipped otherwise
    /// (`check`, `metrics`).
    IfReadable(Option<&'a Path>),
}

impl<'a> PrivateFolder<'a> {
    /// The team never opens it; the managers' build needs it.
    pub fn for_audience(audience: Audience, flag: Option<&'a Path>) -> PrivateFolder<'a> {
        match audience {
            Audience::Team => PrivateFolder::Closed,
            Audience::Managers => PrivateFolder::Required(flag),
        }
    }
}

/// Reads content/ and, as `folder` says, the private folder over it.
fn load_content(
    root: &Path,
    folder: PrivateFolder,
) -> Result<(load::Content, Vec<Diagnostic>, Private)> {
    let (mut content, mut diagnostics) = load::load(root)?;
    let (flag, required) = match folder {
        PrivateFolder::Closed => return Ok((content, diagnostics, Private::default())),
        PrivateFolder::Required(flag) => (flag, true),
        PrivateFolder::IfReadable(flag) => (flag, false),
    };
    let Some(dir) = load::private::folder(flag, content.site.as_ref()) else {
        return Ok((content, diagnostics, Private::default()));
    };
    if !required && !load::private::readable(root, &dir) {
        return Ok((content, diagnostics, Private::default()));
    }
    let limits = content
        .site
        .as_ref()
        .map(|site| load::limits::Limits::from_raw(site.value.limits.as_ref()))
        .unwrap_or_default();
    let private = load::private::overlay(root, &dir, &limits, &mut content, &mut diagnostics)?;
    Ok((content, diagnostics, private))
}

/// Loads and validates the site at `root`, with the private folder when
/// one is configured and readable. Errors stop here with every problem
/// found; warnings are returned beside the model.
pub fn load_model(root: &Path) -> Result<(Model, Vec<Diagnostic>)> {
    load_model_with(root, PrivateFolder::IfReadable(None))
}

/// [`load_model`], reading the private folder as `folder` says.
pub fn load_model_with(root: &Path, folder: PrivateFolder) -> Result<(Model, Vec<Diagnostic>)> {
    read_sources(root, folder)?.model()
}

/// Like [`load_model`], for files already in memory (path under the site
/// root, bytes): what the fuzz targets and in-memory tools use.
pub fn model_from_files(files: Vec<(PathBuf, Vec<u8>)>) -> Result<(Model, Vec<Diagnostic>)> {
    let (content, diagnostics) = load::parse_files(files);
    Sources {
        content,
        diagnostics,
        private: Private::default(),
        history: load::history::History::default(),
        texts_checked: None,
    }
    .model()
}

/// Everything a model is made from, read and parsed but not validated:
/// `serve` keeps it, so that a figures edit reads only the files it
/// changed (see [`Sources::reread_figures`]).
#[derive(Debug, Clone)]
pub struct Sources {
    content: load::Content,
    /// What reading found (files that could not be read or parsed).
    diagnostics: Vec<Diagnostic>,
    private: Private,
    history: load::history::History,
    /// What checking the Markdown texts found last, and the periods the
    /// model had then. It depends on the texts, the people, the coaching
    /// plans and the pages there are, none of which a figures edit
    /// changes unless it adds or removes a period.
    texts_checked: Option<(Vec<Period>, Vec<Diagnostic>)>,
}

/// Reads content/ (with the private folder as `folder` says) and what git
/// knows of it.
pub fn read_sources(root: &Path, folder: PrivateFolder) -> Result<Sources> {
    let phase = timings::phase("read and parse content");
    let (content, diagnostics, private) = load_content(root, folder)?;
    drop(phase);
    let phase = timings::phase("read git history");
    let (history, notices) = load::history::read(root);
    drop(phase);
    let mut sources = Sources {
        content,
        diagnostics,
        private,
        history,
        texts_checked: None,
    };
    sources.diagnostics.extend(notices);
    Ok(sources)
}

impl Sources {
    /// Validates what was read into the model. Errors stop here with every
    /// problem found; warnings are returned beside the model.
    pub fn model(&mut self) -> Result<(Model, Vec<Diagnostic>)> {
        let _phase = timings::phase("validate");
        let kept = &mut self.texts_checked;
        validate_with(
            &self.content,
            self.history.clone(),
            self.diagnostics.clone(),
            &self.private,
            |model| match kept {
                Some((periods, found)) if *periods == model.periods => found.clone(),
                _ => {
                    let _phase = timings::phase("  links and chart blocks");
                    let found = render::check(model);
                    *kept = Some((model.periods.clone(), found.clone()));
                    found
                }
            },
        )
    }

    /// Puts a playbook `serve` read again in place of what was read of it
    /// before, so that a later figures edit makes the model from what is on
    /// disk; `false` when nothing was read at its path.
    pub fn replace_playbook(&mut self, doc: load::PageDoc<load::raw::RawPlaybook>) -> bool {
        let Some(kept) = self
            .content
            .playbooks
            .iter_mut()
            .find(|kept| kept.doc.meta.file == doc.doc.meta.file)
        else {
            return false;
        };
        *kept = doc;
        // Its links and chart blocks are checked again with the next model.
        self.texts_checked = None;
        true
    }

    /// Reads the figures files among `changed` (relative to `root`) again,
    /// in place of what was read of them before. `false` when only a whole
    /// read will do (a file new, gone, private, or that does not load); what
    /// was read is then no longer to be trusted.
    pub fn reread_figures(&mut self, root: &Path, changed: &[PathBuf]) -> bool {
        !changed
            .iter()
            .any(|file| self.private.files.contains_key(file))
            && load::reread_figures(&mut self.content, root, changed)
    }
}

fn validate(
    content: &load::Content,
    history: load::history::History,
    diagnostics: Vec<Diagnostic>,
    private: &Private,
) -> Result<(Model, Vec<Diagnostic>)> {
    validate_with(content, history, diagnostics, private, |model| {
        let _phase = timings::phase("  links and chart blocks");
        render::check(model)
    })
}

/// [`validate`], with `check` finding what is wrong in the Markdown texts
/// of the model, once it is made.
fn validate_with(
    content: &load::Content,
    history: load::history::History,
    mut diagnostics: Vec<Diagnostic>,
    private: &Private,
    check: impl FnOnce(&Model) -> Vec<Diagnostic>,
) -> Result<(Model, Vec<Diagnostic>)> {
    let (model, more) = model_build::build(content, history);
    diagnostics.extend(more);
    if let Some(model) = &model {
        diagnostics.extend(check(model));
    }
    // Errors in private files name the private file.
    private.rename(&mut diagnostics);
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
/// writing nothing. Content errors are returned, not raised. The private
/// folder is checked too when it can be read.
pub fn check(root: &Path) -> Result<Checked> {
    check_with(root, None)
}

/// [`check`], with the private folder given by `--private`.
pub fn check_with(root: &Path, private_flag: Option<&Path>) -> Result<Checked> {
    let (content, mut diagnostics, private) =
        load_content(root, PrivateFolder::IfReadable(private_flag))?;
    let private_dir = load::private::folder(private_flag, content.site.as_ref());
    diagnostics.extend(load::private::shared(
        root,
        &content,
        &private,
        private_dir.as_deref(),
    ));
    let files = content.files;
    let base_url = content
        .site
        .as_ref()
        .and_then(|site| site.value.base_url.clone());
    let (history, notices) = load::history::read(root);
    diagnostics.extend(notices);
    let diagnostics = match validate(&content, history, diagnostics, &private) {
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

/// What `import` copied, and what the site's check says afterwards.
#[derive(Debug)]
pub struct Imported {
    /// Where the handbook went, from the site root (`content/playbooks/…`).
    pub folder: String,
    /// Each file written, from the site root.
    pub written: Vec<String>,
    pub plan: crate::model::import::Plan,
    /// `check` on the site after the copy, when it has a content/site.yaml.
    pub checked: Option<Checked>,
}

/// Copies the handbook in `src` into `content/playbooks/<into>/` of the
/// site at `root`: Markdown, images and PDFs, keeping its folders. Nothing
/// that exists is overwritten (the whole copy is refused, naming the
/// files) and nothing is deleted.
pub fn import(root: &Path, src: &Path, into: &str) -> Result<Imported> {
    let into = into.trim_matches('/');
    if let Some(part) = into
        .split('/')
        .find(|part| !into.is_empty() && (!crate::text::is_link_safe(part) || *part == ".."))
    {
        return Err(Error::Refused(format!(
            "`--into {into}`: `{part}` cannot be a section folder's name; use letters, digits, `-` and `_`"
        )));
    }
    let files = load::import::read_handbook(src)?;
    let plan = crate::model::import::plan(&files, into);
    if plan.files.is_empty() {
        return Err(Error::Refused(format!(
            "{} holds no Markdown, images or PDFs to import",
            src.display()
        )));
    }
    let out: Vec<render::OutputFile> = plan
        .files
        .iter()
        .map(|(path, bytes)| render::OutputFile {
            path: path.clone(),
            bytes: bytes.clone(),
        })
        .collect();
    crate::output::add_new_files(root, &out)?;
    let checked = if root.join("content/site.yaml").is_file() {
        Some(check(root)?)
    } else {
        None
    };
    Ok(Imported {
        folder: match into {
            "" => "content/playbooks".to_string(),
            into => format!("content/playbooks/{into}"),
        },
        written: out.into_iter().map(|f| f.path).collect(),
        plan,
        checked,
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
    render_with(root, audience, base_url, None, sink)
}

/// [`render()`], with the private folder given by `--private` (the
/// managers' build reads it; the team build never opens it).
pub fn render_with(
    root: &Path,
    audience: Audience,
    base_url: Option<&str>,
    private: Option<&Path>,
    sink: &dyn render::Sink,
) -> Result<render::RenderSummary> {
    if let Some(base_url) = base_url {
        crate::text::check_web_address(base_url).map_err(|reason| {
            Error::Refused(format!(
                "`--base-url {base_url}` must be an absolute http:// or https:// address, like https://sales.example.com/: {reason}"
            ))
        })?;
    }
    let (mut model, warnings) =
        load_model_with(root, PrivateFolder::for_audience(audience, private))?;
    if let Some(base_url) = base_url {
        model.site.base_url = if base_url.ends_with('/') {
            base_url.to_string()
        } else {
            format!("{base_url}/")
        };
    }
    let theme = theme::load_theme(root, &model.site.theme)?;
    // The Markdown moves into the render, which lets each text go once
    // it is HTML.
    let markdown = render::site::take_markdown(&mut model, audience);
    let input = render::Input {
        model: &model,
        theme: &theme,
        audience,
        product: render::Product::Build(markdown),
        sink,
    };
    let mut summary = render::render(input).map_err(|err| match err {
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
    build_with(root, out, audience, base_url, None)
}

/// [`build`], with the private folder given by `--private`.
pub fn build_with(
    root: &Path,
    out: &Path,
    audience: Audience,
    base_url: Option<&str>,
    private: Option<&Path>,
) -> Result<BuildSummary> {
    let out = output_folder(root, out);
    let summary = crate::output::replace_site(root, &out, |sink| {
        render_with(root, audience, base_url, private, sink)
    })?;
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

/// Which revisions of the private folder `diff --audience managers`
/// compares. The folder is `dir` (from `--private`), else site.yaml's
/// `private:`; `base` defaults to its repository's `HEAD` and `head` to
/// its working tree. The team's review never opens it.
#[derive(Debug, Clone, Copy, Default)]
pub struct PrivateRevisions<'a> {
    pub dir: Option<&'a Path>,
    pub base: Option<&'a str>,
    pub head: Option<&'a str>,
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
    review_with(root, base, head, out, audience, PrivateRevisions::default())
}

/// [`review`], for the managers with the private folder's own revisions
/// (see [`PrivateRevisions`]): changes in both repositories are reviewed.
pub fn review_with(
    root: &Path,
    base: &str,
    head: Option<&str>,
    out: &Path,
    audience: Audience,
    private: PrivateRevisions,
) -> Result<Reviewed> {
    let base_dir = crate::diff::checkout(root, base)?;
    let head_dir = match head {
        Some(rev) => Some(crate::diff::checkout(root, rev)?),
        None => None,
    };
    let head_root = head_dir.as_ref().map_or(root, |d| d.path());
    // The private folder of each side, as an absolute path: a revision's
    // copy of the site sits elsewhere, where a relative path means nothing.
    let private_dir = match audience {
        Audience::Team => None,
        Audience::Managers => private
            .dir
            .map(Path::to_path_buf)
            .or_else(|| load::private::configured(root))
            .map(|dir| {
                let dir = root.join(dir);
                std::path::absolute(&dir).unwrap_or(dir)
            }),
    };
    let (private_base, private_head) = match &private_dir {
        None => (None, None),
        Some(dir) => {
            // A private folder outside git is compared as it is, unless a
            // revision of it was asked for.
            let base = match crate::diff::checkout(dir, private.base.unwrap_or("HEAD")) {
                Ok(copy) => Some(copy),
                Err(_) if private.base.is_none() => None,
                Err(err) => return Err(err),
            };
            let head = match private.head {
                Some(rev) => Some(crate::diff::checkout(dir, rev)?),
                None => None,
            };
            (base, head)
        }
    };
    fn folder<'a>(dir: Option<&'a Path>, copy: Option<&'a tempfile::TempDir>) -> PrivateFolder<'a> {
        match dir {
            None => PrivateFolder::Closed,
            Some(dir) => PrivateFolder::Required(Some(copy.map_or(dir, |c| c.path()))),
        }
    }
    let dir = private_dir.as_deref();
    let (base_model, _) = load_model_with(base_dir.path(), folder(dir, private_base.as_ref()))
        .map_err(|err| in_revision(err, base))?;
    let (head_model, _) = load_model_with(head_root, folder(dir, private_head.as_ref()))
        .map_err(|err| in_revision(err, head.unwrap_or("the working tree")))?;
    let review = crate::diff::compare(&base_model, &head_model, audience);
    let head_name = head.unwrap_or("working tree");
    let theme = theme::load_theme(head_root, &head_model.site.theme)?;
    let sink = render::MemorySink::default();
    render::render(render::Input {
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

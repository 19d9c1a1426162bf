//! Render stage: the validated model → every file of the site, in memory.
//! Entry: [`render`].
//!
//! Markdown is rendered first (in parallel), then each page module builds
//! its pages' view data, then Tera renders them (in parallel). Nothing is
//! written here; `output` does that.

pub mod charts;
pub mod format;
pub mod markdown;
pub mod templates;

mod coaching;
pub mod dashboard;
mod goals;
mod people;
mod playbooks;
mod reports;
mod search;
mod site;

use crate::error::{Diagnostic, Error, Result, Severity};
use crate::load::theme::Theme;
use crate::model::{Audience, Model};
use format::Formatter;
use markdown::Rendered;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// A file of the built site: its path in the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The whole built site, and the warnings found while building it.
#[derive(Debug, Clone)]
pub struct Built {
    pub files: Vec<OutputFile>,
    pub warnings: Vec<Diagnostic>,
}

/// One HTML page to render: where it goes, with which template and data.
pub struct Page {
    /// Site path: `` for the home page, `people/alice-chen/`, or `404.html`.
    pub path: String,
    pub template: &'static str,
    pub title: String,
    /// Which header navigation entry is current (`dashboard`, `people`, …).
    pub section: &'static str,
    pub breadcrumbs: Vec<(String, String)>,
    /// The page's own data, serialized for the template.
    pub data: tera::Value,
}

impl Page {
    pub fn new(
        path: impl Into<String>,
        template: &'static str,
        title: impl Into<String>,
        section: &'static str,
        data: &impl Serialize,
    ) -> Page {
        Page {
            path: path.into(),
            template,
            title: title.into(),
            section,
            breadcrumbs: Vec::new(),
            data: tera::Value::from_serializable(data),
        }
    }

    /// Adds breadcrumbs (label, site path), from the home page down.
    pub fn crumbs(mut self, crumbs: &[(&str, &str)]) -> Page {
        self.breadcrumbs = crumbs
            .iter()
            .map(|(label, path)| (label.to_string(), path.to_string()))
            .collect();
        self
    }
}

/// A link for a template: what to show and the site path it goes to.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub name: String,
    pub path: String,
}

/// What every page module reads: the model, the audience, formatting and
/// the rendered Markdown (keyed by file under `content/`).
pub struct Ctx<'a> {
    pub model: &'a Model,
    pub audience: Audience,
    pub format: Formatter,
    pub docs: BTreeMap<String, Rendered>,
    pub org: crate::rollup::Org<'a>,
}

impl Ctx<'_> {
    pub fn managers(&self) -> bool {
        self.audience == Audience::Managers
    }

    /// The rendered HTML of a content file (`content/…`).
    pub fn html(&self, file: &std::path::Path) -> String {
        self.docs
            .get(&content_key(file))
            .map(|r| r.html.clone())
            .unwrap_or_default()
    }

    /// A link to a person's page, if the id names one.
    pub fn person_link(&self, id: &str) -> Option<Link> {
        self.model.people.get(id).map(|p| Link {
            name: p.name.clone(),
            path: site::person_path(&p.id),
        })
    }

    pub fn rendered(&self, file: &std::path::Path) -> Option<&Rendered> {
        self.docs.get(&content_key(file))
    }
}

/// `content/playbooks/a.md` → `playbooks/a.md`.
pub fn content_key(file: &std::path::Path) -> String {
    let text = file.to_string_lossy().replace('\\', "/");
    text.strip_prefix("content/").unwrap_or(&text).to_string()
}

/// The relative prefix from a page to the site root: `../../` for
/// `people/alice-chen/`, empty for the home page.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Renders the whole site for `audience`.
pub fn render(model: &Model, theme: &Theme, audience: Audience) -> Result<Built> {
    let links = site::link_map(model, audience);
    let sources = site::markdown_sources(model, audience);
    let mut ctx = Ctx {
        model,
        audience,
        format: Formatter::new(&model.site.currency),
        docs: BTreeMap::new(),
        org: crate::rollup::Org::new(model),
    };
    let draw = |yaml: &str, number: usize| -> std::result::Result<String, String> {
        let spec = charts::spec::parse(yaml, model)?;
        Ok(charts::spec::render(
            &ctx,
            &spec,
            &format!("chart-{number}"),
        ))
    };
    let rendered: Vec<(String, Rendered)> = sources
        .into_par_iter()
        .map(|(key, text, page_path, drop_title)| {
            let root = root_of(&page_path);
            let target = markdown::Target {
                source: &key,
                root: &root,
                drop_title,
                charts: Some(&draw),
            };
            let rendered = markdown::render(&text, target, &links);
            (key, rendered)
        })
        .collect();
    let mut diagnostics = Vec::new();
    let mut docs = BTreeMap::new();
    for (key, doc) in rendered {
        diagnostics.extend(doc.diagnostics.iter().cloned());
        docs.insert(key, doc);
    }
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(Error::Content(crate::error::sorted(diagnostics)));
    }
    ctx.docs = docs;
    let mut pages = Vec::new();
    pages.extend(dashboard::pages(&ctx));
    pages.extend(people::pages(&ctx));
    pages.extend(playbooks::pages(&ctx));
    pages.push(playbooks::tags_page(&ctx));
    pages.extend(coaching::pages(&ctx));
    pages.extend(reports::pages(&ctx));
    pages.push(site::not_found());

    let engine = templates::engine(theme)?;
    let common = site::Common::new(model, audience);
    let mut files: Vec<OutputFile> = pages
        .par_iter()
        .map(|page| {
            let html = engine.render(page, &common)?;
            Ok(OutputFile {
                path: output_path(&page.path),
                bytes: html.into_bytes(),
            })
        })
        .collect::<Result<_>>()?;
    files.push(site::sitemap(model, &pages));
    files.push(search::index(&ctx));
    files.push(playbooks::feed(&ctx));
    for (name, bytes) in &theme.statics {
        files.push(OutputFile {
            path: format!("static/{name}"),
            bytes: bytes.clone(),
        });
    }
    for asset in &model.assets {
        if links.targets.get(&asset.path).is_some_and(Option::is_some) {
            files.push(OutputFile {
                path: asset.path.clone(),
                bytes: asset.bytes.clone(),
            });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Built {
        files,
        warnings: crate::error::sorted(diagnostics),
    })
}

/// Every broken relative link and bad chart block in the site's Markdown,
/// whatever the audience, found without rendering.
pub fn check(model: &Model) -> Vec<Diagnostic> {
    let links = site::link_map(model, Audience::Managers);
    let collisions = site::url_collisions(model);
    let mut found: Vec<Diagnostic> = site::markdown_sources(model, Audience::Managers)
        .par_iter()
        .flat_map_iter(|(key, text, _, _)| {
            let charts = markdown::chart_blocks(text)
                .into_iter()
                .filter_map(|(yaml, line)| {
                    let message = charts::spec::parse(&yaml, model).err()?;
                    Some(
                        Diagnostic::error(&text.file, message)
                            .at(Some(crate::error::Position::line(line))),
                    )
                });
            markdown::check_links(text, key, &links)
                .into_iter()
                .chain(charts.collect::<Vec<_>>())
        })
        .collect();
    found.extend(collisions);
    found
}

/// The review page of `bullpen diff`, in the site's theme: `index.html`
/// and the theme's static files, to be written to the review folder.
pub fn review_page(
    model: &Model,
    theme: &Theme,
    audience: Audience,
    review: &crate::diff::Review,
    base: &str,
    head: &str,
) -> Result<Vec<OutputFile>> {
    #[derive(Serialize)]
    struct ReviewView<'a> {
        review: &'a crate::diff::Review,
        base: &'a str,
        head: &'a str,
        empty: bool,
    }
    let view = ReviewView {
        review,
        base,
        head,
        empty: review.is_empty(),
    };
    let page = Page::new(
        "",
        "diff.html",
        format!("Changes from {base} to {head}"),
        "review",
        &view,
    );
    let engine = templates::engine(theme)?;
    let html = engine.render(&page, &site::Common::new(model, audience))?;
    let mut files = vec![OutputFile {
        path: "index.html".into(),
        bytes: html.into_bytes(),
    }];
    for (name, bytes) in &theme.statics {
        files.push(OutputFile {
            path: format!("static/{name}"),
            bytes: bytes.clone(),
        });
    }
    Ok(files)
}

/// `people/alice/` → `people/alice/index.html`.
fn output_path(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

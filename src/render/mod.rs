//! Render stage: the validated model → every file of the site, in memory.
//! Entry: [`render`].
//!
//! Markdown is rendered first (in parallel), then each page module builds
//! its pages' view data, then Tera renders them (in parallel). Nothing is
//! written here; `output` does that.

pub mod charts;
pub mod markdown;
mod marks;
pub mod templates;

mod coaching;
pub mod dashboard;
mod goals;
mod handout;
mod lines;
mod pages;
mod people;
mod pipeline;
pub(crate) mod playbooks;
mod progress;
mod reach;
mod reports;
pub mod search;
pub mod site;

pub use pages::{Planned, Reach, Shows, Subject, Whose, plan};

use crate::error::{Diagnostic, Error, Result, Severity};
use crate::format::Formatter;
use crate::load::theme::Theme;
use crate::model::Model;
use crate::vocab::Audience;
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
    /// The org chart's index, made on first use (a playbook rebuild in
    /// `serve` never needs it).
    org: std::sync::OnceLock<crate::rollup::Org<'a>>,
    /// Which history columns have data anywhere in the site, found on
    /// first use: every rep page asks, and the answer reads every record.
    columns: std::sync::OnceLock<handout::DataColumns>,
}

impl<'a> Ctx<'a> {
    pub fn new(model: &'a Model, audience: Audience, docs: BTreeMap<String, Rendered>) -> Ctx<'a> {
        Ctx {
            model,
            audience,
            format: Formatter::new(&model.site.currency),
            docs,
            org: std::sync::OnceLock::new(),
            columns: std::sync::OnceLock::new(),
        }
    }

    /// The history columns with data anywhere in the site, found once per
    /// context.
    pub fn data_columns(&self) -> handout::DataColumns {
        *self
            .columns
            .get_or_init(|| handout::data_columns(self.model))
    }

    /// Makes now what pages of figures read and the context would make on
    /// first use (the org chart's index, which columns have data), for a
    /// caller with a core to spare.
    pub fn prepare(&self) {
        self.org();
        self.data_columns();
    }

    /// The org chart, indexed once per context.
    pub fn org(&self) -> &crate::rollup::Org<'a> {
        self.org.get_or_init(|| {
            let _phase = crate::timings::phase("index the org chart");
            crate::rollup::Org::new(self.model)
        })
    }

    pub fn managers(&self) -> bool {
        self.audience == Audience::Managers
    }

    /// Whether this build shows one rep's figures: not the team's when
    /// site.yaml says `rep_pages: managers` (team aggregates only).
    pub fn rep_figures(&self) -> bool {
        self.audience.may_see(self.model.site.rep_pages)
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
    crate::load::content_key(file)
}

/// The relative prefix from a page to the site root: `../../` for
/// `people/alice-chen/`, empty for the home page.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Where rendered files go: memory for tests and `serve`, a folder for
/// `build`. Called from many threads at once.
pub trait Sink: Sync {
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()>;

    /// Puts a copy of `bytes`: a sink that writes them out at once need
    /// not make one.
    fn put_copy(&self, path: String, bytes: &[u8]) -> Result<()> {
        self.put(path, bytes.to_vec())
    }
}

/// Keeps every file in memory, in path order.
#[derive(Default)]
pub struct MemorySink(std::sync::Mutex<BTreeMap<String, Vec<u8>>>);

impl MemorySink {
    pub fn into_files(self) -> Vec<OutputFile> {
        self.0
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .map(|(path, bytes)| OutputFile { path, bytes })
            .collect()
    }
}

impl Sink for MemorySink {
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path, bytes);
        Ok(())
    }
}

/// What to render: from which model, in which theme, for whom, into
/// which sink.
pub struct Input<'a> {
    pub model: &'a Model,
    pub theme: &'a Theme,
    pub audience: Audience,
    pub product: Product<'a>,
    /// Where each file goes as soon as it is made.
    pub sink: &'a dyn Sink,
}

/// What a render makes.
pub enum Product<'a> {
    /// The whole site, its Markdown read from the model, and what a later
    /// partial render can reuse kept ([`Reusable`]): what serve renders.
    Site,
    /// The whole site once, from Markdown already moved out of the model
    /// ([`site::take_markdown`]): each text is let go of once rendered, and
    /// the rendered Markdown once the pages are written, so a large site
    /// never holds its Markdown, its HTML and its search index at once.
    /// Nothing is kept for reuse.
    Build(Vec<site::MarkdownSource<'a>>),
    /// The review page of `bullpen diff`, in the site's theme.
    Review(ReviewPage<'a>),
}

/// What the review page shows: the changes between two revisions.
#[derive(Clone, Copy)]
pub struct ReviewPage<'a> {
    pub review: &'a crate::diff::Review,
    /// The revisions compared, as named on the command line.
    pub base: &'a str,
    pub head: &'a str,
}

/// What [`render`] produced besides the files it put in the sink.
pub struct RenderSummary {
    pub pages: usize,
    pub files: usize,
    pub warnings: Vec<Diagnostic>,
    /// What a later partial render of the same site can reuse.
    pub kept: Reusable,
}

/// What a whole-site render leaves behind that a later partial render of
/// the same site can reuse: what `serve` keeps between rebuilds.
pub struct Reusable {
    /// Rendered Markdown, keyed by content file.
    pub docs: BTreeMap<String, Rendered>,
    /// The audience's link map.
    pub links: site::LinkMap,
    /// The search index, for serve (empty after a build).
    pub search: search::Index,
    /// The theme's compiled templates.
    pub engine: std::sync::Arc<templates::Engine>,
}

/// Renders `input`'s product into its sink, each file put there as soon as
/// it is made: the one way into the render stage.
pub fn render(mut input: Input) -> Result<RenderSummary> {
    match std::mem::replace(&mut input.product, Product::Site) {
        Product::Site => render_site(&input, None),
        Product::Build(sources) => render_site(&input, Some(sources)),
        Product::Review(page) => review(&input, page),
    }
}

/// The whole site for the input's audience.
fn render_site(
    input: &Input,
    given: Option<Vec<site::MarkdownSource<'_>>>,
) -> Result<RenderSummary> {
    let &Input {
        model,
        theme,
        audience,
        sink,
        ..
    } = input;
    let reuse = given.is_none();
    let sources = given.unwrap_or_else(|| site::markdown_sources(model, audience));
    let links = site::link_map(model, audience);
    let mut ctx = Ctx::new(model, audience, BTreeMap::new());
    // The templates come first: charts and tables in Markdown are drawn
    // with the theme's partials.
    let engine = std::sync::Arc::new(templates::engine(theme)?);
    // The org chart's index, which most pages need, is made beside the
    // Markdown rather than holding up the first pages.
    let (_, rendered) = rayon::join(|| ctx.org(), || render_docs(&ctx, &engine, &links, sources));
    let (docs, warnings) = rendered?;
    ctx.docs = docs;
    let (pages, files, search, engine) = {
        let renderer = Renderer::with_engine(&ctx, theme, engine);
        let plan = {
            let _phase = crate::timings::phase("plan");
            plan(&ctx)
        };
        // The sitemap, search index and feed are made beside the pages, so
        // their one-thread parts fill what would be idle cores.
        let _phase = crate::timings::phase("pages, search index, sitemap, feed");
        let (pages, extras) = rayon::join(
            || renderer.pages(plan.par_iter(), sink),
            || {
                let entries = search::entries(&ctx);
                let count = renderer.extras(&plan, &links, sink)?;
                if reuse {
                    // Serve keeps each entry's JSON, to write the index
                    // again after an edit by serializing only what changed.
                    let index = search::Index::new(entries);
                    Ok((count + index.put(sink)?, index))
                } else {
                    Ok((
                        count + search::put(&entries, sink)?,
                        search::Index::default(),
                    ))
                }
            },
        );
        pages?;
        let (extras, search) = extras?;
        (plan.len(), plan.len() + extras, search, renderer.engine())
    };
    if !reuse {
        // A build keeps nothing for a next edit.
        ctx.docs.clear();
    }
    Ok(RenderSummary {
        pages,
        files,
        warnings,
        kept: Reusable {
            docs: std::mem::take(&mut ctx.docs),
            links,
            search,
            engine,
        },
    })
}

/// Renders the Markdown of `sources` (on every core), keyed by content
/// file, its chart blocks and tables in the theme's partials; any error
/// stops it.
pub fn render_docs(
    ctx: &Ctx,
    engine: &templates::Engine,
    links: &site::LinkMap,
    sources: Vec<site::MarkdownSource<'_>>,
) -> Result<(BTreeMap<String, Rendered>, Vec<Diagnostic>)> {
    let _phase = crate::timings::phase("render Markdown");
    let rendered: Vec<(String, Rendered)> = sources
        .into_par_iter()
        .map(|source| {
            // A bad chart spec or inline figure is the text's error, on its
            // line; a theme whose partial fails to render is the build's.
            let theme_failed = std::sync::OnceLock::new();
            let draw = |yaml: &str, number: usize| -> std::result::Result<String, String> {
                let spec = charts::spec::parse(yaml, ctx.model)?;
                // `rep_pages: managers`: a chart of reps is left out.
                if !ctx.rep_figures() && (spec.by == charts::spec::By::Rep || spec.rep.is_some()) {
                    return Ok(String::new());
                }
                let chart = charts::spec::render(ctx, &spec, &format!("chart-{number}"));
                Ok(engine.chart(&chart).unwrap_or_else(|err| {
                    let _ = theme_failed.set(err);
                    String::new()
                }))
            };
            let quote = |expression: &str| -> std::result::Result<(String, String), String> {
                let figure = crate::prose::Figure::parse(expression, ctx.model, &source.figures)?;
                let value = match figure.scope {
                    crate::prose::Scope::Rep(_) if !ctx.rep_figures() => {
                        crate::format::Cell::undefined(REP_FIGURES_WITHHELD)
                    }
                    _ => figure.cell(ctx.model, ctx.org(), &ctx.format),
                };
                let view = templates::FigureView {
                    value,
                    label: figure.metric.label(),
                    metric: figure.metric.name(),
                    whose: figure.whose(ctx.model),
                    period: figure.period.to_string(),
                    period_label: figure.period.label(),
                    expression: expression.trim().to_string(),
                };
                let html = engine.figure(&view).unwrap_or_else(|err| {
                    let _ = theme_failed.set(err);
                    String::new()
                });
                Ok((html, view.value.text))
            };
            let root = root_of(&source.page);
            let target = markdown::Target {
                source: &source.key,
                root: &root,
                drop_title: source.drop_title,
                charts: Some(&draw),
                figures: Some(&quote),
            };
            let rendered =
                markdown::render_with(&source.text, target, links, Some(engine.table_wrap()));
            match theme_failed.into_inner() {
                Some(err) => Err(err),
                None => Ok((source.key, rendered)),
            }
        })
        .collect::<Result<_>>()?;
    let mut diagnostics = Vec::new();
    let mut docs = BTreeMap::new();
    for (key, doc) in rendered {
        diagnostics.extend(doc.diagnostics.iter().cloned());
        docs.insert(key, doc);
    }
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(Error::Content(crate::error::sorted(diagnostics)));
    }
    Ok((docs, crate::error::sorted(diagnostics)))
}

/// Why a rep's figure reads `—` in a team build under `rep_pages: managers`.
pub const REP_FIGURES_WITHHELD: &str = "one rep's figures are for managers only";

/// Turns planned pages into files: the templates, compiled once, and what
/// every page shares.
pub struct Renderer<'c, 'a> {
    ctx: &'c Ctx<'a>,
    theme: &'c Theme,
    engine: std::sync::Arc<templates::Engine>,
    common: site::Common,
}

impl<'c, 'a> Renderer<'c, 'a> {
    /// With templates already compiled (what `serve` keeps between
    /// rebuilds).
    pub fn with_engine(
        ctx: &'c Ctx<'a>,
        theme: &'c Theme,
        engine: std::sync::Arc<templates::Engine>,
    ) -> Renderer<'c, 'a> {
        Renderer {
            ctx,
            theme,
            engine,
            common: site::Common::new(ctx.model, ctx.audience),
        }
    }

    /// The compiled templates, to keep for the next rebuild.
    pub fn engine(&self) -> std::sync::Arc<templates::Engine> {
        std::sync::Arc::clone(&self.engine)
    }

    pub fn new(ctx: &'c Ctx<'a>, theme: &'c Theme) -> Result<Renderer<'c, 'a>> {
        Ok(Renderer {
            ctx,
            theme,
            engine: std::sync::Arc::new(templates::engine(theme)?),
            common: site::Common::new(ctx.model, ctx.audience),
        })
    }

    /// Makes and renders `pages` on every core, each put in `sink` as soon
    /// as it is ready and then dropped.
    pub fn pages<'p>(
        &self,
        pages: impl ParallelIterator<Item = &'p Planned<'p>>,
        sink: &dyn Sink,
    ) -> Result<()> {
        pages.try_for_each(|planned| {
            let page = planned.make();
            let html = self.engine.render(&page, &self.common)?;
            sink.put(output_path(&page.path), html.into_bytes())
        })
    }

    /// The files that are not pages: the sitemap, the search index, the
    /// feed, the theme's static files and the images and attachments this
    /// audience gets ([`site::published_assets`]). Returns how many.
    pub fn extras(
        &self,
        plan: &[Planned],
        links: &site::LinkMap,
        sink: &dyn Sink,
    ) -> Result<usize> {
        let ctx = self.ctx;
        let mut files = vec![site::sitemap(ctx.model, plan), self.feed()];
        for (name, bytes) in &self.theme.statics {
            files.push(OutputFile {
                path: format!("static/{name}"),
                bytes: bytes.clone(),
            });
        }
        for asset in site::published_assets(ctx.model, ctx.audience, links, &ctx.docs) {
            files.push(OutputFile {
                path: asset.path.clone(),
                bytes: asset.bytes.clone(),
            });
        }
        let taken: std::collections::HashSet<&str> = plan.iter().map(|p| p.path.as_str()).collect();
        for page in playbooks::redirects(ctx, &taken) {
            let html = self.engine.render(&page, &self.common)?;
            files.push(OutputFile {
                path: output_path(&page.path),
                bytes: html.into_bytes(),
            });
        }
        let count = files.len();
        for file in files {
            sink.put(file.path, file.bytes)?;
        }
        Ok(count)
    }

    /// The Atom feed of playbook changes.
    pub fn feed(&self) -> OutputFile {
        playbooks::feed(self.ctx)
    }
}

/// Every broken relative link, bad chart block and bad inline figure in
/// the site's Markdown, whatever the audience, found without rendering.
pub fn check(model: &Model) -> Vec<Diagnostic> {
    let links = site::link_map(model, Audience::Managers);
    let collisions = site::url_collisions(model);
    let mut found: Vec<Diagnostic> = site::markdown_sources(model, Audience::Managers)
        .par_iter()
        .flat_map_iter(|source| {
            check_text(model, &links, &source.key, &source.text, &source.figures)
        })
        .collect();
    found.extend(collisions);
    found
}

/// One Markdown text's broken relative links, bad chart blocks and bad
/// inline figures (for a page as `page` describes it), against the
/// managers' link map (every page there is).
pub fn check_text(
    model: &Model,
    links: &site::LinkMap,
    key: &str,
    text: &crate::model::MarkdownText,
    page: &crate::prose::Page,
) -> Vec<Diagnostic> {
    let charts = markdown::chart_blocks(text)
        .into_iter()
        .filter_map(|(yaml, line)| {
            let (message, at) = charts::spec::parse_located(&yaml, model).err()?;
            // The block's first line is the one after its fence.
            let position = match at {
                Some((yaml_line, column)) => crate::error::Position {
                    line: line + yaml_line,
                    column,
                },
                None => crate::error::Position::line(line),
            };
            Some(Diagnostic::error(&text.file, message).at(Some(position)))
        });
    let figures = crate::prose::find(text)
        .into_iter()
        .filter_map(|(expression, line)| {
            let message = crate::prose::Figure::parse(&expression, model, page).err()?;
            Some(
                Diagnostic::error(&text.file, message).at(Some(crate::error::Position::line(line))),
            )
        });
    let mut found = markdown::check_links(text, key, links);
    found.extend(charts);
    found.extend(figures);
    found
}

/// The review page of `bullpen diff`: `index.html` and the theme's static
/// files.
fn review(input: &Input, page: ReviewPage) -> Result<RenderSummary> {
    #[derive(Serialize)]
    struct ReviewView<'a> {
        review: &'a crate::diff::Review,
        base: &'a str,
        head: &'a str,
        empty: bool,
    }
    let ReviewPage { review, base, head } = page;
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
    let engine = templates::engine(input.theme)?;
    let html = engine.render(&page, &site::Common::new(input.model, input.audience))?;
    input.sink.put("index.html".into(), html.into_bytes())?;
    for (name, bytes) in &input.theme.statics {
        input.sink.put(format!("static/{name}"), bytes.clone())?;
    }
    Ok(RenderSummary {
        pages: 1,
        files: 1 + input.theme.statics.len(),
        warnings: Vec::new(),
        kept: Reusable {
            docs: BTreeMap::new(),
            links: site::LinkMap::default(),
            search: search::Index::default(),
            engine: std::sync::Arc::new(engine),
        },
    })
}

/// `people/alice/` → `people/alice/index.html`.
fn output_path(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

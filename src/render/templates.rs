//! Render stage: the Tera engine, built once from the theme, and the
//! rendering of one page, or of one of the partials Rust places itself
//! (a chart drawn in Markdown, the wrapper around a Markdown table).

use super::charts::Chart;
use super::markdown::TableWrap;
use super::marks::{CellPatterns, Pattern};
use super::site::Common;
use super::{Page, root_of};
use crate::error::{Error, Position, Result};
use crate::load::theme::Theme;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// Templates compiled once per build; shared by every rendering thread.
pub struct Engine {
    tera: tera::Tera,
    /// The site's file of each template it provides, for errors.
    files: BTreeMap<String, PathBuf>,
    /// The theme's `partials/table-wrap.html`, split where the table goes.
    table_wrap: TableWrap,
}

/// The partial a cell is drawn with (`{{ value | cell }}`).
pub const CELL: &str = "partials/cell.html";
/// The partial a chart is drawn with, in pages and in Markdown.
pub const CHART: &str = "partials/chart.html";
/// The partial an inline figure in Markdown is drawn with.
pub const FIGURE: &str = "partials/figure.html";
/// The partial around each table of rendered Markdown.
pub const TABLE_WRAP: &str = "partials/table-wrap.html";

/// Templates every theme must have (a site's override may replace them).
pub const REQUIRED: &[&str] = &[
    "base.html",
    "components.html",
    "dashboard.html",
    "team.html",
    "rep.html",
    "people.html",
    "teams.html",
    "periods.html",
    "playbooks.html",
    "section.html",
    "playbook.html",
    "coaching-index.html",
    "coaching.html",
    "reports.html",
    "report.html",
    "404.html",
    "diff.html",
    "tags.html",
    "redirect.html",
    CELL,
    CHART,
    FIGURE,
    TABLE_WRAP,
];

/// What `partials/figure.html` receives as `figure`: an inline figure in
/// Markdown (`` `=attainment team:marcus-bell` ``), measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FigureView {
    /// The value as the dashboards show it; `—` with its reason when
    /// undefined.
    pub value: crate::format::Cell,
    /// The metric's label: `Attainment`.
    pub label: &'static str,
    /// The metric's name: `attainment`.
    pub metric: &'static str,
    /// Whose figures: `Marcus Bell's team`, `Alice Chen`, `the organisation`.
    pub whose: String,
    /// The period: `2026-Q3`.
    pub period: String,
    /// The period for people: `Q3 2026`.
    pub period_label: String,
    /// The expression as written, after the `=`.
    pub expression: String,
}

/// Compiles the theme's templates, with autoescaping on for `.html`, and
/// the `cell` filter: `{{ value | cell }}` draws a cell with the theme's
/// `partials/cell.html`.
pub fn engine(theme: &Theme) -> Result<Engine> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on([".html", ".xml"]);
    // The filter's patterns come from the compiled templates, so they are
    // filled in once those are.
    let cells: Arc<OnceLock<CellPatterns>> = Arc::default();
    let patterns = Arc::clone(&cells);
    tera.register_filter(
        "cell",
        move |cell: &tera::Map,
              _: tera::Kwargs,
              state: &tera::State|
              -> tera::TeraResult<tera::Value> {
            let patterns = patterns.get().ok_or_else(|| {
                tera::Error::message(format!("{CELL} cannot draw a cell with the `cell` filter"))
            })?;
            let mut html = String::with_capacity(64);
            patterns
                .draw(cell, &mut html, state.autoescaping_enabled())
                .map_err(tera::Error::message)?;
            Ok(tera::Value::safe_string(&html))
        },
    );
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str())),
    )
    .map_err(|err| {
        template_error(&err, None, &theme.template_files, |name| {
            theme.templates.contains_key(name)
        })
    })?;
    for name in REQUIRED {
        if !tera.contains_template(name) {
            return Err(Error::Template {
                template: Some(name.to_string()),
                file: None,
                position: None,
                rendering: None,
                message: "the theme has no such template".into(),
            });
        }
    }
    let rendered = |err: &tera::Error, name: &str| {
        template_error(err, Some(name), &theme.template_files, |name| {
            tera.contains_template(name)
        })
    };
    let _ = cells.set(CellPatterns::render(&tera).map_err(|err| rendered(&err, CELL))?);
    let table_wrap = Pattern::render(&tera, TABLE_WRAP, &["table"], tera::Context::new())
        .map_err(|err| rendered(&err, TABLE_WRAP))?
        .around()
        .map(|(open, close)| TableWrap { open, close })
        .ok_or_else(|| Error::Template {
            template: Some(TABLE_WRAP.into()),
            file: theme.template_files.get(TABLE_WRAP).cloned(),
            position: None,
            rendering: None,
            message: "the wrapper must show `table` exactly once".into(),
        })?;
    Ok(Engine {
        tera,
        files: theme.template_files.clone(),
        table_wrap,
    })
}

impl Engine {
    /// A chart as the theme draws it, on its own: for a chart block in
    /// Markdown, placed in the text before any page is rendered.
    pub fn chart(&self, chart: &Chart) -> Result<String> {
        let mut context = tera::Context::new();
        context.insert("chart", chart);
        self.tera.render(CHART, &context).map_err(|err| {
            template_error(&err, Some(CHART), &self.files, |name| {
                self.tera.contains_template(name)
            })
        })
    }

    /// An inline figure as the theme draws it, placed in its text before
    /// any page is rendered.
    pub fn figure(&self, figure: &FigureView) -> Result<String> {
        let mut context = tera::Context::new();
        context.insert("figure", figure);
        self.tera.render(FIGURE, &context).map_err(|err| {
            template_error(&err, Some(FIGURE), &self.files, |name| {
                self.tera.contains_template(name)
            })
        })
    }

    /// The theme's markup around a table of rendered Markdown.
    pub fn table_wrap(&self) -> &TableWrap {
        &self.table_wrap
    }

    pub fn render(&self, page: &Page, common: &Common) -> Result<String> {
        let root = if page.path == "404.html" {
            // The 404 page is served at any depth, so its links start from the
            // site's absolute path (`/` or `/handbook/`).
            crate::text::base_path(&common.base_url)
        } else {
            root_of(&page.path)
        };
        let mut context = tera::Context::new();
        context.insert_value("site", common.site.clone());
        context.insert_value("nav", common.nav.clone());
        context.insert("root", &root);
        context.insert("page_title", &page.title);
        context.insert("page_path", &page.path);
        context.insert("section", page.section);
        context.insert("canonical", &format!("{}{}", common.base_url, page.path));
        context.insert("breadcrumbs", &page.breadcrumbs);
        context.insert_value("data", page.data.clone());
        // A control character from any source — a YAML escape in a title,
        // a theme file — would make the page invalid HTML; none leaves here.
        self.tera
            .render(page.template, &context)
            .map(crate::text::into_without_controls)
            .map_err(|err| {
                template_error(&err, Some(page.template), &self.files, |name| {
                    self.tera.contains_template(name)
                })
            })
    }
}

/// A Tera error as a [`Error::Template`] naming the template that failed
/// (one that `rendering` includes or extends, it may be), its file in the
/// site, and the line and column when Tera gives them.
fn template_error(
    err: &tera::Error,
    rendering: Option<&str>,
    files: &BTreeMap<String, PathBuf>,
    is_template: impl Fn(&str) -> bool,
) -> Error {
    use tera::ErrorKind;
    let (template, position, message) = match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => (
            Some(report.filename().to_string()),
            Some(Position {
                line: report.span().start_line,
                // Tera counts columns from 0.
                column: report.span().start_col + 1,
            }),
            report.message().to_string(),
        ),
        ErrorKind::MissingParent { current: name, .. }
        | ErrorKind::CircularExtend { tpl: name, .. }
        | ErrorKind::CircularInclude { tpl: name, .. } => (Some(name.clone()), None, describe(err)),
        // Tera's checks of a whole set of templates (an unknown filter,
        // an include of a missing template) come as text only, each
        // finding located by a `--> name:line:column` line.
        _ => {
            let message = describe(err);
            (first_located(&message, is_template), None, message)
        }
    };
    let template = template
        .filter(|name| !name.is_empty())
        .or_else(|| rendering.map(str::to_string));
    Error::Template {
        file: template.as_ref().and_then(|name| files.get(name).cloned()),
        rendering: rendering
            .filter(|page| template.as_deref() != Some(*page))
            .map(str::to_string),
        template,
        position,
        message,
    }
}

/// The template named by the first `--> name:line:column` line of a Tera
/// message, when it is one of the theme's.
fn first_located(message: &str, is_template: impl Fn(&str) -> bool) -> Option<String> {
    message.lines().find_map(|line| {
        let mut parts = line.trim_start().strip_prefix("--> ")?.rsplitn(3, ':');
        let (_column, _line, name) = (parts.next()?, parts.next()?, parts.next()?);
        is_template(name).then(|| name.to_string())
    })
}

/// A Tera error with its causes, on one line each.
fn describe(err: &tera::Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        message.push_str(&format!("\n  caused by: {cause}"));
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The built-in theme with `rep.html` replaced by a site's `text`.
    fn theme_with_rep(text: &str) -> Theme {
        let mut theme = crate::load::theme::load_theme(Path::new("no-site"), "default").unwrap();
        theme.templates.insert("rep.html".into(), text.into());
        theme
            .template_files
            .insert("rep.html".into(), "themes/acme/templates/rep.html".into());
        theme
    }

    #[test]
    fn a_finding_of_teras_checks_names_its_template_and_file() {
        // An unknown filter is found by Tera's check of the whole set,
        // which reports as text only.
        let theme = theme_with_rep("{% extends \"base.html\" %}\n{{ 1 | no_such_filter }}\n");
        let Err(Error::Template { template, file, .. }) = engine(&theme) else {
            panic!("the theme should not compile");
        };
        assert_eq!(template.as_deref(), Some("rep.html"));
        assert_eq!(
            file.as_deref(),
            Some(Path::new("themes/acme/templates/rep.html"))
        );
    }

    #[test]
    fn a_missing_parent_names_the_child() {
        let theme = theme_with_rep("{% extends \"no-such-base.html\" %}\n");
        let Err(err @ Error::Template { .. }) = engine(&theme) else {
            panic!("the theme should not compile");
        };
        assert!(
            err.to_string()
                .starts_with("template rep.html (themes/acme/templates/rep.html): "),
            "{err}"
        );
    }
}

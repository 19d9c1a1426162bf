//! Render stage: the Tera engine, built once from the theme, and the
//! rendering of one page.

use super::site::Common;
use super::{Page, root_of};
use crate::error::{Error, Result};
use crate::load::theme::Theme;

/// Templates compiled once per build; shared by every rendering thread.
pub struct Engine {
    tera: tera::Tera,
}

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
];

/// Compiles the theme's templates, with autoescaping on for `.html`.
pub fn engine(theme: &Theme) -> Result<Engine> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on([".html", ".xml"]);
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str())),
    )
    .map_err(|err| Error::Template {
        name: "theme".into(),
        message: describe(&err),
    })?;
    for name in REQUIRED {
        if !tera.contains_template(name) {
            return Err(Error::Template {
                name: name.to_string(),
                message: "the theme has no such template".into(),
            });
        }
    }
    Ok(Engine { tera })
}

impl Engine {
    pub fn render(&self, page: &Page, common: &Common) -> Result<String> {
        let root = if page.path == "404.html" {
            // The 404 page is served at any depth, so its links start from the
            // site's absolute path (`/` or `/handbook/`).
            crate::sitecheck::base_path(&common.site.base_url)
        } else {
            root_of(&page.path)
        };
        let mut context = tera::Context::new();
        context.insert("site", &common.site);
        context.insert("nav", &common.nav);
        context.insert("root", &root);
        context.insert("page_title", &page.title);
        context.insert("page_path", &page.path);
        context.insert("section", page.section);
        context.insert(
            "canonical",
            &format!("{}{}", common.site.base_url, page.path),
        );
        context.insert("breadcrumbs", &page.breadcrumbs);
        context.insert_value("data", page.data.clone());
        // A control character from any source — a YAML escape in a title,
        // a theme file — would make the page invalid HTML; none leaves here.
        self.tera
            .render(page.template, &context)
            .map(crate::text::into_without_controls)
            .map_err(|err| Error::Template {
                name: page.template.to_string(),
                message: describe(&err),
            })
    }
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

//! Render stage: what every page shares — URLs of content files, the
//! header navigation, the 404 page and the sitemap.

use super::{OutputFile, Page};
use crate::model::{MarkdownText, Model};
use crate::prose;
pub use crate::render::markdown::LinkMap;
use crate::vocab::{Audience, Visibility};
use serde::Serialize;

pub fn playbook_path(path: &str) -> String {
    format!("playbooks/{path}/")
}

pub fn section_path(path: &str) -> String {
    if path.is_empty() {
        "playbooks/".into()
    } else {
        format!("playbooks/{path}/")
    }
}

pub fn report_path(path: &str) -> String {
    format!("reports/{path}/")
}

pub fn person_path(id: &str) -> String {
    format!("people/{id}/")
}

pub fn period_path(period: crate::vocab::period::Period) -> String {
    format!("periods/{}/", period.slug())
}

pub fn coaching_path(rep: &str, period: crate::vocab::period::Period) -> String {
    format!("coaching/{rep}/{}/", period.slug())
}

/// Two files that would be published at the same address — compared
/// without case, so the site also works from a checkout on macOS or
/// Windows. Each collision is an error on the later file, naming the other.
pub fn url_collisions(model: &Model) -> Vec<crate::error::Diagnostic> {
    use std::path::PathBuf;
    let mut pages: Vec<(String, PathBuf)> = Vec::new();
    for person in model.people.values() {
        pages.push((person_path(&person.id), person.file.clone()));
    }
    for playbook in &model.playbooks {
        pages.push((playbook_path(&playbook.path), playbook.body.file.clone()));
    }
    for section in model.sections.iter().filter(|s| !s.path.is_empty()) {
        let file = section
            .file
            .clone()
            .unwrap_or_else(|| PathBuf::from(format!("content/playbooks/{}/", section.path)));
        pages.push((section_path(&section.path), file));
    }
    for report in &model.reports {
        pages.push((report_path(&report.path), report.body.file.clone()));
    }
    for plan in &model.coaching {
        pages.push((
            coaching_path(&plan.rep, plan.period),
            plan.body.file.clone(),
        ));
    }
    pages.sort_by(|a, b| (a.0.to_lowercase(), &a.1).cmp(&(b.0.to_lowercase(), &b.1)));
    pages
        .windows(2)
        .filter(|pair| pair[0].0.to_lowercase() == pair[1].0.to_lowercase())
        .map(|pair| {
            let case_only = pair[0].0 != pair[1].0;
            crate::error::Diagnostic::error(
                &pair[1].1,
                format!("this file and {} would both be published at /{}", pair[0].1.display(), pair[1].0),
            )
            .at(Some(crate::error::Position::line(1)))
            .with_help(if case_only {
                "their names differ only in upper and lower case, which macOS and Windows checkouts treat as the same; rename one"
            } else {
                "rename one of them so that each page has its own address"
            })
        })
        .collect()
}

/// Where each content file is published for this audience.
pub fn link_map(model: &Model, audience: Audience) -> LinkMap {
    let mut links = LinkMap {
        outside: model.site.links_outside.clone(),
        base: model.site.links_base.clone(),
        missing_warn: model.site.links_missing_warn,
        ..LinkMap::default()
    };
    let visible = |v: Visibility| audience.may_see(v);
    for playbook in &model.playbooks {
        let target = visible(playbook.visibility).then(|| playbook_path(&playbook.path));
        let file = format!("playbooks/{}.md", playbook.file_path);
        for alias in &playbook.aliases {
            links.aliases.insert(alias.clone(), file.clone());
        }
        links.targets.insert(file, target);
    }
    for section in &model.sections {
        let target = visible(section.visibility).then(|| section_path(&section.path));
        // Its page (`_index.md`, `index.md` or `README.md`), and the folder
        // itself: GitHub shows a folder's README at the folder's address.
        let folder = if section.path.is_empty() {
            "playbooks".to_string()
        } else {
            format!("playbooks/{}", section.path)
        };
        if let Some(file) = &section.file {
            links
                .targets
                .insert(super::content_key(file), target.clone());
        }
        links.targets.insert(folder, target);
    }
    for report in &model.reports {
        links.targets.insert(
            format!("reports/{}.md", report.path),
            visible(report.visibility).then(|| report_path(&report.path)),
        );
    }
    for plan in &model.coaching {
        let target =
            (audience == Audience::Managers).then(|| coaching_path(&plan.rep, plan.period));
        links
            .targets
            .insert(format!("coaching/{}/{}.md", plan.rep, plan.period), target);
    }
    for id in model.people.keys() {
        for extension in ["yaml", "md"] {
            links
                .targets
                .insert(format!("people/{id}.{extension}"), Some(person_path(id)));
        }
    }
    for asset in &model.assets {
        let target = (audience == Audience::Managers || !in_private_section(model, &asset.path))
            .then(|| asset.path.clone());
        links.targets.insert(asset.path.clone(), target);
    }
    // A file that did not load has its own error; links to it are not
    // reported as missing too.
    for key in &model.unloaded {
        links.targets.entry(key.clone()).or_insert(None);
    }
    links
}

/// Whether a file under `content/` (`playbooks/restructure/org.png`) sits
/// in a managers-only section's folder, or a folder inside one.
fn in_private_section(model: &Model, path: &str) -> bool {
    let Some(inside) = path.strip_prefix("playbooks/") else {
        return false;
    };
    let folder = inside.rsplit_once('/').map_or("", |(folder, _)| folder);
    model.sections.iter().any(|section| {
        section.visibility == Visibility::Managers
            && crate::model::playbooks::within(folder, &section.path)
    })
}

/// The images and attachments of the site an audience's build carries.
///
/// The managers' build carries all of them. The team's carries a file only
/// when a page of the team build links to it or shows it (`docs` is the
/// audience's rendered Markdown) and it is not in a managers-only section:
/// so a file beside a managers-only page, used only by managers-only pages,
/// or used by nothing never reaches it, nor its name.
pub fn published_assets<'m>(
    model: &'m Model,
    audience: Audience,
    links: &LinkMap,
    docs: &std::collections::BTreeMap<String, super::markdown::Rendered>,
) -> Vec<&'m crate::model::Asset> {
    let used: std::collections::BTreeSet<&str> = match audience {
        Audience::Managers => Default::default(),
        Audience::Team => docs
            .values()
            .flat_map(|doc| doc.uses.iter().map(String::as_str))
            .collect(),
    };
    model
        .assets
        .iter()
        .filter(|asset| links.targets.get(&asset.path).is_some_and(Option::is_some))
        .filter(|asset| audience == Audience::Managers || used.contains(asset.path.as_str()))
        .collect()
}

/// A Markdown text a build renders, and the page it appears on.
#[derive(Debug, Clone)]
pub struct MarkdownSource<'a> {
    /// Its file under `content/` (`playbooks/a.md`): what its rendering is
    /// kept by.
    pub key: String,
    /// Borrowed from the model for a build (a large site's Markdown is
    /// tens of megabytes); owned where serve renders an edit not yet in it.
    pub text: std::borrow::Cow<'a, MarkdownText>,
    /// The site path of the page it appears on.
    pub page: String,
    /// Whether its first heading is the page's title, left out of the body.
    pub drop_title: bool,
    /// What its page gives its inline figures: a default period, and who
    /// reads it.
    pub figures: crate::prose::Page,
}

/// Every Markdown text this audience's build renders, moved out of the
/// model (each left with its file and line but no text): for a build,
/// which renders each once and then lets it go. The model's other parts
/// are untouched, and texts this audience does not see stay where they
/// are.
pub fn take_markdown(model: &mut Model, audience: Audience) -> Vec<MarkdownSource<'static>> {
    let mut sources: Vec<MarkdownSource<'static>> = markdown_sources(model, audience)
        .into_iter()
        .map(|source| MarkdownSource {
            // Where it came from, without its text (taken below).
            text: std::borrow::Cow::Owned(MarkdownText {
                file: source.text.file.clone(),
                text: String::new(),
                first_line: source.text.first_line,
            }),
            ..source
        })
        .collect();
    let at: std::collections::HashMap<String, usize> = sources
        .iter()
        .enumerate()
        .map(|(index, source)| (source.key.clone(), index))
        .collect();
    let mut taken = vec![false; sources.len()];
    for text in markdown_texts_mut(model) {
        if let Some(&index) = at.get(&super::content_key(&text.file)) {
            sources[index].text.to_mut().text = std::mem::take(&mut text.text);
            taken[index] = true;
        }
    }
    // A kind of text [`markdown_texts_mut`] does not list is copied.
    if taken.contains(&false) {
        for (index, source) in markdown_sources(model, audience).into_iter().enumerate() {
            if !taken[index] {
                sources[index].text = std::borrow::Cow::Owned(source.text.into_owned());
            }
        }
    }
    sources
}

/// Every Markdown text of the model, to change in place.
fn markdown_texts_mut(model: &mut Model) -> impl Iterator<Item = &mut MarkdownText> {
    let playbooks = model.playbooks.iter_mut().map(|p| &mut p.body);
    let sections = model.sections.iter_mut().filter_map(|s| s.intro.as_mut());
    let reports = model.reports.iter_mut().map(|r| &mut r.body);
    let plans = model.coaching.iter_mut().map(|p| &mut p.body);
    let bios = model
        .people
        .values_mut()
        .flat_map(|p| p.bio.as_mut().into_iter().chain(p.private_bio.as_mut()));
    playbooks
        .chain(sections)
        .chain(reports)
        .chain(plans)
        .chain(bios)
}

/// Every Markdown text this audience's build renders.
pub fn markdown_sources<'m>(model: &'m Model, audience: Audience) -> Vec<MarkdownSource<'m>> {
    let mut sources = Vec::new();
    let mut add = |text: &'m MarkdownText, page: String, drop_title: bool, figures: prose::Page| {
        sources.push(MarkdownSource {
            key: super::content_key(&text.file),
            text: std::borrow::Cow::Borrowed(text),
            page,
            drop_title,
            figures,
        });
    };
    let latest = |visibility| prose::Page {
        period: None,
        visibility,
    };
    for playbook in model
        .playbooks
        .iter()
        .filter(|p| audience.may_see(p.visibility))
    {
        add(
            &playbook.body,
            playbook_path(&playbook.path),
            playbook.title_from_heading,
            latest(playbook.visibility),
        );
    }
    for section in model
        .sections
        .iter()
        .filter(|s| audience.may_see(s.visibility))
    {
        if let Some(intro) = &section.intro {
            add(
                intro,
                section_path(&section.path),
                section.title_from_heading,
                latest(section.visibility),
            );
        }
    }
    for report in model
        .reports
        .iter()
        .filter(|r| audience.may_see(r.visibility))
    {
        let figures = prose::Page {
            period: report.period,
            visibility: report.visibility,
        };
        add(&report.body, report_path(&report.path), false, figures);
    }
    if audience == Audience::Managers {
        for plan in &model.coaching {
            let figures = prose::Page {
                period: Some(plan.period),
                visibility: Visibility::Managers,
            };
            add(
                &plan.body,
                coaching_path(&plan.rep, plan.period),
                false,
                figures,
            );
        }
    }
    for person in model.people.values() {
        if let Some(bio) = &person.bio {
            add(
                bio,
                person_path(&person.id),
                false,
                latest(Visibility::Team),
            );
        }
        if let Some(bio) = person
            .private_bio
            .as_ref()
            .filter(|_| audience == Audience::Managers)
        {
            add(
                bio,
                person_path(&person.id),
                false,
                latest(Visibility::Managers),
            );
        }
    }
    sources
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: Option<String>,
    pub base_url: String,
    pub audience: &'static str,
    pub managers: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub key: &'static str,
    pub label: &'static str,
    pub path: &'static str,
}

/// The data every page template gets besides its own: `site` and `nav`,
/// made into template values once rather than for each of thousands of
/// pages.
#[derive(Debug, Clone)]
pub struct Common {
    /// The address the site is published at, which canonical links start
    /// from.
    pub base_url: String,
    /// A [`SiteView`].
    pub site: tera::Value,
    /// The [`NavItem`]s.
    pub nav: tera::Value,
}

impl Common {
    pub fn new(model: &Model, audience: Audience) -> Common {
        let mut nav = vec![
            NavItem {
                key: "dashboard",
                label: "Dashboard",
                path: "",
            },
            NavItem {
                key: "teams",
                label: "Teams",
                path: "teams/",
            },
            NavItem {
                key: "people",
                label: "People",
                path: "people/",
            },
            NavItem {
                key: "playbooks",
                label: "Playbooks",
                path: "playbooks/",
            },
            NavItem {
                key: "reports",
                label: "Reports",
                path: "reports/",
            },
        ];
        if audience == Audience::Managers {
            nav.push(NavItem {
                key: "coaching",
                label: "Coaching",
                path: "coaching/",
            });
        }
        let site = SiteView {
            title: model.site.title.clone(),
            description: model.site.description.clone(),
            base_url: model.site.base_url.clone(),
            audience: audience.name(),
            managers: audience == Audience::Managers,
        };
        Common {
            base_url: model.site.base_url.clone(),
            site: tera::Value::from_serializable(&site),
            nav: tera::Value::from_serializable(&nav),
        }
    }
}

pub fn not_found() -> Page {
    #[derive(Serialize)]
    struct NotFound {}
    Page::new("404.html", "404.html", "Page not found", "", &NotFound {})
}

/// `sitemap.xml` of every page but the 404, with absolute URLs.
pub fn sitemap(model: &Model, pages: &[super::Planned]) -> OutputFile {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut paths: Vec<&str> = pages
        .iter()
        .map(|p| p.path.as_str())
        .filter(|p| *p != "404.html")
        .collect();
    paths.sort_unstable();
    for path in paths {
        xml.push_str("  <url><loc>");
        xml.push_str(&crate::text::escape_markup(&format!(
            "{}{path}",
            model.site.base_url
        )));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> (std::path::PathBuf, Vec<u8>) {
        (path.into(), text.as_bytes().to_vec())
    }

    #[test]
    fn a_build_takes_each_text_it_renders_out_of_the_model() {
        let files = vec![
            file("content/site.yaml", "title: Test\n"),
            file(
                "content/people/ann.md",
                "---\nname: Ann\nrole: leader\n---\nAnn's bio.\n",
            ),
            file(
                "content/playbooks/open.md",
                "---\ntitle: Open\n---\nAsk about the budget.\n",
            ),
            file(
                "content/reports/weekly.md",
                "---\ntitle: Weekly\n---\nThe week's report.\n",
            ),
            file(
                "content/playbooks/secret.md",
                "---\ntitle: Secret\nvisibility: managers\n---\nManagers only.\n",
            ),
        ];
        let (mut model, _) = crate::pipeline::model_from_files(files).unwrap();
        let before: Vec<(String, String)> = markdown_sources(&model, Audience::Team)
            .into_iter()
            .map(|s| (s.key, s.text.text.clone()))
            .collect();
        assert_eq!(before.len(), 3, "{before:?}");
        let taken = take_markdown(&mut model, Audience::Team);
        let after: Vec<(String, String)> = taken
            .iter()
            .map(|s| (s.key.clone(), s.text.text.clone()))
            .collect();
        assert_eq!(after, before);
        // Taken from the model, which keeps where each came from.
        let open = model.playbooks.iter().find(|p| p.title == "Open").unwrap();
        assert_eq!(open.body.text, "");
        assert!(open.body.file.ends_with("open.md"));
        assert!(model.reports.iter().all(|r| r.body.text.is_empty()));
        assert!(
            model
                .people
                .values()
                .all(|p| p.bio.as_ref().unwrap().text.is_empty())
        );
        // What the team does not see stays.
        let secret = model
            .playbooks
            .iter()
            .find(|p| p.title == "Secret")
            .unwrap();
        assert!(secret.body.text.contains("Managers only."));
    }
}

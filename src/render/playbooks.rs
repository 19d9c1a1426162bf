//! Render stage: the playbook index (by section and by stage), section
//! pages and playbook pages. Entry: [`pages`].

use super::markdown::TocEntry;
use super::site::{coaching_path, playbook_path, section_path};
use super::{Ctx, Link, Page, Planned, Subject};
use crate::model::Playbook;
use crate::model::playbooks::STAGE_ORDER;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
struct Card {
    title: String,
    path: String,
    summary: Option<String>,
    stage: Option<String>,
    owner: Option<String>,
    tags: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
struct Group {
    title: String,
    path: Option<String>,
    summary: Option<String>,
    playbooks: Vec<Card>,
}

fn card(ctx: &Ctx, playbook: &Playbook) -> Card {
    Card {
        title: playbook.title.clone(),
        path: playbook_path(&playbook.path),
        summary: playbook.summary.clone(),
        stage: playbook.stage.as_deref().map(crate::text::sentence_case),
        owner: playbook
            .owner
            .as_ref()
            .and_then(|o| ctx.model.people.get(o))
            .map(|p| p.name.clone()),
        tags: playbook.tags.clone(),
    }
}

/// What the playbook lists (the index, the sections, the tags page) show
/// of a playbook, and where they place it: when an edit leaves this as it
/// was, serve need not render the lists again.
pub fn as_listed(ctx: &Ctx, playbook: &Playbook) -> impl PartialEq + use<> {
    (
        card(ctx, playbook),
        playbook.section.clone(),
        playbook.weight,
        playbook.visibility,
    )
}

/// The playbooks an audience may see, in path order.
fn visible<'a>(ctx: &Ctx<'a>) -> Vec<&'a Playbook> {
    ctx.model
        .playbooks
        .iter()
        .filter(|p| ctx.audience.may_see(p.visibility))
        .collect()
}

/// The sections an audience may see that hold playbooks it may see.
fn sections<'a>(ctx: &Ctx<'a>, visible: &[&Playbook]) -> Vec<&'a crate::model::Section> {
    ctx.model
        .sections
        .iter()
        .filter(|s| {
            ctx.audience.may_see(s.visibility)
                && ((s.intro.is_some() && !s.path.is_empty())
                    || visible.iter().any(|p| p.section == s.path))
        })
        .collect()
}

/// A section's group of playbook cards.
fn group(ctx: &Ctx, section: &crate::model::Section, visible: &[&Playbook]) -> Group {
    Group {
        title: section.title.clone(),
        path: Some(section_path(&section.path)),
        summary: section.summary.clone(),
        playbooks: visible
            .iter()
            .filter(|p| p.section == section.path)
            .map(|p| card(ctx, p))
            .collect(),
    }
}

/// The playbook index, a page per section and a page per playbook.
pub fn plan<'c>(ctx: &'c Ctx) -> Vec<Planned<'c>> {
    let shown = visible(ctx);
    let sections = sections(ctx, &shown);
    let mut plan = vec![Planned::new(Subject::Playbooks, move || index(ctx))];
    for &section in &sections {
        if section.path.is_empty() {
            continue; // top-level playbooks are listed on the index itself
        }
        let path = section_path(&section.path);
        plan.push(Planned::new(Subject::Section(section), move || {
            #[derive(Serialize)]
            struct SectionView {
                group: Group,
                intro: String,
                title_html: Option<String>,
                title_id: Option<String>,
            }
            let rendered = section.intro.as_ref().and_then(|i| ctx.rendered(&i.file));
            let intro = rendered.map(|r| r.html.clone()).unwrap_or_default();
            let title = rendered.and_then(|r| r.title.clone());
            Page::new(
                path.clone(),
                "section.html",
                section.title.clone(),
                "playbooks",
                &SectionView {
                    group: group(ctx, section, &visible(ctx)),
                    intro,
                    title_html: title.as_ref().map(|t| t.html.clone()).or_else(|| {
                        section
                            .title_markdown
                            .as_deref()
                            .map(super::markdown::inline_html)
                    }),
                    title_id: title.map(|t| t.id).filter(|id| !id.is_empty()),
                },
            )
            .crumbs(&[
                ("Dashboard", ""),
                ("Playbooks", "playbooks/"),
                (&section.title, &path),
            ])
        }));
    }
    let citations = if ctx.managers() {
        citations(ctx)
    } else {
        Default::default()
    };
    for (index, &playbook) in shown.iter().enumerate() {
        let neighbour =
            |other: Option<&&'c Playbook>| other.copied().filter(|o| o.section == playbook.section);
        let previous = neighbour(index.checked_sub(1).and_then(|i| shown.get(i)));
        let next = neighbour(shown.get(index + 1));
        let cited_by = citations
            .get(playbook.file_path.as_str())
            .cloned()
            .unwrap_or_default();
        let subject = Subject::Playbook {
            playbook,
            previous,
            next,
        };
        plan.push(Planned::new(subject, move || {
            playbook_page(ctx, playbook, previous, next, &cited_by)
        }));
    }
    plan
}

/// The playbook index: overdue first, then by section and by stage.
fn index(ctx: &Ctx) -> Page {
    let visible = visible(ctx);
    let by_section: Vec<Group> = sections(ctx, &visible)
        .into_iter()
        .map(|section| group(ctx, section, &visible))
        .collect();
    let mut stages: BTreeMap<(usize, String), Vec<Card>> = BTreeMap::new();
    for playbook in &visible {
        let stage = playbook.stage.clone().unwrap_or_default();
        let order = if stage.is_empty() {
            usize::MAX
        } else {
            STAGE_ORDER
                .iter()
                .position(|s| *s == stage)
                .unwrap_or(STAGE_ORDER.len())
        };
        stages
            .entry((order, stage))
            .or_default()
            .push(card(ctx, playbook));
    }
    // Pages without a stage are listed by section already; a "No stage"
    // group would repeat every page of an imported handbook.
    let by_stage: Vec<Group> = stages
        .into_iter()
        .filter(|((_, stage), _)| !stage.is_empty())
        .map(|((_, stage), playbooks)| Group {
            title: crate::text::sentence_case(&stage),
            path: None,
            summary: None,
            playbooks,
        })
        .collect();

    // Playbooks past their review date, first, so owners see them.
    let overdue: Vec<Card> = visible
        .iter()
        .filter(|p| crate::model::playbooks::review_overdue(p, &ctx.model.history))
        .map(|p| card(ctx, p))
        .collect();
    // The top folder's page (`playbooks/README.md`) introduces the index.
    let intro = ctx
        .model
        .sections
        .iter()
        .find(|s| s.path.is_empty() && ctx.audience.may_see(s.visibility))
        .and_then(|s| s.intro.as_ref())
        .map(|i| ctx.html(&i.file))
        .unwrap_or_default();
    #[derive(Serialize)]
    struct Index {
        intro: String,
        overdue: Vec<Card>,
        sections: Vec<Group>,
        stages: Vec<Group>,
        count: usize,
    }
    Page::new(
        "playbooks/",
        "playbooks.html",
        "Playbooks",
        "playbooks",
        &Index {
            intro,
            overdue,
            sections: by_section,
            stages: by_stage,
            count: visible.len(),
        },
    )
    .crumbs(&[("Dashboard", ""), ("Playbooks", "playbooks/")])
}

#[derive(Serialize)]
struct PlaybookView {
    title: String,
    /// The title heading's inline Markdown as HTML, when the title came
    /// from the text's first heading.
    title_html: Option<String>,
    /// That heading's id, kept on the page's `<h1>`.
    title_id: Option<String>,
    summary: Option<String>,
    owner: Option<Link>,
    stage: Option<String>,
    audience: Vec<String>,
    tags: Vec<Link>,
    review_every_days: u32,
    section: Option<Link>,
    toc: Vec<TocEntry>,
    body: String,
    previous: Option<Link>,
    next: Option<Link>,
    cited_by: Vec<Link>,
    source: String,
    last_change: Option<ChangeView>,
    uncommitted: bool,
    review_due: Option<String>,
    overdue: bool,
    history: Vec<ChangeView>,
    edit_url: Option<String>,
}

#[derive(Serialize)]
struct ChangeView {
    date: String,
    author: String,
    subject: String,
    short: String,
    url: Option<String>,
}

fn change_view(ctx: &Ctx, change: &crate::load::history::Change) -> ChangeView {
    ChangeView {
        date: crate::format::date(change.date),
        author: change.author.clone(),
        subject: change.subject.clone(),
        short: change.short.clone(),
        url: ctx
            .model
            .site
            .repo_url
            .as_ref()
            .map(|repo| format!("{repo}{}commit/{}", host_infix(repo), change.hash)),
    }
}

/// GitLab puts `/-/` before `commit/` and `edit/`; GitHub and others do not.
fn host_infix(repo: &str) -> &'static str {
    if repo.contains("gitlab") { "/-/" } else { "/" }
}

fn playbook_page(
    ctx: &Ctx,
    playbook: &Playbook,
    previous: Option<&Playbook>,
    next: Option<&Playbook>,
    cited_by: &[Link],
) -> Page {
    let history = &ctx.model.history;
    let rendered = ctx.rendered(&playbook.body.file);
    let neighbour = |other: Option<&Playbook>| {
        other.map(|o| Link {
            name: o.title.clone(),
            path: playbook_path(&o.path),
        })
    };
    let section = ctx
        .model
        .sections
        .iter()
        .find(|s| s.path == playbook.section);
    let path = playbook_path(&playbook.path);
    let title = rendered.and_then(|r| r.title.clone());
    let view = PlaybookView {
        title: playbook.title.clone(),
        title_html: title.as_ref().map(|t| t.html.clone()).or_else(|| {
            playbook
                .title_markdown
                .as_deref()
                .map(super::markdown::inline_html)
        }),
        title_id: title.map(|t| t.id).filter(|id| !id.is_empty()),
        summary: playbook.summary.clone(),
        owner: playbook.owner.as_deref().and_then(|o| ctx.person_link(o)),
        stage: playbook.stage.as_deref().map(crate::text::sentence_case),
        audience: playbook.audience.clone(),
        tags: playbook
            .tags
            .iter()
            .map(|t| Link {
                name: t.clone(),
                path: format!("tags/#{}", tag_id(t)),
            })
            .collect(),
        review_every_days: playbook.review_every_days,
        section: section.filter(|s| !s.path.is_empty()).map(|s| Link {
            name: s.title.clone(),
            path: section_path(&s.path),
        }),
        toc: rendered.map(|r| r.toc.clone()).unwrap_or_default(),
        body: rendered.map(|r| r.html.clone()).unwrap_or_default(),
        previous: neighbour(previous),
        next: neighbour(next),
        cited_by: cited_by.to_vec(),
        source: playbook.body.file.to_string_lossy().replace('\\', "/"),
        last_change: history
            .last(&playbook.body.file)
            .map(|c| change_view(ctx, c)),
        uncommitted: history.is_uncommitted(&playbook.body.file),
        review_due: crate::model::playbooks::review_due(playbook, history).map(crate::format::date),
        overdue: crate::model::playbooks::review_overdue(playbook, history),
        history: history
            .of(&playbook.body.file)
            .iter()
            .map(|c| change_view(ctx, c))
            .collect(),
        // A private playbook is not in the shared repository.
        edit_url: ctx
            .model
            .site
            .repo_url
            .as_ref()
            .filter(|_| !ctx.model.private_files.contains(&playbook.body.file))
            .map(|repo| {
                let file = playbook.body.file.to_string_lossy().replace('\\', "/");
                format!(
                    "{repo}{}edit/{}/{}{file}",
                    host_infix(repo),
                    ctx.model.site.repo_branch,
                    history.prefix
                )
            }),
    };
    let mut crumbs = vec![
        ("Dashboard".to_string(), String::new()),
        ("Playbooks".to_string(), "playbooks/".to_string()),
    ];
    if let Some(section) = section.filter(|s| !s.path.is_empty()) {
        crumbs.push((section.title.clone(), section_path(&section.path)));
    }
    crumbs.push((playbook.title.clone(), path.clone()));
    let mut page = Page::new(
        path,
        "playbook.html",
        playbook.title.clone(),
        "playbooks",
        &view,
    );
    page.breadcrumbs = crumbs;
    page
}

/// The coaching plans citing each playbook (by a skill goal or a link),
/// by the playbook's file path (`Playbook::file_path`): found once for
/// the whole site.
fn citations<'a>(ctx: &Ctx<'a>) -> std::collections::HashMap<&'a str, Vec<Link>> {
    // Links are to pages; a page's playbook is found by its address.
    let by_page: std::collections::HashMap<String, &'a str> = ctx
        .model
        .playbooks
        .iter()
        .map(|p| (playbook_path(&p.path), p.file_path.as_str()))
        .collect();
    let mut cited: std::collections::HashMap<&'a str, Vec<Link>> = Default::default();
    for plan in &ctx.model.coaching {
        let mut paths: Vec<&'a str> = super::goals::skill_playbooks(plan).collect();
        if let Some(rendered) = ctx.rendered(&plan.body.file) {
            paths.extend(
                rendered
                    .links_to
                    .iter()
                    .filter_map(|l| by_page.get(l).copied()),
            );
        }
        paths.sort_unstable();
        paths.dedup();
        let link = Link {
            name: super::coaching::view_name(plan, ctx),
            path: coaching_path(&plan.rep, plan.period),
        };
        for path in paths {
            cited.entry(path).or_default().push(link.clone());
        }
    }
    cited
}

/// A page at each old address (`aliases:`) of the audience's playbooks,
/// sending the reader on to the playbook: not where a page of the site
/// already is (`taken`).
pub fn redirects(ctx: &Ctx, taken: &std::collections::HashSet<&str>) -> Vec<Page> {
    #[derive(Serialize)]
    struct Redirect {
        path: String,
        canonical: String,
    }
    let mut pages = Vec::new();
    for playbook in ctx
        .model
        .playbooks
        .iter()
        .filter(|p| ctx.audience.may_see(p.visibility))
    {
        let path = playbook_path(&playbook.path);
        for alias in playbook
            .aliases
            .iter()
            .filter(|a| !taken.contains(a.as_str()))
        {
            pages.push(Page::new(
                alias.clone(),
                "redirect.html",
                playbook.title.clone(),
                "playbooks",
                &Redirect {
                    canonical: format!("{}{path}", ctx.model.site.base_url),
                    path: path.clone(),
                },
            ));
        }
    }
    pages
}

/// The tags page: every tag of the audience's playbooks, with its playbooks.
pub fn tags_page(ctx: &Ctx) -> Page {
    #[derive(Serialize)]
    struct Tag {
        name: String,
        id: String,
        playbooks: Vec<Card>,
    }
    let mut tags: BTreeMap<String, Vec<Card>> = BTreeMap::new();
    for playbook in ctx
        .model
        .playbooks
        .iter()
        .filter(|p| ctx.audience.may_see(p.visibility))
    {
        for tag in &playbook.tags {
            tags.entry(tag.clone())
                .or_default()
                .push(card(ctx, playbook));
        }
    }
    #[derive(Serialize)]
    struct Tags {
        tags: Vec<Tag>,
    }
    let tags = Tags {
        tags: tags
            .into_iter()
            .map(|(name, playbooks)| Tag {
                id: tag_id(&name),
                name,
                playbooks,
            })
            .collect(),
    };
    Page::new("tags/", "tags.html", "Tags", "playbooks", &tags).crumbs(&[
        ("Dashboard", ""),
        ("Playbooks", "playbooks/"),
        ("Tags", "tags/"),
    ])
}

/// A tag's anchor on the tags page.
pub fn tag_id(tag: &str) -> String {
    format!("tag-{}", crate::text::github_slug(tag))
}

/// `playbooks.atom`: the latest changes to the audience's playbooks, from
/// git (dates from the commits; no entries without history).
pub fn feed(ctx: &Ctx) -> super::OutputFile {
    let site = &ctx.model.site;
    let history = &ctx.model.history;
    let escape = crate::text::escape_markup;
    let mut entries: Vec<(jiff::civil::Date, String, String)> = Vec::new();
    for playbook in ctx
        .model
        .playbooks
        .iter()
        .filter(|p| ctx.audience.may_see(p.visibility))
    {
        let url = format!("{}{}", site.base_url, playbook_path(&playbook.path));
        for change in history.of(&playbook.body.file) {
            let entry = format!(
                "  <entry>\n    <title>{}: {}</title>\n    <link href=\"{}\"/>\n    <id>urn:bullpen:{}:{}</id>\n    <updated>{}T00:00:00Z</updated>\n    <author><name>{}</name></author>\n  </entry>\n",
                escape(&playbook.title),
                escape(&change.subject),
                escape(&url),
                change.hash,
                escape(&playbook.path),
                change.date,
                escape(&change.author)
            );
            entries.push((
                change.date,
                format!("{}{}", change.hash, playbook.path),
                entry,
            ));
        }
    }
    entries.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    entries.truncate(50);
    let updated = entries
        .first()
        .map(|e| e.0)
        .or(history.as_of)
        .or_else(|| ctx.model.latest_period().map(|p| p.last_day(site.calendar)))
        .map_or_else(|| "1970-01-01".to_string(), |d| d.to_string());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>{} — playbook changes</title>\n  <link href=\"{}playbooks/\"/>\n  <link rel=\"self\" href=\"{}playbooks.atom\"/>\n  <id>{}playbooks.atom</id>\n  <updated>{updated}T00:00:00Z</updated>\n",
        escape(&site.title),
        escape(&site.base_url),
        escape(&site.base_url),
        escape(&site.base_url)
    );
    for (_, _, entry) in entries {
        xml.push_str(&entry);
    }
    xml.push_str("</feed>\n");
    super::OutputFile {
        path: "playbooks.atom".into(),
        bytes: xml.into_bytes(),
    }
}

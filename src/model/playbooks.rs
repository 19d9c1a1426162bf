//! Model stage: playbooks and their sections, and when each is due for
//! review. Entry: [`playbooks`].

use super::build::{Known, markdown_text, unknown_person, visibility};
use super::handbook::{
    aliases, aliases_taken, count, placeholders, plain_title, set_aside, title_markdown, title_of,
};
use super::*;
use crate::error::{Diagnostic, Position};
use crate::load::{Content, PageDoc};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The order stages are listed in: the sales process, then any others by name.
pub const STAGE_ORDER: &[&str] = &[
    "prospecting",
    "discovery",
    "qualification",
    "demo",
    "negotiation",
    "closing",
    "forecasting",
    "account-management",
    "onboarding",
];

pub(super) fn playbooks(
    content: &Content,
    site: &Site,
    people: &BTreeMap<PersonId, Person>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Section>, Vec<Playbook>) {
    let ids = Known::new(people, &content.broken_people);
    let mut sections = section_pages(content, people, &ids, diagnostics);
    let drafts: Vec<&str> = content
        .playbooks
        .iter()
        .filter(|p| p.doc.meta.value.draft)
        .map(|p| p.path.as_str())
        .collect();
    if !drafts.is_empty() {
        diagnostics.push(
            Diagnostic::warning(
                "content/playbooks",
                format!(
                    "{} left out of the build as `draft: true`",
                    count(drafts.len(), "page is", "pages are"),
                ),
            )
            .with_help("remove `draft: true` to publish a page")
            .with_items(drafts.iter().map(|d| d.to_string()).collect()),
        );
    }
    let codeowners = content
        .codeowners
        .as_ref()
        .map(|(_, text)| super::owners::CodeOwners::parse(text));
    let owners = Owners {
        sections: &sections,
        codeowners: codeowners.as_ref(),
    };
    // Each page on every core, its findings kept in file order.
    let checked: Vec<(Option<Playbook>, Vec<Diagnostic>)> = content
        .playbooks
        .par_iter()
        .filter(|doc| !doc.doc.meta.value.draft)
        .map(|doc| {
            let mut found = Vec::new();
            let page = playbook(doc, site, people, &ids, Some(&owners), &mut found);
            (page, found)
        })
        .collect();
    let mut playbooks = Vec::with_capacity(checked.len());
    for (page, found) in checked {
        playbooks.extend(page);
        diagnostics.extend(found);
    }
    // Within a section: by weight (pages without one after), then by path.
    playbooks.sort_by(|a, b| {
        (&a.section, a.weight.is_none(), a.weight, &a.path).cmp(&(
            &b.section,
            b.weight.is_none(),
            b.weight,
            &b.path,
        ))
    });
    no_owner(&playbooks, diagnostics);
    set_aside(content, diagnostics);
    for playbook in &playbooks {
        placeholders(&playbook.body, diagnostics);
    }
    for intro in sections.values().filter_map(|s| s.intro.as_ref()) {
        placeholders(intro, diagnostics);
    }

    // Every folder holding playbooks is a section, with or without a page.
    for playbook in &playbooks {
        sections
            .entry(playbook.section.clone())
            .or_insert_with(|| bare_section(&playbook.section));
    }
    // A folder inside a managers-only section is managers-only too, with
    // or without a section page of its own.
    let private: Vec<String> = sections
        .values()
        .filter(|s| s.visibility == Visibility::Managers)
        .map(|s| s.path.clone())
        .collect();
    for section in sections.values_mut() {
        if private.iter().any(|p| within(&section.path, p)) {
            section.visibility = Visibility::Managers;
        }
    }
    if let Some(top) = sections.get_mut("")
        && top.title.is_empty()
    {
        top.title = "General".into();
    }
    // A playbook in a managers-only section is managers-only too.
    for playbook in &mut playbooks {
        if sections
            .get(&playbook.section)
            .is_some_and(|s| s.visibility == Visibility::Managers)
        {
            playbook.visibility = Visibility::Managers;
        }
    }
    aliases_taken(&playbooks, &sections, diagnostics);
    (sections.into_values().collect(), playbooks)
}

/// A section without a page: its title is its folder's name.
fn bare_section(path: &str) -> Section {
    Section {
        path: path.to_string(),
        title: crate::text::sentence_case(path.rsplit('/').next().unwrap_or("")),
        summary: None,
        visibility: Visibility::Team,
        intro: None,
        file: None,
        title_from_heading: false,
        title_markdown: None,
        owner: None,
    }
}

/// The sections with a page (`_index.md`, `index.md` or `README.md`):
/// title from its front matter, else its first heading, else the folder.
/// A folder with two such pages is an error naming both.
fn section_pages(
    content: &Content,
    people: &BTreeMap<PersonId, Person>,
    ids: &Known,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Section> {
    let mut sections: BTreeMap<String, Section> = BTreeMap::new();
    for PageDoc { path, doc } in &content.sections {
        let raw = &doc.meta.value;
        if let Some(other) = sections.get(path).and_then(|s| s.file.as_ref()) {
            diagnostics.push(
                Diagnostic::error(
                    &doc.meta.file,
                    format!(
                        "this folder has two section pages, {} and {}; only one may give its section page",
                        other.display(),
                        doc.meta.file.display()
                    ),
                )
                .at(Some(Position::line(1)))
                .with_help("merge them into one of `_index.md`, `index.md` or `README.md`"),
            );
            continue;
        }
        let mut section = bare_section(path);
        // The body is read for a heading only when front matter gives no
        // title: it is a Markdown parse of the whole text.
        match &raw.title {
            Some(title) => {
                section.title = plain_title(title);
                section.title_markdown = title_markdown(title);
            }
            None => {
                if let Some(heading) = title_of(&doc.body) {
                    section.title = heading;
                    section.title_from_heading = true;
                }
            }
        }
        section.summary = raw.summary.clone().or_else(|| raw.description.clone());
        section.visibility = visibility(raw.visibility);
        section.intro = (!doc.body.trim().is_empty()).then(|| markdown_text(doc));
        section.file = Some(doc.meta.file.clone());
        section.owner = raw
            .owner
            .as_deref()
            .and_then(|owner| known_owner(doc.meta.spot(), owner, people, ids, diagnostics));
        sections.insert(path.clone(), section);
    }
    sections
}

/// The `owner:` of a page when it names a person; an error at its line,
/// with the closest id, when it does not.
fn known_owner(
    spot: crate::load::Spot,
    owner: &str,
    people: &BTreeMap<PersonId, Person>,
    ids: &Known,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<PersonId> {
    if people.contains_key(owner) {
        return Some(owner.to_string());
    }
    diagnostics.extend(unknown_person(spot, &["owner"], owner, ids, "the owner"));
    None
}

/// Where a playbook without `owner:` finds one: the nearest section page
/// with an owner, else the repository's CODEOWNERS.
pub(super) struct Owners<'a> {
    sections: &'a BTreeMap<String, Section>,
    codeowners: Option<&'a super::owners::CodeOwners>,
}

impl Owners<'_> {
    fn of(
        &self,
        section: &str,
        file: &std::path::Path,
        people: &BTreeMap<PersonId, Person>,
    ) -> Option<PersonId> {
        let mut folder = section;
        loop {
            if let Some(owner) = self.sections.get(folder).and_then(|s| s.owner.clone()) {
                return Some(owner);
            }
            if folder.is_empty() {
                break;
            }
            folder = folder.rsplit_once('/').map_or("", |(up, _)| up);
        }
        let file = file.to_string_lossy().replace('\\', "/");
        self.codeowners?.person_for(&file, people)
    }
}

/// One warning for every playbook without an owner, not one each.
fn no_owner(playbooks: &[Playbook], diagnostics: &mut Vec<Diagnostic>) {
    let without: Vec<&Playbook> = playbooks.iter().filter(|p| p.owner.is_none()).collect();
    match without.as_slice() {
        [] => {}
        [one] => diagnostics.push(
            Diagnostic::warning(&one.body.file, "this playbook has no owner")
                .at(Some(Position::line(1)))
                .with_help("add `owner: <person id>` so readers know who keeps it current"),
        ),
        many => diagnostics.push(
            Diagnostic::warning(
                "content/playbooks",
                format!("{} playbooks have no owner", many.len()),
            )
            .with_help("give each an `owner:`, give its section page (`_index.md`) an `owner:`, or name its owner in CODEOWNERS")
            .with_items(many.iter().map(|p| p.path.clone()).collect()),
        ),
    }
}

/// Whether the folder `path` under `playbooks/` is `folder` or inside it
/// (every folder is inside the top, ``).
pub fn within(path: &str, folder: &str) -> bool {
    folder.is_empty()
        || path
            .strip_prefix(folder)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Validates one playbook file: `None` (with an error) when it cannot be
/// a playbook. Section visibility is applied by the caller.
pub(super) fn playbook(
    page: &PageDoc<crate::load::raw::RawPlaybook>,
    site: &Site,
    people: &BTreeMap<PersonId, Person>,
    ids: &Known,
    owners: Option<&Owners>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Playbook> {
    let PageDoc {
        path: file_path,
        doc,
    } = page;
    let raw = &doc.meta.value;
    // The body is read for a heading only when front matter gives no title.
    let heading = raw.title.is_none().then(|| title_of(&doc.body)).flatten();
    let (title, title_from_heading) = match (&raw.title, heading) {
        (Some(title), _) => (plain_title(title), false),
        (None, Some(heading)) => (heading, true),
        (None, None) => (
            crate::text::sentence_case(
                &file_path
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .replace(['-', '_'], " "),
            ),
            false,
        ),
    };
    let section = file_path
        .rsplit_once('/')
        .map(|(section, _)| section.to_string())
        .unwrap_or_default();
    let path = match &raw.slug {
        Some(slug) => {
            let slug = slug.trim_matches('/');
            if slug.is_empty()
                || slug.contains('/')
                || slug == "."
                || slug == ".."
                || !crate::text::is_link_safe(slug)
            {
                diagnostics.push(doc.meta.error(&["slug"], format!(
                    "`slug` must be one name for the page's address, of {}, but `{slug}` is not",
                    crate::text::LINK_SAFE
                )).with_help(format!("like `{}`", crate::text::link_safe_name(slug.trim_matches(['/', '.'])))));
                return None;
            }
            if section.is_empty() {
                slug.to_string()
            } else {
                format!("{section}/{slug}")
            }
        }
        None => file_path.clone(),
    };
    let aliases = aliases(doc, &section, diagnostics);
    let owner = match &raw.owner {
        Some(owner) => known_owner(doc.meta.spot(), owner, people, ids, diagnostics),
        None => owners.and_then(|o| o.of(&section, &doc.meta.file, people)),
    };
    super::bounds::check_review_every_days(doc.meta.spot(), raw.review_every_days, diagnostics);
    Some(Playbook {
        path,
        file_path: file_path.clone(),
        weight: raw.weight.or(raw.sidebar_position),
        aliases,
        section,
        title,
        owner,
        stage: raw.stage.clone(),
        audience: raw.audience.clone(),
        review_every_days: raw.review_every_days.unwrap_or(site.review_every_days),
        tags: raw.tags.clone(),
        summary: raw.summary.clone().or_else(|| raw.description.clone()),
        visibility: visibility(raw.visibility),
        body: markdown_text(doc),
        title_from_heading,
        title_markdown: raw.title.as_deref().and_then(title_markdown),
    })
}

/// Validates one edited playbook against a model that was valid before:
/// the new playbook, or every error found (warnings are returned too).
/// What `bullpen serve` uses to rebuild a playbook without reloading all.
pub fn revalidate(
    page: &PageDoc<crate::load::raw::RawPlaybook>,
    model: &super::Model,
) -> (Option<Playbook>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let none = std::collections::BTreeSet::new();
    let ids = Known::new(&model.people, &none);
    let mut found = playbook(
        page,
        &model.site,
        &model.people,
        &ids,
        None,
        &mut diagnostics,
    );
    // Without CODEOWNERS at hand, the owner of its section pages still holds.
    if let Some(playbook) = &mut found
        && playbook.owner.is_none()
    {
        let sections: BTreeMap<String, Section> = model
            .sections
            .iter()
            .map(|s| (s.path.clone(), s.clone()))
            .collect();
        let owners = Owners {
            sections: &sections,
            codeowners: None,
        };
        playbook.owner = owners.of(&playbook.section, &playbook.body.file, &model.people);
    }
    if let Some(playbook) = &mut found
        && model
            .sections
            .iter()
            .any(|s| s.path == playbook.section && s.visibility == Visibility::Managers)
    {
        playbook.visibility = Visibility::Managers;
    }
    if let Some(playbook) = &found {
        overdue_reviews(
            std::slice::from_ref(playbook),
            &model.history,
            &mut diagnostics,
        );
    }
    let failed = diagnostics
        .iter()
        .any(|d| d.severity == crate::error::Severity::Error);
    (found.filter(|_| !failed), diagnostics)
}

/// When a playbook's next review is due: its last commit plus its review
/// interval. `None` without git history.
pub fn review_due(playbook: &Playbook, history: &crate::load::history::History) -> Option<Date> {
    let last = history.last(&playbook.body.file)?;
    last.date
        .checked_add(jiff::Span::new().days(i64::from(playbook.review_every_days)))
        .ok()
}

/// Whether a playbook's review date has passed, as of the newest commit.
pub fn review_overdue(playbook: &Playbook, history: &crate::load::history::History) -> bool {
    matches!((review_due(playbook, history), history.as_of), (Some(due), Some(as_of)) if due < as_of)
}

/// A warning for each playbook past its review date.
pub(super) fn overdue_reviews(
    playbooks: &[Playbook],
    history: &crate::load::history::History,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for playbook in playbooks.iter().filter(|p| review_overdue(p, history)) {
        let (Some(last), Some(due)) = (
            history.last(&playbook.body.file),
            review_due(playbook, history),
        ) else {
            continue;
        };
        diagnostics.push(
            Diagnostic::warning(&playbook.body.file, format!(
                "`{}` is past its review date: last changed {} by {}, due every {} days, so due {due}",
                playbook.title, last.date, last.author, playbook.review_every_days
            ))
            .at(Some(Position::line(1)))
            .with_help("review it with its owner and commit the result, even if nothing changes"),
        );
    }
}

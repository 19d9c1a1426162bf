//! Model stage: playbooks and their sections, and when each is due for
//! review. Entry: [`playbooks`].

use super::build::{Known, markdown_text, unknown_person, visibility};
use super::*;
use crate::error::{Diagnostic, Position};
use crate::load::{Content, PageDoc};
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
    let mut playbooks: Vec<Playbook> = content
        .playbooks
        .iter()
        .filter_map(|doc| playbook(doc, site, people, &ids, diagnostics))
        .collect();
    playbooks.sort_by(|a, b| a.path.cmp(&b.path));

    // Every folder holding playbooks is a section, with or without `_index.md`.
    let mut sections: BTreeMap<String, Section> = playbooks
        .iter()
        .map(|p| {
            (
                p.section.clone(),
                Section {
                    path: p.section.clone(),
                    title: crate::text::sentence_case(p.section.rsplit('/').next().unwrap_or("")),
                    summary: None,
                    visibility: Visibility::Team,
                    intro: None,
                    file: None,
                },
            )
        })
        .collect();
    for PageDoc { path, doc } in &content.sections {
        let raw = &doc.meta.value;
        let section = sections.entry(path.clone()).or_insert_with(|| Section {
            path: path.clone(),
            title: crate::text::sentence_case(path.rsplit('/').next().unwrap_or("")),
            summary: None,
            visibility: Visibility::Team,
            intro: None,
            file: None,
        });
        if let Some(title) = &raw.title {
            section.title = title.clone();
        }
        section.summary = raw.summary.clone();
        section.visibility = visibility(raw.visibility);
        section.intro = (!doc.body.trim().is_empty()).then(|| markdown_text(doc));
        section.file = Some(doc.meta.file.clone());
    }
    // A folder inside a managers-only section is managers-only too, with
    // or without an `_index.md` of its own.
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
    (sections.into_values().collect(), playbooks)
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
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Playbook> {
    let PageDoc { path, doc } = page;
    let raw = &doc.meta.value;
    let (title, title_from_heading) = match &raw.title {
        Some(title) => (title.clone(), false),
        None => match first_heading(&doc.body) {
            Some(heading) => (heading, true),
            None => {
                diagnostics.push(Diagnostic::error(&doc.meta.file, "a playbook needs a title")
                    .at(Some(Position::line(1)))
                    .with_help("add `title:` to the front matter, or start the text with a `# Heading`"));
                return None;
            }
        },
    };
    let owner = match &raw.owner {
        Some(owner) if !people.contains_key(owner) => {
            diagnostics.extend(unknown_person(
                doc.meta.spot(),
                &["owner"],
                owner,
                ids,
                "the owner",
            ));
            None
        }
        Some(owner) => Some(owner.clone()),
        None => {
            diagnostics.push(
                Diagnostic::warning(&doc.meta.file, "this playbook has no owner")
                    .at(Some(Position::line(1)))
                    .with_help("add `owner: <person id>` so readers know who keeps it current"),
            );
            None
        }
    };
    if let Some(days) = raw.review_every_days {
        super::bounds::check(
            doc.meta.spot(),
            &[super::bounds::Bound {
                path: &["review_every_days"],
                value: f64::from(days),
                low: 1.0,
                high: f64::from(super::bounds::MAX_DAYS),
                unit: "days",
            }],
            diagnostics,
        );
    }
    let section = path
        .rsplit_once('/')
        .map(|(section, _)| section.to_string())
        .unwrap_or_default();
    Some(Playbook {
        path: path.clone(),
        section,
        title,
        owner,
        stage: raw.stage.clone(),
        audience: raw.audience.clone(),
        review_every_days: raw.review_every_days.unwrap_or(site.review_every_days),
        tags: raw.tags.clone(),
        summary: raw.summary.clone(),
        visibility: visibility(raw.visibility),
        body: markdown_text(doc),
        title_from_heading,
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
    let mut found = playbook(page, &model.site, &model.people, &ids, &mut diagnostics);
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

/// The text of the first `# Heading` line, for playbooks without front matter.
fn first_heading(body: &str) -> Option<String> {
    body.lines()
        .find_map(|line| line.strip_prefix("# "))
        .map(|heading| heading.trim().to_string())
        .filter(|heading| !heading.is_empty())
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

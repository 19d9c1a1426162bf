//! Model stage: raw documents → the validated, cross-linked [`Model`].
//!
//! One pass per kind, each collecting every problem it finds; nothing stops
//! at the first error. References are checked against the full set of ids.

use super::*;
use crate::error::{Diagnostic, Position};
use crate::load::raw::*;
use crate::load::{Content, Located, Markdown, PageDoc, Spot};
use crate::text::closest;
use std::collections::{BTreeMap, BTreeSet};

/// Validates everything loaded. Returns the model (possibly partial) and
/// every problem found; the caller decides whether errors stop it.
pub fn build(
    content: &Content,
    history: crate::load::history::History,
) -> (Option<Model>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let Some(site_doc) = &content.site else {
        // A site.yaml that exists but did not load has its own error.
        if content.unloaded.contains("site.yaml") {
            return (None, diagnostics);
        }
        diagnostics.push(Diagnostic::error("content/site.yaml", "the site settings file is missing")
            .with_help("create content/site.yaml with at least `title:`; `bullpen init DIR` writes an example"));
        return (None, diagnostics);
    };
    let site = super::site::site(site_doc, &mut diagnostics);
    let phase = crate::timings::phase("  people");
    let people = people(content, &site, &mut diagnostics);
    drop(phase);
    // The figures and the texts read the people, not each other: each is
    // made on a core of its own, and what they found is kept in this order.
    let (figures, texts) = rayon::join(
        || super::performance::figures(content, site_doc, &site, &people),
        || {
            let mut diagnostics = Vec::new();
            let phase = crate::timings::phase("  playbooks");
            let (sections, playbooks) =
                super::playbooks::playbooks(content, &site, &people, &mut diagnostics);
            drop(phase);
            let _phase = crate::timings::phase("  coaching");
            let coaching =
                super::coaching::coaching(content, &site, &people, &playbooks, &mut diagnostics);
            let coaching_log = super::coaching_log::logs(content, &people, &mut diagnostics);
            let reports = reports(content, &site, &mut diagnostics);
            super::playbooks::overdue_reviews(&playbooks, &history, &mut diagnostics);
            Texts {
                sections,
                playbooks,
                coaching,
                coaching_log,
                reports,
                diagnostics,
            }
        },
    );
    let super::performance::Figured {
        performance,
        periods,
        deals,
        pipeline_changes,
        diagnostics: found,
    } = figures;
    diagnostics.extend(found);
    let mut people = people;
    super::lines::against_figures(
        &mut people,
        content,
        &performance,
        &periods,
        &site,
        &mut diagnostics,
    );
    let Texts {
        sections,
        playbooks,
        coaching,
        coaching_log,
        reports,
        diagnostics: found,
    } = texts;
    diagnostics.extend(found);
    missing_latest_figures(&people, &performance, &periods, &mut diagnostics);
    let unloaded = unloaded(content, &playbooks, &reports, &coaching);
    let assets = content
        .assets
        .iter()
        .map(|asset| Asset {
            path: asset
                .file
                .strip_prefix("content")
                .unwrap_or(&asset.file)
                .to_string_lossy()
                .replace('\\', "/"),
            bytes: asset.bytes.clone(),
        })
        .collect();
    debug_assert!(
        performance.reps.keys().is_sorted(),
        "reps' figures iterate in id order"
    );
    let model = Model {
        site,
        people,
        periods,
        performance,
        sections,
        playbooks,
        coaching,
        coaching_log,
        reports,
        assets,
        open_deals: deals.open,
        pipeline_changes,
        deal_stages: deals.stages,
        unlisted_stages: deals.unlisted,
        history,
        files: content.files,
        unloaded,
        private_files: content.private_files.clone(),
    };
    (Some(model), diagnostics)
}

/// The model's pages of text, and what making them found.
struct Texts {
    sections: Vec<Section>,
    playbooks: Vec<Playbook>,
    coaching: Vec<CoachingPlan>,
    coaching_log: Vec<LogEntry>,
    reports: Vec<Report>,
    diagnostics: Vec<Diagnostic>,
}

/// Content files that exist but are not in the model: those that did not
/// load, and pages left out for errors of their own (a playbook without a
/// title, a report of no period, a coaching plan that does not validate).
fn unloaded(
    content: &Content,
    playbooks: &[Playbook],
    reports: &[Report],
    coaching: &[CoachingPlan],
) -> BTreeSet<String> {
    use crate::load::content_key;
    let kept: BTreeSet<String> = playbooks
        .iter()
        .map(|p| &p.body.file)
        .chain(reports.iter().map(|r| &r.body.file))
        .chain(coaching.iter().map(|c| &c.body.file))
        .map(|file| content_key(file))
        .collect();
    let pages = content
        .playbooks
        .iter()
        .map(|p| &p.doc.meta.file)
        .chain(content.reports.iter().map(|r| &r.doc.meta.file))
        .chain(content.coaching.iter().map(|c| &c.doc.meta.file))
        .map(|file| content_key(file))
        .filter(|key| !kept.contains(key));
    content.unloaded.iter().cloned().chain(pages).collect()
}

/// Parses a `YYYY-MM-DD` date at `path` in `doc`.
pub(super) fn date<T>(
    doc: &Located<T>,
    path: &[&str],
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Date> {
    match text.parse::<Date>() {
        Ok(date) if text.len() == 10 => Some(date),
        _ => {
            diagnostics.push(doc.error(
                path,
                format!("`{text}` is not a date; expected YYYY-MM-DD, like 2026-07-15"),
            ));
            None
        }
    }
}

/// Parses a period id and checks it is of the site's kind.
pub(super) fn period(
    doc: Spot,
    path: &[&str],
    text: &str,
    site: &Site,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Period> {
    parse_period(text, site)
        .map_err(|message| diagnostics.push(doc.error(path, message)))
        .ok()
}

/// A period id taken from a file or folder name (`performance/2026-Q3.yaml`,
/// `performance/2026-Q3/alice.yaml`): when it is wrong, no line of the file
/// is, so the error names the file alone — or the `period:` line when the
/// file gives the same id there.
pub(super) fn period_of_name(
    doc: Spot,
    given: Option<&str>,
    what: &str,
    name: &str,
    site: &Site,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Period> {
    if given == Some(name) {
        return period(doc, &["period"], name, site, diagnostics);
    }
    parse_period(name, site)
        .map_err(|message| {
            diagnostics.push(
                Diagnostic::error(doc.file, format!("the {what} {message}")).with_help(format!(
                    "rename it to the period its figures are for: {}",
                    site.period_kind.example()
                )),
            )
        })
        .ok()
}

/// A period id of the site's kind, or what is wrong with it.
fn parse_period(text: &str, site: &Site) -> Result<Period, String> {
    let text_shown = crate::text::excerpt(text, 40);
    match Period::parse(text) {
        Some(period) if period.kind() == site.period_kind => Ok(period),
        Some(period) => Err(format!(
            "`{text_shown}` is a {}, but this site reports by {}; expected {}",
            period.kind(),
            site.period_kind,
            site.period_kind.example()
        )),
        None => Err(format!(
            "`{text_shown}` is not a period id; expected {}",
            site.period_kind.example()
        )),
    }
}

/// An error for an id that names no person, with the closest id as help.
/// The person ids references may use, and those whose files exist but
/// failed to load (their error is reported once, not at every reference).
pub(super) struct Known<'a> {
    ids: BTreeSet<&'a str>,
    broken: &'a BTreeSet<String>,
}

impl<'a> Known<'a> {
    pub(super) fn new(
        people: &'a BTreeMap<PersonId, Person>,
        broken: &'a BTreeSet<String>,
    ) -> Known<'a> {
        Known {
            ids: people.keys().map(String::as_str).collect(),
            broken,
        }
    }
}

/// An error for an id that names no person, with the closest id as help;
/// `None` for a person whose own file already has an error.
pub(super) fn unknown_person(
    doc: Spot,
    path: &[&str],
    id: &str,
    known: &Known,
    what: &str,
) -> Option<Diagnostic> {
    if known.broken.contains(id) {
        return None;
    }
    let diagnostic = doc.error(
        path,
        format!("{what} `{id}` is not a person; expected the id of a file in content/people/"),
    );
    Some(match closest(id, known.ids.iter().copied()) {
        Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
        None => diagnostic,
    })
}

pub(super) fn markdown_text<T>(doc: &Markdown<T>) -> MarkdownText {
    MarkdownText {
        file: doc.meta.file.clone(),
        text: doc.body.clone(),
        first_line: doc.body_line,
    }
}

pub(super) fn visibility(raw: Option<RawVisibility>) -> Visibility {
    match raw {
        Some(RawVisibility::Managers) => Visibility::Managers,
        Some(RawVisibility::Team) | None => Visibility::Team,
    }
}

fn people(
    content: &Content,
    _site: &Site,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<PersonId, Person> {
    let mut people = BTreeMap::new();
    let mut docs: BTreeMap<&str, &Located<RawPerson>> = BTreeMap::new();
    for person in &content.people {
        let doc = &person.doc.meta;
        if let Some(other) = docs.get(person.id.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    &doc.file,
                    format!(
                        "the person `{}` is given twice: here and in {}",
                        person.id,
                        other.file.display()
                    ),
                )
                .at(Some(Position::line(1))),
            );
            continue;
        }
        if !valid_id(&person.id) {
            diagnostics.push(Diagnostic::error(&doc.file, format!(
                "`{}` is not a valid person id; expected lowercase letters, digits and hyphens, like alice-chen", person.id
            )));
        }
        docs.insert(&person.id, doc);
        let raw = &doc.value;
        let start = raw
            .start
            .as_deref()
            .and_then(|text| date(doc, &["start"], text, diagnostics));
        let (lines, end) = super::lines::read(doc, start, diagnostics);
        let bio = (!person.doc.body.trim().is_empty()).then(|| markdown_text(&person.doc));
        people.insert(
            person.id.clone(),
            Person {
                id: person.id.clone(),
                github: raw
                    .github
                    .as_deref()
                    .map(|h| h.trim_start_matches('@').to_string()),
                name: raw.name.clone(),
                role: match raw.role {
                    RawRole::Rep => Role::Rep,
                    RawRole::Manager => Role::Manager,
                    RawRole::Leader => Role::Leader,
                },
                manager: raw.manager.clone(),
                team: raw.team.clone(),
                region: raw.region.clone(),
                start,
                email: raw.email.clone(),
                active: raw.active.unwrap_or(true),
                bio,
                private_bio: None,
                file: doc.file.clone(),
                lines,
                end,
            },
        );
    }

    for bio in &content.bios {
        match people.get_mut(&bio.id) {
            Some(person) if !bio.body.trim().is_empty() => {
                person.private_bio = Some(MarkdownText {
                    file: bio.file.clone(),
                    text: bio.body.clone(),
                    first_line: bio.body_line,
                })
            }
            Some(_) => {}
            None if content.broken_people.contains(&bio.id) => {}
            None => diagnostics.push(
                Diagnostic::error(
                    &bio.file,
                    format!("a bio for `{}`, who has no file in content/people/", bio.id),
                )
                .with_help("name the file after a person's id, like people/alice-chen.md"),
            ),
        }
    }

    let ids = Known::new(&people, &content.broken_people);
    for person in people.values() {
        let doc = docs[person.id.as_str()];
        match (&person.manager, person.role) {
            (None, Role::Leader) => {}
            (None, role) => diagnostics.push(doc.error(
                &["role"],
                format!(
                    "a {} needs a `manager:`; only a leader may have none",
                    role.label().to_lowercase()
                ),
            )),
            (Some(manager), _) => match people.get(manager) {
                None => diagnostics.extend(unknown_person(
                    doc.spot(),
                    &["manager"],
                    manager,
                    &ids,
                    "the manager",
                )),
                Some(boss) if boss.role == Role::Rep => diagnostics.push(doc.error(
                    &["manager"],
                    format!("`{manager}` is a rep; a manager must be a manager or a leader"),
                )),
                Some(_) => {
                    if let Some(cycle) = manager_cycle(person, &people) {
                        diagnostics.push(
                            doc.error(
                                &["manager"],
                                format!("the manager chain loops back: {}", cycle.join(" → ")),
                            )
                            .with_help("every chain of managers must end at a leader"),
                        );
                    } else if person.role != Role::Leader && !reaches_leader(person, &people) {
                        diagnostics.push(doc.error(&["manager"], "the manager chain does not reach a leader")
                            .with_help("the person at the top of this chain should have `role: leader`"));
                    }
                }
            },
        }
    }
    super::lines::check(&people, &docs, &ids, diagnostics);
    people
}

/// A warning for each active rep without figures in the latest period:
/// usually a forgotten commit, sometimes a person who has left.
fn missing_latest_figures(
    people: &BTreeMap<PersonId, Person>,
    performance: &Performance,
    periods: &[Period],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(&latest) = periods.last() else {
        return;
    };
    for rep in people.values().filter(|p| p.role == Role::Rep && p.active) {
        let has = performance
            .reps
            .get(&rep.id)
            .is_some_and(|by_period| by_period.contains_key(&latest));
        if !has {
            diagnostics.push(
                Diagnostic::warning(
                    &rep.file,
                    format!(
                        "{} has no figures for {latest}, the latest period",
                        rep.name
                    ),
                )
                .at(Some(Position::line(1)))
                .with_help("add their figures, or set `active: false` if they have left"),
            );
        }
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// The ids around a cycle in `person`'s manager chain, if there is one.
fn manager_cycle(person: &Person, people: &BTreeMap<PersonId, Person>) -> Option<Vec<String>> {
    let mut chain = vec![person.id.clone()];
    let mut current = person.manager.as_ref();
    while let Some(id) = current {
        if let Some(start) = chain.iter().position(|seen| seen == id) {
            let mut cycle = chain[start..].to_vec();
            cycle.push(id.clone());
            return (start == 0).then_some(cycle);
        }
        chain.push(id.clone());
        current = people.get(id).and_then(|p| p.manager.as_ref());
    }
    None
}

fn reaches_leader(person: &Person, people: &BTreeMap<PersonId, Person>) -> bool {
    let mut current = person.manager.as_ref();
    for _ in 0..=people.len() {
        match current.and_then(|id| people.get(id)) {
            Some(boss) if boss.role == Role::Leader => return true,
            Some(boss) => current = boss.manager.as_ref(),
            None => return false,
        }
    }
    false
}

fn reports(content: &Content, site: &Site, diagnostics: &mut Vec<Diagnostic>) -> Vec<Report> {
    let mut reports = Vec::new();
    for PageDoc { path, doc } in &content.reports {
        let raw = &doc.meta.value;
        let report_period = match &raw.period {
            Some(text) => match period(doc.meta.spot(), &["period"], text, site, diagnostics) {
                Some(p) => Some(p),
                None => continue,
            },
            None => None,
        };
        reports.push(Report {
            path: path.clone(),
            title: raw.title.clone(),
            period: report_period,
            summary: raw.summary.clone(),
            visibility: visibility(raw.visibility),
            body: markdown_text(doc),
        });
    }
    reports.sort_by(|a, b| b.period.cmp(&a.period).then_with(|| a.path.cmp(&b.path)));
    reports
}

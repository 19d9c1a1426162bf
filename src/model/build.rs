//! Model stage: raw documents → the validated, cross-linked [`Model`].
//!
//! One pass per kind, each collecting every problem it finds; nothing stops
//! at the first error. References are checked against the full set of ids.

use super::*;
use crate::error::{Diagnostic, Position};
use crate::load::raw::*;
use crate::load::{Content, Located, Markdown, PageDoc, PerformanceDoc, Spot};
use crate::metrics::{Activities, Figures, Metric};
use crate::text::closest;
use std::collections::{BTreeMap, BTreeSet};

/// Validates everything loaded. Returns the model (possibly partial) and
/// every problem found; the caller decides whether errors stop it.
pub fn build(
    content: Content,
    history: crate::load::history::History,
) -> (Option<Model>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let Some(site_doc) = &content.site else {
        diagnostics.push(Diagnostic::error("content/site.yaml", "the site settings file is missing")
            .with_help("create content/site.yaml with at least `title:`; `bullpen init DIR` writes an example"));
        return (None, diagnostics);
    };
    let site = site(site_doc, &mut diagnostics);
    let people = people(&content, &site, &mut diagnostics);
    let (mut performance, periods, sources) =
        performance(&content, &site, &people, &mut diagnostics);
    let deal_files: Vec<super::deals::DealsFile> = content
        .deals
        .iter()
        .map(|f| super::deals::DealsFile {
            file: &f.file,
            bytes: &f.bytes,
        })
        .collect();
    let deals = super::deals::read(
        site_doc,
        &deal_files,
        &people,
        site.period_kind,
        site.fiscal_year_start,
        &mut diagnostics,
    );
    if site_doc.value.deals.is_some() {
        merge_deals(
            &mut performance,
            &sources,
            &deals,
            periods.last().copied(),
            &people,
            &mut diagnostics,
        );
    }
    let (sections, playbooks) = playbooks(&content, &site, &people, &mut diagnostics);
    let coaching = coaching(&content, &site, &people, &playbooks, &mut diagnostics);
    let reports = reports(&content, &site, &mut diagnostics);
    overdue_reviews(&playbooks, &history, &mut diagnostics);
    missing_latest_figures(&people, &performance, &periods, &mut diagnostics);
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
    let model = Model {
        site,
        people,
        periods,
        performance,
        sections,
        playbooks,
        coaching,
        reports,
        assets,
        open_deals: deals.open,
        history,
        files: content.files,
    };
    (Some(model), diagnostics)
}

fn site(doc: &Located<RawSite>, diagnostics: &mut Vec<Diagnostic>) -> Site {
    let raw = &doc.value;
    let fiscal_year_start = raw.fiscal_year_start.unwrap_or(1);
    if !(1..=12).contains(&fiscal_year_start) {
        diagnostics.push(doc.error(
            &["fiscal_year_start"],
            "expected the month the fiscal year starts in, 1 to 12",
        ));
    }
    let ramp_threshold = raw.ramp_threshold.unwrap_or(1.0);
    if !(ramp_threshold > 0.0 && ramp_threshold.is_finite()) {
        diagnostics.push(doc.error(
            &["ramp_threshold"],
            "expected a ramp threshold above 0, like 1.0 for 100% of quota",
        ));
    }
    let currency = raw
        .currency
        .clone()
        .unwrap_or_else(|| "USD".into())
        .to_uppercase();
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_alphabetic()) {
        diagnostics.push(doc.error(
            &["currency"],
            "expected an ISO 4217 currency code, like USD or EUR",
        ));
    }
    let mut base_url = raw.base_url.clone().unwrap_or_else(|| "/".into());
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    let theme = raw.theme.clone().unwrap_or_else(|| "default".into());
    if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
        diagnostics.push(doc.error(&["theme"], "expected the name of a folder under themes/"));
    }
    Site {
        title: raw.title.clone(),
        description: raw.description.clone(),
        base_url,
        currency,
        period_kind: raw.period.unwrap_or(PeriodKind::Quarter),
        fiscal_year_start: fiscal_year_start.clamp(1, 12),
        ramp_threshold,
        review_every_days: raw.review_every_days.unwrap_or(180),
        theme,
        team_leaderboard: raw.team_leaderboard.unwrap_or(true),
        repo_url: raw
            .repo_url
            .as_ref()
            .map(|u| u.trim_end_matches('/').to_string()),
        repo_branch: raw.repo_branch.clone().unwrap_or_else(|| "main".into()),
    }
}

/// Parses a `YYYY-MM-DD` date at `path` in `doc`.
fn date<T>(
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
fn period(
    doc: Spot,
    path: &[&str],
    text: &str,
    site: &Site,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Period> {
    match Period::parse(text) {
        Some(period) if period.kind() == site.period_kind => Some(period),
        Some(period) => {
            diagnostics.push(doc.error(
                path,
                format!(
                    "`{text}` is a {}, but this site reports by {}; expected {}",
                    period.kind(),
                    site.period_kind,
                    site.period_kind.example()
                ),
            ));
            None
        }
        None => {
            diagnostics.push(doc.error(
                path,
                format!(
                    "`{text}` is not a period id; expected {}",
                    site.period_kind.example()
                ),
            ));
            None
        }
    }
}

/// An error for an id that names no person, with the closest id as help.
/// The person ids references may use, and those whose files exist but
/// failed to load (their error is reported once, not at every reference).
struct Known<'a> {
    ids: BTreeSet<&'a str>,
    broken: &'a BTreeSet<String>,
}

impl<'a> Known<'a> {
    fn new(people: &'a BTreeMap<PersonId, Person>, broken: &'a BTreeSet<String>) -> Known<'a> {
        Known {
            ids: people.keys().map(String::as_str).collect(),
            broken,
        }
    }
}

/// An error for an id that names no person, with the closest id as help;
/// `None` for a person whose own file already has an error.
fn unknown_person(
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

fn markdown_text<T>(doc: &Markdown<T>) -> MarkdownText {
    MarkdownText {
        file: doc.meta.file.clone(),
        text: doc.body.clone(),
        first_line: doc.body_line,
    }
}

fn visibility(raw: Option<RawVisibility>) -> Visibility {
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
        let bio = (!person.doc.body.trim().is_empty()).then(|| markdown_text(&person.doc));
        people.insert(
            person.id.clone(),
            Person {
                id: person.id.clone(),
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
                file: doc.file.clone(),
            },
        );
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
    people
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
fn overdue_reviews(
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

/// Where a rep's record gave figures that deal exports can also give:
/// (rep, period) → (file, [(field, position)]).
type Sources =
    BTreeMap<(String, Period), (std::path::PathBuf, Vec<(&'static str, Option<Position>)>)>;

/// Lays the deal exports' figures over the performance records: a figure
/// given both ways is an error naming both files; deals for a rep and
/// period without a quota are a warning.
fn merge_deals(
    performance: &mut Performance,
    sources: &Sources,
    deals: &super::deals::Deals,
    latest: Option<Period>,
    people: &BTreeMap<PersonId, Person>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    use super::deals::DealFigures;
    let mut by_key: BTreeMap<(String, Period), DealFigures> = deals.figures.clone();
    if let Some(latest) = latest {
        for (rep, undated) in &deals.undated {
            let entry = by_key.entry((rep.clone(), latest)).or_default();
            entry.open += undated.open;
            entry.open_complete += undated.open_complete;
        }
    }
    let files: Vec<String> = deals
        .files
        .iter()
        .map(|f| f.display().to_string())
        .collect();
    let files = files.join(", ");
    // Every rep record gets zero counts when no deal of theirs says otherwise.
    for by_period in performance.reps.values_mut() {
        for figures in by_period.values_mut() {
            figures.deals_won = figures.deals_won.or(Some(0));
            figures.deals_lost = figures.deals_lost.or(Some(0));
            figures.opportunities_created = figures.opportunities_created.or(Some(0));
        }
    }
    for ((rep, period), from_deals) in by_key {
        let Some(figures) = performance
            .reps
            .get_mut(&rep)
            .and_then(|p| p.get_mut(&period))
        else {
            if from_deals.deals_won + from_deals.deals_lost + from_deals.opportunities_created > 0 {
                let name = people.get(&rep).map_or(rep.as_str(), |p| p.name.as_str());
                diagnostics.push(Diagnostic::warning(deals.files.first().cloned().unwrap_or_default(), format!(
                    "deals for {name} in {period}, but no quota for them in content/performance/; their deal figures for {period} are left out"
                )));
            }
            continue;
        };
        let provides = [
            ("closed_won", from_deals.deals_won > 0),
            (
                "deals_won",
                from_deals.deals_won + from_deals.deals_lost > 0,
            ),
            (
                "deals_lost",
                from_deals.deals_won + from_deals.deals_lost > 0,
            ),
            ("cycle_days", from_deals.cycle_deals > 0),
            (
                "opportunities_created",
                from_deals.opportunities_created > 0,
            ),
        ];
        let given = sources.get(&(rep.clone(), period));
        let mut conflict = false;
        for (field, from_both) in provides {
            let Some((file, fields)) = given else {
                continue;
            };
            if let Some((_, position)) = fields.iter().find(|(f, _)| *f == field)
                && from_both
            {
                conflict = true;
                diagnostics.push(
                    Diagnostic::error(file, format!("`{field}` for `{rep}` in {period} is given here and by the deal exports ({files})"))
                        .at(*position)
                        .with_help("keep one source for each figure: remove it here, or leave those deals out of the export"),
                );
            }
        }
        if conflict {
            continue;
        }
        let given_field =
            |field: &str| given.is_some_and(|(_, fields)| fields.iter().any(|(f, _)| *f == field));
        if !given_field("closed_won") {
            figures.closed_won = from_deals.closed_won;
        }
        if !given_field("deals_won") {
            figures.deals_won = Some(from_deals.deals_won);
        }
        if !given_field("deals_lost") {
            figures.deals_lost = Some(from_deals.deals_lost);
        }
        if !given_field("cycle_days") {
            figures.cycle_days = from_deals.cycle_days();
        }
        if !given_field("opportunities_created") {
            figures.opportunities_created = Some(from_deals.opportunities_created);
        }
        if from_deals.open > 0 {
            figures.documentation = Some(crate::metrics::Documentation {
                open: from_deals.open,
                complete: from_deals.open_complete,
            });
        }
    }
}

fn performance(
    content: &Content,
    site: &Site,
    people: &BTreeMap<PersonId, Person>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Performance, Vec<Period>, Sources) {
    let ids = Known::new(people, &content.broken_people);
    let deals_configured = content
        .site
        .as_ref()
        .is_some_and(|s| s.value.deals.is_some());
    let mut performance = Performance::default();
    let mut seen: BTreeMap<(String, Period), std::path::PathBuf> = BTreeMap::new();
    let mut periods = BTreeSet::new();

    fn join<'a>(path: &[&'a str], field: &'a str) -> Vec<&'a str> {
        path.iter().copied().chain([field]).collect()
    }
    let mut sources: Sources = BTreeMap::new();
    let mut add = |doc: Spot,
                   path: &[&str],
                   id: &str,
                   period: Period,
                   raw: &RawRecord,
                   diagnostics: &mut Vec<Diagnostic>| {
        let Some(person) = people.get(id) else {
            diagnostics.extend(unknown_person(doc, path, id, &ids, "the person"));
            return;
        };
        let key = (id.to_string(), period);
        if let Some(other) = seen.get(&key) {
            diagnostics.push(
                doc.error(
                    path,
                    format!(
                        "figures for `{id}` in {period} are given twice: here and in {}",
                        other.display()
                    ),
                )
                .with_help("keep one record per person and period"),
            );
            return;
        }
        seen.insert(key.clone(), doc.file.to_path_buf());
        periods.insert(period);
        if let Some(figures) = record(doc, path, person, raw, deals_configured, diagnostics) {
            match figures {
                RecordKind::Rep(figures) => {
                    let given: Vec<&'static str> = [
                        ("closed_won", raw.closed_won.is_some()),
                        ("deals_won", raw.deals_won.is_some()),
                        ("deals_lost", raw.deals_lost.is_some()),
                        ("cycle_days", raw.cycle_days.is_some()),
                        ("opportunities_created", raw.opportunities_created.is_some()),
                    ]
                    .into_iter()
                    .filter_map(|(field, given)| given.then_some(field))
                    .collect();
                    if deals_configured && !given.is_empty() {
                        let lines = given
                            .iter()
                            .map(|field| (*field, doc.locate(&join(path, field))))
                            .collect();
                        sources.insert(key.clone(), (doc.file.to_path_buf(), lines));
                    }
                    performance
                        .reps
                        .entry(key.0)
                        .or_default()
                        .insert(key.1, figures);
                }
                RecordKind::TeamForecast(Some(forecast)) => {
                    performance
                        .team_forecasts
                        .entry(key.0)
                        .or_default()
                        .insert(key.1, forecast);
                }
                RecordKind::TeamForecast(None) => {}
            }
        }
    };

    for doc in &content.performance {
        match doc {
            PerformanceDoc::Period { name, doc } => {
                let Some(file_period) = period(doc.spot(), &[], name, site, diagnostics) else {
                    continue;
                };
                if let Some(given) = &doc.value.period
                    && given != name
                {
                    diagnostics.push(
                        doc.error(
                            &["period"],
                            format!("`period: {given}` does not match the file name {name}.yaml"),
                        )
                        .with_help(format!(
                            "rename the file to {given}.yaml or set `period: {name}`"
                        )),
                    );
                    continue;
                }
                for (id, raw) in &doc.value.people {
                    add(
                        doc.spot(),
                        &["people", id],
                        id,
                        file_period,
                        raw,
                        diagnostics,
                    );
                }
            }
            PerformanceDoc::Person {
                period: name,
                id,
                doc,
            } => {
                let Some(file_period) = period(doc.spot(), &[], name, site, diagnostics) else {
                    continue;
                };
                add(doc.spot(), &[], id, file_period, &doc.value, diagnostics);
            }
        }
    }
    (performance, periods.into_iter().collect(), sources)
}

enum RecordKind {
    Rep(Figures),
    TeamForecast(Option<Money>),
}

/// Checks one record against the person's role: reps need a quota and
/// closed-won; managers and leaders may only submit a team forecast.
fn record(
    doc: Spot,
    path: &[&str],
    person: &Person,
    raw: &RawRecord,
    deals_configured: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<RecordKind> {
    fn join<'a>(path: &[&'a str], field: &'a str) -> Vec<&'a str> {
        path.iter().copied().chain([field]).collect()
    }
    let at = |field| join(path, field);
    let before = diagnostics.len();
    for (field, value) in [
        ("closed_won", raw.closed_won),
        ("pipeline", raw.pipeline),
        ("forecast", raw.forecast),
    ] {
        if value.is_some_and(|m| m < Money::ZERO) {
            diagnostics.push(doc.error(
                &at(field),
                format!("`{field}` is negative; expected an amount of 0 or more"),
            ));
        }
    }
    if let Some(days) = raw.cycle_days
        && !(days >= 0.0 && days.is_finite())
    {
        diagnostics.push(doc.error(&at("cycle_days"), "`cycle_days` must be 0 or more"));
    }
    if person.role != Role::Rep {
        let team_fields = [
            ("quota", raw.quota.is_some()),
            ("closed_won", raw.closed_won.is_some()),
            ("deals_won", raw.deals_won.is_some()),
            ("deals_lost", raw.deals_lost.is_some()),
            ("pipeline", raw.pipeline.is_some()),
            ("cycle_days", raw.cycle_days.is_some()),
            ("opportunities_created", raw.opportunities_created.is_some()),
            ("activities", raw.activities.is_some()),
        ];
        for (field, given) in team_fields {
            if given {
                diagnostics.push(doc.error(&at(field), format!(
                    "`{}` is a {}: team figures are summed from the reps, so only `forecast` (the team forecast submitted) may be given",
                    person.id, person.role.label().to_lowercase()
                )));
            }
        }
        return (diagnostics.len() == before).then_some(RecordKind::TeamForecast(raw.forecast));
    }
    let quota = match raw.quota {
        Some(quota) if quota > Money::ZERO => Some(quota),
        Some(_) => {
            diagnostics.push(doc.error(&at("quota"), "`quota` must be above 0"));
            None
        }
        None => {
            diagnostics.push(
                doc.error(path, "a rep's figures need `quota:`")
                    .with_help("add the rep's quota for the period, like `quota: 120000`"),
            );
            None
        }
    };
    // With deal exports, closed-won may come from the deals instead.
    let closed_won = raw.closed_won.or(deals_configured.then_some(Money::ZERO));
    if closed_won.is_none() {
        diagnostics.push(
            doc.error(path, "a rep's figures need `closed_won:`")
                .with_help("write `closed_won: 0` for a period without revenue"),
        );
    }
    if diagnostics.len() != before {
        return None;
    }
    Some(RecordKind::Rep(Figures {
        quota: quota?,
        closed_won: closed_won?,
        deals_won: raw.deals_won,
        deals_lost: raw.deals_lost,
        pipeline: raw.pipeline,
        forecast: raw.forecast,
        cycle_days: raw.cycle_days,
        opportunities_created: raw.opportunities_created,
        activities: raw.activities.as_ref().map(|a| Activities {
            calls: a.calls,
            emails: a.emails,
            meetings: a.meetings,
            demos: a.demos,
        }),
        documentation: None,
    }))
}

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

fn playbooks(
    content: &Content,
    site: &Site,
    people: &BTreeMap<PersonId, Person>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Section>, Vec<Playbook>) {
    let ids = Known::new(people, &content.broken_people);
    let mut playbooks = Vec::new();
    for PageDoc { path, doc } in &content.playbooks {
        let raw = &doc.meta.value;
        let (title, title_from_heading) = match &raw.title {
            Some(title) => (title.clone(), false),
            None => match first_heading(&doc.body) {
                Some(heading) => (heading, true),
                None => {
                    diagnostics.push(Diagnostic::error(&doc.meta.file, "a playbook needs a title")
                        .at(Some(Position::line(1)))
                        .with_help("add `title:` to the front matter, or start the text with a `# Heading`"));
                    continue;
                }
            },
        };
        let owner = match &raw.owner {
            Some(owner) if !people.contains_key(owner) => {
                diagnostics.extend(unknown_person(
                    doc.meta.spot(),
                    &["owner"],
                    owner,
                    &ids,
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
        if raw.review_every_days == Some(0) {
            diagnostics.push(doc.meta.error(
                &["review_every_days"],
                "`review_every_days` must be at least 1",
            ));
        }
        let section = path
            .rsplit_once('/')
            .map(|(section, _)| section.to_string())
            .unwrap_or_default();
        playbooks.push(Playbook {
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
        });
    }
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

/// The text of the first `# Heading` line, for playbooks without front matter.
fn first_heading(body: &str) -> Option<String> {
    body.lines()
        .find_map(|line| line.strip_prefix("# "))
        .map(|heading| heading.trim().to_string())
        .filter(|heading| !heading.is_empty())
}

fn coaching(
    content: &Content,
    site: &Site,
    people: &BTreeMap<PersonId, Person>,
    playbooks: &[Playbook],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<CoachingPlan> {
    let ids = Known::new(people, &content.broken_people);
    let mut plans = Vec::new();
    for PageDoc { path, doc } in &content.coaching {
        let meta = &doc.meta;
        let raw = &meta.value;
        let before = diagnostics.len();
        let (folder_rep, file_period) = path.split_once('/').unwrap_or((path, ""));
        let rep = raw.rep.clone().unwrap_or_else(|| folder_rep.to_string());
        if rep != folder_rep {
            diagnostics.push(
                meta.error(
                    &["rep"],
                    format!("`rep: {rep}` does not match the folder coaching/{folder_rep}/"),
                )
                .with_help(format!(
                    "move the plan to coaching/{rep}/ or set `rep: {folder_rep}`"
                )),
            );
        }
        match people.get(&rep) {
            None => {
                diagnostics.extend(unknown_person(meta.spot(), &["rep"], &rep, &ids, "the rep"))
            }
            Some(person) if person.role != Role::Rep => diagnostics.push(meta.error(
                &["rep"],
                format!(
                    "`{rep}` is a {}; coaching plans are for reps",
                    person.role.label().to_lowercase()
                ),
            )),
            Some(_) => {}
        }
        if !people.contains_key(&raw.coach) {
            diagnostics.extend(unknown_person(
                meta.spot(),
                &["coach"],
                &raw.coach,
                &ids,
                "the coach",
            ));
        }
        let period_text = raw
            .period
            .clone()
            .unwrap_or_else(|| file_period.to_string());
        if period_text != file_period {
            diagnostics.push(meta.error(
                &["period"],
                format!("`period: {period_text}` does not match the file name {file_period}.md"),
            ));
        }
        let plan_period = period(meta.spot(), &["period"], &period_text, site, diagnostics);

        let mut assessment = Vec::new();
        for (skill, rating) in &raw.assessment {
            match u8::try_from(*rating) {
                Ok(rating @ 1..=5) => assessment.push((skill.clone(), rating)),
                _ => diagnostics.push(meta.error(
                    &["assessment", skill],
                    format!("the rating of `{skill}` is {rating}; expected 1 to 5"),
                )),
            }
        }

        let mut goals = Vec::new();
        for (index, goal) in raw.goals.iter().enumerate() {
            let due = goal
                .due
                .as_deref()
                .and_then(|text| date(meta, &["goals"], text, diagnostics));
            let number = index + 1;
            match (&goal.metric, &goal.skill) {
                (Some(metric), None) => {
                    let Some(parsed) = Metric::parse(metric) else {
                        let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
                        let mut diagnostic = goal_error(meta, metric, format!(
                            "goal {number}: `{metric}` is not a metric; expected one of {}", names.join(", ")
                        ));
                        if let Some(near) = closest(metric, names.iter().copied()) {
                            diagnostic = diagnostic.with_help(format!("did you mean `{near}`?"));
                        }
                        diagnostics.push(diagnostic);
                        continue;
                    };
                    match (goal.baseline, goal.target) {
                        (Some(baseline), Some(target)) if baseline.is_finite() && target.is_finite() => {
                            goals.push(Goal::Metric { metric: parsed, baseline, target, due });
                        }
                        _ => diagnostics.push(goal_error(meta, metric, format!(
                            "goal {number} (`{metric}`) needs a numeric `baseline:` and `target:`"
                        ))),
                    }
                }
                (None, Some(skill)) => {
                    if let Some(playbook) = &goal.playbook
                        && !playbooks.iter().any(|p| &p.path == playbook)
                    {
                        let mut diagnostic = goal_error(meta, playbook, format!(
                            "goal {number}: `{playbook}` is not a playbook; expected a path under content/playbooks/ without .md"
                        ));
                        if let Some(near) = closest(playbook, playbooks.iter().map(|p| p.path.as_str())) {
                            diagnostic = diagnostic.with_help(format!("did you mean `{near}`?"));
                        }
                        diagnostics.push(diagnostic);
                    }
                    goals.push(Goal::Skill {
                        skill: skill.clone(),
                        playbook: goal.playbook.clone(),
                        evidence: goal.evidence.clone(),
                        due,
                    });
                }
                _ => diagnostics.push(meta.error(&["goals"], format!(
                    "goal {number} needs either `metric:` (with baseline and target) or `skill:`, not both or neither"
                ))),
            }
        }

        let actions = raw
            .actions
            .iter()
            .map(|action| Action {
                what: action.what.clone(),
                due: action
                    .due
                    .as_deref()
                    .and_then(|text| date(meta, &["actions"], text, diagnostics)),
                done: action.done,
            })
            .collect();
        let sessions = raw
            .sessions
            .iter()
            .filter_map(|session| {
                Some(Session {
                    date: date(meta, &["sessions"], &session.date, diagnostics)?,
                    notes: session.notes.clone(),
                })
            })
            .collect();

        if diagnostics.len() != before {
            continue;
        }
        let Some(plan_period) = plan_period else {
            continue;
        };
        plans.push(CoachingPlan {
            rep,
            coach: raw.coach.clone(),
            period: plan_period,
            status: match raw.status {
                RawStatus::Active => PlanStatus::Active,
                RawStatus::Completed => PlanStatus::Completed,
                RawStatus::Paused => PlanStatus::Paused,
            },
            assessment,
            goals,
            actions,
            sessions,
            outcome: raw.outcome.clone().filter(|o| !o.trim().is_empty()),
            body: markdown_text(doc),
        });
    }
    plans.sort_by(|a, b| (&a.rep, a.period).cmp(&(&b.rep, b.period)));
    plans
}

/// An error at a goal's value (found by its text in the YAML).
fn goal_error<T>(meta: &Located<T>, value: &str, message: String) -> Diagnostic {
    let position = meta.yaml.lines().enumerate().find_map(|(index, line)| {
        let column = line.find(value)?;
        Some(Position {
            line: index + meta.yaml_line,
            column: column + 1,
        })
    });
    Diagnostic::error(&meta.file, message).at(position.or(meta.locate(&["goals"])))
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

//! Model stage: performance records, checked against each person's role
//! and laid over the figures from deal exports. Entry: [`performance`],
//! then [`merge_deals`].

use super::build::{Known, unknown_person};
use super::*;
use crate::error::{Diagnostic, Position};
use crate::load::raw::*;
use crate::load::{Content, Spot};
use crate::vocab::figures::{Activities, Figures};
use std::collections::{BTreeMap, BTreeSet};

/// The file each person's record for a period came from (a fast hash:
/// every record of the site goes in, and nothing iterates it in order).
pub(super) type RecordFiles<'c> = ahash::AHashMap<(&'c str, Period), &'c std::path::Path>;

/// Where a rep's record gave figures that deal exports can also give:
/// (rep, period) → (file, [(field, position)]).
type Sources =
    BTreeMap<(String, Period), (std::path::PathBuf, Vec<(&'static str, Option<Position>)>)>;

/// Lays the deal exports' figures over the performance records: a figure
/// given both ways is an error naming both files; deals for a rep and
/// period without a quota are a warning.
pub(super) fn merge_deals(
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
            let open = DealFigures {
                open: undated.open,
                open_complete: undated.open_complete,
                pipeline: undated.pipeline.clone(),
                ..DealFigures::default()
            };
            if entry.add(&open).is_err() {
                let file = deals.files.first().cloned().unwrap_or_default();
                diagnostics.push(Diagnostic::error(
                    file,
                    format!("the open deals of `{rep}` in {latest} add up to more than {}, the largest count Bullpen holds", u32::MAX),
                ));
            }
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
            figures.deals_no_decision = Some(0);
            figures.deal_pipeline = Some(deals.complete(&Default::default()));
        }
    }
    for ((rep, period), from_deals) in by_key {
        let Some(figures) = performance
            .reps
            .get_mut(&rep)
            .and_then(|p| p.get_mut(&period))
        else {
            if from_deals.deals_won > 0
                || from_deals.deals_lost > 0
                || from_deals.opportunities_created > 0
            {
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
                from_deals.deals_won > 0 || from_deals.deals_lost > 0,
            ),
            (
                "deals_lost",
                from_deals.deals_won > 0 || from_deals.deals_lost > 0,
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
        figures.deals_no_decision = Some(from_deals.deals_no_decision);
        let pipeline = deals.complete(&from_deals.pipeline);
        // Open pipeline closing in the current period (with the past-due
        // deals) is the record's `pipeline` unless the record gives one.
        if Some(period) == latest
            && figures.pipeline.is_none()
            && let Some(open) = pipeline.open()
            && open.count > 0
        {
            figures.pipeline = Some(open.amount);
        }
        figures.deal_pipeline = Some(pipeline);
        if from_deals.open > 0 {
            figures.documentation = Some(crate::vocab::figures::Documentation {
                open: from_deals.open,
                complete: from_deals.open_complete,
            });
        }
    }
}

pub(super) fn performance<'c>(
    content: &'c Content,
    site: &Site,
    people: &BTreeMap<PersonId, Person>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Performance, Vec<Period>, Sources, RecordFiles<'c>) {
    let ids = Known::new(people, &content.broken_people);
    let deals_configured = content
        .site
        .as_ref()
        .is_some_and(|s| s.value.deals.is_some());
    let given = super::performance::given_records(content, site, diagnostics);
    // Each record is checked against its person's role on every core;
    // what they found is taken in file order below.
    use rayon::prelude::*;
    let checked: Vec<(Option<RecordKind>, Vec<Diagnostic>)> = given
        .par_iter()
        .map(|record| {
            let mut found = Vec::new();
            let kind = people.get(record.id).and_then(|person| {
                let path = &record.path;
                self::record(
                    record.doc,
                    path,
                    person,
                    record.raw,
                    deals_configured,
                    &mut found,
                )
            });
            (kind, found)
        })
        .collect();

    // Gathered by person, then made into maps in one sorted pass each:
    // inserting 50,000 records of figures one by one moved them about.
    let mut reps: ahash::AHashMap<&str, Vec<(Period, Box<Figures>)>> = ahash::AHashMap::new();
    let mut forecasts: ahash::AHashMap<&str, Vec<(Period, Money)>> = ahash::AHashMap::new();
    let mut seen: RecordFiles = RecordFiles::new();
    let mut periods = BTreeSet::new();
    let mut sources: Sources = BTreeMap::new();
    for (record, (kind, found)) in given.iter().zip(checked) {
        let (doc, path, id, period) = (record.doc, &record.path, record.id, record.period);
        if !people.contains_key(id) {
            diagnostics.extend(unknown_person(doc, path, id, &ids, "the person"));
            continue;
        }
        if let Some(other) = seen.get(&(id, period)) {
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
            continue;
        }
        seen.insert((id, period), doc.file);
        periods.insert(period);
        diagnostics.extend(found);
        match kind {
            Some(RecordKind::Rep(figures)) => {
                let raw = record.raw;
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
                    let join = |field| path.iter().copied().chain([field]).collect::<Vec<_>>();
                    let lines = given
                        .iter()
                        .map(|field| (*field, doc.locate(&join(field))))
                        .collect();
                    sources.insert((id.to_string(), period), (doc.file.to_path_buf(), lines));
                }
                reps.entry(id).or_default().push((period, figures));
            }
            Some(RecordKind::TeamForecast(Some(forecast))) => {
                forecasts.entry(id).or_default().push((period, forecast));
            }
            Some(RecordKind::TeamForecast(None)) | None => {}
        }
    }
    let performance = Performance {
        reps: by_person(reps, |figures| *figures),
        team_forecasts: by_person(forecasts, |forecast| forecast),
        ..Performance::default()
    };
    (performance, periods.into_iter().collect(), sources, seen)
}

/// Person → period → value, from each person's values (each period once),
/// made in id order.
fn by_person<T, V, People: FromIterator<(PersonId, BTreeMap<Period, V>)>>(
    gathered: ahash::AHashMap<&str, Vec<(Period, T)>>,
    value: impl Fn(T) -> V,
) -> People {
    let mut people: Vec<(&str, Vec<(Period, T)>)> = gathered.into_iter().collect();
    people.sort_unstable_by_key(|(id, _)| *id);
    people
        .into_iter()
        .map(|(id, mut values)| {
            values.sort_unstable_by_key(|(period, _)| *period);
            let values = values
                .into_iter()
                .map(|(period, v)| (period, value(v)))
                .collect();
            (id.to_string(), values)
        })
        .collect()
}

enum RecordKind {
    Rep(Box<Figures>),
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
    let before = diagnostics.len();
    check_ranges(doc, path, raw, diagnostics);
    if person.role != Role::Rep {
        team_only_forecast(doc, path, person, raw, diagnostics);
        return (diagnostics.len() == before).then_some(RecordKind::TeamForecast(raw.forecast));
    }
    let (quota, full_quota) = quotas(doc, path, raw, diagnostics);
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
    Some(RecordKind::Rep(Box::new(Figures {
        quota: quota?,
        full_quota,
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
        pipeline_basis: None,
        forecast_basis: None,
        // Laid over by `calls::apply`, once every record is read.
        ..Figures::default()
    })))
}

/// `path` and then `field`: where a field of a record sits in its file.
fn field_path<'a>(path: &[&'a str], field: &'a str) -> Vec<&'a str> {
    path.iter().copied().chain([field]).collect()
}

/// An error for each negative amount and each count or day figure out of
/// its range (`vocab::bounds`).
fn check_ranges(doc: Spot, path: &[&str], raw: &RawRecord, diagnostics: &mut Vec<Diagnostic>) {
    let at = |field| field_path(path, field);
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
    {
        use super::bounds::{Bound, MAX_COUNT, MAX_DAYS};
        let activities = raw.activities.as_ref();
        let activity = |get: fn(&RawActivities) -> Option<u32>| activities.and_then(get);
        let values = [
            (
                None,
                "deals_won",
                raw.deals_won.map(f64::from),
                MAX_COUNT,
                "a count",
            ),
            (
                None,
                "deals_lost",
                raw.deals_lost.map(f64::from),
                MAX_COUNT,
                "a count",
            ),
            (
                None,
                "opportunities_created",
                raw.opportunities_created.map(f64::from),
                MAX_COUNT,
                "a count",
            ),
            (
                Some("activities"),
                "calls",
                activity(|a| a.calls).map(f64::from),
                MAX_COUNT,
                "a count",
            ),
            (
                Some("activities"),
                "emails",
                activity(|a| a.emails).map(f64::from),
                MAX_COUNT,
                "a count",
            ),
            (
                Some("activities"),
                "meetings",
                activity(|a| a.meetings).map(f64::from),
                MAX_COUNT,
                "a count",
            ),
            (
                Some("activities"),
                "demos",
                activity(|a| a.demos).map(f64::from),
                MAX_COUNT,
                "a count",
            ),
            (None, "cycle_days", raw.cycle_days, MAX_DAYS, "days"),
        ];
        for (parent, field, value, high, unit) in values {
            let Some(value) = value else { continue };
            let high = f64::from(high);
            // The path is made only for a value out of range: most are not.
            if !(0.0..=high).contains(&value) {
                let full: Vec<&str> = path.iter().copied().chain(parent).chain([field]).collect();
                let bound = Bound {
                    path: &full,
                    value,
                    low: 0.0,
                    high,
                    unit,
                };
                super::bounds::check(doc, &[bound], diagnostics);
            }
        }
    }
}

/// A manager's or leader's record may give only the team forecast they
/// submitted: an error for every other figure.
fn team_only_forecast(
    doc: Spot,
    path: &[&str],
    person: &Person,
    raw: &RawRecord,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let at = |field| field_path(path, field);
    let team_fields = [
        ("quota", raw.quota.is_some()),
        ("full_quota", raw.full_quota.is_some()),
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
}

/// A rep's quota (above 0, required) and full quota (at least the quota),
/// each `None` after an error.
fn quotas(
    doc: Spot,
    path: &[&str],
    raw: &RawRecord,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Option<Money>, Option<Money>) {
    let at = |field| field_path(path, field);
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
    // A ramp quota is a share of the full one: full_quota ≥ quota > 0.
    let full_quota = match (raw.full_quota, quota) {
        (Some(full), _) if full <= Money::ZERO => {
            diagnostics.push(doc.error(&at("full_quota"), "`full_quota` must be above 0"));
            None
        }
        (Some(full), Some(quota)) if full < quota => {
            diagnostics.push(
                doc.error(
                    &at("full_quota"),
                    format!(
                        "`full_quota` ({full}) is below `quota` ({quota}); expected the quota once ramped, at least the ramp quota"
                    ),
                )
                .with_help("`quota` is this period's ramp quota and `full_quota` the quota the rep will carry once ramped; swap them if they are the wrong way round"),
            );
            None
        }
        (full, _) => full,
    };
    (quota, full_quota)
}

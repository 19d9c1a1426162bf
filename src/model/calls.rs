//! Model stage: periods in progress (`as_of`) and the weekly forecast
//! calls (`performance/<period>/calls/<date>.yaml`), checked and laid over
//! the records: where each period stands, each rep's latest call, the
//! forecast a complete period falls back to, and year-to-date sums.
//! Entry: [`calls`], then [`apply`].

use super::build::{Known, date, period_of_name, unknown_person};
use super::{Call, CallFigures, Performance, Person, PersonId, Site};
use crate::error::Diagnostic;
use crate::load::{Content, PerformanceDoc};
use crate::vocab::figures::{Progress, Ytd};
use crate::vocab::money::Money;
use crate::vocab::period::Period;
use jiff::civil::Date;
use std::collections::BTreeMap;

/// Every week's calls, by period, oldest first. A call dated outside its
/// period, a negative amount, `best_case` below `commit` and a call for
/// someone who is not a person are errors at their line.
pub(super) fn calls(
    content: &Content,
    site: &Site,
    people: &BTreeMap<PersonId, Person>,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<Period, Vec<Call>> {
    let known = Known::new(people, &content.broken_people);
    let mut calls: BTreeMap<Period, Vec<Call>> = BTreeMap::new();
    for doc in &content.performance {
        let PerformanceDoc::Calls { period, date, doc } = doc else {
            continue;
        };
        let Some(period) =
            period_of_name(doc.spot(), None, "folder name", period, site, diagnostics)
        else {
            continue;
        };
        let day = match date.parse::<Date>() {
            Ok(day) if date.len() == 10 => day,
            _ => {
                diagnostics.push(
                    Diagnostic::error(
                        &doc.file,
                        format!("the file name `{date}` is not a date; expected the call's date as YYYY-MM-DD.yaml, like 2026-11-09.yaml"),
                    ),
                );
                continue;
            }
        };
        let (first, last) = (
            period.first_day(site.calendar),
            period.last_day(site.calendar),
        );
        if day < first || day > last {
            diagnostics.push(
                Diagnostic::error(
                    &doc.file,
                    format!("a call dated {day} among the calls of {period}, which runs from {first} to {last}"),
                )
                .with_help(format!(
                    "move the file to the calls of the period that holds {day}, or rename it to the day of the call"
                )),
            );
            continue;
        }
        let mut by = BTreeMap::new();
        for (id, raw) in &doc.value.calls {
            let path = ["calls", id.as_str()];
            if !people.contains_key(id) {
                diagnostics.extend(unknown_person(doc.spot(), &path, id, &known, "the person"));
                continue;
            }
            let before = diagnostics.len();
            for (field, amount) in [("commit", Some(raw.commit)), ("best_case", raw.best_case)] {
                if amount.is_some_and(|a| a < Money::ZERO) {
                    diagnostics.push(doc.error(
                        &["calls", id, field],
                        format!("`{field}` is negative; expected an amount of 0 or more"),
                    ));
                }
            }
            if let Some(best_case) = raw.best_case
                && best_case < raw.commit
            {
                diagnostics.push(
                    doc.error(
                        &["calls", id, "best_case"],
                        format!(
                            "`best_case` ({best_case}) is below `commit` ({}); expected best case ≥ commit",
                            raw.commit
                        ),
                    )
                    .with_help("the best case is the commit plus what could also close; swap them if they are the wrong way round"),
                );
            }
            if diagnostics.len() == before {
                by.insert(
                    id.clone(),
                    CallFigures {
                        commit: raw.commit,
                        best_case: raw.best_case,
                    },
                );
            }
        }
        calls.entry(period).or_default().push(Call {
            date: day,
            file: doc.file.clone(),
            by,
        });
    }
    for week in calls.values_mut() {
        week.sort_by_key(|call| call.date);
    }
    calls
}

/// `as_of` of each period file, checked to lie within its period.
pub(super) fn as_of(
    content: &Content,
    site: &Site,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<Period, Date> {
    let mut found = BTreeMap::new();
    for doc in &content.performance {
        let PerformanceDoc::Period { name, doc } = doc else {
            continue;
        };
        let Some(text) = &doc.value.as_of else {
            continue;
        };
        let Some(period) = Period::parse(name).filter(|p| p.kind() == site.period_kind) else {
            continue; // the file name's own error is reported with its figures
        };
        let Some(day) = date(doc, &["as_of"], text, diagnostics) else {
            continue;
        };
        let (first, last) = (
            period.first_day(site.calendar),
            period.last_day(site.calendar),
        );
        if day < first || day > last {
            diagnostics.push(doc.error(
                &["as_of"],
                format!("`as_of: {day}` is outside {period}, which runs from {first} to {last}; expected a day within the period"),
            ));
            continue;
        }
        found.insert(period, day);
    }
    found
}

/// Lays the calls and `as_of` over the records: each rep record gets its
/// latest call (as of the period's roll-up day), where its period stands
/// while in progress, and its year to date; a complete period's record
/// without a `forecast` takes its last call's commit, and so does a
/// manager's team forecast. A year-to-date sum too large to hold is an
/// error naming the rep.
pub(super) fn apply(
    performance: &mut Performance,
    site: &Site,
    people: &BTreeMap<PersonId, Person>,
    record_files: &super::figures::RecordFiles<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut fallbacks: Vec<(PersonId, Period, Money)> = Vec::new();
    for (&period, week) in &performance.calls {
        let day = super::roll_up_date(site, &performance.as_of, period);
        let in_progress = day < period.last_day(site.calendar);
        let mut callers: Vec<&PersonId> = week.iter().flat_map(|c| c.by.keys()).collect();
        callers.sort();
        callers.dedup();
        for id in callers {
            if let Some((_, call)) = call_as_of(week, id, day)
                && !in_progress
            {
                fallbacks.push((id.clone(), period, call.commit));
            }
        }
    }
    for (id, period, commit) in fallbacks {
        if let Some(figures) = performance
            .reps
            .get_mut(&id)
            .and_then(|p| p.get_mut(&period))
        {
            figures.forecast = figures.forecast.or(Some(commit));
        } else if people.get(&id).is_some_and(|p| p.role != super::Role::Rep) {
            performance
                .team_forecasts
                .entry(id)
                .or_default()
                .entry(period)
                .or_insert(commit);
        }
    }
    let calls = &performance.calls;
    let as_of = &performance.as_of;
    for (rep, by_period) in performance.reps.iter_mut() {
        let mut year: Option<(i16, Ytd)> = None;
        for (&period, figures) in by_period.iter_mut() {
            let day = super::roll_up_date(site, as_of, period);
            if let Some((_, call)) = calls.get(&period).and_then(|w| call_as_of(w, rep, day)) {
                figures.commit = Some(call.commit);
                figures.best_case = call.best_case;
            }
            figures.progress = progress(site, period, as_of.get(&period).copied());
            let fiscal_year = site.calendar.fiscal_year(period);
            let Some(sums) = Ytd::after(year, fiscal_year, figures.quota, figures.closed_won)
            else {
                // The record that tipped the sum over, where it was given.
                let file = record_files
                    .get(&(rep.as_str(), period))
                    .map(|file| file.to_path_buf())
                    .unwrap_or_else(|| format!("content/performance/{period}.yaml").into());
                diagnostics.push(
                    Diagnostic::error(
                        file,
                        format!("the year-to-date quota or closed-won of `{rep}` up to {period} adds up to more than {}, the largest amount Bullpen holds", Money::MAX),
                    )
                    .with_help("an amount this large is almost always a typo; check this record's quota and closed_won"),
                );
                year = None;
                continue;
            };
            figures.ytd = Some(sums);
            year = Some((fiscal_year, sums));
        }
    }
}

/// Where a period stands on `as_of`: `None` for a complete period (no
/// `as_of`, or `as_of` on its last day).
pub fn progress(site: &Site, period: Period, as_of: Option<Date>) -> Option<Progress> {
    let as_of = as_of?;
    let (first, last) = (
        period.first_day(site.calendar),
        period.last_day(site.calendar),
    );
    if as_of >= last {
        return None;
    }
    let days_between = |a: Date, b: Date| (b - a).get_days() as u32;
    Some(Progress {
        as_of,
        day: days_between(first, as_of) + 1,
        days: days_between(first, last) + 1,
    })
}

/// A person's call standing on `day`: their entry in the latest call on
/// or before it (a call stands until they make another), with its date.
pub fn call_as_of<'a>(week: &'a [Call], id: &str, day: Date) -> Option<(Date, &'a CallFigures)> {
    week.iter()
        .rev()
        .filter(|call| call.date <= day)
        .find_map(|call| Some((call.date, call.by.get(id)?)))
}

//! Render stage: the present tense — a period in progress (day N of M,
//! closed-won to date, pace, the latest call and the gap, coverage of what
//! is left) and the weekly forecast calls of any period, with each week's
//! accuracy once the period is complete and a manager's judgement.
//! Entries: [`standing`], [`call_weeks`], [`calls_chart`].

use super::Ctx;
use super::charts::{Chart, Line, Points, Table, catalog, palette};
use super::dashboard::{Scope, Tile, band};
use crate::format::{self, Cell};
use crate::metrics::{self, Metric};
use crate::model::Role;
use crate::rollup::Call;
use crate::vocab::figures::Figures;
use crate::vocab::money::Money;
use crate::vocab::period::Period;
use jiff::civil::Date;
use serde::Serialize;

/// Why nothing is compared with the period before while this one runs.
pub const WHY_IN_PROGRESS: &str =
    "The period is in progress: it is not compared with a complete period";

/// Where a period in progress stands, for the top of a dashboard.
#[derive(Debug, Clone, Serialize)]
pub struct Standing {
    /// `Day 46 of 92 · figures as of 15 Nov 2026`.
    pub label: String,
    pub day: u32,
    pub days: u32,
    pub as_of: String,
    /// The share of the period gone, in whole percent (for a progress bar).
    pub elapsed_percent: u32,
    /// `below`, `near` or `above`: the band of the scope's pace.
    pub band: &'static str,
    /// The dashboard shows them as its tiles.
    #[serde(skip)]
    pub tiles: Vec<Tile>,
}

/// The tiles of a period in progress for a scope; `None` for a complete
/// period or a scope without figures.
pub fn standing(ctx: &Ctx, scope: Scope, period: Period) -> Option<Standing> {
    let figures = super::dashboard::figures(ctx, scope, period)?;
    let progress = figures.progress?;
    let f = &ctx.format;
    let attainment = metrics::attainment(figures.closed_won, figures.quota);
    let pace = metrics::pace_of(&figures);
    let mut tiles = vec![
        Tile {
            compared: false,
            label: "Closed won to date",
            value: Cell::text(f.money(figures.closed_won)),
            change: context(format!(
                "{} of {} quota",
                attainment.map_or("—".into(), format::percent),
                f.money(figures.quota)
            )),
            help: "Revenue closed and won so far this period, against the period's full quota",
        },
        Tile {
            compared: false,
            label: "Pace",
            value: f.metric(Metric::Pace, pace.map(metrics::Value::Ratio), WHY_NO_PACE),
            change: context("straight-line projection".into()),
            help: "Attainment to date divided by the share of the period gone: where the period ends if the rest goes as it has so far",
        },
        call_tile(ctx, &figures),
        remaining_tile(ctx, &figures),
    ];
    tiles.push(super::dashboard::ytd_tile(ctx, &figures, period));
    Some(Standing {
        label: format!(
            "Day {} of {} · figures as of {}",
            progress.day,
            progress.days,
            format::date(progress.as_of)
        ),
        day: progress.day,
        days: progress.days,
        as_of: format::date(progress.as_of),
        elapsed_percent: (progress.elapsed() * 100.0).round() as u32,
        band: band(pace),
        tiles,
    })
}

const WHY_NO_PACE: &str = "No figures for this period";

/// A line of context under a tile's value, never coloured as a change.
fn context(text: String) -> Cell {
    Cell::text(text)
}

/// The latest call against quota, and the gap between them.
fn call_tile(ctx: &Ctx, figures: &Figures) -> Tile {
    let f = &ctx.format;
    let help = "The latest forecast call standing (a team's is its manager's, else its direct reports' summed), and what it leaves of quota";
    let Some(commit) = figures.commit else {
        return Tile {
            compared: false,
            label: "Latest call",
            value: Cell::undefined(Metric::Commit.def().undefined_because),
            change: context(String::new()),
            help,
        };
    };
    let gap = figures.quota.checked_sub(commit);
    let gap_text = match gap {
        Some(gap) if gap > Money::ZERO => format!("{} short of quota", f.money(gap)),
        Some(gap) if gap < Money::ZERO => format!(
            "{} above quota",
            f.money(Money::ZERO.checked_sub(gap).unwrap_or(Money::ZERO))
        ),
        _ => "exactly quota".into(),
    };
    Tile {
        compared: false,
        label: "Latest call",
        value: Cell::text(f.money(commit)).with_detail(
            figures
                .best_case
                .map(|best| format!("best case {}", f.money(best))),
        ),
        change: context(format!("commit · {gap_text}")),
        help,
    }
}

/// Open pipeline closing in the period against what is left of quota.
fn remaining_tile(ctx: &Ctx, figures: &Figures) -> Tile {
    let f = &ctx.format;
    let metric = Metric::RemainingCoverage;
    let help = "Open pipeline closing in the period against the quota not yet closed";
    if metrics::quota_reached(figures) {
        return Tile {
            compared: false,
            label: metric.label(),
            value: Cell::text("quota reached"),
            change: context("nothing left to cover".into()),
            help,
        };
    }
    // Over the reps who gave a pipeline figure, as the coverage itself.
    let (quota, closed_won) = metrics::remaining_basis(figures);
    let left = quota.checked_sub(closed_won).unwrap_or(Money::ZERO);
    Tile {
        compared: false,
        label: metric.label(),
        value: f
            .of(metric, figures)
            .with_detail(super::dashboard::basis_detail(figures.pipeline_basis)),
        change: context(format!("of {} left", f.money(left))),
        help,
    }
}

/// One week's call for a scope, as the calls table shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CallRow {
    pub date: String,
    pub commit: Cell,
    pub best_case: Cell,
    /// The sum of the direct reports' commits, where the manager made a
    /// call of their own.
    pub reports: Option<Cell>,
    pub judgement: Option<Cell>,
    /// For a complete period: this week's commit against the final result.
    pub accuracy: Option<Cell>,
}

/// A scope's call in one week: `Call` and, where the manager made their
/// own, their direct reports' summed commits.
struct Week {
    date: Date,
    call: Option<Call>,
    reports: Option<Money>,
}

fn weeks(ctx: &Ctx, scope: Scope, period: Period) -> Vec<Week> {
    let model = ctx.model;
    let org = ctx.org();
    let day_of = model.roll_up_date(period);
    model
        .calls(period)
        .iter()
        .map(|call| call.date)
        .filter(|&date| date <= day_of)
        .map(|date| match scope {
            Scope::Rep(person) | Scope::Team(person) => {
                let own = model.call_as_of(&person.id, period, date).is_some();
                let reports = (own && person.role != Role::Rep)
                    .then(|| {
                        let parts: Vec<Call> = org
                            .direct_reports(&person.id, period)
                            .iter()
                            .filter_map(|p| org.call_of(p, period, date))
                            .collect();
                        Money::checked_sum(parts.iter().map(|c| c.commit))
                            .filter(|_| !parts.is_empty())
                    })
                    .flatten();
                Week {
                    date,
                    call: org.call_of(person, period, date),
                    reports,
                }
            }
            Scope::Org => {
                let day = model.roll_up_date(period);
                let tops: Vec<Call> = model
                    .people
                    .values()
                    .filter(|p| p.manager_on(day).is_none())
                    .filter_map(|p| org.call_of(p, period, date))
                    .collect();
                let call = (!tops.is_empty()).then(|| Call {
                    commit: Money::checked_sum(tops.iter().map(|c| c.commit))
                        .unwrap_or(Money::ZERO),
                    best_case: Money::checked_sum(tops.iter().map(|c| c.best_case))
                        .unwrap_or(Money::ZERO),
                });
                Week {
                    date,
                    call,
                    reports: None,
                }
            }
        })
        .collect()
}

/// Every week's call for a scope, oldest first; with each week's accuracy
/// against the final closed-won once the period is complete.
pub fn call_weeks(ctx: &Ctx, scope: Scope, period: Period) -> Vec<CallRow> {
    let f = &ctx.format;
    let figures = super::dashboard::figures(ctx, scope, period);
    let complete = figures.as_ref().is_some_and(|t| t.progress.is_none());
    let closed_won = figures.as_ref().map(|t| t.closed_won);
    weeks(ctx, scope, period)
        .into_iter()
        .filter(|week| week.call.is_some())
        .map(|week| {
            let call = week.call.expect("weeks without a call are left out");
            let judgement = metrics::judgement(Some(call.commit), week.reports);
            CallRow {
                date: format::date(week.date),
                commit: Cell::text(f.money(call.commit)),
                best_case: Cell::text(f.money(call.best_case)),
                reports: week.reports.map(|r| Cell::text(f.money(r))),
                judgement: week.reports.map(|_| {
                    f.metric(
                        Metric::Judgement,
                        judgement.map(metrics::Value::Ratio),
                        Metric::Judgement.def().undefined_because,
                    )
                }),
                accuracy: complete.then(|| {
                    let accuracy = closed_won.and_then(|cw| {
                        metrics::accuracy_by_week(&[(week.date, call.commit)], cw)
                            .first()
                            .and_then(|(_, a)| *a)
                    });
                    f.metric(
                        Metric::ForecastAccuracy,
                        accuracy.map(metrics::Value::Ratio),
                        "No closed-won revenue to compare the call with",
                    )
                }),
            }
        })
        .collect()
}

/// The period's calls week by week (commit, best case) against quota, with
/// closed-won to date; `None` when the period has no calls for the scope.
pub fn calls_chart(ctx: &Ctx, scope: Scope, period: Period) -> Option<Chart> {
    let f = &ctx.format;
    let figures = super::dashboard::figures(ctx, scope, period)?;
    let weeks: Vec<Week> = weeks(ctx, scope, period)
        .into_iter()
        .filter(|w| w.call.is_some())
        .collect();
    if weeks.is_empty() {
        return None;
    }
    let labels: Vec<String> = weeks.iter().map(|w| short_date(w.date)).collect();
    let calls: Vec<Call> = weeks
        .iter()
        .map(|w| w.call.expect("weeks without a call are left out"))
        .collect();
    let series = [
        Points {
            name: "Commit".into(),
            color: palette::PURPLE,
            values: calls.iter().map(|c| Some(c.commit.as_major())).collect(),
        },
        Points {
            name: "Best case".into(),
            color: palette::GREEN,
            values: calls.iter().map(|c| Some(c.best_case.as_major())).collect(),
        },
    ];
    let table = Table {
        headers: ["Week of", "Commit", "Best case"]
            .map(String::from)
            .to_vec(),
        rows: weeks
            .iter()
            .zip(&calls)
            .map(|(w, call)| {
                vec![
                    format::date(w.date),
                    f.money(call.commit),
                    f.money(call.best_case),
                ]
            })
            .collect(),
    };
    let (latest_day, latest) = (weeks[weeks.len() - 1].date, calls[calls.len() - 1]);
    let won = if figures.progress.is_some() {
        "Closed won to date"
    } else {
        "Closed won"
    };
    let desc = format!(
        "The forecast calls of {} week by week against quota ({}). The latest call, on {}, commits {} with a best case of {}. {won}: {}.",
        period.label(),
        f.money(figures.quota),
        format::date(latest_day),
        f.money(latest.commit),
        f.money(latest.best_case),
        f.money(figures.closed_won)
    );
    let title = format!("Forecast calls week by week, {}", period.label());
    let mut caption = catalog::caption("chart-calls", &title, desc, table);
    caption.legend = series.iter().map(|s| (s.color, s.name.clone())).collect();
    let references = vec![
        Line {
            value: figures.quota.as_major(),
            label: format!("Quota {}", catalog::compact(f, figures.quota)),
        },
        Line {
            value: figures.closed_won.as_major(),
            label: format!("{won} {}", catalog::compact(f, figures.closed_won)),
        },
    ];
    Some(super::charts::period_lines(
        caption,
        Metric::Commit.unit(),
        &catalog::symbol(f),
        &labels,
        &series,
        references,
    ))
}

/// `9 Nov`: a call's week on a chart's axis.
fn short_date(date: Date) -> String {
    let long = format::date(date);
    long.rsplit_once(' ')
        .map_or(long.clone(), |(day_month, _)| day_month.to_string())
}

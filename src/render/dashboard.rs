//! Render stage: dashboards — the home page, one page per period, and the
//! figures a team page shares with them. Entry: [`plan`].

use super::charts::Chart;
use super::site::{period_path, person_path};
use super::{Ctx, Page, Planned, Subject};
use crate::format::{Cell, Formatter};
use crate::metrics::{self, Metric, Unit, Value};
use crate::model::{Person, Role};
use crate::vocab::figures::{Basis, Figures};
use crate::vocab::period::Period;
use serde::Serialize;

/// Whose figures a dashboard shows: the whole organisation or one manager's team.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    Org,
    Team(&'a Person),
    /// One rep's own figures.
    Rep(&'a Person),
}

#[derive(Debug, Clone, Serialize)]
pub struct Tile {
    pub label: &'static str,
    pub value: Cell,
    /// The change from the period before, or (when not `compared`) a line
    /// of context under the value.
    pub change: Cell,
    pub help: &'static str,
    /// Whether `change` compares with the period before ("vs previous").
    pub compared: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LeaderRow {
    pub rank: usize,
    pub name: String,
    pub path: String,
    pub team: String,
    pub quota: String,
    pub closed_won: String,
    pub attainment: Cell,
    /// `below` (< 70%), `near` (70–100%) or `above` (≥ 100%): of
    /// attainment, or of pace while the period is in progress.
    pub band: &'static str,
    /// While the period is in progress: attainment to date over the share
    /// of the period gone.
    pub pace: Option<Cell>,
    pub win_rate: Cell,
    pub coverage: Cell,
    /// Managers' build, with deal exports: open deals fully documented.
    pub documentation: Option<Cell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrendRow {
    pub label: String,
    pub path: String,
    pub quota: Cell,
    pub closed_won: Cell,
    pub attainment: Cell,
    pub win_rate: Cell,
    pub coverage: Cell,
    pub forecast: Cell,
    pub forecast_accuracy: Cell,
    pub forecast_error: Cell,
    pub reps_at_quota: Cell,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamRow {
    pub name: String,
    pub team: String,
    pub path: String,
    pub reps: usize,
    pub quota: String,
    pub closed_won: String,
    pub attainment: Cell,
    pub win_rate: Cell,
    pub coverage: Cell,
    pub forecast_accuracy: Cell,
    pub forecast_error: Cell,
    /// While the period is in progress: the team's pace and latest call.
    pub pace: Option<Cell>,
    pub band: &'static str,
    pub commit: Cell,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodLink {
    pub label: String,
    pub path: String,
    pub current: bool,
}

/// A dashboard for one scope and period.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub period: String,
    pub period_label: String,
    pub tiles: Vec<Tile>,
    pub leaderboard: Vec<LeaderRow>,
    pub show_leaderboard: bool,
    pub trend: Vec<TrendRow>,
    pub teams: Vec<TeamRow>,
    pub periods: Vec<PeriodLink>,
    pub reps_with_figures: usize,
    /// Attainment by rep, revenue, forecast, win rate, coverage.
    pub charts: Vec<Chart>,
    /// Whether the leaderboard shows documentation compliance.
    pub documentation: bool,
    /// Which optional columns of the teams and trend tables have data
    /// anywhere in the site.
    pub columns: super::handout::DataColumns,
    /// Where the period stands while in progress; `None` once complete.
    pub standing: Option<super::progress::Standing>,
    /// The period's forecast calls for the scope, week by week.
    pub calls: Vec<super::progress::CallRow>,
    /// Whether the calls table shows the manager's judgement.
    pub calls_judged: bool,
    /// Whether the calls table shows each week's accuracy (complete periods).
    pub calls_scored: bool,
    /// What changed in the pipeline between the two newest deal snapshots
    /// (the period they are in).
    pub pipeline_changes: Option<super::pipeline::Changes>,
    /// The open pipeline from the deal exports (the current period).
    pub pipeline: Option<super::pipeline::OpenPipeline>,
}

#[derive(Serialize)]
struct Home<'a> {
    dashboard: Option<Dashboard>,
    heading: &'a str,
    archive: bool,
}

/// The home page, a page per period, the periods index and the teams index.
pub fn plan<'c>(ctx: &'c Ctx) -> Vec<Planned<'c>> {
    let model = ctx.model;
    // The home page and the latest period's page show the same dashboard:
    // it is made once, by whichever is made first.
    let latest = std::sync::Arc::new(std::sync::OnceLock::new());
    let org_dashboard = move |period: Period| -> Dashboard {
        match model.latest_period() == Some(period) {
            true => latest
                .get_or_init(|| dashboard(ctx, Scope::Org, period))
                .clone(),
            false => dashboard(ctx, Scope::Org, period),
        }
    };
    let shared = org_dashboard.clone();
    let mut plan = vec![Planned::new(Subject::Home, move || {
        Page::new(
            "",
            "dashboard.html",
            model.site.title.clone(),
            "dashboard",
            &Home {
                dashboard: model.latest_period().map(&shared),
                heading: "Team dashboard",
                archive: false,
            },
        )
    })];
    plan.extend(model.periods.iter().map(|&period| {
        let path = period_path(period);
        let org_dashboard = org_dashboard.clone();
        Planned::new(Subject::Period(period), move || {
            Page::new(
                path.clone(),
                "dashboard.html",
                format!("{} dashboard", period.label()),
                "dashboard",
                &Home {
                    dashboard: Some(period_dashboard(ctx, org_dashboard(period), period)),
                    heading: "Dashboard archive",
                    archive: true,
                },
            )
            .crumbs(&[
                ("Dashboard", ""),
                ("Periods", "periods/"),
                (&period.label(), &path),
            ])
        })
    }));
    plan.push(Planned::new(Subject::Periods, move || {
        #[derive(Serialize)]
        struct Periods {
            periods: Vec<TrendRow>,
        }
        let mut rows = model
            .latest_period()
            .map(|latest| trend(ctx, Scope::Org, latest))
            .unwrap_or_default();
        rows.reverse();
        Page::new(
            "periods/",
            "periods.html",
            "Periods",
            "dashboard",
            &Periods { periods: rows },
        )
        .crumbs(&[("Dashboard", ""), ("Periods", "periods/")])
    }));
    plan.push(Planned::new(Subject::Teams, move || {
        #[derive(Serialize)]
        struct Teams {
            teams: Vec<TeamRow>,
            period_label: String,
        }
        let latest = model.latest_period();
        let teams = Teams {
            teams: latest
                .map(|p| team_rows(ctx, Scope::Org, p))
                .unwrap_or_default(),
            period_label: latest.map(Period::label).unwrap_or_default(),
        };
        Page::new("teams/", "teams.html", "Teams", "teams", &teams)
            .crumbs(&[("Dashboard", ""), ("Teams", "teams/")])
    }));
    plan
}

/// The reps a scope covers in a period — a team's are those below its
/// head on the period's roll-up day, whose figures its figures sum — in
/// id order.
pub fn reps<'a>(ctx: &'a Ctx<'_>, scope: Scope<'a>, period: Period) -> Vec<&'a Person> {
    match scope {
        Scope::Org => ctx.org().reps().to_vec(),
        Scope::Team(manager) => ctx.org().reps_under(&manager.id, period).to_vec(),
        Scope::Rep(rep) => vec![rep],
    }
}

/// The teams directly below a scope in a period: every manager with the
/// company in it (or with team figures for it) for the organisation, the managers and leaders reporting
/// to a team's head on the period's roll-up day, none for a rep.
pub fn teams<'a>(ctx: &'a Ctx<'_>, scope: Scope<'a>, period: Period) -> Vec<&'a Person> {
    let calendar = ctx.model.site.calendar;
    match scope {
        Scope::Org => ctx
            .model
            .people
            .values()
            .filter(|p| p.role == Role::Manager)
            .filter(|p| {
                ctx.org().team(&p.id, period).is_some()
                    || p.with_company_between(period.first_day(calendar), period.last_day(calendar))
            })
            .collect(),
        Scope::Team(boss) => ctx
            .org()
            .direct_reports(&boss.id, period)
            .iter()
            .copied()
            .filter(|p| p.role != Role::Rep)
            .collect(),
        Scope::Rep(_) => Vec::new(),
    }
}

/// Everyone `of` gives in any of the periods, once each, in id order: the
/// reps or teams a chart over several periods draws a line for.
pub fn during<'a>(periods: &[Period], of: impl Fn(Period) -> Vec<&'a Person>) -> Vec<&'a Person> {
    let mut people: Vec<&Person> = periods.iter().flat_map(|&p| of(p)).collect();
    people.sort_by(|a, b| a.id.cmp(&b.id));
    people.dedup_by(|a, b| a.id == b.id);
    people
}

/// A scope's summed figures for a period; `None` when no rep has figures.
pub fn figures(ctx: &Ctx, scope: Scope, period: Period) -> Option<Figures> {
    match scope {
        Scope::Org => ctx.org().whole(period).cloned(),
        Scope::Team(manager) => ctx.org().team(&manager.id, period).cloned(),
        Scope::Rep(rep) => ctx.model.figures(&rep.id, period).cloned(),
    }
}

/// A scope's reps with figures in the period, and how many of them had a
/// coaching plan for it (whatever its status now): what the metrics over a
/// team's reps read.
pub fn team<'a>(ctx: &'a Ctx<'_>, scope: Scope<'a>, period: Period) -> metrics::Team<'a> {
    let reps: Vec<(&Person, &Figures)> = reps(ctx, scope, period)
        .into_iter()
        .filter_map(|p| Some((p, ctx.model.figures(&p.id, period)?)))
        .collect();
    metrics::Team {
        coached: reps
            .iter()
            .filter(|(rep, _)| ctx.org().coached(&rep.id, period))
            .count(),
        reps: reps.into_iter().map(|(_, figures)| figures).collect(),
    }
}

/// Coaching delivered to a scope's reps with figures in a period.
#[derive(Debug, Clone, Copy, Default)]
pub struct Delivered {
    /// Reps with figures in the period.
    pub reps: usize,
    /// Of them, reps with at least one session in the period.
    pub coached: usize,
    /// Their sessions in the period.
    pub sessions: usize,
    /// Their latest session on or before the period's last day.
    pub last: Option<jiff::civil::Date>,
    /// The day it is judged as of: the period's last day.
    pub as_of: Option<jiff::civil::Date>,
}

impl Delivered {
    pub fn reps_coached(&self) -> Option<f64> {
        metrics::reps_coached(self.coached, self.reps)
    }

    pub fn sessions_per_rep(&self) -> Option<f64> {
        metrics::sessions_per_rep(self.sessions, self.reps)
    }

    pub fn days_since_last(&self) -> Option<i64> {
        metrics::days_since_last_session(self.last.as_slice(), self.as_of?)
    }
}

/// The sessions (logged, or in plans) of a scope's reps with figures in
/// the period, judged as of the period's last day (its `as_of` while in
/// progress).
pub fn coaching_delivered(ctx: &Ctx, scope: Scope, period: Period) -> Delivered {
    let start = ctx.model.site.calendar;
    let (first, as_of) = (period.first_day(start), ctx.model.roll_up_date(period));
    let mut delivered = Delivered {
        as_of: Some(as_of),
        ..Delivered::default()
    };
    for rep in reps(ctx, scope, period)
        .into_iter()
        .filter(|p| ctx.model.figures(&p.id, period).is_some())
    {
        let sessions = ctx.org().sessions(&rep.id);
        let within = metrics::sessions_between(sessions, first, as_of);
        delivered.reps += 1;
        delivered.coached += usize::from(within > 0);
        delivered.sessions += within;
        let last = sessions.iter().copied().filter(|&d| d <= as_of).max();
        delivered.last = delivered.last.max(last);
    }
    delivered
}

const WHY_PREVIOUS: &str = "No figures for the previous period to compare with";
const WHY_NO_FIGURES: &str = "No figures for this period";

/// "3 of 4 reps" when a team figure leaves out reps who did not give it.
pub fn basis_detail(basis: Option<Basis>) -> Option<String> {
    basis
        .filter(Basis::is_partial)
        .map(|b| format!("{} of {} reps", b.reps, b.of))
}

/// "2 ramping" when reps on a ramp quota are left out of reps at quota.
fn ramping_detail(ramping: usize) -> Option<String> {
    (ramping > 0).then(|| format!("{ramping} ramping"))
}

pub fn tiles(ctx: &Ctx, scope: Scope, period: Period) -> Vec<Tile> {
    let current = figures(ctx, scope, period);
    let in_progress = ctx.model.progress(period).is_some();
    if in_progress {
        return super::progress::standing(ctx, scope, period)
            .map(|standing| standing.tiles)
            .unwrap_or_default()
            .into_iter()
            .chain(coaching_tiles(ctx, scope, period, in_progress))
            .collect();
    }
    let previous = figures(ctx, scope, period.previous());
    let f = &ctx.format;
    let mut tiles = record_tiles(
        f,
        &[
            (
                Metric::Attainment,
                "Closed-won revenue against quota, summed over the team's reps",
            ),
            (
                Metric::WinRate,
                "Deals won out of deals decided (won + lost)",
            ),
            (
                Metric::Coverage,
                "Open pipeline at the start of the period against quota, over the reps who gave a pipeline figure",
            ),
            (
                Metric::ForecastAccuracy,
                "How close the committed forecast came to closed-won (100% = exact), over the reps the forecast covers",
            ),
            (
                Metric::ForecastError,
                "The forecast's miss with its sign: + called more than closed (an over-call), − less",
            ),
        ],
        current.as_ref(),
        previous.as_ref(),
    );
    if let Some(current) = &current {
        tiles.push(ytd_tile(ctx, current, period));
    }
    tiles.extend(coaching_tiles(ctx, scope, period, in_progress));
    tiles
}

/// Year-to-date attainment, named by its fiscal year; never compared with
/// the period before, whose year to date covers less.
pub fn ytd_tile(ctx: &Ctx, figures: &Figures, period: Period) -> Tile {
    let metric = Metric::YtdAttainment;
    let year = ctx.model.site.calendar.fiscal_year(period);
    Tile {
        compared: false,
        label: metric.label(),
        value: ctx
            .format
            .of(metric, figures)
            .with_detail(Some(format!("FY{year} so far"))),
        change: Cell::text(String::new()),
        help: "Closed-won over quota summed over the fiscal year's periods so far (a period in progress counts with its closed-won to date and its full quota)",
    }
}

/// The coaching tiles of the managers' build: plan coverage and reps
/// coached, against the period before unless this one is in progress.
fn coaching_tiles(ctx: &Ctx, scope: Scope, period: Period, in_progress: bool) -> Vec<Tile> {
    let f = &ctx.format;
    let mut tiles = Vec::new();
    let why_before = if in_progress {
        super::progress::WHY_IN_PROGRESS
    } else {
        WHY_PREVIOUS
    };
    let coaching = Metric::CoachingCoverage;
    if ctx.audience.may_see(coaching.def().visibility) {
        let now = coaching.over(&team(ctx, scope, period));
        let before = coaching
            .over(&team(ctx, scope, period.previous()))
            .filter(|_| !in_progress);
        tiles.push(tile(
            f,
            coaching,
            "Reps with a coaching plan for this period (whatever its status now), out of reps with figures",
            [now, before],
            [coaching.def().undefined_because, why_before],
            None,
        ));
        let now = coaching_delivered(ctx, scope, period);
        let before = coaching_delivered(ctx, scope, period.previous());
        tiles.push(Tile {
            compared: true,
            label: "Reps coached",
            value: f
                .value(Unit::Rate, now.reps_coached(), WHY_NO_FIGURES)
                .with_detail(now.sessions_per_rep().map(|per| {
                    format!("{} sessions per rep", crate::format::fixed(per, 1))
                })),
            change: f.change(
                Unit::Rate,
                metrics::change(now.reps_coached(), before.reps_coached())
                    .filter(|_| !in_progress),
                why_before,
            ),
            help: "Reps with figures who had at least one coaching session this period (logged, or in a plan), out of reps with figures",
        });
    }
    if in_progress {
        // Not compared with a complete period while this one runs.
        for tile in &mut tiles {
            tile.compared = false;
            tile.change = Cell::text(String::new());
        }
    }
    tiles
}

/// What a metric's value for a record leaves out or rests on, shown beside
/// it: "3 of 4 reps" for a team figure some reps did not give, "of a ramp
/// quota" for a rep's attainment against a ramp quota.
pub fn detail(metric: Metric, figures: &Figures) -> Option<String> {
    match metric {
        Metric::Coverage => basis_detail(figures.pipeline_basis),
        Metric::ForecastAccuracy | Metric::ForecastError => basis_detail(figures.forecast_basis),
        Metric::Attainment => {
            metrics::on_ramp_quota(figures).then(|| "of a ramp quota".to_string())
        }
        _ => None,
    }
}

/// Tiles of metrics of one record, each with its help text: the metric's
/// value in the period and its change from the period before.
pub fn record_tiles(
    f: &Formatter,
    shown: &[(Metric, &'static str)],
    current: Option<&Figures>,
    previous: Option<&Figures>,
) -> Vec<Tile> {
    shown
        .iter()
        .map(|&(metric, help)| {
            let why = metric.def().undefined_because;
            tile(
                f,
                metric,
                help,
                [current, previous].map(|figures| figures.and_then(|t| metric.of(t))),
                [
                    if current.is_some() {
                        why
                    } else {
                        WHY_NO_FIGURES
                    },
                    if previous.is_none() {
                        WHY_PREVIOUS
                    } else {
                        why
                    },
                ],
                current.and_then(|t| detail(metric, t)),
            )
        })
        .collect()
}

/// A metric's tile: its value now (with its `detail`) and its change from
/// the value before, each `—` with its reason (`why`) when undefined.
fn tile(
    f: &Formatter,
    metric: Metric,
    help: &'static str,
    [now, before]: [Option<Value>; 2],
    [why_now, why_change]: [&str; 2],
    detail: Option<String>,
) -> Tile {
    Tile {
        compared: true,
        label: metric.label(),
        value: f.metric(metric, now, why_now).with_detail(detail),
        change: f.change(
            metric.unit(),
            metrics::change(now.map(Value::number), before.map(Value::number)),
            why_change,
        ),
        help,
    }
}

/// `below` (< 70%), `near` (70–100%), `above` (≥ 100%).
pub fn band(attainment: Option<f64>) -> &'static str {
    match attainment {
        Some(a) if a >= 1.0 => "above",
        Some(a) if a >= 0.7 => "near",
        Some(_) => "below",
        None => "",
    }
}

/// The scope's reps with figures in the period, best attainment first.
pub fn leaderboard(ctx: &Ctx, scope: Scope, period: Period) -> Vec<LeaderRow> {
    let f = &ctx.format;
    let day = ctx.model.roll_up_date(period);
    let mut rows: Vec<(Option<f64>, &Person, &Figures)> = reps(ctx, scope, period)
        .into_iter()
        .filter_map(|p| {
            ctx.model
                .figures(&p.id, period)
                .map(|fig| (metrics::attainment(fig.closed_won, fig.quota), p, fig))
        })
        .collect();
    rows.sort_by(|a, b| {
        b.0.unwrap_or(f64::MIN)
            .total_cmp(&a.0.unwrap_or(f64::MIN))
            .then_with(|| a.1.id.cmp(&b.1.id))
    });
    rows.into_iter()
        .enumerate()
        .map(|(index, (attainment, person, fig))| LeaderRow {
            pace: fig.progress.map(|_| f.of(Metric::Pace, fig)),
            band: band(if fig.progress.is_some() {
                metrics::pace_of(fig)
            } else {
                attainment
            }),
            rank: index + 1,
            name: person.name.clone(),
            path: person_path(&person.id),
            team: person.team_on(day).unwrap_or_default().to_string(),
            quota: f.of(Metric::Quota, fig).text,
            closed_won: f.of(Metric::ClosedWon, fig).text,
            attainment: f
                .of(Metric::Attainment, fig)
                .with_detail(metrics::on_ramp_quota(fig).then(|| "ramp quota".to_string())),
            win_rate: f.of(Metric::WinRate, fig),
            coverage: f.of(Metric::Coverage, fig),
            documentation: (ctx.managers() && fig.documentation.is_some())
                .then(|| f.of(Metric::DocumentationCompliance, fig)),
        })
        .collect()
}

/// One row per period with figures up to `upto`, oldest first: a
/// period's page shows the periods up to it, as its charts do, and so
/// stays as it was when later periods come.
pub fn trend(ctx: &Ctx, scope: Scope, upto: Period) -> Vec<TrendRow> {
    let f = &ctx.format;
    ctx.model
        .periods
        .iter()
        .take_while(|&&period| period <= upto)
        .filter_map(|&period| {
            let t = figures(ctx, scope, period)?;
            let team = team(ctx, scope, period);
            let at_quota = Metric::RepsAtQuota;
            Some(TrendRow {
                label: period.label(),
                path: period_path(period),
                quota: f.of(Metric::Quota, &t),
                closed_won: f.of(Metric::ClosedWon, &t),
                attainment: f.of(Metric::Attainment, &t).with_detail(
                    t.progress
                        .map(|p| format!("to date · day {} of {}", p.day, p.days)),
                ),
                win_rate: f.of(Metric::WinRate, &t),
                coverage: f
                    .of(Metric::Coverage, &t)
                    .with_detail(basis_detail(t.pipeline_basis)),
                // A team's forecast is one its manager submits.
                forecast: f
                    .metric(
                        Metric::Forecast,
                        Metric::Forecast.of(&t),
                        "No forecast submitted",
                    )
                    .with_detail(basis_detail(t.forecast_basis)),
                forecast_accuracy: in_progress_or(f, &t, Metric::ForecastAccuracy),
                forecast_error: in_progress_or(f, &t, Metric::ForecastError),
                reps_at_quota: f
                    .metric(
                        at_quota,
                        at_quota.over(&team),
                        at_quota.def().undefined_because,
                    )
                    .with_detail(ramping_detail(metrics::ramping_reps(
                        team.reps.iter().copied(),
                    ))),
            })
        })
        .collect()
}

/// A figure that needs a final result: `—` saying the period is still in
/// progress, else the metric with the reps its forecast speaks for.
pub fn in_progress_or(f: &Formatter, figures: &Figures, metric: Metric) -> Cell {
    if figures.progress.is_some() {
        return Cell::undefined(
            "The period is in progress: no final result to compare the forecast with yet",
        );
    }
    f.of(metric, figures)
        .with_detail(basis_detail(figures.forecast_basis))
}

/// One row per manager directly below the scope (every manager for the
/// org), each counting the reps whose figures its figures sum.
pub fn team_rows(ctx: &Ctx, scope: Scope, period: Period) -> Vec<TeamRow> {
    let f = &ctx.format;
    let day = ctx.model.roll_up_date(period);
    let managers = teams(ctx, scope, period);
    managers
        .into_iter()
        .map(|manager| {
            let t = figures(ctx, Scope::Team(manager), period);
            let cell = |m: Metric| {
                let value = t.as_ref().and_then(|t| m.of(t));
                f.metric(m, value, m.def().undefined_because)
            };
            TeamRow {
                name: manager.name.clone(),
                team: manager.team_on(day).unwrap_or_default().to_string(),
                path: person_path(&manager.id),
                reps: ctx
                    .org()
                    .reps_under(&manager.id, period)
                    .iter()
                    .filter(|r| ctx.model.figures(&r.id, period).is_some())
                    .count(),
                quota: cell(Metric::Quota).text,
                closed_won: cell(Metric::ClosedWon).text,
                attainment: cell(Metric::Attainment),
                win_rate: cell(Metric::WinRate),
                coverage: cell(Metric::Coverage)
                    .with_detail(basis_detail(t.as_ref().and_then(|t| t.pipeline_basis))),
                forecast_accuracy: cell(Metric::ForecastAccuracy)
                    .with_detail(basis_detail(t.as_ref().and_then(|t| t.forecast_basis))),
                forecast_error: cell(Metric::ForecastError)
                    .with_detail(basis_detail(t.as_ref().and_then(|t| t.forecast_basis))),
                pace: t
                    .as_ref()
                    .and_then(|t| t.progress.map(|_| f.of(Metric::Pace, t))),
                band: band(t.as_ref().and_then(metrics::pace_of)),
                commit: cell(Metric::Commit),
            }
        })
        .collect()
}

/// The charts of a dashboard: the period's attainment by rep (when rankings
/// are shown), then revenue, forecast, win rate and coverage up to the period.
fn charts(ctx: &Ctx, scope: Scope, period: Period, show_leaderboard: bool) -> Vec<Chart> {
    use super::charts::catalog;
    let upto: Vec<Period> = ctx
        .model
        .periods
        .iter()
        .copied()
        .filter(|p| *p <= period)
        .collect();
    let mut charts = Vec::new();
    charts.extend(super::progress::calls_chart(ctx, scope, period));
    let in_progress = ctx.model.progress(period).is_some();
    if show_leaderboard {
        // While the period runs, reps are ranked by pace: attainment to
        // date would colour everyone red early in the quarter.
        let (metric, title) = if in_progress {
            (Metric::Pace, format!("Pace by rep, {}", period.label()))
        } else {
            (
                Metric::Attainment,
                format!("Attainment by rep, {}", period.label()),
            )
        };
        charts.push(catalog::by_rep(
            ctx,
            scope,
            metric,
            period,
            "chart-attainment-by-rep",
            &title,
        ));
    }
    // A forecast is judged against a final result: complete periods only.
    let complete: Vec<Period> = upto
        .iter()
        .copied()
        .filter(|&p| ctx.model.progress(p).is_none())
        .collect();
    charts.push(catalog::revenue(
        ctx,
        scope,
        &upto,
        "chart-revenue",
        "Closed won against quota",
    ));
    charts.push(catalog::forecast(
        ctx,
        scope,
        &complete,
        "chart-forecast",
        "Forecast against closed won",
    ));
    charts.push(catalog::trend(
        ctx,
        scope,
        Metric::WinRate,
        &upto,
        "chart-win-rate",
        "Win rate",
    ));
    charts.push(catalog::trend(
        ctx,
        scope,
        Metric::Coverage,
        &upto,
        "chart-coverage",
        "Pipeline coverage",
    ));
    charts
}

/// A period page's dashboard: the organisation's (`dashboard`), with the spread of
/// attainment across the bands.
fn period_dashboard(ctx: &Ctx, mut dashboard: Dashboard, period: Period) -> Dashboard {
    let title = format!("Reps by share of quota, {}", period.label());
    let distribution = super::charts::activity::distribution(
        ctx,
        Scope::Org,
        period,
        "chart-distribution",
        &title,
    );
    let at = usize::from(dashboard.show_leaderboard).min(dashboard.charts.len());
    dashboard.charts.insert(at, distribution);
    dashboard
}

pub fn dashboard(ctx: &Ctx, scope: Scope, period: Period) -> Dashboard {
    // `rep_pages: managers` keeps every per-rep row out of the team build.
    let show_leaderboard = ctx.rep_figures() && (ctx.managers() || ctx.model.site.team_leaderboard);
    let leaderboard = if show_leaderboard {
        leaderboard(ctx, scope, period)
    } else {
        Vec::new()
    };
    let calls = super::progress::call_weeks(ctx, scope, period);
    Dashboard {
        calls_judged: calls.iter().any(|c| c.judgement.is_some()),
        calls_scored: calls.iter().any(|c| c.accuracy.is_some()),
        calls,
        standing: super::progress::standing(ctx, scope, period),
        pipeline_changes: super::pipeline::changes(ctx, scope, period),
        pipeline: super::pipeline::open(ctx, scope, period),
        period: period.to_string(),
        period_label: period.label(),
        tiles: tiles(ctx, scope, period),
        reps_with_figures: reps(ctx, scope, period)
            .iter()
            .filter(|p| ctx.model.figures(&p.id, period).is_some())
            .count(),
        leaderboard,
        charts: charts(ctx, scope, period, show_leaderboard),
        documentation: ctx.managers() && !ctx.model.open_deals.is_empty(),
        columns: ctx.data_columns(),
        show_leaderboard,
        trend: trend(ctx, scope, period),
        teams: team_rows(ctx, scope, period),
        periods: ctx
            .model
            .periods
            .iter()
            .rev()
            .map(|&p| PeriodLink {
                label: p.label(),
                path: period_path(p),
                current: p == period,
            })
            .collect(),
    }
}

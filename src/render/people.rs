//! Render stage: the people directory, a page per rep, and a team page per
//! manager or leader. Entry: [`pages`].

use super::charts::{Chart, activity, catalog};
use super::dashboard::{self, Dashboard, Scope};
use super::goals::{GoalView, goals};
use super::site::{coaching_path, period_path, person_path};
use super::{Ctx, Link, Page, Planned, Subject};
use crate::format::{self, Cell};
use crate::metrics::{self, Metric, Ramp, Unit};
use crate::model::{CoachingPlan, Person, PlanStatus, Role};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
struct Profile {
    id: String,
    name: String,
    role: &'static str,
    team: Option<String>,
    region: Option<String>,
    start: Option<String>,
    email: Option<String>,
    active: bool,
    /// Last day with the company (`end:`).
    end: Option<String>,
    manager: Option<Link>,
    bio: String,
    /// Moves and leaving: empty for a person who did neither.
    lines: Vec<super::lines::LineView>,
}

fn profile(ctx: &Ctx, person: &Person) -> Profile {
    Profile {
        id: person.id.clone(),
        name: person.name.clone(),
        role: person.role.label(),
        team: person.team.clone(),
        region: person.region.clone(),
        start: person.start.map(format::date),
        email: person.email.clone(),
        active: person.active,
        end: person.end.map(format::date),
        manager: person.manager.as_deref().and_then(|id| ctx.person_link(id)),
        bio: [
            person.bio.as_ref(),
            person.private_bio.as_ref().filter(|_| ctx.managers()),
        ]
        .into_iter()
        .flatten()
        .map(|bio| ctx.html(&bio.file))
        .collect(),
        lines: super::lines::moves(ctx, person),
    }
}

/// The people directory and a page per person.
pub fn plan<'c>(ctx: &'c Ctx) -> Vec<Planned<'c>> {
    let mut plan = vec![Planned::new(Subject::People, move || directory(ctx))];
    plan.extend(ctx.model.people.values().map(|person| {
        let path = person_path(&person.id);
        Planned::new(Subject::Person(person), move || {
            let crumbs = [
                ("Dashboard", ""),
                ("People", "people/"),
                (person.name.as_str(), path.as_str()),
            ];
            let page = match person.role {
                Role::Rep => Page::new(
                    path.clone(),
                    "rep.html",
                    person.name.clone(),
                    "people",
                    &rep(ctx, person),
                ),
                Role::Manager | Role::Leader => Page::new(
                    path.clone(),
                    "team.html",
                    person.name.clone(),
                    "teams",
                    &team(ctx, person),
                ),
            };
            page.crumbs(&crumbs)
        })
    }));
    plan
}

fn directory(ctx: &Ctx) -> Page {
    #[derive(Serialize)]
    struct Entry {
        name: String,
        path: String,
        role: &'static str,
        region: String,
        manager: String,
        active: bool,
    }
    #[derive(Serialize)]
    struct Group {
        team: String,
        people: Vec<Entry>,
    }
    let mut groups: BTreeMap<(u8, String), Vec<Entry>> = BTreeMap::new();
    for person in ctx.model.people.values() {
        let (order, team) = match person.role {
            Role::Leader => (0, "Leadership".to_string()),
            _ => (1, person.team.clone().unwrap_or_else(|| "No team".into())),
        };
        groups.entry((order, team)).or_default().push(Entry {
            name: person.name.clone(),
            path: person_path(&person.id),
            role: person.role.label(),
            region: person.region.clone().unwrap_or_default(),
            manager: person
                .manager
                .as_ref()
                .and_then(|m| ctx.model.people.get(m))
                .map(|m| m.name.clone())
                .unwrap_or_default(),
            active: person.active,
        });
    }
    let groups: Vec<Group> = groups
        .into_iter()
        .map(|((_, team), mut people)| {
            people.sort_by(|a, b| {
                (a.role != "Manager", &a.name).cmp(&(b.role != "Manager", &b.name))
            });
            Group { team, people }
        })
        .collect();
    #[derive(Serialize)]
    struct Directory {
        groups: Vec<Group>,
    }
    Page::new(
        "people/",
        "people.html",
        "People",
        "people",
        &Directory { groups },
    )
    .crumbs(&[("Dashboard", ""), ("People", "people/")])
}

#[derive(Debug, Clone, Serialize)]
struct RepRow {
    label: String,
    path: String,
    quota: String,
    /// On a ramp quota: the full quota, formatted.
    full_quota: Option<String>,
    closed_won: String,
    attainment: Cell,
    band: &'static str,
    deals_won: Cell,
    deals_lost: Cell,
    win_rate: Cell,
    avg_deal: Cell,
    pipeline: Cell,
    coverage: Cell,
    forecast: Cell,
    forecast_accuracy: Cell,
    forecast_error: Cell,
    cycle_days: Cell,
    opportunities_created: Cell,
    documentation: Cell,
    calls: Cell,
    emails: Cell,
    meetings: Cell,
    demos: Cell,
}

#[derive(Debug, Clone, Serialize)]
struct PlanSummary {
    path: String,
    period_label: String,
    status: &'static str,
    coach: String,
    goals: Vec<GoalView>,
}

#[derive(Debug, Clone, Serialize)]
struct RepView {
    profile: Profile,
    period_label: Option<String>,
    tiles: Vec<dashboard::Tile>,
    ramp: Cell,
    history: Vec<RepRow>,
    plan: Option<PlanSummary>,
    charts: Vec<Chart>,
    /// Managers' build only: the rep's open deals, largest first.
    open_deals: Vec<DealRow>,
    /// Managers' build only: the rep's coaching log, newest first.
    coaching_log: Vec<LogRow>,
    /// Where the latest period stands, while it is in progress.
    standing: Option<super::progress::Standing>,
    /// The rep's forecast calls in the latest period, week by week.
    calls: Vec<super::progress::CallRow>,
    /// What changed in the rep's pipeline between the two newest snapshots.
    pipeline_changes: Option<super::pipeline::Changes>,
    /// The rep's open pipeline from the deal exports.
    pipeline: Option<super::pipeline::OpenPipeline>,
    /// The team build under `rep_pages: managers`: the page shows who the
    /// rep is, and none of their figures.
    figures_withheld: bool,
    /// The last four periods of `history`, oldest first: the handout's figures.
    recent: Vec<RepRow>,
    /// Which optional columns of `history` have data anywhere in the site.
    columns: super::handout::DataColumns,
    /// Managers: the printed 1:1 handout's actions and sessions.
    handout: Option<super::handout::Handout>,
}

#[derive(Debug, Clone, Serialize)]
struct LogRow {
    date: String,
    kind: &'static str,
    coach: Option<Link>,
    call: Option<String>,
    notes: Option<String>,
    /// "Discovery 3 · Qualification 4".
    scores: Option<String>,
}

/// A rep's logged coaching sessions, newest first. Coaching material:
/// only the managers' build has it.
fn coaching_log(ctx: &Ctx, person: &Person) -> Vec<LogRow> {
    if !ctx.managers() {
        return Vec::new();
    }
    ctx.model
        .coaching_log
        .iter()
        .rev()
        .filter(|entry| entry.rep == person.id)
        .map(|entry| LogRow {
            date: format::date(entry.date),
            kind: entry.kind.label(),
            coach: ctx.person_link(&entry.coach),
            call: entry.call.clone(),
            notes: entry.notes.clone(),
            scores: (!entry.scores.is_empty()).then(|| {
                entry
                    .scores
                    .iter()
                    .map(|(skill, score)| format!("{} {score}", crate::text::sentence_case(skill)))
                    .collect::<Vec<_>>()
                    .join(" · ")
            }),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
struct DealRow {
    id: String,
    account: String,
    amount: Cell,
    closes: Option<String>,
    missing: Vec<String>,
}

/// A rep's open deals from the CRM exports, with the required fields they
/// lack. Account names are deal detail: only the managers' build has them.
fn open_deals(ctx: &Ctx, person: &Person) -> Vec<DealRow> {
    if !ctx.managers() {
        return Vec::new();
    }
    ctx.model
        .open_deals
        .iter()
        .filter(|deal| deal.owner == person.id)
        .map(|deal| DealRow {
            id: deal.id.clone(),
            account: deal.account.clone(),
            amount: ctx
                .format
                .money_cell(deal.amount, "No amount in the export"),
            closes: deal.closes.map(format::date),
            missing: deal.missing.clone(),
        })
        .collect()
}

const WHY_COUNT: &str = "Not given for this period";

fn rep(ctx: &Ctx, person: &Person) -> RepView {
    if !ctx.rep_figures() {
        return RepView {
            profile: profile(ctx, person),
            period_label: None,
            tiles: Vec::new(),
            ramp: Cell::undefined(crate::render::REP_FIGURES_WITHHELD),
            history: Vec::new(),
            plan: None,
            charts: Vec::new(),
            open_deals: Vec::new(),
            coaching_log: Vec::new(),
            standing: None,
            calls: Vec::new(),
            pipeline_changes: None,
            pipeline: None,
            figures_withheld: true,
            recent: Vec::new(),
            columns: super::handout::DataColumns::default(),
            handout: None,
        };
    }
    let f = &ctx.format;
    let model = ctx.model;
    let latest_own = model
        .periods
        .iter()
        .rev()
        .copied()
        .find(|&p| model.figures(&person.id, p).is_some());
    let history: Vec<RepRow> = model
        .periods
        .iter()
        .filter_map(|&period| {
            let fig = model.figures(&person.id, period)?;
            let attainment = metrics::attainment(fig.closed_won, fig.quota);
            let activity = |get: fn(&crate::vocab::figures::Activities) -> Option<u32>| {
                f.value(
                    Unit::Count,
                    fig.activities.as_ref().and_then(get).map(f64::from),
                    WHY_COUNT,
                )
            };
            Some(RepRow {
                label: period.label(),
                path: period_path(period),
                quota: f.of(Metric::Quota, fig).text,
                closed_won: f.of(Metric::ClosedWon, fig).text,
                full_quota: fig
                    .full_quota
                    .filter(|_| metrics::on_ramp_quota(fig))
                    .map(|full| f.money(full)),
                attainment: f.of(Metric::Attainment, fig).with_detail(
                    fig.progress
                        .map(|p| format!("to date · day {} of {}", p.day, p.days)),
                ),
                band: dashboard::band(if fig.progress.is_some() {
                    metrics::pace_of(fig)
                } else {
                    attainment
                }),
                deals_won: f.of(Metric::DealsWon, fig),
                deals_lost: f.of(Metric::DealsLost, fig),
                win_rate: f.of(Metric::WinRate, fig),
                avg_deal: f.of(Metric::AvgDeal, fig),
                pipeline: f.of(Metric::Pipeline, fig),
                coverage: f.of(Metric::Coverage, fig),
                forecast: f.of(Metric::Forecast, fig),
                forecast_accuracy: dashboard::in_progress_or(f, fig, Metric::ForecastAccuracy),
                forecast_error: dashboard::in_progress_or(f, fig, Metric::ForecastError),
                cycle_days: f.of(Metric::CycleDays, fig),
                opportunities_created: f.of(Metric::OpportunitiesCreated, fig),
                documentation: f.of(Metric::DocumentationCompliance, fig),
                calls: activity(|a| a.calls),
                emails: activity(|a| a.emails),
                meetings: activity(|a| a.meetings),
                demos: activity(|a| a.demos),
            })
        })
        .collect();
    let mut charts = Vec::new();
    if let Some(period) = latest_own {
        charts.extend(super::progress::calls_chart(
            ctx,
            Scope::Rep(person),
            period,
        ));
    }
    if latest_own.is_some() {
        let own: Vec<crate::vocab::period::Period> = model
            .periods
            .iter()
            .copied()
            .filter(|&p| model.figures(&person.id, p).is_some())
            .collect();
        charts.push(catalog::trend(
            ctx,
            Scope::Rep(person),
            Metric::Attainment,
            &own,
            "chart-attainment",
            "Attainment over the periods",
        ));
    }
    if let Some(period) = latest_own {
        let title = format!("Activity funnel, {}", period.label());
        charts.push(activity::funnel(
            ctx,
            Scope::Rep(person),
            period,
            "chart-funnel",
            &title,
        ));
    }
    if ctx.managers()
        && let Some(plan) = current_plan(ctx, person)
    {
        let title = format!("Coaching goals, {}", plan.period.label());
        charts.push(crate::render::charts::coaching::goals(
            ctx,
            plan,
            "chart-goals",
            &title,
        ));
    }
    RepView {
        standing: latest_own.and_then(|p| super::progress::standing(ctx, Scope::Rep(person), p)),
        calls: latest_own
            .map(|p| super::progress::call_weeks(ctx, Scope::Rep(person), p))
            .unwrap_or_default(),
        pipeline_changes: latest_own
            .and_then(|p| super::pipeline::changes(ctx, Scope::Rep(person), p)),
        pipeline: latest_own.and_then(|p| super::pipeline::open(ctx, Scope::Rep(person), p)),
        open_deals: open_deals(ctx, person),
        coaching_log: coaching_log(ctx, person),
        charts,
        profile: profile(ctx, person),
        period_label: latest_own.map(|p| p.label()),
        tiles: latest_own
            .map(|p| rep_tiles(ctx, person, p))
            .unwrap_or_default(),
        ramp: ramp(ctx, person),
        recent: history[history.len().saturating_sub(4)..].to_vec(),
        history,
        columns: ctx.data_columns(),
        handout: super::handout::handout(ctx, person),
        plan: if ctx.managers() {
            current_plan(ctx, person).map(|plan| plan_summary(ctx, plan))
        } else {
            None
        },
        figures_withheld: false,
    }
}

fn rep_tiles(
    ctx: &Ctx,
    person: &Person,
    period: crate::vocab::period::Period,
) -> Vec<dashboard::Tile> {
    if let Some(standing) = super::progress::standing(ctx, Scope::Rep(person), period) {
        return standing.tiles;
    }
    let mut tiles = dashboard::record_tiles(
        &ctx.format,
        &[
            (Metric::Attainment, "Closed-won revenue against quota"),
            (Metric::WinRate, "Deals won out of deals decided"),
            (
                Metric::Coverage,
                "Open pipeline at the start of the period against quota",
            ),
            (
                Metric::ForecastAccuracy,
                "How close the forecast came to closed-won",
            ),
            (
                Metric::ForecastError,
                "The forecast's miss with its sign: + an over-call, − an under-call",
            ),
        ],
        ctx.model.figures(&person.id, period),
        ctx.model.figures(&person.id, period.previous()),
    );
    if let Some(figures) = ctx.model.figures(&person.id, period) {
        tiles.push(dashboard::ytd_tile(ctx, figures, period));
    }
    tiles
}

fn ramp(ctx: &Ctx, person: &Person) -> Cell {
    let model = ctx.model;
    let (Some(start), Some(latest)) = (person.start, model.latest_period()) else {
        return Cell::undefined("No start date, or no figures yet");
    };
    let start_period = crate::vocab::period::Period::containing(
        start,
        model.site.period_kind,
        model.site.calendar,
    );
    let history: BTreeMap<_, _> = model
        .periods
        .iter()
        .filter_map(|&p| {
            model
                .figures(&person.id, p)
                .and_then(metrics::ramp_attainment)
                .map(|a| (p, a))
        })
        .collect();
    // Where a ramping rep stands against the full quota in their latest period.
    let latest_share = history.iter().next_back().map(|(period, share)| {
        format!(
            "{} of full quota in {}",
            format::percent(*share),
            period.label()
        )
    });
    let threshold = format::percent(model.site.ramp_threshold);
    match metrics::ramp(start_period, latest, &history, model.site.ramp_threshold) {
        Some(Ramp::Reached(1)) => Cell::text(format!(
            "1 {} (reached {threshold} in the start {})",
            model.site.period_kind, model.site.period_kind
        )),
        Some(Ramp::Reached(n)) => Cell::text(format!(
            "{n} {}s to reach {threshold}",
            model.site.period_kind
        )),
        Some(Ramp::Ramping(n)) => Cell {
            text: format!(
                "Ramping ({n} {}{} so far)",
                model.site.period_kind,
                if n == 1 { "" } else { "s" }
            ),
            note: Some(format!("Has not yet reached {threshold} of full quota")),
            class: "ramping",
            detail: latest_share,
        },
        None => Cell::undefined("Started before the figures begin, so the ramp cannot be measured"),
    }
}

/// The rep's running plan: the latest active one, else the latest of any status.
pub(super) fn current_plan<'a>(ctx: &Ctx<'a>, person: &Person) -> Option<&'a CoachingPlan> {
    let plans: Vec<&CoachingPlan> = ctx
        .model
        .coaching
        .iter()
        .filter(|p| p.rep == person.id)
        .collect();
    plans
        .iter()
        .rev()
        .find(|p| p.status == PlanStatus::Active)
        .or(plans.last())
        .copied()
}

fn plan_summary(ctx: &Ctx, plan: &CoachingPlan) -> PlanSummary {
    PlanSummary {
        path: coaching_path(&plan.rep, plan.period),
        period_label: plan.period.label(),
        status: plan.status.label(),
        coach: ctx
            .model
            .people
            .get(&plan.coach)
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        goals: goals(ctx, plan),
    }
}

#[derive(Debug, Clone, Serialize)]
struct TeamView {
    profile: Profile,
    dashboard: Option<Dashboard>,
    /// Direct reports in the dashboard's period (today's without figures).
    direct_reports: Vec<Link>,
    /// Who was on the team in each period, newest first.
    roster: Vec<super::lines::RosterRow>,
    plans: Vec<PlanLink>,
}

#[derive(Debug, Clone, Serialize)]
struct PlanLink {
    rep: String,
    path: String,
    period_label: String,
    status: &'static str,
}

fn team(ctx: &Ctx, person: &Person) -> TeamView {
    let latest = ctx.model.latest_period();
    let plans = if ctx.managers() {
        ctx.model
            .coaching
            .iter()
            .filter(|plan| {
                ctx.org()
                    .reps_under(&person.id, plan.period)
                    .iter()
                    .any(|r| r.id == plan.rep)
            })
            .map(|plan| PlanLink {
                rep: ctx
                    .model
                    .people
                    .get(&plan.rep)
                    .map(|r| r.name.clone())
                    .unwrap_or_default(),
                path: coaching_path(&plan.rep, plan.period),
                period_label: plan.period.label(),
                status: plan.status.label(),
            })
            .collect()
    } else {
        Vec::new()
    };
    TeamView {
        profile: profile(ctx, person),
        dashboard: latest.map(|p| dashboard::dashboard(ctx, Scope::Team(person), p)),
        direct_reports: super::lines::direct_reports(ctx, person, latest),
        roster: super::lines::roster(ctx, person),
        plans,
    }
}

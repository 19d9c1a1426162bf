//! Render stage: coaching — the index by team and one page per plan, in
//! the managers' build only. Entry: [`pages`].
//!
//! "Overdue" is judged as of the last day of the latest period with
//! figures, never the clock, so the same content always builds the same.

use super::charts::Chart;
use super::dashboard::{self, Scope};
use super::goals::{GoalView, goals};
use super::site::{coaching_path, person_path};
use super::{Ctx, Link, Page, Planned, Subject};
use crate::format::{self, Cell};
use crate::metrics::Unit;
use crate::model::{CoachingPlan, Role};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct Row {
    rep: Link,
    period_label: String,
    path: String,
    status: &'static str,
    status_class: &'static str,
    goals: usize,
    actions_done: usize,
    actions: usize,
    overdue: usize,
}

#[derive(Serialize)]
struct TeamGroup {
    manager: Link,
    team: String,
    plans: Vec<Row>,
    reps_without_plan: Vec<Link>,
    /// Coaching delivered in the latest period.
    delivered: DeliveredView,
    /// Each active rep's sessions, flagged when too long ago.
    reps: Vec<RepSessions>,
}

/// A team's coaching delivered, formatted.
#[derive(Serialize)]
struct DeliveredView {
    reps_coached: Cell,
    coached: usize,
    reps: usize,
    sessions_per_rep: Cell,
    last: Option<String>,
    days_since_last: Cell,
}

#[derive(Serialize)]
struct RepSessions {
    rep: Link,
    /// Sessions in the latest period.
    sessions: usize,
    /// The last session's date, with the days since it as its detail.
    last: Cell,
    /// Days since the last session; `None` without one.
    days_since: Option<i64>,
    /// No session, or none for more than `coaching.max_days_between` days.
    flagged: bool,
}

#[derive(Serialize)]
struct ActionView {
    what: String,
    due: Option<String>,
    done: bool,
    overdue: bool,
}

#[derive(Serialize)]
struct SessionView {
    date: String,
    notes: String,
}

#[derive(Serialize)]
struct PlanView {
    rep: Link,
    coach: Option<Link>,
    period_label: String,
    status: &'static str,
    status_class: &'static str,
    as_of: Option<String>,
    assessment: Vec<(String, u8)>,
    goals: Vec<GoalView>,
    actions: Vec<ActionView>,
    sessions: Vec<SessionView>,
    outcome: Option<String>,
    body: String,
    charts: Vec<Chart>,
}

pub(super) fn as_of(ctx: &Ctx) -> Option<Date> {
    ctx.model
        .latest_period()
        .map(|p| p.last_day(ctx.model.site.calendar))
}

pub(super) fn is_overdue(due: Option<Date>, done: bool, as_of: Option<Date>) -> bool {
    !done && matches!((due, as_of), (Some(due), Some(today)) if due < today)
}

fn status_class(plan: &CoachingPlan) -> &'static str {
    match plan.status {
        crate::model::PlanStatus::Active => "active",
        crate::model::PlanStatus::Completed => "completed",
        crate::model::PlanStatus::Paused => "paused",
    }
}

fn person_link(ctx: &Ctx, id: &str) -> Link {
    // Plans are validated, so the id names a person; fall back to the id all the same.
    ctx.person_link(id).unwrap_or_else(|| Link {
        name: id.to_string(),
        path: person_path(id),
    })
}

/// The coaching index and a page per plan; nothing for the team audience.
pub fn plan<'c>(ctx: &'c Ctx) -> Vec<Planned<'c>> {
    if !ctx.managers() {
        return Vec::new();
    }
    let mut plan = vec![Planned::new(Subject::Coaching, move || index(ctx))];
    for coaching in &ctx.model.coaching {
        plan.push(Planned::new(Subject::CoachingPlan(coaching), move || {
            plan_page(ctx, coaching)
        }));
    }
    plan
}

fn index(ctx: &Ctx) -> Page {
    let today = as_of(ctx);
    let mut groups: BTreeMap<String, TeamGroup> = BTreeMap::new();
    for manager in ctx
        .model
        .people
        .values()
        .filter(|p| p.role == Role::Manager)
    {
        let reps = ctx.org().reps_under_now(&manager.id);
        let plans: Vec<Row> = ctx
            .model
            .coaching
            .iter()
            .filter(|plan| reps.iter().any(|r| r.id == plan.rep))
            .map(|plan| Row {
                rep: person_link(ctx, &plan.rep),
                period_label: plan.period.label(),
                path: coaching_path(&plan.rep, plan.period),
                status: plan.status.label(),
                status_class: status_class(plan),
                goals: plan.goals.len(),
                actions_done: plan.actions.iter().filter(|a| a.done).count(),
                actions: plan.actions.len(),
                overdue: plan
                    .actions
                    .iter()
                    .filter(|a| is_overdue(a.due, a.done, today))
                    .count(),
            })
            .collect();
        let reps_without_plan = reps
            .iter()
            .filter(|r| r.active && !ctx.model.coaching.iter().any(|plan| plan.rep == r.id))
            .map(|r| person_link(ctx, &r.id))
            .collect();
        groups.insert(
            manager.id.clone(),
            TeamGroup {
                manager: person_link(ctx, &manager.id),
                team: manager.team.clone().unwrap_or_default(),
                plans,
                reps_without_plan,
                delivered: delivered_view(ctx, manager),
                reps: rep_sessions(ctx, reps, today),
            },
        );
    }
    #[derive(Serialize)]
    struct Index {
        teams: Vec<TeamGroup>,
        as_of: Option<String>,
        plans: usize,
        period_label: Option<String>,
        max_days_between: u32,
    }
    let index = Index {
        plans: ctx.model.coaching.len(),
        teams: groups.into_values().collect(),
        as_of: today.map(format::date),
        period_label: ctx.model.latest_period().map(|p| p.label()),
        max_days_between: ctx.model.site.coaching_max_days_between,
    };
    Page::new(
        "coaching/",
        "coaching-index.html",
        "Coaching",
        "coaching",
        &index,
    )
    .crumbs(&[("Dashboard", ""), ("Coaching", "coaching/")])
}

/// A team's coaching delivered in the latest period.
fn delivered_view(ctx: &Ctx, manager: &crate::model::Person) -> DeliveredView {
    let f = &ctx.format;
    let delivered = ctx
        .model
        .latest_period()
        .map(|p| dashboard::coaching_delivered(ctx, Scope::Team(manager), p))
        .unwrap_or_default();
    DeliveredView {
        reps_coached: f.value(
            Unit::Rate,
            delivered.reps_coached(),
            "No reps with figures in the period",
        ),
        coached: delivered.coached,
        reps: delivered.reps,
        sessions_per_rep: match delivered.sessions_per_rep() {
            Some(per) => Cell::text(format::fixed(per, 1)),
            None => Cell::undefined("No reps with figures in the period"),
        },
        last: delivered.last.map(format::date),
        days_since_last: days_cell(delivered.days_since_last()),
    }
}

/// "12 days", or a dash when there was no session.
fn days_cell(days: Option<i64>) -> Cell {
    match days {
        Some(1) => Cell::text("1 day"),
        Some(days) => Cell::text(format!("{days} days")),
        None => Cell::undefined("No coaching session yet"),
    }
}

/// Each active rep's sessions in the latest period and the days since
/// their last one as of its end, flagged past `coaching.max_days_between`.
fn rep_sessions(
    ctx: &Ctx,
    reps: &[&crate::model::Person],
    as_of: Option<Date>,
) -> Vec<RepSessions> {
    let (Some(period), Some(as_of)) = (ctx.model.latest_period(), as_of) else {
        return Vec::new();
    };
    let first = period.first_day(ctx.model.site.calendar);
    let most = i64::from(ctx.model.site.coaching_max_days_between);
    reps.iter()
        .filter(|r| r.active)
        .map(|rep| {
            let sessions = ctx.org().sessions(&rep.id);
            let days = crate::metrics::days_since_last_session(sessions, as_of);
            let last = sessions.iter().copied().filter(|&d| d <= as_of).max();
            let flagged = days.is_none_or(|days| days > most);
            RepSessions {
                rep: person_link(ctx, &rep.id),
                sessions: crate::metrics::sessions_between(sessions, first, as_of),
                // A flagged rep's days are in the flag.
                last: match last {
                    Some(date) => Cell::text(format::date(date))
                        .with_detail((!flagged).then(|| days_cell(days).text)),
                    None => Cell::undefined("No coaching session yet"),
                },
                days_since: days,
                flagged,
            }
        })
        .collect()
}

fn plan_page(ctx: &Ctx, plan: &CoachingPlan) -> Page {
    let today = as_of(ctx);
    {
        let rep = person_link(ctx, &plan.rep);
        let path = coaching_path(&plan.rep, plan.period);
        let title = format!("Coaching plan: {} — {}", rep.name, plan.period.label());
        let view = PlanView {
            coach: ctx
                .model
                .people
                .contains_key(&plan.coach)
                .then(|| person_link(ctx, &plan.coach)),
            period_label: plan.period.label(),
            status: plan.status.label(),
            status_class: status_class(plan),
            as_of: today.map(format::date),
            assessment: plan
                .assessment
                .iter()
                .map(|(skill, rating)| (crate::text::sentence_case(skill), *rating))
                .collect(),
            goals: goals(ctx, plan),
            actions: plan
                .actions
                .iter()
                .map(|a| ActionView {
                    what: a.what.clone(),
                    due: a.due.map(format::date),
                    done: a.done,
                    overdue: is_overdue(a.due, a.done, today),
                })
                .collect(),
            sessions: plan
                .sessions
                .iter()
                .map(|s| SessionView {
                    date: format::date(s.date),
                    notes: s.notes.clone(),
                })
                .collect(),
            outcome: plan.outcome.clone(),
            body: ctx.html(&plan.body.file),
            charts: vec![
                crate::render::charts::coaching::skills(plan, "chart-skills", "Skills assessment"),
                crate::render::charts::coaching::goals(ctx, plan, "chart-goals", "Goal progress"),
            ],
            rep,
        };
        Page::new(path.clone(), "coaching.html", title, "coaching", &view).crumbs(&[
            ("Dashboard", ""),
            ("Coaching", "coaching/"),
            (&view_name(plan, ctx), &path),
        ])
    }
}

/// "Rep name — period": how a plan is named in links and breadcrumbs.
pub(super) fn view_name(plan: &CoachingPlan, ctx: &Ctx) -> String {
    format!(
        "{} — {}",
        person_link(ctx, &plan.rep).name,
        plan.period.label()
    )
}

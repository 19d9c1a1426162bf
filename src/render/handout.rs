//! Render stage: what a rep's page adds for its printed 1:1 handout — the
//! open actions, the last sessions and room for notes — and which of the
//! history table's columns carry data anywhere in the site. Entries:
//! [`handout`], [`data_columns`].

use super::Ctx;
use super::coaching::{as_of, is_overdue};
use crate::format;
use crate::model::{Model, Person};
use jiff::civil::Date;
use serde::Serialize;

/// How many sessions a handout lists: the ones a 1:1 picks up from.
const LAST_SESSIONS: usize = 4;

/// The coaching part of a rep's printed handout (managers' build only).
#[derive(Debug, Clone, Serialize)]
pub(super) struct Handout {
    /// The running plan's actions not yet done, overdue first, then by due date.
    pub actions: Vec<ActionRow>,
    /// Actions of the running plan already done.
    pub actions_done: usize,
    /// The newest sessions, from the coaching log and the rep's plans, newest first.
    pub sessions: Vec<SessionRow>,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct ActionRow {
    pub what: String,
    pub due: Option<String>,
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct SessionRow {
    pub date: String,
    /// "One-on-one", "Call review", … for a logged session; "Plan session"
    /// for one recorded in a coaching plan.
    pub kind: &'static str,
    pub notes: Option<String>,
}

/// The handout's actions and sessions; `None` outside the managers' build,
/// where coaching material is left out.
pub(super) fn handout(ctx: &Ctx, person: &Person) -> Option<Handout> {
    if !ctx.managers() {
        return None;
    }
    let today = as_of(ctx);
    let plan = super::people::current_plan(ctx, person);
    let mut actions: Vec<(bool, Option<Date>, ActionRow)> = plan
        .iter()
        .flat_map(|plan| plan.actions.iter())
        .filter(|action| !action.done)
        .map(|action| {
            let overdue = is_overdue(action.due, action.done, today);
            let row = ActionRow {
                what: action.what.clone(),
                due: action.due.map(format::date),
                overdue,
            };
            (!overdue, action.due, row)
        })
        .collect();
    actions.sort_by_key(|(not_overdue, due, _)| (*not_overdue, due.is_none(), *due));
    let mut sessions: Vec<(Date, SessionRow)> = ctx
        .model
        .coaching_log
        .iter()
        .filter(|entry| entry.rep == person.id)
        .map(|entry| {
            let row = SessionRow {
                date: format::date(entry.date),
                kind: entry.kind.label(),
                notes: entry.notes.clone(),
            };
            (entry.date, row)
        })
        .chain(
            ctx.model
                .coaching
                .iter()
                .filter(|plan| plan.rep == person.id)
                .flat_map(|plan| plan.sessions.iter())
                .map(|session| {
                    let row = SessionRow {
                        date: format::date(session.date),
                        kind: "Plan session",
                        notes: Some(session.notes.clone()).filter(|n| !n.is_empty()),
                    };
                    (session.date, row)
                }),
        )
        .collect();
    // Newest first; a stable sort keeps the log's entry before the plan's on the same day.
    sessions.sort_by_key(|(date, _)| std::cmp::Reverse(*date));
    Some(Handout {
        actions: actions.into_iter().map(|(_, _, row)| row).collect(),
        actions_done: plan.map_or(0, |p| p.actions.iter().filter(|a| a.done).count()),
        sessions: sessions
            .into_iter()
            .take(LAST_SESSIONS)
            .map(|(_, row)| row)
            .collect(),
    })
}

/// Which of the optional columns of a rep page's history and of the
/// dashboards' teams and trend tables have a value for any rep in any
/// period of the site: a column empty everywhere is left out, so the
/// tables fit a desktop screen. Counts what was given, not what could be derived
/// from it (a win rate needs deals won or lost).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DataColumns {
    /// Won, lost, win rate and average deal.
    pub deals: bool,
    /// Pipeline and coverage.
    pub pipeline: bool,
    /// Forecast, forecast accuracy and forecast error.
    pub forecast: bool,
    pub cycle_days: bool,
    pub opportunities_created: bool,
    pub documentation: bool,
    pub calls: bool,
    pub emails: bool,
    pub meetings: bool,
    pub demos: bool,
    /// Whether any activity column is shown (the Activity table).
    pub activity: bool,
    /// Whether any manager submitted a team forecast: the dashboards'
    /// forecast columns have data even when no rep gave their own.
    pub team_forecasts: bool,
}

/// The history columns with data anywhere in the site.
pub(super) fn data_columns(model: &Model) -> DataColumns {
    let mut c = DataColumns::default();
    for fig in model.performance.reps.values().flat_map(|p| p.values()) {
        c.deals |= fig.deals_won.is_some() || fig.deals_lost.is_some();
        c.pipeline |= fig.pipeline.is_some();
        c.forecast |= fig.forecast.is_some();
        c.cycle_days |= fig.cycle_days.is_some();
        c.opportunities_created |= fig.opportunities_created.is_some();
        c.documentation |= fig.documentation.is_some();
        if let Some(a) = &fig.activities {
            c.calls |= a.calls.is_some();
            c.emails |= a.emails.is_some();
            c.meetings |= a.meetings.is_some();
            c.demos |= a.demos.is_some();
        }
    }
    c.activity = c.calls || c.emails || c.meetings || c.demos;
    c.team_forecasts = !model.performance.team_forecasts.is_empty();
    c
}

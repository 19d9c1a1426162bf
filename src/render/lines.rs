//! Render stage: reporting lines on people's pages — a person's moves, and
//! who was on a team in each period. Entries: [`moves`], [`roster`].

use super::site::{period_path, person_path};
use super::{Ctx, Link};
use crate::format;
use crate::model::{Person, Role};
use crate::vocab::period::Period;
use serde::Serialize;
use std::collections::BTreeSet;

/// One reporting line on a person's page.
#[derive(Debug, Clone, Serialize)]
pub struct LineView {
    /// First day (`8 Jan 2024`); none for a person without `lines:` or `start:`.
    pub from: Option<String>,
    /// Last day: the day before the next line, or the person's `end`.
    pub until: Option<String>,
    pub manager: Option<Link>,
    pub team: Option<String>,
    /// The periods whose figures count for this line's team (`Q2 2025 to
    /// Q2 2026`); empty when the person has none then.
    pub periods: String,
}

/// A person's reporting lines, oldest first — empty unless they moved or
/// left (`lines:` or `end:`), since `manager` and `team` then say it all.
pub fn moves(ctx: &Ctx, person: &Person) -> Vec<LineView> {
    if person.lines.is_empty() && person.end.is_none() {
        return Vec::new();
    }
    let model = ctx.model;
    // Which line each period with the person's figures rolls up by.
    let own: Vec<(Period, Option<usize>)> = model
        .periods
        .iter()
        .filter(|&&p| model.figures(&person.id, p).is_some())
        .map(|&p| {
            let line = person.line_on(model.roll_up_date(p));
            (
                p,
                line.and_then(|l| person.lines.iter().position(|x| x == l)),
            )
        })
        .collect();
    let span = |index: Option<usize>| {
        let periods: Vec<Period> = own
            .iter()
            .filter(|(_, at)| *at == index)
            .map(|(p, _)| *p)
            .collect();
        match (periods.first(), periods.last()) {
            (Some(first), Some(last)) if first == last => first.label(),
            (Some(first), Some(last)) => format!("{} to {}", first.label(), last.label()),
            _ => String::new(),
        }
    };
    let end = person.end.map(format::date);
    if person.lines.is_empty() {
        return vec![LineView {
            from: person.start.map(format::date),
            until: end,
            manager: person.manager.as_deref().and_then(|m| ctx.person_link(m)),
            team: person.team.clone(),
            periods: span(None),
        }];
    }
    person
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let until = match person.lines.get(index + 1) {
                Some(next) => next.from.yesterday().ok().map(format::date),
                None => end.clone(),
            };
            LineView {
                from: Some(format::date(line.from)),
                until,
                manager: ctx.person_link(&line.manager),
                team: line.team.clone(),
                periods: span(Some(index)),
            }
        })
        .collect()
}

/// Who was on a team in one period.
#[derive(Debug, Clone, Serialize)]
pub struct RosterRow {
    pub period_label: String,
    pub path: String,
    /// The reps below the team's head on the period's roll-up day who were
    /// with the company in it, in name order.
    pub reps: Vec<Member>,
    /// How many of them have figures for the period: the team's figures
    /// are their sums.
    pub with_figures: usize,
    /// Against the period before: who joined and who left, and how.
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub name: String,
    pub path: String,
    /// Whether the rep has figures for the period.
    pub figures: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub name: String,
    pub path: String,
    /// `joined`, `joined from East`, `moved to West`, `left the company`.
    pub what: String,
}

/// The reps on `head`'s team in each period with figures, newest first.
pub fn roster(ctx: &Ctx, head: &Person) -> Vec<RosterRow> {
    let model = ctx.model;
    let site = &model.site;
    let on_team = |period: Period| -> Vec<&Person> {
        let (first, last) = (
            period.first_day(site.calendar),
            period.last_day(site.calendar),
        );
        ctx.org()
            .reps_under(&head.id, period)
            .iter()
            .copied()
            .filter(|r| {
                model.figures(&r.id, period).is_some() || r.with_company_between(first, last)
            })
            .collect()
    };
    let mut rows = Vec::new();
    let mut before: Option<(Period, BTreeSet<&str>)> = None;
    for &period in &model.periods {
        let reps = on_team(period);
        let ids: BTreeSet<&str> = reps.iter().map(|r| r.id.as_str()).collect();
        let day = model.roll_up_date(period);
        let mut changes = Vec::new();
        if let Some((previous, was)) = &before {
            let then = model.roll_up_date(*previous);
            for rep in reps.iter().filter(|r| !was.contains(r.id.as_str())) {
                let from = rep
                    .team_on(then)
                    .filter(|team| rep.team_on(day) != Some(team))
                    .filter(|_| {
                        rep.start.is_none_or(|start| start <= then)
                            && rep.manager_on(then).is_some()
                    });
                changes.push(change(
                    rep,
                    match from {
                        Some(team) => format!("joined from {team}"),
                        None => "joined".into(),
                    },
                ));
            }
            for id in was.iter().filter(|id| !ids.contains(*id)) {
                let Some(rep) = model.people.get(*id) else {
                    continue;
                };
                let what = match (rep.end, rep.team_on(day)) {
                    (Some(end), _) if end <= day => "left the company".to_string(),
                    (_, Some(team)) => format!("moved to {team}"),
                    (_, None) => "moved".to_string(),
                };
                changes.push(change(rep, what));
            }
        }
        if !reps.is_empty() {
            let mut members: Vec<Member> = reps
                .iter()
                .map(|r| Member {
                    name: r.name.clone(),
                    path: person_path(&r.id),
                    figures: model.figures(&r.id, period).is_some(),
                })
                .collect();
            members.sort_by(|a, b| a.name.cmp(&b.name));
            rows.push(RosterRow {
                period_label: period.label(),
                path: period_path(period),
                with_figures: members.iter().filter(|m| m.figures).count(),
                reps: members,
                changes,
            });
        }
        before = Some((period, ids));
    }
    rows.reverse();
    rows
}

fn change(rep: &Person, what: String) -> Change {
    Change {
        name: rep.name.clone(),
        path: person_path(&rep.id),
        what,
    }
}

/// A team head's direct reports in a period (today's without figures):
/// those reporting to them on its roll-up day who were with the company.
pub fn direct_reports(ctx: &Ctx, head: &Person, period: Option<Period>) -> Vec<Link> {
    let people = match period {
        Some(period) => {
            let site = &ctx.model.site;
            let (first, last) = (
                period.first_day(site.calendar),
                period.last_day(site.calendar),
            );
            ctx.org()
                .direct_reports(&head.id, period)
                .iter()
                .filter(|p| {
                    (p.role == Role::Rep && ctx.model.figures(&p.id, period).is_some())
                        || p.with_company_between(first, last)
                })
                .copied()
                .collect::<Vec<_>>()
        }
        None => ctx.org().direct_reports_now(&head.id).to_vec(),
    };
    people
        .iter()
        .filter_map(|p| ctx.person_link(&p.id))
        .collect()
}

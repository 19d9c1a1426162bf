//! `bullpen diff`: a person who moved team or left, and which periods'
//! figures now count for another team. Entry: [`moves`].

use super::{FieldChange, PersonChange};
use crate::format::{self, Formatter};
use crate::metrics;
use crate::model::{Model, Person, Role};
use crate::rollup::Org;
use crate::vocab::period::Period;
use jiff::civil::Date;
use std::collections::BTreeSet;

/// The periods (of either revision) whose figures `before` → `after`
/// rolls up to another manager, with that manager before and after.
fn moved_periods<'m>(
    base: &'m Model,
    head: &'m Model,
    before: &'m Person,
    after: &'m Person,
) -> Vec<(Period, Option<&'m str>, Option<&'m str>)> {
    let periods: BTreeSet<Period> = base.periods.iter().chain(&head.periods).copied().collect();
    periods
        .into_iter()
        .filter_map(|p| {
            let old = before.manager_on(base.roll_up_date(p));
            let new = after.manager_on(head.roll_up_date(p));
            (old != new).then_some((p, old, new))
        })
        .collect()
}

/// A team's name for a message: the person's team on the day (today's
/// without one), else their manager's name.
fn team_name(model: &Model, person: &Person, day: Option<Date>, manager: Option<&str>) -> String {
    let team = match day {
        Some(day) => person.team_on(day),
        None => person.team.as_deref(),
    };
    team.map(str::to_string)
        .or_else(|| manager.map(|m| manager_name(model, m)))
        .unwrap_or_else(|| "no team".into())
}

fn manager_name(model: &Model, id: &str) -> String {
    model
        .people
        .get(id)
        .map_or(id.to_string(), |p| p.name.clone())
}

/// `2026-Q3`, `2026-Q3 and 2026-Q4`, `2025-Q2 to 2026-Q3`.
fn span(periods: &[Period]) -> String {
    match periods {
        [] => String::new(),
        [one] => one.to_string(),
        [a, b] => format!("{a} and {b}"),
        [first, .., last] => format!("{first} to {last}"),
    }
}

/// What changed in a person's reporting lines or leaving date, with the
/// team figures each move changes; empty when neither changed.
pub fn moves(base: &Model, head: &Model, before: &Person, after: &Person) -> Vec<PersonChange> {
    let mut changes = Vec::new();
    let change = |text: String, effects: Vec<FieldChange>| PersonChange {
        person: after.id.clone(),
        name: after.name.clone(),
        change: text,
        effects,
    };
    if before.end != after.end {
        changes.push(change(
            match after.end {
                Some(end) => format!("left the company on {end}"),
                None => "no longer has a last day (`end:` removed)".into(),
            },
            Vec::new(),
        ));
    }
    if before.lines == after.lines && before.manager == after.manager && before.team == after.team {
        return changes;
    }
    let moved = moved_periods(base, head, before, after);
    let has_figures = |p: Period| match after.role {
        Role::Rep => base.figures(&after.id, p).is_some() || head.figures(&after.id, p).is_some(),
        // A manager carries their team's figures with them.
        _ => true,
    };
    let (old_manager, new_manager) = match moved.first() {
        Some((_, old, new)) => (*old, *new),
        // Lines rewritten without moving any period: say the current line.
        None => (before.manager.as_deref(), after.manager.as_deref()),
    };
    let first = moved.first().map(|(p, _, _)| *p);
    let mut from = team_name(
        base,
        before,
        first.map(|p| base.roll_up_date(p)),
        old_manager,
    );
    let mut to = team_name(
        head,
        after,
        first.map(|p| head.roll_up_date(p)),
        new_manager,
    );
    if from == to {
        // Another manager in a team of the same name: name the managers.
        if let Some(old) = old_manager {
            from = format!("{from} ({})", manager_name(base, old));
        }
        if let Some(new) = new_manager {
            to = format!("{to} ({})", manager_name(head, new));
        }
    }
    let counted: Vec<Period> = moved
        .iter()
        .map(|(p, _, _)| *p)
        .filter(|&p| has_figures(p))
        .collect();
    // A move in the usual sense adds a line after the one in post before
    // (rather than rewriting history): the head's line before it names
    // the manager the base had.
    let new_line = match first {
        Some(p) => after.line_on(head.roll_up_date(p)),
        None => after.lines.last(),
    }
    .filter(|line| !before.lines.contains(line));
    let is_move = new_line.is_some_and(|line| {
        let at = after.lines.iter().position(|l| l == line).unwrap_or(0);
        at > 0 && Some(after.lines[at - 1].manager.as_str()) == old_manager
    });
    let figures = if counted.is_empty() {
        "no period with figures changes team".to_string()
    } else {
        format!("{} figures now count for {to}", span(&counted))
    };
    let text = match new_line {
        Some(line) if is_move => format!("moved from {from} to {to} on {}: {figures}", line.from),
        _ if after.lines.is_empty() => {
            let mut text =
                format!("moved from {from} to {to} with no date (no `lines:`): {figures}");
            if counted.len() > 1 {
                text.push_str(&format!(
                    "; add `lines:` with the day of the move to keep earlier periods with {from}"
                ));
            }
            text
        }
        _ if counted.is_empty() => {
            "reporting lines changed; no period with figures changes team".into()
        }
        _ => format!("reporting lines changed: {figures} (was {from})"),
    };
    changes.push(change(text, effects(base, head, &moved, &counted)));
    changes
}

/// Each moved period's team figures before → after, for the team left
/// and the team joined.
fn effects(
    base: &Model,
    head: &Model,
    moved: &[(Period, Option<&str>, Option<&str>)],
    counted: &[Period],
) -> Vec<FieldChange> {
    if counted.is_empty() {
        return Vec::new();
    }
    let (org_old, org_new) = (Org::new(base), Org::new(head));
    let money = Formatter::new(&head.site.currency);
    let rate = |v: Option<f64>| v.map(format::percent).unwrap_or_else(|| "—".into());
    let mut effects = Vec::new();
    for (period, old, new) in moved.iter().filter(|(p, _, _)| counted.contains(p)) {
        for manager in [old, new].into_iter().flatten() {
            let team = head
                .people
                .get(*manager)
                .or_else(|| base.people.get(*manager))
                .and_then(|m| m.team.clone())
                .unwrap_or_else(|| manager.to_string());
            let (a, b) = (
                org_old.team(manager, *period),
                org_new.team(manager, *period),
            );
            let show = |f: Option<&crate::vocab::figures::Figures>| {
                f.map(|f| money.money(f.closed_won))
                    .unwrap_or_else(|| "—".into())
            };
            effects.push(FieldChange {
                field: format!("{period} {team} team closed won"),
                old: show(a),
                new: show(b),
            });
            effects.push(FieldChange {
                field: format!("{period} {team} team attainment"),
                old: rate(a.and_then(metrics::team_attainment)),
                new: rate(b.and_then(metrics::team_attainment)),
            });
        }
    }
    effects.retain(|e| e.old != e.new);
    effects
}

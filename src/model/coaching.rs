//! Model stage: coaching plans — the rep, coach and period, the
//! assessment, goals, actions and sessions. Entry: [`coaching`].

use super::bounds;
use super::build::{Known, date, markdown_text, period, period_of_name, unknown_person};
use super::*;
use crate::error::{Diagnostic, Position};
use crate::load::raw::*;
use crate::load::{Content, Located, PageDoc};
use crate::metrics::Metric;
use crate::text::closest;
use std::collections::BTreeMap;

pub(super) fn coaching(
    content: &Content,
    site: &Site,
    people: &BTreeMap<PersonId, Person>,
    playbooks: &[Playbook],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<CoachingPlan> {
    let known = KnownNames {
        ids: Known::new(people, &content.broken_people),
        people,
        playbooks,
        playbook_paths: playbooks.iter().map(|p| p.file_path.as_str()).collect(),
    };
    let mut plans: Vec<CoachingPlan> = content
        .coaching
        .iter()
        .filter_map(|doc| plan(doc, site, &known, diagnostics))
        .collect();
    plans.sort_by(|a, b| (&a.rep, a.period).cmp(&(&b.rep, b.period)));
    plans
}

/// What a plan's names are checked against: people and playbooks.
struct KnownNames<'a> {
    ids: Known<'a>,
    people: &'a BTreeMap<PersonId, Person>,
    playbooks: &'a [Playbook],
    playbook_paths: std::collections::HashSet<&'a str>,
}

/// One plan, validated; `None` when anything in it is wrong (each problem
/// is in `diagnostics`).
fn plan(
    PageDoc { path, doc }: &PageDoc<RawCoaching>,
    site: &Site,
    known: &KnownNames,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<CoachingPlan> {
    let meta = &doc.meta;
    let raw = &meta.value;
    let before = diagnostics.len();
    let (rep, plan_period) = rep_and_period(meta, path, site, known, diagnostics);
    let assessment = assessment(meta, diagnostics);
    let goals = goals(meta, known, diagnostics);
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
        return None;
    }
    Some(CoachingPlan {
        rep,
        coach: raw.coach.clone(),
        period: plan_period?,
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
    })
}

/// The plan's rep, checked against its folder and the people, its coach,
/// and its period, checked against its file name (`coaching/<rep>/<period>.md`).
fn rep_and_period(
    meta: &Located<RawCoaching>,
    path: &str,
    site: &Site,
    known: &KnownNames,
    diagnostics: &mut Vec<Diagnostic>,
) -> (PersonId, Option<Period>) {
    let raw = &meta.value;
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
    match known.people.get(&rep) {
        None => diagnostics.extend(unknown_person(
            meta.spot(),
            &["rep"],
            &rep,
            &known.ids,
            "the rep",
        )),
        Some(person) if person.role != Role::Rep => diagnostics.push(meta.error(
            &["rep"],
            format!(
                "`{rep}` is a {}; coaching plans are for reps",
                person.role.label().to_lowercase()
            ),
        )),
        Some(_) => {}
    }
    if !known.people.contains_key(&raw.coach) {
        diagnostics.extend(unknown_person(
            meta.spot(),
            &["coach"],
            &raw.coach,
            &known.ids,
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
    let plan_period = match &raw.period {
        Some(_) => period(meta.spot(), &["period"], &period_text, site, diagnostics),
        None => period_of_name(
            meta.spot(),
            None,
            "file name",
            &period_text,
            site,
            diagnostics,
        ),
    };
    (rep, plan_period)
}

/// Each skill's rating, 1 to 5.
fn assessment(meta: &Located<RawCoaching>, diagnostics: &mut Vec<Diagnostic>) -> Vec<(String, u8)> {
    let mut assessment = Vec::new();
    for (skill, rating) in &meta.value.assessment {
        match u8::try_from(*rating) {
            Ok(rating @ 1..=5) => assessment.push((skill.clone(), rating)),
            _ => diagnostics.push(meta.error(
                &["assessment", skill],
                format!("the rating of `{skill}` is {rating}; expected 1 to 5"),
            )),
        }
    }
    assessment
}

/// The plan's goals: each a metric to move or a skill to show.
fn goals(
    meta: &Located<RawCoaching>,
    known: &KnownNames,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Goal> {
    let mut goals = Vec::new();
    for (index, goal) in meta.value.goals.iter().enumerate() {
        let due = goal
            .due
            .as_deref()
            .and_then(|text| date(meta, &["goals"], text, diagnostics));
        let number = index + 1;
        match (&goal.metric, &goal.skill) {
            (Some(metric), None) => {
                goals.extend(metric_goal(meta, number, metric, goal, due, diagnostics));
            }
            (None, Some(skill)) => {
                if let Some(playbook) = &goal.playbook
                    && !known.playbook_paths.contains(playbook.as_str())
                {
                    let mut diagnostic = goal_error(meta, playbook, format!(
                        "goal {number}: `{playbook}` is not a playbook; expected a path under content/playbooks/ without .md"
                    ));
                    if let Some(near) = closest(playbook, known.playbooks.iter().map(|p| p.file_path.as_str())) {
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
    goals
}

/// A metric goal: a known metric, with a baseline and a target in its range.
fn metric_goal(
    meta: &Located<RawCoaching>,
    number: usize,
    metric: &str,
    goal: &RawGoal,
    due: Option<jiff::civil::Date>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Goal> {
    let Some((parsed, range)) = Metric::parse(metric).and_then(|m| Some((m, m.range()?))) else {
        let names: Vec<&str> = Metric::trackable().map(Metric::name).collect();
        let mut diagnostic = goal_error(
            meta,
            metric,
            format!(
                "goal {number}: `{metric}` is not a metric; expected one of {}",
                names.join(", ")
            ),
        );
        if let Some(near) = closest(metric, names.iter().copied()) {
            diagnostic = diagnostic.with_help(format!("did you mean `{near}`?"));
        }
        diagnostics.push(diagnostic);
        return None;
    };
    let (Some(baseline), Some(target)) = (goal.baseline, goal.target) else {
        diagnostics.push(goal_error(
            meta,
            metric,
            format!("goal {number} (`{metric}`) needs a numeric `baseline:` and `target:`"),
        ));
        return None;
    };
    let (low, high, unit) = (range.low, range.high, range.reads);
    let mut inside = true;
    for (field, value) in [("baseline", baseline), ("target", target)] {
        if !(low..=high).contains(&value) {
            inside = false;
            let position = goal_field(meta, metric, field);
            diagnostics.push(Diagnostic::error(&meta.file, format!(
                "goal {number}: the {field} of `{metric}` is {}; expected {} to {} ({unit})",
                bounds::number(value), bounds::number(low), bounds::number(high)
            )).at(position.or(meta.locate(&["goals"]))));
        }
    }
    inside.then_some(Goal::Metric {
        metric: parsed,
        baseline,
        target,
        due,
    })
}

/// Where `field` of the goal naming `metric` is: the first line after the
/// metric's own that gives it.
fn goal_field<T>(meta: &Located<T>, metric: &str, field: &str) -> Option<Position> {
    let lines: Vec<&str> = meta.yaml.lines().collect();
    let start = lines.iter().position(|line| line.contains(metric))?;
    let needle = format!("{field}:");
    lines
        .iter()
        .enumerate()
        .skip(start)
        .find_map(|(index, line)| {
            let column = line.find(&needle)? + needle.len();
            let value = line[column..].len() - line[column..].trim_start().len();
            Some(Position {
                line: index + meta.yaml_line,
                column: column + value + 1,
            })
        })
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

//! Render stage: a coaching plan's goals with their progress, shared by
//! the rep page and the plan page. Entry: [`goals`].

use super::site::playbook_path;
use super::{Ctx, Link};
use crate::format::{self, Cell};
use crate::metrics::{self, Unit};
use crate::model::{CoachingPlan, Goal};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub(super) struct GoalView {
    label: String,
    baseline: String,
    current: Cell,
    target: String,
    /// Whole percent of the way from baseline to target; below 0 when the
    /// metric moved away from the target.
    progress: Option<i64>,
    /// The bar's filled share, 0 to 100.
    progress_width: u32,
    /// The metric moved away from the target.
    backwards: bool,
    progress_text: Cell,
    due: Option<String>,
    skill: bool,
    evidence: Option<String>,
    playbook: Option<Link>,
}

/// Each goal with its progress: a metric goal against the rep's figures in
/// the plan's period (or the latest before it).
pub(super) fn goals(ctx: &Ctx, plan: &CoachingPlan) -> Vec<GoalView> {
    let f = &ctx.format;
    let model = ctx.model;
    let figures = model
        .periods
        .iter()
        .rev()
        .filter(|&&p| p <= plan.period)
        .find_map(|&p| model.figures(&plan.rep, p));
    plan.goals
        .iter()
        .map(|goal| match goal {
            Goal::Metric {
                metric,
                baseline,
                target,
                due,
            } => {
                let current = figures.and_then(|fig| metric.value(fig));
                let progress = metrics::goal_progress(*baseline, *target, current);
                let show = |v: f64| f.value(metric.unit(), Some(v), "").text;
                GoalView {
                    label: metric.label().to_string(),
                    baseline: show(*baseline),
                    current: f.value(
                        metric.unit(),
                        current,
                        "No figures for this metric in the plan's period",
                    ),
                    target: show(*target),
                    progress: progress.and_then(|p| format::fixed(p * 100.0, 0).parse().ok()),
                    progress_width: progress
                        .map_or(0, |p| (p.clamp(0.0, 1.0) * 100.0).round() as u32),
                    backwards: progress.is_some_and(|p| p < 0.0),
                    progress_text: f.value(
                        Unit::Rate,
                        progress,
                        "Progress needs a current value and a target different from the baseline",
                    ),
                    due: due.map(format::date),
                    skill: false,
                    evidence: None,
                    playbook: None,
                }
            }
            Goal::Skill {
                skill,
                playbook,
                evidence,
                due,
            } => GoalView {
                label: skill.clone(),
                baseline: String::new(),
                current: Cell::text(""),
                target: String::new(),
                progress: None,
                progress_width: 0,
                backwards: false,
                progress_text: Cell::text(""),
                due: due.map(format::date),
                skill: true,
                evidence: evidence.clone(),
                playbook: playbook.as_ref().and_then(|path| {
                    let found = model.playbooks.iter().find(|p| &p.file_path == path)?;
                    ctx.audience.may_see(found.visibility).then(|| Link {
                        name: found.title.clone(),
                        path: playbook_path(&found.path),
                    })
                }),
            },
        })
        .collect()
}

/// The playbook paths of a plan's skill goals that name one.
pub(super) fn skill_playbooks(plan: &CoachingPlan) -> impl Iterator<Item = &str> {
    plan.goals.iter().filter_map(|goal| match goal {
        Goal::Skill {
            playbook: Some(path),
            ..
        } => Some(path.as_str()),
        _ => None,
    })
}

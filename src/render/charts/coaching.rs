//! Render stage, charts: a coaching plan's charts — the skills assessment
//! and each metric goal's progress. Entry: [`skills`], [`goals`].

use super::catalog::{caption, show};
use super::{Category, Chart, Line, Table, palette};
use crate::format;
use crate::metrics::{self, Unit};
use crate::model::{CoachingPlan, Goal};
use crate::render::Ctx;

/// A coaching plan's skills assessment, 1 to 5 per skill.
pub fn skills(plan: &CoachingPlan, id: &str, title: &str) -> Chart {
    let categories: Vec<Category> = plan
        .assessment
        .iter()
        .map(|(skill, rating)| Category {
            label: crate::text::sentence_case(skill),
            value: Some(f64::from(*rating)),
            text: format!("{rating} of 5"),
            missing: None,
            color: if *rating >= 4 {
                palette::BLUE
            } else if *rating == 3 {
                palette::AMBER
            } else {
                palette::VERMILLION
            },
        })
        .collect();
    let table = Table {
        headers: vec!["Skill".into(), "Rating (1–5)".into()],
        rows: plan
            .assessment
            .iter()
            .map(|(s, r)| vec![crate::text::sentence_case(s), r.to_string()])
            .collect(),
    };
    let mut caption = caption(
        id,
        title,
        format!(
            "Skills assessment for {}, each skill rated from 1 to 5.",
            plan.period.label()
        ),
        table,
    );
    caption.legend = vec![
        (palette::BLUE, "4–5 strength".into()),
        (palette::AMBER, "3 developing".into()),
        (palette::VERMILLION, "1–2 focus".into()),
    ];
    if categories.is_empty() {
        return super::failed(caption, "No skills assessed in this plan.");
    }
    super::bars(caption, Unit::Count, "", &categories, None, Some(5.0))
}

/// Each metric goal's progress from baseline to target, with its due date.
pub fn goals(ctx: &Ctx, plan: &CoachingPlan, id: &str, title: &str) -> Chart {
    let f = &ctx.format;
    let current_figures = ctx
        .model
        .periods
        .iter()
        .rev()
        .filter(|&&p| p <= plan.period)
        .find_map(|&p| ctx.model.figures(&plan.rep, p));
    let mut categories = Vec::new();
    let mut rows = Vec::new();
    let mut moved_away = Vec::new();
    for goal in &plan.goals {
        let Goal::Metric {
            metric,
            baseline,
            target,
            due,
        } = goal
        else {
            continue;
        };
        let current = current_figures.and_then(|fig| metric.value(fig));
        let progress = metrics::goal_progress(*baseline, *target, current);
        if let Some(p) = progress.filter(|p| *p < 0.0) {
            moved_away.push(format!(
                "{} moved away from its target: {} of the way",
                metric.label(),
                format::whole_percent(p)
            ));
        }
        let due_short = due.map(|d| {
            format::date(d)
                .rsplit_once(' ')
                .map(|(day_month, _)| day_month.to_string())
                .unwrap_or_default()
        });
        let due = due
            .map(format::date)
            .map(|d| format!(" · due {d}"))
            .unwrap_or_default();
        categories.push(Category {
            // The due date rides in the label; baseline → current → target beside the bar.
            label: match &due_short {
                Some(day_month) => format!("{} · {day_month}", metric.short_label()),
                None => metric.label().to_string(),
            },
            value: progress,
            text: format!(
                "{} → {} → {}",
                show(f, metric.unit(), Some(*baseline)),
                show(f, metric.unit(), current),
                show(f, metric.unit(), Some(*target))
            ),
            missing: Some(if current.is_none() {
                "no current value yet".into()
            } else {
                "the target equals the baseline".into()
            }),
            color: match progress {
                Some(p) if p >= 1.0 => palette::BLUE,
                // Moved away from the target: no bar, and the value in a warning colour.
                Some(p) if p < 0.0 => palette::VERMILLION,
                _ => palette::GREEN,
            },
        });
        rows.push(vec![
            metric.label().to_string(),
            show(f, metric.unit(), Some(*baseline)),
            show(f, metric.unit(), current),
            show(f, metric.unit(), Some(*target)),
            progress
                .map(|p| match p < 0.0 {
                    true => format!("{} (moved away)", format::whole_percent(p)),
                    false => format::whole_percent(p),
                })
                .unwrap_or_else(|| "—".into()),
            due.trim_start_matches(" · due ").to_string(),
        ]);
    }
    let table = Table {
        headers: vec![
            "Goal".into(),
            "Baseline".into(),
            "Current".into(),
            "Target".into(),
            "Progress".into(),
            "Due".into(),
        ],
        rows,
    };
    let steps: Vec<String> = table
        .rows
        .iter()
        .map(|r| format!("{}: {} → {} → {}", r[0], r[1], r[2], r[3]))
        .collect();
    let desc = format!(
        "Progress of each metric goal from its baseline (0%) to its target (100%). {}.",
        steps.join("; ")
    );
    let mut caption = caption(id, title, desc, table);
    caption.notes.extend(moved_away);
    if categories.is_empty() {
        return super::failed(caption, "This plan has no metric goals.");
    }
    let reference = Some(Line {
        value: 1.0,
        label: "Target".into(),
    });
    super::bars(caption, Unit::Rate, "", &categories, reference, Some(1.05))
}

//! Render stage, charts: how reps spread — the activity funnel and the
//! attainment bands. Entry: [`funnel`], [`distribution`].

use super::catalog::{caption, symbol};
use super::{Category, Chart, Table, palette};
use crate::format;
use crate::metrics::{self, Unit};
use crate::render::Ctx;
use crate::render::dashboard::{self, Scope};
use crate::vocab::period::Period;

/// Calls → meetings → demos → deals won for the scope in a period, with
/// each step's conversion from the one before.
pub fn funnel(ctx: &Ctx, scope: Scope, period: Period, id: &str, title: &str) -> Chart {
    let f = &ctx.format;
    let figures = dashboard::figures(ctx, scope, period);
    let activities = figures.as_ref().and_then(|t| t.activities);
    let steps = [
        ("Calls", activities.and_then(|a| a.calls)),
        ("Meetings", activities.and_then(|a| a.meetings)),
        ("Demos", activities.and_then(|a| a.demos)),
        ("Deals won", figures.as_ref().and_then(|t| t.deals_won)),
    ];
    let mut previous: Option<u32> = None;
    let mut categories = Vec::new();
    let mut rows = Vec::new();
    for (label, value) in steps {
        let conversion = match (previous, value) {
            (Some(before), Some(now)) if before > 0 => Some(format!(
                "{} of {}",
                format::percent(f64::from(now) / f64::from(before)),
                previous_label(label)
            )),
            _ => None,
        };
        let text = match (value, &conversion) {
            (Some(v), Some(c)) => format!("{} ({c})", format::thousands(u64::from(v))),
            (Some(v), None) => format::thousands(u64::from(v)),
            (None, _) => String::new(),
        };
        categories.push(Category {
            label: label.into(),
            value: value.map(f64::from),
            text: text.clone(),
            missing: Some("not given".into()),
            color: palette::BLUE,
        });
        rows.push(vec![
            label.to_string(),
            value
                .map(|v| format::thousands(u64::from(v)))
                .unwrap_or_else(|| "—".into()),
            conversion.unwrap_or_default(),
        ]);
        previous = value;
    }
    let table = Table {
        headers: vec!["Step".into(), "Count".into(), "Conversion".into()],
        rows,
    };
    let caption = caption(
        id,
        title,
        format!(
            "The activity funnel for {}: calls, meetings, demos and deals won.",
            period.label()
        ),
        table,
    );
    super::bars(caption, Unit::Count, &symbol(f), &categories, None, None)
}

fn previous_label(step: &str) -> &'static str {
    match step {
        "Meetings" => "calls",
        "Demos" => "meetings",
        _ => "demos",
    }
}

/// How many reps of the scope fall in each attainment band in a period.
pub fn distribution(ctx: &Ctx, scope: Scope, period: Period, id: &str, title: &str) -> Chart {
    let f = &ctx.format;
    let attainments: Vec<f64> = dashboard::reps(ctx, scope, period)
        .into_iter()
        .filter_map(|r| ctx.model.figures(&r.id, period))
        .filter_map(|fig| metrics::attainment(fig.closed_won, fig.quota))
        .collect();
    let bands = [
        (
            "At or above 100%",
            palette::BLUE,
            attainments.iter().filter(|a| **a >= 1.0).count(),
        ),
        (
            "70–100%",
            palette::AMBER,
            attainments
                .iter()
                .filter(|a| (0.7..1.0).contains(*a))
                .count(),
        ),
        (
            "Below 70%",
            palette::VERMILLION,
            attainments.iter().filter(|a| **a < 0.7).count(),
        ),
    ];
    let total = attainments.len();
    let categories: Vec<Category> = bands
        .iter()
        .map(|(label, color, count)| Category {
            label: label.to_string(),
            value: Some(*count as f64),
            text: if total > 0 {
                format!(
                    "{count} ({})",
                    format::percent(*count as f64 / total as f64)
                )
            } else {
                "0".into()
            },
            missing: None,
            color: *color,
        })
        .collect();
    let table = Table {
        headers: vec!["Band".into(), "Reps".into()],
        rows: bands
            .iter()
            .map(|(label, _, count)| vec![label.to_string(), count.to_string()])
            .collect(),
    };
    let mut caption = caption(
        id,
        title,
        format!(
            "How many of {total} reps reached each share of quota in {}.",
            period.label()
        ),
        table,
    );
    caption.legend = super::BAND_LEGEND
        .iter()
        .map(|(c, l)| (*c, l.to_string()))
        .collect();
    super::bars(caption, Unit::Count, &symbol(f), &categories, None, None)
}

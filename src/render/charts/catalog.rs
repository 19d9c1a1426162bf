//! Render stage, charts: every chart Bullpen draws, built from the model
//! for a scope (the organisation, a team or a rep) and periods.

use super::{Caption, Category, Chart, Line, Points, Table, palette};
use crate::format::Formatter;
use crate::metrics::{Metric, Unit};
use crate::render::Ctx;
use crate::render::dashboard::{self, Scope};
use crate::vocab::figures::Figures;
use crate::vocab::period::Period;

/// The symbol axis labels use for money (`$`, `€`, `CHF `).
pub fn symbol(format: &Formatter) -> String {
    format
        .money(crate::vocab::money::Money::ZERO)
        .trim_end_matches('0')
        .to_string()
}

/// An amount as axis labels write it: `$1.2M`, `$470k`.
pub fn compact(format: &Formatter, amount: crate::vocab::money::Money) -> String {
    super::axis_format(Unit::Money, &symbol(format))(amount.as_major())
}

pub(crate) fn caption<'a>(id: &'a str, title: &'a str, desc: String, table: Table) -> Caption<'a> {
    Caption {
        id,
        title,
        desc,
        legend: Vec::new(),
        notes: Vec::new(),
        table,
    }
}

pub(super) fn show(format: &Formatter, unit: Unit, value: Option<f64>) -> String {
    format.value(unit, value, "").text
}

/// A metric's value for a record as text, `—` when undefined.
fn text(format: &Formatter, metric: Metric, figures: &Figures) -> String {
    format.of(metric, figures).text
}

/// The reference line a metric is judged against, if any.
fn reference(metric: Metric) -> Option<Line> {
    metric.def().benchmark.map(|benchmark| Line {
        value: benchmark.value,
        label: benchmark.label.into(),
    })
}

/// A metric for each rep of the scope in a period, best first; attainment
/// bars are coloured by band with a 100% line.
pub fn by_rep(
    ctx: &Ctx,
    scope: Scope,
    metric: Metric,
    period: Period,
    id: &str,
    title: &str,
) -> Chart {
    let mut rows: Vec<(String, Option<f64>)> = dashboard::reps(ctx, scope, period)
        .into_iter()
        .filter_map(|rep| {
            ctx.model
                .figures(&rep.id, period)
                .map(|fig| (rep.name.clone(), metric.value(fig)))
        })
        .collect();
    rows.sort_by(|a, b| {
        b.1.unwrap_or(f64::MIN)
            .total_cmp(&a.1.unwrap_or(f64::MIN))
            .then_with(|| a.0.cmp(&b.0))
    });
    let desc = if rows.len() > BY_REP_LIMIT {
        let desc = format!(
            "{} by rep for {}: the {BY_REP_LIMIT} highest of {} reps.",
            metric.label(),
            period.label(),
            crate::format::thousands(rows.len() as u64)
        );
        rows.truncate(BY_REP_LIMIT);
        desc
    } else {
        format!(
            "{} by rep for {}, highest first, {} reps.",
            metric.label(),
            period.label(),
            rows.len()
        )
    };
    metric_bars(ctx, metric, "Rep", &rows, desc, id, title)
}

/// The most bars a by-rep chart draws: beyond this a chart is unreadable,
/// so a large organisation's chart shows its highest reps (the leaderboard
/// table lists everyone).
pub const BY_REP_LIMIT: usize = 30;

/// A metric for each team (manager) of the scope in a period.
pub fn by_team(
    ctx: &Ctx,
    scope: Scope,
    metric: Metric,
    period: Period,
    id: &str,
    title: &str,
) -> Chart {
    let day = ctx.model.roll_up_date(period);
    let rows: Vec<(String, Option<f64>)> = dashboard::teams(ctx, scope, period)
        .iter()
        .map(|m| {
            let label = m.team_on(day).unwrap_or(&m.name).to_string();
            (
                label,
                dashboard::figures(ctx, Scope::Team(m), period).and_then(|t| metric.value(&t)),
            )
        })
        .collect();
    let desc = format!("{} by team for {}.", metric.label(), period.label());
    metric_bars(ctx, metric, "Team", &rows, desc, id, title)
}

/// Bars of one metric by category (`header` names the categories).
fn metric_bars(
    ctx: &Ctx,
    metric: Metric,
    header: &str,
    rows: &[(String, Option<f64>)],
    desc: String,
    id: &str,
    title: &str,
) -> Chart {
    let f = &ctx.format;
    let categories: Vec<Category> = rows
        .iter()
        .map(|(label, value)| Category {
            label: label.clone(),
            value: *value,
            text: show(f, metric.unit(), *value),
            missing: Some(metric.def().chart_note.into()),
            // Pace bands as attainment does: on pace for quota is 100%.
            color: if matches!(metric, Metric::Attainment | Metric::Pace) {
                value.map_or(palette::GREY, super::band_color)
            } else {
                palette::BLUE
            },
        })
        .collect();
    let table = Table {
        headers: vec![header.into(), metric.label().into()],
        rows: rows
            .iter()
            .map(|(label, value)| vec![label.clone(), show(f, metric.unit(), *value)])
            .collect(),
    };
    let mut caption = caption(id, title, desc, table);
    if matches!(metric, Metric::Attainment | Metric::Pace) {
        caption.legend = super::BAND_LEGEND
            .iter()
            .map(|(c, l)| (*c, l.to_string()))
            .collect();
    }
    super::bars(
        caption,
        metric.unit(),
        &symbol(f),
        &categories,
        reference(metric),
        None,
    )
}

/// The scope's figures per period.
fn per_period_figures(ctx: &Ctx, scope: Scope, periods: &[Period]) -> Vec<Option<Figures>> {
    periods
        .iter()
        .map(|&p| dashboard::figures(ctx, scope, p))
        .collect()
}

fn labels(periods: &[Period]) -> Vec<String> {
    periods.iter().map(|p| p.label()).collect()
}

/// A metric's value per period, for plotting; `None` where undefined.
fn metric_values(figures: &[Option<Figures>], metric: Metric) -> Vec<Option<f64>> {
    figures
        .iter()
        .map(|t| t.as_ref().and_then(|t| metric.value(t)))
        .collect()
}

/// Closed-won against quota for each period.
pub fn revenue(ctx: &Ctx, scope: Scope, periods: &[Period], id: &str, title: &str) -> Chart {
    let f = &ctx.format;
    let figures = per_period_figures(ctx, scope, periods);
    let columns = [Metric::Quota, Metric::ClosedWon, Metric::Attainment];
    let table = Table {
        headers: std::iter::once("Period".into())
            .chain(columns.map(|m| m.label().into()))
            .collect(),
        rows: periods
            .iter()
            .zip(&figures)
            .map(|(p, t)| match t {
                Some(t) => std::iter::once(p.label())
                    .chain(columns.map(|m| text(f, m, t)))
                    .collect(),
                None => vec![p.label(), "—".into(), "—".into(), "—".into()],
            })
            .collect(),
    };
    let mut caption = caption(
        id,
        title,
        format!(
            "Closed-won revenue against quota for each period from {} to {}.",
            first_label(periods),
            last_label(periods)
        ),
        table,
    );
    let series = [
        (Metric::Quota, palette::GREY),
        (Metric::ClosedWon, palette::BLUE),
    ]
    .map(|(metric, color)| Points {
        name: metric.label().into(),
        color,
        values: metric_values(&figures, metric),
    });
    caption.legend = series.iter().map(|s| (s.color, s.name.clone())).collect();
    // A period in progress is not a result yet: say its bar is to date.
    caption
        .notes
        .extend(figures.iter().zip(periods).filter_map(|(t, p)| {
            let progress = t.as_ref()?.progress?;
            Some(format!(
                "{}: closed won to date, day {} of {} (in progress)",
                p.label(),
                progress.day,
                progress.days
            ))
        }));
    let unit = Metric::ClosedWon.unit();
    super::period_bars(caption, unit, &symbol(f), &labels(periods), &series)
}

fn first_label(periods: &[Period]) -> String {
    periods.first().map(|p| p.label()).unwrap_or_default()
}

fn last_label(periods: &[Period]) -> String {
    periods.last().map(|p| p.label()).unwrap_or_default()
}

/// The forecast against what closed, per period, with the accuracy.
pub fn forecast(ctx: &Ctx, scope: Scope, periods: &[Period], id: &str, title: &str) -> Chart {
    let f = &ctx.format;
    let figures = per_period_figures(ctx, scope, periods);
    let columns = [
        Metric::Forecast,
        Metric::ClosedWon,
        Metric::ForecastAccuracy,
    ];
    // Against the closed-won of the reps the forecast speaks for.
    let actual = |t: &Figures| t.forecast_basis.map_or(t.closed_won, |b| b.closed_won);
    let table = Table {
        headers: std::iter::once("Period".into())
            .chain(columns.map(|m| m.label().into()))
            .collect(),
        rows: periods
            .iter()
            .zip(&figures)
            .map(|(p, t)| match t {
                Some(t) => vec![
                    p.label(),
                    text(f, Metric::Forecast, t),
                    f.money(actual(t)),
                    text(f, Metric::ForecastAccuracy, t),
                ],
                None => vec![p.label(), "—".into(), "—".into(), "—".into()],
            })
            .collect(),
    };
    let accuracy: Vec<String> = periods
        .iter()
        .zip(&figures)
        .filter_map(|(p, t)| {
            let accuracy = Metric::ForecastAccuracy;
            let value = accuracy.of(t.as_ref()?)?;
            Some(format!("{} {}", p.label(), f.text(accuracy.unit(), value)))
        })
        .collect();
    let desc = format!(
        "The committed forecast against closed-won revenue for each period. Forecast accuracy: {}.",
        if accuracy.is_empty() {
            "not available".to_string()
        } else {
            accuracy.join(", ")
        }
    );
    let mut caption = caption(id, title, desc, table);
    if !accuracy.is_empty() {
        caption
            .notes
            .push(format!("Forecast accuracy: {}", accuracy.join(" · ")));
    }
    caption.notes.extend(partial_notes(
        periods,
        &figures,
        |t| t.forecast.and(t.forecast_basis),
        "forecast and closed won",
    ));
    let series = [
        (Metric::Forecast, palette::PURPLE),
        (Metric::ClosedWon, palette::BLUE),
    ]
    .map(|(metric, color)| Points {
        name: metric.label().into(),
        color,
        values: match metric {
            Metric::ClosedWon => figures
                .iter()
                .map(|t| t.as_ref().map(|t| actual(t).as_major()))
                .collect(),
            _ => metric_values(&figures, metric),
        },
    });
    caption.legend = series.iter().map(|s| (s.color, s.name.clone())).collect();
    let unit = Metric::ClosedWon.unit();
    super::period_bars(caption, unit, &symbol(f), &labels(periods), &series)
}

/// A metric's value for each period, with the caption and table both
/// period charts share.
fn metric_over_periods<'a>(
    ctx: &Ctx,
    scope: Scope,
    metric: Metric,
    periods: &[Period],
    id: &'a str,
    title: &'a str,
) -> (Caption<'a>, Vec<Option<f64>>) {
    let f = &ctx.format;
    let figures = per_period_figures(ctx, scope, periods);
    let values = metric_values(&figures, metric);
    let table = Table {
        headers: vec!["Period".into(), metric.label().into()],
        rows: periods
            .iter()
            .zip(&values)
            .map(|(p, v)| vec![p.label(), show(f, metric.unit(), *v)])
            .collect(),
    };
    let desc = format!(
        "{} for each period from {} to {}.",
        metric.label(),
        first_label(periods),
        last_label(periods)
    );
    let mut caption = caption(id, title, desc, table);
    let basis: Option<fn(&Figures) -> Option<crate::vocab::figures::Basis>> = match metric {
        Metric::Coverage => Some(|t| t.pipeline.and(t.pipeline_basis)),
        Metric::ForecastAccuracy => Some(|t| t.forecast.and(t.forecast_basis)),
        _ => None,
    };
    if let Some(basis) = basis {
        caption.notes.extend(partial_notes(
            periods,
            &figures,
            basis,
            &metric.label().to_lowercase(),
        ));
    }
    (caption, values)
}

/// "Q3 2026: pipeline coverage over 3 of 4 reps, those who gave the
/// figure" for each period whose team figure leaves reps out.
fn partial_notes(
    periods: &[Period],
    figures: &[Option<Figures>],
    basis: impl Fn(&Figures) -> Option<crate::vocab::figures::Basis>,
    what: &str,
) -> Vec<String> {
    periods
        .iter()
        .zip(figures)
        .filter_map(|(p, t)| {
            let detail = dashboard::basis_detail(basis(t.as_ref()?))?;
            Some(format!(
                "{}: {what} over {detail}, those who gave the figure",
                p.label()
            ))
        })
        .collect()
}

/// One metric for each period as vertical bars; closed-won is shown
/// against quota.
pub fn per_period(
    ctx: &Ctx,
    scope: Scope,
    metric: Metric,
    periods: &[Period],
    id: &str,
    title: &str,
) -> Chart {
    if metric == Metric::ClosedWon {
        return revenue(ctx, scope, periods, id, title);
    }
    let f = &ctx.format;
    let (mut caption, values) = metric_over_periods(ctx, scope, metric, periods, id, title);
    caption.legend = vec![(palette::BLUE, metric.label().into())];
    let series = [Points {
        name: metric.label().into(),
        color: palette::BLUE,
        values,
    }];
    super::period_bars(
        caption,
        metric.unit(),
        &symbol(f),
        &labels(periods),
        &series,
    )
}

/// One metric over the periods for the scope, as a line.
pub fn trend(
    ctx: &Ctx,
    scope: Scope,
    metric: Metric,
    periods: &[Period],
    id: &str,
    title: &str,
) -> Chart {
    let f = &ctx.format;
    let (caption, values) = metric_over_periods(ctx, scope, metric, periods, id, title);
    let series = [Points {
        name: metric.label().into(),
        color: palette::BLUE,
        values,
    }];
    super::period_lines(
        caption,
        metric.unit(),
        &symbol(f),
        &labels(periods),
        &series,
        reference(metric).into_iter().collect(),
    )
}

/// One line per rep (or per team) of a metric over the periods.
pub fn trend_by(
    ctx: &Ctx,
    scopes: &[(String, Scope)],
    metric: Metric,
    periods: &[Period],
    id: &str,
    title: &str,
) -> Chart {
    let f = &ctx.format;
    let series: Vec<Points> = scopes
        .iter()
        .enumerate()
        .map(|(i, (name, scope))| Points {
            name: name.clone(),
            color: palette::SERIES[i % palette::SERIES.len()],
            values: metric_values(&per_period_figures(ctx, *scope, periods), metric),
        })
        .collect();
    let mut headers = vec!["Period".to_string()];
    headers.extend(series.iter().map(|s| s.name.clone()));
    let table = Table {
        headers,
        rows: periods
            .iter()
            .enumerate()
            .map(|(i, p)| {
                std::iter::once(p.label())
                    .chain(series.iter().map(|s| show(f, metric.unit(), s.values[i])))
                    .collect()
            })
            .collect(),
    };
    let mut caption = caption(
        id,
        title,
        format!(
            "{} for each period, one line each for {}.",
            metric.label(),
            series
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        table,
    );
    caption.legend = series.iter().map(|s| (s.color, s.name.clone())).collect();
    super::period_lines(
        caption,
        metric.unit(),
        &symbol(f),
        &labels(periods),
        &series,
        reference(metric).into_iter().collect(),
    )
}

//! Render stage, charts: a waterfall — from one total to another through
//! the changes between them, each a bar floating from the running total.
//! Entry: [`waterfall`].

use super::draw::{Fit, Result, err, period_axes, text_style};
use super::svg::Svg;
use super::{Caption, Chart, Unit, axis_format, failed, figure, palette};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One bar: its label, and the running total before and after it.
#[derive(Debug, Clone)]
pub struct Step {
    pub label: String,
    pub from: f64,
    pub to: f64,
    /// A total (the first and last bars) rather than a change.
    pub total: bool,
}

/// Draws the steps: totals in blue from zero, rises in green, falls in
/// vermillion, each from where the one before ended.
pub fn waterfall(caption: Caption, symbol: &str, steps: &[Step]) -> Chart {
    if steps.is_empty() {
        return failed(caption, "Nothing to draw.");
    }
    let max = super::draw::axis_max(steps.iter().flat_map(|s| [s.from, s.to]), None, 0.0);
    let format = axis_format(Unit::Money, symbol);
    let drawn = draw(steps, max, &format, Fit::Wide)
        .and_then(|wide| Ok((wide, draw(steps, max, &format, Fit::Narrow)?)));
    match drawn {
        Ok((wide, narrow)) => figure(&wide, &narrow, caption),
        Err(why) => failed(caption, &format!("The chart could not be drawn: {why}")),
    }
}

fn draw(steps: &[Step], max: f64, format: &dyn Fn(f64) -> String, fit: Fit) -> Result<String> {
    // Every bar is labelled (the axes would thin period labels out): the
    // labels are a few letters each, drawn here under their bars.
    let blank: Vec<String> = steps.iter().map(|_| String::new()).collect();
    let mut svg = String::new();
    {
        let root = Svg::new(&mut svg, (fit.width(), 300)).into_drawing_area();
        let mut chart = period_axes(&root, &blank, max, format, fit)?;
        for (i, step) in steps.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
            // On a phone every other label drops a line, so neighbours
            // never overlap.
            let drop = if fit == Fit::Narrow && i % 2 == 1 {
                16
            } else {
                0
            };
            root.draw(&Text::new(
                step.label.clone(),
                (x, y + 8 + drop),
                text_style(Pos::new(HPos::Center, VPos::Top)),
            ))
            .map_err(err)?;
        }
        let gap = 0.18;
        let bars = steps.iter().enumerate().map(|(i, step)| {
            let color = if step.total {
                palette::BLUE
            } else if step.to >= step.from {
                palette::GREEN
            } else {
                palette::VERMILLION
            };
            let (low, high) = (step.from.min(step.to), step.from.max(step.to));
            Rectangle::new(
                [
                    (i as f64 + gap, low.clamp(0.0, max)),
                    (i as f64 + 1.0 - gap, high.clamp(0.0, max)),
                ],
                color.filled(),
            )
        });
        chart.draw_series(bars).map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

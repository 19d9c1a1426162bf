//! Render stage, charts: drawing with plotters into SVG strings. Entry
//! points: [`horizontal_bars`], [`period_bars`], [`period_lines`], each
//! drawn for a [`Fit`]: a wide box, or a phone's width.
//!
//! Every function draws into a string with plotters' SVG backend (no font
//! library: the browser draws the text in the page's font). Axes and text
//! are drawn in a sentinel colour that `finish_svg` turns into
//! `currentColor`, so charts follow the page's light or dark theme.
//! Category and period labels are placed by hand, one per slot, so that
//! they sit under their bars and never overlap.

use super::svg::Svg;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Stands for the page's text colour; replaced by `currentColor`.
pub const INK: RGBColor = RGBColor(1, 2, 3);

/// Marks a line to be drawn dashed in ink: one SVG line with a dash
/// pattern, where plotters' dashed series would write a line per dash.
pub const DASHED: RGBColor = RGBColor(1, 2, 4);

/// Width of a wide chart's coordinate system; the SVG scales to its box.
pub const WIDTH: u32 = 600;
/// Width of a phone chart's coordinate system: at about 360 CSS pixels
/// its labels are drawn near the page's own text size.
pub const NARROW_WIDTH: u32 = 360;

/// The box a chart is drawn for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Half or all of a desktop page.
    Wide,
    /// A phone: fewer labels, names above their bars, the latest periods.
    Narrow,
}

impl Fit {
    pub fn width(self) -> u32 {
        match self {
            Fit::Wide => WIDTH,
            Fit::Narrow => NARROW_WIDTH,
        }
    }

    fn period_label_area(self) -> u32 {
        match self {
            Fit::Wide => PERIOD_LABEL_AREA,
            Fit::Narrow => 62,
        }
    }

    fn period_plot(self) -> f64 {
        f64::from(self.width() - self.period_label_area() - PERIOD_RIGHT)
    }
}

/// How many of the latest periods a phone chart shows: as many as fit
/// with every label written out, six at most.
pub fn narrow_periods(periods: &[String]) -> usize {
    let chars = periods
        .iter()
        .map(|p| {
            label_lines(p, false)
                .iter()
                .map(|l| l.chars().count())
                .max()
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(4);
    let slot = chars as f64 * CHAR_WIDTH + 10.0;
    let fit = (Fit::Narrow.period_plot() / slot).floor().max(1.0) as usize;
    periods.len().min(fit).min(6)
}

/// A period label on one line, or split at its last space onto two
/// (`Q3` over `2026`) when one line would not fit its slot.
fn label_lines(label: &str, one_line: bool) -> Vec<String> {
    match label.rsplit_once(' ') {
        Some((head, tail)) if !one_line => vec![head.to_string(), tail.to_string()],
        _ => vec![label.to_string()],
    }
}
pub const FONT: &str = "sans-serif";
/// Plotters writes font sizes divided by 1.24; this gives about 14.5 units,
/// which stays readable when a chart shrinks to half a wide page.
pub const SMALL: f64 = 18.0;
/// Roughly how wide a character is, in chart units.
const CHAR_WIDTH: f64 = SMALL / 1.24 * 0.6;

/// One bar of a horizontal bar chart.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub color: RGBColor,
    /// The value as shown beside the bar (`104.2%`), or why it is missing.
    pub text: String,
}

/// A named series of values, one per period, `None` where undefined.
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub color: RGBColor,
    pub values: Vec<Option<f64>>,
}

/// A dashed line across the chart at `value`, labelled.
#[derive(Debug, Clone)]
pub struct Reference {
    pub value: f64,
    pub label: String,
}

pub(super) type Result<T> = std::result::Result<T, String>;
type Chart<'a, 'b> = ChartContext<'a, Svg<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

pub(super) fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// The top of the value axis: a little above the largest value (or the
/// reference line), never zero.
pub fn axis_max(values: impl Iterator<Item = f64>, reference: Option<f64>, floor: f64) -> f64 {
    let max = values.chain(reference).fold(floor, f64::max);
    if max <= 0.0 { 1.0 } else { max * 1.12 }
}

fn truncate(label: &str, max_chars: usize) -> String {
    if label.chars().count() <= max_chars.max(2) {
        label.to_string()
    } else {
        let mut short: String = label.chars().take(max_chars - 1).collect();
        short.push('…');
        short
    }
}

pub(super) fn text_style(anchor: Pos) -> TextStyle<'static> {
    (FONT, SMALL).into_font().color(&INK).pos(anchor)
}

/// How many value ticks fit along `pixels` without touching.
fn ticks(pixels: f64, per_tick: f64) -> usize {
    ((pixels / per_tick).floor() as usize).clamp(2, 6)
}

/// On a short whole-number scale (a 1–5 rating), one tick per number, so
/// that the scale reads 0 1 2 3 4 5 rather than 0 2 4.
fn whole_ticks(max: f64) -> Option<usize> {
    (max.fract() == 0.0 && (1.0..=6.0).contains(&max)).then_some(max as usize + 1)
}

/// Horizontal bars, one per category, best read for names (reps, skills).
/// `format` writes axis labels. Undefined values get no bar, only their note.
/// Wide, names sit left of their bars; narrow, above them, so a long name
/// never squeezes the bars.
pub fn horizontal_bars(
    bars: &[Bar],
    max: f64,
    reference: Option<&Reference>,
    format: &dyn Fn(f64) -> String,
    fit: Fit,
) -> Result<String> {
    let width = fit.width();
    let narrow = fit == Fit::Narrow;
    let row = if narrow { 50u32 } else { 34 };
    let n = bars.len().max(1);
    let top = if reference.is_some() { 28 } else { 10 };
    let height = top + 40 + row * n as u32;
    let longest_label = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0);
    // Wide: room for the longest name, within reason.
    let label_area = if narrow {
        12u32
    } else {
        ((longest_label as f64 + 1.0) * CHAR_WIDTH + 12.0).clamp(80.0, 240.0) as u32
    };
    let label_chars = if narrow {
        ((f64::from(width) - 24.0) / CHAR_WIDTH) as usize
    } else {
        ((f64::from(label_area) - 12.0) / CHAR_WIDTH) as usize
    };
    // Room on the right for the longest value text beside its bar.
    let longest = bars
        .iter()
        .map(|b| b.text.chars().count())
        .max()
        .unwrap_or(0);
    let right = ((longest as f64 + 1.0) * CHAR_WIDTH).clamp(40.0, 200.0) as u32;
    let mut svg = String::new();
    {
        let root = Svg::new(&mut svg, (width, height)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin_right(right)
            .margin_top(top)
            .x_label_area_size(30)
            .y_label_area_size(label_area)
            .build_cartesian_2d(0f64..max, 0f64..n as f64)
            .map_err(err)?;
        let plot = f64::from(width - label_area - right);
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .bold_line_style(INK.mix(0.12))
            .light_line_style(TRANSPARENT)
            .max_light_lines(0)
            .axis_style(INK.mix(0.6))
            .x_labels(whole_ticks(max).unwrap_or_else(|| ticks(plot, 64.0)))
            .x_label_formatter(&|v| format(*v))
            .label_style((FONT, SMALL).into_font().color(&INK))
            .draw()
            .map_err(err)?;
        for (index, bar) in bars.iter().enumerate() {
            // The first bar at the top; narrow, its lower part, under the name.
            let slot = (n - 1 - index) as f64;
            let (low, high) = if narrow { (0.08, 0.52) } else { (0.15, 0.85) };
            let end = bar.value.unwrap_or(0.0).clamp(0.0, max);
            if bar.value.is_some() {
                let rect =
                    Rectangle::new([(0.0, slot + low), (end, slot + high)], bar.color.filled());
                chart.draw_series(std::iter::once(rect)).map_err(err)?;
            }
            if narrow {
                let (x, y) = chart.backend_coord(&(0.0, slot + 0.96));
                root.draw(&Text::new(
                    truncate(&bar.label, label_chars),
                    (x + 4, y),
                    text_style(Pos::new(HPos::Left, VPos::Top)),
                ))
                .map_err(err)?;
            } else {
                let (x, y) = chart.backend_coord(&(0.0, slot + 0.5));
                root.draw(&Text::new(
                    truncate(&bar.label, label_chars),
                    (x - 8, y),
                    text_style(Pos::new(HPos::Right, VPos::Center)),
                ))
                .map_err(err)?;
            }
            let (x, y) = chart.backend_coord(&(end, slot + (low + high) / 2.0));
            root.draw(&Text::new(
                bar.text.clone(),
                (x + 5, y),
                text_style(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(err)?;
        }
        if let Some(reference) = reference {
            let line = LineSeries::new(
                [(reference.value, 0.0), (reference.value, n as f64)],
                DASHED.mix(0.7).stroke_width(2),
            );
            chart.draw_series(line).map_err(err)?;
            let (x, y) = chart.backend_coord(&(reference.value, n as f64));
            // Anchored so that the whole label stays inside the chart.
            let half = reference.label.chars().count() as f64 * CHAR_WIDTH / 2.0;
            let anchor = if f64::from(x) + half > f64::from(width) - 4.0 {
                HPos::Right
            } else if f64::from(x) - half < 4.0 {
                HPos::Left
            } else {
                HPos::Center
            };
            root.draw(&Text::new(
                reference.label.clone(),
                (x, y - 6),
                text_style(Pos::new(anchor, VPos::Bottom)),
            ))
            .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Every how many periods a label is shown so that labels never overlap,
/// however many periods there are.
pub fn label_step(periods: usize, label_chars: usize, plot_width: f64) -> usize {
    let label_width = label_chars as f64 * CHAR_WIDTH + 10.0;
    let fit = (plot_width / label_width).floor().max(1.0) as usize;
    periods.div_ceil(fit).max(1)
}

const PERIOD_LABEL_AREA: u32 = 84;
const PERIOD_RIGHT: u32 = 20;

/// Axes for a chart over periods: one slot per period on x, values on y.
/// Period labels go on one line when every one fits its slot, else on two
/// (`Q3` over `2026`), and thin out only when even that would overlap.
pub(super) fn period_axes<'a, 'b>(
    root: &'a DrawingArea<Svg<'b>, Shift>,
    periods: &[String],
    max: f64,
    format: &dyn Fn(f64) -> String,
    fit: Fit,
) -> Result<Chart<'a, 'b>> {
    let n = periods.len().max(1);
    let plot = fit.period_plot();
    let widest = |one_line: bool| {
        periods
            .iter()
            .flat_map(|p| label_lines(p, one_line))
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(7)
    };
    let one_line = label_step(periods.len(), widest(true), plot) == 1;
    let step = label_step(periods.len(), widest(one_line), plot);
    let mut chart = ChartBuilder::on(root)
        .margin_right(PERIOD_RIGHT)
        .margin_top(16)
        .x_label_area_size(if one_line { 40 } else { 58 })
        .y_label_area_size(fit.period_label_area())
        .build_cartesian_2d(0f64..n as f64, 0f64..max)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .bold_line_style(INK.mix(0.12))
        .light_line_style(TRANSPARENT)
        .max_light_lines(0)
        .axis_style(INK.mix(0.6))
        .y_labels(if fit == Fit::Narrow { 5 } else { 6 })
        .y_label_formatter(&|v| format(*v))
        .label_style((FONT, SMALL).into_font().color(&INK))
        .draw()
        .map_err(err)?;
    // Label the latest period always; step back from it.
    let labels = periods
        .iter()
        .enumerate()
        .filter(|(i, _)| (periods.len() - 1 - i).is_multiple_of(step));
    for (i, label) in labels {
        let (x, y) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
        for (line, text) in label_lines(label, one_line).into_iter().enumerate() {
            root.draw(&Text::new(
                text,
                (x, y + 8 + 18 * line as i32),
                text_style(Pos::new(HPos::Center, VPos::Top)),
            ))
            .map_err(err)?;
        }
    }
    Ok(chart)
}

/// Grouped vertical bars per period (closed-won against quota; forecast
/// against actual). An undefined value leaves its slot empty.
pub fn period_bars(
    periods: &[String],
    series: &[Series],
    max: f64,
    format: &dyn Fn(f64) -> String,
    fit: Fit,
) -> Result<String> {
    let mut svg = String::new();
    {
        let root = Svg::new(&mut svg, (fit.width(), 300)).into_drawing_area();
        let mut chart = period_axes(&root, periods, max, format, fit)?;
        // Each period's slot is split between the series, with a gap at each side.
        let gap = if periods.len() <= 2 { 0.3 } else { 0.16 };
        let width = (1.0 - 2.0 * gap) / series.len().max(1) as f64;
        for (s, one) in series.iter().enumerate() {
            let bars = one.values.iter().enumerate().filter_map(|(i, v)| {
                let left = i as f64 + gap + width * s as f64;
                Some(Rectangle::new(
                    [(left, 0.0), (left + width, (*v)?.clamp(0.0, max))],
                    one.color.filled(),
                ))
            });
            chart.draw_series(bars).map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Lines over the periods, broken where a value is undefined, with dots
/// on every defined point and an optional dashed reference line.
pub fn period_lines(
    periods: &[String],
    series: &[Series],
    max: f64,
    references: &[Reference],
    format: &dyn Fn(f64) -> String,
    fit: Fit,
) -> Result<String> {
    let mut svg = String::new();
    {
        let root = Svg::new(&mut svg, (fit.width(), 300)).into_drawing_area();
        let mut chart = period_axes(&root, periods, max, format, fit)?;
        let n = periods.len().max(1) as f64;
        for (index, reference) in references.iter().enumerate() {
            chart
                .draw_series(LineSeries::new(
                    [(0.0, reference.value), (n, reference.value)],
                    DASHED.mix(0.7).stroke_width(2),
                ))
                .map_err(err)?;
            // The first label sits at the left end, the next at the right,
            // so two lines close together keep their labels apart; each on
            // the side of its line away from the data at that end, so it
            // never sits on the line it explains.
            let (at, anchor, shift, end) = if index % 2 == 0 {
                (0.0, HPos::Left, 6, 0)
            } else {
                (n, HPos::Right, -6, periods.len().saturating_sub(1))
            };
            let near = series
                .iter()
                .filter_map(|s| s.values.get(end).copied().flatten())
                .fold(None, |acc: Option<f64>, v| {
                    Some(acc.map_or(v, |a| a.max(v)))
                });
            let below = near.is_some_and(|v| v > reference.value && reference.value > max * 0.12);
            let (x, y) = chart.backend_coord(&(at, reference.value));
            let (dy, vpos) = if below {
                (4, VPos::Top)
            } else {
                (-4, VPos::Bottom)
            };
            root.draw(&Text::new(
                reference.label.clone(),
                (x + shift, y + dy),
                text_style(Pos::new(anchor, vpos)),
            ))
            .map_err(err)?;
        }
        for one in series {
            // Consecutive defined points form one segment; a gap breaks the line.
            let mut segments: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
            for (i, value) in one.values.iter().enumerate() {
                match value {
                    Some(v) => segments
                        .last_mut()
                        .expect("one segment at least")
                        .push((i as f64 + 0.5, v.clamp(0.0, max))),
                    None => segments.push(Vec::new()),
                }
            }
            for points in segments.into_iter().filter(|s| !s.is_empty()) {
                chart
                    .draw_series(LineSeries::new(points.clone(), one.color.stroke_width(3)))
                    .map_err(err)?;
                chart
                    .draw_series(
                        points
                            .into_iter()
                            .map(|p| Circle::new(p, 4, one.color.filled())),
                    )
                    .map_err(err)?;
            }
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_labels_thin_out_so_they_never_overlap() {
        let plot = Fit::Wide.period_plot();
        // Seven periods keep every label, on two lines (`Q3` over `2026`).
        assert_eq!(label_step(7, 4, plot), 1);
        let step = label_step(24, 7, plot);
        assert!(step >= 2);
        // Labels shown, times their width, fit the plot.
        let shown = 24usize.div_ceil(step);
        assert!(shown as f64 * (7.0 * CHAR_WIDTH + 10.0) <= plot);
    }

    #[test]
    fn a_phone_chart_keeps_the_latest_periods_with_every_label() {
        let periods: Vec<String> = (1..=10)
            .map(|q| format!("Q{} 20{}", q % 4 + 1, 20 + q / 4))
            .collect();
        let shown = narrow_periods(&periods);
        assert!((4..=6).contains(&shown), "{shown}");
        let last = &periods[periods.len() - shown..];
        let widest = last
            .iter()
            .flat_map(|p| label_lines(p, false))
            .map(|l| l.chars().count())
            .max()
            .unwrap();
        assert_eq!(label_step(shown, widest, Fit::Narrow.period_plot()), 1);
    }

    #[test]
    fn a_rating_scale_has_a_tick_per_point() {
        assert_eq!(whole_ticks(5.0), Some(6));
        assert_eq!(whole_ticks(1.05), None);
        assert_eq!(whole_ticks(120_000.0), None);
    }

    #[test]
    fn a_reference_label_stays_inside_a_narrow_chart() {
        let bars = vec![Bar {
            label: "Sofia Marquez".into(),
            value: Some(1.3),
            color: INK,
            text: "130.0%".into(),
        }];
        let reference = Reference {
            value: 1.0,
            label: "100% of quota".into(),
        };
        let svg = horizontal_bars(
            &bars,
            1.4,
            Some(&reference),
            &|v| format!("{v}"),
            Fit::Narrow,
        )
        .unwrap();
        assert!(svg.contains("100% of quota"));
        assert!(svg.contains("Sofia Marquez"));
        assert!(svg.contains("viewBox=\"0 0 360 "), "{svg}");
    }
}

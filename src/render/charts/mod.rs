//! Render stage, charts: accessible inline SVG figures. Entry points: the
//! chart functions below, each taking the data to show and returning a
//! [`Chart`] for the theme's `partials/chart.html`; [`spec`] turns
//! ```` ```chart ```` blocks into them.
//!
//! A chart is an `<svg role="img">` with a `<title>` and `<desc>`, a
//! legend where colours carry meaning, notes for undefined values (drawn
//! as gaps, never as zero), and the numbers as a table; the theme lays
//! them out.

pub mod activity;
pub mod catalog;
pub mod coaching;
pub mod draw;
pub mod spec;
mod svg;
pub mod waterfall;

use crate::metrics::Unit;
use crate::text::escape_markup as escape;
use draw::{Bar, Reference, Series};
use plotters::style::RGBColor;
use serde::Serialize;

/// Colour-blind-safe colours (after Okabe and Ito), each with at least 3:1
/// contrast against the theme's light (#fff, #f5f7fa) and dark (#11151c,
/// #1a2029) backgrounds.
pub mod palette {
    use plotters::style::RGBColor;
    pub const BLUE: RGBColor = RGBColor(0x2A, 0x7F, 0xC0);
    pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
    pub const GREEN: RGBColor = RGBColor(0x0F, 0x8A, 0x66);
    pub const PURPLE: RGBColor = RGBColor(0x8C, 0x6B, 0xB1);
    pub const AMBER: RGBColor = RGBColor(0xA9, 0x74, 0x00);
    pub const GREY: RGBColor = RGBColor(0x7A, 0x7A, 0x7A);
    /// For series that carry no meaning of their own, in order.
    pub const SERIES: [RGBColor; 5] = [BLUE, VERMILLION, GREEN, PURPLE, AMBER];
}

/// Attainment bands: at or above 100%, 70–100%, below 70%.
pub fn band_color(attainment: f64) -> RGBColor {
    if attainment >= 1.0 {
        palette::BLUE
    } else if attainment >= 0.7 {
        palette::AMBER
    } else {
        palette::VERMILLION
    }
}

pub const BAND_LEGEND: [(RGBColor, &str); 3] = [
    (palette::BLUE, "≥ 100% of quota"),
    (palette::AMBER, "70–100%"),
    (palette::VERMILLION, "< 70%"),
];

/// The numbers behind a chart, shown in a table beside it. The first
/// value of a row names it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// What a figure needs besides its SVG.
pub struct Caption<'a> {
    /// Unique on the page: the figure's ids derive from it.
    pub id: &'a str,
    pub title: &'a str,
    /// One or two sentences saying what the chart shows (its `<desc>`).
    pub desc: String,
    pub legend: Vec<(RGBColor, String)>,
    /// Notes on undefined values ("No win rate for Q2 2026: no decided deals").
    pub notes: Vec<String>,
    pub table: Table,
}

/// A chart as the theme's `partials/chart.html` receives it: the drawn
/// SVG and the words and numbers around it (THEMES.md lists the fields).
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub state: State,
    /// The drawn chart when `state` is `Drawn`, else empty: for a wide
    /// box, with the class `chart-wide`.
    pub svg: String,
    /// The same chart drawn for a phone (class `chart-narrow`): the latest
    /// periods only, names above their bars. Empty when not drawn.
    pub narrow_svg: String,
    pub legend: Vec<Swatch>,
    /// Notes on undefined values; when `state` is `Empty`, why nothing
    /// was drawn.
    pub notes: Vec<String>,
    pub table: Table,
}

/// Whether a chart was drawn, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Drawn,
    /// Nothing to draw, or drawing failed: the notes say which.
    Empty,
    /// A coaching chart in the team edition.
    ManagersOnly,
    /// A chart block on a site without figures yet.
    NoFigures,
}

/// A legend entry: a colour (`#2A7FC0`) and what it stands for.
#[derive(Debug, Clone, Serialize)]
pub struct Swatch {
    pub color: String,
    pub label: String,
}

impl Chart {
    /// A chart that is not drawn for `state`, with only its id and title.
    pub fn withheld(id: &str, title: &str, state: State) -> Chart {
        Chart {
            id: id.to_string(),
            title: title.to_string(),
            desc: String::new(),
            state,
            svg: String::new(),
            narrow_svg: String::new(),
            legend: Vec::new(),
            notes: Vec::new(),
            table: Table::default(),
        }
    }
}

fn hex(color: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", color.0, color.1, color.2)
}

/// Makes a drawn SVG fit for inline use: scalable (no fixed size) and
/// labelled for assistive technology. It is in the page's colours already
/// ([`svg::Svg`]).
/// `class` names the box it is drawn for; its ids stay unique on the page.
fn finish_svg(svg: &str, caption: &Caption, fit: draw::Fit) -> String {
    let (class, id) = match fit {
        draw::Fit::Wide => ("chart-wide", caption.id.to_string()),
        draw::Fit::Narrow => ("chart-narrow", format!("{}-narrow", caption.id)),
    };
    let body = svg.find('>').map_or(svg, |end| &svg[end + 1..]);
    let view_box = svg
        .find("viewBox=\"")
        .and_then(|start| {
            svg[start + 9..]
                .find('"')
                .map(|end| &svg[start + 9..start + 9 + end])
        })
        .unwrap_or("0 0 640 300");
    format!(
        "<svg class=\"{class}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"{view_box}\" preserveAspectRatio=\"xMidYMid meet\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{desc}</desc>{body}",
        title = escape(caption.title),
        desc = escape(&caption.desc),
        body = body.trim_start(),
    )
}

/// The drawn chart: the SVG for a wide box and for a phone, its legend,
/// notes and data table.
pub fn figure(svg: &str, narrow: &str, caption: Caption) -> Chart {
    Chart {
        svg: finish_svg(svg, &caption, draw::Fit::Wide),
        narrow_svg: finish_svg(narrow, &caption, draw::Fit::Narrow),
        legend: caption
            .legend
            .iter()
            .map(|(color, label)| Swatch {
                color: hex(*color),
                label: label.clone(),
            })
            .collect(),
        id: caption.id.to_string(),
        title: caption.title.to_string(),
        desc: caption.desc,
        state: State::Drawn,
        notes: caption.notes,
        table: caption.table,
    }
}

/// A chart saying why it could not be drawn (never a blank space).
fn failed(caption: Caption, why: &str) -> Chart {
    Chart {
        state: State::Empty,
        notes: vec![why.to_string()],
        desc: caption.desc,
        table: caption.table,
        ..Chart::withheld(caption.id, caption.title, State::Empty)
    }
}

/// Axis labels: compact money (`$120k`), percentages, multiples.
pub fn axis_format(unit: Unit, currency_symbol: &str) -> impl Fn(f64) -> String + '_ {
    use crate::format::{fixed, multiple, whole_percent};
    move |v: f64| match unit {
        Unit::Rate => whole_percent(v),
        Unit::Multiple => multiple(v),
        Unit::Money => {
            let abs = v.abs();
            if abs >= 1_000_000.0 {
                format!("{currency_symbol}{}M", fixed(v / 1_000_000.0, 1))
            } else if abs >= 1_000.0 {
                format!("{currency_symbol}{}k", fixed(v / 1_000.0, 0))
            } else {
                format!("{currency_symbol}{}", fixed(v, 0))
            }
        }
        // Counts are whole: no tick between two integers.
        Unit::Count if (v - v.round()).abs() > 1e-9 => String::new(),
        Unit::Count => fixed(v, 0),
        Unit::Days => format!("{} d", fixed(v, 0)),
        Unit::SignedRate => crate::format::signed_percent(v),
        Unit::Date => String::new(),
    }
}

/// One category of a bar chart.
#[derive(Debug, Clone)]
pub struct Category {
    pub label: String,
    pub value: Option<f64>,
    /// The value as people read it (`104.2%`, `$98,000`).
    pub text: String,
    /// Why the value is undefined, when it is.
    pub missing: Option<String>,
    pub color: RGBColor,
}

/// Horizontal bars by category, with an optional reference line. The
/// value axis ends a little past the largest value, or at `fixed_max`.
pub fn bars(
    caption: Caption,
    unit: Unit,
    symbol: &str,
    categories: &[Category],
    reference: Option<Reference>,
    fixed_max: Option<f64>,
) -> Chart {
    let mut caption = caption;
    let max = fixed_max.unwrap_or_else(|| {
        draw::axis_max(
            categories.iter().filter_map(|c| c.value),
            reference.as_ref().map(|r| r.value),
            0.0,
        )
    });
    let bars: Vec<Bar> = categories
        .iter()
        .map(|c| Bar {
            label: c.label.clone(),
            value: c.value,
            color: c.color,
            text: if c.value.is_some() {
                c.text.clone()
            } else {
                "no value".into()
            },
        })
        .collect();
    for category in categories.iter().filter(|c| c.value.is_none()) {
        caption.notes.push(format!(
            "No value for {}: {}",
            category.label,
            category.missing.as_deref().unwrap_or("not given")
        ));
    }
    if categories.is_empty() {
        return failed(caption, "No figures to show.");
    }
    let format = axis_format(unit, symbol);
    let draw = |fit| draw::horizontal_bars(&bars, max, reference.as_ref(), &format, fit);
    match draw(draw::Fit::Wide).and_then(|wide| Ok((wide, draw(draw::Fit::Narrow)?))) {
        Ok((wide, narrow)) => figure(&wide, &narrow, caption),
        Err(why) => failed(caption, &format!("The chart could not be drawn: {why}")),
    }
}

/// Vertical bars per period, one per series (closed-won against quota).
pub fn period_bars(
    caption: Caption,
    unit: Unit,
    symbol: &str,
    periods: &[String],
    series: &[Series],
) -> Chart {
    let mut caption = caption;
    gap_notes(&mut caption, periods, series);
    if periods.is_empty() {
        return failed(caption, "No periods with figures yet.");
    }
    let max = draw::axis_max(
        series
            .iter()
            .flat_map(|s| s.values.iter().flatten().copied()),
        None,
        0.0,
    );
    let format = axis_format(unit, symbol);
    let (recent, latest) = latest_periods(periods, series);
    let drawn =
        draw::period_bars(periods, series, max, &format, draw::Fit::Wide).and_then(|wide| {
            let narrow = draw::period_bars(recent, &latest, max, &format, draw::Fit::Narrow)?;
            Ok((wide, narrow))
        });
    match drawn {
        Ok((wide, narrow)) => figure(&wide, &narrow, caption),
        Err(why) => failed(caption, &format!("The chart could not be drawn: {why}")),
    }
}

/// Lines over the periods, broken at undefined values.
pub fn period_lines(
    caption: Caption,
    unit: Unit,
    symbol: &str,
    periods: &[String],
    series: &[Series],
    references: Vec<Reference>,
) -> Chart {
    let mut caption = caption;
    gap_notes(&mut caption, periods, series);
    if periods.is_empty() {
        return failed(caption, "No periods with figures yet.");
    }
    // A rate's axis ends just above its highest value or reference line,
    // not always at 100%, so that movement between periods shows.
    let max = draw::axis_max(
        series
            .iter()
            .flat_map(|s| s.values.iter().flatten().copied()),
        references.iter().map(|r| r.value).reduce(f64::max),
        0.0,
    );
    let format = axis_format(unit, symbol);
    let (recent, latest) = latest_periods(periods, series);
    let drawn = draw::period_lines(periods, series, max, &references, &format, draw::Fit::Wide)
        .and_then(|wide| {
            let narrow = draw::period_lines(
                recent,
                &latest,
                max,
                &references,
                &format,
                draw::Fit::Narrow,
            )?;
            Ok((wide, narrow))
        });
    match drawn {
        Ok((wide, narrow)) => figure(&wide, &narrow, caption),
        Err(why) => failed(caption, &format!("The chart could not be drawn: {why}")),
    }
}

/// The periods a phone chart shows: the latest that fit, and each
/// series cut to them. The data table keeps every period.
fn latest_periods<'p>(periods: &'p [String], series: &[Series]) -> (&'p [String], Vec<Series>) {
    let from = periods.len() - draw::narrow_periods(periods);
    let series = series
        .iter()
        .map(|s| Series {
            values: s.values.get(from..).unwrap_or_default().to_vec(),
            ..s.clone()
        })
        .collect();
    (&periods[from..], series)
}

/// A note per undefined point, so a gap is never mistaken for zero.
fn gap_notes(caption: &mut Caption, periods: &[String], series: &[Series]) {
    for one in series {
        let missing: Vec<&str> = one
            .values
            .iter()
            .zip(periods)
            .filter(|(v, _)| v.is_none())
            .map(|(_, p)| p.as_str())
            .collect();
        if !missing.is_empty() {
            caption.notes.push(format!(
                "{}: no value for {} (shown as a gap)",
                one.name,
                missing.join(", ")
            ));
        }
    }
}

pub use draw::{Reference as Line, Series as Points};

#[cfg(test)]
mod tests {
    use super::*;

    fn luminance(color: RGBColor) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(color.0) + 0.7152 * channel(color.1) + 0.0722 * channel(color.2)
    }

    fn contrast(a: RGBColor, b: RGBColor) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    /// WCAG asks 3:1 for graphics; the theme's backgrounds are in style.css.
    #[test]
    fn every_chart_colour_has_3_to_1_contrast_on_light_and_dark() {
        let backgrounds = [
            RGBColor(0xFF, 0xFF, 0xFF),
            RGBColor(0xF5, 0xF7, 0xFA),
            RGBColor(0x11, 0x15, 0x1C),
            RGBColor(0x1A, 0x20, 0x29),
        ];
        let colours = [
            palette::BLUE,
            palette::VERMILLION,
            palette::GREEN,
            palette::PURPLE,
            palette::AMBER,
            palette::GREY,
        ];
        for colour in colours {
            for background in backgrounds {
                let ratio = contrast(colour, background);
                assert!(
                    ratio >= 3.0,
                    "{} on {}: {ratio:.2}",
                    hex(colour),
                    hex(background)
                );
            }
        }
    }

    #[test]
    fn bands_follow_the_thresholds() {
        assert_eq!(band_color(1.0), palette::BLUE);
        assert_eq!(band_color(0.7), palette::AMBER);
        assert_eq!(band_color(0.6999), palette::VERMILLION);
    }

    #[test]
    fn axis_labels_read_as_money_percent_and_whole_counts() {
        let money = axis_format(Unit::Money, "$");
        assert_eq!(money(1_500_000.0), "$1.5M");
        assert_eq!(money(120_000.0), "$120k");
        assert_eq!(axis_format(Unit::Rate, "")(0.5), "50%");
        assert_eq!(axis_format(Unit::Count, "")(0.5), "");
        assert_eq!(axis_format(Unit::Count, "")(2.0), "2");
    }

    /// The SVG is drawn here and escapes what it shows; the words around
    /// it stay text for the theme's template, which escapes them.
    #[test]
    fn a_figure_escapes_its_svg_and_hands_the_rest_over_as_text() {
        let caption = Caption {
            id: "c",
            title: "<script>alert(1)</script>",
            desc: "a & b".into(),
            legend: vec![(palette::BLUE, "<b>".into())],
            notes: vec!["<i>".into()],
            table: Table {
                headers: vec!["<th>".into()],
                rows: vec![vec!["<td>".into()]],
            },
        };
        let svg = "<svg viewBox=\"0 0 10 10\"></svg>";
        let chart = figure(svg, svg, caption);
        assert_eq!(chart.state, State::Drawn);
        assert!(!chart.svg.contains("<script>"), "{}", chart.svg);
        assert!(chart.svg.contains("<title id=\"c-title\">&lt;script&gt;"));
        assert!(
            chart
                .narrow_svg
                .contains("<title id=\"c-narrow-title\">&lt;script&gt;")
        );
        assert!(chart.svg.contains("<desc id=\"c-desc\">a &amp; b</desc>"));
        assert_eq!(chart.title, "<script>alert(1)</script>");
        assert_eq!(chart.legend[0].color, "#2A7FC0");
        assert_eq!(chart.legend[0].label, "<b>");
        assert_eq!(chart.table.rows, [["<td>"]]);
    }

    #[test]
    fn a_chart_that_cannot_be_drawn_says_why() {
        let caption = Caption {
            id: "c",
            title: "Win rate",
            desc: String::new(),
            legend: Vec::new(),
            notes: vec!["a gap".into()],
            table: Table::default(),
        };
        let chart = period_lines(caption, Unit::Rate, "", &[], &[], Vec::new());
        assert_eq!(chart.state, State::Empty);
        assert_eq!(chart.notes, ["No periods with figures yet."]);
        assert!(chart.svg.is_empty());
    }
}

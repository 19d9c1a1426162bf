//! Model stage: the accepted range of every number a content file can
//! hold, in one table, and the check that applies it. Entry: [`check`].
//!
//! A value outside its range is a typo or a wrong column, not a figure:
//! `cycle_days: 1e308` would print as `inf`, and counts in the billions
//! would overflow a team's sum. Each error names the field, its line and
//! the range. The JSON Schemas carry the same bounds (see `load::raw`).

use crate::error::Diagnostic;
use crate::load::Spot;

pub use crate::vocab::bounds::{MAX_ATTAINMENT, MAX_COUNT, MAX_COVERAGE, MAX_DAYS};

/// One number and its accepted range, inclusive.
pub struct Bound<'a> {
    /// The key path of the value in its file.
    pub path: &'a [&'a str],
    pub value: f64,
    pub low: f64,
    pub high: f64,
    /// What the numbers are (`days`, `a ratio`), for the message.
    pub unit: &'a str,
}

/// An error when `review_every_days` (of a playbook, or of site.yaml's
/// default) is outside 1 to [`MAX_DAYS`].
pub fn check_review_every_days(spot: Spot, days: Option<u32>, diagnostics: &mut Vec<Diagnostic>) {
    if let Some(days) = days {
        check(
            spot,
            &[Bound {
                path: &["review_every_days"],
                value: f64::from(days),
                low: 1.0,
                high: f64::from(MAX_DAYS),
                unit: "days",
            }],
            diagnostics,
        );
    }
}

/// An error for each value outside its range, at the value's line.
pub fn check(spot: Spot, bounds: &[Bound], diagnostics: &mut Vec<Diagnostic>) {
    for bound in bounds {
        let inside = bound.value >= bound.low && bound.value <= bound.high;
        if !inside {
            let field = bound.path.last().copied().unwrap_or("the value");
            diagnostics.push(spot.error(
                bound.path,
                format!(
                    "`{field}` is {}; expected {} to {} ({})",
                    number(bound.value),
                    number(bound.low),
                    number(bound.high),
                    bound.unit
                ),
            ));
        }
    }
}

/// A number as a person writes it: `3650`, `0.35`, `1e308`, never 309 digits.
pub fn number(value: f64) -> String {
    if value.is_finite() && value.abs() < 1e15 {
        format!("{value}")
    } else {
        format!("{value:e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn out_of_range_values_name_their_line_and_the_range() {
        let yaml = "quota: 1\ncycle_days: 1e308\n";
        let spot = Spot {
            file: Path::new("a.yaml"),
            yaml,
            yaml_line: 1,
        };
        let mut diagnostics = Vec::new();
        let bounds = [
            Bound {
                path: &["cycle_days"],
                value: 1e308,
                low: 0.0,
                high: f64::from(MAX_DAYS),
                unit: "days",
            },
            Bound {
                path: &["quota"],
                value: 1.0,
                low: 0.0,
                high: 2.0,
                unit: "a number",
            },
        ];
        check(spot, &bounds, &mut diagnostics);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].line, Some(2));
        assert_eq!(
            diagnostics[0].message,
            "`cycle_days` is 1e308; expected 0 to 3650 (days)"
        );
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(0.35), "0.35");
    }
}

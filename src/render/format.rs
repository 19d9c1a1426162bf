//! Render stage: numbers formatted for people — `$1,234,567`, `81.7%`,
//! `2.3×`, `+5.0 pts`, and `—` with an explanation for undefined values.

use crate::metrics::{Figures, Metric, Unit, Value};
use crate::model::money::Money;
use jiff::civil::Date;
use serde::Serialize;

/// A formatted value for a template: its text, a tooltip explaining an
/// undefined value, and a CSS class (`undefined`, `up`, `down`). Templates
/// also get `html`, the cell ready to show (what the theme's `cell`
/// component draws), made here once rather than by a component call for
/// each of the many thousand cells of a large site.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub note: Option<String>,
    pub class: &'static str,
}

impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut cell = serializer.serialize_struct("Cell", 4)?;
        cell.serialize_field("text", &self.text)?;
        cell.serialize_field("note", &self.note)?;
        cell.serialize_field("class", self.class)?;
        cell.serialize_field("html", &self.html())?;
        cell.end()
    }
}

impl Cell {
    /// The cell as HTML: an undefined value is a dash with its reason on
    /// hover and for screen readers.
    pub fn html(&self) -> String {
        let escape = crate::text::escape_markup;
        let text = escape(&self.text);
        match (&self.note, self.class) {
            (Some(note), _) => {
                let note = escape(note);
                format!(
                    "<span class=\"undefined\" title=\"{note}\">{text}<span class=\"visually-hidden\"> ({note})</span></span>"
                )
            }
            (None, "") => text,
            (None, class) => format!("<span class=\"{class}\">{text}</span>"),
        }
    }

    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            note: None,
            class: "",
        }
    }

    /// `—`, with why the value is undefined shown on hover.
    pub fn undefined(why: &str) -> Cell {
        Cell {
            text: "—".into(),
            note: Some(why.to_string()),
            class: "undefined",
        }
    }
}

/// Formats values in the site's currency.
#[derive(Debug, Clone)]
pub struct Formatter {
    symbol: String,
    /// Whether the symbol follows a space (`CHF 1,200`) or not (`$1,200`).
    spaced: bool,
}

impl Formatter {
    pub fn new(currency: &str) -> Formatter {
        let symbol = match currency {
            "USD" => "$",
            "EUR" => "€",
            "GBP" => "£",
            "JPY" | "CNY" => "¥",
            "INR" => "₹",
            "AUD" => "A$",
            "CAD" => "CA$",
            "NZD" => "NZ$",
            "BRL" => "R$",
            "KRW" => "₩",
            _ => "",
        };
        if symbol.is_empty() {
            Formatter {
                symbol: currency.to_string(),
                spaced: true,
            }
        } else {
            Formatter {
                symbol: symbol.to_string(),
                spaced: false,
            }
        }
    }

    /// `$1,234,567`, rounded to whole units.
    pub fn money(&self, amount: Money) -> String {
        let major = amount.round_major();
        let sign = if major < 0 { "-" } else { "" };
        let space = if self.spaced { " " } else { "" };
        format!(
            "{sign}{}{space}{}",
            self.symbol,
            thousands(major.unsigned_abs())
        )
    }

    pub fn money_cell(&self, amount: Option<Money>, why: &str) -> Cell {
        amount.map_or_else(|| Cell::undefined(why), |m| Cell::text(self.money(m)))
    }

    /// A metric's value for one record, as a cell: `—` with the metric's
    /// own reason when it is undefined.
    pub fn of(&self, metric: Metric, figures: &Figures) -> Cell {
        self.metric(metric, metric.of(figures), metric.def().undefined_because)
    }

    /// A metric's value as a cell, `—` with `why` when it is undefined.
    pub fn metric(&self, metric: Metric, value: Option<Value>, why: &str) -> Cell {
        value.map_or_else(
            || Cell::undefined(why),
            |value| Cell::text(self.text(metric.unit(), value)),
        )
    }

    /// A value in its unit; money exactly.
    pub fn text(&self, unit: Unit, value: Value) -> String {
        match value {
            Value::Money(amount) => self.money(amount),
            other => self.number(unit, other.number()),
        }
    }

    /// A number of any metric unit, as a cell.
    pub fn value(&self, unit: Unit, value: Option<f64>, why: &str) -> Cell {
        let Some(value) = value else {
            return Cell::undefined(why);
        };
        Cell::text(self.number(unit, value))
    }

    /// A number as its unit reads: `81.7%`, `2.3×`, `$98,000`, `1,204`,
    /// `41 days`.
    fn number(&self, unit: Unit, value: f64) -> String {
        match unit {
            Unit::Rate => percent(value),
            Unit::Multiple => multiple(value),
            Unit::Money => self.money(Money::from_major_f64(value)),
            Unit::Count => thousands(value.round() as u64),
            Unit::Days => days(value),
        }
    }

    /// A change against the previous period: points for rates, `×` for
    /// multiples; `up`/`down` class by sign.
    pub fn change(&self, unit: Unit, change: Option<f64>, why: &str) -> Cell {
        let Some(change) = change else {
            return Cell::undefined(why);
        };
        let sign = if change > 0.0 {
            "+"
        } else if change < 0.0 {
            "−"
        } else {
            "±"
        };
        let magnitude = change.abs();
        let text = match unit {
            Unit::Rate => format!("{sign}{:.1} pts", points(magnitude)),
            Unit::Multiple => format!("{sign}{magnitude:.1}×"),
            Unit::Money => format!("{sign}{}", self.money(Money::from_major_f64(magnitude))),
            Unit::Count | Unit::Days => format!("{sign}{magnitude:.0}"),
        };
        let class = if text.starts_with('+') {
            "up"
        } else if text.starts_with('−') {
            "down"
        } else {
            ""
        };
        // A change that rounds to zero reads as no change.
        let text = if text
            .trim_start_matches(['+', '−', '±'])
            .trim_end_matches([' ', 'p', 't', 's', '×'])
            .parse::<f64>()
            == Ok(0.0)
        {
            text.replacen(['+', '−'], "±", 1)
        } else {
            text
        };
        Cell {
            class: if text.starts_with('±') { "" } else { class },
            text,
            note: None,
        }
    }
}

/// `81.7%`.
pub fn percent(ratio: f64) -> String {
    percent_to(ratio, 1)
}

/// A ratio as a percentage with `decimals` decimals: `82%`, `81.7%`.
pub fn percent_to(ratio: f64, decimals: usize) -> String {
    format!("{:.*}%", decimals, points(ratio))
}

/// A ratio in percentage points, 0.817 → 81.7: the one place a ratio is
/// scaled to a percentage.
pub fn points(ratio: f64) -> f64 {
    ratio * 100.0
}

/// `2.3×`.
pub fn multiple(ratio: f64) -> String {
    format!("{ratio:.1}×")
}

/// `41 days`.
pub fn days(days: f64) -> String {
    let rounded = days.round();
    if rounded == 1.0 {
        "1 day".into()
    } else {
        format!("{rounded:.0} days")
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `2026-07-15` → `15 Jul 2026`.
pub fn date(date: Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month() as usize - 1],
        date.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_money_with_symbol_and_separators() {
        let usd = Formatter::new("USD");
        assert_eq!(usd.money(Money::from_major(1_234_567)), "$1,234,567");
        assert_eq!(usd.money(Money::from_minor(-99_950)), "-$1,000");
        assert_eq!(usd.money(Money::ZERO), "$0");
        assert_eq!(
            Formatter::new("CHF").money(Money::from_major(1200)),
            "CHF 1,200"
        );
    }

    #[test]
    fn formats_rates_multiples_and_changes() {
        let f = Formatter::new("USD");
        assert_eq!(percent(0.81666), "81.7%");
        assert_eq!(multiple(2.34), "2.3×");
        assert_eq!(f.change(Unit::Rate, Some(0.05), "").text, "+5.0 pts");
        assert_eq!(f.change(Unit::Rate, Some(-0.123), "").class, "down");
        assert_eq!(f.change(Unit::Rate, Some(-0.123), "").text, "−12.3 pts");
        assert_eq!(f.change(Unit::Multiple, Some(0.3), "").text, "+0.3×");
        assert_eq!(f.change(Unit::Rate, Some(0.0001), "").text, "±0.0 pts");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn undefined_is_a_dash_with_a_reason() {
        let cell = Formatter::new("USD").value(Unit::Rate, None, "No decided deals");
        assert_eq!(cell.text, "—");
        assert_eq!(cell.note.as_deref(), Some("No decided deals"));
    }
}

//! Figures formatted for people — `$1,234,567`, `81.7%`,
//! `2.3×`, `+5.0 pts`, and `—` with an explanation for undefined values.
//!
//! Every shown figure is rounded half away from zero, as spreadsheets do
//! ([`fixed`]): 5/16 shows as 31.3%, where Rust's `{:.1}` gives 31.2%.

use crate::metrics::{Metric, Unit, Value};
use crate::vocab::figures::Figures;
use crate::vocab::money::Money;
use jiff::civil::Date;
use serde::Serialize;
use std::fmt::Write as _;

/// A formatted value for a template: its text, a tooltip explaining an
/// undefined value, and a CSS class, one of [`CLASSES`]. The theme's
/// `partials/cell.html` decides how it looks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub text: String,
    pub note: Option<String>,
    pub class: &'static str,
    /// What the value is measured over, when not the obvious whole: "3 of
    /// 4 reps" for a team figure some reps did not give, "2 ramping".
    pub detail: Option<String>,
}

/// Every class a cell may have: the theme's cell partial is rendered once
/// for each (`render::marks`).
pub const CLASSES: [&str; 5] = ["", "up", "down", "undefined", "ramping"];

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            note: None,
            class: "",
            detail: None,
        }
    }

    /// `—`, with why the value is undefined shown on hover.
    pub fn undefined(why: &str) -> Cell {
        Cell {
            text: "—".into(),
            note: Some(why.to_string()),
            class: "undefined",
            detail: None,
        }
    }

    /// The cell with a detail after a defined value ("3 of 4 reps"); an
    /// undefined value keeps only its reason.
    pub fn with_detail(mut self, detail: Option<String>) -> Cell {
        if self.note.is_none() {
            self.detail = detail;
        }
        self
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
            Value::Date(day) => date(day),
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
            Unit::SignedRate => signed_percent(value),
            // Dates are shown from their `Value`, never from a number.
            Unit::Date => String::new(),
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
            Unit::Rate => format!("{sign}{} pts", scaled(magnitude, 2, 1)),
            Unit::Multiple => format!("{sign}{}×", fixed(magnitude, 1)),
            Unit::Money => format!("{sign}{}", self.money(Money::from_major_f64(magnitude))),
            Unit::Count | Unit::Days | Unit::Date => format!("{sign}{}", fixed(magnitude, 0)),
            Unit::SignedRate => format!("{sign}{} pts", scaled(magnitude, 2, 1)),
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
            detail: None,
        }
    }
}

/// `81.7%`.
pub fn percent(ratio: f64) -> String {
    format!("{}%", scaled(ratio, 2, 1))
}

/// `+8.2%`, `−4.1%`, `±0.0%`: a signed percentage (forecast error,
/// judgement), with a true minus sign.
pub fn signed_percent(ratio: f64) -> String {
    let text = scaled(ratio.abs(), 2, 1);
    let sign = if text.trim_start_matches(['0', '.']).is_empty() {
        "±"
    } else if ratio > 0.0 {
        "+"
    } else {
        "−"
    };
    format!("{sign}{text}%")
}

/// `82%`: a percentage in whole points (goal progress, axis ticks).
pub fn whole_percent(ratio: f64) -> String {
    format!("{}%", scaled(ratio, 2, 0))
}

/// `2.3×`.
pub fn multiple(ratio: f64) -> String {
    format!("{}×", fixed(ratio, 1))
}

/// `value` with `decimals` digits after the point, rounded half away from
/// zero as spreadsheets do: `fixed(2.25, 1)` is `2.3` and `fixed(-2.25, 1)`
/// is `-2.3`, where `format!("{:.1}")` rounds half to even on the binary
/// value (`2.2`). Like a spreadsheet, it reads the value to 15 significant
/// digits first, so `0.0005 * 100` (0.05000000000000000277) and `1.005`
/// (1.00499999999999989) round as written. A value that rounds to zero has
/// no sign.
pub fn fixed(value: f64, decimals: usize) -> String {
    scaled(value, 0, decimals)
}

/// `value × 10^shift`, shifted exactly in decimal (a ratio becomes a
/// percentage without a binary multiplication), then [`fixed`].
pub fn scaled(value: f64, shift: i32, decimals: usize) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    // 15 significant digits, `d.dddddddddddddde±x`, written on the stack:
    // every figure on every page comes through here.
    let mut scientific = Scientific::default();
    write!(scientific, "{:.14e}", value.abs()).expect("32 bytes hold any `{:.14e}`");
    let (mantissa, exponent) = scientific
        .as_str()
        .split_once('e')
        .expect("`{:e}` always writes an exponent");
    let exponent: i64 = exponent.parse().expect("`{:e}` writes a whole exponent");
    let mut significant = [0u8; 15];
    for (slot, byte) in significant
        .iter_mut()
        .zip(mantissa.bytes().filter(u8::is_ascii_digit))
    {
        *slot = byte - b'0';
    }
    let digit = |i: i64| {
        usize::try_from(i)
            .ok()
            .and_then(|i| significant.get(i).copied())
            .unwrap_or(0)
    };
    // The digits kept, those before the point and `decimals` after it,
    // behind enough zeros for a `0.` and one more for a carry.
    let whole = exponent + 1 + i64::from(shift);
    let kept = whole + decimals as i64;
    let count = usize::try_from(kept).unwrap_or(0);
    let padding = (decimals + 1).saturating_sub(count) + 1;
    let mut out: Vec<u8> = Vec::with_capacity(padding + count);
    out.resize(padding, 0);
    out.extend((0..kept.max(0)).map(digit));
    // Half away from zero: the first dropped digit decides, on the magnitude.
    if kept >= 0 && digit(kept) >= 5 {
        for place in out.iter_mut().rev() {
            if *place == 9 {
                *place = 0;
            } else {
                *place += 1;
                break;
            }
        }
    }
    let point = out.len() - decimals;
    let first = out[..point - 1]
        .iter()
        .position(|&d| d != 0)
        .unwrap_or(point - 1);
    let zero = out.iter().all(|&d| d == 0);
    let mut text = String::with_capacity(out.len() - first + 2);
    if value < 0.0 && !zero {
        text.push('-');
    }
    text.extend(out[first..point].iter().map(|&d| char::from(b'0' + d)));
    if decimals > 0 {
        text.push('.');
        text.extend(out[point..].iter().map(|&d| char::from(b'0' + d)));
    }
    text
}

/// A number in scientific notation, written without allocating.
#[derive(Default)]
struct Scientific {
    bytes: [u8; 32],
    len: usize,
}

impl Scientific {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).expect("only ASCII is written")
    }
}

impl std::fmt::Write for Scientific {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        self.bytes
            .get_mut(self.len..end)
            .ok_or(std::fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
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
    use proptest::strategy::Strategy;

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

    /// Half away from zero, as spreadsheets round, where Rust's `{:.1}`
    /// rounds half to even on the binary value.
    #[test]
    fn percentages_round_half_away_from_zero() {
        assert_eq!(percent(5.0 / 16.0), "31.3%");
        assert_eq!(format!("{:.1}%", 5.0 / 16.0 * 100.0), "31.2%");
        assert_eq!(percent(-5.0 / 16.0), "-31.3%");
        assert_eq!(percent(0.0005), "0.1%");
        assert_eq!(percent(-0.0005), "-0.1%");
        assert_eq!(percent(0.00049), "0.0%");
        assert_eq!(percent(-0.00049), "0.0%");
        assert_eq!(percent(1.0005), "100.1%");
        assert_eq!(percent(0.0), "0.0%");
        assert_eq!(percent(1.0), "100.0%");
        assert_eq!(percent(0.99995), "100.0%");
        assert_eq!(percent(12.345), "1234.5%");
        assert_eq!(whole_percent(0.125), "13%");
        assert_eq!(whole_percent(-0.125), "-13%");
        assert_eq!(whole_percent(0.285), "29%");
        assert_eq!(fixed(2.25, 1), "2.3");
        assert_eq!(fixed(-2.25, 1), "-2.3");
        assert_eq!(fixed(1.005, 2), "1.01");
        assert_eq!(fixed(0.05, 1), "0.1");
        assert_eq!(fixed(9.96, 1), "10.0");
        assert_eq!(fixed(-9.96, 1), "-10.0");
        assert_eq!(fixed(0.5, 0), "1");
        assert_eq!(fixed(-0.5, 0), "-1");
        assert_eq!(fixed(2.5, 0), "3");
        assert_eq!(fixed(1234567.891, 2), "1234567.89");
        assert_eq!(fixed(1e-9, 1), "0.0");
        assert_eq!(multiple(2.25), "2.3×");
        let f = Formatter::new("USD");
        assert_eq!(f.change(Unit::Rate, Some(0.0005), "").text, "+0.1 pts");
        assert_eq!(f.change(Unit::Rate, Some(-0.0005), "").text, "−0.1 pts");
        assert_eq!(f.change(Unit::Rate, Some(-0.00049), "").text, "±0.0 pts");
        assert_eq!(f.change(Unit::Multiple, Some(-0.25), "").text, "−0.3×");
        assert_eq!(f.value(Unit::Rate, Some(5.0 / 16.0), "").text, "31.3%");
    }

    #[test]
    fn undefined_is_a_dash_with_a_reason() {
        let cell = Formatter::new("USD").value(Unit::Rate, None, "No decided deals");
        assert_eq!(cell.text, "—");
        assert_eq!(cell.note.as_deref(), Some("No decided deals"));
    }

    /// The rounding written out the long way, with every digit in a vector:
    /// [`scaled`] must agree with it on any value.
    fn reference_scaled(value: f64, shift: i32, decimals: usize) -> String {
        if !value.is_finite() {
            return value.to_string();
        }
        // 15 significant digits: `d.dddddddddddddde±x`.
        let scientific = format!("{:.14e}", value.abs());
        let (mantissa, exponent) = scientific
            .split_once('e')
            .expect("`{:e}` always writes an exponent");
        let exponent: i64 = exponent.parse().expect("`{:e}` writes a whole exponent");
        let digits: Vec<u8> = mantissa
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        // The digits kept: those before the point and `decimals` after it.
        let whole = exponent + 1 + i64::from(shift);
        let kept = whole + decimals as i64;
        let digit = |i: i64| {
            usize::try_from(i)
                .ok()
                .and_then(|i| digits.get(i).copied())
                .unwrap_or(0)
        };
        let mut out: Vec<u8> = (0..kept.max(0)).map(digit).collect();
        // Half away from zero: the first dropped digit decides, on the magnitude.
        if kept >= 0 && digit(kept) >= 5 {
            let mut carry = true;
            for place in out.iter_mut().rev() {
                if *place == 9 {
                    *place = 0;
                } else {
                    *place += 1;
                    carry = false;
                    break;
                }
            }
            if carry {
                out.insert(0, 1);
            }
        }
        while out.len() < decimals + 1 {
            out.insert(0, 0);
        }
        let point = out.len() - decimals;
        let mut text: String = out[..point].iter().map(|d| char::from(b'0' + d)).collect();
        let trimmed = text.trim_start_matches('0');
        text = if trimmed.is_empty() {
            "0".into()
        } else {
            trimmed.to_string()
        };
        if decimals > 0 {
            text.push('.');
            text.extend(out[point..].iter().map(|d| char::from(b'0' + d)));
        }
        let zero = out.iter().all(|&d| d == 0);
        if value < 0.0 && !zero {
            text.insert(0, '-');
        }
        text
    }

    proptest::proptest! {
        #[test]
        fn scaled_agrees_with_the_long_way(
            value in proptest::prop_oneof![
                proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO,
                -1e7f64..1e7,
                (-100_000i64..100_000).prop_map(|n| n as f64 / 1000.0),
            ],
            shift in -3i32..4,
            decimals in 0usize..4,
        ) {
            proptest::prop_assert_eq!(scaled(value, shift, decimals), reference_scaled(value, shift, decimals));
        }
    }
}

//! Exact money: an amount in minor units (cents), never a float.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// The largest amount content may give, in major units: far above any
/// real figure. Sums of such amounts are checked ([`Money::checked_add`]):
/// about 92,000 of them at this size reach the largest sum Bullpen holds.
pub const MAX_MAJOR: i64 = 1_000_000_000_000;

/// Minor units per major unit. Content gives money as plain numbers with at
/// most two decimals (`98000`, `1234.5`).
const MINOR_PER_MAJOR: i64 = 100;

/// An amount of the site's currency, held exactly in minor units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn from_minor(minor: i64) -> Self {
        Money(minor)
    }

    pub fn from_major(major: i64) -> Self {
        Money(major * MINOR_PER_MAJOR)
    }

    pub fn minor(self) -> i64 {
        self.0
    }

    /// The amount in major units as a plain number, for charts and goals,
    /// which hold numbers; sums and exports keep the exact amount.
    pub fn as_major(self) -> f64 {
        self.0 as f64 / MINOR_PER_MAJOR as f64
    }

    /// The amount nearest a plain number of major units (a goal's baseline,
    /// a value on a chart).
    pub fn from_major_f64(major: f64) -> Self {
        Money((major * MINOR_PER_MAJOR as f64).round() as i64)
    }

    /// The largest sum Bullpen holds: every total of money (a rep's deals, a
    /// team, the organisation) must stay at or below it.
    pub const MAX: Money = Money(i64::MAX);

    /// The sum of two amounts; `None` when it would pass [`Money::MAX`] (or
    /// its negative), so that a sum never wraps round to a wrong figure.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// `self − other`; `None` on overflow.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// The sum of every amount; `None` when any partial sum overflows.
    pub fn checked_sum(amounts: impl IntoIterator<Item = Money>) -> Option<Money> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, |sum, amount| sum.checked_add(amount))
    }

    /// How far apart two amounts are, in minor units; never overflows.
    pub fn distance(self, other: Money) -> u64 {
        self.0.abs_diff(other.0)
    }

    /// The amount rounded half away from zero to whole major units.
    pub fn round_major(self) -> i64 {
        let half = i128::from(MINOR_PER_MAJOR / 2);
        let value = i128::from(self.0);
        let rounded = if value >= 0 {
            (value + half) / i128::from(MINOR_PER_MAJOR)
        } else {
            (value - half) / i128::from(MINOR_PER_MAJOR)
        };
        // |self / 100| fits an i64 with room to spare.
        rounded as i64
    }

    /// The ratio of two amounts; `None` when `other` is zero.
    pub fn ratio(self, other: Money) -> Option<f64> {
        (other.0 != 0).then(|| self.0 as f64 / other.0 as f64)
    }

    /// This amount divided by a count, rounded to the nearest minor unit;
    /// `None` when the count is zero.
    pub fn divide(self, count: u64) -> Option<Money> {
        if count == 0 {
            return None;
        }
        let count = i128::from(count);
        let value = i128::from(self.0);
        let rounded = (2 * value + count * value.signum()) / (2 * count);
        Some(Money(rounded as i64))
    }

    /// Parses a decimal written in content (`120000`, `98000.5`, `-3.25`).
    pub fn parse(text: &str) -> Option<Money> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty() || fraction.len() > 2 {
            return None;
        }
        if !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
        if whole > MAX_MAJOR {
            return None;
        }
        let minor = whole.checked_mul(MINOR_PER_MAJOR)?.checked_add(fraction)?;
        Some(Money(if negative { -minor } else { minor }))
    }
}

/// The amount as a plain decimal (`98000`, `1234.50`), as content writes it.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let per = MINOR_PER_MAJOR as u64;
        if abs.is_multiple_of(per) {
            write!(f, "{sign}{}", abs / per)
        } else {
            write!(f, "{sign}{}.{:02}", abs / per, abs % per)
        }
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl schemars::JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "number",
            "minimum": -MAX_MAJOR,
            "maximum": MAX_MAJOR,
            "multipleOf": 0.01,
            "description": "An amount in the site's currency, a plain number with at most two decimals"
        })
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        deserializer.deserialize_any(MoneyVisitor)
    }
}

struct MoneyVisitor;

impl Visitor<'_> for MoneyVisitor {
    type Value = Money;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "an amount of money as a plain number with at most two decimals, like 120000 or 99.50",
        )
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Money, E> {
        if v.unsigned_abs() > MAX_MAJOR.unsigned_abs() {
            return Err(E::custom(format!(
                "the amount {v} is too large; the most Bullpen accepts is {MAX_MAJOR}"
            )));
        }
        Ok(Money(v * MINOR_PER_MAJOR))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Money, E> {
        i64::try_from(v)
            .map_err(|_| E::custom("amount is too large"))
            .and_then(|v| self.visit_i64(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Money, E> {
        // YAML hands decimals over as floats; their shortest decimal text is
        // what the author wrote, so parse that rather than scaling the float.
        Money::parse(&format!("{v}"))
            .ok_or_else(|| E::invalid_value(de::Unexpected::Float(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
        Money::parse(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_decimals_exactly() {
        assert_eq!(Money::parse("120000"), Some(Money::from_major(120000)));
        assert_eq!(Money::parse("0.1"), Some(Money::from_minor(10)));
        assert_eq!(Money::parse("1234.56"), Some(Money::from_minor(123456)));
        assert_eq!(Money::parse("-3.25"), Some(Money::from_minor(-325)));
        assert_eq!(Money::parse("1.234"), None);
        assert_eq!(Money::parse("12a"), None);
        assert_eq!(Money::parse("10000000000000"), None);
        assert!(serde_norway::from_str::<Money>("9223372036854775807").is_err());
        assert_eq!(Money::parse(""), None);
    }

    #[test]
    fn deserializes_yaml_numbers_without_float_error() {
        let m: Money = serde_norway::from_str("0.29").unwrap();
        assert_eq!(m, Money::from_minor(29));
        let sum = Money::checked_sum(
            [0.1, 0.2]
                .iter()
                .map(|v| serde_norway::from_str::<Money>(&v.to_string()).unwrap()),
        );
        assert_eq!(sum, Some(Money::from_minor(30)));
    }

    #[test]
    fn sums_are_checked_and_never_wrap() {
        let largest = Money::from_major(MAX_MAJOR);
        // 100,000 of the largest amounts content may give pass the largest sum.
        assert_eq!(
            Money::checked_sum(std::iter::repeat_n(largest, 100_000)),
            None
        );
        assert_eq!(
            Money::checked_sum(std::iter::repeat_n(largest, 3)),
            Some(Money::from_major(3 * MAX_MAJOR))
        );
        assert_eq!(Money::MAX.checked_add(Money::from_minor(1)), None);
        assert_eq!(Money::MAX.round_major(), i64::MAX / 100);
        assert_eq!(Money::MAX.distance(Money::from_minor(-1)), 1 << 63);
    }

    #[test]
    fn divides_and_rounds_half_away_from_zero() {
        assert_eq!(Money::from_minor(10).divide(4), Some(Money::from_minor(3)));
        assert_eq!(
            Money::from_minor(-10).divide(4),
            Some(Money::from_minor(-3))
        );
        assert_eq!(Money::from_minor(10).divide(0), None);
        assert_eq!(Money::from_minor(150).round_major(), 2);
        assert_eq!(Money::from_minor(149).round_major(), 1);
    }

    #[test]
    fn displays_as_content_writes_it() {
        assert_eq!(Money::from_major(98000).to_string(), "98000");
        assert_eq!(Money::from_minor(123450).to_string(), "1234.50");
        assert_eq!(Money::from_minor(-5).to_string(), "-0.05");
    }
}

//! Periods (`2026-Q3`, `2026-07`): parsing, order, and which dates they hold.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which kind of period a site reports in (`period:` in site.yaml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PeriodKind {
    Quarter,
    Month,
}

impl PeriodKind {
    pub fn example(self) -> &'static str {
        match self {
            PeriodKind::Quarter => "YYYY-Qn, like 2026-Q3",
            PeriodKind::Month => "YYYY-MM, like 2026-07",
        }
    }
}

impl fmt::Display for PeriodKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PeriodKind::Quarter => "quarter",
            PeriodKind::Month => "month",
        })
    }
}

/// The fiscal calendar: the month a fiscal year starts in
/// (`fiscal_year_start`, 1–12) and whether a fiscal year is named after
/// the calendar year it starts in or the one it ends in
/// (`fiscal_year_named_by`). With a start in February and `end`, the year
/// from February 2026 to January 2027 is FY2027 and its first quarter is
/// `2027-Q1`. A January start names a year the same either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Calendar {
    pub start: u8,
    pub named_by_end: bool,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar {
            start: 1,
            named_by_end: false,
        }
    }
}

impl Calendar {
    /// A calendar starting in `start` (clamped to 1–12).
    pub fn new(start: u8, named_by_end: bool) -> Calendar {
        Calendar {
            start: start.clamp(1, 12),
            named_by_end,
        }
    }

    /// How many years a fiscal year's name is ahead of the calendar year
    /// it starts in: 1 when named by its end and not starting in January.
    fn name_offset(self) -> i16 {
        i16::from(self.named_by_end && self.start != 1)
    }

    /// The fiscal year a period belongs to, by its name (`FY2027`). A
    /// month belongs to the fiscal year that holds it.
    pub fn fiscal_year(self, period: Period) -> i16 {
        match period {
            Period::Quarter { year, .. } => year,
            Period::Month { year, month } => {
                let started = if month >= self.start { year } else { year - 1 };
                started + self.name_offset()
            }
        }
    }
}

/// A reporting period. Quarters are fiscal: with `fiscal_year_start: 2`,
/// `2026-Q1` is February to April 2026 (a fiscal year is named after the
/// calendar year it starts in, unless the [`Calendar`] names it by its
/// end). Months are calendar months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Quarter { year: i16, quarter: u8 },
    Month { year: i16, month: u8 },
}

impl Period {
    /// Parses `YYYY-Qn` or `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Period> {
        let (year, rest) = text.split_once('-')?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Years far outside any sales history are typos, and keep date
        // arithmetic at the edges of the calendar out of reach.
        let year: i16 = year.parse().ok().filter(|y| (1900..=2999).contains(y))?;
        if let Some(q) = rest.strip_prefix('Q') {
            let quarter: u8 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
            (q.len() == 1).then_some(Period::Quarter { year, quarter })
        } else {
            let month: u8 = rest.parse().ok().filter(|m| (1..=12).contains(m))?;
            (rest.len() == 2).then_some(Period::Month { year, month })
        }
    }

    pub fn kind(self) -> PeriodKind {
        match self {
            Period::Quarter { .. } => PeriodKind::Quarter,
            Period::Month { .. } => PeriodKind::Month,
        }
    }

    pub fn previous(self) -> Period {
        match self {
            Period::Quarter { year, quarter: 1 } => Period::Quarter {
                year: year - 1,
                quarter: 4,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year,
                quarter: quarter - 1,
            },
            Period::Month { year, month: 1 } => Period::Month {
                year: year - 1,
                month: 12,
            },
            Period::Month { year, month } => Period::Month {
                year,
                month: month - 1,
            },
        }
    }

    pub fn next(self) -> Period {
        match self {
            Period::Quarter { year, quarter: 4 } => Period::Quarter {
                year: year + 1,
                quarter: 1,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year,
                quarter: quarter + 1,
            },
            Period::Month { year, month: 12 } => Period::Month {
                year: year + 1,
                month: 1,
            },
            Period::Month { year, month } => Period::Month {
                year,
                month: month + 1,
            },
        }
    }

    /// The period of `kind` that holds `date`.
    pub fn containing(date: Date, kind: PeriodKind, calendar: Calendar) -> Period {
        let (year, month) = (date.year(), date.month() as u8);
        match kind {
            PeriodKind::Month => Period::Month { year, month },
            PeriodKind::Quarter => {
                let start = calendar.start.clamp(1, 12);
                let (fiscal_year, months_in) = if month >= start {
                    (year, month - start)
                } else {
                    (year - 1, month + 12 - start)
                };
                Period::Quarter {
                    year: fiscal_year + calendar.name_offset(),
                    quarter: months_in / 3 + 1,
                }
            }
        }
    }

    /// The first day of the period.
    pub fn first_day(self, calendar: Calendar) -> Date {
        let (year, month0) = match self {
            Period::Month { year, month } => (year, month - 1),
            Period::Quarter { year, quarter } => {
                let year = year - calendar.name_offset();
                let months = calendar.start.clamp(1, 12) - 1 + (quarter - 1) * 3;
                (year + i16::from(months / 12), months % 12)
            }
        };
        Date::new(year, month0 as i8 + 1, 1).expect("a period starts on a valid date")
    }

    /// The last day of the period.
    pub fn last_day(self, calendar: Calendar) -> Date {
        self.next()
            .first_day(calendar)
            .yesterday()
            .expect("a period ends on a valid date")
    }

    /// The URL slug: `2026-q3`, `2026-07`.
    pub fn slug(self) -> String {
        self.to_string().to_lowercase()
    }

    /// A label for people: `Q3 2026`, `Jul 2026`.
    pub fn label(self) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        match self {
            Period::Quarter { year, quarter } => format!("Q{quarter} {year}"),
            Period::Month { year, month } => format!("{} {year}", MONTHS[usize::from(month - 1)]),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Quarter { year, quarter } => write!(f, "{year:04}-Q{quarter}"),
            Period::Month { year, month } => write!(f, "{year:04}-{month:02}"),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fiscal_year_named_by_its_end_is_a_year_ahead_of_its_start() {
        // February 2026 to January 2027 is FY2027.
        let end = Calendar::new(2, true);
        let first = Period::containing(date(2026, 2, 1), PeriodKind::Quarter, end);
        assert_eq!(first.to_string(), "2027-Q1");
        assert_eq!(first.first_day(end), date(2026, 2, 1));
        let last = Period::containing(date(2027, 1, 31), PeriodKind::Quarter, end);
        assert_eq!(last.to_string(), "2027-Q4");
        assert_eq!(last.last_day(end), date(2027, 1, 31));
        assert_eq!(end.fiscal_year(Period::parse("2026-03").unwrap()), 2027);
        assert_eq!(end.fiscal_year(Period::parse("2026-01").unwrap()), 2026);
        // Named by its start, the same year is FY2026.
        let start = Calendar::new(2, false);
        assert_eq!(
            Period::containing(date(2026, 2, 1), PeriodKind::Quarter, start).to_string(),
            "2026-Q1"
        );
        // A January start names a year the same either way.
        let january = Calendar::new(1, true);
        assert_eq!(
            Period::parse("2026-Q1").unwrap().first_day(january),
            date(2026, 1, 1)
        );
    }

    fn date(y: i16, m: i8, d: i8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn parses_quarters_and_months() {
        assert_eq!(
            Period::parse("2026-Q3"),
            Some(Period::Quarter {
                year: 2026,
                quarter: 3
            })
        );
        assert_eq!(
            Period::parse("2026-07"),
            Some(Period::Month {
                year: 2026,
                month: 7
            })
        );
        for bad in [
            "2026-Q5", "2026-Q0", "2026-13", "2026-7", "26-Q1", "2026Q1", "2026-Q12", "",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn steps_across_years() {
        let q1 = Period::parse("2026-Q1").unwrap();
        assert_eq!(q1.previous().to_string(), "2025-Q4");
        assert_eq!(q1.previous().next(), q1);
        assert_eq!(
            Period::parse("2026-01").unwrap().previous().to_string(),
            "2025-12"
        );
    }

    #[test]
    fn fiscal_quarters_follow_the_start_month() {
        let calendar = Period::containing(
            date(2026, 5, 4),
            PeriodKind::Quarter,
            Calendar::new(1, false),
        );
        assert_eq!(calendar.to_string(), "2026-Q2");
        // Fiscal year starting in February: January belongs to the previous year's Q4.
        let fiscal = Period::containing(
            date(2026, 1, 15),
            PeriodKind::Quarter,
            Calendar::new(2, false),
        );
        assert_eq!(fiscal.to_string(), "2025-Q4");
        assert_eq!(fiscal.first_day(Calendar::new(2, false)), date(2025, 11, 1));
        assert_eq!(fiscal.last_day(Calendar::new(2, false)), date(2026, 1, 31));
        assert_eq!(
            Period::parse("2026-Q3")
                .unwrap()
                .last_day(Calendar::new(1, false)),
            date(2026, 9, 30)
        );
    }

    #[test]
    fn labels_for_people() {
        assert_eq!(Period::parse("2026-Q3").unwrap().label(), "Q3 2026");
        assert_eq!(Period::parse("2026-02").unwrap().label(), "Feb 2026");
        assert_eq!(Period::parse("2026-Q3").unwrap().slug(), "2026-q3");
    }
}

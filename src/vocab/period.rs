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

/// A reporting period. Quarters are fiscal: with `fiscal_year_start: 2`,
/// `2026-Q1` is February to April 2026 (a fiscal year is named after the
/// calendar year it starts in). Months are calendar months.
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
    pub fn containing(date: Date, kind: PeriodKind, fiscal_year_start: u8) -> Period {
        let (year, month) = (date.year(), date.month() as u8);
        match kind {
            PeriodKind::Month => Period::Month { year, month },
            PeriodKind::Quarter => {
                let start = fiscal_year_start.clamp(1, 12);
                let (fiscal_year, months_in) = if month >= start {
                    (year, month - start)
                } else {
                    (year - 1, month + 12 - start)
                };
                Period::Quarter {
                    year: fiscal_year,
                    quarter: months_in / 3 + 1,
                }
            }
        }
    }

    /// The first day of the period.
    pub fn first_day(self, fiscal_year_start: u8) -> Date {
        let (year, month0) = match self {
            Period::Month { year, month } => (year, month - 1),
            Period::Quarter { year, quarter } => {
                let months = fiscal_year_start.clamp(1, 12) - 1 + (quarter - 1) * 3;
                (year + i16::from(months / 12), months % 12)
            }
        };
        Date::new(year, month0 as i8 + 1, 1).expect("a period starts on a valid date")
    }

    /// The last day of the period.
    pub fn last_day(self, fiscal_year_start: u8) -> Date {
        self.next()
            .first_day(fiscal_year_start)
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
        let calendar = Period::containing(date(2026, 5, 4), PeriodKind::Quarter, 1);
        assert_eq!(calendar.to_string(), "2026-Q2");
        // Fiscal year starting in February: January belongs to the previous year's Q4.
        let fiscal = Period::containing(date(2026, 1, 15), PeriodKind::Quarter, 2);
        assert_eq!(fiscal.to_string(), "2025-Q4");
        assert_eq!(fiscal.first_day(2), date(2025, 11, 1));
        assert_eq!(fiscal.last_day(2), date(2026, 1, 31));
        assert_eq!(
            Period::parse("2026-Q3").unwrap().last_day(1),
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

//! One record's figures: a rep's for one period, or a team's summed ones.
//! Plain data that the model fills in and the metrics read.

use super::money::Money;

/// One rep's figures for one period, or a team's summed figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub quota: Money,
    /// A rep on a ramp quota: the quota they will carry once ramped (at
    /// least `quota`). Never set on a roll-up.
    pub full_quota: Option<Money>,
    pub closed_won: Money,
    pub deals_won: Option<u32>,
    pub deals_lost: Option<u32>,
    pub pipeline: Option<Money>,
    pub forecast: Option<Money>,
    /// Mean days to close for won deals.
    pub cycle_days: Option<f64>,
    pub opportunities_created: Option<u32>,
    pub activities: Option<Activities>,
    /// Open deals, and how many of them have every required field filled
    /// (from CRM exports only).
    pub documentation: Option<Documentation>,
    /// On a roll-up: the reps behind `pipeline`, the ones who gave it.
    /// `None` on a rep's own record, which is its own basis.
    pub pipeline_basis: Option<Basis>,
    /// On a roll-up: the reps `forecast` speaks for — every rep below a
    /// manager who submitted one, and each other rep who gave their own.
    pub forecast_basis: Option<Basis>,
    /// The latest forecast call standing on the period's roll-up day
    /// (`as_of` while in progress): a rep's own; on a roll-up, the
    /// manager's call, else the sum of their direct reports' calls.
    pub commit: Option<Money>,
    pub best_case: Option<Money>,
    /// On a roll-up whose manager made their own call: the sum of their
    /// direct reports' calls in the same week, which the manager's call
    /// is judged against.
    pub reports_commit: Option<Money>,
    /// Where the period stands; `None` for a complete period.
    pub progress: Option<Progress>,
    /// Deals pushed out of the period between the two newest deal
    /// snapshots; undefined without two snapshots.
    pub pushed_deals: Option<u32>,
    /// Quota and closed-won summed over the fiscal year up to and with
    /// this period (a period in progress counts with its closed-won to
    /// date and its full quota).
    pub ytd: Option<Ytd>,
}

/// Where a period in progress stands: day `day` of `days`, as of `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub as_of: jiff::civil::Date,
    pub day: u32,
    pub days: u32,
}

impl Progress {
    /// The share of the period that has passed: day / days.
    pub fn elapsed(self) -> f64 {
        f64::from(self.day) / f64::from(self.days)
    }
}

/// Sums over a fiscal year so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ytd {
    pub quota: Money,
    pub closed_won: Money,
}

impl Ytd {
    /// These sums with one more period's; `None` past the largest amount.
    pub fn add(self, quota: Money, closed_won: Money) -> Option<Ytd> {
        Some(Ytd {
            quota: self.quota.checked_add(quota)?,
            closed_won: self.closed_won.checked_add(closed_won)?,
        })
    }
}

/// The reps behind a team figure that not every rep gives (pipeline,
/// forecast): how many of the team's reps with figures it covers, and
/// those reps' summed quota and closed-won, which the figure is measured
/// against. A rep who gave no figure is left out, never counted as a zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Basis {
    /// Reps the figure covers.
    pub reps: u32,
    /// Reps with figures in the team.
    pub of: u32,
    pub quota: Money,
    pub closed_won: Money,
}

impl Basis {
    /// One rep's record as a basis: itself when `covered`, else nothing of 1.
    pub fn of_record(figures: &Figures, covered: bool) -> Basis {
        match covered {
            true => Basis {
                reps: 1,
                of: 1,
                quota: figures.quota,
                closed_won: figures.closed_won,
            },
            false => Basis {
                of: 1,
                ..Basis::default()
            },
        }
    }

    /// The bases of the parts of a team, added up.
    pub fn sum(parts: impl IntoIterator<Item = Basis>) -> Result<Basis, Overflow> {
        parts.into_iter().try_fold(Basis::default(), |sum, part| {
            Ok(Basis {
                reps: sum.reps.checked_add(part.reps).ok_or(Overflow("reps"))?,
                of: sum.of.checked_add(part.of).ok_or(Overflow("reps"))?,
                quota: sum.quota.checked_add(part.quota).ok_or(Overflow("quota"))?,
                closed_won: sum
                    .closed_won
                    .checked_add(part.closed_won)
                    .ok_or(Overflow("closed_won"))?,
            })
        })
    }

    /// Whether some of the team's reps are left out ("k of n reps").
    pub fn is_partial(&self) -> bool {
        self.reps < self.of
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Documentation {
    pub open: u32,
    pub complete: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Activities {
    pub calls: Option<u32>,
    pub emails: Option<u32>,
    pub meetings: Option<u32>,
    pub demos: Option<u32>,
}

/// A sum that would pass the largest figure Bullpen holds ([`Money::MAX`],
/// or `u32::MAX` for a count), naming the figure. The model stage checks
/// every period's organisation-wide totals (`model::totals`), so a roll-up
/// of a validated model never meets one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow(pub &'static str);

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
    /// Deals closed without a decision (`deals.stages.no_decision`), apart
    /// from `deals_lost` (CRM exports only).
    pub deals_no_decision: Option<u32>,
    /// What the CRM exports say about the pipeline (CRM exports only).
    pub deal_pipeline: Option<DealPipeline>,
}

/// A number of deals and their summed amount (in the site's currency).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DealSum {
    pub count: u32,
    pub amount: Money,
}

impl DealSum {
    /// One deal of `amount`.
    pub fn one(amount: Money) -> DealSum {
        DealSum { count: 1, amount }
    }

    /// The two sums added; `None` past the largest count or amount.
    pub fn checked_add(self, other: DealSum) -> Option<DealSum> {
        Some(DealSum {
            count: self.count.checked_add(other.count)?,
            amount: self.amount.checked_add(other.amount)?,
        })
    }
}

/// A forecast category of an open deal (`deals.categories`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    Commit,
    BestCase,
    Pipeline,
    /// Open, but left out of the pipeline's totals and shown apart.
    Omitted,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Commit,
        Category::BestCase,
        Category::Pipeline,
        Category::Omitted,
    ];

    /// Its name in site.yaml.
    pub fn name(self) -> &'static str {
        match self {
            Category::Commit => "commit",
            Category::BestCase => "best_case",
            Category::Pipeline => "pipeline",
            Category::Omitted => "omitted",
        }
    }
}

/// A record's pipeline from the CRM exports. Open deals are counted in
/// the period they are expected to close in; in the current period (the
/// latest, holding `as_of`) also every past-due one and every one without
/// a close date. Omitted deals are counted in `omitted` only.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DealPipeline {
    /// Open deals by stage, in `deals.stages.open` order, with one more
    /// entry at the end for stages not listed there (`strict: false`).
    pub by_stage: Vec<DealSum>,
    /// Open deals by forecast category (commit, best case, pipeline), all
    /// in `pipeline` without a `forecast_category` column.
    pub commit: DealSum,
    pub best_case: DealSum,
    pub pipeline: DealSum,
    /// Open deals of an omitted category: not in the totals above.
    pub omitted: DealSum,
    /// Σ amount × probability / 100 over open deals with a probability,
    /// each deal rounded half away from zero to the cent; `None` when the
    /// site gives no probability (no column, no `stages.probability`).
    pub weighted: Option<Money>,
    /// Open deals without a probability, left out of `weighted`.
    pub unweighted: u32,
    /// Deals created in the period (won, lost or open), amounts where given.
    pub created: DealSum,
    /// Open deals whose close date is before the current period's as-of
    /// day (omitted ones too).
    pub past_due: DealSum,
    /// Σ days from created to the current as-of day over open deals with
    /// a created date (omitted ones too), and how many.
    pub age_days_sum: i64,
    pub aged: u32,
}

impl DealPipeline {
    /// Open pipeline: every open deal but the omitted ones.
    pub fn open(&self) -> Option<DealSum> {
        self.by_stage
            .iter()
            .try_fold(DealSum::default(), |sum, s| sum.checked_add(*s))
    }

    /// One category's sum.
    pub fn category(&self, category: Category) -> DealSum {
        match category {
            Category::Commit => self.commit,
            Category::BestCase => self.best_case,
            Category::Pipeline => self.pipeline,
            Category::Omitted => self.omitted,
        }
    }

    /// Mean days from created to the as-of day over open deals.
    pub fn mean_age_days(&self) -> Option<f64> {
        (self.aged > 0).then(|| self.age_days_sum as f64 / f64::from(self.aged))
    }

    /// `other` added in, every sum checked; on overflow names the figure.
    pub fn checked_add(&self, other: &DealPipeline) -> Result<DealPipeline, Overflow> {
        let mut sum = self.clone();
        sum.add(other)?;
        Ok(sum)
    }

    /// Adds `other` in place, every sum checked, allocating only when
    /// `other` counts more stages; on overflow names the figure (and
    /// leaves `self` partly added: the run has failed by then).
    pub fn add(&mut self, other: &DealPipeline) -> Result<(), Overflow> {
        fn sum(a: &mut DealSum, b: DealSum, name: &'static str) -> Result<(), Overflow> {
            *a = a.checked_add(b).ok_or(Overflow(name))?;
            Ok(())
        }
        if self.by_stage.len() < other.by_stage.len() {
            self.by_stage
                .resize(other.by_stage.len(), DealSum::default());
        }
        for (a, b) in self.by_stage.iter_mut().zip(&other.by_stage) {
            sum(a, *b, "pipeline by stage")?;
        }
        sum(&mut self.commit, other.commit, "commit pipeline")?;
        sum(&mut self.best_case, other.best_case, "best-case pipeline")?;
        sum(&mut self.pipeline, other.pipeline, "pipeline category")?;
        sum(&mut self.omitted, other.omitted, "omitted pipeline")?;
        self.weighted = match (self.weighted, other.weighted) {
            (Some(a), Some(b)) => Some(a.checked_add(b).ok_or(Overflow("pipeline_weighted"))?),
            (a, b) => a.or(b),
        };
        self.unweighted = self
            .unweighted
            .checked_add(other.unweighted)
            .ok_or(Overflow("open deals"))?;
        sum(&mut self.created, other.created, "pipeline_created")?;
        sum(&mut self.past_due, other.past_due, "past_due_deals")?;
        self.age_days_sum = self
            .age_days_sum
            .checked_add(other.age_days_sum)
            .ok_or(Overflow("deal age"))?;
        self.aged = self
            .aged
            .checked_add(other.aged)
            .ok_or(Overflow("open deals"))?;
        Ok(())
    }

    /// One deal more at stage `index` (growing the list to reach it).
    pub fn add_at_stage(&mut self, index: usize, deal: DealSum) -> Result<(), Overflow> {
        if self.by_stage.len() <= index {
            self.by_stage.resize(index + 1, DealSum::default());
        }
        self.by_stage[index] = self.by_stage[index]
            .checked_add(deal)
            .ok_or(Overflow("pipeline by stage"))?;
        Ok(())
    }
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
    /// The year to date after a period of `quota` and `closed_won` in
    /// `fiscal_year`, going on from `before`: the fiscal year and the sums
    /// of the period before, when they fit. A new fiscal year starts from
    /// nothing. `None` past the largest amount.
    pub fn after(
        before: Option<(i16, Ytd)>,
        fiscal_year: i16,
        quota: Money,
        closed_won: Money,
    ) -> Option<Ytd> {
        let so_far = match before {
            Some((year, sums)) if year == fiscal_year => sums,
            _ => Ytd::default(),
        };
        so_far.add(quota, closed_won)
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_to_date_goes_on_within_a_fiscal_year_and_starts_again_after() {
        let m = Money::from_major;
        let first = Ytd::after(None, 2026, m(100), m(80)).unwrap();
        assert_eq!((first.quota, first.closed_won), (m(100), m(80)));
        let second = Ytd::after(Some((2026, first)), 2026, m(50), m(70)).unwrap();
        assert_eq!((second.quota, second.closed_won), (m(150), m(150)));
        let next_year = Ytd::after(Some((2026, second)), 2027, m(10), m(5)).unwrap();
        assert_eq!((next_year.quota, next_year.closed_won), (m(10), m(5)));
        // Past the largest amount there is none; the period after starts
        // from nothing.
        let full = Ytd {
            quota: Money::MAX,
            closed_won: Money::ZERO,
        };
        assert_eq!(Ytd::after(Some((2027, full)), 2027, m(1), m(0)), None);
    }
}

//! Metrics stage: the registry — one entry per metric with its name, label,
//! unit, definition, formula, why it can be undefined, scope, audience and
//! goal bounds. Dashboards, charts, coaching goals, inline figures and the
//! `metrics` export read the entry. Entry: [`Metric::def`].
//!
//! Adding a metric is one entry in the table below and its tests: its
//! variant, its column in the export and its place in every list of
//! metrics follow from the entry.

use super::{
    Figures, attainment, average_deal, coaching_coverage, coverage_of, documentation_compliance,
    forecast_accuracy_of, forecast_error_of, judgement, pace_of, remaining_coverage_of,
    reps_at_quota, win_rate, ytd_attainment,
};
use crate::vocab::Visibility;
use crate::vocab::bounds::{MAX_ATTAINMENT, MAX_COUNT, MAX_COVERAGE, MAX_DAYS};
use crate::vocab::money::{MAX_MAJOR, Money};
use jiff::civil::Date;

/// How a metric's values read. The unit alone decides how a value is shown
/// (`render::format`) and exported (`export`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A ratio shown as a percentage.
    Rate,
    /// A ratio shown as a multiple (`2.3×`).
    Multiple,
    Money,
    Count,
    Days,
    /// A signed ratio shown as a percentage with its sign (`+8.2%`).
    SignedRate,
    /// A day (`as_of`).
    Date,
}

/// One value of a metric: rates and multiples as ratios (0.6315 = 63.15%),
/// money exact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Ratio(f64),
    Money(Money),
    Count(u32),
    Days(f64),
    Date(Date),
}

impl Value {
    /// The value as a plain number, for charts and goals: money in major units.
    pub fn number(self) -> f64 {
        match self {
            Value::Ratio(number) | Value::Days(number) => number,
            Value::Money(amount) => amount.as_major(),
            Value::Count(count) => f64::from(count),
            // Days since 1970-01-01: no chart nor goal reads a date.
            Value::Date(day) => f64::from((day - Date::constant(1970, 1, 1)).get_days()),
        }
    }
}

/// How a metric is computed, which is also its scope: whose figures it
/// describes.
#[derive(Debug, Clone, Copy)]
pub enum Formula {
    /// From one record: a rep's own figures, or a team's or the
    /// organisation's sums. Every such metric is a column of the export.
    Record(fn(&Figures) -> Option<Value>),
    /// From a team or the organisation as a whole, over its reps; no single
    /// record has it, so the export has no column for it.
    Team(fn(&Team) -> Option<Value>),
}

/// A team's (or the organisation's) reps with figures in one period: what a
/// [`Formula::Team`] reads.
#[derive(Debug, Clone, Default)]
pub struct Team<'a> {
    /// Each rep's figures.
    pub reps: Vec<&'a Figures>,
    /// How many of those reps had a coaching plan running in the period.
    pub coached: usize,
}

/// The baselines and targets a coaching goal on a metric may set, inclusive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GoalRange {
    pub low: f64,
    pub high: f64,
    /// How the numbers read, for an error: `a count`.
    pub reads: &'static str,
}

/// A value charts of a metric draw a line at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Benchmark {
    pub value: f64,
    /// The line's label: `100% of quota`.
    pub label: &'static str,
}

/// One metric's entry in the registry.
#[derive(Debug, Clone, Copy)]
pub struct MetricDef {
    /// Its name: the export's column and JSON key, and what a coaching goal
    /// or a chart spec calls it.
    pub name: &'static str,
    /// What pages call it: `Win rate`.
    pub label: &'static str,
    /// A shorter label where space is tight (a goal's bar, beside its due
    /// date); `None` to use `label`.
    pub short_label: Option<&'static str>,
    pub unit: Unit,
    /// Its definition, as DESIGN.md gives it; the formula's function says
    /// the same in its doc comment.
    pub definition: &'static str,
    pub formula: Formula,
    /// Why a value can be undefined, as a sentence: the explanation of a
    /// `—` in a tile or table about one period.
    pub undefined_because: &'static str,
    /// The same in a few words, for a chart's note on a bar without a value.
    pub chart_note: &'static str,
    /// Who may see it: `Managers` keeps it out of the team build.
    pub visibility: Visibility,
    /// Whether `bullpen metrics` has a column for it (only a metric of one
    /// record can have one).
    pub export: bool,
    /// The values a coaching goal on it may set; `None` when no goal (nor
    /// chart spec) can name it.
    pub goal: Option<GoalRange>,
    /// The line charts of it draw, if any.
    pub benchmark: Option<Benchmark>,
}

/// Declares [`Metric`] and [`METRICS`] from one list, so that a variant
/// cannot lack its entry nor an entry its variant, and both keep one order.
macro_rules! registry {
    ($($(#[$attr:meta])* $variant:ident => $def:expr,)*) => {
        /// A metric: a key into the registry, [`METRICS`]. The variants come
        /// in the order of the export's columns.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Metric {
            $($(#[$attr])* $variant,)*
        }

        impl Metric {
            /// Every metric, in registry order.
            pub const ALL: &'static [Metric] = &[$(Metric::$variant),*];
        }

        /// The registry: each metric's entry, in the order of [`Metric::ALL`].
        pub static METRICS: [MetricDef; Metric::ALL.len()] = [$($def),*];
    };
}

const NO_FIGURES: &str = "No figures for this period";
const NOT_GIVEN: &str = "not given";
const NOT_GIVEN_FOR_PERIOD: &str = "Not given for this period";

const RATIO: GoalRange = GoalRange {
    low: 0.0,
    high: 1.0,
    reads: "a ratio, like 0.35 for 35%",
};
const AMOUNT: GoalRange = GoalRange {
    low: 0.0,
    high: MAX_MAJOR as f64,
    reads: "an amount in the site currency",
};
const COUNT: GoalRange = GoalRange {
    low: 0.0,
    high: MAX_COUNT as f64,
    reads: "a count",
};

registry! {
    Quota => MetricDef {
        name: "quota",
        label: "Quota",
        short_label: None,
        unit: Unit::Money,
        definition: "the quota for the period; a team's is the sum of its reps'",
        formula: Formula::Record(|f| Some(Value::Money(f.quota))),
        undefined_because: NO_FIGURES,
        chart_note: NOT_GIVEN,
        visibility: Visibility::Team,
        export: true,
        goal: None,
        benchmark: None,
    },
    ClosedWon => MetricDef {
        name: "closed_won",
        label: "Closed won",
        short_label: None,
        unit: Unit::Money,
        definition: "revenue from the deals won in the period",
        formula: Formula::Record(|f| Some(Value::Money(f.closed_won))),
        undefined_because: NO_FIGURES,
        chart_note: NOT_GIVEN,
        visibility: Visibility::Team,
        export: true,
        goal: Some(AMOUNT),
        benchmark: None,
    },
    DealsWon => MetricDef {
        name: "deals_won",
        label: "Deals won",
        short_label: None,
        unit: Unit::Count,
        definition: "deals won in the period",
        formula: Formula::Record(|f| f.deals_won.map(Value::Count)),
        undefined_because: NOT_GIVEN_FOR_PERIOD,
        chart_note: NOT_GIVEN,
        visibility: Visibility::Team,
        export: true,
        goal: Some(COUNT),
        benchmark: None,
    },
    DealsLost => MetricDef {
        name: "deals_lost",
        label: "Deals lost",
        short_label: None,
        unit: Unit::Count,
        definition: "deals lost in the period",
        formula: Formula::Record(|f| f.deals_lost.map(Value::Count)),
        undefined_because: NOT_GIVEN_FOR_PERIOD,
        chart_note: NOT_GIVEN,
        visibility: Visibility::Team,
        export: true,
        goal: None,
        benchmark: None,
    },
    WinRate => MetricDef {
        name: "win_rate",
        label: "Win rate",
        short_label: None,
        unit: Unit::Rate,
        definition: "deals_won / (deals_won + deals_lost)",
        formula: Formula::Record(|f| win_rate(f.deals_won, f.deals_lost).map(Value::Ratio)),
        undefined_because: "No decided deals (won + lost = 0) in this period",
        chart_note: "no decided deals",
        visibility: Visibility::Team,
        export: true,
        goal: Some(RATIO),
        benchmark: None,
    },
    Attainment => MetricDef {
        name: "attainment",
        label: "Attainment",
        short_label: None,
        unit: Unit::Rate,
        definition: "closed_won / quota",
        formula: Formula::Record(|f| attainment(f.closed_won, f.quota).map(Value::Ratio)),
        // Every record has a quota above 0: only a missing record lacks attainment.
        undefined_because: NO_FIGURES,
        chart_note: NOT_GIVEN,
        visibility: Visibility::Team,
        export: true,
        goal: Some(GoalRange {
            low: 0.0,
            high: MAX_ATTAINMENT,
            reads: "a ratio of quota, like 1.1 for 110%",
        }),
        benchmark: Some(Benchmark {
            value: 1.0,
            label: "100% of quota",
        }),
    },
    AvgDeal => MetricDef {
        name: "avg_deal",
        label: "Average deal",
        short_label: None,
        unit: Unit::Money,
        definition: "closed_won / deals_won",
        formula: Formula::Record(|f| average_deal(f.closed_won, f.deals_won).map(Value::Money)),
        undefined_because: "No deals won in this period",
        chart_note: "no deals won",
        visibility: Visibility::Team,
        export: true,
        goal: Some(AMOUNT),
        benchmark: None,
    },
    Pipeline => MetricDef {
        name: "pipeline",
        label: "Pipeline",
        short_label: None,
        unit: Unit::Money,
        definition: "open pipeline at the start of the period",
        formula: Formula::Record(|f| f.pipeline.map(Value::Money)),
        undefined_because: "No pipeline figure for this period",
        chart_note: "no pipeline figure",
        visibility: Visibility::Team,
        export: true,
        goal: Some(AMOUNT),
        benchmark: None,
    },
    Coverage => MetricDef {
        name: "coverage",
        label: "Pipeline coverage",
        short_label: Some("Coverage"),
        unit: Unit::Multiple,
        definition: "pipeline / quota; a team's is over the reps who gave a pipeline figure",
        formula: Formula::Record(|f| coverage_of(f).map(Value::Ratio)),
        undefined_because: "No pipeline figure for this period",
        chart_note: "no pipeline figure",
        visibility: Visibility::Team,
        export: true,
        goal: Some(GoalRange {
            low: 0.0,
            high: MAX_COVERAGE,
            reads: "a multiple of quota, like 3 for 3×",
        }),
        benchmark: Some(Benchmark {
            value: 3.0,
            label: "3× coverage",
        }),
    },
    Forecast => MetricDef {
        name: "forecast",
        label: "Forecast",
        short_label: None,
        unit: Unit::Money,
        definition: "the committed forecast; a team's is the one its manager submitted, \
                     else the sum of its direct reports' forecasts",
        formula: Formula::Record(|f| f.forecast.map(Value::Money)),
        undefined_because: "No forecast for this period",
        chart_note: NOT_GIVEN,
        visibility: Visibility::Team,
        export: true,
        goal: None,
        benchmark: None,
    },
    ForecastAccuracy => MetricDef {
        name: "forecast_accuracy",
        label: "Forecast accuracy",
        short_label: Some("Forecast acc."),
        unit: Unit::Rate,
        definition: "1 − abs(forecast − closed_won) / closed_won, floored at 0; a team's is \
                     over the reps its forecast speaks for",
        formula: Formula::Record(|f| forecast_accuracy_of(f).map(Value::Ratio)),
        undefined_because: "No forecast, or no closed-won revenue to compare it with",
        chart_note: "no forecast, or no closed-won revenue",
        visibility: Visibility::Team,
        export: true,
        goal: Some(RATIO),
        benchmark: None,
    },
    CycleDays => MetricDef {
        name: "cycle_days",
        label: "Sales cycle",
        short_label: None,
        unit: Unit::Days,
        definition: "mean days to close a won deal; a team's is weighted by deals won",
        formula: Formula::Record(|f| f.cycle_days.map(Value::Days)),
        undefined_because: NOT_GIVEN_FOR_PERIOD,
        chart_note: NOT_GIVEN,
        visibility: Visibility::Team,
        export: true,
        goal: Some(GoalRange {
            low: 0.0,
            high: MAX_DAYS as f64,
            reads: "days",
        }),
        benchmark: None,
    },
    OpportunitiesCreated => MetricDef {
        name: "opportunities_created",
        label: "Opportunities created",
        short_label: Some("New opps"),
        unit: Unit::Count,
        definition: "opportunities created in the period",
        formula: Formula::Record(|f| f.opportunities_created.map(Value::Count)),
        undefined_because: NOT_GIVEN_FOR_PERIOD,
        chart_note: NOT_GIVEN,
        visibility: Visibility::Team,
        export: true,
        goal: Some(COUNT),
        benchmark: None,
    },
    DocumentationCompliance => MetricDef {
        name: "documentation_compliance",
        label: "Documentation compliance",
        short_label: None,
        unit: Unit::Rate,
        definition: "open deals with every required field filled / open deals",
        formula: Formula::Record(|f| documentation_compliance(f.documentation).map(Value::Ratio)),
        undefined_because: "No open deals from a CRM export in this period",
        chart_note: NOT_GIVEN,
        visibility: Visibility::Team,
        export: true,
        goal: Some(RATIO),
        benchmark: None,
    },
    RepsAtQuota => MetricDef {
        name: "reps_at_quota",
        label: "Reps at quota",
        short_label: None,
        unit: Unit::Rate,
        definition: "share of reps with attainment ≥ 1 among reps not on a ramp quota",
        formula: Formula::Team(|t| reps_at_quota(t.reps.iter().copied()).map(Value::Ratio)),
        undefined_because: "No reps with figures on a full quota in this period",
        chart_note: NOT_GIVEN,
        visibility: Visibility::Team,
        export: false,
        goal: None,
        benchmark: None,
    },
    CoachingCoverage => MetricDef {
        name: "coaching_coverage",
        label: "Coaching coverage",
        short_label: None,
        unit: Unit::Rate,
        definition: "reps with a coaching plan for the period (whatever its status now) / \
                     reps with figures in the period",
        formula: Formula::Team(|t| coaching_coverage(t.coached, t.reps.len()).map(Value::Ratio)),
        undefined_because: NO_FIGURES,
        chart_note: NOT_GIVEN,
        visibility: Visibility::Managers,
        export: false,
        goal: None,
        benchmark: None,
    },
    AsOf => MetricDef {
        name: "as_of",
        label: "As of",
        short_label: None,
        unit: Unit::Date,
        definition: "the day a period in progress is reported as of (`as_of:`); empty for a complete period",
        formula: Formula::Record(|f| f.progress.map(|p| Value::Date(p.as_of))),
        undefined_because: "The period is complete",
        chart_note: "complete",
        visibility: Visibility::Team,
        export: true,
        goal: None,
        benchmark: None,
    },
    Pace => MetricDef {
        name: "pace",
        label: "Pace",
        short_label: None,
        unit: Unit::Rate,
        definition: "for a period in progress, attainment to date / the elapsed share of the period \
                     (day N of M): a straight-line projection of attainment at the period's end",
        formula: Formula::Record(|f| pace_of(f).map(Value::Ratio)),
        undefined_because: "The period is complete: see attainment",
        chart_note: "complete",
        visibility: Visibility::Team,
        export: true,
        goal: None,
        benchmark: Some(Benchmark {
            value: 1.0,
            label: "on pace for quota",
        }),
    },
    Commit => MetricDef {
        name: "commit",
        label: "Commit",
        short_label: None,
        unit: Unit::Money,
        definition: "the latest forecast call's commit standing on the period's as-of day; \
                     a team's is its manager's call, else the sum of its direct reports' calls",
        formula: Formula::Record(|f| f.commit.map(Value::Money)),
        undefined_because: "No forecast call for this period",
        chart_note: "no call",
        visibility: Visibility::Team,
        export: true,
        goal: None,
        benchmark: None,
    },
    BestCase => MetricDef {
        name: "best_case",
        label: "Best case",
        short_label: None,
        unit: Unit::Money,
        definition: "the latest call's best case (a call without one counts its commit); \
                     a team's rolls up as its commit does",
        formula: Formula::Record(|f| f.best_case.map(Value::Money)),
        undefined_because: "No best case called for this period",
        chart_note: "no call",
        visibility: Visibility::Team,
        export: true,
        goal: None,
        benchmark: None,
    },
    ForecastError => MetricDef {
        name: "forecast_error",
        label: "Forecast error",
        short_label: Some("Fcst error"),
        unit: Unit::SignedRate,
        definition: "(forecast − closed_won) / closed_won, signed: + an over-call, − an under-call; \
                     a team's is over the reps its forecast speaks for; complete periods only",
        formula: Formula::Record(|f| forecast_error_of(f).map(Value::Ratio)),
        undefined_because: "No forecast, no closed-won revenue to compare it with, or the period is still in progress",
        chart_note: "no forecast, or in progress",
        visibility: Visibility::Team,
        export: true,
        goal: None,
        benchmark: None,
    },
    YtdAttainment => MetricDef {
        name: "ytd_attainment",
        label: "Year to date",
        short_label: Some("YTD"),
        unit: Unit::Rate,
        definition: "Σ closed_won / Σ quota over the fiscal year's periods so far; a period in \
                     progress counts with its closed-won to date and its full quota",
        formula: Formula::Record(|f| ytd_attainment(f.ytd).map(Value::Ratio)),
        undefined_because: NO_FIGURES,
        chart_note: NOT_GIVEN,
        visibility: Visibility::Team,
        export: true,
        goal: None,
        benchmark: None,
    },
    RemainingCoverage => MetricDef {
        name: "remaining_coverage",
        label: "Coverage of the rest",
        short_label: Some("Rest covered"),
        unit: Unit::Multiple,
        definition: "for a period in progress, open pipeline closing in the period / \
                     (quota − closed_won to date); `quota reached` when nothing remains",
        formula: Formula::Record(|f| remaining_coverage_of(f).map(Value::Ratio)),
        undefined_because: "No pipeline figure, the quota is reached, or the period is complete",
        chart_note: "no pipeline, or quota reached",
        visibility: Visibility::Team,
        export: false,
        goal: None,
        benchmark: None,
    },
    Judgement => MetricDef {
        name: "judgement",
        label: "Judgement",
        short_label: None,
        unit: Unit::SignedRate,
        definition: "a manager's commit / the sum of their direct reports' commits in the same week − 1: \
                     + the manager calls above their reps, − below",
        formula: Formula::Record(|f| judgement(f.commit, f.reports_commit).map(Value::Ratio)),
        undefined_because: "The manager made no call of their own, or their reports none",
        chart_note: "no manager's call",
        visibility: Visibility::Team,
        export: false,
        goal: None,
        benchmark: None,
    },
    PipelineWeighted => MetricDef {
        name: "pipeline_weighted",
        label: "Weighted pipeline",
        short_label: Some("Weighted"),
        unit: Unit::Money,
        definition: "Σ amount × probability / 100 over open deals (omitted ones aside) with a \
                     probability, from the `probability` column or `deals.stages.probability`; \
                     each deal rounded half away from zero to the cent",
        formula: Formula::Record(|f| f.deal_pipeline.as_ref()?.weighted.map(Value::Money)),
        undefined_because: "No deal export, or no probability given (column or per stage)",
        chart_note: NOT_GIVEN,
        visibility: Visibility::Team,
        export: true,
        goal: None,
        benchmark: None,
    },
    PipelineCreated => MetricDef {
        name: "pipeline_created",
        label: "Pipeline created",
        short_label: Some("Created"),
        unit: Unit::Money,
        definition: "Σ amount of the deals created in the period (won, lost or open)",
        formula: Formula::Record(|f| Some(Value::Money(f.deal_pipeline.as_ref()?.created.amount))),
        undefined_because: "No deal export",
        chart_note: NOT_GIVEN,
        visibility: Visibility::Team,
        export: true,
        goal: None,
        benchmark: None,
    },
    PastDueDeals => MetricDef {
        name: "past_due_deals",
        label: "Past-due deals",
        short_label: Some("Past due"),
        unit: Unit::Count,
        definition: "open deals whose close date is before the as-of day, counted in the \
                     current period",
        formula: Formula::Record(|f| Some(Value::Count(f.deal_pipeline.as_ref()?.past_due.count))),
        undefined_because: "No deal export",
        chart_note: NOT_GIVEN,
        visibility: Visibility::Team,
        export: true,
        goal: None,
        benchmark: None,
    },
    PushedDeals => MetricDef {
        name: "pushed_deals",
        label: "Pushed deals",
        short_label: Some("Pushed"),
        unit: Unit::Count,
        definition: "open deals whose close date moved out of the period between the two newest \
                     deal snapshots",
        formula: Formula::Record(|f| f.pushed_deals.map(Value::Count)),
        undefined_because: "Fewer than two deal snapshots in this period",
        chart_note: "no snapshots",
        visibility: Visibility::Team,
        export: true,
        goal: None,
        benchmark: None,
    },
}

impl Metric {
    /// The metric's entry in the registry.
    pub fn def(self) -> &'static MetricDef {
        &METRICS[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.def().name
    }

    pub fn label(self) -> &'static str {
        self.def().label
    }

    /// The short label where there is one, else the label.
    pub fn short_label(self) -> &'static str {
        self.def().short_label.unwrap_or(self.def().label)
    }

    pub fn unit(self) -> Unit {
        self.def().unit
    }

    /// Whether the metric is one of a single record (and so a column of the
    /// export), rather than of a team over its reps.
    pub fn of_record(self) -> bool {
        matches!(self.def().formula, Formula::Record(_))
    }

    /// The metrics a coaching goal or a chart spec can name — those with
    /// goal bounds — in registry order.
    pub fn trackable() -> impl Iterator<Item = Metric> {
        Metric::ALL
            .iter()
            .copied()
            .filter(|metric| metric.def().goal.is_some())
    }

    /// A metric a coaching goal or a chart spec can name, by its name.
    pub fn parse(name: &str) -> Option<Metric> {
        Metric::trackable().find(|metric| metric.name() == name)
    }

    /// The baselines and targets a coaching goal on this metric may set;
    /// `None` for a metric no goal can name.
    pub fn range(self) -> Option<GoalRange> {
        self.def().goal
    }

    /// The metric's value for one record; `None` where it is undefined, and
    /// for a metric of a team over its reps, which no record has.
    pub fn of(self, figures: &Figures) -> Option<Value> {
        match self.def().formula {
            Formula::Record(formula) => formula(figures),
            Formula::Team(_) => None,
        }
    }

    /// The metric's value for a team as a whole, over its reps; `None` where
    /// it is undefined, and for a metric of one record.
    pub fn over(self, team: &Team) -> Option<Value> {
        match self.def().formula {
            Formula::Team(formula) => formula(team),
            Formula::Record(_) => None,
        }
    }

    /// The metric's value for one record as a number: rates as ratios,
    /// money in major units.
    pub fn value(self, figures: &Figures) -> Option<f64> {
        self.of(figures).map(Value::number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::figures::{Activities, Documentation};
    use std::collections::HashSet;

    /// A record on which every metric of one record is defined.
    fn full() -> Figures {
        Figures {
            quota: Money::from_major(100_000),
            closed_won: Money::from_major(80_000),
            deals_won: Some(4),
            deals_lost: Some(6),
            pipeline: Some(Money::from_major(250_000)),
            forecast: Some(Money::from_major(90_000)),
            cycle_days: Some(41.5),
            opportunities_created: Some(12),
            activities: Some(Activities::default()),
            documentation: Some(Documentation {
                open: 8,
                complete: 6,
            }),
            commit: Some(Money::from_major(95_000)),
            best_case: Some(Money::from_major(120_000)),
            reports_commit: Some(Money::from_major(100_000)),
            pushed_deals: Some(2),
            ytd: Some(crate::vocab::figures::Ytd {
                quota: Money::from_major(300_000),
                closed_won: Money::from_major(280_000),
            }),
            deal_pipeline: Some(crate::vocab::figures::DealPipeline {
                weighted: Some(Money::from_major(110_000)),
                ..Default::default()
            }),
            ..Figures::default()
        }
    }

    /// [`full`] figures of a period in progress: day 46 of 92.
    fn in_progress() -> Figures {
        Figures {
            progress: Some(crate::vocab::figures::Progress {
                as_of: Date::constant(2026, 11, 15),
                day: 46,
                days: 92,
            }),
            ..full()
        }
    }

    fn agrees(unit: Unit, value: Value) -> bool {
        matches!(
            (unit, value),
            (Unit::Rate | Unit::Multiple, Value::Ratio(_))
                | (Unit::Money, Value::Money(_))
                | (Unit::Count, Value::Count(_))
                | (Unit::Days, Value::Days(_))
                | (Unit::SignedRate, Value::Ratio(_))
                | (Unit::Date, Value::Date(_))
        )
    }

    #[test]
    fn every_entry_is_consistent() {
        let figures = full();
        let running = in_progress();
        let rep = [&figures];
        let team = Team {
            reps: rep.to_vec(),
            coached: 1,
        };
        let mut names = HashSet::new();
        for (index, &metric) in Metric::ALL.iter().enumerate() {
            let def = metric.def();
            assert_eq!(metric as usize, index, "{} out of order", def.name);
            assert!(names.insert(def.name), "{} named twice", def.name);
            assert!(
                !def.name.is_empty()
                    && def
                        .name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{:?} is not a snake_case column name",
                def.name
            );
            for (what, text) in [
                ("label", def.label),
                ("definition", def.definition),
                ("undefined_because", def.undefined_because),
                ("chart_note", def.chart_note),
            ] {
                assert!(!text.trim().is_empty(), "{}: empty {what}", def.name);
            }
            assert!(
                def.undefined_because.starts_with(char::is_uppercase)
                    && def.chart_note.starts_with(char::is_lowercase),
                "{}: a sentence for cells, a few words for charts",
                def.name
            );
            // Every metric is defined on full figures of a complete period
            // or of one in progress.
            let value = match def.formula {
                Formula::Record(_) => metric.of(&figures).or_else(|| metric.of(&running)),
                Formula::Team(_) => metric.over(&team),
            };
            let value = value.unwrap_or_else(|| panic!("{} undefined on full figures", def.name));
            assert!(
                !def.export || matches!(def.formula, Formula::Record(_)),
                "{}: only a metric of one record can be a column",
                def.name
            );
            assert!(
                agrees(def.unit, value),
                "{}: a {value:?} is not read as {:?}",
                def.name,
                def.unit
            );
            if let Some(range) = def.goal {
                assert!(range.low < range.high && !range.reads.is_empty());
                assert!(
                    metric.of_record(),
                    "{}: a goal tracks a rep's own figure",
                    def.name
                );
                assert_eq!(
                    Metric::parse(def.name),
                    Some(metric),
                    "goals name {}",
                    def.name
                );
            } else {
                assert_eq!(Metric::parse(def.name), None, "{} is not a goal", def.name);
            }
        }
        assert_eq!(METRICS.len(), Metric::ALL.len());
    }

    #[test]
    fn a_metric_of_one_kind_has_no_value_of_the_other() {
        let figures = full();
        let team = Team {
            reps: vec![&figures],
            coached: 0,
        };
        assert_eq!(Metric::RepsAtQuota.of(&figures), None);
        assert_eq!(Metric::WinRate.over(&team), None);
        assert_eq!(Metric::RepsAtQuota.over(&team), Some(Value::Ratio(0.0)));
        assert_eq!(
            Metric::CoachingCoverage.over(&Team::default()),
            None,
            "no reps, no coverage"
        );
    }

    #[test]
    fn values_are_numbers_with_money_in_major_units() {
        let figures = full();
        assert_eq!(
            Metric::AvgDeal.of(&figures),
            Some(Value::Money(Money::from_major(20_000)))
        );
        assert_eq!(Metric::AvgDeal.value(&figures), Some(20_000.0));
        assert_eq!(Metric::DealsWon.value(&figures), Some(4.0));
        assert_eq!(Metric::Coverage.value(&figures), Some(2.5));
        assert_eq!(Metric::Coverage.short_label(), "Coverage");
        assert_eq!(Metric::WinRate.short_label(), "Win rate");
    }

    /// The README's table of metrics, as the registry gives it.
    fn readme_table() -> String {
        let mut table = String::from(
            "| metric | name | shown as | for | definition | undefined when | as a goal |\n\
             |---|---|---|---|---|---|---|\n",
        );
        for &metric in Metric::ALL {
            let def = metric.def();
            let shown = match def.unit {
                Unit::Rate => "a percentage (`81.7%`)",
                Unit::Multiple => "a multiple (`2.3×`)",
                Unit::Money => "money (`$98,000`)",
                Unit::Count => "a count",
                Unit::Days => "days (`41 days`)",
                Unit::SignedRate => "a signed percentage (`+8.2%`)",
                Unit::Date => "a date (`2026-11-15`)",
            };
            let scope = match (def.formula, def.visibility) {
                (Formula::Record(_), _) => "a rep, a team, the organisation",
                (Formula::Team(_), Visibility::Team) => "a team, the organisation",
                (Formula::Team(_), Visibility::Managers) => {
                    "a team, the organisation (managers' build)"
                }
            };
            let goal = def.goal.map_or("—", |range| range.reads);
            table.push_str(&format!(
                "| {} | `{}` | {shown} | {scope} | {} | {} | {goal} |\n",
                def.label, def.name, def.definition, def.undefined_because
            ));
        }
        table
    }

    /// README.md documents every metric as the registry defines it.
    #[test]
    fn the_readme_documents_every_metric_as_the_registry_defines_it() {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let table = readme_table();
        assert!(
            readme.replace("\r\n", "\n").contains(&table),
            "README.md's table of metrics should read:\n\n{table}"
        );
    }
}

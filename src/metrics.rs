//! Metrics stage: every figure the README defines under "Metrics", as pure
//! functions.
//!
//! Money is exact ([`Money`]); rates are `f64` ratios (0.6315 = 63.15%).
//! An undefined value is `None` — never NaN, never a silent 0. Each
//! metric's entry — name, label, unit, which of these functions computes
//! it, why it can be undefined — is in one table, [`METRICS`].

use crate::vocab::money::Money;
use crate::vocab::period::Period;
use jiff::civil::Date;
use std::collections::BTreeMap;

mod registry;

use crate::vocab::figures::{
    Activities, Basis, DealPipeline, Documentation, Figures, Overflow, Progress, Ytd,
};
pub use registry::{Benchmark, Formula, GoalRange, METRICS, Metric, MetricDef, Team, Unit, Value};

/// attainment = closed_won / quota. Defined whenever quota > 0, which the
/// model guarantees for every record; `None` only for a zero quota.
pub fn attainment(closed_won: Money, quota: Money) -> Option<f64> {
    (quota > Money::ZERO)
        .then(|| closed_won.ratio(quota))
        .flatten()
}

/// win rate = deals_won / (deals_won + deals_lost). Undefined when no deal
/// was decided (or the counts are not given).
pub fn win_rate(deals_won: Option<u32>, deals_lost: Option<u32>) -> Option<f64> {
    let won = u64::from(deals_won?);
    let decided = won + u64::from(deals_lost?);
    (decided > 0).then(|| won as f64 / decided as f64)
}

/// average deal = closed_won / deals_won. Undefined when no deal was won.
pub fn average_deal(closed_won: Money, deals_won: Option<u32>) -> Option<Money> {
    closed_won.divide(u64::from(deals_won?))
}

/// pipeline coverage = pipeline / quota. Undefined without a pipeline figure.
pub fn pipeline_coverage(pipeline: Option<Money>, quota: Money) -> Option<f64> {
    pipeline?.ratio(quota).filter(|_| quota > Money::ZERO)
}

/// A rep's or team's pipeline coverage: a team's pipeline against the
/// quota of the reps who gave a pipeline figure (its [`Basis`]), so a rep
/// without one is left out rather than counted as no pipeline.
pub fn coverage_of(figures: &Figures) -> Option<f64> {
    let quota = figures.pipeline_basis.map_or(figures.quota, |b| b.quota);
    pipeline_coverage(figures.pipeline, quota)
}

/// A rep's or team's forecast accuracy: a team's forecast against the
/// closed-won of the reps it speaks for (its [`Basis`]).
pub fn forecast_accuracy_of(figures: &Figures) -> Option<f64> {
    // A period in progress has no result to compare the forecast with.
    if figures.progress.is_some() {
        return None;
    }
    let closed_won = figures
        .forecast_basis
        .map_or(figures.closed_won, |b| b.closed_won);
    forecast_accuracy(figures.forecast, closed_won)
}

/// A rep's or team's forecast error, for a complete period only: a
/// team's forecast against the closed-won of the reps it speaks for.
pub fn forecast_error_of(figures: &Figures) -> Option<f64> {
    if figures.progress.is_some() {
        return None;
    }
    let closed_won = figures
        .forecast_basis
        .map_or(figures.closed_won, |b| b.closed_won);
    forecast_error(figures.forecast, closed_won)
}

/// forecast error = (forecast − closed_won) / closed_won, signed: above 0
/// an over-call, below 0 an under-call. Undefined without a forecast, or
/// when closed_won is 0.
pub fn forecast_error(forecast: Option<Money>, closed_won: Money) -> Option<f64> {
    let forecast = forecast?;
    if closed_won == Money::ZERO {
        return None;
    }
    let miss = forecast.distance(closed_won) as f64 / closed_won.minor() as f64;
    Some(if forecast < closed_won { -miss } else { miss })
}

/// Accuracy by call week: each call's commit against the period's final
/// closed-won ([`forecast_accuracy`]), oldest call first. For complete
/// periods: how good the week-2 call was, and the week-6 one.
pub fn accuracy_by_week(commits: &[(Date, Money)], closed_won: Money) -> Vec<(Date, Option<f64>)> {
    commits
        .iter()
        .map(|&(day, commit)| (day, forecast_accuracy(Some(commit), closed_won)))
        .collect()
}

/// pace = attainment to date / elapsed share of the period (day N of M):
/// a straight-line projection of attainment at the period's end. Defined
/// only for a period in progress.
pub fn pace(closed_won: Money, quota: Money, progress: Progress) -> Option<f64> {
    Some(attainment(closed_won, quota)? / progress.elapsed())
}

/// [`pace`] of a record, `None` for a complete period.
pub fn pace_of(figures: &Figures) -> Option<f64> {
    pace(figures.closed_won, figures.quota, figures.progress?)
}

/// remaining coverage = open pipeline closing in the period /
/// (quota − closed_won to date). Undefined without a pipeline figure, and
/// when nothing remains (the quota is reached).
pub fn remaining_coverage(pipeline: Option<Money>, quota: Money, closed_won: Money) -> Option<f64> {
    let pipeline = pipeline?;
    // Both are 0 or more, so the difference cannot overflow.
    let remaining = quota.checked_sub(closed_won)?;
    if remaining <= Money::ZERO {
        return None;
    }
    Some(pipeline.minor() as f64 / remaining.minor() as f64)
}

/// [`remaining_coverage`] of a record in a period in progress; a team's
/// is over the reps who gave a pipeline figure.
pub fn remaining_coverage_of(figures: &Figures) -> Option<f64> {
    figures.progress?;
    let (quota, closed_won) = remaining_basis(figures);
    remaining_coverage(figures.pipeline, quota, closed_won)
}

/// The quota and closed-won that coverage of the rest is measured
/// against: over the reps who gave a pipeline figure, for a team.
pub fn remaining_basis(figures: &Figures) -> (Money, Money) {
    figures
        .pipeline_basis
        .map_or((figures.quota, figures.closed_won), |b| {
            (b.quota, b.closed_won)
        })
}

/// Whether a record's quota is reached (nothing remains to cover).
pub fn quota_reached(figures: &Figures) -> bool {
    figures.closed_won >= figures.quota
}

/// judgement = a manager's commit / the sum of their direct reports'
/// commits in the same week − 1: above 0 the manager calls higher than
/// their reps, below 0 lower. Undefined without both, or when the reports
/// commit nothing.
pub fn judgement(commit: Option<Money>, reports_commit: Option<Money>) -> Option<f64> {
    let (commit, reports) = (commit?, reports_commit?);
    if reports == Money::ZERO {
        return None;
    }
    let miss = commit.distance(reports) as f64 / reports.minor() as f64;
    Some(if commit < reports { -miss } else { miss })
}

/// year-to-date attainment = Σ closed_won / Σ quota over the fiscal year's
/// periods so far.
pub fn ytd_attainment(ytd: Option<Ytd>) -> Option<f64> {
    let ytd = ytd?;
    attainment(ytd.closed_won, ytd.quota)
}

/// forecast accuracy = 1 − |forecast − closed_won| / closed_won, floored at
/// 0. Undefined without a forecast, or when closed_won is 0.
pub fn forecast_accuracy(forecast: Option<Money>, closed_won: Money) -> Option<f64> {
    let forecast = forecast?;
    if closed_won == Money::ZERO {
        return None;
    }
    // The distance is unsigned, so no pair of amounts overflows it.
    let relative_miss = forecast.distance(closed_won) as f64 / closed_won.minor() as f64;
    Some((1.0 - relative_miss.abs()).max(0.0))
}

/// Team figures: sums of quota, closed_won, deals and pipeline over the
/// team's reps (for a leader, every rep below them). A count or amount that
/// no rep gives stays undefined. The team forecast is the one the manager
/// submitted when given, else the sum of the reps' forecasts. Cycle days
/// are the won-deal-weighted mean. Pipeline and forecast carry their
/// [`Basis`]: the reps who gave them, against whose quota and closed-won
/// they are measured (all of them for a submitted forecast). The parts
/// may be reps' records or other roll-ups: rolling up sub-teams gives the
/// same figures and bases as rolling up their reps. `Ok(None)` when no rep
/// has figures; every sum is checked, and one that would overflow is an
/// [`Overflow`], never a wrapped or capped figure.
pub fn roll_up<'a>(
    reps: impl IntoIterator<Item = &'a Figures>,
    submitted_forecast: Option<Money>,
) -> Result<Option<Figures>, Overflow> {
    let reps: Vec<&Figures> = reps.into_iter().collect();
    if reps.is_empty() {
        return Ok(None);
    }
    let sum_money = |name: &'static str, get: fn(&Figures) -> Option<Money>| {
        let given: Vec<Money> = reps.iter().filter_map(|f| get(f)).collect();
        if given.is_empty() {
            return Ok(None);
        }
        Money::checked_sum(given).map(Some).ok_or(Overflow(name))
    };
    let sum_count = |name: &'static str, get: &dyn Fn(&Figures) -> Option<u32>| {
        let given: Vec<u32> = reps.iter().filter_map(|f| get(f)).collect();
        if given.is_empty() {
            return Ok(None);
        }
        checked_count(given).map(Some).ok_or(Overflow(name))
    };
    let weighted_cycle = {
        let pairs: Vec<(f64, f64)> = reps
            .iter()
            .filter_map(|f| Some((f.cycle_days?, f64::from(f.deals_won?))))
            .filter(|(_, won)| *won > 0.0)
            .collect();
        let won: f64 = pairs.iter().map(|(_, w)| w).sum();
        (won > 0.0).then(|| pairs.iter().map(|(days, w)| days * w).sum::<f64>() / won)
    };
    let activity = |name, get: fn(&Activities) -> Option<u32>| {
        sum_count(name, &|f: &Figures| f.activities.and_then(|a| get(&a)))
    };
    let activities = Activities {
        calls: activity("calls", |a| a.calls)?,
        emails: activity("emails", |a| a.emails)?,
        meetings: activity("meetings", |a| a.meetings)?,
        demos: activity("demos", |a| a.demos)?,
    };
    let documentation = {
        let given: Vec<Documentation> = reps.iter().filter_map(|f| f.documentation).collect();
        if given.is_empty() {
            None
        } else {
            Some(Documentation {
                open: checked_count(given.iter().map(|d| d.open)).ok_or(Overflow("open deals"))?,
                complete: checked_count(given.iter().map(|d| d.complete))
                    .ok_or(Overflow("open deals"))?,
            })
        }
    };
    let deal_pipeline = reps
        .iter()
        .filter_map(|f| f.deal_pipeline.as_ref())
        .try_fold(None::<DealPipeline>, |sum, part| {
            Ok::<_, Overflow>(Some(match sum {
                Some(sum) => sum.checked_add(part)?,
                None => part.clone(),
            }))
        })?;
    let quota = Money::checked_sum(reps.iter().map(|f| f.quota)).ok_or(Overflow("quota"))?;
    let closed_won =
        Money::checked_sum(reps.iter().map(|f| f.closed_won)).ok_or(Overflow("closed_won"))?;
    let basis = |given: fn(&Figures) -> Option<Basis>, has: fn(&Figures) -> bool| {
        Basis::sum(
            reps.iter()
                .map(|f| given(f).unwrap_or_else(|| Basis::of_record(f, has(f)))),
        )
    };
    let pipeline_basis = basis(|f| f.pipeline_basis, |f| f.pipeline.is_some())?;
    let (forecast, forecast_basis) = match submitted_forecast {
        // The manager's forecast speaks for the whole team.
        Some(forecast) => (
            Some(forecast),
            Basis {
                reps: pipeline_basis.of,
                of: pipeline_basis.of,
                quota,
                closed_won,
            },
        ),
        None => (
            sum_money("forecast", |f| f.forecast)?,
            basis(|f| f.forecast_basis, |f| f.forecast.is_some())?,
        ),
    };
    Ok(Some(Figures {
        quota,
        full_quota: None,
        pipeline_basis: Some(pipeline_basis),
        forecast_basis: Some(forecast_basis),
        closed_won,
        deals_won: sum_count("deals_won", &|f| f.deals_won)?,
        deals_lost: sum_count("deals_lost", &|f| f.deals_lost)?,
        pipeline: sum_money("pipeline", |f| f.pipeline)?,
        forecast,
        cycle_days: weighted_cycle,
        opportunities_created: sum_count("opportunities_created", &|f| f.opportunities_created)?,
        activities: (activities != Activities::default()).then_some(activities),
        documentation,
        // Every part is of the same period, so stands where it stands.
        progress: reps[0].progress,
        // A team's call and year to date are its own, not its reps' sums:
        // `rollup::Org` sets them.
        commit: None,
        best_case: None,
        reports_commit: None,
        ytd: None,
        pushed_deals: sum_count("pushed_deals", &|f| f.pushed_deals)?,
        deals_no_decision: sum_count("deals_no_decision", &|f| f.deals_no_decision)?,
        deal_pipeline,
    }))
}

/// The sum of counts; `None` past `u32::MAX` rather than a capped figure.
pub fn checked_count(counts: impl IntoIterator<Item = u32>) -> Option<u32> {
    counts
        .into_iter()
        .try_fold(0u32, |sum, count| sum.checked_add(count))
}

/// documentation compliance = open deals with every required field filled /
/// open deals. Undefined without open deals (or without deal data).
pub fn documentation_compliance(documentation: Option<Documentation>) -> Option<f64> {
    let documentation = documentation?;
    (documentation.open > 0)
        .then(|| f64::from(documentation.complete) / f64::from(documentation.open))
}

/// team attainment = Σclosed_won / Σquota over the team's reps.
pub fn team_attainment(team: &Figures) -> Option<f64> {
    attainment(team.closed_won, team.quota)
}

/// Whether a rep's record is on a ramp quota: it gives a `full_quota`
/// above this period's `quota`.
pub fn on_ramp_quota(figures: &Figures) -> bool {
    figures.full_quota.is_some_and(|full| full > figures.quota)
}

/// ramp attainment = closed_won / full_quota for a rep on a ramp quota,
/// else attainment: what "ramped" is judged on, so beating a small ramp
/// quota does not read as ramped.
pub fn ramp_attainment(figures: &Figures) -> Option<f64> {
    attainment(
        figures.closed_won,
        figures.full_quota.unwrap_or(figures.quota),
    )
}

/// reps at quota = share of reps with attainment ≥ 1, among reps not on a
/// ramp quota ([`on_ramp_quota`]; they are counted apart by
/// [`ramping_reps`]). Undefined with no such reps.
pub fn reps_at_quota<'a>(reps: impl IntoIterator<Item = &'a Figures>) -> Option<f64> {
    let (mut at_quota, mut total) = (0usize, 0usize);
    for figures in reps.into_iter().filter(|f| !on_ramp_quota(f)) {
        total += 1;
        if attainment(figures.closed_won, figures.quota).is_some_and(|a| a >= 1.0) {
            at_quota += 1;
        }
    }
    (total > 0).then(|| at_quota as f64 / total as f64)
}

/// How many reps are on a ramp quota: left out of [`reps_at_quota`].
pub fn ramping_reps<'a>(reps: impl IntoIterator<Item = &'a Figures>) -> usize {
    reps.into_iter().filter(|f| on_ramp_quota(f)).count()
}

/// change = this period's value − the previous period's, for rates in
/// points of the ratio (0.05 = 5 points). Undefined when either is.
pub fn change(current: Option<f64>, previous: Option<f64>) -> Option<f64> {
    Some(current? - previous?)
}

/// coaching coverage = reps with a coaching plan for the period (whatever
/// its status now) / reps with figures in the period. Undefined with no reps.
pub fn coaching_coverage(coached_reps: usize, active_reps: usize) -> Option<f64> {
    (active_reps > 0).then(|| coached_reps as f64 / active_reps as f64)
}

/// reps coached = reps with figures in the period who had at least one
/// coaching session in it (logged, or in a plan) / reps with figures in
/// the period — the seeds' "only 30% of reps get coaching". Undefined
/// with no reps with figures.
pub fn reps_coached(coached_reps: usize, reps_with_figures: usize) -> Option<f64> {
    (reps_with_figures > 0).then(|| coached_reps as f64 / reps_with_figures as f64)
}

/// sessions per rep = coaching sessions in the period with reps who have
/// figures in it / those reps. Undefined with no reps with figures.
pub fn sessions_per_rep(sessions: usize, reps_with_figures: usize) -> Option<f64> {
    (reps_with_figures > 0).then(|| sessions as f64 / reps_with_figures as f64)
}

/// How many of `sessions` fall from `first` to `last`, both included.
pub fn sessions_between(sessions: &[Date], first: Date, last: Date) -> usize {
    sessions
        .iter()
        .filter(|&&date| first <= date && date <= last)
        .count()
}

/// days since the last session = `as_of` − the latest session on or
/// before it (`as_of` is the period's last day). Undefined without one:
/// never coached is not "0 days".
pub fn days_since_last_session(sessions: &[Date], as_of: Date) -> Option<i64> {
    let last = sessions.iter().filter(|&&date| date <= as_of).max()?;
    Some(i64::from((as_of - *last).get_days()))
}

/// A rep's ramp: how long they took to reach the ramp threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ramp {
    /// Reached the threshold in this many periods, the start period counted as 1.
    Reached(u32),
    /// Not yet reached, after this many periods.
    Ramping(u32),
}

/// ramp = the number of periods from a rep's start period (counted as 1) to
/// the first period with attainment ≥ `threshold`; not yet reached →
/// ramping. `None` when the rep started before the figures begin (their
/// ramp cannot be known) or after `latest`.
pub fn ramp(
    start: Period,
    latest: Period,
    attainment_by_period: &BTreeMap<Period, f64>,
    threshold: f64,
) -> Option<Ramp> {
    let first_known = *attainment_by_period.keys().next()?;
    if start < first_known || start > latest {
        return None;
    }
    let mut period = start;
    let mut count = 1;
    loop {
        if attainment_by_period
            .get(&period)
            .is_some_and(|a| *a >= threshold)
        {
            return Some(Ramp::Reached(count));
        }
        if period >= latest {
            return Some(Ramp::Ramping(count));
        }
        period = period.next();
        count += 1;
    }
}

/// goal progress = (current − baseline) / (target − baseline), from 0 at the
/// baseline to 1 at the target, whichever way the target points (a shorter
/// cycle is progress too), capped at 1 once the target is reached. Below 0
/// when the metric moved away from the target: going backwards never reads
/// as the same 0% as standing still. Undefined without a current value or
/// when target = baseline.
pub fn goal_progress(baseline: f64, target: f64, current: Option<f64>) -> Option<f64> {
    let span = target - baseline;
    if span == 0.0 {
        return None;
    }
    Some(((current? - baseline) / span).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(major: i64) -> Money {
        Money::from_major(major)
    }

    fn day_of(day: u32, days: u32) -> Progress {
        Progress {
            as_of: Date::constant(2026, 11, 15),
            day,
            days,
        }
    }

    #[test]
    fn pace_projects_attainment_to_date_in_a_straight_line() {
        // 35% of quota on day 46 of 92 (half the quarter) is a 70% pace.
        let pace = pace(money(35_000), money(100_000), day_of(46, 92)).unwrap();
        assert!((pace - 0.70).abs() < 1e-12, "{pace}");
        // A rep at 35% on day 30 of 90 is ahead of quota's pace, not red.
        let early = pace_of(&Figures {
            quota: money(90_000),
            closed_won: money(31_500),
            progress: Some(day_of(30, 90)),
            ..Figures::default()
        });
        assert!((early.unwrap() - 1.05).abs() < 1e-12);
        // A complete period has no pace.
        assert_eq!(
            pace_of(&Figures {
                quota: money(1),
                ..Figures::default()
            }),
            None
        );
    }

    #[test]
    fn remaining_coverage_is_pipeline_over_what_is_left_of_quota() {
        // 100k quota, 40k won: 150k pipeline covers the 60k left 2.5×.
        assert_eq!(
            remaining_coverage(Some(money(150_000)), money(100_000), money(40_000)),
            Some(2.5)
        );
        // Quota reached: nothing remains to cover.
        assert_eq!(
            remaining_coverage(Some(money(150_000)), money(100_000), money(100_000)),
            None
        );
        assert_eq!(remaining_coverage(None, money(100_000), money(0)), None);
    }

    #[test]
    fn forecast_error_is_signed_and_accuracy_is_not() {
        // Called 115k, closed 100k: a 15% over-call, 85% accurate.
        assert_eq!(
            forecast_error(Some(money(115_000)), money(100_000)),
            Some(0.15)
        );
        assert_eq!(
            forecast_accuracy(Some(money(115_000)), money(100_000)),
            Some(0.85)
        );
        // Called 85k: the same accuracy, but an under-call.
        assert_eq!(
            forecast_error(Some(money(85_000)), money(100_000)),
            Some(-0.15)
        );
        assert_eq!(forecast_error(Some(money(1)), Money::ZERO), None);
        assert_eq!(forecast_error(None, money(1)), None);
        // Never while the period is in progress.
        let running = Figures {
            quota: money(100),
            closed_won: money(50),
            forecast: Some(money(90)),
            progress: Some(day_of(10, 90)),
            ..Figures::default()
        };
        assert_eq!(forecast_error_of(&running), None);
        assert_eq!(forecast_accuracy_of(&running), None);
    }

    #[test]
    fn accuracy_by_week_judges_each_call_against_the_final_result() {
        let d = |day| Date::constant(2026, 7, day);
        let weeks = accuracy_by_week(
            &[
                (d(6), money(80_000)),
                (d(13), money(95_000)),
                (d(20), money(100_000)),
            ],
            money(100_000),
        );
        assert_eq!(
            weeks,
            vec![(d(6), Some(0.8)), (d(13), Some(0.95)), (d(20), Some(1.0))]
        );
    }

    #[test]
    fn judgement_compares_a_managers_call_with_their_reports_calls() {
        // Reps commit 400k, the manager calls 470k: 17.5% above them.
        assert_eq!(
            judgement(Some(money(470_000)), Some(money(400_000))),
            Some(0.175)
        );
        assert_eq!(
            judgement(Some(money(300_000)), Some(money(400_000))),
            Some(-0.25)
        );
        assert_eq!(judgement(Some(money(1)), None), None);
        assert_eq!(judgement(Some(money(1)), Some(Money::ZERO)), None);
    }

    #[test]
    fn year_to_date_attainment_sums_before_dividing() {
        // Q1 50/100, Q2 150/100: 200 of 200, not the mean of 50% and 150%
        // (which happens to agree) — and Q3 in progress 10 of 200 gives
        // 210 of 400.
        let ytd = Ytd::default()
            .add(money(100), money(50))
            .and_then(|y| y.add(money(100), money(150)))
            .and_then(|y| y.add(money(200), money(10)));
        assert_eq!(ytd_attainment(ytd), Some(0.525));
        assert_eq!(ytd_attainment(None), None);
    }

    fn rep(
        quota: i64,
        closed_won: i64,
        won: u32,
        lost: u32,
        pipeline: Option<i64>,
        forecast: Option<i64>,
    ) -> Figures {
        Figures {
            quota: money(quota),
            closed_won: money(closed_won),
            deals_won: Some(won),
            deals_lost: Some(lost),
            pipeline: pipeline.map(money),
            forecast: forecast.map(money),
            ..Figures::default()
        }
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn attainment_is_closed_won_over_quota() {
        assert!(close(
            attainment(money(98_000), money(120_000)),
            98.0 / 120.0
        ));
        assert!(close(attainment(money(0), money(120_000)), 0.0));
        assert_eq!(attainment(money(5), Money::ZERO), None);
    }

    #[test]
    fn win_rate_is_undefined_without_decided_deals() {
        assert!(close(win_rate(Some(7), Some(5)), 7.0 / 12.0));
        assert!(close(win_rate(Some(0), Some(4)), 0.0));
        assert_eq!(win_rate(Some(0), Some(0)), None);
        assert_eq!(win_rate(None, Some(3)), None);
    }

    #[test]
    fn average_deal_is_exact_and_undefined_without_wins() {
        assert_eq!(average_deal(money(98_000), Some(7)), Some(money(14_000)));
        assert_eq!(
            average_deal(Money::from_minor(1000), Some(3)),
            Some(Money::from_minor(333))
        );
        assert_eq!(average_deal(money(98_000), Some(0)), None);
    }

    #[test]
    fn coverage_needs_a_pipeline() {
        assert!(close(
            pipeline_coverage(Some(money(310_000)), money(100_000)),
            3.1
        ));
        assert_eq!(pipeline_coverage(None, money(100_000)), None);
    }

    #[test]
    fn forecast_accuracy_is_floored_and_undefined_without_revenue() {
        assert!(close(
            forecast_accuracy(Some(money(105_000)), money(100_000)),
            0.95
        ));
        assert!(close(
            forecast_accuracy(Some(money(95_000)), money(100_000)),
            0.95
        ));
        assert!(close(
            forecast_accuracy(Some(money(300_000)), money(100_000)),
            0.0
        ));
        assert_eq!(forecast_accuracy(None, money(100_000)), None);
        assert_eq!(forecast_accuracy(Some(money(10)), Money::ZERO), None);
    }

    /// A leader over two managers over three reps, computed by hand:
    /// team A = ann (quota 100k, won 80k, 4–6, pipeline 300k) + ben (quota
    /// 50k, won 60k, 3–1, no pipeline); team B = cal (quota 150k, won 150k,
    /// 5–5, pipeline 450k).
    #[test]
    fn rolls_up_over_two_levels() {
        let ann = rep(100_000, 80_000, 4, 6, Some(300_000), Some(90_000));
        let ben = rep(50_000, 60_000, 3, 1, None, Some(55_000));
        let cal = rep(150_000, 150_000, 5, 5, Some(450_000), None);

        let team_a = roll_up([&ann, &ben], Some(money(150_000)))
            .unwrap()
            .unwrap();
        assert_eq!(team_a.quota, money(150_000));
        assert_eq!(team_a.closed_won, money(140_000));
        assert_eq!((team_a.deals_won, team_a.deals_lost), (Some(7), Some(7)));
        assert_eq!(team_a.pipeline, Some(money(300_000)));
        assert!(close(team_attainment(&team_a), 140.0 / 150.0));
        assert!(close(win_rate(team_a.deals_won, team_a.deals_lost), 0.5));
        // The submitted team forecast wins over the reps' sum: 1 − 10/140.
        assert!(close(
            forecast_accuracy(team_a.forecast, team_a.closed_won),
            1.0 - 10.0 / 140.0
        ));

        let team_b = roll_up([&cal], None).unwrap().unwrap();
        assert_eq!(team_b.forecast, None);

        // The leader's figures are the sums over every rep below them.
        let org = roll_up([&ann, &ben, &cal], None).unwrap().unwrap();
        assert_eq!(Some(org.quota), team_a.quota.checked_add(team_b.quota));
        assert_eq!(org.closed_won, money(290_000));
        assert!(close(team_attainment(&org), 290.0 / 300.0));
        assert!(close(win_rate(org.deals_won, org.deals_lost), 12.0 / 24.0));
        // Ben gave no pipeline: coverage is over Ann's and Cal's quota.
        assert!(close(coverage_of(&org), 750.0 / 250.0));
        assert_eq!(org.forecast, Some(money(145_000)));
        assert!(close(reps_at_quota([&ann, &ben, &cal]), 2.0 / 3.0));
        assert_eq!(roll_up([], None), Ok(None));
    }

    /// 100,000 reps each at the largest amount content may give: the sum
    /// passes what an i64 of cents holds and used to wrap to a negative
    /// closed-won and attainment.
    #[test]
    fn roll_ups_report_overflow_instead_of_wrapping() {
        let largest = Money::from_major(crate::vocab::money::MAX_MAJOR);
        let big = Figures {
            quota: largest,
            closed_won: largest,
            deals_won: Some(u32::MAX / 2),
            ..Figures::default()
        };
        let reps = vec![big.clone(); 100_000];
        assert_eq!(roll_up(&reps, None), Err(Overflow("quota")));
        let counted = vec![big.clone(), big.clone(), big];
        assert_eq!(roll_up(&counted, None), Err(Overflow("deals_won")));
        assert_eq!(checked_count([u32::MAX, 1]), None);
        assert_eq!(checked_count([u32::MAX - 1, 1]), Some(u32::MAX));
    }

    #[test]
    fn documentation_compliance_is_complete_over_open() {
        let docs = |open, complete| Some(Documentation { open, complete });
        assert!(close(documentation_compliance(docs(8, 6)), 0.75));
        assert_eq!(documentation_compliance(docs(0, 0)), None);
        assert_eq!(documentation_compliance(None), None);
        let a = Figures {
            documentation: docs(4, 1),
            ..rep(10, 0, 0, 0, None, None)
        };
        let b = Figures {
            documentation: docs(6, 5),
            ..rep(10, 0, 0, 0, None, None)
        };
        assert!(close(
            documentation_compliance(roll_up([&a, &b], None).unwrap().unwrap().documentation),
            0.6
        ));
    }

    #[test]
    fn roll_ups_sum_the_pipeline_from_deals_checked() {
        use crate::vocab::figures::{DealPipeline, DealSum};
        let deals = |count, amount, weighted: Option<i64>| Figures {
            deals_no_decision: Some(count),
            deal_pipeline: Some(DealPipeline {
                by_stage: vec![
                    DealSum::default(),
                    DealSum {
                        count,
                        amount: money(amount),
                    },
                ],
                commit: DealSum {
                    count,
                    amount: money(amount),
                },
                weighted: weighted.map(money),
                created: DealSum {
                    count,
                    amount: money(amount),
                },
                past_due: DealSum {
                    count: 1,
                    amount: money(1),
                },
                age_days_sum: 10,
                aged: 1,
                ..DealPipeline::default()
            }),
            ..rep(10, 0, 0, 0, None, None)
        };
        let team = roll_up([&deals(2, 300, Some(100)), &deals(3, 700, None)], None)
            .unwrap()
            .unwrap();
        let pipeline = team.deal_pipeline.unwrap();
        assert_eq!(
            pipeline.open(),
            Some(DealSum {
                count: 5,
                amount: money(1000)
            })
        );
        assert_eq!(pipeline.by_stage[1].count, 5);
        assert_eq!(pipeline.commit.amount, money(1000));
        assert_eq!(pipeline.weighted, Some(money(100)));
        assert_eq!(pipeline.past_due.count, 2);
        assert_eq!(pipeline.mean_age_days(), Some(10.0));
        assert_eq!(team.deals_no_decision, Some(5));
        // A rep without deal figures adds nothing, and is no zero.
        let without = roll_up([&rep(10, 0, 0, 0, None, None)], None)
            .unwrap()
            .unwrap();
        assert_eq!(without.deal_pipeline, None);
        let huge = Figures {
            deal_pipeline: Some(DealPipeline {
                created: DealSum {
                    count: 1,
                    amount: Money::MAX,
                },
                ..DealPipeline::default()
            }),
            ..rep(10, 0, 0, 0, None, None)
        };
        assert_eq!(
            roll_up([&huge, &huge], None),
            Err(Overflow("pipeline_created"))
        );
    }

    #[test]
    fn reps_at_quota_is_undefined_without_reps() {
        assert_eq!(reps_at_quota([]), None);
    }

    fn ramping(quota: i64, full_quota: i64, closed_won: i64) -> Figures {
        Figures {
            full_quota: Some(money(full_quota)),
            ..rep(quota, closed_won, 0, 0, None, None)
        }
    }

    /// A new rep beating a $30k ramp quota has not ramped: ramp is judged
    /// on closed-won against the full quota.
    #[test]
    fn ramp_is_measured_against_the_full_quota() {
        let q = |s: &str| Period::parse(s).unwrap();
        let first = ramping(30_000, 120_000, 36_000);
        assert!(close(attainment(first.closed_won, first.quota), 1.2));
        assert!(close(ramp_attainment(&first), 0.3));
        assert!(on_ramp_quota(&first));
        let second = ramping(80_000, 120_000, 96_000);
        let third = Figures {
            full_quota: Some(money(120_000)),
            ..rep(120_000, 126_000, 0, 0, None, None)
        };
        // Full quota equal to the quota: no longer on a ramp quota.
        assert!(!on_ramp_quota(&third));
        assert!(close(ramp_attainment(&third), 1.05));
        let records = [
            (q("2026-Q1"), &first),
            (q("2026-Q2"), &second),
            (q("2026-Q3"), &third),
        ];
        let history = |upto: &str| -> BTreeMap<Period, f64> {
            records
                .iter()
                .filter(|(p, _)| *p <= q(upto))
                .filter_map(|(p, f)| Some((*p, ramp_attainment(f)?)))
                .collect()
        };
        assert_eq!(
            ramp(q("2026-Q1"), q("2026-Q1"), &history("2026-Q1"), 1.0),
            Some(Ramp::Ramping(1))
        );
        assert_eq!(
            ramp(q("2026-Q1"), q("2026-Q2"), &history("2026-Q2"), 1.0),
            Some(Ramp::Ramping(2))
        );
        assert_eq!(
            ramp(q("2026-Q1"), q("2026-Q3"), &history("2026-Q3"), 1.0),
            Some(Ramp::Reached(3))
        );
        // Without a full quota, a record is its own measure.
        let plain = rep(100_000, 90_000, 0, 0, None, None);
        assert_eq!(
            ramp_attainment(&plain),
            attainment(plain.closed_won, plain.quota)
        );
    }

    #[test]
    fn reps_at_quota_leaves_out_reps_on_a_ramp_quota() {
        let above = rep(100_000, 110_000, 0, 0, None, None);
        let below = rep(100_000, 90_000, 0, 0, None, None);
        // 150% of a ramp quota: not "at quota", but ramping, counted apart.
        let new_hire = ramping(30_000, 120_000, 45_000);
        assert!(close(reps_at_quota([&above, &below, &new_hire]), 0.5));
        assert_eq!(ramping_reps([&above, &below, &new_hire]), 1);
        assert_eq!(reps_at_quota([&new_hire]), None);
        assert_eq!(ramping_reps([&above, &below]), 0);
    }

    /// One rep without a pipeline figure used to halve the team's coverage
    /// (1.5× for two reps at 3×), and one without a forecast used to sink
    /// its forecast accuracy: the figure is over the reps who gave it.
    #[test]
    fn a_missing_figure_is_left_out_of_a_team_figure_not_counted_as_zero() {
        let gave = rep(100_000, 100_000, 0, 0, Some(300_000), Some(95_000));
        let silent = rep(100_000, 100_000, 0, 0, None, None);
        let team = roll_up([&gave, &silent], None).unwrap().unwrap();
        assert!(close(coverage_of(&team), 3.0));
        assert!(close(pipeline_coverage(team.pipeline, team.quota), 1.5));
        let basis = team.pipeline_basis.unwrap();
        assert_eq!((basis.reps, basis.of, basis.quota), (1, 2, money(100_000)));
        assert!(basis.is_partial());
        assert!(close(forecast_accuracy_of(&team), 0.95));
        assert!(close(
            forecast_accuracy(team.forecast, team.closed_won),
            0.475
        ));
        assert_eq!(team.forecast_basis.unwrap().closed_won, money(100_000));
        // A submitted team forecast speaks for every rep.
        let submitted = roll_up([&gave, &silent], Some(money(190_000)))
            .unwrap()
            .unwrap();
        let basis = submitted.forecast_basis.unwrap();
        assert_eq!((basis.reps, basis.of), (2, 2));
        assert!(!basis.is_partial());
        assert!(close(forecast_accuracy_of(&submitted), 0.95));
        // Nobody gave one: undefined, never 0×.
        let none = roll_up([&silent], None).unwrap().unwrap();
        assert_eq!(coverage_of(&none), None);
        assert_eq!(forecast_accuracy_of(&none), None);
    }

    #[test]
    fn change_is_in_points_and_needs_both_periods() {
        assert!(close(change(Some(0.45), Some(0.40)), 0.05));
        assert_eq!(change(Some(0.45), None), None);
        assert_eq!(change(None, Some(0.45)), None);
    }

    #[test]
    fn coaching_delivered_counts_sessions_and_days() {
        let d = |m, day| jiff::civil::date(2026, m, day);
        assert!(close(reps_coached(3, 10), 0.3));
        assert_eq!(reps_coached(0, 0), None);
        assert!(close(sessions_per_rep(7, 4), 1.75));
        assert_eq!(sessions_per_rep(3, 0), None);
        let sessions = [d(6, 20), d(7, 2), d(8, 10), d(10, 2)];
        assert_eq!(sessions_between(&sessions, d(7, 1), d(9, 30)), 2);
        assert_eq!(sessions_between(&sessions, d(7, 2), d(8, 10)), 2);
        // As of the end of Q3: the October session has not happened yet.
        assert_eq!(days_since_last_session(&sessions, d(9, 30)), Some(51));
        assert_eq!(days_since_last_session(&sessions, d(8, 10)), Some(0));
        assert_eq!(days_since_last_session(&sessions, d(6, 1)), None);
        assert_eq!(days_since_last_session(&[], d(6, 1)), None);
    }

    #[test]
    fn coaching_coverage_is_coached_over_active() {
        assert!(close(coaching_coverage(3, 12), 0.25));
        assert!(close(coaching_coverage(0, 12), 0.0));
        assert_eq!(coaching_coverage(0, 0), None);
    }

    #[test]
    fn ramp_counts_periods_from_the_start_period() {
        let q = |s: &str| Period::parse(s).unwrap();
        let history: BTreeMap<Period, f64> = [
            ("2025-Q3", 0.4),
            ("2025-Q4", 0.8),
            ("2026-Q1", 1.05),
            ("2026-Q2", 0.9),
        ]
        .into_iter()
        .map(|(p, a)| (q(p), a))
        .collect();
        assert_eq!(
            ramp(q("2025-Q3"), q("2026-Q2"), &history, 1.0),
            Some(Ramp::Reached(3))
        );
        assert_eq!(
            ramp(q("2025-Q3"), q("2026-Q2"), &history, 0.75),
            Some(Ramp::Reached(2))
        );
        assert_eq!(
            ramp(q("2025-Q3"), q("2026-Q2"), &history, 1.2),
            Some(Ramp::Ramping(4))
        );
        // Started before the figures begin: the ramp cannot be known.
        assert_eq!(ramp(q("2024-Q1"), q("2026-Q2"), &history, 1.0), None);
        // A quarter without figures is counted, not skipped.
        let gap: BTreeMap<Period, f64> = [(q("2025-Q3"), 0.5), (q("2026-Q1"), 1.0)]
            .into_iter()
            .collect();
        assert_eq!(
            ramp(q("2025-Q3"), q("2026-Q1"), &gap, 1.0),
            Some(Ramp::Reached(3))
        );
    }

    #[test]
    fn metric_values_and_goal_progress() {
        let figures = rep(100_000, 80_000, 4, 6, Some(250_000), None);
        assert!(close(Metric::WinRate.value(&figures), 0.4));
        assert!(close(Metric::AvgDeal.value(&figures), 20_000.0));
        assert_eq!(Metric::ForecastAccuracy.value(&figures), None);
        assert!(close(goal_progress(0.25, 0.35, Some(0.30)), 0.5));
        assert!(close(goal_progress(60.0, 40.0, Some(50.0)), 0.5));
        assert!(close(goal_progress(0.25, 0.35, Some(0.5)), 1.0));
        // Moving away from the target is negative, unlike standing still.
        assert!(close(goal_progress(0.25, 0.35, Some(0.25)), 0.0));
        assert!(close(goal_progress(0.25, 0.35, Some(0.20)), -0.5));
        assert!(close(goal_progress(60.0, 40.0, Some(70.0)), -0.5));
        assert_eq!(goal_progress(0.3, 0.3, Some(0.3)), None);
        assert_eq!(goal_progress(0.25, 0.35, None), None);
        assert_eq!(Metric::parse("win_rate"), Some(Metric::WinRate));
        assert_eq!(Metric::parse("winrate"), None);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn figures() -> impl Strategy<Value = Figures> {
        (
            1i64..10_000_000,
            0i64..20_000_000,
            0u32..500,
            0u32..500,
            proptest::option::of(0i64..50_000_000),
            proptest::option::of(0i64..20_000_000),
        )
            .prop_map(
                |(quota, closed_won, won, lost, pipeline, forecast)| Figures {
                    quota: Money::from_minor(quota * 100),
                    closed_won: Money::from_minor(closed_won * 100),
                    deals_won: Some(won),
                    deals_lost: Some(lost),
                    pipeline: pipeline.map(|p| Money::from_minor(p * 100)),
                    forecast: forecast.map(|p| Money::from_minor(p * 100)),
                    ..Figures::default()
                },
            )
    }

    fn sum(amounts: impl IntoIterator<Item = Money>) -> Money {
        Money::checked_sum(amounts).unwrap()
    }

    proptest! {
        #[test]
        fn pace_is_attainment_when_the_period_is_over(
            f in figures(),
            days in 28u32..120,
        ) {
            // On the last day the projection is the attainment itself.
            let pace = pace(f.closed_won, f.quota, Progress {
                as_of: Date::constant(2026, 1, 1),
                day: days,
                days,
            });
            prop_assert_eq!(pace, attainment(f.closed_won, f.quota));
        }

        #[test]
        fn forecast_error_and_accuracy_agree(f in figures()) {
            // accuracy = 1 − |error|, floored at 0.
            if let (Some(error), Some(accuracy)) = (
                forecast_error(f.forecast, f.closed_won),
                forecast_accuracy(f.forecast, f.closed_won),
            ) {
                prop_assert!((accuracy - (1.0 - error.abs()).max(0.0)).abs() < 1e-9);
            }
        }

        #[test]
        fn team_roll_ups_equal_the_sum_of_their_parts(reps in proptest::collection::vec(figures(), 1..40), split in 0usize..40) {
            let split = split.min(reps.len());
            let whole = roll_up(&reps, None).unwrap().unwrap();
            prop_assert_eq!(Some(whole.quota), Money::checked_sum(reps.iter().map(|f| f.quota)));
            prop_assert_eq!(Some(whole.closed_won), Money::checked_sum(reps.iter().map(|f| f.closed_won)));
            // Rolling up two sub-teams and then their sums gives the same totals.
            let (a, b) = reps.split_at(split);
            let parts: Vec<Figures> = [a, b].iter().filter(|p| !p.is_empty()).map(|p| roll_up(*p, None).unwrap().unwrap()).collect();
            let of_parts = roll_up(&parts, None).unwrap().unwrap();
            prop_assert_eq!(of_parts.quota, whole.quota);
            prop_assert_eq!(of_parts.closed_won, whole.closed_won);
            prop_assert_eq!(of_parts.deals_won, whole.deals_won);
            prop_assert_eq!(of_parts.deals_lost, whole.deals_lost);
            prop_assert_eq!(of_parts.pipeline, whole.pipeline);
            prop_assert_eq!(of_parts.pipeline_basis, whole.pipeline_basis);
            prop_assert_eq!(of_parts.forecast, whole.forecast);
            prop_assert_eq!(of_parts.forecast_basis, whole.forecast_basis);
        }

        /// A team's coverage is Σpipeline_k / Σquota_k over the reps k who
        /// gave a pipeline, and its forecast accuracy is measured against
        /// Σclosed_won_k of the reps who gave a forecast: a rep without the
        /// figure moves neither, as a zero would.
        #[test]
        fn partial_roll_ups_never_count_a_missing_figure_as_zero(reps in proptest::collection::vec(figures(), 1..40)) {
            let team = roll_up(&reps, None).unwrap().unwrap();
            let gave: Vec<&Figures> = reps.iter().filter(|f| f.pipeline.is_some()).collect();
            let basis = team.pipeline_basis.unwrap();
            prop_assert_eq!(basis.reps as usize, gave.len());
            prop_assert_eq!(basis.of as usize, reps.len());
            if gave.is_empty() {
                prop_assert_eq!(coverage_of(&team), None);
            } else {
                let pipeline = sum(gave.iter().filter_map(|f| f.pipeline));
                let quota = sum(gave.iter().map(|f| f.quota));
                prop_assert_eq!(team.pipeline, Some(pipeline));
                prop_assert_eq!(basis.quota, quota);
                prop_assert_eq!(coverage_of(&team), pipeline.ratio(quota));
            }
            let forecasters: Vec<&Figures> = reps.iter().filter(|f| f.forecast.is_some()).collect();
            let basis = team.forecast_basis.unwrap();
            prop_assert_eq!(basis.reps as usize, forecasters.len());
            if forecasters.is_empty() {
                prop_assert_eq!(forecast_accuracy_of(&team), None);
            } else {
                let forecast = sum(forecasters.iter().filter_map(|f| f.forecast));
                let won = sum(forecasters.iter().map(|f| f.closed_won));
                prop_assert_eq!(basis.closed_won, won);
                prop_assert_eq!(forecast_accuracy_of(&team), forecast_accuracy(Some(forecast), won));
            }
            // A rep added without either figure changes neither figure.
            let mut more = reps.clone();
            more.push(Figures { quota: Money::from_major(1_000), closed_won: Money::from_major(500), ..Figures::default() });
            let bigger = roll_up(&more, None).unwrap().unwrap();
            prop_assert_eq!(coverage_of(&bigger), coverage_of(&team));
            prop_assert_eq!(forecast_accuracy_of(&bigger), forecast_accuracy_of(&team));
            prop_assert_eq!(bigger.pipeline_basis.unwrap().of, basis.of + 1);
        }

        #[test]
        fn attainment_grows_with_closed_won(quota in 1i64..1_000_000_000, a in 0i64..1_000_000_000, b in 0i64..1_000_000_000) {
            let (low, high) = (a.min(b), a.max(b));
            let quota = Money::from_minor(quota);
            let low = attainment(Money::from_minor(low), quota).unwrap();
            let high = attainment(Money::from_minor(high), quota).unwrap();
            prop_assert!(low <= high);
        }

        #[test]
        fn win_rate_stays_within_0_and_1(won in any::<u32>(), lost in any::<u32>()) {
            match win_rate(Some(won), Some(lost)) {
                Some(rate) => prop_assert!((0.0..=1.0).contains(&rate)),
                None => prop_assert_eq!(won as u64 + lost as u64, 0),
            }
        }

        #[test]
        fn forecast_accuracy_stays_within_0_and_1(forecast in 0i64..1_000_000_000, won in 1i64..1_000_000_000) {
            let accuracy = forecast_accuracy(Some(Money::from_minor(forecast)), Money::from_minor(won)).unwrap();
            prop_assert!((0.0..=1.0).contains(&accuracy));
        }
    }
}

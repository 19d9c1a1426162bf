//! Metrics stage: the org chart indexed once per build — who was under whom
//! on each period's roll-up day, every team's summed figures per period,
//! who was coached when — so that pages look things up instead of walking
//! the org chart again.
//! Entry: [`Org::new`].

use crate::metrics;
use crate::model::{Model, Person, Role};
use crate::vocab::figures::{Figures, Ytd};
use crate::vocab::money::Money;
use crate::vocab::period::Period;
use jiff::civil::Date;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

pub struct Org<'a> {
    model: &'a Model,
    /// Every rep, in id order.
    reps: Vec<&'a Person>,
    /// The org chart as `manager:` gives it today.
    current: Chart<'a>,
    /// The org chart on each period's roll-up day; empty when nobody has
    /// `lines:`, since every period's chart is then `current`.
    by_period: HashMap<Period, Chart<'a>>,
    /// (manager or leader id, period) → the team's summed figures, each
    /// summed on first use: a build reads every team, a figures edit under
    /// `serve` the few it touches.
    teams: HashMap<&'a str, HashMap<Period, OnceLock<Option<Figures>>>>,
    /// Period → the whole organisation's summed figures.
    whole: HashMap<Period, Figures>,
    /// (rep id, period) with a coaching plan for that period, whatever its
    /// status now: a plan paused today still ran in its period.
    coached: HashMap<&'a str, HashSet<Period>>,
    /// Rep id → the days they had a coaching session, oldest first: every
    /// entry of their log, and each plan session on a day the log has none
    /// (the same touch written in both places is counted once).
    sessions: HashMap<&'a str, Vec<Date>>,
}

/// Who reported to whom on one day.
#[derive(Default)]
struct Chart<'a> {
    /// Manager or leader id → every rep below them, in id order.
    reps_under: HashMap<&'a str, Vec<&'a Person>>,
    /// Person id → their direct reports, in id order.
    direct: HashMap<&'a str, Vec<&'a Person>>,
}

impl<'a> Chart<'a> {
    /// The chart on `day`, or as `manager:` gives it today without one.
    fn on(model: &'a Model, reps: &[&'a Person], day: Option<Date>) -> Chart<'a> {
        let boss_of = |person: &'a Person| match day {
            Some(day) => person.manager_on(day),
            None => person.manager.as_deref(),
        };
        let mut direct: HashMap<&str, Vec<&Person>> = HashMap::new();
        for person in model.people.values() {
            if let Some(manager) = boss_of(person)
                && let Some((key, _)) = model.people.get_key_value(manager)
            {
                direct.entry(key.as_str()).or_default().push(person);
            }
        }
        let mut reps_under: HashMap<&str, Vec<&Person>> = HashMap::new();
        let mut chain: Vec<&str> = Vec::new();
        for &rep in reps {
            // Manager chains are validated acyclic on every line's first
            // day; a loop missed there must not count a rep twice.
            chain.clear();
            let mut current = boss_of(rep);
            while let Some(id) = current {
                let Some((key, boss)) = model.people.get_key_value(id) else {
                    break;
                };
                if chain.contains(&key.as_str()) {
                    break;
                }
                chain.push(key.as_str());
                reps_under.entry(key.as_str()).or_default().push(rep);
                current = boss_of(boss);
            }
        }
        Chart { reps_under, direct }
    }
}

impl<'a> Org<'a> {
    pub fn new(model: &'a Model) -> Org<'a> {
        let reps: Vec<&Person> = model
            .people
            .values()
            .filter(|p| p.role == Role::Rep)
            .collect();
        let current = Chart::on(model, &reps, None);
        let by_period = if model.people.values().any(|p| !p.lines.is_empty()) {
            model
                .periods
                .par_iter()
                .map(|&period| {
                    let day = model.roll_up_date(period);
                    (period, Chart::on(model, &reps, Some(day)))
                })
                .collect()
        } else {
            HashMap::new()
        };
        let mut coached: HashMap<&str, HashSet<Period>> = HashMap::new();
        for plan in &model.coaching {
            coached
                .entry(plan.rep.as_str())
                .or_default()
                .insert(plan.period);
        }
        let mut sessions: HashMap<&str, Vec<Date>> = HashMap::new();
        for entry in &model.coaching_log {
            sessions
                .entry(entry.rep.as_str())
                .or_default()
                .push(entry.date);
        }
        for plan in &model.coaching {
            let logged: HashSet<Date> = sessions
                .get(plan.rep.as_str())
                .map(|dates| dates.iter().copied().collect())
                .unwrap_or_default();
            let dates = sessions.entry(plan.rep.as_str()).or_default();
            dates.extend(
                plan.sessions
                    .iter()
                    .map(|s| s.date)
                    .filter(|date| !logged.contains(date)),
            );
        }
        for dates in sessions.values_mut() {
            dates.sort();
        }
        let mut org = Org {
            model,
            reps,
            current,
            by_period,
            teams: HashMap::new(),
            whole: HashMap::new(),
            coached,
            sessions,
        };
        let mut teams: HashMap<&'a str, HashMap<Period, OnceLock<Option<Figures>>>> =
            HashMap::new();
        for &period in &model.periods {
            for &id in org.chart(period).reps_under.keys() {
                teams.entry(id).or_default().insert(period, OnceLock::new());
            }
        }
        org.teams = teams;
        let mut whole: HashMap<Period, Figures> = model
            .periods
            .par_iter()
            .filter_map(|&period| {
                let day = model.roll_up_date(period);
                let mut speaks_for = HashSet::new();
                let tops: Vec<Money> = model
                    .people
                    .values()
                    .filter(|p| p.manager_on(day).is_none())
                    .filter_map(|p| org.forecast_speaking_for(p, period, &mut speaks_for))
                    .collect();
                let forecast = (!tops.is_empty()).then(|| within_limits(Money::checked_sum(tops)));
                let mut figures = org.roll_up(&org.reps, period, forecast, &speaks_for)?;
                let tops: Vec<Call> = model
                    .people
                    .values()
                    .filter(|p| p.manager_on(day).is_none())
                    .filter_map(|p| org.call_of(p, period, day))
                    .collect();
                if !tops.is_empty() {
                    let sum = Call::sum(&tops);
                    figures.commit = Some(sum.commit);
                    figures.best_case = Some(sum.best_case);
                }
                Some((period, figures))
            })
            .collect();
        with_year_to_date(model, &mut whole);
        org.whole = whole;
        org
    }

    /// The call a person stands behind on `day`: their own, else (for a
    /// manager or leader) the sum of their direct reports' calls.
    pub fn call_of(&self, person: &Person, period: Period, day: Date) -> Option<Call> {
        if let Some((_, own)) = self.model.call_as_of(&person.id, period, day) {
            return Some(Call {
                commit: own.commit,
                best_case: own.best_case.unwrap_or(own.commit),
            });
        }
        if person.role == Role::Rep {
            return None;
        }
        let parts: Vec<Call> = self
            .direct_reports(&person.id, period)
            .iter()
            .filter_map(|p| self.call_of(p, period, day))
            .collect();
        (!parts.is_empty()).then(|| Call::sum(&parts))
    }

    /// A team's call (see [`Org::call_of`]) and, when the manager made
    /// their own, the sum of their direct reports' calls the same day.
    fn team_call(&self, person: &Person, period: Period, day: Date, figures: &mut Figures) {
        let Some(call) = self.call_of(person, period, day) else {
            return;
        };
        figures.commit = Some(call.commit);
        figures.best_case = Some(call.best_case);
        if self.model.call_as_of(&person.id, period, day).is_some() {
            let parts: Vec<Call> = self
                .direct_reports(&person.id, period)
                .iter()
                .filter_map(|p| self.call_of(p, period, day))
                .collect();
            figures.reports_commit = (!parts.is_empty()).then(|| Call::sum(&parts).commit);
        }
    }

    /// The figures of `reps` in `period`, summed, with the forecast given
    /// and the reps it speaks for.
    fn roll_up(
        &self,
        reps: &[&'a Person],
        period: Period,
        forecast: Option<Money>,
        speaks_for: &HashSet<&str>,
    ) -> Option<Figures> {
        let records: Vec<(&str, &Figures)> = reps
            .iter()
            .filter_map(|r| Some((r.id.as_str(), self.model.figures(&r.id, period)?)))
            .collect();
        let mut figures =
            within_limits(metrics::roll_up(records.iter().map(|(_, f)| *f), forecast).ok())?;
        // A forecast summed from sub-teams' and reps' own speaks for the
        // reps below whoever gave each part, which `roll_up` cannot see.
        if forecast.is_some() {
            figures.forecast_basis = Some(within_limits(
                crate::vocab::figures::Basis::sum(records.iter().map(|(id, f)| {
                    crate::vocab::figures::Basis::of_record(f, speaks_for.contains(id))
                }))
                .ok(),
            ));
        }
        Some(figures)
    }

    /// The chart a period's figures roll up by. A period without figures
    /// (the one before the first, a coaching plan's future quarter) has
    /// no chart of its own and gets today's.
    fn chart(&self, period: Period) -> &Chart<'a> {
        self.by_period.get(&period).unwrap_or(&self.current)
    }

    /// A manager's or leader's team's summed figures in a period they had
    /// reps under them, with the year to date: this period's added to the
    /// sums up to the team's period before in the same fiscal year (none
    /// when those sums overflowed).
    fn team_figures(&self, id: &str, period: Period) -> Option<Figures> {
        let person = self.model.people.get(id)?;
        let mut speaks_for = HashSet::new();
        let forecast = self.forecast_speaking_for(person, period, &mut speaks_for);
        let mut figures =
            self.roll_up(self.reps_under(id, period), period, forecast, &speaks_for)?;
        self.team_call(
            person,
            period,
            self.model.roll_up_date(period),
            &mut figures,
        );
        // Only the fiscal year's periods are looked back on: the team's
        // figures in earlier years are not needed, and not summed.
        let calendar = self.model.site.calendar;
        let fiscal_year = calendar.fiscal_year(period);
        let before = self
            .model
            .periods
            .iter()
            .rev()
            .filter(|&&p| p < period)
            .take_while(|&&p| calendar.fiscal_year(p) == fiscal_year)
            .find_map(|&p| self.team(id, p))
            .and_then(|before| Some((fiscal_year, before.ytd?)));
        figures.ytd = Ytd::after(before, fiscal_year, figures.quota, figures.closed_won);
        Some(figures)
    }

    /// Every rep, in id order.
    pub fn reps(&self) -> &[&'a Person] {
        &self.reps
    }

    /// Every rep below a manager or leader on the period's roll-up day —
    /// those whose figures the team's figures sum — in id order. Leavers
    /// stay on the line they left from, figures or not.
    pub fn reps_under(&self, id: &str, period: Period) -> &[&'a Person] {
        self.chart(period)
            .reps_under
            .get(id)
            .map_or(&[], Vec::as_slice)
    }

    /// A person's direct reports on the period's roll-up day, in id order.
    pub fn direct_reports(&self, id: &str, period: Period) -> &[&'a Person] {
        self.chart(period).direct.get(id).map_or(&[], Vec::as_slice)
    }

    /// A person's direct reports as `manager:` gives it today.
    pub fn direct_reports_now(&self, id: &str) -> &[&'a Person] {
        self.current.direct.get(id).map_or(&[], Vec::as_slice)
    }

    /// Every rep below a manager or leader as `manager:` gives it today.
    pub fn reps_under_now(&self, id: &str) -> &[&'a Person] {
        self.current.reps_under.get(id).map_or(&[], Vec::as_slice)
    }

    /// A team's summed figures (`None` when none of its reps has any).
    pub fn team(&self, id: &str, period: Period) -> Option<&Figures> {
        self.teams
            .get(id)?
            .get(&period)?
            .get_or_init(|| self.team_figures(id, period))
            .as_ref()
    }

    /// The organisation's summed figures.
    pub fn whole(&self, period: Period) -> Option<&Figures> {
        self.whole.get(&period)
    }

    /// Whether the rep has a coaching plan for the period (any status).
    pub fn coached(&self, rep: &str, period: Period) -> bool {
        self.coached
            .get(rep)
            .is_some_and(|periods| periods.contains(&period))
    }

    /// The days a rep had a coaching session, oldest first.
    pub fn sessions(&self, rep: &str) -> &[Date] {
        self.sessions.get(rep).map_or(&[], Vec::as_slice)
    }

    /// The forecast a person stands behind for a period: a rep's own, or a
    /// manager's submitted team forecast, else their reports' forecasts summed.
    pub fn forecast_of(&self, person: &Person, period: Period) -> Option<Money> {
        self.forecast_speaking_for(person, period, &mut HashSet::new())
    }

    /// [`Org::forecast_of`], adding to `speaks_for` the reps the forecast
    /// covers: all below a manager who submitted one, else each rep who
    /// gave their own.
    fn forecast_speaking_for(
        &self,
        person: &'a Person,
        period: Period,
        speaks_for: &mut HashSet<&'a str>,
    ) -> Option<Money> {
        if person.role == Role::Rep {
            let forecast = self
                .model
                .figures(&person.id, period)
                .and_then(|f| f.forecast);
            if forecast.is_some() {
                speaks_for.insert(person.id.as_str());
            }
            return forecast;
        }
        if let Some(submitted) = self.model.team_forecast(&person.id, period) {
            speaks_for.extend(
                self.reps_under(&person.id, period)
                    .iter()
                    .map(|r| r.id.as_str()),
            );
            return Some(submitted);
        }
        let parts: Vec<Money> = self
            .direct_reports(&person.id, period)
            .iter()
            .filter_map(|p| self.forecast_speaking_for(p, period, speaks_for))
            .collect();
        (!parts.is_empty()).then(|| within_limits(Money::checked_sum(parts)))
    }
}

/// A call as it rolls up: commit, and best case (a call without one counts
/// its commit, as no upside was called).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    pub commit: Money,
    pub best_case: Money,
}

impl Call {
    fn sum(parts: &[Call]) -> Call {
        Call {
            commit: within_limits(Money::checked_sum(parts.iter().map(|c| c.commit))),
            best_case: within_limits(Money::checked_sum(parts.iter().map(|c| c.best_case))),
        }
    }
}

/// Sets each period's year to date: quota and closed-won summed over the
/// fiscal year's periods up to and with it, as the team stood in each.
fn with_year_to_date(model: &Model, by_period: &mut HashMap<Period, Figures>) {
    let mut periods: Vec<Period> = by_period.keys().copied().collect();
    periods.sort();
    let mut year: Option<(i16, Ytd)> = None;
    for period in periods {
        let fiscal_year = model.site.calendar.fiscal_year(period);
        let figures = by_period.get_mut(&period).expect("a listed period");
        let sums = Ytd::after(year, fiscal_year, figures.quota, figures.closed_won);
        figures.ytd = sums;
        year = sums.map(|sums| (fiscal_year, sums));
    }
}

/// A sum of a validated model. The model stage has checked that every
/// period's totals over the whole organisation fit (`model::totals`); a
/// team's sums are parts of those totals (every amount and count in a
/// model is 0 or more), so they fit too. Were that check ever bypassed, a
/// wrapped figure must not reach a page: stop instead.
fn within_limits<T>(sum: Option<T>) -> T {
    sum.expect("the model stage keeps every organisation-wide total within Bullpen's limits")
}

#[cfg(test)]
mod tests {
    //! Roll-ups by reporting line, on generated organisations built through
    //! the real load and model stages.

    use super::*;
    use crate::vocab::period::Period;
    use jiff::civil::date;
    use proptest::prelude::*;
    use std::path::PathBuf;

    const MANAGERS: usize = 3;
    const LEADERS: usize = 2;
    const PERIODS: [&str; 4] = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"];

    /// One line as the test sees it: first day (days after 2024-07-01), the
    /// index of the manager (or leader) reported to.
    type Lines = Vec<(i32, usize)>;

    #[derive(Debug, Clone)]
    struct Rep {
        lines: Lines,
        /// The manager without `lines:`.
        manager: usize,
        /// Last day, days after 2024-07-01.
        end: Option<i32>,
        /// Per period: (quota, closed won) in thousands, or no figures.
        figures: Vec<Option<(i64, i64)>>,
    }

    #[derive(Debug, Clone)]
    struct OrgSpec {
        /// Each manager's lines to leaders, and the leader without lines.
        managers: Vec<(Lines, usize)>,
        reps: Vec<Rep>,
    }

    fn day(offset: i32) -> Date {
        date(2024, 7, 1)
            .checked_add(jiff::Span::new().days(offset))
            .unwrap()
    }

    fn lines(to: usize) -> impl Strategy<Value = Lines> {
        proptest::collection::btree_map(0i32..900, 0..to, 0..4)
            .prop_map(|lines| lines.into_iter().collect())
    }

    fn rep() -> impl Strategy<Value = Rep> {
        (
            lines(MANAGERS),
            0..MANAGERS,
            proptest::option::weighted(0.3, 100i32..900),
            proptest::collection::vec(
                proptest::option::weighted(0.8, (1i64..500, 0i64..800)),
                PERIODS.len(),
            ),
        )
            .prop_map(|(lines, manager, end, figures)| Rep {
                lines,
                manager,
                end,
                figures,
            })
    }

    fn org() -> impl Strategy<Value = OrgSpec> {
        (
            proptest::collection::vec((lines(LEADERS), 0..LEADERS), MANAGERS),
            proptest::collection::vec(rep(), 1..8),
        )
            .prop_map(|(managers, reps)| OrgSpec { managers, reps })
    }

    fn manager_id(index: usize) -> String {
        format!("manager-{index}")
    }

    fn leader_id(index: usize) -> String {
        format!("leader-{index}")
    }

    fn rep_id(index: usize) -> String {
        format!("rep-{index}")
    }

    /// A person file: `manager:` and `team:` agree with the last line.
    fn person(
        name: &str,
        role: &str,
        lines: &Lines,
        manager: usize,
        boss: fn(usize) -> String,
        end: Option<i32>,
    ) -> String {
        let current = lines.last().map_or(manager, |&(_, m)| m);
        let mut text = format!(
            "name: {name}\nrole: {role}\nmanager: {}\nteam: {}\n",
            boss(current),
            team(&boss(current))
        );
        if let Some(end) = end {
            text.push_str(&format!("end: {}\n", day(end)));
        }
        if !lines.is_empty() {
            text.push_str("lines:\n");
            for &(from, m) in lines {
                text.push_str(&format!(
                    "  - {{from: {}, manager: {}, team: {}}}\n",
                    day(from),
                    boss(m),
                    team(&boss(m))
                ));
            }
        }
        text
    }

    fn team(head: &str) -> String {
        format!("Team {head}")
    }

    fn files(spec: &OrgSpec) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = vec![(
            PathBuf::from("content/site.yaml"),
            b"title: Lines\ncurrency: USD\n".to_vec(),
        )];
        let mut add =
            |path: String, text: String| files.push((PathBuf::from(path), text.into_bytes()));
        for index in 0..LEADERS {
            add(
                format!("content/people/{}.yaml", leader_id(index)),
                format!("name: Leader {index}\nrole: leader\n"),
            );
        }
        for (index, (lines, leader)) in spec.managers.iter().enumerate() {
            add(
                format!("content/people/{}.yaml", manager_id(index)),
                person(
                    &format!("Manager {index}"),
                    "manager",
                    lines,
                    *leader,
                    leader_id,
                    None,
                ),
            );
        }
        for (index, rep) in spec.reps.iter().enumerate() {
            add(
                format!("content/people/{}.yaml", rep_id(index)),
                person(
                    &format!("Rep {index}"),
                    "rep",
                    &rep.lines,
                    rep.manager,
                    manager_id,
                    rep.end,
                ),
            );
        }
        for (at, period) in PERIODS.iter().enumerate() {
            let mut text = format!("period: {period}\npeople:\n");
            for (index, rep) in spec.reps.iter().enumerate() {
                if let Some((quota, closed_won)) = rep.figures[at] {
                    text.push_str(&format!(
                        "  {}: {{quota: {}, closed_won: {}}}\n",
                        rep_id(index),
                        quota * 1000,
                        closed_won * 1000
                    ));
                }
            }
            add(format!("content/performance/{period}.yaml"), text);
        }
        files
    }

    fn model(spec: &OrgSpec) -> Model {
        match crate::pipeline::model_from_files(files(spec)) {
            Ok((model, _warnings)) => model,
            Err(err) => panic!("the generated site does not load: {err:?}\n{spec:#?}"),
        }
    }

    /// The rule, written out again: the line in post on the day (a
    /// leaver's last day at the latest), else the first line, else the
    /// manager without lines.
    fn boss_on(lines: &Lines, manager: usize, end: Option<i32>, on: Date) -> usize {
        let on = end.map_or(on, |end| on.min(day(end)));
        lines
            .iter()
            .rev()
            .find(|&&(from, _)| day(from) <= on)
            .or(lines.first())
            .map_or(manager, |&(_, m)| m)
    }

    /// Every manager and leader → the period's (quota, closed won) summed
    /// over the reps below them on the period's last day.
    fn expected(spec: &OrgSpec, period: Period) -> HashMap<String, (i64, i64)> {
        let at = PERIODS
            .iter()
            .position(|p| *p == period.to_string())
            .unwrap();
        let last = period.last_day(crate::vocab::period::Calendar::default());
        let mut sums: HashMap<String, (i64, i64)> = HashMap::new();
        for rep in &spec.reps {
            let Some((quota, closed_won)) = rep.figures[at] else {
                continue;
            };
            let manager = boss_on(&rep.lines, rep.manager, rep.end, last);
            let (lines, leader) = &spec.managers[manager];
            let leader = boss_on(lines, *leader, None, last);
            for head in [manager_id(manager), leader_id(leader)] {
                let sum = sums.entry(head).or_default();
                sum.0 += quota * 1000;
                sum.1 += closed_won * 1000;
            }
        }
        sums
    }

    fn heads() -> Vec<String> {
        (0..MANAGERS)
            .map(manager_id)
            .chain((0..LEADERS).map(leader_id))
            .collect()
    }

    fn sums(org: &Org, head: &str, period: Period) -> Option<(Money, Money)> {
        org.team(head, period).map(|f| (f.quota, f.closed_won))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn roll_ups_equal_the_sum_over_the_reps_in_post_on_the_last_day(spec in org()) {
            let model = model(&spec);
            let org = Org::new(&model);
            // The periods are one fiscal year's: each team's year to date
            // sums its periods so far.
            let mut so_far: HashMap<String, (i64, i64)> = HashMap::new();
            let money = |(q, c): (i64, i64)| (Money::from_minor(q * 100), Money::from_minor(c * 100));
            for &period in &model.periods {
                let expected = expected(&spec, period);
                for head in heads() {
                    let want = expected.get(&head).copied();
                    prop_assert_eq!(sums(&org, &head, period), want.map(money), "{} in {}", head, period);
                    let want_ytd = want.map(|(q, c)| {
                        let sum = so_far.entry(head.clone()).or_default();
                        *sum = (sum.0 + q, sum.1 + c);
                        money(*sum)
                    });
                    let ytd = org
                        .team(&head, period)
                        .and_then(|f| f.ytd)
                        .map(|y| (y.quota, y.closed_won));
                    prop_assert_eq!(ytd, want_ytd, "{} year to date in {}", head, period);
                }
            }
        }

        #[test]
        fn a_line_dated_after_a_period_never_changes_its_team_figures(
            spec in org(),
            who in 0usize..20,
            to in 0usize..MANAGERS,
            from in 0i32..900,
        ) {
            let before = model(&spec);
            let mut moved = spec.clone();
            // A rep, or (for a larger `who`) a manager taking their team along.
            let lines = if who < moved.reps.len() {
                &mut moved.reps[who].lines
            } else {
                &mut moved.managers[who % MANAGERS].0
            };
            let to = if who < spec.reps.len() { to } else { to % LEADERS };
            if lines.is_empty() {
                // Lines give every line, oldest first: a first move writes
                // down the line held until then, here from before the figures.
                let held = if who < spec.reps.len() {
                    spec.reps[who].manager
                } else {
                    spec.managers[who % MANAGERS].1
                };
                lines.push((0, held));
            }
            let from = lines.last().map_or(from, |&(last, _)| from.max(last + 1));
            lines.push((from, to));
            let after = model(&moved);
            let (org_before, org_after) = (Org::new(&before), Org::new(&after));
            for &period in before.periods.iter().filter(|p| p.last_day(crate::vocab::period::Calendar::default()) < day(from)) {
                for head in heads() {
                    prop_assert_eq!(
                        sums(&org_before, &head, period),
                        sums(&org_after, &head, period),
                        "{} in {}, a line from {}", head, period, day(from)
                    );
                }
            }
        }
    }

    #[test]
    fn a_move_counts_from_the_period_that_ends_after_it() {
        let rep = Rep {
            lines: vec![(0, 0), (365, 1)], // moves on 2025-07-01
            manager: 1,
            end: None,
            figures: vec![Some((100, 50)); PERIODS.len()],
        };
        let spec = OrgSpec {
            managers: vec![(Vec::new(), 0); MANAGERS],
            reps: vec![rep],
        };
        let model = model(&spec);
        let org = Org::new(&model);
        let q2 = Period::parse("2025-Q2").unwrap();
        let q3 = Period::parse("2025-Q3").unwrap();
        assert!(org.team("manager-0", q2).is_some());
        assert!(org.team("manager-1", q2).is_none());
        assert!(org.team("manager-0", q3).is_none());
        assert!(org.team("manager-1", q3).is_some());
        assert_eq!(org.reps_under("manager-1", q3).len(), 1);
        assert_eq!(org.reps_under_now("manager-0").len(), 0);
    }
}

//! Metrics stage: the org chart indexed once per build — who is under whom,
//! every team's summed figures per period, who was coached when — so that
//! pages look things up instead of walking the org chart again.
//! Entry: [`Org::new`].

use crate::metrics::{self, Figures};
use crate::model::money::Money;
use crate::model::period::Period;
use crate::model::{Model, Person, Role};
use jiff::civil::Date;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

pub struct Org<'a> {
    model: &'a Model,
    /// Every rep, in id order.
    reps: Vec<&'a Person>,
    /// Manager or leader id → every rep below them, in id order.
    reps_under: HashMap<&'a str, Vec<&'a Person>>,
    /// Person id → their direct reports, in id order.
    direct: HashMap<&'a str, Vec<&'a Person>>,
    /// (manager or leader id, period) → the team's summed figures.
    teams: HashMap<&'a str, HashMap<Period, Figures>>,
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

impl<'a> Org<'a> {
    pub fn new(model: &'a Model) -> Org<'a> {
        let reps: Vec<&Person> = model
            .people
            .values()
            .filter(|p| p.role == Role::Rep)
            .collect();
        let mut direct: HashMap<&str, Vec<&Person>> = HashMap::new();
        for person in model.people.values() {
            if let Some(manager) = &person.manager {
                direct.entry(manager.as_str()).or_default().push(person);
            }
        }
        let mut reps_under: HashMap<&str, Vec<&Person>> = HashMap::new();
        for rep in &reps {
            // Manager chains are validated acyclic; the bound is a guard only.
            let mut current = rep.manager.as_deref();
            for _ in 0..model.people.len() {
                let Some(id) = current else { break };
                let Some((key, boss)) = model.people.get_key_value(id) else {
                    break;
                };
                reps_under.entry(key.as_str()).or_default().push(rep);
                current = boss.manager.as_deref();
            }
        }
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
            reps_under,
            direct,
            teams: HashMap::new(),
            whole: HashMap::new(),
            coached,
            sessions,
        };
        org.teams = org.team_figures();
        org.whole = model
            .periods
            .iter()
            .filter_map(|&period| {
                let mut speaks_for = HashSet::new();
                let tops: Vec<Money> = model
                    .people
                    .values()
                    .filter(|p| p.manager.is_none())
                    .filter_map(|p| org.forecast_speaking_for(p, period, &mut speaks_for))
                    .collect();
                let forecast = (!tops.is_empty()).then(|| within_limits(Money::checked_sum(tops)));
                Some((
                    period,
                    org.roll_up(&org.reps, period, forecast, &speaks_for)?,
                ))
            })
            .collect();
        org
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
                metrics::Basis::sum(
                    records
                        .iter()
                        .map(|(id, f)| metrics::Basis::of_record(f, speaks_for.contains(id))),
                )
                .ok(),
            ));
        }
        Some(figures)
    }

    fn team_figures(&self) -> HashMap<&'a str, HashMap<Period, Figures>> {
        let keys: Vec<(&'a str, Period)> = self
            .reps_under
            .keys()
            .flat_map(|&id| self.model.periods.iter().map(move |&p| (id, p)))
            .collect();
        let computed: Vec<(&'a str, Period, Figures)> = keys
            .into_par_iter()
            .filter_map(|(id, period)| {
                let person = self.model.people.get(id)?;
                let mut speaks_for = HashSet::new();
                let forecast = self.forecast_speaking_for(person, period, &mut speaks_for);
                let figures = self.roll_up(&self.reps_under[id], period, forecast, &speaks_for);
                Some((id, period, figures?))
            })
            .collect();
        let mut teams: HashMap<&'a str, HashMap<Period, Figures>> = HashMap::new();
        for (id, period, figures) in computed {
            teams.entry(id).or_default().insert(period, figures);
        }
        teams
    }

    /// Every rep, in id order.
    pub fn reps(&self) -> &[&'a Person] {
        &self.reps
    }

    /// Every rep below a manager or leader, in id order.
    pub fn reps_under(&self, id: &str) -> &[&'a Person] {
        self.reps_under.get(id).map_or(&[], Vec::as_slice)
    }

    /// A person's direct reports, in id order.
    pub fn direct_reports(&self, id: &str) -> &[&'a Person] {
        self.direct.get(id).map_or(&[], Vec::as_slice)
    }

    /// A team's summed figures (`None` when none of its reps has any).
    pub fn team(&self, id: &str, period: Period) -> Option<&Figures> {
        self.teams.get(id)?.get(&period)
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
            speaks_for.extend(self.reps_under(&person.id).iter().map(|r| r.id.as_str()));
            return Some(submitted);
        }
        let parts: Vec<Money> = self
            .direct_reports(&person.id)
            .iter()
            .filter_map(|p| self.forecast_speaking_for(p, period, speaks_for))
            .collect();
        (!parts.is_empty()).then(|| within_limits(Money::checked_sum(parts)))
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

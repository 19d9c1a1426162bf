//! Render stage, charts: ```` ```chart ```` blocks in Markdown. Entry:
//! [`parse`] checks a block's YAML spec against the model; [`render`]
//! draws it.
//!
//! ```yaml
//! kind: bar            # bar | line | forecast | funnel | distribution | skills | goal
//! metric: attainment   # any metric of the metrics export (bar, line)
//! by: rep              # rep | team | period
//! team: mark-boyd      # optional: a manager or leader id (default: everyone)
//! rep: alice-chen      # for a rep's own chart (line, funnel, skills, goal)
//! periods: last 4      # or a period id, or a list of them (default: all)
//! title: Attainment by rep
//! ```

use super::{Chart, State, activity, catalog};
use crate::metrics::Metric;
use crate::model::{Model, Role};
use crate::render::Ctx;
use crate::render::dashboard::{self, Scope};
use crate::vocab::period::Period;
use crate::vocab::{Audience, PersonId};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    kind: String,
    metric: Option<String>,
    by: Option<String>,
    team: Option<String>,
    rep: Option<String>,
    periods: Option<RawPeriods>,
    title: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum RawPeriods {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bar,
    Line,
    Forecast,
    Funnel,
    Distribution,
    Skills,
    Goal,
}

const KINDS: [(&str, Kind); 7] = [
    ("bar", Kind::Bar),
    ("line", Kind::Line),
    ("forecast", Kind::Forecast),
    ("funnel", Kind::Funnel),
    ("distribution", Kind::Distribution),
    ("skills", Kind::Skills),
    ("goal", Kind::Goal),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Rep,
    Team,
    Period,
}

/// A chart block, checked against the model.
#[derive(Debug, Clone)]
pub struct Spec {
    pub kind: Kind,
    pub metric: Metric,
    pub by: By,
    pub team: Option<PersonId>,
    pub rep: Option<PersonId>,
    /// Oldest first; never empty when the site has figures.
    pub periods: Vec<Period>,
    pub title: String,
}

/// Parses and checks a chart block's YAML; the error says what is wrong
/// (the caller adds the file and the block's line).
pub fn parse(yaml: &str, model: &Model) -> Result<Spec, String> {
    parse_located(yaml, model).map_err(|(message, _)| message)
}

/// [`parse`], with where in the block the problem is, when it can be told:
/// the line and column (from 1) the YAML parser stopped at, or the first
/// place the value a message quotes in backticks is written.
pub fn parse_located(yaml: &str, model: &Model) -> Result<Spec, (String, Option<(usize, usize)>)> {
    let mut at = None;
    parse_spec(yaml, model, &mut at).map_err(|message| {
        let at = at.or_else(|| quoted_at(yaml, &message));
        (message, at)
    })
}

/// Where the first value quoted in backticks in `message` stands in `yaml`.
fn quoted_at(yaml: &str, message: &str) -> Option<(usize, usize)> {
    let quoted = message.split('`').nth(1).filter(|q| !q.is_empty())?;
    yaml.lines().enumerate().find_map(|(index, line)| {
        // A value, not a key of the same name: after a `:`, `-`, `,` or
        // `[`; or a whole `key: value` the message quotes.
        let found = line.match_indices(quoted).find(|(at, _)| {
            let before = line[..*at].trim_end();
            (before.is_empty() && quoted.contains(':'))
                || before.ends_with(':')
                || before.ends_with('-')
                || before.ends_with(',')
                || before.ends_with('[')
        })?;
        Some((index + 1, line[..found.0].chars().count() + 1))
    })
}

fn parse_spec(yaml: &str, model: &Model, at: &mut Option<(usize, usize)>) -> Result<Spec, String> {
    use crate::load::yaml::{MAX_FLOW_DEPTH, too_deep};
    if too_deep(yaml).is_some() {
        return Err(format!(
            "the chart spec is not valid: `[` and `{{` are nested more than {MAX_FLOW_DEPTH} deep"
        ));
    }
    let raw: RawSpec = serde_norway::from_str(yaml).map_err(|err| {
        *at = err.location().map(|l| (l.line(), l.column()));
        let message = err.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        format!("the chart spec is not valid: {message}")
    })?;
    let kind = KINDS
        .iter()
        .find(|(name, _)| *name == raw.kind)
        .map(|(_, k)| *k)
        .ok_or_else(|| {
            let names: Vec<&str> = KINDS.iter().map(|(n, _)| *n).collect();
            let hint = crate::text::closest(&raw.kind, names.iter().copied())
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            format!(
                "`{}` is not a chart kind; expected one of {}{hint}",
                raw.kind,
                names.join(", ")
            )
        })?;
    let metric = match &raw.metric {
        None => Metric::Attainment,
        Some(name) => Metric::parse(name).ok_or_else(|| {
            let names: Vec<&str> = Metric::trackable().map(Metric::name).collect();
            let hint = crate::text::closest(name, names.iter().copied())
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            format!(
                "`{name}` is not a metric; expected one of {}{hint}",
                names.join(", ")
            )
        })?,
    };
    let by = match raw.by.as_deref() {
        None => match kind {
            Kind::Bar => By::Rep,
            _ => By::Period,
        },
        Some("rep") => By::Rep,
        Some("team") => By::Team,
        Some("period") => By::Period,
        Some(other) => {
            return Err(format!(
                "`by: {other}` is not known; expected rep, team or period"
            ));
        }
    };
    if let Some(team) = &raw.team {
        match model.people.get(team) {
            Some(person) if person.role != Role::Rep => {}
            Some(_) => {
                return Err(format!(
                    "`team: {team}` is a rep; expected a manager or leader id"
                ));
            }
            None => {
                return Err(format!(
                    "`team: {team}` is not a person; expected a manager or leader id"
                ));
            }
        }
    }
    if let Some(rep) = &raw.rep {
        match model.people.get(rep) {
            Some(person) if person.role == Role::Rep => {}
            Some(_) => return Err(format!("`rep: {rep}` is not a rep")),
            None => return Err(format!("`rep: {rep}` is not a person")),
        }
    }
    if matches!(kind, Kind::Skills | Kind::Goal) {
        let rep = raw
            .rep
            .as_ref()
            .ok_or("a skills or goal chart needs `rep:`, the rep whose coaching plan it shows")?;
        if !model.coaching.iter().any(|p| &p.rep == rep) {
            return Err(format!("`{rep}` has no coaching plan to chart"));
        }
    }
    let periods = periods(raw.periods.as_ref(), model)?;
    let title = raw.title.unwrap_or_else(|| default_title(kind, metric, by));
    Ok(Spec {
        kind,
        metric,
        by,
        team: raw.team,
        rep: raw.rep,
        periods,
        title,
    })
}

fn periods(raw: Option<&RawPeriods>, model: &Model) -> Result<Vec<Period>, String> {
    let known = &model.periods;
    let one = |text: &str| -> Result<Period, String> {
        let period = Period::parse(text.trim()).ok_or_else(|| {
            format!(
                "`{text}` is not a period; expected {}",
                model.site.period_kind.example()
            )
        })?;
        if known.contains(&period) {
            Ok(period)
        } else {
            Err(format!("there are no figures for the period `{text}`"))
        }
    };
    match raw {
        None => Ok(known.clone()),
        Some(RawPeriods::One(text)) => match text.trim().strip_prefix("last ") {
            Some(count) => {
                let count: usize =
                    count
                        .trim()
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| {
                            format!("`{text}`: expected `last N` with N a whole number above 0")
                        })?;
                Ok(known[known.len().saturating_sub(count)..].to_vec())
            }
            None if text.trim() == "all" => Ok(known.clone()),
            None => Ok(vec![one(text)?]),
        },
        Some(RawPeriods::Many(list)) => {
            let mut periods = list.iter().map(|t| one(t)).collect::<Result<Vec<_>, _>>()?;
            periods.sort();
            periods.dedup();
            Ok(periods)
        }
    }
}

fn default_title(kind: Kind, metric: Metric, by: By) -> String {
    match kind {
        Kind::Bar => format!(
            "{} by {}",
            metric.label(),
            match by {
                By::Rep => "rep",
                By::Team => "team",
                By::Period => "period",
            }
        ),
        Kind::Line => format!("{} over the periods", metric.label()),
        Kind::Forecast => "Forecast against closed won".into(),
        Kind::Funnel => "Activity funnel".into(),
        Kind::Distribution => "Reps by share of quota".into(),
        Kind::Skills => "Skills assessment".into(),
        Kind::Goal => "Goal progress".into(),
    }
}

/// Draws a checked spec. Coaching charts (skills, goal) appear only in the
/// managers' build; in the team build they say so instead.
pub fn render(ctx: &Ctx, spec: &Spec, id: &str) -> Chart {
    let model = ctx.model;
    let person = |id: &Option<PersonId>| id.as_ref().and_then(|id| model.people.get(id));
    let scope = match (person(&spec.rep), person(&spec.team)) {
        (Some(rep), _) => Scope::Rep(rep),
        (None, Some(team)) => Scope::Team(team),
        (None, None) => Scope::Org,
    };
    let latest = spec.periods.last().copied();
    let title = spec.title.as_str();
    match (spec.kind, latest) {
        (Kind::Skills | Kind::Goal, _) if ctx.audience == Audience::Team => {
            Chart::withheld(id, title, State::ManagersOnly)
        }
        (Kind::Skills | Kind::Goal, _) => {
            // The rep's latest plan within the chosen periods, else their latest.
            let plans: Vec<&crate::model::CoachingPlan> = model
                .coaching
                .iter()
                .filter(|p| Some(&p.rep) == spec.rep.as_ref())
                .collect();
            let plan = plans
                .iter()
                .rev()
                .find(|p| latest.is_none_or(|l| p.period <= l))
                .or(plans.last())
                .copied();
            match (plan, spec.kind) {
                (Some(plan), Kind::Skills) => {
                    crate::render::charts::coaching::skills(plan, id, title)
                }
                (Some(plan), _) => crate::render::charts::coaching::goals(ctx, plan, id, title),
                // `parse` checked that the rep has a plan.
                (None, _) => Chart::withheld(id, title, State::NoFigures),
            }
        }
        (_, None) => Chart::withheld(id, title, State::NoFigures),
        (Kind::Bar, Some(period)) => match spec.by {
            By::Rep => catalog::by_rep(ctx, scope, spec.metric, period, id, title),
            By::Team => catalog::by_team(ctx, scope, spec.metric, period, id, title),
            By::Period => catalog::per_period(ctx, scope, spec.metric, &spec.periods, id, title),
        },
        (Kind::Line, Some(_)) => match spec.by {
            By::Period => catalog::trend(ctx, scope, spec.metric, &spec.periods, id, title),
            By::Rep => {
                let reps: Vec<(String, Scope)> =
                    dashboard::during(&spec.periods, |p| dashboard::reps(ctx, scope, p))
                        .into_iter()
                        .map(|r| (r.name.clone(), Scope::Rep(r)))
                        .collect();
                catalog::trend_by(ctx, &reps, spec.metric, &spec.periods, id, title)
            }
            By::Team => {
                let teams: Vec<(String, Scope)> =
                    dashboard::during(&spec.periods, |p| dashboard::teams(ctx, scope, p))
                        .into_iter()
                        .map(|m| {
                            (
                                m.team.clone().unwrap_or_else(|| m.name.clone()),
                                Scope::Team(m),
                            )
                        })
                        .collect();
                catalog::trend_by(ctx, &teams, spec.metric, &spec.periods, id, title)
            }
        },
        (Kind::Forecast, Some(_)) => catalog::forecast(ctx, scope, &spec.periods, id, title),
        (Kind::Funnel, Some(period)) => activity::funnel(ctx, scope, period, id, title),
        (Kind::Distribution, Some(period)) => activity::distribution(ctx, scope, period, id, title),
    }
}

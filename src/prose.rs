//! Figures inside prose: inline code in Markdown that starts with `=`, such
//! as `` `=attainment team:marcus-bell period:2026-Q3` ``, is a live figure —
//! parsed against the model, measured as the dashboards measure it, and
//! formatted in the metric's unit. Entry: [`Figure::parse`], then
//! [`Figure::cell`]; [`find`] lists a text's figures with their lines.
//!
//! `render` draws the figures on pages and `diff` reports the ones whose
//! value changed, so both read this one module.

use crate::format::{Cell, Formatter};
use crate::metrics::{self, Formula, Metric, Value};
use crate::model::{MarkdownText, Model, Person, Role};
use crate::rollup::Org;
use crate::vocab::Visibility;
use crate::vocab::figures::Figures;
use crate::vocab::period::Period;
use pulldown_cmark::{Event, Options, Parser};

/// The Markdown extensions the pages are rendered with, so that code is
/// found where the page shows code.
const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// Why a figure is undefined when its scope has no figures at all.
const NO_FIGURES: &str = "No figures for this period";

/// What the page a text appears on gives its figures: the period a figure
/// without `period:` is of, and who may read the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// The page's period (a coaching plan's, a report's `period:`); `None`
    /// for the latest period with figures.
    pub period: Option<Period>,
    pub visibility: Visibility,
}

/// Whose figures an inline figure quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The whole organisation.
    Org,
    /// A manager's or leader's team: every rep below them.
    Team(String),
    /// One rep's own figures.
    Rep(String),
}

/// A parsed inline figure: a metric, whose figures, for which period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub metric: Metric,
    pub scope: Scope,
    pub period: Period,
}

/// Whether inline code is a figure: it starts with `=`.
pub fn is_figure(code: &str) -> bool {
    code.starts_with('=')
}

/// Every inline figure of a text: its expression (after the `=`) and the
/// file line it is on.
pub fn find(markdown: &MarkdownText) -> Vec<(String, usize)> {
    let text = &markdown.text;
    if !text.contains("`=") {
        return Vec::new();
    }
    Parser::new_ext(text, OPTIONS)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Code(code) if is_figure(&code) => Some((
                code[1..].to_string(),
                markdown.first_line + text[..range.start].matches('\n').count(),
            )),
            _ => None,
        })
        .collect()
}

/// ` Did you mean `x`?` when one of `candidates` is close to `word`.
fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    crate::text::closest(word, candidates)
        .map(|near| format!(" Did you mean `{near}`?"))
        .unwrap_or_default()
}

impl Figure {
    /// Parses an inline figure's expression (the code after `=`):
    /// `METRIC [team:ID | rep:ID] [period:PERIOD]`, in any order after the
    /// metric. The message of an error says what is wrong and what would do.
    pub fn parse(expression: &str, model: &Model, page: &Page) -> Result<Figure, String> {
        let mut words = expression.split_whitespace();
        let Some(name) = words.next() else {
            return Err(
                "an inline figure names a metric after `=`, like `=attainment team:marcus-bell`"
                    .into(),
            );
        };
        let names = || Metric::ALL.iter().map(|m| m.name());
        let Some(metric) = Metric::ALL.iter().copied().find(|m| m.name() == name) else {
            return Err(format!(
                "unknown metric `{name}` in an inline figure.{}",
                did_you_mean(name, names())
            ));
        };
        if page.visibility == Visibility::Team && metric.def().visibility == Visibility::Managers {
            return Err(format!(
                "`{name}` is shown to managers only, and this page is visible to the whole team: \
                 give the page `visibility: managers` or leave the figure out"
            ));
        }
        let mut scope = None;
        let mut period = None;
        for word in words {
            let Some((key, value)) = word.split_once(':') else {
                return Err(format!(
                    "`{word}` in an inline figure: expected `team:ID`, `rep:ID` or `period:PERIOD`"
                ));
            };
            match key {
                "team" | "rep" => {
                    if scope.is_some() {
                        return Err(format!(
                            "`{word}`: an inline figure has one scope, `team:` or `rep:`"
                        ));
                    }
                    scope = Some(person_scope(key, value, model)?);
                }
                "period" => {
                    if period.is_some() {
                        return Err(format!("`{word}`: an inline figure has one `period:`"));
                    }
                    period = Some(known_period(value, model)?);
                }
                _ => {
                    return Err(format!(
                        "unknown key `{key}:` in an inline figure: expected `team:`, `rep:` or `period:`.{}",
                        did_you_mean(key, ["team", "rep", "period"])
                    ));
                }
            }
        }
        let period = match period.or(page.period).or(model.periods.last().copied()) {
            Some(period) => period,
            None => return Err("no period has figures yet to quote in an inline figure".into()),
        };
        Ok(Figure {
            metric,
            scope: scope.unwrap_or(Scope::Org),
            period,
        })
    }

    /// The figure's value, or why it is undefined — the dashboards' reason.
    pub fn value(&self, model: &Model, org: &Org) -> Result<Value, &'static str> {
        let (metric, period) = (self.metric, self.period);
        let figures: Option<&Figures> = match &self.scope {
            Scope::Org => org.whole(period),
            Scope::Team(id) => org.team(id, period),
            Scope::Rep(id) => model.figures(id, period),
        };
        if figures.is_none() {
            return Err(NO_FIGURES);
        }
        let value = match metric.def().formula {
            Formula::Record(_) => figures.and_then(|f| metric.of(f)),
            Formula::Team(_) => metric.over(&self.team(model, org)),
        };
        value.ok_or(metric.def().undefined_because)
    }

    /// The scope's reps with figures in the period, and how many had a
    /// coaching plan for it: what a metric over a team's reps reads, as the
    /// dashboards gather it.
    fn team<'a>(&self, model: &'a Model, org: &Org<'a>) -> metrics::Team<'a> {
        let reps: Vec<&str> = match &self.scope {
            Scope::Org => org.reps().iter().map(|p| p.id.as_str()).collect(),
            Scope::Team(id) => org
                .reps_under(id, self.period)
                .iter()
                .map(|p| p.id.as_str())
                .collect(),
            Scope::Rep(id) => vec![id.as_str()],
        };
        let with_figures: Vec<(&str, &'a Figures)> = reps
            .into_iter()
            .filter_map(|id| Some((id, model.figures(id, self.period)?)))
            .collect();
        metrics::Team {
            coached: with_figures
                .iter()
                .filter(|(id, _)| org.coached(id, self.period))
                .count(),
            reps: with_figures.into_iter().map(|(_, f)| f).collect(),
        }
    }

    /// The figure as the dashboards show it: `111.8%`, or `—` with why.
    pub fn cell(&self, model: &Model, org: &Org, format: &Formatter) -> Cell {
        match self.value(model, org) {
            Ok(value) => format.metric(self.metric, Some(value), ""),
            Err(why) => Cell::undefined(why),
        }
    }

    /// Whose figures it quotes, for people: `Marcus Bell's team`, `Alice
    /// Chen`, `the organisation`.
    pub fn whose(&self, model: &Model) -> String {
        let name = |id: &str| {
            model
                .people
                .get(id)
                .map_or(id.to_string(), |p| p.name.clone())
        };
        match &self.scope {
            Scope::Org => "the organisation".into(),
            Scope::Team(id) => format!("{}'s team", name(id)),
            Scope::Rep(id) => name(id).to_string(),
        }
    }
}

/// The scope a `team:` or `rep:` names, if it names a person of that kind.
fn person_scope(key: &str, id: &str, model: &Model) -> Result<Scope, String> {
    let Some(person) = model.people.get(id) else {
        return Err(format!(
            "unknown person `{id}` in `{key}:` of an inline figure.{}",
            did_you_mean(id, model.people.keys().map(String::as_str))
        ));
    };
    let wrong = |what: &str| {
        Err(format!(
            "`{key}:{id}`: {} is {what}; `team:` names a manager or leader, `rep:` a rep",
            person.name
        ))
    };
    match (key, person.role) {
        ("rep", Role::Rep) => Ok(Scope::Rep(id.to_string())),
        ("rep", _) => wrong(&format!("a {}", role_word(person))),
        (_, Role::Rep) => wrong("a rep"),
        _ => Ok(Scope::Team(id.to_string())),
    }
}

fn role_word(person: &Person) -> String {
    person.role.label().to_lowercase()
}

/// A `period:` that parses and has figures.
fn known_period(text: &str, model: &Model) -> Result<Period, String> {
    let Some(period) = Period::parse(text) else {
        return Err(format!(
            "`period:{text}` in an inline figure is not a period: expected YYYY-Qn or YYYY-MM, like 2026-Q3"
        ));
    };
    if model.periods.contains(&period) {
        return Ok(period);
    }
    let known: Vec<String> = model.periods.iter().map(Period::to_string).collect();
    Err(format!(
        "no figures for `period:{text}` in an inline figure.{}",
        did_you_mean(text, known.iter().map(String::as_str))
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    /// The small fixture: North (Mia Ford: Ann Lee, Ben Cole) and South
    /// (Noah Kent: Cal Dunn, Dee Hart) under Lee Ross; 2026-Q1 and 2026-Q2.
    static MODEL: LazyLock<Model> = LazyLock::new(|| {
        let dir = crate::text::tests_support::small_fixture_copy();
        crate::pipeline::load_model(dir.path()).unwrap().0
    });

    const TEAM: Page = Page {
        period: None,
        visibility: Visibility::Team,
    };

    fn parse(expression: &str) -> Result<Figure, String> {
        Figure::parse(expression, &MODEL, &TEAM)
    }

    fn q(quarter: u8) -> Period {
        Period::Quarter {
            year: 2026,
            quarter,
        }
    }

    #[test]
    fn scopes_and_periods_in_any_order() {
        assert_eq!(
            parse("attainment team:mia-ford period:2026-Q1"),
            Ok(Figure {
                metric: Metric::Attainment,
                scope: Scope::Team("mia-ford".into()),
                period: q(1),
            })
        );
        assert_eq!(
            parse("  win_rate period:2026-Q1   rep:ann-lee ")
                .unwrap()
                .scope,
            Scope::Rep("ann-lee".into())
        );
        // A leader heads a team too.
        assert_eq!(
            parse("quota team:lee-ross").unwrap().scope,
            Scope::Team("lee-ross".into())
        );
        assert_eq!(parse("closed_won").unwrap().scope, Scope::Org);
    }

    #[test]
    fn the_period_defaults_to_the_pages_else_the_latest() {
        assert_eq!(parse("attainment").unwrap().period, q(2));
        let page = Page {
            period: Some(q(1)),
            visibility: Visibility::Team,
        };
        let figure = Figure::parse("attainment", &MODEL, &page).unwrap();
        assert_eq!(figure.period, q(1));
        let figure = Figure::parse("attainment period:2026-Q2", &MODEL, &page).unwrap();
        assert_eq!(figure.period, q(2));
    }

    #[test]
    fn every_registry_metric_can_be_quoted_by_its_name() {
        let managers = Page {
            period: None,
            visibility: Visibility::Managers,
        };
        for metric in Metric::ALL {
            let figure = Figure::parse(metric.name(), &MODEL, &managers).unwrap();
            assert_eq!(figure.metric, *metric);
        }
    }

    #[test]
    fn mistakes_are_errors_that_say_what_would_do() {
        for (expression, says) in [
            ("", "names a metric"),
            (
                "attainmnt",
                "unknown metric `attainmnt` in an inline figure. Did you mean `attainment`?",
            ),
            (
                "attainment team:mia-frod",
                "unknown person `mia-frod` in `team:` of an inline figure. Did you mean `mia-ford`?",
            ),
            (
                "attainment team:ann-lee",
                "`team:ann-lee`: Ann Lee is a rep",
            ),
            (
                "attainment rep:mia-ford",
                "`rep:mia-ford`: Mia Ford is a manager",
            ),
            ("attainment period:2026-Q5", "is not a period"),
            (
                "attainment period:2025-Q2",
                "no figures for `period:2025-Q2`",
            ),
            (
                "attainment period:2026-Q9 period:2026-Q1",
                "is not a period",
            ),
            ("attainment period:2026-Q1 period:2026-Q2", "one `period:`"),
            ("attainment team:mia-ford rep:ann-lee", "one scope"),
            ("attainment quarter:2026-Q1", "unknown key `quarter:`"),
            ("attainment peroid:2026-Q1", "Did you mean `period`?"),
            (
                "attainment mia-ford",
                "`mia-ford` in an inline figure: expected `team:ID`",
            ),
            ("coaching_coverage", "managers only"),
        ] {
            let err = parse(expression).unwrap_err();
            assert!(err.contains(says), "{expression:?}: {err}");
        }
    }

    #[test]
    fn values_are_the_dashboards() {
        let org = Org::new(&MODEL);
        let format = Formatter::new(&MODEL.site.currency);
        let text = |expression: &str| {
            let page = Page {
                period: None,
                visibility: Visibility::Managers,
            };
            let figure = Figure::parse(expression, &MODEL, &page).unwrap();
            figure.cell(&MODEL, &org, &format)
        };
        // North in Q2: (110,000 + 60,000) / (100,000 + 50,000) = 113.3%.
        assert_eq!(text("attainment team:mia-ford").text, "113.3%");
        // Everyone in Q2: 300,000 / 340,000 = 88.2%.
        assert_eq!(text("attainment").text, "88.2%");
        assert_eq!(text("closed_won rep:ann-lee").text, "$110,000");
        // Two of North's two reps at quota in Q2.
        assert_eq!(text("reps_at_quota team:mia-ford").text, "100.0%");
        // Dee Hart has no Q1 figures: the dashboards' dash and reason.
        let none = text("attainment rep:dee-hart period:2026-Q1");
        assert_eq!(
            (none.text.as_str(), none.note.as_deref()),
            ("—", Some(NO_FIGURES))
        );
        // Ben Cole decided no deals in Q1: the metric's own reason.
        let undefined = text("win_rate rep:ben-cole period:2026-Q1");
        assert_eq!(undefined.text, "—");
        assert_eq!(
            undefined.note.as_deref(),
            Some(Metric::WinRate.def().undefined_because)
        );
    }

    #[test]
    fn figures_are_found_with_their_lines() {
        let text = MarkdownText {
            file: "content/reports/a.md".into(),
            text: "# A\n\nWe hit `=attainment` and\n`code` then `=win_rate rep:ann-lee`.\n".into(),
            first_line: 5,
        };
        assert_eq!(
            find(&text),
            vec![
                ("attainment".to_string(), 7),
                ("win_rate rep:ann-lee".to_string(), 8)
            ]
        );
    }
}

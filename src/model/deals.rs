//! Model stage: deals from CRM exports (`content/deals/*.csv`), read with
//! the site's `deals:` settings and summed per rep and period. Entry:
//! [`read`].
//!
//! Files are streamed record by record; every bad row is reported (file,
//! line, column name) and the run goes on, so one pass shows them all.

use super::currency::{Rates, Ratio};
use super::{Person, PersonId, Role};
use crate::error::{Diagnostic, Position};
use crate::load::Located;
use crate::load::raw::{RawDeals, RawOwnerMatch, RawSite};
use crate::text::closest;
use crate::vocab::figures::{Category, DealPipeline};
use crate::vocab::money::Money;
use crate::vocab::period::{Calendar, Period, PeriodKind};
use jiff::civil::Date;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Bullpen's deal fields a mapping must name.
const REQUIRED_COLUMNS: [&str; 4] = ["owner", "stage", "closed", "amount"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Won,
    Lost,
    /// Closed without a decision (`stages.no_decision`): neither won nor lost.
    NoDecision,
    Open,
}

/// An open deal, for the managers' pages.
#[derive(Debug, Clone)]
pub struct OpenDeal {
    pub owner: PersonId,
    pub id: String,
    pub account: String,
    pub amount: Option<Money>,
    pub closes: Option<Date>,
    /// Required fields left blank.
    pub missing: Vec<String>,
    /// Its stage: an index into `deals.stages.open` ([`Deals::stages`],
    /// `Model::deal_stages`); `None` for a stage not listed (`strict: false`).
    pub stage: Option<usize>,
    pub created: Option<Date>,
    /// Its forecast category, when the export has the column.
    pub category: Option<Category>,
    /// Its probability in percent (column, else the stage's), if any.
    pub probability: Option<f64>,
    /// Whether its close date is before the current period's as-of day.
    pub past_due: bool,
}

/// Per rep and period, what the deals say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DealFigures {
    pub closed_won: Money,
    pub deals_won: u32,
    pub deals_lost: u32,
    /// Σ (closed − created) in days over won deals with both dates, and how many.
    pub cycle_days_sum: i64,
    pub cycle_deals: u32,
    pub opportunities_created: u32,
    pub open: u32,
    pub open_complete: u32,
    pub deals_no_decision: u32,
    pub pipeline: DealPipeline,
    /// The line of the last row counted in, for errors about the sums.
    pub last_line: usize,
}

impl DealFigures {
    /// Mean days from created to closed over won deals.
    pub fn cycle_days(&self) -> Option<f64> {
        (self.cycle_deals > 0).then(|| self.cycle_days_sum as f64 / f64::from(self.cycle_deals))
    }
}

/// Everything the deal files say.
#[derive(Debug, Clone, Default)]
pub struct Deals {
    /// (rep, period) → figures. Open deals without any date are counted in
    /// `undated`, to be placed in the latest period by the caller.
    pub figures: BTreeMap<(PersonId, Period), DealFigures>,
    pub undated: BTreeMap<PersonId, DealFigures>,
    pub open: Vec<OpenDeal>,
    /// The deal files read (for "given both ways" errors).
    pub files: Vec<PathBuf>,
    /// Dated snapshots of the open pipeline, oldest first.
    pub snapshots: Vec<super::snapshots::Snapshot>,
    /// The open stages in `deals.stages.open` order: what each entry of
    /// [`DealPipeline::by_stage`] counts (one more, last, for stages not
    /// listed, when `strict: false`).
    pub stages: Vec<String>,
    /// Whether stages not listed are counted as open (`strict: false`).
    pub unlisted: bool,
    /// Whether deals can have a probability (a column or `stages.probability`).
    pub weighs: bool,
}

impl Deals {
    /// A record's pipeline with an entry for every stage (and a weighted
    /// sum wherever probabilities are given).
    pub fn complete(&self, pipeline: &DealPipeline) -> DealPipeline {
        let mut pipeline = pipeline.clone();
        let stages = self.stages.len() + usize::from(self.unlisted);
        pipeline
            .by_stage
            .resize(stages.max(pipeline.by_stage.len()), Default::default());
        if self.weighs && pipeline.weighted.is_none() {
            pipeline.weighted = Some(Money::ZERO);
        }
        pipeline
    }
}

/// A deals file: its path under the site root and its bytes.
pub struct DealsFile<'a> {
    pub file: &'a Path,
    pub bytes: &'a [u8],
}

/// How the settings read, checked once before any row.
pub(super) struct Settings<'a> {
    pub(super) columns: &'a BTreeMap<String, String>,
    pub(super) won: Vec<&'a str>,
    pub(super) lost: Vec<&'a str>,
    pub(super) open: Vec<&'a str>,
    pub(super) no_decision: Vec<&'a str>,
    pub(super) strict: bool,
    /// The CRM's forecast category value → its category (`None`: closed).
    pub(super) categories: HashMap<&'a str, Option<Category>>,
    /// Stage → the probability of its open deals, in percent.
    pub(super) stage_probability: HashMap<&'a str, Ratio>,
    /// Whether any deal can have a probability (a column or a stage map).
    pub(super) weighs: bool,
    pub(super) rates: Rates,
    /// The current period (the latest) and its as-of day: where past-due
    /// and undated open deals are counted, and what deal age runs to.
    pub(super) now: Option<(Period, Date)>,
    pub(super) owner_match: RawOwnerMatch,
    pub(super) date_format: &'a str,
    pub(super) required: &'a [String],
    pub(super) period_kind: PeriodKind,
    pub(super) calendar: Calendar,
}

/// How deals are read besides the `deals:` settings: the site's periods,
/// currency and the current period with its as-of day.
pub struct Context<'a> {
    pub period_kind: PeriodKind,
    pub calendar: Calendar,
    pub currency: &'a str,
    /// The current period (the latest with figures) and its as-of day:
    /// where past-due and undated open deals are counted, and what deal
    /// age runs to.
    pub now: Option<(Period, Date)>,
}

/// Reads every deals file. `site` is where the settings came from (for
/// errors in them); without a `deals:` block any deal file is an error.
pub fn read(
    site: &Located<RawSite>,
    files: &[DealsFile],
    people: &BTreeMap<PersonId, Person>,
    docs: &[crate::load::PersonDoc],
    context: Context,
    diagnostics: &mut Vec<Diagnostic>,
) -> Deals {
    let mut deals = Deals::default();
    let Some(config) = &site.value.deals else {
        for file in files {
            diagnostics.push(
                Diagnostic::error(file.file, "a deal export, but content/site.yaml has no `deals:` settings to read it with")
                    .with_help("add a `deals:` block to site.yaml mapping the export's columns (see the README)"),
            );
        }
        return deals;
    };
    let Some(settings) = settings(site, config, context, diagnostics) else {
        return deals;
    };
    deals.stages = settings.open.iter().map(|s| s.to_string()).collect();
    deals.unlisted = !settings.strict;
    deals.weighs = settings.weighs;
    let pattern = config.files.as_deref().unwrap_or("deals/*.csv");
    let matcher = match file_pattern(pattern) {
        Ok(matcher) => matcher,
        Err(message) => {
            diagnostics.push(site.error(&["deals", "files"], message));
            return deals;
        }
    };
    let snapshot_pattern = config
        .snapshots
        .as_deref()
        .unwrap_or("deals/snapshots/*.csv");
    let snapshot_matcher = match file_pattern(snapshot_pattern) {
        Ok(matcher) => matcher,
        Err(message) => {
            diagnostics.push(site.error(&["deals", "snapshots"], message));
            return deals;
        }
    };
    let owners = Owners::new(people, settings.owner_match);
    if !files.is_empty() {
        same_owner_key(people, docs, settings.owner_match, diagnostics);
    }
    let mut unmatched: BTreeMap<String, (PathBuf, usize)> = BTreeMap::new();
    let mut ids: HashMap<String, (PathBuf, usize)> = HashMap::new();
    for file in files {
        let relative = file
            .file
            .strip_prefix("content")
            .unwrap_or(file.file)
            .to_string_lossy()
            .replace('\\', "/");
        if snapshot_matcher.is_match(&relative) {
            deals.snapshots.extend(super::snapshots::read(
                file.file,
                file.bytes,
                &settings,
                &owners,
                diagnostics,
            ));
            continue;
        }
        if !matcher.is_match(&relative) {
            diagnostics.push(
                Diagnostic::error(file.file, format!("this file is not matched by `files: {pattern}` in site.yaml's deals settings"))
                    .with_help("move it, or widen the `files:` pattern"),
            );
            continue;
        }
        deals.files.push(file.file.to_path_buf());
        super::deal_rows::read_file(
            file,
            &settings,
            &owners,
            &mut deals,
            &mut unmatched,
            &mut ids,
            diagnostics,
        );
    }
    for (owner, (file, line)) in unmatched {
        let mut diagnostic = Diagnostic::error(&file, format!("the owner `{owner}` matches no person (first seen here; every row of theirs is left out)"))
            .at(Some(Position::line(line)));
        if let Some(near) = owners.closest(&owner) {
            diagnostic = diagnostic.with_help(format!("the closest person is {near}"));
        }
        diagnostics.push(diagnostic);
    }
    sort_open(&mut deals.open);
    deals.snapshots.sort_by_key(|s| s.date);
    deals
}

/// Open deals by owner, largest first.
fn sort_open(open: &mut [OpenDeal]) {
    // By owner, largest first; ids break ties, so an unstable sort is
    // deterministic, and it runs on every core.
    use rayon::slice::ParallelSliceMut;
    open.par_sort_unstable_by(|a, b| {
        (
            &a.owner,
            std::cmp::Reverse(a.amount),
            &a.id,
            &a.account,
            a.closes,
            &a.missing,
            a.stage,
        )
            .cmp(&(
                &b.owner,
                std::cmp::Reverse(b.amount),
                &b.id,
                &b.account,
                b.closes,
                &b.missing,
                b.stage,
            ))
    });
}

fn settings<'a>(
    site: &Located<RawSite>,
    config: &'a RawDeals,
    context: Context,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Settings<'a>> {
    let before = diagnostics.len();
    let mut categories = HashMap::new();
    if let Some(raw) = &config.categories {
        let lists = [
            (Some(Category::Commit), &raw.commit),
            (Some(Category::BestCase), &raw.best_case),
            (Some(Category::Pipeline), &raw.pipeline),
            (Some(Category::Omitted), &raw.omitted),
            (None, &raw.closed),
        ];
        for (category, values) in lists {
            for value in values {
                categories.insert(value.trim(), category);
            }
        }
    }
    if config.columns.contains_key("forecast_category") && config.categories.is_none() {
        diagnostics.push(site.error(
            &["deals", "columns", "forecast_category"],
            "a `forecast_category` column needs `deals.categories:` to say what its values mean",
        ).with_help("add `categories: {commit: [Commit], best_case: [Best Case], pipeline: [Pipeline], omitted: [Omitted], closed: [Closed]}` with the CRM's values"));
    }
    for field in REQUIRED_COLUMNS {
        if !config.columns.contains_key(field) {
            diagnostics.push(site.error(
                &["deals", "columns"],
                format!("the deals `columns:` must map `{field}` to a column of the export"),
            ));
        }
    }
    for field in &config.required {
        if !config.columns.contains_key(field) {
            diagnostics.push(site.error(
                &["deals", "required"],
                format!("`{field}` is required of open deals but has no column in `columns:`"),
            ));
        }
    }
    let date_format = config.date_format.as_deref().unwrap_or("%Y-%m-%d");
    if jiff::fmt::strtime::format(date_format, Date::constant(2026, 7, 15)).is_err() {
        diagnostics.push(site.error(&["deals", "date_format"], format!("`{date_format}` is not a date pattern; expected strftime, like %Y-%m-%d or %d/%m/%Y")));
    }
    if diagnostics.len() != before {
        return None;
    }
    // A bad rate or probability is an error at its line, and the rows are
    // read all the same: those in its currency or stage are reported too.
    let rates = super::currency::rates(site, context.currency, diagnostics);
    let mut stage_probability = HashMap::new();
    for (stage, value) in &config.stages.probability {
        match percent(&value.text()) {
            Ok(rate) => {
                stage_probability.insert(stage.trim(), rate);
            }
            Err(message) => diagnostics.push(site.error(
                &["deals", "stages", "probability", stage],
                format!("the probability of `{stage}`: {message}"),
            )),
        }
    }
    Some(Settings {
        columns: &config.columns,
        won: config.stages.won.iter().map(|s| s.trim()).collect(),
        lost: config.stages.lost.iter().map(|s| s.trim()).collect(),
        open: config.stages.open.iter().map(|s| s.trim()).collect(),
        no_decision: config.stages.no_decision.iter().map(|s| s.trim()).collect(),
        strict: config.stages.strict.unwrap_or(true),
        categories,
        weighs: !stage_probability.is_empty() || config.columns.contains_key("probability"),
        stage_probability,
        rates,
        now: context.now,
        owner_match: config.owner_match.unwrap_or(RawOwnerMatch::Name),
        date_format,
        required: &config.required,
        period_kind: context.period_kind,
        calendar: context.calendar,
    })
}

/// A probability in percent, 0 to 100, as an exact ratio.
pub(super) fn percent(text: &str) -> Result<Ratio, String> {
    match Ratio::parse(text) {
        Some(rate) if rate.numerator >= 0 && rate.numerator <= 100 * rate.denominator => Ok(rate),
        Some(_) => Err(format!("`{text}` is outside 0–100 (a percentage)")),
        None => Err(format!("`{text}` is not a number from 0 to 100")),
    }
}

/// The `files:` pattern (`deals/*.csv`, `deals/**/*.csv`), matched against
/// paths under `content/`: `*` stays within one folder, `**` crosses any
/// number of them.
fn file_pattern(pattern: &str) -> Result<globset::GlobMatcher, String> {
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map(|glob| glob.compile_matcher())
        .map_err(|err| format!("`{pattern}` is not a file pattern: {}", err.kind()))
}

/// Finds the person an owner cell names.
pub(super) struct Owners<'a> {
    by_key: HashMap<String, &'a str>,
    names: Vec<(&'a str, &'a str)>,
}

impl<'a> Owners<'a> {
    fn new(people: &'a BTreeMap<PersonId, Person>, how: RawOwnerMatch) -> Owners<'a> {
        let reps = people
            .values()
            .filter(|p| p.role == Role::Rep || p.role == Role::Manager || p.role == Role::Leader);
        let by_key = reps
            .filter_map(|p| {
                let key = match how {
                    RawOwnerMatch::Id => p.id.clone(),
                    RawOwnerMatch::Email => p.email.as_ref()?.trim().to_lowercase(),
                    RawOwnerMatch::Name => normalise_name(&p.name),
                };
                Some((key, p.id.as_str()))
            })
            .collect();
        let names = people
            .values()
            .map(|p| (p.name.as_str(), p.id.as_str()))
            .collect();
        Owners { by_key, names }
    }

    pub(super) fn find(&self, cell: &str, how: RawOwnerMatch) -> Option<&'a str> {
        // Most cells are written exactly as the key: look them up as they are.
        if let Some(id) = self.by_key.get(cell) {
            return Some(id);
        }
        let key = match how {
            RawOwnerMatch::Id => cell.trim().to_string(),
            RawOwnerMatch::Email => cell.trim().to_lowercase(),
            RawOwnerMatch::Name => normalise_name(cell),
        };
        self.by_key.get(&key).copied()
    }

    fn closest(&self, owner: &str) -> Option<String> {
        let name = closest(owner, self.names.iter().map(|(n, _)| *n))
            .or_else(|| closest(owner, self.names.iter().map(|(_, id)| *id)))?;
        let id = self
            .names
            .iter()
            .find(|(n, id)| *n == name || *id == name)
            .map(|(_, id)| *id)
            .unwrap_or(name);
        Some(format!("{name} ({id})"))
    }
}

/// Two people with the same name (or email) when deals find their owner
/// by it: every deal of that name would go to one of them, unseen. An
/// error at the second person's `name:` (or `email:`) line, naming the first.
fn same_owner_key(
    people: &BTreeMap<PersonId, Person>,
    docs: &[crate::load::PersonDoc],
    how: RawOwnerMatch,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let field = match how {
        RawOwnerMatch::Id => return,
        RawOwnerMatch::Email => "email",
        RawOwnerMatch::Name => "name",
    };
    let position = |id: &str| {
        docs.iter()
            .find(|doc| doc.id == id)
            .and_then(|doc| doc.doc.meta.locate(&[field]))
    };
    let mut seen: HashMap<String, &Person> = HashMap::new();
    for person in people.values() {
        let key = match how {
            RawOwnerMatch::Email => match &person.email {
                Some(email) => email.trim().to_lowercase(),
                None => continue,
            },
            _ => normalise_name(&person.name),
        };
        if let Some(first) = seen.get(&key) {
            let at = position(&first.id).map_or(String::new(), |p| format!(":{}", p.line));
            diagnostics.push(
                Diagnostic::error(
                    &person.file,
                    format!(
                        "`{}` and `{}` have the same {field}, and deals find their owner by {field} (`owner_match: {field}` in site.yaml): their deals cannot be told apart",
                        first.id, person.id
                    ),
                )
                .at(position(&person.id).or(Some(Position::line(1))))
                .with_help(format!(
                    "the first is in {}{at}; tell them apart, or match deals by `id`",
                    first.file.display()
                )),
            );
        } else {
            seen.insert(key, person);
        }
    }
}

fn normalise_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_are_exact_percentages_from_0_to_100() {
        assert_eq!(
            percent("60").map(|r| (r.numerator, r.denominator)),
            Ok((60, 1))
        );
        assert_eq!(
            percent("12.5").map(|r| (r.numerator, r.denominator)),
            Ok((125, 10))
        );
        assert!(percent("0").is_ok() && percent("100").is_ok() && percent("100.0").is_ok());
        assert_eq!(
            percent("100.01"),
            Err("`100.01` is outside 0–100 (a percentage)".into())
        );
        assert_eq!(
            percent("-1"),
            Err("`-1` is outside 0–100 (a percentage)".into())
        );
        assert_eq!(
            percent("likely"),
            Err("`likely` is not a number from 0 to 100".into())
        );
    }

    #[test]
    fn file_patterns_match_within_one_folder_or_across_with_two_stars() {
        let matches = |pattern: &str, path: &str| file_pattern(pattern).unwrap().is_match(path);
        assert!(matches("deals/*.csv", "deals/q3.csv"));
        assert!(!matches("deals/*.csv", "deals/old/q3.csv"));
        assert!(matches("deals/hubspot-*.csv", "deals/hubspot-2026.csv"));
        assert!(!matches("deals/hubspot-*.csv", "deals/sf-2026.csv"));
        assert!(matches("deals/**/*.csv", "deals/q3.csv"));
        assert!(matches("deals/**/*.csv", "deals/2026/crm/q3.csv"));
        assert!(!matches("deals/**/*.csv", "deals/2026/q3.txt"));
        let wrong = file_pattern("deals/[q3.csv").unwrap_err();
        assert!(
            wrong.starts_with("`deals/[q3.csv` is not a file pattern: "),
            "{wrong}"
        );
    }
}

#[cfg(test)]
mod same_names {
    use super::*;
    use crate::load::raw::{RawPerson, RawRole};
    use crate::load::{Located, Markdown, PersonDoc};

    fn doc(id: &str, yaml: &str) -> (Person, PersonDoc) {
        let file = std::path::PathBuf::from(format!("content/people/{id}.yaml"));
        let raw: RawPerson = serde_norway::from_str(yaml).unwrap();
        let person = Person {
            github: None,
            id: id.into(),
            name: raw.name.clone(),
            role: Role::Rep,
            manager: None,
            team: None,
            region: None,
            start: None,
            email: raw.email.clone(),
            active: true,
            bio: None,
            private_bio: None,
            file: file.clone(),
            lines: Vec::new(),
            end: None,
        };
        assert_eq!(raw.role, RawRole::Rep);
        let meta = Located {
            file,
            yaml: yaml.into(),
            yaml_line: 1,
            value: raw,
        };
        let doc = PersonDoc {
            id: id.into(),
            doc: Markdown {
                meta,
                body: String::new(),
                body_line: 1,
                has_front_matter: true,
                set_aside: Vec::new(),
            },
        };
        (person, doc)
    }

    /// Deals matched by name went to whichever of two same-named people
    /// came last, without a word.
    #[test]
    fn two_people_of_one_name_are_an_error_when_deals_match_by_name() {
        let (ann, ann_doc) = doc("ann-lee", "role: rep\nname: Ann Lee\n");
        let (other, other_doc) = doc("ann-lee-2", "role: rep\nteam: West\nname: ann  lee\n");
        let people: BTreeMap<PersonId, Person> = [ann, other]
            .into_iter()
            .map(|p| (p.id.clone(), p))
            .collect();
        let docs = [ann_doc, other_doc];
        let mut diagnostics = Vec::new();
        same_owner_key(&people, &docs, RawOwnerMatch::Name, &mut diagnostics);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        let error = &diagnostics[0];
        assert_eq!(error.file, Path::new("content/people/ann-lee-2.yaml"));
        assert_eq!(error.line, Some(3));
        assert_eq!(
            error.help.as_deref(),
            Some(
                "the first is in content/people/ann-lee.yaml:2; tell them apart, or match deals by `id`"
            )
        );
        let mut none = Vec::new();
        same_owner_key(&people, &docs, RawOwnerMatch::Id, &mut none);
        assert!(none.is_empty());
    }
}

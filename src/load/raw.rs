//! Load stage: the serde-only shapes of every content file kind.
//!
//! These mirror the YAML exactly and reject unknown fields; `model::build`
//! validates and cross-links them. Nothing here knows about other files.

use crate::vocab::money::Money;
use crate::vocab::period::PeriodKind;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `content/site.yaml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    /// The site's name, shown in every page header.
    pub title: String,
    /// One sentence about the site, for search engines.
    pub description: Option<String>,
    /// The URL the site is published at, like `https://sales.example.com/`.
    pub base_url: Option<String>,
    /// ISO 4217 currency code, like USD or EUR.
    pub currency: Option<String>,
    /// `quarter` (2026-Q3) or `month` (2026-07).
    pub period: Option<PeriodKind>,
    /// The month (1-12) the fiscal year starts in.
    #[schemars(range(min = 1, max = 12))]
    pub fiscal_year_start: Option<u8>,
    /// Whether a fiscal year is named after the calendar year it `start`s
    /// in (the default) or the one it `end`s in: with `end` and a February
    /// start, February 2026 to January 2027 is FY2027.
    pub fiscal_year_named_by: Option<RawNamedBy>,
    /// Attainment a new rep must reach to count as ramped (default 1.0;
    /// above 0, at most 10).
    #[schemars(range(min = 0, max = crate::vocab::bounds::MAX_ATTAINMENT))]
    pub ramp_threshold: Option<f64>,
    /// Days between playbook reviews (default 180; 1 to 3650).
    #[schemars(range(min = 1, max = crate::vocab::bounds::MAX_DAYS))]
    pub review_every_days: Option<u32>,
    pub theme: Option<String>,
    /// false: no per-rep rankings in the team build.
    pub team_leaderboard: Option<bool>,
    /// The repository's web address, for "Edit this page" and commit links.
    pub repo_url: Option<String>,
    /// The branch edits are made on (default `main`).
    pub repo_branch: Option<String>,
    /// How to read deal exports from the CRM in content/deals/.
    pub deals: Option<Box<RawDeals>>,
    /// The largest files Bullpen reads.
    pub limits: Option<RawLimits>,
    /// How coaching delivered is judged.
    pub coaching: Option<RawCoachingSettings>,
    /// A folder of managers-only material (coaching, playbooks, reports,
    /// bios) laid over content/ in the managers' build; a relative path is
    /// taken from the site root. `--private DIR` overrides it.
    pub private: Option<String>,
    /// `managers`: every per-rep figure stays out of the team build (team
    /// aggregates only); `team` (the default): rep pages show figures.
    pub rep_pages: Option<RawVisibility>,
    /// Where links that leave content/ go, and whether a missing link
    /// target is an error: settings for bringing in an existing handbook.
    pub links: Option<RawLinks>,
    /// Exchange rates for deals in other currencies: site-currency units
    /// per unit, `{EUR: 1.08}`, or per period `{2026-Q3: {EUR: 1.09}}`
    /// (both may be given; a period's own rate comes first).
    pub rates: Option<BTreeMap<String, RawRate>>,
}

/// The `links:` block of site.yaml.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLinks {
    /// The address relative links that climb out of content/ point to,
    /// like `https://handbook.example.com/`: the link is resolved from the
    /// page's place in the repository (`content/playbooks/…`) and the path
    /// it reaches is appended.
    pub outside: Option<String>,
    /// The old site's address of the folder copied into content/playbooks/,
    /// like `/handbook/sales/`: a link from the old site's root under it
    /// (`/handbook/sales/sdr/calls/`) leads to that page here; other links
    /// from the site's root go to `outside`.
    pub base: Option<String>,
    /// `error` (the default) or `warn`: whether a link to a file that does
    /// not exist stops the build, or is a warning while a migration is
    /// under way.
    pub missing: Option<RawMissing>,
}

/// `links.missing:` in site.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RawMissing {
    Error,
    Warn,
}

/// One entry of `rates:`: a currency's rate (a number, or a string such as
/// `"1.0825"`), or a period's map of rates.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawRate {
    Number(f64),
    Text(String),
    Period(BTreeMap<String, RawNumber>),
}

/// A decimal number written as a YAML number or a string.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawNumber {
    Number(f64),
    Text(String),
}

impl RawNumber {
    /// The number as written: a float's shortest decimal form (which reads
    /// back as the same float), or the string trimmed.
    pub fn text(&self) -> String {
        match self {
            RawNumber::Number(number) => format!("{number}"),
            RawNumber::Text(text) => text.trim().to_string(),
        }
    }
}

/// The `coaching:` block of site.yaml.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCoachingSettings {
    /// Days a rep may go without a coaching session before the coaching
    /// index flags them (default 30; 1 to 3650).
    #[schemars(range(min = 1, max = crate::vocab::bounds::MAX_DAYS))]
    pub max_days_between: Option<u32>,
}

/// The `limits:` block of site.yaml: the largest file of each kind Bullpen
/// reads; a larger one is an error naming its size, never read.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLimits {
    /// The largest Markdown or YAML file, in MiB (default 10, 1 to 1024).
    #[schemars(range(min = 1, max = crate::load::limits::MAX_FILE_MB))]
    pub max_file_mb: Option<u32>,
    /// The largest deal export (CSV), in MiB (default 256, 1 to 4096).
    #[schemars(range(min = 1, max = crate::load::limits::MAX_DEALS_FILE_MB))]
    pub max_deals_file_mb: Option<u32>,
}

/// The `deals:` block of site.yaml: how CRM exports map onto Bullpen's fields.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDeals {
    /// Which files hold deals, relative to content/ (default `deals/*.csv`):
    /// `*` matches within one folder, `**` any number of folders.
    pub files: Option<String>,
    /// Bullpen's field → the export's column name. `owner`, `stage`,
    /// `closed` and `amount` are required; `id`, `created` and any others
    /// (`account`, `next_step`, …) are optional.
    pub columns: BTreeMap<String, String>,
    pub stages: RawStages,
    /// How the owner column finds a person: `id`, `email` or `name`.
    pub owner_match: Option<RawOwnerMatch>,
    /// strftime pattern of the export's dates (default `%Y-%m-%d`).
    pub date_format: Option<String>,
    /// Fields an open deal should have filled (Bullpen's field names).
    #[serde(default)]
    pub required: Vec<String>,
    /// Which files are dated snapshots of the open pipeline, relative to
    /// content/ (default `deals/snapshots/*.csv`), each named by its date.
    pub snapshots: Option<String>,
    /// Forecast category → the CRM's values of the `forecast_category`
    /// column that mean it.
    pub categories: Option<RawCategories>,
}

/// The `deals.categories:` block: each forecast category's CRM values.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCategories {
    #[serde(default)]
    pub commit: Vec<String>,
    #[serde(default)]
    pub best_case: Vec<String>,
    #[serde(default)]
    pub pipeline: Vec<String>,
    /// Open deals left out of the pipeline's totals, shown apart.
    #[serde(default)]
    pub omitted: Vec<String>,
    /// The category of won and lost deals (not used).
    #[serde(default)]
    pub closed: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStages {
    pub won: Vec<String>,
    pub lost: Vec<String>,
    /// The open stages, in the order of the sales process; with `strict`
    /// (the default), any stage not listed anywhere is an error.
    #[serde(default)]
    pub open: Vec<String>,
    /// Deals closed without a decision (qualified out): counted apart
    /// from lost ones.
    #[serde(default)]
    pub no_decision: Vec<String>,
    /// false: a stage not listed is an open deal (default true: an error).
    pub strict: Option<bool>,
    /// Stage → the probability (0–100) of its open deals, for those
    /// without a `probability` column value.
    #[serde(default)]
    pub probability: BTreeMap<String, RawNumber>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RawOwnerMatch {
    Id,
    Email,
    Name,
}

/// Who may see a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RawVisibility {
    Team,
    Managers,
}

/// `people/<id>.yaml`, or the front matter of `people/<id>.md`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    pub name: String,
    /// rep, manager or leader.
    pub role: RawRole,
    /// The person id (file name) of this person's manager.
    pub manager: Option<String>,
    pub team: Option<String>,
    pub region: Option<String>,
    /// First day, YYYY-MM-DD.
    pub start: Option<String>,
    pub email: Option<String>,
    /// The person's GitHub or GitLab handle, without `@`: how CODEOWNERS
    /// names them.
    pub github: Option<String>,
    /// Default true; false once `end` has passed.
    pub active: Option<bool>,
    /// Every reporting line with its first day, oldest first; the last one
    /// must agree with `manager` and `team`. A period's figures count for
    /// the manager in post on the period's last day.
    #[serde(default)]
    pub lines: Vec<RawLine>,
    /// Last day with the company, YYYY-MM-DD.
    pub end: Option<String>,
}

/// One reporting line: from its first day until the next line's.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLine {
    /// First day on this line, YYYY-MM-DD.
    pub from: String,
    /// The person id of the manager (or leader) reported to.
    pub manager: String,
    /// The team's name while on this line.
    pub team: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RawRole {
    Rep,
    Manager,
    Leader,
}

/// `fiscal_year_named_by:` in site.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RawNamedBy {
    Start,
    End,
}

/// One person's figures for one period.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRecord {
    /// The period's quota, above 0 (required for a rep).
    pub quota: Option<Money>,
    /// When `quota` is a ramp quota: the quota the rep will carry once
    /// ramped, at least `quota`. Ramp is measured against it, and "reps at
    /// quota" counts the rep apart, as ramping.
    pub full_quota: Option<Money>,
    /// Revenue closed and won in the period, 0 or more (required for a rep).
    pub closed_won: Option<Money>,
    #[schemars(range(min = 0, max = crate::vocab::bounds::MAX_COUNT))]
    pub deals_won: Option<u32>,
    #[schemars(range(min = 0, max = crate::vocab::bounds::MAX_COUNT))]
    pub deals_lost: Option<u32>,
    /// Open pipeline at the start of the period.
    pub pipeline: Option<Money>,
    /// The rep's commit, or a manager's team forecast.
    pub forecast: Option<Money>,
    /// Mean days to close won deals (0 to 3650).
    #[schemars(range(min = 0, max = crate::vocab::bounds::MAX_DAYS))]
    pub cycle_days: Option<f64>,
    #[schemars(range(min = 0, max = crate::vocab::bounds::MAX_COUNT))]
    pub opportunities_created: Option<u32>,
    pub activities: Option<RawActivities>,
}

/// Each activity is a count of 0 to 1,000,000.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawActivities {
    #[schemars(range(min = 0, max = crate::vocab::bounds::MAX_COUNT))]
    pub calls: Option<u32>,
    #[schemars(range(min = 0, max = crate::vocab::bounds::MAX_COUNT))]
    pub emails: Option<u32>,
    #[schemars(range(min = 0, max = crate::vocab::bounds::MAX_COUNT))]
    pub meetings: Option<u32>,
    #[schemars(range(min = 0, max = crate::vocab::bounds::MAX_COUNT))]
    pub demos: Option<u32>,
}

/// `performance/<period>.yaml`: every person's figures for one period.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPeriodFile {
    pub period: Option<String>,
    /// The day the figures are as of, YYYY-MM-DD, within the period: a
    /// day before its last makes the period one in progress.
    pub as_of: Option<String>,
    /// Every person's figures. May be left out when the records sit in a
    /// `performance/<period>/` folder and this file only gives `as_of`.
    #[serde(default)]
    pub people: BTreeMap<String, RawRecord>,
}

/// `performance/<period>/calls/<date>.yaml`: the forecast calls made that
/// week, the file name being the call's date.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCalls {
    /// Person id → their call: a rep's for themselves, a manager's or
    /// leader's for their whole team.
    pub calls: BTreeMap<String, RawCall>,
}

/// One person's forecast call: `best_case` ≥ `commit` ≥ 0.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCall {
    /// What they commit to close in the period.
    pub commit: Money,
    /// What could close if the open deals they count on go their way.
    pub best_case: Option<Money>,
}

/// Front matter of `playbooks/**/<slug>.md`; every field is optional so
/// that existing handbooks without front matter load. Besides Bullpen's
/// own keys it understands the common ones of Hugo, Docusaurus, MkDocs and
/// GitLab's handbook (`description`, `weight`, `sidebar_position`,
/// `draft`, `aliases`, `slug`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPlaybook {
    pub title: Option<String>,
    pub owner: Option<String>,
    pub stage: Option<String>,
    #[serde(default)]
    pub audience: Vec<String>,
    /// Days between reviews (1 to 3650; default from site.yaml).
    #[schemars(range(min = 1, max = crate::vocab::bounds::MAX_DAYS))]
    pub review_every_days: Option<u32>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub summary: Option<String>,
    /// The summary, as Hugo, Docusaurus and MkDocs call it (`summary`
    /// wins when both are given).
    pub description: Option<String>,
    pub visibility: Option<RawVisibility>,
    /// Order within the section: lower first, pages without one after
    /// those with one, then by file name.
    pub weight: Option<i64>,
    /// Docusaurus's name for `weight`.
    pub sidebar_position: Option<i64>,
    /// `true`: the page is left out of the build.
    #[serde(default)]
    pub draft: bool,
    /// Old addresses of the page: each gets a small page redirecting here.
    /// `/sales/old-name/` is from the site root; `old-name` is beside the
    /// page, in its section.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The page's name in its address, instead of its file name.
    pub slug: Option<String>,
}

/// Keys only Bullpen's own playbooks carry: a page with one of them is
/// Bullpen's, and an unknown key in it is an error (a typo matters);
/// in other pages unknown keys are set aside with one warning.
pub const PLAYBOOK_OWN_KEYS: &[&str] = &[
    "owner",
    "stage",
    "audience",
    "review_every_days",
    "visibility",
];

/// Every key [`RawPlaybook`] reads.
pub const PLAYBOOK_KEYS: &[&str] = &[
    "title",
    "owner",
    "stage",
    "audience",
    "review_every_days",
    "tags",
    "summary",
    "description",
    "visibility",
    "weight",
    "sidebar_position",
    "draft",
    "aliases",
    "slug",
];

/// Front matter of a section page under `playbooks/`: `_index.md`,
/// `index.md` or `README.md`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    pub title: Option<String>,
    pub summary: Option<String>,
    /// The summary, as other site generators call it.
    pub description: Option<String>,
    pub visibility: Option<RawVisibility>,
    /// The owner of the section's playbooks that name none.
    pub owner: Option<String>,
}

/// Every key [`RawSection`] reads.
pub const SECTION_KEYS: &[&str] = &["title", "summary", "description", "visibility", "owner"];

/// Keys only Bullpen's own section pages carry.
pub const SECTION_OWN_KEYS: &[&str] = &["visibility", "owner"];

/// Front matter of `coaching/<rep>/<period>.md`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCoaching {
    pub rep: Option<String>,
    pub coach: String,
    pub period: Option<String>,
    pub status: RawStatus,
    /// Skill → rating, 1 to 5.
    #[serde(default)]
    pub assessment: BTreeMap<String, i64>,
    #[serde(default)]
    pub goals: Vec<RawGoal>,
    #[serde(default)]
    pub actions: Vec<RawAction>,
    #[serde(default)]
    pub sessions: Vec<RawSession>,
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RawStatus {
    Active,
    Completed,
    Paused,
}

/// A coaching goal: either a metric goal (`metric`, `baseline`, `target`)
/// or a skill goal (`skill`, `playbook`, `evidence`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawGoal {
    pub metric: Option<String>,
    /// Where the metric stood; its range depends on the metric (a rate 0
    /// to 1, attainment 0 to 10, coverage 0 to 100, money 0 to
    /// 1,000,000,000,000, a count 0 to 1,000,000, days 0 to 3650).
    pub baseline: Option<f64>,
    /// Where the metric should get to; the same range as `baseline`.
    pub target: Option<f64>,
    pub due: Option<String>,
    pub skill: Option<String>,
    pub playbook: Option<String>,
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAction {
    pub what: String,
    pub due: Option<String>,
    #[serde(default)]
    pub done: bool,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSession {
    pub date: String,
    pub notes: String,
}

/// `coaching/<rep>/log.yaml`: every coaching touch with the rep, with or
/// without a plan, as a list.
pub type RawCoachingLog = Vec<RawLogEntry>;

/// One coaching session in a rep's log.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLogEntry {
    /// The day of the session, YYYY-MM-DD.
    pub date: String,
    pub kind: RawSessionKind,
    /// The person id of who coached.
    pub coach: String,
    pub notes: Option<String>,
    /// The call reviewed or joined, like "Hollis discovery".
    pub call: Option<String>,
    /// Skill → rating of the call or session, 1 to 5.
    #[serde(default)]
    pub scores: BTreeMap<String, i64>,
}

/// What kind of coaching a session was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RawSessionKind {
    OneOnOne,
    CallReview,
    JointCall,
    DealReview,
    Training,
}

/// Front matter of `reports/**/<slug>.md`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawReport {
    pub title: String,
    pub period: Option<String>,
    pub summary: Option<String>,
    pub visibility: Option<RawVisibility>,
}

//! Model stage: the validated, cross-referenced site. Entry: [`build::build`].
//!
//! Everything here has been checked against everything else: every person
//! id exists, manager chains end at a leader, periods are of the site's
//! kind. Later stages can rely on that and never re-validate.

pub mod bounds;
pub mod build;
mod calls;
mod coaching;
mod coaching_log;
pub mod currency;
mod deal_cells;
mod deal_rows;
pub mod deals;
mod figures;
mod handbook;
pub mod import;
pub mod lines;
mod owners;
mod performance;
pub mod playbooks;
mod site;
pub mod snapshots;
mod totals;

use crate::metrics::Metric;
use crate::vocab::figures::Figures;
use crate::vocab::money::Money;
use crate::vocab::period::{Calendar, Period, PeriodKind};
use crate::vocab::{PersonId, Visibility};
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The site's settings from `content/site.yaml`, with defaults filled in.
#[derive(Debug, Clone)]
pub struct Site {
    pub title: String,
    pub description: Option<String>,
    /// Always ends with `/`.
    pub base_url: String,
    /// ISO 4217 code, upper case.
    pub currency: String,
    pub period_kind: PeriodKind,
    /// The fiscal calendar (`fiscal_year_start`, `fiscal_year_named_by`).
    pub calendar: Calendar,
    pub ramp_threshold: f64,
    pub review_every_days: u32,
    pub theme: String,
    pub team_leaderboard: bool,
    /// Who sees per-rep figures (`rep_pages:`): with `Managers`, the team
    /// build shows team aggregates only.
    pub rep_pages: Visibility,
    pub repo_url: Option<String>,
    pub repo_branch: String,
    /// The largest files read (`limits:`).
    pub limits: crate::load::limits::Limits,
    /// Days a rep may go without a coaching session before the coaching
    /// index flags them (`coaching.max_days_between`, default 30).
    pub coaching_max_days_between: u32,
    /// Where relative links that leave content/ point (`links.outside`),
    /// ending with `/`.
    pub links_outside: Option<String>,
    /// The old site's address of content/playbooks/ (`links.base`),
    /// starting and ending with `/`.
    pub links_base: Option<String>,
    /// `links.missing: warn`: a link to a file that does not exist is a
    /// warning, not an error.
    pub links_missing_warn: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Leader,
    Manager,
    Rep,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Leader => "Leader",
            Role::Manager => "Manager",
            Role::Rep => "Rep",
        }
    }
}

/// Markdown text with where it came from, for rendering and for errors.
#[derive(Debug, Clone, Default)]
pub struct MarkdownText {
    pub file: PathBuf,
    pub text: String,
    /// The file line the text starts on.
    pub first_line: usize,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub id: PersonId,
    /// GitHub or GitLab handle, without `@`.
    pub github: Option<String>,
    pub name: String,
    pub role: Role,
    pub manager: Option<PersonId>,
    pub team: Option<String>,
    pub region: Option<String>,
    pub start: Option<Date>,
    pub email: Option<String>,
    /// Whether the person is still with the company as of the latest
    /// period's roll-up day: `active:` if given and `end:` has not passed.
    pub active: bool,
    pub bio: Option<MarkdownText>,
    /// A managers-only bio from the private folder (`people/<id>.md`).
    pub private_bio: Option<MarkdownText>,
    /// The person's file (`content/people/<id>.yaml` or `.md`).
    pub file: PathBuf,
    /// Every reporting line, oldest first (empty: `manager` and `team`
    /// always). Validated: dates strictly increasing, the last agreeing
    /// with `manager` and `team`. See [`Person::line_on`].
    pub lines: Vec<Line>,
    /// Last day with the company.
    pub end: Option<Date>,
}

/// A reporting line: in post from `from` until the day before the next
/// line's `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub from: Date,
    pub manager: PersonId,
    pub team: Option<String>,
}

/// A map by person id that iterates in id order, as a `BTreeMap` would,
/// and finds an id by its hash: every page looks up figures by id, among
/// thousands of reps. It is made from ids in order, whole; an id inserted
/// later would iterate last, so the model only changes the values in it.
pub type ById<V> = indexmap::IndexMap<PersonId, V, ahash::RandomState>;

/// Every figure of the site: reps' own records and the forecasts managers
/// submit for their teams, keyed by person and period.
#[derive(Debug, Clone, Default)]
pub struct Performance {
    /// Rep id → period → figures, in id order.
    pub reps: ById<BTreeMap<Period, Figures>>,
    /// Manager or leader id → period → the team forecast they submitted
    /// (or, for a complete period, their last call's commit).
    pub team_forecasts: BTreeMap<PersonId, BTreeMap<Period, Money>>,
    /// Period → the day its figures are as of (`as_of:`), where given.
    pub as_of: BTreeMap<Period, Date>,
    /// Period → its weekly forecast calls, oldest first.
    pub calls: BTreeMap<Period, Vec<Call>>,
}

/// One week's forecast calls (`performance/<period>/calls/<date>.yaml`).
#[derive(Debug, Clone)]
pub struct Call {
    pub date: Date,
    pub file: PathBuf,
    /// Person id → their call.
    pub by: BTreeMap<PersonId, CallFigures>,
}

/// One person's call: a rep's for themselves, a manager's for their team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallFigures {
    pub commit: Money,
    pub best_case: Option<Money>,
}

#[derive(Debug, Clone)]
pub struct Section {
    /// Folder path under `playbooks/` (`discovery`); empty for top-level playbooks.
    pub path: String,
    pub title: String,
    pub summary: Option<String>,
    pub visibility: Visibility,
    pub intro: Option<MarkdownText>,
    /// The section's page (`_index.md`, `index.md` or `README.md`), if it
    /// has one.
    pub file: Option<PathBuf>,
    /// The title was taken from the intro's first heading.
    pub title_from_heading: bool,
    /// The front matter's title as written, when it holds inline Markdown
    /// (`title` is its plain text).
    pub title_markdown: Option<String>,
    /// Who owns the section's playbooks that name no owner.
    pub owner: Option<PersonId>,
}

#[derive(Debug, Clone)]
pub struct Playbook {
    /// Path under `playbooks/` without `.md` (`discovery/first-call`).
    pub path: String,
    /// The section's path (the folder), empty at the top level.
    pub section: String,
    pub title: String,
    pub owner: Option<PersonId>,
    pub stage: Option<String>,
    pub audience: Vec<String>,
    pub review_every_days: u32,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub visibility: Visibility,
    pub body: MarkdownText,
    /// The title was taken from the body's first heading (no front matter).
    pub title_from_heading: bool,
    /// The front matter's title as written, when it holds inline Markdown
    /// (`title` is its plain text).
    pub title_markdown: Option<String>,
    /// The file's path under `playbooks/` without `.md`, when `slug:`
    /// publishes it under another name than `path`'s.
    pub file_path: String,
    /// Order within the section (`weight` or `sidebar_position`).
    pub weight: Option<i64>,
    /// Site paths of old addresses (`aliases:`) that redirect here,
    /// each ending with `/`.
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanStatus {
    Active,
    Completed,
    Paused,
}

impl PlanStatus {
    pub fn label(self) -> &'static str {
        match self {
            PlanStatus::Active => "Active",
            PlanStatus::Completed => "Completed",
            PlanStatus::Paused => "Paused",
        }
    }
}

#[derive(Debug, Clone)]
pub enum Goal {
    Metric {
        metric: Metric,
        baseline: f64,
        target: f64,
        due: Option<Date>,
    },
    Skill {
        skill: String,
        playbook: Option<String>,
        evidence: Option<String>,
        due: Option<Date>,
    },
}

#[derive(Debug, Clone)]
pub struct Action {
    pub what: String,
    pub due: Option<Date>,
    pub done: bool,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub date: Date,
    pub notes: String,
}

/// What kind of coaching a logged session was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    OneOnOne,
    CallReview,
    JointCall,
    DealReview,
    Training,
}

impl SessionKind {
    pub fn label(self) -> &'static str {
        match self {
            SessionKind::OneOnOne => "One-on-one",
            SessionKind::CallReview => "Call review",
            SessionKind::JointCall => "Joint call",
            SessionKind::DealReview => "Deal review",
            SessionKind::Training => "Training",
        }
    }
}

/// One coaching session from a rep's `coaching/<rep>/log.yaml`.
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub rep: PersonId,
    pub date: Date,
    pub kind: SessionKind,
    pub coach: PersonId,
    pub notes: Option<String>,
    /// The call reviewed or joined.
    pub call: Option<String>,
    /// Skill → rating 1..=5, in name order.
    pub scores: Vec<(String, u8)>,
}

#[derive(Debug, Clone)]
pub struct CoachingPlan {
    pub rep: PersonId,
    pub coach: PersonId,
    pub period: Period,
    pub status: PlanStatus,
    /// Skill name → rating 1..=5, in name order.
    pub assessment: Vec<(String, u8)>,
    pub goals: Vec<Goal>,
    pub actions: Vec<Action>,
    pub sessions: Vec<Session>,
    pub outcome: Option<String>,
    pub body: MarkdownText,
}

#[derive(Debug, Clone)]
pub struct Report {
    /// Path under `reports/` without `.md`.
    pub path: String,
    pub title: String,
    pub period: Option<Period>,
    pub summary: Option<String>,
    pub visibility: Visibility,
    pub body: MarkdownText,
}

/// A file copied to the output unchanged.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path under `content/` (`playbooks/discovery/flow.png`).
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The whole validated site.
#[derive(Debug, Clone)]
pub struct Model {
    pub site: Site,
    pub people: BTreeMap<PersonId, Person>,
    /// Every period with figures, oldest first.
    pub periods: Vec<Period>,
    pub performance: Performance,
    pub sections: Vec<Section>,
    pub playbooks: Vec<Playbook>,
    pub coaching: Vec<CoachingPlan>,
    /// Every logged coaching session, by rep then date.
    pub coaching_log: Vec<LogEntry>,
    pub reports: Vec<Report>,
    pub assets: Vec<Asset>,
    /// Open deals from CRM exports, by owner then amount (largest first).
    pub open_deals: Vec<deals::OpenDeal>,
    /// What changed between the two newest deal snapshots.
    pub pipeline_changes: Option<snapshots::Changes>,
    /// The open stages (`deals.stages.open`, in order) that each entry of
    /// a record's `deal_pipeline.by_stage` counts, with one more, last, for
    /// stages not listed (`strict: false`): see [`Model::deal_stages`].
    pub deal_stages: Vec<String>,
    /// Whether stages not listed count as open (`deals.stages.strict: false`).
    pub unlisted_stages: bool,
    /// What git knows of each content file; empty without git.
    pub history: crate::load::history::History,
    /// How many content files were read.
    pub files: usize,
    /// Content files that exist but are not in the model because of their
    /// own errors, by path under `content/` (`playbooks/a.md`): links to
    /// them are not reported as missing.
    pub unloaded: std::collections::BTreeSet<String>,
    /// Files that came from the private folder, by their path as if under
    /// content/ (`content/coaching/a/log.yaml`): not in the shared
    /// repository, so no "Edit this page" link points there.
    pub private_files: std::collections::BTreeSet<std::path::PathBuf>,
}

impl Model {
    pub fn latest_period(&self) -> Option<Period> {
        self.periods.last().copied()
    }

    /// The forecast `manager` submitted for their team in `period`.
    pub fn team_forecast(&self, manager: &str, period: Period) -> Option<Money> {
        self.performance
            .team_forecasts
            .get(manager)?
            .get(&period)
            .copied()
    }

    /// The day a period's figures roll up on (see [`roll_up_date`]).
    pub fn roll_up_date(&self, period: Period) -> Date {
        roll_up_date(&self.site, &self.performance.as_of, period)
    }

    /// The name of each entry of a record's `deal_pipeline.by_stage`:
    /// the open stages in `deals.stages.open` order, then `Other stages`
    /// when unlisted stages count as open.
    pub fn deal_stages(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.deal_stages.iter().map(String::as_str).collect();
        if self.unlisted_stages {
            names.push("Other stages");
        }
        names
    }

    /// The day a period's figures are as of: its `as_of`, else its last day.
    pub fn as_of(&self, period: Period) -> Date {
        self.roll_up_date(period)
    }

    /// Where a period stands; `None` when it is complete.
    pub fn progress(&self, period: Period) -> Option<crate::vocab::figures::Progress> {
        calls::progress(
            &self.site,
            period,
            self.performance.as_of.get(&period).copied(),
        )
    }

    /// A period's weekly calls, oldest first.
    pub fn calls(&self, period: Period) -> &[Call] {
        self.performance
            .calls
            .get(&period)
            .map_or(&[], Vec::as_slice)
    }

    /// A person's call standing on `day` in `period`, with its date.
    pub fn call_as_of(&self, id: &str, period: Period, day: Date) -> Option<(Date, CallFigures)> {
        calls::call_as_of(self.calls(period), id, day).map(|(date, call)| (date, *call))
    }

    pub fn figures(&self, person: &str, period: Period) -> Option<&Figures> {
        // Keyed by person first, so a lookup by `&str` allocates nothing.
        self.performance.reps.get(person)?.get(&period)
    }
}

/// The day a period's figures roll up on: the org chart of this day says
/// whose team each rep's figures count for, and the calls standing on it
/// are the latest. A period's last day, or its `as_of` while in progress.
pub fn roll_up_date(site: &Site, as_of: &BTreeMap<Period, Date>, period: Period) -> Date {
    let last = period.last_day(site.calendar);
    as_of.get(&period).map_or(last, |&day| day.min(last))
}

//! Load stage: the serde-only shapes of every content file kind.
//!
//! These mirror the YAML exactly and reject unknown fields; `model::build`
//! validates and cross-links them. Nothing here knows about other files.

use crate::model::money::Money;
use crate::model::period::PeriodKind;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `content/site.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    pub title: String,
    pub description: Option<String>,
    pub base_url: Option<String>,
    pub currency: Option<String>,
    pub period: Option<PeriodKind>,
    pub fiscal_year_start: Option<u8>,
    pub ramp_threshold: Option<f64>,
    pub review_every_days: Option<u32>,
    pub theme: Option<String>,
    pub team_leaderboard: Option<bool>,
    pub repo_url: Option<String>,
}

/// Who may see a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawVisibility {
    Team,
    Managers,
}

/// `people/<id>.yaml`, or the front matter of `people/<id>.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    pub name: String,
    pub role: RawRole,
    pub manager: Option<String>,
    pub team: Option<String>,
    pub region: Option<String>,
    pub start: Option<String>,
    pub email: Option<String>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawRole {
    Rep,
    Manager,
    Leader,
}

/// One person's figures for one period.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecord {
    pub quota: Option<Money>,
    pub closed_won: Option<Money>,
    pub deals_won: Option<u32>,
    pub deals_lost: Option<u32>,
    pub pipeline: Option<Money>,
    pub forecast: Option<Money>,
    pub cycle_days: Option<f64>,
    pub opportunities_created: Option<u32>,
    pub activities: Option<RawActivities>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActivities {
    pub calls: Option<u32>,
    pub emails: Option<u32>,
    pub meetings: Option<u32>,
    pub demos: Option<u32>,
}

/// `performance/<period>.yaml`: every person's figures for one period.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeriodFile {
    pub period: Option<String>,
    pub people: BTreeMap<String, RawRecord>,
}

/// Front matter of `playbooks/**/<slug>.md`; every field is optional so
/// that existing handbooks without front matter load.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlaybook {
    pub title: Option<String>,
    pub owner: Option<String>,
    pub stage: Option<String>,
    #[serde(default)]
    pub audience: Vec<String>,
    pub review_every_days: Option<u32>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub visibility: Option<RawVisibility>,
}

/// Front matter of `playbooks/**/_index.md`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub visibility: Option<RawVisibility>,
}

/// Front matter of `coaching/<rep>/<period>.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCoaching {
    pub rep: Option<String>,
    pub coach: String,
    pub period: Option<String>,
    pub status: RawStatus,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawStatus {
    Active,
    Completed,
    Paused,
}

/// A coaching goal: either a metric goal (`metric`, `baseline`, `target`)
/// or a skill goal (`skill`, `playbook`, `evidence`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGoal {
    pub metric: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub due: Option<String>,
    pub skill: Option<String>,
    pub playbook: Option<String>,
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAction {
    pub what: String,
    pub due: Option<String>,
    #[serde(default)]
    pub done: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSession {
    pub date: String,
    pub notes: String,
}

/// Front matter of `reports/**/<slug>.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReport {
    pub title: String,
    pub period: Option<String>,
    pub summary: Option<String>,
    pub visibility: Option<RawVisibility>,
}

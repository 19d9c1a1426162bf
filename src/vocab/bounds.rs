//! The accepted range of every number a content file can hold. The model
//! checks them (`model::bounds`); the JSON Schemas and the metric registry
//! carry the same limits.

/// Counts of one person in one period: deals won, deals lost,
/// opportunities created, and each kind of activity.
pub const MAX_COUNT: u32 = 1_000_000;

/// Mean days to close a deal (`cycle_days`), and days between playbook
/// reviews (`review_every_days`): ten years.
pub const MAX_DAYS: u32 = 3650;

/// The attainment a rep must reach to count as ramped (`ramp_threshold`),
/// and the highest attainment a coaching goal may aim at: 1000% of quota.
pub const MAX_ATTAINMENT: f64 = 10.0;

/// The highest pipeline coverage a coaching goal may aim at (100×).
pub const MAX_COVERAGE: f64 = 100.0;

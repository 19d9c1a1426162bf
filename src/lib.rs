//! Bullpen turns a sales team's repository of YAML and Markdown into a
//! static site: dashboards, playbooks and coaching plans.
//!
//! The pipeline runs one way: [`cli`] → [`pipeline`] → [`load`] →
//! [`model`] → [`metrics`] → [`render`] → [`output`]. Each stage takes owned data and
//! returns owned data; only `output` writes to disk. Shared vocabulary —
//! money, periods, ids, audiences — lives in [`vocab`], below every stage.
//! A module uses only the layers below it (ARCHITECTURE.md draws them).

pub mod cli;
pub mod diff;
pub mod embedded;
pub mod error;
pub mod export;
pub mod format;
pub mod load;
pub mod metrics;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod prose;
pub mod render;
pub mod report;
pub mod rollup;
pub mod schema;
pub mod serve;
pub mod sitecheck;
pub mod text;
pub mod timings;
pub mod vocab;

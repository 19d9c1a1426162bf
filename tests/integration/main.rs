//! Integration tests: one binary, one module per feature.

mod audience;
mod build;
mod charts;
mod check;
mod cli;
mod errors;
mod links;
mod snapshots;
mod support;

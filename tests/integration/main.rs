//! Integration tests: one binary, one module per feature.

mod audience;
mod browser;
mod build;
mod charts;
mod check;
mod cli;
mod deals;
mod errors;
mod fuzz_regressions;
mod history;
mod hook;
mod links;
mod safety;
mod serve;
mod snapshots;
mod support;
mod workflows;

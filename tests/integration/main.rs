//! Integration tests: one binary, one module per feature.

mod audience;
mod browser;
mod build;
mod charts;
mod check;
mod cli;
mod coaching_log;
mod deals;
mod errors;
mod fuzz_regressions;
mod handbooks;
mod history;
mod hook;
mod install;
mod layers;
mod lines;
mod links;
mod output;
mod prose;
mod ramp;
mod safety;
mod serve;
mod snapshots;
mod support;
mod themes;
mod workflows;

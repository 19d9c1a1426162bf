//! Fuzzes site.yaml: the input is the site settings beside a small valid
//! team (and a few deal rows when it has `deals:` settings), loaded,
//! validated and — when valid — rendered for managers.
#![no_main]

// Each target uses one of the harness's entry points.
#[allow(dead_code)]
#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::site_yaml(data);
});

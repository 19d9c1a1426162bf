//! Inputs the fuzz targets once failed on, replayed through the same code
//! as their target (`fuzz/harness.rs`) on every `cargo test`, so they stay
//! fixed without a nightly toolchain or cargo-fuzz.
//!
//! Each input is a file in `tests/fixtures/fuzz-regressions/<target>/`.

#[path = "../../fuzz/harness.rs"]
mod harness;

use crate::support::fixture;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

/// The saved inputs of one target, by name.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = fixture("fuzz-regressions").join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut inputs: Vec<(PathBuf, Vec<u8>)> = entries
        .map(|entry| {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    inputs.sort();
    inputs
}

/// Runs every saved input of `target` through `run`, and names each one
/// that panics.
fn replay(target: &str, run: impl Fn(&[u8])) {
    let failed: Vec<String> = inputs(target)
        .iter()
        .filter(|(_, bytes)| catch_unwind(AssertUnwindSafe(|| run(bytes))).is_err())
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(failed.is_empty(), "these inputs still panic: {failed:?}");
}

#[test]
fn content_regressions_do_not_panic() {
    replay("content", |data| {
        harness::content(data);
    });
}

#[test]
fn markdown_regressions_do_not_panic() {
    replay("markdown", harness::markdown);
}

#[test]
fn chart_spec_regressions_do_not_panic() {
    replay("chart_spec", harness::chart_spec);
}

#[test]
fn deals_regressions_do_not_panic() {
    replay("deals", |data| {
        harness::deals(data);
    });
}

#[test]
fn site_yaml_regressions_do_not_panic() {
    replay("site_yaml", |data| {
        harness::site_yaml(data);
    });
}

/// A target whose base site never loads would only ever fuzz the error
/// paths: the fixtures' own files must load and render through it.
#[test]
fn the_fuzz_targets_base_sites_load_and_render() {
    let rendered = |outcome: harness::Outcome| match outcome {
        harness::Outcome::Rendered(result) => result.is_ok(),
        harness::Outcome::Rejected(diagnostics) => panic!("rejected: {diagnostics:#?}"),
    };
    let export = std::fs::read(fixture("deals/content/deals/hubspot-export.csv")).unwrap();
    assert!(rendered(harness::deals(&export)));
    for site in ["deals", "small"] {
        let yaml = std::fs::read(fixture(site).join("content/site.yaml")).unwrap();
        assert!(rendered(harness::site_yaml(&yaml)), "{site}");
    }
    let mut report = vec![8];
    report.extend_from_slice(b"---\ntitle: Review\nperiod: 2026-Q1\n---\nFine.\n");
    assert!(rendered(harness::content(&report).unwrap()));
}

//! Inputs the fuzz targets once failed on, replayed through the same code
//! as their target (`fuzz/harness.rs`) on every `cargo test`, so they stay
//! fixed without a nightly toolchain or cargo-fuzz.
//!
//! Each input is a file in `tests/fixtures/fuzz-regressions/<target>/`.

#[path = "../../fuzz/harness.rs"]
mod harness;

use crate::support::fixture;
use harness::Outcome;
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
    replay("chart_spec", |data| {
        let _ = harness::chart_spec(data);
    });
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
    assert_eq!(
        harness::chart_spec(b"kind: bar\nmetric: attainment\nby: rep\n"),
        Ok(())
    );
}

/// Found by a probe beside the fuzz runs, past the inputs' length limit:
/// libyaml's scanner rechecks every open flow level for each token, so the
/// time to refuse a YAML file of nothing but `[` grew with the square of
/// its size (100 kB: half a minute). Every YAML input is now refused before
/// libyaml sees it.
#[test]
fn deep_flow_nesting_is_refused_in_every_yaml_input() {
    let input = |target: &str| {
        std::fs::read(
            fixture("fuzz-regressions")
                .join(target)
                .join("deep-flow-nesting"),
        )
        .unwrap()
    };
    let says_too_deep = |outcome: Outcome| match outcome {
        Outcome::Rejected(diagnostics) => diagnostics
            .iter()
            .any(|d| d.message.contains("nested more than 128 deep") && d.line == Some(1)),
        Outcome::Rendered(_) => false,
    };
    assert!(says_too_deep(harness::site_yaml(&input("site_yaml"))));
    assert!(says_too_deep(harness::content(&input("content")).unwrap()));
    let refused = harness::chart_spec(&input("chart_spec")).unwrap_err();
    assert!(refused.contains("nested more than 128 deep"), "{refused}");
}

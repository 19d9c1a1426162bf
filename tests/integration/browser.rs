//! The demo in a real browser (headless Chromium: console errors, charts
//! and tables at a 390 px phone's width, prose tables, axe-core, search
//! served and from `file://`, print to PDF) and through the Nu HTML
//! Checker, for both audiences. Needs `chromium`, `node` with `tests/browser/node_modules`
//! (`npm ci --prefix tests/browser`) and `java`; `.ci/run` installs them.
//! Screenshots (phone and desktop, light and dark) and print PDFs land in
//! `target/browser-screenshots/`.

use crate::support::{detached, repo_root, require, runs};
use bullpen::vocab::Audience;
use std::path::Path;
use std::process::Command;

/// Fails, naming what is missing, unless every tool is here.
fn require_tools() {
    let browser = repo_root().join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let missing: Vec<&str> = [
        ("node", runs("node", "--version")),
        ("java", runs("java", "-version")),
        ("chromium", Path::new(&chromium).exists()),
        (
            "tests/browser/node_modules",
            browser.join("node_modules/playwright-core").is_dir(),
        ),
    ]
    .into_iter()
    .filter_map(|(tool, present)| (!present).then_some(tool))
    .collect();
    require(
        &missing,
        "apt-get install chromium default-jre-headless nodejs npm; npm ci --prefix tests/browser",
    );
}

fn built(audience: Audience) -> (tempfile::TempDir, std::path::PathBuf) {
    let copy = detached(&repo_root());
    let out = copy.path().join("public");
    bullpen::pipeline::build(copy.path(), &out, audience, None).unwrap();
    (copy, out)
}

#[test]
fn the_demo_reads_well_in_a_real_browser() {
    require_tools();
    // The managers' build: it has every kind of page, the coaching plan
    // included; the team's build for its search.
    let (_copy, site) = built(Audience::Managers);
    let (_team_copy, team_site) = built(Audience::Team);
    let shots = repo_root().join("target/browser-screenshots");
    let output = Command::new("node")
        .arg(repo_root().join("tests/browser/run.mjs"))
        .arg(&site)
        .arg(&shots)
        .arg(&team_site)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    println!("{report}");
    assert!(
        output.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(report.contains(" passed, 0 failed"), "{report}");
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    require_tools();
    for audience in [Audience::Team, Audience::Managers] {
        let (_copy, site) = built(audience);
        let vnu = repo_root().join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar");
        let output = Command::new("java")
            .arg("-jar")
            .arg(&vnu)
            .args(["--errors-only", "--skip-non-html"])
            .arg(&site)
            .output()
            .unwrap();
        let errors = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && errors.trim().is_empty(),
            "{audience:?}: {errors}"
        );
    }
}

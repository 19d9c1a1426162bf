//! Figures inside prose: `` `=attainment team:mia-ford` `` in Markdown shows
//! the live figure, formatted as the dashboards format it; a wrong one is
//! an error on its line in `check`; `diff` lists one whose value changed.

use crate::audience::copy_dir;
use crate::support::{build, bullpen, fixture};
use bullpen::vocab::Audience;
use std::path::Path;

/// The small fixture's Q2 review, with figures in its prose. Its front
/// matter gives `period: 2026-Q2`.
const REVIEW: &str = "---
title: Q2 review
period: 2026-Q2
summary: How the quarter went.
---
## Summary

North reached `=attainment team:mia-ford` of quota; the organisation
`=attainment`, and `=attainment period:2026-Q1` in Q1. Ann Lee closed
`=closed_won rep:ann-lee`; Dee Hart had no Q1 figures:
`=attainment rep:dee-hart period:2026-Q1`.
";

fn small_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    for (path, text) in files {
        let path = dir.path().join("content").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn a_figure_in_prose_shows_the_dashboards_value() {
    let dir = small_with(&[("reports/q2-review.md", REVIEW)]);
    let site = build(dir.path(), Audience::Team);
    let page = site.main("reports/q2-review/index.html");
    // North in Q2 by hand: Ann Lee 110,000 of 100,000 and Ben Cole 60,000
    // of 50,000 → 170,000 / 150,000 = 113.3%.
    assert!(
        page.contains(
            "<span class=\"figure\" title=\"Attainment · Mia Ford&#39;s team · Q2 2026\">113.3%</span>"
        ),
        "{page}"
    );
    // Everyone in Q2 (the report's period): 300,000 / 340,000 = 88.2%; in
    // Q1: 260,000 / 300,000 = 86.7%.
    assert!(page.contains(">88.2%</span>"), "{page}");
    assert!(page.contains(">86.7%</span>"), "{page}");
    assert!(page.contains(">$110,000</span>"), "{page}");
    // No figures: the dashboards' dash with its reason.
    assert!(
        page.contains("title=\"No figures for this period\">—"),
        "{page}"
    );
    assert!(!page.contains("=attainment"), "{page}");
    // The search index has the figure, not the code.
    let index = site.page("search-index.json");
    let at = index
        .find("\"t\":\"Q2 review\"")
        .expect("the review is indexed");
    let entry = &index[at..at + index[at..].find('}').unwrap()];
    assert!(entry.contains(" 113 "), "{entry}");
    assert!(!entry.contains("attainment"), "{entry}");
}

#[test]
fn wrong_figures_are_errors_on_their_lines_all_in_one_run() {
    let playbook = "---\ntitle: Pace\n---\n# Pace\n\nWe are at `=attainmnt` today.\n\nManagers see `=coaching_coverage`.\n";
    let review = REVIEW
        .replace("team:mia-ford", "team:ann-lee")
        .replace("period:2026-Q1", "period:2025-Q1");
    let dir = small_with(&[
        ("reports/q2-review.md", &review),
        ("playbooks/basics/pace.md", playbook),
    ]);
    let output = bullpen(&["check"], dir.path());
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    for (place, says) in [
        (
            "content/playbooks/basics/pace.md:6",
            "unknown metric `attainmnt` in an inline figure. Did you mean `attainment`?",
        ),
        ("content/playbooks/basics/pace.md:8", "managers only"),
        (
            "content/reports/q2-review.md:8",
            "`team:ann-lee`: Ann Lee is a rep",
        ),
        (
            "content/reports/q2-review.md:9",
            "no figures for `period:2025-Q1`",
        ),
    ] {
        assert!(said.contains(place), "{place} in:\n{said}");
        assert!(said.contains(says), "{says} in:\n{said}");
    }
    // `build` refuses the same site before writing anything.
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let built = bullpen(&["build", "--out", public.to_str().unwrap()], dir.path());
    assert!(!built.status.success());
    assert!(String::from_utf8_lossy(&built.stderr).contains("pace.md:6"));
}

#[test]
fn the_review_lists_a_quoted_figure_whose_value_changed() {
    let base = small_with(&[("reports/q2-review.md", REVIEW)]);
    // Ann Lee's Q2 closed-won corrected from 110,000 to 95,000: North goes
    // from 170,000 / 150,000 = 113.3% to 155,000 / 150,000 = 103.3%.
    let head = small_with(&[("reports/q2-review.md", REVIEW)]);
    let ann = head.path().join("content/performance/2026-Q2/ann-lee.yaml");
    let text = std::fs::read_to_string(&ann).unwrap();
    std::fs::write(
        &ann,
        text.replace("closed_won: 110000", "closed_won: 95000"),
    )
    .unwrap();
    let load = |dir: &Path| bullpen::pipeline::load_model(dir).unwrap().0;
    let review = bullpen::diff::compare(&load(base.path()), &load(head.path()), Audience::Team);
    let quoted: Vec<(String, String, usize, String, String)> = review
        .quoted
        .iter()
        .map(|q| {
            (
                q.path.clone(),
                q.expression.clone(),
                q.line,
                q.old.clone(),
                q.new.clone(),
            )
        })
        .collect();
    let change = |expression: &str, line: usize, old: &str, new: &str| {
        (
            "reports/q2-review".to_string(),
            expression.to_string(),
            line,
            old.to_string(),
            new.to_string(),
        )
    };
    assert_eq!(
        quoted,
        vec![
            change("=attainment team:mia-ford", 8, "113.3%", "103.3%"),
            // Everyone: 285,000 / 340,000 = 83.8%.
            change("=attainment", 9, "88.2%", "83.8%"),
            change("=closed_won rep:ann-lee", 10, "$110,000", "$95,000"),
        ]
    );
    let summary = bullpen::diff::markdown(&review, "main", "fix", "review/index.html");
    assert!(
        summary.contains("| **Q2 review** (`reports/q2-review`) | `=attainment team:mia-ford` | 113.3% → 103.3% |"),
        "{summary}"
    );
}

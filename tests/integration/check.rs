//! `bullpen check`: every broken input under `tests/fixtures/invalid/` is
//! reported with its file, line and a message pinned by snapshot; the
//! formats for people, GitHub and tools; a BOM and CRLF are accepted.

use crate::audience::copy_dir;
use crate::support::fixture;
use bullpen::error::Severity;
use bullpen::report::{self, Format};
use std::path::Path;
use std::process::Command;

/// The small fixture with a case's files laid over it.
fn overlay(case: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    copy_dir(case, dir.path());
    dir
}

/// For each case: a file, line and words its report must contain.
const EXPECTED: &[(&str, &str, usize, &str)] = &[
    (
        "bad-coaching",
        "content/coaching/ann-lee/2026-Q3.md",
        8,
        "unknown field `goal`",
    ),
    (
        "bad-file-name",
        "content/playbooks/basics/q3#plan.md",
        0,
        "only letters, digits, `-`, `_` and `.`",
    ),
    (
        "binary-markdown",
        "content/playbooks/basics/notes.md",
        3,
        "the file is not valid UTF-8 text",
    ),
    (
        "broken-link",
        "content/playbooks/basics/first-call.md",
        7,
        "content/playbooks/closing/close.md, which does not exist",
    ),
    (
        "coaching-not-rep",
        "content/coaching/mia-ford/2026-Q2.md",
        2,
        "coaching plans are for reps",
    ),
    (
        "control-character",
        "content/people/ben-cole.yaml",
        4,
        "a control character (U+001B) is not allowed in a text file",
    ),
    (
        "deal-empty",
        "content/deals/export.csv",
        0,
        "the file is empty",
    ),
    (
        "deal-negative-amount",
        "content/deals/export.csv",
        3,
        "column `amount`: `-2500` is negative",
    ),
    (
        "deal-repeated-id",
        "content/deals/export.csv",
        4,
        "column `id`: the deal `D-1` is given twice: first at line 2, again here",
    ),
    (
        "deal-semicolon",
        "content/deals/export.csv",
        1,
        "the header has one column `id;owner;stage;created;closed;amount`: the file looks semicolon-delimited",
    ),
    (
        "duplicate-record",
        "content/performance/2026-Q2.yaml",
        3,
        "given twice: here and in content/performance/2026-Q2/ann-lee.yaml",
    ),
    (
        "empty-file",
        "content/people/ben-cole.yaml",
        1,
        "the file is empty",
    ),
    (
        "end-before-start",
        "content/people/ben-cole.yaml",
        6,
        "`end` (2025-12-31) is before `start` (2026-01-05)",
    ),
    (
        "full-quota-below-quota",
        "content/performance/2026-Q2/ben-cole.yaml",
        2,
        "`full_quota` (40000) is below `quota` (50000)",
    ),
    (
        "goal-out-of-range",
        "content/coaching/ann-lee/2026-Q2.md",
        10,
        "goal 1: the target of `win_rate` is 1e308; expected 0 to 1 (a ratio, like 0.35 for 35%)",
    ),
    (
        "impossible-date",
        "content/people/ben-cole.yaml",
        4,
        "`2026-02-30` is not a date",
    ),
    (
        "lines-bad-date",
        "content/people/ben-cole.yaml",
        7,
        "entry 1 of `lines`: `2026-13-01` is not a date",
    ),
    (
        "lines-last-manager",
        "content/people/ben-cole.yaml",
        8,
        "reports to `noah-kent`, but `manager:` is `mia-ford`",
    ),
    (
        "lines-last-team",
        "content/people/ben-cole.yaml",
        8,
        "has team `South`, but `team:` is `North`",
    ),
    (
        "lines-loop",
        "content/people/mia-ford.yaml",
        6,
        "on 2025-01-01 the manager chain loops back: mia-ford → noah-kent → mia-ford",
    ),
    (
        "lines-not-a-manager",
        "content/people/ben-cole.yaml",
        7,
        "`ann-lee` is a rep; a line must name a manager or a leader",
    ),
    (
        "lines-overlapping",
        "content/people/ben-cole.yaml",
        10,
        "the same day as entry 1",
    ),
    (
        "lines-unknown-manager",
        "content/people/ben-cole.yaml",
        8,
        "did you mean `mia-ford`?",
    ),
    (
        "lines-unordered",
        "content/people/ben-cole.yaml",
        8,
        "before entry 1 (2026-03-01); expected the lines oldest first",
    ),
    (
        "manager-cycle",
        "content/people/lee-ross.yaml",
        3,
        "loops back",
    ),
    (
        "log-not-a-date",
        "content/coaching/ann-lee/log.yaml",
        2,
        "session 2: `2026-05-32` is not a date",
    ),
    (
        "log-not-a-rep",
        "content/coaching/mia-ford/log.yaml",
        1,
        "`mia-ford` is a manager; coaching logs are for reps",
    ),
    (
        "log-score-out-of-range",
        "content/coaching/ann-lee/log.yaml",
        5,
        "session 1: the score of `negotiation` is 7; expected 1 to 5",
    ),
    (
        "log-unknown-coach",
        "content/coaching/ann-lee/log.yaml",
        7,
        "did you mean `mia-ford`?",
    ),
    (
        "log-unknown-kind",
        "content/coaching/ann-lee/log.yaml",
        3,
        "unknown variant `coffee-chat`, expected one of `one-on-one`, `call-review`, `joint-call`, `deal-review`, `training`",
    ),
    ("many", "content/notes.txt", 0, "no known kind"),
    (
        "missing-field",
        "content/people/ben-cole.yaml",
        1,
        "missing field `role`",
    ),
    (
        "negative-count",
        "content/performance/2026-Q2/ben-cole.yaml",
        3,
        "expected a whole number, 0 or more",
    ),
    (
        "negative-money",
        "content/performance/2026-Q2/ben-cole.yaml",
        2,
        "`closed_won` is negative",
    ),
    (
        "not-utf8",
        "content/people/ben-cole.yaml",
        1,
        "not valid UTF-8",
    ),
    (
        "number-out-of-range",
        "content/performance/2026-Q2/ben-cole.yaml",
        6,
        "`cycle_days` is 1e308; expected 0 to 3650 (days)",
    ),
    (
        "period-malformed",
        "content/performance/2026-Q5.yaml",
        0,
        "the file name `2026-Q5` is not a period id",
    ),
    (
        "period-malformed-key",
        "content/performance/2026-Q5.yaml",
        3,
        "`2026-Q5` is not a period id",
    ),
    (
        "period-mismatch",
        "content/performance/2026-Q3.yaml",
        1,
        "does not match the file name",
    ),
    (
        "quota-not-positive",
        "content/performance/2026-Q2/ben-cole.yaml",
        1,
        "`quota` must be above 0",
    ),
    (
        "rating-out-of-range",
        "content/coaching/ann-lee/2026-Q2.md",
        4,
        "expected 1 to 5",
    ),
    (
        "rep-without-manager",
        "content/people/ben-cole.yaml",
        2,
        "a rep needs a `manager:`",
    ),
    (
        "repeated-field",
        "content/people/ben-cole.yaml",
        4,
        "the key `name` is given twice in one mapping: first on line 1, again here",
    ),
    (
        "repeated-key",
        "content/performance/2026-Q1.yaml",
        7,
        "the key `ben-cole` is given twice in one mapping: first on line 4, again here",
    ),
    (
        "same-url",
        "content/playbooks/basics.md",
        1,
        "this file and content/playbooks/basics/_index.md would both be published at /playbooks/basics/",
    ),
    (
        "same-url-case",
        "content/playbooks/basics/first-call.md",
        1,
        "differ only in upper and lower case",
    ),
    (
        "site-settings-error",
        "content/site.yaml",
        4,
        "unknown variant `quarterly`",
    ),
    (
        "tab-indentation",
        "content/performance/2026-Q1.yaml",
        3,
        "a tab is used for indentation",
    ),
    (
        "unclosed-front-matter",
        "content/playbooks/basics/third.md",
        1,
        "the front matter is never closed",
    ),
    (
        "unknown-field",
        "content/people/ben-cole.yaml",
        4,
        "did you mean `team`?",
    ),
    (
        "unknown-goal-metric",
        "content/coaching/ann-lee/2026-Q2.md",
        5,
        "did you mean `win_rate`?",
    ),
    (
        "unknown-kind",
        "content/people/README.txt",
        0,
        "expected a person as people/<id>.yaml",
    ),
    (
        "unknown-manager",
        "content/people/eve-stone.yaml",
        3,
        "did you mean `mia-ford`?",
    ),
    (
        "unknown-period",
        "content/reports/q2-review.md",
        6,
        "no figures for the period `2031-Q1`",
    ),
    (
        "unknown-playbook",
        "content/coaching/ann-lee/2026-Q2.md",
        6,
        "did you mean `basics/first-call`?",
    ),
    (
        "unloaded-linked-page",
        "content/playbooks/basics/broken.md",
        3,
        "invalid type: sequence, expected a string",
    ),
    (
        "unsafe-link-scheme",
        "content/playbooks/basics/first-call.md",
        7,
        "links with the `javascript:` scheme are not allowed",
    ),
    ("unsafe-urls", "content/site.yaml", 6, "`repo_url`"),
    (
        "wrong-type",
        "content/performance/2026-Q2/ben-cole.yaml",
        3,
        "invalid type: string \"many\"",
    ),
    (
        "yaml-syntax",
        "content/people/ben-cole.yaml",
        4,
        "mapping values are not allowed",
    ),
];

#[test]
fn every_invalid_fixture_is_reported_where_it_is() {
    let cases: Vec<_> = std::fs::read_dir(fixture("invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        cases.len(),
        EXPECTED.len(),
        "every fixture has an expectation"
    );
    for (case, file, line, words) in EXPECTED {
        let dir = overlay(&fixture("invalid").join(case));
        let checked = bullpen::pipeline::check(dir.path()).unwrap();
        assert!(checked.errors() > 0, "{case}: no errors");
        let text = report::format(
            Format::Human,
            &checked.diagnostics,
            checked.files,
            dir.path(),
        );
        let location = if *line > 0 {
            format!("--> {file}:{line}")
        } else {
            format!("--> {file}")
        };
        let found = text.split("\n\n").any(|block| {
            block.lines().any(|l| {
                l.trim_start() == location || l.trim_start().starts_with(&format!("{location}:"))
            }) && block.contains(words)
        });
        assert!(
            found,
            "{case}: expected `{words}` at {location} in:\n{text}"
        );
        // The terminal gets no raw control characters and no endless lines.
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{case}: control characters in {text:?}"
        );
        for line in text.lines().filter(|l| l.contains(" | ")) {
            assert!(
                line.chars().count() <= 110,
                "{case}: a long excerpt: {line}"
            );
        }
        // Every error of every case points at a file, and at a line where the file has lines.
        for error in checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            assert!(!error.file.as_os_str().is_empty(), "{case}: {error:?}");
        }
        insta::assert_snapshot!(format!("check_{}", case.replace('-', "_")), text);
    }
}

#[test]
fn a_bom_and_crlf_line_endings_are_accepted() {
    let dir = overlay(&fixture("accepted/bom-crlf"));
    let checked = bullpen::pipeline::check(dir.path()).unwrap();
    assert_eq!(checked.errors(), 0, "{:#?}", checked.diagnostics);
    let site = crate::support::build(dir.path(), bullpen::vocab::Audience::Team);
    assert!(
        site.main("playbooks/basics/second-call/index.html")
            .contains(r#"<h2 id="pricing-questions">"#)
    );
}

use crate::support::bullpen;

#[test]
fn check_exits_1_on_errors_and_0_when_clean() {
    let small = crate::support::detached(&fixture("small"));
    let clean = bullpen(&["check"], small.path());
    assert_eq!(clean.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&clean.stdout);
    assert!(
        stdout.ends_with("0 errors, 3 warnings in 20 files\n"),
        "{stdout}"
    );

    let dir = overlay(&fixture("invalid/many"));
    let broken = bullpen(&["check"], dir.path());
    assert_eq!(broken.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert!(
        stdout.contains("3 errors, 4 warnings in 22 files"),
        "{stdout}"
    );
    assert!(!dir.path().join("public").exists(), "check writes nothing");
}

#[test]
fn check_speaks_github_and_json() {
    let dir = overlay(&fixture("invalid/unknown-manager"));
    let github = bullpen(&["check", "--format", "github"], dir.path());
    let text = String::from_utf8_lossy(&github.stdout);
    assert!(text.starts_with("::error file=content/people/eve-stone.yaml,line=3,col=10::the manager `mia-frod` is not a person"), "{text}");
    let json = bullpen(&["check", "--format", "json"], dir.path());
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["errors"], 1);
    assert_eq!(
        value["diagnostics"][0]["file"],
        "content/people/eve-stone.yaml"
    );
    assert_eq!(value["diagnostics"][0]["column"], 10);
}

#[test]
fn schema_writes_a_schema_per_content_kind() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(crate::support::bin())
        .args(["schema", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    for kind in [
        "site", "person", "period", "record", "playbook", "section", "coaching", "report",
    ] {
        let text = std::fs::read_to_string(dir.path().join(format!("{kind}.schema.json"))).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["additionalProperties"], false, "{kind}");
    }
    // A coaching log is a list; each session rejects unknown fields.
    let text = std::fs::read_to_string(dir.path().join("coaching-log.schema.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["type"], "array");
    assert_eq!(value["$defs"]["RawLogEntry"]["additionalProperties"], false);
}

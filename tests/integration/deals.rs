//! Deals from CRM exports: every figure matches an independent computation
//! from the CSV; bad rows are reported with file, line and column, all in
//! one run; the team build carries aggregates only.

use crate::audience::copy_dir;
use crate::support::{build, fixture};
use bullpen::error::Severity;
use bullpen::vocab::Audience;
use std::path::Path;
use std::process::Command;

use crate::support::bullpen;

#[test]
fn metrics_csv_matches_an_independent_computation_from_the_export() {
    let root = fixture("deals");
    let expected = match Command::new("python3")
        .arg(root.join("expected.py"))
        .arg(root.join("content/deals/hubspot-export.csv"))
        .output()
    {
        Ok(output) if output.status.success() => String::from_utf8(output.stdout).unwrap(),
        other => panic!(
            "this test needs python3 to compute the expected figures \
             (apt-get install python3): {other:?}"
        ),
    };
    let actual = bullpen(&["metrics", "--format", "csv"], &root);
    assert!(
        actual.status.success(),
        "{}",
        String::from_utf8_lossy(&actual.stderr)
    );
    let actual = String::from_utf8(actual.stdout).unwrap();
    assert_eq!(actual.replace("\r\n", "\n"), expected);
    // A few figures by hand as well, so that both sides cannot drift together:
    // Dev Patel has no deals — zero won, an undefined win rate, average
    // deal and forecast error, and 0% of quota so far this year; no
    // weighted pipeline, pipeline created nor past-due deals.
    assert!(actual.contains("dev-patel,Dev Patel,rep,omar-haddad,2026-Q1,80000,0,0,0,,0.0000,,100000,1.2500,20000,,,0,,,,,,,0.0000,0,0,0,\n"), "{actual}");
    // Ava Stone called 140,000 and closed 105,498.50: a 32.7% over-call.
    // Every open deal of hers expected before 31 July (the last day of the
    // latest quarter) is past due and counted in 2026-Q2, so 2026-Q1 has
    // none left: no documentation compliance, no weighted pipeline.
    assert!(
        actual.contains(",140000,0.6730,38.36,66,,,,,,0.3270,0.7033,0,499478.39,0,\n"),
        "{actual}"
    );
    assert!(actual.lines().next().unwrap().ends_with(
        ",ytd_attainment,pipeline_weighted,pipeline_created,past_due_deals,pushed_deals"
    ));
    assert!(
        actual
            .lines()
            .next()
            .unwrap()
            .starts_with("person,name,role,manager,period,quota,closed_won")
    );
}

#[test]
fn metrics_filters_a_period_and_speaks_json() {
    let root = fixture("deals");
    let csv =
        String::from_utf8(bullpen(&["metrics", "--period", "2026-Q2"], &root).stdout).unwrap();
    assert_eq!(csv.lines().count(), 7, "a header and six people: {csv}");
    assert!(csv.lines().skip(1).all(|l| l.contains(",2026-Q2,")));
    let json = bullpen(&["metrics", "--format", "json"], &root);
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 12);
    assert_eq!(rows[0]["person"], "ava-stone");
    assert!(
        rows[3]["win_rate"].is_null(),
        "undefined is null: {}",
        rows[3]
    );
    let bad = bullpen(&["metrics", "--period", "2031-Q1"], &root);
    assert!(!bad.status.success());
}

#[test]
fn every_bad_row_is_reported_with_file_line_and_column() {
    for line_ending in ["\r\n", "\n"] {
        bad_rows_with(line_ending);
    }
}

fn bad_rows_with(line_ending: &str) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("deals"), dir.path());
    without_currency_category_and_probability(dir.path());
    std::fs::remove_file(dir.path().join("content/deals/hubspot-export.csv")).unwrap();
    copy_dir(&fixture("deals-invalid"), dir.path());
    let bad = dir.path().join("content/deals/bad.csv");
    let text = std::fs::read_to_string(&bad)
        .unwrap()
        .replace("\r\n", line_ending);
    std::fs::write(&bad, text).unwrap();
    let checked = bullpen::pipeline::check(dir.path()).unwrap();
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let at = |line: usize, words: &str| {
        assert!(
            errors
                .iter()
                .any(|e| e.file == Path::new("content/deals/bad.csv")
                    && e.line == Some(line)
                    && e.message.contains(words)),
            "expected `{words}` at line {line}: {errors:#?}"
        )
    };
    at(3, "this row has 4 fields; the header has 8");
    at(
        4,
        "column `Create Date`: `02/30/2026` is not a date in the format `%m/%d/%Y`",
    );
    at(5, "column `Amount`: `lots` is not an amount");
    at(6, "column `Close Date`: a won deal needs a close date");
    at(
        7,
        "column `Deal Stage`: `Negotiating` is not a stage named in site.yaml",
    );
    // An unmatched owner is listed once, where first seen, with the closest person.
    let stoner: Vec<_> = errors
        .iter()
        .filter(|e| e.message.contains("`Ava Stoner`"))
        .collect();
    assert_eq!(stoner.len(), 1, "{errors:#?}");
    assert_eq!(stoner[0].line, Some(8));
    assert_eq!(
        stoner[0].help.as_deref(),
        Some("the closest person is Ava Stone (ava-stone)")
    );
    assert!(
        errors
            .iter()
            .any(|e| e.message.contains("`Zed Unknown` matches no person"))
    );
    // An open deal with missing fields is not an error.
    assert!(!errors.iter().any(|e| e.line == Some(11)), "{errors:#?}");
    assert_eq!(errors.len(), 7, "{errors:#?}");
}

#[test]
fn a_figure_given_by_deals_and_a_performance_file_is_an_error_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("deals"), dir.path());
    let text =
        std::fs::read_to_string(dir.path().join("content/performance/2026-Q1.yaml")).unwrap();
    let text = text.replace(
        "ava-stone: {quota: 150000,",
        "ava-stone: {quota: 150000, closed_won: 1000,",
    );
    std::fs::write(dir.path().join("content/performance/2026-Q1.yaml"), text).unwrap();
    let checked = bullpen::pipeline::check(dir.path()).unwrap();
    let error = checked
        .diagnostics
        .iter()
        .find(|d| d.message.contains("given here and by the deal exports"))
        .expect("a both-ways error");
    assert_eq!(error.file, Path::new("content/performance/2026-Q1.yaml"));
    assert_eq!(error.line, Some(3));
    assert!(
        error.message.contains("content/deals/hubspot-export.csv"),
        "{}",
        error.message
    );
}

#[test]
fn deal_rows_and_account_names_stay_in_the_managers_build() {
    let managers = build(&fixture("deals"), Audience::Managers);
    let ava = managers.main("people/ava-stone/index.html");
    assert!(
        ava.contains("Open deals") && ava.contains("Acme, Inc."),
        "the managers' rep page lists open deals"
    );
    assert!(ava.contains("next_step") || ava.contains("✓ complete"));
    assert!(
        managers
            .main("people/omar-haddad/index.html")
            .contains("Documented")
    );

    let team = build(&fixture("deals"), Audience::Team);
    for (path, bytes) in &team.files {
        let text = String::from_utf8_lossy(bytes);
        for account in ["Acme, Inc.", "Globex", "Initech", "Hooli", "Vandelay"] {
            assert!(
                !text.contains(account),
                "{account} in the team build's {path}"
            );
        }
        assert!(
            !text.contains("D-0"),
            "a deal id in the team build's {path}"
        );
    }
    // Aggregates remain: Ava's closed-won for Q2 from the deals.
    assert!(
        team.main("people/ava-stone/index.html")
            .contains("Figures by period")
    );
}

/// The deals fixture with its export replaced by `csv`: every error of a check.
fn errors_with_export(name: &str, csv: &str) -> Vec<bullpen::error::Diagnostic> {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("deals"), dir.path());
    without_currency_category_and_probability(dir.path());
    std::fs::remove_file(dir.path().join("content/deals/hubspot-export.csv")).unwrap();
    std::fs::write(dir.path().join("content/deals").join(name), csv).unwrap();
    let checked = bullpen::pipeline::check(dir.path()).unwrap();
    checked
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

/// The deals fixture's settings for an export of eight columns, without
/// the currency, forecast category and probability ones.
fn without_currency_category_and_probability(root: &Path) {
    let site = root.join("content/site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|line| {
            ![
                "    currency:",
                "    forecast_category:",
                "    probability:",
            ]
            .iter()
            .any(|field| line.starts_with(field))
        })
        .collect();
    std::fs::write(&site, kept.join("\n") + "\n").unwrap();
}

const HEADER: &str =
    "Record ID,Deal owner,Deal Stage,Create Date,Close Date,Amount,Company,Next Step\n";

/// 100,000 won deals of the largest amount an export may give add up past
/// what Bullpen holds: before, closed-won wrapped to a negative figure (and
/// so did attainment); now the sum is an error naming the file and a row.
#[test]
fn won_deals_past_the_largest_sum_are_an_error_not_a_negative_figure() {
    let mut csv = String::from(HEADER);
    for i in 0..100_000 {
        csv.push_str(&format!(
            "W-{i},Ava Stone,Closed Won,02/10/2026,03/01/2026,1000000000000,Acme,Call\n"
        ));
    }
    let errors = errors_with_export("big.csv", &csv);
    let overflow: Vec<_> = errors
        .iter()
        .filter(|e| e.message.contains("the largest sum Bullpen holds"))
        .collect();
    assert_eq!(overflow.len(), 1, "{errors:#?}");
    let error = overflow[0];
    assert_eq!(error.file, Path::new("content/deals/big.csv"));
    assert!(
        error
            .line
            .is_some_and(|line| (92_235..=100_001).contains(&line)),
        "{error:?}"
    );
    assert!(
        error
            .message
            .contains("closed-won of `ava-stone` in 2026-Q1"),
        "{}",
        error.message
    );
}

#[test]
fn a_repeated_deal_id_names_both_rows_even_across_files() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("deals"), dir.path());
    let deals = dir.path().join("content/deals");
    std::fs::write(
        deals.join("zz-later.csv"),
        format!("{},Currency,Forecast category,Deal probability\nD-0001,Ben Ruiz,Presentation Scheduled,01/14/2026,,\"8,000\",Hooli,Send proposal,EUR,Pipeline,\n", HEADER.trim_end()),
    )
    .unwrap();
    let checked = bullpen::pipeline::check(dir.path()).unwrap();
    let error = checked
        .diagnostics
        .iter()
        .find(|d| d.message.contains("given twice"))
        .expect("a repeated-id error");
    assert_eq!(error.file, Path::new("content/deals/zz-later.csv"));
    assert_eq!(error.line, Some(2));
    assert!(
        error
            .message
            .contains("`D-0001` is given twice: first at content/deals/hubspot-export.csv:3"),
        "{}",
        error.message
    );
}

#[test]
fn a_tab_delimited_or_empty_export_is_one_error_that_says_so() {
    let tabbed = HEADER.replace(',', "\t")
        + "D-1\tAva Stone\tClosed Won\t02/10/2026\t03/01/2026\t5\tAcme\tCall\n";
    let errors = errors_with_export("tabbed.csv", &tabbed);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].message.contains("tab-delimited"), "{errors:#?}");
    assert_eq!(errors[0].line, Some(1));
    for empty in ["", "\n\n", "\u{feff}"] {
        let errors = errors_with_export("empty.csv", empty);
        assert_eq!(errors.len(), 1, "{empty:?}: {errors:#?}");
        assert!(
            errors[0].message.starts_with("the file is empty"),
            "{errors:#?}"
        );
    }
}

#[test]
fn a_won_deal_closed_before_it_was_created_is_an_error() {
    let csv = format!("{HEADER}D-1,Ava Stone,Closed Won,03/10/2026,03/01/2026,5000,Acme,Call\n");
    let errors = errors_with_export("export.csv", &csv);
    assert!(
        errors.iter().any(|e| e.line == Some(2)
            && e.message
                .contains("the deal closed on 2026-03-01, before it was created on 2026-03-10")),
        "{errors:#?}"
    );
}

//! A quarter in progress and its weekly forecast calls, as the pages and
//! the export show them. The fixture's figures are worked out by hand in
//! the comments, so the pages are checked against arithmetic, not against
//! themselves.

use crate::ramp::{row, small_with, tile, write};
use crate::support::{bullpen, fixture};
use bullpen::vocab::Audience;
use std::path::Path;

/// 2026-Q3 in progress on 15 Aug (day 46 of 92), with two weeks of calls,
/// and a call for Dee Hart in the complete 2026-Q2, where her record gives
/// no forecast.
fn quarter_in_progress(root: &Path) {
    write(
        root,
        "content/performance/2026-Q3.yaml",
        "period: 2026-Q3
as_of: 2026-08-15
people:
  ann-lee: {quota: 100000, closed_won: 35000, deals_won: 2, deals_lost: 1, pipeline: 130000}
  ben-cole: {quota: 50000, closed_won: 30000, deals_won: 2, deals_lost: 0}
  cal-dunn: {quota: 150000, closed_won: 60000, deals_won: 2, deals_lost: 2, pipeline: 180000}
  dee-hart: {quota: 40000, closed_won: 10000, deals_won: 1, deals_lost: 1}
",
    );
    write(
        root,
        "content/performance/2026-Q3/calls/2026-07-06.yaml",
        "calls:
  ann-lee: {commit: 80000, best_case: 95000}
  ben-cole: {commit: 45000, best_case: 50000}
",
    );
    write(
        root,
        "content/performance/2026-Q3/calls/2026-08-10.yaml",
        "calls:
  ann-lee: {commit: 90000, best_case: 110000}
  ben-cole: {commit: 50000, best_case: 60000}
  mia-ford: {commit: 150000, best_case: 170000}
",
    );
    // Dee Hart's 2026-Q2 record has no forecast: her last call stands in.
    write(
        root,
        "content/performance/2026-Q2/calls/2026-05-04.yaml",
        "calls:\n  dee-hart: {commit: 9000}\n",
    );
    write(
        root,
        "content/performance/2026-Q2/calls/2026-06-15.yaml",
        "calls:\n  dee-hart: {commit: 12000, best_case: 15000}\n",
    );
}

#[test]
fn a_quarter_in_progress_shows_pace_the_latest_call_and_the_gap() {
    let site = small_with(Audience::Team, quarter_in_progress);
    let home = site.page("index.html");
    assert!(home.contains("Day 46 of 92"), "{home}");
    // The organisation: 135,000 of 340,000 closed (39.7%) on day 46 of 92,
    // a pace of 0.3971 / 0.5 = 79.4%.
    let closed = tile(&home, "Closed won to date");
    assert!(closed.contains("$135,000"), "{closed}");
    assert!(closed.contains("39.7% of $340,000 quota"), "{closed}");
    assert!(tile(&home, "Pace").contains("79.4%"));
    // Mia Ford's own call (150,000) speaks for her team; Noah Kent's team
    // made none, so the organisation's call is 150,000, best case 170,000,
    // 190,000 short of the 340,000 quota.
    let call = tile(&home, "Latest call");
    assert!(call.contains("$150,000"), "{call}");
    assert!(call.contains("best case $170,000"), "{call}");
    assert!(call.contains("$190,000 short of quota"), "{call}");
    // Pipeline from Ann (130,000) and Cal (180,000) against what is left of
    // their quota: 250,000 − 95,000 = 155,000, so 2.0×.
    let rest = tile(&home, "Coverage of the rest");
    assert!(rest.contains("2.0×"), "{rest}");
    assert!(rest.contains("of $155,000 left"), "{rest}");
    // Nothing is judged as if the quarter had ended.
    assert!(
        !home.contains(">Forecast accuracy</span>"),
        "no accuracy tile"
    );
    let tiles = &home[home.find("class=\"tiles\"").unwrap()..];
    let tiles = &tiles[..tiles.find("</ul>").unwrap()];
    assert!(!tiles.contains("vs previous"), "{tiles}");
    // Bands use pace: Ann at 35% of quota is at a 70.0% pace ("near"), not
    // red; Dee at 25% is at 50.0%, below.
    let ann = row(&home, "leaderboard-h", "Ann Lee");
    assert!(ann.contains("35.0%") && ann.contains("70.0%"), "{ann}");
    assert!(home.contains("band band-near\">70.0%"), "{home}");
    assert!(home.contains("band band-below\">50.0%"), "{home}");
}

#[test]
fn a_teams_call_is_its_managers_judged_against_the_reps_calls() {
    let site = small_with(Audience::Team, quarter_in_progress);
    let team = site.page("people/mia-ford/index.html");
    // 65,000 of 150,000 (43.3%) at half time: 86.7%.
    assert!(tile(&team, "Pace").contains("86.7%"));
    assert!(tile(&team, "Latest call").contains("exactly quota"));
    // Week of 10 Aug: Mia calls 150,000; Ann and Ben commit 90,000 + 50,000
    // = 140,000, so she calls 150/140 − 1 = +7.1% above them.
    let week = row(&team, "calls-h", "10 Aug 2026");
    assert!(week.contains("$150,000"), "{week}");
    assert!(week.contains("$140,000"), "{week}");
    assert!(week.contains("+7.1%"), "{week}");
    // In the first week Mia made no call: her team's is Ann's and Ben's sum.
    let first = row(&team, "calls-h", "6 Jul 2026");
    assert!(
        first.contains("$125,000") && first.contains("$145,000"),
        "{first}"
    );
    // The chart of the calls is there, with quota and closed-won to date.
    assert!(team.contains("Forecast calls week by week, Q3 2026"));
    assert!(team.contains("Closed won to date"));
}

#[test]
fn a_rep_sees_their_pace_year_to_date_and_a_complete_quarters_call() {
    let site = small_with(Audience::Team, quarter_in_progress);
    let ann = site.page("people/ann-lee/index.html");
    assert!(tile(&ann, "Pace").contains("70.0%"));
    // 80,000 + 110,000 + 35,000 of 300,000 over Q1 to Q3: 75.0%.
    assert!(tile(&ann, "Year to date").contains("75.0%"));
    assert!(tile(&ann, "Latest call").contains("$90,000"));
    // Dee Hart's 2026-Q2 forecast is her last call, 12,000, against 10,000
    // closed: 80.0% accurate, a +20.0% over-call. Her May call of 9,000
    // was 90.0% accurate.
    let dee = site.page("people/dee-hart/index.html");
    let q2 = row(&dee, "history-h", "Q2 2026");
    assert!(q2.contains("$12,000"), "{q2}");
    assert!(q2.contains("80.0%") && q2.contains("+20.0%"), "{q2}");
    let q2_page = site.page("periods/2026-q2/index.html");
    assert!(
        !q2_page.contains("Day "),
        "a complete period has no standing"
    );
}

#[test]
fn the_export_gains_the_new_columns_after_the_old_ones() {
    let dir = tempfile::tempdir().unwrap();
    crate::audience::copy_dir(&fixture("small"), dir.path());
    quarter_in_progress(dir.path());
    let out = bullpen(&["metrics", "--format", "csv"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with(
            ",documentation_compliance,as_of,pace,commit,best_case,forecast_error,ytd_attainment,\
             pipeline_weighted,pipeline_created,past_due_deals,pushed_deals"
        ),
        "{header}"
    );
    // Ann in 2026-Q3: as of 15 Aug, pace 0.7, latest call 90,000/110,000,
    // no forecast error while in progress, 75% of plan so far this year; no
    // deal export, so no pipeline figures from deals.
    let ann = csv
        .lines()
        .find(|l| l.starts_with("ann-lee,") && l.contains(",2026-Q3,"))
        .unwrap();
    assert!(
        ann.ends_with(",2026-08-15,0.7000,90000,110000,,0.7500,,,,"),
        "{ann}"
    );
    // Dee in 2026-Q2: her last call (12,000, best case 15,000) is the
    // forecast, +20% over.
    let dee = csv
        .lines()
        .find(|l| l.starts_with("dee-hart,") && l.contains(",2026-Q2,"))
        .unwrap();
    assert!(
        dee.ends_with(",12000,0.8000,,,,,,12000,15000,0.2000,0.2500,,,,"),
        "{dee}"
    );
}

#[test]
fn bad_calls_and_as_of_are_errors_with_their_lines_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    crate::audience::copy_dir(&fixture("small"), dir.path());
    quarter_in_progress(dir.path());
    let root = dir.path();
    write(
        root,
        "content/performance/2026-Q3.yaml",
        "period: 2026-Q3\nas_of: 2026-12-01\npeople:\n  ann-lee: {quota: 100000, closed_won: 1}\n",
    );
    write(
        root,
        "content/performance/2026-Q3/calls/2026-10-01.yaml",
        "calls:\n  ann-lee: {commit: 1}\n",
    );
    write(
        root,
        "content/performance/2026-Q3/calls/2026-08-10.yaml",
        "calls:
  ann-lee: {commit: 90000, best_case: 80000}
  ben-cole: {commit: -5}
  ann-le: {commit: 1}
",
    );
    let out = bullpen(&["check"], root);
    assert!(!out.status.success());
    let text =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    for expected in [
        "`as_of: 2026-12-01` is outside 2026-Q3",
        "content/performance/2026-Q3.yaml:2",
        "a call dated 2026-10-01 among the calls of 2026-Q3",
        "`best_case` (80000) is below `commit` (90000)",
        "calls/2026-08-10.yaml:2",
        "`commit` is negative",
        "calls/2026-08-10.yaml:3",
        "`ann-le` is not a person",
        "ann-lee",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

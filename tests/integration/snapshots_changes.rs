//! Deal snapshots and what changed between the two newest, on the pages
//! and from `bullpen deals`. The waterfall's figures are worked out by hand
//! below.

use crate::ramp::{small_with, write};
use crate::support::{bullpen, fixture};
use bullpen::vocab::Audience;
use std::path::Path;

const SETTINGS: &str = "
deals:
  files: deals/*.csv
  columns: {id: Id, owner: Owner, stage: Stage, closed: Close, amount: Amount, account: Account}
  stages:
    won: [Closed Won]
    lost: [Closed Lost]
    open: [Discovery, Proposal, Negotiation]
    strict: true
  owner_match: name
";

/// Two snapshots of Q2 2026. Pipeline closing in Q2 on 8 June: D1 40,000 +
/// D2 30,000 + D3 20,000 + D5 10,000 + D6 5,000 = 105,000. By 15 June: D1
/// up 5,000; D2 won (−30,000); D3 pushed into July (−20,000); D4 pulled in
/// from August (+15,000); D5 up 2,000 and back a stage; D6 lost (−5,000);
/// D7 new (+8,000): 45,000 + 15,000 + 12,000 + 8,000 = 80,000.
fn with_snapshots(root: &Path) {
    let site = std::fs::read_to_string(root.join("content/site.yaml")).unwrap();
    write(root, "content/site.yaml", &(site + SETTINGS));
    write(
        root,
        "content/deals/snapshots/2026-06-08.csv",
        "Id,Owner,Stage,Close,Amount,Account
D1,Ann Lee,Proposal,2026-06-20,40000,Acme Rockets
D2,Ann Lee,Negotiation,2026-06-25,30000,Globex
D3,Ben Cole,Proposal,2026-06-28,20000,Initech
D4,Cal Dunn,Discovery,2026-08-01,15000,Hooli
D5,Cal Dunn,Negotiation,2026-06-30,10000,Umbrella
D6,Ann Lee,Discovery,2026-06-18,5000,Vandelay
",
    );
    write(
        root,
        "content/deals/snapshots/2026-06-15.csv",
        "Id,Owner,Stage,Close,Amount,Account
D1,Ann Lee,Proposal,2026-06-20,45000,Acme Rockets
D2,Ann Lee,Closed Won,2026-06-12,30000,Globex
D3,Ben Cole,Proposal,2026-07-15,20000,Initech
D4,Cal Dunn,Proposal,2026-06-29,15000,Hooli
D5,Cal Dunn,Proposal,2026-06-30,12000,Umbrella
D6,Ann Lee,Closed Lost,2026-06-14,5000,Vandelay
D7,Ben Cole,Discovery,2026-06-26,8000,Soylent
",
    );
}

#[test]
fn the_waterfall_goes_from_last_snapshots_pipeline_to_this_ones() {
    let site = small_with(Audience::Team, with_snapshots);
    let home = site.page("index.html");
    // The newest snapshot gives Q2 its as-of day: 15 June is day 76 of 91.
    assert!(home.contains("Day 76 of 91"), "{home}");
    assert!(home.contains("What changed in the pipeline"), "{home}");
    assert!(
        home.contains("$105,000 → <strong>$80,000</strong>"),
        "{home}"
    );
    for (label, deals, amount) in [
        ("New", 1, "+$8,000"),
        ("Pulled in", 1, "+$15,000"),
        ("Amount up", 2, "+$7,000"),
        ("Pushed out", 1, "−$20,000"),
        ("Won", 1, "−$30,000"),
        ("Lost", 1, "−$5,000"),
    ] {
        let row = crate::ramp::row(&home, "pipeline-changes-h", &format!("<td>{label}</td>"));
        assert!(
            row.contains(&format!("{label} {deals} {amount}")),
            "{label}: {row}"
        );
    }
    assert!(home.contains("1 deal moved back a stage"), "{home}");
    // The team build shows aggregates only: no deal ids or accounts.
    for private in ["D1", "Acme Rockets", "Globex", "Soylent"] {
        assert!(
            !site
                .files
                .values()
                .any(|bytes| String::from_utf8_lossy(bytes).contains(private)),
            "{private} in the team build"
        );
    }
    // Mia Ford's team (Ann and Ben): 40,000 + 30,000 + 20,000 + 5,000 =
    // 95,000 before; 45,000 + 8,000 = 53,000 after.
    let team = site.page("people/mia-ford/index.html");
    assert!(
        team.contains("$95,000 → <strong>$53,000</strong>"),
        "{team}"
    );
}

#[test]
fn managers_see_the_deals_behind_each_bar() {
    let site = small_with(Audience::Managers, with_snapshots);
    let home = site.page("index.html");
    let row = crate::ramp::row(&home, "pipeline-changes-h", "<td>D3</td>");
    assert!(
        row.contains("Initech") && row.contains("Pushed out"),
        "{row}"
    );
    assert!(row.contains("−$20,000"), "{row}");
    let back = crate::ramp::row(&home, "pipeline-changes-h", "<td>D5</td>");
    assert!(back.contains("Amount up, Stage moved back"), "{back}");
}

#[test]
fn bullpen_deals_prints_each_change() {
    let dir = tempfile::tempdir().unwrap();
    crate::audience::copy_dir(&fixture("small"), dir.path());
    with_snapshots(dir.path());
    let out = bullpen(&["deals"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("from,to,period,deal,account,owner,change,stage_back,delta,"));
    assert!(
        csv.contains("2026-06-08,2026-06-15,2026-Q2,D3,Initech,ben-cole,pushed,false,-20000,20000,20000,Proposal,Proposal,2026-06-28,2026-07-15"),
        "{csv}"
    );
    assert!(
        csv.contains(",D7,Soylent,ben-cole,new,false,8000,,8000,"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 8, "a header and seven deals:\n{csv}");
    // `pushed_deals` in the metrics: Ben's D3, none of Ann's.
    let out = bullpen(&["metrics", "--period", "2026-Q2"], dir.path());
    let metrics = String::from_utf8(out.stdout).unwrap();
    let pushed = |who: &str| {
        let row = metrics.lines().find(|l| l.starts_with(who)).unwrap();
        row.rsplit(',').next().unwrap().to_string()
    };
    assert_eq!(pushed("ben-cole,"), "1", "{metrics}");
    assert_eq!(pushed("ann-lee,"), "0", "{metrics}");
    // Mia Ford's team sums them.
    assert_eq!(pushed("mia-ford,"), "1", "{metrics}");
}

#[test]
fn a_snapshot_not_named_by_a_date_or_newer_than_its_figures_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    crate::audience::copy_dir(&fixture("small"), dir.path());
    let root = dir.path();
    with_snapshots(root);
    write(
        root,
        "content/deals/snapshots/last-week.csv",
        "Id,Owner,Stage,Close,Amount,Account\n",
    );
    // Q2's figures say they are as of 10 June: the 15 June snapshot is newer.
    write(
        root,
        "content/performance/2026-Q2.yaml",
        "period: 2026-Q2\nas_of: 2026-06-10\n",
    );
    let out = bullpen(&["check"], root);
    assert!(!out.status.success());
    let text =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("`last-week` is not one; expected YYYY-MM-DD.csv"),
        "{text}"
    );
    assert!(
        text.contains(
            "a snapshot of 2026-06-15 is newer than 2026-Q2's figures, which are as of 2026-06-10"
        ),
        "{text}"
    );
}

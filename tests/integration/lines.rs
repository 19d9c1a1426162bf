//! Reporting lines over time: a move never changes a complete period's
//! pages, team counts agree with the figures they sum, leavers, the
//! review of a move, and the schema.

use crate::audience::copy_dir;
use crate::support::{build, fixture, repo_root};
use bullpen::vocab::Audience;
use std::path::Path;

/// The small fixture (2026-Q1 and 2026-Q2, the latest) in a temporary folder.
fn small() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    dir
}

fn write(root: &Path, file: &str, text: &str) {
    std::fs::write(root.join("content").join(file), text).unwrap();
}

/// Ben Cole (North, Mia Ford's team) moves to South (Noah Kent's) on `from`.
const BEN_MOVES: &str = "name: Ben Cole\nrole: rep\nmanager: noah-kent\nteam: South\nstart: 2026-01-05\nlines:\n  - {from: 2026-01-05, manager: mia-ford, team: North}\n  - {from: FROM, manager: noah-kent, team: South}\n";

const PAGES: [&str; 5] = [
    "people/mia-ford/index.html",
    "people/noah-kent/index.html",
    "people/lee-ross/index.html",
    "periods/2026-q2/index.html",
    "teams/index.html",
];

#[test]
fn a_move_after_a_closed_quarter_leaves_its_team_pages_as_they_were() {
    let dir = small();
    let before = build(dir.path(), Audience::Managers);
    write(
        dir.path(),
        "people/ben-cole.yaml",
        &BEN_MOVES.replace("FROM", "2026-07-01"),
    );
    let after = build(dir.path(), Audience::Managers);
    for page in PAGES {
        assert_eq!(before.main(page), after.main(page), "{page} changed");
    }
    // The move shows where it belongs: on Ben's own page.
    let ben = after.main("people/ben-cole/index.html");
    assert!(ben.contains("Reporting lines"), "{ben}");
    assert!(ben.contains("1 Jul 2026"), "{ben}");
    assert!(
        ben.contains("figures for Q1 2026 to Q2 2026 count for this team"),
        "{ben}"
    );

    // Editing `manager:` alone moves every period: the pages above change,
    // so the comparison can fail.
    write(
        dir.path(),
        "people/ben-cole.yaml",
        "name: Ben Cole\nrole: rep\nmanager: noah-kent\nteam: South\nstart: 2026-01-05\n",
    );
    let rewritten = build(dir.path(), Audience::Managers);
    assert_ne!(
        before.main("people/mia-ford/index.html"),
        rewritten.main("people/mia-ford/index.html")
    );
}

#[test]
fn a_move_within_a_quarter_counts_for_the_new_team_from_that_quarter() {
    let dir = small();
    write(
        dir.path(),
        "people/ben-cole.yaml",
        &BEN_MOVES.replace("FROM", "2026-04-01"),
    );
    let site = build(dir.path(), Audience::Team);
    let row = |team: &str, manager: &str, reps: usize, quota: &str| {
        format!(
            "<tr><td>{team}</td><td><a href=\"../../people/{manager}/\">{}</a></td><td class=\"num\">{reps}</td><td class=\"num\">{quota}</td>",
            if manager == "mia-ford" {
                "Mia Ford"
            } else {
                "Noah Kent"
            }
        )
    };
    // South in Q2: Cal $150,000 + Dee $40,000 + Ben $50,000 of quota.
    let q2 = site.main("periods/2026-q2/index.html");
    assert!(
        q2.contains(&row("South", "noah-kent", 3, "$240,000")),
        "{q2}"
    );
    assert!(
        q2.contains(&row("North", "mia-ford", 1, "$100,000")),
        "{q2}"
    );
    // North in Q1 keeps Ben: Ann $100,000 + Ben $50,000.
    let q1 = site.main("periods/2026-q1/index.html");
    assert!(
        q1.contains(&row("North", "mia-ford", 2, "$150,000")),
        "{q1}"
    );
    assert!(
        q1.contains(&row("South", "noah-kent", 1, "$150,000")),
        "{q1}"
    );
    let noah = site.main("people/noah-kent/index.html");
    assert!(noah.contains("Ben Cole</a> joined from North"), "{noah}");
    let mia = site.main("people/mia-ford/index.html");
    assert!(mia.contains("Ben Cole</a> moved to South"), "{mia}");
}

/// The numbers in the "Reps" column of a page's teams table, and the
/// "N reps with figures" above it.
fn rep_counts(main: &str) -> (Vec<usize>, usize) {
    let table = main
        .split("<section aria-labelledby=\"teams-h\">")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("a teams table");
    let counts = table
        .split("<tr>")
        .skip(2)
        .map(|row| {
            let cell = row.split("<td class=\"num\">").nth(1).unwrap();
            cell.split('<').next().unwrap().parse().unwrap()
        })
        .collect();
    let total = main
        .split(" reps with figures")
        .next()
        .and_then(|before| before.rsplit('>').next())
        .and_then(|n| n.trim().parse().ok())
        .expect("a count of reps with figures");
    (counts, total)
}

#[test]
fn team_rep_counts_add_up_to_the_reps_with_figures() {
    let site = build(&repo_root(), Audience::Team);
    let pages: Vec<&String> = site
        .files
        .keys()
        .filter(|p| *p == "index.html" || (p.starts_with("periods/20") && p.ends_with(".html")))
        .collect();
    assert!(pages.len() > 3, "{pages:?}");
    for page in pages {
        let (counts, total) = rep_counts(&site.main(page));
        assert_eq!(counts.iter().sum::<usize>(), total, "{page}: {counts:?}");
    }
    // West in Q3 2026: Alice, Jordan (moved in on 1 July), Kevin and Sofia;
    // Hannah left in December 2025.
    let (counts, total) = rep_counts(&site.main("index.html"));
    assert_eq!((counts, total), (vec![4, 5, 4], 13));
}

#[test]
fn the_demo_shows_a_move_and_a_leaver() {
    let site = build(&repo_root(), Audience::Team);
    let jordan = site.main("people/jordan-pike/index.html");
    assert!(jordan.contains("Reporting lines"), "{jordan}");
    assert!(
        jordan.contains("figures for Q2 2025 to Q2 2026 count for this team"),
        "{jordan}"
    );
    let west = site.main("people/marcus-bell/index.html");
    assert!(west.contains("Jordan Pike</a> joined from East"), "{west}");
    assert!(west.contains("Hannah Berg</a> left the company"), "{west}");
    let hannah = site.main("people/hannah-berg/index.html");
    assert!(hannah.contains("No longer active"), "{hannah}");
    assert!(hannah.contains("12 Dec 2025"), "{hannah}");
    // The closed quarters keep Jordan with East: East's quota in Q2 2026
    // includes his $130,000.
    let q2 = site.main("periods/2026-q2/index.html");
    assert!(q2.contains("$830,000"), "{q2}");
}

#[test]
fn the_review_shows_a_move_and_what_it_does_to_both_teams() {
    let base = small();
    let head = small();
    write(
        head.path(),
        "people/ben-cole.yaml",
        &BEN_MOVES.replace("FROM", "2026-04-01"),
    );
    let load = |dir: &tempfile::TempDir| bullpen::pipeline::load_model(dir.path()).unwrap().0;
    let review = bullpen::diff::compare(&load(&base), &load(&head), Audience::Team);
    let ben = review
        .people
        .iter()
        .find(|p| p.person == "ben-cole")
        .expect("Ben's move is reviewed");
    assert_eq!(
        ben.change,
        "moved from North to South on 2026-04-01: 2026-Q2 figures now count for South"
    );
    let effects: Vec<String> = ben
        .effects
        .iter()
        .map(|e| format!("{}: {} → {}", e.field, e.old, e.new))
        .collect();
    assert!(
        effects.contains(&"2026-Q2 North team closed won: $170,000 → $110,000".to_string()),
        "{effects:?}"
    );
    assert!(
        effects.contains(&"2026-Q2 South team closed won: $130,000 → $190,000".to_string()),
        "{effects:?}"
    );
    let summary = bullpen::diff::markdown(&review, "base", "head", "review/index.html");
    assert!(
        summary.contains("  - 2026-Q2 South team attainment: "),
        "{summary}"
    );
}

#[test]
fn the_person_schema_has_lines_and_end() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(crate::support::bin())
        .args(["schema", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = std::fs::read_to_string(dir.path().join("person.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(schema["properties"]["lines"]["type"], "array");
    assert!(schema["properties"]["end"].is_object(), "{schema}");
    let line = &schema["$defs"]["RawLine"];
    assert_eq!(line["additionalProperties"], false);
    assert_eq!(line["required"], serde_json::json!(["from", "manager"]));
}

#[test]
fn a_manager_who_left_drops_out_of_later_teams_tables() {
    let dir = small();
    write(
        dir.path(),
        "people/noah-kent.yaml",
        "name: Noah Kent\nrole: manager\nmanager: lee-ross\nteam: South\nend: 2026-03-31\n",
    );
    for rep in ["cal-dunn", "dee-hart"] {
        let name = if rep == "cal-dunn" {
            "Cal Dunn"
        } else {
            "Dee Hart"
        };
        write(
            dir.path(),
            &format!("people/{rep}.yaml"),
            &format!(
                "name: {name}\nrole: rep\nmanager: mia-ford\nteam: North\nlines:\n  - {{from: 2025-01-01, manager: noah-kent, team: South}}\n  - {{from: 2026-04-01, manager: mia-ford, team: North}}\n"
            ),
        );
    }
    let site = build(dir.path(), Audience::Team);
    let q1 = site.main("periods/2026-q1/index.html");
    assert!(
        q1.contains("people/noah-kent/\">Noah Kent</a></td><td class=\"num\">1<"),
        "{q1}"
    );
    let q2 = site.main("periods/2026-q2/index.html");
    assert!(!q2.contains("<td>South</td>"), "{q2}");
    let (counts, total) = rep_counts(&q2);
    assert_eq!((counts, total), (vec![4], 4));
}

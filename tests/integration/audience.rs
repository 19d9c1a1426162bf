//! The team build carries no coaching material at all; the managers build
//! carries everything.

use crate::support::{build, fixture, repo_root};
use bullpen::model::Audience;

/// Every private marker planted in the fixture's coaching plan and its
/// managers-only report.
const MARKERS: &[&str] = &[
    "PRIVATE-MARKER",
    "Record two discovery calls",
    "Shadow a call with Cal",
];

#[test]
fn the_team_build_has_no_private_bytes_or_file_names() {
    let site = build(&fixture("small"), Audience::Team);
    for (path, bytes) in &site.files {
        assert!(
            !path.contains("coaching") && !path.contains("private-review"),
            "private file in team build: {path}"
        );
        let text = String::from_utf8_lossy(bytes);
        for marker in MARKERS {
            assert!(!text.contains(marker), "{marker} leaked into {path}");
        }
        assert!(!text.contains("coaching/"), "a coaching link in {path}");
    }
}

#[test]
fn the_managers_build_has_the_coaching_plan() {
    let site = build(&fixture("small"), Audience::Managers);
    let plan = site.main("coaching/ann-lee/2026-q2/index.html");
    assert!(
        plan.contains("PRIVATE-MARKER-SESSION") && plan.contains("PRIVATE-MARKER-BODY"),
        "{plan}"
    );
    // Goal progress: win rate 0.40 → target 0.60, current 0.50: halfway.
    assert!(
        plan.contains("40.0%") && plan.contains("60.0%") && plan.contains("50%"),
        "{plan}"
    );
    // Overdue as of the end of the latest period (30 Jun 2026): one undone action due 1 Jun.
    assert!(plan.contains("overdue"), "{plan}");
    assert!(site.files.contains_key("reports/private-review/index.html"));
    assert!(site.main("coaching/index.html").contains("Ann Lee"));
    // The playbook a coaching goal cites links back to the plan.
    assert!(
        site.main("playbooks/basics/first-call/index.html")
            .contains("Cited by coaching plans")
    );
    // The rep page shows the active plan's goal progress.
    assert!(
        site.main("people/ann-lee/index.html")
            .contains("Coaching plan")
    );
}

#[test]
fn the_demo_team_build_has_no_coaching_notes() {
    let root = repo_root();
    let mut notes = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("content/coaching")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            notes.extend(
                text.lines()
                    .filter_map(|l| {
                        l.split_once("notes:")
                            .map(|(_, n)| n.trim().trim_end_matches('}').trim().to_string())
                    })
                    .filter(|n| n.len() > 20),
            );
        }
    }
    assert!(
        !notes.is_empty(),
        "the demo should have session notes to check"
    );
    let site = build(&root, Audience::Team);
    for (path, bytes) in &site.files {
        let text = String::from_utf8_lossy(bytes);
        assert!(!path.starts_with("coaching"), "{path}");
        for note in &notes {
            assert!(
                !text.contains(note.as_str()),
                "a session note leaked into {path}: {note}"
            );
        }
    }
}

#[test]
fn team_leaderboard_false_removes_rankings_from_the_team_build() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    let site_yaml = dir.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&site_yaml).unwrap() + "team_leaderboard: false\n";
    std::fs::write(&site_yaml, text).unwrap();
    let team = build(dir.path(), Audience::Team);
    assert!(!team.main("index.html").contains("Leaderboard"));
    let managers = build(dir.path(), Audience::Managers);
    assert!(managers.main("index.html").contains("Leaderboard"));
}

pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

//! The team build carries no coaching material at all; the managers build
//! carries everything.

use crate::support::{build, fixture, repo_root};
use bullpen::vocab::Audience;

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
    for entry in walkdir::WalkDir::new(root.join("private/coaching")) {
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

/// The small fixture with images and attachments beside managers-only
/// pages: a managers-only section (and a folder inside it without its own
/// `_index.md`), a managers-only playbook in a team section, and the
/// managers-only report. A team playbook shows its own image and points at
/// one inside the private section.
fn site_with_private_files() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    let content = dir.path().join("content");
    let write = |path: &str, text: &str| {
        let file = content.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    };
    let append = |path: &str, text: &str| {
        let file = content.join(path);
        let old = std::fs::read_to_string(&file).unwrap();
        std::fs::write(file, old + text).unwrap();
    };
    write(
        "playbooks/restructure/_index.md",
        "---\ntitle: PRIVATE-MARKER-SECTION\nvisibility: managers\n---\nIntro.\n",
    );
    write(
        "playbooks/restructure/layoffs.md",
        "---\ntitle: Layoffs\nowner: mia-ford\n---\n![org](layoffs-org.png) and [the list](layoffs-list.pdf).\n",
    );
    write(
        "playbooks/restructure/layoffs-org.png",
        "PRIVATE-MARKER-ASSET-1",
    );
    write(
        "playbooks/restructure/layoffs-list.pdf",
        "PRIVATE-MARKER-ASSET-2",
    );
    write(
        "playbooks/restructure/west/merger.md",
        "---\ntitle: PRIVATE-MARKER-NESTED\nowner: mia-ford\n---\n![plan](merger-plan.png)\n",
    );
    write(
        "playbooks/restructure/west/merger-plan.png",
        "PRIVATE-MARKER-ASSET-3",
    );
    write(
        "playbooks/basics/comp-2027.md",
        "---\ntitle: Comp plan\nowner: mia-ford\nvisibility: managers\n---\n![grid](comp-2027-grid.png)\n",
    );
    write(
        "playbooks/basics/comp-2027-grid.png",
        "PRIVATE-MARKER-ASSET-4",
    );
    write(
        "playbooks/basics/comp-2027-draft.pdf",
        "PRIVATE-MARKER-ASSET-5",
    );
    write("reports/private-review-chart.png", "PRIVATE-MARKER-ASSET-6");
    append(
        "reports/private-review.md",
        "\n![chart](private-review-chart.png)\n",
    );
    write("playbooks/basics/call-flow.png", "TEAM-ASSET");
    append(
        "playbooks/basics/first-call.md",
        "\n![the call flow](call-flow.png)\n\n![an org chart](../restructure/layoffs-org.png)\n",
    );
    dir
}

/// Names of private pages and files that must not appear anywhere in a
/// team build: not in a file name, not in a byte of any file.
const PRIVATE_NAMES: &[&str] = &[
    "PRIVATE-MARKER",
    "restructure",
    "layoffs",
    "merger",
    "comp-2027",
    "private-review",
];

fn assert_nothing_private(files: &[(String, Vec<u8>)]) {
    for (path, bytes) in files {
        let text = String::from_utf8_lossy(bytes);
        for name in PRIVATE_NAMES {
            assert!(
                !path.contains(name),
                "a private file in the team build: {path}"
            );
            assert!(!text.contains(name), "`{name}` leaked into {path}");
        }
    }
}

#[test]
fn files_beside_managers_only_pages_stay_out_of_the_team_build() {
    let dir = site_with_private_files();
    let team = build(dir.path(), Audience::Team);
    let files: Vec<(String, Vec<u8>)> = team.files.clone().into_iter().collect();
    assert_nothing_private(&files);
    // The team playbook's own image is there, and linked.
    assert_eq!(team.files["playbooks/basics/call-flow.png"], b"TEAM-ASSET");
    let page = team.main("playbooks/basics/first-call/index.html");
    assert!(
        page.contains(r#"src="../../../playbooks/basics/call-flow.png""#),
        "{page}"
    );
    // The image inside the private section became its description.
    assert!(page.contains("an org chart"), "{page}");

    let managers = build(dir.path(), Audience::Managers);
    for (path, marker) in [
        (
            "playbooks/restructure/layoffs-org.png",
            "PRIVATE-MARKER-ASSET-1",
        ),
        (
            "playbooks/restructure/layoffs-list.pdf",
            "PRIVATE-MARKER-ASSET-2",
        ),
        (
            "playbooks/restructure/west/merger-plan.png",
            "PRIVATE-MARKER-ASSET-3",
        ),
        (
            "playbooks/basics/comp-2027-grid.png",
            "PRIVATE-MARKER-ASSET-4",
        ),
        (
            "playbooks/basics/comp-2027-draft.pdf",
            "PRIVATE-MARKER-ASSET-5",
        ),
        ("reports/private-review-chart.png", "PRIVATE-MARKER-ASSET-6"),
        ("playbooks/basics/call-flow.png", "TEAM-ASSET"),
    ] {
        assert_eq!(managers.files[path], marker.as_bytes(), "{path}");
    }
    assert!(
        managers
            .files
            .contains_key("playbooks/restructure/west/merger/index.html")
    );
}

#[test]
fn serve_gives_the_team_no_private_files_even_after_an_edit() {
    let dir = site_with_private_files();
    let (mut live, first) = bullpen::serve::live::Live::build(dir.path(), Audience::Team).unwrap();
    let files = |update: &bullpen::serve::live::Update| -> Vec<(String, Vec<u8>)> {
        update
            .files
            .iter()
            .map(|f| (f.path.clone(), f.bytes.clone()))
            .collect()
    };
    assert_nothing_private(&files(&first));
    assert!(
        first
            .files
            .iter()
            .any(|f| f.path == "playbooks/basics/call-flow.png")
    );

    // The team playbook stops showing its image: the image leaves the site.
    let playbook = dir.path().join("content/playbooks/basics/first-call.md");
    let text = std::fs::read_to_string(&playbook)
        .unwrap()
        .replace("![the call flow](call-flow.png)", "The call flow.");
    std::fs::write(&playbook, text).unwrap();
    let update = live
        .update(&["content/playbooks/basics/first-call.md".into()])
        .unwrap();
    assert!(
        update.whole,
        "the set of files changed, so the site is rebuilt whole"
    );
    assert!(
        !update
            .files
            .iter()
            .any(|f| f.path == "playbooks/basics/call-flow.png")
    );
    assert_nothing_private(&files(&update));
}

#[test]
fn images_in_coaching_folders_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    std::fs::write(
        dir.path().join("content/coaching/ann-lee/call-notes.png"),
        "PRIVATE-MARKER-COACHING-IMAGE",
    )
    .unwrap();
    let checked = bullpen::pipeline::check(dir.path()).unwrap();
    assert!(
        checked.diagnostics.iter().any(|d| d.file
            == std::path::Path::new("content/coaching/ann-lee/call-notes.png")
            && d.severity == bullpen::error::Severity::Error),
        "{:#?}",
        checked.diagnostics
    );
    let out = tempfile::tempdir().unwrap();
    assert!(
        bullpen::pipeline::build(dir.path(), &out.path().join("site"), Audience::Team, None)
            .is_err()
    );
    assert!(!out.path().join("site").exists());
}

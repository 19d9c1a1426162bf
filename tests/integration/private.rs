//! The private folder (`private:` in site.yaml, `--private DIR`): laid over
//! content/ in the managers' build only. The team build never opens it and
//! carries none of it; `rep_pages: managers` keeps each rep's figures out.

use crate::audience::copy_dir;
use crate::support::{bullpen, git_command, repo_root};
use bullpen::vocab::Audience;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Strings that appear only in the private folder of the site [`demo`] makes.
const MARKERS: &[&str] = &[
    "PRIVATE-MARKER-PLAYBOOK",
    "PRIVATE-MARKER-IMAGE",
    "PRIVATE-MARKER-BIO",
    "exit-interviews",
    "Retention risk",
    "compensation-review",
    "compensation and performance review",
];

/// The demo as `init` lays it out: `site/` (content/ and themes/) with
/// `private: ../site-private` in its site.yaml, and `site-private/` beside
/// it, with a managers-only playbook (which says `visibility: team`, and is
/// managers-only all the same), an image beside it and a bio added.
fn demo() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let private = dir.path().join("site-private");
    for part in ["content", "themes"] {
        copy_dir(&repo_root().join(part), &site.join(part));
    }
    copy_dir(&repo_root().join("private"), &private);
    let settings = site.join("content/site.yaml");
    let text = std::fs::read_to_string(&settings).unwrap();
    assert!(text.contains("\nprivate: private\n"));
    std::fs::write(
        &settings,
        text.replace("\nprivate: private\n", "\nprivate: ../site-private\n"),
    )
    .unwrap();
    let playbook = private.join("playbooks/management/exit-interviews.md");
    std::fs::create_dir_all(playbook.parent().unwrap()).unwrap();
    std::fs::write(
        &playbook,
        "---\ntitle: Exit interviews\nvisibility: team\n---\nPRIVATE-MARKER-PLAYBOOK\n\n![org](org.png)\n",
    )
    .unwrap();
    std::fs::write(
        private.join("playbooks/management/org.png"),
        "PRIVATE-MARKER-IMAGE",
    )
    .unwrap();
    let bio = private.join("people/alice-chen.md");
    std::fs::write(&bio, "PRIVATE-MARKER-BIO: notes for her manager.\n").unwrap();
    (dir, site, private)
}

/// Builds `site` into a fresh folder and reads every file back, by path.
fn build(site: &Path, audience: Audience) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    bullpen::pipeline::build(site, &target, audience, None)
        .unwrap_or_else(|err| panic!("the {} build failed: {err:?}", audience.name()));
    read_all(&target)
}

fn read_all(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let path = entry.path().strip_prefix(dir).unwrap();
            files.insert(
                path.to_string_lossy().replace('\\', "/"),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    files
}

/// Every marker found in any file's name or bytes.
fn leaks<'a>(files: &BTreeMap<String, Vec<u8>>, markers: &[&'a str]) -> Vec<(String, &'a str)> {
    let mut found = Vec::new();
    for (path, bytes) in files {
        let text = String::from_utf8_lossy(bytes);
        for marker in markers {
            if path.contains(marker) || text.contains(marker) {
                found.push((path.clone(), *marker));
            }
        }
    }
    found
}

fn markers_of_coaching_notes(private: &Path) -> Vec<String> {
    let mut notes = Vec::new();
    for entry in walkdir::WalkDir::new(private.join("coaching")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            notes.extend(
                text.lines()
                    .filter_map(|l| l.split_once("notes:").map(|(_, n)| n.trim()))
                    // The plain words at the start, as a page writes them.
                    .map(|n| {
                        n.trim_start_matches(['"', '\''])
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == ' ')
                            .collect::<String>()
                    })
                    .filter(|n| n.len() > 20),
            );
        }
    }
    assert!(notes.len() > 5, "the demo's coaching logs have notes");
    notes
}

#[test]
fn the_team_build_never_opens_the_private_folder() {
    let (_dir, site, private) = demo();
    let notes = markers_of_coaching_notes(&private);
    let mut markers: Vec<&str> = MARKERS.to_vec();
    markers.extend(notes.iter().map(String::as_str));

    // Readable: the team build still leaves every private file out.
    let team = build(&site, Audience::Team);
    assert_eq!(leaks(&team, &markers), Vec::new());
    assert!(team.keys().all(|p| !p.starts_with("coaching/")));

    // Unreadable. Root reads a folder whatever its mode, so there the
    // folder is replaced by a file, which cannot be listed either.
    let mode = |mode| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    mode(0o000);
    let moved = private.with_extension("kept");
    let as_root = std::fs::read_dir(&private).is_ok();
    if as_root {
        mode(0o755);
        std::fs::rename(&private, &moved).unwrap();
        std::fs::write(&private, "not a folder").unwrap();
    }
    let team = build(&site, Audience::Team);
    assert_eq!(leaks(&team, &markers), Vec::new());
    // The managers' build needs it, and says which folder it could not read.
    let out = tempfile::tempdir().unwrap();
    let err = bullpen::pipeline::build(&site, &out.path().join("m"), Audience::Managers, None)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("cannot read the private folder ../site-private"),
        "{err}"
    );
    if as_root {
        std::fs::remove_file(&private).unwrap();
        std::fs::rename(&moved, &private).unwrap();
    } else {
        mode(0o755);
    }

    // Absent.
    std::fs::remove_dir_all(&private).unwrap();
    let team = build(&site, Audience::Team);
    assert_eq!(leaks(&team, &markers), Vec::new());
    assert!(team.contains_key("index.html"));
}

#[test]
fn the_managers_build_reads_both_folders() {
    let (_dir, site, private) = demo();
    let notes = markers_of_coaching_notes(&private);
    let settings = site.join("content/site.yaml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(
        &settings,
        format!("{text}repo_url: https://git.example.com/sales/handbook\n"),
    )
    .unwrap();
    let managers = build(&site, Audience::Managers);
    for marker in MARKERS
        .iter()
        .copied()
        .chain(notes.iter().map(String::as_str))
    {
        assert!(
            !leaks(&managers, &[marker]).is_empty(),
            "{marker} is not in the managers' build"
        );
    }
    // Managers-only whatever its front matter says; its image comes along.
    let page =
        String::from_utf8_lossy(&managers["playbooks/management/exit-interviews/index.html"])
            .to_string();
    assert!(page.contains("PRIVATE-MARKER-PLAYBOOK"));
    // "Edit this page" points into the shared repository: not for a
    // private page.
    assert!(!page.contains("/edit/main/"), "{page}");
    let shared = String::from_utf8_lossy(&managers["playbooks/discovery/first-call/index.html"]);
    assert!(shared.contains("/edit/main/content/playbooks/discovery/first-call.md"));
    assert!(managers.contains_key("playbooks/management/org.png"));
    let jordan = String::from_utf8_lossy(&managers["people/alice-chen/index.html"]).to_string();
    assert!(jordan.contains("PRIVATE-MARKER-BIO"));
    assert!(managers.keys().any(|p| p.starts_with("coaching/")));
    assert!(managers.contains_key("reports/compensation-review/index.html"));

    // `--private` wins over site.yaml.
    let elsewhere = site.parent().unwrap().join("elsewhere");
    std::fs::rename(&private, &elsewhere).unwrap();
    let out = tempfile::tempdir().unwrap();
    bullpen::pipeline::build_with(
        &site,
        &out.path().join("m"),
        Audience::Managers,
        None,
        Some(Path::new("../elsewhere")),
    )
    .unwrap();
    let built = read_all(&out.path().join("m"));
    assert!(built.contains_key("playbooks/management/exit-interviews/index.html"));
    let output = bullpen(
        &[
            "build",
            "--audience",
            "managers",
            "--private",
            "../elsewhere",
            "--out",
            "m2",
        ],
        &site,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn errors_in_private_files_name_the_private_file() {
    let (_dir, site, private) = demo();
    // The same path in both folders.
    let shared = site.join("content/reports/compensation-review.md");
    std::fs::copy(private.join("reports/compensation-review.md"), &shared).unwrap();
    // A private file with an error of its own.
    let broken = private.join("reports/broken.md");
    std::fs::write(&broken, "---\ntitel: Broken\n---\nText\n").unwrap();
    let err = match bullpen::pipeline::build(&site, &site.join("out"), Audience::Managers, None) {
        Err(bullpen::error::Error::Content(diagnostics)) => diagnostics,
        other => panic!("expected content errors, got {other:?}"),
    };
    let files: Vec<String> = err
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.file.display(), d.message))
        .collect();
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("../site-private/reports/broken.md: unknown field `titel`")),
        "{files:#?}"
    );
    assert!(
        files.iter().any(|f| f.starts_with("../site-private/reports/compensation-review.md:")
            && f.contains("content/reports/compensation-review.md and ../site-private/reports/compensation-review.md")),
        "{files:#?}"
    );
    // `check` says where the shared copy should go.
    std::fs::remove_file(&broken).unwrap();
    std::fs::create_dir_all(site.join("content/coaching/alice-chen")).unwrap();
    std::fs::write(site.join("content/coaching/alice-chen/notes.txt"), "x").unwrap();
    let output = bullpen(&["check"], &site);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("content/coaching/ are readable by everyone who can read this repository"),
        "{stdout}"
    );
    assert!(
        stdout.contains("move it to ../site-private/reports/compensation-review.md"),
        "{stdout}"
    );
}

/// Every rep's own figures, as the pages write them: closed-won and
/// quota of every period, each at least five digits long so that no
/// chance match with a team total or a date is counted.
fn rep_figures(site: &Path) -> Vec<(String, String)> {
    let (model, _) = bullpen::pipeline::load_model(site).unwrap();
    let format = bullpen::format::Formatter::new(&model.site.currency);
    let org = bullpen::rollup::Org::new(&model);
    let mut team_totals = std::collections::BTreeSet::new();
    for &period in &model.periods {
        if let Some(whole) = org.whole(period) {
            team_totals.insert(format.money(whole.closed_won));
        }
        for person in model.people.values() {
            if let Some(team) = org.team(&person.id, period) {
                team_totals.insert(format.money(team.closed_won));
                // A team's open pipeline by stage and category is an
                // aggregate too, and may equal some rep's figure by chance.
                if let Some(pipeline) = &team.deal_pipeline {
                    let sums = pipeline.by_stage.iter().copied().chain(
                        bullpen::vocab::figures::Category::ALL
                            .iter()
                            .map(|&c| pipeline.category(c)),
                    );
                    for sum in sums {
                        team_totals.insert(format.money(sum.amount));
                    }
                }
            }
        }
    }
    // Figures an author typed into a page's prose are the author's words,
    // which no setting can find: only figures Bullpen computes are counted.
    let mut typed = String::new();
    for entry in walkdir::WalkDir::new(site.join("content")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            typed.push_str(&std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    let mut figures = Vec::new();
    for person in model.people.values() {
        for &period in &model.periods {
            if let Some(fig) = model.figures(&person.id, period) {
                let won = format.money(fig.closed_won);
                // A team of one rep: their figures are the team's.
                if won.len() >= 7 && !team_totals.contains(&won) && !typed.contains(&won) {
                    figures.push((format!("{} {period}", person.id), won));
                }
            }
        }
    }
    assert!(figures.len() > 30, "{figures:?}");
    figures
}

#[test]
fn rep_pages_managers_keeps_every_rep_figure_out_of_the_team_build() {
    let (_dir, site, _private) = demo();
    let settings = site.join("content/site.yaml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, format!("{text}rep_pages: managers\n")).unwrap();
    let figures = rep_figures(&site);
    let team = build(&site, Audience::Team);
    let mut leaked = Vec::new();
    for (path, bytes) in &team {
        let text = String::from_utf8_lossy(bytes);
        for (whose, figure) in &figures {
            if text.contains(figure.as_str()) {
                leaked.push(format!("{path}: {whose} {figure}"));
            }
        }
    }
    assert_eq!(leaked, Vec::<String>::new());
    // Rep pages say who the rep is, without figures; team figures remain.
    let rep = String::from_utf8_lossy(&team["people/alice-chen/index.html"]).to_string();
    assert!(rep.contains("Alice Chen") && rep.contains("shown to managers only"));
    let home = String::from_utf8_lossy(&team["index.html"]).to_string();
    assert!(!home.contains("chart-attainment-by-rep"));
    // The managers' build keeps them all.
    let managers = build(&site, Audience::Managers);
    let all: String = managers
        .values()
        .map(|b| String::from_utf8_lossy(b).to_string())
        .collect();
    assert!(figures.iter().all(|(_, f)| all.contains(f.as_str())));
}

#[test]
fn init_writes_the_private_material_beside_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(crate::support::bin())
        .args(["init", "acme"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let site = dir.path().join("acme");
    let private = dir.path().join("acme-private");
    assert!(!site.join("content/coaching").exists());
    assert!(!site.join("content/reports/compensation-review.md").exists());
    assert!(private.join("coaching").is_dir());
    assert!(private.join("reports/compensation-review.md").is_file());
    let settings = std::fs::read_to_string(site.join("content/site.yaml")).unwrap();
    assert!(
        settings.contains("\nprivate: ../acme-private\n"),
        "{settings}"
    );
    // No shared-repository warnings for the demo as written.
    let check = bullpen(&["check"], &site);
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(!stdout.contains("readable by everyone"), "{stdout}");
    let built = bullpen(&["build", "--audience", "managers", "--out", "m"], &site);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(
        site.join("m/reports/compensation-review/index.html")
            .is_file()
    );
}

#[test]
fn serve_picks_up_an_edit_in_the_private_folder() {
    let (_dir, site, private) = demo();
    let server = crate::serve::Server::start(&site, &["--audience", "managers"]);
    let page = "/people/alice-chen/";
    server.wait_for(page, "the private bio", |body| {
        body.contains("PRIVATE-MARKER-BIO")
    });
    std::fs::write(
        private.join("people/alice-chen.md"),
        "PRIVATE-MARKER-EDITED: promoted to senior.\n",
    )
    .unwrap();
    server.wait_for(page, "the edited bio", |body| {
        body.contains("PRIVATE-MARKER-EDITED")
    });
    // The team's preview never reads it.
    drop(server);
    let team = crate::serve::Server::start(&site, &[]);
    let (status, body) = team.get(page);
    assert_eq!(status, 200);
    assert!(!body.contains("PRIVATE-MARKER"));
}

#[test]
fn diff_for_the_managers_reviews_both_repositories() {
    let (_dir, site, private) = demo();
    for repo in [&site, &private] {
        for args in [
            &["init", "-q", "-b", "main"][..],
            &["add", "-A"],
            &["commit", "-qm", "start"],
        ] {
            let status = git_command(repo).args(args).status().unwrap();
            assert!(status.success());
        }
    }
    // One change in each repository's working tree.
    let review = private.join("reports/compensation-review.md");
    let text = std::fs::read_to_string(&review).unwrap();
    std::fs::write(
        &review,
        text.replace("Confidential.", "Confidential. PRIVATE-MARKER-DIFF"),
    )
    .unwrap();
    // From the folder above, so the root and the private folder are relative.
    let managers = std::process::Command::new(crate::support::bin())
        .args([
            "diff",
            "--root",
            "site",
            "--base",
            "HEAD",
            "--audience",
            "managers",
        ])
        .args(["--out", "review"])
        .current_dir(site.parent().unwrap())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&managers.stdout);
    assert!(
        managers.status.success(),
        "{}",
        String::from_utf8_lossy(&managers.stderr)
    );
    assert!(stdout.contains("compensation-review"), "{stdout}");
    let page = std::fs::read_to_string(site.join("review/index.html")).unwrap();
    assert!(page.contains("PRIVATE-MARKER-DIFF"));
    // The team's review never opens it.
    let team = bullpen(&["diff", "--base", "HEAD", "--out", "review-team"], &site);
    assert!(team.status.success());
    let page = std::fs::read_to_string(site.join("review-team/index.html")).unwrap();
    assert!(!page.contains("PRIVATE-MARKER"));
    // Its own revisions: comparing the private HEAD with itself shows nothing.
    let same = bullpen(
        &[
            "diff",
            "--base",
            "HEAD",
            "--head",
            "HEAD",
            "--audience",
            "managers",
            "--private-base",
            "HEAD",
            "--private-head",
            "HEAD",
            "--out",
            "review-same",
        ],
        &site,
    );
    assert!(
        same.status.success(),
        "{}",
        String::from_utf8_lossy(&same.stderr)
    );
    let page = std::fs::read_to_string(site.join("review-same/index.html")).unwrap();
    assert!(!page.contains("PRIVATE-MARKER-DIFF"));
}

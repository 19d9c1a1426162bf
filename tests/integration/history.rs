//! Playbooks that know their history, and `bullpen diff` — in a temporary
//! git repository with fixed authors and dates.

use crate::audience::copy_dir;
use crate::support::{fixture, git_command, require_program};
use bullpen::vocab::Audience;
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str], author: &str, date: &str) -> String {
    let output = git_command(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", author)
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", author)
        .env("GIT_COMMITTER_EMAIL", "author@example.com")
        .env("GIT_AUTHOR_DATE", format!("{date}T10:00:00+00:00"))
        .env("GIT_COMMITTER_DATE", format!("{date}T10:00:00+00:00"))
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

fn commit(dir: &Path, author: &str, date: &str, subject: &str) -> String {
    git(dir, &["add", "-A"], author, date);
    git(dir, &["commit", "-q", "-m", subject], author, date);
    git(dir, &["rev-parse", "HEAD"], author, date)
}

/// A repository with three commits: the fixture (Dana Lee, 10 Jan 2026), a
/// playbook rewrite and a figure correction (Sam Fox, 1 Jun 2026), and a
/// report edit (Dana Lee, 1 Sep 2026).
fn repository() -> (tempfile::TempDir, [String; 3]) {
    require_program("git", "--version", "apt-get install git");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    let site = dir.path().join("content/site.yaml");
    let text =
        std::fs::read_to_string(&site).unwrap() + "repo_url: https://github.com/example/sales\n";
    std::fs::write(&site, text).unwrap();
    let playbook = dir.path().join("content/playbooks/basics/first-call.md");
    let text = std::fs::read_to_string(&playbook).unwrap().replace(
        "tags: [discovery]",
        "tags: [discovery]\nreview_every_days: 30",
    );
    std::fs::write(&playbook, text).unwrap();
    git(
        dir.path(),
        &["init", "-q", "-b", "main"],
        "Dana Lee",
        "2026-01-10",
    );
    let first = commit(
        dir.path(),
        "Dana Lee",
        "2026-01-10",
        "Start the sales handbook",
    );

    let text = std::fs::read_to_string(&playbook).unwrap().replace(
        "Set the agenda in the first two minutes.",
        "Set the agenda and the time box in the first two minutes.",
    );
    std::fs::write(&playbook, text).unwrap();
    std::fs::write(dir.path().join("content/performance/2026-Q2/ann-lee.yaml"), "quota: 100000\nclosed_won: 120000\ndeals_won: 5\ndeals_lost: 5\npipeline: 320000\nforecast: 100000\n").unwrap();
    let second = commit(
        dir.path(),
        "Sam Fox",
        "2026-06-01",
        "Time-box the first call; correct Ann's Q2",
    );

    let report = dir.path().join("content/reports/q2-review.md");
    let text = std::fs::read_to_string(&report).unwrap() + "\nA closing note.\n";
    std::fs::write(&report, text).unwrap();
    let third = commit(dir.path(), "Dana Lee", "2026-09-01", "Close the Q2 review");
    (dir, [first, second, third])
}

fn built_page(root: &Path, page: &str) -> String {
    let out = tempfile::tempdir().unwrap();
    bullpen::pipeline::build(root, &out.path().join("site"), Audience::Team, None).unwrap();
    std::fs::read_to_string(out.path().join("site").join(page)).unwrap()
}

#[test]
fn playbook_pages_show_their_history_from_git() {
    let (repo, [_, second, _]) = repository();
    let page = built_page(repo.path(), "playbooks/basics/first-call/index.html");
    assert!(
        page.contains("1 Jun 2026 · Sam Fox"),
        "the last change: {page}"
    );
    assert!(page.contains("due 1 Jul 2026"), "last change + 30 days");
    assert!(
        page.contains("review overdue"),
        "overdue as of the newest commit, 1 Sep 2026"
    );
    assert!(
        page.contains("Time-box the first call; correct Ann&#39;s Q2")
            || page.contains("Time-box the first call; correct Ann's Q2"),
        "{page}"
    );
    assert!(page.contains("Start the sales handbook"));
    assert!(page.contains(&format!("https://github.com/example/sales/commit/{second}")));
    assert!(page.contains(
        "https://github.com/example/sales/edit/main/content/playbooks/basics/first-call.md"
    ));
    // The index lists overdue playbooks first.
    let index = built_page(repo.path(), "playbooks/index.html");
    assert!(index.contains("Due for review"));

    let checked = bullpen::pipeline::check(repo.path()).unwrap();
    assert!(
        checked
            .diagnostics
            .iter()
            .any(|d| d.message.contains("`First call` is past its review date")),
        "{:#?}",
        checked.diagnostics
    );

    // The changes feed lists the commits, newest first.
    let feed = built_page(repo.path(), "playbooks.atom");
    let first_entry = feed.find("<entry>").unwrap();
    assert!(
        feed[first_entry..].contains("First call: Time-box the first call"),
        "{feed}"
    );
    assert!(feed.contains("<updated>2026-06-01T00:00:00Z</updated>"));
    roxmltree::Document::parse(&feed).unwrap();

    // Same repository, same bytes: nothing reads the clock.
    assert_eq!(
        page,
        built_page(repo.path(), "playbooks/basics/first-call/index.html")
    );

    // An edit not yet committed shows as such.
    let playbook = repo.path().join("content/playbooks/basics/first-call.md");
    let text = std::fs::read_to_string(&playbook).unwrap() + "\nA new line.\n";
    std::fs::write(&playbook, text).unwrap();
    assert!(
        built_page(repo.path(), "playbooks/basics/first-call/index.html")
            .contains("uncommitted changes")
    );
}

#[test]
fn a_shallow_clone_says_so_once() {
    let (repo, _) = repository();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    git(
        clone.path(),
        &["clone", "-q", "--depth", "1", &url, "site"],
        "Dana Lee",
        "2026-09-01",
    );
    let checked = bullpen::pipeline::check(&clone.path().join("site")).unwrap();
    let notices: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("history is shallow"))
        .collect();
    assert_eq!(notices.len(), 1, "{:#?}", checked.diagnostics);
}

fn diff(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new(crate::support::bin())
        .arg("diff")
        .arg("--root")
        .arg(root)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap()
}

#[test]
fn diff_shows_words_figures_and_their_consequences() {
    let (repo, [first, second, _]) = repository();
    let out = tempfile::tempdir().unwrap();
    let review = out.path().join("review");
    let output = diff(
        repo.path(),
        &[
            "--base",
            &first,
            "--head",
            &second,
            "--out",
            review.to_str().unwrap(),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary = String::from_utf8(output.stdout).unwrap();
    assert!(
        summary.contains("**First call** (`playbooks/basics/first-call`)"),
        "{summary}"
    );
    assert!(summary.contains("+4 / −0 words"), "{summary}");
    assert!(
        summary.contains("closed won: $110,000 → $120,000"),
        "{summary}"
    );
    assert!(summary.contains("attainment: 110.0% → 120.0%"), "{summary}");
    assert!(
        summary.contains("North team attainment: 113.3% → 120.0%"),
        "{summary}"
    );
    let page = std::fs::read_to_string(review.join("index.html")).unwrap();
    assert!(
        page.contains("<ins>and</ins>")
            || page.contains("<ins>and the time box</ins>")
            || page.contains("<ins>and "),
        "{page}"
    );
    assert!(page.contains("time") && page.contains("box"), "{page}");

    // The user's checkout is untouched.
    let status = git_command(repo.path())
        .args(["status", "--porcelain"])
        .output()
        .unwrap();
    assert!(
        status.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
}

#[test]
fn diff_with_no_changes_and_with_a_bad_revision() {
    let (repo, [_, _, third]) = repository();
    let out = tempfile::tempdir().unwrap();
    let none = diff(
        repo.path(),
        &[
            "--base",
            &third,
            "--out",
            out.path().join("r").to_str().unwrap(),
        ],
    );
    assert!(none.status.success());
    assert!(String::from_utf8_lossy(&none.stdout).contains("No content changes."));
    let bad = diff(repo.path(), &["--base", "no-such-branch"]);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr)
            .contains("the revision `no-such-branch` does not exist")
    );
}

#[test]
fn a_team_diff_never_shows_coaching_material() {
    let (repo, [first, ..]) = repository();
    let plan = repo.path().join("content/coaching/ann-lee/2026-Q2.md");
    let text = std::fs::read_to_string(&plan).unwrap().replace(
        "PRIVATE-MARKER-BODY",
        "PRIVATE-MARKER-BODY PRIVATE-MARKER-NEW",
    );
    std::fs::write(&plan, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let team = diff(
        repo.path(),
        &[
            "--base",
            &first,
            "--out",
            out.path().join("t").to_str().unwrap(),
        ],
    );
    let page = std::fs::read_to_string(out.path().join("t/index.html")).unwrap();
    assert!(
        !String::from_utf8_lossy(&team.stdout).contains("PRIVATE-MARKER")
            && !page.contains("PRIVATE-MARKER")
    );
    let managers = diff(
        repo.path(),
        &[
            "--base",
            &first,
            "--audience",
            "managers",
            "--out",
            out.path().join("m").to_str().unwrap(),
        ],
    );
    assert!(String::from_utf8_lossy(&managers.stdout).contains("coaching plan"));
}

#[test]
fn control_characters_in_commits_and_content_never_reach_the_feed_or_pages() {
    let (repo, _) = repository();
    let playbook = repo.path().join("content/playbooks/basics/first-call.md");
    let text = std::fs::read_to_string(&playbook)
        .unwrap()
        .replace("title: First call", "title: \"First\\x01 call\\x1b[0m\"")
        // Raw control bytes in a file are an error at their line (see the
        // `binary-markdown` fixture); character references still make them.
        .replace("Set the agenda", "Set&#0; the&#1; agenda&#x1b;[31m&#x7f;");
    std::fs::write(&playbook, text).unwrap();
    commit(
        repo.path(),
        "Sam\x02 Fox",
        "2026-09-02",
        "Fix\x01\x1e\x1f the \x1b[31mopening\x1b[0m\x0c",
    );
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    bullpen::pipeline::build(repo.path(), &site, Audience::Team, None).unwrap();
    let feed = std::fs::read_to_string(site.join("playbooks.atom")).unwrap();
    let parsed = roxmltree::Document::parse(&feed);
    assert!(parsed.is_ok(), "{parsed:?}\n{feed:?}");
    assert!(feed.contains("the \u{fffd}[31mopening"), "{feed:?}");
    assert!(feed.contains("Fox</name>"), "{feed:?}");
    for entry in walkdir::WalkDir::new(&site) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        assert!(bad.is_empty(), "{bad:?} in {}", entry.path().display());
    }
    let page =
        std::fs::read_to_string(site.join("playbooks/basics/first-call/index.html")).unwrap();
    assert!(page.contains("agenda"), "{page}");
}

#[test]
fn diff_outside_a_repository_says_so() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    let output = Command::new(crate::support::bin())
        .args(["diff", "--base", "HEAD", "--root"])
        .arg(dir.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("is not in a git repository"), "{stderr}");
    assert!(!stderr.contains("does not exist"), "{stderr}");
}

#[test]
fn diff_in_a_shallow_clone_says_to_fetch_the_history() {
    let (repo, [first, ..]) = repository();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    git(
        clone.path(),
        &["clone", "-q", "--depth", "1", &url, "site"],
        "Dana Lee",
        "2026-09-01",
    );
    let bad = diff(&clone.path().join("site"), &["--base", &first]);
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(!bad.status.success());
    assert!(stderr.contains(&format!("`{first}`")), "{stderr}");
    assert!(stderr.contains("shallow"), "{stderr}");
    assert!(stderr.contains("git fetch --unshallow"), "{stderr}");
    assert!(stderr.contains("fetch-depth: 0"), "{stderr}");
}

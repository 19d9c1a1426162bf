//! The output folder: `build --out` and `diff --out` replace only what
//! Bullpen wrote, whatever path they are given, and `init` ignores what
//! Bullpen writes. Every test checks the fact that matters: the files that
//! were there before are still there.

use crate::audience::copy_dir;
use crate::support::fixture;
use std::path::Path;
use std::process::{Command, Output};

fn bullpen(args: &[&str], root: &Path) -> Output {
    Command::new(crate::support::bin())
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("small"), dir.path());
    dir
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every path under `dir`, relative, sorted: what a test compares before
/// and after a command that must touch nothing.
fn tree(dir: &Path) -> Vec<String> {
    let mut paths: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    paths.sort();
    paths
}

/// git with no user or system configuration, and a fixed author.
fn git(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_AUTHOR_DATE", "2026-01-10T10:00:00+00:00")
        .env("GIT_COMMITTER_DATE", "2026-01-10T10:00:00+00:00")
        .output()
        .expect("git runs (these tests need it)");
    assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
    output
}

#[test]
fn an_output_path_through_a_missing_folder_cannot_reach_content_or_themes() {
    // One level down, so that even `x/../..` stays inside a temporary folder.
    let holder = tempfile::tempdir().unwrap();
    let root = holder.path().join("site");
    copy_dir(&fixture("small"), &root);
    let before = tree(holder.path());
    for out in [
        "public/../content",
        "x/../content",
        "x/y/../../content/people",
        "x/../themes",
        "x/..",
        "x/../..",
        "./x/./../content/",
    ] {
        let output = bullpen(&["build", "--out", out], &root);
        assert_eq!(output.status.code(), Some(1), "--out {out} was not refused");
        assert!(
            stderr(&output).contains("refusing to build into"),
            "--out {out}: {}",
            stderr(&output)
        );
        assert_eq!(tree(holder.path()), before, "--out {out} touched the site");
    }
    assert!(root.join("content/site.yaml").is_file());
    assert!(root.join("themes/acme/templates/404.html").is_file());
}

#[test]
fn a_review_path_through_a_missing_folder_cannot_reach_content_or_themes() {
    let dir = site();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "Content"]);
    let before = tree(dir.path());
    for out in ["x/../content", "x/../themes", "review/../content/reports"] {
        let output = Command::new(crate::support::bin())
            .args(["diff", "--base", "HEAD", "--out", out, "--root"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "--out {out} was not refused");
        assert!(
            stderr(&output).contains("refusing to build into"),
            "--out {out}: {}",
            stderr(&output)
        );
        assert_eq!(tree(dir.path()), before, "--out {out} touched the site");
    }
}

#[test]
fn a_folder_holding_files_bullpen_did_not_write_is_refused_untouched() {
    let dir = site();
    let out = tempfile::tempdir().unwrap();
    let theirs = out.path().join("notes");
    std::fs::create_dir_all(theirs.join("drafts")).unwrap();
    std::fs::write(theirs.join("plan.txt"), "keep me").unwrap();
    std::fs::write(theirs.join("drafts/a.md"), "and me").unwrap();
    let before = tree(out.path());
    let output = bullpen(
        &["build", "--out", &theirs.display().to_string()],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let said = stderr(&output);
    assert!(said.contains("Bullpen did not write"), "{said}");
    assert!(said.contains("empty or new folder"), "{said}");
    assert_eq!(tree(out.path()), before, "the folder and its siblings");
    assert_eq!(
        std::fs::read_to_string(theirs.join("plan.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn an_output_that_is_a_file_is_refused_untouched() {
    let dir = site();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("site.html");
    std::fs::write(&file, "someone's page").unwrap();
    let output = bullpen(&["build", "--out", &file.display().to_string()], dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("is a file"), "{}", stderr(&output));
    assert_eq!(tree(out.path()), vec!["site.html".to_string()]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "someone's page");
}

#[test]
fn a_folder_bullpen_wrote_is_replaced_and_an_empty_one_is_used() {
    let dir = site();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().display().to_string();
    // An empty folder may be built into; it is then Bullpen's.
    let first = bullpen(&["build", "--out", &target], dir.path());
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(out.path().join(".bullpen-output").is_file());
    std::fs::write(out.path().join("stale.html"), "from an old build").unwrap();
    let second = bullpen(&["build", "--out", &target], dir.path());
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(out.path().join("index.html").is_file());
    assert!(
        !out.path().join("stale.html").exists(),
        "replaced whole, as before"
    );
}

#[test]
fn the_marker_does_not_show_in_the_sitemap_or_trouble_check() {
    let dir = site();
    let built = bullpen(&["build"], dir.path());
    assert!(built.status.success(), "{}", stderr(&built));
    let public = dir.path().join("public");
    assert!(public.join(".bullpen-output").is_file());
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("bullpen-output"), "{sitemap}");
    let checked = bullpen(
        &["check", "--site", &public.display().to_string()],
        dir.path(),
    );
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stdout)
    );
}

#[test]
fn a_github_pages_checkout_keeps_its_git_cname_and_nojekyll() {
    let dir = site();
    let pages = tempfile::tempdir().unwrap();
    let out = pages.path().join("gh-pages");
    std::fs::create_dir_all(out.join(".git/refs")).unwrap();
    std::fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    std::fs::write(out.join("CNAME"), "sales.example.com\n").unwrap();
    std::fs::write(out.join(".nojekyll"), "").unwrap();
    let target = out.display().to_string();
    for round in 0..2 {
        let output = bullpen(&["build", "--out", &target], dir.path());
        assert!(
            output.status.success(),
            "round {round}: {}",
            stderr(&output)
        );
        assert_eq!(
            std::fs::read_to_string(out.join(".git/HEAD")).unwrap(),
            "ref: refs/heads/gh-pages\n",
            "round {round}"
        );
        assert!(out.join(".git/refs").is_dir(), "round {round}");
        assert_eq!(
            std::fs::read_to_string(out.join("CNAME")).unwrap(),
            "sales.example.com\n"
        );
        assert!(out.join(".nojekyll").is_file());
        assert!(out.join("index.html").is_file());
        assert!(out.join(".bullpen-output").is_file());
    }
    // Nothing else was left beside it.
    assert_eq!(
        std::fs::read_dir(pages.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| !name.ends_with(".lock"))
            .collect::<Vec<_>>(),
        vec!["gh-pages".to_string()]
    );
}

#[test]
fn eight_builds_into_one_output_all_succeed() {
    let dir = site();
    let builds: Vec<_> = (0..8)
        .map(|_| {
            Command::new(crate::support::bin())
                .args(["build", "--root"])
                .arg(dir.path())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for build in builds {
        let output = build.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let public = dir.path().join("public");
    assert!(public.join("index.html").is_file());
    assert!(public.join(".bullpen-output").is_file());
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("building") || n.contains("previous"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn leftovers_of_an_interrupted_build_are_removed_by_the_next() {
    let dir = site();
    let root = dir.path();
    // What a build killed while rendering, and one killed while swapping,
    // leave behind.
    for stale in [".public.building-a1B2c3", ".public.building-Zz09xy"] {
        std::fs::create_dir_all(root.join(stale).join("people")).unwrap();
        std::fs::write(root.join(stale).join("people/index.html"), "half").unwrap();
    }
    std::fs::create_dir_all(root.join(".public.previous")).unwrap();
    std::fs::write(root.join(".public.previous/index.html"), "old").unwrap();
    // Names Bullpen does not make are someone else's.
    std::fs::create_dir_all(root.join(".public.building-by-hand")).unwrap();
    std::fs::write(root.join(".public.building-notes.txt"), "mine").unwrap();
    std::fs::create_dir_all(root.join(".other.building-a1B2c3")).unwrap();

    let output = bullpen(&["build"], root);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!root.join(".public.building-a1B2c3").exists());
    assert!(!root.join(".public.building-Zz09xy").exists());
    assert!(!root.join(".public.previous").exists());
    assert!(root.join(".public.building-by-hand").is_dir());
    assert!(root.join(".public.building-notes.txt").is_file());
    assert!(root.join(".other.building-a1B2c3").is_dir());
    assert!(root.join("public/index.html").is_file());
}

#[test]
fn a_pages_checkout_moved_aside_by_a_killed_build_is_not_lost() {
    let dir = site();
    let root = dir.path();
    // Killed mid-swap: the checkout's files were moved into the new build,
    // which never replaced the output.
    let built = bullpen(&["build"], root);
    assert!(built.status.success(), "{}", stderr(&built));
    let staging = root.join(".public.building-Qw3rT9");
    std::fs::create_dir_all(staging.join(".git")).unwrap();
    std::fs::write(staging.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    std::fs::write(staging.join("CNAME"), "sales.example.com\n").unwrap();
    let output = bullpen(&["build"], root);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!staging.exists());
    assert_eq!(
        std::fs::read_to_string(root.join("public/.git/HEAD")).unwrap(),
        "ref: refs/heads/gh-pages\n"
    );
    assert!(root.join("public/CNAME").is_file());
}

#[test]
fn init_ignores_everything_bullpen_writes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let output = Command::new(crate::support::bin())
        .arg("init")
        .arg(&root)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    // The small fixture builds faster than the demo; the .gitignore stays.
    std::fs::remove_dir_all(root.join("content")).unwrap();
    copy_dir(&fixture("small/content"), &root.join("content"));
    copy_dir(&fixture("small/themes"), &root.join("themes"));
    git(&root, &["init", "-q", "-b", "main"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "Content"]);
    for args in [
        &["build"][..],
        &[
            "build",
            "--audience",
            "managers",
            "--out",
            "public-managers",
        ],
        &["diff", "--base", "HEAD"],
    ] {
        let done = bullpen(args, &root);
        assert!(done.status.success(), "{args:?}: {}", stderr(&done));
    }
    let schema = Command::new(crate::support::bin())
        .args(["schema", "--out"])
        .arg(root.join("schemas"))
        .output()
        .unwrap();
    assert!(schema.status.success(), "{}", stderr(&schema));
    // What interrupted builds leave behind.
    for stale in [
        ".public.building-a1B2c3",
        ".public.previous",
        ".public-managers.building-a1B2c3",
        ".review.previous",
    ] {
        std::fs::create_dir_all(root.join(stale)).unwrap();
        std::fs::write(root.join(stale).join("index.html"), "x").unwrap();
    }
    // `git add -A` takes only the site's own files.
    git(&root, &["add", "-A"]);
    let tracked = git(&root, &["ls-files"]);
    let tracked = String::from_utf8_lossy(&tracked.stdout);
    let stray: Vec<&str> = tracked
        .lines()
        .filter(|path| {
            ![".gitignore", ".vscode/settings.json"].contains(path)
                && !path.starts_with("content/")
                && !path.starts_with("themes/")
        })
        .collect();
    assert!(stray.is_empty(), "git would commit {stray:#?}");
    assert!(tracked.contains("content/site.yaml"));
}

#[test]
fn init_through_a_missing_folder_does_not_write_into_a_full_one() {
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("existing");
    std::fs::create_dir_all(existing.join("content")).unwrap();
    std::fs::write(existing.join("content/site.yaml"), "title: Mine\n").unwrap();
    let before = tree(dir.path());
    let output = Command::new(crate::support::bin())
        .arg("init")
        .arg(dir.path().join("missing/../existing"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("is not empty"),
        "{}",
        stderr(&output)
    );
    assert_eq!(tree(dir.path()), before);
    assert_eq!(
        std::fs::read_to_string(existing.join("content/site.yaml")).unwrap(),
        "title: Mine\n"
    );
}

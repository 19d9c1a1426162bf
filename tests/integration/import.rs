//! `bullpen import`: an existing handbook copied into an empty site, what
//! it reports, and its refusal to overwrite.

use crate::support;
use std::path::Path;
use std::process::Command;

fn import(root: &Path, src: &Path, more: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_bullpen"))
        .arg("import")
        .arg(src)
        .arg("--root")
        .arg(root)
        .args(more)
        .output()
        .unwrap()
}

/// A site with only a short site.yaml, and the plain handbook's pages as
/// another tool's folder would hold them, with a build script beside them.
fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("content/site.yaml"), "title: Imported\n").unwrap();
    let src = dir.path().join("old-handbook");
    crate::audience::copy_dir(&support::fixture("handbook-plain/content/playbooks"), &src);
    std::fs::write(src.join("build.sh"), "make\n").unwrap();
    std::fs::write(
        src.join("sdr/notes.markdown"),
        "no heading, [up](/handbook/sales/)\n",
    )
    .unwrap();
    std::fs::create_dir_all(src.join(".git")).unwrap();
    (dir, src)
}

#[test]
fn import_copies_pages_and_images_keeping_folders_and_says_what_needs_a_decision() {
    let (dir, src) = setup();
    let root = dir.path().join("site");
    let output = import(&root, &src, &["--into", "sales"]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let into = root.join("content/playbooks/sales");
    for file in [
        "README.md",
        "sdr/README.md",
        "sdr/cold-calling.md",
        "sdr/objections.md",
        "sdr/images/funnel.svg",
        "enterprise/mutual-plans.md",
        "sdr/notes.md",
    ] {
        assert!(into.join(file).is_file(), "{file} is not copied");
    }
    assert_eq!(
        std::fs::read(into.join("sdr/objections.md")).unwrap(),
        std::fs::read(src.join("sdr/objections.md")).unwrap(),
        "copied byte for byte"
    );
    assert!(!into.join("build.sh").exists());
    assert!(!into.join(".git").exists());
    assert!(
        stdout.starts_with(
            "copied 8 files into content/playbooks/sales/ (7 pages, 1 image or PDFs); nothing was overwritten or deleted:\n"
        ),
        "{stdout}"
    );
    for expected in [
        "  content/playbooks/sales/sdr/images/funnel.svg\n",
        "  sdr/notes.markdown → content/playbooks/sales/sdr/notes.md\n",
        "left behind, not copied:\n  .git: hidden folder\n  build.sh: neither Markdown nor an image or PDF\n",
        "warning: 1 page has no title and no heading: the file name is the title\n",
        "  - content/playbooks/sales/sdr/notes.md\n",
        "warning: 2 links leave the imported folder\n",
        "  - content/playbooks/sales/README.md:5: `../../company/values.md#trust` now reaches `content/company/values.md`\n",
        "warning: 1 link starts from the old site's root (`/…`)\n",
        // What `check` finds on the copied pages, with their lines.
        "error: the link `../../company/values.md#trust` points to content/company/values.md, which does not exist\n  --> content/playbooks/sales/README.md:5:",
        "`bullpen check` now finds 2 errors, 1 warning in ",
    ] {
        assert!(stdout.contains(expected), "no {expected:?} in:\n{stdout}");
    }
    // `check` on the result gives the same findings.
    let checked = bullpen::pipeline::check(&root).unwrap();
    assert_eq!(checked.errors(), 2);
    assert!(
        checked
            .diagnostics
            .iter()
            .all(|d| stdout.contains(&d.message)),
        "{:?}",
        checked.diagnostics
    );
}

#[test]
fn import_refuses_to_overwrite_and_writes_nothing() {
    let (dir, src) = setup();
    let root = dir.path().join("site");
    let mine = root.join("content/playbooks/sdr/objections.md");
    std::fs::create_dir_all(mine.parent().unwrap()).unwrap();
    std::fs::write(&mine, "# Ours\n").unwrap();
    let output = import(&root, &src, &[]);
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("1 file is already there, and nothing is overwritten: ")
            && stderr.contains("objections.md"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "# Ours\n");
    assert!(
        !root.join("content/playbooks/README.md").exists(),
        "nothing is written when one file is refused"
    );
    // Imported elsewhere, it goes in beside ours.
    assert!(import(&root, &src, &["--into", "old"]).status.success());
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "# Ours\n");
}

#[test]
fn import_names_a_missing_site_yaml_and_refuses_a_bad_section_name() {
    let (dir, src) = setup();
    let empty = dir.path().join("new");
    let output = import(&empty, &src, &[]);
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("content/site.yaml is missing: write one with at least `title:`"),
        "{stdout}"
    );
    let output = import(&empty, &src, &["--into", "../out"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot be a section folder's name"));
}

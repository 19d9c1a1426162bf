//! Every internal `href` and `src` in the output resolves, anchors included.

use crate::support::{build, fixture, repo_root};
use bullpen::sitecheck::broken_links;
use bullpen::vocab::Audience;

#[test]
fn every_link_in_the_fixture_resolves() {
    for audience in [Audience::Team, Audience::Managers] {
        let site = build(&fixture("small"), audience);
        let broken = broken_links(&site.files, "/sales/");
        assert!(broken.is_empty(), "{audience:?}: {broken:#?}");
    }
}

#[test]
fn every_link_in_the_demo_resolves() {
    for audience in [Audience::Team, Audience::Managers] {
        let site = build(&repo_root(), audience);
        let broken = broken_links(&site.files, "/");
        assert!(broken.is_empty(), "{audience:?}: {broken:#?}");
    }
}

#[test]
fn the_checker_finds_a_broken_link() {
    let mut site = build(&fixture("small"), Audience::Team);
    site.files.insert(
        "extra.html".into(),
        br#"<a href="people/nobody/">x</a><a href="index.html#no-such-id">y</a>"#.to_vec(),
    );
    assert_eq!(broken_links(&site.files, "/sales/").len(), 2);
}

#[test]
fn check_reports_broken_links_in_a_built_site() {
    let dir = crate::support::detached(&fixture("small"));
    let out = dir.path().join("public");
    bullpen::pipeline::build(dir.path(), &out, Audience::Team, None).unwrap();
    let clean = crate::support::bullpen(&["check", "--site", out.to_str().unwrap()], dir.path());
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    std::fs::write(
        out.join("people/index.html"),
        r#"<a href="../nowhere/">x</a>"#,
    )
    .unwrap();
    let broken = crate::support::bullpen(&["check", "--site", out.to_str().unwrap()], dir.path());
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&broken.stdout)
            .contains("a broken link: ../nowhere/ → nowhere/index.html does not exist")
    );
}

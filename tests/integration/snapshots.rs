//! Rendered pages pinned by snapshot; the facts that matter are asserted
//! in `build` so that a snapshot update cannot hide a wrong figure.

use crate::support::{build, fixture, snapshot_settings};
use bullpen::vocab::Audience;

#[test]
fn rep_page() {
    let site = build(&fixture("small"), Audience::Managers);
    let page = site.main("people/ann-lee/index.html");
    snapshot_settings().bind(|| insta::assert_snapshot!(page));
}

#[test]
fn playbook_page() {
    let site = build(&fixture("small"), Audience::Team);
    let page = site.main("playbooks/basics/first-call/index.html");
    snapshot_settings().bind(|| insta::assert_snapshot!(page));
}

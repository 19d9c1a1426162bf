//! Rendered pages pinned by snapshot; the facts that matter are asserted
//! in `build` so that a snapshot update cannot hide a wrong figure.

use crate::support::{build, fixture};
use bullpen::model::Audience;

#[test]
fn rep_page() {
    let site = build(&fixture("small"), Audience::Managers);
    insta::assert_snapshot!(site.main("people/ann-lee/index.html"));
}

#[test]
fn playbook_page() {
    let site = build(&fixture("small"), Audience::Team);
    insta::assert_snapshot!(site.main("playbooks/basics/first-call/index.html"));
}

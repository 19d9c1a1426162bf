//! A rep page's printed 1:1 handout (the last periods, open actions, the
//! last sessions, room for notes) and the history columns left out when no
//! rep has data for them.

use crate::ramp::{small_with, text_of, write};
use bullpen::vocab::Audience;

/// The HTML from the element with `id` to the end of its section.
fn section<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id} in {page}"));
    let end = start + page[start..].find("</section>").unwrap();
    &page[start..end]
}

#[test]
fn the_managers_handout_has_the_last_periods_open_actions_sessions_and_notes() {
    let site = small_with(Audience::Managers, |root| {
        write(
            root,
            "content/coaching/ann-lee/log.yaml",
            "- {date: 2026-05-02, kind: call-review, coach: mia-ford, notes: LOG-MARKER-NEWEST}\n",
        );
    });
    let ann = site.main("people/ann-lee/index.html");
    let recent = text_of(section(&ann, "recent-h"));
    assert!(
        recent.contains("Q1 2026") && recent.contains("Q2 2026"),
        "{recent}"
    );
    assert!(recent.contains("Forecast accuracy"), "{recent}");
    let plan = text_of(section(&ann, "plan-h"));
    assert!(
        plan.contains("Overdue · Record two discovery calls · due 1 Jun 2026"),
        "{plan}"
    );
    // Newest first, from the log and from the plan.
    let sessions = text_of(section(&ann, "last-sessions-h"));
    let log = sessions.find("LOG-MARKER-NEWEST").expect(&sessions);
    let planned = sessions.find("PRIVATE-MARKER-SESSION").expect(&sessions);
    assert!(log < planned, "{sessions}");
    assert!(sessions.contains("2 May 2026 · Call review"), "{sessions}");
    assert!(ann.contains("class=\"handout-only handout-notes\""));
    // The goals print once: the chart that repeats the plan's table stays
    // on the screen.
    assert!(ann.contains("<div class=\"charts handout-skip\">"));
}

#[test]
fn the_team_build_has_no_coaching_on_paper_and_leaves_out_empty_columns() {
    let site = small_with(Audience::Team, |_| {});
    let ann = site.main("people/ann-lee/index.html");
    assert!(!ann.contains("last-sessions-h"));
    assert!(!ann.contains("handout-notes"));
    assert!(
        ann.contains("recent-h"),
        "the last periods print for everyone"
    );
    // The small site has no CRM export, no cycle times and no new opportunities.
    let history = section(&ann, "history-h");
    for empty in [">Documented<", ">Cycle<", ">New opps<"] {
        assert!(!history.contains(empty), "{empty} in {history}");
    }
    for given in [">Win rate<", ">Coverage<", ">Forecast accuracy<"] {
        assert!(history.contains(given), "{given} missing from {history}");
    }
}

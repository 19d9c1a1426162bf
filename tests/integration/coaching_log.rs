//! Coaching delivered: `coaching/<rep>/log.yaml` and plans' sessions give
//! reps coached, sessions per rep and days since the last session, in the
//! managers' build only.

use crate::ramp::{row, small_with, text_of, tile, write};
use bullpen::vocab::Audience;
use std::path::Path;

/// Ann's log has a session on the day her plan has one (counted once) and
/// a call review; Cal has one session in Q2, Ben one in Q1, Dee none.
/// Ann's plan is paused now, and `max_days_between` is 60.
fn with_logs(root: &Path) {
    write(
        root,
        "content/coaching/ann-lee/log.yaml",
        "# Ann's sessions\n\
         - date: 2026-04-10\n  kind: one-on-one\n  coach: mia-ford\n  notes: LOG-MARKER-NOTES the same talk as in the plan\n\
         - date: 2026-05-02\n  kind: call-review\n  coach: mia-ford\n  call: LOG-MARKER-CALL Harbour discovery\n  scores: {logmarkerskill: 4}\n",
    );
    write(
        root,
        "content/coaching/cal-dunn/log.yaml",
        "- {date: 2026-05-20, kind: joint-call, coach: noah-kent, notes: LOG-MARKER-CAL joined the pricing call}\n",
    );
    write(
        root,
        "content/coaching/ben-cole/log.yaml",
        "- {date: 2026-03-15, kind: training, coach: mia-ford}\n",
    );
    let site_yaml = root.join("content/site.yaml");
    let text = std::fs::read_to_string(&site_yaml).unwrap() + "coaching:\n  max_days_between: 60\n";
    std::fs::write(site_yaml, text).unwrap();
    let plan = root.join("content/coaching/ann-lee/2026-Q2.md");
    let text = std::fs::read_to_string(&plan)
        .unwrap()
        .replace("status: active", "status: paused");
    std::fs::write(plan, text).unwrap();
}

#[test]
fn the_team_build_has_nothing_from_a_coaching_log() {
    let site = small_with(Audience::Team, with_logs);
    for (path, bytes) in &site.files {
        assert!(!path.contains("coaching"), "{path}");
        let text = String::from_utf8_lossy(bytes);
        for private in [
            "LOG-MARKER",
            "logmarkerskill",
            "Logmarkerskill",
            "Harbour discovery",
            "log.yaml",
            "Reps coached",
            "Sessions per rep",
            "sessions per rep",
            "Coaching sessions",
            "Call review",
            "Joint call",
            "No session",
        ] {
            assert!(!text.contains(private), "{private} in {path}");
        }
    }
}

#[test]
fn the_managers_build_counts_coaching_delivered() {
    let site = small_with(Audience::Managers, with_logs);
    let home = site.main("index.html");
    // Q2: Ann (2 sessions: the plan's 10 April is the log's) and Cal (1)
    // of the 4 reps with figures; 3 sessions over 4 reps is 0.75, shown
    // rounded half away from zero. Q1: Ben, 1 of 3.
    assert_eq!(
        tile(&home, "Reps coached"),
        "Reps coached 50.0% 0.8 sessions per rep +16.7 pts vs previous"
    );
    // Ann's plan is paused today; it was Q2's plan all the same.
    let coverage = tile(&home, "Coaching coverage");
    assert!(
        coverage.starts_with("Coaching coverage 25.0%"),
        "{coverage}"
    );

    // As of 30 June: Ann's last session 59 days before, within 60; Ben's
    // 107 days; Dee none.
    let index = site.main("coaching/index.html");
    let text = text_of(&index);
    assert!(
        text.contains("Reps coached, Q2 2026 50.0% · 1 of 2 reps Sessions per rep 1.0 Since the last session 59 days · 2 May 2026"),
        "{text}"
    );
    assert!(
        text.contains("Since the last session 41 days · 20 May 2026"),
        "{text}"
    );
    assert_eq!(
        row(&index, "coach-1", ">Ann Lee<"),
        "Ann Lee 2 2 May 2026 59 days"
    );
    assert_eq!(
        row(&index, "coach-1", ">Ben Cole<"),
        "Ben Cole No session for 107 days 0 15 Mar 2026"
    );
    assert!(
        row(&index, "coach-2", ">Dee Hart<").starts_with("Dee Hart No session yet 0"),
        "{index}"
    );
    assert!(text.contains("more than 60 days is flagged"), "{text}");

    // The rep page lists the log, newest first.
    let ann = text_of(&site.main("people/ann-lee/index.html"));
    assert!(
        ann.contains("2 May 2026 · Call review with Mia Ford · LOG-MARKER-CALL Harbour discovery Scores: Logmarkerskill 4 10 Apr 2026 · One-on-one with Mia Ford LOG-MARKER-NOTES"),
        "{ann}"
    );
}

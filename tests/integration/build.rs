//! The fixture's figures, computed by hand, appear on the right pages.

use crate::support::{build, fixture, repo_root};
use bullpen::vocab::Audience;

#[test]
fn home_shows_team_attainment_and_its_change() {
    let site = build(&fixture("small"), Audience::Team);
    let home = site.main("index.html");
    // Q2: Σclosed_won 300,000 / Σquota 340,000 = 88.2%; Q1 was 260/300 = 86.7%.
    assert!(home.contains("88.2%"), "{home}");
    assert!(home.contains("+1.6 pts"), "{home}");
    // Win rate: 13 won of 28 decided = 46.4%, up from 9/20 = 45.0%.
    assert!(home.contains("46.4%"), "{home}");
    assert!(home.contains("+1.4 pts"), "{home}");
    // Team North: 170,000 / 150,000 = 113.3%; South: 130,000 / 190,000 = 68.4%.
    assert!(home.contains("113.3%") && home.contains("68.4%"), "{home}");
    assert!(
        home.contains("$300,000") && home.contains("$340,000"),
        "{home}"
    );
    // The team build has no coaching coverage tile.
    assert!(!home.contains("Coaching coverage"), "{home}");
}

#[test]
fn rep_pages_show_their_figures_and_undefined_values() {
    let site = build(&fixture("small"), Audience::Team);
    let ann = site.main("people/ann-lee/index.html");
    // Ann, Q2: 5 won of 10 = 50.0%; Q1: 4 of 10 = 40.0%; +10.0 pts.
    assert!(ann.contains("50.0%") && ann.contains("+10.0 pts"), "{ann}");
    // Ann started before the figures begin: her ramp cannot be known.
    assert!(ann.contains("Started before the figures begin"), "{ann}");

    let ben = site.main("people/ben-cole/index.html");
    // Ben decided no deals in Q1: his win rate is undefined, shown as — with a reason.
    assert!(
        ben.contains(r#"title="No decided deals (won + lost = 0) in this period">—"#),
        "{ben}"
    );
    // Ben started in Q1 (60%) and reached quota in Q2 (120%): ramp of 2.
    assert!(ben.contains("2 quarters to reach 100.0%"), "{ben}");
    assert!(ben.contains("120.0%"), "{ben}");

    let dee = site.main("people/dee-hart/index.html");
    assert!(dee.contains("Ramping (1 quarter so far)"), "{dee}");
    assert!(dee.contains("25.0%"), "{dee}");
}

#[test]
fn team_pages_roll_up_their_reps() {
    let site = build(&fixture("small"), Audience::Managers);
    let mia = site.main("people/mia-ford/index.html");
    // North in Q2: 170,000 of 150,000 = 113.3%; forecast 160,000 → 1 − 10/170 = 94.1%.
    assert!(mia.contains("113.3%") && mia.contains("94.1%"), "{mia}");
    // Managers see coaching coverage: 1 coached rep (Ann) of 2 with figures.
    assert!(
        mia.contains("Coaching coverage") && mia.contains("50.0%"),
        "{mia}"
    );
    let lee = site.main("people/lee-ross/index.html");
    assert!(
        lee.contains("88.2%") && lee.contains("North") && lee.contains("South"),
        "{lee}"
    );
}

#[test]
fn playbooks_render_with_contents_and_rewritten_links() {
    let site = build(&fixture("small"), Audience::Team);
    let page = site.main("playbooks/basics/first-call/index.html");
    assert!(
        page.contains(r#"href="../../../playbooks/basics/second-call/#pricing-questions""#),
        "{page}"
    );
    assert!(
        page.contains(r##"<a href="#opening">Opening</a>"##),
        "{page}"
    );
    assert!(
        page.contains("<del>Guessing</del>")
            && page.contains(r#"type="checkbox""#)
            && page.contains("footnote"),
        "{page}"
    );
    // A playbook without front matter takes its title from its first
    // heading, which keeps its id.
    let legacy = site.main("playbooks/basics/second-call/index.html");
    assert!(
        legacy.contains(r#"<h1 id="second-call">Second call</h1>"#),
        "{legacy}"
    );
    assert_eq!(
        legacy.matches("Second call").count(),
        2,
        "the title once as h1 and once in the breadcrumb: {legacy}"
    );
    let index = site.main("playbooks/index.html");
    assert!(
        index.contains("The basics") && index.contains("Discovery"),
        "{index}"
    );
}

#[test]
fn a_site_theme_overrides_built_in_templates_and_adds_static_files() {
    let site = build(&fixture("small"), Audience::Team);
    assert!(site.page("404.html").contains("ACME-CUSTOM-404"));
    assert!(site.files.contains_key("static/acme.css"));
    // Templates the theme does not override still come from the built-in theme.
    assert!(site.files.contains_key("static/style.css"));
    assert!(site.page("index.html").contains("Team dashboard"));
}

#[test]
fn pages_are_the_ones_design_lists() {
    let site = build(&fixture("small"), Audience::Team);
    for path in [
        "index.html",
        "periods/index.html",
        "periods/2026-q1/index.html",
        "periods/2026-q2/index.html",
        "teams/index.html",
        "people/index.html",
        "people/ann-lee/index.html",
        "people/mia-ford/index.html",
        "playbooks/index.html",
        "playbooks/basics/index.html",
        "reports/index.html",
        "reports/q2-review/index.html",
        "404.html",
        "sitemap.xml",
    ] {
        assert!(site.files.contains_key(path), "missing {path}");
    }
    let sitemap = site.page("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://fixture.example.com/sales/people/ann-lee/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("404"), "{sitemap}");
    // The archived period page keeps the period's own figures.
    assert!(site.main("periods/2026-q1/index.html").contains("86.7%"));
}

#[test]
fn building_twice_gives_identical_output() {
    let first = build(&fixture("small"), Audience::Managers);
    let second = build(&fixture("small"), Audience::Managers);
    assert_eq!(first.files, second.files);
    let demo_a = build(&repo_root(), Audience::Managers);
    let demo_b = build(&repo_root(), Audience::Managers);
    assert_eq!(demo_a.files, demo_b.files);
}

#[test]
fn the_demo_builds_for_both_audiences() {
    let team = build(&repo_root(), Audience::Team);
    let managers = build(&repo_root(), Audience::Managers);
    assert!(team.files.len() > 40, "{}", team.files.len());
    assert!(managers.files.len() > team.files.len());
    // The demo has a ramping hire and an undefined win rate to show.
    let all: String = team
        .files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(
        all.contains("Ramping ("),
        "the demo should have a ramping rep"
    );
    assert!(
        all.contains(r#"class="undefined""#),
        "the demo should show an undefined value"
    );
}

#[test]
fn the_search_index_finds_a_playbook_by_a_word_of_its_body() {
    let site = build(&fixture("small"), Audience::Team);
    let index: serde_json::Value =
        serde_json::from_slice(&site.files["search-index.json"]).unwrap();
    let entries = index.as_array().unwrap();
    let first_call = entries
        .iter()
        .find(|e| e["u"] == "playbooks/basics/first-call/")
        .expect("the playbook is indexed");
    assert_eq!(first_call["t"], "First call");
    assert_eq!(first_call["s"], "Playbooks › The basics");
    let words: Vec<&str> = first_call["w"].as_str().unwrap().split(' ').collect();
    assert!(
        words.contains(&"agenda") && words.contains(&"minutes"),
        "{words:?}"
    );
    // Pages of the managers' audience are not in the team's index.
    assert!(
        !entries
            .iter()
            .any(|e| e["u"].as_str().unwrap().contains("private-review"))
    );
    let managers = build(&fixture("small"), Audience::Managers);
    let index: serde_json::Value =
        serde_json::from_slice(&managers.files["search-index.json"]).unwrap();
    assert!(
        index
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["u"] == "reports/private-review/")
    );
}

#[test]
fn the_search_script_works_from_disk_and_keeps_coaching_plans_for_managers() {
    let index = |site: &crate::support::Site| -> Vec<serde_json::Value> {
        // The script defines one global holding the same entries as the JSON.
        let script = std::str::from_utf8(&site.files["search-index.js"]).unwrap();
        let json = script
            .strip_prefix("window.bullpenSearchIndex = ")
            .and_then(|rest| rest.trim_end().strip_suffix(';'))
            .expect("the index is one assignment");
        assert_eq!(
            json.trim(),
            std::str::from_utf8(&site.files["search-index.json"])
                .unwrap()
                .trim()
        );
        serde_json::from_str::<serde_json::Value>(json)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    };
    let team = index(&build(&fixture("small"), Audience::Team));
    assert!(
        !team
            .iter()
            .any(|e| e["u"].as_str().unwrap().starts_with("coaching/") || e["s"] == "Coaching"),
        "no coaching plan in the team's search"
    );
    let first_call = team
        .iter()
        .find(|e| e["u"] == "playbooks/basics/first-call/")
        .unwrap();
    assert_eq!(first_call["h"], "Opening · Qualifying");
    assert!(first_call["b"].as_str().unwrap().contains("agenda"));
    let ann = team.iter().find(|e| e["t"] == "Ann Lee").unwrap();
    assert_eq!(ann["x"], "Rep · North");
    assert!(
        !team
            .iter()
            .any(|e| e["w"].as_str().unwrap().split(' ').any(|w| w == "nbsp"))
    );
    let managers = index(&build(&fixture("small"), Audience::Managers));
    let plan = managers
        .iter()
        .find(|e| e["u"] == "coaching/ann-lee/2026-q2/")
        .expect("the managers' search finds the coaching plan");
    assert_eq!(plan["s"], "Coaching");
    assert!(plan["t"].as_str().unwrap().contains("Ann Lee"), "{plan}");
}

#[test]
fn tags_and_the_changes_feed() {
    let site = build(&fixture("small"), Audience::Team);
    let tags = site.main("tags/index.html");
    assert!(
        tags.contains(r#"<h2 id="tag-discovery">discovery</h2>"#),
        "{tags}"
    );
    assert!(tags.contains("First call"));
    let feed = site.page("playbooks.atom");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "feed");
    assert!(
        doc.root_element()
            .children()
            .any(|n| n.has_tag_name("updated"))
    );
}

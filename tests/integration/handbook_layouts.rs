//! Three handbook layouts as teams bring them, each building with only a
//! short site.yaml: plain Markdown with raw HTML tables (GitLab's
//! handbook, a GitHub wiki), Hugo front matter with links from the old
//! site's root, and Docusaurus / MkDocs (`index.md`, `sidebar_position`,
//! `slug`).

use crate::support::{self, Site};
use bullpen::error::{Diagnostic, Severity};
use bullpen::vocab::Audience;
use std::path::Path;

fn build(fixture: &str) -> Site {
    support::build_in_place(&support::fixture(fixture), Audience::Team)
}

/// Every finding of `check`, as `severity file:line: message`.
fn check(fixture: &str) -> Vec<Diagnostic> {
    bullpen::pipeline::check(&support::fixture(fixture))
        .unwrap()
        .diagnostics
}

fn errors(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

/// The text of a page's `<h1 …>`, tags aside.
fn h1(page: &str) -> String {
    let start = page.find("<h1").expect("an <h1>");
    let end = page[start..].find("</h1>").unwrap() + start;
    let inner = &page[page[start..].find('>').unwrap() + start + 1..end];
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.trim().to_string()
}

#[test]
fn plain_markdown_with_html_tables_builds_clean_with_owners_from_codeowners() {
    let found = check("handbook-plain");
    assert!(found.is_empty(), "{found:?}");
    let site = build("handbook-plain");
    // README.md gives each folder its section page and its title.
    assert_eq!(h1(&site.page("playbooks/sdr/index.html")), "SDR team");
    assert_eq!(
        h1(&site.page("playbooks/enterprise/index.html")),
        "Enterprise deals"
    );
    // The top folder's README introduces the playbook index.
    assert!(
        site.page("playbooks/index.html")
            .contains("How the sales team works.")
    );
    assert!(
        !site.files.contains_key("playbooks/sdr/README/index.html"),
        "README.md is no playbook"
    );
    // A page that starts at `##` takes its title from it and keeps its id.
    let calling = site.page("playbooks/sdr/cold-calling/index.html");
    assert!(
        calling.contains(r#"<h1 id="cold-calling">Cold calling"#),
        "{calling}"
    );
    assert!(
        calling.contains("<td>Open</td>"),
        "raw HTML tables are kept"
    );
    assert!(calling.contains(r#"src="../../../playbooks/sdr/images/funnel.svg""#));
    assert!(site.files.contains_key("playbooks/sdr/images/funnel.svg"));
    // Anchors across pages resolve.
    assert!(calling.contains(r#"href="../../../playbooks/sdr/objections/#handling-price""#));
    assert!(
        site.page("playbooks/sdr/objections/index.html")
            .contains(r#"id="handling-price""#)
    );
    let objections = site.page("playbooks/sdr/objections/index.html");
    assert!(objections.contains(r#"href="../../../playbooks/sdr/cold-calling/#cold-calling""#));
    // Links out of content/ go to the old handbook.
    assert!(
        site.page("playbooks/index.html")
            .contains(r#"href="https://handbook.example.com/company/values.md#trust""#)
    );
    assert!(
        site.page("playbooks/enterprise/index.html")
            .contains(r#"href="https://handbook.example.com/handbook/marketing/""#)
    );
    // CODEOWNERS: the last matching line wins.
    assert!(calling.contains("Sam Ortiz"));
    assert!(
        site.page("playbooks/enterprise/mutual-plans/index.html")
            .contains("Dana Lee")
    );
}

#[test]
fn hugo_front_matter_and_links_from_the_site_root_build_with_two_grouped_warnings() {
    let found = check("handbook-hugo");
    assert!(errors(&found).is_empty(), "{found:?}");
    let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "1 page is left out of the build as `draft: true`",
            "front matter Bullpen does not read was left out of 1 imported page: 1 key",
        ]
    );
    assert_eq!(found[0].items(), ["enterprise/old-pricing"]);
    assert_eq!(found[1].items(), ["`layout` (1)"]);
    let site = build("handbook-hugo");
    assert!(
        site.page("playbooks/index.html")
            .contains("The sales handbook, moved from the company site.")
    );
    let enterprise = site.page("playbooks/enterprise/index.html");
    assert_eq!(h1(&enterprise), "Enterprise");
    assert!(
        site.page("playbooks/index.html")
            .contains("Deals above $100k."),
        "description is the summary"
    );
    // `weight`: negotiation (10) before discovery (20); the draft is left out.
    let negotiation = enterprise.find("enterprise/negotiation/").unwrap();
    let discovery = enterprise.find("enterprise/discovery/").unwrap();
    assert!(negotiation < discovery);
    assert!(!enterprise.contains("Old pricing"));
    assert!(
        !site
            .files
            .contains_key("playbooks/enterprise/old-pricing/index.html")
    );
    // `links.base`: links from the old site's root under /handbook/sales/
    // reach the pages here, anchors kept; others go to `links.outside`.
    let page = site.page("playbooks/enterprise/discovery/index.html");
    assert!(
        page.contains(r#"href="../../../playbooks/enterprise/negotiation/#walk-away""#),
        "{page}"
    );
    assert!(page.contains(r#"href="https://about.example.com/handbook/marketing/""#));
    assert!(
        !page.contains(r#"href="/handbook/"#),
        "no link left to the old root"
    );
    assert!(
        site.page("playbooks/enterprise/negotiation/index.html")
            .contains(r#"id="walk-away""#)
    );
    // An alias is a redirect page, and a link to it goes to the page.
    let redirect = site.page("handbook/sales/enterprise/discovery-calls/index.html");
    assert!(redirect.contains(
        r#"<meta http-equiv="refresh" content="0; url=../../../../playbooks/enterprise/discovery/">"#
    ));
    assert!(page.contains(r#"href="../../../playbooks/enterprise/discovery/""#));
    // The section page's owner covers its playbooks.
    assert!(
        site.page("playbooks/enterprise/negotiation/index.html")
            .contains("Dana Lee")
    );
}

#[test]
fn a_link_under_links_base_to_no_page_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    crate::audience::copy_dir(&support::fixture("handbook-hugo"), dir.path());
    let page = dir
        .path()
        .join("content/playbooks/enterprise/negotiation.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        format!("{text}\nSee [gone](/handbook/sales/gone/).\n"),
    )
    .unwrap();
    let found = bullpen::pipeline::check(dir.path()).unwrap().diagnostics;
    let broken: Vec<String> = errors(&found)
        .iter()
        .map(|d| {
            format!(
                "{}:{}: {}",
                d.file.display(),
                d.line.unwrap_or(0),
                d.message
            )
        })
        .collect();
    assert_eq!(
        broken,
        [
            "content/playbooks/enterprise/negotiation.md:11: the link `/handbook/sales/gone/` is under `links.base`, but content/playbooks/gone.md does not exist (nor a page of that address)"
        ]
    );
}

#[test]
fn docusaurus_and_mkdocs_index_pages_positions_and_slugs() {
    let found = check("handbook-docusaurus");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].severity, Severity::Warning);
    assert_eq!(
        found[0].file,
        Path::new("content/playbooks/onboarding/first-week.md")
    );
    assert_eq!(
        found[0].line,
        Some(8),
        "the template tag's line, code aside"
    );
    let site = build("handbook-docusaurus");
    assert!(site.page("playbooks/index.html").contains("Start with"));
    let onboarding = site.page("playbooks/onboarding/index.html");
    assert_eq!(h1(&onboarding), "Onboarding");
    assert_eq!(h1(&site.page("playbooks/closing/index.html")), "Closing");
    assert!(
        !site
            .files
            .contains_key("playbooks/onboarding/index/index.html")
    );
    // `sidebar_position`: tools (1) before the first week (2).
    let tools = onboarding.find("onboarding/crm-and-tools/").unwrap();
    let week = onboarding.find("onboarding/first-week/").unwrap();
    assert!(tools < week);
    // `slug` names the address; links still name the file, anchors kept.
    assert!(
        !site
            .files
            .contains_key("playbooks/onboarding/tools/index.html")
    );
    let page = site.page("playbooks/onboarding/crm-and-tools/index.html");
    assert_eq!(h1(&page), "CRM and tools");
    assert!(page.contains(r#"href="../../../playbooks/onboarding/first-week/#day-one""#));
    assert!(
        site.page("playbooks/onboarding/first-week/index.html")
            .contains(r#"id="day-one""#)
    );
    assert!(
        site.page("playbooks/closing/redlines/index.html")
            .contains(r#"href="../../../playbooks/onboarding/crm-and-tools/""#)
    );
    // Owners from each folder's index.md.
    assert!(page.contains("Dana Lee"));
    assert!(
        site.page("playbooks/closing/redlines/index.html")
            .contains("Dana Lee")
    );
}

//! Bringing an existing handbook: section pages from `index.md`,
//! `README.md` and `_index.md`, titles from any heading, links out of
//! content/, other tools' front matter, redirects and owners.

use crate::support::{self, Site};
use bullpen::error::{Diagnostic, Severity};
use bullpen::vocab::Audience;
use std::path::Path;

/// A copy of the handbook fixture (CODEOWNERS included), changed by `edit`.
fn handbook(edit: impl Fn(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::audience::copy_dir(&support::fixture("handbook"), dir.path());
    edit(dir.path());
    dir
}

fn build(root: &Path) -> Site {
    support::build_in_place(root, Audience::Team)
}

fn check(root: &Path) -> Vec<Diagnostic> {
    bullpen::pipeline::check(root).unwrap().diagnostics
}

fn errors(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {}", d.file.display(), d.message))
        .collect()
}

fn write(root: &Path, file: &str, text: &str) {
    let path = root.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The `<h1 …>…</h1>` of a page.
fn h1(page: &str) -> &str {
    let start = page.find("<h1").expect("an <h1>");
    let end = page[start..].find("</h1>").unwrap() + start + "</h1>".len();
    &page[start..end]
}

#[test]
fn an_imported_handbook_builds_without_errors_and_with_three_warnings() {
    let dir = handbook(|_| {});
    let found = check(dir.path());
    assert!(errors(&found).is_empty(), "{:?}", errors(&found));
    let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    let shortcode = found
        .iter()
        .find(|d| d.message.contains("template tag"))
        .expect("a warning for the shortcode");
    assert_eq!(
        shortcode.file,
        Path::new("content/playbooks/enterprise/mutual-plan.md")
    );
    assert_eq!(shortcode.line, Some(6));
    assert!(
        shortcode
            .message
            .starts_with("`{{< youtube mutual-plans >}}`")
    );
    let draft = found
        .iter()
        .find(|d| d.message == "1 page is left out of the build as `draft: true`")
        .expect("one warning for the drafts");
    assert_eq!(draft.items(), ["sdr-team/old-scripts"]);
    let keys = found
        .iter()
        .find(|d| {
            d.message
                == "front matter Bullpen does not read was left out of 2 imported pages: 2 keys"
        })
        .expect("one warning for the keys set aside");
    assert_eq!(keys.items(), ["`layout` (1)", "`menu` (1)"]);
}

#[test]
fn section_pages_come_from_index_readme_and_underscore_index() {
    let site = build(handbook(|_| {}).path());
    let sdr = site.page("playbooks/sdr-team/index.html");
    assert_eq!(
        h1(&sdr),
        r#"<h1 id="sdr-team">SDR <strong>team</strong></h1>"#
    );
    assert!(sdr.contains("<title>SDR team ·"), "plain text in <title>");
    assert!(sdr.contains("books first meetings"), "the intro is shown");
    assert!(!sdr.contains("**"), "no literal asterisks");
    assert!(
        !site
            .files
            .contains_key("playbooks/sdr-team/index/index.html"),
        "index.md is not a playbook called index"
    );
    let enterprise = site.page("playbooks/enterprise/index.html");
    assert!(
        h1(&enterprise).contains(r#"<a href="https://handbook.example.com/glossary/#ae">AE</a>"#),
        "{}",
        h1(&enterprise)
    );
    let smb = site.page("playbooks/smb/index.html");
    // A front-matter title's inline Markdown is drawn too, and plain elsewhere.
    assert_eq!(h1(&smb), "<h1>Small <strong>business</strong></h1>");
    assert!(smb.contains("<title>Small business ·"));
    assert!(!site.page("playbooks/smb/pricing/index.html").contains("**"));
    // The top-level README's link to a folder goes to its section page.
    let index = site.page("playbooks/index.html");
    assert!(!index.contains("Sdr-team") && !index.contains("Sdr team"));
    assert!(!index.contains("No stage"), "no list repeating every page");
}

#[test]
fn playbooks_are_ordered_by_weight_then_by_name() {
    let site = build(handbook(|_| {}).path());
    let section = site.main("playbooks/sdr-team/index.html");
    let at = |name: &str| {
        section
            .find(name)
            .unwrap_or_else(|| panic!("{name} is not listed"))
    };
    // weight 1, then sidebar_position 2, then no weight.
    assert!(at("Cold calls") < at("Objections"));
    assert!(at("Objections") < at("Prospecting basics"));
    assert!(!section.contains("Old scripts"), "a draft is left out");
    assert!(
        !site
            .files
            .contains_key("playbooks/sdr-team/old-scripts/index.html")
    );
}

#[test]
fn titles_come_from_any_heading_and_keep_their_ids() {
    let site = build(handbook(|_| {}).path());
    let page = |path: &str| site.page(&format!("playbooks/{path}/index.html"));
    assert_eq!(
        h1(&page("sdr-team/prospecting")),
        r#"<h1 id="prospecting-basics">Prospecting basics</h1>"#
    );
    assert_eq!(
        h1(&page("sdr-team/cold-calls")),
        r#"<h1 id="cold-calls"><strong>Cold</strong> calls</h1>"#
    );
    assert_eq!(
        h1(&page("smb/pricing")),
        r#"<h1 id="the-list-price-rule">The list price rule</h1>"#
    );
    assert_eq!(
        h1(&page("smb/discovery")),
        r#"<h1 id="discovery-for-smb">Discovery for <code>SMB</code></h1>"#
    );
    assert_eq!(h1(&page("smb/no-heading-page")), "<h1>No heading page</h1>");
    // Only once: the heading is the title, not also the first line of the body.
    assert_eq!(
        page("sdr-team/prospecting")
            .matches("Prospecting basics</h")
            .count(),
        1
    );
    // Links to a title heading's id land on the <h1>.
    let prospecting = page("sdr-team/prospecting");
    assert!(prospecting.contains(r#"href="../../../playbooks/sdr-team/cold-calls/#cold-calls""#));
    assert!(prospecting.contains(r#"href="../../../playbooks/smb/pricing/#the-list-price-rule""#));
    // A draft's link becomes text.
    assert!(prospecting.contains("old scripts") && !prospecting.contains("old-scripts"));
    // Plain text wherever a title is text.
    let search = String::from_utf8(site.files["search-index.json"].clone()).unwrap_or_default();
    assert!(!search.contains("**"), "{search}");
}

#[test]
fn links_out_of_content_go_to_the_old_handbook() {
    let site = build(handbook(|_| {}).path());
    let prospecting = site.page("playbooks/sdr-team/prospecting/index.html");
    assert!(prospecting.contains(r#"href="https://handbook.example.com/handbook/marketing/""#));
    let discovery = site.page("playbooks/smb/discovery/index.html");
    assert!(
        discovery
            .contains(r#"href="https://handbook.example.com/handbook/marketing/personas.md#smb""#)
    );
    let index = site.page("playbooks/index.html");
    assert!(index.contains(r#"href="https://handbook.example.com/company/values.md""#));
    assert!(
        index.contains(r#"href="../playbooks/sdr-team/""#),
        "a folder link"
    );
}

#[test]
fn aliases_become_redirect_pages_and_slugs_rename_pages() {
    let site = build(handbook(|_| {}).path());
    for (alias, up) in [
        ("handbook/sales/sdr/cold-calling/index.html", "../../../../"),
        ("playbooks/sdr-team/calling/index.html", "../../../"),
    ] {
        let page = site.page(alias);
        assert!(
            page.contains(&format!(
                r#"<meta http-equiv="refresh" content="0; url={up}playbooks/sdr-team/cold-calls/">"#
            )),
            "{page}"
        );
        assert!(page.contains(r#"<link rel="canonical" href="/playbooks/sdr-team/cold-calls/">"#));
    }
    assert!(
        site.files
            .contains_key("playbooks/sdr-team/handling-objections/index.html")
    );
    assert!(
        !site
            .files
            .contains_key("playbooks/sdr-team/objections/index.html")
    );
    // Links name the file; they go to the slug's address.
    let cold_calls = site.page("playbooks/sdr-team/prospecting/index.html");
    assert!(cold_calls.contains("playbooks/sdr-team/handling-objections/"));
}

#[test]
fn an_alias_that_could_leave_the_output_is_an_error() {
    let dir = handbook(|root| {
        write(
            root,
            "content/playbooks/smb/pricing.md",
            "---\naliases: [../../../etc/passwd]\n---\n# Pricing\n",
        )
    });
    let errors = errors(&check(dir.path()));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("the alias `../../../etc/passwd` is not an address"),
        "{errors:?}"
    );
}

#[test]
fn owners_come_from_front_matter_then_section_pages_then_codeowners() {
    let site = build(handbook(|_| {}).path());
    let owner = |path: &str| {
        let page = site.page(&format!("playbooks/{path}/index.html"));
        let at = page.find("<dt>Owner</dt>").unwrap();
        page[at..at + 200].to_string()
    };
    // smb/_index.md names sam-ortiz.
    assert!(
        owner("smb/pricing").contains("Sam Ortiz"),
        "{}",
        owner("smb/pricing")
    );
    // CODEOWNERS: enterprise by GitHub handle, sdr-team by email.
    assert!(owner("enterprise/champions").contains("Dana Lee"));
    assert!(owner("sdr-team/cold-calls").contains("Sam Ortiz"));
}

#[test]
fn many_playbooks_without_an_owner_are_one_warning() {
    let dir = handbook(|root| std::fs::remove_file(root.join("CODEOWNERS")).unwrap());
    let found = check(dir.path());
    let owners: Vec<&Diagnostic> = found
        .iter()
        .filter(|d| d.message.contains("no owner"))
        .collect();
    assert_eq!(owners.len(), 1, "{owners:?}");
    assert_eq!(owners[0].message, "5 playbooks have no owner");
    assert_eq!(
        owners[0].items()[..3],
        [
            "enterprise/champions",
            "enterprise/mutual-plan",
            "sdr-team/cold-calls"
        ]
    );
}

#[test]
fn grouped_warnings_are_one_line_and_their_list_comes_with_verbose_and_in_json() {
    let dir = handbook(|root| std::fs::remove_file(root.join("CODEOWNERS")).unwrap());
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_bullpen"))
            .arg("check")
            .arg("--root")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    let short = run(&[]);
    assert!(
        short.contains("warning: 5 playbooks have no owner\n"),
        "{short}"
    );
    assert!(
        short.contains("= note: all 5 are listed with `--verbose`"),
        "{short}"
    );
    assert!(!short.contains("enterprise/champions"), "{short}");
    let long = run(&["--verbose"]);
    assert!(long.contains("  - enterprise/champions\n"), "{long}");
    assert!(
        long.contains("  - sdr-team/handling-objections\n"),
        "{long}"
    );
    let json: serde_json::Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    let owners = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"] == "5 playbooks have no owner")
        .expect("the grouped warning in JSON");
    assert_eq!(owners["items"].as_array().unwrap().len(), 5);
    let github = run(&["--format", "github"]);
    assert!(
        github.contains("5 playbooks have no owner: enterprise/champions, "),
        "{github}"
    );
}

#[test]
fn without_links_outside_a_link_out_of_content_is_an_error_and_warn_downgrades_it() {
    let dir = handbook(|root| write(root, "content/site.yaml", "title: Imported\n"));
    let found = errors(&check(dir.path()));
    assert!(
        found
            .iter()
            .any(|e| e.contains("points outside content/; set `links.outside:`")),
        "{found:?}"
    );
    let dir = handbook(|root| {
        write(
            root,
            "content/site.yaml",
            "title: Imported\nlinks:\n  missing: warn\n",
        );
        write(
            root,
            "content/playbooks/smb/gone.md",
            "# Gone\n\n[x](nowhere.md)\n",
        );
    });
    let found = check(dir.path());
    assert!(errors(&found).is_empty(), "{:?}", errors(&found));
    assert!(found.iter().any(|d| {
        d.severity == Severity::Warning
            && d.message
                .contains("content/playbooks/smb/nowhere.md, which does not exist")
    }));
    // And the site builds.
    build(dir.path());
}

#[test]
fn a_folder_with_two_section_pages_is_an_error_naming_both() {
    let dir = handbook(|root| write(root, "content/playbooks/sdr-team/README.md", "# SDR\n"));
    let errors = errors(&check(dir.path()));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("README.md") && errors[0].contains("index.md"),
        "{errors:?}"
    );
}

#[test]
fn a_page_that_fails_to_load_is_reported_once() {
    let dir = handbook(|root| {
        write(
            root,
            "content/playbooks/smb/pricing.md",
            "---\ntitle: [unclosed\n---\n# x\n",
        )
    });
    let errors = errors(&check(dir.path()));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("content/playbooks/smb/pricing.md"),
        "{errors:?}"
    );
    assert!(!errors[0].contains("does not exist"));
}

#[test]
fn bullpens_own_pages_keep_the_error_for_an_unknown_key() {
    let dir = handbook(|root| {
        write(
            root,
            "content/playbooks/smb/pricing.md",
            "---\nowner: sam-ortiz\nstgae: closing\n---\n# Pricing\n",
        )
    });
    let errors = errors(&check(dir.path()));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("stgae"), "{errors:?}");
}

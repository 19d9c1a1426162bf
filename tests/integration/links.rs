//! Every internal `href` and `src` in the output resolves, anchors included.

use crate::support::{Site, build, fixture, repo_root};
use bullpen::model::Audience;
use std::collections::{BTreeMap, BTreeSet};

/// The values of every `href="…"` and `src="…"` in a page.
fn references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(start) = rest.find(attribute) {
            rest = &rest[start + attribute.len()..];
            let end = rest.find('"').unwrap();
            found.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    found
}

/// The ids in a page.
fn ids(html: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut rest = html;
    while let Some(start) = rest.find(" id=\"") {
        rest = &rest[start + 5..];
        let end = rest.find('"').unwrap();
        ids.insert(rest[..end].to_string());
    }
    ids
}

/// Resolves `reference` from the page at `page` to an output file and anchor.
fn resolve(page: &str, reference: &str, base_path: &str) -> (String, Option<String>) {
    let (path, anchor) = match reference.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (reference, None),
    };
    if path.is_empty() {
        return (page.to_string(), anchor);
    }
    let mut parts: Vec<&str> = if let Some(absolute) = path.strip_prefix(base_path) {
        return (
            finish(
                absolute.split('/').filter(|p| !p.is_empty()).collect(),
                path.ends_with('/'),
            ),
            anchor,
        );
    } else {
        page.split('/').collect()
    };
    parts.pop();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                assert!(
                    parts.pop().is_some(),
                    "{reference} from {page} climbs out of the site"
                );
            }
            part => parts.push(part),
        }
    }
    (finish(parts, path.ends_with('/')), anchor)
}

fn finish(parts: Vec<&str>, directory: bool) -> String {
    let joined = parts.join("/");
    if directory || joined.is_empty() {
        format!(
            "{}index.html",
            if joined.is_empty() {
                String::new()
            } else {
                format!("{joined}/")
            }
        )
    } else {
        joined
    }
}

/// Checks every internal link of a built site; returns the broken ones.
pub fn broken_links(site: &Site, base_path: &str) -> Vec<String> {
    let pages: BTreeMap<&String, String> = site
        .files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8_lossy(b).into_owned()))
        .collect();
    let mut broken = Vec::new();
    for (page, html) in &pages {
        for reference in references(html) {
            if reference.contains("://")
                || reference.starts_with("mailto:")
                || reference.starts_with("tel:")
            {
                continue;
            }
            let (target, anchor) = resolve(page, &reference, base_path);
            if !site.files.contains_key(&target) {
                broken.push(format!("{page}: {reference} → {target} does not exist"));
                continue;
            }
            if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
                let target_html = pages.get(&target).cloned().unwrap_or_default();
                if !ids(&target_html).contains(&anchor) {
                    broken.push(format!(
                        "{page}: {reference} → no id `{anchor}` in {target}"
                    ));
                }
            }
        }
    }
    broken
}

#[test]
fn every_link_in_the_fixture_resolves() {
    for audience in [Audience::Team, Audience::Managers] {
        let site = build(&fixture("small"), audience);
        let broken = broken_links(&site, "/sales/");
        assert!(broken.is_empty(), "{audience:?}: {broken:#?}");
    }
}

#[test]
fn every_link_in_the_demo_resolves() {
    for audience in [Audience::Team, Audience::Managers] {
        let site = build(&repo_root(), audience);
        let broken = broken_links(&site, "/");
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
    assert_eq!(broken_links(&site, "/sales/").len(), 2);
}

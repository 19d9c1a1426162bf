//! Checking a built site: every internal `href` and `src` resolves to a
//! file of the site, and every `#anchor` to an id on its page. Entry:
//! [`broken_links`] (and [`read_site`] for a folder on disk).

use crate::output::MARKER;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

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
                if parts.pop().is_none() {
                    return (format!("(outside the site) {reference}"), None);
                }
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
pub fn broken_links(files: &BTreeMap<String, Vec<u8>>, base_path: &str) -> Vec<String> {
    let pages: BTreeMap<&String, String> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8_lossy(b).into_owned()))
        .collect();
    let mut broken = Vec::new();
    for (page, html) in &pages {
        for reference in references(html) {
            // Other sites and other schemes are not the site's to check.
            if reference.contains("://")
                || ["mailto:", "tel:", "data:", "javascript:"]
                    .iter()
                    .any(|s| reference.starts_with(s))
            {
                continue;
            }
            let (target, anchor) = resolve(page, &reference, base_path);
            if !files.contains_key(&target) {
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

/// Every file of a built site, by its path inside the folder.
pub fn read_site(dir: &Path) -> crate::error::Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    // A Pages checkout's history and Bullpen's marker are not the site.
    let not_the_site = |entry: &walkdir::DirEntry| {
        entry.depth() == 1 && (entry.file_name() == ".git" || entry.file_name() == MARKER)
    };
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| !not_the_site(entry))
    {
        let entry = entry.map_err(|err| crate::error::Error::Read {
            path: dir.to_path_buf(),
            source: err.into(),
        })?;
        if entry.file_type().is_file() {
            let relative = entry
                .path()
                .strip_prefix(dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            let bytes =
                std::fs::read(entry.path()).map_err(|source| crate::error::Error::Read {
                    path: entry.path().to_path_buf(),
                    source,
                })?;
            files.insert(relative, bytes);
        }
    }
    Ok(files)
}

/// The path part of a base URL (`https://x.example/handbook/` → `/handbook/`).
pub fn base_path(base_url: &str) -> String {
    match base_url.split_once("://") {
        Some((_, rest)) => rest
            .find('/')
            .map_or("/".to_string(), |i| rest[i..].to_string()),
        None => base_url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        pages
            .iter()
            .map(|(p, html)| (p.to_string(), html.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn finds_missing_files_and_anchors_and_skips_other_schemes() {
        let files = site(&[
            (
                "index.html",
                r##"<a href="people/">p</a><a href="people/#team">t</a><a href="gone/">g</a><a href="../../up">u</a><img src="data:,"><a href="mailto:a@b">m</a>"##,
            ),
            (
                "people/index.html",
                r#"<h2 id="team">Team</h2><a href="../index.html#nope">x</a>"#,
            ),
        ]);
        let broken = broken_links(&files, "/");
        assert_eq!(broken.len(), 3, "{broken:#?}");
        assert!(broken.iter().any(|b| b.contains("gone/index.html")));
        assert!(broken.iter().any(|b| b.contains("outside the site")));
        assert!(broken.iter().any(|b| b.contains("no id `nope`")));
        assert_eq!(base_path("https://x.example/handbook/"), "/handbook/");
    }
}

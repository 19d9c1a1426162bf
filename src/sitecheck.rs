//! Checking a built site: every internal `href` and `src` resolves to a
//! file of the site, and every `#anchor` to an id on its page. Entry:
//! [`broken_links`] (and [`read_site`] for a folder on disk).

use crate::output::MARKER;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What a page holds that links start from or point at.
#[derive(Debug, Default)]
struct Scan {
    /// Every `href`, `src` and `srcset` address, with entities decoded.
    references: Vec<String>,
    /// Every `id`, and every `name` of an `<a>`: what `#anchor` finds.
    anchors: BTreeSet<String>,
    /// The page ends inside a tag or comment: a quote or `>` never closed,
    /// which hides the rest of the page from a browser.
    unterminated: bool,
}

/// Collects a [`Scan`] from the HTML tokenizer, which reads attributes as
/// a browser does: quoted with `"` or `'` or not at all, in any case.
#[derive(Default)]
struct Collector(RefCell<Scan>);

impl TokenSink for Collector {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                let mut scan = self.0.borrow_mut();
                for attribute in &tag.attrs {
                    let value = attribute.value.to_string();
                    match &*attribute.name.local {
                        "href" | "src" => scan.references.push(value),
                        "srcset" => scan.references.extend(srcset(&value)),
                        "id" => {
                            scan.anchors.insert(value);
                        }
                        "name" if &*tag.name == "a" => {
                            scan.anchors.insert(value);
                        }
                        _ => {}
                    }
                }
                // Without a tree builder, the tokenizer is told which
                // elements hold text that is not markup.
                match &*tag.name {
                    "script" => return TokenSinkResult::RawData(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                        return TokenSinkResult::RawData(RawKind::Rawtext);
                    }
                    "title" | "textarea" => return TokenSinkResult::RawData(RawKind::Rcdata),
                    _ => {}
                }
            }
            // The tokenizer's only errors that name the end of input.
            Token::ParseError(message) if message.contains("EOF") => {
                self.0.borrow_mut().unterminated = true;
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// The addresses of a `srcset`: each candidate's URL, before its width or
/// density.
fn srcset(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split(',')
        .filter_map(|candidate| candidate.split_whitespace().next())
        .map(str::to_string)
}

fn scan(html: &str) -> Scan {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Collector::default(), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.into_inner()
}

/// Whether a reference leaves the site: another scheme (`https:`,
/// `mailto:`, `data:`) or another host (`//cdn.example.com/`).
fn is_external(reference: &str) -> bool {
    if reference.starts_with("//") {
        return true;
    }
    match reference.find([':', '/', '?', '#']) {
        Some(at) => at > 0 && reference[at..].starts_with(':'),
        None => false,
    }
}

/// Resolves `reference` from the page at `page` to an output file and anchor.
/// A browser drops the query, turns backslashes into `/` and decodes
/// percent-escapes before the server looks for the file.
fn resolve(page: &str, reference: &str, base_path: &str) -> (String, Option<String>) {
    let (path, anchor) = match reference.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (reference, None),
    };
    let path = path.split_once('?').map_or(path, |(path, _)| path);
    let path = path.replace('\\', "/");
    let path = percent_encoding::percent_decode_str(&path).decode_utf8_lossy();
    let path = path.as_ref();
    if path.is_empty() {
        return (page.to_string(), anchor);
    }
    if let Some(absolute) = path.strip_prefix(base_path) {
        let parts: Vec<&str> = absolute.split('/').filter(|p| !p.is_empty()).collect();
        return (finish(&parts.join("/"), path.ends_with('/')), anchor);
    }
    match crate::text::resolve_relative(page, path) {
        Some(resolved) => (finish(&resolved, path.ends_with('/')), anchor),
        None => (format!("(outside the site) {reference}"), None),
    }
}

/// The file a resolved path names: a folder's `index.html`.
fn finish(joined: &str, directory: bool) -> String {
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
        joined.to_string()
    }
}

/// Checks every internal link of a built site; returns the broken ones,
/// and pages that end inside a tag.
pub fn broken_links(files: &BTreeMap<String, Vec<u8>>, base_path: &str) -> Vec<String> {
    let pages: BTreeMap<&String, Scan> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, scan(&String::from_utf8_lossy(b))))
        .collect();
    let mut broken = Vec::new();
    for (page, found) in &pages {
        if found.unterminated {
            broken.push(format!(
                "{page}: the page ends inside a tag or comment (a quote or `>` is never closed)"
            ));
        }
        for reference in &found.references {
            // Other sites and other schemes are not the site's to check.
            if is_external(reference) {
                continue;
            }
            let (target, anchor) = resolve(page, reference, base_path);
            if !files.contains_key(&target) {
                broken.push(format!("{page}: {reference} → {target} does not exist"));
                continue;
            }
            if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
                let has = pages
                    .get(&target)
                    .is_some_and(|target| target.anchors.contains(&anchor));
                if !has {
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
        assert_eq!(
            crate::text::base_path("https://x.example/handbook/"),
            "/handbook/"
        );
    }

    #[test]
    fn an_unterminated_attribute_is_reported_not_a_panic() {
        let files = site(&[(
            "index.html",
            r#"<a href="index.html">p</a><a href="gone/>never closed"#,
        )]);
        let broken = broken_links(&files, "/");
        assert_eq!(broken.len(), 1, "{broken:#?}");
        assert!(broken[0].contains("ends inside a tag"), "{broken:#?}");
    }

    #[test]
    fn quoted_unquoted_and_upper_case_attributes_are_all_checked() {
        let files = site(&[
            (
                "index.html",
                concat!(
                    "<A HREF='gone/'>x</A><IMG SRC=missing.png>",
                    r#"<img srcset="a.png 1x, gone.png 2x" alt="">"#,
                    "<a href='people/#Team'>t</a><a href=\"people/#named\">n</a>",
                    r#"<a href="people/?sort=name&amp;x=1">q</a><a href="my%20file.css">s</a>"#,
                    r#"<a href='people/#nowhere'>n</a><a href="//cdn.example.com/x">c</a>"#,
                    r#"<a href="people\index.html">b</a><a href="what?/">w</a>"#,
                ),
            ),
            // A browser asks for `what/` here: the `?` starts a query.
            ("what?/index.html", ""),
            (
                "people/index.html",
                r#"<H2 ID='Team'>Team</H2><a NAME="named"></a>"#,
            ),
            ("a.png", ""),
            ("my file.css", ""),
        ]);
        let broken = broken_links(&files, "/");
        assert_eq!(broken.len(), 5, "{broken:#?}");
        for expected in [
            "gone/index.html",
            "missing.png",
            "gone.png",
            "no id `nowhere`",
            "what?/ → what does not exist",
        ] {
            assert!(
                broken.iter().any(|b| b.contains(expected)),
                "{expected}: {broken:#?}"
            );
        }
    }
}

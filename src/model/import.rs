//! Model stage: what `bullpen import` copies from an existing handbook and
//! what in it needs a person's decision, worked out in memory before
//! anything is written. Entry: [`plan`].
//!
//! The findings here are the ones `bullpen check` cannot make once the
//! files are in place (where a file came from, what was left behind, which
//! links left the old folder); everything `check` reports — names that
//! would break links, front matter, template tags, two section pages in a
//! folder — it reports itself, on the copied files.

use crate::error::Diagnostic;
use crate::load::import::{Found, SourceFile};

/// What to write and what to tell.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Each file to write, by its path from the site root
    /// (`content/playbooks/…`), with its bytes.
    pub files: Vec<(String, Vec<u8>)>,
    /// Files renamed on the way (`.markdown` → `.md`), from → to.
    pub renamed: Vec<(String, String)>,
    /// Files left behind, with why.
    pub skipped: Vec<(String, String)>,
    /// What needs a person's decision, on the copied files.
    pub decisions: Vec<Diagnostic>,
}

/// Plans copying `files` (read from the handbook's folder) into
/// `content/playbooks/<into>/`.
pub fn plan(files: &[SourceFile], into: &str) -> Plan {
    let into = into.trim_matches('/');
    let folder = if into.is_empty() {
        "content/playbooks".to_string()
    } else {
        format!("content/playbooks/{into}")
    };
    let mut plan = Plan::default();
    let mut untitled = Vec::new();
    let mut climbing = Vec::new();
    let mut absolute = Vec::new();
    for file in files {
        match &file.what {
            Found::Skipped(why) => plan.skipped.push((file.path.clone(), why.clone())),
            Found::Asset(bytes) => plan
                .files
                .push((format!("{folder}/{}", file.path), bytes.clone())),
            Found::Page(bytes) => {
                let path = match file.path.strip_suffix(".markdown") {
                    Some(stem) if files.iter().any(|f| f.path == format!("{stem}.md")) => {
                        plan.skipped.push((
                            file.path.clone(),
                            format!("`{stem}.md` is beside it, and only `.md` is read: merge the two by hand"),
                        ));
                        continue;
                    }
                    Some(stem) => {
                        let new = format!("{stem}.md");
                        plan.renamed.push((file.path.clone(), new.clone()));
                        new
                    }
                    None => file.path.clone(),
                };
                let target = format!("{folder}/{path}");
                let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
                let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
                if let Ok(split) = crate::load::frontmatter::split(text) {
                    let titled = split.yaml.is_some_and(|yaml| top_key(yaml, "title"))
                        || super::handbook::title_of(split.body).is_some();
                    if !titled {
                        untitled.push(target.clone());
                    }
                    for (line, url) in links(split.body, split.body_line) {
                        let place = format!("{target}:{line}");
                        if url.starts_with('/') {
                            absolute.push(format!("{place}: `{url}`"));
                        } else if crate::text::resolve_relative(&path, link_path(&url)).is_none() {
                            let reaches = crate::text::resolve_relative(&target, link_path(&url));
                            climbing.push(match reaches {
                                Some(reached) => {
                                    format!("{place}: `{url}` now reaches `{reached}`")
                                }
                                None => {
                                    format!("{place}: `{url}` now reaches above the repository")
                                }
                            });
                        }
                    }
                }
                plan.files.push((target, bytes.clone()));
            }
        }
    }
    if !untitled.is_empty() {
        plan.decisions.push(
            Diagnostic::warning(
                &folder,
                format!(
                    "{} no title and no heading: the file name is the title",
                    super::handbook::count(untitled.len(), "page has", "pages have")
                ),
            )
            .with_help("give each a `# Title` line or `title:` in front matter")
            .with_items(untitled),
        );
    }
    if !climbing.is_empty() {
        plan.decisions.push(
            Diagnostic::warning(
                &folder,
                format!(
                    "{} the imported folder",
                    super::handbook::count(climbing.len(), "link leaves", "links leave")
                ),
            )
            .with_help(
                "they are resolved from the page's new place in this repository: set `links.outside:` in content/site.yaml to the old handbook's address of this repository's root, and `links.missing: warn` while the move is under way",
            )
            .with_items(climbing),
        );
    }
    if !absolute.is_empty() {
        plan.decisions.push(
            Diagnostic::warning(
                &folder,
                format!(
                    "{} from the old site's root (`/…`)",
                    super::handbook::count(absolute.len(), "link starts", "links start")
                ),
            )
            .with_help(format!(
                "set `links.base:` in content/site.yaml to the old address of the imported folder (like `/handbook/sales/`) so links under it reach the pages in {folder}/, and `links.outside:` to the old site's address for the rest"
            ))
            .with_items(absolute),
        );
    }
    plan
}

/// Whether a front-matter block sets `key` at its top level.
fn top_key(yaml: &str, key: &str) -> bool {
    crate::load::frontmatter::top_keys(yaml)
        .iter()
        .any(|(k, _)| k == key)
}

/// A link's path, without its `#anchor` or `?query`.
fn link_path(url: &str) -> &str {
    url.split(['#', '?']).next().unwrap_or("")
}

/// The links and images of a page body that lead to another file of the
/// site (relative, or from the site's root), with their lines.
fn links(body: &str, first_line: usize) -> Vec<(usize, String)> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut found = Vec::new();
    for (event, range) in Parser::new(body).into_offset_iter() {
        let url = match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        let external = url.is_empty()
            || url.starts_with('#')
            || url.starts_with("//")
            || url
                .find([':', '/', '?', '#'])
                .is_some_and(|at| at > 0 && url[at..].starts_with(':'));
        if !external {
            let line = first_line + body[..range.start].matches('\n').count();
            found.push((line, url.to_string()));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            what: Found::Page(text.as_bytes().to_vec()),
        }
    }

    #[test]
    fn pages_are_planned_under_the_section_with_what_needs_a_decision() {
        let files = vec![
            page(
                "index.md",
                "# Sales\n\nSee [values](../company/values.md) and [plan](/handbook/sales/plan/).\n",
            ),
            page("notes.markdown", "no heading here\n"),
            SourceFile {
                path: "build.sh".into(),
                what: Found::Skipped("neither Markdown nor an image or PDF".into()),
            },
        ];
        let plan = plan(&files, "sales");
        let paths: Vec<&str> = plan.files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "content/playbooks/sales/index.md",
                "content/playbooks/sales/notes.md"
            ]
        );
        assert_eq!(
            plan.renamed,
            [("notes.markdown".to_string(), "notes.md".to_string())]
        );
        assert_eq!(plan.skipped.len(), 1);
        let messages: Vec<&str> = plan.decisions.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "1 page has no title and no heading: the file name is the title",
                "1 link leaves the imported folder",
                "1 link starts from the old site's root (`/…`)",
            ]
        );
        assert_eq!(
            plan.decisions[1].items(),
            [
                "content/playbooks/sales/index.md:3: `../company/values.md` now reaches `content/playbooks/company/values.md`"
            ]
        );
    }

    #[test]
    fn a_markdown_file_beside_its_md_twin_is_left_behind_not_renamed_over_it() {
        let files = vec![page("a.markdown", "# A\n"), page("a.md", "# A too\n")];
        let plan = plan(&files, "");
        let paths: Vec<&str> = plan.files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["content/playbooks/a.md"]);
        assert!(plan.renamed.is_empty());
        assert_eq!(plan.skipped[0].0, "a.markdown");
    }
}

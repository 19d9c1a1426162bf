//! Model stage: what pages brought from other tools' handbooks need —
//! titles from their first heading, old addresses (`aliases:`), front
//! matter set aside, template tags left in the text. Used by
//! [`super::playbooks`]; entry: [`title_of`].

use super::{MarkdownText, Playbook, Section};
use crate::error::{Diagnostic, Position};
use crate::load::Content;
use std::collections::BTreeMap;

/// `1 page is` or `3 pages are`.
pub(super) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A warning at each line of text (code aside) holding a template tag of
/// another site generator — `{{ … }}`, `{% … %}`, `{{< shortcode >}}` —
/// which Bullpen shows as it is, never runs.
pub fn placeholders(text: &MarkdownText, diagnostics: &mut Vec<Diagnostic>) {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let body = &text.text;
    // Most texts have no tag to find: no Markdown parse for them.
    if !body.contains("{{") && !body.contains("{%") {
        return;
    }
    // (offset, line, tag as written), in the order they appear.
    let mut lines = std::collections::BTreeSet::new();
    let mut in_code = false;
    for (event, range) in Parser::new_ext(body, heading_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(_) | Event::Html(_) | Event::InlineHtml(_) if !in_code => {}
            // Code is shown as it is, tags included; a block's start and
            // end span all of it.
            _ => continue,
        }
        if in_code
            || !matches!(
                event,
                Event::Text(_) | Event::Html(_) | Event::InlineHtml(_)
            )
        {
            continue;
        }
        let source = &body[range.clone()];
        for at in ["{{", "{%"]
            .iter()
            .flat_map(|tag| source.match_indices(tag).map(|(at, _)| at))
        {
            let start = range.start + at;
            let line = text.first_line + body[..start].matches('\n').count();
            // The tag as written: up to its closing `}}` or `%}` on its line.
            let rest = body[start..].lines().next().unwrap_or("");
            let shown = ["}}", "%}"]
                .iter()
                .filter_map(|close| rest.find(close).map(|end| &rest[..end + 2]))
                .min_by_key(|tag| tag.len())
                .unwrap_or(rest);
            lines.insert((start, line, shown.to_string()));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for (_, line, rest) in lines {
        if !seen.insert(line) {
            continue;
        }
        let shown = crate::text::excerpt(&rest, 40);
        diagnostics.push(
            Diagnostic::warning(&text.file, format!(
                "`{shown}` looks like a template tag of another site generator; Bullpen shows it as it is"
            ))
            .at(Some(Position::line(line)))
            .with_help("replace it with the text or link it stood for, or put it in `code` if it is meant to be shown"),
        );
    }
}

/// One warning for the front-matter keys of other site generators set
/// aside in imported pages.
pub(super) fn set_aside(content: &Content, diagnostics: &mut Vec<Diagnostic>) {
    let mut keys: BTreeMap<&str, usize> = BTreeMap::new();
    let mut pages = 0;
    let docs = content
        .playbooks
        .iter()
        .map(|p| &p.doc.set_aside)
        .chain(content.sections.iter().map(|s| &s.doc.set_aside));
    for found in docs.filter(|keys| !keys.is_empty()) {
        pages += 1;
        for key in found {
            *keys.entry(key).or_default() += 1;
        }
    }
    if keys.is_empty() {
        return;
    }
    let listed: Vec<String> = keys
        .iter()
        .map(|(key, n)| format!("`{key}` ({n})"))
        .collect();
    diagnostics.push(
        Diagnostic::warning(
            "content/playbooks",
            format!(
                "front matter Bullpen does not read was left out of {}: {}",
                count(pages, "imported page", "imported pages"),
                count(keys.len(), "key", "keys")
            ),
        )
        .with_help("these keys come from another site generator; remove them once the move is done")
        .with_items(listed),
    );
}

/// An alias may not take the address of a page or of another alias.
pub(super) fn aliases_taken(
    playbooks: &[Playbook],
    sections: &BTreeMap<String, Section>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut taken: BTreeMap<String, &std::path::Path> = playbooks
        .iter()
        .map(|p| (format!("playbooks/{}/", p.path), p.body.file.as_path()))
        .collect();
    for section in sections.values() {
        let path = if section.path.is_empty() {
            "playbooks/".to_string()
        } else {
            format!("playbooks/{}/", section.path)
        };
        taken.insert(path, std::path::Path::new("content/playbooks"));
    }
    for playbook in playbooks {
        for alias in &playbook.aliases {
            if let Some(other) = taken.get(alias.as_str()) {
                diagnostics.push(
                    Diagnostic::error(
                        &playbook.body.file,
                        format!(
                            "the alias `/{alias}` is already the address of {}",
                            other.display()
                        ),
                    )
                    .with_help("an alias redirects an old address; remove it or choose another"),
                );
            } else {
                taken.insert(alias.clone(), &playbook.body.file);
            }
        }
    }
}

/// The plain text of the first heading of any level, for pages without a
/// `title:`: what Markdown shows of it, without `**`, backticks or link
/// targets.
pub fn title_of(body: &str) -> Option<String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut events = Parser::new_ext(body, heading_options());
    events.find(|e| matches!(e, Event::Start(Tag::Heading { .. })))?;
    let mut text = String::new();
    for event in events.take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_)))) {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(&t);
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// A front-matter title without its inline Markdown (`**`, backticks,
/// link targets): titles are plain text in lists, search and the feed.
pub fn plain_title(title: &str) -> String {
    // `<` may be text in a title (`Deals < $5k`, `<Company> onboarding`):
    // such a title is kept as written rather than lose a word as HTML.
    let plain = title_of(&format!("# {title}")).unwrap_or_default();
    if plain.is_empty() || title.contains('<') {
        title.to_string()
    } else {
        plain
    }
}

/// A front-matter title's inline Markdown, when it has any (its plain
/// text differs): the render stage draws it for the page's `<h1>`.
pub fn title_markdown(title: &str) -> Option<String> {
    (plain_title(title) != title).then(|| title.to_string())
}

/// The Markdown options headings are read with; the same as the render
/// stage's, so both find the same first heading.
fn heading_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A page's `aliases:` as site paths (`playbooks/sdr/old-name/`): one
/// starting with `/` is from the site root, others sit beside the page in
/// its section. An alias that could leave the output folder or break a
/// link is an error.
pub(super) fn aliases(
    doc: &crate::load::Markdown<crate::load::raw::RawPlaybook>,
    section: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut found = Vec::new();
    for (index, alias) in doc.meta.value.aliases.iter().enumerate() {
        let from_root = alias.starts_with('/');
        let parts: Vec<&str> = alias.split('/').filter(|p| !p.is_empty()).collect();
        let bad = parts.is_empty()
            || parts
                .iter()
                .any(|p| *p == "." || *p == ".." || !crate::text::is_link_safe(p));
        if bad {
            let index = index.to_string();
            diagnostics.push(doc.meta.error(&["aliases", &index], format!(
                "the alias `{alias}` is not an address a redirect page can have: expected folders and a name of {}, without `.` or `..`",
                crate::text::LINK_SAFE
            )).with_help("like `/handbook/sales/old-name/` from the site root, or `old-name` beside the page"));
            continue;
        }
        let mut path = if from_root {
            String::new()
        } else if section.is_empty() {
            "playbooks/".to_string()
        } else {
            format!("playbooks/{section}/")
        };
        path.push_str(&parts.join("/"));
        if !path.ends_with(".html") {
            path.push('/');
        }
        if path.starts_with("static/") || path == "index.html" || path == "404.html" {
            diagnostics.push(doc.meta.error(
                &["aliases"],
                format!("the alias `{alias}` would replace a file of the site itself"),
            ));
            continue;
        }
        found.push(path);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_is_the_first_heading_of_any_level_as_plain_text() {
        assert_eq!(
            title_of("Intro\n\n## The **first** `call`\n# Later").as_deref(),
            Some("The first call")
        );
        assert_eq!(title_of("```\n# not a heading\n```\ntext").as_deref(), None);
        assert_eq!(
            title_of("### [Pricing](pricing.md) {#price}").as_deref(),
            Some("Pricing")
        );
        assert_eq!(plain_title("**Bold** move"), "Bold move");
        assert_eq!(plain_title("Plain"), "Plain");
        assert_eq!(plain_title("Deals <Company>"), "Deals <Company>");
        assert_eq!(
            title_markdown("**Bold** move").as_deref(),
            Some("**Bold** move")
        );
        assert_eq!(title_markdown("Plain move"), None);
    }

    fn doc(yaml: &str) -> crate::load::Markdown<crate::load::raw::RawPlaybook> {
        crate::load::Markdown {
            meta: crate::load::Located {
                file: "content/playbooks/sdr/a.md".into(),
                yaml: yaml.into(),
                yaml_line: 2,
                value: serde_norway::from_str(yaml).unwrap(),
            },
            body: String::new(),
            body_line: 1,
            has_front_matter: true,
            set_aside: Vec::new(),
        }
    }

    #[test]
    fn template_tags_of_other_generators_are_warnings_on_their_lines() {
        let text = MarkdownText {
            file: "content/playbooks/a.md".into(),
            text: "# A\n\nSee {{< ref \"b.md\" >}} and {{ .Site.Title }}.\n\n`{{ code }}`\n\n```\n{% raw %}\n```\n{% include x.md %}\n".into(),
            first_line: 3,
        };
        let mut diagnostics = Vec::new();
        placeholders(&text, &mut diagnostics);
        let lines: Vec<Option<usize>> = diagnostics.iter().map(|d| d.line).collect();
        assert_eq!(lines, [Some(5), Some(12)], "{diagnostics:?}");
        assert!(
            diagnostics[0].message.starts_with("`{{< ref \"b.md\" >}}"),
            "{}",
            diagnostics[0].message
        );
    }

    #[test]
    fn aliases_are_site_paths_that_stay_inside_the_output() {
        let mut diagnostics = Vec::new();
        let found = aliases(
            &doc("aliases: [/handbook/sales/old/, old-name, /legacy/page.html]"),
            "sdr",
            &mut diagnostics,
        );
        assert_eq!(
            found,
            [
                "handbook/sales/old/",
                "playbooks/sdr/old-name/",
                "legacy/page.html"
            ]
        );
        assert!(diagnostics.is_empty());
        for bad in ["../../etc", "/a/../../b", "/", "a b", "/static/x"] {
            let mut diagnostics = Vec::new();
            let found = aliases(
                &doc(&format!("aliases: ['{bad}']")),
                "sdr",
                &mut diagnostics,
            );
            assert!(found.is_empty(), "{bad}");
            assert_eq!(diagnostics.len(), 1, "{bad}");
        }
    }
}

//! Model stage: playbooks and their sections, and when each is due for
//! review. Entry: [`playbooks`].

use super::build::{Known, markdown_text, unknown_person, visibility};
use super::*;
use crate::error::{Diagnostic, Position};
use crate::load::{Content, PageDoc};
use std::collections::BTreeMap;

/// The order stages are listed in: the sales process, then any others by name.
pub const STAGE_ORDER: &[&str] = &[
    "prospecting",
    "discovery",
    "qualification",
    "demo",
    "negotiation",
    "closing",
    "forecasting",
    "account-management",
    "onboarding",
];

pub(super) fn playbooks(
    content: &Content,
    site: &Site,
    people: &BTreeMap<PersonId, Person>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Section>, Vec<Playbook>) {
    let ids = Known::new(people, &content.broken_people);
    let mut sections = section_pages(content, people, &ids, diagnostics);
    let drafts: Vec<&str> = content
        .playbooks
        .iter()
        .filter(|p| p.doc.meta.value.draft)
        .map(|p| p.path.as_str())
        .collect();
    if !drafts.is_empty() {
        diagnostics.push(
            Diagnostic::warning(
                "content/playbooks",
                format!(
                    "{} left out of the build as `draft: true`: {}",
                    count(drafts.len(), "page is", "pages are"),
                    drafts.join(", ")
                ),
            )
            .with_help("remove `draft: true` to publish a page"),
        );
    }
    let codeowners = content
        .codeowners
        .as_ref()
        .map(|(_, text)| super::owners::CodeOwners::parse(text));
    let owners = Owners {
        sections: &sections,
        codeowners: codeowners.as_ref(),
    };
    let mut playbooks: Vec<Playbook> = content
        .playbooks
        .iter()
        .filter(|doc| !doc.doc.meta.value.draft)
        .filter_map(|doc| playbook(doc, site, people, &ids, Some(&owners), diagnostics))
        .collect();
    // Within a section: by weight (pages without one after), then by path.
    playbooks.sort_by(|a, b| {
        (&a.section, a.weight.is_none(), a.weight, &a.path).cmp(&(
            &b.section,
            b.weight.is_none(),
            b.weight,
            &b.path,
        ))
    });
    no_owner(&playbooks, diagnostics);
    set_aside(content, diagnostics);
    for playbook in &playbooks {
        placeholders(&playbook.body, diagnostics);
    }
    for intro in sections.values().filter_map(|s| s.intro.as_ref()) {
        placeholders(intro, diagnostics);
    }

    // Every folder holding playbooks is a section, with or without a page.
    for playbook in &playbooks {
        sections
            .entry(playbook.section.clone())
            .or_insert_with(|| bare_section(&playbook.section));
    }
    // A folder inside a managers-only section is managers-only too, with
    // or without a section page of its own.
    let private: Vec<String> = sections
        .values()
        .filter(|s| s.visibility == Visibility::Managers)
        .map(|s| s.path.clone())
        .collect();
    for section in sections.values_mut() {
        if private.iter().any(|p| within(&section.path, p)) {
            section.visibility = Visibility::Managers;
        }
    }
    if let Some(top) = sections.get_mut("")
        && top.title.is_empty()
    {
        top.title = "General".into();
    }
    // A playbook in a managers-only section is managers-only too.
    for playbook in &mut playbooks {
        if sections
            .get(&playbook.section)
            .is_some_and(|s| s.visibility == Visibility::Managers)
        {
            playbook.visibility = Visibility::Managers;
        }
    }
    aliases_taken(&playbooks, &sections, diagnostics);
    (sections.into_values().collect(), playbooks)
}

/// `1 page is` or `3 pages are`.
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A section without a page: its title is its folder's name.
fn bare_section(path: &str) -> Section {
    Section {
        path: path.to_string(),
        title: crate::text::sentence_case(path.rsplit('/').next().unwrap_or("")),
        summary: None,
        visibility: Visibility::Team,
        intro: None,
        file: None,
        title_from_heading: false,
        owner: None,
    }
}

/// The sections with a page (`_index.md`, `index.md` or `README.md`):
/// title from its front matter, else its first heading, else the folder.
/// A folder with two such pages is an error naming both.
fn section_pages(
    content: &Content,
    people: &BTreeMap<PersonId, Person>,
    ids: &Known,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Section> {
    let mut sections: BTreeMap<String, Section> = BTreeMap::new();
    for PageDoc { path, doc } in &content.sections {
        let raw = &doc.meta.value;
        if let Some(other) = sections.get(path).and_then(|s| s.file.as_ref()) {
            diagnostics.push(
                Diagnostic::error(
                    &doc.meta.file,
                    format!(
                        "this folder has two section pages, {} and {}; only one may give its section page",
                        other.display(),
                        doc.meta.file.display()
                    ),
                )
                .at(Some(Position::line(1)))
                .with_help("merge them into one of `_index.md`, `index.md` or `README.md`"),
            );
            continue;
        }
        let mut section = bare_section(path);
        match (&raw.title, title_of(&doc.body)) {
            (Some(title), _) => section.title = plain_title(title),
            (None, Some(heading)) => {
                section.title = heading;
                section.title_from_heading = true;
            }
            (None, None) => {}
        }
        section.summary = raw.summary.clone().or_else(|| raw.description.clone());
        section.visibility = visibility(raw.visibility);
        section.intro = (!doc.body.trim().is_empty()).then(|| markdown_text(doc));
        section.file = Some(doc.meta.file.clone());
        section.owner = match &raw.owner {
            Some(owner) if !people.contains_key(owner) => {
                diagnostics.extend(unknown_person(
                    doc.meta.spot(),
                    &["owner"],
                    owner,
                    ids,
                    "the owner",
                ));
                None
            }
            owner => owner.clone(),
        };
        sections.insert(path.clone(), section);
    }
    sections
}

/// Where a playbook without `owner:` finds one: the nearest section page
/// with an owner, else the repository's CODEOWNERS.
pub(super) struct Owners<'a> {
    sections: &'a BTreeMap<String, Section>,
    codeowners: Option<&'a super::owners::CodeOwners>,
}

impl Owners<'_> {
    fn of(
        &self,
        section: &str,
        file: &std::path::Path,
        people: &BTreeMap<PersonId, Person>,
    ) -> Option<PersonId> {
        let mut folder = section;
        loop {
            if let Some(owner) = self.sections.get(folder).and_then(|s| s.owner.clone()) {
                return Some(owner);
            }
            if folder.is_empty() {
                break;
            }
            folder = folder.rsplit_once('/').map_or("", |(up, _)| up);
        }
        let file = file.to_string_lossy().replace('\\', "/");
        self.codeowners?.person_for(&file, people)
    }
}

/// A warning at each line of text (code aside) holding a template tag of
/// another site generator — `{{ … }}`, `{% … %}`, `{{< shortcode >}}` —
/// which Bullpen shows as it is, never runs.
pub fn placeholders(text: &MarkdownText, diagnostics: &mut Vec<Diagnostic>) {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let body = &text.text;
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

/// One warning for every playbook without an owner, not one each.
fn no_owner(playbooks: &[Playbook], diagnostics: &mut Vec<Diagnostic>) {
    let without: Vec<&Playbook> = playbooks.iter().filter(|p| p.owner.is_none()).collect();
    match without.as_slice() {
        [] => {}
        [one] => diagnostics.push(
            Diagnostic::warning(&one.body.file, "this playbook has no owner")
                .at(Some(Position::line(1)))
                .with_help("add `owner: <person id>` so readers know who keeps it current"),
        ),
        many => diagnostics.push(
            Diagnostic::warning(
                "content/playbooks",
                format!(
                    "{} playbooks have no owner: {}",
                    many.len(),
                    many.iter()
                        .map(|p| p.path.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .with_help("give each an `owner:`, give its section page (`_index.md`) an `owner:`, or name its owner in CODEOWNERS"),
        ),
    }
}

/// One warning for the front-matter keys of other site generators set
/// aside in imported pages.
fn set_aside(content: &Content, diagnostics: &mut Vec<Diagnostic>) {
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
                listed.join(", ")
            ),
        )
        .with_help(
            "these keys come from another site generator; remove them once the move is done",
        ),
    );
}

/// An alias may not take the address of a page or of another alias.
fn aliases_taken(
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

/// Whether the folder `path` under `playbooks/` is `folder` or inside it
/// (every folder is inside the top, ``).
pub fn within(path: &str, folder: &str) -> bool {
    folder.is_empty()
        || path
            .strip_prefix(folder)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Validates one playbook file: `None` (with an error) when it cannot be
/// a playbook. Section visibility is applied by the caller.
pub(super) fn playbook(
    page: &PageDoc<crate::load::raw::RawPlaybook>,
    site: &Site,
    people: &BTreeMap<PersonId, Person>,
    ids: &Known,
    owners: Option<&Owners>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Playbook> {
    let PageDoc {
        path: file_path,
        doc,
    } = page;
    let raw = &doc.meta.value;
    let (title, title_from_heading) = match (&raw.title, title_of(&doc.body)) {
        (Some(title), _) => (plain_title(title), false),
        (None, Some(heading)) => (heading, true),
        (None, None) => (
            crate::text::sentence_case(
                &file_path
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .replace(['-', '_'], " "),
            ),
            false,
        ),
    };
    let section = file_path
        .rsplit_once('/')
        .map(|(section, _)| section.to_string())
        .unwrap_or_default();
    let path = match &raw.slug {
        Some(slug) => {
            let slug = slug.trim_matches('/');
            if slug.is_empty()
                || slug.contains('/')
                || slug == "."
                || slug == ".."
                || !crate::text::is_link_safe(slug)
            {
                diagnostics.push(doc.meta.error(&["slug"], format!(
                    "`slug` must be one name for the page's address, of {}, but `{slug}` is not",
                    crate::text::LINK_SAFE
                )).with_help(format!("like `{}`", crate::text::link_safe_name(slug.trim_matches(['/', '.'])))));
                return None;
            }
            if section.is_empty() {
                slug.to_string()
            } else {
                format!("{section}/{slug}")
            }
        }
        None => file_path.clone(),
    };
    let aliases = aliases(doc, &section, diagnostics);
    let owner = match &raw.owner {
        Some(owner) if !people.contains_key(owner) => {
            diagnostics.extend(unknown_person(
                doc.meta.spot(),
                &["owner"],
                owner,
                ids,
                "the owner",
            ));
            None
        }
        Some(owner) => Some(owner.clone()),
        None => owners.and_then(|o| o.of(&section, &doc.meta.file, people)),
    };
    if let Some(days) = raw.review_every_days {
        super::bounds::check(
            doc.meta.spot(),
            &[super::bounds::Bound {
                path: &["review_every_days"],
                value: f64::from(days),
                low: 1.0,
                high: f64::from(super::bounds::MAX_DAYS),
                unit: "days",
            }],
            diagnostics,
        );
    }
    Some(Playbook {
        path,
        file_path: file_path.clone(),
        weight: raw.weight.or(raw.sidebar_position),
        aliases,
        section,
        title,
        owner,
        stage: raw.stage.clone(),
        audience: raw.audience.clone(),
        review_every_days: raw.review_every_days.unwrap_or(site.review_every_days),
        tags: raw.tags.clone(),
        summary: raw.summary.clone().or_else(|| raw.description.clone()),
        visibility: visibility(raw.visibility),
        body: markdown_text(doc),
        title_from_heading,
    })
}

/// Validates one edited playbook against a model that was valid before:
/// the new playbook, or every error found (warnings are returned too).
/// What `bullpen serve` uses to rebuild a playbook without reloading all.
pub fn revalidate(
    page: &PageDoc<crate::load::raw::RawPlaybook>,
    model: &super::Model,
) -> (Option<Playbook>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let none = std::collections::BTreeSet::new();
    let ids = Known::new(&model.people, &none);
    let mut found = playbook(
        page,
        &model.site,
        &model.people,
        &ids,
        None,
        &mut diagnostics,
    );
    // Without CODEOWNERS at hand, the owner of its section pages still holds.
    if let Some(playbook) = &mut found
        && playbook.owner.is_none()
    {
        let sections: BTreeMap<String, Section> = model
            .sections
            .iter()
            .map(|s| (s.path.clone(), s.clone()))
            .collect();
        let owners = Owners {
            sections: &sections,
            codeowners: None,
        };
        playbook.owner = owners.of(&playbook.section, &playbook.body.file, &model.people);
    }
    if let Some(playbook) = &mut found
        && model
            .sections
            .iter()
            .any(|s| s.path == playbook.section && s.visibility == Visibility::Managers)
    {
        playbook.visibility = Visibility::Managers;
    }
    if let Some(playbook) = &found {
        overdue_reviews(
            std::slice::from_ref(playbook),
            &model.history,
            &mut diagnostics,
        );
    }
    let failed = diagnostics
        .iter()
        .any(|d| d.severity == crate::error::Severity::Error);
    (found.filter(|_| !failed), diagnostics)
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
    let plain = title_of(&format!("# {title}")).unwrap_or_default();
    if plain.is_empty() {
        title.to_string()
    } else {
        plain
    }
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
fn aliases(
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

/// When a playbook's next review is due: its last commit plus its review
/// interval. `None` without git history.
pub fn review_due(playbook: &Playbook, history: &crate::load::history::History) -> Option<Date> {
    let last = history.last(&playbook.body.file)?;
    last.date
        .checked_add(jiff::Span::new().days(i64::from(playbook.review_every_days)))
        .ok()
}

/// Whether a playbook's review date has passed, as of the newest commit.
pub fn review_overdue(playbook: &Playbook, history: &crate::load::history::History) -> bool {
    matches!((review_due(playbook, history), history.as_of), (Some(due), Some(as_of)) if due < as_of)
}

/// A warning for each playbook past its review date.
pub(super) fn overdue_reviews(
    playbooks: &[Playbook],
    history: &crate::load::history::History,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for playbook in playbooks.iter().filter(|p| review_overdue(p, history)) {
        let (Some(last), Some(due)) = (
            history.last(&playbook.body.file),
            review_due(playbook, history),
        ) else {
            continue;
        };
        diagnostics.push(
            Diagnostic::warning(&playbook.body.file, format!(
                "`{}` is past its review date: last changed {} by {}, due every {} days, so due {due}",
                playbook.title, last.date, last.author, playbook.review_every_days
            ))
            .at(Some(Position::line(1)))
            .with_help("review it with its owner and commit the result, even if nothing changes"),
        );
    }
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

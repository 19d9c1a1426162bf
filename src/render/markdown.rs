//! Render stage: Markdown → sanitised HTML with heading ids, a table of
//! contents, and GitHub-style relative links rewritten to site URLs.
//! Entry: [`render`].

use crate::error::{Diagnostic, Position};
use crate::model::MarkdownText;
use crate::text::github_slug;
use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

/// Where each content file is published, for rewriting relative links.
/// Keys are paths under `content/` (`playbooks/closing/negotiation.md`);
/// values are site paths (`playbooks/closing/negotiation/`), or `None` for
/// a page this audience does not get (its links become plain text).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkMap {
    pub targets: BTreeMap<String, Option<String>>,
    /// Where relative links that climb out of content/ go (`links.outside`,
    /// ending with `/`); without it they are broken.
    pub outside: Option<String>,
    /// The old site's address of content/playbooks/ (`links.base`,
    /// starting and ending with `/`): a link from the old site's root
    /// under it leads to the page here.
    pub base: Option<String>,
    /// Old addresses (`aliases:`, site paths like `handbook/sales/old/`)
    /// and the file of the page each redirects to: a link from the site's
    /// root to one goes to the page.
    pub aliases: BTreeMap<String, String>,
    /// `links.missing: warn`: a link to a file that does not exist is a
    /// warning rather than an error.
    pub missing_warn: bool,
}

/// The heading a page's title was taken from, left out of the body: its
/// inline Markdown as HTML (links rewritten like the body's) and its id,
/// which the page's `<h1>` keeps so links to it still work.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TitleHeading {
    pub id: String,
    pub html: String,
}

/// One entry of a page's table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A rendered Markdown text.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Broken relative links, with their lines.
    pub diagnostics: Vec<Diagnostic>,
    /// Paths of pages linked to (site paths), for backlinks.
    pub links_to: BTreeSet<String>,
    /// Content files it links to or shows, by path under `content/`: which
    /// images and attachments a build needs.
    pub uses: BTreeSet<String>,
    /// How many chart blocks it drew: such a text shows figures.
    pub charts: usize,
    /// How many inline figures (`` `=attainment` ``) it quoted.
    pub figures: usize,
    /// The first heading, when it became the page's title (`drop_title`).
    pub title: Option<TitleHeading>,
}

impl Rendered {
    /// Whether it shows figures, in charts or in its prose: what to draw
    /// again when figures change.
    pub fn shows_figures(&self) -> bool {
        self.charts > 0 || self.figures > 0
    }
}

/// What a Markdown text is rendered for.
#[derive(Clone, Copy)]
pub struct Target<'a> {
    /// The text's file, under `content/` (`playbooks/discovery/first-call.md`).
    pub source: &'a str,
    /// From the page to the site root (`../../../`).
    pub root: &'a str,
    /// Take the first heading (of any level) out of the body: it became
    /// the page's title, and is kept in [`Rendered::title`].
    pub drop_title: bool,
    /// Draws a ```` ```chart ```` block from its YAML and its index in the
    /// text; without it, chart blocks stay code.
    pub charts: Option<ChartHook<'a>>,
    /// Draws an inline figure from its expression (the code after `=`);
    /// without it, inline figures stay code.
    pub figures: Option<FigureHook<'a>>,
}

/// What goes around each table: the theme's `partials/table-wrap.html`
/// before and after the table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableWrap {
    pub open: String,
    pub close: String,
}

/// Turns a chart block's YAML (and the block's number in its text) into
/// figure HTML, or says what is wrong with the spec.
pub type ChartHook<'a> = &'a (dyn Fn(&str, usize) -> Result<String, String> + Sync);

/// Turns an inline figure's expression into its HTML and its text as read
/// (`111.8%`, for a heading's entry in the table of contents), or says what
/// is wrong with it.
pub type FigureHook<'a> = &'a (dyn Fn(&str) -> Result<(String, String), String> + Sync);

/// Marks where a chart goes until the HTML is sanitised (a private-use
/// character cannot come from a form people type in by accident).
const CHART_MARK: char = '\u{E000}';

/// Every chart block of a text: its YAML and the line of its opening fence.
pub fn chart_blocks(markdown: &MarkdownText) -> Vec<(String, usize)> {
    let text = &markdown.text;
    let mut blocks = Vec::new();
    // A chart block's fence names `chart`: most texts have none to find.
    if !text.contains("chart") {
        return blocks;
    }
    let mut open: Option<(String, usize)> = None;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if is_chart(&lang) => {
                open = Some((
                    String::new(),
                    markdown.first_line + text[..range.start].matches('\n').count(),
                ));
            }
            Event::Text(body) => {
                if let Some((yaml, _)) = &mut open {
                    yaml.push_str(&body);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(open.take()),
            _ => {}
        }
    }
    blocks
}

fn is_chart(lang: &str) -> bool {
    lang.split_whitespace().next() == Some("chart")
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Markdown events with their byte ranges in the text.
type Events<'t> = Vec<(Event<'t>, std::ops::Range<usize>)>;

/// The line of a byte offset of a Markdown text, counted from the top of
/// its file.
fn line_of(markdown: &MarkdownText, offset: usize) -> usize {
    let text = &markdown.text;
    markdown.first_line + text[..offset.min(text.len())].matches('\n').count()
}

/// Where a link stands in its file: the line and column (from 1) of its
/// destination when it is written in the link (`[text](dest)`), else of
/// the link's start. A text starts at the beginning of its first line.
fn link_position(markdown: &MarkdownText, range: &std::ops::Range<usize>, dest: &str) -> Position {
    let text = &markdown.text;
    let start = range.start.min(text.len());
    let end = range.end.min(text.len()).max(start);
    let offset = text
        .get(start..end)
        .and_then(|link| (!dest.is_empty()).then(|| link.find(dest)).flatten())
        .map_or(start, |at| start + at);
    let line_start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
    Position {
        line: line_of(markdown, offset),
        column: text[line_start..offset].chars().count() + 1,
    }
}

/// Draws each chart block and puts a mark in its place, to be replaced by
/// its figure after sanitising; returns the figures in order (empty for a
/// block whose spec is wrong, which is an error on its line).
fn mark_charts(
    events: &mut Events,
    markdown: &MarkdownText,
    draw: ChartHook<'_>,
    rendered: &mut Rendered,
) -> Vec<String> {
    let mut figures = Vec::new();
    let mut index = 0;
    while index < events.len() {
        let is_block = matches!(&events[index].0, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if is_chart(lang));
        if !is_block {
            index += 1;
            continue;
        }
        let end = events[index..]
            .iter()
            .position(|(e, _)| matches!(e, Event::End(TagEnd::CodeBlock)))
            .map_or(events.len() - 1, |p| index + p);
        let yaml: String = events[index + 1..end]
            .iter()
            .filter_map(|(e, _)| {
                if let Event::Text(t) = e {
                    Some(t.as_ref())
                } else {
                    None
                }
            })
            .collect();
        let line = line_of(markdown, events[index].1.start);
        match draw(&yaml, figures.len() + 1) {
            Ok(html) => figures.push(html),
            Err(message) => {
                rendered.diagnostics.push(
                    Diagnostic::error(&markdown.file, message).at(Some(Position::line(line))),
                );
                figures.push(String::new());
            }
        }
        let mark = format!("\n{CHART_MARK}chart:{}{CHART_MARK}\n", figures.len());
        let range = events[index].1.clone();
        events.splice(
            index..=end,
            std::iter::once((Event::Html(mark.into()), range)),
        );
        index += 1;
    }
    figures
}

/// Draws each inline figure and puts a mark in its place, to be replaced by
/// its HTML after sanitising; returns the figures in order (empty for one
/// whose expression is wrong, which is an error on its line).
fn mark_figures(
    events: &mut Events,
    markdown: &MarkdownText,
    draw: FigureHook<'_>,
    rendered: &mut Rendered,
) -> Vec<(String, String)> {
    let mut figures = Vec::new();
    for (event, range) in events.iter_mut() {
        let Event::Code(code) = &*event else {
            continue;
        };
        let Some(expression) = code.strip_prefix('=') else {
            continue;
        };
        match draw(expression) {
            Ok(drawn) => figures.push(drawn),
            Err(message) => {
                let line = line_of(markdown, range.start);
                rendered.diagnostics.push(
                    Diagnostic::error(&markdown.file, message).at(Some(Position::line(line))),
                );
                figures.push((String::new(), String::new()));
            }
        }
        *event =
            Event::InlineHtml(format!("{CHART_MARK}figure:{}{CHART_MARK}", figures.len()).into());
    }
    figures
}

/// The text of the inline figure a mark stands for.
fn figure_text<'q>(mark: &str, quoted: &'q [(String, String)]) -> Option<&'q str> {
    let number: usize = mark
        .strip_prefix(CHART_MARK)?
        .strip_prefix("figure:")?
        .strip_suffix(CHART_MARK)?
        .parse()
        .ok()?;
    quoted
        .get(number.checked_sub(1)?)
        .map(|(_, text)| text.as_str())
}

/// Gives each heading GitHub's id (deduplicated with -1, -2 …) unless it
/// has one, and lists the second and third levels in the table of
/// contents, except the first heading when it is the page's title.
fn name_headings(
    events: &mut Events,
    target: Target<'_>,
    quoted: &[(String, String)],
    rendered: &mut Rendered,
) {
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut index = 0;
    let mut title_pending = target.drop_title;
    while index < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[index].0 {
            let level = *level;
            let explicit = id.clone();
            let end = events[index..]
                .iter()
                .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
                .map_or(events.len(), |p| index + p);
            let is_title = std::mem::take(&mut title_pending);
            let title: String = events[index + 1..end]
                .iter()
                .filter_map(|(e, _)| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                    Event::InlineHtml(mark) => figure_text(mark, quoted),
                    _ => None,
                })
                .collect();
            let id = match explicit {
                Some(id) => id.to_string(),
                None => unique(github_slug(&title), &mut used),
            };
            if !is_title && matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                rendered.toc.push(TocEntry {
                    level: level as u8,
                    id: id.clone(),
                    title: title.clone(),
                });
            }
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[index].0 {
                *slot = Some(CowStr::from(id));
            }
            index = end;
        }
        index += 1;
    }
}

/// Resolves relative links and images against the source file: to the
/// page or file's site URL, to plain text for one this audience does not
/// get, or to an error on its line for one that does not exist. Task list
/// checkboxes say what they show, for screen readers.
fn rewrite_links<'t>(
    events: Events<'t>,
    markdown: &MarkdownText,
    target: Target<'_>,
    links: &LinkMap,
    rendered: &mut Rendered,
) -> Vec<Event<'t>> {
    let mut place = |dest_url: CowStr<'t>, link_type, range: std::ops::Range<usize>, link| {
        let rewritten = match rewrite(&dest_url, target, links, link_type) {
            Rewrite::Keep => dest_url,
            Rewrite::To(url, file, page) => {
                rendered.uses.insert(file);
                if let Some(page) = page.filter(|_| link) {
                    rendered.links_to.insert(page);
                }
                url.into()
            }
            Rewrite::Outside(url) => url.into(),
            Rewrite::Hidden => return None,
            Rewrite::Broken(message) => {
                rendered.diagnostics.push(
                    Diagnostic::error(&markdown.file, message)
                        .at(Some(link_position(markdown, &range, &dest_url))),
                );
                dest_url
            }
            Rewrite::Missing(message) => {
                rendered.diagnostics.push(
                    missing(links, &markdown.file, message)
                        .at(Some(link_position(markdown, &range, &dest_url))),
                );
                dest_url
            }
        };
        Some(rewritten)
    };
    // Markdown links never nest, so one flag pairs a hidden link's end;
    // images may (in a description), so each image's end pops its start.
    let mut hiding = false;
    let mut images_hidden: Vec<bool> = Vec::new();
    let mut output = Vec::with_capacity(events.len());
    for (event, range) in events {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match place(dest_url, link_type, range, true) {
                Some(dest_url) => output.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })),
                None => hiding = true,
            },
            Event::End(TagEnd::Link) if hiding => hiding = false,
            Event::End(TagEnd::Image) => {
                if !images_hidden.pop().unwrap_or(false) {
                    output.push(Event::End(TagEnd::Image));
                }
            }
            Event::TaskListMarker(done) => output.push(Event::Html(
                if done {
                    r#"<input type="checkbox" disabled checked aria-label="Done"> "#
                } else {
                    r#"<input type="checkbox" disabled aria-label="Not done"> "#
                }
                .into(),
            )),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => match place(dest_url, link_type, range, false) {
                Some(dest_url) => {
                    images_hidden.push(false);
                    output.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
                // A file this audience does not get: its description
                // stays as text, and neither its name nor its path.
                None => images_hidden.push(true),
            },
            event => output.push(event),
        }
    }
    output
}

/// Renders `markdown` for `target`, rewriting relative links through
/// `links`; tables stay bare.
pub fn render(markdown: &MarkdownText, target: Target<'_>, links: &LinkMap) -> Rendered {
    render_with(markdown, target, links, None)
}

/// Like [`render`], each table in the theme's wrapper (`tables`).
pub fn render_with(
    markdown: &MarkdownText,
    target: Target<'_>,
    links: &LinkMap,
    tables: Option<&TableWrap>,
) -> Rendered {
    let text = &markdown.text;
    let mut events: Events = Parser::new_ext(text, options())
        .into_offset_iter()
        .collect();
    let mut rendered = Rendered::default();
    // Without raw HTML or a link of an unsafe scheme, the HTML is made by
    // pulldown-cmark alone, which escapes all text: nothing to clean.
    let needs_cleaning = events.iter().any(|(event, _)| match event {
        Event::Html(_) | Event::InlineHtml(_) => true,
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            !safe_url(dest_url)
        }
        _ => false,
    });
    let has_table = events
        .iter()
        .any(|(event, _)| matches!(event, Event::Start(Tag::Table(_))));
    let figures = match target.charts {
        Some(draw) => mark_charts(&mut events, markdown, draw, &mut rendered),
        None => Vec::new(),
    };
    rendered.charts = figures.len();
    let quoted = match target.figures {
        Some(draw) => mark_figures(&mut events, markdown, draw, &mut rendered),
        None => Vec::new(),
    };
    rendered.figures = quoted.len();
    name_headings(&mut events, target, &quoted, &mut rendered);
    let mut output = rewrite_links(events, markdown, target, links, &mut rendered);
    let title = target.drop_title.then(|| take_title(&mut output)).flatten();

    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, output.into_iter());
    let clean = if needs_cleaning {
        sanitize(&html)
    } else {
        html
    };
    // The wrapper goes on after cleaning, which would drop its attributes,
    // and before the figures, whose tables have their own.
    rendered.html = match tables {
        Some(wrap) if has_table => wrap_tables(&clean, wrap),
        _ => clean,
    };
    rendered.title = title.map(|(id, html)| TitleHeading {
        id,
        html: if needs_cleaning {
            sanitize(&html).trim().to_string()
        } else {
            html
        },
    });
    for (number, figure) in figures.iter().enumerate() {
        if let Some(title) = &mut rendered.title {
            title.html = title.html.replace(
                &format!("{CHART_MARK}chart:{}{CHART_MARK}", number + 1),
                figure,
            );
        }
        rendered.html = rendered.html.replace(
            &format!("{CHART_MARK}chart:{}{CHART_MARK}", number + 1),
            figure,
        );
    }
    for (number, (figure, _)) in quoted.iter().enumerate() {
        if let Some(title) = &mut rendered.title {
            title.html = title.html.replace(
                &format!("{CHART_MARK}figure:{}{CHART_MARK}", number + 1),
                figure,
            );
        }
        rendered.html = rendered.html.replace(
            &format!("{CHART_MARK}figure:{}{CHART_MARK}", number + 1),
            figure,
        );
    }
    // Every text's HTML is held until its page is written: no spare room.
    rendered.html.shrink_to_fit();
    rendered
}

/// `html` with the theme's wrapper around each `<table>…</table>`, in one
/// pass (a page of tables is read once, not once per tag).
fn wrap_tables(html: &str, wrap: &TableWrap) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut from = 0;
    for at in memchr::memmem::find_iter(html.as_bytes(), b"table>") {
        let before = &html[from..at];
        if before.ends_with("</") {
            // `</table>`: the wrapper closes after it.
            out.push_str(&html[from..at + 6]);
            out.push_str(&wrap.close);
            from = at + 6;
        } else if before.ends_with('<') {
            out.push_str(&html[from..at - 1]);
            out.push_str(&wrap.open);
            out.push_str("<table>");
            from = at + 6;
        }
    }
    out.push_str(&html[from..]);
    out
}

/// A line of inline Markdown (a front-matter title) as sanitised HTML,
/// without a paragraph around it.
pub fn inline_html(text: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(text, options()));
    let html = sanitize(&html);
    let html = html.trim();
    html.strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .unwrap_or(html)
        .to_string()
}

/// Takes the first heading out of `events`: its id and its content as
/// HTML.
fn take_title(events: &mut Vec<Event<'_>>) -> Option<(String, String)> {
    let start = events
        .iter()
        .position(|e| matches!(e, Event::Start(Tag::Heading { .. })))?;
    let end = events[start..]
        .iter()
        .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
        .map_or(events.len() - 1, |p| start + p);
    let mut taken: Vec<Event> = events.drain(start..=end).collect();
    let id = match taken.first() {
        Some(Event::Start(Tag::Heading { id: Some(id), .. })) => id.to_string(),
        _ => String::new(),
    };
    taken.pop();
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, taken.into_iter().skip(1));
    Some((id, html))
}

/// A link to a file that does not exist: an error, or a warning under
/// `links.missing: warn`.
fn missing(links: &LinkMap, file: &std::path::Path, message: String) -> Diagnostic {
    if links.missing_warn {
        Diagnostic::warning(file, message).with_help(
            "`links.missing: warn` in site.yaml lets this build; fix it before the move is done",
        )
    } else {
        Diagnostic::error(file, message)
    }
}

/// The broken relative links and images of a Markdown text, without
/// rendering it (for reporting them beside load and model errors).
pub fn check_links(markdown: &MarkdownText, source: &str, links: &LinkMap) -> Vec<Diagnostic> {
    let text = &markdown.text;
    // A link or image needs a `[` (inline, reference or its definition) or
    // a `<` (an autolink): a text with neither has none to check.
    if memchr::memchr2(b'[', b'<', text.as_bytes()).is_none() {
        return Vec::new();
    }
    parsed_links(markdown, source, links)
}

/// [`check_links`] through the whole parse, whatever the text.
fn parsed_links(markdown: &MarkdownText, source: &str, links: &LinkMap) -> Vec<Diagnostic> {
    let text = &markdown.text;
    let target = Target {
        source,
        root: "",
        drop_title: false,
        charts: None,
        figures: None,
    };
    Parser::new_ext(text, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(
                Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }
                | Tag::Image {
                    link_type,
                    dest_url,
                    ..
                },
            ) => {
                // Where the link is, counted only for a link that is wrong.
                let at = || Some(link_position(markdown, &range, &dest_url));
                match rewrite(&dest_url, target, links, link_type) {
                    Rewrite::Broken(message) => {
                        Some(Diagnostic::error(&markdown.file, message).at(at()))
                    }
                    Rewrite::Missing(message) => {
                        Some(missing(links, &markdown.file, message).at(at()))
                    }
                    _ => None,
                }
            }
            _ => None,
        })
        .collect()
}

fn unique(slug: String, used: &mut HashMap<String, usize>) -> String {
    let count = used.entry(slug.clone()).or_insert(0);
    let id = if *count == 0 {
        slug
    } else {
        format!("{slug}-{count}")
    };
    *count += 1;
    id
}

enum Rewrite {
    Keep,
    /// The new URL, the file it resolved to (under `content/`), and the
    /// linked page's site path.
    To(String, String, Option<String>),
    /// A link out of content/, to this address under `links.outside`.
    Outside(String),
    /// The target page is not in this audience's build.
    Hidden,
    /// Always an error (a refused scheme).
    Broken(String),
    /// The target does not exist: an error, or a warning during a move.
    Missing(String),
}

/// The schemes a link in Markdown may use; a page keeps no other (the
/// sanitiser removes them), so `check` refuses them by name.
const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// The scheme of a URL (`javascript` for `JavaScript:alert(1)`), in lower
/// case; `None` for a relative URL (`a/b:c.md` has none).
fn scheme(url: &str) -> Option<String> {
    match url.find([':', '/', '?', '#']) {
        Some(at) if at > 0 && url[at..].starts_with(':') => Some(url[..at].to_ascii_lowercase()),
        _ => None,
    }
}

fn rewrite(url: &str, target: Target<'_>, links: &LinkMap, link_type: LinkType) -> Rewrite {
    if link_type == LinkType::Email
        || url.is_empty()
        || url.starts_with('#')
        || url.starts_with("//")
    {
        return Rewrite::Keep;
    }
    if url.starts_with('/') {
        return from_site_root(url, target, links);
    }
    if let Some(scheme) = scheme(url) {
        return if ALLOWED_SCHEMES.contains(&scheme.as_str()) {
            Rewrite::Keep
        } else {
            Rewrite::Broken(format!(
                "links with the `{scheme}:` scheme are not allowed; use http, https, mailto or tel"
            ))
        };
    }
    let (path, anchor) = match url.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (url, None),
    };
    let Some(resolved) = crate::text::resolve_relative(target.source, path) else {
        return outside(url, path, anchor, target, links);
    };
    let anchor = anchor.map(|a| format!("#{a}")).unwrap_or_default();
    match links.targets.get(&resolved) {
        Some(Some(site_path)) => Rewrite::To(
            format!("{}{site_path}{anchor}", target.root),
            resolved.clone(),
            Some(site_path.clone()),
        ),
        Some(None) => Rewrite::Hidden,
        None => Rewrite::Missing(format!(
            "the link `{url}` points to content/{resolved}, which does not exist"
        )),
    }
}

/// A link from the old site's root (`/handbook/sales/sdr/calls/`): under
/// `links.base` it names a file under content/playbooks/ (its `.md`, or its
/// folder's section page) or a page's address there (a `slug:`); any
/// other goes to `links.outside`, and without either it is kept as it is.
fn from_site_root(url: &str, target: Target<'_>, links: &LinkMap) -> Rewrite {
    let (path, anchor) = match url.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let anchor_text = anchor.map(|a| format!("#{a}")).unwrap_or_default();
    let alias = format!("{}/", path.trim_matches('/'));
    if let Some(file) = links.aliases.get(&alias) {
        return match links.targets.get(file) {
            Some(Some(site_path)) => Rewrite::To(
                format!("{}{site_path}{anchor_text}", target.root),
                file.clone(),
                Some(site_path.clone()),
            ),
            _ => Rewrite::Hidden,
        };
    }
    let under = links.base.as_deref().and_then(|base| {
        path.strip_prefix(base)
            .or_else(|| (format!("{path}/") == base).then_some(""))
    });
    let Some(rest) = under else {
        return match &links.outside {
            Some(outside) => Rewrite::Outside(format!("{outside}{}", &url[1..])),
            None => Rewrite::Keep,
        };
    };
    let rest = rest.trim_matches('/');
    let join = |name: &str| match (rest, name) {
        ("", name) => format!("playbooks/{name}"),
        (rest, "") => format!("playbooks/{rest}"),
        (rest, name) => format!("playbooks/{rest}/{name}"),
    };
    let mut candidates = vec![join("")];
    if !rest.is_empty() {
        candidates.insert(0, format!("playbooks/{rest}.md"));
    }
    candidates.extend(crate::load::SECTION_PAGES.iter().map(|page| join(page)));
    let address = if rest.is_empty() {
        "playbooks/".to_string()
    } else {
        format!("playbooks/{rest}/")
    };
    let found = candidates
        .iter()
        .find_map(|file| links.targets.get_key_value(file))
        .or_else(|| {
            links
                .targets
                .iter()
                .find(|(_, site)| site.as_deref() == Some(address.as_str()))
        });
    let anchor = anchor.map(|a| format!("#{a}")).unwrap_or_default();
    match found {
        Some((file, Some(site_path))) => Rewrite::To(
            format!("{}{site_path}{anchor}", target.root),
            file.clone(),
            Some(site_path.clone()),
        ),
        Some((_, None)) => Rewrite::Hidden,
        None => Rewrite::Missing(format!(
            "the link `{url}` is under `links.base`, but content/{} does not exist (nor a page of that address)",
            candidates[0]
        )),
    }
}

/// A relative link that climbs out of content/: resolved from the page's
/// place in the repository (`content/playbooks/…`), the path it reaches
/// appended to `links.outside`.
fn outside(
    url: &str,
    path: &str,
    anchor: Option<&str>,
    target: Target<'_>,
    links: &LinkMap,
) -> Rewrite {
    let in_repository = crate::text::resolve_relative(&format!("content/{}", target.source), path);
    match (&links.outside, in_repository) {
        (Some(base), Some(reached)) => {
            let folder = if path.ends_with('/') && !reached.is_empty() {
                "/"
            } else {
                ""
            };
            let anchor = anchor.map(|a| format!("#{a}")).unwrap_or_default();
            Rewrite::Outside(format!("{base}{reached}{folder}{anchor}"))
        }
        (Some(_), None) => Rewrite::Missing(format!(
            "the link `{url}` points outside the repository, above content/'s folder"
        )),
        (None, _) => Rewrite::Missing(format!(
            "the link `{url}` points outside content/; set `links.outside:` in site.yaml to the address of the rest of the handbook"
        )),
    }
}

/// A URL that is safe as it is: relative, or of a scheme a browser only
/// navigates with (no `javascript:`, no `data:`), and free of the control
/// characters and spaces that can hide a scheme.
fn safe_url(url: &str) -> bool {
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return false;
    }
    scheme(url).is_none_or(|scheme| ALLOWED_SCHEMES.contains(&scheme.as_str()))
}

/// Removes scripts, event handlers and `javascript:` URLs from rendered
/// Markdown, keeping what Markdown itself produces (tables, footnotes,
/// task lists, heading ids) and `<details>`.
pub fn sanitize(html: &str) -> String {
    static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .add_tags([
                "details",
                "summary",
                "input",
                "figure",
                "figcaption",
                "mark",
                "kbd",
            ])
            .add_generic_attributes(["id", "title", "style", "class", "aria-label"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("ol", ["start"])
            .filter_style_properties(["text-align"].into_iter().collect())
            .link_rel(None);
        builder
    });
    CLEANER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn tables_are_wrapped_once_each() {
        let wrap = TableWrap {
            open: "<div class=\"scroll\">".into(),
            close: "</div>".into(),
        };
        assert_eq!(
            wrap_tables(
                "<p>table> x</p><table><tr><td>a</td></tr></table>\n<table></table>",
                &wrap
            ),
            "<p>table> x</p><div class=\"scroll\"><table><tr><td>a</td></tr></table></div>\n<div class=\"scroll\"><table></table></div>"
        );
        assert_eq!(wrap_tables("no tables", &wrap), "no tables");
    }

    use super::*;

    fn links() -> LinkMap {
        let mut links = LinkMap::default();
        links.targets.insert(
            "playbooks/closing/negotiation.md".into(),
            Some("playbooks/closing/negotiation/".into()),
        );
        links.targets.insert(
            "playbooks/discovery/first-call.md".into(),
            Some("playbooks/discovery/first-call/".into()),
        );
        links.targets.insert("reports/private.md".into(), None);
        links.targets.insert(
            "playbooks/discovery/flow.png".into(),
            Some("playbooks/discovery/flow.png".into()),
        );
        links
    }

    /// `text` as the playbook `discovery/first-call.md`, starting on
    /// `first_line` of its file.
    fn first_call(text: &str, first_line: usize) -> MarkdownText {
        MarkdownText {
            file: "content/playbooks/discovery/first-call.md".into(),
            text: text.into(),
            first_line,
        }
    }

    /// Rendering for the page of `discovery/first-call.md`, without charts
    /// or figures.
    fn first_call_page(drop_title: bool) -> Target<'static> {
        Target {
            source: "playbooks/discovery/first-call.md",
            root: "../../../",
            drop_title,
            charts: None,
            figures: None,
        }
    }

    fn render_text(text: &str) -> Rendered {
        render(&first_call(text, 5), first_call_page(false), &links())
    }

    #[test]
    fn rewrites_github_style_links_to_site_urls() {
        let out = render_text(
            "See [negotiation](../closing/negotiation.md) and [pricing](first-call.md#pricing).\n\n![flow](flow.png)",
        );
        assert!(
            out.html
                .contains(r#"href="../../../playbooks/closing/negotiation/""#),
            "{}",
            out.html
        );
        assert!(
            out.html
                .contains(r#"href="../../../playbooks/discovery/first-call/#pricing""#),
            "{}",
            out.html
        );
        assert!(
            out.html
                .contains(r#"src="../../../playbooks/discovery/flow.png""#),
            "{}",
            out.html
        );
        assert!(out.diagnostics.is_empty());
        assert!(out.links_to.contains("playbooks/closing/negotiation/"));
    }

    #[test]
    fn a_broken_link_is_an_error_on_its_line() {
        let out = render_text("Intro\n\nSee [gone](../closing/gone.md).\n");
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].line, Some(7));
        assert!(
            out.diagnostics[0]
                .message
                .contains("content/playbooks/closing/gone.md")
        );
    }

    #[test]
    fn a_link_to_a_hidden_page_becomes_text() {
        let out = render_text("See [the review](../../reports/private.md) now.");
        assert!(!out.html.contains("<a"), "{}", out.html);
        assert!(out.html.contains("See the review now."), "{}", out.html);
    }

    #[test]
    fn headings_get_github_ids_and_a_toc() {
        let out =
            render_text("## Pricing questions\n\ntext\n\n### Budget\n\n## Pricing questions\n");
        assert!(
            out.html.contains(r#"<h2 id="pricing-questions">"#),
            "{}",
            out.html
        );
        assert!(
            out.html.contains(r#"<h2 id="pricing-questions-1">"#),
            "{}",
            out.html
        );
        let ids: Vec<&str> = out.toc.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["pricing-questions", "budget", "pricing-questions-1"]);
    }

    #[test]
    fn only_relative_and_plain_web_urls_skip_the_cleaner() {
        for safe in [
            "../a.md",
            "#x",
            "/abs",
            "https://e.com/a:b",
            "mailto:a@b.c",
            "a/b:c",
        ] {
            assert!(safe_url(safe), "{safe}");
        }
        for unsafe_ in [
            "javascript:alert(1)",
            "JavaScript:x",
            "data:text/html,x",
            "java\tscript:x",
            "vbscript:x",
        ] {
            assert!(!safe_url(unsafe_), "{unsafe_}");
        }
        let out = render_text(
            "[a](<java\tscript:alert(1)>) [b](&#106;avascript:alert(1)) [c](data:text/html,x)",
        );
        assert!(!out.html.contains("href=\"javascript"), "{}", out.html);
        assert!(!out.html.contains("href=\"data:"), "{}", out.html);
        assert_eq!(out.html.matches("<a").count(), 3, "{}", out.html);
    }

    #[test]
    fn renders_tables_footnotes_strikethrough_and_task_lists() {
        let out = render_text(
            "| a | b |\n|---|--:|\n| 1 | 2 |\n\n~~old~~ new[^1]\n\n- [x] done\n- [ ] todo\n\n[^1]: A note.\n",
        );
        assert!(out.html.contains("<table>"), "{}", out.html);
        assert!(
            out.html.contains(r#"style="text-align: right""#),
            "{}",
            out.html
        );
        assert!(out.html.contains("<del>old</del>"), "{}", out.html);
        assert!(out.html.contains(r#"type="checkbox""#), "{}", out.html);
        assert!(out.html.contains("footnote-definition"), "{}", out.html);
    }

    #[test]
    fn tables_go_in_the_wrapper_given_and_stay_bare_without_one() {
        let markdown = MarkdownText {
            file: "x".into(),
            text: "| a |\n|---|\n| 1 |\n\n<table><tr><td>raw</td></tr></table>\n".into(),
            first_line: 1,
        };
        let target = Target {
            source: "playbooks/x.md",
            root: "",
            drop_title: false,
            charts: None,
            figures: None,
        };
        let wrap = TableWrap {
            open: "<div class=\"w\">".into(),
            close: "</div>".into(),
        };
        let out = render_with(&markdown, target, &LinkMap::default(), Some(&wrap));
        assert_eq!(
            out.html.matches("<div class=\"w\"><table>").count(),
            2,
            "{}",
            out.html
        );
        assert_eq!(
            out.html.matches("</table></div>").count(),
            2,
            "{}",
            out.html
        );
        let bare = render(&markdown, target, &LinkMap::default());
        assert!(!bare.html.contains("<div"), "{}", bare.html);
    }

    #[test]
    fn raw_html_is_sanitised() {
        let out = render_text(
            "<script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\" onclick=\"x()\">x</a>\n\n<details><summary>More</summary>kept</details>\n",
        );
        assert!(!out.html.contains("<script"), "{}", out.html);
        assert!(!out.html.contains("javascript:"), "{}", out.html);
        assert!(!out.html.contains("onclick"), "{}", out.html);
        assert!(out.html.contains("<details>"), "{}", out.html);
    }

    #[test]
    fn inline_figures_are_drawn_even_beside_raw_html_and_errors_have_lines() {
        let markdown = MarkdownText {
            file: "content/reports/q3.md".into(),
            text: "## West at `=attainment`\n\nWe closed `=closed_won` <b>and</b> `code`.\n\nThen `=nope`.\n"
                .into(),
            first_line: 5,
        };
        let draw = |expression: &str| -> Result<(String, String), String> {
            match expression {
                "attainment" => Ok((
                    "<span class=\"figure\" title=\"t\">111.8%</span>".into(),
                    "111.8%".into(),
                )),
                "closed_won" => Ok((
                    "<span class=\"figure\">$2,688,300</span>".into(),
                    "$2,688,300".into(),
                )),
                other => Err(format!("unknown metric `{other}`")),
            }
        };
        let target = Target {
            source: "reports/q3.md",
            root: "../../",
            drop_title: false,
            charts: None,
            figures: Some(&draw),
        };
        let out = render(&markdown, target, &links());
        assert!(
            out.html.contains("<h2 id=\"west-at-1118\">West at <span class=\"figure\" title=\"t\">111.8%</span></h2>"),
            "{}",
            out.html
        );
        assert!(
            out.html.contains(
                "We closed <span class=\"figure\">$2,688,300</span> <b>and</b> <code>code</code>."
            ),
            "{}",
            out.html
        );
        assert_eq!(out.toc[0].title, "West at 111.8%");
        assert_eq!(out.figures, 3);
        assert!(out.shows_figures());
        let lines: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| (d.line, d.message.clone()))
            .collect();
        assert_eq!(lines, vec![(Some(9), "unknown metric `nope`".to_string())]);
    }

    #[test]
    fn the_title_heading_of_any_level_keeps_its_id_and_inline_markdown() {
        let markdown = first_call(
            "## The **first** [call](../closing/negotiation.md)\n\nBody\n\n## Part\n",
            1,
        );
        let target = first_call_page(true);
        let out = render(&markdown, target, &links());
        let title = out.title.expect("the title heading");
        assert_eq!(title.id, "the-first-call");
        assert_eq!(
            title.html,
            r#"The <strong>first</strong> <a href="../../../playbooks/closing/negotiation/">call</a>"#
        );
        assert!(!out.html.contains("first"), "{}", out.html);
        // Not in the table of contents; the next heading is.
        assert_eq!(out.toc.len(), 1);
        assert_eq!(out.toc[0].id, "part");
    }

    #[test]
    fn a_front_matter_title_is_inline_html_without_a_paragraph() {
        assert_eq!(
            inline_html("Small **business** `code` <script>x</script>"),
            "Small <strong>business</strong> <code>code</code> "
        );
    }

    #[test]
    fn links_out_of_content_go_to_links_outside() {
        let markdown = first_call(
            "[a](../../../handbook/marketing/) [b](../../../company/values.md#trust) [c](../../../../../up.md)\n",
            1,
        );
        let target = first_call_page(false);
        let mut map = links();
        let out = render(&markdown, target, &map);
        assert!(out.diagnostics.iter().all(|d| {
            d.message
                .contains("points outside content/; set `links.outside:`")
        }));
        assert_eq!(out.diagnostics.len(), 3);
        map.outside = Some("https://handbook.example.com/".into());
        let out = render(&markdown, target, &map);
        assert!(
            out.html
                .contains(r#"href="https://handbook.example.com/handbook/marketing/""#),
            "{}",
            out.html
        );
        assert!(
            out.html
                .contains(r#"href="https://handbook.example.com/company/values.md#trust""#),
            "{}",
            out.html
        );
        assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
        assert!(
            out.diagnostics[0]
                .message
                .contains("outside the repository")
        );
        assert!(out.uses.is_empty() && out.links_to.is_empty());
    }

    #[test]
    fn links_missing_warn_makes_a_missing_target_a_warning() {
        let mut map = links();
        let markdown = first_call("[gone](gone.md) [bad](javascript:alert(1))\n", 1);
        let severities = |map: &LinkMap| -> Vec<crate::error::Severity> {
            check_links(&markdown, "playbooks/discovery/first-call.md", map)
                .into_iter()
                .map(|d| d.severity)
                .collect()
        };
        use crate::error::Severity::{Error, Warning};
        assert_eq!(severities(&map), [Error, Error]);
        map.missing_warn = true;
        // A refused scheme stays an error.
        assert_eq!(severities(&map), [Warning, Error]);
    }

    #[test]
    fn drops_the_title_heading_when_asked() {
        let markdown = MarkdownText {
            file: "x".into(),
            text: "# Handbook\n\nBody\n\n## Part\n".into(),
            first_line: 1,
        };
        let target = Target {
            source: "playbooks/x.md",
            root: "",
            drop_title: true,
            charts: None,
            figures: None,
        };
        let out = render(&markdown, target, &LinkMap::default());
        assert!(!out.html.contains("Handbook"), "{}", out.html);
        assert!(out.html.contains(r#"<h2 id="part">"#), "{}", out.html);
        assert_eq!(
            out.title,
            Some(TitleHeading {
                id: "handbook".into(),
                html: "Handbook".into()
            })
        );
    }

    /// An autolink is a link without a bracket: it is checked too.
    #[test]
    fn an_autolink_alone_is_checked() {
        let markdown = first_call("see <javascript:alert(1)> now\n", 1);
        let found = check_links(&markdown, "playbooks/discovery/first-call.md", &links());
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].message.contains("`javascript:`"), "{found:#?}");
    }

    #[test]
    fn a_link_of_a_refused_scheme_is_reported_by_its_scheme() {
        let markdown = first_call(
            "[a](javascript:alert(1)) [b](JavaScript:x)\n\n![c](data:image/png;base64,x) [d](vbscript:x)\n\n[ok](https://e.com) [t](tel:1) [m](mailto:a@b.c) [h](HTTP://e.com)\n",
            1,
        );
        let found = check_links(&markdown, "playbooks/discovery/first-call.md", &links());
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 4, "{messages:#?}");
        for scheme in ["javascript", "data", "vbscript"] {
            assert!(
                messages.iter().any(|m| m.starts_with(&format!(
                    "links with the `{scheme}:` scheme are not allowed"
                ))),
                "{scheme}: {messages:#?}"
            );
        }
        assert!(
            messages
                .iter()
                .all(|m| m.contains("http, https, mailto or tel"))
        );
        assert!(!messages.iter().any(|m| m.contains("does not exist")));
        assert_eq!(found[2].line, Some(3));
    }

    #[test]
    fn an_image_of_a_hidden_file_becomes_its_description() {
        let mut links = links();
        links
            .targets
            .insert("reports/private-chart.png".into(), None);
        let markdown = first_call(
            "Before ![the org chart](../../reports/private-chart.png) after.",
            1,
        );
        let target = first_call_page(false);
        let out = render(&markdown, target, &links);
        assert!(!out.html.contains("private"), "{}", out.html);
        assert!(!out.html.contains("<img"), "{}", out.html);
        assert!(
            out.html.contains("Before the org chart after."),
            "{}",
            out.html
        );
    }

    proptest::proptest! {
        /// What lets `check_links` skip a text: without `[` or `<`,
        /// Markdown has no link or image, whatever else it holds (bare
        /// addresses, parentheses, `!`, emphasis, code, headings).
        #[test]
        fn a_text_without_brackets_has_no_links(
            text in "([a-z]{1,8}|https?://|www\\.|[:/.()!>\\]*_`#= \n-]|\n\n){0,40}",
        ) {
            let any_link = Parser::new_ext(&text, options()).any(|event| {
                matches!(event, Event::Start(Tag::Link { .. } | Tag::Image { .. }))
            });
            proptest::prop_assert!(!any_link, "{text:?}");
        }

        /// Skipping a text without brackets finds what the whole parse
        /// finds, broken links and refused schemes included, in any text.
        #[test]
        fn checking_links_finds_what_the_whole_parse_finds(
            text in "([a-z]{1,6}|[\\[\\]()<>!: \n]|gone\\.md|javascript:x|https://e\\.com|\\[r\\]: gone\\.md\n){0,30}",
        ) {
            let markdown = first_call(&text, 1);
            let source = "playbooks/discovery/first-call.md";
            let (quick, whole) = (
                check_links(&markdown, source, &links()),
                parsed_links(&markdown, source, &links()),
            );
            proptest::prop_assert_eq!(format!("{quick:?}"), format!("{whole:?}"));
        }

        /// With them, the same alphabet does make links: the test above
        /// would catch a text with links.
        #[test]
        fn the_same_alphabet_with_brackets_makes_links(word in "[a-z]{1,8}") {
            let text = format!("see [{word}](https://example.com/{word}) and <https://{word}.example>");
            let links = Parser::new_ext(&text, options())
                .filter(|event| matches!(event, Event::Start(Tag::Link { .. })))
                .count();
            proptest::prop_assert_eq!(links, 2);
        }
    }
}

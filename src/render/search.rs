//! Render stage: the search index — one entry per page of the audience's
//! build (title, section, address, a snippet, headings, the start of the
//! text and the page's distinct words), read by `static/search.js` in the
//! browser. Entries: [`entries`], [`files`].
//!
//! The index is written twice: `search-index.js`, a script that a page
//! loads with a `<script>` element, which works when the site is opened
//! straight from disk (`file://` forbids `fetch`), and `search-index.json`
//! for other tools. Distinct words rather than full text keep it small on a
//! large site while still finding a page by any word of its body; the first
//! [`TEXT_CHARS`] characters of text give the matched words their context.

use super::site::{coaching_path, person_path, playbook_path, report_path};
use super::{Ctx, OutputFile};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use rayon::prelude::*;
use serde::Serialize;
use std::cell::RefCell;

/// One page in the search index.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Title.
    t: String,
    /// Section (Playbooks › Discovery, Reports, People).
    s: String,
    /// Site path.
    u: String,
    /// Snippet, shown when no word of the text matched.
    x: String,
    /// Headings of the page, ` · `-separated: ranked above the body.
    h: String,
    /// The start of the page's text, whitespace collapsed: where the
    /// matched words are shown in context.
    b: String,
    /// Distinct lowercase words of three letters or more, space-separated.
    w: String,
}

/// How much of a page's text the index keeps for showing matches.
pub const TEXT_CHARS: usize = 1500;

/// Text without tags, entities decoded, for indexing: read by the HTML
/// tokenizer, as `bullpen check --site` reads built pages.
#[cfg(test)]
fn text_of(html: &str) -> String {
    read(html).text
}

/// The text of HTML and, apart, the text of its headings.
struct Read {
    text: String,
    headings: Vec<String>,
}

fn read(html: &str) -> Read {
    let mut read = read_plain(html).unwrap_or_else(|| read_as_browser(html));
    read.headings = read
        .headings
        .iter()
        .map(|h| h.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|h| !h.is_empty())
        .collect();
    read
}

/// Reads HTML as the markdown renderer writes it — tags, text, and the
/// five escapes `&amp;` `&lt;` `&gt;` `&quot;` `&#39;` — in one pass over
/// its bytes, giving what [`read_as_browser`] gives for the same HTML.
/// Anything else (another entity, a comment, a doctype, CDATA, a carriage
/// return or NUL, which a browser rewrites) gives `None`, and the page is
/// read by the HTML tokenizer instead. Most pages are read here: the
/// tokenizer costs about ten times as much.
fn read_plain(html: &str) -> Option<Read> {
    let bytes = html.as_bytes();
    if memchr::memchr(b'\0', bytes).is_some() {
        return None;
    }
    let mut text = String::with_capacity(html.len());
    let mut headings = Vec::new();
    let mut heading: Option<String> = None;
    let mut at = 0;
    while at < bytes.len() {
        let next = memchr_any(&bytes[at..]).map_or(bytes.len(), |n| at + n);
        let run = &html[at..next];
        text.push_str(run);
        if let Some(heading) = &mut heading {
            heading.push_str(run);
        }
        at = next;
        let Some(&byte) = bytes.get(at) else { break };
        match byte {
            b'&' => {
                let (decoded, len) = [
                    ("&amp;", '&'),
                    ("&lt;", '<'),
                    ("&gt;", '>'),
                    ("&quot;", '"'),
                    ("&#39;", '\''),
                ]
                .into_iter()
                .find(|(escape, _)| html[at..].starts_with(escape))
                .map(|(escape, c)| (c, escape.len()))?;
                text.push(decoded);
                if let Some(heading) = &mut heading {
                    heading.push(decoded);
                }
                at += len;
            }
            b'<' => {
                let end_tag = bytes.get(at + 1) == Some(&b'/');
                let name_start = at + 1 + usize::from(end_tag);
                let name_len = bytes[name_start..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric())
                    .count();
                // A tag's name starts with a letter; `<!`, `<?` and a bare
                // `<` are read by the tokenizer.
                if !bytes.get(name_start)?.is_ascii_alphabetic() {
                    return None;
                }
                let name = html[name_start..name_start + name_len].to_ascii_lowercase();
                at = tag_end(bytes, name_start + name_len)?;
                text.push(' ');
                if matches!(name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                    if end_tag {
                        headings.extend(heading.take());
                    } else {
                        heading = Some(String::new());
                    }
                } else if let Some(heading) = &mut heading {
                    heading.push(' ');
                }
            }
            // A carriage return.
            _ => return None,
        }
    }
    Some(Read { text, headings })
}

/// The offset of the first `&`, `<` or carriage return (NUL is looked for
/// once, before).
fn memchr_any(bytes: &[u8]) -> Option<usize> {
    memchr::memchr3(b'&', b'<', b'\r', bytes)
}

/// Just past the `>` that ends a tag whose name ends at `at`: attribute
/// values in quotes may hold `>`.
fn tag_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    let mut after_equals = false;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'>' => return Some(at + 1),
            b'"' | b'\'' if after_equals => {
                let close = bytes[at + 1..].iter().position(|&b| b == byte)?;
                at += close + 2;
                after_equals = false;
                continue;
            }
            b'=' => after_equals = true,
            b' ' | b'\t' | b'\n' | b'\x0c' => {}
            // An attribute value without quotes: the tokenizer reads it.
            _ if after_equals => return None,
            _ => {}
        }
        at += 1;
    }
    None
}

/// Reads HTML with html5ever's tokenizer, as a browser would: every
/// entity, comment and odd construct included.
fn read_as_browser(html: &str) -> Read {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(
        Text(
            RefCell::new(Read {
                text: String::with_capacity(html.len()),
                headings: Vec::new(),
            }),
            RefCell::new(None),
        ),
        TokenizerOpts::default(),
    );
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.into_inner()
}

/// Collects the text of HTML: character data as it is, and a space for
/// each tag, comment or doctype, so that the words either side stay apart;
/// and the text inside `h1`–`h6` once more, as headings (the second field
/// holds the heading being read).
struct Text(RefCell<Read>, RefCell<Option<String>>);

impl TokenSink for Text {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::CharacterTokens(text) => {
                self.0.borrow_mut().text.push_str(&text);
                if let Some(heading) = self.1.borrow_mut().as_mut() {
                    heading.push_str(&text);
                }
            }
            Token::TagToken(tag) => {
                self.0.borrow_mut().text.push(' ');
                let name: &str = &tag.name;
                if matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                    let mut heading = self.1.borrow_mut();
                    match tag.kind {
                        html5ever::tokenizer::TagKind::StartTag => *heading = Some(String::new()),
                        html5ever::tokenizer::TagKind::EndTag => {
                            if let Some(done) = heading.take() {
                                self.0.borrow_mut().headings.push(done);
                            }
                        }
                    }
                } else if let Some(heading) = self.1.borrow_mut().as_mut() {
                    heading.push(' ');
                }
            }
            Token::CommentToken(_) | Token::DoctypeToken(_) => {
                self.0.borrow_mut().text.push(' ');
            }
            Token::NullCharacterToken | Token::EOFToken | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

/// Plain text as written in front matter (a title, a summary): the few
/// entities people type there (`&nbsp;`, `&amp;`) read as what they stand
/// for, so that `nbsp` is never a word of the index.
fn plain(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&nbsp;", " ")
        .replace("&#160;", " ")
        .replace("&amp;", "&")
}

/// The start of a text, whitespace collapsed: the words that fit in
/// `max_chars` characters (the first word cut, when it alone is longer).
fn start_of(text: &str, max_chars: usize) -> String {
    collapsed_start(text, max_chars).0
}

/// [`start_of`], and whether any of the text was left out. Only the start
/// is read: a page's text is many times what is kept. Control characters
/// (which a page's text can hold and JSON would carry as they are) read as
/// spaces.
fn collapsed_start(text: &str, max_chars: usize) -> (String, bool) {
    let mut kept = String::new();
    let mut chars = 0;
    for word in text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
    {
        let space = usize::from(!kept.is_empty());
        let len = word.chars().count();
        if chars + space + len > max_chars {
            if kept.is_empty() {
                kept = word.chars().take(max_chars).collect();
            }
            return (kept, true);
        }
        if space == 1 {
            kept.push(' ');
        }
        kept.push_str(word);
        chars += space + len;
    }
    (kept, false)
}

/// The distinct lowercase words of three letters or more, sorted and
/// space-separated.
fn words(text: &str) -> String {
    use std::borrow::Cow;
    // Distinct first (a page repeats most of its words), then sorted;
    // borrowed where already lowercase, as most words are. The order of
    // the set does not matter (the words are sorted), so its hash is the
    // fast one.
    let mut distinct: ahash::AHashSet<Cow<str>> = ahash::AHashSet::with_capacity(512);
    if text.is_ascii() {
        // Most pages: words are runs of ASCII letters and digits, found
        // byte by byte without decoding characters.
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            while at < bytes.len() && !bytes[at].is_ascii_alphanumeric() {
                at += 1;
            }
            let start = at;
            let mut upper = false;
            while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
                upper |= bytes[at].is_ascii_uppercase();
                at += 1;
            }
            let word = &text[start..at];
            if word.len() < 3 || distinct.contains(word) {
                continue;
            }
            if upper {
                distinct.insert(Cow::Owned(word.to_ascii_lowercase()));
            } else {
                distinct.insert(Cow::Borrowed(word));
            }
        }
    } else {
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() >= 3 && w.chars().nth(2).is_some())
        {
            if word
                .bytes()
                .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
            {
                distinct.insert(Cow::Owned(word.to_lowercase()));
            } else {
                distinct.insert(Cow::Borrowed(word));
            }
        }
    }
    let mut words: Vec<Cow<str>> = distinct.into_iter().collect();
    words.sort_unstable();
    words.join(" ")
}

fn snippet(text: &str) -> String {
    match collapsed_start(text, 160) {
        (whole, false) => whole,
        (_, true) => {
            let mut cut = start_of(text, 157);
            cut.push('…');
            cut
        }
    }
}

/// A playbook's entry: its title, summary, tags and every word of its text.
pub fn playbook_entry(ctx: &Ctx, playbook: &crate::model::Playbook) -> Entry {
    let read = read(
        ctx.docs
            .get(&super::content_key(&playbook.body.file))
            .map_or("", |r| r.html.as_str()),
    );
    let body = read.text;
    let section = ctx
        .model
        .sections
        .iter()
        .find(|s| s.path == playbook.section)
        .map(|s| s.title.clone())
        .unwrap_or_default();
    let all = plain(&format!(
        "{} {} {} {body}",
        playbook.title,
        playbook.summary.clone().unwrap_or_default(),
        playbook.tags.join(" ")
    ));
    Entry {
        t: playbook.title.clone(),
        s: if section.is_empty() {
            "Playbooks".into()
        } else {
            format!("Playbooks › {section}")
        },
        u: playbook_path(&playbook.path),
        x: snippet(&plain(playbook.summary.as_deref().unwrap_or(&body))),
        h: read.headings.join(" · "),
        b: start_of(&body, TEXT_CHARS),
        w: words(&all),
    }
}

impl Entry {
    /// The bytes of its text, all fields together.
    fn text_len(&self) -> usize {
        [
            &self.t, &self.s, &self.u, &self.x, &self.h, &self.b, &self.w,
        ]
        .iter()
        .map(|field| field.len())
        .sum()
    }
}

/// Every entry of the audience's index: playbooks, reports, people.
pub fn entries(ctx: &Ctx) -> Vec<Entry> {
    // Playbooks are most of the text: index them on every core.
    let playbooks: Vec<&crate::model::Playbook> = ctx
        .model
        .playbooks
        .iter()
        .filter(|p| ctx.audience.may_see(p.visibility))
        .collect();
    let mut entries: Vec<Entry> = playbooks
        .par_iter()
        .map(|playbook| playbook_entry(ctx, playbook))
        .collect();
    for report in ctx
        .model
        .reports
        .iter()
        .filter(|r| ctx.audience.may_see(r.visibility))
    {
        let read = read(&ctx.html(&report.body.file));
        entries.push(Entry {
            t: report.title.clone(),
            s: "Reports".into(),
            u: report_path(&report.path),
            x: snippet(&plain(report.summary.as_deref().unwrap_or(&read.text))),
            h: read.headings.join(" · "),
            b: start_of(&read.text, TEXT_CHARS),
            w: words(&plain(&format!("{} {}", report.title, read.text))),
        });
    }
    for person in ctx.model.people.values() {
        entries.push(person_entry(person));
    }
    // Coaching plans are managers' material: never in the team's index.
    if ctx.managers() {
        for plan in &ctx.model.coaching {
            entries.push(plan_entry(ctx, plan));
        }
    }
    entries
}

/// A person as people read them: `Rep · East · US East`.
fn person_entry(person: &crate::model::Person) -> Entry {
    let about: Vec<&str> = [
        Some(person.role.label()),
        person.team.as_deref(),
        person.region.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|part| !part.trim().is_empty())
    .collect();
    let about = about.join(" · ");
    Entry {
        t: person.name.clone(),
        s: "People".into(),
        u: person_path(&person.id),
        x: about.clone(),
        h: String::new(),
        b: String::new(),
        w: words(&format!("{} {about}", person.name)),
    }
}

/// A coaching plan: its rep, period, goals' skills, actions, session notes
/// and the plan's text.
fn plan_entry(ctx: &Ctx, plan: &crate::model::CoachingPlan) -> Entry {
    let rep = ctx
        .model
        .people
        .get(&plan.rep)
        .map_or_else(|| plan.rep.to_string(), |p| p.name.clone());
    let read = read(&ctx.html(&plan.body.file));
    let skills = plan.goals.iter().filter_map(|goal| match goal {
        crate::model::Goal::Skill { skill, .. } => Some(skill.as_str()),
        crate::model::Goal::Metric { .. } => None,
    });
    let actions = plan.actions.iter().map(|a| a.what.as_str());
    let sessions = plan.sessions.iter().map(|s| s.notes.as_str());
    let extra: Vec<&str> = skills
        .chain(actions)
        .chain(sessions)
        .chain(plan.outcome.as_deref())
        .collect();
    let text = format!("{} {}", read.text, extra.join(" "));
    Entry {
        t: format!("Coaching plan: {rep} · {}", plan.period.label()),
        s: "Coaching".into(),
        u: coaching_path(&plan.rep, plan.period),
        x: snippet(&format!(
            "{} · {}",
            plan.status.label(),
            plan.period.label()
        )),
        h: read.headings.join(" · "),
        b: start_of(&text, TEXT_CHARS),
        w: words(&plain(&format!("{rep} coaching plan {text}"))),
    }
}

/// Name of the global that `search-index.js` defines.
pub const GLOBAL: &str = "bullpenSearchIndex";

/// `search-index.js` and `search-index.json` from its entries: only pages
/// this build has.
pub fn files(entries: &[Entry]) -> Vec<OutputFile> {
    let sink = super::MemorySink::default();
    // A memory sink cannot fail.
    let _ = put(entries, &sink);
    sink.into_files()
}

/// Puts `search-index.json` and `search-index.js` in `sink`; returns how
/// many files that is. The index is tens of megabytes on a large site: it
/// is serialized once, escaped as it is written, into one buffer sized
/// for it, which is the JSON file and then, its ends changed, the script.
pub fn put(entries: &[Entry], sink: &dyn super::Sink) -> crate::error::Result<usize> {
    let prefix = format!("window.{GLOBAL} = ");
    let size = entries.iter().map(Entry::text_len).sum::<usize>() * 21 / 20
        + entries.len() * 48
        + prefix.len()
        + 4;
    let mut script = Vec::with_capacity(size);
    script.extend_from_slice(prefix.as_bytes());
    if serde_json::to_writer(Escaping(&mut script), entries).is_err() {
        script.truncate(prefix.len());
        script.extend_from_slice(b"[]");
    }
    script.push(b'\n');
    sink.put_copy("search-index.json".into(), &script[prefix.len()..])?;
    script.pop();
    script.extend_from_slice(b";\n");
    sink.put("search-index.js".into(), script)?;
    Ok(2)
}

/// The search index as serve keeps it: each entry beside its JSON, so
/// that after an edit only the entries that changed are serialized again
/// (the whole index is megabytes on a large site).
pub struct Index {
    entries: Vec<Entry>,
    json: Vec<Vec<u8>>,
}

impl Index {
    pub fn new(entries: Vec<Entry>) -> Index {
        let json = entries.par_iter().map(escaped_json).collect();
        Index { entries, json }
    }

    /// Puts `entry` in place of the one for the same page, if there is one.
    pub fn replace(&mut self, entry: Entry) {
        if let Some(at) = self.entries.iter().position(|e| e.u == entry.u) {
            self.json[at] = escaped_json(&entry);
            self.entries[at] = entry;
        }
    }

    /// `search-index.js` and `search-index.json`, the same bytes as
    /// [`put`] writes for the same entries.
    pub fn files(&self) -> Vec<OutputFile> {
        let prefix = format!("window.{GLOBAL} = ");
        let size = self.json.iter().map(Vec::len).sum::<usize>() + self.json.len() + 4;
        let mut json = Vec::with_capacity(size);
        json.push(b'[');
        for (at, entry) in self.json.iter().enumerate() {
            if at > 0 {
                json.push(b',');
            }
            json.extend_from_slice(entry);
        }
        json.extend_from_slice(b"]\n");
        let mut script = Vec::with_capacity(prefix.len() + json.len() + 1);
        script.extend_from_slice(prefix.as_bytes());
        script.extend_from_slice(&json[..json.len() - 1]);
        script.extend_from_slice(b";\n");
        vec![
            OutputFile {
                path: "search-index.js".into(),
                bytes: script,
            },
            OutputFile {
                path: "search-index.json".into(),
                bytes: json,
            },
        ]
    }
}

/// One entry as JSON, escaped as the index is.
fn escaped_json(entry: &Entry) -> Vec<u8> {
    let mut json = Vec::with_capacity(entry.text_len() + 48);
    // Strings only: serializing cannot fail.
    let _ = serde_json::to_writer(Escaping(&mut json), entry);
    json
}

/// Writes JSON with angle brackets and ampersands as `\u003c`, `\u003e`
/// and `\u0026`, so the index can never be read as markup (or end its
/// script element), whatever a content file holds. JSON has these
/// characters only inside strings, where the escapes mean the same; and
/// as ASCII bytes they are never part of a longer UTF-8 character.
struct Escaping<'a>(&'a mut Vec<u8>);

impl std::io::Write for Escaping<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut from = 0;
        for at in memchr::memchr3_iter(b'<', b'>', b'&', bytes) {
            let escape: &[u8] = match bytes[at] {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                _ => b"\\u0026",
            };
            self.0.extend_from_slice(&bytes[from..at]);
            self.0.extend_from_slice(escape);
            from = at + 1;
        }
        self.0.extend_from_slice(&bytes[from..]);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_distinct_words_without_markup() {
        let text = text_of("<p>Ask about <strong>budget</strong> &amp; timing. Budget!</p>");
        assert_eq!(words(&text), "about ask budget timing");
        assert_eq!(snippet("  a   b  "), "a b");
    }

    #[test]
    fn reads_entities_comments_and_attributes_as_a_browser_does() {
        let text = text_of(
            "<p title=\"a > b\">Win&nbsp;rate &lt;40%&gt; &#39;Q3&#x27; caf&eacute;<!-- a > hidden --></p>",
        );
        assert_eq!(snippet(&text), "Win rate <40%> 'Q3' café");
        assert_eq!(words(&text), "café rate win");
    }

    #[test]
    fn headings_are_read_apart_from_the_text() {
        let read = read("<h2 id=\"a\">Ask <em>why</em> now</h2><p>Budget first.</p><h3>Next</h3>");
        assert_eq!(read.headings, ["Ask why now", "Next"]);
        assert!(read.text.contains("Budget first."));
    }

    #[test]
    fn an_nbsp_typed_in_front_matter_is_a_space_not_a_word() {
        assert_eq!(words(&plain("Win&nbsp;rate &amp; more")), "more rate win");
    }

    /// A reading: its text and its headings as collected (before tidying).
    type Reading = (String, Vec<String>);

    /// What the quick reader and the tokenizer read of `html`.
    fn both(html: &str) -> (Option<Reading>, Reading) {
        let plain = read_plain(html).map(|r| (r.text, r.headings));
        let browser = read_as_browser(html);
        (plain, (browser.text, browser.headings))
    }

    #[test]
    fn the_quick_reader_reads_what_the_tokenizer_reads() {
        for html in [
            "<h2 id=\"a\">Ask <em>why</em> now</h2><p>Budget &amp; <code>&lt;b&gt;</code></p>",
            "<p title=\"a > b\" data-x='c > d'>quoted &quot;right&quot; &#39;here&#39;</p>",
            "<ul>\n<li><input disabled=\"\" type=\"checkbox\"/>\ndone</li>\n</ul><br />x",
            "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
            "<H3>Upper <A HREF=\"/x\">case</A></H3>tail",
            "<h1>one<h2>nested</h2></h1>after",
            "",
            "no markup at all",
        ] {
            let (plain, browser) = both(html);
            assert_eq!(plain.as_ref(), Some(&browser), "{html}");
        }
    }

    #[test]
    fn anything_unusual_goes_to_the_tokenizer() {
        for html in [
            "<p>caf&eacute;</p>",
            "<p>a<!-- note --></p>",
            "<!doctype html><p>x</p>",
            "<p>1 < 2</p>",
            "<p>line\r\nbreak</p>",
            "<p>nul\0</p>",
            "<p class=plain>unquoted</p>",
            "<p>&amp</p>",
            "<p title=\"never closed>",
        ] {
            assert_eq!(both(html).0, None, "{html}");
        }
    }

    proptest::proptest! {
        /// Whatever Markdown becomes, the quick reader either declines or
        /// reads exactly what the tokenizer reads.
        #[test]
        fn the_quick_reader_agrees_on_rendered_markdown(
            markdown in "([a-z ]{0,6}|[#*_`>\\[\\]()!<&;\"'=|\\-\n]|&amp;|&nbsp;|<b>|</b>|<!--|-->|\\r){0,40}"
        ) {
            let mut html = String::new();
            let options = pulldown_cmark::Options::all();
            pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(&markdown, options));
            for html in [html.clone(), crate::render::markdown::sanitize(&html)] {
                let (plain, browser) = both(&html);
                if let Some(plain) = plain {
                    proptest::prop_assert_eq!(plain, browser, "{}", html);
                }
            }
        }
    }

    #[test]
    fn the_text_kept_for_context_is_cut_at_a_word() {
        assert_eq!(start_of("one  two three", 9), "one two");
        assert_eq!(start_of("one two", 50), "one two");
        assert_eq!(start_of("bad\u{7f}text\u{85}here", 50), "bad text here");
        assert_eq!(start_of("one two three", 7), "one two");
        assert_eq!(start_of("unbreakable", 6), "unbrea");
        assert_eq!(
            snippet(&"word ".repeat(40)),
            format!("{}…", "word ".repeat(31).trim_end())
        );
    }

    #[test]
    fn the_script_index_defines_a_global_and_cannot_close_its_element() {
        let entry = Entry {
            t: "</script><b>".into(),
            s: "Reports".into(),
            u: "reports/x/".into(),
            x: String::new(),
            h: String::new(),
            b: String::new(),
            w: String::new(),
        };
        let files = files(&[entry]);
        let script = String::from_utf8(files[0].bytes.clone()).unwrap();
        assert!(
            script.starts_with("window.bullpenSearchIndex = [{"),
            "{script}"
        );
        assert!(!script.contains("</script>"), "{script}");
        assert!(
            script.contains(r#""t":"\u003c/script\u003e\u003cb\u003e""#),
            "{script}"
        );
        assert!(script.ends_with("];\n"), "{script}");
        let json = String::from_utf8(files[1].bytes.clone()).unwrap();
        assert_eq!(
            format!("window.{GLOBAL} = {}", json.trim_end()),
            script.trim_end().trim_end_matches(';')
        );
        let read: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
        assert_eq!(read[0]["t"], "</script><b>");
        assert_eq!(files[1].path, "search-index.json");
        assert_eq!(files[0].path, "search-index.js");
    }

    #[test]
    fn serve_writes_the_index_a_build_writes_and_changes_one_entry() {
        let entry = |title: &str, path: &str| Entry {
            t: title.into(),
            s: "Playbooks".into(),
            u: path.into(),
            x: "x & y".into(),
            h: String::new(),
            b: "<b>".into(),
            w: "words".into(),
        };
        let entries = vec![
            entry("One", "playbooks/one/"),
            entry("Two", "playbooks/two/"),
        ];
        let mut index = Index::new(entries.clone());
        let bytes = |files: Vec<OutputFile>| {
            files
                .into_iter()
                .map(|f| (f.path, f.bytes))
                .collect::<Vec<_>>()
        };
        assert_eq!(bytes(index.files()), bytes(files(&entries)));
        index.replace(entry("Two, edited", "playbooks/two/"));
        index.replace(entry("Nowhere", "playbooks/none/"));
        let edited = vec![
            entry("One", "playbooks/one/"),
            entry("Two, edited", "playbooks/two/"),
        ];
        assert_eq!(bytes(index.files()), bytes(files(&edited)));
        assert_eq!(bytes(Index::new(Vec::new()).files()), bytes(files(&[])));
    }
}

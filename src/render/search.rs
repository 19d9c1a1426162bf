//! Render stage: the search index — one entry per page of the audience's
//! build (title, section, address, a snippet and the page's distinct
//! words), read by `static/search.js` in the browser. Entries: [`entries`], [`file()`].
//!
//! Distinct words rather than full text keep the index small on a large
//! site while still finding a page by any word of its body.

use super::site::{person_path, playbook_path, report_path};
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
    /// Snippet.
    x: String,
    /// Distinct lowercase words of three letters or more, space-separated.
    w: String,
}

/// Text without tags, entities decoded, for indexing: read by the HTML
/// tokenizer, as `bullpen check --site` reads built pages.
fn text_of(html: &str) -> String {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(
        Text(RefCell::new(String::with_capacity(html.len()))),
        TokenizerOpts::default(),
    );
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.into_inner()
}

/// Collects the text of HTML: character data as it is, and a space for
/// each tag, comment or doctype, so that the words either side stay apart.
struct Text(RefCell<String>);

impl TokenSink for Text {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::CharacterTokens(text) => self.0.borrow_mut().push_str(&text),
            Token::TagToken(_) | Token::CommentToken(_) | Token::DoctypeToken(_) => {
                self.0.borrow_mut().push(' ');
            }
            Token::NullCharacterToken | Token::EOFToken | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

fn words(text: &str) -> String {
    // Distinct first (a page repeats most of its words), then sorted;
    // borrowed where already lowercase, as most words are.
    let distinct: std::collections::HashSet<std::borrow::Cow<str>> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3 && w.chars().nth(2).is_some())
        .map(|w| {
            if w.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
                std::borrow::Cow::Owned(w.to_lowercase())
            } else {
                std::borrow::Cow::Borrowed(w)
            }
        })
        .collect();
    let mut words: Vec<std::borrow::Cow<str>> = distinct.into_iter().collect();
    words.sort_unstable();
    words.join(" ")
}

fn snippet(text: &str) -> String {
    let clean: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if clean.chars().count() <= 160 {
        clean
    } else {
        let mut cut: String = clean.chars().take(157).collect();
        if let Some(space) = cut.rfind(' ') {
            cut.truncate(space);
        }
        cut.push('…');
        cut
    }
}

/// A playbook's entry: its title, summary, tags and every word of its text.
pub fn playbook_entry(ctx: &Ctx, playbook: &crate::model::Playbook) -> Entry {
    let body = text_of(
        ctx.docs
            .get(&super::content_key(&playbook.body.file))
            .map_or("", |r| r.html.as_str()),
    );
    let section = ctx
        .model
        .sections
        .iter()
        .find(|s| s.path == playbook.section)
        .map(|s| s.title.clone())
        .unwrap_or_default();
    let all = format!(
        "{} {} {} {body}",
        playbook.title,
        playbook.summary.clone().unwrap_or_default(),
        playbook.tags.join(" ")
    );
    Entry {
        t: playbook.title.clone(),
        s: if section.is_empty() {
            "Playbooks".into()
        } else {
            format!("Playbooks › {section}")
        },
        u: playbook_path(&playbook.path),
        x: snippet(playbook.summary.as_deref().unwrap_or(&body)),
        w: words(&all),
    }
}

impl Entry {
    /// The site path of the page it finds.
    pub fn path(&self) -> &str {
        &self.u
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
        let body = text_of(&ctx.html(&report.body.file));
        entries.push(Entry {
            t: report.title.clone(),
            s: "Reports".into(),
            u: report_path(&report.path),
            x: snippet(report.summary.as_deref().unwrap_or(&body)),
            w: words(&format!("{} {body}", report.title)),
        });
    }
    for person in ctx.model.people.values() {
        let about = format!(
            "{} {} {}",
            person.role.label(),
            person.team.clone().unwrap_or_default(),
            person.region.clone().unwrap_or_default()
        );
        entries.push(Entry {
            t: person.name.clone(),
            s: "People".into(),
            u: person_path(&person.id),
            x: snippet(&about),
            w: words(&format!("{} {about}", person.name)),
        });
    }
    entries
}

/// `search-index.json` from its entries: only pages this build has.
pub fn file(entries: &[Entry]) -> OutputFile {
    // Angle brackets and ampersands are written as escapes, so the index
    // can never be read as markup, whatever a content file holds.
    let mut json = serde_json::to_string(entries)
        .unwrap_or_else(|_| "[]".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    json.push('\n');
    OutputFile {
        path: "search-index.json".into(),
        bytes: json.into_bytes(),
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
}

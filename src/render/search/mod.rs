//! Render stage: the search index — one entry per page of the audience's
//! build (title, section, address, a snippet, headings, the start of the
//! text and the page's distinct words), read by `static/search.js` in the
//! browser. Entries: [`entries`]; files: [`put`] for a build, [`Index`] for serve.
//!
//! The index is written twice: `search-index.js`, a script that a page
//! loads with a `<script>` element, which works when the site is opened
//! straight from disk (`file://` forbids `fetch`), and `search-index.json`
//! for other tools. Distinct words rather than full text keep it small on a
//! large site while still finding a page by any word of its body; the first
//! [`TEXT_CHARS`] characters of text give the matched words their context.

mod read;
mod write;

use super::Ctx;
use super::site::{coaching_path, person_path, playbook_path, report_path};
use rayon::prelude::*;
use read::read;
use serde::Serialize;
pub use write::{GLOBAL, Index, put};

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

/// What each ASCII byte is to [`words`]: 0 between words, [`LOWER`] (a
/// lowercase letter or a digit) or [`UPPER`] within one.
const WORD_BYTE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = if b.is_ascii_uppercase() {
            UPPER
        } else if b.is_ascii_alphanumeric() {
            LOWER
        } else {
            0
        };
        byte += 1;
    }
    table
};
const LOWER: u8 = 1;
const UPPER: u8 = 2;

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
        // byte by byte without decoding characters. A capitalised word is
        // lowered on the stack, and kept only the first time.
        let bytes = text.as_bytes();
        let mut lowered = [0u8; 64];
        let mut at = 0;
        while at < bytes.len() {
            while at < bytes.len() && WORD_BYTE[usize::from(bytes[at])] == 0 {
                at += 1;
            }
            let start = at;
            let mut class = 0;
            while at < bytes.len() {
                let byte = WORD_BYTE[usize::from(bytes[at])];
                if byte == 0 {
                    break;
                }
                class |= byte;
                at += 1;
            }
            let word = &text[start..at];
            if word.len() < 3 {
                continue;
            }
            if class & UPPER == 0 {
                distinct.insert(Cow::Borrowed(word));
            } else if let Some(lower) = lowered.get_mut(..word.len()) {
                lower.copy_from_slice(word.as_bytes());
                lower.make_ascii_lowercase();
                let lower = std::str::from_utf8(lower).expect("ASCII stays ASCII");
                if !distinct.contains(lower) {
                    distinct.insert(Cow::Owned(lower.to_string()));
                }
            } else {
                distinct.insert(Cow::Owned(word.to_ascii_lowercase()));
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

#[cfg(test)]
mod tests {
    use super::read::text_of;
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

    proptest::proptest! {
        /// Words as the definition reads, the long way: every run of
        /// letters and digits of three characters or more, lowercased,
        /// once each, sorted.
        #[test]
        fn words_are_every_distinct_run_of_letters_lowercased(
            text in "([A-Za-z0-9]{1,6}|[ .,'\\-]{1,3}|[A-Z][a-z]{2,5}|[a-z]{70,80}|[A-Z]{65,70}){0,40}",
        ) {
            let long_way: std::collections::BTreeSet<String> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 3)
                .map(str::to_lowercase)
                .collect();
            let long_way: Vec<String> = long_way.into_iter().collect();
            proptest::prop_assert_eq!(words(&text), long_way.join(" "));
        }
    }

    #[test]
    fn an_nbsp_typed_in_front_matter_is_a_space_not_a_word() {
        assert_eq!(words(&plain("Win&nbsp;rate &amp; more")), "more rate win");
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
}

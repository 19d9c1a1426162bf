//! `bullpen diff`: a word-level diff of prose as HTML. Entry: [`word_diff`].

use crate::text::escape_markup as escape;
use std::fmt::Write;

/// Words kept around each change; longer unchanged runs are collapsed.
const CONTEXT_WORDS: usize = 12;

/// A word-level diff as HTML with `<ins>`/`<del>`, unchanged runs collapsed.
pub fn word_diff(old: &str, new: &str) -> (String, usize, usize) {
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_words(old, new);
    let mut html = String::new();
    let (mut inserted, mut deleted) = (0, 0);
    let mut equal: Vec<&str> = Vec::new();
    let flush = |equal: &mut Vec<&str>, html: &mut String, at_start: bool, at_end: bool| {
        let words: Vec<&&str> = equal.iter().filter(|w| !w.trim().is_empty()).collect();
        let keep_head = if at_start { 0 } else { CONTEXT_WORDS };
        let keep_tail = if at_end { 0 } else { CONTEXT_WORDS };
        if words.len() > keep_head + keep_tail + 4 {
            // Tokens include whitespace; count words, cut at token boundaries.
            let mut seen = 0;
            let mut head_end = 0;
            while head_end < equal.len() && seen < keep_head {
                if !equal[head_end].trim().is_empty() {
                    seen += 1;
                }
                head_end += 1;
            }
            let mut seen = 0;
            let mut tail_start = equal.len();
            while tail_start > head_end && seen < keep_tail {
                tail_start -= 1;
                if !equal[tail_start].trim().is_empty() {
                    seen += 1;
                }
            }
            html.push_str(&escape(&equal[..head_end].concat()));
            html.push_str("<span class=\"collapsed\"> … </span>");
            html.push_str(&escape(&equal[tail_start..].concat()));
        } else {
            html.push_str(&escape(&equal.concat()));
        }
        equal.clear();
    };
    let mut started = false;
    // Consecutive insertions (or deletions) become one <ins> (or <del>).
    let mut pending: Option<(similar::ChangeTag, String)> = None;
    let close = |pending: &mut Option<(similar::ChangeTag, String)>, html: &mut String| {
        if let Some((tag, text)) = pending.take() {
            let name = if tag == similar::ChangeTag::Insert {
                "ins"
            } else {
                "del"
            };
            let _ = write!(html, "<{name}>{}</{name}>", escape(&text));
        }
    };
    for change in diff.iter_all_changes() {
        let value = change.value();
        match change.tag() {
            similar::ChangeTag::Equal if value.trim().is_empty() && pending.is_some() => {
                // A space between two changed words stays inside the change.
                if let Some((_, text)) = &mut pending {
                    text.push_str(value);
                }
            }
            similar::ChangeTag::Equal => {
                close(&mut pending, &mut html);
                equal.push(value);
            }
            tag => {
                if pending.as_ref().is_some_and(|(t, _)| *t != tag) {
                    close(&mut pending, &mut html);
                }
                if pending.is_none() {
                    flush(&mut equal, &mut html, !started, false);
                }
                started = true;
                let words = value.split_whitespace().count();
                if tag == similar::ChangeTag::Insert {
                    inserted += words;
                } else {
                    deleted += words;
                }
                pending
                    .get_or_insert_with(|| (tag, String::new()))
                    .1
                    .push_str(value);
            }
        }
    }
    close(&mut pending, &mut html);
    flush(&mut equal, &mut html, !started, true);
    if !started {
        html.clear();
    }
    (html, inserted, deleted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_insertions_and_deletions() {
        let (html, inserted, deleted) = word_diff(
            "Ask about budget early.",
            "Ask about the cost of the problem early.",
        );
        assert!(html.contains("<del>budget</del>"), "{html}");
        assert!(
            html.contains("<ins>the</ins>") || html.contains("<ins>the cost"),
            "{html}"
        );
        assert_eq!((inserted, deleted), (5, 1));
    }

    #[test]
    fn word_diff_collapses_long_unchanged_runs_and_escapes() {
        let words: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
        let old = words.join(" ");
        let new = format!("{old} <b>added</b>");
        let (html, _, _) = word_diff(&old, &new);
        assert!(html.contains("collapsed"), "{html}");
        assert!(!html.contains("w5 "), "{html}");
        assert!(html.contains("w99"));
        assert!(html.contains("&lt;b&gt;"));
    }
}

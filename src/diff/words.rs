//! `bullpen diff`: a word-level diff of prose, as runs of words for the
//! review page's template. Entry: [`word_diff`].

use serde::Serialize;

/// Words kept around each change; longer unchanged runs are collapsed.
const CONTEXT_WORDS: usize = 12;

/// A run of words of the diff (whitespace included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Words {
    pub change: Change,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Same,
    Inserted,
    Deleted,
    /// Unchanged words left out, far from any change (`text` is empty).
    Collapsed,
}

impl Words {
    fn new(change: Change, text: impl Into<String>) -> Words {
        Words {
            change,
            text: text.into(),
        }
    }
}

/// A word-level diff, unchanged runs collapsed, with the number of words
/// inserted and deleted; empty when nothing changed.
pub fn word_diff(old: &str, new: &str) -> (Vec<Words>, usize, usize) {
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_words(old, new);
    let mut runs = Vec::new();
    let (mut inserted, mut deleted) = (0, 0);
    let mut equal: Vec<&str> = Vec::new();
    let flush = |equal: &mut Vec<&str>, runs: &mut Vec<Words>, at_start: bool, at_end: bool| {
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
            runs.push(Words::new(Change::Same, equal[..head_end].concat()));
            runs.push(Words::new(Change::Collapsed, ""));
            runs.push(Words::new(Change::Same, equal[tail_start..].concat()));
        } else {
            runs.push(Words::new(Change::Same, equal.concat()));
        }
        equal.clear();
    };
    let mut started = false;
    // Consecutive insertions (or deletions) become one run.
    let mut pending: Option<(similar::ChangeTag, String)> = None;
    let close = |pending: &mut Option<(similar::ChangeTag, String)>, runs: &mut Vec<Words>| {
        if let Some((tag, text)) = pending.take() {
            let change = if tag == similar::ChangeTag::Insert {
                Change::Inserted
            } else {
                Change::Deleted
            };
            runs.push(Words::new(change, text));
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
                close(&mut pending, &mut runs);
                equal.push(value);
            }
            tag => {
                if pending.as_ref().is_some_and(|(t, _)| *t != tag) {
                    close(&mut pending, &mut runs);
                }
                if pending.is_none() {
                    flush(&mut equal, &mut runs, !started, false);
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
    close(&mut pending, &mut runs);
    flush(&mut equal, &mut runs, !started, true);
    if !started {
        runs.clear();
    }
    // Empty runs (an unchanged stretch cut to nothing) say nothing.
    runs.retain(|words| words.change == Change::Collapsed || !words.text.is_empty());
    (runs, inserted, deleted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(runs: &[Words], change: Change) -> Vec<&str> {
        runs.iter()
            .filter(|w| w.change == change)
            .map(|w| w.text.as_str())
            .collect()
    }

    #[test]
    fn word_diff_marks_insertions_and_deletions() {
        let (runs, inserted, deleted) = word_diff(
            "Ask about budget early.",
            "Ask about the cost of the problem early.",
        );
        assert_eq!(text_of(&runs, Change::Deleted), ["budget"], "{runs:?}");
        assert!(
            text_of(&runs, Change::Inserted)
                .iter()
                .any(|t| t.starts_with("the")),
            "{runs:?}"
        );
        assert_eq!((inserted, deleted), (5, 1));
    }

    #[test]
    fn word_diff_collapses_long_unchanged_runs_and_keeps_text_as_it_is() {
        let words: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
        let old = words.join(" ");
        let new = format!("{old} <b>added</b>");
        let (runs, _, _) = word_diff(&old, &new);
        assert_eq!(runs[0].change, Change::Collapsed, "{runs:?}");
        let same = text_of(&runs, Change::Same).concat();
        assert!(!same.contains("w5 ") && same.contains("w99"), "{same}");
        assert!(text_of(&runs, Change::Inserted).concat().contains("<b>"));
    }

    #[test]
    fn no_change_is_no_runs() {
        assert_eq!(word_diff("Same words.", "Same words.").0, []);
    }
}

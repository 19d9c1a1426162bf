//! Small text helpers shared by every stage: suggestions, slugs, and
//! content made safe to echo on a terminal.

/// The candidate closest to `word`, if one is close enough to be a likely
/// typo (used for "did you mean" help).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| {
            (
                strsim::normalized_damerau_levenshtein(word, candidate),
                candidate,
            )
        })
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, candidate)| candidate)
}

/// A heading's anchor id the way GitHub makes it: lowercase, spaces to
/// hyphens, punctuation dropped. Keeps links like `first-call.md#pricing`
/// working both in a pull request and on the site.
pub fn github_slug(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Text made safe inside HTML or XML, in element content and quoted
/// attributes alike.
pub fn escape_markup(text: &str) -> String {
    // One pass, copying runs of plain text whole; most text has nothing
    // to escape and is copied once.
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"']) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => "&quot;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out
}

/// `account-management` → `Account management`, `cold_calling` → `Cold calling`.
pub fn sentence_case(text: &str) -> String {
    let words = text.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether a character must not reach a terminal as it is: control
/// characters other than tab (they move the cursor, ring the bell or start
/// escape sequences) and Unicode's bidirectional overrides (they reorder
/// what is shown, so that the text reads as something it is not).
pub fn unprintable(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every [`unprintable`] character replaced by `�`.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(unprintable) {
        text.chars()
            .map(|c| if unprintable(c) { '\u{fffd}' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// At most `width` characters of `text`, [`printable`], cut with `…`:
/// for quoting a value from content in a message.
pub fn excerpt(text: &str, width: usize) -> String {
    let shown = printable(text);
    if shown.chars().count() <= width {
        return shown.into_owned();
    }
    let mut cut: String = shown.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// A window of at most `width` characters of a source line around the
/// 1-based character `column`, [`printable`], with `…` where it is cut;
/// returns the window and the column's place in it (1-based).
pub fn window(line: &str, column: usize, width: usize) -> (String, usize) {
    let chars: Vec<char> = printable(line).chars().collect();
    let width = width.max(8);
    if chars.len() <= width {
        return (chars.into_iter().collect(), column);
    }
    let at = column.saturating_sub(1).min(chars.len());
    // The column sits a third of the way in, so what follows it shows.
    let start = at.saturating_sub(width / 3).min(chars.len() - width);
    let end = start + width;
    let mut shown = String::new();
    let mut caret = at - start + 1;
    if start > 0 {
        shown.push('…');
        caret += 1;
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, caret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(printable("a\u{1b}[31mb\u{7}c\td"), "a�[31mb�c\td");
        assert_eq!(printable("abc\u{202e}cba"), "abc�cba");
        assert!(matches!(printable("plain"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(excerpt("abcdef", 4), "abc…");
        assert_eq!(excerpt("a\u{0}b", 10), "a�b");
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = "x".repeat(20_000) + "BAD" + &"y".repeat(20_000);
        let (shown, caret) = window(&line, 20_001, 100);
        assert_eq!(shown.chars().count(), 102, "100 characters and two `…`");
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(shown.chars().nth(caret - 1), Some('B'));
        let (short, caret) = window("name: x", 7, 100);
        assert_eq!((short.as_str(), caret), ("name: x", 7));
        let (start, caret) = window(&line, 1, 100);
        assert!(!start.starts_with('…') && start.ends_with('…'));
        assert_eq!(caret, 1);
        let (end, caret) = window(&line, 40_003, 100);
        assert!(end.starts_with('…') && !end.ends_with('…'));
        assert_eq!(end.chars().nth(caret - 1), Some('y'));
    }

    #[test]
    fn suggests_close_names_only() {
        let fields = ["quota", "closed_won", "deals_won"];
        assert_eq!(closest("qouta", fields), Some("quota"));
        assert_eq!(closest("closedwon", fields), Some("closed_won"));
        assert_eq!(closest("xyz", fields), None);
    }

    #[test]
    fn sentence_case_reads_like_a_label() {
        assert_eq!(sentence_case("account-management"), "Account management");
        assert_eq!(sentence_case(""), "");
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape_markup(r#"<a href="x">&</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn slugs_match_github() {
        assert_eq!(github_slug("Pricing questions"), "pricing-questions");
        assert_eq!(
            github_slug("1. Open: the first 5 minutes!"),
            "1-open-the-first-5-minutes"
        );
        assert_eq!(github_slug("MEDDICC, step by step"), "meddicc-step-by-step");
    }
}

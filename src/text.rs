//! Small text helpers shared by every stage: suggestions and slugs.

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

#[cfg(test)]
mod tests {
    use super::*;

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

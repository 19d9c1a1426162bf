//! Small text helpers shared by every stage: suggestions, slugs, markup
//! escaping, control characters, names fit for links and web addresses, and
//! content made safe to echo on a terminal.

use std::borrow::Cow;

/// Resolves a relative `/`-separated path against the folder of `from` (a
/// file's path, like `playbooks/discovery/first-call.md` or
/// `people/index.html`), as GitHub and browsers do: empty parts and `.`
/// are skipped, `..` climbs a folder. `None` when it climbs above the
/// root. The result has no leading or trailing `/`.
pub fn resolve_relative(from: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

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
    // XML cannot carry control characters even escaped, so they go first.
    let text = without_controls(text);
    // One pass, copying runs of plain text whole; most text has nothing
    // to escape and is copied once.
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_ref();
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

/// Whether `c` is a control character that XML 1.0 forbids or HTML
/// reports as a parse error: every C0 control but tab, line feed and
/// carriage return, DEL, and the C1 controls.
fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The byte offset of the first control character other than tab, LF and
/// CR: C0 and DEL are single bytes, C1 (U+0080 to U+009F) is 0xC2 followed
/// by 0x80 to 0x9F. This runs over every text file and page, so bytes are
/// looked at 64 at a time without branching (which the compiler turns into
/// vector instructions), and one by one only in a block with a suspect.
pub fn first_control(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let suspect =
        |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) | (b == 0x7f) | (b == 0xc2);
    let mut start = 0;
    for block in bytes.chunks(64) {
        if block.iter().fold(false, |any, &b| any | suspect(b)) {
            let found = block.iter().enumerate().position(|(i, &b)| {
                suspect(b)
                    && (b != 0xc2
                        || bytes
                            .get(start + i + 1)
                            .is_some_and(|n| (0x80..=0x9f).contains(n)))
            });
            if let Some(i) = found {
                return Some(start + i);
            }
        }
        start += block.len();
    }
    None
}

/// `text` with every forbidden control character (any but tab, line feed
/// and carriage return) replaced by U+FFFD, the replacement character:
/// what CommonMark does with NUL, and visible where something was. Text
/// without any is borrowed, not copied.
pub fn without_controls(text: &str) -> Cow<'_, str> {
    if first_control(text).is_none() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if is_forbidden_control(c) {
                    '\u{fffd}'
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// Like [`without_controls`], for an owned string: returned as it is when
/// it has none.
pub fn into_without_controls(text: String) -> String {
    match without_controls(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(clean) => clean,
    }
}

/// The characters a page's or image's name may hold, said the same way in
/// every error.
pub const LINK_SAFE: &str = "letters, digits, `-`, `_` and `.` (ASCII)";

/// Whether a file or folder name works unchanged in every link, sitemap
/// and feed: ASCII letters, digits, `-`, `_` and `.`. Anything else —
/// `#`, `?` and `%` above all, which end or escape a URL's path — would
/// need encoding in each of them.
pub fn is_link_safe(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// A link-safe name close to `name`: each run of other characters becomes
/// one hyphen (`say "hi".md` → `say-hi.md`).
pub fn link_safe_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.') {
            if c == '.' && out.ends_with('-') {
                out.pop();
            }
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() && !out.ends_with('.') {
            out.push('-');
        }
    }
    out
}

/// Checks an address the site publishes or links to (`base_url`,
/// `repo_url`, `--base-url`): an absolute `http://` or `https://` URL with
/// a host, and nothing a link could not carry as it is. Says what is wrong
/// otherwise.
pub fn check_web_address(text: &str) -> Result<(), String> {
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("it holds spaces or control characters".into());
    }
    let url = url::Url::parse(text).map_err(|err| match err {
        url::ParseError::RelativeUrlWithoutBase => {
            "it has no scheme: it is a path, not a whole address".to_string()
        }
        url::ParseError::EmptyHost => "it has no host".to_string(),
        other => format!("it is not a URL ({other})"),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("its scheme is `{}:`", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("it has no host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("it holds a user name or password".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("it has a `?` query or a `#` fragment".into());
    }
    Ok(())
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

/// Whether a file name is an editor's or tool's scratch file rather than
/// content: dotfiles (`.DS_Store`, Emacs's `.#lock`), Vim's swap files
/// (`*.swp`, `*.swx`, `*.swo`) and its write test `4913`, backups (`*~`),
/// Emacs's autosaves (`#name#`), `*.tmp`, and sed's in-place temporaries
/// (`sed` and six letters or digits, no extension). The watcher does not
/// rebuild for them and the loader does not read them.
pub fn is_editor_scratch(name: &str) -> bool {
    let sed_temp = name.len() == 9
        && name.starts_with("sed")
        && name[3..].bytes().all(|b| b.is_ascii_alphanumeric());
    name.starts_with('.')
        || name.ends_with('~')
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swx", ".swo", ".tmp", ".kate-swp"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
        || name == "4913"
        || sed_temp
}

/// The path part of a base URL (`https://x.example/handbook/` → `/handbook/`).
pub fn base_path(base_url: &str) -> String {
    match base_url.split_once("://") {
        Some((_, rest)) => rest
            .find('/')
            .map_or("/".to_string(), |i| rest[i..].to_string()),
        None => base_url.to_string(),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn editors_scratch_files_are_not_content() {
        for name in [
            ".sofia.yaml.swp",
            "sofia.yaml.swp",
            "sofia.yaml.swx",
            "sofia.yaml~",
            ".#sofia.yaml",
            "#sofia.yaml#",
            "4913",
            "sed3SO84X",
            "sedabcdef",
            "sofia.yaml.tmp",
            ".DS_Store",
        ] {
            assert!(is_editor_scratch(name), "{name}");
        }
        for name in [
            "sofia.yaml",
            "first-call.md",
            "sed.md",
            "sedation.md",
            "sed3SO84X.yaml",
            "sed3SO84",
            "#",
            "4913.md",
            "tmp.md",
        ] {
            assert!(!is_editor_scratch(name), "{name}");
        }
    }

    use super::*;

    #[test]
    fn relative_paths_resolve_against_the_folder_of_their_file() {
        let from = "playbooks/discovery/first-call.md";
        let resolve = |relative| resolve_relative(from, relative);
        assert_eq!(
            resolve("../closing/a.md").as_deref(),
            Some("playbooks/closing/a.md")
        );
        assert_eq!(
            resolve("./b.md").as_deref(),
            Some("playbooks/discovery/b.md")
        );
        assert_eq!(
            resolve("img//c.png").as_deref(),
            Some("playbooks/discovery/img/c.png")
        );
        assert_eq!(resolve("../../../x.md"), None);
        assert_eq!(
            resolve_relative("index.html", "people/").as_deref(),
            Some("people")
        );
        assert_eq!(resolve_relative("index.html", ""), Some(String::new()));
    }

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
    fn control_characters_are_found_where_they_are() {
        assert_eq!(first_control("okéx\u{9f}"), Some(5));
        assert_eq!(first_control("ok\u{85}"), Some(2));
        assert_eq!(first_control("tab\tcr\r\nö€ £ nbsp\u{a0}"), None);
        // Across the 64-byte blocks: a C1 control split over two of them.
        let long = format!("{}\u{85}", "a".repeat(63));
        assert_eq!(first_control(&long), Some(63));
        let later = format!("{}\u{7f}", "\n".repeat(200));
        assert_eq!(first_control(&later), Some(200));
    }

    proptest::proptest! {
        #[test]
        fn control_characters_found_as_chars_would_find_them(text in "[a\t\n\r\u{0}-\u{1f}\u{7f}-\u{a3}é€]{0,150}") {
            let by_chars = text
                .char_indices()
                .find(|(_, c)| is_forbidden_control(*c))
                .map(|(at, _)| at);
            proptest::prop_assert_eq!(first_control(&text), by_chars);
        }
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

    #[test]
    fn control_characters_are_replaced_and_clean_text_is_borrowed() {
        assert!(matches!(
            without_controls("plain\ttext\r\n"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            without_controls("a\0b\x01c\x1b[0m\x7f\u{85}é"),
            "a\u{fffd}b\u{fffd}c\u{fffd}[0m\u{fffd}\u{fffd}é"
        );
        assert_eq!(escape_markup("<\x0c>"), "&lt;\u{fffd}&gt;");
    }

    #[test]
    fn names_fit_for_links() {
        for good in ["first-call.md", "Q3_plan.v2.md", "_index.md"] {
            assert!(is_link_safe(good), "{good}");
        }
        for bad in [
            "q3#plan.md",
            "what?.md",
            "100%.md",
            "don't.md",
            "a\"b",
            "a\\b",
            "first call.md",
            "präsentation.md",
            "",
        ] {
            assert!(!is_link_safe(bad), "{bad}");
        }
        assert_eq!(link_safe_name("say \"hi\".md"), "say-hi.md");
        assert_eq!(link_safe_name("q3#plan.md"), "q3-plan.md");
        assert_eq!(link_safe_name("first call.md"), "first-call.md");
    }

    #[test]
    fn web_addresses_are_http_or_https_with_a_host() {
        for good in [
            "https://sales.example.com/",
            "http://localhost:8080/handbook/",
            "https://github.com/example/sales",
        ] {
            assert_eq!(check_web_address(good), Ok(()), "{good}");
        }
        for (bad, why) in [
            ("javascript:alert(1)", "scheme is `javascript:`"),
            ("JavaScript:alert(1)", "scheme is `javascript:`"),
            ("data:text/html,x", "scheme is `data:`"),
            ("ftp://files.example.com/", "scheme is `ftp:`"),
            ("/sales/", "no scheme"),
            ("https://", "no host"),
            ("https://user:secret@example.com/", "user name or password"),
            ("https://example.com/?a=1", "query"),
            ("https://exa mple.com/", "spaces"),
        ] {
            let err = check_web_address(bad).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }
}

/// Helpers for unit tests across the crate.
#[cfg(test)]
pub(crate) mod tests_support {
    use std::path::Path;

    /// A copy of `tests/fixtures/small` in a temporary folder.
    pub(crate) fn small_fixture_copy() -> tempfile::TempDir {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small");
        let dir = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(&fixture) {
            let entry = entry.unwrap();
            let target = dir
                .path()
                .join(entry.path().strip_prefix(&fixture).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
        dir
    }
}

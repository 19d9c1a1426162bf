//! Render stage: the text of a built page, as the search index reads it
//! — its characters, and apart the text of its headings. Entry: [`read`].

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;

/// Text without tags, entities decoded, for indexing: read by the HTML
/// tokenizer, as `bullpen check --site` reads built pages.
#[cfg(test)]
pub(super) fn text_of(html: &str) -> String {
    read(html).text
}

/// The text of HTML and, apart, the text of its headings.
pub(super) struct Read {
    pub text: String,
    pub headings: Vec<String>,
}

pub(super) fn read(html: &str) -> Read {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_read_apart_from_the_text() {
        let read = read("<h2 id=\"a\">Ask <em>why</em> now</h2><p>Budget first.</p><h3>Next</h3>");
        assert_eq!(read.headings, ["Ask why now", "Next"]);
        assert!(read.text.contains("Budget first."));
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
}

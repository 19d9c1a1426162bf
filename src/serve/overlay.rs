//! Serve stage: the error overlay a page carries while the content is
//! broken — each error's file, line and column, message and help, and the
//! lines of its file around it. Entries: [`Shown::new`], [`html`].

use crate::error::Diagnostic;
use crate::text::escape_markup;
use std::path::Path;

/// Lines shown on each side of an error's line.
const CONTEXT: usize = 2;
/// Characters of a source line shown; a longer line is cut around the column.
const WIDTH: usize = 120;

/// An error of the last rebuild as the overlay shows it.
#[derive(Debug, Clone)]
pub struct Shown {
    pub diagnostic: Diagnostic,
    /// The lines around the error's line, read when the rebuild failed;
    /// empty without a line or a readable file.
    pub excerpt: Vec<ExcerptLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcerptLine {
    /// Counted from 1.
    pub number: usize,
    pub text: String,
    /// On the error's line: where the caret goes (counted from 1), if known.
    pub caret: Option<usize>,
    /// Whether this is the error's line.
    pub here: bool,
}

impl Shown {
    /// The diagnostic with the lines of `root/<its file>` around its line.
    pub fn new(diagnostic: Diagnostic, root: &Path) -> Shown {
        let excerpt = diagnostic
            .line
            .and_then(|line| {
                let bytes = std::fs::read(root.join(&diagnostic.file)).ok()?;
                Some(excerpt(
                    &String::from_utf8_lossy(&bytes),
                    line,
                    diagnostic.column,
                ))
            })
            .unwrap_or_default();
        Shown {
            diagnostic,
            excerpt,
        }
    }
}

/// The lines of `source` from `CONTEXT` before `line` to `CONTEXT` after,
/// made printable and cut to `WIDTH` characters around the column.
fn excerpt(source: &str, line: usize, column: Option<usize>) -> Vec<ExcerptLine> {
    let first = line.saturating_sub(CONTEXT).max(1);
    source
        .lines()
        .enumerate()
        .map(|(index, text)| (index + 1, text))
        .skip(first - 1)
        .take_while(|(number, _)| *number <= line + CONTEXT)
        .map(|(number, text)| {
            let here = number == line;
            let printable = crate::text::printable(text).into_owned();
            let (text, caret) = match column.filter(|_| here) {
                Some(column) => {
                    let (shown, at) = crate::text::window(&printable, column, WIDTH);
                    (shown, Some(at))
                }
                None => (crate::text::excerpt(&printable, WIDTH), None),
            };
            ExcerptLine {
                number,
                text,
                caret,
                here,
            }
        })
        .collect()
}

/// The overlay: every error of the last rebuild over the last good page.
/// Opaque, so the page does not show through, and every long path and
/// line wraps on a phone.
pub fn html(errors: &[Shown]) -> String {
    let mut html = String::from(
        "<div id=\"bullpen-error\" role=\"alert\" style=\"position:fixed;inset:0;z-index:9999;overflow:auto;\
         background:#141414;color:#fff;font:15px/1.5 ui-monospace,monospace;padding:clamp(.75rem,4vw,2rem);\
         overflow-wrap:anywhere;box-sizing:border-box\">\
         <h2 style=\"color:#ff8a80;margin-top:0;font-size:1.25rem\">The site could not be rebuilt</h2>\
         <p>Showing the last good build. Fix the file and save: this page reloads by itself.</p>\
         <ol style=\"padding-left:1.5rem\">",
    );
    for Shown {
        diagnostic: error,
        excerpt,
    } in errors
    {
        let mut place = error.file.display().to_string().replace('\\', "/");
        if let Some(line) = error.line {
            place.push_str(&format!(":{line}"));
            if let Some(column) = error.column {
                place.push_str(&format!(":{column}"));
            }
        }
        html.push_str(&format!(
            "<li style=\"margin-bottom:1.25rem\"><strong>{}</strong> — {}",
            escape_markup(&place),
            escape_markup(&error.message)
        ));
        if let Some(help) = &error.help {
            html.push_str(&format!("<br><em>help: {}</em>", escape_markup(help)));
        }
        if !excerpt.is_empty() {
            html.push_str(
                "<pre style=\"margin:.5rem 0 0;padding:.5rem .75rem;background:#222;border-radius:6px;\
                 overflow-x:auto;white-space:pre;font:13px/1.45 ui-monospace,monospace\">",
            );
            let gutter = excerpt.last().map_or(1, |l| l.number.to_string().len());
            for line in excerpt {
                let style = if line.here {
                    " style=\"color:#fff;font-weight:700\""
                } else {
                    " style=\"color:#aaa\""
                };
                html.push_str(&format!(
                    "<span{style}>{:>gutter$} │ {}</span>\n",
                    line.number,
                    escape_markup(&line.text)
                ));
                if let Some(caret) = line.caret {
                    html.push_str(&format!(
                        "<span style=\"color:#ff8a80\">{:gutter$} │ {}^</span>\n",
                        "",
                        " ".repeat(caret.saturating_sub(1))
                    ));
                }
            }
            html.push_str("</pre>");
        }
        html.push_str("</li>");
    }
    html.push_str("</ol></div>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_excerpt_is_the_lines_around_the_error_with_a_caret() {
        let source = "one\ntwo\nthree\nfour\nfive\nsix\n";
        let lines = excerpt(source, 4, Some(2));
        let numbers: Vec<usize> = lines.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [2, 3, 4, 5, 6]);
        let here: Vec<&ExcerptLine> = lines.iter().filter(|l| l.here).collect();
        assert_eq!(here.len(), 1);
        assert_eq!(here[0].text, "four");
        assert_eq!(here[0].caret, Some(2));
        assert_eq!(excerpt(source, 1, None)[0].number, 1);
        assert_eq!(excerpt(source, 1, None).len(), 3);
    }

    #[test]
    fn the_overlay_is_opaque_wraps_and_escapes_the_excerpt() {
        let shown = Shown {
            diagnostic: Diagnostic::error("content/a.md", "bad")
                .at(Some(crate::error::Position::line(2))),
            excerpt: excerpt("x\n<script>\ny\n", 2, None),
        };
        let html = html(&[shown]);
        assert!(html.contains("background:#141414"), "{html}");
        assert!(!html.contains("rgba("), "{html}");
        assert!(html.contains("overflow-wrap:anywhere"));
        assert!(html.contains("2 │ &lt;script&gt;"), "{html}");
        assert!(!html.contains("<script>"));
    }
}

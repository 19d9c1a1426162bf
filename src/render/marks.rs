//! Render stage, templates: the partials a build places many thousand
//! times — a cell, the wrapper around a Markdown table — rendered once per
//! kind with marks where their values go, then filled in for each use.
//! Entry: [`Pattern`], [`CellPatterns`].
//!
//! A template call per cell costs a tenth of a large build; filling a
//! pattern costs what writing the HTML in Rust did, and the markup is
//! still the theme's.

use super::templates::CELL;
use crate::format::CLASSES;
use tera::TeraResult;

/// Stand-ins for a partial's values: private-use characters, which
/// escaping leaves alone and a theme's markup does not contain.
const MARKS: [char; 3] = ['\u{E001}', '\u{E002}', '\u{E003}'];

/// A partial's output with slots where its values go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Markup(String),
    /// The value given as `MARKS[n]`.
    Slot(usize),
}

impl Pattern {
    /// Renders the template `name` with each of `slots` (variable names)
    /// set to a mark, besides `context`, and notes where the marks came out.
    pub fn render(
        tera: &tera::Tera,
        name: &str,
        slots: &[&'static str],
        mut context: tera::Context,
    ) -> TeraResult<Pattern> {
        for (slot, mark) in slots.iter().zip(MARKS) {
            context.insert(*slot, &mark.to_string());
        }
        Ok(Pattern::parse(&tera.render(name, &context)?))
    }

    fn parse(html: &str) -> Pattern {
        let mut pieces = Vec::new();
        let mut rest = html;
        while let Some(at) = rest.find(MARKS) {
            if at > 0 {
                pieces.push(Piece::Markup(rest[..at].to_string()));
            }
            let mark = rest[at..].chars().next().unwrap_or(MARKS[0]);
            let slot = MARKS.iter().position(|m| *m == mark).unwrap_or(0);
            pieces.push(Piece::Slot(slot));
            rest = &rest[at + mark.len_utf8()..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Markup(rest.to_string()));
        }
        Pattern { pieces }
    }

    /// The markup before and after the one place slot 0 is shown, if it
    /// is shown exactly once (and no other slot is).
    pub fn around(&self) -> Option<(String, String)> {
        let at = self.pieces.iter().position(|p| *p == Piece::Slot(0))?;
        let markup = |pieces: &[Piece]| -> Option<String> {
            pieces
                .iter()
                .map(|p| match p {
                    Piece::Markup(text) => Some(text.as_str()),
                    Piece::Slot(_) => None,
                })
                .collect()
        };
        Some((markup(&self.pieces[..at])?, markup(&self.pieces[at + 1..])?))
    }

    /// Writes the pattern into `out`, each slot by `value`.
    pub fn fill(&self, out: &mut String, mut value: impl FnMut(usize, &mut String)) {
        for piece in &self.pieces {
            match piece {
                Piece::Markup(text) => out.push_str(text),
                Piece::Slot(slot) => value(*slot, out),
            }
        }
    }
}

/// The theme's `partials/cell.html` for every class of cell, with and
/// without a note and a detail.
#[derive(Debug, Clone)]
pub struct CellPatterns {
    /// By class (in the order of [`CLASSES`]), then by which of the note
    /// and the detail are given (`note + 2 × detail`).
    patterns: Vec<[Pattern; 4]>,
}

impl CellPatterns {
    pub fn render(tera: &tera::Tera) -> TeraResult<CellPatterns> {
        let pattern = |class: &str, given: usize| {
            let slot = |index: usize, shown: bool| {
                if shown {
                    MARKS[index].to_string().into()
                } else {
                    tera::Value::none()
                }
            };
            let mut cell = tera::Map::new();
            // In the order `Cell` serializes them.
            cell.insert("text".into(), slot(0, true));
            cell.insert("note".into(), slot(1, given & 1 != 0));
            cell.insert("class".into(), class.to_string().into());
            cell.insert("detail".into(), slot(2, given & 2 != 0));
            let mut context = tera::Context::new();
            context.insert("cell", &tera::Value::from(cell));
            Pattern::render(tera, CELL, &[], context)
        };
        let patterns = CLASSES
            .iter()
            .map(|class| {
                Ok([
                    pattern(class, 0)?,
                    pattern(class, 1)?,
                    pattern(class, 2)?,
                    pattern(class, 3)?,
                ])
            })
            .collect::<TeraResult<_>>()?;
        Ok(CellPatterns { patterns })
    }

    /// Writes a cell (`text`, `note`, `class`, `detail`, as
    /// [`crate::format::Cell`] serializes) into `out`, its words escaped
    /// when `escape`.
    pub fn draw(
        &self,
        cell: &tera::Map,
        out: &mut String,
        escape: bool,
    ) -> std::result::Result<(), String> {
        let (mut text, mut note, mut class, mut detail) = (None, None, None, None);
        for (key, value) in cell {
            match key.as_str() {
                Some("text") => text = value.as_str(),
                Some("note") => note = value.as_str(),
                Some("class") => class = value.as_str(),
                Some("detail") => detail = value.as_str(),
                _ => {}
            }
        }
        let (Some(text), Some(class)) = (text, class) else {
            return Err("the `cell` filter draws a cell: a value with `text` and `class`".into());
        };
        let by_given = CLASSES
            .iter()
            .position(|c| *c == class)
            .and_then(|index| self.patterns.get(index))
            .ok_or_else(|| format!("`{class}` is not a class of cell"))?;
        let given = usize::from(note.is_some()) + 2 * usize::from(detail.is_some());
        by_given[given].fill(out, |slot, out| {
            let value = [Some(text), note, detail]
                .get(slot)
                .copied()
                .flatten()
                .unwrap_or("");
            if escape {
                escape_into(value, out);
            } else {
                out.push_str(value);
            }
        });
        Ok(())
    }
}

/// Escapes `text` as Tera's autoescaping does (`&`, `<`, `>`, `"` and `'`),
/// so a cell reads as any other value in a template.
fn escape_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_keeps_markup_and_slots_in_order() {
        let html = format!("<b title=\"{}\">{}</b>{}", MARKS[1], MARKS[0], MARKS[0]);
        let pattern = Pattern::parse(&html);
        let mut out = String::new();
        pattern.fill(&mut out, |slot, out| out.push_str(["t", "n"][slot]));
        assert_eq!(out, "<b title=\"n\">t</b>t");
        assert_eq!(pattern.around(), None, "slot 0 shown twice");
        let wrap = Pattern::parse(&format!("<div>{}</div>", MARKS[0]));
        assert_eq!(wrap.around(), Some(("<div>".into(), "</div>".into())));
        assert_eq!(Pattern::parse("<div></div>").around(), None);
    }

    #[test]
    fn cells_are_escaped_as_templates_escape_values() {
        let text = "a & b < c > d \"e\" f's — 5%";
        let mut ours = String::new();
        escape_into(text, &mut ours);
        let mut tera = Vec::new();
        tera::escape_html(text, &mut tera).unwrap();
        assert_eq!(ours.as_bytes(), tera);
    }
}

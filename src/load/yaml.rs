//! Load stage: YAML parsing that keeps file locations.
//!
//! [`parse`] turns a serde error into a located [`Diagnostic`]; [`locate`]
//! finds where a key sits in the source so that later stages can point at
//! the line of a field that parsed but failed validation.

use crate::error::{Diagnostic, Position};
use serde::de::DeserializeOwned;
use std::path::Path;

/// YAML text from a file, with the line the YAML starts on (2 for front
/// matter after its opening `---`, 1 for a whole `.yaml` file).
#[derive(Debug, Clone, Copy)]
pub struct YamlSource<'a> {
    pub file: &'a Path,
    pub text: &'a str,
    pub first_line: usize,
}

impl YamlSource<'_> {
    /// Deserializes the YAML, or explains where and why it does not fit.
    pub fn parse<T: DeserializeOwned>(&self, what: &str) -> Result<T, Diagnostic> {
        if let Some(position) = self.tab_indentation() {
            return Err(
                Diagnostic::error(self.file, "a tab is used for indentation")
                    .at(Some(position))
                    .with_help("YAML indents with spaces only; replace the tab with spaces"),
            );
        }
        if let Some(position) = too_deep(self.text) {
            return Err(Diagnostic::error(
                self.file,
                format!("`[` and `{{` are nested more than {MAX_FLOW_DEPTH} deep"),
            )
            .at(Some(Position {
                line: position.line + self.first_line - 1,
                column: position.column,
            }))
            .with_help("a bracket is probably never closed; no setting nests this deep"));
        }
        // An empty document deserializes as null; give serde an empty mapping
        // instead so that "missing field" names the field.
        let text = if self.text.trim().is_empty() {
            "{}"
        } else {
            self.text
        };
        serde_yaml::from_str(text).map_err(|err| {
            let position = err.location().map(|loc| Position {
                line: loc.line() + self.first_line - 1,
                column: loc.column(),
            });
            let message = clean_message(&err.to_string());
            let mut diagnostic =
                Diagnostic::error(self.file, format!("{message} (in {what})")).at(position);
            if let Some(help) = suggestion(&message) {
                diagnostic = diagnostic.with_help(help);
            }
            diagnostic
        })
    }

    /// The position of the value of the key at `path` (e.g. `["people",
    /// "alice-chen", "quota"]`), or of the deepest ancestor found.
    pub fn locate(&self, path: &[&str]) -> Option<Position> {
        locate(self.text, path).map(|p| Position {
            line: p.line + self.first_line - 1,
            column: p.column,
        })
    }

    fn tab_indentation(&self) -> Option<Position> {
        self.text.lines().enumerate().find_map(|(index, line)| {
            let indent: &str = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
            let column = indent.find('\t')?;
            (!line.trim().is_empty()).then_some(Position {
                line: index + self.first_line,
                column: column + 1,
            })
        })
    }
}

/// serde_yaml appends "at line L column C" to its messages; the location is
/// reported separately, so drop it from the text.
fn clean_message(message: &str) -> String {
    let message = match message.find(" at line ") {
        Some(index) => &message[..index],
        None => message,
    };
    // serde speaks of Rust types; people write whole numbers.
    message
        .replace("expected u32", "expected a whole number, 0 or more")
        .replace("expected u8", "expected a whole number, 0 or more")
        .replace("expected i64", "expected a whole number")
}

/// A `help:` for the messages people most often hit.
fn suggestion(message: &str) -> Option<String> {
    if message.starts_with("mapping values are not allowed") {
        return Some("this line is indented deeper than the one above, or a value holds an unquoted `: `; check the indentation, or put the value in quotes".into());
    }
    if message.starts_with("did not find expected")
        || message.starts_with("found unexpected end of stream")
    {
        return Some("a quote or bracket opened here is never closed".into());
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`')?;
        let expected: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let closest = crate::text::closest(field, expected.iter().copied());
        return Some(match closest {
            Some(name) => format!("did you mean `{name}`?"),
            None => format!("the fields allowed here are: {}", expected.join(", ")),
        });
    }
    None
}

/// Finds the line and column of the value of the key path in block-style
/// YAML: each key is searched below its parent, at a deeper indentation.
/// A key inside a flow mapping on one line (`{calls: 240}`) is found too.
pub fn locate(text: &str, path: &[&str]) -> Option<Position> {
    let mut found = None;
    let mut parent_indent: Option<usize> = None;
    let mut lines = text.lines().enumerate().peekable();
    'keys: for key in path {
        for (index, line) in lines.by_ref() {
            let body = line.trim_start_matches([' ', '-']);
            let indent = line.len() - body.len();
            if body.is_empty() || body.starts_with('#') {
                continue;
            }
            if let Some(parent) = parent_indent
                && indent <= parent
            {
                break 'keys;
            }
            let unquoted = body.trim_start_matches(['"', '\'']);
            if let Some(after) = unquoted.strip_prefix(key)
                && after.trim_start_matches(['"', '\'']).starts_with(':')
            {
                let value_column =
                    line.len() - after.trim_start_matches(['"', '\'', ':', ' ']).len();
                found = Some(Position {
                    line: index + 1,
                    column: value_column + 1,
                });
                parent_indent = Some(indent);
                continue 'keys;
            }
            // A flow mapping on one line: `activities: {calls: 240}`.
            let needle = format!("{key}:");
            if let Some(column) = line
                .find(&format!("{{{needle}"))
                .map(|c| c + 1)
                .or_else(|| line.find(&format!(" {needle}")).map(|c| c + 1))
                && parent_indent.is_some_and(|p| indent > p || line.contains('{'))
            {
                found = Some(Position {
                    line: index + 1,
                    column: column + needle.len() + 1,
                });
                break 'keys;
            }
        }
        break;
    }
    found
}

/// How deep flow collections (`[…]`, `{…}`) may nest. serde refuses
/// anything deeper than 128 levels anyway, but only after libyaml has
/// scanned the whole document, and libyaml's scanner rechecks every open
/// flow level for each token: the time grows with the square of the
/// depth, and 100 kB of `[` took half a minute of CPU in a release build.
pub const MAX_FLOW_DEPTH: usize = 128;

/// Where flow collections first nest deeper than [`MAX_FLOW_DEPTH`], found
/// in one pass before libyaml sees the text. Quoted scalars, comments,
/// anchors and tags are skipped; a bracket counts inside a flow collection
/// and where a token starts, so `title: a [draft` does not count. It can
/// only count too much, never too little: a bracket opening a line of a
/// block scalar (`|`) or of a plain scalar's continuation counts.
pub fn too_deep(text: &str) -> Option<Position> {
    let mut depth = 0usize;
    let (mut line, mut column) = (1, 0);
    // The last character on this line outside spaces, anchors and tags.
    let mut previous: Option<char> = None;
    let mut after_space = true;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut comment = false;
    let mut property = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\n' {
            (line, column, previous) = (line + 1, 0, None);
            (after_space, comment, property) = (true, false, false);
            continue;
        }
        if comment {
            continue;
        }
        if let Some(open) = quote {
            if escaped {
                escaped = false;
            } else if open == '"' && c == '\\' {
                escaped = true;
            } else if c == open {
                // `''` inside single quotes is a quote, not the end.
                if open == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                    column += 1;
                } else {
                    quote = None;
                    previous = Some(c);
                }
            }
            continue;
        }
        if matches!(c, ' ' | '\t' | '\r') {
            (after_space, property) = (true, false);
            continue;
        }
        let was_after_space = std::mem::replace(&mut after_space, false);
        if property && !matches!(c, ',' | '[' | ']' | '{' | '}') {
            continue;
        }
        property = false;
        let token_start = matches!(previous, None | Some(':' | '-' | '?' | ',' | '[' | '{'));
        let mut plain = false;
        match c {
            '#' if was_after_space => comment = true,
            '"' | '\'' if token_start => quote = Some(c),
            // An anchor or tag leaves the token after it at a start.
            '&' | '!' if token_start => property = true,
            '[' | '{' if token_start || depth > 0 => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some(Position { line, column });
                }
            }
            '[' | '{' => plain = true,
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if !property && quote.is_none() {
            // A bracket inside plain text starts nothing after it either.
            previous = Some(if plain { '.' } else { c });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "period: 2026-Q3\npeople:\n  alice:\n    quota: 120000\n    activities: {calls: 240, demos: 3}\n  bob:\n    quota: -5\n";

    #[test]
    fn locates_nested_keys() {
        assert_eq!(
            locate(DOC, &["people", "bob", "quota"]),
            Some(Position {
                line: 7,
                column: 12
            })
        );
        assert_eq!(locate(DOC, &["people", "alice"]).map(|p| p.line), Some(3));
        assert_eq!(
            locate(DOC, &["period"]),
            Some(Position { line: 1, column: 9 })
        );
        assert_eq!(
            locate(DOC, &["people", "alice", "activities", "demos"]).map(|p| p.line),
            Some(5)
        );
    }

    #[test]
    fn a_missing_key_gives_the_deepest_ancestor() {
        assert_eq!(
            locate(DOC, &["people", "carol", "quota"]).map(|p| p.line),
            Some(2)
        );
    }

    #[test]
    fn parse_errors_count_lines_from_the_top_of_the_file() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            name: String,
        }
        let source = YamlSource {
            file: Path::new("a.md"),
            text: "name: x\nnmae: y\n",
            first_line: 2,
        };
        let err = source.parse::<T>("a person").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(
            err.message.starts_with("unknown field `nmae`"),
            "{}",
            err.message
        );
        assert_eq!(err.help.as_deref(), Some("did you mean `name`?"));
    }

    #[test]
    fn flow_nesting_is_bounded_before_parsing() {
        let nested = |depth: usize| format!("a: {}{}\n", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(too_deep(&nested(MAX_FLOW_DEPTH)), None);
        assert_eq!(
            too_deep(&nested(MAX_FLOW_DEPTH + 1)),
            Some(Position {
                line: 1,
                column: 4 + MAX_FLOW_DEPTH
            })
        );
        // Anchors, tags and line breaks do not hide the nesting.
        for step in ["&x !t [", "&x\n["] {
            let hidden = format!("a: {}", step.repeat(MAX_FLOW_DEPTH + 1));
            assert!(too_deep(&hidden).is_some(), "{step:?}");
        }
        // Brackets in quotes, comments and plain text are not nesting.
        let text = format!(
            "a: \"{0}\"\nb: '{0}''{0}'\n# {0}\nc: x {0}\nd: [\"]\", 'x''y]', {{e: 1}}]\n",
            "[".repeat(MAX_FLOW_DEPTH + 1)
        );
        assert_eq!(too_deep(&text), None);
        serde_yaml::from_str::<serde_yaml::Value>(&text).unwrap();
    }

    #[test]
    fn deep_flow_nesting_is_refused_with_its_place() {
        let text = format!("name: {}", "[".repeat(100_000));
        let source = YamlSource {
            file: Path::new("a.md"),
            text: &text,
            first_line: 2,
        };
        let err = source.parse::<serde_yaml::Value>("a person").unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(7 + MAX_FLOW_DEPTH)));
        assert!(
            err.message.contains("nested more than 128 deep"),
            "{}",
            err.message
        );
    }

    #[test]
    fn tabs_in_indentation_are_explained() {
        let source = YamlSource {
            file: Path::new("a.yaml"),
            text: "people:\n\talice: {}\n",
            first_line: 1,
        };
        let err = source.parse::<serde_yaml::Value>("a file").unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(1)));
        assert!(err.message.contains("tab"));
    }
}

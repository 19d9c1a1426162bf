//! Load stage: YAML parsing that keeps file locations.
//!
//! [`YamlSource::parse`] turns a serde error into a located [`Diagnostic`];
//! [`locate`] finds where a key sits in the source so that later stages can
//! point at the line of a field that parsed but failed validation.

use crate::error::{Diagnostic, Position};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor,
};
use std::cell::RefCell;
use std::collections::HashMap;
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
        if let Some(position) = self.control_character() {
            return Err(control_character(
                self.file,
                self.text,
                position,
                self.first_line,
            ));
        }
        // An empty document deserializes as null; give serde an empty mapping
        // instead so that "missing field" names the field.
        let text = if self.text.trim().is_empty() {
            "{}"
        } else {
            self.text
        };
        if let Some(repeated) = may_repeat_a_key(text).then(|| repeated_key(text)).flatten() {
            return Err(self.repeated(&repeated, what));
        }
        serde_norway::from_str(text).map_err(|err| {
            let position = err.location().map(|loc| Position {
                line: loc.line() + self.first_line - 1,
                column: loc.column(),
            });
            let message = clean_message(&err.to_string());
            // A repeated field the cheap test let through: place both.
            if message.starts_with("duplicate field")
                && let Some(repeated) = repeated_key(text)
            {
                return self.repeated(&repeated, what);
            }
            let mut diagnostic =
                Diagnostic::error(self.file, format!("{message} (in {what})")).at(position);
            if let Some(help) = suggestion(&message) {
                diagnostic = diagnostic.with_help(help);
            }
            diagnostic
        })
    }

    /// The error for a key given twice, at its second place, naming the first.
    fn repeated(&self, repeated: &RepeatedKey, what: &str) -> Diagnostic {
        let at = |p: Position| Position {
            line: p.line + self.first_line - 1,
            column: p.column,
        };
        let (first, again) = (at(repeated.first), at(repeated.again));
        Diagnostic::error(
            self.file,
            format!(
                "the key `{}` is given twice in one mapping: first on line {}, again here (in {what})",
                crate::text::excerpt(&repeated.key, 80),
                first.line
            ),
        )
        .at(Some(again))
        .with_help(format!(
            "YAML keeps only the last of the two, so line {}'s value would be lost; keep one",
            first.line
        ))
    }

    /// The position of the value of the key at `path` (e.g. `["people",
    /// "alice-chen", "quota"]`), or of the deepest ancestor found.
    pub fn locate(&self, path: &[&str]) -> Option<Position> {
        locate(self.text, path).map(|p| Position {
            line: p.line + self.first_line - 1,
            column: p.column,
        })
    }

    /// The first character YAML does not allow (a control character other
    /// than tab and line breaks), 0-based offset in `text`.
    fn control_character(&self) -> Option<usize> {
        self.text
            .char_indices()
            .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{85}'))
            .map(|(offset, _)| offset)
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

/// The error for a control character at byte `offset` of `text`, at its
/// line and column (the parser itself gives only a byte position).
pub fn control_character(file: &Path, text: &str, offset: usize, first_line: usize) -> Diagnostic {
    let before = &text[..offset];
    let line = before.matches('\n').count() + first_line;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    let c = text[offset..].chars().next().unwrap_or('\0');
    Diagnostic::error(
        file,
        format!(
            "a control character (U+{:04X}) is not allowed in a text file",
            u32::from(c)
        ),
    )
    .at(Some(Position { line, column }))
    .with_help(
        "delete it; if this file is not text (a binary or an export), it does not belong here",
    )
}

/// Whether some key text appears twice in `text`: a cheap test that lets a
/// document with all its keys distinct (most front matter, every person)
/// skip [`repeated_key`]'s walk. A key is taken as the word before a `:`
/// that ends a line or is followed by a space or flow punctuation, without
/// quotes; two ways of writing one key that differ in more than quotes (an
/// escape, an explicit `?` key) are not compared.
pub fn may_repeat_a_key(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut keys = std::collections::HashSet::new();
    for (i, _) in text.match_indices(':') {
        let ends = bytes
            .get(i + 1)
            .is_none_or(|b| matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b',' | b'}' | b']'));
        if !ends {
            continue;
        }
        let before = text[..i].trim_end_matches([' ', '\t']);
        let start = before
            .rfind(|c: char| c.is_whitespace() || matches!(c, '{' | '[' | ','))
            .map_or(0, |p| p + 1);
        let key = before[start..].trim_matches(['"', '\'']);
        if !keys.insert(key) {
            return true;
        }
    }
    false
}

/// A mapping key given twice: YAML parsers keep the last value, so the
/// first would be lost without a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatedKey {
    pub key: String,
    /// Where the key is first given, 1-based from the start of the text.
    pub first: Position,
    /// Where it is given again.
    pub again: Position,
}

/// Finds the first key given twice in one mapping, at any depth, with both
/// places. The document is walked with the same parser that deserializes
/// it, which places an error at the key being read: a key seen before
/// stops the walk there; a second walk stops at the first one.
/// `None` when no key repeats, or when the YAML does not parse (the
/// deserialization reports that).
pub fn repeated_key(text: &str) -> Option<RepeatedKey> {
    let walk = |stop_at: Option<usize>| {
        let state = RefCell::new(KeyWalk {
            stop_at,
            ..KeyWalk::default()
        });
        let result = Walk(&state).deserialize(serde_norway::Deserializer::from_str(text));
        let position = result
            .err()
            .and_then(|err| err.location())
            .map(|loc| Position {
                line: loc.line(),
                column: loc.column(),
            });
        (state.into_inner(), position)
    };
    let (state, again) = walk(None);
    let (key, first_number) = state.found?;
    let (_, first) = walk(Some(first_number));
    Some(RepeatedKey {
        key,
        first: first?,
        again: again?,
    })
}

/// The state of a walk looking for a repeated key.
#[derive(Default)]
struct KeyWalk {
    /// How many keys have been read, in document order.
    count: usize,
    /// Stop at the key of this number.
    stop_at: Option<usize>,
    /// The repeated key, and the number of its first reading.
    found: Option<(String, usize)>,
}

/// Walks any YAML value.
struct Walk<'s>(&'s RefCell<KeyWalk>);

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_i128<E>(self, _: i128) -> Result<(), E> {
        Ok(())
    }
    fn visit_u128<E>(self, _: u128) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Walk(self.0))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut keys = HashMap::new();
        while map
            .next_key_seed(Key {
                walk: self.0,
                keys: &mut keys,
            })?
            .is_some()
        {
            map.next_value_seed(Walk(self.0))?;
        }
        Ok(())
    }
}

/// Reads one mapping key, checking it against the mapping's keys so far.
struct Key<'s, 'k> {
    walk: &'s RefCell<KeyWalk>,
    keys: &'k mut HashMap<String, usize>,
}

impl Key<'_, '_> {
    fn read<E: de::Error>(self, key: String) -> Result<(), E> {
        let mut walk = self.walk.borrow_mut();
        let number = walk.count;
        walk.count += 1;
        if walk.stop_at == Some(number) {
            return Err(E::custom("the first of a repeated key"));
        }
        if let Some(&first) = self.keys.get(&key) {
            walk.found = Some((key, first));
            return Err(E::custom("a repeated key"));
        }
        self.keys.insert(key, number);
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Key<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.read(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.read(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.read(v.to_string())
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<(), E> {
        self.read(v.to_string())
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<(), E> {
        self.read(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.read(v.to_string())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.read(v.to_string())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.read("null".into())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.read("null".into())
    }
    // A sequence or mapping as a key (rare, and no content kind has one):
    // walked for repeats inside, not compared.
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        Walk(self.walk).visit_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        Walk(self.walk).visit_map(map)
    }
}

/// serde_norway appends "at line L column C" to its messages; the location is
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
    fn a_repeated_key_is_found_with_both_places_at_any_depth() {
        let text = "people:\n  alice: {quota: 1}\n  bob:\n    quota: 2\n  alice: {quota: 3}\n";
        let repeated = repeated_key(text).unwrap();
        assert_eq!(repeated.key, "alice");
        assert_eq!(repeated.first, Position { line: 2, column: 3 });
        assert_eq!(repeated.again, Position { line: 5, column: 3 });
        let flow = "activities: {calls: 1, emails: 2, calls: 3}\n";
        let repeated = repeated_key(flow).unwrap();
        assert_eq!((repeated.first.column, repeated.again.column), (14, 35));
        let nested = "goals:\n  - metric: x\n    target: 1\n    target: 2\n";
        assert_eq!(repeated_key(nested).unwrap().first.line, 3);
        // The same key in different mappings, or none repeated: nothing.
        assert_eq!(repeated_key(DOC), None);
        assert_eq!(repeated_key("a: {x: 1}\nb: {x: 1}\n"), None);
        // YAML that does not parse is left to the deserialization.
        assert_eq!(repeated_key("a: [\n"), None);
        // The cheap test never misses a repeat the walk would find.
        for text in [
            "people:\n  alice: {quota: 1}\n  bob:\n    quota: 2\n  alice: {quota: 3}\n",
            "activities: {calls: 1, emails: 2, calls: 3}\n",
            "\"name\": x\nname : y\n",
            "a: 1\n'a': 2\n",
        ] {
            assert!(may_repeat_a_key(text), "{text}");
        }
        assert!(!may_repeat_a_key(
            "name: Ann\nrole: rep\nurl: https://x.example/a:b\ntime: 13:45\n"
        ));
    }

    #[test]
    fn a_repeated_key_is_an_error_naming_both_lines() {
        let source = YamlSource {
            file: Path::new("a.md"),
            text: "name: Ben Cole\nrole: rep\nname: Ben Two\n",
            first_line: 2,
        };
        let err = source.parse::<serde_norway::Value>("a person").unwrap_err();
        assert_eq!((err.line, err.column), (Some(4), Some(1)));
        assert!(
            err.message.starts_with(
                "the key `name` is given twice in one mapping: first on line 2, again here"
            ),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_repeated_field_the_cheap_test_misses_is_still_placed() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            name: String,
        }
        // An escaped key is the same key, written differently.
        let source = YamlSource {
            file: Path::new("a.yaml"),
            text: "name: a\n\"n\\x61me\": b\n",
            first_line: 1,
        };
        assert!(!may_repeat_a_key(source.text));
        let err = source.parse::<T>("a person").unwrap_err();
        assert_eq!(err.line, Some(2), "{err:?}");
        assert!(err.message.contains("first on line 1"), "{}", err.message);
    }

    #[test]
    fn control_characters_are_placed_at_their_line_and_column() {
        let source = YamlSource {
            file: Path::new("a.yaml"),
            text: "name: Ben\nteam: \"No\u{7}rth\"\n",
            first_line: 1,
        };
        let err = source.parse::<serde_norway::Value>("a person").unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(10)));
        assert!(err.message.contains("U+0007"), "{}", err.message);
    }

    #[test]
    fn tabs_in_indentation_are_explained() {
        let source = YamlSource {
            file: Path::new("a.yaml"),
            text: "people:\n\talice: {}\n",
            first_line: 1,
        };
        let err = source.parse::<serde_norway::Value>("a file").unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(1)));
        assert!(err.message.contains("tab"));
    }
}

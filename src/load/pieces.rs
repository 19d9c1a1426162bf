//! A large period file parsed in pieces, on every core: a period of
//! thousands of people is megabytes of YAML, slow to parse on one thread.
//! Entry: [`period_in_pieces`].

use super::raw::{RawPeriodFile, RawRecord};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Parses a period file's `people:` entries in pieces, in parallel. `None`
/// when the file is not of the plain shape (top-level keys, `people:` with
/// its entries indented below) or any piece does not parse on its own: the
/// whole file is then parsed as one, which reports any error exactly.
pub(super) fn period_in_pieces(text: &str) -> Option<RawPeriodFile> {
    if text.contains('\t') {
        return None; // let the whole-file parse explain the tab
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let start = lines.iter().position(|l| l.trim_end() == "people:")?;
    let top_level = |l: &str| !l.starts_with([' ', '#', '\r', '\n']);
    let end = lines[start + 1..]
        .iter()
        .position(|l| top_level(l))
        .map_or(lines.len(), |p| start + 1 + p);
    let block = &lines[start + 1..end];
    let first = block
        .iter()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))?;
    let indent = first.len() - first.trim_start_matches(' ').len();
    let entry = |l: &str| {
        l.len() > indent
            && l[..indent].bytes().all(|b| b == b' ')
            && !l[indent..].starts_with([' ', '#', '-', '\r', '\n'])
    };
    // The rest of the file, with `people` empty, checks the other keys.
    let mut head: String = lines[..start].concat();
    head.push_str("people: {}\n");
    head.push_str(&lines[end..].concat());
    let mut file: RawPeriodFile = serde_norway::from_str(&head).ok()?;

    let starts: Vec<usize> = (0..block.len()).filter(|&i| entry(block[i])).collect();
    let pieces = (rayon::current_num_threads() * 4).max(1);
    let per_piece = starts.len().div_ceil(pieces).max(1);
    let cuts: Vec<usize> = starts.iter().step_by(per_piece).copied().collect();
    let parsed: Vec<Option<Entries>> = cuts
        .par_iter()
        .enumerate()
        .map(|(i, &from)| {
            let to = cuts.get(i + 1).copied().unwrap_or(block.len());
            serde_norway::from_str(&block[from..to].concat()).ok()
        })
        .collect();
    let mut people = BTreeMap::new();
    for piece in parsed {
        for (id, record) in piece?.0 {
            if people.insert(id, record).is_some() {
                return None; // a repeated id: the whole-file parse decides
            }
        }
    }
    if people.is_empty() && !starts.is_empty() {
        return None;
    }
    file.people = people;
    Some(file)
}

/// A piece's entries in the order written, repeats kept: a map would keep
/// the last of a repeated id without a word.
struct Entries(Vec<(String, RawRecord)>);

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("people's figures by id")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period_text(count: usize) -> String {
        let mut text = String::from("# figures\nperiod: 2026-Q3\npeople:\n");
        for i in 0..count {
            text.push_str(&format!(
                "  rep-{i:04}: {{quota: {}, closed_won: {}}}\n  # a comment\n\n",
                1000 + i,
                500 + i
            ));
            if i % 7 == 0 {
                text.push_str(&format!(
                    "  rep-{i:04}-b:\n    quota: 5\n    activities:\n      calls: {i}\n"
                ));
            }
        }
        text
    }

    #[test]
    fn a_period_file_parsed_in_pieces_equals_one_parse() {
        let text = period_text(500);
        let pieces = period_in_pieces(&text).expect("the plain shape splits");
        let whole: RawPeriodFile = serde_norway::from_str(&text).unwrap();
        assert_eq!(format!("{pieces:?}"), format!("{whole:?}"));
        assert_eq!(pieces.people.len(), 500 + 72);
    }

    #[test]
    fn anything_unusual_in_a_period_file_is_left_to_the_whole_file_parse() {
        let text = period_text(50);
        let repeated = format!("{text}  rep-0001: {{quota: 1}}\n");
        // Within one piece too: the first and second entries are neighbours.
        let neighbours = text.replacen("rep-0001:", "rep-0000:", 1);
        let unknown_field = text.replace("quota: 1010,", "quotas: 1010,");
        let unknown_key = format!("{text}extra: 1\n");
        let tab = text.replace("  rep-0003", "\trep-0003");
        let alias = text
            .replace("rep-0000: {quota: 1000", "rep-0000: &q {quota: 1000")
            .replace("rep-0049: {quota: 1049, closed_won: 549}", "rep-0049: *q");
        for (what, text) in [
            ("a repeated id", repeated),
            ("a repeated id within a piece", neighbours),
            ("an unknown field", unknown_field),
            ("an unknown key", unknown_key),
            ("a tab", tab),
            ("an alias across pieces", alias),
        ] {
            assert!(period_in_pieces(&text).is_none(), "{what}");
        }
    }
}

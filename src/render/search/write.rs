//! Render stage: the search index's two files, `search-index.js` and
//! `search-index.json`, written for a build ([`put`]) or kept entry by
//! entry for serve ([`Index`]).

use super::Entry;
use crate::render::{MemorySink, OutputFile, Sink};
use rayon::prelude::*;

/// Name of the global that `search-index.js` defines.
pub const GLOBAL: &str = "bullpenSearchIndex";

/// Puts `search-index.json` and `search-index.js` for `entries` in `sink`;
/// returns how many files that is. The index is tens of megabytes on a
/// large site: it is serialized once, escaped as it is written, into one
/// buffer sized for it.
pub fn put(entries: &[Entry], sink: &dyn Sink) -> crate::error::Result<usize> {
    let size = entries.iter().map(Entry::text_len).sum::<usize>() * 21 / 20 + entries.len() * 48;
    put_array(sink, size, |buffer| {
        // Strings only, into memory: serializing cannot fail.
        let _ = serde_json::to_writer(Escaping(buffer), entries);
    })
}

/// Puts the two files around the JSON array that `write` appends to the
/// buffer (about `size` bytes): the JSON file is the array, the script
/// defines [`GLOBAL`] as it. One buffer serves both.
fn put_array(
    sink: &dyn Sink,
    size: usize,
    write: impl FnOnce(&mut Vec<u8>),
) -> crate::error::Result<usize> {
    let prefix = format!("window.{GLOBAL} = ");
    let mut script = Vec::with_capacity(prefix.len() + size + 4);
    script.extend_from_slice(prefix.as_bytes());
    write(&mut script);
    script.push(b'\n');
    sink.put_copy("search-index.json".into(), &script[prefix.len()..])?;
    script.pop();
    script.extend_from_slice(b";\n");
    sink.put("search-index.js".into(), script)?;
    Ok(2)
}

/// The search index as serve keeps it: each entry beside its JSON, so
/// that after an edit only the entries that changed are serialized again
/// (the whole index is megabytes on a large site).
#[derive(Default)]
pub struct Index {
    entries: Vec<Entry>,
    json: Vec<Vec<u8>>,
}

impl Index {
    pub fn new(entries: Vec<Entry>) -> Index {
        let json = entries.par_iter().map(escaped_json).collect();
        Index { entries, json }
    }

    /// Puts `entry` in place of the one for the same page, if there is one.
    pub fn replace(&mut self, entry: Entry) {
        if let Some(at) = self.entries.iter().position(|e| e.u == entry.u) {
            self.json[at] = escaped_json(&entry);
            self.entries[at] = entry;
        }
    }

    /// Puts the same two files as [`put`] does for the same entries.
    pub fn put(&self, sink: &dyn Sink) -> crate::error::Result<usize> {
        let size = self.json.iter().map(Vec::len).sum::<usize>() + self.json.len() + 2;
        put_array(sink, size, |buffer| {
            buffer.push(b'[');
            for (at, entry) in self.json.iter().enumerate() {
                if at > 0 {
                    buffer.push(b',');
                }
                buffer.extend_from_slice(entry);
            }
            buffer.push(b']');
        })
    }

    /// `search-index.js` and `search-index.json`, in memory.
    pub fn files(&self) -> Vec<OutputFile> {
        let sink = MemorySink::default();
        // A memory sink cannot fail.
        let _ = self.put(&sink);
        sink.into_files()
    }
}

/// One entry as JSON, escaped as the index is.
fn escaped_json(entry: &Entry) -> Vec<u8> {
    let mut json = Vec::with_capacity(entry.text_len() + 48);
    // Strings only: serializing cannot fail.
    let _ = serde_json::to_writer(Escaping(&mut json), entry);
    json
}

/// Writes JSON with angle brackets and ampersands as `\u003c`, `\u003e`
/// and `\u0026`, so the index can never be read as markup (or end its
/// script element), whatever a content file holds. JSON has these
/// characters only inside strings, where the escapes mean the same; and
/// as ASCII bytes they are never part of a longer UTF-8 character.
struct Escaping<'a>(&'a mut Vec<u8>);

impl std::io::Write for Escaping<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut from = 0;
        for at in memchr::memchr3_iter(b'<', b'>', b'&', bytes) {
            let escape: &[u8] = match bytes[at] {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                _ => b"\\u0026",
            };
            self.0.extend_from_slice(&bytes[from..at]);
            self.0.extend_from_slice(escape);
            from = at + 1;
        }
        self.0.extend_from_slice(&bytes[from..]);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a build writes for `entries`.
    fn files(entries: &[Entry]) -> Vec<OutputFile> {
        let sink = crate::render::MemorySink::default();
        put(entries, &sink).unwrap();
        sink.into_files()
    }

    #[test]
    fn the_script_index_defines_a_global_and_cannot_close_its_element() {
        let entry = Entry {
            t: "</script><b>".into(),
            s: "Reports".into(),
            u: "reports/x/".into(),
            x: String::new(),
            h: String::new(),
            b: String::new(),
            w: String::new(),
        };
        let files = files(&[entry]);
        let script = String::from_utf8(files[0].bytes.clone()).unwrap();
        assert!(
            script.starts_with("window.bullpenSearchIndex = [{"),
            "{script}"
        );
        assert!(!script.contains("</script>"), "{script}");
        assert!(
            script.contains(r#""t":"\u003c/script\u003e\u003cb\u003e""#),
            "{script}"
        );
        assert!(script.ends_with("];\n"), "{script}");
        let json = String::from_utf8(files[1].bytes.clone()).unwrap();
        assert_eq!(
            format!("window.{GLOBAL} = {}", json.trim_end()),
            script.trim_end().trim_end_matches(';')
        );
        let read: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
        assert_eq!(read[0]["t"], "</script><b>");
        assert_eq!(files[1].path, "search-index.json");
        assert_eq!(files[0].path, "search-index.js");
    }

    #[test]
    fn serve_writes_the_index_a_build_writes_and_changes_one_entry() {
        let entry = |title: &str, path: &str| Entry {
            t: title.into(),
            s: "Playbooks".into(),
            u: path.into(),
            x: "x & y".into(),
            h: String::new(),
            b: "<b>".into(),
            w: "words".into(),
        };
        let entries = vec![
            entry("One", "playbooks/one/"),
            entry("Two", "playbooks/two/"),
        ];
        let mut index = Index::new(entries.clone());
        let bytes = |files: Vec<OutputFile>| {
            files
                .into_iter()
                .map(|f| (f.path, f.bytes))
                .collect::<Vec<_>>()
        };
        assert_eq!(bytes(index.files()), bytes(files(&entries)));
        index.replace(entry("Two, edited", "playbooks/two/"));
        index.replace(entry("Nowhere", "playbooks/none/"));
        let edited = vec![
            entry("One", "playbooks/one/"),
            entry("Two, edited", "playbooks/two/"),
        ];
        assert_eq!(bytes(index.files()), bytes(files(&edited)));
        assert_eq!(bytes(Index::new(Vec::new()).files()), bytes(files(&[])));
    }
}

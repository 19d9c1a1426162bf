//! Load stage: splitting a Markdown file into YAML front matter and body,
//! and setting aside the keys of other site generators. Entry: [`split`].

/// A Markdown file split at its front matter. Line numbers are 1-based and
/// count from the top of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines, if the file has front matter.
    pub yaml: Option<&'a str>,
    /// The line the YAML starts on (the line after the opening `---`).
    pub yaml_line: usize,
    pub body: &'a str,
    /// The line the body starts on.
    pub body_line: usize,
}

/// Front matter that opens with `---` but never closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unclosed;

/// Splits `text` (already without a BOM, line endings normalised to `\n`).
pub fn split(text: &str) -> Result<Split<'_>, Unclosed> {
    let Some(rest) = text.strip_prefix("---\n") else {
        return Ok(Split {
            yaml: None,
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    };
    let mut offset = 0;
    for (index, line) in rest.split_inclusive('\n').enumerate() {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            let body = &rest[offset + line.len()..];
            return Ok(Split {
                yaml: Some(&rest[..offset]),
                yaml_line: 2,
                body,
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err(Unclosed)
}

/// The keys at the top level of a front-matter block, with the 0-based
/// line each starts on.
pub fn top_keys(yaml: &str) -> Vec<(String, usize)> {
    yaml.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            if line.starts_with([' ', '\t', '#', '-']) {
                return None;
            }
            let (key, _) = line.split_once(':')?;
            let key = key.trim().trim_matches(['"', '\'']);
            (!key.is_empty() && !key.contains(' ')).then(|| (key.to_string(), index))
        })
        .collect()
}

/// Front matter of an imported page without the keys Bullpen does not
/// read: each such key's lines (the key and everything indented under it
/// or listed after it) become empty lines, so that every line keeps its
/// number. Returns the YAML kept and the keys set aside, in file order.
pub fn set_aside(yaml: &str, known: &[&str]) -> (String, Vec<String>) {
    let keys = top_keys(yaml);
    let lines: Vec<&str> = yaml.split_inclusive('\n').collect();
    let mut drop = vec![false; lines.len()];
    let mut unknown = Vec::new();
    for (at, (key, start)) in keys.iter().enumerate() {
        if known.contains(&key.as_str()) {
            continue;
        }
        unknown.push(key.clone());
        let end = keys.get(at + 1).map_or(lines.len(), |(_, next)| *next);
        for slot in &mut drop[*start..end] {
            *slot = true;
        }
    }
    let kept = lines
        .iter()
        .zip(&drop)
        .map(|(line, &dropped)| {
            if dropped {
                if line.ends_with('\n') { "\n" } else { "" }
            } else {
                line
            }
        })
        .collect();
    (kept, unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_aside_unknown_keys_keeping_line_numbers() {
        let yaml = "title: A\nlayout: handbook\nmenu:\n  main:\n    weight: 2\ntags:\n- x\ntoc_hide: true\n";
        let (kept, unknown) = set_aside(yaml, &["title", "tags"]);
        assert_eq!(unknown, ["layout", "menu", "toc_hide"]);
        assert_eq!(kept, "title: A\n\n\n\n\ntags:\n- x\n\n");
        assert_eq!(kept.lines().count(), yaml.lines().count());
    }

    #[test]
    fn splits_front_matter_and_counts_body_lines() {
        let split = split("---\ntitle: A\nowner: b\n---\n# Body\n").unwrap();
        assert_eq!(split.yaml, Some("title: A\nowner: b\n"));
        assert_eq!(split.body, "# Body\n");
        assert_eq!(split.body_line, 5);
    }

    #[test]
    fn a_file_without_front_matter_is_all_body() {
        let split = split("# Handbook\ntext").unwrap();
        assert_eq!(split.yaml, None);
        assert_eq!(split.body_line, 1);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert_eq!(split("---\ntitle: A\n# Body\n"), Err(Unclosed));
    }

    #[test]
    fn empty_front_matter_is_allowed() {
        assert_eq!(split("---\n---\nbody").unwrap().yaml, Some(""));
    }
}

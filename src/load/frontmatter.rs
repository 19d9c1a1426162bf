//! Load stage: splitting a Markdown file into YAML front matter and body.

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

#[cfg(test)]
mod tests {
    use super::*;

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

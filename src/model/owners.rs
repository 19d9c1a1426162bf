//! Model stage: who owns a playbook by the repository's `CODEOWNERS`
//! (GitHub's and GitLab's syntax). Entry: [`CodeOwners::parse`].

use super::Person;
use crate::vocab::PersonId;
use globset::{Glob, GlobBuilder, GlobMatcher};
use std::collections::BTreeMap;

/// The rules of a CODEOWNERS file, in file order: the last rule that
/// matches a file names its owners.
#[derive(Debug, Default)]
pub struct CodeOwners {
    rules: Vec<(Vec<GlobMatcher>, Vec<String>)>,
}

impl CodeOwners {
    /// Reads CODEOWNERS text. Comments, GitLab's `[Section]` headers and
    /// patterns that are not globs are skipped.
    pub fn parse(text: &str) -> CodeOwners {
        let rules = text
            .lines()
            .map(|line| {
                line.split_once('#')
                    .map_or(line, |(before, _)| before)
                    .trim()
            })
            .filter(|line| !line.is_empty() && !line.starts_with(['[', '^']))
            .filter_map(|line| {
                let mut words = line.split_whitespace();
                let pattern = words.next()?;
                let owners = words.map(str::to_string).collect();
                Some((globs(pattern)?, owners))
            })
            .collect();
        CodeOwners { rules }
    }

    /// The owners CODEOWNERS gives `file` (its path from the repository's
    /// top, `content/playbooks/closing/a.md`), as written (`@dana-lee`).
    pub fn owners_of(&self, file: &str) -> &[String] {
        self.rules
            .iter()
            .rev()
            .find(|(globs, _)| globs.iter().any(|g| g.is_match(file)))
            .map_or(&[], |(_, owners)| owners.as_slice())
    }

    /// The first of `file`'s owners that is a person: by `github:` handle
    /// (`@dana-lee`) or by email.
    pub fn person_for(&self, file: &str, people: &BTreeMap<PersonId, Person>) -> Option<PersonId> {
        self.owners_of(file).iter().find_map(|owner| {
            let found = match owner.strip_prefix('@') {
                Some(handle) => people.values().find(|p| {
                    p.github
                        .as_deref()
                        .is_some_and(|g| g.eq_ignore_ascii_case(handle))
                }),
                None => people.values().find(|p| {
                    p.email
                        .as_deref()
                        .is_some_and(|e| e.eq_ignore_ascii_case(owner))
                }),
            };
            found.map(|p| p.id.clone())
        })
    }
}

/// A CODEOWNERS pattern as globs, with gitignore's rules: a leading or
/// inner `/` anchors it at the top, otherwise it matches at any depth; a
/// pattern also matches everything inside a folder of that name.
fn globs(pattern: &str) -> Option<Vec<GlobMatcher>> {
    let anchored = pattern.trim_end_matches('/').contains('/');
    let bare = pattern.trim_start_matches('/');
    let folder_only = bare.ends_with('/');
    let bare = bare.trim_end_matches('/');
    let base = if anchored || bare.starts_with("**") {
        bare.to_string()
    } else {
        format!("**/{bare}")
    };
    let mut texts = vec![format!("{base}/**")];
    if !folder_only {
        texts.push(base);
    }
    texts
        .iter()
        .map(|text| {
            GlobBuilder::new(text)
                .literal_separator(true)
                .build()
                .map(|g: Glob| g.compile_matcher())
                .ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_matching_rule_wins_with_gitignore_anchoring() {
        let owners = CodeOwners::parse(
            "# sales\n* @everyone\n/content/playbooks/closing/ @dana-lee\n[Docs]\n*.md @writer # prose\ncontent/playbooks/sdr/*.md ops@example.com\n",
        );
        assert_eq!(
            owners.owners_of("content/playbooks/closing/a.png"),
            ["@dana-lee"]
        );
        assert_eq!(
            owners.owners_of("content/playbooks/closing/a.md"),
            ["@writer"]
        );
        assert_eq!(
            owners.owners_of("content/playbooks/sdr/a.md"),
            ["ops@example.com"]
        );
        assert_eq!(
            owners.owners_of("content/playbooks/sdr/deep/a.md"),
            ["@writer"]
        );
        assert_eq!(owners.owners_of("README"), ["@everyone"]);
        assert!(CodeOwners::parse("").owners_of("a.md").is_empty());
    }
}

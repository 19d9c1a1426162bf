//! `bullpen diff`: the review as Markdown for a pull-request comment.
//! Entry: [`markdown`].

use super::{Review, Status};
use std::fmt::Write;

/// GitHub's limit on a comment, in characters.
pub const COMMENT_LIMIT: usize = 65_536;

/// The review as Markdown for a pull-request comment, cut to GitHub's
/// limit with a note pointing to the full page.
pub fn markdown(review: &Review, base: &str, head: &str, full_page: &str) -> String {
    let mut md = format!("### Bullpen: content changes from `{base}` to `{head}`\n\n");
    if review.is_empty() {
        md.push_str("No content changes.\n");
        return md;
    }
    if !review.pages.is_empty() {
        md.push_str("#### Pages\n\n| | page | change |\n|---|---|---|\n");
        for page in &review.pages {
            let what =
                match page.status {
                    Status::Added => format!("added ({} words)", page.inserted_words),
                    Status::Removed => format!("removed ({} words)", page.deleted_words),
                    Status::Changed => {
                        let mut parts = vec![format!(
                            "+{} / −{} words",
                            page.inserted_words, page.deleted_words
                        )];
                        parts.extend(page.front_matter.iter().map(|f| {
                            format!("{}: {} → {}", f.field, empty(&f.old), empty(&f.new))
                        }));
                        parts.join("; ")
                    }
                };
            let _ = writeln!(
                md,
                "| {} | **{}** (`{}`) | {} |",
                page.kind,
                cell(&page.title),
                page.path,
                cell(&what)
            );
        }
        md.push('\n');
    }
    if !review.figures.is_empty() {
        md.push_str(
            "#### Figures\n\n| person | period | change | consequence |\n|---|---|---|---|\n",
        );
        for figure in &review.figures {
            let fields: Vec<String> = figure
                .fields
                .iter()
                .map(|f| format!("{}: {} → {}", f.field, f.old, f.new))
                .collect();
            let consequences: Vec<String> = figure
                .consequences
                .iter()
                .map(|f| format!("{}: {} → {}", f.field, f.old, f.new))
                .collect();
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                cell(&figure.name),
                figure.period,
                cell(&fields.join("; ")),
                cell(&consequences.join("; "))
            );
        }
        md.push('\n');
    }
    if !review.quoted.is_empty() {
        md.push_str("#### Figures quoted in pages\n\n| page | figure | change |\n|---|---|---|\n");
        for quote in &review.quoted {
            let _ = writeln!(
                md,
                "| **{}** (`{}`) | `{}` | {} → {} |",
                cell(&quote.title),
                quote.path,
                quote.expression,
                quote.old,
                quote.new
            );
        }
        md.push('\n');
    }
    if !review.people.is_empty() {
        md.push_str("#### People\n\n");
        for person in &review.people {
            let _ = writeln!(
                md,
                "- **{}** (`{}`): {}",
                cell(&person.name),
                person.person,
                person.change
            );
            for effect in &person.effects {
                let _ = writeln!(md, "  - {}: {} → {}", effect.field, effect.old, effect.new);
            }
        }
    }
    truncate(md, full_page)
}

fn empty(text: &str) -> &str {
    if text.is_empty() { "(none)" } else { text }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Keeps a comment within GitHub's limit, cutting at a line and saying so.
pub fn truncate(md: String, full_page: &str) -> String {
    if md.chars().count() <= COMMENT_LIMIT {
        return md;
    }
    let note = format!(
        "\n\n_This summary was cut to fit a comment; the full review is in {full_page}._\n"
    );
    let budget = COMMENT_LIMIT - note.chars().count();
    let mut cut: String = md.chars().take(budget).collect();
    if let Some(line_end) = cut.rfind('\n') {
        cut.truncate(line_end);
    }
    cut.push_str(&note);
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_fit_a_comment() {
        let long = "| a | b |\n".repeat(20_000);
        let cut = truncate(long, "review/index.html");
        assert!(cut.chars().count() <= COMMENT_LIMIT);
        assert!(cut.ends_with("the full review is in review/index.html._\n"));
    }
}

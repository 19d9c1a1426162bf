//! `bullpen diff`: what a change to the content means, for reviewing pull
//! requests. Entry: [`compare`] (and [`checkout`] to read a revision).
//!
//! Both revisions are read straight from git into temporary folders — the
//! user's checkout is never touched — and loaded into models, which are
//! compared: pages (a word-level diff of the prose and a table of front
//! matter changes), figures (old → new, with what that does to the rep's
//! attainment and their team's), and people.

use crate::error::{Error, Result};
use crate::metrics::{self, Figures};
use crate::model::period::Period;
use crate::model::{Audience, MarkdownText, Model};
use crate::render::format::{self, Formatter};
use crate::rollup::Org;
use serde::Serialize;
use std::fmt::Write;
use std::path::Path;
use std::process::Command;

/// GitHub's limit on a comment, in characters.
pub const COMMENT_LIMIT: usize = 65_536;

/// Writes the site folder (`content/`, `themes/`) as it is at `rev` into a
/// new temporary folder, using `git archive` — no checkout, no index.
pub fn checkout(root: &Path, rev: &str) -> Result<tempfile::TempDir> {
    let git = |args: &[&str]| -> Result<std::process::Output> {
        Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|err| Error::Refused(format!("git could not be run: {err}")))
    };
    let verify = git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{rev}^{{commit}}"),
    ])?;
    if !verify.status.success() {
        return Err(Error::Refused(format!(
            "the revision `{rev}` does not exist in the repository at {}",
            root.display()
        )));
    }
    let prefix = String::from_utf8_lossy(&git(&["rev-parse", "--show-prefix"])?.stdout)
        .trim()
        .to_string();
    let tree = format!("{rev}:{prefix}");
    let archive = git(&["archive", "--format=tar", &tree])?;
    if !archive.status.success() {
        return Err(Error::Refused(format!(
            "git could not read `{rev}`: {}",
            String::from_utf8_lossy(&archive.stderr).trim()
        )));
    }
    let dir = tempfile::tempdir().map_err(|source| Error::Write {
        path: std::env::temp_dir(),
        source,
    })?;
    tar::Archive::new(archive.stdout.as_slice())
        .unpack(dir.path())
        .map_err(|source| Error::Write {
            path: dir.path().to_path_buf(),
            source,
        })?;
    Ok(dir)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Added,
    Removed,
    Changed,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// A playbook, report or coaching plan that was added, removed or changed.
#[derive(Debug, Clone, Serialize)]
pub struct PageChange {
    pub kind: &'static str,
    pub path: String,
    pub title: String,
    pub status: Status,
    /// The prose, word by word, with `<ins>`/`<del>`; unchanged runs collapsed.
    pub prose: String,
    pub inserted_words: usize,
    pub deleted_words: usize,
    pub front_matter: Vec<FieldChange>,
}

/// One person's figures for one period, before and after.
#[derive(Debug, Clone, Serialize)]
pub struct FigureChange {
    pub person: String,
    pub name: String,
    pub period: String,
    pub fields: Vec<FieldChange>,
    /// What the change does: the rep's attainment, and their team's.
    pub consequences: Vec<FieldChange>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonChange {
    pub person: String,
    pub name: String,
    pub change: String,
}

/// Everything a change means.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Review {
    pub pages: Vec<PageChange>,
    pub figures: Vec<FigureChange>,
    pub people: Vec<PersonChange>,
}

impl Review {
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty() && self.figures.is_empty() && self.people.is_empty()
    }
}

/// A page as the diff sees it.
struct Doc<'a> {
    kind: &'static str,
    title: String,
    front: Vec<(&'static str, String)>,
    body: &'a MarkdownText,
}

fn docs(model: &Model, audience: Audience) -> std::collections::BTreeMap<String, Doc<'_>> {
    let mut docs = std::collections::BTreeMap::new();
    for p in model
        .playbooks
        .iter()
        .filter(|p| audience.may_see(p.visibility))
    {
        let front = vec![
            ("title", p.title.clone()),
            ("owner", p.owner.clone().unwrap_or_default()),
            ("stage", p.stage.clone().unwrap_or_default()),
            ("tags", p.tags.join(", ")),
            ("summary", p.summary.clone().unwrap_or_default()),
            ("review every", format!("{} days", p.review_every_days)),
        ];
        docs.insert(
            format!("playbooks/{}", p.path),
            Doc {
                kind: "playbook",
                title: p.title.clone(),
                front,
                body: &p.body,
            },
        );
    }
    for r in model
        .reports
        .iter()
        .filter(|r| audience.may_see(r.visibility))
    {
        let front = vec![
            ("title", r.title.clone()),
            (
                "period",
                r.period.map(|p| p.to_string()).unwrap_or_default(),
            ),
            ("summary", r.summary.clone().unwrap_or_default()),
        ];
        docs.insert(
            format!("reports/{}", r.path),
            Doc {
                kind: "report",
                title: r.title.clone(),
                front,
                body: &r.body,
            },
        );
    }
    if audience == Audience::Managers {
        for c in &model.coaching {
            let name = model
                .people
                .get(&c.rep)
                .map_or(c.rep.as_str(), |p| p.name.as_str());
            let front = vec![
                ("status", c.status.label().to_string()),
                ("coach", c.coach.clone()),
                ("goals", c.goals.len().to_string()),
                (
                    "actions done",
                    c.actions.iter().filter(|a| a.done).count().to_string(),
                ),
            ];
            docs.insert(
                format!("coaching/{}/{}", c.rep, c.period),
                Doc {
                    kind: "coaching plan",
                    title: format!("{name} — {}", c.period.label()),
                    front,
                    body: &c.body,
                },
            );
        }
    }
    docs
}

/// Compares two models for an audience.
pub fn compare(base: &Model, head: &Model, audience: Audience) -> Review {
    let mut review = Review::default();
    let (old, new) = (docs(base, audience), docs(head, audience));
    for (path, doc) in &new {
        match old.get(path) {
            None => review.pages.push(page(
                path,
                doc,
                Status::Added,
                "",
                &doc.body.text,
                Vec::new(),
            )),
            Some(before) => {
                let front: Vec<FieldChange> = before
                    .front
                    .iter()
                    .zip(&doc.front)
                    .filter(|((_, a), (_, b))| a != b)
                    .map(|((field, a), (_, b))| FieldChange {
                        field: field.to_string(),
                        old: a.clone(),
                        new: b.clone(),
                    })
                    .collect();
                if before.body.text != doc.body.text || !front.is_empty() {
                    review.pages.push(page(
                        path,
                        doc,
                        Status::Changed,
                        &before.body.text,
                        &doc.body.text,
                        front,
                    ));
                }
            }
        }
    }
    for (path, doc) in &old {
        if !new.contains_key(path) {
            review.pages.push(page(
                path,
                doc,
                Status::Removed,
                &doc.body.text,
                "",
                Vec::new(),
            ));
        }
    }
    review.figures = figures(base, head);
    review.people = people(base, head);
    review
}

fn page(
    path: &str,
    doc: &Doc,
    status: Status,
    old: &str,
    new: &str,
    front_matter: Vec<FieldChange>,
) -> PageChange {
    let (prose, inserted_words, deleted_words) = word_diff(old, new);
    PageChange {
        kind: doc.kind,
        path: path.to_string(),
        title: doc.title.clone(),
        status,
        prose,
        inserted_words,
        deleted_words,
        front_matter,
    }
}

/// Words kept around each change; longer unchanged runs are collapsed.
const CONTEXT_WORDS: usize = 12;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A word-level diff as HTML with `<ins>`/`<del>`, unchanged runs collapsed.
pub fn word_diff(old: &str, new: &str) -> (String, usize, usize) {
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_words(old, new);
    let mut html = String::new();
    let (mut inserted, mut deleted) = (0, 0);
    let mut equal: Vec<&str> = Vec::new();
    let flush = |equal: &mut Vec<&str>, html: &mut String, at_start: bool, at_end: bool| {
        let words: Vec<&&str> = equal.iter().filter(|w| !w.trim().is_empty()).collect();
        let keep_head = if at_start { 0 } else { CONTEXT_WORDS };
        let keep_tail = if at_end { 0 } else { CONTEXT_WORDS };
        if words.len() > keep_head + keep_tail + 4 {
            // Tokens include whitespace; count words, cut at token boundaries.
            let mut seen = 0;
            let mut head_end = 0;
            while head_end < equal.len() && seen < keep_head {
                if !equal[head_end].trim().is_empty() {
                    seen += 1;
                }
                head_end += 1;
            }
            let mut seen = 0;
            let mut tail_start = equal.len();
            while tail_start > head_end && seen < keep_tail {
                tail_start -= 1;
                if !equal[tail_start].trim().is_empty() {
                    seen += 1;
                }
            }
            html.push_str(&escape(&equal[..head_end].concat()));
            html.push_str("<span class=\"collapsed\"> … </span>");
            html.push_str(&escape(&equal[tail_start..].concat()));
        } else {
            html.push_str(&escape(&equal.concat()));
        }
        equal.clear();
    };
    let mut started = false;
    // Consecutive insertions (or deletions) become one <ins> (or <del>).
    let mut pending: Option<(similar::ChangeTag, String)> = None;
    let close = |pending: &mut Option<(similar::ChangeTag, String)>, html: &mut String| {
        if let Some((tag, text)) = pending.take() {
            let name = if tag == similar::ChangeTag::Insert {
                "ins"
            } else {
                "del"
            };
            let _ = write!(html, "<{name}>{}</{name}>", escape(&text));
        }
    };
    for change in diff.iter_all_changes() {
        let value = change.value();
        match change.tag() {
            similar::ChangeTag::Equal if value.trim().is_empty() && pending.is_some() => {
                // A space between two changed words stays inside the change.
                if let Some((_, text)) = &mut pending {
                    text.push_str(value);
                }
            }
            similar::ChangeTag::Equal => {
                close(&mut pending, &mut html);
                equal.push(value);
            }
            tag => {
                if pending.as_ref().is_some_and(|(t, _)| *t != tag) {
                    close(&mut pending, &mut html);
                }
                if pending.is_none() {
                    flush(&mut equal, &mut html, !started, false);
                }
                started = true;
                let words = value.split_whitespace().count();
                if tag == similar::ChangeTag::Insert {
                    inserted += words;
                } else {
                    deleted += words;
                }
                pending
                    .get_or_insert_with(|| (tag, String::new()))
                    .1
                    .push_str(value);
            }
        }
    }
    close(&mut pending, &mut html);
    flush(&mut equal, &mut html, !started, true);
    if !started {
        html.clear();
    }
    (html, inserted, deleted)
}

fn show_money(
    format: &Formatter,
    figures: Option<&Figures>,
    get: fn(&Figures) -> Option<crate::model::money::Money>,
) -> String {
    figures
        .and_then(get)
        .map(|m| format.money(m))
        .unwrap_or_else(|| "—".into())
}

fn figures(base: &Model, head: &Model) -> Vec<FigureChange> {
    let format = Formatter::new(&head.site.currency);
    let (org_old, org_new) = (Org::new(base), Org::new(head));
    let mut keys: std::collections::BTreeSet<(String, Period)> = std::collections::BTreeSet::new();
    for model in [base, head] {
        for (id, by_period) in &model.performance.reps {
            keys.extend(by_period.keys().map(|p| (id.clone(), *p)));
        }
    }
    let mut changes = Vec::new();
    for (id, period) in keys {
        let (a, b) = (base.figures(&id, period), head.figures(&id, period));
        if a == b {
            continue;
        }
        let count = |f: Option<&Figures>, get: fn(&Figures) -> Option<u32>| {
            f.and_then(get)
                .map(|v| v.to_string())
                .unwrap_or_else(|| "—".into())
        };
        let rows: Vec<(&str, String, String)> = vec![
            (
                "quota",
                show_money(&format, a, |f| Some(f.quota)),
                show_money(&format, b, |f| Some(f.quota)),
            ),
            (
                "closed won",
                show_money(&format, a, |f| Some(f.closed_won)),
                show_money(&format, b, |f| Some(f.closed_won)),
            ),
            (
                "deals won",
                count(a, |f| f.deals_won),
                count(b, |f| f.deals_won),
            ),
            (
                "deals lost",
                count(a, |f| f.deals_lost),
                count(b, |f| f.deals_lost),
            ),
            (
                "pipeline",
                show_money(&format, a, |f| f.pipeline),
                show_money(&format, b, |f| f.pipeline),
            ),
            (
                "forecast",
                show_money(&format, a, |f| f.forecast),
                show_money(&format, b, |f| f.forecast),
            ),
        ];
        let fields = rows
            .into_iter()
            .filter(|(_, x, y)| x != y)
            .map(|(field, old, new)| FieldChange {
                field: field.into(),
                old,
                new,
            })
            .collect();
        let rate = |v: Option<f64>| v.map(format::percent).unwrap_or_else(|| "—".into());
        let mut consequences = vec![FieldChange {
            field: "attainment".into(),
            old: rate(a.and_then(|f| metrics::attainment(f.closed_won, f.quota))),
            new: rate(b.and_then(|f| metrics::attainment(f.closed_won, f.quota))),
        }];
        let person = head.people.get(&id).or_else(|| base.people.get(&id));
        if let Some(manager) = person.and_then(|p| p.manager.clone()) {
            let team = head
                .people
                .get(&manager)
                .and_then(|m| m.team.clone())
                .unwrap_or_else(|| manager.clone());
            consequences.push(FieldChange {
                field: format!("{team} team attainment"),
                old: rate(
                    org_old
                        .team(&manager, period)
                        .and_then(metrics::team_attainment),
                ),
                new: rate(
                    org_new
                        .team(&manager, period)
                        .and_then(metrics::team_attainment),
                ),
            });
            consequences.push(FieldChange {
                field: format!("{team} team closed won"),
                old: show_money(&format, org_old.team(&manager, period), |f| {
                    Some(f.closed_won)
                }),
                new: show_money(&format, org_new.team(&manager, period), |f| {
                    Some(f.closed_won)
                }),
            });
        }
        consequences.push(FieldChange {
            field: "organisation attainment".into(),
            old: rate(org_old.whole(period).and_then(metrics::team_attainment)),
            new: rate(org_new.whole(period).and_then(metrics::team_attainment)),
        });
        consequences.retain(|c| c.old != c.new);
        changes.push(FigureChange {
            person: id.clone(),
            name: person.map(|p| p.name.clone()).unwrap_or(id),
            period: period.to_string(),
            fields,
            consequences,
        });
    }
    changes
}

fn people(base: &Model, head: &Model) -> Vec<PersonChange> {
    let mut changes = Vec::new();
    let name = |model: &Model, id: &str| {
        model
            .people
            .get(id)
            .map_or(id.to_string(), |p| p.name.clone())
    };
    for (id, person) in &head.people {
        match base.people.get(id) {
            None => changes.push(PersonChange {
                person: id.clone(),
                name: person.name.clone(),
                change: format!("added as a {}", person.role.label().to_lowercase()),
            }),
            Some(before) if before.manager != person.manager => changes.push(PersonChange {
                person: id.clone(),
                name: person.name.clone(),
                change: format!(
                    "moved from {} to {}",
                    before
                        .manager
                        .as_deref()
                        .map_or("no manager".into(), |m| name(base, m)),
                    person
                        .manager
                        .as_deref()
                        .map_or("no manager".into(), |m| name(head, m))
                ),
            }),
            Some(before) if before.role != person.role => changes.push(PersonChange {
                person: id.clone(),
                name: person.name.clone(),
                change: format!(
                    "now a {} (was a {})",
                    person.role.label().to_lowercase(),
                    before.role.label().to_lowercase()
                ),
            }),
            _ => {}
        }
    }
    for (id, person) in &base.people {
        if !head.people.contains_key(id) {
            changes.push(PersonChange {
                person: id.clone(),
                name: person.name.clone(),
                change: "removed".into(),
            });
        }
    }
    changes
}

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
    fn word_diff_marks_insertions_and_deletions() {
        let (html, inserted, deleted) = word_diff(
            "Ask about budget early.",
            "Ask about the cost of the problem early.",
        );
        assert!(html.contains("<del>budget</del>"), "{html}");
        assert!(
            html.contains("<ins>the</ins>") || html.contains("<ins>the cost"),
            "{html}"
        );
        assert_eq!((inserted, deleted), (5, 1));
    }

    #[test]
    fn word_diff_collapses_long_unchanged_runs_and_escapes() {
        let words: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
        let old = words.join(" ");
        let new = format!("{old} <b>added</b>");
        let (html, _, _) = word_diff(&old, &new);
        assert!(html.contains("collapsed"), "{html}");
        assert!(!html.contains("w5 "), "{html}");
        assert!(html.contains("w99"));
        assert!(html.contains("&lt;b&gt;"));
    }

    #[test]
    fn summaries_fit_a_comment() {
        let long = "| a | b |\n".repeat(20_000);
        let cut = truncate(long, "review/index.html");
        assert!(cut.chars().count() <= COMMENT_LIMIT);
        assert!(cut.ends_with("the full review is in review/index.html._\n"));
    }
}

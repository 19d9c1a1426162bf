//! `bullpen diff`: what a change to the content means, for reviewing pull
//! requests. Entry: [`compare`] (and [`checkout`] to read a revision).
//!
//! Both revisions are read straight from git into temporary folders — the
//! user's checkout is never touched — and loaded into models, which are
//! compared: pages (a word-level diff of the prose and a table of front
//! matter changes), figures (old → new, with what that does to the rep's
//! attainment and their team's), inline figures on pages whose value
//! changed, and people.

mod moves;
mod quoted;
mod summary;
mod words;

pub use quoted::QuotedChange;
pub use summary::{COMMENT_LIMIT, markdown, truncate};
pub use words::{Change as WordChange, Words, word_diff};

use crate::error::{Error, GitError, Result};
use crate::format::{self, Formatter};
use crate::metrics;
use crate::model::{MarkdownText, Model};
use crate::rollup::Org;
use crate::vocab::Audience;
use crate::vocab::figures::Figures;
use crate::vocab::period::Period;
use serde::Serialize;
use std::path::Path;
use std::process::{Command, Output};

/// Writes the site folder (`content/`, `themes/`) as it is at `rev` into a
/// new temporary folder, using `git archive` — no checkout, no index.
pub fn checkout(root: &Path, rev: &str) -> Result<tempfile::TempDir> {
    let says_true = |output: &Output| {
        output.status.success() && String::from_utf8_lossy(&output.stdout).trim() == "true"
    };
    let inside = ["rev-parse", "--is-inside-work-tree"];
    let output = git(root, &inside)?;
    if !says_true(&output) {
        let git_says = String::from_utf8_lossy(&output.stderr)
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        return Err(git_error(
            root,
            &inside,
            GitError::NotARepository { git_says },
        ));
    }
    let commit = format!("{rev}^{{commit}}");
    let verify = ["rev-parse", "--verify", "--quiet", &commit];
    if !git(root, &verify)?.status.success() {
        let shallow = says_true(&git(root, &["rev-parse", "--is-shallow-repository"])?);
        return Err(git_error(
            root,
            &verify,
            GitError::MissingRevision {
                rev: rev.to_string(),
                shallow,
            },
        ));
    }
    let prefix = String::from_utf8_lossy(&git(root, &["rev-parse", "--show-prefix"])?.stdout)
        .trim()
        .to_string();
    let tree = format!("{rev}:{prefix}");
    let archive_args = ["archive", "--format=tar", &tree];
    let archive = git(root, &archive_args)?;
    if !archive.status.success() {
        return Err(git_error(
            root,
            &archive_args,
            GitError::Failed {
                rev: rev.to_string(),
                git_says: String::from_utf8_lossy(&archive.stderr).trim().to_string(),
            },
        ));
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

/// Runs `git -C root args`.
fn git(root: &Path, args: &[&str]) -> Result<Output> {
    Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|err| git_error(root, args, GitError::NotRun(err)))
}

/// `git args`, run in `root`, failed: `why`.
fn git_error(root: &Path, args: &[&str], why: GitError) -> Error {
    Error::Git {
        command: format!("git {}", args.join(" ")),
        dir: root.to_path_buf(),
        why,
    }
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
    /// The prose, word by word, in runs of unchanged, inserted and deleted
    /// words; unchanged runs far from a change collapsed.
    pub prose: Vec<Words>,
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
    /// For a move: each moved period's team figures, for the team left
    /// and the team joined, before → after.
    pub effects: Vec<FieldChange>,
}

/// Everything a change means.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Review {
    pub pages: Vec<PageChange>,
    pub figures: Vec<FigureChange>,
    /// Inline figures on pages (`` `=attainment` ``) that now show another
    /// value.
    pub quoted: Vec<QuotedChange>,
    pub people: Vec<PersonChange>,
}

impl Review {
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
            && self.figures.is_empty()
            && self.quoted.is_empty()
            && self.people.is_empty()
    }
}

/// A page as the diff sees it.
struct Doc<'a> {
    kind: &'static str,
    title: String,
    front: Vec<(&'static str, String)>,
    body: &'a MarkdownText,
    /// What the page gives its inline figures.
    figures: crate::prose::Page,
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
                figures: crate::prose::Page {
                    period: None,
                    visibility: p.visibility,
                },
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
                figures: crate::prose::Page {
                    period: r.period,
                    visibility: r.visibility,
                },
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
                    figures: crate::prose::Page {
                        period: Some(c.period),
                        visibility: crate::vocab::Visibility::Managers,
                    },
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
    review.quoted = quoted::changes((base, &old), (head, &new));
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

fn show_money(
    format: &Formatter,
    figures: Option<&Figures>,
    get: fn(&Figures) -> Option<crate::vocab::money::Money>,
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
                "full quota",
                show_money(&format, a, |f| f.full_quota),
                show_money(&format, b, |f| f.full_quota),
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
        // The team the period's figures count for (see `Model::roll_up_date`).
        let model = if head.people.contains_key(&id) {
            head
        } else {
            base
        };
        let manager = person.and_then(|p| p.manager_on(model.roll_up_date(period)));
        if let Some(manager) = manager.map(str::to_string) {
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
    for (id, person) in &head.people {
        match base.people.get(id) {
            None => changes.push(PersonChange {
                person: id.clone(),
                name: person.name.clone(),
                change: format!("added as a {}", person.role.label().to_lowercase()),
                effects: Vec::new(),
            }),
            Some(before) => {
                if before.role != person.role {
                    changes.push(PersonChange {
                        person: id.clone(),
                        name: person.name.clone(),
                        change: format!(
                            "now a {} (was a {})",
                            person.role.label().to_lowercase(),
                            before.role.label().to_lowercase()
                        ),
                        effects: Vec::new(),
                    });
                }
                changes.extend(moves::moves(base, head, before, person));
            }
        }
    }
    for (id, person) in &base.people {
        if !head.people.contains_key(id) {
            changes.push(PersonChange {
                person: id.clone(),
                name: person.name.clone(),
                change: "removed".into(),
                effects: Vec::new(),
            });
        }
    }
    changes
}

//! `bullpen diff`: inline figures whose value changed — a page quotes the
//! same expression in both revisions, and the figures under it moved.
//! Entry: [`changes`].

use super::Doc;
use crate::format::Formatter;
use crate::model::Model;
use crate::prose::{self, Figure};
use crate::rollup::Org;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// An inline figure that shows a different value after the change.
#[derive(Debug, Clone, Serialize)]
pub struct QuotedChange {
    /// The page, as the review names pages (`reports/2026-q3-qbr`).
    pub path: String,
    pub title: String,
    /// The figure as written: `=attainment team:marcus-bell`.
    pub expression: String,
    /// Its line in the page's file, after the change.
    pub line: usize,
    /// What it shows before and after: `111.8%` → `109.2%`, `—` when
    /// undefined.
    pub old: String,
    pub new: String,
}

/// Every inline figure on a page of both revisions whose value differs
/// between them, once per page and expression, in page order. A figure
/// that is wrong in either revision is `check`'s to report, not the
/// review's.
pub fn changes(
    (base, old_docs): (&Model, &BTreeMap<String, Doc>),
    (head, new_docs): (&Model, &BTreeMap<String, Doc>),
) -> Vec<QuotedChange> {
    let quotes_any =
        |docs: &BTreeMap<String, Doc>| docs.values().any(|doc| !prose::find(doc.body).is_empty());
    if !quotes_any(new_docs) {
        return Vec::new();
    }
    let format = Formatter::new(&head.site.currency);
    let (org_old, org_new) = (Org::new(base), Org::new(head));
    let mut changes = Vec::new();
    for (path, doc) in new_docs {
        let Some(before) = old_docs.get(path) else {
            continue;
        };
        let quoted_before: BTreeSet<String> = prose::find(before.body)
            .into_iter()
            .map(|(expression, _)| expression.trim().to_string())
            .collect();
        let mut seen = BTreeSet::new();
        for (expression, line) in prose::find(doc.body) {
            let expression = expression.trim().to_string();
            if !quoted_before.contains(&expression) || !seen.insert(expression.clone()) {
                continue;
            }
            let shown = |model: &Model, org: &Org, page: &prose::Page| {
                Figure::parse(&expression, model, page)
                    .ok()
                    .map(|figure| figure.cell(model, org, &format).text)
            };
            let (Some(old), Some(new)) = (
                shown(base, &org_old, &before.figures),
                shown(head, &org_new, &doc.figures),
            ) else {
                continue;
            };
            if old != new {
                changes.push(QuotedChange {
                    path: path.clone(),
                    title: doc.title.clone(),
                    expression: format!("={expression}"),
                    line,
                    old,
                    new,
                });
            }
        }
    }
    changes
}

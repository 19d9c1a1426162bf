//! Render stage: the pipeline from the CRM — the open pipeline by stage
//! and by forecast category, weighted, created, past due and aged; and what
//! changed between the two newest deal snapshots, as a waterfall from last
//! snapshot's pipeline to this one's, with the deals behind each bar in the
//! managers' build. Entries: [`open`], [`changes`].

use super::Ctx;
use super::charts::waterfall::{Step, waterfall};
use super::charts::{Chart, Table, catalog};
use super::dashboard::Scope;
use super::site::person_path;
use crate::format::{self, Cell};
use crate::model::Role;
use crate::model::snapshots::{ChangeKind, DealChange};
use crate::vocab::money::Money;
use crate::vocab::period::Period;
use serde::Serialize;
use std::collections::BTreeSet;

/// One line of an open-pipeline table: a stage or a forecast category.
#[derive(Debug, Clone, Serialize)]
pub struct PipelineRow {
    pub label: String,
    pub deals: u32,
    pub amount: String,
}

/// A scope's open pipeline from the deal exports, for one period.
#[derive(Debug, Clone, Serialize)]
pub struct OpenPipeline {
    /// Open deals (omitted ones aside): count and amount.
    pub deals: u32,
    pub amount: String,
    pub by_stage: Vec<PipelineRow>,
    /// Commit, best case, pipeline, then omitted (shown apart).
    pub by_category: Vec<PipelineRow>,
    /// Σ amount × probability; `None` without probabilities.
    pub weighted: Option<String>,
    /// Open deals without a probability, left out of `weighted`.
    pub unweighted: u32,
    /// Deals created in the period; `None` when none were (or the export
    /// has no created date).
    pub created: Option<PipelineRow>,
    pub past_due: PipelineRow,
    /// Mean days since open deals were created; `None` without dates.
    pub mean_age: Option<String>,
}

/// The scope's open pipeline in the period, from the deal exports; `None`
/// without deal figures.
pub fn open(ctx: &Ctx, scope: Scope, period: Period) -> Option<OpenPipeline> {
    let figures = super::dashboard::figures(ctx, scope, period)?;
    let pipeline = figures.deal_pipeline.as_ref()?;
    let f = &ctx.format;
    let row = |label: &str, sum: crate::vocab::figures::DealSum| PipelineRow {
        label: label.to_string(),
        deals: sum.count,
        amount: f.money(sum.amount),
    };
    let total = pipeline.open()?;
    let names = ctx.model.deal_stages();
    Some(OpenPipeline {
        deals: total.count,
        amount: f.money(total.amount),
        by_stage: names
            .iter()
            .zip(&pipeline.by_stage)
            .map(|(name, sum)| row(name, *sum))
            .collect(),
        by_category: crate::vocab::figures::Category::ALL
            .iter()
            .map(|&category| row(category_label(category), pipeline.category(category)))
            .collect(),
        weighted: pipeline.weighted.map(|w| f.money(w)),
        unweighted: pipeline.unweighted,
        created: (pipeline.created.count > 0)
            .then(|| row("Created in the period", pipeline.created)),
        past_due: row("Past due", pipeline.past_due),
        mean_age: pipeline.mean_age_days().map(format::days),
    })
}

fn category_label(category: crate::vocab::figures::Category) -> &'static str {
    use crate::vocab::figures::Category;
    match category {
        Category::Commit => "Commit",
        Category::BestCase => "Best case",
        Category::Pipeline => "Pipeline",
        Category::Omitted => "Omitted (shown apart)",
    }
}

/// One bar of the waterfall as the table beside it shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeRow {
    pub label: &'static str,
    pub deals: usize,
    /// The pipeline it added or took away, signed.
    pub amount: Cell,
}

/// One deal behind a bar (managers' build only).
#[derive(Debug, Clone, Serialize)]
pub struct ChangedDeal {
    pub id: String,
    pub account: String,
    pub owner: String,
    pub owner_path: String,
    pub change: String,
    pub before: String,
    pub after: String,
    pub amount: Cell,
}

/// What changed in a scope's pipeline between the two newest snapshots.
#[derive(Debug, Clone, Serialize)]
pub struct Changes {
    /// `2 Nov 2026 → 9 Nov 2026`.
    pub between: String,
    pub start: String,
    pub end: String,
    pub rows: Vec<ChangeRow>,
    /// Open deals whose stage moved back.
    pub stage_back: usize,
    pub chart: Chart,
    /// Managers' build: every changed deal; empty in the team build.
    pub deals: Vec<ChangedDeal>,
}

/// The scope's pipeline changes, for the period the newest snapshot is in;
/// `None` for another period or without two snapshots.
pub fn changes(ctx: &Ctx, scope: Scope, period: Period) -> Option<Changes> {
    let all = ctx.model.pipeline_changes.as_ref()?;
    if all.period != period {
        return None;
    }
    let f = &ctx.format;
    let owners: Option<BTreeSet<&str>> = match scope {
        Scope::Org => None,
        Scope::Team(manager) => Some(
            ctx.org()
                .reps_under(&manager.id, period)
                .iter()
                .map(|p| p.id.as_str())
                .chain([manager.id.as_str()])
                .collect(),
        ),
        Scope::Rep(rep) => Some([rep.id.as_str()].into_iter().collect()),
    };
    let mine: Vec<&DealChange> = all
        .deals
        .iter()
        .filter(|c| owners.as_ref().is_none_or(|o| o.contains(c.owner.as_str())))
        .collect();
    // The scope's own start: its deals' pipeline on the older snapshot.
    let start = match &owners {
        None => all.start,
        Some(owners) => start_of(ctx, owners)?,
    };
    let mut rows = Vec::new();
    let mut steps = vec![Step {
        label: "Before".into(),
        from: 0.0,
        to: start.as_major(),
        total: true,
    }];
    let mut running = start;
    for kind in ChangeKind::ALL {
        let of_kind: Vec<&&DealChange> = mine.iter().filter(|c| c.kind == Some(kind)).collect();
        let sum = Money::checked_sum(of_kind.iter().map(|c| c.delta))?;
        rows.push(ChangeRow {
            label: kind.label(),
            deals: of_kind.len(),
            amount: signed(f, sum),
        });
        if !of_kind.is_empty() {
            let next = running.checked_add(sum)?;
            steps.push(Step {
                label: short(kind).into(),
                from: running.as_major(),
                to: next.as_major(),
                total: false,
            });
            running = next;
        }
    }
    steps.push(Step {
        label: "After".into(),
        from: 0.0,
        to: running.as_major(),
        total: true,
    });
    let between = format!("{} → {}", format::date(all.from), format::date(all.to));
    let table = Table {
        headers: vec!["Change".into(), "Deals".into(), "Pipeline".into()],
        rows: std::iter::once(vec!["Before".into(), String::new(), f.money(start)])
            .chain(
                rows.iter()
                    .map(|r| vec![r.label.into(), r.deals.to_string(), r.amount.text.clone()]),
            )
            .chain(std::iter::once(vec![
                "After".into(),
                String::new(),
                f.money(running),
            ]))
            .collect(),
    };
    let title = format!("What changed in the pipeline, {between}");
    let desc = format!(
        "Open pipeline closing in {} went from {} on {} to {} on {}: the bars between are the deals that were new, pulled in, up or down in amount, pushed out, won, lost or removed.",
        period.label(),
        f.money(start),
        format::date(all.from),
        f.money(running),
        format::date(all.to)
    );
    let mut caption = catalog::caption("chart-pipeline-changes", &title, desc, table);
    caption.legend = vec![
        (super::charts::palette::BLUE, "Pipeline".into()),
        (super::charts::palette::GREEN, "Added".into()),
        (super::charts::palette::VERMILLION, "Taken away".into()),
    ];
    let chart = waterfall(caption, &catalog::symbol(f), &steps);
    let deals = if ctx.managers() {
        mine.iter()
            .filter(|c| c.kind.is_some() || c.stage_back)
            .map(|c| changed_deal(ctx, c))
            .collect()
    } else {
        Vec::new()
    };
    Some(Changes {
        between,
        start: f.money(start),
        end: f.money(running),
        stage_back: mine.iter().filter(|c| c.stage_back).count(),
        rows,
        chart,
        deals,
    })
}

/// The pipeline of `owners`' deals closing in the period on the older
/// snapshot.
fn start_of(ctx: &Ctx, owners: &BTreeSet<&str>) -> Option<Money> {
    let all = ctx.model.pipeline_changes.as_ref()?;
    Money::checked_sum(
        all.starts
            .iter()
            .filter(|(owner, _)| owners.contains(owner.as_str()))
            .map(|(_, amount)| *amount),
    )
}

fn short(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::New => "New",
        ChangeKind::PulledIn => "Pulled",
        ChangeKind::AmountUp => "Up",
        ChangeKind::AmountDown => "Down",
        ChangeKind::Pushed => "Pushed",
        ChangeKind::Won => "Won",
        ChangeKind::Lost => "Lost",
        ChangeKind::Removed => "Gone",
    }
}

/// `+$25,000`, `−$70,000`, `$0`.
fn signed(f: &format::Formatter, amount: Money) -> Cell {
    let magnitude = f.money(if amount < Money::ZERO {
        Money::ZERO.checked_sub(amount).unwrap_or(Money::ZERO)
    } else {
        amount
    });
    let (text, class) = match amount.cmp(&Money::ZERO) {
        std::cmp::Ordering::Greater => (format!("+{magnitude}"), "up"),
        std::cmp::Ordering::Less => (format!("−{magnitude}"), "down"),
        std::cmp::Ordering::Equal => (magnitude, ""),
    };
    Cell {
        class,
        ..Cell::text(text)
    }
}

fn changed_deal(ctx: &Ctx, change: &DealChange) -> ChangedDeal {
    let f = &ctx.format;
    let person = ctx.model.people.get(&change.owner);
    let show = |deal: &Option<crate::model::snapshots::SnapDeal>| {
        deal.as_ref().map_or("—".to_string(), |d| {
            format!(
                "{} · {}{}",
                f.money(d.amount),
                d.stage,
                d.closes
                    .map_or(String::new(), |c| format!(" · closes {}", format::date(c)))
            )
        })
    };
    let mut what: Vec<&str> = change.kind.map(ChangeKind::label).into_iter().collect();
    if change.stage_back {
        what.push("Stage moved back");
    }
    ChangedDeal {
        id: change.id.clone(),
        account: change.account.clone(),
        owner: person.map_or(change.owner.clone(), |p| p.name.clone()),
        owner_path: person
            .filter(|p| p.role == Role::Rep)
            .map_or(String::new(), |p| person_path(&p.id)),
        change: what.join(", "),
        before: show(&change.before),
        after: show(&change.after),
        amount: signed(f, change.delta),
    }
}

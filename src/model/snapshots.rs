//! Model stage: dated snapshots of the open pipeline
//! (`deals/snapshots/YYYY-MM-DD.csv`) and what changed between the two
//! newest: new deals, won, lost, pushed out of the period, pulled in,
//! amounts up or down, stages moved back. Entries: `read`, `changes`.
//!
//! The changes reconcile exactly: the pipeline closing in the period on
//! the older snapshot, plus every change, is the pipeline on the newer one.

use super::deals::{Outcome, Owners, Settings};
use super::{PersonId, Site};
use crate::error::{Diagnostic, Position};
use crate::vocab::money::Money;
use crate::vocab::period::Period;
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One deal as a snapshot shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapDeal {
    pub id: String,
    pub owner: PersonId,
    pub account: String,
    pub stage: String,
    pub outcome: Outcome,
    /// Where the stage stands in `deals.stages.open` (for open deals).
    pub stage_rank: Option<usize>,
    pub closes: Option<Date>,
    pub amount: Money,
}

/// One dated export of the open pipeline.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub date: Date,
    pub file: PathBuf,
    pub deals: Vec<SnapDeal>,
}

/// How a deal moved the period's pipeline between two snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// A deal not in the older snapshot, open and closing in the period.
    New,
    /// Closing in the period on the older snapshot, won on the newer.
    Won,
    /// Closing in the period on the older snapshot, lost on the newer.
    Lost,
    /// Closing in the period on the older snapshot, gone from the newer
    /// without an outcome.
    Removed,
    /// Its close date moved out of the period.
    Pushed,
    /// Its close date moved into the period.
    PulledIn,
    /// Closing in the period on both, for more.
    AmountUp,
    /// Closing in the period on both, for less.
    AmountDown,
}

impl ChangeKind {
    /// Every kind, in the order a waterfall draws them.
    pub const ALL: [ChangeKind; 8] = [
        ChangeKind::New,
        ChangeKind::PulledIn,
        ChangeKind::AmountUp,
        ChangeKind::AmountDown,
        ChangeKind::Pushed,
        ChangeKind::Won,
        ChangeKind::Lost,
        ChangeKind::Removed,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::New => "New",
            ChangeKind::Won => "Won",
            ChangeKind::Lost => "Lost",
            ChangeKind::Removed => "Removed",
            ChangeKind::Pushed => "Pushed out",
            ChangeKind::PulledIn => "Pulled in",
            ChangeKind::AmountUp => "Amount up",
            ChangeKind::AmountDown => "Amount down",
        }
    }

    /// The name `bullpen deals` writes.
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::New => "new",
            ChangeKind::Won => "won",
            ChangeKind::Lost => "lost",
            ChangeKind::Removed => "removed",
            ChangeKind::Pushed => "pushed",
            ChangeKind::PulledIn => "pulled_in",
            ChangeKind::AmountUp => "amount_up",
            ChangeKind::AmountDown => "amount_down",
        }
    }
}

/// One deal's change between the two newest snapshots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DealChange {
    pub id: String,
    /// Its owner on the newer snapshot (the older one's when it is gone).
    pub owner: PersonId,
    pub account: String,
    /// What it did to the period's pipeline; `None` when it did not move
    /// it (a stage moved back alone, or a deal outside the period).
    pub kind: Option<ChangeKind>,
    /// The pipeline it added (above 0) or took away (below 0).
    pub delta: Money,
    /// Its stage moved back in `deals.stages.open` order.
    pub stage_back: bool,
    pub before: Option<SnapDeal>,
    pub after: Option<SnapDeal>,
}

/// What changed between the two newest snapshots, for the period holding
/// the newer one.
#[derive(Debug, Clone)]
pub struct Changes {
    pub from: Date,
    pub to: Date,
    pub period: Period,
    /// Open pipeline closing in the period (or past due) on each snapshot.
    pub start: Money,
    pub end: Money,
    /// Each owner's share of `start`: their deals' pipeline closing in the
    /// period on the older snapshot.
    pub starts: BTreeMap<PersonId, Money>,
    /// Every deal that changed, by owner then id.
    pub deals: Vec<DealChange>,
}

impl Changes {
    /// The deals of `owners` (a rep, or every rep of a team) that changed.
    pub fn of<'a>(&'a self, owners: &'a BTreeSet<&str>) -> impl Iterator<Item = &'a DealChange> {
        self.deals
            .iter()
            .filter(move |change| owners.contains(change.owner.as_str()))
    }
}

/// Reads a snapshot file: its date from its name, every row's deal. A name
/// that is not a date, a missing column or a bad cell is an error at its
/// line and column; the file is left out then.
pub(super) fn read(
    file: &Path,
    bytes: &[u8],
    settings: &Settings,
    owners: &Owners,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Snapshot> {
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let date = match stem.parse::<Date>() {
        Ok(date) if stem.len() == 10 => date,
        _ => {
            diagnostics.push(
                Diagnostic::error(
                    file,
                    format!("a deal snapshot is named by its date: `{stem}` is not one; expected YYYY-MM-DD.csv, like 2026-11-09.csv"),
                )
                .with_help("rename the file to the day the export was taken"),
            );
            return None;
        }
    };
    let rows = super::deal_rows::snapshot_rows(file, bytes, settings, owners, diagnostics)?;
    let mut seen = BTreeMap::new();
    for row in &rows {
        if let Some(first) = seen.insert(row.id.as_str(), row.line) {
            diagnostics.push(
                Diagnostic::error(
                    file,
                    format!("the deal `{}` is in this snapshot twice (first on line {first}); a snapshot holds each deal once", row.id),
                )
                .at(Some(Position::line(row.line))),
            );
        }
    }
    let deals: Vec<SnapDeal> = rows
        .into_iter()
        .map(|row| SnapDeal {
            id: row.id,
            owner: row.owner.to_string(),
            account: row.account,
            stage: row.stage,
            outcome: row.outcome,
            stage_rank: row.stage_index,
            closes: row.closed,
            amount: row.amount,
        })
        .collect();
    Some(Snapshot {
        date,
        file: file.to_path_buf(),
        deals,
    })
}

/// The newest snapshot's day, which gives `as_of` to its period when no
/// performance file sets one; a snapshot dated after its period's `as_of`
/// is an error (it is newer than the figures it would sit beside).
pub(super) fn set_as_of(
    snapshots: &[Snapshot],
    site: &Site,
    as_of: &mut BTreeMap<Period, Date>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for snapshot in snapshots {
        let period = Period::containing(snapshot.date, site.period_kind, site.calendar);
        if let Some(&day) = as_of.get(&period)
            && snapshot.date > day
        {
            diagnostics.push(
                Diagnostic::error(
                    &snapshot.file,
                    format!(
                        "a snapshot of {} is newer than {period}'s figures, which are as of {day}",
                        snapshot.date
                    ),
                )
                .with_help(format!(
                    "move `as_of:` in performance/{period}.yaml on to {}, or remove the snapshot",
                    snapshot.date
                )),
            );
        }
    }
    if let Some(newest) = snapshots.iter().max_by_key(|s| s.date) {
        let period = Period::containing(newest.date, site.period_kind, site.calendar);
        if newest.date < period.last_day(site.calendar) {
            as_of.entry(period).or_insert(newest.date);
        }
    }
}

/// What changed between the two newest snapshots, for the period holding
/// the newer; `None` with fewer than two.
pub(super) fn changes(snapshots: &[Snapshot], site: &Site) -> Option<Changes> {
    let mut by_date: Vec<&Snapshot> = snapshots.iter().collect();
    by_date.sort_by_key(|s| s.date);
    let [.., older, newer] = by_date.as_slice() else {
        return None;
    };
    let period = Period::containing(newer.date, site.period_kind, site.calendar);
    let last = period.last_day(site.calendar);
    // Open and expected to close by the period's end: past-due deals stay
    // in the current period.
    let in_period = |deal: &SnapDeal| {
        deal.outcome == Outcome::Open && deal.closes.is_none_or(|closes| closes <= last)
    };
    let index = |snapshot: &Snapshot| -> BTreeMap<String, SnapDeal> {
        snapshot
            .deals
            .iter()
            .map(|d| (d.id.clone(), d.clone()))
            .collect()
    };
    let (before, after) = (index(older), index(newer));
    let sum = |deals: &BTreeMap<String, SnapDeal>| {
        Money::checked_sum(deals.values().filter(|d| in_period(d)).map(|d| d.amount))
    };
    let (start, end) = (sum(&before)?, sum(&after)?);
    let mut starts: BTreeMap<PersonId, Money> = BTreeMap::new();
    for deal in before.values().filter(|d| in_period(d)) {
        let share = starts.entry(deal.owner.clone()).or_insert(Money::ZERO);
        *share = share.checked_add(deal.amount)?;
    }
    let ids: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut deals = Vec::new();
    for id in ids {
        let (old, new) = (before.get(id), after.get(id));
        let was = old
            .filter(|d| in_period(d))
            .map_or(Money::ZERO, |d| d.amount);
        let is = new
            .filter(|d| in_period(d))
            .map_or(Money::ZERO, |d| d.amount);
        let delta = is.checked_sub(was)?;
        let kind = match (old, new) {
            (None, Some(n)) if in_period(n) => Some(ChangeKind::New),
            (Some(o), Some(n)) if in_period(o) && in_period(n) => match is.cmp(&was) {
                std::cmp::Ordering::Greater => Some(ChangeKind::AmountUp),
                std::cmp::Ordering::Less => Some(ChangeKind::AmountDown),
                std::cmp::Ordering::Equal => None,
            },
            (Some(o), Some(n)) if in_period(o) => Some(match n.outcome {
                Outcome::Won => ChangeKind::Won,
                // Qualified out leaves the pipeline as a loss does.
                Outcome::Lost | Outcome::NoDecision => ChangeKind::Lost,
                Outcome::Open => ChangeKind::Pushed,
            }),
            (Some(o), Some(n)) if !in_period(o) && o.outcome == Outcome::Open && in_period(n) => {
                Some(ChangeKind::PulledIn)
            }
            (Some(o), None) if in_period(o) => Some(ChangeKind::Removed),
            _ => None,
        };
        let stage_back = matches!(
            (old.and_then(|o| o.stage_rank), new.and_then(|n| n.stage_rank)),
            (Some(was), Some(is)) if is < was
        );
        if kind.is_none() && !stage_back {
            continue;
        }
        let (owner, account) = new.or(old).map(|d| (d.owner.clone(), d.account.clone()))?;
        deals.push(DealChange {
            id: id.clone(),
            owner,
            account,
            kind,
            delta,
            stage_back,
            before: old.cloned(),
            after: new.cloned(),
        });
    }
    deals.sort_by(|a, b| (&a.owner, &a.id).cmp(&(&b.owner, &b.id)));
    Some(Changes {
        from: older.date,
        to: newer.date,
        period,
        start,
        end,
        starts,
        deals,
    })
}

/// Each rep record of the changes' period gets how many of their deals
/// were pushed out of it; the figure is undefined without two snapshots.
pub(super) fn count_pushed(performance: &mut super::Performance, changes: Option<&Changes>) {
    let Some(changes) = changes else { return };
    for (rep, by_period) in performance.reps.iter_mut() {
        if let Some(figures) = by_period.get_mut(&changes.period) {
            let pushed = changes
                .deals
                .iter()
                .filter(|c| &c.owner == rep && c.kind == Some(ChangeKind::Pushed))
                .count();
            figures.pushed_deals = Some(u32::try_from(pushed).unwrap_or(u32::MAX));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deal(
        id: &str,
        stage: &str,
        outcome: Outcome,
        closes: (i16, i8, i8),
        amount: i64,
    ) -> SnapDeal {
        SnapDeal {
            id: id.into(),
            owner: "ann".into(),
            account: String::new(),
            stage: stage.into(),
            outcome,
            stage_rank: ["Discovery", "Proposal", "Negotiation"]
                .iter()
                .position(|s| *s == stage),
            closes: Some(Date::constant(closes.0, closes.1, closes.2)),
            amount: Money::from_major(amount),
        }
    }

    fn site() -> Site {
        let (content, _) = crate::load::parse_files(vec![(
            PathBuf::from("content/site.yaml"),
            b"title: T\n".to_vec(),
        )]);
        let doc = content.site.unwrap();
        super::super::site::site(&doc, &mut Vec::new())
    }

    #[test]
    fn the_changes_add_up_from_one_snapshot_to_the_next() {
        use Outcome::*;
        let older = Snapshot {
            date: Date::constant(2026, 11, 2),
            file: "a".into(),
            deals: vec![
                deal("won", "Negotiation", Open, (2026, 11, 20), 100),
                deal("lost", "Proposal", Open, (2026, 12, 1), 40),
                deal("pushed", "Proposal", Open, (2026, 12, 10), 70),
                deal("pulled", "Discovery", Open, (2027, 1, 15), 25),
                deal("up", "Proposal", Open, (2026, 12, 5), 50),
                deal("back", "Negotiation", Open, (2026, 12, 20), 30),
                deal("gone", "Discovery", Open, (2026, 10, 1), 10),
            ],
        };
        let pulled = deal("pulled", "Discovery", Open, (2026, 12, 15), 25);
        let newer = Snapshot {
            date: Date::constant(2026, 11, 9),
            file: "b".into(),
            deals: vec![
                deal("won", "Closed Won", Won, (2026, 11, 6), 100),
                deal("lost", "Closed Lost", Lost, (2026, 11, 5), 40),
                deal("pushed", "Proposal", Open, (2027, 1, 10), 70),
                pulled,
                deal("up", "Proposal", Open, (2026, 12, 5), 65),
                deal("back", "Proposal", Open, (2026, 12, 20), 30),
                deal("new", "Discovery", Open, (2026, 12, 30), 20),
            ],
        };
        let changes = changes(&[older, newer], &site()).unwrap();
        assert_eq!(changes.period.to_string(), "2026-Q4");
        let total = changes
            .deals
            .iter()
            .try_fold(changes.start, |sum, c| sum.checked_add(c.delta))
            .unwrap();
        assert_eq!(total, changes.end, "start + changes = end");
        let kind = |id: &str| changes.deals.iter().find(|c| c.id == id).unwrap().kind;
        assert_eq!(kind("won"), Some(ChangeKind::Won));
        assert_eq!(kind("lost"), Some(ChangeKind::Lost));
        assert_eq!(kind("pushed"), Some(ChangeKind::Pushed));
        assert_eq!(kind("up"), Some(ChangeKind::AmountUp));
        assert_eq!(kind("new"), Some(ChangeKind::New));
        assert_eq!(kind("gone"), Some(ChangeKind::Removed));
        assert_eq!(kind("pulled"), Some(ChangeKind::PulledIn));
        let back = changes.deals.iter().find(|c| c.id == "back").unwrap();
        assert!(back.stage_back && back.kind.is_none());
        // 100 + 40 + 70 + 50 + 30 + 10 before (the past-due "gone" counts);
        // 25 + 65 + 30 + 20 after.
        assert_eq!(changes.start, Money::from_major(300));
        assert_eq!(changes.end, Money::from_major(140));
    }
}

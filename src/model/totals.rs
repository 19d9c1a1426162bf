//! Model stage: every period's totals over the whole organisation, added
//! up once with every sum checked. Entry: [`check`].
//!
//! Every amount and count in a model is 0 or more, so any team's sum (and
//! the team forecasts built from submitted ones) is at most the period's
//! organisation-wide total. Once these totals fit, no roll-up, page or
//! export can overflow, and the later stages rely on that.

use super::{Performance, PersonId};
use crate::error::Diagnostic;
use crate::load::{Content, PerformanceDoc};
use crate::vocab::figures::Figures;
use crate::vocab::money::Money;
use crate::vocab::period::Period;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The summed figures: name, how to read it from a record.
type MoneyField = (&'static str, fn(&Figures) -> Option<Money>);
type CountField = (&'static str, fn(&Figures) -> Option<u32>);

const MONEY: [MoneyField; 9] = [
    ("quota", |f| Some(f.quota)),
    ("closed_won", |f| Some(f.closed_won)),
    ("pipeline", |f| f.pipeline),
    ("forecast", |f| f.forecast),
    // From deals: every stage's and category's sum is at most these.
    ("open pipeline", |f| {
        Some(f.deal_pipeline.as_ref()?.open()?.amount)
    }),
    ("omitted pipeline", |f| {
        Some(f.deal_pipeline.as_ref()?.omitted.amount)
    }),
    ("pipeline_weighted", |f| f.deal_pipeline.as_ref()?.weighted),
    ("pipeline_created", |f| {
        Some(f.deal_pipeline.as_ref()?.created.amount)
    }),
    ("past-due pipeline", |f| {
        Some(f.deal_pipeline.as_ref()?.past_due.amount)
    }),
];

const COUNTS: [CountField; 14] = [
    ("deals_no_decision", |f| f.deals_no_decision),
    ("open pipeline deals", |f| {
        Some(f.deal_pipeline.as_ref()?.open()?.count)
    }),
    ("omitted deals", |f| {
        Some(f.deal_pipeline.as_ref()?.omitted.count)
    }),
    ("deals without a probability", |f| {
        Some(f.deal_pipeline.as_ref()?.unweighted)
    }),
    ("past_due_deals", |f| {
        Some(f.deal_pipeline.as_ref()?.past_due.count)
    }),
    ("deals_won", |f| f.deals_won),
    ("deals_lost", |f| f.deals_lost),
    ("opportunities_created", |f| f.opportunities_created),
    ("calls", |f| f.activities?.calls),
    ("emails", |f| f.activities?.emails),
    ("meetings", |f| f.activities?.meetings),
    ("demos", |f| f.activities?.demos),
    ("open deals", |f| Some(f.documentation?.open)),
    ("complete open deals", |f| Some(f.documentation?.complete)),
];

/// Adds up, per period, every rep's money and counts and every submitted
/// team forecast, in id order; the record that takes a total past the
/// largest figure Bullpen holds is an error at that record's line (or, for
/// figures from deal exports, in the export).
pub(super) fn check(
    performance: &Performance,
    files: &super::figures::RecordFiles<'_>,
    content: &Content,
    deal_files: &[PathBuf],
    diagnostics: &mut Vec<Diagnostic>,
) {
    // Per period, each money and count field's running total, in the
    // order of `MONEY` and `COUNTS`.
    let mut totals: BTreeMap<Period, ([Money; MONEY.len()], [u32; COUNTS.len()])> = BTreeMap::new();
    let mut passed: BTreeMap<(Period, &'static str), ()> = BTreeMap::new();
    let mut report = |id: &PersonId, period: Period, field: &'static str, limit: String| {
        if passed.insert((period, field), ()).is_some() {
            return None; // one error per figure and period
        }
        Some(overflow(
            content, files, deal_files, id, period, field, limit,
        ))
    };
    for (id, by_period) in &performance.reps {
        for (&period, figures) in by_period {
            let (money, counts) = totals
                .entry(period)
                .or_insert(([Money::ZERO; MONEY.len()], [0; COUNTS.len()]));
            for ((field, get), sum) in MONEY.iter().zip(money.iter_mut()) {
                let Some(amount) = get(figures) else { continue };
                match sum.checked_add(amount) {
                    Some(more) => *sum = more,
                    None => diagnostics.extend(report(id, period, field, Money::MAX.to_string())),
                }
            }
            for ((field, get), sum) in COUNTS.iter().zip(counts.iter_mut()) {
                let Some(count) = get(figures) else { continue };
                match sum.checked_add(count) {
                    Some(more) => *sum = more,
                    None => diagnostics.extend(report(id, period, field, u32::MAX.to_string())),
                }
            }
        }
    }
    let forecast = MONEY
        .iter()
        .position(|(field, _)| *field == "forecast")
        .expect("forecasts are summed");
    for (id, by_period) in &performance.team_forecasts {
        for (&period, &submitted) in by_period {
            let (money, _) = totals
                .entry(period)
                .or_insert(([Money::ZERO; MONEY.len()], [0; COUNTS.len()]));
            let sum = &mut money[forecast];
            match sum.checked_add(submitted) {
                Some(more) => *sum = more,
                None => diagnostics.extend(report(id, period, "forecast", Money::MAX.to_string())),
            }
        }
    }
}

/// The error for the record whose `field` took a total past `limit`.
fn overflow(
    content: &Content,
    files: &super::figures::RecordFiles<'_>,
    deal_files: &[PathBuf],
    id: &str,
    period: Period,
    field: &'static str,
    limit: String,
) -> Diagnostic {
    let message = format!(
        "`{field}` of `{id}` takes the organisation's total for {period} past {limit}, the largest sum Bullpen holds"
    );
    let help = "a figure this large is almost always a typo (money is in whole units of the site currency, like 120000)";
    let record = files.get(&(id, period)).copied();
    let located = record.and_then(|file| locate(content, file, id, field));
    match (record, located) {
        (Some(file), Some(position)) => Diagnostic::error(file, message).at(Some(position)),
        // Not written in the record: the figure came from the deal exports.
        _ => match deal_files.first().map(PathBuf::as_path).or(record) {
            Some(file) => Diagnostic::error(file, format!("{message} (from the deal exports)")),
            None => Diagnostic::error("content/performance", message),
        },
    }
    .with_help(help)
}

/// Where `field` of `id`'s record sits in `file`, if it is written there.
fn locate(content: &Content, file: &Path, id: &str, field: &str) -> Option<crate::error::Position> {
    let path: Vec<&str> = match field {
        "calls" | "emails" | "meetings" | "demos" => vec!["activities", field],
        _ => vec![field],
    };
    // Only the key itself: `locate` falls back to its nearest ancestor.
    let exact = |spot: crate::load::Spot, full: &[&str]| {
        let here = spot.locate(full)?;
        (spot.locate(&full[..full.len() - 1]) != Some(here)).then_some(here)
    };
    content.performance.iter().find_map(|doc| match doc {
        PerformanceDoc::Period { doc, .. } if doc.file == file => {
            let mut full = vec!["people", id];
            full.extend(&path);
            exact(doc.spot(), &full)
        }
        PerformanceDoc::Person { doc, .. } if doc.file == file => exact(doc.spot(), &path),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 100,000 reps, each with the largest closed-won content may give:
    /// the organisation's total passes what Bullpen holds, and the record
    /// where it does is named with its file and line.
    #[test]
    fn an_organisation_total_past_the_limit_names_the_record() {
        let mut text = String::from("people:\n");
        let mut performance = Performance::default();
        let mut files = BTreeMap::new();
        let period = Period::parse("2026-Q3").unwrap();
        let file = PathBuf::from("content/performance/2026-Q3.yaml");
        let largest = Money::from_major(crate::vocab::money::MAX_MAJOR);
        for i in 0..100_000 {
            let id = format!("rep-{i:06}");
            text.push_str(&format!(
                "  {id}:\n    quota: 1\n    closed_won: 1000000000000\n"
            ));
            let figures = Figures {
                quota: Money::from_major(1),
                closed_won: largest,
                ..Figures::default()
            };
            performance
                .reps
                .entry(id.clone())
                .or_default()
                .insert(period, figures);
            files.insert((id, period), file.clone());
        }
        let content = Content {
            performance: vec![PerformanceDoc::Period {
                name: "2026-Q3".into(),
                doc: crate::load::Located {
                    file: file.clone(),
                    yaml: text,
                    yaml_line: 1,
                    value: crate::load::raw::RawPeriodFile {
                        period: None,
                        as_of: None,
                        people: BTreeMap::new(),
                    },
                },
            }],
            ..Content::default()
        };
        let files: super::super::figures::RecordFiles = files
            .iter()
            .map(|((id, period), file)| ((id.as_str(), *period), file.as_path()))
            .collect();
        let mut diagnostics = Vec::new();
        check(&performance, &files, &content, &[], &mut diagnostics);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        let error = &diagnostics[0];
        assert_eq!(error.file, file);
        // i64::MAX cents is 92,233 reps of 10^12: the 92,234th passes it,
        // rep-092233, whose closed_won is on line 1 + 3 × 92,233 + 3.
        assert_eq!(error.line, Some(1 + 3 * 92_233 + 3));
        assert!(
            error.message.contains("`closed_won` of `rep-092233`"),
            "{}",
            error.message
        );
        assert!(
            error.message.contains("92233720368547758.07"),
            "{}",
            error.message
        );
    }
}

//! Model stage: every figure of the site, in order — the records as the
//! performance files give them, checked against each person's role
//! ([`super::figures`]), the weeks of calls, the deal exports laid over
//! them, and every total checked. Entry: `figures`.

use super::build::period_of_name;
use super::*;
use crate::error::Diagnostic;
use crate::load::raw::RawRecord;
use crate::load::{Content, PerformanceDoc, Spot};

/// The model's figures, made from the performance files, the calls and
/// the deal exports, and what making them found.
pub(super) struct Figured {
    pub performance: Performance,
    pub periods: Vec<Period>,
    pub deals: super::deals::Deals,
    pub pipeline_changes: Option<super::snapshots::Changes>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Every figure: the records, the calls and the deal exports laid over
/// them, each total checked.
pub(super) fn figures(
    content: &Content,
    site_doc: &crate::load::Located<crate::load::raw::RawSite>,
    site: &Site,
    people: &BTreeMap<PersonId, Person>,
) -> Figured {
    let mut diagnostics = Vec::new();
    let phase = crate::timings::phase("  figures");
    let (mut performance, periods, sources, record_files) =
        super::figures::performance(content, site, people, &mut diagnostics);
    performance.as_of = super::calls::as_of(content, site, &mut diagnostics);
    performance.calls = super::calls::calls(content, site, people, &mut diagnostics);
    drop(phase);
    let deal_files: Vec<super::deals::DealsFile> = content
        .deals
        .iter()
        .map(|f| super::deals::DealsFile {
            file: &f.file,
            bytes: &f.bytes,
        })
        .collect();
    let deals = super::deals::read(
        site_doc,
        &deal_files,
        people,
        &content.people,
        super::deals::Context {
            period_kind: site.period_kind,
            calendar: site.calendar,
            currency: &site.currency,
            now: periods
                .last()
                .map(|&p| (p, super::roll_up_date(site, &performance.as_of, p))),
        },
        &mut diagnostics,
    );
    if site_doc.value.deals.is_some() {
        super::figures::merge_deals(
            &mut performance,
            &sources,
            &deals,
            periods.last().copied(),
            people,
            &mut diagnostics,
        );
    }
    super::snapshots::set_as_of(
        &deals.snapshots,
        site,
        &mut performance.as_of,
        &mut diagnostics,
    );
    let pipeline_changes = super::snapshots::changes(&deals.snapshots, site);
    super::snapshots::count_pushed(&mut performance, pipeline_changes.as_ref());
    super::calls::apply(
        &mut performance,
        site,
        people,
        &record_files,
        &mut diagnostics,
    );
    super::totals::check(
        &performance,
        &record_files,
        content,
        &deals.files,
        &mut diagnostics,
    );
    Figured {
        performance,
        periods,
        deals,
        pipeline_changes,
        diagnostics,
    }
}

/// One record as a performance file gives it, before it is checked.
pub(super) struct Given<'c> {
    pub doc: Spot<'c>,
    /// Its place in the file's YAML (`people.<id>`, or nothing for a file
    /// that is one record).
    pub path: Vec<&'c str>,
    pub id: &'c str,
    pub period: Period,
    pub raw: &'c RawRecord,
}

/// Every record of the performance files, in file order, with its period;
/// files whose period cannot be told are reported and left out.
pub(super) fn given_records<'c>(
    content: &'c Content,
    site: &Site,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Given<'c>> {
    let mut given = Vec::new();
    for doc in &content.performance {
        match doc {
            PerformanceDoc::Period { name, doc } => {
                let named = doc.value.period.as_deref();
                let Some(file_period) =
                    period_of_name(doc.spot(), named, "file name", name, site, diagnostics)
                else {
                    continue;
                };
                if let Some(named) = &doc.value.period
                    && named != name
                {
                    diagnostics.push(
                        doc.error(
                            &["period"],
                            format!("`period: {named}` does not match the file name {name}.yaml"),
                        )
                        .with_help(format!(
                            "rename the file to {named}.yaml or set `period: {name}`"
                        )),
                    );
                    continue;
                }
                given.extend(doc.value.people.iter().map(|(id, raw)| Given {
                    doc: doc.spot(),
                    path: vec!["people", id.as_str()],
                    id,
                    period: file_period,
                    raw,
                }));
            }
            PerformanceDoc::Person {
                period: name,
                id,
                doc,
            } => {
                let Some(file_period) =
                    period_of_name(doc.spot(), None, "folder name", name, site, diagnostics)
                else {
                    continue;
                };
                given.push(Given {
                    doc: doc.spot(),
                    path: Vec::new(),
                    id,
                    period: file_period,
                    raw: &doc.value,
                });
            }
            // Read by `calls::calls`.
            PerformanceDoc::Calls { .. } => {}
        }
    }
    given
}

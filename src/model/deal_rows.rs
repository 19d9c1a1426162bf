//! Model stage, deals: reading one CRM export — its header against the
//! column mapping, then every row, streamed in chunks and tallied on every
//! core — and a deal snapshot's rows by the same checks. A row's cells are
//! read in [`super::deal_cells`]. Entries: [`read_file`], [`snapshot_rows`].

use super::currency::divide_rounding;
use super::deal_cells::{Cells, Columns, Row, check_row, wrong_delimiter};
use super::deals::{DealFigures, Deals, DealsFile, OpenDeal, Outcome, Owners, Settings};
use crate::error::{Diagnostic, Position};
use crate::vocab::figures::{Category, DealPipeline, DealSum};
use crate::vocab::money::Money;
use crate::vocab::period::Period;
use jiff::civil::Date;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// What a run of rows adds up to; tallies of consecutive chunks are merged
/// in order, so messages keep their line order.
#[derive(Default)]
struct Tally<'a> {
    figures: HashMap<(&'a str, Period), DealFigures>,
    undated: HashMap<&'a str, DealFigures>,
    open: Vec<OpenDeal>,
    /// Unmatched owner → the first line it is on.
    unmatched: BTreeMap<String, usize>,
    /// Every deal id given, with its line, in line order.
    ids: Vec<(String, usize)>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Tally<'a> {
    fn merge(&mut self, file: &Path, other: Tally<'a>) {
        for ((owner, period), figures) in other.figures {
            let entry = self.figures.entry((owner, period)).or_default();
            if let Err(figure) = entry.add(&figures) {
                self.diagnostics.push(overflow(
                    file,
                    figures.last_line,
                    owner,
                    Some(period),
                    figure,
                ));
            }
        }
        for (owner, figures) in other.undated {
            let entry = self.undated.entry(owner).or_default();
            if let Err(figure) = entry.add(&figures) {
                self.diagnostics
                    .push(overflow(file, figures.last_line, owner, None, figure));
            }
        }
        self.open.extend(other.open);
        for (owner, line) in other.unmatched {
            self.unmatched.entry(owner).or_insert(line);
        }
        self.ids.extend(other.ids);
        self.diagnostics.extend(other.diagnostics);
    }
}

impl DealFigures {
    /// Adds `other` in, every sum checked; on overflow names the figure
    /// (and leaves `self` partly added: the run has failed by then).
    pub(super) fn add(&mut self, other: &DealFigures) -> Result<(), &'static str> {
        fn count(sum: &mut u32, more: u32, name: &'static str) -> Result<(), &'static str> {
            *sum = sum.checked_add(more).ok_or(name)?;
            Ok(())
        }
        self.closed_won = self
            .closed_won
            .checked_add(other.closed_won)
            .ok_or("closed-won")?;
        count(&mut self.deals_won, other.deals_won, "won deals")?;
        count(&mut self.deals_lost, other.deals_lost, "lost deals")?;
        self.cycle_days_sum = self
            .cycle_days_sum
            .checked_add(other.cycle_days_sum)
            .ok_or("days to close")?;
        count(&mut self.cycle_deals, other.cycle_deals, "won deals")?;
        count(
            &mut self.opportunities_created,
            other.opportunities_created,
            "opportunities created",
        )?;
        count(&mut self.open, other.open, "open deals")?;
        count(&mut self.open_complete, other.open_complete, "open deals")?;
        count(
            &mut self.deals_no_decision,
            other.deals_no_decision,
            "deals without a decision",
        )?;
        self.pipeline
            .add(&other.pipeline)
            .map_err(|overflow| overflow.0)?;
        self.last_line = self.last_line.max(other.last_line);
        Ok(())
    }
}

/// A sum of deals that would pass the largest figure Bullpen holds.
pub(super) fn overflow(
    file: &Path,
    line: usize,
    owner: &str,
    period: Option<Period>,
    figure: &str,
) -> Diagnostic {
    let when = period.map_or(String::new(), |p| format!(" in {p}"));
    let limit = match figure {
        "closed-won" | "commit pipeline" | "best-case pipeline" | "pipeline category"
        | "omitted pipeline" | "pipeline_weighted" | "pipeline_created" | "past_due_deals"
        | "pipeline by stage" => format!("{}", Money::MAX),
        "days to close" | "deal age" => i64::MAX.to_string(),
        _ => u32::MAX.to_string(),
    };
    Diagnostic::error(
        file,
        format!("the {figure} of `{owner}`{when} add up to more than {limit}, the largest sum Bullpen holds (counted up to this row)"),
    )
    .at(Some(Position::line(line)))
    .with_help("an amount this large is almost always a typo or a wrong column; check the export's amounts")
}

/// Rows are read in chunks of this many and each chunk is tallied on
/// every core: reading a CSV is sequential, making sense of its rows is not.
const CHUNK: usize = 20_000;

/// Opens an export: its bytes without a byte-order mark, a reader past the
/// header, and the mapped columns found in the header. `None`, with the
/// error at line 1, for an empty file, an unreadable header, one of the
/// wrong delimiter, or a mapped column missing.
fn open<'b>(
    file: &Path,
    bytes: &'b [u8],
    settings: &Settings,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Opened<'b>> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        diagnostics.push(
            Diagnostic::error(
                file,
                "the file is empty; expected a CSV export with a header row",
            )
            .with_help("export the deals again, or remove the file"),
        );
        return None;
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let header = match reader.headers() {
        Ok(header) => header.clone(),
        Err(err) => {
            diagnostics.push(
                Diagnostic::error(file, format!("the header row cannot be read: {err}"))
                    .at(Some(Position::line(1))),
            );
            return None;
        }
    };
    if let Some(diagnostic) = wrong_delimiter(file, &header) {
        diagnostics.push(diagnostic);
        return None;
    }
    let columns = Columns::of_header(file, &header, settings, diagnostics)?;
    Some(Opened {
        bytes,
        reader,
        columns,
    })
}

/// An export opened by [`open`]: past its header, its columns found.
struct Opened<'b> {
    bytes: &'b [u8],
    reader: csv::Reader<&'b [u8]>,
    columns: Columns,
}

/// One deal of a snapshot, its row checked as an export's row is.
pub(super) struct SnapshotRow<'a> {
    pub(super) line: usize,
    pub(super) id: String,
    pub(super) account: String,
    pub(super) owner: &'a str,
    pub(super) stage: String,
    pub(super) stage_index: Option<usize>,
    pub(super) outcome: Outcome,
    pub(super) closed: Option<Date>,
    /// In the site's currency; 0 when the cell is blank.
    pub(super) amount: Money,
}

/// Every deal of a snapshot file, each row read and checked by the same
/// rules as the export's (owner, stage, dates, amount, currency, category,
/// probability); a snapshot also needs the `id` column, to follow a deal
/// from one snapshot to the next. Each bad row is an error at its line, and
/// each owner matching no person one error where first seen.
pub(super) fn snapshot_rows<'a>(
    file: &Path,
    bytes: &[u8],
    settings: &Settings,
    owners: &Owners<'a>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<SnapshotRow<'a>>> {
    if !settings.columns.contains_key("id") {
        diagnostics.push(
            Diagnostic::error(file, "deal snapshots need the `id` column mapped in site.yaml's `deals.columns`, to follow each deal from one snapshot to the next")
                .at(Some(Position::line(1))),
        );
        return None;
    }
    let Opened {
        mut reader,
        columns,
        ..
    } = open(file, bytes, settings, diagnostics)?;
    let mut tally = Tally::default();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut line = 1;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) => {
                tally.diagnostics.push(
                    Diagnostic::error(file, format!("the row cannot be read: {err}"))
                        .at(Some(Position::line(line + 1))),
                );
                break;
            }
        }
        line = record.position().map_or(line + 1, |p| p.line() as usize);
        let cells = Cells {
            file,
            line,
            record: &record,
            columns: &columns,
        };
        let Some(id) = cells.get(columns.id).map(str::to_string) else {
            tally
                .diagnostics
                .push(cells.error("id", "the deal id is blank".into()));
            continue;
        };
        let Some(row) = check_row(
            &cells,
            settings,
            owners,
            &mut tally.diagnostics,
            &mut tally.unmatched,
        ) else {
            continue;
        };
        rows.push(SnapshotRow {
            line,
            id,
            account: cells.get(columns.account).unwrap_or("").to_string(),
            owner: row.owner,
            stage: cells.get(columns.stage).unwrap_or("").to_string(),
            stage_index: row.stage,
            outcome: row.outcome,
            closed: row.closed,
            amount: row.amount.unwrap_or(Money::ZERO),
        });
    }
    for (owner, line) in tally.unmatched {
        diagnostics.push(
            Diagnostic::error(file, format!("the owner `{owner}` matches no person (first seen here; every row of theirs is left out)"))
                .at(Some(Position::line(line))),
        );
    }
    diagnostics.extend(tally.diagnostics);
    Some(rows)
}

pub(super) fn read_file(
    file: &DealsFile,
    settings: &Settings,
    owners: &Owners,
    deals: &mut Deals,
    unmatched: &mut BTreeMap<String, (PathBuf, usize)>,
    ids: &mut HashMap<String, (PathBuf, usize)>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(Opened {
        bytes,
        reader,
        columns,
    }) = open(file.file, file.bytes, settings, diagnostics)
    else {
        return;
    };
    let total = read_rows(file.file, bytes, reader, &columns, settings, owners);
    let Tally {
        figures,
        undated,
        open,
        unmatched: unmatched_here,
        ids: ids_here,
        diagnostics: mut found,
    } = total;
    for ((owner, period), figures) in figures {
        let entry = deals
            .figures
            .entry((owner.to_string(), period))
            .or_default();
        if let Err(figure) = entry.add(&figures) {
            diagnostics.push(overflow(
                file.file,
                figures.last_line,
                owner,
                Some(period),
                figure,
            ));
        }
    }
    for (owner, figures) in undated {
        let entry = deals.undated.entry(owner.to_string()).or_default();
        if let Err(figure) = entry.add(&figures) {
            diagnostics.push(overflow(file.file, figures.last_line, owner, None, figure));
        }
    }
    found.extend(repeated_ids(file.file, ids_here, &columns, ids));
    deals.open.extend(open);
    for (owner, line) in unmatched_here {
        unmatched
            .entry(owner)
            .or_insert_with(|| (file.file.to_path_buf(), line));
    }
    diagnostics.extend(found);
}

/// Reads every row after the header, in chunks tallied on every core; a
/// row that cannot be read is an error at its line.
fn read_rows<'a>(
    file: &Path,
    bytes: &[u8],
    mut reader: csv::Reader<&[u8]>,
    columns: &Columns,
    settings: &Settings,
    owners: &Owners<'a>,
) -> Tally<'a> {
    use rayon::prelude::*;
    // Lines are counted from byte offsets, the same way for LF and CRLF
    // files, incrementally so that a large export stays linear.
    let mut lines = LineCounter {
        bytes,
        offset: 0,
        line: 1,
    };
    let mut total = Tally::default();
    // Records are read into a reused buffer: no allocation per row once warm.
    let mut buffer: Vec<(usize, csv::StringRecord)> = Vec::with_capacity(CHUNK * 4);
    let mut filled = 0;
    let mut done = false;
    while !done {
        if filled == buffer.len() {
            buffer.push((0, csv::StringRecord::new()));
        }
        let next = reader.position().byte() as usize;
        let (slot_line, record) = &mut buffer[filled];
        match reader.read_record(record) {
            Ok(false) => done = true,
            Ok(true) => {
                let start = record.position().map_or(next, |p| p.byte() as usize);
                *slot_line = lines.line_at(start);
                filled += 1;
            }
            Err(err) => {
                let line = lines.line_at(next);
                let message = match err.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!("this row has {len} fields; the header has {expected_len}"),
                    csv::ErrorKind::Utf8 { .. } => "this row is not valid UTF-8 text".to_string(),
                    _ => format!("this row cannot be read: {err}"),
                };
                // Tally the rows before it first, so messages keep their line order.
                total.merge(
                    file,
                    tally_rows(file, &buffer[..filled], columns, settings, owners),
                );
                filled = 0;
                total
                    .diagnostics
                    .push(Diagnostic::error(file, message).at(Some(Position::line(line))));
                if !matches!(
                    err.kind(),
                    csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                ) {
                    done = true;
                }
            }
        }
        if filled == CHUNK * 4 || (done && filled > 0) {
            let tallies: Vec<Tally> = buffer[..filled]
                .par_chunks(CHUNK)
                .map(|rows| tally_rows(file, rows, columns, settings, owners))
                .collect();
            for tally in tallies {
                total.merge(file, tally);
            }
            filled = 0;
        }
    }
    total
}

/// The same deal twice (in this file or an earlier one) would be counted
/// twice: an error at each repeat, naming the first. `seen` gains this
/// file's ids.
fn repeated_ids(
    file: &Path,
    found: Vec<(String, usize)>,
    columns: &Columns,
    seen: &mut HashMap<String, (PathBuf, usize)>,
) -> Vec<Diagnostic> {
    let mut repeats = Vec::new();
    for (id, line) in found {
        match seen.entry(id) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert((file.to_path_buf(), line));
            }
            std::collections::hash_map::Entry::Occupied(first) => {
                let (first_file, first_line) = first.get();
                let column = columns.names.get("id").map_or("id", String::as_str);
                let place = if first_file == file {
                    format!("line {first_line}")
                } else {
                    format!("{}:{first_line}", first_file.display())
                };
                repeats.push(
                    Diagnostic::error(
                        file,
                        format!(
                            "column `{column}`: the deal `{}` is given twice: first at {place}, again here",
                            first.key()
                        ),
                    )
                    .at(Some(Position::line(line)))
                    .with_help("a deal counted twice doubles its figures; remove one of the rows"),
                );
            }
        }
    }
    repeats
}

fn tally_rows<'a>(
    file: &Path,
    rows: &[(usize, csv::StringRecord)],
    columns: &Columns,
    settings: &Settings,
    owners: &Owners<'a>,
) -> Tally<'a> {
    let mut tally = Tally::default();
    for (line, record) in rows {
        read_row(file, *line, record, columns, settings, owners, &mut tally);
    }
    tally
}

/// The line of a byte offset, for offsets that only grow.
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl LineCounter<'_> {
    fn line_at(&mut self, offset: usize) -> usize {
        // After a CRLF, csv starts the next record at its LF.
        let offset = if self.bytes.get(offset) == Some(&b'\n') {
            offset + 1
        } else {
            offset
        };
        let offset = offset.min(self.bytes.len());
        if offset > self.offset {
            self.line += self.bytes[self.offset..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.offset = offset;
        }
        self.line
    }
}

fn read_row<'a>(
    file: &Path,
    line: usize,
    record: &csv::StringRecord,
    columns: &Columns,
    settings: &Settings,
    owners: &Owners<'a>,
    tally: &mut Tally<'a>,
) {
    let cells = Cells {
        file,
        line,
        record,
        columns,
    };
    if let Some(id) = cells.get(columns.id) {
        tally.ids.push((id.to_string(), line));
    }
    if let Some(row) = check_row(
        &cells,
        settings,
        owners,
        &mut tally.diagnostics,
        &mut tally.unmatched,
    ) {
        count_row(&cells, row, settings, tally);
    }
}

/// Adds a checked row to the tally: an opportunity created in its created
/// period, a won, lost or no-decision deal in its close period, an open
/// deal where it is expected to close — in the current period when that
/// is before the current as-of day (past due) or unknown.
fn count_row<'a>(cells: &Cells, row: Row<'a>, settings: &Settings, tally: &mut Tally<'a>) {
    let Row {
        owner,
        outcome,
        stage,
        created,
        closed,
        amount,
        category,
        probability,
    } = row;
    let (file, line, columns) = (cells.file, cells.line, cells.columns);
    let period_of = |d: Date| Period::containing(d, settings.period_kind, settings.calendar);
    // Every sum is checked: a row that takes one past the largest figure
    // Bullpen holds is an error at that row, never a wrapped figure.
    // An open deal's stage is added apart, so that no row allocates a list
    // of stages of its own.
    let mut add =
        |key: Option<(&'a str, Period)>, row: DealFigures, stage: Option<(usize, DealSum)>| {
            let figures = match key {
                Some(key) => tally.figures.entry(key).or_default(),
                None => tally.undated.entry(owner).or_default(),
            };
            let staged = stage.map_or(Ok(()), |(index, deal)| {
                figures
                    .pipeline
                    .add_at_stage(index, deal)
                    .map_err(|overflow| overflow.0)
            });
            if let Err(figure) = staged.and_then(|()| figures.add(&row)) {
                tally.diagnostics.push(super::deal_rows::overflow(
                    file,
                    line,
                    owner,
                    key.map(|(_, period)| period),
                    figure,
                ));
            }
        };
    let row = DealFigures {
        last_line: line,
        ..DealFigures::default()
    };
    let value = amount.unwrap_or(Money::ZERO);
    if let Some(created) = created {
        add(
            Some((owner, period_of(created))),
            DealFigures {
                opportunities_created: 1,
                pipeline: DealPipeline {
                    created: DealSum::one(value),
                    ..DealPipeline::default()
                },
                ..row.clone()
            },
            None,
        );
    }
    let open = match outcome {
        Outcome::Won | Outcome::Lost | Outcome::NoDecision => {
            let Some(closed) = closed else { return };
            let counted = match outcome {
                Outcome::Won => DealFigures {
                    deals_won: 1,
                    closed_won: value,
                    cycle_days_sum: created
                        .map_or(0, |created| i64::from((closed - created).get_days())),
                    cycle_deals: u32::from(created.is_some()),
                    ..row
                },
                Outcome::Lost => DealFigures {
                    deals_lost: 1,
                    ..row
                },
                _ => DealFigures {
                    deals_no_decision: 1,
                    ..row
                },
            };
            add(Some((owner, period_of(closed))), counted, None);
            return;
        }
        Outcome::Open => row,
    };
    let missing: Vec<String> = columns
        .required
        .iter()
        .filter(|(_, column)| cells.get(*column).is_none())
        .map(|(field, _)| field.clone())
        .collect();
    let now = settings.now;
    let past_due = matches!((closed, now), (Some(closed), Some((_, as_of))) if closed < as_of);
    let expected = closed.or(created);
    let key = match (expected, now) {
        (Some(date), Some((current, as_of))) if date < as_of => Some((owner, current)),
        (None, Some((current, _))) => Some((owner, current)),
        (date, _) => date.map(|date| (owner, period_of(date))),
    };
    let mut pipeline = DealPipeline {
        past_due: if past_due {
            DealSum::one(value)
        } else {
            DealSum::default()
        },
        ..DealPipeline::default()
    };
    if let (Some(created), Some((_, as_of))) = (created, now) {
        pipeline.age_days_sum = i64::from((as_of - created).get_days()).max(0);
        pipeline.aged = 1;
    }
    let deal = DealSum::one(value);
    let mut staged = None;
    if category == Some(Category::Omitted) {
        pipeline.omitted = deal;
    } else {
        staged = Some((stage.unwrap_or(settings.open.len()), deal));
        match category {
            Some(Category::Commit) => pipeline.commit = deal,
            Some(Category::BestCase) => pipeline.best_case = deal,
            _ => pipeline.pipeline = deal,
        }
        if settings.weighs {
            match probability {
                Some(rate) => {
                    let weighted = divide_rounding(
                        i128::from(value.minor()) * rate.numerator,
                        rate.denominator * 100,
                    );
                    pipeline.weighted = Some(Money::from_minor(weighted as i64));
                }
                None => {
                    pipeline.unweighted = 1;
                    pipeline.weighted = Some(Money::ZERO);
                }
            }
        }
    }
    add(
        key,
        DealFigures {
            open: 1,
            open_complete: u32::from(missing.is_empty() && !past_due),
            pipeline,
            ..open
        },
        staged,
    );
    tally.open.push(OpenDeal {
        owner: owner.to_string(),
        id: cells.get(columns.id).unwrap_or("").to_string(),
        account: cells.get(columns.account).unwrap_or("").to_string(),
        amount,
        closes: closed,
        missing,
        stage,
        created,
        category,
        probability: probability.map(|r| r.numerator as f64 / r.denominator as f64),
        past_due,
    });
}

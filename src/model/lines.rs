//! Model stage: reporting lines over time — who a person reported to on a
//! given day, and the checks on `lines:` and `end:` in people files.
//! Entries: [`Person::manager_on`], `read`, `check`, `against_figures`.
//!
//! The rule (README, "Reporting lines over time"): a period's figures
//! count for the manager in post on the period's roll-up day
//! ([`crate::model::Model::roll_up_date`]), so a move never changes a
//! complete period.

use super::build::{Known, unknown_person};
use super::{Line, Person, PersonId, Role};
use crate::error::{Diagnostic, Position};
use crate::load::raw::RawPerson;
use crate::load::{Located, Spot};
use crate::vocab::period::Period;
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet};

impl Person {
    /// The line in post on `date`. A leaver stays on the line they left
    /// from (their figures keep counting for that team); before the first
    /// line, the first applies (the earliest line known). `None` without
    /// `lines:`, when `manager` and `team` hold for every day.
    pub fn line_on(&self, date: Date) -> Option<&Line> {
        let date = self.end.map_or(date, |end| end.min(date));
        self.lines
            .iter()
            .rev()
            .find(|line| line.from <= date)
            .or(self.lines.first())
    }

    /// Who the person reported to on `date` (see [`Person::line_on`]).
    pub fn manager_on(&self, date: Date) -> Option<&str> {
        match self.line_on(date) {
            Some(line) => Some(&line.manager),
            None => self.manager.as_deref(),
        }
    }

    /// The person's team on `date`.
    pub fn team_on(&self, date: Date) -> Option<&str> {
        match self.line_on(date) {
            Some(line) => line.team.as_deref(),
            None => self.team.as_deref(),
        }
    }

    /// Whether the person was with the company on some day from `first`
    /// to `last` (no `start` or `end` given: always).
    pub fn with_company_between(&self, first: Date, last: Date) -> bool {
        self.start.is_none_or(|start| start <= last) && self.end.is_none_or(|end| end >= first)
    }
}

/// Where field `field` of the `index`th entry of `lines:` is in the file
/// (the entry's first line when the field is not found): the generic
/// locator follows mapping keys only, not sequence items.
pub(super) fn position(spot: Spot, index: usize, field: &str) -> Option<Position> {
    let key = spot.locate(&["lines"])?;
    let text: Vec<&str> = spot.yaml.lines().collect();
    let key_row = key.line.checked_sub(spot.yaml_line)?;
    let indent_of = |line: &str| line.len() - line.trim_start().len();
    let key_indent = indent_of(text.get(key_row)?);
    let mut entries = 0;
    let mut found: Option<usize> = None;
    for (row, line) in text.iter().enumerate().skip(key_row + 1) {
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = indent_of(line);
        let item = body.starts_with('-') && indent >= key_indent;
        if let Some(start) = found {
            // The entry ends at the next item or when the block closes.
            if item || indent <= key_indent {
                return Some(Position::line(start + spot.yaml_line));
            }
            if let Some(position) = field_in(line, field) {
                return Some(Position {
                    line: row + spot.yaml_line,
                    column: position,
                });
            }
            continue;
        }
        if !item {
            if indent <= key_indent {
                break;
            }
            continue;
        }
        if entries == index {
            if let Some(column) = field_in(line, field) {
                return Some(Position {
                    line: row + spot.yaml_line,
                    column,
                });
            }
            found = Some(row);
        }
        entries += 1;
    }
    found
        .map(|row| Position::line(row + spot.yaml_line))
        .or(Some(key))
}

/// The 1-based column of the value of `field:` in one line of YAML.
fn field_in(line: &str, field: &str) -> Option<usize> {
    let needle = format!("{field}:");
    let at = line.match_indices(&needle).find_map(|(at, _)| {
        let before = line[..at].chars().next_back();
        before
            .is_none_or(|c| matches!(c, ' ' | '{' | ',' | '-'))
            .then_some(at)
    })?;
    let rest = &line[at + needle.len()..];
    Some(at + needle.len() + (rest.len() - rest.trim_start().len()) + 1)
}

/// Reads a person's `lines:` and `end:`: the dates, and the order of the
/// lines. References to other people are checked by [`check`], once
/// every person is known.
pub(super) fn read(
    doc: &Located<RawPerson>,
    start: Option<Date>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Line>, Option<Date>) {
    let raw = &doc.value;
    let spot = doc.spot();
    let end = raw
        .end
        .as_deref()
        .and_then(|text| super::build::date(doc, &["end"], text, diagnostics));
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        diagnostics.push(
            doc.error(
                &["end"],
                format!("`end` ({end}) is before `start` ({start}); expected the last day with the company, on or after the first"),
            ),
        );
    }
    let mut lines: Vec<Line> = Vec::new();
    let mut previous: Option<(usize, Date)> = None;
    for (index, raw_line) in raw.lines.iter().enumerate() {
        let number = index + 1;
        let at = |field| position(spot, index, field);
        let from = match raw_line.from.parse::<Date>() {
            Ok(date) if raw_line.from.len() == 10 => date,
            _ => {
                diagnostics.push(
                    Diagnostic::error(
                        &doc.file,
                        format!(
                            "entry {number} of `lines`: `{}` is not a date; expected YYYY-MM-DD, like 2026-07-01",
                            crate::text::excerpt(&raw_line.from, 40)
                        ),
                    )
                    .at(at("from")),
                );
                continue;
            }
        };
        if let Some((before, date)) = previous {
            let problem = if from == date {
                Some(format!(
                    "entry {number} of `lines` starts on {from}, the same day as entry {before}: two lines cannot both be in post on one day"
                ))
            } else if from < date {
                Some(format!(
                    "entry {number} of `lines` starts on {from}, before entry {before} ({date}); expected the lines oldest first"
                ))
            } else {
                None
            };
            if let Some(message) = problem {
                diagnostics.push(
                    Diagnostic::error(&doc.file, message)
                        .at(at("from"))
                        .with_help("each line runs from its `from` until the day before the next line's; list them oldest first, one per move"),
                );
            }
        }
        previous = Some((number, from));
        if index == 0
            && let Some(start) = start
            && from < start
        {
            diagnostics.push(
                Diagnostic::warning(
                    &doc.file,
                    format!("entry 1 of `lines` starts on {from}, before `start` ({start})"),
                )
                .at(at("from"))
                .with_help(
                    "a line counts from its `from`; if the person joined earlier, correct `start:`",
                ),
            );
        }
        lines.push(Line {
            from,
            manager: raw_line.manager.clone(),
            team: raw_line.team.clone(),
        });
    }
    (lines, end)
}

/// Checks every person's lines against everyone else: each line names a
/// known manager or leader, the last agrees with `manager:` and `team:`,
/// and no line closes a loop in the manager chain on its first day.
pub(super) fn check(
    people: &BTreeMap<PersonId, Person>,
    docs: &BTreeMap<&str, &Located<RawPerson>>,
    known: &Known,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for person in people.values() {
        let Some(doc) = docs.get(person.id.as_str()) else {
            continue;
        };
        let raw_lines = &doc.value.lines;
        let spot = doc.spot();
        for (index, line) in raw_lines.iter().enumerate() {
            let number = index + 1;
            let at = position(spot, index, "manager");
            match people.get(&line.manager) {
                None => diagnostics.extend(
                    unknown_person(
                        spot,
                        &["lines"],
                        &line.manager,
                        known,
                        &format!("entry {number} of `lines`: the manager"),
                    )
                    .map(|d| d.at(at)),
                ),
                Some(boss) if boss.role == Role::Rep => diagnostics.push(
                    Diagnostic::error(
                        &doc.file,
                        format!(
                            "entry {number} of `lines`: `{}` is a rep; a line must name a manager or a leader",
                            line.manager
                        ),
                    )
                    .at(at),
                ),
                Some(_) => {
                    let Ok(from) = line.from.parse::<Date>() else {
                        continue;
                    };
                    if let Some(cycle) = loop_on(person, from, people) {
                        diagnostics.push(
                            Diagnostic::error(
                                &doc.file,
                                format!(
                                    "entry {number} of `lines`: on {from} the manager chain loops back: {}",
                                    cycle.join(" → ")
                                ),
                            )
                            .at(at)
                            .with_help(
                                "every chain of managers must end at a leader, on every day",
                            ),
                        );
                    }
                }
            }
        }
        let Some(last) = raw_lines.last() else {
            continue;
        };
        let index = raw_lines.len() - 1;
        if !people.contains_key(&last.manager) {
            // Reported above as not a person; a second error would repeat it.
        } else if person.manager.as_deref() != Some(last.manager.as_str()) {
            let given = person
                .manager
                .as_deref()
                .map_or("not given".to_string(), |m| format!("`{m}`"));
            diagnostics.push(
                Diagnostic::error(
                    &doc.file,
                    format!(
                        "the last entry of `lines` (from {}) reports to `{}`, but `manager:` is {given}; the last line is the current one, so they must agree",
                        crate::text::excerpt(&last.from, 40), last.manager
                    ),
                )
                .at(position(spot, index, "manager"))
                .with_help("for a move, add a line with its first day and set `manager:` to the new manager"),
            );
        } else if person.team != last.team {
            let show = |team: &Option<String>| {
                team.as_deref()
                    .map_or("not given".to_string(), |t| format!("`{t}`"))
            };
            diagnostics.push(
                Diagnostic::error(
                    &doc.file,
                    format!(
                        "the last entry of `lines` (from {}) has team {}, but `team:` is {}; the last line is the current one, so they must agree",
                        crate::text::excerpt(&last.from, 40),
                        show(&last.team),
                        show(&person.team)
                    ),
                )
                .at(position(spot, index, "team")),
            );
        }
    }
}

/// The ids around a loop in `person`'s manager chain on `date`, if the
/// chain comes back to them.
fn loop_on(
    person: &Person,
    date: Date,
    people: &BTreeMap<PersonId, Person>,
) -> Option<Vec<String>> {
    let mut chain = vec![person.id.as_str()];
    let mut current = person.manager_on(date);
    while let Some(id) = current {
        if let Some(at) = chain.iter().position(|seen| *seen == id) {
            let mut cycle: Vec<String> = chain[at..].iter().map(|s| s.to_string()).collect();
            cycle.push(id.to_string());
            return (at == 0).then_some(cycle);
        }
        chain.push(id);
        current = people.get(id).and_then(|p| p.manager_on(date));
    }
    None
}

/// The checks that need the figures: a person whose `end` is before the
/// latest period's roll-up day is no longer active (`active: true` beside
/// such an `end` is a warning); figures for a period that starts after
/// someone's `end`, or that rolls up before their first line, are warnings.
pub(super) fn against_figures(
    people: &mut BTreeMap<PersonId, Person>,
    content: &crate::load::Content,
    performance: &super::Performance,
    periods: &[Period],
    site: &super::Site,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut docs: BTreeMap<&str, &Located<RawPerson>> = BTreeMap::new();
    for person in &content.people {
        docs.entry(&person.id).or_insert(&person.doc.meta);
    }
    let latest_day = periods
        .last()
        .map(|&p| super::roll_up_date(site, &performance.as_of, p));
    for person in people.values_mut() {
        let Some(doc) = docs.get(person.id.as_str()) else {
            continue;
        };
        let own: BTreeSet<Period> = performance
            .reps
            .get(&person.id)
            .map(|by_period| by_period.keys().copied().collect())
            .unwrap_or_default();
        if let Some(first) = person.lines.first()
            && let Some(early) = own
                .iter()
                .find(|&&p| super::roll_up_date(site, &performance.as_of, p) < first.from)
        {
            diagnostics.push(
                Diagnostic::warning(
                    &doc.file,
                    format!(
                        "{} has figures for {early}, before their first line (from {}); they count for `{}`, that line's manager",
                        person.name, first.from, first.manager
                    ),
                )
                .at(position(doc.spot(), 0, "from"))
                .with_help("add the line they were on then, with its first day, at the top of `lines:`"),
            );
        }
        let Some(end) = person.end else { continue };
        if latest_day.is_some_and(|day| end < day) {
            if doc.value.active == Some(true) {
                diagnostics.push(
                    doc.warning(
                        &["active"],
                        format!(
                            "`active: true`, but {} left on {end} (`end:`), before the latest figures",
                            person.name
                        ),
                    )
                    .with_help("remove `active:`: a person is inactive after their `end`"),
                );
            }
            person.active = false;
        }
        if let Some(after) = own.iter().find(|p| p.first_day(site.calendar) > end) {
            diagnostics.push(
                doc.warning(
                    &["end"],
                    format!(
                        "{} left on {end} but has figures for {after}, which starts after; they count for the team they left from",
                        person.name
                    ),
                )
                .with_help("check the figures are theirs, or correct `end:`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Severity;
    use jiff::civil::date;
    use std::path::PathBuf;

    /// A leader, two managers and the rep `yaml` describes, with figures
    /// for 2025-Q2 and 2025-Q3; the model (if it loads) and every diagnostic.
    fn load(rep: &str) -> (Option<super::super::Model>, Vec<Diagnostic>) {
        let files: Vec<(PathBuf, Vec<u8>)> = [
            ("content/site.yaml", "title: T\n"),
            ("content/people/lee.yaml", "name: Lee\nrole: leader\n"),
            (
                "content/people/mia.yaml",
                "name: Mia\nrole: manager\nmanager: lee\nteam: North\n",
            ),
            (
                "content/people/noah.yaml",
                "name: Noah\nrole: manager\nmanager: lee\nteam: South\n",
            ),
            ("content/people/ben.yaml", rep),
            (
                "content/performance/2025-Q2.yaml",
                "people:\n  ben: {quota: 100, closed_won: 50}\n",
            ),
            (
                "content/performance/2025-Q3.yaml",
                "people:\n  ben: {quota: 100, closed_won: 80}\n",
            ),
        ]
        .into_iter()
        .map(|(path, text)| (PathBuf::from(path), text.as_bytes().to_vec()))
        .collect();
        match crate::pipeline::model_from_files(files) {
            Ok((model, diagnostics)) => (Some(model), diagnostics),
            Err(crate::error::Error::Content(diagnostics)) => (None, diagnostics),
            Err(other) => panic!("{other:?}"),
        }
    }

    fn messages(diagnostics: &[Diagnostic], severity: Severity) -> Vec<String> {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .map(|d| format!("{}: {}", d.line.unwrap_or(0), d.message))
            .collect()
    }

    const MOVED: &str = "name: Ben\nrole: rep\nmanager: noah\nteam: South\nstart: 2025-01-06\nlines:\n  - {from: 2025-01-06, manager: mia, team: North}\n  - from: 2025-07-01\n    manager: noah\n    team: South\n";

    #[test]
    fn the_line_in_post_on_a_day() {
        let (model, diagnostics) = load(MOVED);
        let model = model.unwrap_or_else(|| panic!("{diagnostics:?}"));
        let ben = &model.people["ben"];
        assert_eq!(ben.manager_on(date(2025, 6, 30)), Some("mia"));
        assert_eq!(ben.team_on(date(2025, 6, 30)), Some("North"));
        assert_eq!(ben.manager_on(date(2025, 7, 1)), Some("noah"));
        assert_eq!(ben.team_on(date(2030, 1, 1)), Some("South"));
        // Before the first line, the first line holds.
        assert_eq!(ben.manager_on(date(2020, 1, 1)), Some("mia"));
        // Without lines, `manager` holds every day.
        assert_eq!(
            model.people["mia"].manager_on(date(2020, 1, 1)),
            Some("lee")
        );
    }

    #[test]
    fn a_leaver_stays_on_the_line_they_left_from_and_is_inactive_after() {
        let leaver = MOVED.replace(
            "start: 2025-01-06\n",
            "start: 2025-01-06\nend: 2025-06-20\n",
        );
        let (model, diagnostics) = load(&leaver);
        let model = model.unwrap_or_else(|| panic!("{diagnostics:?}"));
        let ben = &model.people["ben"];
        assert_eq!(ben.manager_on(date(2025, 9, 30)), Some("mia"));
        assert!(!ben.active);
        assert!(
            messages(&diagnostics, Severity::Warning)
                .iter()
                .any(|m| m.contains("left on 2025-06-20 but has figures for 2025-Q3")),
            "{diagnostics:?}"
        );
        // `active: true` beside a passed `end` is a warning; the end wins.
        let (model, diagnostics) = load(&format!("{leaver}active: true\n"));
        assert!(!model.unwrap().people["ben"].active);
        assert!(
            messages(&diagnostics, Severity::Warning)
                .iter()
                .any(|m| m.starts_with("12: `active: true`, but Ben left on 2025-06-20")),
            "{diagnostics:?}"
        );
        // An `end` after the latest figures: still active.
        let (model, _) = load(&MOVED.replace("start: 2025-01-06\n", "end: 2025-10-15\n"));
        assert!(model.unwrap().people["ben"].active);
    }

    #[test]
    fn early_lines_and_figures_before_the_first_line_are_warnings() {
        let early = MOVED.replace("from: 2025-01-06", "from: 2024-12-01");
        let (model, diagnostics) = load(&early);
        assert!(model.is_some());
        assert_eq!(
            messages(&diagnostics, Severity::Warning),
            ["7: entry 1 of `lines` starts on 2024-12-01, before `start` (2025-01-06)"]
        );
        let late = MOVED
            .replace("from: 2025-01-06", "from: 2025-07-01")
            .replace(
                "  - from: 2025-07-01\n    manager: noah",
                "  - from: 2025-08-01\n    manager: noah",
            );
        let (_, diagnostics) = load(&late);
        assert!(
            messages(&diagnostics, Severity::Warning).contains(
                &"7: Ben has figures for 2025-Q2, before their first line (from 2025-07-01); they count for `mia`, that line's manager".to_string()
            ),
            "{diagnostics:?}"
        );
    }

    #[test]
    fn entries_are_found_in_flow_and_block_style() {
        let doc = |yaml: &str| crate::load::Located {
            file: PathBuf::from("content/people/ben.yaml"),
            yaml: yaml.to_string(),
            yaml_line: 1,
            value: (),
        };
        let located = doc(MOVED);
        let spot = located.spot();
        assert_eq!(
            position(spot, 0, "manager"),
            Some(Position {
                line: 7,
                column: 33
            })
        );
        assert_eq!(
            position(spot, 1, "from"),
            Some(Position {
                line: 8,
                column: 11
            })
        );
        assert_eq!(
            position(spot, 1, "team"),
            Some(Position {
                line: 10,
                column: 11
            })
        );
        // A field an entry lacks: the entry's first line.
        assert_eq!(position(spot, 0, "end"), Some(Position::line(7)));
        // Front matter starts lower in its file.
        let shifted = crate::load::Located {
            yaml_line: 2,
            ..located.clone()
        };
        assert_eq!(
            position(shifted.spot(), 1, "from"),
            Some(Position {
                line: 9,
                column: 11
            })
        );
    }
}

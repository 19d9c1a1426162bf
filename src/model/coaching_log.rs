//! Model stage: coaching logs — every session logged for a rep in
//! `coaching/<rep>/log.yaml`, checked against the people and placed at its
//! line. Entry: [`logs`].

use super::build::{Known, unknown_person};
use super::*;
use crate::error::{Diagnostic, Position};
use crate::load::raw::{RawCoachingLog, RawSessionKind};
use crate::load::{Content, Located, LogDoc};
use std::collections::BTreeMap;

/// Every valid log's sessions, by rep then date. A log with an error
/// contributes nothing (its errors stop the build).
pub(super) fn logs(
    content: &Content,
    people: &BTreeMap<PersonId, Person>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<LogEntry> {
    let ids = Known::new(people, &content.broken_people);
    let mut entries = Vec::new();
    for LogDoc { rep, doc } in &content.coaching_logs {
        let before = diagnostics.len();
        match people.get(rep) {
            None => diagnostics.extend(unknown_person(
                doc.spot(),
                &[],
                rep,
                &ids,
                "the folder's rep",
            )),
            Some(person) if person.role != Role::Rep => diagnostics.push(
                Diagnostic::error(
                    &doc.file,
                    format!(
                        "`{rep}` is a {}; coaching logs are for reps",
                        person.role.label().to_lowercase()
                    ),
                )
                .at(Some(Position::line(doc.yaml_line))),
            ),
            Some(_) => {}
        }
        let mut found = Vec::new();
        for (index, raw) in doc.value.iter().enumerate() {
            let number = index + 1;
            let at = |field: &str| entry_field(doc, index, field);
            let date = match raw.date.parse::<Date>() {
                Ok(date) if raw.date.len() == 10 => Some(date),
                _ => {
                    diagnostics.push(
                        Diagnostic::error(
                            &doc.file,
                            format!(
                                "session {number}: `{}` is not a date; expected YYYY-MM-DD, like 2026-08-03",
                                crate::text::excerpt(&raw.date, 40)
                            ),
                        )
                        .at(at("date")),
                    );
                    None
                }
            };
            if !people.contains_key(&raw.coach) {
                diagnostics.extend(
                    unknown_person(
                        doc.spot(),
                        &[],
                        &raw.coach,
                        &ids,
                        &format!("session {number}: the coach"),
                    )
                    .map(|error| error.at(at("coach"))),
                );
            }
            let mut scores = Vec::new();
            for (skill, score) in &raw.scores {
                match u8::try_from(*score) {
                    Ok(score @ 1..=5) => scores.push((skill.clone(), score)),
                    _ => diagnostics.push(
                        Diagnostic::error(
                            &doc.file,
                            format!(
                                "session {number}: the score of `{skill}` is {score}; expected 1 to 5"
                            ),
                        )
                        .at(entry_field(doc, index, skill).or(at("scores"))),
                    ),
                }
            }
            let Some(date) = date else { continue };
            found.push(LogEntry {
                rep: rep.clone(),
                date,
                kind: match raw.kind {
                    RawSessionKind::OneOnOne => SessionKind::OneOnOne,
                    RawSessionKind::CallReview => SessionKind::CallReview,
                    RawSessionKind::JointCall => SessionKind::JointCall,
                    RawSessionKind::DealReview => SessionKind::DealReview,
                    RawSessionKind::Training => SessionKind::Training,
                },
                coach: raw.coach.clone(),
                notes: raw.notes.clone().filter(|n| !n.trim().is_empty()),
                call: raw.call.clone().filter(|c| !c.trim().is_empty()),
                scores,
            });
        }
        if diagnostics.len() == before {
            entries.extend(found);
        }
    }
    entries.sort_by(|a, b| (&a.rep, a.date).cmp(&(&b.rep, b.date)));
    entries
}

/// Where the value of `field` is in entry `index` of a log (a list at the
/// top of the file): the first line of the entry that gives `field:`, else
/// the entry's first line. Entries are written `- {date: …}` or as block
/// mappings under `- `.
fn entry_field(doc: &Located<RawCoachingLog>, index: usize, field: &str) -> Option<Position> {
    let lines: Vec<&str> = doc.yaml.lines().collect();
    let item = |line: &str| {
        let body = line.trim_start();
        body == "-" || body.starts_with("- ")
    };
    let indent = |line: &str| line.len() - line.trim_start().len();
    let top = lines
        .iter()
        .filter(|line| item(line))
        .map(|line| indent(line))
        .min()?;
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| item(line) && indent(line) == top)
        .map(|(number, _)| number)
        .collect();
    let start = *starts.get(index)?;
    let end = starts.get(index + 1).copied().unwrap_or(lines.len());
    let needle = format!("{field}:");
    let found = (start..end).find_map(|number| {
        let line = lines[number];
        line.match_indices(&needle).find_map(|(column, _)| {
            let before = line[..column].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-') {
                return None;
            }
            let after = &line[column + needle.len()..];
            let value = column + needle.len() + (after.len() - after.trim_start().len());
            Some(Position {
                line: number + doc.yaml_line,
                column: value + 1,
            })
        })
    });
    found.or(Some(Position {
        line: start + doc.yaml_line,
        column: indent(lines[start]) + 1,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::raw::RawLogEntry;

    fn located(yaml: &str) -> Located<RawCoachingLog> {
        let value: Vec<RawLogEntry> = serde_norway::from_str(yaml).unwrap();
        Located {
            file: "content/coaching/ann/log.yaml".into(),
            yaml: yaml.into(),
            yaml_line: 1,
            value,
        }
    }

    #[test]
    fn places_fields_of_flow_and_block_entries() {
        let doc = located(
            "# sessions\n- {date: 2026-08-03, kind: one-on-one, coach: mia}\n- date: 2026-08-10\n  kind: call-review\n  coach: mia\n  scores: {discovery: 3}\n",
        );
        let at = |index, field| entry_field(&doc, index, field).map(|p| (p.line, p.column));
        assert_eq!(at(0, "coach"), Some((2, 47)));
        assert_eq!(at(1, "date"), Some((3, 9)));
        assert_eq!(at(1, "coach"), Some((5, 10)));
        assert_eq!(at(1, "discovery"), Some((6, 23)));
        // Not given: the entry's first line.
        assert_eq!(at(1, "notes"), Some((3, 1)));
        assert_eq!(at(2, "date"), None);
    }
}

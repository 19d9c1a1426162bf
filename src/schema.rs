//! JSON Schemas for every content file kind, generated from the `Raw*`
//! types so they never drift from what the loader accepts. Entry: [`files`].

use crate::load::raw::*;
use crate::render::OutputFile;
use schemars::{JsonSchema, schema_for};

/// One schema file per content kind, named after the files it describes.
pub fn files() -> Vec<OutputFile> {
    vec![
        schema::<RawSite>("site.schema.json", "content/site.yaml"),
        schema::<RawPerson>(
            "person.schema.json",
            "content/people/<id>.yaml, or the front matter of people/<id>.md",
        ),
        schema::<RawPeriodFile>("period.schema.json", "content/performance/<period>.yaml"),
        schema::<RawRecord>(
            "record.schema.json",
            "content/performance/<period>/<id>.yaml",
        ),
        schema::<RawPlaybook>(
            "playbook.schema.json",
            "the front matter of content/playbooks/**/<slug>.md",
        ),
        schema::<RawSection>(
            "section.schema.json",
            "the front matter of content/playbooks/**/_index.md",
        ),
        schema::<RawCoaching>(
            "coaching.schema.json",
            "the front matter of content/coaching/<rep>/<period>.md",
        ),
        schema::<RawCoachingLog>(
            "coaching-log.schema.json",
            "content/coaching/<rep>/log.yaml, a list of coaching sessions",
        ),
        schema::<RawReport>(
            "report.schema.json",
            "the front matter of content/reports/**/<slug>.md",
        ),
        schema::<RawCalls>(
            "calls.schema.json",
            "content/performance/<period>/calls/<date>.yaml, a week's forecast calls",
        ),
    ]
}

fn schema<T: JsonSchema>(name: &str, describes: &str) -> OutputFile {
    let mut schema = schema_for!(T);
    let title = name.trim_end_matches(".schema.json");
    schema.insert("title".into(), format!("Bullpen {title}").into());
    schema.insert("description".into(), format!("Bullpen: {describes}").into());
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    OutputFile {
        path: name.to_string(),
        bytes: text.into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_reject_unknown_fields_and_name_required_ones() {
        let files = files();
        assert_eq!(files.len(), 10);
        let person: serde_json::Value = serde_json::from_slice(&files[1].bytes).unwrap();
        assert_eq!(person["additionalProperties"], false);
        let required: Vec<&str> = person["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(required, ["name", "role"]);
        assert_eq!(person["properties"]["role"]["$ref"], "#/$defs/RawRole");
        // site.yaml's limits, and the bounds of numbers, are in the schemas.
        let site: serde_json::Value = serde_json::from_slice(&files[0].bytes).unwrap();
        let limits = &site["$defs"]["RawLimits"];
        assert_eq!(limits["additionalProperties"], false);
        assert_eq!(limits["properties"]["max_file_mb"]["maximum"], 1024);
        assert_eq!(limits["properties"]["max_deals_file_mb"]["maximum"], 4096);
        let record: serde_json::Value = serde_json::from_slice(&files[3].bytes).unwrap();
        assert_eq!(record["properties"]["cycle_days"]["maximum"], 3650);
        assert_eq!(record["properties"]["deals_won"]["maximum"], 1_000_000);
        assert!(record["properties"]["full_quota"].is_object());
        // A coaching log is a list of sessions of five kinds.
        let log: serde_json::Value = serde_json::from_slice(&files[7].bytes).unwrap();
        assert_eq!(log["type"], "array");
        let entry = &log["$defs"]["RawLogEntry"];
        assert_eq!(entry["additionalProperties"], false);
        let required: Vec<&str> = entry["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(required, ["date", "kind", "coach"]);
        let kinds = log["$defs"]["RawSessionKind"].to_string();
        for kind in [
            "one-on-one",
            "call-review",
            "joint-call",
            "deal-review",
            "training",
        ] {
            assert!(kinds.contains(kind), "{kinds}");
        }
    }
}

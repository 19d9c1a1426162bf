//! Metrics export: every person × period row, with a column for each metric
//! of one record in the registry ([`crate::metrics::METRICS`]), as CSV or
//! JSON — a stable interface for spreadsheets. Entry: [`rows`].

use crate::metrics::{Metric, Value};
use crate::model::{Model, Role};
use crate::rollup::Org;
use crate::vocab::figures::Figures;
use crate::vocab::period::Period;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// The columns before the metrics: whose row it is.
const WHO: [&str; 5] = ["person", "name", "role", "manager", "period"];

/// The metrics with a column, in column order: every metric of one record,
/// in registry order.
pub fn metrics() -> impl Iterator<Item = Metric> {
    Metric::ALL
        .iter()
        .copied()
        .filter(|metric| metric.def().export)
}

/// The columns, in the documented order: whose row, then one per metric.
pub fn columns() -> Vec<&'static str> {
    WHO.into_iter().chain(metrics().map(Metric::name)).collect()
}

/// One person × period: whose row, and each of [`metrics`] in order,
/// `None` where undefined (empty in CSV, null in JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub person: String,
    pub name: String,
    pub role: &'static str,
    pub manager: String,
    pub period: String,
    pub values: Vec<Option<Value>>,
}

impl Row {
    fn who(&self) -> [&str; 5] {
        [
            &self.person,
            &self.name,
            self.role,
            &self.manager,
            &self.period,
        ]
    }
}

/// A value as the export writes it, by its unit: money as a plain decimal,
/// ratios (rates and multiples) with four decimals, counts whole, days with
/// up to two decimals.
fn cell(value: Value) -> String {
    match value {
        Value::Money(amount) => amount.to_string(),
        Value::Ratio(ratio) => format!("{ratio:.4}"),
        Value::Count(count) => count.to_string(),
        Value::Date(day) => day.to_string(),
        Value::Days(days) => format!("{days:.2}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string(),
    }
}

/// An object with the columns as keys, in order: counts are JSON numbers,
/// every other value a string, so that no decimal is rounded by a reader.
impl Serialize for Row {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(WHO.len() + self.values.len()))?;
        for (key, text) in WHO.iter().zip(self.who()) {
            map.serialize_entry(key, text)?;
        }
        for (metric, value) in metrics().zip(&self.values) {
            match value {
                Some(Value::Count(count)) => map.serialize_entry(metric.name(), count)?,
                Some(value) => map.serialize_entry(metric.name(), &cell(*value))?,
                None => map.serialize_entry(metric.name(), &None::<()>)?,
            }
        }
        map.end()
    }
}

/// Every row, by period then person id: reps with their own figures,
/// managers and leaders with their team roll-ups. `only` keeps one period.
pub fn rows(model: &Model, only: Option<Period>) -> Vec<Row> {
    let org = Org::new(model);
    let mut rows = Vec::new();
    for &period in model
        .periods
        .iter()
        .filter(|p| only.is_none_or(|o| o == **p))
    {
        for person in model.people.values() {
            let figures: Option<&Figures> = match person.role {
                Role::Rep => model.figures(&person.id, period),
                Role::Manager | Role::Leader => org.team(&person.id, period),
            };
            let Some(f) = figures else { continue };
            rows.push(Row {
                person: person.id.clone(),
                name: person.name.clone(),
                role: match person.role {
                    Role::Rep => "rep",
                    Role::Manager => "manager",
                    Role::Leader => "leader",
                },
                // The manager the period's figures count for.
                manager: person
                    .manager_on(model.roll_up_date(period))
                    .unwrap_or_default()
                    .to_string(),
                period: period.to_string(),
                values: metrics().map(|metric| metric.of(f)).collect(),
            });
        }
    }
    rows
}

/// A text cell a spreadsheet shows rather than runs (OWASP's advice on
/// CSV injection): one that starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading `'`. Only for text: numeric cells (a
/// negative amount is `-12.5`) are written as they are, and stay numbers.
fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The rows as CSV with a header, quoting where needed.
pub fn csv(rows: &[Row]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(columns());
    for row in rows {
        let who = row.who().map(text_cell);
        let values = row.values.iter().map(|v| v.map(cell).unwrap_or_default());
        let _ = writer.write_record(who.into_iter().chain(values));
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The rows as a JSON array of objects with the same keys, in column order.
pub fn json(rows: &[Row]) -> String {
    let mut text = serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}

/// One deal's change between the two newest snapshots, as `bullpen deals`
/// writes it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DealChangeRow {
    pub from: String,
    pub to: String,
    pub period: String,
    pub deal: String,
    pub account: String,
    pub owner: String,
    /// `new`, `won`, `lost`, `removed`, `pushed`, `pulled_in`,
    /// `amount_up`, `amount_down`, or empty for a stage moved back alone.
    pub change: String,
    pub stage_back: bool,
    /// The pipeline it added or took away, signed.
    pub delta: String,
    pub amount_before: String,
    pub amount_after: String,
    pub stage_before: String,
    pub stage_after: String,
    pub closes_before: String,
    pub closes_after: String,
}

/// The columns of [`DealChangeRow`], in order.
pub const DEAL_CHANGE_COLUMNS: [&str; 15] = [
    "from",
    "to",
    "period",
    "deal",
    "account",
    "owner",
    "change",
    "stage_back",
    "delta",
    "amount_before",
    "amount_after",
    "stage_before",
    "stage_after",
    "closes_before",
    "closes_after",
];

/// Every deal that changed between the two newest snapshots, by owner then
/// deal id; empty without two snapshots.
pub fn deal_changes(model: &Model) -> Vec<DealChangeRow> {
    let Some(changes) = &model.pipeline_changes else {
        return Vec::new();
    };
    let side = |deal: &Option<crate::model::snapshots::SnapDeal>| match deal {
        Some(d) => (
            d.amount.to_string(),
            d.stage.clone(),
            d.closes.map(|c| c.to_string()).unwrap_or_default(),
        ),
        None => Default::default(),
    };
    changes
        .deals
        .iter()
        .map(|c| {
            let (amount_before, stage_before, closes_before) = side(&c.before);
            let (amount_after, stage_after, closes_after) = side(&c.after);
            DealChangeRow {
                from: changes.from.to_string(),
                to: changes.to.to_string(),
                period: changes.period.to_string(),
                deal: c.id.clone(),
                account: c.account.clone(),
                owner: c.owner.clone(),
                change: c.kind.map_or("", |k| k.name()).to_string(),
                stage_back: c.stage_back,
                delta: c.delta.to_string(),
                amount_before,
                amount_after,
                stage_before,
                stage_after,
                closes_before,
                closes_after,
            }
        })
        .collect()
}

/// The deal changes as CSV with a header; text cells neutralised as in
/// [`csv()`].
pub fn deal_changes_csv(rows: &[DealChangeRow]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(DEAL_CHANGE_COLUMNS);
    for r in rows {
        let stage_back = if r.stage_back { "true" } else { "false" };
        let cells = [
            &r.from, &r.to, &r.period, &r.deal, &r.account, &r.owner, &r.change,
        ]
        .map(|t| text_cell(t));
        let rest = [&r.amount_before, &r.amount_after];
        let texts = [&r.stage_before, &r.stage_after].map(|t| text_cell(t));
        let _ = writer.write_record(
            cells
                .iter()
                .map(String::as_str)
                .chain([stage_back, r.delta.as_str()])
                .chain(rest.iter().map(|t| t.as_str()))
                .chain(texts.iter().map(String::as_str))
                .chain([r.closes_before.as_str(), r.closes_after.as_str()]),
        );
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The deal changes as a JSON array of objects.
pub fn deal_changes_json(rows: &[DealChangeRow]) -> String {
    let mut text = serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::vocab::money::Money;

    fn row(name: &str, closed_won: Money) -> Row {
        let value = |metric| match metric {
            Metric::Quota => Some(Value::Money(Money::from_major(100))),
            Metric::ClosedWon => Some(Value::Money(closed_won)),
            Metric::DealsWon => Some(Value::Count(1)),
            Metric::Attainment => Some(Value::Ratio(-0.125)),
            Metric::CycleDays => Some(Value::Days(-12.5)),
            _ => None,
        };
        Row {
            person: "ben-cole".into(),
            name: name.into(),
            role: "rep",
            manager: "-mia".into(),
            period: "2026-Q3".into(),
            values: metrics().map(value).collect(),
        }
    }

    /// A rep named like a formula is text in a spreadsheet, not a formula;
    /// numbers, negative ones too, stay numbers.
    #[test]
    fn text_cells_that_look_like_formulas_are_neutralised() {
        let out = csv(&[
            row(
                "=HYPERLINK(\"http://evil.example/\",\"x\")",
                Money::from_minor(-1250),
            ),
            row("+1", Money::ZERO),
            row("@SUM(A1)", Money::ZERO),
            row("\tTab", Money::ZERO),
            row("\rReturn", Money::ZERO),
            row("Ann Lee", Money::ZERO),
        ]);
        let mut reader = csv::Reader::from_reader(out.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let names: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
        assert_eq!(
            names,
            [
                "'=HYPERLINK(\"http://evil.example/\",\"x\")",
                "'+1",
                "'@SUM(A1)",
                "'\tTab",
                "'\rReturn",
                "Ann Lee"
            ]
        );
        assert!(
            out.contains("\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\")\""),
            "quoted as CSV requires: {out}"
        );
        assert_eq!(&rows[0][3], "'-mia", "a text cell starting with -");
        assert_eq!(&rows[0][6], "-12.50", "a number stays a number");
        assert_eq!(&rows[0][10], "-0.1250");
        assert_eq!(&rows[0][16], "-12.5");
    }

    /// Every exported metric is a column, once, and the CSV header,
    /// its records and the JSON keys all follow [`columns`]; a metric of a
    /// team over its reps has none (a rep's row has no reps).
    #[test]
    fn every_metric_of_a_record_has_one_column() {
        let columns = columns();
        for &metric in Metric::ALL {
            let count = columns.iter().filter(|c| **c == metric.name()).count();
            let expected = usize::from(metric.def().export);
            assert_eq!(count, expected, "columns named {}", metric.name());
        }
        let mut unique = columns.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), columns.len(), "a column named twice");

        let rows = [row("Ann Lee", Money::from_major(98_000))];
        let out = csv(&rows);
        let mut reader = csv::Reader::from_reader(out.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header, columns);
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(record.len(), columns.len());
        assert_eq!(&record[6], "98000");

        let text = json(&rows);
        let keys: Vec<usize> = columns
            .iter()
            .map(|c| text.find(&format!("\"{c}\":")).expect(c))
            .collect();
        assert!(keys.is_sorted(), "JSON keys in column order: {text}");
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed[0].as_object().unwrap().len(), columns.len());
        assert_eq!(parsed[0]["deals_won"], 1, "counts are numbers");
        assert_eq!(
            parsed[0]["closed_won"], "98000",
            "money is a decimal string"
        );
        assert_eq!(parsed[0]["attainment"], "-0.1250");
        assert!(parsed[0]["win_rate"].is_null());
    }

    /// The README's "Every figure out" table documents each column, in
    /// order: a metric added to the registry must be documented there too.
    #[test]
    fn the_readme_documents_every_column_in_order() {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let section = readme
            .split("\n## ")
            .find(|s| s.starts_with("Every figure out"))
            .expect("README.md has a section `## Every figure out`");
        let documented: Vec<&str> = section
            .lines()
            .skip_while(|line| !line.starts_with("| column |"))
            .skip(2)
            .take_while(|line| line.starts_with('|'))
            .flat_map(|line| {
                let first = line.split('|').nth(1).unwrap_or_default();
                first.split('`').skip(1).step_by(2)
            })
            .collect();
        assert_eq!(documented, columns());
    }
}

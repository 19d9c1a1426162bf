//! Metrics export: every person × period row with the columns the README
//! lists under "Every figure out", as CSV or JSON — a stable interface for spreadsheets. Entry: [`rows`].

use crate::metrics::{self, Figures};
use crate::model::money::Money;
use crate::model::period::Period;
use crate::model::{Model, Role};
use crate::rollup::Org;
use serde::Serialize;

/// The columns, in the documented order.
pub const COLUMNS: [&str; 19] = [
    "person",
    "name",
    "role",
    "manager",
    "period",
    "quota",
    "closed_won",
    "deals_won",
    "deals_lost",
    "win_rate",
    "attainment",
    "avg_deal",
    "pipeline",
    "coverage",
    "forecast",
    "forecast_accuracy",
    "cycle_days",
    "opportunities_created",
    "documentation_compliance",
];

/// One person × period. Money is a plain decimal, rates are ratios with
/// four decimals, undefined values are `None` (empty in CSV, null in JSON).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub person: String,
    pub name: String,
    pub role: &'static str,
    pub manager: String,
    pub period: String,
    pub quota: String,
    pub closed_won: String,
    pub deals_won: Option<u32>,
    pub deals_lost: Option<u32>,
    pub win_rate: Option<String>,
    pub attainment: Option<String>,
    pub avg_deal: Option<String>,
    pub pipeline: Option<String>,
    pub coverage: Option<String>,
    pub forecast: Option<String>,
    pub forecast_accuracy: Option<String>,
    pub cycle_days: Option<String>,
    pub opportunities_created: Option<u32>,
    pub documentation_compliance: Option<String>,
}

fn ratio(value: Option<f64>) -> Option<String> {
    value.map(|v| format!("{v:.4}"))
}

fn money(value: Option<Money>) -> Option<String> {
    value.map(|m| m.to_string())
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
            let figures: Option<Figures> = match person.role {
                Role::Rep => model.figures(&person.id, period).cloned(),
                Role::Manager | Role::Leader => org.team(&person.id, period).cloned(),
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
                quota: f.quota.to_string(),
                closed_won: f.closed_won.to_string(),
                deals_won: f.deals_won,
                deals_lost: f.deals_lost,
                win_rate: ratio(metrics::win_rate(f.deals_won, f.deals_lost)),
                attainment: ratio(metrics::attainment(f.closed_won, f.quota)),
                avg_deal: money(metrics::average_deal(f.closed_won, f.deals_won)),
                pipeline: money(f.pipeline),
                coverage: ratio(metrics::coverage_of(&f)),
                forecast: money(f.forecast),
                forecast_accuracy: ratio(metrics::forecast_accuracy_of(&f)),
                cycle_days: f.cycle_days.map(|d| {
                    format!("{d:.2}")
                        .trim_end_matches('0')
                        .trim_end_matches('.')
                        .to_string()
                }),
                opportunities_created: f.opportunities_created,
                documentation_compliance: ratio(metrics::documentation_compliance(f.documentation)),
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
    let _ = writer.write_record(COLUMNS);
    for row in rows {
        let count = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let _ = writer.write_record([
            text_cell(&row.person),
            text_cell(&row.name),
            text_cell(row.role),
            text_cell(&row.manager),
            text_cell(&row.period),
            row.quota.clone(),
            row.closed_won.clone(),
            count(row.deals_won),
            count(row.deals_lost),
            text(&row.win_rate),
            text(&row.attainment),
            text(&row.avg_deal),
            text(&row.pipeline),
            text(&row.coverage),
            text(&row.forecast),
            text(&row.forecast_accuracy),
            text(&row.cycle_days),
            count(row.opportunities_created),
            text(&row.documentation_compliance),
        ]);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The rows as a JSON array of objects with the same keys, in column order.
pub fn json(rows: &[Row]) -> String {
    let mut text = serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, closed_won: &str) -> Row {
        Row {
            person: "ben-cole".into(),
            name: name.into(),
            role: "rep",
            manager: "-mia".into(),
            period: "2026-Q3".into(),
            quota: "100".into(),
            closed_won: closed_won.into(),
            deals_won: Some(1),
            deals_lost: None,
            win_rate: None,
            attainment: Some("-0.1250".into()),
            avg_deal: None,
            pipeline: None,
            coverage: None,
            forecast: None,
            forecast_accuracy: None,
            cycle_days: Some("-12.5".into()),
            opportunities_created: None,
            documentation_compliance: None,
        }
    }

    /// A rep named like a formula is text in a spreadsheet, not a formula;
    /// numbers, negative ones too, stay numbers.
    #[test]
    fn text_cells_that_look_like_formulas_are_neutralised() {
        let out = csv(&[
            row("=HYPERLINK(\"http://evil.example/\",\"x\")", "-12.5"),
            row("+1", "0"),
            row("@SUM(A1)", "0"),
            row("\tTab", "0"),
            row("\rReturn", "0"),
            row("Ann Lee", "0"),
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
        assert_eq!(&rows[0][6], "-12.5", "a number stays a number");
        assert_eq!(&rows[0][10], "-0.1250");
        assert_eq!(&rows[0][16], "-12.5");
    }
}

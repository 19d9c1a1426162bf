//! The pipeline from deals: open pipeline by stage and forecast category,
//! weighted pipeline, pipeline created and past-due deals, amounts in other
//! currencies converted exactly — every figure here worked out by hand —
//! and bad currencies, categories, probabilities and rates reported with
//! their file and line, all in one run.

use crate::audience::copy_dir;
use crate::support::{bullpen, fixture};
use bullpen::error::{Diagnostic, Severity};
use bullpen::vocab::figures::{DealPipeline, DealSum};
use bullpen::vocab::money::Money;
use bullpen::vocab::period::Period;
use std::path::Path;

const HEADER: &str = "Record ID,Deal owner,Deal Stage,Create Date,Close Date,Amount,Company,Next Step,Currency,Forecast category,Deal probability\n";

/// Fiscal 2026-Q2 (May to July) in progress as of 15 June, no `pipeline:`
/// given: Ava Stone's deals, and one of Ben Ruiz's.
const EXPORT: &str = "\
A1,Ava Stone,Contract Sent,03/01/2026,06/30/2026,\"10,000\",Acme,Sign,USD,Commit,
A2,Ava Stone,Qualified To Buy,02/10/2026,03/15/2026,\"€1,000.01\",Acme,Call,EUR,Pipeline,12.5
A3,Ava Stone,Presentation Scheduled,05/10/2026,06/01/2026,\"2,000\",Hooli,Demo,GBP,Best case,
A4,Ava Stone,Appointment Scheduled,05/20/2026,08/20/2026,5000,Hooli,Call,,Pipeline,
A5,Ava Stone,Contract Sent,04/01/2026,06/20/2026,7000,Globex,Sign,,Omitted,
A6,Ava Stone,Closed Won,05/01/2026,06/10/2026,\"3,333.33\",Globex,,EUR,,
A7,Ava Stone,Closed No Decision,05/02/2026,06/05/2026,900,Globex,,,Closed lost,
A8,Ava Stone,Closed Lost,05/03/2026,06/06/2026,100,Globex,,,,
B1,Ben Ruiz,Contract Sent,05/15/2026,07/10/2026,\"20,000\",Initech,Sign,usd,Commit,90
";

fn site(export: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("deals"), dir.path());
    let content = dir.path().join("content");
    std::fs::remove_file(content.join("deals/hubspot-export.csv")).unwrap();
    std::fs::write(
        content.join("deals/export.csv"),
        format!("{HEADER}{export}"),
    )
    .unwrap();
    std::fs::write(
        content.join("performance/2026-Q2.yaml"),
        "as_of: 2026-06-15\npeople:\n  ava-stone: {quota: 160000}\n  ben-ruiz: {quota: 120000}\n  cara-lind: {quota: 110000}\n  dev-patel: {quota: 80000}\n",
    )
    .unwrap();
    dir
}

fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

#[test]
fn stage_and_category_totals_weighted_pipeline_and_conversions_by_hand() {
    let dir = site(EXPORT);
    let (content, _) = bullpen::load::load(dir.path()).unwrap();
    let (history, _) = bullpen::load::history::read(dir.path());
    let (model, diagnostics) = bullpen::model::build::build(&content, history);
    let errors: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let model = model.unwrap();
    let q2 = Period::parse("2026-Q2").unwrap();
    let ava = model.figures("ava-stone", q2).unwrap();
    let pipeline: &DealPipeline = ava.deal_pipeline.as_ref().unwrap();
    let sum = |count, amount| DealSum {
        count,
        amount: money(amount),
    };
    // €1,000.01 closing in 2026-Q1 at the flat 1.08 = 1,080.0108 → 1,080.01
    // (past due, so counted now); £2,000 at 1.2705 = 2,541.00 (past due);
    // A4 closes in 2026-Q3 and A5 is omitted: neither is in the totals.
    assert_eq!(
        pipeline.by_stage,
        vec![
            sum(0, "0"),
            sum(1, "1080.01"),
            sum(1, "2541"),
            sum(1, "10000")
        ]
    );
    assert_eq!(
        model.deal_stages(),
        [
            "Appointment Scheduled",
            "Qualified To Buy",
            "Presentation Scheduled",
            "Contract Sent"
        ]
    );
    assert_eq!(pipeline.open(), Some(sum(3, "13621.01")));
    assert_eq!(pipeline.commit, sum(1, "10000"));
    assert_eq!(pipeline.best_case, sum(1, "2541"));
    assert_eq!(pipeline.pipeline, sum(1, "1080.01"));
    assert_eq!(pipeline.omitted, sum(1, "7000"));
    // 10,000 × 80% (the stage's) + 1,080.01 × 12.5% = 135.00125 → 135.00
    // + 2,541 × 60% = 1,524.60.
    assert_eq!(pipeline.weighted, Some(money("9659.60")));
    assert_eq!(pipeline.past_due, sum(2, "3621.01"));
    // Created in 2026-Q2: A3, A4, A6 (€3,333.33 closing in 2026-Q2 at its
    // own 1.0925 = 3,641.663025 → 3,641.66), A7, A8.
    assert_eq!(pipeline.created, sum(5, "12182.66"));
    // Days from created to 15 June: 106, 125, 36 and (omitted) 75.
    assert_eq!(pipeline.mean_age_days(), Some(85.5));
    assert_eq!(ava.closed_won, money("3641.66"));
    assert_eq!((ava.deals_won, ava.deals_lost), (Some(1), Some(1)));
    assert_eq!(ava.deals_no_decision, Some(1));
    // No `pipeline:` in the performance file: the open deals give it.
    assert_eq!(ava.pipeline, Some(money("13621.01")));

    let json = bullpen(
        &["metrics", "--format", "json", "--period", "2026-Q2"],
        dir.path(),
    );
    assert!(
        json.status.success(),
        "{}",
        String::from_utf8_lossy(&json.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let row = |id: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|row| row["person"] == id)
            .unwrap()
            .clone()
    };
    let ava = row("ava-stone");
    assert_eq!(ava["pipeline_weighted"], "9659.60");
    assert_eq!(ava["pipeline_created"], "12182.66");
    assert_eq!(ava["past_due_deals"], 2);
    assert_eq!(ava["pipeline"], "13621.01");
    // Won against lost, the no-decision deal left out: 1 / 2.
    assert_eq!(ava["win_rate"], "0.5000");
    // Two of the four open deals are complete: past-due ones are not.
    assert_eq!(ava["documentation_compliance"], "0.5000");
    // The team: 9,659.60 + 20,000 × 90%.
    let team = row("omar-haddad");
    assert_eq!(team["pipeline_weighted"], "27659.60");
    assert_eq!(team["pipeline"], "33621.01");
    assert_eq!(team["past_due_deals"], 2);
    assert!(row("dev-patel")["pipeline"].is_null());
}

fn errors_of(dir: &Path) -> Vec<Diagnostic> {
    bullpen::pipeline::check(dir)
        .unwrap()
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

fn has(errors: &[Diagnostic], file: &str, line: usize, words: &str) {
    assert!(
        errors.iter().any(|e| e.file == Path::new(file)
            && e.line == Some(line)
            && e.message.contains(words)),
        "expected `{words}` at {file}:{line}: {errors:#?}"
    );
}

#[test]
fn bad_probabilities_categories_currencies_and_rates_are_reported_in_one_run() {
    let dir = site(
        "\
X1,Ava Stone,Contract Sent,05/01/2026,06/30/2026,1000,Acme,Sign,USD,Commit,120
X2,Ava Stone,Contract Sent,05/01/2026,06/30/2026,1000,Acme,Sign,USD,Comit,
X3,Ava Stone,Contract Sent,05/01/2026,06/30/2026,1000,Acme,Sign,EURO,Commit,
X4,Ava Stone,Contract Sent,05/01/2026,06/30/2026,1000,Acme,Sign,CHF,Commit,
X5,Ava Stone,Contract Sent,05/01/2026,06/30/2026,€1000,Acme,Sign,,Commit,
X6,Ava Stone,Contract Sent,05/01/2026,06/30/2026,1000,Acme,Sign,USD,Commit,-5
X7,Ava Stone,Closed Won,05/01/2026,06/30/2026,1000,Acme,Sign,USD,Nonsense,
X8,Ava Stone,Negotiation,05/01/2026,06/30/2026,1000,Acme,Sign,USD,Commit,
",
    );
    let site_yaml = dir.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&site_yaml)
        .unwrap()
        .replace("  GBP: \"1.2705\"", "  GBP: 0")
        .replace("2026-Q3: {EUR: 1.1}", "2026-Q3: {EUR: -1.1, EURO: 2}");
    std::fs::write(&site_yaml, text).unwrap();
    let errors = errors_of(dir.path());
    let export = "content/deals/export.csv";
    has(
        &errors,
        export,
        2,
        "column `Deal probability`: `120` is outside 0–100",
    );
    has(
        &errors,
        export,
        3,
        "column `Forecast category`: `Comit` is not a forecast category",
    );
    assert!(
        errors
            .iter()
            .any(|e| e.line == Some(3) && e.help.as_deref() == Some("did you mean `Commit`?")),
        "{errors:#?}"
    );
    has(
        &errors,
        export,
        4,
        "column `Currency`: `EURO` is not an ISO 4217 currency code",
    );
    has(
        &errors,
        export,
        5,
        "column `Currency`: there is no rate for CHF (for 2026-Q2)",
    );
    has(
        &errors,
        export,
        6,
        "column `Amount`: `€1000` is written in EUR, but the row's currency is USD",
    );
    has(
        &errors,
        export,
        7,
        "column `Deal probability`: `-5` is outside 0–100",
    );
    // A won deal's category is not used, whatever it says.
    assert!(
        !errors
            .iter()
            .any(|e| e.line == Some(8) && e.file == Path::new(export)),
        "{errors:#?}"
    );
    has(
        &errors,
        export,
        9,
        "`Negotiation` is not a stage named in site.yaml",
    );
    let site = "content/site.yaml";
    let line_of = |needle: &str| {
        std::fs::read_to_string(&site_yaml)
            .unwrap()
            .lines()
            .position(|l| l.contains(needle))
            .unwrap()
            + 1
    };
    has(
        &errors,
        site,
        line_of("GBP: 0"),
        "the rate for GBP is 0; a rate is above 0",
    );
    has(
        &errors,
        site,
        line_of("EUR: -1.1"),
        "the rate for EUR is -1.1",
    );
    has(
        &errors,
        site,
        line_of("EUR: -1.1"),
        "`EURO` is not an ISO 4217 currency code",
    );
}

/// Without a currency column every amount is the site's: one written in
/// another currency was summed as dollars; now it is an error at its line.
#[test]
fn an_amount_in_another_currency_without_a_currency_column_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("deals"), dir.path());
    let content = dir.path().join("content");
    std::fs::remove_file(content.join("deals/hubspot-export.csv")).unwrap();
    let site_yaml = content.join("site.yaml");
    let text = std::fs::read_to_string(&site_yaml)
        .unwrap()
        .replace("    currency: Currency\n", "")
        .replace("    forecast_category: Forecast category\n", "")
        .replace("    probability: Deal probability\n", "");
    std::fs::write(&site_yaml, text).unwrap();
    std::fs::write(
        content.join("deals/export.csv"),
        "Record ID,Deal owner,Deal Stage,Create Date,Close Date,Amount,Company,Next Step\n\
         E1,Ava Stone,Closed Won,02/10/2026,03/01/2026,EUR 50000,Acme,\n\
         E2,Ava Stone,Closed Won,02/10/2026,03/01/2026,¥5000000,Acme,\n\
         E3,Ava Stone,Closed Won,02/10/2026,03/01/2026,£1200,Acme,\n\
         E4,Ava Stone,Closed Won,02/10/2026,03/01/2026,500 EUR,Acme,\n\
         E5,Ava Stone,Closed Won,02/10/2026,03/01/2026,\"$1,000\",Acme,\n\
         E6,Ava Stone,Closed Won,02/10/2026,03/01/2026,USD 99.50,Acme,\n",
    )
    .unwrap();
    let errors = errors_of(dir.path());
    let export = "content/deals/export.csv";
    has(
        &errors,
        export,
        2,
        "`EUR 50000` is written in EUR, not the site's currency USD",
    );
    has(&errors, export, 3, "`¥5000000` is written in JPY");
    has(&errors, export, 4, "`£1200` is written in GBP");
    has(&errors, export, 5, "`500 EUR` is written in EUR");
    assert_eq!(
        errors.len(),
        4,
        "the site's own $ and USD are fine: {errors:#?}"
    );
    assert!(errors[0].help.as_deref().unwrap().contains("rates:"));
    let bad = bullpen(&["metrics"], dir.path());
    assert!(
        !bad.status.success(),
        "exit 0 with amounts summed as dollars"
    );
}

/// The same figures as the pages show them: Ava's rep page and her team's
/// dashboard, in the managers' build.
#[test]
fn the_pages_show_the_pipeline_by_stage_and_category_converted_and_weighted() {
    let dir = site(EXPORT);
    let pages = crate::support::build(dir.path(), bullpen::vocab::Audience::Managers);
    let ava = pages.page("people/ava-stone/index.html");
    let stage = |page: &str, cell: &str| crate::ramp::row(page, "pipeline-h", cell);
    // €1,000.01 at 1.08 and £2,000 at 1.2705, past due and counted now;
    // pages show whole units (1,080.01 → $1,080; 9,659.60 → $9,660).
    let qualified = stage(&ava, "Qualified To Buy");
    assert!(qualified.contains("1 $1,080"), "{qualified}");
    assert!(stage(&ava, "Presentation Scheduled").contains("1 $2,541"));
    assert!(stage(&ava, "<td>Commit</td>").contains("1 $10,000"));
    assert!(stage(&ava, "Omitted (shown apart)").contains("1 $7,000"));
    assert!(ava.contains("3 deals, $13,621"), "{ava}");
    assert!(ava.contains("Weighted by probability: <strong>$9,660</strong>"));
    assert!(ava.contains("Past due: 2 for $3,621"));
    // The team: Ava's and Ben's 20,000 at 90%.
    let team = pages.page("people/omar-haddad/index.html");
    assert!(team.contains("Weighted by probability: <strong>$27,660</strong>"));
    assert!(team.contains("4 deals, $33,621"), "{team}");
}

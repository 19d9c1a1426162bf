//! What each fuzz target does with one input, shared by the fuzz targets
//! (`fuzz/fuzz_targets/*.rs`) and the regression tests (`cargo test`), so a
//! saved input is replayed through exactly the code it was found with.
//!
//! Every function panics only where Bullpen would; a content error is the
//! expected answer to most inputs and is returned, not raised.

use bullpen::model::{MarkdownText, Model};
use bullpen::render::Ctx;
use bullpen::render::charts::spec;
use bullpen::render::markdown::{LinkMap, Target, render};
use bullpen::vocab::Audience;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// What a site-level input came to.
#[derive(Debug)]
pub enum Outcome {
    /// The site loaded with errors, returned as `Error::Content`.
    Rejected(Vec<bullpen::error::Diagnostic>),
    /// The site loaded and rendered (the result of rendering, which may
    /// still be a content error found while rendering).
    Rendered(bullpen::error::Result<()>),
}

/// The small fixture site, one file per content kind.
const SMALL: &[(&str, &str)] = &[
    (
        "content/site.yaml",
        include_str!("../tests/fixtures/small/content/site.yaml"),
    ),
    (
        "content/people/lee-ross.yaml",
        include_str!("../tests/fixtures/small/content/people/lee-ross.yaml"),
    ),
    (
        "content/people/mia-ford.yaml",
        include_str!("../tests/fixtures/small/content/people/mia-ford.yaml"),
    ),
    (
        "content/people/ann-lee.yaml",
        include_str!("../tests/fixtures/small/content/people/ann-lee.yaml"),
    ),
    (
        "content/performance/2026-Q1.yaml",
        "people:\n  ann-lee: {quota: 100, closed_won: 50, deals_won: 1, deals_lost: 1}\n",
    ),
];

/// Where the content target puts its input, picked by the first byte.
const PLACES: &[&str] = &[
    "content/site.yaml",
    "content/people/ben-cole.yaml",
    "content/people/ben-cole.md",
    "content/performance/2026-Q2.yaml",
    "content/performance/2026-Q2/ann-lee.yaml",
    "content/playbooks/basics/first-call.md",
    "content/playbooks/basics/_index.md",
    "content/coaching/ann-lee/2026-Q1.md",
    "content/reports/review.md",
];

/// The deals fixture without its export: a team whose site.yaml maps a
/// HubSpot export's columns (names as owners, US dates, strict stages).
const DEALS_SITE: &[(&str, &str)] = &[
    (
        "content/site.yaml",
        include_str!("../tests/fixtures/deals/content/site.yaml"),
    ),
    (
        "content/people/ava-stone.yaml",
        include_str!("../tests/fixtures/deals/content/people/ava-stone.yaml"),
    ),
    (
        "content/people/ben-ruiz.yaml",
        include_str!("../tests/fixtures/deals/content/people/ben-ruiz.yaml"),
    ),
    (
        "content/people/cara-lind.yaml",
        include_str!("../tests/fixtures/deals/content/people/cara-lind.yaml"),
    ),
    (
        "content/people/dev-patel.yaml",
        include_str!("../tests/fixtures/deals/content/people/dev-patel.yaml"),
    ),
    (
        "content/people/lena-park.yaml",
        include_str!("../tests/fixtures/deals/content/people/lena-park.yaml"),
    ),
    (
        "content/people/omar-haddad.yaml",
        include_str!("../tests/fixtures/deals/content/people/omar-haddad.yaml"),
    ),
    (
        "content/performance/2026-Q1.yaml",
        include_str!("../tests/fixtures/deals/content/performance/2026-Q1.yaml"),
    ),
    (
        "content/performance/2026-Q2.yaml",
        include_str!("../tests/fixtures/deals/content/performance/2026-Q2.yaml"),
    ),
];

/// The deals fixture's figures in full, for settings without `deals:`.
const FIGURES: &[(&str, &str)] = &[
    (
        "content/performance/2026-Q1.yaml",
        "people:\n  ava-stone: {quota: 150000, closed_won: 120000, deals_won: 4, deals_lost: 2, pipeline: 450000}\n  ben-ruiz: {quota: 120000, closed_won: 90000, deals_won: 3, deals_lost: 3}\n  cara-lind: {quota: 100000, closed_won: 0, deals_won: 0, deals_lost: 1}\n  dev-patel: {quota: 80000, closed_won: 81000, deals_won: 2, deals_lost: 0}\n",
    ),
    (
        "content/performance/2026-Q2.yaml",
        "people:\n  ava-stone: {quota: 160000, closed_won: 170000, deals_won: 5, deals_lost: 1}\n  ben-ruiz: {quota: 120000, closed_won: 60000, deals_won: 2, deals_lost: 4}\n  cara-lind: {quota: 110000, closed_won: 99000, deals_won: 3, deals_lost: 3}\n  dev-patel: {quota: 80000, closed_won: 20000, deals_won: 1, deals_lost: 2}\n",
    ),
];

/// Pages that read site settings (review ages, visibility, periods), added
/// beside a fuzzed site.yaml.
const SETTINGS_PAGES: &[(&str, &str)] = &[
    (
        "content/playbooks/basics/first-call.md",
        "---\ntitle: First call\nowner: ava-stone\nstage: discovery\nsummary: Open well.\n---\n## Opening\n\nSee the [review](../../reports/review.md).\n",
    ),
    (
        "content/reports/review.md",
        "---\ntitle: Q1 review\nperiod: 2026-Q1\nsummary: How it went.\n---\n## Summary\n\nThe [first call](../playbooks/basics/first-call.md).\n",
    ),
];

/// A few rows of the deals fixture's export, read when a fuzzed site.yaml
/// has `deals:` settings.
const DEALS_ROWS: &str = "Record ID,Deal owner,Deal Stage,Create Date,Close Date,Amount,Company,Next Step,Currency,Forecast category,Deal probability\n\
D-0000,Ava Stone,Closed Won,12/29/2025,02/07/2026,\"5,000\",Vandelay Industries,\"Call CFO, then legal\",EUR,Closed won,\n\
D-0001,Ben Ruiz,Presentation Scheduled,01/14/2026,,\"8,000\",Hooli,Send proposal,,Best case,35\n\
D-0002,Cara Lind,Closed Lost,12/29/2025,03/02/2026,\"5,499.5\",\"Acme, Inc.\",,GBP,,\n\
D-0003,Dev Patel,Contract Sent,02/01/2026,,,Initech,,USD,Omitted,\n";

fn files(base: &[(&str, &str)], except: &str) -> Vec<(PathBuf, Vec<u8>)> {
    base.iter()
        .filter(|(path, _)| *path != except)
        .map(|(path, text)| (PathBuf::from(path), text.as_bytes().to_vec()))
        .collect()
}

/// Loads the files, and renders them for managers when they load.
fn load_and_render(files: Vec<(PathBuf, Vec<u8>)>) -> Outcome {
    match bullpen::pipeline::model_from_files(files) {
        Ok((model, _warnings)) => {
            let theme = bullpen::load::theme::load_theme(Path::new("/nonexistent"), "default")
                .expect("the built-in theme");
            let sink = bullpen::render::MemorySink::default();
            Outcome::Rendered(
                bullpen::render::render(bullpen::render::Input {
                    model: &model,
                    theme: &theme,
                    audience: Audience::Managers,
                    product: bullpen::render::Product::Site,
                    sink: &sink,
                })
                .map(drop),
            )
        }
        Err(bullpen::error::Error::Content(diagnostics)) => Outcome::Rejected(diagnostics),
        Err(other) => panic!("loading files from memory failed with a non-content error: {other}"),
    }
}

/// `content`: the first byte picks which content file of the small site the
/// rest replaces.
pub fn content(data: &[u8]) -> Option<Outcome> {
    let (&selector, body) = data.split_first()?;
    let place = PLACES[usize::from(selector) % PLACES.len()];
    let mut files = files(SMALL, place);
    files.push((PathBuf::from(place), body.to_vec()));
    Some(load_and_render(files))
}

/// `markdown`: any text rendered as a playbook's body, with and without its
/// title; no script may survive sanitising.
pub fn markdown(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut links = LinkMap::default();
    links.targets.insert(
        "playbooks/closing/negotiation.md".into(),
        Some("playbooks/closing/negotiation/".into()),
    );
    links.targets.insert("reports/private.md".into(), None);
    let markdown = MarkdownText {
        file: "content/playbooks/discovery/first-call.md".into(),
        text: text.to_string(),
        first_line: 3,
    };
    let charts = |yaml: &str, _: usize| -> Result<String, String> {
        if yaml.contains("fail") {
            Err("bad chart".into())
        } else {
            Ok("<figure></figure>".into())
        }
    };
    let figures = |expression: &str| -> Result<(String, String), String> {
        if expression.contains("fail") {
            Err("bad figure".into())
        } else {
            Ok(("<span>1.0%</span>".into(), "1.0%".into()))
        }
    };
    for drop_title in [false, true] {
        let target = Target {
            source: "playbooks/discovery/first-call.md",
            root: "../../../",
            drop_title,
            charts: Some(&charts),
            figures: Some(&figures),
        };
        let rendered = render(&markdown, target, &links);
        assert!(
            !rendered.html.contains("<script"),
            "a script survived sanitising"
        );
    }
}

/// The small fixture's model, loaded once from disk.
fn small_model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        // The repository, or the fuzz crate one folder below it.
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let fixture = Path::new("tests/fixtures/small");
        let root = match manifest.join(fixture) {
            root if root.is_dir() => root,
            _ => manifest.parent().expect("fuzz/ has a parent").join(fixture),
        };
        bullpen::pipeline::load_model(&root)
            .expect("the small fixture loads")
            .0
    })
}

/// `chart_spec`: any YAML parsed as a chart block against the small
/// fixture's model and, when it checks out, drawn for both audiences.
/// Returns why the spec was refused, if it was.
pub fn chart_spec(data: &[u8]) -> Result<(), String> {
    let yaml = std::str::from_utf8(data).map_err(|err| err.to_string())?;
    let model = small_model();
    let spec = spec::parse(yaml, model)?;
    for audience in [Audience::Team, Audience::Managers] {
        let ctx = Ctx::new(model, audience, BTreeMap::new());
        let _ = spec::render(&ctx, &spec, "chart-1");
    }
    Ok(())
}

/// `deals`: the input is a CRM export (`content/deals/export.csv`) beside
/// the deals fixture's settings and team.
pub fn deals(data: &[u8]) -> Outcome {
    let mut files = files(DEALS_SITE, "");
    files.push((PathBuf::from("content/deals/export.csv"), data.to_vec()));
    load_and_render(files)
}

/// `site_yaml`: the input is `content/site.yaml` beside the deals fixture's
/// team, a playbook and a report, and — when it has `deals:` settings — a
/// few rows of the fixture's export, or else the figures in full.
pub fn site_yaml(data: &[u8]) -> Outcome {
    let mut files = files(DEALS_SITE, "content/site.yaml");
    files.extend(self::files(SETTINGS_PAGES, ""));
    if data.windows(6).any(|window| window == b"deals:") {
        files.push((
            PathBuf::from("content/deals/export.csv"),
            DEALS_ROWS.as_bytes().to_vec(),
        ));
    } else {
        files.retain(|(path, _)| !path.starts_with("content/performance"));
        files.extend(self::files(FIGURES, ""));
    }
    files.push((PathBuf::from("content/site.yaml"), data.to_vec()));
    load_and_render(files)
}

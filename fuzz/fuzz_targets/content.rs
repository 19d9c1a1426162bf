//! Fuzzes loading, validation and rendering: the input becomes one content
//! file (its kind chosen by the first byte) in the small fixture site, and
//! the site is loaded, validated and — when valid — rendered for managers.
#![no_main]

use bullpen::model::Audience;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

const BASE: &[(&str, &str)] = &[
    ("content/site.yaml", include_str!("../../tests/fixtures/small/content/site.yaml")),
    ("content/people/lee-ross.yaml", include_str!("../../tests/fixtures/small/content/people/lee-ross.yaml")),
    ("content/people/mia-ford.yaml", include_str!("../../tests/fixtures/small/content/people/mia-ford.yaml")),
    ("content/people/ann-lee.yaml", include_str!("../../tests/fixtures/small/content/people/ann-lee.yaml")),
    ("content/performance/2026-Q1.yaml", "people:\n  ann-lee: {quota: 100, closed_won: 50, deals_won: 1, deals_lost: 1}\n"),
];

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

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let place = PLACES[usize::from(selector) % PLACES.len()];
    let mut files: Vec<(PathBuf, Vec<u8>)> =
        BASE.iter().filter(|(path, _)| *path != place).map(|(path, text)| (PathBuf::from(path), text.as_bytes().to_vec())).collect();
    files.push((PathBuf::from(place), body.to_vec()));
    if let Ok((model, _)) = bullpen::pipeline::model_from_files(files) {
        let theme = bullpen::load::theme::load_theme(std::path::Path::new("/nonexistent"), "default").expect("the built-in theme");
        let sink = bullpen::render::MemorySink::default();
        let _ = bullpen::render::render(&bullpen::render::Input {
            model: &model,
            theme: &theme,
            audience: Audience::Managers,
            product: bullpen::render::Product::Site,
            sink: &sink,
        });
    }
});

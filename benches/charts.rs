//! How much the charts cost: builds a synthetic organisation in memory,
//! then draws every chart the build draws for it, on every core, and
//! prints both times. Run with `cargo bench --bench charts`
//! (`REPS=2000 QUARTERS=8` by default).

use bullpen::model::Role;
use bullpen::render::Ctx;
use bullpen::render::charts::{activity, catalog};
use bullpen::render::dashboard::Scope;
use bullpen::vocab::Audience;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::process::Command;
use std::time::Instant;

fn main() {
    let reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let quarters: usize = std::env::var("QUARTERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let status = Command::new("python3")
        .args(["bench/generate.py"])
        .arg(dir.path())
        .args([
            "--reps",
            &reps.to_string(),
            "--quarters",
            &quarters.to_string(),
            "--playbooks",
            "50",
        ])
        .status()
        .expect("python3 runs bench/generate.py");
    assert!(status.success());

    for audience in [Audience::Team, Audience::Managers] {
        let start = Instant::now();
        let sink = bullpen::render::MemorySink::default();
        let built = bullpen::pipeline::render(dir.path(), audience, None, &sink)
            .expect("the synthetic site builds");
        let whole = start.elapsed();

        let (model, _) = bullpen::pipeline::load_model(dir.path()).expect("the model loads");
        let ctx = Ctx::new(&model, audience, BTreeMap::new());
        ctx.org(); // indexed before the clock starts
        let start = Instant::now();
        let people: Vec<_> = model.people.values().collect();
        let charts: usize = people
            .par_iter()
            .map(|person| match person.role {
                Role::Rep => {
                    let own: Vec<_> = model
                        .periods
                        .iter()
                        .copied()
                        .filter(|&p| model.figures(&person.id, p).is_some())
                        .collect();
                    let mut drawn = vec![catalog::trend(
                        &ctx,
                        Scope::Rep(person),
                        bullpen::metrics::Metric::Attainment,
                        &own,
                        "a",
                        "Attainment",
                    )];
                    if let Some(&latest) = own.last() {
                        drawn.push(activity::funnel(
                            &ctx,
                            Scope::Rep(person),
                            latest,
                            "f",
                            "Funnel",
                        ));
                    }
                    if audience == Audience::Managers
                        && let Some(plan) = model.coaching.iter().rev().find(|p| p.rep == person.id)
                    {
                        drawn.push(bullpen::render::charts::coaching::goals(
                            &ctx, plan, "g", "Goals",
                        ));
                    }
                    drawn.len()
                }
                Role::Manager | Role::Leader => {
                    let latest = *model.periods.last().expect("periods");
                    let scope = Scope::Team(person);
                    let all = &model.periods;
                    let drawn = [
                        catalog::by_rep(
                            &ctx,
                            scope,
                            bullpen::metrics::Metric::Attainment,
                            latest,
                            "r",
                            "By rep",
                        ),
                        catalog::revenue(&ctx, scope, all, "v", "Revenue"),
                        catalog::forecast(&ctx, scope, all, "o", "Forecast"),
                        catalog::trend(
                            &ctx,
                            scope,
                            bullpen::metrics::Metric::WinRate,
                            all,
                            "w",
                            "Win rate",
                        ),
                        catalog::trend(
                            &ctx,
                            scope,
                            bullpen::metrics::Metric::Coverage,
                            all,
                            "c",
                            "Coverage",
                        ),
                    ];
                    drawn.len()
                }
            })
            .sum();
        let chart_time = start.elapsed();
        println!(
            "{audience:?}: {reps} reps, {quarters} quarters: whole build in memory {:.3} s ({} files); the {charts} charts of rep and team pages alone {:.3} s",
            whole.as_secs_f64(),
            built.files,
            chart_time.as_secs_f64()
        );
    }
}

//! Roster on the whole city: a month (June) re-rostered by optimisation for every shift-run
//! facility (nurseries, libraries, the plant room) at once, as `rota roster --all-units` does it:
//! the facilities solved side by side, stitched into one snapshot and judged by the checker.
//!
//! Run with `cargo bench --bench roster`. Each facility's penalty, status and the checker's
//! verdict are printed once before the measurement.

use criterion::{criterion_group, criterion_main, Criterion};
use rota::gen::{generate, GenConfig};
use rota::solve::roster::{roster, RosterTask};
use rota::solve::search::SolveOptions;
use std::hint::black_box;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

fn bench_roster(c: &mut Criterion) {
    let city = generate(&GenConfig::default());
    let model = match city.snapshot.into_model() {
        Ok(model) => model,
        Err(e) => panic!("the generated city must load: {e}"),
    };
    let task = RosterTask {
        units: Vec::new(),
        from: chrono::NaiveDate::from_ymd_opt(2026, 6, 1),
        to: chrono::NaiveDate::from_ymd_opt(2026, 6, 30),
        weights: Default::default(),
        options: SolveOptions {
            time_limit: Duration::from_secs(30),
            relative_gap: 0.01,
            ..SolveOptions::default()
        },
    };
    let month = || match roster(&model, &task, &AtomicBool::new(false), &mut |_| {}) {
        Ok(rostered) => rostered,
        Err(e) => panic!("June rosters: {e}"),
    };
    let once = month();
    eprintln!(
        "roster/whole_city/june per facility (unit, penalty, status, checker's violations): {:?}",
        once.facilities
            .iter()
            .map(|f| (
                model.snapshot.organisation.units[f.plan.unit]
                    .id
                    .to_string(),
                f.solved.evaluation.total(),
                f.solved.status,
                f.violations.len()
            ))
            .collect::<Vec<_>>()
    );
    let mut group = c.benchmark_group("roster");
    group.sample_size(10);
    group.bench_function("whole_city/june_all_facilities", |b| {
        b.iter(|| black_box(month()))
    });
    group.finish();
}

criterion_group!(benches, bench_roster);
criterion_main!(benches);

//! Roster on the whole city: a month (June) re-rostered by optimisation for every shift-run
//! facility (nurseries, libraries, the plant room), the facilities solved in parallel.
//!
//! Run with `cargo bench --bench roster`. The proven state of each facility is printed once
//! before the measurement.

use criterion::{criterion_group, criterion_main, Criterion};
use rayon::prelude::*;
use rota::gen::{generate, GenConfig};
use rota::solve::facility::{facility_problem, FacilityPlan};
use std::hint::black_box;
use std::time::Duration;

fn bench_roster(c: &mut Criterion) {
    let city = generate(&GenConfig::default());
    let model = match city.snapshot.into_model() {
        Ok(model) => model,
        Err(e) => panic!("the generated city must load: {e}"),
    };
    let first = model
        .days
        .iter()
        .position(|d| d.date.format("%Y-%m-%d").to_string() == "2026-06-01")
        .expect("June");
    let last = first + 29;
    let plans: Vec<FacilityPlan> = model
        .snapshot
        .organisation
        .units
        .iter()
        .filter(|u| u.shift_run)
        .filter_map(|u| facility_problem(&model, &u.id).ok())
        .collect();
    let month = || {
        plans
            .par_iter()
            .map(|plan| {
                let (roster, proven) = plan
                    .reroster_window(&model, first, last, Duration::from_secs(30), 0.01)
                    .expect("HiGHS runs");
                (plan.problem.evaluate(&roster).total(), proven)
            })
            .collect::<Vec<_>>()
    };
    eprintln!(
        "roster/whole_city/june (penalty, proven within 1 %) per facility: {:?}",
        month()
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

//! Cover on the whole-city fiscal year: a month with 40 absences planned at once.
//!
//! Run with `cargo bench --bench cover`. Goal: under 2 s at a proven gap of at most 1 %. The
//! proven gap of the plan is printed once before the measurement.

use criterion::{criterion_group, criterion_main, Criterion};
use rota::gen::{generate, GenConfig};
use rota::solve::cover::{cover, AbsenceSpan};
use std::collections::BTreeSet;
use std::hint::black_box;
use std::time::Duration;

fn bench_cover(c: &mut Criterion) {
    let city = generate(&GenConfig::default());
    let model = match city.snapshot.into_model() {
        Ok(model) => model,
        Err(e) => panic!("the generated city must load: {e}"),
    };
    // 40 people rostered in June (every 97th June roster entry), each away one to three days.
    use chrono::Datelike;
    let june = |d: &chrono::NaiveDate| d.year() == 2026 && d.month() == 6;
    let mut seen = BTreeSet::new();
    let absences: Vec<AbsenceSpan> = model
        .snapshot
        .roster
        .iter()
        .filter(|a| june(&a.date) && a.date.day() <= 26)
        .step_by(97)
        .filter(|a| seen.insert(a.staff.clone()))
        .take(40)
        .enumerate()
        .map(|(k, a)| {
            AbsenceSpan::sick(
                a.staff.clone(),
                a.date,
                a.date + chrono::Duration::days((k % 3) as i64),
            )
        })
        .collect();
    assert_eq!(absences.len(), 40, "the city has 40 people to call in sick");
    let plan = cover(&model, &absences, Duration::from_secs(30), 0.01).expect("plans");
    eprintln!(
        "cover/whole_city/june_40_absences: {} vacancies, {} candidates, {} changes, {} uncovered, gap {:?}, proven {}, {:.2} s",
        plan.vacancies,
        plan.candidates,
        plan.changes.iter().filter(|c| c.to.is_some()).count(),
        plan.uncovered.len(),
        plan.gap,
        plan.proven,
        plan.seconds
    );
    let mut group = c.benchmark_group("cover");
    group.sample_size(10);
    group.bench_function("whole_city/june_40_absences", |b| {
        b.iter(|| {
            cover(
                black_box(&model),
                black_box(&absences),
                Duration::from_secs(30),
                0.01,
            )
            .map(|p| p.penalty)
        })
    });
    group.finish();
}

criterion_group!(benches, bench_cover);
criterion_main!(benches);

//! Recommend on the whole-city fiscal year: the best replacements for one absence.
//!
//! Run with `cargo bench --bench recommend`. Goal: under 5 ms.

use criterion::{criterion_group, criterion_main, Criterion};
use rota::gen::{generate, GenConfig};
use rota::solve::recommend::{recommend, Absence};
use std::hint::black_box;

fn bench_recommend(c: &mut Criterion) {
    let city = generate(&GenConfig::default());
    let model = match city.snapshot.into_model() {
        Ok(model) => model,
        Err(e) => panic!("the generated city must load: {e}"),
    };
    // A weekday office shift and two facility shifts, mid-year.
    let mid_year = chrono::NaiveDate::from_ymd_opt(2026, 6, 3).expect("a valid date");
    let pick = |unit_kind_shift: &str| {
        model
            .snapshot
            .roster
            .iter()
            .find(|a| a.shift.as_str() == unit_kind_shift && a.date >= mid_year)
            .map(|a| Absence {
                staff: a.staff.clone(),
                date: a.date,
            })
            .expect("the city rosters that shift")
    };
    for (name, shift) in [
        ("office_day", "day"),
        ("nursery_early", "nursery_early"),
        ("plant_night", "plant_night"),
    ] {
        let absence = pick(shift);
        c.bench_function(&format!("recommend/whole_city/{name}"), |b| {
            b.iter(|| recommend(black_box(&model), black_box(&absence), 5).map(|r| r.lawful))
        });
    }
}

criterion_group!(benches, bench_recommend);
criterion_main!(benches);

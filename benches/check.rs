//! The checker on the whole-city fiscal year (the default city) and on the 10× city.
//!
//! Run with `cargo bench --bench check`. Goal: the default city's year in under 20 ms on the
//! project's 2-core machine.

use criterion::{criterion_group, criterion_main, Criterion};
use rota::gen::{generate, GenConfig};
use rota::model::Model;
use rota::rules::check;
use std::hint::black_box;

fn city(staff: u32) -> Model {
    let city = generate(&GenConfig {
        staff,
        ..GenConfig::default()
    });
    match city.snapshot.into_model() {
        Ok(model) => model,
        Err(e) => panic!("the generated city must load: {e}"),
    }
}

fn bench_check(c: &mut Criterion) {
    let default_city = city(500);
    c.bench_function("check/whole_city_year", |b| {
        b.iter(|| check(black_box(&default_city)))
    });
    let json = default_city.snapshot.to_json();
    c.bench_function("load/whole_city_year_json_to_model", |b| {
        b.iter(|| {
            rota::model::Snapshot::from_json(black_box(&json))
                .and_then(Model::new)
                .map(|m| m.work.len())
        })
    });
    drop(default_city);

    let mut group = c.benchmark_group("check_10x");
    group.sample_size(20);
    let big_city = city(5000);
    group.bench_function("check/10x_city_year", |b| {
        b.iter(|| check(black_box(&big_city)))
    });
    group.finish();
}

criterion_group!(benches, bench_check);
criterion_main!(benches);

fn main() {
    for &(staff, seed) in &[
        (30u32, 1u64),
        (60, 2),
        (200, 3),
        (500, 1),
        (500, 7),
        (1000, 4),
        (5000, 5),
    ] {
        let c = rota::gen::generate(&rota::gen::GenConfig {
            staff,
            seed,
            ..Default::default()
        });
        let m = c.snapshot.clone().into_model().unwrap();
        let r = rota::rules::check(&m);
        println!(
            "staff {staff} seed {seed}: repairs {} planted {} found {} units {} sections {}",
            c.stats.repairs,
            c.planted.len(),
            r.violations.len(),
            c.snapshot.organisation.units.len(),
            c.snapshot.organisation.sections.len()
        );
    }
}

//! Writes a synthetic Curtois–Qu instance to standard output, shaped like a published one.
//!
//! `cargo run --release --example curtois_generate -- 24 [SEED]` gives an instance of the size of
//! Instance24; the planted roster's penalty goes to standard error.

use rota::curtois::generate::{generate, Shape};

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let number = args.next().and_then(|a| a.parse::<u32>().ok());
    let seed = args.next().and_then(|a| a.parse::<u64>().ok()).unwrap_or(1);
    let Some(shape) = number.and_then(|n| Shape::published(n, seed)) else {
        eprintln!("usage: curtois_generate INSTANCE(1-24) [SEED]");
        return std::process::ExitCode::from(2);
    };
    let generated = generate(&shape);
    match rota::curtois::parse(&generated.text) {
        Ok(problem) => {
            let eval = problem.evaluate(&generated.planted);
            eprintln!(
                "planted roster: penalty {}, {} hard breaches",
                eval.total(),
                eval.breaches.len()
            );
        }
        Err(errors) => eprintln!("the generated text does not read: {errors:?}"),
    }
    print!("{}", generated.text);
    std::process::ExitCode::SUCCESS
}

//! How long a roster solve takes to return once it is cancelled: the figure behind "a cancelled
//! solve answers within a fraction of a second".
//!
//! `cargo run --release --example cancel_latency -- INSTANCE.txt [--time-limit S] AT ...` solves
//! the Curtois–Qu instance once per `AT` (seconds), sets the cancel flag `AT` seconds in, and
//! prints when the solve returned, how long after the cancel that was, its status and penalty.

use rota::solve::search::{solve, SolveOptions};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let mut time_limit = 120.0;
    let mut path: Option<String> = None;
    let mut moments: Vec<f64> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let seconds = |value: Option<String>| value.and_then(|v| v.parse::<f64>().ok());
        match arg.as_str() {
            "--time-limit" => match seconds(args.next()) {
                Some(s) if s > 0.0 => time_limit = s,
                _ => return usage("--time-limit takes a positive number of seconds"),
            },
            _ if path.is_none() => path = Some(arg),
            _ => match seconds(Some(arg.clone())) {
                Some(s) if s >= 0.0 => moments.push(s),
                _ => return usage(&format!("{arg:?} is not a number of seconds")),
            },
        }
    }
    let Some(path) = path else {
        return usage("name an instance file");
    };
    if moments.is_empty() {
        return usage("name at least one moment to cancel at");
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => return usage(&format!("{path}: {e}")),
    };
    let problem = match rota::curtois::parse(&text) {
        Ok(problem) => problem,
        Err(errors) => {
            let first = errors.first().map(ToString::to_string).unwrap_or_default();
            return usage(&format!("{path}: unreadable ({first})"));
        }
    };
    let options = SolveOptions {
        time_limit: Duration::from_secs_f64(time_limit),
        ..SolveOptions::default()
    };
    for at in moments {
        let cancel = AtomicBool::new(false);
        let started = Instant::now();
        // Timed inside the scope: the scope itself also waits for the canceller's sleep.
        let (solved, returned) = std::thread::scope(|scope| {
            scope.spawn(|| {
                std::thread::sleep(Duration::from_secs_f64(at));
                cancel.store(true, Ordering::Relaxed);
            });
            let solved = solve(&problem, &options, &cancel, &mut |_| {});
            (solved, started.elapsed().as_secs_f64())
        });
        match solved {
            Ok(solved) => println!(
                "cancel at {at:.1} s: returned at {returned:.2} s, {:.2} s after; {}, penalty {}",
                (returned - at).max(0.0),
                rota::report::status_name(solved.status),
                problem.evaluate(&solved.assignment).total()
            ),
            Err(e) => println!("cancel at {at:.1} s: returned at {returned:.2} s: {e}"),
        }
    }
    ExitCode::SUCCESS
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("cancel_latency: {problem}");
    eprintln!("usage: cancel_latency INSTANCE.txt [--time-limit S] AT ...");
    ExitCode::from(2)
}

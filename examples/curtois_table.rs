//! The Curtois–Qu benchmark run: solves each instance in turn and prints, per instance, the
//! penalty found, the best known, the gap to it, the proven bound, the status and the seconds.
//!
//! `cargo run --release --example curtois_table -- [--time-limit S] [--seed N] DIR [N ...]`
//! solves `DIR/InstanceN.txt` for the instances named (1 to 12 by default). The best-known
//! values are read from the table in `DIR/FORMAT.md` when it has one. Each roster is judged
//! again by the model's own evaluation before it is reported: a roster that broke a hard rule
//! would be printed as unlawful, never counted.

use rota::solve::search::{solve, SolveOptions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

fn main() -> ExitCode {
    let mut time_limit = 60.0;
    let mut seed = 1;
    let mut dir: Option<PathBuf> = None;
    let mut instances: Vec<u32> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let number = |value: Option<String>| value.and_then(|v| v.parse::<f64>().ok());
        match arg.as_str() {
            "--time-limit" => match number(args.next()) {
                Some(s) if s > 0.0 => time_limit = s,
                _ => return usage("--time-limit takes a positive number of seconds"),
            },
            "--seed" => match number(args.next()) {
                Some(s) if s >= 0.0 => seed = s as u64,
                _ => return usage("--seed takes a whole number"),
            },
            _ if dir.is_none() => dir = Some(PathBuf::from(arg)),
            _ => match arg.parse::<u32>() {
                Ok(n) => instances.push(n),
                Err(_) => return usage(&format!("{arg:?} is not an instance number")),
            },
        }
    }
    let Some(dir) = dir else {
        return usage("name the folder of the instances");
    };
    if instances.is_empty() {
        instances = (1..=12).collect();
    }
    let best = best_known(&dir.join("FORMAT.md"));
    println!("| inst | penalty | best known | gap to best | bound | status | seconds |");
    println!("|---|---|---|---|---|---|---|");
    let mut failed = false;
    for n in instances {
        let path = dir.join(format!("Instance{n}.txt"));
        let row = match run(&path, time_limit, seed) {
            Ok((penalty, bound, status, seconds)) => {
                let known = best.get(&n).copied();
                let gap = known.map_or("-".to_string(), |b| {
                    format!("{:.2} %", 100.0 * (penalty - b) as f64 / b.max(1) as f64)
                });
                format!(
                    "| {n} | {penalty} | {} | {gap} | {} | {status} | {seconds:.1} |",
                    known.map_or("-".to_string(), |b| b.to_string()),
                    bound.map_or("-".to_string(), |b| b.to_string()),
                )
            }
            Err(e) => {
                failed = true;
                format!("| {n} | {e} | | | | | |")
            }
        };
        println!("{row}");
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Solves one instance: (penalty, bound, status, seconds), or why not.
fn run(
    path: &Path,
    time_limit: f64,
    seed: u64,
) -> Result<(i64, Option<i64>, &'static str, f64), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let problem = rota::curtois::parse(&text).map_err(|errors| {
        let first = errors.first().map(ToString::to_string).unwrap_or_default();
        format!("unreadable ({} problems; {first})", errors.len())
    })?;
    let options = SolveOptions {
        time_limit: Duration::from_secs_f64(time_limit),
        seed,
        ..SolveOptions::default()
    };
    let solved = solve(&problem, &options, &AtomicBool::new(false), &mut |_| {})
        .map_err(|e| format!("no roster: {e}"))?;
    let eval = problem.evaluate(&solved.assignment);
    if !eval.breaches.is_empty() {
        return Err(format!("unlawful ({} hard breaches)", eval.breaches.len()));
    }
    Ok((
        eval.total(),
        solved.bound,
        rota::report::status_name(solved.status),
        solved.elapsed.as_secs_f64(),
    ))
}

/// The best-known column of FORMAT.md's table of instances (`| 7 | 28 | 20 | 3 | 1056 |`), by
/// instance; empty when the file or the table is missing.
fn best_known(format: &Path) -> BTreeMap<u32, i64> {
    let Ok(text) = std::fs::read_to_string(format) else {
        return BTreeMap::new();
    };
    text.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').collect();
            let number = cells.first()?.trim().parse::<u32>().ok()?;
            let best = cells.get(4)?.trim().parse::<i64>().ok()?;
            (cells.len() == 5).then_some((number, best))
        })
        .collect()
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("curtois_table: {problem}");
    eprintln!("usage: curtois_table [--time-limit S] [--seed N] DIR [INSTANCE ...]");
    ExitCode::from(2)
}

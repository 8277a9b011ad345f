//! `rota`: the command line. Every verb reads and writes JSON so HR's scripts can drive it.

use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use rota::gen::{generate, GenConfig};
use rota::model::{LoadError, Model, Snapshot};
use rota::report;
use rota::rules::check;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    name = "rota",
    version,
    about = "Workforce scheduling and leave-coverage engine for a city government"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a synthetic city (deterministic: same seed, same bytes).
    Gen {
        /// Random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Regular staff; appointees and re-appointed staff follow in proportion.
        #[arg(long, default_value_t = 500)]
        staff: u32,
        /// Fiscal year to roster (April 1 of it to March 31 of the next).
        #[arg(long, default_value_t = 2026)]
        fiscal_year: i32,
        /// Violations to plant per rule.
        #[arg(long, default_value_t = 2)]
        planted_per_rule: usize,
        /// Where to write the snapshot (JSON).
        #[arg(long)]
        out: PathBuf,
        /// Where to write the list of planted violations (JSON).
        #[arg(long)]
        planted: Option<PathBuf>,
    },
    /// Print the JSON Schema of a snapshot.
    Schema,
    /// Check a snapshot against every rule. Exit 0: no violations; 1: violations; 2: unusable input.
    Check {
        /// The snapshot (JSON); `-` reads standard input.
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The main job on built-in data: generate the default city in memory, check it, summarise.
    Demo {
        /// Random seed of the built-in city.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("rota: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Gen {
            seed,
            staff,
            fiscal_year,
            planted_per_rule,
            out,
            planted,
        } => {
            let config = GenConfig {
                seed,
                staff,
                fiscal_year,
                planted_per_rule,
                ..GenConfig::default()
            };
            let bar = spinner(&format!("generating a city of {staff} regular staff"));
            let city = generate(&config);
            bar.set_message("writing");
            write_file(&out, &city.snapshot.to_json())?;
            if let Some(path) = planted {
                let json =
                    serde_json::to_string_pretty(&city.planted).map_err(|e| e.to_string())?;
                write_file(&path, &json)?;
            }
            bar.finish_and_clear();
            let s = &city.snapshot;
            eprintln!(
                "wrote {}: {} staff, {} units, {} roster entries, {} leave entries, {} demand lines, {} planted violations",
                out.display(),
                s.staff.len(),
                s.organisation.units.len(),
                s.roster.len(),
                s.leave.len(),
                s.demand.len(),
                city.planted.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema => {
            let schema = schemars::schema_for!(Snapshot);
            emit(&(serde_json::to_string_pretty(&schema).map_err(|e| e.to_string())? + "\n"));
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { file, format } => {
            let model = match load(&file) {
                Ok(model) => model,
                Err(errors) => {
                    report_load_errors(&file, &errors, format);
                    return Ok(ExitCode::from(2));
                }
            };
            let report = check(&model);
            match format {
                Format::Text => emit(&report::check_text(&model, &report)),
                Format::Json => emit(
                    &(serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n"),
                ),
            }
            Ok(if report.is_clean() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Demo { seed } => demo(seed),
    }
}

fn demo(seed: u64) -> Result<ExitCode, String> {
    let config = GenConfig {
        seed,
        ..GenConfig::default()
    };
    let mut out = format!(
        "rota demo: the built-in whole city (seed {seed}, fiscal year {})\n\n",
        config.fiscal_year
    );
    let started = Instant::now();
    let bar = spinner("generating the city");
    let city = generate(&config);
    bar.finish_and_clear();
    if city.stats.repairs > 0 {
        out += &format!(
            "(the roster builder needed {} repairs)\n",
            city.stats.repairs
        );
    }
    let generated = started.elapsed();
    let s = &city.snapshot;
    out += &format!(
        "Generated in {:.2?}: {} departments, {} sections, {} units; {} staff; {} roster entries, {} leave entries, {} demand lines.\n",
        generated,
        s.organisation.departments.len(),
        s.organisation.sections.len(),
        s.organisation.units.len(),
        s.staff.len(),
        s.roster.len(),
        s.leave.len(),
        s.demand.len()
    );
    let started = Instant::now();
    let model = city
        .snapshot
        .clone()
        .into_model()
        .map_err(|e| format!("the generated city does not load: {e}"))?;
    let loaded = started.elapsed();
    let started = Instant::now();
    let report = check(&model);
    let checked = started.elapsed();
    out +=
        &format!("Validated and indexed in {loaded:.2?}; checked every rule in {checked:.2?}.\n\n");
    out += &report::check_text(&model, &report);
    let found: std::collections::HashSet<_> = report
        .violations
        .iter()
        .map(|v| {
            (
                v.rule,
                v.staff.clone(),
                if v.staff.is_none() {
                    v.unit.clone()
                } else {
                    None
                },
                v.date,
            )
        })
        .collect();
    let missed = city
        .planted
        .iter()
        .filter(|p| !found.contains(&(p.rule, p.staff.clone(), p.unit.clone(), p.date)))
        .count();
    out += &format!(
        "\nThe generator planted {} violations on purpose; the checker found {} of them and {} others.\n",
        city.planted.len(),
        city.planted.len() - missed,
        report.violations.len().saturating_sub(city.planted.len() - missed)
    );
    emit(&out);
    Ok(ExitCode::SUCCESS)
}

/// Writes to standard output; a reader that went away (`rota demo | head`) is not an error.
fn emit(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn spinner(message: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(message.to_string());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Reads and validates a snapshot; every problem comes back as a field error.
fn load(path: &Path) -> Result<Model, Vec<rota::model::FieldError>> {
    let text = if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map(|_| s)
    } else {
        std::fs::read_to_string(path)
    };
    let text = text.map_err(|e| {
        vec![rota::model::FieldError {
            path: "$".into(),
            reason: format!("cannot read {}: {e}", path.display()),
        }]
    })?;
    Snapshot::from_json(&text)
        .and_then(Model::new)
        .map_err(|e: LoadError| e.field_errors())
}

fn report_load_errors(file: &Path, errors: &[rota::model::FieldError], format: Format) {
    match format {
        Format::Json => {
            let body = serde_json::json!({ "file": file.display().to_string(), "errors": errors });
            emit(&(serde_json::to_string_pretty(&body).unwrap_or_default() + "\n"));
        }
        Format::Text => {
            eprintln!(
                "rota: {} is not a usable snapshot; {} problem(s):",
                file.display(),
                errors.len()
            );
            for e in errors {
                eprintln!("  {e}");
            }
        }
    }
}

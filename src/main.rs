//! `rota`: the command line. Every verb reads and writes JSON so HR's scripts can drive it.

use chrono::Datelike;
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use rota::gen::{generate, GenConfig};
use rota::model::{LoadError, Model, Snapshot};
use rota::report;
use rota::rules::check;
use rota::solve::recommend::{recommend, Absence};
use rota::solve::search::SolveOptions;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Most regular staff `rota gen` makes: about 80 000 staff in all, a few GB of memory; beyond
/// it the generator would only exhaust the machine.
const MAX_GEN_STAFF: u32 = 50_000;
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
        /// Regular staff (1 to 50000); appointees and re-appointed staff follow in proportion.
        #[arg(long, default_value_t = 500,
              value_parser = clap::value_parser!(u32).range(1..=MAX_GEN_STAFF as i64))]
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
        #[command(flatten)]
        remote: Remote,
    },
    /// Recommend replacements for one absence, ranked by cost with its breakdown.
    /// Exit 0: candidates found; 1: nobody can lawfully cover; 2: unusable input.
    Recommend {
        /// The snapshot (JSON); `-` reads standard input.
        file: PathBuf,
        /// The absent staff member's id.
        #[arg(long)]
        staff: String,
        /// The day of the absence (YYYY-MM-DD).
        #[arg(long)]
        date: chrono::NaiveDate,
        /// How many candidates to list (1 to 1000).
        #[arg(long, default_value_t = 5,
              value_parser = clap::value_parser!(u32).range(1..=rota::service::recommend::MAX_TOP as i64))]
        top: u32,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        remote: Remote,
    },
    /// Cover absences on the published roster with the fewest, fairest changes.
    /// Exit 0: everything covered; 1: some demand stays uncovered (listed with the reason);
    /// 2: unusable input.
    Cover(CoverArgs),
    /// Roster shift-run facilities of a snapshot (or a Curtois–Qu benchmark instance) by
    /// optimisation. Exit 0: a lawful roster was written; 2: unusable input or no lawful roster.
    Roster(RosterArgs),
    /// Serve the gRPC API (rota.v1.RotaService, health, reflection) until SIGINT or SIGTERM.
    Serve(Box<ServeArgs>),
    /// The main job on built-in data: generate the default city in memory, check it, summarise.
    Demo {
        /// Random seed of the built-in city.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Options of a verb that can run against a server instead of locally.
#[derive(clap::Args)]
struct Remote {
    /// Run on this rota server (`http://host:port` or `https://host:port`) instead of locally;
    /// the output and exit codes are the same.
    #[arg(long, value_name = "URL")]
    server: Option<String>,
    /// PEM file of the CA that signed the server's certificate (for `https://` with a private CA).
    #[arg(long, value_name = "FILE", requires = "server")]
    ca_cert: Option<PathBuf>,
    /// Bearer token for a server started with `--token`.
    #[arg(long, env = "ROTA_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Deadline of the remote call, in seconds.
    #[arg(long, value_name = "SECONDS", requires = "server")]
    timeout: Option<f64>,
}

#[derive(clap::Args)]
struct CoverArgs {
    /// The snapshot with the published roster (JSON); `-` reads standard input.
    file: PathBuf,
    /// An absence: `STAFF:DATE` or `STAFF:FROM:TO` (dates YYYY-MM-DD), optionally followed by
    /// `:KIND`, the leave it is recorded as with --out (annual, sick, maternity, childcare,
    /// nursing_care, special; sick by default); repeat for several.
    #[arg(
        long = "absent",
        value_name = "STAFF:FROM[:TO][:KIND]",
        required = true
    )]
    absences: Vec<String>,
    /// Points per person missing from a demand line.
    #[arg(long, value_name = "POINTS", allow_negative_numbers = true,
          default_value_t = rota::solve::cover::UNCOVERED)]
    uncovered_weight: i64,
    /// Points per shift added to someone's roster (before distance and fairness).
    #[arg(long, value_name = "POINTS", allow_negative_numbers = true,
          default_value_t = rota::solve::cover::ADD)]
    add_weight: i64,
    /// Extra points when an added shift falls on a published day off.
    #[arg(long, value_name = "POINTS", allow_negative_numbers = true,
          default_value_t = rota::solve::cover::DAY_OFF)]
    day_off_weight: i64,
    /// Points per published shift taken away (moving a person).
    #[arg(long, value_name = "POINTS", allow_negative_numbers = true,
          default_value_t = rota::solve::cover::REMOVE)]
    remove_weight: i64,
    /// Points per cover the person already gave this fiscal year.
    #[arg(long, value_name = "POINTS", allow_negative_numbers = true,
          default_value_t = rota::solve::cover::YEAR_TO_DATE)]
    year_to_date_weight: i64,
    /// In-plan fairness: the k-th shift one person takes on costs (k − 1) × this more (0: off).
    #[arg(long, value_name = "POINTS", allow_negative_numbers = true,
          default_value_t = rota::solve::cover::LOAD_STEP)]
    load_step: i64,
    /// Wall-clock budget, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    time_limit: f64,
    /// Relative gap at which the solver may stop (0.01 = within 1 % of optimal, proven).
    #[arg(long, default_value_t = 0.01)]
    gap: f64,
    /// Output format: text, JSON, or CSV (the changes, one per line).
    #[arg(long, value_enum, default_value_t = TableFormat::Text)]
    format: TableFormat,
    /// Also write the snapshot with the plan applied here.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    remote: Remote,
}

#[derive(Clone, Copy, ValueEnum)]
enum TableFormat {
    Text,
    Json,
    Csv,
}

#[derive(clap::Args)]
#[command(group = clap::ArgGroup::new("input").required(true).args(["snapshot", "curtois"]))]
struct RosterArgs {
    /// A city snapshot (JSON): re-roster the shift-run units named by --unit (or every one, with
    /// --all-units) over its horizon.
    snapshot: Option<PathBuf>,
    /// A shift-run unit to roster (with a snapshot); repeat for several, rostered together.
    #[arg(long, requires = "snapshot")]
    unit: Vec<String>,
    /// Roster every shift-run unit of the city together.
    #[arg(long, requires = "snapshot", conflicts_with = "unit")]
    all_units: bool,
    /// Re-roster only from this day (YYYY-MM-DD), keeping the days outside as they are.
    #[arg(long, requires = "snapshot")]
    from: Option<chrono::NaiveDate>,
    /// Re-roster only up to this day (YYYY-MM-DD).
    #[arg(long, requires = "snapshot")]
    to: Option<chrono::NaiveDate>,
    /// A Curtois–Qu instance (schedulingbenchmarks.org text format).
    #[arg(long, value_name = "FILE")]
    curtois: Option<PathBuf>,
    /// Wall-clock budget, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    time_limit: f64,
    /// Stop once the proven relative gap is at most this (0 = prove optimality or use the time).
    #[arg(long, default_value_t = 0.0)]
    gap: f64,
    /// Seed of the neighbourhood choice.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Stop after this many improvement steps: a reproducible run, the same roster whatever
    /// the time limit as long as the steps end it.
    #[arg(long)]
    iterations: Option<u64>,
    /// Where to write the result: the roster in the benchmark's layout, or the updated snapshot;
    /// standard output without it.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Format of the summary (on standard error with --out, else after the roster).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Points per person short of a demand line (with a snapshot).
    #[arg(long, value_name = "POINTS", requires = "snapshot", allow_negative_numbers = true,
          default_value_t = rota::solve::facility::UNDER_WEIGHT)]
    under_weight: i64,
    /// Points per person beyond a shift's demand (with a snapshot).
    #[arg(long, value_name = "POINTS", requires = "snapshot", allow_negative_numbers = true,
          default_value_t = rota::solve::facility::OVER_WEIGHT)]
    over_weight: i64,
    #[command(flatten)]
    remote: Remote,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on; loopback by default.
    #[arg(long, default_value = "127.0.0.1:50051")]
    addr: std::net::SocketAddr,
    /// Directory of the durable snapshot store; without it snapshots live in memory only.
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Jobs (checks, uploads) running at once; default: the number of CPUs.
    #[arg(long)]
    workers: Option<usize>,
    /// Jobs waiting for a worker; beyond it requests are refused with RESOURCE_EXHAUSTED.
    #[arg(long, default_value_t = 16)]
    queue: usize,
    /// Largest request or response message, in MiB.
    #[arg(long, default_value_t = 64)]
    max_message_mib: usize,
    /// Most snapshots the store holds.
    #[arg(long, default_value_t = 1000)]
    max_snapshots: usize,
    /// Most MiB of snapshot JSON the store holds.
    #[arg(long, default_value_t = 8192)]
    max_store_mib: u64,
    /// Models of stored snapshots kept in memory for repeated checks.
    #[arg(long, default_value_t = 2)]
    model_cache: usize,
    /// Longest an RPC may run when the caller sets no shorter deadline, in seconds.
    #[arg(long, value_name = "SECONDS")]
    max_rpc_seconds: Option<f64>,
    /// Serve TLS with this certificate chain (PEM); needs --tls-key.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// Private key (PEM) of --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Require `authorization: Bearer <token>` on rota.v1 calls.
    #[arg(long, env = "ROTA_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Seconds in-flight calls may run on after SIGINT/SIGTERM.
    #[arg(long, default_value_t = 30.0)]
    shutdown_grace_seconds: f64,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The server logs its calls by default; the other commands keep standard error for their
    // summary and progress bar, and log (the solver's steps, at `RUST_LOG=rota=debug`) only when
    // asked.
    let serving = matches!(cli.command, Command::Serve(_));
    let filter = tracing_subscriber::EnvFilter::try_from_default_env();
    if serving || filter.is_ok() {
        tracing_subscriber::fmt()
            .with_env_filter(filter.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")))
            .with_writer(std::io::stderr)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init();
    }
    let code = match run(cli.command) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("rota: {message}");
            ExitCode::from(2)
        }
    };
    // A solve stopped by Ctrl-C has reported and written its best so far; the exit code still
    // tells a script that the run did not end by itself.
    if INTERRUPTED.load(Ordering::Relaxed) {
        ExitCode::from(INTERRUPTED_EXIT)
    } else {
        code
    }
}

/// Set by the first Ctrl-C (SIGINT) during a local solve (`rota roster`, `rota cover`): the
/// solve stops at its next step, HiGHS's runs included, and hands back the best it has, which
/// is reported and written as usual. A second Ctrl-C ends the process at once.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The progress bar or spinner drawn last, while it lives: a message of the Ctrl-C listener is
/// written above it, not into the middle of its line (which it would then leave behind when
/// it draws itself again below).
static SHOWN: std::sync::Mutex<Option<indicatif::WeakProgressBar>> = std::sync::Mutex::new(None);

/// Makes `bar` the one [`say`] writes above, and hands it back.
fn shown(bar: ProgressBar) -> ProgressBar {
    if let Ok(mut slot) = SHOWN.lock() {
        *slot = Some(bar.downgrade());
    }
    bar
}

/// Writes `message` on a line of its own to standard error: above the progress bar when one is
/// drawn, else below whatever the terminal echoed (`^C`).
fn say(message: &str) {
    let bar = SHOWN.lock().ok().and_then(|slot| slot.as_ref()?.upgrade());
    match bar {
        Some(bar) => bar.suspend(|| eprintln!("{message}")),
        None => eprintln!("\n{message}"),
    }
}

/// The exit code of a run stopped by Ctrl-C: 128 + SIGINT, as shells report an interrupt.
const INTERRUPTED_EXIT: u8 = 130;

/// Starts listening for Ctrl-C, once, and gives the flag it sets ([`INTERRUPTED`]) for a solve
/// to take as its cancel flag. The handler is in place when this returns (an interrupt a moment
/// later is not the default one that kills). Where none can be installed, Ctrl-C keeps its
/// default and ends the process.
fn listen_for_interrupt() -> &'static AtomicBool {
    static LISTENING: std::sync::Once = std::sync::Once::new();
    LISTENING.call_once(|| {
        if let Err(e) = start_interrupt_listener() {
            tracing::warn!(error = %e, "no Ctrl-C listener: an interrupt ends the process");
        }
    });
    &INTERRUPTED
}

/// Installs the SIGINT handler now and hands it to a thread of its own, which sets
/// [`INTERRUPTED`] at the first interrupt and ends the process at the second.
fn start_interrupt_listener() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    #[cfg(unix)]
    let mut interrupts = {
        let _entered = runtime.enter();
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?
    };
    std::thread::Builder::new()
        .name("ctrl-c".into())
        .spawn(move || {
            runtime.block_on(async {
                #[cfg(unix)]
                let first = interrupts.recv().await.is_some();
                #[cfg(not(unix))]
                let first = tokio::signal::ctrl_c().await.is_ok();
                if !first {
                    return;
                }
                INTERRUPTED.store(true, Ordering::Relaxed);
                say("rota: interrupted: stopping with the best found so far \
                     (Ctrl-C again to quit at once)");
                #[cfg(unix)]
                let second = interrupts.recv().await.is_some();
                #[cfg(not(unix))]
                let second = tokio::signal::ctrl_c().await.is_ok();
                if second {
                    std::process::exit(i32::from(INTERRUPTED_EXIT));
                }
            })
        })?;
    Ok(())
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
            // A small city has no room for every planting; say so rather than leave the reader
            // to count.
            for rule in rota::rules::RuleId::ALL {
                let planted = city.planted.iter().filter(|p| p.rule == rule).count();
                if planted < planted_per_rule {
                    eprintln!(
                        "note: planted {planted} of the {planted_per_rule} {} violations asked for: the city has no room for more",
                        rule.name()
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema => {
            let schema = schemars::schema_for!(Snapshot);
            emit(&(serde_json::to_string_pretty(&schema).map_err(|e| e.to_string())? + "\n"));
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            file,
            format,
            remote,
        } if remote.server.is_some() => check_remote(&file, format, &remote),
        Command::Serve(args) => serve(*args),
        Command::Cover(args) => cover_verb(&args),
        Command::Roster(args) => match (&args.curtois, &args.snapshot) {
            (Some(path), _) => roster_curtois(&args, path),
            (None, Some(path)) if !args.unit.is_empty() || args.all_units => {
                roster_facilities(&args, path)
            }
            _ => Err("give --curtois FILE, or a snapshot and --unit U (or --all-units)".into()),
        },
        Command::Check { file, format, .. } => {
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
        Command::Recommend {
            file,
            staff,
            date,
            top,
            format,
            remote,
        } if remote.server.is_some() => {
            let absence = Absence {
                staff: rota::model::Id::new(&staff),
                date,
            };
            recommend_remote(&file, &absence, top as usize, format, &remote)
        }
        Command::Recommend {
            file,
            staff,
            date,
            top,
            format,
            ..
        } => {
            let model = match load(&file) {
                Ok(model) => model,
                Err(errors) => {
                    report_load_errors(&file, &errors, format);
                    return Ok(ExitCode::from(2));
                }
            };
            let absence = Absence {
                staff: rota::model::Id::new(&staff),
                date,
            };
            let answer = match recommend(&model, &absence, top as usize) {
                Ok(answer) => answer,
                Err(e) => {
                    eprintln!("rota: {e}");
                    return Ok(ExitCode::from(2));
                }
            };
            print_recommendation(&absence, &answer, format)
        }
        Command::Demo { seed } => demo(seed),
    }
}

/// Parses `STAFF:DATE` or `STAFF:FROM:TO`, optionally followed by `:KIND`.
fn parse_absence(text: &str) -> Result<rota::solve::cover::AbsenceSpan, String> {
    use rota::model::LeaveKind;
    let mut parts: Vec<&str> = text.split(':').collect();
    let date = |s: &str| {
        s.parse::<chrono::NaiveDate>()
            .map_err(|e| format!("--absent {text}: {s:?} is not a YYYY-MM-DD date ({e})"))
    };
    let kind = match parts.last() {
        Some(last) if parts.len() > 2 && last.parse::<chrono::NaiveDate>().is_err() => {
            let kind = match *last {
                "annual" => LeaveKind::Annual,
                "sick" => LeaveKind::Sick,
                "maternity" => LeaveKind::Maternity,
                "childcare" => LeaveKind::Childcare,
                "nursing_care" => LeaveKind::NursingCare,
                "special" => LeaveKind::Special,
                other => {
                    return Err(format!(
                        "--absent {text}: {other:?} is neither a date nor a leave kind \
                         (annual, sick, maternity, childcare, nursing_care, special)"
                    ))
                }
            };
            parts.pop();
            kind
        }
        _ => LeaveKind::Sick,
    };
    let (staff, from, to) = match parts.as_slice() {
        [staff, day] => (staff, date(day)?, date(day)?),
        [staff, from, to] => (staff, date(from)?, date(to)?),
        _ => {
            return Err(format!(
                "--absent {text}: expected STAFF:DATE or STAFF:FROM:TO, then :KIND if wanted"
            ))
        }
    };
    Ok(rota::solve::cover::AbsenceSpan {
        staff: rota::model::Id::new(staff),
        from,
        to,
        kind,
    })
}

/// The prices of `rota cover`, checked.
fn cover_weights(args: &CoverArgs) -> Result<rota::solve::cover::CoverWeights, String> {
    let weights = rota::solve::cover::CoverWeights {
        uncovered: args.uncovered_weight,
        add: args.add_weight,
        day_off: args.day_off_weight,
        remove: args.remove_weight,
        year_to_date: args.year_to_date_weight,
        load_step: args.load_step,
    };
    match weights.problems("weights").into_iter().next() {
        None => Ok(weights),
        Some((field, reason)) => {
            let name = field.trim_start_matches("weights.").replace('_', "-");
            let flag = if name == "load-step" {
                name
            } else {
                format!("{name}-weight")
            };
            Err(format!("--{flag}: {reason}"))
        }
    }
}

/// `rota cover`: plan the cover of absences on the published roster.
fn cover_verb(args: &CoverArgs) -> Result<ExitCode, String> {
    check_budget(args.time_limit, args.gap)?;
    let weights = cover_weights(args)?;
    let absences = args
        .absences
        .iter()
        .map(|a| parse_absence(a))
        .collect::<Result<Vec<_>, _>>()?;
    let format = match args.format {
        TableFormat::Json => Format::Json,
        _ => Format::Text,
    };
    if args.remote.server.is_some() {
        return cover_remote(args, &absences, &weights, format);
    }
    let model = match load(&args.file) {
        Ok(model) => model,
        Err(errors) => {
            report_load_errors(&args.file, &errors, format);
            return Ok(ExitCode::from(2));
        }
    };
    let bar = spinner("planning the cover");
    let plan = rota::solve::cover::cover_weighted(
        &model,
        &absences,
        &weights,
        Duration::from_secs_f64(args.time_limit),
        args.gap,
        listen_for_interrupt(),
    );
    bar.finish_and_clear();
    let plan = match plan {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("rota: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    print_cover(args, &model.snapshot, &plan)
}

/// `cover --server`: the snapshot is read and parsed here, planned there, printed here.
fn cover_remote(
    args: &CoverArgs,
    absences: &[rota::solve::cover::AbsenceSpan],
    weights: &rota::solve::cover::CoverWeights,
    format: Format,
) -> Result<ExitCode, String> {
    use rota::service::client::{self, ClientError};
    let Some(snapshot) = read_or_report(&args.file, format) else {
        return Ok(ExitCode::from(2));
    };
    let (config, timeout) = client_config(&args.remote)?;
    let time_limit = Duration::from_secs_f64(args.time_limit);
    let result = block_on(async {
        let mut client = client::connect(&config).await?;
        client::cover(
            &mut client,
            &snapshot,
            absences,
            weights,
            time_limit,
            args.gap,
            timeout,
        )
        .await
    })?;
    let plan = match result {
        Ok(plan) => plan,
        // The absences themselves are at fault: said as the local verb says it.
        Err(ClientError::Invalid(errors))
            if errors.iter().all(|e| {
                e.path.starts_with("absences")
                    || matches!(e.path.as_str(), "time_limit_seconds" | "relative_gap")
            }) =>
        {
            for e in &errors {
                eprintln!("rota: {}: {}", e.path, e.reason);
            }
            return Ok(ExitCode::from(2));
        }
        Err(ClientError::Invalid(errors)) => {
            report_load_errors(&args.file, &errors, format);
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e.to_string()),
    };
    print_cover(args, &snapshot, &plan)
}

/// Prints a cover plan and writes the snapshot with it applied when asked; exit 0 when everything
/// is covered, 1 when some demand stays uncovered.
fn print_cover(
    args: &CoverArgs,
    snapshot: &Snapshot,
    plan: &rota::solve::cover::CoverPlan,
) -> Result<ExitCode, String> {
    match args.format {
        TableFormat::Text => emit(&report::cover_text(plan)),
        TableFormat::Json => {
            emit(&(serde_json::to_string_pretty(plan).map_err(|e| e.to_string())? + "\n"))
        }
        TableFormat::Csv => emit(&report::cover_csv(plan).map_err(|e| e.to_string())?),
    }
    if let Some(out) = &args.out {
        write_file(out, &plan.apply(snapshot).to_json())?;
    }
    Ok(if plan.uncovered.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Checks `--time-limit` and `--gap`.
fn check_budget(time_limit: f64, gap: f64) -> Result<(), String> {
    if !(time_limit.is_finite() && time_limit > 0.0 && time_limit <= 86_400.0) {
        return Err(format!(
            "--time-limit must be in (0, 86400] seconds, is {time_limit}"
        ));
    }
    if !(0.0..=1.0).contains(&gap) {
        return Err(format!("--gap must be in [0, 1], is {gap}"));
    }
    Ok(())
}

/// The solve options of `rota roster`, checked.
fn solve_options(args: &RosterArgs) -> Result<SolveOptions, String> {
    check_budget(args.time_limit, args.gap)?;
    Ok(SolveOptions {
        time_limit: Duration::from_secs_f64(args.time_limit),
        relative_gap: args.gap,
        seed: args.seed,
        max_iterations: args.iterations,
    })
}

/// Runs the solver with a progress bar.
fn solve_with_bar(
    problem: &rota::solve::problem::ShiftProblem,
    options: &SolveOptions,
) -> Result<rota::solve::search::Solved, rota::solve::search::SolveError> {
    let bar = solve_bar(options.time_limit.as_secs_f64());
    let cancel = listen_for_interrupt();
    let outcome =
        rota::solve::search::solve(problem, options, cancel, &mut |p| show_progress(&bar, p));
    bar.finish_and_clear();
    outcome
}

/// Moves the bar to a progress report.
fn show_progress(bar: &ProgressBar, p: &rota::solve::search::Progress) {
    bar.set_position((p.elapsed.as_secs_f64() * 10.0) as u64);
    bar.set_message(progress_text(p));
}

/// `rota roster city.json --unit U …`: re-roster shift-run facilities over the horizon (or a
/// window), check the result with the checker, and write the updated snapshot.
fn roster_facilities(args: &RosterArgs, path: &Path) -> Result<ExitCode, String> {
    use rota::solve::roster::{roster, RosterError, RosterTask};
    let task = RosterTask {
        units: args.unit.iter().map(rota::model::Id::new).collect(),
        from: args.from,
        to: args.to,
        weights: rota::solve::facility::DemandWeights {
            under: args.under_weight,
            over: args.over_weight,
        },
        options: solve_options(args)?,
    };
    if let Some((field, reason)) = task.weights.problems("weights").into_iter().next() {
        let flag = field.trim_start_matches("weights.");
        return Err(format!("--{flag}-weight: {reason}"));
    }
    if args.remote.server.is_some() {
        return roster_remote(args, path, &task);
    }
    let model = match load(path) {
        Ok(model) => model,
        Err(errors) => {
            report_load_errors(path, &errors, args.format);
            return Ok(ExitCode::from(2));
        }
    };
    let bar = solve_bar(task.options.time_limit.as_secs_f64());
    let cancel = listen_for_interrupt();
    let outcome = roster(&model, &task, cancel, &mut |p| show_progress(&bar, p));
    bar.finish_and_clear();
    match outcome {
        Ok(rostered) => {
            let figures: Vec<_> = rostered
                .facilities
                .iter()
                .map(|f| f.figures(&model))
                .collect();
            print_rostered(args, &rostered.snapshot, &figures)
        }
        Err(RosterError::Invalid { field, reason }) => {
            eprintln!("rota: {}: {reason}", roster_flag(args, &field));
            Ok(ExitCode::from(2))
        }
        Err(e) => {
            eprintln!("rota: {e}");
            Ok(ExitCode::from(2))
        }
    }
}

/// The command-line flag behind a field of the roster task (`units[1]` is the second --unit).
fn roster_flag(args: &RosterArgs, field: &str) -> String {
    let unit = field
        .strip_prefix("units[")
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|k| k.parse::<usize>().ok())
        .and_then(|k| args.unit.get(k));
    match (unit, field) {
        (Some(unit), _) => format!("--unit {unit}"),
        (None, "units") => "--all-units".to_string(),
        (None, "from" | "to") => format!("--{field}"),
        (None, other) => other.to_string(),
    }
}

/// `roster --server`: the snapshot is read and parsed here, rostered there (its progress
/// streamed into the bar), and the new entries put into the snapshot here.
fn roster_remote(
    args: &RosterArgs,
    path: &Path,
    task: &rota::solve::roster::RosterTask,
) -> Result<ExitCode, String> {
    use rota::service::client::{self, ClientError};
    let Some(mut snapshot) = read_or_report(path, args.format) else {
        return Ok(ExitCode::from(2));
    };
    let (config, timeout) = client_config(&args.remote)?;
    let bar = solve_bar(task.options.time_limit.as_secs_f64());
    let result = block_on(async {
        let mut client = client::connect(&config).await?;
        client::roster(&mut client, &snapshot, task, timeout, &mut |p| {
            show_progress(&bar, p)
        })
        .await
    })?;
    bar.finish_and_clear();
    let figures = match result {
        Ok(figures) => figures,
        // The request itself is at fault (units, window, weights): said as the local verb says it.
        Err(ClientError::Invalid(errors))
            if errors.iter().all(|e| {
                matches!(
                    e.path.as_str(),
                    "units" | "from" | "to" | "time_limit_seconds" | "relative_gap"
                ) || e.path.starts_with("units[")
                    || e.path.starts_with("weights")
            }) =>
        {
            for e in &errors {
                eprintln!("rota: {}: {}", roster_flag(args, &e.path), e.reason);
            }
            return Ok(ExitCode::from(2));
        }
        Err(ClientError::Invalid(errors)) => {
            report_load_errors(path, &errors, args.format);
            return Ok(ExitCode::from(2));
        }
        Err(ClientError::Status(status)) if status.code() == tonic::Code::FailedPrecondition => {
            eprintln!("rota: {}", status.message());
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e.to_string()),
    };
    for f in &figures {
        rota::solve::facility::replace_entries(&mut snapshot, &f.unit, &f.staff, f.entries.clone());
    }
    print_rostered(args, &snapshot, &figures)
}

/// Writes the rostered snapshot (to `--out` or standard output) and the summary, one block per
/// facility (on standard error).
fn print_rostered(
    args: &RosterArgs,
    snapshot: &Snapshot,
    figures: &[rota::solve::roster::RosterFigures],
) -> Result<ExitCode, String> {
    let summary = match args.format {
        Format::Text => report::facilities_text(figures),
        Format::Json => {
            serde_json::to_string_pretty(&report::facilities_json(figures))
                .map_err(|e| e.to_string())?
                + "\n"
        }
    };
    let json = snapshot.to_json();
    match &args.out {
        Some(out) => write_file(out, &json)?,
        None => emit(&json),
    }
    eprint!("{summary}");
    Ok(ExitCode::SUCCESS)
}

/// `rota roster --curtois`: solve a benchmark instance and write the roster in its layout.
fn roster_curtois(args: &RosterArgs, path: &Path) -> Result<ExitCode, String> {
    if args.remote.server.is_some() {
        return Err("--server rosters a snapshot's unit; solve --curtois instances locally".into());
    }
    let options = solve_options(args)?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let problem = match rota::curtois::parse(&text) {
        Ok(problem) => problem,
        Err(errors) => {
            for e in &errors {
                eprintln!("rota: {}: {e}", path.display());
            }
            return Ok(ExitCode::from(2));
        }
    };
    let solved = match solve_with_bar(&problem, &options) {
        Ok(solved) => solved,
        Err(e) => {
            eprintln!("rota: {}: {e}", path.display());
            return Ok(ExitCode::from(2));
        }
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let summary = report::roster_summary(&name, &solved);
    let header: Vec<String> = summary.lines().map(str::to_string).collect();
    let roster = rota::curtois::write_roster(&problem, &solved.assignment, &header);
    let summary = match args.format {
        Format::Text => summary,
        Format::Json => {
            serde_json::to_string_pretty(&report::roster_json(&name, &solved))
                .map_err(|e| e.to_string())?
                + "\n"
        }
    };
    match &args.out {
        Some(path) => {
            write_file(path, &roster)?;
            eprint!("{summary}");
        }
        None => emit(&(roster + &summary)),
    }
    Ok(ExitCode::SUCCESS)
}

/// A progress bar over the time budget, in tenths of a second.
fn solve_bar(seconds: f64) -> ProgressBar {
    let bar = ProgressBar::new((seconds * 10.0) as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    shown(bar)
}

fn progress_text(p: &rota::solve::search::Progress) -> String {
    let or_dash = |v: Option<i64>| v.map_or("-".to_string(), |v| v.to_string());
    let gap = p
        .gap()
        .map_or("-".to_string(), |g| format!("{:.2}%", g * 100.0));
    format!(
        "{:?} {:.1}s  best {}  bound {}  gap {gap}  steps {}",
        p.phase,
        p.elapsed.as_secs_f64(),
        or_dash(p.incumbent),
        or_dash(p.bound),
        p.iterations
    )
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

    // A sick call: the first nursery early shift of a June Wednesday, and who should cover it.
    let sick_call = model
        .snapshot
        .roster
        .iter()
        .find(|a| {
            a.shift.as_str() == rota::gen::shift::NURSERY_EARLY
                && a.date.month() == 6
                && a.date.weekday() == chrono::Weekday::Wed
        })
        .map(|a| Absence {
            staff: a.staff.clone(),
            date: a.date,
        });
    if let Some(absence) = sick_call {
        let started = Instant::now();
        if let Ok(answer) = recommend(&model, &absence, 5) {
            let took = started.elapsed();
            out += &format!("\nA sick call ({took:.2?} to rank every colleague):\n");
            out += &report::recommend_text(&absence, &answer);
        }
        // The same sick call and a librarian's week away, covered together by the MILP.
        let mut absences = vec![rota::solve::cover::AbsenceSpan::sick(
            absence.staff.clone(),
            absence.date,
            absence.date,
        )];
        let library_week = model.snapshot.roster.iter().find(|a| {
            a.shift.as_str().starts_with("library")
                && a.date > absence.date
                && a.date.weekday() == chrono::Weekday::Tue
        });
        if let Some(a) = library_week {
            absences.push(rota::solve::cover::AbsenceSpan {
                staff: a.staff.clone(),
                from: a.date,
                to: a.date + chrono::Duration::days(4),
                kind: rota::model::LeaveKind::Annual,
            });
        }
        match rota::solve::cover::cover(&model, &absences, Duration::from_secs(10), 0.01) {
            Ok(plan) => {
                out += &format!(
                    "\nCover for that sick call and {}:\n",
                    library_week.map_or("nothing else".to_string(), |a| format!(
                        "{}'s week away from {}",
                        a.staff, a.date
                    ))
                );
                out += &report::cover_text(&plan);
            }
            Err(e) => out += &format!("\nCover failed: {e}\n"),
        }
    }

    // A facility rostered from scratch: the plant room's year, by optimisation.
    let plant = model.snapshot.organisation.units.iter().find(|u| {
        u.shift_run
            && u.shifts
                .iter()
                .any(|s| s.as_str() == rota::gen::shift::PLANT_NIGHT)
    });
    if let Some(plant) = plant {
        out += &format!(
            "\nThe {} ({}) rostered afresh for the year by optimisation:\n",
            plant.name, plant.id
        );
        out += &match demo_facility(&model, &plant.id) {
            Ok(text) => text,
            Err(e) => format!("  failed: {e}\n"),
        };
    }

    // Every facility's June at once: decomposed by shared staff, stitched, judged once.
    out += "\nEvery shift-run facility re-rostered for June at once (within 1 %):\n";
    out += &match demo_city_month(&model, &report, config.fiscal_year) {
        Ok(text) => text,
        Err(e) => format!("  failed: {e}\n"),
    };
    emit(&out);
    Ok(ExitCode::SUCCESS)
}

/// Rosters every facility's June for the demo: per facility the points before and after, the
/// status and the checker's verdict.
fn demo_city_month(
    model: &Model,
    published: &rota::rules::CheckReport,
    fiscal_year: i32,
) -> Result<String, String> {
    let task = rota::solve::roster::RosterTask {
        units: Vec::new(),
        from: chrono::NaiveDate::from_ymd_opt(fiscal_year, 6, 1),
        to: chrono::NaiveDate::from_ymd_opt(fiscal_year, 6, 30),
        weights: Default::default(),
        options: SolveOptions {
            time_limit: Duration::from_secs(20),
            relative_gap: 0.01,
            ..SolveOptions::default()
        },
    };
    let started = Instant::now();
    let cancel = AtomicBool::new(false);
    let rostered = rota::solve::roster::roster(model, &task, &cancel, &mut |_| {})
        .map_err(|e| e.to_string())?;
    let mut out = String::new();
    for f in &rostered.facilities {
        let unit = &model.snapshot.organisation.units[f.plan.unit];
        let already = f.plan.violations_in(model, published).len();
        out += &format!(
            "  {}  points {:>4} -> {:<4} {:<12} checker: {} violation(s), {} already published  {}\n",
            unit.id,
            f.before.total(),
            f.solved.evaluation.total(),
            report::status_name(f.solved.status),
            f.violations.len(),
            already.min(f.violations.len()),
            unit.name,
        );
    }
    out += &format!(
        "  {} facilities in {:.2?}, stitched into one snapshot and checked once.\n",
        rostered.facilities.len(),
        started.elapsed()
    );
    Ok(out)
}

/// Rosters one facility for the demo and says what the checker thinks of the result.
fn demo_facility(model: &Model, unit: &rota::model::Id) -> Result<String, String> {
    let task = rota::solve::roster::RosterTask {
        units: vec![unit.clone()],
        from: None,
        to: None,
        weights: Default::default(),
        options: SolveOptions {
            time_limit: Duration::from_secs(10),
            ..SolveOptions::default()
        },
    };
    let cancel = AtomicBool::new(false);
    let rostered = rota::solve::roster::roster(model, &task, &cancel, &mut |_| {})
        .map_err(|e| e.to_string())?;
    let mut out = String::new();
    for f in &rostered.facilities {
        out += &format!(
            "{}the checker finds {} violation(s) for the unit and its staff in the result.\n",
            report::roster_summary(unit.as_str(), &f.solved),
            f.violations.len()
        );
    }
    Ok(out)
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
    shown(bar)
}

/// Writes `text` to `path`. A new or regular file is written beside it and renamed over it, so
/// that an interrupted or failed write (a second Ctrl-C, a full disk) leaves it as it was,
/// never half a roster; anything else (a link, `/dev/stdout`, a pipe) is written through.
fn write_file(path: &Path, text: &str) -> Result<(), String> {
    let cannot = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    if !std::fs::symlink_metadata(path).map_or(true, |m| m.is_file()) {
        return std::fs::write(path, text).map_err(cannot);
    }
    let name = path
        .file_name()
        .ok_or_else(|| format!("cannot write {}: not a file name", path.display()))?;
    let mut partial = name.to_os_string();
    partial.push(format!(".rota-{}.partial", std::process::id()));
    let partial = path.with_file_name(partial);
    let written = std::fs::write(&partial, text).and_then(|()| std::fs::rename(&partial, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(cannot(e));
    }
    Ok(())
}

/// The client's settings from the command line's remote options.
fn client_config(
    remote: &Remote,
) -> Result<(rota::service::client::ClientConfig, Option<Duration>), String> {
    use rota::service::client::ClientConfig;
    let ca_cert = match &remote.ca_cert {
        Some(p) => Some(std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?),
        None => None,
    };
    let timeout = match remote.timeout {
        Some(t) if t.is_finite() && t > 0.0 => Some(Duration::from_secs_f64(t)),
        Some(t) => return Err(format!("--timeout {t} is not a positive number of seconds")),
        None => None,
    };
    let config = ClientConfig {
        url: remote.server.clone().unwrap_or_default(),
        ca_cert,
        token: remote.token.clone(),
        timeout,
        max_message_bytes: 0,
    };
    Ok((config, timeout))
}

/// Runs a future on a small runtime of its own: the command line is otherwise synchronous.
fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    Ok(runtime.block_on(future))
}

/// `recommend --server`: the snapshot is read and parsed here, ranked there, printed here.
fn recommend_remote(
    file: &Path,
    absence: &Absence,
    top: usize,
    format: Format,
    remote: &Remote,
) -> Result<ExitCode, String> {
    use rota::service::client::{self, ClientError};
    let Some(snapshot) = read_or_report(file, format) else {
        return Ok(ExitCode::from(2));
    };
    let (config, timeout) = client_config(remote)?;
    let result = block_on(async {
        let mut client = client::connect(&config).await?;
        client::recommend(&mut client, &snapshot, absence, top, timeout).await
    })?;
    let answer = match result {
        Ok(answer) => answer,
        // The absence itself is at fault: said as the local verb says it.
        Err(ClientError::Invalid(errors))
            if errors
                .iter()
                .all(|e| matches!(e.path.as_str(), "staff" | "date" | "top")) =>
        {
            for e in &errors {
                eprintln!("rota: {}: {}", e.path, e.reason);
            }
            return Ok(ExitCode::from(2));
        }
        Err(ClientError::Invalid(errors)) => {
            report_load_errors(file, &errors, format);
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e.to_string()),
    };
    print_recommendation(absence, &answer, format)
}

/// Prints a recommendation; exit 0 with candidates, 1 when nobody can lawfully cover.
fn print_recommendation(
    absence: &Absence,
    answer: &rota::solve::recommend::Recommendation,
    format: Format,
) -> Result<ExitCode, String> {
    match format {
        Format::Text => emit(&report::recommend_text(absence, answer)),
        Format::Json => {
            emit(&(serde_json::to_string_pretty(answer).map_err(|e| e.to_string())? + "\n"))
        }
    }
    Ok(if answer.candidates.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads a snapshot for a remote verb; unusable input is reported as the local verb reports it.
fn read_or_report(file: &Path, format: Format) -> Option<Snapshot> {
    match read_snapshot(file) {
        Ok(snapshot) => Some(snapshot),
        Err(errors) => {
            report_load_errors(file, &errors, format);
            None
        }
    }
}

/// `check --server`: the snapshot is read and parsed here, checked there, printed here.
fn check_remote(file: &Path, format: Format, remote: &Remote) -> Result<ExitCode, String> {
    use rota::service::client::{self, ClientError};
    let Some(snapshot) = read_or_report(file, format) else {
        return Ok(ExitCode::from(2));
    };
    let (config, timeout) = client_config(remote)?;
    let result = block_on(async {
        let mut client = client::connect(&config).await?;
        client::check(&mut client, &snapshot, timeout).await
    })?;
    let report = match result {
        Ok(report) => report,
        Err(ClientError::Invalid(errors)) => {
            report_load_errors(file, &errors, format);
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e.to_string()),
    };
    match format {
        Format::Text => emit(&report::check_text_for(&snapshot, &report)),
        Format::Json => {
            emit(&(serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n"))
        }
    }
    Ok(if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `serve`: the gRPC server until SIGINT or SIGTERM; exit 0 after a graceful shutdown.
fn serve(args: ServeArgs) -> Result<ExitCode, String> {
    use rota::service::server::{Config, TlsPem};
    use rota::service::store::StoreLimits;
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(TlsPem {
            cert: read(cert)?,
            key: read(key)?,
        }),
        _ => None,
    };
    let seconds = |s: f64, what: &str| {
        if s.is_finite() && s >= 0.0 {
            Ok(Duration::from_secs_f64(s))
        } else {
            Err(format!("{what} {s} is not a number of seconds"))
        }
    };
    let defaults = Config::default();
    let config = Config {
        data_dir: args.data_dir,
        workers: args.workers.unwrap_or(defaults.workers),
        queue: args.queue,
        max_message_bytes: args.max_message_mib.saturating_mul(1 << 20),
        store: StoreLimits {
            max_snapshots: args.max_snapshots,
            max_bytes: args.max_store_mib.saturating_mul(1 << 20),
        },
        model_cache: args.model_cache,
        max_rpc_time: args
            .max_rpc_seconds
            .map(|s| seconds(s, "--max-rpc-seconds"))
            .transpose()?,
        tls,
        token: args.token.filter(|t| !t.is_empty()),
        shutdown_grace: seconds(args.shutdown_grace_seconds, "--shutdown-grace-seconds")?,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
        rota::service::run(listener, config, shutdown_signal())
            .await
            .map_err(|e| e.to_string())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
}

/// Reads and parses a snapshot (without validating it).
fn read_snapshot(path: &Path) -> Result<Snapshot, Vec<rota::model::FieldError>> {
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
    Snapshot::from_json(&text).map_err(|e: LoadError| e.field_errors())
}

/// Reads and validates a snapshot; every problem comes back as a field error.
fn load(path: &Path) -> Result<Model, Vec<rota::model::FieldError>> {
    read_snapshot(path).and_then(|s| Model::new(s).map_err(|e: LoadError| e.field_errors()))
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
            // One mistake (an empty staff list) can break every line that names a person: the
            // first hundred say what is wrong, the JSON report lists them all.
            for e in errors.iter().take(MAX_PRINTED_ERRORS) {
                eprintln!("  {e}");
            }
            if errors.len() > MAX_PRINTED_ERRORS {
                eprintln!(
                    "  … and {} more (--format json lists every one)",
                    errors.len() - MAX_PRINTED_ERRORS
                );
            }
        }
    }
}

/// Problems of an unusable snapshot printed as text; the rest are counted.
const MAX_PRINTED_ERRORS: usize = 100;

//! `Roster`: a shift-run facility rostered by optimisation over a stored or an inline snapshot,
//! the solver's progress streamed to the caller while it works.

use super::check::{precheck_source, resolve};
use super::convert::{
    assignment_to_proto, assignments_from_proto, violation_to_proto, violations_from_proto,
};
use super::error::ServiceError;
use super::pool::Cancel;
use super::proto as pb;
use super::proto::check_request::Source;
use super::{time_limit, within_deadline, State};
use crate::model::{FieldError, Id};
use crate::solve::facility::DemandWeights;
use crate::solve::problem::Evaluation;
use crate::solve::roster::{self as rostering, RosterError, RosterFigures, RosterTask};
use crate::solve::search::{Phase, Progress, SolveError, SolveOptions, SolveStatus};
use chrono::NaiveDate;
use std::time::{Duration, Instant};

/// Solver budget when the request names none, in seconds.
pub const DEFAULT_TIME_LIMIT_SECONDS: f64 = 60.0;

/// A `Roster` request as it travels to the pool, with the instant by which the caller's deadline
/// will have passed, when there is one.
#[derive(Debug)]
pub struct RosterJob {
    /// The request.
    pub request: pb::RosterRequest,
    /// The caller's deadline (or the server's cap); the solve stops by then.
    pub deadline: Option<Instant>,
}

/// The request's snapshot source, in the form every RPC shares.
fn source(request: &mut pb::RosterRequest) -> Option<Source> {
    request.source.take().map(|s| match s {
        pb::roster_request::Source::SnapshotId(id) => Source::SnapshotId(id),
        pb::roster_request::Source::Snapshot(s) => Source::Snapshot(s),
    })
}

/// The task the request asks for, or every problem with it. Whether the unit exists and runs
/// shifts, and whether the days lie in the horizon, is the library's to say, with the same field
/// names.
fn parse(request: &pb::RosterRequest) -> Result<RosterTask, ServiceError> {
    let mut problems: Vec<FieldError> = Vec::new();
    let mut push = |path: &str, reason: String| {
        problems.push(FieldError {
            path: path.into(),
            reason,
        })
    };
    for (k, unit) in request.units.iter().enumerate() {
        if unit.is_empty() {
            push(&format!("units[{k}]"), "is empty".into());
        }
    }
    let mut date = |text: &str, field: &str| {
        if text.is_empty() {
            return None;
        }
        match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                push(field, format!("{text:?} is not an ISO date (YYYY-MM-DD)"));
                None
            }
        }
    };
    let from = date(&request.from, "from");
    let to = date(&request.to, "to");
    let limit = time_limit(
        request.time_limit_seconds,
        DEFAULT_TIME_LIMIT_SECONDS,
        "time_limit_seconds",
    );
    let relative_gap = request.relative_gap.unwrap_or(0.0);
    if !(0.0..=1.0).contains(&relative_gap) {
        push("relative_gap", format!("{relative_gap} is not in [0, 1]"));
    }
    let defaults = DemandWeights::default();
    let weights = request
        .weights
        .as_ref()
        .map_or(defaults, |w| DemandWeights {
            under: w.under.unwrap_or(defaults.under),
            over: w.over.unwrap_or(defaults.over),
        });
    for (path, reason) in weights.problems("weights") {
        push(&path, reason);
    }
    match limit {
        Err(e) => {
            problems.push(e);
            Err(ServiceError::InvalidArgument(problems))
        }
        Ok(_) if !problems.is_empty() => Err(ServiceError::InvalidArgument(problems)),
        Ok(time_limit) => Ok(RosterTask {
            units: request.units.iter().map(Id::new).collect(),
            from,
            to,
            weights,
            options: SolveOptions {
                time_limit,
                relative_gap,
                seed: request.seed.max(1),
                max_iterations: request.max_iterations,
            },
        }),
    }
}

/// Checks done before the job is queued: a malformed request or an unknown id is answered at once.
pub fn precheck(state: &State, request: &pb::RosterRequest) -> Result<(), ServiceError> {
    match &request.source {
        None => precheck_source(state, None)?,
        Some(pb::roster_request::Source::SnapshotId(id)) => {
            precheck_source(state, Some(&Source::SnapshotId(id.clone())))?
        }
        Some(pb::roster_request::Source::Snapshot(_)) => {}
    }
    parse(request).map(|_| ())
}

/// Runs on the solve pool: load or convert, validate, roster, judge, convert. Every progress
/// report of the solver goes to `on_progress`; the solver's budget is the one asked for, cut to
/// what is left of the caller's deadline, and it stops at its next step once `cancel` trips.
pub fn roster(
    state: &State,
    job: RosterJob,
    cancel: &Cancel,
    on_progress: &mut dyn FnMut(pb::SolveProgress),
) -> Result<pb::RosterResult, ServiceError> {
    let RosterJob {
        mut request,
        deadline,
    } = job;
    let mut task = parse(&request)?;
    let (id, model) = resolve(state, source(&mut request), cancel)?;
    cancel.check()?;
    task.options.time_limit = within_deadline(task.options.time_limit, deadline)?;
    let rostered = rostering::roster(&model, &task, cancel.flag(), &mut |p| {
        on_progress(progress_to_proto(p))
    })
    .map_err(service_error)?;
    cancel.check()?;
    tracing::debug!(facilities = rostered.facilities.len(), "rostered");
    Ok(pb::RosterResult {
        snapshot_id: id,
        facilities: rostered
            .facilities
            .iter()
            .map(|f| to_proto(&f.figures(&model)))
            .collect(),
    })
}

/// The library's refusal as the RPC's. A roster the data do not admit is said in the library's
/// words, so a client prints what the local verb prints.
fn service_error(e: RosterError) -> ServiceError {
    match e {
        RosterError::Invalid { field, reason } => ServiceError::field(field, reason),
        RosterError::Solve {
            error: SolveError::NoRoster("cancelled"),
            ..
        } => ServiceError::Cancelled(super::pool::Cancelled),
        e @ RosterError::Solve {
            error: SolveError::Infeasible { .. } | SolveError::NoRoster(_),
            ..
        } => ServiceError::Unsatisfiable(e.to_string()),
        RosterError::Solve { error, .. } => ServiceError::Solver(error.to_string()),
        RosterError::Solver(e) => ServiceError::Solver(e.to_string()),
        RosterError::Reload(e) => ServiceError::Solver(e),
    }
}

/// The request of a roster, for a client.
pub fn request(source: pb::roster_request::Source, task: &RosterTask) -> pb::RosterRequest {
    pb::RosterRequest {
        source: Some(source),
        units: task.units.iter().map(ToString::to_string).collect(),
        from: task.from.map(|d| d.to_string()).unwrap_or_default(),
        to: task.to.map(|d| d.to_string()).unwrap_or_default(),
        time_limit_seconds: task.options.time_limit.as_secs_f64(),
        relative_gap: Some(task.options.relative_gap),
        seed: task.options.seed,
        max_iterations: task.options.max_iterations,
        weights: Some(pb::DemandWeights {
            under: Some(task.weights.under),
            over: Some(task.weights.over),
        }),
    }
}

/// A progress report as its proto message.
pub fn progress_to_proto(p: &Progress) -> pb::SolveProgress {
    pb::SolveProgress {
        phase: match p.phase {
            Phase::Bound => pb::SolvePhase::Bound,
            Phase::Construct => pb::SolvePhase::Construct,
            Phase::WholeModel => pb::SolvePhase::WholeModel,
            Phase::Improve => pb::SolvePhase::Improve,
        } as i32,
        elapsed_seconds: p.elapsed.as_secs_f64(),
        incumbent: p.incumbent,
        bound: p.bound,
        gap: p.gap(),
        iterations: p.iterations,
    }
}

/// A progress report back from its proto message (for the command line's progress bar); an
/// unknown phase reads as improving.
pub fn progress_from_proto(p: &pb::SolveProgress) -> Progress {
    Progress {
        phase: match pb::SolvePhase::try_from(p.phase) {
            Ok(pb::SolvePhase::Bound) => Phase::Bound,
            Ok(pb::SolvePhase::Construct) => Phase::Construct,
            Ok(pb::SolvePhase::WholeModel) => Phase::WholeModel,
            _ => Phase::Improve,
        },
        elapsed: Duration::try_from_secs_f64(p.elapsed_seconds).unwrap_or_default(),
        incumbent: p.incumbent,
        bound: p.bound,
        iterations: p.iterations,
    }
}

fn status_to_proto(s: SolveStatus) -> pb::SolveStatus {
    match s {
        SolveStatus::Optimal => pb::SolveStatus::Optimal,
        SolveStatus::GapReached => pb::SolveStatus::GapReached,
        SolveStatus::TimeLimit => pb::SolveStatus::TimeLimit,
        SolveStatus::IterationLimit => pb::SolveStatus::IterationLimit,
        SolveStatus::Cancelled => pb::SolveStatus::Cancelled,
    }
}

/// A facility's figures as their message.
pub fn to_proto(f: &RosterFigures) -> pb::FacilityResult {
    let t = &f.terms;
    pb::FacilityResult {
        unit: f.unit.to_string(),
        staff: f.staff.iter().map(ToString::to_string).collect(),
        entries: f.entries.iter().map(assignment_to_proto).collect(),
        shift_types: u32::try_from(f.shift_types).unwrap_or(u32::MAX),
        days: u32::try_from(f.days).unwrap_or(u32::MAX),
        terms: Some(pb::PenaltyTerms {
            under_cover: t.under_cover,
            over_cover: t.over_cover,
            on_requests: t.on_requests,
            off_requests: t.off_requests,
            changes: t.changes,
        }),
        penalty: t.total(),
        penalty_before: f.penalty_before,
        bound: f.bound,
        gap: f.gap,
        status: status_to_proto(f.status) as i32,
        seconds: f.seconds,
        iterations: f.iterations,
        violations: f.violations.iter().map(violation_to_proto).collect(),
        violations_already_published: u32::try_from(f.already_published).unwrap_or(u32::MAX),
    }
}

/// Every facility's figures back from the result message (for the command line as a client).
/// A malformed result is the server's fault; the problem is named with its path.
pub fn from_proto(r: &pb::RosterResult) -> Result<Vec<RosterFigures>, Vec<FieldError>> {
    r.facilities
        .iter()
        .enumerate()
        .map(|(k, f)| {
            facility_from_proto(f).map_err(|errors| {
                errors
                    .into_iter()
                    .map(|e| FieldError {
                        path: format!("facilities[{k}].{}", e.path),
                        reason: e.reason,
                    })
                    .collect()
            })
        })
        .collect()
}

/// One facility's figures back from its message.
pub fn facility_from_proto(r: &pb::FacilityResult) -> Result<RosterFigures, Vec<FieldError>> {
    let bad = |path: &str, reason: &str| {
        vec![FieldError {
            path: path.into(),
            reason: reason.into(),
        }]
    };
    let terms = r.terms.as_ref().ok_or_else(|| bad("terms", "is missing"))?;
    let status = match pb::SolveStatus::try_from(r.status) {
        Ok(pb::SolveStatus::Optimal) => SolveStatus::Optimal,
        Ok(pb::SolveStatus::GapReached) => SolveStatus::GapReached,
        Ok(pb::SolveStatus::TimeLimit) => SolveStatus::TimeLimit,
        Ok(pb::SolveStatus::IterationLimit) => SolveStatus::IterationLimit,
        Ok(pb::SolveStatus::Cancelled) => SolveStatus::Cancelled,
        Ok(pb::SolveStatus::Unspecified) | Err(_) => {
            return Err(bad("status", "is not a known solve status"))
        }
    };
    Ok(RosterFigures {
        unit: Id::new(&r.unit),
        staff: r.staff.iter().map(Id::new).collect(),
        entries: assignments_from_proto(&r.entries, "entries")?,
        shift_types: r.shift_types as usize,
        days: r.days as usize,
        terms: Evaluation {
            under_cover: terms.under_cover,
            over_cover: terms.over_cover,
            on_requests: terms.on_requests,
            off_requests: terms.off_requests,
            changes: terms.changes,
            breaches: Vec::new(),
        },
        penalty_before: r.penalty_before,
        bound: r.bound,
        gap: r.gap,
        status,
        seconds: r.seconds,
        iterations: r.iterations,
        violations: violations_from_proto(&r.violations, "violations")?,
        already_published: r.violations_already_published as usize,
    })
}

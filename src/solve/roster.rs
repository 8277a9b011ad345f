//! Rostering one shift-run facility end to end (施設の勤務表作成), the way the command line and the
//! gRPC `Roster` RPC both do it: build its [`ShiftProblem`](super::problem::ShiftProblem), solve
//! the whole horizon by the search or a window of days by one exact MILP, write the result back
//! into the snapshot, and let the checker judge it.
//!
//! The checker's verdict travels with the roster, so no caller can hand out a roster it has not
//! seen judged by the same rules as every other roster of the city.

use super::facility::{facility_problem_weighted, DemandWeights, FacilityError, FacilityPlan};
use super::milp::MipError;
use super::problem::Evaluation;
use super::search::{self, Phase, Progress, SolveError, SolveOptions, SolveStatus, Solved};
use crate::model::{Assignment as RosterEntry, Id, Model, Snapshot};
use crate::rules::{check, Violation};
use chrono::NaiveDate;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// What to roster.
#[derive(Clone, Debug)]
pub struct RosterTask {
    /// The shift-run unit.
    pub unit: Id,
    /// Re-roster only from this day, keeping the days before as they are.
    pub from: Option<NaiveDate>,
    /// Re-roster only up to this day (inclusive), keeping the days after as they are.
    pub to: Option<NaiveDate>,
    /// Prices of the demand terms.
    pub weights: DemandWeights,
    /// Time limit, gap, seed and iteration limit.
    pub options: SolveOptions,
}

/// A facility rostered and judged.
#[derive(Clone, Debug)]
pub struct FacilityRoster {
    /// The problem that was solved, with the way back to the snapshot.
    pub plan: FacilityPlan,
    /// The penalty of today's roster by the same terms.
    pub before: Evaluation,
    /// The new roster, its penalty, bound and status.
    pub solved: Solved,
    /// The unit's new entries, by staff then date (days outside a window exactly as before).
    pub entries: Vec<RosterEntry>,
    /// The snapshot with the facility's entries replaced by the new roster.
    pub snapshot: Snapshot,
    /// What the checker finds on the new snapshot for this unit and its staff.
    pub violations: Vec<Violation>,
}

/// What is reported of a facility roster: the same whether it was made here or on a server, so
/// the command line prints the same either way.
#[derive(Clone, Debug)]
pub struct RosterFigures {
    /// The unit rostered.
    pub unit: Id,
    /// The staff rostered: the unit's entries of exactly these people were replaced.
    pub staff: Vec<Id>,
    /// The unit's new entries, by staff then date.
    pub entries: Vec<RosterEntry>,
    /// Shift types the unit runs.
    pub shift_types: usize,
    /// Days of the horizon.
    pub days: usize,
    /// The new roster's penalty by term (no breaches: the roster is lawful).
    pub terms: Evaluation,
    /// Today's roster's penalty by the same terms.
    pub penalty_before: i64,
    /// Proven lower bound on the penalty, when one was computed.
    pub bound: Option<i64>,
    /// `(penalty − bound) / penalty`, when a bound is known.
    pub gap: Option<f64>,
    /// Why the solver stopped.
    pub status: SolveStatus,
    /// Seconds the solver ran.
    pub seconds: f64,
    /// Improvement steps done.
    pub iterations: u64,
    /// What the checker finds on the new snapshot for this unit and its staff.
    pub violations: Vec<Violation>,
}

impl FacilityRoster {
    /// The figures to report.
    pub fn figures(&self, model: &Model) -> RosterFigures {
        RosterFigures {
            unit: model.snapshot.organisation.units[self.plan.unit].id.clone(),
            staff: self.plan.staff_ids(model),
            entries: self.entries.clone(),
            shift_types: self.plan.shifts.len(),
            days: self.plan.problem.days,
            terms: self.solved.evaluation.clone(),
            penalty_before: self.before.total(),
            bound: self.solved.bound,
            gap: self.solved.gap(),
            status: self.solved.status,
            seconds: self.solved.elapsed.as_secs_f64(),
            iterations: self.solved.iterations,
            violations: self.violations.clone(),
        }
    }
}

/// Why a facility could not be rostered.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    /// A field of the task is wrong: `field` names it (`unit`, `from`, `to`, `weights.under`).
    #[error("{field}: {reason}")]
    Invalid {
        /// The task's field.
        field: String,
        /// Why.
        reason: String,
    },
    /// The solver found no lawful roster (a person's own limits contradict each other, or the
    /// time ran out first).
    #[error(transparent)]
    Solve(#[from] SolveError),
    /// HiGHS failed on the window.
    #[error(transparent)]
    Solver(#[from] MipError),
    /// The new roster does not load as a snapshot (a bug: the model only writes lawful entries).
    #[error("the new roster does not load: {0}")]
    Reload(String),
}

impl From<FacilityError> for RosterError {
    fn from(e: FacilityError) -> Self {
        let reason = match &e {
            FacilityError::UnknownUnit(id) => format!("no unit {id:?}"),
            FacilityError::NotShiftRun(id) => format!("{id:?} is not a shift-run facility"),
            FacilityError::NoStaff(id) => format!("nobody is posted to or rostered in {id:?}"),
        };
        RosterError::Invalid {
            field: "unit".into(),
            reason,
        }
    }
}

/// Rosters `task.unit` of `model` (see the module docs). `cancel` is polled between the search's
/// steps; `on_progress` hears about it (a window is one step: it hears once, at the end).
pub fn roster_facility(
    model: &Model,
    task: &RosterTask,
    cancel: &AtomicBool,
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<FacilityRoster, RosterError> {
    if let Some((field, reason)) = task.weights.problems("weights").into_iter().next() {
        return Err(RosterError::Invalid { field, reason });
    }
    let window = window(model, task.from, task.to)?;
    let plan = facility_problem_weighted(model, &task.unit, task.weights)?;
    let before = plan.problem.evaluate(&plan.current(model));
    let solved = match window {
        Some((first, last)) => solve_window(model, &plan, first, last, &task.options, on_progress)?,
        None => search::solve(&plan.problem, &task.options, cancel, on_progress)?,
    };
    let entries = match window {
        Some((first, last)) => plan.window_entries(model, &solved.assignment, first, last),
        None => plan.entries(model, &solved.assignment),
    };
    let snapshot = plan.apply_entries(model, entries.clone());
    let checked = snapshot
        .clone()
        .into_model()
        .map_err(|e| RosterError::Reload(e.to_string()))?;
    let report = check(&checked);
    let violations = plan
        .violations_in(model, &report)
        .into_iter()
        .cloned()
        .collect();
    Ok(FacilityRoster {
        plan,
        before,
        solved,
        entries,
        snapshot,
        violations,
    })
}

/// The day indices of the window, or `None` for the whole horizon.
fn window(
    model: &Model,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Option<(usize, usize)>, RosterError> {
    if from.is_none() && to.is_none() {
        return Ok(None);
    }
    let index = |date: Option<NaiveDate>, default: usize, field: &str| match date {
        None => Ok(default),
        Some(date) => model
            .days
            .iter()
            .position(|d| d.date == date)
            .ok_or_else(|| RosterError::Invalid {
                field: field.into(),
                reason: format!("{date} is outside the snapshot's horizon"),
            }),
    };
    let first = index(from, 0, "from")?;
    let last = index(to, model.n_days().saturating_sub(1), "to")?;
    if last < first {
        return Err(RosterError::Invalid {
            field: "to".into(),
            reason: format!(
                "{} is before from ({})",
                model.date(last),
                model.date(first)
            ),
        });
    }
    Ok(Some((first, last)))
}

/// One exact MILP over the window, the rest of the horizon held as it is.
fn solve_window(
    model: &Model,
    plan: &FacilityPlan,
    first: usize,
    last: usize,
    options: &SolveOptions,
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<Solved, RosterError> {
    let started = Instant::now();
    let (assignment, proven) =
        plan.reroster_window(model, first, last, options.time_limit, options.relative_gap)?;
    let evaluation = plan.problem.evaluate(&assignment);
    let exact = options.relative_gap == 0.0;
    let solved = Solved {
        // Only a proof at gap 0 makes the roster's own penalty a bound (over the window).
        bound: (proven && exact).then(|| evaluation.total()),
        assignment,
        status: match (proven, exact) {
            (true, true) => SolveStatus::Optimal,
            (true, false) => SolveStatus::GapReached,
            (false, _) => SolveStatus::TimeLimit,
        },
        elapsed: started.elapsed(),
        iterations: 1,
        evaluation,
    };
    on_progress(&Progress {
        phase: Phase::Improve,
        elapsed: solved.elapsed,
        incumbent: Some(solved.evaluation.total()),
        bound: solved.bound,
        iterations: 1,
    });
    Ok(solved)
}

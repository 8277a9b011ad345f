//! Rostering shift-run facilities end to end (施設の勤務表作成), the way the command line, the
//! gRPC `Roster` RPC and the demo all do it: build each facility's
//! [`ShiftProblem`](super::problem::ShiftProblem), solve the whole horizon by the search or a
//! window of days by one exact MILP, write the results back into the snapshot, and let the
//! checker judge them once.
//!
//! Several facilities (or the whole city) decompose by the staff they share: facilities with no
//! one in common are solved side by side, and facilities that share people are solved one after
//! another, each seeing what the ones before it gave those people, so the stitched roster never
//! books anyone twice. The checker's verdict travels with the roster, so no caller can hand out a
//! roster it has not seen judged by the same rules as every other roster of the city.

use super::facility::{
    facility_problem_weighted, replace_entries, DemandWeights, FacilityError, FacilityPlan,
};
use super::milp::{MipError, MipStatus};
use super::problem::{Evaluation, HardBreach};
use super::search::{self, Phase, Progress, SolveError, SolveOptions, SolveStatus, Solved};
use crate::model::{Assignment as RosterEntry, Id, Model, Snapshot};
use crate::rules::{check, Violation};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What to roster.
#[derive(Clone, Debug)]
pub struct RosterTask {
    /// The shift-run units; empty: every shift-run unit of the city.
    pub units: Vec<Id>,
    /// Re-roster only from this day, keeping the days before as they are.
    pub from: Option<NaiveDate>,
    /// Re-roster only up to this day (inclusive), keeping the days after as they are.
    pub to: Option<NaiveDate>,
    /// Prices of the demand terms.
    pub weights: DemandWeights,
    /// Time limit (for all the facilities together), gap, seed and iteration limit.
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
    /// What the checker finds on the new snapshot for this unit and its staff.
    pub violations: Vec<Violation>,
    /// How many of `violations` the published roster already had (same rule, person, unit and
    /// day): what the re-roster did not make, whether or not it could mend them.
    pub already_published: usize,
    /// Days re-rostered: the window's, or the whole horizon's.
    pub days: usize,
}

/// Facilities rostered together: each one's roster and verdict, and the snapshot with them all.
#[derive(Clone, Debug)]
pub struct Rostered {
    /// One per unit, in the task's order (the city's order for every unit).
    pub facilities: Vec<FacilityRoster>,
    /// The snapshot with every facility's entries replaced by its new roster.
    pub snapshot: Snapshot,
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
    /// Days re-rostered: the window's, or the whole horizon's.
    pub days: usize,
    /// The new roster's penalty by term (no breaches: the roster is lawful, except where a
    /// cancelled solve left today's roster standing as it was).
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
    /// How many of `violations` the published roster already had.
    pub already_published: usize,
}

impl FacilityRoster {
    /// The figures to report.
    pub fn figures(&self, model: &Model) -> RosterFigures {
        RosterFigures {
            unit: model.snapshot.organisation.units[self.plan.unit].id.clone(),
            staff: self.plan.staff_ids(model),
            entries: self.entries.clone(),
            shift_types: self.plan.shifts.len(),
            days: self.days,
            terms: self.solved.evaluation.clone(),
            penalty_before: self.before.total(),
            bound: self.solved.bound,
            gap: self.solved.gap(),
            status: self.solved.status,
            seconds: self.solved.elapsed.as_secs_f64(),
            iterations: self.solved.iterations,
            violations: self.violations.clone(),
            already_published: self.already_published,
        }
    }
}

/// Why the facilities could not be rostered.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    /// A field of the task is wrong: `field` names it (`units[0]`, `from`, `to`, `weights.under`).
    #[error("{field}: {reason}")]
    Invalid {
        /// The task's field.
        field: String,
        /// Why.
        reason: String,
    },
    /// The solver found no lawful roster for a unit (a person's own limits contradict each
    /// other, or the time ran out first while today's roster breaks a rule: a lawful one
    /// stands then, see [`roster`]).
    #[error("{unit}: {error}")]
    Solve {
        /// The unit.
        unit: Id,
        /// What the solver said.
        #[source]
        error: SolveError,
    },
    /// HiGHS failed on a window.
    #[error(transparent)]
    Solver(#[from] MipError),
    /// The new roster does not load as a snapshot (a bug: the model only writes lawful entries).
    #[error("the new roster does not load: {0}")]
    Reload(String),
}

fn facility_error(field: String, e: &FacilityError) -> RosterError {
    let reason = match e {
        FacilityError::UnknownUnit(id) => format!("no unit {id:?}"),
        FacilityError::NotShiftRun(id) => format!("{id:?} is not a shift-run facility"),
        FacilityError::NoStaff(id) => format!("nobody is posted to or rostered in {id:?}"),
        // The rule's field is the one at fault, not the unit named.
        FacilityError::RestBeyondADayOff { .. } => {
            return RosterError::Invalid {
                field: e.field().to_string(),
                reason: e.reason(),
            };
        }
    };
    RosterError::Invalid { field, reason }
}

/// A facility solved, before the checker has seen it.
struct Solution {
    plan: FacilityPlan,
    before: Evaluation,
    solved: Solved,
    entries: Vec<RosterEntry>,
    /// Today's roster stands: the unit's entries are the published ones.
    kept: bool,
}

/// Rosters the task's units of `model` (see the module docs). `cancel` is polled between the
/// search's steps; `on_progress` hears about the search, summed over the facilities (a window is
/// one step: it is heard once, at its end).
pub fn roster(
    model: &Model,
    task: &RosterTask,
    cancel: &AtomicBool,
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<Rostered, RosterError> {
    let started = Instant::now();
    if let Some((field, reason)) = task.weights.problems("weights").into_iter().next() {
        return Err(RosterError::Invalid { field, reason });
    }
    let window = window(model, task.from, task.to)?;
    let plans = plans(model, task)?;
    let groups = sharing_groups(&plans);
    let total_size: usize = plans.iter().map(size).sum::<usize>().max(1);
    // Groups run side by side on the pool's threads; a facility gets its share of the budget by
    // size, times the number of groups that can run at once, so the whole finishes in time.
    let slots = rayon::current_num_threads().min(groups.len()).max(1) as f64;
    let deadline = started + task.options.time_limit;
    let budget = |plan: &FacilityPlan| {
        let share = size(plan) as f64 / total_size as f64 * slots;
        let left = deadline.saturating_duration_since(Instant::now());
        task.options.time_limit.mul_f64(share.min(1.0)).min(left)
    };

    let (sender, reports) = mpsc::channel::<(usize, Progress)>();
    let mut solutions: Vec<Option<Result<Solution, RosterError>>> = Vec::new();
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            groups
                .par_iter()
                .map_with(sender, |sender, group| {
                    solve_group(model, task, window, &plans, group, &budget, cancel, sender)
                })
                .flatten()
                .collect::<Vec<(usize, Result<Solution, RosterError>)>>()
        });
        // Every worker's reports, summed over the facilities, until the last sender is gone.
        let mut latest: Vec<Option<Progress>> = vec![None; plans.len()];
        for (k, p) in reports {
            latest[k] = Some(p);
            on_progress(&summed(&latest, started));
        }
        solutions = (0..plans.len()).map(|_| None).collect();
        match worker.join() {
            Ok(done) => {
                for (k, result) in done {
                    solutions[k] = Some(result);
                }
            }
            Err(_) => {
                solutions[0] = Some(Err(RosterError::Reload("a roster solve panicked".into())));
            }
        }
    });

    // The first failure is the answer; a facility left unsolved behind it is no news.
    if let Some(k) = solutions.iter().position(|s| matches!(s, Some(Err(_)))) {
        if let Some(Some(Err(e))) = solutions.get_mut(k).map(Option::take) {
            return Err(e);
        }
    }
    let mut solved = Vec::with_capacity(plans.len());
    for solution in solutions {
        match solution {
            Some(Ok(s)) => solved.push(s),
            _ => return Err(RosterError::Reload("a facility was not solved".into())),
        }
    }
    let mut snapshot = model.snapshot.clone();
    for s in &solved {
        let unit = snapshot.organisation.units[s.plan.unit].id.clone();
        replace_entries(
            &mut snapshot,
            &unit,
            &s.plan.staff_ids(model),
            s.entries.clone(),
        );
    }
    let checked = snapshot
        .clone()
        .into_model()
        .map_err(|e| RosterError::Reload(e.to_string()))?;
    let report = check(&checked);
    let published: BTreeSet<_> = check(model).violations.iter().map(violation_key).collect();
    let days = window.map_or(model.n_days(), |(first, last)| last - first + 1);
    let facilities = solved
        .into_iter()
        .map(|s| {
            let violations: Vec<Violation> = (s.plan.violations_in(model, &report).into_iter())
                .cloned()
                .collect();
            let already_published = (violations.iter())
                .filter(|v| published.contains(&violation_key(v)))
                .count();
            (s, violations, already_published)
        })
        .map(|(s, violations, already_published)| FacilityRoster {
            violations,
            already_published,
            days,
            plan: s.plan,
            before: s.before,
            solved: s.solved,
            entries: s.entries,
        })
        .collect();
    Ok(Rostered {
        facilities,
        snapshot,
    })
}

/// What makes two findings of the checker the same: the rule, the person, the unit, the days,
/// the shift and the demand line (not the measure, which a re-roster may move).
type ViolationKey = (
    crate::rules::RuleId,
    Option<Id>,
    Option<Id>,
    NaiveDate,
    Option<NaiveDate>,
    Option<Id>,
    Option<u32>,
);

fn violation_key(v: &Violation) -> ViolationKey {
    (
        v.rule,
        v.staff.clone(),
        v.unit.clone(),
        v.date,
        v.end_date,
        v.shift.clone(),
        v.demand_entry,
    )
}

/// The facility plans of the task's units (every shift-run unit when it names none).
fn plans(model: &Model, task: &RosterTask) -> Result<Vec<FacilityPlan>, RosterError> {
    let units: Vec<(String, Id)> = if task.units.is_empty() {
        model
            .snapshot
            .organisation
            .units
            .iter()
            .filter(|u| u.shift_run)
            .map(|u| ("units".to_string(), u.id.clone()))
            .collect()
    } else {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for (k, unit) in task.units.iter().enumerate() {
            let field = format!("units[{k}]");
            if !seen.insert(unit) {
                return Err(RosterError::Invalid {
                    field,
                    reason: format!("{unit} is named twice"),
                });
            }
            out.push((field, unit.clone()));
        }
        out
    };
    let mut plans = Vec::with_capacity(units.len());
    for (field, unit) in &units {
        match facility_problem_weighted(model, unit, task.weights) {
            Ok(plan) => plans.push(plan),
            // Every unit of the city: those nobody works in have nothing to roster.
            Err(FacilityError::NoStaff(_)) if task.units.is_empty() => {}
            Err(e) => return Err(facility_error(field.clone(), &e)),
        }
    }
    if plans.is_empty() {
        return Err(RosterError::Invalid {
            field: "units".into(),
            reason: "the city has no shift-run unit with staff to roster".into(),
        });
    }
    Ok(plans)
}

/// Cells of a facility's problem: what its share of the time follows.
fn size(plan: &FacilityPlan) -> usize {
    plan.staff.len() * plan.problem.days * plan.shifts.len().max(1)
}

/// Groups of facilities (indices into `plans`) linked by staff they share, in the task's order.
fn sharing_groups(plans: &[FacilityPlan]) -> Vec<Vec<usize>> {
    let mut group_of: Vec<usize> = (0..plans.len()).collect();
    fn root(group_of: &mut [usize], mut k: usize) -> usize {
        while group_of[k] != k {
            group_of[k] = group_of[group_of[k]];
            k = group_of[k];
        }
        k
    }
    let mut first_facility: std::collections::HashMap<usize, usize> = Default::default();
    for (k, plan) in plans.iter().enumerate() {
        for &p in &plan.staff {
            match first_facility.get(&p) {
                Some(&other) => {
                    let (a, b) = (root(&mut group_of, other), root(&mut group_of, k));
                    group_of[a.max(b)] = a.min(b);
                }
                None => {
                    first_facility.insert(p, k);
                }
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut index_of_root: std::collections::HashMap<usize, usize> = Default::default();
    for k in 0..plans.len() {
        let r = root(&mut group_of, k);
        let g = *index_of_root.entry(r).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(k);
    }
    // The largest groups first, so the pool does not end on a long tail.
    groups.sort_by_key(|g| std::cmp::Reverse(g.iter().map(|&k| size(&plans[k])).sum::<usize>()));
    groups
}

/// Solves one group's facilities in turn, each on the snapshot as the ones before it left it.
#[allow(clippy::too_many_arguments)]
fn solve_group(
    model: &Model,
    task: &RosterTask,
    window: Option<(usize, usize)>,
    plans: &[FacilityPlan],
    group: &[usize],
    budget: &(dyn Fn(&FacilityPlan) -> Duration + Sync),
    cancel: &AtomicBool,
    sender: &mut mpsc::Sender<(usize, Progress)>,
) -> Vec<(usize, Result<Solution, RosterError>)> {
    let mut out = Vec::with_capacity(group.len());
    let mut current: Option<Model> = None;
    for (n, &k) in group.iter().enumerate() {
        let here = current.as_ref().unwrap_or(model);
        // Later facilities of the group see the earlier ones' rosters: rebuild the plan.
        let plan = if n == 0 {
            Ok(plans[k].clone())
        } else {
            let unit = &model.snapshot.organisation.units[plans[k].unit].id;
            facility_problem_weighted(here, unit, task.weights)
                .map_err(|e| facility_error("units".into(), &e))
        };
        let options = SolveOptions {
            time_limit: plans.get(k).map_or(Duration::ZERO, budget),
            ..task.options.clone()
        };
        let result = plan.and_then(|plan| {
            solve_one(here, plan, window, &options, cancel, &mut |p| {
                let _ = sender.send((k, p.clone()));
            })
        });
        let next = match (&result, n + 1 < group.len()) {
            // Today's roster stands: the next facility sees the snapshot as it is.
            (Ok(s), true) if s.kept => None,
            (Ok(s), true) => Some(
                s.plan
                    .apply_entries(here, s.entries.clone())
                    .into_model()
                    .map_err(|e| RosterError::Reload(e.to_string())),
            ),
            _ => None,
        };
        let failed = result.is_err();
        out.push((k, result));
        match next {
            Some(Ok(model)) => current = Some(model),
            Some(Err(e)) => {
                if let Some(&after) = group.get(n + 1) {
                    out.push((after, Err(e)));
                }
                break;
            }
            None if failed => break,
            None => {}
        }
    }
    out
}

/// One facility solved: the whole horizon by the search, or the window by one MILP.
fn solve_one(
    model: &Model,
    plan: FacilityPlan,
    window: Option<(usize, usize)>,
    options: &SolveOptions,
    cancel: &AtomicBool,
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<Solution, RosterError> {
    let started = Instant::now();
    let unit = model.snapshot.organisation.units[plan.unit].id.clone();
    let current = plan.current(model);
    let before = plan.problem.evaluate(&current);
    let lawful_today = before.breaches.is_empty();
    let solved = match window {
        Some((first, last)) => {
            solve_window(model, &plan, (first, last), options, cancel, on_progress)
        }
        None => search::solve(&plan.problem, options, cancel, on_progress),
    };
    // Stopped before a lawful roster of its own: today's roster stands, so that the other
    // facilities' rosters are not lost, where it keeps every rule or the caller cancelled (it
    // is then left as it was, and the checker counts its breaches as already published). Out
    // of time with today's breaking a rule, no roster is the answer: more time may give one.
    let cancelled = cancel.load(Ordering::Relaxed);
    let stood = matches!(solved, Err(SolveError::NoRoster(_))) && (lawful_today || cancelled);
    let solved = match solved {
        Err(SolveError::NoRoster(_)) if stood => {
            let elapsed = started.elapsed();
            on_progress(&Progress {
                phase: Phase::Improve,
                elapsed,
                incumbent: Some(before.total()),
                bound: None,
                iterations: 0,
            });
            Ok(Solved {
                assignment: current.clone(),
                evaluation: before.clone(),
                bound: None,
                status: if cancelled {
                    SolveStatus::Cancelled
                } else {
                    SolveStatus::TimeLimit
                },
                elapsed,
                iterations: 0,
            })
        }
        other => other,
    };
    let mut solved = solved.map_err(|error| RosterError::Solve {
        unit,
        error: in_snapshot_terms(&plan, error),
    })?;
    // A search from scratch given little time can end above today's roster; today's is kept
    // then, when it keeps every rule of the problem, so a re-roster never makes a unit worse.
    let kept = stood || (lawful_today && before.total() < solved.evaluation.total());
    if kept {
        solved.assignment = current;
        solved.evaluation = before.clone();
    }
    let entries = match window {
        _ if kept => plan.published_entries(model),
        Some((first, last)) => plan.window_entries(model, &solved.assignment, first, last),
        None => plan.entries(model, &solved.assignment),
    };
    Ok(Solution {
        plan,
        before,
        solved,
        entries,
        kept,
    })
}

/// The progress of all the facilities as one: penalties and bounds summed (once every facility
/// has one), steps summed, the time since the start.
fn summed(latest: &[Option<Progress>], started: Instant) -> Progress {
    let all = |f: &dyn Fn(&Progress) -> Option<i64>| -> Option<i64> {
        latest.iter().map(|p| p.as_ref().and_then(f)).sum()
    };
    Progress {
        phase: latest
            .iter()
            .flatten()
            .map(|p| p.phase)
            .min_by_key(|&p| p as u8)
            .unwrap_or(Phase::Bound),
        elapsed: started.elapsed(),
        incumbent: all(&|p| p.incumbent),
        bound: all(&|p| p.bound),
        iterations: latest.iter().flatten().map(|p| p.iterations).sum(),
    }
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

/// `error` with a person named by their index in the snapshot (`staff[67]`), not in the
/// facility's problem, so that the field path leads to them.
fn in_snapshot_terms(plan: &FacilityPlan, error: SolveError) -> SolveError {
    match error {
        SolveError::Infeasible { index, id, reason } => SolveError::Infeasible {
            index: plan.staff.get(index).copied().unwrap_or(index),
            id,
            reason,
        },
        other => other,
    }
}

/// One exact MILP over the window, the rest of the horizon held as it is. No lawful roster of
/// the window (today's breaks a rule, and HiGHS proved nothing in the window mends it, or found
/// nothing in its time) is an error, naming the first person whose rules cannot all hold.
fn solve_window(
    model: &Model,
    plan: &FacilityPlan,
    (first, last): (usize, usize),
    options: &SolveOptions,
    cancel: &AtomicBool,
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<Solved, SolveError> {
    let started = Instant::now();
    let (assignment, status) = plan.reroster_window(
        model,
        (first, last),
        options.time_limit,
        options.relative_gap,
        cancel,
    )?;
    let cancelled = cancel.load(Ordering::Relaxed);
    let evaluation = plan.problem.evaluate(&assignment);
    // HiGHS holds a rule already broken across the window's edge at its level, so only a rule
    // broken inside the window leaves it without a roster; that breach is the one to name.
    let inside = |b: &&HardBreach| b.day.is_some_and(|d| (first..=last).contains(&d));
    let failed = matches!(status, MipStatus::Infeasible | MipStatus::NoSolution);
    let breach = (evaluation.breaches.iter().find(inside))
        .or(evaluation.breaches.iter().find(|b| b.day.is_none()))
        .or(evaluation.breaches.first())
        .filter(|_| failed);
    if let Some(breach) = breach {
        return Err(match status {
            MipStatus::Infeasible => SolveError::Infeasible {
                index: breach.staff,
                id: plan.problem.staff[breach.staff].id.clone(),
                reason: format!(
                    "not in the window, with the days around it as they are; today's roster: {}{}",
                    breach.message,
                    breach
                        .day
                        .map_or(String::new(), |d| format!(" (from {})", model.date(d)))
                ),
            },
            _ if cancelled => SolveError::NoRoster("cancelled"),
            _ => SolveError::NoRoster("time limit"),
        });
    }
    let proven = status == MipStatus::Optimal;
    // Penalties are never negative: a roster at 0 is optimal whatever the gap asked for.
    let exact = options.relative_gap == 0.0 || evaluation.total() == 0;
    let solved = Solved {
        // Only a proof at gap 0 makes the roster's own penalty a bound (over the window).
        bound: (proven && exact).then(|| evaluation.total()),
        assignment,
        status: match (proven, exact) {
            (true, true) => SolveStatus::Optimal,
            (true, false) => SolveStatus::GapReached,
            (false, _) if cancelled => SolveStatus::Cancelled,
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

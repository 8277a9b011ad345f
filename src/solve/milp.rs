//! The integer programme of a [`ShiftProblem`], built with good_lp and solved by HiGHS, over a
//! *neighbourhood*: the cells (staff × day) marked free become variables, every other cell keeps
//! its value in the current assignment and enters the constraints as a constant. With every cell
//! free this is the whole model; with a few staff or a window of days free it is one step of the
//! large-neighbourhood search in [`super::search`].
//!
//! Variables: `x[i,d,t]` (staff i works shift t on day d) for free cells where i is available
//! and may take t; one binary per free weekend; per cover line touched by a variable, continuous
//! under/over slacks. Constraints, per staff member with a free cell:
//! - one shift a day: `Σ_t x[i,d,t] ≤ 1`, and exactly the fixed one on a fixed day;
//! - forbidden successions, aggregated: `x[i,d,s] + Σ_{t ∈ cannot_follow(s)} x[i,d+1,t] ≤ 1`,
//!   and those of one day only, pair by pair: `x[i,d,s] + x[i,d+1,t] ≤ 1`;
//! - per-type maxima and the minutes band over the horizon;
//! - at most `max` working days in any `max + 1` consecutive days;
//! - the forbidden patterns *off, s × work, off* (s < min work) and *work, s × off, work*
//!   (s < min off), both ends inside the horizon;
//! - weekends: `k[i,w] ≥ work(i,d)` for each day of the weekend and `Σ_w k[i,w] ≤ max`.
//!
//! Cover: `Σ_i x[i,d,t] − over + under = requirement`. A constraint that touches no free cell is
//! left out: the current assignment, which is lawful, already satisfies it.

use super::interrupt::{self, Stop};
use super::problem::{Assignment, Changes, RequestKind, ShiftProblem};
use good_lp::{highs, variable, Expression, ProblemVariables, SolverModel, Variable};
use highs::HighsModelStatus;
use std::collections::HashMap;
use std::time::Duration;

/// How HiGHS is run on one model.
#[derive(Clone, Debug)]
pub struct MipSettings<'a> {
    /// Wall-clock limit for this solve.
    pub time_limit: Duration,
    /// A limit on HiGHS's work instead of the clock, for a reproducible run: branch-and-bound
    /// nodes of a MIP, simplex iterations of a relaxation. The clock stops HiGHS wherever it
    /// happens to be, so that two runs of one model part; with this the time limit only guards
    /// the caller's deadline.
    pub work_limit: Option<u32>,
    /// Relative gap at which HiGHS may stop.
    pub relative_gap: f64,
    /// HiGHS threads. Keep it 1: HiGHS starts one scheduler per process with the first count it
    /// is given and fails every later solve that asks for another; rota parallelises by running
    /// several single-threaded solves instead.
    pub threads: u32,
    /// HiGHS random seed (fixed so the same model gives the same answer).
    pub seed: i32,
    /// Solve the linear relaxation instead (for a lower bound).
    pub relax: bool,
    /// Let HiGHS's presolve probe the binaries. On a cover (thousands of binaries in small
    /// packing rows, the answer found at the root) probing took nine tenths of the solve:
    /// 0.8 s of 0.9 s for five vacancies, 3.7 s of 4 s for forty absences.
    pub probing: bool,
    /// What ends the solve before its time limit (a cancellation, or the answer made moot).
    pub stop: Stop<'a>,
}

/// HiGHS's settings for a time limit, for the linear relaxation or not: how a solve hands its
/// settings (with its seed and its [`Stop`]) to the steps that run HiGHS.
pub type SettingsFor<'a> = dyn Fn(Duration, bool) -> MipSettings<'a> + Sync + 'a;

/// How a neighbourhood solve ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MipStatus {
    /// Proven optimal (within the gap asked for).
    Optimal,
    /// Stopped by the time limit, or interrupted by its [`Stop`], with a solution.
    TimeLimit,
    /// Stopped (by either) without any solution.
    NoSolution,
    /// No assignment of the free cells keeps every hard rule.
    Infeasible,
}

/// The outcome of a neighbourhood solve.
#[derive(Clone, Debug)]
pub struct MipOutcome {
    /// How it ended.
    pub status: MipStatus,
    /// The current assignment with the free cells replaced by the solver's values (unchanged
    /// without a solution).
    pub assignment: Assignment,
    /// HiGHS's lower bound on the neighbourhood's objective (the LP value when relaxed and
    /// solved to its optimum; minus infinity for an LP cut short).
    pub bound: f64,
    /// Wall-clock seconds HiGHS took.
    pub seconds: f64,
    /// The objective HiGHS reports for its solution (the neighbourhood's part of the penalty).
    pub objective: f64,
}

/// An error from HiGHS itself (not a property of the problem).
#[derive(Debug, thiserror::Error)]
#[error("HiGHS failed: {0}")]
pub struct MipError(pub String);

/// A variable with the value the current assignment gives it (the warm start).
struct Columns {
    vars: ProblemVariables,
    start: Vec<f64>,
    /// Column of each variable, in the order added.
    index: HashMap<Variable, usize>,
}

impl Columns {
    fn add(&mut self, binary: bool, relax: bool, start: f64) -> Variable {
        let def = if binary && !relax {
            variable().binary()
        } else if binary {
            variable().min(0).max(1)
        } else {
            variable().min(0)
        };
        self.start.push(start);
        let v = self.vars.add(def);
        self.index.insert(v, self.start.len() - 1);
        v
    }
}

/// A linear form over variables plus a constant, with its value at the warm start.
#[derive(Clone, Default)]
struct Affine {
    terms: Vec<(Variable, f64)>,
    constant: f64,
    /// The form's value when every variable takes its warm-start value.
    start: f64,
    /// Whether a cell held fixed (not free) contributes to it.
    fixed: bool,
}

impl Affine {
    fn add(&mut self, other: &Affine, factor: f64) {
        self.terms
            .extend(other.terms.iter().map(|&(v, c)| (v, c * factor)));
        self.constant += other.constant * factor;
        self.start += other.start * factor;
        self.fixed |= other.fixed;
    }
    /// Adds `factor · v` where `v` starts at `start`.
    fn push(&mut self, v: Variable, factor: f64, start: f64) {
        self.terms.push((v, factor));
        self.start += factor * start;
    }
    /// The value of a cell held fixed.
    fn fixed(value: f64) -> Affine {
        Affine {
            terms: Vec::new(),
            constant: value,
            start: value,
            fixed: true,
        }
    }
    fn has_vars(&self) -> bool {
        !self.terms.is_empty()
    }
    fn expression(&self) -> Expression {
        let mut e = Expression::from(self.constant);
        for &(v, c) in &self.terms {
            e.add_mul(c, v);
        }
        e
    }
}

/// Solves the neighbourhood `free[i][d]` of `current`. `current` must be lawful on the cells that
/// are not free, or the staff with fixed cells must have none free.
pub fn solve(
    problem: &ShiftProblem,
    available: &[Vec<bool>],
    current: &Assignment,
    free: &[Vec<bool>],
    settings: &MipSettings,
) -> Result<MipOutcome, MipError> {
    let days = problem.days;
    let n_shifts = problem.shifts.len();
    let mut cols = Columns {
        vars: ProblemVariables::new(),
        start: Vec::new(),
        index: HashMap::new(),
    };
    // x[i] is None for a staff member with no free cell; else [d][t].
    let mut x: Vec<Option<Grid>> = Vec::with_capacity(problem.staff.len());
    for (i, person) in problem.staff.iter().enumerate() {
        if !free[i].iter().any(|&f| f) {
            x.push(None);
            continue;
        }
        let barred: std::collections::HashSet<(usize, usize)> =
            person.forbidden.iter().copied().collect();
        let fixed = person.fixed_by_day(days, n_shifts);
        let mut grid = vec![vec![None; n_shifts]; days];
        for d in 0..days {
            if !free[i][d] || !available[i][d] {
                continue;
            }
            for (t, slot) in grid[d].iter_mut().enumerate() {
                let open = fixed[d].is_none_or(|f| f == t);
                if open && person.max_shifts[t] > 0 && !barred.contains(&(d, t)) {
                    let start = if current.cells[i][d] == Some(t) {
                        1.0
                    } else {
                        0.0
                    };
                    *slot = Some(cols.add(true, settings.relax, start));
                }
            }
        }
        x.push(Some(grid));
    }
    // The value of cell (i, d, t) as an affine form.
    let cell = |i: usize, d: usize, t: usize| -> Affine {
        let mut a = Affine::default();
        let variable = x[i].as_ref().filter(|_| free[i][d]).map(|grid| grid[d][t]);
        let now = if current.cells[i][d] == Some(t) {
            1.0
        } else {
            0.0
        };
        match variable {
            Some(Some(v)) => a.push(v, 1.0, now),
            Some(None) => {}
            None => a = Affine::fixed(now),
        }
        a
    };
    let work = |i: usize, d: usize| -> Affine {
        let mut a = Affine::default();
        if free[i][d] {
            for t in 0..n_shifts {
                a.add(&cell(i, d, t), 1.0);
            }
        } else {
            a = Affine::fixed(if current.cells[i][d].is_some() {
                1.0
            } else {
                0.0
            });
        }
        a
    };

    let longest = (problem.shifts.iter())
        .map(|s| s.minutes as u64)
        .max()
        .unwrap_or(0);
    let mut rows: Vec<(Affine, f64)> = Vec::new(); // affine ≤ rhs
    let mut objective = Affine::default();
    let mut weekend_vars: Vec<(Variable, f64, Vec<Affine>)> = Vec::new();
    for (i, person) in problem.staff.iter().enumerate() {
        if x[i].is_none() {
            continue;
        }
        let works: Vec<Affine> = (0..days).map(|d| work(i, d)).collect();
        let touches = |from: usize, to: usize| (from..to.min(days)).any(|d| free[i][d]);
        for (d, w) in works.iter().enumerate() {
            if free[i][d] && w.terms.len() > 1 {
                rows.push((w.clone(), 1.0));
            }
        }
        // A fixed cell is worked: −x ≤ −1 (with no variable for it, HiGHS finds the row
        // infeasible, as it should).
        for &(d, t) in &person.fixed {
            if d < days && free[i][d] {
                let mut row = Affine::default();
                row.add(&cell(i, d, t), -1.0);
                rows.push((row, -1.0));
            }
        }
        for d in 0..days.saturating_sub(1) {
            if !touches(d, d + 2) {
                continue;
            }
            for (s, shift) in problem.shifts.iter().enumerate() {
                if shift.cannot_follow.is_empty() {
                    continue;
                }
                let mut row = cell(i, d, s);
                if !row.has_vars() && row.constant == 0.0 {
                    continue;
                }
                for &t in &shift.cannot_follow {
                    row.add(&cell(i, d + 1, t), 1.0);
                }
                if row.has_vars() {
                    rows.push((row, 1.0));
                }
            }
        }
        for &(d, s, t) in &person.forbidden_pairs {
            if d + 1 >= days || !touches(d, d + 2) {
                continue;
            }
            let mut row = cell(i, d, s);
            if !row.has_vars() && row.constant == 0.0 {
                continue;
            }
            row.add(&cell(i, d + 1, t), 1.0);
            if row.has_vars() {
                rows.push((row, 1.0));
            }
        }
        // A limit no row can reach is left out: it only slows HiGHS (a cover's unbounded
        // minutes, 2e9, made presolve take most of a second on five vacancies).
        let mut minutes = Affine::default();
        for t in 0..n_shifts {
            let mut count = Affine::default();
            for d in 0..days {
                count.add(&cell(i, d, t), 1.0);
            }
            minutes.add(&count, problem.shifts[t].minutes as f64);
            if count.has_vars() && (person.max_shifts[t] as usize) < days {
                rows.push((count, person.max_shifts[t] as f64));
            }
        }
        // Someone free with no cell they may take still owes their least minutes: the rows go
        // in without variables, and HiGHS finds them infeasible rather than the row dropped.
        if minutes.has_vars() || !minutes.fixed {
            if (person.max_minutes as u64) < days as u64 * longest {
                rows.push((minutes.clone(), person.max_minutes as f64));
            }
            if person.min_minutes > 0 {
                let mut negated = Affine::default();
                negated.add(&minutes, -1.0);
                rows.push((negated, -(person.min_minutes as f64)));
            }
        }
        let max_run = person.max_consecutive_work as usize;
        if max_run < days {
            for d in 0..days - max_run {
                if touches(d, d + max_run + 1) {
                    let mut row = Affine::default();
                    for w in &works[d..=d + max_run] {
                        row.add(w, 1.0);
                    }
                    rows.push((row, max_run as f64));
                }
            }
        }
        for s in 1..person.min_consecutive_work as usize {
            for d in 0..days.saturating_sub(s + 1) {
                if touches(d, d + s + 2) {
                    // -w[d] + Σ w[d+1..=d+s] - w[d+s+1] ≤ s - 1
                    let mut row = Affine::default();
                    row.add(&works[d], -1.0);
                    for w in &works[d + 1..=d + s] {
                        row.add(w, 1.0);
                    }
                    row.add(&works[d + s + 1], -1.0);
                    rows.push((row, s as f64 - 1.0));
                }
            }
        }
        for s in 1..person.min_consecutive_off as usize {
            for d in 0..days.saturating_sub(s + 1) {
                if touches(d, d + s + 2) {
                    // w[d] - Σ w[d+1..=d+s] + w[d+s+1] ≤ 1
                    let mut row = Affine::default();
                    row.add(&works[d], 1.0);
                    for w in &works[d + 1..=d + s] {
                        row.add(w, -1.0);
                    }
                    row.add(&works[d + s + 1], 1.0);
                    rows.push((row, 1.0));
                }
            }
        }
        let mut weekends = Affine::default();
        for weekend in &problem.weekends {
            let day_works: Vec<Affine> = weekend.iter().map(|&d| works[d].clone()).collect();
            if day_works.iter().any(Affine::has_vars) {
                let worked_now = day_works.iter().any(|w| w.start > 0.5);
                let start = if worked_now { 1.0 } else { 0.0 };
                let k = cols.add(true, settings.relax, start);
                weekends.push(k, 1.0, start);
                weekend_vars.push((k, start, day_works));
            } else if day_works.iter().any(|w| w.constant > 0.0) {
                weekends.constant += 1.0;
                weekends.start += 1.0;
            }
        }
        if weekends.has_vars() {
            rows.push((weekends, person.max_weekends as f64));
        }
    }
    for (k, start, day_works) in weekend_vars {
        for w in day_works
            .into_iter()
            .filter(|w| w.has_vars() || w.constant > 0.0)
        {
            let mut row = w;
            row.push(k, -1.0, start);
            rows.push((row, 0.0));
        }
    }

    let mut cover_rows: Vec<(Affine, f64)> = Vec::new(); // affine = rhs
                                                         // Only lines on a day with a free cell can change; on long horizons with a small
                                                         // neighbourhood that is a few days of the year.
    let free_day: Vec<bool> = (0..days)
        .map(|d| (0..problem.staff.len()).any(|i| x[i].is_some() && free[i][d]))
        .collect();
    for cover in &problem.cover {
        if !free_day.get(cover.day).copied().unwrap_or(false) {
            continue;
        }
        let counted: Vec<usize> = match &cover.eligible {
            Some(staff) => staff.clone(),
            None => (0..problem.staff.len()).collect(),
        };
        let shifts = &cover.shifts;
        let mut staffed = Affine::default();
        for &i in &counted {
            for &t in shifts {
                staffed.add(&cell(i, cover.day, t), 1.0);
            }
        }
        if !staffed.has_vars() {
            continue;
        }
        let want = cover.requirement as f64;
        if let [(v, c)] = staffed.terms[..] {
            // One free cell on the line (always so when one person is rostered against the
            // rest): its penalty is linear in that cell, so it needs neither slacks nor a row.
            // That keeps the per-person models of long horizons small and quick.
            let fixed = staffed.constant;
            let price = |n: f64| {
                (want - n).max(0.0) * cover.under_weight as f64
                    + (n - want).max(0.0) * cover.over_weight as f64
            };
            objective.constant += price(fixed);
            objective.terms.push((v, price(fixed + c) - price(fixed)));
            continue;
        }
        let now = staffed.start;
        let under = cols.add(false, settings.relax, (want - now).max(0.0));
        let over = cols.add(false, settings.relax, (now - want).max(0.0));
        objective.terms.push((under, cover.under_weight as f64));
        objective.terms.push((over, cover.over_weight as f64));
        staffed.terms.push((under, 1.0));
        staffed.terms.push((over, -1.0));
        cover_rows.push((staffed, want));
    }
    for request in &problem.requests {
        let c = cell(request.staff, request.day, request.shift);
        let weight = request.weight as f64;
        match request.kind {
            RequestKind::On => {
                objective.add(&c, -weight);
                objective.constant += weight;
            }
            RequestKind::Off => objective.add(&c, weight),
        }
    }

    if let Some(changes) = &problem.changes {
        price_changes(changes, &x, free, &mut objective);
        {
            // Σₖ step · max(0, load − k) over k ≥ 1 is step · load(load − 1)/2, convex: one
            // continuous excess per k, pushed to its floor by the objective.
            for (i, grid) in x.iter().enumerate() {
                let step = changes.load_step.get(i).copied().unwrap_or(0) as f64;
                if grid.is_none() || step <= 0.0 {
                    continue;
                }
                let mut load = Affine::default();
                for d in 0..days {
                    let published = changes.published.cells[i][d];
                    for t in (0..n_shifts).filter(|&t| Some(t) != published) {
                        load.add(&cell(i, d, t), 1.0);
                    }
                }
                if !load.has_vars() {
                    continue;
                }
                let most = load.constant as usize + free[i].iter().filter(|&&f| f).count();
                if most < 2 {
                    continue;
                }
                // The load once, as a variable bounded below by its cells (the objective keeps it
                // down to them), so each excess row has two terms instead of every cell.
                let total = cols.add(false, settings.relax, load.start);
                let mut bound_below = load.clone();
                bound_below.push(total, -1.0, load.start);
                rows.push((bound_below, 0.0));
                for k in 1..most {
                    let start = (load.start - k as f64).max(0.0);
                    let excess = cols.add(false, settings.relax, start);
                    let mut row = Affine::default();
                    row.push(total, 1.0, load.start);
                    row.push(excess, -1.0, start);
                    rows.push((row, k as f64));
                    objective.push(excess, step, start);
                }
            }
        }
    }

    let start = std::mem::take(&mut cols.start);
    let mut coefficients = vec![0.0; start.len()];
    for (v, c) in &objective.terms {
        if let Some(&k) = cols.index.get(v) {
            coefficients[k] += c;
        }
    }
    let run = |warm: bool, time_limit: Duration| -> Result<highs::SolvedModel, MipError> {
        let settings = &MipSettings {
            time_limit,
            ..settings.clone()
        };
        let mut model = cols
            .vars
            .clone()
            .minimise(objective.expression())
            .using(highs);
        for (row, rhs) in &rows {
            // A rule already broken where held-fixed cells take part (a published roster is not
            // always lawful) is held at its present level: the plan may not make it worse, and
            // the warm start stays feasible. Rules over free cells only are kept as they are.
            let rhs = if row.fixed { rhs.max(row.start) } else { *rhs };
            model.add_constraint(row.expression().leq(rhs));
        }
        for (row, rhs) in &cover_rows {
            model.add_constraint(row.expression().eq(*rhs));
        }
        let mut highs_model = highs_model(model, settings)?;
        if warm && !settings.relax && !start.is_empty() {
            highs_model.set_solution(Some(&start), None, None, None);
        }
        interrupt::run(highs_model, settings.stop).map_err(|e| MipError(format!("{e:?}")))
    };
    let clock = std::time::Instant::now();
    let mut solved = run(true, settings.time_limit)?;
    // HiGHS can report the optimum of a MIP that presolve solves outright while handing back the
    // warm start as its solution. The objective tells: when the columns do not add up to it, the
    // model is solved again without the warm start.
    let feasible = |solved: &highs::SolvedModel| {
        solved
            .int_info_value(c"primal_solution_status")
            .unwrap_or(-1)
            == 2
    };
    if !settings.relax && feasible(&solved) {
        let columns = solved.get_solution();
        let value: f64 = columns
            .columns()
            .iter()
            .zip(&coefficients)
            .map(|(x, c)| x * c)
            .sum();
        let reported = solved.objective_value();
        if (value - reported).abs() > 1e-6 * reported.abs().max(1.0) {
            tracing::trace!(
                value,
                reported,
                "HiGHS handed back its start: solved again cold"
            );
            solved = run(false, settings.time_limit.saturating_sub(clock.elapsed()))?;
        }
    }
    tracing::trace!(
        columns = start.len(),
        rows = rows.len() + cover_rows.len(),
        seconds = clock.elapsed().as_secs_f64(),
        "MILP"
    );
    let status = solved.status();
    // The raw status is read because the bindings panic on HiGHS's "-1" (no status yet), e.g.
    // when the time limit strikes before the first solution. 2 is kSolutionStatusFeasible.
    let has_solution = feasible(&solved);
    // HiGHS is handed the objective without its constant (good_lp passes no offset), so both
    // the value and the bound are shifted back by it here.
    let offset = objective.constant;
    let objective_value = solved.objective_value() + offset;
    // An LP cut short has no bound in its objective (a primal simplex stops above the optimum).
    let bound = if settings.relax {
        if status == HighsModelStatus::Optimal {
            objective_value
        } else {
            f64::NEG_INFINITY
        }
    } else {
        solved
            .double_info_value(c"mip_dual_bound")
            .map_or(f64::NEG_INFINITY, |b| b + offset)
    };
    let status = match status {
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            MipStatus::Infeasible
        }
        HighsModelStatus::Optimal if has_solution => MipStatus::Optimal,
        HighsModelStatus::ModelEmpty => MipStatus::Optimal,
        _ if has_solution => MipStatus::TimeLimit,
        _ => MipStatus::NoSolution,
    };
    let mut assignment = current.clone();
    if matches!(status, MipStatus::Optimal | MipStatus::TimeLimit) && !settings.relax {
        let values = solved.get_solution();
        let columns = values.columns();
        let mut index = 0usize;
        // Columns were added staff by staff, day by day, shift by shift: read them in that order.
        for (i, grid) in x.iter().enumerate() {
            let Some(grid) = grid else { continue };
            for d in 0..days {
                if !free[i][d] {
                    continue;
                }
                assignment.cells[i][d] = None;
                for (t, v) in grid[d].iter().enumerate() {
                    if v.is_some() {
                        if columns.get(index).copied().unwrap_or(0.0) > 0.5 {
                            assignment.cells[i][d] = Some(t);
                        }
                        index += 1;
                    }
                }
            }
        }
    }
    Ok(MipOutcome {
        status,
        assignment,
        bound,
        seconds: clock.elapsed().as_secs_f64(),
        objective: objective_value,
    })
}

type Grid = Vec<Vec<Option<Variable>>>;

/// The HiGHS model behind `model`, quiet, with the time limit, gap, threads and seed of
/// `settings`.
pub(super) fn highs_model(
    model: good_lp::solvers::highs::HighsProblem,
    settings: &MipSettings,
) -> Result<highs::Model, MipError> {
    let mut highs_model = model
        .try_into_inner()
        .map_err(|e| MipError(e.to_string()))?;
    highs_model.make_quiet();
    let seconds = settings.time_limit.as_secs_f64().max(0.01);
    for (key, value) in [
        ("time_limit", seconds),
        ("mip_rel_gap", settings.relative_gap),
    ] {
        highs_model
            .try_set_option(key, value)
            .map_err(|e| MipError(format!("{key}: {e:?}")))?;
    }
    for (key, value) in [
        ("threads", settings.threads.max(1) as i32),
        ("random_seed", settings.seed),
    ] {
        highs_model
            .try_set_option(key, value)
            .map_err(|e| MipError(format!("{key}: {e:?}")))?;
    }
    if let Some(work) = settings.work_limit {
        let key = if settings.relax {
            "simplex_iteration_limit"
        } else {
            "mip_max_nodes"
        };
        let work = i32::try_from(work).unwrap_or(i32::MAX);
        highs_model
            .try_set_option(key, work)
            .map_err(|e| MipError(format!("{key}: {e:?}")))?;
    }
    // Probing (bit 15 of presolve_rule_off) off where asked.
    if !settings.probing {
        highs_model
            .try_set_option("presolve_rule_off", 1i32 << 15)
            .map_err(|e| MipError(format!("presolve_rule_off: {e:?}")))?;
    }
    Ok(highs_model)
}

/// Adds the price of departing from the published roster on the free cells.
fn price_changes(
    changes: &Changes,
    x: &[Option<Grid>],
    free: &[Vec<bool>],
    objective: &mut Affine,
) {
    for (i, grid) in x.iter().enumerate() {
        let Some(grid) = grid else { continue };
        let remove = changes.remove_cost[i] as f64;
        for (d, vars) in grid.iter().enumerate() {
            if !free[i][d] {
                continue;
            }
            let published = changes.published.cells[i][d];
            if published.is_some() {
                // remove · (1 − x[published]); with no such variable the shift is surely gone.
                objective.constant += remove;
            }
            for (t, v) in vars.iter().enumerate() {
                let Some(v) = v else { continue };
                if Some(t) == published {
                    objective.terms.push((*v, -remove));
                } else if published.is_none() {
                    let price = changes.add_cost[i][t] + changes.day_off_cost[i];
                    objective.terms.push((*v, price as f64));
                } else {
                    objective.terms.push((*v, changes.add_cost[i][t] as f64));
                }
            }
        }
    }
}

//! Whole rows (勤務行): a pool of them, column generation, and recombination. Every hard rule
//! belongs to one person, so a roster made of rows that were each lawful is itself lawful. The
//! pool keeps the distinct lawful rows the search meets per person (each exact step, worse or
//! better, rebuilds a few people); [`RowPool::generate`] adds the rows that the linear
//! relaxation of "one row per person" prices as profitable (列生成, column generation), and
//! [`RowPool::combine`] asks HiGHS for the best roster of pooled rows.
//!
//! A local optimum of the neighbourhoods can need several people to change at once in ways no
//! single neighbourhood frees. As a set-partitioning model over whole rows, the relaxation is far
//! tighter than the cell model's, where the run rules are weak: its prices point at those joint
//! changes, and the same rounds prove a lower bound close to the optimum.

use crate::solve::milp::{self, MipError, MipSettings, MipStatus};
use crate::solve::problem::{Assignment, Cover, Request, RequestKind, ShiftProblem};
use good_lp::{highs, variable, Expression, ProblemVariables, SolverModel, Variable};
use highs::HighsModelStatus;
use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The most cells the pool holds over all people; on a year of days and a hundred and fifty
/// people this still leaves a few dozen rows a person.
const POOL_CELLS: usize = 4_000_000;
/// The most rows kept per person.
const MAX_ROWS: usize = 300;
/// A day off in a stored row.
const OFF: u16 = u16::MAX;

/// One person's row, compactly: the shift index per day, or [`OFF`].
type Row = Box<[u16]>;

/// The distinct lawful rows met so far, per person, oldest first.
pub(super) struct RowPool<'a> {
    problem: &'a ShiftProblem,
    /// [`ShiftProblem::available`].
    available: &'a [Vec<bool>],
    /// Per person: their requests.
    wish: Vec<Vec<Wish>>,
    /// Per `day × shifts + shift`: the cover lines that count the cell.
    lines_at: Vec<Vec<usize>>,
    /// Per person: the cover lines that count them.
    lines_of: Vec<Vec<usize>>,
    rows: Vec<VecDeque<Row>>,
    seen: Vec<HashSet<Row>>,
    /// Rows kept per person before the oldest goes.
    cap: usize,
}

/// One request of a person: (day, shift, weight, kind).
type Wish = (usize, usize, i64, RequestKind);

impl<'a> RowPool<'a> {
    /// An empty pool sized for `problem`; `available` is [`ShiftProblem::available`].
    pub(super) fn new(problem: &'a ShiftProblem, available: &'a [Vec<bool>]) -> Self {
        let n = problem.staff.len();
        let cap = (POOL_CELLS / (n * problem.days).max(1)).clamp(2, MAX_ROWS);
        let mut wish = vec![Vec::new(); n];
        for r in &problem.requests {
            wish[r.staff].push((r.day, r.shift, r.weight, r.kind));
        }
        let n_shifts = problem.shifts.len();
        let mut lines_at = vec![Vec::new(); problem.days * n_shifts];
        let mut lines_of = vec![Vec::new(); n];
        for (c, cover) in problem.cover.iter().enumerate() {
            for &t in &cover.shifts {
                lines_at[cover.day * n_shifts + t].push(c);
            }
            // Each list ends up sorted by line and without repeats, for binary search.
            let count = |lines: &mut Vec<usize>| {
                if lines.last() != Some(&c) {
                    lines.push(c);
                }
            };
            match &cover.eligible {
                Some(staff) => staff.iter().for_each(|&i| count(&mut lines_of[i])),
                None => lines_of.iter_mut().for_each(count),
            }
        }
        RowPool {
            problem,
            available,
            wish,
            lines_at,
            lines_of,
            rows: vec![VecDeque::new(); n],
            seen: vec![HashSet::new(); n],
            cap,
        }
    }

    /// Adds the rows of `roster`, which must keep every person's rules.
    pub(super) fn harvest(&mut self, roster: &Assignment) {
        for (i, cells) in roster.cells.iter().enumerate() {
            self.insert(i, compact(cells));
        }
    }

    /// The best roster of one pooled row per person (each person's row in `current` is always a
    /// candidate, and the start HiGHS is given), or `None` when HiGHS found none in its time.
    pub(super) fn combine(
        &self,
        current: &Assignment,
        settings: &MipSettings,
    ) -> Result<Option<Assignment>, MipError> {
        Ok(self.master(current, settings, false)?.roster)
    }

    /// One round of column generation (列生成): solves the linear relaxation of the choice of
    /// rows, then asks each person for the row that the relaxation's prices of cover make
    /// cheapest (an exact HiGHS solve over that person alone) and adds those rows that would
    /// lower it. When every person's row was proven cheapest, the round also gives a lower bound
    /// on the whole problem's penalty (the relaxation's value plus each person's most negative
    /// reduced cost, a Lagrangian bound). People are priced on `threads` cores, each for at most
    /// `per_person` (a row cut short by it still joins the pool, but then there is no bound).
    pub(super) fn generate(
        &mut self,
        current: &Assignment,
        settings: &(dyn Fn(Duration, bool) -> MipSettings + Sync),
        deadline: Instant,
        threads: usize,
        per_person: Option<Duration>,
    ) -> Result<Generated, MipError> {
        let problem = self.problem;
        let mut outcome = Generated {
            added: 0,
            bound: None,
        };
        let left = deadline.saturating_duration_since(Instant::now());
        let lp = self.master(current, &settings(left, true), true)?;
        if lp.line_duals.is_empty() {
            return Ok(outcome);
        }
        // The duals reach HiGHS rounded to 1/SCALE: a row's true reduced cost is within half
        // of that per line counting the person of the one HiGHS minimised, so the proven
        // minimum is lowered by twice that, and by a hundredth for HiGHS's own tolerances.
        let slack: Vec<f64> = (self.lines_of.iter())
            .map(|lines| lines.len() as f64 / SCALE + 0.01)
            .collect();
        // People are priced on `threads` cores, each taking the next person not yet taken.
        let n = problem.staff.len();
        let next = AtomicUsize::new(0);
        let price_some = || -> Result<Vec<(usize, Option<Priced>)>, MipError> {
            let mut out = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let left = deadline.saturating_duration_since(Instant::now());
                if i >= n || left.is_zero() {
                    return Ok(out);
                }
                let limit = per_person.map_or(left, |cap| cap.min(left));
                let priced = self.price(current, &lp.line_duals, i, &settings(limit, false))?;
                out.push((i, priced));
            }
        };
        let mut priced: Vec<Option<Priced>> = vec![None; n];
        let mut done = 0;
        std::thread::scope(|scope| -> Result<(), MipError> {
            let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(price_some)).collect();
            let mut parts = vec![price_some()?];
            for helper in helpers {
                let part = helper
                    .join()
                    .map_err(|_| MipError("a pricing thread panicked".into()))?;
                parts.push(part?);
            }
            for (i, row) in parts.into_iter().flatten() {
                priced[i] = row;
                done += 1;
            }
            Ok(())
        })?;
        // In person order, so that the pool does not depend on which core priced whom.
        let mut bound = (done == n).then_some(lp.value);
        for (i, row) in priced.into_iter().enumerate() {
            let Some((row, cost, proven)) = row else {
                bound = None;
                continue;
            };
            let reduced = cost - lp.person_duals[i];
            bound = bound
                .filter(|_| proven)
                .map(|b| b + (reduced - slack[i]).min(0.0));
            if reduced < -1e-6 && self.insert(i, compact(&row)) {
                outcome.added += 1;
            }
        }
        outcome.bound = bound;
        Ok(outcome)
    }

    /// Adds `row` for person `i`; whether it was new.
    fn insert(&mut self, i: usize, row: Row) -> bool {
        if self.seen[i].contains(&row) {
            return false;
        }
        if self.rows[i].len() == self.cap {
            if let Some(old) = self.rows[i].pop_front() {
                self.seen[i].remove(&old);
            }
        }
        self.seen[i].insert(row.clone());
        self.rows[i].push_back(row);
        true
    }

    /// The choice of one row per person, as an integer programme or its relaxation.
    fn master(
        &self,
        current: &Assignment,
        settings: &MipSettings,
        relax: bool,
    ) -> Result<Master, MipError> {
        let problem = self.problem;
        let n_shifts = problem.shifts.len();
        let mut vars = ProblemVariables::new();
        let mut start: Vec<f64> = Vec::new();
        let mut objective = Expression::from(0.0);
        // Per person: the candidate rows, each with its variable.
        let mut choices: Vec<Vec<(Row, Variable)>> = Vec::with_capacity(current.cells.len());
        for (i, cells) in current.cells.iter().enumerate() {
            let now = compact(cells);
            let mut rows: Vec<Row> = vec![now.clone()];
            rows.extend(self.rows[i].iter().filter(|r| **r != now).cloned());
            let person: Vec<(Row, Variable)> = rows
                .into_iter()
                .enumerate()
                .map(|(k, row)| {
                    start.push(if k == 0 { 1.0 } else { 0.0 });
                    // No upper bound in the relaxation (one row per person implies it): a
                    // column held at a bound of its own would take prices the rows' duals miss.
                    let v = if relax {
                        vars.add(variable().min(0))
                    } else {
                        vars.add(variable().binary())
                    };
                    (row, v)
                })
                .collect();
            choices.push(person);
        }
        for (i, person) in choices.iter().enumerate() {
            for (row, v) in person {
                let price = row_wish(&self.wish[i], row);
                if price != 0 {
                    objective.add_mul(price as f64, *v);
                }
            }
        }
        let mut count: Vec<Expression> = vec![Expression::from(0.0); problem.cover.len()];
        let mut count_now = vec![0.0; problem.cover.len()];
        for (i, person) in choices.iter().enumerate() {
            for (k, (row, v)) in person.iter().enumerate() {
                for (d, &t) in row.iter().enumerate() {
                    if t == OFF {
                        continue;
                    }
                    for &c in &self.lines_at[d * n_shifts + t as usize] {
                        if self.lines_of[i].binary_search(&c).is_err() {
                            continue;
                        }
                        if k == 0 {
                            count_now[c] += 1.0;
                        }
                        count[c].add_mul(1.0, *v);
                    }
                }
            }
        }
        let mut constraints = Vec::new();
        for (c, cover) in problem.cover.iter().enumerate() {
            let want = cover.requirement as f64;
            start.push((want - count_now[c]).max(0.0));
            let under = vars.add(variable().min(0));
            start.push((count_now[c] - want).max(0.0));
            let over = vars.add(variable().min(0));
            objective.add_mul(cover.under_weight as f64, under);
            objective.add_mul(cover.over_weight as f64, over);
            let line = std::mem::take(&mut count[c]) + under - over;
            constraints.push(line.eq(want));
        }
        for person in &choices {
            let one: Expression = person.iter().map(|(_, v)| *v).sum();
            constraints.push(one.eq(1.0));
        }
        let mut model = vars.minimise(objective).using(highs);
        for c in constraints {
            model.add_constraint(c);
        }
        let mut highs_model = milp::highs_model(model, settings)?;
        if !relax {
            highs_model.set_solution(Some(&start), None, None, None);
        }
        let solved = highs_model
            .try_solve()
            .map_err(|e| MipError(format!("{e:?}")))?;
        let mut outcome = Master {
            roster: None,
            line_duals: Vec::new(),
            person_duals: Vec::new(),
            value: f64::NAN,
        };
        if relax {
            if solved.status() == HighsModelStatus::Optimal {
                let solution = solved.get_solution();
                let duals = solution.dual_rows();
                let lines = problem.cover.len();
                outcome.line_duals = duals[..lines].to_vec();
                outcome.person_duals = duals[lines..].to_vec();
                outcome.value = solved.objective_value();
            }
            return Ok(outcome);
        }
        // 2 is kSolutionStatusFeasible (see milp.rs on why the raw status is read).
        if solved
            .int_info_value(c"primal_solution_status")
            .unwrap_or(-1)
            != 2
        {
            return Ok(outcome);
        }
        let values = solved.get_solution();
        let columns = values.columns();
        let mut roster = current.clone();
        let mut index = 0usize;
        // Row variables were added person by person, row by row, before the slacks.
        for (i, person) in choices.iter().enumerate() {
            for (row, _) in person {
                if columns.get(index).copied().unwrap_or(0.0) > 0.5 {
                    roster.cells[i] = expand(row);
                }
                index += 1;
            }
        }
        outcome.roster = Some(roster);
        Ok(outcome)
    }

    /// Person `i`'s cheapest lawful row at the cover prices `duals`, with its price (requests less
    /// the duals of the lines it works) and whether HiGHS proved it cheapest, or `None` when HiGHS
    /// found none in its time.
    fn price(
        &self,
        current: &Assignment,
        duals: &[f64],
        i: usize,
        settings: &MipSettings,
    ) -> Result<Option<Priced>, MipError> {
        let problem = self.problem;
        let cover: Vec<Cover> = self.lines_of[i]
            .iter()
            .filter_map(|&c| {
                let line = &problem.cover[c];
                let weight = (duals[c] * SCALE).round() as i64;
                (weight != 0).then(|| Cover {
                    day: line.day,
                    shifts: line.shifts.clone(),
                    eligible: None,
                    requirement: u32::from(weight > 0),
                    under_weight: weight.max(0),
                    over_weight: (-weight).max(0),
                })
            })
            .collect();
        let requests: Vec<Request> = self.wish[i]
            .iter()
            .map(|&(day, shift, weight, kind)| Request {
                staff: 0,
                day,
                shift,
                weight: weight * SCALE as i64,
                kind,
            })
            .collect();
        let alone = ShiftProblem {
            days: problem.days,
            weekends: problem.weekends.clone(),
            shifts: problem.shifts.clone(),
            staff: vec![problem.staff[i].clone()],
            requests,
            cover,
            changes: None,
        };
        let start = Assignment {
            cells: vec![current.cells[i].clone()],
        };
        let free = vec![vec![true; problem.days]];
        let outcome = milp::solve(&alone, &self.available[i..=i], &start, &free, settings)?;
        if !matches!(outcome.status, MipStatus::Optimal | MipStatus::TimeLimit) {
            return Ok(None);
        }
        let Some(row) = outcome.assignment.cells.first().cloned() else {
            return Ok(None);
        };
        if !problem.person_breaches(i, &row).is_empty() {
            return Ok(None);
        }
        let mut cost = row_wish(&self.wish[i], &compact(&row)) as f64;
        for &c in &self.lines_of[i] {
            let line = &problem.cover[c];
            if row[line.day].is_some_and(|t| line.shifts.contains(&t)) {
                cost -= duals[c];
            }
        }
        Ok(Some((row, cost, outcome.status == MipStatus::Optimal)))
    }
}

/// What one round of column generation gave.
pub(super) struct Generated {
    /// Rows added to the pool.
    pub(super) added: usize,
    /// A lower bound on the whole problem's penalty, when every person was priced to optimality.
    pub(super) bound: Option<f64>,
}

/// What one solve of the choice of rows gives.
struct Master {
    /// The roster chosen (integer programme only).
    roster: Option<Assignment>,
    /// Per cover line, the price of one more person on it (relaxation only).
    line_duals: Vec<f64>,
    /// Per person, the price of their one row (relaxation only).
    person_duals: Vec<f64>,
    /// The relaxation's value.
    value: f64,
}

/// A person's cheapest row at given prices: the row, its price, and whether it was proven cheapest.
type Priced = (Vec<Option<usize>>, f64, bool);

/// Scale of the prices handed to a person's pricing problem, whose weights are integers.
const SCALE: f64 = 1000.0;

/// The request penalty of one row.
fn row_wish(wish: &[Wish], row: &[u16]) -> i64 {
    wish.iter()
        .map(|&(d, t, w, kind)| {
            let on_it = row[d] as usize == t;
            match kind {
                RequestKind::On if !on_it => w,
                RequestKind::Off if on_it => w,
                _ => 0,
            }
        })
        .sum()
}

fn compact(cells: &[Option<usize>]) -> Row {
    cells.iter().map(|c| c.map_or(OFF, |t| t as u16)).collect()
}

fn expand(row: &[u16]) -> Vec<Option<usize>> {
    row.iter()
        .map(|&t| (t != OFF).then_some(t as usize))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::small_problems::{problem, random_row};
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn settings(time_limit: Duration, relax: bool) -> MipSettings {
        MipSettings {
            time_limit,
            relative_gap: 0.0,
            threads: 1,
            seed: 1,
            relax,
        }
    }

    /// Up to `k` distinct lawful rows for person `i`, found by sampling.
    fn lawful_rows(
        rng: &mut ChaCha8Rng,
        problem: &ShiftProblem,
        i: usize,
        k: usize,
    ) -> Vec<Vec<Option<usize>>> {
        let mut rows: Vec<Vec<Option<usize>>> = Vec::new();
        for _ in 0..400 {
            let row = random_row(rng, problem);
            if problem.person_breaches(i, &row).is_empty() && !rows.contains(&row) {
                rows.push(row);
                if rows.len() == k {
                    break;
                }
            }
        }
        rows
    }

    #[test]
    fn combine_finds_the_best_choice_of_pooled_rows() {
        let mut choices_seen = 0;
        for seed in 0..150 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let problem = problem(&mut rng, true);
            let n = problem.staff.len();
            let current = Assignment::all_off(&problem);
            let available = problem.available();
            // Per person: the current row, then what the pool gets.
            let mut candidates: Vec<Vec<Vec<Option<usize>>>> =
                (0..n).map(|i| vec![current.cells[i].clone()]).collect();
            let mut pool = RowPool::new(&problem, &available);
            for (i, rows) in candidates.iter_mut().enumerate() {
                for row in lawful_rows(&mut rng, &problem, i, 3) {
                    // Each row arrives inside a lawful roster, as the search hands them over.
                    let mut roster = current.clone();
                    roster.cells[i] = row.clone();
                    pool.harvest(&roster);
                    if !rows.contains(&row) {
                        rows.push(row);
                    }
                }
            }
            choices_seen += candidates.iter().filter(|c| c.len() > 1).count();
            // Brute force over every choice of one candidate row per person.
            let mut best = i64::MAX;
            let mut pick = vec![0usize; n];
            loop {
                let roster = Assignment {
                    cells: (0..n).map(|i| candidates[i][pick[i]].clone()).collect(),
                };
                let eval = problem.evaluate(&roster);
                assert!(eval.breaches.is_empty(), "seed {seed}: {:?}", eval.breaches);
                best = best.min(eval.total());
                let Some(i) = (0..n).find(|&i| pick[i] + 1 < candidates[i].len()) else {
                    break;
                };
                pick[i] += 1;
                pick[..i].fill(0);
            }
            let combined = pool
                .combine(&current, &settings(Duration::from_secs(20), false))
                .expect("HiGHS runs")
                .expect("a choice");
            let eval = problem.evaluate(&combined);
            assert!(eval.breaches.is_empty(), "seed {seed}: {:?}", eval.breaches);
            assert_eq!(eval.total(), best, "seed {seed}");
        }
        assert!(
            choices_seen > 200,
            "only {choices_seen} people had a choice"
        );
    }

    #[test]
    fn column_generation_adds_lawful_rows_and_bounds_the_optimum() {
        let mut converged = 0;
        for seed in 0..60 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let problem = problem(&mut rng, seed % 2 == 0);
            let available = problem.available();
            let everyone = vec![vec![true; problem.days]; problem.staff.len()];
            let start = Assignment::all_off(&problem);
            let long = Duration::from_secs(20);
            let whole = milp::solve(
                &problem,
                &available,
                &start,
                &everyone,
                &settings(long, false),
            )
            .expect("HiGHS runs");
            if whole.status != MipStatus::Optimal {
                continue; // Some person's limits contradict each other.
            }
            let optimum = problem.evaluate(&whole.assignment).total();
            let cell_lp = milp::solve(
                &problem,
                &available,
                &start,
                &everyone,
                &settings(long, true),
            )
            .expect("HiGHS runs")
            .bound;
            // From a lawful roster that is not the optimum when one can be had cheaply.
            let current = if seed % 2 == 0 {
                start
            } else {
                whole.assignment.clone()
            };
            let mut pool = RowPool::new(&problem, &available);
            pool.harvest(&current);
            let mut last = None;
            for _ in 0..200 {
                let round = pool
                    .generate(
                        &current,
                        &settings,
                        Instant::now() + long,
                        1 + seed as usize % 2,
                        None,
                    )
                    .expect("HiGHS runs");
                if let Some(bound) = round.bound {
                    assert!(
                        bound <= optimum as f64 + 1e-6,
                        "seed {seed}: bound {bound} > {optimum}"
                    );
                }
                last = Some(round.bound);
                if round.added == 0 {
                    break;
                }
            }
            for (i, rows) in pool.rows.iter().enumerate() {
                for row in rows {
                    let row = expand(row);
                    assert!(
                        problem.person_breaches(i, &row).is_empty(),
                        "seed {seed}: {row:?}"
                    );
                }
            }
            // Converged, the rows' relaxation is at least as strong as the cells' (less the
            // margin the bound keeps for rounded prices and tolerances).
            if let Some(Some(bound)) = last {
                let n = problem.staff.len() as f64;
                let margin = n * (problem.cover.len() as f64 / SCALE + 0.01) + 1e-3;
                assert!(
                    bound >= cell_lp - margin,
                    "seed {seed}: {bound} < cell LP {cell_lp}"
                );
                converged += 1;
            }
            let combined = pool
                .combine(&current, &settings(long, false))
                .expect("HiGHS runs")
                .expect("a choice");
            let eval = problem.evaluate(&combined);
            assert!(eval.breaches.is_empty(), "seed {seed}: {:?}", eval.breaches);
            assert!(eval.total() >= optimum, "seed {seed}");
        }
        assert!(converged > 20, "only {converged} converged");
    }
}

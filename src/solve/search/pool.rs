//! Whole rows (勤務行): a pool of them, column generation, and recombination. Every hard rule
//! belongs to one person, so a roster made of rows that were each lawful is itself lawful. The
//! pool keeps the distinct lawful rows the search meets per person (each exact step, worse or
//! better, rebuilds a few people); [`RowPool::generate`] adds the rows that the linear
//! relaxation of "one row per person" prices as profitable (列生成, column generation; each
//! person priced by [`RowPricer`]), [`RowPool::dive`] fixes people to the rows the converged
//! relaxation leads with until everyone is fixed, and [`RowPool::combine`] asks HiGHS for the
//! best roster of pooled rows.
//!
//! A local optimum of the neighbourhoods can need several people to change at once in ways no
//! single neighbourhood frees. As a set-partitioning model over whole rows, the relaxation is far
//! tighter than the cell model's, where the run rules are weak: its prices point at those joint
//! changes, and the same rounds prove a lower bound close to the optimum.

mod branch;

use super::pricing::{Cheapest, RowPricer};
use super::relaxation::Relaxation;
use crate::solve::interrupt::{self, Stop};
use crate::solve::milp::{self, MipError, MipSettings, MipStatus, SettingsFor};
use crate::solve::problem::{Assignment, Cover, Request, RequestKind, ShiftProblem};
use good_lp::{highs, variable, Expression, ProblemVariables, SolverModel, Variable};
use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The most cells the pool holds over all people; on a year of days and a hundred and fifty
/// people this still leaves a few dozen rows a person.
const POOL_CELLS: usize = 4_000_000;
/// The most rows kept per person.
const MAX_ROWS: usize = 300;
/// The thresholds of successive dives ([`RowPool::dive`]): each lands elsewhere, and none is
/// best on every instance.
const DIVE_THRESHOLDS: [f64; 4] = [0.8, 0.6, 0.9, 0.7];
/// A dive step that raises the relaxation's value by more than this share of the value the dive
/// began at is taken back ([`RowPool::dive`]): on Curtois–Qu Instance 8 the steps that keep a
/// dive near its bound raise it by under 0.1 % each, and the one that costs a landing 100 points
/// by 2–4 %.
const DIVE_JUMP: f64 = 0.005;
/// The most steps one dive takes back.
const DIVE_BACKTRACKS: usize = 8;
/// A day off in a stored row.
const OFF: u16 = u16::MAX;

/// One person's row as the pool stores it: the shift index per day, or [`OFF`].
pub(super) type Row = Box<[u16]>;

/// How long and on how many cores a round of column generation may run.
pub(super) struct Budget<'s, 'm> {
    /// HiGHS's settings for a time limit, for a relaxation or not.
    pub(super) settings: &'s SettingsFor<'m>,
    pub(super) deadline: Instant,
    /// Set when the solve is cancelled (or, for branch and price, stopped): it ends at once.
    pub(super) cancel: &'s AtomicBool,
    /// Set when the other core has proven the whole problem optimal: nothing is left to find,
    /// so the call ends at once too.
    pub(super) settled: &'s AtomicBool,
    /// Cores pricing people at once.
    pub(super) threads: usize,
    /// Whether a second core is free right now: a call on one core then prices each round on
    /// two (the first call runs beside HiGHS's whole-model run, which often ends long before it).
    pub(super) lend: Option<&'s (dyn Fn() -> bool + Sync)>,
    /// The most HiGHS may take over one person's pricing (a row cut short by it still joins
    /// the pool, but then there is no bound).
    pub(super) per_person: Option<Duration>,
    /// Set once a round has bounded the whole problem at converged prices while branch and
    /// price can run ([`RowPool::can_branch`]): the sign that HiGHS's whole-model run may give
    /// its core to branch and price.
    pub(super) bounded: Option<&'s AtomicBool>,
}

impl Budget<'_, '_> {
    /// Whether the deadline has passed, or the solve was cancelled or settled.
    pub(super) fn over(&self) -> bool {
        Instant::now() >= self.deadline || self.stopped()
    }

    /// Whether the solve was cancelled or settled, whatever the clock says.
    pub(super) fn stopped(&self) -> bool {
        self.cancel.load(Ordering::Relaxed) || self.settled.load(Ordering::Relaxed)
    }
}

/// The distinct lawful rows met so far, per person, oldest first.
pub(super) struct RowPool<'a> {
    prices: Prices<'a>,
    rows: Vec<VecDeque<Row>>,
    seen: Vec<HashSet<Row>>,
    /// Per person: the row a dive has fixed them to, if any (see [`RowPool::dive`]).
    fixed: Vec<Option<Row>>,
    /// The relaxation of the choice of rows, kept from one round to the next within a call;
    /// built by the first round after [`RowPool::refresh`].
    relaxation: Option<Relaxation>,
    /// Dives made so far, which sets the next one's threshold.
    dives: usize,
    /// Rows kept per person before the oldest goes.
    cap: usize,
    /// Per person: the cells the node being visited by [`RowPool::branch`] holds them to or
    /// away from (empty outside it).
    held: Vec<Vec<branch::Held>>,
    /// The open nodes of [`RowPool::branch`], once it has begun.
    tree: Option<branch::Tree>,
    /// Whether [`RowPool::branch`] may run (not once a node's relaxation failed to be proven).
    branching: bool,
    /// The prices of the round with nobody fixed or held whose Lagrangian bound was highest:
    /// every roster below a penalty is made of rows within a margin of their person's
    /// cheapest at those prices ([`RowPool::rows_within_reach`]).
    bounding: Option<Bounding>,
}

/// What a pool hands another of the same problem ([`RowPool::seed`]).
pub(super) struct Seed {
    /// Per person, the rows held, oldest first.
    rows: Vec<Vec<Row>>,
    bounding: Option<Bounding>,
}

/// Prices of cover that bound the whole problem (see [`RowPool::rows_within_reach`]).
#[derive(Clone)]
struct Bounding {
    /// Per cover line: its price, within the slacks' prices.
    duals: Vec<f64>,
    /// Per person: no lawful row of theirs costs less than this at `duals`.
    least: Vec<f64>,
    /// The bound they give: Σ duals·wanted + Σ least.
    bound: f64,
}

impl Bounding {
    /// Whether `bound` is higher than this one by more than the relaxation's tolerances: a
    /// rounding's worth higher is the same bound, and other prices would list other rows
    /// within reach.
    fn raised_by(&self, bound: f64) -> bool {
        bound > self.bound + 1e-6 * (1.0 + self.bound.abs())
    }
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
            // A line naming a shift twice still counts a person on it once.
            for &t in &cover.shifts {
                let at = &mut lines_at[cover.day * n_shifts + t];
                if at.last() != Some(&c) {
                    at.push(c);
                }
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
        let pricers = (0..n)
            .map(|i| RowPricer::new(problem, i, &available[i]))
            .collect();
        RowPool {
            prices: Prices {
                problem,
                available,
                wish,
                lines_at,
                lines_of,
                pricers,
                gave_up: (0..n).map(|_| AtomicBool::new(false)).collect(),
            },
            rows: vec![VecDeque::new(); n],
            seen: vec![HashSet::new(); n],
            fixed: vec![None; n],
            relaxation: None,
            dives: 0,
            cap,
            held: vec![Vec::new(); n],
            tree: None,
            branching: true,
            bounding: None,
        }
    }

    /// What another pool of the same problem can start from ([`RowPool::adopt`]).
    pub(super) fn seed(&self) -> Seed {
        Seed {
            rows: (self.rows.iter())
                .map(|rows| rows.iter().cloned().collect())
                .collect(),
            bounding: self.bounding.clone(),
        }
    }

    /// Takes `seed`'s rows (from a pool of the same problem: lawful) and, where it bounds the
    /// problem higher, its prices.
    pub(super) fn adopt(&mut self, seed: Seed) {
        for (i, rows) in seed.rows.into_iter().enumerate().take(self.rows.len()) {
            for row in rows {
                self.insert(i, row);
            }
        }
        if let Some(bounding) = seed.bounding {
            if self
                .bounding
                .as_ref()
                .is_none_or(|b| b.raised_by(bounding.bound))
            {
                self.bounding = Some(bounding);
            }
        }
    }

    /// Adds the rows of `roster`, which must keep every person's rules.
    pub(super) fn harvest(&mut self, roster: &Assignment) {
        for (i, cells) in roster.cells.iter().enumerate() {
            self.insert(i, compact(cells));
        }
    }

    /// One round of column generation (列生成): solves the linear relaxation of the choice of
    /// rows, then asks each person for the row that the relaxation's prices of cover make
    /// cheapest (by [`RowPricer`], or an exact HiGHS solve over that person alone where the
    /// programme does not apply) and adds those rows that would lower it. When every person's
    /// row was proven cheapest, the round also gives a lower bound on the whole problem's
    /// penalty (a Lagrangian bound at those prices). People are priced within `budget`.
    pub(super) fn generate(
        &mut self,
        current: &Assignment,
        budget: &Budget<'_, '_>,
    ) -> Result<Generated, MipError> {
        let problem = self.prices.problem;
        let &Budget {
            settings,
            deadline,
            threads,
            per_person,
            ..
        } = budget;
        let mut outcome = Generated {
            value: f64::NAN,
            added: 0,
            bound: None,
            leading: Vec::new(),
            support: Vec::new(),
            by_solver: false,
            priced_all: false,
            proven: false,
        };
        let threads = match budget.lend {
            Some(free) if threads == 1 && free() => 2,
            _ => threads,
        };
        let left = deadline.saturating_duration_since(Instant::now());
        let lp_clock = Instant::now();
        let Some(mut lp) = self.relaxation(current).solve(&settings(left, true))? else {
            return Ok(outcome);
        };
        let lp_time = lp_clock.elapsed();
        let price_clock = Instant::now();
        // Within the slacks' prices, so that the bound below holds for the prices used even
        // where HiGHS's tolerances let a dual stray past them.
        for (dual, line) in lp.line_duals.iter_mut().zip(&problem.cover) {
            *dual = dual.clamp(-(line.over_weight as f64), line.under_weight as f64);
        }
        // People are priced on `threads` cores, each taking the next person not yet taken.
        let n = problem.staff.len();
        let next = AtomicUsize::new(0);
        let price_some = || -> Result<Vec<(usize, Option<Priced>)>, MipError> {
            let mut out = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let left = deadline.saturating_duration_since(Instant::now());
                if i >= n || left.is_zero() || budget.stopped() {
                    return Ok(out);
                }
                if self.fixed[i].is_some() {
                    continue;
                }
                let limit = per_person.map_or(left, |cap| cap.min(left));
                let dual = lp.person_duals[i];
                let held = &self.held[i];
                let priced = self.prices.price(
                    current,
                    &lp.line_duals,
                    dual,
                    (i, held, &self.seen[i]),
                    &settings(limit, false),
                )?;
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
        tracing::trace!(?lp_time, price_time = ?price_clock.elapsed(), "round");
        // For any prices π of cover within the slacks' prices, a lawful roster costs at least
        // Σ π·wanted plus, per person, the least any of their lawful rows costs at π (requests
        // less the π of the lines it works): the Lagrangian bound of relaxing cover.
        let wanted: f64 = (problem.cover.iter())
            .zip(&lp.line_duals)
            .map(|(line, dual)| dual * line.requirement as f64)
            .sum();
        // In person order, so that the pool does not depend on which core priced whom.
        let mut bound = (done == n).then_some(wanted);
        let open = (self.fixed.iter()).filter(|f| f.is_none()).count();
        outcome.priced_all = priced.iter().flatten().count() == open;
        outcome.proven = outcome.priced_all;
        let mut least = vec![f64::NEG_INFINITY; n];
        for (i, row) in priced.into_iter().enumerate() {
            let Some(priced) = row else {
                bound = None;
                continue;
            };
            least[i] = priced.margin.map_or(f64::NEG_INFINITY, |m| priced.cost - m);
            outcome.by_solver |= priced.by_solver;
            outcome.proven &= priced.margin.is_some();
            bound = bound
                .zip(priced.margin)
                .map(|(b, margin)| b + priced.cost - margin);
            let reduced = priced.cost - lp.person_duals[i];
            if let Some(row) = priced.row.filter(|_| reduced < -1e-6) {
                if self.insert(i, compact(&row)) {
                    outcome.added += 1;
                } else {
                    // Held already yet profitable: a row a dive left out, which hides whether
                    // any other row would be.
                    outcome.proven = false;
                }
            }
        }
        outcome.bound = bound;
        // Held or fixed people's cheapest rows are among those that keep the holds only. Any
        // prices bound the problem, but only those of a converged relaxation bound it tightly
        // enough for few rows to be within reach.
        let free = self.fixed.iter().all(Option::is_none) && self.held.iter().all(Vec::is_empty);
        let converged = free && outcome.added == 0 && outcome.proven;
        if let Some(bound) = bound.filter(|b| b.is_finite() && converged) {
            if self.bounding.as_ref().is_none_or(|b| b.raised_by(bound)) {
                self.bounding = Some(Bounding {
                    duals: lp.line_duals.clone(),
                    least,
                    bound,
                });
            }
            if let Some(bounded) = budget.bounded.filter(|_| self.can_branch()) {
                bounded.store(true, Ordering::Relaxed);
            }
        }
        outcome.leading = lp.leading;
        outcome.support = lp.support;
        outcome.value = lp.value;
        Ok(outcome)
    }

    /// Per person, every lawful row that a roster of penalty below `bar` could give them,
    /// or `None` when some person has more than `most` or no round has bounded the problem
    /// yet. At the best bounding prices π, a roster costs at least Σ π·wanted plus, per
    /// person, the price of their row (the slacks of cover cost at least nothing at prices
    /// within theirs); so below `bar` (penalties are whole) no person's row costs more than
    /// their cheapest plus `bar − 1 −` the bound. Reduced-cost row enumeration: where the
    /// bound is tight, few rows are left, and a choice among them settles the problem.
    /// Gives up (`None`) at `deadline`, or once `stop` is set, too.
    pub(super) fn rows_within_reach(
        &self,
        bar: i64,
        most: usize,
        deadline: Instant,
        stop: Stop<'_>,
    ) -> Option<Vec<Vec<Row>>> {
        let bounding = self.bounding.as_ref()?;
        let slack = (bar - 1) as f64 - bounding.bound;
        if slack < 0.0 {
            return Some(vec![Vec::new(); self.rows.len()]);
        }
        let mut rows = Vec::with_capacity(self.rows.len());
        for (i, pricer) in self.prices.pricers.iter().enumerate() {
            let pricer = pricer.as_ref()?;
            if Instant::now() >= deadline || stop.is_set() {
                return None;
            }
            let prices = self.prices.cell_prices(i, &bounding.duals);
            // A hair over, for the sums' rounding: a row too many costs nothing.
            let ceiling = bounding.least[i] + slack + 1e-6 * (1.0 + bounding.bound.abs());
            let found = pricer.rows_within(&prices, ceiling, most)?;
            rows.push(found.into_iter().map(|(row, _)| compact(&row)).collect());
        }
        Some(rows)
    }

    /// Whether any roster lies below `bar`, settled by a choice among the rows within reach
    /// of it ([`RowPool::rows_within_reach`]), at most `most` in all, and `current`'s rows:
    /// `None` when there are more, or no round has bounded the problem yet, or listing them
    /// and HiGHS's choice did not settle it within the settings' time limit. Otherwise `Some` of the best roster below `bar` (which is
    /// then optimal), or `Some(None)` when no roster lies below it.
    pub(super) fn settle(
        &self,
        current: &Assignment,
        bar: i64,
        most: usize,
        settings: &MipSettings,
    ) -> Result<Option<Option<Assignment>>, MipError> {
        let deadline = Instant::now() + settings.time_limit;
        let Some(rows) = self.rows_within_reach(bar, most, deadline, settings.stop) else {
            tracing::debug!(bar, "settle: too many rows within reach");
            return Ok(None);
        };
        let count: usize = rows.iter().map(Vec::len).sum();
        if count > most {
            tracing::debug!(bar, rows = count, "settle: too many rows within reach");
            return Ok(None);
        }
        if rows.iter().any(Vec::is_empty) {
            // Someone has no row that a roster below the bar could give them.
            return Ok(Some(None));
        }
        // Penalties are whole: a roster below the bar costs at most bar − 1.
        let cutoff = (bar - 1) as f64 + 0.5;
        // Listing and choosing share the time limit.
        let settings = MipSettings {
            time_limit: deadline.saturating_duration_since(Instant::now()),
            ..settings.clone()
        };
        let choice = self.choose(current, |i| rows[i].iter(), Some(cutoff), &settings)?;
        tracing::debug!(bar, rows = count, proven = choice.proven, "settle");
        if !choice.proven {
            return Ok(None);
        }
        // HiGHS proven with nothing under the cutoff hands back the start, or nothing.
        let problem = self.prices.problem;
        Ok(Some(choice.roster.filter(|roster| {
            let eval = problem.evaluate(roster);
            eval.breaches.is_empty() && eval.total() < bar
        })))
    }

    /// The highest bound a round of column generation with nobody fixed or held has proven.
    pub(super) fn bound(&self) -> Option<f64> {
        self.bounding.as_ref().map(|b| b.bound)
    }

    /// Drops the relaxation, so that the next round builds it again from the pool as it is
    /// (rows the pool has let go of leave it then).
    pub(super) fn refresh(&mut self) {
        self.relaxation = None;
    }

    /// The relaxation, built from `current`'s rows, the pool's, the dive's fixings and the
    /// branch's holds when there is none or HiGHS failed on the last one.
    fn relaxation(&mut self, current: &Assignment) -> &mut Relaxation {
        let kept = self.relaxation.take().filter(Relaxation::usable);
        let relaxation = kept.unwrap_or_else(|| {
            let mut relaxation = Relaxation::new(self.prices.problem);
            for (i, cells) in current.cells.iter().enumerate() {
                let now = compact(cells);
                let fixed = self.fixed[i].as_ref();
                for row in std::iter::once(&now).chain(&self.rows[i]).chain(fixed) {
                    let (cost, counted) = self.prices.column(i, row);
                    relaxation.add(i, row, cost, &counted);
                }
                if fixed.is_some() {
                    relaxation.fix(i, fixed);
                }
                let holds = &self.held[i];
                if !holds.is_empty() {
                    let off = self.prices.problem.shifts.len();
                    relaxation.hold(i, &|row| holds.iter().all(|h| h.keeps(row, off)));
                }
            }
            relaxation
        });
        self.relaxation.insert(relaxation)
    }

    /// Price and dive (潜り込み): column generation to the end, then each person whose leading
    /// row (the one the relaxation gives most weight) has weight at least a threshold, or is
    /// whole, is fixed to it, with the one person nearest whole; and again, until everybody is
    /// fixed. The relaxation over whole rows is tight, so the dive lands near its bound where
    /// the pool's rows alone may not combine well; a lower threshold dives faster and lands
    /// elsewhere, so successive dives take [`DIVE_THRESHOLDS`] in turn.
    ///
    /// A step after which the converged relaxation's value jumps ([`DIVE_JUMP`]), or passes
    /// what could still beat `bar` (penalties are whole), is taken back, and the rows it chose
    /// that were not whole are left out for the rest of the dive, up to [`DIVE_BACKTRACKS`]
    /// times. A dive whose relaxation, proven over every row it allows, can no longer beat
    /// `bar` and that cannot take its last step back stops with `None`. When the
    /// budget's deadline comes, or `rounds` rounds of column generation are spent, the rest are
    /// fixed to their leading rows as they stand. Returns the roster it lands on (lawful: every
    /// row is), or `None` when no relaxation was solved in time or it stopped. `tick` is called
    /// after every round (a dive takes seconds; the caller reports progress meanwhile).
    pub(super) fn dive(
        &mut self,
        current: &Assignment,
        bar: i64,
        budget: &Budget<'_, '_>,
        rounds: Option<usize>,
        tick: &mut dyn FnMut(),
    ) -> Result<Option<Assignment>, MipError> {
        let n = self.prices.problem.staff.len();
        let threshold = DIVE_THRESHOLDS[self.dives % DIVE_THRESHOLDS.len()];
        self.dives += 1;
        let mut rounds_left = rounds.unwrap_or(usize::MAX);
        // The last relaxation's leading rows: the rows of the people fixed since stay valid.
        let mut leading = Vec::new();
        let mut backtracks = DIVE_BACKTRACKS;
        let mut value = f64::NAN;
        // Whether `value` is the least over every row the dive allows (see `Generated::proven`).
        let mut proven = false;
        // The last step: the relaxation's value before it, the people it fixed, and those of
        // them fixed to a row the relaxation did not hold whole.
        let mut last_step: Option<(f64, Vec<usize>, Vec<usize>)> = None;
        let mut start_value = f64::NAN;
        let landed = loop {
            let mut out_of_time = true;
            while !budget.over() && rounds_left > 0 {
                rounds_left -= 1;
                let round = self.generate(current, budget)?;
                tick();
                if round.leading.len() == n {
                    leading = round.leading;
                    value = round.value;
                }
                if round.added == 0 {
                    // Unconverged (HiGHS out of time or failing): as out of time.
                    out_of_time = !round.priced_all;
                    proven = round.proven;
                    break;
                }
            }
            if leading.len() != n {
                break None;
            }
            if start_value.is_nan() {
                start_value = value;
            }
            tracing::trace!(
                value,
                fixed = self.fixed.iter().flatten().count(),
                rounds_left,
                out_of_time,
                "dive step"
            );
            // Converged and proven, the relaxation bounds every landing from here (after a
            // hundredth for its tolerances).
            let proven = proven && !out_of_time;
            let hopeless = proven && value > bar as f64 - 1.0 + 0.01;
            // A step that raised the relaxation's value far more than the steps before it, or
            // to where the landing cannot beat the bar, is taken back, and the rows it chose
            // without the relaxation holding them whole are left out for the rest of the dive
            // (a limited backtrack: without it, one such step costs a dive its landing).
            if let Some((before, people, chosen)) = last_step.take() {
                let jump = value - before > DIVE_JUMP * start_value.abs().max(1.0);
                if proven && backtracks > 0 && !chosen.is_empty() && (jump || hopeless) {
                    backtracks -= 1;
                    tracing::trace!(before, value, "dive backtrack");
                    for &i in &people {
                        let row = self.fixed[i].take();
                        if let Some(relaxation) = self.relaxation.as_mut() {
                            match row.filter(|_| chosen.contains(&i)) {
                                Some(row) => relaxation.forbid(i, &row),
                                None => relaxation.fix(i, None),
                            }
                        }
                    }
                    // The leading rows stay: should no round run again, everyone takes theirs
                    // (each lawful, if left out).
                    continue;
                }
            }
            if hopeless {
                // No landing from here beats `bar` (penalties are whole).
                break None;
            }
            let whole = |i: usize| leading[i].1 > 1.0 - 1e-6;
            let open: Vec<usize> = (0..n).filter(|&i| self.fixed[i].is_none()).collect();
            let nearest = (open.iter().copied())
                .filter(|&i| !whole(i))
                .max_by(|&a, &b| leading[a].1.total_cmp(&leading[b].1));
            // Out of time or rounds: the rest take their leading rows as they stand.
            let fix = |i: usize| {
                out_of_time || whole(i) || leading[i].1 >= threshold || Some(i) == nearest
            };
            let people: Vec<usize> = open.iter().copied().filter(|&i| fix(i)).collect();
            for &i in &people {
                let row = &leading[i].0;
                // A relaxation built again since has the row only if the pool still does.
                if let Some(relaxation) = self.relaxation.as_mut() {
                    let (cost, counted) = self.prices.column(i, row);
                    relaxation.add(i, row, cost, &counted);
                    relaxation.fix(i, Some(row));
                }
                self.fixed[i] = Some(row.clone());
            }
            if nearest.is_none() {
                let cells = (self.fixed.iter())
                    .map(|row| row.as_deref().map(expand).unwrap_or_default())
                    .collect();
                break Some(Assignment { cells });
            }
            let chosen = people.iter().copied().filter(|&i| !whole(i)).collect();
            last_step = Some((value, people, chosen));
        };
        self.fixed = vec![None; n];
        if let Some(relaxation) = self.relaxation.as_mut() {
            relaxation.allow_all();
            (0..n).for_each(|i| relaxation.fix(i, None));
        }
        Ok(landed)
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
        if let Some(relaxation) = self.relaxation.as_mut() {
            let (cost, counted) = self.prices.column(i, &row);
            relaxation.add(i, &row, cost, &counted);
        }
        self.seen[i].insert(row.clone());
        self.rows[i].push_back(row);
        true
    }

    /// The best roster of one pooled row per person as an integer programme (each person's row
    /// in `current` is always a candidate, and the start HiGHS is given), or `None` when HiGHS
    /// found none in its time.
    pub(super) fn combine(
        &self,
        current: &Assignment,
        settings: &MipSettings,
    ) -> Result<Option<Assignment>, MipError> {
        let choice = self.choose(current, |i| self.rows[i].iter(), None, settings)?;
        Ok(choice.roster)
    }

    /// The best roster of one row per person among `candidates(i)` and `current`'s own row,
    /// as an integer programme that HiGHS starts from `current`; with a `cutoff`, only rosters
    /// that cost less count.
    fn choose<'r, I: Iterator<Item = &'r Row>>(
        &self,
        current: &Assignment,
        candidates: impl Fn(usize) -> I,
        cutoff: Option<f64>,
        settings: &MipSettings,
    ) -> Result<Choice, MipError> {
        let problem = self.prices.problem;
        let mut vars = ProblemVariables::new();
        let mut start: Vec<f64> = Vec::new();
        // Each column's price, in the order the columns are added.
        let mut coefficients: Vec<f64> = Vec::new();
        let mut objective = Expression::from(0.0);
        let mut count: Vec<Expression> = vec![Expression::from(0.0); problem.cover.len()];
        let mut count_now = vec![0.0; problem.cover.len()];
        // Per person: the candidate rows, each with its variable; the current row first.
        let mut choices: Vec<Vec<(Row, Variable)>> = Vec::with_capacity(current.cells.len());
        for (i, cells) in current.cells.iter().enumerate() {
            let now = compact(cells);
            let rows: Vec<Row> = std::iter::once(now.clone())
                .chain(candidates(i).filter(|r| **r != now).cloned())
                .collect();
            let mut person = Vec::with_capacity(rows.len());
            for (k, row) in rows.into_iter().enumerate() {
                start.push(if k == 0 { 1.0 } else { 0.0 });
                let v = vars.add(variable().binary());
                let (price, counted) = self.prices.column(i, &row);
                coefficients.push(price);
                if price != 0.0 {
                    objective.add_mul(price, v);
                }
                for c in counted {
                    if k == 0 {
                        count_now[c] += 1.0;
                    }
                    count[c].add_mul(1.0, v);
                }
                person.push((row, v));
            }
            choices.push(person);
        }
        let mut constraints = Vec::new();
        for (c, cover) in problem.cover.iter().enumerate() {
            let want = cover.requirement as f64;
            start.push((want - count_now[c]).max(0.0));
            let under = vars.add(variable().min(0));
            start.push((count_now[c] - want).max(0.0));
            let over = vars.add(variable().min(0));
            coefficients.extend([cover.under_weight as f64, cover.over_weight as f64]);
            objective.add_mul(cover.under_weight as f64, under);
            objective.add_mul(cover.over_weight as f64, over);
            let line = std::mem::take(&mut count[c]) + under - over;
            constraints.push(line.eq(want));
        }
        for person in &choices {
            let one: Expression = person.iter().map(|(_, v)| *v).sum();
            constraints.push(one.eq(1.0));
        }
        // Proven infeasible under the cutoff: no roster of the candidates costs less.
        let mut below_none = false;
        let mut run = |warm: bool| -> Result<Option<highs::SolvedModel>, MipError> {
            let mut model = vars.clone().minimise(objective.clone()).using(highs);
            for c in &constraints {
                model.add_constraint(c.clone());
            }
            let mut highs_model = milp::highs_model(model, settings)?;
            if let Some(cutoff) = cutoff {
                highs_model
                    .try_set_option("objective_bound", cutoff)
                    .map_err(|e| MipError(format!("objective_bound: {e:?}")))?;
            }
            if warm {
                highs_model.set_solution(Some(&start), None, None, None);
            }
            // HiGHS's MIP solver has been seen to fail outright on a choice of rows (Instance
            // 9, with and without the start, with and without presolve); the choice is a
            // heuristic step, so its failure means no choice, not a failed solve.
            let solved = match interrupt::run(highs_model, settings.stop) {
                Ok(solved) => solved,
                Err(e) => {
                    tracing::debug!(error = ?e, "choice of rows failed");
                    return Ok(None);
                }
            };
            // 2 is kSolutionStatusFeasible (see milp.rs on why the raw status is read).
            let feasible = solved
                .int_info_value(c"primal_solution_status")
                .unwrap_or(-1)
                == 2;
            below_none |= !feasible && solved.status() == highs::HighsModelStatus::Infeasible;
            Ok(feasible.then_some(solved))
        };
        let Some(mut solved) = run(true)? else {
            return Ok(Choice {
                roster: None,
                proven: below_none,
            });
        };
        // As in `milp::solve`: HiGHS may report the optimum while handing back the start as its
        // solution; the objective of the columns tells, and the choice is made again cold.
        let value: f64 = (solved.get_solution().columns().iter())
            .zip(&coefficients)
            .map(|(x, c)| x * c)
            .sum();
        let reported = solved.objective_value();
        if (value - reported).abs() > 1e-6 * reported.abs().max(1.0) {
            match run(false)? {
                Some(cold) => solved = cold,
                None => {
                    return Ok(Choice {
                        roster: None,
                        proven: below_none,
                    })
                }
            }
        }
        let proven = solved.status() == highs::HighsModelStatus::Optimal;
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
        Ok(Choice {
            roster: Some(roster),
            proven,
        })
    }
}

/// What a choice of rows ([`RowPool::choose`]) gave.
struct Choice {
    /// The best roster HiGHS found, if any.
    roster: Option<Assignment>,
    /// Whether HiGHS proved it the best of the candidates.
    proven: bool,
}

/// What rows cost: each person's requests and the cover lines that count them, and the search
/// for a person's cheapest row at given prices of cover. Apart from the pool, so that people
/// are priced on several cores while the pool's HiGHS relaxation stays on one.
struct Prices<'a> {
    problem: &'a ShiftProblem,
    /// [`ShiftProblem::available`].
    available: &'a [Vec<bool>],
    /// Per person: their requests.
    wish: Vec<Vec<Wish>>,
    /// Per `day × shifts + shift`: the cover lines that count the cell.
    lines_at: Vec<Vec<usize>>,
    /// Per person: the cover lines that count them.
    lines_of: Vec<Vec<usize>>,
    /// Per person: the dynamic programme that prices them, where their rules allow one.
    pricers: Vec<Option<RowPricer>>,
    /// Per person: whether their programme gave up (too many labels) and HiGHS prices them.
    gave_up: Vec<AtomicBool>,
}

impl Prices<'_> {
    /// Person `i`'s `row` as a column of the choice of rows: its request penalty and the cover
    /// lines it counts on.
    fn column(&self, i: usize, row: &[u16]) -> (f64, Vec<usize>) {
        let n_shifts = self.problem.shifts.len();
        let mut counted = Vec::new();
        for (d, &t) in row.iter().enumerate() {
            if t == OFF {
                continue;
            }
            let lines = &self.lines_at[d * n_shifts + t as usize];
            counted.extend(
                (lines.iter().copied()).filter(|c| self.lines_of[i].binary_search(c).is_ok()),
            );
        }
        (row_wish(&self.wish[i], row) as f64, counted)
    }

    /// Person `i`'s cheapest lawful row that keeps `held` at the cover prices `duals`, with its
    /// price (requests less the duals of the lines it works) and how far below it the cheapest
    /// may lie, or `None` when none was found in the time (or cells are held and the programme
    /// does not apply). Or, where the exact programme is dear, a row below `person_dual` that
    /// is not among the `known` rows, with no margin (see [`RowPricer::cheap`]).
    fn price(
        &self,
        current: &Assignment,
        duals: &[f64],
        person_dual: f64,
        (i, held, known): (usize, &[branch::Held], &HashSet<Row>),
        settings: &MipSettings,
    ) -> Result<Option<Priced>, MipError> {
        let gave_up = self.gave_up[i].load(Ordering::Relaxed);
        if let Some(pricer) = self.pricers[i].as_ref() {
            // Only a row dearer than the person's own price in the relaxation is of no use
            // (every row the relaxation holds costs at least that), so the programme need not
            // look beyond it.
            let ceiling = person_dual;
            let mut prices = self.cell_prices(i, duals);
            self.forbid_cells(&mut prices, held);
            // Where the exact programme is dear, a beam's row that improves the relaxation
            // will do for this round; only when it finds none must the programme prove there
            // is none (a round's bound then waits for the rounds to converge).
            // After the exact programme gave up, the beam still spares most of HiGHS's solves.
            if gave_up || pricer.costly() {
                if let Cheapest::Row(row, _) = pricer.cheap(&prices, ceiling) {
                    let cost = self.row_price(i, &row, duals);
                    if cost < ceiling - 1e-6 * (1.0 + ceiling.abs())
                        && !known.contains(&compact(&row))
                    {
                        return Ok(Some(Priced {
                            row: Some(row),
                            cost,
                            margin: None,
                            by_solver: false,
                        }));
                    }
                }
            }
            let got = match gave_up {
                true => Cheapest::GaveUp,
                false => pricer.cheapest(&prices, ceiling),
            };
            // Exact but for the sums' rounding.
            let margin = |cost: f64| Some(1e-6 * (1.0 + cost.abs()));
            match got {
                Cheapest::Row(row, _) => {
                    let cost = self.row_price(i, &row, duals);
                    return Ok(Some(Priced {
                        row: Some(row),
                        cost,
                        margin: margin(cost),
                        by_solver: false,
                    }));
                }
                // Every lawful row costs more than the ceiling.
                Cheapest::Nothing => {
                    return Ok(Some(Priced {
                        row: None,
                        cost: ceiling,
                        margin: margin(ceiling),
                        by_solver: false,
                    }))
                }
                // Too many labels once is too many every time (a long horizon): the solver
                // prices this person from now on.
                Cheapest::GaveUp => self.gave_up[i].store(true, Ordering::Relaxed),
            }
        }
        if !held.is_empty() {
            return Ok(None);
        }
        self.price_by_highs(current, duals, i, settings)
    }

    /// Prices the cells `held` rules out (see [`RowPricer::cheapest`]) in `prices` (laid out as
    /// [`Prices::cell_prices`]).
    fn forbid_cells(&self, prices: &mut [f64], held: &[branch::Held]) {
        let width = self.problem.shifts.len() + 1;
        for h in held {
            for x in 0..width {
                if (x == h.x) != h.on {
                    if let Some(price) = prices.get_mut(h.day * width + x) {
                        *price = f64::INFINITY;
                    }
                }
            }
        }
    }

    /// Some lawful row of person `i` that keeps `held` (the one that best meets their
    /// requests): `Some(None)` when there is none, `None` when the programme cannot tell.
    fn lawful_row(&self, i: usize, held: &[branch::Held]) -> Option<Option<Row>> {
        let pricer = self.pricers[i].as_ref()?;
        let mut prices = self.cell_prices(i, &vec![0.0; self.problem.cover.len()]);
        self.forbid_cells(&mut prices, held);
        match pricer.cheapest(&prices, f64::INFINITY) {
            Cheapest::Row(row, _) => Some(Some(compact(&row))),
            Cheapest::Nothing => Some(None),
            Cheapest::GaveUp => {
                self.gave_up[i].store(true, Ordering::Relaxed);
                None
            }
        }
    }

    /// Per `day × (shifts + 1) + x`: the price of person `i` taking shift `x` that day (`x =
    /// shifts`: the day off) at the cover prices `duals`, for [`RowPricer`].
    fn cell_prices(&self, i: usize, duals: &[f64]) -> Vec<f64> {
        let n_shifts = self.problem.shifts.len();
        let width = n_shifts + 1;
        let mut prices = vec![0.0; self.problem.days * width];
        for &(d, t, weight, kind) in &self.wish[i] {
            let weight = weight as f64;
            match kind {
                RequestKind::Off => prices[d * width + t] += weight,
                RequestKind::On => (0..width)
                    .filter(|&x| x != t)
                    .for_each(|x| prices[d * width + x] += weight),
            }
        }
        for &c in &self.lines_of[i] {
            let line = &self.problem.cover[c];
            for (k, &t) in line.shifts.iter().enumerate() {
                // Once per shift, however often the line names it.
                if !line.shifts[..k].contains(&t) {
                    prices[line.day * width + t] -= duals[c];
                }
            }
        }
        prices
    }

    /// The price of person `i` working `row` at the cover prices `duals`: their requests less the
    /// duals of the lines it works.
    fn row_price(&self, i: usize, row: &[Option<usize>], duals: &[f64]) -> f64 {
        let (wish, counted) = self.column(i, &compact(row));
        wish - counted.iter().map(|&c| duals[c]).sum::<f64>()
    }

    /// [`RowPool::price`] by an exact HiGHS solve of the person alone, at the duals rounded to
    /// 1/[`SCALE`].
    fn price_by_highs(
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
        // HiGHS failing on one person (seen on a year of days with nothing to price) leaves them
        // unpriced this round, as running out of time does.
        let Ok(outcome) = milp::solve(&alone, &self.available[i..=i], &start, &free, settings)
        else {
            return Ok(None);
        };
        if !matches!(outcome.status, MipStatus::Optimal | MipStatus::TimeLimit) {
            return Ok(None);
        }
        let Some(row) = outcome.assignment.cells.first().cloned() else {
            return Ok(None);
        };
        if !problem.person_breaches(i, &row).is_empty() {
            return Ok(None);
        }
        let cost = self.row_price(i, &row, duals);
        // HiGHS saw the duals rounded to 1/SCALE: a row's true price is within half of that per
        // line counting the person of the one HiGHS minimised, so the cheapest may lie twice
        // that below, and a hundredth more for HiGHS's own tolerances.
        let margin = (outcome.status == MipStatus::Optimal)
            .then(|| self.lines_of[i].len() as f64 / SCALE + 0.01);
        Ok(Some(Priced {
            row: Some(row),
            cost,
            margin,
            by_solver: true,
        }))
    }
}

/// What one round of column generation gave.
pub(super) struct Generated {
    /// Rows added to the pool.
    pub(super) added: usize,
    /// A lower bound on the whole problem's penalty, when every person was priced to optimality.
    pub(super) bound: Option<f64>,
    /// Per person, the row the round's relaxation gives most weight and that weight (empty when
    /// HiGHS did not solve it).
    leading: Vec<(Row, f64)>,
    /// Per person, the rows the round's relaxation gives any weight, with it.
    support: Vec<Vec<(Row, f64)>>,
    /// Whether HiGHS priced anyone (far slower than the programme, too slow for a dive).
    pub(super) by_solver: bool,
    /// Whether the relaxation was solved and every person not fixed was priced: with nothing
    /// added, the relaxation is then solved over every lawful row.
    pub(super) priced_all: bool,
    /// Whether, with nothing added, the relaxation's value is also proven least over every
    /// lawful row a dive allows: every person priced exactly, and no profitable row left out.
    proven: bool,
    /// The relaxation's value (NaN when it was not solved).
    value: f64,
}

/// A person's cheapest row at given prices, as found.
#[derive(Clone)]
struct Priced {
    /// The row, or `None` when every lawful row was proven to cost more than `cost`.
    row: Option<Vec<Option<usize>>>,
    /// The row's price (requests less the prices of the cover lines it works), or the price
    /// every lawful row exceeds.
    cost: f64,
    /// How far below `cost` the cheapest row may lie, when that is proven; `None` when it is not.
    margin: Option<f64>,
    /// Whether HiGHS priced the person (the programme did not apply or gave up).
    by_solver: bool,
}

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
pub(super) mod tests {
    use super::super::small_problems::{problem, random_row};
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// Nothing in the tests cancels or settles a solve.
    static NEVER: AtomicBool = AtomicBool::new(false);

    /// A test's budget: until `deadline` on `threads` cores, never cancelled or settled, no
    /// core lent, no cap per person, nothing told when bounded.
    pub(super) fn budget(deadline: Instant, threads: usize) -> Budget<'static, 'static> {
        Budget {
            settings: &settings,
            deadline,
            cancel: &NEVER,
            settled: &NEVER,
            threads,
            lend: None,
            per_person: None,
            bounded: None,
        }
    }

    /// The whole cell model solved by HiGHS from everyone off, when proven optimal.
    pub(super) fn whole_optimum(
        problem: &ShiftProblem,
        available: &[Vec<bool>],
    ) -> Option<Assignment> {
        let everyone = vec![vec![true; problem.days]; problem.staff.len()];
        let start = Assignment::all_off(problem);
        let long = Duration::from_secs(20);
        let whole = milp::solve(
            problem,
            available,
            &start,
            &everyone,
            &settings(long, false),
        )
        .expect("HiGHS runs");
        (whole.status == MipStatus::Optimal).then_some(whole.assignment)
    }

    pub(super) fn settings(time_limit: Duration, relax: bool) -> MipSettings<'static> {
        MipSettings {
            time_limit,
            relative_gap: 0.0,
            threads: 1,
            seed: 1,
            relax,
            probing: true,
            work_limit: None,
            stop: crate::solve::interrupt::Stop::NEVER,
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
    fn settling_a_penalty_finds_the_optimum_below_it_or_proves_there_is_none() {
        let (mut found, mut none) = (0, 0);
        for seed in 0..40 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let problem = problem(&mut rng, seed % 2 == 0);
            let available = problem.available();
            let start = Assignment::all_off(&problem);
            let long = Duration::from_secs(20);
            let Some(whole) = whole_optimum(&problem, &available) else {
                continue; // Some person's limits contradict each other.
            };
            let optimum = problem.evaluate(&whole).total();
            let mut pool = RowPool::new(&problem, &available);
            // From the all-off roster, which keeps no least of work: the rows of a lawful one.
            let current = if problem.evaluate(&start).breaches.is_empty() {
                start
            } else {
                whole.clone()
            };
            pool.harvest(&current);
            let bounded = AtomicBool::new(false);
            let budget = Budget {
                bounded: Some(&bounded),
                ..budget(Instant::now() + long, 1)
            };
            // Not bounded yet: nothing can be settled.
            let unsettled = pool.settle(&current, optimum + 1, 100_000, &settings(long, false));
            assert!(matches!(unsettled, Ok(None)), "seed {seed}");
            for _ in 0..200 {
                if pool.generate(&current, &budget).expect("HiGHS runs").added == 0 {
                    break;
                }
            }
            // The whole-model run is told to give way exactly when branch and price can take
            // over from a bound.
            let told = bounded.load(Ordering::Relaxed);
            assert_eq!(
                told,
                pool.bound().is_some() && pool.can_branch(),
                "seed {seed}"
            );
            let Some(bound) = pool.bound() else {
                continue;
            };
            assert!(
                bound <= optimum as f64 + 1e-6,
                "seed {seed}: {bound} > {optimum}"
            );
            // Below the optimum nothing; above it, a roster at the optimum.
            for bar in [optimum, optimum + 1, optimum + 3] {
                let settled = pool
                    .settle(&current, bar, 100_000, &settings(long, false))
                    .expect("HiGHS runs");
                match settled {
                    Some(Some(roster)) => {
                        let eval = problem.evaluate(&roster);
                        assert!(eval.breaches.is_empty(), "seed {seed}: {:?}", eval.breaches);
                        assert_eq!(eval.total(), optimum, "seed {seed} bar {bar}");
                        assert!(bar > optimum);
                        found += 1;
                    }
                    Some(None) => {
                        assert!(
                            bar <= optimum,
                            "seed {seed}: nothing below {bar} > {optimum}"
                        );
                        none += 1;
                    }
                    None => {}
                }
            }
        }
        assert!(
            found > 20 && none > 10,
            "{found} found, {none} proven absent"
        );
    }

    #[test]
    fn column_generation_adds_lawful_rows_bounds_the_optimum_and_dives() {
        let mut converged = 0;
        let mut dives_optimal = 0;
        let mut held_dives_optimal = 0;
        let mut gave_up = 0;
        let mut adopted_same = 0;
        for seed in 0..60 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let problem = problem(&mut rng, seed % 2 == 0);
            let available = problem.available();
            let everyone = vec![vec![true; problem.days]; problem.staff.len()];
            let start = Assignment::all_off(&problem);
            let long = Duration::from_secs(20);
            let Some(whole) = whole_optimum(&problem, &available) else {
                continue; // Some person's limits contradict each other.
            };
            let optimum = problem.evaluate(&whole).total();
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
            let current = if seed % 2 == 0 { start } else { whole.clone() };
            let mut pool = RowPool::new(&problem, &available);
            // Every third problem prices by HiGHS alone, the way for rules the programme
            // does not take.
            if seed % 3 == 0 {
                pool.prices.pricers.iter_mut().for_each(|p| *p = None);
            }
            pool.harvest(&current);
            let mut last = None;
            let mut last_value = f64::NAN;
            for _ in 0..200 {
                let round = pool
                    .generate(
                        &current,
                        &budget(Instant::now() + long, 1 + seed as usize % 2),
                    )
                    .expect("HiGHS runs");
                if let Some(bound) = round.bound {
                    assert!(
                        bound <= optimum as f64 + 1e-6,
                        "seed {seed}: bound {bound} > {optimum}"
                    );
                }
                last = Some(round.bound);
                last_value = round.value;
                if round.added == 0 {
                    break;
                }
            }
            // One call's budget from here on: time to converge at every step.
            let budget = budget(Instant::now() + long, 1);
            // Adopted by another pool, as branch and price takes the search's rows, the rows
            // give the same relaxation from its first round (none was let go to the cap).
            if matches!(last, Some(Some(_))) && pool.rows.iter().all(|r| r.len() < pool.cap) {
                let mut adopted = RowPool::new(&problem, &available);
                adopted.adopt(pool.seed());
                assert_eq!(adopted.rows, pool.rows, "seed {seed}");
                assert_eq!(adopted.bound(), pool.bound(), "seed {seed}");
                let round = adopted.generate(&current, &budget).expect("HiGHS runs");
                assert!(
                    (round.value - last_value).abs() <= 1e-6 * (1.0 + last_value.abs()),
                    "seed {seed}: {} against {last_value}",
                    round.value
                );
                adopted_same += 1;
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
            // A dive, with time to converge at every step, lands on a lawful roster and
            // leaves nobody fixed behind it.
            pool.dives = seed as usize;
            let landed = pool
                .dive(&current, i64::MAX, &budget, None, &mut || {})
                .expect("HiGHS runs")
                .expect("a landing");
            let eval = problem.evaluate(&landed);
            assert!(eval.breaches.is_empty(), "seed {seed}: {:?}", eval.breaches);
            assert!(eval.total() >= optimum, "seed {seed}");
            assert!(pool.fixed.iter().all(Option::is_none), "seed {seed}");
            dives_optimal += usize::from(eval.total() == optimum);
            // Held to beating the optimum plus one, a dive backtracks from steps that raise
            // the relaxation past it and gives up once no landing can beat it; whatever it
            // lands on is still lawful, and every row it left out is allowed again after.
            pool.dives = seed as usize;
            let landed = pool
                .dive(&current, optimum + 1, &budget, None, &mut || {})
                .expect("HiGHS runs");
            if let Some(landed) = landed {
                let eval = problem.evaluate(&landed);
                assert!(eval.breaches.is_empty(), "seed {seed}: {:?}", eval.breaches);
                assert!(eval.total() >= optimum, "seed {seed}");
                held_dives_optimal += usize::from(eval.total() == optimum);
            }
            // Held to beating the optimum itself, a dive gives up as soon as its relaxation,
            // proven, shows that it cannot; whatever it lands on before that is no better.
            pool.dives = seed as usize;
            let hopeless = pool
                .dive(&current, optimum, &budget, None, &mut || {})
                .expect("HiGHS runs");
            match hopeless {
                Some(landed) => assert!(problem.evaluate(&landed).total() >= optimum),
                None => gave_up += 1,
            }
            assert!(pool.fixed.iter().all(Option::is_none), "seed {seed}");
            if let Some(relaxation) = pool.relaxation.as_ref() {
                assert!(relaxation.allows_all(), "seed {seed}");
            }
        }
        // Taking steps back does not cost landings (30 and 30 when written), and a dive that
        // cannot beat its bar stops (31 of 60 when written).
        assert!(
            held_dives_optimal >= 15,
            "only {held_dives_optimal} held dives landed on the optimum"
        );
        assert!(gave_up >= 10, "only {gave_up} hopeless dives gave up");
        assert!(converged > 20, "only {converged} converged");
        assert!(adopted_same > 20, "only {adopted_same} adopted the rows");
        // Over whole rows the relaxation is tight: on problems this small a dive mostly lands
        // on the optimum (30 times when written).
        assert!(
            dives_optimal >= 15,
            "only {dives_optimal} dives landed on the optimum"
        );
    }
}

//! The solver for a [`ShiftProblem`]: a lower bound from the linear relaxation, a lawful start
//! built one person at a time, then a MIP-based large-neighbourhood search (固定・再最適化):
//! free a few people over the whole horizon, or everyone over a window of days, re-optimise that
//! neighbourhood exactly with HiGHS ([`super::milp`]), keep the result when it is no worse, and
//! repeat until the roster is proven optimal, the gap is reached, the time is up or the caller
//! cancels.
//!
//! Every hard rule is per person, so freeing whole people never meets a constraint it cannot
//! satisfy; windows of days are re-optimised with the days outside held as constants. The size of
//! a neighbourhood adapts: it grows while HiGHS proves its neighbourhoods optimal quickly and
//! shrinks when it runs out of time.
//!
//! Plain code works between the exact steps ([`swap`]): after every step that changed some rows,
//! a descent trades blocks of days between those people and everyone else while that pays, and
//! when the steps stop improving, a simulated annealing over the same trades runs from the best
//! roster on the second core, beside one larger exact step. The exact steps are strong on cover,
//! the trades on requests, and each opens moves for the other.
//!
//! A share of the time goes to column generation over whole rows ([`pool`]), the first call as
//! soon as there is a roster: the search keeps the lawful rows it meets, adds the rows that the
//! relaxation of "one row per person" prices as profitable (each person priced by a labelling
//! programme, [`pricing`]), dives from the converged relaxation by fixing people to their leading
//! rows, and lets HiGHS pick the best roster of pooled rows. Once every person is priced
//! exactly, the same rounds prove a Lagrangian bound, far above the cell model's relaxation.
//!
//! Same input and options, same output, as long as the run is stopped by its iteration limit or by
//! proof; a run stopped by the clock depends on how many steps fit in the time. A run bounded by
//! its steps keeps the clock out of every choice: each HiGHS run is bounded by its work
//! (branch-and-bound nodes, simplex iterations) instead of a time limit, the second core's
//! relaxation and whole-model run are waited for before the first step, and neighbourhoods grow
//! on being closed, not on being closed quickly. It then gives the same roster whatever its time
//! limit, which only guards the caller's deadline.

mod construct;
mod pool;
mod pricing;
mod prover;
mod relaxation;
#[cfg(test)]
mod small_problems;
mod swap;

use super::interrupt::Stop;
use super::milp::{self, MipError, MipSettings, MipStatus, SettingsFor};
use super::problem::{Assignment, Evaluation, ProblemError, ShiftProblem};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Above this many x variables the whole linear relaxation is not attempted for a bound: on
/// synthetic year-long instances of 127 000 and 400 000 variables HiGHS did not solve it in
/// its tenth of a minute, while building it took 1.4 GB and the second core.
const RELAXATION_LIMIT: usize = 100_000;
/// Above this many x variables the whole integer programme is not tried at the start.
const WHOLE_MODEL_LIMIT: usize = 100_000;
/// Up to this many x variables a model is small: HiGHS gets more of the budget on it.
const SMALL_MODEL: usize = 1_000;
/// Variables a neighbourhood starts with; it adapts from there.
const INITIAL_NEIGHBOURHOOD: f64 = 300.0;
/// Rounds without improvement before one larger, longer round (with annealing beside it).
const STAGNATION_STEPS: u32 = 25;
/// Up to this many x variables the whole model is run again from the search's best roster; on
/// larger models the second core does more good searching neighbourhoods.
const RESTART_MODEL: usize = 2_000;
/// Least time left for the whole model to be run again from the search's best roster.
const RESTART_LEFT: Duration = Duration::from_secs(10);
/// How often progress is reported when nothing improves ("about once a second", as
/// [`Progress`] promises).
const REPORT_EVERY: Duration = Duration::from_secs(1);
/// In a run bounded by its steps, the branch-and-bound nodes one HiGHS run may take instead
/// of a time limit. A neighbourhood HiGHS closes within it grows, one it does not shrinks.
const REPRODUCIBLE_NODES: u32 = 200;
/// In a run bounded by its steps, the most variables a neighbourhood grows to (on a year-long
/// synthetic instance, HiGHS closed 2 000 in a tenth of a second and 3 300 in 2.7 s).
const REPRODUCIBLE_LARGEST: f64 = 2_000.0;
/// In a run bounded by its steps, the simplex iterations one linear relaxation may take.
const REPRODUCIBLE_PIVOTS: u32 = 1_000_000;
/// Passes of the plain-code builder over everyone once each row exists.
const PASSES: usize = 20;
/// Moves of one annealing run when the solve is bounded by its steps rather than the clock.
const ANNEAL_MOVES: u64 = 1_000_000;
/// Least and most share of the time the search spends on column generation and recombination.
const COLUMN_SHARE: (f64, f64) = (0.15, 0.6);
/// How much of the recent gains and times of each kind of step is kept from one round to the
/// next.
const RECENT_DECAY: f64 = 0.95;
/// Up to this many x variables the search also generates columns (whole rows) and recombines
/// them; above it, a person's pricing problem alone would take seconds.
const COLUMN_MODEL: usize = 20_000;
/// In a run bounded by its steps: column generation and recombination once every this many
/// steps after a call that improved the roster; each call that did not doubles the steps to the
/// next, up to [`COLUMN_EVERY_MOST`]. (A timed run weighs the calls' gains against their time
/// instead; a run bounded by its steps cannot read the clock, and on a six-week synthetic
/// instance spent half its time in calls of 30 s that gained nothing.)
const COLUMN_EVERY: u64 = 3;
/// In a run bounded by its steps: the most steps between calls of column generation.
const COLUMN_EVERY_MOST: u64 = 48;
/// In a run bounded by its steps: most rounds of column generation at a time.
const COLUMN_ROUNDS: usize = 10;
/// In a run bounded by its steps: most rounds of column generation in one dive.
const DIVE_ROUNDS: usize = 200;
/// The first call of column generation, made as soon as the search has a roster, may take up
/// to this share (one over it) of the time limit.
const FIRST_CALL_SHARE: u32 = 2;
/// Fewest variables a neighbourhood shrinks to.
const MIN_NEIGHBOURHOOD: f64 = 40.0;
/// The most a choice of pooled rows may take: the neighbourhoods wait for it.
const COMBINE_LIMIT: Duration = Duration::from_secs(10);

/// The `settled` of a run bounded by its steps: never set.
static NEVER_SETTLED: AtomicBool = AtomicBool::new(false);

/// How long and how hard to search.
#[derive(Clone, Debug)]
pub struct SolveOptions {
    /// Wall-clock budget for the whole solve.
    pub time_limit: Duration,
    /// Stop once `(incumbent − bound) / incumbent` is at most this.
    pub relative_gap: f64,
    /// Seed for the choice of neighbourhoods.
    pub seed: u64,
    /// Stop after this many neighbourhood steps: a reproducible run, the same roster whatever
    /// `time_limit` as long as the steps end it (see the module's documentation).
    pub max_iterations: Option<u64>,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            time_limit: Duration::from_secs(60),
            relative_gap: 0.0,
            seed: 1,
            max_iterations: None,
        }
    }
}

/// Which stage the solver is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Solving the linear relaxation for a lower bound.
    Bound,
    /// Building a lawful roster one person at a time.
    Construct,
    /// Trying the whole model at once (small problems).
    WholeModel,
    /// Re-optimising neighbourhoods.
    Improve,
}

/// A progress report: sent after each phase, each improvement and about once a second.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Stage.
    pub phase: Phase,
    /// Time since the solve began.
    pub elapsed: Duration,
    /// Penalty of the best lawful roster so far.
    pub incumbent: Option<i64>,
    /// Proven lower bound on the penalty.
    pub bound: Option<i64>,
    /// Neighbourhood steps done.
    pub iterations: u64,
}

impl Progress {
    /// `(incumbent − bound) / incumbent`, when both are known.
    pub fn gap(&self) -> Option<f64> {
        gap(self.incumbent?, self.bound?)
    }

    /// Optimal, or the gap asked for reached, when the bound shows it.
    fn proven(&self, relative_gap: f64) -> Option<SolveStatus> {
        match self.gap()? {
            g if g <= 0.0 => Some(SolveStatus::Optimal),
            g if g <= relative_gap => Some(SolveStatus::GapReached),
            _ => None,
        }
    }
}

fn gap(incumbent: i64, bound: i64) -> Option<f64> {
    if incumbent <= bound {
        Some(0.0)
    } else if incumbent == 0 {
        None
    } else {
        Some((incumbent - bound) as f64 / incumbent as f64)
    }
}

/// Why the solve stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveStatus {
    /// The roster's penalty equals the proven bound.
    Optimal,
    /// The relative gap asked for was reached.
    GapReached,
    /// The time limit was reached.
    TimeLimit,
    /// The iteration limit was reached.
    IterationLimit,
    /// The caller cancelled; the best roster so far is returned.
    Cancelled,
}

/// A solved problem: the best lawful roster found and how good it is known to be.
#[derive(Clone, Debug)]
pub struct Solved {
    /// The roster.
    pub assignment: Assignment,
    /// Its penalty by term (and no breaches).
    pub evaluation: Evaluation,
    /// Proven lower bound on the penalty, when one was computed.
    pub bound: Option<i64>,
    /// Why the search stopped.
    pub status: SolveStatus,
    /// Wall-clock time used.
    pub elapsed: Duration,
    /// Neighbourhood steps done.
    pub iterations: u64,
}

impl Solved {
    /// `(penalty − bound) / penalty`, when a bound is known.
    pub fn gap(&self) -> Option<f64> {
        gap(self.evaluation.total(), self.bound?)
    }
}

/// Why no roster could be produced.
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    /// The problem is malformed.
    #[error("invalid problem: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<ProblemError>),
    /// One person's own limits cannot all hold (for example more minimum minutes than their
    /// available days and allowed shifts can give).
    #[error("staff[{index}] ({id}): no roster keeps all of their limits: {reason}")]
    Infeasible {
        /// Staff index.
        index: usize,
        /// Staff id.
        id: String,
        /// What the solver said.
        reason: String,
    },
    /// Cancelled or out of time before any lawful roster existed.
    #[error("stopped before a lawful roster was found ({0})")]
    NoRoster(&'static str),
    /// HiGHS itself failed.
    #[error(transparent)]
    Solver(#[from] MipError),
}

/// Solves `problem`. `cancel` is polled between steps; `on_progress` hears about the search.
pub fn solve(
    problem: &ShiftProblem,
    options: &SolveOptions,
    cancel: &AtomicBool,
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<Solved, SolveError> {
    problem.validate().map_err(SolveError::Invalid)?;
    let started = Instant::now();
    let deadline = started + options.time_limit;
    let left = || deadline.saturating_duration_since(Instant::now());
    let available = problem.available();
    let all_free = vec![vec![true; problem.days]; problem.staff.len()];
    let size = x_size(problem, &available);
    let report = Progress {
        phase: Phase::Construct,
        elapsed: Duration::ZERO,
        incumbent: None,
        bound: None,
        iterations: 0,
    };

    // Portfolio on two cores. The second core first solves the linear relaxation for a bound
    // while this one builds the lawful start, then runs HiGHS on the whole model from that start
    // (it proves small problems optimal and tightens the bound); once it is done, or from the
    // start on large problems, two neighbourhood searches run side by side. The relaxation gets
    // a tenth of the budget and the whole-model run at most half of it on small models (where
    // HiGHS's own search is strongest), a quarter on larger ones, and never more than a minute.
    let with_bound = size <= RELAXATION_LIMIT;
    // A run bounded by its steps waits for the whole-model run, and HiGHS's nodes on a large
    // model take minutes: there it runs only where HiGHS is strongest.
    let with_whole = size
        <= match options.max_iterations {
            Some(_) => RESTART_MODEL,
            None => WHOLE_MODEL_LIMIT,
        };
    let bound_slot: Slot = Mutex::new(None);
    let whole_slot: Slot = Mutex::new(None);
    let settled = AtomicBool::new(false);
    // Set once column generation has bounded the problem at its root with branch and price
    // able to run: branch and price is then the stronger prover (its bound is the rows'
    // relaxation, the cell model's is weaker), so HiGHS's whole-model run gives it the core.
    let whole_moot = AtomicBool::new(false);
    // Whether the second core's HiGHS runs are done for now (it waits for another start).
    let second_idle = AtomicBool::new(!(with_bound || with_whole));
    let (start_tx, start_rx) = std::sync::mpsc::channel::<(Assignment, Duration)>();
    let shared = prover::Shared::new();
    let (prover_tx, prover_rx) = std::sync::mpsc::channel::<prover::Start>();
    let (news_tx, news_rx) = std::sync::mpsc::channel::<prover::News>();
    // Every HiGHS run of the solve ends at once when the caller cancels. In a timed run, the
    // search's steps also end once the whole model is proven optimal (nothing is left to find);
    // a run bounded by its steps lets them finish, so that it stays reproducible.
    let timed = options.max_iterations.is_none();
    let cancelled = || cancel.load(Ordering::Relaxed);
    let stopped = || cancelled() || (timed && settled.load(Ordering::Relaxed));
    // A run bounded by its steps bounds each HiGHS run by its work instead of its time, so
    // that it stays reproducible; the clock then only holds the caller's deadline.
    let settings = |time_limit: Duration, relax: bool| {
        let (time_limit, work_limit) = match options.max_iterations {
            Some(_) => (
                deadline.saturating_duration_since(Instant::now()),
                Some(if relax {
                    REPRODUCIBLE_PIVOTS
                } else {
                    REPRODUCIBLE_NODES
                }),
            ),
            None => (time_limit, None),
        };
        MipSettings {
            time_limit,
            relative_gap: 0.0,
            threads: 1,
            seed: (options.seed % i32::MAX as u64) as i32,
            relax,
            probing: true,
            work_limit,
            stop: Stop::when(&stopped),
        }
    };
    std::thread::scope(|scope| {
        {
            let (available, settings, shared) = (&available, &settings, &shared);
            scope.spawn(move || {
                prover::serve(
                    problem, available, settings, deadline, shared, prover_rx, news_tx,
                )
            });
        }
        if with_bound || with_whole {
            let (available, all_free) = (&available, &all_free);
            let (bound_slot, whole_slot, settings) = (&bound_slot, &whole_slot, &settings);
            let (settled, second_idle, whole_moot) = (&settled, &second_idle, &whole_moot);
            let (cancelled, shared) = (&cancelled, &shared);
            let relax_limit = left() / 10;
            scope.spawn(move || {
                // Should this core's code panic, the search must not wait for its answers
                // forever (a run bounded by its steps waits for them): it hears of the failure.
                let _answers = Answered([bound_slot, whole_slot]);
                if with_bound {
                    let empty = Assignment::all_off(problem);
                    // Only a cancellation cuts it short: an interrupted relaxation bounds nothing.
                    let settings = MipSettings {
                        stop: Stop::when(cancelled),
                        ..settings(relax_limit, true)
                    };
                    let relaxed = milp::solve(problem, available, &empty, all_free, &settings);
                    if let Ok(mut slot) = bound_slot.lock() {
                        *slot = Some(relaxed);
                    }
                }
                // A start comes once construction is done (none when it failed), and again
                // each time the search sends its best roster back for another run.
                second_idle.store(!with_whole, Ordering::Relaxed);
                // In a timed run it also gives way once the search is over (it must not hold the
                // answer back) or branch and price can take the core.
                let moot = || {
                    cancelled()
                        || (timed
                            && (shared.stop.load(Ordering::Relaxed)
                                || whole_moot.load(Ordering::Relaxed)))
                };
                while let (true, Ok((start, limit))) = (with_whole, start_rx.recv()) {
                    second_idle.store(false, Ordering::Relaxed);
                    let settings = MipSettings {
                        stop: Stop::when(&moot),
                        ..settings(limit, false)
                    };
                    let outcome = milp::solve(problem, available, &start, all_free, &settings);
                    if matches!(&outcome, Ok(o) if o.status == MipStatus::Optimal) {
                        settled.store(true, Ordering::Relaxed);
                    }
                    if let Ok(mut slot) = whole_slot.lock() {
                        *slot = Some(outcome);
                    }
                    second_idle.store(true, Ordering::Relaxed);
                }
            });
        }
        let search = Search {
            problem,
            available: &available,
            options,
            size,
            settings: &settings,
            cancel,
            settled: &settled,
            whole_moot: &whole_moot,
            second_idle: &second_idle,
            started,
            bound: with_bound.then_some(&bound_slot),
            whole: with_whole.then_some(&whole_slot),
            swapper: swap::Swapper::new(problem, &available),
        };
        let mut current = search.construct()?;
        let mut best = problem.evaluate(&current);
        search.polish(&mut current, &mut best, &vec![true; problem.staff.len()]);
        debug_assert!(
            best.breaches.is_empty(),
            "construction broke {:?}",
            best.breaches
        );
        tracing::debug!(elapsed = ?started.elapsed(), incumbent = best.total(), "lawful start");
        if with_whole {
            let share = if size <= SMALL_MODEL { 2 } else { 4 };
            let limit = left()
                .min(options.time_limit / share)
                .min(Duration::from_secs(60));
            // The receiver only hangs up if the bound thread panicked; the search goes on.
            let _ = start_tx.send((current.clone(), limit));
        }
        let prover = Prover {
            shared: &shared,
            start: Some(prover_tx),
            news: news_rx,
        };
        search.run(
            current,
            best,
            report,
            with_whole.then_some(start_tx),
            prover,
            on_progress,
        )
    })
}

/// What a call of column generation and recombination did ([`Search::recombine`]).
struct Call {
    /// Whether the roster improved.
    improved: bool,
    /// Whether its rounds and dives ended within the call's time, and a dive ran if the rounds
    /// converged (so that the next call needs about as much).
    finished: bool,
}

/// The branch and price of [`prover`], seen from the neighbourhood search.
struct Prover<'a> {
    shared: &'a prover::Shared,
    /// Where its start goes, until it is sent (dropped unsent, the search never starts).
    start: Option<std::sync::mpsc::Sender<prover::Start>>,
    news: std::sync::mpsc::Receiver<prover::News>,
}

impl Drop for Prover<'_> {
    /// However the search ends (an error too), branch and price stops with it.
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
    }
}

/// Where a HiGHS run on the second core leaves its answer.
type Slot = Mutex<Option<Result<milp::MipOutcome, MipError>>>;

/// The neighbourhood search proper, with what it needs from the solve around it.
struct Search<'a> {
    problem: &'a ShiftProblem,
    available: &'a [Vec<bool>],
    options: &'a SolveOptions,
    size: usize,
    settings: &'a SettingsFor<'a>,
    cancel: &'a AtomicBool,
    /// Set by the second core once HiGHS has proven the whole model optimal, so that a call of
    /// column generation in progress ends at once instead of at its limit.
    settled: &'a AtomicBool,
    /// Set by column generation once branch and price can take over from the whole-model run.
    whole_moot: &'a AtomicBool,
    /// Set while the second core has no HiGHS run of the whole model (or relaxation) to do.
    second_idle: &'a AtomicBool,
    started: Instant,
    /// Where the relaxation leaves its answer, when one runs.
    bound: Option<&'a Slot>,
    /// Where the whole-model run leaves its answer, when one runs.
    whole: Option<&'a Slot>,
    /// The plain-code trades between exact steps.
    swapper: swap::Swapper<'a>,
}

impl Search<'_> {
    /// Trades shifts between people while that pays (see [`swap`]), for at most a twentieth of
    /// the budget. Whatever the trades find is judged again by [`ShiftProblem::evaluate`] and
    /// kept only when that agrees it is lawful and better. Returns whether it was.
    fn polish(&self, current: &mut Assignment, best: &mut Evaluation, focus: &[bool]) -> bool {
        let mut polished = current.clone();
        if self
            .swapper
            .descend(&mut polished, focus, self.trade_deadline())
            <= 0
        {
            return false;
        }
        match self.judged(polished, best.total()) {
            Some((polished, eval)) => {
                *current = polished;
                *best = eval;
                true
            }
            None => false,
        }
    }

    /// How long a descent of trades may run from now: a twentieth of the budget, or in a run
    /// bounded by its steps, to the end (such a run is reproducible only when no trade is cut
    /// short by the clock).
    fn trade_deadline(&self) -> Instant {
        let end = self.started + self.options.time_limit;
        // A cancelled solve hands back what it has: no trades are started for it.
        if self.cancel.load(Ordering::Relaxed) {
            return Instant::now();
        }
        match self.options.max_iterations {
            Some(_) => end,
            None => (Instant::now() + self.options.time_limit / 20).min(end),
        }
    }

    /// `roster` with its evaluation, when [`ShiftProblem::evaluate`] finds it lawful and below
    /// `bar`: what the plain-code trades find is trusted only that far.
    fn judged(&self, roster: Assignment, bar: i64) -> Option<(Assignment, Evaluation)> {
        let eval = self.problem.evaluate(&roster);
        debug_assert!(
            eval.breaches.is_empty(),
            "a trade broke {:?}",
            eval.breaches
        );
        (eval.breaches.is_empty() && eval.total() < bar).then_some((roster, eval))
    }

    /// Anneals from `current`, whose penalty is `bar`, until `deadline` (see
    /// [`swap::Swapper::anneal`]); returns the best roster met when it is [`Search::judged`]
    /// better.
    fn anneal(
        &self,
        current: &Assignment,
        bar: i64,
        rng: &mut ChaCha8Rng,
        deadline: Instant,
    ) -> Option<(Assignment, Evaluation)> {
        // A run bounded by its steps anneals by a count of moves, so that it is reproducible.
        let moves = self.options.max_iterations.map(|_| ANNEAL_MOVES);
        let mut roster = current.clone();
        let hot = self.swapper.temperature();
        if self.swapper.anneal(&mut roster, rng, hot, deadline, moves) <= 0 {
            return None;
        }
        self.judged(roster, bar)
    }

    /// Rounds of column generation over the pool of rows; once they converge, dives; then the
    /// best choice of one pooled row per person, all within `limit`, pricing on `threads` cores,
    /// or two while `lend` says the second is free (see [`pool`]). Takes the choice when it is
    /// [`Search::judged`] better, then polishes it; raises the bound whenever a round proves one.
    /// A landing below the best roster is reported to `on_progress` as it lands, and is given
    /// back when the choice does no better, fails, or is not made because the solve stopped.
    #[allow(clippy::too_many_arguments)]
    fn recombine(
        &self,
        pool: &mut pool::RowPool<'_>,
        current: &mut Assignment,
        best: &mut Evaluation,
        report: &mut Progress,
        limit: Duration,
        (threads, lend): (usize, &(dyn Fn() -> bool + Sync)),
        on_progress: &mut dyn FnMut(&Progress),
    ) -> Result<Call, SolveError> {
        // A person whose pricing HiGHS cannot close quickly gives the row it has (a run bounded
        // by its steps waits for each, so that it is reproducible).
        let per_person = match self.options.max_iterations {
            Some(_) => None,
            None => Some(limit / 10),
        };
        let clock = Instant::now();
        let budget = pool::Budget {
            settings: self.settings,
            deadline: clock + limit,
            cancel: self.cancel,
            // A run bounded by its steps counts its rounds, not the other core's progress, so
            // that it stays reproducible.
            settled: match self.options.max_iterations {
                Some(_) => &NEVER_SETTLED,
                None => self.settled,
            },
            threads,
            lend: Some(lend),
            per_person,
            // Only a timed run branches and prices. Small models too: HiGHS's whole-model run
            // closes Instances 1–4 before the rows bound them, and on Instance 5
            // branch and price with settling proved 1143 in 14–22 s where HiGHS kept the core
            // for 30 s and the proof came at 47 s or not at all.
            bounded: self
                .options
                .max_iterations
                .is_none()
                .then_some(self.whole_moot),
        };
        // Rounds until no person has a row that would lower the relaxation, or the time is up
        // (or, in a run bounded by its steps, a fixed number of rounds).
        let rounds = match self.options.max_iterations {
            Some(_) => COLUMN_ROUNDS,
            None => usize::MAX,
        };
        // Whether the rounds converged with every person priced by the programme: a dive
        // needs many rounds, and HiGHS pricing a person takes far longer.
        let mut converged = false;
        let mut rounds_run = 0;
        // A call takes up to half a minute: progress is still reported about once a second,
        // between its rounds and its dives' (a caller streaming it must not see silence).
        let mut last_report = Instant::now();
        for _ in 0..rounds {
            if budget.over() {
                break;
            }
            rounds_run += 1;
            let round = pool.generate(current, &budget)?;
            if let Some(b) = round.bound {
                // The penalty is an integer, so the bound rounds up (after a hundredth for the
                // relaxation's tolerances); and never negative (every weight is validated so), where
                // the first rounds' prices can put it.
                let b = ((b - 0.01).ceil() as i64).max(0);
                report.bound = Some(report.bound.map_or(b, |old| old.max(b)));
            }
            self.report_if_due(report, &mut last_report, on_progress);
            if round.added == 0 {
                converged = round.priced_all && !round.by_solver;
                break;
            }
        }
        // Once the relaxation is solved over every row, dives from it, again while each lands
        // better than the ones before and the time left in the call holds another (each lands
        // elsewhere, see `pool::RowPool::dive`); HiGHS then picks the best roster of pooled rows,
        // starting from the best landing or the current roster.
        let mut start: Option<(Assignment, i64)> = None;
        let mut dive_time = clock.elapsed() * 2;
        let mut landed_better = true;
        let mut dives = 0;
        while converged && landed_better && !budget.over() {
            if self.options.max_iterations.is_none() && clock.elapsed() + dive_time > limit {
                break;
            }
            dives += 1;
            let dive_clock = Instant::now();
            let bar = start.as_ref().map_or(best.total(), |(_, total)| *total);
            let rounds = self.options.max_iterations.map(|_| DIVE_ROUNDS);
            let mut tick = || self.report_if_due(report, &mut last_report, on_progress);
            let mut landed = pool.dive(current, bar, &budget, rounds, &mut tick)?;
            dive_time = dive_clock.elapsed();
            // A landing is often a few trades from a better roster, which then starts the choice
            // of pooled rows (and adds its rows to the pool).
            if let Some(landed) = landed.as_mut() {
                let everyone = vec![true; self.problem.staff.len()];
                self.swapper
                    .descend(landed, &everyone, self.trade_deadline());
                pool.harvest(landed);
            }
            let landing = landed.as_ref().map(|l| self.problem.evaluate(l).total());
            tracing::debug!(
                elapsed = ?self.started.elapsed(),
                rounds = rounds_run,
                ?dive_time,
                bound = ?report.bound,
                landing,
                incumbent = best.total(),
                "dive"
            );
            landed_better = false;
            if let (Some(landed), Some(total)) = (landed, landing) {
                if total < bar {
                    start = Some((landed, total));
                    landed_better = true;
                    // The call may run on for many seconds; a landing below the best roster
                    // is heard now, and is what the call gives back if it is cancelled.
                    if total < best.total() {
                        report.incumbent = Some(total);
                        report.elapsed = self.started.elapsed();
                        on_progress(report);
                    }
                }
            }
            self.report_if_due(report, &mut last_report, on_progress);
            // A run bounded by its steps dives once, so that it stays reproducible.
            if self.options.max_iterations.is_some() {
                break;
            }
        }
        if !converged {
            tracing::debug!(elapsed = ?self.started.elapsed(), rounds = rounds_run, bound = ?report.bound, "columns not converged");
        }
        let start = start.map(|(landed, _)| landed);
        // The relaxation is not needed again before the next call (which builds it from the pool
        // as it is then), nor rows added to it meanwhile.
        pool.refresh();
        let end = self.started + self.options.time_limit;
        // Rounds and dives stop at the limit only when they ran out of time. The choice of pooled
        // rows then gets the rest of the call, up to a third of it: on Instance 12, where no dive
        // lands, it finds what the neighbourhoods miss. After a landing it gets a quarter of the
        // time the call took: on Instances 7, 8 and 9 it never bettered the best landing in its
        // 5–10 s, while branch and price, which starts on the second core once the call ends,
        // found Instance 7's 1056 at 13–18 s instead of 23–45 s.
        // Converged without the time for a first dive, the call counts as cut short too, so
        // that the next one gets more.
        let finished = clock.elapsed() < limit && !(converged && dives == 0);
        let rest = limit
            .saturating_sub(clock.elapsed())
            .min(limit / 3)
            .min(COMBINE_LIMIT)
            .min(end.saturating_duration_since(Instant::now()));
        // (A run bounded by its steps keeps the longer choice: a clock would make it irreproducible.)
        let rest = match (&start, self.options.max_iterations) {
            (Some(_), None) => rest.min(clock.elapsed() / 4),
            _ => rest,
        };
        let from = start.as_ref().unwrap_or(current);
        report.incumbent = Some(best.total());
        let unchanged = Call {
            improved: false,
            finished,
        };
        // A cancelled or settled solve makes no choice; HiGHS failing on the choice costs the
        // choice, not the landing already reported.
        let combined = if budget.stopped() {
            None
        } else {
            match pool.combine(from, &(self.settings)(rest, false)) {
                Ok(combined) => combined,
                Err(e) if start.is_some() => {
                    tracing::debug!(error = ?e, "choice of pooled rows failed");
                    None
                }
                Err(e) => return Err(e.into()),
            }
        };
        // The choice starts from the best landing but may end above it (cut short, or run
        // again cold): the better of the two is taken.
        let Some((roster, eval)) = (combined.into_iter().chain(start))
            .filter_map(|roster| self.judged(roster, best.total()))
            .min_by_key(|(_, eval)| eval.total())
        else {
            return Ok(unchanged);
        };
        let changed: Vec<bool> = (0..self.problem.staff.len())
            .map(|i| roster.cells[i] != current.cells[i])
            .collect();
        *current = roster;
        *best = eval;
        self.polish(current, best, &changed);
        pool.harvest(current);
        report.incumbent = Some(best.total());
        Ok(Call {
            improved: true,
            finished,
        })
    }

    /// Reports `report` when the last report (at `last_report`) is [`REPORT_EVERY`] old: the
    /// steady beat of progress between improvements.
    fn report_if_due(
        &self,
        report: &mut Progress,
        last_report: &mut Instant,
        on_progress: &mut dyn FnMut(&Progress),
    ) {
        if last_report.elapsed() >= REPORT_EVERY {
            report.elapsed = self.started.elapsed();
            on_progress(report);
            *last_report = Instant::now();
        }
    }

    /// Takes what branch and price sent: a roster that is [`Search::judged`] better becomes the
    /// current one (polished), a proof raises the bound. Returns whether the roster improved.
    fn take_news(
        &self,
        prover: &Prover<'_>,
        current: &mut Assignment,
        best: &mut Evaluation,
        report: &mut Progress,
        pool: &mut Option<pool::RowPool<'_>>,
    ) -> bool {
        let mut improved = false;
        while let Ok(news) = prover.news.try_recv() {
            match news {
                prover::News::Found(roster, total) => {
                    let Some((roster, eval)) = self.judged(roster, best.total()) else {
                        continue;
                    };
                    tracing::debug!(elapsed = ?self.started.elapsed(), total, "branch and price");
                    let changed: Vec<bool> = (0..self.problem.staff.len())
                        .map(|i| roster.cells[i] != current.cells[i])
                        .collect();
                    *current = roster;
                    *best = eval;
                    self.polish(current, best, &changed);
                    harvest(pool, current);
                    report.incumbent = Some(best.total());
                    improved = true;
                }
                prover::News::Proven(bound) => {
                    tracing::debug!(elapsed = ?self.started.elapsed(), bound, "branch and price proof");
                    report.bound = Some(report.bound.map_or(bound, |old| old.max(bound)));
                }
            }
        }
        improved
    }

    /// A lawful roster to start from: a plain-code row per person against those before them
    /// (HiGHS takes over for the rare row that breaks a rule), then passes rebuilding each row
    /// against everyone else's while they help. HiGHS re-optimising every row instead gives no
    /// better a start for the search on the small instances, and on a year of days it needs
    /// seconds a person.
    fn construct(&self) -> Result<Assignment, SolveError> {
        let (problem, available) = (self.problem, self.available);
        let n = problem.staff.len();
        let deadline = self.started + self.options.time_limit;
        let left = || deadline.saturating_duration_since(Instant::now());
        let mut current = Assignment::all_off(problem);
        let mut coverage = construct::Coverage::new(problem, &current);
        for (i, open) in available.iter().enumerate() {
            if self.cancel.load(Ordering::Relaxed) {
                return Err(SolveError::NoRoster("cancelled"));
            }
            current.cells[i] = construct::greedy_row(problem, open, i, &coverage);
            if !problem.person_breaches(i, &current.cells[i]).is_empty() {
                current = self.person_by_highs(&current, i, left() / 10 / (n - i) as u32)?;
            }
            coverage.add_row(problem, i, &current.cells[i], 1);
        }
        for _ in 0..PASSES {
            // The roster is lawful from here: a cancelled solve takes it as it stands.
            let late = self.options.max_iterations.is_none()
                && self.started.elapsed() > self.options.time_limit / 10;
            if late || self.cancel.load(Ordering::Relaxed) {
                break;
            }
            let mut changed = false;
            for (i, open) in available.iter().enumerate() {
                let old = std::mem::take(&mut current.cells[i]);
                coverage.add_row(problem, i, &old, -1);
                let row = construct::greedy_row(problem, open, i, &coverage);
                let wishes = construct::wishes(problem, i);
                let better = construct::row_value(problem, i, &row, &coverage, &wishes)
                    > construct::row_value(problem, i, &old, &coverage, &wishes);
                current.cells[i] = if better && problem.person_breaches(i, &row).is_empty() {
                    changed = true;
                    row
                } else {
                    old
                };
                coverage.add_row(problem, i, &current.cells[i], 1);
            }
            if !changed {
                break;
            }
        }
        Ok(current)
    }

    /// Person `i`'s row by HiGHS against the rest of `current`, with `share` of time, doubled
    /// while HiGHS finds nothing in it.
    fn person_by_highs(
        &self,
        current: &Assignment,
        i: usize,
        share: Duration,
    ) -> Result<Assignment, SolveError> {
        let problem = self.problem;
        let deadline = self.started + self.options.time_limit;
        let mut free = vec![vec![false; problem.days]; problem.staff.len()];
        free[i] = vec![true; problem.days];
        let mut share = share.max(Duration::from_millis(100));
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let step = milp::solve(
                problem,
                self.available,
                current,
                &free,
                &(self.settings)(share.min(left), false),
            )?;
            match step.status {
                MipStatus::Optimal | MipStatus::TimeLimit => return Ok(step.assignment),
                MipStatus::Infeasible => {
                    return Err(SolveError::Infeasible {
                        index: i,
                        id: problem.staff[i].id.clone(),
                        reason: "HiGHS proved their limits contradictory".into(),
                    })
                }
                // Checked before the time: a cancelled HiGHS ends at once, and doubling its share
                // without end would overflow.
                MipStatus::NoSolution if self.cancel.load(Ordering::Relaxed) => {
                    return Err(SolveError::NoRoster("cancelled"))
                }
                MipStatus::NoSolution if left.is_zero() => {
                    return Err(SolveError::NoRoster("time limit"))
                }
                MipStatus::NoSolution => share = share.saturating_mul(2),
            }
        }
    }

    /// Rounds of neighbourhoods solved side by side from the same roster (one while the whole
    /// model runs, then two); the best result that is no worse is kept.
    fn run(
        self,
        mut current: Assignment,
        mut best: Evaluation,
        mut report: Progress,
        restart: Option<std::sync::mpsc::Sender<(Assignment, Duration)>>,
        mut prover: Prover<'_>,
        on_progress: &mut dyn FnMut(&Progress),
    ) -> Result<Solved, SolveError> {
        let problem = self.problem;
        let deadline = self.started + self.options.time_limit;
        // A run bounded by its steps keeps the clock out of its choices (see the module's
        // documentation).
        let reproducible = self.options.max_iterations.is_some();
        let mut rng = ChaCha8Rng::seed_from_u64(self.options.seed);
        // Neighbourhoods never cover more than half the problem, so a step stays a step.
        // A run bounded by its steps cannot tell a slow neighbourhood by the clock: its
        // neighbourhoods stay at a size HiGHS closes in a fraction of a second.
        let half = self.size as f64 * 0.5;
        let largest = if reproducible {
            half.min(REPRODUCIBLE_LARGEST)
        } else {
            half
        }
        .max(MIN_NEIGHBOURHOOD);
        // One size per kind of neighbourhood: whole people and windows of days differ in how
        // hard HiGHS finds them at the same number of variables.
        let mut targets = [INITIAL_NEIGHBOURHOOD.min(largest); 2];
        let mut last_report = Instant::now();
        let step_limit = (self.options.time_limit / 100)
            .clamp(Duration::from_millis(200), Duration::from_secs(2));
        let mut whole_pending = self.whole.is_some();
        let mut bound_pending = self.bound.is_some();
        let mut since_improvement = 0u32;
        // (tries, improvements) of neighbourhoods not aimed [0] and aimed [1] at a short line.
        let mut aiming = [(0u32, 0u32); 2];
        // Column generation prices one person at a time exactly, which stays quick up to
        // months of days; a published roster's prices are left to the cell model.
        let columns = problem.changes.is_none() && self.size <= COLUMN_MODEL;
        let mut pool = columns.then(|| pool::RowPool::new(problem, self.available));
        harvest(&mut pool, &current);
        // Branch and price takes the second core once HiGHS's whole-model run is done, where
        // every person is priced by the programme (and in a timed run: it is not reproducible).
        let branching = self.options.max_iterations.is_none()
            && pool.as_ref().is_some_and(pool::RowPool::can_branch);
        if !branching {
            prover.start = None;
        }
        // Seconds spent on column generation and recombination so far, whether any call was
        // made, and the time the next call may take (the first, a share of the whole: its dive
        // often lands far below what the neighbourhoods reach early).
        let mut generating = 0.0;
        let mut called = false;
        // In a run bounded by its steps: the step at which the next call is due, and the steps
        // from one call to the next.
        let (mut column_due, mut column_every) = (1, COLUMN_EVERY);
        let least_call = step_limit * 5;
        let mut call = least_call.max(self.options.time_limit / FIRST_CALL_SHARE);
        // Recent (points gained, seconds spent) of the neighbourhood rounds [0] and of column
        // generation with recombination [1], fading with every round.
        let mut recent = [(0.0, 0.0); 2];
        report.incumbent = Some(best.total());
        report.elapsed = self.started.elapsed();
        on_progress(&report);
        report.phase = Phase::Improve;
        // A run bounded by its steps takes the second core's answers before its first step,
        // however long they take: taken whenever they came, they would make what the steps do
        // hang on the clock.
        let collect = |slot| if reproducible { wait(slot) } else { take(slot) };
        let status = loop {
            if bound_pending {
                if let Some(outcome) = collect(self.bound) {
                    bound_pending = false;
                    merge_bound(outcome, &mut report);
                    report.elapsed = self.started.elapsed();
                    on_progress(&report);
                }
            }
            if whole_pending && !bound_pending {
                if let Some(outcome) = collect(self.whole) {
                    whole_pending = false;
                    let whole = outcome?;
                    merge_whole(problem, whole, &mut current, &mut best, &mut report);
                    harvest(&mut pool, &current);
                    report.elapsed = self.started.elapsed();
                    on_progress(&report);
                    // HiGHS again, from the search's best roster: a good incumbent lets its
                    // own heuristics and pruning go further than from the first start.
                    let left = deadline.saturating_duration_since(Instant::now());
                    let open = report.proven(self.options.relative_gap).is_none();
                    let small = self.size <= RESTART_MODEL;
                    if let Some(tx) = restart.as_ref().filter(|_| {
                        open && small && left >= RESTART_LEFT && !branching && !reproducible
                    }) {
                        whole_pending = tx.send((current.clone(), left / 2)).is_ok();
                    }
                }
            }
            // Branch and price starts once the second core is free, and sends back what it finds.
            let bar = prover.shared.bar.fetch_min(best.total(), Ordering::Relaxed);
            if best.total() < bar && prover.shared.running.load(Ordering::Relaxed) {
                if let Ok(mut newer) = prover.shared.best.lock() {
                    *newer = Some(current.clone());
                }
            }
            if !whole_pending && !bound_pending {
                if let Some(tx) = prover.start.take() {
                    // With the rows priced so far and the prices of the bound, branch and
                    // price's root converges in a round or two instead of all over again
                    // (Curtois–Qu Instance 12: 1.3 s instead of 10 s).
                    let seed = pool.as_ref().map(pool::RowPool::seed);
                    let _ = tx.send((current.clone(), seed));
                }
            }
            if self.take_news(&prover, &mut current, &mut best, &mut report, &mut pool) {
                since_improvement = 0;
                report.elapsed = self.started.elapsed();
                on_progress(&report);
                last_report = Instant::now();
            }
            if let Some(status) = report.proven(self.options.relative_gap) {
                break status;
            }
            if self.cancel.load(Ordering::Relaxed) {
                break SolveStatus::Cancelled;
            }
            if Instant::now() >= deadline {
                break SolveStatus::TimeLimit;
            }
            if self
                .options
                .max_iterations
                .is_some_and(|max| report.iterations >= max)
            {
                break SolveStatus::IterationLimit;
            }
            report.iterations += 1;
            // The second core is HiGHS's while the relaxation or the whole model runs, then
            // branch and price's while that runs.
            let busy = prover.shared.running.load(Ordering::Relaxed);
            let streams = if whole_pending || bound_pending || busy {
                1
            } else {
                2
            };
            // Stuck for a while: one round of neighbourhoods three times the size, with five
            // times the time, to leave the local optimum; when the second core is free it anneals
            // from the best roster meanwhile instead (trades that keep cover but move requests
            // around open room for the next exact steps).
            let stuck = since_improvement >= STAGNATION_STEPS;
            let (round_targets, round_limit) = if stuck {
                since_improvement = 0;
                (targets.map(|t| (t * 3.0).min(largest)), step_limit * 5)
            } else {
                (targets, step_limit)
            };
            let anneal = stuck && streams == 2;
            // Column generation and recombination take a share of this core's time; a run
            // bounded by its steps takes them every few steps, with rounds counted instead of
            // timed, so that it stays reproducible.
            // A timed run starts a call only when it fits in the share with the calls before.
            let first = !called;
            let due = match self.options.max_iterations {
                Some(_) => report.iterations >= column_due,
                None => {
                    first
                        || generating + call.as_secs_f64()
                            <= column_share(&recent) * self.started.elapsed().as_secs_f64()
                }
            };
            if let (true, Some(pool)) = (due, pool.as_mut()) {
                let clock = Instant::now();
                let before = best.total();
                let left = deadline.saturating_duration_since(clock);
                let limit = match self.options.max_iterations {
                    Some(_) => left,
                    None => call.min(left),
                };
                called = true;
                // Branch and price starts only between steps, so a call that began beside the
                // whole-model run can take the second core once that run is done.
                let lend = || {
                    self.second_idle.load(Ordering::Relaxed)
                        && !prover.shared.running.load(Ordering::Relaxed)
                };
                let threads = (streams, &lend as &(dyn Fn() -> bool + Sync));
                let done = self.recombine(
                    pool,
                    &mut current,
                    &mut best,
                    &mut report,
                    limit,
                    threads,
                    on_progress,
                )?;
                if done.improved {
                    since_improvement = 0;
                    report.elapsed = self.started.elapsed();
                    on_progress(&report);
                    last_report = Instant::now();
                }
                column_every = if done.improved {
                    COLUMN_EVERY
                } else {
                    (column_every * 2).min(COLUMN_EVERY_MOST)
                };
                column_due = report.iterations + column_every;
                // A call cut short (its dive then lands wherever the leading rows stood) gets
                // twice the time next; one that finished, a little more than it took.
                let spent = clock.elapsed();
                call = if !done.finished {
                    (limit * 2).min(self.options.time_limit / 2)
                } else {
                    spent.mul_f64(1.25)
                }
                .max(least_call);
                tracing::debug!(
                    elapsed = ?self.started.elapsed(),
                    ?spent,
                    ?limit,
                    gained = before - best.total(),
                    incumbent = best.total(),
                    "column call"
                );
                generating += spent.as_secs_f64();
                recent[1].0 += (before - best.total()) as f64;
                recent[1].1 += spent.as_secs_f64();
                if let Some(status) = report.proven(self.options.relative_gap) {
                    break status;
                }
            }
            let (round_start, before) = (Instant::now(), best.total());
            let short = short_lines(problem, &current);
            // Aimed at a short cover line or not, in proportion to how often each has improved
            // the roster so far (an adaptive choice: aiming pays on some instances, not others).
            let rate = |(tries, wins): (u32, u32)| (wins as f64 + 1.0) / (tries as f64 + 2.0);
            let aim = (rate(aiming[1]) / (rate(aiming[0]) + rate(aiming[1]))).clamp(0.1, 0.9);
            let frees: Vec<(Kind, bool, Vec<Vec<bool>>)> = (0..streams - usize::from(anneal))
                .map(|_| {
                    neighbourhood(
                        problem,
                        self.available,
                        &mut rng,
                        &round_targets,
                        &short,
                        aim,
                    )
                })
                .collect();
            let time = round_limit.min(deadline.saturating_duration_since(Instant::now()));
            let mut anneal_rng = ChaCha8Rng::seed_from_u64(rng.random());
            let anneal_end = match self.options.max_iterations {
                Some(_) => deadline,
                None => Instant::now() + time,
            };
            let step_settings = (self.settings)(time, false);
            let (steps, annealed) = std::thread::scope(|scope| {
                let annealer = anneal.then(|| {
                    let (search, current, anneal_rng) = (&self, &current, &mut anneal_rng);
                    let bar = best.total();
                    scope.spawn(move || search.anneal(current, bar, anneal_rng, anneal_end))
                });
                let handles: Vec<_> = frees
                    .iter()
                    .map(|(_, _, free)| {
                        let (current, step_settings, available) =
                            (&current, &step_settings, self.available);
                        scope.spawn(move || {
                            milp::solve(problem, available, current, free, step_settings)
                        })
                    })
                    .collect();
                let steps: Vec<Result<milp::MipOutcome, MipError>> = handles
                    .into_iter()
                    .map(|h| {
                        h.join().unwrap_or_else(|_| {
                            Err(MipError("a neighbourhood solve panicked".into()))
                        })
                    })
                    .collect();
                // A panicked annealer only costs its round.
                (steps, annealer.and_then(|h| h.join().ok().flatten()))
            });
            let mut chosen: Option<(Assignment, Evaluation)> = annealed;
            // People whose rows a lawful, no-worse step changed, with those rows.
            let mut changes: Vec<Vec<(usize, Vec<Option<usize>>)>> = Vec::new();
            for ((kind, aimed, _), step) in frees.iter().zip(steps) {
                let step = step?;
                aiming[*aimed as usize].0 += 1;
                // Aim for steps that HiGHS closes in well under their time limit: many quick
                // exact steps beat a few slow ones.
                // (A run bounded by its steps counts nodes, not seconds: every neighbourhood
                // closed within them is quick.)
                let quick = reproducible || step.seconds < 0.25 * time.as_secs_f64();
                let target = &mut targets[*kind as usize];
                match step.status {
                    _ if stuck => {}
                    MipStatus::Optimal if quick => *target = (*target * 1.15).min(largest),
                    MipStatus::Optimal => {}
                    _ => *target = (*target * 0.7).max(MIN_NEIGHBOURHOOD),
                }
                if !matches!(step.status, MipStatus::Optimal | MipStatus::TimeLimit) {
                    continue;
                }
                let eval = problem.evaluate(&step.assignment);
                if eval.breaches.is_empty() {
                    harvest(&mut pool, &step.assignment);
                }
                if !eval.breaches.is_empty() || eval.total() > best.total() {
                    continue;
                }
                if eval.total() < best.total() {
                    aiming[*aimed as usize].1 += 1;
                }
                changes.push(
                    (0..problem.staff.len())
                        .filter(|&i| step.assignment.cells[i] != current.cells[i])
                        .map(|i| (i, step.assignment.cells[i].clone()))
                        .collect(),
                );
                let bar = chosen.as_ref().map_or(best.total(), |(_, e)| e.total());
                if eval.total() <= bar {
                    chosen = Some((step.assignment, eval));
                }
            }
            // Two steps that changed different people keep every rule together (the rules are
            // per person), and on large problems their gains mostly add up: both are taken
            // when together they beat either.
            if let [a, b] = &changes[..] {
                let disjoint = a.iter().all(|(i, _)| b.iter().all(|(j, _)| i != j));
                if disjoint && !a.is_empty() && !b.is_empty() {
                    let mut both = current.clone();
                    for (i, row) in a.iter().chain(b) {
                        both.cells[*i] = row.clone();
                    }
                    let eval = problem.evaluate(&both);
                    let bar = chosen.as_ref().map_or(best.total(), |(_, e)| e.total());
                    if eval.breaches.is_empty() && eval.total() < bar {
                        chosen = Some((both, eval));
                    }
                }
            }
            since_improvement += 1;
            if let Some((assignment, eval)) = chosen {
                let improved = eval.total() < best.total();
                let changed: Vec<bool> = (0..problem.staff.len())
                    .map(|i| assignment.cells[i] != current.cells[i])
                    .collect();
                current = assignment;
                best = eval;
                let improved = self.polish(&mut current, &mut best, &changed) || improved;
                harvest(&mut pool, &current);
                if improved {
                    tracing::debug!(elapsed = ?self.started.elapsed(), incumbent = best.total(), "neighbourhood");
                    since_improvement = 0;
                    report.incumbent = Some(best.total());
                    report.elapsed = self.started.elapsed();
                    on_progress(&report);
                    last_report = Instant::now();
                }
            }
            for (gain, seconds) in &mut recent {
                *gain *= RECENT_DECAY;
                *seconds *= RECENT_DECAY;
            }
            recent[0].0 += (before - best.total()) as f64;
            recent[0].1 += round_start.elapsed().as_secs_f64();
            self.report_if_due(&mut report, &mut last_report, on_progress);
        };
        prover.shared.stop.store(true, Ordering::Relaxed);
        self.take_news(&prover, &mut current, &mut best, &mut report, &mut pool);
        // A run still going on the second core is waited for: its bound or roster may be the
        // better. A timed run's whole-model run was just told to stop and ends at HiGHS's next
        // step; the relaxation, a tenth of the time, runs to its end.
        if bound_pending {
            if let Some(outcome) = wait(self.bound) {
                merge_bound(outcome, &mut report);
            }
        }
        if whole_pending && status != SolveStatus::Cancelled {
            if let Some(outcome) = wait(self.whole) {
                merge_whole(problem, outcome?, &mut current, &mut best, &mut report);
            }
        }
        let status = match report.gap() {
            Some(g) if g <= 0.0 && status != SolveStatus::Cancelled => SolveStatus::Optimal,
            _ => status,
        };
        report.elapsed = self.started.elapsed();
        on_progress(&report);
        Ok(Solved {
            assignment: current,
            evaluation: best,
            bound: report.bound,
            status,
            elapsed: self.started.elapsed(),
            iterations: report.iterations,
        })
    }
}

/// The answer in `slot`, if it is there yet.
fn take(slot: Option<&Slot>) -> Option<Result<milp::MipOutcome, MipError>> {
    // A slot whose writer panicked holding it still holds what was written before.
    slot.and_then(|slot| slot.lock().unwrap_or_else(PoisonError::into_inner).take())
}

/// Fills the second core's empty slots with an error if its thread unwinds, so that nothing
/// waits for them in vain ([`wait`]).
struct Answered<'a>([&'a Slot; 2]);

impl Drop for Answered<'_> {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            return;
        }
        for slot in self.0 {
            let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
            if slot.is_none() {
                *slot = Some(Err(MipError("the second core's HiGHS run panicked".into())));
            }
        }
    }
}

/// The answer in `slot`, once it is there (`None` without a slot).
fn wait(slot: Option<&Slot>) -> Option<Result<milp::MipOutcome, MipError>> {
    slot?;
    loop {
        if let Some(outcome) = take(slot) {
            return Some(outcome);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Takes the relaxation's bound, when it was solved. A failed relaxation only costs the bound.
fn merge_bound(outcome: Result<milp::MipOutcome, MipError>, report: &mut Progress) {
    if let Ok(relaxed) = outcome {
        if relaxed.status == MipStatus::Optimal && relaxed.bound.is_finite() {
            // The penalty is an integer, so the bound rounds up.
            let b = (relaxed.bound - 1e-6).ceil() as i64;
            report.bound = Some(report.bound.map_or(b, |old| old.max(b)));
        }
    }
}

/// Takes what the whole-model run found: a better roster, a tighter bound, or a proof.
fn merge_whole(
    problem: &ShiftProblem,
    whole: milp::MipOutcome,
    current: &mut Assignment,
    best: &mut Evaluation,
    report: &mut Progress,
) {
    tracing::debug!(status = ?whole.status, seconds = whole.seconds, bound = whole.bound, "whole model");
    if matches!(whole.status, MipStatus::Optimal | MipStatus::TimeLimit) {
        let eval = problem.evaluate(&whole.assignment);
        if eval.breaches.is_empty() && eval.total() < best.total() {
            *current = whole.assignment;
            *best = eval;
        }
    }
    let bound = if whole.status == MipStatus::Optimal {
        Some(best.total())
    } else {
        whole
            .bound
            .is_finite()
            .then(|| (whole.bound - 1e-6).ceil() as i64)
    };
    if let Some(b) = bound {
        report.bound = Some(report.bound.map_or(b, |old| old.max(b)));
    }
    report.incumbent = Some(best.total());
}

/// The share of the time column generation and recombination get: in proportion to the points
/// per second each kind of step has gained lately (a point and a second assumed of each, so that
/// neither starves before it has been tried), within [`COLUMN_SHARE`]. On some instances the
/// rows' relaxation finds what the neighbourhoods cannot; on others pricing is slow and the
/// neighbourhoods keep gaining.
fn column_share(recent: &[(f64, f64); 2]) -> f64 {
    let rate = |(gain, seconds): (f64, f64)| (gain + 1.0) / (seconds + 1.0);
    let (least, most) = COLUMN_SHARE;
    (rate(recent[1]) / (rate(recent[0]) + rate(recent[1]))).clamp(least, most)
}

/// Adds the rows of the lawful `roster` to the pool, when there is one.
fn harvest(pool: &mut Option<pool::RowPool<'_>>, roster: &Assignment) {
    if let Some(pool) = pool {
        pool.harvest(roster);
    }
}

/// Number of x variables of the whole model.
fn x_size(problem: &ShiftProblem, available: &[Vec<bool>]) -> usize {
    problem
        .staff
        .iter()
        .zip(available)
        .map(|(person, open)| {
            let shifts = person.max_shifts.iter().filter(|&&m| m > 0).count();
            open.iter().filter(|&&a| a).count() * shifts
        })
        .sum()
}

/// Picks the cells to free: a few whole people, or everybody (or a random part of them) over a
/// window of days, sized to about the kind's target number of variables.
/// The two kinds of neighbourhood.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A few people over the whole horizon.
    People = 0,
    /// Many people over a window of days.
    Window = 1,
}

fn neighbourhood(
    problem: &ShiftProblem,
    available: &[Vec<bool>],
    rng: &mut ChaCha8Rng,
    targets: &[f64; 2],
    short: &[usize],
    aim: f64,
) -> (Kind, bool, Vec<Vec<bool>>) {
    let days = problem.days;
    let n = problem.staff.len();
    let mut free = vec![vec![false; days]; n];
    let per_cell = |i: usize| {
        problem.staff[i]
            .max_shifts
            .iter()
            .filter(|&&m| m > 0)
            .count()
            .max(1) as f64
    };
    let mean_cell = (0..n).map(per_cell).sum::<f64>() / n.max(1) as f64;
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    // With probability `aim` the neighbourhood is aimed at a cover line that is short: its day
    // lies in the window and the people who may work its shifts come first. Otherwise, half the
    // time,
    // people who share a shift type come first: they are the ones who can trade that shift,
    // where qualifications split the staff into groups.
    let mut focus: Option<usize> = None;
    if !short.is_empty() && rng.random_bool(aim) {
        let cover = &problem.cover[short[rng.random_range(0..short.len())]];
        focus = Some(cover.day);
        order.sort_by_key(|&i| {
            let eligible = cover.eligible.as_ref().is_none_or(|e| e.contains(&i));
            !(eligible
                && cover
                    .shifts
                    .iter()
                    .any(|&t| problem.staff[i].max_shifts[t] > 0))
        });
    } else if problem.shifts.len() > 1 && rng.random_bool(0.5) {
        let t = rng.random_range(0..problem.shifts.len());
        order.sort_by_key(|&i| problem.staff[i].max_shifts[t] == 0);
    }
    // A window of `length` days, around the focus day when there is one.
    let window = |length: usize, rng: &mut ChaCha8Rng| {
        let length = length.clamp(1, days.max(1));
        let first = match focus {
            Some(d) => {
                let earliest = (d + 1).saturating_sub(length);
                rng.random_range(earliest..=d.min(days - length))
            }
            None => rng.random_range(0..=days - length),
        };
        first..first + length
    };
    let kind = if rng.random_bool(0.5) {
        Kind::People
    } else {
        Kind::Window
    };
    let target = targets[kind as usize];
    if kind == Kind::People && 2.0 * mean_cell * days as f64 > target && days > 14 {
        // Long horizons: two to four people over as many days as fit (at least a week), so a
        // step stays a step however long the horizon.
        let people = rng.random_range(2..=4).min(n);
        let length = (target / (people as f64 * mean_cell)) as usize;
        let days_free = window(length.max(7), rng);
        for &i in order.iter().take(people) {
            for cell in &mut free[i][days_free.clone()] {
                *cell = true;
            }
        }
    } else if kind == Kind::People {
        // Whole people.
        let mut used = 0.0;
        for &i in &order {
            let cost = per_cell(i) * available[i].iter().filter(|&&a| a).count() as f64;
            if used > 0.0 && used + cost > target {
                break;
            }
            free[i] = vec![true; days];
            used += cost;
        }
    } else {
        // A window of days: as long as fits the target with everyone free, at least two days.
        let everyone = (target / (n as f64 * mean_cell)).floor() as usize;
        let length = everyone.clamp(2, days.max(1));
        let people = if everyone >= 2 {
            n
        } else {
            ((target / (length as f64 * mean_cell)) as usize).clamp(2.min(n), n)
        };
        let days_free = window(length, rng);
        for &i in order.iter().take(people) {
            for cell in &mut free[i][days_free.clone()] {
                *cell = true;
            }
        }
    }
    (kind, focus.is_some(), free)
}

/// The cover lines of `roster` that are short of people.
fn short_lines(problem: &ShiftProblem, roster: &Assignment) -> Vec<usize> {
    let coverage = construct::Coverage::new(problem, roster);
    (0..problem.cover.len())
        .filter(|&c| coverage.count(c) < problem.cover[c].requirement as i64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::panic::{catch_unwind, AssertUnwindSafe};

    #[test]
    fn a_second_core_that_panics_is_not_waited_for_in_vain() {
        let (bound, whole): (Slot, Slot) = (Mutex::new(None), Mutex::new(None));
        let mut heard = None;
        let unwound = catch_unwind(AssertUnwindSafe(|| {
            std::thread::scope(|scope| {
                scope.spawn(|| {
                    let _answers = Answered([&bound, &whole]);
                    // Poisons the slot as a panic inside a write would.
                    let _held = whole.lock();
                    panic!("the second core fails");
                });
                heard = Some((wait(Some(&bound)), wait(Some(&whole))));
            })
        }));
        // The search heard of it, then the scope passed the panic on.
        let Some((Some(Err(bound)), Some(Err(whole)))) = heard else {
            panic!("the search did not hear of the failure");
        };
        assert!(bound.0.contains("panicked") && whole.0.contains("panicked"));
        assert!(unwound.is_err());
        // A thread that ends well leaves its slots as they are.
        let (bound, whole): (Slot, Slot) = (Mutex::new(None), Mutex::new(None));
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let _answers = Answered([&bound, &whole]);
            });
        });
        assert!(take(Some(&bound)).is_none() && take(Some(&whole)).is_none());
    }
}

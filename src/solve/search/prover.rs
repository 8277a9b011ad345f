//! Branch and price on a core of its own ([`pool::RowPool::branch`]): once HiGHS's run on the
//! whole model has ended, the second core searches the tree of the relaxation of rows beside
//! the neighbourhoods, in slices that each take the best penalty known as their bar, and sends
//! back every roster it finds below it (each polished by the plain-code trades first) and the
//! least bound of its open nodes as it rises; when no node is left, that penalty is proven
//! optimal. Between slices it also raises the bound one penalty at a time by reduced-cost row
//! enumeration ([`RowPool::settle`]) while the rows within reach stay few.

use super::pool::{Budget, RowPool, Seed};
use super::swap::Swapper;
use crate::solve::interrupt::Stop;
use crate::solve::milp::{MipSettings, SettingsFor};
use crate::solve::problem::{Assignment, ShiftProblem};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The most rows a settling of one penalty ([`RowPool::settle`]) may choose among: HiGHS
/// settles a few thousand (Curtois–Qu Instance 5: 1 700 rows in 0.2 s, 6 800 in 10–28 s) and
/// not 48 000 (Instance 7, 40 s).
const SETTLE_ROWS: usize = 12_000;
/// The time one settling may take, at least: up to half of what is left when that is more. A
/// settling that proves the optimum is worth more than the tree's nodes meanwhile (Instance 5's
/// optimum is proven by settling 6 800 rows, in 10–28 s, where the tree did not prove it).
const SETTLE_LIMIT: Duration = Duration::from_secs(20);
/// How long the search runs before it takes the bar again.
const SLICE: Duration = Duration::from_secs(1);
/// How long the search runs between choices of the best roster of its rows: the choice once
/// took as long as the search between them and, on Curtois–Qu Instances 6–9 and 12, never found
/// a roster the tree had not, while the tree's time is what closes Instance 7 (with the call's
/// shorter choice, see `Search::recombine`: 1056 in every run of five, before in two of five).
const COMBINE_EVERY: Duration = Duration::from_secs(16);
/// The most one choice of the best roster of the search's rows takes.
const COMBINE_LIMIT: Duration = Duration::from_secs(4);

/// What starts the search: the neighbourhoods' best roster, and what their column generation
/// priced and proved so far, if it ran.
pub(super) type Start = (Assignment, Option<Seed>);

/// What the search and the neighbourhoods share.
pub(super) struct Shared {
    /// The best penalty known, lowered by either side.
    pub(super) bar: AtomicI64,
    /// The neighbourhoods' best roster, when newer than the search has seen.
    pub(super) best: Mutex<Option<Assignment>>,
    /// Set by the neighbourhoods when they are done.
    pub(super) stop: AtomicBool,
    /// Whether the search is running (it ends by itself at its deadline, or when the tree is
    /// done or cannot be searched).
    pub(super) running: AtomicBool,
}

impl Shared {
    /// Nothing started yet, nothing known.
    pub(super) fn new() -> Self {
        Shared {
            bar: AtomicI64::new(i64::MAX),
            best: Mutex::new(None),
            stop: AtomicBool::new(false),
            running: AtomicBool::new(false),
        }
    }
}

/// What the search sends back.
pub(super) enum News {
    /// A lawful roster below the bar, with its penalty.
    Found(Assignment, i64),
    /// No roster is below this penalty.
    Proven(i64),
}

/// Waits for a lawful roster on `start` and, if one comes, searches from it until `deadline`,
/// [`Shared::stop`] or the tree's end. `settings` gives HiGHS's settings for a time limit and
/// whether the model is relaxed.
pub(super) fn serve(
    problem: &ShiftProblem,
    available: &[Vec<bool>],
    solve_settings: &SettingsFor<'_>,
    deadline: Instant,
    shared: &Shared,
    start: Receiver<Start>,
    news: Sender<News>,
) {
    // Its HiGHS runs end with the solve's, and also as soon as the search is over.
    let outer = solve_settings(Duration::ZERO, false).stop;
    let halted = || outer.is_set() || shared.stop.load(Ordering::Relaxed);
    let settings = |time_limit: Duration, relax: bool| MipSettings {
        stop: Stop::when(&halted),
        ..solve_settings(time_limit, relax)
    };
    let settings = &settings;
    // The sender goes with the neighbourhood search: nothing comes when it needs no search.
    let Ok((start, seed)) = start.recv() else {
        return;
    };
    shared.running.store(true, Ordering::Relaxed);
    let mut pool = RowPool::new(problem, available);
    if let Some(seed) = seed {
        pool.adopt(seed);
    }
    pool.harvest(&start);
    let mut best = start.clone();
    let mut branching = Duration::ZERO;
    // The highest bound sent so far.
    let mut told = i64::MIN;
    // Whether the next penalty up may yet be settled (see `settle`).
    let mut settling = true;
    let swapper = Swapper::new(problem, available);
    let everyone = vec![true; problem.staff.len()];
    while !shared.stop.load(Ordering::Relaxed) && Instant::now() < deadline && pool.can_branch() {
        let bar = shared.bar.load(Ordering::Relaxed);
        let budget = Budget {
            settings,
            deadline: (Instant::now() + SLICE).min(deadline),
            cancel: &shared.stop,
            // It starts only once the whole-model run has ended unproven: the search settles
            // nothing here that it does not stop.
            settled: &shared.stop,
            threads: 1,
            lend: None,
            per_person: None,
            bounded: None,
        };
        // HiGHS failing ends the search, not the solve: the neighbourhoods go on.
        let clock = Instant::now();
        let polish = |roster: &mut Assignment| {
            swapper.descend(roster, &everyone, budget.deadline);
        };
        let Ok(branched) = pool.branch(&start, bar, &budget, &polish) else {
            break;
        };
        branching += clock.elapsed();
        let mut proven = bar;
        if let Some((roster, total)) = branched.found {
            shared.bar.fetch_min(total, Ordering::Relaxed);
            proven = proven.min(total);
            // The choices of rows start from the best roster known: from the first one, HiGHS
            // spent its time climbing back down to where the tree already was (Instance 8:
            // every choice started at 1312 and ended there, with 1306 found).
            pool.harvest(&roster);
            best = roster.clone();
            if news.send(News::Found(roster, total)).is_err() {
                break;
            }
        }
        if branched.exhausted {
            let _ = news.send(News::Proven(proven));
            break;
        }
        // Every roster below the bar lies in an open node, so none is below their least bound
        // (rounded up, after a hundredth for the relaxation's tolerances).
        if let Some(lower) = branched.lower.filter(|b| b.is_finite()) {
            let lower = ((lower - 0.01).ceil() as i64).min(proven);
            if !tell(lower, &mut told, &news) {
                break;
            }
        }
        if settling {
            let bar = shared.bar.load(Ordering::Relaxed);
            match settle(
                &pool, &best, bar, &mut told, settings, deadline, shared, &news,
            ) {
                Settled::Optimal(roster) => {
                    let total = problem.evaluate(&roster).total();
                    shared.bar.fetch_min(total, Ordering::Relaxed);
                    let _ = news.send(News::Found(roster, total));
                    let _ = news.send(News::Proven(total));
                    break;
                }
                Settled::Raised => {}
                Settled::Stuck => settling = false,
            }
            if told >= shared.bar.load(Ordering::Relaxed) {
                break;
            }
        }
        // The rows priced at the tree's nodes, each under other holds, combine with the best
        // roster into rosters no single node's relaxation leads to.
        if branching >= COMBINE_EVERY && !shared.stop.load(Ordering::Relaxed) {
            branching = Duration::ZERO;
            if let Ok(mut newer) = shared.best.lock() {
                if let Some(newer) = newer.take() {
                    pool.harvest(&newer);
                    // Sent before the tree's own find, it may be the worse of the two.
                    let total = |roster: &Assignment| problem.evaluate(roster).total();
                    if total(&newer) < total(&best) {
                        best = newer;
                    }
                }
            }
            let limit = COMBINE_LIMIT.min(deadline.saturating_duration_since(Instant::now()));
            let bar = shared.bar.load(Ordering::Relaxed);
            let combined = pool.combine(&best, &settings(limit, false));
            if let Ok(Some(roster)) = combined {
                let total = problem.evaluate(&roster).total();
                tracing::debug!(total, bar, "prover combine");
                if total < bar {
                    shared.bar.fetch_min(total, Ordering::Relaxed);
                    best = roster.clone();
                    if news.send(News::Found(roster, total)).is_err() {
                        break;
                    }
                }
            }
        }
    }
    tracing::debug!(can = pool.can_branch(), "prover ends");
    shared.running.store(false, Ordering::Relaxed);
}

/// What settling penalties gave.
enum Settled {
    /// A roster that no other beats.
    Optimal(Assignment),
    /// The bound rose as far as the time allowed, or the problem is not bounded yet.
    Raised,
    /// The next penalty cannot be settled: too many rows are within its reach, or HiGHS did
    /// not settle it in time.
    Stuck,
}

/// Raises the proven bound one penalty at a time: whether a roster costs just the least
/// penalty not yet ruled out is settled by a choice among the rows within its reach
/// ([`RowPool::settle`]), and while none does, the bound goes up by one and is sent. `told` is
/// the bound sent so far, raised here; `bar` the best penalty known, which ends the climb.
#[allow(clippy::too_many_arguments)]
fn settle(
    pool: &RowPool<'_>,
    best: &Assignment,
    bar: i64,
    told: &mut i64,
    settings: &SettingsFor<'_>,
    deadline: Instant,
    shared: &Shared,
    news: &Sender<News>,
) -> Settled {
    let Some(bound) = pool.bound() else {
        return Settled::Raised;
    };
    tracing::debug!(bound, bar, "settling");
    // No roster lies below the bound, rounded up after a hundredth for the tolerances.
    let mut low = ((bound - 0.01).ceil() as i64).max(*told);
    while low < bar {
        let left = deadline.saturating_duration_since(Instant::now());
        if shared.stop.load(Ordering::Relaxed) || left < Duration::from_secs(1) {
            break;
        }
        match pool.settle(
            best,
            low + 1,
            SETTLE_ROWS,
            &settings((left / 2).max(SETTLE_LIMIT.min(left)), false),
        ) {
            Ok(Some(Some(roster))) => return Settled::Optimal(roster),
            Ok(Some(None)) => low += 1,
            Ok(None) | Err(_) => {
                // A search gone stops this one at its next send.
                tell(low, told, news);
                return Settled::Stuck;
            }
        }
    }
    tell(low.min(bar), told, news);
    Settled::Raised
}

/// Sends `low` as the proven bound when it is higher than `told`, the bound sent so far;
/// whether the search still listens.
fn tell(low: i64, told: &mut i64, news: &Sender<News>) -> bool {
    if low <= *told {
        return true;
    }
    *told = low;
    news.send(News::Proven(low)).is_ok()
}

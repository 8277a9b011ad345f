//! Stopping HiGHS in the middle of a solve (中断). A solve that is cancelled, or whose answer no
//! longer matters (another core proved the optimum), should not wait for HiGHS's own time limit:
//! HiGHS asks a callback between the nodes of its branch and bound and between the iterations of
//! its simplex and interior-point methods, and ends at the next of them once the callback says
//! so, keeping the best solution found (model status "interrupt").
//!
//! The callback is HiGHS's C interface, the one place rota needs `unsafe`: the [`Stop`] it reads
//! is borrowed for exactly the duration of [`run`], and the callbacks are switched off again
//! before `run` returns. HiGHS keeps the pointer afterwards but never calls through it; a later
//! `run` on the same model hands it a fresh one. HiGHS's own heuristic sub-MIPs do not ask the
//! callback, so a stop waits for one in progress.
#![allow(unsafe_code)]

use highs::{HighsStatus, Model, SolvedModel};
use highs_sys::{
    kHighsCallbackIpmInterrupt, kHighsCallbackMipInterrupt, kHighsCallbackSimplexInterrupt,
    HighsCallbackDataIn, HighsCallbackDataOut, HighsInt, Highs_setCallback, Highs_startCallback,
    Highs_stopCallback,
};
use std::ffi::{c_char, c_int, c_void};
use std::fmt;

/// The callbacks through which HiGHS can be interrupted: its branch and bound, its simplex and
/// its interior-point method.
const INTERRUPTS: [HighsInt; 3] = [
    kHighsCallbackMipInterrupt,
    kHighsCallbackSimplexInterrupt,
    kHighsCallbackIpmInterrupt,
];

/// When a HiGHS solve should give up before its time limit: a condition HiGHS asks between its
/// steps (typically a cancellation flag, or "the other core has settled it").
#[derive(Clone, Copy)]
pub struct Stop<'a>(Option<&'a (dyn Fn() -> bool + Sync)>);

impl Stop<'static> {
    /// A solve that only its time limit ends.
    pub const NEVER: Stop<'static> = Stop(None);
}

impl<'a> Stop<'a> {
    /// A solve that ends as soon as `condition` holds. HiGHS asks it often: it should be a
    /// flag's load, not work. A panic in it counts as "stop" (it cannot unwind through HiGHS).
    pub fn when(condition: &'a (dyn Fn() -> bool + Sync)) -> Self {
        Stop(Some(condition))
    }

    /// Whether the solve should end now.
    pub fn is_set(&self) -> bool {
        self.0.is_some_and(|condition| condition())
    }
}

impl fmt::Debug for Stop<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            None => f.write_str("Stop::NEVER"),
            Some(_) => write!(f, "Stop::when(set: {})", self.is_set()),
        }
    }
}

/// Solves `model`, interrupted as soon as `stop` is set. An interrupted MIP ends like one cut by
/// its time limit, with HiGHS's best solution so far, if any, and its valid dual bound; an
/// interrupted LP is not solved (status "interrupt") and bounds nothing.
pub(crate) fn run(mut model: Model, stop: Stop<'_>) -> Result<SolvedModel, HighsStatus> {
    if stop.0.is_none() {
        return model.try_solve();
    }
    let data = std::ptr::from_ref(&stop).cast_mut().cast::<c_void>();
    // SAFETY: `model.as_mut_ptr()` is a live Highs instance; `data` points at `stop`, which
    // outlives the solve below, and the callbacks are stopped before `stop` goes out of scope
    // (an error consumes the model: the instance is destroyed with it).
    unsafe {
        let highs = model.as_mut_ptr();
        Highs_setCallback(highs, Some(interrupt), data);
        for kind in INTERRUPTS {
            Highs_startCallback(highs, kind);
        }
    }
    let mut solved = model.try_solve()?;
    // SAFETY: as above; after this HiGHS calls nothing that reads `data`.
    unsafe {
        let highs = solved.as_mut_ptr();
        for kind in INTERRUPTS {
            Highs_stopCallback(highs, kind);
        }
    }
    Ok(solved)
}

/// HiGHS's callback: asks the [`Stop`] behind `user_data` and raises HiGHS's interrupt flag when
/// it is set. Only interrupt callbacks are started (see [`run`]), so every call may be answered.
unsafe extern "C" fn interrupt(
    _kind: c_int,
    _message: *const c_char,
    _data_out: *const HighsCallbackDataOut,
    data_in: *mut HighsCallbackDataIn,
    user_data: *mut c_void,
) {
    // SAFETY: `user_data` is the `Stop` that `run` borrows for the solve; HiGHS passes a valid
    // `data_in` to interrupt callbacks, and null is checked for anyway.
    unsafe {
        let Some(stop) = user_data.cast::<Stop<'_>>().as_ref() else {
            return;
        };
        if let Some(data_in) = data_in.as_mut() {
            let set = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| stop.is_set()));
            if set.unwrap_or(true) {
                data_in.user_interrupt = 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use highs::{RowProblem, Sense};
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    /// A knapsack-like integer programme HiGHS needs a branch and bound for: maximise Σ vᵢxᵢ with
    /// Σ wᵢxᵢ ≤ capacity, for odd weights and an even capacity (no rounding gives it away); with
    /// its first column.
    fn knapsack(items: usize) -> (Model, highs::Col) {
        let mut problem = RowProblem::default();
        let mut weight: Vec<(highs::Col, f64)> = Vec::new();
        for k in 0..items {
            let value = (37 * k % 101 + 50) as f64;
            let col = problem.add_integer_column(value, 0..=1);
            weight.push((col, (2 * (53 * k % 97) + 31) as f64));
        }
        let first = weight[0].0;
        problem.add_row(..=(items * 50) as f64, weight);
        let mut model = problem.try_optimise(Sense::Maximise).expect("a model");
        model.make_quiet();
        let _ = model.try_set_option("threads", 1);
        let _ = model.try_set_option("presolve", "off");
        (model, first)
    }

    #[test]
    fn a_stop_already_set_interrupts_the_solve_that_would_reach_the_optimum() {
        let free = run(knapsack(60).0, Stop::NEVER).expect("HiGHS runs");
        assert_eq!(free.status(), highs::HighsModelStatus::Optimal);

        let asked = AtomicUsize::new(0);
        let always = || {
            asked.fetch_add(1, Ordering::Relaxed);
            true
        };
        let stopped = run(knapsack(60).0, Stop::when(&always)).expect("HiGHS runs");
        assert_eq!(stopped.status(), highs::HighsModelStatus::ReachedInterrupt);
        assert!(asked.load(Ordering::Relaxed) > 0);
    }

    #[test]
    fn a_stop_never_set_changes_nothing_and_is_asked_no_more_after_the_solve() {
        let asked = AtomicUsize::new(0);
        let flag = AtomicBool::new(false);
        let when = || {
            asked.fetch_add(1, Ordering::Relaxed);
            flag.load(Ordering::Relaxed)
        };
        let (model, first) = knapsack(40);
        let solved = run(model, Stop::when(&when)).expect("HiGHS runs");
        assert_eq!(solved.status(), highs::HighsModelStatus::Optimal);
        let during = asked.load(Ordering::Relaxed);
        assert!(during > 0, "HiGHS asked the stop while it solved");
        // The same instance, changed so that it must solve again, and solved outside `run`:
        // the callbacks were switched off, so nothing asks the stop, set or not.
        flag.store(true, Ordering::Relaxed);
        let mut again = Model::from(solved);
        again.change_column_bounds(first, 1.0..=1.0);
        let again = again.try_solve().expect("HiGHS runs");
        assert_eq!(again.status(), highs::HighsModelStatus::Optimal);
        assert_eq!(asked.load(Ordering::Relaxed), during);
    }
}

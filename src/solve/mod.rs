//! The problems solved on the model. Every solver's output is re-checked by [`crate::rules`] in
//! tests, so a solver can never quietly disagree with the checker.
//!
//! - [`problem`]: the general shift-assignment problem every roster and cover solve is put in.
//! - [`interrupt`]: stopping HiGHS mid-solve when the caller cancels or the answer is moot.
//! - [`milp`]: its integer programme over a neighbourhood, built with good_lp, solved by HiGHS.
//! - [`search`]: the solver: a bound, a lawful start, then large-neighbourhood search.
//! - [`cover`]: the fewest, fairest changes to a published roster that cover new absences.
//! - [`facility`]: a shift-run facility of the city as a [`problem::ShiftProblem`].
//! - [`roster`]: a facility rostered end to end: solved, written back and judged by the checker.
//! - [`recommend`]: the best replacements for one absence, from the checker's per-staff rules.

pub mod cover;
pub mod facility;
pub mod interrupt;
pub mod milp;
pub mod problem;
pub mod recommend;
pub mod roster;
pub mod search;

/// Largest price a request may set for any term: keeps every penalty far inside `i64` and
/// HiGHS's tolerances.
pub const MAX_WEIGHT: i64 = 1_000_000;

/// Every named weight outside `0..=MAX_WEIGHT`, as (`prefix.name`, reason).
fn weights_out_of_range(prefix: &str, named: &[(&str, i64)]) -> Vec<(String, String)> {
    named
        .iter()
        .filter(|&&(_, w)| !(0..=MAX_WEIGHT).contains(&w))
        .map(|&(name, w)| {
            (
                format!("{prefix}.{name}"),
                format!("{w} is not in 0..={MAX_WEIGHT}"),
            )
        })
        .collect()
}

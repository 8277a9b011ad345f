//! The checker: the single referee of what every rule means.
//!
//! One file per rule, each with its meaning, its default and the policy sentence it comes from.
//! [`check`] runs the per-staff rules over staff in parallel and the per-unit rules over demand,
//! and returns every violation as data.

mod accommodation;
mod coverage;
mod days_off;
mod double_booking;
mod leave;
mod no_overtime_day;
mod overtime_caps;
mod qualification;
mod rest_interval;
mod short_hours;
mod violation;

pub use coverage::present;
pub use violation::{fmt_minutes, CheckReport, Measure, RuleId, Summary, Violation};

use crate::model::Model;
use rayon::prelude::*;

/// Checks a model against every rule; violations are sorted by date, rule, staff and unit.
pub fn check(model: &Model) -> CheckReport {
    let mut violations: Vec<Violation> = (0..model.snapshot.staff.len())
        .into_par_iter()
        .with_min_len(64)
        .fold(Vec::new, |mut out, s| {
            check_staff(model, s, &mut out);
            out
        })
        .reduce(Vec::new, |mut a, mut b| {
            a.append(&mut b);
            a
        });
    violations.extend(coverage::check(model));
    violations.par_sort_unstable_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    CheckReport::new(model, violations)
}

/// Checks every per-staff rule for staff member `s`, appending to `out`.
pub fn check_staff(model: &Model, s: usize, out: &mut Vec<Violation>) {
    check_work(model, s, model.work_of(s), out);
}

/// Checks every per-staff rule for staff member `s` as if `work` (sorted by start) were their
/// roster: how solvers evaluate a change without rebuilding the model. Entries a solver adds carry
/// `entry == u32::MAX`.
pub fn check_work(model: &Model, s: usize, work: &[crate::model::Work], out: &mut Vec<Violation>) {
    if work.is_empty() {
        return;
    }
    rest_interval::check(model, s, work, out);
    double_booking::check(model, s, work, out);
    days_off::check(model, s, work, out);
    no_overtime_day::check(model, s, work, out);
    overtime_caps::check(model, s, work, out);
    leave::check(model, s, work, out);
    qualification::check(model, s, work, out);
    accommodation::check(model, s, work, out);
    short_hours::check(model, s, work, out);
}

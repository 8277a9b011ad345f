//! At least one day off in every seven (週休): no run of more than `max_consecutive_work_days`.
//!
//! Meaning: a working day is a day on which a shift starts. A run of consecutive working days
//! longer than `rules.max_consecutive_work_days` is one violation, dated on the first day beyond
//! the limit, spanning to the run's last day. Default: 6 (one day off in every 7).
//! Policy: DESIGN.md "at least one day off in every 7" (労働基準法 第35条の週休制).

use super::{Measure, RuleId, Violation};
use crate::model::{Model, Work};

pub(super) fn check(model: &Model, s: usize, work: &[Work], out: &mut Vec<Violation>) {
    let max = model.snapshot.rules.max_consecutive_work_days;
    let mut run_start = work[0].day;
    let mut last = work[0].day;
    let flush = |start: u32, end: u32, out: &mut Vec<Violation>| {
        let len = end - start + 1;
        if len > max {
            let from = model.date((start + max) as usize);
            out.push(
                Violation::on_period(
                    model,
                    RuleId::ConsecutiveWorkDays,
                    s,
                    (from, model.date(end as usize)),
                    len as i64,
                    max as i64,
                    Measure::Days,
                )
                .because(format!(
                    "{len} consecutive working days from {} to {}; at most {max} are allowed",
                    model.date(start as usize),
                    model.date(end as usize)
                )),
            );
        }
    };
    for w in &work[1..] {
        if w.day > last + 1 {
            flush(run_start, last, out);
            run_start = w.day;
        }
        last = last.max(w.day);
    }
    flush(run_start, last, out);
}

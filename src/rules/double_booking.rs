//! Double booking: one person in two places at once.
//!
//! Meaning: two roster entries of the same staff member whose working time (overtime included)
//! overlaps. Each entry that starts before an earlier-starting entry has ended is reported once.
//! Policy: a roster names one post per person at a time (適材適所 presumes it).

use super::{Measure, RuleId, Violation};
use crate::model::{Model, Work};

pub(super) fn check(model: &Model, _s: usize, work: &[Work], out: &mut Vec<Violation>) {
    let Some(first) = work.first() else { return };
    let mut open = first;
    for w in &work[1..] {
        if w.start < open.end {
            let overlap = (open.end.min(w.end) - w.start) as i64;
            let mut v = Violation::on_work(
                model,
                RuleId::DoubleBooking,
                w,
                overlap,
                0,
                Measure::Minutes,
            )
            .because(format!(
                "work starting {} overlaps other work until {} by {} min",
                model.datetime(w.start).format("%Y-%m-%d %H:%M"),
                model.datetime(open.end).format("%Y-%m-%d %H:%M"),
                overlap
            ));
            v.roster_entries.insert(0, open.entry);
            out.push(v);
        }
        if w.end > open.end {
            open = w;
        }
    }
}

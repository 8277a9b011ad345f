//! Work during leave: a staff member on leave is never assigned.
//!
//! Meaning: whole-day leave on a date forbids any shift starting that date. Hourly leave (時間休)
//! is taken out of a rostered shift, so a shift that overlaps it is lawful; what it forbids is
//! overtime overlapping its time range, and a shift lying wholly inside it (that day is leave).
//! Policy: DESIGN.md "A staff member on leave is never assigned".

use super::{Measure, RuleId, Violation};
use crate::model::{LeaveSpan, Model, Work};

/// Whether a piece of work collides with a leave span.
pub(crate) fn collides(w: &Work, l: &LeaveSpan) -> bool {
    match l.hours {
        None => l.first_day <= w.day && w.day <= l.last_day,
        Some((from, to)) => {
            let overtime_overlaps = w.end > w.shift_end && w.shift_end < to && from < w.end;
            let shift_inside = from <= w.start && w.shift_end <= to;
            overtime_overlaps || shift_inside
        }
    }
}

pub(super) fn check(model: &Model, s: usize, work: &[Work], out: &mut Vec<Violation>) {
    let leave = model.leave_of(s);
    if leave.is_empty() {
        return;
    }
    // Both lists are in day order and leave entries never overlap. Work lasts at most 24 h, so it
    // can reach hourly leave up to two days after the day it starts.
    let mut first = 0;
    for w in work {
        while first < leave.len() && leave[first].last_day + 2 < w.day {
            first += 1;
        }
        for l in leave[first..]
            .iter()
            .take_while(|l| l.first_day <= w.day + 2)
        {
            if collides(w, l) {
                let entry = &model.snapshot.leave[l.entry as usize];
                out.push(
                    Violation::on_work(model, RuleId::WorkDuringLeave, w, 1, 0, Measure::Days)
                        .because(format!(
                            "assigned on {} while on {:?} leave {} ({} – {})",
                            model.date(w.day as usize),
                            entry.kind,
                            entry.id,
                            entry.from,
                            entry.to
                        )),
                );
                break;
            }
        }
    }
}

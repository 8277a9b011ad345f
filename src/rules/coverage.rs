//! Coverage: each unit has at least its demanded staff, per day, shift and qualification.
//!
//! Meaning: for each demand line, count the distinct staff working in the unit that day (on the
//! line's shift if it names one; holding its qualification if it names one), leaving out work
//! that collides with the person's leave. Fewer than `min` is a violation.
//! Policy: 「休暇等による欠員が生じた場合…適切に補充」 (DESIGN.md: Coverage).

use super::{leave::collides, Measure, RuleId, Violation};
use crate::model::{Model, Work};
use rayon::prelude::*;

pub(super) fn check(model: &Model) -> Vec<Violation> {
    model
        .demand
        .par_iter()
        .with_min_len(256)
        .filter_map(|line| {
            let present = present(
                model,
                line.unit as usize,
                line.day as usize,
                line.shift,
                line.qualification,
            );
            (present < line.min as usize).then(|| {
                let d = &model.snapshot.demand[line.entry as usize];
                let what = match (&d.shift, &d.qualification) {
                    (Some(sh), Some(q)) => format!(" on shift {sh} holding {q}"),
                    (Some(sh), None) => format!(" on shift {sh}"),
                    (None, Some(q)) => format!(" holding {q}"),
                    (None, None) => String::new(),
                };
                Violation {
                    rule: RuleId::Coverage,
                    staff: None,
                    unit: Some(d.unit.clone()),
                    date: d.date,
                    end_date: None,
                    time: None,
                    shift: d.shift.clone(),
                    measured: present as i64,
                    limit: line.min as i64,
                    measure: Measure::Staff,
                    demand_entry: Some(line.entry),
                    roster_entries: Vec::new(),
                    message: format!(
                        "{} has {present} staff{what} on {}, needs {}",
                        d.unit, d.date, line.min
                    ),
                }
            })
        })
        .collect()
}

/// Distinct staff present in unit `u` on day `d`, on `shift` if given, holding `qualification` if given.
pub fn present(
    model: &Model,
    u: usize,
    d: usize,
    shift: Option<u32>,
    qualification: Option<u32>,
) -> usize {
    let mut count = 0;
    let mut last_staff = u32::MAX;
    // `work_in` is sorted by staff, so distinct staff are counted by comparing with the previous.
    for &i in model.work_in(u, d) {
        let w: &Work = &model.work[i as usize];
        if w.staff == last_staff || shift.is_some_and(|sh| sh != w.shift) {
            continue;
        }
        if qualification
            .is_some_and(|q| !model.staff_qualifications[w.staff as usize].contains(q as usize))
        {
            continue;
        }
        if model
            .leave_of(w.staff as usize)
            .iter()
            .any(|l| collides(w, l))
        {
            continue;
        }
        last_staff = w.staff;
        count += 1;
    }
    count
}

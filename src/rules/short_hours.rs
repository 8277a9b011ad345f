//! Short-hours arrangements (育児短時間勤務, 部分休業): a daily limit on rostered minutes.
//!
//! Meaning: for a staff member with `contract.short_hours`, the paid minutes of a shift plus its
//! overtime may not exceed `max_daily_minutes`.
//! Policy: DESIGN.md "short-hours staff (育児短時間勤務, 部分休業) have less".

use super::{Measure, RuleId, Violation};
use crate::model::{Model, Work};

pub(super) fn check(model: &Model, s: usize, work: &[Work], out: &mut Vec<Violation>) {
    let Some(short) = &model.snapshot.staff[s].contract.short_hours else {
        return;
    };
    let limit = short.max_daily_minutes as i64;
    for w in work {
        let minutes = model.shifts[w.shift as usize].paid as i64 + w.overtime as i64;
        if minutes > limit {
            out.push(
                Violation::on_work(model, RuleId::ShortHours, w, minutes, limit, Measure::Minutes).because(format!(
                    "{minutes} min rostered on {} under a {:?} arrangement of at most {limit} min a day",
                    model.date(w.day as usize),
                    short.kind
                )),
            );
        }
    }
}

//! ノー残業デー — the no-overtime weekday.
//!
//! Meaning: no overtime may be planned on a shift that starts on `rules.no_overtime_weekday`.
//! Default: Wednesday.
//! Policy: 「毎週水曜日を『定時退庁に努める日（ノー残業デー）』とする取組」.

use super::{Measure, RuleId, Violation};
use crate::model::{Model, Work};

pub(super) fn check(model: &Model, _s: usize, work: &[Work], out: &mut Vec<Violation>) {
    let Some(weekday) = model.snapshot.rules.no_overtime_weekday else {
        return;
    };
    for w in work {
        if w.overtime > 0 && model.days[w.day as usize].weekday == weekday {
            out.push(
                Violation::on_work(
                    model,
                    RuleId::NoOvertimeDay,
                    w,
                    w.overtime as i64,
                    0,
                    Measure::Minutes,
                )
                .because(format!(
                    "{} min overtime planned on {}, the no-overtime day ({weekday})",
                    w.overtime,
                    model.date(w.day as usize)
                )),
            );
        }
    }
}

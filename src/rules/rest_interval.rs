//! 勤務間インターバル — rest interval between work periods.
//!
//! Meaning: between the end of one work period (a day's work, overtime included; a shift that
//! crosses midnight ends the next morning) and the start of the next day's work there must be at
//! least `rules.rest_interval_minutes`. Work on the same day (a split shift) is one work period.
//! Default: 11 h (660 min); exactly 11 h is lawful, 10 h 59 min is not.
//! Policy: 「勤務終了から次の勤務開始まで一定の休息時間を設ける勤務間インターバル制度の導入を検討します」.

use super::{fmt_minutes, Measure, RuleId, Violation};
use crate::model::{Model, Work};

pub(super) fn check(model: &Model, _s: usize, work: &[Work], out: &mut Vec<Violation>) {
    let min_rest = model.snapshot.rules.rest_interval_minutes as i64;
    // Latest end of any work period on an earlier day, and the work that ends then.
    let mut previous: Option<&Work> = None;
    let mut current: Option<&Work> = None;
    let mut i = 0;
    while i < work.len() {
        let day = work[i].day;
        let mut j = i;
        let mut latest = &work[i];
        while j < work.len() && work[j].day == day {
            if work[j].end > latest.end {
                latest = &work[j];
            }
            j += 1;
        }
        if let Some(c) = current {
            if previous.is_none_or(|p| c.end > p.end) {
                previous = Some(c);
            }
        }
        if let Some(p) = previous {
            let first = &work[i];
            let gap = (first.start - p.end) as i64;
            // A negative gap is an overlap, which double booking reports.
            if (0..min_rest).contains(&gap) {
                out.push(
                    Violation::on_work(
                        model,
                        RuleId::RestInterval,
                        first,
                        gap,
                        min_rest,
                        Measure::Minutes,
                    )
                    .because(format!(
                        "rest of {} between work ending {} and work starting {} is below {}",
                        fmt_minutes(gap),
                        model.datetime(p.end).format("%Y-%m-%d %H:%M"),
                        model.datetime(first.start).format("%Y-%m-%d %H:%M"),
                        fmt_minutes(min_rest)
                    )),
                );
                if let Some(v) = out.last_mut() {
                    v.roster_entries.insert(0, p.entry);
                }
            }
        }
        current = Some(latest);
        i = j;
    }
}

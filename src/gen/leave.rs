//! Leave at realistic rates: about 14 days of annual leave a person, long sick leave for about
//! 2.4 % of staff a year, maternity (8 + 8 weeks) often followed by childcare leave of two weeks to
//! two years, nursing-care leave, summer special leave, and hourly leave taken out of shifts.

use super::staff::Person;
use crate::model::{is_year_end, Employment, Id, Leave, LeaveKind, LeaveStatus, TimeRange};
use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

/// The standard day's paid minutes (08:30–17:15 less a 60 min break): one day of annual leave.
const STANDARD_DAY_MINUTES: u32 = 7 * 60 + 45;
/// One hourly annual leave: two hours.
const HOURLY_LEAVE_MINUTES: u32 = 2 * 60;

/// Whole-day leave per person and day, and hourly leave per person, for the roster builder.
pub struct LeaveBook {
    /// Every leave entry.
    pub entries: Vec<Leave>,
    /// `away[p][d]`: person `p` is on whole-day leave on day `d`.
    pub away: Vec<Vec<bool>>,
    /// `hourly[p]`: days on which person `p` takes hourly leave.
    pub hourly: Vec<Vec<u32>>,
}

fn add(date: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        date.checked_add_days(Days::new(days as u64))
            .unwrap_or(date)
    } else {
        date.checked_sub_days(Days::new((-days) as u64))
            .unwrap_or(date)
    }
}

/// Generates everyone's leave over the horizon `start ..= end`.
pub fn build(
    rng: &mut ChaCha8Rng,
    people: &[Person],
    start: NaiveDate,
    end: NaiveDate,
    holidays: &HashSet<NaiveDate>,
) -> LeaveBook {
    let n_days = (end - start).num_days() as usize + 1;
    let mut book = LeaveBook {
        entries: Vec::new(),
        away: vec![vec![false; n_days]; people.len()],
        hourly: vec![Vec::new(); people.len()],
    };
    let day_of = |d: NaiveDate| (d - start).num_days();
    let workday = |d: NaiveDate| {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
            && !holidays.contains(&d)
            && !is_year_end(d)
    };

    for (p, person) in people.iter().enumerate() {
        let st = &person.staff;
        let age = start.year() - st.birth_date.year();
        let regular = st.employment == Employment::Regular;
        let mut spans: Vec<(NaiveDate, NaiveDate, LeaveKind)> = Vec::new();

        // Long leave first: at most one long episode a person, so spans never overlap.
        let x: f64 = rng.random();
        if x < 0.024 {
            let from = add(start, rng.random_range(0..n_days as i64));
            spans.push((from, add(from, rng.random_range(30..=180)), LeaveKind::Sick));
        } else if regular && (25..=40).contains(&age) && x < 0.024 + 0.03 {
            // Maternity leave, then (usually) childcare leave; some began last year.
            let from = add(start, rng.random_range(-200..n_days as i64 - 60));
            let maternity_end = add(from, 8 * 7 * 2 - 1);
            spans.push((from, maternity_end, LeaveKind::Maternity));
            if rng.random_bool(0.85) {
                let months = rng.random_range(6..=24);
                spans.push((
                    add(maternity_end, 1),
                    add(maternity_end, months * 30),
                    LeaveKind::Childcare,
                ));
            }
        } else if regular && (25..=45).contains(&age) && x < 0.024 + 0.03 + 0.03 {
            // A shorter childcare leave (fathers, second children): two weeks to three months.
            let from = add(start, rng.random_range(0..n_days as i64 - 14));
            spans.push((
                from,
                add(from, rng.random_range(14..=90) - 1),
                LeaveKind::Childcare,
            ));
        } else if age >= 45 && x < 0.024 + 0.03 + 0.03 + 0.012 {
            let from = add(start, rng.random_range(0..n_days as i64 - 5));
            spans.push((
                from,
                add(from, rng.random_range(5..=60) - 1),
                LeaveKind::NursingCare,
            ));
        }
        for &(from, to, _) in &spans {
            for d in day_of(from).max(0)..=day_of(to).min(n_days as i64 - 1) {
                book.away[p][d as usize] = true;
            }
        }

        // Single days go on working days (not weekends, national holidays or the year-end closure)
        // the person is not already away.
        let free = |book: &LeaveBook, date: NaiveDate| {
            let d = day_of(date);
            d >= 0
                && d < n_days as i64
                && workday(date)
                && !book.away[p][d as usize]
                && !book.hourly[p].contains(&(d as u32))
        };
        // Summer special leave (夏季休暇) for regulars: three weekdays between July and September.
        if regular {
            let summer = NaiveDate::from_ymd_opt(start.year(), 7, 1).unwrap_or(start);
            let mut left = 3;
            for _ in 0..100 {
                if left == 0 {
                    break;
                }
                let date = add(summer, rng.random_range(0..92));
                if free(&book, date) {
                    book.away[p][day_of(date) as usize] = true;
                    spans.push((date, date, LeaveKind::Special));
                    left -= 1;
                }
            }
        }
        // Annual leave taken: about 14 days for regulars (6 to 22), fewer for appointees; about a
        // fifth of the picks are two hours at the end of a day, taken out of the shift, so the
        // target counts minutes (a whole day is the standard 7 h 45 min) and days are drawn
        // until it is reached. Someone away most of the year takes what is left.
        let days: u32 = if st.employment == Employment::FiscalYearAppointee {
            rng.random_range(4..=12)
        } else {
            rng.random_range(6..=22)
        };
        let target = days * STANDARD_DAY_MINUTES;
        let mut taken = 0;
        let mut tries = 0;
        while taken < target && tries < 40 * days {
            tries += 1;
            let date = add(start, rng.random_range(0..n_days as i64));
            if !free(&book, date) {
                continue;
            }
            let d = day_of(date);
            if rng.random_bool(0.2) {
                // Two hours at the end of the day, taken out of the shift.
                book.hourly[p].push(d as u32);
                book.entries.push(Leave {
                    id: Id::default(),
                    staff: st.id.clone(),
                    kind: LeaveKind::Annual,
                    from: date,
                    to: date,
                    hours: Some(TimeRange {
                        start: NaiveTime::from_hms_opt(14, 0, 0).unwrap_or_default(),
                        end: NaiveTime::from_hms_opt(16, 0, 0).unwrap_or_default(),
                    }),
                    status: LeaveStatus::Approved,
                });
                taken += HOURLY_LEAVE_MINUTES;
            } else {
                book.away[p][d as usize] = true;
                spans.push((date, date, LeaveKind::Annual));
                taken += STANDARD_DAY_MINUTES;
            }
        }
        // Leave that ended before the horizon (a maternity leave begun last year) is not recorded.
        spans.retain(|&(from, to, _)| to >= start && from <= end);
        spans.sort();
        for (from, to, kind) in spans {
            let status = if from > add(start, 120) && rng.random_bool(0.3) {
                LeaveStatus::Planned
            } else {
                LeaveStatus::Approved
            };
            book.entries.push(Leave {
                id: Id::default(),
                staff: st.id.clone(),
                kind,
                from,
                to,
                hours: None,
                status,
            });
        }
    }
    for (i, l) in book.entries.iter_mut().enumerate() {
        l.id = Id::new(format!("L{:07}", i + 1));
    }
    book
}

//! Planted violations: a small, known number of breaches of each rule, placed where they break
//! that rule and no other, so the checker has something real to find and tests know the answer.

use super::leave::LeaveBook;
use super::organisation::{shift, UnitKind};
use super::roster::{Inputs, Slot};
use crate::model::{Demand, Employment, Id};
use crate::rules::RuleId;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// A violation the generator planted on purpose: the checker must report exactly this.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct Planted {
    /// The rule broken.
    pub rule: RuleId,
    /// The staff member, for per-person rules.
    pub staff: Option<Id>,
    /// The unit, for coverage.
    pub unit: Option<Id>,
    /// The violation's date (the first day of its period for caps).
    pub date: NaiveDate,
}

/// The most overtime a day can carry under an 11 h rest before an 08:30 start.
const MAX_DAILY_OVERTIME: u32 = 240;

struct Planter<'a, 'b> {
    inp: &'b Inputs<'a>,
    leave: &'b LeaveBook,
    slots: &'b mut [Vec<Slot>],
    used: HashSet<usize>,
    out: Vec<Planted>,
}

impl Planter<'_, '_> {
    fn date(&self, d: u32) -> NaiveDate {
        self.inp
            .start
            .checked_add_days(Days::new(d as u64))
            .unwrap_or(self.inp.start)
    }

    fn weekday(&self, d: u32) -> Weekday {
        self.date(d).weekday()
    }

    /// Whether `per_rule` violations of `rule` are planted already.
    fn enough(&self, rule: RuleId, per_rule: usize) -> bool {
        self.out.iter().filter(|x| x.rule == rule).count() >= per_rule
    }

    /// Sends `p` to work `shift` in `unit` on a free Saturday the unit is open; records `rule`.
    fn saturday_in(&mut self, p: usize, unit: usize, shift: usize, rule: RuleId) {
        let open = |d: u32| {
            self.inp.org.units[unit]
                .opening
                .is_open(self.date(d), self.inp.holidays, true)
        };
        if let Some(sat) = self.free_saturday(p, shift).filter(|&d| open(d)) {
            self.insert(
                p,
                Slot {
                    day: sat,
                    unit,
                    shift,
                    overtime: 0,
                },
            );
            let date = self.date(sat);
            self.record(rule, p, date);
        }
    }

    fn record(&mut self, rule: RuleId, p: usize, date: NaiveDate) {
        self.used.insert(p);
        self.out.push(Planted {
            rule,
            staff: Some(self.inp.people[p].staff.id.clone()),
            unit: None,
            date,
        });
    }

    /// Plain office staff: regular, full-time, standard day, ordinary caps, no accommodations.
    fn plain(&self, p: usize) -> bool {
        let person = &self.inp.people[p];
        let st = &person.staff;
        !self.used.contains(&p)
            && st.employment == Employment::Regular
            && person.office_shift == shift::DAY
            && self.inp.plans[person.unit].kind == UnitKind::Office
            && !self.inp.org.units[person.unit].high_load
            && st.accommodations.is_empty()
            && st.contract.short_hours.is_none()
            && st.qualifications.is_empty()
    }

    fn people(&self, rng: &mut ChaCha8Rng, keep: impl Fn(&Self, usize) -> bool) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.inp.people.len())
            .filter(|&p| keep(self, p))
            .collect();
        v.shuffle(rng);
        v
    }

    fn no_overtime_day(&self, d: u32) -> bool {
        Some(self.weekday(d)) == self.inp.rules.no_overtime_weekday
    }

    fn overtime_between(&self, p: usize, from: NaiveDate, to: NaiveDate) -> u32 {
        self.slots[p]
            .iter()
            .filter(|s| (from..=to).contains(&self.date(s.day)))
            .map(|s| s.overtime)
            .sum()
    }

    fn month_bounds(&self, d: u32) -> (NaiveDate, NaiveDate) {
        let date = self.date(d);
        let first = date.with_day(1).unwrap_or(date);
        let last = first
            .checked_add_months(chrono::Months::new(1))
            .and_then(|x| x.pred_opt())
            .unwrap_or(date);
        (first.max(self.inp.start), last)
    }

    /// Room for more overtime on slot `i` of `p` without cutting the next rest interval.
    fn room(&self, p: usize, i: usize) -> u32 {
        let list = &self.slots[p];
        let s = &list[i];
        if self.no_overtime_day(s.day) || self.leave.hourly[p].contains(&s.day) {
            return 0;
        }
        let mut room = MAX_DAILY_OVERTIME.saturating_sub(s.overtime) as i64;
        if let Some(next) = list.get(i + 1) {
            let rest = self.inp.shifts.start(next)
                - self.inp.shifts.end(s)
                - self.inp.rules.rest_interval_minutes as i64;
            room = room.min(rest);
        }
        room.max(0) as u32
    }

    /// Raises `p`'s overtime in the slots of `[from, to]` by up to `want` minutes; returns what was added.
    fn raise(&mut self, p: usize, from: NaiveDate, to: NaiveDate, mut want: u32) -> u32 {
        let mut added = 0;
        for i in 0..self.slots[p].len() {
            if want == 0 {
                break;
            }
            let date = self.date(self.slots[p][i].day);
            if date < from || date > to {
                continue;
            }
            let amount = self.room(p, i).min(want);
            self.slots[p][i].overtime += amount;
            want -= amount;
            added += amount;
        }
        added
    }

    fn insert(&mut self, p: usize, slot: Slot) {
        let list = &mut self.slots[p];
        let at = list.partition_point(|s| (s.day, s.shift) < (slot.day, slot.shift));
        list.insert(at, slot);
    }

    /// A Saturday on which `p` works Monday–Friday, is off at the weekend and not on leave, and
    /// could start shift `sh` with a full rest interval after Friday's work (overtime included).
    fn free_saturday(&self, p: usize, sh: usize) -> Option<u32> {
        let list = &self.slots[p];
        let rest = self.inp.rules.rest_interval_minutes as i64;
        (0..list.len().saturating_sub(4)).find_map(|i| {
            let mon = list[i].day;
            let week_ok = self.weekday(mon) == Weekday::Mon
                && (0..5).all(|k| list.get(i + k).is_some_and(|s| s.day == mon + k as u32));
            let weekend_free = list.get(i + 5).is_none_or(|s| s.day > mon + 6);
            let sat = mon + 5;
            let saturday = Slot {
                day: sat,
                unit: list[i].unit,
                shift: sh,
                overtime: 0,
            };
            let rested = week_ok
                && self.inp.shifts.start(&saturday) - self.inp.shifts.end(&list[i + 4]) >= rest;
            (week_ok
                && rested
                && weekend_free
                && (sat as usize + 1) < self.inp.n_days
                && !self.leave.away[p][sat as usize]
                && !self.leave.away[p][sat as usize + 1])
                .then_some(sat)
        })
    }
}

/// Plants `per_rule` violations of each rule into the roster and demand; returns what it planted.
pub fn plant(
    rng: &mut ChaCha8Rng,
    inp: &Inputs,
    leave: &LeaveBook,
    slots: &mut [Vec<Slot>],
    demand: &mut [Demand],
    per_rule: usize,
) -> Vec<Planted> {
    let mut pl = Planter {
        inp,
        leave,
        slots,
        used: HashSet::new(),
        out: Vec::new(),
    };
    let cap_month = inp.rules.overtime.monthly_minutes;
    let cap_year = inp.rules.overtime.yearly_minutes;
    let rest = inp.rules.rest_interval_minutes as i64;
    let day_shift = inp.shifts.index(shift::DAY);

    // Rest interval: overtime that leaves ten hours before the next morning.
    for p in pl.people(rng, Planter::plain).into_iter() {
        if pl.enough(RuleId::RestInterval, per_rule) {
            break;
        }
        let list = &pl.slots[p];
        let found = (0..list.len().saturating_sub(1)).find_map(|i| {
            let (a, b) = (&list[i], &list[i + 1]);
            if b.day != a.day + 1
                || pl.no_overtime_day(a.day)
                || pl.leave.hourly[p].contains(&a.day)
            {
                return None;
            }
            let shift_end = inp.shifts.start(a) + inp.shifts.types[a.shift].span_minutes() as i64;
            let overtime = (inp.shifts.start(b) - (rest - 60) - shift_end) as u32;
            let (from, to) = pl.month_bounds(a.day);
            let month = pl.overtime_between(p, from, to) - a.overtime + overtime;
            let year = pl.overtime_between(p, inp.start, NaiveDate::MAX) - a.overtime + overtime;
            (month <= cap_month && year <= cap_year).then_some((i, overtime, b.day))
        });
        if let Some((i, overtime, next_day)) = found {
            pl.slots[p][i].overtime = overtime;
            let date = pl.date(next_day);
            pl.record(RuleId::RestInterval, p, date);
        }
    }

    // Double booking: a staggered late shift on top of the standard day.
    let late = inp.shifts.index(shift::DAY_LATE);
    for p in pl.people(rng, Planter::plain).into_iter().take(per_rule) {
        let list = &pl.slots[p];
        let found = list.iter().position(|s| {
            s.shift == day_shift && s.overtime <= 60 && !pl.leave.hourly[p].contains(&s.day)
        });
        if let Some(i) = found {
            let s = pl.slots[p][i];
            pl.insert(
                p,
                Slot {
                    shift: late,
                    overtime: 0,
                    ..s
                },
            );
            let date = pl.date(s.day);
            pl.record(RuleId::DoubleBooking, p, date);
        }
    }

    // Seven days in a row: a whole weekend worked after a full week.
    for p in pl.people(rng, Planter::plain).into_iter() {
        if pl.enough(RuleId::ConsecutiveWorkDays, per_rule) {
            break;
        }
        let Some(sat) = pl.free_saturday(p, day_shift) else {
            continue;
        };
        let unit = inp.people[p].unit;
        pl.insert(
            p,
            Slot {
                day: sat,
                unit,
                shift: day_shift,
                overtime: 0,
            },
        );
        pl.insert(
            p,
            Slot {
                day: sat + 1,
                unit,
                shift: day_shift,
                overtime: 0,
            },
        );
        let date = pl.date(sat + 1);
        pl.record(RuleId::ConsecutiveWorkDays, p, date);
    }

    // Overtime on the no-overtime day.
    for p in pl.people(rng, Planter::plain).into_iter() {
        if pl.enough(RuleId::NoOvertimeDay, per_rule) {
            break;
        }
        let list = &pl.slots[p];
        let found = list
            .iter()
            .position(|s| pl.no_overtime_day(s.day) && !pl.leave.hourly[p].contains(&s.day));
        if let Some(i) = found {
            let (from, to) = pl.month_bounds(pl.slots[p][i].day);
            if pl.overtime_between(p, from, to) + 60 <= cap_month
                && pl.overtime_between(p, inp.start, NaiveDate::MAX) + 60 <= cap_year
            {
                pl.slots[p][i].overtime = 60;
                let date = pl.date(pl.slots[p][i].day);
                pl.record(RuleId::NoOvertimeDay, p, date);
            }
        }
    }

    // Monthly cap: one month an hour over 45 h.
    for p in pl.people(rng, Planter::plain).into_iter() {
        if pl.enough(RuleId::OvertimeMonthly, per_rule) {
            break;
        }
        let before = pl.slots[p].clone();
        let Some(mid) = pl.slots[p].get(pl.slots[p].len() / 2).map(|s| s.day) else {
            continue;
        };
        let (from, to) = pl.month_bounds(mid);
        let want = (cap_month + 60).saturating_sub(pl.overtime_between(p, from, to));
        let added = pl.raise(p, from, to, want);
        if added == want && pl.overtime_between(p, inp.start, NaiveDate::MAX) <= cap_year {
            pl.record(RuleId::OvertimeMonthly, p, from);
        } else {
            pl.slots[p] = before;
        }
    }

    // Yearly cap: every month just under 45 h.
    for p in pl.people(rng, Planter::plain).into_iter() {
        if pl.enough(RuleId::OvertimeYearly, per_rule) {
            break;
        }
        let before = pl.slots[p].clone();
        let mut month_start = inp.start;
        while month_start <= pl.date(inp.n_days as u32 - 1) {
            let (from, to) = pl.month_bounds((month_start - inp.start).num_days() as u32);
            let want = (cap_month - 60).saturating_sub(pl.overtime_between(p, from, to));
            pl.raise(p, from, to, want);
            month_start = to.succ_opt().unwrap_or(NaiveDate::MAX);
        }
        if pl.overtime_between(p, inp.start, NaiveDate::MAX) > cap_year {
            pl.record(RuleId::OvertimeYearly, p, inp.start);
        } else {
            pl.slots[p] = before;
        }
    }

    // High-load units: two non-peak months averaging over 80 h, worked with Saturdays.
    let high_load = |pl: &Planter, p: usize| {
        let person = &inp.people[p];
        !pl.used.contains(&p)
            && inp.org.units[person.unit].high_load
            && person.staff.employment == Employment::Regular
            && person.office_shift == shift::DAY
            && person.staff.contract.short_hours.is_none()
            && person.staff.accommodations.is_empty()
    };
    let hl = &inp.rules.high_load_overtime;
    for p in pl.people(rng, high_load).into_iter() {
        if pl.enough(RuleId::OvertimeMultiMonthAverage, per_rule) {
            break;
        }
        let before = pl.slots[p].clone();
        // June and July of the fiscal year: both non-peak, between non-peak months.
        let year = inp.start.year();
        let (Some(june), Some(july_end)) = (
            NaiveDate::from_ymd_opt(year, 6, 1),
            NaiveDate::from_ymd_opt(year, 7, 31),
        ) else {
            continue;
        };
        if june < inp.start || july_end > pl.date(inp.n_days as u32 - 1) {
            continue;
        }
        // Saturdays after a working week; Sunday stays off, so no run passes six days.
        for d in (june - inp.start).num_days() as u32..=(july_end - inp.start).num_days() as u32 {
            let list = &pl.slots[p];
            let worked = |x: u32| list.iter().any(|s| s.day == x);
            let run_before = (1..=6).take_while(|&k| d >= k && worked(d - k)).count();
            if pl.weekday(d) == Weekday::Sat
                && !worked(d)
                && !worked(d + 1)
                && !pl.leave.away[p][d as usize]
                && (1..6).contains(&run_before)
            {
                pl.insert(
                    p,
                    Slot {
                        day: d,
                        unit: inp.people[p].unit,
                        shift: day_shift,
                        overtime: 0,
                    },
                );
            }
        }
        let june_end = NaiveDate::from_ymd_opt(year, 6, 30).unwrap_or(june);
        let july = NaiveDate::from_ymd_opt(year, 7, 1).unwrap_or(july_end);
        pl.raise(p, june, june_end, 100 * 60);
        pl.raise(p, july, july_end, 100 * 60);
        let (a, b) = (
            pl.overtime_between(p, june, june_end),
            pl.overtime_between(p, july, july_end),
        );
        let window_ok =
            a + b > 2 * hl.average_minutes && a <= hl.monthly_minutes && b <= hl.monthly_minutes;
        let year_ok = pl.overtime_between(p, inp.start, NaiveDate::MAX) <= hl.yearly_minutes;
        let over = months_over(&pl, p, cap_month);
        if window_ok && year_ok && over <= hl.max_months_over_ordinary_cap as usize {
            pl.record(RuleId::OvertimeMultiMonthAverage, p, june);
        } else {
            pl.slots[p] = before;
        }
    }

    // High-load units: seven months over 45 h in the year.
    for p in pl.people(rng, high_load).into_iter() {
        if pl.enough(RuleId::OvertimeMonthsOverCap, per_rule) {
            break;
        }
        let before = pl.slots[p].clone();
        let limit = hl.max_months_over_ordinary_cap as usize + 1;
        let mut month_start = inp.start;
        while months_over(&pl, p, cap_month) < limit
            && month_start <= pl.date(inp.n_days as u32 - 1)
        {
            let (from, to) = pl.month_bounds((month_start - inp.start).num_days() as u32);
            let have = pl.overtime_between(p, from, to);
            if have <= cap_month {
                pl.raise(p, from, to, cap_month + 300 - have);
            }
            month_start = to.succ_opt().unwrap_or(NaiveDate::MAX);
        }
        if months_over(&pl, p, cap_month) == limit
            && pl.overtime_between(p, inp.start, NaiveDate::MAX) <= hl.yearly_minutes
        {
            pl.record(RuleId::OvertimeMonthsOverCap, p, inp.start);
        } else {
            pl.slots[p] = before;
        }
    }

    // Work during leave: rostered on a day of whole-day leave.
    for p in pl.people(rng, Planter::plain).into_iter() {
        if pl.enough(RuleId::WorkDuringLeave, per_rule) {
            break;
        }
        let list = &pl.slots[p];
        let unit = inp.people[p].unit;
        let found = (1..inp.n_days.saturating_sub(1) as u32).find(|&d| {
            pl.leave.away[p][d as usize]
                && !pl.leave.away[p][d as usize - 1]
                && !pl.leave.away[p][d as usize + 1]
                && !matches!(pl.weekday(d), Weekday::Sat | Weekday::Sun)
                && inp.org.units[unit]
                    .opening
                    .is_open(pl.date(d), inp.holidays, true)
                && list.iter().any(|s| s.day + 1 == d)
                && list.iter().any(|s| s.day == d + 1)
                && list.iter().all(|s| s.day != d)
                && list
                    .iter()
                    .filter(|s| s.day + 6 >= d && s.day <= d + 6)
                    .count()
                    < 10
        });
        if let Some(d) = found {
            pl.insert(
                p,
                Slot {
                    day: d,
                    unit,
                    shift: day_shift,
                    overtime: 0,
                },
            );
            let date = pl.date(d);
            pl.record(RuleId::WorkDuringLeave, p, date);
        }
    }

    // Missing qualification: an office clerk helping out at a nursery on a Saturday.
    let facility = |kind: UnitKind| inp.plans.iter().find(|u| u.kind == kind).map(|u| u.index);
    if let Some(nursery) = facility(UnitKind::Nursery) {
        let middle = inp.shifts.index(shift::NURSERY_MIDDLE);
        for p in pl.people(rng, Planter::plain).into_iter() {
            if pl.enough(RuleId::MissingQualification, per_rule) {
                break;
            }
            pl.saturday_in(p, nursery, middle, RuleId::MissingQualification);
        }
    }

    // Accommodation: an accommodated clerk sent to a library on a Saturday.
    if let Some(library) = facility(UnitKind::Library) {
        let library_day = inp.shifts.index(shift::LIBRARY_DAY);
        let site = &inp.org.units[library];
        // The library must be outside what the accommodation allows: a canteen worker allowed
        // the facility category may work at a library.
        let excluded = |acc: &crate::model::Accommodations| {
            (!acc.allowed_units.is_empty() && !acc.allowed_units.contains(&site.id))
                || (!acc.allowed_categories.is_empty()
                    && !site
                        .categories
                        .iter()
                        .any(|c| acc.allowed_categories.contains(c)))
        };
        let accommodated = |pl: &Planter, p: usize| {
            let person = &inp.people[p];
            !pl.used.contains(&p)
                && excluded(&person.staff.accommodations)
                && person.staff.contract.short_hours.is_none()
                && inp.plans[person.unit].kind == UnitKind::Office
        };
        for p in pl.people(rng, accommodated).into_iter() {
            if pl.enough(RuleId::Accommodation, per_rule) {
                break;
            }
            pl.saturday_in(p, library, library_day, RuleId::Accommodation);
        }
    }

    // Short hours: an hour of overtime for someone on 育児短時間勤務.
    let short = |pl: &Planter, p: usize| {
        !pl.used.contains(&p) && inp.people[p].staff.contract.short_hours.is_some()
    };
    for p in pl.people(rng, short).into_iter() {
        if pl.enough(RuleId::ShortHours, per_rule) {
            break;
        }
        let found = (0..pl.slots[p].len()).find(|&i| pl.room(p, i) >= 60);
        if let Some(i) = found {
            pl.slots[p][i].overtime += 60;
            let date = pl.date(pl.slots[p][i].day);
            pl.record(RuleId::ShortHours, p, date);
        }
    }

    // Coverage: an office unit's need raised one above who is there, on a day no plant touched.
    let staff_count = inp.people.len() as u32;
    let mut order: Vec<usize> = (0..demand.len()).collect();
    order.shuffle(rng);
    let touched: HashSet<usize> = pl.used.iter().map(|&p| inp.people[p].unit).collect();
    let mut units_done = HashSet::new();
    for i in order {
        if pl.enough(RuleId::Coverage, per_rule) {
            break;
        }
        let line = &demand[i];
        let Some(u) = inp.org.units.iter().position(|x| x.id == line.unit) else {
            continue;
        };
        if line.shift.is_some()
            || line.qualification.is_some()
            || touched.contains(&u)
            || !units_done.insert(u)
        {
            continue;
        }
        let d = (line.date - inp.start).num_days() as u32;
        let present = (0..inp.people.len())
            .filter(|&p| {
                !pl.leave.away[p][d as usize]
                    && pl.slots[p].iter().any(|s| s.day == d && s.unit == u)
            })
            .count() as u32;
        if present < staff_count {
            let (unit, date) = (line.unit.clone(), line.date);
            demand[i].min = present + 1;
            pl.out.push(Planted {
                rule: RuleId::Coverage,
                staff: None,
                unit: Some(unit),
                date,
            });
        }
    }

    let mut out = pl.out;
    out.sort();
    out
}

fn monthly_totals(pl: &Planter, p: usize) -> Vec<u32> {
    let mut totals: Vec<(i32, u32, u32)> = Vec::new();
    for s in &pl.slots[p] {
        let d = pl.date(s.day);
        match totals.last_mut() {
            Some(t) if t.0 == d.year() && t.1 == d.month() => t.2 += s.overtime,
            _ => totals.push((d.year(), d.month(), s.overtime)),
        }
    }
    totals.into_iter().map(|t| t.2).collect()
}

fn months_over(pl: &Planter, p: usize, cap: u32) -> usize {
    monthly_totals(pl, p)
        .into_iter()
        .filter(|&m| m > cap)
        .count()
}

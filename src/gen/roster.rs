//! The year's roster, overtime and demand.
//!
//! Offices follow their opening days; shift-run facilities are filled day by day and shift by
//! shift from the unit's own staff, choosing whoever has worked least among those the rules
//! allow (rest interval, days off, weekly days, accommodations). Overtime is spread over each
//! person's month within budgets that keep every cap. Demand is the staffing the unit needs,
//! lowered to what the roster actually achieves so the base roster is lawful.

use super::leave::LeaveBook;
use super::organisation::{shift, UnitKind, UnitPlan};
use super::staff::Person;
use crate::model::{
    Assignment, Demand, Employment, Id, Organisation, Qualification, Rules, ShiftKind, ShiftType,
};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

const DAY: i64 = 24 * 60;

/// One rostered day of one person while the roster is being built.
#[derive(Clone, Copy, Debug)]
pub struct Slot {
    /// Day index.
    pub day: u32,
    /// Unit index.
    pub unit: usize,
    /// Shift type index.
    pub shift: usize,
    /// Overtime minutes.
    pub overtime: u32,
}

/// Shift timing by index, in minutes.
pub struct Shifts {
    /// The shift types.
    pub types: Vec<ShiftType>,
}

impl Shifts {
    /// Index of a shift id.
    pub fn index(&self, id: &str) -> usize {
        self.types
            .iter()
            .position(|t| t.id.as_str() == id)
            .unwrap_or(0)
    }

    /// Absolute start of a slot, minutes from the horizon's first midnight.
    pub fn start(&self, slot: &Slot) -> i64 {
        slot.day as i64 * DAY + self.types[slot.shift].start_minute() as i64
    }

    /// Absolute end of a slot, overtime included.
    pub fn end(&self, slot: &Slot) -> i64 {
        self.start(slot) + self.types[slot.shift].span_minutes() as i64 + slot.overtime as i64
    }
}

/// Everything the roster builder reads.
pub struct Inputs<'a> {
    /// The organisation.
    pub org: &'a Organisation,
    /// Unit plans.
    pub plans: &'a [UnitPlan],
    /// People.
    pub people: &'a [Person],
    /// Leave.
    pub leave: &'a LeaveBook,
    /// Shift types.
    pub shifts: &'a Shifts,
    /// Horizon start.
    pub start: NaiveDate,
    /// Days in the horizon.
    pub n_days: usize,
    /// National holidays.
    pub holidays: &'a HashSet<NaiveDate>,
    /// The rules the roster must keep.
    pub rules: &'a Rules,
}

impl Inputs<'_> {
    fn date(&self, d: usize) -> NaiveDate {
        self.start
            .checked_add_days(Days::new(d as u64))
            .unwrap_or(self.start)
    }

    fn open(&self, unit: usize, d: usize) -> bool {
        self.org.units[unit]
            .opening
            .is_open(self.date(d), self.holidays, true)
    }
}

/// Whether `p` may take shift `sh` on day `d`, given the slots already rostered before `d`.
fn allowed(inp: &Inputs, slots: &[Slot], p: usize, d: usize, sh: usize, days_a_week: u32) -> bool {
    let person = &inp.people[p];
    if inp.leave.away[p][d] || slots.last().is_some_and(|s| s.day as usize >= d) {
        return false;
    }
    let kind = inp.shifts.types[sh].kind;
    let acc = &person.staff.accommodations;
    if (acc.no_late_shifts && matches!(kind, ShiftKind::Late | ShiftKind::Night))
        || (acc.no_night_shifts && kind == ShiftKind::Night)
    {
        return false;
    }
    let candidate = Slot {
        day: d as u32,
        unit: person.unit,
        shift: sh,
        overtime: 0,
    };
    if let Some(last) = slots.last() {
        if inp.shifts.start(&candidate) - inp.shifts.end(last)
            < inp.rules.rest_interval_minutes as i64
        {
            return false;
        }
    }
    // Days off: the run ending yesterday, and the days worked in the last six.
    let mut run = 0;
    let mut week = 0;
    for s in slots.iter().rev().take(7) {
        let back = d - s.day as usize;
        if back == run + 1 {
            run += 1;
        }
        if back <= 6 {
            week += 1;
        }
    }
    run < inp.rules.max_consecutive_work_days as usize && week < days_a_week
}

/// Targets per shift for a shift-run unit with `n` shift workers, in fill order.
fn targets(kind: UnitKind, n: usize, weekday: Weekday) -> Vec<(&'static str, usize)> {
    let share = |f: f64| ((n as f64 * f).round() as usize).max(1);
    match kind {
        UnitKind::Nursery if weekday == Weekday::Sat => vec![(shift::NURSERY_MIDDLE, share(0.2))],
        UnitKind::Nursery => {
            vec![
                (shift::NURSERY_EARLY, share(0.2)),
                (shift::NURSERY_MIDDLE, share(0.3)),
                (shift::NURSERY_LATE, share(0.2)),
            ]
        }
        UnitKind::Library => vec![
            (shift::LIBRARY_DAY, share(0.35)),
            (shift::LIBRARY_LATE, share(0.25)),
        ],
        UnitKind::Plant => vec![
            (shift::PLANT_DAY, share(0.25)),
            (shift::PLANT_NIGHT, share(0.25)),
        ],
        UnitKind::Office | UnitKind::Counter => Vec::new(),
    }
}

/// One day of one unit being filled.
struct Day<'a> {
    d: usize,
    unit: usize,
    /// Shifts worked so far this year, per person: the least worked are chosen first.
    worked: &'a mut [u32],
    /// Who works in the unit today.
    present: &'a mut Vec<usize>,
}

impl Day<'_> {
    /// Rosters up to `want` of `pool` on shift `sh`, least worked first (ties broken at random),
    /// each only where the rules allow; returns how many.
    #[allow(clippy::too_many_arguments)]
    fn fill(
        &mut self,
        rng: &mut ChaCha8Rng,
        inp: &Inputs,
        slots: &mut [Vec<Slot>],
        mut pool: Vec<usize>,
        sh: usize,
        want: usize,
        days_a_week: u32,
    ) -> usize {
        pool.shuffle(rng);
        pool.sort_by_key(|&p| self.worked[p]);
        let mut got = 0;
        for p in pool {
            if got >= want {
                break;
            }
            if allowed(inp, &slots[p], p, self.d, sh, days_a_week) {
                slots[p].push(Slot {
                    day: self.d as u32,
                    unit: self.unit,
                    shift: sh,
                    overtime: 0,
                });
                self.worked[p] += 1;
                self.present.push(p);
                got += 1;
            }
        }
        got
    }
}

/// Builds the roster (slots per person) and the demand lines.
pub fn build(rng: &mut ChaCha8Rng, inp: &Inputs) -> (Vec<Vec<Slot>>, Vec<Demand>) {
    let mut slots: Vec<Vec<Slot>> = vec![Vec::new(); inp.people.len()];
    let mut demand = Vec::new();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); inp.org.units.len()];
    for (p, person) in inp.people.iter().enumerate() {
        members[person.unit].push(p);
    }
    for plan in inp.plans {
        let u = plan.index;
        let unit = &inp.org.units[u];
        // Who follows the office pattern here, and who is rostered on the unit's shifts.
        let (office, shift_workers): (Vec<usize>, Vec<usize>) =
            members[u].iter().partition(|&&p| {
                matches!(plan.kind, UnitKind::Office | UnitKind::Counter)
                    || inp.people[p].office_shift == shift::SHORT_DAY
                    || inp.people[p].office_shift == shift::PART_DAY
            });
        let weekly = if plan.kind == UnitKind::Plant { 4 } else { 5 };
        let mut worked = vec![0u32; inp.people.len()];
        for d in 0..inp.n_days {
            if !inp.open(u, d) {
                continue;
            }
            let date = inp.date(d);
            let mut present: Vec<usize> = Vec::new();
            let extra_day = unit.opening.extra_open_dates.contains(&date);
            if extra_day {
                // The counter's Saturday: a third of the full-time staff, least worked first.
                let pool: Vec<usize> = office
                    .iter()
                    .copied()
                    .filter(|&p| {
                        inp.people[p].office_shift == shift::DAY
                            && inp.people[p].staff.employment == Employment::Regular
                    })
                    .collect();
                let want = office.len().div_ceil(3).max(1);
                let sh = inp.shifts.index(shift::DAY);
                let mut day = Day {
                    d,
                    unit: u,
                    worked: &mut worked,
                    present: &mut present,
                };
                day.fill(rng, inp, &mut slots, pool, sh, want, 6);
            } else {
                for &p in &office {
                    let person = &inp.people[p];
                    let weekday = date.weekday();
                    if matches!(weekday, Weekday::Sat | Weekday::Sun)
                        || (person.days_a_week == 4 && weekday == Weekday::Fri)
                    {
                        continue;
                    }
                    let sh = inp.shifts.index(person.office_shift);
                    if allowed(inp, &slots[p], p, d, sh, 6) {
                        slots[p].push(Slot {
                            day: d as u32,
                            unit: u,
                            shift: sh,
                            overtime: 0,
                        });
                        present.push(p);
                    }
                }
            }
            let mut achieved_by_shift = Vec::new();
            for (id, target) in targets(plan.kind, shift_workers.len(), date.weekday()) {
                let sh = inp.shifts.index(id);
                let mut day = Day {
                    d,
                    unit: u,
                    worked: &mut worked,
                    present: &mut present,
                };
                let got = day.fill(
                    rng,
                    inp,
                    &mut slots,
                    shift_workers.clone(),
                    sh,
                    target,
                    weekly,
                );
                achieved_by_shift.push((id, target, got));
            }

            // Demand: what the unit needs, lowered to what it has.
            let line = |shift: Option<&str>, qualification: Option<&str>, min: usize| Demand {
                unit: unit.id.clone(),
                date,
                shift: shift.map(Id::new),
                qualification: qualification.map(Qualification::new),
                min: min as u32,
            };
            if achieved_by_shift.is_empty() {
                let need = members[u].len().div_ceil(2).max(1);
                let min = need.min(present.len());
                if min > 0 {
                    demand.push(line(None, None, min));
                }
            } else {
                for (id, target, got) in achieved_by_shift {
                    if target.min(got) > 0 {
                        demand.push(line(Some(id), None, target.min(got)));
                    }
                }
            }
            if let Some(q) = plan
                .qualification
                .filter(|_| matches!(plan.kind, UnitKind::Library | UnitKind::Office))
            {
                let code = Qualification::new(q);
                let qualified = present
                    .iter()
                    .filter(|&&p| inp.people[p].staff.qualifications.contains(&code))
                    .count();
                if qualified > 0 {
                    demand.push(line(None, Some(q), 1));
                }
            }
        }
    }
    (slots, demand)
}

/// Spreads overtime over each person's months within budgets that keep every cap: ordinary
/// staff 3–22 h a month (20–38 h in March and April, at most 296 h a year), high-load units
/// 46–65 h in their four peak months and 15–40 h otherwise (at most 580 h a year, never above an
/// 80 h average), facility staff a few hours. No overtime on the no-overtime weekday, on days of
/// hourly leave, for short-hours staff or appointees, or where it would cut the next rest interval.
pub fn add_overtime(rng: &mut ChaCha8Rng, inp: &Inputs, slots: &mut [Vec<Slot>]) {
    let no_overtime = inp.rules.no_overtime_weekday;
    for (p, person) in inp.people.iter().enumerate() {
        let st = &person.staff;
        if st.employment == Employment::FiscalYearAppointee || st.contract.short_hours.is_some() {
            continue;
        }
        let unit = &inp.org.units[person.unit];
        let facility = inp.plans[person.unit].kind != UnitKind::Office
            && inp.plans[person.unit].kind != UnitKind::Counter;
        let list = &mut slots[p];
        let mut m = 0;
        while m < list.len() {
            let month = inp.date(list[m].day as usize).month();
            let mut end = m;
            while end < list.len() && inp.date(list[end].day as usize).month() == month {
                end += 1;
            }
            let hours: u32 = if unit.high_load {
                if matches!(month, 1..=4) {
                    rng.random_range(46..=65)
                } else {
                    rng.random_range(15..=40)
                }
            } else if facility {
                rng.random_range(0..=6)
            } else if matches!(month, 3 | 4) {
                rng.random_range(20..=38)
            } else {
                rng.random_range(3..=22)
            };
            let mut budget = hours * 60;
            let mut order: Vec<usize> = (m..end).collect();
            order.shuffle(rng);
            for i in order {
                if budget < 15 {
                    break;
                }
                let day = list[i].day as usize;
                if Some(inp.date(day).weekday()) == no_overtime
                    || inp.leave.hourly[p].contains(&(day as u32))
                {
                    continue;
                }
                let mut amount = rng.random_range(2..=12u32) * 15;
                amount = amount.min(budget);
                if let Some(next) = list.get(i + 1) {
                    let room = inp.shifts.start(next)
                        - inp.shifts.end(&list[i])
                        - inp.rules.rest_interval_minutes as i64;
                    amount = amount.min(room.max(0) as u32);
                }
                let span = inp.shifts.types[list[i].shift].span_minutes();
                amount = amount.min((24 * 60 - span).saturating_sub(60));
                amount -= amount % 15;
                if amount > 0 {
                    list[i].overtime += amount;
                    budget -= amount;
                }
            }
            m = end;
        }
    }
}

/// The roster entries of every person, sorted by date, then staff, each with the (person, slot)
/// it came from.
pub fn assignments(inp: &Inputs, slots: &[Vec<Slot>]) -> Vec<(Assignment, (usize, usize))> {
    let mut out = Vec::with_capacity(slots.iter().map(Vec::len).sum());
    for (p, list) in slots.iter().enumerate() {
        for (i, s) in list.iter().enumerate() {
            out.push((
                Assignment {
                    staff: inp.people[p].staff.id.clone(),
                    date: inp.date(s.day as usize),
                    unit: inp.org.units[s.unit].id.clone(),
                    shift: inp.shifts.types[s.shift].id.clone(),
                    overtime_minutes: s.overtime,
                },
                (p, i),
            ));
        }
    }
    out.sort_by(|(a, _), (b, _)| {
        a.date
            .cmp(&b.date)
            .then_with(|| a.staff.cmp(&b.staff))
            .then_with(|| a.shift.cmp(&b.shift))
    });
    out
}

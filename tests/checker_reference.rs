//! The checker agrees with a naive reference implementation on random small cities.
//!
//! The checker is built for a whole city: dense indexes, minutes from the horizon's first
//! midnight, sorted runs, early exits. The reference below is the opposite: it reads the
//! [`Snapshot`] as given (string ids, `chrono` date-times, nested loops, no index) and follows the
//! meaning stated in each `src/rules/*.rs` doc comment word for word. Proptest generates small
//! random cities (2–5 staff, 1–2 units, 10–40 days, four shift types of which one crosses
//! midnight, random overtime, whole-day and hourly leave, demand, accommodations, short hours and
//! rules) and asserts that both find the same violations: the same rule, person (or unit, for
//! coverage), date and measured value, as many times.

mod common;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use common::{TestCity, CHILDCARE_WORKER, DAY, EARLY, LATE, LIBRARIAN, NIGHT};
use proptest::collection::vec;
use proptest::prelude::*;
use rota::model::{
    Assignment, Leave, LeaveKind, ShiftKind, ShiftType, Snapshot, WorkplaceCategory,
};
use rota::rules::{check, RuleId};
use std::collections::BTreeMap;

/// What both implementations report for a violation: rule, who (staff id, or the unit id for
/// coverage), date, measured value.
type Key = (RuleId, String, NaiveDate, i64);

const SHIFTS: [&str; 4] = [DAY, EARLY, LATE, NIGHT];
const QUALIFICATIONS: [&str; 2] = [CHILDCARE_WORKER, LIBRARIAN];

// ---------------------------------------------------------------------------------------------
// The reference
// ---------------------------------------------------------------------------------------------

/// Every violation of every rule, found the slow and obvious way.
fn reference(s: &Snapshot) -> Vec<Key> {
    let mut out = Vec::new();
    for st in &s.staff {
        let id = st.id.as_str();
        let work: Vec<(usize, &Assignment)> = s
            .roster
            .iter()
            .enumerate()
            .filter(|(_, a)| a.staff == st.id)
            .collect();
        let leave: Vec<&Leave> = s.leave.iter().filter(|l| l.staff == st.id).collect();
        let mut push = |rule, date, measured| out.push((rule, id.to_string(), date, measured));

        // Rest interval: from the latest end of any earlier day's work to the first start of
        // each day's work, when that is not an overlap.
        let mut dates: Vec<NaiveDate> = work.iter().map(|(_, a)| a.date).collect();
        dates.sort();
        dates.dedup();
        for &d in &dates {
            let first_start = work
                .iter()
                .filter(|(_, a)| a.date == d)
                .map(|(_, a)| start(s, a))
                .min()
                .unwrap();
            let previous_end = work
                .iter()
                .filter(|(_, a)| a.date < d)
                .map(|(_, a)| end(s, a))
                .max();
            if let Some(previous_end) = previous_end {
                let gap = (first_start - previous_end).num_minutes();
                if 0 <= gap && gap < i64::from(s.rules.rest_interval_minutes) {
                    push(RuleId::RestInterval, d, gap);
                }
            }
        }

        // Double booking: each entry starting before an earlier-starting one (ties broken by
        // roster order) has ended; measured as its overlap with the latest-ending such entry.
        for &(j, b) in &work {
            let overlaps: Vec<i64> = work
                .iter()
                .filter(|&&(i, a)| (start(s, a), i) < (start(s, b), j) && start(s, b) < end(s, a))
                .map(|(_, a)| (end(s, a).min(end(s, b)) - start(s, b)).num_minutes())
                .collect();
            if let Some(&overlap) = overlaps.iter().max() {
                push(RuleId::DoubleBooking, b.date, overlap);
            }
        }

        // Consecutive working days: a run longer than the limit, dated on the first day beyond.
        let max = s.rules.max_consecutive_work_days;
        for &d in &dates {
            if dates.contains(&(d - Duration::days(1))) {
                continue;
            }
            let mut length = 0;
            while dates.contains(&(d + Duration::days(length))) {
                length += 1;
            }
            if length > i64::from(max) {
                push(
                    RuleId::ConsecutiveWorkDays,
                    d + Duration::days(i64::from(max)),
                    length,
                );
            }
        }

        // No-overtime day: overtime on a shift starting on that weekday.
        for (_, a) in &work {
            if a.overtime_minutes > 0 && Some(a.date.weekday()) == s.rules.no_overtime_weekday {
                push(RuleId::NoOvertimeDay, a.date, i64::from(a.overtime_minutes));
            }
        }

        // Overtime caps, by calendar month and fiscal year of the day each shift starts.
        let high_load = unit(s, st.unit.as_str()).high_load;
        let months = horizon_months(s);
        let monthly: Vec<i64> = months
            .iter()
            .map(|&(y, m)| {
                work.iter()
                    .filter(|(_, a)| a.date.year() == y && a.date.month() == m)
                    .map(|(_, a)| i64::from(a.overtime_minutes))
                    .sum()
            })
            .collect();
        let (month_cap, year_cap) = if high_load {
            let hl = &s.rules.high_load_overtime;
            (hl.monthly_minutes, hl.yearly_minutes)
        } else {
            (
                s.rules.overtime.monthly_minutes,
                s.rules.overtime.yearly_minutes,
            )
        };
        let month_start = |i: usize| {
            let (y, m) = months[i];
            NaiveDate::from_ymd_opt(y, m, 1)
                .unwrap()
                .max(s.calendar.start)
        };
        for (i, &minutes) in monthly.iter().enumerate() {
            if minutes > i64::from(month_cap) {
                push(RuleId::OvertimeMonthly, month_start(i), minutes);
            }
        }
        let fiscal_year = |(y, m): (i32, u32)| if m >= 4 { y } else { y - 1 };
        let mut years: Vec<i32> = months.iter().map(|&m| fiscal_year(m)).collect();
        years.dedup();
        for fy in years {
            let in_year: Vec<usize> = (0..months.len())
                .filter(|&i| fiscal_year(months[i]) == fy)
                .collect();
            let first_day = NaiveDate::from_ymd_opt(fy, 4, 1)
                .unwrap()
                .max(s.calendar.start);
            let total: i64 = in_year.iter().map(|&i| monthly[i]).sum();
            if total > i64::from(year_cap) {
                push(RuleId::OvertimeYearly, first_day, total);
            }
            if high_load {
                let over = in_year
                    .iter()
                    .filter(|&&i| monthly[i] > i64::from(s.rules.overtime.monthly_minutes))
                    .count() as i64;
                if over > i64::from(s.rules.high_load_overtime.max_months_over_ordinary_cap) {
                    push(RuleId::OvertimeMonthsOverCap, first_day, over);
                }
            }
        }
        if high_load {
            // For each month, the windows of 2–6 months ending there whose average is above the
            // cap; the worst (highest average; of equal ones, the shortest) names the violation.
            let hl = &s.rules.high_load_overtime;
            let cap = i64::from(hl.average_minutes);
            for last in 0..months.len() {
                let mut worst: Option<(i64, i64)> = None;
                for k in hl.average_window_min_months..=hl.average_window_max_months {
                    let k = k as usize;
                    if k > last + 1 {
                        continue;
                    }
                    let sum: i64 = monthly[last + 1 - k..=last].iter().sum();
                    let k = k as i64;
                    let above = sum > cap * k;
                    if above && worst.is_none_or(|(ws, wk)| sum * wk > ws * k) {
                        worst = Some((sum, k));
                    }
                }
                if let Some((sum, k)) = worst {
                    let average = (sum + k - 1) / k;
                    push(
                        RuleId::OvertimeMultiMonthAverage,
                        month_start(last + 1 - k as usize),
                        average,
                    );
                }
            }
        }

        // Work during leave.
        for (_, a) in &work {
            if leave.iter().any(|l| collides(s, a, l)) {
                push(RuleId::WorkDuringLeave, a.date, 1);
            }
        }

        // Missing qualification.
        for (_, a) in &work {
            let u = unit(s, a.unit.as_str());
            if !u.required_qualifications.is_empty()
                && !u
                    .required_qualifications
                    .iter()
                    .any(|q| st.qualifications.contains(q))
            {
                push(RuleId::MissingQualification, a.date, 0);
            }
        }

        // Accommodations: one violation per entry, counting its reasons.
        let acc = &st.accommodations;
        for (_, a) in &work {
            let u = unit(s, a.unit.as_str());
            let kind = shift(s, a).kind;
            let mut reasons = 0;
            if !acc.allowed_units.is_empty() && !acc.allowed_units.contains(&u.id) {
                reasons += 1;
            }
            if !acc.allowed_categories.is_empty()
                && !u
                    .categories
                    .iter()
                    .any(|c| acc.allowed_categories.contains(c))
            {
                reasons += 1;
            }
            let late_or_night = matches!(kind, ShiftKind::Late | ShiftKind::Night);
            if (acc.no_late_shifts && late_or_night)
                || (acc.no_night_shifts && kind == ShiftKind::Night)
            {
                reasons += 1;
            }
            if reasons > 0 {
                push(RuleId::Accommodation, a.date, reasons);
            }
        }

        // Short hours: paid minutes plus overtime above the daily limit.
        if let Some(short) = &st.contract.short_hours {
            for (_, a) in &work {
                let t = shift(s, a);
                let paid = i64::from(t.span_minutes()) - i64::from(t.break_minutes);
                let minutes = paid.max(0) + i64::from(a.overtime_minutes);
                if minutes > i64::from(short.max_daily_minutes) {
                    push(RuleId::ShortHours, a.date, minutes);
                }
            }
        }
    }

    // Coverage: distinct staff working in the unit that day (on the shift, holding the
    // qualification), leaving out work that collides with their leave.
    for d in &s.demand {
        let mut present: Vec<&str> = Vec::new();
        for a in &s.roster {
            let st = s.staff.iter().find(|st| st.id == a.staff).unwrap();
            let counts = a.unit == d.unit
                && a.date == d.date
                && d.shift.as_ref().is_none_or(|sh| *sh == a.shift)
                && d.qualification
                    .as_ref()
                    .is_none_or(|q| st.qualifications.contains(q))
                && !s
                    .leave
                    .iter()
                    .any(|l| l.staff == a.staff && collides(s, a, l));
            if counts && !present.contains(&a.staff.as_str()) {
                present.push(a.staff.as_str());
            }
        }
        if present.len() < d.min as usize {
            out.push((
                RuleId::Coverage,
                d.unit.to_string(),
                d.date,
                present.len() as i64,
            ));
        }
    }
    out.sort();
    out
}

/// Whole-day leave forbids any shift starting on its days. Hourly leave forbids overtime
/// overlapping its time range, and a shift lying wholly inside it.
fn collides(s: &Snapshot, a: &Assignment, l: &Leave) -> bool {
    match &l.hours {
        None => l.from <= a.date && a.date <= l.to,
        Some(h) => {
            let (from, to) = (l.from.and_time(h.start), l.from.and_time(h.end));
            let overtime_overlaps =
                a.overtime_minutes > 0 && shift_end(s, a) < to && from < end(s, a);
            let shift_inside = from <= start(s, a) && shift_end(s, a) <= to;
            overtime_overlaps || shift_inside
        }
    }
}

fn shift<'a>(s: &'a Snapshot, a: &Assignment) -> &'a ShiftType {
    s.shift_types.iter().find(|t| t.id == a.shift).unwrap()
}

fn unit<'a>(s: &'a Snapshot, id: &str) -> &'a rota::model::Unit {
    s.organisation
        .units
        .iter()
        .find(|u| u.id.as_str() == id)
        .unwrap()
}

fn start(s: &Snapshot, a: &Assignment) -> NaiveDateTime {
    a.date.and_time(shift(s, a).start)
}

/// The end of the shift itself; the next day when its end is not after its start.
fn shift_end(s: &Snapshot, a: &Assignment) -> NaiveDateTime {
    let t = shift(s, a);
    let end = a.date.and_time(t.end);
    if t.end > t.start {
        end
    } else {
        end + Duration::days(1)
    }
}

/// The end of work, overtime included.
fn end(s: &Snapshot, a: &Assignment) -> NaiveDateTime {
    shift_end(s, a) + Duration::minutes(i64::from(a.overtime_minutes))
}

/// The calendar months the horizon touches, in order.
fn horizon_months(s: &Snapshot) -> Vec<(i32, u32)> {
    let mut months: Vec<(i32, u32)> = s
        .calendar
        .start
        .iter_days()
        .take_while(|d| *d <= s.calendar.end)
        .map(|d| (d.year(), d.month()))
        .collect();
    months.dedup();
    months
}

// ---------------------------------------------------------------------------------------------
// Random cities
// ---------------------------------------------------------------------------------------------

/// One roster entry in raw numbers: (staff, day, unit, shift, overtime).
type WorkPlan = (usize, u32, usize, usize, u32);

/// One demand line in raw numbers: (unit, day, shift, qualification, min).
type DemandPlan = (usize, u32, Option<usize>, Option<usize>, u32);

/// A random city, in raw numbers; [`build`] turns it into a valid snapshot (indexes are taken
/// modulo the counts, duplicates and overlaps are dropped).
#[derive(Clone, Debug)]
struct Plan {
    start_offset: u32,
    days: u32,
    units: Vec<UnitPlan>,
    staff: Vec<StaffPlan>,
    /// Per staff slot, per day: off, or (unit, shift, overtime).
    days_worked: Vec<Vec<Option<(usize, usize, u32)>>>,
    /// Further entries: second shifts in a day, work in another unit.
    extra_work: Vec<WorkPlan>,
    leave: Vec<LeavePlan>,
    demand: Vec<DemandPlan>,
    rules: RulesPlan,
}

#[derive(Clone, Debug)]
struct UnitPlan {
    /// Which of [`SHIFTS`] the unit runs (a non-empty bit set).
    shifts: u8,
    high_load: bool,
    required: Option<usize>,
    front_line: bool,
}

#[derive(Clone, Debug)]
struct StaffPlan {
    unit: usize,
    qualifications: u8,
    short_hours: Option<u32>,
    allowed_units: u8,
    internal_administration_only: bool,
    no_late_shifts: bool,
    no_night_shifts: bool,
}

#[derive(Clone, Debug)]
enum LeavePlan {
    /// (staff, first day counted from three days before the horizon, length in days).
    Days(usize, u32, u32),
    /// (staff, day, start in half hours after 05:00, length in half hours, ending by 23:30).
    Hours(usize, u32, u32, u32),
    /// Hourly leave exactly covering one of [`SHIFTS`] that ends the same day: (staff, day, shift).
    Shift(usize, u32, usize),
}

#[derive(Clone, Debug)]
struct RulesPlan {
    rest_interval_minutes: u32,
    max_consecutive_work_days: u32,
    no_overtime_weekday: Option<Weekday>,
    monthly: u32,
    yearly: u32,
    high_load_monthly: u32,
    high_load_yearly: u32,
    average: u32,
    window: (u32, u32),
    months_over: u32,
}

fn overtime() -> impl Strategy<Value = u32> {
    // Mostly none; often round amounts (so sums land exactly on caps); sometimes any amount, up
    // to a night shift's 24 h.
    prop_oneof![
        5 => Just(0u32),
        3 => prop::sample::select(vec![30u32, 60, 90, 120, 180, 240, 300]),
        1 => 1..600u32,
        1 => prop::sample::select(vec![450u32, 600, 720, 900]),
    ]
}

fn unit_plan() -> impl Strategy<Value = UnitPlan> {
    (
        1u8..16,
        any::<bool>(),
        prop::option::weighted(0.3, 0..2usize),
        any::<bool>(),
    )
        .prop_map(|(shifts, high_load, required, front_line)| UnitPlan {
            shifts,
            high_load,
            required,
            front_line,
        })
}

fn staff_plan() -> impl Strategy<Value = StaffPlan> {
    (
        0..2usize,
        0u8..4,
        prop::option::weighted(0.2, prop::sample::select(vec![300u32, 465, 480])),
        prop_oneof![3 => Just(0u8), 1 => 1u8..4],
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.15),
    )
        .prop_map(
            |(unit, qualifications, short_hours, allowed_units, ia, late, night)| StaffPlan {
                unit,
                qualifications,
                short_hours,
                allowed_units,
                internal_administration_only: ia,
                no_late_shifts: late,
                no_night_shifts: night,
            },
        )
}

fn leave_plan() -> impl Strategy<Value = LeavePlan> {
    prop_oneof![
        (0..5usize, 0..43u32, 1..6u32).prop_map(|(s, d, n)| LeavePlan::Days(s, d, n)),
        (0..5usize, 0..40u32, 0..30u32, 1..21u32)
            .prop_map(|(s, d, h, n)| LeavePlan::Hours(s, d, h, n)),
        (0..5usize, 0..40u32, 0..3usize).prop_map(|(s, d, sh)| LeavePlan::Shift(s, d, sh)),
    ]
}

fn rules_plan() -> impl Strategy<Value = RulesPlan> {
    (
        prop::sample::select(vec![660u32, 480, 720, 960]),
        prop::sample::select(vec![6u32, 3]),
        prop::sample::select(vec![Some(Weekday::Wed), None, Some(Weekday::Sat)]),
        prop::sample::select(vec![2700u32, 900, 1800]),
        prop::sample::select(vec![21600u32, 2500]),
        prop::sample::select(vec![6000u32, 1500]),
        prop::sample::select(vec![43200u32, 4000]),
        prop::sample::select(vec![4800u32, 600, 1200]),
        prop::sample::select(vec![(2u32, 6u32), (1, 3)]),
        prop::sample::select(vec![6u32, 0, 1]),
    )
        .prop_map(
            |(rest, consecutive, weekday, monthly, yearly, hl_monthly, hl_yearly, avg, w, over)| {
                RulesPlan {
                    rest_interval_minutes: rest,
                    max_consecutive_work_days: consecutive,
                    no_overtime_weekday: weekday,
                    monthly,
                    yearly,
                    high_load_monthly: hl_monthly,
                    high_load_yearly: hl_yearly,
                    average: avg,
                    window: w,
                    months_over: over,
                }
            },
        )
}

fn plan() -> impl Strategy<Value = Plan> {
    let day = prop_oneof![
        4 => Just(None),
        6 => (0..2usize, 0..4usize, overtime()).prop_map(Some),
    ];
    (
        0u32..500,
        10u32..=40,
        vec(unit_plan(), 1..=2),
        vec(staff_plan(), 2..=5),
        vec(vec(day, 40), 5),
        vec(
            (0..5usize, 0..40u32, 0..2usize, 0..4usize, overtime()),
            0..16,
        ),
        vec(leave_plan(), 0..10),
        vec(
            (
                0..2usize,
                0..40u32,
                prop::option::of(0..4usize),
                prop::option::weighted(0.4, 0..2usize),
                0..=3u32,
            ),
            0..16,
        ),
        rules_plan(),
    )
        .prop_map(
            |(start_offset, days, units, staff, days_worked, extra_work, leave, demand, rules)| {
                Plan {
                    start_offset,
                    days,
                    units,
                    staff,
                    days_worked,
                    extra_work,
                    leave,
                    demand,
                    rules,
                }
            },
        )
}

/// A valid snapshot from a plan.
fn build(p: &Plan) -> Snapshot {
    let start =
        NaiveDate::from_ymd_opt(2024, 12, 1).unwrap() + Duration::days(p.start_offset.into());
    let day = |d: u32| start + Duration::days(i64::from(d % p.days));
    let mut city = TestCity::new(start, p.days);
    // Every unit is open every day, so any demand date is valid; holidays do not matter then.
    city.snapshot.calendar.holidays = Some(Vec::new());

    let unit_ids: Vec<String> = (0..p.units.len()).map(|u| format!("u{u}")).collect();
    let unit_shifts: Vec<Vec<&str>> = p
        .units
        .iter()
        .map(|u| {
            (0..4)
                .filter(|i| u.shifts & (1 << i) != 0)
                .map(|i| SHIFTS[i])
                .collect()
        })
        .collect();
    for (u, plan) in p.units.iter().enumerate() {
        city.facility(&unit_ids[u], &unit_shifts[u]);
        if plan.high_load {
            city.high_load(&unit_ids[u]);
        }
        if let Some(q) = plan.required {
            city.requires(&unit_ids[u], QUALIFICATIONS[q]);
        }
        if plan.front_line {
            city.categories(&unit_ids[u], &[WorkplaceCategory::FrontLine]);
        } else {
            city.categories(
                &unit_ids[u],
                &[
                    WorkplaceCategory::Facility,
                    WorkplaceCategory::InternalAdministration,
                ],
            );
        }
    }
    let n_units = p.units.len();
    let n_staff = p.staff.len();
    let staff_ids: Vec<String> = (0..n_staff).map(|s| format!("s{s}")).collect();
    for (s, plan) in p.staff.iter().enumerate() {
        let id = &staff_ids[s];
        city.staff(id, &unit_ids[plan.unit % n_units]);
        for (q, code) in QUALIFICATIONS.iter().enumerate() {
            if plan.qualifications & (1 << q) != 0 {
                city.qualified(id, code);
            }
        }
        if let Some(minutes) = plan.short_hours {
            city.short_hours(id, minutes);
        }
        city.accommodate(id, |a| {
            a.allowed_units = (0..n_units)
                .filter(|u| plan.allowed_units & (1 << u) != 0)
                .map(|u| unit_ids[u].as_str().into())
                .collect();
            if plan.internal_administration_only {
                a.allowed_categories = vec![WorkplaceCategory::InternalAdministration];
            }
            a.no_late_shifts = plan.no_late_shifts;
            a.no_night_shifts = plan.no_night_shifts;
        });
    }

    // The roster, without repeating a (staff, date, shift).
    let mut entries: Vec<WorkPlan> = Vec::new();
    for (s, days) in p.days_worked.iter().enumerate().take(n_staff) {
        for (d, w) in days.iter().enumerate().take(p.days as usize) {
            if let Some((u, sh, ot)) = *w {
                entries.push((s, d as u32, u, sh, ot));
            }
        }
    }
    entries.extend(p.extra_work.iter().copied());
    let mut seen = Vec::new();
    for (s, d, u, sh, ot) in entries {
        let (s, u) = (s % n_staff, u % n_units);
        let shift = unit_shifts[u][sh % unit_shifts[u].len()];
        let key = (s, d % p.days, shift);
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        city.work_in(&staff_ids[s], &unit_ids[u], day(d), shift)
            .overtime(ot);
    }

    // Leave, without overlaps for one person, touching the horizon.
    let end = city.snapshot.calendar.end;
    for l in &p.leave {
        let before = city.snapshot.leave.len();
        match *l {
            LeavePlan::Days(s, d, n) => {
                let from = start + Duration::days(i64::from(d % (p.days + 3)) - 3);
                let to = from + Duration::days(i64::from(n) - 1);
                if to < start || from > end {
                    continue;
                }
                city.leave(&staff_ids[s % n_staff], LeaveKind::Annual, from, to);
            }
            LeavePlan::Hours(s, d, h, n) => {
                // Half hours after 05:00, ending by 23:30 at the latest.
                let half_hours =
                    |k: u32| common::time("05:00") + Duration::minutes(i64::from(k) * 30);
                let (from, to) = (half_hours(h), half_hours((h + n).min(37)));
                city.hourly_leave(
                    &staff_ids[s % n_staff],
                    day(d),
                    &from.format("%H:%M").to_string(),
                    &to.format("%H:%M").to_string(),
                );
            }
            LeavePlan::Shift(s, d, sh) => {
                // DAY, EARLY and LATE end the day they start.
                let t = city
                    .snapshot
                    .shift_types
                    .iter()
                    .find(|t| t.id.as_str() == SHIFTS[sh])
                    .unwrap();
                let from = t.start.format("%H:%M").to_string();
                let to = t.end.format("%H:%M").to_string();
                city.hourly_leave(&staff_ids[s % n_staff], day(d), &from, &to);
            }
        }
        let new = city.snapshot.leave[before].clone();
        let overlaps = city.snapshot.leave[..before]
            .iter()
            .any(|old| old.staff == new.staff && leave_overlaps(old, &new));
        if overlaps {
            city.snapshot.leave.truncate(before);
        }
    }

    // Demand, one line per (unit, date, shift, qualification), never above the staff count nor,
    // for a qualification, above its holders (validation refuses both as impossible).
    let holders = |q: usize| {
        p.staff
            .iter()
            .filter(|s| s.qualifications & (1 << q) != 0)
            .count() as u32
    };
    let mut keys = Vec::new();
    for &(u, d, sh, q, min) in &p.demand {
        let min = match q {
            Some(q) => min.min(holders(q)),
            None => min,
        };
        let u = u % n_units;
        let shift = sh.map(|sh| unit_shifts[u][sh % unit_shifts[u].len()]);
        let key = (u, d % p.days, shift, q);
        if keys.contains(&key) {
            continue;
        }
        keys.push(key);
        city.demand(&unit_ids[u], day(d), min.min(n_staff as u32));
        if let Some(shift) = shift {
            city.on_shift(shift);
        }
        if let Some(q) = q {
            city.holding(QUALIFICATIONS[q]);
        }
    }

    let r = &p.rules;
    city.rules(|rules| {
        rules.rest_interval_minutes = r.rest_interval_minutes;
        rules.max_consecutive_work_days = r.max_consecutive_work_days;
        rules.no_overtime_weekday = r.no_overtime_weekday;
        rules.overtime.monthly_minutes = r.monthly;
        rules.overtime.yearly_minutes = r.yearly;
        let hl = &mut rules.high_load_overtime;
        hl.monthly_minutes = r.high_load_monthly;
        hl.yearly_minutes = r.high_load_yearly;
        hl.average_minutes = r.average;
        (hl.average_window_min_months, hl.average_window_max_months) = r.window;
        hl.max_months_over_ordinary_cap = r.months_over;
    });
    city.snapshot
}

/// Whether two leave entries of one person cover a common moment (whole days cover the day).
fn leave_overlaps(a: &Leave, b: &Leave) -> bool {
    let days = a.from <= b.to && b.from <= a.to;
    match (&a.hours, &b.hours) {
        (Some(x), Some(y)) => days && x.start < y.end && y.start < x.end,
        _ => days,
    }
}

/// The checker's violations as keys.
fn checker(s: &Snapshot) -> Vec<Key> {
    let model = s
        .clone()
        .into_model()
        .unwrap_or_else(|e| panic!("generated snapshot is invalid: {:#?}", e.field_errors()));
    let mut keys: Vec<Key> = check(&model)
        .violations
        .iter()
        .map(|v| {
            let who = v.staff.as_ref().or(v.unit.as_ref()).unwrap();
            (v.rule, who.to_string(), v.date, v.measured)
        })
        .collect();
    keys.sort();
    keys
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// On any small valid city, the checker finds exactly the violations the naive reference
    /// finds, with the same measured values.
    #[test]
    fn the_checker_agrees_with_the_reference(p in plan()) {
        let snapshot = build(&p);
        let expected = reference(&snapshot);
        let found = checker(&snapshot);
        prop_assert_eq!(found, expected);
    }
}

/// The random cities are not trivially clean: across many of them every rule is broken at least
/// once, so the property above compares something for each rule.
#[test]
fn random_cities_break_every_rule() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, TestRng, TestRunner};

    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(proptest::test_runner::RngAlgorithm::ChaCha),
    );
    let mut counts: BTreeMap<RuleId, usize> = BTreeMap::new();
    for _ in 0..256 {
        let p = plan().new_tree(&mut runner).unwrap().current();
        for (rule, ..) in reference(&build(&p)) {
            *counts.entry(rule).or_default() += 1;
        }
    }
    for rule in RuleId::ALL {
        assert!(
            counts.get(&rule).copied().unwrap_or(0) > 0,
            "no random city broke {}; counts: {counts:?}",
            rule.name()
        );
    }
}

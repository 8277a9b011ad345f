//! The whole-city generator (`rota::gen`) against issue 2: deterministic output, the size and shape
//! of the source city, realistic leave and overtime, and planted violations that the checker finds
//! exactly, no more and no fewer, at every size.
//!
//! Most tests read the default city (seed 1, 500 regular staff, fiscal year 2026), generated once
//! and shared.

use chrono::{Datelike, NaiveDate, Weekday};
use proptest::prelude::*;
use rota::gen::{generate, GenConfig, GeneratedCity, Planted};
use rota::model::{
    is_year_end, Employment, Grade, GradeBand, Id, LeaveKind, ShiftKind, Snapshot, Staff, Unit,
};
use rota::rules::{check, CheckReport, RuleId};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

/// What identifies a violation across the checker and the generator's list: the rule, the staff
/// member, the unit when there is no staff member (coverage), and the date.
type Key = (RuleId, Option<Id>, Option<Id>, NaiveDate);

/// The standard day's paid minutes (08:30–17:15 less the 60 min break): one day of leave.
const STANDARD_DAY_MINUTES: f64 = 465.0;

/// The default city and its check report, built once for every test that reads it.
fn default_city() -> &'static (GeneratedCity, CheckReport) {
    static CITY: OnceLock<(GeneratedCity, CheckReport)> = OnceLock::new();
    CITY.get_or_init(|| {
        let city = generate(&GenConfig::default());
        let report = check(&load(&city.snapshot));
        (city, report)
    })
}

fn load(snapshot: &Snapshot) -> rota::model::Model {
    snapshot
        .clone()
        .into_model()
        .unwrap_or_else(|e| panic!("the generated city does not load: {e}"))
}

fn found_keys(report: &CheckReport) -> BTreeSet<Key> {
    report
        .violations
        .iter()
        .map(|v| {
            let unit = if v.staff.is_none() {
                v.unit.clone()
            } else {
                None
            };
            (v.rule, v.staff.clone(), unit, v.date)
        })
        .collect()
}

fn planted_keys(planted: &[Planted]) -> BTreeSet<Key> {
    planted
        .iter()
        .map(|p| (p.rule, p.staff.clone(), p.unit.clone(), p.date))
        .collect()
}

/// Asserts that the checker reports exactly the planted violations: the same keys, and one
/// violation per planted key (nothing found twice, nothing extra).
fn assert_finds_exactly_the_planted(city: &GeneratedCity, report: &CheckReport) {
    let found = found_keys(report);
    let planted = planted_keys(&city.planted);
    let extra: Vec<_> = found.difference(&planted).collect();
    let missed: Vec<_> = planted.difference(&found).collect();
    assert!(
        extra.is_empty() && missed.is_empty(),
        "the checker found {} violations not planted: {extra:?}\nand missed {} planted: {missed:?}",
        extra.len(),
        missed.len()
    );
    assert_eq!(
        planted.len(),
        city.planted.len(),
        "the planted list repeats a violation"
    );
    assert_eq!(
        report.violations.len(),
        city.planted.len(),
        "the checker reports some planted violation more than once"
    );
}

fn regulars(s: &Snapshot) -> Vec<&Staff> {
    s.staff
        .iter()
        .filter(|x| x.employment == Employment::Regular)
        .collect()
}

fn count(s: &Snapshot, employment: Employment) -> usize {
    s.staff
        .iter()
        .filter(|x| x.employment == employment)
        .count()
}

fn shift_kinds<'a>(s: &'a Snapshot, unit: &Unit) -> Vec<&'a rota::model::ShiftType> {
    unit.shifts
        .iter()
        .map(|id| {
            s.shift_types
                .iter()
                .find(|t| &t.id == id)
                .unwrap_or_else(|| panic!("unit {} runs unknown shift {id}", unit.id))
        })
        .collect()
}

fn horizon(s: &Snapshot) -> impl Iterator<Item = NaiveDate> {
    let (start, end) = (s.calendar.start, s.calendar.end);
    start.iter_days().take_while(move |d| *d <= end)
}

fn holidays(s: &Snapshot) -> HashSet<NaiveDate> {
    s.calendar
        .holidays
        .iter()
        .flatten()
        .map(|h| h.date)
        .collect()
}

fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days() + 1
}

// ---------------------------------------------------------------------------------------------
// Determinism
// ---------------------------------------------------------------------------------------------

/// Same config, same bytes: generating the default city again yields byte-identical JSON and the
/// same planted list, and another seed yields a different city.
#[test]
fn same_config_gives_the_same_bytes_and_another_seed_does_not() {
    let (first, _) = default_city();
    let again = generate(&GenConfig::default());
    let (a, b) = (first.snapshot.to_json(), again.snapshot.to_json());
    assert!(
        a.len() > 1_000_000,
        "the default city is suspiciously small"
    );
    assert!(a == b, "two generations of the same config differ");
    assert_eq!(first.planted, again.planted);

    let other = generate(&GenConfig {
        seed: 2,
        ..GenConfig::default()
    });
    assert_ne!(
        other.snapshot.to_json(),
        a,
        "seed 2 gives the same city as seed 1"
    );
}

// ---------------------------------------------------------------------------------------------
// The shape of the default city
// ---------------------------------------------------------------------------------------------

/// The default city has the size of the source city: exactly `config.staff` (500) regular staff,
/// about 250 fiscal-year appointees and 40 re-appointed staff, 8 departments, about 35 sections and
/// about 90 units.
#[test]
fn default_city_has_the_size_of_the_source_city() {
    let (city, _) = default_city();
    let s = &city.snapshot;
    let config = GenConfig::default();
    assert_eq!(count(s, Employment::Regular), config.staff as usize);
    let appointees = count(s, Employment::FiscalYearAppointee);
    assert!(
        (225..=275).contains(&appointees),
        "{appointees} fiscal-year appointees"
    );
    let reappointed = count(s, Employment::Reappointed);
    assert!(
        (35..=45).contains(&reappointed),
        "{reappointed} re-appointed"
    );
    let org = &s.organisation;
    assert_eq!(org.departments.len(), 8);
    assert!(
        (30..=40).contains(&org.sections.len()),
        "{} sections",
        org.sections.len()
    );
    assert!(
        (80..=100).contains(&org.units.len()),
        "{} units",
        org.units.len()
    );
    // Every section and department is staffed: the template is not just names.
    let mut staffed_sections = HashSet::new();
    for st in &s.staff {
        let unit = org.units.iter().find(|u| u.id == st.unit).expect("unit");
        staffed_sections.insert(&unit.section);
    }
    assert_eq!(staffed_sections.len(), org.sections.len());
}

/// Three library sites: shift-run, closed every Monday, open every Saturday and Sunday outside the
/// year-end closure, and actually rostered at weekends and never on a Monday.
#[test]
fn three_library_sites_close_on_mondays_and_open_at_weekends() {
    let (city, _) = default_city();
    let s = &city.snapshot;
    let holidays = holidays(s);
    let libraries: Vec<&Unit> = s
        .organisation
        .units
        .iter()
        .filter(|u| {
            u.shift_run
                && !u.opening.weekdays.contains(&Weekday::Mon)
                && u.opening.weekdays.contains(&Weekday::Sat)
                && u.opening.weekdays.contains(&Weekday::Sun)
        })
        .collect();
    assert_eq!(
        libraries.len(),
        3,
        "library-like units: {:?}",
        libraries.iter().map(|u| &u.name).collect::<Vec<_>>()
    );
    for lib in libraries {
        for d in horizon(s) {
            let open = lib.opening.is_open(d, &holidays, true);
            match d.weekday() {
                Weekday::Mon => assert!(!open, "{} open on Monday {d}", lib.name),
                Weekday::Sat | Weekday::Sun if !is_year_end(d) => {
                    assert!(open, "{} closed on {d}", lib.name)
                }
                _ => {}
            }
        }
        let worked: Vec<NaiveDate> = s
            .roster
            .iter()
            .filter(|a| a.unit == lib.id)
            .map(|a| a.date)
            .collect();
        assert!(
            worked.iter().all(|d| d.weekday() != Weekday::Mon),
            "{} rostered on a Monday",
            lib.name
        );
        let weekends: HashSet<_> = worked
            .iter()
            .filter(|d| matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
            .collect();
        assert!(
            weekends.len() >= 90,
            "{} staffed on only {} weekend days",
            lib.name,
            weekends.len()
        );
    }
}

/// Two nurseries run early, middle and late shifts (early starts first, late ends last), require
/// childcare workers, and the roster uses all three shifts in each.
#[test]
fn two_nurseries_run_early_middle_and_late_shifts() {
    let (city, _) = default_city();
    let s = &city.snapshot;
    let nurseries: Vec<&Unit> = s
        .organisation
        .units
        .iter()
        .filter(|u| {
            let kinds: HashSet<ShiftKind> = shift_kinds(s, u).iter().map(|t| t.kind).collect();
            u.shift_run
                && kinds.contains(&ShiftKind::Early)
                && kinds.contains(&ShiftKind::Late)
                && kinds.contains(&ShiftKind::Day)
        })
        .collect();
    assert_eq!(nurseries.len(), 2);
    for n in nurseries {
        let types = shift_kinds(s, n);
        let first = |k: ShiftKind| {
            types
                .iter()
                .find(|t| t.kind == k)
                .copied()
                .expect("shift kind")
        };
        let (early, late) = (first(ShiftKind::Early), first(ShiftKind::Late));
        let middle = types
            .iter()
            .find(|t| t.kind == ShiftKind::Day && t.start > early.start && t.start < late.start)
            .unwrap_or_else(|| panic!("{} has no middle shift", n.name));
        assert!(early.end < late.end && middle.end < late.end);
        assert!(
            n.required_qualifications
                .iter()
                .any(|q| q.as_str() == rota::model::Qualification::CHILDCARE_WORKER),
            "{} does not require 保育士",
            n.name
        );
        let used: HashSet<&Id> = s
            .roster
            .iter()
            .filter(|a| a.unit == n.id)
            .map(|a| &a.shift)
            .collect();
        for t in [early, middle, late] {
            assert!(used.contains(&t.id), "{} never rosters {}", n.name, t.id);
        }
    }
}

/// The water plant's monitoring room runs 24 hours: a night shift crossing midnight, open on every
/// day of the year including holidays and the year-end closure, someone rostered every day, and
/// both the day and the night shift staffed on at least 98 % of days. (Not all: the greedy roster
/// builder, with eight operators working four shifts a week and taking leave, now and then leaves
/// a night empty in some seeds, and lowers that night's demand to match.)
#[test]
fn the_water_plant_room_runs_around_the_clock_every_day() {
    let (city, _) = default_city();
    let s = &city.snapshot;
    let holidays = holidays(s);
    let rooms: Vec<&Unit> = s
        .organisation
        .units
        .iter()
        .filter(|u| shift_kinds(s, u).iter().any(|t| t.end <= t.start))
        .collect();
    assert_eq!(rooms.len(), 1, "units with a shift crossing midnight");
    let room = rooms[0];
    assert!(room.shift_run);
    assert!(horizon(s).any(|d| holidays.contains(&d)));
    for d in horizon(s) {
        assert!(room.opening.is_open(d, &holidays, true), "closed on {d}");
    }
    let night = shift_kinds(s, room)
        .into_iter()
        .find(|t| t.end <= t.start)
        .expect("night shift");
    let mut shifts_by_day: HashMap<NaiveDate, HashSet<&Id>> = HashMap::new();
    for a in s.roster.iter().filter(|a| a.unit == room.id) {
        shifts_by_day.entry(a.date).or_default().insert(&a.shift);
    }
    let n_days = horizon(s).count();
    let mut nights = 0;
    let mut both = 0;
    for d in horizon(s) {
        let on = shifts_by_day
            .get(&d)
            .unwrap_or_else(|| panic!("nobody rostered on {d}"));
        nights += usize::from(on.contains(&night.id));
        both += usize::from(on.len() >= 2);
    }
    assert!(
        nights * 100 >= n_days * 98 && both * 100 >= n_days * 98,
        "night staffed on {nights}, both shifts on {both} of {n_days} days"
    );
}

/// The front-line counter opens on some Saturdays (its `extra_open_dates`), which are Saturdays
/// outside its normal weekdays, and staff are rostered there on each of them.
#[test]
fn a_counter_opens_on_some_saturdays() {
    let (city, _) = default_city();
    let s = &city.snapshot;
    let counters: Vec<&Unit> = s
        .organisation
        .units
        .iter()
        .filter(|u| !u.opening.extra_open_dates.is_empty())
        .collect();
    assert!(!counters.is_empty(), "no unit opens on extra dates");
    for c in counters {
        assert!(!c.opening.weekdays.contains(&Weekday::Sat));
        assert!(c.opening.extra_open_dates.len() < 10, "not just some");
        for d in &c.opening.extra_open_dates {
            assert_eq!(d.weekday(), Weekday::Sat, "{d}");
            assert!((s.calendar.start..=s.calendar.end).contains(d));
            let on = s
                .roster
                .iter()
                .filter(|a| a.unit == c.id && a.date == *d)
                .count();
            assert!(on >= 1, "{} opens on {d} with nobody rostered", c.name);
        }
    }
}

/// A realistic grade pyramid: exactly one 部長 per department (heading it), each lower band at
/// least as large as the band above, and far more 主事 and 主任 than 部長.
#[test]
fn grades_form_a_pyramid_with_one_director_per_department() {
    let (city, _) = default_city();
    let s = &city.snapshot;
    let org = &s.organisation;
    let regs = regulars(s);
    let mut by_grade: BTreeMap<Grade, usize> = BTreeMap::new();
    let mut by_band: BTreeMap<GradeBand, usize> = BTreeMap::new();
    for st in &regs {
        *by_grade.entry(st.grade).or_default() += 1;
        *by_band.entry(st.grade.band()).or_default() += 1;
    }
    let n = |g: Grade| by_grade.get(&g).copied().unwrap_or(0);

    let section_of: HashMap<&Id, &Id> = org.units.iter().map(|u| (&u.id, &u.section)).collect();
    let department_of: HashMap<&Id, &Id> = org
        .sections
        .iter()
        .map(|x| (&x.id, &x.department))
        .collect();
    let mut directors: BTreeMap<&Id, usize> = BTreeMap::new();
    for st in regs.iter().filter(|x| x.grade == Grade::Director) {
        *directors
            .entry(department_of[section_of[&st.unit]])
            .or_default() += 1;
    }
    assert_eq!(directors.len(), org.departments.len(), "{directors:?}");
    assert!(directors.values().all(|&k| k == 1), "{directors:?}");

    let bands = [
        GradeBand::Executive,
        GradeBand::Manager,
        GradeBand::Supervisor,
        GradeBand::Staff,
    ];
    for w in bands.windows(2) {
        assert!(
            by_band.get(&w[0]) <= by_band.get(&w[1]),
            "band {:?} larger than {:?}: {by_band:?}",
            w[0],
            w[1]
        );
    }
    assert!(n(Grade::Clerk) >= 10 * n(Grade::Director), "{by_grade:?}");
    assert!(
        n(Grade::LeadClerk) >= 5 * n(Grade::Director),
        "{by_grade:?}"
    );
    assert_eq!(
        by_grade.iter().max_by_key(|(_, &k)| k).map(|(g, _)| *g),
        Some(Grade::Clerk),
        "主事 should be the largest grade: {by_grade:?}"
    );
    // Seniority follows grade: directors have served longer than clerks, on average.
    let mean_service = |g: Grade| {
        let v: Vec<i32> = regs
            .iter()
            .filter(|x| x.grade == g)
            .map(|x| 2026 - x.hire_date.year())
            .collect();
        v.iter().sum::<i32>() as f64 / v.len() as f64
    };
    assert!(mean_service(Grade::Director) > mean_service(Grade::Clerk) + 20.0);
}

/// Hire dates spread over about 40 years: regulars span at least 30 years of hiring, with some
/// hired in every five-year band of the last 35 years, and everyone (re-appointed staff included)
/// spans 35 to 50 years.
#[test]
fn hire_dates_spread_over_about_forty_years() {
    let (city, _) = default_city();
    let s = &city.snapshot;
    let fy = s.calendar.start.year();
    let regs = regulars(s);
    let years: Vec<i32> = regs.iter().map(|x| fy - x.hire_date.year()).collect();
    let (least, most) = (
        *years.iter().min().expect("regulars"),
        *years.iter().max().expect("regulars"),
    );
    assert!(
        least <= 1 && most >= 30,
        "regulars hired {least}..{most} years ago"
    );
    let bands: BTreeSet<i32> = years.iter().map(|y| y / 5).collect();
    for band in 0..7 {
        assert!(
            bands.contains(&band),
            "no regular hired {}–{} years ago",
            band * 5,
            band * 5 + 4
        );
    }
    let all: Vec<i32> = s.staff.iter().map(|x| x.hire_date.year()).collect();
    let span = all.iter().max().expect("staff") - all.iter().min().expect("staff");
    assert!((35..=50).contains(&span), "hire years span {span} years");
    assert!(
        s.staff
            .iter()
            .all(|x| x.hire_date <= s.calendar.start
                && x.birth_date.year() + 18 <= x.hire_date.year())
    );
}

/// Assignment histories are whole careers: postings follow each other without gap or overlap from
/// the hire date, and the last one is open and is the current unit.
#[test]
fn histories_run_from_the_hire_date_to_the_current_post() {
    let (city, _) = default_city();
    let s = &city.snapshot;
    for st in regulars(s) {
        let h = &st.history;
        assert!(!h.is_empty(), "{} has no history", st.id);
        assert_eq!(h[0].from, st.hire_date, "{}", st.id);
        let last = h.last().expect("posting");
        assert_eq!(last.unit, st.unit, "{}", st.id);
        assert_eq!(last.to, None, "{}", st.id);
        for w in h.windows(2) {
            let to = w[0]
                .to
                .unwrap_or_else(|| panic!("{} has an open past post", st.id));
            assert_eq!(to.succ_opt(), Some(w[1].from), "{}: {h:?}", st.id);
            assert!(w[0].from < to, "{}: {h:?}", st.id);
        }
    }
}

/// Early-career staff (at most five years of service) have had at most two past posts, and most of
/// those with two to five years have had one or two (both occur): they move early, but not every
/// year.
#[test]
fn early_career_staff_have_one_or_two_past_posts() {
    let (city, _) = default_city();
    let s = &city.snapshot;
    let fy = s.calendar.start.year();
    let early: Vec<&Staff> = regulars(s)
        .into_iter()
        .filter(|x| fy - x.hire_date.year() <= 5)
        .collect();
    assert!(early.len() >= 50, "only {} early-career staff", early.len());
    let past = |x: &Staff| x.history.len() - 1;
    for x in &early {
        assert!(
            past(x) <= 2,
            "{} has {} past posts: {:?}",
            x.id,
            past(x),
            x.history
        );
    }
    let settled: Vec<usize> = early
        .iter()
        .filter(|x| fy - x.hire_date.year() >= 2)
        .map(|x| past(x))
        .collect();
    let moved = settled.iter().filter(|&&k| k >= 1).count();
    assert!(
        moved * 10 >= settled.len() * 6,
        "{moved} of {} with 2–5 years have moved",
        settled.len()
    );
    assert!(settled.contains(&1) && settled.contains(&2), "{settled:?}");
}

/// Some staff declare wishes (to stay, for categories, for units) and some have accommodations,
/// so placement and the accommodation rule have data to work on.
#[test]
fn some_staff_have_wishes_and_accommodations() {
    let (city, _) = default_city();
    let s = &city.snapshot;
    let n = s.staff.len();
    let stay = s.staff.iter().filter(|x| x.wishes.stay).count();
    let categories = s
        .staff
        .iter()
        .filter(|x| !x.wishes.categories.is_empty())
        .count();
    let units = s
        .staff
        .iter()
        .filter(|x| !x.wishes.units.is_empty())
        .count();
    assert!(stay > 0 && categories > 0 && units > 0);
    assert!(
        stay + categories + units < n,
        "everyone has a wish: not realistic"
    );
    let accommodated = s
        .staff
        .iter()
        .filter(|x| !x.accommodations.is_empty())
        .count();
    assert!(
        (2..=n / 20).contains(&accommodated),
        "{accommodated} accommodated"
    );
    assert!(s.staff.iter().any(|x| x.substitute), "no substitute pool");
}

// ---------------------------------------------------------------------------------------------
// Leave and overtime rates
// ---------------------------------------------------------------------------------------------

/// Annual leave taken averages about 14 days per regular staff member (between 12.5 and 15.5):
/// whole-day entries count their days, hourly entries count their hours as a fraction of the
/// 7 h 45 min standard day. Whole days fall on working days only (no weekend, national holiday or
/// year-end closure).
#[test]
fn regulars_take_about_fourteen_days_of_annual_leave() {
    let (city, _) = default_city();
    let s = &city.snapshot;
    let holidays = holidays(s);
    let regular: HashSet<&Id> = regulars(s).iter().map(|x| &x.id).collect();
    let mut total = 0.0;
    let mut hourly = 0;
    for l in s.leave.iter().filter(|l| l.kind == LeaveKind::Annual) {
        if let Some(h) = &l.hours {
            assert_eq!(l.from, l.to);
            if regular.contains(&l.staff) {
                total += (h.end - h.start).num_minutes() as f64 / STANDARD_DAY_MINUTES;
                hourly += 1;
            }
            continue;
        }
        for d in l.from.iter_days().take_while(|d| *d <= l.to) {
            assert!(
                !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
                    && !holidays.contains(&d)
                    && !is_year_end(d),
                "annual leave {} on a day off {d}",
                l.id
            );
        }
        if regular.contains(&l.staff) {
            total += days(l.from, l.to) as f64;
        }
    }
    let per_person = total / regular.len() as f64;
    assert!(
        (12.5..=15.5).contains(&per_person),
        "{per_person:.2} days of annual leave per regular"
    );
    assert!(hourly > 0, "no hourly annual leave");
}

/// Long sick leave (at least 30 days) for roughly 1–4 % of all staff (the issue: about 2.4 %).
#[test]
fn long_sick_leave_for_a_few_percent_of_staff() {
    let (city, _) = default_city();
    let s = &city.snapshot;
    let long: HashSet<&Id> = s
        .leave
        .iter()
        .filter(|l| l.kind == LeaveKind::Sick && days(l.from, l.to) >= 30)
        .map(|l| &l.staff)
        .collect();
    let share = long.len() as f64 / s.staff.len() as f64;
    assert!(
        (0.01..=0.04).contains(&share),
        "{} of {} staff on long sick leave ({:.1} %)",
        long.len(),
        s.staff.len(),
        share * 100.0
    );
}

/// Maternity leave is exactly 16 weeks (8 before and 8 after the birth) and usually runs straight
/// into childcare leave; childcare leave lasts from two weeks to two years, with both short and
/// long ones present; some staff take nursing-care leave.
#[test]
fn maternity_childcare_and_nursing_care_leave_have_realistic_lengths() {
    let (city, _) = default_city();
    let s = &city.snapshot;
    let of = |k: LeaveKind| s.leave.iter().filter(move |l| l.kind == k);

    let maternity: Vec<_> = of(LeaveKind::Maternity).collect();
    assert!(!maternity.is_empty(), "no maternity leave");
    for l in &maternity {
        assert_eq!(days(l.from, l.to), 16 * 7, "maternity leave {}", l.id);
    }
    let childcare: Vec<_> = of(LeaveKind::Childcare).collect();
    for l in &childcare {
        let n = days(l.from, l.to);
        assert!(
            (14..=731).contains(&n),
            "childcare leave {} of {n} days",
            l.id
        );
    }
    assert!(
        childcare.iter().any(|l| days(l.from, l.to) <= 90),
        "no short childcare leave"
    );
    assert!(
        childcare.iter().any(|l| days(l.from, l.to) >= 180),
        "no long childcare leave"
    );
    let followed = maternity
        .iter()
        .filter(|m| {
            childcare
                .iter()
                .any(|c| c.staff == m.staff && m.to.succ_opt() == Some(c.from))
        })
        .count();
    assert!(
        followed >= 1,
        "no maternity leave runs into childcare leave"
    );

    let nursing = of(LeaveKind::NursingCare).count();
    assert!(
        (1..=s.staff.len() / 10).contains(&nursing),
        "{nursing} nursing-care leaves"
    );
}

/// Overtime is planned in every month, peaks in March and April (each at least 1.5 times the
/// average of the other ten months, and the two largest months), and stays well under the yearly
/// cap on average.
#[test]
fn overtime_peaks_in_march_and_april() {
    let (city, _) = default_city();
    let s = &city.snapshot;
    let mut by_month: BTreeMap<u32, u64> = BTreeMap::new();
    for a in &s.roster {
        *by_month.entry(a.date.month()).or_default() += a.overtime_minutes as u64;
    }
    assert_eq!(by_month.len(), 12);
    assert!(by_month.values().all(|&m| m > 0), "{by_month:?}");
    let others: Vec<u64> = by_month
        .iter()
        .filter(|(m, _)| !matches!(m, 3 | 4))
        .map(|(_, &v)| v)
        .collect();
    let mean = others.iter().sum::<u64>() as f64 / others.len() as f64;
    let top = *others.iter().max().expect("months");
    for peak in [3, 4] {
        let v = by_month[&peak];
        assert!(
            v as f64 >= 1.5 * mean && v > top,
            "month {peak}: {v} min against an average of {mean:.0} elsewhere: {by_month:?}"
        );
    }
    let with_overtime = s
        .staff
        .iter()
        .filter(|x| x.employment != Employment::FiscalYearAppointee)
        .count();
    let hours_each = by_month.values().sum::<u64>() as f64 / 60.0 / with_overtime as f64;
    assert!(
        (50.0..=300.0).contains(&hours_each),
        "{hours_each:.0} h overtime a year per regular or re-appointed staff member"
    );
}

// ---------------------------------------------------------------------------------------------
// Planted violations
// ---------------------------------------------------------------------------------------------

/// On the default city the checker finds exactly the planted violations; every rule has at least
/// one planted (and no more than `planted_per_rule`); and the constructive roster needed no repair,
/// so it is lawful by construction.
#[test]
fn default_city_check_finds_exactly_the_planted_violations() {
    let (city, report) = default_city();
    assert_eq!(city.stats.repairs, 0, "the roster builder needed repairs");
    assert_finds_exactly_the_planted(city, report);
    let per_rule = GenConfig::default().planted_per_rule;
    let mut by_rule: BTreeMap<RuleId, usize> = BTreeMap::new();
    for p in &city.planted {
        *by_rule.entry(p.rule).or_default() += 1;
    }
    for rule in RuleId::ALL {
        let n = by_rule.get(&rule).copied().unwrap_or(0);
        assert!(
            (1..=per_rule).contains(&n),
            "{n} planted violations of {}",
            rule.name()
        );
    }
    let mut sorted = city.planted.clone();
    sorted.sort();
    assert_eq!(sorted, city.planted, "the planted list is not sorted");
}

/// With nothing planted, the generated roster breaks no rule at all, for the default city and a
/// small one.
#[test]
fn with_nothing_planted_the_check_is_clean() {
    for staff in [500, 60] {
        let city = generate(&GenConfig {
            staff,
            planted_per_rule: 0,
            ..GenConfig::default()
        });
        assert!(city.planted.is_empty());
        assert_eq!(city.stats.repairs, 0);
        let report = check(&load(&city.snapshot));
        assert!(
            report.is_clean(),
            "{staff} staff, nothing planted, yet {} violations, e.g. {:?}",
            report.violations.len(),
            report.violations.first()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, ..ProptestConfig::default() })]

    /// For small cities of any seed, size (20–300 regulars) and fiscal year (2024–2028), the
    /// output loads, the roster builder needs no repair, and the checker finds exactly the planted
    /// violations.
    #[test]
    fn small_cities_load_and_the_checker_finds_exactly_the_planted(
        seed in any::<u64>(),
        staff in 20u32..=300,
        fiscal_year in 2024i32..=2028,
    ) {
        let city = generate(&GenConfig { seed, staff, fiscal_year, ..GenConfig::default() });
        prop_assert_eq!(city.snapshot.calendar.start.year(), fiscal_year);
        prop_assert_eq!(count(&city.snapshot, Employment::Regular), staff as usize);
        prop_assert_eq!(city.stats.repairs, 0);
        prop_assert!(!city.planted.is_empty());
        let report = check(&load(&city.snapshot));
        assert_finds_exactly_the_planted(&city, &report);
    }
}

/// Regression: small cities in which the planter once broke a rule it did not mean to, or failed
/// to break the one it meant to. A Saturday shift planted after a Friday late start with overtime
/// cut the rest interval (an extra `rest_interval`), and an accommodation allowing the facility
/// category (a canteen worker) let the planted library shift pass (a missing `accommodation`).
/// With the generator of this commit these configs fail without the fixes in `src/gen/plant.rs`;
/// a later change to the random stream may turn them into ordinary small cities.
#[test]
fn known_planter_failures_stay_fixed() {
    for (seed, staff, fiscal_year) in [
        (483_062, 77, 2025),
        (2_842_924, 33, 2028),
        (253_411, 119, 2026),
        (1_092_825, 43, 2027),
    ] {
        let city = generate(&GenConfig {
            seed,
            staff,
            fiscal_year,
            ..GenConfig::default()
        });
        let report = check(&load(&city.snapshot));
        assert_finds_exactly_the_planted(&city, &report);
    }
}

// ---------------------------------------------------------------------------------------------
// Scale
// ---------------------------------------------------------------------------------------------

/// `staff: 10_000` scales the city with the same proportions (20 copies of the template: 5,000
/// appointees, 800 re-appointed, 160 departments), loads, and the checker still finds exactly the
/// planted violations. About 15 s in the dev profile.
#[test]
fn ten_thousand_staff_generate_load_and_check() {
    let config = GenConfig {
        staff: 10_000,
        ..GenConfig::default()
    };
    let city = generate(&config);
    let s = &city.snapshot;
    assert_eq!(count(s, Employment::Regular), 10_000);
    assert_eq!(count(s, Employment::FiscalYearAppointee), 5_000);
    assert_eq!(count(s, Employment::Reappointed), 800);
    assert_eq!(s.organisation.departments.len(), 8 * 20);
    assert_eq!(
        s.organisation.units.len(),
        20 * default_city().0.snapshot.organisation.units.len()
    );
    assert!(
        s.roster.len() > 3_000_000,
        "{} roster entries",
        s.roster.len()
    );
    assert_eq!(city.stats.repairs, 0);
    let report = check(&load(s));
    assert_finds_exactly_the_planted(&city, &report);
}

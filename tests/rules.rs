//! Scenario tests for every rule the checker enforces.
//!
//! Each test tells a small story from a city's roster (prose first, then the scenario) and asserts
//! what the checker says about it: which rule, who, when, the measured value and the limit.
//! Dates are in June 2025 unless a test says otherwise: Monday 2, Tuesday 3, Wednesday 4 (the
//! no-overtime day), Thursday 5, Friday 6, Saturday 7, Sunday 8.

mod common;

use chrono::{Datelike, Weekday};
use common::{
    assert_clean, at, date, facts, of_rule, the_only, AsDate, TestCity, CHILDCARE_WORKER, DAY,
    EARLY, LATE, LIBRARIAN, NIGHT,
};
use rota::model::{LeaveKind, ShiftKind, WorkplaceCategory};
use rota::rules::{Measure, RuleId};

/// Rosters `staff` for the standard day on every day of a month except Wednesdays (the
/// no-overtime day, which also keeps every run of working days under seven), with `total`
/// minutes of overtime spread as evenly as possible over those days.
fn month_of_overtime(city: &mut TestCity, staff: &str, year: i32, month: u32, total: u32) {
    let first = chrono::NaiveDate::from_ymd_opt(year, month, 1).expect("a valid month");
    let days: Vec<_> = first
        .iter_days()
        .take_while(|d| d.month() == month)
        .filter(|d| d.weekday() != Weekday::Wed)
        .collect();
    let n = days.len() as u32;
    for (i, d) in days.into_iter().enumerate() {
        let extra = u32::from((i as u32) < total % n);
        city.work(staff, d, DAY).overtime(total / n + extra);
    }
}

// ---------------------------------------------------------------------------------------------
// 勤務間インターバル: rest interval
// ---------------------------------------------------------------------------------------------

/// Ten hours between one day's end and the next day's start is a rest-interval violation, dated
/// on the second day, measuring 600 minutes against the 660-minute minimum.
#[test]
fn ten_hours_between_a_23_00_finish_and_a_09_00_start_is_too_little_rest() {
    // A librarian closes the evening counter at 23:00 on Monday and opens the library at 09:00
    // on Tuesday: ten hours of rest, one hour short of the eleven the policy asks for.
    let mut city = TestCity::new("2025-06-02", 7);
    city.shift_type("evening", "14:00", "23:00", 60, ShiftKind::Late)
        .shift_type("morning", "09:00", "17:45", 60, ShiftKind::Day)
        .facility("library", &["evening", "morning"])
        .staff("librarian", "library")
        .work("librarian", "2025-06-02", "evening")
        .work("librarian", "2025-06-03", "morning");

    let report = city.check();

    let v = the_only(&report);
    assert_eq!(
        facts(v),
        (
            RuleId::RestInterval,
            "librarian",
            date("2025-06-03"),
            600,
            660
        )
    );
    assert_eq!(v.measure, Measure::Minutes);
    assert_eq!(v.time, Some(at("2025-06-03 09:00")));
    assert_eq!(v.roster_entries, vec![0, 1], "names both pieces of work");
}

/// Exactly eleven hours of rest is lawful; one minute of overtime the evening before makes it
/// 10 h 59 min, which is not.
#[test]
fn exactly_eleven_hours_of_rest_is_lawful_and_one_minute_less_is_not() {
    // Two nurses finish the late shift at 22:00 on Monday and start a staggered day at 09:00 on
    // Tuesday. Ayaka leaves on time; Bunta stays one minute to finish a handover note.
    let mut city = TestCity::new("2025-06-02", 7);
    city.shift_type("morning", "09:00", "17:45", 60, ShiftKind::Day)
        .facility("ward", &[LATE, "morning"])
        .staff("ayaka", "ward")
        .staff("bunta", "ward")
        .work("ayaka", "2025-06-02", LATE)
        .work("ayaka", "2025-06-03", "morning")
        .work("bunta", "2025-06-02", LATE)
        .overtime(1)
        .work("bunta", "2025-06-03", "morning");

    let report = city.check();

    assert_eq!(
        facts(the_only(&report)),
        (RuleId::RestInterval, "bunta", date("2025-06-03"), 659, 660)
    );
}

/// Overtime belongs to the work period: rest is measured from the end of the overtime, not from
/// the end of the shift.
#[test]
fn overtime_extends_the_work_period_that_rest_is_measured_from() {
    // Two plant operators work the standard day on Monday (08:30–17:15) and open the plant at
    // 06:00 on Tuesday. Chika stays two hours longer on Monday, until 19:15, leaving her
    // 10 h 45 min of rest; Daichi leaves at 17:15 and has 12 h 45 min.
    let mut city = TestCity::new("2025-06-02", 7);
    city.shift_type("dawn", "06:00", "14:00", 60, ShiftKind::Early)
        .facility("plant", &[DAY, "dawn"])
        .staff("chika", "plant")
        .staff("daichi", "plant")
        .work("chika", "2025-06-02", DAY)
        .overtime(120)
        .work("chika", "2025-06-03", "dawn")
        .work("daichi", "2025-06-02", DAY)
        .work("daichi", "2025-06-03", "dawn");

    let report = city.check();

    assert_eq!(
        facts(the_only(&report)),
        (RuleId::RestInterval, "chika", date("2025-06-03"), 645, 660)
    );
}

/// A night shift crossing midnight ends the next morning, and rest is measured from then.
#[test]
fn a_night_shift_ends_the_next_morning() {
    // Eri works Monday night (22:00 to Tuesday 07:00) and is rostered again for Tuesday's late
    // shift at 13:00: six hours of rest. Fumiya works Monday night and Tuesday night, fifteen
    // hours apart.
    let mut city = TestCity::new("2025-06-02", 7);
    city.facility("ward", &[LATE, NIGHT])
        .staff("eri", "ward")
        .staff("fumiya", "ward")
        .work("eri", "2025-06-02", NIGHT)
        .work("eri", "2025-06-03", LATE)
        .work("fumiya", "2025-06-02", NIGHT)
        .work("fumiya", "2025-06-03", NIGHT);

    let report = city.check();

    let v = the_only(&report);
    assert_eq!(
        facts(v),
        (RuleId::RestInterval, "eri", date("2025-06-03"), 360, 660)
    );
    assert_eq!(v.time, Some(at("2025-06-03 13:00")));
}

/// The nurse of the policy's example: late shift to 22:00, early shift from 07:30 is 9 h 30 min.
#[test]
fn a_nurse_finishing_at_22_00_and_starting_at_07_30_has_too_little_rest() {
    // A nurse finishes a late shift at 22:00 on Monday and is rostered for the ward's early
    // shift at 07:30 on Tuesday.
    let mut city = TestCity::new("2025-06-02", 7);
    city.shift_type("ward_early", "07:30", "16:00", 60, ShiftKind::Early)
        .facility("ward", &[LATE, "ward_early"])
        .staff("nurse", "ward")
        .work("nurse", "2025-06-02", LATE)
        .work("nurse", "2025-06-03", "ward_early");

    let report = city.check();

    assert_eq!(
        facts(the_only(&report)),
        (RuleId::RestInterval, "nurse", date("2025-06-03"), 570, 660)
    );
}

/// The minimum rest is a setting: a city that asks for eight hours accepts the 9 h 30 min that
/// the default eleven hours refuses.
#[test]
fn an_eight_hour_rest_interval_accepts_the_nurse_s_roster() {
    // The same nurse, late shift to 22:00 and early shift from 07:30, in a city whose rules ask
    // for eight hours of rest.
    let mut city = TestCity::new("2025-06-02", 7);
    city.shift_type("ward_early", "07:30", "16:00", 60, ShiftKind::Early)
        .facility("ward", &[LATE, "ward_early"])
        .staff("nurse", "ward")
        .work("nurse", "2025-06-02", LATE)
        .work("nurse", "2025-06-03", "ward_early")
        .rules(|r| r.rest_interval_minutes = 8 * 60);

    assert_clean(&city.check());

    // And a stricter city (12 h) measures the same 9 h 30 min against its own minimum.
    city.rules(|r| r.rest_interval_minutes = 12 * 60);
    assert_eq!(
        facts(the_only(&city.check())),
        (RuleId::RestInterval, "nurse", date("2025-06-03"), 570, 720)
    );
}

/// Work on one day is one work period: a split shift (early, then night on the same day) needs
/// no rest between its parts, but the next day's work is measured from the night's end.
#[test]
fn a_split_shift_on_one_day_is_one_work_period() {
    // At the water plant, Goro covers the early shift (07:00–15:00) and the night shift
    // (22:00–07:00) on Monday: seven hours apart, but one working day. On Tuesday he comes back
    // for the late shift at 13:00, six hours after the night shift ended.
    let mut city = TestCity::new("2025-06-02", 7);
    city.facility("plant", &[EARLY, LATE, NIGHT])
        .staff("goro", "plant")
        .work("goro", "2025-06-02", EARLY)
        .work("goro", "2025-06-02", NIGHT)
        .work("goro", "2025-06-03", LATE);

    let report = city.check();

    assert_eq!(
        facts(the_only(&report)),
        (RuleId::RestInterval, "goro", date("2025-06-03"), 360, 660)
    );
}

// ---------------------------------------------------------------------------------------------
// Double booking
// ---------------------------------------------------------------------------------------------

/// Two assignments that overlap in time are a double booking of the one that starts later,
/// measuring the overlap in minutes.
#[test]
fn a_clerk_rostered_in_two_units_at_once_is_double_booked() {
    // Hana is rostered for the standard day at the counter (08:30–17:15) and, on the same
    // Monday, for the late shift at the nursery (13:00–22:00): from 13:00 to 17:15 she would be
    // in two places.
    let mut city = TestCity::new("2025-06-02", 7);
    city.office("counter")
        .facility("nursery", &[EARLY, LATE])
        .staff("hana", "counter")
        .work("hana", "2025-06-02", DAY)
        .work_in("hana", "nursery", "2025-06-02", LATE);

    let report = city.check();

    let v = the_only(&report);
    assert_eq!(
        facts(v),
        (RuleId::DoubleBooking, "hana", date("2025-06-02"), 255, 0)
    );
    assert_eq!(v.unit.as_ref().map(|u| u.as_str()), Some("nursery"));
    assert_eq!(v.shift.as_ref().map(|s| s.as_str()), Some(LATE));
    assert_eq!(v.roster_entries, vec![0, 1]);
}

/// Overtime is working time: overtime that runs into another assignment is a double booking,
/// while the same two shifts without it are not.
#[test]
fn overtime_running_into_another_assignment_is_a_double_booking() {
    // Two nursery staff work the early shift (07:00–15:00) and then cover the library's relief
    // shift from 15:30. Ichiro plans an hour of overtime at the nursery, until 16:00; Jun leaves
    // at 15:00.
    let mut city = TestCity::new("2025-06-02", 7);
    city.shift_type("relief", "15:30", "21:30", 60, ShiftKind::Late)
        .facility("nursery", &[EARLY])
        .facility("library", &["relief"])
        .staff("ichiro", "nursery")
        .staff("jun", "nursery")
        .work("ichiro", "2025-06-02", EARLY)
        .overtime(60)
        .work_in("ichiro", "library", "2025-06-02", "relief")
        .work("jun", "2025-06-02", EARLY)
        .work_in("jun", "library", "2025-06-02", "relief");

    let report = city.check();

    assert_eq!(
        facts(the_only(&report)),
        (RuleId::DoubleBooking, "ichiro", date("2025-06-02"), 30, 0)
    );
}

/// A night shift that has not ended when the next morning's shift starts is a double booking
/// dated on the morning; it is not also reported as a (negative) rest interval.
#[test]
fn a_night_shift_still_running_at_the_next_morning_s_start_is_double_booked() {
    // Kaito works Monday night until 07:00 on Tuesday and is also rostered for the plant's dawn
    // shift at 06:00 on Tuesday.
    let mut city = TestCity::new("2025-06-02", 7);
    city.shift_type("dawn", "06:00", "14:00", 60, ShiftKind::Early)
        .facility("plant", &[NIGHT, "dawn"])
        .staff("kaito", "plant")
        .work("kaito", "2025-06-02", NIGHT)
        .work("kaito", "2025-06-03", "dawn");

    let report = city.check();

    assert_eq!(
        facts(the_only(&report)),
        (RuleId::DoubleBooking, "kaito", date("2025-06-03"), 60, 0)
    );
}

/// Work that ends exactly when the next begins does not overlap, but it leaves no rest at all.
#[test]
fn back_to_back_work_is_not_double_booked_but_has_zero_rest() {
    // Kaito works Monday night until 07:00 on Tuesday and then the early shift from 07:00.
    let mut city = TestCity::new("2025-06-02", 7);
    city.facility("plant", &[EARLY, NIGHT])
        .staff("kaito", "plant")
        .work("kaito", "2025-06-02", NIGHT)
        .work("kaito", "2025-06-03", EARLY);

    let report = city.check();

    assert_eq!(
        facts(the_only(&report)),
        (RuleId::RestInterval, "kaito", date("2025-06-03"), 0, 660)
    );
}

// ---------------------------------------------------------------------------------------------
// At least one day off in every seven
// ---------------------------------------------------------------------------------------------

/// Seven working days in a row break the one-day-off-in-seven rule; the violation is dated on
/// the seventh day, the first beyond the limit.
#[test]
fn seven_working_days_in_a_row_are_one_too_many() {
    // During a staff shortage a nurse is rostered every day from Monday to Sunday.
    let mut city = TestCity::new("2025-06-02", 14);
    city.facility("ward", &[DAY]).staff("nurse", "ward");
    for d in 2..=8 {
        city.work("nurse", format!("2025-06-{d:02}"), DAY);
    }

    let report = city.check();

    let v = the_only(&report);
    assert_eq!(
        facts(v),
        (
            RuleId::ConsecutiveWorkDays,
            "nurse",
            date("2025-06-08"),
            7,
            6
        )
    );
    assert_eq!(v.end_date, Some(date("2025-06-08")));
    assert_eq!(v.measure, Measure::Days);
}

/// Six working days, a day off, and six more are lawful.
#[test]
fn six_working_days_then_a_day_off_is_lawful() {
    // A nurse works Monday to Saturday, rests on Sunday, and works Monday to Saturday again.
    let mut city = TestCity::new("2025-06-02", 14);
    city.facility("ward", &[DAY]).staff("nurse", "ward");
    for d in (2..=7).chain(9..=14) {
        city.work("nurse", format!("2025-06-{d:02}"), DAY);
    }

    assert_clean(&city.check());
}

/// A longer run is still one violation, dated on the seventh day and spanning the whole excess.
#[test]
fn a_nine_day_run_is_one_violation_spanning_the_excess() {
    // A plant operator is rostered nine days running, Monday 2 to Tuesday 10.
    let mut city = TestCity::new("2025-06-02", 14);
    city.facility("plant", &[DAY]).staff("operator", "plant");
    for d in 2..=10 {
        city.work("operator", format!("2025-06-{d:02}"), DAY);
    }

    let report = city.check();

    let v = the_only(&report);
    assert_eq!(
        facts(v),
        (
            RuleId::ConsecutiveWorkDays,
            "operator",
            date("2025-06-08"),
            9,
            6
        )
    );
    assert_eq!(v.end_date, Some(date("2025-06-10")));
}

/// A working day is a day on which a shift starts: six night shifts, Monday to Saturday, touch
/// seven calendar days but are six working days.
#[test]
fn six_night_shifts_are_six_working_days_though_they_touch_seven_dates() {
    // A night nurse works the nights of Monday to Saturday, the last one ending on Sunday
    // morning, and is off on Sunday night. A colleague also works Sunday night: seven nights.
    let mut city = TestCity::new("2025-06-02", 14);
    city.facility("ward", &[NIGHT])
        .staff("six_nights", "ward")
        .staff("seven_nights", "ward");
    for d in 2..=7 {
        city.work("six_nights", format!("2025-06-{d:02}"), NIGHT);
    }
    for d in 2..=8 {
        city.work("seven_nights", format!("2025-06-{d:02}"), NIGHT);
    }

    let report = city.check();

    assert_eq!(
        facts(the_only(&report)),
        (
            RuleId::ConsecutiveWorkDays,
            "seven_nights",
            date("2025-06-08"),
            7,
            6
        )
    );
}

/// The longest run is a setting: with at most five working days in a row, a six-day week is a
/// violation dated on its sixth day.
#[test]
fn a_five_day_limit_refuses_a_six_day_week() {
    // A nurse works Monday to Saturday in a city that allows at most five days in a row.
    let mut city = TestCity::new("2025-06-02", 14);
    city.facility("ward", &[DAY])
        .staff("nurse", "ward")
        .rules(|r| r.max_consecutive_work_days = 5);
    for d in 2..=7 {
        city.work("nurse", format!("2025-06-{d:02}"), DAY);
    }

    assert_eq!(
        facts(the_only(&city.check())),
        (
            RuleId::ConsecutiveWorkDays,
            "nurse",
            date("2025-06-07"),
            6,
            5
        )
    );
}

// ---------------------------------------------------------------------------------------------
// ノー残業デー: the no-overtime day
// ---------------------------------------------------------------------------------------------

/// Overtime planned on a Wednesday breaks the no-overtime day, measuring the planned minutes.
#[test]
fn overtime_planned_on_a_wednesday_breaks_the_no_overtime_day() {
    // A clerk at the tax counter plans an hour of overtime on Wednesday to clear a backlog.
    let mut city = TestCity::new("2025-06-02", 7);
    city.office("tax")
        .staff("clerk", "tax")
        .work("clerk", "2025-06-04", DAY)
        .overtime(60);

    let v = the_only(&city.check()).clone();
    assert_eq!(
        facts(&v),
        (RuleId::NoOvertimeDay, "clerk", date("2025-06-04"), 60, 0)
    );
    assert_eq!(v.measure, Measure::Minutes);
}

/// The same overtime on the Thursday is lawful.
#[test]
fn overtime_planned_on_a_thursday_is_lawful() {
    // The clerk moves the hour of overtime to Thursday.
    let mut city = TestCity::new("2025-06-02", 7);
    city.office("tax")
        .staff("clerk", "tax")
        .work("clerk", "2025-06-04", DAY)
        .work("clerk", "2025-06-05", DAY)
        .overtime(60);

    assert_clean(&city.check());
}

/// The no-overtime day applies to shifts that start on it: a Tuesday night shift whose overtime
/// runs into Wednesday morning is lawful.
#[test]
fn a_tuesday_night_shift_with_overtime_into_wednesday_is_lawful() {
    // A night nurse works Tuesday night (22:00 to Wednesday 07:00) and stays an hour for the
    // morning handover, until 08:00 on Wednesday.
    let mut city = TestCity::new("2025-06-02", 7);
    city.facility("ward", &[NIGHT])
        .staff("nurse", "ward")
        .work("nurse", "2025-06-03", NIGHT)
        .overtime(60);

    assert_clean(&city.check());
}

/// The no-overtime weekday is a setting: with none, Wednesday overtime is lawful; with Friday,
/// Friday overtime is the violation and Wednesday's is not.
#[test]
fn the_no_overtime_weekday_is_configurable() {
    // A clerk plans an hour of overtime on Wednesday and another on Friday.
    let mut city = TestCity::new("2025-06-02", 7);
    city.office("tax")
        .staff("clerk", "tax")
        .work("clerk", "2025-06-04", DAY)
        .overtime(60)
        .work("clerk", "2025-06-06", DAY)
        .overtime(45);

    city.rules(|r| r.no_overtime_weekday = None);
    assert_clean(&city.check());

    city.rules(|r| r.no_overtime_weekday = Some(Weekday::Fri));
    assert_eq!(
        facts(the_only(&city.check())),
        (RuleId::NoOvertimeDay, "clerk", date("2025-06-06"), 45, 0)
    );
}

// ---------------------------------------------------------------------------------------------
// 時間外勤務の上限: overtime caps
// ---------------------------------------------------------------------------------------------

/// Forty-five hours of overtime in a month is the cap itself; one minute more breaks it. The
/// violation spans the month.
#[test]
fn forty_five_hours_in_a_month_is_the_cap_and_one_more_minute_breaks_it() {
    // Two plant operators work every day of June but Wednesdays. Over the month, Mao's overtime
    // adds up to exactly 45 h; Naoki's to 45 h 01 min.
    let mut city = TestCity::new("2025-06-01", 30);
    city.facility("plant", &[DAY])
        .staff("mao", "plant")
        .staff("naoki", "plant");
    month_of_overtime(&mut city, "mao", 2025, 6, 45 * 60);
    month_of_overtime(&mut city, "naoki", 2025, 6, 45 * 60 + 1);

    let report = city.check();

    let v = the_only(&report);
    assert_eq!(
        facts(v),
        (
            RuleId::OvertimeMonthly,
            "naoki",
            date("2025-06-01"),
            2701,
            2700
        )
    );
    assert_eq!(v.end_date, Some(date("2025-06-30")));
}

/// Overtime counts in the month its shift starts in, even when it is worked after midnight on
/// the first of the next month.
#[test]
fn overtime_counts_in_the_month_its_shift_starts() {
    // In a city that caps overtime at one hour a month (to keep the roster short), a night nurse
    // works the night of June 30 and stays 90 minutes past 07:00 on July 1. She plans no other
    // overtime in June or July.
    let mut city = TestCity::new("2025-06-16", 30);
    city.facility("ward", &[NIGHT])
        .staff("nurse", "ward")
        .work("nurse", "2025-06-30", NIGHT)
        .overtime(90)
        .work("nurse", "2025-07-03", NIGHT)
        .rules(|r| r.overtime.monthly_minutes = 60);

    let report = city.check();

    let v = the_only(&report);
    assert_eq!(
        facts(v),
        (RuleId::OvertimeMonthly, "nurse", date("2025-06-16"), 90, 60)
    );
    assert_eq!(
        v.end_date,
        Some(date("2025-06-30")),
        "the period is June, clipped to the horizon"
    );
}

/// Three hundred and sixty hours of overtime in a fiscal year is the ordinary cap; 372 h breaks
/// it, while the same 372 h in a high-load unit is within its 720 h.
#[test]
fn three_hundred_and_sixty_hours_a_year_is_the_ordinary_cap() {
    // Over fiscal year 2025 (April 2025 to March 2026), three staff plan overtime in every month,
    // never above 45 h: Oki 30 h a month (360 h), Ren 31 h a month (372 h), and Saki, in the
    // high-load disaster-prevention unit (他律的業務), also 31 h a month.
    let mut city = TestCity::new("2025-04-01", 365);
    city.facility("plant", &[DAY])
        .facility("disaster", &[DAY])
        .high_load("disaster")
        .staff("oki", "plant")
        .staff("ren", "plant")
        .staff("saki", "disaster");
    for (year, month) in (4..=12)
        .map(|m| (2025, m))
        .chain((1..=3).map(|m| (2026, m)))
    {
        month_of_overtime(&mut city, "oki", year, month, 30 * 60);
        month_of_overtime(&mut city, "ren", year, month, 31 * 60);
        month_of_overtime(&mut city, "saki", year, month, 31 * 60);
    }

    let report = city.check();

    let v = the_only(&report);
    assert_eq!(
        facts(v),
        (
            RuleId::OvertimeYearly,
            "ren",
            date("2025-04-01"),
            372 * 60,
            360 * 60
        )
    );
    assert_eq!(v.end_date, Some(date("2026-03-31")));
}

/// A high-load unit may work 90 h in one month (its cap is 100 h), where an ordinary unit's cap
/// is 45 h.
#[test]
fn a_high_load_unit_may_work_ninety_hours_in_one_month() {
    // In June, a typhoon keeps the disaster-prevention unit (designated high-load) busy: Taro
    // plans 90 h of overtime. Across the corridor, Umi at the counter plans the same 90 h.
    // Neither plans any overtime in July.
    let mut city = TestCity::new("2025-06-01", 61);
    city.facility("disaster", &[DAY])
        .facility("counter", &[DAY])
        .high_load("disaster")
        .staff("taro", "disaster")
        .staff("umi", "counter");
    month_of_overtime(&mut city, "taro", 2025, 6, 90 * 60);
    month_of_overtime(&mut city, "umi", 2025, 6, 90 * 60);

    let report = city.check();

    assert_eq!(
        facts(the_only(&report)),
        (
            RuleId::OvertimeMonthly,
            "umi",
            date("2025-06-01"),
            5400,
            2700
        )
    );
}

/// A high-load unit's monthly cap is 100 h: 101 h breaks it.
#[test]
fn a_high_load_unit_s_monthly_cap_is_one_hundred_hours() {
    // In the typhoon month Taro's overtime reaches 101 h.
    let mut city = TestCity::new("2025-06-01", 30);
    city.facility("disaster", &[DAY])
        .high_load("disaster")
        .staff("taro", "disaster");
    month_of_overtime(&mut city, "taro", 2025, 6, 101 * 60);

    assert_eq!(
        facts(the_only(&city.check())),
        (
            RuleId::OvertimeMonthly,
            "taro",
            date("2025-06-01"),
            6060,
            6000
        )
    );
}

/// Eighty-five hours in each of two consecutive months is within the high-load monthly cap but
/// averages above 80 h: one violation, for the window June–July.
#[test]
fn eighty_five_hours_two_months_running_breaks_the_eighty_hour_average() {
    // The typhoon season lasts: Taro plans 85 h of overtime in June and 85 h in July. His
    // colleague Wataru plans 85 h in June and 75 h in July, an average of exactly 80 h.
    let mut city = TestCity::new("2025-06-01", 61);
    city.facility("disaster", &[DAY])
        .high_load("disaster")
        .staff("taro", "disaster")
        .staff("wataru", "disaster");
    month_of_overtime(&mut city, "taro", 2025, 6, 85 * 60);
    month_of_overtime(&mut city, "taro", 2025, 7, 85 * 60);
    month_of_overtime(&mut city, "wataru", 2025, 6, 85 * 60);
    month_of_overtime(&mut city, "wataru", 2025, 7, 75 * 60);

    let report = city.check();

    let v = the_only(&report);
    assert_eq!(
        facts(v),
        (
            RuleId::OvertimeMultiMonthAverage,
            "taro",
            date("2025-06-01"),
            85 * 60,
            80 * 60
        )
    );
    assert_eq!(v.end_date, Some(date("2025-07-31")));
}

/// In a high-load unit, seven months over 45 h in one fiscal year is one more than the six
/// allowed; six is lawful.
#[test]
fn seven_months_over_forty_five_hours_in_a_fiscal_year_is_one_too_many() {
    // From April to October 2025 Yui, in the high-load disaster-prevention unit, plans 50 h of
    // overtime every month: seven months over 45 h. Her colleague Zen does the same from April
    // to September: six months.
    let mut city = TestCity::new("2025-04-01", 365);
    city.facility("disaster", &[DAY])
        .high_load("disaster")
        .staff("yui", "disaster")
        .staff("zen", "disaster");
    for month in 4..=10 {
        month_of_overtime(&mut city, "yui", 2025, month, 50 * 60);
    }
    for month in 4..=9 {
        month_of_overtime(&mut city, "zen", 2025, month, 50 * 60);
    }

    let report = city.check();

    let v = the_only(&report);
    assert_eq!(
        facts(v),
        (
            RuleId::OvertimeMonthsOverCap,
            "yui",
            date("2025-04-01"),
            7,
            6
        )
    );
    assert_eq!(v.measure, Measure::Months);
    assert_eq!(v.end_date, Some(date("2026-03-31")));
}

// ---------------------------------------------------------------------------------------------
// Work during leave
// ---------------------------------------------------------------------------------------------

/// A shift on a day of whole-day leave is work during leave; the next day is not.
#[test]
fn a_clerk_rostered_on_a_day_of_annual_leave_works_during_leave() {
    // A clerk takes Thursday off as annual leave, but the roster still has her at the counter on
    // Thursday and Friday.
    let mut city = TestCity::new("2025-06-02", 7);
    city.office("counter")
        .staff("clerk", "counter")
        .leave("clerk", LeaveKind::Annual, "2025-06-05", "2025-06-05")
        .work("clerk", "2025-06-05", DAY)
        .work("clerk", "2025-06-06", DAY);

    let report = city.check();

    let v = the_only(&report);
    assert_eq!(
        facts(v),
        (RuleId::WorkDuringLeave, "clerk", date("2025-06-05"), 1, 0)
    );
    assert!(
        v.message.contains("leave-0"),
        "names the leave: {}",
        v.message
    );
}

/// Leave over several days forbids work on each of them, and only on them.
#[test]
fn sick_leave_over_a_week_forbids_each_day_of_it() {
    // A clerk is on sick leave from Monday to Friday; the roster, not yet updated, still has him
    // at work on Wednesday, Thursday and the following Monday.
    let mut city = TestCity::new("2025-06-02", 14);
    city.office("counter")
        .staff("clerk", "counter")
        .leave("clerk", LeaveKind::Sick, "2025-06-02", "2025-06-06")
        .work("clerk", "2025-06-04", DAY)
        .work("clerk", "2025-06-05", DAY)
        .work("clerk", "2025-06-09", DAY);

    let report = city.check();

    let dates: Vec<_> = of_rule(&report, RuleId::WorkDuringLeave)
        .iter()
        .map(|v| v.date)
        .collect();
    assert_eq!(dates, vec![date("2025-06-04"), date("2025-06-05")]);
    assert_eq!(report.violations.len(), 2);
}

/// Whole-day leave forbids shifts that start on the day: a night shift starting the evening
/// before is lawful, even though it ends on the morning of the leave day.
#[test]
fn a_night_shift_starting_the_evening_before_a_day_of_leave_is_lawful() {
    // A nurse works Monday night, until 07:00 on Tuesday, and takes Tuesday as annual leave.
    let mut city = TestCity::new("2025-06-02", 7);
    city.facility("ward", &[NIGHT])
        .staff("nurse", "ward")
        .work("nurse", "2025-06-02", NIGHT)
        .leave("nurse", LeaveKind::Annual, "2025-06-03", "2025-06-03");

    assert_clean(&city.check());
}

/// Hourly leave (時間休) is taken out of a rostered shift: a shift that overlaps it, at its start
/// or at its end, is lawful.
#[test]
fn hourly_leave_taken_out_of_a_shift_is_lawful() {
    // Two clerks work the standard day (08:30–17:15) on Monday. Aoi takes two hours of leave in
    // the morning (08:30–10:30) for a hospital visit; Botan leaves early for a school meeting,
    // taking 16:00–18:00 as hourly leave. Neither plans overtime.
    let mut city = TestCity::new("2025-06-02", 7);
    city.office("counter")
        .staff("aoi", "counter")
        .staff("botan", "counter")
        .work("aoi", "2025-06-02", DAY)
        .hourly_leave("aoi", "2025-06-02", "08:30", "10:30")
        .work("botan", "2025-06-02", DAY)
        .hourly_leave("botan", "2025-06-02", "16:00", "18:00");

    assert_clean(&city.check());
}

/// Hourly leave that does not touch the working time is lawful; overtime that runs into it is
/// work during leave.
#[test]
fn overtime_running_into_hourly_leave_is_work_during_leave() {
    // Two clerks work the standard day on Thursday and have hourly leave from 17:30 to 19:30 for
    // a parents' evening. Chiyo plans no overtime; Daigo plans an hour, until 18:15.
    let mut city = TestCity::new("2025-06-02", 7);
    city.office("counter")
        .staff("chiyo", "counter")
        .staff("daigo", "counter")
        .work("chiyo", "2025-06-05", DAY)
        .hourly_leave("chiyo", "2025-06-05", "17:30", "19:30")
        .work("daigo", "2025-06-05", DAY)
        .overtime(60)
        .hourly_leave("daigo", "2025-06-05", "17:30", "19:30");

    let report = city.check();

    assert_eq!(
        facts(the_only(&report)),
        (RuleId::WorkDuringLeave, "daigo", date("2025-06-05"), 1, 0)
    );
}

/// A shift lying wholly inside hourly leave means the day is leave: it is work during leave.
#[test]
fn a_shift_wholly_inside_hourly_leave_is_work_during_leave() {
    // A nursery worker records hourly leave from 07:00 to 15:00 on Monday, exactly her early
    // shift, which is still on the roster.
    let mut city = TestCity::new("2025-06-02", 7);
    city.facility("nursery", &[EARLY])
        .staff("worker", "nursery")
        .work("worker", "2025-06-02", EARLY)
        .hourly_leave("worker", "2025-06-02", "07:00", "15:00");

    assert_eq!(
        facts(the_only(&city.check())),
        (RuleId::WorkDuringLeave, "worker", date("2025-06-02"), 1, 0)
    );
}

// ---------------------------------------------------------------------------------------------
// Missing qualification
// ---------------------------------------------------------------------------------------------

/// In a unit that requires a qualification, a worker holding none of the required ones is a
/// violation; a qualified colleague is not.
#[test]
fn an_unqualified_helper_in_a_nursery_room_is_missing_a_qualification() {
    // The nursery's rooms may only be staffed by 保育士 (childcare workers). On Monday the early
    // shift has Emi, a 保育士, and Fuka, a clerk lent from the counter.
    let mut city = TestCity::new("2025-06-02", 7);
    city.facility("nursery", &[EARLY])
        .requires("nursery", CHILDCARE_WORKER)
        .staff("emi", "nursery")
        .qualified("emi", CHILDCARE_WORKER)
        .staff("fuka", "nursery")
        .work("emi", "2025-06-02", EARLY)
        .work("fuka", "2025-06-02", EARLY);

    let v = the_only(&city.check()).clone();
    assert_eq!(
        facts(&v),
        (
            RuleId::MissingQualification,
            "fuka",
            date("2025-06-02"),
            0,
            1
        )
    );
    assert_eq!(v.unit.as_ref().map(|u| u.as_str()), Some("nursery"));
}

/// A unit listing several qualifications accepts a holder of any one of them.
#[test]
fn any_one_of_the_required_qualifications_is_enough() {
    // The children's library accepts a 司書 (librarian) or a 保育士; Gen is a librarian.
    let mut city = TestCity::new("2025-06-02", 7);
    city.facility("kids_library", &[DAY])
        .requires("kids_library", CHILDCARE_WORKER)
        .requires("kids_library", LIBRARIAN)
        .staff("gen", "kids_library")
        .qualified("gen", LIBRARIAN)
        .work("gen", "2025-06-02", DAY);

    assert_clean(&city.check());
}

// ---------------------------------------------------------------------------------------------
// Accommodations (合理的配慮)
// ---------------------------------------------------------------------------------------------

/// A staff member whose accommodations name the units they may work in is in violation when
/// rostered elsewhere.
#[test]
fn work_outside_the_allowed_units_breaks_an_accommodation() {
    // Hiro, who has a disability, may work only in the records office. On Monday he is there;
    // on Tuesday he is lent to the counter.
    let mut city = TestCity::new("2025-06-02", 7);
    city.office("records")
        .office("counter")
        .staff("hiro", "records")
        .accommodate("hiro", |a| a.allowed_units = vec!["records".into()])
        .work("hiro", "2025-06-02", DAY)
        .work_in("hiro", "counter", "2025-06-03", DAY);

    let v = the_only(&city.check()).clone();
    assert_eq!(
        facts(&v),
        (RuleId::Accommodation, "hiro", date("2025-06-03"), 1, 0)
    );
    assert_eq!(v.unit.as_ref().map(|u| u.as_str()), Some("counter"));
}

/// Allowed workplace categories: a unit with none of them is refused, a unit with at least one
/// of them is fine.
#[test]
fn work_outside_the_allowed_categories_breaks_an_accommodation() {
    // Io may work only in internal administration, away from the public. She is rostered on
    // Monday in the records office (internal administration), on Tuesday at a counter that is
    // both front-line and internal administration, and on Wednesday at the front-line counter.
    let mut city = TestCity::new("2025-06-02", 7);
    city.office("records")
        .categories("records", &[WorkplaceCategory::InternalAdministration])
        .office("back_counter")
        .categories(
            "back_counter",
            &[
                WorkplaceCategory::FrontLine,
                WorkplaceCategory::InternalAdministration,
            ],
        )
        .office("counter")
        .staff("io", "records")
        .accommodate("io", |a| {
            a.allowed_categories = vec![WorkplaceCategory::InternalAdministration]
        })
        .work("io", "2025-06-02", DAY)
        .work_in("io", "back_counter", "2025-06-03", DAY)
        .work_in("io", "counter", "2025-06-04", DAY);

    assert_eq!(
        facts(the_only(&city.check())),
        (RuleId::Accommodation, "io", date("2025-06-04"), 1, 0)
    );
}

/// "No late shifts" excludes late and night shifts; "no night shifts" excludes only nights.
#[test]
fn no_late_shifts_excludes_late_and_night_but_no_night_shifts_only_night() {
    // Two ward nurses have accommodations: Jiro no late shifts, Kei no night shifts. Both work an
    // early shift on Monday, a late shift on Tuesday and a night shift on Thursday.
    let mut city = TestCity::new("2025-06-02", 7);
    city.facility("ward", &[EARLY, LATE, NIGHT])
        .staff("jiro", "ward")
        .accommodate("jiro", |a| a.no_late_shifts = true)
        .staff("kei", "ward")
        .accommodate("kei", |a| a.no_night_shifts = true);
    for who in ["jiro", "kei"] {
        city.work(who, "2025-06-02", EARLY)
            .work(who, "2025-06-03", LATE)
            .work(who, "2025-06-05", NIGHT);
    }

    let report = city.check();

    let found: Vec<_> = report.violations.iter().map(facts).collect();
    assert_eq!(
        found,
        vec![
            (RuleId::Accommodation, "jiro", date("2025-06-03"), 1, 0),
            (RuleId::Accommodation, "jiro", date("2025-06-05"), 1, 0),
            (RuleId::Accommodation, "kei", date("2025-06-05"), 1, 0),
        ]
    );
}

/// One entry breaking an accommodation for two reasons is one violation counting both.
#[test]
fn an_entry_breaking_two_accommodations_is_one_violation_with_two_reasons() {
    // Hiro may work only in the records office and on no late shift; he is rostered for the
    // nursery's late shift.
    let mut city = TestCity::new("2025-06-02", 7);
    city.office("records")
        .facility("nursery", &[LATE])
        .staff("hiro", "records")
        .accommodate("hiro", |a| {
            a.allowed_units = vec!["records".into()];
            a.no_late_shifts = true;
        })
        .work_in("hiro", "nursery", "2025-06-02", LATE);

    let v = the_only(&city.check()).clone();
    assert_eq!(
        facts(&v),
        (RuleId::Accommodation, "hiro", date("2025-06-02"), 2, 0)
    );
    assert!(v.message.contains("records") || v.message.contains("allowed units"));
    assert!(v.message.contains("late"), "{}", v.message);
}

// ---------------------------------------------------------------------------------------------
// Short hours (育児短時間勤務, 部分休業)
// ---------------------------------------------------------------------------------------------

/// A staff member on short hours may be rostered at most their daily limit of paid minutes; the
/// standard day's 465 paid minutes break a 360-minute limit.
#[test]
fn a_standard_day_breaks_a_six_hour_short_hours_limit() {
    // Kana works six-hour days while her child is small (育児短時間勤務). On Monday she is
    // rostered for the standard day, 7 h 45 min of paid time.
    let mut city = TestCity::new("2025-06-02", 7);
    city.office("counter")
        .staff("kana", "counter")
        .short_hours("kana", 360)
        .work("kana", "2025-06-02", DAY);

    let v = the_only(&city.check()).clone();
    assert_eq!(
        facts(&v),
        (RuleId::ShortHours, "kana", date("2025-06-02"), 465, 360)
    );
    assert_eq!(v.measure, Measure::Minutes);
}

/// Exactly the limit is lawful; overtime counts toward it.
#[test]
fn a_short_shift_at_the_limit_is_lawful_but_overtime_on_top_is_not() {
    // Kana's short shift runs 09:00–16:00 with an hour's break: six paid hours. She works it on
    // Monday, and on Tuesday stays fifteen minutes longer.
    let mut city = TestCity::new("2025-06-02", 7);
    city.shift_type("short", "09:00", "16:00", 60, ShiftKind::Day)
        .office("counter")
        .runs("counter", "short")
        .staff("kana", "counter")
        .short_hours("kana", 360)
        .work("kana", "2025-06-02", "short")
        .work("kana", "2025-06-03", "short")
        .overtime(15);

    assert_eq!(
        facts(the_only(&city.check())),
        (RuleId::ShortHours, "kana", date("2025-06-03"), 375, 360)
    );
}

// ---------------------------------------------------------------------------------------------
// Coverage
// ---------------------------------------------------------------------------------------------

/// A demand for two 保育士 on the early shift is not met by one 保育士 and one clerk, though the
/// head count of two is.
#[test]
fn a_nursery_short_of_childcare_workers_on_the_early_shift() {
    // The nursery needs two staff on Monday's early shift, both 保育士. Rostered are Mika, a
    // 保育士, and Nobu, a clerk; Kana, the nursery's other 保育士, has the day off.
    let mut city = TestCity::new("2025-06-02", 7);
    city.facility("nursery", &[EARLY, LATE])
        .staff("mika", "nursery")
        .qualified("mika", CHILDCARE_WORKER)
        .staff("kana", "nursery")
        .qualified("kana", CHILDCARE_WORKER)
        .staff("nobu", "nursery")
        .work("mika", "2025-06-02", EARLY)
        .work("nobu", "2025-06-02", EARLY)
        .demand("nursery", "2025-06-02", 2)
        .on_shift(EARLY)
        .demand("nursery", "2025-06-02", 2)
        .on_shift(EARLY)
        .holding(CHILDCARE_WORKER);

    let report = city.check();

    let v = the_only(&report);
    assert_eq!(
        facts(v),
        (RuleId::Coverage, "nursery", date("2025-06-02"), 1, 2)
    );
    assert_eq!(v.staff, None, "coverage concerns a unit, not a person");
    assert_eq!(v.shift.as_ref().map(|s| s.as_str()), Some(EARLY));
    assert_eq!(v.measure, Measure::Staff);
    assert!(v.message.contains(CHILDCARE_WORKER), "{}", v.message);
}

/// Coverage is counted per shift: staff on the early shift do not cover the late shift, though
/// they count toward a demand for the day as a whole.
#[test]
fn coverage_is_counted_per_shift() {
    // The nursery needs two staff on Monday (any shift) and one on the late shift. Both rostered
    // staff work the early shift.
    let mut city = TestCity::new("2025-06-02", 7);
    city.facility("nursery", &[EARLY, LATE])
        .staff("mika", "nursery")
        .staff("nobu", "nursery")
        .work("mika", "2025-06-02", EARLY)
        .work("nobu", "2025-06-02", EARLY)
        .demand("nursery", "2025-06-02", 2)
        .demand("nursery", "2025-06-02", 1)
        .on_shift(LATE);

    let v = the_only(&city.check()).clone();
    assert_eq!(
        facts(&v),
        (RuleId::Coverage, "nursery", date("2025-06-02"), 0, 1)
    );
    assert_eq!(v.shift.as_ref().map(|s| s.as_str()), Some(LATE));
}

/// Coverage counts distinct people: one person rostered twice on a day counts once.
#[test]
fn a_person_rostered_twice_in_a_day_counts_once() {
    // The plant needs two operators on Monday. Only Osamu is rostered, for the early shift and
    // again for the night shift.
    let mut city = TestCity::new("2025-06-02", 7);
    city.facility("plant", &[EARLY, NIGHT])
        .staff("osamu", "plant")
        .staff("spare", "plant")
        .work("osamu", "2025-06-02", EARLY)
        .work("osamu", "2025-06-02", NIGHT)
        .demand("plant", "2025-06-02", 2);

    assert_eq!(
        facts(the_only(&city.check())),
        (RuleId::Coverage, "plant", date("2025-06-02"), 1, 2)
    );
}

/// A person rostered but on leave does not count toward coverage (and is also reported as
/// working during leave).
#[test]
fn a_rostered_person_on_leave_does_not_count_toward_coverage() {
    // The nursery needs two 保育士 on Monday's early shift. Two are rostered, but Pia called in
    // sick this morning and her sick leave is recorded; the roster is not yet changed.
    let mut city = TestCity::new("2025-06-02", 7);
    city.facility("nursery", &[EARLY])
        .staff("pia", "nursery")
        .qualified("pia", CHILDCARE_WORKER)
        .staff("quon", "nursery")
        .qualified("quon", CHILDCARE_WORKER)
        .work("pia", "2025-06-02", EARLY)
        .work("quon", "2025-06-02", EARLY)
        .leave("pia", LeaveKind::Sick, "2025-06-02", "2025-06-02")
        .demand("nursery", "2025-06-02", 2)
        .on_shift(EARLY)
        .holding(CHILDCARE_WORKER);

    let report = city.check();

    let found: Vec<_> = report.violations.iter().map(facts).collect();
    assert_eq!(
        found,
        vec![
            (RuleId::WorkDuringLeave, "pia", date("2025-06-02"), 1, 0),
            (RuleId::Coverage, "nursery", date("2025-06-02"), 1, 2),
        ]
    );
    assert_eq!(report.summary.total, 2);
    assert_eq!(report.summary.by_rule.get("coverage"), Some(&1));
    assert_eq!(report.summary.by_rule.get("work_during_leave"), Some(&1));
    assert_eq!(report.summary.by_department.get("dept"), Some(&2));
    assert_eq!(report.summary.staff_affected, 1);
}

/// Leave removes a person from coverage shift by shift: hourly leave covering one of their shifts
/// does not remove them from a day on which they work another.
#[test]
fn a_person_counts_for_the_day_if_any_of_their_shifts_is_not_on_leave() {
    // At the water plant Osamu is rostered for the early shift (07:00–15:00) and the night shift
    // (22:00–07:00) on Monday, and has recorded hourly leave for exactly the early shift: that
    // shift is leave, the night shift is not. The plant needs one operator on Monday, and one on
    // the early shift.
    let mut city = TestCity::new("2025-06-02", 7);
    city.facility("plant", &[EARLY, NIGHT])
        .staff("osamu", "plant")
        .work("osamu", "2025-06-02", EARLY)
        .work("osamu", "2025-06-02", NIGHT)
        .hourly_leave("osamu", "2025-06-02", "07:00", "15:00")
        .demand("plant", "2025-06-02", 1)
        .demand("plant", "2025-06-02", 1)
        .on_shift(EARLY);

    let report = city.check();

    let found: Vec<_> = report.violations.iter().map(facts).collect();
    assert_eq!(
        found,
        vec![
            (RuleId::WorkDuringLeave, "osamu", date("2025-06-02"), 1, 0),
            (RuleId::Coverage, "plant", date("2025-06-02"), 0, 1),
        ]
    );
    assert_eq!(
        of_rule(&report, RuleId::WorkDuringLeave)[0]
            .shift
            .as_ref()
            .map(|s| s.as_str()),
        Some(EARLY)
    );
    assert_eq!(
        of_rule(&report, RuleId::Coverage)[0]
            .shift
            .as_ref()
            .map(|s| s.as_str()),
        Some(EARLY)
    );
}

/// Demand met exactly is no violation.
#[test]
fn demand_met_exactly_is_lawful() {
    // The nursery needs one 保育士 on the early shift and one on the late shift on Monday, and
    // has exactly that.
    let mut city = TestCity::new("2025-06-02", 7);
    city.facility("nursery", &[EARLY, LATE])
        .staff("mika", "nursery")
        .qualified("mika", CHILDCARE_WORKER)
        .staff("rin", "nursery")
        .qualified("rin", CHILDCARE_WORKER)
        .work("mika", "2025-06-02", EARLY)
        .work("rin", "2025-06-02", LATE)
        .demand("nursery", "2025-06-02", 1)
        .on_shift(EARLY)
        .holding(CHILDCARE_WORKER)
        .demand("nursery", "2025-06-02", 1)
        .on_shift(LATE)
        .holding(CHILDCARE_WORKER);

    assert_clean(&city.check());
}

// ---------------------------------------------------------------------------------------------
// A clean roster
// ---------------------------------------------------------------------------------------------

/// A realistic fortnight that respects every rule gives no violation at all.
#[test]
fn a_clean_roster_gives_zero_violations() {
    // A counter with two clerks (one on short hours, one with an accommodation) and a nursery of
    // three 保育士 rotating early shift, late shift and a day off, over two weeks.
    // Overtime is planned on Thursdays only; one clerk takes Friday of the first week as annual
    // leave (and is not rostered), a nursery worker takes two hours of hourly leave out of a
    // shift; every shift's demand for one 保育士 is met.
    let start = date("2025-06-02");
    let mut city = TestCity::new(start, 14);
    city.shift_type("short", "09:00", "16:00", 60, ShiftKind::Day)
        .office("counter")
        .runs("counter", "short")
        .facility("nursery", &[EARLY, LATE])
        .requires("nursery", CHILDCARE_WORKER)
        .staff("sato", "counter")
        .accommodate("sato", |a| {
            a.allowed_units = vec!["counter".into()];
            a.no_late_shifts = true;
        })
        .staff("suzuki", "counter")
        .short_hours("suzuki", 360)
        .leave("sato", LeaveKind::Annual, "2025-06-06", "2025-06-06");
    for who in ["takahashi", "tanaka", "ito"] {
        city.staff(who, "nursery").qualified(who, CHILDCARE_WORKER);
    }
    for offset in 0..14u64 {
        let day = start + chrono::Days::new(offset);
        if day.weekday().number_from_monday() <= 5 {
            if day != date("2025-06-06") {
                city.work("sato", day, DAY);
                if day.weekday() == Weekday::Thu {
                    city.overtime(90);
                }
            }
            city.work("suzuki", day, "short");
        }
        // Each nursery worker cycles early, late, day off: a late shift is never followed by
        // the next morning's early shift.
        let on_early = ["takahashi", "ito", "tanaka"][offset as usize % 3];
        let on_late = ["tanaka", "takahashi", "ito"][offset as usize % 3];
        for (who, shift) in [(on_early, EARLY), (on_late, LATE)] {
            city.work(who, day, shift);
        }
        city.demand("nursery", day, 1)
            .on_shift(EARLY)
            .holding(CHILDCARE_WORKER)
            .demand("nursery", day, 1)
            .on_shift(LATE)
            .holding(CHILDCARE_WORKER);
    }
    // Takahashi works Tuesday's late shift (13:00–22:00) and takes 14:00–16:00 out of it.
    city.hourly_leave("takahashi", "2025-06-03", "14:00", "16:00");

    let report = city.check();

    assert_clean(&report);
    assert_eq!(report.summary.total, 0);
    assert_eq!(report.summary.staff_affected, 0);
    // The scenario really exercises the rules: it has overtime, leave and demand.
    assert!(city.snapshot.roster.iter().any(|a| a.overtime_minutes > 0));
    assert_eq!(city.snapshot.leave.len(), 2);
    assert_eq!(city.snapshot.demand.len(), 28);
}

/// The default rules state the policy's numbers, which the scenarios above rely on.
#[test]
fn the_default_rules_are_the_policy_s_numbers() {
    let rules = rota::model::Rules::default();
    assert_eq!(rules.rest_interval_minutes, 660);
    assert_eq!(rules.no_overtime_weekday, Some(Weekday::Wed));
    assert_eq!(rules.max_consecutive_work_days, 6);
    assert_eq!(
        (
            rules.overtime.monthly_minutes,
            rules.overtime.yearly_minutes
        ),
        (2700, 21600)
    );
    let hl = &rules.high_load_overtime;
    assert_eq!(
        (
            hl.monthly_minutes,
            hl.yearly_minutes,
            hl.average_minutes,
            hl.average_window_min_months,
            hl.average_window_max_months,
            hl.max_months_over_ordinary_cap
        ),
        (6000, 43200, 4800, 2, 6, 6)
    );
    // And the check of the standard day's shape, 08:30–17:15 less an hour.
    let day = common::shift_type(DAY, "08:30", "17:15", 60, ShiftKind::Day);
    assert_eq!(day.paid_minutes(), 465);
    let night = common::shift_type(NIGHT, "22:00", "07:00", 60, ShiftKind::Night);
    assert_eq!(night.span_minutes(), 540);
    // The helper's dates really are the weekdays the module doc says.
    assert_eq!("2025-06-04".as_date().weekday(), Weekday::Wed);
}

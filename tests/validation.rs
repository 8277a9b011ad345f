//! Validation of snapshots: every kind of bad input is refused with the JSON path of the offending
//! field and a reason a planner can act on, and every problem is reported at once.
//!
//! Each test starts from the same small, valid city (see [`city`]), breaks one thing (or several),
//! and asserts where validation points.

mod common;

use common::{date, time, TestCity, CHILDCARE_WORKER, DAY, EARLY, LATE};
use rota::model::{
    FieldError, Id, LeaveKind, Limits, LoadError, Model, Posting, ShiftKind, Snapshot, TimeRange,
};

/// A small valid city over two weeks from Monday 2 June 2025: a counter (an office, Monday to
/// Friday, day shift) and a nursery (open every day, early and late shifts); three staff, four
/// roster entries, three leave entries and two demand lines. The comments give each item's index,
/// which the tests' expected paths refer to.
fn city() -> TestCity {
    let mut city = TestCity::new("2025-06-02", 14);
    city.office("counter") // organisation.units[0]
        .facility("nursery", &[EARLY, LATE]) // organisation.units[1]
        .staff("sato", "counter") // staff[0]
        .staff("suzuki", "nursery") // staff[1]
        .qualified("suzuki", CHILDCARE_WORKER)
        .staff("takahashi", "nursery") // staff[2]
        .qualified("takahashi", CHILDCARE_WORKER)
        .work("sato", "2025-06-02", DAY) // roster[0]
        .work("suzuki", "2025-06-02", EARLY) // roster[1]
        .work("takahashi", "2025-06-02", LATE) // roster[2]
        .work("suzuki", "2025-06-03", EARLY) // roster[3]
        .leave("sato", LeaveKind::Annual, "2025-06-05", "2025-06-06") // leave[0]
        .hourly_leave("suzuki", "2025-06-04", "09:00", "11:00") // leave[1]
        .leave("takahashi", LeaveKind::Special, "2025-06-10", "2025-06-10") // leave[2]
        .demand("nursery", "2025-06-02", 1) // demand[0]
        .on_shift(EARLY)
        .holding(CHILDCARE_WORKER)
        .demand("counter", "2025-06-02", 1); // demand[1]
                                             // Suzuki worked at the counter before moving to the nursery.
    city.snapshot.staff[1].history = vec![
        Posting {
            unit: Id::new("counter"),
            from: date("2020-04-01"),
            to: Some(date("2024-03-31")),
        },
        Posting {
            unit: Id::new("nursery"),
            from: date("2024-04-01"),
            to: None,
        },
    ];
    city
}

/// The paths of the errors, in the order reported.
fn paths(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.path.as_str()).collect()
}

/// The error at `path`; fails the test, listing every error, if there is none.
fn error_at<'a>(errors: &'a [FieldError], path: &str) -> &'a FieldError {
    errors
        .iter()
        .find(|e| e.path == path)
        .unwrap_or_else(|| panic!("no error at {path}; errors: {errors:#?}"))
}

/// Asserts that validation reports exactly one problem, at `path`, whose reason mentions
/// `words`; returns it for further checks.
fn only_error(city: &TestCity, path: &str, words: &str) -> FieldError {
    let errors = city.field_errors();
    assert_eq!(paths(&errors), vec![path], "errors: {errors:#?}");
    let e = errors[0].clone();
    assert!(
        e.reason.contains(words),
        "the reason at {path} should mention {words:?}: {:?}",
        e.reason
    );
    e
}

// ---------------------------------------------------------------------------------------------
// The baseline
// ---------------------------------------------------------------------------------------------

/// The baseline city is valid, so every refusal below is caused by the one thing each test
/// breaks.
#[test]
fn the_baseline_city_loads() {
    let model = city().load().expect("the baseline city is valid");
    assert_eq!(model.n_days(), 14);
    assert_eq!(model.work.len(), 4);
    assert_eq!(model.leave.len(), 3);
    assert_eq!(model.demand.len(), 2);
}

/// A snapshot survives a round trip through JSON unchanged, and still loads.
#[test]
fn a_snapshot_round_trips_through_json() {
    let original = city().snapshot;
    let text = original.to_json();
    let parsed = Snapshot::from_json(&text).expect("our own JSON parses");
    assert_eq!(parsed, original);
    parsed.into_model().expect("and loads");
}

// ---------------------------------------------------------------------------------------------
// End before start
// ---------------------------------------------------------------------------------------------

/// A posting that ends before it starts is refused at its `to`.
#[test]
fn a_posting_ending_before_it_starts_is_refused() {
    // Suzuki's counter posting is recorded as ending in 2019, a year before it began.
    let mut city = city();
    city.snapshot.staff[1].history[0].to = Some(date("2019-03-31"));

    let e = only_error(&city, "staff[1].history[0].to", "before");
    assert!(e.reason.contains("2019-03-31") && e.reason.contains("2020-04-01"));
}

/// A calendar whose end is before its start is refused at `calendar.end`.
#[test]
fn a_calendar_ending_before_it_starts_is_refused() {
    let mut city = city();
    city.snapshot.calendar.end = date("2025-05-31");

    only_error(&city, "calendar.end", "before");
}

/// Leave ending before it starts is refused at its `to`.
#[test]
fn leave_ending_before_it_starts_is_refused() {
    let mut city = city();
    city.snapshot.leave[0].to = date("2025-06-04");

    only_error(&city, "leave[0].to", "before");
}

/// Hourly leave must end after it starts, and lie on a single day.
#[test]
fn hourly_leave_must_end_after_it_starts_on_the_same_day() {
    let mut backwards = city();
    backwards.snapshot.leave[1].hours = Some(TimeRange {
        start: time("11:00"),
        end: time("09:00"),
    });
    only_error(&backwards, "leave[1].hours.end", "not after");

    let mut two_days = city();
    two_days.snapshot.leave[1].to = date("2025-06-05");
    only_error(&two_days, "leave[1].hours", "same day");
}

/// A shift type whose end equals its start is ambiguous (zero or 24 hours) and refused at its
/// `end`.
#[test]
fn a_shift_ending_when_it_starts_is_refused() {
    let mut city = city();
    city.snapshot.shift_types[0].end = time("08:30");

    only_error(&city, "shift_types[0].end", "equal to start");
}

/// A shift whose break is as long as the shift itself, or longer, is refused at its
/// `break_minutes`.
#[test]
fn a_shift_with_a_break_longer_than_itself_is_refused() {
    // The early shift (07:00–15:00, 480 min) is given a 9-hour break.
    let mut city = city();
    city.snapshot.shift_types[1].break_minutes = 540;

    let e = only_error(&city, "shift_types[1].break_minutes", "not shorter");
    assert!(e.reason.contains("540") && e.reason.contains("480"), "{e}");
}

/// A night shift ending the next morning is not an end before its start.
#[test]
fn a_night_shift_crossing_midnight_is_valid() {
    let mut city = city();
    city.runs("nursery", common::NIGHT)
        .work("takahashi", "2025-06-03", common::NIGHT)
        .overtime(60);

    let model = city.load().expect("a night shift is valid");
    let night = model.shifts[model.shift_index(&Id::new("night")).unwrap()];
    assert_eq!((night.start, night.span, night.paid), (22 * 60, 540, 480));
}

// ---------------------------------------------------------------------------------------------
// Unknown and duplicate ids
// ---------------------------------------------------------------------------------------------

/// An assignment naming an unknown shift type is refused at its `shift`.
#[test]
fn an_assignment_of_an_unknown_shift_type_is_refused() {
    let mut city = city();
    city.snapshot.roster[3].shift = Id::new("evening");

    only_error(&city, "roster[3].shift", "unknown shift type");
}

/// Leave for an unknown staff member is refused at its `staff`.
#[test]
fn leave_of_an_unknown_staff_member_is_refused() {
    let mut city = city();
    city.snapshot.leave[2].staff = Id::new("tanaka");

    only_error(&city, "leave[2].staff", "unknown staff member");
}

/// Every reference to another id is checked, each at its own path.
#[test]
fn every_unknown_reference_is_reported_at_its_path() {
    let mut city = city();
    let s = &mut city.snapshot;
    s.organisation.sections[0].department = Id::new("no_dept");
    s.organisation.units[1].shifts.push(Id::new("no_shift"));
    s.staff[0].unit = Id::new("no_unit");
    s.staff[1].history[0].unit = Id::new("no_unit");
    s.staff[2].accommodations.allowed_units = vec![Id::new("no_unit")];
    s.staff[2].wishes.units = vec![Id::new("no_unit")];
    s.roster[0].staff = Id::new("no_staff");
    s.roster[1].unit = Id::new("no_unit");
    s.demand[1].unit = Id::new("no_unit");
    s.demand[0].shift = Some(Id::new("no_shift"));

    let errors = city.field_errors();

    for path in [
        "organisation.sections[0].department",
        "organisation.units[1].shifts[2]",
        "staff[0].unit",
        "staff[1].history[0].unit",
        "staff[2].accommodations.allowed_units[0]",
        "staff[2].wishes.units[0]",
        "roster[0].staff",
        "roster[1].unit",
        "demand[1].unit",
        "demand[0].shift",
    ] {
        let e = error_at(&errors, path);
        assert!(e.reason.contains("unknown"), "{e}");
    }
}

/// Ids are unique within their kind: a repeated id is refused where it repeats, naming where it
/// was first used.
#[test]
fn duplicate_ids_are_refused_where_they_repeat() {
    let mut city = city();
    let s = &mut city.snapshot;
    s.staff[2].id = Id::new("sato");
    s.shift_types[3].id = Id::new("day");
    s.leave[2].id = s.leave[0].id.clone();
    s.organisation.units[1].id = Id::new("counter");

    let errors = city.field_errors();

    let staff = error_at(&errors, "staff[2].id");
    assert!(staff.reason.contains("duplicate") && staff.reason.contains("staff[0].id"));
    let shift = error_at(&errors, "shift_types[3].id");
    assert!(shift.reason.contains("shift_types[0].id"), "{shift}");
    let leave = error_at(&errors, "leave[2].id");
    assert!(leave.reason.contains("leave[0].id"), "{leave}");
    let unit = error_at(&errors, "organisation.units[1].id");
    assert!(unit.reason.contains("organisation.units[0].id"), "{unit}");
}

/// The same staff member, date and shift twice in the roster is refused at the repetition.
#[test]
fn a_repeated_roster_entry_is_refused() {
    let mut city = city();
    city.work("suzuki", "2025-06-02", EARLY); // roster[4], repeating roster[1]

    only_error(&city, "roster[4]", "roster[1]");
}

/// Two demand lines for the same unit, date, shift and qualification are refused.
#[test]
fn a_repeated_demand_line_is_refused() {
    let mut city = city();
    city.demand("counter", "2025-06-02", 2); // demand[2], repeating demand[1]

    only_error(&city, "demand[2]", "demand[1]");
}

// ---------------------------------------------------------------------------------------------
// Leave
// ---------------------------------------------------------------------------------------------

/// Two leave entries of one person covering the same day are refused at the later one.
#[test]
fn overlapping_leave_is_refused() {
    // Sato's annual leave covers Thursday and Friday; sick leave is also recorded for Friday to
    // Monday.
    let mut city = city();
    city.leave("sato", LeaveKind::Sick, "2025-06-06", "2025-06-09"); // leave[3]

    only_error(&city, "leave[3]", "overlaps leave[0]");
}

/// Hourly leave inside a day of whole-day leave overlaps it; two hourly ranges on one day that
/// do not meet are fine, two that do are refused.
#[test]
fn hourly_leave_overlaps_whole_days_and_other_hours_on_the_same_day() {
    let mut inside_a_whole_day = city();
    inside_a_whole_day.hourly_leave("sato", "2025-06-05", "14:00", "15:00"); // leave[3]
    only_error(&inside_a_whole_day, "leave[3]", "overlaps leave[0]");

    let mut apart = city();
    apart.hourly_leave("suzuki", "2025-06-04", "11:00", "12:00"); // touches leave[1] at 11:00
    apart
        .load()
        .expect("09:00–11:00 and 11:00–12:00 do not overlap");

    let mut meeting = city();
    meeting.hourly_leave("suzuki", "2025-06-04", "10:30", "12:00"); // leave[3]
    only_error(&meeting, "leave[3]", "overlaps leave[1]");
}

/// Leave of different people on the same day never overlaps.
#[test]
fn leave_of_different_people_on_the_same_day_is_fine() {
    let mut city = city();
    city.leave("suzuki", LeaveKind::Annual, "2025-06-05", "2025-06-06");

    city.load().expect("different people");
}

// ---------------------------------------------------------------------------------------------
// Roster and demand against the organisation and the calendar
// ---------------------------------------------------------------------------------------------

/// An assignment of a shift type the unit does not run is refused at its `shift`.
#[test]
fn an_assignment_of_a_shift_the_unit_does_not_run_is_refused() {
    // The counter runs only the standard day; Sato is rostered there for a late shift.
    let mut city = city();
    city.work("sato", "2025-06-03", LATE); // roster[4]

    let e = only_error(&city, "roster[4].shift", "does not run");
    assert!(
        e.reason.contains("counter") && e.reason.contains("late"),
        "{e}"
    );
}

/// A demand for a shift the unit does not run is refused at its `shift`.
#[test]
fn a_demand_for_a_shift_the_unit_does_not_run_is_refused() {
    let mut city = city();
    city.snapshot.demand[1].shift = Some(Id::new(EARLY));

    only_error(&city, "demand[1].shift", "does not run");
}

/// A positive demand on a day the unit is closed (a Saturday for an office) is refused at its
/// `date`; a zero demand on that day is harmless and accepted.
#[test]
fn a_demand_on_a_day_the_unit_is_closed_is_refused() {
    let mut city = city();
    city.demand("counter", "2025-06-07", 1); // demand[2], a Saturday
    only_error(&city, "demand[2].date", "closed");

    city.snapshot.demand[2].min = 0;
    city.load()
        .expect("asking for nobody on a closed day is harmless");
}

/// National holidays come from the calendar library: an office is closed on 海の日 (Marine Day,
/// Monday 21 July 2025), so a demand on it is refused; the nursery, open on holidays, may have
/// one.
#[test]
fn a_demand_on_a_national_holiday_is_refused_for_an_office() {
    let mut city = TestCity::new("2025-07-14", 14);
    city.office("counter")
        .facility("nursery", &[EARLY])
        .staff("sato", "counter")
        .staff("suzuki", "nursery")
        .demand("nursery", "2025-07-21", 1) // demand[0]
        .demand("counter", "2025-07-21", 1); // demand[1]

    only_error(&city, "demand[1].date", "closed");
}

/// A demand for more staff than the snapshot has can never be met and is refused at its `min`.
#[test]
fn an_impossible_demand_is_refused() {
    let mut city = city();
    city.snapshot.demand[0].min = 4;

    let e = only_error(&city, "demand[0].min", "impossible");
    assert!(e.reason.contains('3'), "names the staff count: {e}");
}

/// A nursery asking for three 保育士 when only two staff in the whole snapshot hold the
/// qualification can never be covered, and is refused at its `min`.
#[test]
fn a_demand_for_more_qualified_staff_than_exist_is_refused() {
    let mut city = city();
    city.snapshot.demand[0].min = 3;

    let e = only_error(&city, "demand[0].min", "impossible");
    assert!(
        e.reason.contains("only 2 staff hold childcare_worker"),
        "names the holders: {e}"
    );
}

/// Roster entries, demand and leave outside the horizon are refused at their dates.
#[test]
fn dates_outside_the_horizon_are_refused() {
    let mut city = city();
    city.snapshot.roster[2].date = date("2025-06-16");
    city.snapshot.demand[0].date = date("2025-06-01");
    city.snapshot.leave[2].from = date("2025-07-01");
    city.snapshot.leave[2].to = date("2025-07-01");

    let errors = city.field_errors();

    assert_eq!(
        paths(&errors),
        vec!["demand[0].date", "leave[2].from", "roster[2].date"],
        "{errors:#?}"
    );
    assert!(errors
        .iter()
        .all(|e| e.reason.contains("outside the horizon")));
}

/// Overtime that would make one working day longer than 24 hours is refused.
#[test]
fn overtime_making_a_day_longer_than_24_hours_is_refused() {
    // The standard day spans 525 minutes; 916 minutes of overtime would make 1441.
    let mut city = city();
    city.snapshot.roster[0].overtime_minutes = 916;
    only_error(&city, "roster[0].overtime_minutes", "over 24 h");

    city.snapshot.roster[0].overtime_minutes = 915;
    city.load().expect("exactly 24 hours is the limit");
}

// ---------------------------------------------------------------------------------------------
// Sizes and rules
// ---------------------------------------------------------------------------------------------

/// A horizon longer than the limit (three years by default) is refused at `calendar.end`.
#[test]
fn a_horizon_too_long_is_refused() {
    let mut city = TestCity::new("2025-04-01", 3 * 366 + 1);
    city.office("counter").staff("sato", "counter");
    only_error(&city, "calendar.end", "more than the limit");

    let mut city = TestCity::new("2025-04-01", 3 * 366);
    city.office("counter").staff("sato", "counter");
    city.load().expect("three years are within the limit");
}

/// The limits are a setting: a service may refuse a two-month horizon or a fourth staff member.
#[test]
fn custom_limits_are_enforced() {
    let limits = Limits {
        max_horizon_days: 7,
        ..Limits::default()
    };
    let errors = match Model::with_limits(city().snapshot, &limits) {
        Err(LoadError::Invalid(errors)) => errors,
        other => panic!("expected the 14-day horizon to be refused, got {other:?}"),
    };
    assert_eq!(paths(&errors), vec!["calendar.end"]);

    let limits = Limits {
        max_staff: 2,
        ..Limits::default()
    };
    let errors = match Model::with_limits(city().snapshot, &limits) {
        Err(LoadError::Invalid(errors)) => errors,
        other => panic!("expected three staff to be refused, got {other:?}"),
    };
    assert_eq!(paths(&errors), vec!["staff"]);
    assert!(errors[0].reason.contains("limit of 2"), "{}", errors[0]);
}

/// Rules that make no sense are refused at their own fields.
#[test]
fn nonsensical_rules_are_refused() {
    let mut city = city();
    city.rules(|r| {
        r.rest_interval_minutes = 49 * 60;
        r.max_consecutive_work_days = 0;
        r.high_load_overtime.average_window_min_months = 7;
        r.high_load_overtime.average_window_max_months = 13;
    });

    let errors = city.field_errors();

    assert_eq!(
        paths(&errors),
        vec![
            "rules.rest_interval_minutes",
            "rules.max_consecutive_work_days",
            "rules.high_load_overtime.average_window_max_months",
        ],
        "{errors:#?}"
    );

    city.rules(|r| {
        r.high_load_overtime.average_window_min_months = 7;
        r.high_load_overtime.average_window_max_months = 6;
    });
    let errors = city.field_errors();
    error_at(
        &errors,
        "rules.high_load_overtime.average_window_min_months",
    );
}

/// A staff member's dates and contract are checked.
#[test]
fn impossible_staff_records_are_refused() {
    let mut city = city();
    let s = &mut city.snapshot;
    s.staff[0].birth_date = date("2016-01-01"); // after the hire date
    s.staff[1].contract.weekly_minutes = 0;
    s.staff[2].history.push(Posting {
        unit: Id::new("nursery"),
        from: date("2024-04-01"),
        to: None,
    });
    s.staff[2].history.push(Posting {
        unit: Id::new("counter"),
        from: date("2025-04-01"),
        to: None,
    });

    let errors = city.field_errors();

    assert_eq!(
        paths(&errors),
        vec![
            "staff[0].birth_date",
            "staff[1].contract.weekly_minutes",
            "staff[2].history[1].from",
        ],
        "{errors:#?}"
    );
    assert!(errors[2].reason.contains("open-ended"), "{}", errors[2]);
}

// ---------------------------------------------------------------------------------------------
// Many problems at once
// ---------------------------------------------------------------------------------------------

/// Validation does not stop at the first problem: a planner fixing a spreadsheet sees them all.
#[test]
fn every_problem_is_reported_at_once() {
    let mut city = city();
    let s = &mut city.snapshot;
    s.shift_types[2].break_minutes = 600;
    s.staff[1].history[0].to = Some(date("2019-03-31"));
    s.roster[3].shift = Id::new("evening");
    s.leave[2].staff = Id::new("tanaka");
    s.demand[0].min = 99;

    let errors = city.field_errors();

    assert_eq!(
        paths(&errors),
        vec![
            "shift_types[2].break_minutes",
            "staff[1].history[0].to",
            "demand[0].min",
            "leave[2].staff",
            "roster[3].shift",
        ],
        "{errors:#?}"
    );
    let e = LoadError::Invalid(errors);
    assert!(e.to_string().starts_with("5 problem(s)"), "{e}");
    assert_eq!(e.field_errors().len(), 5);
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

/// Text that is not JSON is a `LoadError::Json`, with the path being read and the position.
#[test]
fn malformed_json_is_a_json_error_with_a_position() {
    let text = city().snapshot.to_json();
    // Cut the text in the middle of the roster.
    let cut = text.find("\"roster\"").expect("the snapshot has a roster") + 30;

    match Snapshot::from_json(&text[..cut]) {
        Err(LoadError::Json {
            path, line, column, ..
        }) => {
            assert!(path.starts_with("roster"), "path {path:?}");
            assert_eq!(line, 1);
            assert_eq!(column, cut);
        }
        other => panic!("expected a JSON error, got {other:?}"),
    }
    match Snapshot::from_json("{ \"staff\": [,] }") {
        Err(e @ LoadError::Json { .. }) => {
            let fe = &e.field_errors()[0];
            assert!(fe.path.starts_with("staff"), "{fe}");
            assert!(fe.reason.contains("line 1"), "{fe}");
        }
        other => panic!("expected a JSON error, got {other:?}"),
    }
}

/// A wrong enum value is a JSON error at the field's path, naming the accepted values.
#[test]
fn a_wrong_enum_value_is_a_json_error_at_its_path() {
    let text = city().snapshot.to_json();

    let dusk = text.replacen("\"kind\":\"day\"", "\"kind\":\"dusk\"", 1);
    match Snapshot::from_json(&dusk) {
        Err(LoadError::Json { path, reason, .. }) => {
            assert_eq!(path, "shift_types[0].kind");
            assert!(
                reason.contains("dusk") && reason.contains("night"),
                "{reason}"
            );
        }
        other => panic!("expected a JSON error, got {other:?}"),
    }

    let holiday = text.replacen("\"kind\":\"special\"", "\"kind\":\"holiday\"", 1);
    match Snapshot::from_json(&holiday) {
        Err(LoadError::Json { path, .. }) => assert_eq!(path, "leave[2].kind"),
        other => panic!("expected a JSON error, got {other:?}"),
    }
}

/// A value of the wrong type and an unknown field are JSON errors at their paths.
#[test]
fn wrong_types_and_unknown_fields_are_json_errors_at_their_paths() {
    let text = city().snapshot.to_json();

    let words = text.replacen("\"min\":1", "\"min\":\"one\"", 1);
    match Snapshot::from_json(&words) {
        Err(LoadError::Json { path, .. }) => assert_eq!(path, "demand[0].min"),
        other => panic!("expected a JSON error, got {other:?}"),
    }

    // A misspelt overtime field on the first roster entry (the first `"shift":"day"`).
    let typo = text.replacen("\"shift\":\"day\"", "\"shift\":\"day\",\"overtme\":5", 1);
    match Snapshot::from_json(&typo) {
        Err(LoadError::Json { path, reason, .. }) => {
            assert_eq!(path, "roster[0].overtme");
            assert!(reason.contains("unknown field"), "{reason}");
        }
        other => panic!("expected a JSON error, got {other:?}"),
    }

    let bad_date = text.replacen("\"2025-06-05\"", "\"2025-06-31\"", 1);
    match Snapshot::from_json(&bad_date) {
        Err(LoadError::Json { path, .. }) => assert_eq!(path, "leave[0].from"),
        other => panic!("expected a JSON error, got {other:?}"),
    }
}

/// A shift kind round-trips under its snake_case name.
#[test]
fn enum_values_are_snake_case_in_json() {
    let mut city = city();
    city.shift_type("ward_night", "21:00", "06:00", 60, ShiftKind::Night);
    let text = city.snapshot.to_json();
    assert!(text.contains("\"kind\":\"night\""));
    assert!(text.contains("\"childcare_worker\""));
    assert!(text.contains("\"kind\":\"annual\""));
}

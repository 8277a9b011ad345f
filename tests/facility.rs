//! Rostering a shift-run facility of the generated city: the solver's roster, written back into
//! the snapshot, is re-validated by the checker (the referee of every rule), for every facility.

use rota::gen::{generate, GenConfig};
use rota::model::Id;
use rota::rules::check;
use rota::solve::facility::{facility_problem, FacilityError};
use rota::solve::search::{solve, SolveOptions};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// The small city most tests start from: 150 regular staff, nothing planted.
fn small_city() -> rota::model::Snapshot {
    generate(&GenConfig {
        seed: 3,
        staff: 150,
        planted_per_rule: 0,
        ..GenConfig::default()
    })
    .snapshot
}

/// A city of `staff` regular staff with the generator's planted breaches, loaded.
fn planted_city(staff: u32) -> rota::model::Model {
    generate(&GenConfig {
        seed: 2,
        staff,
        ..GenConfig::default()
    })
    .snapshot
    .into_model()
    .expect("the city loads")
}

/// A roster of `units` (every shift-run unit when empty) over `from..=to` (the horizon when
/// both are `None`) in `seconds`, at the default weights.
fn task(
    units: Vec<Id>,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    seconds: u64,
) -> rota::solve::roster::RosterTask {
    rota::solve::roster::RosterTask {
        units,
        from,
        to,
        weights: Default::default(),
        options: SolveOptions {
            time_limit: Duration::from_secs(seconds),
            ..SolveOptions::default()
        },
    }
}

/// The city's first two nurseries, each with the first shift it runs.
fn two_nurseries(snapshot: &rota::model::Snapshot) -> [(Id, Id); 2] {
    let found: Vec<(Id, Id)> = (snapshot.organisation.units.iter())
        .filter(|u| u.shift_run && u.shifts.iter().any(|s| s.as_str().starts_with("nursery")))
        .map(|u| (u.id.clone(), u.shifts[0].clone()))
        .take(2)
        .collect();
    match <[(Id, Id); 2]>::try_from(found) {
        Ok(pair) => pair,
        Err(found) => panic!("the city has two nurseries, found {found:?}"),
    }
}

/// Every facility of a small city is re-rostered over the fiscal year; the checker finds no
/// violation for the unit or its staff, and the roster covers demand at least as well as before.
#[test]
fn every_facility_is_rerostered_lawfully_and_the_checker_agrees() {
    let model = small_city().into_model().expect("generated city loads");
    let facilities: Vec<Id> = model
        .snapshot
        .organisation
        .units
        .iter()
        .filter(|u| u.shift_run)
        .map(|u| u.id.clone())
        .collect();
    assert!(
        facilities.len() >= 4,
        "the city has nurseries, libraries and a plant room"
    );
    for unit in facilities {
        let plan = match facility_problem(&model, &unit) {
            Ok(plan) => plan,
            Err(FacilityError::NoStaff(_)) => continue,
            Err(e) => panic!("{unit}: {e}"),
        };
        let options = SolveOptions {
            time_limit: Duration::from_secs(30),
            ..SolveOptions::default()
        };
        let solved = solve(
            &plan.problem,
            &options,
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap_or_else(|e| panic!("{unit}: {e}"));
        assert!(
            solved.evaluation.breaches.is_empty(),
            "{unit}: {:?}",
            solved.evaluation.breaches
        );
        let before = plan.problem.evaluate(&plan.current(&model));
        assert!(
            solved.evaluation.under_cover <= before.under_cover,
            "{unit}: the new roster leaves more uncovered ({}) than the old ({})",
            solved.evaluation.under_cover,
            before.under_cover
        );
        let rerostered = plan
            .apply(&model, &solved.assignment)
            .into_model()
            .expect("result loads");
        let report = check(&rerostered);
        let ours: Vec<&str> = plan.problem.staff.iter().map(|p| p.id.as_str()).collect();
        let found: Vec<String> = report
            .violations
            .iter()
            .filter(|v| {
                v.unit.as_ref() == Some(&unit)
                    || v.staff.as_ref().is_some_and(|s| ours.contains(&s.as_str()))
            })
            .map(|v| format!("{:?}: {}", v.rule, v.message))
            .collect();
        assert!(found.is_empty(), "{unit}: the checker finds {found:#?}");
    }
}

/// Asking for an unknown unit, or an office that is not shift-run, is a clear error.
#[test]
fn an_unknown_or_office_unit_is_refused_by_name() {
    let city = generate(&GenConfig {
        seed: 3,
        staff: 60,
        ..GenConfig::default()
    });
    let model = city.snapshot.into_model().expect("generated city loads");
    let err = facility_problem(&model, &Id::new("U99999")).unwrap_err();
    assert_eq!(err, FacilityError::UnknownUnit("U99999".into()));
    let office = model
        .snapshot
        .organisation
        .units
        .iter()
        .find(|u| !u.shift_run)
        .expect("an office");
    let err = facility_problem(&model, &office.id).unwrap_err();
    assert!(
        err.to_string().contains("not a shift-run facility"),
        "{err}"
    );
}

/// Two nurseries that share a colleague (she helps out next door on a few days) are rostered
/// together: the second sees what the first gave her, so the stitched roster never books her
/// twice, and the checker finds no hard rule broken anywhere in either unit.
#[test]
fn facilities_that_share_staff_are_never_double_booked() {
    use rota::solve::roster::roster;
    let mut snapshot = small_city();
    let [(home, _), next_door] = two_nurseries(&snapshot);
    let home = &home;
    let helper = snapshot
        .staff
        .iter()
        .find(|p| &p.unit == home)
        .expect("a nursery worker")
        .id
        .clone();
    // On her days off at home in the first July fortnight, she works next door.
    let works: std::collections::BTreeSet<chrono::NaiveDate> = snapshot
        .roster
        .iter()
        .filter(|e| e.staff == helper)
        .map(|e| e.date)
        .collect();
    let first: chrono::NaiveDate = "2026-07-06".parse().expect("date");
    let lent: Vec<chrono::NaiveDate> = (0..14)
        .map(|k| first + chrono::Duration::days(k))
        .filter(|d| !works.contains(d))
        .take(2)
        .collect();
    assert!(!lent.is_empty(), "she has days off in the fortnight");
    for &date in &lent {
        snapshot.roster.push(rota::model::Assignment {
            staff: helper.clone(),
            date,
            unit: next_door.0.clone(),
            shift: next_door.1.clone(),
            overtime_minutes: 0,
        });
    }
    // Both nurseries are short in the fortnight, so each wants her on every day she is free.
    let last = first + chrono::Duration::days(13);
    for line in snapshot
        .demand
        .iter_mut()
        .filter(|l| (&l.unit == home || l.unit == next_door.0) && first <= l.date && l.date <= last)
    {
        line.min += 3;
    }
    let model = snapshot.into_model().expect("the lent days load");
    let task = task(
        vec![home.clone(), next_door.0.clone()],
        Some(first),
        Some(last),
        60,
    );
    let rostered = roster(&model, &task, &AtomicBool::new(false), &mut |_| {}).expect("rostered");
    assert_eq!(rostered.facilities.len(), 2);
    assert!(
        rostered
            .facilities
            .iter()
            .all(|f| f.plan.staff_ids(&model).contains(&helper)),
        "both nurseries roster her"
    );
    let after = rostered
        .snapshot
        .into_model()
        .expect("nobody is booked twice");
    let hard: Vec<_> = check(&after)
        .violations
        .into_iter()
        .filter(|v| v.rule != rota::rules::RuleId::Coverage)
        .filter(|v| {
            v.unit
                .as_ref()
                .is_some_and(|u| u == home || u == &next_door.0)
                || v.staff.as_ref() == Some(&helper)
        })
        .collect();
    assert!(hard.is_empty(), "{hard:#?}");
    for f in &rostered.facilities {
        assert!(
            f.violations
                .iter()
                .all(|v| v.rule == rota::rules::RuleId::Coverage),
            "{:#?}",
            f.violations
        );
    }
}

/// A window that no roster can make lawful (one working day in a row at most, against a
/// published week of five) is refused, naming the person by their place in the snapshot, not
/// answered with today's roster as if it were a result.
#[test]
fn a_window_no_roster_can_make_lawful_is_refused_by_person() {
    use rota::solve::roster::{roster, RosterError};
    use rota::solve::search::SolveError;
    let mut snapshot = small_city();
    snapshot.rules.max_consecutive_work_days = 1;
    let unit = (snapshot.organisation.units.iter())
        .find(|u| u.shift_run)
        .map(|u| u.id.clone())
        .expect("a facility");
    let model = snapshot.into_model().expect("the city loads");
    let task = task(
        vec![unit.clone()],
        Some("2026-06-01".parse().expect("date")),
        Some("2026-06-30".parse().expect("date")),
        20,
    );
    match roster(&model, &task, &AtomicBool::new(false), &mut |_| {}) {
        Err(RosterError::Solve {
            unit: u,
            error: SolveError::Infeasible { index, id, reason },
        }) => {
            assert_eq!(u, unit);
            assert_eq!(model.snapshot.staff[index].id.as_str(), id, "{reason}");
            assert!(reason.contains("in a row"), "{reason}");
        }
        other => panic!("expected no lawful roster, got {:?}", other.map(|_| ())),
    }
}

/// Overtime stays with the shifts a re-roster keeps, and the rest interval is judged with it:
/// a nursery whose late shifts in June carry three hours of overtime (ending at 22:00, nine
/// hours before the next day's early shift) is asked for two more early and middle people every
/// day of June and re-rostered over the year. Every entry left as it was keeps its overtime, a
/// new one carries none, and the checker finds no rest interval broken that the published
/// roster did not break (without the day's own successions it finds one).
#[test]
fn overtime_stays_with_kept_shifts_and_the_rest_interval_counts_it() {
    use rota::solve::roster::roster;
    use std::collections::{BTreeSet, HashMap};
    let mut snapshot = small_city();
    let unit = (snapshot.organisation.units.iter())
        .find(|u| u.shift_run && u.shifts.iter().any(|s| s.as_str() == "nursery_late"))
        .map(|u| u.id.clone())
        .expect("a nursery");
    let (first, last): (chrono::NaiveDate, chrono::NaiveDate) = (
        "2026-06-01".parse().expect("date"),
        "2026-06-30".parse().expect("date"),
    );
    let in_june = |d: chrono::NaiveDate| first <= d && d <= last;
    use chrono::Datelike;
    for e in (snapshot.roster.iter_mut()).filter(|e| {
        e.unit == unit
            && e.shift.as_str() == "nursery_late"
            && in_june(e.date)
            && e.date.weekday() != chrono::Weekday::Wed
    }) {
        e.overtime_minutes = 180;
    }
    for line in (snapshot.demand.iter_mut())
        .filter(|l| l.unit == unit && in_june(l.date))
        .filter(|l| {
            l.shift
                .as_ref()
                .is_some_and(|s| s.as_str() != "nursery_late")
        })
    {
        line.min += 2;
    }
    let model = snapshot.clone().into_model().expect("the city loads");
    let rests = |model: &rota::model::Model| -> BTreeSet<(rota::model::Id, chrono::NaiveDate)> {
        (check(model).violations.into_iter())
            .filter(|v| v.rule == rota::rules::RuleId::RestInterval)
            .filter_map(|v| Some((v.staff?, v.date)))
            .collect()
    };
    let published = rests(&model);
    let task = task(vec![unit.clone()], None, None, 30);
    let rostered = roster(&model, &task, &AtomicBool::new(false), &mut |_| {}).expect("rostered");
    let key =
        |e: &rota::model::Assignment| (e.staff.clone(), e.date, e.unit.clone(), e.shift.clone());
    let before: HashMap<_, u32> = (snapshot.roster.iter())
        .filter(|e| e.unit == unit)
        .map(|e| (key(e), e.overtime_minutes))
        .collect();
    let after: Vec<&rota::model::Assignment> = (rostered.snapshot.roster.iter())
        .filter(|e| e.unit == unit)
        .collect();
    let kept: Vec<_> = after
        .iter()
        .filter(|e| before.contains_key(&key(e)))
        .collect();
    assert!(
        kept.len() < before.len(),
        "the re-roster changes some shifts"
    );
    assert!(
        kept.iter().any(|e| e.overtime_minutes == 180),
        "some late shift with overtime is kept"
    );
    for e in &kept {
        assert_eq!(e.overtime_minutes, before[&key(e)], "{e:?}");
    }
    for e in after.iter().filter(|e| !before.contains_key(&key(e))) {
        assert_eq!(
            e.overtime_minutes, 0,
            "a new shift carries no overtime: {e:?}"
        );
    }
    let checked = rostered.snapshot.into_model().expect("the roster loads");
    let new: Vec<_> = rests(&checked).difference(&published).cloned().collect();
    assert!(new.is_empty(), "rest intervals broken anew: {new:?}");
}

/// A rest interval longer than a day off leaves (25 h after a night shift that ends at 08:30,
/// before the day shift two days later) is beyond the model's successions of one day: the
/// water-plant room is refused with the rule's field, not rostered against it.
#[test]
fn a_rest_longer_than_a_day_off_is_refused_with_the_rule() {
    use rota::solve::roster::{roster, RosterError};
    let mut snapshot = small_city();
    snapshot.rules.rest_interval_minutes = 25 * 60;
    let plant = (snapshot.organisation.units.iter())
        .find(|u| u.shifts.iter().any(|s| s.as_str() == "plant_night"))
        .map(|u| u.id.clone())
        .expect("a water-plant room");
    let model = snapshot.into_model().expect("the city loads");
    let task = task(vec![plant], None, None, 10);
    match roster(&model, &task, &AtomicBool::new(false), &mut |_| {}) {
        Err(RosterError::Invalid { field, reason }) => {
            assert_eq!(field, "rules.rest_interval_minutes", "{reason}");
            assert!(reason.contains("plant_night"), "{reason}");
        }
        other => panic!("expected the rule refused, got {:?}", other.map(|_| ())),
    }
}

/// The published roster's own faults never make a facility unrosterable: in a city with the
/// generator's planted breaches (colleagues from other units rostered once into a nursery
/// without its qualification, work on leave, double bookings), every facility is rostered over
/// the whole year, and the checker finds nothing on the result that the published roster did
/// not already have.
#[test]
fn planted_breaches_never_make_a_facility_unrosterable() {
    use rota::solve::roster::roster;
    let model = planted_city(300);
    let task = task(Vec::new(), None, None, 40);
    let rostered = roster(&model, &task, &AtomicBool::new(false), &mut |_| {})
        .unwrap_or_else(|e| panic!("the city's facilities roster: {e}"));
    assert!(rostered.facilities.len() >= 4);
    for f in &rostered.facilities {
        assert_eq!(
            f.already_published,
            f.violations.len(),
            "{:#?}",
            f.violations
        );
    }
}

/// A city roster cancelled before any facility has a lawful roster of its own is not lost: every
/// facility keeps today's roster exactly (planted breaches included), says "cancelled", and the
/// checker finds nothing on it that was not already published.
#[test]
fn a_cancelled_city_roster_keeps_every_facility_as_published() {
    use rota::solve::roster::roster;
    use rota::solve::search::SolveStatus;
    let model = planted_city(150);
    let task = task(Vec::new(), None, None, 600);
    let rostered = roster(&model, &task, &AtomicBool::new(true), &mut |_| {})
        .unwrap_or_else(|e| panic!("a cancelled roster still answers: {e}"));
    assert!(rostered.facilities.len() >= 4);
    for f in &rostered.facilities {
        assert_eq!(f.solved.status, SolveStatus::Cancelled);
        assert_eq!(f.entries, f.plan.published_entries(&model));
        assert_eq!(f.solved.evaluation.total(), f.before.total());
        assert_eq!(
            f.already_published,
            f.violations.len(),
            "{:#?}",
            f.violations
        );
    }
    // The same findings; only the entries' places in the snapshot's list may move.
    let findings = |model: &rota::model::Model| -> Vec<String> {
        (check(model).violations.iter())
            .map(|v| format!("{:?} {:?} {} {}", v.rule, v.staff, v.date, v.message))
            .collect()
    };
    let after = rostered.snapshot.clone().into_model().expect("reloads");
    assert_eq!(findings(&after), findings(&model));
}

/// A colleague lent to the nursery next door on two of her days off, one of which she then
/// spends on leave (the published roster breaks the leave rule there): next door is rostered
/// over the whole year all the same, giving her at most the one day she can still work there.
#[test]
fn a_lent_colleague_on_leave_leaves_the_facility_rosterable() {
    use rota::model::{Leave, LeaveKind, LeaveStatus};
    use rota::solve::roster::roster;
    let mut snapshot = small_city();
    let [(home, _), (next_door, shift)] = two_nurseries(&snapshot);
    let (home, next_door) = (&home, &next_door);
    let helper = (snapshot.staff.iter())
        .find(|p| &p.unit == home && !p.qualifications.is_empty())
        .map(|p| p.id.clone())
        .expect("a qualified nursery worker");
    let busy: std::collections::BTreeSet<chrono::NaiveDate> = (snapshot.roster.iter())
        .filter(|e| e.staff == helper)
        .map(|e| e.date)
        .collect();
    let on_leave: std::collections::BTreeSet<chrono::NaiveDate> = (snapshot.leave.iter())
        .filter(|l| l.staff == helper)
        .flat_map(|l| l.from.iter_days().take_while(move |d| *d <= l.to))
        .collect();
    let first: chrono::NaiveDate = "2026-07-06".parse().expect("date");
    let lent: Vec<chrono::NaiveDate> = (0..21)
        .map(|k| first + chrono::Duration::days(k))
        .filter(|d| !busy.contains(d) && !on_leave.contains(d))
        .take(2)
        .collect();
    assert_eq!(lent.len(), 2, "she has two free days in three weeks");
    for &date in &lent {
        snapshot.roster.push(rota::model::Assignment {
            staff: helper.clone(),
            date,
            unit: next_door.clone(),
            shift: shift.clone(),
            overtime_minutes: 0,
        });
    }
    snapshot.leave.push(Leave {
        id: Id::new("LENT-LEAVE"),
        staff: helper.clone(),
        kind: LeaveKind::Annual,
        from: lent[1],
        to: lent[1],
        hours: None,
        status: LeaveStatus::Approved,
    });
    let model = snapshot.into_model().expect("the lent days load");
    let task = task(vec![next_door.clone()], None, None, 20);
    let rostered = roster(&model, &task, &AtomicBool::new(false), &mut |_| {})
        .unwrap_or_else(|e| panic!("next door rosters: {e}"));
    let hers: Vec<_> = (rostered.snapshot.roster.iter())
        .filter(|e| e.staff == helper && &e.unit == next_door)
        .collect();
    assert!(
        hers.len() <= 1 && hers.iter().all(|e| e.date == lent[0]),
        "{hers:?}"
    );
}

/// A nursery worker who helps next door on her Sundays off in July is rostered at home with
/// those Sundays counted as working days: her home nursery, short of people all month, never
/// gives her the six days before or after one that would make seven in a row.
#[test]
fn days_in_another_unit_count_towards_the_longest_run() {
    use chrono::Datelike;
    use rota::solve::roster::roster;
    let mut snapshot = small_city();
    let [(home, _), (next_door, shift)] = two_nurseries(&snapshot);
    let (home, next_door) = (&home, &next_door);
    let (first, last): (chrono::NaiveDate, chrono::NaiveDate) = (
        "2026-07-01".parse().expect("date"),
        "2026-07-31".parse().expect("date"),
    );
    let on_leave = |s: &rota::model::Snapshot, who: &Id, d: chrono::NaiveDate| {
        (s.leave.iter()).any(|l| &l.staff == who && l.from <= d && d <= l.to)
    };
    let helper = (snapshot.staff.iter())
        .filter(|p| &p.unit == home && !p.qualifications.is_empty())
        .map(|p| p.id.clone())
        .find(|id| (first.iter_days().take(31)).all(|d| !on_leave(&snapshot, id, d)))
        .expect("a nursery worker present all July");
    let sundays: Vec<chrono::NaiveDate> = (first.iter_days().take_while(|d| *d <= last))
        .filter(|d| d.weekday() == chrono::Weekday::Sun)
        .filter(|d| !(snapshot.roster.iter()).any(|e| e.staff == helper && e.date == *d))
        .collect();
    assert!(sundays.len() >= 3, "she has Sundays off at home");
    for &date in &sundays {
        snapshot.roster.push(rota::model::Assignment {
            staff: helper.clone(),
            date,
            unit: next_door.clone(),
            shift: shift.clone(),
            overtime_minutes: 0,
        });
    }
    for line in (snapshot.demand.iter_mut())
        .filter(|l| &l.unit == home && first <= l.date && l.date <= last)
    {
        line.min += 3;
    }
    let model = snapshot.into_model().expect("the lent Sundays load");
    let runs = |model: &rota::model::Model| -> usize {
        (check(model).violations.iter())
            .filter(|v| v.rule == rota::rules::RuleId::ConsecutiveWorkDays)
            .filter(|v| v.staff.as_ref() == Some(&helper))
            .count()
    };
    assert_eq!(runs(&model), 0, "the published roster keeps her runs");
    let task = task(vec![home.clone()], Some(first), Some(last), 20);
    let rostered = roster(&model, &task, &AtomicBool::new(false), &mut |_| {}).expect("rostered");
    let home_days = (rostered.snapshot.roster.iter())
        .filter(|e| e.staff == helper && &e.unit == home && first <= e.date && e.date <= last)
        .count();
    assert!(
        home_days >= 15,
        "the short nursery wants her ({home_days} days)"
    );
    let after = rostered.snapshot.into_model().expect("the roster loads");
    assert_eq!(
        runs(&after),
        0,
        "seven days in a row with a Sunday next door"
    );
}

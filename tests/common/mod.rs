//! A small builder for test snapshots, shared by the integration tests.
//!
//! A [`TestCity`] starts as one department (`dept`) and one section (`section`) with the standard
//! shift types and no units; a scenario adds the units, staff, roster, leave and demand it needs:
//!
//! ```ignore
//! let mut city = TestCity::new("2025-06-02", 7);
//! city.facility("ward", &[LATE, EARLY])
//!     .staff("nurse", "ward")
//!     .work("nurse", "2025-06-02", LATE)
//!     .work("nurse", "2025-06-03", EARLY);
//! let report = city.check();
//! ```
//!
//! Every method panics on a typo (an unknown staff or unit id, a malformed date), so a broken
//! scenario fails loudly instead of silently testing something else.

// Each test file uses a different part of the builder.
#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rota::model::{
    Accommodations, Assignment, Calendar, Contract, Demand, Department, Employment, FieldError,
    Grade, Id, Leave, LeaveKind, LeaveStatus, LoadError, Model, OpeningPattern, Organisation,
    Qualification, Rules, Section, ShiftKind, ShiftType, ShortHours, ShortHoursKind, Snapshot,
    Staff, TimeRange, Unit, Wishes, WorkplaceCategory,
};
use rota::rules::{check, CheckReport, RuleId, Violation};

pub mod server;

/// The standard office day: 08:30–17:15 with a 60 min break (7 h 45 min paid).
pub const DAY: &str = "day";
/// An early shift: 07:00–15:00 with a 60 min break.
pub const EARLY: &str = "early";
/// A late shift: 13:00–22:00 with a 60 min break.
pub const LATE: &str = "late";
/// A night shift: 22:00–07:00 the next morning, with a 60 min break.
pub const NIGHT: &str = "night";

/// 保育士.
pub const CHILDCARE_WORKER: &str = Qualification::CHILDCARE_WORKER;
/// 司書.
pub const LIBRARIAN: &str = Qualification::LIBRARIAN;

/// A date written `YYYY-MM-DD`.
pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("bad date {s:?}: {e}"))
}

/// A time written `HH:MM`.
pub fn time(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M").unwrap_or_else(|e| panic!("bad time {s:?}: {e}"))
}

/// A local date and time written `YYYY-MM-DD HH:MM`.
pub fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
        .unwrap_or_else(|e| panic!("bad date and time {s:?}: {e}"))
}

/// Anything a scenario names a day with: `"2025-06-02"` or a [`NaiveDate`].
pub trait AsDate {
    /// The date.
    fn as_date(&self) -> NaiveDate;
}

impl AsDate for &str {
    fn as_date(&self) -> NaiveDate {
        date(self)
    }
}

impl AsDate for String {
    fn as_date(&self) -> NaiveDate {
        date(self)
    }
}

impl AsDate for NaiveDate {
    fn as_date(&self) -> NaiveDate {
        *self
    }
}

/// A snapshot under construction.
#[derive(Clone, Debug)]
pub struct TestCity {
    /// The snapshot as built so far; tests may also edit it directly (to break it, say).
    pub snapshot: Snapshot,
}

impl TestCity {
    /// A city whose horizon runs `days` days from `start`, with one department and one section,
    /// the standard shift types ([`DAY`], [`EARLY`], [`LATE`], [`NIGHT`]), the default rules,
    /// national holidays computed on loading, and no units, staff or roster yet.
    pub fn new(start: impl AsDate, days: u32) -> Self {
        let start = start.as_date();
        let end = start + chrono::Days::new(u64::from(days.max(1)) - 1);
        let snapshot = Snapshot {
            organisation: Organisation {
                departments: vec![Department {
                    id: Id::new("dept"),
                    name: "民生部".into(),
                }],
                sections: vec![Section {
                    id: Id::new("section"),
                    name: "こども課".into(),
                    department: Id::new("dept"),
                }],
                units: Vec::new(),
            },
            staff: Vec::new(),
            shift_types: vec![
                shift_type(DAY, "08:30", "17:15", 60, ShiftKind::Day),
                shift_type(EARLY, "07:00", "15:00", 60, ShiftKind::Early),
                shift_type(LATE, "13:00", "22:00", 60, ShiftKind::Late),
                shift_type(NIGHT, "22:00", "07:00", 60, ShiftKind::Night),
            ],
            calendar: Calendar {
                start,
                end,
                holidays: None,
                year_end_closure: true,
            },
            rules: Rules::default(),
            demand: Vec::new(),
            leave: Vec::new(),
            roster: Vec::new(),
        };
        TestCity { snapshot }
    }

    /// Adds an office unit (front-line counter): open Monday to Friday, closed on national
    /// holidays and at year end, running the standard [`DAY`].
    pub fn office(&mut self, id: &str) -> &mut Self {
        self.snapshot.organisation.units.push(Unit {
            id: Id::new(id),
            name: format!("{id} office"),
            section: Id::new("section"),
            categories: vec![WorkplaceCategory::FrontLine],
            shift_run: false,
            high_load: false,
            shifts: vec![Id::new(DAY)],
            opening: OpeningPattern::office(),
            quota: Vec::new(),
            required_qualifications: Vec::new(),
        });
        self
    }

    /// Adds a shift-run facility (a ward, a nursery, a plant): open every day of the year,
    /// running the given shift types.
    pub fn facility(&mut self, id: &str, shifts: &[&str]) -> &mut Self {
        self.snapshot.organisation.units.push(Unit {
            id: Id::new(id),
            name: format!("{id} facility"),
            section: Id::new("section"),
            categories: vec![WorkplaceCategory::Facility],
            shift_run: true,
            high_load: false,
            shifts: shifts.iter().map(Id::new).collect(),
            opening: OpeningPattern {
                weekdays: vec![
                    Weekday::Mon,
                    Weekday::Tue,
                    Weekday::Wed,
                    Weekday::Thu,
                    Weekday::Fri,
                    Weekday::Sat,
                    Weekday::Sun,
                ],
                open_on_holidays: true,
                year_end_closure: false,
                extra_open_dates: Vec::new(),
                closed_dates: Vec::new(),
            },
            quota: Vec::new(),
            required_qualifications: Vec::new(),
        });
        self
    }

    /// Designates a unit high-load (他律的業務): its staff get the higher overtime caps.
    pub fn high_load(&mut self, unit: &str) -> &mut Self {
        self.unit_mut(unit).high_load = true;
        self
    }

    /// Requires everyone working in `unit` to hold `qualification` (or another required one).
    pub fn requires(&mut self, unit: &str, qualification: &str) -> &mut Self {
        self.unit_mut(unit)
            .required_qualifications
            .push(Qualification::new(qualification));
        self
    }

    /// Sets a unit's workplace categories.
    pub fn categories(&mut self, unit: &str, categories: &[WorkplaceCategory]) -> &mut Self {
        self.unit_mut(unit).categories = categories.to_vec();
        self
    }

    /// Defines a further shift type (a staggered start, a ward's own early shift). A unit works it
    /// only after [`TestCity::runs`].
    pub fn shift_type(
        &mut self,
        id: &str,
        start: &str,
        end: &str,
        break_minutes: u32,
        kind: ShiftKind,
    ) -> &mut Self {
        self.snapshot
            .shift_types
            .push(shift_type(id, start, end, break_minutes, kind));
        self
    }

    /// Lets `unit` run shift type `shift`.
    pub fn runs(&mut self, unit: &str, shift: &str) -> &mut Self {
        self.unit_mut(unit).shifts.push(Id::new(shift));
        self
    }

    /// Adds a full-time regular clerk posted to `unit`, with no qualification.
    pub fn staff(&mut self, id: &str, unit: &str) -> &mut Self {
        self.unit_mut(unit);
        self.snapshot.staff.push(Staff {
            id: Id::new(id),
            name: None,
            grade: Grade::Clerk,
            employment: Employment::Regular,
            hire_date: date("2015-04-01"),
            birth_date: date("1990-05-05"),
            unit: Id::new(unit),
            history: Vec::new(),
            qualifications: Vec::new(),
            contract: Contract::full_time(),
            accommodations: Accommodations::default(),
            wishes: Wishes::default(),
            substitute: false,
        });
        self
    }

    /// Gives a staff member a qualification.
    pub fn qualified(&mut self, staff: &str, qualification: &str) -> &mut Self {
        self.staff_mut(staff)
            .qualifications
            .push(Qualification::new(qualification));
        self
    }

    /// Records accommodations (合理的配慮) for a staff member.
    pub fn accommodate(&mut self, staff: &str, f: impl FnOnce(&mut Accommodations)) -> &mut Self {
        f(&mut self.staff_mut(staff).accommodations);
        self
    }

    /// Puts a staff member on childcare short hours (育児短時間勤務) of at most
    /// `max_daily_minutes` paid minutes a day.
    pub fn short_hours(&mut self, staff: &str, max_daily_minutes: u32) -> &mut Self {
        self.staff_mut(staff).contract = Contract {
            weekly_minutes: max_daily_minutes * 5,
            short_hours: Some(ShortHours {
                kind: ShortHoursKind::ChildcareShortHours,
                max_daily_minutes,
            }),
        };
        self
    }

    /// Rosters a staff member for `shift` on `date` in the unit they are posted to.
    pub fn work(&mut self, staff: &str, date: impl AsDate, shift: &str) -> &mut Self {
        let unit = self.staff_mut(staff).unit.to_string();
        self.work_in(staff, &unit, date, shift)
    }

    /// Rosters a staff member for `shift` on `date` in `unit` (possibly not their own).
    pub fn work_in(
        &mut self,
        staff: &str,
        unit: &str,
        date: impl AsDate,
        shift: &str,
    ) -> &mut Self {
        self.snapshot.roster.push(Assignment {
            staff: Id::new(staff),
            date: date.as_date(),
            unit: Id::new(unit),
            shift: Id::new(shift),
            overtime_minutes: 0,
        });
        self
    }

    /// Plans `minutes` of overtime straight after the roster entry added last.
    pub fn overtime(&mut self, minutes: u32) -> &mut Self {
        self.snapshot
            .roster
            .last_mut()
            .expect("overtime() follows a work() entry")
            .overtime_minutes = minutes;
        self
    }

    /// Whole days of leave, `from` to `to` inclusive.
    pub fn leave(
        &mut self,
        staff: &str,
        kind: LeaveKind,
        from: impl AsDate,
        to: impl AsDate,
    ) -> &mut Self {
        let id = Id::new(format!("leave-{}", self.snapshot.leave.len()));
        self.snapshot.leave.push(Leave {
            id,
            staff: Id::new(staff),
            kind,
            from: from.as_date(),
            to: to.as_date(),
            hours: None,
            status: LeaveStatus::Approved,
        });
        self
    }

    /// Hourly annual leave (時間休) on `date`, from `start` to `end` (`HH:MM`).
    pub fn hourly_leave(
        &mut self,
        staff: &str,
        date: impl AsDate,
        start: &str,
        end: &str,
    ) -> &mut Self {
        let date = date.as_date();
        self.leave(staff, LeaveKind::Annual, date, date);
        if let Some(l) = self.snapshot.leave.last_mut() {
            l.hours = Some(TimeRange {
                start: time(start),
                end: time(end),
            });
        }
        self
    }

    /// Asks for at least `min` staff in `unit` on `date`, on any shift and of any qualification;
    /// narrow it with [`TestCity::on_shift`] and [`TestCity::holding`].
    pub fn demand(&mut self, unit: &str, date: impl AsDate, min: u32) -> &mut Self {
        self.snapshot.demand.push(Demand {
            unit: Id::new(unit),
            date: date.as_date(),
            shift: None,
            qualification: None,
            min,
        });
        self
    }

    /// Narrows the demand line added last to one shift.
    pub fn on_shift(&mut self, shift: &str) -> &mut Self {
        self.snapshot
            .demand
            .last_mut()
            .expect("on_shift() follows a demand() line")
            .shift = Some(Id::new(shift));
        self
    }

    /// Narrows the demand line added last to staff holding one qualification.
    pub fn holding(&mut self, qualification: &str) -> &mut Self {
        self.snapshot
            .demand
            .last_mut()
            .expect("holding() follows a demand() line")
            .qualification = Some(Qualification::new(qualification));
        self
    }

    /// Changes the rules in force.
    pub fn rules(&mut self, f: impl FnOnce(&mut Rules)) -> &mut Self {
        f(&mut self.snapshot.rules);
        self
    }

    /// Validates and indexes the snapshot.
    pub fn load(&self) -> Result<Model, LoadError> {
        self.snapshot.clone().into_model()
    }

    /// Runs the checker; fails the test if the snapshot does not load.
    pub fn check(&self) -> CheckReport {
        match self.load() {
            Ok(model) => check(&model),
            Err(e) => panic!("the test snapshot does not load: {:#?}", e.field_errors()),
        }
    }

    /// The field errors validation reports; fails the test if the snapshot loads, or fails as
    /// JSON rather than as an inconsistent snapshot.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self.load() {
            Ok(_) => panic!("the snapshot was expected to be refused, but it loaded"),
            Err(LoadError::Invalid(errors)) => errors,
            Err(e) => panic!("expected LoadError::Invalid, got {e}"),
        }
    }

    fn unit_mut(&mut self, id: &str) -> &mut Unit {
        self.snapshot
            .organisation
            .units
            .iter_mut()
            .find(|u| u.id.as_str() == id)
            .unwrap_or_else(|| panic!("no unit {id:?} in the test city"))
    }

    fn staff_mut(&mut self, id: &str) -> &mut Staff {
        self.snapshot
            .staff
            .iter_mut()
            .find(|s| s.id.as_str() == id)
            .unwrap_or_else(|| panic!("no staff member {id:?} in the test city"))
    }
}

/// A shift type from `HH:MM` times.
pub fn shift_type(
    id: &str,
    start: &str,
    end: &str,
    break_minutes: u32,
    kind: ShiftKind,
) -> ShiftType {
    ShiftType {
        id: Id::new(id),
        name: id.to_string(),
        start: time(start),
        end: time(end),
        break_minutes,
        kind,
    }
}

/// The facts a test asserts on: rule, who (the staff member, or the unit for coverage), date,
/// measured value and limit.
pub fn facts(v: &Violation) -> (RuleId, &str, NaiveDate, i64, i64) {
    let who = v
        .staff
        .as_ref()
        .or(v.unit.as_ref())
        .map(Id::as_str)
        .unwrap_or("");
    (v.rule, who, v.date, v.measured, v.limit)
}

/// The one violation in a report; fails the test, listing them, if there are none or several.
pub fn the_only(report: &CheckReport) -> &Violation {
    match report.violations.as_slice() {
        [v] => v,
        vs => panic!(
            "expected exactly one violation, found {}: {:#?}",
            vs.len(),
            vs.iter().map(|v| &v.message).collect::<Vec<_>>()
        ),
    }
}

/// The violations of one rule.
pub fn of_rule(report: &CheckReport, rule: RuleId) -> Vec<&Violation> {
    report
        .violations
        .iter()
        .filter(|v| v.rule == rule)
        .collect()
}

/// Fails the test, listing the violations, unless the report is clean.
pub fn assert_clean(report: &CheckReport) {
    assert!(
        report.is_clean(),
        "expected no violation, found {}: {:#?}",
        report.violations.len(),
        report
            .violations
            .iter()
            .map(|v| format!("{}: {}", v.rule.name(), v.message))
            .collect::<Vec<_>>()
    );
}

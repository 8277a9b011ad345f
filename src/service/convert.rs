//! Conversion between the proto messages and the domain model, both ways.
//!
//! From proto, conversion *validates*: an unknown enum value, a required enum left unspecified,
//! a missing required message or an unreadable date or time becomes a [`FieldError`] whose path
//! is the proto field path — the same path the JSON form would have (`staff[41].hire_date`),
//! because the proto's field names are the JSON's. Every such problem is collected, not just
//! the first; [`Model::new`](crate::model::Model::new) then reports every remaining
//! (cross-reference, range) problem the same way.
//!
//! To proto, conversion is total: the model cannot hold anything the proto cannot say, and
//! `model → proto → model` is the identity (tested), so a snapshot checked over gRPC is the very
//! snapshot the CLI read.

use super::proto as pb;
use crate::model::{self, FieldError, Id};
use crate::rules::{CheckReport, Measure, RuleId, Summary, Violation};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use std::str::FromStr;

/// Collects every problem found while converting; conversion goes on after a problem, with a
/// stand-in value, so one request reports all of them.
#[derive(Default)]
struct Collector {
    errors: Vec<FieldError>,
}

/// Most problems reported from one request; beyond that the list is cut (and says so).
const MAX_ERRORS: usize = 1000;

impl Collector {
    fn push(&mut self, path: String, reason: impl Into<String>) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(FieldError {
                path,
                reason: reason.into(),
            });
        }
    }

    fn date(&mut self, text: &str, path: impl FnOnce() -> String) -> NaiveDate {
        NaiveDate::from_str(text).unwrap_or_else(|e| {
            self.push(path(), bad_value(text, "an ISO date (YYYY-MM-DD)", &e));
            NaiveDate::default()
        })
    }

    fn opt_date(&mut self, text: Option<&str>, path: impl FnOnce() -> String) -> Option<NaiveDate> {
        text.map(|t| self.date(t, path))
    }

    fn time(&mut self, text: &str, path: impl FnOnce() -> String) -> NaiveTime {
        NaiveTime::from_str(text).unwrap_or_else(|e| {
            self.push(
                path(),
                bad_value(text, "a time of day (HH:MM or HH:MM:SS)", &e),
            );
            NaiveTime::default()
        })
    }

    fn required<'a, T>(
        &mut self,
        value: Option<&'a T>,
        path: impl FnOnce() -> String,
    ) -> Option<&'a T> {
        if value.is_none() {
            self.push(path(), "is required");
        }
        value
    }

    /// An enum whose zero value (`*_UNSPECIFIED`) is refused.
    fn enumeration<P, M>(
        &mut self,
        raw: i32,
        map: impl FnOnce(P) -> Option<M>,
        fallback: M,
        path: impl FnOnce() -> String,
    ) -> M
    where
        P: TryFrom<i32>,
    {
        match P::try_from(raw) {
            Ok(p) => match map(p) {
                Some(m) => m,
                None => {
                    self.push(path(), "is unspecified; a value is required");
                    fallback
                }
            },
            Err(_) => {
                self.push(path(), format!("unknown enum value {raw}"));
                fallback
            }
        }
    }

    fn finish<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

fn bad_value(text: &str, expected: &str, e: &dyn std::fmt::Display) -> String {
    // The offending text is echoed only when short: it is input, but never personal data here
    // (dates and times), and a megabyte of garbage should not come back in an error.
    if text.len() <= 40 {
        format!("{text:?} is not {expected}: {e}")
    } else {
        format!("a {}-byte value is not {expected}", text.len())
    }
}

fn id(s: &str) -> Id {
    Id::new(s)
}

fn opt_id(s: Option<&String>) -> Option<Id> {
    s.map(Id::new)
}

fn ids(v: &[String]) -> Vec<Id> {
    v.iter().map(Id::new).collect()
}

fn qualification(s: &str) -> model::Qualification {
    model::Qualification::new(s)
}

// ---------------------------------------------------------------------------------------------
// Enums, both ways

macro_rules! enum_map {
    ($to_model:ident, $to_proto:ident, $p:ty, $m:ty, { $($pv:ident <=> $mv:expr),* $(,)? }) => {
        fn $to_model(p: $p) -> Option<$m> {
            match p {
                $(<$p>::$pv => Some($mv),)*
                #[allow(unreachable_patterns)]
                _ => None,
            }
        }
        fn $to_proto(m: $m) -> $p {
            #[allow(unreachable_patterns)]
            match m {
                $(v if v == $mv => <$p>::$pv,)*
                _ => <$p>::Unspecified,
            }
        }
    };
}

enum_map!(category_to_model, category_to_proto, pb::WorkplaceCategory, model::WorkplaceCategory, {
    FrontLine <=> model::WorkplaceCategory::FrontLine,
    InternalAdministration <=> model::WorkplaceCategory::InternalAdministration,
    PlanningProjects <=> model::WorkplaceCategory::PlanningProjects,
    WelfareHealth <=> model::WorkplaceCategory::WelfareHealth,
    Technical <=> model::WorkplaceCategory::Technical,
    Facility <=> model::WorkplaceCategory::Facility,
});

enum_map!(weekday_to_model, weekday_to_proto, pb::Weekday, Weekday, {
    Monday <=> Weekday::Mon,
    Tuesday <=> Weekday::Tue,
    Wednesday <=> Weekday::Wed,
    Thursday <=> Weekday::Thu,
    Friday <=> Weekday::Fri,
    Saturday <=> Weekday::Sat,
    Sunday <=> Weekday::Sun,
});

enum_map!(band_to_model, band_to_proto, pb::GradeBand, model::GradeBand, {
    Executive <=> model::GradeBand::Executive,
    Manager <=> model::GradeBand::Manager,
    Supervisor <=> model::GradeBand::Supervisor,
    Staff <=> model::GradeBand::Staff,
});

enum_map!(grade_to_model, grade_to_proto, pb::Grade, model::Grade, {
    Director <=> model::Grade::Director,
    Counsellor <=> model::Grade::Counsellor,
    SectionManager <=> model::Grade::SectionManager,
    DeputyManager <=> model::Grade::DeputyManager,
    AssistantManager <=> model::Grade::AssistantManager,
    ChiefOfficer <=> model::Grade::ChiefOfficer,
    UnitChief <=> model::Grade::UnitChief,
    SeniorOfficer <=> model::Grade::SeniorOfficer,
    LeadClerk <=> model::Grade::LeadClerk,
    Clerk <=> model::Grade::Clerk,
});

enum_map!(employment_to_model, employment_to_proto, pb::Employment, model::Employment, {
    Regular <=> model::Employment::Regular,
    Reappointed <=> model::Employment::Reappointed,
    FiscalYearAppointee <=> model::Employment::FiscalYearAppointee,
    FixedTerm <=> model::Employment::FixedTerm,
});

enum_map!(short_kind_to_model, short_kind_to_proto, pb::ShortHoursKind, model::ShortHoursKind, {
    ChildcareShortHours <=> model::ShortHoursKind::ChildcareShortHours,
    PartialLeave <=> model::ShortHoursKind::PartialLeave,
    PartTime <=> model::ShortHoursKind::PartTime,
});

enum_map!(shift_kind_to_model, shift_kind_to_proto, pb::ShiftKind, model::ShiftKind, {
    Day <=> model::ShiftKind::Day,
    Early <=> model::ShiftKind::Early,
    Late <=> model::ShiftKind::Late,
    Night <=> model::ShiftKind::Night,
});

/// A proto leave kind (its number), when it names one.
pub fn leave_kind_from_proto(kind: i32) -> Option<model::LeaveKind> {
    pb::LeaveKind::try_from(kind)
        .ok()
        .and_then(leave_kind_to_model)
}

/// A leave kind's proto number.
pub fn leave_kind_into_proto(kind: model::LeaveKind) -> i32 {
    leave_kind_to_proto(kind) as i32
}

enum_map!(leave_kind_to_model, leave_kind_to_proto, pb::LeaveKind, model::LeaveKind, {
    Annual <=> model::LeaveKind::Annual,
    Sick <=> model::LeaveKind::Sick,
    Maternity <=> model::LeaveKind::Maternity,
    Childcare <=> model::LeaveKind::Childcare,
    NursingCare <=> model::LeaveKind::NursingCare,
    Special <=> model::LeaveKind::Special,
});

enum_map!(rule_to_model, rule_to_proto, pb::Rule, RuleId, {
    RestInterval <=> RuleId::RestInterval,
    DoubleBooking <=> RuleId::DoubleBooking,
    ConsecutiveWorkDays <=> RuleId::ConsecutiveWorkDays,
    NoOvertimeDay <=> RuleId::NoOvertimeDay,
    OvertimeMonthly <=> RuleId::OvertimeMonthly,
    OvertimeYearly <=> RuleId::OvertimeYearly,
    OvertimeMultiMonthAverage <=> RuleId::OvertimeMultiMonthAverage,
    OvertimeMonthsOverCap <=> RuleId::OvertimeMonthsOverCap,
    WorkDuringLeave <=> RuleId::WorkDuringLeave,
    MissingQualification <=> RuleId::MissingQualification,
    Accommodation <=> RuleId::Accommodation,
    ShortHours <=> RuleId::ShortHours,
    Coverage <=> RuleId::Coverage,
});

enum_map!(measure_to_model, measure_to_proto, pb::Measure, Measure, {
    Minutes <=> Measure::Minutes,
    Days <=> Measure::Days,
    Staff <=> Measure::Staff,
    Months <=> Measure::Months,
});

fn leave_status_to_model(p: pb::LeaveStatus) -> Option<model::LeaveStatus> {
    Some(match p {
        // Unspecified takes the JSON default.
        pb::LeaveStatus::Unspecified | pb::LeaveStatus::Approved => model::LeaveStatus::Approved,
        pb::LeaveStatus::Planned => model::LeaveStatus::Planned,
    })
}

fn leave_status_to_proto(m: model::LeaveStatus) -> pb::LeaveStatus {
    match m {
        model::LeaveStatus::Approved => pb::LeaveStatus::Approved,
        model::LeaveStatus::Planned => pb::LeaveStatus::Planned,
    }
}

// ---------------------------------------------------------------------------------------------
// Snapshot: proto → model

/// Converts a proto snapshot into the model's, checking what the proto's types cannot (enum
/// values, dates, times, required messages). `prefix` is prepended to every error path (e.g.
/// `snapshot.` when the snapshot sits inside a request); the paths of the model's own validation
/// carry no prefix, so callers usually pass `""`.
pub fn snapshot_from_proto(
    p: &pb::Snapshot,
    prefix: &str,
) -> Result<model::Snapshot, Vec<FieldError>> {
    let mut c = Collector::default();
    let at = |rest: &str| format!("{prefix}{rest}");

    let organisation = match c.required(p.organisation.as_ref(), || at("organisation")) {
        Some(o) => organisation(&mut c, o, prefix),
        None => model::Organisation::default(),
    };
    let staff = p
        .staff
        .iter()
        .enumerate()
        .map(|(i, s)| staff(&mut c, s, &format!("{prefix}staff[{i}]")))
        .collect();
    let shift_types = p
        .shift_types
        .iter()
        .enumerate()
        .map(|(i, s)| model::ShiftType {
            id: id(&s.id),
            name: s.name.clone(),
            start: c.time(&s.start, || at(&format!("shift_types[{i}].start"))),
            end: c.time(&s.end, || at(&format!("shift_types[{i}].end"))),
            break_minutes: s.break_minutes,
            kind: c.enumeration(s.kind, shift_kind_to_model, model::ShiftKind::Day, || {
                at(&format!("shift_types[{i}].kind"))
            }),
        })
        .collect();
    let calendar = match c.required(p.calendar.as_ref(), || at("calendar")) {
        Some(cal) => calendar(&mut c, cal, prefix),
        None => model::Calendar {
            start: NaiveDate::default(),
            end: NaiveDate::default(),
            holidays: None,
            year_end_closure: true,
        },
    };
    let rules = p
        .rules
        .as_ref()
        .map(|r| rules(&mut c, r, prefix))
        .unwrap_or_default();
    let demand = p
        .demand
        .iter()
        .enumerate()
        .map(|(i, d)| model::Demand {
            unit: id(&d.unit),
            date: c.date(&d.date, || at(&format!("demand[{i}].date"))),
            shift: opt_id(d.shift.as_ref()),
            qualification: d.qualification.as_deref().map(qualification),
            min: d.min,
        })
        .collect();
    let leave = p
        .leave
        .iter()
        .enumerate()
        .map(|(i, l)| model::Leave {
            id: id(&l.id),
            staff: id(&l.staff),
            kind: c.enumeration(
                l.kind,
                leave_kind_to_model,
                model::LeaveKind::Annual,
                || at(&format!("leave[{i}].kind")),
            ),
            from: c.date(&l.from, || at(&format!("leave[{i}].from"))),
            to: c.date(&l.to, || at(&format!("leave[{i}].to"))),
            hours: l.hours.as_ref().map(|h| model::TimeRange {
                start: c.time(&h.start, || at(&format!("leave[{i}].hours.start"))),
                end: c.time(&h.end, || at(&format!("leave[{i}].hours.end"))),
            }),
            status: c.enumeration(
                l.status,
                leave_status_to_model,
                model::LeaveStatus::Approved,
                || at(&format!("leave[{i}].status")),
            ),
        })
        .collect();
    let roster = p
        .roster
        .iter()
        .enumerate()
        .map(|(i, a)| model::Assignment {
            staff: id(&a.staff),
            date: c.date(&a.date, || at(&format!("roster[{i}].date"))),
            unit: id(&a.unit),
            shift: id(&a.shift),
            overtime_minutes: a.overtime_minutes,
        })
        .collect();
    c.finish(model::Snapshot {
        organisation,
        staff,
        shift_types,
        calendar,
        rules,
        demand,
        leave,
        roster,
    })
}

fn categories(c: &mut Collector, raw: &[i32], path: &str) -> Vec<model::WorkplaceCategory> {
    raw.iter()
        .enumerate()
        .map(|(k, &v)| {
            c.enumeration(
                v,
                category_to_model,
                model::WorkplaceCategory::FrontLine,
                || format!("{path}[{k}]"),
            )
        })
        .collect()
}

fn organisation(c: &mut Collector, o: &pb::Organisation, prefix: &str) -> model::Organisation {
    model::Organisation {
        departments: o
            .departments
            .iter()
            .map(|d| model::Department {
                id: id(&d.id),
                name: d.name.clone(),
            })
            .collect(),
        sections: o
            .sections
            .iter()
            .map(|s| model::Section {
                id: id(&s.id),
                name: s.name.clone(),
                department: id(&s.department),
            })
            .collect(),
        units: o
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let path = format!("{prefix}organisation.units[{i}]");
                let opening = match c.required(u.opening.as_ref(), || format!("{path}.opening")) {
                    Some(op) => model::OpeningPattern {
                        weekdays: op
                            .weekdays
                            .iter()
                            .enumerate()
                            .map(|(k, &w)| {
                                c.enumeration(w, weekday_to_model, Weekday::Mon, || {
                                    format!("{path}.opening.weekdays[{k}]")
                                })
                            })
                            .collect(),
                        open_on_holidays: op.open_on_holidays,
                        year_end_closure: op.year_end_closure.unwrap_or(true),
                        extra_open_dates: op
                            .extra_open_dates
                            .iter()
                            .enumerate()
                            .map(|(k, d)| {
                                c.date(d, || format!("{path}.opening.extra_open_dates[{k}]"))
                            })
                            .collect(),
                        closed_dates: op
                            .closed_dates
                            .iter()
                            .enumerate()
                            .map(|(k, d)| c.date(d, || format!("{path}.opening.closed_dates[{k}]")))
                            .collect(),
                    },
                    None => model::OpeningPattern::office(),
                };
                model::Unit {
                    id: id(&u.id),
                    name: u.name.clone(),
                    section: id(&u.section),
                    categories: categories(c, &u.categories, &format!("{path}.categories")),
                    shift_run: u.shift_run,
                    high_load: u.high_load,
                    shifts: ids(&u.shifts),
                    opening,
                    quota: u
                        .quota
                        .iter()
                        .enumerate()
                        .map(|(k, q)| model::QuotaLine {
                            band: c.enumeration(
                                q.band,
                                band_to_model,
                                model::GradeBand::Staff,
                                || format!("{path}.quota[{k}].band"),
                            ),
                            qualification: q.qualification.as_deref().map(qualification),
                            count: q.count,
                        })
                        .collect(),
                    required_qualifications: u
                        .required_qualifications
                        .iter()
                        .map(|q| qualification(q))
                        .collect(),
                }
            })
            .collect(),
    }
}

fn staff(c: &mut Collector, s: &pb::Staff, path: &str) -> model::Staff {
    let contract = match c.required(s.contract.as_ref(), || format!("{path}.contract")) {
        Some(k) => model::Contract {
            weekly_minutes: k.weekly_minutes,
            short_hours: k.short_hours.as_ref().map(|h| model::ShortHours {
                kind: c.enumeration(
                    h.kind,
                    short_kind_to_model,
                    model::ShortHoursKind::PartTime,
                    || format!("{path}.contract.short_hours.kind"),
                ),
                max_daily_minutes: h.max_daily_minutes,
            }),
        },
        None => model::Contract::full_time(),
    };
    let accommodations = s
        .accommodations
        .as_ref()
        .map(|a| model::Accommodations {
            allowed_units: ids(&a.allowed_units),
            allowed_categories: categories(
                c,
                &a.allowed_categories,
                &format!("{path}.accommodations.allowed_categories"),
            ),
            no_late_shifts: a.no_late_shifts,
            no_night_shifts: a.no_night_shifts,
        })
        .unwrap_or_default();
    let wishes = s
        .wishes
        .as_ref()
        .map(|w| model::Wishes {
            units: ids(&w.units),
            categories: categories(c, &w.categories, &format!("{path}.wishes.categories")),
            stay: w.stay,
        })
        .unwrap_or_default();
    model::Staff {
        id: id(&s.id),
        name: s.name.clone(),
        grade: c.enumeration(s.grade, grade_to_model, model::Grade::Clerk, || {
            format!("{path}.grade")
        }),
        employment: c.enumeration(
            s.employment,
            employment_to_model,
            model::Employment::Regular,
            || format!("{path}.employment"),
        ),
        hire_date: c.date(&s.hire_date, || format!("{path}.hire_date")),
        birth_date: c.date(&s.birth_date, || format!("{path}.birth_date")),
        unit: id(&s.unit),
        history: s
            .history
            .iter()
            .enumerate()
            .map(|(k, h)| model::Posting {
                unit: id(&h.unit),
                from: c.date(&h.from, || format!("{path}.history[{k}].from")),
                to: c.opt_date(h.to.as_deref(), || format!("{path}.history[{k}].to")),
            })
            .collect(),
        qualifications: s.qualifications.iter().map(|q| qualification(q)).collect(),
        contract,
        accommodations,
        wishes,
        substitute: s.substitute,
    }
}

fn calendar(c: &mut Collector, cal: &pb::Calendar, prefix: &str) -> model::Calendar {
    let holidays: Vec<model::Holiday> = cal
        .holidays
        .iter()
        .enumerate()
        .map(|(k, h)| model::Holiday {
            date: c.date(&h.date, || format!("{prefix}calendar.holidays[{k}].date")),
            name: h.name.clone(),
        })
        .collect();
    model::Calendar {
        start: c.date(&cal.start, || format!("{prefix}calendar.start")),
        end: c.date(&cal.end, || format!("{prefix}calendar.end")),
        holidays: (cal.holidays_given || !holidays.is_empty()).then_some(holidays),
        year_end_closure: cal.year_end_closure.unwrap_or(true),
    }
}

fn rules(c: &mut Collector, r: &pb::Rules, prefix: &str) -> model::Rules {
    let mut m = model::Rules::default();
    if let Some(v) = r.rest_interval_minutes {
        m.rest_interval_minutes = v;
    }
    if r.no_overtime_day_disabled {
        m.no_overtime_weekday = None;
    } else if let Some(w) = r.no_overtime_weekday {
        m.no_overtime_weekday = Some(c.enumeration(w, weekday_to_model, Weekday::Wed, || {
            format!("{prefix}rules.no_overtime_weekday")
        }));
    }
    if let Some(v) = r.max_consecutive_work_days {
        m.max_consecutive_work_days = v;
    }
    if let Some(o) = &r.overtime {
        if let Some(v) = o.monthly_minutes {
            m.overtime.monthly_minutes = v;
        }
        if let Some(v) = o.yearly_minutes {
            m.overtime.yearly_minutes = v;
        }
    }
    if let Some(h) = &r.high_load_overtime {
        let d = &mut m.high_load_overtime;
        if let Some(v) = h.monthly_minutes {
            d.monthly_minutes = v;
        }
        if let Some(v) = h.yearly_minutes {
            d.yearly_minutes = v;
        }
        if let Some(v) = h.average_minutes {
            d.average_minutes = v;
        }
        if let Some(v) = h.average_window_min_months {
            d.average_window_min_months = v;
        }
        if let Some(v) = h.average_window_max_months {
            d.average_window_max_months = v;
        }
        if let Some(v) = h.max_months_over_ordinary_cap {
            d.max_months_over_ordinary_cap = v;
        }
    }
    if let Some(s) = &r.standard_day {
        if let Some(t) = &s.start {
            m.standard_day.start = c.time(t, || format!("{prefix}rules.standard_day.start"));
        }
        if let Some(t) = &s.end {
            m.standard_day.end = c.time(t, || format!("{prefix}rules.standard_day.end"));
        }
        if let Some(v) = s.break_minutes {
            m.standard_day.break_minutes = v;
        }
    }
    m
}

// ---------------------------------------------------------------------------------------------
// Snapshot: model → proto

fn date_str(d: NaiveDate) -> String {
    d.to_string()
}

fn strs(v: &[Id]) -> Vec<String> {
    v.iter().map(|i| i.to_string()).collect()
}

fn category_ints(v: &[model::WorkplaceCategory]) -> Vec<i32> {
    v.iter().map(|&c| category_to_proto(c) as i32).collect()
}

/// Converts a model snapshot into its proto form (lossless).
pub fn snapshot_to_proto(s: &model::Snapshot) -> pb::Snapshot {
    let o = &s.organisation;
    pb::Snapshot {
        organisation: Some(pb::Organisation {
            departments: o
                .departments
                .iter()
                .map(|d| pb::Department {
                    id: d.id.to_string(),
                    name: d.name.clone(),
                })
                .collect(),
            sections: o
                .sections
                .iter()
                .map(|x| pb::Section {
                    id: x.id.to_string(),
                    name: x.name.clone(),
                    department: x.department.to_string(),
                })
                .collect(),
            units: o
                .units
                .iter()
                .map(|u| pb::Unit {
                    id: u.id.to_string(),
                    name: u.name.clone(),
                    section: u.section.to_string(),
                    categories: category_ints(&u.categories),
                    shift_run: u.shift_run,
                    high_load: u.high_load,
                    shifts: strs(&u.shifts),
                    opening: Some(pb::OpeningPattern {
                        weekdays: u
                            .opening
                            .weekdays
                            .iter()
                            .map(|&w| weekday_to_proto(w) as i32)
                            .collect(),
                        open_on_holidays: u.opening.open_on_holidays,
                        year_end_closure: Some(u.opening.year_end_closure),
                        extra_open_dates: u
                            .opening
                            .extra_open_dates
                            .iter()
                            .map(|&d| date_str(d))
                            .collect(),
                        closed_dates: u
                            .opening
                            .closed_dates
                            .iter()
                            .map(|&d| date_str(d))
                            .collect(),
                    }),
                    quota: u
                        .quota
                        .iter()
                        .map(|q| pb::QuotaLine {
                            band: band_to_proto(q.band) as i32,
                            qualification: q.qualification.as_ref().map(|q| q.to_string()),
                            count: q.count,
                        })
                        .collect(),
                    required_qualifications: u
                        .required_qualifications
                        .iter()
                        .map(|q| q.to_string())
                        .collect(),
                })
                .collect(),
        }),
        staff: s.staff.iter().map(staff_to_proto).collect(),
        shift_types: s
            .shift_types
            .iter()
            .map(|t| pb::ShiftType {
                id: t.id.to_string(),
                name: t.name.clone(),
                start: t.start.to_string(),
                end: t.end.to_string(),
                break_minutes: t.break_minutes,
                kind: shift_kind_to_proto(t.kind) as i32,
            })
            .collect(),
        calendar: Some(pb::Calendar {
            start: date_str(s.calendar.start),
            end: date_str(s.calendar.end),
            holidays: s
                .calendar
                .holidays
                .iter()
                .flatten()
                .map(|h| pb::Holiday {
                    date: date_str(h.date),
                    name: h.name.clone(),
                })
                .collect(),
            year_end_closure: Some(s.calendar.year_end_closure),
            holidays_given: s.calendar.holidays.is_some(),
        }),
        rules: Some(rules_to_proto(&s.rules)),
        demand: s
            .demand
            .iter()
            .map(|d| pb::Demand {
                unit: d.unit.to_string(),
                date: date_str(d.date),
                shift: d.shift.as_ref().map(|x| x.to_string()),
                qualification: d.qualification.as_ref().map(|q| q.to_string()),
                min: d.min,
            })
            .collect(),
        leave: s
            .leave
            .iter()
            .map(|l| pb::Leave {
                id: l.id.to_string(),
                staff: l.staff.to_string(),
                kind: leave_kind_to_proto(l.kind) as i32,
                from: date_str(l.from),
                to: date_str(l.to),
                hours: l.hours.as_ref().map(|h| pb::TimeRange {
                    start: h.start.to_string(),
                    end: h.end.to_string(),
                }),
                status: leave_status_to_proto(l.status) as i32,
            })
            .collect(),
        roster: s.roster.iter().map(assignment_to_proto).collect(),
    }
}

/// One roster entry in its proto form.
pub fn assignment_to_proto(a: &model::Assignment) -> pb::Assignment {
    pb::Assignment {
        staff: a.staff.to_string(),
        date: date_str(a.date),
        unit: a.unit.to_string(),
        shift: a.shift.to_string(),
        overtime_minutes: a.overtime_minutes,
    }
}

/// Roster entries back from their proto form, every bad date listed under `field[i].date`.
pub fn assignments_from_proto(
    entries: &[pb::Assignment],
    field: &str,
) -> Result<Vec<model::Assignment>, Vec<FieldError>> {
    let mut c = Collector::default();
    let out = entries
        .iter()
        .enumerate()
        .map(|(i, a)| model::Assignment {
            staff: Id::new(&a.staff),
            date: c.date(&a.date, || format!("{field}[{i}].date")),
            unit: Id::new(&a.unit),
            shift: Id::new(&a.shift),
            overtime_minutes: a.overtime_minutes,
        })
        .collect();
    c.finish(out)
}

fn staff_to_proto(s: &model::Staff) -> pb::Staff {
    pb::Staff {
        id: s.id.to_string(),
        name: s.name.clone(),
        grade: grade_to_proto(s.grade) as i32,
        employment: employment_to_proto(s.employment) as i32,
        hire_date: date_str(s.hire_date),
        birth_date: date_str(s.birth_date),
        unit: s.unit.to_string(),
        history: s
            .history
            .iter()
            .map(|h| pb::Posting {
                unit: h.unit.to_string(),
                from: date_str(h.from),
                to: h.to.map(date_str),
            })
            .collect(),
        qualifications: s.qualifications.iter().map(|q| q.to_string()).collect(),
        contract: Some(pb::Contract {
            weekly_minutes: s.contract.weekly_minutes,
            short_hours: s.contract.short_hours.as_ref().map(|h| pb::ShortHours {
                kind: short_kind_to_proto(h.kind) as i32,
                max_daily_minutes: h.max_daily_minutes,
            }),
        }),
        accommodations: (!s.accommodations.is_empty()).then(|| pb::Accommodations {
            allowed_units: strs(&s.accommodations.allowed_units),
            allowed_categories: category_ints(&s.accommodations.allowed_categories),
            no_late_shifts: s.accommodations.no_late_shifts,
            no_night_shifts: s.accommodations.no_night_shifts,
        }),
        wishes: (s.wishes != model::Wishes::default()).then(|| pb::Wishes {
            units: strs(&s.wishes.units),
            categories: category_ints(&s.wishes.categories),
            stay: s.wishes.stay,
        }),
        substitute: s.substitute,
    }
}

fn rules_to_proto(r: &model::Rules) -> pb::Rules {
    let h = &r.high_load_overtime;
    pb::Rules {
        rest_interval_minutes: Some(r.rest_interval_minutes),
        no_overtime_weekday: r.no_overtime_weekday.map(|w| weekday_to_proto(w) as i32),
        no_overtime_day_disabled: r.no_overtime_weekday.is_none(),
        max_consecutive_work_days: Some(r.max_consecutive_work_days),
        overtime: Some(pb::OvertimeCaps {
            monthly_minutes: Some(r.overtime.monthly_minutes),
            yearly_minutes: Some(r.overtime.yearly_minutes),
        }),
        high_load_overtime: Some(pb::HighLoadOvertimeCaps {
            monthly_minutes: Some(h.monthly_minutes),
            yearly_minutes: Some(h.yearly_minutes),
            average_minutes: Some(h.average_minutes),
            average_window_min_months: Some(h.average_window_min_months),
            average_window_max_months: Some(h.average_window_max_months),
            max_months_over_ordinary_cap: Some(h.max_months_over_ordinary_cap),
        }),
        standard_day: Some(pb::StandardDay {
            start: Some(r.standard_day.start.to_string()),
            end: Some(r.standard_day.end.to_string()),
            break_minutes: Some(r.standard_day.break_minutes),
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// Check report, both ways

/// Converts the checker's report into its proto form (lossless).
pub fn report_to_proto(r: &CheckReport) -> pb::CheckReport {
    pb::CheckReport {
        summary: Some(pb::CheckSummary {
            total: r.summary.total as u64,
            by_rule: r
                .summary
                .by_rule
                .iter()
                .map(|(k, &v)| (k.clone(), v as u64))
                .collect(),
            by_department: r
                .summary
                .by_department
                .iter()
                .map(|(k, &v)| (k.clone(), v as u64))
                .collect(),
            staff_affected: r.summary.staff_affected as u64,
        }),
        violations: r.violations.iter().map(violation_to_proto).collect(),
    }
}

/// One violation in its proto form (lossless).
pub fn violation_to_proto(v: &Violation) -> pb::Violation {
    pb::Violation {
        rule: rule_to_proto(v.rule) as i32,
        staff: v.staff.as_ref().map(|x| x.to_string()),
        unit: v.unit.as_ref().map(|x| x.to_string()),
        date: date_str(v.date),
        end_date: v.end_date.map(date_str),
        time: v.time.map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string()),
        shift: v.shift.as_ref().map(|x| x.to_string()),
        measured: v.measured,
        limit: v.limit,
        measure: measure_to_proto(v.measure) as i32,
        demand_entry: v.demand_entry,
        roster_entries: v.roster_entries.clone(),
        message: v.message.clone(),
    }
}

/// Converts a proto report back into the checker's (the CLI's side of `check --server`).
/// A malformed report is the server's fault; every problem is listed.
pub fn report_from_proto(p: &pb::CheckReport) -> Result<CheckReport, Vec<FieldError>> {
    let mut c = Collector::default();
    let count = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
    let summary = match c.required(p.summary.as_ref(), || "report.summary".to_string()) {
        Some(s) => Summary {
            total: count(s.total),
            by_rule: s
                .by_rule
                .iter()
                .map(|(k, &v)| (k.clone(), count(v)))
                .collect(),
            by_department: s
                .by_department
                .iter()
                .map(|(k, &v)| (k.clone(), count(v)))
                .collect(),
            staff_affected: count(s.staff_affected),
        },
        None => Summary::default(),
    };
    let violations = violations_in(&mut c, &p.violations, "report.violations");
    c.finish(CheckReport {
        summary,
        violations,
    })
}

/// Violations back from their proto form, every problem listed under `field[i]`.
pub fn violations_from_proto(
    violations: &[pb::Violation],
    field: &str,
) -> Result<Vec<Violation>, Vec<FieldError>> {
    let mut c = Collector::default();
    let out = violations_in(&mut c, violations, field);
    c.finish(out)
}

fn violations_in(c: &mut Collector, violations: &[pb::Violation], field: &str) -> Vec<Violation> {
    violations
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let path = |f: &str| format!("{field}[{i}].{f}");
            Violation {
                rule: c.enumeration(v.rule, rule_to_model, RuleId::Coverage, || path("rule")),
                staff: opt_id(v.staff.as_ref()),
                unit: opt_id(v.unit.as_ref()),
                date: c.date(&v.date, || path("date")),
                end_date: c.opt_date(v.end_date.as_deref(), || path("end_date")),
                time: v.time.as_ref().map(|t| {
                    NaiveDateTime::from_str(t).unwrap_or_else(|e| {
                        c.push(path("time"), bad_value(t, "an ISO date-time", &e));
                        NaiveDateTime::default()
                    })
                }),
                shift: opt_id(v.shift.as_ref()),
                measured: v.measured,
                limit: v.limit,
                measure: c.enumeration(v.measure, measure_to_model, Measure::Minutes, || {
                    path("measure")
                }),
                demand_entry: v.demand_entry,
                roster_entries: v.roster_entries.clone(),
                message: v.message.clone(),
            }
        })
        .collect()
}

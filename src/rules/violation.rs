//! A violation as data: which rule, who, where, when, the measured value and the limit.

use crate::model::{Id, Model, Work};
use chrono::{NaiveDate, NaiveDateTime};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The rules the checker enforces.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RuleId {
    /// 勤務間インターバル: rest between work periods.
    RestInterval,
    /// Two assignments of one person overlap in time.
    DoubleBooking,
    /// At least one day off in every 7.
    ConsecutiveWorkDays,
    /// ノー残業デー: overtime planned on the no-overtime weekday.
    NoOvertimeDay,
    /// Monthly overtime cap.
    OvertimeMonthly,
    /// Yearly overtime cap.
    OvertimeYearly,
    /// High-load units: average over 2–6 consecutive months.
    OvertimeMultiMonthAverage,
    /// High-load units: months over the ordinary monthly cap in a year.
    OvertimeMonthsOverCap,
    /// Work assigned during leave.
    WorkDuringLeave,
    /// Work in a unit that requires a qualification the person lacks.
    MissingQualification,
    /// Work outside a person's accommodations.
    Accommodation,
    /// A short-hours person rostered beyond their daily limit.
    ShortHours,
    /// A unit staffed below its demand.
    Coverage,
}

impl RuleId {
    /// Every rule, in report order.
    pub const ALL: [RuleId; 13] = [
        RuleId::RestInterval,
        RuleId::DoubleBooking,
        RuleId::ConsecutiveWorkDays,
        RuleId::NoOvertimeDay,
        RuleId::OvertimeMonthly,
        RuleId::OvertimeYearly,
        RuleId::OvertimeMultiMonthAverage,
        RuleId::OvertimeMonthsOverCap,
        RuleId::WorkDuringLeave,
        RuleId::MissingQualification,
        RuleId::Accommodation,
        RuleId::ShortHours,
        RuleId::Coverage,
    ];

    /// The snake_case name used in JSON and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            RuleId::RestInterval => "rest_interval",
            RuleId::DoubleBooking => "double_booking",
            RuleId::ConsecutiveWorkDays => "consecutive_work_days",
            RuleId::NoOvertimeDay => "no_overtime_day",
            RuleId::OvertimeMonthly => "overtime_monthly",
            RuleId::OvertimeYearly => "overtime_yearly",
            RuleId::OvertimeMultiMonthAverage => "overtime_multi_month_average",
            RuleId::OvertimeMonthsOverCap => "overtime_months_over_cap",
            RuleId::WorkDuringLeave => "work_during_leave",
            RuleId::MissingQualification => "missing_qualification",
            RuleId::Accommodation => "accommodation",
            RuleId::ShortHours => "short_hours",
            RuleId::Coverage => "coverage",
        }
    }
}

/// What `measured` and `limit` count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Minutes.
    Minutes,
    /// Days.
    Days,
    /// Staff members.
    Staff,
    /// Months.
    Months,
}

/// One broken rule: who, where, when, why, and the numbers behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Violation {
    /// Which rule.
    pub rule: RuleId,
    /// The staff member concerned, for per-person rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff: Option<Id>,
    /// The unit concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<Id>,
    /// The day of the breach, or the first day of the period it concerns.
    pub date: NaiveDate,
    /// The last day of the period it concerns (a month, a year, a run of days).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    /// The moment of the breach (start of the offending work), where one exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub time: Option<NaiveDateTime>,
    /// The shift type concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shift: Option<Id>,
    /// The measured value.
    pub measured: i64,
    /// The limit it breaks (a maximum, or for coverage and rest a minimum).
    pub limit: i64,
    /// What the two numbers count.
    pub measure: Measure,
    /// Index of the demand line concerned, for coverage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demand_entry: Option<u32>,
    /// Indexes of the roster entries involved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roster_entries: Vec<u32>,
    /// A readable explanation.
    pub message: String,
}

impl Violation {
    /// A per-person violation about one piece of work, with the fields every rule fills alike.
    pub(crate) fn on_work(
        model: &Model,
        rule: RuleId,
        w: &Work,
        measured: i64,
        limit: i64,
        measure: Measure,
    ) -> Self {
        let s = &model.snapshot;
        Violation {
            rule,
            staff: Some(s.staff[w.staff as usize].id.clone()),
            unit: Some(s.organisation.units[w.unit as usize].id.clone()),
            date: model.date(w.day as usize),
            end_date: None,
            time: Some(model.datetime(w.start)),
            shift: Some(s.shift_types[w.shift as usize].id.clone()),
            measured,
            limit,
            measure,
            demand_entry: None,
            roster_entries: vec![w.entry],
            message: String::new(),
        }
    }

    /// A per-person violation over a period, with no single piece of work.
    pub(crate) fn on_period(
        model: &Model,
        rule: RuleId,
        staff: usize,
        (from, to): (NaiveDate, NaiveDate),
        measured: i64,
        limit: i64,
        measure: Measure,
    ) -> Self {
        Violation {
            rule,
            staff: Some(model.snapshot.staff[staff].id.clone()),
            unit: None,
            date: from,
            end_date: Some(to),
            time: None,
            shift: None,
            measured,
            limit,
            measure,
            demand_entry: None,
            roster_entries: Vec::new(),
            message: String::new(),
        }
    }

    /// Sets the message.
    pub(crate) fn because(mut self, message: String) -> Self {
        self.message = message;
        self
    }

    pub(crate) fn sort_key(&self) -> SortKey<'_> {
        (
            self.date,
            self.rule,
            self.staff.as_ref(),
            self.unit.as_ref(),
            self.shift.as_ref(),
            &self.roster_entries,
            self.end_date,
        )
    }
}

/// The order violations are reported in: date, rule, staff, unit, shift, entries, period end.
pub(crate) type SortKey<'a> = (
    NaiveDate,
    RuleId,
    Option<&'a Id>,
    Option<&'a Id>,
    Option<&'a Id>,
    &'a [u32],
    Option<NaiveDate>,
);

/// The checker's answer: every violation and a summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CheckReport {
    /// Counts by rule and by department.
    pub summary: Summary,
    /// Every violation, sorted by date, rule, staff and unit.
    pub violations: Vec<Violation>,
}

/// Counts of violations.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Total number of violations.
    pub total: usize,
    /// By rule name.
    pub by_rule: BTreeMap<String, usize>,
    /// By department id (of the unit concerned, or else the staff member's home unit).
    pub by_department: BTreeMap<String, usize>,
    /// Staff members with at least one violation.
    pub staff_affected: usize,
}

impl CheckReport {
    pub(crate) fn new(model: &Model, violations: Vec<Violation>) -> Self {
        let s = &model.snapshot;
        let mut summary = Summary {
            total: violations.len(),
            ..Summary::default()
        };
        let mut staff = std::collections::HashSet::new();
        for v in &violations {
            *summary
                .by_rule
                .entry(v.rule.name().to_string())
                .or_default() += 1;
            let department = match (&v.unit, &v.staff) {
                (Some(u), _) => model.unit_index(u).map(|u| model.unit_department[u]),
                (None, Some(st)) => model.staff_index(st).map(|i| model.staff_department[i]),
                (None, None) => None,
            };
            if let Some(d) = department {
                *summary
                    .by_department
                    .entry(s.organisation.departments[d as usize].id.to_string())
                    .or_default() += 1;
            }
            if let Some(st) = &v.staff {
                staff.insert(st);
            }
        }
        summary.staff_affected = staff.len();
        CheckReport {
            summary,
            violations,
        }
    }

    /// Whether the roster breaks no rule.
    pub fn is_clean(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Formats minutes as `11 h 00 min`.
pub fn fmt_minutes(m: i64) -> String {
    let sign = if m < 0 { "-" } else { "" };
    let m = m.abs();
    format!("{sign}{} h {:02} min", m / 60, m % 60)
}

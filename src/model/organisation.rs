//! The organisation: departments (部) → sections (課) → units (係).

use super::{is_year_end, Id, Qualification};
use chrono::{Datelike, NaiveDate, Weekday};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The city's organisation chart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Departments (部).
    pub departments: Vec<Department>,
    /// Sections (課), each in one department.
    pub sections: Vec<Section>,
    /// Units (係, or a facility), each in one section; staff are posted to units.
    pub units: Vec<Unit>,
}

/// A department (部).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Department {
    /// Unique id.
    pub id: Id,
    /// Display name.
    pub name: String,
}

/// A section (課).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Unique id.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// The department it belongs to.
    pub department: Id,
}

/// A unit (係) or facility, the place a staff member is posted to and works in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Unique id.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// The section it belongs to.
    pub section: Id,
    /// Workplace categories the unit counts as for job rotation; at least one.
    pub categories: Vec<WorkplaceCategory>,
    /// Whether the unit runs shifts (nursery, library, plant) rather than the standard office day.
    #[serde(default)]
    pub shift_run: bool,
    /// Designated high-load (他律的業務): the higher overtime caps apply to its staff.
    #[serde(default)]
    pub high_load: bool,
    /// Shift types worked in this unit; an assignment or demand naming another shift is refused.
    pub shifts: Vec<Id>,
    /// When the unit is open.
    pub opening: OpeningPattern,
    /// Headcount quota by grade band and qualification (定数), used by placement.
    #[serde(default)]
    pub quota: Vec<QuotaLine>,
    /// Anyone assigned to work here must hold at least one of these; empty means no requirement.
    #[serde(default)]
    pub required_qualifications: Vec<Qualification>,
}

/// A workplace category for job rotation (ジョブ・ローテーション).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum WorkplaceCategory {
    /// Front-line counter service (窓口).
    FrontLine,
    /// Internal administration (内部管理).
    InternalAdministration,
    /// Planning and projects (企画・事業).
    PlanningProjects,
    /// Welfare and health (福祉・保健).
    WelfareHealth,
    /// Technical work (技術).
    Technical,
    /// A facility (施設): nursery, library, plant.
    Facility,
}

/// When a unit is open.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningPattern {
    /// Weekdays the unit is normally open.
    #[schemars(with = "Vec<String>")]
    pub weekdays: Vec<Weekday>,
    /// Open on national holidays that fall on an open weekday.
    #[serde(default)]
    pub open_on_holidays: bool,
    /// Closed for the year-end closure (Dec 29 – Jan 3) when the calendar has one.
    #[serde(default = "default_true")]
    pub year_end_closure: bool,
    /// Extra open days (a counter open on some Saturdays).
    #[serde(default)]
    pub extra_open_dates: Vec<NaiveDate>,
    /// Extra closed days.
    #[serde(default)]
    pub closed_dates: Vec<NaiveDate>,
}

fn default_true() -> bool {
    true
}

impl OpeningPattern {
    /// Whether the unit is open on `date`, given the calendar's holidays and whether the calendar
    /// applies the year-end closure.
    pub fn is_open(
        &self,
        date: NaiveDate,
        holidays: &HashSet<NaiveDate>,
        year_end_closure: bool,
    ) -> bool {
        if self.closed_dates.contains(&date) {
            return false;
        }
        if self.extra_open_dates.contains(&date) {
            return true;
        }
        if !self.weekdays.contains(&date.weekday()) {
            return false;
        }
        if year_end_closure && self.year_end_closure && is_year_end(date) {
            return false;
        }
        self.open_on_holidays || !holidays.contains(&date)
    }

    /// Monday to Friday, closed on holidays and at year end: the standard office.
    pub fn office() -> Self {
        OpeningPattern {
            weekdays: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            open_on_holidays: false,
            year_end_closure: true,
            extra_open_dates: Vec::new(),
            closed_dates: Vec::new(),
        }
    }
}

/// A grade band, the granularity of headcount quotas.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum GradeBand {
    /// 部長, 参事.
    Executive,
    /// 課長, 課長補佐, 次長.
    Manager,
    /// 主幹, 係長.
    Supervisor,
    /// 主査, 主任, 主事.
    Staff,
}

/// One line of a unit's headcount quota.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotaLine {
    /// Grade band the line counts.
    pub band: GradeBand,
    /// Qualification the counted staff must hold, if any.
    #[serde(default)]
    pub qualification: Option<Qualification>,
    /// Headcount wanted.
    pub count: u32,
}

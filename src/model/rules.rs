//! The configurable rules (`Rules`): the policy's numbers, with the city's defaults.

use chrono::{NaiveTime, Weekday};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Every number the checker and the solvers enforce. Defaults are the city's policy (see DESIGN.md);
/// an organisation overrides any of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// 勤務間インターバル: minimum minutes between the end of one work period (overtime included)
    /// and the start of the next. Default 660 (11 h).
    pub rest_interval_minutes: u32,
    /// ノー残業デー: the weekday on which no overtime may be planned. Default Wednesday.
    #[schemars(with = "Option<String>")]
    pub no_overtime_weekday: Option<Weekday>,
    /// Most consecutive working days; the policy's "at least one day off in every 7" is 6.
    pub max_consecutive_work_days: u32,
    /// Overtime caps for ordinary units.
    pub overtime: OvertimeCaps,
    /// Overtime caps for units designated high-load (他律的業務).
    pub high_load_overtime: HighLoadOvertimeCaps,
    /// The standard office day.
    pub standard_day: StandardDay,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            rest_interval_minutes: 11 * 60,
            no_overtime_weekday: Some(Weekday::Wed),
            max_consecutive_work_days: 6,
            overtime: OvertimeCaps::default(),
            high_load_overtime: HighLoadOvertimeCaps::default(),
            standard_day: StandardDay::default(),
        }
    }
}

/// Overtime caps (時間外勤務の上限) for ordinary units: 45 h a month, 360 h a year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct OvertimeCaps {
    /// Most overtime minutes in a calendar month. Default 2700 (45 h).
    pub monthly_minutes: u32,
    /// Most overtime minutes in a fiscal year (April–March). Default 21600 (360 h).
    pub yearly_minutes: u32,
}

impl Default for OvertimeCaps {
    fn default() -> Self {
        OvertimeCaps {
            monthly_minutes: 45 * 60,
            yearly_minutes: 360 * 60,
        }
    }
}

/// Overtime caps for high-load units (他律的業務の比重が高い部署).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct HighLoadOvertimeCaps {
    /// Most overtime minutes in a calendar month. Default 6000 (100 h).
    pub monthly_minutes: u32,
    /// Most overtime minutes in a fiscal year. Default 43200 (720 h).
    pub yearly_minutes: u32,
    /// Most average monthly overtime over any window of consecutive months. Default 4800 (80 h).
    pub average_minutes: u32,
    /// Shortest averaging window, in months. Default 2.
    pub average_window_min_months: u32,
    /// Longest averaging window, in months. Default 6.
    pub average_window_max_months: u32,
    /// Most months in a fiscal year whose overtime exceeds the ordinary monthly cap. Default 6.
    pub max_months_over_ordinary_cap: u32,
}

impl Default for HighLoadOvertimeCaps {
    fn default() -> Self {
        HighLoadOvertimeCaps {
            monthly_minutes: 100 * 60,
            yearly_minutes: 720 * 60,
            average_minutes: 80 * 60,
            average_window_min_months: 2,
            average_window_max_months: 6,
            max_months_over_ordinary_cap: 6,
        }
    }
}

/// The standard office day: 08:30–17:15 with a 60-minute break (7 h 45 min paid).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct StandardDay {
    /// Start.
    #[schemars(with = "String")]
    pub start: NaiveTime,
    /// End.
    #[schemars(with = "String")]
    pub end: NaiveTime,
    /// Break in minutes.
    pub break_minutes: u32,
}

impl Default for StandardDay {
    fn default() -> Self {
        StandardDay {
            start: NaiveTime::from_hms_opt(8, 30, 0).unwrap_or_default(),
            end: NaiveTime::from_hms_opt(17, 15, 0).unwrap_or_default(),
            break_minutes: 60,
        }
    }
}

//! The calendar: the horizon, national holidays and the year-end closure.

use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The planning horizon and its days off.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    /// First day of the horizon.
    pub start: NaiveDate,
    /// Last day of the horizon (inclusive).
    pub end: NaiveDate,
    /// National holidays (国民の祝日) in the horizon. When absent, they are computed from the
    /// `jpholiday` library on loading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holidays: Option<Vec<Holiday>>,
    /// Whether the year-end closure (年末年始, Dec 29 – Jan 3) applies.
    #[serde(default = "default_true")]
    pub year_end_closure: bool,
}

fn default_true() -> bool {
    true
}

/// A national holiday.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    /// The date.
    pub date: NaiveDate,
    /// Its name (元日, 憲法記念日 …).
    pub name: String,
}

impl Calendar {
    /// The fiscal year starting on April 1 of `year`, with Japanese national holidays filled in.
    pub fn fiscal_year(year: i32) -> Option<Self> {
        let start = NaiveDate::from_ymd_opt(year, 4, 1)?;
        let end = NaiveDate::from_ymd_opt(year + 1, 3, 31)?;
        Some(Calendar {
            start,
            end,
            holidays: Some(national_holidays(start, end)),
            year_end_closure: true,
        })
    }

    /// Number of days in the horizon (0 when `end` is before `start`).
    pub fn days(&self) -> usize {
        ((self.end - self.start).num_days() + 1).max(0) as usize
    }
}

/// Japanese national holidays between two dates (inclusive), from the maintained `jpholiday` rules.
pub fn national_holidays(start: NaiveDate, end: NaiveDate) -> Vec<Holiday> {
    let jp = jpholiday::jpholiday::JPHoliday::new();
    jp.between(&start, &end)
        .into_iter()
        .map(|(date, name)| Holiday { date, name })
        .collect()
}

/// Whether a date falls in the year-end closure (Dec 29 – Jan 3).
pub fn is_year_end(date: NaiveDate) -> bool {
    (date.month() == 12 && date.day() >= 29) || (date.month() == 1 && date.day() <= 3)
}

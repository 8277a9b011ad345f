//! Leave (休暇・休業): whole days or a time range on one day.

use super::Id;
use chrono::{NaiveDate, NaiveTime};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A period of leave. A staff member on leave is never assigned work that overlaps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Leave {
    /// Unique id.
    pub id: Id,
    /// Who is on leave.
    pub staff: Id,
    /// The kind of leave.
    pub kind: LeaveKind,
    /// First day.
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
    /// For hourly leave: the time range on the single day `from` (= `to`). None: whole days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<TimeRange>,
    /// Planned or approved.
    #[serde(default)]
    pub status: LeaveStatus,
}

/// A time range within one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeRange {
    /// Start.
    #[schemars(with = "String")]
    pub start: NaiveTime,
    /// End; must be after `start`.
    #[schemars(with = "String")]
    pub end: NaiveTime,
}

/// Kinds of leave.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LeaveKind {
    /// 年次休暇.
    Annual,
    /// 病気休暇 (short) or 病気休職 (long).
    Sick,
    /// 産前産後休暇.
    Maternity,
    /// 育児休業.
    Childcare,
    /// 介護休暇.
    NursingCare,
    /// 特別休暇 (bereavement, marriage, summer leave …).
    Special,
}

/// Whether the leave is only planned or already approved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LeaveStatus {
    /// Requested or expected, not yet approved.
    Planned,
    /// Approved.
    #[default]
    Approved,
}

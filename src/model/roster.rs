//! The roster: who works which shift in which unit on which day, and planned overtime.

use super::Id;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One working day of one staff member. A staff member with no assignment on a day is off.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// Who.
    pub staff: Id,
    /// The day the shift starts.
    pub date: NaiveDate,
    /// Where.
    pub unit: Id,
    /// Which shift type.
    pub shift: Id,
    /// Planned overtime (時間外勤務) in minutes, worked straight after the shift's end.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub overtime_minutes: u32,
}

fn is_zero(v: &u32) -> bool {
    *v == 0
}

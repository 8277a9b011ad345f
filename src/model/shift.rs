//! Shift types: when a working day starts and ends.

use super::Id;
use chrono::{NaiveTime, Timelike};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A shift type. A shift whose `end` is not after its `start` ends the next day (crosses midnight).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShiftType {
    /// Unique id.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// Start time, local.
    #[schemars(with = "String")]
    pub start: NaiveTime,
    /// End time, local; the next day when not after `start`.
    #[schemars(with = "String")]
    pub end: NaiveTime,
    /// Unpaid break inside the shift, in minutes.
    #[serde(default)]
    pub break_minutes: u32,
    /// What kind of shift it is, for accommodations (no late or night shifts).
    pub kind: ShiftKind,
}

/// The kind of a shift, as accommodations see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShiftKind {
    /// A daytime shift (the standard office day, staggered starts).
    Day,
    /// An early shift.
    Early,
    /// A late shift (ends in the evening).
    Late,
    /// A night shift (works through the night, 深夜).
    Night,
}

impl ShiftType {
    /// Start as minutes after midnight.
    pub fn start_minute(&self) -> u32 {
        self.start.hour() * 60 + self.start.minute()
    }

    /// Length from start to end, in minutes (crossing midnight when `end <= start`).
    pub fn span_minutes(&self) -> u32 {
        let s = self.start_minute();
        let e = self.end.hour() * 60 + self.end.minute();
        if e > s {
            e - s
        } else {
            e + 24 * 60 - s
        }
    }

    /// Paid minutes: the span less the break.
    pub fn paid_minutes(&self) -> u32 {
        self.span_minutes().saturating_sub(self.break_minutes)
    }
}

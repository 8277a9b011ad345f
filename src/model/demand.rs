//! Demand: how many staff a unit needs on a day (and shift), optionally of one qualification.

use super::{Id, Qualification};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A minimum staffing level (必要人員) for one unit on one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Demand {
    /// The unit.
    pub unit: Id,
    /// The day.
    pub date: NaiveDate,
    /// The shift, for shift-run units; none counts staff on any shift that day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shift: Option<Id>,
    /// Counts only staff holding this qualification; none counts everyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualification: Option<Qualification>,
    /// Minimum number of staff present.
    pub min: u32,
}

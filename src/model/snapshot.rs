//! The snapshot: the unit of exchange between clients, the CLI and every problem.

use super::{
    Assignment, Calendar, Demand, Leave, LoadError, Model, Organisation, Rules, ShiftType, Staff,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Everything one question needs: organisation, staff, shift types, calendar, rules, demand,
/// leave and roster. Serialised as JSON; `rota schema` prints its JSON Schema.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Departments, sections and units.
    pub organisation: Organisation,
    /// Staff members.
    pub staff: Vec<Staff>,
    /// Shift types.
    pub shift_types: Vec<ShiftType>,
    /// The horizon and its holidays.
    pub calendar: Calendar,
    /// The rules in force; omitted fields take the policy's defaults.
    #[serde(default)]
    pub rules: Rules,
    /// Minimum staffing per unit, day, shift and qualification.
    #[serde(default)]
    pub demand: Vec<Demand>,
    /// Leave taken or planned.
    #[serde(default)]
    pub leave: Vec<Leave>,
    /// The roster: one entry per staff member per working day.
    #[serde(default)]
    pub roster: Vec<Assignment>,
}

impl Snapshot {
    /// Parses a snapshot from JSON; syntax and type errors carry the line and column.
    pub fn from_json(text: &str) -> Result<Snapshot, LoadError> {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let (line, column) = (inner.line(), inner.column());
            // serde_json appends the position to its message; it has fields of its own here.
            let message = inner.to_string();
            let suffix = format!(" at line {line} column {column}");
            let reason = message
                .strip_suffix(&suffix)
                .unwrap_or(&message)
                .to_string();
            LoadError::Json {
                path,
                line,
                column,
                reason,
            }
        })
    }

    /// Serialises to compact JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Validates and indexes the snapshot.
    pub fn into_model(self) -> Result<Model, LoadError> {
        Model::new(self)
    }
}

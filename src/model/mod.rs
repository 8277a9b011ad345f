//! The domain model: one [`Snapshot`] holds everything a question needs; [`Model`] is a snapshot
//! that passed validation, with the dense indexes the checker and solvers work on.

mod calendar;
mod demand;
mod id;
mod index;
mod leave;
mod organisation;
mod roster;
mod rules;
mod shift;
mod snapshot;
mod staff;
mod validate;

pub use calendar::{is_year_end, national_holidays, Calendar, Holiday};
pub use demand::Demand;
pub use id::Id;
pub use index::{DayInfo, DemandLine, LeaveSpan, Model, QualSet, ShiftInfo, Work, MINUTES_PER_DAY};
pub use leave::{Leave, LeaveKind, LeaveStatus, TimeRange};
pub use organisation::{
    Department, GradeBand, OpeningPattern, Organisation, QuotaLine, Section, Unit,
    WorkplaceCategory,
};
pub use roster::Assignment;
pub use rules::{HighLoadOvertimeCaps, OvertimeCaps, Rules, StandardDay};
pub use shift::{ShiftKind, ShiftType};
pub use snapshot::Snapshot;
pub use staff::{
    Accommodations, Contract, Employment, Grade, Posting, Qualification, ShortHours,
    ShortHoursKind, Staff, Wishes,
};
pub use validate::{FieldError, Limits, LoadError};

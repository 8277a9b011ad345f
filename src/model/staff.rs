//! Staff members: grade, employment, qualifications, contract, history, accommodations and wishes.

use super::{GradeBand, Id, WorkplaceCategory};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A staff member. Personal data is never required: `name` is optional and may be a pseudonym.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Staff {
    /// Unique id.
    pub id: Id,
    /// Display name, if the owner chooses to share one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Grade (職級).
    pub grade: Grade,
    /// Employment type.
    pub employment: Employment,
    /// Date of hire.
    pub hire_date: NaiveDate,
    /// Date of birth (for re-appointment age and retirement).
    pub birth_date: NaiveDate,
    /// The unit the staff member is posted to now.
    pub unit: Id,
    /// Past and current postings, oldest first; the last may be open-ended.
    #[serde(default)]
    pub history: Vec<Posting>,
    /// Qualifications held (保育士, 保健師, 司書 …).
    #[serde(default)]
    pub qualifications: Vec<Qualification>,
    /// Working-time contract.
    pub contract: Contract,
    /// Accommodations (合理的配慮): where and when the staff member may work.
    #[serde(default)]
    pub accommodations: Accommodations,
    /// Self-declared wishes (自己申告).
    #[serde(default)]
    pub wishes: Wishes,
    /// Registered in the substitute pool (fiscal-year appointees who cover absences).
    #[serde(default)]
    pub substitute: bool,
}

/// A grade (職級), from the top.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 部長.
    Director,
    /// 参事.
    Counsellor,
    /// 課長.
    SectionManager,
    /// 次長.
    DeputyManager,
    /// 課長補佐.
    AssistantManager,
    /// 主幹.
    ChiefOfficer,
    /// 係長.
    UnitChief,
    /// 主査.
    SeniorOfficer,
    /// 主任.
    LeadClerk,
    /// 主事.
    Clerk,
}

impl Grade {
    /// Every grade, from the top.
    pub const ALL: [Grade; 10] = [
        Grade::Director,
        Grade::Counsellor,
        Grade::SectionManager,
        Grade::DeputyManager,
        Grade::AssistantManager,
        Grade::ChiefOfficer,
        Grade::UnitChief,
        Grade::SeniorOfficer,
        Grade::LeadClerk,
        Grade::Clerk,
    ];

    /// The band used by headcount quotas.
    pub fn band(self) -> GradeBand {
        match self {
            Grade::Director | Grade::Counsellor => GradeBand::Executive,
            Grade::SectionManager | Grade::DeputyManager | Grade::AssistantManager => {
                GradeBand::Manager
            }
            Grade::ChiefOfficer | Grade::UnitChief => GradeBand::Supervisor,
            Grade::SeniorOfficer | Grade::LeadClerk | Grade::Clerk => GradeBand::Staff,
        }
    }

    /// The Japanese title.
    pub fn japanese(self) -> &'static str {
        match self {
            Grade::Director => "部長",
            Grade::Counsellor => "参事",
            Grade::SectionManager => "課長",
            Grade::DeputyManager => "次長",
            Grade::AssistantManager => "課長補佐",
            Grade::ChiefOfficer => "主幹",
            Grade::UnitChief => "係長",
            Grade::SeniorOfficer => "主査",
            Grade::LeadClerk => "主任",
            Grade::Clerk => "主事",
        }
    }
}

/// Employment type.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Employment {
    /// Regular staff (正規職員).
    Regular,
    /// Re-appointed staff over 60 (再任用).
    Reappointed,
    /// Fiscal-year appointee (会計年度任用職員), the substitute pool.
    FiscalYearAppointee,
    /// Fixed-term appointee (任期付職員).
    FixedTerm,
}

/// A qualification code, e.g. `childcare_worker` (保育士). Codes are the data owner's; the generator
/// uses the constants on this type.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Qualification(pub Id);

impl Qualification {
    /// 保育士.
    pub const CHILDCARE_WORKER: &'static str = "childcare_worker";
    /// 保健師.
    pub const PUBLIC_HEALTH_NURSE: &'static str = "public_health_nurse";
    /// 司書.
    pub const LIBRARIAN: &'static str = "librarian";
    /// 土木.
    pub const CIVIL_ENGINEER: &'static str = "civil_engineer";
    /// 建築.
    pub const ARCHITECT: &'static str = "architect";
    /// 情報.
    pub const IT_SPECIALIST: &'static str = "it_specialist";
    /// 社会福祉士.
    pub const SOCIAL_WORKER: &'static str = "social_worker";
    /// 電気・水道の技術管理 (plant operator).
    pub const PLANT_OPERATOR: &'static str = "plant_operator";

    /// Makes a qualification from its code.
    pub fn new(code: &str) -> Self {
        Qualification(Id::new(code))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Debug for Qualification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0.as_str())
    }
}

impl fmt::Display for Qualification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

/// One posting in a staff member's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Posting {
    /// The unit.
    pub unit: Id,
    /// First day of the posting.
    pub from: NaiveDate,
    /// Last day of the posting; none while it lasts.
    #[serde(default)]
    pub to: Option<NaiveDate>,
}

/// A working-time contract.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    /// Contracted minutes a week (full time: 2325 = 38 h 45 min).
    pub weekly_minutes: u32,
    /// A short-hours arrangement, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_hours: Option<ShortHours>,
}

impl Contract {
    /// Full time: 38 h 45 min a week, no short-hours arrangement.
    pub fn full_time() -> Self {
        Contract {
            weekly_minutes: 2325,
            short_hours: None,
        }
    }
}

/// A short-hours arrangement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShortHours {
    /// Which arrangement.
    pub kind: ShortHoursKind,
    /// The most paid minutes (shift length less break) the staff member may be rostered on one day.
    pub max_daily_minutes: u32,
}

/// The kinds of short-hours arrangement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShortHoursKind {
    /// 育児短時間勤務.
    ChildcareShortHours,
    /// 部分休業.
    PartialLeave,
    /// A part-time appointment.
    PartTime,
}

/// Accommodations (合理的配慮) for a staff member, e.g. with a disability.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Accommodations {
    /// If not empty, the only units the staff member may work in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_units: Vec<Id>,
    /// If not empty, the only workplace categories the staff member may work in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_categories: Vec<WorkplaceCategory>,
    /// No late shifts (nor night shifts).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_late_shifts: bool,
    /// No night shifts.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_night_shifts: bool,
}

impl Accommodations {
    /// Whether no accommodation is recorded.
    pub fn is_empty(&self) -> bool {
        self == &Accommodations::default()
    }
}

/// Self-declared wishes (自己申告).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Wishes {
    /// Units the staff member would like to move to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<Id>,
    /// Workplace categories the staff member would like to experience.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<WorkplaceCategory>,
    /// Wishes to stay in the current post.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stay: bool,
}

//! Recommend (代替要員の推薦): for one absence, the best replacements, ranked, each with the
//! breakdown of its cost.
//!
//! The absent person's shift that day becomes a vacancy. Every other staff member is tried in it:
//! cheap filters first (on leave, already working, lacking the unit's qualification), then the
//! checker's per-staff rules on the candidate's roster with the vacancy added. A candidate is
//! lawful when that adds no violation the candidate did not already have, so the checker stays
//! the referee. Lawful candidates are priced and ranked; no MILP is needed for one vacancy, and
//! the answer takes milliseconds on a whole city.
//!
//! The price, in points (lower is better), adds up four terms:
//! - **distance**: the same unit 0, the same section 10, the same department 20, the substitute
//!   pool (会計年度任用職員 registered as substitutes) 30, anyone else 60 — the policy's order of
//!   preference for who covers;
//! - **extra work**: 4 points an hour by which the week (Monday–Sunday) would exceed the
//!   candidate's contracted weekly minutes;
//! - **load**: 1 point for each day the candidate already works in the four weeks around the
//!   absence, so cover spreads over colleagues instead of falling on the busiest;
//! - **headroom**: up to 4 points when the rest before or after the shift would be within 4 h of
//!   the rest interval, and 2 points for each day the run of working days would come within 2 of
//!   its limit, so the plan keeps room for the next surprise.

use crate::model::{Id, Model, Work};
use crate::rules::{check_work, present, Violation};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Marks a roster entry that a solver proposes (it has no index in the snapshot's roster).
pub const PROPOSED: u32 = u32::MAX;

/// One absence: a rostered staff member who will not work that day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Absence {
    /// Who is absent.
    pub staff: Id,
    /// The day (the start date of their rostered shift).
    pub date: NaiveDate,
}

/// How close a candidate is to the vacancy, in the policy's order of preference.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Distance {
    /// Posted to the vacancy's unit.
    SameUnit,
    /// Another unit of the same section.
    SameSection,
    /// Another section of the same department.
    SameDepartment,
    /// A registered substitute from elsewhere.
    SubstitutePool,
    /// Anyone else.
    Elsewhere,
}

impl Distance {
    /// How far staff member `s`'s post is from unit `u`.
    pub fn between(model: &Model, s: usize, u: usize) -> Distance {
        let person = &model.snapshot.staff[s];
        match model.unit_index(&person.unit) {
            Some(home) if home == u => Distance::SameUnit,
            Some(home) if model.unit_section[home] == model.unit_section[u] => {
                Distance::SameSection
            }
            Some(home) if model.unit_department[home] == model.unit_department[u] => {
                Distance::SameDepartment
            }
            _ if person.substitute => Distance::SubstitutePool,
            _ => Distance::Elsewhere,
        }
    }

    /// Points of this distance in a cost (0 for the same unit up to 60 for anyone else).
    pub fn points(self) -> i64 {
        match self {
            Distance::SameUnit => 0,
            Distance::SameSection => 10,
            Distance::SameDepartment => 20,
            Distance::SubstitutePool => 30,
            Distance::Elsewhere => 60,
        }
    }
}

/// The four terms of a candidate's cost, in points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CostBreakdown {
    /// Distance from the vacancy.
    pub distance: i64,
    /// Work beyond the contracted week.
    pub extra_work: i64,
    /// Days already worked around the absence.
    pub load: i64,
    /// Little slack left to the rest interval or the consecutive-days limit.
    pub headroom: i64,
}

impl CostBreakdown {
    /// The total.
    pub fn total(&self) -> i64 {
        self.distance + self.extra_work + self.load + self.headroom
    }
}

/// One ranked replacement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Candidate {
    /// Who.
    pub staff: Id,
    /// Their rank, from 1.
    pub rank: usize,
    /// Total cost in points.
    pub cost: i64,
    /// The cost by term.
    pub breakdown: CostBreakdown,
    /// How close they are.
    pub distance: Distance,
    /// Minutes the week would run over their contract.
    pub extra_minutes: i64,
    /// Days they work in the four weeks around the absence.
    pub days_worked_nearby: u32,
    /// The shortest rest before or after the shift, less the rest interval, in minutes; none when
    /// no work is near.
    pub rest_slack_minutes: Option<i64>,
    /// The run of consecutive working days the shift would be part of.
    pub run_days: u32,
    /// A readable summary.
    pub explanation: String,
}

/// The shift left open by the absence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Vacancy {
    /// The unit.
    pub unit: Id,
    /// The shift type.
    pub shift: Id,
    /// The date.
    pub date: NaiveDate,
    /// Start of the shift.
    #[schemars(with = "String")]
    pub start: NaiveDateTime,
    /// End of the shift.
    #[schemars(with = "String")]
    pub end: NaiveDateTime,
}

/// The answer: the vacancy, the best candidates, and why the others were left out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Recommendation {
    /// The shift to fill.
    pub vacancy: Vacancy,
    /// The best candidates, cheapest first (ties by staff id).
    pub candidates: Vec<Candidate>,
    /// Lawful candidates in all (before cutting to the requested number).
    pub lawful: usize,
    /// Staff left out, counted by reason (`on_leave`, `already_working`, `missing_qualification`,
    /// or the name of the rule the shift would break).
    pub excluded: BTreeMap<String, usize>,
}

/// Why a recommendation cannot be made.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RecommendError {
    /// The absent staff member is not in the snapshot.
    #[error("staff: unknown staff member {0:?}")]
    UnknownStaff(Id),
    /// The absent staff member has no shift that day, so nothing needs covering.
    #[error("date: {staff} is not rostered on {date}")]
    NotRostered {
        /// Who.
        staff: Id,
        /// The day.
        date: NaiveDate,
    },
    /// The day is not in the snapshot's horizon.
    #[error("date: {date} is outside the horizon {start} to {end}")]
    OutsideHorizon {
        /// The day asked for.
        date: NaiveDate,
        /// The horizon's first day.
        start: NaiveDate,
        /// The horizon's last day.
        end: NaiveDate,
    },
}

impl RecommendError {
    /// The request field at fault: `staff` or `date`.
    pub fn field(&self) -> &'static str {
        match self {
            RecommendError::UnknownStaff(_) => "staff",
            RecommendError::NotRostered { .. } | RecommendError::OutsideHorizon { .. } => "date",
        }
    }

    /// Why, without the field.
    pub fn reason(&self) -> String {
        let text = self.to_string();
        text.strip_prefix(&format!("{}: ", self.field()))
            .unwrap_or(&text)
            .to_string()
    }
}

/// Ranks every lawful replacement for `absence` and returns the best `top`.
pub fn recommend(
    model: &Model,
    absence: &Absence,
    top: usize,
) -> Result<Recommendation, RecommendError> {
    let s = &model.snapshot;
    let absent = model
        .staff_index(&absence.staff)
        .ok_or_else(|| RecommendError::UnknownStaff(absence.staff.clone()))?;
    let not_rostered = || RecommendError::NotRostered {
        staff: absence.staff.clone(),
        date: absence.date,
    };
    let day = (absence.date - s.calendar.start).num_days();
    if day < 0 || day as usize >= model.n_days() {
        return Err(RecommendError::OutsideHorizon {
            date: absence.date,
            start: s.calendar.start,
            end: s.calendar.end,
        });
    }
    let day = day as u32;
    let open = *model
        .work_of(absent)
        .iter()
        .find(|w| w.day == day)
        .ok_or_else(not_rostered)?;
    let vacancy = Work {
        staff: 0,
        end: open.shift_end,
        overtime: 0,
        entry: PROPOSED,
        ..open
    };

    // The unit's demand that day, as it stands with the absent person gone.
    let lines: Vec<Need> = model
        .demand
        .iter()
        .filter(|l| {
            l.unit == open.unit && l.day == day && l.shift.is_none_or(|sh| sh == open.shift)
        })
        .map(|l| {
            let present = present(
                model,
                open.unit as usize,
                day as usize,
                l.shift,
                l.qualification,
            );
            let absent_counted = l
                .qualification
                .is_none_or(|q| model.staff_qualifications[absent].contains(q as usize));
            Need {
                qualification: l.qualification,
                min: l.min as usize,
                without: present.saturating_sub(usize::from(absent_counted)),
            }
        })
        .collect();

    let mut excluded: BTreeMap<String, usize> = BTreeMap::new();
    let mut lawful: Vec<Candidate> = Vec::new();
    for c in 0..s.staff.len() {
        if c == absent {
            continue;
        }
        match evaluate(model, c, &vacancy, &lines) {
            Ok(candidate) => lawful.push(candidate),
            Err(reason) => *excluded.entry(reason).or_default() += 1,
        }
    }
    lawful.sort_by(|a, b| a.cost.cmp(&b.cost).then_with(|| a.staff.cmp(&b.staff)));
    let count = lawful.len();
    lawful.truncate(top);
    for (i, c) in lawful.iter_mut().enumerate() {
        c.rank = i + 1;
    }
    Ok(Recommendation {
        vacancy: Vacancy {
            unit: s.organisation.units[open.unit as usize].id.clone(),
            shift: s.shift_types[open.shift as usize].id.clone(),
            date: absence.date,
            start: model.datetime(open.start),
            end: model.datetime(open.shift_end),
        },
        candidates: lawful,
        lawful: count,
        excluded,
    })
}

/// A demand line of the vacancy's unit and day: how many it needs and has without the absent.
struct Need {
    qualification: Option<u32>,
    min: usize,
    without: usize,
}

/// Tries staff member `c` in the vacancy: their priced candidacy, or why not.
fn evaluate(model: &Model, c: usize, vacancy: &Work, needs: &[Need]) -> Result<Candidate, String> {
    let work = model.work_of(c);
    let day = vacancy.day;
    let whole_day_leave = model
        .leave_of(c)
        .iter()
        .any(|l| l.hours.is_none() && l.first_day <= day && day <= l.last_day);
    if whole_day_leave {
        return Err("on_leave".into());
    }
    if work.iter().any(|w| w.day == day) {
        return Err("already_working".into());
    }
    let required = model.unit_required[vacancy.unit as usize];
    if !required.is_empty() && !model.staff_qualifications[c].intersects(&required) {
        return Err("missing_qualification".into());
    }

    // The unit's demand must hold with the candidate in place (a library's 司書, a clinic's 保健師).
    let held = &model.staff_qualifications[c];
    if needs.iter().any(|n| {
        let counts = n.qualification.is_none_or(|q| held.contains(q as usize));
        n.without + usize::from(counts) < n.min && n.without + 1 >= n.min
    }) {
        return Err("coverage".into());
    }

    let proposed = Work {
        staff: c as u32,
        ..*vacancy
    };
    let at = work.partition_point(|w| w.start < proposed.start);
    let mut with: Vec<Work> = Vec::with_capacity(work.len() + 1);
    with.extend_from_slice(&work[..at]);
    with.push(proposed);
    with.extend_from_slice(&work[at..]);
    if let Some(rule) = first_new_violation(model, c, work, &with) {
        return Err(rule);
    }

    let st = &model.snapshot.staff[c];
    let u = vacancy.unit as usize;
    let distance = Distance::between(model, c, u);

    // The week (Monday–Sunday) of the absence, in day indexes.
    let weekday = model.days[day as usize]
        .date
        .weekday()
        .num_days_from_monday();
    let week_start = day.saturating_sub(weekday);
    let week_minutes: i64 = with
        .iter()
        .filter(|w| w.day >= week_start && w.day < week_start + 7)
        .map(|w| model.shifts[w.shift as usize].paid as i64 + w.overtime as i64)
        .sum();
    let extra_minutes = (week_minutes - st.contract.weekly_minutes as i64).max(0);
    let days_worked_nearby = work
        .iter()
        .filter(|w| w.day + 14 > day && w.day < day + 14)
        .count() as u32;

    let rest = model.snapshot.rules.rest_interval_minutes as i64;
    let before = work[..at]
        .iter()
        .map(|w| w.end)
        .max()
        .map(|end| (proposed.start - end) as i64 - rest);
    let after = work[at..]
        .first()
        .map(|w| (w.start - proposed.end) as i64 - rest);
    let rest_slack = match (before, after) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let run_days = run_length(&with, day);
    let max_run = model.snapshot.rules.max_consecutive_work_days as i64;

    let breakdown = CostBreakdown {
        distance: distance.points(),
        extra_work: extra_minutes / 15,
        load: days_worked_nearby as i64,
        headroom: rest_slack.map_or(0, |slack| (4 * 60 - slack).clamp(0, 4 * 60) / 60)
            + 2 * (2 - (max_run - run_days as i64)).max(0),
    };
    let explanation = format!(
        "{:?}; {} day(s) worked in the four weeks around; {} min over the contracted week; rest slack {}; a run of {} day(s)",
        distance,
        days_worked_nearby,
        extra_minutes,
        rest_slack.map_or("unbounded".to_string(), |m| format!("{m} min")),
        run_days
    );
    Ok(Candidate {
        staff: st.id.clone(),
        rank: 0,
        cost: breakdown.total(),
        breakdown,
        distance,
        extra_minutes,
        days_worked_nearby,
        rest_slack_minutes: rest_slack,
        run_days,
        explanation,
    })
}

/// The rule of the first violation that `with` has and `without` has not, if any.
fn first_new_violation(model: &Model, c: usize, without: &[Work], with: &[Work]) -> Option<String> {
    let mut before: Vec<Violation> = Vec::new();
    check_work(model, c, without, &mut before);
    let mut after: Vec<Violation> = Vec::new();
    check_work(model, c, with, &mut after);
    let key = |v: &Violation| (v.rule, v.date, v.end_date, v.measured, v.limit);
    let mut known: Vec<_> = before.iter().map(key).collect();
    for v in &after {
        match known.iter().position(|k| *k == key(v)) {
            Some(i) => {
                known.swap_remove(i);
            }
            None => return Some(v.rule.name().to_string()),
        }
    }
    None
}

/// The run of consecutive working days through `day` in a start-sorted roster.
fn run_length(work: &[Work], day: u32) -> u32 {
    let worked = |d: u32| work.iter().any(|w| w.day == d);
    let back = (1..=day).take_while(|&k| worked(day - k)).count() as u32;
    let ahead = (1..).take_while(|&k| worked(day + k)).count() as u32;
    back + 1 + ahead
}

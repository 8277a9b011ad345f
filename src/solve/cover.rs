//! Cover (欠員補充): given a published roster and new absences (a sick call, leave), the fewest,
//! fairest changes that restore coverage, as one exact MILP over the absence days.
//!
//! The problem is a [`ShiftProblem`] whose "shift types" are the (unit, shift) pairs in play: the
//! vacancy units' shifts and every candidate's published post on the absence days. A candidate
//! may take a vacancy unit's shift or stay on (or move between) their own posts. Candidates are,
//! in the policy's order of preference, the same unit, the same section, the same department and
//! the substitute pool (会計年度任用職員 registered as substitutes). Only the absence days of the
//! candidates are free; every other day keeps the published roster and enters the rules as
//! constants, over a margin of `max_consecutive_work_days + 1` days on each side so the day-off
//! rule and the rest interval see their context.
//!
//! Rules, per candidate: leave and the absences make days unavailable; qualification,
//! accommodations and short hours bar a unit's shifts; the rest interval is a forbidden succession
//! between pairs of the new shifts, and, against a fixed neighbouring day, an exact comparison of
//! real timestamps with that day's overtime ([`StaffLimits::forbidden`]); a day off in every seven
//! is the longest run. Anything the published roster already breaks is held at its level, never
//! made worse.
//!
//! Prices, in points: a person short on a demand line [`UNCOVERED`]; adding a
//! shift [`ADD`] plus the distance (0 / 10 / 20 / 30 / 60) plus [`DAY_OFF`] when it falls on a
//! published day off, plus one point per cover already given this fiscal year (fairness: the cover
//! ledger spreads the load); taking a published shift away [`REMOVE`]. So a vacancy is filled
//! whenever anyone can lawfully fill it, by the nearest and least-loaded colleague, with as few
//! changes as possible.

use super::facility::may_take;
use super::interrupt::Stop;
use super::milp::{self, MipSettings, MipStatus};
use super::problem::{Assignment, Changes, Cover, ShiftProblem, ShiftType, StaffLimits};
use super::recommend::Distance;
use crate::model::{Id, Leave, LeaveKind, LeaveStatus, Model, Snapshot};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Points for each person missing from a demand line, unless the request names another price.
pub const UNCOVERED: i64 = 1000;
/// Points for adding a shift that the published roster does not have.
pub const ADD: i64 = 30;
/// Extra points when the added shift falls on a published day off.
pub const DAY_OFF: i64 = 40;
/// Points for taking away a published shift (moving a person).
pub const REMOVE: i64 = 30;
/// Points per cover a person already gave this fiscal year (counted up to [`YEAR_TO_DATE_CAP`]).
pub const YEAR_TO_DATE: i64 = 1;
/// Covers this year beyond which the year-to-date price stops growing.
pub const YEAR_TO_DATE_CAP: u32 = 30;
/// In-plan fairness: the k-th shift one person takes on in the plan costs `(k − 1) ×` this more.
pub const LOAD_STEP: i64 = 10;

/// The prices of a cover plan, per request (a planner may, say, accept more moves to leave fewer
/// gaps, or spread the load harder).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverWeights {
    /// Points per person missing from a demand line.
    pub uncovered: i64,
    /// Points per shift added to someone's roster (before distance and fairness).
    pub add: i64,
    /// Extra points when the added shift falls on a published day off.
    pub day_off: i64,
    /// Points per published shift taken away (moving a person).
    pub remove: i64,
    /// Points per cover the person already gave this fiscal year.
    pub year_to_date: i64,
    /// In-plan fairness: the k-th shift one person takes on costs `(k − 1) ×` this more.
    pub load_step: i64,
}

impl Default for CoverWeights {
    fn default() -> Self {
        CoverWeights {
            uncovered: UNCOVERED,
            add: ADD,
            day_off: DAY_OFF,
            remove: REMOVE,
            year_to_date: YEAR_TO_DATE,
            load_step: LOAD_STEP,
        }
    }
}

impl CoverWeights {
    /// Every weight outside `0..=`[`MAX_WEIGHT`](super::MAX_WEIGHT), as (field, reason) under
    /// `prefix` (e.g. `weights`).
    pub fn problems(&self, prefix: &str) -> Vec<(String, String)> {
        super::weights_out_of_range(
            prefix,
            &[
                ("uncovered", self.uncovered),
                ("add", self.add),
                ("day_off", self.day_off),
                ("remove", self.remove),
                ("year_to_date", self.year_to_date),
                ("load_step", self.load_step),
            ],
        )
    }
}
/// Most candidates one cover considers (nearest first).
pub const MAX_CANDIDATES: usize = 600;
/// Longest span of absence days one cover handles.
pub const MAX_SPAN_DAYS: usize = 92;

/// One absence: a staff member away from `from` to `to` (inclusive).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbsenceSpan {
    /// Who.
    pub staff: Id,
    /// First day away.
    pub from: NaiveDate,
    /// Last day away.
    pub to: NaiveDate,
    /// The kind of leave the absence is recorded as when the plan is applied (a sick call
    /// unless said otherwise).
    #[serde(default = "sick")]
    pub kind: LeaveKind,
}

fn sick() -> LeaveKind {
    LeaveKind::Sick
}

impl AbsenceSpan {
    /// A sick call (病気休暇) of `staff` from `from` to `to`.
    pub fn sick(staff: Id, from: NaiveDate, to: NaiveDate) -> Self {
        AbsenceSpan {
            staff,
            from,
            to,
            kind: LeaveKind::Sick,
        }
    }
}

/// A roster cell: a shift in a unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    /// The unit.
    pub unit: Id,
    /// The shift type.
    pub shift: Id,
}

/// One change to the published roster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverChange {
    /// Who.
    pub staff: Id,
    /// The day.
    pub date: NaiveDate,
    /// What they had (`None`: a day off).
    pub from: Option<Post>,
    /// What they get (`None`: the shift is taken away).
    pub to: Option<Post>,
    /// Distance from their post to the new unit, when they get a shift.
    pub distance: Option<Distance>,
    /// Why this person, readable.
    pub reason: String,
}

/// A demand line the plan cannot meet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uncovered {
    /// The unit.
    pub unit: Id,
    /// The day.
    pub date: NaiveDate,
    /// The shift, when the line names one.
    pub shift: Option<Id>,
    /// The qualification, when the line names one.
    pub qualification: Option<String>,
    /// People missing.
    pub short: u32,
    /// Why nobody could fill it, readable (who was blocked by which rule).
    pub reason: String,
}

/// The cover ledger (応援・代替の記録): per person, the cover given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerLine {
    /// Who.
    pub staff: Id,
    /// Shifts taken on in this plan outside their own roster.
    pub in_plan: u32,
    /// Shifts worked outside their own unit this fiscal year before the first absence.
    pub year_to_date: u32,
}

/// A cover plan.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CoverPlan {
    /// The absences planned for, as asked.
    pub absences: Vec<AbsenceSpan>,
    /// The changes, by date then staff.
    pub changes: Vec<CoverChange>,
    /// What stays uncovered, with the reason.
    pub uncovered: Vec<Uncovered>,
    /// Who covered, in this plan and this year.
    pub ledger: Vec<LedgerLine>,
    /// Total points of the plan (uncovered, over-staffing and changes).
    pub penalty: i64,
    /// Points for people missing.
    pub uncovered_points: i64,
    /// Points for over-staffing (0: a surplus is not priced in cover).
    pub over_points: i64,
    /// Points for the changes.
    pub change_points: i64,
    /// Proven lower bound on the points.
    pub bound: Option<i64>,
    /// Relative gap between the plan and the bound.
    pub gap: Option<f64>,
    /// True when HiGHS proved the plan optimal (within the gap asked for).
    pub proven: bool,
    /// Candidates considered.
    pub candidates: usize,
    /// Shifts left vacant by the absences.
    pub vacancies: usize,
    /// Seconds spent.
    pub seconds: f64,
}

/// Why a cover cannot be planned.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CoverError {
    /// A request field is wrong.
    #[error("{field}: {reason}")]
    Invalid {
        /// The field path, e.g. `absences[2].to`.
        field: String,
        /// Why.
        reason: String,
    },
    /// HiGHS failed.
    #[error("solver: {0}")]
    Solver(String),
}

fn invalid(field: String, reason: impl Into<String>) -> CoverError {
    CoverError::Invalid {
        field,
        reason: reason.into(),
    }
}

/// Plans the cover of `absences` on the published roster of `model`, at the default prices.
pub fn cover(
    model: &Model,
    absences: &[AbsenceSpan],
    time_limit: Duration,
    relative_gap: f64,
) -> Result<CoverPlan, CoverError> {
    cover_weighted(
        model,
        absences,
        &CoverWeights::default(),
        time_limit,
        relative_gap,
        &AtomicBool::new(false),
    )
}

/// [`cover`] at the prices of `weights`. Once `cancel` is set, HiGHS stops at its next step and
/// the plan is the best found so far (or the published roster unchanged), as at the time limit.
pub fn cover_weighted(
    model: &Model,
    absences: &[AbsenceSpan],
    weights: &CoverWeights,
    time_limit: Duration,
    relative_gap: f64,
    cancel: &AtomicBool,
) -> Result<CoverPlan, CoverError> {
    let started = Instant::now();
    let s = &model.snapshot;
    if let Some((field, reason)) = weights.problems("weights").into_iter().next() {
        return Err(invalid(field, reason));
    }
    if absences.is_empty() {
        return Err(invalid("absences".into(), "names no absence"));
    }
    // (staff index, day index) of every absent day.
    let mut away: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (k, a) in absences.iter().enumerate() {
        let who = model.staff_index(&a.staff).ok_or_else(|| {
            invalid(
                format!("absences[{k}].staff"),
                format!("unknown staff member {:?}", a.staff),
            )
        })?;
        if a.to < a.from {
            return Err(invalid(
                format!("absences[{k}].to"),
                format!("{} is before from {}", a.to, a.from),
            ));
        }
        let day = |date: NaiveDate, field: &str| {
            model
                .days
                .iter()
                .position(|d| d.date == date)
                .ok_or_else(|| {
                    invalid(
                        format!("absences[{k}].{field}"),
                        format!("{date} is outside the horizon"),
                    )
                })
        };
        let (first, last) = (day(a.from, "from")?, day(a.to, "to")?);
        // Two absences of one person that overlap would record two kinds of leave on a day.
        if let Some(j) = absences[..k]
            .iter()
            .position(|b| b.staff == a.staff && b.from <= a.to && a.from <= b.to)
        {
            return Err(invalid(
                format!("absences[{k}]"),
                format!("overlaps absences[{j}] of the same staff member"),
            ));
        }
        // An absence that takes away no shift is a mistake in the request (a wrong date, or
        // someone already on leave), not a vacancy.
        let rostered = model
            .work_of(who)
            .iter()
            .any(|w| (first..=last).contains(&(w.day as usize)));
        if !rostered {
            let span = if a.from == a.to {
                format!("on {}", a.from)
            } else {
                format!("from {} to {}", a.from, a.to)
            };
            return Err(invalid(
                format!("absences[{k}]"),
                format!("{} is not rostered {span}: nothing to cover", a.staff),
            ));
        }
        away.extend((first..=last).map(|d| (who, d)));
    }
    let absence_days: BTreeSet<usize> = away.iter().map(|&(_, d)| d).collect();
    let (first_day, last_day) = match (absence_days.first(), absence_days.last()) {
        (Some(&a), Some(&b)) => (a, b),
        _ => return Err(invalid("absences".into(), "names no day")),
    };
    if last_day - first_day + 1 > MAX_SPAN_DAYS {
        return Err(invalid(
            "absences".into(),
            format!(
                "span {} days; one cover plans at most {MAX_SPAN_DAYS}",
                last_day - first_day + 1
            ),
        ));
    }

    // The vacancies: the absent people's published shifts.
    let vacancy_units: BTreeSet<usize> = away
        .iter()
        .flat_map(|&(p, d)| {
            model
                .work_of(p)
                .iter()
                .filter(move |w| w.day as usize == d)
                .map(|w| w.unit as usize)
        })
        .collect();
    let vacancy_count = away
        .iter()
        .map(|&(p, d)| {
            model
                .work_of(p)
                .iter()
                .filter(|w| w.day as usize == d)
                .count()
        })
        .sum::<usize>();

    // Candidates, nearest first.
    let nearest = |p: usize| {
        vacancy_units
            .iter()
            .map(|&u| Distance::between(model, p, u))
            .min()
            .unwrap_or(Distance::Elsewhere)
    };
    let mut candidates: Vec<(Distance, usize)> = (0..s.staff.len())
        .map(|p| (nearest(p), p))
        .filter(|&(d, p)| d != Distance::Elsewhere || away.iter().any(|&(a, _)| a == p))
        .collect();
    candidates.sort();
    candidates.truncate(MAX_CANDIDATES);
    let staff: Vec<usize> = candidates.iter().map(|&(_, p)| p).collect();
    let mut sorted_staff = staff.clone();
    sorted_staff.sort_unstable();

    // The window: the absence days with a margin for the day-off rule and the rest interval.
    let margin = s.rules.max_consecutive_work_days as usize + 1;
    let w0 = first_day.saturating_sub(margin);
    let w1 = (last_day + margin).min(model.n_days() - 1);
    let days = w1 - w0 + 1;

    // Options: (unit, shift) pairs of the vacancy units and of every candidate's window.
    let mut options: BTreeSet<(usize, usize)> = BTreeSet::new();
    for &u in &vacancy_units {
        for id in &s.organisation.units[u].shifts {
            if let Some(a) = model.shift_index(id) {
                options.insert((u, a));
            }
        }
    }
    for &p in &staff {
        for w in model
            .work_of(p)
            .iter()
            .filter(|w| (w0..=w1).contains(&(w.day as usize)))
        {
            options.insert((w.unit as usize, w.shift as usize));
        }
    }
    let options: Vec<(usize, usize)> = options.into_iter().collect();
    let option_of = |u: usize, a: usize| options.iter().position(|&o| o == (u, a));
    let rest = s.rules.rest_interval_minutes as i32;
    // Successions are forbidden between successive days only (see the facility roster).
    for &(_, a) in &options {
        for &(_, b) in &options {
            let (first, second) = (model.shifts[a], model.shifts[b]);
            if 2 * 24 * 60 + second.start - (first.start + first.span) < rest {
                return Err(invalid(
                    "rules.rest_interval_minutes".into(),
                    format!(
                        "{rest} min is more than a day off leaves between {} and {} two days \
                         later; cover supports rest intervals that end by the next day's shifts",
                        s.shift_types[a].id, s.shift_types[b].id
                    ),
                ));
            }
        }
    }
    let shift_types: Vec<ShiftType> = options
        .iter()
        .map(|&(u, a)| {
            let end = model.shifts[a].start + model.shifts[a].span;
            ShiftType {
                id: format!("{}/{}", s.organisation.units[u].id, s.shift_types[a].id),
                minutes: model.shifts[a].paid.max(1) as u32,
                cannot_follow: options
                    .iter()
                    .enumerate()
                    .filter(|&(_, &(_, b))| 24 * 60 + model.shifts[b].start - end < rest)
                    .map(|(k, _)| k)
                    .collect(),
            }
        })
        .collect();

    // The published roster over the window, and who is free when.
    let mut published = vec![vec![None; days]; staff.len()];
    let mut overtime_end: Vec<BTreeMap<usize, i32>> = vec![BTreeMap::new(); staff.len()];
    let mut starts: Vec<BTreeMap<usize, i32>> = vec![BTreeMap::new(); staff.len()];
    for (k, &p) in staff.iter().enumerate() {
        for w in model
            .work_of(p)
            .iter()
            .filter(|w| (w0..=w1).contains(&(w.day as usize)))
        {
            let d = w.day as usize - w0;
            published[k][d] = option_of(w.unit as usize, w.shift as usize);
            overtime_end[k].insert(d, w.end);
            starts[k].insert(d, w.start);
        }
    }
    let day_minute = |d: usize| ((w0 + d) as i32) * 24 * 60;
    let mut limits = Vec::with_capacity(staff.len());
    for (k, &p) in staff.iter().enumerate() {
        let person = &s.staff[p];
        let max_shifts: Vec<u32> = options
            .iter()
            .enumerate()
            .map(|(o, &(u, a))| {
                // A candidate moves into a vacancy unit or stays on a post of their own; chains
                // through third units are not explored (they would multiply the model for
                // moves a planner would not make). What they are published to work stays
                // allowed: the plan never has to undo it.
                let own = published[k].contains(&Some(o));
                if (vacancy_units.contains(&u) && may_take(model, p, u, a)) || own {
                    days as u32
                } else {
                    0
                }
            })
            .collect();
        let mut unavailable = BTreeSet::new();
        for leave in model.leave_of(p).iter().filter(|l| l.hours.is_none()) {
            for d in leave.first_day.max(w0 as u32)..=leave.last_day.min(w1 as u32) {
                unavailable.insert(d as usize - w0);
            }
        }
        for &(a, d) in &away {
            if a == p {
                unavailable.insert(d - w0);
            }
        }
        // Against a fixed neighbour (a day that is not free), compare real timestamps, overtime
        // included.
        let mut forbidden = Vec::new();
        for &d in &absence_days {
            let d = d - w0;
            for (o, &(_, a)) in options.iter().enumerate() {
                let start = day_minute(d) + model.shifts[a].start;
                let end = start + model.shifts[a].span;
                let before = d
                    .checked_sub(1)
                    .filter(|b| !absence_days.contains(&(b + w0)));
                let after = Some(d + 1).filter(|n| *n < days && !absence_days.contains(&(n + w0)));
                let clash_before = before
                    .and_then(|b| overtime_end[k].get(&b))
                    .is_some_and(|&e| start - e < rest);
                let clash_after = after
                    .and_then(|n| starts[k].get(&n))
                    .is_some_and(|&st| st - end < rest);
                if (clash_before || clash_after) && published[k][d] != Some(o) {
                    forbidden.push((d, o));
                }
            }
        }
        // A published shift kept with its overtime bars, on that day only, the next day's
        // shifts its overtime comes too close to; where it reaches further (into the evening
        // of the next day), the cells it reaches are barred outright, even where the plan
        // gives the shift up: a rare loss of options, never an unlawful plan.
        let mut forbidden_pairs = Vec::new();
        for (&d, &end) in &overtime_end[k] {
            let Some(kept) = published[k][d] else {
                continue;
            };
            for (o, &(_, a)) in options.iter().enumerate() {
                let gap = |e: usize| day_minute(e) + model.shifts[a].start - end;
                // What the published roster already works is held at its level, not barred.
                if d + 1 < days
                    && gap(d + 1) < rest
                    && !shift_types[kept].cannot_follow.contains(&o)
                    && published[k][d + 1] != Some(o)
                {
                    forbidden_pairs.push((d, kept, o));
                }
                if d + 2 < days && gap(d + 2) < rest && published[k][d + 2] != Some(o) {
                    forbidden.push((d + 2, o));
                }
            }
        }
        limits.push(StaffLimits {
            id: person.id.to_string(),
            max_shifts,
            min_minutes: 0,
            max_minutes: u32::MAX / 2,
            max_consecutive_work: s.rules.max_consecutive_work_days,
            min_consecutive_work: 0,
            min_consecutive_off: 0,
            max_weekends: days as u32,
            unavailable: unavailable.into_iter().collect(),
            forbidden,
            forbidden_pairs,
            fixed: Vec::new(),
        });
    }

    // Demand on the absence days, for every unit in play.
    let units_in_play: BTreeSet<usize> = options.iter().map(|&(u, _)| u).collect();
    let mut cover_lines = Vec::new();
    let mut line_source = Vec::new();
    for line in model.demand.iter() {
        let (u, d) = (line.unit as usize, line.day as usize);
        if !absence_days.contains(&d) || !units_in_play.contains(&u) {
            continue;
        }
        let shifts: Vec<usize> = match line.shift {
            Some(a) => option_of(u, a as usize).into_iter().collect(),
            None => options
                .iter()
                .enumerate()
                .filter(|(_, o)| o.0 == u)
                .map(|(k, _)| k)
                .collect(),
        };
        if shifts.is_empty() {
            continue;
        }
        let eligible = line.qualification.map(|q| {
            (0..staff.len())
                .filter(|&k| model.staff_qualifications[staff[k]].contains(q as usize))
                .collect::<Vec<_>>()
        });
        // Cover restores what the absences took away: a line is asked for no more than the
        // published roster gave it (gaps already there are a rostering matter, not cover), and
        // the people outside the candidates who work there count towards it as they are.
        let counts = |w: &crate::model::Work| {
            line.shift.is_none_or(|a| a == w.shift)
                && line.qualification.is_none_or(|q| {
                    model.staff_qualifications[w.staff as usize].contains(q as usize)
                })
        };
        let published_total = model
            .work_in(u, d)
            .iter()
            .map(|&k| &model.work[k as usize])
            .filter(|w| counts(w))
            .count() as u32;
        let published_candidates = model
            .work_in(u, d)
            .iter()
            .map(|&k| &model.work[k as usize])
            .filter(|w| counts(w) && sorted_staff.binary_search(&(w.staff as usize)).is_ok())
            .count() as u32;
        let others = published_total - published_candidates;
        let requirement = line.min.min(published_total).saturating_sub(others);
        if requirement == 0 {
            continue;
        }
        cover_lines.push(Cover {
            day: d - w0,
            shifts,
            eligible,
            requirement,
            under_weight: weights.uncovered,
            // Moving people already costs their change; a surplus is not priced again.
            over_weight: 0,
        });
        line_source.push(line);
    }

    // Prices: distance, a day off given up, the year's cover so far.
    let year_to_date: Vec<u32> = staff
        .iter()
        .map(|&p| {
            let home = model.unit_index(&s.staff[p].unit);
            model
                .work_of(p)
                .iter()
                .filter(|w| (w.day as usize) < first_day && Some(w.unit as usize) != home)
                .count() as u32
        })
        .collect();
    let add_cost: Vec<Vec<i64>> = staff
        .iter()
        .enumerate()
        .map(|(k, &p)| {
            options
                .iter()
                .map(|&(u, _)| {
                    weights.add
                        + Distance::between(model, p, u).points()
                        + weights.year_to_date * year_to_date[k].min(YEAR_TO_DATE_CAP) as i64
                })
                .collect()
        })
        .collect();
    let mut without_absent = published.clone();
    for &(p, d) in &away {
        if let Some(k) = staff.iter().position(|&q| q == p) {
            without_absent[k][d - w0] = None;
        }
    }
    let mut problem = ShiftProblem {
        days,
        weekends: Vec::new(),
        shifts: shift_types,
        staff: limits,
        requests: Vec::new(),
        cover: cover_lines,
        changes: Some(Changes {
            // The absent shifts are gone whatever the plan: they are not priced as changes.
            published: Assignment {
                cells: without_absent.clone(),
            },
            add_cost,
            day_off_cost: vec![weights.day_off; staff.len()],
            remove_cost: vec![weights.remove; staff.len()],
            load_step: vec![weights.load_step; staff.len()],
        }),
    };
    problem.validate().map_err(|errors| {
        CoverError::Solver(format!(
            "internal: the cover problem is malformed: {}",
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ))
    })?;

    // Start: the published roster without the absent shifts. Free: only the days on which the
    // absences leave a demand line short, for the candidates who could take one of its shifts;
    // on those days a candidate may take such a shift or keep their own. Nothing else could
    // lower the points, and a month of absences stays a small model.
    let current = Assignment {
        cells: without_absent.clone(),
    };
    let mut needed: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for line in &problem.cover {
        let staffed = (0..staff.len())
            .filter(|&k| line.eligible.as_ref().is_none_or(|e| e.contains(&k)))
            .filter(|&k| current.cells[k][line.day].is_some_and(|o| line.shifts.contains(&o)))
            .count() as u32;
        if staffed < line.requirement {
            needed
                .entry(line.day)
                .or_default()
                .extend(line.shifts.iter().copied());
        }
    }
    let mut free = vec![vec![false; days]; staff.len()];
    for (k, limits) in problem.staff.iter_mut().enumerate() {
        for (&d, wanted) in &needed {
            if limits.unavailable.contains(&d) || !wanted.iter().any(|&o| limits.max_shifts[o] > 0)
            {
                continue;
            }
            free[k][d] = true;
            let own = current.cells[k][d];
            limits.forbidden.extend(
                (0..options.len())
                    .filter(|o| !wanted.contains(o) && Some(*o) != own)
                    .map(|o| (d, o)),
            );
        }
    }
    let available = problem.available();
    let cancelled = || cancel.load(Ordering::Relaxed);
    let settings = |time_limit: Duration| MipSettings {
        time_limit,
        relative_gap: relative_gap.max(0.0),
        threads: 1,
        seed: 1,
        relax: false,
        probing: false,
        work_limit: None,
        stop: Stop::when(&cancelled),
    };
    // In-plan fairness is priced for everyone at once. Pricing it lazily (for whoever the
    // last plan gave two shifts, then solving again) took up to a dozen solves, each moving
    // the second shift to someone not priced yet: 10 s unproven on a 3,000-staff city where
    // one solve, priced in full, proves the optimum in under 2 s.
    let outcome = milp::solve(&problem, &available, &current, &free, &settings(time_limit))
        .map_err(|e| CoverError::Solver(e.0))?;
    tracing::debug!(
        status = ?outcome.status,
        seconds = outcome.seconds,
        objective = outcome.objective,
        bound = outcome.bound,
        "cover solve"
    );
    let (result, proven) = match outcome.status {
        MipStatus::Optimal => (outcome.assignment.clone(), true),
        MipStatus::TimeLimit => (outcome.assignment.clone(), false),
        // No solution in time: the warm start (nobody moved) is the plan.
        MipStatus::NoSolution | MipStatus::Infeasible => (current.clone(), false),
    };
    let eval = problem.evaluate(&result);
    // HiGHS sees only the free cells' part of the points; its gap (objective − bound) is the
    // plan's gap in points.
    let solved = matches!(outcome.status, MipStatus::Optimal | MipStatus::TimeLimit);
    let bound = (solved && outcome.bound.is_finite())
        .then_some(eval.total())
        .map(|priced| {
            let slack = (outcome.objective - outcome.bound).max(0.0);
            // Every price is at least zero, so is every plan's total.
            ((priced as f64 - slack - 1e-6).ceil() as i64)
                .min(eval.total())
                .max(0)
        });
    let penalty = eval.total();
    // Proven within the gap asked for is not proven exact: only a bound at the plan's points
    // says that no change could have paid.
    let exact = bound == Some(penalty);
    let gap = bound.map(|b| {
        if penalty <= 0 {
            0.0
        } else {
            (penalty - b).max(0) as f64 / penalty as f64
        }
    });

    // The plan, in the city's terms.
    let post = |o: usize| {
        let (u, a) = options[o];
        Post {
            unit: s.organisation.units[u].id.clone(),
            shift: s.shift_types[a].id.clone(),
        }
    };
    let mut changes = Vec::new();
    let mut in_plan = vec![0u32; staff.len()];
    for (k, &p) in staff.iter().enumerate() {
        for &day in &absence_days {
            let d = day - w0;
            let (before, after) = (published[k][d], result.cells[k][d]);
            if before == after {
                continue;
            }
            let distance = after.map(|o| Distance::between(model, p, options[o].0));
            let reason = match (before, after) {
                (_, Some(o)) => {
                    in_plan[k] += 1;
                    let unit = &s.organisation.units[options[o].0];
                    format!(
                        "{} for {} ({}); {} cover(s) given this year so far{}",
                        distance_text(distance.unwrap_or(Distance::Elsewhere)),
                        unit.name,
                        unit.id,
                        year_to_date[k],
                        if before.is_none() {
                            "; gives up a day off"
                        } else {
                            "; moved from their own post"
                        }
                    )
                }
                (Some(_), None) if away.contains(&(p, day)) => "absent".to_string(),
                (Some(_), None) => "moved off this shift".to_string(),
                (None, None) => continue,
            };
            changes.push(CoverChange {
                staff: s.staff[p].id.clone(),
                date: model.date(day),
                from: before.map(post),
                to: after.map(post),
                distance,
                reason,
            });
        }
    }
    changes.sort_by(|a, b| (a.date, &a.staff).cmp(&(b.date, &b.staff)));

    let mut uncovered = Vec::new();
    for (c, line) in problem.cover.iter().enumerate() {
        let n = (0..staff.len())
            .filter(|&k| line.eligible.as_ref().is_none_or(|e| e.contains(&k)))
            .filter(|&k| result.cells[k][line.day].is_some_and(|o| line.shifts.contains(&o)))
            .count() as u32;
        if n >= line.requirement {
            continue;
        }
        let source = line_source[c];
        let qualification = source
            .qualification
            .map(|q| model.qualifications[q as usize].to_string());
        uncovered.push(Uncovered {
            unit: s.organisation.units[source.unit as usize].id.clone(),
            date: model.date(source.day as usize),
            shift: source.shift.map(|a| s.shift_types[a as usize].id.clone()),
            qualification: qualification.clone(),
            short: line.requirement - n,
            reason: why_uncovered(
                model,
                &problem,
                &staff,
                &result,
                line,
                qualification.as_deref(),
                w0,
                exact,
            ),
        });
    }

    let ledger = staff
        .iter()
        .enumerate()
        .filter(|&(k, _)| in_plan[k] > 0)
        .map(|(k, &p)| LedgerLine {
            staff: s.staff[p].id.clone(),
            in_plan: in_plan[k],
            year_to_date: year_to_date[k],
        })
        .collect();

    Ok(CoverPlan {
        absences: absences.to_vec(),
        changes,
        uncovered,
        ledger,
        penalty,
        uncovered_points: eval.under_cover,
        over_points: eval.over_cover,
        change_points: eval.changes,
        bound,
        gap,
        proven,
        candidates: staff.len(),
        vacancies: vacancy_count,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn distance_text(d: Distance) -> &'static str {
    match d {
        Distance::SameUnit => "same unit",
        Distance::SameSection => "same section",
        Distance::SameDepartment => "same department",
        Distance::SubstitutePool => "substitute pool",
        Distance::Elsewhere => "from elsewhere",
    }
}

/// Who could have filled an uncovered line and which rule stopped each of them; `exact` says
/// whether the plan is proven optimal (its bound is its points), so that someone who could
/// lawfully have filled it was left out for the prices rather than for want of time or gap.
#[allow(clippy::too_many_arguments)]
fn why_uncovered(
    model: &Model,
    problem: &ShiftProblem,
    staff: &[usize],
    result: &Assignment,
    line: &Cover,
    qualification: Option<&str>,
    w0: usize,
    exact: bool,
) -> String {
    let mut blocked: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let who = |k: usize| model.snapshot.staff[staff[k]].id.to_string();
    for k in 0..staff.len() {
        if line.eligible.as_ref().is_some_and(|e| !e.contains(&k)) {
            continue;
        }
        if result.cells[k][line.day].is_some_and(|o| line.shifts.contains(&o)) {
            continue;
        }
        let limits = &problem.staff[k];
        if limits.unavailable.contains(&line.day) {
            blocked
                .entry("on leave or absent")
                .or_default()
                .push(who(k));
            continue;
        }
        let allowed: Vec<usize> = line
            .shifts
            .iter()
            .copied()
            .filter(|&o| limits.max_shifts[o] > 0)
            .collect();
        if allowed.is_empty() {
            blocked
                .entry("not qualified or accommodated for the unit")
                .or_default()
                .push(who(k));
            continue;
        }
        if allowed
            .iter()
            .all(|o| limits.forbidden.contains(&(line.day, *o)))
        {
            blocked.entry("rest interval").or_default().push(who(k));
            continue;
        }
        let mut row = result.cells[k].clone();
        let verdict = allowed.iter().find_map(|&o| {
            row[line.day] = Some(o);
            let breaches = problem.person_breaches(k, &row);
            breaches.is_empty().then_some(()).ok_or(breaches).err()
        });
        let reason = match verdict {
            Some(breaches) if breaches.iter().any(|b| b.message.contains("in a row")) => {
                "a day off in every seven"
            }
            Some(breaches) if breaches.iter().any(|b| b.message.contains("succession")) => {
                "rest interval"
            }
            Some(_) => "another rule",
            None if result.cells[k][line.day].is_some() => "needed where they work that day",
            None if exact => LAWFUL_BUT_DEARER,
            None => LAWFUL_NOT_REACHED,
        };
        blocked.entry(reason).or_default().push(who(k));
    }
    let date = model.date(w0 + line.day);
    let what = qualification.map_or("person".to_string(), |q| format!("qualified {q}"));
    if blocked.is_empty() {
        return format!("no {what} among the candidates on {date}");
    }
    // Someone could have filled it lawfully: the headline says why they did not.
    let headline = if blocked.contains_key(LAWFUL_BUT_DEARER) {
        format!("on {date} a change costs more than the gap at these prices")
    } else if blocked.contains_key(LAWFUL_NOT_REACHED) {
        format!("on {date} the solve stopped (time or gap) before a lawful {what} was placed")
    } else {
        format!("no {what} available on {date} without breaking a rule")
    };
    let parts: Vec<String> = blocked
        .iter()
        .map(|(reason, ids)| {
            let shown: Vec<&str> = ids.iter().take(4).map(String::as_str).collect();
            let more = if ids.len() > 4 {
                format!(" and {} more", ids.len() - 4)
            } else {
                String::new()
            };
            format!("{reason}: {}{more}", shown.join(", "))
        })
        .collect();
    format!("{headline}; {}", parts.join("; "))
}

/// Why an uncovered line's lawful candidate was left out by an optimal plan.
const LAWFUL_BUT_DEARER: &str = "lawful, but dearer than leaving the gap";
/// Why an uncovered line's lawful candidate was left out by a plan stopped by the clock or at
/// the gap asked for.
const LAWFUL_NOT_REACHED: &str = "lawful, not placed within the time or gap given";

impl CoverPlan {
    /// The snapshot with the plan applied: the changed roster cells (with no overtime on them),
    /// and each absence recorded as approved leave of its kind on the days its person was not
    /// already on leave, so the snapshot says why the shifts went.
    pub fn apply(&self, snapshot: &Snapshot) -> Snapshot {
        let mut out = snapshot.clone();
        self.record_absences(&mut out);
        let touched: BTreeSet<(&Id, NaiveDate)> =
            self.changes.iter().map(|c| (&c.staff, c.date)).collect();
        out.roster
            .retain(|e| !touched.contains(&(&e.staff, e.date)));
        for change in &self.changes {
            if let Some(post) = &change.to {
                out.roster.push(crate::model::Assignment {
                    staff: change.staff.clone(),
                    date: change.date,
                    unit: post.unit.clone(),
                    shift: post.shift.clone(),
                    overtime_minutes: 0,
                });
            }
        }
        out.roster
            .sort_by(|a, b| (&a.staff, a.date).cmp(&(&b.staff, b.date)));
        out
    }

    /// Adds the absences to `snapshot.leave`, one entry per run of days not already on leave
    /// (leave may not overlap), each with an id of its own.
    fn record_absences(&self, snapshot: &mut Snapshot) {
        let mut ids: BTreeSet<Id> = snapshot.leave.iter().map(|l| l.id.clone()).collect();
        for a in &self.absences {
            let taken = |snapshot: &Snapshot, day: NaiveDate| {
                snapshot
                    .leave
                    .iter()
                    .any(|l| l.staff == a.staff && l.from <= day && day <= l.to)
            };
            let mut runs: Vec<(NaiveDate, NaiveDate)> = Vec::new();
            for day in a.from.iter_days().take_while(|d| *d <= a.to) {
                if taken(snapshot, day) {
                    continue;
                }
                match runs.last_mut() {
                    Some((_, to)) if to.succ_opt() == Some(day) => *to = day,
                    _ => runs.push((day, day)),
                }
            }
            for (from, to) in runs {
                let base = format!("cover-{}-{from}", a.staff);
                let id = (0..)
                    .map(|n| {
                        Id::new(&if n == 0 {
                            base.clone()
                        } else {
                            format!("{base}-{n}")
                        })
                    })
                    .find(|id| !ids.contains(id))
                    .unwrap_or_else(|| Id::new(&base));
                ids.insert(id.clone());
                snapshot.leave.push(Leave {
                    id,
                    staff: a.staff.clone(),
                    kind: a.kind,
                    from,
                    to,
                    hours: None,
                    status: LeaveStatus::Approved,
                });
            }
        }
    }
}

//! Roster a shift-run facility (交替制勤務の施設: a nursery, a library, the plant room) over the
//! snapshot's whole horizon, as a [`ShiftProblem`].
//!
//! The city's rules become the general model's per-person rules:
//! - the rest interval (勤務間インターバル) on real timestamps: shift t may not follow shift s on the
//!   next day when t's start is less than `rest_interval_minutes` after s's end; against work in
//!   another unit, overtime included, the cells too close to it are barred; a shift kept with
//!   today's overtime bars, on that day only, the next day's shifts that its overtime comes too
//!   close to (an explicit pairwise constraint);
//! - a day off in every seven: `max_consecutive_work = rules.max_consecutive_work_days`;
//! - leave (whole days) and closed days: unavailable; a day its own staff work in another unit:
//!   a shift of its own, fixed there, so that the longest run counts it; someone posted
//!   elsewhere but rostered here is available only on the days they work here today;
//! - qualification, accommodations (allowed units and categories, no late or night shifts) and
//!   short-hours daily limits: a shift type the person may not take gets a maximum of 0;
//! - the contract: total minutes between 75 % and 115 % of the contracted week (plus one shift),
//!   pro rata over the days not on leave, so hours stay near the contract; the band is widened to
//!   include what the person works in the unit today.
//!
//! Cover comes from the unit's demand lines, by day, shift (or the whole day) and qualification
//! (counting only its holders), at 100 points a person short and 1 point a person too many on a
//! shift by default ([`DemandWeights`] sets other prices). A line naming a shift the unit does not run is not modelled;
//! [`FacilityPlan::unmodelled_demand`] counts such lines and the checker judges them on the result.
//! A shift the roster keeps as it is today keeps its overtime; a new one carries none.

use super::milp::MipStatus;
use super::problem::{Assignment, Cover, ShiftProblem, ShiftType, StaffLimits};
use crate::model::{Assignment as RosterEntry, Id, Model, ShiftKind, Snapshot};
use crate::rules::{CheckReport, Violation};
use std::collections::{BTreeMap, BTreeSet};

/// Penalty per person short of a shift's demand, unless the request names another.
pub const UNDER_WEIGHT: i64 = 100;
/// Penalty per person beyond a shift's demand, unless the request names another.
pub const OVER_WEIGHT: i64 = 1;

/// The prices of the soft terms of a facility roster (per request: a planner may value a missing
/// person more than the default hundred times an extra one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DemandWeights {
    /// Points per person short of a demand line.
    pub under: i64,
    /// Points per person beyond a shift's demand.
    pub over: i64,
}

impl Default for DemandWeights {
    fn default() -> Self {
        DemandWeights {
            under: UNDER_WEIGHT,
            over: OVER_WEIGHT,
        }
    }
}

impl DemandWeights {
    /// Every weight outside `0..=`[`MAX_WEIGHT`](super::MAX_WEIGHT), as (field, reason) under
    /// `prefix` (e.g. `weights`).
    pub fn problems(&self, prefix: &str) -> Vec<(String, String)> {
        super::weights_out_of_range(prefix, &[("under", self.under), ("over", self.over)])
    }
}

/// A facility's roster as a [`ShiftProblem`], with the way back to the snapshot.
#[derive(Clone, Debug)]
pub struct FacilityPlan {
    /// The unit's index in the model.
    pub unit: usize,
    /// The problem.
    pub problem: ShiftProblem,
    /// Model staff index of each problem staff member.
    pub staff: Vec<usize>,
    /// Model shift index of each problem shift type of the unit's own.
    pub shifts: Vec<usize>,
    /// The problem's shift type after those, when there is one: a day its staff work in another
    /// unit, fixed where they work it and never written back.
    pub elsewhere: Option<usize>,
    /// Demand lines of the unit naming a shift it does not run, left to the checker.
    pub unmodelled_demand: usize,
}

/// Why a facility cannot be rostered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FacilityError {
    /// No unit has this id.
    #[error("unit: no unit {0:?}")]
    UnknownUnit(String),
    /// The unit is not shift-run.
    #[error("unit: {0:?} is not a shift-run facility")]
    NotShiftRun(String),
    /// Nobody is posted to or rostered in the unit.
    #[error("unit: nobody is posted to or rostered in {0:?}")]
    NoStaff(String),
    /// The rest interval is longer than a day off leaves between two of the unit's shifts; the
    /// model forbids successions between successive days only.
    #[error(
        "rules.rest_interval_minutes: {rest_minutes} min is more than a day off leaves between \
         {first} and {second} two days later; rostering supports rest intervals that end by the \
         next day's shifts"
    )]
    RestBeyondADayOff {
        /// The rest interval asked for.
        rest_minutes: u32,
        /// The earlier shift type.
        first: String,
        /// The later shift type.
        second: String,
    },
}

impl FacilityError {
    /// The field at fault: `unit`, or the rule the model cannot express.
    pub fn field(&self) -> &'static str {
        match self {
            FacilityError::RestBeyondADayOff { .. } => "rules.rest_interval_minutes",
            _ => "unit",
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

/// Builds the problem of rostering `unit` over the whole horizon with the staff posted to it or
/// rostered in it, at the default weights.
pub fn facility_problem(model: &Model, unit: &Id) -> Result<FacilityPlan, FacilityError> {
    facility_problem_weighted(model, unit, DemandWeights::default())
}

/// [`facility_problem`] with the demand priced by `weights`.
pub fn facility_problem_weighted(
    model: &Model,
    unit: &Id,
    weights: DemandWeights,
) -> Result<FacilityPlan, FacilityError> {
    let s = &model.snapshot;
    let u = model
        .unit_index(unit)
        .ok_or_else(|| FacilityError::UnknownUnit(unit.to_string()))?;
    let unit_data = &s.organisation.units[u];
    if !unit_data.shift_run {
        return Err(FacilityError::NotShiftRun(unit.to_string()));
    }
    let days = model.n_days();
    let mut members: BTreeSet<usize> = s
        .staff
        .iter()
        .enumerate()
        .filter(|(_, p)| p.unit == *unit)
        .map(|(i, _)| i)
        .collect();
    for d in 0..days {
        members.extend(
            model
                .work_in(u, d)
                .iter()
                .map(|&w| model.work[w as usize].staff as usize),
        );
    }
    if members.is_empty() {
        return Err(FacilityError::NoStaff(unit.to_string()));
    }
    let staff: Vec<usize> = members.into_iter().collect();
    let shifts: Vec<usize> = unit_data
        .shifts
        .iter()
        .filter_map(|id| model.shift_index(id))
        .collect();
    let rest = s.rules.rest_interval_minutes as i32;
    // Successions are forbidden only between successive days: a rest that a day off cannot
    // hold is beyond what the model can say, and is refused rather than rostered wrongly.
    for &a in &shifts {
        for &b in &shifts {
            let (first, second) = (model.shifts[a], model.shifts[b]);
            if 2 * 24 * 60 + second.start - (first.start + first.span) < rest {
                return Err(FacilityError::RestBeyondADayOff {
                    rest_minutes: rest as u32,
                    first: s.shift_types[a].id.to_string(),
                    second: s.shift_types[b].id.to_string(),
                });
            }
        }
    }
    let mut shift_types: Vec<ShiftType> = shifts
        .iter()
        .map(|&a| {
            let first = model.shifts[a];
            let end = first.start + first.span;
            let cannot_follow = shifts
                .iter()
                .enumerate()
                .filter(|&(_, &b)| 24 * 60 + model.shifts[b].start - end < rest)
                .map(|(k, _)| k)
                .collect();
            ShiftType {
                id: s.shift_types[a].id.to_string(),
                minutes: first.paid.max(1) as u32,
                cannot_follow,
            }
        })
        .collect();
    // The days the unit's own staff work in another unit (not on leave): held as a shift of
    // their own, so that the longest run counts them as the checker does.
    let posted = |p: usize| s.staff[p].unit == *unit;
    let away_days = |p: usize| -> BTreeSet<usize> {
        if !posted(p) {
            return BTreeSet::new();
        }
        let on_leave = |d: usize| {
            (model.leave_of(p).iter()).any(|l| {
                l.hours.is_none() && (l.first_day as usize..=l.last_day as usize).contains(&d)
            })
        };
        (model.work_of(p).iter())
            .filter(|w| w.unit as usize != u)
            .map(|w| w.day as usize)
            .filter(|&d| !on_leave(d))
            .collect()
    };
    // Per problem staff member, in the order of `staff`.
    let away: Vec<BTreeSet<usize>> = staff.iter().map(|&p| away_days(p)).collect();
    let elsewhere = away.iter().any(|days| !days.is_empty()).then(|| {
        let mut id = "elsewhere".to_string();
        while shift_types.iter().any(|t| t.id == id) {
            id.push('\'');
        }
        shift_types.push(ShiftType {
            id,
            minutes: 1,
            cannot_follow: Vec::new(),
        });
        shift_types.len() - 1
    });

    let limits = staff
        .iter()
        .zip(&away)
        .map(|(&p, away)| {
            let person = &s.staff[p];
            let mut max_shifts: Vec<u32> = shifts
                .iter()
                .map(|&a| {
                    if may_take(model, p, u, a) {
                        days as u32
                    } else {
                        0
                    }
                })
                .collect();
            if elsewhere.is_some() {
                max_shifts.push(away.len() as u32);
            }
            let mut unavailable = vec![false; days];
            // Someone posted elsewhere works here only on the days they do today, so that
            // their runs of work, counted with their own unit's days, stay as they are.
            if person.unit != *unit {
                unavailable.fill(true);
                for w in model.work_of(p).iter().filter(|w| w.unit as usize == u) {
                    unavailable[w.day as usize] = false;
                }
            }
            for leave in model.leave_of(p).iter().filter(|l| l.hours.is_none()) {
                for day in leave.first_day..=leave.last_day {
                    unavailable[day as usize] = true;
                }
            }
            let on_leave = (model.leave_of(p).iter())
                .filter(|l| l.hours.is_none())
                .map(|l| (l.last_day - l.first_day + 1) as usize)
                .sum::<usize>()
                .min(days);
            for (d, slot) in unavailable.iter_mut().enumerate() {
                if !model.is_open(u, d) {
                    *slot = true;
                }
            }
            for w in model.work_of(p).iter().filter(|w| w.unit as usize != u) {
                unavailable[w.day as usize] = true;
            }
            for &d in away {
                unavailable[d] = false;
            }
            let week = person.contract.weekly_minutes as f64 * (days - on_leave) as f64 / 7.0;
            let can_work = max_shifts[..shifts.len()].iter().any(|&m| m > 0);
            let longest = shift_types.iter().map(|t| t.minutes).max().unwrap_or(0);
            // The band never excludes what the person works in the unit today, so the current
            // roster stays a candidate even where the demand already asks for more; its least
            // counts only what the model can give again (not a shift on a closed day, on leave,
            // or one they may not take), or a lent colleague's few days would be out of reach.
            let own: Vec<&crate::model::Work> = (model.work_of(p).iter())
                .filter(|w| w.unit as usize == u)
                .collect();
            let paid = |w: &&crate::model::Work| model.shifts[w.shift as usize].paid.max(1) as u32;
            let today: u32 = own.iter().map(paid).sum();
            let again: u32 = (own.iter())
                .filter(|w| !unavailable[w.day as usize])
                .filter(|w| {
                    (shifts.iter().position(|&a| a == w.shift as usize))
                        .is_some_and(|t| max_shifts[t] > 0)
                })
                .map(paid)
                .sum();
            let RestLimits {
                mut forbidden,
                forbidden_pairs,
            } = rest_around_fixed_work(model, u, p, &shifts, &shift_types, rest);
            // A day in another unit is that and nothing else here.
            let fixed: Vec<(usize, usize)> = elsewhere
                .map(|e| away.iter().map(|&d| (d, e)).collect())
                .unwrap_or_default();
            for &d in away {
                forbidden.extend((0..shifts.len()).map(|t| (d, t)));
            }
            forbidden.sort_unstable();
            forbidden.dedup();
            let held = away.len() as u32;
            StaffLimits {
                id: person.id.to_string(),
                max_shifts,
                min_minutes: if can_work {
                    ((0.75 * week) as u32).min(again) + held
                } else {
                    held
                },
                max_minutes: ((1.15 * week) as u32 + longest).max(today) + held,
                max_consecutive_work: s.rules.max_consecutive_work_days,
                min_consecutive_work: 0,
                min_consecutive_off: 0,
                max_weekends: days as u32,
                unavailable: (0..days).filter(|&d| unavailable[d]).collect(),
                forbidden,
                forbidden_pairs,
                fixed,
            }
        })
        .collect();

    // Per day and shift the largest line; per day and qualification, a count of its holders.
    let mut wanted: BTreeMap<(usize, Option<usize>, Option<u32>), u32> = BTreeMap::new();
    let mut unmodelled_demand = 0;
    for line in model.demand.iter().filter(|l| l.unit as usize == u) {
        let shift = line
            .shift
            .and_then(|a| shifts.iter().position(|&b| b == a as usize));
        if line.shift.is_some() && shift.is_none() {
            unmodelled_demand += 1;
            continue;
        }
        let slot = wanted
            .entry((line.day as usize, shift, line.qualification))
            .or_default();
        *slot = (*slot).max(line.min);
    }
    let holders = |q: u32| -> Vec<usize> {
        (0..staff.len())
            .filter(|&k| model.staff_qualifications[staff[k]].contains(q as usize))
            .collect()
    };
    let cover = wanted
        .into_iter()
        .map(|((day, shift, qualification), requirement)| {
            let eligible = qualification.map(holders);
            let pool = eligible.as_ref().map_or(staff.len(), Vec::len) as u32;
            Cover {
                day,
                shifts: shift.map_or_else(|| (0..shifts.len()).collect(), |t| vec![t]),
                requirement: requirement.min(pool),
                under_weight: weights.under,
                // Extra holders of a qualification are welcome; extra people on a shift are not.
                over_weight: if eligible.is_some() || shift.is_none() {
                    0
                } else {
                    weights.over
                },
                eligible,
            }
        })
        .collect();
    let weekends = weekends(model);
    Ok(FacilityPlan {
        unit: u,
        problem: ShiftProblem {
            days,
            weekends,
            shifts: shift_types,
            staff: limits,
            requests: Vec::new(),
            cover,
            changes: None,
        },
        staff,
        shifts,
        elsewhere,
        unmodelled_demand,
    })
}

/// The rest interval on real timestamps where a shift type's own successions are not enough:
/// the cells of person `p` (problem shift indices into `shifts`) barred by their work in other
/// units (overtime included), and the successions barred on one day by overtime they work in
/// unit `u` today, which stays on a shift the roster keeps. Where that overtime reaches past the
/// next day, the cells it reaches are barred outright (the model's successions span one day).
fn rest_around_fixed_work(
    model: &Model,
    u: usize,
    p: usize,
    shifts: &[usize],
    shift_types: &[ShiftType],
    rest: i32,
) -> RestLimits {
    let days = model.n_days();
    let day_start = |d: usize| d as i32 * 24 * 60;
    let work = model.work_of(p);
    // Today's overtime-inclusive end of the unit's entry on a day, when it is that shift.
    let kept_end = |e: usize, t: usize| {
        (work.iter())
            .find(|w| w.unit as usize == u && w.day as usize == e && w.shift as usize == shifts[t])
            .map(|w| w.end)
    };
    let cell = |e: usize, t: usize| {
        let start = day_start(e) + model.shifts[shifts[t]].start;
        let end = kept_end(e, t).unwrap_or(start + model.shifts[shifts[t]].span);
        (start, end)
    };
    let mut forbidden = BTreeSet::new();
    let mut pairs = BTreeSet::new();
    for w in work {
        let wd = w.day as usize;
        if w.unit as usize != u {
            for e in wd.saturating_sub(2)..=(wd + 2).min(days - 1) {
                for t in 0..shifts.len() {
                    let (start, end) = cell(e, t);
                    let gap = match e.cmp(&wd) {
                        std::cmp::Ordering::Greater => start - w.end,
                        std::cmp::Ordering::Less => w.start - end,
                        std::cmp::Ordering::Equal => continue,
                    };
                    if gap < rest {
                        forbidden.insert((e, t));
                    }
                }
            }
            continue;
        }
        let Some(k) = shifts.iter().position(|&a| a == w.shift as usize) else {
            continue;
        };
        if w.overtime == 0 {
            continue;
        }
        for t in 0..shifts.len() {
            if wd + 1 < days
                && cell(wd + 1, t).0 - w.end < rest
                && !shift_types[k].cannot_follow.contains(&t)
            {
                pairs.insert((wd, k, t));
            }
            if wd + 2 < days && cell(wd + 2, t).0 - w.end < rest {
                forbidden.insert((wd + 2, t));
            }
        }
    }
    RestLimits {
        forbidden: forbidden.into_iter().collect(),
        forbidden_pairs: pairs.into_iter().collect(),
    }
}

/// What the rest interval asks of one person beyond the shift types' successions (see
/// [`StaffLimits::forbidden`] and [`StaffLimits::forbidden_pairs`]).
struct RestLimits {
    forbidden: Vec<(usize, usize)>,
    forbidden_pairs: Vec<(usize, usize, usize)>,
}

/// Whether staff member `p` may lawfully work shift `a` in unit `u`: the unit's qualification,
/// their accommodations (allowed units and categories, no late or night shifts) and a short-hours
/// daily limit. The checker's qualification, accommodation and short-hours rules, as one test.
pub fn may_take(model: &Model, p: usize, u: usize, a: usize) -> bool {
    let person = &model.snapshot.staff[p];
    let unit = &model.snapshot.organisation.units[u];
    let acc = &person.accommodations;
    let shift = model.shifts[a];
    let required = &model.unit_required[u];
    let placed = (acc.allowed_units.is_empty() || acc.allowed_units.contains(&unit.id))
        && (acc.allowed_categories.is_empty()
            || unit
                .categories
                .iter()
                .any(|c| acc.allowed_categories.contains(c)))
        && (required.is_empty() || model.staff_qualifications[p].intersects(required));
    let barred = (acc.no_late_shifts && shift.kind == ShiftKind::Late)
        || (acc.no_night_shifts && shift.kind == ShiftKind::Night)
        || person
            .contract
            .short_hours
            .as_ref()
            .is_some_and(|short| shift.paid > short.max_daily_minutes as i32);
    placed && !barred
}

/// Replaces, in `snapshot`, the entries of `staff` in `unit` by `entries`, keeping the roster
/// sorted by staff then date. How a roster made elsewhere (on a server) lands in a local
/// snapshot exactly as [`FacilityPlan::apply`] would put it.
pub fn replace_entries(
    snapshot: &mut Snapshot,
    unit: &Id,
    staff: &[Id],
    entries: Vec<RosterEntry>,
) {
    let ours: BTreeSet<&Id> = staff.iter().collect();
    snapshot
        .roster
        .retain(|e| !(e.unit == *unit && ours.contains(&e.staff)));
    snapshot.roster.extend(entries);
    snapshot
        .roster
        .sort_by(|a, b| (&a.staff, a.date).cmp(&(&b.staff, b.date)));
}

/// Saturday–Sunday pairs (or a lone edge day) of the horizon.
fn weekends(model: &Model) -> Vec<Vec<usize>> {
    use chrono::Weekday;
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (d, info) in model.days.iter().enumerate() {
        match info.weekday {
            Weekday::Sat => out.push(vec![d]),
            Weekday::Sun if d > 0 && model.days[d - 1].weekday == Weekday::Sat => {
                if let Some(last) = out.last_mut() {
                    last.push(d);
                }
            }
            Weekday::Sun => out.push(vec![d]),
            _ => {}
        }
    }
    out
}

impl FacilityPlan {
    /// Re-rosters only the days `first..=last` (day indices), keeping every other day as it is
    /// today: one exact MILP whose rules see the fixed days around the window. Returns the roster
    /// and HiGHS's status: optimal within `relative_gap`, out of time with a roster, or none
    /// (today's roster is returned then, and the status says whether HiGHS proved that no
    /// lawful roster of the window exists). Once `cancel` is set, HiGHS stops at its next step.
    pub fn reroster_window(
        &self,
        model: &Model,
        (first, last): (usize, usize),
        time_limit: std::time::Duration,
        relative_gap: f64,
        cancel: &std::sync::atomic::AtomicBool,
    ) -> Result<(Assignment, super::milp::MipStatus), super::milp::MipError> {
        use super::milp::MipSettings;
        let current = self.current(model);
        let free: Vec<Vec<bool>> = (0..self.staff.len())
            .map(|_| {
                (0..self.problem.days)
                    .map(|d| (first..=last).contains(&d))
                    .collect()
            })
            .collect();
        let cancelled = || cancel.load(std::sync::atomic::Ordering::Relaxed);
        let settings = MipSettings {
            time_limit,
            relative_gap,
            threads: 1,
            seed: 1,
            relax: false,
            probing: true,
            work_limit: None,
            stop: super::interrupt::Stop::when(&cancelled),
        };
        let outcome = super::milp::solve(
            &self.problem,
            &self.problem.available(),
            &current,
            &free,
            &settings,
        )?;
        Ok(match outcome.status {
            MipStatus::Optimal | MipStatus::TimeLimit => (outcome.assignment, outcome.status),
            MipStatus::NoSolution | MipStatus::Infeasible => (current, outcome.status),
        })
    }

    /// The snapshot with the facility's entries for its staff replaced by `roster`.
    pub fn apply(&self, model: &Model, roster: &Assignment) -> Snapshot {
        self.apply_entries(model, self.entries(model, roster))
    }

    /// The snapshot with the facility's entries for its staff replaced by `entries`.
    pub fn apply_entries(&self, model: &Model, entries: Vec<RosterEntry>) -> Snapshot {
        let mut snapshot = model.snapshot.clone();
        let unit = snapshot.organisation.units[self.unit].id.clone();
        replace_entries(&mut snapshot, &unit, &self.staff_ids(model), entries);
        snapshot
    }

    /// The ids of the facility's staff, in the problem's order.
    pub fn staff_ids(&self, model: &Model) -> Vec<Id> {
        self.staff
            .iter()
            .map(|&p| model.snapshot.staff[p].id.clone())
            .collect()
    }

    /// `roster` as the unit's roster entries, by staff then date. A shift kept as it is today
    /// keeps its overtime; a new one carries none.
    pub fn entries(&self, model: &Model, roster: &Assignment) -> Vec<RosterEntry> {
        self.entries_in(model, roster, None)
    }

    /// [`FacilityPlan::entries`] of a roster re-made only over the days `first..=last`: the
    /// days outside keep their entries exactly as in the snapshot, overtime included.
    pub fn window_entries(
        &self,
        model: &Model,
        roster: &Assignment,
        first: usize,
        last: usize,
    ) -> Vec<RosterEntry> {
        self.entries_in(model, roster, Some((first, last)))
    }

    /// The unit's entries for its staff exactly as the snapshot has them, overtime included.
    pub fn published_entries(&self, model: &Model) -> Vec<RosterEntry> {
        let mut out: Vec<RosterEntry> = self
            .staff
            .iter()
            .flat_map(|&p| model.work_of(p).iter())
            .filter(|w| w.unit as usize == self.unit)
            .map(|w| model.snapshot.roster[w.entry as usize].clone())
            .collect();
        out.sort_by(|a, b| (&a.staff, a.date).cmp(&(&b.staff, b.date)));
        out
    }

    fn entries_in(
        &self,
        model: &Model,
        roster: &Assignment,
        window: Option<(usize, usize)>,
    ) -> Vec<RosterEntry> {
        let unit_id = &model.snapshot.organisation.units[self.unit].id;
        let outside = |d: usize| window.is_some_and(|(first, last)| d < first || d > last);
        let mut out = Vec::new();
        for (k, &p) in self.staff.iter().enumerate() {
            out.extend(
                model
                    .work_of(p)
                    .iter()
                    .filter(|w| w.unit as usize == self.unit && outside(w.day as usize))
                    .map(|w| model.snapshot.roster[w.entry as usize].clone()),
            );
            for (d, cell) in roster.cells[k].iter().enumerate() {
                if outside(d) {
                    continue;
                }
                if let Some(t) = cell.filter(|&t| t < self.shifts.len()) {
                    // A shift kept as it is today keeps its overtime; the problem's rules saw it.
                    let overtime_minutes = (model.work_of(p).iter())
                        .find(|w| {
                            w.unit as usize == self.unit
                                && w.day as usize == d
                                && w.shift as usize == self.shifts[t]
                        })
                        .map_or(0, |w| w.overtime);
                    out.push(RosterEntry {
                        staff: model.snapshot.staff[p].id.clone(),
                        date: model.date(d),
                        unit: unit_id.clone(),
                        shift: model.snapshot.shift_types[self.shifts[t]].id.clone(),
                        overtime_minutes,
                    });
                }
            }
        }
        out.sort_by(|a, b| (&a.staff, a.date).cmp(&(&b.staff, b.date)));
        out
    }

    /// The violations in `report` that concern this facility: its unit or one of its staff.
    pub fn violations_in<'r>(&self, model: &Model, report: &'r CheckReport) -> Vec<&'r Violation> {
        let unit = &model.snapshot.organisation.units[self.unit].id;
        let ours: BTreeSet<&Id> = self
            .staff
            .iter()
            .map(|&p| &model.snapshot.staff[p].id)
            .collect();
        report
            .violations
            .iter()
            .filter(|v| {
                v.unit.as_ref() == Some(unit) || v.staff.as_ref().is_some_and(|s| ours.contains(s))
            })
            .collect()
    }

    /// The facility's current roster in the problem's terms (overtime ignored; a day in another
    /// unit as the problem fixes it).
    pub fn current(&self, model: &Model) -> Assignment {
        let mut cells = vec![vec![None; self.problem.days]; self.staff.len()];
        for (k, &p) in self.staff.iter().enumerate() {
            for &(d, t) in &self.problem.staff[k].fixed {
                cells[k][d] = Some(t);
            }
            for w in model
                .work_of(p)
                .iter()
                .filter(|w| w.unit as usize == self.unit)
            {
                cells[k][w.day as usize] = self.shifts.iter().position(|&a| a == w.shift as usize);
            }
        }
        Assignment { cells }
    }
}

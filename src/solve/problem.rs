//! The shift-assignment problem (勤務割当問題): the one general model that roster, cover and the
//! public benchmark are all expressed in.
//!
//! Decision: for each staff member and day, off or exactly one shift. Hard rules are per person
//! (a day's availability, forbidden successions, per-shift maxima, minutes over the horizon, runs of
//! work and of days off, weekends worked); the soft terms are cover (under- and over-staffing,
//! each priced per person) and requests (a wish to work, or not to work, a shift on a day). A
//! roster that breaks no hard rule is *lawful*; among lawful rosters the solver minimises the
//! integer penalty [`Evaluation::total`].
//!
//! The city's rules (the rest interval on real timestamps, leave, qualifications) become these
//! per-person rules when a snapshot is turned into a problem; the Curtois–Qu benchmark maps onto
//! them one to one ([`crate::curtois`]).

use serde::{Deserialize, Serialize};

/// Largest horizon a problem may have, in days (ten years).
pub const MAX_DAYS: usize = 3660;
/// Largest number of staff in one problem.
pub const MAX_STAFF: usize = 100_000;
/// Largest number of shift types in one problem.
pub const MAX_SHIFTS: usize = 512;

/// One shift type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftType {
    /// Its id, as the input names it.
    pub id: String,
    /// Paid length in minutes.
    pub minutes: u32,
    /// Shift types that may not be worked the day after this one (the rest interval, 勤務間インターバル,
    /// expressed as forbidden successions).
    pub cannot_follow: Vec<usize>,
}

/// One staff member's hard limits over the horizon.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffLimits {
    /// Their id, as the input names it.
    pub id: String,
    /// Per shift type, the most shifts of that type; 0 means they may never take it.
    pub max_shifts: Vec<u32>,
    /// Least total minutes over the horizon.
    pub min_minutes: u32,
    /// Most total minutes over the horizon.
    pub max_minutes: u32,
    /// Longest run of consecutive working days.
    pub max_consecutive_work: u32,
    /// Shortest run of consecutive working days (runs touching the horizon's edges are exempt).
    pub min_consecutive_work: u32,
    /// Shortest run of consecutive days off (runs touching the horizon's edges are exempt).
    pub min_consecutive_off: u32,
    /// Most weekends with any work.
    pub max_weekends: u32,
    /// Days they may not work (leave, days off), by day index.
    pub unavailable: Vec<usize>,
    /// Single (day, shift type) cells they may not take, e.g. where a fixed neighbouring shift with
    /// overtime leaves less than the rest interval.
    #[serde(default)]
    pub forbidden: Vec<(usize, usize)>,
    /// Successions forbidden to this person on one day only, as (day, shift type that day, shift
    /// type the next day): the explicit pairwise form of the rest interval where a shift worked
    /// with overtime ends later than its type says, so the shift types' own successions are
    /// inexact.
    #[serde(default)]
    pub forbidden_pairs: Vec<(usize, usize, usize)>,
    /// Cells they must work, as (day, shift type): work outside the problem that its rules
    /// must count (a day in another unit is a working day for the longest run), held as it is.
    #[serde(default)]
    pub fixed: Vec<(usize, usize)>,
}

impl StaffLimits {
    /// Per day of a horizon of `days` (and `n_shifts` shift types): the shift type fixed that
    /// day, if any; a cell outside them is left out (validation refuses it).
    pub fn fixed_by_day(&self, days: usize, n_shifts: usize) -> Vec<Option<usize>> {
        let mut by_day = vec![None; days];
        for &(d, t) in self
            .fixed
            .iter()
            .filter(|&&(d, t)| d < days && t < n_shifts)
        {
            by_day[d] = Some(t);
        }
        by_day
    }
}

/// Whether a request asks for a shift or asks to be spared it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// Wants to work exactly this shift that day; penalised when they do not.
    On,
    /// Wants not to work this shift that day; penalised when they do.
    Off,
}

/// A staff member's wish about one shift on one day (自己申告の勤務希望).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// Staff index.
    pub staff: usize,
    /// Day index.
    pub day: usize,
    /// Shift type index.
    pub shift: usize,
    /// Penalty when the wish is not met.
    pub weight: i64,
    /// On or off.
    pub kind: RequestKind,
}

/// The wanted number of people on some shifts of one day (one shift in the benchmark; every shift
/// of a unit for a whole-day line), optionally counting only some staff (those holding a
/// qualification), with the price of missing it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cover {
    /// Day index.
    pub day: usize,
    /// Shift type indices counted (at least one).
    pub shifts: Vec<usize>,
    /// Staff indices counted; `None` counts all staff.
    pub eligible: Option<Vec<usize>>,
    /// Wanted number of people.
    pub requirement: u32,
    /// Penalty per person short.
    pub under_weight: i64,
    /// Penalty per person too many.
    pub over_weight: i64,
}

/// The prices of departing from a published roster (non-disruptive replanning, for cover).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    /// The roster as published.
    pub published: Assignment,
    /// Per staff, per shift type: the price of a shift that the published roster does not have.
    pub add_cost: Vec<Vec<i64>>,
    /// Per staff: the extra price when that shift falls on a published day off.
    pub day_off_cost: Vec<i64>,
    /// Per staff: the price of taking away a published shift.
    pub remove_cost: Vec<i64>,
    /// Per staff (or empty: nobody): fairness within the plan. The k-th shift the person takes
    /// on beyond the published roster costs `(k − 1) × load_step` on top of its price, so the
    /// load spreads over colleagues instead of falling on one (a convex price; 0 turns it off).
    #[serde(default)]
    pub load_step: Vec<i64>,
}

/// A whole problem. Build one with the fields and call [`ShiftProblem::validate`] before solving.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftProblem {
    /// Number of days; day 0 is the first.
    pub days: usize,
    /// Weekends as day sets (usually Saturday and Sunday); a weekend is worked if any day is.
    pub weekends: Vec<Vec<usize>>,
    /// Shift types.
    pub shifts: Vec<ShiftType>,
    /// Staff and their limits.
    pub staff: Vec<StaffLimits>,
    /// Shift requests.
    pub requests: Vec<Request>,
    /// Cover wanted per day and shift.
    pub cover: Vec<Cover>,
    /// Prices of changes from a published roster, when replanning one.
    pub changes: Option<Changes>,
}

/// A problem that cannot be solved as given: the field and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct ProblemError {
    /// Path of the offending field, e.g. `staff[3].unavailable[2]`.
    pub field: String,
    /// What is wrong with it.
    pub reason: String,
}

/// A roster over the problem: per staff, per day, the shift type worked or `None` for a day off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// `cells[staff][day]`.
    pub cells: Vec<Vec<Option<usize>>>,
}

impl Assignment {
    /// Everybody off every day.
    pub fn all_off(problem: &ShiftProblem) -> Self {
        Assignment {
            cells: vec![vec![None; problem.days]; problem.staff.len()],
        }
    }
}

/// A hard rule broken by an assignment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HardBreach {
    /// Staff index.
    pub staff: usize,
    /// First day concerned, when the breach is tied to days.
    pub day: Option<usize>,
    /// What is broken, readable.
    pub message: String,
}

/// The penalty of an assignment by term, and the hard rules it breaks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Penalty for people missing from cover.
    pub under_cover: i64,
    /// Penalty for people beyond cover.
    pub over_cover: i64,
    /// Penalty for shift-on requests not met.
    pub on_requests: i64,
    /// Penalty for shift-off requests not met.
    pub off_requests: i64,
    /// Price of the changes from the published roster.
    pub changes: i64,
    /// Hard rules broken; empty for a lawful roster.
    pub breaches: Vec<HardBreach>,
}

impl Evaluation {
    /// The whole penalty.
    pub fn total(&self) -> i64 {
        self.under_cover + self.over_cover + self.on_requests + self.off_requests + self.changes
    }
}

impl ShiftProblem {
    /// Checks that every index is in range and every number sensible; reports all problems.
    pub fn validate(&self) -> Result<(), Vec<ProblemError>> {
        let mut errors = Vec::new();
        let mut err = |field: String, reason: String| errors.push(ProblemError { field, reason });
        if self.days == 0 || self.days > MAX_DAYS {
            err(
                "days".into(),
                format!("must be 1..={MAX_DAYS}, is {}", self.days),
            );
        }
        if self.staff.len() > MAX_STAFF {
            err(
                "staff".into(),
                format!("at most {MAX_STAFF} staff, got {}", self.staff.len()),
            );
        }
        if self.shifts.is_empty() || self.shifts.len() > MAX_SHIFTS {
            err(
                "shifts".into(),
                format!(
                    "must have 1..={MAX_SHIFTS} shift types, has {}",
                    self.shifts.len()
                ),
            );
        }
        let n_shifts = self.shifts.len();
        for (w, days) in self.weekends.iter().enumerate() {
            for (k, &d) in days.iter().enumerate() {
                if d >= self.days {
                    err(
                        format!("weekends[{w}][{k}]"),
                        format!("day {d} is outside the horizon of {} days", self.days),
                    );
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (s, shift) in self.shifts.iter().enumerate() {
            if !seen.insert(shift.id.as_str()) {
                err(
                    format!("shifts[{s}].id"),
                    format!("duplicate shift id {:?}", shift.id),
                );
            }
            if shift.minutes == 0 || shift.minutes > 24 * 60 {
                err(
                    format!("shifts[{s}].minutes"),
                    format!("must be 1..=1440, is {}", shift.minutes),
                );
            }
            for (k, &t) in shift.cannot_follow.iter().enumerate() {
                if t >= n_shifts {
                    err(
                        format!("shifts[{s}].cannot_follow[{k}]"),
                        format!("no shift type with index {t}"),
                    );
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (i, person) in self.staff.iter().enumerate() {
            if !seen.insert(person.id.as_str()) {
                err(
                    format!("staff[{i}].id"),
                    format!("duplicate staff id {:?}", person.id),
                );
            }
            if person.max_shifts.len() != n_shifts {
                err(
                    format!("staff[{i}].max_shifts"),
                    format!(
                        "needs one limit per shift type ({n_shifts}), has {}",
                        person.max_shifts.len()
                    ),
                );
            }
            if person.min_minutes > person.max_minutes {
                err(
                    format!("staff[{i}].min_minutes"),
                    format!(
                        "{} is more than max_minutes {}",
                        person.min_minutes, person.max_minutes
                    ),
                );
            }
            if person.min_consecutive_work > person.max_consecutive_work {
                err(
                    format!("staff[{i}].min_consecutive_work"),
                    format!(
                        "{} is more than max_consecutive_work {}",
                        person.min_consecutive_work, person.max_consecutive_work
                    ),
                );
            }
            for (k, &(d, t)) in person.forbidden.iter().enumerate() {
                if d >= self.days || t >= n_shifts {
                    err(
                        format!("staff[{i}].forbidden[{k}]"),
                        format!("day {d} or shift type {t} does not exist"),
                    );
                }
            }
            for (k, &(d, t, next)) in person.forbidden_pairs.iter().enumerate() {
                if d + 1 >= self.days || t >= n_shifts || next >= n_shifts {
                    err(
                        format!("staff[{i}].forbidden_pairs[{k}]"),
                        format!("day {d} and the next, or shift type {t} or {next}, do not exist"),
                    );
                }
            }
            let mut fixed_days = std::collections::HashSet::new();
            for (k, &(d, t)) in person.fixed.iter().enumerate() {
                if d >= self.days || t >= n_shifts {
                    err(
                        format!("staff[{i}].fixed[{k}]"),
                        format!("day {d} or shift type {t} does not exist"),
                    );
                } else if !fixed_days.insert(d) {
                    err(
                        format!("staff[{i}].fixed[{k}]"),
                        format!("a second cell fixed on day {d}"),
                    );
                } else if person.unavailable.contains(&d) {
                    err(
                        format!("staff[{i}].fixed[{k}]"),
                        format!("day {d} is both fixed and unavailable"),
                    );
                }
            }
            for (k, &d) in person.unavailable.iter().enumerate() {
                if d >= self.days {
                    err(
                        format!("staff[{i}].unavailable[{k}]"),
                        format!("day {d} is outside the horizon of {} days", self.days),
                    );
                }
            }
        }
        for (r, request) in self.requests.iter().enumerate() {
            self.check_cell(
                &mut err,
                &format!("requests[{r}]"),
                Some(request.staff),
                request.day,
                request.shift,
            );
            if request.weight < 0 || request.weight > 1_000_000 {
                err(
                    format!("requests[{r}].weight"),
                    format!("must be 0..=1000000, is {}", request.weight),
                );
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (c, cover) in self.cover.iter().enumerate() {
            if cover.shifts.is_empty() {
                err(format!("cover[{c}].shifts"), "counts no shift type".into());
            }
            for (k, &t) in cover.shifts.iter().enumerate() {
                self.check_cell(&mut err, &format!("cover[{c}]"), None, cover.day, t);
                if cover.shifts[..k].contains(&t) {
                    err(
                        format!("cover[{c}].shifts[{k}]"),
                        format!("names shift type {t} twice"),
                    );
                }
            }
            if cover.eligible.is_none() && !seen.insert((cover.day, cover.shifts.clone())) {
                err(
                    format!("cover[{c}]"),
                    format!(
                        "a second cover line for day {} shifts {:?}",
                        cover.day, cover.shifts
                    ),
                );
            }
            for (k, &i) in cover.eligible.iter().flatten().enumerate() {
                if i >= self.staff.len() {
                    err(
                        format!("cover[{c}].eligible[{k}]"),
                        format!("no staff with index {i}"),
                    );
                }
            }
            for (name, weight) in [
                ("under_weight", cover.under_weight),
                ("over_weight", cover.over_weight),
            ] {
                if !(0..=1_000_000).contains(&weight) {
                    err(
                        format!("cover[{c}].{name}"),
                        format!("must be 0..=1000000, is {weight}"),
                    );
                }
            }
            if cover.requirement as usize > self.staff.len() {
                err(
                    format!("cover[{c}].requirement"),
                    format!(
                        "{} people wanted but only {} staff exist",
                        cover.requirement,
                        self.staff.len()
                    ),
                );
            }
        }
        if let Some(changes) = &self.changes {
            if changes.published.cells.len() != self.staff.len()
                || changes
                    .published
                    .cells
                    .iter()
                    .any(|row| row.len() != self.days)
            {
                err(
                    "changes.published".into(),
                    "needs one row of `days` cells per staff member".into(),
                );
            }
            if changes
                .published
                .cells
                .iter()
                .flatten()
                .flatten()
                .any(|&t| t >= n_shifts)
            {
                err(
                    "changes.published".into(),
                    "names a shift type that does not exist".into(),
                );
            }
            if changes.add_cost.len() != self.staff.len()
                || changes.add_cost.iter().any(|row| row.len() != n_shifts)
            {
                err(
                    "changes.add_cost".into(),
                    "needs one price per staff member and shift type".into(),
                );
            }
            if !changes.load_step.is_empty() && changes.load_step.len() != self.staff.len() {
                err(
                    "changes.load_step".into(),
                    "needs one step per staff member, or none".into(),
                );
            }
            if let Some(i) = changes.load_step.iter().position(|&s| s < 0) {
                err(
                    format!("changes.load_step[{i}]"),
                    format!("must not be negative, is {}", changes.load_step[i]),
                );
            }
            if changes.remove_cost.len() != self.staff.len()
                || changes.day_off_cost.len() != self.staff.len()
            {
                err(
                    "changes.remove_cost".into(),
                    "remove_cost and day_off_cost need one price per staff member".into(),
                );
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn check_cell(
        &self,
        err: &mut impl FnMut(String, String),
        path: &str,
        staff: Option<usize>,
        day: usize,
        shift: usize,
    ) {
        if let Some(i) = staff {
            if i >= self.staff.len() {
                err(format!("{path}.staff"), format!("no staff with index {i}"));
            }
        }
        if day >= self.days {
            err(
                format!("{path}.day"),
                format!("day {day} is outside the horizon of {} days", self.days),
            );
        }
        if shift >= self.shifts.len() {
            err(
                format!("{path}.shift"),
                format!("no shift type with index {shift}"),
            );
        }
    }

    /// Per staff, per day: may they work at all (not unavailable)?
    pub fn available(&self) -> Vec<Vec<bool>> {
        self.staff
            .iter()
            .map(|person| self.open_days(person))
            .collect()
    }

    /// Per day, the weekend (index into `weekends`) it belongs to, if any.
    pub fn weekend_of(&self) -> Vec<Option<usize>> {
        let mut of = vec![None; self.days];
        for (w, days) in self.weekends.iter().enumerate() {
            for &d in days {
                if let Some(slot) = of.get_mut(d) {
                    *slot = Some(w);
                }
            }
        }
        of
    }

    /// One person's days: may they work at all?
    fn open_days(&self, person: &StaffLimits) -> Vec<bool> {
        let mut open = vec![true; self.days];
        for &d in &person.unavailable {
            if let Some(slot) = open.get_mut(d) {
                *slot = false;
            }
        }
        open
    }

    /// The penalty of an assignment by term, and every hard rule it breaks. This is plain code,
    /// independent of the MILP, so the solver's answers can be re-checked by it.
    pub fn evaluate(&self, roster: &Assignment) -> Evaluation {
        let mut eval = Evaluation::default();
        let available = self.available();
        let mut count = vec![vec![0u32; self.shifts.len()]; self.days];
        for (i, person) in self.staff.iter().enumerate() {
            let Some(row) = roster.cells.get(i) else {
                eval.breaches.push(HardBreach {
                    staff: i,
                    day: None,
                    message: "no roster row".into(),
                });
                continue;
            };
            if row.len() != self.days {
                eval.breaches.push(HardBreach {
                    staff: i,
                    day: None,
                    message: format!(
                        "roster row has {} days, the horizon {}",
                        row.len(),
                        self.days
                    ),
                });
                continue;
            }
            self.evaluate_person(i, person, row, &available[i], &mut eval.breaches);
            for (d, cell) in row.iter().enumerate() {
                if let Some(t) = *cell {
                    if t < self.shifts.len() {
                        count[d][t] += 1;
                    }
                }
            }
        }
        for cover in &self.cover {
            let n = match (&cover.eligible, cover.shifts.as_slice()) {
                (None, [t]) => count[cover.day][*t] as i64,
                _ => {
                    let counted = |i: &usize| {
                        let worked = roster
                            .cells
                            .get(*i)
                            .and_then(|row| row.get(cover.day))
                            .copied()
                            .flatten();
                        worked.is_some_and(|t| cover.shifts.contains(&t))
                    };
                    match &cover.eligible {
                        Some(staff) => staff.iter().filter(|i| counted(i)).count() as i64,
                        None => (0..self.staff.len()).filter(counted).count() as i64,
                    }
                }
            };
            let want = cover.requirement as i64;
            eval.under_cover += (want - n).max(0) * cover.under_weight;
            eval.over_cover += (n - want).max(0) * cover.over_weight;
        }
        if let Some(changes) = &self.changes {
            eval.changes = changes.price(roster);
        }
        for request in &self.requests {
            let worked = roster
                .cells
                .get(request.staff)
                .and_then(|row| row.get(request.day))
                .copied()
                .flatten();
            let on_it = worked == Some(request.shift);
            match request.kind {
                RequestKind::On if !on_it => eval.on_requests += request.weight,
                RequestKind::Off if on_it => eval.off_requests += request.weight,
                _ => {}
            }
        }
        eval
    }

    /// The hard rules one person's row breaks (their own rules only; cover is not a hard rule).
    pub fn person_breaches(&self, i: usize, row: &[Option<usize>]) -> Vec<HardBreach> {
        let mut out = Vec::new();
        if let Some(person) = self.staff.get(i) {
            self.evaluate_person(i, person, row, &self.open_days(person), &mut out);
        }
        out
    }

    fn evaluate_person(
        &self,
        i: usize,
        person: &StaffLimits,
        row: &[Option<usize>],
        available: &[bool],
        out: &mut Vec<HardBreach>,
    ) {
        let mut breach = |day: Option<usize>, message: String| {
            out.push(HardBreach {
                staff: i,
                day,
                message,
            })
        };
        let barred: std::collections::HashSet<(usize, usize)> =
            person.forbidden.iter().copied().collect();
        let barred_pairs: std::collections::HashSet<(usize, usize, usize)> =
            person.forbidden_pairs.iter().copied().collect();
        let mut per_shift = vec![0u32; self.shifts.len()];
        let mut minutes = 0u64;
        for (d, cell) in row.iter().enumerate() {
            let Some(t) = *cell else { continue };
            let Some(shift) = self.shifts.get(t) else {
                breach(Some(d), format!("unknown shift type index {t}"));
                continue;
            };
            per_shift[t] += 1;
            minutes += shift.minutes as u64;
            if barred.contains(&(d, t)) {
                breach(
                    Some(d),
                    format!("works {} on a day that shift is barred to them", shift.id),
                );
            }
            if !available[d] {
                breach(
                    Some(d),
                    format!("works {} on a day they are unavailable", shift.id),
                );
            }
            if let Some(Some(next)) = row.get(d + 1) {
                if shift.cannot_follow.contains(next) {
                    breach(
                        Some(d),
                        format!(
                            "{} the day after {} is a forbidden succession",
                            self.shifts[*next].id, shift.id
                        ),
                    );
                } else if barred_pairs.contains(&(d, t, *next)) {
                    breach(
                        Some(d),
                        format!(
                            "{} the day after {} is a forbidden succession on that day",
                            self.shifts[*next].id, shift.id
                        ),
                    );
                }
            }
        }
        for &(d, t) in &person.fixed {
            if row.get(d).copied().flatten() != Some(t) {
                let shift = self.shifts.get(t).map_or("?", |s| s.id.as_str());
                breach(Some(d), format!("does not work {shift}, fixed on that day"));
            }
        }
        for (t, &n) in per_shift.iter().enumerate() {
            let limit = person.max_shifts.get(t).copied().unwrap_or(0);
            if n > limit {
                breach(
                    None,
                    format!("{n} {} shifts, at most {limit}", self.shifts[t].id),
                );
            }
        }
        if minutes < person.min_minutes as u64 || minutes > person.max_minutes as u64 {
            breach(
                None,
                format!(
                    "{minutes} minutes, allowed {}..={}",
                    person.min_minutes, person.max_minutes
                ),
            );
        }
        for run in runs(row) {
            let len = (run.end - run.start) as u32;
            let inside = run.start > 0 && run.end < row.len();
            if run.working && len > person.max_consecutive_work {
                breach(
                    Some(run.start),
                    format!(
                        "{len} working days in a row, at most {}",
                        person.max_consecutive_work
                    ),
                );
            }
            if run.working && inside && len < person.min_consecutive_work {
                breach(
                    Some(run.start),
                    format!(
                        "{len} working days in a row, at least {}",
                        person.min_consecutive_work
                    ),
                );
            }
            if !run.working && inside && len < person.min_consecutive_off {
                breach(
                    Some(run.start),
                    format!(
                        "{len} days off in a row, at least {}",
                        person.min_consecutive_off
                    ),
                );
            }
        }
        let weekends = self
            .weekends
            .iter()
            .filter(|days| {
                days.iter()
                    .any(|&d| row.get(d).copied().flatten().is_some())
            })
            .count() as u32;
        if weekends > person.max_weekends {
            breach(
                None,
                format!(
                    "{weekends} weekends worked, at most {}",
                    person.max_weekends
                ),
            );
        }
    }
}

impl Changes {
    /// Per staff, the shifts `roster` gives them that the published roster does not: the load
    /// the fairness price grows with.
    pub fn loads(&self, roster: &Assignment) -> Vec<usize> {
        roster
            .cells
            .iter()
            .zip(&self.published.cells)
            .map(|(row, published)| {
                row.iter()
                    .zip(published)
                    .filter(|(now, before)| now.is_some() && now != before)
                    .count()
            })
            .collect()
    }

    /// The price of `roster` against the published one.
    pub fn price(&self, roster: &Assignment) -> i64 {
        let mut total = 0;
        let loads = self.loads(roster);
        for (i, (row, published)) in roster.cells.iter().zip(&self.published.cells).enumerate() {
            let load = loads[i] as i64;
            let step = self.load_step.get(i).copied().unwrap_or(0);
            total += step * load * (load - 1).max(0) / 2;
            for (now, before) in row.iter().zip(published) {
                if now == before {
                    continue;
                }
                if before.is_some() {
                    total += self.remove_cost.get(i).copied().unwrap_or(0);
                }
                if let Some(t) = *now {
                    total += self
                        .add_cost
                        .get(i)
                        .and_then(|c| c.get(t))
                        .copied()
                        .unwrap_or(0);
                    if before.is_none() {
                        total += self.day_off_cost.get(i).copied().unwrap_or(0);
                    }
                }
            }
        }
        total
    }
}

/// A maximal run of working days or of days off, `start..end`.
struct Run {
    start: usize,
    end: usize,
    working: bool,
}

fn runs(row: &[Option<usize>]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for (d, cell) in row.iter().enumerate() {
        let working = cell.is_some();
        match out.last_mut() {
            Some(run) if run.working == working => run.end = d + 1,
            _ => out.push(Run {
                start: d,
                end: d + 1,
                working,
            }),
        }
    }
    out
}

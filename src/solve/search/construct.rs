//! A quick lawful start for long horizons: one person at a time, one day at a time, in plain code.
//!
//! On a year of days HiGHS needs seconds to find even a first lawful row for one person (the run
//! rules make the relaxation weak), and a hundred and fifty people do not fit in a minute that
//! way. This builder walks the days once per person, working where cover is short or a request
//! asks for it, resting where cover is full, and keeps the person's rules as it goes: runs are
//! only started when they can reach their minimum length, rest before work is long enough, the
//! pace of minutes keeps the band in reach, weekends and per-type maxima are counted, and a shift
//! never follows one that forbids it. The row is then checked by [`ShiftProblem::person_breaches`];
//! the rare row that still breaks a rule is left to HiGHS.

use crate::solve::problem::{Assignment, RequestKind, ShiftProblem};
use std::collections::HashMap;

/// The number of people each cover line counts in the roster being built, and which lines a
/// (day, shift) cell falls on.
pub(super) struct Coverage {
    /// Per day, per shift type: the cover lines a worked cell counts towards.
    lines_at: Vec<Vec<Vec<usize>>>,
    /// Per cover line: people counted now.
    count: Vec<i64>,
}

impl Coverage {
    /// The counts of `roster`.
    pub(super) fn new(problem: &ShiftProblem, roster: &Assignment) -> Self {
        let mut lines_at = vec![vec![Vec::new(); problem.shifts.len()]; problem.days];
        for (c, cover) in problem.cover.iter().enumerate() {
            for &t in &cover.shifts {
                if let Some(slot) = lines_at.get_mut(cover.day).and_then(|d| d.get_mut(t)) {
                    slot.push(c);
                }
            }
        }
        let mut coverage = Coverage {
            lines_at,
            count: vec![0; problem.cover.len()],
        };
        for (i, row) in roster.cells.iter().enumerate() {
            coverage.add_row(problem, i, row, 1);
        }
        coverage
    }

    /// Adds (`sign` = 1) or removes (−1) one person's row.
    pub(super) fn add_row(
        &mut self,
        problem: &ShiftProblem,
        i: usize,
        row: &[Option<usize>],
        sign: i64,
    ) {
        for (d, cell) in row.iter().enumerate() {
            self.add_cell(problem, i, d, *cell, sign);
        }
    }

    /// Adds (`sign` = 1) or removes (−1) person `i`'s cell on day `d`.
    pub(super) fn add_cell(
        &mut self,
        problem: &ShiftProblem,
        i: usize,
        d: usize,
        cell: Option<usize>,
        sign: i64,
    ) {
        let Some(t) = cell else { return };
        let Some(lines) = self.lines_at.get(d).and_then(|d| d.get(t)) else {
            return;
        };
        for &c in lines {
            if counts(problem, c, i) {
                self.count[c] += sign;
            }
        }
    }

    /// The cover lines a worked (day, shift) cell falls on.
    pub(super) fn lines(&self, d: usize, t: usize) -> &[usize] {
        self.lines_at
            .get(d)
            .and_then(|d| d.get(t))
            .map_or(&[], Vec::as_slice)
    }

    /// People counted by cover line `c` now.
    pub(super) fn count(&self, c: usize) -> i64 {
        self.count.get(c).copied().unwrap_or(0)
    }

    /// How much the cover penalty falls when person `i` works `t` on day `d` (negative when it
    /// rises).
    fn gain(&self, problem: &ShiftProblem, i: usize, d: usize, t: usize) -> i64 {
        let Some(lines) = self.lines_at.get(d).and_then(|d| d.get(t)) else {
            return 0;
        };
        lines
            .iter()
            .filter(|&&c| counts(problem, c, i))
            .map(|&c| {
                let cover = &problem.cover[c];
                if self.count[c] < cover.requirement as i64 {
                    cover.under_weight
                } else {
                    -cover.over_weight
                }
            })
            .sum()
    }
}

/// What person `i` working `row` is worth against the others in `coverage` (which must not count
/// `i`): the cover penalty it saves plus the requests it meets, less those it breaks.
pub(super) fn row_value(
    problem: &ShiftProblem,
    i: usize,
    row: &[Option<usize>],
    coverage: &Coverage,
    wishes: &HashMap<(usize, usize), i64>,
) -> i64 {
    row.iter()
        .enumerate()
        .filter_map(|(d, cell)| cell.map(|t| (d, t)))
        .map(|(d, t)| coverage.gain(problem, i, d, t) + wishes.get(&(d, t)).copied().unwrap_or(0))
        .sum()
}

/// Person `i`'s requests as a value per worked (day, shift): on requests positive, off negative.
/// (An on request missed costs its weight whatever is worked instead, so only the requested
/// cell carries it.)
pub(super) fn wishes(problem: &ShiftProblem, i: usize) -> HashMap<(usize, usize), i64> {
    let mut wish: HashMap<(usize, usize), i64> = HashMap::new();
    for r in problem.requests.iter().filter(|r| r.staff == i) {
        let w = match r.kind {
            RequestKind::On => r.weight,
            RequestKind::Off => -r.weight,
        };
        *wish.entry((r.day, r.shift)).or_default() += w;
    }
    wish
}

/// Whether cover line `c` counts person `i`.
fn counts(problem: &ShiftProblem, c: usize, i: usize) -> bool {
    problem.cover[c]
        .eligible
        .as_ref()
        .is_none_or(|staff| staff.contains(&i))
}

/// A row for person `i` against the others' cover in `coverage`, built day by day. It keeps the
/// person's rules in nearly every case; the caller checks it.
pub(super) fn greedy_row(
    problem: &ShiftProblem,
    available: &[bool],
    i: usize,
    coverage: &Coverage,
) -> Vec<Option<usize>> {
    let days = problem.days;
    let person = &problem.staff[i];
    let n_shifts = problem.shifts.len();
    let wish = wishes(problem, i);
    let barred: std::collections::HashSet<(usize, usize)> =
        person.forbidden.iter().copied().collect();
    let barred_pairs: std::collections::HashSet<(usize, usize, usize)> =
        person.forbidden_pairs.iter().copied().collect();
    let weekend_of = problem.weekend_of();
    let fixed = person.fixed_by_day(days, problem.shifts.len());
    // Per day: how many fixed days follow it without a break, which a run through it must
    // have room for.
    let mut fixed_after = vec![0usize; days + 1];
    for d in (0..days).rev() {
        fixed_after[d] = match fixed.get(d + 1) {
            Some(Some(_)) => fixed_after[d + 1] + 1,
            _ => 0,
        };
    }
    let shortest = problem
        .shifts
        .iter()
        .enumerate()
        .filter(|(t, _)| person.max_shifts[*t] > 0)
        .map(|(_, s)| s.minutes)
        .min()
        .unwrap_or(0);
    let min_work = person.min_consecutive_work.max(1) as usize;
    let max_work = person.max_consecutive_work as usize;
    let min_off = person.min_consecutive_off.max(1) as usize;
    // Aim a little above the least minutes, so that late rests and full weekends do not leave
    // the band out of reach.
    let aim =
        person.min_minutes as f64 + 0.35 * (person.max_minutes as f64 - person.min_minutes as f64);

    let mut row: Vec<Option<usize>> = vec![None; days];
    let mut per_type = vec![0u32; n_shifts];
    let mut minutes = 0u32;
    let mut weekends_worked = vec![false; problem.weekends.len()];
    let mut weekends_used = 0u32;
    // The current run: working or not, its length, and whether it began on day 0 (exempt from
    // the minimum lengths).
    let mut working = false;
    let mut run = 0usize;
    let mut from_start = true;

    // Can person work *some* shift on day `e` as far as the day alone tells?
    let day_open = |e: usize, weekends_used: u32, weekends_worked: &[bool]| -> bool {
        if e >= days || !available[e] {
            return false;
        }
        match weekend_of[e] {
            Some(w) => weekends_worked[w] || weekends_used < person.max_weekends,
            None => true,
        }
    };
    for d in 0..days {
        // The shifts that may be worked today, with what each is worth.
        let prev = if d > 0 { row[d - 1] } else { None };
        let mut best: Option<(i64, usize)> = None;
        for (t, shift) in problem.shifts.iter().enumerate() {
            if per_type[t] >= person.max_shifts[t]
                || fixed[d].is_some_and(|f| f != t)
                || barred.contains(&(d, t))
                || minutes + shift.minutes > person.max_minutes
                || prev.is_some_and(|p| {
                    problem.shifts[p].cannot_follow.contains(&t)
                        || barred_pairs.contains(&(d - 1, p, t))
                })
            {
                continue;
            }
            // Inside a run that must go on tomorrow, tomorrow needs a shift that may follow.
            let must_go_on = if working { run + 1 } else { 1 } < min_work && d + 1 < days;
            if must_go_on
                && !(0..n_shifts).any(|u| {
                    person.max_shifts[u] > per_type[u] + u32::from(u == t)
                        && !shift.cannot_follow.contains(&u)
                })
            {
                continue;
            }
            let value = 4 * coverage.gain(problem, i, d, t)
                + 4 * wish.get(&(d, t)).copied().unwrap_or(0)
                // Staying on the same shift keeps the next day's options open.
                + i64::from(prev == Some(t));
            if best.is_none_or(|(v, _)| value > v) {
                best = Some((value, t));
            }
        }
        let open = day_open(d, weekends_used, &weekends_worked);
        let can_work = open
            && best.is_some()
            && if working {
                run + fixed_after[d] < max_work
            } else if fixed_after[d] >= max_work {
                false
            } else {
                // A new run needs its rest behind it and room for its minimum length ahead.
                (from_start || run >= min_off)
                    && (d..d + min_work).all(|e| {
                        e >= days
                            || (day_open(e, weekends_used, &weekends_worked) && {
                                let ahead = (e - d) as u32 + 1;
                                minutes + ahead * shortest <= person.max_minutes
                            })
                    })
            };
        let must_work = working && run < min_work && !from_start && can_work;
        // Pace: minutes worked against the share of the horizon gone.
        let pace = aim * (d + 1) as f64 / days as f64;
        let behind = (minutes as f64) < pace;
        // Never far ahead of the most minutes' pace: a person who works every short day early
        // has nothing left for the end of the horizon.
        let ceiling = person.max_minutes as f64 * (d + 1) as f64 / days as f64;
        let ahead = minutes as f64 > ceiling + 2.0 * shortest as f64;
        let value = best.map_or(i64::MIN, |(v, _)| v);
        let work = (fixed[d].is_some() && best.is_some())
            || can_work
                && (must_work
                    || (working && run < min_work)
                    || (behind && value > -400)
                    || (!ahead && value > 0));
        if work {
            let Some((_, t)) = best else { continue };
            row[d] = Some(t);
            per_type[t] += 1;
            minutes += problem.shifts[t].minutes;
            if let Some(w) = weekend_of[d] {
                if !weekends_worked[w] {
                    weekends_worked[w] = true;
                    weekends_used += 1;
                }
            }
        }
        if work == working {
            run += 1;
        } else {
            from_start = false;
            working = work;
            run = 1;
        }
    }
    row
}

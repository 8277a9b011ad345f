//! Shift trades in plain code between the exact steps (勤務の入れ替え): two people trade their
//! cells over a block of consecutive days, or one person changes a single day's shift. A descent
//! takes every such move that lowers the penalty and keeps both people's rules; a simulated
//! annealing over the same moves also takes some that cost a little, to leave a local optimum.
//!
//! Once the search has the cover right, what is left is mostly requests worth a few points each,
//! met by trading shifts between colleagues. A trade keeps every cover line that counts both
//! people, so it only moves the requests; HiGHS finds such trades too, but only among the few
//! people a neighbourhood frees, at a fifth of a second a step, where this tries every pair and
//! every block in milliseconds. The rules are checked in full, and only for the rare move that
//! would pay.

use super::construct::Coverage;
use crate::solve::problem::{Assignment, RequestKind, ShiftProblem};
use std::time::Instant;

/// Share of annealing moves aimed at a cover line short of people.
const AIMED: f64 = 0.1;

/// What the trades need of the problem, laid out for quick lookups.
pub(super) struct Swapper<'a> {
    problem: &'a ShiftProblem,
    /// Shift types.
    shifts: usize,
    /// Per person, `day × shifts + shift`: may they work it (available, not barred, allowed)?
    allowed: Vec<Vec<bool>>,
    /// Per person, `day × shifts + shift`: the request penalty of working that cell, less what
    /// working it saves (off requests positive, on requests negative).
    wish: Vec<Vec<i64>>,
    /// `s × shifts + t`: shift t may not follow shift s.
    barred_next: Vec<bool>,
    /// Per person, sorted: (day, shift, next day's shift) successions barred on that day only.
    barred_pairs: Vec<Vec<(usize, usize, usize)>>,
    /// Per day: the weekend it belongs to.
    weekend_of: Vec<Option<usize>>,
    /// Per cover line: the people it counts, sorted, or `None` for everybody.
    eligible: Vec<Option<Vec<usize>>>,
    /// Per `day × shifts + shift`: every cover line the cell counts towards counts everybody, so
    /// two people trading it leave every count as it was.
    counted_alike: Vec<bool>,
    /// Per person, per day `d`: how many days before `d` hold a request of theirs (a prefix
    /// count, one entry longer than the horizon).
    wished_before: Vec<Vec<u32>>,
    /// Whether every cover line counts everybody: trades then only move requests.
    all_alike: bool,
    /// Longest block of days traded at once.
    block: usize,
}

impl<'a> Swapper<'a> {
    /// Lays `problem` out; `available` is [`ShiftProblem::available`].
    pub(super) fn new(problem: &'a ShiftProblem, available: &[Vec<bool>]) -> Self {
        let (days, shifts) = (problem.days, problem.shifts.len());
        let allowed = problem
            .staff
            .iter()
            .zip(available)
            .map(|(person, open)| {
                let mut cells = vec![false; days * shifts];
                for d in (0..days).filter(|&d| open[d]) {
                    for t in (0..shifts).filter(|&t| person.max_shifts[t] > 0) {
                        cells[d * shifts + t] = true;
                    }
                }
                for &(d, t) in &person.forbidden {
                    if let Some(cell) = cells.get_mut(d * shifts + t) {
                        *cell = false;
                    }
                }
                for &(d, t) in person.fixed.iter().filter(|&&(d, _)| d < days) {
                    for u in (0..shifts).filter(|&u| u != t) {
                        cells[d * shifts + u] = false;
                    }
                }
                cells
            })
            .collect();
        let mut wish = vec![vec![0i64; days * shifts]; problem.staff.len()];
        for r in &problem.requests {
            if let Some(cell) = wish
                .get_mut(r.staff)
                .and_then(|w| w.get_mut(r.day * shifts + r.shift))
            {
                *cell += match r.kind {
                    RequestKind::On => -r.weight,
                    RequestKind::Off => r.weight,
                };
            }
        }
        let mut barred_next = vec![false; shifts * shifts];
        for (s, shift) in problem.shifts.iter().enumerate() {
            for &t in &shift.cannot_follow {
                barred_next[s * shifts + t] = true;
            }
        }
        let barred_pairs = (problem.staff.iter())
            .map(|person| {
                let mut pairs = person.forbidden_pairs.clone();
                pairs.sort_unstable();
                pairs
            })
            .collect();
        let eligible = problem
            .cover
            .iter()
            .map(|c| {
                c.eligible.as_ref().map(|staff| {
                    let mut staff = staff.clone();
                    staff.sort_unstable();
                    staff
                })
            })
            .collect();
        let mut counted_alike = vec![true; days * shifts];
        for cover in problem.cover.iter().filter(|c| c.eligible.is_some()) {
            for &t in &cover.shifts {
                if let Some(cell) = counted_alike.get_mut(cover.day * shifts + t) {
                    *cell = false;
                }
            }
        }
        let wished_before = wish
            .iter()
            .map(|cells: &Vec<i64>| {
                let mut before = Vec::with_capacity(days + 1);
                let mut count = 0u32;
                before.push(0);
                for day in cells.chunks(shifts.max(1)).take(days) {
                    count += u32::from(day.iter().any(|&w| w != 0));
                    before.push(count);
                }
                before.resize(days + 1, count);
                before
            })
            .collect();
        let all_alike = counted_alike.iter().all(|&alike| alike);
        let longest_run = problem
            .staff
            .iter()
            .map(|p| p.max_consecutive_work.max(p.min_consecutive_off) as usize)
            .max()
            .unwrap_or(1);
        Swapper {
            problem,
            shifts,
            allowed,
            wish,
            barred_next,
            barred_pairs,
            weekend_of: problem.weekend_of(),
            eligible,
            counted_alike,
            wished_before,
            all_alike,
            block: (longest_run + 1).clamp(2, 10).min(days.max(1)),
        }
    }

    /// Improves `roster` in place by trades and single changes until none pays or `deadline`
    /// passes. Only moves of the people marked in `focus` are tried (trades with anyone): after
    /// a step that changed a few rows, those are where new trades can pay. Returns the penalty
    /// saved. `roster` must be lawful; it stays lawful.
    ///
    /// A problem that prices changes from a published roster is left to HiGHS: the fairness
    /// price grows with each person's whole load, so a cell's price is not its own.
    pub(super) fn descend(
        &self,
        roster: &mut Assignment,
        focus: &[bool],
        deadline: Instant,
    ) -> i64 {
        if self.problem.changes.is_some() {
            return 0;
        }
        let (n, days) = (self.problem.staff.len(), self.problem.days);
        let mut coverage = Coverage::new(self.problem, roster);
        let mut scratch = Scratch::new(self.shifts, self.problem.weekends.len());
        let mut saved = 0;
        let focused = |i: usize| focus.get(i).copied().unwrap_or(false);
        loop {
            let before = saved;
            for i in 0..n {
                if Instant::now() >= deadline {
                    return saved;
                }
                if focused(i) {
                    for d in 0..days {
                        saved += self.change_one(roster, &mut coverage, &mut scratch, i, d);
                    }
                }
                for j in (i + 1..n).filter(|&j| focused(i) || focused(j)) {
                    for d in 0..days {
                        if self.all_alike && !self.wished_near(i, d) && !self.wished_near(j, d) {
                            // Every count stays and no request moves: no block from d pays.
                            continue;
                        }
                        saved += self.trade(roster, &mut coverage, &mut scratch, i, j, d);
                    }
                }
            }
            if saved == before {
                return saved;
            }
        }
    }

    /// The starting temperature of [`Swapper::anneal`]: twice the typical small price of the
    /// problem (the mean request weight, or else the smallest cover weight), so that trading a
    /// met request for another is common at first, while giving up a person a cover line needs
    /// is rare unless that line's price is of the same order.
    pub(super) fn temperature(&self) -> f64 {
        let requests = &self.problem.requests;
        let typical = if requests.is_empty() {
            self.problem
                .cover
                .iter()
                .flat_map(|c| [c.under_weight, c.over_weight])
                .filter(|&w| w > 0)
                .min()
                .unwrap_or(1) as f64
        } else {
            requests.iter().map(|r| r.weight.max(1) as f64).sum::<f64>() / requests.len() as f64
        };
        2.0 * typical
    }

    /// Simulated annealing over the same moves, from `roster`: a random trade or change is taken
    /// when it pays, or, when it costs `δ`, with probability `e^(−δ/T)`, the temperature `T`
    /// falling from `hot` to a tenth of a point over `moves` moves when given (a reproducible
    /// run), else until `deadline`, which ends the run in either case. Leaves the best roster
    /// met in `roster` and returns the penalty it saved (0 when none beat the start).
    pub(super) fn anneal(
        &self,
        roster: &mut Assignment,
        rng: &mut impl rand::Rng,
        hot: f64,
        deadline: Instant,
        moves: Option<u64>,
    ) -> i64 {
        if self.problem.changes.is_some() || self.problem.staff.len() < 2 || self.problem.days == 0
        {
            return 0;
        }
        let (n, days) = (self.problem.staff.len(), self.problem.days);
        let mut coverage = Coverage::new(self.problem, roster);
        let mut scratch = Scratch::new(self.shifts, self.problem.weekends.len());
        let mut now = roster.clone();
        let (mut level, mut best) = (0i64, 0i64);
        let started = Instant::now();
        let span = deadline
            .saturating_duration_since(started)
            .as_secs_f64()
            .max(1e-3);
        let cold = 0.1f64.min(hot);
        let mut temperature = hot;
        let mut cells: Vec<(usize, usize, Option<usize>, Option<usize>)> = Vec::new();
        // Cover lines short of people, refreshed now and then: a share of the moves puts someone
        // on one of them.
        let mut short: Vec<usize> = Vec::new();
        for step in 0u64.. {
            if step % 256 == 0 {
                let by_clock = started.elapsed().as_secs_f64() / span;
                let done = moves.map_or(by_clock, |m| step as f64 / m.max(1) as f64);
                if done >= 1.0 || Instant::now() >= deadline {
                    break;
                }
                temperature = hot * (cold / hot).powf(done);
                short.clear();
                short.extend(
                    (0..self.problem.cover.len())
                        .filter(|&c| coverage.count(c) < self.problem.cover[c].requirement as i64),
                );
            }
            cells.clear();
            let aimed = !short.is_empty() && rng.random_bool(AIMED);
            let i = if aimed {
                // Someone who counts for a short line, onto one of its shifts that day.
                let line = &self.problem.cover[short[rng.random_range(0..short.len())]];
                let i = match &line.eligible {
                    Some(staff) if staff.is_empty() => continue,
                    Some(staff) => staff[rng.random_range(0..staff.len())],
                    None => rng.random_range(0..n),
                };
                let new = Some(line.shifts[rng.random_range(0..line.shifts.len())]);
                if i < n && new != now.cells[i][line.day] {
                    cells.push((i, line.day, now.cells[i][line.day], new));
                }
                i
            } else {
                rng.random_range(0..n)
            };
            let d = rng.random_range(0..days);
            let j = if aimed {
                None
            } else if rng.random_bool(0.8) {
                let j = rng.random_range(0..n - 1);
                let j = if j >= i { j + 1 } else { j };
                let end = (d + rng.random_range(0..self.block)).min(days - 1);
                for e in d..=end {
                    let (a, b) = (now.cells[i][e], now.cells[j][e]);
                    if a != b {
                        cells.push((i, e, a, b));
                        cells.push((j, e, b, a));
                    }
                }
                Some((j, end))
            } else {
                let t = rng.random_range(0..=self.shifts);
                let new = (t < self.shifts).then_some(t);
                if new != now.cells[i][d] {
                    cells.push((i, d, now.cells[i][d], new));
                }
                None
            };
            if cells.is_empty()
                || cells.iter().any(|&(p, e, _, new)| {
                    new.is_some_and(|t| !self.allowed[p][e * self.shifts + t])
                })
            {
                continue;
            }
            let delta = match j {
                Some((j, _)) => (cells.chunks(2))
                    .map(|pair| self.trade_delta(&coverage, i, j, pair[0].1, pair[0].2, pair[0].3))
                    .sum(),
                None => self.cell_delta(&coverage, &cells),
            };
            if delta > 0 && rng.random::<f64>() >= (-(delta as f64) / temperature).exp() {
                continue;
            }
            for &(p, e, _, new) in &cells {
                now.cells[p][e] = new;
            }
            let lawful = self.lawful(i, &now.cells[i], &mut scratch)
                && j.is_none_or(|(j, _)| self.lawful(j, &now.cells[j], &mut scratch));
            if !lawful {
                for &(p, e, old, _) in &cells {
                    now.cells[p][e] = old;
                }
                continue;
            }
            for &(p, e, old, new) in &cells {
                self.apply(&mut coverage, p, e, old, new);
            }
            level += delta;
            if level < best {
                best = level;
                roster.clone_from(&now);
            }
        }
        -best
    }

    /// The best lawful other value of person `i`'s cell on day `d`, taken when it pays.
    fn change_one(
        &self,
        roster: &mut Assignment,
        coverage: &mut Coverage,
        scratch: &mut Scratch,
        i: usize,
        d: usize,
    ) -> i64 {
        let old = roster.cells[i][d];
        let mut best: Option<(i64, Option<usize>)> = None;
        for new in std::iter::once(None).chain((0..self.shifts).map(Some)) {
            if new == old || new.is_some_and(|t| !self.allowed[i][d * self.shifts + t]) {
                continue;
            }
            let delta = self.cell_delta(coverage, &[(i, d, old, new)]);
            if delta < best.map_or(0, |(b, _)| b) {
                roster.cells[i][d] = new;
                if self.lawful(i, &roster.cells[i], scratch) {
                    best = Some((delta, new));
                }
                roster.cells[i][d] = old;
            }
        }
        let Some((delta, new)) = best else { return 0 };
        self.apply(coverage, i, d, old, new);
        roster.cells[i][d] = new;
        -delta
    }

    /// The best block of days from `d` that people `i` and `j` may trade, taken when it pays.
    fn trade(
        &self,
        roster: &mut Assignment,
        coverage: &mut Coverage,
        scratch: &mut Scratch,
        i: usize,
        j: usize,
        d: usize,
    ) -> i64 {
        let days = self.problem.days;
        let mut delta = 0;
        let mut best: Option<(i64, usize)> = None;
        for end in d..(d + self.block).min(days) {
            let (a, b) = (roster.cells[i][end], roster.cells[j][end]);
            if a == b {
                // The same cell on both sides: this block trades what the shorter one did.
                continue;
            }
            let allowed = |p: usize, cell: Option<usize>| {
                cell.is_none_or(|t| self.allowed[p][end * self.shifts + t])
            };
            if !allowed(i, b) || !allowed(j, a) {
                // A cell one of them may never work: every longer block holds it too.
                break;
            }
            delta += self.trade_delta(coverage, i, j, end, a, b);
            if delta < best.map_or(0, |(b, _)| b) {
                swap_block(roster, i, j, d, end);
                if self.lawful(i, &roster.cells[i], scratch)
                    && self.lawful(j, &roster.cells[j], scratch)
                {
                    best = Some((delta, end));
                }
                swap_block(roster, i, j, d, end);
            }
        }
        let Some((delta, end)) = best else { return 0 };
        for e in d..=end {
            let (a, b) = (roster.cells[i][e], roster.cells[j][e]);
            self.apply(coverage, i, e, a, b);
            self.apply(coverage, j, e, b, a);
        }
        swap_block(roster, i, j, d, end);
        -delta
    }

    /// Whether person `i` has a request on a day of the longest block from day `d`.
    fn wished_near(&self, i: usize, d: usize) -> bool {
        let before = &self.wished_before[i];
        let end = (d + self.block).min(before.len() - 1);
        before[end] > before[d.min(end)]
    }

    /// The change in penalty when person `i`, working `a` on day `d`, trades it for person `j`'s
    /// `b`. When every line either cell counts towards counts everybody, the counts stay and
    /// only the requests move: the descent prices millions of such trades on a year-long roster.
    fn trade_delta(
        &self,
        coverage: &Coverage,
        i: usize,
        j: usize,
        d: usize,
        a: Option<usize>,
        b: Option<usize>,
    ) -> i64 {
        let alike =
            |cell: Option<usize>| cell.is_none_or(|t| self.counted_alike[d * self.shifts + t]);
        if alike(a) && alike(b) {
            self.wish_at(i, d, b) - self.wish_at(i, d, a) + self.wish_at(j, d, a)
                - self.wish_at(j, d, b)
        } else {
            self.cell_delta(coverage, &[(i, d, a, b), (j, d, b, a)])
        }
    }

    /// The request penalty of person `i` working `cell` on day `d` (0 for the day off).
    fn wish_at(&self, i: usize, d: usize, cell: Option<usize>) -> i64 {
        cell.map_or(0, |t| self.wish[i][d * self.shifts + t])
    }

    /// The change in penalty when each `(person, day, old, new)` cell changes, all on one day.
    fn cell_delta(
        &self,
        coverage: &Coverage,
        cells: &[(usize, usize, Option<usize>, Option<usize>)],
    ) -> i64 {
        let problem = self.problem;
        let mut delta = 0;
        for &(i, d, old, new) in cells {
            delta += self.wish_at(i, d, new) - self.wish_at(i, d, old);
        }
        // Each line touched is priced once, with every change to it counted.
        let mut lines: Vec<(usize, i64)> = Vec::new();
        for &(i, d, old, new) in cells {
            for (cell, sign) in [(old, -1), (new, 1)] {
                let Some(t) = cell else { continue };
                for &c in coverage.lines(d, t) {
                    if !self.counts(c, i) {
                        continue;
                    }
                    match lines.iter_mut().find(|(line, _)| *line == c) {
                        Some((_, change)) => *change += sign,
                        None => lines.push((c, sign)),
                    }
                }
            }
        }
        for (c, change) in lines {
            if change != 0 {
                let line = &problem.cover[c];
                let price = |count: i64| {
                    let want = line.requirement as i64;
                    (want - count).max(0) * line.under_weight
                        + (count - want).max(0) * line.over_weight
                };
                let now = coverage.count(c);
                delta += price(now + change) - price(now);
            }
        }
        delta
    }

    /// Person `i`'s cell on day `d` goes from `old` to `new` in `coverage`.
    fn apply(
        &self,
        coverage: &mut Coverage,
        i: usize,
        d: usize,
        old: Option<usize>,
        new: Option<usize>,
    ) {
        if old == new {
            return;
        }
        coverage.add_cell(self.problem, i, d, old, -1);
        coverage.add_cell(self.problem, i, d, new, 1);
    }

    /// Whether cover line `c` counts person `i`.
    fn counts(&self, c: usize, i: usize) -> bool {
        self.eligible[c]
            .as_ref()
            .is_none_or(|staff| staff.binary_search(&i).is_ok())
    }

    /// Whether person `i`'s `row` keeps all their rules: the same rules as
    /// [`ShiftProblem::person_breaches`], without building the report.
    fn lawful(&self, i: usize, row: &[Option<usize>], scratch: &mut Scratch) -> bool {
        let person = &self.problem.staff[i];
        let shifts = &self.problem.shifts;
        scratch.reset();
        let mut minutes = 0u64;
        let (mut run, mut working) = (0usize, false);
        let mut run_start = 0usize;
        for (d, cell) in row.iter().enumerate() {
            if let Some(t) = *cell {
                if !self.allowed[i][d * self.shifts + t] {
                    return false;
                }
                scratch.per_type[t] += 1;
                if scratch.per_type[t] > person.max_shifts[t] {
                    return false;
                }
                minutes += shifts[t].minutes as u64;
                if let Some(&Some(next)) = row.get(d + 1) {
                    let pairs = &self.barred_pairs[i];
                    if self.barred_next[t * self.shifts + next]
                        || (!pairs.is_empty() && pairs.binary_search(&(d, t, next)).is_ok())
                    {
                        return false;
                    }
                }
                if let Some(w) = self.weekend_of[d] {
                    if !scratch.weekend[w] {
                        scratch.weekend[w] = true;
                        scratch.weekends += 1;
                        if scratch.weekends > person.max_weekends {
                            return false;
                        }
                    }
                }
            }
            let works = cell.is_some();
            if d > 0 && works == working {
                run += 1;
            } else {
                // The run that ended yesterday, when it lay inside the horizon.
                if d > 0 && run_start > 0 && !self.long_enough(person, working, run) {
                    return false;
                }
                working = works;
                run = 1;
                run_start = d;
            }
            if working && run as u32 > person.max_consecutive_work {
                return false;
            }
        }
        minutes >= person.min_minutes as u64
            && minutes <= person.max_minutes as u64
            && (person.fixed.iter()).all(|&(d, t)| row.get(d).copied().flatten() == Some(t))
    }

    /// Whether a run of `len` days, inside the horizon, is as long as the rules ask.
    fn long_enough(
        &self,
        person: &crate::solve::problem::StaffLimits,
        working: bool,
        len: usize,
    ) -> bool {
        let least = if working {
            person.min_consecutive_work
        } else {
            person.min_consecutive_off
        };
        len as u32 >= least
    }
}

/// Buffers `lawful` reuses between calls.
struct Scratch {
    per_type: Vec<u32>,
    weekend: Vec<bool>,
    weekends: u32,
}

impl Scratch {
    fn new(shifts: usize, weekends: usize) -> Self {
        Scratch {
            per_type: vec![0; shifts],
            weekend: vec![false; weekends],
            weekends: 0,
        }
    }

    fn reset(&mut self) {
        self.per_type.fill(0);
        self.weekend.fill(false);
        self.weekends = 0;
    }
}

/// People `i` and `j` trade their cells on days `from..=to`.
fn swap_block(roster: &mut Assignment, i: usize, j: usize, from: usize, to: usize) {
    let (low, high) = (i.min(j), i.max(j));
    let (head, tail) = roster.cells.split_at_mut(high);
    head[low][from..=to].swap_with_slice(&mut tail[0][from..=to]);
}

#[cfg(test)]
mod tests {
    use super::super::small_problems::{problem, random_row};
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use std::time::Duration;

    #[test]
    fn lawful_agrees_with_the_checker() {
        let (mut lawful_rows, mut unlawful_rows) = (0, 0);
        for seed in 0..400 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let problem = problem(&mut rng, seed % 2 == 0);
            let swapper = Swapper::new(&problem, &problem.available());
            let mut scratch = Scratch::new(problem.shifts.len(), problem.weekends.len());
            for _ in 0..20 {
                let i = rng.random_range(0..problem.staff.len());
                let row = random_row(&mut rng, &problem);
                let checker = problem.person_breaches(i, &row);
                assert_eq!(
                    swapper.lawful(i, &row, &mut scratch),
                    checker.is_empty(),
                    "seed {seed}, person {i}, row {row:?}: the checker says {checker:?}"
                );
                if checker.is_empty() {
                    lawful_rows += 1;
                } else {
                    unlawful_rows += 1;
                }
            }
        }
        assert!(
            lawful_rows > 100 && unlawful_rows > 100,
            "{lawful_rows} / {unlawful_rows}"
        );
    }

    #[test]
    fn moves_are_priced_as_the_checker_prices_them() {
        for seed in 0..300 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let problem = problem(&mut rng, false);
            let swapper = Swapper::new(&problem, &problem.available());
            let roster = Assignment {
                cells: (0..problem.staff.len())
                    .map(|_| random_row(&mut rng, &problem))
                    .collect(),
            };
            let coverage = Coverage::new(&problem, &roster);
            // A trade over a block, or one changed cell, priced against a full evaluation.
            let i = rng.random_range(0..problem.staff.len());
            let j = (i + 1) % problem.staff.len();
            let d = rng.random_range(0..problem.days);
            let end = (d + rng.random_range(0..3)).min(problem.days - 1);
            let mut after = roster.clone();
            let mut cells = Vec::new();
            if seed % 2 == 0 {
                for e in d..=end {
                    let (a, b) = (roster.cells[i][e], roster.cells[j][e]);
                    cells.push((i, e, a, b));
                    cells.push((j, e, b, a));
                }
                swap_block(&mut after, i, j, d, end);
            } else {
                let new = random_row(&mut rng, &problem)[d];
                cells.push((i, d, roster.cells[i][d], new));
                after.cells[i][d] = new;
            }
            let expected = problem.evaluate(&after).total() - problem.evaluate(&roster).total();
            assert_eq!(
                swapper.cell_delta(&coverage, &cells),
                expected,
                "seed {seed}"
            );
            if seed % 2 == 0 {
                // The same trade priced a day at a time, as the descent and annealing price it.
                let by_day: i64 = (d..=end)
                    .map(|e| {
                        let (a, b) = (roster.cells[i][e], roster.cells[j][e]);
                        swapper.trade_delta(&coverage, i, j, e, a, b)
                    })
                    .sum();
                assert_eq!(by_day, expected, "seed {seed}");
            }
        }
    }

    #[test]
    fn descent_and_annealing_keep_the_rules_and_report_what_they_saved() {
        let mut improved = 0;
        for seed in 0..200 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let problem = problem(&mut rng, true);
            let swapper = Swapper::new(&problem, &problem.available());
            let start = Assignment::all_off(&problem);
            let before = problem.evaluate(&start);
            assert!(before.breaches.is_empty());

            let mut annealed = start.clone();
            let deadline = Instant::now() + Duration::from_millis(5);
            let moves = (seed % 2 == 0).then_some(2_000);
            let saved = swapper.anneal(&mut annealed, &mut rng, 20.0, deadline, moves);
            let after = problem.evaluate(&annealed);
            assert!(
                after.breaches.is_empty(),
                "seed {seed}: {:?}",
                after.breaches
            );
            assert_eq!(before.total() - after.total(), saved, "seed {seed}");

            let mut descended = annealed.clone();
            let far = Instant::now() + Duration::from_secs(10);
            let everyone = vec![true; problem.staff.len()];
            let saved = swapper.descend(&mut descended, &everyone, far);
            let last = problem.evaluate(&descended);
            assert!(last.breaches.is_empty(), "seed {seed}: {:?}", last.breaches);
            assert_eq!(after.total() - last.total(), saved, "seed {seed}");
            // A local optimum: descending again finds nothing.
            assert_eq!(
                swapper.descend(&mut descended, &everyone, far),
                0,
                "seed {seed}"
            );
            if last.total() < before.total() {
                improved += 1;
            }
        }
        assert!(improved > 50, "only {improved} of 200 improved");
    }
}

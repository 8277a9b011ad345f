//! A person's cheapest lawful row at given prices per cell (価格付け, the pricing step of column
//! generation in [`super::pool`]), by dynamic programming over the days instead of a solver.
//!
//! A label is a lawful beginning of a row. Its *state* is what decides which days may follow: the
//! last day's shift, the length of the run it ends (capped where longer makes no difference),
//! whether that run began on the first day (such runs are exempt from the least lengths), whether
//! the weekend in progress is already worked, and the minutes so far (both a least and a most
//! bind them). Its *resources* only count up against a maximum: the shifts of each type whose
//! maximum can bind, and the weekends worked. Among labels in one state a label is dropped when
//! another is no dearer and uses no more of any resource (dominance); a label whose price, plus
//! the cheapest the remaining days could cost, exceeds the dearest row worth finding is dropped
//! too. Both only drop labels that cannot lead to a strictly cheaper lawful row, so the cheapest
//! label standing at the end is the cheapest lawful row.
//!
//! A beam of the same programme ([`RowPricer::cheap`]) keeps only the labels a day that look
//! cheapest: it finds good rows fast, proves nothing, and serves the rounds of column
//! generation in which any row that improves the relaxation will do.

use crate::solve::problem::ShiftProblem;
use rustc_hash::FxHashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Labels at which the programme gives up and the caller prices the person another way.
const MAX_LABELS: usize = 300_000;
/// Labels a day that [`RowPricer::cheap`] keeps.
const BEAM: usize = 200;
/// Labels of the last exact programme above which [`RowPricer::costly`] holds.
const COSTLY_LABELS: usize = 20_000;
/// The most entries of the table of costs to go (see [`RowPricer::to_go`]) that keeps minutes;
/// beyond it the table forgets them.
const TO_GO_ENTRIES: usize = 4_000_000;
/// The most states whose least cost to go a search for every row within a price remembers
/// ([`RowPricer::rows_within`]).
const ENUMERATION_STATES: usize = 500_000;
/// No parent: the label of the empty beginning.
const ROOT: u32 = u32::MAX;
/// The day off, as a state's last shift.
const OFF: u16 = u16::MAX;

/// One person's rules, laid out for the programme.
pub(super) struct RowPricer {
    days: usize,
    n_shifts: usize,
    /// Per `day × shifts + shift`: may the person take it at all?
    open: Vec<bool>,
    /// Per `shift × shifts + next`: may `next` be worked the day after `shift`?
    follows: Vec<bool>,
    /// (day, shift, next day's shift) successions barred on that day only.
    barred_pairs: rustc_hash::FxHashSet<(usize, usize, usize)>,
    /// Per day: the shift the person must work that day, if any.
    fixed: Vec<Option<usize>>,
    /// Per shift: its minutes.
    minutes: Vec<u32>,
    /// Per shift: its slot among the resources, when its maximum can bind.
    slot: Vec<Option<usize>>,
    /// Per resource slot: its maximum.
    most: Vec<u32>,
    /// The slot of the weekends worked, when their maximum can bind.
    weekend_slot: Option<usize>,
    /// Per resource slot: the shift it counts, or `None` for the weekends.
    slot_shift: Vec<Option<usize>>,
    /// Per `day × slots + slot`: at least as much as the days from that day on could add to the
    /// slot (a weekend is counted while any of its days is ahead, worked already or not).
    left: Vec<u32>,
    max_weekends: u32,
    /// Per day: `None` off a weekend, else whether the day continues the weekend of the last
    /// weekend day before it.
    weekend: Vec<Option<bool>>,
    /// Per day: whether a weekend day after it continues its latest weekend (so the state must
    /// remember whether that weekend is worked).
    weekend_open: Vec<bool>,
    min_minutes: u64,
    max_minutes: u64,
    max_work: u32,
    min_work: u32,
    min_off: u32,
    /// Whether `max_work` can bind within the horizon.
    work_binds: bool,
    /// Per day: the most minutes the days from it on could add.
    reach: Vec<u64>,
    /// The longest run a state tells apart.
    run_cap: usize,
    /// Minutes in the table of costs to go are counted in this unit (the greatest common
    /// divisor of the shifts' lengths); 0 when the table forgets minutes.
    unit: u32,
    /// Units of minutes the table counts up to (`max_minutes` in units; 0 when it forgets them).
    max_units: usize,
    /// Labels the last exact programme made, or `usize::MAX` before the first (see
    /// [`RowPricer::costly`]).
    labels: AtomicUsize,
}

/// What the programme found.
#[derive(Debug, PartialEq)]
pub(super) enum Cheapest {
    /// The cheapest lawful row and its price.
    Row(Vec<Option<usize>>, f64),
    /// No lawful row is as cheap as the ceiling.
    Nothing,
    /// The labels grew past [`MAX_LABELS`].
    GaveUp,
}

/// What decides which days may follow a beginning of a row; labels are compared within one.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct State {
    /// The last day's shift, or [`OFF`].
    last: u16,
    /// The length of the run the last day ends (capped where longer makes no difference).
    run: u16,
    /// Whether that run began on the first day.
    from_start: bool,
    /// Whether the weekend in progress is worked already.
    weekend_worked: bool,
    minutes: u32,
}

/// The beginning of a row before any day.
const START: State = State {
    last: OFF,
    run: 0,
    from_start: true,
    weekend_worked: false,
    minutes: 0,
};

struct Label {
    parent: u32,
    /// The shift taken on the label's day, or [`OFF`].
    choice: u16,
    cost: f64,
    state: State,
}

impl RowPricer {
    /// Person `i`'s programme, `available` being their days open to work. `None` when the
    /// problem's weekends share days or interleave, where one flag cannot tell whether the
    /// weekend in progress is worked.
    pub(super) fn new(problem: &ShiftProblem, i: usize, available: &[bool]) -> Option<Self> {
        let person = problem.staff.get(i)?;
        let (days, n_shifts) = (problem.days, problem.shifts.len());
        let mut open = vec![false; days * n_shifts];
        for d in (0..days).filter(|&d| available.get(d).copied().unwrap_or(false)) {
            for t in 0..n_shifts {
                open[d * n_shifts + t] = person.max_shifts.get(t).is_some_and(|&m| m > 0);
            }
        }
        for &(d, t) in &person.forbidden {
            if d < days && t < n_shifts {
                open[d * n_shifts + t] = false;
            }
        }
        let fixed = person.fixed_by_day(days, n_shifts);
        for (d, &t) in fixed.iter().enumerate() {
            for u in (0..n_shifts).filter(|&u| t.is_some_and(|t| u != t)) {
                open[d * n_shifts + u] = false;
            }
        }
        let mut follows = vec![true; n_shifts * n_shifts];
        for (t, shift) in problem.shifts.iter().enumerate() {
            for &next in shift.cannot_follow.iter().filter(|&&next| next < n_shifts) {
                follows[t * n_shifts + next] = false;
            }
        }
        let mut slot = vec![None; n_shifts];
        let mut most = Vec::new();
        let mut slot_shift = Vec::new();
        for t in 0..n_shifts {
            let max = person.max_shifts.get(t).copied().unwrap_or(0);
            let days_open = (0..days).filter(|&d| open[d * n_shifts + t]).count();
            if (max as usize) < days_open {
                slot[t] = Some(most.len());
                most.push(max);
                slot_shift.push(Some(t));
            }
        }
        // Weekends: each day in at most one, and each weekend's days before the next one's.
        let mut of = vec![None; days];
        for (w, members) in problem.weekends.iter().enumerate() {
            for &d in members.iter().filter(|&&d| d < days) {
                if of[d].replace(w).is_some() {
                    return None;
                }
            }
        }
        let mut weekend = vec![None; days];
        let mut left: Vec<bool> = vec![false; problem.weekends.len()];
        let mut latest: Option<usize> = None;
        for d in 0..days {
            let Some(w) = of[d] else { continue };
            if latest != Some(w) {
                if left[w] {
                    return None;
                }
                if let Some(before) = latest {
                    left[before] = true;
                }
            }
            weekend[d] = Some(latest == Some(w));
            latest = Some(w);
        }
        let mut weekend_open = vec![false; days];
        let mut next_continues = false;
        for d in (0..days).rev() {
            weekend_open[d] = next_continues;
            if let Some(continues) = weekend[d] {
                next_continues = continues;
            }
        }
        let weekends_in_reach = problem
            .weekends
            .iter()
            .filter(|members| members.iter().any(|&d| d < days && available[d]))
            .count();
        let weekend_slot = ((person.max_weekends as usize) < weekends_in_reach).then(|| {
            most.push(person.max_weekends);
            slot_shift.push(None);
            most.len() - 1
        });
        // Per day and slot: how much more of it the days from that day on could use.
        let r = most.len();
        let mut left = vec![0u32; (days + 1) * r];
        for d in (0..days).rev() {
            for (s, shift) in slot_shift.iter().enumerate() {
                let more = match shift {
                    Some(t) => u32::from(open[d * n_shifts + t]),
                    // A weekend counts once, on its last open day.
                    None => u32::from(of[d].is_some_and(|w| {
                        available[d] && !(d + 1..days).any(|e| of[e] == Some(w) && available[e])
                    })),
                };
                left[d * r + s] = left[(d + 1) * r + s] + more;
            }
        }
        let minutes: Vec<u32> = problem.shifts.iter().map(|s| s.minutes).collect();
        let mut reach = vec![0u64; days + 1];
        for d in (0..days).rev() {
            let most_today = (0..n_shifts)
                .filter(|&t| open[d * n_shifts + t])
                .map(|t| minutes[t] as u64)
                .max()
                .unwrap_or(0);
            reach[d] = reach[d + 1] + most_today;
        }
        RowPricer {
            days,
            n_shifts,
            open,
            follows,
            barred_pairs: person.forbidden_pairs.iter().copied().collect(),
            fixed,
            minutes,
            slot,
            most,
            weekend_slot,
            slot_shift,
            left,
            max_weekends: person.max_weekends,
            weekend,
            weekend_open,
            min_minutes: person.min_minutes as u64,
            max_minutes: person.max_minutes as u64,
            max_work: person.max_consecutive_work,
            min_work: person.min_consecutive_work,
            min_off: person.min_consecutive_off,
            work_binds: (person.max_consecutive_work as usize) < days,
            reach,
            run_cap: 0,
            unit: 0,
            max_units: 0,
            labels: AtomicUsize::new(usize::MAX),
        }
        .sized()
    }

    /// Sets the table of costs to go's dimensions; `None` when even without minutes it would
    /// be too large (thousands of days with long runs), where the caller prices another way.
    fn sized(mut self) -> Option<Self> {
        let work_cap = if self.work_binds {
            self.max_work
        } else {
            self.min_work.max(1)
        };
        self.run_cap = (work_cap.max(self.min_off.max(1)) as usize).min(self.days);
        let unit = (self.minutes.iter())
            .filter(|&&m| m > 0)
            .fold(0u32, |g, &m| gcd(g, m));
        let max_units = if unit == 0 {
            0
        } else {
            (self.max_minutes / unit as u64) as usize
        };
        let states = self.states();
        let entries = (self.days + 1)
            .saturating_mul(states)
            .saturating_mul(max_units.saturating_add(1));
        if unit > 0 && entries <= TO_GO_ENTRIES {
            self.unit = unit;
            self.max_units = max_units;
        }
        ((self.days + 1).saturating_mul(states) <= TO_GO_ENTRIES).then_some(self)
    }

    /// How many (last shift, run, began the row) states there are.
    fn states(&self) -> usize {
        (self.n_shifts + 1) * (self.run_cap + 1) * 2
    }

    /// A state's place in the table of costs to go, after day `d`.
    fn to_go_index(&self, d: usize, label: &State) -> usize {
        let last = if label.last == OFF {
            self.n_shifts
        } else {
            label.last as usize
        };
        let state =
            (last * (self.run_cap + 1) + label.run as usize) * 2 + label.from_start as usize;
        let units = (label.minutes.checked_div(self.unit)).map_or(0, |u| u as usize);
        ((d + 1) * self.states() + state) * (self.max_units + 1) + units
    }

    /// Per (day, state, minutes so far): the least the remaining days can cost under every rule
    /// but the per-type maxima and the count of weekends (and the minutes, where the table
    /// forgets them);
    /// infinity where no lawful ending exists. A backward programme over those states, exact for
    /// the rules it keeps, so it bounds what any label in that state can still reach.
    fn to_go(&self, price: &[f64]) -> Vec<f64> {
        let (days, n_shifts, width) = (self.days, self.n_shifts, self.n_shifts + 1);
        let states = self.states();
        let units = self.max_units + 1;
        let mut table = vec![f64::INFINITY; (days + 1) * states * units];
        let min_units = if self.unit == 0 {
            0
        } else {
            self.min_minutes.div_ceil(self.unit as u64) as usize
        };
        let last_day = days * states * units;
        for state in 0..states {
            for m in min_units.min(units)..units {
                table[last_day + state * units + m] = 0.0;
            }
        }
        // Each shift's minutes in the table's unit: a state's successors do not depend on its
        // minutes, which only shift along, so the minutes are the inner, contiguous loop.
        let shift_units: Vec<usize> = (self.minutes.iter())
            .map(|&m| (m.checked_div(self.unit)).map_or(0, |u| u as usize))
            .chain(std::iter::once(0))
            .collect();
        let mut scratch = vec![0u32; self.most.len()];
        for d in (0..days).rev() {
            for state in 0..states {
                let from_start = state % 2 == 1;
                let run = (state / 2) % (self.run_cap + 1);
                let last = state / 2 / (self.run_cap + 1);
                // States no label can be in after day d − 1 stay unreachable.
                let first = (d == 0) != (run == 0) || (d == 0 && (last != n_shifts || !from_start));
                if first || run > d {
                    continue;
                }
                let label = State {
                    last: if last == n_shifts { OFF } else { last as u16 },
                    run: run as u16,
                    from_start,
                    weekend_worked: false,
                    minutes: 0,
                };
                let here = (d * states + state) * units;
                for x in 0..width {
                    if x < n_shifts && !self.open[d * n_shifts + x] {
                        continue;
                    }
                    scratch.fill(0);
                    let Some(next) = self.step(&label, d, x, &mut scratch) else {
                        continue;
                    };
                    let shift = shift_units[x];
                    if shift >= units {
                        continue;
                    }
                    let after = self.to_go_index(d, &State { minutes: 0, ..next });
                    let cost = price[d * width + x];
                    let (head, tail) = table.split_at_mut(after);
                    let reached = &tail[shift..units];
                    for (best, &then) in head[here..here + units - shift].iter_mut().zip(reached) {
                        *best = best.min(cost + then);
                    }
                }
            }
        }
        table
    }

    /// The cheapest lawful row, where `price[day × (shifts + 1) + x]` is the price of shift `x`
    /// that day (`x = shifts`: the day off), among rows that cost at most `ceiling` (give the
    /// price of a lawful row known, or infinity). An infinite price forbids its cell (how a
    /// branch holds a person to or away from it).
    pub(super) fn cheapest(&self, price: &[f64], ceiling: f64) -> Cheapest {
        self.labelling(price, ceiling, None)
    }

    /// A cheap lawful row within `ceiling`, not proven the cheapest: the programme of
    /// [`RowPricer::cheapest`] keeping, after each day, only the [`BEAM`] labels whose price
    /// plus their least cost to go is lowest (a beam search). While the prices are still far
    /// from the relaxation's, any row below a person's price improves it, and the exact
    /// programme's labels grow with the horizon (a 42-day instance: seconds a round).
    pub(super) fn cheap(&self, price: &[f64], ceiling: f64) -> Cheapest {
        self.labelling(price, ceiling, Some(BEAM))
    }

    /// Whether the exact programme is worth sparing: its last run made many labels, or it has
    /// not run yet (the first prices of column generation are the wildest, and on a long
    /// horizon their labels grow past [`MAX_LABELS`]). Counted in labels, not seconds, so that a
    /// run bounded by its steps stays the same from one run to the next.
    pub(super) fn costly(&self) -> bool {
        self.labels.load(Ordering::Relaxed) > COSTLY_LABELS
    }

    /// The labelling of [`RowPricer::cheapest`], keeping at most `beam` labels a day when set.
    fn labelling(&self, price: &[f64], ceiling: f64, beam: Option<usize>) -> Cheapest {
        let (days, n_shifts) = (self.days, self.n_shifts);
        let width = n_shifts + 1;
        if price.len() != days * width {
            return Cheapest::GaveUp;
        }
        let to_go = self.to_go(price);
        let ceiling = ceiling + 1e-9 * (1.0 + ceiling.abs());
        let r = self.most.len();
        let mut labels: Vec<Label> = vec![Label {
            parent: ROOT,
            choice: OFF,
            cost: 0.0,
            state: START,
        }];
        let mut resources: Vec<u32> = vec![0; r];
        let mut alive: Vec<bool> = vec![true];
        let mut day_start = 0usize;
        let mut buckets: FxHashMap<State, Vec<u32>> = FxHashMap::default();
        let mut used = vec![0u32; r];
        // A beam's ranking of the day's labels, kept from one day to the next.
        let mut ranked: Vec<(f64, usize)> = Vec::new();
        for d in 0..days {
            let day_end = labels.len();
            buckets.clear();
            for k in day_start..day_end {
                if !alive[k] {
                    continue;
                }
                for x in 0..=n_shifts {
                    let label = &labels[k];
                    let work = x < n_shifts;
                    if work && !self.open[d * n_shifts + x] {
                        continue;
                    }
                    let cost = label.cost + price[d * width + x];
                    if cost == f64::INFINITY {
                        continue;
                    }
                    used.copy_from_slice(&resources[k * r..(k + 1) * r]);
                    let Some(next) = self.step(&label.state, d, x, &mut used) else {
                        continue;
                    };
                    if next.minutes as u64 + self.reach[d + 1] < self.min_minutes
                        || cost + to_go[self.to_go_index(d, &next)] > ceiling
                    {
                        continue;
                    }
                    let bucket = buckets.entry(next).or_default();
                    let held = |j: usize| (labels[j].cost, &resources[j * r..(j + 1) * r]);
                    let dominated =
                        (bucket.iter()).any(|&j| no_worse(held(j as usize), (cost, &used)));
                    if dominated {
                        continue;
                    }
                    bucket.retain(|&j| {
                        let beaten = no_worse((cost, &used), held(j as usize));
                        if beaten {
                            alive[j as usize] = false;
                        }
                        !beaten
                    });
                    // A beam keeps the labels few however long the horizon.
                    if beam.is_none() && labels.len() >= MAX_LABELS {
                        return Cheapest::GaveUp;
                    }
                    bucket.push(labels.len() as u32);
                    labels.push(Label {
                        parent: k as u32,
                        choice: if work { x as u16 } else { OFF },
                        cost,
                        state: next,
                    });
                    resources.extend_from_slice(&used);
                    alive.push(true);
                }
            }
            if let Some(beam) = beam.filter(|&b| labels.len() - day_end > b) {
                // The labels of day d's end, ranked by price plus least cost to go.
                ranked.clear();
                ranked.extend((day_end..labels.len()).filter(|&k| alive[k]).map(|k| {
                    let rest = to_go[self.to_go_index(d, &labels[k].state)];
                    (labels[k].cost + rest, k)
                }));
                if ranked.len() > beam {
                    ranked.select_nth_unstable_by(beam, |a, b| a.0.total_cmp(&b.0));
                    for &(_, k) in &ranked[beam..] {
                        alive[k] = false;
                    }
                }
            }
            day_start = day_end;
        }
        let best = (day_start..labels.len())
            .filter(|&k| alive[k] && labels[k].state.minutes as u64 >= self.min_minutes)
            .min_by(|&a, &b| labels[a].cost.total_cmp(&labels[b].cost));
        if beam.is_none() {
            self.labels.store(labels.len(), Ordering::Relaxed);
        }
        let Some(best) = best else {
            return Cheapest::Nothing;
        };
        let mut row = vec![None; days];
        let mut k = best;
        for d in (0..days).rev() {
            let label = &labels[k];
            row[d] = (label.choice != OFF).then_some(label.choice as usize);
            k = label.parent as usize;
        }
        Cheapest::Row(row, labels[best].cost)
    }

    /// Every lawful row that costs at most `ceiling` at `price` (laid out as for
    /// [`RowPricer::cheapest`]), with its price; `None` when there are more than `most`, or
    /// when telling them would hold more than [`ENUMERATION_STATES`] states. The search over
    /// the days follows a beginning only while its price plus the least its state can still
    /// cost stays within the ceiling; that least is found exactly (every rule kept) and
    /// remembered per state, so that no beginning it follows leads nowhere.
    pub(super) fn rows_within(
        &self,
        price: &[f64],
        ceiling: f64,
        most: usize,
    ) -> Option<Vec<(Vec<Option<usize>>, f64)>> {
        if price.len() != self.days * (self.n_shifts + 1) {
            return None;
        }
        let mut search = Enumeration {
            pricer: self,
            price,
            to_go: self.to_go(price),
            least: FxHashMap::default(),
            ceiling: ceiling + 1e-9 * (1.0 + ceiling.abs()),
            most,
            row: vec![None; self.days],
            found: Vec::new(),
        };
        let used = vec![0; self.most.len()];
        search.walk(0, START, &used, 0.0).then_some(search.found)
    }

    /// The state after taking `x` (a shift, or `n_shifts` for the day off) on day `d` after
    /// `label`, counting into `used`; `None` when a rule forbids it.
    fn step(&self, label: &State, d: usize, x: usize, used: &mut [u32]) -> Option<State> {
        let n_shifts = self.n_shifts;
        let work = x < n_shifts;
        if self.fixed[d].is_some_and(|t| t != x) {
            return None;
        }
        let was_working = label.last != OFF;
        let first = d == 0;
        let (run, from_start) = match (was_working, work) {
            (true, true) => {
                if self.work_binds && label.run as u32 >= self.max_work {
                    return None;
                }
                let cap = if self.work_binds {
                    self.max_work
                } else {
                    self.min_work.max(1)
                };
                ((label.run as u32 + 1).min(cap), label.from_start)
            }
            (false, false) => (
                (label.run as u32 + 1).min(self.min_off.max(1)),
                label.from_start,
            ),
            // A run of days off ends: it must have been long enough unless it began the row.
            (false, true) => {
                if !first && !label.from_start && (label.run as u32) < self.min_off {
                    return None;
                }
                if self.work_binds && self.max_work == 0 {
                    return None;
                }
                (1, first)
            }
            (true, false) => {
                if !label.from_start && (label.run as u32) < self.min_work {
                    return None;
                }
                (1, false)
            }
        };
        let mut minutes = label.minutes;
        if work {
            let last = label.last as usize;
            if was_working
                && (!self.follows[last * n_shifts + x]
                    || (!self.barred_pairs.is_empty()
                        && self.barred_pairs.contains(&(d.wrapping_sub(1), last, x))))
            {
                return None;
            }
            let more = minutes as u64 + self.minutes[x] as u64;
            if more > self.max_minutes {
                return None;
            }
            // At most `max_minutes`, a `u32`.
            minutes = more as u32;
            if let Some(s) = self.slot[x] {
                used[s] += 1;
                if used[s] > self.most[s] {
                    return None;
                }
            }
        }
        let mut weekend_worked = label.weekend_worked;
        if let Some(continues) = self.weekend[d] {
            let already = continues && label.weekend_worked;
            if work && !already {
                if let Some(s) = self.weekend_slot {
                    used[s] += 1;
                    if used[s] > self.max_weekends {
                        return None;
                    }
                }
            }
            weekend_worked = already || work;
        }
        if !self.weekend_open[d] {
            weekend_worked = false;
        }
        // What is used of a maximum matters only as far as the rest of the row could still
        // reach it: counted as at least the maximum less that reach, labels that differ only
        // where the maximum can no longer bind fall into one and dominance merges them.
        let r = self.most.len();
        for (s, value) in used.iter_mut().enumerate() {
            let mut reach = self.left[(d + 1) * r + s];
            if let Some(t) = self.slot_shift[s].filter(|&t| self.minutes[t] > 0) {
                let room = (self.max_minutes - minutes as u64) / self.minutes[t] as u64;
                reach = reach.min(room.min(u32::MAX as u64) as u32);
            }
            *value = (*value).max(self.most[s].saturating_sub(reach));
        }
        Some(State {
            last: if work { x as u16 } else { OFF },
            run: run as u16,
            from_start,
            weekend_worked,
            minutes,
        })
    }
}

/// A day, the state before it and the resources used so far.
type StateOnDay = (usize, State, Box<[u32]>);

/// A search for every row within a price ([`RowPricer::rows_within`]).
struct Enumeration<'p> {
    pricer: &'p RowPricer,
    price: &'p [f64],
    /// [`RowPricer::to_go`]: a bound on the least cost to go that leaves out the resources.
    to_go: Vec<f64>,
    /// Per (day, state, resources used): the least the days from it on can cost, and whether
    /// that is exact (else a bound below it, above what the search could spend when found).
    least: FxHashMap<StateOnDay, (f64, bool)>,
    ceiling: f64,
    most: usize,
    /// The row being followed, up to the day being decided.
    row: Vec<Option<usize>>,
    found: Vec<(Vec<Option<usize>>, f64)>,
}

impl Enumeration<'_> {
    /// The choices on day `d` after `state` with `used` of the resources: each with its price
    /// and the state and resources after it.
    fn choices(&self, d: usize, state: &State, used: &[u32]) -> Vec<(usize, f64, State, Vec<u32>)> {
        let p = self.pricer;
        let width = p.n_shifts + 1;
        let mut out = Vec::with_capacity(width);
        for x in 0..width {
            if x < p.n_shifts && !p.open[d * p.n_shifts + x] {
                continue;
            }
            let price = self.price[d * width + x];
            if price == f64::INFINITY {
                continue;
            }
            let mut after = used.to_vec();
            let Some(next) = p.step(state, d, x, &mut after) else {
                continue;
            };
            if next.minutes as u64 + p.reach[d + 1] < p.min_minutes {
                continue;
            }
            out.push((x, price, next, after));
        }
        out
    }

    /// The least the days from `d` on can cost after `state` with `used`, exact when it is at
    /// most `budget`, otherwise a bound below it that exceeds `budget`; `None` when the states
    /// remembered grew past [`ENUMERATION_STATES`].
    fn least(&mut self, d: usize, state: State, used: &[u32], budget: f64) -> Option<f64> {
        let p = self.pricer;
        if d == p.days {
            let whole = state.minutes as u64 >= p.min_minutes;
            return Some(if whole { 0.0 } else { f64::INFINITY });
        }
        let key = (d, state, Box::<[u32]>::from(used));
        if let Some(&(value, exact)) = self.least.get(&key) {
            if exact || value > budget {
                return Some(value);
            }
        }
        let mut best = f64::INFINITY;
        let mut exact = true;
        for (_, price, next, after) in self.choices(d, &state, used) {
            let bound = price + self.to_go[p.to_go_index(d, &next)];
            if bound > budget {
                best = best.min(bound);
                exact = false;
                continue;
            }
            let rest = self.least(d + 1, next, &after, budget - price)?;
            exact &= rest <= budget - price;
            best = best.min(price + rest);
        }
        // Within the budget, the least is a child's exact value and every other child's bound
        // lies above it.
        let exact = exact || best <= budget;
        if self.least.len() >= ENUMERATION_STATES && !self.least.contains_key(&key) {
            return None;
        }
        self.least.insert(key, (best, exact));
        Some(best)
    }

    /// Follows every row from day `d` on after `state`, `used` and a beginning priced `cost`,
    /// into `found`; false when there were too many rows or states.
    fn walk(&mut self, d: usize, state: State, used: &[u32], cost: f64) -> bool {
        let p = self.pricer;
        if d == p.days {
            if self.found.len() == self.most {
                return false;
            }
            self.found.push((self.row.clone(), cost));
            return true;
        }
        for (x, price, next, after) in self.choices(d, &state, used) {
            let spent = cost + price;
            if spent + self.to_go[p.to_go_index(d, &next)] > self.ceiling {
                continue;
            }
            let Some(rest) = self.least(d + 1, next, &after, self.ceiling - spent) else {
                return false;
            };
            if spent + rest > self.ceiling {
                continue;
            }
            self.row[d] = (x < p.n_shifts).then_some(x);
            if !self.walk(d + 1, next, &after, spent) {
                return false;
            }
        }
        true
    }
}

/// Whether label `a` (price, resources used) is no worse than `b` in every respect.
fn no_worse((a_cost, a): (f64, &[u32]), (b_cost, b): (f64, &[u32])) -> bool {
    a_cost <= b_cost && a.iter().zip(b).all(|(x, y)| x <= y)
}

/// The greatest common divisor (0 with 0 gives the other).
fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

#[cfg(test)]
mod tests {
    use super::super::small_problems::problem;
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Every row of `days` days over `n_shifts` shifts, in turn.
    fn every_row(days: usize, n_shifts: usize) -> impl Iterator<Item = Vec<Option<usize>>> {
        let count = (n_shifts + 1).pow(days as u32);
        (0..count).map(move |mut code| {
            (0..days)
                .map(|_| {
                    let x = code % (n_shifts + 1);
                    code /= n_shifts + 1;
                    (x < n_shifts).then_some(x)
                })
                .collect()
        })
    }

    /// `cells` random prices; with `forbidding`, some cells forbidden, as a branch forbids them.
    fn random_prices(rng: &mut ChaCha8Rng, cells: usize, forbidding: bool) -> Vec<f64> {
        (0..cells)
            .map(|_| match forbidding && rng.random_bool(0.15) {
                true => f64::INFINITY,
                false => rng.random_range(-5.0..5.0),
            })
            .collect()
    }

    fn price_of(row: &[Option<usize>], price: &[f64], n_shifts: usize) -> f64 {
        row.iter()
            .enumerate()
            .map(|(d, x)| price[d * (n_shifts + 1) + x.unwrap_or(n_shifts)])
            .sum()
    }

    #[test]
    fn the_programme_finds_the_cheapest_lawful_row() {
        let mut rows_found = 0;
        let mut tried = 0;
        for seed in 0..400 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut problem = problem(&mut rng, seed % 3 == 0);
            let n_shifts = problem.shifts.len();
            if (n_shifts + 1).pow(problem.days as u32) > 70_000 {
                continue;
            }
            // Least runs longer than the horizon, and a most that cannot bind.
            for person in problem.staff.iter_mut() {
                let days = problem.days as u32;
                match seed % 5 {
                    0 => person.min_consecutive_off = days + 2,
                    1 => person.min_consecutive_work = days + 1,
                    2 => person.max_consecutive_work = days + 3,
                    _ => {}
                }
            }
            // Weekends of one, two or three days, or none.
            problem.weekends = match seed % 4 {
                0 => vec![],
                1 => vec![vec![1], vec![3, 4, 5]],
                _ => problem.weekends.clone(),
            };
            let available = problem.available();
            for (i, open) in available.iter().enumerate() {
                let pricer = RowPricer::new(&problem, i, open).expect("plain weekends");
                let price = random_prices(&mut rng, problem.days * (n_shifts + 1), seed % 2 == 1);
                let best = every_row(problem.days, n_shifts)
                    .filter(|row| problem.person_breaches(i, row).is_empty())
                    .map(|row| price_of(&row, &price, n_shifts))
                    .fold(f64::INFINITY, f64::min);
                tried += 1;
                match pricer.cheapest(&price, f64::INFINITY) {
                    Cheapest::Row(row, cost) => {
                        assert!(
                            problem.person_breaches(i, &row).is_empty(),
                            "seed {seed} person {i}: {row:?}"
                        );
                        assert!((price_of(&row, &price, n_shifts) - cost).abs() < 1e-9);
                        assert!((cost - best).abs() < 1e-9, "seed {seed}: {cost} != {best}");
                        // A ceiling at the optimum still finds it; one below finds nothing.
                        assert!(matches!(pricer.cheapest(&price, best), Cheapest::Row(..)));
                        assert_eq!(pricer.cheapest(&price, best - 0.1), Cheapest::Nothing);
                        rows_found += 1;
                    }
                    Cheapest::Nothing => assert!(best.is_infinite(), "seed {seed}: missed {best}"),
                    Cheapest::GaveUp => panic!("seed {seed}: gave up on a small row"),
                }
            }
        }
        assert!(
            tried > 800 && rows_found > 400,
            "{tried} tried, {rows_found} rows"
        );
    }

    #[test]
    fn a_beam_finds_lawful_rows_no_cheaper_than_the_cheapest() {
        let (mut tried, mut dearer) = (0, 0);
        for seed in 0..200 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let problem = problem(&mut rng, seed % 3 == 0);
            let n_shifts = problem.shifts.len();
            let available = problem.available();
            for (i, open) in available.iter().enumerate() {
                let pricer = RowPricer::new(&problem, i, open).expect("plain weekends");
                let price = random_prices(&mut rng, problem.days * (n_shifts + 1), seed % 2 == 1);
                let Cheapest::Row(_, best) = pricer.cheapest(&price, f64::INFINITY) else {
                    continue;
                };
                // A beam of two labels a day misses rows; one of thousands keeps every label
                // of these small problems, so it is exact.
                for (beam, ceiling) in [(2, f64::INFINITY), (2, best + 1.0), (100_000, best)] {
                    tried += 1;
                    match pricer.labelling(&price, ceiling, Some(beam)) {
                        Cheapest::Row(row, cost) => {
                            assert!(problem.person_breaches(i, &row).is_empty(), "seed {seed}");
                            assert!((price_of(&row, &price, n_shifts) - cost).abs() < 1e-9);
                            assert!(cost >= best - 1e-9 && cost <= ceiling + 1e-9, "seed {seed}");
                            if beam > 2 {
                                assert!(
                                    (cost - best).abs() < 1e-9,
                                    "seed {seed}: {cost} != {best}"
                                );
                            }
                            dearer += usize::from(cost > best + 1e-9);
                        }
                        Cheapest::Nothing => assert!(beam == 2, "seed {seed}: a wide beam missed"),
                        Cheapest::GaveUp => panic!("seed {seed}: a beam gave up"),
                    }
                }
            }
        }
        // The narrow beam must have cut something, or the test shows nothing.
        assert!(tried > 300 && dearer > 10, "{tried} tried, {dearer} dearer");
    }

    #[test]
    fn every_lawful_row_within_a_price_is_found_and_no_other() {
        let (mut tried, mut many) = (0, 0);
        for seed in 0..300 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut problem = problem(&mut rng, seed % 3 == 0);
            let n_shifts = problem.shifts.len();
            if (n_shifts + 1).pow(problem.days as u32) > 70_000 {
                continue;
            }
            if seed % 4 == 1 {
                problem.weekends = vec![vec![1], vec![3, 4, 5]];
            }
            let available = problem.available();
            for (i, open) in available.iter().enumerate() {
                let pricer = RowPricer::new(&problem, i, open).expect("plain weekends");
                let price = random_prices(&mut rng, problem.days * (n_shifts + 1), seed % 2 == 1);
                let mut lawful: Vec<(Vec<Option<usize>>, f64)> = every_row(problem.days, n_shifts)
                    .filter(|row| problem.person_breaches(i, row).is_empty())
                    .map(|row| {
                        let cost = price_of(&row, &price, n_shifts);
                        (row, cost)
                    })
                    .filter(|(_, cost)| cost.is_finite())
                    .collect();
                let Some(least) = lawful.iter().map(|(_, c)| *c).min_by(f64::total_cmp) else {
                    assert_eq!(pricer.rows_within(&price, 1e9, 10), Some(Vec::new()));
                    continue;
                };
                let ceiling = least + rng.random_range(0.0..6.0);
                lawful.retain(|(_, cost)| *cost <= ceiling);
                lawful.sort_by(|a, b| a.0.cmp(&b.0));
                let mut found = pricer
                    .rows_within(&price, ceiling, lawful.len())
                    .unwrap_or_else(|| panic!("seed {seed} person {i}: gave up"));
                found.sort_by(|a, b| a.0.cmp(&b.0));
                let rows = |v: &[(Vec<Option<usize>>, f64)]| {
                    v.iter().map(|(r, _)| r.clone()).collect::<Vec<_>>()
                };
                assert_eq!(rows(&found), rows(&lawful), "seed {seed} person {i}");
                for ((_, a), (_, b)) in found.iter().zip(&lawful) {
                    assert!((a - b).abs() < 1e-9);
                }
                // One row fewer allowed than there are: none given.
                if lawful.len() > 1 {
                    assert_eq!(pricer.rows_within(&price, ceiling, lawful.len() - 1), None);
                    many += 1;
                }
                tried += 1;
            }
        }
        assert!(
            tried > 250 && many > 120,
            "{tried} tried, {many} with several rows"
        );
    }

    #[test]
    fn interleaved_or_shared_weekends_are_left_to_the_solver() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut problem = problem(&mut rng, true);
        problem.days = problem.days.max(6);
        let available = vec![true; problem.days];
        problem.weekends = vec![vec![1, 3], vec![2, 4]];
        assert!(RowPricer::new(&problem, 0, &available).is_none());
        problem.weekends = vec![vec![1, 2], vec![2, 3]];
        assert!(RowPricer::new(&problem, 0, &available).is_none());
        problem.weekends = vec![vec![1, 3], vec![4, 5]];
        assert!(RowPricer::new(&problem, 0, &available).is_some());
    }
}

//! Synthetic instances in the Curtois–Qu format, shaped like the published ones, for testing the
//! solver at sizes we have no files for (Instances 13–24: up to 364 days, 150 staff, 32 shift
//! types).
//!
//! The shape follows Instances 1–12: shift types fall into groups ordered through the day
//! (early, day, late, night) and a later group may not be followed by an earlier one; about a
//! third of the (staff, shift type) pairs are 0 (not qualified) and some types are capped
//! (nights at about one in seven days); contracts are mostly full time (18 shifts of 480 minutes
//! per 28 days at most, 7/8 of that at least, runs of 2–5 or 2–6 working days, 2–3 days off,
//! half the weekends) with some part time; one fixed day off per person per fortnight; requests
//! come in short runs of the same shift; and cover asks for about what the staff can give.
//!
//! Lawful by construction: a roster is planted first, person by person, and each person's limits
//! and days off are then widened just enough for their planted row to keep them. Cover is the
//! planted count per day and shift with a little noise, so the planted roster also shows what a
//! good penalty looks like. Same shape and seed, same text.

use crate::solve::problem::Assignment;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write as _;

/// The size of a synthetic instance and the seed that fixes everything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// Horizon in days; rounded up to whole weeks (at least one).
    pub days: usize,
    /// Number of staff (at least one).
    pub staff: usize,
    /// Number of shift types (at least one).
    pub shifts: usize,
    /// Seed of the random choices.
    pub seed: u64,
}

impl Shape {
    /// The published size of Instance `n` (1–24), with `seed`. `None` for other numbers.
    pub fn published(n: u32, seed: u64) -> Option<Shape> {
        let (days, staff, shifts) = match n {
            1 => (14, 8, 1),
            2 => (14, 14, 2),
            3 => (14, 20, 3),
            4 => (28, 10, 2),
            5 => (28, 16, 2),
            6 => (28, 18, 3),
            7 => (28, 20, 3),
            8 => (28, 30, 4),
            9 => (28, 36, 4),
            10 => (28, 40, 5),
            11 => (28, 50, 6),
            12 => (28, 60, 10),
            13 => (28, 120, 18),
            14 => (42, 32, 4),
            15 => (42, 45, 6),
            16 => (56, 20, 3),
            17 => (56, 32, 4),
            18 => (84, 22, 3),
            19 => (84, 40, 5),
            20 => (182, 50, 6),
            21 => (182, 100, 8),
            22 => (364, 50, 10),
            23 => (364, 100, 16),
            24 => (364, 150, 32),
            _ => return None,
        };
        Some(Shape {
            days,
            staff,
            shifts,
            seed,
        })
    }
}

/// Shift groups through the day: id prefix, length, and whether the type is capped (nights).
const GROUPS: [(&str, u32); 4] = [("E", 480), ("D", 480), ("L", 480), ("N", 600)];

/// One contract: limits per 28 days and run rules.
struct Contract {
    /// Most shifts of 480 minutes per 28 days.
    shifts_per_28: u32,
    /// Least minutes as a fraction of the most.
    min_fraction: f64,
    max_work: u32,
    min_work: u32,
    min_off: u32,
    /// Weekends worked per 28 days at most.
    weekends_per_28: u32,
    /// Chance to keep working once a run is long enough, and to start when allowed.
    keep_working: f64,
    start_working: f64,
}

const CONTRACTS: [Contract; 3] = [
    Contract {
        shifts_per_28: 18,
        min_fraction: 0.875,
        max_work: 5,
        min_work: 2,
        min_off: 2,
        weekends_per_28: 2,
        keep_working: 0.75,
        start_working: 0.8,
    },
    Contract {
        shifts_per_28: 18,
        min_fraction: 0.875,
        max_work: 6,
        min_work: 2,
        min_off: 3,
        weekends_per_28: 2,
        keep_working: 0.8,
        start_working: 0.8,
    },
    Contract {
        shifts_per_28: 9,
        min_fraction: 0.78,
        max_work: 5,
        min_work: 1,
        min_off: 2,
        weekends_per_28: 1,
        keep_working: 0.35,
        start_working: 0.35,
    },
];

/// A synthetic instance and the lawful roster it was planted around.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The instance, in the benchmark's text format.
    pub text: String,
    /// The planted roster, `cells[staff][day]` = shift type index: lawful under the instance's
    /// hard rules, and a reference for how good a solver's roster is.
    pub planted: Assignment,
}

/// The instance of `shape`, in the benchmark's format, with the roster it was planted around.
pub fn generate(shape: &Shape) -> Generated {
    let mut rng = ChaCha8Rng::seed_from_u64(shape.seed);
    let days = shape.days.max(1).div_ceil(7) * 7;
    let n_staff = shape.staff.max(1);
    let n_shifts = shape.shifts.max(1);
    let scale = |per_28: u32| (per_28 as usize * days).div_ceil(28) as u32;

    // Shift types: split over the groups in order, so that the groups keep their order in time.
    let groups = GROUPS.len().min(n_shifts);
    let group_of: Vec<usize> = (0..n_shifts).map(|t| t * groups / n_shifts).collect();
    let ids: Vec<String> = (0..n_shifts)
        .map(|t| {
            let g = group_of[t];
            let k = group_of[..t].iter().filter(|&&h| h == g).count() + 1;
            let alone = group_of.iter().filter(|&&h| h == g).count() == 1;
            if alone {
                GROUPS[g].0.to_string()
            } else {
                format!("{}{k}", GROUPS[g].0.to_lowercase())
            }
        })
        .collect();
    let minutes: Vec<u32> = group_of.iter().map(|&g| GROUPS[g].1).collect();
    // Nights, and now and then another type, are capped at about one shift in seven days.
    let capped: Vec<bool> = (0..n_shifts)
        .map(|t| (groups == 4 && group_of[t] == 3) || rng.random_bool(0.1))
        .collect();

    // Staff: a contract and the shift types they are qualified for (about two thirds).
    let contract_of: Vec<usize> = (0..n_staff)
        .map(|_| match rng.random_range(0..20) {
            0..=12 => 0,
            13..=16 => 1,
            _ => 2,
        })
        .collect();
    let qualified: Vec<Vec<bool>> = (0..n_staff)
        .map(|_| {
            let mut q: Vec<bool> = (0..n_shifts).map(|_| rng.random_bool(0.67)).collect();
            if !q.contains(&true) {
                q[rng.random_range(0..n_shifts)] = true;
            }
            q
        })
        .collect();

    // The planted roster, and each person's limits widened to fit it.
    let mut lines_staff = Vec::with_capacity(n_staff);
    let mut lines_off = Vec::with_capacity(n_staff);
    let mut planted: Vec<Vec<Option<usize>>> = Vec::with_capacity(n_staff);
    for i in 0..n_staff {
        let c = &CONTRACTS[contract_of[i]];
        let skills: Vec<usize> = (0..n_shifts).filter(|&t| qualified[i][t]).collect();
        let row = plant_row(&mut rng, days, c, &skills, &group_of, i % 2 == 0);
        let mut count = vec![0u32; n_shifts];
        let mut worked = 0u32;
        for &t in row.iter().flatten() {
            count[t] += 1;
            worked += minutes[t];
        }
        let weekends = (0..days / 7)
            .filter(|w| row[7 * w + 5].is_some() || row[7 * w + 6].is_some())
            .count() as u32;
        let max_minutes = (scale(c.shifts_per_28) * 480).max(worked);
        let min_minutes = ((max_minutes as f64 * c.min_fraction) as u32 / 60 * 60).min(worked);
        let max_shifts: Vec<String> = (0..n_shifts)
            .map(|t| {
                let limit = match (qualified[i][t], capped[t]) {
                    (false, _) => 0,
                    (true, true) => scale(4).max(count[t]),
                    (true, false) => days as u32,
                };
                format!("{}={limit}", ids[t])
            })
            .collect();
        lines_staff.push(format!(
            "{},{},{},{},{},{},{},{}",
            staff_id(i),
            max_shifts.join("|"),
            max_minutes,
            min_minutes,
            c.max_work,
            c.min_work,
            c.min_off,
            scale(c.weekends_per_28).max(weekends),
        ));
        // One day off per fortnight, among the planted days off, often as a pair.
        let off_days: Vec<usize> = (0..days).filter(|&d| row[d].is_none()).collect();
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < (days / 14).min(off_days.len()) {
            if let Some(&d) = off_days.choose(&mut rng) {
                if !chosen.contains(&d) {
                    chosen.push(d);
                }
                if d + 1 < days && row[d + 1].is_none() && !chosen.contains(&(d + 1)) {
                    chosen.push(d + 1);
                }
            }
        }
        chosen.sort_unstable();
        let mut line = staff_id(i);
        for d in chosen {
            let _ = write!(line, ",{d}");
        }
        lines_off.push(line);
        planted.push(row);
    }

    // Requests: runs of one to four days of the same shift, weights 1–3.
    let mut on = Vec::new();
    let mut off = Vec::new();
    for (i, quals) in qualified.iter().enumerate() {
        let skills: Vec<usize> = (0..n_shifts).filter(|&t| quals[t]).collect();
        for (list, per_28) in [(&mut on, 2usize), (&mut off, 1)] {
            for _ in 0..(per_28 * days).div_ceil(28) {
                let Some(&t) = skills.choose(&mut rng) else {
                    continue;
                };
                let first = rng.random_range(0..days);
                let weight = rng.random_range(1..=3);
                for d in first..(first + rng.random_range(1..=4)).min(days) {
                    list.push((i, d, t, weight));
                }
            }
        }
    }
    on.sort_unstable();
    on.dedup_by_key(|r| (r.0, r.1));
    off.sort_unstable();
    off.dedup_by_key(|r| (r.0, r.1, r.2));

    let mut text = String::new();
    let _ = writeln!(
        text,
        "# Synthetic instance: {days} days, {n_staff} staff, {n_shifts} shift types, seed {}",
        shape.seed
    );
    let _ = writeln!(text, "\nSECTION_HORIZON\n{days}\n\nSECTION_SHIFTS");
    for t in 0..n_shifts {
        let cannot: Vec<&str> = (0..n_shifts)
            .filter(|&u| group_of[u] < group_of[t])
            .map(|u| ids[u].as_str())
            .collect();
        let _ = writeln!(text, "{},{},{}", ids[t], minutes[t], cannot.join("|"));
    }
    let _ = writeln!(text, "\nSECTION_STAFF");
    for line in &lines_staff {
        let _ = writeln!(text, "{line}");
    }
    let _ = writeln!(text, "\nSECTION_DAYS_OFF");
    for line in &lines_off {
        let _ = writeln!(text, "{line}");
    }
    for (section, list) in [("ON", &on), ("OFF", &off)] {
        let _ = writeln!(text, "\nSECTION_SHIFT_{section}_REQUESTS");
        for &(i, d, t, w) in list.iter() {
            let _ = writeln!(text, "{},{d},{},{w}", staff_id(i), ids[t]);
        }
    }
    let _ = writeln!(text, "\nSECTION_COVER");
    for d in 0..days {
        for (t, id) in ids.iter().enumerate() {
            let n = planted.iter().filter(|row| row[d] == Some(t)).count() as i64;
            let noise = [-1, 0, 0, 1][rng.random_range(0..4)];
            let want = (n + noise).clamp(0, n_staff as i64);
            let _ = writeln!(text, "{d},{id},{want},100,1");
        }
    }
    Generated {
        text,
        planted: Assignment { cells: planted },
    }
}

/// One person's planted row: runs of work and rest that keep the contract's run rules, the
/// shifts inside a run never going back to an earlier group (so no forbidden succession), and
/// every other weekend kept free where the runs allow.
fn plant_row(
    rng: &mut ChaCha8Rng,
    days: usize,
    c: &Contract,
    skills: &[usize],
    group_of: &[usize],
    even_weekends_off: bool,
) -> Vec<Option<usize>> {
    let mut row = vec![None; days];
    let mut working = rng.random_bool(0.5);
    let mut run = 0u32;
    let mut shift: Option<usize> = None;
    for (d, cell) in row.iter_mut().enumerate() {
        let week = d / 7;
        let weekend_off = d % 7 >= 5 && (week % 2 == 0) == even_weekends_off;
        let work_today = if working {
            if run >= c.max_work {
                false
            } else if run < c.min_work {
                true
            } else {
                !weekend_off && rng.random_bool(c.keep_working)
            }
        } else if run < c.min_off {
            false
        } else {
            !weekend_off && rng.random_bool(c.start_working)
        };
        if work_today != working {
            working = work_today;
            run = 0;
            shift = None;
        }
        run += 1;
        if working {
            let later: Vec<usize> = skills
                .iter()
                .copied()
                .filter(|&t| shift.is_none_or(|s| group_of[t] >= group_of[s]))
                .collect();
            let t = match shift {
                Some(s) if rng.random_bool(0.7) => s,
                _ => later.choose(rng).copied().unwrap_or(skills[0]),
            };
            shift = Some(t);
            *cell = Some(t);
        }
    }
    row
}

/// Staff ids as the benchmark writes them: A … Z, AA, AB, ….
fn staff_id(mut i: usize) -> String {
    let mut id = Vec::new();
    loop {
        id.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    id.reverse();
    String::from_utf8_lossy(&id).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_ids_count_like_spreadsheet_columns() {
        let ids: Vec<String> = [0, 25, 26, 27, 51, 52, 701, 702].map(staff_id).into();
        assert_eq!(ids, ["A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn planted_instances_read_and_are_lawful_by_construction() {
        for n in [1, 8, 12, 13, 20] {
            let shape = Shape::published(n, 7).expect("a published size");
            let generated = generate(&shape);
            assert_eq!(generated.text, generate(&shape).text, "deterministic");
            let problem = crate::curtois::parse(&generated.text).expect("reads");
            assert_eq!(
                (problem.days, problem.staff.len(), problem.shifts.len()),
                (shape.days, shape.staff, shape.shifts)
            );
            let eval = problem.evaluate(&generated.planted);
            assert!(eval.breaches.is_empty(), "Instance{n}: {:?}", eval.breaches);
        }
    }
}

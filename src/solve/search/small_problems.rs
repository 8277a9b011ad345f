//! Small random problems for the search's unit tests: every rule in play, with eligibility
//! lists, forbidden cells, successions forbidden on one day, fixed cells and weekends.

use crate::solve::problem::{Cover, Request, RequestKind, ShiftProblem, ShiftType, StaffLimits};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A small random problem; with `idle_lawful`, nobody has a least number of minutes, so
/// everybody off is a lawful start.
pub(crate) fn problem(rng: &mut ChaCha8Rng, idle_lawful: bool) -> ShiftProblem {
    sized_problem(rng, idle_lawful, 4..15, 2..6)
}

/// As [`problem`], with `days` and `people` drawn from the ranges given.
pub(crate) fn sized_problem(
    rng: &mut ChaCha8Rng,
    idle_lawful: bool,
    days: std::ops::Range<usize>,
    people: std::ops::Range<usize>,
) -> ShiftProblem {
    let days = rng.random_range(days);
    let n_shifts = rng.random_range(1..4);
    let shifts = (0..n_shifts)
        .map(|s| ShiftType {
            id: format!("S{s}"),
            minutes: rng.random_range(1..10) * 60,
            cannot_follow: (0..n_shifts).filter(|_| rng.random_bool(0.3)).collect(),
        })
        .collect::<Vec<_>>();
    let staff = (0..rng.random_range(people))
        .map(|i| StaffLimits {
            id: format!("P{i}"),
            max_shifts: (0..n_shifts)
                .map(|_| rng.random_range(0..days as u32))
                .collect(),
            min_minutes: if idle_lawful {
                0
            } else {
                rng.random_range(0..2000)
            },
            max_minutes: rng.random_range(600..6000),
            max_consecutive_work: rng.random_range(1..6),
            min_consecutive_work: rng.random_range(1..4),
            min_consecutive_off: rng.random_range(1..4),
            max_weekends: rng.random_range(0..3),
            unavailable: (0..days).filter(|_| rng.random_bool(0.1)).collect(),
            forbidden: (0..3)
                .map(|_| (rng.random_range(0..days), rng.random_range(0..n_shifts)))
                .collect(),
            forbidden_pairs: (0..3)
                .map(|_| {
                    let day = rng.random_range(0..days - 1);
                    (
                        day,
                        rng.random_range(0..n_shifts),
                        rng.random_range(0..n_shifts),
                    )
                })
                .collect(),
            fixed: Vec::new(),
        })
        .collect::<Vec<_>>();
    // Some people must work one cell, as a day in another unit holds them (not where everybody
    // off must be lawful).
    let mut staff = staff;
    for person in staff.iter_mut().filter(|_| !idle_lawful) {
        let day = rng.random_range(0..days);
        let shift = rng.random_range(0..n_shifts);
        let open = !person.unavailable.contains(&day)
            && person.max_shifts[shift] > 0
            && !person.forbidden.contains(&(day, shift));
        if rng.random_bool(0.25) && open {
            person.fixed.push((day, shift));
        }
    }
    let n = staff.len();
    let requests = (0..rng.random_range(0..12))
        .map(|_| Request {
            staff: rng.random_range(0..n),
            day: rng.random_range(0..days),
            shift: rng.random_range(0..n_shifts),
            weight: rng.random_range(1..4),
            kind: if rng.random_bool(0.5) {
                RequestKind::On
            } else {
                RequestKind::Off
            },
        })
        .collect();
    let cover = (0..rng.random_range(1..days * n_shifts + 1))
        .map(|_| Cover {
            day: rng.random_range(0..days),
            shifts: {
                let mut s: Vec<usize> = (0..n_shifts).filter(|_| rng.random_bool(0.5)).collect();
                if s.is_empty() {
                    s.push(rng.random_range(0..n_shifts));
                }
                s
            },
            eligible: rng
                .random_bool(0.4)
                .then(|| (0..n).filter(|_| rng.random_bool(0.6)).collect()),
            requirement: rng.random_range(0..4),
            under_weight: rng.random_range(1..100),
            over_weight: rng.random_range(0..5),
        })
        .collect();
    ShiftProblem {
        days,
        weekends: vec![vec![5, 6], vec![12, 13]]
            .into_iter()
            .map(|w: Vec<usize>| w.into_iter().filter(|&d| d < days).collect::<Vec<_>>())
            .filter(|w| !w.is_empty())
            .collect(),
        shifts,
        staff,
        requests,
        cover,
        changes: None,
    }
}

/// A random row, lawful or not.
pub(crate) fn random_row(rng: &mut ChaCha8Rng, problem: &ShiftProblem) -> Vec<Option<usize>> {
    let rest = rng.random_range(0.2..0.9);
    (0..problem.days)
        .map(|_| (!rng.random_bool(rest)).then(|| rng.random_range(0..problem.shifts.len())))
        .collect()
}

//! Cover: sick calls on a generated city are planned, applied to the snapshot and re-checked by
//! the checker (no new violation, ever; coverage restored where anyone can lawfully restore it);
//! the MILP with change prices matches brute force on tiny problems; bad requests name the field.

use proptest::prelude::*;
use rota::gen::{generate, GenConfig};
use rota::model::{Id, Model};
use rota::rules::{check, RuleId};
use rota::solve::cover::{cover, cover_weighted, AbsenceSpan, CoverError, CoverWeights};
use rota::solve::interrupt::Stop;
use rota::solve::milp::{self, MipSettings, MipStatus};
use rota::solve::problem::{Assignment, Changes, Cover, ShiftProblem, ShiftType, StaffLimits};
use std::collections::BTreeSet;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

fn city() -> Model {
    let city = generate(&GenConfig {
        seed: 11,
        staff: 150,
        ..GenConfig::default()
    });
    city.snapshot.into_model().expect("generated city loads")
}

/// Violations as comparable keys (rule, staff, unit, date).
fn keys(model: &Model) -> BTreeSet<(String, Option<Id>, Option<Id>, chrono::NaiveDate)> {
    check(model)
        .violations
        .into_iter()
        .map(|v| (format!("{:?}", v.rule), v.staff, v.unit, v.date))
        .collect()
}

/// Sick calls in every facility and office: each plan, applied, adds no violation the published
/// roster did not have; the vacancy is filled unless the plan says why it cannot be.
#[test]
fn sick_calls_are_covered_without_a_new_violation() {
    let model = city();
    let before = keys(&model);
    let s = &model.snapshot;
    // One rostered person per unit kind, on a few days.
    let mut calls = Vec::new();
    for unit in s
        .organisation
        .units
        .iter()
        .filter(|u| u.shift_run)
        .map(|u| &u.id)
        .chain(["U00001"].iter().map(|_| &s.organisation.units[0].id))
    {
        for date in ["2026-06-03", "2026-11-14", "2027-02-21"] {
            let date: chrono::NaiveDate = date.parse().unwrap();
            if let Some(e) = s.roster.iter().find(|e| &e.unit == unit && e.date == date) {
                calls.push(AbsenceSpan::sick(e.staff.clone(), date, date));
            }
        }
    }
    assert!(
        calls.len() >= 10,
        "the city has enough rostered shifts to call in sick from"
    );
    let mut filled = 0;
    for call in &calls {
        let plan = cover(
            &model,
            std::slice::from_ref(call),
            Duration::from_secs(20),
            0.0,
        )
        .unwrap_or_else(|e| panic!("{call:?}: {e}"));
        let applied = plan.apply(s).into_model().expect("the plan loads");
        assert!(
            applied.snapshot.leave.iter().any(|l| l.staff == call.staff
                && l.kind == rota::model::LeaveKind::Sick
                && l.from <= call.from
                && call.to <= l.to),
            "{call:?}: the sick call is on record as leave"
        );
        let after = keys(&applied);
        let new: Vec<_> = after
            .difference(&before)
            .filter(|k| {
                k.0 != format!("{:?}", RuleId::Coverage)
                    || !plan
                        .uncovered
                        .iter()
                        .any(|u| Some(&u.unit) == k.2.as_ref() && u.date == k.3)
            })
            .collect();
        assert!(
            new.is_empty(),
            "{call:?}: the plan adds {new:#?}\nplan: {plan:#?}"
        );
        for u in &plan.uncovered {
            assert!(
                u.reason.contains(&u.date.to_string()) && u.short > 0,
                "{u:?}"
            );
        }
        if plan.uncovered.is_empty() && plan.changes.iter().any(|c| c.to.is_some()) {
            filled += 1;
            assert!(!plan.ledger.is_empty(), "whoever covers is in the ledger");
        }
        assert!(
            plan.proven,
            "{call:?}: a single sick call is proven optimal (gap 0)"
        );
    }
    assert!(filled > 0, "some sick calls are filled by a colleague");
}

/// The first nursery of `model`, and two of its people off sick for two weeks of September.
fn nursery_fortnight(model: &Model) -> (&rota::model::Unit, Vec<AbsenceSpan>) {
    let s = &model.snapshot;
    let nursery = s
        .organisation
        .units
        .iter()
        .find(|u| u.shift_run && u.shifts.iter().any(|x| x.as_str().starts_with("nursery")))
        .expect("a nursery");
    let from: chrono::NaiveDate = "2026-09-07".parse().unwrap();
    let to: chrono::NaiveDate = "2026-09-18".parse().unwrap();
    let absences = (s.roster.iter())
        .filter(|e| e.unit == nursery.id && e.date == from)
        .take(2)
        .map(|e| AbsenceSpan::sick(e.staff.clone(), from, to))
        .collect();
    (nursery, absences)
}

/// A two-week absence of several people at once is planned as one problem, within a 1 % gap.
#[test]
fn several_absences_are_planned_together() {
    let model = city();
    let s = &model.snapshot;
    let (nursery, absences) = nursery_fortnight(&model);
    let plan = cover(&model, &absences, Duration::from_secs(30), 0.01).expect("plans");
    assert!(
        plan.vacancies >= 10,
        "two people for two weeks leave many shifts vacant"
    );
    let applied = plan.apply(s).into_model().expect("the plan loads");
    let new: Vec<_> = keys(&applied).difference(&keys(&model)).cloned().collect();
    assert!(
        new.iter().all(|k| k.0 == format!("{:?}", RuleId::Coverage)),
        "{new:#?}"
    );
    assert_eq!(
        new.len(),
        plan.uncovered
            .iter()
            .filter(|u| u.unit == nursery.id)
            .count()
            .min(new.len())
    );
    assert!(
        plan.gap.is_some_and(|g| g <= 0.01 + 1e-9),
        "gap {:?}",
        plan.gap
    );

    // Fairness within the plan: without the load step the cheapest colleagues take several
    // shifts each; with it (priced lazily, for whoever takes two or more) the plan is no dearer
    // than that one priced the same way, and nobody carries more.
    let flat = CoverWeights {
        load_step: 0,
        ..CoverWeights::default()
    };
    let unfair = cover_weighted(
        &model,
        &absences,
        &flat,
        Duration::from_secs(30),
        0.0,
        &AtomicBool::new(false),
    )
    .expect("plans");
    let step = CoverWeights::default().load_step;
    let repriced = unfair.penalty
        + unfair
            .ledger
            .iter()
            .map(|l| step * i64::from(l.in_plan) * (i64::from(l.in_plan) - 1) / 2)
            .sum::<i64>();
    let fair = cover_weighted(
        &model,
        &absences,
        &CoverWeights::default(),
        Duration::from_secs(30),
        0.0,
        &AtomicBool::new(false),
    )
    .expect("plans");
    let most = |p: &rota::solve::cover::CoverPlan| p.ledger.iter().map(|l| l.in_plan).max();
    eprintln!(
        "unfair {} (most {:?}, repriced {repriced}), fair {} (most {:?}), proven {}",
        unfair.penalty,
        most(&unfair),
        fair.penalty,
        most(&fair),
        fair.proven
    );
    assert!(fair.proven, "{fair:?}");
    assert!(fair.penalty <= repriced, "{} > {repriced}", fair.penalty);
    assert!(most(&fair) <= most(&unfair));
    assert_eq!(fair.uncovered.len(), unfair.uncovered.len());
}

/// A cover cancelled before HiGHS has finished ends at HiGHS's next step: the plan is the best
/// found so far (here, with the flag set from the start, the published roster as it was), not
/// proven, and lawful.
#[test]
fn a_cancelled_cover_stops_unproven_with_a_lawful_plan() {
    let model = city();
    let before = keys(&model);
    let (_, absences) = nursery_fortnight(&model);
    let cancelled = AtomicBool::new(true);
    let weights = CoverWeights::default();
    let plan = cover_weighted(
        &model,
        &absences,
        &weights,
        Duration::from_secs(600),
        0.0,
        &cancelled,
    )
    .expect("plans");
    assert!(!plan.proven, "a cancelled cover proves nothing: {plan:#?}");
    let applied = plan
        .apply(&model.snapshot)
        .into_model()
        .expect("the plan loads");
    let new: Vec<_> = (keys(&applied).difference(&before))
        .filter(|k| k.0 != format!("{:?}", RuleId::Coverage))
        .cloned()
        .collect();
    assert!(new.is_empty(), "{new:#?}");
}

/// Bad requests name the field and the reason.
#[test]
fn a_bad_absence_names_its_field() {
    let model = city();
    let day: chrono::NaiveDate = "2026-06-03".parse().unwrap();
    let someone = model.snapshot.staff[0].id.clone();
    let field =
        |absences: &[AbsenceSpan]| match cover(&model, absences, Duration::from_secs(5), 0.0) {
            Err(CoverError::Invalid { field, .. }) => field,
            other => panic!("expected an invalid-request error, got {other:?}"),
        };
    assert_eq!(
        field(&[AbsenceSpan::sick(Id::new("nobody"), day, day)]),
        "absences[0].staff"
    );
    let before = day.pred_opt().unwrap();
    assert_eq!(
        field(&[AbsenceSpan::sick(someone.clone(), day, before)]),
        "absences[0].to"
    );
    let outside: chrono::NaiveDate = "2031-01-01".parse().unwrap();
    assert_eq!(
        field(&[AbsenceSpan::sick(someone, outside, outside)]),
        "absences[0].from"
    );
    assert_eq!(field(&[]), "absences");
    // Someone with no shift that day leaves nothing to cover: a mistake in the request.
    let rostered =
        |id: &Id| (model.snapshot.roster.iter()).any(|e| &e.staff == id && e.date == day);
    let idle = (model.snapshot.staff.iter().map(|p| &p.id))
        .find(|id| !rostered(id))
        .expect("someone is off that day");
    assert_eq!(
        field(&[AbsenceSpan::sick(idle.clone(), day, day)]),
        "absences[0]"
    );
    // One person away twice over the same day.
    let busy = (model.snapshot.roster.iter())
        .find(|e| e.date == day)
        .map(|e| e.staff.clone())
        .expect("someone works that day");
    let after = day.succ_opt().unwrap();
    assert_eq!(
        field(&[
            AbsenceSpan::sick(busy.clone(), day, day),
            AbsenceSpan::sick(busy, before, after),
        ]),
        "absences[1]"
    );
    for (weights, name) in [
        (
            CoverWeights {
                add: -1,
                ..CoverWeights::default()
            },
            "weights.add",
        ),
        (
            CoverWeights {
                load_step: 2_000_000,
                ..CoverWeights::default()
            },
            "weights.load_step",
        ),
    ] {
        let call = [AbsenceSpan::sick(
            model.snapshot.staff[0].id.clone(),
            day,
            day,
        )];
        match cover_weighted(
            &model,
            &call,
            &weights,
            Duration::from_secs(5),
            0.0,
            &AtomicBool::new(false),
        ) {
            Err(CoverError::Invalid { field, .. }) => assert_eq!(field, name),
            other => panic!("expected {name} refused, got {other:?}"),
        }
    }
}

/// Priced below a change, a gap is left open, and the plan says it was the price, not a rule.
#[test]
fn a_gap_cheaper_than_a_change_is_said_to_be_so() {
    let model = city();
    let s = &model.snapshot;
    let nursery = (s.organisation.units.iter())
        .find(|u| u.shift_run && u.shifts.len() > 2)
        .expect("the city has a nursery");
    let day: chrono::NaiveDate = "2026-06-03".parse().unwrap();
    let absent = (s.roster.iter())
        .find(|e| e.unit == nursery.id && e.date == day)
        .expect("someone works in the nursery that day");
    let weights = CoverWeights {
        uncovered: 0,
        ..CoverWeights::default()
    };
    let call = [AbsenceSpan::sick(absent.staff.clone(), day, day)];
    let plan = cover_weighted(
        &model,
        &call,
        &weights,
        Duration::from_secs(20),
        0.0,
        &AtomicBool::new(false),
    )
    .expect("the cover is planned");
    assert!(plan.proven, "a sick call is proven within its time");
    // Nobody covers: every change costs more than the free gap.
    assert!(
        plan.changes.iter().all(|c| c.to.is_none()),
        "{:?}",
        plan.changes
    );
    assert!(!plan.uncovered.is_empty(), "the sick call leaves a gap");
    for gap in &plan.uncovered {
        assert!(
            gap.reason.contains("costs more than the gap") && !gap.reason.contains("should not"),
            "{}",
            gap.reason
        );
    }
}

/// A tiny replanning problem: random published roster, prices and free cells.
fn tiny() -> impl Strategy<Value = (ShiftProblem, Vec<Vec<bool>>)> {
    (any::<u64>(), 2usize..=3).prop_map(|(seed, n)| {
        let mut r = seed;
        let mut next = |m: u64| {
            r = r
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((r >> 33) % m) as usize
        };
        let days: usize = 4;
        let shifts = vec![
            ShiftType {
                id: "E".into(),
                minutes: 480,
                cannot_follow: vec![],
            },
            ShiftType {
                id: "N".into(),
                minutes: 600,
                cannot_follow: vec![0],
            },
        ];
        let staff: Vec<StaffLimits> = (0..n)
            .map(|i| StaffLimits {
                id: format!("S{i}"),
                max_shifts: vec![1 + next(3) as u32, next(3) as u32],
                min_minutes: 0,
                max_minutes: 480 * (1 + next(4) as u32),
                max_consecutive_work: 2 + next(2) as u32,
                min_consecutive_work: 0,
                min_consecutive_off: 0,
                max_weekends: 4,
                unavailable: if next(3) == 0 {
                    vec![next(days as u64)]
                } else {
                    vec![]
                },
                forbidden: if next(3) == 0 {
                    vec![(next(days as u64), next(2))]
                } else {
                    vec![]
                },
                // As overtime kept on a published shift bars a succession on that day only.
                forbidden_pairs: if next(3) == 0 {
                    vec![(next(days as u64 - 1), next(2), next(2))]
                } else {
                    vec![]
                },
                fixed: vec![],
            })
            .collect();
        let published: Vec<Vec<Option<usize>>> = (0..n)
            .map(|_| {
                (0..days)
                    .map(|_| match next(3) {
                        0 => None,
                        k => Some(k - 1),
                    })
                    .collect()
            })
            .collect();
        let cover: Vec<Cover> = (0..days)
            .flat_map(|d| (0..2).map(move |t| (d, t)))
            .map(|(d, t)| Cover {
                day: d,
                shifts: vec![t],
                eligible: None,
                requirement: next(2) as u32,
                under_weight: 100,
                over_weight: next(3) as i64,
            })
            .collect();
        let changes = Changes {
            published: Assignment { cells: published },
            add_cost: (0..n)
                .map(|_| vec![5 + next(20) as i64, 5 + next(20) as i64])
                .collect(),
            day_off_cost: (0..n).map(|_| next(10) as i64).collect(),
            remove_cost: (0..n).map(|_| next(10) as i64).collect(),
            load_step: (0..n).map(|_| next(8) as i64).collect(),
        };
        let free = (0..n)
            .map(|_| (0..days).map(|_| next(3) != 0).collect())
            .collect();
        let problem = ShiftProblem {
            days,
            weekends: vec![],
            shifts,
            staff,
            requests: vec![],
            cover,
            changes: Some(changes),
        };
        (problem, free)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, .. ProptestConfig::default() })]

    /// The MILP over the free cells finds the brute-force optimum, priced with changes, keeping the
    /// fixed cells and every hard rule.
    #[test]
    fn replanning_matches_brute_force(case in tiny()) {
        let (mut problem, free) = case;
        // Make the published roster lawful: clear a breaching person's last shift until none breaks.
        let mut published = problem.changes.as_ref().unwrap().published.clone();
        while let Some(b) = problem.evaluate(&published).breaches.first().cloned() {
            let row = &mut published.cells[b.staff];
            if let Some(d) = row.iter().rposition(Option::is_some) {
                row[d] = None;
            }
        }
        problem.changes.as_mut().unwrap().published = published.clone();
        let cells: Vec<(usize, usize)> = (0..problem.staff.len())
            .flat_map(|i| (0..problem.days).map(move |d| (i, d)))
            .filter(|&(i, d)| free[i][d])
            .collect();
        let mut best = i64::MAX;
        for code in 0..3usize.pow(cells.len() as u32) {
            let mut roster = published.clone();
            let mut c = code;
            for &(i, d) in &cells {
                roster.cells[i][d] = match c % 3 { 0 => None, k => Some(k - 1) };
                c /= 3;
            }
            let eval = problem.evaluate(&roster);
            if eval.breaches.is_empty() {
                best = best.min(eval.total());
            }
        }
        let settings = MipSettings { time_limit: Duration::from_secs(20), relative_gap: 0.0, threads: 1, seed: 1, relax: false, probing: false, work_limit: None, stop: Stop::NEVER };
        let out = milp::solve(&problem, &problem.available(), &published, &free, &settings).expect("HiGHS runs");
        prop_assert_eq!(out.status, MipStatus::Optimal);
        let eval = problem.evaluate(&out.assignment);
        prop_assert!(eval.breaches.is_empty(), "{:?}", eval.breaches);
        for (i, row) in free.iter().enumerate() {
            for (d, &is_free) in row.iter().enumerate() {
                if !is_free {
                    prop_assert_eq!(out.assignment.cells[i][d], published.cells[i][d]);
                }
            }
        }
        prop_assert_eq!(eval.total(), best, "problem {:?}\nfree {:?}\nmilp {:?} {:?}", problem, free, out.assignment, eval);
    }
}

/// In-plan fairness: with a load step the third day of a vacancy goes to the dearer colleague
/// rather than to the one who already took two; without it the cheaper one takes all three.
#[test]
fn the_load_step_spreads_the_cover() {
    let plan = |load_step: i64| {
        let person = |id: &str| StaffLimits {
            id: id.into(),
            max_shifts: vec![3],
            min_minutes: 0,
            max_minutes: 3 * 480,
            max_consecutive_work: 3,
            min_consecutive_work: 0,
            min_consecutive_off: 0,
            max_weekends: 1,
            unavailable: vec![],
            forbidden: vec![],
            forbidden_pairs: vec![],
            fixed: vec![],
        };
        let problem = ShiftProblem {
            days: 3,
            weekends: vec![],
            shifts: vec![ShiftType {
                id: "D".into(),
                minutes: 480,
                cannot_follow: vec![],
            }],
            staff: vec![person("cheap"), person("dear")],
            requests: vec![],
            cover: (0..3)
                .map(|day| Cover {
                    day,
                    shifts: vec![0],
                    eligible: None,
                    requirement: 1,
                    under_weight: 1000,
                    over_weight: 0,
                })
                .collect(),
            changes: Some(Changes {
                published: Assignment {
                    cells: vec![vec![None; 3]; 2],
                },
                add_cost: vec![vec![10], vec![15]],
                day_off_cost: vec![0, 0],
                remove_cost: vec![0, 0],
                load_step: vec![load_step; 2],
            }),
        };
        let free = vec![vec![true; 3]; 2];
        let settings = MipSettings {
            time_limit: Duration::from_secs(20),
            relative_gap: 0.0,
            threads: 1,
            seed: 1,
            relax: false,
            probing: true,
            work_limit: None,
            stop: Stop::NEVER,
        };
        let start = problem.changes.as_ref().expect("changes").published.clone();
        let out = milp::solve(&problem, &problem.available(), &start, &free, &settings)
            .expect("HiGHS runs");
        assert_eq!(out.status, MipStatus::Optimal);
        let taken: Vec<usize> = out
            .assignment
            .cells
            .iter()
            .map(|row| row.iter().filter(|c| c.is_some()).count())
            .collect();
        (taken, problem.evaluate(&out.assignment).total())
    };
    // 3 × 10 = 30 against 2 × 10 + 15 = 35.
    assert_eq!(plan(0), (vec![3, 0], 30));
    // 30 + (0 + 10 + 20) = 60 against 35 + 10 = 45.
    assert_eq!(plan(10), (vec![2, 1], 45));
}

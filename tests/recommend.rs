//! Recommend: the best replacements for one absence. Every recommendation is re-validated by the
//! full checker, and the set of lawful candidates is compared with brute force (every staff member
//! tried in the vacancy, the whole snapshot re-checked each time).

mod common;

use common::*;
use rota::gen::{generate, GenConfig};
use rota::model::{Assignment, Id, Model, Snapshot};
use rota::rules::check;
use rota::solve::recommend::{recommend, Absence, Distance, RecommendError};
use std::collections::BTreeSet;

/// The snapshot with `absence`'s shift handed to `cover`.
fn handed_over(snapshot: &Snapshot, absence: &Absence, cover: &Id) -> Snapshot {
    let mut s = snapshot.clone();
    let i = s
        .roster
        .iter()
        .position(|a| a.staff == absence.staff && a.date == absence.date)
        .expect("rostered");
    let vacated: Assignment = s.roster.remove(i);
    s.roster.push(Assignment {
        staff: cover.clone(),
        overtime_minutes: 0,
        ..vacated
    });
    s
}

/// Staff who can take the vacancy with the whole roster still lawful, by brute force.
fn lawful_by_brute_force(snapshot: &Snapshot, absence: &Absence) -> BTreeSet<String> {
    snapshot
        .staff
        .iter()
        .filter(|c| c.id != absence.staff)
        .filter(
            |c| match Model::new(handed_over(snapshot, absence, &c.id)) {
                Ok(model) => check(&model).is_clean(),
                // Refused as input: the candidate already has that very shift that day.
                Err(_) => false,
            },
        )
        .map(|c| c.id.to_string())
        .collect()
}

/// On small lawful cities, the candidates recommend finds are exactly those brute force finds, and
/// handing the shift to any of them leaves the checker with nothing to report.
#[test]
fn recommend_agrees_with_brute_force_and_the_checker() {
    for seed in [3, 11] {
        let city = generate(&GenConfig {
            staff: 40,
            seed,
            planted_per_rule: 0,
            ..GenConfig::default()
        });
        let model = city.snapshot.clone().into_model().expect("loads");
        assert!(check(&model).is_clean(), "the base roster is lawful");
        // A spread of absences: office days, facility shifts, weekends.
        let roster = &city.snapshot.roster;
        for k in 0..6 {
            let a = &roster[(k * 7919 + seed as usize * 131) % roster.len()];
            let absence = Absence {
                staff: a.staff.clone(),
                date: a.date,
            };
            let answer = recommend(&model, &absence, usize::MAX).expect("rostered");
            let found: BTreeSet<String> = answer
                .candidates
                .iter()
                .map(|c| c.staff.to_string())
                .collect();
            let expected = lawful_by_brute_force(&city.snapshot, &absence);
            assert_eq!(found, expected, "seed {seed}, absence {absence:?}");
            assert_eq!(answer.lawful, expected.len());
            for c in answer.candidates.iter().take(3) {
                let after = handed_over(&city.snapshot, &absence, &c.staff)
                    .into_model()
                    .expect("loads");
                assert!(check(&after).is_clean(), "{} covering {absence:?}", c.staff);
            }
        }
    }
}

/// A nurse at the nursery calls in sick on a Wednesday. Of her colleagues, one is off that day and
/// holds 保育士; a clerk of the same unit is off too but lacks it; a 保育士 from elsewhere is also
/// free. The colleague from the same unit comes first, the outsider second, the clerk not at all.
#[test]
fn a_sick_nurse_is_replaced_by_a_qualified_colleague_of_the_same_unit_first() {
    let mut city = TestCity::new("2025-06-02", 7);
    city.facility("nursery", &[EARLY, LATE])
        .requires("nursery", CHILDCARE_WORKER)
        .office("counter")
        .staff("aya", "nursery")
        .qualified("aya", CHILDCARE_WORKER)
        .staff("mika", "nursery")
        .qualified("mika", CHILDCARE_WORKER)
        .staff("nobu", "nursery")
        .staff("kei", "counter")
        .qualified("kei", CHILDCARE_WORKER)
        .work("aya", "2025-06-04", EARLY)
        .demand("nursery", "2025-06-04", 1)
        .on_shift(EARLY);
    let model = city.load().expect("loads");
    let absence = Absence {
        staff: Id::new("aya"),
        date: date("2025-06-04"),
    };

    let answer = recommend(&model, &absence, 5).expect("aya is rostered");

    let order: Vec<&str> = answer.candidates.iter().map(|c| c.staff.as_str()).collect();
    assert_eq!(order, vec!["mika", "kei"]);
    assert_eq!(answer.candidates[0].distance, Distance::SameUnit);
    assert_eq!(answer.candidates[1].distance, Distance::SameSection);
    assert!(answer.candidates[0].cost < answer.candidates[1].cost);
    assert_eq!(
        answer.excluded.get("missing_qualification"),
        Some(&1),
        "nobu lacks 保育士"
    );
    assert_eq!(answer.vacancy.shift.as_str(), EARLY);
}

/// Someone who finished a late shift at 22:00 the night before is not offered an early start:
/// their rest interval would break.
#[test]
fn a_colleague_whose_rest_interval_would_break_is_left_out() {
    let mut city = TestCity::new("2025-06-02", 7);
    city.facility("ward", &[EARLY, LATE])
        .staff("aya", "ward")
        .staff("mika", "ward")
        .work("aya", "2025-06-04", EARLY)
        .work("mika", "2025-06-03", LATE);
    let model = city.load().expect("loads");
    let answer = recommend(
        &model,
        &Absence {
            staff: Id::new("aya"),
            date: date("2025-06-04"),
        },
        5,
    )
    .expect("rostered");
    assert!(answer.candidates.is_empty(), "{:?}", answer.candidates);
    assert_eq!(answer.excluded.get("rest_interval"), Some(&1));
}

/// Asking about someone unknown, or a day they are not rostered, is an error that says which.
#[test]
fn an_absence_that_is_not_rostered_is_refused() {
    let mut city = TestCity::new("2025-06-02", 7);
    city.office("counter")
        .staff("aya", "counter")
        .work("aya", "2025-06-02", DAY);
    let model = city.load().expect("loads");
    let unknown = recommend(
        &model,
        &Absence {
            staff: Id::new("zed"),
            date: date("2025-06-02"),
        },
        5,
    );
    assert_eq!(unknown, Err(RecommendError::UnknownStaff(Id::new("zed"))));
    let off = recommend(
        &model,
        &Absence {
            staff: Id::new("aya"),
            date: date("2025-06-03"),
        },
        5,
    );
    assert!(
        matches!(off, Err(RecommendError::NotRostered { .. })),
        "{off:?}"
    );
    let outside = recommend(
        &model,
        &Absence {
            staff: Id::new("aya"),
            date: date("2030-01-01"),
        },
        5,
    );
    assert!(
        matches!(outside, Err(RecommendError::OutsideHorizon { .. })),
        "{outside:?}"
    );
    assert_eq!(outside.map(|_| ()).unwrap_err().field(), "date");
}

/// `rota recommend` on a generated city lists ranked candidates (exit 0), in text and JSON; an
/// absence that is not rostered exits 2 and says so.
#[test]
fn the_command_line_recommends_and_refuses_clearly() {
    let dir = std::env::temp_dir().join(format!("rota-recommend-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let city = generate(&GenConfig {
        staff: 60,
        planted_per_rule: 0,
        ..GenConfig::default()
    });
    let file = dir.join("city.json");
    std::fs::write(&file, city.snapshot.to_json()).expect("write");
    // An absence at least two colleagues could cover, as the library sees it.
    let model = city.snapshot.clone().into_model().expect("loads");
    let a = city
        .snapshot
        .roster
        .iter()
        .step_by(97)
        .find(|a| {
            let absence = Absence {
                staff: a.staff.clone(),
                date: a.date,
            };
            recommend(&model, &absence, 5).is_ok_and(|r| r.lawful >= 2)
        })
        .expect("some absence has two candidates");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_rota"))
            .arg("recommend")
            .arg(&file)
            .args(args)
            .output()
            .expect("run rota")
    };
    let date = a.date.to_string();
    let text = run(&["--staff", a.staff.as_str(), "--date", &date]);
    assert_eq!(
        text.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&text.stderr)
    );
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("lawful candidate(s)") && stdout.contains("   1 "),
        "{stdout}"
    );
    let json = run(&[
        "--staff",
        a.staff.as_str(),
        "--date",
        &date,
        "--format",
        "json",
        "--top",
        "2",
    ]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(value["candidates"].as_array().map(Vec::len), Some(2));
    let off = run(&["--staff", a.staff.as_str(), "--date", "2099-01-01"]);
    assert_eq!(off.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&off.stderr).contains("outside the horizon"));
    // A list of no one is refused, not answered with "nobody can cover".
    let none = run(&["--staff", a.staff.as_str(), "--date", &date, "--top", "0"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("--top"));
    let _ = std::fs::remove_dir_all(&dir);
}

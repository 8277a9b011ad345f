//! Rostering a shift-run facility of the generated city: the solver's roster, written back into
//! the snapshot, is re-validated by the checker (the referee of every rule), for every facility.

use rota::gen::{generate, GenConfig};
use rota::model::Id;
use rota::rules::check;
use rota::solve::facility::{facility_problem, FacilityError};
use rota::solve::search::{solve, SolveOptions};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// Every facility of a small city is re-rostered over the fiscal year; the checker finds no
/// violation for the unit or its staff, and the roster covers demand at least as well as before.
#[test]
fn every_facility_is_rerostered_lawfully_and_the_checker_agrees() {
    let city = generate(&GenConfig {
        seed: 3,
        staff: 150,
        planted_per_rule: 0,
        ..GenConfig::default()
    });
    let model = city.snapshot.into_model().expect("generated city loads");
    let facilities: Vec<Id> = model
        .snapshot
        .organisation
        .units
        .iter()
        .filter(|u| u.shift_run)
        .map(|u| u.id.clone())
        .collect();
    assert!(
        facilities.len() >= 4,
        "the city has nurseries, libraries and a plant room"
    );
    for unit in facilities {
        let plan = match facility_problem(&model, &unit) {
            Ok(plan) => plan,
            Err(FacilityError::NoStaff(_)) => continue,
            Err(e) => panic!("{unit}: {e}"),
        };
        let options = SolveOptions {
            time_limit: Duration::from_secs(30),
            ..SolveOptions::default()
        };
        let solved = solve(
            &plan.problem,
            &options,
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap_or_else(|e| panic!("{unit}: {e}"));
        assert!(
            solved.evaluation.breaches.is_empty(),
            "{unit}: {:?}",
            solved.evaluation.breaches
        );
        let before = plan.problem.evaluate(&plan.current(&model));
        assert!(
            solved.evaluation.under_cover <= before.under_cover,
            "{unit}: the new roster leaves more uncovered ({}) than the old ({})",
            solved.evaluation.under_cover,
            before.under_cover
        );
        let rerostered = plan
            .apply(&model, &solved.assignment)
            .into_model()
            .expect("result loads");
        let report = check(&rerostered);
        let ours: Vec<&str> = plan.problem.staff.iter().map(|p| p.id.as_str()).collect();
        let found: Vec<String> = report
            .violations
            .iter()
            .filter(|v| {
                v.unit.as_ref() == Some(&unit)
                    || v.staff.as_ref().is_some_and(|s| ours.contains(&s.as_str()))
            })
            .map(|v| format!("{:?}: {}", v.rule, v.message))
            .collect();
        assert!(found.is_empty(), "{unit}: the checker finds {found:#?}");
    }
}

/// Asking for an unknown unit, or an office that is not shift-run, is a clear error.
#[test]
fn an_unknown_or_office_unit_is_refused_by_name() {
    let city = generate(&GenConfig {
        seed: 3,
        staff: 60,
        ..GenConfig::default()
    });
    let model = city.snapshot.into_model().expect("generated city loads");
    let err = facility_problem(&model, &Id::new("U99999")).unwrap_err();
    assert_eq!(err, FacilityError::UnknownUnit("U99999".into()));
    let office = model
        .snapshot
        .organisation
        .units
        .iter()
        .find(|u| !u.shift_run)
        .expect("an office");
    let err = facility_problem(&model, &office.id).unwrap_err();
    assert!(
        err.to_string().contains("not a shift-run facility"),
        "{err}"
    );
}

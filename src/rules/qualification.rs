//! Missing qualification: work in a unit that requires a qualification the person lacks.
//!
//! Meaning: when a unit lists `required_qualifications`, everyone working there holds at least one
//! of them (a nursery room needs 保育士, the water-plant control room a plant operator).
//! Policy: 「適材適所」 — the right person in the right post.

use super::{Measure, RuleId, Violation};
use crate::model::{Model, Work};

pub(super) fn check(model: &Model, s: usize, work: &[Work], out: &mut Vec<Violation>) {
    let held = model.staff_qualifications[s];
    for w in work {
        let required = model.unit_required[w.unit as usize];
        if !required.is_empty() && !held.intersects(&required) {
            let unit = &model.snapshot.organisation.units[w.unit as usize];
            let codes: Vec<&str> = unit
                .required_qualifications
                .iter()
                .map(|q| q.as_str())
                .collect();
            out.push(
                Violation::on_work(model, RuleId::MissingQualification, w, 0, 1, Measure::Staff)
                    .because(format!(
                        "works in {} which requires one of [{}], holding none",
                        unit.id,
                        codes.join(", ")
                    )),
            );
        }
    }
}

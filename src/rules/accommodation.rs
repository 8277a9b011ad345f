//! Accommodations (合理的配慮): where and when a person may work.
//!
//! Meaning: a staff member with `allowed_units` works only in those units; with
//! `allowed_categories` only in units of those workplace categories; with `no_late_shifts` no late
//! or night shift; with `no_night_shifts` no night shift. One violation per offending entry,
//! naming every reason.
//! Policy: 「障害のある職員が能力を発揮できるよう…配慮」 (DESIGN.md: accommodations for staff with disabilities).

use super::{Measure, RuleId, Violation};
use crate::model::{Model, ShiftKind, Work};

pub(super) fn check(model: &Model, s: usize, work: &[Work], out: &mut Vec<Violation>) {
    let snap = &model.snapshot;
    let acc = &snap.staff[s].accommodations;
    if acc.is_empty() {
        return;
    }
    for w in work {
        let unit = &snap.organisation.units[w.unit as usize];
        let kind = model.shifts[w.shift as usize].kind;
        let mut reasons = Vec::new();
        if !acc.allowed_units.is_empty() && !acc.allowed_units.contains(&unit.id) {
            reasons.push(format!("unit {} is not among the allowed units", unit.id));
        }
        if !acc.allowed_categories.is_empty()
            && !unit
                .categories
                .iter()
                .any(|c| acc.allowed_categories.contains(c))
        {
            reasons.push(format!(
                "unit {} is of no allowed workplace category",
                unit.id
            ));
        }
        if acc.no_late_shifts && matches!(kind, ShiftKind::Late | ShiftKind::Night) {
            reasons.push(format!(
                "shift {} is a late shift",
                snap.shift_types[w.shift as usize].id
            ));
        } else if acc.no_night_shifts && kind == ShiftKind::Night {
            reasons.push(format!(
                "shift {} is a night shift",
                snap.shift_types[w.shift as usize].id
            ));
        }
        if !reasons.is_empty() {
            out.push(
                Violation::on_work(
                    model,
                    RuleId::Accommodation,
                    w,
                    reasons.len() as i64,
                    0,
                    Measure::Days,
                )
                .because(reasons.join("; ")),
            );
        }
    }
}

//! The synthetic whole city: a seeded, deterministic generator of an organisation, its staff, a
//! fiscal year of roster, leave and demand, with a known set of planted violations.
//!
//! The default is the size of the source city (about 500 regular staff, 250 fiscal-year
//! appointees, 40 re-appointed staff, 8 departments, 35 sections, 90 units); `staff` scales it
//! with the same proportions. Same config, same bytes.

mod leave;
mod organisation;
mod plant;
mod roster;
mod staff;

pub use organisation::{shift, UnitKind};
pub use plant::Planted;

use crate::model::{Calendar, Model, Rules, Snapshot};
use crate::rules::{check, RuleId, Violation};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use roster::{Inputs, Shifts, Slot};
use std::collections::{HashMap, HashSet};

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenConfig {
    /// Random seed.
    pub seed: u64,
    /// Regular staff (正規職員); appointees and re-appointed staff follow in proportion.
    pub staff: u32,
    /// Fiscal-year appointees (会計年度任用職員); default half the regulars.
    pub appointees: Option<u32>,
    /// Re-appointed staff (再任用); default 8 % of the regulars.
    pub reappointed: Option<u32>,
    /// The fiscal year rostered (April 1 of this year to March 31 of the next).
    pub fiscal_year: i32,
    /// Violations planted per rule.
    pub planted_per_rule: usize,
}

impl Default for GenConfig {
    fn default() -> Self {
        GenConfig {
            seed: 1,
            staff: 500,
            appointees: None,
            reappointed: None,
            fiscal_year: 2026,
            planted_per_rule: 2,
        }
    }
}

/// A generated city.
#[derive(Clone, Debug)]
pub struct GeneratedCity {
    /// The snapshot.
    pub snapshot: Snapshot,
    /// The violations planted on purpose, sorted; the checker must report exactly these.
    pub planted: Vec<Planted>,
    /// Figures about the generation.
    pub stats: GenStats,
}

/// Figures about a generation.
#[derive(Clone, Debug, Default)]
pub struct GenStats {
    /// Breaches the constructive roster made by accident and the generator removed before
    /// planting (lowered demand, dropped overtime or shifts). Zero when the builder is right.
    pub repairs: usize,
}

/// Generates a city.
pub fn generate(config: &GenConfig) -> GeneratedCity {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let calendar = Calendar::fiscal_year(config.fiscal_year).unwrap_or_else(|| {
        Calendar::fiscal_year(GenConfig::default().fiscal_year)
            .expect("the default fiscal year is a valid date")
    });
    let (start, end) = (calendar.start, calendar.end);
    let holidays: HashSet<_> = calendar.holidays.iter().flatten().map(|h| h.date).collect();
    let rules = Rules::default();
    let (mut org, plans) = organisation::build(config.staff, config.fiscal_year);
    let people = staff::build(
        &mut rng,
        &org,
        &plans,
        config.fiscal_year,
        config.appointees.unwrap_or(config.staff / 2),
        config.reappointed.unwrap_or(config.staff * 8 / 100),
    );
    set_quotas(&mut org, &people);
    let leave = leave::build(&mut rng, &people, start, end, &holidays);
    let shifts = Shifts {
        types: organisation::shift_types(),
    };
    let inp = Inputs {
        org: &org,
        plans: &plans,
        people: &people,
        leave: &leave,
        shifts: &shifts,
        start,
        n_days: calendar.days(),
        holidays: &holidays,
        rules: &rules,
    };
    let (mut slots, mut demand) = roster::build(&mut rng, &inp);
    roster::add_overtime(&mut rng, &inp, &mut slots);

    let snapshot_of = |slots: &[Vec<Slot>], demand: &[crate::model::Demand]| {
        let entries = roster::assignments(&inp, slots);
        let (roster, origin): (Vec<_>, Vec<_>) = entries.into_iter().unzip();
        let snapshot = Snapshot {
            organisation: org.clone(),
            staff: people.iter().map(|p| p.staff.clone()).collect(),
            shift_types: shifts.types.clone(),
            calendar: calendar.clone(),
            rules: rules.clone(),
            demand: demand.to_vec(),
            leave: leave.entries.clone(),
            roster,
        };
        (snapshot, origin)
    };

    // The constructive roster should be lawful; whatever slipped through is removed, and counted.
    let mut repairs = 0;
    for _ in 0..8 {
        let (snapshot, origin) = snapshot_of(&slots, &demand);
        let violations = match Model::new(snapshot) {
            Ok(model) => check(&model).violations,
            Err(_) => break,
        };
        if violations.is_empty() {
            break;
        }
        repairs += violations.len();
        repair(&violations, &origin, &mut slots, &mut demand, &inp);
    }

    let planted = plant::plant(
        &mut rng,
        &inp,
        &leave,
        &mut slots,
        &mut demand,
        config.planted_per_rule,
    );
    let (snapshot, _) = snapshot_of(&slots, &demand);
    GeneratedCity {
        snapshot,
        planted,
        stats: GenStats { repairs },
    }
}

/// Each unit's quota (定数) is the headcount it was staffed to: regulars by grade band, and the
/// holders of each qualification.
fn set_quotas(org: &mut crate::model::Organisation, people: &[staff::Person]) {
    use crate::model::{Employment, GradeBand, QuotaLine};
    use std::collections::BTreeMap;
    let mut counts: Vec<BTreeMap<(GradeBand, Option<crate::model::Qualification>), u32>> =
        vec![BTreeMap::new(); org.units.len()];
    for p in people
        .iter()
        .filter(|p| p.staff.employment == Employment::Regular)
    {
        let band = p.staff.grade.band();
        *counts[p.unit].entry((band, None)).or_default() += 1;
        for q in &p.staff.qualifications {
            *counts[p.unit].entry((band, Some(q.clone()))).or_default() += 1;
        }
    }
    for (unit, lines) in org.units.iter_mut().zip(counts) {
        unit.quota = lines
            .into_iter()
            .map(|((band, qualification), count)| QuotaLine {
                band,
                qualification,
                count,
            })
            .collect();
    }
}

/// Removes what causes each violation: demand lowered to what is there, overtime dropped for the
/// caps, the offending shift dropped for everything else.
fn repair(
    violations: &[Violation],
    origin: &[(usize, usize)],
    slots: &mut [Vec<Slot>],
    demand: &mut Vec<crate::model::Demand>,
    inp: &Inputs,
) {
    let mut drop: HashSet<(usize, usize)> = HashSet::new();
    let mut lowered: HashMap<usize, u32> = HashMap::new();
    for v in violations {
        match v.rule {
            RuleId::Coverage => {
                if let Some(e) = v.demand_entry {
                    lowered.insert(e as usize, v.measured.max(0) as u32);
                }
            }
            RuleId::NoOvertimeDay | RuleId::ShortHours => {
                for &e in &v.roster_entries {
                    if let Some(&(p, i)) = origin.get(e as usize) {
                        slots[p][i].overtime = 0;
                    }
                }
            }
            RuleId::OvertimeMonthly
            | RuleId::OvertimeYearly
            | RuleId::OvertimeMultiMonthAverage
            | RuleId::OvertimeMonthsOverCap => {
                let Some(p) = v
                    .staff
                    .as_ref()
                    .and_then(|id| inp.people.iter().position(|x| &x.staff.id == id))
                else {
                    continue;
                };
                let (from, to) = (v.date, v.end_date.unwrap_or(v.date));
                for s in slots[p].iter_mut() {
                    let date = inp.start + chrono::Days::new(s.day as u64);
                    if date >= from && date <= to {
                        s.overtime /= 2;
                    }
                }
            }
            _ => {
                if let Some(&e) = v.roster_entries.last() {
                    if let Some(&origin) = origin.get(e as usize) {
                        drop.insert(origin);
                    }
                }
            }
        }
    }
    for (p, list) in slots.iter_mut().enumerate() {
        let mut i = 0;
        list.retain(|_| {
            let keep = !drop.contains(&(p, i));
            i += 1;
            keep
        });
    }
    for (e, min) in lowered {
        if let Some(line) = demand.get_mut(e) {
            line.min = min;
        }
    }
    demand.retain(|d| d.min > 0);
}

//! The people: regular staff with a grade pyramid, re-appointed staff over 60 and fiscal-year
//! appointees, with hire dates, histories, qualifications, contracts, accommodations and wishes.

use super::organisation::{shift, UnitKind, UnitPlan};
use crate::model::{
    Accommodations, Contract, Employment, Grade, Id, Organisation, Posting, Qualification,
    ShortHours, ShortHoursKind, Staff, Wishes, WorkplaceCategory,
};
use chrono::{Datelike, Days, NaiveDate};
use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A generated person and how they work, which the roster builder follows.
pub struct Person {
    /// The staff record.
    pub staff: Staff,
    /// Home unit index.
    pub unit: usize,
    /// The shift worked on ordinary office days.
    pub office_shift: &'static str,
    /// Weekdays worked a week (5, or 4 for some re-appointed staff).
    pub days_a_week: u32,
}

/// Years of service by grade: (least, most).
fn service_years(grade: Grade) -> (i32, i32) {
    match grade {
        Grade::Director => (32, 37),
        Grade::Counsellor => (30, 36),
        Grade::SectionManager => (26, 34),
        Grade::DeputyManager => (25, 32),
        Grade::AssistantManager => (22, 30),
        Grade::ChiefOfficer => (18, 28),
        Grade::UnitChief => (14, 25),
        Grade::SeniorOfficer => (9, 18),
        Grade::LeadClerk => (5, 12),
        Grade::Clerk => (0, 7),
    }
}

/// The pyramid below the heads: cumulative shares in per mille.
const PYRAMID: &[(Grade, u32)] = &[
    (Grade::Counsellor, 12),
    (Grade::DeputyManager, 24),
    (Grade::AssistantManager, 80),
    (Grade::ChiefOfficer, 150),
    (Grade::UnitChief, 230),
    (Grade::SeniorOfficer, 430),
    (Grade::LeadClerk, 660),
    (Grade::Clerk, 1000),
];

fn pyramid_grade(rng: &mut ChaCha8Rng) -> Grade {
    let x = rng.random_range(0..1000);
    PYRAMID
        .iter()
        .find(|(_, cum)| x < *cum)
        .map(|(g, _)| *g)
        .unwrap_or(Grade::Clerk)
}

fn april_first(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 4, 1).unwrap_or_default()
}

fn random_day_of_year(rng: &mut ChaCha8Rng, year: i32) -> NaiveDate {
    let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    jan1.checked_add_days(Days::new(rng.random_range(0..365)))
        .unwrap_or(jan1)
}

/// Builds every person of the city.
pub fn build(
    rng: &mut ChaCha8Rng,
    org: &Organisation,
    plans: &[UnitPlan],
    fiscal_year: i32,
    appointees: u32,
    reappointed: u32,
) -> Vec<Person> {
    let mut people = Vec::new();
    let by_category = |c: WorkplaceCategory| -> Vec<usize> {
        org.units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.categories.contains(&c))
            .map(|(i, _)| i)
            .collect()
    };
    let office_units: Vec<usize> = plans
        .iter()
        .filter(|p| p.kind == UnitKind::Office)
        .map(|p| p.index)
        .collect();
    let categories = [
        WorkplaceCategory::FrontLine,
        WorkplaceCategory::InternalAdministration,
        WorkplaceCategory::PlanningProjects,
        WorkplaceCategory::WelfareHealth,
        WorkplaceCategory::Technical,
    ];
    let units_in: Vec<Vec<usize>> = categories.iter().map(|&c| by_category(c)).collect();

    // Regulars, unit by unit: the unit's head first.
    for plan in plans {
        for slot in 0..plan.regulars {
            let grade = if slot == 0 && plan.heads_department {
                Grade::Director
            } else if slot == 0 && plan.heads_section {
                Grade::SectionManager
            } else if slot == 0 || (slot == 1 && (plan.heads_section || plan.heads_department)) {
                Grade::UnitChief
            } else {
                pyramid_grade(rng)
            };
            let (lo, hi) = service_years(grade);
            let years = rng.random_range(lo..=hi);
            let age_at_hire = if rng.random_bool(0.85) {
                rng.random_range(18..=24)
            } else {
                rng.random_range(25..=33)
            };
            let age_at_hire = age_at_hire.min(59 - years);
            let hire_date = april_first(fiscal_year - years);
            let birth_date = random_day_of_year(rng, hire_date.year() - age_at_hire - 1);
            let qualified = plan.qualification.is_some_and(|_| rng.random_bool(0.9))
                || matches!(plan.kind, UnitKind::Nursery | UnitKind::Plant);
            let mut qualifications: Vec<Qualification> = Vec::new();
            if let (true, Some(q)) = (qualified, plan.qualification) {
                qualifications.push(Qualification::new(q));
            }
            let history = history(rng, &units_in, plan.index, hire_date, fiscal_year, years);
            let short = plan.kind != UnitKind::Plant
                && (28..=42).contains(&(fiscal_year - birth_date.year()))
                && rng.random_bool(0.08);
            let contract = if short {
                Contract {
                    weekly_minutes: 1800,
                    short_hours: Some(ShortHours {
                        kind: ShortHoursKind::ChildcareShortHours,
                        max_daily_minutes: 360,
                    }),
                }
            } else {
                Contract::full_time()
            };
            let office_shift = if short {
                shift::SHORT_DAY
            } else if matches!(plan.kind, UnitKind::Office | UnitKind::Counter)
                && rng.random_bool(0.1)
            {
                *[shift::DAY_EARLY, shift::DAY_LATE]
                    .choose(rng)
                    .unwrap_or(&shift::DAY)
            } else {
                shift::DAY
            };
            let accommodations = if matches!(plan.kind, UnitKind::Office) && rng.random_bool(0.015)
            {
                accommodation(rng, org, plan.index)
            } else {
                Accommodations::default()
            };
            people.push(Person {
                staff: Staff {
                    id: Id::default(),
                    name: None,
                    grade,
                    employment: Employment::Regular,
                    hire_date,
                    birth_date,
                    unit: org.units[plan.index].id.clone(),
                    history,
                    qualifications,
                    contract,
                    accommodations,
                    wishes: wishes(rng, org, &categories),
                    substitute: false,
                },
                unit: plan.index,
                office_shift,
                days_a_week: 5,
            });
        }
    }
    // Every city has a few accommodated staff, so the rule always has someone to apply to.
    let accommodated = people
        .iter()
        .filter(|p| !p.staff.accommodations.is_empty())
        .count();
    let mut candidates: Vec<usize> = (0..people.len())
        .filter(|&i| {
            plans[people[i].unit].kind == UnitKind::Office
                && people[i].staff.accommodations.is_empty()
        })
        .collect();
    for _ in accommodated..2 {
        if candidates.is_empty() {
            break;
        }
        let i = candidates.remove(rng.random_range(0..candidates.len()));
        people[i].staff.accommodations = accommodation(rng, org, people[i].unit);
    }

    // Re-appointed staff (再任用) over 60, in offices; half work four days a week.
    for _ in 0..reappointed {
        let Some(&unit) = office_units.choose(rng) else {
            break;
        };
        let age = rng.random_range(61..=65);
        let birth_date = random_day_of_year(rng, fiscal_year - age);
        let hire_date = april_first(birth_date.year() + rng.random_range(19..=23));
        let four_days = rng.random_bool(0.5);
        people.push(Person {
            staff: Staff {
                id: Id::default(),
                name: None,
                grade: *[Grade::SeniorOfficer, Grade::LeadClerk]
                    .choose(rng)
                    .unwrap_or(&Grade::SeniorOfficer),
                employment: Employment::Reappointed,
                hire_date,
                birth_date,
                unit: org.units[unit].id.clone(),
                history: vec![Posting {
                    unit: org.units[unit].id.clone(),
                    from: april_first(fiscal_year - 1),
                    to: None,
                }],
                qualifications: Vec::new(),
                contract: Contract {
                    weekly_minutes: if four_days { 1860 } else { 2325 },
                    short_hours: None,
                },
                accommodations: Accommodations::default(),
                wishes: Wishes::default(),
                substitute: false,
            },
            unit,
            office_shift: shift::DAY,
            days_a_week: if four_days { 4 } else { 5 },
        });
    }

    // Fiscal-year appointees (会計年度任用職員): most in nurseries and libraries, the rest in offices;
    // some are registered substitutes.
    let facility_units: Vec<&UnitPlan> = plans
        .iter()
        .filter(|p| matches!(p.kind, UnitKind::Nursery | UnitKind::Library))
        .collect();
    for _ in 0..appointees {
        let plan = if !facility_units.is_empty() && rng.random_bool(0.45) {
            facility_units.choose(rng).copied()
        } else {
            office_units.choose(rng).map(|&u| &plans[u])
        };
        let Some(plan) = plan else { break };
        let age = rng.random_range(22..=66);
        let birth_date = random_day_of_year(rng, fiscal_year - age);
        let years = rng.random_range(0..=(age - 21).min(10));
        let hire_date = april_first(fiscal_year - years);
        let qualifications = match plan.qualification {
            Some(q) if plan.kind == UnitKind::Nursery || rng.random_bool(0.5) => {
                vec![Qualification::new(q)]
            }
            _ => Vec::new(),
        };
        let full_time = plan.kind == UnitKind::Nursery;
        people.push(Person {
            staff: Staff {
                id: Id::default(),
                name: None,
                grade: Grade::Clerk,
                employment: Employment::FiscalYearAppointee,
                hire_date,
                birth_date,
                unit: org.units[plan.index].id.clone(),
                history: vec![Posting {
                    unit: org.units[plan.index].id.clone(),
                    from: hire_date,
                    to: None,
                }],
                qualifications,
                contract: if full_time {
                    Contract::full_time()
                } else {
                    Contract {
                        weekly_minutes: 1800,
                        short_hours: None,
                    }
                },
                accommodations: Accommodations::default(),
                wishes: Wishes::default(),
                substitute: rng.random_bool(0.2),
            },
            unit: plan.index,
            office_shift: if full_time {
                shift::DAY
            } else {
                shift::PART_DAY
            },
            days_a_week: 5,
        });
    }

    for (i, p) in people.iter_mut().enumerate() {
        p.staff.id = Id::new(format!("E{:06}", i + 1));
    }
    people
}

/// Past postings back to the hire date: two to three years each early in a career, three to five
/// later; the current posting began on an April 1 in the last one to five years.
fn history(
    rng: &mut ChaCha8Rng,
    units_in: &[Vec<usize>],
    current: usize,
    hire_date: NaiveDate,
    fiscal_year: i32,
    years: i32,
) -> Vec<Posting> {
    let unit_id = |u: usize| Id::new(format!("U{:05}", u + 1));
    let current_from_year =
        (fiscal_year - rng.random_range(0..=years.min(4))).max(hire_date.year());
    let mut starts = vec![current_from_year];
    let mut year = current_from_year;
    while year > hire_date.year() {
        let left = year - hire_date.year();
        let (least, most) = if left <= 6 { (2, 3) } else { (3, 5) };
        // What is left is one posting when it fits one stay; otherwise a stay that leaves room
        // for a whole one before it, never a one-year remainder cut off at the hire date.
        let stay = if left <= most {
            left
        } else {
            rng.random_range(least..=most).min(left - least)
        };
        year -= stay;
        starts.push(year);
    }
    starts.reverse();
    let mut postings = Vec::with_capacity(starts.len());
    for (i, &from) in starts.iter().enumerate() {
        let unit = if i + 1 == starts.len() {
            current
        } else {
            let pool = &units_in[rng.random_range(0..units_in.len())];
            pool.choose(rng).copied().unwrap_or(current)
        };
        let to = starts
            .get(i + 1)
            .map(|&next| april_first(next).pred_opt().unwrap_or_default());
        postings.push(Posting {
            unit: unit_id(unit),
            from: april_first(from),
            to,
        });
    }
    postings
}

/// An accommodation that the person's home post already satisfies.
fn accommodation(rng: &mut ChaCha8Rng, org: &Organisation, unit: usize) -> Accommodations {
    if rng.random_bool(0.5) {
        Accommodations {
            allowed_categories: org.units[unit].categories.clone(),
            no_late_shifts: true,
            ..Accommodations::default()
        }
    } else {
        Accommodations {
            allowed_units: vec![org.units[unit].id.clone()],
            no_night_shifts: true,
            ..Accommodations::default()
        }
    }
}

fn wishes(rng: &mut ChaCha8Rng, org: &Organisation, categories: &[WorkplaceCategory]) -> Wishes {
    let mut w = Wishes::default();
    let x: f64 = rng.random();
    if x < 0.1 {
        w.stay = true;
    } else if x < 0.4 {
        let n = rng.random_range(1..=2);
        w.categories = categories.choose_multiple(rng, n).copied().collect();
        w.categories.sort();
    } else if x < 0.5 {
        if let Some(u) = org.units.choose(rng) {
            w.units.push(u.id.clone());
        }
    }
    w
}

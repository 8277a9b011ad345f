//! good_lp with HiGHS is wired into the build: a small cover problem solves to the same optimum as
//! brute force.
//!
//! A sick call leaves three shifts of a week uncovered. Four colleagues could take them; each has a
//! price per shift (the overtime it adds and how far their post is from the vacancy), a limit on how
//! many extra shifts they may take, and some shifts they cannot take (their rest interval would
//! break). Cover every shift at the least total price.

use good_lp::{constraint, highs, variable, Expression, ProblemVariables, Solution, SolverModel};

const SHIFTS: usize = 3;
const PEOPLE: usize = 4;
/// Price of person p covering shift s; `None` where the rules forbid it.
const PRICE: [[Option<f64>; SHIFTS]; PEOPLE] = [
    [Some(4.0), None, Some(6.0)],
    [Some(3.0), Some(5.0), None],
    [None, Some(2.0), Some(7.0)],
    [Some(9.0), Some(9.0), Some(1.0)],
];
const MAX_EXTRA: [usize; PEOPLE] = [1, 2, 1, 1];

fn brute_force() -> f64 {
    let mut best = f64::INFINITY;
    // Each shift goes to one of the people: PEOPLE^SHIFTS choices.
    for code in 0..PEOPLE.pow(SHIFTS as u32) {
        let who: Vec<usize> = (0..SHIFTS)
            .map(|s| code / PEOPLE.pow(s as u32) % PEOPLE)
            .collect();
        let mut load = [0usize; PEOPLE];
        let mut total = 0.0;
        let mut lawful = true;
        for (s, &p) in who.iter().enumerate() {
            load[p] += 1;
            match PRICE[p][s] {
                Some(c) => total += c,
                None => lawful = false,
            }
        }
        if lawful && (0..PEOPLE).all(|p| load[p] <= MAX_EXTRA[p]) {
            best = best.min(total);
        }
    }
    best
}

/// HiGHS, through good_lp, finds the brute-force optimum of a small cover problem.
#[test]
fn highs_solves_a_small_cover_problem_to_the_brute_force_optimum() {
    let mut vars = ProblemVariables::new();
    let x: Vec<Vec<_>> = (0..PEOPLE)
        .map(|_| (0..SHIFTS).map(|_| vars.add(variable().binary())).collect())
        .collect();
    let cost: Expression = (0..PEOPLE)
        .flat_map(|p| (0..SHIFTS).map(move |s| (p, s)))
        .filter_map(|(p, s)| PRICE[p][s].map(|c| c * x[p][s]))
        .sum();
    let mut model = vars.minimise(cost).using(highs);
    for s in 0..SHIFTS {
        let covered: Expression = x.iter().map(|row| row[s]).sum();
        model = model.with(constraint!(covered == 1));
    }
    for (p, row) in x.iter().enumerate() {
        let load: Expression = row.iter().copied().sum();
        model = model.with(constraint!(load <= MAX_EXTRA[p] as f64));
        for (s, &var) in row.iter().enumerate() {
            if PRICE[p][s].is_none() {
                model = model.with(constraint!(var == 0));
            }
        }
    }
    let solution = model.solve().expect("the cover problem is feasible");
    let total: f64 = (0..PEOPLE)
        .flat_map(|p| (0..SHIFTS).map(move |s| (p, s)))
        .map(|(p, s)| solution.value(x[p][s]) * PRICE[p][s].unwrap_or(0.0))
        .sum();
    assert!(
        (total - brute_force()).abs() < 1e-6,
        "HiGHS {total} vs brute force {}",
        brute_force()
    );
    assert!(
        (total - 6.0).abs() < 1e-6,
        "the known optimum is 6 (person 1 → s0, 2 → s1, 3 → s2), got {total}"
    );
}

//! The linear relaxation of "one row per person" ([`super::pool`]), kept in HiGHS from one round
//! of column generation to the next: new rows join it as columns and a dive fixes people by
//! bounds, so each solve starts from the last basis instead of from scratch (rebuilding it took
//! most of a round's time once pricing became a dynamic programme).

use super::pool::Row;
use crate::solve::interrupt;
use crate::solve::milp::{MipError, MipSettings};
use crate::solve::problem::ShiftProblem;
use highs::{ColProblem, HighsModelStatus, Sense};
use std::collections::HashSet;

/// The most one solve may take, whatever the round's budget: a year of days on a facility took
/// minutes, and one relaxation should not take the whole solve's time.
const SOLVE_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);

/// HiGHS's `simplex_strategy` values for the dual and the primal simplex.
const DUAL_SIMPLEX: i32 = 1;
const PRIMAL_SIMPLEX: i32 = 4;

/// The least weight of a row that counts as given any ([`Solved::support`]): below HiGHS's
/// tolerances a weight is noise.
const SUPPORT: f64 = 1e-6;

/// The relaxation, between solves.
pub(super) struct Relaxation {
    /// `None` only after HiGHS failed in a solve; the pool then builds a new one.
    model: Option<highs::Model>,
    /// Per cover line: its constraint (count + under − over = wanted).
    lines: Vec<highs::Row>,
    /// Per person: their constraint (their rows' weights sum to one).
    people: Vec<highs::Row>,
    /// The columns of rows, in the order they joined (after the slacks).
    columns: Vec<Column>,
    /// Per person: their columns, as indices into `columns`.
    of_person: Vec<Vec<usize>>,
    /// Per person: the rows they have a column for.
    seen: Vec<HashSet<Row>>,
    /// Per person: rows held at zero until [`Relaxation::allow_all`] (a dive's backtracks).
    forbidden: Vec<HashSet<Row>>,
    /// Columns before the first row's: the slacks.
    slacks: usize,
    /// Seconds spent in HiGHS's runs so far: its time limit counts them all (HiGHS issue 1477).
    run_seconds: f64,
    /// Whether a bound changed since the last solve (else only columns joined).
    rebounded: bool,
}

struct Column {
    row: Row,
    col: highs::Col,
}

/// What a solve gives.
pub(super) struct Solved {
    /// Per cover line: the price of one more person on it.
    pub(super) line_duals: Vec<f64>,
    /// Per person: the price of their one row.
    pub(super) person_duals: Vec<f64>,
    /// Per person: the row given most weight, and that weight.
    pub(super) leading: Vec<(Row, f64)>,
    /// Per person: the rows given any weight, with it.
    pub(super) support: Vec<Vec<(Row, f64)>>,
    /// The relaxation's value.
    pub(super) value: f64,
}

impl Relaxation {
    /// The cover lines and people of `problem`, with the slacks of cover and no row yet.
    pub(super) fn new(problem: &ShiftProblem) -> Self {
        let mut model = ColProblem::new().optimise(Sense::Minimise);
        model.make_quiet();
        // HiGHS's scheduler of threads is set up once per thread, by the first run that needs
        // it, and a later run asking for fewer then fails: one, as every other run here asks.
        let _ = model.try_set_option("threads", 1);
        let lines: Vec<highs::Row> = (problem.cover.iter())
            .map(|line| {
                let wanted = line.requirement as f64;
                model.add_row(wanted..=wanted, [])
            })
            .collect();
        let people: Vec<highs::Row> = (0..problem.staff.len())
            .map(|_| model.add_row(1.0..=1.0, []))
            .collect();
        for (line, &row) in problem.cover.iter().zip(&lines) {
            model.add_col(line.under_weight as f64, 0.0.., [(row, 1.0)]);
            model.add_col(line.over_weight as f64, 0.0.., [(row, -1.0)]);
        }
        Relaxation {
            model: Some(model),
            lines,
            people,
            columns: Vec::new(),
            of_person: vec![Vec::new(); problem.staff.len()],
            seen: vec![HashSet::new(); problem.staff.len()],
            forbidden: vec![HashSet::new(); problem.staff.len()],
            slacks: 2 * problem.cover.len(),
            run_seconds: 0.0,
            rebounded: true,
        }
    }

    /// Adds person `i`'s `row`, priced `cost`, counting on the cover lines `counted`; nothing
    /// when it is there already. No upper bound: one row per person implies it, and a column
    /// held at a bound of its own would take prices the rows' duals miss.
    pub(super) fn add(&mut self, i: usize, row: &Row, cost: f64, counted: &[usize]) {
        let Some(model) = self.model.as_mut() else {
            return;
        };
        if !self.seen[i].insert(row.clone()) {
            return;
        }
        let factors = (counted.iter().map(|&c| (self.lines[c], 1.0)))
            .chain(std::iter::once((self.people[i], 1.0)));
        let col = model.add_col(cost, 0.0.., factors);
        self.of_person[i].push(self.columns.len());
        self.columns.push(Column {
            row: row.clone(),
            col,
        });
    }

    /// Whether HiGHS still holds it (a failed run loses the model).
    pub(super) fn usable(&self) -> bool {
        self.model.is_some()
    }

    /// Holds person `i` to `row` (which must have a column), or frees them with `None`.
    pub(super) fn fix(&mut self, i: usize, row: Option<&Row>) {
        self.hold(i, &|held| row.is_none_or(|row| row == held));
    }

    /// Holds person `i`'s rows that `keep` rejects at zero and frees the others (but those
    /// forbidden); whether any of theirs is free.
    pub(super) fn hold(&mut self, i: usize, keep: &dyn Fn(&Row) -> bool) -> bool {
        let Some(model) = self.model.as_mut() else {
            return false;
        };
        let mut any = false;
        self.rebounded = true;
        for &k in &self.of_person[i] {
            let column = &self.columns[k];
            if !self.forbidden[i].contains(&column.row) && keep(&column.row) {
                model.change_column_bounds(column.col, 0.0..);
                any = true;
            } else {
                model.change_column_bounds(column.col, 0.0..=0.0);
            }
        }
        any
    }

    /// Holds person `i`'s `row` at zero, whatever [`Relaxation::fix`] says, until
    /// [`Relaxation::allow_all`].
    pub(super) fn forbid(&mut self, i: usize, row: &Row) {
        self.forbidden[i].insert(row.clone());
        self.fix(i, None);
    }

    /// Lets every forbidden row back (their bounds change at the next [`Relaxation::fix`] of
    /// their person).
    pub(super) fn allow_all(&mut self) {
        self.forbidden.iter_mut().for_each(HashSet::clear);
    }

    /// Whether no row is forbidden.
    #[cfg(test)]
    pub(super) fn allows_all(&self) -> bool {
        self.forbidden.iter().all(HashSet::is_empty)
    }

    /// Solves it from the last basis; `None` when HiGHS did not reach the optimum in its time,
    /// or failed (then the model is lost, and [`Relaxation::usable`] says so).
    pub(super) fn solve(&mut self, settings: &MipSettings) -> Result<Option<Solved>, MipError> {
        let Some(mut model) = self.model.take() else {
            return Ok(None);
        };
        // Only the time changes from one solve to the next. HiGHS holds a run to the time limit
        // less every run of the model before it, so the limit counts those in.
        let seconds =
            settings.time_limit.min(SOLVE_LIMIT).as_secs_f64().max(0.01) + self.run_seconds;
        model
            .try_set_option("time_limit", seconds)
            .map_err(|e| MipError(format!("time_limit: {e:?}")))?;
        // Columns joining leave the last basis feasible, so the primal simplex goes on from it
        // (on Curtois–Qu Instance 12, a round's solve took 130 ms instead of 290 ms); bounds
        // held or let go leave it dual feasible instead, where the dual simplex is quicker (a
        // dive on Instance 8 took 11 s by the primal, 6 s by the dual).
        let strategy = if std::mem::take(&mut self.rebounded) {
            DUAL_SIMPLEX
        } else {
            PRIMAL_SIMPLEX
        };
        let _ = model.try_set_option("simplex_strategy", strategy);
        let clock = std::time::Instant::now();
        let run = interrupt::run(model, settings.stop);
        self.run_seconds += clock.elapsed().as_secs_f64();
        // A failed run leaves no model: the pool builds the relaxation again (see `usable`).
        let Ok(solved) = run else {
            return Ok(None);
        };
        if solved.status() != HighsModelStatus::Optimal {
            tracing::trace!(status = ?solved.status(), "relaxation not solved");
            self.model = Some(solved.into());
            return Ok(None);
        }
        let solution = solved.get_solution();
        let duals = solution.dual_rows();
        let values = solution.columns();
        let lines = self.lines.len();
        let leading = (self.of_person.iter())
            .map(|columns| {
                let mut lead: Option<(usize, f64)> = None;
                for &k in columns {
                    let value = values.get(self.slacks + k).copied().unwrap_or(0.0);
                    if lead.is_none_or(|(_, best)| value > best) {
                        lead = Some((k, value));
                    }
                }
                lead.map(|(k, value)| (self.columns[k].row.clone(), value))
            })
            .collect::<Option<Vec<_>>>()
            .unwrap_or_default();
        let support = (self.of_person.iter())
            .map(|columns| {
                (columns.iter())
                    .filter_map(|&k| {
                        let value = values.get(self.slacks + k).copied().unwrap_or(0.0);
                        (value > SUPPORT).then(|| (self.columns[k].row.clone(), value))
                    })
                    .collect()
            })
            .collect();
        let outcome = Solved {
            support,
            value: solved.objective_value(),
            line_duals: duals[..lines].to_vec(),
            person_duals: duals[lines..].to_vec(),
            leading,
        };
        self.model = Some(solved.into());
        Ok(Some(outcome))
    }
}

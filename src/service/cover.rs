//! `Cover`: the fewest, fairest changes that restore coverage after absences, over a stored or an
//! inline snapshot.

use super::check::{precheck_source, resolve};
use super::convert::{leave_kind_from_proto, leave_kind_into_proto};
use super::error::ServiceError;
use super::pool::Cancel;
use super::proto as pb;
use super::proto::check_request::Source;
use super::{time_limit, within_deadline, State};
use crate::model::LeaveKind;
use crate::model::{FieldError, Id};
use crate::solve::cover::{
    cover_weighted, AbsenceSpan, CoverChange, CoverError, CoverPlan, CoverWeights, LedgerLine,
    Post, Uncovered,
};
use crate::solve::recommend::Distance;
use chrono::NaiveDate;
use std::time::{Duration, Instant};

/// Solver budget when the request names none, in seconds.
pub const DEFAULT_TIME_LIMIT_SECONDS: f64 = 10.0;
/// Relative gap when the request names none.
pub const DEFAULT_RELATIVE_GAP: f64 = 0.01;
/// Most problems reported from one request's absences.
const MAX_PROBLEMS: usize = 1000;

/// A `Cover` request as it travels to the pool, with the instant by which the caller's deadline
/// (or the server's cap) will have been answered, when there is one.
#[derive(Debug)]
pub struct CoverJob {
    /// The request.
    pub request: pb::CoverRequest,
    /// When the deadline layer answers `DEADLINE_EXCEEDED`; the solve stops by then.
    pub deadline: Option<Instant>,
}

/// What a request asks for, parsed.
#[derive(Debug)]
struct Asked {
    absences: Vec<AbsenceSpan>,
    weights: CoverWeights,
    time_limit: Duration,
    relative_gap: f64,
}

/// The request's snapshot source, in the form every RPC shares.
fn source(request: &mut pb::CoverRequest) -> Option<Source> {
    request.source.take().map(|s| match s {
        pb::cover_request::Source::SnapshotId(id) => Source::SnapshotId(id),
        pb::cover_request::Source::Snapshot(s) => Source::Snapshot(s),
    })
}

/// The absences, the time limit and the gap, or every problem with them. Whether a staff member
/// exists, a day is in the horizon or `to` comes before `from` is the library's to say, with the
/// same field paths.
fn parse(request: &pb::CoverRequest) -> Result<Asked, ServiceError> {
    let mut problems: Vec<FieldError> = Vec::new();
    let mut push = |path: String, reason: String| {
        if problems.len() < MAX_PROBLEMS {
            problems.push(FieldError { path, reason });
        }
    };
    let mut absences = Vec::with_capacity(request.absences.len());
    for (k, a) in request.absences.iter().enumerate() {
        let mut date = |text: &str, field: &str| match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                push(
                    format!("absences[{k}].{field}"),
                    format!("{text:?} is not an ISO date (YYYY-MM-DD)"),
                );
                None
            }
        };
        let from = date(&a.from, "from");
        let to = if a.to.is_empty() {
            from
        } else {
            date(&a.to, "to")
        };
        let kind = if a.kind == pb::LeaveKind::Unspecified as i32 {
            Some(LeaveKind::Sick)
        } else {
            let kind = leave_kind_from_proto(a.kind);
            if kind.is_none() {
                push(
                    format!("absences[{k}].kind"),
                    format!("{} is not a known leave kind", a.kind),
                );
            }
            kind
        };
        if let (Some(from), Some(to), Some(kind)) = (from, to, kind) {
            absences.push(AbsenceSpan {
                staff: Id::new(&a.staff),
                from,
                to,
                kind,
            });
        }
    }
    let defaults = CoverWeights::default();
    let weights = request.weights.as_ref().map_or(defaults, |w| CoverWeights {
        uncovered: w.uncovered.unwrap_or(defaults.uncovered),
        add: w.add.unwrap_or(defaults.add),
        day_off: w.day_off.unwrap_or(defaults.day_off),
        remove: w.remove.unwrap_or(defaults.remove),
        year_to_date: w.year_to_date.unwrap_or(defaults.year_to_date),
        load_step: w.load_step.unwrap_or(defaults.load_step),
    });
    for (path, reason) in weights.problems("weights") {
        push(path, reason);
    }
    let time_limit = match time_limit(
        request.time_limit_seconds,
        DEFAULT_TIME_LIMIT_SECONDS,
        "time_limit_seconds",
    ) {
        Ok(t) => Some(t),
        Err(e) => {
            push(e.path, e.reason);
            None
        }
    };
    let relative_gap = request.relative_gap.unwrap_or(DEFAULT_RELATIVE_GAP);
    if !(0.0..=1.0).contains(&relative_gap) {
        push(
            "relative_gap".into(),
            format!("{relative_gap} is not in [0, 1]"),
        );
    }
    match time_limit {
        Some(time_limit) if problems.is_empty() => Ok(Asked {
            absences,
            weights,
            time_limit,
            relative_gap,
        }),
        _ => Err(ServiceError::InvalidArgument(problems)),
    }
}

/// Checks done before the job is queued: a malformed request or an unknown id is answered at once.
pub fn precheck(state: &State, request: &pb::CoverRequest) -> Result<(), ServiceError> {
    match &request.source {
        None => precheck_source(state, None)?,
        Some(pb::cover_request::Source::SnapshotId(id)) => {
            precheck_source(state, Some(&Source::SnapshotId(id.clone())))?
        }
        Some(pb::cover_request::Source::Snapshot(_)) => {}
    }
    parse(request).map(|_| ())
}

/// Runs on the solve pool: load or convert, validate, plan, convert the plan. The solver's budget
/// is the one asked for, cut to what is left of the caller's deadline.
pub fn cover(
    state: &State,
    job: CoverJob,
    cancel: &Cancel,
) -> Result<pb::CoverResponse, ServiceError> {
    let CoverJob {
        mut request,
        deadline,
    } = job;
    let asked = parse(&request)?;
    let (id, model) = resolve(state, source(&mut request), cancel)?;
    cancel.check()?;
    let time_limit = within_deadline(asked.time_limit, deadline)?;
    let plan = cover_weighted(
        &model,
        &asked.absences,
        &asked.weights,
        time_limit,
        asked.relative_gap,
        cancel.flag(),
    )
    .map_err(|e| match e {
        CoverError::Invalid { field, reason } => ServiceError::field(field, reason),
        CoverError::Solver(reason) => ServiceError::Solver(reason),
    })?;
    cancel.check()?;
    tracing::debug!(
        changes = plan.changes.len(),
        uncovered = plan.uncovered.len(),
        "covered"
    );
    Ok(pb::CoverResponse {
        plan: Some(to_proto(&plan)),
        snapshot_id: id,
    })
}

/// The request of a cover, for a client sending `snapshot` inline.
pub fn request(
    source: pb::cover_request::Source,
    absences: &[AbsenceSpan],
    weights: &CoverWeights,
    time_limit: Duration,
    relative_gap: f64,
) -> pb::CoverRequest {
    pb::CoverRequest {
        source: Some(source),
        absences: absences.iter().map(absence_to_proto).collect(),
        time_limit_seconds: time_limit.as_secs_f64(),
        relative_gap: Some(relative_gap),
        weights: Some(pb::CoverWeights {
            uncovered: Some(weights.uncovered),
            add: Some(weights.add),
            day_off: Some(weights.day_off),
            remove: Some(weights.remove),
            year_to_date: Some(weights.year_to_date),
            load_step: Some(weights.load_step),
        }),
    }
}

fn absence_to_proto(a: &AbsenceSpan) -> pb::Absence {
    pb::Absence {
        staff: a.staff.to_string(),
        from: a.from.to_string(),
        to: a.to.to_string(),
        kind: leave_kind_into_proto(a.kind),
    }
}

fn distance_to_proto(d: Option<Distance>) -> pb::Distance {
    match d {
        None => pb::Distance::Unspecified,
        Some(Distance::SameUnit) => pb::Distance::SameUnit,
        Some(Distance::SameSection) => pb::Distance::SameSection,
        Some(Distance::SameDepartment) => pb::Distance::SameDepartment,
        Some(Distance::SubstitutePool) => pb::Distance::SubstitutePool,
        Some(Distance::Elsewhere) => pb::Distance::Elsewhere,
    }
}

fn post_to_proto(p: &Option<Post>) -> Option<pb::Post> {
    p.as_ref().map(|p| pb::Post {
        unit: p.unit.to_string(),
        shift: p.shift.to_string(),
    })
}

/// The plan as its proto message.
pub fn to_proto(p: &CoverPlan) -> pb::CoverPlan {
    pb::CoverPlan {
        absences: p.absences.iter().map(absence_to_proto).collect(),
        changes: p
            .changes
            .iter()
            .map(|c| pb::CoverChange {
                staff: c.staff.to_string(),
                date: c.date.to_string(),
                from: post_to_proto(&c.from),
                to: post_to_proto(&c.to),
                distance: distance_to_proto(c.distance) as i32,
                reason: c.reason.clone(),
            })
            .collect(),
        uncovered: p
            .uncovered
            .iter()
            .map(|u| pb::UncoveredLine {
                unit: u.unit.to_string(),
                date: u.date.to_string(),
                shift: u.shift.as_ref().map(|s| s.to_string()),
                qualification: u.qualification.clone(),
                short_by: u.short,
                reason: u.reason.clone(),
            })
            .collect(),
        ledger: p
            .ledger
            .iter()
            .map(|l| pb::LedgerLine {
                staff: l.staff.to_string(),
                in_plan: l.in_plan,
                year_to_date: l.year_to_date,
            })
            .collect(),
        penalty: p.penalty,
        uncovered_points: p.uncovered_points,
        over_points: p.over_points,
        change_points: p.change_points,
        bound: p.bound,
        gap: p.gap,
        proven: p.proven,
        candidates: p.candidates as u64,
        vacancies: p.vacancies as u64,
        seconds: p.seconds,
    }
}

/// The plan back from its proto message (for the command line as a client).
pub fn from_proto(p: &pb::CoverPlan) -> Result<CoverPlan, Vec<FieldError>> {
    let bad = |path: String, reason: &str| {
        vec![FieldError {
            path,
            reason: reason.into(),
        }]
    };
    let date = |text: &str, path: String| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| bad(path, "is not an ISO date"))
    };
    let count = |n: u64, path: &str| {
        usize::try_from(n).map_err(|_| bad(path.into(), "is too large for this platform"))
    };
    let post = |p: &Option<pb::Post>| {
        p.as_ref().map(|p| Post {
            unit: Id::new(&p.unit),
            shift: Id::new(&p.shift),
        })
    };
    let mut absences = Vec::with_capacity(p.absences.len());
    for (i, a) in p.absences.iter().enumerate() {
        absences.push(AbsenceSpan {
            staff: Id::new(&a.staff),
            from: date(&a.from, format!("absences[{i}].from"))?,
            to: date(&a.to, format!("absences[{i}].to"))?,
            kind: leave_kind_from_proto(a.kind)
                .ok_or_else(|| bad(format!("absences[{i}].kind"), "is not a known leave kind"))?,
        });
    }
    let mut changes = Vec::with_capacity(p.changes.len());
    for (i, c) in p.changes.iter().enumerate() {
        let distance = match pb::Distance::try_from(c.distance) {
            Ok(pb::Distance::Unspecified) => None,
            Ok(pb::Distance::SameUnit) => Some(Distance::SameUnit),
            Ok(pb::Distance::SameSection) => Some(Distance::SameSection),
            Ok(pb::Distance::SameDepartment) => Some(Distance::SameDepartment),
            Ok(pb::Distance::SubstitutePool) => Some(Distance::SubstitutePool),
            Ok(pb::Distance::Elsewhere) => Some(Distance::Elsewhere),
            Err(_) => {
                return Err(bad(
                    format!("changes[{i}].distance"),
                    "is not a known distance",
                ))
            }
        };
        changes.push(CoverChange {
            staff: Id::new(&c.staff),
            date: date(&c.date, format!("changes[{i}].date"))?,
            from: post(&c.from),
            to: post(&c.to),
            distance,
            reason: c.reason.clone(),
        });
    }
    let mut uncovered = Vec::with_capacity(p.uncovered.len());
    for (i, u) in p.uncovered.iter().enumerate() {
        uncovered.push(Uncovered {
            unit: Id::new(&u.unit),
            date: date(&u.date, format!("uncovered[{i}].date"))?,
            shift: u.shift.as_deref().map(Id::new),
            qualification: u.qualification.clone(),
            short: u.short_by,
            reason: u.reason.clone(),
        });
    }
    Ok(CoverPlan {
        absences,
        changes,
        uncovered,
        ledger: p
            .ledger
            .iter()
            .map(|l| LedgerLine {
                staff: Id::new(&l.staff),
                in_plan: l.in_plan,
                year_to_date: l.year_to_date,
            })
            .collect(),
        penalty: p.penalty,
        uncovered_points: p.uncovered_points,
        over_points: p.over_points,
        change_points: p.change_points,
        bound: p.bound,
        gap: p.gap,
        proven: p.proven,
        candidates: count(p.candidates, "candidates")?,
        vacancies: count(p.vacancies, "vacancies")?,
        seconds: p.seconds,
    })
}

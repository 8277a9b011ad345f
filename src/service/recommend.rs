//! `Recommend`: the best replacements for one absence, over a stored or an inline snapshot.

use super::check::{precheck_source, resolve};
use super::error::ServiceError;
use super::pool::Cancel;
use super::proto as pb;
use super::proto::check_request::Source;
use super::State;
use crate::model::Id;
use crate::solve::recommend::{
    recommend as rank, Absence, Distance, RecommendError, Recommendation,
};
use chrono::NaiveDate;

/// Most candidates one answer may list.
pub const MAX_TOP: u32 = 1000;
/// Candidates listed when the request names no number.
const DEFAULT_TOP: u32 = 5;

/// The request's snapshot source, in the form every RPC shares.
fn source(request: &mut pb::RecommendRequest) -> Option<Source> {
    request.source.take().map(|s| match s {
        pb::recommend_request::Source::SnapshotId(id) => Source::SnapshotId(id),
        pb::recommend_request::Source::Snapshot(s) => Source::Snapshot(s),
    })
}

/// The absence and the number of candidates asked for, or every problem with them.
fn parse(request: &pb::RecommendRequest) -> Result<(Absence, usize), ServiceError> {
    let mut problems = Vec::new();
    let field = |path: &str, reason: String| crate::model::FieldError {
        path: path.into(),
        reason,
    };
    if request.staff.trim().is_empty() {
        problems.push(field("staff", "is required".into()));
    }
    let date = match NaiveDate::parse_from_str(&request.date, "%Y-%m-%d") {
        Ok(date) => Some(date),
        Err(_) => {
            problems.push(field(
                "date",
                format!("{:?} is not an ISO date (YYYY-MM-DD)", request.date),
            ));
            None
        }
    };
    if request.top > MAX_TOP {
        problems.push(field(
            "top",
            format!("{} is more than the limit of {MAX_TOP}", request.top),
        ));
    }
    match (problems.is_empty(), date) {
        (true, Some(date)) => {
            let top = if request.top == 0 {
                DEFAULT_TOP
            } else {
                request.top
            };
            Ok((
                Absence {
                    staff: Id::new(&request.staff),
                    date,
                },
                top as usize,
            ))
        }
        _ => Err(ServiceError::InvalidArgument(problems)),
    }
}

/// Checks done before the job is queued: a malformed request or an unknown id is answered at once.
pub fn precheck(state: &State, request: &pb::RecommendRequest) -> Result<(), ServiceError> {
    match &request.source {
        None => precheck_source(state, None)?,
        Some(pb::recommend_request::Source::SnapshotId(id)) => {
            precheck_source(state, Some(&Source::SnapshotId(id.clone())))?
        }
        Some(pb::recommend_request::Source::Snapshot(_)) => {}
    }
    parse(request).map(|_| ())
}

/// Runs on the solve pool: load or convert, validate, rank, convert the answer.
pub fn recommend(
    state: &State,
    mut request: pb::RecommendRequest,
    cancel: &Cancel,
) -> Result<pb::RecommendResponse, ServiceError> {
    let (absence, top) = parse(&request)?;
    let (id, model) = resolve(state, source(&mut request), cancel)?;
    cancel.check()?;
    let answer = rank(&model, &absence, top)
        .map_err(|e: RecommendError| ServiceError::field(e.field(), e.reason()))?;
    Ok(pb::RecommendResponse {
        recommendation: Some(to_proto(&answer)),
        snapshot_id: id,
    })
}

fn distance(d: Distance) -> pb::Distance {
    match d {
        Distance::SameUnit => pb::Distance::SameUnit,
        Distance::SameSection => pb::Distance::SameSection,
        Distance::SameDepartment => pb::Distance::SameDepartment,
        Distance::SubstitutePool => pb::Distance::SubstitutePool,
        Distance::Elsewhere => pb::Distance::Elsewhere,
    }
}

/// The answer as its proto message.
pub fn to_proto(r: &Recommendation) -> pb::Recommendation {
    let v = &r.vacancy;
    pb::Recommendation {
        vacancy: Some(pb::Vacancy {
            unit: v.unit.to_string(),
            shift: v.shift.to_string(),
            date: v.date.to_string(),
            start: v.start.format("%Y-%m-%dT%H:%M:%S").to_string(),
            end: v.end.format("%Y-%m-%dT%H:%M:%S").to_string(),
        }),
        candidates: r
            .candidates
            .iter()
            .map(|c| pb::Candidate {
                staff: c.staff.to_string(),
                rank: c.rank as u32,
                cost: c.cost,
                breakdown: Some(pb::CostBreakdown {
                    distance: c.breakdown.distance,
                    extra_work: c.breakdown.extra_work,
                    load: c.breakdown.load,
                    headroom: c.breakdown.headroom,
                }),
                distance: distance(c.distance) as i32,
                extra_minutes: c.extra_minutes,
                days_worked_nearby: c.days_worked_nearby,
                rest_slack_minutes: c.rest_slack_minutes,
                run_days: c.run_days,
                explanation: c.explanation.clone(),
            })
            .collect(),
        lawful: r.lawful as u64,
        excluded: r
            .excluded
            .iter()
            .map(|(k, &n)| (k.clone(), n as u64))
            .collect(),
    }
}

/// The answer back from its proto message (for the command line as a client).
pub fn from_proto(r: &pb::Recommendation) -> Result<Recommendation, Vec<crate::model::FieldError>> {
    use crate::solve::recommend::{Candidate, CostBreakdown, Vacancy};
    let bad = |path: &str, reason: &str| {
        vec![crate::model::FieldError {
            path: path.into(),
            reason: reason.into(),
        }]
    };
    let v = r
        .vacancy
        .as_ref()
        .ok_or_else(|| bad("vacancy", "is missing"))?;
    let when = |text: &str, path: &str| {
        chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
            .map_err(|_| bad(path, "is not an ISO date-time"))
    };
    let mut candidates = Vec::with_capacity(r.candidates.len());
    for (i, c) in r.candidates.iter().enumerate() {
        let b = c.breakdown.unwrap_or_default();
        let distance = match pb::Distance::try_from(c.distance) {
            Ok(pb::Distance::SameUnit) => Distance::SameUnit,
            Ok(pb::Distance::SameSection) => Distance::SameSection,
            Ok(pb::Distance::SameDepartment) => Distance::SameDepartment,
            Ok(pb::Distance::SubstitutePool) => Distance::SubstitutePool,
            Ok(pb::Distance::Elsewhere) => Distance::Elsewhere,
            _ => {
                return Err(bad(
                    &format!("candidates[{i}].distance"),
                    "is not a known distance",
                ))
            }
        };
        candidates.push(Candidate {
            staff: Id::new(&c.staff),
            rank: c.rank as usize,
            cost: c.cost,
            breakdown: CostBreakdown {
                distance: b.distance,
                extra_work: b.extra_work,
                load: b.load,
                headroom: b.headroom,
            },
            distance,
            extra_minutes: c.extra_minutes,
            days_worked_nearby: c.days_worked_nearby,
            rest_slack_minutes: c.rest_slack_minutes,
            run_days: c.run_days,
            explanation: c.explanation.clone(),
        });
    }
    Ok(Recommendation {
        vacancy: Vacancy {
            unit: Id::new(&v.unit),
            shift: Id::new(&v.shift),
            date: NaiveDate::parse_from_str(&v.date, "%Y-%m-%d")
                .map_err(|_| bad("vacancy.date", "is not an ISO date"))?,
            start: when(&v.start, "vacancy.start")?,
            end: when(&v.end, "vacancy.end")?,
        },
        candidates,
        lawful: r.lawful as usize,
        excluded: r
            .excluded
            .iter()
            .map(|(k, &n)| (k.clone(), n as usize))
            .collect(),
    })
}

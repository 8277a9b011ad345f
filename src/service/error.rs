//! How the service's failures become gRPC statuses.
//!
//! A client's mistake is never `UNKNOWN` or `INTERNAL`: bad input is `INVALID_ARGUMENT` with
//! every problem as a `google.rpc.BadRequest` field violation (and in the message), an unknown id
//! is `NOT_FOUND`, a full queue or store is `RESOURCE_EXHAUSTED`, data that admit no answer (a
//! person's limits contradict each other) is `FAILED_PRECONDITION`. `INTERNAL` is kept for the
//! server's own faults (an I/O error in the store, a bug), and its message never echoes input.

use super::pool::{Cancelled, PoolError};
use super::store::StoreError;
use crate::model::FieldError;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, FieldViolation, StatusExt};

/// Most bytes of field paths and reasons put in the structured details. Statuses travel in
/// HTTP/2 trailers, which clients cap (grpcio at 8 KiB by default); beyond this budget the
/// remaining problems are counted in a last violation instead of listed.
const DETAILS_BUDGET: usize = 4000;
/// Most bytes of the human-readable message.
const MESSAGE_BUDGET: usize = 1000;
/// Longest reason kept in the details.
const MAX_REASON: usize = 240;

/// Why an RPC failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The request or its snapshot is unusable; paths are from the request's root
    /// (`snapshot.staff[3].unit`).
    #[error("{} problem(s) in the request", .0.len())]
    InvalidArgument(Vec<FieldError>),
    /// No stored snapshot has this id.
    #[error("no snapshot with id {0}")]
    NotFound(String),
    /// The solve pool refused the job.
    #[error(transparent)]
    Pool(#[from] PoolError),
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The caller went away; nobody will read this.
    #[error(transparent)]
    Cancelled(#[from] Cancelled),
    /// The solver failed on valid input (the server's fault, never the caller's).
    #[error("solver: {0}")]
    Solver(String),
    /// The request is well formed but its data admit no answer: a staff member whose own limits
    /// contradict each other, or no lawful roster within the time allowed.
    #[error("{0}")]
    Unsatisfiable(String),
}

impl ServiceError {
    /// One problem in the request at `path`.
    pub fn field(path: impl Into<String>, reason: impl Into<String>) -> Self {
        ServiceError::InvalidArgument(vec![FieldError {
            path: path.into(),
            reason: reason.into(),
        }])
    }
}

impl From<ServiceError> for Status {
    fn from(e: ServiceError) -> Status {
        match e {
            ServiceError::InvalidArgument(errors) => invalid_argument(&errors),
            ServiceError::NotFound(id) => Status::not_found(format!(
                "no snapshot with id {id}; upload it with PutSnapshot first"
            )),
            ServiceError::Pool(p @ PoolError::Full { .. }) => {
                Status::resource_exhausted(p.to_string())
            }
            ServiceError::Pool(p @ PoolError::Closed) => Status::unavailable(p.to_string()),
            ServiceError::Pool(p @ PoolError::Panicked) => {
                tracing::error!("a job panicked");
                Status::internal(p.to_string())
            }
            ServiceError::Store(s @ StoreError::Full { .. }) => {
                Status::resource_exhausted(s.to_string())
            }
            ServiceError::Store(s) => {
                tracing::error!(error = %s, "snapshot store failure");
                Status::new(
                    Code::Internal,
                    "the snapshot store failed; see the server's log",
                )
            }
            ServiceError::Cancelled(c) => Status::cancelled(c.to_string()),
            ServiceError::Unsatisfiable(reason) => Status::failed_precondition(reason),
            ServiceError::Solver(reason) => {
                tracing::error!(%reason, "solver failure");
                Status::internal("the solver failed; see the server's log")
            }
        }
    }
}

fn invalid_argument(errors: &[FieldError]) -> Status {
    let mut message = format!("{} problem(s) in the request: ", errors.len());
    let mut listed = 0;
    for e in errors {
        let item = format!("{}{e}", if listed > 0 { "; " } else { "" });
        if message.len() + item.len() > MESSAGE_BUDGET {
            break;
        }
        message += &item;
        listed += 1;
    }
    if listed < errors.len() {
        message += &format!("; … and {} more (see the details)", errors.len() - listed);
    }

    let mut violations = Vec::new();
    let mut used = 0;
    for e in errors {
        let reason = truncate(&e.reason, MAX_REASON);
        used += e.path.len() + reason.len();
        if used > DETAILS_BUDGET {
            break;
        }
        violations.push(FieldViolation::new(e.path.clone(), reason));
    }
    if violations.len() < errors.len() {
        let more = errors.len() - violations.len();
        violations.push(FieldViolation::new(
            "",
            format!("… and {more} more problem(s), not listed"),
        ));
    }
    Status::with_error_details(
        Code::InvalidArgument,
        message,
        ErrorDetails::with_bad_request(violations),
    )
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// Prefixes every path with `prefix` (`snapshot.`), for errors of the model's own validation
/// whose paths are relative to the snapshot. The root (`$`) becomes the prefix without its dot.
pub fn under(prefix: &str, errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|e| FieldError {
            path: if e.path == "$" || e.path.is_empty() {
                prefix.trim_end_matches('.').to_string()
            } else {
                format!("{prefix}{}", e.path)
            },
            reason: e.reason,
        })
        .collect()
}

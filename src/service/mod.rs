//! The gRPC service (`rota.v1.RotaService`): the API contract in `proto/rota/v1`, a tonic server,
//! and the client the CLI uses for `--server`.
//!
//! One module per RPC, each doing *convert → run on the pool → convert back*, mini-redis style:
//!
//! - [`put_snapshot`], [`get_snapshot_info`], [`check`], [`recommend`], [`cover`], [`roster`]:
//!   the RPCs ([`roster`] streams its progress).
//! - [`convert`]: proto ↔ model, validating on the way in. The core never sees a proto type.
//! - [`pool`]: the bounded blocking pool every CPU-heavy job runs on, and cancellation.
//! - [`store`]: the durable, bounded, content-addressed snapshot store.
//! - [`error`]: failures → gRPC statuses with `google.rpc.BadRequest` details.
//! - [`server`]: configuration, the tonic server (health, reflection, TLS, token, deadlines,
//!   message sizes, graceful shutdown) and [`server::run`].
//! - [`client`]: connecting, and the CLI's remote verbs.
//!
//! See `docs/grpc.md` for the API from a client's side.

pub mod check;
pub mod client;
pub mod convert;
pub mod cover;
pub mod error;
pub mod get_snapshot_info;
pub mod pool;
pub mod put_snapshot;
pub mod recommend;
pub mod roster;
pub mod server;
pub mod store;

pub use error::ServiceError;
pub use server::{run, Config, ServeError};

/// The generated messages, server and client of `rota.v1` (from `proto/rota/v1`).
#[allow(missing_docs, clippy::all, clippy::pedantic)]
pub mod proto {
    tonic::include_proto!("rota.v1");

    /// The encoded file descriptor set of `rota.v1`, served by reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] =
        include_bytes!(concat!(env!("OUT_DIR"), "/rota_v1_descriptor.bin"));
}

use crate::model::FieldError;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Longest solver budget a request may ask for, in seconds.
pub const MAX_TIME_LIMIT_SECONDS: f64 = 86_400.0;

/// A request's `time_limit_seconds` (at `path`): 0 means `default`; otherwise in
/// (0, [`MAX_TIME_LIMIT_SECONDS`]].
pub fn time_limit(seconds: f64, default: f64, path: &str) -> Result<Duration, FieldError> {
    if seconds == 0.0 {
        Ok(Duration::from_secs_f64(default))
    } else if seconds.is_finite() && seconds > 0.0 && seconds <= MAX_TIME_LIMIT_SECONDS {
        Ok(Duration::from_secs_f64(seconds))
    } else {
        Err(FieldError {
            path: path.into(),
            reason: format!(
                "{seconds} is not in (0, {MAX_TIME_LIMIT_SECONDS}] seconds (0 means the default)"
            ),
        })
    }
}

/// `asked` cut to what is left before `deadline`; `Cancelled` when nothing is left.
pub fn within_deadline(
    asked: Duration,
    deadline: Option<Instant>,
) -> Result<Duration, pool::Cancelled> {
    match deadline {
        Some(deadline) => {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                Err(pool::Cancelled)
            } else {
                Ok(asked.min(left))
            }
        }
        None => Ok(asked),
    }
}

/// What every RPC shares: the store, the model cache and the pool.
#[derive(Clone)]
pub struct State {
    /// Stored snapshots.
    pub store: Arc<store::Store>,
    /// Recently used models.
    pub models: Arc<store::ModelCache>,
    /// The bounded blocking pool.
    pub pool: pool::SolvePool,
}

/// The proto form of a stored snapshot's description.
pub fn info_to_proto(i: &store::StoredInfo) -> proto::SnapshotInfo {
    proto::SnapshotInfo {
        snapshot_id: i.id.clone(),
        size_bytes: i.size_bytes,
        stored_at: i.stored_at.clone(),
        calendar_start: i.calendar_start.clone(),
        calendar_end: i.calendar_end.clone(),
        departments: i.departments,
        units: i.units,
        staff: i.staff,
        roster_entries: i.roster_entries,
        leave_entries: i.leave_entries,
        demand_lines: i.demand_lines,
    }
}

/// Checks the form of a snapshot id given at `path`.
pub fn snapshot_id(id: &str, path: &str) -> Result<(), ServiceError> {
    if store::is_valid_id(id) {
        Ok(())
    } else if id.is_empty() {
        Err(ServiceError::field(path, "is required"))
    } else {
        Err(ServiceError::field(
            path,
            "is not a snapshot id (64 lowercase hex digits, as PutSnapshot returns)",
        ))
    }
}

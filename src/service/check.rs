//! `Check`: the checker over a stored or an inline snapshot.

use super::convert::{report_to_proto, snapshot_from_proto};
use super::error::{under, ServiceError};
use super::pool::Cancel;
use super::proto as pb;
use super::proto::check_request::Source;
use super::store::{content_id, StoreError};
use super::{snapshot_id, State};
use crate::model::{Model, Snapshot};
use std::sync::Arc;

/// Checks done before the job is queued: a malformed or unknown id is answered at once.
pub fn precheck(state: &State, request: &pb::CheckRequest) -> Result<(), ServiceError> {
    precheck_source(state, request.source.as_ref())
}

/// The pre-queue check of a snapshot source, shared by every RPC that takes one.
pub fn precheck_source(state: &State, source: Option<&Source>) -> Result<(), ServiceError> {
    match source {
        None => Err(missing_source()),
        Some(Source::SnapshotId(id)) => {
            snapshot_id(id, "snapshot_id")?;
            if state.store.info(id).is_none() {
                return Err(ServiceError::NotFound(id.clone()));
            }
            Ok(())
        }
        Some(Source::Snapshot(_)) => Ok(()),
    }
}

/// Runs on the solve pool: load or convert, validate, check, convert the report.
pub fn check(
    state: &State,
    request: pb::CheckRequest,
    cancel: &Cancel,
) -> Result<pb::CheckResponse, ServiceError> {
    precheck(state, &request)?;
    let (id, model) = resolve(state, request.source, cancel)?;
    cancel.check()?;
    let report = crate::rules::check(&model);
    cancel.check()?;
    tracing::debug!(violations = report.violations.len(), "checked");
    Ok(pb::CheckResponse {
        report: Some(report_to_proto(&report)),
        snapshot_id: id,
    })
}

/// The content id and validated model of a snapshot source: stored (from the model cache or the
/// store) or inline (converted and validated here).
pub fn resolve(
    state: &State,
    source: Option<Source>,
    cancel: &Cancel,
) -> Result<(String, Arc<Model>), ServiceError> {
    Ok(match source {
        None => return Err(missing_source()),
        Some(Source::SnapshotId(id)) => {
            let model = stored_model(state, &id, cancel)?;
            (id, model)
        }
        Some(Source::Snapshot(proto)) => {
            let snapshot =
                snapshot_from_proto(&proto, "snapshot.").map_err(ServiceError::InvalidArgument)?;
            drop(proto);
            cancel.check()?;
            let id = content_id(&snapshot.to_json());
            cancel.check()?;
            let model = Model::new(snapshot)
                .map_err(|e| ServiceError::InvalidArgument(under("snapshot.", e.field_errors())))?;
            (id, Arc::new(model))
        }
    })
}

fn missing_source() -> ServiceError {
    ServiceError::field(
        "source",
        "is required: set snapshot_id (a stored snapshot) or snapshot (inline)",
    )
}

/// The model of a stored snapshot, from the cache or from disk.
fn stored_model(state: &State, id: &str, cancel: &Cancel) -> Result<Arc<Model>, ServiceError> {
    if let Some(model) = state.models.get(id) {
        return Ok(model);
    }
    let json = state
        .store
        .load(id)?
        .ok_or_else(|| ServiceError::NotFound(id.to_string()))?;
    cancel.check()?;
    // It was valid when stored; failing now means the file changed under us.
    let corrupt = |reason: String| StoreError::Corrupt {
        id: id.to_string(),
        reason,
    };
    let snapshot = Snapshot::from_json(&json).map_err(|e| corrupt(e.to_string()))?;
    drop(json);
    cancel.check()?;
    let model = Arc::new(Model::new(snapshot).map_err(|e| corrupt(e.to_string()))?);
    state.models.insert(id, Arc::clone(&model));
    Ok(model)
}

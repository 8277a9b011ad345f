//! `PutSnapshot`: convert, validate the whole model, hash the canonical JSON, store durably.

use super::convert::snapshot_from_proto;
use super::error::{under, ServiceError};
use super::pool::Cancel;
use super::proto as pb;
use super::store::StoredInfo;
use super::{info_to_proto, State};
use crate::model::Model;
use std::sync::Arc;

/// Runs on the solve pool: everything here is CPU or disk work.
pub fn put_snapshot(
    state: &State,
    request: pb::PutSnapshotRequest,
    cancel: &Cancel,
) -> Result<pb::PutSnapshotResponse, ServiceError> {
    let Some(proto) = request.snapshot else {
        return Err(ServiceError::field("snapshot", "is required"));
    };
    let snapshot =
        snapshot_from_proto(&proto, "snapshot.").map_err(ServiceError::InvalidArgument)?;
    drop(proto);
    cancel.check()?;
    let json = snapshot.to_json();
    let info = StoredInfo::describe(&snapshot, &json);
    if let Some(existing) = state.store.info(&info.id) {
        return Ok(pb::PutSnapshotResponse {
            info: Some(info_to_proto(&existing)),
            created: false,
        });
    }
    // Only a usable snapshot is stored, so every later question about it can rely on it.
    let model = Model::new(snapshot)
        .map_err(|e| ServiceError::InvalidArgument(under("snapshot.", e.field_errors())))?;
    cancel.check()?;
    let (info, created) = state.store.put(info, &json)?;
    state.models.insert(&info.id, Arc::new(model));
    tracing::info!(snapshot_id = %info.id, created, bytes = info.size_bytes, "snapshot stored");
    Ok(pb::PutSnapshotResponse {
        info: Some(info_to_proto(&info)),
        created,
    })
}

//! `GetSnapshotInfo`: a lookup in the store's index; cheap, so it runs on the async runtime.

use super::error::ServiceError;
use super::proto as pb;
use super::{info_to_proto, snapshot_id, State};

/// Describes a stored snapshot, or `NOT_FOUND`.
pub fn get_snapshot_info(
    state: &State,
    request: &pb::GetSnapshotInfoRequest,
) -> Result<pb::GetSnapshotInfoResponse, ServiceError> {
    snapshot_id(&request.snapshot_id, "snapshot_id")?;
    let info = state
        .store
        .info(&request.snapshot_id)
        .ok_or_else(|| ServiceError::NotFound(request.snapshot_id.clone()))?;
    Ok(pb::GetSnapshotInfoResponse {
        info: Some(info_to_proto(&info)),
    })
}

//! Credit records in the workbench: one record with its version (the `If-Match` of its changes) and history,
//! entry, amendment and revocation.

use super::http::{self, As};
use super::{url, ApiError};
use credit_types::records::{
    AmendRecordRequest, NewRecordRequest, ReadQuery, Record, RecordVersion, RevokeRecordRequest,
};

/// A record as it stands and its version tag, read for `purpose` (recorded in the audit trail).
pub async fn get(token: &str, id: &str, query: &ReadQuery) -> Result<(Record, String), ApiError> {
    http::get_tagged(&url::record(id, query), token, |record: &Record| record.version).await
}

/// Every version of a record, newest first.
pub async fn versions(token: &str, id: &str, query: &ReadQuery) -> Result<Vec<RecordVersion>, ApiError> {
    http::get(&url::record_versions(id, query), As::User(token)).await
}

pub async fn create(token: &str, request: &NewRecordRequest) -> Result<Record, ApiError> {
    http::post(&url::records(&Default::default()), Some(request), As::User(token)).await
}

/// Saves a new version made on the version `if_match`.
pub async fn amend(token: &str, id: &str, request: &AmendRecordRequest, if_match: &str) -> Result<Record, ApiError> {
    http::put_if_match(&url::record(id, &ReadQuery::default()), request, if_match, token).await
}

pub async fn revoke(token: &str, id: &str, request: &RevokeRecordRequest, if_match: &str) -> Result<Record, ApiError> {
    http::post_if_match(&url::record_revoke(id), request, if_match, token).await
}

//! The database administrator's checks: the newest snapshot of the database's state, a snapshot taken now,
//! and a check recorded. (Snapshots and check records are listed through the pager, from [`super::url`].)

use super::http::{self, As};
use super::{url, ApiError};
use credit_types::dbadmin::{DbCheckRecord, DbSnapshot, NewDbCheckRecord};

/// The newest snapshot; the API's 404 (`not_found`) before the first.
pub async fn latest_snapshot(token: &str) -> Result<DbSnapshot, ApiError> {
    http::get(&url::db_snapshot_latest(), As::User(token)).await
}

/// Collects the database's state now (database administrators).
pub async fn take_snapshot(token: &str) -> Result<DbSnapshot, ApiError> {
    http::post::<(), _>(&url::db_snapshots(&Default::default()), None, As::User(token)).await
}

/// Archives a check (database administrators).
pub async fn record_check(token: &str, record: &NewDbCheckRecord) -> Result<DbCheckRecord, ApiError> {
    http::post(&url::db_checks(&Default::default()), Some(record), As::User(token)).await
}

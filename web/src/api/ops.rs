//! Operations: the operation log (a new entry, the CSV export) and the health checks' status board. (Log
//! pages come through the pager, from [`super::url::ops_log`].)

use super::http::{self, As};
use super::{url, ApiError};
use credit_types::health::StatusBoard;
use credit_types::oplog::{NewOpLogEntry, OpLogEntry, OpLogQuery};

pub async fn write_entry(token: &str, entry: &NewOpLogEntry) -> Result<OpLogEntry, ApiError> {
    http::post(&url::ops_log_entries(), Some(entry), As::User(token)).await
}

/// The entries matching `query` as CSV (the export is audited).
pub async fn export(token: &str, query: &OpLogQuery) -> Result<String, ApiError> {
    http::get_text(&url::ops_log_export(query), token).await
}

pub async fn status(token: &str) -> Result<StatusBoard, ApiError> {
    http::get(&url::ops_status(), As::User(token)).await
}

/// Runs every check now; the new board.
pub async fn run_checks(token: &str) -> Result<StatusBoard, ApiError> {
    http::post(&url::ops_status_runs(), None::<&()>, As::User(token)).await
}

//! TEMPORARY stand-ins for `crate::db::{claim_run, slot_of}` and `crate::oplog` until they land on main; removed at
//! the merge.

use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use chrono::{DateTime, DurationRound, TimeDelta, Utc};

pub fn claim_run(_conn: &mut Db, _job: &str, _slot: DateTime<Utc>, _now: DateTime<Utc>) -> ApiResult<bool> {
    Err(ApiError::internal("claim_run is not merged yet"))
}

pub fn slot_of(now: DateTime<Utc>, every: std::time::Duration) -> DateTime<Utc> {
    let every = TimeDelta::from_std(every).unwrap_or(TimeDelta::MAX).max(TimeDelta::seconds(1));
    now.duration_trunc(every).unwrap_or(now)
}

#[derive(Debug, Clone, Copy)]
pub enum OpLogSeverity {
    Warning,
    Error,
}

pub struct NewEntry;

impl NewEntry {
    pub fn automatic(severity: OpLogSeverity, source: &str, text: impl Into<String>) -> Self {
        tracing::warn!(?severity, source, text = text.into(), "operation log (pending)");
        NewEntry
    }
}

pub fn append(_conn: &mut Db, _entry: &NewEntry) -> ApiResult<String> {
    Ok(String::new())
}

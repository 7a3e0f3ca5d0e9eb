//! The database administrator's checks (R-13.1, Art. 13: 定期对数据库运行状态及警告日志进行检查,将状态信息、错误原因、
//! 解决办法进行存档): snapshots of the database's state, collected daily and on demand, and the administrator's record of
//! each check with its state, the warnings seen, the error's cause and the solution.

use crate::labels::labelled_enum;
use crate::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

labelled_enum!(
    /// What a snapshot's figures say, by the rules of the platform (`warning` and `failed` carry their reasons).
    SnapshotState {
        Ok = "ok", "正常";
        Warning = "warning", "警告";
        Failed = "failed", "故障";
    }
);

labelled_enum!(
    /// Why a snapshot was taken.
    SnapshotTrigger {
        Scheduled = "scheduled", "每日自动采集";
        OnDemand = "on_demand", "管理员立即采集";
    }
);

labelled_enum!(
    /// The database administrator's verdict on one check.
    DbCheckState {
        Normal = "normal", "正常";
        Abnormal = "abnormal", "异常";
    }
);

/// SQLite's state: its own integrity check, sizes, the write-ahead log and the planner's statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SqliteFigures {
    /// What `PRAGMA quick_check` answered: `["ok"]`, or the problems it found (at most 20 lines).
    pub quick_check: Vec<String>,
    /// `page_count × page_size`.
    pub size_bytes: i64,
    pub page_count: i64,
    pub page_size: i64,
    /// Pages on the free list (`freelist_count`): space a `VACUUM` would give back.
    pub free_pages: i64,
    /// The size of the write-ahead log file, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wal_bytes: Option<i64>,
    /// When the planner's statistics were last refreshed (`PRAGMA optimize`, at start and daily).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistics_refreshed_at: Option<DateTime<Utc>>,
}

/// One of PostgreSQL's largest tables with its dead tuples (`pg_stat_user_tables`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TableFigures {
    pub table: String,
    /// Table, indexes and TOAST together.
    pub size_bytes: i64,
    pub live_tuples: i64,
    pub dead_tuples: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_vacuum_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_analyze_at: Option<DateTime<Utc>>,
}

/// A standby the server streams to (`pg_stat_replication`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplicaFigures {
    pub application_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_address: Option<String>,
    /// `streaming`, `catchup`, `backup` …
    pub state: String,
    /// `async`, `sync`, `potential`, `quorum`.
    pub sync_state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay_lag_seconds: Option<f64>,
}

/// The longest open transaction (`pg_stat_activity`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenTransaction {
    pub seconds: f64,
    /// `active`, `idle in transaction` …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_name: Option<String>,
}

/// PostgreSQL's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostgresFigures {
    /// `server_version`, e.g. `16.4`.
    pub version: String,
    /// `pg_database_size` of the platform's database.
    pub size_bytes: i64,
    /// Connections to the server (all databases) against `max_connections`.
    pub connections: i64,
    pub max_connections: i64,
    /// The longest open transaction other than the probe's own, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longest_transaction: Option<OpenTransaction>,
    /// Deadlocks and recovery conflicts since the statistics were last reset (`pg_stat_database`).
    pub deadlocks: i64,
    pub conflicts: i64,
    /// Whether this server is a standby.
    pub in_recovery: bool,
    /// The largest tables, largest first.
    pub tables: Vec<TableFigures>,
    /// The standbys, when there are any.
    pub replicas: Vec<ReplicaFigures>,
}

/// The figures of one snapshot: those of the backend in use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "backend", rename_all = "snake_case")]
pub enum DbFigures {
    Sqlite(SqliteFigures),
    Postgres(PostgresFigures),
    /// The probe itself failed (the reason is among the snapshot's reasons).
    Unavailable,
}

/// A snapshot of the database's state: the figures and what the platform's rules make of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DbSnapshot {
    pub id: String,
    pub taken_at: DateTime<Utc>,
    pub trigger: SnapshotTrigger,
    /// Who asked for it (an on-demand snapshot), by id and name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_by_name: Option<String>,
    pub state: SnapshotState,
    /// Why the state is not `ok`, for people to read; empty when it is.
    pub reasons: Vec<String>,
    pub figures: DbFigures,
}

/// A snapshot in the list: the figures left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DbSnapshotSummary {
    pub id: String,
    pub taken_at: DateTime<Utc>,
    pub trigger: SnapshotTrigger,
    /// `sqlite` or `postgres`.
    pub backend: String,
    pub state: SnapshotState,
    pub reasons: Vec<String>,
}

/// Query parameters of `GET /api/v1/ops/database/snapshots`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct DbSnapshotQuery {
    /// Only snapshots in this state.
    pub state: Option<SnapshotState>,
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500, code = "range", message = "limit must be between 1 and 500"))]
    pub limit: Option<u32>,
    /// Cursor from a previous page's `next_cursor` (pages go from the newest back).
    pub cursor: Option<String>,
}

/// The longest text of a check record's fields.
pub const CHECK_TEXT_MAX: usize = 2000;

/// Body of `POST /api/v1/ops/database/checks`: the database administrator's record of one check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewDbCheckRecord {
    pub state: DbCheckState,
    /// What the state and the warning log showed (warnings seen), if anything.
    #[validate(length(max = 2000, code = "length", message = "最多 2000 个字"))]
    #[serde(default)]
    pub warnings: Option<String>,
    /// The error's cause; required when the state is abnormal.
    #[validate(length(max = 2000, code = "length", message = "最多 2000 个字"))]
    #[serde(default)]
    pub error_cause: Option<String>,
    /// What was done or is to be done about it; required when the state is abnormal.
    #[validate(length(max = 2000, code = "length", message = "最多 2000 个字"))]
    #[serde(default)]
    pub solution: Option<String>,
    /// The snapshot the check looked at, if any.
    #[serde(default)]
    pub snapshot_id: Option<String>,
}

/// A text as stored: trimmed, and absent when blank.
pub fn stored_text(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

impl NewDbCheckRecord {
    /// an abnormal state is archived with its cause and its solution (错误原因、解决办法).
    pub fn errors(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.state == DbCheckState::Abnormal {
            if stored_text(&self.error_cause).is_none() {
                errors.push(FieldError::new("error_cause", "required", "状态异常时请写明错误原因"));
            }
            if stored_text(&self.solution).is_none() {
                errors.push(FieldError::new("solution", "required", "状态异常时请写明解决办法"));
            }
        }
        errors
    }
}

/// One archived check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DbCheckRecord {
    pub id: String,
    pub recorded_at: DateTime<Utc>,
    /// Who checked, by id and name.
    pub recorded_by: String,
    pub recorded_by_name: String,
    pub state: DbCheckState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnings: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_cause: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solution: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<String>,
    /// The linked snapshot's state and time, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_state: Option<SnapshotState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_taken_at: Option<DateTime<Utc>>,
}

/// Query parameters of `GET /api/v1/ops/database/checks`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct DbCheckQuery {
    /// Words in the warnings, the cause or the solution.
    #[validate(length(max = 100, code = "length", message = "最多 100 个字"))]
    pub q: Option<String>,
    pub state: Option<DbCheckState>,
    /// Checks recorded at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Checks recorded before this time.
    pub to: Option<DateTime<Utc>>,
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500, code = "range", message = "limit must be between 1 and 500"))]
    pub limit: Option<u32>,
    /// Cursor from a previous page's `next_cursor` (pages go from the newest back).
    pub cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(state: DbCheckState, cause: Option<&str>, solution: Option<&str>) -> NewDbCheckRecord {
        NewDbCheckRecord {
            state,
            warnings: None,
            error_cause: cause.map(Into::into),
            solution: solution.map(Into::into),
            snapshot_id: None,
        }
    }

    #[test]
    fn r13_1_an_abnormal_check_needs_its_cause_and_solution() {
        let fields = |r: NewDbCheckRecord| r.errors().into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(record(DbCheckState::Abnormal, None, Some("  "))), ["error_cause", "solution"]);
        assert_eq!(fields(record(DbCheckState::Abnormal, Some("磁盘满"), None)), ["solution"]);
        assert!(fields(record(DbCheckState::Abnormal, Some("磁盘满"), Some("清理归档"))).is_empty());
        assert!(fields(record(DbCheckState::Normal, None, None)).is_empty());
    }

    #[test]
    fn r13_1_figures_name_their_backend_on_the_wire() {
        let figures = DbFigures::Unavailable;
        assert_eq!(serde_json::to_value(&figures).unwrap(), serde_json::json!({"backend": "unavailable"}));
    }
}

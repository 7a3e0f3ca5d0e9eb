//! The automatic health checks: what the platform checks of itself on a schedule, each check's
//! state, and the board of the latest run.

use crate::labels::labelled_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

labelled_enum!(
    /// One automatic check.
    HealthCheck {
        Database = "database", "数据库连接";
        Migrations = "migrations", "数据库结构";
        DiskSpace = "disk_space", "磁盘空间";
        Backup = "backup", "数据备份";
        Outbox = "outbox", "通知发件箱";
        Intake = "intake", "批量报送";
        AuditChain = "audit_chain", "审计链";
        KeyFiles = "key_files", "密钥文件";
    }
);

labelled_enum!(
    /// A check's state; `unknown` until the check has a result (e.g. no backup plan yet).
    HealthState {
        Ok = "ok", "正常";
        Warning = "warning", "警告";
        Failed = "failed", "故障";
        Unknown = "unknown", "尚无结果";
    }
);

impl HealthState {
    /// How bad the state is, for taking the worst of several: unknown counts between a warning and a failure, since
    /// a check without a result proves nothing.
    pub fn rank(self) -> u8 {
        match self {
            HealthState::Ok => 0,
            HealthState::Warning => 1,
            HealthState::Unknown => 2,
            HealthState::Failed => 3,
        }
    }

    /// The worse of two states.
    pub fn worst(self, other: HealthState) -> HealthState {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }
}

/// One check's result in one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckResult {
    pub check: HealthCheck,
    pub state: HealthState,
    /// What was measured, for people to read (e.g. "往返 3 毫秒", "数据目录可用 42%").
    pub summary: String,
}

/// A check on the board: its latest result and since when it has been in that state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardCheck {
    pub check: HealthCheck,
    pub state: HealthState,
    pub summary: String,
    /// When the check entered its current state (the first run that found it so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<DateTime<Utc>>,
}

/// `GET /api/v1/ops/status`: the current board, from the latest run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusBoard {
    /// The worst state of all checks; `unknown` before the first run.
    pub state: HealthState,
    /// When the latest run was made; absent before the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_at: Option<DateTime<Utc>>,
    /// How long the latest run took, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// How often the checks run, in seconds.
    pub interval_seconds: u64,
    /// Every check, in a fixed order.
    pub checks: Vec<BoardCheck>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_state_wins_and_unknown_is_no_proof() {
        assert_eq!(HealthState::Ok.worst(HealthState::Warning), HealthState::Warning);
        assert_eq!(HealthState::Failed.worst(HealthState::Warning), HealthState::Failed);
        assert_eq!(HealthState::Warning.worst(HealthState::Unknown), HealthState::Unknown);
        assert_eq!(HealthState::Ok.worst(HealthState::Ok), HealthState::Ok);
    }
}

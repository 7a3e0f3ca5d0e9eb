//! Backups with a proven restore: the database administrator's plan, and each backup as recorded
//! with the result of restoring it into a scratch database.

use crate::labels::labelled_enum;
use crate::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use validator::Validate;

labelled_enum!(
    /// Where a backup stands. Only `verified` backups have been restored and checked.
    BackupState {
        Running = "running", "进行中";
        Verified = "verified", "已验证";
        VerificationFailed = "verification_failed", "验证失败";
        Failed = "failed", "备份失败";
    }
);

labelled_enum!(
    /// What started a backup.
    BackupTrigger {
        Scheduled = "scheduled", "按计划";
        Manual = "manual", "手动";
        Command = "command", "命令行";
    }
);

/// The backup plan as kept. The private key never reaches the API: only the path of the file the server's
/// verifier reads it from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BackupPlan {
    /// Whether the server runs the plan every day.
    pub enabled: bool,
    /// Time of day, China time, `HH:MM`.
    pub time_of_day: String,
    /// Keep at most this many backups (the last verified one is always kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_count: Option<u32>,
    /// Keep backups at most this many days (the last verified one is always kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_days: Option<u32>,
    /// Directory on the server the encrypted backup files are written to.
    pub target_dir: String,
    /// The `age` X25519 public key (`age1…`) every backup is encrypted to.
    pub recipient: String,
    /// Where the server's verifier reads the matching private key (an `age` identity file).
    pub identity_file: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by_name: Option<String>,
}

/// Body of `PUT /api/v1/ops/backup-plan`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BackupPlanInput {
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// Time of day, China time, `HH:MM`.
    pub time_of_day: String,
    #[validate(range(min = 1, max = 1000, code = "range", message = "保留份数为 1 至 1000"))]
    #[serde(default)]
    pub keep_count: Option<u32>,
    #[validate(range(min = 1, max = 3650, code = "range", message = "保留天数为 1 至 3650"))]
    #[serde(default)]
    pub keep_days: Option<u32>,
    #[validate(length(min = 1, max = 500, code = "length", message = "备份目录为 1 至 500 个字符"))]
    pub target_dir: String,
    #[validate(length(min = 1, max = 200, code = "length", message = "公钥为 1 至 200 个字符"))]
    pub recipient: String,
    #[validate(length(min = 1, max = 500, code = "length", message = "私钥文件路径为 1 至 500 个字符"))]
    pub identity_file: String,
}

fn enabled_by_default() -> bool {
    true
}

/// Whether `text` is a time of day written `HH:MM`.
pub fn is_time_of_day(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 5
        && bytes[2] == b':'
        && [0, 1, 3, 4].iter().all(|i| bytes[*i].is_ascii_digit())
        && text[..2].parse::<u32>().is_ok_and(|h| h < 24)
        && text[3..].parse::<u32>().is_ok_and(|m| m < 60)
}

/// Whether `text` looks like an `age` X25519 recipient (`age1` and 58 characters of bech32); the server parses it
/// in full.
pub fn looks_like_recipient(text: &str) -> bool {
    const BECH32: &str = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    text.len() == 62 && text.starts_with("age1") && text[4..].chars().all(|c| BECH32.contains(c))
}

impl BackupPlanInput {
    /// The rules `validator` cannot express: the time's form, a retention, absolute paths, the recipient's form.
    pub fn errors(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !is_time_of_day(self.time_of_day.trim()) {
            errors.push(FieldError::new("time_of_day", "pattern", "时间格式为 HH:MM,如 02:30"));
        }
        if self.keep_count.is_none() && self.keep_days.is_none() {
            errors.push(FieldError::new("keep_count", "required", "请填写保留份数或保留天数"));
        }
        for (field, path) in [("target_dir", &self.target_dir), ("identity_file", &self.identity_file)] {
            let path = path.trim();
            if !path.is_empty() && !path.starts_with('/') {
                errors.push(FieldError::new(field, "absolute_path", "请填写服务器上的绝对路径,以 / 开头"));
            }
        }
        let recipient = self.recipient.trim();
        if !recipient.is_empty() && !looks_like_recipient(recipient) {
            errors.push(FieldError::new("recipient", "recipient", "不是 age 公钥(age1 开头,共 62 个字符)"));
        }
        errors
    }
}

/// One backup as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Backup {
    pub id: String,
    pub state: BackupState,
    pub trigger: BackupTrigger,
    /// `sqlite` or `postgres`: the database the backup was taken of.
    pub backend: String,
    /// The encrypted file (zstd, then age) on the server.
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<i64>,
    /// SHA-256 of the encrypted file, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    pub started_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<i64>,
    /// Rows of every table at the moment of the copy.
    #[serde(default)]
    pub table_rows: BTreeMap<String, i64>,
    /// The audit chain's head at the moment of the copy: sequence number and MAC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_seq: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_hash: Option<String>,
    /// When the backup was last restored into a scratch database and checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<DateTime<Utc>>,
    /// What the verification found, or why the backup failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// When retention removed the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed_at: Option<DateTime<Utc>>,
    /// Who ran it (absent: the schedule or the command line) and the name people read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_by_name: Option<String>,
}

/// Query parameters of `GET /api/v1/ops/backups`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct BackupQuery {
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500, code = "range", message = "limit must be between 1 and 500"))]
    pub limit: Option<u32>,
    /// Cursor from a previous page's `next_cursor` (pages go from the newest backup back).
    pub cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> BackupPlanInput {
        BackupPlanInput {
            enabled: true,
            time_of_day: "02:30".into(),
            keep_count: Some(7),
            keep_days: None,
            target_dir: "/var/backups/credit".into(),
            recipient: "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p".into(),
            identity_file: "/etc/credit/backup.agekey".into(),
        }
    }

    #[test]
    fn r14_1_a_plan_reads_its_time_retention_paths_and_recipient() {
        assert!(input().errors().is_empty(), "{:?}", input().errors());
        let fields = |i: BackupPlanInput| i.errors().into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(BackupPlanInput { time_of_day: "2:30".into(), ..input() }), ["time_of_day"]);
        assert_eq!(fields(BackupPlanInput { time_of_day: "24:00".into(), ..input() }), ["time_of_day"]);
        assert_eq!(fields(BackupPlanInput { keep_count: None, ..input() }), ["keep_count"]);
        assert_eq!(fields(BackupPlanInput { target_dir: "backups".into(), ..input() }), ["target_dir"]);
        assert_eq!(fields(BackupPlanInput { recipient: "ssh-ed25519 AAAA".into(), ..input() }), ["recipient"]);
        assert!(!looks_like_recipient("age1QL3Z7HJY54PW3HYWW5AYYFG7ZQGVC7W3J2ELW8ZMRJ2KG5SFN9AQMCAC8P"));
    }
}

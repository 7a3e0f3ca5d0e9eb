//! The automatic health checks themselves: each looks at one thing and says ok, warning or failed with
//! what it measured. The thresholds are here, next to the check they belong to.

use crate::db::Db;
use crate::error::ApiResult;
use crate::schema::{audit_verifications, intake_batches, notices};
use chrono::{Duration, NaiveDateTime};
use credit_types::health::{CheckResult, HealthCheck, HealthState};
use diesel::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Free space below this share of a file system is a warning …
pub const DISK_WARNING_PERCENT: f64 = 15.0;
/// … and below this one a failure.
pub const DISK_FAILED_PERCENT: f64 = 5.0;
/// A database round trip slower than this is a warning.
pub const SLOW_ROUND_TRIP_MS: u128 = 200;
/// A notice waiting longer than this is a warning, …
pub const OUTBOX_WARNING_AGE: Duration = Duration::hours(1);
/// … longer than this a failure.
pub const OUTBOX_FAILED_AGE: Duration = Duration::hours(24);
/// An intake batch still being checked or written after this long is stuck (a warning), …
pub const INTAKE_WARNING_AGE: Duration = Duration::minutes(30);
/// … after this long a failure.
pub const INTAKE_FAILED_AGE: Duration = Duration::hours(2);
/// The nightly verification of the audit chain older than this is a warning: a night was missed.
pub const AUDIT_VERIFICATION_MAX_AGE: Duration = Duration::hours(48);

/// What the checks look at outside the database: the directories whose free space matters and the key files.
#[derive(Debug, Clone, Default)]
pub struct Probes {
    /// Directories by the name people read, e.g. ("数据目录", /var/lib/credit).
    pub directories: Vec<(String, PathBuf)>,
    /// Key files by the name people read; each must be readable by its owner only.
    pub key_files: Vec<(String, PathBuf)>,
}

impl Probes {
    /// The data and evidence directories and the key files the server runs with.
    pub fn of(settings: &crate::config::Settings) -> Probes {
        let mut directories = vec![("数据目录".to_owned(), settings.data_dir.clone())];
        if let Some(evidence) = &settings.records.evidence_dir {
            directories.push(("证据目录".to_owned(), evidence.clone()));
        }
        let mut key_files = vec![
            ("审计密钥".to_owned(), settings.keys.audit_key.clone()),
            ("联系方式密钥".to_owned(), settings.keys.contact_key.clone()),
        ];
        if let crate::token_key::TokenKeySource::File(path) = &settings.token_key {
            key_files.push(("令牌签名密钥".to_owned(), path.clone()));
        }
        Probes { directories, key_files }
    }
}

fn result(check: HealthCheck, state: HealthState, summary: impl Into<String>) -> CheckResult {
    CheckResult { check, state, summary: summary.into() }
}

/// The database answers, and how fast (a `SELECT 1` round trip).
pub fn database(conn: &mut Db) -> CheckResult {
    let started = Instant::now();
    match diesel::sql_query("SELECT 1").execute(conn) {
        Ok(_) => {
            let ms = started.elapsed().as_millis();
            let state = if ms > SLOW_ROUND_TRIP_MS { HealthState::Warning } else { HealthState::Ok };
            result(HealthCheck::Database, state, format!("往返 {ms} 毫秒"))
        }
        Err(error) => result(HealthCheck::Database, HealthState::Failed, format!("数据库无应答:{error}")),
    }
}

/// Every migration this build carries is applied.
pub fn migrations(conn: &mut Db) -> CheckResult {
    match crate::db::migrate::has_pending(conn) {
        Ok(false) => result(HealthCheck::Migrations, HealthState::Ok, "数据库结构已是最新"),
        Ok(true) => result(HealthCheck::Migrations, HealthState::Failed, "有未执行的数据库迁移"),
        Err(error) => result(HealthCheck::Migrations, HealthState::Failed, format!("无法读取迁移状态:{error}")),
    }
}

/// Free space where the data, the evidence and the backups live: the worst directory decides.
pub fn disk_space(directories: &[(String, PathBuf)]) -> CheckResult {
    let mut state = HealthState::Ok;
    let mut parts = Vec::new();
    for (name, dir) in directories {
        match free_percent(dir) {
            Ok(percent) => {
                let here = if percent < DISK_FAILED_PERCENT {
                    HealthState::Failed
                } else if percent < DISK_WARNING_PERCENT {
                    HealthState::Warning
                } else {
                    HealthState::Ok
                };
                state = state.worst(here);
                parts.push(format!("{name}可用 {percent:.0}%"));
            }
            Err(error) => {
                state = state.worst(HealthState::Failed);
                parts.push(format!("{name}无法读取({error})"));
            }
        }
    }
    if parts.is_empty() {
        return result(HealthCheck::DiskSpace, HealthState::Unknown, "没有要检查的目录");
    }
    result(HealthCheck::DiskSpace, state, parts.join(";"))
}

/// The share of the file system holding `dir` that an unprivileged process may still write, in percent. A directory
/// not made yet (evidence arrives with the first objection) is judged by the file system it will be made on.
pub fn free_percent(dir: &Path) -> std::io::Result<f64> {
    let existing = dir.ancestors().find(|d| d.exists()).unwrap_or(dir);
    let stats = nix::sys::statvfs::statvfs(existing).map_err(std::io::Error::from)?;
    let total = stats.blocks() as f64;
    if total == 0.0 {
        return Ok(100.0);
    }
    Ok(stats.blocks_available() as f64 * 100.0 / total)
}

/// Notices waiting to be sent: how many, and how long the oldest has waited.
pub fn outbox(conn: &mut Db, now: NaiveDateTime) -> ApiResult<CheckResult> {
    let pending = notices::table.filter(notices::status.eq("pending"));
    let count: i64 = pending.count().get_result(conn)?;
    let oldest: Option<NaiveDateTime> = notices::table
        .filter(notices::status.eq("pending"))
        .select(diesel::dsl::min(notices::created_at))
        .first(conn)?;
    let Some(oldest) = oldest else {
        return Ok(result(HealthCheck::Outbox, HealthState::Ok, "没有待发通知"));
    };
    let age = now - oldest;
    let state = if age > OUTBOX_FAILED_AGE {
        HealthState::Failed
    } else if age > OUTBOX_WARNING_AGE {
        HealthState::Warning
    } else {
        HealthState::Ok
    };
    Ok(result(HealthCheck::Outbox, state, format!("待发 {count} 条,最早的已等 {}", readable(age))))
}

/// Intake batches still being checked or written long after they came in.
pub fn intake(conn: &mut Db, now: NaiveDateTime) -> ApiResult<CheckResult> {
    let open: Vec<NaiveDateTime> = intake_batches::table
        .filter(intake_batches::status.eq_any(["validating", "committing"]))
        .filter(intake_batches::created_at.lt(now - INTAKE_WARNING_AGE))
        .select(intake_batches::created_at)
        .load(conn)?;
    let Some(oldest) = open.iter().min() else {
        return Ok(result(HealthCheck::Intake, HealthState::Ok, "没有滞留的报送批次"));
    };
    let age = now - *oldest;
    let state = if age > INTAKE_FAILED_AGE { HealthState::Failed } else { HealthState::Warning };
    Ok(result(HealthCheck::Intake, state, format!("{} 个批次滞留,最久 {}", open.len(), readable(age))))
}

/// The latest nightly verification of the audit chain.
pub fn audit_chain(conn: &mut Db, now: NaiveDateTime) -> ApiResult<CheckResult> {
    let latest: Option<(NaiveDateTime, i64, bool, String)> = audit_verifications::table
        .order((audit_verifications::verified_at.desc(), audit_verifications::id.desc()))
        .select((
            audit_verifications::verified_at,
            audit_verifications::to_seq,
            audit_verifications::intact,
            audit_verifications::detail,
        ))
        .first(conn)
        .optional()?;
    Ok(match latest {
        None => result(HealthCheck::AuditChain, HealthState::Unknown, "尚未校验"),
        Some((_, _, false, detail)) => result(HealthCheck::AuditChain, HealthState::Failed, detail),
        Some((at, seq, true, _)) if now - at > AUDIT_VERIFICATION_MAX_AGE => result(
            HealthCheck::AuditChain,
            HealthState::Warning,
            format!("上次校验在 {} 前(至第 {seq} 条),夜间校验未按时进行", readable(now - at)),
        ),
        Some((_, seq, true, _)) => {
            result(HealthCheck::AuditChain, HealthState::Ok, format!("完整,已校验至第 {seq} 条"))
        }
    })
}

/// Key files exist and only their owner may read them.
pub fn key_files(files: &[(String, PathBuf)]) -> CheckResult {
    use std::os::unix::fs::PermissionsExt;
    let mut problems = Vec::new();
    for (name, path) in files {
        match std::fs::metadata(path) {
            Ok(meta) if meta.permissions().mode() & 0o077 != 0 => {
                problems.push(format!("{name}权限过宽({:o})", meta.permissions().mode() & 0o777))
            }
            Ok(_) => {}
            Err(_) => problems.push(format!("{name}文件不存在")),
        }
    }
    if problems.is_empty() {
        result(HealthCheck::KeyFiles, HealthState::Ok, format!("{} 个密钥文件仅属主可读", files.len()))
    } else {
        result(HealthCheck::KeyFiles, HealthState::Failed, problems.join(";"))
    }
}

/// A duration as people read it: minutes, hours or days.
pub fn readable(age: Duration) -> String {
    if age < Duration::hours(1) {
        format!("{} 分钟", age.num_minutes().max(0))
    } else if age < Duration::days(2) {
        format!("{} 小时", age.num_hours())
    } else {
        format!("{} 天", age.num_days())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r12_1_key_files_readable_by_others_fail() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("credit-keys-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("audit.key");
        std::fs::write(&file, b"k").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let files = vec![("审计密钥".to_owned(), file.clone())];
        assert_eq!(key_files(&files).state, HealthState::Ok);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let open = key_files(&files);
        assert_eq!(open.state, HealthState::Failed);
        assert!(open.summary.contains("644"), "{}", open.summary);
        assert_eq!(key_files(&[("x".to_owned(), dir.join("missing"))]).state, HealthState::Failed);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn r12_1_free_space_is_read_and_judged() {
        let here = disk_space(&[("临时目录".to_owned(), std::env::temp_dir())]);
        assert_ne!(here.state, HealthState::Unknown);
        assert!(here.summary.starts_with("临时目录可用"), "{}", here.summary);
        let later = disk_space(&[("将来的目录".to_owned(), std::env::temp_dir().join("not-made-yet/evidence"))]);
        assert_eq!(later.state, here.state, "judged by the file system it will be made on: {}", later.summary);
    }

    #[test]
    fn ages_read_in_the_unit_people_use() {
        assert_eq!(readable(Duration::minutes(5)), "5 分钟");
        assert_eq!(readable(Duration::hours(5)), "5 小时");
        assert_eq!(readable(Duration::days(3)), "3 天");
    }
}

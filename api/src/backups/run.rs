//! Running a backup and proving it: the running row, the copy, the sealed file and its record, then
//! the restore into a scratch database and the comparison, then retention. The same steps serve the schedule, the
//! run-now endpoint and `credit-api backup run`.

use super::copy::{self, CopyError, ScratchDatabase, Tools};
use super::rules::{self, Expected, Kept};
use super::store::{self, BackupRow, Copied, PlanRow};
use super::{crypto, oplog_error};
use crate::audit::{self, Actor, AuditAction, EventFields, Outcome, TargetKind};
use crate::db::{Db, DbTarget};
use crate::error::{ApiError, ApiResult};
use crate::keys::AuditKey;
use chrono::{Duration, NaiveDateTime};
use credit_types::backups::{BackupState, BackupTrigger};
use credit_types::ErrorCode;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A backup still `running` after this long is taken for dead (its server stopped): another may start.
pub const RUNNING_FOR_AT_MOST: Duration = Duration::hours(6);

/// What backups need beyond a connection: the live database's address (for `pg_dump`), the client tools, and the
/// audit anchors the restored copy's chain is checked against.
#[derive(Debug, Clone)]
pub struct Environment {
    pub database: DbTarget,
    pub tools: Tools,
    pub audit_anchors: PathBuf,
}

impl Environment {
    /// The environment of a server with `settings`.
    pub fn of(settings: &crate::config::Settings) -> Environment {
        Environment {
            database: settings.database.clone(),
            tools: Tools { pg_dump: settings.backups.pg_dump.clone(), pg_restore: settings.backups.pg_restore.clone() },
            audit_anchors: settings.keys.audit_anchors.clone(),
        }
    }
}

/// Starts a backup by the plan: refuses when none is kept or one is running, records the running row and its audit
/// event. Run it in a write transaction; then `complete` it outside any.
pub fn start(conn: &mut Db, trigger: BackupTrigger, actor: &Actor, now: NaiveDateTime) -> ApiResult<BackupRow> {
    let Some(plan) = store::plan(conn)? else {
        return Err(ApiError::Conflict {
            code: ErrorCode::NoBackupPlan,
            detail: "no backup plan is kept yet: set one at /ops/backup-plan first".into(),
            errors: Vec::new(),
        });
    };
    if let Some(running) = store::running_since(conn, now - RUNNING_FOR_AT_MOST)? {
        return Err(ApiError::Conflict {
            code: ErrorCode::BackupRunning,
            detail: format!("backup {} is running; wait for it to finish", running.id),
            errors: Vec::new(),
        });
    }
    let id = crate::db::new_id();
    let backend = conn.backend().as_str();
    let file = Path::new(&plan.target_dir).join(file_name(&id, backend, now)).display().to_string();
    let row = BackupRow::running(id, trigger, backend, file, now, actor.id().map(str::to_owned));
    store::insert(conn, &row)?;
    audit::append(
        conn,
        EventFields::new(actor, AuditAction::BackupRun, Outcome::Success)
            .target(TargetKind::Backup, row.id.clone())
            .detail(trigger.as_str().to_owned()),
    )?;
    Ok(row)
}

/// `credit-20261128T183000Z-<id>.sqlite.zst.age`: sorts by time, says what it holds and how it is sealed.
fn file_name(id: &str, backend: &str, now: NaiveDateTime) -> String {
    let kind = if backend == "postgres" { "pgdump" } else { "sqlite" };
    format!("credit-{}-{id}.{kind}.zst.age", now.format("%Y%m%dT%H%M%SZ"))
}

/// Takes the copy of a started backup, seals and records it, verifies it and applies retention; a failure is recorded
/// on the row (and in the operation log), never returned as a panic. `conn` must be outside any transaction.
pub fn complete(conn: &mut Db, env: &Environment, id: &str) -> ApiResult<BackupRow> {
    let began = Instant::now();
    let plan = store::plan(conn)?.ok_or_else(|| ApiError::internal("the backup plan vanished"))?;
    let row = store::find(conn, id)?.ok_or_else(|| ApiError::not_found("no such backup"))?;
    match copy_and_seal(conn, env, &plan, &row) {
        Ok(snapshot) => {
            let (sha256, size_bytes) = crypto::digest(Path::new(&row.file)).map_err(ApiError::internal)?;
            let copied = Copied {
                sha256: &sha256,
                size_bytes,
                table_rows: &snapshot.table_rows,
                audit_seq: snapshot.audit_seq,
                audit_hash: &snapshot.audit_hash,
                finished_at: crate::clock::now(),
                duration_ms: began.elapsed().as_millis() as i64,
            };
            crate::db::write_transaction(conn, |conn| store::record_copy(conn, id, &copied))?;
        }
        Err(problem) => {
            let message = format!("备份失败:{problem}");
            let elapsed = began.elapsed().as_millis() as i64;
            crate::db::write_transaction(conn, |conn| -> ApiResult<()> {
                store::record_failure(conn, id, crate::clock::now(), elapsed, &message)?;
                oplog_error(conn, "backup:run", &format!("数据备份 {id} 失败:{problem}"))
            })?;
            tracing::error!(backup = id, %problem, "backup failed");
            return store::find(conn, id)?.ok_or_else(|| ApiError::not_found("no such backup"));
        }
    }
    let verified = verify(conn, env, id)?;
    if let Err(error) = apply_retention(conn, &plan, crate::clock::now()) {
        tracing::error!(%error, "backup retention failed");
    }
    Ok(verified)
}

/// The copy in a private scratch directory beside the target, sealed into the backup's file; the plain copy is
/// removed with its directory, whatever happens.
fn copy_and_seal(conn: &mut Db, env: &Environment, plan: &PlanRow, row: &BackupRow) -> Result<copy::Snapshot, String> {
    let recipient = crypto::recipient(&plan.recipient).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&plan.target_dir).map_err(|e| format!("目录 {}:{e}", plan.target_dir))?;
    let scratch = tempfile::Builder::new()
        .prefix(".credit-backup-")
        .tempdir_in(&plan.target_dir)
        .map_err(|e| format!("目录 {}:{e}", plan.target_dir))?;
    let plain = scratch.path().join("copy");
    let snapshot = copy::take(conn, &env.database, &env.tools, &plain).map_err(|e| e.to_string())?;
    let partial = PathBuf::from(format!("{}.partial", row.file));
    if let Err(error) = crypto::seal(&plain, &partial, &recipient) {
        let _ = std::fs::remove_file(&partial);
        return Err(error.to_string());
    }
    std::fs::rename(&partial, &row.file).map_err(|e| format!("{}:{e}", row.file))?;
    Ok(snapshot)
}

/// What restoring a backup into a scratch database found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub state: BackupState,
    pub message: String,
}

/// Verifies a recorded backup: the file's SHA-256, then decrypted and restored into a scratch database (a
/// temporary SQLite file, or `credit_verify_<id>` created and dropped on PostgreSQL), its row counts and audit head
/// compared with the record and its audit chain verified. Records the outcome; a failure also writes an
/// operation-log entry (`backup:verify`). `conn` must be outside any transaction.
pub fn verify(conn: &mut Db, env: &Environment, id: &str) -> ApiResult<BackupRow> {
    let row = store::find(conn, id)?.ok_or_else(|| ApiError::not_found("no such backup"))?;
    let plan = store::plan(conn)?;
    let identity_file = plan.map(|p| p.identity_file).unwrap_or_default();
    let finding = match check(env, &row, Path::new(&identity_file)) {
        Ok(summary) => Finding { state: BackupState::Verified, message: summary },
        Err(problem) => Finding { state: BackupState::VerificationFailed, message: format!("验证失败:{problem}") },
    };
    let now = crate::clock::now();
    crate::db::write_transaction(conn, |conn| -> ApiResult<()> {
        store::record_outcome(conn, id, finding.state, Some(now), &finding.message)?;
        if finding.state != BackupState::Verified {
            oplog_error(conn, "backup:verify", &format!("数据备份 {id} {}", finding.message))?;
        }
        Ok(())
    })?;
    if finding.state == BackupState::Verified {
        tracing::info!(backup = id, "backup verified");
    } else {
        tracing::error!(backup = id, message = %finding.message, "backup verification failed");
    }
    store::find(conn, id)?.ok_or_else(|| ApiError::not_found("no such backup"))
}

/// The check itself: `Ok` with a summary, or the first problem found.
fn check(env: &Environment, row: &BackupRow, identity_file: &Path) -> Result<String, String> {
    let (Some(sha256), Some(audit_seq), Some(audit_hash)) = (&row.sha256, row.audit_seq, &row.audit_hash) else {
        return Err("备份没有完成,无可验证的文件".into());
    };
    let file = Path::new(&row.file);
    let (actual, _) = crypto::digest(file).map_err(|e| format!("读取备份文件:{e}"))?;
    if actual != *sha256 {
        return Err(format!("备份文件的 SHA-256 为 {actual},与记录的 {sha256} 不符:文件已被改动或损坏"));
    }
    let identities = crypto::identities(identity_file).map_err(|e| format!("私钥:{e}"))?;
    let scratch = tempfile::Builder::new()
        .prefix(".credit-verify-")
        .tempdir_in(file.parent().unwrap_or(Path::new(".")))
        .map_err(|e| format!("临时目录:{e}"))?;
    let plain = scratch.path().join("copy");
    crypto::open(file, &plain, &identities).map_err(|e| format!("解密:{e}"))?;
    let rows = row.rows().map_err(|e| e.to_string())?;
    let expected = Expected { table_rows: &rows, audit_seq, audit_hash };
    let restored = restore_and_inspect(env, &row.id, &plain).map_err(|e| format!("恢复到临时数据库:{e}"))?;
    let differences = rules::differences(&expected, &restored.rows, restored.audit_seq, &restored.audit_hash);
    if !differences.is_empty() {
        return Err(differences.join(";"));
    }
    if let Some(problem) = restored.chain_problem {
        return Err(format!("恢复出的审计链验证未通过:{problem}"));
    }
    let total: i64 = rows.values().sum();
    Ok(format!(
        "已恢复到临时数据库并核对:{} 张表共 {total} 行与备份时一致,审计链 {audit_seq} 条事件验证通过",
        rows.len()
    ))
}

/// What a restored copy holds.
struct Restored {
    rows: std::collections::BTreeMap<String, i64>,
    audit_seq: i64,
    audit_hash: String,
    /// Why its audit chain does not verify, if it does not.
    chain_problem: Option<String>,
}

fn restore_and_inspect(env: &Environment, id: &str, plain: &Path) -> Result<Restored, CopyError> {
    match &env.database {
        DbTarget::Sqlite(_) => {
            let mut conn = copy::open_sqlite(plain)?;
            inspect(&mut conn, &env.audit_anchors)
        }
        DbTarget::Postgres(url) => {
            let name = format!("credit_verify_{}", id.replace('-', ""));
            let scratch = ScratchDatabase::create(url, &name)?;
            copy::restore(plain, &DbTarget::Postgres(scratch.url.clone()), &env.tools)?;
            let mut conn = copy::open_postgres(&scratch.url)?;
            let inspected = inspect(&mut conn, &env.audit_anchors);
            drop(conn);
            drop(scratch);
            inspected
        }
    }
}

fn inspect(conn: &mut Db, anchors: &Path) -> Result<Restored, CopyError> {
    let snapshot = copy::read_snapshot(conn)?;
    let chain_problem = chain_problem(conn, AuditKey::current().as_deref(), anchors, snapshot.audit_seq)?;
    Ok(Restored {
        rows: snapshot.table_rows,
        audit_seq: snapshot.audit_seq,
        audit_hash: snapshot.audit_hash,
        chain_problem,
    })
}

/// Verifies the audit chain of a copy whose head is `head_seq` with the audit key, against the anchors up to that
/// event (anchors written after the copy name events it cannot hold). `None` when the chain is intact.
pub fn chain_problem(
    conn: &mut Db,
    key: Option<&AuditKey>,
    anchors_file: &Path,
    head_seq: i64,
) -> Result<Option<String>, CopyError> {
    let mut anchors = crate::audit::anchor::read(anchors_file)
        .map_err(|e| CopyError::Io { what: e.to_string(), source: std::io::ErrorKind::InvalidData.into() })?;
    anchors.anchors.retain(|a| a.seq <= head_seq);
    let verification = crate::audit::verify(conn, key, &anchors)?;
    if verification.intact() {
        return Ok(None);
    }
    let mut problems = Vec::new();
    if let Some(problem) = &verification.key_problem {
        problems.push(problem.detail.clone());
    }
    if let Some(broken) = &verification.first_broken {
        problems.push(format!("event {}: {}", broken.seq, broken.reason));
    }
    if let Some(anchor) = &verification.anchors.first_mismatch {
        problems.push(format!("the anchor of event {} does not match", anchor.seq));
    }
    Ok(Some(problems.join("; ")))
}

/// Removes the files of the backups retention no longer keeps and marks their rows removed; never the
/// newest verified backup. Returns the ids removed.
pub fn apply_retention(conn: &mut Db, plan: &PlanRow, now: NaiveDateTime) -> ApiResult<Vec<String>> {
    let kept = store::kept(conn)?;
    let seen: Vec<Kept> =
        kept.iter().map(|b| Kept { id: b.id.clone(), state: b.state, started_at: b.started_at }).collect();
    let keep_count = plan.keep_count.map(|n| n.max(1) as u32);
    let keep_days = plan.keep_days.map(|n| n.max(1) as u32);
    let mut removed = Vec::new();
    for id in rules::to_remove(&seen, keep_count, keep_days, now) {
        let Some(backup) = kept.iter().find(|b| b.id == id) else { continue };
        match std::fs::remove_file(&backup.file) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                tracing::error!(%error, file = %backup.file, "retention could not remove a backup file");
                continue;
            }
        }
        crate::db::write_transaction(conn, |conn| store::mark_removed(conn, &id, now))?;
        removed.push(id);
    }
    if !removed.is_empty() {
        tracing::info!(count = removed.len(), "retention removed old backups");
    }
    Ok(removed)
}

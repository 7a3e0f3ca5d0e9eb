//! Backups and the plan as people read them: UTC times, the row counts as a map, who ran or changed them by name.

use super::store::{BackupRow, PlanRow};
use crate::db::Db;
use crate::error::ApiResult;
use chrono::{NaiveDateTime, TimeZone, Utc};
use credit_types::backups::{Backup, BackupPlan};

fn utc(at: NaiveDateTime) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&at)
}

/// The backups with the names of who ran them.
pub fn backups(conn: &mut Db, rows: Vec<BackupRow>) -> ApiResult<Vec<Backup>> {
    let ids: Vec<&str> = rows.iter().filter_map(|r| r.started_by.as_deref()).collect();
    let names = crate::identity::store::actor_names(conn, &ids)?;
    rows.into_iter()
        .map(|row| {
            let table_rows = row.rows()?;
            Ok(Backup {
                started_by_name: row.started_by.as_ref().and_then(|id| names.get(id).cloned()),
                id: row.id,
                state: row.state,
                trigger: row.trigger_kind,
                backend: row.backend,
                file: row.file,
                size_bytes: row.size_bytes,
                sha256: row.sha256,
                started_at: utc(row.started_at),
                finished_at: row.finished_at.map(utc),
                duration_ms: row.duration_ms,
                table_rows,
                audit_seq: row.audit_seq,
                audit_hash: row.audit_hash,
                verified_at: row.verified_at.map(utc),
                message: row.message,
                removed_at: row.removed_at.map(utc),
                started_by: row.started_by,
            })
        })
        .collect()
}

/// One backup.
pub fn backup(conn: &mut Db, row: BackupRow) -> ApiResult<Backup> {
    let mut one = backups(conn, vec![row])?;
    one.pop().ok_or_else(|| crate::error::ApiError::internal("a backup row read as none"))
}

/// The plan with the name of who last changed it.
pub fn plan(conn: &mut Db, row: PlanRow) -> ApiResult<BackupPlan> {
    let names = crate::identity::store::actor_names(conn, &[row.updated_by.as_str()])?;
    Ok(BackupPlan {
        enabled: row.enabled,
        time_of_day: row.time_of_day,
        keep_count: row.keep_count.map(|n| n.max(0) as u32),
        keep_days: row.keep_days.map(|n| n.max(0) as u32),
        target_dir: row.target_dir,
        recipient: row.recipient,
        identity_file: row.identity_file,
        updated_at: utc(row.updated_at),
        updated_by_name: names.get(&row.updated_by).cloned(),
        updated_by: row.updated_by,
    })
}

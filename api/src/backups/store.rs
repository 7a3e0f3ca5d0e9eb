//! The plan's row and the backups' rows. `latest` and `last_verified` are what the backup health check reads.

use crate::db::Db;
use crate::schema::{backup_plan, backups};
use chrono::NaiveDateTime;
use credit_types::backups::{BackupState, BackupTrigger};
use diesel::prelude::*;
use std::collections::BTreeMap;

/// The plan as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = backup_plan)]
pub struct PlanRow {
    pub id: i32,
    pub enabled: bool,
    pub time_of_day: String,
    pub keep_count: Option<i32>,
    pub keep_days: Option<i32>,
    pub target_dir: String,
    pub recipient: String,
    pub identity_file: String,
    pub updated_at: NaiveDateTime,
    pub updated_by: String,
}

/// A backup as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = backups)]
pub struct BackupRow {
    pub id: String,
    pub state: BackupState,
    pub trigger_kind: BackupTrigger,
    pub backend: String,
    pub file: String,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub duration_ms: Option<i64>,
    pub table_rows: Option<String>,
    pub audit_seq: Option<i64>,
    pub audit_hash: Option<String>,
    pub verified_at: Option<NaiveDateTime>,
    pub message: Option<String>,
    pub removed_at: Option<NaiveDateTime>,
    pub started_by: Option<String>,
}

impl BackupRow {
    /// A new running backup.
    pub fn running(
        id: String,
        trigger: BackupTrigger,
        backend: &str,
        file: String,
        now: NaiveDateTime,
        by: Option<String>,
    ) -> BackupRow {
        BackupRow {
            id,
            state: BackupState::Running,
            trigger_kind: trigger,
            backend: backend.to_owned(),
            file,
            size_bytes: None,
            sha256: None,
            started_at: now,
            finished_at: None,
            duration_ms: None,
            table_rows: None,
            audit_seq: None,
            audit_hash: None,
            verified_at: None,
            message: None,
            removed_at: None,
            started_by: by,
        }
    }

    /// The rows per table recorded at the copy.
    pub fn rows(&self) -> QueryResult<BTreeMap<String, i64>> {
        match &self.table_rows {
            None => Ok(BTreeMap::new()),
            Some(text) => serde_json::from_str(text).map_err(|e| unknown("table_rows", &e.to_string())),
        }
    }
}

fn unknown(column: &str, value: &str) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(format!("backups.{column}: unreadable value {value:?}").into())
}

pub fn plan(conn: &mut Db) -> QueryResult<Option<PlanRow>> {
    backup_plan::table.find(1).select(PlanRow::as_select()).first(conn).optional()
}

/// Stores the plan, replacing the one kept.
pub fn save_plan(conn: &mut Db, row: &PlanRow) -> QueryResult<()> {
    let changed = diesel::update(backup_plan::table.find(1)).set(row).execute(conn)?;
    if changed == 0 {
        diesel::insert_into(backup_plan::table).values(row).execute(conn)?;
    }
    Ok(())
}

pub fn insert(conn: &mut Db, row: &BackupRow) -> QueryResult<()> {
    diesel::insert_into(backups::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut Db, id: &str) -> QueryResult<Option<BackupRow>> {
    backups::table.find(id).select(BackupRow::as_select()).first(conn).optional()
}

/// A backup running now (started since `since`), if any.
pub fn running_since(conn: &mut Db, since: NaiveDateTime) -> QueryResult<Option<BackupRow>> {
    backups::table
        .filter(backups::state.eq(BackupState::Running))
        .filter(backups::started_at.ge(since))
        .select(BackupRow::as_select())
        .first(conn)
        .optional()
}

/// What the copy holds: the file's digest and size, the counts and the audit head, the time it took.
pub struct Copied<'a> {
    pub sha256: &'a str,
    pub size_bytes: i64,
    pub table_rows: &'a BTreeMap<String, i64>,
    pub audit_seq: i64,
    pub audit_hash: &'a str,
    pub finished_at: NaiveDateTime,
    pub duration_ms: i64,
}

pub fn record_copy(conn: &mut Db, id: &str, copied: &Copied) -> QueryResult<()> {
    let rows = serde_json::to_string(copied.table_rows).map_err(|e| unknown("table_rows", &e.to_string()))?;
    diesel::update(backups::table.find(id))
        .set((
            backups::sha256.eq(copied.sha256),
            backups::size_bytes.eq(copied.size_bytes),
            backups::table_rows.eq(rows),
            backups::audit_seq.eq(copied.audit_seq),
            backups::audit_hash.eq(copied.audit_hash),
            backups::finished_at.eq(copied.finished_at),
            backups::duration_ms.eq(copied.duration_ms),
        ))
        .execute(conn)?;
    Ok(())
}

/// The outcome of a verification (or of a failed backup): its state, time and message.
pub fn record_outcome(
    conn: &mut Db,
    id: &str,
    state: BackupState,
    verified_at: Option<NaiveDateTime>,
    message: &str,
) -> QueryResult<()> {
    diesel::update(backups::table.find(id))
        .set((backups::state.eq(state), backups::verified_at.eq(verified_at), backups::message.eq(message)))
        .execute(conn)?;
    Ok(())
}

/// A backup that ended without a copy.
pub fn record_failure(conn: &mut Db, id: &str, at: NaiveDateTime, duration_ms: i64, message: &str) -> QueryResult<()> {
    diesel::update(backups::table.find(id))
        .set((
            backups::state.eq(BackupState::Failed),
            backups::finished_at.eq(at),
            backups::duration_ms.eq(duration_ms),
            backups::message.eq(message),
        ))
        .execute(conn)?;
    Ok(())
}

/// Backups whose file is still kept (not running, not removed), newest first.
pub fn kept(conn: &mut Db) -> QueryResult<Vec<BackupRow>> {
    backups::table
        .filter(backups::removed_at.is_null())
        .filter(backups::state.ne(BackupState::Running))
        .order((backups::started_at.desc(), backups::id.desc()))
        .select(BackupRow::as_select())
        .load(conn)
}

pub fn mark_removed(conn: &mut Db, id: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(backups::table.find(id)).set(backups::removed_at.eq(at)).execute(conn)?;
    Ok(())
}

/// The newest backup, whatever its state (for the backup health check).
pub fn latest(conn: &mut Db) -> QueryResult<Option<BackupRow>> {
    backups::table
        .order((backups::started_at.desc(), backups::id.desc()))
        .select(BackupRow::as_select())
        .first(conn)
        .optional()
}

/// The newest verified backup, with its `finished_at` (for the backup health check).
pub fn last_verified(conn: &mut Db) -> QueryResult<Option<BackupRow>> {
    backups::table
        .filter(backups::state.eq(BackupState::Verified))
        .order((backups::started_at.desc(), backups::id.desc()))
        .select(BackupRow::as_select())
        .first(conn)
        .optional()
}

/// Backups from the newest back (ids are UUIDv7, so they sort by start), before the previous page's last id.
pub fn page(conn: &mut Db, before: Option<String>, limit: i64) -> QueryResult<Vec<BackupRow>> {
    let mut query = backups::table.order(backups::id.desc()).select(BackupRow::as_select()).into_boxed();
    if let Some(id) = before {
        query = query.filter(backups::id.lt(id));
    }
    query.limit(limit).load(conn)
}

//! Snapshots and check records as stored: snapshots carry their figures as JSON; check records are only
//! ever added (triggers refuse changes), searched by text, state and time, newest first by cursor.

use crate::db::{new_id, Db};
use crate::error::{ApiError, ApiResult};
use crate::schema::{db_check_records, db_snapshots};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use credit_types::dbadmin::{
    DbCheckRecord, DbCheckState, DbFigures, DbSnapshot, DbSnapshotSummary, SnapshotState, SnapshotTrigger,
};
use diesel::prelude::*;
use std::collections::HashMap;

fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&at)
}

/// A snapshot's row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = db_snapshots)]
pub struct SnapshotRow {
    pub id: String,
    pub taken_at: NaiveDateTime,
    pub origin: SnapshotTrigger,
    pub taken_by: Option<String>,
    pub backend: String,
    pub state: SnapshotState,
    pub reasons: String,
    pub figures: String,
}

/// A snapshot about to be stored.
pub struct NewSnapshot {
    pub taken_at: NaiveDateTime,
    pub origin: SnapshotTrigger,
    pub taken_by: Option<String>,
    pub backend: &'static str,
    pub state: SnapshotState,
    pub reasons: Vec<String>,
    pub figures: DbFigures,
}

/// Stores a snapshot; returns its row.
pub fn insert_snapshot(conn: &mut Db, snapshot: NewSnapshot) -> ApiResult<SnapshotRow> {
    let row = SnapshotRow {
        id: new_id(),
        taken_at: snapshot.taken_at,
        origin: snapshot.origin,
        taken_by: snapshot.taken_by,
        backend: snapshot.backend.to_owned(),
        state: snapshot.state,
        reasons: serde_json::to_string(&snapshot.reasons).map_err(ApiError::internal)?,
        figures: serde_json::to_string(&snapshot.figures).map_err(ApiError::internal)?,
    };
    diesel::insert_into(db_snapshots::table).values(&row).execute(conn)?;
    Ok(row)
}

fn reasons_of(row: &SnapshotRow) -> ApiResult<Vec<String>> {
    serde_json::from_str(&row.reasons)
        .map_err(|e| ApiError::internal(format!("snapshot {}: stored reasons do not read: {e}", row.id)))
}

/// The snapshot as the API shows it, with the name of whoever asked for it.
pub fn snapshot(conn: &mut Db, row: SnapshotRow) -> ApiResult<DbSnapshot> {
    let figures: DbFigures = serde_json::from_str(&row.figures)
        .map_err(|e| ApiError::internal(format!("snapshot {}: stored figures do not read: {e}", row.id)))?;
    let reasons = reasons_of(&row)?;
    let taken_by_name = match row.taken_by.as_deref() {
        Some(id) => crate::identity::store::actor_names(conn, &[id])?.remove(id),
        None => None,
    };
    Ok(DbSnapshot {
        id: row.id,
        taken_at: utc(row.taken_at),
        trigger: row.origin,
        taken_by: row.taken_by,
        taken_by_name,
        state: row.state,
        reasons,
        figures,
    })
}

pub fn summary(row: SnapshotRow) -> ApiResult<DbSnapshotSummary> {
    let reasons = reasons_of(&row)?;
    Ok(DbSnapshotSummary {
        id: row.id,
        taken_at: utc(row.taken_at),
        trigger: row.origin,
        backend: row.backend,
        state: row.state,
        reasons,
    })
}

pub fn find_snapshot_row(conn: &mut Db, id: &str) -> QueryResult<Option<SnapshotRow>> {
    db_snapshots::table.find(id).select(SnapshotRow::as_select()).first(conn).optional()
}

fn latest_row(conn: &mut Db) -> QueryResult<Option<SnapshotRow>> {
    db_snapshots::table
        .select(SnapshotRow::as_select())
        .order((db_snapshots::taken_at.desc(), db_snapshots::id.desc()))
        .first(conn)
        .optional()
}

/// The newest snapshot of the database's state, if any (for the health board as well as the administrator's page).
pub fn latest_snapshot(conn: &mut Db) -> ApiResult<Option<DbSnapshot>> {
    match latest_row(conn)? {
        Some(row) => Ok(Some(snapshot(conn, row)?)),
        None => Ok(None),
    }
}

/// The newest snapshot's figures, for comparing counters that only grow.
pub fn latest_figures(conn: &mut Db) -> ApiResult<Option<DbFigures>> {
    let Some(row) = latest_row(conn)? else { return Ok(None) };
    // Figures that no longer read (an older shape) compare with nothing rather than stop the collection.
    Ok(serde_json::from_str(&row.figures).ok())
}

/// Snapshots from the newest back, before the id `before` (the previous page's last), optionally in one state.
pub fn snapshot_page(
    conn: &mut Db,
    state: Option<SnapshotState>,
    before: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<SnapshotRow>> {
    // Ids are UUIDv7: they sort by the time they were made, as `taken_at` does.
    let mut query =
        db_snapshots::table.select(SnapshotRow::as_select()).order(db_snapshots::id.desc()).limit(limit).into_boxed();
    if let Some(state) = state {
        query = query.filter(db_snapshots::state.eq(state));
    }
    if let Some(before) = before {
        query = query.filter(db_snapshots::id.lt(before.to_owned()));
    }
    query.load(conn)
}

/// A check record's row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = db_check_records)]
#[diesel(treat_none_as_default_value = false)]
pub struct CheckRow {
    pub id: String,
    pub recorded_at: NaiveDateTime,
    pub recorded_by: String,
    pub state: DbCheckState,
    pub warnings: Option<String>,
    pub error_cause: Option<String>,
    pub solution: Option<String>,
    pub snapshot_id: Option<String>,
}

pub fn insert_check(conn: &mut Db, row: &CheckRow) -> QueryResult<()> {
    diesel::insert_into(db_check_records::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find_check(conn: &mut Db, id: &str) -> QueryResult<Option<CheckRow>> {
    db_check_records::table.find(id).select(CheckRow::as_select()).first(conn).optional()
}

/// What a search of the check records asks for.
#[derive(Debug, Default)]
pub struct CheckFilter {
    /// Words in the warnings, the cause or the solution.
    pub text: Option<String>,
    pub state: Option<DbCheckState>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    /// The previous page's last id.
    pub before: Option<String>,
}

/// `%text%` for LIKE, with the wildcards in `text` escaped by `\`.
fn like_pattern(text: &str) -> String {
    format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

/// Check records from the newest back.
pub fn check_page(conn: &mut Db, filter: &CheckFilter, limit: i64) -> QueryResult<Vec<CheckRow>> {
    // Ids are UUIDv7: they sort by the time they were made, as `recorded_at` does.
    let mut query = db_check_records::table
        .select(CheckRow::as_select())
        .order(db_check_records::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(text) = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = like_pattern(text);
        query = query.filter(
            db_check_records::warnings
                .like(pattern.clone())
                .escape('\\')
                .or(db_check_records::error_cause.like(pattern.clone()).escape('\\'))
                .or(db_check_records::solution.like(pattern).escape('\\')),
        );
    }
    if let Some(state) = filter.state {
        query = query.filter(db_check_records::state.eq(state));
    }
    if let Some(from) = filter.from {
        query = query.filter(db_check_records::recorded_at.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(db_check_records::recorded_at.lt(to));
    }
    if let Some(before) = filter.before.as_deref() {
        query = query.filter(db_check_records::id.lt(before.to_owned()));
    }
    query.load(conn)
}

/// The records as the API shows them: with the recorder's name and the linked snapshot's state and time.
pub fn check_records(conn: &mut Db, rows: Vec<CheckRow>) -> ApiResult<Vec<DbCheckRecord>> {
    let people: Vec<&str> = rows.iter().map(|r| r.recorded_by.as_str()).collect();
    let names = crate::identity::store::actor_names(conn, &people)?;
    let snapshot_ids: Vec<&str> = rows.iter().filter_map(|r| r.snapshot_id.as_deref()).collect();
    let snapshots: HashMap<String, (SnapshotState, NaiveDateTime)> = db_snapshots::table
        .filter(db_snapshots::id.eq_any(&snapshot_ids))
        .select((db_snapshots::id, db_snapshots::state, db_snapshots::taken_at))
        .load::<(String, SnapshotState, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(id, state, at)| (id, (state, at)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|row| {
            let snapshot = row.snapshot_id.as_ref().and_then(|id| snapshots.get(id));
            DbCheckRecord {
                recorded_by_name: names.get(&row.recorded_by).cloned().unwrap_or_default(),
                id: row.id,
                recorded_at: utc(row.recorded_at),
                recorded_by: row.recorded_by,
                state: row.state,
                warnings: row.warnings,
                error_cause: row.error_cause,
                solution: row.solution,
                snapshot_id: row.snapshot_id,
                snapshot_state: snapshot.map(|(state, _)| *state),
                snapshot_taken_at: snapshot.map(|(_, at)| utc(*at)),
            }
        })
        .collect())
}

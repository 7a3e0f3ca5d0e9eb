//! The archive's rows: one per snapshot slot, written once, read by range, thinned, and the database's size.

use crate::db::Db;
use crate::schema::performance_snapshots;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A snapshot as stored.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = performance_snapshots)]
pub struct SnapshotRow {
    /// The slot: the end of the window the snapshot covers (UTC).
    pub taken_at: NaiveDateTime,
    pub window_seconds: f64,
    pub requests: i64,
    /// Requests answered with a 5xx status.
    pub errors: i64,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub memory_bytes: i64,
    pub database_bytes: Option<i64>,
    /// The server whose figures these are.
    pub instance: String,
}

/// Stores a snapshot; `false` when its slot has one already.
pub fn insert(conn: &mut Db, row: &SnapshotRow) -> QueryResult<bool> {
    let inserted = match conn {
        Db::Sqlite(c) => {
            diesel::insert_into(performance_snapshots::table).values(row).on_conflict_do_nothing().execute(c)
        }
        Db::Postgres(c) => {
            diesel::insert_into(performance_snapshots::table).values(row).on_conflict_do_nothing().execute(c)
        }
    }?;
    Ok(inserted == 1)
}

/// Snapshots taken after `from` and at or before `to`, oldest first.
pub fn between(conn: &mut Db, from: NaiveDateTime, to: NaiveDateTime) -> QueryResult<Vec<SnapshotRow>> {
    performance_snapshots::table
        .filter(performance_snapshots::taken_at.gt(from))
        .filter(performance_snapshots::taken_at.le(to))
        .order(performance_snapshots::taken_at.asc())
        .select(SnapshotRow::as_select())
        .load(conn)
}

/// The slots of the snapshots taken before `before`.
pub fn slots_before(conn: &mut Db, before: NaiveDateTime) -> QueryResult<Vec<NaiveDateTime>> {
    performance_snapshots::table
        .filter(performance_snapshots::taken_at.lt(before))
        .select(performance_snapshots::taken_at)
        .order(performance_snapshots::taken_at.asc())
        .load(conn)
}

/// Removes the snapshots of `slots`; returns how many went.
pub fn delete(conn: &mut Db, slots: &[NaiveDateTime]) -> QueryResult<usize> {
    let mut deleted = 0;
    // In chunks: SQLite allows a bounded number of bound parameters per statement.
    for chunk in slots.chunks(500) {
        deleted += diesel::delete(performance_snapshots::table.filter(performance_snapshots::taken_at.eq_any(chunk)))
            .execute(conn)?;
    }
    Ok(deleted)
}

#[derive(QueryableByName)]
struct Size {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    bytes: i64,
}

/// The database's size on disk in bytes: SQLite's pages (the main file, without its write-ahead log), PostgreSQL's
/// `pg_database_size`.
pub fn database_bytes(conn: &mut Db) -> QueryResult<i64> {
    let size: Size = match conn {
        Db::Sqlite(c) => {
            diesel::sql_query("SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()")
                .get_result(c)?
        }
        Db::Postgres(c) => {
            diesel::sql_query("SELECT pg_database_size(current_database())::BIGINT AS bytes").get_result(c)?
        }
    };
    Ok(size.bytes)
}

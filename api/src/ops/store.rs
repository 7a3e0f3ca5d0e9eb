//! The health checks' tables: runs with every check's state, and the nightly verifications of the audit chain.

use crate::audit::verify::{Checkpoint, Increment};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::schema::{audit_verifications, health_runs};
use chrono::NaiveDateTime;
use credit_types::health::{BoardCheck, HealthState};
use diesel::prelude::*;

/// A stored run.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub id: String,
    pub slot: NaiveDateTime,
    pub started_at: NaiveDateTime,
    pub duration_ms: i64,
    pub state: HealthState,
    pub checks: Vec<BoardCheck>,
}

#[derive(Insertable, Queryable, Selectable)]
#[diesel(table_name = health_runs)]
struct RunRow {
    id: String,
    slot: NaiveDateTime,
    started_at: NaiveDateTime,
    duration_ms: i64,
    state: HealthState,
    results: String,
}

impl RunRow {
    fn run(self) -> ApiResult<Run> {
        let checks = serde_json::from_str(&self.results).map_err(ApiError::internal)?;
        Ok(Run {
            id: self.id,
            slot: self.slot,
            started_at: self.started_at,
            duration_ms: self.duration_ms,
            state: self.state,
            checks,
        })
    }
}

/// The latest run, if any.
pub fn latest(conn: &mut Db) -> ApiResult<Option<Run>> {
    let row = health_runs::table
        .order((health_runs::started_at.desc(), health_runs::id.desc()))
        .select(RunRow::as_select())
        .first(conn)
        .optional()?;
    row.map(RunRow::run).transpose()
}

/// Stores a run; `false` when its slot holds a run already (another server's).
pub fn insert(conn: &mut Db, run: &Run) -> ApiResult<bool> {
    let row = RunRow {
        id: run.id.clone(),
        slot: run.slot,
        started_at: run.started_at,
        duration_ms: run.duration_ms,
        state: run.state,
        results: serde_json::to_string(&run.checks).map_err(ApiError::internal)?,
    };
    let inserted = match conn {
        Db::Sqlite(c) => diesel::insert_into(health_runs::table).values(&row).on_conflict_do_nothing().execute(c),
        Db::Postgres(c) => diesel::insert_into(health_runs::table).values(&row).on_conflict_do_nothing().execute(c),
    }?;
    Ok(inserted == 1)
}

/// How many runs are stored (for tests and the board's history).
pub fn count(conn: &mut Db) -> ApiResult<i64> {
    Ok(health_runs::table.count().get_result(conn)?)
}

/// Removes runs started before `before`: the operation log keeps every change of state for good.
pub fn prune(conn: &mut Db, before: NaiveDateTime) -> ApiResult<usize> {
    Ok(diesel::delete(health_runs::table.filter(health_runs::started_at.lt(before))).execute(conn)?)
}

/// The last verification of the audit chain: when, and the checkpoint it reached if the chain was intact.
pub fn last_verification(conn: &mut Db) -> ApiResult<Option<(NaiveDateTime, Option<Checkpoint>)>> {
    let row: Option<(NaiveDateTime, i64, String, bool)> = audit_verifications::table
        .order((audit_verifications::verified_at.desc(), audit_verifications::id.desc()))
        .select((
            audit_verifications::verified_at,
            audit_verifications::to_seq,
            audit_verifications::to_hash,
            audit_verifications::intact,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(at, seq, hash, intact)| (at, intact.then_some(Checkpoint { seq, hash }))))
}

/// The last checkpoint an intact verification reached: where the next one continues.
pub fn last_checkpoint(conn: &mut Db) -> ApiResult<Option<Checkpoint>> {
    let row: Option<(i64, String)> = audit_verifications::table
        .filter(audit_verifications::intact.eq(true))
        .order((audit_verifications::verified_at.desc(), audit_verifications::id.desc()))
        .select((audit_verifications::to_seq, audit_verifications::to_hash))
        .first(conn)
        .optional()?;
    Ok(row.map(|(seq, hash)| Checkpoint { seq, hash }))
}

/// Records a verification of the audit chain from `from_seq`, with what people read of it.
pub fn insert_verification(
    conn: &mut Db,
    from_seq: i64,
    increment: &Increment,
    detail: &str,
    at: NaiveDateTime,
) -> ApiResult<()> {
    let intact = increment.first_broken.is_none() && increment.key_problem.is_none();
    diesel::insert_into(audit_verifications::table)
        .values((
            audit_verifications::id.eq(crate::db::new_id()),
            audit_verifications::verified_at.eq(at),
            audit_verifications::from_seq.eq(from_seq),
            audit_verifications::to_seq.eq(increment.reached.seq),
            audit_verifications::to_hash.eq(&increment.reached.hash),
            audit_verifications::intact.eq(intact),
            audit_verifications::detail.eq(detail),
        ))
        .execute(conn)?;
    Ok(())
}

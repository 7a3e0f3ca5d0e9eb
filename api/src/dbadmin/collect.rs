//! Taking snapshots: the probe runs on a connection outside any transaction, then the snapshot, its state
//! and its trail are written in one write transaction. Daily, once across every server sharing the database
//! (`db::claim_run` on the job `db-snapshot`); on demand, for a database administrator (audited).

use super::{probe, rules, store};
use crate::audit::{self, Actor, AuditAction, EventFields, Outcome, TargetKind};
use crate::db::Db;
use crate::error::ApiResult;
use crate::state::AppState;
use chrono::{DateTime, TimeZone, Utc};
use credit_types::dbadmin::{DbFigures, SnapshotState, SnapshotTrigger};
use credit_types::oplog::OpLogSeverity;
use std::time::Duration;

/// The job's name in `job_runs`.
pub const JOB: &str = "db-snapshot";

/// Snapshots are collected once a day.
pub const EVERY: Duration = Duration::from_secs(24 * 60 * 60);

/// How often a server looks whether the day's snapshot is still to be taken.
const LOOK_EVERY: Duration = Duration::from_secs(10 * 60);

/// Who asked for an on-demand snapshot.
pub struct Requester {
    pub user_id: String,
    pub actor: Actor,
}

/// Probes the database behind `conn` (outside any transaction) and stores the snapshot with its state; an
/// on-demand snapshot is audited, a scheduled one that is not ok goes to the operation log.
pub fn take(conn: &mut Db, origin: SnapshotTrigger, requester: Option<Requester>) -> ApiResult<store::SnapshotRow> {
    let backend = conn.backend().as_str();
    let probed = probe::collect(conn);
    let taken_at = crate::audit::chain::to_micros(crate::clock::now());
    crate::db::write_transaction(conn, |conn| {
        let (figures, (state, reasons)) = match probed {
            Ok(figures) => {
                let previous = store::latest_figures(conn)?;
                let verdict = rules::assess(&figures, previous.as_ref(), Utc.from_utc_datetime(&taken_at));
                (figures, verdict)
            }
            Err(error) => {
                tracing::error!(%error, "collecting the database's state failed");
                (DbFigures::Unavailable, rules::unavailable(&error.to_string()))
            }
        };
        let new = store::NewSnapshot {
            taken_at,
            origin,
            taken_by: requester.as_ref().map(|r| r.user_id.clone()),
            backend,
            state,
            reasons,
            figures,
        };
        let row = store::insert_snapshot(conn, new)?;
        match &requester {
            Some(requester) => {
                audit::append(
                    conn,
                    EventFields::new(&requester.actor, AuditAction::DbSnapshotTake, Outcome::Success)
                        .target(TargetKind::DbSnapshot, &row.id)
                        .detail(row.state.as_str()),
                )?;
            }
            None => log_unwell(conn, &row)?,
        }
        Ok(row)
    })
}

/// A scheduled snapshot that is not ok is written to the operation log, so it is seen where the system's
/// running state is kept, not only on the database administrator's page.
fn log_unwell(conn: &mut Db, row: &store::SnapshotRow) -> ApiResult<()> {
    let severity = match row.state {
        SnapshotState::Ok => return Ok(()),
        SnapshotState::Warning => OpLogSeverity::Warning,
        SnapshotState::Failed => OpLogSeverity::Error,
    };
    let reasons: Vec<String> = serde_json::from_str(&row.reasons).unwrap_or_default();
    let text = format!("数据库状态{}:{}", row.state.label(), reasons.join(";"));
    crate::oplog::append(conn, &crate::oplog::NewEntry::automatic(severity, "db:snapshot", text))?;
    Ok(())
}

/// The day's scheduled snapshot, taken by the one caller that claims the day's slot first; `None` for the others
/// (another server took it, or will).
pub fn scheduled(conn: &mut Db, now: DateTime<Utc>) -> ApiResult<Option<store::SnapshotRow>> {
    let slot = crate::db::slot_of(now, EVERY);
    let claimed = crate::db::write_transaction(conn, |conn| crate::db::claim_run(conn, JOB, slot, now))?;
    if !claimed {
        return Ok(None);
    }
    take(conn, SnapshotTrigger::Scheduled, None).map(Some)
}

/// Looks every ten minutes (the first time ten minutes after the start, so that a start is not slowed by a
/// `quick_check`) whether the day's snapshot is due, for the life of the server.
pub fn spawn(state: AppState) {
    actix_web::rt::spawn(async move {
        let first = actix_web::rt::time::Instant::now() + LOOK_EVERY;
        let mut ticks = actix_web::rt::time::interval_at(first, LOOK_EVERY);
        loop {
            ticks.tick().await;
            match state.maintain(|conn| scheduled(conn, Utc::now())).await {
                Ok(Some(row)) if row.state != SnapshotState::Ok => {
                    tracing::warn!(state = row.state.as_str(), "database snapshot taken")
                }
                Ok(Some(_)) => tracing::info!("database snapshot taken"),
                Ok(None) => {}
                Err(error) => tracing::error!(%error, "the daily database snapshot failed"),
            }
        }
    });
}

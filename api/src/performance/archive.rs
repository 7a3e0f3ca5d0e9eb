//! Taking snapshots: every interval each server takes its window of request figures; the one server that
//! claims the slot (`db::claim_run`, so once however many share the database) stores its own figures with its name,
//! then thins the archive. With several servers, a snapshot holds the claimer's figures only (its share of the
//! traffic), which its `instance` says; the whole picture is Prometheus's, from every server's `/metrics`.

use super::{process, rules, store};
use crate::db::Db;
use crate::error::ApiResult;
use crate::http::metrics::WindowFigures;
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use diesel::Connection;

/// The job's name in `job_runs`.
pub const JOB: &str = "performance";

/// What this server measured over one window, ready to be archived.
#[derive(Debug, Clone)]
pub struct Measured {
    pub window: WindowFigures,
    pub memory_bytes: i64,
    /// Which server measured it (`host/pid:port`).
    pub instance: String,
}

impl Measured {
    /// This server's figures now: the window taken from `state` (a new one begins) and the process's memory.
    pub fn take(state: &AppState, instance: &str) -> Measured {
        let memory = process::read().resident_bytes.unwrap_or(0);
        Measured {
            window: state.request_window().take(),
            memory_bytes: i64::try_from(memory).unwrap_or(i64::MAX),
            instance: instance.to_owned(),
        }
    }
}

/// Archives `measured` as the snapshot of `slot` if this server claims the slot, then thins the archive; returns
/// whether it did. Run it in one write transaction: the claim and the row commit together.
pub fn archive(conn: &mut Db, slot: DateTime<Utc>, measured: &Measured, now: DateTime<Utc>) -> ApiResult<bool> {
    if !crate::db::claim_run(conn, JOB, slot, now)? {
        return Ok(false);
    }
    // In a savepoint: a size that cannot be read (a permission) must not abort the transaction on PostgreSQL.
    let database_bytes = conn.transaction(store::database_bytes).ok();
    let figures = &measured.window;
    let row = store::SnapshotRow {
        taken_at: slot.naive_utc(),
        window_seconds: figures.seconds,
        requests: i64::try_from(figures.requests).unwrap_or(i64::MAX),
        errors: i64::try_from(figures.server_errors).unwrap_or(i64::MAX),
        p50_ms: figures.p50_ms,
        p95_ms: figures.p95_ms,
        p99_ms: figures.p99_ms,
        memory_bytes: measured.memory_bytes,
        database_bytes,
        instance: measured.instance.clone(),
    };
    // The slot's primary key refuses a second row even so (a claim forgotten by `db::forget_before`).
    if !store::insert(conn, &row)? {
        return Ok(false);
    }
    thin(conn, now)?;
    Ok(true)
}

/// Removes what the archive no longer keeps at `now` (`rules::to_remove`); returns how many snapshots went.
pub fn thin(conn: &mut Db, now: DateTime<Utc>) -> ApiResult<usize> {
    let full_from = now.naive_utc() - Duration::days(rules::FULL_DAYS);
    let old = store::slots_before(conn, full_from)?;
    let remove = rules::to_remove(&old, now.naive_utc());
    Ok(store::delete(conn, &remove)?)
}

/// A name telling this server from others sharing the database: host, process and listening port.
pub fn instance_name(listening: Option<std::net::SocketAddr>) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    let port = listening.map_or_else(String::new, |a| format!(":{}", a.port()));
    format!("{host}/{}{port}", std::process::id())
}

/// Takes a snapshot just after every slot boundary (`db::slot_of`), for the life of the server.
pub fn spawn(state: AppState, every: std::time::Duration, instance: String) {
    // A moment past the boundary, so that every server's clock has reached the same slot.
    let settle = (every / 20).min(std::time::Duration::from_secs(5));
    actix_web::rt::spawn(async move {
        loop {
            let now = Utc::now();
            let next = crate::db::slot_of(now, every) + Duration::from_std(every).unwrap_or(Duration::minutes(5));
            let wait = (next - now).to_std().unwrap_or_default() + settle;
            actix_web::rt::time::sleep(wait).await;
            let measured = Measured::take(&state, &instance);
            let now = Utc::now();
            let slot = crate::db::slot_of(now, every);
            match state.write(move |conn| archive(conn, slot, &measured, now)).await {
                Ok(true) => tracing::debug!(%slot, "performance snapshot archived"),
                Ok(false) => tracing::debug!(%slot, "performance snapshot taken by another server"),
                Err(error) => tracing::error!(%error, "archiving the performance snapshot failed"),
            }
        }
    });
}

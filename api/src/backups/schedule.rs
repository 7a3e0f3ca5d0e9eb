//! The plan's clock: every minute the server looks whether today's backup (the plan's time of day, China
//! time) is due; the one server that claims the day's slot (`db::claim_run`, shared by every server on the same
//! database) runs it.

use super::run::{self, Environment};
use super::{rules, store};
use crate::audit::Actor;
use crate::db::Db;
use crate::error::ApiResult;
use crate::state::AppState;
use chrono::{NaiveDateTime, NaiveTime, TimeZone, Utc};
use credit_types::backups::BackupTrigger;

/// The job's name in `job_runs`.
pub const JOB: &str = "backup";

/// Starts today's backup if it is due at `now` and no server has claimed its slot; returns the started backup's id.
/// Run it in a write transaction, then `run::complete` the backup outside it.
pub fn claim_due(conn: &mut Db, now: NaiveDateTime) -> ApiResult<Option<String>> {
    let Some(plan) = store::plan(conn)?.filter(|p| p.enabled) else { return Ok(None) };
    let Ok(time_of_day) = NaiveTime::parse_from_str(&plan.time_of_day, "%H:%M") else { return Ok(None) };
    let Some(slot) = rules::due_slot(now, time_of_day) else { return Ok(None) };
    if !crate::db::claim_run(conn, JOB, Utc.from_utc_datetime(&slot), Utc.from_utc_datetime(&now))? {
        return Ok(None);
    }
    run::start(conn, BackupTrigger::Scheduled, &Actor::System, now).map(|row| Some(row.id))
}

/// Looks every minute for the life of the server; a due backup runs to its end (copy, verification, retention)
/// before the next look.
pub fn spawn(state: AppState, env: Environment) {
    actix_web::rt::spawn(async move {
        let mut every_minute = actix_web::rt::time::interval(std::time::Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            match state.write(|conn| claim_due(conn, crate::clock::now())).await {
                Ok(Some(id)) => {
                    tracing::info!(backup = %id, "scheduled backup started");
                    let env = env.clone();
                    if let Err(error) = state.maintain(move |conn| run::complete(conn, &env, &id)).await {
                        tracing::error!(%error, "scheduled backup failed");
                    }
                }
                Ok(None) => {}
                Err(error) => tracing::error!(%error, "backup schedule check failed"),
            }
        }
    });
}

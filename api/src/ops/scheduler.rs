//! Running the automatic health checks: every interval one server (whichever claims the slot first) runs
//! every check, stores the run, and writes an operation-log entry for each check whose state changed since the run
//! before — one entry per change, however many runs and servers. The audit chain is verified here too, nightly,
//! from the last event verified the night before.

use super::checks::{self, Probes};
use super::store::{self, Run};
use crate::audit::verify::{self, Checkpoint};
use crate::config::HealthSettings;
use crate::db::Db;
use crate::error::ApiResult;
use crate::keys::AuditKey;
use crate::oplog::{self, NewEntry};
use crate::state::AppState;
use chrono::{DateTime, Duration, NaiveDateTime, NaiveTime, SubsecRound, Utc};
use credit_types::china_time;
use credit_types::health::{BoardCheck, CheckResult, HealthCheck, HealthState};
use credit_types::oplog::OpLogSeverity;
use std::time::Instant;

/// The job name runs are claimed under.
pub const JOB: &str = "health";
/// Runs are kept this long; every change of state stays in the operation log for good.
pub const KEEP_RUNS: Duration = Duration::days(90);

/// Runs every check for `slot` if this server is the one to claim it; the run stored, or `None` when another
/// server has the slot.
pub async fn run_slot(
    state: &AppState,
    probes: &Probes,
    settings: &HealthSettings,
    slot: DateTime<Utc>,
) -> ApiResult<Option<Run>> {
    let claimed = state.write(move |conn| crate::db::claim_run(conn, JOB, slot, Utc::now())).await?;
    if !claimed {
        return Ok(None);
    }
    let started = Instant::now();
    // Stored times keep microseconds (PostgreSQL's precision): the board reads the same before and after storing.
    let started_at = crate::clock::now().trunc_subsecs(6);
    let mut results = state.maintain(|conn| Ok(vec![checks::database(conn), checks::migrations(conn)])).await?;
    let (key, verify_at) = (state.audit_key().clone(), settings.audit_verify_at);
    state.write(move |conn| verify_audit_chain_if_due(conn, &key, verify_at, started_at)).await?;
    let (read, backup_dir) = state
        .read(move |conn| {
            let read = vec![
                checks::outbox(conn, started_at)?,
                checks::intake(conn, started_at)?,
                checks::audit_chain(conn, started_at)?,
                backup(conn, started_at)?,
            ];
            Ok((read, crate::backups::store::plan(conn)?.map(|plan| plan.target_dir)))
        })
        .await?;
    results.extend(read);
    // The backups' directory is the plan's, kept in the database.
    let mut directories = probes.directories.clone();
    directories.extend(backup_dir.map(|dir| ("备份目录".to_owned(), std::path::PathBuf::from(dir))));
    results.push(checks::disk_space(&directories));
    results.push(checks::key_files(&probes.key_files));
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let slot = slot.naive_utc();
    state.write(move |conn| record(conn, results, slot, started_at, duration_ms)).await
}

/// The backups: failed when there is no verified backup or the newest one failed or did not verify,
/// a warning when the last verified one is older than a day and a bit.
fn backup(conn: &mut Db, now: NaiveDateTime) -> ApiResult<CheckResult> {
    use credit_types::backups::BackupState;
    let result = |state, summary: String| CheckResult { check: HealthCheck::Backup, state, summary };
    let latest = crate::backups::store::latest(conn)?;
    let verified = crate::backups::store::last_verified(conn)?;
    let verified_at = verified.as_ref().map(|b| b.finished_at.unwrap_or(b.started_at));
    let since = |at: NaiveDateTime| china_time::local(at).format("%Y-%m-%d %H:%M").to_string();
    Ok(match latest {
        None => result(HealthState::Failed, "尚无备份".to_owned()),
        Some(newest) if matches!(newest.state, BackupState::Failed | BackupState::VerificationFailed) => result(
            HealthState::Failed,
            format!("最近一次备份{}:{}", newest.state.label(), newest.message.unwrap_or_default()),
        ),
        Some(_) => match verified_at {
            None => result(HealthState::Failed, "尚无已验证的备份".to_owned()),
            Some(at) if now - at > Duration::hours(26) => {
                result(HealthState::Warning, format!("最近一次已验证的备份完成于 {},已超过一天", since(at)))
            }
            Some(at) => result(HealthState::Ok, format!("最近一次已验证的备份完成于 {}", since(at))),
        },
    })
}

/// Stores a run of `results` and logs every change of state since the run before. `None` when the slot
/// holds a run already.
pub fn record(
    conn: &mut Db,
    results: Vec<CheckResult>,
    slot: NaiveDateTime,
    started_at: NaiveDateTime,
    duration_ms: i64,
) -> ApiResult<Option<Run>> {
    let previous = store::latest(conn)?;
    let checks = board(previous.as_ref(), results, started_at);
    let state = checks.iter().fold(HealthState::Ok, |worst, c| worst.worst(c.state));
    let run = Run { id: crate::db::new_id(), slot, started_at, duration_ms, state, checks };
    if !store::insert(conn, &run)? {
        return Ok(None);
    }
    for entry in changes(previous.as_ref(), &run) {
        oplog::append(conn, &entry)?;
    }
    store::prune(conn, started_at - KEEP_RUNS)?;
    crate::db::jobs::forget_before(conn, (started_at - KEEP_RUNS).and_utc())?;
    Ok(Some(run))
}

/// Every check in a fixed order, each with since when it has been in its state.
fn board(previous: Option<&Run>, results: Vec<CheckResult>, now: NaiveDateTime) -> Vec<BoardCheck> {
    HealthCheck::ALL
        .iter()
        .map(|check| {
            let found = results.iter().find(|r| r.check == *check);
            let (state, summary) =
                found.map_or((HealthState::Unknown, "未检查".to_owned()), |r| (r.state, r.summary.clone()));
            let before = previous.and_then(|p| p.checks.iter().find(|c| c.check == *check));
            let since = match before {
                Some(b) if b.state == state => b.since,
                _ => Some(now.and_utc()),
            };
            BoardCheck { check: *check, state, summary, since }
        })
        .collect()
}

/// The operation-log entries of a run: one per check whose state differs from the run before. On the first run,
/// one per check that is not ok.
fn changes(previous: Option<&Run>, run: &Run) -> Vec<NewEntry> {
    run.checks
        .iter()
        .filter_map(|now| {
            let before = previous.and_then(|p| p.checks.iter().find(|c| c.check == now.check)).map(|c| c.state);
            let changed = match before {
                Some(state) => state != now.state,
                None => now.state != HealthState::Ok,
            };
            if !changed {
                return None;
            }
            let severity = match now.state {
                HealthState::Ok => OpLogSeverity::Info,
                HealthState::Warning | HealthState::Unknown => OpLogSeverity::Warning,
                HealthState::Failed => OpLogSeverity::Error,
            };
            let from = before.map_or("首次检查".to_owned(), |s| s.label().to_owned());
            let text = format!("{}:{} → {}({})", now.check.label(), from, now.state.label(), now.summary);
            Some(NewEntry::automatic(severity, &format!("health:{}", now.check.as_str()), text))
        })
        .collect()
}

/// Verifies the audit chain from the last checkpoint when the night's verification is due, and records it.
pub fn verify_audit_chain_if_due(
    conn: &mut Db,
    key: &AuditKey,
    verify_at: NaiveTime,
    now: NaiveDateTime,
) -> ApiResult<bool> {
    let last = store::last_verification(conn)?.map(|(at, _)| at);
    if !audit_verification_due(last, verify_at, now) {
        return Ok(false);
    }
    verify_audit_chain(conn, key, now)?;
    Ok(true)
}

/// Verifies the events since the last intact checkpoint and records the result.
pub fn verify_audit_chain(conn: &mut Db, key: &AuditKey, now: NaiveDateTime) -> ApiResult<()> {
    let from: Option<Checkpoint> = store::last_checkpoint(conn)?;
    let from_seq = from.as_ref().map_or(0, |c| c.seq);
    let increment = verify::verify_since(conn, key, from.as_ref())?;
    let detail = match (&increment.first_broken, &increment.key_problem) {
        (Some(link), _) => format!("审计链在第 {} 条断开:{}", link.seq, link.reason),
        (None, Some(problem)) => format!("审计密钥问题:{}", problem.detail),
        (None, None) => format!("完整,校验第 {} 至 {} 条", from_seq + 1, increment.reached.seq),
    };
    store::insert_verification(conn, from_seq, &increment, &detail, now)
}

/// Whether the nightly verification is due: none yet, or none since the latest `verify_at` (China time) before now.
pub fn audit_verification_due(last: Option<NaiveDateTime>, verify_at: NaiveTime, now: NaiveDateTime) -> bool {
    let Some(last) = last else { return true };
    let local = china_time::local(now);
    let mut due = china_time::to_utc(local.date().and_time(verify_at));
    if due > now {
        due -= Duration::days(1);
    }
    last < due
}

/// Runs the checks every `interval` for the life of the server (nothing when the interval is 0).
pub fn spawn(state: AppState, probes: Probes, settings: HealthSettings) {
    if settings.interval_seconds == 0 {
        return;
    }
    let every = std::time::Duration::from_secs(settings.interval_seconds);
    actix_web::rt::spawn(async move {
        let mut ticks = actix_web::rt::time::interval(every);
        loop {
            ticks.tick().await;
            let slot = crate::db::slot_of(Utc::now(), every);
            match run_slot(&state, &probes, &settings, slot).await {
                Ok(Some(run)) if run.state != HealthState::Ok => {
                    tracing::warn!(state = run.state.as_str(), "automatic health checks found problems")
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "automatic health checks could not run"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(local: &str) -> NaiveDateTime {
        china_time::to_utc(NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap())
    }

    #[test]
    fn r12_1_the_audit_chain_is_verified_once_a_night() {
        let two = NaiveTime::from_hms_opt(2, 0, 0).unwrap();
        assert!(audit_verification_due(None, two, at("2026-11-28 10:00")));
        assert!(!audit_verification_due(Some(at("2026-11-28 02:05")), two, at("2026-11-28 10:00")));
        assert!(audit_verification_due(Some(at("2026-11-27 23:00")), two, at("2026-11-28 02:01")));
        assert!(!audit_verification_due(Some(at("2026-11-27 23:00")), two, at("2026-11-28 01:59")));
    }

    fn result(check: HealthCheck, state: HealthState) -> CheckResult {
        CheckResult { check, state, summary: String::new() }
    }

    #[test]
    fn r12_1_only_a_change_of_state_is_logged() {
        let t0 = at("2026-11-28 10:00");
        let first = Run {
            id: "a".into(),
            slot: t0,
            started_at: t0,
            duration_ms: 1,
            state: HealthState::Ok,
            checks: board(None, vec![result(HealthCheck::Database, HealthState::Ok)], t0),
        };
        // First run: every check not ok is news (all but the database are unknown here).
        assert_eq!(changes(None, &first).len(), HealthCheck::ALL.len() - 1);
        let t1 = t0 + Duration::minutes(5);
        let same = Run {
            checks: board(Some(&first), vec![result(HealthCheck::Database, HealthState::Ok)], t1),
            ..first.clone()
        };
        assert!(changes(Some(&first), &same).is_empty());
        assert_eq!(same.checks[0].since, Some(t0.and_utc()), "the state has held since the first run");
        let worse =
            Run { checks: board(Some(&same), vec![result(HealthCheck::Database, HealthState::Failed)], t1), ..first };
        let logged = changes(Some(&same), &worse);
        assert_eq!(logged.len(), 1);
        assert_eq!(logged[0].severity, OpLogSeverity::Error);
        assert!(logged[0].text.starts_with("数据库连接:正常 → 故障"), "{}", logged[0].text);
        assert_eq!(worse.checks[0].since, Some(t1.and_utc()));
    }
}

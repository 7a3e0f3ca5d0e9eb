//! Backups with a proven restore: the database administrator's plan, a backup verified by restoring
//! it, a restore into a new database holding exactly the backup's moment with an intact audit chain, a changed file
//! caught, a database holding data refused, retention that keeps the last verified backup, the schedule run once.

use age::secrecy::ExposeSecret;
use credit_api::backups::copy::{ScratchDatabase, Tools};
use credit_api::config::KeyFiles;
use credit_api::db::DbTarget;
use credit_tests::{expect_json, expect_problem, on_both_backends, Session, TestApp, CITY};
use credit_types::backups::{Backup, BackupPlan, BackupState, BackupTrigger};
use credit_types::health::{HealthCheck, HealthState, StatusBoard};
use credit_types::identity::Role;
use credit_types::{ErrorCode, Page};
use serde_json::json;
use std::path::{Path, PathBuf};

on_both_backends!(
    r14_1_r24_1_a_restore_holds_exactly_the_backup_moment_and_its_audit_chain_verifies,
    r24_1_r12_1_a_backup_with_one_flipped_byte_fails_verification_and_turns_the_check_red,
    r24_1_restore_refuses_a_database_holding_data,
    r14_1_retention_never_removes_the_last_verified_backup,
    r14_1_the_plan_refuses_a_recipient_that_does_not_parse,
    r14_1_the_plan_runs_once_per_day_across_servers,
);

/// A new age identity written to a file in the app's (temporary) data directory; returns the file and public key.
fn identity(app: &TestApp, name: &str) -> (PathBuf, String) {
    let identity = age::x25519::Identity::generate();
    let path = app.data_dir().join(name);
    std::fs::write(&path, format!("# test key\n{}\n", identity.to_string().expose_secret())).unwrap();
    (path, identity.to_public().to_string())
}

fn plan_body(dir: &Path, key: &Path, recipient: &str, keep_count: u32) -> serde_json::Value {
    // Disabled: the server's own schedule must not start backups in the middle of a test.
    json!({
        "enabled": false,
        "time_of_day": "02:30",
        "keep_count": keep_count,
        "target_dir": dir.display().to_string(),
        "recipient": recipient,
        "identity_file": key.display().to_string(),
    })
}

async fn put_plan(app: &TestApp, dba: &Session, body: &serde_json::Value) -> reqwest::Response {
    let request = app.client.put(app.url("/api/v1/ops/backup-plan")).bearer_auth(&dba.access_token);
    request.json(body).send().await.unwrap()
}

/// A database administrator with a plan writing to a fresh directory; returns the session, the directory and key.
async fn keeper(app: &TestApp, keep_count: u32) -> (Session, PathBuf, PathBuf) {
    let dba = app.signed_in("dba", Role::DbAdmin, CITY).await;
    let dir = app.data_dir().join("backups");
    let (key, recipient) = identity(app, "backup.agekey");
    let plan: BackupPlan =
        expect_json(put_plan(app, &dba, &plan_body(&dir, &key, &recipient, keep_count)).await, 200).await;
    assert_eq!(plan.recipient, recipient);
    (dba, dir, key)
}

/// Runs a backup now and waits for it to finish (202 first, then the state by polling).
async fn backup_now(app: &TestApp, dba: &Session) -> Backup {
    let started: Backup = expect_json(app.post_as(dba, "/api/v1/ops/backups", &json!({})).await, 202).await;
    assert_eq!((started.state, started.trigger), (BackupState::Running, BackupTrigger::Manual));
    finished(app, dba, &started.id).await
}

async fn finished(app: &TestApp, session: &Session, id: &str) -> Backup {
    for _ in 0..1200 {
        let backup: Backup = app.get_json_as(session, &format!("/api/v1/ops/backups/{id}")).await;
        if backup.state != BackupState::Running {
            return backup;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("backup {id} still running after a minute");
}

/// A fresh, empty database of the app's kind, dropped (PostgreSQL) or removed with the data directory (SQLite).
fn empty_database(app: &TestApp) -> (DbTarget, Option<ScratchDatabase>) {
    match &app.database {
        DbTarget::Sqlite(_) => (DbTarget::Sqlite(app.data_dir().join("restored.db")), None),
        DbTarget::Postgres(url) => {
            let name = format!("credit_restore_{}", uuid::Uuid::new_v4().simple());
            let scratch = ScratchDatabase::create(url, &name).unwrap();
            (DbTarget::Postgres(scratch.url.clone()), Some(scratch))
        }
    }
}

fn restore(
    app: &TestApp,
    backup: &Backup,
    target: &DbTarget,
    key: &Path,
) -> Result<credit_api::backups::restore::Restored, String> {
    let keys = KeyFiles::in_dir(app.data_dir());
    credit_api::backups::restore::restore(Path::new(&backup.file), target, key, &keys, &Tools::default())
}

fn count_users(target: &DbTarget) -> i64 {
    let mut conn = credit_api::backups::copy::open(target).unwrap();
    credit_api::backups::copy::read_snapshot(&mut conn).unwrap().table_rows["users"]
}

async fn r14_1_r24_1_a_restore_holds_exactly_the_backup_moment_and_its_audit_chain_verifies(app: &TestApp) {
    let (dba, dir, key) = keeper(app, 7).await;
    let backup = backup_now(app, &dba).await;
    assert_eq!(backup.state, BackupState::Verified, "{:?}", backup.message);
    assert!(backup.file.starts_with(&dir.display().to_string()) && Path::new(&backup.file).is_file());
    assert!(backup.sha256.as_ref().is_some_and(|h| h.len() == 64) && backup.size_bytes.unwrap_or(0) > 0);
    assert!(backup.verified_at.is_some() && backup.finished_at.is_some());
    assert_eq!(backup.table_rows.get("users"), Some(&1), "the database administrator");
    assert!(backup.audit_seq.unwrap_or(0) > 0, "the sign-in and the plan are in the trail");
    let sealed = std::fs::read(&backup.file).unwrap();
    assert!(sealed.starts_with(b"age-encryption.org/v1"), "encrypted at rest");

    // More writes after the backup: an account and its sign-in (audit events).
    app.signed_in("later", Role::SystemAdmin, CITY).await;
    assert_eq!(count_users(&app.database), 2);

    let (target, _scratch) = empty_database(app);
    let restored = restore(app, &backup, &target, &key).unwrap();
    assert_eq!(restored.snapshot.table_rows, backup.table_rows, "exactly the rows of the backup's moment");
    assert_eq!(Some(restored.snapshot.audit_seq), backup.audit_seq);
    assert_eq!(Some(restored.snapshot.audit_hash.clone()), backup.audit_hash);
    assert_eq!(restored.chain_problem, None, "the restored audit chain verifies");
    assert_eq!(count_users(&target), 1, "the later account is not in the backup");

    let listed: Page<Backup> = app.get_json_as(&dba, "/api/v1/ops/backups").await;
    assert_eq!(listed.items.iter().map(|b| b.id.as_str()).collect::<Vec<_>>(), [backup.id.as_str()]);
    assert_eq!(listed.items[0].started_by_name.as_deref(), Some("测试用户"), "people by name");
}

async fn r24_1_r12_1_a_backup_with_one_flipped_byte_fails_verification_and_turns_the_check_red(app: &TestApp) {
    let (dba, _dir, _key) = keeper(app, 7).await;
    let backup = backup_now(app, &dba).await;
    assert_eq!(backup.state, BackupState::Verified, "{:?}", backup.message);
    let again: Backup =
        expect_json(app.post_as(&dba, &format!("/api/v1/ops/backups/{}/verify", backup.id), &json!({})).await, 200)
            .await;
    assert_eq!(again.state, BackupState::Verified, "an unchanged file verifies again");
    let sys = app.signed_in("sys", Role::SystemAdmin, CITY).await;
    let board = health_board(app, &sys).await;
    assert_eq!(board_check(&board, HealthCheck::Backup).0, HealthState::Ok, "{board:?}");
    let space = board_check(&board, HealthCheck::DiskSpace).1;
    assert!(space.contains("备份目录"), "the backup directory's free space is checked: {space}");

    let mut bytes = std::fs::read(&backup.file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&backup.file, bytes).unwrap();
    let failed: Backup =
        expect_json(app.post_as(&dba, &format!("/api/v1/ops/backups/{}/verify", backup.id), &json!({})).await, 200)
            .await;
    assert_eq!(failed.state, BackupState::VerificationFailed);
    assert!(failed.message.as_deref().is_some_and(|m| m.contains("SHA-256")), "{:?}", failed.message);
    let latest = app.keyed(|| {
        let mut conn = app.pool().get().unwrap();
        credit_api::backups::store::latest(&mut conn).unwrap().unwrap()
    });
    assert_eq!(latest.state, BackupState::VerificationFailed, "what the backup health check reads");
    let last_verified = credit_api::backups::store::last_verified(&mut app.pool().get().unwrap()).unwrap();
    assert!(last_verified.is_none(), "no verified backup left");
    use credit_api::schema::operation_log;
    use diesel::prelude::*;
    let logged: Vec<(String, String)> = operation_log::table
        .filter(operation_log::source.eq("backup:verify"))
        .select((operation_log::severity, operation_log::text))
        .load(&mut app.pool().get().unwrap())
        .unwrap();
    assert_eq!(logged.len(), 1, "one operation-log entry for the one failed verification: {logged:?}");
    assert_eq!(logged[0].0, "error");
    assert!(logged[0].1.contains(&backup.id), "{}", logged[0].1);
    // The backup health check turns red, and says why.
    let board = health_board(app, &sys).await;
    let (state, summary) = board_check(&board, HealthCheck::Backup);
    assert_eq!(state, HealthState::Failed, "{summary}");
}

/// A run of the health checks now, as the system administrator asks for one.
async fn health_board(app: &TestApp, sys: &Session) -> StatusBoard {
    expect_json(app.post_as(sys, "/api/v1/ops/status/runs", &json!({})).await, 201).await
}

fn board_check(board: &StatusBoard, check: HealthCheck) -> (HealthState, String) {
    let found = board.checks.iter().find(|c| c.check == check).unwrap();
    (found.state, found.summary.clone())
}

async fn r24_1_restore_refuses_a_database_holding_data(app: &TestApp) {
    let (dba, _dir, key) = keeper(app, 7).await;
    let backup = backup_now(app, &dba).await;
    let users_before = count_users(&app.database);
    let refused = restore(app, &backup, &app.database, &key).unwrap_err();
    assert!(refused.contains("not empty") && refused.contains("nothing was changed"), "{refused}");
    assert_eq!(count_users(&app.database), users_before);
}

async fn r14_1_retention_never_removes_the_last_verified_backup(app: &TestApp) {
    let (dba, dir, key) = keeper(app, 1).await;
    let first = backup_now(app, &dba).await;
    assert_eq!(first.state, BackupState::Verified, "{:?}", first.message);

    // A plan whose verifier reads another key: the next backup fails verification.
    let (wrong, _) = identity(app, "other.agekey");
    let plan: BackupPlan = app.get_json_as(&dba, "/api/v1/ops/backup-plan").await;
    let body = plan_body(&dir, &wrong, &plan.recipient, 1);
    expect_json::<BackupPlan>(put_plan(app, &dba, &body).await, 200).await;
    let second = backup_now(app, &dba).await;
    assert_eq!(second.state, BackupState::VerificationFailed);
    let first_now: Backup = app.get_json_as(&dba, &format!("/api/v1/ops/backups/{}", first.id)).await;
    assert_eq!(first_now.removed_at, None, "the last verified backup is kept beyond the count");
    assert!(Path::new(&first.file).is_file());

    let body = plan_body(&dir, &key, &plan.recipient, 1);
    expect_json::<BackupPlan>(put_plan(app, &dba, &body).await, 200).await;
    let third = backup_now(app, &dba).await;
    assert_eq!(third.state, BackupState::Verified, "{:?}", third.message);
    // Retention runs right after the verification is recorded.
    for old in [&first, &second] {
        let mut now: Backup = app.get_json_as(&dba, &format!("/api/v1/ops/backups/{}", old.id)).await;
        for _ in 0..200 {
            if now.removed_at.is_some() {
                break;
            }
            actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
            now = app.get_json_as(&dba, &format!("/api/v1/ops/backups/{}", old.id)).await;
        }
        assert!(now.removed_at.is_some(), "{} removed once a newer backup is verified", old.id);
        assert!(!Path::new(&old.file).exists());
    }
    let removed = app.post_as(&dba, &format!("/api/v1/ops/backups/{}/verify", first.id), &json!({})).await;
    expect_problem(removed, 409, ErrorCode::BackupFileMissing).await;
    assert!(Path::new(&third.file).is_file());
}

async fn r14_1_the_plan_refuses_a_recipient_that_does_not_parse(app: &TestApp) {
    let dba = app.signed_in("dba", Role::DbAdmin, CITY).await;
    expect_problem(app.get_as(&dba, "/api/v1/ops/backup-plan").await, 404, ErrorCode::NotFound).await;
    let nothing = app.post_as(&dba, "/api/v1/ops/backups", &json!({})).await;
    expect_problem(nothing, 409, ErrorCode::NoBackupPlan).await;

    let dir = app.data_dir().join("backups");
    let (key, recipient) = identity(app, "backup.agekey");
    let fields = |problem: credit_types::Problem| {
        let mut fields = problem.errors.into_iter().map(|e| e.field).collect::<Vec<_>>();
        fields.sort();
        fields
    };
    let not_a_key = plan_body(&dir, &key, "ssh-ed25519 AAAAC3Nza", 7);
    let problem = expect_problem(put_plan(app, &dba, &not_a_key).await, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(fields(problem), ["recipient"]);
    // The right form, a wrong checksum: only parsing tells.
    let mut garbled = recipient.clone().into_bytes();
    let last = garbled.len() - 1;
    garbled[last] = if garbled[last] == b'q' { b'p' } else { b'q' };
    let garbled = plan_body(&dir, &key, &String::from_utf8(garbled).unwrap(), 7);
    let problem = expect_problem(put_plan(app, &dba, &garbled).await, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(fields(problem), ["recipient"]);
    let mut bad_time = plan_body(&dir, &key, &recipient, 7);
    bad_time["time_of_day"] = json!("25:00");
    bad_time["target_dir"] = json!("relative/dir");
    let problem = expect_problem(put_plan(app, &dba, &bad_time).await, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(fields(problem), ["target_dir", "time_of_day"]);
    expect_problem(app.get_as(&dba, "/api/v1/ops/backup-plan").await, 404, ErrorCode::NotFound).await;

    let plan: BackupPlan = expect_json(put_plan(app, &dba, &plan_body(&dir, &key, &recipient, 7)).await, 200).await;
    assert_eq!((plan.keep_count, plan.time_of_day.as_str()), (Some(7), "02:30"));
    let read: BackupPlan = app.get_json_as(&dba, "/api/v1/ops/backup-plan").await;
    assert_eq!(read.updated_by_name.as_deref(), Some("测试用户"));
    let stored = app.keyed(|| credit_api::backups::store::plan(&mut app.pool().get().unwrap()).unwrap().unwrap());
    assert!(!stored.identity_file.contains("AGE-SECRET-KEY"), "only the path is stored");
}

async fn r14_1_the_plan_runs_once_per_day_across_servers(app: &TestApp) {
    let (dba, dir, key) = keeper(app, 7).await;
    let plan: BackupPlan = app.get_json_as(&dba, "/api/v1/ops/backup-plan").await;
    let mut body = plan_body(&dir, &key, &plan.recipient, 7);
    body["enabled"] = json!(true);
    body["time_of_day"] = json!("00:00");
    expect_json::<BackupPlan>(put_plan(app, &dba, &body).await, 200).await;
    let pool = app.pool();
    let claim = |now: chrono::NaiveDateTime| {
        app.keyed(|| {
            let mut conn = pool.get().unwrap();
            credit_api::db::write_transaction(&mut conn, |c| credit_api::backups::schedule::claim_due(c, now)).unwrap()
        })
    };
    let now = chrono::Utc::now().naive_utc();
    let first = claim(now);
    let second = claim(now + chrono::Duration::minutes(1));
    // The server's own look each minute may have claimed today's slot first: either way, exactly one backup.
    assert!(first.is_none() || second.is_none(), "one server, one minute: never two");
    assert_eq!(second, None, "the day's slot is taken");
    let backups: Page<Backup> = app.get_json_as(&dba, "/api/v1/ops/backups").await;
    assert_eq!(backups.items.len(), 1, "one scheduled backup");
    assert_eq!(backups.items[0].trigger, BackupTrigger::Scheduled);
    assert_eq!(backups.items[0].started_by, None, "the platform itself");
}

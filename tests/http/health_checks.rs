//! The automatic health checks: the status board, a run on demand, a change of state logged once (not once
//! per run), one run per slot with two servers on one database, and the nightly incremental audit verification.

use chrono::{TimeZone, Utc};
use credit_api::ops::checks::Probes;
use credit_api::ops::scheduler;
use credit_tests::{expect_json, on_both_backends, TestApp, CITY};
use credit_types::health::{HealthCheck, HealthState, StatusBoard};
use credit_types::identity::Role;
use credit_types::oplog::{OpLogEntry, OpLogKind};
use credit_types::Page;
use std::os::unix::fs::PermissionsExt;

on_both_backends!(
    r12_1_the_board_is_unknown_before_the_first_run_and_filled_by_a_run,
    r12_1_a_change_of_state_writes_one_log_entry_not_one_per_run,
    r12_1_the_health_checks_run_once_per_slot_with_two_servers_on_one_database,
    r12_1_the_nightly_audit_verification_continues_from_the_last_event_and_finds_a_change,
    r12_1_runs_are_kept_90_days_and_their_claims_forgotten_with_them,
);

fn check(board: &StatusBoard, check: HealthCheck) -> (HealthState, String) {
    let found = board.checks.iter().find(|c| c.check == check).expect("every check is on the board");
    (found.state, found.summary.clone())
}

async fn r12_1_the_board_is_unknown_before_the_first_run_and_filled_by_a_run(app: &TestApp) {
    let sys = app.signed_in("sys", Role::SystemAdmin, CITY).await;
    let before: StatusBoard = app.get_json_as(&sys, "/api/v1/ops/status").await;
    assert_eq!(before.state, HealthState::Unknown);
    assert!(before.checked_at.is_none());
    assert_eq!(before.checks.len(), HealthCheck::ALL.len());

    let board: StatusBoard =
        expect_json(app.post_as(&sys, "/api/v1/ops/status/runs", &serde_json::json!({})).await, 201).await;
    assert!(board.checked_at.is_some());
    for ok in [
        HealthCheck::Database,
        HealthCheck::Migrations,
        HealthCheck::KeyFiles,
        HealthCheck::Outbox,
        HealthCheck::Intake,
    ] {
        assert_eq!(check(&board, ok).0, HealthState::Ok, "{ok:?}: {board:?}");
    }
    let (audit, summary) = check(&board, HealthCheck::AuditChain);
    assert_eq!(audit, HealthState::Ok, "the first run verifies the chain: {summary}");
    assert!(check(&board, HealthCheck::Database).1.contains("毫秒"));
    assert_ne!(check(&board, HealthCheck::DiskSpace).0, HealthState::Unknown);
    let read: StatusBoard = app.get_json_as(&sys, "/api/v1/ops/status").await;
    assert_eq!(read, board, "the board is the latest run");
}

/// The automatic entries about one check.
async fn entries_about(app: &TestApp, session: &credit_tests::Session, check: HealthCheck) -> Vec<OpLogEntry> {
    let page: Page<OpLogEntry> = app.get_json_as(session, "/api/v1/ops/log?kind=automatic_check&limit=500").await;
    let source = format!("health:{}", check.as_str());
    page.items.into_iter().filter(|e| e.source.as_deref() == Some(source.as_str())).collect()
}

async fn r12_1_a_change_of_state_writes_one_log_entry_not_one_per_run(app: &TestApp) {
    let sys = app.signed_in("sys", Role::SystemAdmin, CITY).await;
    let run = || async {
        expect_json::<StatusBoard>(app.post_as(&sys, "/api/v1/ops/status/runs", &serde_json::json!({})).await, 201)
            .await
    };
    run().await;
    assert!(
        entries_about(app, &sys, HealthCheck::KeyFiles).await.is_empty(),
        "an ok check on the first run is no news"
    );

    let key = app.data_dir().join("token.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    for _ in 0..3 {
        assert_eq!(check(&run().await, HealthCheck::KeyFiles).0, HealthState::Failed);
    }
    let logged = entries_about(app, &sys, HealthCheck::KeyFiles).await;
    assert_eq!(logged.len(), 1, "three failing runs, one entry: {logged:?}");
    assert_eq!(logged[0].kind, OpLogKind::AutomaticCheck);
    assert!(logged[0].text.contains("正常 → 故障") && logged[0].text.contains("644"), "{}", logged[0].text);
    assert_eq!(logged[0].author_name, "平台自动");

    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    run().await;
    run().await;
    let logged = entries_about(app, &sys, HealthCheck::KeyFiles).await;
    assert_eq!(logged.len(), 2, "and one entry back to ok: {logged:?}");
    assert!(logged[0].text.contains("故障 → 正常"), "{}", logged[0].text);
}

async fn r12_1_the_health_checks_run_once_per_slot_with_two_servers_on_one_database(app: &TestApp) {
    let (first, second) = (app.state().clone(), app.second_server());
    let probes = Probes::of(app.settings());
    let settings = app.settings().health.clone();
    let slot = Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0).unwrap();
    let (a, b) = tokio::join!(
        scheduler::run_slot(&first, &probes, &settings, slot),
        scheduler::run_slot(&second, &probes, &settings, slot)
    );
    let ran = [a.unwrap(), b.unwrap()].into_iter().flatten().count();
    assert_eq!(ran, 1, "one of the two servers runs the slot");
    let again = scheduler::run_slot(&second, &probes, &settings, slot).await.unwrap();
    assert!(again.is_none(), "and nobody runs it again");
    let next = scheduler::run_slot(&second, &probes, &settings, slot + chrono::Duration::minutes(5)).await.unwrap();
    assert!(next.is_some(), "the next slot runs");
    let runs = app.state().read(credit_api::ops::store::count).await.unwrap();
    assert_eq!(runs, 2);
}

async fn r12_1_the_nightly_audit_verification_continues_from_the_last_event_and_finds_a_change(app: &TestApp) {
    let sys = app.signed_in("sys", Role::SystemAdmin, CITY).await;
    let verify = || {
        let key = app.audit_key().clone();
        app.state().write(move |conn| scheduler::verify_audit_chain(conn, &key, credit_api::clock::now()))
    };
    verify().await.unwrap();
    // Events written since are verified from where the last verification stopped.
    app.signed_in("sys2", Role::SystemAdmin, CITY).await;
    verify().await.unwrap();
    let ranges: Vec<(i64, i64, bool)> = app
        .state()
        .read(|conn| {
            use credit_api::schema::audit_verifications as v;
            use diesel::prelude::*;
            Ok(v::table.order(v::from_seq.asc()).select((v::from_seq, v::to_seq, v::intact)).load(conn)?)
        })
        .await
        .unwrap();
    assert_eq!(ranges.len(), 2);
    assert_eq!(ranges[0].0, 0);
    assert_eq!(ranges[1].0, ranges[0].1, "the second continues from the first one's last event");
    assert!(ranges[1].1 > ranges[1].0 && ranges.iter().all(|r| r.2));

    // An event written since, changed before the night comes, is found by the night's verification.
    app.signed_in("sys3", Role::SystemAdmin, CITY).await;
    app.lift_audit_trail_protection();
    app.execute_sql("UPDATE audit_events SET detail = 'rewritten' WHERE seq = (SELECT MAX(seq) FROM audit_events)");
    verify().await.unwrap();
    let board: StatusBoard =
        expect_json(app.post_as(&sys, "/api/v1/ops/status/runs", &serde_json::json!({})).await, 201).await;
    let (state, summary) = check(&board, HealthCheck::AuditChain);
    assert_eq!(state, HealthState::Failed, "{summary}");
    assert!(summary.contains("断开"), "{summary}");
}

async fn r12_1_runs_are_kept_90_days_and_their_claims_forgotten_with_them(app: &TestApp) {
    let now = credit_api::clock::now();
    let old = now - chrono::Duration::days(91);
    let recorded = app
        .state()
        .write(move |conn| {
            credit_api::db::claim_run(conn, scheduler::JOB, old.and_utc(), old.and_utc())?;
            let first = scheduler::record(conn, Vec::new(), old, old, 1)?;
            let second = scheduler::record(conn, Vec::new(), now, now, 1)?;
            Ok((first.is_some(), second.is_some()))
        })
        .await
        .unwrap();
    assert_eq!(recorded, (true, true));
    let runs = app.state().read(credit_api::ops::store::count).await.unwrap();
    assert_eq!(runs, 1, "the run of 91 days ago is gone");
    let claims = app.count_sql("SELECT COUNT(*) AS n FROM job_runs WHERE job = 'health'");
    assert_eq!(claims, 0, "and its claim with it");
}

//! The audit trail's chain: appends stay linear under concurrency, the databases refuse changes,
//! and a change made behind the triggers' back is found at the row changed. The key and the anchors: `audit_key.rs`.

use credit_api::audit::{self, Actor, AuditAction, EventFields, Outcome, TargetKind};
use credit_api::db::{DbManager, DbPool};
use credit_api::keys::AuditKey;
use credit_tests::{expect_problem, on_both_backends, TestApp};
use credit_types::audit::{AnchorReport, AnchorStatus, AuditEvent, Verification};
use credit_types::identity::Role;
use credit_types::ErrorCode;
use credit_types::Page;
use diesel::RunQueryDsl;
use std::sync::Arc;

on_both_backends!(
    r30_concurrent_appends_keep_one_linear_chain,
    r30_the_database_refuses_update_and_delete_of_events,
    r30_a_row_changed_behind_the_triggers_is_named_by_verify,
    r30_only_the_security_auditor_reads_and_verifies_the_trail,
);

fn pool(app: &TestApp) -> DbPool {
    DbManager::pool(app.database.clone()).unwrap()
}

fn event(n: usize) -> EventFields {
    EventFields::new(&Actor::User(format!("writer-{n}")), AuditAction::AuditVerify, Outcome::Success)
        .target(TargetKind::AuditEvents, n.to_string())
}

/// Appends `count` events with `key`, as the app appends them.
pub fn append_many(pool: &DbPool, key: &Arc<AuditKey>, count: usize) {
    let mut conn = pool.get().unwrap();
    AuditKey::scope(key.clone(), || {
        for n in 0..count {
            audit::append(&mut conn, event(n)).unwrap();
        }
    });
}

async fn r30_concurrent_appends_keep_one_linear_chain(app: &TestApp) {
    let pool = pool(app);
    let writers: Vec<_> = (0..8)
        .map(|_| {
            let (pool, key) = (pool.clone(), app.audit_key().clone());
            std::thread::spawn(move || append_many(&pool, &key, 500))
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let verification = app.verify_audit_trail();
    assert_eq!(verification.first_broken, None);
    assert_eq!(verification.checked, 4_000);
    assert!(verification.intact(), "{verification:?}");
}

async fn r30_the_database_refuses_update_and_delete_of_events(app: &TestApp) {
    let pool = pool(app);
    append_many(&pool, app.audit_key(), 3);
    let mut conn = pool.get().unwrap();
    for sql in ["UPDATE audit_events SET action = 'forged' WHERE seq = 2", "DELETE FROM audit_events WHERE seq = 3"] {
        let refused = diesel::sql_query(sql).execute(&mut conn);
        let message = refused.expect_err(sql).to_string();
        assert!(message.contains("append-only"), "{sql}: {message}");
    }
    assert_eq!(app.verify_audit_trail().checked, 3);
    let appended_without_key = audit::append(&mut conn, event(4));
    assert!(appended_without_key.expect_err("no key, no event").to_string().contains("no audit key"));
}

async fn r30_a_row_changed_behind_the_triggers_is_named_by_verify(app: &TestApp) {
    let pool = pool(app);
    append_many(&pool, app.audit_key(), 10);
    // Someone with direct database access switches the protection off and edits event 5.
    app.lift_audit_trail_protection();
    app.execute_sql("UPDATE audit_events SET actor_id = 'someone-else' WHERE seq = 5");
    let verification = app.verify_audit_trail();
    let broken = verification.first_broken.expect("the change is detected");
    assert_eq!(broken.seq, 5);
    assert!(broken.reason.contains("changed"), "{}", broken.reason);
    assert_eq!(verification.checked, 4);
}

async fn r30_only_the_security_auditor_reads_and_verifies_the_trail(app: &TestApp) {
    const PASSWORD: &str = "Audit-Trail-Check-2026";
    app.create_user("auditor", PASSWORD, &[Role::SecurityAuditor], "360400");
    app.create_user("accounts", PASSWORD, &[Role::AccountAdmin], "360400");
    app.create_user("city.admin", PASSWORD, &[Role::CityCreditAdmin], "360400");
    for login in ["accounts", "city.admin"] {
        let session = app.sign_in(login, PASSWORD).await;
        expect_problem(app.get_as(&session, "/api/v1/audit/events").await, 403, ErrorCode::Forbidden).await;
        expect_problem(app.get_as(&session, "/api/v1/audit/verify").await, 403, ErrorCode::Forbidden).await;
    }
    expect_problem(app.get("/api/v1/audit/events").await, 401, ErrorCode::Unauthenticated).await;

    let auditor = app.sign_in("auditor", PASSWORD).await;
    let page: Page<AuditEvent> = app.get_json_as(&auditor, "/api/v1/audit/events?action=auth.login&limit=2").await;
    assert_eq!(page.items.len(), 2);
    assert!(page.items[0].seq > page.items[1].seq, "newest first");
    let cursor = page.next_cursor.unwrap();
    let next: Page<AuditEvent> =
        app.get_json_as(&auditor, &format!("/api/v1/audit/events?action=auth.login&limit=2&cursor={cursor}")).await;
    assert_eq!(next.items.len(), 1, "three sign-ins in all");
    assert_eq!(next.next_cursor, None);
    let failures: Page<AuditEvent> = app.get_json_as(&auditor, "/api/v1/audit/events?outcome=failure").await;
    assert!(failures.items.is_empty());
    expect_problem(app.get_as(&auditor, "/api/v1/audit/events?outcome=maybe").await, 400, ErrorCode::InvalidParameter)
        .await;

    let verification: Verification = app.get_json_as(&auditor, "/api/v1/audit/verify").await;
    assert!(verification.checked >= 3);
    assert!(verification.intact(), "{verification:?}");
    // The anchor written at start is listed and still matches the (then empty) chain.
    let anchors: AnchorReport = app.get_json_as(&auditor, "/api/v1/audit/anchors").await;
    assert_eq!((anchors.total, anchors.unreadable, anchors.first_mismatch), (1, 0, None));
    assert_eq!((anchors.latest[0].seq, anchors.latest[0].status), (0, AnchorStatus::Matches));
    assert_eq!(anchors.latest[0].key_id, app.audit_key().id());
    assert_eq!(verification.anchors.latest, anchors.latest);
    for login in ["accounts", "city.admin"] {
        let session = app.sign_in(login, PASSWORD).await;
        expect_problem(app.get_as(&session, "/api/v1/audit/anchors").await, 403, ErrorCode::Forbidden).await;
    }
}

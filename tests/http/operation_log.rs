//! The operation log: entries by system administrators with kind, severity, text, author and time, a
//! hardware fault with its device, symptom and who was told; append-only with corrections; search, pages and the
//! audited CSV export.

use credit_tests::{expect_json, expect_problem, on_both_backends, TestApp, CITY};
use credit_types::audit::AuditAction;
use credit_types::identity::Role;
use credit_types::oplog::{OpLogEntry, OpLogKind, OpLogSeverity};
use credit_types::{ErrorCode, Page};
use serde_json::json;

on_both_backends!(
    r12_1_a_system_admin_writes_entries_and_a_hardware_fault_says_who_was_told,
    r12_1_entries_are_corrected_by_new_entries_never_changed,
    r12_1_the_log_is_searched_by_words_kind_severity_author_and_time_in_pages,
    r12_1_the_csv_export_reads_as_people_read_and_is_audited,
    r12_1_bad_entries_get_field_errors,
);

async fn r12_1_a_system_admin_writes_entries_and_a_hardware_fault_says_who_was_told(app: &TestApp) {
    let sys = app.signed_in("sys", Role::SystemAdmin, CITY).await;
    let body = json!({
        "kind": "hardware_fault",
        "severity": "error",
        "text": "数据库服务器硬盘告警",
        "hardware": {
            "device": "db-01 第二块硬盘",
            "symptom": "SMART 重映射扇区增加",
            "notified": "机房值班 张工",
            "notified_at": "2026-11-28T01:30:00Z"
        }
    });
    let response = app.post_as(&sys, "/api/v1/ops/log", &body).await;
    let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_owned());
    let entry: OpLogEntry = expect_json(response, 201).await;
    assert_eq!(location.as_deref(), Some(format!("/api/v1/ops/log/{}", entry.id).as_str()));
    assert_eq!((entry.kind, entry.severity), (OpLogKind::HardwareFault, OpLogSeverity::Error));
    let fault = entry.hardware.clone().expect("the fault's details");
    assert_eq!((fault.device.as_str(), fault.notified.as_str()), ("db-01 第二块硬盘", "机房值班 张工"));
    assert_eq!(fault.notified_at.to_rfc3339(), "2026-11-28T01:30:00+00:00");
    assert!(!entry.author_name.is_empty() && entry.author.is_some(), "{entry:?}");
    let read: OpLogEntry = app.get_json_as(&sys, &format!("/api/v1/ops/log/{}", entry.id)).await;
    assert_eq!(read, entry);
    assert_eq!(app.get_as(&sys, "/api/v1/ops/log/nope").await.status(), 404);
    let trail = app.verify_audit_trail();
    assert!(trail.intact(), "{trail:?}");
}

async fn r12_1_entries_are_corrected_by_new_entries_never_changed(app: &TestApp) {
    let sys = app.signed_in("sys", Role::SystemAdmin, CITY).await;
    let first: OpLogEntry = expect_json(
        app.post_as(&sys, "/api/v1/ops/log", &json!({"kind": "change", "severity": "info", "text": "升级到 1.2"}))
            .await,
        201,
    )
    .await;
    let fix = json!({"kind": "change", "severity": "info", "text": "更正:升级到 1.3", "corrects": first.id});
    let second: OpLogEntry = expect_json(app.post_as(&sys, "/api/v1/ops/log", &fix).await, 201).await;
    assert_eq!(second.corrects.as_deref(), Some(first.id.as_str()));
    let old: OpLogEntry = app.get_json_as(&sys, &format!("/api/v1/ops/log/{}", first.id)).await;
    assert_eq!(old.text, "升级到 1.2", "the old entry is unchanged");
    assert_eq!(old.corrected_by, std::slice::from_ref(&second.id));
    // There is no way to change or delete an entry.
    let path = format!("/api/v1/ops/log/{}", first.id);
    let put = app.put_as(&sys, &path, "*", &json!({"text": "x"})).await.status();
    assert_eq!(put, 405);
    let delete = app.client.delete(app.url(&path)).bearer_auth(&sys.access_token).send().await.unwrap();
    assert_eq!(delete.status(), 405);
    let unknown = json!({"kind": "other", "severity": "info", "text": "x", "corrects": "no-such-entry"});
    let problem =
        expect_problem(app.post_as(&sys, "/api/v1/ops/log", &unknown).await, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].field, "corrects");
}

async fn write(app: &TestApp, session: &credit_tests::Session, kind: &str, severity: &str, text: &str) -> OpLogEntry {
    let body = json!({"kind": kind, "severity": severity, "text": text});
    expect_json(app.post_as(session, "/api/v1/ops/log", &body).await, 201).await
}

async fn r12_1_the_log_is_searched_by_words_kind_severity_author_and_time_in_pages(app: &TestApp) {
    let sys = app.signed_in("sys", Role::SystemAdmin, CITY).await;
    let other = app.signed_in("sys2", Role::SystemAdmin, CITY).await;
    let inspection = write(app, &sys, "inspection", "info", "机房巡检:空调正常").await;
    let tuning = write(app, &other, "tuning", "warning", "调大连接池到 32").await;
    let maintenance = write(app, &sys, "maintenance", "info", "清理日志 50%_满").await;
    let auditor = app.signed_in("auditor", Role::SecurityAuditor, CITY).await;
    let search = |query: &'static str| {
        let auditor = &auditor;
        async move {
            let page: Page<OpLogEntry> = app.get_json_as(auditor, &format!("/api/v1/ops/log?{query}")).await;
            page.items.into_iter().map(|e| e.id).collect::<Vec<_>>()
        }
    };
    assert_eq!(search("q=%E7%A9%BA%E8%B0%83").await, std::slice::from_ref(&inspection.id), "by Chinese words (空调)");
    assert_eq!(search("q=50%25_").await, std::slice::from_ref(&maintenance.id), "% and _ are literal");
    assert_eq!(search("kind=tuning").await, std::slice::from_ref(&tuning.id));
    assert_eq!(search("severity=warning").await, std::slice::from_ref(&tuning.id));
    let by_author: Page<OpLogEntry> =
        app.get_json_as(&auditor, &format!("/api/v1/ops/log?author={}", inspection.author.clone().unwrap())).await;
    assert_eq!(by_author.items.len(), 2);
    let future = search("from=2999-01-01T00:00:00Z").await;
    assert!(future.is_empty());
    let until_now: Vec<String> = search("to=2999-01-01T00:00:00Z").await;
    assert_eq!(until_now, [maintenance.id.clone(), tuning.id.clone(), inspection.id.clone()], "latest first");
    // Pages of one, following the cursor, give the same entries.
    let mut seen = Vec::new();
    let mut path = "/api/v1/ops/log?limit=1".to_owned();
    loop {
        let page: Page<OpLogEntry> = app.get_json_as(&auditor, &path).await;
        seen.extend(page.items.into_iter().map(|e| e.id));
        match page.next_cursor {
            Some(cursor) => path = format!("/api/v1/ops/log?limit=1&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, until_now);
    assert_eq!(app.get_as(&auditor, "/api/v1/ops/log?cursor=%%%").await.status(), 400);
    assert_eq!(app.get_as(&auditor, "/api/v1/ops/log?kind=nonsense").await.status(), 400);
}

async fn r12_1_the_csv_export_reads_as_people_read_and_is_audited(app: &TestApp) {
    let sys = app.signed_in("sys", Role::SystemAdmin, CITY).await;
    write(app, &sys, "inspection", "info", "=HYPERLINK(\"x\") 巡检").await;
    let response = app.get_as(&sys, "/api/v1/ops/log/export.csv?kind=inspection").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let body = response.text().await.unwrap();
    let mut lines = body.trim_start_matches('\u{feff}').lines();
    assert!(lines.next().unwrap().starts_with("时间,类型,级别,内容,记录人"));
    let row = lines.next().unwrap();
    assert!(row.contains(",巡检,信息,") && row.contains("'=HYPERLINK"), "labels, and formulas neutralised: {row}");
    assert!(lines.next().is_none());
    assert_eq!(app.audit_count(AuditAction::OpLogExport), 1, "the export is audited");
}

async fn r12_1_bad_entries_get_field_errors(app: &TestApp) {
    let sys = app.signed_in("sys", Role::SystemAdmin, CITY).await;
    let cases = [
        (json!({"kind": "automatic_check", "severity": "info", "text": "x"}), "kind"),
        (json!({"kind": "other", "severity": "info", "text": "   "}), "text"),
        (json!({"kind": "hardware_fault", "severity": "error", "text": "坏了"}), "hardware"),
        (
            json!({"kind": "change", "severity": "info", "text": "x", "hardware":
                {"device": "a", "symptom": "b", "notified": "c", "notified_at": "2026-11-28T01:30:00Z"}}),
            "hardware",
        ),
        (json!({"kind": "other", "severity": "info", "text": "x".repeat(4001)}), "text"),
    ];
    for (body, field) in cases {
        let problem =
            expect_problem(app.post_as(&sys, "/api/v1/ops/log", &body).await, 422, ErrorCode::ValidationFailed).await;
        assert!(problem.errors.iter().any(|e| e.field == field), "{field}: {problem:?}");
    }
    let unknown_kind =
        app.post_as(&sys, "/api/v1/ops/log", &json!({"kind": "x", "severity": "info", "text": "x"})).await;
    assert_eq!(unknown_kind.status(), 422);
}

//! The database administrator's checks: snapshots of the database's state with the figures of the backend
//! in use (collected on demand and daily, once across servers), and the archive of checks with state, warnings,
//! error cause and solution, validated, searched, append-only and audited.

use chrono::{Duration, Utc};
use credit_api::db::DbTarget;
use credit_tests::{expect_json, expect_problem, on_both_backends, Session, TestApp, CITY};
use credit_types::audit::AuditEvent;
use credit_types::dbadmin::{
    DbCheckRecord, DbCheckState, DbFigures, DbSnapshot, DbSnapshotSummary, SnapshotState, SnapshotTrigger,
};
use credit_types::identity::Role;
use credit_types::{ErrorCode, Page};
use diesel::{Connection, RunQueryDsl};
use serde_json::json;

on_both_backends!(
    r13_1_a_snapshot_holds_the_figures_of_the_backend_in_use,
    r13_1_the_daily_snapshot_is_taken_once_across_servers,
    r13_1_an_abnormal_check_needs_its_cause_and_solution,
    r13_1_check_records_are_searched_by_text_state_and_time_in_pages,
    r13_1_check_records_are_append_only,
);

const SNAPSHOTS: &str = "/api/v1/ops/database/snapshots";
const CHECKS: &str = "/api/v1/ops/database/checks";

async fn dba(app: &TestApp) -> Session {
    app.signed_in("dba", Role::DbAdmin, CITY).await
}

async fn take_snapshot(app: &TestApp, dba: &Session) -> DbSnapshot {
    let response = app.client.post(app.url(SNAPSHOTS)).bearer_auth(&dba.access_token).send().await.unwrap();
    expect_json(response, 201).await
}

async fn events(app: &TestApp, action: &str) -> Vec<AuditEvent> {
    let auditor = app.sign_in("auditor", credit_tests::PASSWORD).await;
    let page: Page<AuditEvent> = app.get_json_as(&auditor, &format!("/api/v1/audit/events?action={action}")).await;
    page.items
}

async fn r13_1_a_snapshot_holds_the_figures_of_the_backend_in_use(app: &TestApp) {
    let dba = dba(app).await;
    app.create_user("auditor", credit_tests::PASSWORD, &[Role::SecurityAuditor], CITY);
    let none = app.get_as(&dba, &format!("{SNAPSHOTS}/latest")).await;
    expect_problem(none, 404, ErrorCode::NotFound).await;

    let snapshot = take_snapshot(app, &dba).await;
    assert_eq!(snapshot.trigger, SnapshotTrigger::OnDemand);
    assert_eq!(snapshot.taken_by_name.as_deref(), Some("测试用户"));
    assert_eq!(snapshot.state == SnapshotState::Ok, snapshot.reasons.is_empty(), "{snapshot:?}");
    match (&app.database, &snapshot.figures) {
        (DbTarget::Sqlite(_), DbFigures::Sqlite(figures)) => {
            assert_eq!(figures.quick_check, ["ok"]);
            assert!(figures.page_count > 0 && figures.page_size >= 512, "{figures:?}");
            assert_eq!(figures.size_bytes, figures.page_count * figures.page_size);
            assert!(figures.free_pages >= 0);
            assert!(figures.wal_bytes.is_some(), "the database runs in WAL mode: {figures:?}");
            let refreshed = figures.statistics_refreshed_at.expect("PRAGMA optimize ran at start");
            assert!(Utc::now() - refreshed < Duration::minutes(10), "{refreshed}");
            assert_eq!(snapshot.state, SnapshotState::Ok, "{:?}", snapshot.reasons);
        }
        (DbTarget::Postgres(_), DbFigures::Postgres(figures)) => {
            assert!(figures.version.chars().next().is_some_and(|c| c.is_ascii_digit()), "{}", figures.version);
            assert!(figures.size_bytes > 0);
            assert!(figures.connections >= 1 && figures.max_connections >= figures.connections, "{figures:?}");
            assert!(figures.deadlocks >= 0 && figures.conflicts >= 0);
            assert!(!figures.in_recovery);
            let tables: Vec<&str> = figures.tables.iter().map(|t| t.table.as_str()).collect();
            assert!(!tables.is_empty() && tables.len() <= 10, "{tables:?}");
            assert!(figures.tables.windows(2).all(|w| w[0].size_bytes >= w[1].size_bytes), "largest first");
            assert!(figures.replicas.is_empty(), "a test server streams to no standby");
        }
        (database, figures) => panic!("figures of another backend on {database}: {figures:?}"),
    }

    let latest: DbSnapshot = app.get_json_as(&dba, &format!("{SNAPSHOTS}/latest")).await;
    assert_eq!(latest, snapshot);
    let one: DbSnapshot = app.get_json_as(&dba, &format!("{SNAPSHOTS}/{}", snapshot.id)).await;
    assert_eq!(one, snapshot);
    let second = take_snapshot(app, &dba).await;
    let listed: Page<DbSnapshotSummary> = app.get_json_as(&dba, SNAPSHOTS).await;
    let ids: Vec<&str> = listed.items.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, [second.id.as_str(), snapshot.id.as_str()], "newest first");
    let backend = match app.database {
        DbTarget::Sqlite(_) => "sqlite",
        DbTarget::Postgres(_) => "postgres",
    };
    assert!(listed.items.iter().all(|s| s.backend == backend));
    expect_problem(app.get_as(&dba, &format!("{SNAPSHOTS}/nothing")).await, 404, ErrorCode::NotFound).await;

    let taken = events(app, "db.snapshot").await;
    assert_eq!(taken.len(), 2, "each snapshot taken on demand is in the trail");
    assert_eq!(taken[0].target_id.as_deref(), Some(second.id.as_str()));
    assert!(app.verify_audit_trail().intact());
}

async fn r13_1_the_daily_snapshot_is_taken_once_across_servers(app: &TestApp) {
    let now = Utc::now();
    let run = |at: chrono::DateTime<Utc>| {
        let pool = app.pool();
        app.keyed(|| {
            let mut conn = pool.get().unwrap();
            credit_api::dbadmin::collect::scheduled(&mut conn, at).unwrap().is_some()
        })
    };
    let (a, b) = std::thread::scope(|s| {
        let first = s.spawn(|| run(now));
        let second = s.spawn(|| run(now));
        (first.join().unwrap(), second.join().unwrap())
    });
    assert!(a ^ b, "two servers at once take the day's snapshot once ({a}, {b})");
    assert!(!run(now + Duration::minutes(10)), "and not again the same day");
    assert!(run(now + Duration::days(1)), "the next day's is taken");

    let dba = dba(app).await;
    let listed: Page<DbSnapshotSummary> = app.get_json_as(&dba, SNAPSHOTS).await;
    assert_eq!(listed.items.len(), 2);
    assert!(listed.items.iter().all(|s| s.trigger == SnapshotTrigger::Scheduled));
    let latest: DbSnapshot = app.get_json_as(&dba, &format!("{SNAPSHOTS}/latest")).await;
    assert_eq!((latest.taken_by, latest.trigger), (None, SnapshotTrigger::Scheduled));
    // The health board's reading is the same.
    let mut conn = app.pool().get().unwrap();
    let board = credit_api::dbadmin::store::latest_snapshot(&mut conn).unwrap().unwrap();
    assert_eq!(board.id, latest.id);
}

async fn record(app: &TestApp, dba: &Session, body: serde_json::Value) -> reqwest::Response {
    app.post_as(dba, CHECKS, &body).await
}

async fn r13_1_an_abnormal_check_needs_its_cause_and_solution(app: &TestApp) {
    let dba = dba(app).await;
    app.create_user("auditor", credit_tests::PASSWORD, &[Role::SecurityAuditor], CITY);
    let missing = record(app, &dba, json!({"state": "abnormal", "warnings": "ORA-like 告警", "solution": " "})).await;
    let problem = expect_problem(missing, 422, ErrorCode::ValidationFailed).await;
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["error_cause", "solution"]);
    let long = record(app, &dba, json!({"state": "normal", "warnings": "长".repeat(2001)})).await;
    let problem = expect_problem(long, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].field, "warnings");
    let unknown = record(app, &dba, json!({"state": "normal", "snapshot_id": "no-such-snapshot"})).await;
    let problem = expect_problem(unknown, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].field, "snapshot_id");
    let bad_state = record(app, &dba, json!({"state": "fine"})).await;
    assert_eq!(bad_state.status(), 422);
    let listed: Page<DbCheckRecord> = app.get_json_as(&dba, CHECKS).await;
    assert!(listed.items.is_empty(), "nothing stored by refused records");

    let normal: DbCheckRecord = expect_json(record(app, &dba, json!({"state": "normal"})).await, 201).await;
    assert_eq!((normal.state, normal.warnings.as_deref()), (DbCheckState::Normal, None));
    assert_eq!(normal.recorded_by_name, "测试用户");
    let snapshot = take_snapshot(app, &dba).await;
    let body = json!({"state": "abnormal", "warnings": "  磁盘使用率 92%  ", "error_cause": "归档日志未清理",
        "solution": "清理归档并调整保留期", "snapshot_id": snapshot.id});
    let abnormal: DbCheckRecord = expect_json(record(app, &dba, body).await, 201).await;
    assert_eq!(abnormal.warnings.as_deref(), Some("磁盘使用率 92%"), "texts are stored trimmed");
    assert_eq!(abnormal.snapshot_state, Some(snapshot.state));
    assert_eq!(abnormal.snapshot_taken_at, Some(snapshot.taken_at));
    let one: DbCheckRecord = app.get_json_as(&dba, &format!("{CHECKS}/{}", abnormal.id)).await;
    assert_eq!(one, abnormal);
    expect_problem(app.get_as(&dba, &format!("{CHECKS}/nothing")).await, 404, ErrorCode::NotFound).await;
    let recorded = events(app, "db.check_record").await;
    assert_eq!(recorded.len(), 2, "each archived check is in the trail");
    assert_eq!(recorded[0].target_id.as_deref(), Some(abnormal.id.as_str()));
}

async fn r13_1_check_records_are_searched_by_text_state_and_time_in_pages(app: &TestApp) {
    let dba = dba(app).await;
    let start = Utc::now() - Duration::seconds(1);
    for body in [
        json!({"state": "normal", "warnings": "告警日志无新条目"}),
        json!({"state": "abnormal", "error_cause": "表空间不足", "solution": "扩容 50%"}),
        json!({"state": "abnormal", "warnings": "发现死锁", "error_cause": "两个批量任务交叉加锁", "solution": "调整任务顺序"}),
    ] {
        expect_json::<DbCheckRecord>(record(app, &dba, body).await, 201).await;
    }
    let search = |query: String| {
        let dba = dba.clone();
        async move {
            let page: Page<DbCheckRecord> = app.get_json_as(&dba, &format!("{CHECKS}?{query}")).await;
            page.items
        }
    };
    assert_eq!(search("q=%E6%AD%BB%E9%94%81".into()).await.len(), 1, "死锁 in the warnings");
    assert_eq!(search("q=%E6%89%A9%E5%AE%B9".into()).await.len(), 1, "扩容 in the solution");
    assert_eq!(search("q=50%25".into()).await.len(), 1, "a % is a character, not a wildcard");
    assert_eq!(search("q=%25".into()).await.len(), 1);
    assert_eq!(search("state=abnormal".into()).await.len(), 2);
    assert_eq!(search("state=normal".into()).await.len(), 1);
    let from = (start).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let later = (Utc::now() + Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert_eq!(search(format!("from={from}")).await.len(), 3);
    assert_eq!(search(format!("from={later}")).await.len(), 0);
    assert_eq!(search(format!("to={from}")).await.len(), 0);
    assert_eq!(search(format!("state=abnormal&from={from}&to={later}")).await.len(), 2);

    let mut seen = Vec::new();
    let mut path = format!("{CHECKS}?limit=1");
    loop {
        let page: Page<DbCheckRecord> = app.get_json_as(&dba, &path).await;
        assert!(page.items.len() <= 1);
        seen.extend(page.items);
        match page.next_cursor {
            Some(cursor) => path = format!("{CHECKS}?limit=1&cursor={cursor}"),
            None => break,
        }
    }
    let causes: Vec<Option<&str>> = seen.iter().map(|r| r.error_cause.as_deref()).collect();
    assert_eq!(causes, [Some("两个批量任务交叉加锁"), Some("表空间不足"), None], "newest first");
    let bad = app.get_as(&dba, &format!("{CHECKS}?cursor=nonsense")).await;
    expect_problem(bad, 400, ErrorCode::InvalidParameter).await;
    let bad = app.get_as(&dba, &format!("{CHECKS}?state=broken")).await;
    assert_eq!(bad.status(), 400);
}

/// Runs `sql` on the app's database and says whether it succeeded.
fn try_sql(app: &TestApp, sql: &str) -> bool {
    match &app.database {
        DbTarget::Sqlite(path) => {
            let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy()).unwrap();
            diesel::sql_query(sql).execute(&mut conn).is_ok()
        }
        DbTarget::Postgres(url) => {
            let mut conn = diesel::PgConnection::establish(url).unwrap();
            diesel::sql_query(sql).execute(&mut conn).is_ok()
        }
    }
}

async fn r13_1_check_records_are_append_only(app: &TestApp) {
    let dba = dba(app).await;
    let body = json!({"state": "abnormal", "error_cause": "索引损坏", "solution": "重建索引"});
    let archived: DbCheckRecord = expect_json(record(app, &dba, body).await, 201).await;
    assert!(!try_sql(app, "UPDATE db_check_records SET solution = '改过'"), "an archived check cannot change");
    assert!(!try_sql(app, "DELETE FROM db_check_records"), "nor be removed");
    let one: DbCheckRecord = app.get_json_as(&dba, &format!("{CHECKS}/{}", archived.id)).await;
    assert_eq!(one.solution.as_deref(), Some("重建索引"));
    for method in [reqwest::Method::PUT, reqwest::Method::DELETE, reqwest::Method::PATCH] {
        let response = app
            .client
            .request(method.clone(), app.url(&format!("{CHECKS}/{}", archived.id)))
            .bearer_auth(&dba.access_token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405, "{method} on an archived check");
    }
}

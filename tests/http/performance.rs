//! Performance status (R-14.2): `/metrics` only for allowed addresses or with the token, requests counted under their
//! route template, snapshots archived once per slot however many servers share the database, the archive thinned
//! and read as 24 hours or 30 days.

use chrono::{DateTime, Duration, DurationRound, Utc};
use credit_api::http::metrics::WindowFigures;
use credit_api::performance::archive::{self, Measured};
use credit_api::performance::store::{self, SnapshotRow};
use credit_tests::{expect_json, expect_problem, on_both_backends, Backend, TestApp, TestOptions, CITY};
use credit_types::identity::Role;
use credit_types::performance::{PerformanceRange, PerformanceSeries};
use credit_types::ErrorCode;
use serde_json::json;

on_both_backends!(
    r14_2_snapshots_are_archived_once_per_slot_by_two_servers_on_one_database,
    r14_2_thinning_keeps_one_per_hour_past_a_week_and_drops_past_400_days,
    r14_2_the_archive_reads_as_24_hours_of_snapshots_or_30_days_of_hours,
);

const TOKEN: &str = "scrape-7f3a9c2e41d8b6f0";

async fn scrape(app: &TestApp, token: Option<&str>, forwarded_for: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url("/metrics"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.unwrap()
}

async fn metrics_text(app: &TestApp) -> String {
    let response = scrape(app, Some(TOKEN), None).await;
    assert_eq!(response.status(), 200);
    let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned());
    assert!(content_type.as_deref().is_some_and(|t| t.starts_with("text/plain; version=0.0.4")), "{content_type:?}");
    response.text().await.unwrap()
}

/// The value of the sample of `name` whose labels include every one of `labels` (`route="/x"`), if any.
fn sample(text: &str, name: &str, labels: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|line| line.starts_with(&format!("{name}{{")) || line.starts_with(&format!("{name} ")))
        .find(|line| labels.iter().all(|label| line.contains(label)))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
}

/// R-14.2: with neither an allow list nor a token, `/metrics` is off.
#[actix_web::test]
async fn r14_2_metrics_are_off_without_an_allow_list_or_a_token() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    expect_problem(scrape(&app, Some(TOKEN), None).await, 404, ErrorCode::NotFound).await;
}

/// R-14.2: another address (or a wrong token) is refused; the token opens it from anywhere; an allowed address needs
/// none; behind a trusted proxy the visitor's address counts, not the proxy's.
#[actix_web::test]
async fn r14_2_metrics_are_refused_without_the_token_or_from_another_address_and_served_with_it() {
    let options = TestOptions {
        metrics_allow: vec!["192.0.2.0/24"],
        metrics_token: Some(TOKEN.into()),
        ..TestOptions::default()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, options).await.unwrap();
    expect_problem(scrape(&app, None, None).await, 403, ErrorCode::Forbidden).await;
    expect_problem(scrape(&app, Some("scrape-7f3a9c2e41d8b6f1"), None).await, 403, ErrorCode::Forbidden).await;
    let served = metrics_text(&app).await;
    assert!(served.contains("# TYPE credit_http_requests_total counter"), "{served}");

    let loopback = "127.0.0.1".parse().unwrap();
    let options =
        TestOptions { metrics_allow: vec!["127.0.0.0/8"], trusted_proxies: vec![loopback], ..TestOptions::default() };
    let behind_proxy = TestApp::spawn_with(Backend::Sqlite, options).await.unwrap();
    assert_eq!(scrape(&behind_proxy, None, None).await.status(), 200, "the proxy's own address is allowed");
    let outside = scrape(&behind_proxy, None, Some("203.0.113.7")).await;
    expect_problem(outside, 403, ErrorCode::Forbidden).await;
    let inside = scrape(&behind_proxy, None, Some("127.0.0.9")).await;
    assert_eq!(inside.status(), 200, "a visitor on an allowed address");
    expect_problem(scrape(&behind_proxy, Some(TOKEN), Some("203.0.113.7")).await, 403, ErrorCode::Forbidden).await;
}

/// R-14.2: a request is counted under its route's template (never its raw path) and status, with its latency; the
/// pool, queues, outbox and process show too. Other tests share the process's recorder: counts only grow.
#[actix_web::test]
async fn r14_2_a_request_shows_up_under_its_route_template_and_status() {
    let options = TestOptions { metrics_token: Some(TOKEN.into()), ..TestOptions::default() };
    let app = TestApp::spawn_with(Backend::Sqlite, options).await.unwrap();
    let sysadmin = app.signed_in("sys", Role::SystemAdmin, CITY).await;
    let route = r#"route="/api/v1/ops/daily-checks/{day}""#;
    let labels = [r#"method="GET""#, route, r#"status="404""#];
    let before = sample(&metrics_text(&app).await, "credit_http_requests_total", &labels).unwrap_or(0.0);
    for day in ["2026-10-01", "2026-10-02"] {
        let response = app.get_as(&sysadmin, &format!("/api/v1/ops/daily-checks/{day}")).await;
        assert_eq!(response.status(), 404, "no check that day");
    }
    let text = metrics_text(&app).await;
    let after = sample(&text, "credit_http_requests_total", &labels).unwrap_or(0.0);
    assert!(after >= before + 2.0, "{before} → {after}");
    assert!(!text.contains("2026-10-01"), "raw paths never become labels");
    let latency = sample(&text, "credit_http_request_duration_seconds_count", &[r#"method="GET""#, route]);
    assert!(latency.is_some_and(|n| n >= 2.0), "a latency histogram per route");
    assert!(sample(&text, "credit_http_request_duration_seconds_bucket", &[route, r#"le="0.1""#]).is_some());

    let unmatched = app.get("/api/v1/no-such-thing-at-all").await;
    assert_eq!(unmatched.status(), 404);
    let text = metrics_text(&app).await;
    assert!(!text.contains("no-such-thing-at-all"), "unmatched paths are one series");
    assert!(sample(&text, "credit_http_requests_total", &[r#"route="(unmatched)""#, r#"status="404""#]).is_some());
    for (name, labels) in [
        ("credit_db_pool_connections", &[r#"state="in_use""#][..]),
        ("credit_db_pool_connections", &[r#"state="idle""#]),
        ("credit_db_pool_max_connections", &[]),
        ("credit_db_pool_waiting", &[]),
        ("credit_blocking_work_queued", &[]),
        ("credit_blocking_work_in_flight", &[]),
        ("credit_intake_jobs_waiting", &[]),
        ("credit_intake_jobs_running", &[]),
        ("credit_notice_outbox_backlog", &[]),
        ("process_resident_memory_bytes", &[]),
        ("process_cpu_seconds_total", &[]),
        ("process_open_fds", &[]),
    ] {
        assert!(sample(&text, name, labels).is_some(), "{name} {labels:?} in\n{text}");
    }
    assert_eq!(sample(&text, "credit_database_up", &[]), Some(1.0));
    assert!(sample(&text, "credit_sqlite_writer_wait_seconds_count", &[]).is_some_and(|n| n > 0.0), "sign-in wrote");
}

fn figures(requests: u64) -> WindowFigures {
    WindowFigures {
        seconds: 300.0,
        requests,
        server_errors: requests / 50,
        p50_ms: Some(12.0),
        p95_ms: Some(48.0),
        p99_ms: Some(95.0),
    }
}

fn archive_as(app: &TestApp, instance: &str, slot: DateTime<Utc>) -> bool {
    let measured = Measured { window: figures(600), memory_bytes: 50 << 20, instance: instance.into() };
    app.keyed(|| {
        let mut conn = app.conn();
        credit_api::db::write_transaction(&mut conn, |c| archive::archive(c, slot, &measured, Utc::now())).unwrap()
    })
}

fn snapshots(app: &TestApp) -> Vec<SnapshotRow> {
    let mut conn = app.conn();
    let far = Utc::now().naive_utc() + Duration::days(1);
    store::between(&mut conn, far - Duration::days(1000), far).unwrap()
}

/// R-14.2: two servers on one database claim each slot once: one archives its own figures, the other none; with two
/// servers' timers running every second, every slot still has one row.
async fn r14_2_snapshots_are_archived_once_per_slot_by_two_servers_on_one_database(app: &TestApp) {
    let slot = Utc::now().duration_trunc(Duration::minutes(5)).unwrap() - Duration::hours(1);
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| archive_as(app, "server-a", slot));
        // Another connection in a transaction of its own, as a second server's would be.
        let b = s.spawn(|| archive_as(app, "server-b", slot));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert!(a ^ b, "exactly one server archives the slot: {a} {b}");
    assert!(!archive_as(app, "server-a", slot), "and nobody again later");
    let rows = snapshots(app);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    assert_eq!(row.taken_at, slot.naive_utc());
    assert_eq!(row.instance, if a { "server-a" } else { "server-b" }, "the claimer's own figures, named");
    assert_eq!((row.requests, row.errors, row.p95_ms), (600, 12, Some(48.0)));
    assert!(row.database_bytes.is_some_and(|b| b > 0), "{row:?}");

    // Two running servers snapshotting every second into one database.
    let fast = || TestOptions { performance_interval_seconds: Some(1), ..TestOptions::default() };
    let third = app.spawn_beside(fast()).await;
    let fourth = app.spawn_beside(fast()).await;
    let started = Utc::now().naive_utc();
    let mut rows = Vec::new();
    // Every second a snapshot; a loaded machine may delay some, so wait up to 15 s for three.
    for _ in 0..30 {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        rows = snapshots(app).into_iter().filter(|r| r.taken_at > started).collect();
        if rows.len() >= 3 {
            break;
        }
    }
    drop((third, fourth));
    assert!(rows.len() >= 3, "a snapshot every second: {rows:?}");
    let slots: std::collections::BTreeSet<_> = rows.iter().map(|r| r.taken_at).collect();
    assert_eq!(slots.len(), rows.len(), "one row per slot");
    assert!(rows.iter().all(|r| r.taken_at.and_utc().timestamp_subsec_nanos() == 0), "slots on the second");
    assert!(rows.iter().all(|r| r.memory_bytes > 0), "{rows:?}");
}

fn row_at(taken_at: DateTime<Utc>, requests: i64) -> SnapshotRow {
    SnapshotRow {
        taken_at: taken_at.naive_utc(),
        window_seconds: 300.0,
        requests,
        errors: requests / 100,
        p50_ms: Some(10.0),
        p95_ms: Some(40.0),
        p99_ms: Some(80.0),
        memory_bytes: 64 << 20,
        database_bytes: Some(1 << 20),
        instance: "test".into(),
    }
}

fn insert_every_five_minutes(app: &TestApp, from: DateTime<Utc>, hours: i64, requests: i64) {
    let mut conn = app.conn();
    for i in 0..hours * 12 {
        assert!(store::insert(&mut conn, &row_at(from + Duration::minutes(5 * i), requests)).unwrap());
    }
}

/// R-14.2: past a week one snapshot an hour is kept; past 400 days none.
async fn r14_2_thinning_keeps_one_per_hour_past_a_week_and_drops_past_400_days(app: &TestApp) {
    let now = Utc::now().duration_trunc(Duration::minutes(5)).unwrap();
    insert_every_five_minutes(app, now - Duration::hours(2), 2, 10);
    insert_every_five_minutes(app, now - Duration::days(8), 3, 10);
    insert_every_five_minutes(app, now - Duration::days(401), 1, 10);
    let mut conn = app.conn();
    let removed = credit_api::db::write_transaction(&mut conn, |c| archive::thin(c, now)).unwrap();
    let rows = snapshots(app);
    let recent = rows.iter().filter(|r| r.taken_at > (now - Duration::days(7)).naive_utc()).count();
    assert_eq!(recent, 24, "the last week untouched");
    let old: Vec<_> = rows.iter().filter(|r| r.taken_at <= (now - Duration::days(7)).naive_utc()).collect();
    assert!(old.iter().all(|r| r.taken_at > (now - Duration::days(400)).naive_utc()), "nothing past 400 days");
    let hours: std::collections::BTreeSet<_> =
        old.iter().map(|r| credit_api::performance::rules::hour_end(r.taken_at)).collect();
    assert_eq!(hours.len(), old.len(), "one per hour: {old:?}");
    assert!((3..=4).contains(&old.len()), "three hours of snapshots span three or four hours: {old:?}");
    assert_eq!(removed, 36 + 12 - old.len());
    let again = credit_api::db::write_transaction(&mut conn, |c| archive::thin(c, now)).unwrap();
    assert_eq!(again, 0, "thinning again removes nothing");
}

/// R-14.2: 24 hours are every snapshot, 30 days one point an hour; only system administrators and the security
/// auditor read them (the access matrix has the rest).
async fn r14_2_the_archive_reads_as_24_hours_of_snapshots_or_30_days_of_hours(app: &TestApp) {
    let now = Utc::now().duration_trunc(Duration::minutes(5)).unwrap();
    insert_every_five_minutes(app, now - Duration::hours(3), 3, 300);
    insert_every_five_minutes(app, now - Duration::days(20), 2, 600);
    let sysadmin = app.signed_in("sys", Role::SystemAdmin, CITY).await;
    let tuning = json!({"kind": "tuning", "severity": "info", "text": "连接池上限由 16 调为 24"});
    assert_eq!(app.post_as(&sysadmin, "/api/v1/ops/log", &tuning).await.status(), 201);
    let other = json!({"kind": "maintenance", "severity": "info", "text": "更换备份磁盘"});
    assert_eq!(app.post_as(&sysadmin, "/api/v1/ops/log", &other).await.status(), 201);
    let day: PerformanceSeries = app.get_json_as(&sysadmin, "/api/v1/ops/performance").await;
    assert_eq!(day.range, PerformanceRange::Day);
    assert_eq!(day.interval_seconds, 3600, "as configured (tests: hourly)");
    assert_eq!(day.points.len(), 36, "every snapshot of the last 24 hours");
    assert!(day.points.windows(2).all(|w| w[0].at < w[1].at), "oldest first");
    let point = &day.points[0];
    assert_eq!((point.requests, point.requests_per_second, point.error_rate), (300, 1.0, 0.01));
    assert_eq!((point.p50_ms, point.p95_ms, point.p99_ms), (Some(10.0), Some(40.0), Some(80.0)));
    assert_eq!(day.markers.len(), 1, "the tuning actions only: {:?}", day.markers);
    assert_eq!(day.markers[0].text, "连接池上限由 16 调为 24");
    assert_eq!(day.markers[0].author_name.as_deref(), Some("测试用户"), "the author by name");
    assert!(day.markers[0].at > day.from && day.markers[0].at <= day.to);

    let auditor = app.auditor().await;
    let month: PerformanceSeries = app.get_json_as(&auditor, "/api/v1/ops/performance?range=30d").await;
    assert_eq!(month.markers, day.markers);
    assert_eq!(month.range, PerformanceRange::Month);
    assert!((5..=8).contains(&month.points.len()), "one point an hour: {}", month.points.len());
    assert!(month.points.iter().all(|p| p.at.timestamp() % 3600 == 0), "points at the hours' ends");
    let total: i64 = month.points.iter().map(|p| p.requests).sum();
    assert_eq!(total, 36 * 300 + 24 * 600, "hours add up their snapshots");
    let old = month.points.iter().find(|p| p.requests >= 600).unwrap();
    assert!((old.requests_per_second - 2.0).abs() < 1e-9, "{old:?}");

    let bad = app.get_as(&sysadmin, "/api/v1/ops/performance?range=7d").await;
    expect_problem(bad, 400, ErrorCode::InvalidParameter).await;
    let _: PerformanceSeries = expect_json(app.get_as(&sysadmin, "/api/v1/ops/performance?range=24h").await, 200).await;
}

//! The daily pre-work check: confirmed item by item by a system administrator, a problem or a check missing
//! past its time shown as a banner on the dashboards of system and credit administrators, logged once, listed.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use credit_tests::{
    expect_json, expect_problem, on_both_backends, Backend, Session, TestApp, TestOptions, CITY, LIANXI,
};
use credit_types::china_time;
use credit_types::identity::Role;
use credit_types::objections::{CalendarDay, CalendarYear, DayKind};
use credit_types::prework::{
    AlertKind, AutomaticState, DailyCheck, DailyCheckState, DailyCheckSummary, DashboardAlert, ItemVerdict, PreworkItem,
};
use credit_types::{ErrorCode, Page};
use serde_json::json;

on_both_backends!(
    r21_1_a_system_admin_confirms_item_by_item_and_the_check_passes,
    r21_1_a_problem_needs_a_note_and_raises_the_banner_for_credit_admins,
    r21_1_an_item_is_confirmed_once_and_only_on_its_day,
    r21_1_who_reads_and_who_confirms_the_daily_check,
    r21_1_an_overdue_check_is_logged_once_however_many_sweep,
    r21_1_the_history_lists_every_due_day_latest_first_in_pages,
);

fn today() -> NaiveDate {
    china_time::date_of(Utc::now().naive_utc())
}

fn ten() -> NaiveTime {
    NaiveTime::from_hms_opt(10, 0, 0).unwrap()
}

fn item_path(day: NaiveDate, item: PreworkItem) -> String {
    format!("/api/v1/ops/daily-checks/{day}/items/{}", item.as_str())
}

async fn confirm(app: &TestApp, session: &Session, item: PreworkItem, body: serde_json::Value) -> reqwest::Response {
    let request = app.client.put(app.url(&item_path(today(), item))).bearer_auth(&session.access_token);
    request.json(&body).send().await.unwrap()
}

/// Runs the check's sweep as the server does, at `local` China time (`2026-11-27 11:00`).
fn sweep_at(app: &TestApp, local: &str) -> Vec<NaiveDate> {
    let now = china_time::to_utc(NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap());
    let pool = app.pool();
    app.keyed(|| {
        let mut conn = pool.get().unwrap();
        credit_api::db::write_transaction(&mut conn, |c| credit_api::prework::sweep::sweep(c, ten(), now)).unwrap()
    })
}

async fn r21_1_a_system_admin_confirms_item_by_item_and_the_check_passes(app: &TestApp) {
    let sysadmin = app.signed_in("sys", Role::SystemAdmin, CITY).await;
    let fresh: DailyCheck = app.get_json_as(&sysadmin, "/api/v1/ops/daily-checks/today").await;
    assert_eq!(fresh.work_day, today());
    let items: Vec<PreworkItem> = fresh.items.iter().map(|i| i.item).collect();
    assert_eq!(items, [PreworkItem::Platform, PreworkItem::Portal, PreworkItem::Backup], "the three items of Art. 21");
    assert!(fresh.items.iter().all(|i| i.verdict.is_none() && i.confirmed_at.is_none()));
    assert_ne!(fresh.state, DailyCheckState::Passed);

    let mut check = fresh;
    for item in PreworkItem::ALL {
        check = expect_json(confirm(app, &sysadmin, *item, json!({"verdict": "ok"})).await, 200).await;
        let confirmed = check.items.iter().find(|i| i.item == *item).unwrap();
        assert_eq!(confirmed.verdict, Some(ItemVerdict::Ok));
        assert!(confirmed.confirmed_by_name.as_deref().is_some_and(|n| !n.is_empty()), "{confirmed:?}");
    }
    assert_eq!(check.state, DailyCheckState::Passed);
    assert_eq!(check.late, check.working_day && Utc::now() > check.due_at);
    // Read back the same, by day; each confirmation is in the audit trail.
    let again: DailyCheck = app.get_json_as(&sysadmin, &format!("/api/v1/ops/daily-checks/{}", today())).await;
    assert_eq!(again, check);
    let alerts: Vec<DashboardAlert> = app.get_json_as(&sysadmin, "/api/v1/ops/alerts").await;
    assert!(alerts.is_empty(), "{alerts:?}");
    let trail = app.verify_audit_trail();
    assert!(trail.intact(), "{trail:?}");
}

async fn r21_1_a_problem_needs_a_note_and_raises_the_banner_for_credit_admins(app: &TestApp) {
    let sysadmin = app.signed_in("sys", Role::SystemAdmin, CITY).await;
    let city = app.signed_in("city_admin", Role::CityCreditAdmin, CITY).await;
    let county = app.signed_in("county_admin", Role::CountyCreditAdmin, LIANXI).await;
    let problem = expect_problem(
        confirm(app, &sysadmin, PreworkItem::Backup, json!({"verdict": "problem", "note": "  "})).await,
        422,
        ErrorCode::ValidationFailed,
    )
    .await;
    assert_eq!(problem.errors[0].field, "note");
    let alerts: Vec<DashboardAlert> = app.get_json_as(&city, "/api/v1/ops/alerts").await;
    assert!(alerts.iter().all(|a| a.kind != AlertKind::DailyCheckProblem), "nothing stored by the refused finding");

    let body = json!({"verdict": "problem", "note": "昨夜备份未生成"});
    let check: DailyCheck = expect_json(confirm(app, &sysadmin, PreworkItem::Backup, body).await, 200).await;
    assert_eq!(check.state, DailyCheckState::Problems, "a problem shows at once, the other items still open");
    let backup = check.items.iter().find(|i| i.item == PreworkItem::Backup).unwrap();
    assert_eq!(backup.note.as_deref(), Some("昨夜备份未生成"));
    for reader in [&sysadmin, &city, &county] {
        let alerts: Vec<DashboardAlert> = app.get_json_as(reader, "/api/v1/ops/alerts").await;
        let alert = alerts.iter().find(|a| a.kind == AlertKind::DailyCheckProblem).expect("the red banner");
        assert!(alert.message.contains("数据备份"), "{}", alert.message);
        assert_eq!(alert.work_day, today());
    }
}

async fn r21_1_an_item_is_confirmed_once_and_only_on_its_day(app: &TestApp) {
    let sysadmin = app.signed_in("sys", Role::SystemAdmin, CITY).await;
    expect_json::<DailyCheck>(confirm(app, &sysadmin, PreworkItem::Portal, json!({"verdict": "ok"})).await, 200).await;
    let second = confirm(app, &sysadmin, PreworkItem::Portal, json!({"verdict": "problem", "note": "改口"})).await;
    expect_problem(second, 409, ErrorCode::AlreadyConfirmed).await;
    let check: DailyCheck = app.get_json_as(&sysadmin, "/api/v1/ops/daily-checks/today").await;
    let portal = check.items.iter().find(|i| i.item == PreworkItem::Portal).unwrap();
    assert_eq!(portal.verdict, Some(ItemVerdict::Ok), "the first finding stands");

    let yesterday = today().pred_opt().unwrap();
    let late =
        app.client.put(app.url(&item_path(yesterday, PreworkItem::Platform))).bearer_auth(&sysadmin.access_token);
    expect_problem(late.json(&json!({"verdict": "ok"})).send().await.unwrap(), 409, ErrorCode::NotToday).await;
    for bad in ["/api/v1/ops/daily-checks/yesterday/items/platform", "/api/v1/ops/daily-checks/2026-11-27/items/server"]
    {
        let request = app.client.put(app.url(bad)).bearer_auth(&sysadmin.access_token);
        let response = request.json(&json!({"verdict": "ok"})).send().await.unwrap();
        assert_eq!(response.status(), 400, "{bad}");
    }
    let unknown = confirm(app, &sysadmin, PreworkItem::Backup, json!({"verdict": "fine"})).await;
    assert_eq!(unknown.status(), 422, "a verdict outside ok and problem is invalid input");
}

/// The access table of the daily check: system administrators keep it; the security auditor reads it; credit
/// administrators see only the banners; everybody else nothing.
async fn r21_1_who_reads_and_who_confirms_the_daily_check(app: &TestApp) {
    let roles = [
        (Role::SystemAdmin, "sys", CITY, true, true, true),
        (Role::SecurityAuditor, "auditor", CITY, true, false, true),
        (Role::CityCreditAdmin, "city", CITY, false, false, true),
        (Role::CountyCreditAdmin, "county", LIANXI, false, false, true),
        (Role::DbAdmin, "dba", CITY, false, false, false),
        (Role::AccountAdmin, "accounts", CITY, false, false, false),
        (Role::DataProvider, "provider", LIANXI, false, false, false),
        (Role::UserUnit, "unit", LIANXI, false, false, false),
    ];
    for (role, login, region, reads, confirms, alerted) in roles {
        let session = app.signed_in(login, role, region).await;
        let expect = |allowed: bool| if allowed { 200 } else { 403 };
        for path in ["/api/v1/ops/daily-checks/today", "/api/v1/ops/daily-checks"] {
            assert_eq!(app.get_as(&session, path).await.status(), expect(reads), "{role:?} reading {path}");
        }
        let alerts = app.get_as(&session, "/api/v1/ops/alerts").await.status();
        assert_eq!(alerts, expect(alerted), "{role:?} reading the banners");
        let confirmed = confirm(app, &session, PreworkItem::Platform, json!({"verdict": "ok"})).await.status();
        // The system administrator's confirmation succeeds once; nobody else's is admitted.
        assert_eq!(confirmed, expect(confirms), "{role:?} confirming");
    }
    for path in ["/api/v1/ops/daily-checks/today", "/api/v1/ops/daily-checks", "/api/v1/ops/alerts"] {
        assert_eq!(app.get(path).await.status(), 401, "anonymous {path}");
    }
}

async fn r21_1_an_overdue_check_is_logged_once_however_many_sweep(app: &TestApp) {
    // Friday 27 November 2026, a working day: nothing at 09:59, overdue at 10:00, logged once.
    assert_eq!(sweep_at(app, "2026-11-27 09:59"), Vec::<NaiveDate>::new());
    let friday = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let (a, b) = std::thread::scope(|s| {
        let first = s.spawn(|| sweep_at(app, "2026-11-27 10:00"));
        let second = s.spawn(|| sweep_at(app, "2026-11-27 10:00"));
        (first.join().unwrap(), second.join().unwrap())
    });
    assert_eq!([a, b].concat(), [friday], "two servers sweeping at once log the day once");
    assert_eq!(sweep_at(app, "2026-11-27 10:05"), Vec::<NaiveDate>::new(), "and later sweeps not again");
    let logged = app.count_sql("SELECT COUNT(*) AS n FROM operation_log WHERE source = 'prework:overdue'");
    assert_eq!(logged, 1, "one operation-log entry (R-12.1) for the overdue day");
    // The weekend needs no check; Monday's is logged when due, the days between caught up.
    assert_eq!(sweep_at(app, "2026-11-30 10:01"), [NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()]);

    let sysadmin = app.signed_in("sys", Role::SystemAdmin, CITY).await;
    let day: DailyCheck = app.get_json_as(&sysadmin, "/api/v1/ops/daily-checks/2026-11-27").await;
    assert_eq!((day.state, day.working_day), (DailyCheckState::Missing, true));
    assert!(day.items.iter().all(|i| i.verdict.is_none()));
    let none = app.get_as(&sysadmin, "/api/v1/ops/daily-checks/2026-11-28").await;
    assert_eq!(none.status(), 404, "a Saturday nobody checked has no check");
}

async fn r21_1_the_history_lists_every_due_day_latest_first_in_pages(app: &TestApp) {
    for day in ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"] {
        sweep_at(app, &format!("{day} 11:00"));
    }
    let sysadmin = app.signed_in("sys", Role::SystemAdmin, CITY).await;
    expect_json::<DailyCheck>(confirm(app, &sysadmin, PreworkItem::Platform, json!({"verdict": "ok"})).await, 200)
        .await;
    let mut days = Vec::new();
    let mut path = "/api/v1/ops/daily-checks?limit=2&to=2026-11-27".to_owned();
    loop {
        let page: Page<DailyCheckSummary> = app.get_json_as(&sysadmin, &path).await;
        assert!(page.items.len() <= 2);
        days.extend(page.items);
        match page.next_cursor {
            Some(cursor) => path = format!("/api/v1/ops/daily-checks?limit=2&to=2026-11-27&cursor={cursor}"),
            None => break,
        }
    }
    let listed: Vec<String> = days.iter().map(|d| d.work_day.to_string()).collect();
    assert_eq!(listed, ["2026-11-27", "2026-11-26", "2026-11-25", "2026-11-24", "2026-11-23"]);
    assert!(days.iter().all(|d| d.state == DailyCheckState::Missing && d.confirmed == 0));

    let all: Page<DailyCheckSummary> = app.get_json_as(&sysadmin, "/api/v1/ops/daily-checks").await;
    let latest = &all.items[0];
    assert_eq!((latest.work_day, latest.confirmed), (today(), 1), "today's begun check is first");
    assert_eq!(latest.checked_by.len(), 1);
    let bad = app.get_as(&sysadmin, "/api/v1/ops/daily-checks?cursor=nonsense").await;
    expect_problem(bad, 400, ErrorCode::InvalidParameter).await;
}

/// Makes today a working day in the calendar (an adjusted working day when it falls on a weekend), as the competent
/// office would, so that the check is due today whatever day the tests run.
async fn make_today_a_working_day(app: &TestApp) {
    let office = app.competent_office().await;
    let day = today();
    let path = format!("/api/v1/calendar/{}", day.year());
    let mut year: CalendarYear = app.get_json_as(&office, &path).await;
    year.days.retain(|d| d.day != day);
    if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        year.days.push(CalendarDay { day, kind: DayKind::Workday, name: "调休上班".into() });
    }
    let _: CalendarYear =
        expect_json(app.put_as(&office, &path, "", &serde_json::to_value(&year).unwrap()).await, 200).await;
}

/// with the check due at 00:00, a working day's check is missing at once: the banner shows for system and
/// credit administrators, and goes once every item is confirmed in order (late).
#[actix_web::test]
async fn r21_1_a_check_missing_past_its_time_raises_the_banner() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let options = TestOptions { daily_check_deadline: NaiveTime::from_hms_opt(0, 0, 0), ..TestOptions::default() };
        let Some(app) = TestApp::spawn_with(backend, options).await else { continue };
        make_today_a_working_day(&app).await;
        let sysadmin = app.signed_in("sys", Role::SystemAdmin, CITY).await;
        let county = app.signed_in("county_admin", Role::CountyCreditAdmin, LIANXI).await;
        let check: DailyCheck = app.get_json_as(&sysadmin, "/api/v1/ops/daily-checks/today").await;
        assert_eq!((check.state, check.working_day), (DailyCheckState::Missing, true));
        for reader in [&sysadmin, &county] {
            let alerts: Vec<DashboardAlert> = app.get_json_as(reader, "/api/v1/ops/alerts").await;
            assert_eq!(alerts.len(), 1, "{alerts:?}");
            assert_eq!(alerts[0].kind, AlertKind::DailyCheckMissing);
            assert!(alerts[0].message.contains("00:00"), "{}", alerts[0].message);
        }
        // The automatic checks have run: each item shows their word, and keeps it once confirmed.
        expect_json::<serde_json::Value>(app.post_as(&sysadmin, "/api/v1/ops/status/runs", &json!({})).await, 201)
            .await;
        let live: DailyCheck = app.get_json_as(&sysadmin, "/api/v1/ops/daily-checks/today").await;
        let platform = &live.items[0].automatic;
        assert!(platform.summary.contains("数据库连接") && platform.summary.contains("审计链"), "{platform:?}");
        for item in PreworkItem::ALL {
            let check: DailyCheck =
                expect_json(confirm(&app, &sysadmin, *item, json!({"verdict": "ok"})).await, 200).await;
            let automatic = &check.items.iter().find(|i| i.item == *item).unwrap().automatic;
            assert_ne!(automatic.state, AutomaticState::Unknown, "{item:?}: the automatic checks' word is kept");
        }
        let done: DailyCheck = app.get_json_as(&sysadmin, "/api/v1/ops/daily-checks/today").await;
        assert_eq!((done.state, done.late), (DailyCheckState::Passed, true));
        let alerts: Vec<DashboardAlert> = app.get_json_as(&county, "/api/v1/ops/alerts").await;
        assert!(alerts.is_empty(), "{alerts:?}");
    }
}

//! The sessions overview: the account office and the security auditor see every open session with where and
//! with what it is used; accounts using sessions from more than one address at once are flagged; the account office
//! ends a session, whose tokens stop working at once, in the audit trail.

use base64::Engine;
use credit_tests::{
    expect_json, expect_problem, session_from, Backend, Session, TestApp, TestOptions, CITY, LIANXI, PASSWORD,
};
use credit_types::audit::AuditEvent;
use credit_types::identity::{OpenSession, Role};
use credit_types::{ErrorCode, Page};
use serde_json::json;

const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
    Chrome/120.0.6099.130 Safari/537.36";
const FIREFOX: &str = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";

/// The app behind a reverse proxy on 127.0.0.1, so each request can say which address it comes from.
async fn behind_proxy(backend: Backend) -> Option<TestApp> {
    let options = TestOptions { trusted_proxies: vec!["127.0.0.1".parse().unwrap()], ..TestOptions::default() };
    TestApp::spawn_with(backend, options).await
}

/// Runs `test` on both backends, behind a proxy.
macro_rules! behind_proxy_on_both_backends {
    ($($name:ident => $body:ident),* $(,)?) => {
        $(
            #[actix_web::test]
            async fn $name() {
                for backend in [Backend::Sqlite, Backend::Postgres] {
                    let Some(app) = behind_proxy(backend).await else { continue };
                    $body(&app).await;
                }
            }
        )*
    };
}

behind_proxy_on_both_backends!(
    r8_2_open_sessions_are_listed_with_address_and_browser => sessions_listed,
    r8_2_an_account_with_sessions_from_two_addresses_is_flagged => two_addresses_flagged,
    r8_2_ending_a_session_stops_its_tokens_at_once_and_is_audited => ending_a_session,
);

async fn sign_in_from(app: &TestApp, login: &str, address: &str, user_agent: &str) -> Session {
    let request = app.client.post(app.url("/api/v1/auth/login")).header("x-forwarded-for", address);
    let body = json!({"login_name": login, "password": PASSWORD});
    session_from(request.header("user-agent", user_agent).json(&body).send().await.unwrap()).await
}

/// The session id an access token carries (`sid`).
fn session_id(session: &Session) -> String {
    let payload = session.access_token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    claims["sid"].as_str().unwrap().to_owned()
}

async fn open_sessions(app: &TestApp, reader: &Session, query: &str) -> Vec<OpenSession> {
    let page: Page<OpenSession> = app.get_json_as(reader, &format!("/api/v1/sessions{query}")).await;
    page.items
}

async fn sessions_listed(app: &TestApp) {
    let office = app.account_office().await;
    let clerk = app.create_user("clerk", PASSWORD, &[Role::DataProvider], LIANXI);
    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    let session = sign_in_from(app, "clerk", "203.0.113.5", CHROME).await;
    let listed = open_sessions(app, &office, &format!("?user_id={clerk}")).await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    let open = &listed[0];
    assert_eq!(open.id, session_id(&session));
    assert_eq!((open.login_name.as_str(), open.full_name.as_str()), ("clerk", "测试用户"));
    assert_eq!(open.organisation_name, "测试单位 clerk");
    assert_eq!(open.address.as_deref(), Some("203.0.113.5"));
    assert_eq!(open.user_agent.as_deref(), Some(CHROME));
    assert_eq!(open.browser, "Chrome 120 · Windows");
    assert!(open.started_at >= before && open.last_used_at >= open.started_at, "{open:?}");
    assert!(!open.flagged);

    // The auditor reads the same; the office's own session is there too; a signed-out session is not.
    let auditor = app.auditor().await;
    let all = open_sessions(app, &auditor, "").await;
    assert!(all.iter().any(|s| s.login_name == "office") && all.iter().any(|s| s.login_name == "clerk"));
    let request = app.client.post(app.url("/api/v1/auth/logout")).bearer_auth(&session.access_token);
    let signed_out = request.header("cookie", format!("credit_refresh={}", session.refresh_token)).send().await;
    assert_eq!(signed_out.unwrap().status(), 204);
    assert!(open_sessions(app, &office, &format!("?user_id={clerk}")).await.is_empty());
}

async fn two_addresses_flagged(app: &TestApp) {
    let office = app.account_office().await;
    let shared = app.create_user("shared", PASSWORD, &[Role::UserUnit], LIANXI);
    let single = app.create_user("single", PASSWORD, &[Role::UserUnit], CITY);
    sign_in_from(app, "shared", "203.0.113.5", CHROME).await;
    sign_in_from(app, "shared", "198.51.100.7", FIREFOX).await;
    sign_in_from(app, "single", "203.0.113.9", CHROME).await;
    sign_in_from(app, "single", "203.0.113.9", FIREFOX).await;

    let all = open_sessions(app, &office, "").await;
    let of = |user: &str| all.iter().filter(|s| s.user_id == user).collect::<Vec<_>>();
    assert_eq!(of(&shared).len(), 2);
    assert!(of(&shared).iter().all(|s| s.flagged), "one account, two addresses at once");
    assert_eq!(of(&single).len(), 2);
    assert!(of(&single).iter().all(|s| !s.flagged), "two sessions from one address are not flagged");
    let browsers: Vec<&str> = of(&shared).iter().map(|s| s.browser.as_str()).collect();
    assert_eq!(browsers, ["Firefox 121 · Linux", "Chrome 120 · Windows"], "newest first");

    let flagged = open_sessions(app, &office, "?flagged=true").await;
    assert!(flagged.len() == 2 && flagged.iter().all(|s| s.user_id == shared), "{flagged:?}");
    let unflagged = open_sessions(app, &office, "?flagged=false").await;
    assert!(unflagged.iter().all(|s| s.user_id != shared));
    let first: Page<OpenSession> = app.get_json_as(&office, "/api/v1/sessions?limit=2").await;
    let cursor = first.next_cursor.expect("five sessions, two a page");
    let next: Page<OpenSession> = app.get_json_as(&office, &format!("/api/v1/sessions?limit=2&cursor={cursor}")).await;
    assert!(next.items.iter().all(|s| first.items.iter().all(|f| f.id > s.id)));
    let bad = app.get_as(&office, "/api/v1/sessions?flagged=maybe").await;
    assert_eq!(bad.status(), 400);
}

async fn ending_a_session(app: &TestApp) {
    let office = app.account_office().await;
    app.create_user("clerk", PASSWORD, &[Role::DataProvider], LIANXI);
    let first = sign_in_from(app, "clerk", "203.0.113.5", CHROME).await;
    let second = sign_in_from(app, "clerk", "198.51.100.7", FIREFOX).await;
    let ended = session_id(&first);

    let auditor = app.auditor().await;
    let refused = app.client.delete(app.url(&format!("/api/v1/sessions/{ended}"))).bearer_auth(&auditor.access_token);
    expect_problem(refused.send().await.unwrap(), 403, ErrorCode::Forbidden).await;
    let end = || app.client.delete(app.url(&format!("/api/v1/sessions/{ended}"))).bearer_auth(&office.access_token);
    assert_eq!(end().send().await.unwrap().status(), 204);

    // The ended session's tokens stop working at once; the other session goes on.
    expect_problem(app.get_as(&first, "/api/v1/auth/me").await, 401, ErrorCode::SessionEnded).await;
    expect_problem(app.refresh(&first.refresh_token).await, 401, ErrorCode::SessionEnded).await;
    expect_json::<serde_json::Value>(app.get_as(&second, "/api/v1/auth/me").await, 200).await;
    let listed = open_sessions(app, &office, "").await;
    assert!(listed.iter().all(|s| s.id != ended));
    assert!(listed.iter().any(|s| s.id == session_id(&second) && !s.flagged), "one address left");
    expect_problem(end().send().await.unwrap(), 404, ErrorCode::NotFound).await;
    let unknown = app.client.delete(app.url("/api/v1/sessions/nothing")).bearer_auth(&office.access_token);
    expect_problem(unknown.send().await.unwrap(), 404, ErrorCode::NotFound).await;

    let page: Page<AuditEvent> = app.get_json_as(&auditor, "/api/v1/audit/events?action=session.end").await;
    assert_eq!(page.items.len(), 1, "ended once, refused attempts leave no success");
    assert_eq!(page.items[0].target_id.as_deref(), Some(ended.as_str()));
    assert_eq!(page.items[0].actor_name.as_deref(), Some("测试用户"));
    assert!(app.verify_audit_trail().intact());
}

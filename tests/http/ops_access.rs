//! Who may read and write operations: every operations endpoint ×
//! every role, denials included. The system administrator keeps the operation log, the health checks, the
//! performance archive and the daily check; the database administrator keeps database checks and backups; the
//! security auditor reads all of it; nobody else reads any of it, and anonymous callers are refused.

use credit_tests::{on_both_backends, TestApp, CITY, LIANXI};
use credit_types::identity::Role;
use serde_json::{json, Value};

on_both_backends!(r12_r13_r14_r21_the_operations_access_table);

use Role::*;

/// Readers of all of operations.
const OPS_READERS: &[Role] = &[SystemAdmin, SecurityAuditor];

/// One endpoint: method, path, body, and the roles admitted.
struct Endpoint {
    method: &'static str,
    path: String,
    body: Option<Value>,
    admitted: &'static [Role],
}

fn get(path: &str, admitted: &'static [Role]) -> Endpoint {
    Endpoint { method: "GET", path: path.to_owned(), body: None, admitted }
}

fn send(method: &'static str, path: &str, body: Value, admitted: &'static [Role]) -> Endpoint {
    Endpoint { method, path: path.to_owned(), body: Some(body), admitted }
}

/// The table: every operations endpoint.
fn endpoints() -> Vec<Endpoint> {
    let today = credit_api::clock::today();
    vec![
        // The operation log.
        get("/api/v1/ops/log", OPS_READERS),
        get("/api/v1/ops/log/some-entry", OPS_READERS),
        get("/api/v1/ops/log/export.csv", OPS_READERS),
        send(
            "POST",
            "/api/v1/ops/log",
            json!({"kind": "inspection", "severity": "info", "text": "巡检"}),
            &[SystemAdmin],
        ),
        // The health checks.
        get("/api/v1/ops/status", OPS_READERS),
        send("POST", "/api/v1/ops/status/runs", json!({}), &[SystemAdmin]),
        // The daily pre-work check.
        get("/api/v1/ops/daily-checks/today", OPS_READERS),
        get("/api/v1/ops/daily-checks", OPS_READERS),
        get(&format!("/api/v1/ops/daily-checks/{today}"), OPS_READERS),
        send(
            "PUT",
            &format!("/api/v1/ops/daily-checks/{today}/items/portal"),
            json!({"verdict": "ok"}),
            &[SystemAdmin],
        ),
        get("/api/v1/ops/alerts", &[SystemAdmin, SecurityAuditor, CityCreditAdmin, CountyCreditAdmin]),
        // The performance archive.
        get("/api/v1/ops/performance", OPS_READERS),
        get("/api/v1/ops/performance?range=30d", OPS_READERS),
    ]
}

async fn r12_r13_r14_r21_the_operations_access_table(app: &TestApp) {
    let mut sessions = Vec::new();
    for (n, role) in Role::ALL.iter().enumerate() {
        let region = if matches!(role, CountyCreditAdmin | DataProvider | UserUnit) { LIANXI } else { CITY };
        sessions.push((*role, app.signed_in(&format!("role{n}"), *role, region).await));
    }
    for endpoint in endpoints() {
        let request = |token: Option<&str>| {
            let method = endpoint.method.parse::<reqwest::Method>().unwrap();
            let mut request = app.client.request(method, app.url(&endpoint.path));
            if let Some(body) = &endpoint.body {
                request = request.json(body);
            }
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            request
        };
        let anonymous = request(None).send().await.unwrap().status().as_u16();
        assert_eq!(anonymous, 401, "anonymous {} {}", endpoint.method, endpoint.path);
        for (role, session) in &sessions {
            let status = request(Some(&session.access_token)).send().await.unwrap().status().as_u16();
            if endpoint.admitted.contains(role) {
                assert!(status != 401 && status != 403, "{role:?} {} {}: {status}", endpoint.method, endpoint.path);
            } else {
                assert_eq!(status, 403, "{role:?} {} {}", endpoint.method, endpoint.path);
            }
        }
    }
}

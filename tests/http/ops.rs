//! Probes, request ids and the headers every response carries.

use credit_tests::{expect_problem, on_both_backends, TestApp};
use credit_types::ErrorCode;
use serde_json::Value;

on_both_backends!(
    healthz_answers_while_alive,
    readyz_reports_the_backend_and_current_migrations,
    readyz_is_503_when_migrations_are_pending,
    every_response_has_a_request_id_and_security_headers,
    a_plain_caller_request_id_is_echoed_and_a_hostile_one_replaced,
);

// The probes' answers have no shared type (they are the API's own, for load balancers): read as JSON.

async fn healthz_answers_while_alive(app: &TestApp) {
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

async fn readyz_reports_the_backend_and_current_migrations(app: &TestApp) {
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["migrations"], "current");
    assert_eq!(body["database"], app.database.backend().as_str());
}

async fn readyz_is_503_when_migrations_are_pending(app: &TestApp) {
    app.execute_sql("DELETE FROM __diesel_schema_migrations");
    let problem = expect_problem(app.get("/readyz").await, 503, ErrorCode::ServiceUnavailable).await;
    assert!(problem.detail.contains("migrate"), "{}", problem.detail);
}

async fn every_response_has_a_request_id_and_security_headers(app: &TestApp) {
    for path in ["/healthz", "/api/v1/regions", "/api/nothing-here", "/workbench", "/api/docs/"] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert!(headers.get("x-request-id").is_some_and(|v| !v.is_empty()), "{path}");
        assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff", "{path}");
        assert_eq!(headers.get("x-frame-options").unwrap(), "DENY", "{path}");
        assert_eq!(headers.get("referrer-policy").unwrap(), "no-referrer", "{path}");
        let csp = headers.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(headers.get("strict-transport-security").is_some(), "{path}");
    }
    let api = app.get("/api/nothing-here").await;
    assert_eq!(api.headers().get("cache-control").unwrap(), "no-store");
}

async fn a_plain_caller_request_id_is_echoed_and_a_hostile_one_replaced(app: &TestApp) {
    let echoed = app.client.get(app.url("/healthz")).header("x-request-id", "trace-42.a_b").send().await.unwrap();
    assert_eq!(echoed.headers().get("x-request-id").unwrap(), "trace-42.a_b");
    let long = "x".repeat(200);
    let replaced = app.client.get(app.url("/healthz")).header("x-request-id", long.as_str()).send().await.unwrap();
    assert_ne!(replaced.headers().get("x-request-id").unwrap().to_str().unwrap(), long);
}

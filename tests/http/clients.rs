//! API clients of external systems: client credentials, scopes, revocation, rate limits.

use credit_tests::{expect_problem, on_both_backends, test_uscc, Session, TestApp};
use credit_types::identity::Role;
use serde_json::{json, Value};

on_both_backends!(
    r17_a_registered_client_gets_a_token_with_client_credentials,
    r17_bad_client_credentials_and_grants_are_refused_per_rfc_6749,
    r17_scopes_narrow_what_a_client_may_do_and_never_widen_it,
    r17_a_revoked_client_stops_at_once,
    r17_a_client_beyond_its_rate_limit_gets_429_with_retry_after,
);

const PASSWORD: &str = "Client-Office-2026";

async fn office(app: &TestApp) -> Session {
    app.create_user("office", PASSWORD, &[Role::AccountAdmin], "360400");
    app.sign_in("office", PASSWORD).await
}

async fn register(app: &TestApp, admin: &Session, kinds: Value, scopes: Value, limit: i32) -> reqwest::Response {
    let org =
        json!({"name": "九江市税务局", "uscc": test_uscc(), "level": "city", "region_code": "360400", "kinds": kinds});
    let org: Value = app.post_as(admin, "/api/v1/organisations", &org).await.json().await.unwrap();
    let body =
        json!({"organisation_id": org["id"], "name": "税务征管系统", "scopes": scopes, "rate_limit_per_minute": limit});
    app.post_as(admin, "/api/v1/clients", &body).await
}

async fn client(app: &TestApp, scopes: Value, limit: i32) -> (Value, String) {
    let admin = office(app).await;
    let created: Value = register(app, &admin, json!(["data_provider"]), scopes, limit).await.json().await.unwrap();
    (created["client"].clone(), created["client_secret"].as_str().unwrap().to_owned())
}

async fn token_form(app: &TestApp, form: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded_pairs(form))
        .send()
        .await
        .unwrap()
}

fn serde_urlencoded_pairs(form: &[(&str, &str)]) -> String {
    form.iter().map(|(k, v)| format!("{k}={}", v.replace(' ', "+"))).collect::<Vec<_>>().join("&")
}

/// A token for the client, by the client-credentials grant.
async fn access_token(app: &TestApp, client_id: &str, secret: &str) -> String {
    let form = [("grant_type", "client_credentials"), ("client_id", client_id), ("client_secret", secret)];
    let token: Value = token_form(app, &form).await.json().await.unwrap();
    token["access_token"].as_str().unwrap().to_owned()
}

async fn r17_a_registered_client_gets_a_token_with_client_credentials(app: &TestApp) {
    let (client, secret) = client(app, json!(["organisations:read", "records:write"]), 100).await;
    let client_id = client["client_id"].as_str().unwrap();
    let response =
        token_form(app, &[("grant_type", "client_credentials"), ("client_id", client_id), ("client_secret", &secret)])
            .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
    let token: Value = response.json().await.unwrap();
    assert_eq!(
        (token["token_type"].as_str(), token["scope"].as_str()),
        (Some("Bearer"), Some("organisations:read records:write"))
    );
    assert!(token["expires_in"].as_i64().unwrap() <= 900);

    // HTTP Basic works too.
    let basic = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .basic_auth(client_id, Some(&secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials&scope=organisations:read")
        .send()
        .await
        .unwrap();
    let token: Value = basic.json().await.unwrap();
    let access = token["access_token"].as_str().unwrap();
    let me: Value =
        app.client.get(app.url("/api/v1/auth/me")).bearer_auth(access).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["roles"], json!(["data_provider"]), "the organisation's role, nothing administrative");
    let orgs = app.client.get(app.url("/api/v1/organisations")).bearer_auth(access).send().await.unwrap();
    assert_eq!(orgs.status(), 200);
}

async fn r17_bad_client_credentials_and_grants_are_refused_per_rfc_6749(app: &TestApp) {
    let (client, secret) = client(app, json!(["organisations:read"]), 100).await;
    let id = client["client_id"].as_str().unwrap();
    let wrong =
        token_form(app, &[("grant_type", "client_credentials"), ("client_id", id), ("client_secret", "guess")]).await;
    assert!(wrong.headers().get("www-authenticate").is_some());
    let problem = expect_problem(wrong, 401, "invalid_client").await;
    assert_eq!(problem.error.as_deref(), Some("invalid_client"));
    let unknown =
        token_form(app, &[("grant_type", "client_credentials"), ("client_id", "nobody"), ("client_secret", &secret)])
            .await;
    expect_problem(unknown, 401, "invalid_client").await;
    let grant = token_form(app, &[("grant_type", "password"), ("client_id", id), ("client_secret", &secret)]).await;
    expect_problem(grant, 400, "unsupported_grant_type").await;
    let scope = token_form(
        app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", &secret),
            ("scope", "records:write"),
        ],
    )
    .await;
    expect_problem(scope, 400, "invalid_scope").await;
    let missing = token_form(app, &[("grant_type", "client_credentials"), ("client_id", id)]).await;
    expect_problem(missing, 400, "invalid_request").await;
    let json_body = app.post_json("/api/v1/auth/token", &json!({"grant_type": "client_credentials"})).await;
    expect_problem(json_body, 415, "unsupported_media_type").await;
}

async fn r17_scopes_narrow_what_a_client_may_do_and_never_widen_it(app: &TestApp) {
    let (client, secret) = client(app, json!(["records:read"]), 100).await;
    let id = client["client_id"].as_str().unwrap();
    let access = &access_token(app, id, &secret).await;
    let orgs = app.client.get(app.url("/api/v1/organisations")).bearer_auth(access).send().await.unwrap();
    expect_problem(orgs, 403, "insufficient_scope").await;
    let users = app.client.get(app.url("/api/v1/users")).bearer_auth(access).send().await.unwrap();
    expect_problem(users, 403, "forbidden").await;
    let audit = app.client.get(app.url("/api/v1/audit/events")).bearer_auth(access).send().await.unwrap();
    expect_problem(audit, 403, "forbidden").await;

    let admin = app.sign_in("office", PASSWORD).await;
    let no_access = register(app, &admin, json!(["competent_office"]), json!(["records:read"]), 10).await;
    let problem = expect_problem(no_access, 422, "validation_failed").await;
    assert_eq!(problem.errors[0].code, "no_api_access");
    let bad_scope = register(app, &admin, json!(["user_unit"]), json!(["everything"]), 10).await;
    expect_problem(bad_scope, 422, "validation_failed").await;
}

async fn r17_a_revoked_client_stops_at_once(app: &TestApp) {
    let (client, secret) = client(app, json!(["organisations:read"]), 100).await;
    let id = client["client_id"].as_str().unwrap();
    let access = &access_token(app, id, &secret).await;
    let admin = app.sign_in("office", PASSWORD).await;
    let revoked =
        app.post_as(&admin, &format!("/api/v1/clients/{}/revoke", client["id"].as_str().unwrap()), &json!({})).await;
    assert_eq!(revoked.status(), 200);
    let after = app.client.get(app.url("/api/v1/organisations")).bearer_auth(access).send().await.unwrap();
    expect_problem(after, 401, "invalid_token").await;
    let again =
        token_form(app, &[("grant_type", "client_credentials"), ("client_id", id), ("client_secret", &secret)]).await;
    expect_problem(again, 401, "invalid_client").await;
    let listed: Value = app.get_as(&admin, "/api/v1/clients").await.json().await.unwrap();
    assert_eq!(listed[0]["active"], false);
    assert!(listed[0].get("client_secret").is_none() && listed[0].get("secret_hash").is_none());
}

async fn r17_a_client_beyond_its_rate_limit_gets_429_with_retry_after(app: &TestApp) {
    let (client, secret) = client(app, json!(["organisations:read"]), 3).await;
    let id = client["client_id"].as_str().unwrap();
    let access = &access_token(app, id, &secret).await;
    for _ in 0..3 {
        assert_eq!(
            app.client.get(app.url("/api/v1/organisations")).bearer_auth(access).send().await.unwrap().status(),
            200
        );
    }
    let limited = app.client.get(app.url("/api/v1/organisations")).bearer_auth(access).send().await.unwrap();
    let retry_after: u64 = limited.headers().get("retry-after").unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after));
    expect_problem(limited, 429, "rate_limited").await;
}

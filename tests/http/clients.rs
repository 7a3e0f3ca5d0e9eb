//! API clients of external systems: client credentials, scopes, revocation, rate limits.

use credit_tests::{expect_json, expect_problem, on_both_backends, test_uscc, Session, TestApp, PASSWORD};
use credit_types::identity::{ApiClient, ApiClientWithSecret, ClientTokenResponse, Organisation};
use credit_types::ErrorCode;
use serde_json::{json, Value};

on_both_backends!(
    r17_a_registered_client_gets_a_token_with_client_credentials,
    r17_bad_client_credentials_and_grants_are_refused_per_rfc_6749,
    r17_scopes_narrow_what_a_client_may_do_and_never_widen_it,
    r17_a_revoked_client_stops_at_once,
    r17_a_client_beyond_its_rate_limit_gets_429_with_retry_after,
);

async fn register(app: &TestApp, admin: &Session, kinds: Value, scopes: Value, limit: i32) -> reqwest::Response {
    let org =
        json!({"name": "九江市税务局", "uscc": test_uscc(), "level": "city", "region_code": "360400", "kinds": kinds});
    let org: Organisation = expect_json(app.post_as(admin, "/api/v1/organisations", &org).await, 201).await;
    let body =
        json!({"organisation_id": org.id, "name": "税务征管系统", "scopes": scopes, "rate_limit_per_minute": limit});
    app.post_as(admin, "/api/v1/clients", &body).await
}

/// A client of a new data provider, registered by the account office: the client and its secret (shown once).
async fn client(app: &TestApp, scopes: Value, limit: i32) -> (ApiClient, String) {
    let admin = app.account_office().await;
    let response = register(app, &admin, json!(["data_provider"]), scopes, limit).await;
    let created: ApiClientWithSecret = expect_json(response, 201).await;
    (created.client, created.client_secret)
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
    let token: ClientTokenResponse = expect_json(token_form(app, &form).await, 200).await;
    token.access_token
}

async fn r17_a_registered_client_gets_a_token_with_client_credentials(app: &TestApp) {
    let (client, secret) = client(app, json!(["organisations:read", "records:write"]), 100).await;
    assert_eq!(client.scopes, ["organisations:read", "records:write"]);
    let client_id = client.client_id.as_str();
    let response =
        token_form(app, &[("grant_type", "client_credentials"), ("client_id", client_id), ("client_secret", &secret)])
            .await;
    assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
    let token: ClientTokenResponse = expect_json(response, 200).await;
    assert_eq!((token.token_type.as_str(), token.scope.as_str()), ("Bearer", "organisations:read records:write"));
    assert!(token.expires_in <= 900);

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
    let token: ClientTokenResponse = expect_json(basic, 200).await;
    assert_eq!(token.scope, "organisations:read", "the scope asked for, within the client's");
    let access = token.access_token.as_str();
    let orgs = app.client.get(app.url("/api/v1/organisations")).bearer_auth(access).send().await.unwrap();
    assert_eq!(orgs.status(), 200);
    // `me` describes a person's session; a client learns its scope from the token answer.
    let me = app.client.get(app.url("/api/v1/auth/me")).bearer_auth(access).send().await.unwrap();
    expect_problem(me, 403, ErrorCode::PersonRequired).await;
    // The records it may write are its organisation's, as a data provider (nothing administrative).
    let records = app.client.get(app.url("/api/v1/records")).bearer_auth(access).send().await.unwrap();
    expect_problem(records, 403, ErrorCode::InsufficientScope).await;
}

async fn r17_bad_client_credentials_and_grants_are_refused_per_rfc_6749(app: &TestApp) {
    let (client, secret) = client(app, json!(["organisations:read"]), 100).await;
    let id = client.client_id.as_str();
    let wrong =
        token_form(app, &[("grant_type", "client_credentials"), ("client_id", id), ("client_secret", "guess")]).await;
    assert!(wrong.headers().get("www-authenticate").is_some());
    let problem = expect_problem(wrong, 401, ErrorCode::InvalidClient).await;
    assert_eq!(problem.error.as_deref(), Some("invalid_client"));
    let unknown =
        token_form(app, &[("grant_type", "client_credentials"), ("client_id", "nobody"), ("client_secret", &secret)])
            .await;
    expect_problem(unknown, 401, ErrorCode::InvalidClient).await;
    let grant = token_form(app, &[("grant_type", "password"), ("client_id", id), ("client_secret", &secret)]).await;
    expect_problem(grant, 400, ErrorCode::UnsupportedGrantType).await;
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
    expect_problem(scope, 400, ErrorCode::InvalidScope).await;
    let missing = token_form(app, &[("grant_type", "client_credentials"), ("client_id", id)]).await;
    expect_problem(missing, 400, ErrorCode::InvalidRequest).await;
    let json_body = app.post_json("/api/v1/auth/token", &json!({"grant_type": "client_credentials"})).await;
    expect_problem(json_body, 415, ErrorCode::UnsupportedMediaType).await;
}

async fn r17_scopes_narrow_what_a_client_may_do_and_never_widen_it(app: &TestApp) {
    let (client, secret) = client(app, json!(["records:read"]), 100).await;
    let id = client.client_id.as_str();
    let access = &access_token(app, id, &secret).await;
    let orgs = app.client.get(app.url("/api/v1/organisations")).bearer_auth(access).send().await.unwrap();
    expect_problem(orgs, 403, ErrorCode::InsufficientScope).await;
    // Operations that declare no scope are for people's accounts only.
    let users = app.client.get(app.url("/api/v1/users")).bearer_auth(access).send().await.unwrap();
    expect_problem(users, 403, ErrorCode::PersonRequired).await;
    let audit = app.client.get(app.url("/api/v1/audit/events")).bearer_auth(access).send().await.unwrap();
    expect_problem(audit, 403, ErrorCode::PersonRequired).await;

    let admin = app.sign_in("office", PASSWORD).await;
    let no_access = register(app, &admin, json!(["competent_office"]), json!(["records:read"]), 10).await;
    let problem = expect_problem(no_access, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].code, "no_api_access");
    let bad_scope = register(app, &admin, json!(["user_unit"]), json!(["everything"]), 10).await;
    expect_problem(bad_scope, 422, ErrorCode::ValidationFailed).await;
}

async fn r17_a_revoked_client_stops_at_once(app: &TestApp) {
    let (client, secret) = client(app, json!(["organisations:read"]), 100).await;
    let id = client.client_id.as_str();
    let access = &access_token(app, id, &secret).await;
    let admin = app.sign_in("office", PASSWORD).await;
    let revoked = app.post_as(&admin, &format!("/api/v1/clients/{}/revoke", client.id), &json!({})).await;
    assert!(!expect_json::<ApiClient>(revoked, 200).await.active);
    let after = app.client.get(app.url("/api/v1/organisations")).bearer_auth(access).send().await.unwrap();
    expect_problem(after, 401, ErrorCode::InvalidToken).await;
    let again =
        token_form(app, &[("grant_type", "client_credentials"), ("client_id", id), ("client_secret", &secret)]).await;
    expect_problem(again, 401, ErrorCode::InvalidClient).await;
    let listed: Vec<ApiClient> = app.get_json_as(&admin, "/api/v1/clients").await;
    assert_eq!((listed[0].id.as_str(), listed[0].active), (client.id.as_str(), false));
    // Read raw: neither the secret nor its hash is ever on the wire.
    let raw: Value = app.get_json_as(&admin, "/api/v1/clients").await;
    assert!(raw[0].get("client_secret").is_none() && raw[0].get("secret_hash").is_none());
}

async fn r17_a_client_beyond_its_rate_limit_gets_429_with_retry_after(app: &TestApp) {
    let (client, secret) = client(app, json!(["organisations:read"]), 3).await;
    let id = client.client_id.as_str();
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
    expect_problem(limited, 429, ErrorCode::RateLimited).await;
}

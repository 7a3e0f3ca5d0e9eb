//! Every way a request can be wrong gets an RFC 7807 problem with the right 4xx status: never a 500, never
//! actix's default plain-text error.

use credit_tests::{expect_problem, on_both_backends, Backend, TestApp, TestOptions};
use credit_types::ErrorCode;
use serde_json::json;

on_both_backends!(
    malformed_json_is_400,
    an_empty_body_is_400,
    the_wrong_content_type_is_415,
    an_oversized_body_is_413,
    a_json_value_of_the_wrong_shape_is_422_naming_the_field,
    an_unknown_body_field_is_422,
    a_rule_broken_in_the_body_is_422_with_field_errors,
    an_unknown_api_route_is_a_404_problem_not_the_web_app,
    a_wrong_method_is_405_with_allow,
    an_invalid_query_parameter_is_400_naming_it,
    an_unknown_query_parameter_is_400,
    a_bad_cursor_is_400,
    a_malformed_path_parameter_is_400,
);

const LOOKUP: &str = "/api/v1/regions/lookup";

async fn post_raw(app: &TestApp, content_type: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
    app.client.post(app.url(LOOKUP)).header("content-type", content_type).body(body).send().await.unwrap()
}

async fn malformed_json_is_400(app: &TestApp) {
    let problem = expect_problem(
        post_raw(app, "application/json", "{\"codes\": [\"360402\"").await,
        400,
        ErrorCode::MalformedJson,
    )
    .await;
    assert!(problem.detail.contains("not valid JSON"), "{}", problem.detail);
    assert_eq!(problem.instance.as_deref(), Some(LOOKUP));
}

async fn an_empty_body_is_400(app: &TestApp) {
    expect_problem(post_raw(app, "application/json", "").await, 400, ErrorCode::MalformedJson).await;
}

async fn the_wrong_content_type_is_415(app: &TestApp) {
    expect_problem(
        post_raw(app, "text/plain", "{\"codes\": [\"360402\"]}").await,
        415,
        ErrorCode::UnsupportedMediaType,
    )
    .await;
    let missing = app.client.post(app.url(LOOKUP)).body("{\"codes\": [\"360402\"]}").send().await.unwrap();
    expect_problem(missing, 415, ErrorCode::UnsupportedMediaType).await;
    // Structured-syntax JSON types are JSON too.
    assert_eq!(
        post_raw(app, "application/merge-patch+json; charset=utf-8", "{\"codes\": [\"360402\"]}").await.status(),
        200
    );
}

async fn an_oversized_body_is_413(app: &TestApp) {
    let huge = format!("{{\"codes\": [\"{}\"]}}", "3".repeat(2 * 1024 * 1024));
    expect_problem(post_raw(app, "application/json", huge.clone()).await, 413, ErrorCode::PayloadTooLarge).await;
    // Also when the size is not declared up front (chunked upload).
    let stream = futures_stream(huge.into_bytes());
    expect_problem(post_raw(app, "application/json", stream).await, 413, ErrorCode::PayloadTooLarge).await;
}

fn futures_stream(bytes: Vec<u8>) -> reqwest::Body {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = bytes.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    reqwest::Body::wrap_stream(futures_util::stream::iter(chunks))
}

async fn a_json_value_of_the_wrong_shape_is_422_naming_the_field(app: &TestApp) {
    let problem =
        expect_problem(app.post_json(LOOKUP, &json!({"codes": ["360402", 7]})).await, 422, ErrorCode::ValidationFailed)
            .await;
    assert_eq!(problem.errors.len(), 1);
    assert_eq!(problem.errors[0].field, "codes[1]");
    let problem = expect_problem(app.post_json(LOOKUP, &json!("360402")).await, 422, ErrorCode::ValidationFailed).await;
    assert_eq!(problem.errors[0].field, "body");
}

async fn an_unknown_body_field_is_422(app: &TestApp) {
    let problem = expect_problem(
        app.post_json(LOOKUP, &json!({"codes": ["360402"], "color": 1})).await,
        422,
        ErrorCode::ValidationFailed,
    )
    .await;
    assert!(problem.errors[0].message.contains("color"), "{problem:?}");
}

async fn a_rule_broken_in_the_body_is_422_with_field_errors(app: &TestApp) {
    let problem =
        expect_problem(app.post_json(LOOKUP, &json!({"codes": []})).await, 422, ErrorCode::ValidationFailed).await;
    assert_eq!((problem.errors[0].field.as_str(), problem.errors[0].code.as_str()), ("codes", "length"));
    let problem =
        expect_problem(app.post_json(LOOKUP, &json!({"codes": ["36040X"]})).await, 422, ErrorCode::ValidationFailed)
            .await;
    assert_eq!(problem.errors[0].code, "region_code");
    assert!(problem.errors[0].message.contains("36040X"));
}

async fn an_unknown_api_route_is_a_404_problem_not_the_web_app(app: &TestApp) {
    for path in ["/api/v1/nothing", "/api/v2/regions", "/api", "/api/v1/regions/360402/children"] {
        expect_problem(app.get(path).await, 404, ErrorCode::NotFound).await;
    }
}

async fn a_wrong_method_is_405_with_allow(app: &TestApp) {
    let response = app.client.delete(app.url("/api/v1/regions")).send().await.unwrap();
    assert_eq!(response.headers().get("allow").unwrap(), "GET");
    expect_problem(response, 405, ErrorCode::MethodNotAllowed).await;
    let response = app.client.get(app.url(LOOKUP)).send().await.unwrap();
    // GET matches /regions/{code} with code "lookup": that route exists, and the code is malformed.
    expect_problem(response, 400, ErrorCode::InvalidParameter).await;
    let response = app.client.put(app.url(LOOKUP)).send().await.unwrap();
    assert_eq!(response.headers().get("allow").unwrap(), "GET, POST");
    expect_problem(response, 405, ErrorCode::MethodNotAllowed).await;
    let response = app.client.post(app.url("/healthz")).send().await.unwrap();
    expect_problem(response, 405, ErrorCode::MethodNotAllowed).await;
}

async fn an_invalid_query_parameter_is_400_naming_it(app: &TestApp) {
    for (query, field) in [
        ("level=province", "level"),
        ("limit=abc", "limit"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("parent=36", "parent"),
    ] {
        let problem =
            expect_problem(app.get(&format!("/api/v1/regions?{query}")).await, 400, ErrorCode::InvalidParameter).await;
        assert_eq!(problem.errors[0].field, field, "{query}: {problem:?}");
    }
}

async fn an_unknown_query_parameter_is_400(app: &TestApp) {
    let problem = expect_problem(app.get("/api/v1/regions?colour=red").await, 400, ErrorCode::InvalidParameter).await;
    assert_eq!(problem.errors[0].field, "colour");
}

async fn a_bad_cursor_is_400(app: &TestApp) {
    let problem =
        expect_problem(app.get("/api/v1/regions?cursor=not-a-cursor").await, 400, ErrorCode::InvalidParameter).await;
    assert_eq!(problem.errors[0].field, "cursor");
}

async fn a_malformed_path_parameter_is_400(app: &TestApp) {
    let problem = expect_problem(app.get("/api/v1/regions/36040").await, 400, ErrorCode::InvalidParameter).await;
    assert_eq!(problem.errors[0].field, "code");
}

/// A configured body limit applies to every JSON endpoint.
#[actix_web::test]
async fn the_body_limit_follows_configuration() {
    let options = TestOptions { max_body_bytes: Some(64), ..Default::default() };
    let app = TestApp::spawn_with(Backend::Sqlite, options).await.unwrap();
    let body = json!({"codes": ["360402", "360403", "360404", "360423", "360424", "360425"]});
    expect_problem(app.post_json(LOOKUP, &body).await, 413, ErrorCode::PayloadTooLarge).await;
    assert_eq!(app.post_json(LOOKUP, &json!({"codes": ["360402"]})).await.status(), 200);
}

/// Browsers on other sites may call the API only from configured origins; a refusal is still a problem.
#[actix_web::test]
async fn cors_allows_configured_origins_only() {
    let options = TestOptions { cors_origins: vec!["https://partner.example".into()], ..Default::default() };
    let app = TestApp::spawn_with(Backend::Sqlite, options).await.unwrap();
    let allowed =
        app.client.get(app.url("/api/v1/regions")).header("origin", "https://partner.example").send().await.unwrap();
    assert_eq!(allowed.status(), 200);
    assert_eq!(allowed.headers().get("access-control-allow-origin").unwrap(), "https://partner.example");
    // A simple request from elsewhere is answered without CORS headers, so the browser withholds it...
    let simple =
        app.client.get(app.url("/api/v1/regions")).header("origin", "https://elsewhere.example").send().await.unwrap();
    assert!(simple.headers().get("access-control-allow-origin").is_none());
    // ...and a preflight from elsewhere is refused outright, as a problem.
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url(LOOKUP))
        .header("origin", "https://elsewhere.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(preflight.headers().get("access-control-allow-origin").is_none());
    expect_problem(preflight, 400, ErrorCode::BadRequest).await;
    let allowed_preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url(LOOKUP))
        .header("origin", "https://partner.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(allowed_preflight.status(), 200);
    let same_origin = app
        .client
        .post(app.url(LOOKUP))
        .header("origin", app.base.as_str())
        .json(&json!({"codes": ["360402"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), 200);
}

//! The web app is served at `/` with history-mode fallback, while `/api/…` never falls back to it.

use credit_tests::{expect_problem, Backend, TestApp, TestOptions};
use credit_types::ErrorCode;

const INDEX: &str = "<!doctype html><title>九江</title><script type=\"module\" src=\"/boot.js\"></script>";

async fn app_with_web_dir() -> (TestApp, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("credit-web-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    std::fs::write(dir.join("boot.js"), "import init from './app.js'; init();").unwrap();
    let options = TestOptions { web_dir: Some(dir.clone()), ..Default::default() };
    (TestApp::spawn_with(Backend::Sqlite, options).await.unwrap(), dir)
}

#[actix_web::test]
async fn the_root_and_deep_links_return_the_index() {
    let (app, dir) = app_with_web_dir().await;
    for path in ["/", "/workbench", "/subjects/91360400MA35X/records"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(response.headers().get("content-type").unwrap().to_str().unwrap().starts_with("text/html"));
        assert_eq!(response.text().await.unwrap(), INDEX, "{path}");
    }
    let script = app.get("/boot.js").await;
    assert_eq!(script.status(), 200);
    assert!(script.headers().get("content-type").unwrap().to_str().unwrap().contains("javascript"));
    let _ = std::fs::remove_dir_all(dir);
}

#[actix_web::test]
async fn api_paths_never_fall_back_to_the_web_app() {
    let (app, dir) = app_with_web_dir().await;
    expect_problem(app.get("/api/v1/unknown").await, 404, ErrorCode::NotFound).await;
    expect_problem(app.get("/api/unknown.js").await, 404, ErrorCode::NotFound).await;
    let _ = std::fs::remove_dir_all(dir);
}

#[actix_web::test]
async fn writes_to_web_app_paths_are_405() {
    let (app, dir) = app_with_web_dir().await;
    let response = app.client.post(app.url("/workbench")).send().await.unwrap();
    assert_eq!(response.headers().get("allow").unwrap(), "GET, HEAD");
    expect_problem(response, 405, ErrorCode::MethodNotAllowed).await;
    let _ = std::fs::remove_dir_all(dir);
}

#[actix_web::test]
async fn without_a_built_web_app_the_root_explains_how_to_build_it() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let response = app.get("/").await;
    assert_eq!(response.status(), 503);
    assert!(response.text().await.unwrap().contains("scripts/build-web.sh"));
}

#[actix_web::test]
async fn the_api_docs_are_served() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let redirect = app.get("/api/docs").await;
    assert_eq!(redirect.status(), 308);
    assert_eq!(redirect.headers().get("location").unwrap(), "/api/docs/");
    let page = app.get("/api/docs/").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("swagger"));
    // Compared as raw JSON: the document itself is the wire format under test.
    let served: serde_json::Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let committed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(served, committed, "the served document is the committed one");
}

//! The `credit-api` command line: help texts, the committed OpenAPI document, migrations.
#![allow(clippy::unwrap_used)]

use std::process::Command;

fn credit_api(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_credit-api")).args(args).env_remove("DATABASE_URL").output().unwrap()
}

#[test]
fn each_command_says_what_it_does() {
    let help = String::from_utf8(credit_api(&["--help"]).stdout).unwrap();
    for command in ["serve", "migrate", "openapi"] {
        assert!(help.contains(command), "{help}");
        let output = credit_api(&[command, "--help"]);
        assert!(output.status.success());
        assert!(String::from_utf8(output.stdout).unwrap().lines().next().is_some_and(|l| l.len() > 20));
    }
    let serve = String::from_utf8(credit_api(&["serve", "--help"]).stdout).unwrap();
    for flag in ["--bind", "CREDIT_BIND", "DATABASE_URL", "CREDIT_DATA_DIR", "CREDIT_WEB_DIR", "CREDIT_CORS_ORIGINS"] {
        assert!(serve.contains(flag), "serve --help mentions {flag}");
    }
}

/// `openapi/openapi.json` is generated from the code; regenerate it with
/// `cargo run -p credit-api -- openapi > openapi/openapi.json` when this fails.
#[test]
fn the_committed_openapi_document_matches_the_code() {
    let output = credit_api(&["openapi"]);
    assert!(output.status.success());
    let generated = String::from_utf8(output.stdout).unwrap();
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json")).unwrap();
    assert!(
        generated == committed,
        "openapi/openapi.json is stale: run `cargo run -p credit-api -- openapi > openapi/openapi.json`"
    );
    let doc: serde_json::Value = serde_json::from_str(&generated).unwrap();
    for path in ["/api/v1/regions", "/api/v1/regions/{code}", "/api/v1/regions/lookup", "/healthz", "/readyz"] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
}

#[test]
fn migrate_creates_the_sqlite_database_and_is_idempotent() {
    let dir = std::env::temp_dir().join(format!("credit-migrate-{}", std::process::id()));
    let data_dir = dir.join("nested/data");
    let data = data_dir.to_str().unwrap();
    let first = credit_api(&["migrate", "--data-dir", data]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(data_dir.join("credit.db").is_file());
    assert!(credit_api(&["migrate", "--data-dir", data]).status.success());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_unsupported_database_url_is_a_clear_error() {
    let output = credit_api(&["migrate", "--database-url", "mysql://root:hunter2@localhost/credit"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("unsupported database URL"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "no password in errors");
}

//! The `credit-api` command line: help texts, the committed OpenAPI document, migrations, demo data.
#![allow(clippy::unwrap_used)]

use std::process::Command;

fn credit_api(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_credit-api")).args(args).env_remove("DATABASE_URL").output().unwrap()
}

#[test]
fn each_command_says_what_it_does() {
    let help = String::from_utf8(credit_api(&["--help"]).stdout).unwrap();
    for command in ["serve", "migrate", "openapi", "seed-demo"] {
        assert!(help.contains(command), "{help}");
        let output = credit_api(&[command, "--help"]);
        assert!(output.status.success());
        assert!(String::from_utf8(output.stdout).unwrap().lines().next().is_some_and(|l| l.len() > 20));
    }
    let serve = String::from_utf8(credit_api(&["serve", "--help"]).stdout).unwrap();
    for flag in [
        "--bind",
        "CREDIT_BIND",
        "DATABASE_URL",
        "CREDIT_DATA_DIR",
        "CREDIT_WEB_DIR",
        "CREDIT_CORS_ORIGINS",
        "CREDIT_DEMO",
        "CREDIT_AUDIT_KEY_FILE",
        "CREDIT_AUDIT_ANCHOR_FILE",
        "CREDIT_CONTACT_KEY_FILE",
    ] {
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

/// Logs written to a file or a pipe (not a terminal) carry no ANSI colour codes.
#[test]
fn logs_to_a_pipe_are_plain_text() {
    let dir = std::env::temp_dir().join(format!("credit-plain-logs-{}", std::process::id()));
    let output = credit_api(&["migrate", "--data-dir", dir.to_str().unwrap()]);
    assert!(output.status.success());
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(!log.trim().is_empty(), "migrate logs what it does");
    assert!(!log.contains('\u{1b}'), "no escape sequences in a piped log: {log:?}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn seed_demo_prints_the_accounts_and_refuses_to_seed_twice() {
    let dir = std::env::temp_dir().join(format!("credit-seed-demo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let data = dir.to_str().unwrap();
    let first = credit_api(&["seed-demo", "--records", "40", "--data-dir", data]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let printed = String::from_utf8(first.stdout).unwrap();
    for expected in
        ["Demo-Jiujiang-2026", "demo.city.admin", "demo.auditor", "九江市浔阳长江建材有限公司", "40 records"]
    {
        assert!(printed.contains(expected), "{expected} in {printed}");
    }
    let again = credit_api(&["seed-demo", "--data-dir", data]);
    assert!(!again.status.success());
    assert!(String::from_utf8(again.stderr).unwrap().contains("demo data already"));
    let if_empty = credit_api(&["seed-demo", "--if-empty", "--data-dir", data]);
    assert!(if_empty.status.success());
    assert!(String::from_utf8(if_empty.stdout).unwrap().contains("nothing to do"));
    let too_few = credit_api(&["seed-demo", "--records", "1", "--data-dir", data]);
    assert!(!too_few.status.success());
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Plain HTTP/1.1 GET over a socket: the status line's code, or `None` while nothing listens.
fn http_status(addr: &str, path: &str) -> Option<u16> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    response.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn serve_creates_its_database_hides_secrets_and_stops_gracefully_on_sigterm() {
    let dir = std::env::temp_dir().join(format!("credit-serve-{}", std::process::id()));
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let addr = format!("127.0.0.1:{port}");
    let secret = "token-key-that-must-never-be-printed-anywhere";
    let child = Command::new(env!("CARGO_BIN_EXE_credit-api"))
        .args(["serve", "--bind", &addr, "--data-dir", dir.to_str().unwrap()])
        .env_remove("DATABASE_URL")
        .env("CREDIT_TOKEN_KEY", secret)
        .env("CREDIT_LOG_FORMAT", "json")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let ready = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        http_status(&addr, "/readyz") == Some(200)
    });
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(ready, "server never became ready: {log}");
    assert!(output.status.success(), "graceful stop exits 0: {log}");
    assert!(dir.join("credit.db").is_file(), "the SQLite database is created under the data dir");
    assert!(log.contains("config database"), "{log}");
    assert!(log.contains("\"stopped\"") || log.contains("stopped"), "{log}");
    assert!(!log.contains(secret), "the token key is never printed");
    for (file, size) in [("audit.key", 32), ("contact.key", 32)] {
        let key = std::fs::read(dir.join(file)).unwrap();
        assert_eq!(key.len(), size, "{file} is generated at first start");
        assert!(!log.contains(&hex(&key)), "{file} is never printed");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(file)).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{file} is readable by its owner only");
        }
    }
    let anchors = std::fs::read_to_string(dir.join("audit-anchors.log")).unwrap();
    assert!(anchors.lines().next().is_some_and(|l| l.contains(" seq=0 ")), "the start anchors the head: {anchors}");
    assert!(log.lines().filter(|l| l.contains("\"served\"")).all(|l| l.contains("request_id")), "{log}");
    let _ = std::fs::remove_dir_all(dir);
}

/// `credit-api audit verify` passes an intact chain and names the first changed event otherwise; without
/// the key file it reports the key, and never makes one up.
#[test]
fn r30_audit_verify_names_the_first_broken_event() {
    use credit_api::audit::{self, Actor, AuditAction, EventFields, Outcome};
    use credit_api::db::{DbManager, DbTarget};
    use credit_api::keys::AuditKey;
    use diesel::RunQueryDsl;

    let dir = std::env::temp_dir().join(format!("credit-audit-cli-{}", std::process::id()));
    let data = dir.to_str().unwrap();
    assert!(credit_api(&["migrate", "--data-dir", data]).status.success());
    let key = AuditKey::load(&dir.join("audit.key")).expect("migrate creates the audit key");
    let pool = DbManager::pool(DbTarget::Sqlite(dir.join("credit.db"))).unwrap();
    let mut conn = pool.get().unwrap();
    AuditKey::scope(std::sync::Arc::new(key), || {
        for n in 0..3 {
            audit::append(
                &mut conn,
                EventFields::new(&Actor::System, AuditAction::AuditVerify, Outcome::Success).detail(n.to_string()),
            )
            .unwrap();
        }
    });
    let intact = credit_api(&["audit", "verify", "--data-dir", data]);
    assert!(intact.status.success(), "{}", String::from_utf8_lossy(&intact.stderr));
    assert!(String::from_utf8_lossy(&intact.stdout).contains("3 events verified"));

    diesel::sql_query("DROP TRIGGER audit_events_no_update").execute(&mut conn).unwrap();
    diesel::sql_query("UPDATE audit_events SET detail = 'x' WHERE seq = 2").execute(&mut conn).unwrap();
    let broken = credit_api(&["audit", "verify", "--data-dir", data]);
    assert!(!broken.status.success());
    assert!(String::from_utf8_lossy(&broken.stderr).contains("broken at event 2"));

    let elsewhere = dir.join("no-such-dir/audit.key");
    let keyless = credit_api(&["audit", "verify", "--data-dir", data, "--audit-key-file", elsewhere.to_str().unwrap()]);
    assert!(!keyless.status.success());
    assert!(String::from_utf8_lossy(&keyless.stderr).contains("audit key missing"));
    assert!(!elsewhere.exists(), "verification never creates a key");
    let _ = std::fs::remove_dir_all(dir);
}

/// the backup commands from a shell, on SQLite: a key pair, a backup by the plan verified by its
/// restore, the list, a restore refused by a database holding data, and a restore into a new file whose audit trail
/// verifies.
#[test]
fn r14_1_r24_1_backup_commands_run_list_and_restore_only_into_an_empty_database() {
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    let dir = std::env::temp_dir().join(format!("credit-backup-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let data = dir.join("data");
    let key = dir.join("backup.agekey");
    let text = |output: &std::process::Output| {
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
    };
    let data_arg = data.to_str().unwrap();
    assert!(credit_api(&["migrate", "--data-dir", data_arg]).status.success());
    let keygen = credit_api(&["backup", "keygen", "--out", key.to_str().unwrap()]);
    assert!(keygen.status.success(), "{}", text(&keygen));
    let printed = text(&keygen);
    let recipient = printed.split_whitespace().find(|w| w.starts_with("age1")).unwrap().to_owned();
    let stored = std::fs::read_to_string(&key).unwrap();
    assert!(stored.contains("AGE-SECRET-KEY-1") && !printed.contains("AGE-SECRET-KEY"), "the secret is not printed");
    // The plan as the database administrator keeps it (here straight into the table: no account is needed).
    let mut conn = diesel::SqliteConnection::establish(data.join("credit.db").to_str().unwrap()).unwrap();
    conn.batch_execute(&format!(
        "PRAGMA foreign_keys = OFF; INSERT INTO backup_plan (id, enabled, time_of_day, keep_count, keep_days, target_dir, recipient, \
         identity_file, updated_at, updated_by) VALUES (1, 0, '02:30', 7, NULL, '{}', '{recipient}', '{}', \
         '2026-11-28 00:00:00', 'nobody')",
        dir.join("backups").display(),
        key.display()
    ))
    .unwrap();
    drop(conn);

    let run = credit_api(&["backup", "run", "--data-dir", data_arg]);
    assert!(run.status.success(), "{}", text(&run));
    assert!(text(&run).contains("verified"), "{}", text(&run));
    let list = credit_api(&["backup", "list", "--data-dir", data_arg]);
    let listed = text(&list);
    assert!(listed.contains("verified"), "{listed}");
    let file = listed.split_whitespace().find(|w| w.ends_with(".zst.age")).unwrap().to_owned();

    let live = format!("sqlite://{}", data.join("credit.db").display());
    let refused =
        credit_api(&["backup", "restore", &file, "--identity", key.to_str().unwrap(), "--database-url", &live]);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("not empty"), "{}", text(&refused));

    let fresh = format!("sqlite://{}", dir.join("restored/credit.db").display());
    let restored = credit_api(&[
        "backup",
        "restore",
        &file,
        "--identity",
        key.to_str().unwrap(),
        "--database-url",
        &fresh,
        "--data-dir",
        data_arg,
    ]);
    assert!(restored.status.success(), "{}", text(&restored));
    assert!(text(&restored).contains("audit trail is intact"), "{}", text(&restored));
    let _ = std::fs::remove_dir_all(dir);
}

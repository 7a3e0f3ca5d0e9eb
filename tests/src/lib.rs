//! Test harness: starts the real credit-api app on a free port, on SQLite or on PostgreSQL, and speaks HTTP
//! to it. Each test gets a fresh database (a temporary SQLite file, or a new PostgreSQL database that is
//! dropped afterwards).
//!
//! PostgreSQL comes from `TEST_DATABASE_URL` (any database on the server; tests create their own beside it),
//! else the local server at 127.0.0.1:5432. When none answers, PostgreSQL tests fail under `CI` and are
//! skipped with a notice elsewhere.
#![allow(clippy::unwrap_used)]

mod fixtures;

pub use fixtures::{penalty, penalty_values, CITY, LIANXI, PASSWORD};

use actix_web::dev::ServerHandle;
use credit_api::config::Settings;
use credit_api::db::DbTarget;
use credit_api::keys::{AuditKey, ContactKey};
use credit_types::identity::{Me, OrganisationKind, Role, TokenResponse};
use credit_types::{ErrorCode, RegionLevel};
use diesel::{Connection, PgConnection, RunQueryDsl};
use serde::de::DeserializeOwned;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;

const LOCAL_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/postgres";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running app and an HTTP client for it.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub database: DbTarget,
    audit_key: Arc<AuditKey>,
    contact_key: Arc<ContactKey>,
    audit_anchors: PathBuf,
    /// The app's own pool: helpers that run often use it rather than open a pool of their own each time.
    app_pool: credit_api::db::DbPool,
    /// The app's state and settings, for tests that drive scheduled work (health checks, sweeps) themselves.
    state: credit_api::state::AppState,
    settings: Settings,
    handle: ServerHandle,
    _postgres: Option<PostgresDatabase>,
    dir: PathBuf,
}

/// How the app under test is configured beyond its database.
#[derive(Default)]
pub struct TestOptions {
    pub web_dir: Option<PathBuf>,
    pub max_body_bytes: Option<usize>,
    pub cors_origins: Vec<String>,
    pub portal_requests_per_minute: Option<u32>,
    /// Lookups by code per client address and hour (default: no practical limit).
    pub portal_lookups_per_hour: Option<u32>,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Demo mode (`serve --demo`): demo accounts keep their published password.
    pub demo: bool,
    /// Objection filings per client address and hour (default: no practical limit).
    pub objection_filings_per_hour: Option<u32>,
    /// The longest period a request for authorised-use records may ask for (default 90 days).
    pub max_grant_days: Option<u32>,
    /// Sign-in requests per client address and minute (default: no practical limit).
    pub signin_per_address_per_minute: Option<u32>,
    /// Evidence bytes one address may send per hour (default: no practical limit).
    pub objection_bytes_per_hour: Option<u64>,
    /// When the daily pre-work check falls due, China time (default 10:00).
    pub daily_check_deadline: Option<chrono::NaiveTime>,
    /// Addresses and networks allowed to read `/metrics` (`--metrics-allow`).
    pub metrics_allow: Vec<&'static str>,
    /// The metrics token (`CREDIT_METRICS_TOKEN`).
    pub metrics_token: Option<String>,
    /// Seconds between two performance snapshots (default 3600 in tests).
    pub performance_interval_seconds: Option<u64>,
    /// Serve another app's database (a second server sharing it) rather than a fresh one: see
    /// [`TestApp::spawn_beside`].
    pub database: Option<DbTarget>,
    /// Copy the keys (audit, contact, token) and the audit anchors from this data directory first.
    pub keys_from: Option<PathBuf>,
}

impl TestApp {
    /// Starts the app on `backend`, or returns `None` when PostgreSQL is not available and may be skipped.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, TestOptions::default()).await
    }

    pub async fn spawn_with(backend: Backend, options: TestOptions) -> Option<TestApp> {
        let dir = std::env::temp_dir().join(format!("credit-test-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        if let Some(from) = &options.keys_from {
            for file in ["audit.key", "contact.key", "token.key", "audit-anchors.log"] {
                if from.join(file).exists() {
                    std::fs::copy(from.join(file), dir.join(file)).unwrap();
                }
            }
        }
        let (database, postgres) = match (backend, options.database) {
            (_, Some(shared)) => (shared, None),
            (Backend::Sqlite, None) => (DbTarget::Sqlite(dir.join("credit.db")), None),
            (Backend::Postgres, None) => {
                let db = PostgresDatabase::create()?;
                (DbTarget::Postgres(db.url.clone()), Some(db))
            }
        };
        let mut settings = Settings::for_database(database.clone(), dir.clone());
        settings.web_dir = options.web_dir.unwrap_or_else(|| dir.join("no-web-app"));
        settings.cors_origins = options.cors_origins;
        if let Some(limit) = options.max_body_bytes {
            settings.max_body_bytes = limit;
        }
        // Tests make many portal calls from one address; the limit itself is tested with a low setting.
        settings.records.portal_requests_per_minute = options.portal_requests_per_minute.unwrap_or(100_000);
        settings.records.portal_lookups_per_hour = options.portal_lookups_per_hour.unwrap_or(100_000);
        settings.records.trusted_proxies = options.trusted_proxies;
        settings.records.objection_filings_per_hour = options.objection_filings_per_hour.unwrap_or(100_000);
        settings.records.objection_bytes_per_hour = options.objection_bytes_per_hour.unwrap_or(u64::MAX);
        // Tests sign in many accounts from one address; the limit itself is tested with a low setting.
        settings.identity.signin_per_address_per_minute = options.signin_per_address_per_minute.unwrap_or(100_000);
        if let Some(days) = options.max_grant_days {
            settings.records.max_grant_days = days;
        }
        if let Some(deadline) = options.daily_check_deadline {
            settings.daily_check.deadline = deadline;
        }
        settings.performance.metrics_allow = options.metrics_allow.iter().map(|range| range.parse().unwrap()).collect();
        settings.performance.metrics_token = options.metrics_token.map(credit_api::config::MetricsToken::Inline);
        // Hourly unless a test asks otherwise, so that a snapshot seldom lands among a test's own rows.
        settings.performance.interval_seconds = options.performance_interval_seconds.unwrap_or(3600);
        settings.workers = 2;
        settings.identity.demo = options.demo;
        // Tests run the health checks themselves, at moments they choose.
        settings.health.interval_seconds = 0;
        let state = credit_api::server::prepare(&settings).expect("app storage prepares");
        let (audit_key, contact_key) = (state.audit_key().clone(), state.contact_key().clone());
        let (audit_anchors, app_pool) = (state.audit_anchors().to_owned(), state.pool().clone());
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = credit_api::server::start(settings.clone(), state.clone(), listener).expect("server starts");
        let handle = server.handle();
        actix_web::rt::spawn(server);
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Some(TestApp {
            base,
            client,
            database,
            audit_key,
            contact_key,
            audit_anchors,
            app_pool,
            state,
            settings,
            handle,
            _postgres: postgres,
            dir,
        })
    }

    /// A second server beside this one: the same database and keys, its own port and data directory, as when
    /// several servers share one PostgreSQL database.
    pub async fn spawn_beside(&self, options: TestOptions) -> TestApp {
        let options =
            TestOptions { database: Some(self.database.clone()), keys_from: Some(self.dir.clone()), ..options };
        let backend = match self.database {
            DbTarget::Sqlite(_) => Backend::Sqlite,
            DbTarget::Postgres(_) => Backend::Postgres,
        };
        Self::spawn_with(backend, options).await.expect("a second server on the same database starts")
    }

    /// How many audit events of `action` the trail holds.
    pub fn audit_count(&self, action: credit_types::audit::AuditAction) -> i64 {
        use credit_api::schema::audit_events;
        use diesel::prelude::*;
        let mut conn = self.app_pool.get().unwrap();
        audit_events::table.filter(audit_events::action.eq(action.as_str())).count().get_result(&mut conn).unwrap()
    }

    /// The app's state, as its handlers see it.
    pub fn state(&self) -> &credit_api::state::AppState {
        &self.state
    }

    /// The app's settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// A second server's state over the same database and keys, as another instance sharing the database has.
    pub fn second_server(&self) -> credit_api::state::AppState {
        credit_api::server::prepare(&self.settings).expect("a second server prepares")
    }

    /// The app's data directory (SQLite file, keys, audit anchors, evidence files).
    pub fn data_dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// The app's audit key (its file is in the data directory).
    pub fn audit_key(&self) -> &Arc<AuditKey> {
        &self.audit_key
    }

    /// The app's contact key (its file is in the data directory).
    pub fn contact_key(&self) -> &ContactKey {
        &self.contact_key
    }

    /// The file the app anchors the audit chain's head to.
    pub fn audit_anchors(&self) -> &std::path::Path {
        &self.audit_anchors
    }

    /// Runs `work` with the app's audit key, as the app runs its own database work: for tests that call the app's
    /// functions that append audit events (jobs, seeding) on a connection of their own.
    pub fn keyed<T>(&self, work: impl FnOnce() -> T) -> T {
        AuditKey::scope(self.audit_key.clone(), work)
    }

    /// Verifies the audit trail as `GET /api/v1/audit/verify` does: with the app's key and anchors.
    pub fn verify_audit_trail(&self) -> credit_types::audit::Verification {
        let anchors = credit_api::audit::anchor::read(&self.audit_anchors).unwrap();
        credit_api::audit::verify(&mut self.app_pool.get().unwrap(), Some(&self.audit_key), &anchors).unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client.post(self.url(path)).json(body).send().await.unwrap()
    }

    /// Runs SQL directly on the app's database (for tests that must put it in a particular state): one statement or
    /// several separated by `;`, on one connection (so a `PRAGMA` holds for the statements after it).
    pub fn execute_sql(&self, sql: &str) {
        use diesel::connection::SimpleConnection;
        match &self.database {
            DbTarget::Sqlite(path) => {
                let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy()).unwrap();
                conn.batch_execute(sql).unwrap();
            }
            DbTarget::Postgres(url) => PgConnection::establish(url).unwrap().batch_execute(sql).unwrap(),
        };
    }

    /// The number a `SELECT COUNT(*) AS n …` query answers.
    pub fn count_sql(&self, sql: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.app_pool.get().unwrap();
        let counted: Count = diesel::sql_query(sql).get_result(&mut *conn).unwrap();
        counted.n
    }
}

/// A signed-in user: the access token and the refresh-token cookie's value.
#[derive(Debug, Clone)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
}

impl TestApp {
    /// A connection from the app's own pool: PostgreSQL's connections are shared by every test running at once, and
    /// each new pool opens all of its own.
    pub fn conn(&self) -> credit_api::db::PooledDb {
        self.app_pool.get().unwrap()
    }

    pub fn pool(&self) -> credit_api::db::DbPool {
        credit_api::db::DbManager::pool(self.database.clone()).unwrap()
    }

    /// Creates an organisation of `level` in `region` and a user in it holding `roles`, whose password is
    /// `password` and needs no change. Returns the user's id.
    pub fn create_user(&self, login_name: &str, password: &str, roles: &[Role], region: &str) -> String {
        use credit_api::identity::store;
        let pool = self.pool();
        let mut conn = pool.get().unwrap();
        let level = if region == "360400" { RegionLevel::City } else { RegionLevel::County };
        let now = chrono::Utc::now().naive_utc();
        let uscc = test_uscc();
        let organisation = store::NewOrganisation {
            name: &format!("测试单位 {login_name}"),
            uscc: &uscc,
            level,
            region_code: region,
            kinds: &kinds_for(roles),
        };
        let organisation_id = store::insert_organisation(&mut conn, &organisation, None, now).unwrap();
        let hash = credit_api::identity::password::hash(password).unwrap();
        let user = store::NewUser {
            organisation_id: &organisation_id,
            login_name,
            full_name: "测试用户",
            phone: None,
            email: None,
            password_hash: &hash,
            must_change_password: false,
            roles,
        };
        store::insert_user(&mut conn, &user, None, now).unwrap()
    }

    /// Creates a user holding `roles` in the existing organisation `organisation_id` (a colleague). Returns the
    /// user's id.
    pub fn create_colleague(&self, login_name: &str, password: &str, roles: &[Role], organisation_id: &str) -> String {
        use credit_api::identity::store;
        let pool = self.pool();
        let mut conn = pool.get().unwrap();
        let hash = credit_api::identity::password::hash(password).unwrap();
        let user = store::NewUser {
            organisation_id,
            login_name,
            full_name: "测试同事",
            phone: None,
            email: None,
            password_hash: &hash,
            must_change_password: false,
            roles,
        };
        store::insert_user(&mut conn, &user, None, chrono::Utc::now().naive_utc()).unwrap()
    }

    pub async fn login(&self, login_name: &str, password: &str) -> reqwest::Response {
        self.post_json("/api/v1/auth/login", &serde_json::json!({"login_name": login_name, "password": password})).await
    }

    /// Signs in and returns the session; panics unless sign-in succeeds.
    pub async fn sign_in(&self, login_name: &str, password: &str) -> Session {
        session_from(self.login(login_name, password).await).await
    }

    /// An authenticated GET.
    pub async fn get_as(&self, session: &Session, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).bearer_auth(&session.access_token).send().await.unwrap()
    }

    /// An authenticated POST with a JSON body.
    pub async fn post_as(&self, session: &Session, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client.post(self.url(path)).bearer_auth(&session.access_token).json(body).send().await.unwrap()
    }

    /// An authenticated POST of `body` as `content_type` (a CSV file, a PDF, anything but JSON).
    pub async fn post_raw_as(
        &self,
        session: &Session,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        let request = self.client.post(self.url(path)).bearer_auth(&session.access_token);
        request.header("content-type", content_type).body(body).send().await.unwrap()
    }

    /// Switches off the triggers that refuse changes to the audit trail, as someone with direct database access
    /// could, so a test can change an event behind the app's back.
    pub fn lift_audit_trail_protection(&self) {
        match &self.database {
            DbTarget::Sqlite(_) => self.execute_sql("DROP TRIGGER audit_events_no_update"),
            DbTarget::Postgres(_) => {
                self.execute_sql("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete")
            }
        }
    }

    /// An authenticated PUT with a JSON body and `If-Match`.
    pub async fn put_as(
        &self,
        session: &Session,
        path: &str,
        if_match: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        let request = self.client.put(self.url(path)).bearer_auth(&session.access_token).json(body);
        request.header("if-match", if_match).send().await.unwrap()
    }

    /// An authenticated POST with a JSON body and `If-Match`.
    pub async fn post_if_match(
        &self,
        session: &Session,
        path: &str,
        if_match: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        let request = self.client.post(self.url(path)).bearer_auth(&session.access_token).json(body);
        request.header("if-match", if_match).send().await.unwrap()
    }

    /// An anonymous GET answered 200, read as `T`.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> T {
        expect_json(self.get(path).await, 200).await
    }

    /// An authenticated GET answered 200, read as `T`.
    pub async fn get_json_as<T: DeserializeOwned>(&self, session: &Session, path: &str) -> T {
        expect_json(self.get_as(session, path).await, 200).await
    }

    /// Who a signed-in user is (`GET /api/v1/auth/me`).
    pub async fn me(&self, session: &Session) -> Me {
        self.get_json_as(session, "/api/v1/auth/me").await
    }

    /// The organisation id of a signed-in user.
    pub async fn organisation_of(&self, session: &Session) -> String {
        self.me(session).await.organisation_id
    }

    /// POST /api/v1/auth/refresh with the given refresh-token cookie.
    pub async fn refresh(&self, refresh_token: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/refresh"))
            .header("cookie", format!("credit_refresh={refresh_token}"))
            .send()
            .await
            .unwrap()
    }
}

/// The organisation kinds under which `roles` fit, so test accounts are as the platform would allow.
fn kinds_for(roles: &[Role]) -> Vec<OrganisationKind> {
    let mut kinds: Vec<OrganisationKind> = roles
        .iter()
        .map(|role| match role {
            Role::DataProvider => OrganisationKind::DataProvider,
            Role::UserUnit => OrganisationKind::UserUnit,
            Role::CityCreditAdmin => OrganisationKind::CompetentOffice,
            Role::CountyCreditAdmin => OrganisationKind::CountyLeadUnit,
            Role::AccountAdmin | Role::SystemAdmin | Role::DbAdmin | Role::SecurityAuditor => {
                OrganisationKind::AccountOffice
            }
        })
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// Reads the tokens out of a successful sign-in, refresh or password change.
pub async fn session_from(response: reqwest::Response) -> Session {
    assert_eq!(response.status(), 200, "expected tokens from {}", response.url());
    let refresh_token = refresh_cookie(&response).expect("a refresh-token cookie");
    let tokens: TokenResponse = response.json().await.unwrap();
    Session { access_token: tokens.access_token, refresh_token }
}

/// The value the response sets for the refresh-token cookie, if any.
pub fn refresh_cookie(response: &reqwest::Response) -> Option<String> {
    response.headers().get_all("set-cookie").iter().find_map(|v| {
        let v = v.to_str().ok()?;
        let value = v.strip_prefix("credit_refresh=")?.split(';').next()?;
        Some(value.to_owned())
    })
}

/// A valid resident identity number (GB 11643) born on `birth` (`YYYYMMDD`) in `area` (6 digits), with a random
/// sequence number.
pub fn test_resident_id(area: &str, birth: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sequence = uuid::Uuid::new_v4().as_bytes()[0] as u32 * 3 % 1000;
    let first17 = format!("{area}{birth}{sequence:03}");
    let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{first17}{check}")
}

/// A valid, unique unified social credit code for a test organisation.
pub fn test_uscc() -> String {
    const CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let random = uuid::Uuid::new_v4();
    let body: String = random.as_bytes()[..9].iter().map(|b| CHARSET[*b as usize % CHARSET.len()] as char).collect();
    let first17 = format!("12360400{body}");
    let check = credit_types::codes::uscc_check_character(&first17).unwrap();
    format!("{first17}{check}")
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop accepting; the PostgreSQL database is dropped with FORCE, closing the pool's connections.
        drop(self.handle.stop(false));
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A throwaway PostgreSQL database, dropped when this value is.
struct PostgresDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl PostgresDatabase {
    fn create() -> Option<PostgresDatabase> {
        let admin_url =
            std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()).unwrap_or_else(|| LOCAL_POSTGRES.into());
        let mut admin = match PgConnection::establish(&admin_url) {
            Ok(conn) => conn,
            Err(error) => return postgres_unavailable(&admin_url, &error.to_string()),
        };
        let name = format!("credit_test_{}", uuid::Uuid::new_v4().simple());
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).unwrap();
        let url = with_database(&admin_url, &name);
        Some(PostgresDatabase { admin_url, name, url })
    }
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.admin_url) {
            let _ =
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).execute(&mut admin);
        }
    }
}

fn postgres_unavailable(url: &str, error: &str) -> Option<PostgresDatabase> {
    let shown = credit_api::db::redact(url);
    if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") {
        panic!("PostgreSQL is required under CI but {shown} does not answer: {error}");
    }
    eprintln!("SKIPPED: PostgreSQL at {shown} does not answer ({error}); set TEST_DATABASE_URL to run these tests");
    None
}

/// Replaces the database name (the path) of a PostgreSQL URL, keeping any query string.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[after_scheme..].find('/').map_or(base.len(), |i| after_scheme + i);
    let mut out = format!("{}/{}", &base[..host_end], name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// Defines each listed `async fn name(app: &TestApp)` as two tests, `sqlite::name` and `postgres::name`. Attributes
/// before a name (`#[ignore = "why"]`) apply to both.
#[macro_export]
macro_rules! on_both_backends {
    ($($(#[$meta:meta])* $name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[actix_web::test]
                $(#[$meta])*
                async fn $name() {
                    let app = $crate::TestApp::spawn($crate::Backend::Sqlite).await.expect("SQLite always runs");
                    super::$name(&app).await;
                }
            )*
        }
        mod postgres {
            $(
                #[actix_web::test]
                $(#[$meta])*
                async fn $name() {
                    if let Some(app) = $crate::TestApp::spawn($crate::Backend::Postgres).await {
                        super::$name(&app).await;
                    }
                }
            )*
        }
    };
}

/// Asserts `response` answers `status` and reads its body as `T`; the body is shown when either fails.
pub async fn expect_json<T: DeserializeOwned>(response: reqwest::Response, status: u16) -> T {
    let url = response.url().clone();
    let actual = response.status().as_u16();
    let body = response.text().await.unwrap();
    assert_eq!(actual, status, "status of {url}: {body}");
    serde_json::from_str(&body)
        .unwrap_or_else(|error| panic!("{url} answered no {}: {error}: {body}", std::any::type_name::<T>()))
}

/// Asserts `response` is an RFC 7807 problem with `status` and `code`, and returns its body.
pub async fn expect_problem(response: reqwest::Response, status: u16, code: ErrorCode) -> credit_types::Problem {
    assert_eq!(response.status().as_u16(), status, "status of {}", response.url());
    let content_type = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(content_type.as_deref(), Some("application/problem+json"));
    let request_id = response.headers().get("x-request-id").map(|v| v.to_str().unwrap().to_owned());
    let problem: credit_types::Problem = response.json().await.unwrap();
    assert_eq!(problem.status, status);
    assert_eq!(problem.code, code, "problem: {problem:?}");
    assert_eq!(problem.kind, format!("/problems/{code}"));
    assert!(!problem.detail.is_empty());
    assert_eq!(problem.request_id, request_id, "the body quotes the request id header");
    problem
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(with_database("postgres://u:p@h/db?sslmode=disable", "x"), "postgres://u:p@h/x?sslmode=disable");
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}

//! Starting the platform: prepare storage (directories, pool, migrations, the keys kept outside the database, the
//! anchor of the audit chain's head), then serve HTTP with a graceful shutdown on SIGINT/SIGTERM.

use crate::app::{self, AppContext};
use crate::audit::key::AuditKeyError;
use crate::config::{KeyFiles, Settings};
use crate::db::{migrate, DbManager, DbPool, DbTarget};
use crate::keys::{AuditKey, ContactKey, KeyFileError};
use crate::state::{AppState, Keys};
use crate::token_key::{self, TokenKeyError};
use actix_web::dev::Server;
use actix_web::HttpServer;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create directory {path}: {source}")]
    Directory { path: String, source: std::io::Error },
    #[error("cannot open the database {target}: {source}")]
    Database { target: String, source: r2d2::Error },
    #[error("migrations failed on {target}: {message}")]
    Migration { target: String, message: String },
    #[error(transparent)]
    TokenKey(#[from] TokenKeyError),
    #[error(transparent)]
    AuditKey(#[from] AuditKeyError),
    #[error(transparent)]
    KeyFile(#[from] KeyFileError),
    #[error("cannot bring the appellants' contact keys in line with the contact key: {0}")]
    ContactKeys(crate::error::ApiError),
    #[error("cannot anchor the audit chain's head: {0}")]
    Anchor(#[from] crate::audit::anchor::AnchorError),
    #[error("cannot listen: {0}")]
    Listen(#[from] std::io::Error),
    #[error("cannot set up the notice sender: {0}")]
    Notices(crate::notices::SendError),
    #[error("cannot read the metrics token: {0}")]
    MetricsToken(std::io::Error),
}

/// Creates what the database needs, opens the pool and applies pending migrations.
pub fn open_database(target: &DbTarget) -> Result<crate::db::DbPool, StartError> {
    if let DbTarget::Sqlite(path) = target {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|source| StartError::Directory { path: parent.display().to_string(), source })?;
        }
    }
    let pool = DbManager::pool(target.clone())
        .map_err(|source| StartError::Database { target: target.to_string(), source })?;
    let mut conn = pool.get().map_err(|source| StartError::Database { target: target.to_string(), source })?;
    let applied = migrate::run_pending(&mut conn)
        .map_err(|e| StartError::Migration { target: target.to_string(), message: e.to_string() })?;
    for version in applied {
        tracing::info!(%version, "applied migration");
    }
    if let Err(error) = crate::db::optimize(&mut conn, true) {
        tracing::warn!(%error, "could not refresh the query planner's statistics");
    }
    Ok(pool)
}

/// The database together with the keys kept outside it: what every command that writes needs.
pub struct Storage {
    pub pool: DbPool,
    pub audit_key: Arc<AuditKey>,
    pub contact_key: Arc<ContactKey>,
}

/// Opens the database (migrated) and the keys (the audit key as `audit::key::open` allows it, the contact key
/// created when missing), then brings the stored contact keys in line with the contact key in one write
/// transaction. `serve`, `migrate`, `create-admin` and `seed-demo` start here.
pub fn open_storage(database: &DbTarget, files: &KeyFiles) -> Result<Storage, StartError> {
    let pool = open_database(database)?;
    let mut conn = pool.get().map_err(|source| StartError::Database { target: database.to_string(), source })?;
    let audit_key = Arc::new(crate::audit::key::open(&mut conn, &files.audit_key, &files.audit_anchors)?);
    let contact_key = Arc::new(ContactKey::load_or_create(&files.contact_key)?);
    let rekeyed = AuditKey::scope(audit_key.clone(), || {
        crate::db::write_transaction(&mut conn, |conn| crate::objections::contacts::rekey(conn, &contact_key))
    })
    .map_err(StartError::ContactKeys)?;
    if rekeyed != Default::default() {
        tracing::info!(
            recomputed = rekeyed.recomputed,
            made_random = rekeyed.unlinked,
            "brought appellants' contact keys in line with the contact key"
        );
    }
    Ok(Storage { pool, audit_key, contact_key })
}

/// Everything `start` needs: storage ready, keys loaded, the audit chain's head anchored.
pub fn prepare(settings: &Settings) -> Result<AppState, StartError> {
    std::fs::create_dir_all(&settings.data_dir)
        .map_err(|source| StartError::Directory { path: settings.data_dir.display().to_string(), source })?;
    let storage = open_storage(&settings.database, &settings.keys)?;
    let token_key = token_key::load_or_create(&settings.token_key)?;
    anchor_now(&storage, &settings.database, &settings.keys.audit_anchors)?;
    let keys = Keys {
        token_key,
        audit_key: storage.audit_key,
        contact_key: storage.contact_key,
        audit_anchors: settings.keys.audit_anchors.clone(),
    };
    Ok(AppState::new(
        storage.pool,
        settings.database.backend(),
        keys,
        settings.identity.clone(),
        settings.records.clone(),
    ))
}

/// Appends the chain's current head to the anchor file (at start, before anything is served).
fn anchor_now(storage: &Storage, database: &DbTarget, path: &std::path::Path) -> Result<(), StartError> {
    let mut conn =
        storage.pool.get().map_err(|source| StartError::Database { target: database.to_string(), source })?;
    crate::db::read_transaction(&mut conn, |conn| {
        crate::audit::anchor::write_head(conn, &storage.audit_key, path, chrono::Utc::now())
    })?;
    Ok(())
}

/// Serves on `listener`; the returned server runs until stopped or signalled.
pub fn start(settings: Settings, state: AppState, listener: TcpListener) -> Result<Server, StartError> {
    let workers = settings.workers;
    let shutdown = settings.shutdown_timeout_secs;
    if !settings.web_dir.join("index.html").is_file() {
        tracing::warn!(web_dir = %settings.web_dir.display(), "web app not built: run scripts/build-web.sh");
    }
    // Before any job starts: a bad mail setting stops the server rather than leaving notices unsent.
    let sender = crate::notices::sender::from_settings(&settings.notify).map_err(StartError::Notices)?;
    let metrics_gate = settings.performance.gate().map_err(StartError::MetricsToken)?;
    let instance = crate::performance::archive::instance_name(listener.local_addr().ok());
    spawn_daily_jobs(state.clone(), settings.identity.dormant_days, settings.records.objection_contact_days);
    spawn_daily_anchor(state.clone());
    crate::prework::sweep::spawn(state.clone(), settings.daily_check.deadline);
    crate::backups::schedule::spawn(state.clone(), crate::backups::run::Environment::of(&settings));
    crate::dbadmin::collect::spawn(state.clone());
    let probes = crate::ops::checks::Probes::of(&settings);
    crate::ops::scheduler::spawn(state.clone(), probes, settings.health.clone());
    let interval = std::time::Duration::from_secs(settings.notify.notice_interval_seconds);
    crate::notices::worker::spawn(state.pool().clone(), sender, interval);
    let every = std::time::Duration::from_secs(settings.performance.interval_seconds);
    crate::performance::archive::spawn(state.clone(), every, instance);
    let blocking_threads = blocking_threads(state.backend(), state.pool().max_size(), workers);
    let context = AppContext::new(state, settings, metrics_gate);
    let server = HttpServer::new(move || app::build(&context))
        .workers(workers)
        .worker_max_blocking_threads(blocking_threads)
        .shutdown_timeout(shutdown)
        .listen(listener)?
        .run();
    Ok(server)
}

/// Database work runs on each worker's blocking threads. With actix's default (512 shared by the workers) every
/// concurrent request got a thread of its own, and under load hundreds of them took turns at the pool's lock and
/// each grew its own allocator arena; further work now queues, cheaply, in the runtime. PostgreSQL works in its own
/// processes, so each worker gets its share of the pool's connections. SQLite works inside ours, on the server's
/// cores, one writer at a time: two threads per worker (one may wait for the writer's turn while the other works).
/// With four, audited reads (each one a write) ran at a third of the rate, the threads mostly waiting on each other
/// (docs/performance.md).
fn blocking_threads(backend: crate::db::Backend, pool_size: u32, workers: usize) -> usize {
    match backend {
        crate::db::Backend::Sqlite => 2,
        crate::db::Backend::Postgres => (pool_size as usize / workers.max(1)).max(2),
    }
}

/// Runs the daily jobs now and then once a day, for as long as the server runs: the account lifecycle,
/// the query planner's statistics (SQLite), record expiry, escalation of overdue objections and
/// the purge of appellants' contact details. The audit anchor has its own daily task (`spawn_daily_anchor`),
/// since its first run is part of the start itself.
fn spawn_daily_jobs(state: AppState, dormant_days: i64, contact_days: u32) {
    actix_web::rt::spawn(async move {
        let mut daily = actix_web::rt::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
        loop {
            daily.tick().await;
            let now = crate::audit::chain::to_micros(chrono::Utc::now().naive_utc());
            let outcome = state
                .write(move |conn| crate::identity::lifecycle::disable_expired_and_dormant(conn, now, dormant_days))
                .await;
            match outcome {
                Ok(disabled) if !disabled.is_empty() => {
                    tracing::info!(count = disabled.len(), "disabled expired or dormant accounts")
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "account lifecycle job failed"),
            }
            if let Err(error) = state.maintain(|conn| Ok(crate::db::optimize(conn, false)?)).await {
                tracing::error!(%error, "refreshing the query planner's statistics failed");
            }
            let today = crate::clock::local_date(now);
            match state.write(move |conn| crate::records::expiry::mark_expired(conn, today, now)).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "marked records past their publication period"),
                Err(error) => tracing::error!(%error, "record expiry job failed"),
            }
            match state.write(move |conn| crate::objections::jobs::escalate_overdue(conn, today, now)).await {
                Ok(0) => {}
                Ok(count) => tracing::warn!(count, "escalated objections past their deadline"),
                Err(error) => tracing::error!(%error, "objection escalation job failed"),
            }
            match state.write(move |conn| crate::objections::jobs::purge_contacts(conn, now, contact_days)).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "purged appellants' contact details"),
                Err(error) => tracing::error!(%error, "objection contact purge job failed"),
            }
        }
    });
}

/// Anchors the audit chain's head once a day, a day after the anchor written at start.
fn spawn_daily_anchor(state: AppState) {
    actix_web::rt::spawn(async move {
        let day = std::time::Duration::from_secs(24 * 60 * 60);
        let mut daily = actix_web::rt::time::interval_at(actix_web::rt::time::Instant::now() + day, day);
        loop {
            daily.tick().await;
            let (key, path): (Arc<AuditKey>, PathBuf) = (state.audit_key().clone(), state.audit_anchors().to_owned());
            let anchored = state
                .read(move |conn| Ok(crate::audit::anchor::write_head(conn, &key, &path, chrono::Utc::now())?))
                .await;
            if let Err(error) = anchored {
                tracing::error!(%error, "anchoring the audit chain's head failed");
            }
        }
    });
}

/// `credit-api serve`: prints the configuration, prepares storage, then serves until SIGINT/SIGTERM.
/// Preparation (blocking database work) runs before the async runtime starts.
pub fn serve(settings: Settings) -> Result<(), StartError> {
    for (name, value) in settings.describe() {
        tracing::info!("config {name}: {value}");
    }
    if settings.identity.demo {
        tracing::warn!("demo mode: demo accounts sign in with their published password; never run it with real data");
    }
    let state = prepare(&settings)?;
    let listener = TcpListener::bind(settings.bind)?;
    let address = listener.local_addr()?;
    actix_web::rt::System::new().block_on(async move {
        let server = start(settings, state, listener)?;
        tracing::info!(%address, "serving: web app at http://{address}/, API docs at http://{address}/api/docs");
        server.await?;
        tracing::info!("stopped");
        Ok(())
    })
}

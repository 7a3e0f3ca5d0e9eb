//! What every handler can reach: the database pool and the secrets loaded at start.

use crate::config::{IdentitySettings, RecordsSettings};
use crate::db::{Backend, Db, DbPool};
use crate::error::ApiResult;
use crate::keys::{AuditKey, ContactKey};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The keys loaded at start, all kept outside the database, and the file the audit chain's head is anchored to.
pub struct Keys {
    pub token_key: crate::token_key::TokenKey,
    pub audit_key: Arc<AuditKey>,
    pub contact_key: Arc<ContactKey>,
    pub audit_anchors: PathBuf,
}

#[derive(Clone)]
pub struct AppState {
    pool: DbPool,
    backend: Backend,
    token_key: Arc<crate::token_key::TokenKey>,
    audit_key: Arc<AuditKey>,
    contact_key: Arc<ContactKey>,
    audit_anchors: Arc<PathBuf>,
    identity: Arc<IdentitySettings>,
    limiter: Arc<crate::http::rate_limit::RateLimiter>,
    records: Arc<RecordsSettings>,
    window: Arc<crate::http::metrics::RequestWindow>,
}

impl AppState {
    pub fn new(
        pool: DbPool,
        backend: Backend,
        keys: Keys,
        identity: IdentitySettings,
        records: RecordsSettings,
    ) -> Self {
        Self {
            pool,
            backend,
            token_key: Arc::new(keys.token_key),
            audit_key: keys.audit_key,
            contact_key: keys.contact_key,
            audit_anchors: Arc::new(keys.audit_anchors),
            identity: Arc::new(identity),
            limiter: Arc::default(),
            records: Arc::new(records),
            window: Arc::default(),
        }
    }

    /// Portal and intake limits.
    pub fn records(&self) -> &RecordsSettings {
        &self.records
    }

    /// The latencies of this app's requests since the performance archive's last snapshot.
    pub fn request_window(&self) -> &Arc<crate::http::metrics::RequestWindow> {
        &self.window
    }

    /// The connection pool, for work that outlives a request (batch intake).
    pub fn pool(&self) -> &DbPool {
        &self.pool
    }

    /// Request limits of API clients and of portal visitors (keys are prefixed by kind).
    pub fn limiter(&self) -> &crate::http::rate_limit::RateLimiter {
        &self.limiter
    }

    pub fn identity(&self) -> &IdentitySettings {
        &self.identity
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The key that signs access tokens.
    pub fn token_key(&self) -> &crate::token_key::TokenKey {
        &self.token_key
    }

    /// The key that MACs the audit chain; every database work of this state runs in its scope.
    pub fn audit_key(&self) -> &Arc<AuditKey> {
        &self.audit_key
    }

    /// The key of appellants' contact keys.
    pub fn contact_key(&self) -> &Arc<ContactKey> {
        &self.contact_key
    }

    /// The file the audit chain's head is anchored to.
    pub fn audit_anchors(&self) -> &Path {
        &self.audit_anchors
    }

    /// Runs `work` in a read-only transaction (`db::read_transaction`) on actix's blocking pool, never on the event
    /// loop: its statements see one snapshot, and any write in it fails. Audited reads read here, then append
    /// their event through [`AppState::write`].
    pub async fn read<T, F>(&self, work: F) -> ApiResult<T>
    where
        F: FnOnce(&mut Db) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.on_blocking_pool(move |conn| crate::db::read_transaction(conn, work)).await
    }

    /// Runs `work` in one write transaction (`db::write_transaction`) on actix's blocking pool: everything it
    /// writes commits together when it returns `Ok`, and nothing when it returns an error. The only way handlers
    /// write.
    pub async fn write<T, F>(&self, work: F) -> ApiResult<T>
    where
        F: FnOnce(&mut Db) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.on_blocking_pool(move |conn| crate::db::write_transaction(conn, work)).await
    }

    /// Runs upkeep and probes that neither read nor write the platform's data (a ping, the migration state, the
    /// planner's statistics) on a connection outside any transaction, on the blocking pool.
    pub async fn maintain<T, F>(&self, work: F) -> ApiResult<T>
    where
        F: FnOnce(&mut Db) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.on_blocking_pool(work).await
    }

    async fn on_blocking_pool<T, F>(&self, work: F) -> ApiResult<T>
    where
        F: FnOnce(&mut Db) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        use crate::http::metrics::{Tracked, BLOCKING_IN_FLIGHT, BLOCKING_QUEUED, POOL_WAITING};
        let pool = self.pool.clone();
        let request = crate::http::request_context::current();
        let audit_key = self.audit_key.clone();
        // Gauges of the blocking pool's queue; moved into the work, so they fall even if it never runs.
        let (queued, in_flight) = (Tracked::enter(BLOCKING_QUEUED), Tracked::enter(BLOCKING_IN_FLIGHT));
        actix_web::web::block(move || {
            drop(queued);
            let _in_flight = in_flight;
            crate::http::request_context::sync_scope(request, || {
                AuditKey::scope(audit_key, || {
                    let waiting = Tracked::enter(POOL_WAITING);
                    let mut conn = pool.get()?;
                    drop(waiting);
                    work(&mut conn)
                })
            })
        })
        .await?
    }
}

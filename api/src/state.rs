//! What every handler can reach: the database pool and the secrets loaded at start.

use crate::config::{IdentitySettings, RecordsSettings};
use crate::db::{Backend, Db, DbPool};
use crate::error::ApiResult;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pool: DbPool,
    backend: Backend,
    token_key: Arc<crate::token_key::TokenKey>,
    identity: Arc<IdentitySettings>,
    limiter: Arc<crate::http::rate_limit::RateLimiter>,
    records: Arc<RecordsSettings>,
}

impl AppState {
    pub fn new(
        pool: DbPool,
        backend: Backend,
        token_key: crate::token_key::TokenKey,
        identity: IdentitySettings,
        records: RecordsSettings,
    ) -> Self {
        Self {
            pool,
            backend,
            token_key: Arc::new(token_key),
            identity: Arc::new(identity),
            limiter: Arc::default(),
            records: Arc::new(records),
        }
    }

    /// Portal and intake limits.
    pub fn records(&self) -> &RecordsSettings {
        &self.records
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
        let pool = self.pool.clone();
        let request = crate::http::request_context::current();
        actix_web::web::block(move || {
            crate::http::request_context::sync_scope(request, || {
                let mut conn = pool.get()?;
                work(&mut conn)
            })
        })
        .await?
    }
}

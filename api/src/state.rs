//! What every handler can reach: the database pool and the secrets loaded at start.

use crate::config::{IdentitySettings, RecordsSettings};
use crate::db::{Backend, Db, DbPool};
use crate::error::ApiError;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pool: DbPool,
    backend: Backend,
    token_key: Arc<crate::token_key::TokenKey>,
    identity: Arc<IdentitySettings>,
    limiter: Arc<crate::identity::rate_limit::RateLimiter>,
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
    pub fn limiter(&self) -> &crate::identity::rate_limit::RateLimiter {
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

    /// Runs blocking database work on actix's blocking pool, never on the event loop.
    pub async fn db<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut Db) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            work(&mut conn)
        })
        .await?
    }
}

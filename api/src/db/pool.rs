//! The r2d2 connection pool, with a manager that picks the backend from the URL and tunes SQLite on connect.

use super::{Db, DbTarget};
use diesel::connection::SimpleConnection;
use diesel::r2d2::R2D2Connection;
use diesel::{Connection, PgConnection, SqliteConnection};
use std::time::Duration;

pub type DbPool = r2d2::Pool<DbManager>;
pub type PooledDb = r2d2::PooledConnection<DbManager>;

/// How long a SQLite writer waits for a lock held by another connection before giving up.
const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;

/// Opens connections to the backend `DbTarget` names.
#[derive(Debug)]
pub struct DbManager {
    target: DbTarget,
}

impl DbManager {
    pub fn new(target: DbTarget) -> Self {
        Self { target }
    }

    /// A pool sized for the backend: SQLite serialises writers anyway, so fewer connections suffice.
    pub fn pool(target: DbTarget) -> Result<DbPool, r2d2::Error> {
        let size = match target {
            DbTarget::Sqlite(_) => 8,
            DbTarget::Postgres(_) => 16,
        };
        r2d2::Pool::builder().max_size(size).connection_timeout(Duration::from_secs(10)).build(Self::new(target))
    }
}

impl r2d2::ManageConnection for DbManager {
    type Connection = Db;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<Db, Self::Error> {
        match &self.target {
            DbTarget::Sqlite(path) => {
                let path = path.to_string_lossy();
                let mut conn = SqliteConnection::establish(&path).map_err(diesel::r2d2::Error::ConnectionError)?;
                // WAL lets readers run beside the single writer; foreign keys are off by default in SQLite.
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};
                     PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = NORMAL;
                     PRAGMA foreign_keys = ON;"
                ))
                .map_err(diesel::r2d2::Error::QueryError)?;
                Ok(Db::Sqlite(conn))
            }
            DbTarget::Postgres(url) => {
                PgConnection::establish(url).map(Db::Postgres).map_err(diesel::r2d2::Error::ConnectionError)
            }
        }
    }

    fn is_valid(&self, conn: &mut Db) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    /// A connection dropped while a thread unwinds may be inside a transaction (or a read-only one's
    /// `query_only`): it is closed rather than handed to the next request.
    fn has_broken(&self, conn: &mut Db) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

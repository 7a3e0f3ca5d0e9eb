//! Storage: one diesel code path over SQLite (embedded default) and PostgreSQL (production).
//!
//! `Db` is a diesel `MultiConnection`, so queries are written once with the common DSL. The backend is chosen
//! from the URL scheme by our own r2d2 manager, never by trial connection: a `postgres://` URL handed to
//! SQLite would silently become a file name.

pub mod jobs;
pub mod migrate;
mod pool;

pub use jobs::{claim_run, slot_of};
pub use pool::{DbManager, DbPool, PooledDb};

use diesel::{PgConnection, SqliteConnection};
use std::fmt;
use std::path::PathBuf;

/// A connection to either backend; the query DSL works on both.
#[derive(diesel::MultiConnection)]
pub enum Db {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

impl Db {
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }
}

/// A multi-row `INSERT` of `values` into `table`. Diesel's `MultiConnection` cannot express batch inserts, so
/// the same statement is built for the concrete connection; the `Insertable` types must write `NULL` for `None`
/// (`treat_none_as_default_value = false`), as SQLite has no `DEFAULT` in multi-row `VALUES`.
#[macro_export]
macro_rules! insert_many {
    ($conn:expr, $table:expr, $values:expr) => {
        match $conn {
            $crate::db::Db::Sqlite(c) => diesel::RunQueryDsl::execute(diesel::insert_into($table).values($values), c),
            $crate::db::Db::Postgres(c) => diesel::RunQueryDsl::execute(diesel::insert_into($table).values($values), c),
        }
    };
}

/// A `LIKE` pattern matching text that contains `words` (trimmed) literally: `%`, `_` and the backslash are escaped
/// with a backslash, so the query must say `.escape('\\')`.
pub fn contains_pattern(words: &str) -> String {
    let escaped: String = words
        .trim()
        .chars()
        .flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] })
        .collect();
    format!("%{escaped}%")
}

/// A new row id: a UUIDv7, so ids sort by creation time and new rows land at the end of their index.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Where the database lives, parsed from `DATABASE_URL`.
#[derive(Clone, PartialEq, Eq)]
pub enum DbTarget {
    /// A SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL (may carry a password: never print it raw).
    Postgres(String),
}

/// `DATABASE_URL` names no supported backend.
#[derive(Debug, thiserror::Error)]
#[error("unsupported database URL {0:?}: use sqlite://<path> or postgres://<user>@<host>/<database>")]
pub struct UnsupportedUrl(pub String);

impl DbTarget {
    /// Parses `sqlite://relative/file.db`, `sqlite:///absolute/file.db`, `postgres://…` or `postgresql://…`.
    pub fn parse(url: &str) -> Result<Self, UnsupportedUrl> {
        if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            if path.is_empty() {
                return Err(UnsupportedUrl(url.to_owned()));
            }
            return Ok(DbTarget::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DbTarget::Postgres(url.to_owned()));
        }
        Err(UnsupportedUrl(redact(url)))
    }

    pub fn backend(&self) -> Backend {
        match self {
            DbTarget::Sqlite(_) => Backend::Sqlite,
            DbTarget::Postgres(_) => Backend::Postgres,
        }
    }
}

/// Shown in logs and at start-up: the password of a PostgreSQL URL is replaced by `***`.
impl fmt::Display for DbTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbTarget::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            DbTarget::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

impl fmt::Debug for DbTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Hides the password in `scheme://user:password@host/…` and in query parameters (`?password=…`,
/// `sslpassword=…`), which libpq accepts as well.
pub fn redact(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let base = redact_userinfo(base);
    match query {
        None => base,
        Some(query) => {
            let params: Vec<String> = query
                .split('&')
                .map(|param| match param.split_once('=') {
                    Some((name, _)) if name.to_ascii_lowercase().contains("password") => format!("{name}=***"),
                    _ => param.to_owned(),
                })
                .collect();
            format!("{base}?{}", params.join("&"))
        }
    }
}

fn redact_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let (authority, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// Keeps SQLite's query-planner statistics current, as SQLite advises for long-lived connections: `at_start` on
/// opening (which analyses tables never analysed before), then periodically. Without statistics SQLite guesses that
/// an equality on any indexed column picks out a handful of rows, and plans a record list filtered by disclosure
/// class as a union of index lookups sorted afterwards, instead of walking the newest records in id order; on a
/// million records that is seconds instead of a millisecond. PostgreSQL keeps its statistics itself (autovacuum).
/// Each run is noted in `db_upkeep` (task `optimize`), which the database administrator's snapshots show.
pub fn optimize(conn: &mut Db, at_start: bool) -> diesel::QueryResult<()> {
    use diesel::connection::SimpleConnection;
    use diesel::{ExpressionMethods, RunQueryDsl};
    match conn {
        Db::Sqlite(sqlite) => {
            sqlite.batch_execute(if at_start { "PRAGMA optimize = 0x10002;" } else { "PRAGMA optimize;" })?;
            let now = chrono::Utc::now().naive_utc();
            diesel::insert_into(crate::schema::db_upkeep::table)
                .values((crate::schema::db_upkeep::task.eq(OPTIMIZE_TASK), crate::schema::db_upkeep::done_at.eq(now)))
                .on_conflict(crate::schema::db_upkeep::task)
                .do_update()
                .set(crate::schema::db_upkeep::done_at.eq(now))
                .execute(sqlite)?;
            Ok(())
        }
        Db::Postgres(_) => Ok(()),
    }
}

/// The `db_upkeep` task of [`optimize`].
pub const OPTIMIZE_TASK: &str = "optimize";

/// Runs `work` in a transaction that holds the database's write lock from its first statement.
///
/// SQLite starts transactions deferred: one that reads first and writes later cannot upgrade its lock when another
/// writer committed meanwhile, and fails at once with SQLITE_BUSY instead of waiting. Taking the write lock up
/// front (a no-op UPDATE matching no row) makes concurrent writers queue behind the busy timeout instead.
///
/// Within the process, SQLite writers also queue on a lock of ours before they begin: SQLite's busy handler waits by
/// sleeping (1, 2, 5, 10 … 100 ms) and retrying, so under load writers slept while the database lock stood free,
/// and dozens of concurrent audited requests managed a few hundred writes a second. Nested calls on the same thread
/// (a write that appends its audit event) do not take it again. PostgreSQL needs none of this.
pub fn write_transaction<T, E, F>(conn: &mut Db, work: F) -> Result<T, E>
where
    F: FnOnce(&mut Db) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::{Connection, RunQueryDsl};
    let _turn = match conn {
        Db::Sqlite(_) => SqliteWriterTurn::take(),
        Db::Postgres(_) => None,
    };
    conn.transaction(|conn| {
        if let Db::Sqlite(sqlite) = conn {
            diesel::sql_query("UPDATE audit_head SET seq = seq WHERE id = 0").execute(sqlite)?;
        }
        work(conn)
    })
}

/// Runs `work` in a transaction that refuses writes: PostgreSQL's `READ ONLY` transaction, SQLite's `query_only`
/// for its duration. Its statements see one snapshot (a list and its count agree), and a read path cannot change
/// data by mistake: a write in it fails (and with it the request) on both backends.
pub fn read_transaction<T, E, F>(conn: &mut Db, work: F) -> Result<T, E>
where
    F: FnOnce(&mut Db) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
    match conn {
        Db::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN; PRAGMA query_only = 1;")?,
        Db::Postgres(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN TRANSACTION READ ONLY")?,
    }
    let outcome = work(conn);
    let ended = match conn {
        Db::Sqlite(c) => {
            let reset = c.batch_execute("PRAGMA query_only = 0;");
            let end = if outcome.is_ok() {
                AnsiTransactionManager::commit_transaction(c)
            } else {
                AnsiTransactionManager::rollback_transaction(c)
            };
            reset.and(end)
        }
        Db::Postgres(c) => {
            if outcome.is_ok() {
                AnsiTransactionManager::commit_transaction(c)
            } else {
                AnsiTransactionManager::rollback_transaction(c)
            }
        }
    };
    let value = outcome?;
    ended?;
    Ok(value)
}

/// The process's SQLite writers, one at a time.
static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

thread_local! {
    /// Whether this thread holds `SQLITE_WRITER` already (a nested write transaction).
    static HOLDS_SQLITE_WRITER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// This thread's turn to write to SQLite, released when dropped; `None` when the thread has it already.
struct SqliteWriterTurn {
    _guard: std::sync::MutexGuard<'static, ()>,
}

impl SqliteWriterTurn {
    fn take() -> Option<SqliteWriterTurn> {
        if HOLDS_SQLITE_WRITER.get() {
            return None;
        }
        let waiting = std::time::Instant::now();
        let guard = SQLITE_WRITER.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        metrics::histogram!(crate::http::metrics::SQLITE_WRITER_WAIT).record(waiting.elapsed().as_secs_f64());
        HOLDS_SQLITE_WRITER.set(true);
        Some(SqliteWriterTurn { _guard: guard })
    }
}

impl Drop for SqliteWriterTurn {
    fn drop(&mut self) {
        HOLDS_SQLITE_WRITER.set(false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_follows_the_scheme() {
        assert_eq!(DbTarget::parse("sqlite://data/credit.db").ok(), Some(DbTarget::Sqlite("data/credit.db".into())));
        assert_eq!(DbTarget::parse("sqlite:///var/lib/c.db").ok(), Some(DbTarget::Sqlite("/var/lib/c.db".into())));
        assert_eq!(DbTarget::parse("postgres://u@h/db").map(|t| t.backend()).ok(), Some(Backend::Postgres));
        assert_eq!(DbTarget::parse("postgresql://u@h/db").map(|t| t.backend()).ok(), Some(Backend::Postgres));
        assert!(DbTarget::parse("mysql://u@h/db").is_err());
        assert!(DbTarget::parse("sqlite://").is_err());
    }

    #[test]
    fn passwords_never_show() {
        assert_eq!(redact("postgres://credit:s3cret@db:5432/credit"), "postgres://credit:***@db:5432/credit");
        assert_eq!(redact("postgres://credit@db/credit"), "postgres://credit@db/credit");
        assert_eq!(
            redact("postgres://credit@db/credit?sslmode=require&password=s3cret"),
            "postgres://credit@db/credit?sslmode=require&password=***"
        );
        assert!(!redact("postgresql://h/db?user=u&PASSWORD=x&sslpassword=y").contains('x'));
        let shown = DbTarget::parse("postgres://a:b@c/d").map(|t| t.to_string()).unwrap_or_default();
        assert!(!shown.contains(":b@"));
        let err = DbTarget::parse("mysql://root:hunter2@h/db").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(!err.contains("hunter2"));
    }
}

//! Collects the figures of the database in use, on a connection outside any transaction
//! (`AppState::maintain`): SQLite's integrity check, sizes, free pages, write-ahead log and planner statistics;
//! PostgreSQL's version, size, connections, longest transaction, deadlocks and conflicts, dead tuples of the largest
//! tables and replication.

use crate::db::Db;
use crate::schema::db_upkeep;
use chrono::{NaiveDateTime, TimeZone, Utc};
use credit_types::dbadmin::{DbFigures, OpenTransaction, PostgresFigures, ReplicaFigures, SqliteFigures, TableFigures};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Double, Nullable, Text, Timestamp};
use diesel::{PgConnection, SqliteConnection};

/// How many of the largest tables a PostgreSQL snapshot lists.
pub const LARGEST_TABLES: i64 = 10;

/// At most this many problems of `PRAGMA quick_check` are kept.
const QUICK_CHECK_LINES: usize = 20;

/// The figures of the database behind `conn`.
pub fn collect(conn: &mut Db) -> QueryResult<DbFigures> {
    match conn {
        Db::Sqlite(sqlite) => Ok(DbFigures::Sqlite(sqlite_figures(sqlite)?)),
        Db::Postgres(pg) => Ok(DbFigures::Postgres(postgres_figures(pg)?)),
    }
}

#[derive(QueryableByName)]
struct QuickCheck {
    #[diesel(sql_type = Text)]
    quick_check: String,
}

#[derive(QueryableByName)]
struct PageCount {
    #[diesel(sql_type = BigInt)]
    page_count: i64,
}

#[derive(QueryableByName)]
struct PageSize {
    #[diesel(sql_type = BigInt)]
    page_size: i64,
}

#[derive(QueryableByName)]
struct FreelistCount {
    #[diesel(sql_type = BigInt)]
    freelist_count: i64,
}

#[derive(QueryableByName)]
struct DatabaseFile {
    #[diesel(sql_type = Text)]
    file: String,
}

fn sqlite_figures(conn: &mut SqliteConnection) -> QueryResult<SqliteFigures> {
    let quick_check: Vec<QuickCheck> =
        diesel::sql_query(format!("PRAGMA quick_check({QUICK_CHECK_LINES})")).load(conn)?;
    let page_count = diesel::sql_query("PRAGMA page_count").get_result::<PageCount>(conn)?.page_count;
    let page_size = diesel::sql_query("PRAGMA page_size").get_result::<PageSize>(conn)?.page_size;
    let free_pages = diesel::sql_query("PRAGMA freelist_count").get_result::<FreelistCount>(conn)?.freelist_count;
    let file = diesel::sql_query("SELECT file FROM pragma_database_list WHERE name = 'main'")
        .get_result::<DatabaseFile>(conn)
        .optional()?
        .map(|f| f.file)
        .filter(|f| !f.is_empty());
    let wal_bytes = file
        .and_then(|file| std::fs::metadata(format!("{file}-wal")).ok())
        .map(|meta| i64::try_from(meta.len()).unwrap_or(i64::MAX));
    let statistics_refreshed_at: Option<NaiveDateTime> =
        db_upkeep::table.find(crate::db::OPTIMIZE_TASK).select(db_upkeep::done_at).first(conn).optional()?;
    Ok(SqliteFigures {
        quick_check: quick_check.into_iter().map(|r| r.quick_check).collect(),
        size_bytes: page_count.saturating_mul(page_size),
        page_count,
        page_size,
        free_pages,
        wal_bytes,
        statistics_refreshed_at: statistics_refreshed_at.map(|at| Utc.from_utc_datetime(&at)),
    })
}

#[derive(QueryableByName)]
struct ServerRow {
    #[diesel(sql_type = Text)]
    version: String,
    #[diesel(sql_type = BigInt)]
    size_bytes: i64,
    #[diesel(sql_type = BigInt)]
    connections: i64,
    #[diesel(sql_type = BigInt)]
    max_connections: i64,
    #[diesel(sql_type = Bool)]
    in_recovery: bool,
    #[diesel(sql_type = BigInt)]
    deadlocks: i64,
    #[diesel(sql_type = BigInt)]
    conflicts: i64,
}

#[derive(QueryableByName)]
struct TransactionRow {
    #[diesel(sql_type = Double)]
    seconds: f64,
    #[diesel(sql_type = Nullable<Text>)]
    state: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    application_name: Option<String>,
}

#[derive(QueryableByName)]
struct TableRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = BigInt)]
    size_bytes: i64,
    #[diesel(sql_type = BigInt)]
    live_tuples: i64,
    #[diesel(sql_type = BigInt)]
    dead_tuples: i64,
    #[diesel(sql_type = Nullable<Timestamp>)]
    last_vacuum_at: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    last_analyze_at: Option<NaiveDateTime>,
}

#[derive(QueryableByName)]
struct ReplicaRow {
    #[diesel(sql_type = Text)]
    application_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    client_address: Option<String>,
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = Text)]
    sync_state: String,
    #[diesel(sql_type = Nullable<Double>)]
    replay_lag_seconds: Option<f64>,
}

const SERVER: &str = "SELECT current_setting('server_version') AS version, \
    pg_database_size(current_database()) AS size_bytes, \
    (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS connections, \
    current_setting('max_connections')::bigint AS max_connections, \
    pg_is_in_recovery() AS in_recovery, \
    COALESCE(d.deadlocks, 0)::bigint AS deadlocks, COALESCE(d.conflicts, 0)::bigint AS conflicts \
    FROM pg_stat_database d WHERE d.datname = current_database()";

const LONGEST_TRANSACTION: &str = "SELECT EXTRACT(EPOCH FROM clock_timestamp() - xact_start)::float8 AS seconds, \
    state, application_name FROM pg_stat_activity \
    WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid() AND backend_type = 'client backend' \
    ORDER BY xact_start LIMIT 1";

const TABLES: &str = "SELECT relname::text AS table_name, pg_total_relation_size(relid) AS size_bytes, \
    n_live_tup AS live_tuples, n_dead_tup AS dead_tuples, \
    GREATEST(last_vacuum, last_autovacuum) AT TIME ZONE 'UTC' AS last_vacuum_at, \
    GREATEST(last_analyze, last_autoanalyze) AT TIME ZONE 'UTC' AS last_analyze_at \
    FROM pg_stat_user_tables ORDER BY pg_total_relation_size(relid) DESC, relname LIMIT $1";

const REPLICAS: &str = "SELECT application_name, client_addr::text AS client_address, \
    COALESCE(state, '') AS state, COALESCE(sync_state, '') AS sync_state, \
    EXTRACT(EPOCH FROM replay_lag)::float8 AS replay_lag_seconds \
    FROM pg_stat_replication ORDER BY application_name";

fn postgres_figures(conn: &mut PgConnection) -> QueryResult<PostgresFigures> {
    let server: ServerRow = diesel::sql_query(SERVER).get_result(conn)?;
    let longest: Option<TransactionRow> = diesel::sql_query(LONGEST_TRANSACTION).get_result(conn).optional()?;
    let tables: Vec<TableRow> = diesel::sql_query(TABLES).bind::<BigInt, _>(LARGEST_TABLES).load(conn)?;
    let replicas: Vec<ReplicaRow> = diesel::sql_query(REPLICAS).load(conn)?;
    let utc = |at: Option<NaiveDateTime>| at.map(|at| Utc.from_utc_datetime(&at));
    Ok(PostgresFigures {
        version: server.version,
        size_bytes: server.size_bytes,
        connections: server.connections,
        max_connections: server.max_connections,
        longest_transaction: longest.map(|t| OpenTransaction {
            seconds: t.seconds,
            state: t.state,
            application_name: t.application_name.filter(|a| !a.is_empty()),
        }),
        deadlocks: server.deadlocks,
        conflicts: server.conflicts,
        in_recovery: server.in_recovery,
        tables: tables
            .into_iter()
            .map(|t| TableFigures {
                table: t.table_name,
                size_bytes: t.size_bytes,
                live_tuples: t.live_tuples,
                dead_tuples: t.dead_tuples,
                last_vacuum_at: utc(t.last_vacuum_at),
                last_analyze_at: utc(t.last_analyze_at),
            })
            .collect(),
        replicas: replicas
            .into_iter()
            .map(|r| ReplicaFigures {
                application_name: r.application_name,
                client_address: r.client_address,
                state: r.state,
                sync_state: r.sync_state,
                replay_lag_seconds: r.replay_lag_seconds,
            })
            .collect(),
    })
}

//! Taking a consistent copy of the live database and putting one back: SQLite's `VACUUM INTO`, whose copy is
//! itself the snapshot the row counts and the audit head are read from; PostgreSQL's `pg_dump --format=custom` of a
//! snapshot exported by a repeatable-read transaction that reads the counts and the head first; `pg_restore` back.

use crate::db::{Db, DbTarget};
use crate::schema::audit_head;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the PostgreSQL client tools are, when configured (`--pg-dump`, `--pg-restore`).
#[derive(Debug, Clone, Default)]
pub struct Tools {
    pub pg_dump: Option<PathBuf>,
    pub pg_restore: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(
        "{0} not found: set --{0} (CREDIT_PG_DUMP / CREDIT_PG_RESTORE), put it on PATH, or install Debian's \
         postgresql-client"
    )]
    ToolMissing(&'static str),
    #[error("{tool} failed ({status}): {stderr}")]
    ToolFailed { tool: String, status: String, stderr: String },
    #[error("{what}: {source}")]
    Io { what: String, source: std::io::Error },
    #[error("database: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("cannot connect to {target}: {detail}")]
    Connect { target: String, detail: String },
}

/// What a copy holds: rows per table and the audit chain's head, read in the copy's own snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub table_rows: BTreeMap<String, i64>,
    pub audit_seq: i64,
    pub audit_hash: String,
}

impl Tools {
    /// The configured tool, else the one on PATH, else the newest in Debian's `/usr/lib/postgresql/*/bin`.
    pub fn find(&self, name: &'static str) -> Result<PathBuf, CopyError> {
        let configured = match name {
            "pg-dump" => &self.pg_dump,
            _ => &self.pg_restore,
        };
        if let Some(path) = configured {
            return Ok(path.clone());
        }
        let program = name.replace('-', "_");
        let on_path = std::env::var_os("PATH")
            .map(|paths| std::env::split_paths(&paths).map(|dir| dir.join(&program)).collect::<Vec<_>>())
            .unwrap_or_default();
        if let Some(found) = on_path.into_iter().find(|p| p.is_file()) {
            return Ok(found);
        }
        let mut debian: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path().join("bin").join(&program))
            .filter(|p| p.is_file())
            .collect();
        debian.sort_by_key(|p| {
            let version = p.components().nth(4).map(|c| c.as_os_str().to_string_lossy().into_owned());
            version.and_then(|v| v.parse::<u32>().ok()).unwrap_or(0)
        });
        debian.pop().ok_or(CopyError::ToolMissing(name))
    }
}

#[derive(QueryableByName)]
struct Named {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The platform's tables (every table of the database: SQLite's own excepted).
pub fn tables(conn: &mut Db) -> QueryResult<Vec<String>> {
    let sql = match conn {
        Db::Sqlite(_) => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        Db::Postgres(_) => "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    };
    Ok(diesel::sql_query(sql).load::<Named>(conn)?.into_iter().map(|n| n.name).collect())
}

/// Rows per table and the audit head, as `conn` sees them.
pub fn read_snapshot(conn: &mut Db) -> QueryResult<Snapshot> {
    let mut table_rows = BTreeMap::new();
    for table in tables(conn)? {
        let quoted = format!("\"{}\"", table.replace('"', "\"\""));
        let counted: Counted = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {quoted}")).get_result(conn)?;
        table_rows.insert(table, counted.n);
    }
    let (audit_seq, audit_hash) = audit_head::table.find(1).select((audit_head::seq, audit_head::hash)).first(conn)?;
    Ok(Snapshot { table_rows, audit_seq, audit_hash })
}

/// Copies the live database behind `conn` (outside any transaction) into the new file `plain`.
pub fn take(conn: &mut Db, database: &DbTarget, tools: &Tools, plain: &Path) -> Result<Snapshot, CopyError> {
    match database {
        DbTarget::Sqlite(_) => {
            let target = plain.to_string_lossy().replace('\'', "''");
            conn.batch_execute(&format!("VACUUM INTO '{target}'"))?;
            let mut copy = open_sqlite(plain)?;
            Ok(read_snapshot(&mut copy)?)
        }
        DbTarget::Postgres(url) => {
            let pg_dump = tools.find("pg-dump")?;
            let Db::Postgres(pg) = conn else { return Err(CopyError::ToolMissing("pg-dump")) };
            AnsiTransactionManager::begin_transaction_sql(pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
            let outcome = dump_in_snapshot(conn, url, &pg_dump, plain);
            if let Db::Postgres(pg) = conn {
                AnsiTransactionManager::rollback_transaction(pg)?;
            }
            outcome
        }
    }
}

/// Exports the transaction's snapshot, reads the counts and the head in it, and dumps exactly that snapshot.
fn dump_in_snapshot(conn: &mut Db, url: &str, pg_dump: &Path, plain: &Path) -> Result<Snapshot, CopyError> {
    let exported: Named = diesel::sql_query("SELECT pg_export_snapshot() AS name").get_result(conn)?;
    let snapshot = read_snapshot(conn)?;
    let (url, password) = split_password(url);
    let mut command = Command::new(pg_dump);
    command
        .arg("--format=custom")
        .arg(format!("--snapshot={}", exported.name))
        .arg(format!("--file={}", plain.display()))
        .arg(format!("--dbname={url}"));
    run(command, password, "pg_dump")?;
    Ok(snapshot)
}

/// Puts the plain copy `plain` into the empty database `target`.
pub fn restore(plain: &Path, target: &DbTarget, tools: &Tools) -> Result<(), CopyError> {
    match target {
        DbTarget::Sqlite(path) => {
            let io = |source| CopyError::Io { what: format!("restoring into {}", path.display()), source };
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(io)?;
            }
            // A copy beside the target first, then a rename: the target is never half written.
            let partial = path.with_extension("restoring");
            std::fs::copy(plain, &partial).map_err(io)?;
            std::fs::rename(&partial, path).map_err(io)
        }
        DbTarget::Postgres(url) => {
            let pg_restore = tools.find("pg-restore")?;
            let (url, password) = split_password(url);
            let mut command = Command::new(pg_restore);
            command
                .arg("--no-owner")
                .arg("--no-privileges")
                .arg("--exit-on-error")
                .arg("--single-transaction")
                .arg(format!("--dbname={url}"))
                .arg(plain);
            run(command, password, "pg_restore")
        }
    }
}

/// Runs a client tool with the password (if any) in `PGPASSWORD` rather than in its arguments.
fn run(mut command: Command, password: Option<String>, tool: &str) -> Result<(), CopyError> {
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output = command.output().map_err(|source| CopyError::Io { what: format!("starting {tool}"), source })?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    Err(CopyError::ToolFailed {
        tool: tool.to_owned(),
        status: output.status.to_string(),
        stderr: crate::db::redact(stderr.trim()).chars().take(2000).collect(),
    })
}

/// `postgres://user:password@host/db` → (`postgres://user@host/db`, the decoded password): a password never shows in
/// a process list.
pub fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else { return (url.to_owned(), None) };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else { return (url.to_owned(), None) };
    let Some((user, password)) = userinfo.split_once(':') else { return (url.to_owned(), None) };
    let decoded = percent_encoding::percent_decode_str(password).decode_utf8_lossy().into_owned();
    (format!("{scheme}://{user}@{host}{tail}"), Some(decoded))
}

/// The same server's URL naming another database (the query string kept).
pub fn with_database(url: &str, name: &str) -> String {
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

/// A plain connection to a SQLite file (a copy: no pool, no pragmas beyond the defaults).
pub fn open_sqlite(path: &Path) -> Result<Db, CopyError> {
    diesel::SqliteConnection::establish(&path.to_string_lossy())
        .map(Db::Sqlite)
        .map_err(|e| CopyError::Connect { target: path.display().to_string(), detail: e.to_string() })
}

/// A plain connection to a PostgreSQL database.
pub fn open_postgres(url: &str) -> Result<Db, CopyError> {
    diesel::PgConnection::establish(url)
        .map(Db::Postgres)
        .map_err(|e| CopyError::Connect { target: crate::db::redact(url), detail: e.to_string() })
}

/// A connection to `target`, either backend.
pub fn open(target: &DbTarget) -> Result<Db, CopyError> {
    match target {
        DbTarget::Sqlite(path) => open_sqlite(path),
        DbTarget::Postgres(url) => open_postgres(url),
    }
}

/// The tables `target` holds already (none: it is empty and may be restored into). A SQLite file not there yet is
/// empty; it is not created here.
pub fn existing_tables(target: &DbTarget) -> Result<Vec<String>, CopyError> {
    if let DbTarget::Sqlite(path) = target {
        if std::fs::metadata(path).map(|m| m.len() == 0).unwrap_or(true) {
            return Ok(Vec::new());
        }
    }
    let mut conn = open(target)?;
    Ok(tables(&mut conn)?)
}

/// A scratch PostgreSQL database beside the live one, dropped (with its connections) when this value is.
pub struct ScratchDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl ScratchDatabase {
    /// Creates `name` on the server of `live_url` (the platform's role needs CREATEDB).
    pub fn create(live_url: &str, name: &str) -> Result<ScratchDatabase, CopyError> {
        let mut admin = open_postgres(live_url)?;
        // Two statements: several in one string would run as one transaction, which these refuse.
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
        admin.batch_execute(&format!("CREATE DATABASE {name}"))?;
        Ok(ScratchDatabase {
            admin_url: live_url.to_owned(),
            name: name.to_owned(),
            url: with_database(live_url, name),
        })
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let dropped = open_postgres(&self.admin_url).and_then(|mut admin| {
            admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).map_err(Into::into)
        });
        if let Err(error) = dropped {
            tracing::error!(%error, database = %self.name, "could not drop the scratch database");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r14_1_passwords_go_to_the_environment_not_the_arguments() {
        assert_eq!(
            split_password("postgres://credit:p%40ss@db:5432/credit?sslmode=require"),
            ("postgres://credit@db:5432/credit?sslmode=require".to_owned(), Some("p@ss".to_owned()))
        );
        assert_eq!(split_password("postgres://credit@db/credit"), ("postgres://credit@db/credit".to_owned(), None));
        assert_eq!(
            with_database("postgres://u@h:5432/live?x=1", "credit_verify_1"),
            "postgres://u@h:5432/credit_verify_1?x=1"
        );
    }
}

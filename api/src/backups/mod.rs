//! Backups with a proven restore (R-14.1, R-24.1, Art. 14 and 24): the database administrator keeps a plan (time of
//! day, retention, target directory, the `age` public key backups are encrypted to, the file the verifier reads the
//! private key from); the server runs it daily, once across servers; every backup is a consistent copy (SQLite
//! `VACUUM INTO`, PostgreSQL `pg_dump`), compressed and encrypted at rest, recorded with its row counts and the audit
//! chain's head, and restored into a scratch database at once to prove it restores; retention never removes the last
//! verified one. `credit-api backup run | list | verify | restore | keygen` does the same from a shell.

pub mod copy;
pub mod crypto;
pub mod restore;
pub mod routes;
pub mod rules;
pub mod run;
pub mod schedule;
pub mod store;
pub mod view;

use crate::db::Db;
use crate::error::ApiResult;

/// Writes an automatic error entry to the operation log under `source` (`backup:verify`, `backup:run`):
/// what the backup health check and the people keeping the platform read.
fn oplog_error(conn: &mut Db, source: &str, text: &str) -> ApiResult<()> {
    let entry = crate::oplog::NewEntry::automatic(credit_types::oplog::OpLogSeverity::Error, source, text);
    crate::oplog::append(conn, &entry)?;
    Ok(())
}

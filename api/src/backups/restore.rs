//! `credit-api backup restore`: a backup file put back into an EMPTY database only, then its audit chain
//! verified with the audit key and the anchors up to the backup's moment.

use super::copy::{self, Snapshot, Tools};
use super::crypto;
use crate::config::KeyFiles;
use crate::db::DbTarget;
use crate::keys::{AuditKey, KeyFileError};
use std::io::Read;
use std::path::Path;

/// What a restore put back.
#[derive(Debug)]
pub struct Restored {
    pub snapshot: Snapshot,
    /// Why the restored audit chain does not verify (`None`: intact).
    pub chain_problem: Option<String>,
    /// Anchors written after the backup: the events they name are lost with everything after the backup.
    pub newer_anchors: usize,
}

/// Restores `file` into `target`, which must hold no table; decrypts with the identity file `identity`.
pub fn restore(
    file: &Path,
    target: &DbTarget,
    identity: &Path,
    keys: &KeyFiles,
    tools: &Tools,
) -> Result<Restored, String> {
    let existing = copy::existing_tables(target).map_err(|e| e.to_string())?;
    if !existing.is_empty() {
        let some: Vec<&str> = existing.iter().take(3).map(String::as_str).collect();
        return Err(format!(
            "{target} is not empty: it holds {} tables ({}, …). A backup is restored only into an empty database: \
             create a new one and restore into it; nothing was changed",
            existing.len(),
            some.join(", ")
        ));
    }
    let identities = crypto::identities(identity).map_err(|e| e.to_string())?;
    let scratch = tempfile::Builder::new().prefix("credit-restore-").tempdir().map_err(|e| e.to_string())?;
    let plain = scratch.path().join("copy");
    crypto::open(file, &plain, &identities).map_err(|e| format!("{}: {e}", file.display()))?;
    check_kind(&plain, target)?;
    copy::restore(&plain, target, tools).map_err(|e| e.to_string())?;
    drop(scratch);
    let mut conn = copy::open(target).map_err(|e| e.to_string())?;
    let snapshot = copy::read_snapshot(&mut conn).map_err(|e| e.to_string())?;
    let key = match AuditKey::load(&keys.audit_key) {
        Ok(key) => Some(key),
        Err(KeyFileError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(error.to_string()),
    };
    let newer_anchors = crate::audit::anchor::read(&keys.audit_anchors)
        .map_err(|e| e.to_string())?
        .anchors
        .iter()
        .filter(|a| a.seq > snapshot.audit_seq)
        .count();
    let chain_problem = super::run::chain_problem(&mut conn, key.as_ref(), &keys.audit_anchors, snapshot.audit_seq)
        .map_err(|e| e.to_string())?;
    Ok(Restored { snapshot, chain_problem, newer_anchors })
}

/// A SQLite copy goes into SQLite, a PostgreSQL dump into PostgreSQL.
fn check_kind(plain: &Path, target: &DbTarget) -> Result<(), String> {
    let mut magic = [0u8; 16];
    let read = std::fs::File::open(plain).and_then(|mut f| f.read(&mut magic)).map_err(|e| e.to_string())?;
    let sqlite = magic[..read].starts_with(b"SQLite format 3\0");
    let pgdump = magic[..read].starts_with(b"PGDMP");
    match (target, sqlite, pgdump) {
        (DbTarget::Sqlite(_), true, _) | (DbTarget::Postgres(_), _, true) => Ok(()),
        (DbTarget::Sqlite(_), _, true) => {
            Err("the backup is a PostgreSQL dump: restore it with a postgres:// --database-url".into())
        }
        (DbTarget::Postgres(_), true, _) => {
            Err("the backup is a SQLite database: restore it with a sqlite:// --database-url".into())
        }
        _ => Err("the decrypted backup is neither a SQLite database nor a PostgreSQL dump".into()),
    }
}

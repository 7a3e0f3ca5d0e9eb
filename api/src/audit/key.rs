//! Which audit key a process that appends may use. A new key is created only for a trail that has never
//! been keyed: once events carry MACs, or anchors name a key, a missing key file or another key is refused, since
//! events MACed with a new key would leave the chain unverifiable for good. Restore the key file instead.

use super::anchor::{self, AnchorError};
use crate::db::Db;
use crate::keys::{AuditKey, KeyFileError};
use crate::schema::audit_events;
use diesel::prelude::*;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum AuditKeyError {
    #[error(transparent)]
    File(#[from] KeyFileError),
    #[error(transparent)]
    Anchors(#[from] AnchorError),
    #[error("reading the audit trail: {0}")]
    Query(#[from] diesel::result::Error),
    #[error(
        "the audit key file {key_file} is missing, but the audit trail already holds events MACed with a key (or \
         anchors naming one): restore the key file from the backup; a new key would leave them unverifiable"
    )]
    Missing { key_file: String },
    #[error(
        "the audit key in {key_file} (fingerprint {given}) is not the key the anchors in {anchor_file} were \
         written with (fingerprint {anchored}): use the key file this trail was written with"
    )]
    Mismatch { key_file: String, anchor_file: String, given: String, anchored: String },
}

/// Reads the audit key, or creates it for a trail never keyed; refuses a missing key for a keyed trail and a key
/// other than the one the newest anchor names.
pub fn open(conn: &mut Db, key_file: &Path, anchor_file: &Path) -> Result<AuditKey, AuditKeyError> {
    let anchors = anchor::read(anchor_file)?;
    let key = if key_file.exists() {
        AuditKey::load(key_file)?
    } else if has_keyed_events(conn)? || anchors.latest_key_id().is_some() {
        return Err(AuditKeyError::Missing { key_file: key_file.display().to_string() });
    } else {
        AuditKey::load_or_create(key_file)?
    };
    match anchors.latest_key_id() {
        Some(anchored) if anchored != key.id() => Err(AuditKeyError::Mismatch {
            key_file: key_file.display().to_string(),
            anchor_file: anchor_file.display().to_string(),
            given: key.id(),
            anchored: anchored.to_owned(),
        }),
        _ => Ok(key),
    }
}

/// Whether any stored event carries a MAC (version 2).
fn has_keyed_events(conn: &mut Db) -> QueryResult<bool> {
    let keyed = audit_events::table
        .filter(audit_events::version.eq(super::chain::Version::Hmac.number()))
        .select(audit_events::seq)
        .first::<i64>(conn)
        .optional()?;
    Ok(keyed.is_some())
}

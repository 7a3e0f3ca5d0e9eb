//! Verifying the chain: every event recomputed by its own version and followed to the one before, the
//! head compared with the last event, and the anchors outside the database compared with what is stored.
//!
//! A key problem is told apart from a broken chain. The anchors name the fingerprint of the key the server ran
//! with: a key with another fingerprint is reported as the wrong key, and events with a MAC are then not checked at
//! all. Without anchors, the first event with a MAC decides: if it fails, either the key is wrong or the trail was
//! rewritten from there, and the report says both; once an event has verified with the key, any later failure is
//! a changed event.

use super::anchor::{self, AnchorLog};
use super::chain::{self, Version, GENESIS_HASH};
use super::store::StoredEvent;
use crate::db::Db;
use crate::keys::AuditKey;
use crate::schema::{audit_events, audit_head};
use credit_types::audit::{BrokenLink, KeyProblem, KeyProblemKind, Verification};
use diesel::prelude::*;

/// Events read per query.
const BATCH: i64 = 1_000;
/// Anchors shown with a verification, newest first.
const LATEST_ANCHORS: usize = 5;

/// Checks the whole chain with `key` (`None`: the key file is missing) against the anchors in `anchors`.
pub fn verify(conn: &mut Db, key: Option<&AuditKey>, anchors: &AnchorLog) -> QueryResult<Verification> {
    let (key, key_problem) = usable_key(key, anchors);
    let mut walk = Walk {
        expected_seq: 1,
        prev_hash: GENESIS_HASH.to_owned(),
        keyed_seen: false,
        key_confirmed: key.is_some() && anchors.latest_key_id().is_some(),
        key,
    };
    let stop = walk.run(conn)?;
    let checked = walk.expected_seq - 1;
    let (first_broken, key_problem) = match stop {
        Some(Stop::Broken(link)) => (Some(link), key_problem),
        Some(Stop::Key(problem)) => (None, key_problem.or(problem)),
        None => (removed_tail(conn, checked, &walk.prev_hash)?, key_problem),
    };
    let anchors = anchor::check(conn, anchors, LATEST_ANCHORS)?;
    Ok(Verification { checked, first_broken, key_problem, anchors })
}

/// The key to check MACs with, or the reason there is none: missing, or not the key of the newest anchor.
fn usable_key<'k>(key: Option<&'k AuditKey>, anchors: &AnchorLog) -> (Option<&'k AuditKey>, Option<KeyProblem>) {
    match (key, anchors.latest_key_id()) {
        (None, _) => (
            None,
            Some(KeyProblem {
                kind: KeyProblemKind::Missing,
                detail: "no audit key was given (its file is missing): events written with a MAC cannot be checked; \
                         give the key file the trail was written with (--audit-key-file)"
                    .to_owned(),
            }),
        ),
        (Some(key), Some(anchored)) if anchored != key.id() => (
            None,
            Some(KeyProblem {
                kind: KeyProblemKind::Mismatch,
                detail: format!(
                    "the audit key given (fingerprint {}) is not the key the anchors were written with \
                     (fingerprint {anchored}): events written with a MAC were not checked; give the right key file",
                    key.id()
                ),
            }),
        ),
        (Some(key), _) => (Some(key), None),
    }
}

/// Why a walk along the chain stopped before its end.
enum Stop {
    Broken(BrokenLink),
    /// An event with a MAC the key cannot check (`None`: the reason is known already).
    Key(Option<KeyProblem>),
}

/// A walk along the chain from its first event.
struct Walk<'k> {
    expected_seq: i64,
    prev_hash: String,
    /// A v2 event was seen: no v1 event may follow.
    keyed_seen: bool,
    /// The key is known to be the trail's: an anchor names it, or an event verified with it.
    key_confirmed: bool,
    key: Option<&'k AuditKey>,
}

impl Walk<'_> {
    fn run(&mut self, conn: &mut Db) -> QueryResult<Option<Stop>> {
        loop {
            let batch: Vec<StoredEvent> = audit_events::table
                .filter(audit_events::seq.ge(self.expected_seq))
                .order(audit_events::seq.asc())
                .limit(BATCH)
                .select(StoredEvent::as_select())
                .load(conn)?;
            let done = (batch.len() as i64) < BATCH;
            for row in batch {
                if let Some(stop) = self.step(&row) {
                    return Ok(Some(stop));
                }
                self.prev_hash = row.hash;
                self.expected_seq += 1;
            }
            if done {
                return Ok(None);
            }
        }
    }

    /// Checks one event; `None` when it fits.
    fn step(&mut self, row: &StoredEvent) -> Option<Stop> {
        let broken = |seq: i64, reason: &str| Some(Stop::Broken(BrokenLink { seq, reason: reason.to_owned() }));
        if row.seq != self.expected_seq {
            return broken(self.expected_seq, "event missing");
        }
        if row.prev_hash != self.prev_hash {
            return broken(row.seq, "does not link to the event before it");
        }
        match Version::of(row.version) {
            None => broken(row.seq, &format!("unknown chain version {}: the event was changed", row.version)),
            Some(Version::Sha256) if self.keyed_seen => broken(
                row.seq,
                "written with a plain SHA-256 after events with a MAC: the chain never goes back to v1, so the event \
                 was forged or rewritten",
            ),
            Some(Version::Sha256) if chain::sha256_v1(row.seq, &row.prev_hash, &row.fields()) != row.hash => {
                broken(row.seq, "content does not match its hash: the event was changed")
            }
            Some(Version::Sha256) => None,
            Some(Version::Hmac) => self.keyed(row),
        }
    }

    fn keyed(&mut self, row: &StoredEvent) -> Option<Stop> {
        self.keyed_seen = true;
        let key = match self.key {
            Some(key) => key,
            None => return Some(Stop::Key(None)),
        };
        if chain::verifies_v2(key, row.seq, &row.prev_hash, &row.fields(), &row.hash) {
            self.key_confirmed = true;
            return None;
        }
        if !self.key_confirmed {
            return Some(Stop::Key(Some(KeyProblem {
                kind: KeyProblemKind::Mismatch,
                detail: format!(
                    "event {seq}, the first written with a MAC, does not verify with the audit key given (fingerprint \
                     {id}): either the key is not the one the trail was written with, or the trail was rewritten \
                     from event {seq} on; no anchor names the key to tell which",
                    seq = row.seq,
                    id = key.id()
                ),
            })));
        }
        Some(Stop::Broken(BrokenLink {
            seq: row.seq,
            reason: "content does not match its MAC: the event was changed, or written without the audit key".into(),
        }))
    }
}

/// The head names the last event: otherwise events were removed from the end.
fn removed_tail(conn: &mut Db, checked: i64, last_hash: &str) -> QueryResult<Option<BrokenLink>> {
    let (head_seq, head_hash): (i64, String) =
        audit_head::table.find(1).select((audit_head::seq, audit_head::hash)).first(conn)?;
    if head_seq == checked && head_hash == last_hash {
        return Ok(None);
    }
    Ok(Some(BrokenLink {
        seq: checked + 1,
        reason: format!("the chain ends at event {checked} but its head names event {head_seq}: events were removed"),
    }))
}

/// The last event an incremental verification reached: its sequence number and hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
}

/// What an incremental verification found.
#[derive(Debug, Clone, PartialEq)]
pub struct Increment {
    /// Where the chain verified up to (the checkpoint given when nothing new verified).
    pub reached: Checkpoint,
    /// Events checked by this call.
    pub checked: i64,
    pub first_broken: Option<BrokenLink>,
    pub key_problem: Option<KeyProblem>,
}

/// Verifies the events written after `from` with the server's `key`, so a nightly check reads only the
/// events of the day: the checkpoint must still be in the chain unchanged, and every event after it must link and
/// verify as in [`verify`]. `from` is `None` for the first verification, which starts at the chain's beginning.
pub fn verify_since(conn: &mut Db, key: &AuditKey, from: Option<&Checkpoint>) -> QueryResult<Increment> {
    let start = from.cloned().unwrap_or(Checkpoint { seq: 0, hash: GENESIS_HASH.to_owned() });
    let mut keyed_seen = false;
    if start.seq > 0 {
        let stored: Option<(String, i32)> = audit_events::table
            .filter(audit_events::seq.eq(start.seq))
            .select((audit_events::hash, audit_events::version))
            .first(conn)
            .optional()?;
        match stored {
            Some((hash, version)) if hash == start.hash => keyed_seen = Version::of(version) == Some(Version::Hmac),
            _ => {
                let link = BrokenLink {
                    seq: start.seq,
                    reason: "the event verified last time is missing or changed since".to_owned(),
                };
                return Ok(Increment { reached: start, checked: 0, first_broken: Some(link), key_problem: None });
            }
        }
    }
    let mut walk = Walk {
        expected_seq: start.seq + 1,
        prev_hash: start.hash.clone(),
        keyed_seen,
        // The events up to the checkpoint verified with this key before.
        key_confirmed: start.seq > 0,
        key: Some(key),
    };
    let stop = walk.run(conn)?;
    let reached = Checkpoint { seq: walk.expected_seq - 1, hash: walk.prev_hash.clone() };
    let checked = reached.seq - start.seq;
    let (first_broken, key_problem) = match stop {
        Some(Stop::Broken(link)) => (Some(link), None),
        Some(Stop::Key(problem)) => (None, problem),
        None => (removed_tail(conn, reached.seq, &reached.hash)?, None),
    };
    Ok(Increment { reached, checked, first_broken, key_problem })
}

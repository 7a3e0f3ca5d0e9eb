//! The chain: a canonical, unambiguous encoding of an event, and the value that links it to the event
//! before. Pure functions: the store computes, `verify` recomputes.
//!
//! Two versions of the link exist, and each stored event records its own:
//!
//! - **v1** (`credit-audit-v1`): the SHA-256 of the encoding. Anyone who can write the database can drop the
//!   triggers, edit an event and recompute every hash after it, and v1 verification still passes. Only events
//!   written before the key existed are v1; nothing writes v1 any more.
//! - **v2** (`credit-audit-v2`): the HMAC-SHA-256 of the encoding under the audit key, which lives in a file outside
//!   the database (`keys`). Without the key, no edited event can be given a MAC that verifies.
//!
//! Why a database of v1 events followed by v2 events is as safe as an all-v2 one, from its first v2 event on:
//! every encoding includes the previous event's hash, so the first v2 event's MAC covers the hash of the last v1
//! event, and through it, link by link, the whole v1 prefix. Rewriting any v1 event (and rechaining the v1 events
//! after it, which needs no key) changes the last v1 hash; the first v2 event then either no longer links to it or,
//! if its `prev_hash` is rewritten too, no longer matches its MAC. What cannot be allowed is the way back: an
//! attacker could rewrite the v2 events as v1 and recompute them. So once a v2 event exists, a v1 event after it is
//! a break (no downgrade), and the anchors outside the database (`audit::anchor`) name the head's MAC, so a history
//! rewritten wholly in v1 no longer matches them.

use crate::keys::AuditKey;
use chrono::{NaiveDateTime, Timelike};
pub use credit_types::audit::{ActorKind, AuditAction, AuditOutcome as Outcome, TargetKind};
use sha2::{Digest, Sha256};

/// `prev_hash` of the first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    User(String),
    Client(String),
    Anonymous,
    /// The platform itself (scheduled jobs, command-line tools).
    System,
}

impl Actor {
    pub fn kind(&self) -> ActorKind {
        match self {
            Actor::User(_) => ActorKind::User,
            Actor::Client(_) => ActorKind::Client,
            Actor::Anonymous => ActorKind::Anonymous,
            Actor::System => ActorKind::System,
        }
    }

    pub fn id(&self) -> Option<&str> {
        match self {
            Actor::User(id) | Actor::Client(id) => Some(id),
            Actor::Anonymous | Actor::System => None,
        }
    }
}

/// The stored content of one event, as hashed. Events are built from typed codes (`new`, `target`); the fields
/// hold the stored text, so that `verify` can recompute the hash of a stored event even when someone wrote a value
/// into it that no code has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFields {
    pub occurred_at: NaiveDateTime,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub actor_ip: Option<String>,
    pub action: String,
    pub target_kind: Option<String>,
    pub target_id: Option<String>,
    pub purpose: Option<String>,
    pub outcome: String,
    pub detail: Option<String>,
    pub request_id: Option<String>,
}

impl EventFields {
    /// A new event now, by `actor`, doing `action` with `outcome`; the optional parts are set on the result.
    pub fn new(actor: &Actor, action: AuditAction, outcome: Outcome) -> Self {
        EventFields {
            occurred_at: to_micros(chrono::Utc::now().naive_utc()),
            actor_kind: actor.kind().as_str().to_owned(),
            actor_id: actor.id().map(str::to_owned),
            actor_ip: None,
            action: action.as_str().to_owned(),
            target_kind: None,
            target_id: None,
            purpose: None,
            outcome: outcome.as_str().to_owned(),
            detail: None,
            request_id: crate::http::request_context::current().map(|c| c.id),
        }
    }

    pub fn target(mut self, kind: TargetKind, id: impl Into<String>) -> Self {
        self.target_kind = Some(kind.as_str().to_owned());
        self.target_id = Some(id.into());
        self
    }

    pub fn ip(mut self, ip: Option<String>) -> Self {
        self.actor_ip = ip;
        self
    }

    pub fn purpose(mut self, purpose: impl Into<String>) -> Self {
        self.purpose = Some(purpose.into());
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// Both databases keep microseconds: hashing finer time would make stored events fail verification.
pub fn to_micros(time: NaiveDateTime) -> NaiveDateTime {
    let micros = time.nanosecond() / 1_000 * 1_000;
    time.with_nanosecond(micros).unwrap_or(time)
}

/// How an event's `hash` was made; stored with each event (column `version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// SHA-256 of the encoding: events written before the audit key.
    Sha256 = 1,
    /// HMAC-SHA-256 of the encoding under the audit key: every event written now.
    Hmac = 2,
}

impl Version {
    /// The version a stored number names, if any.
    pub fn of(stored: i32) -> Option<Version> {
        match stored {
            1 => Some(Version::Sha256),
            2 => Some(Version::Hmac),
            _ => None,
        }
    }

    pub fn number(self) -> i32 {
        self as i32
    }

    /// The encoding's first line: which rule made the hash, so an encoding of one version is never read as the
    /// other's.
    fn line(self) -> &'static [u8] {
        match self {
            Version::Sha256 => b"credit-audit-v1\n",
            Version::Hmac => b"credit-audit-v2\n",
        }
    }
}

/// The canonical encoding: a version line, then one `name:length:value` line per field (`name:-` when absent),
/// so no two different events encode alike.
pub fn canonical(version: Version, seq: i64, prev_hash: &str, event: &EventFields) -> Vec<u8> {
    let occurred_at = event.occurred_at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string();
    let seq = seq.to_string();
    let fields: [(&str, Option<&str>); 13] = [
        ("seq", Some(&seq)),
        ("prev_hash", Some(prev_hash)),
        ("occurred_at", Some(&occurred_at)),
        ("actor_kind", Some(&event.actor_kind)),
        ("actor_id", event.actor_id.as_deref()),
        ("actor_ip", event.actor_ip.as_deref()),
        ("action", Some(&event.action)),
        ("target_kind", event.target_kind.as_deref()),
        ("target_id", event.target_id.as_deref()),
        ("purpose", event.purpose.as_deref()),
        ("outcome", Some(&event.outcome)),
        ("detail", event.detail.as_deref()),
        ("request_id", event.request_id.as_deref()),
    ];
    let mut out = version.line().to_vec();
    for (name, value) in fields {
        out.extend_from_slice(name.as_bytes());
        match value {
            Some(value) => {
                out.extend_from_slice(format!(":{}:", value.len()).as_bytes());
                out.extend_from_slice(value.as_bytes());
            }
            None => out.extend_from_slice(b":-"),
        }
        out.push(b'\n');
    }
    out
}

/// A v1 event's hash: hex SHA-256 of its v1 encoding (which includes the previous hash). Only verification uses it.
pub fn sha256_v1(seq: i64, prev_hash: &str, event: &EventFields) -> String {
    hex::encode(Sha256::digest(canonical(Version::Sha256, seq, prev_hash, event)))
}

/// A v2 event's MAC: hex HMAC-SHA-256 under the audit key of its v2 encoding (which includes the previous hash).
pub fn mac_v2(key: &AuditKey, seq: i64, prev_hash: &str, event: &EventFields) -> String {
    key.mac(&canonical(Version::Hmac, seq, prev_hash, event))
}

/// Whether `stored` is what a v2 event's MAC must be under `key`.
pub fn verifies_v2(key: &AuditKey, seq: i64, prev_hash: &str, event: &EventFields, stored: &str) -> bool {
    key.verifies(&canonical(Version::Hmac, seq, prev_hash, event), stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> EventFields {
        let mut e = EventFields::new(&Actor::User("u-1".into()), AuditAction::AuthLogin, Outcome::Success);
        e.occurred_at =
            chrono::DateTime::from_timestamp(1_764_000_000, 123_456_789).map(|t| t.naive_utc()).unwrap_or_default();
        e.request_id = None;
        e
    }

    fn key(name: &str) -> Option<AuditKey> {
        let path = std::env::temp_dir().join(format!("credit-chain-{}", uuid::Uuid::new_v4())).join(name);
        let key = AuditKey::load_or_create(&path).ok();
        let _ = path.parent().map(std::fs::remove_dir_all);
        key
    }

    #[test]
    fn r30_v1_hashes_stay_exactly_as_stored_databases_hold_them() {
        // Pinned: events already stored as v1 must keep verifying, byte for byte.
        assert_eq!(
            sha256_v1(1, GENESIS_HASH, &event()),
            "2685c2efbc845f07a90135215b8bad0bcfde3446274003f7b29a9189299dfa63"
        );
    }

    #[test]
    fn r30_the_link_is_deterministic_and_covers_every_field() {
        let base = event();
        let h = sha256_v1(1, GENESIS_HASH, &base);
        assert_eq!(h, sha256_v1(1, GENESIS_HASH, &base.clone()));
        assert_eq!(h.len(), 64);
        assert_ne!(h, sha256_v1(2, GENESIS_HASH, &base));
        assert_ne!(h, sha256_v1(1, &"1".repeat(64), &base));
        assert_ne!(h, sha256_v1(1, GENESIS_HASH, &base.clone().target(TargetKind::User, "u-2")));
        assert_ne!(h, sha256_v1(1, GENESIS_HASH, &base.clone().detail("x")));
        let mut failed = base.clone();
        failed.outcome = "failure".into();
        assert_ne!(h, sha256_v1(1, GENESIS_HASH, &failed));
        let Some(key) = key("audit.key") else { panic!("a key is created") };
        let mac = mac_v2(&key, 1, GENESIS_HASH, &base);
        assert!(verifies_v2(&key, 1, GENESIS_HASH, &base, &mac));
        assert!(!verifies_v2(&key, 1, GENESIS_HASH, &failed, &mac));
        assert!(!verifies_v2(&key, 2, GENESIS_HASH, &base, &mac));
    }

    #[test]
    fn r30_a_v2_mac_needs_the_key_and_is_no_plain_hash_of_either_encoding() {
        let (Some(one), Some(other)) = (key("one.key"), key("other.key")) else { panic!("keys are created") };
        let e = event();
        let mac = mac_v2(&one, 1, GENESIS_HASH, &e);
        assert_ne!(mac, mac_v2(&other, 1, GENESIS_HASH, &e));
        assert_ne!(mac, sha256_v1(1, GENESIS_HASH, &e));
        let plain_v2 = hex::encode(Sha256::digest(canonical(Version::Hmac, 1, GENESIS_HASH, &e)));
        assert!(!verifies_v2(&one, 1, GENESIS_HASH, &e, &plain_v2), "an attacker's SHA-256 is no MAC");
        assert_ne!(canonical(Version::Sha256, 1, GENESIS_HASH, &e), canonical(Version::Hmac, 1, GENESIS_HASH, &e));
        assert_eq!(Version::of(2), Some(Version::Hmac));
        assert_eq!(Version::of(3), None);
    }

    #[test]
    fn r30_absent_and_empty_values_and_field_boundaries_encode_differently() {
        let v = Version::Hmac;
        let absent = event();
        let empty = event().purpose("");
        assert_ne!(canonical(v, 1, GENESIS_HASH, &absent), canonical(v, 1, GENESIS_HASH, &empty));
        // Moving text from one field to the next changes the encoding.
        let mut a = event();
        (a.target_kind, a.target_id) = (Some("ab".into()), Some("c".into()));
        let mut b = event();
        (b.target_kind, b.target_id) = (Some("a".into()), Some("bc".into()));
        assert_ne!(canonical(v, 1, GENESIS_HASH, &a), canonical(v, 1, GENESIS_HASH, &b));
    }

    #[test]
    fn timestamps_are_hashed_at_microsecond_precision() {
        let e = event();
        assert_eq!(to_micros(e.occurred_at).and_utc().timestamp_subsec_nanos(), 123_456_000);
    }
}

//! The hash chain: a canonical, unambiguous encoding of an event and the SHA-256 that links it to the
//! event before. Pure functions: the store computes, `verify` recomputes.

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

/// The canonical encoding: a version line, then one `name:length:value` line per field (`name:-` when absent),
/// so no two different events encode alike.
pub fn canonical(seq: i64, prev_hash: &str, event: &EventFields) -> Vec<u8> {
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
    let mut out = b"credit-audit-v1\n".to_vec();
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

/// The event's hash: hex SHA-256 of its canonical encoding (which includes the previous hash).
pub fn hash(seq: i64, prev_hash: &str, event: &EventFields) -> String {
    hex::encode(Sha256::digest(canonical(seq, prev_hash, event)))
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

    #[test]
    fn r30_hash_is_deterministic_and_covers_every_field() {
        let base = event();
        let h = hash(1, GENESIS_HASH, &base);
        assert_eq!(h, hash(1, GENESIS_HASH, &base.clone()));
        assert_eq!(h.len(), 64);
        assert_ne!(h, hash(2, GENESIS_HASH, &base));
        assert_ne!(h, hash(1, &"1".repeat(64), &base));
        assert_ne!(h, hash(1, GENESIS_HASH, &base.clone().target(TargetKind::User, "u-2")));
        assert_ne!(h, hash(1, GENESIS_HASH, &base.clone().detail("x")));
        let mut failed = base.clone();
        failed.outcome = "failure".into();
        assert_ne!(h, hash(1, GENESIS_HASH, &failed));
    }

    #[test]
    fn r30_absent_and_empty_values_and_field_boundaries_encode_differently() {
        let absent = event();
        let empty = event().purpose("");
        assert_ne!(canonical(1, GENESIS_HASH, &absent), canonical(1, GENESIS_HASH, &empty));
        // Moving text from one field to the next changes the encoding.
        let mut a = event();
        (a.target_kind, a.target_id) = (Some("ab".into()), Some("c".into()));
        let mut b = event();
        (b.target_kind, b.target_id) = (Some("a".into()), Some("bc".into()));
        assert_ne!(canonical(1, GENESIS_HASH, &a), canonical(1, GENESIS_HASH, &b));
    }

    #[test]
    fn timestamps_are_hashed_at_microsecond_precision() {
        let e = event();
        assert_eq!(to_micros(e.occurred_at).and_utc().timestamp_subsec_nanos(), 123_456_000);
    }
}

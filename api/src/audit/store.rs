//! Appending to the chain.
//!
//! An append first updates the single `audit_head` row: on PostgreSQL that row lock, on SQLite the write lock it
//! takes, makes concurrent appends wait their turn, so the chain stays linear without gaps or forks. Every event is
//! written as v2, MACed with the audit key of the enclosing `AuditKey::scope` (`chain` says why).

use super::chain::{self, EventFields, Version};
use crate::db::Db;
use crate::keys::AuditKey;
use crate::schema::{audit_events, audit_head};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// An event as stored: text, not codes, so that `verify` recomputes the hash of exactly what is stored, whatever
/// was written there (the auditor's view reads the same columns as codes).
#[derive(Insertable, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct StoredEvent {
    pub seq: i64,
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
    pub prev_hash: String,
    pub hash: String,
    pub version: i32,
}

impl StoredEvent {
    fn new(seq: i64, prev_hash: String, hash: String, e: EventFields) -> Self {
        StoredEvent {
            seq,
            occurred_at: e.occurred_at,
            actor_kind: e.actor_kind,
            actor_id: e.actor_id,
            actor_ip: e.actor_ip,
            action: e.action,
            target_kind: e.target_kind,
            target_id: e.target_id,
            purpose: e.purpose,
            outcome: e.outcome,
            detail: e.detail,
            request_id: e.request_id,
            prev_hash,
            hash,
            version: Version::Hmac.number(),
        }
    }

    /// The event's content, as the chain encodes it.
    pub fn fields(&self) -> EventFields {
        EventFields {
            occurred_at: self.occurred_at,
            actor_kind: self.actor_kind.clone(),
            actor_id: self.actor_id.clone(),
            actor_ip: self.actor_ip.clone(),
            action: self.action.clone(),
            target_kind: self.target_kind.clone(),
            target_id: self.target_id.clone(),
            purpose: self.purpose.clone(),
            outcome: self.outcome.clone(),
            detail: self.detail.clone(),
            request_id: self.request_id.clone(),
        }
    }
}

/// Appends one event and returns its sequence number. Call it inside the transaction of the write it records,
/// so that the write and its audit event commit or fail together; on its own (an audited read) it is a write
/// transaction of its own. It fails, writing nothing, outside an `AuditKey::scope`.
pub fn append(conn: &mut Db, event: EventFields) -> QueryResult<i64> {
    let key = AuditKey::current().ok_or_else(|| {
        diesel::result::Error::QueryBuilderError(
            "no audit key: events are appended only inside AuditKey::scope (AppState runs its work there)".into(),
        )
    })?;
    crate::db::write_transaction(conn, |conn| {
        diesel::update(audit_head::table.find(1)).set(audit_head::seq.eq(audit_head::seq + 1)).execute(conn)?;
        let (seq, prev_hash): (i64, String) =
            audit_head::table.find(1).select((audit_head::seq, audit_head::hash)).first(conn)?;
        let mut event = event;
        event.occurred_at = chain::to_micros(event.occurred_at);
        let mac = chain::mac_v2(&key, seq, &prev_hash, &event);
        diesel::insert_into(audit_events::table)
            .values(StoredEvent::new(seq, prev_hash, mac.clone(), event))
            .execute(conn)?;
        diesel::update(audit_head::table.find(1)).set(audit_head::hash.eq(mac)).execute(conn)?;
        Ok(seq)
    })
}

/// Appends one event in a write transaction of its own, before the answer it records leaves: for audited reads,
/// whose reading ran in a read-only transaction.
pub async fn record(state: &crate::state::AppState, event: EventFields) -> crate::error::ApiResult<()> {
    state.write(move |conn| Ok(append(conn, event)?)).await?;
    Ok(())
}

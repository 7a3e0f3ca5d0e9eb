//! Appending to the chain and verifying it.
//!
//! An append first updates the single `audit_head` row: on PostgreSQL that row lock, on SQLite the write lock it
//! takes, makes concurrent appends wait their turn, so the chain stays linear without gaps or forks.

use super::chain::{self, EventFields, GENESIS_HASH};
use crate::db::Db;
use crate::schema::{audit_events, audit_head};
use chrono::NaiveDateTime;
use credit_types::audit::{BrokenLink, Verification};
use diesel::prelude::*;

/// An event as stored: text, not codes, so that `verify` recomputes the hash of exactly what is stored, whatever
/// was written there (the auditor's view reads the same columns as codes).
#[derive(Insertable, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
struct EventRow {
    seq: i64,
    occurred_at: NaiveDateTime,
    actor_kind: String,
    actor_id: Option<String>,
    actor_ip: Option<String>,
    action: String,
    target_kind: Option<String>,
    target_id: Option<String>,
    purpose: Option<String>,
    outcome: String,
    detail: Option<String>,
    request_id: Option<String>,
    prev_hash: String,
    hash: String,
}

impl EventRow {
    fn new(seq: i64, prev_hash: String, hash: String, e: EventFields) -> Self {
        EventRow {
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
        }
    }

    fn fields(&self) -> EventFields {
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
/// transaction of its own.
pub fn append(conn: &mut Db, event: EventFields) -> QueryResult<i64> {
    crate::db::write_transaction(conn, |conn| {
        diesel::update(audit_head::table.find(1)).set(audit_head::seq.eq(audit_head::seq + 1)).execute(conn)?;
        let (seq, prev_hash): (i64, String) =
            audit_head::table.find(1).select((audit_head::seq, audit_head::hash)).first(conn)?;
        let mut event = event;
        event.occurred_at = chain::to_micros(event.occurred_at);
        let hash = chain::hash(seq, &prev_hash, &event);
        diesel::insert_into(audit_events::table)
            .values(EventRow::new(seq, prev_hash, hash.clone(), event))
            .execute(conn)?;
        diesel::update(audit_head::table.find(1)).set(audit_head::hash.eq(hash)).execute(conn)?;
        Ok(seq)
    })
}

/// Appends one event in a write transaction of its own, before the answer it records leaves: for audited reads,
/// whose reading ran in a read-only transaction.
pub async fn record(state: &crate::state::AppState, event: EventFields) -> crate::error::ApiResult<()> {
    state.write(move |conn| Ok(append(conn, event)?)).await?;
    Ok(())
}

const VERIFY_BATCH: i64 = 1_000;

/// Recomputes every hash in order and names the first event that does not fit.
pub fn verify(conn: &mut Db) -> QueryResult<Verification> {
    let mut expected_seq = 1_i64;
    let mut prev_hash = GENESIS_HASH.to_owned();
    loop {
        let batch: Vec<EventRow> = audit_events::table
            .filter(audit_events::seq.ge(expected_seq))
            .order(audit_events::seq.asc())
            .limit(VERIFY_BATCH)
            .select(EventRow::as_select())
            .load(conn)?;
        let done = (batch.len() as i64) < VERIFY_BATCH;
        for row in batch {
            let broken = |reason: &str| Verification {
                checked: expected_seq - 1,
                first_broken: Some(BrokenLink { seq: row.seq, reason: reason.to_owned() }),
            };
            if row.seq != expected_seq {
                return Ok(Verification {
                    checked: expected_seq - 1,
                    first_broken: Some(BrokenLink { seq: expected_seq, reason: "event missing".into() }),
                });
            }
            if row.prev_hash != prev_hash {
                return Ok(broken("does not link to the event before it"));
            }
            if chain::hash(row.seq, &row.prev_hash, &row.fields()) != row.hash {
                return Ok(broken("content does not match its hash: the event was changed"));
            }
            prev_hash = row.hash;
            expected_seq += 1;
        }
        if done {
            break;
        }
    }
    let checked = expected_seq - 1;
    let (head_seq, head_hash): (i64, String) =
        audit_head::table.find(1).select((audit_head::seq, audit_head::hash)).first(conn)?;
    if head_seq != checked || head_hash != prev_hash {
        return Ok(Verification {
            checked,
            first_broken: Some(BrokenLink {
                seq: checked + 1,
                reason: format!(
                    "the chain ends at event {checked} but its head names event {head_seq}: events were removed"
                ),
            }),
        });
    }
    Ok(Verification { checked, first_broken: None })
}

//! Queries of the auditor's view: pages of events by the auditor's filters, newest first, and one event.

use crate::db::Db;
use crate::schema::{api_clients, audit_events, users};
use chrono::NaiveDateTime;
use credit_types::audit::{ActorKind, AuditAction, AuditEventQuery, AuditOutcome, TargetKind};
use diesel::prelude::*;

/// An event as the auditor reads it: codes, not text (an unknown stored code fails the read; `audit::verify`
/// names such an event as changed).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct ListedEvent {
    pub seq: i64,
    pub occurred_at: NaiveDateTime,
    pub actor_kind: ActorKind,
    pub actor_id: Option<String>,
    pub actor_ip: Option<String>,
    pub action: AuditAction,
    pub target_kind: Option<TargetKind>,
    pub target_id: Option<String>,
    pub purpose: Option<String>,
    pub outcome: AuditOutcome,
    pub detail: Option<String>,
    pub request_id: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// One page of events matching `query`, newest first, before sequence number `before` when given.
pub fn page(conn: &mut Db, query: &AuditEventQuery, before: Option<i64>, limit: i64) -> QueryResult<Vec<ListedEvent>> {
    let mut rows =
        audit_events::table.select(ListedEvent::as_select()).order(audit_events::seq.desc()).limit(limit).into_boxed();
    if let Some(action) = query.action {
        rows = rows.filter(audit_events::action.eq(action));
    }
    if let Some(actor_id) = &query.actor_id {
        rows = rows.filter(audit_events::actor_id.eq(actor_id.clone()));
    }
    if let Some(organisation) = &query.organisation_id {
        // Events by the organisation's people and by its API clients.
        let people = users::table.filter(users::organisation_id.eq(organisation.clone())).select(users::id.nullable());
        let clients = api_clients::table
            .filter(api_clients::organisation_id.eq(organisation.clone()))
            .select(api_clients::id.nullable());
        rows = rows.filter(audit_events::actor_id.eq_any(people).or(audit_events::actor_id.eq_any(clients)));
    }
    if let Some(kind) = query.target_kind {
        rows = rows.filter(audit_events::target_kind.eq(kind));
    }
    if let Some(target) = &query.target_id {
        rows = rows.filter(audit_events::target_id.eq(target.clone()));
    }
    if let Some(outcome) = query.outcome {
        rows = rows.filter(audit_events::outcome.eq(outcome));
    }
    if let Some(from) = query.from {
        rows = rows.filter(audit_events::occurred_at.ge(from));
    }
    if let Some(to) = query.to {
        rows = rows.filter(audit_events::occurred_at.lt(to));
    }
    if let Some(before) = before {
        rows = rows.filter(audit_events::seq.lt(before));
    }
    rows.load(conn)
}

/// The event with sequence number `seq`.
pub fn one(conn: &mut Db, seq: i64) -> QueryResult<Option<ListedEvent>> {
    audit_events::table.find(seq).select(ListedEvent::as_select()).first(conn).optional()
}

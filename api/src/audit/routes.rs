//! The auditor's view: the events, filtered and paginated, and a check of the whole chain. Only the
//! security auditor reads them; each read is itself recorded.

use super::{Actor, EventFields, Outcome, Verification};
use crate::db::Db;
use crate::error::ApiResult;
use crate::http::{cursor, ValidQuery};
use crate::identity::principal::Principal;
use crate::schema::audit_events;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use credit_types::audit::{AuditEvent, AuditEventQuery};
use credit_types::identity::Role;
use credit_types::page::DEFAULT_LIMIT;
use credit_types::{Page, Problem};
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config.service(list_events).service(verify_chain);
}

/// List audit events, newest first (security auditor only).
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(AuditEventQuery),
    responses(
        (status = 200, description = "One page of events", body = Page<AuditEvent>),
        (status = 400, description = "An invalid query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a security auditor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit/events")]
pub async fn list_events(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<AuditEventQuery>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(&[Role::SecurityAuditor])?;
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let before = match query.cursor.as_deref() {
        Some(c) => Some(cursor::decode(c, 1)?.pop().and_then(|s| s.parse::<i64>().ok()).ok_or_else(|| {
            crate::error::ApiError::invalid_parameter("cursor", "invalid_cursor", "not a cursor from a previous page")
        })?),
        None => None,
    };
    let actor = Actor::User(principal.user_id().to_owned());
    let mut items = state
        .db(move |conn| {
            let items = list(conn, &query, before, i64::from(limit) + 1)?;
            super::append(
                conn,
                EventFields::new(&actor, "audit.list", Outcome::Success).target("audit_events", "query"),
            )?;
            Ok(items)
        })
        .await?;
    let next_cursor = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|last| cursor::encode(&[&last.seq.to_string()]))
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

/// Verify the hash chain and name the first broken event (security auditor only).
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The result: `first_broken` is absent when the chain is intact", body = Verification),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a security auditor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit/verify")]
pub async fn verify_chain(state: web::Data<AppState>, principal: Principal) -> ApiResult<HttpResponse> {
    principal.require_any_role(&[Role::SecurityAuditor])?;
    let actor = Actor::User(principal.user_id().to_owned());
    let verification = state
        .db(move |conn| {
            let verification = super::verify(conn)?;
            let outcome = if verification.first_broken.is_none() { Outcome::Success } else { Outcome::Failure };
            super::append(conn, EventFields::new(&actor, "audit.verify", outcome))?;
            Ok(verification)
        })
        .await?;
    Ok(HttpResponse::Ok().json(verification))
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = audit_events)]
struct Row {
    seq: i64,
    occurred_at: chrono::NaiveDateTime,
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

fn list(conn: &mut Db, query: &AuditEventQuery, before: Option<i64>, limit: i64) -> ApiResult<Vec<AuditEvent>> {
    let mut rows =
        audit_events::table.select(Row::as_select()).order(audit_events::seq.desc()).limit(limit).into_boxed();
    if let Some(action) = &query.action {
        rows = rows.filter(audit_events::action.eq(action.clone()));
    }
    if let Some(actor_id) = &query.actor_id {
        rows = rows.filter(audit_events::actor_id.eq(actor_id.clone()));
    }
    if let Some(outcome) = &query.outcome {
        rows = rows.filter(audit_events::outcome.eq(outcome.clone()));
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
    let rows: Vec<Row> = rows.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEvent {
            seq: r.seq,
            occurred_at: r.occurred_at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
            actor_kind: r.actor_kind,
            actor_id: r.actor_id,
            actor_ip: r.actor_ip,
            action: r.action,
            target_kind: r.target_kind,
            target_id: r.target_id,
            purpose: r.purpose,
            outcome: r.outcome,
            detail: r.detail,
            request_id: r.request_id,
            prev_hash: r.prev_hash,
            hash: r.hash,
        })
        .collect())
}

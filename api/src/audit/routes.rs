//! The auditor's view: the events, filtered and paginated, and a check of the whole chain. Only the
//! security auditor reads them; each read is itself recorded.

use super::{Actor, EventFields, Outcome, Verification};
use crate::error::ApiResult;
use crate::http::{cursor, ValidQuery};
use crate::identity::principal::Principal;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use credit_types::audit::{AuditEvent, AuditEventQuery};
use credit_types::identity::Role;
use credit_types::page::DEFAULT_LIMIT;
use credit_types::{Page, Problem};
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
    let items = state
        .db(move |conn| {
            let items = super::store::list(conn, &query, before, i64::from(limit) + 1)?;
            super::append(
                conn,
                EventFields::new(&actor, "audit.list", Outcome::Success).target("audit_events", "query"),
            )?;
            Ok(items)
        })
        .await?;
    Ok(HttpResponse::Ok().json(cursor::page(items, limit, |last| last.seq.to_string())))
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

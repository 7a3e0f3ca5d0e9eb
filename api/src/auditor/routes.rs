//! The auditor's endpoints: pages of events with names, one event, a check of the whole chain, and the
//! anchors of its head. Only the security auditor reads them; each read is itself recorded.

use super::names::Names;
use super::store;
use crate::audit::{self, anchor, Actor, AuditAction, EventFields, Outcome, TargetKind, Verification};
use crate::error::{ApiError, ApiResult};
use crate::http::{cursor, ValidQuery};
use crate::identity::principal::Principal;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use credit_types::audit::{AnchorReport, AuditEvent, AuditEventQuery};
use credit_types::identity::Role;
use credit_types::page::DEFAULT_LIMIT;
use credit_types::{Page, Problem};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config.service(list_events).service(get_event).service(verify_chain).service(list_anchors);
}

/// List audit events, newest first, with the names of who and what they concern (security auditor only).
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(AuditEventQuery),
    responses(
        (status = 200, description = "One page of events", body = Page<AuditEvent>),
        (status = 400, description = "An invalid query parameter", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Not a security auditor", body = Problem),
    )
)]
#[get("/audit/events")]
pub async fn list_events(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<AuditEventQuery>,
) -> ApiResult<HttpResponse> {
    let actor = auditor(&principal)?;
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let before = query.cursor.as_deref().map(before_seq).transpose()?;
    let items = state
        .read(move |conn| {
            let events = store::page(conn, &query, before, i64::from(limit) + 1)?;
            let names = Names::of(conn, &events)?;
            Ok(events.into_iter().map(|e| names.describe(e)).collect::<Vec<_>>())
        })
        .await?;
    record_reading(&state, actor, "query".to_owned()).await?;
    Ok(HttpResponse::Ok().json(cursor::page(items, limit, |last| last.seq.to_string())))
}

/// One audit event in full, with its names (security auditor only).
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(("seq" = i64, Path, description = "The event's position in the chain")),
    responses(
        (status = 200, description = "The event", body = AuditEvent),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Not a security auditor", body = Problem),
        (status = 404, description = "No such event", body = Problem),
    )
)]
#[get("/audit/events/{seq}")]
pub async fn get_event(
    state: web::Data<AppState>,
    principal: Principal,
    seq: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let actor = auditor(&principal)?;
    let seq = seq.into_inner();
    let event = state
        .read(move |conn| {
            let event = store::one(conn, seq)?.ok_or_else(|| ApiError::not_found("no such event"))?;
            let names = Names::of(conn, std::slice::from_ref(&event))?;
            Ok(names.describe(event))
        })
        .await?;
    record_reading(&state, actor, seq.to_string()).await?;
    Ok(HttpResponse::Ok().json(event))
}

/// Verify the chain: every event's MAC (or, for events written before the audit key, hash) and link, and
/// the anchors of its head kept outside the database. Names the first broken event, a key that is not the trail's,
/// and the oldest anchor the stored chain no longer matches (security auditor only).
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The result: intact when `first_broken`, `key_problem` and `anchors.first_mismatch` are absent and `anchors.unreadable` is 0", body = Verification),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Not a security auditor", body = Problem),
    )
)]
#[get("/audit/verify")]
pub async fn verify_chain(state: web::Data<AppState>, principal: Principal) -> ApiResult<HttpResponse> {
    let actor = auditor(&principal)?;
    let (key, path) = (state.audit_key().clone(), state.audit_anchors().to_owned());
    let verification = state
        .read(move |conn| {
            let anchors = anchor::read(&path)?;
            Ok(audit::verify(conn, Some(&key), &anchors)?)
        })
        .await?;
    let outcome = if verification.intact() { Outcome::Success } else { Outcome::Failure };
    state
        .write(move |conn| Ok(audit::append(conn, EventFields::new(&actor, AuditAction::AuditVerify, outcome))?))
        .await?;
    Ok(HttpResponse::Ok().json(verification))
}

/// The newest anchors of the chain's head (written outside the database at start and daily), newest first, each
/// compared with the stored chain, and the oldest that no longer matches (security auditor only; ).
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The anchors: `latest` holds the newest 30", body = AnchorReport),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Not a security auditor", body = Problem),
    )
)]
#[get("/audit/anchors")]
pub async fn list_anchors(state: web::Data<AppState>, principal: Principal) -> ApiResult<HttpResponse> {
    let actor = auditor(&principal)?;
    let path = state.audit_anchors().to_owned();
    let report = state
        .read(move |conn| {
            let anchors = anchor::read(&path)?;
            Ok(anchor::check(conn, &anchors, LATEST_ANCHORS)?)
        })
        .await?;
    record_reading(&state, actor, "anchors".to_owned()).await?;
    Ok(HttpResponse::Ok().json(report))
}

/// Anchors listed by `GET /audit/anchors`: a month of daily anchors.
const LATEST_ANCHORS: usize = 30;

/// The caller as the actor of an auditor's reading; 403 for anyone but a security auditor.
fn auditor(principal: &Principal) -> ApiResult<Actor> {
    principal.require_any_role(&[Role::SecurityAuditor])?;
    Ok(Actor::User(principal.user_id().to_owned()))
}

/// Records that the auditor read the trail (`what`: the query, or the event read).
async fn record_reading(state: &AppState, actor: Actor, what: String) -> ApiResult<()> {
    state
        .write(move |conn| {
            let event = EventFields::new(&actor, AuditAction::AuditList, Outcome::Success)
                .target(TargetKind::AuditEvents, what);
            Ok(audit::append(conn, event)?)
        })
        .await?;
    Ok(())
}

/// The sequence number a cursor continues before.
fn before_seq(cursor: &str) -> ApiResult<i64> {
    cursor::decode(cursor, 1)?
        .pop()
        .and_then(|s| s.parse::<i64>().ok())
        .ok_or_else(|| ApiError::invalid_parameter("cursor", "invalid_cursor", "not a cursor from a previous page"))
}

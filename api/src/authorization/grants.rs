//! Grants: what the providing unit gave and the user unit holds, revocation by the provider with a
//! reason (effective at the next read), the usage log of every read through a grant, and the counts the
//! dashboard and menu badges show.

use super::rules;
use super::store::{self, GrantRow, UseRow};
use crate::audit::{self, AuditAction, EventFields, Outcome, TargetKind};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::http::{cursor, ValidJson, ValidQuery};
use crate::identity::principal::{Principal, Subject};
use crate::schema::{authorization_requests, grant_uses, grants};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::Duration;
use credit_types::authorization::{
    AuthorizationCounts, Grant, GrantBox, GrantListQuery, GrantStatus, GrantUse, ReasonBody, RequestStatus,
    UseListQuery,
};
use credit_types::identity::Role;
use credit_types::page::DEFAULT_LIMIT;
use credit_types::ErrorCode;
use credit_types::{Page, Problem};
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_grants)
        .service(get_grant)
        .service(revoke_grant)
        .service(grant_uses_log)
        .service(usage_log)
        .service(counts);
}

/// Whether the caller is the giving side (a data provider of the providing unit) or the holding side (a user
/// unit of the grantee); `None`: neither, and the grant is not theirs to see.
fn side(principal: &Principal, row: &GrantRow) -> Option<GrantBox> {
    rules::party(principal, &row.provider_org_id, &row.grantee_org_id).map(|party| match party {
        rules::Party::Provider => GrantBox::Given,
        rules::Party::Requester => GrantBox::Held,
    })
}

fn no_grant() -> ApiError {
    ApiError::not_found("no such grant")
}

fn visible_grant(conn: &mut Db, principal: &Principal, id: &str) -> ApiResult<(GrantRow, GrantBox)> {
    let row = store::find_grant(conn, id)?.ok_or_else(no_grant)?;
    let side = side(principal, &row).ok_or_else(no_grant)?;
    Ok((row, side))
}

/// Grants the caller's organisation gave (`box=given`, data providers) or holds (`box=held`, user units), newest
/// first; filter by state as of now, or those ending within 7 days.
#[utoipa::path(
    tag = "authorization",
    security(("bearer" = ["authorization:read"])),
    params(GrantListQuery),
    responses(
        (status = 200, description = "One page of grants", body = Page<Grant>),
        (status = 403, description = "Given without the data-provider role, held without the user-unit role", body = Problem),
    )
)]
#[get("/authorization/grants")]
pub async fn list_grants(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<GrantListQuery>,
) -> ApiResult<HttpResponse> {
    let ValidQuery(query) = query;
    match query.side {
        GrantBox::Given => principal.require_any_role(&[Role::DataProvider])?,
        GrantBox::Held => principal.require_any_role(&[Role::UserUnit])?,
    }
    let organisation_id = principal.organisation_id.clone();
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let after = query.cursor.as_deref().map(|c| cursor::decode(c, 1)).transpose()?.and_then(|mut key| key.pop());
    let items = state
        .read(move |conn| {
            let now = crate::clock::now();
            let mut rows = grants::table.into_boxed();
            rows = match query.side {
                GrantBox::Given => rows.filter(grants::provider_org_id.eq(organisation_id)),
                GrantBox::Held => rows.filter(grants::grantee_org_id.eq(organisation_id)),
            };
            rows = match query.status {
                Some(GrantStatus::Active) => {
                    rows.filter(grants::revoked_at.is_null()).filter(grants::expires_at.gt(now))
                }
                Some(GrantStatus::Expired) => {
                    rows.filter(grants::revoked_at.is_null()).filter(grants::expires_at.le(now))
                }
                Some(GrantStatus::Revoked) => rows.filter(grants::revoked_at.is_not_null()),
                None => rows,
            };
            if query.expiring_soon == Some(true) {
                rows = rows
                    .filter(grants::revoked_at.is_null())
                    .filter(grants::expires_at.gt(now))
                    .filter(grants::expires_at.le(now + Duration::days(rules::EXPIRING_SOON_DAYS)));
            }
            if let Some(after) = after {
                rows = rows.filter(grants::id.lt(after));
            }
            let rows: Vec<GrantRow> =
                rows.order(grants::id.desc()).limit(i64::from(limit) + 1).select(GrantRow::as_select()).load(conn)?;
            store::to_grants(conn, rows, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(cursor::page(items, limit, |last| last.id.clone())))
}

/// One grant, for the unit that gave it and the unit that holds it.
#[utoipa::path(
    tag = "authorization",
    security(("bearer" = ["authorization:read"])),
    params(("id" = String, Path, description = "Grant id")),
    responses(
        (status = 200, description = "The grant", body = Grant),
        (status = 404, description = "No such grant, or not one of the caller's organisation", body = Problem),
    )
)]
#[get("/authorization/grants/{id}")]
pub async fn get_grant(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let grant = state
        .read(move |conn| {
            let (row, _) = visible_grant(conn, &principal, &id)?;
            one(conn, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(grant))
}

fn one(conn: &mut Db, row: GrantRow) -> ApiResult<Grant> {
    store::to_grants(conn, vec![row], crate::clock::now())?.pop().ok_or_else(|| ApiError::internal("lost grant"))
}

/// Revoke a grant with a reason (the providing unit's data providers): from this moment reads through it answer
/// 404. An expired grant may still be revoked, for the record; a revoked one cannot be revoked again (409).
#[utoipa::path(
    tag = "authorization",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Grant id")),
    request_body = ReasonBody,
    responses(
        (status = 200, description = "Revoked", body = Grant),
        (status = 403, description = "The holding side, which cannot revoke", body = Problem),
        (status = 404, description = "No such grant", body = Problem),
        (status = 409, description = "Revoked already", body = Problem),
        (status = 422, description = "No reason", body = Problem),
    )
)]
#[post("/authorization/grants/{id}/revoke")]
pub async fn revoke_grant(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: ValidJson<ReasonBody>,
) -> ApiResult<HttpResponse> {
    let Subject::User { id: by, .. } = principal.subject.clone() else {
        return Err(ApiError::forbidden(ErrorCode::PersonRequired, "grants are revoked by signed-in staff"));
    };
    let actor = principal.actor();
    let id = id.into_inner();
    let ValidJson(body) = body;
    let grant = state
        .write(move |conn| {
            let (row, side) = visible_grant(conn, &principal, &id)?;
            if side != GrantBox::Given {
                return Err(ApiError::forbidden(
                    ErrorCode::NotTheProvider,
                    "only the providing unit's data providers revoke a grant",
                ));
            }
            let reason = body.reason.trim();
            let changed = diesel::update(grants::table.find(&id).filter(grants::revoked_at.is_null()))
                .set((
                    grants::revoked_at.eq(Some(crate::clock::now())),
                    grants::revoked_by.eq(Some(&by)),
                    grants::revoke_reason.eq(Some(reason)),
                ))
                .execute(conn)?;
            if changed == 0 {
                return Err(ApiError::Conflict {
                    code: ErrorCode::AlreadyRevoked,
                    detail: "the grant is revoked already".into(),
                    errors: Vec::new(),
                });
            }
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::AuthorizationRevoke, Outcome::Success)
                    .target(TargetKind::Grant, &id)
                    .purpose(row.purpose.as_str())
                    .detail(reason.to_owned()),
            )?;
            let row = store::find_grant(conn, &id)?.ok_or_else(no_grant)?;
            one(conn, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(grant))
}

fn page_of_uses(
    conn: &mut Db,
    mut rows: grant_uses::BoxedQuery<'static, crate::db::MultiBackend>,
    limit: u32,
    after: Option<String>,
) -> ApiResult<Vec<GrantUse>> {
    if let Some(after) = after {
        rows = rows.filter(grant_uses::id.lt(after));
    }
    let rows: Vec<UseRow> =
        rows.order(grant_uses::id.desc()).limit(i64::from(limit) + 1).select(UseRow::as_select()).load(conn)?;
    store::to_uses(conn, rows)
}

/// Every read made through one grant, newest first: who, which record, when, how.
#[utoipa::path(
    tag = "authorization",
    security(("bearer" = ["authorization:read"])),
    params(("id" = String, Path, description = "Grant id"), UseListQuery),
    responses(
        (status = 200, description = "One page of uses", body = Page<GrantUse>),
        (status = 404, description = "No such grant", body = Problem),
    )
)]
#[get("/authorization/grants/{id}/uses")]
pub async fn grant_uses_log(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: ValidQuery<UseListQuery>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let after = query.cursor.as_deref().map(|c| cursor::decode(c, 1)).transpose()?.and_then(|mut key| key.pop());
    let items = state
        .read(move |conn| {
            visible_grant(conn, &principal, &id)?;
            page_of_uses(conn, grant_uses::table.filter(grant_uses::grant_id.eq(id)).into_boxed(), limit, after)
        })
        .await?;
    Ok(HttpResponse::Ok().json(cursor::page(items, limit, |last| last.id.clone())))
}

/// The providing unit's usage log: every read through any grant it gave, newest first (data providers).
#[utoipa::path(
    tag = "authorization",
    security(("bearer" = ["authorization:read"])),
    params(UseListQuery),
    responses(
        (status = 200, description = "One page of uses", body = Page<GrantUse>),
        (status = 403, description = "Not a data provider", body = Problem),
    )
)]
#[get("/authorization/uses")]
pub async fn usage_log(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<UseListQuery>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(&[Role::DataProvider])?;
    let organisation_id = principal.organisation_id.clone();
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let after = query.cursor.as_deref().map(|c| cursor::decode(c, 1)).transpose()?.and_then(|mut key| key.pop());
    let items = state
        .read(move |conn| {
            let rows = grant_uses::table.filter(grant_uses::provider_org_id.eq(organisation_id)).into_boxed();
            page_of_uses(conn, rows, limit, after)
        })
        .await?;
    Ok(HttpResponse::Ok().json(cursor::page(items, limit, |last| last.id.clone())))
}

fn count(query: impl diesel::query_dsl::LoadQuery<'static, Db, i64>, conn: &mut Db) -> ApiResult<u32> {
    let n: i64 = query.get_result(conn)?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Counts for the caller's organisation: requests to decide (and overdue), grants given, requests waiting,
/// grants held (and ending soon). Sides the caller's roles do not cover count zero.
#[utoipa::path(
    tag = "authorization",
    security(("bearer" = ["authorization:read"])),
    responses((status = 200, description = "The counts", body = AuthorizationCounts))
)]
#[get("/authorization/counts")]
pub async fn counts(state: web::Data<AppState>, principal: Principal) -> ApiResult<HttpResponse> {
    let organisation_id = principal.organisation_id.clone();
    let provider = principal.has_role(Role::DataProvider);
    let user_unit = principal.has_role(Role::UserUnit);
    let counts = state
        .read(move |conn| {
            let now = crate::clock::now();
            let today = crate::clock::local_date(now);
            let pending = RequestStatus::Pending.as_str();
            let mut out = AuthorizationCounts::default();
            if provider {
                let inbox = || {
                    authorization_requests::table
                        .filter(authorization_requests::provider_org_id.eq(organisation_id.clone()))
                        .filter(authorization_requests::status.eq(pending))
                };
                out.inbox_pending = count(inbox().count(), conn)?;
                out.inbox_overdue = count(inbox().filter(authorization_requests::decide_by.lt(today)).count(), conn)?;
                out.given_active = count(
                    grants::table
                        .filter(grants::provider_org_id.eq(organisation_id.clone()))
                        .filter(grants::revoked_at.is_null())
                        .filter(grants::expires_at.gt(now))
                        .count(),
                    conn,
                )?;
            }
            if user_unit {
                out.outbox_pending = count(
                    authorization_requests::table
                        .filter(authorization_requests::requester_org_id.eq(organisation_id.clone()))
                        .filter(authorization_requests::status.eq(pending))
                        .count(),
                    conn,
                )?;
                let held = || {
                    grants::table
                        .filter(grants::grantee_org_id.eq(organisation_id.clone()))
                        .filter(grants::revoked_at.is_null())
                        .filter(grants::expires_at.gt(now))
                };
                out.held_active = count(held().count(), conn)?;
                out.held_expiring_soon = count(
                    held().filter(grants::expires_at.le(now + Duration::days(rules::EXPIRING_SOON_DAYS))).count(),
                    conn,
                )?;
            }
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(counts))
}

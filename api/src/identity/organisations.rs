//! The organisation directory: every signed-in user may look organisations up; the account office manages them.

use super::principal::Principal;
use super::store;
use crate::audit::{self, Actor, AuditAction, EventFields, Outcome, TargetKind};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::http::ValidJson;
use crate::http::{cursor, ValidQuery};
use crate::schema::regions;
use crate::schema::{organisation_kinds, organisations};
use crate::state::AppState;
use actix_web::{get, post, put, web, HttpResponse};
use credit_types::identity::{NewOrganisationRequest, Role, UpdateOrganisationRequest};
use credit_types::identity::{Organisation, OrganisationKind, OrganisationListQuery};
use credit_types::page::DEFAULT_LIMIT;
use credit_types::ErrorCode;
use credit_types::FieldError;
use credit_types::{Page, Problem, RegionLevel};
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_organisations)
        .service(create_organisation)
        .service(get_organisation)
        .service(update_organisation);
}

/// Register an organisation (account office only, R-9.3). Its region must exist and be of its level: the city for
/// city-level organisations, a district, county or county-level city for county-level ones.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    request_body = NewOrganisationRequest,
    responses(
        (status = 201, description = "Created", body = Organisation),
        (status = 403, description = "Not the account office", body = Problem),
        (status = 409, description = "An organisation with this USCC exists", body = Problem),
        (status = 422, description = "Invalid fields (USCC check character, region of another level …)", body = Problem),
    )
)]
#[post("/organisations")]
pub async fn create_organisation(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<NewOrganisationRequest>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(&[Role::AccountAdmin])?;
    let actor = Actor::User(principal.user_id().to_owned());
    let by = principal.user_id().to_owned();
    let ValidJson(request) = body;
    let organisation = state
        .write(move |conn| {
            let region_level: Option<RegionLevel> =
                regions::table.find(&request.region_code).select(regions::level).first(conn).optional()?;
            match region_level {
                None => return Err(field("region_code", "unknown_region", "没有这个行政区划代码")),
                Some(level) if level != request.level => {
                    return Err(field(
                        "region_code",
                        "region_level_mismatch",
                        "市级单位须在市本级,县级单位须在所辖县区",
                    ));
                }
                Some(_) => {}
            }
            if store::find_organisation_by_uscc(conn, &request.uscc)?.is_some() {
                return Err(ApiError::Conflict {
                    code: ErrorCode::UsccTaken,
                    detail: "an organisation with this unified social credit code exists".into(),
                    errors: vec![FieldError::new("uscc", "taken", "该统一社会信用代码已登记")],
                });
            }
            let mut kinds = request.kinds.clone();
            kinds.sort();
            kinds.dedup();
            let new = store::NewOrganisation {
                name: request.name.trim(),
                uscc: &request.uscc,
                level: request.level,
                region_code: &request.region_code,
                kinds: &kinds,
            };
            let id = store::insert_organisation(conn, &new, Some(&by), chrono::Utc::now().naive_utc())?;
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::OrganisationCreate, Outcome::Success)
                    .target(TargetKind::Organisation, &id),
            )?;
            load(conn, &id)
        })
        .await?;
    Ok(HttpResponse::Created().json(organisation))
}

/// One organisation.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = ["organisations:read"])),
    params(("id" = String, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "The organisation", body = Organisation),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 404, description = "No such organisation", body = Problem),
    )
)]
#[get("/organisations/{id}")]
pub async fn get_organisation(
    state: web::Data<AppState>,
    _principal: Principal,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(state.read(move |conn| load(conn, &id)).await?))
}

/// Rename an organisation, change its kinds, or (de)activate it (account office only). Deactivation stops its
/// accounts and clients at once. Kinds still needed by a member's role cannot be removed.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Organisation id")),
    request_body = UpdateOrganisationRequest,
    responses(
        (status = 200, description = "Updated", body = Organisation),
        (status = 403, description = "Not the account office", body = Problem),
        (status = 404, description = "No such organisation", body = Problem),
        (status = 422, description = "Invalid fields, or a kind a member's role still needs", body = Problem),
    )
)]
#[put("/organisations/{id}")]
pub async fn update_organisation(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: ValidJson<UpdateOrganisationRequest>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(&[Role::AccountAdmin])?;
    let actor = principal.actor();
    let by = principal.user_id().to_owned();
    let id = id.into_inner();
    let ValidJson(request) = body;
    let organisation = state
        .write(move |conn| {
            let before = load(conn, &id)?;
            let mut kinds = request.kinds.clone();
            kinds.sort();
            kinds.dedup();
            // Every role held by a member must still fit the organisation.
            let held: Vec<Role> = crate::schema::user_roles::table
                .inner_join(crate::schema::users::table)
                .filter(crate::schema::users::organisation_id.eq(&id))
                .select(crate::schema::user_roles::role)
                .distinct()
                .load(conn)?;
            if let Some(message) = held.iter().find_map(|r| super::rules::role_misfit(*r, before.level, &kinds)) {
                return Err(field("kinds", "kind_in_use", message));
            }
            diesel::update(organisations::table.find(&id))
                .set((
                    organisations::name.eq(request.name.trim()),
                    organisations::active.eq(request.active),
                    organisations::updated_at.eq(chrono::Utc::now().naive_utc()),
                    organisations::updated_by.eq(Some(&by)),
                ))
                .execute(conn)?;
            diesel::delete(organisation_kinds::table.filter(organisation_kinds::organisation_id.eq(&id)))
                .execute(conn)?;
            for kind in &kinds {
                diesel::insert_into(organisation_kinds::table)
                    .values((organisation_kinds::organisation_id.eq(&id), organisation_kinds::kind.eq(kind)))
                    .execute(conn)?;
            }
            let detail =
                if before.active != request.active { format!("active: {}", request.active) } else { "details".into() };
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::OrganisationUpdate, Outcome::Success)
                    .target(TargetKind::Organisation, &id)
                    .detail(detail),
            )?;
            load(conn, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(organisation))
}

fn field(name: &str, code: &str, message: &str) -> ApiError {
    ApiError::Validation { errors: vec![FieldError::new(name, code, message)] }
}

fn load(conn: &mut Db, id: &str) -> ApiResult<Organisation> {
    let rows: Vec<Row> = organisations::table.filter(organisations::id.eq(id)).select(Row::as_select()).load(conn)?;
    to_organisations(conn, rows)?.pop().ok_or_else(|| ApiError::not_found("no such organisation"))
}

/// List organisations, searched by name or USCC, filtered by level or kind, in creation order.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = ["organisations:read"])),
    params(OrganisationListQuery),
    responses(
        (status = 200, description = "One page of organisations", body = Page<Organisation>),
        (status = 400, description = "An invalid query parameter", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "The password must be changed first", body = Problem),
    )
)]
#[get("/organisations")]
pub async fn list_organisations(
    state: web::Data<AppState>,
    _signed_in: Principal,
    query: ValidQuery<OrganisationListQuery>,
) -> ApiResult<HttpResponse> {
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let after = query.cursor.as_deref().map(|c| cursor::decode(c, 1)).transpose()?.and_then(|mut key| key.pop());
    let items = state.read(move |conn| list(conn, &query, after.as_deref(), i64::from(limit) + 1)).await?;
    Ok(HttpResponse::Ok().json(cursor::page(items, limit, |last| last.id.clone())))
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = organisations)]
struct Row {
    id: String,
    name: String,
    uscc: String,
    level: RegionLevel,
    region_code: String,
    active: bool,
}

fn list(conn: &mut Db, query: &OrganisationListQuery, after: Option<&str>, limit: i64) -> ApiResult<Vec<Organisation>> {
    let mut rows =
        organisations::table.select(Row::as_select()).order(organisations::id.asc()).limit(limit).into_boxed();
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = crate::db::contains_pattern(q);
        rows = rows.filter(organisations::name.like(pattern).escape('\\').or(organisations::uscc.eq(q.to_uppercase())));
    }
    if let Some(level) = query.level {
        rows = rows.filter(organisations::level.eq(level));
    }
    if let Some(kind) = query.kind {
        let with_kind = organisation_kinds::table
            .filter(organisation_kinds::kind.eq(kind))
            .select(organisation_kinds::organisation_id);
        rows = rows.filter(organisations::id.eq_any(with_kind));
    }
    if let Some(after) = after {
        rows = rows.filter(organisations::id.gt(after.to_owned()));
    }
    let rows: Vec<Row> = rows.load(conn)?;
    to_organisations(conn, rows)
}

fn to_organisations(conn: &mut Db, rows: Vec<Row>) -> ApiResult<Vec<Organisation>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let kinds: Vec<(String, OrganisationKind)> = organisation_kinds::table
        .filter(organisation_kinds::organisation_id.eq_any(&ids))
        .select((organisation_kinds::organisation_id, organisation_kinds::kind))
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            let level = row.level;
            let mut org_kinds: Vec<OrganisationKind> =
                kinds.iter().filter(|(id, _)| *id == row.id).map(|(_, k)| *k).collect();
            org_kinds.sort();
            Ok(Organisation {
                id: row.id,
                name: row.name,
                uscc: row.uscc,
                level,
                region_code: row.region_code,
                kinds: org_kinds,
                active: row.active,
            })
        })
        .collect()
}

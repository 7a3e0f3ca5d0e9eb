//! Usage agreements: the competent office (city credit admin) records what a user unit may request —
//! catalog items, purposes, dates — and suspends, resumes or ends it. Requests need a current covering agreement.

use super::rules::{self, AgreementChange};
use super::store::{self, AgreementRow};
use crate::audit::{self, AuditAction, EventFields, Outcome, TargetKind};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::http::{cursor, ValidJson, ValidQuery};
use crate::identity::principal::Principal;
use crate::schema::{agreement_items, agreement_purposes, catalog_items, organisations, usage_agreements};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use credit_types::authorization::{
    check_agreement, Agreement, AgreementChange as ChangeBody, AgreementListQuery, AgreementStatus, NewAgreementRequest,
};
use credit_types::identity::{OrganisationKind, Role};
use credit_types::page::DEFAULT_LIMIT;
use credit_types::ErrorCode;
use credit_types::{FieldError, Page, Problem, RegionLevel};
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(create_agreement)
        .service(list_agreements)
        .service(get_agreement)
        .service(suspend_agreement)
        .service(resume_agreement)
        .service(end_agreement);
}

/// Which agreements a caller may see.
enum AgreementView {
    /// The competent office: every agreement; it also records and changes them.
    All,
    /// A county credit admin: agreements of units in the county.
    County(String),
    /// A user unit: its own organisation's.
    Own(String),
}

/// who sees agreements; 403 for everyone else.
fn agreement_view(principal: &Principal) -> ApiResult<AgreementView> {
    if principal.has_role(Role::CityCreditAdmin) && principal.level == RegionLevel::City {
        return Ok(AgreementView::All);
    }
    if principal.has_role(Role::CountyCreditAdmin) {
        return Ok(AgreementView::County(principal.region_code.clone()));
    }
    if principal.has_role(Role::UserUnit) {
        return Ok(AgreementView::Own(principal.organisation_id.clone()));
    }
    Err(ApiError::forbidden(ErrorCode::Forbidden, "usage agreements are for the competent office and user units"))
}

/// only the competent office (a city credit admin) records and changes agreements.
fn competent_office(principal: &Principal) -> ApiResult<()> {
    match agreement_view(principal) {
        Ok(AgreementView::All) => Ok(()),
        _ => Err(ApiError::forbidden(
            ErrorCode::NotTheCompetentOffice,
            "only the competent office (city credit admin) records usage agreements (R-23.2)",
        )),
    }
}

fn visible(conn: &mut Db, view: &AgreementView, row: &AgreementRow) -> ApiResult<bool> {
    Ok(match view {
        AgreementView::All => true,
        AgreementView::Own(org) => &row.organisation_id == org,
        AgreementView::County(region) => organisations::table
            .find(&row.organisation_id)
            .select(organisations::region_code)
            .first::<String>(conn)
            .optional()?
            .is_some_and(|r| &r == region),
    })
}

/// Record a usage agreement with a user unit (competent office only, R-23.2).
#[utoipa::path(
    tag = "agreements",
    security(("bearer" = [])),
    request_body = NewAgreementRequest,
    responses(
        (status = 201, description = "Recorded", body = Agreement),
        (status = 403, description = "Not the competent office", body = Problem),
        (status = 422, description = "Invalid fields: unknown unit or catalog item, dates in the wrong order", body = Problem),
    )
)]
#[post("/agreements")]
pub async fn create_agreement(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<NewAgreementRequest>,
) -> ApiResult<HttpResponse> {
    competent_office(&principal)?;
    let actor = principal.actor();
    let by = principal.user_id().to_owned();
    let ValidJson(request) = body;
    let agreement = state
        .write(move |conn| {
            check_parties(conn, &request)?;
            let id = insert_agreement(conn, &request, &by)?;
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::AgreementCreate, Outcome::Success)
                    .target(TargetKind::Agreement, &id)
                    .detail(format!(
                        "{} with {}: {}",
                        request.document_no.trim(),
                        request.organisation_id,
                        request.catalog_items.join(" ")
                    )),
            )?;
            let row = store::find_agreement(conn, &id)?.ok_or_else(|| ApiError::internal("vanished"))?;
            one(conn, row)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((actix_web::http::header::LOCATION, format!("/api/v1/agreements/{}", agreement.id)))
        .json(agreement))
}

/// The agreement's own rules, and that its unit is an active user unit and its catalog items exist.
fn check_parties(conn: &mut Db, request: &NewAgreementRequest) -> ApiResult<()> {
    let mut errors = check_agreement(request);
    let unit: Option<bool> =
        organisations::table.find(&request.organisation_id).select(organisations::active).first(conn).optional()?;
    let kinds = crate::identity::store::organisation_kinds(conn, &request.organisation_id)?;
    if unit != Some(true) || !kinds.contains(&OrganisationKind::UserUnit) {
        errors.push(FieldError::new("organisation_id", "not_a_user_unit", "须为在用的信用信息使用单位"));
    }
    let known: Vec<String> = catalog_items::table
        .filter(catalog_items::code.eq_any(&request.catalog_items))
        .select(catalog_items::code)
        .load(conn)?;
    for (i, code) in request.catalog_items.iter().enumerate() {
        if !known.contains(code) {
            errors.push(FieldError::new(format!("catalog_items[{i}]"), "unknown_catalog_item", "没有这个目录项"));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation { errors })
    }
}

/// Stores the agreement with its catalog items and purposes; returns its id.
fn insert_agreement(conn: &mut Db, request: &NewAgreementRequest, by: &str) -> ApiResult<String> {
    let id = crate::db::new_id();
    let now = crate::clock::now();
    diesel::insert_into(usage_agreements::table)
        .values((
            usage_agreements::id.eq(&id),
            usage_agreements::organisation_id.eq(&request.organisation_id),
            usage_agreements::document_no.eq(request.document_no.trim()),
            usage_agreements::valid_from.eq(request.valid_from),
            usage_agreements::valid_to.eq(request.valid_to),
            usage_agreements::status.eq(AgreementStatus::Active),
            usage_agreements::created_at.eq(now),
            usage_agreements::created_by.eq(by),
            usage_agreements::updated_at.eq(now),
            usage_agreements::updated_by.eq(by),
        ))
        .execute(conn)?;
    let items: Vec<_> = request
        .catalog_items
        .iter()
        .map(|code| (agreement_items::agreement_id.eq(&id), agreement_items::catalog_code.eq(code)))
        .collect();
    crate::insert_many!(conn, agreement_items::table, items)?;
    let purposes: Vec<_> = request
        .purposes
        .iter()
        .map(|p| (agreement_purposes::agreement_id.eq(&id), agreement_purposes::purpose.eq(p)))
        .collect();
    crate::insert_many!(conn, agreement_purposes::table, purposes)?;
    Ok(id)
}

fn one(conn: &mut Db, row: AgreementRow) -> ApiResult<Agreement> {
    store::to_agreements(conn, vec![row], crate::clock::today())?
        .pop()
        .ok_or_else(|| ApiError::internal("agreement lost in conversion"))
}

/// Usage agreements the caller may see, newest first: all for the competent office, the county's units' for a
/// county credit admin, its own for a user unit.
#[utoipa::path(
    tag = "agreements",
    security(("bearer" = ["authorization:read"])),
    params(AgreementListQuery),
    responses(
        (status = 200, description = "One page of agreements", body = Page<Agreement>),
        (status = 403, description = "Neither credit admin nor user unit", body = Problem),
    )
)]
#[get("/agreements")]
pub async fn list_agreements(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<AgreementListQuery>,
) -> ApiResult<HttpResponse> {
    let view = agreement_view(&principal)?;
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let after = query.cursor.as_deref().map(|c| cursor::decode(c, 1)).transpose()?.and_then(|mut key| key.pop());
    let items = state
        .read(move |conn| {
            let today = crate::clock::today();
            let mut rows = usage_agreements::table.into_boxed();
            match &view {
                AgreementView::All => {}
                AgreementView::Own(org) => rows = rows.filter(usage_agreements::organisation_id.eq(org.clone())),
                AgreementView::County(region) => {
                    let units = organisations::table
                        .filter(organisations::region_code.eq(region.clone()))
                        .select(organisations::id);
                    rows = rows.filter(usage_agreements::organisation_id.eq_any(units));
                }
            }
            if let Some(org) = &query.organisation_id {
                rows = rows.filter(usage_agreements::organisation_id.eq(org.clone()));
            }
            if let Some(status) = query.status {
                rows = rows.filter(usage_agreements::status.eq(status));
            }
            if let Some(code) = &query.catalog_item {
                let covering = agreement_items::table
                    .filter(agreement_items::catalog_code.eq(code.clone()))
                    .select(agreement_items::agreement_id);
                rows = rows.filter(usage_agreements::id.eq_any(covering));
            }
            match query.current {
                Some(true) => {
                    rows = rows.filter(
                        usage_agreements::status
                            .eq(AgreementStatus::Active)
                            .and(usage_agreements::valid_from.le(today))
                            .and(usage_agreements::valid_to.ge(today)),
                    )
                }
                Some(false) => {
                    rows = rows.filter(
                        usage_agreements::status
                            .ne(AgreementStatus::Active)
                            .or(usage_agreements::valid_from.gt(today))
                            .or(usage_agreements::valid_to.lt(today)),
                    )
                }
                None => {}
            }
            if let Some(after) = &after {
                rows = rows.filter(usage_agreements::id.lt(after.clone()));
            }
            let rows: Vec<AgreementRow> = rows
                .order(usage_agreements::id.desc())
                .limit(i64::from(limit) + 1)
                .select(AgreementRow::as_select())
                .load(conn)?;
            store::to_agreements(conn, rows, today)
        })
        .await?;
    Ok(HttpResponse::Ok().json(cursor::page(items, limit, |last| last.id.clone())))
}

/// One usage agreement, if the caller may see it (else 404).
#[utoipa::path(
    tag = "agreements",
    security(("bearer" = ["authorization:read"])),
    params(("id" = String, Path, description = "Agreement id")),
    responses(
        (status = 200, description = "The agreement", body = Agreement),
        (status = 403, description = "Neither credit admin nor user unit", body = Problem),
        (status = 404, description = "No such agreement, or none the caller may see", body = Problem),
    )
)]
#[get("/agreements/{id}")]
pub async fn get_agreement(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let view = agreement_view(&principal)?;
    let id = id.into_inner();
    let agreement = state
        .read(move |conn| {
            let row = store::find_agreement(conn, &id)?.ok_or_else(no_agreement)?;
            if !visible(conn, &view, &row)? {
                return Err(no_agreement());
            }
            one(conn, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(agreement))
}

fn no_agreement() -> ApiError {
    ApiError::not_found("no such agreement")
}

async fn change(
    state: web::Data<AppState>,
    principal: Principal,
    id: String,
    body: ChangeBody,
    change: AgreementChange,
) -> ApiResult<HttpResponse> {
    competent_office(&principal)?;
    let actor = principal.actor();
    let by = principal.user_id().to_owned();
    let agreement = state
        .write(move |conn| {
            let row = store::find_agreement(conn, &id)?.ok_or_else(no_agreement)?;
            let Some(next) = rules::agreement_transition(row.status(), change) else {
                return Err(ApiError::Conflict {
                    code: ErrorCode::AgreementState,
                    detail: format!("the agreement is {}; this change does not apply", row.status().as_str()),
                    errors: Vec::new(),
                });
            };
            let reason = body.reason.trim();
            // The state is part of the condition: of two concurrent changes only one applies.
            let changed =
                diesel::update(usage_agreements::table.find(&id).filter(usage_agreements::status.eq(row.status())))
                    .set((
                        usage_agreements::status.eq(next),
                        usage_agreements::status_reason.eq(reason),
                        usage_agreements::updated_at.eq(crate::clock::now()),
                        usage_agreements::updated_by.eq(&by),
                    ))
                    .execute(conn)?;
            if changed == 0 {
                return Err(ApiError::Conflict {
                    code: ErrorCode::AgreementState,
                    detail: "the agreement changed meanwhile; reload it".into(),
                    errors: Vec::new(),
                });
            }
            audit::append(
                conn,
                EventFields::new(&actor, transition_action(next), Outcome::Success)
                    .target(TargetKind::Agreement, &id)
                    .detail(reason.to_owned()),
            )?;
            let row = store::find_agreement(conn, &id)?.ok_or_else(no_agreement)?;
            one(conn, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(agreement))
}

/// Suspend an active agreement (competent office, with a reason): no new requests under it until resumed.
#[utoipa::path(
    tag = "agreements",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Agreement id")),
    request_body = ChangeBody,
    responses(
        (status = 200, description = "Suspended", body = Agreement),
        (status = 403, description = "Not the competent office", body = Problem),
        (status = 404, description = "No such agreement", body = Problem),
        (status = 409, description = "Not active", body = Problem),
    )
)]
#[post("/agreements/{id}/suspend")]
pub async fn suspend_agreement(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: ValidJson<ChangeBody>,
) -> ApiResult<HttpResponse> {
    change(state, principal, id.into_inner(), body.0, AgreementChange::Suspend).await
}

/// Resume a suspended agreement (competent office, with a reason).
#[utoipa::path(
    tag = "agreements",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Agreement id")),
    request_body = ChangeBody,
    responses(
        (status = 200, description = "Active again", body = Agreement),
        (status = 403, description = "Not the competent office", body = Problem),
        (status = 404, description = "No such agreement", body = Problem),
        (status = 409, description = "Not suspended", body = Problem),
    )
)]
#[post("/agreements/{id}/resume")]
pub async fn resume_agreement(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: ValidJson<ChangeBody>,
) -> ApiResult<HttpResponse> {
    change(state, principal, id.into_inner(), body.0, AgreementChange::Resume).await
}

/// End an agreement for good (competent office, with a reason). Grants already given run their course; the
/// providing units may revoke them.
#[utoipa::path(
    tag = "agreements",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Agreement id")),
    request_body = ChangeBody,
    responses(
        (status = 200, description = "Ended", body = Agreement),
        (status = 403, description = "Not the competent office", body = Problem),
        (status = 404, description = "No such agreement", body = Problem),
        (status = 409, description = "Already ended", body = Problem),
    )
)]
#[post("/agreements/{id}/end")]
pub async fn end_agreement(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: ValidJson<ChangeBody>,
) -> ApiResult<HttpResponse> {
    change(state, principal, id.into_inner(), body.0, AgreementChange::End).await
}

/// The audit action of a change of state (its code names the state reached, as stored since the first release).
fn transition_action(next: AgreementStatus) -> AuditAction {
    match next {
        AgreementStatus::Active => AuditAction::AgreementResume,
        AgreementStatus::Suspended => AuditAction::AgreementSuspend,
        AgreementStatus::Ended => AuditAction::AgreementEnd,
    }
}

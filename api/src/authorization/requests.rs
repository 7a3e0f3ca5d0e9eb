//! Requests for authorised-use records: a user unit names records (or a subject and catalog
//! item), its purpose and legal basis; the request is split by providing unit and routed there, where a data
//! provider approves (making a grant) or rejects it with a reason; the requester may withdraw it while pending.

use super::filing::{self, by_provider, requestable_about, Filer};
use super::rules::{self, Party, RequestAction};
use super::store::{self, RequestRow};
use crate::access::{self, RequestScope, Viewer};
use crate::audit::{self, AuditAction, EventFields, Outcome, TargetKind};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::http::{cursor, upload, ValidJson, ValidQuery};
use crate::identity::principal::{Principal, Subject};
use crate::schema::{authorization_requests, grant_records, grants, request_attachments};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use credit_types::authorization::{
    check_request, ApproveRequest, Attachment, AuthorizationRequest, AuthorizationRequestDetail, FiledRequests,
    NewAuthorizationRequest, ProviderTargets, ReasonBody, RequestBox, RequestLimits, RequestListQuery, RequestStatus,
    TargetPreview, TargetQuery, MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES,
};
use credit_types::identity::Role;
use credit_types::page::DEFAULT_LIMIT;
use credit_types::ErrorCode;
use credit_types::{FieldError, Page, Problem};
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(request_limits)
        .service(preview_targets)
        .service(file_request)
        .service(list_requests)
        .service(get_request)
        .service(approve_request)
        .service(reject_request)
        .service(withdraw_request)
        .service(upload_attachment)
        .service(download_attachment);
}

/// the caller's request scope; 403 for everyone but a user unit of a government organisation.
fn eligible(principal: &Principal) -> ApiResult<RequestScope> {
    access::request_scope(&Viewer::of(principal)).ok_or_else(|| {
        ApiError::forbidden(
            ErrorCode::NotEligible,
            "only user units (city: city-level records; county: the county's own) request authorised-use records (R-18.1)",
        )
    })
}

/// Requests are made and decided by people, not by external systems.
fn person(principal: &Principal) -> ApiResult<String> {
    match &principal.subject {
        Subject::User { id, .. } => Ok(id.clone()),
        Subject::Client { .. } => {
            Err(ApiError::forbidden(ErrorCode::PersonRequired, "requests are filed and decided by signed-in staff"))
        }
    }
}

/// The limits a request must keep: the longest period it may ask for. For the user units who file them.
#[utoipa::path(
    tag = "authorization",
    security(("bearer" = ["authorization:read"])),
    responses(
        (status = 200, description = "The configured limits", body = RequestLimits),
        (status = 403, description = "Not a user unit", body = Problem),
    )
)]
#[get("/authorization/limits")]
pub async fn request_limits(state: web::Data<AppState>, principal: Principal) -> ApiResult<HttpResponse> {
    eligible(&principal)?;
    Ok(HttpResponse::Ok().json(RequestLimits { max_period_days: state.records().max_grant_days }))
}

/// What a request about a subject and catalog item would cover, and the agreement that would cover it.
/// The records are named (subject, item, date), never shown; a preview that finds any is audited.
#[utoipa::path(
    tag = "authorization",
    security(("bearer" = ["authorization:read"])),
    params(TargetQuery),
    responses(
        (status = 200, description = "Records by providing unit, and the covering agreement", body = TargetPreview),
        (status = 403, description = "Not a user unit", body = Problem),
    )
)]
#[get("/authorization/targets")]
pub async fn preview_targets(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<TargetQuery>,
) -> ApiResult<HttpResponse> {
    let scope = eligible(&principal)?;
    let organisation_id = principal.organisation_id.clone();
    let max_period_days = state.records().max_grant_days;
    let actor = principal.actor();
    let ValidQuery(query) = query;
    let (preview, seen) = state
        .read(move |conn| {
            let today = crate::clock::today();
            let rows = requestable_about(conn, &scope, &query.subject_code, &query.catalog_item, today)?;
            // That a subject has authorised-use records is not public: the preview is audited.
            let seen = (!rows.is_empty()).then(|| {
                EventFields::new(&actor, AuditAction::AuthorizationPreview, Outcome::Success)
                    .target(TargetKind::Subject, query.subject_code.trim())
                    .detail(format!("{} {} records", rows.len(), query.catalog_item.trim()))
            });
            let mut providers = Vec::new();
            let groups = by_provider(rows);
            let ids: Vec<&str> = groups.keys().map(String::as_str).collect();
            let names = store::organisation_names(conn, &ids)?;
            for (provider, rows) in &groups {
                providers.push(ProviderTargets {
                    provider_org_id: provider.clone(),
                    provider_org_name: names.get(provider).cloned().unwrap_or_default(),
                    records: crate::records::store::target_records(conn, rows)?,
                });
            }
            let agreement = match store::covering_agreement(
                conn,
                &organisation_id,
                query.catalog_item.trim(),
                query.purpose,
                today,
            )? {
                Some(row) => store::to_agreements(conn, vec![row], today)?.pop(),
                None => None,
            };
            Ok((TargetPreview { providers, agreement, max_period_days }, seen))
        })
        .await?;
    if let Some(event) = seen {
        audit::record(&state, event).await?;
    }
    Ok(HttpResponse::Ok().json(preview))
}

/// File a request for authorised-use records (a user unit, R-18.1): by record ids or by subject and catalog
/// item, with purpose and legal basis and a period of at most the configured maximum. Each catalog item
/// needs a current usage agreement covering it and the purpose. A request touching several providing
/// units becomes one request per unit, routed to each.
#[utoipa::path(
    tag = "authorization",
    security(("bearer" = [])),
    request_body = NewAuthorizationRequest,
    responses(
        (status = 201, description = "Filed: one request per providing unit", body = FiledRequests),
        (status = 403, description = "Not a user unit", body = Problem),
        (status = 409, description = "A pending request of the unit asks for these records for the same purpose", body = Problem),
        (status = 422, description = "Invalid fields; records not requestable; no covering agreement (`no_agreement`)", body = Problem),
    )
)]
#[post("/authorization/requests")]
pub async fn file_request(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<NewAuthorizationRequest>,
) -> ApiResult<HttpResponse> {
    let scope = eligible(&principal)?;
    let requester = person(&principal)?;
    let organisation_id = principal.organisation_id.clone();
    let actor = principal.actor();
    let ValidJson(request) = body;
    let errors = check_request(&request, state.records().max_grant_days);
    if !errors.is_empty() {
        return Err(ApiError::Validation { errors });
    }
    let filer = Filer { scope, requester, organisation_id, actor };
    let filed = state.write(move |conn| filing::file(conn, &filer, &request)).await?;
    Ok(HttpResponse::Created().json(filed))
}

fn no_request() -> ApiError {
    ApiError::not_found("no such authorisation request")
}

/// The request if the caller is on one of its sides; 404 otherwise, as for one that does not exist.
fn visible_request(conn: &mut Db, principal: &Principal, id: &str) -> ApiResult<(RequestRow, Party)> {
    let row = store::find_request(conn, id)?.ok_or_else(no_request)?;
    let party = rules::party(principal, &row.provider_org_id, &row.requester_org_id).ok_or_else(no_request)?;
    Ok((row, party))
}

/// Requests to decide (`box=inbox`: the caller's organisation provides the records; data providers) or made
/// (`box=outbox`: the caller's organisation asked; user units), newest first, filtered.
#[utoipa::path(
    tag = "authorization",
    security(("bearer" = ["authorization:read"])),
    params(RequestListQuery),
    responses(
        (status = 200, description = "One page of requests", body = Page<AuthorizationRequest>),
        (status = 403, description = "Inbox without the data-provider role, outbox without the user-unit role", body = Problem),
    )
)]
#[get("/authorization/requests")]
pub async fn list_requests(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<RequestListQuery>,
) -> ApiResult<HttpResponse> {
    let ValidQuery(query) = query;
    let organisation_id = principal.organisation_id.clone();
    match query.side {
        RequestBox::Inbox => principal.require_any_role(&[Role::DataProvider])?,
        RequestBox::Outbox => principal.require_any_role(&[Role::UserUnit])?,
    }
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let after = query.cursor.as_deref().map(|c| cursor::decode(c, 1)).transpose()?.and_then(|mut key| key.pop());
    let items = state
        .read(move |conn| {
            let today = crate::clock::today();
            let mut rows = authorization_requests::table.into_boxed();
            rows = match query.side {
                RequestBox::Inbox => rows.filter(authorization_requests::provider_org_id.eq(organisation_id)),
                RequestBox::Outbox => rows.filter(authorization_requests::requester_org_id.eq(organisation_id)),
            };
            if let Some(status) = query.status {
                rows = rows.filter(authorization_requests::status.eq(status));
            }
            match query.overdue {
                Some(true) => {
                    rows = rows
                        .filter(authorization_requests::status.eq(RequestStatus::Pending))
                        .filter(authorization_requests::decide_by.lt(today))
                }
                Some(false) => {
                    rows = rows.filter(
                        authorization_requests::status
                            .ne(RequestStatus::Pending)
                            .or(authorization_requests::decide_by.ge(today)),
                    )
                }
                None => {}
            }
            if let Some(purpose) = query.purpose {
                rows = rows.filter(authorization_requests::purpose.eq(purpose));
            }
            if let Some(after) = after {
                rows = rows.filter(authorization_requests::id.lt(after));
            }
            let rows: Vec<RequestRow> = rows
                .order(authorization_requests::id.desc())
                .limit(i64::from(limit) + 1)
                .select(RequestRow::as_select())
                .load(conn)?;
            store::to_requests(conn, rows, today)
        })
        .await?;
    Ok(HttpResponse::Ok().json(cursor::page(items, limit, |last| last.id.clone())))
}

/// One request with its target records (named, not shown) and attachments, for either side.
#[utoipa::path(
    tag = "authorization",
    security(("bearer" = ["authorization:read"])),
    params(("id" = String, Path, description = "Request id")),
    responses(
        (status = 200, description = "The request", body = AuthorizationRequestDetail),
        (status = 404, description = "No such request, or not one of the caller's organisation", body = Problem),
    )
)]
#[get("/authorization/requests/{id}")]
pub async fn get_request(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let detail = state
        .read(move |conn| {
            let (row, _) = visible_request(conn, &principal, &id)?;
            detail(conn, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(detail))
}

fn detail(conn: &mut Db, row: RequestRow) -> ApiResult<AuthorizationRequestDetail> {
    let ids = store::request_record_ids(conn, &row.id)?;
    let rows = crate::records::store::records_by_id(conn, &ids)?;
    let records = crate::records::store::target_records(conn, &rows)?;
    let attachments = store::attachments(conn, &row.id)?;
    let request = one(conn, row)?;
    Ok(AuthorizationRequestDetail { request, records, attachments })
}

fn one(conn: &mut Db, row: RequestRow) -> ApiResult<AuthorizationRequest> {
    store::to_requests(conn, vec![row], crate::clock::today())?.pop().ok_or_else(|| ApiError::internal("lost request"))
}

fn already_decided(status: RequestStatus) -> ApiError {
    ApiError::Conflict {
        code: ErrorCode::AlreadyDecided,
        detail: format!("the request is {} already; nothing more can be decided", status.as_str()),
        errors: Vec::new(),
    }
}

/// Moves a pending request on, the state being part of the update's condition: of two deciders acting at once
/// exactly one changes it; the other gets 409.
fn settle(
    conn: &mut Db,
    row: &RequestRow,
    action: RequestAction,
    by: &str,
    note: Option<&str>,
    at: chrono::NaiveDateTime,
) -> ApiResult<RequestStatus> {
    let next = rules::request_transition(row.status(), action).ok_or_else(|| already_decided(row.status()))?;
    let changed = diesel::update(
        authorization_requests::table.find(&row.id).filter(authorization_requests::status.eq(RequestStatus::Pending)),
    )
    .set((
        authorization_requests::status.eq(next),
        authorization_requests::decided_at.eq(Some(at)),
        authorization_requests::decided_by.eq(Some(by)),
        authorization_requests::decision_note.eq(note),
    ))
    .execute(conn)?;
    if changed == 0 {
        let now = store::find_request(conn, &row.id)?.map_or(RequestStatus::Withdrawn, |r| r.status());
        return Err(already_decided(now));
    }
    Ok(next)
}

/// The request for a decision by its providing unit: 404 for strangers, 403 for the requesting side.
fn decidable(conn: &mut Db, principal: &Principal, id: &str) -> ApiResult<RequestRow> {
    let (row, side) = visible_request(conn, principal, id)?;
    if side != Party::Provider {
        return Err(ApiError::forbidden(
            ErrorCode::NotTheProvider,
            "only the providing unit's data providers decide a request (R-18.1)",
        ));
    }
    Ok(row)
}

/// Approve a pending request (the providing unit's data providers): a grant over its records, for the period
/// asked or a shorter one, from now. The covering agreement must still be current.
#[utoipa::path(
    tag = "authorization",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Request id")),
    request_body = ApproveRequest,
    responses(
        (status = 200, description = "Approved; `grant_id` names the grant", body = AuthorizationRequest),
        (status = 403, description = "Not the providing unit's data provider", body = Problem),
        (status = 404, description = "No such request", body = Problem),
        (status = 409, description = "Already decided or withdrawn; or the agreement is no longer current", body = Problem),
        (status = 422, description = "A longer period than asked", body = Problem),
    )
)]
#[post("/authorization/requests/{id}/approve")]
pub async fn approve_request(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: ValidJson<ApproveRequest>,
) -> ApiResult<HttpResponse> {
    let by = person(&principal)?;
    let actor = principal.actor();
    let id = id.into_inner();
    let ValidJson(body) = body;
    let request = state
        .write(move |conn| {
            let row = decidable(conn, &principal, &id)?;
            let asked = u32::try_from(row.period_days).unwrap_or(1);
            let days = body.period_days.unwrap_or(asked);
            if days > asked {
                return Err(ApiError::Validation {
                    errors: vec![FieldError::new(
                        "period_days",
                        "longer_than_asked",
                        format!("授权期限不能长于申请的 {asked} 天"),
                    )],
                });
            }
            let now = crate::clock::now();
            let today = crate::clock::local_date(now);
            let agreement = store::find_agreement(conn, &row.agreement_id)?;
            if row.status() == RequestStatus::Pending
                && !agreement.is_some_and(|a| rules::agreement_current(a.status(), a.valid_from, a.valid_to, today))
            {
                return Err(ApiError::Conflict {
                    code: ErrorCode::AgreementNotCurrent,
                    detail: "the usage agreement covering this request is no longer current (R-23.2); reject it".into(),
                    errors: Vec::new(),
                });
            }
            let note = body.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
            settle(conn, &row, RequestAction::Approve, &by, note, now)?;
            let grant_id = crate::db::new_id();
            diesel::insert_into(grants::table)
                .values((
                    grants::id.eq(&grant_id),
                    grants::request_id.eq(&row.id),
                    grants::grantee_org_id.eq(&row.requester_org_id),
                    grants::provider_org_id.eq(&row.provider_org_id),
                    grants::purpose.eq(&row.purpose),
                    grants::purpose_text.eq(&row.purpose_text),
                    grants::legal_basis.eq(&row.legal_basis),
                    grants::granted_at.eq(now),
                    grants::granted_by.eq(&by),
                    grants::expires_at.eq(rules::grant_expiry(now, days)),
                ))
                .execute(conn)?;
            let record_ids = store::request_record_ids(conn, &row.id)?;
            let links: Vec<_> = record_ids
                .iter()
                .map(|r| (grant_records::grant_id.eq(&grant_id), grant_records::record_id.eq(r)))
                .collect();
            crate::insert_many!(conn, grant_records::table, links)?;
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::AuthorizationApprove, Outcome::Success)
                    .target(TargetKind::AuthorizationRequest, &row.id)
                    .purpose(row.purpose.as_str())
                    .detail(format!("grant {grant_id}: {} records for {days} days", record_ids.len())),
            )?;
            let row = store::find_request(conn, &id)?.ok_or_else(no_request)?;
            one(conn, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(request))
}

/// Reject a pending request with a reason (the providing unit's data providers).
#[utoipa::path(
    tag = "authorization",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Request id")),
    request_body = ReasonBody,
    responses(
        (status = 200, description = "Rejected", body = AuthorizationRequest),
        (status = 403, description = "Not the providing unit's data provider", body = Problem),
        (status = 404, description = "No such request", body = Problem),
        (status = 409, description = "Already decided or withdrawn", body = Problem),
        (status = 422, description = "No reason", body = Problem),
    )
)]
#[post("/authorization/requests/{id}/reject")]
pub async fn reject_request(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: ValidJson<ReasonBody>,
) -> ApiResult<HttpResponse> {
    close_with_reason(state, principal, id.into_inner(), body.0, RequestAction::Reject).await
}

/// Withdraw one's own pending request, with a reason.
#[utoipa::path(
    tag = "authorization",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Request id")),
    request_body = ReasonBody,
    responses(
        (status = 200, description = "Withdrawn", body = AuthorizationRequest),
        (status = 403, description = "Not the requester", body = Problem),
        (status = 404, description = "No such request", body = Problem),
        (status = 409, description = "Already decided or withdrawn", body = Problem),
    )
)]
#[post("/authorization/requests/{id}/withdraw")]
pub async fn withdraw_request(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: ValidJson<ReasonBody>,
) -> ApiResult<HttpResponse> {
    close_with_reason(state, principal, id.into_inner(), body.0, RequestAction::Withdraw).await
}

/// Rejects (the providing unit) or withdraws (the requester) a pending request, with the reason, audited.
async fn close_with_reason(
    state: web::Data<AppState>,
    principal: Principal,
    id: String,
    body: ReasonBody,
    action: RequestAction,
) -> ApiResult<HttpResponse> {
    let by = person(&principal)?;
    let actor = principal.actor();
    let request = state
        .write(move |conn| {
            let row = match action {
                RequestAction::Withdraw => {
                    let (row, _) = visible_request(conn, &principal, &id)?;
                    if row.requester_id != by {
                        return Err(ApiError::forbidden(
                            ErrorCode::NotTheRequester,
                            "only the requester withdraws a request",
                        ));
                    }
                    row
                }
                _ => decidable(conn, &principal, &id)?,
            };
            let reason = body.reason.trim();
            settle(conn, &row, action, &by, Some(reason), crate::clock::now())?;
            let event = if action == RequestAction::Withdraw {
                AuditAction::AuthorizationWithdraw
            } else {
                AuditAction::AuthorizationReject
            };
            audit::append(
                conn,
                EventFields::new(&actor, event, Outcome::Success)
                    .target(TargetKind::AuthorizationRequest, &row.id)
                    .detail(reason.to_owned()),
            )?;
            let row = store::find_request(conn, &id)?.ok_or_else(no_request)?;
            one(conn, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(request))
}

/// Attach a document to one's own pending request: the raw file as the body (PDF, JPEG or PNG, judged by
/// content; at most 5 MB), its name in `X-File-Name` (percent-encoded). At most five files per request.
#[utoipa::path(
    tag = "authorization",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Request id"),
        ("X-File-Name" = Option<String>, Header, description = "The file's name, percent-encoded UTF-8"),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file"),
    responses(
        (status = 201, description = "Attached", body = Attachment),
        (status = 403, description = "Not the requester", body = Problem),
        (status = 404, description = "No such request", body = Problem),
        (status = 409, description = "Decided already, or five files attached", body = Problem),
        (status = 413, description = "Larger than 5 MB", body = Problem),
        (status = 415, description = "Not a PDF, JPEG or PNG", body = Problem),
    )
)]
#[post("/authorization/requests/{id}/attachments")]
pub async fn upload_attachment(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let by = person(&principal)?;
    let actor = principal.actor();
    let id = id.into_inner();
    let content = upload::read_limited(payload, MAX_ATTACHMENT_BYTES).await?;
    let media_type = upload::document_type(&content)
        .ok_or(ApiError::UnsupportedMediaType { expected: "application/pdf, image/jpeg or image/png" })?;
    let file_name = upload::file_name(req.headers().get("x-file-name").and_then(|v| v.to_str().ok()), "attachment");
    let attachment = state
        .write(move |conn| {
            let (row, _) = visible_request(conn, &principal, &id)?;
            if row.requester_id != by {
                return Err(ApiError::forbidden(ErrorCode::NotTheRequester, "only the requester adds attachments"));
            }
            if row.status() != RequestStatus::Pending {
                return Err(already_decided(row.status()));
            }
            let count: i64 =
                request_attachments::table.filter(request_attachments::request_id.eq(&id)).count().get_result(conn)?;
            if count >= MAX_ATTACHMENTS as i64 {
                return Err(ApiError::Conflict {
                    code: ErrorCode::TooManyAttachments,
                    detail: format!("a request carries at most {MAX_ATTACHMENTS} files"),
                    errors: Vec::new(),
                });
            }
            let attachment_id = crate::db::new_id();
            let now = crate::clock::now();
            diesel::insert_into(request_attachments::table)
                .values((
                    request_attachments::id.eq(&attachment_id),
                    request_attachments::request_id.eq(&id),
                    request_attachments::file_name.eq(&file_name),
                    request_attachments::media_type.eq(media_type),
                    request_attachments::size.eq(i32::try_from(content.len()).unwrap_or(i32::MAX)),
                    request_attachments::content.eq(&content),
                    request_attachments::uploaded_at.eq(now),
                    request_attachments::uploaded_by.eq(&by),
                ))
                .execute(conn)?;
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::AuthorizationAttach, Outcome::Success)
                    .target(TargetKind::AuthorizationRequest, &id)
                    .detail(format!("{file_name} ({media_type}, {} bytes)", content.len())),
            )?;
            store::attachments(conn, &id)?
                .into_iter()
                .find(|a| a.id == attachment_id)
                .ok_or_else(|| ApiError::internal("attachment vanished"))
        })
        .await?;
    Ok(HttpResponse::Created().json(attachment))
}

/// One attachment's file, for either side of the request.
#[utoipa::path(
    tag = "authorization",
    security(("bearer" = ["authorization:read"])),
    params(
        ("id" = String, Path, description = "Request id"),
        ("attachment_id" = String, Path, description = "Attachment id"),
    ),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, description = "No such request or attachment", body = Problem),
    )
)]
#[get("/authorization/requests/{id}/attachments/{attachment_id}")]
pub async fn download_attachment(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (id, attachment_id) = path.into_inner();
    let (name, media_type, content) = state
        .read(move |conn| {
            visible_request(conn, &principal, &id)?;
            request_attachments::table
                .filter(request_attachments::request_id.eq(&id))
                .filter(request_attachments::id.eq(&attachment_id))
                .select((request_attachments::file_name, request_attachments::media_type, request_attachments::content))
                .first::<(String, String, Vec<u8>)>(conn)
                .optional()?
                .ok_or_else(|| ApiError::not_found("no such attachment"))
        })
        .await?;
    let encoded = percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC).to_string();
    Ok(HttpResponse::Ok()
        .content_type(media_type)
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename*=UTF-8''{encoded}")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(content))
}

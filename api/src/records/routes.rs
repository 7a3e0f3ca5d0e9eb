//! Record endpoints for the workbench and external systems: submit, read and list through the access rule
//! amend with a reason and revoke (both with `If-Match`), and the version history.

use super::reads::{self, ReadKind, ReadTrail};
use super::store::{self, Provider};
use super::{changes, listing, masked};
use crate::access::{self, Presentation, Viewer};
use crate::audit::Actor;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::http::{cursor, versioning, ValidJson, ValidQuery};
use crate::identity::principal::Principal;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use credit_types::page::DEFAULT_LIMIT;
use credit_types::records::{
    AmendRecordRequest, NewRecordRequest, ReadQuery, Record, RecordListQuery, RecordSummary, RecordVersion,
    RevokeRecordRequest,
};
use credit_types::{ErrorCode, Page, Problem};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_records)
        .service(export_records)
        .service(create_record)
        .service(get_record)
        .service(list_versions)
        .service(amend_record)
        .service(revoke_record);
}

/// Submit one record for the caller's own organisation (data provider, R-6.1). The jurisdiction is the
/// organisation's region; the class is the catalog's default or narrower; `publish_until` follows from
/// the decision date and the catalog's period. A retry with the same `provider_ref` and the same content answers
/// 200 with the stored record; the same reference with other content is a 409.
#[utoipa::path(
    tag = "records",
    security(("bearer" = ["records:write"])),
    request_body = NewRecordRequest,
    responses(
        (status = 201, description = "Created", body = Record, headers(("ETag" = String, description = "Version"))),
        (status = 200, description = "Already stored under this reference with the same content", body = Record),
        (status = 403, description = "Not a data provider", body = Problem),
        (status = 409, description = "The reference is taken by other content", body = Problem),
        (status = 422, description = "Invalid fields", body = Problem),
    )
)]
#[post("/records")]
pub async fn create_record(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<NewRecordRequest>,
) -> ApiResult<HttpResponse> {
    if !access::can_submit(&Viewer::of(&principal)) {
        return Err(ApiError::forbidden(ErrorCode::NotADataProvider, "only data providers submit records (R-6.1)"));
    }
    let provider = Provider::of(&principal);
    let actor = principal.actor();
    let ValidJson(request) = body;
    let (record, created) = state.write(move |conn| changes::submit(conn, &provider, &actor, request)).await?;
    let mut response = if created { HttpResponse::Created() } else { HttpResponse::Ok() };
    Ok(response
        .insert_header((header::ETAG, versioning::etag(record.version)))
        .insert_header((header::LOCATION, format!("/api/v1/records/{}", record.id)))
        .json(record))
}

/// One record, if the caller may see it; otherwise 404, as for a record that does not exist. Reads of
/// non-public data are audited with their purpose.
#[utoipa::path(
    tag = "records",
    security(("bearer" = ["records:read"])),
    params(("id" = String, Path, description = "Record id"), ReadQuery),
    responses(
        (status = 200, description = "The record", body = Record, headers(("ETag" = String, description = "Version"))),
        (status = 404, description = "No such record, or none the caller may see", body = Problem),
    )
)]
#[get("/records/{id}")]
pub async fn get_record(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: ValidQuery<ReadQuery>,
) -> ApiResult<HttpResponse> {
    let viewer = Viewer::of(&principal);
    let actor = principal.actor();
    let id = id.into_inner();
    let ValidQuery(query) = query;
    let (record, trail) = state
        .read(move |conn| {
            let (row, basis) = reads::readable_record_with_basis(conn, &viewer, &id)?;
            let now = crate::clock::now();
            let trail = ReadTrail::of_record(&actor, &row, &basis, ReadKind::Read, query.purpose.as_deref(), now);
            let item_id = row.catalog_item_id.clone();
            let mut record = store::to_record(conn, row)?;
            record.read_through_grant = basis.grant_id();
            if access::presentation(&viewer) == Presentation::Masked {
                record = masked::record(conn, record, &item_id)?;
            }
            Ok((record, trail))
        })
        .await?;
    reads::leave(&state, trail).await?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, versioning::etag(record.version))).json(record))
}

/// Every version of a record, newest first, for those who may see the record.
#[utoipa::path(
    tag = "records",
    security(("bearer" = ["records:read"])),
    params(("id" = String, Path, description = "Record id"), ReadQuery),
    responses(
        (status = 200, description = "The versions", body = Vec<RecordVersion>),
        (status = 404, description = "No such record, or none the caller may see", body = Problem),
    )
)]
#[get("/records/{id}/versions")]
pub async fn list_versions(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: ValidQuery<ReadQuery>,
) -> ApiResult<HttpResponse> {
    let viewer = Viewer::of(&principal);
    let actor = principal.actor();
    let id = id.into_inner();
    let ValidQuery(query) = query;
    let (versions, trail) = state
        .read(move |conn| {
            let (row, basis) = reads::readable_record_with_basis(conn, &viewer, &id)?;
            let now = crate::clock::now();
            let trail = ReadTrail::of_record(&actor, &row, &basis, ReadKind::Versions, query.purpose.as_deref(), now);
            let versions = store::versions(conn, &row)?;
            let versions = match access::presentation(&viewer) {
                Presentation::Masked => masked::versions(conn, versions, &row.catalog_item_id)?,
                Presentation::Full => versions,
            };
            Ok((versions, trail))
        })
        .await?;
    reads::leave(&state, trail).await?;
    Ok(HttpResponse::Ok().json(versions))
}

/// Records the caller may see, newest first, filtered; the access rule is part of the query, so pages
/// never reveal hidden rows. A page holding non-public records is audited with its row count and purpose; rows
/// seen through a grant are also logged as uses of that grant.
#[utoipa::path(
    tag = "records",
    security(("bearer" = ["records:read"])),
    params(RecordListQuery),
    responses(
        (status = 200, description = "One page of records", body = Page<RecordSummary>),
        (status = 400, description = "An invalid query parameter", body = Problem),
    )
)]
#[get("/records")]
pub async fn list_records(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<RecordListQuery>,
) -> ApiResult<HttpResponse> {
    let viewer = Viewer::of(&principal);
    let actor = principal.actor();
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let after = query.cursor.as_deref().map(|c| cursor::decode(c, 1)).transpose()?.and_then(|mut key| key.pop());
    let (items, trail) = state
        .read(move |conn| {
            let now = crate::clock::now();
            let rows = listing::page(conn, &viewer, &query, after.as_deref(), limit, now)?;
            let shown = rows.get(..rows.len().min(limit as usize)).unwrap_or_default();
            let (trail, mut granted) = ReadTrail::of_page(conn, &viewer, &actor, shown, query.purpose.as_deref(), now)?;
            let mut summaries = store::summaries(conn, rows)?;
            for summary in &mut summaries {
                summary.read_through_grant = granted.remove(&summary.id);
            }
            Ok((presented(&viewer, summaries), trail))
        })
        .await?;
    reads::leave(&state, trail).await?;
    Ok(HttpResponse::Ok().json(cursor::page(items, limit, |last| last.id.clone())))
}

/// The records the caller may see, filtered as for the list, as a CSV file (UTF-8 with a byte-order mark), newest
/// first, at most 10,000 rows (R-17.1 exchange). Every export is audited with its row count and purpose.
#[utoipa::path(
    tag = "records",
    security(("bearer" = ["records:read"])),
    params(RecordListQuery),
    responses(
        (status = 200, description = "The records as CSV", content_type = "text/csv", body = String),
        (status = 400, description = "An invalid query parameter", body = Problem),
    )
)]
#[get("/records/export.csv")]
pub async fn export_records(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<RecordListQuery>,
) -> ApiResult<HttpResponse> {
    let viewer = Viewer::of(&principal);
    let actor = principal.actor();
    let ValidQuery(query) = query;
    let (body, trail) = state
        .read(move |conn| {
            let now = crate::clock::now();
            let rows = listing::export_rows(conn, &viewer, &query, now)?;
            let trail = ReadTrail::of_export(conn, &viewer, &actor, &rows, query.purpose.as_deref(), now)?;
            let summaries = presented(&viewer, store::summaries(conn, rows)?);
            Ok((listing::export_csv(&summaries)?, trail))
        })
        .await?;
    reads::leave(&state, trail).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"records.csv\""))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

/// Amend a record (its provider's data providers only): a new version with the reason; the old one stays in the
/// history. `If-Match` must carry the version read; the subject cannot change (revoke and submit anew instead).
#[utoipa::path(
    tag = "records",
    security(("bearer" = ["records:write"])),
    params(
        ("id" = String, Path, description = "Record id"),
        ("If-Match" = String, Header, description = "The version read (ETag)"),
    ),
    request_body = AmendRecordRequest,
    responses(
        (status = 200, description = "The new version", body = Record, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Another organisation's record", body = Problem),
        (status = 404, description = "No such record, or none the caller may see", body = Problem),
        (status = 409, description = "The record is revoked", body = Problem),
        (status = 412, description = "Changed since read", body = Problem),
        (status = 422, description = "Invalid fields", body = Problem),
        (status = 428, description = "No If-Match", body = Problem),
    )
)]
#[put("/records/{id}")]
pub async fn amend_record(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: ValidJson<AmendRecordRequest>,
) -> ApiResult<HttpResponse> {
    change(req, state, principal, id, body, changes::amend).await
}

/// Revoke a record (its provider only, with a reason and `If-Match`): kept with its history, never published again.
#[utoipa::path(
    tag = "records",
    security(("bearer" = ["records:write"])),
    params(
        ("id" = String, Path, description = "Record id"),
        ("If-Match" = String, Header, description = "The version read (ETag)"),
    ),
    request_body = RevokeRecordRequest,
    responses(
        (status = 200, description = "Revoked", body = Record, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Another organisation's record", body = Problem),
        (status = 404, description = "No such record, or none the caller may see", body = Problem),
        (status = 409, description = "Already revoked", body = Problem),
        (status = 412, description = "Changed since read", body = Problem),
        (status = 428, description = "No If-Match", body = Problem),
    )
)]
#[post("/records/{id}/revoke")]
pub async fn revoke_record(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: ValidJson<RevokeRecordRequest>,
) -> ApiResult<HttpResponse> {
    change(req, state, principal, id, body, changes::revoke).await
}

/// A change of one record by its provider: `If-Match` is required, the change runs in one write transaction, and
/// the answer is the new version with its `ETag`.
async fn change<B: Send + 'static>(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: ValidJson<B>,
    apply: fn(&mut Db, &Viewer, &Actor, &str, i32, &B) -> ApiResult<Record>,
) -> ApiResult<HttpResponse> {
    let expected = versioning::if_match(&req)?;
    let viewer = Viewer::of(&principal);
    let actor = principal.actor();
    let id = id.into_inner();
    let ValidJson(request) = body;
    let record = state.write(move |conn| apply(conn, &viewer, &actor, &id, expected, &request)).await?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, versioning::etag(record.version))).json(record))
}

/// A list's rows as `viewer` receives them: masked for those who read masked.
fn presented(viewer: &Viewer, summaries: Vec<RecordSummary>) -> Vec<RecordSummary> {
    match access::presentation(viewer) {
        Presentation::Masked => summaries.into_iter().map(masked::summary).collect(),
        Presentation::Full => summaries,
    }
}

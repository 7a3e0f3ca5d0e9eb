//! Record endpoints for the workbench and external systems: submit, read and list through the access rule
//! amend with a reason and revoke (both with `If-Match`), and the version history.

use super::rules::{self, Submission};
use super::store::{self, Provider, RecordRow};
use crate::access::{self, ReadBasis, Viewer};
use crate::audit::{self, EventFields, Outcome};
use crate::catalog::routes::find as find_item;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::http::{cursor, versioning, ValidJson, ValidQuery};
use crate::identity::principal::Principal;
use crate::schema::records;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use credit_types::page::DEFAULT_LIMIT;
use credit_types::records::{
    AmendRecordRequest, NewRecordRequest, ReadQuery, Record, RecordListQuery, RecordStatus, RecordSummary,
    RecordVersion, RevokeRecordRequest, SubjectInput,
};
use credit_types::{FieldError, Page, Problem};
use diesel::prelude::*;
use std::collections::HashMap;
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
    security(("bearer" = [])),
    request_body = NewRecordRequest,
    responses(
        (status = 201, description = "Created", body = Record, headers(("ETag" = String, description = "Version"))),
        (status = 200, description = "Already stored under this reference with the same content", body = Record),
        (status = 403, description = "Not a data provider", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The reference is taken by other content", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/records")]
pub async fn create_record(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<NewRecordRequest>,
) -> ApiResult<HttpResponse> {
    principal.require_scope("records:write")?;
    let viewer = Viewer::of(&principal);
    if !access::can_submit(&viewer) {
        return Err(ApiError::forbidden("not_a_data_provider", "only data providers submit records (R-6.1)"));
    }
    let provider = provider_of(&principal);
    let actor = principal.actor();
    let ValidJson(request) = body;
    let (record, created) = state
        .db(move |conn| {
            crate::db::write_transaction(conn, |conn| {
                let item = crate::catalog::store::current_by_code(conn, &request.catalog_item)?
                    .ok_or_else(|| invalid("catalog_item", "unknown_catalog_item", "没有这个目录项"))?;
                let submission = Submission {
                    subject: request.subject,
                    decision_date: request.decision_date,
                    class: request.disclosure_class,
                    publish_days: request.publish_days,
                    provider_ref: request.provider_ref,
                    values: request.values,
                };
                let draft = rules::draft(&item, submission, crate::clock::today())
                    .map_err(|errors| ApiError::Validation { errors })?;
                if let Some(existing) = store::subjects_by_code(conn, &[&draft.subject.code])?.get(&draft.subject.code)
                {
                    if let Some(error) = store::subject_conflict(existing, &draft.subject) {
                        return Err(ApiError::Validation { errors: vec![error] });
                    }
                }
                if let Some(reference) = &draft.provider_ref {
                    if let Some((id, hash)) =
                        store::records_by_ref(conn, &provider.organisation_id, &[reference])?.remove(reference)
                    {
                        if hash == draft.content_hash {
                            let row = store::find_record(conn, &id)?.ok_or_else(|| ApiError::internal("vanished"))?;
                            return Ok((store::to_record(conn, row)?, false));
                        }
                        return Err(ApiError::Conflict {
                            code: "provider_ref_taken",
                            detail: format!("record {id} has the reference {reference} with other content; amend it"),
                            errors: vec![FieldError::new(
                                "provider_ref",
                                "taken",
                                "本单位编号已用于另一条内容不同的记录",
                            )],
                        });
                    }
                }
                let ids =
                    store::insert_drafts(conn, &item, &provider, std::slice::from_ref(&draft), crate::clock::now())?;
                let id = ids.into_iter().next().ok_or_else(|| ApiError::internal("nothing inserted"))?;
                audit::append(
                    conn,
                    EventFields::new(&actor, "record.create", Outcome::Success).target("record", &id).detail(format!(
                        "{} {}",
                        item.code,
                        draft.class.as_str()
                    )),
                )?;
                let row = store::find_record(conn, &id)?.ok_or_else(|| ApiError::internal("vanished"))?;
                Ok((store::to_record(conn, row)?, true))
            })
        })
        .await?;
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
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Record id"), ReadQuery),
    responses(
        (status = 200, description = "The record", body = Record, headers(("ETag" = String, description = "Version"))),
        (status = 404, description = "No such record, or none the caller may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/records/{id}")]
pub async fn get_record(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: ValidQuery<ReadQuery>,
) -> ApiResult<HttpResponse> {
    principal.require_scope("records:read")?;
    let viewer = Viewer::of(&principal);
    let actor = principal.actor();
    let id = id.into_inner();
    let ValidQuery(query) = query;
    let record = state
        .db(move |conn| {
            let (row, basis) = readable_record_with_basis(conn, &viewer, &id)?;
            audit_read(conn, &actor, &row, &basis, "read", query.purpose.as_deref())?;
            let mut record = store::to_record(conn, row)?;
            if let ReadBasis::Grant(grant) = basis {
                record.read_through_grant = Some(grant.id);
            }
            Ok(record)
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, versioning::etag(record.version))).json(record))
}

/// Every version of a record, newest first, for those who may see the record.
#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Record id"), ReadQuery),
    responses(
        (status = 200, description = "The versions", body = Vec<RecordVersion>),
        (status = 404, description = "No such record, or none the caller may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/records/{id}/versions")]
pub async fn list_versions(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: ValidQuery<ReadQuery>,
) -> ApiResult<HttpResponse> {
    principal.require_scope("records:read")?;
    let viewer = Viewer::of(&principal);
    let actor = principal.actor();
    let id = id.into_inner();
    let ValidQuery(query) = query;
    let versions = state
        .db(move |conn| {
            let (row, basis) = readable_record_with_basis(conn, &viewer, &id)?;
            audit_read(conn, &actor, &row, &basis, "versions", query.purpose.as_deref())?;
            store::versions(conn, &row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(versions))
}

/// Records the caller may see, newest first, filtered; the access rule is part of the query, so pages
/// never reveal hidden rows. A page holding non-public records is audited with its row count and purpose; rows
/// seen through a grant are also logged as uses of that grant.
#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    params(RecordListQuery),
    responses(
        (status = 200, description = "One page of records", body = Page<RecordSummary>),
        (status = 400, description = "An invalid query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/records")]
pub async fn list_records(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<RecordListQuery>,
) -> ApiResult<HttpResponse> {
    principal.require_scope("records:read")?;
    let viewer = Viewer::of(&principal);
    let actor = principal.actor();
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let after = query.cursor.as_deref().map(|c| cursor::decode(c, 1)).transpose()?.and_then(|mut key| key.pop());
    let items = state
        .db(move |conn| {
            let now = crate::clock::now();
            let Some(mut rows) = list_query(conn, &viewer, &query, now)? else { return Ok(Vec::new()) };
            if let Some(after) = &after {
                rows = rows.filter(records::id.lt(after));
            }
            let rows: Vec<RecordRow> =
                rows.order(records::id.desc()).limit(i64::from(limit) + 1).select(RecordRow::as_select()).load(conn)?;
            let hidden = rows.iter().take(limit as usize).filter(|r| !is_public(r, now)).count();
            let mut granted = HashMap::new();
            if hidden > 0 {
                let mut event = EventFields::new(&actor, "record.list", Outcome::Success)
                    .target("record", "list")
                    .detail(format!("{hidden} non-public rows"));
                if let Some(purpose) = &query.purpose {
                    event = event.purpose(purpose);
                }
                audit::append(conn, event)?;
                let page = rows.get(..rows.len().min(limit as usize)).unwrap_or_default();
                granted = audit_grant_reads(conn, &viewer, &actor, page, "list", now)?;
            }
            let mut summaries = store::summaries(conn, rows)?;
            for summary in &mut summaries {
                summary.read_through_grant = granted.remove(&summary.id);
            }
            Ok(summaries)
        })
        .await?;
    Ok(HttpResponse::Ok().json(cursor::page(items, limit, |last| last.id.clone())))
}

/// The most rows one export holds.
const EXPORT_MAX_ROWS: i64 = 10_000;

/// The records the caller may see, filtered as for the list, as a CSV file (UTF-8 with a byte-order mark), newest
/// first, at most 10,000 rows (R-17.1 exchange). Every export is audited with its row count and purpose.
#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    params(RecordListQuery),
    responses(
        (status = 200, description = "The records as CSV", content_type = "text/csv", body = String),
        (status = 400, description = "An invalid query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/records/export.csv")]
pub async fn export_records(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<RecordListQuery>,
) -> ApiResult<HttpResponse> {
    principal.require_scope("records:read")?;
    let viewer = Viewer::of(&principal);
    let actor = principal.actor();
    let ValidQuery(query) = query;
    let body = state
        .db(move |conn| {
            let now = crate::clock::now();
            let rows: Vec<RecordRow> = match list_query(conn, &viewer, &query, now)? {
                Some(rows) => {
                    rows.order(records::id.desc()).limit(EXPORT_MAX_ROWS).select(RecordRow::as_select()).load(conn)?
                }
                None => Vec::new(),
            };
            let mut event = EventFields::new(&actor, "record.export", Outcome::Success)
                .target("record", "export")
                .detail(format!("{} rows", rows.len()));
            if let Some(purpose) = &query.purpose {
                event = event.purpose(purpose);
            }
            audit::append(conn, event)?;
            audit_grant_reads(conn, &viewer, &actor, &rows, "export", now)?;
            let summaries = store::summaries(conn, rows)?;
            export_csv(&summaries)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"records.csv\""))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

fn export_csv(records: &[RecordSummary]) -> ApiResult<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    writer
        .write_record([
            "记录编号",
            "主体名称",
            "主体代码",
            "目录项",
            "提供单位",
            "管辖区划",
            "公开范围",
            "决定日期",
            "公示截止",
            "状态",
            "版本",
            "本单位编号",
        ])
        .map_err(ApiError::internal)?;
    for r in records {
        writer
            .write_record([
                r.id.as_str(),
                &r.subject.name,
                &r.subject.code,
                &r.catalog_name,
                &r.provider_name,
                &r.jurisdiction_region,
                r.disclosure_class.label(),
                &r.decision_date.to_string(),
                &r.publish_until.to_string(),
                r.status.label(),
                &r.version.to_string(),
                r.provider_ref.as_deref().unwrap_or_default(),
            ])
            .map_err(ApiError::internal)?;
    }
    writer.into_inner().map_err(ApiError::internal)
}

/// The filtered, access-checked query of a list; `None` when the filters can match nothing.
fn list_query<'a>(
    conn: &mut Db,
    viewer: &Viewer,
    query: &'a RecordListQuery,
    now: chrono::NaiveDateTime,
) -> ApiResult<Option<records::BoxedQuery<'a, crate::db::MultiBackend>>> {
    let mut rows = records::table.filter(access::readable(viewer, now)).into_boxed();
    if let Some(q) = &query.q {
        let subject_ids = crate::portal::search::subject_ids(conn, q, 5_000)?;
        if subject_ids.is_empty() {
            return Ok(None);
        }
        rows = rows.filter(records::subject_id.eq_any(subject_ids));
    }
    if let Some(code) = &query.catalog_item {
        let Some(item_id) = store::catalog_item_id(conn, code)? else { return Ok(None) };
        rows = rows.filter(records::catalog_item_id.eq(item_id));
    }
    if let Some(provider) = &query.provider {
        rows = rows.filter(records::provider_id.eq(provider));
    }
    if let Some(region) = &query.region {
        rows = rows.filter(records::jurisdiction_region.eq(region));
    }
    if let Some(class) = query.disclosure_class {
        rows = rows.filter(records::disclosure_class.eq(class.as_str()));
    }
    if let Some(status) = query.status {
        rows = rows.filter(records::status.eq(status.as_str()));
    }
    if let Some(from) = query.from {
        rows = rows.filter(records::decision_date.ge(from));
    }
    if let Some(to) = query.to {
        rows = rows.filter(records::decision_date.le(to));
    }
    Ok(Some(rows))
}

/// Amend a record (its provider's data providers only): a new version with the reason; the old one stays in the
/// history. `If-Match` must carry the version read; the subject cannot change (revoke and submit anew instead).
#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Record id"),
        ("If-Match" = String, Header, description = "The version read (ETag)"),
    ),
    request_body = AmendRecordRequest,
    responses(
        (status = 200, description = "The new version", body = Record, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Another organisation's record", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such record, or none the caller may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The record is revoked", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No If-Match", body = Problem, content_type = "application/problem+json"),
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
    principal.require_scope("records:write")?;
    let expected = versioning::if_match(&req)?;
    let viewer = Viewer::of(&principal);
    let actor = principal.actor();
    let by = principal.user_id().to_owned();
    let id = id.into_inner();
    let ValidJson(request) = body;
    let record = state
        .db(move |conn| {
            crate::db::write_transaction(conn, |conn| {
                let row = changeable_record(conn, &viewer, &id)?;
                if row.status() == RecordStatus::Revoked {
                    return Err(ApiError::Conflict {
                        code: "record_revoked",
                        detail: "a revoked record cannot be amended; submit a new one".into(),
                        errors: Vec::new(),
                    });
                }
                versioning::check(expected, row.version)?;
                let version = apply_amendment(conn, &row, &request, None, &by)?;
                audit::append(
                    conn,
                    EventFields::new(&actor, "record.amend", Outcome::Success)
                        .target("record", &id)
                        .detail(format!("version {version}: {}", request.reason.trim())),
                )?;
                let row = store::find_record(conn, &id)?.ok_or_else(|| ApiError::internal("vanished"))?;
                store::to_record(conn, row)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, versioning::etag(record.version))).json(record))
}

/// Amends `row` as `request` says: checked like a submission, written as a new version with the reason.
/// `status` replaces the record's state (an objection's correction marks it corrected); `None` keeps it, except
/// that a record leaving or re-entering its publication period becomes expired or active. Returns the version.
pub fn apply_amendment(
    conn: &mut Db,
    row: &RecordRow,
    request: &AmendRecordRequest,
    status: Option<RecordStatus>,
    by: &str,
) -> ApiResult<i32> {
    let current = store::subjects_by_id(conn, &[&row.subject_id])?;
    let subject = current.get(&row.subject_id).ok_or_else(|| ApiError::internal("record without subject"))?;
    let item_code = store::catalog_names(conn)?
        .remove(&row.catalog_item_id)
        .map(|(code, _)| code)
        .ok_or_else(|| ApiError::internal("record without catalog item"))?;
    let item = find_item(conn, &item_code)?;
    let submission = Submission {
        subject: SubjectInput { kind: subject.kind(), code: subject.code.clone(), name: subject.name.clone() },
        decision_date: request.decision_date,
        // Left out, the class and the period stay as they are (within the item's current bounds): an
        // amendment never widens a narrowed record by omission.
        class: request.disclosure_class.or(Some(row.class())),
        publish_days: request.publish_days.or_else(|| {
            let days = (row.publish_until - row.decision_date).num_days();
            u32::try_from(days).ok().map(|d| d.clamp(item.min_days, item.max_days))
        }),
        provider_ref: row.provider_ref.clone(),
        values: request.values.clone(),
    };
    let today = crate::clock::today();
    // A record that has left its period may be amended (e.g. corrected), but stays unpublished.
    let draft = rules::draft(&for_amendment(item.clone()), submission, today)
        .map_err(|errors| ApiError::Validation { errors })?;
    let status = match status.unwrap_or(row.status()) {
        _ if draft.publish_until < today => RecordStatus::Expired,
        RecordStatus::Expired => RecordStatus::Active,
        other => other,
    };
    store::update_record(conn, row, item.version, &draft, status, request.reason.trim(), by, crate::clock::now())
}

/// Revoke a record (its provider only, with a reason and `If-Match`): kept with its history, never published again.
#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Record id"),
        ("If-Match" = String, Header, description = "The version read (ETag)"),
    ),
    request_body = RevokeRecordRequest,
    responses(
        (status = 200, description = "Revoked", body = Record, headers(("ETag" = String, description = "Version"))),
        (status = 403, description = "Another organisation's record", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such record, or none the caller may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already revoked", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since read", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No If-Match", body = Problem, content_type = "application/problem+json"),
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
    principal.require_scope("records:write")?;
    let expected = versioning::if_match(&req)?;
    let viewer = Viewer::of(&principal);
    let actor = principal.actor();
    let by = principal.user_id().to_owned();
    let id = id.into_inner();
    let ValidJson(request) = body;
    let record = state
        .db(move |conn| {
            crate::db::write_transaction(conn, |conn| {
                let row = changeable_record(conn, &viewer, &id)?;
                if row.status() == RecordStatus::Revoked {
                    return Err(ApiError::Conflict {
                        code: "record_revoked",
                        detail: "the record is already revoked".into(),
                        errors: Vec::new(),
                    });
                }
                versioning::check(expected, row.version)?;
                store::revoke_record(conn, &row, request.reason.trim(), &by, crate::clock::now())?;
                audit::append(
                    conn,
                    EventFields::new(&actor, "record.revoke", Outcome::Success)
                        .target("record", &id)
                        .detail(request.reason.trim().to_owned()),
                )?;
                let row = store::find_record(conn, &id)?.ok_or_else(|| ApiError::internal("vanished"))?;
                store::to_record(conn, row)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, versioning::etag(record.version))).json(record))
}

/// Amendments are checked like submissions, except that an inactive catalog item still accepts corrections of
/// its existing records.
fn for_amendment(mut item: crate::catalog::store::Definition) -> crate::catalog::store::Definition {
    item.active = true;
    item
}

/// The record if `viewer` may read it, else 404 as for a record that does not exist.
pub fn readable_record(conn: &mut Db, viewer: &Viewer, id: &str) -> ApiResult<RecordRow> {
    readable_record_with_basis(conn, viewer, id).map(|(row, _)| row)
}

/// The record if `viewer` may read it, with the ground of the read: the table, or a grant the
/// viewer's organisation holds. 404 otherwise — also at once after the grant expires or is revoked.
pub fn readable_record_with_basis(conn: &mut Db, viewer: &Viewer, id: &str) -> ApiResult<(RecordRow, ReadBasis)> {
    let row = store::find_record(conn, id)?.ok_or_else(|| ApiError::not_found("no such record"))?;
    let held = access::grants::held(conn, viewer, &[id])?.remove(id).unwrap_or_default();
    let basis = access::read_basis(viewer, &row.facts_with(&held), crate::clock::now())
        .ok_or_else(|| ApiError::not_found("no such record"))?;
    Ok((row, basis))
}

/// The record if `viewer` may change it: 404 when it may not even see it, 403 when it may see but not change it.
fn changeable_record(conn: &mut Db, viewer: &Viewer, id: &str) -> ApiResult<RecordRow> {
    let row = readable_record(conn, viewer, id)?;
    if !access::can_change(viewer, &row.facts()) {
        return Err(ApiError::forbidden(
            "not_the_provider",
            "only the providing organisation changes its records (R-6.1)",
        ));
    }
    Ok(row)
}

/// Whether the public could read the record: reads of anything else are audited.
fn is_public(row: &RecordRow, now: chrono::NaiveDateTime) -> bool {
    access::can_read(&Viewer::Anonymous, &row.facts(), now)
}

/// Audits a read of one non-public record; a read through a grant names the grant and its purpose and is
/// logged as a use of it.
fn audit_read(
    conn: &mut Db,
    actor: &crate::audit::Actor,
    row: &RecordRow,
    basis: &ReadBasis,
    action: &str,
    purpose: Option<&str>,
) -> ApiResult<()> {
    if let ReadBasis::Grant(grant) = basis {
        crate::authorization::usage::record(conn, actor, grant, &[row.id.as_str()], action, crate::clock::now())?;
        return Ok(());
    }
    if is_public(row, crate::clock::now()) {
        return Ok(());
    }
    let mut event = EventFields::new(actor, "record.read", Outcome::Success).target("record", &row.id);
    if let Some(purpose) = purpose {
        event = event.purpose(purpose);
    }
    audit::append(conn, event)?;
    Ok(())
}

/// Logs the rows of a list or export that the viewer sees only through a grant as uses of that grant; returns the
/// grant of each such row, by record id.
fn audit_grant_reads(
    conn: &mut Db,
    viewer: &Viewer,
    actor: &crate::audit::Actor,
    rows: &[RecordRow],
    action: &str,
    now: chrono::NaiveDateTime,
) -> ApiResult<HashMap<String, String>> {
    let mut granted = HashMap::new();
    let through_grant: Vec<&RecordRow> = rows.iter().filter(|r| !access::can_read(viewer, &r.facts(), now)).collect();
    if through_grant.is_empty() {
        return Ok(granted);
    }
    let ids: Vec<&str> = through_grant.iter().map(|r| r.id.as_str()).collect();
    let mut held = access::grants::held(conn, viewer, &ids)?;
    let mut by_grant: Vec<(access::HeldGrant, Vec<&str>)> = Vec::new();
    for row in through_grant {
        let grants = held.remove(&row.id).unwrap_or_default();
        if let Some(ReadBasis::Grant(grant)) = access::read_basis(viewer, &row.facts_with(&grants), now) {
            granted.insert(row.id.clone(), grant.id.clone());
            match by_grant.iter_mut().find(|(g, _)| g.id == grant.id) {
                Some((_, ids)) => ids.push(&row.id),
                None => by_grant.push((grant, vec![&row.id])),
            }
        }
    }
    for (grant, ids) in by_grant {
        crate::authorization::usage::record(conn, actor, &grant, &ids, action, now)?;
    }
    Ok(granted)
}

/// The caller's organisation as the provider of what it submits.
pub fn provider_of(principal: &Principal) -> Provider {
    Provider {
        organisation_id: principal.organisation_id.clone(),
        region_code: principal.region_code.clone(),
        level: principal.level,
        user_id: principal.user_id().to_owned(),
    }
}

fn invalid(field: &str, code: &str, message: &str) -> ApiError {
    ApiError::Validation { errors: vec![FieldError::new(field, code, message)] }
}

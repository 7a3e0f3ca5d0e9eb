//! The operation log's endpoints: search in pages, one entry, a new entry (system administrators), and the
//! CSV export (audited). Nothing is ever changed or deleted: a correction is a new entry.

use super::store::{self, NewEntry};
use crate::audit::{self, AuditAction, EventFields, Outcome, TargetKind};
use crate::csv_file::CsvFile;
use crate::error::{ApiError, ApiResult};
use crate::http::{cursor, ValidJson, ValidQuery};
use crate::identity::principal::Principal;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, post, web, HttpResponse};
use credit_types::identity::Role;
use credit_types::oplog::{NewOpLogEntry, OpLogEntry, OpLogQuery};
use credit_types::page::DEFAULT_LIMIT;
use credit_types::{china_time, Page, Problem};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    // `export.csv` before `{id}`: the literal path wins over the id.
    config.service(export_entries).service(list_entries).service(get_entry).service(create_entry);
}

/// Who reads the log: the system administrators who keep it and the security auditor who reads all of operations.
pub const READERS: &[Role] = &[Role::SystemAdmin, Role::SecurityAuditor];

/// The most entries one export holds.
pub const EXPORT_MAX_ROWS: i64 = 10_000;

/// Search the operation log, latest first (R-12.1, system administrators and the security auditor): by words of the
/// text (or a fault's device and symptom), kind, severity, author and time range. Old entries stay searchable.
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    params(OpLogQuery),
    responses(
        (status = 200, description = "One page of entries", body = Page<OpLogEntry>),
        (status = 400, description = "An invalid query parameter", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Neither a system administrator nor the security auditor", body = Problem),
    )
)]
#[get("/ops/log")]
pub async fn list_entries(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<OpLogQuery>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(READERS)?;
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let before = query.cursor.as_deref().map(before_entry).transpose()?;
    let items = state.read(move |conn| store::search(conn, &query, before, i64::from(limit) + 1)).await?;
    Ok(HttpResponse::Ok().json(cursor::page(items, limit, |last| last.id.clone())))
}

/// The page cursor names the last entry seen.
fn before_entry(cursor: &str) -> ApiResult<String> {
    Ok(cursor::decode(cursor, 1)?.remove(0))
}

/// One entry with the entries that correct it (system administrators and the security auditor).
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Entry id")),
    responses(
        (status = 200, description = "The entry", body = OpLogEntry),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Neither a system administrator nor the security auditor", body = Problem),
        (status = 404, description = "No such entry", body = Problem),
    )
)]
#[get("/ops/log/{id}")]
pub async fn get_entry(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(READERS)?;
    let id = id.into_inner();
    let entry = state.read(move |conn| store::find(conn, &id)).await?;
    entry.map(|e| HttpResponse::Ok().json(e)).ok_or_else(|| ApiError::not_found("no such operation-log entry"))
}

/// Write an entry (R-12.1, system administrators): an inspection, a hardware fault (with the device, the symptom and
/// who was told when), a change, maintenance, tuning or other. To correct an entry, write a new one with `corrects`
/// naming it: entries are never changed.
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    request_body = NewOpLogEntry,
    responses(
        (status = 201, description = "The entry written", body = OpLogEntry),
        (status = 400, description = "Not JSON", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Not a system administrator", body = Problem),
        (status = 422, description = "Invalid fields: `automatic_check` kind, blank text, a hardware fault without its details, details on another kind, an unknown corrected entry", body = Problem),
    )
)]
#[post("/ops/log")]
pub async fn create_entry(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<NewOpLogEntry>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(&[Role::SystemAdmin])?;
    let ValidJson(body) = body;
    let errors = body.errors();
    if !errors.is_empty() {
        return Err(ApiError::Validation { errors });
    }
    let (actor, author) = (principal.actor(), principal.user_id().to_owned());
    let entry = state
        .write(move |conn| {
            let id = store::append(
                conn,
                &NewEntry {
                    kind: body.kind,
                    severity: body.severity,
                    text: body.text,
                    author: Some(author),
                    source: None,
                    corrects: body.corrects,
                    hardware: body.hardware,
                },
            )?;
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::OpLogWrite, Outcome::Success)
                    .target(TargetKind::OpLogEntry, id.clone())
                    .detail(body.kind.as_str()),
            )?;
            store::find(conn, &id)?.ok_or_else(|| ApiError::internal("the entry just written is gone"))
        })
        .await?;
    Ok(HttpResponse::Created().insert_header((header::LOCATION, format!("/api/v1/ops/log/{}", entry.id))).json(entry))
}

/// The entries matching the search as CSV (UTF-8 with a byte-order mark, times in China time), latest first, at
/// most 10,000 (R-12.1; system administrators and the security auditor). Every export is audited.
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    params(OpLogQuery),
    responses(
        (status = 200, description = "The entries as CSV", content_type = "text/csv", body = String),
        (status = 400, description = "An invalid query parameter", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Neither a system administrator nor the security auditor", body = Problem),
    )
)]
#[get("/ops/log/export.csv")]
pub async fn export_entries(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<OpLogQuery>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(READERS)?;
    let ValidQuery(mut query) = query;
    query.cursor = None;
    let actor = principal.actor();
    let body = state
        .write(move |conn| {
            let entries = store::search(conn, &query, None, EXPORT_MAX_ROWS)?;
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::OpLogExport, Outcome::Success)
                    .detail(format!("{} entries", entries.len())),
            )?;
            csv(&entries)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"operation-log.csv\""))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

/// The export's file: what people read (labels, names, China time), with the ids alongside.
fn csv(entries: &[OpLogEntry]) -> ApiResult<Vec<u8>> {
    let mut file = CsvFile::new();
    file.row(["时间", "类型", "级别", "内容", "记录人", "设备", "故障现象", "通知对象", "通知时间", "更正", "编号"])?;
    for e in entries {
        let hardware = e.hardware.as_ref();
        file.row([
            china_time::seconds_of(&e.recorded_at),
            e.kind.label().to_owned(),
            e.severity.label().to_owned(),
            e.text.clone(),
            e.author_name.clone(),
            hardware.map(|h| h.device.clone()).unwrap_or_default(),
            hardware.map(|h| h.symptom.clone()).unwrap_or_default(),
            hardware.map(|h| h.notified.clone()).unwrap_or_default(),
            hardware.map(|h| china_time::seconds_of(&h.notified_at)).unwrap_or_default(),
            e.corrects.clone().unwrap_or_default(),
            e.id.clone(),
        ])?;
    }
    file.finish()
}

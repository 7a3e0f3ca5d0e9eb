//! The database administrator's endpoints under `/ops/database`: the snapshots of the database's state
//! (listed, the latest, one, and a new one on demand) and the archive of checks (recorded, searched, one). Database
//! administrators keep them; the security auditor reads them; nobody else.

use super::collect::{self, Requester};
use super::store::{self, CheckFilter, CheckRow};
use crate::audit::{self, AuditAction, EventFields, Outcome, TargetKind};
use crate::error::{ApiError, ApiResult};
use crate::http::{cursor, ValidJson, ValidQuery};
use crate::identity::principal::Principal;
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use credit_types::dbadmin::{
    stored_text, DbCheckQuery, DbCheckRecord, DbSnapshot, DbSnapshotQuery, DbSnapshotSummary, NewDbCheckRecord,
    SnapshotTrigger,
};
use credit_types::identity::Role;
use credit_types::page::DEFAULT_LIMIT;
use credit_types::{FieldError, Page, Problem};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    // `latest` before `{id}`: the literal path wins over the parameter.
    config
        .service(latest_snapshot)
        .service(list_snapshots)
        .service(get_snapshot)
        .service(take_snapshot)
        .service(list_checks)
        .service(get_check)
        .service(record_check);
}

/// Who reads the database's state and the checks: the database administrators who keep them and the security
/// auditor.
const READERS: &[Role] = &[Role::DbAdmin, Role::SecurityAuditor];

/// Who takes snapshots and records checks.
const KEEPERS: &[Role] = &[Role::DbAdmin];

fn before_id(cursor: Option<&str>) -> ApiResult<Option<String>> {
    cursor.map(|c| cursor::decode(c, 1)).transpose().map(|key| key.and_then(|mut k| k.pop()))
}

/// The newest snapshot of the database's state, with its figures (database administrators and the security
/// auditor); 404 before the first one.
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The newest snapshot", body = DbSnapshot),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Neither a database administrator nor the security auditor", body = Problem),
        (status = 404, description = "No snapshot yet", body = Problem),
    )
)]
#[get("/ops/database/snapshots/latest")]
pub async fn latest_snapshot(state: web::Data<AppState>, principal: Principal) -> ApiResult<HttpResponse> {
    principal.require_any_role(READERS)?;
    let snapshot = state
        .read(|conn| {
            store::latest_snapshot(conn)?.ok_or_else(|| ApiError::not_found("no snapshot of the database yet"))
        })
        .await?;
    Ok(HttpResponse::Ok().json(snapshot))
}

/// The snapshots, newest first, without their figures (database administrators and the security auditor).
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    params(DbSnapshotQuery),
    responses(
        (status = 200, description = "One page of snapshots", body = Page<DbSnapshotSummary>),
        (status = 400, description = "An invalid query parameter", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Neither a database administrator nor the security auditor", body = Problem),
    )
)]
#[get("/ops/database/snapshots")]
pub async fn list_snapshots(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<DbSnapshotQuery>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(READERS)?;
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let before = before_id(query.cursor.as_deref())?;
    let items = state
        .read(move |conn| {
            let rows = store::snapshot_page(conn, query.state, before.as_deref(), i64::from(limit) + 1)?;
            rows.into_iter().map(store::summary).collect::<ApiResult<Vec<_>>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(cursor::page(items, limit, |last| last.id.clone())))
}

/// One snapshot with its figures (database administrators and the security auditor).
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The snapshot's id")),
    responses(
        (status = 200, description = "The snapshot", body = DbSnapshot),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Neither a database administrator nor the security auditor", body = Problem),
        (status = 404, description = "No such snapshot", body = Problem),
    )
)]
#[get("/ops/database/snapshots/{id}")]
pub async fn get_snapshot(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(READERS)?;
    let id = id.into_inner();
    let snapshot = state
        .read(move |conn| {
            let row = store::find_snapshot_row(conn, &id)?.ok_or_else(|| ApiError::not_found("no such snapshot"))?;
            store::snapshot(conn, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(snapshot))
}

/// Collect the database's state now (R-13.1, database administrators): the figures of the backend in use and the
/// state the platform derives from them. Audited.
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The snapshot just taken", body = DbSnapshot),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Not a database administrator", body = Problem),
    )
)]
#[post("/ops/database/snapshots")]
pub async fn take_snapshot(state: web::Data<AppState>, principal: Principal) -> ApiResult<HttpResponse> {
    principal.require_any_role(KEEPERS)?;
    let requester = Requester { user_id: principal.user_id().to_owned(), actor: principal.actor() };
    let row = state.maintain(move |conn| collect::take(conn, SnapshotTrigger::OnDemand, Some(requester))).await?;
    let snapshot = state.read(move |conn| store::snapshot(conn, row)).await?;
    Ok(HttpResponse::Created().json(snapshot))
}

/// The archive of checks, newest first (database administrators and the security auditor): searched by words in the
/// warnings, cause or solution, by state and by time.
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    params(DbCheckQuery),
    responses(
        (status = 200, description = "One page of check records", body = Page<DbCheckRecord>),
        (status = 400, description = "An invalid query parameter", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Neither a database administrator nor the security auditor", body = Problem),
    )
)]
#[get("/ops/database/checks")]
pub async fn list_checks(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<DbCheckQuery>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(READERS)?;
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let filter = CheckFilter {
        text: query.q,
        state: query.state,
        from: query.from.map(|at| at.naive_utc()),
        to: query.to.map(|at| at.naive_utc()),
        before: before_id(query.cursor.as_deref())?,
    };
    let items = state
        .read(move |conn| {
            let rows = store::check_page(conn, &filter, i64::from(limit) + 1)?;
            store::check_records(conn, rows)
        })
        .await?;
    Ok(HttpResponse::Ok().json(cursor::page(items, limit, |last| last.id.clone())))
}

/// One check record (database administrators and the security auditor).
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The check record's id")),
    responses(
        (status = 200, description = "The check record", body = DbCheckRecord),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Neither a database administrator nor the security auditor", body = Problem),
        (status = 404, description = "No such check record", body = Problem),
    )
)]
#[get("/ops/database/checks/{id}")]
pub async fn get_check(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(READERS)?;
    let id = id.into_inner();
    let record = state
        .read(move |conn| {
            let row = store::find_check(conn, &id)?.ok_or_else(|| ApiError::not_found("no such check record"))?;
            first(store::check_records(conn, vec![row])?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(record))
}

fn first(records: Vec<DbCheckRecord>) -> ApiResult<DbCheckRecord> {
    records.into_iter().next().ok_or_else(|| ApiError::internal("a stored check record did not read back"))
}

/// Record a check of the database (R-13.1, database administrators): its state, the warnings seen, and for an
/// abnormal state the error's cause and the solution (both required); optionally the snapshot looked at. Records are
/// only ever added. Audited.
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    request_body = NewDbCheckRecord,
    responses(
        (status = 201, description = "The check as archived", body = DbCheckRecord),
        (status = 400, description = "Not JSON", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Not a database administrator", body = Problem),
        (status = 422, description = "An abnormal state without cause or solution, a text over 2000 characters, or an unknown snapshot", body = Problem),
    )
)]
#[post("/ops/database/checks")]
pub async fn record_check(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<NewDbCheckRecord>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(KEEPERS)?;
    let ValidJson(body) = body;
    let errors = body.errors();
    if !errors.is_empty() {
        return Err(ApiError::Validation { errors });
    }
    let (actor, by) = (principal.actor(), principal.user_id().to_owned());
    let record = state
        .write(move |conn| {
            let snapshot_id = body.snapshot_id.as_deref().map(str::trim).filter(|s| !s.is_empty());
            if let Some(id) = snapshot_id {
                if store::find_snapshot_row(conn, id)?.is_none() {
                    return Err(ApiError::Validation {
                        errors: vec![FieldError::new("snapshot_id", "not_found", "没有这个数据库状态快照")],
                    });
                }
            }
            let row = CheckRow {
                id: crate::db::new_id(),
                recorded_at: crate::audit::chain::to_micros(crate::clock::now()),
                recorded_by: by,
                state: body.state,
                warnings: stored_text(&body.warnings).map(str::to_owned),
                error_cause: stored_text(&body.error_cause).map(str::to_owned),
                solution: stored_text(&body.solution).map(str::to_owned),
                snapshot_id: snapshot_id.map(str::to_owned),
            };
            store::insert_check(conn, &row)?;
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::DbCheckRecord, Outcome::Success)
                    .target(TargetKind::DbCheckRecord, &row.id)
                    .detail(row.state.as_str()),
            )?;
            first(store::check_records(conn, vec![row])?)
        })
        .await?;
    Ok(HttpResponse::Created().json(record))
}

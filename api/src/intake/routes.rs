//! Batch intake endpoints: upload JSON or CSV, then poll the batch for progress and row errors.
//! `Idempotency-Key` makes a retried upload return the first batch instead of a second one.

use super::accept::{self, Accepted};
use super::job::{self, Job};
use crate::access::{self, Viewer};
use crate::error::{ApiError, ApiResult};
use crate::http::metrics::{Tracked, INTAKE_RUNNING, INTAKE_WAITING};
use crate::http::{cursor, ValidQuery};
use crate::identity::principal::Principal;
use crate::keys::AuditKey;
use crate::records::store::Provider;
use crate::schema::intake_batches;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use credit_types::intake::{Batch, BatchRequest, BatchStatus, RowError};
use credit_types::page::DEFAULT_LIMIT;
use credit_types::ErrorCode;
use credit_types::{Page, Problem};
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

pub fn configure(config: &mut ServiceConfig) {
    config.service(create_batch).service(get_batch).service(list_batches);
}

/// Query parameters of `GET /api/v1/intake/batches`.
#[derive(Debug, Clone, Default, serde::Deserialize, Validate, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BatchListQuery {
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500, code = "range", message = "limit must be between 1 and 500"))]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Upload a batch of records of one catalog item for the caller's own organisation (data provider): JSON
/// (`BatchRequest`) or CSV (`text/csv`, UTF-8, `catalog_item` in the query; see the item's template), at most
/// 10,000 rows. The answer is the batch, checked in the background: poll it until its status is final. Any
/// invalid row rejects the whole batch with errors per row; a valid batch is written in one transaction. Rows whose
/// `provider_ref` is already stored with the same content are skipped as unchanged.
#[utoipa::path(
    tag = "intake",
    security(("bearer" = ["records:write"])),
    params(
        ("catalog_item" = Option<String>, Query, description = "Catalog item code (CSV uploads)"),
        ("Idempotency-Key" = Option<String>, Header, description = "Repeat a request safely: the same key returns the first batch"),
    ),
    request_body(content(
        (BatchRequest = "application/json"),
        (String = "text/csv"),
    )),
    responses(
        (status = 202, description = "Accepted: poll the batch", body = Batch, headers(("Location" = String, description = "The batch"))),
        (status = 200, description = "A retry: the batch made by the first request with this Idempotency-Key", body = Batch),
        (status = 403, description = "Not a data provider", body = Problem),
        (status = 413, description = "Larger than the intake limit", body = Problem),
        (status = 415, description = "Neither JSON nor CSV", body = Problem),
        (status = 422, description = "Malformed batch, unknown catalog item, or an Idempotency-Key reused for another request", body = Problem),
    )
)]
#[post("/intake/batches")]
pub async fn create_batch(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    if !access::can_submit(&Viewer::of(&principal)) {
        return Err(ApiError::forbidden(ErrorCode::NotADataProvider, "only data providers submit records (R-6.1)"));
    }
    let key = idempotency_key(&req)?;
    let body = crate::http::upload::read_limited(payload, state.records().intake_max_bytes).await?;
    let (catalog_code, upload) = accept::parse(&req, &body)?;
    let request =
        accept::RequestKey { hash: accept::request_hash(&catalog_code, upload.format(), &body), idempotency_key: key };
    let upload =
        accept::Intake { request, catalog_code, upload, provider: Provider::of(&principal), actor: principal.actor() };
    match state.write(move |conn| accept::accept(conn, upload)).await? {
        Accepted::Replayed(batch) => Ok(respond(200, batch)),
        Accepted::Rejected(batch) => Ok(respond(202, batch)),
        Accepted::Queued(batch, job) => {
            spawn(&state, *job);
            Ok(respond(202, batch))
        }
    }
}

/// Runs an accepted batch's job in the background.
fn spawn(state: &AppState, job: Job) {
    let pool = state.pool().clone();
    let audit_key = state.audit_key().clone();
    actix_web::rt::spawn(async move {
        // Batches wait their turn here, holding neither a thread nor a connection while they wait.
        let waiting = Tracked::enter(INTAKE_WAITING);
        let _turn = RUNNING_JOBS.acquire().await;
        drop(waiting);
        let running = Tracked::enter(INTAKE_RUNNING);
        let outcome = actix_web::web::block(move || {
            let _running = running;
            // A busy pool is no reason to lose an accepted batch: wait for a connection a while longer.
            let mut last_error = String::new();
            for attempt in 1..=10u64 {
                match pool.get() {
                    // The batch's audit event is MACed with the state's key, as every append of a request is.
                    Ok(mut conn) => return AuditKey::scope(audit_key, || job::run(&mut conn, job)),
                    Err(error) => last_error = error.to_string(),
                }
                std::thread::sleep(std::time::Duration::from_secs(attempt));
            }
            tracing::error!(batch = %job.batch_id, error = %last_error, "no database connection for a batch; it is marked failed at the next start");
        })
        .await;
        if let Err(error) = outcome {
            tracing::error!(%error, "batch intake could not run");
        }
    });
}

/// Batch jobs running at once in this process. Each holds a database connection from its first check to its commit,
/// and writers queue for the database anyway: unbounded, 64 concurrent uploads took every pooled connection, so other
/// requests timed out and jobs that got none were left `validating`. One job checks while another commits.
static RUNNING_JOBS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

fn respond(status: u16, batch: Batch) -> HttpResponse {
    let mut response = if status == 200 { HttpResponse::Ok() } else { HttpResponse::Accepted() };
    response.insert_header((header::LOCATION, format!("/api/v1/intake/batches/{}", batch.id))).json(batch)
}

/// The `Idempotency-Key` header, when sent: 1 to 100 visible ASCII characters.
fn idempotency_key(req: &HttpRequest) -> ApiResult<Option<String>> {
    let Some(value) = req.headers().get("idempotency-key") else { return Ok(None) };
    let text = value.to_str().unwrap_or_default().trim();
    if text.is_empty() || text.len() > 100 || !text.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::invalid_parameter("Idempotency-Key", "invalid", "1 to 100 visible ASCII characters"));
    }
    Ok(Some(text.to_owned()))
}

/// A batch of the caller's organisation, with its progress and row errors.
#[utoipa::path(
    tag = "intake",
    security(("bearer" = ["records:write"])),
    params(("id" = String, Path, description = "Batch id")),
    responses(
        (status = 200, description = "The batch", body = Batch),
        (status = 404, description = "No batch of the caller's organisation", body = Problem),
    )
)]
#[get("/intake/batches/{id}")]
pub async fn get_batch(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let organisation = principal.organisation_id.clone();
    let may = access::can_submit(&Viewer::of(&principal));
    let id = id.into_inner();
    let batch = state
        .read(move |conn| {
            let owner: Option<String> =
                intake_batches::table.find(&id).select(intake_batches::provider_id).first(conn).optional()?;
            match owner {
                Some(owner) if may && owner == organisation => load(conn, &id),
                _ => Err(ApiError::not_found("no such batch")),
            }
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(batch))
}

/// The batches of the caller's organisation, newest first.
#[utoipa::path(
    tag = "intake",
    security(("bearer" = ["records:write"])),
    params(BatchListQuery),
    responses(
        (status = 200, description = "One page of batches (without their row errors)", body = Page<Batch>),
        (status = 403, description = "Not a data provider", body = Problem),
    )
)]
#[get("/intake/batches")]
pub async fn list_batches(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<BatchListQuery>,
) -> ApiResult<HttpResponse> {
    if !access::can_submit(&Viewer::of(&principal)) {
        return Err(ApiError::forbidden(ErrorCode::NotADataProvider, "only data providers submit records (R-6.1)"));
    }
    let organisation = principal.organisation_id.clone();
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let after = query.cursor.as_deref().map(|c| cursor::decode(c, 1)).transpose()?.and_then(|mut key| key.pop());
    let items = state
        .read(move |conn| {
            let mut rows = intake_batches::table.filter(intake_batches::provider_id.eq(&organisation)).into_boxed();
            if let Some(after) = &after {
                rows = rows.filter(intake_batches::id.lt(after.clone()));
            }
            let rows: Vec<BatchRow> = rows
                .order(intake_batches::id.desc())
                .limit(i64::from(limit) + 1)
                .select(BatchRow::as_select())
                .load(conn)?;
            rows.into_iter().map(|r| r.into_batch(false)).collect::<ApiResult<Vec<_>>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(cursor::page(items, limit, |last| last.id.clone())))
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = intake_batches)]
struct BatchRow {
    id: String,
    catalog_code: String,
    format: String,
    status: BatchStatus,
    total_rows: i32,
    processed_rows: i32,
    created_count: i32,
    unchanged_count: i32,
    error_count: i32,
    errors: String,
    created_at: NaiveDateTime,
    finished_at: Option<NaiveDateTime>,
}

impl BatchRow {
    /// The batch as the API shows it; stored row errors that do not read are an error, never an empty report.
    fn into_batch(self, with_errors: bool) -> ApiResult<Batch> {
        let count = |n: i32| u32::try_from(n).unwrap_or_default();
        let errors = if with_errors {
            serde_json::from_str::<Vec<RowError>>(&self.errors)
                .map_err(|e| ApiError::internal(format!("batch {} has unreadable errors: {e}", self.id)))?
        } else {
            Vec::new()
        };
        Ok(Batch {
            id: self.id,
            catalog_item: self.catalog_code,
            format: self.format,
            status: self.status,
            total_rows: count(self.total_rows),
            processed_rows: count(self.processed_rows),
            created: count(self.created_count),
            unchanged: count(self.unchanged_count),
            error_count: count(self.error_count),
            errors,
            created_at: self.created_at,
            finished_at: self.finished_at,
        })
    }
}

pub fn load(conn: &mut crate::db::Db, id: &str) -> ApiResult<Batch> {
    let row: BatchRow = intake_batches::table.find(id).select(BatchRow::as_select()).first(conn)?;
    row.into_batch(true)
}

//! Accepting an upload: reading the body as JSON or CSV, answering a retried request with its first
//! batch (`Idempotency-Key`), and registering the batch that a background job then checks and writes.

use super::job::{self, Job};
use crate::audit::Actor;
use crate::catalog::store::Definition;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::records::store::Provider;
use crate::schema::intake_batches;
use actix_web::http::header;
use actix_web::HttpRequest;
use credit_types::intake::{Batch, BatchRequest, BatchStatus, CsvBatchQuery, IntakeRow, RowError};
use credit_types::{ErrorCode, FieldError};
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use validator::Validate;

/// An upload as it came: JSON rows, or a CSV file still to be read against its catalog item.
pub enum Upload {
    Json(Vec<IntakeRow>),
    Csv(Vec<u8>),
}

impl Upload {
    pub fn format(&self) -> &'static str {
        match self {
            Upload::Json(_) => "json",
            Upload::Csv(_) => "csv",
        }
    }
}

/// The catalog item and the upload, read by the body's media type.
pub fn parse(req: &HttpRequest, body: &[u8]) -> ApiResult<(String, Upload)> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if content_type.starts_with("application/json") {
        let request: BatchRequest = serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(ErrorCode::InvalidJson, format!("the body is not a batch: {e}")))?;
        request.validate()?;
        return Ok((request.catalog_item, Upload::Json(request.rows)));
    }
    if content_type.starts_with("text/csv") {
        let query = actix_web::web::Query::<CsvBatchQuery>::from_query(req.query_string()).map_err(|_| {
            ApiError::invalid_parameter("catalog_item", "required", "CSV uploads name the catalog item in the query")
        })?;
        return Ok((query.into_inner().catalog_item, Upload::Csv(body.to_vec())));
    }
    Err(ApiError::UnsupportedMediaType { expected: "application/json or text/csv" })
}

/// What identifies a request for `Idempotency-Key`: the catalog item, the format and the body.
pub fn request_hash(catalog_code: &str, format: &str, body: &[u8]) -> String {
    hex::encode(Sha256::digest([catalog_code.as_bytes(), b"\0", format.as_bytes(), b"\0", body].concat()))
}

/// An upload to accept, with who sends it.
pub struct Intake {
    pub request: RequestKey,
    pub catalog_code: String,
    pub upload: Upload,
    pub provider: Provider,
    pub actor: Actor,
}

/// What makes a retried request recognisable: the sender's `Idempotency-Key` and a hash of the request.
pub struct RequestKey {
    pub idempotency_key: Option<String>,
    pub hash: String,
}

/// What became of an upload.
pub enum Accepted {
    /// A retry: the batch of the first request with this `Idempotency-Key`.
    Replayed(Batch),
    /// The file could not be read at all: the batch is rejected at once with its errors.
    Rejected(Batch),
    /// Registered; the job checks and writes it in the background.
    Queued(Batch, Box<Job>),
}

/// Registers the upload as a batch (in the caller's write transaction), or finds the batch of its first sending.
pub fn accept(conn: &mut Db, intake: Intake) -> ApiResult<Accepted> {
    let Intake { request, catalog_code, upload, provider, actor } = intake;
    if let Some(batch) = replayed(conn, &request, &provider)? {
        return Ok(Accepted::Replayed(batch));
    }
    let item = crate::catalog::store::current_by_code(conn, &catalog_code)?.ok_or_else(|| ApiError::Validation {
        errors: vec![FieldError::new("catalog_item", "unknown_catalog_item", "没有这个目录项")],
    })?;
    let format = upload.format();
    let (rows, file_errors) = read_rows(&item, upload);
    let status = if file_errors.is_empty() { BatchStatus::Validating } else { BatchStatus::Rejected };
    let id = insert_batch(conn, &request, &provider, &item, format, status, rows.len())?;
    if !file_errors.is_empty() {
        job::finish(conn, &id, BatchStatus::Rejected, 0, 0, &file_errors)?;
        return Ok(Accepted::Rejected(super::routes::load(conn, &id)?));
    }
    let batch = super::routes::load(conn, &id)?;
    let job = Job { batch_id: id, item, provider, actor, rows };
    Ok(Accepted::Queued(batch, Box::new(job)))
}

/// The batch an earlier request with the same key made; the same key with another request is refused.
fn replayed(conn: &mut Db, request: &RequestKey, provider: &Provider) -> ApiResult<Option<Batch>> {
    let Some(key) = &request.idempotency_key else { return Ok(None) };
    let first: Option<(String, String)> = intake_batches::table
        .filter(intake_batches::provider_id.eq(&provider.organisation_id))
        .filter(intake_batches::idempotency_key.eq(key))
        .select((intake_batches::id, intake_batches::request_hash))
        .first(conn)
        .optional()?;
    match first {
        None => Ok(None),
        Some((id, hash)) if hash == request.hash => Ok(Some(super::routes::load(conn, &id)?)),
        Some(_) => Err(ApiError::Validation {
            errors: vec![FieldError::new(
                "Idempotency-Key",
                "idempotency_key_reused",
                "this Idempotency-Key was used for a different request",
            )],
        }),
    }
}

/// The rows with their numbers as the sender sees them (position in JSON, line in CSV), or the file's errors.
fn read_rows(item: &Definition, upload: Upload) -> (Vec<(u32, IntakeRow)>, Vec<RowError>) {
    match upload {
        Upload::Json(rows) => (rows.into_iter().zip(1u32..).map(|(row, n)| (n, row)).collect(), Vec::new()),
        Upload::Csv(bytes) => match super::csv::read(item, &bytes) {
            Ok(rows) => (rows, Vec::new()),
            Err(errors) => (Vec::new(), errors),
        },
    }
}

fn insert_batch(
    conn: &mut Db,
    request: &RequestKey,
    provider: &Provider,
    item: &Definition,
    format: &str,
    status: BatchStatus,
    total_rows: usize,
) -> ApiResult<String> {
    let id = crate::db::new_id();
    diesel::insert_into(intake_batches::table)
        .values((
            intake_batches::id.eq(&id),
            intake_batches::provider_id.eq(&provider.organisation_id),
            intake_batches::created_by.eq(&provider.user_id),
            intake_batches::catalog_code.eq(&item.code),
            intake_batches::format.eq(format),
            intake_batches::status.eq(status),
            intake_batches::total_rows.eq(i32::try_from(total_rows).unwrap_or(i32::MAX)),
            intake_batches::processed_rows.eq(0),
            intake_batches::created_count.eq(0),
            intake_batches::unchanged_count.eq(0),
            intake_batches::error_count.eq(0),
            intake_batches::errors.eq("[]"),
            intake_batches::idempotency_key.eq(&request.idempotency_key),
            intake_batches::request_hash.eq(&request.hash),
            intake_batches::created_at.eq(crate::clock::now()),
        ))
        .execute(conn)?;
    Ok(id)
}

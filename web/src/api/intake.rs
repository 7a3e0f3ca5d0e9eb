//! Batch upload: a CSV file sent as it is, the batch's progress, the organisation's latest batches.

use super::http::{self, As};
use super::{url, ApiError};
use credit_types::intake::{Batch, CsvBatchQuery};
use credit_types::Page;

/// Sends a CSV file (from the user's disk, as it is) for `catalog_item`, with an `Idempotency-Key` so that a retried
/// upload cannot make a second batch.
pub async fn upload(token: &str, catalog_item: &str, file: &web_sys::File, key: &str) -> Result<Batch, ApiError> {
    let url = url::batches(&CsvBatchQuery { catalog_item: catalog_item.to_owned() });
    http::post_file(&url, file, "text/csv; charset=utf-8", &[("Idempotency-Key", key)], token).await
}

pub async fn batch(token: &str, id: &str) -> Result<Batch, ApiError> {
    http::get(&url::batch(id), As::User(token)).await
}

/// The organisation's latest ten batches.
pub async fn recent(token: &str) -> Result<Page<Batch>, ApiError> {
    http::get(&url::recent_batches(10), As::User(token)).await
}

//! The resource catalog: its items, their versions and CSV templates, and the competent office's changes.

use super::http::{self, As};
use super::{url, ApiError};
use credit_types::catalog::{CatalogItem, CatalogItemInput};

/// Every item at its current version.
pub async fn items(token: &str) -> Result<Vec<CatalogItem>, ApiError> {
    http::get(&url::catalog_items(), As::User(token)).await
}

pub async fn item(token: &str, code: &str) -> Result<CatalogItem, ApiError> {
    http::get(&url::catalog_item(code), As::User(token)).await
}

/// An item and its version tag, for a change.
pub async fn item_tagged(token: &str, code: &str) -> Result<(CatalogItem, String), ApiError> {
    http::get_tagged(&url::catalog_item(code), token, |item: &CatalogItem| item.version).await
}

pub async fn versions(token: &str, code: &str) -> Result<Vec<CatalogItem>, ApiError> {
    http::get(&url::catalog_versions(code), As::User(token)).await
}

pub async fn create(token: &str, input: &CatalogItemInput) -> Result<CatalogItem, ApiError> {
    http::post(&url::catalog_items(), Some(input), As::User(token)).await
}

/// Saves the item as a new version made on the version `if_match`.
pub async fn update(
    token: &str,
    code: &str,
    input: &CatalogItemInput,
    if_match: &str,
) -> Result<CatalogItem, ApiError> {
    http::put_if_match(&url::catalog_item(code), input, if_match, token).await
}

/// The CSV template of an item, as text.
pub async fn template(token: &str, code: &str) -> Result<String, ApiError> {
    http::get_text(&url::catalog_template(code), token).await
}

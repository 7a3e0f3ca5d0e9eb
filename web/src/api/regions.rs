//! The city and its county-level divisions.

use super::http::{self, As};
use super::{url, ApiError};
use credit_types::{Page, Region, RegionListQuery};

/// Every region (fewer than one page).
pub async fn all() -> Result<Vec<Region>, ApiError> {
    let query = RegionListQuery { limit: Some(500), ..Default::default() };
    http::get::<Page<Region>>(&url::regions(&query), As::Public).await.map(|page| page.items)
}

//! The performance archive, for system administrators and the security auditor.

use super::http::{self, As};
use super::{url, ApiError};
use credit_types::performance::{PerformanceRange, PerformanceSeries};

/// The archive's series over `range`, with the tuning actions in it.
pub async fn series(token: &str, range: PerformanceRange) -> Result<PerformanceSeries, ApiError> {
    http::get(&url::performance(range), As::User(token)).await
}

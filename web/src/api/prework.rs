//! The daily pre-work check: today's check, an item's confirmation, and the dashboards' banners. (The
//! history comes through the pager, from [`super::url::daily_checks`].)

use super::http::{self, As};
use super::{url, ApiError};
use chrono::NaiveDate;
use credit_types::prework::{DailyCheck, DashboardAlert, ItemConfirmation, PreworkItem};

pub async fn today(token: &str) -> Result<DailyCheck, ApiError> {
    http::get(&url::daily_check_today(), As::User(token)).await
}

/// Confirms one item of `day`'s check (today's); answers the day's check as it now stands.
pub async fn confirm(
    token: &str,
    day: NaiveDate,
    item: PreworkItem,
    finding: &ItemConfirmation,
) -> Result<DailyCheck, ApiError> {
    http::put(&url::daily_check_item(day, item), finding, token).await
}

/// The red banners the signed-in user's dashboard shows (none when all is well).
pub async fn alerts(token: &str) -> Result<Vec<DashboardAlert>, ApiError> {
    http::get(&url::ops_alerts(), As::User(token)).await
}

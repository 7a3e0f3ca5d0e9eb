//! The credit admins' statistics of the records they oversee.

use super::http::{self, As};
use super::{url, ApiError};
use credit_types::records::{Statistics, StatsQuery};

pub async fn records(token: &str, query: &StatsQuery) -> Result<Statistics, ApiError> {
    http::get(&url::statistics(query), As::User(token)).await
}

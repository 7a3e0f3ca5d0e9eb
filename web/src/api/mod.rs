//! The one client of the platform's API. Pages call the typed functions of the submodules (one per part of the
//! API: `api::records::get`, `api::objections::decide` …), which return the shared DTOs of `credit_types` or an
//! [`ApiError`] whose `code` pages branch on; every address is built in [`url`], the transport lives in `http`.
//! Lists read page by page go through the pager with an address from [`url`] and [`page`].

mod error;
mod files;
mod http;
pub mod url;

pub mod admin;
pub mod audit;
pub mod authorization;
pub mod backups;
pub mod catalog;
pub mod dbadmin;
pub mod intake;
pub mod objections;
pub mod ops;
pub mod performance;
pub mod portal;
pub mod prework;
pub mod records;
pub mod regions;
pub mod session;
pub mod sessions;
pub mod statistics;

pub use error::ApiError;
pub use files::{data_url, random_uuid, RetryAfter};
pub use url::{urlencode, with_query};

use credit_types::Page;
use serde::de::DeserializeOwned;

/// One page of the list at `url` (built by [`url`]): the first, or the one after `cursor`; as the signed-in user
/// with `token`, or, with none, as the public.
pub async fn page<T: DeserializeOwned>(
    url: &str,
    cursor: Option<&str>,
    token: Option<&str>,
) -> Result<Page<T>, ApiError> {
    let caller = token.map_or(http::As::Public, http::As::User);
    http::page(url, cursor, caller).await
}

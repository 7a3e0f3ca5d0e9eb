//! The list envelope every collection endpoint returns: items plus an opaque cursor for the next page.

use serde::{Deserialize, Serialize};

/// One page of a list. `next_cursor` is absent on the last page; pass it back as `cursor` to continue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Opaque token for the next page; absent when this is the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Page size bounds shared by every list endpoint.
pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 500;

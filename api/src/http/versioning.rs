//! Optimistic concurrency for versioned resources: the version is the `ETag`, writes send it back in `If-Match`,
//! and a stale one is answered 412 so that no concurrent change is silently overwritten.

use crate::error::{ApiError, ApiResult};
use actix_web::http::header;
use actix_web::HttpRequest;

/// The `ETag` of a version.
pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// The version named by `If-Match`: 428 when absent, 412 when it is not one of ours.
pub fn if_match(req: &HttpRequest) -> ApiResult<i32> {
    let value = req.headers().get(header::IF_MATCH).ok_or(ApiError::PreconditionRequired)?;
    let text = value.to_str().unwrap_or_default().trim();
    let text = text.strip_prefix("W/").unwrap_or(text);
    text.trim_matches('"').parse().map_err(|_| ApiError::PreconditionFailed {
        detail: format!("If-Match {text} names no version of this resource"),
    })
}

/// 412 unless the caller's version is the current one.
pub fn check(expected: i32, current: i32) -> ApiResult<()> {
    if expected == current {
        Ok(())
    } else {
        Err(ApiError::PreconditionFailed {
            detail: format!("the resource changed: you sent version {expected}, the current one is {current}"),
        })
    }
}

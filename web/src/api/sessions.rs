//! The sessions overview: ending a session (the account office). (The open sessions are listed through the
//! pager, from [`super::url::sessions`].)

use super::{http, url, ApiError};

/// Ends the session: its tokens stop working at once.
pub async fn end(token: &str, id: &str) -> Result<(), ApiError> {
    http::delete(&url::session(id), token).await
}

//! Signing in and out, renewing the session from its refresh cookie, and changing one's password.

use super::http::{self, As};
use super::{url, ApiError};
use credit_types::identity::{ChangePasswordRequest, LoginRequest, TokenResponse};

/// Signs in; the refresh token arrives as an HttpOnly cookie the page never sees.
pub async fn login(request: &LoginRequest) -> Result<TokenResponse, ApiError> {
    http::post(&url::login(), Some(request), As::Public).await
}

/// New tokens from the refresh-token cookie, if a session is open.
pub async fn refresh() -> Result<TokenResponse, ApiError> {
    http::post::<(), _>(&url::refresh(), None, As::Public).await
}

pub async fn change_password(token: &str, request: &ChangePasswordRequest) -> Result<TokenResponse, ApiError> {
    http::post(&url::password(), Some(request), As::User(token)).await
}

pub async fn logout(token: &str) -> Result<(), ApiError> {
    http::post_empty(&url::logout(), token).await
}

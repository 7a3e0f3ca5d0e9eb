//! The account office's registers (organisations, accounts, API clients) and the periodic permission review.

use super::http::{self, As};
use super::url::{self, UserStep};
use super::ApiError;
use credit_types::identity::{
    ApiClient, ApiClientWithSecret, DeactivateRequest, Handover, NewClientRequest, NewOrganisationRequest,
    NewUserRequest, Organisation, OrganisationListQuery, PermissionReview, ReviewReport, ReviewSignOff, User,
    UserListQuery, UserWithPassword,
};
use credit_types::Page;

pub async fn organisations(token: &str, query: &OrganisationListQuery) -> Result<Page<Organisation>, ApiError> {
    http::get(&url::organisations(query), As::User(token)).await
}

pub async fn create_organisation(token: &str, request: &NewOrganisationRequest) -> Result<Organisation, ApiError> {
    http::post(&url::organisations(&Default::default()), Some(request), As::User(token)).await
}

pub async fn users(token: &str, query: &UserListQuery) -> Result<Page<User>, ApiError> {
    http::get(&url::users(query), As::User(token)).await
}

/// Registers an account; its one-time password comes back this once.
pub async fn create_user(token: &str, request: &NewUserRequest) -> Result<UserWithPassword, ApiError> {
    http::post(&url::users(&Default::default()), Some(request), As::User(token)).await
}

pub async fn unlock(token: &str, id: &str) -> Result<(), ApiError> {
    http::post_empty(&url::user_step(id, UserStep::Unlock), token).await
}

pub async fn reactivate(token: &str, id: &str) -> Result<User, ApiError> {
    http::post::<(), _>(&url::user_step(id, UserStep::Reactivate), None, As::User(token)).await
}

/// A new one-time password for the account, shown this once.
pub async fn reset_password(token: &str, id: &str) -> Result<UserWithPassword, ApiError> {
    http::post::<(), _>(&url::user_step(id, UserStep::ResetPassword), None, As::User(token)).await
}

/// Deactivates the account and hands its open work to a colleague.
pub async fn deactivate(token: &str, id: &str, request: &DeactivateRequest) -> Result<Handover, ApiError> {
    http::post(&url::user_step(id, UserStep::Deactivate), Some(request), As::User(token)).await
}

pub async fn clients(token: &str) -> Result<Vec<ApiClient>, ApiError> {
    http::get(&url::clients(), As::User(token)).await
}

/// Registers an API client; its secret comes back this once.
pub async fn create_client(token: &str, request: &NewClientRequest) -> Result<ApiClientWithSecret, ApiError> {
    http::post(&url::clients(), Some(request), As::User(token)).await
}

pub async fn revoke_client(token: &str, id: &str) -> Result<ApiClient, ApiError> {
    http::post::<(), _>(&url::client_revoke(id), None, As::User(token)).await
}

/// Every account with the flags the review looks at.
pub async fn review_report(token: &str) -> Result<ReviewReport, ApiError> {
    http::get(&url::permission_report(), As::User(token)).await
}

/// The reviews signed so far.
pub async fn reviews(token: &str) -> Result<Vec<PermissionReview>, ApiError> {
    http::get(&url::permission_reviews(), As::User(token)).await
}

pub async fn sign_review(token: &str, request: &ReviewSignOff) -> Result<PermissionReview, ApiError> {
    http::post(&url::permission_reviews(), Some(request), As::User(token)).await
}

//! Authorised use: requests and their decisions, attachments, grants and their revocation, usage agreements, and
//! what the forms preview and count.

use super::http::{self, As};
use super::url::{self, AgreementStep, RequestStep};
use super::ApiError;
use credit_types::authorization::{
    Agreement, AgreementChange, ApproveRequest, Attachment, AuthorizationCounts, AuthorizationRequest,
    AuthorizationRequestDetail, FiledRequests, Grant, NewAgreementRequest, NewAuthorizationRequest, ReasonBody,
    RequestLimits, TargetPreview, TargetQuery,
};

/// One request as both sides see it: the request, its target records, its attachments.
pub async fn request(token: &str, id: &str) -> Result<AuthorizationRequestDetail, ApiError> {
    http::get(&url::request(id), As::User(token)).await
}

/// Files a request; the API splits it into one per providing unit.
pub async fn file(token: &str, request: &NewAuthorizationRequest) -> Result<FiledRequests, ApiError> {
    http::post(&url::requests_collection(), Some(request), As::User(token)).await
}

pub async fn approve(token: &str, id: &str, body: &ApproveRequest) -> Result<AuthorizationRequest, ApiError> {
    http::post(&url::request_step(id, RequestStep::Approve), Some(body), As::User(token)).await
}

pub async fn reject(token: &str, id: &str, body: &ReasonBody) -> Result<AuthorizationRequest, ApiError> {
    http::post(&url::request_step(id, RequestStep::Reject), Some(body), As::User(token)).await
}

pub async fn withdraw(token: &str, id: &str, body: &ReasonBody) -> Result<AuthorizationRequest, ApiError> {
    http::post(&url::request_step(id, RequestStep::Withdraw), Some(body), As::User(token)).await
}

/// Adds a file (a PDF or an image, sent as it is), its name percent-encoded in `X-File-Name`.
pub async fn attach(token: &str, request_id: &str, file: &web_sys::File) -> Result<Attachment, ApiError> {
    let media_type = if file.type_().is_empty() { "application/octet-stream".to_owned() } else { file.type_() };
    let name = url::urlencode(&file.name());
    http::post_file(&url::attachments(request_id), file, &media_type, &[("X-File-Name", &name)], token).await
}

/// Hands an attachment to the browser as a download.
pub async fn download_attachment(token: &str, request_id: &str, attachment: &Attachment) -> Result<(), ApiError> {
    super::files::download(&url::attachment(request_id, &attachment.id), &attachment.file_name, token).await
}

pub async fn counts(token: &str) -> Result<AuthorizationCounts, ApiError> {
    http::get(&url::authorization_counts(), As::User(token)).await
}

/// The platform's configured limits of a request (its longest period).
pub async fn limits(token: &str) -> Result<RequestLimits, ApiError> {
    http::get(&url::authorization_limits(), As::User(token)).await
}

/// What a request by subject and catalog item would cover, and the agreement that covers it.
pub async fn targets(token: &str, query: &TargetQuery) -> Result<TargetPreview, ApiError> {
    http::get(&url::targets(query), As::User(token)).await
}

pub async fn revoke_grant(token: &str, id: &str, body: &ReasonBody) -> Result<Grant, ApiError> {
    http::post(&url::grant_revoke(id), Some(body), As::User(token)).await
}

pub async fn create_agreement(token: &str, request: &NewAgreementRequest) -> Result<Agreement, ApiError> {
    let url = url::agreements(&Default::default());
    http::post(&url, Some(request), As::User(token)).await
}

/// Suspends, resumes or ends an agreement, with the reason.
pub async fn change_agreement(
    token: &str,
    id: &str,
    step: AgreementStep,
    body: &AgreementChange,
) -> Result<Agreement, ApiError> {
    http::post(&url::agreement_step(id, step), Some(body), As::User(token)).await
}

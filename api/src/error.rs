//! The one error type of the API, rendered as RFC 7807 problem details (`application/problem+json`).
//!
//! Each variant's doc says which status it becomes. Client errors carry a stable `code` and, for validation,
//! per-field errors; internal errors are logged with their cause and shown to the client only as a generic
//! message with the request id, never with SQL or a stack trace.

use crate::http::request_context;
use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use credit_types::{ErrorCode, FieldError, Problem};
use std::fmt;

pub const PROBLEM_JSON: &str = "application/problem+json";

pub type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request is malformed (unparseable JSON, a bad query parameter, a bad path segment).
    #[error("{detail}")]
    BadRequest { code: ErrorCode, detail: String, errors: Vec<FieldError> },

    /// 422: well-formed input that breaks a field rule; `errors` names each field.
    #[error("validation failed")]
    Validation { errors: Vec<FieldError> },

    /// 401: no valid credentials (missing, malformed, expired or revoked token; a failed sign-in). Carries
    /// `WWW-Authenticate: Bearer`.
    #[error("{detail}")]
    Unauthorized { code: ErrorCode, detail: String },

    /// 403: the caller is known but may not do this (a role it lacks, a password it must change first).
    #[error("{detail}")]
    Forbidden { code: ErrorCode, detail: String },

    /// 429: too many attempts; `retry_after_secs` becomes the `Retry-After` header.
    #[error("{detail}")]
    TooManyRequests { code: ErrorCode, detail: String, retry_after_secs: u64 },

    /// An OAuth token-endpoint error (RFC 6749 §5.2): `error` is the RFC's code, also sent as `error` in the body.
    /// 401 for `invalid_client` (with `WWW-Authenticate: Basic`), 400 otherwise.
    #[error("{detail}")]
    OAuth { error: ErrorCode, detail: String },

    /// 404: nothing here, or nothing the caller may know of.
    #[error("{detail}")]
    NotFound { detail: String },

    /// 405: the path exists but not with this method; `allowed` becomes the `Allow` header.
    #[error("method not allowed")]
    MethodNotAllowed { allowed: Vec<String> },

    /// 409: the write conflicts with existing data (e.g. a unique key).
    #[error("{detail}")]
    Conflict { code: ErrorCode, detail: String, errors: Vec<FieldError> },

    /// 412: `If-Match` names a version that is no longer current; re-read and apply the change again.
    #[error("{detail}")]
    PreconditionFailed { detail: String },

    /// 428: a write to a versioned resource without `If-Match`.
    #[error("send If-Match with the version (ETag) you read, so that no concurrent change is lost")]
    PreconditionRequired,

    /// 413: the body is larger than the configured limit.
    #[error("request body larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },

    /// 415: the body is not in a media type this endpoint accepts.
    #[error("unsupported media type")]
    UnsupportedMediaType { expected: &'static str },

    /// 503: a dependency (the database) is unavailable; the client may retry.
    #[error("{detail}")]
    Unavailable { detail: String },

    /// Any other status, for responses produced outside our handlers (see `http::problems`).
    #[error("{detail}")]
    Status { status: StatusCode, detail: String },

    /// 500: a bug or an unexpected failure. Logged in full; the client sees a generic message.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn not_found(detail: impl Into<String>) -> Self {
        ApiError::NotFound { detail: detail.into() }
    }

    pub fn unauthorized(code: ErrorCode, detail: impl Into<String>) -> Self {
        ApiError::Unauthorized { code, detail: detail.into() }
    }

    pub fn forbidden(code: ErrorCode, detail: impl Into<String>) -> Self {
        ApiError::Forbidden { code, detail: detail.into() }
    }

    pub fn bad_request(code: ErrorCode, detail: impl Into<String>) -> Self {
        ApiError::BadRequest { code, detail: detail.into(), errors: Vec::new() }
    }

    /// A 400 naming one invalid field (query or path parameter).
    pub fn invalid_parameter(field: &str, code: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        ApiError::BadRequest {
            code: ErrorCode::InvalidParameter,
            detail: format!("invalid parameter `{field}`: {message}"),
            errors: vec![FieldError::new(field, code, message)],
        }
    }

    pub fn internal(cause: impl fmt::Display) -> Self {
        ApiError::Internal(cause.to_string())
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::BadRequest { code, .. }
            | ApiError::Conflict { code, .. }
            | ApiError::Unauthorized { code, .. }
            | ApiError::Forbidden { code, .. }
            | ApiError::TooManyRequests { code, .. } => *code,
            ApiError::OAuth { error, .. } => *error,
            ApiError::Validation { .. } => ErrorCode::ValidationFailed,
            ApiError::NotFound { .. } => ErrorCode::NotFound,
            ApiError::PreconditionFailed { .. } => ErrorCode::StaleVersion,
            ApiError::PreconditionRequired => ErrorCode::IfMatchRequired,
            ApiError::MethodNotAllowed { .. } => ErrorCode::MethodNotAllowed,
            ApiError::PayloadTooLarge { .. } => ErrorCode::PayloadTooLarge,
            ApiError::UnsupportedMediaType { .. } => ErrorCode::UnsupportedMediaType,
            ApiError::Unavailable { .. } => ErrorCode::ServiceUnavailable,
            ApiError::Status { status, .. } => status_code_name(*status),
            ApiError::Internal(_) => ErrorCode::InternalError,
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::Validation { errors } => match errors.as_slice() {
                [one] => format!("`{}`: {}", one.field, one.message),
                _ => format!("{} fields are invalid", errors.len()),
            },
            ApiError::MethodNotAllowed { allowed } => {
                format!("this path accepts only {}", allowed.join(", "))
            }
            ApiError::UnsupportedMediaType { expected } => {
                format!("send the body as {expected} with a matching Content-Type header")
            }
            ApiError::Internal(_) => {
                "an unexpected error occurred; it has been logged — quote the request id when reporting it".into()
            }
            other => other.to_string(),
        }
    }

    fn field_errors(&self) -> Vec<FieldError> {
        match self {
            ApiError::BadRequest { errors, .. }
            | ApiError::Validation { errors }
            | ApiError::Conflict { errors, .. } => errors.clone(),
            _ => Vec::new(),
        }
    }

    /// The problem document for this error, with the current request's path and id when known.
    pub fn to_problem(&self) -> Problem {
        let status = self.status_code();
        let context = request_context::current();
        Problem {
            kind: format!("/problems/{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: self.detail(),
            code: self.code(),
            instance: context.as_ref().map(|c| c.path.clone()),
            request_id: context.map(|c| c.id),
            error: match self {
                ApiError::OAuth { error, .. } => Some(error.as_str().to_owned()),
                _ => None,
            },
            errors: self.field_errors(),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::OAuth { error: ErrorCode::InvalidClient, .. } => StatusCode::UNAUTHORIZED,
            ApiError::OAuth { .. } => StatusCode::BAD_REQUEST,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Status { status, .. } => *status,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(code = self.code().as_str(), error = %self, "request failed");
        }
        let mut response = HttpResponse::build(status);
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        if let ApiError::MethodNotAllowed { allowed } = self {
            response.insert_header((header::ALLOW, allowed.join(", ")));
        }
        if let ApiError::OAuth { error: ErrorCode::InvalidClient, .. } = self {
            response.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"credit-platform\""));
        }
        if let ApiError::Unauthorized { .. } = self {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"credit-platform\""));
        }
        if let ApiError::TooManyRequests { retry_after_secs, .. } = self {
            response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        if let ApiError::UnsupportedMediaType { expected } = self {
            response.insert_header(("Accept-Post", *expected));
        }
        match serde_json::to_vec(&self.to_problem()) {
            Ok(body) => response.body(body),
            Err(_) => response.finish(),
        }
    }
}

/// A stable code for statuses that reach us from outside our handlers.
fn status_code_name(status: StatusCode) -> ErrorCode {
    match status.as_u16() {
        400 => ErrorCode::BadRequest,
        401 => ErrorCode::Unauthorized,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        406 => ErrorCode::NotAcceptable,
        408 => ErrorCode::RequestTimeout,
        411 => ErrorCode::LengthRequired,
        413 => ErrorCode::PayloadTooLarge,
        414 => ErrorCode::UriTooLong,
        415 => ErrorCode::UnsupportedMediaType,
        429 => ErrorCode::TooManyRequests,
        431 => ErrorCode::HeaderFieldsTooLarge,
        503 => ErrorCode::ServiceUnavailable,
        s if s >= 500 => ErrorCode::InternalError,
        _ => ErrorCode::ClientError,
    }
}

/// Diesel failures: a missing row is a 404; anything else is internal and logged (never shown).
impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        match error {
            diesel::result::Error::NotFound => ApiError::not_found("no such resource"),
            other => ApiError::internal(format!("database: {other}")),
        }
    }
}

/// No connection could be had in time: the database is down or saturated, so the client may retry.
impl From<r2d2::Error> for ApiError {
    fn from(error: r2d2::Error) -> Self {
        tracing::warn!(%error, "database connection unavailable");
        ApiError::Unavailable { detail: "the database is unavailable; try again shortly".into() }
    }
}

/// `web::block` failed: the blocking pool is gone (shutting down) or the task panicked.
impl From<actix_web::error::BlockingError> for ApiError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        ApiError::internal(format!("blocking task: {error}"))
    }
}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errors: validator::ValidationErrors) -> Self {
        ApiError::Validation { errors: credit_types::problem::field_errors(&errors) }
    }
}

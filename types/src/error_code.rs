//! The stable codes of the API's problem documents: the server builds problems from them and the web app decides
//! what to show by them, never by the HTTP status alone.
//!
//! On the wire a code is its snake_case name (`"stale_version"`). A code this build does not know (a newer server)
//! reads as [`ErrorCode::Unknown`], so an old client still shows the problem's `detail`.

use serde::{Deserialize, Serialize};

macro_rules! error_codes {
    ($($(#[$meta:meta])* $variant:ident = $text:tt,)*) => {
        /// A problem's stable, machine-readable code (`code` in every problem document).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum ErrorCode {
            $($(#[$meta])* #[serde(rename = $text)] $variant,)*
            /// A code this build does not know (sent by a newer server); never sent by this one.
            #[serde(other, rename = "unknown")]
            Unknown,
        }

        impl ErrorCode {
            /// Every code the server may send.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code as it appears on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $text,)*
                    ErrorCode::Unknown => "unknown",
                }
            }
        }
    };
}

error_codes! {
    // --- the request itself ---------------------------------------------------------------------------------
    /// 400: the request is malformed (a generic code for statuses raised outside the handlers).
    BadRequest = "bad_request",
    /// 400: the JSON body does not parse.
    MalformedJson = "malformed_json",
    /// 400: a JSON part of a multipart form does not parse.
    InvalidJson = "invalid_json",
    /// 400: the body could not be read (cut off, wrong encoding).
    UnreadableBody = "unreadable_body",
    /// 400: a multipart form that does not parse.
    InvalidMultipart = "invalid_multipart",
    /// 400: a multipart form without a part it needs.
    MissingPart = "missing_part",
    /// 400: a multipart form with a part this endpoint does not take.
    UnknownPart = "unknown_part",
    /// 400: a query or path parameter is invalid; `errors` names it.
    InvalidParameter = "invalid_parameter",
    /// 422: fields break their rules; `errors` names each.
    ValidationFailed = "validation_failed",
    /// 413: the body is larger than the limit.
    PayloadTooLarge = "payload_too_large",
    /// 415: the body is not in a media type this endpoint takes.
    UnsupportedMediaType = "unsupported_media_type",
    /// 405: the path exists, but not with this method.
    MethodNotAllowed = "method_not_allowed",
    /// 406: no acceptable representation.
    NotAcceptable = "not_acceptable",
    /// 408: the request took too long to arrive.
    RequestTimeout = "request_timeout",
    /// 411: a body without a length.
    LengthRequired = "length_required",
    /// 414: the URI is too long.
    UriTooLong = "uri_too_long",
    /// 431: the headers are too large.
    HeaderFieldsTooLarge = "header_fields_too_large",
    /// Another 4xx status raised outside the handlers.
    ClientError = "client_error",
    /// 429: too many requests; `Retry-After` says when to try again.
    RateLimited = "rate_limited",
    /// 429 raised outside the handlers.
    TooManyRequests = "too_many_requests",

    // --- who is asking --------------------------------------------------------------------------------------
    /// 401: no credentials (a generic code for statuses raised outside the handlers).
    Unauthorized = "unauthorized",
    /// 401: the request carries no access token.
    Unauthenticated = "unauthenticated",
    /// 401: the access token is malformed, expired or signed with another key.
    InvalidToken = "invalid_token",
    /// 401: the session was signed out or replaced.
    SessionEnded = "session_ended",
    /// 401: the session timed out.
    SessionExpired = "session_expired",
    /// 401: a refresh token that was already used: its whole session is revoked.
    RefreshTokenReused = "refresh_token_reused",
    /// 401: wrong login name or password.
    InvalidCredentials = "invalid_credentials",
    /// 401/403: the account is disabled, deactivated or expired.
    AccountInactive = "account_inactive",
    /// 429: too many failed sign-ins; the account is locked for a while.
    AccountLocked = "account_locked",
    /// 403: the password must be changed before anything else.
    PasswordChangeRequired = "password_change_required",
    /// OAuth 401: unknown client, wrong secret or a revoked client.
    InvalidClient = "invalid_client",
    /// OAuth 400: the token request lacks a parameter.
    InvalidRequest = "invalid_request",
    /// OAuth 400: a scope the client does not hold.
    InvalidScope = "invalid_scope",
    /// OAuth 400: a grant type other than `client_credentials`.
    UnsupportedGrantType = "unsupported_grant_type",

    // --- what the caller may do -----------------------------------------------------------------------------
    /// 403: a role the caller lacks.
    Forbidden = "forbidden",
    /// 403: an API client's token lacks the scope.
    InsufficientScope = "insufficient_scope",
    /// 403: only a person's account may do this (not an API client).
    PersonRequired = "person_required",
    /// 403: only data providers submit records.
    NotADataProvider = "not_a_data_provider",
    /// 403: only the providing organisation changes its records and answers for them.
    NotTheProvider = "not_the_provider",
    /// 403: only the requesting unit may do this with its request.
    NotTheRequester = "not_the_requester",
    /// 403: only the competent office may do this.
    NotTheCompetentOffice = "not_the_competent_office",
    /// 403: only a credit admin may do this.
    NotACreditAdmin = "not_a_credit_admin",
    /// 403: the caller's unit may not request authorised records.
    NotEligible = "not_eligible",
    /// 403: the first administrator exists already.
    CreateAdminRefused = "create_admin_refused",

    // --- the resource ---------------------------------------------------------------------------------------
    /// 404: nothing here, or nothing the caller may know of.
    NotFound = "not_found",
    /// 412: the version in `If-Match` is no longer current.
    StaleVersion = "stale_version",
    /// 428: a write to a versioned resource without `If-Match`.
    IfMatchRequired = "if_match_required",
    /// 409: the record is revoked.
    RecordRevoked = "record_revoked",
    /// 409: the provider's reference is taken by a record with other content.
    ProviderRefTaken = "provider_ref_taken",
    /// 409: an administrator cannot deactivate their own account.
    OwnAccount = "own_account",
    /// 409: the account is deactivated already.
    AlreadyInactive = "already_inactive",
    /// 409: the account is active already.
    AlreadyActive = "already_active",
    /// 409: the catalog code is taken.
    CatalogCodeTaken = "catalog_code_taken",
    /// 409: the login name is taken.
    LoginNameTaken = "login_name_taken",
    /// 409: the unified social credit code is registered already.
    UsccTaken = "uscc_taken",
    /// 409: the agreement's state does not allow this change.
    AgreementState = "agreement_state",
    /// 409: no current agreement covers the request.
    AgreementNotCurrent = "agreement_not_current",
    /// 409: a pending request for the same records and purpose exists.
    DuplicateRequest = "duplicate_request",
    /// 409: the request was decided already.
    AlreadyDecided = "already_decided",
    /// 409: the grant is revoked already.
    AlreadyRevoked = "already_revoked",
    /// 409: too many attachments.
    TooManyAttachments = "too_many_attachments",
    /// 409: an open objection by the same appellant to the same record exists (the answer names nothing of it).
    DuplicateObjection = "duplicate_objection",
    /// 409: the objection's state does not allow this step.
    ObjectionState = "objection_state",
    /// 409: only today's daily pre-work check is confirmed.
    NotToday = "not_today",
    /// 409: the item of the daily check is confirmed already.
    AlreadyConfirmed = "already_confirmed",
    /// 409: a run of scheduled work (e.g. the health checks) holds this moment already; try again.
    RunTaken = "run_taken",

    // --- the server -----------------------------------------------------------------------------------------
    /// 503: the database is unavailable; try again shortly.
    ServiceUnavailable = "service_unavailable",
    /// 500: a bug or an unexpected failure, logged with the request id.
    InternalError = "internal_error",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_travel_as_their_snake_case_names() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(code).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            let back: ErrorCode = serde_json::from_str(&json).unwrap_or(ErrorCode::Unknown);
            assert_eq!(back, *code, "{code:?} reads back as itself");
        }
        assert_eq!(serde_json::to_string(&ErrorCode::StaleVersion).ok().as_deref(), Some("\"stale_version\""));
    }

    #[test]
    fn an_unknown_code_reads_as_unknown() {
        let code: Result<ErrorCode, _> = serde_json::from_str("\"a_code_of_the_future\"");
        assert_eq!(code.ok(), Some(ErrorCode::Unknown));
    }

    #[test]
    fn no_two_codes_share_a_name() {
        let mut names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len());
        assert!(!names.contains(&"unknown"));
    }
}

//! The audit trail as the API shows it to auditors.

use serde::{Deserialize, Serialize};
use validator::Validate;

/// One audit event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// UTC time, ISO 8601.
    pub occurred_at: String,
    /// `user`, `client`, `anonymous` or `system`.
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub actor_ip: Option<String>,
    /// What was done, e.g. `auth.login`.
    pub action: String,
    pub target_kind: Option<String>,
    pub target_id: Option<String>,
    /// Purpose or grant the action relied on.
    pub purpose: Option<String>,
    /// `success`, `failure` or `denied`.
    pub outcome: String,
    pub detail: Option<String>,
    pub request_id: Option<String>,
    /// Hash of the previous event; `hash` covers this event and `prev_hash`.
    pub prev_hash: String,
    pub hash: String,
}

/// Query parameters of `GET /api/v1/audit/events`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct AuditEventQuery {
    /// Exact action, e.g. `auth.login`.
    #[validate(length(min = 1, max = 64, code = "length", message = "action is 1 to 64 characters"))]
    pub action: Option<String>,
    /// Actor id (a user's or client's id).
    #[validate(length(min = 1, max = 64, code = "length", message = "actor_id is 1 to 64 characters"))]
    pub actor_id: Option<String>,
    /// `success`, `failure` or `denied`.
    #[validate(custom(function = "validate_outcome"))]
    pub outcome: Option<String>,
    /// Events at or after this UTC time (`2026-11-25T08:00:00`).
    pub from: Option<chrono::NaiveDateTime>,
    /// Events before this UTC time.
    pub to: Option<chrono::NaiveDateTime>,
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500, code = "range", message = "limit must be between 1 and 500"))]
    pub limit: Option<u32>,
    /// Cursor from a previous page's `next_cursor` (pages go from newest to oldest).
    pub cursor: Option<String>,
}

fn validate_outcome(value: &str) -> Result<(), validator::ValidationError> {
    if matches!(value, "success" | "failure" | "denied") {
        Ok(())
    } else {
        Err(validator::ValidationError::new("outcome").with_message("outcome is success, failure or denied".into()))
    }
}

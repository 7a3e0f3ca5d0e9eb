//! The audit trail, for the security auditor: one event, and the check of the whole hash chain. (The pages of
//! events come through the pager, from [`super::url::audit_events`].)

use super::http::{self, As};
use super::{url, ApiError};
use credit_types::audit::{AuditEvent, Verification};

pub async fn event(token: &str, seq: i64) -> Result<AuditEvent, ApiError> {
    http::get(&url::audit_event(seq), As::User(token)).await
}

pub async fn verify(token: &str) -> Result<Verification, ApiError> {
    http::get(&url::audit_verify(), As::User(token)).await
}

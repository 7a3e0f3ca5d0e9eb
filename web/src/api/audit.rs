//! The audit trail, for the security auditor: one event, the check of the whole chain, and the anchors of its head.
//! (The pages of events come through the pager, from [`super::url::audit_events`].)

use super::http::{self, As};
use super::{url, ApiError};
use credit_types::audit::{AnchorReport, AuditEvent, Verification};

pub async fn event(token: &str, seq: i64) -> Result<AuditEvent, ApiError> {
    http::get(&url::audit_event(seq), As::User(token)).await
}

pub async fn verify(token: &str) -> Result<Verification, ApiError> {
    http::get(&url::audit_verify(), As::User(token)).await
}

/// The newest anchors of the chain's head, each compared with the stored chain.
pub async fn anchors(token: &str) -> Result<AnchorReport, ApiError> {
    http::get(&url::audit_anchors(), As::User(token)).await
}

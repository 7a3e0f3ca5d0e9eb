//! Objections in the workbench: one objection, the handlers' steps, the counts, the evidence files, and the
//! working-day calendar their deadlines are counted on.

use super::http::{self, As};
use super::url::{self, ObjectionStep};
use super::ApiError;
use credit_types::objections::{CalendarYear, DecideObjection, Evidence, Objection, ObjectionCounts, ObjectionReason};

pub async fn get(token: &str, id: &str) -> Result<Objection, ApiError> {
    http::get(&url::objection(id), As::User(token)).await
}

/// Accepts a submitted objection: the decision deadline starts.
pub async fn accept(token: &str, id: &str) -> Result<Objection, ApiError> {
    http::post::<(), _>(&url::objection_step(id, ObjectionStep::Accept), None, As::User(token)).await
}

/// Refuses to accept a submitted objection; the reason is told to the appellant.
pub async fn not_accept(token: &str, id: &str, body: &ObjectionReason) -> Result<Objection, ApiError> {
    http::post(&url::objection_step(id, ObjectionStep::NotAccept), Some(body), As::User(token)).await
}

/// Closes a decided or not accepted objection.
pub async fn close(token: &str, id: &str, body: &ObjectionReason) -> Result<Objection, ApiError> {
    http::post(&url::objection_step(id, ObjectionStep::Close), Some(body), As::User(token)).await
}

pub async fn decide(token: &str, id: &str, body: &DecideObjection) -> Result<Objection, ApiError> {
    http::post(&url::objection_step(id, ObjectionStep::Decide), Some(body), As::User(token)).await
}

pub async fn counts(token: &str) -> Result<ObjectionCounts, ApiError> {
    http::get(&url::objection_counts(), As::User(token)).await
}

/// An evidence file's bytes and media type (to show an image inline).
pub async fn evidence_bytes(token: &str, objection_id: &str, id: &str) -> Result<(Vec<u8>, String), ApiError> {
    http::get_bytes(&url::evidence(objection_id, id), token).await
}

/// Hands an evidence file to the browser as a download.
pub async fn download_evidence(token: &str, objection_id: &str, evidence: &Evidence) -> Result<(), ApiError> {
    super::files::download(&url::evidence(objection_id, &evidence.id), &evidence.file_name, token).await
}

pub async fn calendar(token: &str, year: i32) -> Result<CalendarYear, ApiError> {
    http::get(&url::calendar(year), As::User(token)).await
}

/// Replaces the year's special days as a whole.
pub async fn save_calendar(token: &str, year: i32, days: &CalendarYear) -> Result<CalendarYear, ApiError> {
    http::put(&url::calendar(year), days, token).await
}

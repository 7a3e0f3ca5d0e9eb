//! The public portal: subjects and their published records, read past the browser's cache where a visitor's own
//! objection must show at once, a natural person looked up by full name and number, and the appellant's filing,
//! tracking and withdrawal.

use super::files::{post_multipart, Progress, RetryAfter};
use super::http::{self, As};
use super::{url, ApiError};
use credit_types::objections::{FiledObjection, ObjectionTrack, TrackRequest, WithdrawObjection};
use credit_types::records::{PersonLookup, PublicRecord, PublicSubject, PublicSubjectPage};
use credit_types::Page;

pub async fn subject(id: &str) -> Result<PublicSubjectPage, ApiError> {
    http::get_fresh(&url::portal_subject(id)).await
}

pub async fn record(id: &str) -> Result<PublicRecord, ApiError> {
    http::get_fresh(&url::portal_record(id)).await
}

/// A natural person by full name and full identity number (sent in the body, never the address): a page of at most
/// one subject, empty when either does not match.
pub async fn lookup_person(lookup: &PersonLookup) -> Result<Page<PublicSubject>, ApiError> {
    http::post(&url::portal_person_lookup(), Some(lookup), As::Public).await
}

/// Files an objection (the multipart `form`: the objection and its evidence), reporting the upload's progress.
pub fn file_objection(
    form: &web_sys::FormData,
    on_progress: impl Fn(Progress) + 'static,
    on_done: impl FnOnce(Result<FiledObjection, ApiError>, RetryAfter) + 'static,
) {
    post_multipart(&url::portal_objections(), form, None, on_progress, on_done);
}

/// The appellant's view of an objection, by tracking number and query code (sent in the body, never the address).
pub async fn track(request: &TrackRequest) -> Result<ObjectionTrack, ApiError> {
    http::post(&url::portal_track(), Some(request), As::Public).await
}

pub async fn withdraw(request: &WithdrawObjection) -> Result<ObjectionTrack, ApiError> {
    http::post(&url::portal_withdraw(), Some(request), As::Public).await
}

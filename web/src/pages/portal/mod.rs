//! The public portal: search organisations and businesses, look up a natural person by full name and
//! number, their published records, one record; everything masked by the server. Anyone may object to a published record and follow the objection.

mod objection_filed;
mod objection_form;
mod objection_track;
mod person_lookup;
mod record;
mod search;
mod subject;

pub use objection_track::ObjectionTrackPage;
pub use record::PublicRecordPage;
pub use search::{Search, SearchBox};
pub use subject::SubjectPage;

/// The message for a failed portal call: rate limits and missing pages in plain words.
fn portal_error(error: &crate::api::ApiError) -> String {
    if error.is(&[credit_types::ErrorCode::NotFound]) {
        "未找到公示信息:该主体或记录不存在,或已不在公示期内。".to_owned()
    } else {
        error.friendly()
    }
}

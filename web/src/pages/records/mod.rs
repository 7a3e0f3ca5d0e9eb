//! The workbench's credit records: the list the access rule allows, one record with its
//! versions, entry and amendment with live checks, revocation, and batch upload.

mod amend;
mod detail;
mod draft;
mod list;
mod new;
mod upload;

pub use detail::RecordDetail;
pub use draft::{check_draft, draft_order, DraftSignals, ValueInputs};
pub use list::Records;
pub use new::NewRecord;
pub use upload::Upload;

use credit_types::identity::Role;

/// Roles whose users read credit content beyond the portal.
pub const CONTENT_ROLES: &[Role] =
    &[Role::CityCreditAdmin, Role::CountyCreditAdmin, Role::UserUnit, Role::DataProvider];

/// The workbench page of record `id`, read for `purpose` (recorded in the audit trail with the read).
pub fn record_href(id: &str, purpose: &str) -> String {
    crate::api::with_query(
        &format!("/workbench/records/{}", crate::api::urlencode(id)),
        &[("purpose", purpose.to_owned())],
    )
}

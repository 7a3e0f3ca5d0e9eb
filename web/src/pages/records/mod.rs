//! The workbench's credit records: the list the access rule allows, one record with its
//! versions, entry and amendment with live checks, revocation, and batch upload.

mod detail;
mod form;
mod list;
mod upload;

pub use detail::{local_time, RecordDetail};
pub use form::{check_draft, draft_order, summary, today, DraftSignals, NewRecord, ValueInputs};
pub use list::Records;
pub use upload::Upload;

use credit_types::identity::Role;

/// Roles whose users read credit content beyond the portal.
pub const CONTENT_ROLES: &[Role] =
    &[Role::CityCreditAdmin, Role::CountyCreditAdmin, Role::UserUnit, Role::DataProvider];

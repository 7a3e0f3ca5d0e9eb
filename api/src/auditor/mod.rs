//! The security auditor's view of the audit trail: events filtered by person, organisation, target, action,
//! outcome and time, with the names of who and what they concern; one event in full; the check of the chain and the
//! anchors of its head. Only the security auditor reads it, and each reading is itself recorded.

pub mod names;
pub mod routes;
pub mod store;

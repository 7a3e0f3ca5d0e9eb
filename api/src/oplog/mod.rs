//! The operation log (运行日志, R-12.1): entries written by system administrators and by the platform's own checks,
//! append-only (a correction is a new entry pointing at the old one), searchable for good, exportable (audited).

pub mod routes;
pub mod store;

pub use store::{append, NewEntry};

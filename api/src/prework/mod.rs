//! The daily pre-work check (R-21.1, Art. 21: 每天上班以前做好系统检查): on every working day a system administrator
//! confirms the platform, the portal and the data backup item by item before the configured time, beside what the
//! automatic health checks say; a check missing by then, or an item found with a problem, raises a red banner on the
//! dashboards of system and credit administrators and writes an operation-log entry.

pub mod automatic;
pub mod routes;
pub mod rules;
pub mod store;
pub mod sweep;
pub mod view;

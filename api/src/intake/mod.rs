//! Batch intake of records: JSON or CSV uploads checked row by row, all-or-nothing commits,
//! progress reported on a batch resource.

pub mod accept;
pub mod csv;
pub mod job;
pub mod routes;

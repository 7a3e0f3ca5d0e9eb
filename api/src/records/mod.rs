//! Credit records: submitted by data providers for their own organisation, validated against
//! the catalog, versioned, read through the access rule, and marked expired when their publication period ends.

pub mod changes;
pub mod expiry;
pub mod listing;
pub mod masked;
pub mod notes;
pub mod public;
pub mod reads;
pub mod routes;
pub mod rules;
pub mod search;
pub mod store;

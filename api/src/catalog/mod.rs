//! The resource catalog: information items, their fields and publication rules, in versions.

pub mod routes;
pub mod store;
pub mod template;

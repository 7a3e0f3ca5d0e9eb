//! Regions (GB/T 2260): the city and its county-level divisions, read-only reference data seeded by migration.

pub mod routes;
mod store;

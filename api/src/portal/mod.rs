//! The public credit portal: anonymous search of organisations and businesses, the lookup
//! of a natural person by full name and number, subject and record pages, masked.

pub mod lookup;
pub mod routes;

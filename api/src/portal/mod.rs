//! The public credit portal: anonymous search, subject and record pages, masked.

pub mod routes;

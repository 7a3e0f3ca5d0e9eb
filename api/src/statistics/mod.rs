//! Statistics for the competent office: how many records, by catalog item, provider, county or month.

pub mod routes;

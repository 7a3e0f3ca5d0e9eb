//! HTTP tests of the real app, each run on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used)]

mod accounts;
mod audit;
mod auth;
mod clients;
mod errors;
mod ops;
mod regions;
mod spa;

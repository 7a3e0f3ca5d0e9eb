//! HTTP tests of the real app, each run on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used)]

mod access;
mod accounts;
mod audit;
mod audit_key;
mod auditor;
mod auth;
mod authorization;
mod backups;
mod catalog;
mod clients;
mod contact_keys;
mod daily_check;
mod db_checks;
mod demo;
mod errors;
mod hardening;
mod health_checks;
mod intake;
mod notices;
mod objections;
mod operation_log;
mod ops;
mod ops_access;
mod performance;
mod portal;
mod portal_people;
mod records;
mod regions;
mod sessions;
mod snapshots;
mod spa;
mod storage;

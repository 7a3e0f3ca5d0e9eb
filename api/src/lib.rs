//! Jiujiang public credit information platform and credit portal: the HTTP API and the host of the web app.
//!
//! One folder per capability (`regions`, `ops`, …), each with its routes, rules and queries; cross-cutting
//! HTTP plumbing in `http`, storage in `db`, the one error type in `error`.

pub mod access;
pub mod app;
pub mod audit;
pub mod auditor;
pub mod authorization;
pub mod backups;
pub mod calendar;
pub mod catalog;
pub mod cli;
pub mod clock;
pub mod config;
pub mod csv_file;
pub mod db;
pub mod dbadmin;
pub mod demo;
pub mod error;
pub mod http;
pub mod identity;
pub mod intake;
pub mod keys;
pub mod notices;
pub mod objections;
pub mod openapi;
pub mod oplog;
pub mod ops;
pub mod performance;
pub mod portal;
pub mod prework;
pub mod records;
pub mod regions;
pub mod schema;
pub mod server;
pub mod state;
pub mod statistics;
pub mod telemetry;
pub mod token_key;

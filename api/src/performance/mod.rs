//! Performance status: `/metrics` in the Prometheus text format for the monitoring system, and the
//! performance archive — a snapshot of latency percentiles, throughput, error rate, memory and database size every few
//! minutes, kept 400 days (thinned to one an hour after 7) — charted for system administrators beside the tuning
//! actions of the operation log.

pub mod archive;
pub mod exporter;
pub mod process;
pub mod routes;
pub mod rules;
pub mod store;

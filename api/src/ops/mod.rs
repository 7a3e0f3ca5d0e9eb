//! Operations: liveness and readiness probes, and the automatic health checks with their status board.

pub mod checks;
pub mod health;
pub mod routes;
pub mod scheduler;
pub mod store;

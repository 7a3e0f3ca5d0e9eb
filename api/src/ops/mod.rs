//! Operations: liveness and readiness probes (later also the operation log, backups and incidents, R-12…R-22).

pub mod health;

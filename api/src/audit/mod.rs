//! The audit trail: every login, every read of non-public data, every export and every
//! write appends an event; events are hash-chained so any change to a stored event is found by `verify`, and the
//! databases themselves refuse UPDATE and DELETE on them (triggers in the migrations).
//!
//! This module is the trail itself, below every capability that appends to it; the security auditor's view of it
//! (lists with names, one event, the check of the chain over HTTP) is the `auditor` capability.

pub mod chain;
pub mod store;

pub use chain::{Actor, ActorKind, AuditAction, EventFields, Outcome, TargetKind};
pub use credit_types::audit::{BrokenLink, Verification};
pub use store::{append, record, verify};

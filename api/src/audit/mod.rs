//! The audit trail: every login, every read of non-public data, every export and every
//! write appends an event; events are chained with an HMAC-SHA-256 whose key lives outside the database, the chain's
//! head is anchored outside the database daily, and the databases themselves refuse UPDATE and DELETE on events
//! (triggers in the migrations). `verify` finds any change to a stored event, a wrong or missing key, and a history
//! that no longer matches its anchors.
//!
//! This module is the trail itself, below every capability that appends to it; the security auditor's view of it
//! (lists with names, one event, the check of the chain and its anchors over HTTP) is the `auditor` capability.

pub mod anchor;
pub mod chain;
pub mod key;
pub mod store;
pub mod verify;

pub use chain::{Actor, ActorKind, AuditAction, EventFields, Outcome, TargetKind};
pub use credit_types::audit::{BrokenLink, Verification};
pub use store::{append, record};
pub use verify::verify;

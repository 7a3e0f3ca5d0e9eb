//! The audit trail: every login, every read of non-public data, every export and every
//! write appends an event; events are hash-chained so any change to a stored event is found by `verify`, and the
//! databases themselves refuse UPDATE and DELETE on them (triggers in the migrations).

pub mod chain;
pub mod routes;
pub mod store;

pub use chain::{Actor, EventFields, Outcome};
pub use store::{append, verify, BrokenLink, Verification};

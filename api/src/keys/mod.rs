//! Secrets kept outside the database: key files created once, readable by their owner only, and
//! the keyed hashes made with them. Someone who can read or rewrite the database, its dumps or its backups does not
//! hold these keys, so cannot recompute what they protect.
//!
//! - The **audit key** MACs the audit chain (`audit::chain`): without it, an edited event cannot be given a MAC
//!   that verifies.
//! - The **contact key** keys appellants' contact keys (`objections::rules::contact_key`): without it, a stored key
//!   cannot be matched against phone numbers by trying them all (11-digit numbers take minutes with plain SHA-256).
//!
//! They are two files, not one derived from the other: each serves one purpose and one set of people. The security
//! auditor runs `credit-api audit verify` with the audit key and never needs the contact key; the contact key can
//! be replaced on its own (the start recomputes the keys of the objections that still hold their contacts), while
//! the audit key can never be replaced without leaving the events MACed with it unverifiable.

pub mod file;
pub mod mac;

pub use file::KeyFileError;
pub use mac::{AuditKey, ContactKey};

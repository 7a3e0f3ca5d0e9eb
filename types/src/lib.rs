//! Data shapes and validators shared by the API (`credit-api`) and the web client (`credit-web`).
//!
//! Everything here compiles for the browser (wasm32) as well as the server, so a rule written once —
//! a code check, a field limit — is applied identically on both sides of the wire.

pub mod audit;
pub mod authorization;
pub mod catalog;
pub mod codes;
pub mod identity;
pub mod intake;
pub mod masking;
pub mod objections;
pub mod page;
pub mod problem;
pub mod records;
pub mod region;

pub use page::Page;
pub use problem::{FieldError, Problem};
pub use region::{Region, RegionLevel, RegionListQuery, RegionLookup, RegionLookupResult};

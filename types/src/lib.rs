//! Data shapes and validators shared by the API (`credit-api`) and the web client (`credit-web`).
//!
//! Everything here compiles for the browser (wasm32) as well as the server, so a rule written once —
//! a code check, a field limit — is applied identically on both sides of the wire.

pub mod audit;
pub mod authorization;
pub mod backups;
pub mod catalog;
pub mod china_time;
pub mod codes;
pub mod dbadmin;
pub mod error_code;
pub mod health;
pub mod identity;
pub mod intake;
pub mod labels;
pub mod masking;
pub mod objections;
pub mod oplog;
pub mod page;
pub mod performance;
pub mod prework;
pub mod problem;
pub mod records;
pub mod region;

pub use error_code::ErrorCode;
pub use labels::Labelled;
pub use page::Page;
pub use problem::{FieldError, Problem};
pub use region::{Region, RegionLevel, RegionListQuery, RegionLookup, RegionLookupResult};

//! HTTP plumbing shared by every capability: what every response gets (request id, security headers, problem
//! bodies), the validating extractors, cursors for lists, and the fallback that serves the SPA or answers 404/405.

pub mod cursor;
pub mod edge;
pub mod extract;
pub mod fallback;
pub mod metrics;
pub mod rate_limit;
pub mod request_context;
pub mod upload;
pub mod versioning;
pub mod visitor;

pub use extract::{BodyLimit, ValidJson, ValidQuery};

//! Pages of the account office and of the security auditor.

mod audit;
mod audit_chain;
mod audit_event;
mod audit_filters;
mod audit_words;
mod clients;
mod organisations;
mod review;
mod sessions;
mod users;

pub use audit::AuditLog;
pub use audit_event::AuditEventPage;
pub use clients::Clients;
pub use organisations::Organisations;
pub use review::PermissionReviewPage;
pub use sessions::Sessions;
pub use users::Users;

//! One module per routed page.

mod admin;
mod change_password;
mod home;
mod login;
mod not_found;
mod workbench;

pub use admin::{AuditLog, Clients, Organisations, PermissionReviewPage, Users};
pub use change_password::ChangePassword;
pub use home::Home;
pub use login::Login;
pub use not_found::NotFound;
pub use workbench::Workbench;

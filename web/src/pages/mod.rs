//! One module per routed page.

mod admin;
mod authorization;
mod catalog;
mod change_password;
mod dashboard;
mod database;
mod home;
mod login;
mod not_found;
mod objections;
mod ops;
mod performance;
mod portal;
mod prework;
pub mod records;
mod workbench;

pub use admin::{AuditEventPage, AuditLog, Clients, Organisations, PermissionReviewPage, Sessions, Users};
pub use authorization::{Agreements, GrantsGiven, Inbox, NewRequest, Outbox, RequestDetail};
pub use catalog::{Catalog, CatalogItemPage, NewCatalogItem};
pub use change_password::ChangePassword;
pub use database::{DatabaseChecks, DatabaseState};
pub use home::Home;
pub use login::Login;
pub use not_found::NotFound;
pub use objections::{CalendarEditor, ObjectionDetail, ObjectionOverview, ObjectionQueue};
pub use ops::{BackupRunbook, Backups, OperationLogPage, StatusBoardPage};
pub use performance::PerformancePage;
pub use portal::{ObjectionTrackPage, PublicRecordPage, Search, SubjectPage};
pub use prework::DailyCheckPage;
pub use records::{NewRecord, RecordDetail, Records, Upload};
pub use workbench::Workbench;

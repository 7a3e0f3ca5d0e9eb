//! 运维 pages: backups with a proven restore and the restore runbook.

mod backups;
mod runbook;

pub use backups::Backups;
pub use runbook::BackupRunbook;

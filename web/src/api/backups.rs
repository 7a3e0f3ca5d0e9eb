//! Backups: the plan, the backups, running one now and verifying one again.

use super::http::{self, As};
use super::{url, ApiError};
use credit_types::backups::{Backup, BackupPlan, BackupPlanInput};
use credit_types::Page;

pub async fn plan(token: &str) -> Result<BackupPlan, ApiError> {
    http::get(&url::backup_plan(), As::User(token)).await
}

pub async fn save_plan(token: &str, plan: &BackupPlanInput) -> Result<BackupPlan, ApiError> {
    http::put(&url::backup_plan(), plan, token).await
}

/// The newest backups (one page).
pub async fn list(token: &str) -> Result<Page<Backup>, ApiError> {
    http::get(&url::backups(), As::User(token)).await
}

/// Starts a backup; it comes back `running`.
pub async fn run(token: &str) -> Result<Backup, ApiError> {
    http::post(&url::backups(), None::<&()>, As::User(token)).await
}

/// Restores a backup into a scratch database again and returns the outcome.
pub async fn verify(token: &str, id: &str) -> Result<Backup, ApiError> {
    http::post(&url::backup_verify(id), None::<&()>, As::User(token)).await
}

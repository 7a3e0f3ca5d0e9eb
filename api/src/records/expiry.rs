//! The daily expiry job: records in force whose publication period has ended are marked `expired`. The
//! portal does not wait for it: its queries compare `publish_until` with today themselves.

use crate::audit::{self, Actor, AuditAction, EventFields, Outcome};
use crate::db::Db;
use crate::error::ApiResult;
use crate::schema::records;
use chrono::{NaiveDate, NaiveDateTime};
use credit_types::records::RecordStatus;
use diesel::prelude::*;

/// Marks the records past their period on `today`; returns how many. Run in a write transaction.
pub fn mark_expired(conn: &mut Db, today: NaiveDate, now: NaiveDateTime) -> ApiResult<usize> {
    let in_force: Vec<RecordStatus> = RecordStatus::ALL.into_iter().filter(|s| s.in_force()).collect();
    let marked = diesel::update(
        records::table.filter(records::status.eq_any(&in_force)).filter(records::publish_until.lt(today)),
    )
    .set((records::status.eq(RecordStatus::Expired), records::updated_at.eq(now)))
    .execute(conn)?;
    if marked > 0 {
        audit::append(
            conn,
            EventFields::new(&Actor::System, AuditAction::RecordExpire, Outcome::Success)
                .detail(format!("{marked} records past their publication period")),
        )?;
    }
    Ok(marked)
}

//! Notes on records: when an objection ends undetermined, both the appellant's claim and the provider's
//! verification are recorded on the record and shown with it, in the workbench and on the portal.

use crate::db::Db;
use crate::error::ApiResult;
use crate::schema::{objections, record_notes};
use chrono::NaiveDateTime;
use credit_types::objections::RecordNote;
use diesel::prelude::*;
use std::collections::HashMap;

/// The notes on `record_ids`, by record, oldest first; each names the objection's tracking number.
pub fn of_records(conn: &mut Db, record_ids: &[&str]) -> ApiResult<HashMap<String, Vec<RecordNote>>> {
    let rows: Vec<(String, String, String, String, NaiveDateTime)> = record_notes::table
        .inner_join(objections::table)
        .filter(record_notes::record_id.eq_any(record_ids))
        .order(record_notes::id)
        .select((
            record_notes::record_id,
            objections::tracking_number,
            record_notes::claim,
            record_notes::verification,
            record_notes::created_at,
        ))
        .load(conn)?;
    let mut out: HashMap<String, Vec<RecordNote>> = HashMap::new();
    for (record_id, tracking_number, claim, verification, noted_at) in rows {
        out.entry(record_id).or_default().push(RecordNote { tracking_number, claim, verification, noted_at });
    }
    Ok(out)
}

/// The notes on one record.
pub fn of_record(conn: &mut Db, record_id: &str) -> ApiResult<Vec<RecordNote>> {
    Ok(of_records(conn, &[record_id])?.remove(record_id).unwrap_or_default())
}

/// Records on `record_id` the claim of objection `objection_id` and the provider's verification of it.
pub fn add(
    conn: &mut Db,
    record_id: &str,
    objection_id: &str,
    claim: &str,
    verification: &str,
    now: NaiveDateTime,
) -> ApiResult<()> {
    diesel::insert_into(record_notes::table)
        .values((
            record_notes::id.eq(crate::db::new_id()),
            record_notes::record_id.eq(record_id),
            record_notes::objection_id.eq(objection_id),
            record_notes::claim.eq(claim),
            record_notes::verification.eq(verification),
            record_notes::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

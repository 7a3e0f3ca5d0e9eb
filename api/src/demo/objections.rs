//! A demo objection: 李四海 objects to his public penalty, so the handler queue, the office overview, the
//! portal mark and the tracking page have something to show. Its query code is published with the demo accounts.

use crate::db::Db;
use crate::keys::ContactKey;
use crate::objections::rules;
use crate::schema::{objection_steps, objections, records};
use chrono::{NaiveDate, NaiveDateTime};
use credit_types::objections::{ClaimType, ObjectionStatus, Relation};
use credit_types::records::RecordStatus;
use diesel::prelude::*;

/// The demo objection's tracking number and query code.
pub const DEMO_TRACKING_NUMBER: &str = "YY20260101000001";
pub const DEMO_QUERY_CODE: &str = "JJ2026DEMQ";

/// Files the demo objection against the record with provider reference `DEMO-SHOWCASE-4`, as if on `filed_on`.
pub fn insert(conn: &mut Db, filed_on: NaiveDate, now: NaiveDateTime, contact_key: &ContactKey) -> QueryResult<()> {
    let (record_id, provider, region): (String, String, String) = records::table
        .filter(records::provider_ref.eq("DEMO-SHOWCASE-4"))
        .select((records::id, records::provider_id, records::jurisdiction_region))
        .first(conn)?;
    let calendar = crate::calendar::Calendar::load_for(conn, filed_on, 3)?;
    let id = crate::db::new_id();
    let phone = "13907920088";
    diesel::insert_into(objections::table)
        .values((
            objections::id.eq(&id),
            objections::tracking_number.eq(DEMO_TRACKING_NUMBER),
            objections::query_code_hash.eq(rules::code_hash(DEMO_TRACKING_NUMBER, DEMO_QUERY_CODE)),
            objections::record_id.eq(&record_id),
            objections::provider_org_id.eq(&provider),
            objections::jurisdiction_region.eq(&region),
            objections::appellant_name.eq(super::seed::SHOWCASE_PERSON),
            objections::phone.eq(Some(phone)),
            objections::contact_key.eq(rules::contact_key(contact_key, Some(phone), None)),
            objections::relation.eq(Relation::Subject),
            objections::claim_type.eq(ClaimType::ContentWrong),
            objections::description.eq("没收违法所得金额记载有误,本人经营所得仅为一千二百元,附收据为证。"),
            objections::status.eq(ObjectionStatus::Submitted),
            objections::filed_at.eq(now),
            objections::accept_by.eq(rules::accept_by(&calendar, filed_on, 3)),
        ))
        .execute(conn)?;
    diesel::insert_into(objection_steps::table)
        .values((
            objection_steps::id.eq(crate::db::new_id()),
            objection_steps::objection_id.eq(&id),
            objection_steps::step.eq(credit_types::objections::StepKind::Submitted),
            objection_steps::at.eq(now),
        ))
        .execute(conn)?;
    // The mark, as a filing sets it.
    diesel::update(records::table.find(&record_id).filter(records::status.eq(RecordStatus::Active)))
        .set(records::status.eq(RecordStatus::UnderObjection))
        .execute(conn)?;
    Ok(())
}

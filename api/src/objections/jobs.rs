//! The objections' daily jobs: escalating overdue objections to the competent office or county lead unit,
//! and purging appellants' contact details a set time after their objection ended.

use super::store::{self, ObjectionRow};
use crate::audit::{self, Actor, AuditAction, EventFields, Outcome, TargetKind};
use crate::db::Db;
use crate::error::ApiResult;
use crate::schema::objections;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use credit_types::objections::StepKind;
use diesel::prelude::*;

/// marks every open objection past its running deadline as escalated (once), with a step and an audit
/// event; the overseers' lists and counts show them. Returns how many were escalated now. Run in a write
/// transaction.
pub fn escalate_overdue(conn: &mut Db, today: NaiveDate, now: NaiveDateTime) -> ApiResult<usize> {
    let open: Vec<ObjectionRow> = objections::table
        .filter(objections::status.eq_any(store::open_statuses()))
        .filter(objections::escalated_at.is_null())
        .select(ObjectionRow::as_select())
        .load(conn)?;
    let mut escalated = 0;
    for row in open.iter().filter(|r| super::rules::overdue(r.deadline(), today)) {
        // GB/T 2260: a city's own code ends in 00; its counties' do not.
        let to = if row.jurisdiction_region.ends_with("00") { "市信用主管部门" } else { "县区牵头部门" };
        diesel::update(objections::table.find(&row.id).filter(objections::escalated_at.is_null()))
            .set(objections::escalated_at.eq(Some(now)))
            .execute(conn)?;
        store::add_step(conn, &row.id, StepKind::Escalated, Some(&format!("逾期未办,已报{to}督办")), None, now)?;
        audit::append(
            conn,
            EventFields::new(&Actor::System, AuditAction::ObjectionEscalate, Outcome::Success)
                .target(TargetKind::Objection, &row.id)
                .detail(format!("{} overdue since {:?}", row.tracking_number, row.deadline())),
        )?;
        escalated += 1;
    }
    Ok(escalated)
}

/// blanks the contact details (and the notices' addresses) of objections that ended more than `days`
/// days ago, and replaces their contact key with a random value: a key derived from the contact would outlive it,
/// and none is needed for duplicates of an objection that ended. Returns how many were purged. Run in a write
/// transaction.
pub fn purge_contacts(conn: &mut Db, now: NaiveDateTime, days: u32) -> ApiResult<usize> {
    let cutoff = now - Duration::days(i64::from(days));
    let due: Vec<String> = objections::table
        .filter(objections::ended_at.le(cutoff))
        .filter(objections::contact_purged_at.is_null())
        .select(objections::id)
        .load(conn)?;
    for id in &due {
        diesel::update(objections::table.find(id))
            .set((
                objections::phone.eq(None::<String>),
                objections::email.eq(None::<String>),
                objections::appellant_name.eq("(已清除)"),
                objections::contact_key.eq(super::contacts::unlinkable()?),
                objections::contact_purged_at.eq(Some(now)),
            ))
            .execute(conn)?;
        crate::notices::outbox::purge_addresses(conn, id)?;
    }
    if !due.is_empty() {
        audit::append(
            conn,
            EventFields::new(&Actor::System, AuditAction::ObjectionPurgeContacts, Outcome::Success)
                .detail(format!("{} objections", due.len())),
        )?;
    }
    Ok(due.len())
}

//! Rows of the objection tables, their conversion to the API shape (contacts in full or masked), steps and the
//! record's objection mark.

use super::rules;
use crate::calendar::Calendar;
use crate::db::Db;
use crate::error::ApiResult;
use crate::schema::{objection_evidence, objection_steps, objections, records};
use chrono::{NaiveDate, NaiveDateTime};
use credit_types::objections::{
    ClaimType, Evidence, Objection, ObjectionStatus, ObjectionStep, Outcome, Relation, StepKind,
};
use credit_types::records::RecordStatus;
use diesel::prelude::*;
use std::collections::HashMap;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = objections)]
pub struct ObjectionRow {
    pub id: String,
    pub tracking_number: String,
    pub query_code_hash: String,
    pub record_id: String,
    pub provider_org_id: String,
    pub jurisdiction_region: String,
    pub appellant_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub contact_purged_at: Option<NaiveDateTime>,
    pub relation: Relation,
    pub claim_type: ClaimType,
    pub description: String,
    pub status: ObjectionStatus,
    pub filed_at: NaiveDateTime,
    pub filed_by: Option<String>,
    pub accept_by: NaiveDate,
    pub decide_by: Option<NaiveDate>,
    pub outcome: Option<Outcome>,
    pub reason: Option<String>,
    pub verification: Option<String>,
    pub corrected_version: Option<i32>,
    pub escalated_at: Option<NaiveDateTime>,
}

impl ObjectionRow {
    pub fn status(&self) -> ObjectionStatus {
        self.status
    }

    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome
    }

    /// The deadline running now, if any.
    pub fn deadline(&self) -> Option<NaiveDate> {
        rules::current_deadline(self.status(), self.accept_by, self.decide_by)
    }

    pub fn recipient(&self) -> crate::notices::Recipient {
        crate::notices::Recipient { phone: self.phone.clone(), email: self.email.clone() }
    }
}

/// How much of the appellant a caller sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactView {
    /// The objection's handlers, on its detail.
    Full,
    /// Lists, and overseers.
    Masked,
}

pub fn find(conn: &mut Db, id: &str) -> ApiResult<Option<ObjectionRow>> {
    Ok(objections::table.find(id).select(ObjectionRow::as_select()).first(conn).optional()?)
}

pub fn find_by_tracking(conn: &mut Db, tracking_number: &str) -> ApiResult<Option<ObjectionRow>> {
    Ok(objections::table
        .filter(objections::tracking_number.eq(tracking_number.trim().to_uppercase()))
        .select(ObjectionRow::as_select())
        .first(conn)
        .optional()?)
}

/// Appends a step to an objection's history.
pub fn add_step(
    conn: &mut Db,
    objection_id: &str,
    step: StepKind,
    note: Option<&str>,
    actor_id: Option<&str>,
    at: NaiveDateTime,
) -> ApiResult<()> {
    diesel::insert_into(objection_steps::table)
        .values((
            objection_steps::id.eq(crate::db::new_id()),
            objection_steps::objection_id.eq(objection_id),
            objection_steps::step.eq(step),
            objection_steps::at.eq(at),
            objection_steps::note.eq(note),
            objection_steps::actor_id.eq(actor_id),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn steps(conn: &mut Db, objection_id: &str) -> ApiResult<Vec<ObjectionStep>> {
    let rows: Vec<(StepKind, NaiveDateTime, Option<String>)> = objection_steps::table
        .filter(objection_steps::objection_id.eq(objection_id))
        .order(objection_steps::id)
        .select((objection_steps::step, objection_steps::at, objection_steps::note))
        .load(conn)?;
    Ok(rows.into_iter().map(|(step, at, note)| ObjectionStep { step, at, note }).collect())
}

pub fn evidence(conn: &mut Db, objection_id: &str) -> ApiResult<Vec<Evidence>> {
    let rows: Vec<(String, String, String, i32)> = objection_evidence::table
        .filter(objection_evidence::objection_id.eq(objection_id))
        .order(objection_evidence::id)
        .select((
            objection_evidence::id,
            objection_evidence::file_name,
            objection_evidence::media_type,
            objection_evidence::size,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, file_name, media_type, size)| Evidence {
            id,
            file_name,
            media_type,
            size: u32::try_from(size).unwrap_or(0),
        })
        .collect())
}

/// The API shape of objections; `with_history` adds steps and evidence (details), lists leave them empty.
pub fn to_objections(
    conn: &mut Db,
    rows: Vec<ObjectionRow>,
    view: ContactView,
    with_history: bool,
    today: NaiveDate,
) -> ApiResult<Vec<Objection>> {
    let record_ids: Vec<String> = rows.iter().map(|r| r.record_id.clone()).collect();
    let record_rows = crate::records::store::records_by_id(conn, &record_ids)?;
    let described: HashMap<String, (String, String)> = crate::records::store::target_records(conn, &record_rows)?
        .into_iter()
        .map(|t| (t.id, (t.subject_name, t.catalog_name)))
        .collect();
    let providers: Vec<&str> = rows.iter().map(|r| r.provider_org_id.as_str()).collect();
    let provider_names = crate::identity::store::organisation_names(conn, &providers)?;
    let clerks: Vec<&str> = rows.iter().filter_map(|r| r.filed_by.as_deref()).collect();
    let clerk_names = crate::identity::store::actor_names(conn, &clerks)?;
    let calendar = Calendar::load(conn, today - chrono::Duration::days(400), today + chrono::Duration::days(400))?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let (steps, evidence) =
            if with_history { (steps(conn, &row.id)?, evidence(conn, &row.id)?) } else { (Vec::new(), Vec::new()) };
        let deadline = row.deadline();
        let (subject_name, catalog_name) = described.get(&row.record_id).cloned().unwrap_or_default();
        let masked = view == ContactView::Masked;
        out.push(Objection {
            filed_by_name: row.filed_by.as_ref().and_then(|id| clerk_names.get(id).cloned()),
            subject_name,
            catalog_name,
            provider_org_name: provider_names.get(&row.provider_org_id).cloned().unwrap_or_default(),
            appellant_name: if masked { rules::mask_name(&row.appellant_name) } else { row.appellant_name.clone() },
            phone: row.phone.as_deref().map(|p| if masked { rules::mask_phone(p) } else { p.to_owned() }),
            email: row.email.as_deref().map(|e| if masked { rules::mask_email(e) } else { e.to_owned() }),
            contact_purged: row.contact_purged_at.is_some(),
            relation: row.relation,
            claim_type: row.claim_type,
            status: row.status(),
            overdue: rules::overdue(deadline, today),
            days_left: deadline.map(|d| rules::working_days_left(&calendar, today, d)),
            outcome: row.outcome(),
            id: row.id,
            tracking_number: row.tracking_number,
            record_id: row.record_id,
            provider_org_id: row.provider_org_id,
            jurisdiction_region: row.jurisdiction_region,
            description: row.description,
            filed_at: row.filed_at,
            filed_by: row.filed_by,
            accept_by: row.accept_by,
            decide_by: row.decide_by,
            escalated_at: row.escalated_at,
            reason: row.reason,
            verification: row.verification,
            corrected_version: row.corrected_version,
            evidence,
            steps,
        });
    }
    Ok(out)
}

/// marks the record "under objection" (异议处理中) while it is in force; a record already marked stays so.
pub fn mark(conn: &mut Db, record_id: &str) -> ApiResult<()> {
    diesel::update(
        records::table
            .find(record_id)
            .filter(records::status.eq_any([RecordStatus::Active.as_str(), RecordStatus::Corrected.as_str()])),
    )
    .set(records::status.eq(RecordStatus::UnderObjection))
    .execute(conn)?;
    Ok(())
}

/// Removes the mark once no objection of the record is open: the record is `corrected` when an objection ever
/// corrected it, `active` otherwise. A record that left the mark meanwhile (revoked, expired) keeps its state.
pub fn unmark_if_settled(conn: &mut Db, record_id: &str) -> ApiResult<()> {
    let open: i64 = objections::table
        .filter(objections::record_id.eq(record_id))
        .filter(objections::status.eq_any(open_statuses()))
        .count()
        .get_result(conn)?;
    if open > 0 {
        return Ok(());
    }
    let corrected: i64 = objections::table
        .filter(objections::record_id.eq(record_id))
        .filter(objections::outcome.eq(Outcome::Corrected))
        .count()
        .get_result(conn)?;
    let next = if corrected > 0 { RecordStatus::Corrected } else { RecordStatus::Active };
    diesel::update(records::table.find(record_id).filter(records::status.eq(RecordStatus::UnderObjection)))
        .set(records::status.eq(next))
        .execute(conn)?;
    Ok(())
}

/// The states in which an objection is being handled (the record carries the mark).
pub fn open_statuses() -> [ObjectionStatus; 2] {
    [ObjectionStatus::Submitted, ObjectionStatus::Accepted]
}

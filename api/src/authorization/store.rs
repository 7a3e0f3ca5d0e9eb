//! Rows of the authorisation tables and their conversion to API shapes, with the names they show.

use super::rules;
use crate::db::Db;
use crate::error::ApiResult;
pub use crate::identity::store::organisation_names;
use crate::schema::{
    agreement_items, agreement_purposes, authorization_requests, grant_records, grant_uses, grants,
    request_attachments, request_records, usage_agreements,
};
use chrono::{NaiveDate, NaiveDateTime};
use credit_types::authorization::{
    Agreement, AgreementStatus, Attachment, AuthorizationRequest, Grant, GrantUse, Purpose, RequestStatus, TargetRecord,
};
use diesel::prelude::*;
use std::collections::HashMap;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = usage_agreements)]
pub struct AgreementRow {
    pub id: String,
    pub organisation_id: String,
    pub document_no: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub status: AgreementStatus,
    pub status_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub created_by: String,
    pub updated_at: NaiveDateTime,
}

impl AgreementRow {
    pub fn status(&self) -> AgreementStatus {
        self.status
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = authorization_requests)]
pub struct RequestRow {
    pub id: String,
    pub group_id: String,
    pub requester_id: String,
    pub requester_org_id: String,
    pub provider_org_id: String,
    pub agreement_id: String,
    pub purpose: Purpose,
    pub purpose_text: Option<String>,
    pub legal_basis: String,
    pub period_days: i32,
    pub status: RequestStatus,
    pub created_at: NaiveDateTime,
    pub decide_by: NaiveDate,
    pub decided_at: Option<NaiveDateTime>,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
}

impl RequestRow {
    pub fn status(&self) -> RequestStatus {
        self.status
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = grants)]
pub struct GrantRow {
    pub id: String,
    pub request_id: String,
    pub grantee_org_id: String,
    pub provider_org_id: String,
    pub purpose: Purpose,
    pub purpose_text: Option<String>,
    pub legal_basis: String,
    pub granted_at: NaiveDateTime,
    pub granted_by: String,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_by: Option<String>,
    pub revoke_reason: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = grant_uses)]
pub struct UseRow {
    pub id: String,
    pub grant_id: String,
    pub record_id: String,
    pub actor_id: String,
    pub action: String,
    pub used_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = request_attachments)]
pub struct AttachmentRow {
    pub id: String,
    pub request_id: String,
    pub file_name: String,
    pub media_type: String,
    pub size: i32,
    pub uploaded_at: NaiveDateTime,
    pub uploaded_by: String,
}

/// The API shape of agreements, with their items, purposes and unit names.
pub fn to_agreements(conn: &mut Db, rows: Vec<AgreementRow>, today: NaiveDate) -> ApiResult<Vec<Agreement>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut items: HashMap<String, Vec<String>> = HashMap::new();
    let item_rows: Vec<(String, String)> = agreement_items::table
        .filter(agreement_items::agreement_id.eq_any(&ids))
        .order(agreement_items::catalog_code)
        .select((agreement_items::agreement_id, agreement_items::catalog_code))
        .load(conn)?;
    for (id, code) in item_rows {
        items.entry(id).or_default().push(code);
    }
    let mut purposes: HashMap<String, Vec<Purpose>> = HashMap::new();
    let purpose_rows: Vec<(String, Purpose)> = agreement_purposes::table
        .filter(agreement_purposes::agreement_id.eq_any(&ids))
        .select((agreement_purposes::agreement_id, agreement_purposes::purpose))
        .load(conn)?;
    for (id, value) in purpose_rows {
        purposes.entry(id).or_default().push(value);
    }
    let org_ids: Vec<&str> = rows.iter().map(|r| r.organisation_id.as_str()).collect();
    let names = organisation_names(conn, &org_ids)?;
    let creators: Vec<&str> = rows.iter().map(|r| r.created_by.as_str()).collect();
    let people = crate::identity::store::actor_names(conn, &creators)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let status = row.status();
            let mut purposes = purposes.remove(&row.id).unwrap_or_default();
            purposes.sort_by_key(|p| Purpose::ALL.iter().position(|q| q == p));
            Agreement {
                organisation_name: names.get(&row.organisation_id).cloned().unwrap_or_default(),
                created_by_name: people.get(&row.created_by).cloned().unwrap_or_default(),
                catalog_items: items.remove(&row.id).unwrap_or_default(),
                purposes,
                current: rules::agreement_current(status, row.valid_from, row.valid_to, today),
                id: row.id,
                organisation_id: row.organisation_id,
                document_no: row.document_no,
                valid_from: row.valid_from,
                valid_to: row.valid_to,
                status,
                status_reason: row.status_reason,
                created_at: row.created_at,
                created_by: row.created_by,
                updated_at: row.updated_at,
            }
        })
        .collect())
}

pub fn find_agreement(conn: &mut Db, id: &str) -> ApiResult<Option<AgreementRow>> {
    Ok(usage_agreements::table.find(id).select(AgreementRow::as_select()).first(conn).optional()?)
}

/// the organisation's current agreement covering `catalog_code` (and `purpose`, when given), the one
/// lasting longest when several do.
pub fn covering_agreement(
    conn: &mut Db,
    organisation_id: &str,
    catalog_code: &str,
    purpose: Option<Purpose>,
    today: NaiveDate,
) -> ApiResult<Option<AgreementRow>> {
    let mut query = usage_agreements::table
        .inner_join(agreement_items::table)
        .filter(usage_agreements::organisation_id.eq(organisation_id))
        .filter(usage_agreements::status.eq(AgreementStatus::Active))
        .filter(usage_agreements::valid_from.le(today))
        .filter(usage_agreements::valid_to.ge(today))
        .filter(agreement_items::catalog_code.eq(catalog_code))
        .into_boxed();
    if let Some(purpose) = purpose {
        let with_purpose = agreement_purposes::table
            .filter(agreement_purposes::purpose.eq(purpose))
            .select(agreement_purposes::agreement_id);
        query = query.filter(usage_agreements::id.eq_any(with_purpose));
    }
    Ok(query
        .order((usage_agreements::valid_to.desc(), usage_agreements::id.desc()))
        .select(AgreementRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_request(conn: &mut Db, id: &str) -> ApiResult<Option<RequestRow>> {
    Ok(authorization_requests::table.find(id).select(RequestRow::as_select()).first(conn).optional()?)
}

/// The API shape of requests, with names, record counts and the grants approvals made.
pub fn to_requests(conn: &mut Db, rows: Vec<RequestRow>, today: NaiveDate) -> ApiResult<Vec<AuthorizationRequest>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let counts: HashMap<String, i64> = request_records::table
        .filter(request_records::request_id.eq_any(&ids))
        .group_by(request_records::request_id)
        .select((request_records::request_id, diesel::dsl::count_star()))
        .load(conn)?
        .into_iter()
        .collect();
    let grant_ids: HashMap<String, String> = grants::table
        .filter(grants::request_id.eq_any(&ids))
        .select((grants::request_id, grants::id))
        .load(conn)?
        .into_iter()
        .collect();
    let agreement_ids: Vec<&str> = rows.iter().map(|r| r.agreement_id.as_str()).collect();
    let documents: HashMap<String, String> = usage_agreements::table
        .filter(usage_agreements::id.eq_any(&agreement_ids))
        .select((usage_agreements::id, usage_agreements::document_no))
        .load(conn)?
        .into_iter()
        .collect();
    let org_ids: Vec<&str> =
        rows.iter().flat_map(|r| [r.requester_org_id.as_str(), r.provider_org_id.as_str()]).collect();
    let orgs = organisation_names(conn, &org_ids)?;
    let people: Vec<&str> =
        rows.iter().flat_map(|r| std::iter::once(r.requester_id.as_str()).chain(r.decided_by.as_deref())).collect();
    let people = crate::identity::store::actor_names(conn, &people)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let status = row.status();
            AuthorizationRequest {
                requester_name: people.get(&row.requester_id).cloned().unwrap_or_default(),
                decided_by_name: row.decided_by.as_ref().and_then(|id| people.get(id).cloned()),
                requester_org_name: orgs.get(&row.requester_org_id).cloned().unwrap_or_default(),
                provider_org_name: orgs.get(&row.provider_org_id).cloned().unwrap_or_default(),
                agreement_document_no: documents.get(&row.agreement_id).cloned().unwrap_or_default(),
                record_count: counts.get(&row.id).map_or(0, |c| u32::try_from(*c).unwrap_or(u32::MAX)),
                grant_id: grant_ids.get(&row.id).cloned(),
                overdue: rules::overdue(status, row.decide_by, today),
                purpose: row.purpose,
                period_days: u32::try_from(row.period_days).unwrap_or(0),
                status,
                id: row.id,
                group_id: row.group_id,
                requester_id: row.requester_id,
                requester_org_id: row.requester_org_id,
                provider_org_id: row.provider_org_id,
                agreement_id: row.agreement_id,
                purpose_text: row.purpose_text,
                legal_basis: row.legal_basis,
                created_at: row.created_at,
                decide_by: row.decide_by,
                decided_at: row.decided_at,
                decided_by: row.decided_by,
                decision_note: row.decision_note,
            }
        })
        .collect())
}

/// Record ids of a request, in id order.
pub fn request_record_ids(conn: &mut Db, request_id: &str) -> ApiResult<Vec<String>> {
    Ok(request_records::table
        .filter(request_records::request_id.eq(request_id))
        .order(request_records::record_id)
        .select(request_records::record_id)
        .load(conn)?)
}

pub fn attachments(conn: &mut Db, request_id: &str) -> ApiResult<Vec<Attachment>> {
    let rows: Vec<AttachmentRow> = request_attachments::table
        .filter(request_attachments::request_id.eq(request_id))
        .order(request_attachments::id)
        .select(AttachmentRow::as_select())
        .load(conn)?;
    let uploaders: Vec<&str> = rows.iter().map(|r| r.uploaded_by.as_str()).collect();
    let people = crate::identity::store::actor_names(conn, &uploaders)?;
    Ok(rows
        .into_iter()
        .map(|r| Attachment {
            uploaded_by_name: people.get(&r.uploaded_by).cloned().unwrap_or_default(),
            id: r.id,
            file_name: r.file_name,
            media_type: r.media_type,
            size: u32::try_from(r.size).unwrap_or(0),
            uploaded_at: r.uploaded_at,
            uploaded_by: r.uploaded_by,
        })
        .collect())
}

pub fn find_grant(conn: &mut Db, id: &str) -> ApiResult<Option<GrantRow>> {
    Ok(grants::table.find(id).select(GrantRow::as_select()).first(conn).optional()?)
}

/// The API shape of grants at `now`, with names, record ids and use counts.
pub fn to_grants(conn: &mut Db, rows: Vec<GrantRow>, now: NaiveDateTime) -> ApiResult<Vec<Grant>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut record_ids: HashMap<String, Vec<String>> = HashMap::new();
    let pairs: Vec<(String, String)> = grant_records::table
        .filter(grant_records::grant_id.eq_any(&ids))
        .order((grant_records::grant_id, grant_records::record_id))
        .select((grant_records::grant_id, grant_records::record_id))
        .load(conn)?;
    for (grant, record) in pairs {
        record_ids.entry(grant).or_default().push(record);
    }
    let uses: HashMap<String, i64> = grant_uses::table
        .filter(grant_uses::grant_id.eq_any(&ids))
        .group_by(grant_uses::grant_id)
        .select((grant_uses::grant_id, diesel::dsl::count_star()))
        .load(conn)?
        .into_iter()
        .collect();
    let org_ids: Vec<&str> =
        rows.iter().flat_map(|r| [r.grantee_org_id.as_str(), r.provider_org_id.as_str()]).collect();
    let orgs = organisation_names(conn, &org_ids)?;
    let people: Vec<&str> =
        rows.iter().flat_map(|r| std::iter::once(r.granted_by.as_str()).chain(r.revoked_by.as_deref())).collect();
    let people = crate::identity::store::actor_names(conn, &people)?;
    let all_records: Vec<String> = record_ids.values().flatten().cloned().collect();
    let granted = crate::records::store::records_by_id(conn, &all_records)?;
    let described: HashMap<String, TargetRecord> =
        crate::records::store::target_records(conn, &granted)?.into_iter().map(|t| (t.id.clone(), t)).collect();
    Ok(rows
        .into_iter()
        .map(|row| {
            let revoked = row.revoked_at.is_some();
            let ids = record_ids.remove(&row.id).unwrap_or_default();
            Grant {
                records: ids.iter().filter_map(|id| described.get(id).cloned()).collect(),
                record_ids: ids,
                granted_by_name: people.get(&row.granted_by).cloned().unwrap_or_default(),
                revoked_by_name: row.revoked_by.as_ref().and_then(|id| people.get(id).cloned()),
                grantee_org_name: orgs.get(&row.grantee_org_id).cloned().unwrap_or_default(),
                provider_org_name: orgs.get(&row.provider_org_id).cloned().unwrap_or_default(),
                use_count: uses.get(&row.id).map_or(0, |c| u32::try_from(*c).unwrap_or(u32::MAX)),
                status: rules::grant_status(row.expires_at, revoked, now),
                expiring_soon: rules::expiring_soon(row.expires_at, revoked, now),
                purpose: row.purpose,
                id: row.id,
                request_id: row.request_id,
                grantee_org_id: row.grantee_org_id,
                provider_org_id: row.provider_org_id,
                purpose_text: row.purpose_text,
                legal_basis: row.legal_basis,
                granted_at: row.granted_at,
                granted_by: row.granted_by,
                expires_at: row.expires_at,
                revoked_at: row.revoked_at,
                revoked_by: row.revoked_by,
                revoke_reason: row.revoke_reason,
            }
        })
        .collect())
}

/// The API shape of uses, with the readers' names, the holding units and what each record is.
pub fn to_uses(conn: &mut Db, rows: Vec<UseRow>) -> ApiResult<Vec<GrantUse>> {
    let actors: Vec<&str> = rows.iter().map(|r| r.actor_id.as_str()).collect();
    let names = crate::identity::store::actor_names(conn, &actors)?;
    let grant_ids: Vec<&str> = rows.iter().map(|r| r.grant_id.as_str()).collect();
    let holders: HashMap<String, String> = grants::table
        .filter(grants::id.eq_any(&grant_ids))
        .select((grants::id, grants::grantee_org_id))
        .load(conn)?
        .into_iter()
        .collect();
    let holder_ids: Vec<&str> = holders.values().map(String::as_str).collect();
    let holder_names = organisation_names(conn, &holder_ids)?;
    let mut record_ids: Vec<String> = rows.iter().map(|r| r.record_id.clone()).collect();
    record_ids.sort();
    record_ids.dedup();
    let used = crate::records::store::records_by_id(conn, &record_ids)?;
    let labels: HashMap<String, String> = crate::records::store::target_records(conn, &used)?
        .into_iter()
        .map(|t| (t.id, format!("{} · {}", t.subject_name, t.catalog_name)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| GrantUse {
            actor_name: names.get(&r.actor_id).cloned().unwrap_or_default(),
            grantee_org_name: holders
                .get(&r.grant_id)
                .and_then(|org| holder_names.get(org))
                .cloned()
                .unwrap_or_default(),
            record_label: labels.get(&r.record_id).cloned().unwrap_or_default(),
            id: r.id,
            grant_id: r.grant_id,
            record_id: r.record_id,
            actor_id: r.actor_id,
            action: r.action,
            used_at: r.used_at,
        })
        .collect())
}

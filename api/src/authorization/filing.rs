//! Filing a request for authorised-use records: the target records, each within the
//! requester's scope; a current agreement covering each catalog item and the purpose; no second pending request for
//! the same records and purpose; then one request per providing unit, each routed to it with a decision deadline.

use super::rules;
use super::store::{self, RequestRow};
use crate::access::{self, RequestScope};
use crate::audit::{self, Actor, AuditAction, EventFields, Outcome, TargetKind};
use crate::calendar::Calendar;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::records::store::RecordRow;
use crate::schema::{authorization_requests, catalog_items, records, request_records, subjects};
use chrono::{NaiveDate, NaiveDateTime};
use credit_types::authorization::{FiledRequests, NewAuthorizationRequest, Purpose, RequestStatus};
use credit_types::{ErrorCode, FieldError};
use diesel::prelude::*;
use std::collections::BTreeMap;

/// Who files: the person, their unit, what the unit may request.
pub struct Filer {
    pub scope: RequestScope,
    pub requester: String,
    pub organisation_id: String,
    pub actor: Actor,
}

/// Files `request` (already checked field by field) in the caller's write transaction.
pub fn file(conn: &mut Db, filer: &Filer, request: &NewAuthorizationRequest) -> ApiResult<FiledRequests> {
    let now = crate::clock::now();
    let today = crate::clock::local_date(now);
    let targets = resolve_targets(conn, &filer.scope, request, today)?;
    let agreements = covering_agreements(conn, &filer.organisation_id, request.purpose, &targets, today)?;
    refuse_duplicate(conn, &filer.organisation_id, request.purpose, &targets)?;
    // One request per providing unit (and, rarely, per agreement within it).
    let mut groups: BTreeMap<(String, String), Vec<&RecordRow>> = BTreeMap::new();
    for row in &targets {
        let agreement = agreements.get(&row.catalog_item_id).cloned().unwrap_or_default();
        groups.entry((row.provider_id.clone(), agreement)).or_default().push(row);
    }
    let calendar = Calendar::load_for(conn, today, rules::DECISION_WORKING_DAYS)?;
    let filing = Filing { group_id: crate::db::new_id(), decide_by: rules::decide_by(&calendar, today), now };
    let mut ids = Vec::new();
    for ((provider, agreement), rows) in groups {
        ids.push(insert_request(conn, filer, request, &filing, (&provider, &agreement), &rows)?);
    }
    let rows: Vec<RequestRow> = authorization_requests::table
        .filter(authorization_requests::id.eq_any(&ids))
        .order(authorization_requests::id)
        .select(RequestRow::as_select())
        .load(conn)?;
    Ok(FiledRequests { group_id: filing.group_id, requests: store::to_requests(conn, rows, today)? })
}

/// What the requests filed together share.
struct Filing {
    group_id: String,
    decide_by: NaiveDate,
    now: NaiveDateTime,
}

/// The agreement covering each catalog item of the targets (by item id): current, of the unit, for the purpose.
/// Field errors name each item without one.
fn covering_agreements(
    conn: &mut Db,
    organisation_id: &str,
    purpose: Purpose,
    targets: &[RecordRow],
    today: NaiveDate,
) -> ApiResult<BTreeMap<String, String>> {
    let catalog = crate::catalog::store::catalog_names(conn)?;
    let mut agreements: BTreeMap<String, String> = BTreeMap::new();
    let mut errors = Vec::new();
    for row in targets {
        if agreements.contains_key(&row.catalog_item_id) {
            continue;
        }
        let (code, name) = catalog.get(&row.catalog_item_id).cloned().unwrap_or_default();
        match store::covering_agreement(conn, organisation_id, &code, Some(purpose), today)? {
            Some(agreement) => {
                agreements.insert(row.catalog_item_id.clone(), agreement.id);
            }
            None => errors.push(FieldError::new(
                "catalog_item",
                "no_agreement",
                format!(
                    "本单位没有覆盖目录项“{name}”({code})及用途“{}”的有效使用协议,请先与信用主管部门签订(R-23.2)",
                    purpose.label()
                ),
            )),
        }
    }
    if errors.is_empty() {
        Ok(agreements)
    } else {
        Err(ApiError::Validation { errors })
    }
}

/// One request to one providing unit under one agreement, with its records and its audit event; returns its id.
fn insert_request(
    conn: &mut Db,
    filer: &Filer,
    request: &NewAuthorizationRequest,
    filing: &Filing,
    (provider, agreement): (&str, &str),
    rows: &[&RecordRow],
) -> ApiResult<String> {
    let id = crate::db::new_id();
    let purpose_text = request.purpose_text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    diesel::insert_into(authorization_requests::table)
        .values((
            authorization_requests::id.eq(&id),
            authorization_requests::group_id.eq(&filing.group_id),
            authorization_requests::requester_id.eq(&filer.requester),
            authorization_requests::requester_org_id.eq(&filer.organisation_id),
            authorization_requests::provider_org_id.eq(provider),
            authorization_requests::agreement_id.eq(agreement),
            authorization_requests::purpose.eq(request.purpose),
            authorization_requests::purpose_text.eq(purpose_text),
            authorization_requests::legal_basis.eq(request.legal_basis.trim()),
            authorization_requests::period_days.eq(i32::try_from(request.period_days).unwrap_or(1)),
            authorization_requests::status.eq(RequestStatus::Pending),
            authorization_requests::created_at.eq(filing.now),
            authorization_requests::decide_by.eq(filing.decide_by),
        ))
        .execute(conn)?;
    let links: Vec<_> =
        rows.iter().map(|r| (request_records::request_id.eq(&id), request_records::record_id.eq(&r.id))).collect();
    crate::insert_many!(conn, request_records::table, links)?;
    audit::append(
        conn,
        EventFields::new(&filer.actor, AuditAction::AuthorizationRequest, Outcome::Success)
            .target(TargetKind::AuthorizationRequest, &id)
            .purpose(request.purpose.as_str())
            .detail(format!("{} records of {provider} for {} days", rows.len(), request.period_days)),
    )?;
    Ok(id)
}

/// Records of `scope` about a subject (by code) under a catalog item (by code), id order.
pub fn requestable_about(
    conn: &mut Db,
    scope: &RequestScope,
    subject_code: &str,
    catalog_code: &str,
    today: NaiveDate,
) -> ApiResult<Vec<RecordRow>> {
    let subject = subjects::table.filter(subjects::code.eq(subject_code.trim())).select(subjects::id);
    let item = catalog_items::table.filter(catalog_items::code.eq(catalog_code.trim())).select(catalog_items::id);
    Ok(records::table
        .filter(access::requestable_filter(scope, today))
        .filter(records::subject_id.eq_any(subject))
        .filter(records::catalog_item_id.eq_any(item))
        .order(records::id)
        .limit(200)
        .select(RecordRow::as_select())
        .load(conn)?)
}

/// Target records grouped by providing unit, each group ordered by id.
pub fn by_provider(rows: Vec<RecordRow>) -> BTreeMap<String, Vec<RecordRow>> {
    let mut out: BTreeMap<String, Vec<RecordRow>> = BTreeMap::new();
    for row in rows {
        out.entry(row.provider_id.clone()).or_default().push(row);
    }
    out
}

/// A unit asks once for the same records and purpose: while one of its requests for any of them is pending, another
/// is refused (409) with the pending request's id, instead of filling the provider's inbox twice.
fn refuse_duplicate(
    conn: &mut Db,
    organisation_id: &str,
    purpose: credit_types::authorization::Purpose,
    targets: &[RecordRow],
) -> ApiResult<()> {
    let ids: Vec<&str> = targets.iter().map(|r| r.id.as_str()).collect();
    let pending: Option<String> = authorization_requests::table
        .inner_join(request_records::table)
        .filter(authorization_requests::requester_org_id.eq(organisation_id))
        .filter(authorization_requests::status.eq(RequestStatus::Pending))
        .filter(authorization_requests::purpose.eq(purpose))
        .filter(request_records::record_id.eq_any(&ids))
        .select(authorization_requests::id)
        .first(conn)
        .optional()?;
    match pending {
        None => Ok(()),
        Some(id) => Err(ApiError::Conflict {
            code: ErrorCode::DuplicateRequest,
            detail: format!("request {id} of this unit asks for these records for the same purpose and is pending"),
            errors: vec![FieldError::new("records", "pending", format!("本单位已有相同用途的待审核申请({id})"))],
        }),
    }
}

/// The records a request names, each within the requester's scope; field errors otherwise. A record
/// that does not exist and one outside the scope get the same answer, so a request reveals nothing.
fn resolve_targets(
    conn: &mut Db,
    scope: &RequestScope,
    request: &NewAuthorizationRequest,
    today: NaiveDate,
) -> ApiResult<Vec<RecordRow>> {
    if let (Some(subject), Some(item)) = (&request.subject_code, &request.catalog_item) {
        let rows = requestable_about(conn, scope, subject, item, today)?;
        if rows.is_empty() {
            return Err(ApiError::Validation {
                errors: vec![FieldError::new(
                    "subject_code",
                    "nothing_to_request",
                    "该主体没有本单位可申请的此目录项授权查询记录",
                )],
            });
        }
        return Ok(rows);
    }
    let mut wanted: Vec<String> = request.records.iter().map(|id| id.trim().to_owned()).collect();
    wanted.sort();
    wanted.dedup();
    let found = crate::records::store::records_by_id(conn, &wanted)?;
    let mut errors = Vec::new();
    for (i, id) in request.records.iter().enumerate() {
        let ok = found.iter().any(|r| r.id == id.trim() && access::requestable(scope, &r.facts(), today));
        if !ok {
            errors.push(FieldError::new(
                format!("records[{i}]"),
                "not_requestable",
                "没有这条记录,或它不是本单位可申请的授权查询记录",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation { errors });
    }
    Ok(found)
}

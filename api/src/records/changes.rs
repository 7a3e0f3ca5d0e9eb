//! Changing records: submitting one, amending it with a reason, revoking it. Each runs inside the caller's
//! write transaction and appends its audit event there; objections correct records through [`apply_amendment`].

use super::reads::changeable_record;
use super::rules::{self, Draft, Submission};
use super::store::{self, Provider, RecordRow};
use crate::access::Viewer;
use crate::audit::{self, Actor, AuditAction, EventFields, Outcome, TargetKind};
use crate::catalog::store::Definition;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use credit_types::records::{
    AmendRecordRequest, NewRecordRequest, Record, RecordStatus, RevokeRecordRequest, SubjectInput,
};
use credit_types::{ErrorCode, FieldError};

/// Submits one record for `provider`. A retry with the same `provider_ref` and the same content gives the
/// stored record (`false`: nothing new); the same reference with other content is a 409.
pub fn submit(
    conn: &mut Db,
    provider: &Provider,
    actor: &Actor,
    request: NewRecordRequest,
) -> ApiResult<(Record, bool)> {
    let item = crate::catalog::store::current_by_code(conn, &request.catalog_item)?
        .ok_or_else(|| invalid("catalog_item", "unknown_catalog_item", "没有这个目录项"))?;
    let submission = Submission {
        subject: request.subject,
        decision_date: request.decision_date,
        class: request.disclosure_class,
        publish_days: request.publish_days,
        provider_ref: request.provider_ref,
        values: request.values,
    };
    let draft =
        rules::draft(&item, submission, crate::clock::today()).map_err(|errors| ApiError::Validation { errors })?;
    check_subject(conn, &draft)?;
    if let Some(stored) = stored_under_reference(conn, provider, &draft)? {
        return Ok((store::to_record(conn, stored)?, false));
    }
    let ids = store::insert_drafts(conn, &item, provider, std::slice::from_ref(&draft), crate::clock::now())?;
    let id = ids.into_iter().next().ok_or_else(|| ApiError::internal("nothing inserted"))?;
    audit::append(
        conn,
        EventFields::new(actor, AuditAction::RecordCreate, Outcome::Success)
            .target(TargetKind::Record, &id)
            .detail(format!("{} {}", item.code, draft.class.as_str())),
    )?;
    Ok((reread(conn, &id)?, true))
}

/// Refuses a subject that contradicts the one stored under the same code.
fn check_subject(conn: &mut Db, draft: &Draft) -> ApiResult<()> {
    let stored = store::subjects_by_code(conn, &[&draft.subject.code])?;
    match stored.get(&draft.subject.code).and_then(|existing| store::subject_conflict(existing, &draft.subject)) {
        Some(error) => Err(ApiError::Validation { errors: vec![error] }),
        None => Ok(()),
    }
}

/// The provider's record already stored under the draft's reference with the same content (a retried
/// submission); a conflict when the reference holds other content.
fn stored_under_reference(conn: &mut Db, provider: &Provider, draft: &Draft) -> ApiResult<Option<RecordRow>> {
    let Some(reference) = &draft.provider_ref else { return Ok(None) };
    let Some((id, hash)) = store::records_by_ref(conn, &provider.organisation_id, &[reference])?.remove(reference)
    else {
        return Ok(None);
    };
    if hash != draft.content_hash {
        return Err(ApiError::Conflict {
            code: ErrorCode::ProviderRefTaken,
            detail: format!("record {id} has the reference {reference} with other content; amend it"),
            errors: vec![FieldError::new("provider_ref", "taken", "本单位编号已用于另一条内容不同的记录")],
        });
    }
    store::find_record(conn, &id)?.map(Some).ok_or_else(|| ApiError::internal("vanished"))
}

/// Amends record `id` as `request` says (its provider only, `expected` the version read): a new version with the
/// reason; the old one stays in the history. The subject cannot change (revoke and submit anew instead).
pub fn amend(
    conn: &mut Db,
    viewer: &Viewer,
    actor: &Actor,
    id: &str,
    expected: i32,
    request: &AmendRecordRequest,
) -> ApiResult<Record> {
    let row = changeable_record(conn, viewer, id)?;
    if row.status() == RecordStatus::Revoked {
        return Err(revoked("a revoked record cannot be amended; submit a new one"));
    }
    crate::http::versioning::check(expected, row.version)?;
    let version = apply_amendment(conn, &row, request, None, changed_by(actor))?;
    audit::append(
        conn,
        EventFields::new(actor, AuditAction::RecordAmend, Outcome::Success)
            .target(TargetKind::Record, id)
            .detail(format!("version {version}: {}", request.reason.trim())),
    )?;
    reread(conn, id)
}

/// Amends `row` as `request` says: checked like a submission, written as a new version with the reason.
/// `status` replaces the record's state (an objection's correction marks it corrected); `None` keeps it, except
/// that a record leaving or re-entering its publication period becomes expired or active. Returns the version.
pub fn apply_amendment(
    conn: &mut Db,
    row: &RecordRow,
    request: &AmendRecordRequest,
    status: Option<RecordStatus>,
    by: &str,
) -> ApiResult<i32> {
    let item = definition_of(conn, row)?;
    let submission = amended_submission(conn, row, request, &item)?;
    let today = crate::clock::today();
    // A record that has left its period may be amended (e.g. corrected), but stays unpublished.
    let draft = rules::draft(&for_amendment(item.clone()), submission, today)
        .map_err(|errors| ApiError::Validation { errors })?;
    let status = match status.unwrap_or(row.status()) {
        _ if draft.publish_until < today => RecordStatus::Expired,
        RecordStatus::Expired => RecordStatus::Active,
        other => other,
    };
    store::update_record(conn, row, item.version, &draft, status, request.reason.trim(), by, crate::clock::now())
}

/// The current definition of the record's catalog item.
fn definition_of(conn: &mut Db, row: &RecordRow) -> ApiResult<Definition> {
    let code = crate::catalog::store::catalog_names(conn)?
        .remove(&row.catalog_item_id)
        .map(|(code, _)| code)
        .ok_or_else(|| ApiError::internal("record without catalog item"))?;
    crate::catalog::routes::find(conn, &code)
}

/// The amendment as a submission of the same subject and reference.
fn amended_submission(
    conn: &mut Db,
    row: &RecordRow,
    request: &AmendRecordRequest,
    item: &Definition,
) -> ApiResult<Submission> {
    let subjects = store::subjects_by_id(conn, &[&row.subject_id])?;
    let subject = subjects.get(&row.subject_id).ok_or_else(|| ApiError::internal("record without subject"))?;
    Ok(Submission {
        subject: SubjectInput { kind: subject.kind(), code: subject.code.clone(), name: subject.name.clone() },
        decision_date: request.decision_date,
        // Left out, the class and the period stay as they are (within the item's current bounds): an
        // amendment never widens a narrowed record by omission.
        class: request.disclosure_class.or(Some(row.class())),
        publish_days: request.publish_days.or_else(|| {
            let days = (row.publish_until - row.decision_date).num_days();
            u32::try_from(days).ok().map(|d| d.clamp(item.min_days, item.max_days))
        }),
        provider_ref: row.provider_ref.clone(),
        values: request.values.clone(),
    })
}

/// Amendments are checked like submissions, except that an inactive catalog item still accepts corrections of
/// its existing records.
fn for_amendment(mut item: Definition) -> Definition {
    item.active = true;
    item
}

/// Revokes record `id` (its provider only, with a reason, `expected` the version read): kept with its history,
/// never published again.
pub fn revoke(
    conn: &mut Db,
    viewer: &Viewer,
    actor: &Actor,
    id: &str,
    expected: i32,
    request: &RevokeRecordRequest,
) -> ApiResult<Record> {
    let row = changeable_record(conn, viewer, id)?;
    if row.status() == RecordStatus::Revoked {
        return Err(revoked("the record is already revoked"));
    }
    crate::http::versioning::check(expected, row.version)?;
    let reason = request.reason.trim();
    store::revoke_record(conn, &row, reason, changed_by(actor), crate::clock::now())?;
    audit::append(
        conn,
        EventFields::new(actor, AuditAction::RecordRevoke, Outcome::Success)
            .target(TargetKind::Record, id)
            .detail(reason.to_owned()),
    )?;
    reread(conn, id)
}

/// Who a version is stamped with: the person's or the API client's id.
fn changed_by(actor: &Actor) -> &str {
    actor.id().unwrap_or_default()
}

/// The record as stored now, in full.
fn reread(conn: &mut Db, id: &str) -> ApiResult<Record> {
    let row = store::find_record(conn, id)?.ok_or_else(|| ApiError::internal("vanished"))?;
    store::to_record(conn, row)
}

fn revoked(detail: &str) -> ApiError {
    ApiError::Conflict { code: ErrorCode::RecordRevoked, detail: detail.to_owned(), errors: Vec::new() }
}

fn invalid(field: &str, code: &str, message: &str) -> ApiError {
    ApiError::Validation { errors: vec![FieldError::new(field, code, message)] }
}

//! Handling objections in the workbench: the providing unit's data providers accept or refuse to accept,
//! decide (correcting the record as a new version, upholding it, or recording both sides) and close; the competent
//! office (city) and the county lead units oversee their area's objections, overdue ones flagged and escalated.

use super::rules::{self, Action};
use super::store::{self, ContactView, ObjectionRow};
use crate::audit::{self, AuditAction, EventFields, Outcome as AuditOutcome, TargetKind};
use crate::calendar::Calendar;
use crate::db::{Db, MultiBackend};
use crate::error::{ApiError, ApiResult};
use crate::http::{cursor, ValidJson, ValidQuery};
use crate::identity::principal::{Principal, Subject};
use crate::schema::{objection_evidence, objections, record_versions};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, post, web, HttpResponse};
use credit_types::identity::Role;
use credit_types::objections::StepKind;
use credit_types::objections::{
    check_decision, DecideObjection, Objection, ObjectionCounts, ObjectionListQuery, ObjectionReason, ObjectionStatus,
    Outcome,
};
use credit_types::page::DEFAULT_LIMIT;
use credit_types::records::{AmendRecordRequest, RecordStatus};
use credit_types::ErrorCode;
use credit_types::{Page, Problem, RegionLevel};
use diesel::prelude::*;
use diesel::sql_types::Bool;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list)
        .service(counts)
        .service(detail)
        .service(evidence_file)
        .service(accept)
        .service(not_accept)
        .service(decide)
        .service(close);
}

/// How the caller stands to objections: handler of its organisation's records, overseer of an area.
struct Scope {
    /// Data providers: objections to their organisation's records.
    provider_org: Option<String>,
    /// City credit admin: every objection.
    all: bool,
    /// County credit admin: the county's.
    county: Option<String>,
}

impl Scope {
    fn of(principal: &Principal) -> Scope {
        Scope {
            provider_org: principal.has_role(Role::DataProvider).then(|| principal.organisation_id.clone()),
            all: principal.has_role(Role::CityCreditAdmin) && principal.level == RegionLevel::City,
            county: principal.has_role(Role::CountyCreditAdmin).then(|| principal.region_code.clone()),
        }
    }

    fn any(&self) -> bool {
        self.provider_org.is_some() || self.all || self.county.is_some()
    }

    /// the providing unit's data providers handle; nobody else changes an objection.
    fn handles(&self, row: &ObjectionRow) -> bool {
        self.provider_org.as_deref() == Some(row.provider_org_id.as_str())
    }

    fn oversees(&self, row: &ObjectionRow) -> bool {
        self.all || self.county.as_deref() == Some(row.jurisdiction_region.as_str())
    }

    fn sees(&self, row: &ObjectionRow) -> bool {
        self.handles(row) || self.oversees(row)
    }

    /// The same as a SQL filter on `objections`.
    fn filter(&self) -> Box<dyn BoxableExpression<objections::table, MultiBackend, SqlType = Bool>> {
        if self.all {
            return Box::new(diesel::dsl::sql::<Bool>("1 = 1"));
        }
        let mut out: Box<dyn BoxableExpression<objections::table, MultiBackend, SqlType = Bool>> =
            Box::new(diesel::dsl::sql::<Bool>("1 = 0"));
        if let Some(org) = &self.provider_org {
            out = Box::new(out.or(objections::provider_org_id.eq(org.clone())));
        }
        if let Some(region) = &self.county {
            out = Box::new(out.or(objections::jurisdiction_region.eq(region.clone())));
        }
        out
    }
}

fn forbidden() -> ApiError {
    ApiError::forbidden(ErrorCode::Forbidden, "objections are handled by data providers and overseen by credit admins")
}

fn no_objection() -> ApiError {
    ApiError::not_found("no such objection")
}

/// The objection if the caller handles or oversees it; 404 otherwise.
fn visible(conn: &mut Db, scope: &Scope, id: &str) -> ApiResult<ObjectionRow> {
    store::find(conn, id)?.filter(|row| scope.sees(row)).ok_or_else(no_objection)
}

/// Objections the caller handles or oversees, newest first, filtered; contacts masked.
#[utoipa::path(
    tag = "objections",
    security(("bearer" = ["objections:read"])),
    params(ObjectionListQuery),
    responses(
        (status = 200, description = "One page of objections", body = Page<Objection>),
        (status = 403, description = "Neither data provider nor credit admin", body = Problem),
    )
)]
#[get("/objections")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<ObjectionListQuery>,
) -> ApiResult<HttpResponse> {
    let scope = Scope::of(&principal);
    if !scope.any() {
        return Err(forbidden());
    }
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let after = query.cursor.as_deref().map(|c| cursor::decode(c, 1)).transpose()?.and_then(|mut key| key.pop());
    let items = state
        .read(move |conn| {
            let today = crate::clock::today();
            let mut rows = objections::table.filter(scope.filter()).into_boxed();
            if let Some(status) = query.status {
                rows = rows.filter(objections::status.eq(status));
            }
            if let Some(record) = &query.record_id {
                rows = rows.filter(objections::record_id.eq(record.clone()));
            }
            let overdue = objections::status.eq(ObjectionStatus::Submitted).and(objections::accept_by.lt(today)).or(
                objections::status.eq(ObjectionStatus::Accepted).and(objections::decide_by.lt(today).assume_not_null()),
            );
            match query.overdue {
                Some(true) => rows = rows.filter(overdue),
                Some(false) => rows = rows.filter(diesel::dsl::not(overdue)),
                None => {}
            }
            if let Some(after) = after {
                rows = rows.filter(objections::id.lt(after));
            }
            let rows: Vec<ObjectionRow> = rows
                .order(objections::id.desc())
                .limit(i64::from(limit) + 1)
                .select(ObjectionRow::as_select())
                .load(conn)?;
            store::to_objections(conn, rows, ContactView::Masked, false, today)
        })
        .await?;
    Ok(HttpResponse::Ok().json(cursor::page(items, limit, |last| last.id.clone())))
}

/// Counts by state over the objections the caller handles or oversees, with overdue, due within two working
/// days, and escalated: the overview of the competent office and the handlers' badges.
#[utoipa::path(
    tag = "objections",
    security(("bearer" = ["objections:read"])),
    responses(
        (status = 200, description = "The counts", body = ObjectionCounts),
        (status = 403, description = "Neither data provider nor credit admin", body = Problem),
    )
)]
#[get("/objections/counts")]
pub async fn counts(state: web::Data<AppState>, principal: Principal) -> ApiResult<HttpResponse> {
    let scope = Scope::of(&principal);
    if !scope.any() {
        return Err(forbidden());
    }
    let counts = state
        .read(move |conn| {
            let today = crate::clock::today();
            let by_status: Vec<(ObjectionStatus, i64)> = objections::table
                .filter(scope.filter())
                .group_by(objections::status)
                .select((objections::status, diesel::dsl::count_star()))
                .load(conn)?;
            let mut out = ObjectionCounts::default();
            for (status, n) in by_status {
                let n = u32::try_from(n).unwrap_or(u32::MAX);
                match status {
                    ObjectionStatus::Submitted => out.submitted = n,
                    ObjectionStatus::Accepted => out.accepted = n,
                    ObjectionStatus::NotAccepted => out.not_accepted = n,
                    ObjectionStatus::Decided => out.decided = n,
                    ObjectionStatus::Closed => out.closed = n,
                    ObjectionStatus::Withdrawn => out.withdrawn = n,
                }
            }
            let open: Vec<ObjectionRow> = objections::table
                .filter(scope.filter())
                .filter(objections::status.eq_any(store::open_statuses()))
                .select(ObjectionRow::as_select())
                .load(conn)?;
            let calendar = Calendar::load_for(conn, today, 30)?;
            for row in &open {
                if let Some(deadline) = row.deadline() {
                    let left = rules::working_days_left(&calendar, today, deadline);
                    if rules::overdue(Some(deadline), today) {
                        out.overdue += 1;
                    } else if left <= 2 {
                        out.due_soon += 1;
                    }
                }
                if row.escalated_at.is_some() {
                    out.escalated += 1;
                }
            }
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(counts))
}

/// One objection with its steps and evidence. Contact details in full for the providing unit's data providers
/// (its handlers); masked for overseers.
#[utoipa::path(
    tag = "objections",
    security(("bearer" = ["objections:read"])),
    params(("id" = String, Path, description = "Objection id")),
    responses(
        (status = 200, description = "The objection", body = Objection),
        (status = 404, description = "No such objection, or not one the caller handles or oversees", body = Problem),
    )
)]
#[get("/objections/{id}")]
pub async fn detail(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let scope = Scope::of(&principal);
    let actor = principal.actor();
    let id = id.into_inner();
    let (objection, contact_read) = state
        .read(move |conn| {
            let row = visible(conn, &scope, &id)?;
            let view = if scope.handles(&row) { ContactView::Full } else { ContactView::Masked };
            // Reading an appellant's contact details is a read of personal information.
            let contact_read = (view == ContactView::Full && row.contact_purged_at.is_none()).then(|| {
                EventFields::new(&actor, AuditAction::ObjectionRead, AuditOutcome::Success)
                    .target(TargetKind::Objection, &row.id)
            });
            Ok((one(conn, row, view)?, contact_read))
        })
        .await?;
    if let Some(event) = contact_read {
        audit::record(&state, event).await?;
    }
    Ok(HttpResponse::Ok().json(objection))
}

fn one(conn: &mut Db, row: ObjectionRow, view: ContactView) -> ApiResult<Objection> {
    store::to_objections(conn, vec![row], view, true, crate::clock::today())?
        .pop()
        .ok_or_else(|| ApiError::internal("lost objection"))
}

/// One evidence file, for the objection's handlers and overseers only (never the public, never the web root).
#[utoipa::path(
    tag = "objections",
    security(("bearer" = ["objections:read"])),
    params(
        ("id" = String, Path, description = "Objection id"),
        ("evidence_id" = String, Path, description = "Evidence id"),
    ),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, description = "No such objection or file", body = Problem),
    )
)]
#[get("/objections/{id}/evidence/{evidence_id}")]
pub async fn evidence_file(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let scope = Scope::of(&principal);
    let actor = principal.actor();
    let (id, evidence_id) = path.into_inner();
    let dir = state.records().evidence_dir.clone().ok_or_else(|| ApiError::internal("no evidence directory"))?;
    let read = EventFields::new(&actor, AuditAction::ObjectionEvidence, AuditOutcome::Success)
        .target(TargetKind::Objection, &id)
        .detail(evidence_id.clone());
    let (name, media_type, stored): (String, String, String) = state
        .read(move |conn| {
            visible(conn, &scope, &id)?;
            objection_evidence::table
                .filter(objection_evidence::objection_id.eq(&id))
                .filter(objection_evidence::id.eq(&evidence_id))
                .select((
                    objection_evidence::file_name,
                    objection_evidence::media_type,
                    objection_evidence::stored_name,
                ))
                .first(conn)
                .optional()?
                .ok_or_else(|| ApiError::not_found("no such evidence"))
        })
        .await?;
    audit::record(&state, read).await?;
    let content = actix_web::web::block(move || super::evidence::read(&dir, &stored)).await??;
    let encoded = percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC).to_string();
    Ok(HttpResponse::Ok()
        .content_type(media_type)
        .insert_header((header::CONTENT_DISPOSITION, format!("inline; filename*=UTF-8''{encoded}")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("Content-Security-Policy", "default-src 'none'; sandbox"))
        .body(content))
}

fn state_conflict(status: ObjectionStatus) -> ApiError {
    ApiError::Conflict {
        code: ErrorCode::ObjectionState,
        detail: format!("the objection is {}; this step does not apply", status.as_str()),
        errors: Vec::new(),
    }
}

/// Moves an objection on, the current state part of the update's condition so two handlers cannot both
/// move it; writes the step, keeps the record's mark right and queues the notice to the appellant. The caller
/// holds the write transaction.
pub fn apply(
    conn: &mut Db,
    row: &ObjectionRow,
    action: Action,
    note: Option<&str>,
    actor_id: Option<&str>,
) -> ApiResult<ObjectionStatus> {
    let from = row.status();
    let next = rules::transition(from, action).ok_or_else(|| state_conflict(from))?;
    let now = crate::clock::now();
    // Contact retention counts from the moment the objection stops being open.
    let ended = !next.open();
    let changed = diesel::update(objections::table.find(&row.id).filter(objections::status.eq(from)))
        .set((objections::status.eq(next), objections::updated_by.eq(actor_id)))
        .execute(conn)?;
    if changed == 0 {
        let now_status = store::find(conn, &row.id)?.map_or(from, |r| r.status());
        return Err(state_conflict(now_status));
    }
    if ended {
        diesel::update(objections::table.find(&row.id).filter(objections::ended_at.is_null()))
            .set(objections::ended_at.eq(Some(now)))
            .execute(conn)?;
    }
    let outcome = match action {
        Action::Decide(outcome) => Some(outcome),
        _ => None,
    };
    store::add_step(conn, &row.id, StepKind::reaching(next, outcome), note, actor_id, now)?;
    if !next.open() {
        store::unmark_if_settled(conn, &row.record_id)?;
    }
    let (subject, body) = notice_text(&row.tracking_number, next, action, note);
    crate::notices::enqueue(conn, &row.id, &row.recipient(), &subject, &body, now)?;
    Ok(next)
}

fn notice_text(tracking: &str, next: ObjectionStatus, action: Action, note: Option<&str>) -> (String, String) {
    let reason = note.map(|n| format!("理由:{n}。")).unwrap_or_default();
    let text = match (next, action) {
        (ObjectionStatus::Accepted, _) => format!("您的异议申诉(受理编号 {tracking})已受理,正在核查。"),
        (ObjectionStatus::NotAccepted, _) => format!("您的异议申诉(受理编号 {tracking})不予受理。{reason}"),
        (ObjectionStatus::Decided, Action::Decide(outcome)) => {
            format!("您的异议申诉(受理编号 {tracking})已办结,处理结果:{}。{reason}", outcome.label())
        }
        (ObjectionStatus::Withdrawn, _) => format!("您的异议申诉(受理编号 {tracking})已撤回。"),
        _ => format!("您的异议申诉(受理编号 {tracking})已关闭。"),
    };
    (format!("异议申诉办理进度:{}", next.label()), format!("{text}可凭受理编号和查询码在信用九江网站查询详情。"))
}

/// The objection for a step by its handlers: 404 for strangers, 403 for overseers (they watch, they do not act).
fn handled(conn: &mut Db, principal: &Principal, id: &str) -> ApiResult<(ObjectionRow, String)> {
    let Subject::User { id: user_id, .. } = &principal.subject else {
        return Err(ApiError::forbidden(ErrorCode::PersonRequired, "objections are handled by signed-in staff"));
    };
    let scope = Scope::of(principal);
    let row = visible(conn, &scope, id)?;
    if !scope.handles(&row) {
        return Err(ApiError::forbidden(
            ErrorCode::NotTheProvider,
            "only the providing unit's data providers handle an objection (R-29.1)",
        ));
    }
    Ok((row, user_id.clone()))
}

async fn step(
    state: web::Data<AppState>,
    principal: Principal,
    id: String,
    action: Action,
    note: Option<String>,
) -> ApiResult<HttpResponse> {
    let actor = principal.actor();
    let decide_days = state.records().objection_decide_days;
    let objection = state
        .write(move |conn| {
            let (row, by) = handled(conn, &principal, &id)?;
            apply(conn, &row, action, note.as_deref(), Some(&by))?;
            if action == Action::Accept {
                let today = crate::clock::today();
                let calendar = Calendar::load_for(conn, today, decide_days)?;
                let decide_by = rules::decide_by(&calendar, today, decide_days);
                diesel::update(objections::table.find(&id))
                    .set((
                        objections::accepted_at.eq(Some(crate::clock::now())),
                        objections::decide_by.eq(Some(decide_by)),
                    ))
                    .execute(conn)?;
            }
            if matches!(action, Action::NotAccept | Action::Close) {
                diesel::update(objections::table.find(&id)).set(objections::reason.eq(&note)).execute(conn)?;
            }
            audit_step(conn, &actor, &id, action, note.as_deref())?;
            let row = store::find(conn, &id)?.ok_or_else(no_objection)?;
            one(conn, row, ContactView::Full)
        })
        .await?;
    Ok(HttpResponse::Ok().json(objection))
}

fn audit_step(
    conn: &mut Db,
    actor: &crate::audit::Actor,
    id: &str,
    action: Action,
    note: Option<&str>,
) -> ApiResult<()> {
    let name = match action {
        Action::Accept => AuditAction::ObjectionAccept,
        Action::NotAccept => AuditAction::ObjectionNotAccept,
        Action::Decide(_) => AuditAction::ObjectionDecide,
        Action::Close => AuditAction::ObjectionClose,
        Action::Withdraw => AuditAction::ObjectionWithdraw,
    };
    let mut event = EventFields::new(actor, name, AuditOutcome::Success).target(TargetKind::Objection, id);
    if let Some(note) = note {
        event = event.detail(note.to_owned());
    }
    audit::append(conn, event)?;
    Ok(())
}

/// Accept a submitted objection (the providing unit's data providers): the decision deadline starts, 15 working
/// days by default.
#[utoipa::path(
    tag = "objections",
    security(("bearer" = ["objections:write"])),
    params(("id" = String, Path, description = "Objection id")),
    responses(
        (status = 200, description = "Accepted", body = Objection),
        (status = 403, description = "Not the providing unit's data provider", body = Problem),
        (status = 404, description = "No such objection", body = Problem),
        (status = 409, description = "Not submitted", body = Problem),
    )
)]
#[post("/objections/{id}/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    step(state, principal, id.into_inner(), Action::Accept, None).await
}

/// Refuse to accept a submitted objection, with the reason told to the appellant; the mark goes.
#[utoipa::path(
    tag = "objections",
    security(("bearer" = ["objections:write"])),
    params(("id" = String, Path, description = "Objection id")),
    request_body = ObjectionReason,
    responses(
        (status = 200, description = "Not accepted", body = Objection),
        (status = 403, description = "Not the providing unit's data provider", body = Problem),
        (status = 404, description = "No such objection", body = Problem),
        (status = 409, description = "Not submitted", body = Problem),
    )
)]
#[post("/objections/{id}/not-accept")]
pub async fn not_accept(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: ValidJson<ObjectionReason>,
) -> ApiResult<HttpResponse> {
    step(state, principal, id.into_inner(), Action::NotAccept, Some(body.0.reason.trim().to_owned())).await
}

/// Close a decided or not accepted objection, with a closing note.
#[utoipa::path(
    tag = "objections",
    security(("bearer" = ["objections:write"])),
    params(("id" = String, Path, description = "Objection id")),
    request_body = ObjectionReason,
    responses(
        (status = 200, description = "Closed", body = Objection),
        (status = 403, description = "Not the providing unit's data provider", body = Problem),
        (status = 404, description = "No such objection", body = Problem),
        (status = 409, description = "Not decided or not accepted", body = Problem),
    )
)]
#[post("/objections/{id}/close")]
pub async fn close(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: ValidJson<ObjectionReason>,
) -> ApiResult<HttpResponse> {
    let note = body.0.reason.trim().to_owned();
    let actor = principal.actor();
    let objection = state
        .write(move |conn| {
            let (row, by) = handled(conn, &principal, &id)?;
            apply(conn, &row, Action::Close, Some(&note), Some(&by))?;
            audit_step(conn, &actor, &id, Action::Close, Some(&note))?;
            let row = store::find(conn, &id)?.ok_or_else(no_objection)?;
            one(conn, row, ContactView::Full)
        })
        .await?;
    Ok(HttpResponse::Ok().json(objection))
}

/// Decide an accepted objection. `corrected`: the record is amended as `correction` says — a new version
/// linked to the objection, its reason naming the tracking number — and marked corrected; `upheld`: the mark goes;
/// `undetermined`: the claim and the verification are recorded on the record as a note, shown wherever it is.
#[utoipa::path(
    tag = "objections",
    security(("bearer" = ["objections:write"])),
    params(("id" = String, Path, description = "Objection id")),
    request_body = DecideObjection,
    responses(
        (status = 200, description = "Decided", body = Objection),
        (status = 403, description = "Not the providing unit's data provider", body = Problem),
        (status = 404, description = "No such objection", body = Problem),
        (status = 409, description = "Not accepted", body = Problem),
        (status = 412, description = "The record changed since the correction was prepared", body = Problem),
        (status = 422, description = "Invalid fields, or a correction the record's catalog item refuses", body = Problem),
    )
)]
#[post("/objections/{id}/decide")]
pub async fn decide(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: ValidJson<DecideObjection>,
) -> ApiResult<HttpResponse> {
    let ValidJson(decision) = body;
    let id = id.into_inner();
    let errors = check_decision(&decision);
    if !errors.is_empty() {
        return Err(ApiError::Validation { errors });
    }
    let actor = principal.actor();
    let objection = state
        .write(move |conn| {
            let (row, by) = handled(conn, &principal, &id)?;
            let reason = decision.reason.trim();
            let verification = decision.verification.as_deref().map(str::trim).filter(|v| !v.is_empty());
            apply(conn, &row, Action::Decide(decision.outcome), Some(reason), Some(&by))?;
            let now = crate::clock::now();
            diesel::update(objections::table.find(&id))
                .set((
                    objections::decided_at.eq(Some(now)),
                    objections::outcome.eq(Some(decision.outcome)),
                    objections::reason.eq(Some(reason)),
                    objections::verification.eq(verification),
                ))
                .execute(conn)?;
            match decision.outcome {
                Outcome::Corrected => {
                    let correction = decision.correction.as_ref().ok_or_else(|| ApiError::internal("checked"))?;
                    let version = correct(conn, &row, correction, reason, &by)?;
                    diesel::update(objections::table.find(&id))
                        .set(objections::corrected_version.eq(Some(version)))
                        .execute(conn)?;
                }
                Outcome::Undetermined => {
                    // The handler's summary is published, never the appellant's own words.
                    let claim = decision.claim_summary.as_deref().map(str::trim).unwrap_or_default();
                    let verification = verification.unwrap_or_default();
                    crate::records::notes::add(conn, &row.record_id, &row.id, claim, verification, now)?;
                }
                Outcome::Upheld => {}
            }
            audit_step(conn, &actor, &id, Action::Decide(decision.outcome), Some(reason))?;
            let row = store::find(conn, &id)?.ok_or_else(no_objection)?;
            one(conn, row, ContactView::Full)
        })
        .await?;
    Ok(HttpResponse::Ok().json(objection))
}

/// Amends the record as the correction says: a new version, its reason naming the objection, linked to it.
fn correct(
    conn: &mut Db,
    objection: &ObjectionRow,
    correction: &credit_types::objections::Correction,
    reason: &str,
    by: &str,
) -> ApiResult<i32> {
    let record = crate::records::store::find_record(conn, &objection.record_id)?
        .ok_or_else(|| ApiError::internal("objection without record"))?;
    crate::http::versioning::check(correction.version, record.version)?;
    if record.status() == RecordStatus::Revoked {
        return Err(ApiError::Conflict {
            code: ErrorCode::RecordRevoked,
            detail: "the record was revoked; decide upheld or undetermined instead".into(),
            errors: Vec::new(),
        });
    }
    let request = AmendRecordRequest {
        values: correction.values.clone(),
        decision_date: correction.decision_date,
        disclosure_class: None,
        publish_days: None,
        reason: format!("异议更正({}):{reason}", objection.tracking_number),
    };
    // Still marked when another objection of the record is open; corrected otherwise.
    let others_open: i64 = objections::table
        .filter(objections::record_id.eq(&record.id))
        .filter(objections::id.ne(&objection.id))
        .filter(objections::status.eq_any(store::open_statuses()))
        .count()
        .get_result(conn)?;
    let status = if others_open > 0 { RecordStatus::UnderObjection } else { RecordStatus::Corrected };
    let version =
        crate::records::changes::apply_amendment(conn, &record, &request, Some(status), by).map_err(|e| match e {
            ApiError::Validation { errors } => ApiError::Validation {
                errors: errors
                    .into_iter()
                    .map(|mut e| {
                        e.field = format!("correction.{}", e.field);
                        e
                    })
                    .collect(),
            },
            other => other,
        })?;
    diesel::update(record_versions::table.find((&record.id, version)))
        .set(record_versions::objection_id.eq(Some(&objection.id)))
        .execute(conn)?;
    Ok(version)
}

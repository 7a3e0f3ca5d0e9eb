//! Filing an objection — anonymously on the portal, or by a workbench user for a subject at the counter —
//! and the appellant's own view: tracking with the number and query code, and withdrawal while it is open.

use super::evidence::{self, Upload};
use super::rules;
use super::store::{self, ObjectionRow};
use crate::access::Viewer;
use crate::audit::{self, Actor, AuditAction, EventFields, Outcome, TargetKind};
use crate::calendar::Calendar;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::http::ValidJson;
use crate::identity::principal::{Principal, Subject};
use crate::keys::ContactKey;
use crate::records::store::RecordRow;
use crate::schema::{objection_evidence, objections};
use crate::state::AppState;
use actix_multipart::Multipart;
use actix_web::{post, web, HttpRequest, HttpResponse};
use credit_types::objections::StepKind;
use credit_types::objections::{
    FiledObjection, NewObjection, ObjectionStatus, ObjectionTrack, TrackRequest, WithdrawObjection,
};
use credit_types::ErrorCode;
use credit_types::Problem;
use diesel::prelude::*;
use std::time::Duration;

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(file_on_portal).service(file_at_counter).service(track).service(withdraw);
}

/// Who filed: the public on the portal (with its address), or a workbench user at the counter.
enum Filer {
    Public { address: String },
    Staff { user_id: String, viewer: Viewer },
}

/// File an objection to a published record, anonymously: multipart form with the JSON part `objection`
/// and up to five `evidence` files (PDF, JPEG, PNG, judged by content; 10 MB each). The answer carries the
/// tracking number and the query code — shown this once, stored only hashed. The record is marked "under
/// objection" at once. The same appellant (phone, else e-mail) cannot open a second objection on the record: 409
/// with a neutral message that names nothing of the open objection, while a notice goes to the contact registered
/// with it (R-28.1: whoever types someone else's phone learns no tracking number). Rate-limited per client address.
#[utoipa::path(
    tag = "objections",
    request_body(content = String, content_type = "multipart/form-data", description = "Part `objection`: NewObjection as JSON; parts `evidence`: files"),
    responses(
        (status = 201, description = "Filed", body = FiledObjection),
        (status = 404, description = "No such published record", body = Problem),
        (status = 409, description = "An objection by this contact to the record is open: a neutral message naming nothing of it (no tracking number); a reminder goes to the contact registered with the open objection", body = Problem),
        (status = 413, description = "A file over 10 MB", body = Problem),
        (status = 415, description = "A file neither PDF, JPEG nor PNG", body = Problem),
        (status = 422, description = "Invalid fields", body = Problem),
        (status = 429, description = "Too many filings from this address", body = Problem),
    )
)]
#[post("/portal/objections")]
pub async fn file_on_portal(req: HttpRequest, state: web::Data<AppState>, body: Multipart) -> ApiResult<HttpResponse> {
    let address = crate::http::visitor::client_address(&req, &state.records().trusted_proxies);
    let limit = state.records().objection_filings_per_hour;
    crate::http::visitor::spend(&req, &state, "objection", limit, Duration::from_secs(3600), "objections per hour")?;
    let (objection, files) = evidence::read_filing(body, state.records().objection_max_bytes).await?;
    // What an address can make the server store is bounded per hour, not only per filing.
    let bytes = files.iter().map(|f| f.content.len() as u64).sum();
    let budget = state.records().objection_bytes_per_hour;
    crate::http::visitor::spend_budget(&req, &state, "objection-bytes", bytes, budget, Duration::from_secs(3600))
        .map_err(|retry_after_secs| ApiError::TooManyRequests {
            code: ErrorCode::RateLimited,
            detail: "this address sent too much evidence this hour; try again later".into(),
            retry_after_secs,
        })?;
    let filed = file(state, objection, files, Filer::Public { address }).await?;
    Ok(HttpResponse::Created().json(filed))
}

/// File an objection for a subject who came to the counter (a signed-in workbench user who may see the record).
/// The same form and rules as on the portal; the filing names the user.
#[utoipa::path(
    tag = "objections",
    security(("bearer" = [])),
    request_body(content = String, content_type = "multipart/form-data", description = "Part `objection`: NewObjection as JSON; parts `evidence`: files"),
    responses(
        (status = 201, description = "Filed", body = FiledObjection),
        (status = 404, description = "No such record the user may see", body = Problem),
        (status = 409, description = "An objection by this contact to the record is open (the same neutral answer as on the portal)", body = Problem),
        (status = 422, description = "Invalid fields", body = Problem),
    )
)]
#[post("/objections")]
pub async fn file_at_counter(
    state: web::Data<AppState>,
    principal: Principal,
    body: Multipart,
) -> ApiResult<HttpResponse> {
    let Subject::User { id, .. } = &principal.subject else {
        return Err(ApiError::forbidden(
            ErrorCode::PersonRequired,
            "objections are filed at the counter by signed-in staff",
        ));
    };
    let filer = Filer::Staff { user_id: id.clone(), viewer: Viewer::of(&principal) };
    let (objection, files) = evidence::read_filing(body, state.records().objection_max_bytes).await?;
    let filed = file(state, objection, files, filer).await?;
    Ok(HttpResponse::Created().json(filed))
}

/// Files `objection`: the evidence is written to disk first (off the event loop), then everything else in one
/// transaction; when that fails, the files are removed again.
async fn file(
    state: web::Data<AppState>,
    objection: NewObjection,
    files: Vec<Upload>,
    filer: Filer,
) -> ApiResult<FiledObjection> {
    let dir = state.records().evidence_dir.clone().ok_or_else(|| ApiError::internal("no evidence directory"))?;
    let accept_days = state.records().objection_accept_days;
    let (stored, files) =
        actix_web::web::block(move || evidence::store(&dir, &files).map(|stored| (stored, files))).await??;
    let names = stored.names.clone();
    let key = state.contact_key().clone();
    let filing = state.write(move |conn| insert(conn, &objection, &files, &names, &filer, accept_days, &key)).await?;
    match filing {
        Filing::Filed(filed) => {
            stored.keep();
            Ok(filed)
        }
        // The refusal's notice and audit event are committed; the evidence files go with `stored`.
        Filing::Duplicate => Err(duplicate()),
    }
}

/// What a filing came to in its transaction. A duplicate is not an error there: its notice to the open objection's
/// appellant and its audit event must commit before the 409 is answered.
enum Filing {
    Filed(FiledObjection),
    Duplicate,
}

/// Writes the objection, its evidence rows, its first step, the record's mark, the first notice and the audit
/// event; run in one write transaction. A second open objection by the same contact is refused instead.
fn insert(
    conn: &mut Db,
    objection: &NewObjection,
    files: &[Upload],
    stored_names: &[String],
    filer: &Filer,
    accept_days: u32,
    contact_key: &ContactKey,
) -> ApiResult<Filing> {
    let record = objected_record(conn, objection, filer)?;
    let contact = Contact::of(objection, contact_key);
    if let Some(existing) = open_of(conn, &record.id, &contact.key)? {
        return refuse_duplicate(conn, &existing, filer);
    }
    let now = crate::clock::now();
    let today = crate::clock::local_date(now);
    let calendar = Calendar::load_for(conn, today, accept_days)?;
    let accept_by = rules::accept_by(&calendar, today, accept_days);
    let code = rules::query_code(&random_bytes()?);
    let row = NewRow { id: crate::db::new_id(), record: &record, objection, contact: &contact, filer, now, accept_by };
    let tracking_number = match insert_objection(conn, &row, &code, today)? {
        Inserted::Number(number) => number,
        Inserted::OpenMeanwhile(existing) => return refuse_duplicate(conn, &existing, filer),
    };
    insert_evidence(conn, &row.id, files, stored_names, now)?;
    store::add_step(conn, &row.id, StepKind::Submitted, None, filer.user_id(), now)?;
    store::mark(conn, &record.id)?;
    notify_filed(conn, &row, &tracking_number)?;
    audit::append(
        conn,
        EventFields::new(&filer.actor(), AuditAction::ObjectionFile, Outcome::Success)
            .ip(filer.address())
            .target(TargetKind::Objection, &row.id)
            .detail(format!("{tracking_number} on record {} ({} files)", record.id, files.len())),
    )?;
    Ok(Filing::Filed(FiledObjection { tracking_number, query_code: code, accept_by }))
}

impl Filer {
    /// The viewer whose access rule decides which records may be objected to.
    fn viewer(&self) -> &Viewer {
        match self {
            Filer::Public { .. } => &Viewer::Anonymous,
            Filer::Staff { viewer, .. } => viewer,
        }
    }

    /// The staff member filing at the counter.
    fn user_id(&self) -> Option<&str> {
        match self {
            Filer::Public { .. } => None,
            Filer::Staff { user_id, .. } => Some(user_id),
        }
    }

    fn actor(&self) -> Actor {
        match self {
            Filer::Public { .. } => Actor::Anonymous,
            Filer::Staff { user_id, .. } => Actor::User(user_id.clone()),
        }
    }

    /// The visitor's address, audited for filings on the portal.
    fn address(&self) -> Option<String> {
        match self {
            Filer::Public { address } => Some(address.clone()),
            Filer::Staff { .. } => None,
        }
    }
}

/// The record objected to: one the filer may see; on the portal, one in force.
fn objected_record(conn: &mut Db, objection: &NewObjection, filer: &Filer) -> ApiResult<RecordRow> {
    let record = crate::records::reads::readable_record(conn, filer.viewer(), objection.record_id.trim())?;
    if !record.status().in_force() && matches!(filer, Filer::Public { .. }) {
        return Err(ApiError::not_found("no such record"));
    }
    Ok(record)
}

/// How the appellant is reached, and the key (keyed, R-28.1) that recognises the same appellant again.
struct Contact {
    phone: Option<String>,
    email: Option<String>,
    key: String,
}

impl Contact {
    fn of(objection: &NewObjection, key: &ContactKey) -> Contact {
        let phone = objection.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned);
        let email = objection.email.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(str::to_owned);
        let key = rules::contact_key(key, phone.as_deref(), email.as_deref());
        Contact { phone, email, key }
    }
}

/// What the objection's row is made of.
struct NewRow<'a> {
    id: String,
    record: &'a RecordRow,
    objection: &'a NewObjection,
    contact: &'a Contact,
    filer: &'a Filer,
    now: chrono::NaiveDateTime,
    accept_by: chrono::NaiveDate,
}

/// What inserting the objection's row came to.
enum Inserted {
    Number(String),
    /// The same appellant's objection to the record, filed at the very same moment by another request.
    OpenMeanwhile(Box<ObjectionRow>),
}

/// Inserts the objection under a fresh tracking number and returns it. Each try runs in a savepoint, so that a
/// clash (the same number, or the same appellant filing at the very same moment) leaves the transaction usable.
fn insert_objection(conn: &mut Db, row: &NewRow, code: &str, today: chrono::NaiveDate) -> ApiResult<Inserted> {
    for _ in 0..5 {
        let tracking_number = rules::tracking_number(today, u32::from_le_bytes(random_bytes::<4>()?));
        let inserted = conn.transaction(|conn| {
            diesel::insert_into(objections::table)
                .values((
                    objections::id.eq(&row.id),
                    objections::tracking_number.eq(&tracking_number),
                    objections::query_code_hash.eq(rules::code_hash(&tracking_number, code)),
                    objections::record_id.eq(&row.record.id),
                    objections::provider_org_id.eq(&row.record.provider_id),
                    objections::jurisdiction_region.eq(&row.record.jurisdiction_region),
                    objections::appellant_name.eq(row.objection.appellant_name.trim()),
                    objections::phone.eq(&row.contact.phone),
                    objections::email.eq(&row.contact.email),
                    objections::contact_key.eq(&row.contact.key),
                    objections::relation.eq(row.objection.relation),
                    objections::claim_type.eq(row.objection.claim_type),
                    objections::description.eq(row.objection.description.trim()),
                    objections::status.eq(ObjectionStatus::Submitted),
                    objections::filed_at.eq(row.now),
                    objections::filed_by.eq(row.filer.user_id()),
                    objections::accept_by.eq(row.accept_by),
                ))
                .execute(conn)
        });
        match inserted {
            Ok(_) => return Ok(Inserted::Number(tracking_number)),
            Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                if let Some(existing) = open_of(conn, &row.record.id, &row.contact.key)? {
                    return Ok(Inserted::OpenMeanwhile(Box::new(existing)));
                }
            }
            Err(other) => return Err(other.into()),
        }
    }
    Err(ApiError::internal("no free tracking number after five tries"))
}

/// One row per evidence file, naming the file stored on disk.
fn insert_evidence(
    conn: &mut Db,
    objection_id: &str,
    files: &[Upload],
    stored_names: &[String],
    now: chrono::NaiveDateTime,
) -> ApiResult<()> {
    for (file, stored_name) in files.iter().zip(stored_names) {
        diesel::insert_into(objection_evidence::table)
            .values((
                objection_evidence::id.eq(crate::db::new_id()),
                objection_evidence::objection_id.eq(objection_id),
                objection_evidence::file_name.eq(&file.file_name),
                objection_evidence::media_type.eq(file.media_type),
                objection_evidence::size.eq(i32::try_from(file.content.len()).unwrap_or(i32::MAX)),
                objection_evidence::stored_name.eq(stored_name),
                objection_evidence::uploaded_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Queues the first notice to the appellant: the tracking number and the acceptance deadline.
fn notify_filed(conn: &mut Db, row: &NewRow, tracking_number: &str) -> ApiResult<()> {
    let recipient = crate::notices::Recipient { phone: row.contact.phone.clone(), email: row.contact.email.clone() };
    let body = format!(
        "您对信用记录提出的异议申诉已登记,受理编号 {tracking_number},请凭受理编号和查询码在信用九江网站查询办理进度。\
         提供单位将在 {} 前决定是否受理。",
        row.accept_by
    );
    crate::notices::enqueue(conn, &row.id, &recipient, "异议申诉已受理登记", &body, row.now)?;
    Ok(())
}

/// The open objection of the contact `contact_key` to the record, if any.
fn open_of(conn: &mut Db, record_id: &str, contact_key: &str) -> ApiResult<Option<ObjectionRow>> {
    Ok(objections::table
        .filter(objections::record_id.eq(record_id))
        .filter(objections::contact_key.eq(contact_key))
        .filter(objections::status.eq_any(store::open_statuses()))
        .select(ObjectionRow::as_select())
        .first(conn)
        .optional()?)
}

/// Subject of the notice telling an appellant that a second filing on their record was refused.
const DUPLICATE_NOTICE: &str = "异议申诉重复提交提醒";

/// Refuses a second open objection by the same contact to the same record. Whoever filed may not
/// be the appellant (anyone can type someone's phone number), so the answer names nothing of the open objection;
/// its appellant is told instead, at the contact they registered, with their tracking number — at most once a day
/// per objection, so that repeated filings cannot flood their phone. The refusal is audited.
fn refuse_duplicate(conn: &mut Db, existing: &ObjectionRow, filer: &Filer) -> ApiResult<Filing> {
    let now = crate::clock::now();
    let told_today =
        crate::notices::queued_since(conn, &existing.id, DUPLICATE_NOTICE, now - chrono::Duration::days(1))?;
    if !told_today {
        let body = format!(
            "有人以您登记的联系方式,对您正在申诉的同一条信用记录再次提交异议申诉,未予登记。\
             您的异议申诉(受理编号 {})仍在办理中,请凭受理编号和查询码在信用九江网站查询办理进度。如非本人操作,请忽略本提醒。",
            existing.tracking_number
        );
        crate::notices::enqueue(conn, &existing.id, &existing.recipient(), DUPLICATE_NOTICE, &body, now)?;
    }
    audit::append(
        conn,
        EventFields::new(&filer.actor(), AuditAction::ObjectionFile, Outcome::Failure)
            .ip(filer.address())
            .target(TargetKind::Objection, &existing.id)
            .detail(format!(
                "second filing by the same contact on record {} refused; {}",
                existing.record_id,
                if told_today { "the appellant was told within the day already" } else { "the appellant is told" }
            )),
    )?;
    Ok(Filing::Duplicate)
}

/// The answer to a refused second filing: the same for everyone, naming nothing of the open objection.
fn duplicate() -> ApiError {
    ApiError::Conflict {
        code: ErrorCode::DuplicateObjection,
        detail: credit_types::objections::DUPLICATE_OBJECTION_MESSAGE.to_owned(),
        errors: Vec::new(),
    }
}

fn random_bytes<const N: usize>() -> ApiResult<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(ApiError::internal)?;
    Ok(bytes)
}

/// The objection for the number and code; a wrong code answers as an unknown number does.
fn by_code(conn: &mut Db, tracking_number: &str, code: &str) -> ApiResult<ObjectionRow> {
    let row = store::find_by_tracking(conn, tracking_number)?;
    match row {
        Some(row) if row.query_code_hash == rules::code_hash(&row.tracking_number, code) => Ok(row),
        _ => Err(ApiError::not_found("no objection with this tracking number and query code")),
    }
}

/// What the appellant sees: steps with dates, the deadline, the outcome with its reason, the record as published.
fn track_view(conn: &mut Db, row: ObjectionRow) -> ApiResult<ObjectionTrack> {
    let steps = store::steps(conn, &row.id)?;
    let record = crate::records::public::published_record(conn, &row.record_id)?;
    Ok(ObjectionTrack {
        status: row.status(),
        claim_type: row.claim_type,
        outcome: row.outcome(),
        tracking_number: row.tracking_number,
        filed_at: row.filed_at,
        accept_by: row.accept_by,
        decide_by: row.decide_by,
        reason: row.reason,
        steps,
        record,
    })
}

/// Track an objection with its tracking number and query code: a POST, so the code stays out of URLs
/// and logs. Rate-limited with the portal.
#[utoipa::path(
    tag = "objections",
    request_body = TrackRequest,
    responses(
        (status = 200, description = "The objection's progress", body = ObjectionTrack),
        (status = 404, description = "Unknown number, or a wrong code", body = Problem),
        (status = 429, description = "Too many requests from this address", body = Problem),
    )
)]
#[post("/portal/objections/track")]
pub async fn track(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: ValidJson<TrackRequest>,
) -> ApiResult<HttpResponse> {
    crate::http::visitor::limit_portal_visitor(&req, &state)?;
    let ValidJson(body) = body;
    let view = state
        .read(move |conn| {
            let row = by_code(conn, &body.tracking_number, &body.query_code)?;
            track_view(conn, row)
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header((actix_web::http::header::CACHE_CONTROL, "no-store")).json(view))
}

/// Withdraw one's own open objection (the appellant, with number and code): the mark goes when no other objection
/// of the record is open.
#[utoipa::path(
    tag = "objections",
    request_body = WithdrawObjection,
    responses(
        (status = 200, description = "Withdrawn", body = ObjectionTrack),
        (status = 404, description = "Unknown number, or a wrong code", body = Problem),
        (status = 409, description = "No longer open", body = Problem),
    )
)]
#[post("/portal/objections/withdraw")]
pub async fn withdraw(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: ValidJson<WithdrawObjection>,
) -> ApiResult<HttpResponse> {
    crate::http::visitor::limit_portal_visitor(&req, &state)?;
    let ValidJson(body) = body;
    let address = crate::http::visitor::client_address(&req, &state.records().trusted_proxies);
    let view = state
        .write(move |conn| {
            let row = by_code(conn, &body.tracking_number, &body.query_code)?;
            let reason = body.reason.trim();
            let note = (!reason.is_empty()).then_some(reason);
            super::handling::apply(conn, &row, rules::Action::Withdraw, note, None)?;
            audit::append(
                conn,
                EventFields::new(&Actor::Anonymous, AuditAction::ObjectionWithdraw, Outcome::Success)
                    .ip(Some(address))
                    .target(TargetKind::Objection, &row.id),
            )?;
            let row = store::find(conn, &row.id)?.ok_or_else(|| ApiError::internal("vanished"))?;
            track_view(conn, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

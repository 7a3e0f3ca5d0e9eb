//! The backups' endpoints: the plan and the backups, kept by the database administrator and read by
//! the security auditor.

use super::run::{self, Environment};
use super::store::{self, PlanRow};
use super::{crypto, view};
use crate::audit::{self, AuditAction, EventFields, Outcome, TargetKind};
use crate::error::{ApiError, ApiResult};
use crate::http::{cursor, ValidJson, ValidQuery};
use crate::identity::principal::Principal;
use crate::state::AppState;
use actix_web::{get, post, put, web, HttpResponse};
use credit_types::backups::{Backup, BackupPlan, BackupPlanInput, BackupQuery, BackupState, BackupTrigger};
use credit_types::identity::Role;
use credit_types::page::DEFAULT_LIMIT;
use credit_types::{ErrorCode, FieldError, Page, Problem};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(get_plan)
        .service(put_plan)
        .service(list_backups)
        .service(get_backup)
        .service(run_now)
        .service(verify_backup);
}

/// Who keeps backups: the database administrator.
const KEEPERS: &[Role] = &[Role::DbAdmin];

/// Who reads them: the database administrator and the security auditor, who reads all of operations.
const READERS: &[Role] = &[Role::DbAdmin, Role::SecurityAuditor];

/// The backup plan (database administrators and the security auditor); 404 while none is kept.
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The plan", body = BackupPlan),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Neither a database administrator nor the security auditor", body = Problem),
        (status = 404, description = "No plan is kept yet", body = Problem),
    )
)]
#[get("/ops/backup-plan")]
pub async fn get_plan(state: web::Data<AppState>, principal: Principal) -> ApiResult<HttpResponse> {
    principal.require_any_role(READERS)?;
    let plan = state
        .read(|conn| match store::plan(conn)? {
            Some(row) => view::plan(conn, row),
            None => Err(ApiError::not_found("no backup plan is kept yet")),
        })
        .await?;
    Ok(HttpResponse::Ok().json(plan))
}

/// Sets the backup plan (R-14.1, database administrators): the time of day (China time), retention by count and/or
/// days, the target directory, the `age` X25519 public key backups are encrypted to (refused unless it parses), and
/// the path of the identity file the server's verifier reads the private key from. The private key itself never
/// goes through the API nor into the database. Audited.
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    request_body = BackupPlanInput,
    responses(
        (status = 200, description = "The plan as kept", body = BackupPlan),
        (status = 400, description = "Not JSON, or an unknown field", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Not a database administrator", body = Problem),
        (status = 422, description = "A field breaks its rule (e.g. `recipient` is no age public key, `time_of_day` is no HH:MM)", body = Problem),
    )
)]
#[put("/ops/backup-plan")]
pub async fn put_plan(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<BackupPlanInput>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(KEEPERS)?;
    let ValidJson(body) = body;
    let mut errors = body.errors();
    if !errors.iter().any(|e| e.field == "recipient") && crypto::recipient(&body.recipient).is_err() {
        errors.push(FieldError::new("recipient", "recipient", "公钥无法解析,请填写 age-keygen 输出的 age1… 公钥"));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation { errors });
    }
    let (actor, by) = (principal.actor(), principal.user_id().to_owned());
    let plan = state
        .write(move |conn| {
            let row = PlanRow {
                id: 1,
                enabled: body.enabled,
                time_of_day: body.time_of_day.trim().to_owned(),
                keep_count: body.keep_count.map(|n| n as i32),
                keep_days: body.keep_days.map(|n| n as i32),
                target_dir: body.target_dir.trim().to_owned(),
                recipient: body.recipient.trim().to_owned(),
                identity_file: body.identity_file.trim().to_owned(),
                updated_at: crate::clock::now(),
                updated_by: by,
            };
            store::save_plan(conn, &row)?;
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::BackupPlanUpdate, Outcome::Success)
                    .target(TargetKind::BackupPlan, "plan")
                    .detail(format!(
                        "{} {} keep {:?}/{:?} days to {}",
                        if row.enabled { "daily at" } else { "paused, at" },
                        row.time_of_day,
                        row.keep_count,
                        row.keep_days,
                        row.target_dir
                    )),
            )?;
            view::plan(conn, row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(plan))
}

/// The backups, newest first, by cursor (database administrators and the security auditor): state, verification,
/// size, rows per table and the audit head of each.
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    params(BackupQuery),
    responses(
        (status = 200, description = "One page of backups", body = Page<Backup>),
        (status = 400, description = "An invalid query parameter", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Neither a database administrator nor the security auditor", body = Problem),
    )
)]
#[get("/ops/backups")]
pub async fn list_backups(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<BackupQuery>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(READERS)?;
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let before = query.cursor.as_deref().map(|c| cursor::decode(c, 1)).transpose()?.map(|mut key| key.remove(0));
    let items = state
        .read(move |conn| {
            let rows = store::page(conn, before, i64::from(limit) + 1)?;
            view::backups(conn, rows)
        })
        .await?;
    Ok(HttpResponse::Ok().json(cursor::page(items, limit, |last| last.id.clone())))
}

/// One backup (database administrators and the security auditor).
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The backup's id")),
    responses(
        (status = 200, description = "The backup", body = Backup),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Neither a database administrator nor the security auditor", body = Problem),
        (status = 404, description = "No such backup", body = Problem),
    )
)]
#[get("/ops/backups/{id}")]
pub async fn get_backup(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(READERS)?;
    let id = id.into_inner();
    let backup = state
        .read(move |conn| match store::find(conn, &id)? {
            Some(row) => view::backup(conn, row),
            None => Err(ApiError::not_found("no such backup")),
        })
        .await?;
    Ok(HttpResponse::Ok().json(backup))
}

/// Runs a backup now by the plan (R-14.1, database administrators): answers 202 at once with the backup `running`;
/// the copy, its encryption and its verification (a restore into a scratch database) go on in the background. Read
/// `GET /ops/backups/{id}` until its state is `verified`, `verification_failed` or `failed`. Audited.
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    responses(
        (status = 202, description = "The backup, started", body = Backup),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Not a database administrator", body = Problem),
        (status = 409, description = "No plan is kept (code `no_backup_plan`), or a backup is running (code `backup_running`)", body = Problem),
    )
)]
#[post("/ops/backups")]
pub async fn run_now(
    state: web::Data<AppState>,
    env: web::Data<Environment>,
    principal: Principal,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(KEEPERS)?;
    let actor = principal.actor();
    let started = state
        .write(move |conn| {
            let row = run::start(conn, BackupTrigger::Manual, &actor, crate::clock::now())?;
            view::backup(conn, row)
        })
        .await?;
    let (background, env, id) = (state.get_ref().clone(), env.into_inner(), started.id.clone());
    actix_web::rt::spawn(async move {
        if let Err(error) = background.maintain(move |conn| run::complete(conn, &env, &id)).await {
            tracing::error!(%error, "backup run failed");
        }
    });
    Ok(HttpResponse::Accepted().json(started))
}

/// Verifies a backup again (R-24.1, database administrators): restores it into a scratch database, compares its rows
/// and audit head with the record and verifies its audit chain; answers when done, with the outcome recorded on the
/// backup (`verified` or `verification_failed`, the latter also in the operation log). Audited.
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The backup's id")),
    responses(
        (status = 200, description = "The backup with the verification's outcome", body = Backup),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Not a database administrator", body = Problem),
        (status = 404, description = "No such backup", body = Problem),
        (status = 409, description = "The backup is still running (code `backup_running`), or its file was removed by retention (code `backup_file_missing`)", body = Problem),
    )
)]
#[post("/ops/backups/{id}/verify")]
pub async fn verify_backup(
    state: web::Data<AppState>,
    env: web::Data<Environment>,
    principal: Principal,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(KEEPERS)?;
    let (id, env, actor) = (id.into_inner(), env.into_inner(), principal.actor());
    let verified = state
        .maintain(move |conn| {
            let row = store::find(conn, &id)?.ok_or_else(|| ApiError::not_found("no such backup"))?;
            if row.state == BackupState::Running {
                return Err(conflict(ErrorCode::BackupRunning, "the backup is still running"));
            }
            if row.removed_at.is_some() || row.sha256.is_none() {
                return Err(conflict(ErrorCode::BackupFileMissing, "the backup has no file to verify"));
            }
            let row = run::verify(conn, &env, &id)?;
            crate::db::write_transaction(conn, |conn| {
                let outcome = if row.state == BackupState::Verified { Outcome::Success } else { Outcome::Failure };
                audit::append(
                    conn,
                    EventFields::new(&actor, AuditAction::BackupVerify, outcome).target(TargetKind::Backup, id.clone()),
                )
            })?;
            crate::db::read_transaction(conn, |conn| view::backup(conn, row))
        })
        .await?;
    Ok(HttpResponse::Ok().json(verified))
}

fn conflict(code: ErrorCode, detail: &str) -> ApiError {
    ApiError::Conflict { code, detail: detail.to_owned(), errors: Vec::new() }
}

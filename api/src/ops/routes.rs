//! The status board: the automatic health checks' latest run, and a run on demand.

use super::checks::Probes;
use super::{scheduler, store};
use crate::config::HealthSettings;
use crate::error::{ApiError, ApiResult};
use crate::identity::principal::Principal;
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use credit_types::health::{BoardCheck, HealthCheck, HealthState, StatusBoard};
use credit_types::identity::Role;
use credit_types::{ErrorCode, Problem};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config.service(get_status).service(run_checks);
}

/// Who reads the board: the system administrators who keep the checks and the security auditor.
pub const READERS: &[Role] = &[Role::SystemAdmin, Role::SecurityAuditor];

/// The status board (system administrators and the security auditor): every check's latest state, what it measured
/// and since when the state has held; all `unknown` before the first run.
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The board", body = StatusBoard),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Neither a system administrator nor the security auditor", body = Problem),
    )
)]
#[get("/ops/status")]
pub async fn get_status(
    state: web::Data<AppState>,
    settings: web::Data<HealthSettings>,
    principal: Principal,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(READERS)?;
    let latest = state.read(store::latest).await?;
    Ok(HttpResponse::Ok().json(status_board(latest, settings.interval_seconds)))
}

/// Run every check now (system administrators), e.g. after fixing what a check found; the new board.
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The board after the run", body = StatusBoard),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Not a system administrator", body = Problem),
        (status = 409, description = "Another run holds this moment (code `run_taken`); try again", body = Problem),
    )
)]
#[post("/ops/status/runs")]
pub async fn run_checks(
    state: web::Data<AppState>,
    settings: web::Data<HealthSettings>,
    probes: web::Data<Probes>,
    principal: Principal,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(&[Role::SystemAdmin])?;
    let run = scheduler::run_slot(&state, &probes, &settings, chrono::Utc::now()).await?;
    let run = run.ok_or_else(|| ApiError::Conflict {
        code: ErrorCode::RunTaken,
        detail: "another run of the checks holds this moment".into(),
        errors: Vec::new(),
    })?;
    Ok(HttpResponse::Created().json(status_board(Some(run), settings.interval_seconds)))
}

/// The board of a run (or of none yet).
pub fn status_board(run: Option<store::Run>, interval_seconds: u64) -> StatusBoard {
    match run {
        Some(run) => StatusBoard {
            state: run.state,
            checked_at: Some(run.started_at.and_utc()),
            duration_ms: u64::try_from(run.duration_ms).ok(),
            interval_seconds,
            checks: run.checks,
        },
        None => StatusBoard {
            state: HealthState::Unknown,
            checked_at: None,
            duration_ms: None,
            interval_seconds,
            checks: HealthCheck::ALL
                .iter()
                .map(|check| BoardCheck {
                    check: *check,
                    state: HealthState::Unknown,
                    summary: "尚未检查".to_owned(),
                    since: None,
                })
                .collect(),
        },
    }
}

//! The daily check's endpoints: today's check and any day's, an item's confirmation (system
//! administrators), the history, and the dashboards' banners (system and credit administrators).

use super::rules;
use super::store::{self, ItemRow};
use super::{automatic, view};
use crate::audit::{self, AuditAction, EventFields, Outcome, TargetKind};
use crate::config::DailyCheckSettings;
use crate::error::{ApiError, ApiResult};
use crate::http::{cursor, ValidJson, ValidQuery};
use crate::identity::principal::Principal;
use crate::state::AppState;
use actix_web::{get, put, web, HttpResponse};
use chrono::NaiveDate;
use credit_types::identity::Role;
use credit_types::oplog::{OpLogKind, OpLogSeverity};
use credit_types::page::DEFAULT_LIMIT;
use credit_types::prework::{
    DailyCheck, DailyCheckQuery, DailyCheckSummary, DashboardAlert, ItemConfirmation, ItemVerdict, PreworkItem,
};
use credit_types::{ErrorCode, Page, Problem};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    // `today` before `{day}`: the literal path wins over the date parameter.
    config.service(get_today).service(list_days).service(get_day).service(confirm_item).service(list_alerts);
}

/// Who reads the checks: the system administrators who keep them and the security auditor who reads all of operations.
const READERS: &[Role] = &[Role::SystemAdmin, Role::SecurityAuditor];

/// Who sees the banners: those who keep the checks and the credit administrators whose work depends on them.
const ALERTED: &[Role] = &[Role::SystemAdmin, Role::CityCreditAdmin, Role::CountyCreditAdmin, Role::SecurityAuditor];

/// Today's check (China time), item by item, with what the automatic health checks say of the items not yet
/// confirmed (system administrators and the security auditor).
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Today's check", body = DailyCheck),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Neither a system administrator nor the security auditor", body = Problem),
    )
)]
#[get("/ops/daily-checks/today")]
pub async fn get_today(
    state: web::Data<AppState>,
    settings: web::Data<DailyCheckSettings>,
    principal: Principal,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(READERS)?;
    let deadline = settings.deadline;
    let check = state
        .read(move |conn| {
            let now = crate::clock::now();
            let row = view::day_row(conn, crate::clock::local_date(now), deadline)?;
            view::daily_check(conn, &row, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(check))
}

/// One day's check (system administrators and the security auditor); 404 for a day with no check and no due one.
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    params(("day" = NaiveDate, Path, description = "The day, e.g. 2026-11-27")),
    responses(
        (status = 200, description = "The day's check", body = DailyCheck),
        (status = 400, description = "Not a date", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Neither a system administrator nor the security auditor", body = Problem),
        (status = 404, description = "No check that day", body = Problem),
    )
)]
#[get("/ops/daily-checks/{day}")]
pub async fn get_day(
    state: web::Data<AppState>,
    settings: web::Data<DailyCheckSettings>,
    principal: Principal,
    day: web::Path<NaiveDate>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(READERS)?;
    let (day, deadline) = (day.into_inner(), settings.deadline);
    let check = state
        .read(move |conn| {
            let now = crate::clock::now();
            let row = match store::find_day(conn, day)? {
                Some(row) => row,
                None if day == crate::clock::local_date(now) => view::day_row(conn, day, deadline)?,
                None => return Err(ApiError::not_found("no daily check that day")),
            };
            view::daily_check(conn, &row, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(check))
}

/// Confirm one item of today's check (R-21.1, system administrators): `ok`, or `problem` with a note saying what
/// it is. The automatic checks' word on the item is kept beside the finding. A problem raises the dashboards' banner
/// and writes an operation-log entry. An item is confirmed once; a later change of mind is an operation-log entry.
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    params(
        ("day" = NaiveDate, Path, description = "Today (China time), e.g. 2026-11-27"),
        ("item" = PreworkItem, Path, description = "The item: platform, portal or backup"),
    ),
    request_body = ItemConfirmation,
    responses(
        (status = 200, description = "The day's check with the item confirmed", body = DailyCheck),
        (status = 400, description = "Not a date or not an item", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Not a system administrator", body = Problem),
        (status = 409, description = "Not today's check (code `not_today`), or the item is confirmed already (code `already_confirmed`)", body = Problem),
        (status = 422, description = "A problem without a note, or a note over 500 characters", body = Problem),
    )
)]
#[put("/ops/daily-checks/{day}/items/{item}")]
pub async fn confirm_item(
    state: web::Data<AppState>,
    settings: web::Data<DailyCheckSettings>,
    principal: Principal,
    path: web::Path<(NaiveDate, PreworkItem)>,
    body: ValidJson<ItemConfirmation>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(&[Role::SystemAdmin])?;
    let ValidJson(body) = body;
    let errors = body.errors();
    if !errors.is_empty() {
        return Err(ApiError::Validation { errors });
    }
    let (day, item) = path.into_inner();
    let (deadline, actor, by) = (settings.deadline, principal.actor(), principal.user_id().to_owned());
    let check = state
        .write(move |conn| {
            let now = crate::clock::now();
            if !rules::confirmable(day, crate::clock::local_date(now)) {
                return Err(ApiError::Conflict {
                    code: ErrorCode::NotToday,
                    detail: "only today's check can be confirmed".into(),
                    errors: Vec::new(),
                });
            }
            let row = view::day_row(conn, day, deadline)?;
            store::ensure_day(conn, day, row.working_day, row.due_at, now)?;
            let automatic = automatic::findings(conn)?.remove(&item).unwrap_or_else(automatic::unknown);
            let confirmed = ItemRow {
                work_day: day,
                item,
                verdict: body.verdict,
                note: body.note().map(str::to_owned),
                automatic_state: automatic.state,
                automatic_summary: automatic.summary,
                confirmed_by: by,
                confirmed_at: now,
            };
            if !store::insert_item(conn, &confirmed)? {
                return Err(ApiError::Conflict {
                    code: ErrorCode::AlreadyConfirmed,
                    detail: format!("{} is confirmed already today", item.label()),
                    errors: Vec::new(),
                });
            }
            if let Some(note) = confirmed.note.as_deref().filter(|_| body.verdict == ItemVerdict::Problem) {
                crate::oplog::append(
                    conn,
                    &crate::oplog::NewEntry {
                        kind: OpLogKind::Inspection,
                        severity: OpLogSeverity::Warning,
                        text: format!("{day} 上班前检查发现问题:{}:{note}", item.label()),
                        author: Some(confirmed.confirmed_by.clone()),
                        source: Some("prework:problem".to_owned()),
                        corrects: None,
                        hardware: None,
                    },
                )?;
            }
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::DailyCheckConfirm, Outcome::Success)
                    .target(TargetKind::DailyCheck, day.to_string())
                    .detail(format!("{}: {}", item.as_str(), body.verdict.as_str())),
            )?;
            let row = store::find_day(conn, day)?.unwrap_or(row);
            view::daily_check(conn, &row, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(check))
}

/// The check's history, latest day first (system administrators and the security auditor): every day checked and
/// every working day whose check fell due, with its state, whether it was late, the problems and who checked.
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    params(DailyCheckQuery),
    responses(
        (status = 200, description = "One page of days", body = Page<DailyCheckSummary>),
        (status = 400, description = "An invalid query parameter", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Neither a system administrator nor the security auditor", body = Problem),
    )
)]
#[get("/ops/daily-checks")]
pub async fn list_days(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<DailyCheckQuery>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(READERS)?;
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let before = query.cursor.as_deref().map(before_day).transpose()?;
    let items = state
        .read(move |conn| {
            let rows = store::page(conn, query.from, query.to, before, i64::from(limit) + 1)?;
            view::summaries(conn, &rows, crate::clock::now())
        })
        .await?;
    Ok(HttpResponse::Ok().json(cursor::page(items, limit, |last| last.work_day.to_string())))
}

fn before_day(cursor: &str) -> ApiResult<NaiveDate> {
    let key = cursor::decode(cursor, 1)?;
    key[0]
        .parse()
        .map_err(|_| ApiError::invalid_parameter("cursor", "invalid_cursor", "not a cursor from a previous page"))
}

/// The red banners of the dashboards: today's check missing past its time, or an item found with a problem.
/// Empty when all is well (system administrators, credit administrators and the security auditor).
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The banners to show, none when all is well", body = Vec<DashboardAlert>),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Not a system, credit or audit administrator", body = Problem),
    )
)]
#[get("/ops/alerts")]
pub async fn list_alerts(
    state: web::Data<AppState>,
    settings: web::Data<DailyCheckSettings>,
    principal: Principal,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(ALERTED)?;
    let deadline = settings.deadline;
    let alerts = state
        .read(move |conn| {
            let now = crate::clock::now();
            let today = crate::clock::local_date(now);
            let row = view::day_row(conn, today, deadline)?;
            let items = store::items_of(conn, &[today])?;
            Ok(row.day(&items).alert(today, today, now).into_iter().collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(alerts))
}

//! `GET /api/v1/ops/performance`: the archive's series over the last 24 hours (every snapshot) or 30 days
//! (one point an hour), with the operation log's tuning actions in that period as markers. System administrators
//! keep the archive; the security auditor reads it.

use super::{rules, store};
use crate::config::PerformanceSettings;
use crate::db::Db;
use crate::error::ApiResult;
use crate::http::ValidQuery;
use crate::identity::principal::Principal;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Duration, Utc};
use credit_types::identity::Role;
use credit_types::oplog::OpLogKind;
use credit_types::performance::{PerformanceQuery, PerformanceRange, PerformanceSeries, TuningMarker};
use credit_types::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config.service(get_performance);
}

/// Who reads the archive: the system administrators who keep it and the security auditor who reads all of operations.
const READERS: &[Role] = &[Role::SystemAdmin, Role::SecurityAuditor];

/// The performance archive over the last 24 hours (`range=24h`, default: every snapshot) or 30 days (`range=30d`:
/// one point an hour), oldest first, with the tuning actions of the operation log in the same period.
#[utoipa::path(
    tag = "ops",
    security(("bearer" = [])),
    params(PerformanceQuery),
    responses(
        (status = 200, description = "The series and the tuning markers", body = PerformanceSeries),
        (status = 400, description = "A range other than 24h or 30d", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Neither a system administrator nor the security auditor", body = Problem),
    )
)]
#[get("/ops/performance")]
pub async fn get_performance(
    state: web::Data<AppState>,
    settings: web::Data<PerformanceSettings>,
    principal: Principal,
    query: ValidQuery<PerformanceQuery>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(READERS)?;
    let ValidQuery(query) = query;
    let range = query.range.unwrap_or(PerformanceRange::Day);
    let interval_seconds = settings.interval_seconds;
    let series = state.read(move |conn| series(conn, range, interval_seconds, Utc::now())).await?;
    Ok(HttpResponse::Ok().json(series))
}

/// The series of `range` ending at `now`.
pub fn series(
    conn: &mut Db,
    range: PerformanceRange,
    interval_seconds: u64,
    now: DateTime<Utc>,
) -> ApiResult<PerformanceSeries> {
    let from = now - Duration::hours(range.hours());
    let rows = store::between(conn, from.naive_utc(), now.naive_utc())?;
    let points = match range {
        PerformanceRange::Day => rules::points(&rows),
        PerformanceRange::Month => rules::hourly(&rows),
    };
    Ok(PerformanceSeries {
        range,
        from,
        to: now,
        interval_seconds,
        points,
        markers: markers(conn, from, now + Duration::seconds(1))?,
    })
}

/// The operation log's tuning actions recorded in `[from, to)`, oldest first.
fn markers(conn: &mut Db, from: DateTime<Utc>, to: DateTime<Utc>) -> ApiResult<Vec<TuningMarker>> {
    let entries = crate::oplog::store::of_kind_between(conn, OpLogKind::Tuning, from, to)?;
    Ok(entries
        .into_iter()
        .map(|entry| TuningMarker {
            author_name: entry.author.is_some().then_some(entry.author_name),
            id: entry.id,
            at: entry.recorded_at,
            text: entry.text,
        })
        .collect())
}

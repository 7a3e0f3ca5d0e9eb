//! `GET /metrics`: everything the process's recorder holds, in the Prometheus text format, after sampling
//! the gauges that are read rather than counted (the pool, the process, the notice outbox). Served only to the
//! configured addresses or to a scraper sending the metrics token; 404 when neither is configured.

use super::process;
use crate::error::{ApiError, ApiResult};
use crate::http::metrics::{self as m, GateRefusal, MetricsGate};
use crate::http::visitor::client_address;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use credit_types::{ErrorCode, Problem};

/// The Prometheus text format's media type.
pub const TEXT_FORMAT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The platform's metrics for Prometheus: requests by route template and status with their latency, the database
/// pool, the blocking pool's queue, SQLite writers' waits, the intake queue, the notice outbox, and the process's
/// memory, CPU time and open files. For the configured addresses (`--metrics-allow`, the caller's address decided as
/// for rate limits, behind trusted proxies from `X-Forwarded-For`) or with the metrics token as `Authorization:
/// Bearer …`.
#[utoipa::path(
    tag = "ops",
    responses(
        (status = 200, description = "The metrics in the Prometheus text format", content_type = "text/plain; version=0.0.4", body = String),
        (status = 403, description = "Neither from an allowed address nor with the metrics token", body = Problem),
        (status = 404, description = "Metrics are off: no allow list and no token configured", body = Problem),
    )
)]
#[get("/metrics")]
pub async fn prometheus_metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
    gate: web::Data<MetricsGate>,
) -> ApiResult<HttpResponse> {
    let address = client_address(&req, &state.records().trusted_proxies).parse().ok();
    let authorization = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    match gate.admits(address, authorization) {
        Ok(()) => {}
        Err(GateRefusal::Off) => {
            return Err(ApiError::not_found(
                "metrics are off on this server: configure --metrics-allow or a metrics token",
            ))
        }
        Err(GateRefusal::Refused) => {
            return Err(ApiError::forbidden(
                ErrorCode::Forbidden,
                "metrics are served to the configured addresses or with the metrics token only",
            ))
        }
    }
    sample(&state).await;
    let handle = m::install();
    handle.run_upkeep();
    Ok(HttpResponse::Ok().content_type(TEXT_FORMAT).body(handle.render()))
}

/// Sets the gauges that are read at the scrape: the pool's connections, the process's figures, and the notice
/// outbox's backlog (a query: 0 for `credit_database_up` when the database does not answer).
async fn sample(state: &AppState) {
    let pool = state.pool().state();
    let in_use = pool.connections.saturating_sub(pool.idle_connections);
    ::metrics::gauge!(m::POOL_CONNECTIONS, "state" => "in_use").set(f64::from(in_use));
    ::metrics::gauge!(m::POOL_CONNECTIONS, "state" => "idle").set(f64::from(pool.idle_connections));
    ::metrics::gauge!(m::POOL_MAX).set(f64::from(state.pool().max_size()));
    process::publish(&process::read());
    match state.read(|conn| Ok(crate::notices::outbox::backlog(conn)?)).await {
        Ok(backlog) => {
            ::metrics::gauge!(m::NOTICE_BACKLOG).set(backlog as f64);
            ::metrics::gauge!(m::DATABASE_UP).set(1.0);
        }
        Err(error) => {
            tracing::warn!(%error, "metrics: the database did not answer");
            ::metrics::gauge!(m::DATABASE_UP).set(0.0);
        }
    }
}

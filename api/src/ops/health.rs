//! `/healthz` (the process answers) and `/readyz` (the database answers and its schema is current).

use crate::db::migrate;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use credit_types::Problem;
use diesel::r2d2::R2D2Connection;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the process answers.
    #[schema(example = "ok")]
    pub status: &'static str,
    /// Version of the running build.
    #[schema(example = "0.1.0")]
    pub version: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    /// `ready` when the platform can serve requests.
    #[schema(example = "ready")]
    pub status: &'static str,
    /// The database backend in use: `sqlite` or `postgres`.
    #[schema(example = "sqlite")]
    pub database: &'static str,
    /// `current` when every migration this build carries has been applied.
    #[schema(example = "current")]
    pub migrations: &'static str,
}

/// Liveness: the process is up. Touches nothing else.
#[utoipa::path(tag = "ops", responses((status = 200, description = "The process is alive", body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok", version: env!("CARGO_PKG_VERSION") })
}

/// Readiness: the database answers and its migrations are current.
#[utoipa::path(
    tag = "ops",
    responses(
        (status = 200, description = "Ready to serve", body = Readiness),
        (status = 503, description = "Database unreachable or migrations pending", body = Problem),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let database = state.backend().as_str();
    state
        .maintain(|conn| {
            conn.ping().map_err(|e| ApiError::Unavailable { detail: format!("the database does not answer: {e}") })?;
            match migrate::has_pending(conn) {
                Ok(false) => Ok(()),
                Ok(true) => Err(ApiError::Unavailable {
                    detail: "database migrations are pending: run `credit-api migrate`".into(),
                }),
                Err(e) => Err(ApiError::Unavailable { detail: format!("cannot read the migration state: {e}") }),
            }
        })
        .await?;
    Ok(HttpResponse::Ok().json(Readiness { status: "ready", database, migrations: "current" }))
}

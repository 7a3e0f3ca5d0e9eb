//! HTTP endpoints for regions: list (filtered, paginated), one by code, and batch lookup.

use super::store::{self, RegionFilter};
use crate::error::{ApiError, ApiResult};
use crate::http::{cursor, ValidJson, ValidQuery};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, post, web, HttpResponse};
use credit_types::page::DEFAULT_LIMIT;
use credit_types::region::is_region_code;
use credit_types::{Page, Problem, Region, RegionListQuery, RegionLookup, RegionLookupResult};
use utoipa_actix_web::service_config::ServiceConfig;

/// Regions change only with a national code revision: caches may keep them a while.
const PUBLIC_CACHE: &str = "public, max-age=300";

pub fn configure(config: &mut ServiceConfig) {
    config.service(list_regions).service(lookup_regions).service(get_region);
}

/// List the city and its county-level divisions.
///
/// Ordered by code. Filter by `level` or by `parent`; page with `limit` and `cursor`.
#[utoipa::path(
    tag = "regions",
    params(RegionListQuery),
    responses(
        (status = 200, description = "One page of regions", body = Page<Region>),
        (status = 400, description = "An invalid query parameter", body = Problem),
    )
)]
#[get("/regions")]
pub async fn list_regions(state: web::Data<AppState>, query: ValidQuery<RegionListQuery>) -> ApiResult<HttpResponse> {
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let after = query.cursor.as_deref().map(|c| cursor::decode(c, 1)).transpose()?.and_then(|mut key| key.pop());
    let filter = RegionFilter { level: query.level, parent: query.parent };
    // One row more than asked tells whether another page follows.
    let items = state.read(move |conn| store::list(conn, &filter, after.as_deref(), i64::from(limit) + 1)).await?;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, PUBLIC_CACHE)).json(cursor::page(
        items,
        limit,
        |last| last.code.clone(),
    )))
}

/// Get one region by its six-digit code.
#[utoipa::path(
    tag = "regions",
    params(("code" = String, Path, description = "Six-digit GB/T 2260 code", example = "360402")),
    responses(
        (status = 200, description = "The region", body = Region),
        (status = 400, description = "Not a six-digit code", body = Problem),
        (status = 404, description = "No such region", body = Problem),
    )
)]
#[get("/regions/{code}")]
pub async fn get_region(state: web::Data<AppState>, code: web::Path<String>) -> ApiResult<HttpResponse> {
    let code = code.into_inner();
    if !is_region_code(&code) {
        return Err(ApiError::invalid_parameter("code", "region_code", "a region code is six digits, e.g. 360402"));
    }
    let shown = code.clone();
    let region = state
        .read(move |conn| store::get(conn, &code))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no region with code {shown}")))?;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, PUBLIC_CACHE)).json(region))
}

/// Resolve many region codes at once, e.g. to check a batch before intake.
///
/// Known codes come back in the order given (each once); well-formed codes that name no region of this
/// platform are listed under `unknown`.
#[utoipa::path(
    tag = "regions",
    request_body = RegionLookup,
    responses(
        (status = 200, description = "Found and unknown codes", body = RegionLookupResult),
        (status = 400, description = "The body is not valid JSON", body = Problem),
        (status = 413, description = "The body is too large", body = Problem),
        (status = 415, description = "The body is not JSON", body = Problem),
        (status = 422, description = "Invalid codes, with a field error for each rule broken", body = Problem),
    )
)]
#[post("/regions/lookup")]
pub async fn lookup_regions(state: web::Data<AppState>, body: ValidJson<RegionLookup>) -> ApiResult<HttpResponse> {
    let ValidJson(RegionLookup { codes }) = body;
    let mut asked: Vec<String> = Vec::with_capacity(codes.len());
    for code in codes {
        if !asked.contains(&code) {
            asked.push(code);
        }
    }
    let query = asked.clone();
    let found = state.read(move |conn| store::find_many(conn, &query)).await?;
    let (found, unknown) =
        asked.into_iter().fold((Vec::new(), Vec::new()), |(mut found_in_order, mut unknown), code| {
            match found.iter().find(|r| r.code == code) {
                Some(region) => found_in_order.push(region.clone()),
                None => unknown.push(code),
            }
            (found_in_order, unknown)
        });
    Ok(HttpResponse::Ok().json(RegionLookupResult { found, unknown }))
}

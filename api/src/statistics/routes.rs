//! `GET /statistics/records`: counts of the records a credit admin oversees, grouped by one dimension.

use crate::access::{self, Viewer};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::http::ValidQuery;
use crate::identity::principal::Principal;
use crate::schema::{records, regions};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use credit_types::records::{Statistics, StatsBucket, StatsDimension, StatsQuery};
use credit_types::Problem;
use credit_types::{ErrorCode, RegionLevel};
use diesel::dsl::count_star;
use diesel::prelude::*;
use std::collections::BTreeMap;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config.service(record_statistics);
}

/// Record counts for the competent office (city credit admin: the whole city; county credit admin: its county),
/// grouped by catalog item, provider, county or month of decision, optionally within a decision-date range.
#[utoipa::path(
    tag = "statistics",
    security(("bearer" = [])),
    params(StatsQuery),
    responses(
        (status = 200, description = "The counts, largest first (months in calendar order)", body = Statistics),
        (status = 403, description = "Not a credit admin", body = Problem),
    )
)]
#[get("/statistics/records")]
pub async fn record_statistics(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<StatsQuery>,
) -> ApiResult<HttpResponse> {
    let viewer = Viewer::of(&principal);
    if !access::oversees(&viewer) {
        return Err(ApiError::forbidden(
            ErrorCode::NotACreditAdmin,
            "statistics are for the competent office and county credit admins (R-5.1)",
        ));
    }
    let ValidQuery(query) = query;
    let statistics = state.read(move |conn| count(conn, &viewer, &query)).await?;
    Ok(HttpResponse::Ok().json(statistics))
}

/// The records `viewer` oversees, counted by the query's dimension, labelled and ordered.
fn count(conn: &mut Db, viewer: &Viewer, query: &StatsQuery) -> ApiResult<Statistics> {
    let counts = counts(conn, viewer, query)?;
    let labels = labels(conn, query.by, &counts)?;
    let codes: BTreeMap<String, String> = if query.by == StatsDimension::CatalogItem {
        crate::catalog::store::catalog_names(conn)?.into_iter().map(|(id, (code, _))| (id, code)).collect()
    } else {
        BTreeMap::new()
    };
    let total = counts.iter().map(|(_, n)| n).sum();
    let mut buckets: Vec<StatsBucket> = counts
        .into_iter()
        .map(|(key, count)| StatsBucket {
            label: labels.get(&key).cloned().unwrap_or_else(|| key.clone()),
            key: codes.get(&key).cloned().unwrap_or(key),
            count,
        })
        .collect();
    if query.by != StatsDimension::Month {
        buckets.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    }
    Ok(Statistics { by: query.by, total, buckets })
}

/// Counts by key of the dimension (catalog item id, provider id, region code, or `YYYY-MM`).
fn counts(conn: &mut Db, viewer: &Viewer, query: &StatsQuery) -> ApiResult<Vec<(String, i64)>> {
    // Four-digit years at both ends: SQLite compares dates as text.
    let from = query.from.or(chrono::NaiveDate::from_ymd_opt(1, 1, 1)).unwrap_or_default();
    let to = query.to.or(chrono::NaiveDate::from_ymd_opt(9999, 12, 31)).unwrap_or_default();
    let filtered = || {
        records::table
            .filter(access::overseen(viewer))
            .filter(records::decision_date.ge(from))
            .filter(records::decision_date.le(to))
    };
    Ok(match query.by {
        StatsDimension::CatalogItem => {
            filtered().group_by(records::catalog_item_id).select((records::catalog_item_id, count_star())).load(conn)?
        }
        StatsDimension::Provider => {
            filtered().group_by(records::provider_id).select((records::provider_id, count_star())).load(conn)?
        }
        StatsDimension::County => filtered()
            .group_by(records::jurisdiction_region)
            .select((records::jurisdiction_region, count_star()))
            .load(conn)?,
        StatsDimension::Month => {
            let days: Vec<(chrono::NaiveDate, i64)> = filtered()
                .group_by(records::decision_date)
                .select((records::decision_date, count_star()))
                .load(conn)?;
            let mut months: BTreeMap<String, i64> = BTreeMap::new();
            for (day, count) in days {
                *months.entry(day.format("%Y-%m").to_string()).or_default() += count;
            }
            months.into_iter().collect()
        }
    })
}

/// What each key is called: the catalog item's and the provider's names, the county's (the city's own records are
/// 市本级).
fn labels(conn: &mut Db, by: StatsDimension, counts: &[(String, i64)]) -> ApiResult<BTreeMap<String, String>> {
    Ok(match by {
        StatsDimension::CatalogItem => {
            crate::catalog::store::catalog_names(conn)?.into_iter().map(|(id, (_, name))| (id, name)).collect()
        }
        StatsDimension::Provider => {
            let ids: Vec<&str> = counts.iter().map(|(k, _)| k.as_str()).collect();
            crate::identity::store::organisation_names(conn, &ids)?.into_iter().collect()
        }
        StatsDimension::County => regions::table
            .select((regions::code, regions::name, regions::level))
            .load::<(String, String, RegionLevel)>(conn)?
            .into_iter()
            // Records of city-level providers have the city itself as their jurisdiction.
            .map(|(code, name, level)| (code, if level == RegionLevel::City { "市本级".to_owned() } else { name }))
            .collect(),
        StatsDimension::Month => BTreeMap::new(),
    })
}

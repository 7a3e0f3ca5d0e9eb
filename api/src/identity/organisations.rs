//! The organisation directory: every signed-in user may look organisations up; the account office manages them.

use super::principal::Principal;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::http::{cursor, ValidQuery};
use crate::schema::{organisation_kinds, organisations};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use credit_types::identity::{Organisation, OrganisationKind, OrganisationListQuery};
use credit_types::page::DEFAULT_LIMIT;
use credit_types::{Page, Problem, RegionLevel};
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config.service(list_organisations);
}

/// List organisations, searched by name or USCC, filtered by level or kind, in creation order.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(OrganisationListQuery),
    responses(
        (status = 200, description = "One page of organisations", body = Page<Organisation>),
        (status = 400, description = "An invalid query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The password must be changed first", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations")]
pub async fn list_organisations(
    state: web::Data<AppState>,
    _principal: Principal,
    query: ValidQuery<OrganisationListQuery>,
) -> ApiResult<HttpResponse> {
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let after = query.cursor.as_deref().map(|c| cursor::decode(c, 1)).transpose()?.and_then(|mut key| key.pop());
    let mut items = state.db(move |conn| list(conn, &query, after.as_deref(), i64::from(limit) + 1)).await?;
    let next_cursor = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|last| cursor::encode(&[&last.id]))
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(Page { items, next_cursor }))
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = organisations)]
struct Row {
    id: String,
    name: String,
    uscc: String,
    level: String,
    region_code: String,
    active: bool,
}

fn list(conn: &mut Db, query: &OrganisationListQuery, after: Option<&str>, limit: i64) -> ApiResult<Vec<Organisation>> {
    let mut rows =
        organisations::table.select(Row::as_select()).order(organisations::id.asc()).limit(limit).into_boxed();
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        rows = rows.filter(organisations::name.like(pattern).escape('\\').or(organisations::uscc.eq(q.to_uppercase())));
    }
    if let Some(level) = query.level {
        rows = rows.filter(organisations::level.eq(level.as_str()));
    }
    if let Some(kind) = query.kind {
        let with_kind = organisation_kinds::table
            .filter(organisation_kinds::kind.eq(kind.as_str()))
            .select(organisation_kinds::organisation_id);
        rows = rows.filter(organisations::id.eq_any(with_kind));
    }
    if let Some(after) = after {
        rows = rows.filter(organisations::id.gt(after.to_owned()));
    }
    let rows: Vec<Row> = rows.load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let kinds: Vec<(String, String)> = organisation_kinds::table
        .filter(organisation_kinds::organisation_id.eq_any(&ids))
        .select((organisation_kinds::organisation_id, organisation_kinds::kind))
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            let level = RegionLevel::parse(&row.level)
                .ok_or_else(|| ApiError::internal(format!("organisation {} has level {:?}", row.id, row.level)))?;
            let mut org_kinds: Vec<OrganisationKind> =
                kinds.iter().filter(|(id, _)| *id == row.id).filter_map(|(_, k)| OrganisationKind::parse(k)).collect();
            org_kinds.sort();
            Ok(Organisation {
                id: row.id,
                name: row.name,
                uscc: row.uscc,
                level,
                region_code: row.region_code,
                kinds: org_kinds,
                active: row.active,
            })
        })
        .collect()
}

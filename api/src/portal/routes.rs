//! The public portal: anonymous search, subject pages and record pages. Only published public records
//! are shown (the access rule with the anonymous viewer), everything masked, rate-limited per client
//! address, with cache headers so that repeated views cost little.

use crate::access::{self, Viewer};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::http::{cursor, ValidQuery};
use crate::records::public::{public_record, public_subject, subject_row, Lookup};
use crate::records::search;
use crate::records::store::RecordRow;
use crate::schema::records;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use credit_types::records::{PortalSearchQuery, PublicRecord, PublicSubject, PublicSubjectPage};
use credit_types::{Page, Problem};
use diesel::prelude::*;
use std::collections::HashMap;
use utoipa_actix_web::service_config::ServiceConfig;

/// How long browsers and proxies may reuse a portal answer.
const CACHE_SECONDS: u32 = 60;
/// Candidates examined per step of a search (at most), and the most steps one page may take.
const SEARCH_STEP: i64 = 200;
const SEARCH_STEPS: usize = 20;

pub fn configure(config: &mut ServiceConfig) {
    config.service(search_subjects).service(subject_page).service(record_page).service(super::lookup::lookup_person);
}

/// Search organisations and individual businesses with published public records, by part of the name (two
/// characters or more) or the exact unified social credit code. Natural persons are never found here, neither by
/// part of a name nor by a number: they are looked up by full name and full number together
/// (`POST /portal/persons/lookup`). A search by an 18-character code also counts against the hourly allowance of
/// lookups by code.
#[utoipa::path(
    tag = "portal",
    params(PortalSearchQuery),
    responses(
        (status = 200, description = "One page of organisations and individual businesses", body = Page<PublicSubject>),
        (status = 400, description = "An invalid query", body = Problem),
        (status = 429, description = "Too many requests (or lookups by code) from this address", body = Problem),
    )
)]
#[get("/portal/subjects")]
pub async fn search_subjects(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: ValidQuery<PortalSearchQuery>,
) -> ApiResult<HttpResponse> {
    crate::http::visitor::limit_portal_visitor(&req, &state)?;
    if search::looks_like_code(&query.0.q) {
        crate::http::visitor::limit_lookup(&req, &state)?;
    }
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(20);
    let after = query.cursor.as_deref().map(|c| cursor::decode(c, 1)).transpose()?.and_then(|mut key| key.pop());
    let page = state.read(move |conn| search(conn, query.q.trim(), after, limit)).await?;
    Ok(cached(HttpResponse::Ok()).json(page))
}

fn search(conn: &mut Db, q: &str, mut after: Option<String>, limit: u32) -> ApiResult<Page<PublicSubject>> {
    let now = crate::clock::now();
    let mut found: Vec<PublicSubject> = Vec::new();
    // Most candidates have public records, so the first step asks for about twice a page and later ones for more:
    // reading and counting 200 candidates for every search of a 20-subject page was most of its cost.
    let mut step = (i64::from(limit) + 1).saturating_mul(2).min(SEARCH_STEP);
    for _ in 0..SEARCH_STEPS {
        let candidates = search::candidates(conn, q, search::Scope::Businesses, after.as_deref(), step)?;
        let exhausted = (candidates.len() as i64) < step;
        step = step.saturating_mul(2).min(SEARCH_STEP);
        let ids: Vec<&str> = candidates.iter().map(|s| s.id.as_str()).collect();
        let counts = published_counts(conn, &ids, now)?;
        for subject in &candidates {
            after = Some(subject.id.clone());
            if let Some(count) = counts.get(&subject.id) {
                found.push(public_subject(subject, *count));
                if found.len() > limit as usize {
                    break;
                }
            }
        }
        if found.len() > limit as usize {
            return Ok(cursor::page(found, limit, |s| s.id.clone()));
        }
        if exhausted {
            return Ok(Page { items: found, next_cursor: None });
        }
    }
    // Many near-misses: hand back what was found with a cursor to continue the scan from where it stopped.
    Ok(Page { items: found, next_cursor: after.map(|a| cursor::encode(&[&a])) })
}

/// Published public records per subject, for the subjects in `ids` that have any.
pub(super) fn published_counts(
    conn: &mut Db,
    ids: &[&str],
    now: chrono::NaiveDateTime,
) -> ApiResult<HashMap<String, i64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(String, i64)> = records::table
        .filter(access::readable(&Viewer::Anonymous, now))
        .filter(records::subject_id.eq_any(ids))
        .group_by(records::subject_id)
        .select((records::subject_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// A subject's page: its published public records, newest decision first, masked, objections marked. 404 when it
/// has none, so the portal never reveals that a subject has only non-public records.
#[utoipa::path(
    tag = "portal",
    params(("id" = String, Path, description = "Subject id")),
    responses(
        (status = 200, description = "The subject and its public records", body = PublicSubjectPage),
        (status = 404, description = "No subject with published records", body = Problem),
        (status = 429, description = "Too many requests from this address", body = Problem),
    )
)]
#[get("/portal/subjects/{id}")]
pub async fn subject_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    crate::http::visitor::limit_portal_visitor(&req, &state)?;
    let id = id.into_inner();
    let page = state
        .read(move |conn| {
            let rows: Vec<RecordRow> = records::table
                .filter(access::readable(&Viewer::Anonymous, crate::clock::now()))
                .filter(records::subject_id.eq(&id))
                .order((records::decision_date.desc(), records::id.desc()))
                .limit(500)
                .select(RecordRow::as_select())
                .load(conn)?;
            if rows.is_empty() {
                return Err(ApiError::not_found("no subject with published records"));
            }
            let subject = subject_row(conn, &id)?;
            let masked_subject = public_subject(&subject, rows.len() as i64);
            let mut lookup = Lookup::default();
            let records = rows
                .into_iter()
                .map(|row| public_record(conn, &mut lookup, row, &subject, false))
                .collect::<ApiResult<Vec<_>>>()?;
            Ok(PublicSubjectPage { subject: masked_subject, records })
        })
        .await?;
    Ok(cached(HttpResponse::Ok()).json(page))
}

/// One published public record with its fields, masked by the catalog's rules.
#[utoipa::path(
    tag = "portal",
    params(("id" = String, Path, description = "Record id")),
    responses(
        (status = 200, description = "The record, masked", body = PublicRecord),
        (status = 404, description = "No such published record", body = Problem),
        (status = 429, description = "Too many requests from this address", body = Problem),
    )
)]
#[get("/portal/records/{id}")]
pub async fn record_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    crate::http::visitor::limit_portal_visitor(&req, &state)?;
    let id = id.into_inner();
    let record = state
        .read(move |conn| {
            let row = crate::records::reads::readable_record(conn, &Viewer::Anonymous, &id)?;
            let subject = subject_row(conn, &row.subject_id)?;
            public_record(conn, &mut Lookup::default(), row, &subject, true)
        })
        .await?;
    Ok(cached(HttpResponse::Ok()).json(record))
}

fn cached(mut response: actix_web::HttpResponseBuilder) -> actix_web::HttpResponseBuilder {
    response.insert_header((header::CACHE_CONTROL, format!("public, max-age={CACHE_SECONDS}")));
    response.insert_header((header::VARY, "Accept-Encoding"));
    response
}

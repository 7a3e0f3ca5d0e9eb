//! The public portal: anonymous search, subject pages and record pages. Only published public records
//! are shown (the access rule with the anonymous viewer), everything masked, rate-limited per client
//! address, with cache headers so that repeated views cost little.

use super::search;
use crate::access::{self, Viewer};
use crate::catalog::store as catalog;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::http::{cursor, ValidQuery};
use crate::records::store::{self as records_store, RecordRow, SubjectRow};
use crate::schema::records;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use credit_types::catalog::SubjectKind;
use credit_types::masking::MaskingRule;
use credit_types::records::{
    PortalSearchQuery, PublicRecord, PublicSubject, PublicSubjectPage, RecordField, RecordStatus,
};
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
    config.service(search_subjects).service(subject_page).service(record_page);
}

/// Search subjects with published public records, by part of the name (two characters or more) or the exact
/// code. Natural persons' names and identity numbers are masked.
#[utoipa::path(
    tag = "portal",
    params(PortalSearchQuery),
    responses(
        (status = 200, description = "One page of subjects", body = Page<PublicSubject>),
        (status = 400, description = "An invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/portal/subjects")]
pub async fn search_subjects(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: ValidQuery<PortalSearchQuery>,
) -> ApiResult<HttpResponse> {
    limit_rate(&req, &state)?;
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(20);
    let after = query.cursor.as_deref().map(|c| cursor::decode(c, 1)).transpose()?.and_then(|mut key| key.pop());
    let page = state.db(move |conn| search(conn, query.q.trim(), after, limit)).await?;
    Ok(cached(HttpResponse::Ok()).json(page))
}

fn search(conn: &mut Db, q: &str, mut after: Option<String>, limit: u32) -> ApiResult<Page<PublicSubject>> {
    let now = crate::clock::now();
    let mut found: Vec<PublicSubject> = Vec::new();
    // Most candidates have public records, so the first step asks for about twice a page and later ones for more:
    // reading and counting 200 candidates for every search of a 20-subject page was most of its cost.
    let mut step = (i64::from(limit) + 1).saturating_mul(2).min(SEARCH_STEP);
    for _ in 0..SEARCH_STEPS {
        let candidates = search::candidates(conn, q, after.as_deref(), step)?;
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
fn published_counts(conn: &mut Db, ids: &[&str], now: chrono::NaiveDateTime) -> ApiResult<HashMap<String, i64>> {
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
        (status = 404, description = "No subject with published records", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/portal/subjects/{id}")]
pub async fn subject_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    limit_rate(&req, &state)?;
    let id = id.into_inner();
    let page = state
        .db(move |conn| {
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
        (status = 404, description = "No such published record", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/portal/records/{id}")]
pub async fn record_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    limit_rate(&req, &state)?;
    let id = id.into_inner();
    let record = state
        .db(move |conn| {
            let row = crate::records::routes::readable_record(conn, &Viewer::Anonymous, &id)?;
            let subject = subject_row(conn, &row.subject_id)?;
            public_record(conn, &mut Lookup::default(), row, &subject, true)
        })
        .await?;
    Ok(cached(HttpResponse::Ok()).json(record))
}

/// The record as the portal publishes it now (masked), or `None` when it is not published.
pub fn published_record(conn: &mut Db, id: &str) -> ApiResult<Option<PublicRecord>> {
    let row = match crate::records::routes::readable_record(conn, &Viewer::Anonymous, id) {
        Ok(row) => row,
        Err(ApiError::NotFound { .. }) => return Ok(None),
        Err(other) => return Err(other),
    };
    let subject = subject_row(conn, &row.subject_id)?;
    public_record(conn, &mut Lookup::default(), row, &subject, true).map(Some)
}

fn subject_row(conn: &mut Db, id: &str) -> ApiResult<SubjectRow> {
    records_store::subjects_by_id(conn, &[id])?.remove(id).ok_or_else(|| ApiError::not_found("no such subject"))
}

/// A subject as the public sees it: a natural person's name and identity number masked.
fn public_subject(subject: &SubjectRow, record_count: i64) -> PublicSubject {
    let (name, code) = match subject.kind() {
        SubjectKind::NaturalPerson => {
            (MaskingRule::PersonName.apply(&subject.name), MaskingRule::ResidentId.apply(&subject.code))
        }
        _ => (subject.name.clone(), subject.code.clone()),
    };
    PublicSubject { id: subject.id.clone(), kind: subject.kind(), name, code, record_count }
}

/// Catalog versions and provider names already read for one answer, so a subject page costs a few queries however
/// many records it lists.
#[derive(Default)]
pub struct Lookup {
    definitions: HashMap<(String, i32), catalog::Definition>,
    providers: HashMap<String, String>,
}

impl Lookup {
    fn definition(&mut self, conn: &mut Db, item_id: &str, version: i32) -> ApiResult<catalog::Definition> {
        let key = (item_id.to_owned(), version);
        if let Some(definition) = self.definitions.get(&key) {
            return Ok(definition.clone());
        }
        let definition = catalog::version(conn, item_id, version)?;
        self.definitions.insert(key, definition.clone());
        Ok(definition)
    }

    fn provider(&mut self, conn: &mut Db, id: &str) -> ApiResult<String> {
        if let Some(name) = self.providers.get(id) {
            return Ok(name.clone());
        }
        let name = records_store::organisation_names(conn, &[id])?.remove(id).unwrap_or_default();
        self.providers.insert(id.to_owned(), name.clone());
        Ok(name)
    }
}

/// A record as the public sees it; `with_fields` adds the masked values.
pub fn public_record(
    conn: &mut Db,
    lookup: &mut Lookup,
    row: RecordRow,
    subject: &SubjectRow,
    with_fields: bool,
) -> ApiResult<PublicRecord> {
    let provider_name = lookup.provider(conn, &row.provider_id)?;
    let definition = lookup.definition(conn, &row.catalog_item_id, row.catalog_version)?;
    let fields = if with_fields {
        let values = row.values();
        records_store::labelled(&definition, &values)
            .into_iter()
            .map(|field| {
                let rule = definition.fields.iter().find(|f| f.key == field.key).map(|f| f.masking);
                // A value the catalog version does not define is never shown raw.
                let value = rule.map_or_else(|| "***".to_owned(), |rule| rule.apply(&field.value));
                RecordField { value, ..field }
            })
            .collect()
    } else {
        Vec::new()
    };
    let notes = if with_fields {
        crate::objections::store::notes(conn, &[&row.id])?.remove(&row.id).unwrap_or_default()
    } else {
        Vec::new()
    };
    Ok(PublicRecord {
        notes,
        under_objection: row.status() == RecordStatus::UnderObjection,
        subject_name: public_subject(subject, 0).name,
        subject_id: row.subject_id,
        catalog_code: definition.code,
        catalog_name: definition.name_zh,
        provider_name,
        decision_date: row.decision_date,
        publish_until: row.publish_until,
        id: row.id,
        fields,
    })
}

/// Counts the request against the client address's portal allowance.
pub fn limit_rate(req: &HttpRequest, state: &AppState) -> ApiResult<()> {
    let limit = state.records().portal_requests_per_minute;
    let address = client_address(req, &state.records().trusted_proxies);
    state.limiter().check(&format!("portal:{address}"), limit).map_err(|retry_after_secs| ApiError::TooManyRequests {
        code: "rate_limited",
        detail: format!("at most {limit} portal requests per minute from one address; try again shortly"),
        retry_after_secs,
    })
}

/// The visitor's address: the connection's, or — behind a trusted reverse proxy — the nearest address in
/// `X-Forwarded-For` that is not itself a trusted proxy.
pub fn client_address(req: &HttpRequest, trusted: &[std::net::IpAddr]) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else { return String::new() };
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let forwarded =
        req.headers().get_all("x-forwarded-for").filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
    forwarded
        .rsplit(',')
        .filter_map(|hop| hop.trim().parse::<std::net::IpAddr>().ok())
        .find(|hop| !trusted.contains(hop))
        .unwrap_or(peer)
        .to_string()
}

fn cached(mut response: actix_web::HttpResponseBuilder) -> actix_web::HttpResponseBuilder {
    response.insert_header((header::CACHE_CONTROL, format!("public, max-age={CACHE_SECONDS}")));
    response.insert_header((header::VARY, "Accept-Encoding"));
    response
}

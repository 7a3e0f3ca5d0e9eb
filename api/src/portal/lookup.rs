//! Finding a natural person on the portal: only by the full name and the full resident identity
//! number together, never by a part of either, so that no answer confirms a character the masks hide.
//!
//! Whoever knows both learns no more than the subject page shows anyone (masked name, the number's region, the public
//! records); whoever knows one of them gets the same empty page for every guess at the other: a wrong name with the
//! right number, and a number nobody has, are one query with no row. Each lookup counts against the address's hourly
//! allowance of lookups by code, so guessing the hidden digits of a number for a known name stays out of reach.

use super::routes::published_counts;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::http::ValidJson;
use crate::records::public::public_subject;
use crate::records::search;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use credit_types::records::{check_person_lookup, PersonLookup, PublicSubject};
use credit_types::{Page, Problem};

/// Look up a natural person by full name and full resident identity number (both exact): a page holding the person
/// (masked) when both match and they have published public records, else an empty page — the same for a wrong name,
/// an unknown number and a person without published records. A POST, so the number stays out of
/// URLs and logs; never cached. Counts against the portal's per-minute allowance and the hourly one of lookups by
/// code.
#[utoipa::path(
    tag = "portal",
    request_body = PersonLookup,
    responses(
        (status = 200, description = "The person (masked), or an empty page", body = Page<PublicSubject>),
        (status = 422, description = "No name, or not a valid resident identity number", body = Problem),
        (status = 429, description = "Too many requests (or lookups by code) from this address", body = Problem),
    )
)]
#[post("/portal/persons/lookup")]
pub async fn lookup_person(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: ValidJson<PersonLookup>,
) -> ApiResult<HttpResponse> {
    crate::http::visitor::limit_portal_visitor(&req, &state)?;
    crate::http::visitor::limit_lookup(&req, &state)?;
    let lookup = body.0.normalised();
    let errors = check_person_lookup(&lookup, crate::clock::today());
    if !errors.is_empty() {
        return Err(ApiError::Validation { errors });
    }
    let page = state.read(move |conn| find(conn, &lookup)).await?;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(page))
}

/// The person as a page of at most one subject. Name and number are both in the one query's condition, and the
/// count of published records runs only for a row it found, so a miss costs the same whichever half was wrong.
fn find(conn: &mut Db, lookup: &PersonLookup) -> ApiResult<Page<PublicSubject>> {
    let person = search::person(conn, &lookup.name, &lookup.id_number)?;
    let ids: Vec<&str> = person.iter().map(|p| p.id.as_str()).collect();
    let counts = published_counts(conn, &ids, crate::clock::now())?;
    let items = person.iter().filter_map(|p| counts.get(&p.id).map(|count| public_subject(p, *count))).collect();
    Ok(Page { items, next_cursor: None })
}

//! Catalog endpoints: everyone signed in reads the catalog; the competent office (city credit admin) defines items,
//! each change a new version.

use super::store::{self, Definition};
use crate::audit::{self, AuditAction, EventFields, Outcome, TargetKind};
use crate::error::{ApiError, ApiResult};
use crate::http::{versioning, ValidJson};
use crate::identity::principal::Principal;
use crate::schema::catalog_items;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use credit_types::catalog::{check_catalog_item, CatalogItem, CatalogItemInput};
use credit_types::identity::Role;
use credit_types::ErrorCode;
use credit_types::Problem;
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_items)
        .service(create_item)
        .service(get_item)
        .service(update_item)
        .service(list_versions)
        .service(template);
}

/// Every catalog item at its current version.
#[utoipa::path(
    tag = "catalog",
    security(("bearer" = ["catalog:read"])),
    responses(
        (status = 200, description = "The catalog", body = Vec<CatalogItem>),
        (status = 401, description = "Not signed in", body = Problem),
    )
)]
#[get("/catalog/items")]
pub async fn list_items(state: web::Data<AppState>, _signed_in: Principal) -> ApiResult<HttpResponse> {
    let items = state.read(store::list_current).await?;
    Ok(HttpResponse::Ok().json(items.iter().map(Definition::to_item).collect::<Vec<_>>()))
}

/// One catalog item at its current version; the `ETag` is its version.
#[utoipa::path(
    tag = "catalog",
    security(("bearer" = ["catalog:read"])),
    params(("code" = String, Path, description = "Catalog item code")),
    responses(
        (status = 200, description = "The item", body = CatalogItem, headers(("ETag" = String, description = "The current version"))),
        (status = 404, description = "No such item", body = Problem),
    )
)]
#[get("/catalog/items/{code}")]
pub async fn get_item(
    state: web::Data<AppState>,
    _signed_in: Principal,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let code = code.into_inner();
    let item = state.read(move |conn| find(conn, &code)).await?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, versioning::etag(item.version))).json(item.to_item()))
}

/// Every version of an item, newest first: records keep the version they were made under.
#[utoipa::path(
    tag = "catalog",
    security(("bearer" = ["catalog:read"])),
    params(("code" = String, Path, description = "Catalog item code")),
    responses(
        (status = 200, description = "The versions", body = Vec<CatalogItem>),
        (status = 404, description = "No such item", body = Problem),
    )
)]
#[get("/catalog/items/{code}/versions")]
pub async fn list_versions(
    state: web::Data<AppState>,
    _signed_in: Principal,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let code = code.into_inner();
    let versions = state
        .read(move |conn| {
            let current = find(conn, &code)?;
            store::versions(conn, &current.item_id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(versions.iter().map(Definition::to_item).collect::<Vec<_>>()))
}

/// Define a new catalog item (city credit admin, R-23.1). Fields collecting prohibited personal data (religion,
/// genes, fingerprints and other biometrics, blood type, disease or medical history) are refused, naming the field
/// every field states the purpose of its collection.
#[utoipa::path(
    tag = "catalog",
    security(("bearer" = [])),
    request_body = CatalogItemInput,
    responses(
        (status = 201, description = "Created, version 1", body = CatalogItem),
        (status = 403, description = "Not the competent office", body = Problem),
        (status = 409, description = "The code is taken", body = Problem),
        (status = 422, description = "Invalid definition, or a prohibited field (code `prohibited_personal_data`)", body = Problem),
    )
)]
#[post("/catalog/items")]
pub async fn create_item(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<CatalogItemInput>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(&[Role::CityCreditAdmin])?;
    let ValidJson(input) = body;
    checked(&input)?;
    let actor = principal.actor();
    let by = principal.user_id().to_owned();
    let item = state
        .write(move |conn| {
            if store::current_by_code(conn, &input.code)?.is_some() {
                return Err(ApiError::Conflict {
                    code: ErrorCode::CatalogCodeTaken,
                    detail: format!("a catalog item {} exists", input.code),
                    errors: vec![credit_types::FieldError::new("code", "taken", "该目录代码已存在")],
                });
            }
            let id = crate::db::new_id();
            let now = crate::clock::now();
            diesel::insert_into(catalog_items::table)
                .values((
                    catalog_items::id.eq(&id),
                    catalog_items::code.eq(&input.code),
                    catalog_items::current_version.eq(1),
                    catalog_items::active.eq(input.active),
                    catalog_items::created_at.eq(now),
                    catalog_items::updated_at.eq(now),
                    catalog_items::created_by.eq(&by),
                    catalog_items::updated_by.eq(&by),
                ))
                .execute(conn)?;
            store::insert_version(conn, &id, 1, &input, &by, now)?;
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::CatalogCreate, Outcome::Success)
                    .target(TargetKind::CatalogItem, &input.code),
            )?;
            find(conn, &input.code)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::ETAG, versioning::etag(item.version)))
        .insert_header((header::LOCATION, format!("/api/v1/catalog/items/{}", item.code)))
        .json(item.to_item()))
}

/// Change an item (city credit admin): stored as a new version, the earlier ones kept; `If-Match` must carry the
/// current version. The body's `code` is ignored: codes never change.
#[utoipa::path(
    tag = "catalog",
    security(("bearer" = [])),
    params(
        ("code" = String, Path, description = "Catalog item code"),
        ("If-Match" = String, Header, description = "The version read (ETag)"),
    ),
    request_body = CatalogItemInput,
    responses(
        (status = 200, description = "The new version", body = CatalogItem),
        (status = 403, description = "Not the competent office", body = Problem),
        (status = 404, description = "No such item", body = Problem),
        (status = 412, description = "Changed since read", body = Problem),
        (status = 422, description = "Invalid definition, or a prohibited field", body = Problem),
        (status = 428, description = "No If-Match", body = Problem),
    )
)]
#[put("/catalog/items/{code}")]
pub async fn update_item(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    code: web::Path<String>,
    body: ValidJson<CatalogItemInput>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(&[Role::CityCreditAdmin])?;
    let expected = versioning::if_match(&req)?;
    let code = code.into_inner();
    let ValidJson(mut input) = body;
    input.code = code.clone();
    checked(&input)?;
    let actor = principal.actor();
    let by = principal.user_id().to_owned();
    let item = state
        .write(move |conn| {
            let current = find(conn, &code)?;
            versioning::check(expected, current.version)?;
            let next = current.version + 1;
            let now = crate::clock::now();
            store::insert_version(conn, &current.item_id, next, &input, &by, now)?;
            diesel::update(catalog_items::table.find(&current.item_id))
                .set((
                    catalog_items::current_version.eq(next),
                    catalog_items::active.eq(input.active),
                    catalog_items::updated_at.eq(now),
                    catalog_items::updated_by.eq(&by),
                ))
                .execute(conn)?;
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::CatalogUpdate, Outcome::Success)
                    .target(TargetKind::CatalogItem, &code)
                    .detail(format!("version {next}")),
            )?;
            find(conn, &code)
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, versioning::etag(item.version))).json(item.to_item()))
}

/// The CSV template of an item for batch intake: UTF-8 with a byte-order mark (so spreadsheet programs read the
/// Chinese right), a header row of column keys and a second row of labels, which an upload skips.
#[utoipa::path(
    tag = "catalog",
    security(("bearer" = ["catalog:read"])),
    params(("code" = String, Path, description = "Catalog item code")),
    responses(
        (status = 200, description = "The template", content_type = "text/csv", body = String),
        (status = 404, description = "No such item", body = Problem),
    )
)]
#[get("/catalog/items/{code}/template.csv")]
pub async fn template(
    state: web::Data<AppState>,
    _signed_in: Principal,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let code = code.into_inner();
    let item = state.read(move |conn| find(conn, &code)).await?;
    let body = super::template::template(&item)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}-template.csv\"", item.code)))
        .body(body))
}

fn checked(input: &CatalogItemInput) -> ApiResult<()> {
    let errors = check_catalog_item(input);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation { errors })
    }
}

/// The current definition of `code`, or 404.
pub fn find(conn: &mut crate::db::Db, code: &str) -> ApiResult<Definition> {
    store::current_by_code(conn, code)?.ok_or_else(|| ApiError::not_found(format!("no catalog item {code}")))
}

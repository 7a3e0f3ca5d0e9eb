//! API clients: external systems of one organisation, registered by the account office, signing in with
//! OAuth2 client credentials (RFC 6749 §4.4). A client acts with the roles its organisation's kind allows (never an
//! administrative one), narrowed by its scopes, and within its per-minute request limit.

use super::principal::{Principal, Subject};
use super::tokens;
use crate::audit::{self, Actor, AuditAction, EventFields, Outcome, TargetKind};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::http::ValidJson;
use crate::schema::{api_clients, organisations};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use base64::Engine;
use chrono::NaiveDateTime;
use credit_types::identity::{
    ApiClient, ApiClientWithSecret, ClientTokenResponse, NewClientRequest, OrganisationKind, Role,
};
use credit_types::ErrorCode;
use credit_types::{FieldError, Problem, RegionLevel};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config.service(create_client).service(list_clients).service(revoke_client).service(token);
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = api_clients)]
struct ClientRow {
    id: String,
    organisation_id: String,
    name: String,
    client_id: String,
    secret_hash: String,
    scopes: String,
    rate_limit_per_minute: i32,
    active: bool,
    created_at: NaiveDateTime,
}

/// The clients as the API shows them, with their organisations' names.
fn to_api(conn: &mut Db, rows: Vec<ClientRow>) -> ApiResult<Vec<ApiClient>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.organisation_id.as_str()).collect();
    let names = super::store::organisation_names(conn, &ids)?;
    Ok(rows.iter().map(|row| row.to_api(names.get(&row.organisation_id).cloned().unwrap_or_default())).collect())
}

/// One client as the API shows it.
fn one(conn: &mut Db, id: &str) -> ApiResult<ApiClient> {
    let row: ClientRow = api_clients::table.find(id).select(ClientRow::as_select()).first(conn)?;
    to_api(conn, vec![row])?.pop().ok_or_else(|| ApiError::internal("client lost in conversion"))
}

impl ClientRow {
    fn to_api(&self, organisation_name: String) -> ApiClient {
        ApiClient {
            id: self.id.clone(),
            organisation_id: self.organisation_id.clone(),
            organisation_name,
            name: self.name.clone(),
            client_id: self.client_id.clone(),
            scopes: self.scopes.split_whitespace().map(str::to_owned).collect(),
            rate_limit_per_minute: self.rate_limit_per_minute,
            active: self.active,
            created_at: self.created_at.and_utc(),
        }
    }
}

/// The roles a client of an organisation with `kinds` acts with: what its users could hold as members of that
/// organisation, and never an administrative role.
fn client_roles(kinds: &[OrganisationKind]) -> Vec<Role> {
    let mut roles = Vec::new();
    if kinds.contains(&OrganisationKind::DataProvider) {
        roles.push(Role::DataProvider);
    }
    if kinds.contains(&OrganisationKind::UserUnit) || kinds.contains(&OrganisationKind::CreditServiceAgency) {
        roles.push(Role::UserUnit);
    }
    roles
}

/// The caller behind a client token, with its requests-per-minute limit: the client must be active and its
/// organisation too; its scopes are those the token was issued for, within those the client holds now.
pub fn principal_for(conn: &mut Db, id: &str, token_scope: Option<&str>) -> ApiResult<(Principal, u32)> {
    let invalid =
        || ApiError::unauthorized(ErrorCode::InvalidToken, "the access token is no longer valid: request a new one");
    let row: Option<(ClientRow, String, RegionLevel, String, bool)> = api_clients::table
        .inner_join(organisations::table)
        .filter(api_clients::id.eq(id))
        .select((
            ClientRow::as_select(),
            organisations::name,
            organisations::level,
            organisations::region_code,
            organisations::active,
        ))
        .first(conn)
        .optional()?;
    let Some((client, organisation_name, level, region_code, true)) = row.filter(|r| r.0.active) else {
        return Err(invalid());
    };
    let kinds = super::store::organisation_kinds(conn, &client.organisation_id)?;
    let limit = u32::try_from(client.rate_limit_per_minute).unwrap_or(1);
    let principal = Principal {
        subject: Subject::Client {
            id: client.id.clone(),
            client_id: client.client_id.clone(),
            name: client.name.clone(),
        },
        organisation_id: client.organisation_id.clone(),
        organisation_name,
        level,
        region_code,
        roles: client_roles(&kinds),
        government_unit: super::rules::is_government_unit(&kinds),
        scopes: client
            .scopes
            .split_whitespace()
            .filter(|held| token_scope.is_some_and(|asked| asked.split_whitespace().any(|s| s == *held)))
            .map(str::to_owned)
            .collect(),
        session_id: String::new(),
        password_change_required: false,
    };
    Ok((principal, limit))
}

fn new_secret() -> ApiResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(ApiError::internal)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// Register an API client for an organisation (account office only). The secret is shown this once.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    request_body = NewClientRequest,
    responses(
        (status = 201, description = "Registered; keep the secret now, it is never shown again", body = ApiClientWithSecret),
        (status = 403, description = "Not the account office", body = Problem),
        (status = 422, description = "Invalid fields, or an organisation whose kind allows no API access", body = Problem),
    )
)]
#[post("/clients")]
pub async fn create_client(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<NewClientRequest>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(&[Role::AccountAdmin])?;
    let ValidJson(request) = body;
    let actor = principal.actor();
    let by = principal.user_id().to_owned();
    let secret = new_secret()?;
    let secret_hash = tokens::refresh_token_hash(&secret);
    let client = state
        .write(move |conn| {
            let kinds = super::store::organisation_kinds(conn, &request.organisation_id)?;
            if client_roles(&kinds).is_empty() {
                return Err(ApiError::Validation {
                    errors: vec![FieldError::new(
                        "organisation_id",
                        "no_api_access",
                        "只有信用信息提供单位、使用单位和信用服务机构可以注册接口客户端",
                    )],
                });
            }
            let id = crate::db::new_id();
            let now = chrono::Utc::now().naive_utc();
            diesel::insert_into(api_clients::table)
                .values((
                    api_clients::id.eq(&id),
                    api_clients::organisation_id.eq(&request.organisation_id),
                    api_clients::name.eq(request.name.trim()),
                    api_clients::client_id.eq(format!("client-{}", uuid::Uuid::new_v4().simple())),
                    api_clients::secret_hash.eq(&secret_hash),
                    api_clients::scopes.eq(request.scopes.join(" ")),
                    api_clients::rate_limit_per_minute.eq(request.rate_limit_per_minute),
                    api_clients::active.eq(true),
                    api_clients::created_at.eq(now),
                    api_clients::created_by.eq(&by),
                ))
                .execute(conn)?;
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::ClientCreate, Outcome::Success).target(TargetKind::Client, &id),
            )?;
            one(conn, &id)
        })
        .await?;
    Ok(HttpResponse::Created().json(ApiClientWithSecret { client, client_secret: secret }))
}

/// List API clients (account office only).
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every client, newest first", body = Vec<ApiClient>),
        (status = 403, description = "Not the account office", body = Problem),
    )
)]
#[get("/clients")]
pub async fn list_clients(state: web::Data<AppState>, principal: Principal) -> ApiResult<HttpResponse> {
    principal.require_any_role(&[Role::AccountAdmin])?;
    let clients = state
        .read(|conn| {
            let rows: Vec<ClientRow> =
                api_clients::table.order(api_clients::created_at.desc()).select(ClientRow::as_select()).load(conn)?;
            to_api(conn, rows)
        })
        .await?;
    Ok(HttpResponse::Ok().json(clients))
}

/// Revoke an API client (account office only): its tokens stop working at once.
#[utoipa::path(
    tag = "clients",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Client id")),
    responses(
        (status = 200, description = "Revoked", body = ApiClient),
        (status = 403, description = "Not the account office", body = Problem),
        (status = 404, description = "No such client", body = Problem),
    )
)]
#[post("/clients/{id}/revoke")]
pub async fn revoke_client(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(&[Role::AccountAdmin])?;
    let actor = principal.actor();
    let by = principal.user_id().to_owned();
    let id = id.into_inner();
    let client = state
        .write(move |conn| {
            let now = chrono::Utc::now().naive_utc();
            let updated = diesel::update(api_clients::table.find(&id))
                .set((
                    api_clients::active.eq(false),
                    api_clients::revoked_at.eq(Some(now)),
                    api_clients::revoked_by.eq(Some(&by)),
                ))
                .execute(conn)?;
            if updated == 0 {
                return Err(ApiError::not_found("no such client"));
            }
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::ClientRevoke, Outcome::Success).target(TargetKind::Client, &id),
            )?;
            one(conn, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(client))
}

/// Form fields of the token request (RFC 6749 §4.4.2); the credentials may come in the body or as HTTP Basic.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    /// Must be `client_credentials`.
    pub grant_type: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// Space-separated subset of the client's scopes; all of them when absent.
    pub scope: Option<String>,
}

fn oauth(error: ErrorCode, detail: &str) -> ApiError {
    ApiError::OAuth { error, detail: detail.to_owned() }
}

/// `Authorization: Basic base64(client_id:client_secret)`, per RFC 6749 §2.3.1.
fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let (id, secret) = std::str::from_utf8(&decoded).ok()?.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// OAuth2 client credentials grant (RFC 6749 §4.4): an access token for an external system.
///
/// Form-encoded. Errors are problem documents whose `error` member is the RFC 6749 §5.2 code.
#[utoipa::path(
    tag = "auth",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "An access token", body = ClientTokenResponse),
        (status = 400, description = "`invalid_request`, `unsupported_grant_type` or `invalid_scope`", body = Problem),
        (status = 401, description = "`invalid_client`: unknown client, wrong secret, or revoked", body = Problem),
        (status = 429, description = "Too many requests for this client", body = Problem),
    )
)]
#[post("/auth/token")]
pub async fn token(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> ApiResult<HttpResponse> {
    super::routes::limit_signin(&req, &state)?;
    let asked = token_request(&req, &body)?;
    state.limiter().check(&format!("token:{}", asked.client_id), 30).map_err(|retry_after_secs| {
        ApiError::TooManyRequests {
            code: ErrorCode::RateLimited,
            detail: "too many token requests for this client".into(),
            retry_after_secs,
        }
    })?;
    let ttl = state.identity().access_token_seconds;
    let key = state.token_key().bytes().to_vec();
    let ip = req.peer_addr().map(|a| a.ip().to_string());
    // A refused client is audited: the refusal is committed, then answered.
    let response = state.write(move |conn| issue_token(conn, asked, ttl, &key, ip)).await??;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(response))
}

/// A token request's client, secret and requested scope: from a form (RFC 6749 §4.4.2), the credentials either
/// in it or as HTTP Basic (§2.3.1), not both.
struct AskedToken {
    client_id: String,
    secret: String,
    scope: Option<String>,
}

fn token_request(req: &HttpRequest, body: &[u8]) -> ApiResult<AskedToken> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !content_type.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded") {
        return Err(ApiError::UnsupportedMediaType { expected: "application/x-www-form-urlencoded" });
    }
    let form: TokenRequest = serde_urlencoded::from_bytes(body)
        .map_err(|_| oauth(ErrorCode::InvalidRequest, "the body is not a valid form"))?;
    if form.grant_type.as_deref() != Some("client_credentials") {
        return Err(oauth(ErrorCode::UnsupportedGrantType, "only grant_type=client_credentials is supported"));
    }
    let (client_id, secret) = match (basic_credentials(req), form.client_id, form.client_secret) {
        (Some(basic), None, None) => basic,
        (None, Some(id), Some(secret)) => (id, secret),
        _ => {
            return Err(oauth(
                ErrorCode::InvalidRequest,
                "give the client credentials once: in the Authorization header or in the form",
            ))
        }
    };
    // Checked before the id reaches a limiter, a log or the audit trail: it comes from anyone.
    if !plausible_client_id(&client_id) || secret.len() > 256 {
        return Err(oauth(ErrorCode::InvalidRequest, "client_id is 1 to 64 letters, digits, `-`, `_` or `.`"));
    }
    Ok(AskedToken { client_id, secret, scope: form.scope })
}

/// Whether `client_id` could be one the platform issued: 1 to 64 letters, digits, `-`, `_` or `.`.
fn plausible_client_id(client_id: &str) -> bool {
    (1..=64).contains(&client_id.len())
        && client_id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Checks the client's credentials and the scope it asks for and signs its token; run in a write transaction, with
/// a refused client's attempt audited and answered inside `Ok`.
fn issue_token(
    conn: &mut Db,
    asked: AskedToken,
    ttl: i64,
    key: &[u8],
    ip: Option<String>,
) -> ApiResult<ApiResult<ClientTokenResponse>> {
    let row: Option<ClientRow> = api_clients::table
        .filter(api_clients::client_id.eq(&asked.client_id))
        .select(ClientRow::as_select())
        .first(conn)
        .optional()?;
    let presented = tokens::refresh_token_hash(&asked.secret);
    let Some(client) =
        row.filter(|c| c.active && tokens::constant_time_eq(c.secret_hash.as_bytes(), presented.as_bytes()))
    else {
        audit::append(
            conn,
            EventFields::new(&Actor::Anonymous, AuditAction::AuthToken, Outcome::Failure)
                .target(TargetKind::ClientId, &asked.client_id)
                .ip(ip),
        )?;
        return Ok(Err(oauth(ErrorCode::InvalidClient, "unknown client, wrong secret, or revoked client")));
    };
    let granted: Vec<&str> = client.scopes.split_whitespace().collect();
    let scope = match asked.scope.as_deref().map(str::split_whitespace) {
        None => granted.join(" "),
        Some(wanted) => {
            let wanted: Vec<&str> = wanted.collect();
            if wanted.is_empty() || wanted.iter().any(|s| !granted.contains(s)) {
                return Err(oauth(ErrorCode::InvalidScope, "the requested scope exceeds what this client was granted"));
            }
            wanted.join(" ")
        }
    };
    let claims = tokens::Claims::for_client(&client.id, &scope, chrono::Utc::now(), ttl);
    let access_token = tokens::sign(&claims, key).map_err(ApiError::internal)?;
    audit::append(
        conn,
        EventFields::new(&Actor::Client(client.id.clone()), AuditAction::AuthToken, Outcome::Success)
            .ip(ip)
            .detail(scope.clone()),
    )?;
    Ok(Ok(ClientTokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: claims.exp - claims.iat,
        scope,
    }))
}

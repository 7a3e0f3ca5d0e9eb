//! HTTP endpoints for signing in and out, refreshing tokens, changing the password and reading who one is.

use super::principal::PendingPrincipal;
use super::session::{self, Issued, SessionContext};
use crate::error::{ApiError, ApiResult};
use crate::http::ValidJson;
use crate::state::AppState;
use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use credit_types::identity::{ChangePasswordRequest, LoginRequest, Me, TokenResponse};
use credit_types::ErrorCode;
use credit_types::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

/// The refresh token's cookie: HttpOnly (no script reads it), SameSite=Strict, sent only to the auth endpoints.
pub const REFRESH_COOKIE: &str = "credit_refresh";
const COOKIE_PATH: &str = "/api/v1/auth";

pub fn configure(config: &mut ServiceConfig) {
    config.service(login).service(refresh).service(logout).service(change_password).service(me);
}

fn context(state: &AppState, req: &HttpRequest) -> SessionContext {
    SessionContext {
        settings: state.identity().clone(),
        key: state.token_key().bytes().to_vec(),
        ip: Some(crate::http::visitor::client_address(req, &state.records().trusted_proxies)).filter(|a| !a.is_empty()),
        user_agent: req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    }
}

fn with_cookie(state: &AppState, issued: Issued) -> HttpResponse {
    let cookie = Cookie::build(REFRESH_COOKIE, issued.refresh_token)
        .path(COOKIE_PATH)
        .http_only(true)
        .secure(state.identity().cookie_secure)
        .same_site(SameSite::Strict)
        .max_age(time::Duration::hours(state.identity().session_max_hours))
        .finish();
    HttpResponse::Ok().cookie(cookie).json(issued.response)
}

fn cleared_cookie(state: &AppState) -> Cookie<'static> {
    let mut cookie = Cookie::build(REFRESH_COOKIE, "")
        .path(COOKIE_PATH)
        .http_only(true)
        .secure(state.identity().cookie_secure)
        .same_site(SameSite::Strict)
        .finish();
    cookie.make_removal();
    cookie
}

/// Sign in with login name and password.
///
/// Answers an access token (at most 15 minutes) and sets the refresh token as an HttpOnly cookie. Every failure
/// answers the same 401 `invalid_credentials`; five failures within 15 minutes lock the login name for 15
/// minutes (429 `account_locked` with `Retry-After`).
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; `user.must_change_password` says whether the password must be changed first", body = TokenResponse),
        (status = 401, description = "Wrong login name or password (one answer for both)", body = Problem),
        (status = 422, description = "Missing fields", body = Problem),
        (status = 429, description = "Locked after repeated failures", body = Problem),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidJson<LoginRequest>,
) -> ApiResult<HttpResponse> {
    limit_signin(&req, &state)?;
    let ValidJson(request) = body;
    let ctx = context(&state, &req);
    let issued = session::login(&state, request, ctx).await?;
    Ok(with_cookie(&state, issued))
}

/// Exchange the refresh-token cookie for new tokens.
///
/// The refresh token is replaced on every use; presenting a replaced one closes the whole session. A session
/// idle for longer than the configured time ends.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "New tokens; the cookie is replaced", body = TokenResponse),
        (status = 401, description = "No session, or it ended, expired or was closed for reuse", body = Problem),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let token = req
        .cookie(REFRESH_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::unauthorized(ErrorCode::SessionEnded, "no session: sign in first"))?;
    let ctx = context(&state, &req);
    match state.write(move |conn| session::refresh(conn, &token, &ctx)).await.and_then(|refreshed| refreshed) {
        Ok(issued) => Ok(with_cookie(&state, issued)),
        Err(error) => {
            let mut response = actix_web::ResponseError::error_response(&error);
            let _ = response.add_cookie(&cleared_cookie(&state));
            Ok(response)
        }
    }
}

/// Sign out: the session's tokens stop working at once.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out; the cookie is cleared"),
        (status = 401, description = "Not signed in", body = Problem),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    principal: PendingPrincipal,
) -> ApiResult<HttpResponse> {
    let PendingPrincipal(principal) = principal;
    let ctx = context(&state, &req);
    state.write(move |conn| session::logout(conn, &principal, &ctx)).await?;
    Ok(HttpResponse::NoContent().cookie(cleared_cookie(&state)).finish())
}

/// Change one's password.
///
/// Required before anything else after signing in with a one-time password, or when the password is older than
/// the maximum age. Each broken rule comes back as a field error on `new_password` with its own code. Other
/// sessions end; the answer carries fresh tokens.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 200, description = "Changed; new tokens", body = TokenResponse),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 422, description = "Wrong current password, or the new one breaks a rule: `password_too_short`, `password_too_few_classes`, `password_contains_login_name`, `password_common`, `password_reused`", body = Problem),
    )
)]
#[post("/auth/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    principal: PendingPrincipal,
    body: ValidJson<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    limit_signin(&req, &state)?;
    let PendingPrincipal(principal) = principal;
    let ValidJson(request) = body;
    let ctx = context(&state, &req);
    let issued = session::change_password(&state, principal, request, ctx).await?;
    Ok(with_cookie(&state, issued))
}

/// Who am I: the signed-in user, organisation, level, region and roles.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in user", body = Me),
        (status = 401, description = "Not signed in", body = Problem),
    )
)]
#[get("/auth/me")]
pub async fn me(principal: PendingPrincipal) -> web::Json<Me> {
    web::Json(principal.0.me())
}

/// Counts a request that checks a password or a secret against the caller's address (IPv6: its /64), before any
/// database or hashing work: a flood of sign-ins costs the platform nothing but this count.
pub fn limit_signin(req: &HttpRequest, state: &AppState) -> ApiResult<()> {
    let limit = state.identity().signin_per_address_per_minute;
    crate::http::visitor::limit_address(req, state, "signin", limit, std::time::Duration::from_secs(60)).map_err(
        |retry_after_secs| ApiError::TooManyRequests {
            code: ErrorCode::RateLimited,
            detail: format!("at most {limit} sign-in requests per minute from one address; try again shortly"),
            retry_after_secs,
        },
    )
}

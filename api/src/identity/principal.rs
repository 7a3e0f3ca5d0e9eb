//! The caller: one `Principal` type for users (and, with API clients, external systems), received by every
//! handler through an extractor, plus the role checks. The who-sees-what rule for records builds
//! on the organisation, level, region and roles carried here.

use super::{rules, store, tokens};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use credit_types::identity::{Me, Role};
use credit_types::ErrorCode;
use credit_types::RegionLevel;
use futures_util::future::LocalBoxFuture;

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    User {
        id: String,
        login_name: String,
        full_name: String,
    },
    /// An external system: `id` is the client's row id, `client_id` its public identifier.
    Client {
        id: String,
        client_id: String,
        name: String,
    },
}

/// An authenticated caller, re-checked against the database on every request.
#[derive(Debug, Clone)]
pub struct Principal {
    pub subject: Subject,
    pub organisation_id: String,
    pub organisation_name: String,
    pub level: RegionLevel,
    pub region_code: String,
    pub roles: Vec<Role>,
    /// Whether the organisation is a government unit; a credit service agency alone is not, and shared
    /// (政务共享) information is for government units only.
    pub government_unit: bool,
    /// What an API client may do; empty for users, whose roles decide.
    pub scopes: Vec<String>,
    /// The session (refresh-token family) the access token belongs to.
    pub session_id: String,
    /// First sign-in with a one-time password, or a password past its maximum age.
    pub password_change_required: bool,
}

impl Principal {
    /// The id of the user or client.
    pub fn user_id(&self) -> &str {
        match &self.subject {
            Subject::User { id, .. } | Subject::Client { id, .. } => id,
        }
    }

    /// The caller as the audit trail names it.
    pub fn actor(&self) -> crate::audit::Actor {
        match &self.subject {
            Subject::User { id, .. } => crate::audit::Actor::User(id.clone()),
            Subject::Client { id, .. } => crate::audit::Actor::Client(id.clone()),
        }
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// 403 unless the caller holds one of `roles`.
    pub fn require_any_role(&self, roles: &[Role]) -> ApiResult<()> {
        if roles.iter().any(|r| self.has_role(*r)) {
            return Ok(());
        }
        let names: Vec<&str> = roles.iter().map(|r| r.label()).collect();
        Err(ApiError::forbidden(ErrorCode::Forbidden, format!("this needs the role {}", names.join(" or "))))
    }

    pub fn me(&self) -> Me {
        let (id, login_name, full_name) = match &self.subject {
            Subject::User { id, login_name, full_name } => (id, login_name, full_name),
            Subject::Client { id, client_id, name } => (id, client_id, name),
        };
        Me {
            id: id.clone(),
            login_name: login_name.clone(),
            full_name: full_name.clone(),
            organisation_id: self.organisation_id.clone(),
            organisation_name: self.organisation_name.clone(),
            level: self.level,
            region_code: self.region_code.clone(),
            roles: self.roles.clone(),
            must_change_password: self.password_change_required,
        }
    }
}

/// A principal that may still owe a password change: only for signing out, reading `me` and changing the password.
pub struct PendingPrincipal(pub Principal);

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let pending = PendingPrincipal::extract(req);
        Box::pin(async move {
            let PendingPrincipal(principal) = pending.await?;
            if principal.password_change_required {
                return Err(ApiError::forbidden(
                    ErrorCode::PasswordChangeRequired,
                    "change your password first: it is a one-time password, older than the maximum age or a published demo password",
                ));
            }
            Ok(principal)
        })
    }
}

impl FromRequest for PendingPrincipal {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let client_scopes = req.app_data::<web::Data<super::scopes::ClientScopes>>().cloned();
        let operation = (req.method().to_string(), req.match_pattern());
        let bearer = bearer_token(req);
        let address = state
            .as_ref()
            .map(|state| crate::http::visitor::client_address(req, &state.records().trusted_proxies))
            .filter(|a| !a.is_empty());
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("AppState missing"))?;
            let token = bearer?;
            let claims = tokens::verify(&token, state.token_key().bytes()).map_err(|_| {
                ApiError::unauthorized(ErrorCode::InvalidToken, "the access token is invalid or has expired")
            })?;
            if claims.is_client() {
                let (principal, limit) = state
                    .read(move |conn| super::clients::principal_for(conn, &claims.sub, claims.scope.as_deref()))
                    .await?;
                let client_scopes = client_scopes.ok_or_else(|| ApiError::internal("ClientScopes missing"))?;
                client_scopes.check(&operation.0, operation.1.as_deref(), &principal.scopes)?;
                state.limiter().check(principal.user_id(), limit).map_err(|retry_after_secs| {
                    ApiError::TooManyRequests {
                        code: ErrorCode::RateLimited,
                        detail: format!("this client's limit of {limit} requests per minute is reached"),
                        retry_after_secs,
                    }
                })?;
                return Ok(PendingPrincipal(principal));
            }
            let settings = state.identity().clone();
            let (principal, last_use) = state
                .read(move |conn| {
                    let principal = principal_for(conn, &claims, &settings)?;
                    let last_use = super::sessions::last_use(conn, &principal.session_id)?;
                    Ok((principal, last_use))
                })
                .await?;
            note_use(&state, &principal.session_id, &last_use, address).await;
            Ok(PendingPrincipal(principal))
        })
    }
}

/// Notes the session's use for the sessions overview: at most once a minute, or when the address changed.
/// A failure to note it is logged and does not fail the request.
async fn note_use(
    state: &AppState,
    session_id: &str,
    last_use: &Option<(chrono::NaiveDateTime, Option<String>)>,
    address: Option<String>,
) {
    let now = chrono::Utc::now().naive_utc();
    if !super::sessions::needs_touch(last_use, now, address.as_deref()) {
        return;
    }
    let id = session_id.to_owned();
    if let Err(error) = state.write(move |conn| Ok(super::sessions::touch(conn, &id, now, address.as_deref())?)).await {
        tracing::warn!(%error, "noting a session's use failed");
    }
}

fn bearer_token(req: &HttpRequest) -> ApiResult<String> {
    let value = req.headers().get(header::AUTHORIZATION).ok_or_else(|| {
        ApiError::unauthorized(ErrorCode::Unauthenticated, "sign in first: send `Authorization: Bearer <access token>`")
    })?;
    let value = value.to_str().unwrap_or("");
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => {
            Ok(token.trim().to_owned())
        }
        _ => Err(ApiError::unauthorized(
            ErrorCode::InvalidToken,
            "the Authorization header must be `Bearer <access token>`",
        )),
    }
}

/// The checks behind every authenticated request: account and organisation active, account not expired, token
/// version current (a password change or deactivation voids older tokens), session still open.
fn principal_for(
    conn: &mut crate::db::Db,
    claims: &tokens::Claims,
    settings: &crate::config::IdentitySettings,
) -> ApiResult<Principal> {
    let revoked =
        || ApiError::unauthorized(ErrorCode::InvalidToken, "the access token is no longer valid: sign in again");
    let account = store::load_account(conn, &claims.sub)?.ok_or_else(revoked)?;
    let now = chrono::Utc::now().naive_utc();
    if !account.user.active
        || !account.organisation.active
        || rules::account_expired(account.user.expires_on, now.date())
    {
        return Err(ApiError::unauthorized(ErrorCode::AccountInactive, "this account is deactivated or expired"));
    }
    if account.user.token_version != claims.ver {
        return Err(revoked());
    }
    if store::live_session_token(conn, &claims.sid, now)?.is_none() {
        return Err(ApiError::unauthorized(ErrorCode::SessionEnded, "the session has ended: sign in again"));
    }
    let password_change_required = rules::password_change_required(
        account.user.must_change_password,
        account.user.password_changed_at,
        now,
        settings.password_max_age_days,
        account.user.on_demo_password(),
        settings.demo,
    );
    let government_unit = rules::is_government_unit(&store::organisation_kinds(conn, &account.organisation.id)?);
    Ok(Principal {
        subject: Subject::User {
            id: account.user.id,
            login_name: account.user.login_name,
            full_name: account.user.full_name,
        },
        organisation_id: account.organisation.id,
        organisation_name: account.organisation.name,
        level: account.level,
        region_code: account.organisation.region_code,
        roles: account.roles,
        government_unit,
        scopes: Vec::new(),
        session_id: claims.sid.clone(),
        password_change_required,
    })
}

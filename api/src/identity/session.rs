//! Sign-in, token refresh, sign-out and password change, each recorded in
//! the audit trail in the same transaction as its effect.

use super::principal::Principal;
use super::store::{self, Account};
use super::{password, rules, tokens};
use crate::audit::{self, Actor, EventFields, Outcome};
use crate::config::IdentitySettings;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use chrono::{Duration, NaiveDateTime, Utc};
use credit_types::identity::{ChangePasswordRequest, LoginRequest, Me, TokenResponse};
use credit_types::FieldError;

/// What a request brings besides its body.
pub struct SessionContext {
    pub settings: IdentitySettings,
    pub key: Vec<u8>,
    pub ip: Option<String>,
}

/// Tokens for the client: the access token goes in the body, the refresh token in an HttpOnly cookie.
pub struct Issued {
    pub response: TokenResponse,
    pub refresh_token: String,
}

fn now() -> NaiveDateTime {
    audit::chain::to_micros(Utc::now().naive_utc())
}

/// The one answer to every failed sign-in, whatever failed, so nobody learns which login names exist.
fn invalid_credentials() -> ApiError {
    ApiError::unauthorized("invalid_credentials", "登录名或密码错误")
}

fn locked(until: NaiveDateTime, now: NaiveDateTime) -> ApiError {
    let seconds = (until - now).num_seconds().max(1) as u64;
    ApiError::TooManyRequests {
        code: "account_locked",
        detail: format!("连续登录失败次数过多,请 {} 分钟后再试", seconds.div_ceil(60)),
        retry_after_secs: seconds,
    }
}

fn event(actor: &Actor, action: &str, outcome: Outcome, ctx: &SessionContext) -> EventFields {
    EventFields::new(actor, action, outcome).ip(ctx.ip.clone())
}

/// Signs a user in with login name and password.
pub fn login(conn: &mut Db, request: &LoginRequest, ctx: &SessionContext) -> ApiResult<Issued> {
    let login_name = request.login_name.trim().to_lowercase();
    let now = now();
    let failures = store::failures_since(conn, &login_name, rules::failure_window_start(now))?;
    if let Some(until) = rules::locked_until(&failures, now) {
        audit::append(
            conn,
            event(&Actor::Anonymous, "auth.login", Outcome::Denied, ctx)
                .target("login_name", &login_name)
                .detail("locked"),
        )?;
        return Err(locked(until, now));
    }
    let account = match store::find_user_id_by_login(conn, &login_name)? {
        Some(id) => store::load_account(conn, &id)?,
        None => None,
    };
    // Unknown names are checked against a dummy hash so that they take as long as known ones.
    let stored = account.as_ref().map_or(password::dummy_hash(), |a| a.user.password_hash.as_str());
    let password_ok = password::verify(&request.password, stored);
    let usable = account
        .as_ref()
        .filter(|a| a.user.active && a.organisation.active && !rules::account_expired(a.user.expires_on, now.date()));
    let Some(account) = usable.filter(|_| password_ok) else {
        let reason = match (&account, password_ok) {
            (None, _) => "unknown login name",
            (Some(_), false) => "wrong password",
            (Some(_), true) => "account deactivated or expired",
        };
        crate::db::write_transaction::<_, ApiError, _>(conn, |conn| {
            store::record_failure(conn, &login_name, now)?;
            audit::append(
                conn,
                event(&Actor::Anonymous, "auth.login", Outcome::Failure, ctx)
                    .target("login_name", &login_name)
                    .detail(reason),
            )?;
            let mut failures = failures.clone();
            failures.push(now);
            if rules::locked_until(&failures, now).is_some() {
                audit::append(
                    conn,
                    event(&Actor::System, "auth.lockout", Outcome::Success, ctx).target("login_name", &login_name),
                )?;
            }
            Ok(())
        })?;
        return Err(invalid_credentials());
    };
    crate::db::write_transaction(conn, |conn| {
        store::clear_failures(conn, &login_name)?;
        store::record_login(conn, &account.user.id, now)?;
        let issued = start_session(conn, account, ctx, now)?;
        audit::append(conn, event(&Actor::User(account.user.id.clone()), "auth.login", Outcome::Success, ctx))?;
        Ok(issued)
    })
}

/// Opens a session (a new refresh-token family) and issues its first tokens.
fn start_session(conn: &mut Db, account: &Account, ctx: &SessionContext, now: NaiveDateTime) -> ApiResult<Issued> {
    let family = store::new_id();
    issue(conn, account, &family, ctx, now)
}

fn issue(
    conn: &mut Db,
    account: &Account,
    family: &str,
    ctx: &SessionContext,
    now: NaiveDateTime,
) -> ApiResult<Issued> {
    let refresh_token = tokens::new_refresh_token().map_err(ApiError::internal)?;
    let session_end = match store::live_session_token(conn, family, now)? {
        Some(current) => current.expires_at,
        None => now + Duration::hours(ctx.settings.session_max_hours),
    };
    store::insert_refresh(
        conn,
        &account.user.id,
        family,
        &tokens::refresh_token_hash(&refresh_token),
        now,
        session_end,
    )?;
    let claims = tokens::Claims::new(
        &account.user.id,
        account.user.token_version,
        family,
        now.and_utc(),
        ctx.settings.access_token_seconds,
    );
    let access_token = tokens::sign(&claims, &ctx.key).map_err(ApiError::internal)?;
    let must_change = rules::password_change_required(
        account.user.must_change_password,
        account.user.password_changed_at,
        now,
        ctx.settings.password_max_age_days,
        account.user.on_demo_password(),
        ctx.settings.demo,
    );
    let user = Me {
        id: account.user.id.clone(),
        login_name: account.user.login_name.clone(),
        full_name: account.user.full_name.clone(),
        organisation_id: account.organisation.id.clone(),
        organisation_name: account.organisation.name.clone(),
        level: account.level,
        region_code: account.organisation.region_code.clone(),
        roles: account.roles.clone(),
        must_change_password: must_change,
    };
    Ok(Issued {
        response: TokenResponse {
            access_token,
            token_type: "Bearer".into(),
            expires_in: claims.exp - claims.iat,
            user,
        },
        refresh_token,
    })
}

/// Exchanges a refresh token for new tokens. Each token works once: presenting a replaced one means it was
/// copied, so the whole session is revoked.
pub fn refresh(conn: &mut Db, refresh_token: &str, ctx: &SessionContext) -> ApiResult<Issued> {
    let now = now();
    let hash = tokens::refresh_token_hash(refresh_token);
    // Revocations must be committed even though the request fails, hence the outcome inside Ok.
    let outcome: Result<Issued, ApiError> = crate::db::write_transaction::<_, ApiError, _>(conn, |conn| {
        let ended = || ApiError::unauthorized("session_ended", "the session has ended: sign in again");
        let Some(token) = store::find_refresh(conn, &hash)? else {
            return Ok(Err(ended()));
        };
        let actor = Actor::User(token.user_id.clone());
        if token.revoked_at.is_some() || token.expires_at <= now {
            return Ok(Err(ended()));
        }
        if token.replaced_at.is_some() || !store::mark_replaced(conn, &token.id, now)? {
            store::revoke_family(conn, &token.family_id, now, "refresh token reused")?;
            audit::append(
                conn,
                event(&actor, "auth.refresh_reuse", Outcome::Denied, ctx).target("session", &token.family_id),
            )?;
            return Ok(Err(ApiError::unauthorized(
                "refresh_token_reused",
                "this refresh token was already used: the session is closed",
            )));
        }
        if rules::session_idle(token.created_at, now, ctx.settings.session_idle_minutes) {
            store::revoke_family(conn, &token.family_id, now, "idle")?;
            audit::append(
                conn,
                event(&actor, "auth.session_idle", Outcome::Success, ctx).target("session", &token.family_id),
            )?;
            return Ok(Err(ApiError::unauthorized(
                "session_expired",
                "the session expired after inactivity: sign in again",
            )));
        }
        let account = store::load_account(conn, &token.user_id)?.filter(|a| {
            a.user.active && a.organisation.active && !rules::account_expired(a.user.expires_on, now.date())
        });
        let Some(account) = account else {
            store::revoke_family(conn, &token.family_id, now, "account inactive")?;
            return Ok(Err(ApiError::unauthorized("account_inactive", "this account is deactivated or expired")));
        };
        let issued = issue(conn, &account, &token.family_id, ctx, now)?;
        audit::append(conn, event(&actor, "auth.refresh", Outcome::Success, ctx).target("session", &token.family_id))?;
        Ok(Ok(issued))
    })?;
    outcome
}

/// Ends the caller's session: its refresh tokens are revoked, and its access tokens stop working at once.
pub fn logout(conn: &mut Db, principal: &Principal, ctx: &SessionContext) -> ApiResult<()> {
    let now = now();
    crate::db::write_transaction(conn, |conn| {
        store::revoke_family(conn, &principal.session_id, now, "signed out")?;
        audit::append(
            conn,
            event(&Actor::User(principal.user_id().to_owned()), "auth.logout", Outcome::Success, ctx)
                .target("session", &principal.session_id),
        )?;
        Ok(())
    })
}

/// Changes the caller's password. Every other session ends; the caller gets a fresh one.
pub fn change_password(
    conn: &mut Db,
    principal: &Principal,
    request: &ChangePasswordRequest,
    ctx: &SessionContext,
) -> ApiResult<Issued> {
    let now = now();
    let actor = Actor::User(principal.user_id().to_owned());
    let account =
        store::load_account(conn, principal.user_id())?.ok_or_else(|| ApiError::not_found("no such account"))?;
    if !password::verify(&request.current_password, &account.user.password_hash) {
        audit::append(
            conn,
            event(&actor, "auth.password_change", Outcome::Failure, ctx).detail("wrong current password"),
        )?;
        return Err(ApiError::Validation {
            errors: vec![FieldError::new("current_password", "password_incorrect", "当前密码不正确")],
        });
    }
    let mut broken = password::check_policy(&request.new_password, &account.user.login_name);
    let history = store::recent_password_hashes(conn, principal.user_id(), password::HISTORY as i64)?;
    if history.iter().any(|old| password::verify(&request.new_password, old)) {
        broken.push(password::PasswordRule::Reused);
    }
    if !broken.is_empty() {
        let codes: Vec<&str> = broken.iter().map(|r| r.code()).collect();
        audit::append(conn, event(&actor, "auth.password_change", Outcome::Failure, ctx).detail(codes.join(",")))?;
        return Err(ApiError::Validation { errors: broken.iter().map(|r| r.field_error("new_password")).collect() });
    }
    let hash = password::hash(&request.new_password).map_err(ApiError::internal)?;
    crate::db::write_transaction(conn, |conn| {
        store::set_password(conn, principal.user_id(), &hash, now)?;
        store::revoke_user_sessions(conn, principal.user_id(), now, "password changed")?;
        let account =
            store::load_account(conn, principal.user_id())?.ok_or_else(|| ApiError::not_found("no such account"))?;
        let issued = start_session(conn, &account, ctx, now)?;
        audit::append(conn, event(&actor, "auth.password_change", Outcome::Success, ctx))?;
        Ok(issued)
    })
}

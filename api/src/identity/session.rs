//! Sign-in, token refresh, sign-out and password change, each recorded in
//! the audit trail in the same transaction as its effect.

use super::principal::Principal;
use super::store::{self, Account};
use super::{password, rules, tokens};
use crate::audit::{self, Actor, AuditAction, EventFields, Outcome, TargetKind};
use crate::config::IdentitySettings;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use chrono::{Duration, NaiveDateTime, Utc};
use credit_types::identity::{ChangePasswordRequest, LoginRequest, Me, TokenResponse};
use credit_types::ErrorCode;
use credit_types::FieldError;

/// What a request brings besides its body.
#[derive(Clone)]
pub struct SessionContext {
    pub settings: IdentitySettings,
    pub key: Vec<u8>,
    /// The client's address (behind a trusted reverse proxy, the visitor's).
    pub ip: Option<String>,
    /// The browser's `User-Agent`, kept with a new session for the sessions overview.
    pub user_agent: Option<String>,
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
    ApiError::unauthorized(ErrorCode::InvalidCredentials, "登录名或密码错误")
}

fn locked(until: NaiveDateTime, now: NaiveDateTime) -> ApiError {
    let seconds = (until - now).num_seconds().max(1) as u64;
    ApiError::TooManyRequests {
        code: ErrorCode::AccountLocked,
        detail: format!("连续登录失败次数过多,请 {} 分钟后再试", seconds.div_ceil(60)),
        retry_after_secs: seconds,
    }
}

fn event(actor: &Actor, action: AuditAction, outcome: Outcome, ctx: &SessionContext) -> EventFields {
    EventFields::new(actor, action, outcome).ip(ctx.ip.clone())
}

/// Signs a user in with login name and password: reserve the attempt (refused while the name is locked;
/// counted as a failure until it succeeds, so parallel attempts cannot outrun the lockout), check the password off
/// the database connection (it is deliberately slow), then either record the failure's audit event or open a
/// session. The caller has counted the request against its address first.
pub async fn login(state: &AppState, request: LoginRequest, ctx: SessionContext) -> ApiResult<Issued> {
    let login_name = request.login_name.trim().to_lowercase();
    let now = now();
    let name = login_name.clone();
    let reserving = ctx.clone();
    let failures = state.write(move |conn| reserve_attempt(conn, &name, &reserving, now)).await??;
    let name = login_name.clone();
    let account = state
        .read(move |conn| match store::find_user_id_by_login(conn, &name)? {
            Some(id) => Ok(store::load_account(conn, &id)?),
            None => Ok(None),
        })
        .await?;
    let (account, password_ok) = actix_web::web::block(move || {
        // Unknown names are checked against a dummy hash so that they take as long as known ones.
        let stored = account.as_ref().map_or(password::dummy_hash(), |a| a.user.password_hash.as_str());
        let password_ok = password::verify(&request.password, stored);
        (account, password_ok)
    })
    .await?;
    let usable = account
        .as_ref()
        .filter(|a| a.user.active && a.organisation.active && !rules::account_expired(a.user.expires_on, now.date()));
    match usable.filter(|_| password_ok) {
        Some(account) => {
            let account = account.clone();
            state.write(move |conn| open_session(conn, &login_name, &account, &ctx, now)).await
        }
        None => {
            let reason = match (&account, password_ok) {
                (None, _) => "unknown login name",
                (Some(_), false) => "wrong password",
                (Some(_), true) => "account deactivated or expired",
            };
            let target = attempted(&login_name, account.as_ref());
            state.write(move |conn| record_failed_login(conn, target, failures, reason, &ctx)).await?;
            Err(invalid_credentials())
        }
    }
}

/// Reserves one attempt for `login_name`: while the name is locked, the refusal is audited and answered
/// (inside `Ok`, so that it commits); otherwise the attempt is counted as a failure now — a success clears it — and
/// the failures so far come back. Attempts on one name take turns, so no more than the threshold ever get to try.
fn reserve_attempt(
    conn: &mut Db,
    login_name: &str,
    ctx: &SessionContext,
    now: NaiveDateTime,
) -> ApiResult<Result<Vec<NaiveDateTime>, ApiError>> {
    store::serialise_attempts(conn, login_name)?;
    let mut failures = store::failures_since(conn, login_name, rules::failure_window_start(now))?;
    if let Some(until) = rules::locked_until(&failures, now) {
        let (kind, id) = attempted(login_name, None);
        audit::append(
            conn,
            event(&Actor::Anonymous, AuditAction::AuthLogin, Outcome::Denied, ctx).target(kind, id).detail("locked"),
        )?;
        return Ok(Err(locked(until, now)));
    }
    store::record_failure(conn, login_name, now)?;
    failures.push(now);
    Ok(Ok(failures))
}

/// The target of a failed sign-in's audit event: the account when the name is one (it names nobody new), else the
/// name typed, shortened and masked — it is often a password typed into the wrong field.
fn attempted(login_name: &str, account: Option<&Account>) -> (TargetKind, String) {
    match account {
        Some(account) => (TargetKind::User, account.user.id.clone()),
        None => (TargetKind::LoginName, mask_typed_name(login_name)),
    }
}

/// A name as typed, kept only as its first two characters and a fixed mask.
fn mask_typed_name(login_name: &str) -> String {
    let kept: String = login_name.chars().take(2).collect();
    format!("{kept}***")
}

/// Audits a failed sign-in (already counted by its reservation), and the lockout it brings about.
fn record_failed_login(
    conn: &mut Db,
    (kind, id): (TargetKind, String),
    failures: Vec<NaiveDateTime>,
    reason: &str,
    ctx: &SessionContext,
) -> ApiResult<()> {
    audit::append(
        conn,
        event(&Actor::Anonymous, AuditAction::AuthLogin, Outcome::Failure, ctx).target(kind, &id).detail(reason),
    )?;
    let now = failures.last().copied().unwrap_or_else(now);
    if rules::locked_until(&failures, now).is_some() {
        audit::append(conn, event(&Actor::System, AuditAction::AuthLockout, Outcome::Success, ctx).target(kind, id))?;
    }
    Ok(())
}

/// A successful sign-in: the failures are forgotten and a session opens.
fn open_session(
    conn: &mut Db,
    login_name: &str,
    account: &Account,
    ctx: &SessionContext,
    now: NaiveDateTime,
) -> ApiResult<Issued> {
    store::clear_failures(conn, login_name)?;
    store::record_login(conn, &account.user.id, now)?;
    let issued = start_session(conn, account, ctx, now)?;
    audit::append(conn, event(&Actor::User(account.user.id.clone()), AuditAction::AuthLogin, Outcome::Success, ctx))?;
    Ok(issued)
}

/// Opens a session (a new refresh-token family), notes where and with what it was opened, and issues its
/// first tokens.
fn start_session(conn: &mut Db, account: &Account, ctx: &SessionContext, now: NaiveDateTime) -> ApiResult<Issued> {
    let family = crate::db::new_id();
    super::sessions::insert(conn, &family, &account.user.id, now, ctx.ip.as_deref(), ctx.user_agent.as_deref())?;
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
/// copied, so the whole session is revoked. Run in a write transaction; revocations must be committed even though
/// the request fails, hence a refusal comes back inside `Ok`.
pub fn refresh(conn: &mut Db, refresh_token: &str, ctx: &SessionContext) -> ApiResult<Result<Issued, ApiError>> {
    let now = now();
    let hash = tokens::refresh_token_hash(refresh_token);
    {
        let ended = || ApiError::unauthorized(ErrorCode::SessionEnded, "the session has ended: sign in again");
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
                event(&actor, AuditAction::AuthRefreshReuse, Outcome::Denied, ctx)
                    .target(TargetKind::Session, &token.family_id),
            )?;
            return Ok(Err(ApiError::unauthorized(
                ErrorCode::RefreshTokenReused,
                "this refresh token was already used: the session is closed",
            )));
        }
        if rules::session_idle(token.created_at, now, ctx.settings.session_idle_minutes) {
            store::revoke_family(conn, &token.family_id, now, "idle")?;
            audit::append(
                conn,
                event(&actor, AuditAction::AuthSessionIdle, Outcome::Success, ctx)
                    .target(TargetKind::Session, &token.family_id),
            )?;
            return Ok(Err(ApiError::unauthorized(
                ErrorCode::SessionExpired,
                "the session expired after inactivity: sign in again",
            )));
        }
        let account = store::load_account(conn, &token.user_id)?.filter(|a| {
            a.user.active && a.organisation.active && !rules::account_expired(a.user.expires_on, now.date())
        });
        let Some(account) = account else {
            store::revoke_family(conn, &token.family_id, now, "account inactive")?;
            return Ok(Err(ApiError::unauthorized(
                ErrorCode::AccountInactive,
                "this account is deactivated or expired",
            )));
        };
        let issued = issue(conn, &account, &token.family_id, ctx, now)?;
        super::sessions::touch(conn, &token.family_id, now, ctx.ip.as_deref())?;
        audit::append(
            conn,
            event(&actor, AuditAction::AuthRefresh, Outcome::Success, ctx)
                .target(TargetKind::Session, &token.family_id),
        )?;
        Ok(Ok(issued))
    }
}

/// Ends the caller's session: its refresh tokens are revoked, and its access tokens stop working at once.
pub fn logout(conn: &mut Db, principal: &Principal, ctx: &SessionContext) -> ApiResult<()> {
    store::revoke_family(conn, &principal.session_id, now(), "signed out")?;
    audit::append(
        conn,
        event(&Actor::User(principal.user_id().to_owned()), AuditAction::AuthLogout, Outcome::Success, ctx)
            .target(TargetKind::Session, &principal.session_id),
    )?;
    Ok(())
}

/// Changes the caller's password: read the account and its recent passwords, reserve the attempt under the
/// account's login name (a wrong current password counts toward the lockout like a failed sign-in, R-10.7), check
/// the current password and the policy off the database connection, audit a refusal, then store the new hash, end
/// every other session and open a fresh one, in one transaction.
pub async fn change_password(
    state: &AppState,
    principal: Principal,
    request: ChangePasswordRequest,
    ctx: SessionContext,
) -> ApiResult<Issued> {
    let now = now();
    let actor = Actor::User(principal.user_id().to_owned());
    let user_id = principal.user_id().to_owned();
    let (account, history) = state
        .read(move |conn| {
            let account = store::load_account(conn, &user_id)?.ok_or_else(|| ApiError::not_found("no such account"))?;
            let history = store::recent_password_hashes(conn, &user_id, password::HISTORY as i64)?;
            Ok((account, history))
        })
        .await?;
    let login_name = account.user.login_name.clone();
    let (name, reserving) = (login_name.clone(), ctx.clone());
    let failures = state.write(move |conn| reserve_attempt(conn, &name, &reserving, now)).await??;
    let checked = actix_web::web::block(move || check_new_password(&request, &account, &history)).await?;
    let hash = match checked {
        Ok(hash) => hash,
        Err(refusal) => {
            let wrong_password = refusal.wrong_current_password;
            let event = event(&actor, AuditAction::AuthPasswordChange, Outcome::Failure, &ctx).detail(refusal.detail);
            state
                .write(move |conn| {
                    audit::append(conn, event)?;
                    if wrong_password {
                        record_failed_login(
                            conn,
                            (TargetKind::User, user_of(&actor)),
                            failures,
                            "wrong current password",
                            &ctx,
                        )
                    } else {
                        // The current password was right: the attempt counts as no failure.
                        Ok(store::clear_failures(conn, &login_name)?)
                    }
                })
                .await?;
            return Err(refusal.error);
        }
    };
    state
        .write(move |conn| {
            store::clear_failures(conn, &login_name)?;
            store::set_password(conn, principal.user_id(), &hash, now)?;
            store::revoke_user_sessions(conn, principal.user_id(), now, "password changed")?;
            let account = store::load_account(conn, principal.user_id())?
                .ok_or_else(|| ApiError::not_found("no such account"))?;
            let issued = start_session(conn, &account, &ctx, now)?;
            audit::append(conn, event(&actor, AuditAction::AuthPasswordChange, Outcome::Success, &ctx))?;
            Ok(issued)
        })
        .await
}

fn user_of(actor: &Actor) -> String {
    actor.id().unwrap_or_default().to_owned()
}

/// Why a new password is refused: the audit detail and the answer.
struct Refusal {
    wrong_current_password: bool,
    detail: String,
    error: ApiError,
}

/// The new password's hash, or why it is refused: a wrong current password, or the rules of it
/// breaks.
fn check_new_password(
    request: &ChangePasswordRequest,
    account: &Account,
    history: &[String],
) -> Result<String, Refusal> {
    if !password::verify(&request.current_password, &account.user.password_hash) {
        let error = ApiError::Validation {
            errors: vec![FieldError::new("current_password", "password_incorrect", "当前密码不正确")],
        };
        return Err(Refusal { wrong_current_password: true, detail: "wrong current password".to_owned(), error });
    }
    let mut broken = password::check_policy(&request.new_password, &account.user.login_name);
    if history.iter().any(|old| password::verify(&request.new_password, old)) {
        broken.push(password::PasswordRule::Reused);
    }
    if !broken.is_empty() {
        let codes: Vec<&str> = broken.iter().map(|r| r.code()).collect();
        let error = ApiError::Validation { errors: broken.iter().map(|r| r.field_error("new_password")).collect() };
        return Err(Refusal { wrong_current_password: false, detail: codes.join(","), error });
    }
    password::hash(&request.new_password).map_err(|e| Refusal {
        wrong_current_password: false,
        detail: "hashing failed".to_owned(),
        error: ApiError::internal(e),
    })
}

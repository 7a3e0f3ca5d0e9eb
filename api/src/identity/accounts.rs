//! Account management by the account office: register personal accounts with
//! roles that fit their organisation, change roles, reset passwords, unlock, and deactivate with handover.

use super::principal::Principal;
use super::{password, rules, store};
use crate::audit::{self, Actor, AuditAction, EventFields, Outcome, TargetKind};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::http::{cursor, ValidJson, ValidQuery};
use crate::schema::{organisations, user_roles, users};
use crate::state::AppState;
use actix_web::{get, post, put, web, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};
use credit_types::identity::{
    check_role_set, DeactivateRequest, Handover, NewUserRequest, OrganisationKind, Role, SetRolesRequest,
    UpdateUserRequest, User, UserListQuery, UserWithPassword,
};
use credit_types::page::DEFAULT_LIMIT;
use credit_types::ErrorCode;
use credit_types::{FieldError, Page, Problem, RegionLevel};
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(create_user)
        .service(list_users)
        .service(get_user)
        .service(update_user)
        .service(set_roles)
        .service(deactivate)
        .service(reactivate)
        .service(unlock)
        .service(reset_password);
}

fn now() -> NaiveDateTime {
    audit::chain::to_micros(chrono::Utc::now().naive_utc())
}

fn no_user() -> ApiError {
    ApiError::not_found("no such account")
}

/// The account office alone manages accounts.
fn account_office(principal: &Principal) -> ApiResult<Actor> {
    principal.require_any_role(&[Role::AccountAdmin])?;
    Ok(Actor::User(principal.user_id().to_owned()))
}

/// Separated duties, and each role fitting the organisation's kind and level.
fn check_roles(conn: &mut Db, organisation_id: &str, roles: &[Role]) -> ApiResult<()> {
    if let Err(conflict) = check_role_set(roles) {
        return Err(ApiError::Validation {
            errors: vec![FieldError::new("roles", "role_conflict", conflict.message())],
        });
    }
    let (level, kinds) = organisation_profile(conn, organisation_id)?;
    let errors: Vec<FieldError> = roles
        .iter()
        .filter_map(|role| rules::role_misfit(*role, level, &kinds))
        .map(|message| FieldError::new("roles", "role_organisation_mismatch", message))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation { errors })
    }
}

fn organisation_profile(conn: &mut Db, organisation_id: &str) -> ApiResult<(RegionLevel, Vec<OrganisationKind>)> {
    let org: Option<(RegionLevel, bool)> = organisations::table
        .find(organisation_id)
        .select((organisations::level, organisations::active))
        .first(conn)
        .optional()?;
    let Some((level, true)) = org else {
        return Err(ApiError::Validation {
            errors: vec![FieldError::new("organisation_id", "unknown_organisation", "没有这个单位,或该单位已停用")],
        });
    };
    Ok((level, super::store::organisation_kinds(conn, organisation_id)?))
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
struct UserRow {
    id: String,
    organisation_id: String,
    login_name: String,
    full_name: String,
    phone: Option<String>,
    email: Option<String>,
    active: bool,
    must_change_password: bool,
    expires_on: Option<NaiveDate>,
    last_login_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
}

fn to_users(conn: &mut Db, rows: Vec<(UserRow, String)>) -> ApiResult<Vec<User>> {
    let ids: Vec<&str> = rows.iter().map(|(u, _)| u.id.as_str()).collect();
    let roles: Vec<(String, Role)> = user_roles::table
        .filter(user_roles::user_id.eq_any(&ids))
        .select((user_roles::user_id, user_roles::role))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(u, organisation_name)| {
            let mut user_roles: Vec<Role> = roles.iter().filter(|(id, _)| *id == u.id).map(|(_, r)| *r).collect();
            user_roles.sort();
            User {
                id: u.id,
                organisation_id: u.organisation_id,
                organisation_name,
                login_name: u.login_name,
                full_name: u.full_name,
                phone: u.phone,
                email: u.email,
                roles: user_roles,
                active: u.active,
                must_change_password: u.must_change_password,
                expires_on: u.expires_on,
                last_login_at: u.last_login_at.map(|t| t.and_utc()),
                created_at: u.created_at.and_utc(),
            }
        })
        .collect())
}

pub fn load_user(conn: &mut Db, id: &str) -> ApiResult<User> {
    let row = users::table
        .inner_join(organisations::table)
        .filter(users::id.eq(id))
        .select((UserRow::as_select(), organisations::name))
        .first::<(UserRow, String)>(conn)
        .optional()?
        .ok_or_else(no_user)?;
    to_users(conn, vec![row])?.pop().ok_or_else(no_user)
}

/// Register an account (account office only). Answers the one-time password once.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    request_body = NewUserRequest,
    responses(
        (status = 201, description = "Created; the one-time password is shown this once", body = UserWithPassword),
        (status = 403, description = "Not the account office", body = Problem),
        (status = 409, description = "The login name is taken", body = Problem),
        (status = 422, description = "Invalid fields, separated duties combined, or roles that do not fit the organisation", body = Problem),
    )
)]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<NewUserRequest>,
) -> ApiResult<HttpResponse> {
    let actor = account_office(&principal)?;
    let ValidJson(request) = body;
    let one_time_password = password::generate_one_time().map_err(ApiError::internal)?;
    let hash = password::hash(&one_time_password).map_err(ApiError::internal)?;
    let by = principal.user_id().to_owned();
    let user = state
        .write(move |conn| {
            check_roles(conn, &request.organisation_id, &request.roles)?;
            if store::find_user_id_by_login(conn, &request.login_name)?.is_some() {
                return Err(ApiError::Conflict {
                    code: ErrorCode::LoginNameTaken,
                    detail: "this login name is taken".into(),
                    errors: vec![FieldError::new("login_name", "taken", "该登录名已被使用")],
                });
            }
            let new_user = store::NewUser {
                organisation_id: &request.organisation_id,
                login_name: &request.login_name,
                full_name: request.full_name.trim(),
                phone: request.phone.as_deref(),
                email: request.email.as_deref(),
                password_hash: &hash,
                must_change_password: true,
                roles: &request.roles,
            };
            let id = store::insert_user(conn, &new_user, Some(&by), now())?;
            if let Some(expires_on) = request.expires_on {
                diesel::update(users::table.find(&id)).set(users::expires_on.eq(expires_on)).execute(conn)?;
            }
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::AccountCreate, Outcome::Success).target(TargetKind::User, &id),
            )?;
            load_user(conn, &id)
        })
        .await?;
    Ok(HttpResponse::Created().json(UserWithPassword { user, one_time_password }))
}

/// List accounts (account office only), searched and filtered, in creation order.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(UserListQuery),
    responses(
        (status = 200, description = "One page of accounts", body = Page<User>),
        (status = 403, description = "Not the account office", body = Problem),
    )
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<UserListQuery>,
) -> ApiResult<HttpResponse> {
    account_office(&principal)?;
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let after = query.cursor.as_deref().map(|c| cursor::decode(c, 1)).transpose()?.and_then(|mut key| key.pop());
    let items = state
        .read(move |conn| {
            let mut rows = users::table
                .inner_join(organisations::table)
                .select((UserRow::as_select(), organisations::name))
                .order(users::id.asc())
                .limit(i64::from(limit) + 1)
                .into_boxed();
            if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
                let pattern = crate::db::contains_pattern(q);
                rows = rows.filter(
                    users::login_name
                        .like(pattern.clone())
                        .escape('\\')
                        .or(users::full_name.like(pattern).escape('\\')),
                );
            }
            if let Some(org) = query.organisation_id {
                rows = rows.filter(users::organisation_id.eq(org));
            }
            if let Some(role) = query.role {
                let holders = user_roles::table.filter(user_roles::role.eq(role)).select(user_roles::user_id);
                rows = rows.filter(users::id.eq_any(holders));
            }
            if let Some(active) = query.active {
                rows = rows.filter(users::active.eq(active));
            }
            if let Some(after) = after {
                rows = rows.filter(users::id.gt(after));
            }
            let rows: Vec<(UserRow, String)> = rows.load(conn)?;
            to_users(conn, rows)
        })
        .await?;
    Ok(HttpResponse::Ok().json(cursor::page(items, limit, |last| last.id.clone())))
}

/// One account (account office only).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id")),
    responses(
        (status = 200, description = "The account", body = User),
        (status = 403, description = "Not the account office", body = Problem),
        (status = 404, description = "No such account", body = Problem),
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    account_office(&principal)?;
    let id = id.into_inner();
    Ok(HttpResponse::Ok().json(state.read(move |conn| load_user(conn, &id)).await?))
}

/// Correct a person's details or set the account's expiry date (account office only, R-10.3).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id")),
    request_body = UpdateUserRequest,
    responses(
        (status = 200, description = "Updated", body = User),
        (status = 403, description = "Not the account office", body = Problem),
        (status = 404, description = "No such account", body = Problem),
        (status = 422, description = "Invalid fields", body = Problem),
    )
)]
#[put("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: ValidJson<UpdateUserRequest>,
) -> ApiResult<HttpResponse> {
    let actor = account_office(&principal)?;
    let by = principal.user_id().to_owned();
    let id = id.into_inner();
    let ValidJson(request) = body;
    let user = state
        .write(move |conn| {
            load_user(conn, &id)?;
            diesel::update(users::table.find(&id))
                .set((
                    users::full_name.eq(request.full_name.trim()),
                    users::phone.eq(request.phone.as_deref()),
                    users::email.eq(request.email.as_deref()),
                    users::expires_on.eq(request.expires_on),
                    users::updated_at.eq(now()),
                    users::updated_by.eq(Some(&by)),
                ))
                .execute(conn)?;
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::AccountUpdate, Outcome::Success).target(TargetKind::User, &id),
            )?;
            load_user(conn, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(user))
}

/// Replace an account's roles (account office only). Takes effect on the account's next request.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id")),
    request_body = SetRolesRequest,
    responses(
        (status = 200, description = "The account with its new roles", body = User),
        (status = 403, description = "Not the account office", body = Problem),
        (status = 404, description = "No such account", body = Problem),
        (status = 422, description = "Separated duties combined, or roles that do not fit the organisation", body = Problem),
    )
)]
#[put("/users/{id}/roles")]
pub async fn set_roles(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: ValidJson<SetRolesRequest>,
) -> ApiResult<HttpResponse> {
    let actor = account_office(&principal)?;
    let id = id.into_inner();
    let ValidJson(SetRolesRequest { roles }) = body;
    let user = state
        .write(move |conn| {
            let before = load_user(conn, &id)?;
            check_roles(conn, &before.organisation_id, &roles)?;
            diesel::delete(user_roles::table.filter(user_roles::user_id.eq(&id))).execute(conn)?;
            for role in &roles {
                diesel::insert_into(user_roles::table)
                    .values((user_roles::user_id.eq(&id), user_roles::role.eq(role)))
                    .execute(conn)?;
            }
            let names = |rs: &[Role]| rs.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",");
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::AccountRoles, Outcome::Success)
                    .target(TargetKind::User, &id)
                    .detail(format!("{} -> {}", names(&before.roles), names(&roles))),
            )?;
            load_user(conn, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(user))
}

/// Deactivate an account with handover: effective at once; what the person held is listed and
/// open work passes to the successor, a colleague of the same organisation.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id")),
    request_body = DeactivateRequest,
    responses(
        (status = 200, description = "Deactivated; the handover record", body = Handover),
        (status = 403, description = "Not the account office", body = Problem),
        (status = 404, description = "No such account", body = Problem),
        (status = 409, description = "Already deactivated, or one's own account", body = Problem),
        (status = 422, description = "The successor is unknown, inactive or of another organisation", body = Problem),
    )
)]
#[post("/users/{id}/deactivate")]
pub async fn deactivate(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: ValidJson<DeactivateRequest>,
) -> ApiResult<HttpResponse> {
    let actor = account_office(&principal)?;
    let id = id.into_inner();
    let by = principal.user_id().to_owned();
    let ValidJson(request) = body;
    let handover = state.write(move |conn| super::handover::deactivate(conn, &actor, &by, &id, &request)).await?;
    Ok(HttpResponse::Ok().json(handover))
}

fn conflict(code: ErrorCode, detail: &str) -> ApiError {
    ApiError::Conflict { code, detail: detail.into(), errors: Vec::new() }
}

/// Reactivate a deactivated account (account office only, R-9.1).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id")),
    responses(
        (status = 200, description = "Active again", body = User),
        (status = 403, description = "Not the account office", body = Problem),
        (status = 404, description = "No such account", body = Problem),
        (status = 409, description = "The account is active", body = Problem),
    )
)]
#[post("/users/{id}/reactivate")]
pub async fn reactivate(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let actor = account_office(&principal)?;
    let id = id.into_inner();
    let by = principal.user_id().to_owned();
    let user = state
        .write(move |conn| {
            if load_user(conn, &id)?.active {
                return Err(conflict(ErrorCode::AlreadyActive, "this account is active"));
            }
            let at = now();
            diesel::update(users::table.find(&id))
                .set((
                    users::active.eq(true),
                    users::deactivated_at.eq(None::<NaiveDateTime>),
                    users::deactivation_reason.eq(None::<String>),
                    users::updated_at.eq(at),
                    users::updated_by.eq(Some(&by)),
                ))
                .execute(conn)?;
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::AccountReactivate, Outcome::Success)
                    .target(TargetKind::User, &id),
            )?;
            load_user(conn, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(user))
}

/// Lift a sign-in lockout before it runs out (account office only, R-10.7).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id")),
    responses(
        (status = 204, description = "Unlocked"),
        (status = 403, description = "Not the account office", body = Problem),
        (status = 404, description = "No such account", body = Problem),
    )
)]
#[post("/users/{id}/unlock")]
pub async fn unlock(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let actor = account_office(&principal)?;
    let id = id.into_inner();
    state
        .write(move |conn| {
            let user = load_user(conn, &id)?;
            super::store::clear_failures(conn, &user.login_name)?;
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::AccountUnlock, Outcome::Success).target(TargetKind::User, &id),
            )?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Issue a new one-time password (account office only): the person's sessions end and the password must be
/// changed at the next sign-in.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id")),
    responses(
        (status = 200, description = "The new one-time password, shown this once", body = UserWithPassword),
        (status = 403, description = "Not the account office", body = Problem),
        (status = 404, description = "No such account", body = Problem),
    )
)]
#[post("/users/{id}/reset-password")]
pub async fn reset_password(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let actor = account_office(&principal)?;
    let id = id.into_inner();
    let one_time_password = password::generate_one_time().map_err(ApiError::internal)?;
    let hash = password::hash(&one_time_password).map_err(ApiError::internal)?;
    let user = state
        .write(move |conn| {
            load_user(conn, &id)?;
            let at = now();
            store::set_password(conn, &id, &hash, at)?;
            diesel::update(users::table.find(&id)).set(users::must_change_password.eq(true)).execute(conn)?;
            store::revoke_user_sessions(conn, &id, at, "password reset")?;
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::AccountResetPassword, Outcome::Success)
                    .target(TargetKind::User, &id),
            )?;
            load_user(conn, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(UserWithPassword { user, one_time_password }))
}

//! Identity queries: accounts with their organisation and roles, sign-in failures, sessions, password history.

use crate::db::{new_id, Db};
use crate::schema::{
    login_failures, organisation_kinds, organisations, password_history, refresh_tokens, user_roles, users,
};
use chrono::{NaiveDate, NaiveDateTime};
use credit_types::identity::{OrganisationKind, Role};
use credit_types::RegionLevel;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub organisation_id: String,
    pub login_name: String,
    pub full_name: String,
    pub password_hash: String,
    pub password_changed_at: NaiveDateTime,
    pub must_change_password: bool,
    pub active: bool,
    pub expires_on: Option<NaiveDate>,
    pub token_version: i32,
    pub created_at: NaiveDateTime,
    /// Created by `credit-api seed-demo`.
    pub demo: bool,
}

impl UserRow {
    /// A demo account still using the password `seed-demo` published (never changed since it was created).
    pub fn on_demo_password(&self) -> bool {
        self.demo && self.password_changed_at <= self.created_at
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = organisations)]
pub struct OrganisationRow {
    pub id: String,
    pub name: String,
    pub level: RegionLevel,
    pub region_code: String,
    pub active: bool,
}

/// A user with what every permission check needs: the organisation's level and region, and the roles.
#[derive(Debug, Clone)]
pub struct Account {
    pub user: UserRow,
    pub organisation: OrganisationRow,
    pub level: RegionLevel,
    pub roles: Vec<Role>,
}

/// The kinds of an organisation.
pub fn organisation_kinds(conn: &mut Db, organisation_id: &str) -> QueryResult<Vec<OrganisationKind>> {
    organisation_kinds::table
        .filter(organisation_kinds::organisation_id.eq(organisation_id))
        .select(organisation_kinds::kind)
        .load::<OrganisationKind>(conn)
}

pub fn find_user_id_by_login(conn: &mut Db, login_name: &str) -> QueryResult<Option<String>> {
    users::table.filter(users::login_name.eq(login_name)).select(users::id).first(conn).optional()
}

pub fn load_account(conn: &mut Db, user_id: &str) -> QueryResult<Option<Account>> {
    let Some((user, organisation)) = users::table
        .inner_join(organisations::table)
        .filter(users::id.eq(user_id))
        .select((UserRow::as_select(), OrganisationRow::as_select()))
        .first::<(UserRow, OrganisationRow)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let roles =
        user_roles::table.filter(user_roles::user_id.eq(user_id)).select(user_roles::role).load::<Role>(conn)?;
    let level = organisation.level;
    Ok(Some(Account { user, organisation, level, roles }))
}

/// What the failures table keys a login name by: a hash, never the name typed (which is often a password typed into
/// the wrong field, R-28.1).
pub fn failure_key(login_name: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(format!("credit-login-failure:{}", login_name.trim().to_lowercase())))
}

/// Failed sign-ins of `login_name` after `since`, oldest first.
pub fn failures_since(conn: &mut Db, login_name: &str, since: NaiveDateTime) -> QueryResult<Vec<NaiveDateTime>> {
    login_failures::table
        .filter(login_failures::login_name.eq(failure_key(login_name)))
        .filter(login_failures::occurred_at.gt(since))
        .order(login_failures::occurred_at.asc())
        .select(login_failures::occurred_at)
        .load(conn)
}

pub fn record_failure(conn: &mut Db, login_name: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::id.eq(new_id()),
            login_failures::login_name.eq(failure_key(login_name)),
            login_failures::occurred_at.eq(at),
        ))
        .execute(conn)
        .map(drop)
}

pub fn clear_failures(conn: &mut Db, login_name: &str) -> QueryResult<()> {
    diesel::delete(login_failures::table.filter(login_failures::login_name.eq(failure_key(login_name))))
        .execute(conn)
        .map(drop)
}

/// Makes the sign-in attempts of one login name take turns until the transaction ends: without it, parallel
/// attempts on PostgreSQL all read the failures before any is counted and pass a lockout meant to stop them
/// . SQLite's writers take turns anyway.
pub fn serialise_attempts(conn: &mut Db, login_name: &str) -> QueryResult<()> {
    if let Db::Postgres(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind::<diesel::sql_types::Text, _>(failure_key(login_name))
            .execute(pg)?;
    }
    Ok(())
}

pub fn record_login(conn: &mut Db, user_id: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(user_id)).set(users::last_login_at.eq(at)).execute(conn).map(drop)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshRow {
    pub id: String,
    pub user_id: String,
    pub family_id: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub replaced_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn insert_refresh(
    conn: &mut Db,
    user_id: &str,
    family_id: &str,
    token_hash: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(new_id()),
            refresh_tokens::user_id.eq(user_id),
            refresh_tokens::family_id.eq(family_id),
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::created_at.eq(now),
            refresh_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(drop)
}

pub fn find_refresh(conn: &mut Db, token_hash: &str) -> QueryResult<Option<RefreshRow>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(RefreshRow::as_select())
        .first(conn)
        .optional()
}

/// Marks a token used; false when another request used it first (the update found it already replaced).
pub fn mark_replaced(conn: &mut Db, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
    let updated = diesel::update(refresh_tokens::table.find(id).filter(refresh_tokens::replaced_at.is_null()))
        .set(refresh_tokens::replaced_at.eq(at))
        .execute(conn)?;
    Ok(updated == 1)
}

pub fn revoke_family(conn: &mut Db, family_id: &str, at: NaiveDateTime, reason: &str) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set((refresh_tokens::revoked_at.eq(at), refresh_tokens::revoke_reason.eq(reason)))
    .execute(conn)
}

pub fn revoke_user_sessions(conn: &mut Db, user_id: &str, at: NaiveDateTime, reason: &str) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table.filter(refresh_tokens::user_id.eq(user_id)).filter(refresh_tokens::revoked_at.is_null()),
    )
    .set((refresh_tokens::revoked_at.eq(at), refresh_tokens::revoke_reason.eq(reason)))
    .execute(conn)
}

/// The session's newest token, if the session is still open (not revoked, not past its absolute expiry).
pub fn live_session_token(conn: &mut Db, family_id: &str, now: NaiveDateTime) -> QueryResult<Option<RefreshRow>> {
    refresh_tokens::table
        .filter(refresh_tokens::family_id.eq(family_id))
        .filter(refresh_tokens::revoked_at.is_null())
        .filter(refresh_tokens::expires_at.gt(now))
        .order(refresh_tokens::created_at.desc())
        .select(RefreshRow::as_select())
        .first(conn)
        .optional()
}

pub fn recent_password_hashes(conn: &mut Db, user_id: &str, count: i64) -> QueryResult<Vec<String>> {
    password_history::table
        .filter(password_history::user_id.eq(user_id))
        .order(password_history::created_at.desc())
        .limit(count)
        .select(password_history::password_hash)
        .load(conn)
}

/// Sets a new password: kept in the history, `must_change_password` cleared, token version bumped (so every
/// token issued before stops working).
pub fn set_password(conn: &mut Db, user_id: &str, hash: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(password_history::table)
        .values((
            password_history::id.eq(new_id()),
            password_history::user_id.eq(user_id),
            password_history::password_hash.eq(hash),
            password_history::created_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(hash),
            users::password_changed_at.eq(now),
            users::must_change_password.eq(false),
            users::token_version.eq(users::token_version + 1),
            users::updated_at.eq(now),
            users::updated_by.eq(user_id),
        ))
        .execute(conn)
        .map(drop)
}

/// A new organisation.
pub struct NewOrganisation<'a> {
    pub name: &'a str,
    pub uscc: &'a str,
    pub level: RegionLevel,
    pub region_code: &'a str,
    pub kinds: &'a [OrganisationKind],
}

pub fn find_organisation_by_uscc(conn: &mut Db, uscc: &str) -> QueryResult<Option<String>> {
    organisations::table.filter(organisations::uscc.eq(uscc)).select(organisations::id).first(conn).optional()
}

pub fn insert_organisation(
    conn: &mut Db,
    org: &NewOrganisation<'_>,
    by: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let id = new_id();
    diesel::insert_into(organisations::table)
        .values((
            organisations::id.eq(&id),
            organisations::name.eq(org.name),
            organisations::uscc.eq(org.uscc),
            organisations::level.eq(org.level),
            organisations::region_code.eq(org.region_code),
            organisations::active.eq(true),
            organisations::created_at.eq(now),
            organisations::updated_at.eq(now),
            organisations::created_by.eq(by),
            organisations::updated_by.eq(by),
        ))
        .execute(conn)?;
    for kind in org.kinds {
        diesel::insert_into(organisation_kinds::table)
            .values((organisation_kinds::organisation_id.eq(&id), organisation_kinds::kind.eq(kind)))
            .execute(conn)?;
    }
    Ok(id)
}

/// A new account.
pub struct NewUser<'a> {
    pub organisation_id: &'a str,
    pub login_name: &'a str,
    pub full_name: &'a str,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub password_hash: &'a str,
    pub must_change_password: bool,
    pub roles: &'a [Role],
}

pub fn insert_user(conn: &mut Db, user: &NewUser<'_>, by: Option<&str>, now: NaiveDateTime) -> QueryResult<String> {
    let id = new_id();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(&id),
            users::organisation_id.eq(user.organisation_id),
            users::login_name.eq(user.login_name),
            users::full_name.eq(user.full_name),
            users::phone.eq(user.phone),
            users::email.eq(user.email),
            users::password_hash.eq(user.password_hash),
            users::password_changed_at.eq(now),
            users::must_change_password.eq(user.must_change_password),
            users::active.eq(true),
            users::token_version.eq(0),
            users::created_at.eq(now),
            users::updated_at.eq(now),
            users::created_by.eq(by),
            users::updated_by.eq(by),
        ))
        .execute(conn)?;
    for role in user.roles {
        diesel::insert_into(user_roles::table)
            .values((user_roles::user_id.eq(&id), user_roles::role.eq(role)))
            .execute(conn)?;
    }
    diesel::insert_into(password_history::table)
        .values((
            password_history::id.eq(new_id()),
            password_history::user_id.eq(&id),
            password_history::password_hash.eq(user.password_hash),
            password_history::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// True when some active account holds `role`.
pub fn active_role_exists(conn: &mut Db, role: Role) -> QueryResult<bool> {
    let count: i64 = user_roles::table
        .inner_join(users::table)
        .filter(user_roles::role.eq(role))
        .filter(users::active.eq(true))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// Names of organisations by id.
pub fn organisation_names(conn: &mut Db, ids: &[&str]) -> QueryResult<std::collections::HashMap<String, String>> {
    let rows: Vec<(String, String)> = organisations::table
        .filter(organisations::id.eq_any(ids))
        .select((organisations::id, organisations::name))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Personal names of users (or names of API clients) by id.
pub fn actor_names(conn: &mut Db, ids: &[&str]) -> QueryResult<std::collections::HashMap<String, String>> {
    let mut names: std::collections::HashMap<String, String> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::full_name))
        .load(conn)?
        .into_iter()
        .collect();
    let clients: Vec<(String, String)> = crate::schema::api_clients::table
        .filter(crate::schema::api_clients::id.eq_any(ids))
        .select((crate::schema::api_clients::id, crate::schema::api_clients::name))
        .load(conn)?;
    names.extend(clients);
    Ok(names)
}

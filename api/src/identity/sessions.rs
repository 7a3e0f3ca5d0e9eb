//! The sessions overview (R-8.2: sessions are bound to the account; concurrent-session anomalies are visible to
//! admins): each session (a refresh-token family) remembers where and with what browser it was opened and when and
//! from where it was last used; the account office and the security auditor see every open session, accounts using
//! open sessions from more than one address at once flagged; the account office ends a session, whose tokens stop
//! working at once.

use super::principal::Principal;
use super::store;
use crate::audit::{self, AuditAction, EventFields, Outcome, TargetKind};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::http::{cursor, ValidQuery};
use crate::schema::{organisations, refresh_tokens, sessions, users};
use crate::state::AppState;
use actix_web::{delete, get, web, HttpResponse};
use chrono::{Duration, NaiveDateTime, TimeZone, Utc};
use credit_types::identity::{summarise_user_agent, OpenSession, Role, SessionQuery};
use credit_types::page::DEFAULT_LIMIT;
use credit_types::{Page, Problem};
use diesel::prelude::*;
use std::collections::{BTreeSet, HashMap};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config.service(list_sessions).service(end_session);
}

/// A session's use is noted at most this often (and whenever its address changes), so that requests stay reads.
pub const TOUCH_EVERY_SECONDS: i64 = 60;

/// The longest `User-Agent` kept.
const USER_AGENT_MAX: usize = 512;

/// Who reads the overview: the account office and the security auditor.
const READERS: &[Role] = &[Role::AccountAdmin, Role::SecurityAuditor];

/// Notes a new session: who, from where, with what.
pub fn insert(
    conn: &mut Db,
    id: &str,
    user_id: &str,
    now: NaiveDateTime,
    address: Option<&str>,
    user_agent: Option<&str>,
) -> QueryResult<()> {
    let user_agent = user_agent.map(|ua| ua.chars().take(USER_AGENT_MAX).collect::<String>());
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(id),
            sessions::user_id.eq(user_id),
            sessions::started_at.eq(now),
            sessions::last_used_at.eq(now),
            sessions::address.eq(address),
            sessions::last_address.eq(address),
            sessions::user_agent.eq(user_agent),
        ))
        .execute(conn)
        .map(drop)
}

/// Notes a use of the session (a refresh, or a request when [`needs_touch`] says so).
pub fn touch(conn: &mut Db, id: &str, now: NaiveDateTime, address: Option<&str>) -> QueryResult<()> {
    let target = sessions::table.find(id);
    match address {
        Some(address) => diesel::update(target)
            .set((sessions::last_used_at.eq(now), sessions::last_address.eq(address)))
            .execute(conn),
        None => diesel::update(target).set(sessions::last_used_at.eq(now)).execute(conn),
    }
    .map(drop)
}

/// When and from where the session was last used, if it has a row.
pub fn last_use(conn: &mut Db, id: &str) -> QueryResult<Option<(NaiveDateTime, Option<String>)>> {
    sessions::table.find(id).select((sessions::last_used_at, sessions::last_address)).first(conn).optional()
}

/// Whether a request at `now` from `address` should note its use: a minute after the last noted use, or from
/// another address. A session without a row (opened before sessions were noted) is left alone.
pub fn needs_touch(last: &Option<(NaiveDateTime, Option<String>)>, now: NaiveDateTime, address: Option<&str>) -> bool {
    match last {
        None => false,
        Some((at, last_address)) => {
            now - *at >= Duration::seconds(TOUCH_EVERY_SECONDS)
                || (address.is_some() && address != last_address.as_deref())
        }
    }
}

/// A session as loaded for the overview.
#[derive(Debug, Clone, Queryable)]
struct SessionRow {
    id: String,
    user_id: String,
    started_at: NaiveDateTime,
    last_used_at: NaiveDateTime,
    address: Option<String>,
    last_address: Option<String>,
    user_agent: Option<String>,
    login_name: String,
    full_name: String,
    organisation_id: String,
    organisation_name: String,
}

impl SessionRow {
    /// The address the session is used from now.
    fn current_address(&self) -> Option<&str> {
        self.last_address.as_deref().or(self.address.as_deref())
    }
}

/// Every open session: one with a refresh token neither revoked nor past the session's end, used within the idle
/// time. Open sessions are few (bounded by the accounts and the idle time), so they are loaded whole.
fn open_sessions(conn: &mut Db, now: NaiveDateTime, idle_minutes: i64) -> QueryResult<Vec<SessionRow>> {
    let live = refresh_tokens::table
        .filter(refresh_tokens::revoked_at.is_null())
        .filter(refresh_tokens::expires_at.gt(now))
        .select(refresh_tokens::family_id);
    sessions::table
        .inner_join(users::table.inner_join(organisations::table))
        .filter(sessions::id.eq_any(live))
        .filter(sessions::last_used_at.gt(now - Duration::minutes(idle_minutes)))
        .select((
            sessions::id,
            sessions::user_id,
            sessions::started_at,
            sessions::last_used_at,
            sessions::address,
            sessions::last_address,
            sessions::user_agent,
            users::login_name,
            users::full_name,
            organisations::id,
            organisations::name,
        ))
        .order(sessions::id.desc())
        .load(conn)
}

/// The accounts whose open sessions are used from more than one address at once.
pub fn flagged_accounts<'a>(sessions: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> BTreeSet<String> {
    let mut addresses: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for (user, address) in sessions {
        if let Some(address) = address {
            addresses.entry(user).or_default().insert(address);
        }
    }
    addresses.into_iter().filter(|(_, set)| set.len() > 1).map(|(user, _)| user.to_owned()).collect()
}

fn utc(at: NaiveDateTime) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&at)
}

/// The open sessions of every account, newest first, each with where and with what it is used; accounts using open
/// sessions from more than one address at once are flagged. The account office and the security auditor.
#[utoipa::path(
    tag = "sessions",
    security(("bearer" = [])),
    params(SessionQuery),
    responses(
        (status = 200, description = "One page of open sessions", body = Page<OpenSession>),
        (status = 400, description = "An invalid query parameter", body = Problem),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Neither the account office nor the security auditor", body = Problem),
    )
)]
#[get("/sessions")]
pub async fn list_sessions(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<SessionQuery>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(READERS)?;
    let ValidQuery(query) = query;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let before = query.cursor.as_deref().map(|c| cursor::decode(c, 1)).transpose()?.and_then(|mut k| k.pop());
    let idle_minutes = state.identity().session_idle_minutes;
    let rows = state.read(move |conn| Ok(open_sessions(conn, crate::clock::now(), idle_minutes)?)).await?;
    let flagged = flagged_accounts(rows.iter().map(|r| (r.user_id.as_str(), r.current_address())));
    let items: Vec<OpenSession> = rows
        .into_iter()
        .filter(|r| query.user_id.as_ref().is_none_or(|user| *user == r.user_id))
        .filter(|r| query.flagged != Some(true) || flagged.contains(&r.user_id))
        .filter(|r| query.flagged != Some(false) || !flagged.contains(&r.user_id))
        .filter(|r| before.as_ref().is_none_or(|before| r.id < *before))
        .take(limit as usize + 1)
        .map(|r| OpenSession {
            flagged: flagged.contains(&r.user_id),
            browser: summarise_user_agent(r.user_agent.as_deref()),
            id: r.id,
            user_id: r.user_id,
            login_name: r.login_name,
            full_name: r.full_name,
            organisation_id: r.organisation_id,
            organisation_name: r.organisation_name,
            started_at: utc(r.started_at),
            last_used_at: utc(r.last_used_at),
            address: r.address,
            last_address: r.last_address,
            user_agent: r.user_agent,
        })
        .collect();
    Ok(HttpResponse::Ok().json(cursor::page(items, limit, |last| last.id.clone())))
}

/// End a session (R-8.2, the account office): its refresh tokens are revoked and its access tokens stop working at
/// once. Audited. 404 for a session that is not open.
#[utoipa::path(
    tag = "sessions",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The session's id")),
    responses(
        (status = 204, description = "The session is ended"),
        (status = 401, description = "Not signed in", body = Problem),
        (status = 403, description = "Not the account office", body = Problem),
        (status = 404, description = "No such open session", body = Problem),
    )
)]
#[delete("/sessions/{id}")]
pub async fn end_session(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(&[Role::AccountAdmin])?;
    let (id, actor) = (id.into_inner(), principal.actor());
    state
        .write(move |conn| {
            let now = crate::audit::chain::to_micros(crate::clock::now());
            let owner: Option<String> = sessions::table.find(&id).select(sessions::user_id).first(conn).optional()?;
            let open = match owner {
                Some(owner) => store::live_session_token(conn, &id, now)?.map(|_| owner),
                None => None,
            };
            let Some(owner) = open else { return Err(ApiError::not_found("no such open session")) };
            store::revoke_family(conn, &id, now, "ended by the account office")?;
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::SessionEnd, Outcome::Success)
                    .target(TargetKind::Session, &id)
                    .detail(format!("user {owner}")),
            )?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r8_2_an_account_is_flagged_for_two_addresses_at_once() {
        let flagged = flagged_accounts([
            ("a", Some("10.0.0.1")),
            ("a", Some("10.0.0.2")),
            ("b", Some("10.0.0.3")),
            ("b", Some("10.0.0.3")),
            ("c", None),
            ("c", Some("10.0.0.4")),
        ]);
        assert_eq!(flagged.into_iter().collect::<Vec<_>>(), ["a"]);
    }

    #[test]
    fn r8_2_use_is_noted_once_a_minute_or_on_a_new_address() {
        let at = Utc::now().naive_utc();
        let last = Some((at, Some("10.0.0.1".to_owned())));
        assert!(!needs_touch(&last, at + Duration::seconds(5), Some("10.0.0.1")));
        assert!(needs_touch(&last, at + Duration::seconds(61), Some("10.0.0.1")));
        assert!(needs_touch(&last, at + Duration::seconds(5), Some("10.0.0.2")));
        assert!(!needs_touch(&None, at + Duration::hours(1), Some("10.0.0.2")));
    }
}

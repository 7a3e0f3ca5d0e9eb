//! The account lifecycle job: accounts past their expiry date, and accounts with no sign-in for the
//! configured period, are disabled — at start and daily — with their sessions ended and the change audited.

use super::store;
use crate::audit::{self, Actor, AuditAction, EventFields, Outcome, TargetKind};
use crate::db::Db;
use crate::error::ApiResult;
use crate::schema::users;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// Disables the accounts that are expired or dormant at `now`; returns their ids. Run in a write transaction.
pub fn disable_expired_and_dormant(conn: &mut Db, now: NaiveDateTime, dormant_days: i64) -> ApiResult<Vec<String>> {
    let dormant_before = now - Duration::days(dormant_days);
    let candidates: Vec<(String, Option<NaiveDateTime>, NaiveDateTime, Option<chrono::NaiveDate>)> = users::table
        .filter(users::active.eq(true))
        .select((users::id, users::last_login_at, users::created_at, users::expires_on))
        .load(conn)?;
    let mut disabled = Vec::new();
    for (id, last_login, created, expires_on) in candidates {
        let reason = if super::rules::account_expired(expires_on, now.date()) {
            "expired"
        } else if last_login.unwrap_or(created) < dormant_before {
            "dormant"
        } else {
            continue;
        };
        diesel::update(users::table.find(&id))
            .set((
                users::active.eq(false),
                users::deactivated_at.eq(Some(now)),
                users::deactivation_reason.eq(Some(reason)),
                users::token_version.eq(users::token_version + 1),
                users::updated_at.eq(now),
            ))
            .execute(conn)?;
        store::revoke_user_sessions(conn, &id, now, reason)?;
        audit::append(
            conn,
            EventFields::new(&Actor::System, AuditAction::AccountDisable, Outcome::Success)
                .target(TargetKind::User, &id)
                .detail(reason),
        )?;
        disabled.push(id);
    }
    Ok(disabled)
}

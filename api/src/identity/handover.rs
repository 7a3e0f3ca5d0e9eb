//! Deactivation with handover: the account stops working at once (sessions revoked, tokens
//! outdated), and what the person held — sessions, API clients they registered, open authorisation requests they
//! filed — is listed and, where it is work, passed to a successor of the same organisation.

use super::accounts::load_user;
use crate::audit::{self, Actor, AuditAction, EventFields, Outcome, TargetKind};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::schema::{api_clients, authorization_requests, handovers, refresh_tokens, users};
use chrono::NaiveDateTime;
use credit_types::authorization::RequestStatus;
use credit_types::identity::{DeactivateRequest, Handover, HandoverItem, User};
use credit_types::{ErrorCode, FieldError};
use diesel::prelude::*;

/// Deactivates account `id` for `by` (the account office), hands its work to the successor and records the
/// handover; run in one write transaction.
pub fn deactivate(
    conn: &mut Db,
    actor: &Actor,
    by: &str,
    id: &str,
    request: &DeactivateRequest,
) -> ApiResult<Handover> {
    let user = load_user(conn, id)?;
    let successor = check(conn, &user, by, &request.successor_id)?;
    let at = crate::audit::chain::to_micros(chrono::Utc::now().naive_utc());
    let items = hand_over(conn, id, &request.successor_id, at)?;
    diesel::update(users::table.find(id))
        .set((
            users::active.eq(false),
            users::deactivated_at.eq(Some(at)),
            users::deactivation_reason.eq(Some(&request.reason)),
            users::token_version.eq(users::token_version + 1),
            users::updated_at.eq(at),
            users::updated_by.eq(Some(by)),
        ))
        .execute(conn)?;
    let handover = Handover {
        id: crate::db::new_id(),
        user_id: id.to_owned(),
        user_name: user.full_name,
        successor_id: request.successor_id.clone(),
        successor_name: successor.full_name,
        reason: request.reason.clone(),
        items,
        created_at: at.and_utc(),
        created_by: by.to_owned(),
        created_by_name: super::store::actor_names(conn, &[by])?.remove(by).unwrap_or_default(),
    };
    insert(conn, &handover, at)?;
    audit::append(
        conn,
        EventFields::new(actor, AuditAction::AccountDeactivate, Outcome::Success)
            .target(TargetKind::User, id)
            .detail(format!("handover {} to {}", handover.id, handover.successor_id)),
    )?;
    Ok(handover)
}

/// Nobody deactivates their own account or an inactive one; the successor is another active account of the same
/// organisation (returned).
fn check(conn: &mut Db, user: &User, by: &str, successor_id: &str) -> ApiResult<User> {
    if user.id == by {
        return Err(conflict(ErrorCode::OwnAccount, "an administrator cannot deactivate their own account"));
    }
    if !user.active {
        return Err(conflict(ErrorCode::AlreadyInactive, "this account is deactivated already"));
    }
    load_user(conn, successor_id)
        .ok()
        .filter(|s| s.active && s.id != user.id && s.organisation_id == user.organisation_id)
        .ok_or_else(|| ApiError::Validation {
            errors: vec![FieldError::new("successor_id", "invalid_successor", "交接人须为同一单位的其他在用账号")],
        })
}

/// Ends the person's sessions and passes their API clients and open requests to the successor; lists each.
fn hand_over(conn: &mut Db, id: &str, successor_id: &str, at: NaiveDateTime) -> ApiResult<Vec<HandoverItem>> {
    let sessions: Vec<String> = refresh_tokens::table
        .filter(refresh_tokens::user_id.eq(id))
        .filter(refresh_tokens::revoked_at.is_null())
        .select(refresh_tokens::family_id)
        .distinct()
        .load(conn)?;
    super::store::revoke_user_sessions(conn, id, at, "account deactivated")?;
    // API clients the person registered stay with the organisation; the successor answers for them.
    let clients: Vec<String> = api_clients::table
        .filter(api_clients::created_by.eq(id))
        .filter(api_clients::active.eq(true))
        .select(api_clients::id)
        .load(conn)?;
    diesel::update(api_clients::table.filter(api_clients::id.eq_any(&clients)))
        .set(api_clients::created_by.eq(successor_id))
        .execute(conn)?;
    // Open authorisation requests the person filed pass to the successor, who may follow them up or withdraw
    // them.
    let requests: Vec<String> = authorization_requests::table
        .filter(authorization_requests::requester_id.eq(id))
        .filter(authorization_requests::status.eq(RequestStatus::Pending))
        .select(authorization_requests::id)
        .load(conn)?;
    diesel::update(authorization_requests::table.filter(authorization_requests::id.eq_any(&requests)))
        .set(authorization_requests::requester_id.eq(successor_id))
        .execute(conn)?;
    let item = |kind: &str, action: &str| {
        let (kind, action) = (kind.to_owned(), action.to_owned());
        move |id: String| HandoverItem { kind: kind.clone(), id, action: action.clone() }
    };
    Ok(sessions
        .into_iter()
        .map(item("session", "revoked"))
        .chain(clients.into_iter().map(item("api_client", "moved")))
        .chain(requests.into_iter().map(item("authorization_request", "moved")))
        .collect())
}

fn insert(conn: &mut Db, handover: &Handover, at: NaiveDateTime) -> ApiResult<()> {
    diesel::insert_into(handovers::table)
        .values((
            handovers::id.eq(&handover.id),
            handovers::user_id.eq(&handover.user_id),
            handovers::successor_id.eq(&handover.successor_id),
            handovers::reason.eq(&handover.reason),
            handovers::items.eq(serde_json::to_string(&handover.items).map_err(ApiError::internal)?),
            handovers::created_at.eq(at),
            handovers::created_by.eq(&handover.created_by),
        ))
        .execute(conn)?;
    Ok(())
}

fn conflict(code: ErrorCode, detail: &str) -> ApiError {
    ApiError::Conflict { code, detail: detail.into(), errors: Vec::new() }
}

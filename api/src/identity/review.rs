//! Periodic permission review: a report of every account with its roles, last sign-in and flags, and the
//! reviewer's recorded sign-off (which keeps the report it was given).

use super::principal::Principal;
use crate::audit::{self, Actor, AuditAction, EventFields, Outcome, TargetKind};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::http::ValidJson;
use crate::schema::{organisations, permission_reviews, user_roles, users};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use credit_types::identity::{PermissionReview, ReviewEntry, ReviewFlag, ReviewReport, ReviewSignOff, Role};
use credit_types::Problem;
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;

/// No sign-in for this long flags an account as dormant in the review (the lifecycle job disables later).
const DORMANT_FLAG_DAYS: i64 = 30;
/// An expiry date this close flags the account.
const EXPIRING_DAYS: i64 = 30;

pub fn configure(config: &mut ServiceConfig) {
    config.service(review_report).service(sign_off).service(list_reviews);
}

/// Roles whose holders deserve a closer look.
fn privileged(role: Role) -> bool {
    matches!(
        role,
        Role::AccountAdmin | Role::SystemAdmin | Role::DbAdmin | Role::SecurityAuditor | Role::CityCreditAdmin
    )
}

/// The flags of one account at `now` (pure: unit-tested below).
pub fn flags(
    active: bool,
    last_login: Option<NaiveDateTime>,
    expires_on: Option<NaiveDate>,
    roles: &[Role],
    now: NaiveDateTime,
) -> Vec<ReviewFlag> {
    let mut flags = Vec::new();
    match last_login {
        None => flags.push(ReviewFlag::NeverLoggedIn),
        Some(at) if now - at >= Duration::days(DORMANT_FLAG_DAYS) => flags.push(ReviewFlag::Dormant),
        Some(_) => {}
    }
    if roles.iter().any(|r| privileged(*r)) {
        flags.push(ReviewFlag::Privileged);
    }
    if expires_on.is_some_and(|day| day - now.date() <= Duration::days(EXPIRING_DAYS)) {
        flags.push(ReviewFlag::Expiring);
    }
    if !active {
        flags.push(ReviewFlag::Inactive);
    }
    flags
}

fn build_report(conn: &mut Db, now: NaiveDateTime) -> ApiResult<ReviewReport> {
    type Row = (String, String, String, bool, Option<NaiveDateTime>, Option<NaiveDate>, String);
    let rows: Vec<Row> = users::table
        .inner_join(organisations::table)
        .order(users::login_name.asc())
        .select((
            users::id,
            users::login_name,
            users::full_name,
            users::active,
            users::last_login_at,
            users::expires_on,
            organisations::name,
        ))
        .load(conn)?;
    let roles: Vec<(String, Role)> = user_roles::table.select((user_roles::user_id, user_roles::role)).load(conn)?;
    let accounts = rows
        .into_iter()
        .map(|(id, login_name, full_name, active, last_login, expires_on, organisation_name)| {
            let mut held: Vec<Role> = roles.iter().filter(|(u, _)| *u == id).map(|(_, r)| *r).collect();
            held.sort();
            ReviewEntry {
                flags: flags(active, last_login, expires_on, &held, now),
                user_id: id,
                login_name,
                full_name,
                organisation_name,
                roles: held,
                last_login_at: last_login.map(|t| t.and_utc()),
                expires_on,
            }
        })
        .collect();
    Ok(ReviewReport { generated_at: now.and_utc(), accounts })
}

/// The permission review report (account office or security auditor).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every account with roles, last sign-in and flags", body = ReviewReport),
        (status = 403, description = "Neither account office nor security auditor", body = Problem),
    )
)]
#[get("/reviews/permissions/report")]
pub async fn review_report(state: web::Data<AppState>, principal: Principal) -> ApiResult<HttpResponse> {
    principal.require_any_role(&[Role::AccountAdmin, Role::SecurityAuditor])?;
    let now = chrono::Utc::now().naive_utc();
    Ok(HttpResponse::Ok().json(state.read(move |conn| build_report(conn, now)).await?))
}

/// Sign off a permission review (account office): the current report is kept with the note, and audited.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    request_body = ReviewSignOff,
    responses(
        (status = 201, description = "Recorded", body = PermissionReview),
        (status = 403, description = "Not the account office", body = Problem),
        (status = 422, description = "No note", body = Problem),
    )
)]
#[post("/reviews/permissions")]
pub async fn sign_off(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<ReviewSignOff>,
) -> ApiResult<HttpResponse> {
    principal.require_any_role(&[Role::AccountAdmin])?;
    let ValidJson(ReviewSignOff { note }) = body;
    let by = principal.user_id().to_owned();
    let review = state
        .write(move |conn| {
            let now = audit::chain::to_micros(chrono::Utc::now().naive_utc());
            let report = build_report(conn, now)?;
            let flagged = report.accounts.iter().filter(|a| !a.flags.is_empty()).count() as i32;
            let reviewer = super::store::actor_names(conn, &[by.as_str()])?.remove(&by).unwrap_or_default();
            let review = PermissionReview {
                id: crate::db::new_id(),
                reviewed_by: by.clone(),
                reviewed_by_name: reviewer,
                note: note.trim().to_owned(),
                account_count: report.accounts.len() as i32,
                flagged_count: flagged,
                created_at: report.generated_at,
            };
            diesel::insert_into(permission_reviews::table)
                .values((
                    permission_reviews::id.eq(&review.id),
                    permission_reviews::reviewed_by.eq(&by),
                    permission_reviews::note.eq(&review.note),
                    permission_reviews::account_count.eq(review.account_count),
                    permission_reviews::flagged_count.eq(review.flagged_count),
                    permission_reviews::report.eq(serde_json::to_string(&report).map_err(ApiError::internal)?),
                    permission_reviews::created_at.eq(now),
                ))
                .execute(conn)?;
            audit::append(
                conn,
                EventFields::new(&Actor::User(by.clone()), AuditAction::ReviewPermissions, Outcome::Success)
                    .target(TargetKind::Review, &review.id),
            )?;
            Ok(review)
        })
        .await?;
    Ok(HttpResponse::Created().json(review))
}

/// Past permission reviews, newest first (account office or security auditor).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Signed-off reviews", body = Vec<PermissionReview>),
        (status = 403, description = "Neither account office nor security auditor", body = Problem),
    )
)]
#[get("/reviews/permissions")]
pub async fn list_reviews(state: web::Data<AppState>, principal: Principal) -> ApiResult<HttpResponse> {
    principal.require_any_role(&[Role::AccountAdmin, Role::SecurityAuditor])?;
    let reviews = state
        .read(|conn| {
            let rows: Vec<(String, String, String, i32, i32, NaiveDateTime)> = permission_reviews::table
                .order(permission_reviews::created_at.desc())
                .select((
                    permission_reviews::id,
                    permission_reviews::reviewed_by,
                    permission_reviews::note,
                    permission_reviews::account_count,
                    permission_reviews::flagged_count,
                    permission_reviews::created_at,
                ))
                .load(conn)?;
            let reviewers: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
            let names = super::store::actor_names(conn, &reviewers)?;
            Ok(rows
                .into_iter()
                .map(|(id, reviewed_by, note, account_count, flagged_count, at)| PermissionReview {
                    id,
                    reviewed_by_name: names.get(&reviewed_by).cloned().unwrap_or_default(),
                    reviewed_by,
                    note,
                    account_count,
                    flagged_count,
                    created_at: at.and_utc(),
                })
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(reviews))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r10_6_review_flags() {
        let now = NaiveDate::from_ymd_opt(2026, 11, 25).and_then(|d| d.and_hms_opt(9, 0, 0)).unwrap_or_default();
        assert_eq!(flags(true, None, None, &[Role::UserUnit], now), [ReviewFlag::NeverLoggedIn]);
        assert_eq!(
            flags(true, Some(now - Duration::days(31)), None, &[Role::DataProvider], now),
            [ReviewFlag::Dormant]
        );
        assert_eq!(flags(true, Some(now), None, &[Role::SystemAdmin], now), [ReviewFlag::Privileged]);
        let soon = (now + Duration::days(10)).date();
        assert_eq!(flags(false, Some(now), Some(soon), &[], now), [ReviewFlag::Expiring, ReviewFlag::Inactive]);
        assert!(flags(true, Some(now), None, &[Role::UserUnit], now).is_empty());
    }
}

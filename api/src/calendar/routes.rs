//! The working-day calendar's maintenance (R-29.1 deadlines): any signed-in user reads a year's listed days; the
//! competent office (city credit admin) replaces them.

use crate::audit::{self, AuditAction, EventFields, Outcome, TargetKind};
use crate::error::{ApiError, ApiResult};
use crate::http::ValidJson;
use crate::identity::principal::Principal;
use crate::schema::calendar_days;
use crate::state::AppState;
use actix_web::{get, put, web, HttpResponse};
use chrono::{Datelike, NaiveDate};
use credit_types::identity::Role;
use credit_types::objections::{CalendarDay, CalendarYear, DayKind};
use credit_types::ErrorCode;
use credit_types::{FieldError, Problem, RegionLevel};
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config.service(get_year).service(put_year);
}

fn year_bounds(year: i32) -> ApiResult<(NaiveDate, NaiveDate)> {
    match (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) {
        (Some(from), Some(to)) if (2000..=2100).contains(&year) => Ok((from, to)),
        _ => Err(ApiError::invalid_parameter("year", "range", "year is between 2000 and 2100")),
    }
}

fn load_year(conn: &mut crate::db::Db, year: i32) -> ApiResult<CalendarYear> {
    let (from, to) = year_bounds(year)?;
    let rows: Vec<(NaiveDate, DayKind, String)> = calendar_days::table
        .filter(calendar_days::day.between(from, to))
        .order(calendar_days::day)
        .select((calendar_days::day, calendar_days::kind, calendar_days::name))
        .load(conn)?;
    Ok(CalendarYear { days: rows.into_iter().map(|(day, kind, name)| CalendarDay { day, kind, name }).collect() })
}

/// The listed days of a year: holidays falling on weekdays and weekend days worked in exchange (调休). Days not
/// listed follow the week: Monday to Friday work, Saturday and Sunday rest.
#[utoipa::path(
    tag = "calendar",
    security(("bearer" = [])),
    params(("year" = i32, Path, description = "Year, e.g. 2026")),
    responses(
        (status = 200, description = "The year's listed days", body = CalendarYear),
        (status = 400, description = "A year outside 2000–2100", body = Problem),
    )
)]
#[get("/calendar/{year}")]
pub async fn get_year(
    state: web::Data<AppState>,
    _principal: Principal,
    year: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    let year = year.into_inner();
    let days = state.read(move |conn| load_year(conn, year)).await?;
    Ok(HttpResponse::Ok().json(days))
}

/// Replace a year's listed days (the competent office): deadlines computed from now on follow the new calendar.
/// Every day must lie in the year, once; a holiday on a weekend or a worked weekday is refused as meaningless.
#[utoipa::path(
    tag = "calendar",
    security(("bearer" = [])),
    params(("year" = i32, Path, description = "Year, e.g. 2027")),
    request_body = CalendarYear,
    responses(
        (status = 200, description = "The year as stored", body = CalendarYear),
        (status = 403, description = "Not the competent office", body = Problem),
        (status = 422, description = "Days outside the year, twice, or contrary to the week", body = Problem),
    )
)]
#[put("/calendar/{year}")]
pub async fn put_year(
    state: web::Data<AppState>,
    principal: Principal,
    year: web::Path<i32>,
    body: ValidJson<CalendarYear>,
) -> ApiResult<HttpResponse> {
    if !(principal.has_role(Role::CityCreditAdmin) && principal.level == RegionLevel::City) {
        return Err(ApiError::forbidden(
            ErrorCode::NotTheCompetentOffice,
            "only the competent office maintains the calendar",
        ));
    }
    let year = year.into_inner();
    year_bounds(year)?;
    let ValidJson(body) = body;
    let mut errors = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (i, day) in body.days.iter().enumerate() {
        let weekend = day.day.weekday().number_from_monday() >= 6;
        if day.day.year() != year {
            errors.push(FieldError::new(format!("days[{i}].day"), "other_year", format!("须为 {year} 年的日期")));
        } else if !seen.insert(day.day) {
            errors.push(FieldError::new(format!("days[{i}].day"), "duplicate", "日期重复"));
        } else if !weekend && day.kind == DayKind::Workday {
            // A holiday on a weekend is allowed: the State Council's notices give each holiday as one span of days,
            // weekends included, and the office copies them as published.
            errors.push(FieldError::new(
                format!("days[{i}].kind"),
                "weekday_workday",
                "工作日本来上班,无需列为调休上班",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation { errors });
    }
    let actor = principal.actor();
    let by = principal.user_id().to_owned();
    let stored = state
        .write(move |conn| {
            let (from, to) = year_bounds(year)?;
            diesel::delete(calendar_days::table.filter(calendar_days::day.between(from, to))).execute(conn)?;
            let now = crate::clock::now();
            for day in &body.days {
                diesel::insert_into(calendar_days::table)
                    .values((
                        calendar_days::day.eq(day.day),
                        calendar_days::kind.eq(day.kind),
                        calendar_days::name.eq(day.name.trim()),
                        calendar_days::updated_at.eq(now),
                        calendar_days::updated_by.eq(&by),
                    ))
                    .execute(conn)?;
            }
            audit::append(
                conn,
                EventFields::new(&actor, AuditAction::CalendarUpdate, Outcome::Success)
                    .target(TargetKind::Calendar, year.to_string())
                    .detail(format!("{} listed days", body.days.len())),
            )?;
            load_year(conn, year)
        })
        .await?;
    Ok(HttpResponse::Ok().json(stored))
}

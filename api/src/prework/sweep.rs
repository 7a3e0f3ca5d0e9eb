//! The check's clock: once a working day's time is past, a check not complete by then is written to the
//! operation log — once, however many servers share the database — and its day keeps a row in the history even
//! when nobody opened it. Runs every minute; after a pause it catches up the working days since the last row.

use super::{rules, store};
use crate::calendar::Calendar;
use crate::db::Db;
use crate::error::ApiResult;
use crate::oplog::NewEntry;
use crate::state::AppState;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use credit_types::china_time;
use credit_types::oplog::OpLogSeverity;

/// How far back a restarted server catches up missed days.
pub const CATCH_UP_DAYS: i64 = 31;

/// Looks at the days due by `now`; returns the days whose overdue check this call logged.
pub fn sweep(conn: &mut Db, deadline: NaiveTime, now: NaiveDateTime) -> ApiResult<Vec<NaiveDate>> {
    let today = china_time::date_of(now);
    // A new installation starts with today; a running one continues from its latest row.
    let first = match store::latest_day(conn)? {
        Some(latest) => latest.max(today - Duration::days(CATCH_UP_DAYS)),
        None => today,
    };
    let calendar = Calendar::load(conn, first, today)?;
    let mut logged = Vec::new();
    for day in first.iter_days().take_while(|d| *d <= today) {
        let due = rules::due_at(day, deadline);
        if !calendar.is_working_day(day) || now < due {
            continue;
        }
        store::ensure_day(conn, day, true, due, now)?;
        let Some(row) = store::find_day(conn, day)? else { continue };
        let items = store::items_of(conn, &[day])?;
        let done_in_time = row.day(&items).completed_at().is_some_and(|at| at <= row.due_at);
        if done_in_time || row.overdue_logged_at.is_some() {
            continue;
        }
        if store::mark_overdue_logged(conn, day, now)? {
            let text = format!("{day} 上班前检查逾期未完成(应于 {} 前完成)", deadline.format("%H:%M"));
            crate::oplog::append(conn, &NewEntry::automatic(OpLogSeverity::Error, "prework:overdue", text))?;
            logged.push(day);
        }
    }
    Ok(logged)
}

/// Sweeps every minute for the life of the server.
pub fn spawn(state: AppState, deadline: NaiveTime) {
    actix_web::rt::spawn(async move {
        let mut every_minute = actix_web::rt::time::interval(std::time::Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            match state.write(move |conn| sweep(conn, deadline, crate::clock::now())).await {
                Ok(days) if !days.is_empty() => tracing::warn!(?days, "daily pre-work check overdue"),
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "daily pre-work check sweep failed"),
            }
        }
    });
}

//! A day's check as people read it: its rows, its state by the rules, the confirmers' names and, for items not yet
//! confirmed, the automatic checks' current word.

use super::automatic;
use super::rules::{self, Day};
use super::store::{self, DayRow, ItemRow};
use crate::calendar::Calendar;
use crate::db::Db;
use crate::error::ApiResult;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use credit_types::prework::{AutomaticFinding, DailyCheck, DailyCheckItem, DailyCheckSummary, PreworkItem};
use std::collections::HashMap;

fn utc(at: NaiveDateTime) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&at)
}

/// The day's row, or what it will be when made: a working day by today's calendar, due at the configured time.
pub fn day_row(conn: &mut Db, day: NaiveDate, deadline: NaiveTime) -> ApiResult<DayRow> {
    if let Some(row) = store::find_day(conn, day)? {
        return Ok(row);
    }
    let working_day = Calendar::load(conn, day, day)?.is_working_day(day);
    Ok(DayRow { work_day: day, working_day, due_at: rules::due_at(day, deadline), overdue_logged_at: None })
}

/// The day in full, item by item.
pub fn daily_check(conn: &mut Db, row: &DayRow, now: NaiveDateTime) -> ApiResult<DailyCheck> {
    let items = store::items_of(conn, &[row.work_day])?;
    let day = row.day(&items);
    let names = names_of(conn, &items)?;
    let live = if items.len() < PreworkItem::ALL.len() { automatic::findings(conn)? } else { Default::default() };
    let items = PreworkItem::ALL
        .iter()
        .map(|item| match items.iter().find(|i| i.item == *item) {
            Some(confirmed) => confirmed_item(confirmed, &names),
            None => DailyCheckItem {
                item: *item,
                automatic: live.get(item).cloned().unwrap_or_else(|| AutomaticFinding {
                    state: credit_types::prework::AutomaticState::Unknown,
                    summary: String::new(),
                }),
                verdict: None,
                note: None,
                confirmed_by: None,
                confirmed_by_name: None,
                confirmed_at: None,
            },
        })
        .collect();
    Ok(DailyCheck {
        work_day: row.work_day,
        working_day: row.working_day,
        due_at: utc(row.due_at),
        state: day.state(now),
        late: day.late(),
        items,
    })
}

fn confirmed_item(row: &ItemRow, names: &HashMap<String, String>) -> DailyCheckItem {
    DailyCheckItem {
        item: row.item,
        automatic: AutomaticFinding { state: row.automatic_state, summary: row.automatic_summary.clone() },
        verdict: Some(row.verdict),
        note: row.note.clone(),
        confirmed_by: Some(row.confirmed_by.clone()),
        confirmed_by_name: names.get(&row.confirmed_by).cloned(),
        confirmed_at: Some(utc(row.confirmed_at)),
    }
}

fn names_of(conn: &mut Db, items: &[ItemRow]) -> ApiResult<HashMap<String, String>> {
    let ids: Vec<&str> = items.iter().map(|i| i.confirmed_by.as_str()).collect();
    Ok(crate::identity::store::actor_names(conn, &ids)?)
}

/// Summaries of the given days for the history list.
pub fn summaries(conn: &mut Db, rows: &[DayRow], now: NaiveDateTime) -> ApiResult<Vec<DailyCheckSummary>> {
    let days: Vec<NaiveDate> = rows.iter().map(|r| r.work_day).collect();
    let items = store::items_of(conn, &days)?;
    let names = names_of(conn, &items)?;
    Ok(rows
        .iter()
        .map(|row| {
            let day: Day = row.day(&items);
            let mine = items.iter().filter(|i| i.work_day == row.work_day);
            let mut checked_by: Vec<String> = Vec::new();
            for name in mine.clone().filter_map(|i| names.get(&i.confirmed_by)) {
                if !checked_by.contains(name) {
                    checked_by.push(name.clone());
                }
            }
            DailyCheckSummary {
                work_day: row.work_day,
                working_day: row.working_day,
                state: day.state(now),
                late: day.late(),
                confirmed: day.confirmations.len() as u32,
                problems: mine
                    .filter(|i| i.verdict == credit_types::prework::ItemVerdict::Problem)
                    .map(|i| i.item)
                    .collect(),
                checked_by,
                completed_at: day.completed_at().map(utc),
            }
        })
        .collect())
}

//! The check's rows: a day's row (made when someone confirms an item or when the day's check falls due) and its
//! confirmed items. Items are only ever added; a day's row changes once, when its overdue check is logged.

use super::rules::{Confirmation, Day};
use crate::db::Db;
use crate::schema::{daily_check_items, daily_checks};
use chrono::{NaiveDate, NaiveDateTime};
use credit_types::prework::{AutomaticState, ItemVerdict, PreworkItem};
use diesel::prelude::*;

/// A day's row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = daily_checks)]
pub struct DayRow {
    pub work_day: NaiveDate,
    pub working_day: bool,
    pub due_at: NaiveDateTime,
    pub overdue_logged_at: Option<NaiveDateTime>,
}

/// A confirmed item.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = daily_check_items)]
pub struct ItemRow {
    pub work_day: NaiveDate,
    pub item: PreworkItem,
    pub verdict: ItemVerdict,
    pub note: Option<String>,
    pub automatic_state: AutomaticState,
    pub automatic_summary: String,
    pub confirmed_by: String,
    pub confirmed_at: NaiveDateTime,
}

impl DayRow {
    /// The day as the rules see it, with its items.
    pub fn day(&self, items: &[ItemRow]) -> Day {
        Day {
            working_day: self.working_day,
            due_at: self.due_at,
            confirmations: items
                .iter()
                .filter(|i| i.work_day == self.work_day)
                .map(|i| Confirmation { item: i.item, verdict: i.verdict, at: i.confirmed_at })
                .collect(),
        }
    }
}

pub fn find_day(conn: &mut Db, day: NaiveDate) -> QueryResult<Option<DayRow>> {
    daily_checks::table.find(day).select(DayRow::as_select()).first(conn).optional()
}

/// The latest day with a row, if any.
pub fn latest_day(conn: &mut Db) -> QueryResult<Option<NaiveDate>> {
    daily_checks::table.select(diesel::dsl::max(daily_checks::work_day)).first(conn)
}

/// The confirmed items of the given days, in the order of the items.
pub fn items_of(conn: &mut Db, days: &[NaiveDate]) -> QueryResult<Vec<ItemRow>> {
    let mut rows: Vec<ItemRow> = daily_check_items::table
        .filter(daily_check_items::work_day.eq_any(days))
        .select(ItemRow::as_select())
        .load(conn)?;
    rows.sort_by_key(|r| (r.work_day, r.item));
    Ok(rows)
}

/// Makes the day's row unless it exists; a concurrent maker's row is kept.
pub fn ensure_day(
    conn: &mut Db,
    day: NaiveDate,
    working_day: bool,
    due_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let values = (
        daily_checks::work_day.eq(day),
        daily_checks::working_day.eq(working_day),
        daily_checks::due_at.eq(due_at),
        daily_checks::created_at.eq(now),
    );
    match conn {
        Db::Sqlite(c) => diesel::insert_into(daily_checks::table).values(values).on_conflict_do_nothing().execute(c),
        Db::Postgres(c) => diesel::insert_into(daily_checks::table).values(values).on_conflict_do_nothing().execute(c),
    }?;
    Ok(())
}

/// Stores a confirmed item; `false` when the item was confirmed already (by anyone, even a moment ago).
pub fn insert_item(conn: &mut Db, row: &ItemRow) -> QueryResult<bool> {
    let inserted = match conn {
        Db::Sqlite(c) => diesel::insert_into(daily_check_items::table).values(row).on_conflict_do_nothing().execute(c),
        Db::Postgres(c) => {
            diesel::insert_into(daily_check_items::table).values(row).on_conflict_do_nothing().execute(c)
        }
    }?;
    Ok(inserted == 1)
}

/// Notes that the day's overdue check was logged; `true` for the one caller that noted it first (so that the entry
/// is written once, however many servers sweep).
pub fn mark_overdue_logged(conn: &mut Db, day: NaiveDate, now: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(
        daily_checks::table.filter(daily_checks::work_day.eq(day)).filter(daily_checks::overdue_logged_at.is_null()),
    )
    .set(daily_checks::overdue_logged_at.eq(now))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Days from the latest back, within `from`..=`to`, before `before` (the previous page's last day).
pub fn page(
    conn: &mut Db,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    before: Option<NaiveDate>,
    limit: i64,
) -> QueryResult<Vec<DayRow>> {
    let mut query = daily_checks::table.select(DayRow::as_select()).order(daily_checks::work_day.desc()).into_boxed();
    if let Some(from) = from {
        query = query.filter(daily_checks::work_day.ge(from));
    }
    if let Some(to) = to {
        query = query.filter(daily_checks::work_day.le(to));
    }
    if let Some(before) = before {
        query = query.filter(daily_checks::work_day.lt(before));
    }
    query.limit(limit).load(conn)
}

//! The working-day calendar: deadlines counted in working days (decision deadlines of authorisation requests, R-29
//! objection deadlines), on weekends, public holidays and adjusted working days (调休) kept in `calendar_days`.

pub mod routes;

use crate::db::Db;
use crate::schema::calendar_days;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use diesel::prelude::*;
use std::collections::HashMap;

pub use credit_types::objections::DayKind;

/// The calendar over a span of days: Monday to Friday work, Saturday and Sunday rest, except the listed days.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    exceptions: HashMap<NaiveDate, DayKind>,
}

impl Calendar {
    pub fn new(exceptions: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Calendar {
        Calendar { exceptions: exceptions.into_iter().collect() }
    }

    /// The listed days from `from` to `to`, inclusive.
    pub fn load(conn: &mut Db, from: NaiveDate, to: NaiveDate) -> QueryResult<Calendar> {
        let rows: Vec<(NaiveDate, DayKind)> = calendar_days::table
            .filter(calendar_days::day.between(from, to))
            .select((calendar_days::day, calendar_days::kind))
            .load(conn)?;
        Ok(Calendar::new(rows))
    }

    /// The calendar enough to count `days` working days on from `start`: holidays never last long enough to need
    /// more than twice the span plus a month.
    pub fn load_for(conn: &mut Db, start: NaiveDate, days: u32) -> QueryResult<Calendar> {
        Calendar::load(conn, start, start + Duration::days(i64::from(days) * 2 + 31))
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.exceptions.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The `n`th working day after `start` (`start` itself not counted): the last day of a deadline of `n` working
    /// days that begins on `start`.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut day = start;
        let mut left = n;
        while left > 0 {
            day = day.succ_opt().unwrap_or(day);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// The 2026 National Day arrangement: 1–7 October off, Saturday 10 October worked.
    fn national_day() -> Calendar {
        Calendar::new(
            (1..=7)
                .map(|d| (date(2026, 10, d), DayKind::Holiday))
                .chain([(date(2026, 9, 20), DayKind::Workday), (date(2026, 10, 10), DayKind::Workday)]),
        )
    }

    #[test]
    fn r29_working_days_skip_weekends() {
        let calendar = Calendar::default();
        // Wednesday 25 November 2026 + 5 working days = Wednesday 2 December.
        assert_eq!(calendar.add_working_days(date(2026, 11, 25), 5), date(2026, 12, 2));
        // From a Friday, the first working day is Monday.
        assert_eq!(calendar.add_working_days(date(2026, 11, 27), 1), date(2026, 11, 30));
    }

    #[test]
    fn r29_working_days_skip_holidays_and_count_adjusted_working_days() {
        let calendar = national_day();
        // Filed Wednesday 30 September: 8 and 9 October (Thu, Fri) and Saturday 10 October count, then Monday 12.
        assert_eq!(calendar.add_working_days(date(2026, 9, 30), 3), date(2026, 10, 10));
        assert_eq!(calendar.add_working_days(date(2026, 9, 30), 4), date(2026, 10, 12));
        assert!(calendar.is_working_day(date(2026, 9, 20)), "Sunday 20 September is worked");
        assert!(!calendar.is_working_day(date(2026, 10, 5)), "Monday 5 October is a holiday");
    }
}

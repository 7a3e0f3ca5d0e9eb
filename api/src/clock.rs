//! The platform's calendar date: Jiujiang keeps China Standard Time (UTC+8, no daylight saving), and publication
//! periods end on local dates.

use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};

/// Today in Jiujiang.
pub fn today() -> NaiveDate {
    local_date(Utc::now().naive_utc())
}

/// The local date of a UTC instant.
pub fn local_date(utc: NaiveDateTime) -> NaiveDate {
    (utc + Duration::hours(8)).date()
}

/// Now, as stored (UTC).
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

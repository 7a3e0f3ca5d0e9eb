//! The platform's clock: now as stored (UTC), and today's date in Jiujiang, by the one China-time rule of
//! `credit_types::china_time` (publication periods end on local dates).

use chrono::{NaiveDate, NaiveDateTime, Utc};

/// Today in Jiujiang.
pub fn today() -> NaiveDate {
    local_date(Utc::now().naive_utc())
}

/// The local date of a UTC instant.
pub fn local_date(utc: NaiveDateTime) -> NaiveDate {
    credit_types::china_time::date_of(utc)
}

/// Now, as stored (UTC).
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

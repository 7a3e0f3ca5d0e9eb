//! Times as people read them: China time (UTC+8) through `credit_types::china_time`, the platform's one rule, to
//! the minute (`2026-11-28 22:59`) or, where they matter, to the second. The API sends UTC, with or without a zone.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use credit_types::china_time;

/// An instant the API sent: a UTC time without a zone (most answers) or with one.
pub trait Instant {
    fn utc(&self) -> NaiveDateTime;
}

impl Instant for NaiveDateTime {
    fn utc(&self) -> NaiveDateTime {
        *self
    }
}

impl Instant for DateTime<Utc> {
    fn utc(&self) -> NaiveDateTime {
        self.naive_utc()
    }
}

/// `2026-11-28 22:59`, China time.
pub fn minutes(at: impl Instant) -> String {
    china_time::minutes(at.utc())
}

/// `2026-11-28 22:59:59`, China time: the audit trail, where the order of seconds matters.
pub fn seconds(at: impl Instant) -> String {
    china_time::seconds(at.utc())
}

/// Today in Jiujiang, as the server counts days: decision dates may not lie after it, birth dates in identity
/// numbers neither.
pub fn today() -> NaiveDate {
    china_time::date_of(Utc::now().naive_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_kinds_of_instant_read_as_china_time() {
        let naive = NaiveDate::from_ymd_opt(2026, 11, 28).and_then(|d| d.and_hms_opt(14, 59, 30)).unwrap_or_default();
        assert_eq!(minutes(naive), "2026-11-28 22:59");
        assert_eq!(seconds(naive.and_utc()), "2026-11-28 22:59:30");
    }
}

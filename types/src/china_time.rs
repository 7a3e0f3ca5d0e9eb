//! China Standard Time, the one clock people read: Jiujiang keeps UTC+8 all year (no daylight saving), days and
//! publication periods end on local dates, and every time a person reads is shown through [`minutes`] or
//! [`seconds`]. The API stores and sends UTC; only what a person reads is converted, here.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

/// China Standard Time is eight hours ahead of UTC.
pub const OFFSET_HOURS: i64 = 8;

/// The UTC+8 offset (checked when compiling: an offset within ±24 h always exists).
pub const OFFSET: FixedOffset = match FixedOffset::east_opt(OFFSET_HOURS as i32 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// The local wall-clock time of a UTC instant.
pub fn local(utc: NaiveDateTime) -> NaiveDateTime {
    utc + Duration::hours(OFFSET_HOURS)
}

/// The UTC instant of a local wall-clock time (e.g. a time a person typed into a filter).
pub fn to_utc(local: NaiveDateTime) -> NaiveDateTime {
    local - Duration::hours(OFFSET_HOURS)
}

/// The local date of a UTC instant.
pub fn date_of(utc: NaiveDateTime) -> NaiveDate {
    local(utc).date()
}

/// A UTC instant with its offset, for answers that carry one.
pub fn with_offset(utc: NaiveDateTime) -> DateTime<FixedOffset> {
    OFFSET.from_utc_datetime(&utc)
}

/// A time as people read it: `2026-11-28 22:59` (China time, to the minute).
pub fn minutes(utc: NaiveDateTime) -> String {
    local(utc).format("%Y-%m-%d %H:%M").to_string()
}

/// A time to the second, where seconds matter (the audit trail, sign-ins): `2026-11-28 22:59:59`.
pub fn seconds(utc: NaiveDateTime) -> String {
    local(utc).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// [`minutes`] of an instant that carries its zone.
pub fn minutes_of<Tz: TimeZone>(at: &DateTime<Tz>) -> String {
    minutes(at.naive_utc())
}

/// [`seconds`] of an instant that carries its zone.
pub fn seconds_of<Tz: TimeZone>(at: &DateTime<Tz>) -> String {
    seconds(at.naive_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").unwrap_or_default()
    }

    #[test]
    fn people_read_china_time() {
        assert_eq!(minutes(utc("2026-11-28T14:59:59")), "2026-11-28 22:59");
        assert_eq!(seconds(utc("2026-11-28T14:59:59")), "2026-11-28 22:59:59");
    }

    #[test]
    fn the_local_day_turns_at_four_in_the_afternoon_utc() {
        assert_eq!(date_of(utc("2026-11-28T15:59:59")).to_string(), "2026-11-28");
        assert_eq!(date_of(utc("2026-11-28T16:00:00")).to_string(), "2026-11-29");
    }

    #[test]
    fn local_and_utc_are_inverse() {
        let at = utc("2026-01-01T00:30:00");
        assert_eq!(to_utc(local(at)), at);
        assert_eq!(with_offset(at).to_rfc3339(), "2026-01-01T08:30:00+08:00");
    }
}

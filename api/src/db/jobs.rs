//! Scheduled work that runs once per slot however many servers share the database.

use super::Db;
use crate::error::ApiResult;
use crate::schema::job_runs;
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use diesel::prelude::*;

/// Claims `job`'s run for `slot`: `true` for exactly one caller per (job, slot), across every server on the
/// database. The insert's conflict decides; on PostgreSQL a second server's insert waits for the first one's
/// transaction, so a claim made in a transaction that then fails is released with it and another server may run.
pub fn claim_run(conn: &mut Db, job: &str, slot: DateTime<Utc>, now: DateTime<Utc>) -> ApiResult<bool> {
    let values = (job_runs::job.eq(job), job_runs::slot.eq(slot.naive_utc()), job_runs::claimed_at.eq(now.naive_utc()));
    let inserted = match conn {
        Db::Sqlite(c) => diesel::insert_into(job_runs::table).values(values).on_conflict_do_nothing().execute(c),
        Db::Postgres(c) => diesel::insert_into(job_runs::table).values(values).on_conflict_do_nothing().execute(c),
    }?;
    Ok(inserted == 1)
}

/// The slot `now` falls in when work runs every `every` (slots start at multiples of `every` since the epoch).
pub fn slot_of(now: DateTime<Utc>, every: std::time::Duration) -> DateTime<Utc> {
    let every = TimeDelta::from_std(every).unwrap_or(TimeDelta::MAX).max(TimeDelta::seconds(1));
    now.duration_trunc(every).unwrap_or(now)
}

/// Forgets claims older than `keep`: they only need to outlive the slot they guard.
pub fn forget_before(conn: &mut Db, before: DateTime<Utc>) -> ApiResult<usize> {
    Ok(diesel::delete(job_runs::table.filter(job_runs::slot.lt(before.naive_utc()))).execute(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_start_at_multiples_of_the_interval() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let five = std::time::Duration::from_secs(300);
        assert_eq!(slot_of(at("2026-11-28T10:07:31Z"), five), at("2026-11-28T10:05:00Z"));
        assert_eq!(slot_of(at("2026-11-28T10:05:00Z"), five), at("2026-11-28T10:05:00Z"));
    }
}

//! Delivering the outbox: claim what is due, send it, record the outcome; failures wait longer each time and are
//! retried forever, so no notice is lost.
//!
//! Delivery is at least once: a server that stops between sending and recording sends that notice again once its
//! lease runs out. A repeated notice does less harm than a lost one.

use super::outbox::CONTACT_PURGED;
use super::sender::{scrub, Channel, Outgoing, SendError, Sender};
use crate::audit::chain::to_micros;
use crate::db::{write_transaction, Db, DbPool};
use crate::error::ApiError;
use crate::schema::notices;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use std::sync::Arc;

/// Notices claimed by one pass.
pub const BATCH: i64 = 10;

/// Longest wait for one send; a sender still busy then counts as failed.
pub const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// How long a claim keeps other servers off a notice. Longer than a whole batch can take (`BATCH` × `SEND_TIMEOUT`
/// = 5 minutes), so a notice is only taken over from a server that stopped, never from one still sending it.
pub const LEASE_SECONDS: i64 = 10 * 60;

const FIRST_RETRY_SECONDS: i64 = 30;
const LONGEST_RETRY_SECONDS: i64 = 60 * 60;

/// The wait after a notice's `attempts`-th failed attempt: 30 s, doubling each time, at most an hour, so a notice
/// that cannot be delivered is retried hourly rather than dropped.
pub fn backoff(attempts: i32) -> Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 30) as u32;
    Duration::seconds(FIRST_RETRY_SECONDS.saturating_mul(1_i64 << doublings).min(LONGEST_RETRY_SECONDS))
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub claimed: usize,
    pub sent: usize,
    pub failed: usize,
    /// Claimed with an empty address (purged meanwhile) and settled without sending.
    pub purged: usize,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = notices)]
struct Due {
    id: String,
    channel: String,
    address: String,
    subject: String,
    body: String,
    attempts: i32,
}

/// Claims the due notices (pending, `next_attempt_at` reached), oldest due first, at most `BATCH`, by moving their
/// `next_attempt_at` to `lease_until`. Each claim is an UPDATE conditional on the notice still being due: when two
/// servers pick the same notices, PostgreSQL makes the second wait for the first's row lock and then re-checks the
/// condition, which no longer holds, so each notice goes to one of them. On SQLite the claim runs as one write.
fn claim(conn: &mut Db, now: NaiveDateTime, lease_until: NaiveDateTime) -> QueryResult<Vec<Due>> {
    write_transaction(conn, |conn| {
        let due: Vec<Due> = notices::table
            .filter(notices::status.eq("pending"))
            .filter(notices::next_attempt_at.le(now))
            .order((notices::next_attempt_at.asc(), notices::id.asc()))
            .limit(BATCH)
            .select(Due::as_select())
            .load(conn)?;
        let mut claimed = Vec::with_capacity(due.len());
        for notice in due {
            let won = diesel::update(
                notices::table
                    .filter(notices::id.eq(&notice.id))
                    .filter(notices::status.eq("pending"))
                    .filter(notices::next_attempt_at.le(now)),
            )
            .set(notices::next_attempt_at.eq(lease_until))
            .execute(conn)?;
            if won == 1 {
                claimed.push(notice);
            }
        }
        Ok(claimed)
    })
}

/// Delivered. Recorded even if the lease ran out meanwhile: the notice did go, and must not go again.
fn mark_sent(conn: &mut Db, id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    write_transaction(conn, |conn| {
        diesel::update(notices::table.filter(notices::id.eq(id)).filter(notices::status.eq("pending")))
            .set((notices::status.eq("sent"), notices::sent_at.eq(now), notices::attempts.eq(notices::attempts + 1)))
            .execute(conn)
    })
}

/// Not delivered: due again after the backoff. Only while the lease is still ours (`next_attempt_at` as we set it);
/// otherwise another server has the notice and its outcome counts.
fn mark_failed(
    conn: &mut Db,
    notice: &Due,
    lease_until: NaiveDateTime,
    error: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let next = to_micros(now + backoff(notice.attempts.saturating_add(1)));
    write_transaction(conn, |conn| {
        diesel::update(
            notices::table
                .filter(notices::id.eq(&notice.id))
                .filter(notices::status.eq("pending"))
                .filter(notices::next_attempt_at.eq(lease_until)),
        )
        .set((
            notices::attempts.eq(notices::attempts + 1),
            notices::last_error.eq(error),
            notices::next_attempt_at.eq(next),
        ))
        .execute(conn)
    })
}

/// Its address was purged: it can never be sent, and is settled like `outbox::purge_addresses` does.
fn mark_purged(conn: &mut Db, id: &str) -> QueryResult<usize> {
    write_transaction(conn, |conn| {
        diesel::update(notices::table.filter(notices::id.eq(id)).filter(notices::status.eq("pending")))
            .set((notices::status.eq("sent"), notices::last_error.eq(CONTACT_PURGED)))
            .execute(conn)
    })
}

async fn on_pool<T, F>(pool: &DbPool, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut Db) -> QueryResult<T> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get()?;
        Ok(work(&mut conn)?)
    })
    .await?
}

/// One pass over the outbox: claims up to `BATCH` due notices and sends each through `sender`. `now` is the pass's
/// clock for what is due, the lease, `sent_at` and the next attempt, so tests can step through the retry schedule.
pub async fn run_once(pool: &DbPool, sender: &dyn Sender, now: NaiveDateTime) -> Result<Pass, ApiError> {
    let now = to_micros(now);
    let lease_until = to_micros(now + Duration::seconds(LEASE_SECONDS));
    let claimed = on_pool(pool, move |conn| claim(conn, now, lease_until)).await?;
    let mut pass = Pass { claimed: claimed.len(), ..Pass::default() };
    for notice in claimed {
        if notice.address.trim().is_empty() {
            let id = notice.id.clone();
            on_pool(pool, move |conn| mark_purged(conn, &id)).await?;
            pass.purged += 1;
            continue;
        }
        let Some(channel) = Channel::parse(&notice.channel) else {
            // The table's CHECK allows no other channel; kept pending and visible rather than dropped.
            record_failure(pool, notice, lease_until, "unknown channel".into(), now).await?;
            pass.failed += 1;
            continue;
        };
        let outgoing = Outgoing {
            id: notice.id.clone(),
            channel,
            address: notice.address.clone(),
            subject: notice.subject.clone(),
            body: notice.body.clone(),
        };
        let outcome = actix_web::rt::time::timeout(SEND_TIMEOUT, sender.send(&outgoing))
            .await
            .unwrap_or_else(|_| Err(SendError::from("timed out")));
        match outcome {
            Ok(()) => {
                let id = notice.id.clone();
                on_pool(pool, move |conn| mark_sent(conn, &id, now)).await?;
                pass.sent += 1;
            }
            Err(error) => {
                let error = scrub(&error.0, channel, &notice.address);
                tracing::warn!(notice = %notice.id, channel = channel.as_str(), attempt = notice.attempts + 1,
                    %error, "notice not sent; will retry");
                record_failure(pool, notice, lease_until, error, now).await?;
                pass.failed += 1;
            }
        }
    }
    Ok(pass)
}

async fn record_failure(
    pool: &DbPool,
    notice: Due,
    lease_until: NaiveDateTime,
    error: String,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    on_pool(pool, move |conn| mark_failed(conn, &notice, lease_until, &error, now)).await?;
    Ok(())
}

/// Runs passes every `every` for as long as the server runs; a pass that claimed a full batch is followed at once
/// by another, so a backlog drains without waiting for the next tick.
pub fn spawn(pool: DbPool, sender: Arc<dyn Sender>, every: std::time::Duration) {
    actix_web::rt::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            loop {
                match run_once(&pool, sender.as_ref(), chrono::Utc::now().naive_utc()).await {
                    Ok(pass) if pass.claimed as i64 == BATCH => continue,
                    Ok(_) => break,
                    Err(error) => {
                        tracing::error!(%error, "notice worker pass failed");
                        break;
                    }
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r29_1_retries_back_off_doubling_up_to_an_hour() {
        let waits: Vec<i64> = (1..=9).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(backoff(0).num_seconds(), 30, "before any failure: the first wait");
        assert_eq!(backoff(i32::MAX).num_seconds(), 3600, "no overflow, however often it failed");
    }

    #[test]
    fn a_lease_outlasts_a_whole_batch() {
        assert!(LEASE_SECONDS > BATCH * SEND_TIMEOUT.as_secs() as i64);
        assert!(SEND_TIMEOUT > super::super::sender::SMTP_TIMEOUT, "the SMTP client gives up first, with its reason");
    }
}

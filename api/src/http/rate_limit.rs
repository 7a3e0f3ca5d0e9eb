//! Per-caller request limits: a fixed window per key, kept in memory and bounded. A multi-instance
//! deployment limits per instance; that is acceptable for abuse protection, not for billing.
//!
//! Keys come from callers (addresses, client ids, login names), so the table is bounded: keys are at most
//! [`MAX_KEY_BYTES`] long (longer ones are cut and hashed, never stored whole), and when [`MAX_KEYS`] are held the
//! ones whose own window has passed go first, then those whose window ends soonest. Each entry keeps the window it
//! was counted in, so a flood of minute keys never resets an hourly count.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);

/// The most keys held at once (about 10 MB at the longest keys).
pub const MAX_KEYS: usize = 50_000;

/// The longest key kept as it is.
pub const MAX_KEY_BYTES: usize = 128;

#[derive(Debug, Clone, Copy)]
struct Entry {
    start: Instant,
    /// Requests counted, or an amount spent (bytes).
    count: u64,
    window: Duration,
}

impl Entry {
    fn expired(&self, now: Instant) -> bool {
        now.duration_since(self.start) >= self.window
    }
}

#[derive(Debug)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, Entry>>,
    max_keys: usize,
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter::with_capacity(MAX_KEYS)
    }
}

impl RateLimiter {
    /// A limiter holding at most `max_keys` keys.
    pub fn with_capacity(max_keys: usize) -> Self {
        RateLimiter { windows: Mutex::default(), max_keys: max_keys.max(1) }
    }

    /// Counts a request for `key`; `Err(seconds)` to wait when `limit` requests this minute were already made.
    pub fn check(&self, key: &str, limit: u32) -> Result<(), u64> {
        self.check_at(key, limit, Instant::now(), WINDOW)
    }

    /// As [`RateLimiter::check`], over a window of `window` (e.g. an hour for objection filings).
    pub fn check_window(&self, key: &str, limit: u32, window: Duration) -> Result<(), u64> {
        self.check_at(key, limit, Instant::now(), window)
    }

    /// Spends `amount` (e.g. bytes) of a `budget` per `window` for `key`; `Err(seconds to wait)` when it would
    /// exceed the budget (and then nothing is spent).
    pub fn spend(&self, key: &str, amount: u64, budget: u64, window: Duration) -> Result<(), u64> {
        self.spend_at(key, amount, budget, Instant::now(), window)
    }

    /// Keys held now (for tests and metrics).
    pub fn len(&self) -> usize {
        self.windows.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn check_at(&self, key: &str, limit: u32, now: Instant, window: Duration) -> Result<(), u64> {
        self.spend_at(key, 1, u64::from(limit), now, window)
    }

    fn spend_at(&self, key: &str, amount: u64, budget: u64, now: Instant, window: Duration) -> Result<(), u64> {
        let key = bounded_key(key);
        let mut windows = self.windows.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if windows.len() >= self.max_keys && !windows.contains_key(key.as_ref()) {
            make_room(&mut windows, now, self.max_keys);
        }
        let entry = windows.entry(key.into_owned()).or_insert(Entry { start: now, count: 0, window });
        if entry.expired(now) || entry.window != window {
            *entry = Entry { start: now, count: 0, window };
        }
        if entry.count.saturating_add(amount) > budget {
            let wait = window.saturating_sub(now.duration_since(entry.start));
            return Err(wait.as_secs().max(1));
        }
        entry.count += amount;
        Ok(())
    }
}

/// Frees room for a key: the entries whose own window has passed, and when that is not enough, the tenth whose
/// windows end soonest (the least counting is lost). Runs only when the table is full, so its cost is spread over the
/// insertions that filled it.
fn make_room(windows: &mut HashMap<String, Entry>, now: Instant, max_keys: usize) {
    windows.retain(|_, entry| !entry.expired(now));
    if windows.len() < max_keys {
        return;
    }
    let mut ends: Vec<Instant> = windows.values().map(|e| e.start + e.window).collect();
    let cut = (max_keys / 10).max(1).min(ends.len() - 1);
    let (_, nth, _) = ends.select_nth_unstable(cut);
    let first_kept = *nth;
    windows.retain(|_, entry| entry.start + entry.window >= first_kept);
}

/// The key as stored: as it is when short, else its first bytes and a hash of the whole (so distinct long keys stay
/// distinct and no caller can make the table hold more than [`MAX_KEY_BYTES`] per key).
fn bounded_key(key: &str) -> std::borrow::Cow<'_, str> {
    if key.len() <= MAX_KEY_BYTES {
        return std::borrow::Cow::Borrowed(key);
    }
    let mut cut = 32;
    while !key.is_char_boundary(cut) {
        cut -= 1;
    }
    let digest = hex::encode(Sha256::digest(key.as_bytes()));
    std::borrow::Cow::Owned(format!("{}…{digest}", &key[..cut]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r17_limits_per_key_and_window() {
        let limiter = RateLimiter::default();
        let start = Instant::now();
        assert!(limiter.check_at("a", 2, start, WINDOW).is_ok());
        assert!(limiter.check_at("a", 2, start, WINDOW).is_ok());
        let wait = limiter.check_at("a", 2, start + Duration::from_secs(20), WINDOW).unwrap_err();
        assert_eq!(wait, 40);
        assert!(limiter.check_at("b", 2, start, WINDOW).is_ok(), "other keys are counted apart");
        assert!(limiter.check_at("a", 2, start + WINDOW, WINDOW).is_ok(), "a new window starts afresh");
    }

    #[test]
    fn amounts_are_spent_from_a_budget() {
        let limiter = RateLimiter::default();
        let start = Instant::now();
        let hour = Duration::from_secs(3600);
        assert!(limiter.spend_at("bytes:a", 40, 100, start, hour).is_ok());
        assert!(limiter.spend_at("bytes:a", 70, 100, start, hour).is_err(), "over the budget");
        assert!(limiter.spend_at("bytes:a", 60, 100, start, hour).is_ok(), "a refused amount was not spent");
        assert!(limiter.spend_at("bytes:a", 1, 100, start + hour, hour).is_ok(), "a new window");
    }

    #[test]
    fn the_table_never_holds_more_than_its_capacity() {
        let limiter = RateLimiter::with_capacity(100);
        let start = Instant::now();
        for n in 0..1_000 {
            let _ = limiter.check_at(&format!("key-{n}"), 5, start + Duration::from_millis(n), WINDOW);
        }
        assert!(limiter.len() <= 100, "{} keys held", limiter.len());
    }

    #[test]
    fn pruning_for_short_windows_keeps_an_hourly_count() {
        let limiter = RateLimiter::with_capacity(10);
        let start = Instant::now();
        let hour = Duration::from_secs(3600);
        for _ in 0..3 {
            assert!(limiter.check_at("filing:1.2.3.4", 3, start, hour).is_ok());
        }
        // A flood of minute keys two minutes later fills the table and prunes it.
        let later = start + Duration::from_secs(120);
        for n in 0..50 {
            let _ = limiter.check_at(&format!("portal:{n}"), 100, later, WINDOW);
        }
        assert!(
            limiter.check_at("filing:1.2.3.4", 3, later, hour).is_err(),
            "the hourly limit still holds: its window has not passed"
        );
    }

    #[test]
    fn long_keys_are_stored_bounded_and_distinct() {
        let long_a = "a".repeat(500_000);
        let long_b = format!("{}b", "a".repeat(499_999));
        assert!(bounded_key(&long_a).len() < 200);
        assert_ne!(bounded_key(&long_a), bounded_key(&long_b));
        assert_eq!(bounded_key("short"), "short");
        assert!(bounded_key(&"九".repeat(100)).len() < 200, "cut at a character boundary");
    }
}

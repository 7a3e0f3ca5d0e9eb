//! Per-caller request limits: a fixed window per key (a minute unless said otherwise), kept in memory. A multi-instance
//! deployment limits per instance; that is acceptable for abuse protection, not for billing.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);

#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    /// Counts a request for `key`; `Err(seconds)` to wait when `limit` requests this minute were already made.
    pub fn check(&self, key: &str, limit: u32) -> Result<(), u64> {
        self.check_at(key, limit, Instant::now(), WINDOW)
    }

    /// As [`RateLimiter::check`], over a window of `window` (e.g. an hour for objection filings); keys of different
    /// windows must differ.
    pub fn check_window(&self, key: &str, limit: u32, window: Duration) -> Result<(), u64> {
        self.check_at(key, limit, Instant::now(), window)
    }

    fn check_at(&self, key: &str, limit: u32, now: Instant, window: Duration) -> Result<(), u64> {
        let mut windows = self.windows.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if windows.len() > 10_000 {
            // Entries of longer windows may go early: the limit then errs on the lenient side.
            windows.retain(|_, (start, _)| now.duration_since(*start) < window.max(WINDOW));
        }
        let entry = windows.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= window {
            *entry = (now, 0);
        }
        if entry.1 >= limit {
            let wait = window.saturating_sub(now.duration_since(entry.0));
            return Err(wait.as_secs().max(1));
        }
        entry.1 += 1;
        Ok(())
    }
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
}

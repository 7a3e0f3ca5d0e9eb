//! Callers by address, for the purpose of limits: the client's address (also behind trusted reverse
//! proxies), counted per IPv4 address or per IPv6 /64 (one subscriber's whole network, as providers hand them out),
//! and the allowances counted against it.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use actix_web::HttpRequest;
use credit_types::ErrorCode;
use std::net::IpAddr;
use std::time::Duration;

/// Counts the request against the client address's portal allowance.
pub fn limit_portal_visitor(req: &HttpRequest, state: &AppState) -> ApiResult<()> {
    let limit = state.records().portal_requests_per_minute;
    spend(req, state, "portal", limit, Duration::from_secs(60), "portal requests per minute")
}

/// Counts a lookup by code — a portal search by an 18-character code, or a natural person's lookup by name and
/// number — against the client address's hourly allowance for them, on top of the portal's
/// per-minute one: each lookup is one guess at a number, so guesses are what must stay few.
pub fn limit_lookup(req: &HttpRequest, state: &AppState) -> ApiResult<()> {
    let limit = state.records().portal_lookups_per_hour;
    spend(req, state, "lookup", limit, Duration::from_secs(3600), "lookups by code per hour")
}

/// Counts one request of kind `what` against the caller's address, as [`limit_address`] does; past `limit`, 429
/// `rate_limited` with `Retry-After`, its detail naming the allowance (`described`: "portal requests per minute").
pub fn spend(
    req: &HttpRequest,
    state: &AppState,
    what: &str,
    limit: u32,
    window: Duration,
    described: &str,
) -> ApiResult<()> {
    limit_address(req, state, what, limit, window).map_err(|retry_after_secs| ApiError::TooManyRequests {
        code: ErrorCode::RateLimited,
        detail: format!("at most {limit} {described} from one address; try again later"),
        retry_after_secs,
    })
}

/// Counts one request of kind `what` against the caller's address (an IPv4 address, or an IPv6 /64) within
/// `window`; `Err(seconds to wait)` once `limit` were made.
pub fn limit_address(req: &HttpRequest, state: &AppState, what: &str, limit: u32, window: Duration) -> Result<(), u64> {
    let key = format!("{what}:{}", address_key(&client_address(req, &state.records().trusted_proxies)));
    state.limiter().check_window(&key, limit, window)
}

/// Spends `amount` (bytes) of the caller's address's budget of kind `what` per `window`.
pub fn spend_budget(
    req: &HttpRequest,
    state: &AppState,
    what: &str,
    amount: u64,
    budget: u64,
    window: Duration,
) -> Result<(), u64> {
    let key = format!("{what}:{}", address_key(&client_address(req, &state.records().trusted_proxies)));
    state.limiter().spend(&key, amount, budget, window)
}

/// The visitor's address: the connection's, or — behind a trusted reverse proxy — the nearest address in
/// `X-Forwarded-For` that is not itself a trusted proxy.
pub fn client_address(req: &HttpRequest, trusted: &[IpAddr]) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else { return String::new() };
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let forwarded =
        req.headers().get_all("x-forwarded-for").filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
    forwarded
        .rsplit(',')
        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
        .find(|hop| !trusted.contains(hop))
        .unwrap_or(peer)
        .to_string()
}

/// What a limit counts an address as: an IPv4 address itself, an IPv6 address by its /64 (a subscriber gets a whole
/// /64 and could otherwise take a fresh address for every request); an IPv4-mapped IPv6 address as its IPv4.
pub fn address_key(address: &str) -> String {
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Err(_) => address.chars().take(64).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::address_key;

    #[test]
    fn r17_ipv6_addresses_count_by_their_64() {
        assert_eq!(address_key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_eq!(address_key("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
        assert_ne!(address_key("2001:db8:1:3::1"), address_key("2001:db8:1:2::1"));
        assert_eq!(address_key("203.0.113.9"), "203.0.113.9");
        assert_eq!(address_key("::ffff:203.0.113.9"), "203.0.113.9");
        assert_eq!(address_key(&"x".repeat(500)).len(), 64);
    }
}

//! Anonymous visitors of the portal: who they are for the purpose of limits (their address, also behind trusted
//! reverse proxies) and the per-address allowance of portal requests.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use actix_web::HttpRequest;
use credit_types::ErrorCode;

/// Counts the request against the client address's portal allowance.
pub fn limit_portal_visitor(req: &HttpRequest, state: &AppState) -> ApiResult<()> {
    let limit = state.records().portal_requests_per_minute;
    let address = client_address(req, &state.records().trusted_proxies);
    state.limiter().check(&format!("portal:{address}"), limit).map_err(|retry_after_secs| ApiError::TooManyRequests {
        code: ErrorCode::RateLimited,
        detail: format!("at most {limit} portal requests per minute from one address; try again shortly"),
        retry_after_secs,
    })
}

/// The visitor's address: the connection's, or — behind a trusted reverse proxy — the nearest address in
/// `X-Forwarded-For` that is not itself a trusted proxy.
pub fn client_address(req: &HttpRequest, trusted: &[std::net::IpAddr]) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else { return String::new() };
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let forwarded =
        req.headers().get_all("x-forwarded-for").filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
    forwarded
        .rsplit(',')
        .filter_map(|hop| hop.trim().parse::<std::net::IpAddr>().ok())
        .find(|hop| !trusted.contains(hop))
        .unwrap_or(peer)
        .to_string()
}
